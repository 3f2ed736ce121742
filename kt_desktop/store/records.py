"""The identity and change columns every record table carries, written in one place.

docs/DESIGN.md, "Data model": ``id`` (UUID, never reused), ``village_code``, ``version`` (+1 per edit),
``updated_at`` (UTC), ``change_seq`` (one counter per file, bumped on every write; what
incremental bundles select on) and ``deleted_at`` (tombstone). Every repository writes
records through :func:`insert`, :func:`update` and :func:`tombstone`, which also append
the audit entry in the same transaction, so a change and its audit line land together.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from kt_desktop.domain.errors import NotFoundError
from kt_desktop.domain.formats import utc_now_iso
from kt_desktop.i18n import _
from kt_desktop.store import audit

if TYPE_CHECKING:  # sqlite-utils is not imported before the first window paints (issue 16)
    import sqlite_utils

#: Column definitions shared by every record table (sqlite-utils ``create`` types).
IDENTITY_COLUMNS: dict[str, type] = {
    "id": str,
    "village_code": str,
    "version": int,
    "updated_at": str,
    "change_seq": int,
    "deleted_at": str,
}


def create_record_table(
    db: sqlite_utils.Database,
    name: str,
    columns: Mapping[str, Any],
    *,
    not_null: Iterable[str] = (),
    foreign_keys: Iterable[tuple[str, str, str]] = (),
    defaults: Mapping[str, Any] | None = None,
) -> None:
    """Create ``name`` with the identity columns first, then ``columns``.

    An index on ``change_seq`` is added because incremental bundles select on it.
    """
    all_columns: dict[str, Any] = dict(IDENTITY_COLUMNS)
    all_columns.update(columns)
    db[name].create(  # type: ignore[union-attr]
        all_columns,
        pk="id",
        not_null={"village_code", "version", "updated_at", "change_seq", *not_null},
        foreign_keys=list(foreign_keys),
        defaults=dict(defaults or {}),
    )
    db[name].create_index(["change_seq"], index_name=f"idx_{name}_change_seq")  # type: ignore[union-attr]


def next_change_seq(db: sqlite_utils.Database) -> int:
    """Bump and return the file's change counter (call inside the write's transaction)."""
    db.execute(
        "INSERT INTO counters(name, value) VALUES('change_seq', 1) "
        "ON CONFLICT(name) DO UPDATE SET value = value + 1"
    )
    return int(db.execute("SELECT value FROM counters WHERE name = 'change_seq'").fetchone()[0])


def current_change_seq(db: sqlite_utils.Database) -> int:
    row = db.execute("SELECT value FROM counters WHERE name = 'change_seq'").fetchone()
    return int(row[0]) if row else 0


def new_id() -> str:
    return str(uuid.uuid4())


def insert(
    db: sqlite_utils.Database,
    table: str,
    values: Mapping[str, Any],
    *,
    village_code: str,
    actor: str,
    record_id: str | None = None,
    audit_detail: str | None = None,
) -> str:
    """Insert a new record with fresh identity columns; returns its id."""
    rid = record_id or new_id()
    row = dict(values)
    row.update(
        id=rid,
        village_code=village_code,
        version=1,
        updated_at=utc_now_iso(),
        deleted_at=None,
    )
    with db.atomic():
        row["change_seq"] = next_change_seq(db)
        db[table].insert(row)  # type: ignore[union-attr]
        audit.record(db, "create", table, rid, actor=actor, detail=audit_detail)
    return rid


def _live_row(
    db: sqlite_utils.Database, table: str, record_id: str, village_code: str | None
) -> tuple[int, int]:
    """(rowid, version) of a record that is not removed; NotFoundError when it is gone.

    In a receiver an id is unique only within a village (its key is the village and the
    id, :mod:`kt_desktop.store.schema_receiver_keys`): there ``village_code`` names it."""
    where, params = "id = ? AND deleted_at IS NULL", [record_id]
    if village_code is not None:
        where, params = where + " AND village_code = ?", [record_id, village_code]
    row = db.execute(f"SELECT rowid, version FROM [{table}] WHERE {where}", params).fetchone()
    if row is None:
        raise NotFoundError(_("The record no longer exists (it may have been removed)."))
    return int(row[0]), int(row[1])


def _set(
    db: sqlite_utils.Database, table: str, rowid: int, values: Mapping[str, Any]
) -> None:
    """``UPDATE`` one row (found by :func:`_live_row`) with ``values``."""
    from sqlite_utils.db import jsonify_if_needed

    columns = ", ".join(f"[{name}] = ?" for name in values)
    db.execute(
        f"UPDATE [{table}] SET {columns} WHERE rowid = ?",
        [*(jsonify_if_needed(value) for value in values.values()), rowid],
    )


def update(
    db: sqlite_utils.Database,
    table: str,
    record_id: str,
    changes: Mapping[str, Any],
    *,
    actor: str,
    audit_detail: str | None = None,
    village_code: str | None = None,
) -> None:
    """Apply ``changes`` to a live record: version + 1, new ``updated_at`` and ``change_seq``.
    ``village_code``: the record's village, where an id alone does not name one record (a
    receiver's own profile among the villages')."""
    with db.atomic():
        rowid, version = _live_row(db, table, record_id, village_code)
        values = dict(changes)
        values.update(version=version + 1, updated_at=utc_now_iso(), change_seq=next_change_seq(db))
        _set(db, table, rowid, values)
        audit.record(db, "update", table, record_id, actor=actor, detail=audit_detail)


def tombstone(
    db: sqlite_utils.Database,
    table: str,
    record_id: str,
    *,
    clear: Iterable[str],
    actor: str,
    audit_detail: str | None = None,
    village_code: str | None = None,
) -> None:
    """Mark a record removed and clear its personal columns at once (``village_code`` as
    for :func:`update`).

    The row stays (so the removal travels in the next bundle); the cleared values are gone
    from the file once the page is rewritten, ``secure_delete`` being on.
    """
    with db.atomic():
        rowid, version = _live_row(db, table, record_id, village_code)
        now = utc_now_iso()
        values: dict[str, Any] = {column: None for column in clear}
        values.update(
            version=version + 1,
            updated_at=now,
            deleted_at=now,
            change_seq=next_change_seq(db),
        )
        _set(db, table, rowid, values)
        audit.record(db, "remove", table, record_id, actor=actor, detail=audit_detail)


class _HasId(Protocol):
    id: str | None


Item = TypeVar("Item", bound=_HasId)


@dataclass(frozen=True)
class Writer(Generic[Item]):
    """The insert, update and removal of one kind of record, from its ``values`` mapping.

    A repository declares one per table (``SESSIONS = Writer("training_sessions",
    _session_values)``) instead of writing the same three functions around :func:`insert`,
    :func:`update` and :func:`tombstone` for every table.
    """

    table: str
    values: Callable[[Item], Mapping[str, Any]]
    #: Personal columns a removal clears.
    clear: tuple[str, ...] = ()

    def insert(self, db: sqlite_utils.Database, item: Item, *, village_code: str,
               actor: str) -> str:
        return insert(db, self.table, self.values(item), village_code=village_code, actor=actor)

    def update(self, db: sqlite_utils.Database, item: Item, *, actor: str,
               detail: str | None = None) -> None:
        assert item.id, "only a stored record can be updated"
        update(db, self.table, item.id, self.values(item), actor=actor, audit_detail=detail)

    def remove(self, db: sqlite_utils.Database, record_id: str, *, actor: str) -> None:
        tombstone(db, self.table, record_id, clear=self.clear, actor=actor)
