"""Trainings (pelatihan): what the page and the CLI ask for, joined from store and domain.

Every function takes the :class:`~kt_desktop.services.session.Session` and runs in the
caller's thread (a worker, for the GUI). Writes are one transaction each, so a refusal
leaves the file exactly as it was.

Certificates follow one rule: a number is issued once to one graduate and never handed to
anyone else. When a change (attendance, scores, an override, the rule, a removal) means a
certificate holder no longer passes, the number is *retired* at once, with the reason; if
the same participant passes again, :func:`assign_certificates` gives them back the same
number rather than a new one. Numbers are counted per year of issue from the highest one
ever issued in the file, retired ones included.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlite_utils

from kt_desktop.domain import clock
from kt_desktop.domain.errors import KtError, NotFoundError, ValidationError
from kt_desktop.domain.formats import date_short
from kt_desktop.domain.members import MemberQuery
from kt_desktop.domain.text import clean_fields, clean_text
from kt_desktop.domain.trainings import (
    CERTIFICATE_RETIRED,
    CERTIFICATE_VALID,
    CHECKPOINTS,
    FAILED,
    FOLLOW_UP_DUE,
    SKILL_FIELDS,
    Certificate,
    Completion,
    FollowUpDue,
    Outcome,
    Participant,
    Training,
    TrainingFilter,
    TrainingSession,
    TrainingSummary,
    add_months,
    certificate_number,
    check_override,
    compute_completion,
    normalize_code,
)
from kt_desktop.i18n import _, ngettext
from kt_desktop.services.dashboard import TRAININGS_RUNNING, Reminder
from kt_desktop.services.members import HistoryEntry
from kt_desktop.services.session import Session
from kt_desktop.store import members as members_store
from kt_desktop.store import profile as profile_store
from kt_desktop.store import receipts as receipt_store
from kt_desktop.store import trainings as store

PAGE_SIZE = 256
#: Membership status of someone who left the organisation (not offered in the picker).
LEFT = "keluar"


def _require_village(session: Session) -> None:
    """Trainings are written by their village only: on a receiver file a training would be
    stored under the area's code and never belong to a village (issue 24)."""
    if not session.is_village:
        raise KtError(
            _("Trainings are recorded in a village file; this is a receiver file."),
            code="not_village",
        )


@contextmanager
def _village_write(session: Session) -> Iterator[sqlite_utils.Database]:
    """The village file's connection inside one transaction (refused on a receiver file)."""
    _require_village(session)
    db = session.db()
    with db.atomic():
        yield db


def _today(today: dt.date | None) -> dt.date:
    return today or clock.today()


def _training(db: sqlite_utils.Database, training_id: str) -> Training:
    training = store.get_training(db, training_id)
    if training is None:
        raise NotFoundError(_("The training no longer exists (it may have been removed)."))
    return training


def _participant(db: sqlite_utils.Database, participant_id: str) -> Participant:
    participant = store.get_participant(db, participant_id)
    if participant is None:
        raise NotFoundError(_("The participant no longer exists (they may have been removed)."))
    return participant


def _outcome(db: sqlite_utils.Database, outcome_id: str) -> Outcome:
    outcome = store.get_outcome(db, outcome_id)
    if outcome is None:
        raise NotFoundError(_("The follow-up no longer exists (it may have been removed)."))
    return outcome


# -- the list -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FilterChoices:
    """What the filter row offers: years with trainings and skill fields in use."""

    years: list[int]
    skill_fields: list[str]


def skill_field_choices(session: Session) -> list[str]:
    """The editable list: the seed list, then every other field typed in this file."""
    db = session.db()
    in_use = store.skill_fields_in_use(db)
    seeds = list(SKILL_FIELDS)
    for added in receipt_store.added_values(db, receipt_store.ADDED_SKILLS):  # from a notice
        if added.casefold() not in {name.casefold() for name in seeds}:
            seeds.append(added)
    folded = {name.casefold() for name in seeds}
    return seeds + [name for name in in_use if name.casefold() not in folded]


