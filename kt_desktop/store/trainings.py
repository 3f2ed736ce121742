"""SQL for trainings: the list, one training and its children, attendance, certificates.

Single records go through :mod:`kt_desktop.store.records` (identity columns and audit line
in one place). Two paths are bulk on purpose, because they touch hundreds of rows at once:
saving a whole attendance grid and removing a training with all its children. They reserve a
block of ``change_seq`` values and write rows and audit lines with ``executemany`` in the
caller's transaction, with exactly the columns :mod:`records` would have set.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from kt_desktop.domain.formats import utc_now_iso
from kt_desktop.domain.trainings import (
    CERTIFICATE_RETIRED,
    CERTIFICATE_VALID,
    FINISHED,
    PLANNED,
    RUNNING,
    Certificate,
    Outcome,
    Participant,
    Training,
    TrainingSession,
    TrainingSummary,
)
from kt_desktop.store import records
from kt_desktop.store.rows import (
    Shape,
    iso_date,
    live_rows,
    live_value,
    optional_date,
    or_empty,
    or_zero,
)

TRAININGS = "trainings"
SESSIONS = "training_sessions"
PARTICIPANTS = "training_participants"
ATTENDANCE = "training_attendance"
CERTIFICATES = "training_certificates"
OUTCOMES = "training_outcomes"

#: Columns of a non-member participant that are personal data, cleared on removal.
PARTICIPANT_PERSONAL = ("name", "sex", "birth_date", "nik", "phone", "pre_score", "post_score",
                        "override_reason")
#: Columns of an outcome that describe a person's work and money, cleared on removal.
OUTCOME_PERSONAL = ("detail", "monthly_income", "notes")

_TRAINING_FIELDS = (
    "title", "skill_field", "kind", "organizer", "partner", "partner_kind", "trainer", "place",
    "start_date", "end_date", "quota", "cost", "funding_source", "min_attendance_pct",
    "min_post_score", "notes",
)

#: Sort keys the list accepts (column name -> SQL); anything else sorts by start date.
SORT_KEYS = {
    "title": "t.title COLLATE NOCASE",
    "skill_field": "t.skill_field COLLATE NOCASE",
    "kind": "t.kind",
    "start_date": "t.start_date",
    "participants": "participants",
    "status": "t.start_date",
}


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _text(value: str) -> str | None:
    """Empty text is stored as NULL, so "not given" has one form in the file."""
    value = value.strip()
    return value or None


# -- trainings ------------------------------------------------------------------------------
def _training_values(training: Training) -> dict[str, Any]:
    return {
        "title": training.title.strip(),
        "skill_field": training.skill_field.strip(),
        "kind": training.kind,
        "organizer": _text(training.organizer),
        "partner": _text(training.partner),
        "partner_kind": training.partner_kind or None,
        "trainer": _text(training.trainer),
        "place": _text(training.place),
        "start_date": _iso(training.start_date),
        "end_date": _iso(training.end_date),
        "quota": int(training.quota),
        "cost": int(training.cost),
        "funding_source": training.funding_source or None,
        "min_attendance_pct": int(training.min_attendance_pct),
        "min_post_score": training.min_post_score,
        "notes": _text(training.notes),
    }


_TRAINING_WRITER: records.Writer[Training] = records.Writer(TRAININGS, _training_values)
insert_training = _TRAINING_WRITER.insert
update_training = _TRAINING_WRITER.update


def get_training(db: sqlite_utils.Database, training_id: str) -> Training | None:
    row = db.execute(
        f"SELECT id, version, {', '.join(_TRAINING_FIELDS)} FROM trainings "
        "WHERE id = ? AND deleted_at IS NULL",
        [training_id],
    ).fetchone()
    if row is None:
        return None
    data = dict(zip(("id", "version", *_TRAINING_FIELDS), row, strict=True))
    return Training(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        skill_field=data["skill_field"],
        kind=data["kind"],
        organizer=data["organizer"] or "",
        partner=data["partner"] or "",
        partner_kind=data["partner_kind"] or "",
        trainer=data["trainer"] or "",
        place=data["place"] or "",
        start_date=optional_date(data["start_date"]),
        end_date=optional_date(data["end_date"]),
        quota=data["quota"] or 0,
        cost=data["cost"] or 0,
        funding_source=data["funding_source"] or "",
        min_attendance_pct=data["min_attendance_pct"],
        min_post_score=data["min_post_score"],
        notes=data["notes"] or "",
    )


@dataclass(frozen=True, slots=True)
class TrainingQuery:
    """The list's filters in SQL terms (the service turns a TrainingFilter into this)."""

    today: dt.date
    year: int | None = None
    status: str | None = None
    skill_field: str | None = None
    search: str = ""
    only_ids: Sequence[str] | None = None
    sort: str = "start_date"
    descending: bool = True


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(query: TrainingQuery) -> tuple[str, list[Any]]:
    clauses = ["t.deleted_at IS NULL"]
    params: list[Any] = []
    if query.year is not None:
        clauses.append("t.start_date >= ? AND t.start_date < ?")
        params += [f"{query.year:04d}-01-01", f"{query.year + 1:04d}-01-01"]
    today = query.today.isoformat()
    if query.status == PLANNED:
        clauses.append("t.start_date > ?")
        params.append(today)
    elif query.status == RUNNING:
        clauses.append("t.start_date <= ? AND t.end_date >= ?")
        params += [today, today]
    elif query.status == FINISHED:
        clauses.append("t.end_date < ?")
        params.append(today)
    if query.skill_field:
        clauses.append("t.skill_field = ?")
        params.append(query.skill_field)
    words = query.search.split()
    for word in words:
        pattern = f"%{_escape_like(word)}%"
        clauses.append(
            "(t.title LIKE ? ESCAPE '\\' OR t.skill_field LIKE ? ESCAPE '\\' "
            "OR t.organizer LIKE ? ESCAPE '\\' OR t.partner LIKE ? ESCAPE '\\' "
            "OR t.trainer LIKE ? ESCAPE '\\' OR t.place LIKE ? ESCAPE '\\')"
        )
        params += [pattern] * 6
    if query.only_ids is not None:
        clauses.append(f"t.id IN ({', '.join('?' * len(query.only_ids)) or 'NULL'})")
        params += list(query.only_ids)
    return " AND ".join(clauses), params


