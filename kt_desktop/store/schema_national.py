"""Migration 23: the province→national aggregates (docs/NATIONAL.md).

Province side
* ``aggregates_out``: every aggregate the province exported, one rising number (a national
  file refuses a number it has passed: a replay), its year and file's SHA-256.

National side (a receiver file for code "00", Indonesia)
* ``national_provinces``: each province whose aggregate was accepted, its pinned signing key
  (the first aggregate pins it; another key is refused) and the newest number accepted.
* ``national_imports``: every accepted aggregate (SHA-256 unique: the same file again is
  "already imported").
* ``national_villages``: each village's figures of a year as they came (one row per village,
  twelve monthly values per figure); no names, no NIK.
* ``national_totals`` / ``national_active``: the province's sums by month × metric × key
  and its villages active per month (month 0: the year), added up at import so the
  national recap reads a few thousand rows, never the 83,762 villages.
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
        "CREATE TABLE national_villages ("
        " province_code TEXT NOT NULL,"
        " year INTEGER NOT NULL,"
        " village_code TEXT NOT NULL,"
        " figures TEXT NOT NULL,"  # as it came: "key:m1,...,m12;key:..." (docs/NATIONAL.md)
        " PRIMARY KEY (province_code, year, village_code)) WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE national_totals ("
        " province_code TEXT NOT NULL,"
        " year INTEGER NOT NULL,"
        " month INTEGER NOT NULL,"  # 1-12
        " metric TEXT NOT NULL,"
        " key TEXT NOT NULL,"
        " value INTEGER NOT NULL,"
        " PRIMARY KEY (province_code, year, month, metric, key)) WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE national_active ("
        " province_code TEXT NOT NULL,"
        " year INTEGER NOT NULL,"
        " month INTEGER NOT NULL,"  # 0: the whole year
        " villages INTEGER NOT NULL,"
        " PRIMARY KEY (province_code, year, month)) WITHOUT ROWID"
    )