def filter_choices(session: Session) -> FilterChoices:
    db = session.db()
    return FilterChoices(store.training_years(db), store.skill_fields_in_use(db))


def _query(
    session: Session, flt: TrainingFilter, today: dt.date, sort: str, descending: bool
) -> store.TrainingQuery:
    only_ids = None
    status = flt.status
    if status == FOLLOW_UP_DUE:
        only_ids = sorted({due.training_id for due in follow_ups_due(session, today)})
        status = None
    return store.TrainingQuery(
        today=today, year=flt.year, status=status, skill_field=flt.skill_field or None,
        search=flt.search.strip(), only_ids=only_ids, sort=sort, descending=descending,
    )


def list_trainings(
    session: Session,
    flt: TrainingFilter | None = None,
    *,
    today: dt.date | None = None,
    limit: int = PAGE_SIZE,
    offset: int = 0,
    sort: str = "start_date",
    descending: bool = True,
) -> list[TrainingSummary]:
    """One page of trainings matching ``flt`` (filtered, searched and sorted in SQL)."""
    query = _query(session, flt or TrainingFilter(), _today(today), sort, descending)
    return store.list_trainings(session.db(), query, limit=limit, offset=offset)


def count_trainings(
    session: Session, flt: TrainingFilter | None = None, *, today: dt.date | None = None
) -> int:
    query = _query(session, flt or TrainingFilter(), _today(today), "start_date", True)
    return store.count_trainings(session.db(), query)


# -- one training ---------------------------------------------------------------------------
def get_training(session: Session, training_id: str) -> Training:
    return _training(session.db(), training_id)


def save_training(session: Session, training: Training) -> str:
    """Add or change a training; returns its id.

    Changing the dates is refused while a session would fall outside them, and a change of
    the completion rule retires the certificates of those who no longer pass.
    """
    _require_village(session)
    training = clean_fields(training, multiline=("notes",))
    training.validate()
    db = session.db()
    actor = session.actor()
    with db.atomic():
        if training.id is None:
            return store.insert_training(db, training, village_code=session.code, actor=actor)
        _training(db, training.id)
        assert training.start_date and training.end_date
        for meeting in store.list_sessions(db, training.id):
            if not training.start_date <= meeting.date <= training.end_date:
                raise ValidationError(
                    _(
                        "The session of {date} ({topic}) would fall outside the new dates. "
                        "Move or remove that session first."
                    ).format(date=date_short(meeting.date), topic=meeting.topic),
                    field="start_date" if meeting.date < training.start_date else "end_date",
                )
        store.update_training(db, training, actor=actor)
        _retire_non_graduates(db, training, actor=actor)
        return training.id


def remove_training(session: Session, training_id: str) -> dict[str, int]:
    """Tombstone the training with its sessions, participants, attendance and outcomes."""
    with _village_write(session) as db:
        _training(db, training_id)
        return store.remove_training(
            db, training_id, retire_reason=_("The training was removed."), actor=session.actor()
        )


# -- sessions -------------------------------------------------------------------------------
def list_sessions(session: Session, training_id: str) -> list[TrainingSession]:
    return store.list_sessions(session.db(), training_id)


def save_session(session: Session, meeting: TrainingSession) -> str:
    """Add or change a session (pertemuan); its date must fall within the training."""
    _require_village(session)
    meeting = clean_fields(meeting, keep=("training_id",))
    db = session.db()
    actor = session.actor()
    with db.atomic():
        training = _training(db, meeting.training_id)
        meeting.validate(training)
        if meeting.id is None:
            session_id = store.insert_session(db, meeting, village_code=session.code,
                                              actor=actor)
        else:
            if store.session_training(db, meeting.id) != training.id:
                raise NotFoundError(_("The session no longer exists (it may have been removed)."))
            store.update_session(db, meeting, actor=actor)
            session_id = meeting.id
        # One more session raises the bar for everyone: re-check the certificates.
        _retire_non_graduates(db, training, actor=actor)
        return session_id


