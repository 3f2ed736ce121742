"""The SQL of the province→national aggregates (docs/NATIONAL.md).

A province reads its figures straight from the roll-up (:mod:`kt_desktop.store.receiver`),
which the views already trust and ``check`` compares with a full recount; nothing else of
the province's records goes out. A national file keeps them in ``national_counts`` and adds
them up by province for the recap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import sqlite_utils

#: Metrics an aggregate carries: activities by jenis, beneficiaries by PPKS and sex, funds
#: by source, trainings' figures, and the member census at month ends.
METRICS = ("act", "ben", "fund", "train", "mem")
TRAINING_FIGURES = ("trainings", "participants", "graduates", "employed", "business",
                    "studying", "not_working")
#: (village, month 1-12, metric, key, value)
Figure = tuple[str, int, str, str, int]


def aggregate_figures(db: sqlite_utils.Database, year: int) -> Iterator[Figure]:
    """(village, month, metric, key, value) of ``year``'s months, from the roll-up.

    Months only (a year's figure is their sum, except the census: the month end's); the
    member census of the month ends counted in that year. The roll-up must be fresh (the
    caller counts it first).
    """
    months = (f"{year}-01", f"{year}-12")
    for village, period, metric, key, value in db.execute(
        "SELECT village_code, period, metric, key, value FROM receiver_rollup "
        "WHERE metric IN ('act', 'ben', 'fund') AND period BETWEEN ? AND ? "
        "AND length(period) = 7", list(months),
    ):
        yield (village, int(period[5:7]), metric, key, int(value))
    for village, period, key, value in db.execute(
        "SELECT village_code, period, key, value FROM receiver_rollup "
        "WHERE metric = 'mem' AND period BETWEEN ? AND ? AND length(period) = 10",
        [f"{year}-01-01", f"{year}-12-31"],
    ):
        day = dt.date.fromisoformat(period)
        if (day + dt.timedelta(days=1)).day == 1:  # month ends only
            yield (village, day.month, "mem", key, int(value))
    figures = ", ".join(TRAINING_FIGURES)
    for row in db.execute(
        f"SELECT village_code, period, {figures} FROM receiver_rollup_trainings "
        "WHERE period BETWEEN ? AND ? AND length(period) = 7", list(months),
    ):
        for name, value in zip(TRAINING_FIGURES, row[2:], strict=True):
            if value:
                yield (row[0], int(row[1][5:7]), "train", name, int(value))


def enrolled_count(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT count(*) FROM villages").fetchone()[0])


def next_aggregate_seq(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT coalesce(max(seq), 0) + 1 FROM aggregates_out").fetchone()[0])


def save_aggregate_out(
    db: sqlite_utils.Database, *, seq: int, year: int, sha256: str, made_utc: str,
    file_name: str,
) -> None:
    with db.atomic():
        db.execute("INSERT INTO aggregates_out (seq, year, sha256, made_utc, file_name) "
                   "VALUES (?, ?, ?, ?, ?)", [seq, year, sha256, made_utc, file_name])


# -- the national side ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class KnownProvince:
    code: str
    name: str
    public_key: str
    fingerprint: str
    last_seq: int


def province(db: sqlite_utils.Database, code: str) -> KnownProvince | None:
    row = db.execute(
        "SELECT code, name, public_key, fingerprint, last_seq FROM national_provinces "
        "WHERE code = ?", [code]).fetchone()
    return KnownProvince(*row) if row else None


def imported_on(db: sqlite_utils.Database, sha256: str) -> tuple[str, int, str] | None:
    """(province, number, received at) of an aggregate already imported, else None."""
    row = db.execute("SELECT province_code, seq, received_at FROM national_imports "
                     "WHERE sha256 = ?", [sha256]).fetchone()
    return (row[0], int(row[1]), row[2]) if row else None


@dataclass(frozen=True, slots=True)
class Accepted:
    """An aggregate that passed every check, to be written."""

    province: KnownProvince
    seq: int
    year: int
    sha256: str
    made_utc: str
    received_at: str
    villages: int
    enrolled: int
    file_name: str
    #: village -> its figures as they came ("key:m1,...,m12;...")
    village_figures: Mapping[str, str]
    #: (month, metric, key) -> the province's sum
    totals: Mapping[tuple[int, str, str], int]
    #: month (0: the year) -> villages with an activity carried out
    active: Mapping[int, int]


def save_import(db: sqlite_utils.Database, accepted: Accepted) -> None:
    """Pin/advance the province, note the import and replace its year's figures, at once."""
    known = accepted.province
    code, year = known.code, accepted.year
    with db.atomic():
        db.execute(
            "INSERT INTO national_provinces (code, name, public_key, fingerprint, last_seq) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
            "last_seq = excluded.last_seq",
            [code, known.name, known.public_key, known.fingerprint, accepted.seq])
        db.execute(
            "INSERT INTO national_imports (province_code, seq, year, sha256, made_utc, "
            "received_at, villages, enrolled, file_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [code, accepted.seq, year, accepted.sha256, accepted.made_utc,
             accepted.received_at, accepted.villages, accepted.enrolled, accepted.file_name])
        for table in ("national_villages", "national_totals", "national_active"):
            db.execute(f"DELETE FROM {table} WHERE province_code = ? AND year = ?", [code, year])
        db.conn.executemany(
            "INSERT INTO national_villages (province_code, year, village_code, figures) "
            "VALUES (?, ?, ?, ?)",
            ((code, year, village, text) for village, text in accepted.village_figures.items()))
        db.conn.executemany(
            "INSERT INTO national_totals (province_code, year, month, metric, key, value) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            ((code, year, *item, value) for item, value in accepted.totals.items()))
        db.conn.executemany(
            "INSERT INTO national_active (province_code, year, month, villages) "
            "VALUES (?, ?, ?, ?)",
            ((code, year, month, count) for month, count in accepted.active.items()))


@dataclass(frozen=True, slots=True)
class ProvinceLine:
    """One province's part of the national recap of a year (or one month of it)."""

    code: str
    name: str
    villages: int  # desa/kelurahan of the province (as the province counted them)
    enrolled: int
    reporting: int  # villages with at least one activity carried out in the period
    figures: dict[tuple[str, str], int]  # (metric, key) -> sum


def recap(db: sqlite_utils.Database, year: int, month: int | None = None) -> list[ProvinceLine]:
    """Every province's sums of ``year`` (or of its ``month``), from the newest aggregate of
    each province for that year, read from the sums made at import. Members: the census of
    the latest month end counted (up to ``month``)."""
    low, high = (month, month) if month else (1, 12)
    heads = db.execute(
        "SELECT p.code, p.name, i.villages, i.enrolled FROM national_provinces p "
        "JOIN national_imports i ON i.id = (SELECT max(id) FROM national_imports "
        "WHERE province_code = p.code AND year = ?) ORDER BY p.code", [year]).fetchall()
    active = dict(db.execute(
        "SELECT province_code, villages FROM national_active WHERE year = ? AND month = ?",
        [year, month or 0]).fetchall())
    lines = {code: ProvinceLine(code, name, int(villages), int(enrolled),
                                int(active.get(code, 0)), {})
             for code, name, villages, enrolled in heads}
    for code, metric, key, value in db.execute(
        "SELECT province_code, metric, key, sum(value) FROM national_totals "
        "WHERE year = ? AND metric != 'mem' AND month BETWEEN ? AND ? "
        "GROUP BY province_code, metric, key", [year, low, high]):
        if code in lines:
            lines[code].figures[(metric, key)] = int(value)
    for code, key, value in db.execute(
        "SELECT t.province_code, t.key, t.value FROM national_totals t "
        "WHERE t.year = ? AND t.metric = 'mem' AND t.month = (SELECT max(month) "
        "FROM national_totals m WHERE m.province_code = t.province_code AND m.year = t.year "
        "AND m.metric = 'mem' AND m.month <= ?)", [year, high]):
        if code in lines:
            lines[code].figures[("mem", key)] = int(value)
    return list(lines.values())


def years(db: sqlite_utils.Database) -> list[int]:
    return [int(row[0]) for row in db.execute(
        "SELECT DISTINCT year FROM national_imports ORDER BY year DESC")]
