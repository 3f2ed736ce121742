"""Migration 1: the tables every data file has, village or receiver."""

from __future__ import annotations

import sqlite_utils

from kt_desktop.store.records import create_record_table


def migrate(db: sqlite_utils.Database) -> None:
    db["settings"].create({"key": str, "value": str}, pk="key")  # type: ignore[union-attr]
    db["counters"].create({"name": str, "value": int}, pk="name")  # type: ignore[union-attr]
    db.execute(
        "CREATE TABLE audit_log ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
        " table_name TEXT, record_id TEXT, detail TEXT)"
    )
    db.execute("CREATE INDEX idx_audit_log_action ON audit_log(action)")
    # Append-only: the log is evidence, so SQL itself refuses to rewrite it.
    db.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )
    create_record_table(
        db,
        "profile",
        {
            "name": str,
            "short_name": str,
            "street": str,
            "rt": str,
            "rw": str,
            "dusun": str,
            "postal_code": str,
            "phone": str,
            "email": str,
            "ketua": str,
            "sekretaris": str,
            "bendahara": str,
            "kepala_desa": str,
            "sk_number": str,
            "sk_date": str,
            "term_start": str,
            "term_end": str,
            "logo": bytes,
            "logo_mime": str,
        },
    )