def remove_session(session: Session, session_id: str) -> None:
    _require_village(session)
    db = session.db()
    actor = session.actor()
    with db.atomic():
        training_id = store.session_training(db, session_id)
        if training_id is None:
            raise NotFoundError(_("The session no longer exists (it may have been removed)."))
        store.remove_session(db, session_id, actor=actor)
        _retire_non_graduates(db, _training(db, training_id), actor=actor)


# -- participants ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MemberChoice:
    """A member as the picker shows them."""

    id: str
    name: str
    sex: str
    birth_date: dt.date | None
    address: str
    already_in: bool = False


def _fill_member_details(db: sqlite_utils.Database, participants: Sequence[Participant]) -> None:
    """Give member participants their name, sex and birth date from the register."""
    details = store.member_details(db, [p.member_id for p in participants if p.member_id])
    for participant in participants:
        if participant.member_id:
            found = details.get(participant.member_id)
            if found is None or not found.name:
                participant.name = _("(removed from the member register)")
            else:
                participant.name = found.name
                participant.sex = found.sex
                participant.birth_date = found.birth_date


def list_participants(session: Session, training_id: str) -> list[Participant]:
    """Participants in sheet order; members carry their name from the register."""
    db = session.db()
    participants = store.list_participants(db, training_id)
    _fill_member_details(db, participants)
    return participants


def search_members(
    session: Session, text: str, *, training_id: str | None = None, limit: int = 50
) -> list[MemberChoice]:
    """Members of the register matching ``text`` (name or NIK), for the participant picker."""
    db = session.db()
    if "members" not in db.table_names():
        return []
    # The register's own search (FTS over name and dusun, NIK and phone prefixes); members
    # who left are not offered.
    found = [
        row for row in members_store.page(
            db, MemberQuery(search=text.strip()), offset=0, limit=limit * 2,
            today=clock.today(), village_code=session.code,
        )
        if row.status != LEFT
    ][:limit]
    taken = set()
    if training_id:
        taken = {p.member_id for p in store.list_participants(db, training_id) if p.member_id}
    return [
        MemberChoice(
            id=row.id, name=row.name, sex=row.sex, birth_date=row.birth_date,
            address=_address(row.dusun, row.rt, row.rw), already_in=row.id in taken,
        )
        for row in found
    ]


def _address(dusun: str, rt: str, rw: str) -> str:
    parts = [dusun]
    if rt or rw:
        parts.append(f"RT {rt or '-'}/RW {rw or '-'}")
    return " ".join(part for part in parts if part)


def add_members(session: Session, training_id: str, member_ids: Iterable[str]) -> int:
    """Add members of the register as participants; returns how many were new.

    A member already taking part is skipped, not refused (the picker may offer them twice).
    """
    _require_village(session)
    db = session.db()
    actor = session.actor()
    added = 0
    with db.atomic():
        _training(db, training_id)
        wanted = list(dict.fromkeys(member_ids))
        known = store.member_details(db, wanted)
        for member_id in wanted:
            if member_id not in known:
                raise NotFoundError(
                    _("A chosen member is no longer in the member register. Search again.")
                )
            if store.participant_for_member(db, training_id, member_id):
                continue
            store.insert_participant(
                db, Participant(training_id=training_id, member_id=member_id),
                village_code=session.code, actor=actor,
            )
            added += 1
    return added


