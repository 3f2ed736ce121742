"""Benchmark of the Buku Kas Umum: ten years of a busy cash book (issue 19, "Done when").

    .venv/bin/python scripts/bench_kas.py [--entries 50000] [--runs 7] [--keep FILE]

Builds a village file whose cash book holds 50,000 entries over ten years, in two accounts
(bulk-loaded with plain SQL: the benchmark measures reading, not typing), then times what the
page and the report do, through the same service calls: a month's first page with its
running balances and count (the month view), a year's, the whole book's first page, and the
printed cash book of a month (laporan kas) and of a year. Prints the median and the worst of
``--runs`` runs. Targets: month view ≤ 50 ms, laporan kas ≤ 0.5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST = dt.date(2016, 1, 1)
YEARS = 10


def build(path: Path, entries: int, rng: random.Random) -> None:
    from kt_desktop.services.session import open_session
    from kt_desktop.services.setup import init_village

    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import make_profile  # type: ignore[import-not-found]

    init_village(path, make_profile())
    session = open_session(path)
    db = session.db()
    now = "2026-11-28T00:00:00.000000Z"
    days = YEARS * 365
    rows = []
    for number in range(entries):
        day = FIRST + dt.timedelta(days=number * days // entries)
        received = rng.random() < 0.45
        amount = rng.randint(1, 400) * 5_000
        rows.append((str(uuid.uuid4()), session.code, 1, now, number + 1, day.isoformat(),
                     f"Transaksi {number}", "iuran" if received else "kegiatan",
                     amount if received else None, None if received else amount,
                     rng.choice(("Kas tunai", "Bank BRI")), f"B-{number}"))
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO cash_book(id, village_code, version, updated_at, change_seq, "
            "entry_date, description, category, receipt, expense, account, proof_number) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.execute("ANALYZE")
    session.close()


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), max(seconds)


def measure(path: Path, runs: int, out: Path) -> list[tuple[str, float, float, str]]:
    from kt_desktop import i18n
    from kt_desktop.domain.book import book
    from kt_desktop.services import books
    from kt_desktop.services.session import open_session

    i18n.set_language("id")
    kas = book("kas")
    last = FIRST.year + YEARS - 1
    session = open_session(path)
    try:
        def page(query: books.BookQuery) -> Callable[[], object]:
            return lambda: books.list_page(session, kas, query, limit=256)

        figures = [
            ("month view (first page + count)", *timed(page(books.BookQuery(year=last, month=6)),
                                                        runs), "≤ 50 ms"),
            ("year view", *timed(page(books.BookQuery(year=last)), runs), ""),
            ("whole book, first page", *timed(page(books.BookQuery()), runs), ""),
            ("laporan kas (a month, PDF)", *timed(lambda: books.build_register(
                session, kas, out / "bulan.pdf", year=last, month=6), runs), "≤ 500 ms"),
            ("cash book of a year (PDF)", *timed(lambda: books.build_register(
                session, kas, out / "tahun.pdf", year=last), max(1, runs // 3)), ""),
        ]
    finally:
        session.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, default=None, help="keep the data file here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kt-bench-kas-") as work:
        path = args.keep or Path(work) / "kas.sqlite"
        if not path.exists():
            started = time.perf_counter()
            build(path, args.entries, random.Random(19))
            print(f"built {args.entries} entries in {time.perf_counter() - started:.1f} s")
        for name, median, worst, goal in measure(path, args.runs, Path(work)):
            print(f"{name:34} median {median * 1000:8.1f} ms  worst {worst * 1000:8.1f} ms  {goal}")


if __name__ == "__main__":
    main()
