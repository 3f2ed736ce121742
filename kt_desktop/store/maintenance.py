"""Integrity checks and counts over the whole file."""

from __future__ import annotations

import sqlite_utils


def integrity_problems(db: sqlite_utils.Database, *, quick: bool = False) -> list[str]:
    """SQLite's own check plus foreign keys; an empty list means the file is sound."""
    pragma = "quick_check" if quick else "integrity_check"
    problems = [row[0] for row in db.execute(f"PRAGMA {pragma}").fetchall() if row[0] != "ok"]
    for table, rowid, parent, _fk in db.execute("PRAGMA foreign_key_check").fetchall():
        problems.append(f"foreign key: {table} row {rowid} -> {parent}")
    return problems


def live_counts(db: sqlite_utils.Database, tables: list[str]) -> dict[str, int]:
    """Rows not removed, per record table that exists in this file."""
    existing = set(db.table_names())
    counts = {}
    for table in tables:
        if table in existing:
            counts[table] = int(
                db.execute(f"SELECT count(*) FROM [{table}] WHERE deleted_at IS NULL").fetchone()[0]
            )
    return counts