def save_non_member(
    session: Session,
    participant: Participant,
    *,
    today: dt.date | None = None,
    confirmed: bool = False,
) -> str:
    """Add or change a participant who is not a member (never creates a member).

    A NIK that disagrees with the typed birth date or sex is refused with code
    ``nik_mismatch`` unless ``confirmed``; a NIK already in this training is refused.
    """
    _require_village(session)
    if participant.is_member:
        raise ValidationError(_("Members are added from the member register."), field="name")
    today = _today(today)
    participant = clean_fields(
        participant, multiline=("override_reason",), keep=("training_id", "member_id")
    )
    participant.validate(today)
    if not confirmed:
        problem = participant.nik_disagreement(today)
        if problem:
            raise ValidationError(problem, field="nik", code="nik_mismatch")
    db = session.db()
    actor = session.actor()
    with db.atomic():
        _training(db, participant.training_id)
        if participant.nik and store.participant_with_nik(
            db, participant.training_id, participant.nik, exclude_id=participant.id
        ):
            raise ValidationError(
                _("A participant with this NIK is already in this training."), field="nik"
            )
        if participant.nik and "members" in db.table_names():
            member = members_store.find_by_nik(db, session.code, participant.nik)
            if member is not None:
                raise ValidationError(
                    _(
                        "This NIK belongs to {name} in the member register. Add them with "
                        "'Add members' instead."
                    ).format(name=member.name),
                    field="nik",
                    code="is_member",
                )
        if participant.id is None:
            return store.insert_participant(db, participant, village_code=session.code,
                                            actor=actor)
        stored = _participant(db, participant.id)
        if stored.is_member:
            raise ValidationError(_("Members are added from the member register."), field="name")
        # Scores and the override are kept as they are; they are changed in Kelulusan.
        participant.pre_score, participant.post_score = stored.pre_score, stored.post_score
        participant.result_override = stored.result_override
        participant.override_reason = stored.override_reason
        store.update_participant(db, participant, actor=actor)
        return participant.id


def remove_participant(session: Session, participant_id: str) -> None:
    """Tombstone a participant with their attendance and outcomes; their number is retired."""
    with _village_write(session) as db:
        _participant(db, participant_id)
        store.remove_participant(
            db, participant_id, retire_reason=_("The participant was removed."),
            actor=session.actor(),
        )


# -- attendance -----------------------------------------------------------------------------
@dataclass(slots=True)
class AttendanceSheet:
    """The grid: sessions as columns, participants as rows, the codes filled in so far."""

    training: Training
    sessions: list[TrainingSession]
    participants: list[Participant]
    codes: dict[tuple[str, str], str] = field(default_factory=dict)


def load_attendance(session: Session, training_id: str) -> AttendanceSheet:
    db = session.db()
    training = _training(db, training_id)
    participants = store.list_participants(db, training_id)
    _fill_member_details(db, participants)
    return AttendanceSheet(
        training=training,
        sessions=store.list_sessions(db, training_id),
        participants=participants,
        codes=store.load_attendance(db, training_id),
    )


def save_attendance(
    session: Session, training_id: str, cells: Mapping[tuple[str, str], str | None]
) -> int:
    """Save a grid's cells (``(session_id, participant_id) -> code or None``) in one write.

    Codes are H, I, S, A (lower case accepted) or empty; a cell of a session or participant
    that is not (or no longer) in the training refuses the whole save. Returns how many
    cells changed.
    """
    _require_village(session)
    normalized = {cell: normalize_code(code) for cell, code in cells.items()}
    db = session.db()
    actor = session.actor()
    with db.atomic():
        training = _training(db, training_id)
        session_ids = {s.id for s in store.list_sessions(db, training_id)}
        participant_ids = {p.id for p in store.list_participants(db, training_id)}
        for session_id, participant_id in normalized:
            if session_id not in session_ids or participant_id not in participant_ids:
                raise NotFoundError(
                    _(
                        "A session or participant of this attendance sheet was removed "
                        "meanwhile. Open the training again and re-enter the attendance."
                    )
                )
        changed = store.save_attendance(db, training_id, normalized, village_code=session.code,
                                        actor=actor)
        if changed:
            _retire_non_graduates(db, training, actor=actor)
    return changed


# -- completion and certificates ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CompletionRow:
    participant: Participant
    completion: Completion
    certificate: Certificate | None


@dataclass(frozen=True, slots=True)
class CompletionSheet:
    training: Training
    session_count: int
    rows: list[CompletionRow]

    @property
    def graduates(self) -> int:
        return sum(1 for row in self.rows if row.completion.final_pass)


