"""The SQL of meetings beyond the book framework: the open follow-ups across meetings, and
the names of the members they point at."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils


@dataclass(frozen=True, slots=True)
class OpenFollowUp:
    id: str
    meeting_id: str
    meeting_title: str
    meeting_date: dt.date
    kind: str
    task: str
    member_id: str
    due: dt.date | None


def open_followups(db: sqlite_utils.Database, *, kind: str = "",
                   before: dt.date | None = None, exclude: str = "") -> list[OpenFollowUp]:
    """Follow-ups not done yet, of live meetings (of ``kind``, held before ``before``,
    other than ``exclude``), the ones due first first."""
    if not db["meeting_followups"].exists():
        return []
    sql = ("SELECT f.id, m.id, m.title, m.meeting_date, m.kind, f.task, "
           "coalesce(f.member_id, ''), f.due_date FROM meeting_followups AS f "
           "JOIN meetings AS m ON m.id = f.parent_id "
           "WHERE f.deleted_at IS NULL AND m.deleted_at IS NULL "
           "AND coalesce(f.state, '') <> 'selesai' AND m.id <> ?")
    params: list[object] = [exclude]
    if kind:
        sql += " AND m.kind = ?"
        params.append(kind)
    if before is not None:
        sql += " AND m.meeting_date < ?"
        params.append(before.isoformat())
    sql += " ORDER BY f.due_date IS NULL, f.due_date, m.meeting_date, f.position"
    return [OpenFollowUp(r[0], r[1], r[2], dt.date.fromisoformat(r[3]), r[4], r[5], r[6],
                         dt.date.fromisoformat(r[7]) if r[7] else None)
            for r in db.execute(sql, params)]


def without_minutes(db: sqlite_utils.Database, since: dt.date, until: dt.date
                    ) -> list[tuple[str, str, dt.date]]:
    """(id, title, day) of the live meetings held from ``since`` to ``until`` with neither
    decisions nor the minutes of any agenda item written: Kelengkapan Buku's gap."""
    if not db["meetings"].exists():
        return []
    rows = db.execute(
        "SELECT m.id, m.title, m.meeting_date FROM meetings AS m "
        "WHERE m.deleted_at IS NULL AND m.meeting_date >= ? AND m.meeting_date <= ? "
        "AND trim(coalesce(m.decisions, '')) = '' AND NOT EXISTS (SELECT 1 FROM "
        "meeting_agenda AS a WHERE a.parent_id = m.id AND a.deleted_at IS NULL "
        "AND trim(coalesce(a.minutes, '')) <> '') ORDER BY m.meeting_date DESC",
        [since.isoformat(), until.isoformat()]).fetchall()
    return [(r[0], r[1], dt.date.fromisoformat(r[2])) for r in rows]


def member_names(db: sqlite_utils.Database, ids: list[str]) -> dict[str, tuple[str, str, str]]:
    """``{id: (name, position, seksi)}`` of the live members among ``ids``."""
    found: dict[str, tuple[str, str, str]] = {}
    wanted = sorted({i for i in ids if i})
    for start in range(0, len(wanted), 900):
        part = wanted[start:start + 900]
        marks = ", ".join("?" * len(part))
        for row in db.execute(
                "SELECT id, name, coalesce(position, ''), coalesce(seksi, '') FROM members "
                f"WHERE deleted_at IS NULL AND id IN ({marks})", part):
            found[row[0]] = (row[1] or "", row[2], row[3])
    return found


def meetings_between(db: sqlite_utils.Database, first: dt.date, last: dt.date
                     ) -> list[tuple[str, dt.date, str, str, int, int]]:
    """``(id, date, kind, title, members present, guests)`` of the live meetings held
    ``first``..``last`` (the monthly report)."""
    if not db["meetings"].exists():
        return []
    sql = ("SELECT m.id, m.meeting_date, m.kind, m.title, "
           "(SELECT count(*) FROM meeting_attendance a WHERE a.parent_id = m.id AND "
           " a.deleted_at IS NULL AND coalesce(a.member_id, '') <> ''), "
           "(SELECT count(*) FROM meeting_attendance a WHERE a.parent_id = m.id AND "
           " a.deleted_at IS NULL AND coalesce(a.member_id, '') = '') "
           "FROM meetings AS m WHERE m.deleted_at IS NULL AND m.meeting_date BETWEEN ? AND ? "
           "ORDER BY m.meeting_date, m.rowid")
    return [(r[0], dt.date.fromisoformat(r[1]), r[2], r[3], int(r[4]), int(r[5]))
            for r in db.execute(sql, [first.isoformat(), last.isoformat()])]


def letters_between(db: sqlite_utils.Database, table: str, date_field: str, first: dt.date,
                    last: dt.date) -> int:
    """Live letters of ``table`` (``letters_in``/``letters_out``) dated ``first``..``last``."""
    if table not in ("letters_in", "letters_out") or not db[table].exists():
        return 0
    assert date_field in ("received_date", "letter_date")
    return int(db.execute(f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL AND "
                          f"{date_field} BETWEEN ? AND ?",
                          [first.isoformat(), last.isoformat()]).fetchone()[0])
