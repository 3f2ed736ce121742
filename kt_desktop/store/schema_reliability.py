"""Migration 7: indexes the audit-log viewer filters on (date range, table).

The log grows by a line per change for years; Pengaturan filters it by date and by table,
and without these indexes every filter would read the whole log.
"""

from __future__ import annotations

import sqlite_utils


def migrate(db: sqlite_utils.Database) -> None:
    db.execute("CREATE INDEX IF NOT EXISTS idx_audit_log_at ON audit_log(at)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_audit_log_table ON audit_log(table_name, id)")