def _codes(tally: Mapping[str, int]) -> Iterable[str]:
    return itertools.chain.from_iterable(itertools.repeat(code, n) for code, n in tally.items())


def _completions(
    db: sqlite_utils.Database, training: Training, participants: Sequence[Participant],
    today: dt.date | None = None,
) -> dict[str, Completion]:
    """Each participant's result; while sessions are still to come (after ``today``, the
    village's day) over the sessions held so far and "not finished yet"."""
    assert training.id
    today = _today(today)
    sessions = store.list_sessions(db, training.id)
    held = sum(1 for meeting in sessions if meeting.date <= today)
    tallies = store.attendance_tallies(db, [training.id])
    result = {}
    for participant in participants:
        assert participant.id
        result[participant.id] = compute_completion(
            training.rule, participant.id, held, _codes(tallies.get(participant.id, {})),
            post_score=participant.post_score, override=participant.result_override,
            in_progress=held < len(sessions), planned=len(sessions),
        )
    return result


def _retire_non_graduates(db: sqlite_utils.Database, training: Training, *, actor: str) -> int:
    """Retire the valid certificate of every holder who no longer passes; returns how many."""
    assert training.id
    certificates = [c for c in store.certificates_of_training(db, training.id) if c.is_valid]
    if not certificates:
        return 0
    participants = {p.id: p for p in store.list_participants(db, training.id)}
    results = _completions(db, training, list(participants.values()))
    retired = 0
    for certificate in certificates:
        result = results.get(certificate.participant_id)
        if result is None or result.final_pass or result.in_progress:
            continue
        participant = participants[certificate.participant_id]
        if result.override == FAILED:
            reason = _("Result changed to not passed: {reason}").format(
                reason=participant.override_reason
            )
        else:
            reason = _("No longer passes: {reasons}").format(reasons=", ".join(result.shortfalls))
        store.set_certificate_status(db, certificate.id, CERTIFICATE_RETIRED, reason, actor=actor)
        retired += 1
    return retired


def completion(
    session: Session, training_id: str, *, today: dt.date | None = None
) -> CompletionSheet:
    """Everyone's attendance, computed and final result, and certificate number."""
    db = session.db()
    training = _training(db, training_id)
    participants = store.list_participants(db, training_id)
    _fill_member_details(db, participants)
    results = _completions(db, training, participants, today)
    certificates = {c.participant_id: c for c in store.certificates_of_training(db, training_id)}
    rows = [
        CompletionRow(p, results[p.id], certificates.get(p.id))
        for p in participants
        if p.id
    ]
    return CompletionSheet(training, len(store.list_sessions(db, training_id)), rows)


def set_scores(
    session: Session, participant_id: str, pre_score: float | None, post_score: float | None
) -> None:
    """Record the pre- and post-test scores (0–100, or None when not taken)."""
    _require_village(session)
    db = session.db()
    actor = session.actor()
    with db.atomic():
        participant = _participant(db, participant_id)
        _check_scores(pre_score, post_score)
        participant.pre_score, participant.post_score = pre_score, post_score
        store.update_participant(db, participant, actor=actor, detail="scores")
        _retire_non_graduates(db, _training(db, participant.training_id), actor=actor)


def _check_scores(pre: float | None, post: float | None) -> None:
    for value, name, label in ((pre, "pre_score", _("The pre-test score")),
                               (post, "post_score", _("The post-test score"))):
        if value is not None and not 0 <= value <= 100:
            raise ValidationError(
                _("{field} must be between 0 and 100.").format(field=label), field=name
            )


