"""Schema versions, keyed on ``PRAGMA user_version``.

Each migration is one function run in one transaction; before the first migration runs on
a file that already holds data, a ``VACUUM INTO`` copy is written beside the backups, so a
failed or unwanted upgrade can always be undone.

Numbers are fixed once released: add new migrations at the end, never edit old ones.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kt_desktop.domain.errors import DataFileError
from kt_desktop.i18n import _
from kt_desktop.store import connection

if TYPE_CHECKING:  # sqlite-utils is not imported before the first window paints (issue 16)
    import sqlite_utils


Migration = Callable[["sqlite_utils.Database"], None]

#: (version, "module:function") in order. Modules are imported only when needed.
MIGRATIONS: list[tuple[int, str]] = [
    (1, "kt_desktop.store.schema_core:migrate"),
    (2, "kt_desktop.store.schema_members:migrate"),
    (3, "kt_desktop.store.schema_activities:migrate"),
    (4, "kt_desktop.store.schema_trainings:migrate"),
    (5, "kt_desktop.store.schema_bundles:migrate"),
    (6, "kt_desktop.store.schema_receiver:migrate"),
    (7, "kt_desktop.store.schema_reliability:migrate"),
    (8, "kt_desktop.store.schema_reports:migrate"),
    (9, "kt_desktop.store.schema_identity:migrate"),
    (10, "kt_desktop.store.schema_books:migrate_tamu"),
    (11, "kt_desktop.store.schema_exchange:migrate"),
    (12, "kt_desktop.store.schema_books:migrate_kas"),
    (13, "kt_desktop.store.schema_books:migrate_rapat"),
    (14, "kt_desktop.store.schema_books:migrate_surat"),
    (15, "kt_desktop.store.schema_books:migrate_dues"),
    (17, "kt_desktop.store.schema_books:migrate_pengurus"),
    (18, "kt_desktop.store.schema_books:migrate_inventaris"),
    (19, "kt_desktop.store.schema_books:migrate_program_kerja"),
    (20, "kt_desktop.store.schema_activities:migrate_program_link"),
    (21, "kt_desktop.store.schema_receipts:migrate_village"),
    (22, "kt_desktop.store.schema_receipts:migrate_receiver"),
    (23, "kt_desktop.store.schema_national:migrate"),
    (24, "kt_desktop.store.schema_receiver:migrate_region_rollup"),
    (25, "kt_desktop.store.schema_receiver:migrate_duplicate_pages"),
    (26, "kt_desktop.store.schema_receiver:migrate_village_joins"),
    (27, "kt_desktop.store.schema_receiver_keys:migrate"),
]


def latest_version() -> int:
    return MIGRATIONS[-1][0]


#: Migrations that rebuild tables holding rows, so run with foreign keys off (SQLite's
#: procedure for changing a table: a parent dropped and made again would otherwise leave
#: its children's rows in violation meanwhile). Each checks what it leaves itself.
FOREIGN_KEYS_OFF = frozenset({27})


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def _load(target: str) -> Migration:
    module_name, function_name = target.split(":")
    return getattr(importlib.import_module(module_name), function_name)


def pending(db: sqlite_utils.Database) -> list[int]:
    current = schema_version(db)
    return [version for version, _target in MIGRATIONS if version > current]


def migrate(
    db: sqlite_utils.Database, *, backup_to: Path | None = None, up_to: int | None = None
) -> list[int]:
    """Bring ``db`` to the latest schema; returns the versions applied.

    ``backup_to`` is the file the pre-migration copy goes to (only written when the file
    already had a schema). A file newer than this program is refused: it was written by a
    newer KT Desktop, and an older one must not guess at its tables. ``up_to`` stops at that
    version (the reference schema of an older file, :mod:`kt_desktop.store.schema_reference`).
    """
    current = schema_version(db)
    if current > latest_version():
        raise DataFileError(
            _(
                "This data file was made by a newer KT Desktop (schema {found}, this program "
                "knows {known}). Update the application."
            ).format(found=current, known=latest_version()),
            code="newer_schema",
        )
    last = latest_version() if up_to is None else up_to
    todo = [(version, target) for version, target in MIGRATIONS if current < version <= last]
    if not todo:
        return []
    if current > 0 and backup_to is not None:
        backup_to.parent.mkdir(parents=True, exist_ok=True)
        if backup_to.exists():
            backup_to.unlink()
        with connection.copying_to(db, backup_to):
            db.execute("VACUUM INTO ?", [str(backup_to)])
    applied = []
    for version, target in todo:
        function = _load(target)
        if version in FOREIGN_KEYS_OFF:
            db.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction: before it
        try:
            with db.atomic():
                function(db)
                db.execute(f"PRAGMA user_version = {int(version)}")
        finally:
            if version in FOREIGN_KEYS_OFF:
                db.execute("PRAGMA foreign_keys = ON")
        applied.append(version)
    return applied
