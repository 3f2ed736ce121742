"""The SQL behind the printed reports: totals over a period, and the monthly report's notes.

The books' own stores answer "this record" and "this page of the list"; a report asks "how
many, by what, between these dates", over activities, beneficiaries, funds, trainings and
members at once. Those aggregate queries live here so that each runs as one SQL statement
(a year of a busy village is still a few milliseconds) and the report services hold no SQL.

An activity belongs to the period its *start date* falls in. Figures of "what was done"
count only activities carried out (``terlaksana``); the activity list shows every status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from kt_desktop.domain.activities import MonthFigures
from kt_desktop.store import records
from kt_desktop.store.activities import ActivityHeading
from kt_desktop.store.rows import Shape, iso_date, live_rows, optional_date, or_empty

NOTES = "monthly_report_notes"
DONE = "terlaksana"

# -- activities ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActivityFigures(ActivityHeading):
    """One activity with its counts, as the report tables print it."""

    participants: int  # members marked present + non-member volunteers
    beneficiaries: int
    cost: int
    sources: tuple[str, ...]  # fund source codes, in the order first recorded


def _sources(joined: str | None) -> tuple[str, ...]:
    return tuple(joined.split("|")) if joined else ()


_FIGURES = Shape(
    ActivityFigures,
    """
    a.id, a.title, a.kind, a.status, a.start_date AS start, a.end_date AS "end",
    coalesce(a.place, '') AS place,
    coalesce(a.volunteers, 0)
      + (SELECT count(*) FROM activity_participants p
         WHERE p.activity_id = a.id AND p.deleted_at IS NULL AND p.attended = 1) AS participants,
    (SELECT coalesce(sum(b.count), 0) FROM activity_beneficiaries b
     WHERE b.activity_id = a.id AND b.deleted_at IS NULL) AS beneficiaries,
    (SELECT coalesce(sum(f.amount), 0) FROM activity_funds f
     WHERE f.activity_id = a.id AND f.deleted_at IS NULL) AS cost,
    (SELECT group_concat(source, '|') FROM (
         SELECT f.source FROM activity_funds f
         WHERE f.activity_id = a.id AND f.deleted_at IS NULL
         GROUP BY f.source ORDER BY min(f.rowid))) AS sources
    """,
    start=iso_date, end=optional_date, participants=int, beneficiaries=int, cost=int,
    sources=_sources,
)


def activities_between(
    db: sqlite_utils.Database, start: dt.date, end: dt.date
) -> list[ActivityFigures]:
    """Live activities starting in ``start``..``end`` (inclusive), oldest first."""
    return _FIGURES.select(
        db,
        "FROM activities a "
        "WHERE a.deleted_at IS NULL AND a.start_date BETWEEN ? AND ? "
        "ORDER BY a.start_date, a.rowid",
        [start.isoformat(), end.isoformat()],
    )


def beneficiaries_by_category(
    db: sqlite_utils.Database, start: dt.date, end: dt.date
) -> list[tuple[int, int, int]]:
    """(PPKS code, male, female) for activities carried out in the period, by category code."""
    rows = db.execute(
        """
        SELECT b.ppks,
               coalesce(sum(CASE WHEN b.sex = 'L' THEN b.count END), 0),
               coalesce(sum(CASE WHEN b.sex = 'P' THEN b.count END), 0)
        FROM activity_beneficiaries b
        JOIN activities a ON a.id = b.activity_id AND a.deleted_at IS NULL
        WHERE b.deleted_at IS NULL AND a.status = ? AND a.start_date BETWEEN ? AND ?
        GROUP BY b.ppks HAVING sum(b.count) > 0 ORDER BY b.ppks
        """,
        [DONE, start.isoformat(), end.isoformat()],
    ).fetchall()
    return [(int(code), int(male), int(female)) for code, male, female in rows]


NO_MONTH_FIGURES = MonthFigures(0, 0, 0, 0, 0, 0)


def activity_months(db: sqlite_utils.Database, year: int) -> dict[int, MonthFigures]:
    """Per month of ``year``: activities by status; people and money of those carried out."""
    rows = db.execute(
        """
        SELECT CAST(substr(a.start_date, 6, 2) AS INTEGER) AS month,
               sum(a.status = 'rencana'), sum(a.status = 'terlaksana'), sum(a.status = 'batal'),
               coalesce(sum(CASE WHEN a.status = 'terlaksana' THEN coalesce(a.volunteers, 0)
                 + (SELECT count(*) FROM activity_participants p WHERE p.activity_id = a.id
                    AND p.deleted_at IS NULL AND p.attended = 1) END), 0),
               coalesce(sum(CASE WHEN a.status = 'terlaksana' THEN
                 (SELECT coalesce(sum(b.count), 0) FROM activity_beneficiaries b
                  WHERE b.activity_id = a.id AND b.deleted_at IS NULL) END), 0),
               coalesce(sum(CASE WHEN a.status = 'terlaksana' THEN
                 (SELECT coalesce(sum(f.amount), 0) FROM activity_funds f
                  WHERE f.activity_id = a.id AND f.deleted_at IS NULL) END), 0)
        FROM activities a
        WHERE a.deleted_at IS NULL AND a.start_date BETWEEN ? AND ?
        GROUP BY month
        """,
        [f"{year:04d}-01-01", f"{year:04d}-12-31"],
    ).fetchall()
    return {int(row[0]): MonthFigures(*(int(value or 0) for value in row[1:])) for row in rows}


def done_by_kind(
    db: sqlite_utils.Database, start: dt.date, end: dt.date
) -> list[tuple[str, int, int]]:
    """(jenis, activities carried out, their cost), most frequent first."""
    rows = db.execute(
        """
        SELECT a.kind, count(*),
               coalesce(sum((SELECT coalesce(sum(f.amount), 0) FROM activity_funds f
                             WHERE f.activity_id = a.id AND f.deleted_at IS NULL)), 0)
        FROM activities a
        WHERE a.deleted_at IS NULL AND a.status = ? AND a.start_date BETWEEN ? AND ?
        GROUP BY a.kind ORDER BY count(*) DESC, a.kind
        """,
        [DONE, start.isoformat(), end.isoformat()],
    ).fetchall()
    return [(row[0], int(row[1]), int(row[2])) for row in rows]


def done_by_fund_source(
    db: sqlite_utils.Database, start: dt.date, end: dt.date
) -> list[tuple[str, int, int]]:
    """(source code, activities it funded, total amount) for activities carried out."""
    rows = db.execute(
        """
        SELECT f.source, count(DISTINCT f.activity_id), coalesce(sum(f.amount), 0)
        FROM activity_funds f
        JOIN activities a ON a.id = f.activity_id AND a.deleted_at IS NULL
        WHERE f.deleted_at IS NULL AND a.status = ? AND a.start_date BETWEEN ? AND ?
        GROUP BY f.source ORDER BY sum(f.amount) DESC, f.source
        """,
        [DONE, start.isoformat(), end.isoformat()],
    ).fetchall()
    return [(row[0], int(row[1]), int(row[2])) for row in rows]


@dataclass(frozen=True, slots=True)
class PhotoRow:
    image: bytes
    caption: str
    activity: str
    date: dt.date


def activity_photos(
    db: sqlite_utils.Database, start: dt.date, end: dt.date, *, limit: int
) -> tuple[list[PhotoRow], int]:
    """Up to ``limit`` photos of the period's live activities (in date order), and how many
    there are in all."""
    where = (
        "FROM attachments t JOIN activities a ON a.id = t.owner_id AND a.deleted_at IS NULL "
        "WHERE t.owner_table = 'activities' AND t.deleted_at IS NULL AND t.data IS NOT NULL "
        "AND a.start_date BETWEEN ? AND ?"
    )
    params = [start.isoformat(), end.isoformat()]
    total = int(db.execute(f"SELECT count(*) {where}", params).fetchone()[0])
    rows = db.execute(
        f"SELECT t.data, coalesce(t.caption, ''), a.title, a.start_date {where} "
        "ORDER BY a.start_date, a.rowid, t.position, t.rowid LIMIT ?",
        [*params, limit],
    ).fetchall()
    return [
        PhotoRow(bytes(row[0]), row[1], row[2], dt.date.fromisoformat(row[3])) for row in rows
    ], total


@dataclass(frozen=True, slots=True)
class ActivityBrief:
    title: str
    kind: str
    start: dt.date
    end: dt.date | None
    place: str


def activity_brief(db: sqlite_utils.Database, activity_id: str) -> ActivityBrief | None:
    row = db.execute(
        "SELECT title, kind, start_date, end_date, coalesce(place, '') "
        "FROM activities WHERE id = ? AND deleted_at IS NULL",
        [activity_id],
    ).fetchone()
    if row is None:
        return None
    return ActivityBrief(row[0], row[1], dt.date.fromisoformat(row[2]), optional_date(row[3]), row[4])


def recent_activities(db: sqlite_utils.Database, limit: int) -> list[tuple[str, str, dt.date]]:
    """(id, title, start date) of live activities, newest first (the page's picker)."""
    return [
        (row[0], row[1], dt.date.fromisoformat(row[2]))
        for row in db.execute(
            "SELECT id, title, start_date FROM activities WHERE deleted_at IS NULL "
            "ORDER BY start_date DESC, rowid DESC LIMIT ?",
            [limit],
        )
    ]


def activity_participant_names(
    db: sqlite_utils.Database, activity_id: str
) -> list[tuple[str, str, str]]:
    """(name, position code, seksi) of the members listed on an activity, by name."""
    return [
        (row[0], row[1] or "", row[2] or "")
        for row in db.execute(
            "SELECT m.name, m.position, m.seksi FROM activity_participants p "
            "JOIN members m ON m.id = p.member_id AND m.deleted_at IS NULL "
            "WHERE p.activity_id = ? AND p.deleted_at IS NULL "
            "ORDER BY m.name COLLATE NOCASE",
            [activity_id],
        )
    ]


# -- trainings ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrainingFigures:
    id: str
    title: str
    skill_field: str
    partner: str
    start: dt.date
    end: dt.date
    participants: int
    sessions: int  # sessions held in the period
    hours: float  # hours of those sessions
    present: int  # attendance cells marked H in the period
    marked: int  # attendance cells marked at all in the period


def trainings_between(
    db: sqlite_utils.Database, start: dt.date, end: dt.date
) -> list[TrainingFigures]:
    """Live trainings running at some point in ``start``..``end``, with that period's figures."""
    rows = db.execute(
        """
        SELECT t.id, t.title, t.skill_field, coalesce(nullif(t.partner, ''), t.organizer, ''),
               t.start_date, t.end_date,
               (SELECT count(*) FROM training_participants p
                WHERE p.training_id = t.id AND p.deleted_at IS NULL),
               (SELECT count(*) FROM training_sessions s WHERE s.training_id = t.id
                AND s.deleted_at IS NULL AND s.date BETWEEN :start AND :end),
               (SELECT coalesce(sum(s.hours), 0) FROM training_sessions s WHERE s.training_id = t.id
                AND s.deleted_at IS NULL AND s.date BETWEEN :start AND :end),
               (SELECT count(*) FROM training_attendance x
                JOIN training_sessions s ON s.id = x.session_id AND s.deleted_at IS NULL
                JOIN training_participants p ON p.id = x.participant_id AND p.deleted_at IS NULL
                WHERE x.training_id = t.id AND x.deleted_at IS NULL AND x.code = 'H'
                AND s.date BETWEEN :start AND :end),
               (SELECT count(*) FROM training_attendance x
                JOIN training_sessions s ON s.id = x.session_id AND s.deleted_at IS NULL
                JOIN training_participants p ON p.id = x.participant_id AND p.deleted_at IS NULL
                WHERE x.training_id = t.id AND x.deleted_at IS NULL
                AND s.date BETWEEN :start AND :end)
        FROM trainings t
        WHERE t.deleted_at IS NULL AND t.start_date <= :end AND t.end_date >= :start
        ORDER BY t.start_date, t.rowid
        """,
        {"start": start.isoformat(), "end": end.isoformat()},
    ).fetchall()
    return [
        TrainingFigures(
            id=row[0],
            title=row[1],
            skill_field=row[2] or "",
            partner=row[3] or "",
            start=dt.date.fromisoformat(row[4]),
            end=dt.date.fromisoformat(row[5]),
            participants=int(row[6]),
            sessions=int(row[7]),
            hours=float(row[8] or 0),
            present=int(row[9]),
            marked=int(row[10]),
        )
        for row in rows
    ]


def latest_outcomes(db: sqlite_utils.Database, training_id: str) -> dict[str, str]:
    """participant id -> status of their latest follow-up (the 6-month one if recorded)."""
    return dict(live_rows(db, "training_outcomes", "participant_id, status", "training_id = ?",
                          [training_id], order="checkpoint_months"))


@dataclass(frozen=True, slots=True)
class TrainingBrief:
    title: str
    skill_field: str
    organizer: str
    partner: str
    trainer: str
    place: str
    start: dt.date
    end: dt.date


def training_brief(db: sqlite_utils.Database, training_id: str) -> TrainingBrief | None:
    """The training's own columns (no children), None when it does not exist."""
    row = db.execute(
        "SELECT title, coalesce(skill_field, ''), coalesce(organizer, ''), "
        "coalesce(partner, ''), coalesce(trainer, ''), coalesce(place, ''), start_date, "
        "end_date FROM trainings WHERE id = ? AND deleted_at IS NULL",
        [training_id],
    ).fetchone()
    if row is None:
        return None
    return TrainingBrief(*row[:6], dt.date.fromisoformat(row[6]), dt.date.fromisoformat(row[7]))


def recent_trainings(
    db: sqlite_utils.Database, limit: int, *, ended_before: dt.date | None = None
) -> list[tuple[str, str, dt.date]]:
    """(id, title, start date) of live trainings, newest first; with ``ended_before`` only
    those whose end date lies before that day (finished: certificates are made for them)."""
    ended = "AND end_date < ? " if ended_before else ""
    return [
        (row[0], row[1], dt.date.fromisoformat(row[2]))
        for row in db.execute(
            "SELECT id, title, start_date FROM trainings WHERE deleted_at IS NULL "
            + ended + "ORDER BY start_date DESC, rowid DESC LIMIT ?",
            [*([ended_before.isoformat()] if ended_before else []), limit],
        )
    ]


@dataclass(frozen=True, slots=True)
class SessionBrief:
    date: dt.date
    topic: str
    hours: float


def training_session_on(
    db: sqlite_utils.Database, training_id: str, number: int
) -> SessionBrief | None:
    """(date, topic, hours) of the ``number``-th live session (1-based, in date order)."""
    row = db.execute(
        "SELECT date, topic, hours FROM training_sessions "
        "WHERE training_id = ? AND deleted_at IS NULL ORDER BY date, rowid LIMIT 1 OFFSET ?",
        [training_id, number - 1],
    ).fetchone()
    return SessionBrief(dt.date.fromisoformat(row[0]), row[1], float(row[2])) if row else None


def training_session_count(db: sqlite_utils.Database, training_id: str) -> int:
    return int(
        db.execute(
            "SELECT count(*) FROM training_sessions WHERE training_id = ? AND deleted_at IS NULL",
            [training_id],
        ).fetchone()[0]
    )


def training_participant_names(
    db: sqlite_utils.Database, training_id: str
) -> list[tuple[str, str, str]]:
    """(name, position code, seksi) of everyone on a training: members from the register,
    others as recorded; by name."""
    return [
        (row[0] or "", row[1] or "", row[2] or "")
        for row in db.execute(
            "SELECT coalesce(m.name, p.name), m.position, m.seksi "
            "FROM training_participants p "
            "LEFT JOIN members m ON m.id = p.member_id AND m.deleted_at IS NULL "
            "WHERE p.training_id = ? AND p.deleted_at IS NULL "
            "AND coalesce(m.name, p.name) IS NOT NULL "
            "ORDER BY coalesce(m.name, p.name) COLLATE NOCASE",
            [training_id],
        )
    ]


# -- members ------------------------------------------------------------------------------


def member_counts(
    db: sqlite_utils.Database,
    start: dt.date,
    end: dt.date,
    bands: Sequence[tuple[str, dt.date, dt.date]],
) -> dict[str, dict[str, int]]:
    """Members by sex: on the register at ``end``, joined and left during the period, and
    per age band (``(key, born after, born on or before)``) among those on the register.

    On the register at ``end``: a live record that had joined by then (or has no join date)
    and had not left by then. A member marked "keluar" without a date counts as gone.
    """
    s, e = start.isoformat(), end.isoformat()
    on_register = (
        "(joined_on IS NULL OR joined_on <= :end) AND NOT (status = 'keluar' AND "
        "(left_on IS NULL OR left_on <= :end))"
    )
    columns = [
        f"sum({on_register})",
        "sum(joined_on BETWEEN :start AND :end)",
        "sum(status = 'keluar' AND left_on BETWEEN :start AND :end)",
    ]
    params: dict[str, Any] = {"start": s, "end": e}
    for index, (_key, after, upto) in enumerate(bands):
        params[f"a{index}"], params[f"u{index}"] = after.isoformat(), upto.isoformat()
        columns.append(
            f"sum({on_register} AND birth_date > :a{index} AND birth_date <= :u{index})"
        )
    rows = db.execute(
        f"SELECT sex, {', '.join(columns)} FROM members WHERE deleted_at IS NULL GROUP BY sex",
        params,
    ).fetchall()
    keys = ["register", "joined", "left", *[key for key, _a, _u in bands]]
    result: dict[str, dict[str, int]] = {key: {"L": 0, "P": 0} for key in keys}
    for row in rows:
        sex = row[0] if row[0] in ("L", "P") else None
        if sex is None:
            continue
        for key, value in zip(keys, row[1:], strict=True):
            result[key][sex] = int(value or 0)
    return result


@dataclass(frozen=True, slots=True)
class RegisterRow:
    name: str
    nik: str
    sex: str
    birth_place: str
    birth_date: dt.date | None
    dusun: str
    rt: str
    rw: str
    address: str
    education: str
    occupation: str
    position: str
    seksi: str
    status: str
    joined_on: dt.date | None


_REGISTER = Shape.of(
    RegisterRow,
    nik=or_empty, sex=or_empty, birth_place=or_empty, birth_date=optional_date, dusun=or_empty,
    rt=or_empty, rw=or_empty, address=or_empty, education=or_empty, occupation=or_empty,
    position=or_empty, seksi=or_empty, status=or_empty, joined_on=optional_date,
)


def register_rows(db: sqlite_utils.Database, *, include_left: bool) -> Iterator[RegisterRow]:
    """Every live member by name (those who left only when asked), for the Buku Induk."""
    where = "deleted_at IS NULL" + ("" if include_left else " AND status != 'keluar'")
    for row in db.execute(
        f"SELECT {_REGISTER.sql} FROM members WHERE {where} "
        "ORDER BY name COLLATE NOCASE, birth_date, rowid"
    ):
        yield _REGISTER.one(row)


def member_table_exists(db: sqlite_utils.Database) -> bool:
    return "members" in db.table_names()


# -- the monthly report's notes -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthlyNotes:
    month: str  # "2026-11"
    nomor_surat: str
    kendala: str
    rencana: str
    id: str | None = None


def monthly_notes(db: sqlite_utils.Database, month: str) -> MonthlyNotes | None:
    row = db.execute(
        f"SELECT id, month, coalesce(nomor_surat, ''), coalesce(kendala, ''), "
        f"coalesce(rencana, '') FROM {NOTES} WHERE month = ? AND deleted_at IS NULL",
        [month],
    ).fetchone()
    if row is None:
        return None
    return MonthlyNotes(month=row[1], nomor_surat=row[2], kendala=row[3], rencana=row[4],
                        id=row[0])


def nomor_surat_of_year(db: sqlite_utils.Database, year: int) -> list[str]:
    """The letter numbers the monthly reports of ``year`` went out under."""
    return [
        row[0]
        for row in db.execute(
            f"SELECT nomor_surat FROM {NOTES} WHERE deleted_at IS NULL AND month LIKE ? "
            "AND coalesce(nomor_surat, '') != ''",
            [f"{year:04d}-%"],
        )
    ]


def save_monthly_notes(
    db: sqlite_utils.Database, notes: MonthlyNotes, *, village_code: str, actor: str
) -> str:
    """Insert or update the month's notes (one live row per month); returns its id."""
    values = {
        "month": notes.month,
        "nomor_surat": notes.nomor_surat,
        "kendala": notes.kendala,
        "rencana": notes.rencana,
    }
    with db.atomic():
        existing = monthly_notes(db, notes.month)
        if existing is None:
            return records.insert(db, NOTES, values, village_code=village_code, actor=actor)
        if (existing.nomor_surat, existing.kendala, existing.rencana) != (
            notes.nomor_surat, notes.kendala, notes.rencana
        ):
            assert existing.id is not None
            records.update(db, NOTES, existing.id, values, actor=actor)
        return existing.id or ""
