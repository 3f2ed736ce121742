"""The SQL of "how complete are the books": entries written lately and the gaps to fill.

Every function takes an optional ``village`` (a code): a village file holds one village, a
receiver many, and the same question is asked of both (the self-assessment, the ranking).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils


@dataclass(frozen=True, slots=True)
class Written:
    """How much of a record table is live, and how much was written since two moments."""

    total: int
    recent: int  # written (added or changed) since the first moment (30 days)
    lately: int  # since the second (90 days)
    last: str | None  # the newest ``updated_at`` (UTC ISO), None when empty


@dataclass(frozen=True, slots=True)
class Item:
    """A record a gap names: its id, what to call it and its date (may be None)."""

    id: str
    label: str
    day: dt.date | None


def _village(village: str | None, alias: str = "") -> tuple[str, list[Any]]:
    return (f" AND {alias}village_code = ?", [village]) if village else ("", [])


def has_table(db: sqlite_utils.Database, table: str) -> bool:
    """Whether ``table`` exists (one indexed look-up: the ranking asks it per village)."""
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                      [table]).fetchone() is not None


def written(db: sqlite_utils.Database, table: str, recent: str, lately: str,
            village: str | None = None) -> Written:
    """Live rows of ``table`` and how many were written since ``recent``/``lately`` (UTC ISO
    moments, compared as text like every ``updated_at``)."""
    if not has_table(db, table):
        return Written(0, 0, 0, None)
    where, params = _village(village)
    row = db.execute(
        f"SELECT count(*), coalesce(sum(updated_at >= ?), 0), coalesce(sum(updated_at >= ?), 0), "
        f"max(updated_at) FROM [{table}] WHERE deleted_at IS NULL{where}",
        [recent, lately, *params]).fetchone()
    return Written(int(row[0]), int(row[1]), int(row[2]), row[3])


def last_written(db: sqlite_utils.Database, tables: Sequence[str]) -> dict[str, str]:
    """``{village: newest updated_at}`` over ``tables`` (a receiver: when each village last
    wrote anything in its books)."""
    found: dict[str, str] = {}
    for table in tables:
        if not has_table(db, table):
            continue
        for village, last in db.execute(
                f"SELECT village_code, max(updated_at) FROM [{table}] GROUP BY village_code"):
            if last and (village not in found or last > found[village]):
                found[village] = last
    return found


def report_months(db: sqlite_utils.Database, village: str | None = None) -> set[str]:
    """The months (``YYYY-MM``) a monthly report was made for (its notes are kept)."""
    if not has_table(db, "monthly_report_notes"):
        return set()
    where, params = _village(village)
    return {row[0] for row in db.execute(
        f"SELECT month FROM monthly_report_notes WHERE deleted_at IS NULL{where}", params)}


def _items(rows: Any) -> list[Item]:
    return [Item(row[0], row[1] or "", dt.date.fromisoformat(row[2]) if row[2] else None)
            for row in rows]


_DONE = "a.deleted_at IS NULL AND a.status = 'terlaksana'"
_NO_PHOTO = ("NOT EXISTS (SELECT 1 FROM attachments p WHERE p.owner_table = 'activities' "
             "AND p.owner_id = a.id AND p.deleted_at IS NULL)")
_FUNDED = ("EXISTS (SELECT 1 FROM activity_funds f WHERE f.activity_id = a.id "
           "AND f.deleted_at IS NULL AND f.amount > 0)")


def activities_without_photo(db: sqlite_utils.Database, village: str | None = None
                             ) -> list[Item]:
    """Activities carried out that have no documentation photo, newest first."""
    where, params = _village(village, "a.")
    return _items(db.execute(
        f"SELECT a.id, a.title, a.start_date FROM activities a WHERE {_DONE} AND {_NO_PHOTO}"
        f"{where} ORDER BY a.start_date DESC, a.rowid DESC", params))


def activities_without_lpj(db: sqlite_utils.Database) -> list[Item]:
    """Activities carried out with funds whose LPJ was never printed (the print of an LPJ
    is audited on the cash book with the activity's id), newest first."""
    return _items(db.execute(
        f"SELECT a.id, a.title, a.start_date FROM activities a WHERE {_DONE} AND {_FUNDED} "
        "AND NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.action = 'print' "
        "AND l.table_name = 'cash_book' AND l.record_id = a.id) "
        "ORDER BY a.start_date DESC, a.rowid DESC"))


def members_without_nik_reason(db: sqlite_utils.Database, village: str | None = None
                               ) -> list[Item]:
    """Members with no NIK and no reason written for it, by name."""
    where, params = _village(village)
    return _items(db.execute(
        "SELECT id, name, NULL FROM members WHERE deleted_at IS NULL "
        "AND coalesce(nik, '') = '' AND coalesce(trim(nik_missing_reason), '') = ''"
        f"{where} ORDER BY name COLLATE NOCASE", params))
