"""``kt-desktop check``: is this file sound, and which schema does it have."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from kt_desktop.domain.errors import DataFileError, reason_text
from kt_desktop.i18n import N_, _
from kt_desktop.store import (
    bulk_import,
    connection,
    maintenance,
    migrations,
    schema_reference,
    settings,
)

#: Record tables counted in the check's summary (areas add theirs here).
COUNTED_TABLES = [
    "members", "activities", "trainings", "training_participants",
]


#: How a schema object's kind is named in a problem line.
_KINDS = {
    "table": N_("table"),
    "view": N_("view"),
    "index": N_("index"),
    "trigger": N_("trigger"),
}


def schema_problems(db: sqlite_utils.Database, version: int) -> list[str]:
    """Each object of the file's schema that differs from the program's own, in words.

    A file from someone else may hold a view in place of a table, or a trigger that copies
    what is written into a hidden table; the program never made those, so they are named.
    Indexes and search triggers an interrupted bulk import set aside are not: opening the
    file builds them again from the program's own schema.
    """
    pending = bulk_import.is_pending(db)
    problems = []
    for difference in schema_reference.differences(db, version):
        item = difference.object
        kind = _(_KINDS.get(item.type, item.type))
        if difference.kind == "extra":
            problems.append(
                _(
                    "The file holds a {kind} '{name}' (on {table}) that KT Desktop does not "
                    "make; it can change what the program reads or writes. Use a backup "
                    "or ask whoever gave you the file."
                ).format(kind=kind, name=item.name, table=item.table)
            )
        elif difference.kind == "changed":
            problems.append(
                _(
                    "The {kind} '{name}' in the file is not the one KT Desktop makes; it can "
                    "change what the program reads or writes. Use a backup or ask whoever "
                    "gave you the file."
                ).format(kind=kind, name=item.name)
            )
        elif not (pending and bulk_import.rebuilds(item)):
            problems.append(
                _("The {kind} '{name}' is missing from the file. Use a backup.").format(
                    kind=kind, name=item.name
                )
            )
    return problems


def _book_tables() -> list[str]:
    """Every declared book's table: a new book is counted by ``check`` without a line here."""
    from kt_desktop.domain.book import all_books

    return [spec.table for spec in all_books()]


@dataclass(slots=True)
class CheckResult:
    path: Path
    ok: bool
    kind: str | None
    code: str | None
    schema_version: int
    latest_version: int
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def check(path: str | Path) -> CheckResult:
    """Read-only: opens the file, never migrates or writes it."""
    path = Path(path)
    db = connection.connect(path)
    try:
        try:
            version = migrations.schema_version(db)
            problems = maintenance.integrity_problems(db)
        except Exception as exc:  # sqlite3.DatabaseError on a damaged file
            raise DataFileError(
                _("Data file {path} is damaged: {reason}").format(path=path, reason=reason_text(exc)),
                code="damaged",
            ) from exc
        latest = migrations.latest_version()
        kind = code = None
        counts: dict[str, int] = {}
        if version == 0:
            problems.append(_("The file has no KT Desktop schema (run 'kt-desktop init')."))
        else:
            kind = settings.get(db, settings.FILE_KIND)
            code = settings.get(
                db, settings.VILLAGE_CODE if kind == "village" else settings.AREA_CODE
            )
            if kind is None:
                problems.append(_("The file is not set up yet (run 'kt-desktop init')."))
            if version <= latest:
                problems += schema_problems(db, version)
            counts = maintenance.live_counts(db, COUNTED_TABLES + _book_tables())
            if kind == "receiver" and version == latest:
                from kt_desktop.services.receiver import rollup_problems

                problems += rollup_problems(db)
        if version > latest:
            problems.append(
                _("Schema {found} is newer than this program ({known}): update it.").format(
                    found=version, known=latest
                )
            )
        return CheckResult(
            path=path,
            ok=not problems,
            kind=kind,
            code=code,
            schema_version=version,
            latest_version=latest,
            problems=problems,
            counts=counts,
        )
    finally:
        db.close()
