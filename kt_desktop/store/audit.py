"""The append-only audit log: when, who, what, on which record — never a NIK.

Written in the same transaction as the change it records (callers are inside
``db.atomic()``), so there is no change without its line and no line without its change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kt_desktop.domain.formats import utc_now_iso
from kt_desktop.store.rows import where

if TYPE_CHECKING:  # sqlite-utils is not imported before the first window paints (issue 16)
    import sqlite_utils

ACTIONS = (
    "create", "update", "remove", "restore", "print", "export", "import", "backup",
    "reveal", "setup", "migrate",
)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    table_name: str | None
    record_id: str | None
    detail: str | None


def record(
    db: sqlite_utils.Database,
    action: str,
    table: str | None,
    record_id: str | None,
    *,
    actor: str,
    detail: str | None = None,
) -> None:
    db.execute(
        "INSERT INTO audit_log(at, actor, action, table_name, record_id, detail) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [utc_now_iso(), actor, action, table, record_id, detail],
    )


def entries(
    db: sqlite_utils.Database,
    *,
    action: str | None = None,
    table: str | None = None,
    limit: int = 500,
    offset: int = 0,
) -> list[AuditEntry]:
    """Newest first, optionally filtered (Pengaturan shows these)."""
    clause, params = where(("action = ?", action), ("table_name = ?", table))
    rows = db.execute(
        "SELECT id, at, actor, action, table_name, record_id, detail FROM audit_log "
        f"{clause} ORDER BY id DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return [AuditEntry(*row) for row in rows]
