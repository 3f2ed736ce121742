"""The SQL of the letters' register: the yearly sequence of outgoing numbers and the
secretary's settings of the letters (the number pattern, edited templates).

A number is never given twice: the next sequence of a year is one past the highest ever
given in that year, removed letters (tombstones keep their sequence) and cancelled ones
included; a unique index (migration 14) holds the rule even against a race.
"""

from __future__ import annotations

import sqlite_utils

from kt_desktop.store import settings

TABLE = "letters_out"
PATTERN = "letter_number_pattern"
_TEMPLATE = "letter_template:"


def next_sequence(db: sqlite_utils.Database, village_code: str, year: int) -> int:
    row = db.execute(
        f"SELECT max(sequence) FROM {TABLE} WHERE village_code = ? "
        "AND substr(letter_date, 1, 4) = ?", [village_code, f"{year:04d}"]).fetchone()
    return int(row[0] or 0) + 1


def sequence_taken(db: sqlite_utils.Database, village_code: str, year: int, sequence: int
                   ) -> bool:
    return db.execute(
        f"SELECT 1 FROM {TABLE} WHERE village_code = ? AND substr(letter_date, 1, 4) = ? "
        "AND sequence = ?", [village_code, f"{year:04d}", sequence]).fetchone() is not None


def number_recorded(db: sqlite_utils.Database, village_code: str, number: str) -> bool:
    if not db[TABLE].exists():
        return False
    return db.execute(f"SELECT 1 FROM {TABLE} WHERE village_code = ? AND number = ? "
                      "AND deleted_at IS NULL", [village_code, number]).fetchone() is not None


def pattern(db: sqlite_utils.Database) -> str | None:
    return settings.get(db, PATTERN)


def set_pattern(db: sqlite_utils.Database, value: str | None) -> None:
    if value is None:
        db.execute("DELETE FROM settings WHERE key = ?", [PATTERN])
    else:
        settings.put(db, PATTERN, value)


def template_body(db: sqlite_utils.Database, key: str) -> str | None:
    return settings.get(db, _TEMPLATE + key)


def set_template_body(db: sqlite_utils.Database, key: str, body: str | None) -> None:
    if body is None:
        db.execute("DELETE FROM settings WHERE key = ?", [_TEMPLATE + key])
    else:
        settings.put(db, _TEMPLATE + key, body)


def open_dispositions(db: sqlite_utils.Database, until: str) -> list[tuple[str, str, str, str]]:
    """``(subject, sender, disposition to, due)`` of the incoming letters not followed up
    whose due date is ``until`` (ISO) or earlier, the earliest first."""
    if not db["letters_in"].exists():
        return []
    return [(r[0], r[1], r[2] or "", r[3]) for r in db.execute(
        "SELECT subject, sender, disposition_to, due_date FROM letters_in "
        "WHERE deleted_at IS NULL AND coalesce(state, '') <> 'selesai' "
        "AND due_date IS NOT NULL AND due_date <= ? ORDER BY due_date", [until])]
