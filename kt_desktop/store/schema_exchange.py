"""Migration 11: what makes the exchange survive restores and refusals (issue 24).

* ``imports.change_seq``: the receiver's own ``change_seq`` an import wrote its rows with, so
  a full bundle can tell the rows a *later* bundle of the village brought (kept) from the
  rows the village no longer has (removed: a full bundle is the village's whole truth).
* ``imports.restore_epoch``: how many times the village had restored a backup when it made
  the bundle; a bundle made before a restore is refused once a bundle made after it arrived.
* ``refusals``: every bundle the receiver refused, so the list of missing bundles can say
  "refused" instead of "not received" and the officer can see why.

(Number 9 is taken by another branch's migration; numbers need not be contiguous.)
"""

from __future__ import annotations

import sqlite_utils


def migrate(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE imports ADD COLUMN change_seq INTEGER")
    db.execute("ALTER TABLE imports ADD COLUMN restore_epoch INTEGER NOT NULL DEFAULT 0")
    db.execute("CREATE INDEX idx_imports_change_seq ON imports(change_seq)")
    db.execute(
        "CREATE TABLE refusals ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " village_code TEXT NOT NULL,"
        " seq INTEGER NOT NULL,"
        " sha256 TEXT NOT NULL,"
        " code TEXT NOT NULL,"
        " reason TEXT NOT NULL,"
        " file_name TEXT,"
        " refused_at TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX idx_refusals_village ON refusals(village_code, seq)")
