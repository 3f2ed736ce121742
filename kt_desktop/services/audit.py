"""The audit log as Pengaturan shows it: filtered by action, table and date range, paged.

The log itself is written by :mod:`kt_desktop.store.audit` in the same transaction as each
change; this module only reads it. Times are stored in UTC and shown in the laptop's local
time; a date range is whole local days.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kt_desktop.domain import clock
from kt_desktop.i18n import N_, _
from kt_desktop.services.session import Session
from kt_desktop.store import audit

#: What each action is called on screen (store.audit.ACTIONS holds the stored words).
ACTION_LABELS: dict[str, str] = {
    "create": N_("Added"),
    "update": N_("Changed"),
    "remove": N_("Removed"),
    "restore": N_("Restored"),
    "print": N_("Printed"),
    "export": N_("Exported"),
    "import": N_("Imported"),
    "backup": N_("Backed up"),
    "reveal": N_("NIK shown"),
    "setup": N_("Set up"),
    "migrate": N_("Program update"),
}

TABLE_LABELS: dict[str, str] = {
    "profile": N_("Profile"),
    "members": N_("Members"),
    "activities": N_("Activities"),
    "activity_participants": N_("Activity participants"),
    "activity_beneficiaries": N_("Beneficiaries"),
    "trainings": N_("Trainings"),
    "training_sessions": N_("Training sessions"),
    "training_participants": N_("Training participants"),
    "training_attendance": N_("Training attendance"),
    "training_outcomes": N_("Training outcomes"),
    "activity_funds": N_("Activity funds"),
    "training_certificates": N_("Certificates"),
    "monthly_report_notes": N_("Monthly report notes"),
    "conflicts": N_("Conflicts"),
    "village_status": N_("Village status"),
    "attachments": N_("Photos"),
    "settings": N_("Settings"),
    "exports": N_("Data sent"),
    "imports": N_("Data received"),
    "villages": N_("Villages"),
}

_RAW_PAGE = 500


@dataclass(frozen=True, slots=True)
class AuditFilter:
    action: str | None = None
    table: str | None = None
    date_from: dt.date | None = None  # local date, inclusive
    date_to: dt.date | None = None  # local date, inclusive


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: dt.datetime  # local time
    actor: str
    action: str
    table: str | None
    record_id: str | None
    detail: str | None

    @property
    def action_label(self) -> str:
        return _(ACTION_LABELS[self.action]) if self.action in ACTION_LABELS else self.action

    @property
    def table_label(self) -> str:
        return table_label(self.table) if self.table else ""


@dataclass(frozen=True, slots=True)
class AuditPage:
    rows: list[AuditRow]
    next_offset: int | None  # pass back to get the following page; None at the end


#: A record id as stored (a uuid's hex, or its first 8 characters): never shown as it is.
_RECORD_ID = re.compile(r"\b[0-9a-f]{8}(?:-?[0-9a-f]{4}){0,4}[0-9a-f]*\b")
#: What the store writes about a record's owner, in words a secretary reads.
_OWNERS = (
    (re.compile(r"^activity [0-9a-f-]{8,}$"), N_("of an activity")),
    (re.compile(r"^with training [0-9a-f-]{8,}$"), N_("with its training")),
    (re.compile(r"^with session [0-9a-f-]{8,}$"), N_("with its session")),
    (re.compile(r"^with participant [0-9a-f-]{8,}$"), N_("with its participant")),
)


def _attendance_word(code: str) -> str:
    from kt_desktop.domain.trainings import ATTENDANCE_LABELS

    return _(ATTENDANCE_LABELS[code]) if code in ATTENDANCE_LABELS else code


def detail_text(row: AuditRow) -> str:
    """A log line's details in words: the store writes ``activity 890feb82…``, a bare
    attendance code ``H`` or ``H->A`` and ``file -> folder``; a secretary reads "of an
    activity", "Hadir → Alpa" and "file → folder" (issue 16: raw codes on screen)."""
    detail = (row.detail or "").strip()
    if not detail:
        return ""
    for pattern, words in _OWNERS:
        if pattern.match(detail):
            return _(words)
    if row.table == "training_attendance":
        old, arrow, new = detail.partition("->")
        if arrow:
            return f"{_attendance_word(old)} \u2192 {_attendance_word(new)}"
        return _attendance_word(detail)
    detail = detail.replace(" -> ", " \u2192 ").replace("->", " \u2192 ")
    return _RECORD_ID.sub("\u2026", detail)


def record_text(row: AuditRow) -> str:
    """The record a line is about: a number (a paket data's) as it is; a stored id, which
    says nothing to a reader, not at all (it stays in the tooltip)."""
    record_id = row.record_id or ""
    return "" if _RECORD_ID.fullmatch(record_id) else record_id


def table_label(table: str) -> str:
    """The Indonesian name of a record table: its label, or a declared book's title (a new
    book needs no line here), never the raw table name when either is known."""
    if table in TABLE_LABELS:
        return _(TABLE_LABELS[table])
    from kt_desktop.domain.book import all_books

    for spec in all_books():
        if spec.table == table:
            return _(spec.title)
    return table


def _utc_bound(day: dt.date) -> str:
    """Local midnight of ``day`` as the UTC ISO text the log stores (comparable as text)."""
    local = dt.datetime.combine(day, dt.time()) - clock.zone().offset
    return local.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _local(at: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return clock.in_zone(parsed)


def page(session: Session, flt: AuditFilter, *, offset: int = 0, limit: int = 200) -> AuditPage:
    """Up to ``limit`` entries matching ``flt``, newest first, starting at raw ``offset``.

    Action and table are filtered in SQL; the date range walks the log newest-first (it is
    append-only, so ``at`` falls with ``id``) and stops at the first line older than the
    range, so an old range reads only the lines in front of it.
    """
    since = _utc_bound(flt.date_from) if flt.date_from else None
    until = _utc_bound(flt.date_to + dt.timedelta(days=1)) if flt.date_to else None
    db = session.db()
    rows: list[AuditRow] = []
    raw_offset = offset
    while len(rows) < limit:
        batch = audit.entries(
            db, action=flt.action, table=flt.table, limit=_RAW_PAGE, offset=raw_offset
        )
        if not batch:
            return AuditPage(rows, None)
        for index, entry in enumerate(batch):
            if since is not None and entry.at < since:
                return AuditPage(rows, None)
            if until is None or entry.at < until:
                rows.append(
                    AuditRow(
                        id=entry.id, at=_local(entry.at), actor=entry.actor,
                        action=entry.action, table=entry.table_name,
                        record_id=entry.record_id, detail=entry.detail,
                    )
                )
                if len(rows) == limit:
                    return AuditPage(rows, raw_offset + index + 1)
        raw_offset += len(batch)
    return AuditPage(rows, raw_offset)


def actions() -> list[tuple[str, str]]:
    """``(stored word, label)`` for the action filter, in the order of store.audit.ACTIONS."""
    return [(action, _(ACTION_LABELS.get(action, action))) for action in audit.ACTIONS]


def tables(session: Session) -> list[tuple[str, str]]:
    """``(table, label)`` of the record tables this file has, for the table filter."""
    present = set(session.db().table_names())
    return [(name, _(label)) for name, label in TABLE_LABELS.items() if name in present]
