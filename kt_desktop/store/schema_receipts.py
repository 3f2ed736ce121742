"""Migrations 21 and 22: what travels back from the receiver (docs/RECEIPTS.md).

21, village side
* ``receipts_in``: every receipt (tanda terima) the village imported, verified, with its
  number (a lower one later is a replay) and what it says, as JSON. Nothing else of the
  village changes when a receipt is imported.
* ``notices_in`` / ``notice_files``: notices from the receiver, their reference updates and
  whether the secretary applied them (``new``, ``applied``, ``dismissed``; ``info`` for a
  notice with nothing to apply), and their attachments.

22, receiver side
* ``receipts_out``: the receipts made, one rising number per village.
* ``notices_out``: the notices made, one rising number.
* ``import_routes``: the way an accepted bundle came when it did not come straight from the
  village (``via_code``/``via_name``: the kabupaten that passed it on) and the address to
  answer (the ``From`` of the e-mail it came in).

Both run on every file (a file's kind is not known to a migration); the other side's tables
stay empty.
"""

from __future__ import annotations

import sqlite_utils


def migrate_village(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE receipts_in ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " receiver_fingerprint TEXT NOT NULL,"
        " seq INTEGER NOT NULL,"
        " sha256 TEXT NOT NULL UNIQUE,"
        " made_utc TEXT NOT NULL,"
        " imported_at TEXT NOT NULL,"
        " file_name TEXT NOT NULL,"
        " body TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX idx_receipts_in_seq ON receipts_in(receiver_fingerprint, seq)")
    db.execute(
        "CREATE TABLE notices_in ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " receiver_fingerprint TEXT NOT NULL,"
        " seq INTEGER NOT NULL,"
        " sha256 TEXT NOT NULL UNIQUE,"
        " sender TEXT NOT NULL,"
        " title TEXT NOT NULL,"
        " text TEXT NOT NULL,"
        " made_utc TEXT NOT NULL,"
        " imported_at TEXT NOT NULL,"
        " updates TEXT NOT NULL,"
        " state TEXT NOT NULL CHECK (state IN ('info', 'new', 'applied', 'dismissed')),"
        " decided_at TEXT)"
    )
    db.execute(
        "CREATE TABLE notice_files ("
        " notice_id INTEGER NOT NULL REFERENCES notices_in(id),"
        " name TEXT NOT NULL,"
        " sha256 TEXT NOT NULL,"
        " data BLOB NOT NULL,"
        " PRIMARY KEY (notice_id, name))"
    )


def migrate_receiver(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE receipts_out ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " village_code TEXT NOT NULL,"
        " seq INTEGER NOT NULL,"
        " sha256 TEXT NOT NULL,"
        " made_utc TEXT NOT NULL,"
        " file_name TEXT NOT NULL,"
        " UNIQUE (village_code, seq))"
    )
    db.execute(
        "CREATE TABLE notices_out ("
        " seq INTEGER PRIMARY KEY,"
        " title TEXT NOT NULL,"
        " sha256 TEXT NOT NULL,"
        " made_utc TEXT NOT NULL,"
        " villages INTEGER NOT NULL)"
    )
    db.execute(
        "CREATE TABLE import_routes ("
        " import_id INTEGER PRIMARY KEY REFERENCES imports(id),"
        " via_code TEXT,"
        " via_name TEXT,"
        " via_fingerprint TEXT,"
        " reply_to TEXT)"
    )