def save_result(
    session: Session,
    participant_id: str,
    *,
    pre_score: float | None,
    post_score: float | None,
    result: str | None,
    reason: str = "",
) -> None:
    """Scores and the override of one participant together, in one transaction (the
    Kelulusan dialog edits both)."""
    _require_village(session)
    check_override(result, reason)
    _check_scores(pre_score, post_score)
    db = session.db()
    actor = session.actor()
    with db.atomic():
        participant = _participant(db, participant_id)
        participant.pre_score, participant.post_score = pre_score, post_score
        participant.result_override = result
        participant.override_reason = clean_text(reason, multiline=True) if result else ""
        store.update_participant(db, participant, actor=actor,
                                 detail=f"result {result or 'computed'}")
        _retire_non_graduates(db, _training(db, participant.training_id), actor=actor)


def override_result(
    session: Session, participant_id: str, result: str | None, reason: str = ""
) -> None:
    """Set the result by hand (``lulus``/``tidak_lulus``, with a reason) or, with None,
    go back to the computed one. A holder set to not passed loses the number (retired)."""
    _require_village(session)
    check_override(result, reason)
    db = session.db()
    actor = session.actor()
    with db.atomic():
        participant = _participant(db, participant_id)
        participant.result_override = result
        participant.override_reason = clean_text(reason, multiline=True) if result else ""
        store.update_participant(db, participant, actor=actor,
                                 detail=f"override {result or 'cleared'}")
        _retire_non_graduates(db, _training(db, participant.training_id), actor=actor)


def next_certificate_number(session: Session, issued_on: dt.date) -> str:
    """The number the next new certificate issued on ``issued_on`` would get."""
    db = session.db()
    profile = profile_store.load(db)
    sequence = store.next_certificate_sequence(db, session.code, issued_on.year)
    return certificate_number(sequence, profile.short_name if profile else "", issued_on)


def assign_certificates(
    session: Session, training_id: str, issued_on: dt.date | None = None
) -> list[Certificate]:
    """Give every graduate without a valid number one; returns the numbers given.

    A graduate whose number was retired gets that same number back. New numbers continue the
    sequence of ``issued_on``'s year; graduates are numbered in the order of the sheet.
    """
    _require_village(session)
    issued_on = _today(issued_on)
    db = session.db()
    actor = session.actor()
    profile = profile_store.load(db)
    short_name = profile.short_name if profile else ""
    given: list[Certificate] = []
    with db.atomic():
        training = _training(db, training_id)
        participants = store.list_participants(db, training_id)
        results = _completions(db, training, participants)
        for participant in participants:
            assert participant.id
            if not results[participant.id].final_pass:
                continue
            existing = store.certificate_of_participant(db, participant.id)
            if existing is not None:
                if existing.status != CERTIFICATE_VALID:
                    store.set_certificate_status(db, existing.id, CERTIFICATE_VALID, None,
                                                 actor=actor)
                    given.append(store.certificate_of_participant(db, participant.id)
                                 or existing)
                continue
            sequence = store.next_certificate_sequence(db, session.code, issued_on.year)
            store.insert_certificate(
                db,
                training_id=training_id,
                participant_id=participant.id,
                year=issued_on.year,
                sequence=sequence,
                number=certificate_number(sequence, short_name, issued_on),
                issued_on=issued_on,
                village_code=session.code,
                actor=actor,
            )
            certificate = store.certificate_of_participant(db, participant.id)
            assert certificate is not None
            given.append(certificate)
    return given


# -- outcomes and follow-ups ----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FollowUpRow:
    """A graduate with their follow-ups: due dates, what was recorded, what is due now."""

    participant: Participant
    certificate: Certificate | None
    due_on: dict[int, dt.date]
    outcomes: dict[int, Outcome]
    due: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class FollowUpSheet:
    training: Training
    graduated_on: dt.date
    rows: list[FollowUpRow]


def _due_checkpoints(
    graduated_on: dt.date, recorded: Iterable[int], today: dt.date
) -> tuple[int, ...]:
    """Checkpoints whose date has come and that are not recorded.

    A 3-month follow-up is no longer asked for once the 6-month one is recorded.
    """
    done = set(recorded)
    due = []
    for months in CHECKPOINTS:
        if months in done or any(later in done for later in CHECKPOINTS if later > months):
            continue
        if add_months(graduated_on, months) <= today:
            due.append(months)
    return tuple(due)