_SUMMARY = Shape(
    TrainingSummary,
    "t.id, t.title, t.skill_field, t.kind, t.organizer, t.partner, t.start_date, t.end_date,"
    " t.quota,"
    " (SELECT count(*) FROM training_participants p"
    "   WHERE p.training_id = t.id AND p.deleted_at IS NULL) AS participants,"
    " (SELECT count(*) FROM training_sessions s"
    "   WHERE s.training_id = t.id AND s.deleted_at IS NULL) AS sessions,"
    " (SELECT count(*) FROM training_certificates c"
    "   WHERE c.training_id = t.id AND c.status = 'valid' AND c.deleted_at IS NULL)"
    " AS certificates",
    organizer=or_empty, partner=or_empty, start_date=iso_date, end_date=iso_date, quota=or_zero,
)


def list_trainings(
    db: sqlite_utils.Database, query: TrainingQuery, *, limit: int = 256, offset: int = 0
) -> list[TrainingSummary]:
    """One page of the list, newest first unless another sort is asked."""
    where, params = _where(query)
    order = SORT_KEYS.get(query.sort, "t.start_date")
    direction = "DESC" if query.descending else "ASC"
    return _SUMMARY.select(
        db,
        f"FROM trainings t WHERE {where}"
        f" ORDER BY {order} {direction}, t.title COLLATE NOCASE, t.id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )


def count_trainings(db: sqlite_utils.Database, query: TrainingQuery) -> int:
    where, params = _where(query)
    return int(db.execute(f"SELECT count(*) FROM trainings t WHERE {where}", params).fetchone()[0])


def training_years(db: sqlite_utils.Database) -> list[int]:
    rows = db.execute(
        "SELECT DISTINCT substr(start_date, 1, 4) FROM trainings WHERE deleted_at IS NULL "
        "ORDER BY 1 DESC"
    ).fetchall()
    return [int(row[0]) for row in rows if row[0] and row[0].isdigit()]


def skill_fields_in_use(db: sqlite_utils.Database) -> list[str]:
    rows = db.execute(
        "SELECT DISTINCT skill_field FROM trainings WHERE deleted_at IS NULL "
        "ORDER BY skill_field COLLATE NOCASE"
    ).fetchall()
    return [row[0] for row in rows if row[0]]


def count_running(db: sqlite_utils.Database, today: dt.date) -> int:
    """Trainings under way on ``today`` (Beranda's card)."""
    return int(db.execute(
        "SELECT count(*) FROM trainings WHERE deleted_at IS NULL AND start_date <= ? "
        "AND end_date >= ?",
        [today.isoformat(), today.isoformat()],
    ).fetchone()[0])


def finished_training_ids(db: sqlite_utils.Database, ended_on_or_before: dt.date) -> list[str]:
    """Trainings that ended on or before a date (candidates for follow-ups)."""
    rows = db.execute(
        "SELECT id FROM trainings WHERE deleted_at IS NULL AND end_date <= ? ORDER BY end_date",
        [ended_on_or_before.isoformat()],
    ).fetchall()
    return [row[0] for row in rows]


# -- bulk writes ----------------------------------------------------------------------------
def _reserve_change_seqs(db: sqlite_utils.Database, count: int) -> int:
    """Reserve ``count`` consecutive change numbers; returns the first."""
    db.execute(
        "INSERT INTO counters(name, value) VALUES('change_seq', ?) "
        "ON CONFLICT(name) DO UPDATE SET value = value + excluded.value",
        [count],
    )
    last = records.current_change_seq(db)
    return last - count + 1


def _audit_many(
    db: sqlite_utils.Database,
    action: str,
    table: str,
    entries: Iterable[tuple[str, str | None]],
    *,
    actor: str,
) -> None:
    now = utc_now_iso()
    db.conn.executemany(
        "INSERT INTO audit_log(at, actor, action, table_name, record_id, detail) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(now, actor, action, table, record_id, detail) for record_id, detail in entries],
    )


def _tombstone_rows(
    db: sqlite_utils.Database,
    table: str,
    where: str,
    params: Sequence[Any],
    *,
    clear: Iterable[str] = (),
    actor: str,
    detail: str | None = None,
) -> int:
    """Tombstone every live row of ``table`` matching ``where``; returns how many.

    In the order the rows were written (``rowid``), not by their random ids: the same
    history then numbers its removals, and fills its bundles, the same way every time."""
    ids = [row[0] for row in db.execute(
        f"SELECT id FROM [{table}] WHERE deleted_at IS NULL AND {where} ORDER BY rowid", params
    ).fetchall()]
    if not ids:
        return 0
    first = _reserve_change_seqs(db, len(ids))
    now = utc_now_iso()
    cleared = "".join(f", [{column}] = NULL" for column in clear)
    db.conn.executemany(
        f"UPDATE [{table}] SET version = version + 1, updated_at = ?, deleted_at = ?,"
        f" change_seq = ?{cleared} WHERE id = ?",
        [(now, now, first + index, record_id) for index, record_id in enumerate(ids)],
    )
    _audit_many(db, "remove", table, [(record_id, detail) for record_id in ids], actor=actor)
    return len(ids)


def remove_training(
    db: sqlite_utils.Database, training_id: str, *, retire_reason: str, actor: str
) -> dict[str, int]:
    """Tombstone a training and all its children; certificates are retired, not removed.

    Returns the rows tombstoned per table (for the confirmation and the tests).
    """
    removed: dict[str, int] = {}
    with db.atomic():
        retire_certificates(db, training_id=training_id, reason=retire_reason, actor=actor)
        for table, clear in (
            (ATTENDANCE, ()),
            (OUTCOMES, OUTCOME_PERSONAL),
            (SESSIONS, ()),
            (PARTICIPANTS, PARTICIPANT_PERSONAL),
        ):
            removed[table] = _tombstone_rows(
                db, table, "training_id = ?", [training_id], clear=clear, actor=actor,
                detail=f"with training {training_id}",
            )
        records.tombstone(db, TRAININGS, training_id, clear=(), actor=actor)
        removed[TRAININGS] = 1
    return removed


# -- sessions -------------------------------------------------------------------------------
_SESSION = Shape(
    TrainingSession, "training_id, id, version, date, topic, hours", date=iso_date, hours=float
)


def list_sessions(db: sqlite_utils.Database, training_id: str) -> list[TrainingSession]:
    """Sessions in date order (ties by creation): the order of the grid's columns."""
    return _SESSION.live(db, "training_sessions", "training_id = ?", [training_id],
                         order="date, rowid")


def _session_values(session: TrainingSession) -> dict[str, Any]:
    return {
        "training_id": session.training_id,
        "date": session.date.isoformat(),
        "topic": session.topic.strip(),
        "hours": float(session.hours),
    }


_SESSION_WRITER: records.Writer[TrainingSession] = records.Writer(SESSIONS, _session_values)
insert_session = _SESSION_WRITER.insert
update_session = _SESSION_WRITER.update


def remove_session(db: sqlite_utils.Database, session_id: str, *, actor: str) -> None:
    """Tombstone a session and the attendance recorded for it."""
    with db.atomic():
        _tombstone_rows(db, ATTENDANCE, "session_id = ?", [session_id], actor=actor,
                        detail=f"with session {session_id}")
        records.tombstone(db, SESSIONS, session_id, clear=(), actor=actor)


def session_training(db: sqlite_utils.Database, session_id: str) -> str | None:
    return live_value(db, "training_sessions", "training_id", "id = ?", [session_id])


# -- participants ---------------------------------------------------------------------------
_PARTICIPANT = Shape(
    Participant,
    "p.id, p.version, p.training_id, p.member_id, p.name, p.sex, p.birth_date, p.nik, p.phone,"
    " p.pre_score, p.post_score, p.result_override, p.override_reason",
    name=or_empty, sex=or_empty, birth_date=optional_date, nik=or_empty, phone=or_empty,
    override_reason=or_empty,
)


def list_participants(db: sqlite_utils.Database, training_id: str) -> list[Participant]:
    """Participants in the order they were added (the order of the attendance sheet).

    Members come back with only their link filled; the service adds their name, sex and
    birth date from the register.
    """
    return _PARTICIPANT.live(db, "training_participants p", "p.training_id = ?", [training_id],
                             order="p.rowid")


def get_participant(db: sqlite_utils.Database, participant_id: str) -> Participant | None:
    return _PARTICIPANT.live_one(db, "training_participants p", "p.id = ?", [participant_id])


def _participant_values(participant: Participant) -> dict[str, Any]:
    member = participant.is_member
    return {
        "training_id": participant.training_id,
        "member_id": participant.member_id or None,
        # A member's personal data stays in the register only.
        "name": None if member else _text(participant.name),
        "sex": None if member else participant.sex or None,
        "birth_date": None if member else _iso(participant.birth_date),
        "nik": None if member else _text(participant.nik),
        "phone": None if member else _text(participant.phone),
        "pre_score": participant.pre_score,
        "post_score": participant.post_score,
        "result_override": participant.result_override,
        "override_reason": _text(participant.override_reason) if participant.result_override
        else None,
    }


_PARTICIPANT_WRITER: records.Writer[Participant] = records.Writer(
    PARTICIPANTS, _participant_values, PARTICIPANT_PERSONAL)
insert_participant = _PARTICIPANT_WRITER.insert
update_participant = _PARTICIPANT_WRITER.update


def remove_participant(
    db: sqlite_utils.Database, participant_id: str, *, retire_reason: str, actor: str
) -> None:
    """Tombstone a participant with their attendance and outcomes; retire their certificate."""
    with db.atomic():
        retire_certificates(db, participant_id=participant_id, reason=retire_reason,
                            actor=actor)
        for table, clear in ((ATTENDANCE, ()), (OUTCOMES, OUTCOME_PERSONAL)):
            _tombstone_rows(db, table, "participant_id = ?", [participant_id], clear=clear,
                            actor=actor, detail=f"with participant {participant_id}")
        _PARTICIPANT_WRITER.remove(db, participant_id, actor=actor)


def member_participations(db: sqlite_utils.Database, member_id: str) -> list[tuple[str, str]]:
    """(training_id, participant_id) of every live participation of a member."""
    rows = db.execute(
        "SELECT p.training_id, p.id FROM training_participants p "
        "JOIN trainings t ON t.id = p.training_id AND t.deleted_at IS NULL "
        "WHERE p.member_id = ? AND p.deleted_at IS NULL ORDER BY t.start_date DESC",
        [member_id],
    ).fetchall()
    return [(row[0], row[1]) for row in rows]


def participant_with_nik(
    db: sqlite_utils.Database, training_id: str, nik: str, *, exclude_id: str | None = None
) -> str | None:
    return live_value(db, "training_participants", "id",
                      "training_id = ? AND nik = ? AND id IS NOT ?", [training_id, nik, exclude_id])


def participant_for_member(
    db: sqlite_utils.Database, training_id: str, member_id: str
) -> str | None:
    return live_value(db, "training_participants", "id", "training_id = ? AND member_id = ?",
                      [training_id, member_id])


# -- attendance -----------------------------------------------------------------------------
Cell = tuple[str, str]  # (session_id, participant_id)


def load_attendance(db: sqlite_utils.Database, training_id: str) -> dict[Cell, str]:
    rows = live_rows(db, "training_attendance", "session_id, participant_id, code",
                     "training_id = ?", [training_id])
    return {(session_id, participant_id): code for session_id, participant_id, code in rows}


def attendance_tallies(
    db: sqlite_utils.Database, training_ids: Sequence[str]
) -> dict[str, dict[str, int]]:
    """Per participant of the given trainings: how many cells carry each code."""
    if not training_ids:
        return {}
    marks = ", ".join("?" * len(training_ids))
    tallies: dict[str, dict[str, int]] = {}
    for participant_id, code, count in db.execute(
        "SELECT a.participant_id, a.code, count(*) FROM training_attendance a "
        "JOIN training_sessions s ON s.id = a.session_id AND s.deleted_at IS NULL "
        f"WHERE a.training_id IN ({marks}) AND a.deleted_at IS NULL "
        "GROUP BY a.participant_id, a.code",
        list(training_ids),
    ):
        tallies.setdefault(participant_id, {})[code] = count
    return tallies


def save_attendance(
    db: sqlite_utils.Database,
    training_id: str,
    cells: Mapping[Cell, str | None],
    *,
    village_code: str,
    actor: str,
) -> int:
    """Write the changed cells of a grid in one transaction; returns how many changed.

    A code is inserted, updated, or (``None``) the cell's row is tombstoned. Unchanged cells
    are not written, so saving a grid twice changes nothing the second time.
    """
    with db.atomic():
        existing = {
            (row[0], row[1]): (row[2], row[3])
            for row in db.execute(
                "SELECT session_id, participant_id, id, code FROM training_attendance "
                "WHERE training_id = ? AND deleted_at IS NULL",
                [training_id],
            )
        }
        inserts: list[tuple[Cell, str]] = []
        updates: list[tuple[str, str, str]] = []  # id, old, new
        removals: list[tuple[str, str]] = []  # id, old
        for cell, code in cells.items():
            current = existing.get(cell)
            if current is None:
                if code:
                    inserts.append((cell, code))
            elif not code:
                removals.append((current[0], current[1]))
            elif code != current[1]:
                updates.append((current[0], current[1], code))
        total = len(inserts) + len(updates) + len(removals)
        if not total:
            return 0
        seqs = itertools.count(_reserve_change_seqs(db, total))  # one change_seq a row
        now = utc_now_iso()
        new_rows = [(records.new_id(), village_code, now, next(seqs), training_id, session_id,
                     participant_id, code) for (session_id, participant_id), code in inserts]
        db.conn.executemany(
            "INSERT INTO training_attendance(id, village_code, version, updated_at, change_seq,"
            " deleted_at, training_id, session_id, participant_id, code)"
            " VALUES (?, ?, 1, ?, ?, NULL, ?, ?, ?, ?)",
            new_rows,
        )
        db.conn.executemany(
            "UPDATE training_attendance SET code = ?, version = version + 1, updated_at = ?,"
            " change_seq = ? WHERE id = ?",
            [(code, now, next(seqs), record_id) for record_id, _old, code in updates],
        )
        db.conn.executemany(
            "UPDATE training_attendance SET version = version + 1, updated_at = ?,"
            " deleted_at = ?, change_seq = ? WHERE id = ?",
            [(now, now, next(seqs), record_id) for record_id, _old in removals],
        )
        _audit_many(db, "create", ATTENDANCE, [(row[0], row[7]) for row in new_rows],
                    actor=actor)
        _audit_many(db, "update", ATTENDANCE,
                    [(record_id, f"{old}->{new}") for record_id, old, new in updates], actor=actor)
        _audit_many(db, "remove", ATTENDANCE, [(record_id, old) for record_id, old in removals],
                    actor=actor)
    return total


# -- certificates ---------------------------------------------------------------------------
_CERTIFICATE = Shape.of(Certificate, issued_on=iso_date, retired_reason=or_empty)


def certificates_of_training(db: sqlite_utils.Database, training_id: str) -> list[Certificate]:
    """Every number issued for a training, retired ones included, in number order."""
    return _CERTIFICATE.live(db, "training_certificates", "training_id = ?", [training_id],
                             order="year, sequence")


def certificate_of_participant(
    db: sqlite_utils.Database, participant_id: str
) -> Certificate | None:
    """The participant's number (valid or retired): a graduate has at most one, ever."""
    return _CERTIFICATE.live_one(db, "training_certificates", "participant_id = ?",
                                 [participant_id], order="year, sequence")


def next_certificate_sequence(db: sqlite_utils.Database, village_code: str, year: int) -> int:
    """The year's highest number + 1, counting retired and removed rows: never a reuse."""
    row = db.execute(
        "SELECT COALESCE(MAX(sequence), 0) FROM training_certificates "
        "WHERE village_code = ? AND year = ?",
        [village_code, year],
    ).fetchone()
    return int(row[0]) + 1


def insert_certificate(
    db: sqlite_utils.Database,
    *,
    training_id: str,
    participant_id: str,
    year: int,
    sequence: int,
    number: str,
    issued_on: dt.date,
    village_code: str,
    actor: str,
) -> str:
    return records.insert(
        db,
        CERTIFICATES,
        {
            "training_id": training_id,
            "participant_id": participant_id,
            "year": year,
            "sequence": sequence,
            "number": number,
            "issued_on": issued_on.isoformat(),
            "status": CERTIFICATE_VALID,
            "retired_reason": None,
        },
        village_code=village_code,
        actor=actor,
        audit_detail=number,
    )


def set_certificate_status(
    db: sqlite_utils.Database, certificate_id: str, status: str, reason: str | None, *, actor: str
) -> None:
    records.update(
        db, CERTIFICATES, certificate_id,
        {"status": status, "retired_reason": reason if status == CERTIFICATE_RETIRED else None},
        actor=actor, audit_detail=status,
    )


def retire_certificates(
    db: sqlite_utils.Database,
    *,
    reason: str,
    actor: str,
    training_id: str | None = None,
    participant_id: str | None = None,
) -> int:
    """Retire the valid certificates of a training or of one participant."""
    if training_id is not None:
        where, value = "training_id = ?", training_id
    elif participant_id is not None:
        where, value = "participant_id = ?", participant_id
    else:
        raise ValueError("retire_certificates needs a training or a participant")
    ids = [row[0] for row in db.execute(
        f"SELECT id FROM training_certificates WHERE {where} AND status = ? "
        "AND deleted_at IS NULL",
        [value, CERTIFICATE_VALID],
    ).fetchall()]
    with db.atomic():
        for certificate_id in ids:
            set_certificate_status(db, certificate_id, CERTIFICATE_RETIRED, reason, actor=actor)
    return len(ids)


# -- outcomes -------------------------------------------------------------------------------
_OUTCOME = Shape(
    Outcome,
    "id, version, training_id, participant_id, checkpoint_months, recorded_on, status, detail,"
    " monthly_income, notes",
    recorded_on=iso_date, detail=or_empty, notes=or_empty,
)


def list_outcomes(db: sqlite_utils.Database, training_ids: Sequence[str]) -> list[Outcome]:
    if not training_ids:
        return []
    marks = ", ".join("?" * len(training_ids))
    return _OUTCOME.live(db, "training_outcomes", f"training_id IN ({marks})", training_ids,
                         order="participant_id, checkpoint_months")


def get_outcome(db: sqlite_utils.Database, outcome_id: str) -> Outcome | None:
    return _OUTCOME.live_one(db, "training_outcomes", "id = ?", [outcome_id])


def outcome_for(
    db: sqlite_utils.Database, participant_id: str, checkpoint_months: int
) -> str | None:
    return live_value(db, "training_outcomes", "id", "participant_id = ? AND checkpoint_months = ?",
                      [participant_id, checkpoint_months])


def _outcome_values(outcome: Outcome) -> dict[str, Any]:
    return {
        "training_id": outcome.training_id,
        "participant_id": outcome.participant_id,
        "checkpoint_months": outcome.checkpoint_months,
        "recorded_on": outcome.recorded_on.isoformat(),
        "status": outcome.status,
        "detail": _text(outcome.detail),
        "monthly_income": outcome.monthly_income,
        "notes": _text(outcome.notes),
    }


_OUTCOME_WRITER: records.Writer[Outcome] = records.Writer(OUTCOMES, _outcome_values,
                                                          OUTCOME_PERSONAL)
insert_outcome = _OUTCOME_WRITER.insert
update_outcome = _OUTCOME_WRITER.update
remove_outcome = _OUTCOME_WRITER.remove


# -- the member register (read only) --------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MemberBrief:
    """What a training needs of a member: who they are, and where to find them."""

    id: str
    name: str
    sex: str
    birth_date: dt.date | None
    address: str


def _has_members(db: sqlite_utils.Database) -> bool:
    return "members" in db.table_names()


def _member_brief(row: Sequence[Any]) -> MemberBrief:
    member_id, name, sex, birth_date, dusun, rt, rw = row
    parts = [dusun or ""]
    if rt or rw:
        parts.append(f"RT {rt or '-'}/RW {rw or '-'}")
    return MemberBrief(
        id=member_id, name=name or "", sex=sex or "", birth_date=optional_date(birth_date),
        address=" ".join(part for part in parts if part),
    )


_MEMBER_COLUMNS = "id, name, sex, birth_date, dusun, rt, rw"


def member_details(db: sqlite_utils.Database, member_ids: Sequence[str]) -> dict[str, MemberBrief]:
    """Live members by id (a removed member is simply absent).

    The member register's store pages and searches; this only resolves the few ids a
    training holds, with the columns a participant list shows.
    """
    if not member_ids or not _has_members(db):
        return {}
    found: dict[str, MemberBrief] = {}
    ids = list(dict.fromkeys(member_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for row in db.execute(
            f"SELECT {_MEMBER_COLUMNS} FROM members WHERE id IN ({marks}) "
            "AND deleted_at IS NULL",
            chunk,
        ).fetchall():
            found[row[0]] = _member_brief(row)
    return found


def live_member_ids(
    db: sqlite_utils.Database, *, born_after: dt.date, born_before: dt.date
) -> list[str]:
    """Members still in the organisation born in a range (demo data picks participants)."""
    if not _has_members(db):
        return []
    rows = db.execute(
        "SELECT id FROM members WHERE deleted_at IS NULL AND status != 'keluar' "
        "AND birth_date > ? AND birth_date < ? ORDER BY name COLLATE NOCASE",
        [born_after.isoformat(), born_before.isoformat()],
    ).fetchall()
    return [row[0] for row in rows]
