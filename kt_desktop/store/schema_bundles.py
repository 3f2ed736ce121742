"""Migration 5: what a file remembers about the bundles it sent or received (docs/DESIGN.md, "The data bundle").

Village side
* ``exports``: one row per bundle that reached its destination and was read back intact.
  The row is written only after that check, so a stick pulled out halfway never uses up a
  sequence number. ``upto_seq`` is the file's ``change_seq`` the bundle covers; the next
  incremental bundle starts after the highest one.
* ``receiver``: the one receiver (province or kabupaten) this village reports to: its public
  X25519 key (bundles are encrypted to it), fingerprint, name and e-mail address.
* ``outbox``: bundles waiting to go out by SMTP, with their state, attempts and last error.

Receiver side
* ``villages``: every village whose bundle was accepted, with the signing key pinned on the
  first one (a later bundle signed by another key is refused) and the last sequence seen.
* ``imports``: one row per accepted bundle, written in the same transaction as its rows.
  ``(village_code, seq)`` is unique: the same sequence with other content is refused.
* ``conflicts``: the losing version of a record when two versions of one record disagree,
  kept so the officer can see both; nothing is thrown away silently.

The record tables themselves are shared: on a receiver, each village's rows live in the same
tables as on the village and keep their ``village_code``.
"""

from __future__ import annotations

import sqlite_utils


def migrate(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE exports ("
        " seq INTEGER PRIMARY KEY,"
        " since_seq INTEGER NOT NULL,"
        " upto_seq INTEGER NOT NULL,"
        " full INTEGER NOT NULL,"
        " file_name TEXT NOT NULL,"
        " sha256 TEXT NOT NULL,"
        " bytes INTEGER NOT NULL,"
        " encrypted INTEGER NOT NULL,"
        " counts TEXT NOT NULL,"
        " created TEXT NOT NULL,"
        " destination TEXT NOT NULL,"
        " state TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE receiver ("
        " id INTEGER PRIMARY KEY CHECK (id = 1),"
        " name TEXT NOT NULL,"
        " area_code TEXT NOT NULL,"
        " email TEXT,"
        " public_key TEXT NOT NULL,"
        " fingerprint TEXT NOT NULL,"
        " installed_at TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE outbox ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " export_seq INTEGER NOT NULL,"
        " path TEXT NOT NULL,"
        " recipient TEXT NOT NULL,"
        " state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),"
        " attempts INTEGER NOT NULL DEFAULT 0,"
        " last_error TEXT,"
        " last_attempt_at TEXT,"
        " next_attempt_at TEXT,"
        " sent_at TEXT,"
        " created_at TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX idx_outbox_state ON outbox(state, next_attempt_at)")
    db.execute(
        "CREATE TABLE villages ("
        " code TEXT PRIMARY KEY,"
        " name TEXT,"
        " public_key TEXT NOT NULL,"
        " fingerprint TEXT NOT NULL,"
        " first_seen TEXT NOT NULL,"
        " last_seq INTEGER NOT NULL DEFAULT 0,"
        " last_full_seq INTEGER NOT NULL DEFAULT 0,"
        " last_bundle_at TEXT,"
        " last_created_utc TEXT)"
    )
    db.execute(
        "CREATE TABLE imports ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " village_code TEXT NOT NULL REFERENCES villages(code),"
        " seq INTEGER NOT NULL,"
        " since_seq INTEGER NOT NULL,"
        " full INTEGER NOT NULL,"
        " sha256 TEXT NOT NULL,"
        " file_name TEXT,"
        " created_utc TEXT NOT NULL,"
        " received_at TEXT NOT NULL,"
        " counts TEXT NOT NULL,"
        " gaps TEXT NOT NULL,"
        " conflicts INTEGER NOT NULL DEFAULT 0,"
        " UNIQUE (village_code, seq))"
    )
    db.execute("CREATE INDEX idx_imports_sha256 ON imports(sha256)")
    db.execute(
        "CREATE TABLE conflicts ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " table_name TEXT NOT NULL,"
        " record_id TEXT NOT NULL,"
        " village_code TEXT NOT NULL,"
        " import_id INTEGER REFERENCES imports(id),"
        " kept TEXT NOT NULL,"
        " lost TEXT NOT NULL,"
        " reason TEXT NOT NULL,"
        " detected_at TEXT NOT NULL,"
        " decided TEXT,"
        " decided_at TEXT)"
    )
    db.execute("CREATE INDEX idx_conflicts_open ON conflicts(decided, village_code)")
