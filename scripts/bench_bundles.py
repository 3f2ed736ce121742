"""Benchmark of data bundles (issue 6, "Speed").

    .venv/bin/python scripts/bench_bundles.py [--villages 1552] [--members 150] [--months 12]
        [--big-members 3000] [--runs 5] [--keep DIR] [--skip-banten]

Measures, on this machine, in one run:

1. exporting a typical village's full bundle (the demo village: ``--members``/``--months``),
   end to end through ``services.bundles.export`` (collect, sign, encrypt, write, fsync,
   read back): target 0.5 s;
2. importing a large village's full bundle into an empty receiver, end to end through
   ``services.bundles.import_files`` (decrypt, verify, check rows, merge, commit), as rows per
   second against a plain sqlite3 ``INSERT … ON CONFLICT DO UPDATE`` of the same rows into the
   same kind of file in one transaction: target at least 0.5×;
3. the first bundles of ``--villages`` Banten villages (1,552: every desa and kelurahan of
   province 36), each the demo village's content under that village's code, ids and key,
   imported as one folder: target 120 s; then the same folder again (nothing to change):
   target 30 s. The plain upsert of the same rows, one transaction per village, is timed too.

The bundles of step 3 are made from one demo village (ids remapped, re-signed with a key per
village, encrypted to the receiver) because making 1,552 village files would take most of an
hour; their preparation is not timed. Prints the figures and whether each target is met.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from kt_desktop import __version__, i18n, regions  # noqa: E402
from kt_desktop.bundles import collect, crypto, keys, read, write  # noqa: E402
from kt_desktop.bundles import format as fmt  # noqa: E402
from kt_desktop.bundles.merge import receiver_schema  # noqa: E402
from kt_desktop.domain.formats import utc_now_iso  # noqa: E402
from kt_desktop.domain.profile import Profile  # noqa: E402
from kt_desktop.services import bundles, demo  # noqa: E402
from kt_desktop.services.session import Session, open_session  # noqa: E402
from kt_desktop.services.setup import init_receiver, init_village  # noqa: E402
from kt_desktop.store import connection, migrations, sync  # noqa: E402

VILLAGE = "36.04.22.2001"
BANTEN = "36"


def _village(path: Path, *, members: int, months: int, code: str = VILLAGE) -> Session:
    init_village(
        path,
        Profile(
            name="Karang Taruna Tunas Harapan",
            village_code=code,
            ketua="Ahmad Fauzi",
            sekretaris="Siti Nurhaliza",
        ),
    )
    session = open_session(path)
    demo.fill(session, members=members, months=months, seed=7)
    return session


def _receiver(path: Path, area: str = BANTEN) -> Session:
    region = regions.get(area)
    init_receiver(path, area, f"Karang Taruna Provinsi {region.name if region else area}")
    return open_session(path)


def _install_key(village: Session, receiver: Session, folder: Path) -> None:
    key_file = folder / "kunci.ktkey"
    bundles.export_receiver_key(receiver, key_file)
    bundles.import_receiver_key(village, key_file)


def linked_pair(folder: Path, *, members: int = 150, months: int = 12) -> tuple[Session, Session]:
    """A village with demo data and a Banten receiver whose key it holds: where the export,
    bundle and receipt rows (here and in ``benchmark.py``) start from."""
    village = _village(folder / "desa.sqlite", members=members, months=months)
    receiver = _receiver(folder / "provinsi.sqlite")
    _install_key(village, receiver, folder)
    return village, receiver


def timed_full_exports(village: Session, folder: Path, runs: int) -> tuple[list[float],
                                                                         bundles.ExportResult]:
    """Seconds of each of ``runs`` full exports of ``village``, each into a new folder under
    ``folder``, and the last export's result."""
    times: list[float] = []
    result = None
    for run in range(runs):
        out = folder / f"usb-{run}"
        out.mkdir()
        started = time.perf_counter()
        result = bundles.export(village, dest_dir=out, full=True)
        times.append(time.perf_counter() - started)
    assert result is not None
    return times, result


def _rows(data: bytes, receiver: Session) -> list[read.ParsedTable]:
    """The rows a bundle carries, exactly as the merge receives them."""
    private = keys.encryption_private_key(receiver.db())
    bag = read.open_bundle(data, private, source="bench")
    return read.parse_rows(bag, receiver_schema(receiver.db()), source="bench")


