"""Trainings: completion, certificate numbers, attendance codes, participants, follow-ups,
tombstones and audit — checked the way a secretary or the province would check them."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from kt_desktop.domain.errors import NotFoundError, ValidationError
from kt_desktop.domain.members import Member
from kt_desktop.domain.trainings import (
    CHECKPOINTS,
    EMPLOYED,
    FAILED,
    NOT_WORKING,
    PASSED,
    SELF_EMPLOYED,
    CompletionRule,
    Outcome,
    Participant,
    Training,
    TrainingFilter,
    TrainingSession,
    add_months,
    certificate_number,
    compute_completion,
    next_code,
    normalize_code,
)
from kt_desktop.services import trainings as service
from kt_desktop.services.session import Session

START = dt.date(2026, 3, 2)
END = dt.date(2026, 3, 31)
TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def session(village_session: Session) -> Session:
    """The open village file (``village_session``), under the name these tests use."""
    return village_session


def make_training(session: Session, sessions: int = 8, **changes: object) -> str:
    values: dict[str, object] = {
        "title": "Pelatihan Menjahit Dasar", "skill_field": "Menjahit", "organizer": "KT",
        "partner": "BLK Serang", "partner_kind": "blk", "start_date": START, "end_date": END,
        "quota": 20, "cost": 6_500_000, "funding_source": "pemda",
    }
    values.update(changes)
    training_id = service.save_training(session, Training(**values))  # type: ignore[arg-type]
    start = values["start_date"]
    assert isinstance(start, dt.date)
    for index in range(sessions):
        service.save_session(
            session,
            TrainingSession(training_id, start + dt.timedelta(days=3 * index), f"Materi {index + 1}",
                            3),
        )
    return training_id


def add_people(session: Session, training_id: str, names: list[str]) -> list[str]:
    return [
        service.save_non_member(
            session, Participant(training_id, name=name, sex="P"), today=TODAY
        )
        for name in names
    ]


def mark(session: Session, training_id: str, rows: dict[str, str]) -> int:
    """``rows``: participant id -> codes in session order ("HHAI…"; "." leaves a cell empty)."""
    meetings = service.list_sessions(session, training_id)
    cells: dict[tuple[str, str], str | None] = {}
    for participant_id, codes in rows.items():
        for meeting, code in zip(meetings, codes, strict=False):
            assert meeting.id
            cells[(meeting.id, participant_id)] = None if code == "." else code
    return service.save_attendance(session, training_id, cells)


def results(session: Session, training_id: str) -> dict[str, tuple[bool, str]]:
    sheet = service.completion(session, training_id)
    return {
        row.participant.name: (
            row.completion.final_pass,
            row.certificate.number if row.certificate and row.certificate.is_valid else "",
        )
        for row in sheet.rows
    }


def db_count(session: Session, sql: str, *params: object) -> int:
    return int(session.db().execute(sql, list(params)).fetchone()[0])


# -- the completion rule -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("codes", "sessions", "passes"),
    [
        ("HHHHHHAA", 8, True),  # 6 of 8 = exactly 75 %
        ("HHHHHAAA", 8, False),  # 5 of 8 = 62.5 %
        ("HHHA", 4, True),  # 3 of 4 = 75 %
        ("HHHHHHII", 8, True),
        ("HHHHHIIS", 8, False),  # izin and sakit are not present
        ("HHHHH", 8, False),  # three cells never filled in
        ("", 0, False),  # no sessions: nobody passes yet
    ],
)
def test_attendance_rule_counts_only_h_with_75_percent_inclusive(
    codes: str, sessions: int, passes: bool
) -> None:
    result = compute_completion(CompletionRule(), "p", sessions, list(codes))
    assert result.computed_pass is passes
    assert result.final_pass is passes
    assert result.present == codes.count("H")


def test_rule_with_minimum_post_test_and_override() -> None:
    rule = CompletionRule(min_attendance_pct=75, min_post_score=60)
    full = list("HHHH")
    assert not compute_completion(rule, "p", 4, full).computed_pass  # no post-test yet
    assert not compute_completion(rule, "p", 4, full, post_score=59.5).computed_pass
    assert compute_completion(rule, "p", 4, full, post_score=60).computed_pass
    overridden = compute_completion(rule, "p", 4, list("HAAA"), post_score=90, override=PASSED)
    assert not overridden.computed_pass and overridden.final_pass
    assert "Lulus bila hadir (H) paling sedikit 75%" in rule.describe()


def test_completion_in_a_training_follows_its_own_rule(session: Session) -> None:
    training_id = make_training(session, sessions=4)
    ani, budi = add_people(session, training_id, ["Ani", "Budi"])
    mark(session, training_id, {ani: "HHHA", budi: "HHAA"})
    assert results(session, training_id) == {"Ani": (True, ""), "Budi": (False, "")}
    training = service.get_training(session, training_id)
    training.min_attendance_pct = 50
    service.save_training(session, training)
    assert results(session, training_id) == {"Ani": (True, ""), "Budi": (True, "")}


def test_override_needs_a_reason_and_leaves_the_file_unchanged(session: Session) -> None:
    training_id = make_training(session, sessions=4)
    (budi,) = add_people(session, training_id, ["Budi"])
    mark(session, training_id, {budi: "HAAA"})
    seq_before = db_count(session, "SELECT value FROM counters WHERE name = 'change_seq'")
    with pytest.raises(ValidationError) as refused:
        service.override_result(session, budi, PASSED, "  ")
    assert refused.value.field == "override_reason"
    assert db_count(session, "SELECT value FROM counters WHERE name = 'change_seq'") == seq_before
    service.override_result(session, budi, PASSED, "Mengikuti kelas pengganti di BLK")
    assert results(session, training_id)["Budi"] == (True, "")
    service.override_result(session, budi, None)
    assert results(session, training_id)["Budi"] == (False, "")


# -- certificates --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 1, 5), "001/SERT-PLT/KT-TH/I/2026"),
        (dt.date(2026, 4, 5), "001/SERT-PLT/KT-TH/IV/2026"),
        (dt.date(2026, 9, 5), "001/SERT-PLT/KT-TH/IX/2026"),
        (dt.date(2026, 11, 5), "001/SERT-PLT/KT-TH/XI/2026"),
        (dt.date(2026, 12, 5), "001/SERT-PLT/KT-TH/XII/2026"),
    ],
)
def test_certificate_number_uses_roman_month_of_issue(day: dt.date, expected: str) -> None:
    assert certificate_number(1, "KT-TH", day) == expected


def test_certificate_number_format_edge_cases() -> None:
    assert certificate_number(7, "KT-TH", dt.date(2026, 11, 3)) == "007/SERT-PLT/KT-TH/XI/2026"
    assert certificate_number(1234, "KT-TH", dt.date(2026, 11, 3)).startswith("1234/")
    # A slash in the short name would split the number: it becomes a dash.
    assert certificate_number(1, "kt tunas/harapan", dt.date(2026, 1, 1)) == (
        "001/SERT-PLT/KT-TUNAS-HARAPAN/I/2026"
    )
    assert certificate_number(1, "", dt.date(2026, 1, 1)) == "001/SERT-PLT/KT/I/2026"


def test_certificate_numbers_are_given_once_and_never_reused(session: Session) -> None:
    training_id = make_training(session, sessions=4)
    ani, budi, citra, dedi = add_people(session, training_id, ["Ani", "Budi", "Citra", "Dedi"])
    mark(session, training_id, {ani: "HHHH", budi: "HHHH", citra: "HHAA", dedi: "HHHH"})
    issued = dt.date(2026, 4, 6)
    given = service.assign_certificates(session, training_id, issued)
    assert [c.number for c in given] == [
        "001/SERT-PLT/KT-TH/IV/2026", "002/SERT-PLT/KT-TH/IV/2026", "003/SERT-PLT/KT-TH/IV/2026"
    ]
    # Assigning again changes nothing.
    assert service.assign_certificates(session, training_id, issued) == []

    # Budi is set to not passed: his 002 is retired at once, with the reason.
    service.override_result(session, budi, FAILED, "Ketahuan titip absen")
    sheet = {row.participant.name: row for row in service.completion(session, training_id).rows}
    assert sheet["Budi"].certificate is not None
    assert not sheet["Budi"].certificate.is_valid
    assert "Ketahuan titip absen" in sheet["Budi"].certificate.retired_reason

    # Citra passes after a correction: she gets 004, never Budi's 002.
    mark(session, training_id, {citra: "HHHA"})
    given = service.assign_certificates(session, training_id, issued)
    assert [c.number for c in given] == ["004/SERT-PLT/KT-TH/IV/2026"]

    # Attendance corrected down: Dedi's 003 is retired by the recomputation itself.
    mark(session, training_id, {dedi: "HAAA"})
    assert results(session, training_id)["Dedi"] == (False, "")

    # Budi's override is lifted: he gets his own 002 back (one number per graduate).
    service.override_result(session, budi, None)
    given = service.assign_certificates(session, training_id, issued)
    assert [c.number for c in given] == ["002/SERT-PLT/KT-TH/IV/2026"]

    # Ani is removed: 001 is retired; the next graduate continues at 005.
    service.remove_participant(session, ani)
    (eka,) = add_people(session, training_id, ["Eka"])
    mark(session, training_id, {eka: "HHHH"})
    given = service.assign_certificates(session, training_id, issued)
    assert [c.number for c in given] == ["005/SERT-PLT/KT-TH/IV/2026"]

    # Removing the whole training retires its numbers; a new training goes on at 006.
    service.remove_training(session, training_id)
    assert db_count(
        session, "SELECT count(*) FROM training_certificates WHERE status = 'valid'"
    ) == 0
    other = make_training(session, sessions=1, title="Pelatihan Barista", skill_field="Barista")
    (fajar,) = add_people(session, other, ["Fajar"])
    mark(session, other, {fajar: "H"})
    given = service.assign_certificates(session, other, issued)
    assert [c.number for c in given] == ["006/SERT-PLT/KT-TH/IV/2026"]
    numbers = [row[0] for row in session.db().execute(
        "SELECT number FROM training_certificates ORDER BY sequence"
    ).fetchall()]
    assert len(numbers) == len(set(numbers)) == 6


def test_sequence_starts_again_each_year(session: Session) -> None:
    training_id = make_training(session, sessions=1)
    ani, budi = add_people(session, training_id, ["Ani", "Budi"])
    mark(session, training_id, {ani: "H", budi: "A"})
    assert [c.number for c in service.assign_certificates(
        session, training_id, dt.date(2026, 12, 30)
    )] == ["001/SERT-PLT/KT-TH/XII/2026"]
    service.override_result(session, budi, PASSED, "Ujian susulan di BLK Serang")
    assert [c.number for c in service.assign_certificates(
        session, training_id, dt.date(2027, 1, 4)
    )] == ["001/SERT-PLT/KT-TH/I/2027"]


# -- attendance ----------------------------------------------------------------------------
def test_attendance_codes() -> None:
    assert normalize_code("h") == "H"
    assert normalize_code(" a ") == "A"
    assert normalize_code("") is None and normalize_code(None) is None
    with pytest.raises(ValidationError) as refused:
        normalize_code("X")
    assert refused.value.code == "attendance_code"
    assert [next_code(c) for c in (None, "H", "I", "S", "A")] == ["H", "I", "S", "A", None]


def test_attendance_grid_saves_in_one_write_and_refuses_bad_codes(session: Session) -> None:
    training_id = make_training(session, sessions=4)
    ani, budi = add_people(session, training_id, ["Ani", "Budi"])
    assert mark(session, training_id, {ani: "hhha", budi: "HI.S"}) == 7
    sheet = service.load_attendance(session, training_id)
    first = sheet.sessions[0].id
    assert sheet.codes[(first, ani)] == "H"
    assert len(sheet.codes) == 7
    # Saving the same grid again writes nothing.
    assert mark(session, training_id, {ani: "HHHA", budi: "HI.S"}) == 0

    seq_before = db_count(session, "SELECT value FROM counters WHERE name = 'change_seq'")
    audit_before = db_count(session, "SELECT count(*) FROM audit_log")
    with pytest.raises(ValidationError):
        mark(session, training_id, {ani: "HHHH", budi: "HXHH"})
    assert service.load_attendance(session, training_id).codes == sheet.codes
    assert db_count(session, "SELECT value FROM counters WHERE name = 'change_seq'") == seq_before
    assert db_count(session, "SELECT count(*) FROM audit_log") == audit_before

    # A change of one cell and the emptying of another: one version bump each, audited.
    assert mark(session, training_id, {ani: "HHHH", budi: ".I.S"}) == 2
    versions = session.db().execute(
        "SELECT a.code, a.version FROM training_attendance a "
        "JOIN training_sessions s ON s.id = a.session_id "
        "WHERE a.participant_id = ? AND a.deleted_at IS NULL ORDER BY s.date", [ani]
    ).fetchall()
    assert versions == [("H", 1), ("H", 1), ("H", 1), ("H", 2)]
    assert db_count(
        session, "SELECT count(*) FROM training_attendance WHERE deleted_at IS NOT NULL"
    ) == 1
    assert db_count(
        session, "SELECT count(*) FROM audit_log WHERE table_name = 'training_attendance' "
        "AND action = 'update' AND detail = 'A->H'"
    ) == 1
    seqs = [row[0] for row in session.db().execute(
        "SELECT change_seq FROM training_attendance"
    ).fetchall()]
    assert len(seqs) == len(set(seqs))


def test_attendance_of_another_training_is_refused(session: Session) -> None:
    one = make_training(session, sessions=1)
    other = make_training(session, sessions=1, title="Barista", skill_field="Barista")
    (ani,) = add_people(session, one, ["Ani"])
    meeting = service.list_sessions(session, other)[0]
    assert meeting.id
    with pytest.raises(NotFoundError):
        service.save_attendance(session, one, {(meeting.id, ani): "H"})
    assert service.load_attendance(session, one).codes == {}


def test_a_grid_of_25_by_10_saves_quickly(session: Session) -> None:
    import time

    training_id = make_training(session, sessions=10, end_date=dt.date(2026, 4, 30))
    people = add_people(session, training_id, [f"Peserta {n}" for n in range(25)])
    started = time.perf_counter()
    assert mark(session, training_id, {pid: "HHHHHHHHIA" for pid in people}) == 250
    assert time.perf_counter() - started < 1.0


# -- participants --------------------------------------------------------------------------
def test_non_members_never_become_members(session: Session) -> None:
    training_id = make_training(session, sessions=1)
    members_before = db_count(session, "SELECT count(*) FROM members")
    participant_id = service.save_non_member(
        session,
        Participant(training_id, name="Dewi Lestari", sex="P", birth_date=dt.date(2001, 8, 5),
                    nik="3604 2245 0801 0001", phone="0812-3456-7890"),
        today=TODAY,
    )
    assert db_count(session, "SELECT count(*) FROM members") == members_before
    (stored,) = service.list_participants(session, training_id)
    assert stored.id == participant_id and not stored.is_member
    assert stored.nik == "3604224508010001"  # separators dropped


def test_non_member_nik_is_checked(session: Session) -> None:
    training_id = make_training(session, sessions=1)
    with pytest.raises(ValidationError) as refused:
        service.save_non_member(
            session, Participant(training_id, name="Eka", sex="L", nik="360422450801"),
            today=TODAY,
        )
    assert refused.value.field == "nik"
    # Birth date typed differs from the NIK: asked to confirm, saved once confirmed.
    person = Participant(training_id, name="Dewi", sex="P", birth_date=dt.date(2001, 8, 6),
                         nik="3604224508010001")
    with pytest.raises(ValidationError) as asked:
        service.save_non_member(session, person, today=TODAY)
    assert asked.value.code == "nik_mismatch"
    assert "05/08/2001" in asked.value.message
    service.save_non_member(session, person, today=TODAY, confirmed=True)
    # The same NIK twice in one training is refused.
    with pytest.raises(ValidationError):
        service.save_non_member(
            session, Participant(training_id, name="Dewi L", sex="P", nik="3604224508010001"),
            today=TODAY, confirmed=True,
        )


def test_members_are_linked_not_copied(session: Session) -> None:
    from kt_desktop.services import members

    saved = members.save(
        session,
        Member(name="Siti Aminah", nik="3604225708030002", birth_date=dt.date(2003, 8, 17),
               sex="P", dusun="Cilaku", rt="001", rw="002"),
        confirm=True, today=TODAY,
    )
    training_id = make_training(session, sessions=2)
    choices = service.search_members(session, "siti", training_id=training_id)
    assert [c.name for c in choices] == ["Siti Aminah"] and not choices[0].already_in
    assert service.add_members(session, training_id, [saved.id, saved.id]) == 1
    assert service.add_members(session, training_id, [saved.id]) == 0
    assert service.search_members(session, "siti", training_id=training_id)[0].already_in
    (participant,) = service.list_participants(session, training_id)
    assert participant.is_member and participant.name == "Siti Aminah"
    assert participant.birth_date == dt.date(2003, 8, 17)
    row = session.db().execute(
        "SELECT name, nik, birth_date FROM training_participants WHERE id = ?",
        [participant.id],
    ).fetchone()
    assert row == (None, None, None)  # personal data stays in the register
    # A member's NIK typed as a non-member: pointed to the register instead.
    with pytest.raises(ValidationError) as refused:
        service.save_non_member(
            session,
            Participant(training_id, name="Siti", sex="P", birth_date=dt.date(2003, 8, 17),
                        nik="3604225708030002"),
            today=TODAY,
        )
    assert refused.value.code == "is_member"
    # The member's history shows the training.
    assert participant.id
    mark(session, training_id, {participant.id: "HH"})
    history = members.history(session, saved.id)
    assert any(entry.title == "Pelatihan Menjahit Dasar" and "lulus" in entry.detail
               for entry in history)


# -- outcomes and follow-ups ---------------------------------------------------------------
def test_add_months_clamps_to_month_end() -> None:
    assert add_months(dt.date(2026, 3, 31), 3) == dt.date(2026, 6, 30)
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 11, 15), -3) == dt.date(2026, 8, 15)


def test_follow_ups_fall_due_at_3_and_6_months(session: Session) -> None:
    training_id = make_training(session, sessions=4)
    ani, budi = add_people(session, training_id, ["Ani", "Budi"])
    mark(session, training_id, {ani: "HHHH", budi: "AAAA"})  # only Ani graduates

    def due(today: dt.date) -> list[tuple[str, int]]:
        return [(d.participant_name, d.checkpoint_months)
                for d in service.follow_ups_due(session, today)]

    assert due(dt.date(2026, 6, 29)) == []
    assert due(dt.date(2026, 6, 30)) == [("Ani", 3)]  # 31 March + 3 months
    service.save_outcome(
        session,
        Outcome(training_id, ani, 3, dt.date(2026, 7, 2), EMPLOYED, "Konveksi Berkah Jaya",
                2_500_000),
        today=dt.date(2026, 7, 2),
    )
    assert due(dt.date(2026, 9, 29)) == []
    assert due(dt.date(2026, 9, 30)) == [("Ani", 6)]
    sheet = service.follow_up_sheet(session, training_id, today=dt.date(2026, 9, 30))
    (row,) = sheet.rows
    assert row.due == (6,) and row.outcomes[3].monthly_income == 2_500_000
    assert row.due_on == {3: dt.date(2026, 6, 30), 6: dt.date(2026, 9, 30)}
    service.save_outcome(
        session, Outcome(training_id, ani, 6, dt.date(2026, 10, 1), SELF_EMPLOYED,
                         "Jasa jahit di rumah"),
        today=dt.date(2026, 10, 1),
    )
    assert due(TODAY) == []
    # The list filter "follow-ups due" finds the training only while something is due.
    assert service.list_trainings(session, TrainingFilter(status="followup_due"),
                                  today=TODAY) == []


def test_a_recorded_6_month_follow_up_ends_the_3_month_one(session: Session) -> None:
    training_id = make_training(session, sessions=1)
    (ani,) = add_people(session, training_id, ["Ani"])
    mark(session, training_id, {ani: "H"})
    assert [d.checkpoint_months for d in service.follow_ups_due(session, TODAY)] == [3, 6]
    service.save_outcome(session, Outcome(training_id, ani, 6, TODAY, NOT_WORKING), today=TODAY)
    assert service.follow_ups_due(session, TODAY) == []


def test_outcome_rules(session: Session) -> None:
    training_id = make_training(session, sessions=1)
    ani, budi = add_people(session, training_id, ["Ani", "Budi"])
    mark(session, training_id, {ani: "H", budi: "A"})
    with pytest.raises(ValidationError) as refused:
        service.save_outcome(session, Outcome(training_id, ani, 3, TODAY, EMPLOYED), today=TODAY)
    assert refused.value.field == "detail"
    with pytest.raises(ValidationError) as refused:
        service.save_outcome(
            session, Outcome(training_id, budi, 3, TODAY, NOT_WORKING), today=TODAY
        )
    assert refused.value.code == "not_graduate"
    with pytest.raises(ValidationError):
        service.save_outcome(
            session, Outcome(training_id, ani, 3, dt.date(2026, 3, 1), NOT_WORKING), today=TODAY
        )
    first = service.save_outcome(
        session, Outcome(training_id, ani, 3, TODAY, NOT_WORKING), today=TODAY
    )
    with pytest.raises(ValidationError):
        service.save_outcome(
            session, Outcome(training_id, ani, 3, TODAY, SELF_EMPLOYED, "Warung"), today=TODAY
        )
    assert CHECKPOINTS == (3, 6)
    service.remove_outcome(session, first)
    assert db_count(session, "SELECT count(*) FROM training_outcomes WHERE deleted_at IS NULL") == 0


# -- the list, tombstones and audit --------------------------------------------------------
def test_list_filters_and_search(session: Session) -> None:
    make_training(session, sessions=1)
    make_training(session, sessions=1, title="Pelatihan Barista", skill_field="Barista",
                  partner="Program CSR PT Sinar", partner_kind="csr",
                  start_date=dt.date(2025, 7, 1), end_date=dt.date(2025, 7, 20))
    make_training(session, sessions=0, title="Kewirausahaan Digital", skill_field="Pemasaran",
                  kind="kewirausahaan", start_date=dt.date(2026, 11, 20),
                  end_date=dt.date(2026, 12, 20))

    def titles(**filters: object) -> list[str]:
        flt = TrainingFilter(**filters)  # type: ignore[arg-type]
        rows = service.list_trainings(session, flt, today=TODAY)
        assert service.count_trainings(session, flt, today=TODAY) == len(rows)
        return [row.title for row in rows]

    assert titles() == ["Kewirausahaan Digital", "Pelatihan Menjahit Dasar", "Pelatihan Barista"]
    assert titles(year=2025) == ["Pelatihan Barista"]
    assert titles(status="running") == ["Kewirausahaan Digital"]
    assert titles(status="finished") == ["Pelatihan Menjahit Dasar", "Pelatihan Barista"]
    assert titles(skill_field="Barista") == ["Pelatihan Barista"]
    assert titles(search="csr sinar") == ["Pelatihan Barista"]
    assert titles(search="100%") == []
    choices = service.skill_field_choices(session)
    assert choices[:2] == ["Menjahit", "Tata boga"] and "Pemasaran" in choices
    assert service.filter_choices(session).years == [2026, 2025]


def test_removal_leaves_tombstones_clears_personal_data_and_is_audited(
    session: Session,
) -> None:
    training_id = make_training(session, sessions=2)
    (dewi,) = [service.save_non_member(
        session,
        Participant(training_id, name="Dewi Lestari", sex="P", birth_date=dt.date(2001, 8, 5),
                    nik="3604224508010001", phone="0812-3456-7890"),
        today=TODAY,
    )]
    mark(session, training_id, {dewi: "HH"})
    service.save_outcome(
        session, Outcome(training_id, dewi, 3, TODAY, EMPLOYED, "Konveksi", 2_000_000),
        today=TODAY,
    )
    service.assign_certificates(session, training_id, dt.date(2026, 4, 6))
    removed = service.remove_training(session, training_id)
    assert removed == {"training_attendance": 2, "training_outcomes": 1, "training_sessions": 2,
                       "training_participants": 1, "trainings": 1}
    db = session.db()
    for table in ("trainings", "training_sessions", "training_participants",
                  "training_attendance", "training_outcomes"):
        live, dead = db.execute(
            f"SELECT sum(deleted_at IS NULL), sum(deleted_at IS NOT NULL) FROM {table}"
        ).fetchone()
        assert (live, dead) == (0, removed[table]), table
    person = db.execute(
        "SELECT name, nik, phone, birth_date, version FROM training_participants"
    ).fetchone()
    assert person == (None, None, None, None, 2)
    assert db.execute("SELECT detail, monthly_income FROM training_outcomes").fetchone() == (
        None, None
    )
    assert db.execute("SELECT status FROM training_certificates").fetchone() == ("retired",)
    audited = dict(db.execute(
        "SELECT table_name, count(*) FROM audit_log WHERE action = 'remove' GROUP BY table_name"
    ).fetchall())
    assert audited == {"trainings": 1, "training_sessions": 2, "training_participants": 1,
                       "training_attendance": 2, "training_outcomes": 1}
    assert "3604224508010001" not in " ".join(
        str(row) for row in db.execute("SELECT * FROM audit_log").fetchall()
    )
    assert service.list_trainings(session, today=TODAY) == []
    with pytest.raises(NotFoundError):
        service.get_training(session, training_id)


def test_session_dates_stay_inside_the_training(session: Session) -> None:
    training_id = make_training(session, sessions=2)
    with pytest.raises(ValidationError) as refused:
        service.save_session(session, TrainingSession(training_id, dt.date(2026, 4, 2), "Extra"))
    assert refused.value.field == "date"
    training = service.get_training(session, training_id)
    training.end_date = dt.date(2026, 3, 3)  # the second session (5 March) would fall outside
    with pytest.raises(ValidationError) as refused:
        service.save_training(session, training)
    assert refused.value.field == "end_date"
    assert service.get_training(session, training_id).end_date == END


def test_demo_fills_realistic_trainings_without_making_members(session: Session) -> None:
    from kt_desktop.services import demo_members, demo_trainings

    rng = random.Random(7)
    with session.db().atomic():
        demo_members.fill(session, rng, TODAY, members=60, months=12)
    members = db_count(session, "SELECT count(*) FROM members")
    with session.db().atomic():
        added = demo_trainings.fill(session, rng, TODAY, members=60, months=12)
    assert db_count(session, "SELECT count(*) FROM members") == members
    assert added["trainings"] == 3
    assert 15 * 3 <= added["training_participants"] <= 25 * 3
    assert added["training_certificates"] > 10 and added["training_outcomes"] > 5
    rows = service.list_trainings(session, today=TODAY)
    assert {row.title for row in rows} >= {"Pelatihan Menjahit Dasar", "Pelatihan Barista"}
    assert all(6 <= row.sessions <= 10 for row in rows)
    non_members = db_count(
        session, "SELECT count(*) FROM training_participants WHERE member_id IS NULL"
    )
    assert 0 < non_members < added["training_participants"] / 3
    assert service.follow_ups_due(session, TODAY)  # some are left for the secretary


def test_dashboard_card_and_reminder(session: Session) -> None:
    from kt_desktop.services import dashboard

    make_training(session, sessions=1, start_date=dt.date(2026, 11, 20),
                  end_date=dt.date(2026, 12, 5))
    training_id = make_training(session, sessions=1, title="Barista", skill_field="Barista")
    (ani,) = add_people(session, training_id, ["Ani"])
    mark(session, training_id, {ani: "H"})
    summary = dashboard.summary(session, TODAY)
    assert summary.counts[dashboard.TRAININGS_RUNNING] == 1
    assert any("tindak lanjut pelatihan jatuh tempo" in r.text for r in summary.reminders)


def test_a_running_training_fails_nobody_and_counts_only_the_sessions_held(
    session: Session,
) -> None:
    """Issue 16: with 4 of 7 sessions still to come, the participants were shown as "Tidak
    lulus – kehadiran kurang dari 75 %" in red and "% hadir" counted the future sessions."""
    training_id = make_training(session, sessions=7, end_date=START + dt.timedelta(days=18))
    ani, budi = add_people(session, training_id, ["Ani", "Budi"])
    mark(session, training_id, {ani: "HHA", budi: "HHH"})
    held_three = START + dt.timedelta(days=7)  # sessions on day 0, 3 and 6 are held
    sheet = service.completion(session, training_id, today=held_three)
    by_name = {row.participant.name: row.completion for row in sheet.rows}
    assert by_name["Budi"].attendance_pct == 100
    assert round(by_name["Ani"].attendance_pct or 0, 1) == 66.7
    for result in by_name.values():
        assert result.in_progress and not result.final_pass
        assert result.shortfalls == ("belum selesai: 3 dari 7 pertemuan sudah berlangsung",)
    # After the last session the rule decides, over all seven sessions.
    after = service.completion(session, training_id, today=START + dt.timedelta(days=19))
    assert {row.participant.name: (row.completion.in_progress, row.completion.final_pass)
            for row in after.rows} == {"Ani": (False, False), "Budi": (False, False)}
