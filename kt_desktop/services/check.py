"""``kt-desktop check``: is this file sound, and which schema does it have."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kt_desktop.domain.errors import DataFileError, reason_text
from kt_desktop.i18n import _
from kt_desktop.store import connection, maintenance, migrations, settings

#: Record tables counted in the check's summary (areas add theirs here).
COUNTED_TABLES = [
    "members", "activities", "trainings", "training_participants",
]


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
            counts = maintenance.live_counts(db, COUNTED_TABLES)
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