def _plain_upsert(path: Path, batches: Iterable[list[read.ParsedTable]]) -> float:
    """Seconds of sqlite3 INSERT … ON CONFLICT DO UPDATE of ``batches``, one transaction each.

    Only the SQL is timed (``batches`` may be produced lazily, from the bundle files).
    """
    db = connection.connect(path)
    conn = db.conn
    elapsed = 0.0
    for tables in batches:
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        for table in tables:
            if not table.rows:
                continue
            columns = ", ".join(f"[{c}]" for c in table.columns)
            key = sync.key_columns(db, table.name)  # a receiver's: village and id
            updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in table.columns
                                if c not in key)
            conn.executemany(
                f"INSERT INTO [{table.name}] ({columns}) VALUES "
                f"({', '.join('?' * len(table.columns))}) "
                f"ON CONFLICT({', '.join(key)}) DO UPDATE SET {updates}",
                table.rows,
            )
        conn.execute("COMMIT")
        elapsed += time.perf_counter() - started
    db.close()
    return elapsed


def _verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


# -- 1. export ------------------------------------------------------------------------------------
def bench_export(folder: Path, *, members: int, months: int, runs: int) -> Session:
    village, receiver = linked_pair(folder, members=members, months=months)
    receiver.close()
    times, result = timed_full_exports(village, folder, runs)
    median = statistics.median(times)
    print(
        f"1. full export of a typical village ({result.total:,} records, "
        f"{result.bytes / 1024:,.0f} KB, encrypted): median {median * 1000:.0f} ms, "
        f"worst {max(times) * 1000:.0f} ms of {runs}  [target 500 ms: {_verdict(median <= 0.5)}]"
    )
    return village


# -- 2. import rate --------------------------------------------------------------------------------
def import_rate(folder: Path, *, members: int, runs: int) -> tuple[Path, int, list[float],
                                                                    list[float]]:
    """One large full bundle imported ``runs`` times into a fresh receiver, and the same rows
    upserted with plain sqlite3: (bundle, rows, our seconds, plain seconds). ``benchmark.py``
    times its bundle row with this too."""
    village = _village(folder / "besar.sqlite", members=members, months=24)
    template = _receiver(folder / "template.sqlite")
    _install_key(village, template, folder)
    bundle = bundles.export(village, dest_dir=folder, full=True).path
    village.close()
    tables = _rows(bundle.read_bytes(), template)
    count = sum(len(table.rows) for table in tables)
    template.close()
    ours, plain = [], []
    for run in range(runs):
        target = folder / f"import-{run}.sqlite"
        shutil.copy(folder / "template.sqlite", target)
        session = open_session(target)
        started = time.perf_counter()
        (summary,) = bundles.import_files(session, [bundle], trust_new=True).bundles
        ours.append(time.perf_counter() - started)
        session.close()
        if summary.status != bundles.IMPORTED:
            raise RuntimeError(f"the bundle was not imported: {summary.message}")
        target = folder / f"plain-{run}.sqlite"
        shutil.copy(folder / "template.sqlite", target)
        plain.append(_plain_upsert(target, [tables]))
    return bundle, count, ours, plain


def bench_import_rate(folder: Path, *, members: int, runs: int) -> None:
    bundle, count, ours, plain = import_rate(folder, members=members, runs=runs)
    data = bundle.read_bytes()
    ours_rate = count / statistics.median(ours)
    plain_rate = count / statistics.median(plain)
    ratio = ours_rate / plain_rate
    print(
        f"2. import of one large bundle ({count:,} rows, {len(data) / 1024:,.0f} KB): "
        f"{ours_rate:,.0f} rows/s end to end (median {statistics.median(ours) * 1000:.0f} ms) vs "
        f"plain INSERT … ON CONFLICT DO UPDATE {plain_rate:,.0f} rows/s "
        f"(median {statistics.median(plain) * 1000:.0f} ms): {ratio:.2f}×  "
        f"[target ≥ 0.5×: {_verdict(ratio >= 0.5)}]"
    )


# -- 3. the province -----------------------------------------------------------------------------
def _banten_villages(limit: int, area: str = BANTEN) -> list[str]:
    """``limit`` villages spread evenly over the area's list (in code order; Banten unless
    another province is named)."""
    from kt_desktop.services.receiver import places

    found = [place.code for place in places(area)]
    if limit >= len(found):
        return found
    step = len(found) / limit
    return [found[int(i * step)] for i in range(limit)]


