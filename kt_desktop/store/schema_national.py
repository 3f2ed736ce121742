"""Migration 23: the province→national aggregates (docs/NATIONAL.md).

Province side
* ``aggregates_out``: every aggregate the province exported, one rising number (a national
  file refuses a number it has passed: a replay), its year and file's SHA-256.

National side (a receiver file for code "00", Indonesia)
* ``national_provinces``: each province whose aggregate was accepted, its pinned signing key
  (the first aggregate pins it; another key is refused) and the newest number accepted.
* ``national_imports``: every accepted aggregate (SHA-256 unique: the same file again is
  "already imported").
* ``national_counts``: the figures, by village × period (month ``YYYY-MM`` or census date
  ``YYYY-MM-DD``) × metric × key, as the province's roll-up counted them; no names, no NIK.
  An accepted aggregate replaces the province's rows of its year.

Runs on every file (a migration does not know the file's kind); other files leave the tables
empty.
"""

from __future__ import annotations

import sqlite_utils


def migrate(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE aggregates_out ("
        " seq INTEGER PRIMARY KEY,"
        " year INTEGER NOT NULL,"
        " sha256 TEXT NOT NULL,"
        " made_utc TEXT NOT NULL,"
        " file_name TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE national_provinces ("
        " code TEXT PRIMARY KEY,"
        " name TEXT NOT NULL,"
        " public_key TEXT NOT NULL,"
        " fingerprint TEXT NOT NULL,"
        " last_seq INTEGER NOT NULL)"
    )
    db.execute(
        "CREATE TABLE national_imports ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " province_code TEXT NOT NULL,"
        " seq INTEGER NOT NULL,"
        " year INTEGER NOT NULL,"
        " sha256 TEXT NOT NULL UNIQUE,"
        " made_utc TEXT NOT NULL,"
        " received_at TEXT NOT NULL,"
        " villages INTEGER NOT NULL,"
        " enrolled INTEGER NOT NULL,"
        " file_name TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE national_counts ("
        " province_code TEXT NOT NULL,"
        " year INTEGER NOT NULL,"
        " village_code TEXT NOT NULL,"
        " period TEXT NOT NULL,"
        " metric TEXT NOT NULL,"
        " key TEXT NOT NULL,"
        " value INTEGER NOT NULL,"
        " PRIMARY KEY (province_code, year, metric, period, village_code, key)) WITHOUT ROWID"
    )