def follow_up_sheet(
    session: Session, training_id: str, *, today: dt.date | None = None
) -> FollowUpSheet:
    """The graduates of a training (final result: passed) and their 3/6-month follow-ups."""
    today = _today(today)
    db = session.db()
    training = _training(db, training_id)
    assert training.end_date
    participants = store.list_participants(db, training_id)
    _fill_member_details(db, participants)
    results = _completions(db, training, participants)
    certificates = {c.participant_id: c for c in store.certificates_of_training(db, training_id)}
    outcomes: dict[str, dict[int, Outcome]] = {}
    for outcome in store.list_outcomes(db, [training_id]):
        outcomes.setdefault(outcome.participant_id, {})[outcome.checkpoint_months] = outcome
    rows = []
    for participant in participants:
        assert participant.id
        if not results[participant.id].final_pass:
            continue
        recorded = outcomes.get(participant.id, {})
        rows.append(
            FollowUpRow(
                participant=participant,
                certificate=certificates.get(participant.id),
                due_on={m: add_months(training.end_date, m) for m in CHECKPOINTS},
                outcomes=recorded,
                due=_due_checkpoints(training.end_date, recorded, today),
            )
        )
    return FollowUpSheet(training, training.end_date, rows)


def follow_ups_due(session: Session, today: dt.date | None = None) -> list[FollowUpDue]:
    """Every follow-up due in the file, oldest first (Beranda's reminder, the list filter)."""
    today = _today(today)
    db = session.db()
    first = min(CHECKPOINTS)
    # A superset (month ends clamp), narrowed exactly below.
    candidates = store.finished_training_ids(db, add_months(today, -first) + dt.timedelta(days=3))
    due: list[FollowUpDue] = []
    for training_id in candidates:
        training = _training(db, training_id)
        assert training.end_date
        participants = store.list_participants(db, training_id)
        results = _completions(db, training, participants)
        recorded: dict[str, set[int]] = {}
        for outcome in store.list_outcomes(db, [training_id]):
            recorded.setdefault(outcome.participant_id, set()).add(outcome.checkpoint_months)
        waiting = [
            (participant, months)
            for participant in participants
            if participant.id and results[participant.id].final_pass
            for months in _due_checkpoints(
                training.end_date, recorded.get(participant.id, set()), today
            )
        ]
        if not waiting:
            continue
        _fill_member_details(db, [participant for participant, _m in waiting])
        for participant, months in waiting:
            assert participant.id
            due.append(
                FollowUpDue(
                    training_id=training_id,
                    training_title=training.title,
                    participant_id=participant.id,
                    participant_name=participant.name,
                    checkpoint_months=months,
                    due_on=add_months(training.end_date, months),
                )
            )
    due.sort(key=lambda item: (item.due_on, item.training_title, item.participant_name))
    return due


def save_outcome(session: Session, outcome: Outcome, *, today: dt.date | None = None) -> str:
    """Record (or correct) a graduate's 3- or 6-month follow-up; one per checkpoint."""
    _require_village(session)
    today = _today(today)
    outcome = clean_fields(outcome, multiline=("notes",), keep=("training_id", "participant_id"))
    db = session.db()
    actor = session.actor()
    with db.atomic():
        training = _training(db, outcome.training_id)
        participant = _participant(db, outcome.participant_id)
        if participant.training_id != training.id:
            raise NotFoundError(_("The participant no longer exists (they may have been removed)."))
        outcome.validate(training.end_date, today)
        results = _completions(db, training, [participant])
        if not results[outcome.participant_id].final_pass:
            raise ValidationError(
                _("Follow-ups are recorded for graduates only; this participant did not pass."),
                field="participant",
                code="not_graduate",
            )
        other = store.outcome_for(db, outcome.participant_id, outcome.checkpoint_months)
        if other is not None and other != outcome.id:
            raise ValidationError(
                _("The {months}-month follow-up of this graduate is already recorded; "
                  "change that one instead.").format(months=outcome.checkpoint_months),
                field="checkpoint_months",
            )
        if outcome.id is None:
            return store.insert_outcome(db, outcome, village_code=session.code, actor=actor)
        _outcome(db, outcome.id)
        store.update_outcome(db, outcome, actor=actor)
        return outcome.id


