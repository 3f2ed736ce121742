"""Members' dues (iuran anggota): the payments recorded in the cash book, and the settings.

A payment is a cash entry naming ``member_id`` and ``dues_month`` (migration 15), so dues
travel in bundles, print in the cash book and close with its months like any entry. The
rate and the exempt members are settings of the file.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from kt_desktop.domain.book import book
from kt_desktop.store import settings

RATE_SETTING = "dues_rate"  # whole rupiah a month
EXEMPT_SETTING = "dues_exempt"  # JSON {member_id: reason}


def paid(db: sqlite_utils.Database, village_code: str, first: str, last: str
         ) -> dict[tuple[str, str], tuple[int, list[str]]]:
    """``{(member_id, "YYYY-MM"): (net amount paid, [entry ids])}`` for the months from
    ``first`` to ``last`` (a correction's reversing entry cancels what it corrects)."""
    table = book("kas").table
    found: dict[tuple[str, str], tuple[int, list[str]]] = {}
    for member_id, month, entry_id, receipt, expense in db.execute(
        f"SELECT member_id, dues_month, id, coalesce(receipt, 0), coalesce(expense, 0) "
        f"FROM [{table}] WHERE deleted_at IS NULL AND member_id IS NOT NULL "
        "AND member_id != '' AND village_code = ? AND dues_month BETWEEN ? AND ? "
        "ORDER BY entry_date, rowid", [village_code, first, last]):
        amount, ids = found.get((member_id, month), (0, []))
        found[(member_id, month)] = (amount + receipt - expense, [*ids, entry_id])
    return found


def _json(db: sqlite_utils.Database, key: str, default: Any) -> Any:
    raw = settings.get(db, key)
    if not raw:
        return default
    try:
        return json.loads(raw)
    except ValueError:
        return default


def rate(db: sqlite_utils.Database) -> int:
    value = settings.get(db, RATE_SETTING)
    return int(value) if value and value.isdigit() else 0


def put_rate(db: sqlite_utils.Database, amount: int) -> None:
    settings.put(db, RATE_SETTING, str(int(amount)))


def exempt(db: sqlite_utils.Database) -> dict[str, str]:
    found = _json(db, EXEMPT_SETTING, {})
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def put_exempt(db: sqlite_utils.Database, members: dict[str, str]) -> None:
    settings.put(db, EXEMPT_SETTING, json.dumps(members, ensure_ascii=False, sort_keys=True))


def members(db: sqlite_utils.Database) -> list[tuple[str, str, str, str | None, str | None]]:
    """``(id, name, status, joined_on, left_on)`` of the register's live members, by name."""
    return [tuple(row) for row in db.execute(  # type: ignore[misc]
        "SELECT id, name, status, joined_on, left_on FROM members "
        "WHERE deleted_at IS NULL ORDER BY name COLLATE NOCASE, id")]