def _remap(value: Any, ids: dict[str, str]) -> Any:
    return ids.get(value, value) if isinstance(value, str) else value


#: Villages of the receiver demo whose rows are given in turn to a province's villages
#: (``demo_templates``): enough to carry the demo's spread (stopped villages, busy and
#: quiet ones) into the province's bundles.
DEMO_POOL = 120


def village_templates(village: Session) -> tuple[list[collect.Collected], int]:
    """One template (the rows of ``village``'s full bundle) and its schema version: the
    "busy" mix, a village that keeps every book (some 3,400 rows in 12 months)."""
    db = village.db()
    return [collect.collect(db, since=0, village_code=village.code)], \
        migrations.schema_version(db)


def make_demo_pool(path: Path, area: str, pool: int = DEMO_POOL) -> None:
    """The receiver demo of ``pool`` villages of ``area`` (``scripts/make_banten_demo.py``:
    the mix the receiver's figures are measured on, two years of members, activities and
    trainings; some 3,100 rows a village) at ``path``, replacing what is there."""
    import make_banten_demo

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    make_banten_demo.build(path, area=area, villages=pool)


def demo_templates(path: Path) -> tuple[list[collect.Collected], int]:
    """Every village of the demo pool at ``path`` (:func:`make_demo_pool`) that holds records,
    as the full bundle it would send, and their schema version."""
    session = open_session(path)
    try:
        db = session.db()
        codes = [code for (code,) in db.conn.execute(
            "SELECT DISTINCT village_code FROM members ORDER BY village_code")]
        return [collect.collect(db, since=0, village_code=code) for code in codes], \
            migrations.schema_version(db)
    finally:
        session.close()


def make_province_part(folder: Path, mix: str, codes: list[str], part: int, parts: int) -> int:
    """The first bundles of ``codes[part::parts]`` into ``folder``/stick (the source and
    template made by :func:`prepare_province`); in a process of its own. Returns the rows
    written."""
    i18n.set_language("id")
    if mix == "busy":
        village = open_session(folder / "desa.sqlite")
        try:
            templates, schema = village_templates(village)
        finally:
            village.close()
    else:
        templates, schema = demo_templates(folder / "demo-pool.sqlite")
    receiver = open_session(folder / "template.sqlite")
    try:
        return make_province_bundles(templates, schema, receiver, folder / "stick",
                                     codes[part::parts], start=part, step=parts)
    finally:
        receiver.close()