def remove_outcome(session: Session, outcome_id: str) -> None:
    with _village_write(session) as db:
        _outcome(db, outcome_id)
        store.remove_outcome(db, outcome_id, actor=session.actor())


# -- everything the page shows of one training -----------------------------------------------
@dataclass(frozen=True, slots=True)
class TrainingDetail:
    """One read for the page's tabs, so they always show the same moment of the file."""

    training: Training
    sessions: list[TrainingSession]
    participants: list[Participant]
    attendance: AttendanceSheet
    completion: CompletionSheet
    follow_ups: FollowUpSheet


def detail(session: Session, training_id: str, *, today: dt.date | None = None) -> TrainingDetail:
    db = session.db()
    with db.atomic():  # one read transaction: a consistent picture
        attendance = load_attendance(session, training_id)
        return TrainingDetail(
            training=attendance.training,
            sessions=attendance.sessions,
            participants=attendance.participants,
            attendance=attendance,
            completion=completion(session, training_id),
            follow_ups=follow_up_sheet(session, training_id, today=today),
        )


# -- other areas ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MemberTraining:
    """A training in a member's history (the member page shows these)."""

    training_id: str
    title: str
    skill_field: str
    start_date: dt.date
    end_date: dt.date
    passed: bool
    certificate_number: str | None


def member_history(session: Session, member_id: str) -> list[MemberTraining]:
    """The trainings a member took part in, newest first, with result and certificate."""
    db = session.db()
    history = []
    for training_id, participant_id in store.member_participations(db, member_id):
        training = _training(db, training_id)
        participant = _participant(db, participant_id)
        result = _completions(db, training, [participant])[participant_id]
        certificate = store.certificate_of_participant(db, participant_id)
        assert training.start_date and training.end_date
        history.append(
            MemberTraining(
                training_id=training_id,
                title=training.title,
                skill_field=training.skill_field,
                start_date=training.start_date,
                end_date=training.end_date,
                passed=result.final_pass,
                certificate_number=certificate.number
                if certificate and certificate.is_valid else None,
            )
        )
    return history


def history_entries(session: Session, member_id: str) -> list[HistoryEntry]:
    """The member detail's lines for trainings (registered in ``HISTORY_PROVIDERS``)."""
    today = clock.today()
    entries = []
    for item in member_history(session, member_id):
        if item.end_date >= today:
            result = _("in progress")
        elif item.passed:
            result = _("passed")
        else:
            result = _("not passed")
        detail = f"{item.skill_field} · {result}"
        if item.certificate_number:
            detail += " · " + _("certificate {number}").format(number=item.certificate_number)
        entries.append(
            HistoryEntry(date=item.start_date, kind=_("Training"), title=item.title,
                         detail=detail)
        )
    return entries


def dashboard_counts(session: Session, today: dt.date) -> dict[str, int]:
    """Beranda's "trainings running" card (registered in ``dashboard.COUNT_PROVIDERS``)."""
    return {TRAININGS_RUNNING: store.count_running(session.db(), today)}


def dashboard_reminders(session: Session, today: dt.date) -> list[Reminder]:
    """Beranda's reminder of follow-ups due (registered in ``dashboard.REMINDER_PROVIDERS``)."""
    if not session.is_village:
        return []
    due = follow_ups_due(session, today)
    if not due:
        return []
    return [
        Reminder(
            ngettext(
                "{count} training follow-up is due (graduates 3 or 6 months after the "
                "training). Record them on the Trainings page.",
                "{count} training follow-ups are due (graduates 3 or 6 months after the "
                "training). Record them on the Trainings page.",
                len(due),
            ).format(count=len(due)),
            warning=True,
        )
    ]
