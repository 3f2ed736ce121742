"""Make a smaller ICU data library for the frozen Linux build (build.spec calls this).

QtCore links ICU, and PySide6's wheel carries ICU's whole data library
(`libicudata.so.73`, 31 MB: every locale of CLDR, 200 legacy code pages, Thai/CJK
dictionaries, transliterators). Qt itself opens only a little of it: collation (QCollator,
which QFileDialog and locale-aware sorting use), case mapping and the converter alias table.
The program speaks Indonesian and English, so this keeps the locale data of `id`/`in`/`en`
and root in every tree, the data files that are not locales (normalisation, collation
tables, time zones, plural rules, ...) and the Windows-1252 code page; it drops the other
locales, the other code pages, the break iterators and the transliterators.

ICU's own tool does the package work: `icupkg` (Debian package `icu-devtools`) removes the
items and refuses when a kept item depends on a removed one, so a broken data set fails
the build rather than a secretary's program. The result is linked back into a shared
library with the same soname and data symbol (what ICU's `pkgdata` does), using `as` and
`ld` from binutils. The frozen self-test then sorts with QCollator to prove the data loads.

Usage: python scripts/trim_icu.py SRC_LIB DST_LIB
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

#: Languages whose locale data stays (`in` is ICU's old alias of `id`).
KEEP_LANGUAGES = frozenset({"id", "in", "en"})
#: Code pages that stay besides ICU's built-in algorithmic ones (UTF-*, Latin-1, ASCII).
KEEP_CODEPAGES = frozenset({"ibm-5348_P100-1997.cnv"})  # windows-1252
#: Whole trees Qt never opens: QtCore calls ucnv_*, ucol_*, ucal_* and u_strTo{Upper,Lower}
#: (`nm -D --undefined-only libQt6Core.so.6`), never break iterators or transliterators.
DROP_TREES = frozenset({"brkitr", "translit"})
#: Items named like a locale that are not one.
NOT_LOCALES = frozenset({"root.res", "pool.res", "res_index.res"})

# A CLDR locale item: a language, then script/region/variant parts (`de_`, `en_US_POSIX`).
_LOCALE = re.compile(r"^([a-z]{2,3})(_[A-Za-z0-9_]*)?\.res$")


class TrimError(RuntimeError):
    """The ICU data could not be trimmed; the message says which tool or step failed."""


def wanted(item: str) -> bool:
    """Whether a package item (e.g. ``coll/id.res``) stays in the trimmed data."""
    tree, _, name = item.rpartition("/")
    if tree in DROP_TREES:
        return False
    if name.endswith(".cnv"):
        return name in KEEP_CODEPAGES
    if name in NOT_LOCALES:
        return True
    match = _LOCALE.match(name)
    if match:
        return match.group(1) in KEEP_LANGUAGES
    return True  # root.res, pool.res, res_index.res and every non-locale data file


def _program(name: str) -> str:
    """``name`` on PATH, or in /usr/sbin where Debian puts icupkg (not on a user's PATH)."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    return found or name


def _run(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run([_program(args[0]), *args[1:]], cwd=cwd, capture_output=True,
                              text=True, timeout=300)
    except FileNotFoundError as exc:
        hint = "icu-devtools" if args[0] == "icupkg" else "binutils"
        raise TrimError(f"{args[0]} is missing: install {hint} (apt-get install {hint})") from exc
    if done.returncode != 0:
        raise TrimError(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def _data_symbol(lib: Path, cwd: Path) -> tuple[str, int, int]:
    """(name, file offset, size) of the `icudtNN_dat` symbol in an ICU data library."""
    symbols = _run(["readelf", "--dyn-syms", "-W", str(lib)], cwd)
    found = re.search(
        r":\s+([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+GLOBAL\s+\S+\s+\d+\s+(icudt\d+_dat)",
        symbols,
    )
    if not found:
        raise TrimError(f"{lib}: no icudtNN_dat data symbol")
    address, size, name = int(found.group(1), 16), int(found.group(2), 0), found.group(3)
    sections = _run(["readelf", "-S", "-W", str(lib)], cwd)
    rodata = re.search(r"\]\s+\.rodata\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)", sections)
    if rodata:
        start, offset = int(rodata.group(1), 16), int(rodata.group(2), 16)
        return name, offset + address - start, size
    raise TrimError(f"{lib}: no .rodata section")


def trim(src: Path, dst: Path) -> tuple[int, int]:
    """Write a trimmed copy of the ICU data library `src` to `dst`; return both sizes."""
    src, dst = src.resolve(), dst.resolve()
    with tempfile.TemporaryDirectory(prefix="kt-icu-") as tmp:
        work = Path(tmp)
        symbol, offset, size = _data_symbol(src, work)
        package = symbol.removesuffix("_dat") + "l"  # icudt73l: little-endian ASCII
        with src.open("rb") as handle:
            handle.seek(offset)
            blob = handle.read(size)
        if blob[12:16] != b"CmnD":  # the data format of a common package
            raise TrimError(f"{src}: {symbol} is not an ICU common data package")
        (work / f"{package}.dat").write_bytes(blob)
        items = _run(["icupkg", "-l", f"{package}.dat"], work).split()
        drop = [item for item in items if not wanted(item)]
        (work / "drop.txt").write_text("\n".join(drop) + "\n")
        (work / "out").mkdir()
        _run(["icupkg", "-r", "drop.txt", f"{package}.dat", f"out/{package}.dat"], work)
        (work / "data.S").write_text(
            "\t.section .rodata\n"
            f"\t.globl {symbol}\n"
            f"\t.type {symbol}, @object\n"
            "\t.balign 16\n"
            f"{symbol}:\n"
            f'\t.incbin "out/{package}.dat"\n'
            f"\t.size {symbol}, .-{symbol}\n"
            '\t.section .note.GNU-stack,"",@progbits\n'
        )
        _run(["as", "--64", "-o", "data.o", "data.S"], work)
        soname = src.name
        _run(["ld", "-shared", "-soname", soname, "-o", "lib.so", "data.o"], work)
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(work / "lib.so", dst)
    return src.stat().st_size, dst.stat().st_size


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    try:
        before, after = trim(Path(argv[0]), Path(argv[1]))
    except TrimError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"ICU data: {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