def prepare_province(folder: Path, area: str, mix: str, codes: list[str], *,
                     workers: int = 2, pool: int = DEMO_POOL) -> int:
    """The province step's data in ``folder``: the source of the bundles (a busy demo village
    or the demo pool of ``pool`` villages, see ``benchmark.MIXES``), an empty receiver
    ``template.sqlite`` and one first bundle per village of ``codes`` in ``stick/``, made by
    ``workers`` processes.
    Returns the rows of all the bundles."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    folder.mkdir(parents=True, exist_ok=True)
    if mix == "busy":
        _village(folder / "desa.sqlite", members=150, months=12).close()
    else:
        make_demo_pool(folder / "demo-pool.sqlite", area, pool)
    _receiver(folder / "template.sqlite", area).close()
    (folder / "stick").mkdir()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as executor:
        made = [executor.submit(make_province_part, folder, mix, codes, part, workers)
                for part in range(workers)]
        return sum(future.result() for future in made)


def make_province_bundles(
    templates: Sequence[collect.Collected], schema_version: int, receiver: Session, out: Path,
    codes: list[str], *, start: int = 0, step: int = 1,
) -> int:
    """One first bundle per village: the rows of ``templates`` (in turn) under the village's
    code, ids and key. ``codes`` may be every ``step``-th village of a list from ``start``
    (one process's share): the village at position *i* of the whole list is given template
    *i* (modulo their number) whoever makes its bundle.

    Returns the number of rows written in all of them.
    """
    receiver_public = keys.encryption_public_key(receiver.db())
    total = 0
    for number, code in enumerate(codes):
        base = templates[(start + number * step) % len(templates)]
        namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"kt-desktop-bench/{code}")
        ids: dict[str, str] = {}
        for table in base.tables:
            at = table.columns.index("id")
            for row in table.rows:
                ids[row[at]] = str(uuid.uuid5(namespace, row[at]))
        tables = []
        for table in base.tables:
            village_at = table.columns.index("village_code")
            rows = []
            for row in table.rows:
                values = [_remap(value, ids) for value in row]
                values[village_at] = code
                rows.append(tuple(values))
            tables.append(write.TableRows(name=table.name, columns=table.columns, rows=rows))
        key = Ed25519PrivateKey.generate()
        public = key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        info = fmt.BagInfo(
            village_code=code,
            bundle_seq=1,
            since_seq=0,
            upto_seq=base.upto_seq,
            schema_version=schema_version,
            record_counts={},
            created_utc=utc_now_iso(),
            app_version=__version__,
            signing_key=public,
            village_name=f"Karang Taruna {code}",
        )
        bag = write.build_bag(info, tables, base.attachments, key)
        (out / fmt.file_name(code, 1, "20261130")).write_bytes(crypto.seal(bag, receiver_public))
        total += sum(len(t.rows) for t in tables)
    return total


def _batches(folder: Path, receiver: Session) -> Iterator[list[read.ParsedTable]]:
    for path in sorted(folder.iterdir()):
        yield _rows(path.read_bytes(), receiver)


def bench_province(folder: Path, village: Session, *, villages: int) -> None:
    codes = _banten_villages(villages)
    template = _receiver(folder / "banten-template.sqlite")
    out = folder / "banten-stick"
    out.mkdir()
    started = time.perf_counter()
    rows = make_province_bundles(*village_templates(village), template, out, codes)
    template.close()  # checkpointed: the copies below hold its keys
    size = sum(path.stat().st_size for path in out.iterdir())
    print(
        f"3. prepared {len(codes):,} first bundles ({rows:,} rows, {size / 1024**2:,.0f} MB) "
        f"in {time.perf_counter() - started:.0f} s (not timed)"
    )
    target = folder / "banten.sqlite"
    shutil.copy(folder / "banten-template.sqlite", target)
    receiver = open_session(target)
    started = time.perf_counter()
    report = bundles.import_files(receiver, [out], trust_new=True)
    first = time.perf_counter() - started
    assert report.count(bundles.IMPORTED) == len(codes), [
        s.message for s in report.bundles if s.status != bundles.IMPORTED
    ][:3]
    limit = 120 * len(codes) / 1552
    print(
        f"   import of all {len(codes):,}: {first:.1f} s ({rows / first:,.0f} rows/s)  "
        f"[target {limit:.0f} s: {_verdict(first <= limit)}]"
    )
    writes = receiver.db().conn.total_changes
    started = time.perf_counter()
    again = bundles.import_files(receiver, [out], trust_new=True)
    second = time.perf_counter() - started
    assert again.count(bundles.ALREADY) == len(codes)
    assert receiver.db().conn.total_changes == writes  # not one row written
    print(
        f"   import of the same {len(codes):,} again (nothing to change): {second:.1f} s  "
        f"[target {limit / 4:.0f} s: {_verdict(second <= limit / 4)}]"
    )
    receiver.close()
    plain_target = folder / "banten-plain.sqlite"
    shutil.copy(folder / "banten-template.sqlite", plain_target)
    template = open_session(folder / "banten-template.sqlite")
    plain = _plain_upsert(plain_target, _batches(out, template))
    template.close()
    print(
        f"   plain INSERT … ON CONFLICT DO UPDATE of the same rows, one transaction per village: "
        f"{plain:.1f} s ({rows / plain:,.0f} rows/s); the import's rate is "
        f"{(rows / first) / (rows / plain):.2f}× of it"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--villages", type=int, default=1552)
    parser.add_argument("--members", type=int, default=150)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--big-members", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-banten", action="store_true")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    i18n.set_language("en")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="kt-bench-bundles-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("KT_DESKTOP_HOME", str(folder / "home"))
    try:
        (folder / "export").mkdir()
        village = bench_export(
            folder / "export", members=args.members, months=args.months, runs=args.runs
        )
        (folder / "rate").mkdir()
        bench_import_rate(folder / "rate", members=args.big_members, runs=args.runs)
        if not args.skip_banten:
            (folder / "province").mkdir()
            bench_province(folder / "province", village, villages=args.villages)
        village.close()
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
