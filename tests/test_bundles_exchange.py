"""The two histories of issue 24 that broke the exchange, step by step through the services:
a unique value passed from one record to another, and a village that restores a backup."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kt_desktop.domain import clock
from kt_desktop.domain.errors import KtError
from kt_desktop.domain.members import Member
from kt_desktop.domain.trainings import EMPLOYED, NOT_WORKING, Outcome, Training, TrainingSession
from kt_desktop.services import backups, bundles, members, trainings
from kt_desktop.services import receiver as receiver_service
from kt_desktop.services.session import Session, open_session
from kt_desktop.store import bundles as bundle_store
from tests.test_bundles_kit import (
    VILLAGE,
    export,
    import_one,
    live_rows,
    record_digest,
)

TODAY = dt.date(2025, 6, 30)
SITI_NIK = "3604225705010001"  # a woman born 17 May 2001, Kecamatan Baros
OTHER_NIK = "3604225705010002"
THIRD_NIK = "3604225705010003"


def _member(village: Session, name: str, nik: str, member_id: str | None = None) -> str:
    if member_id is not None:
        member = members.get(village, member_id)
        member.name, member.nik = name, nik
    else:
        member = Member(
            name=name, nik=nik, birth_date=dt.date(2001, 5, 17), sex="P", dusun="Cilaku",
            status="aktif",
        )
    return members.save(village, member, confirm=True, today=TODAY).id


def _accepted(receiver: Session, path: Path) -> bundles.BundleSummary:
    summary = import_one(receiver, path)
    assert summary.status == bundles.IMPORTED, summary.message
    return summary


def test_a_nik_passed_from_siti_to_rina_is_accepted_in_any_bundle(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    """Siti's NIK corrected, Rina saved with Siti's old NIK, Siti edited again: bundle 2 and
    a full bundle are accepted and the receiver holds exactly the village's members."""
    village, receiver = pair
    siti = _member(village, "Siti", SITI_NIK)
    _accepted(receiver, export(village, tmp_path / "usb"))

    _member(village, "Siti", OTHER_NIK, siti)
    rina = _member(village, "Rina", SITI_NIK)
    _member(village, "Siti Aminah", OTHER_NIK, siti)  # Siti written again, after Rina
    _accepted(receiver, export(village, tmp_path / "usb"))

    rows = live_rows(receiver.db(), "members")
    assert (rows[siti]["nik"], rows[rina]["nik"]) == (OTHER_NIK, SITI_NIK)
    assert record_digest(receiver.db()) == record_digest(village.db())

    members.remove(village, rina)
    _member(village, "Siti Aminah", SITI_NIK, siti)  # and back again
    _accepted(receiver, export(village, tmp_path / "usb", full=True))
    assert live_rows(receiver.db(), "members")[rina]["nik"] is None  # removed at the province
    assert record_digest(receiver.db()) == record_digest(village.db())


def _graduate(village: Session) -> tuple[str, str]:
    """A training whose one participant attended everything: (training id, participant id)."""
    member = _member(village, "Dewi", THIRD_NIK)
    start = dt.date(2024, 1, 8)
    training = trainings.save_training(
        village,
        Training(title="Menjahit", skill_field="Menjahit", start_date=start, end_date=start),
    )
    meeting = trainings.save_session(
        village, TrainingSession(training_id=training, date=start, topic="Pola")
    )
    trainings.add_members(village, training, [member])
    (person,) = trainings.list_participants(village, training)
    assert person.id
    trainings.save_attendance(village, training, {(meeting, person.id): "H"})
    return training, person.id


def test_a_follow_up_moved_to_six_months_and_a_new_three_month_one_are_accepted(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    village, receiver = pair
    training, person = _graduate(village)
    day = dt.date(2024, 5, 2)
    first = trainings.save_outcome(
        village, Outcome(training, person, 3, day, NOT_WORKING), today=TODAY
    )
    _accepted(receiver, export(village, tmp_path / "usb"))

    trainings.save_outcome(village, Outcome(training, person, 6, day, NOT_WORKING, id=first),
                           today=TODAY)
    trainings.save_outcome(village, Outcome(training, person, 3, day, NOT_WORKING), today=TODAY)
    trainings.save_outcome(
        village, Outcome(training, person, 6, day, EMPLOYED, detail="Konveksi", id=first),
        today=TODAY,
    )
    _accepted(receiver, export(village, tmp_path / "usb"))
    assert record_digest(receiver.db()) == record_digest(village.db())
    _accepted(receiver, export(village, tmp_path / "usb", full=True))
    assert record_digest(receiver.db()) == record_digest(village.db())


def _backup(village: Session, folder: Path) -> Path:
    return backups.take_backup(
        village.path, folder=folder, kind=backups.OTHER, now=dt.datetime(2025, 1, 1),
        record=False,
    ).path


def _siti_sent_then_backed_up(pair: tuple[Session, Session], tmp_path: Path) -> Path:
    """Siti entered, her bundle (1) accepted by the receiver, then a backup: the file a
    restore goes back to."""
    village, receiver = pair
    _member(village, "Siti", SITI_NIK)
    _accepted(receiver, export(village, tmp_path / "usb"))
    return _backup(village, tmp_path / "cadangan")


@pytest.mark.parametrize("imported_before_upgrade", [False, True])
def test_after_a_restore_the_next_bundle_is_full_new_numbered_and_the_whole_truth(
    pair: tuple[Session, Session], tmp_path: Path, imported_before_upgrade: bool
) -> None:
    """``imported_before_upgrade``: the receiver's imports did not note their change_seq
    (made before migration 11), so the rows to remove are found by scanning the village's."""
    village, receiver = pair
    siti = _member(village, "Siti", SITI_NIK)
    _accepted(receiver, export(village, tmp_path / "usb"))  # 1
    backup = _backup(village, tmp_path / "cadangan")

    late = _member(village, "Lina (setelah cadangan)", OTHER_NIK)
    _member(village, "Siti (diubah, hilang bersama laptop)", SITI_NIK, siti)
    second = export(village, tmp_path / "usb")  # 2, made before the restore
    _accepted(receiver, second)
    third = export(village, tmp_path / "late")  # 3 (nothing new), arrives late
    backups.restore_open_session(village, backup)
    if imported_before_upgrade:
        with receiver.db().atomic():
            receiver.db().execute("UPDATE imports SET change_seq = NULL")

    # The same person entered again after the restore: same NIK, a new record.
    lina = _member(village, "Lina", OTHER_NIK)
    assert lina != late
    made = bundles.export(village, dest_dir=tmp_path / "usb")
    assert (made.seq, made.full) == (4, True)  # numbers 2 and 3 are not used again
    summary = _accepted(receiver, made.path)
    assert summary.full
    assert record_digest(receiver.db()) == record_digest(village.db())
    rows = live_rows(receiver.db(), "members")
    assert late not in rows  # the village does not have it any more
    assert rows[siti]["name"] == "Siti"  # the edit lost with the laptop is gone too

    refused = import_one(receiver, third)
    assert refused.status == bundles.REFUSED and refused.error_code in ("stale", "before_restore")
    assert record_digest(receiver.db()) == record_digest(village.db())
    nxt = bundles.export(village, dest_dir=tmp_path / "usb")
    assert (nxt.seq, nxt.full) == (5, False)  # back to incremental bundles


def test_a_bundle_made_before_a_restore_is_refused_after_one_made_after_it(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    """Even when its number is higher (the restore could not read the replaced file)."""
    village, receiver = pair
    backup = _siti_sent_then_backed_up(pair, tmp_path)
    _member(village, "Rina", OTHER_NIK)
    for _ in range(3):
        before = export(village, tmp_path / "sebelum")  # 2, 3, 4
    backups.restore_open_session(village, backup)
    db = village.db()
    with db.atomic():  # as if the replaced file's bundle list had been unreadable
        db.execute("DELETE FROM settings WHERE key = ?", [bundle_store.SEQ_FLOOR])
    after = bundles.export(village, dest_dir=tmp_path / "usb")
    assert after.full and after.seq == 2
    _accepted(receiver, after.path)
    refused = import_one(receiver, before)
    assert (refused.status, refused.error_code) == (bundles.REFUSED, "before_restore")
    assert "sebelum" in refused.message  # Indonesian: made before the restore
    assert record_digest(receiver.db()) == record_digest(village.db())


def test_an_incremental_bundle_after_a_restore_waits_for_the_full_one(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    village, receiver = pair
    backup = _siti_sent_then_backed_up(pair, tmp_path)
    backups.restore_open_session(village, backup)
    full = export(village, tmp_path / "usb")
    _member(village, "Rina", OTHER_NIK)
    incremental = export(village, tmp_path / "usb")
    refused = import_one(receiver, incremental)
    assert (refused.status, refused.error_code) == (bundles.REFUSED, "needs_full")
    # The receiver says what it waits for: 2 never arrived, 3 arrived and was refused.
    assert bundles.missing_bundles(receiver, VILLAGE) == [
        (2, bundles.NOT_RECEIVED),
        (3, bundles.REFUSED_SEQ),
    ]
    (kept,) = bundles.refusals(receiver, VILLAGE)
    assert (kept.seq, kept.code) == (3, "needs_full") and "paket data lengkap" in kept.reason
    (state,) = [v for v in receiver_service.village_overview(receiver) if v.place.code == VILLAGE]
    assert state.refused == (3,) and state.gaps == (2,)
    assert state.refusal_reasons[0][0] == 3 and state.refusal_reasons[0][1] is not None
    _accepted(receiver, full)
    _accepted(receiver, incremental)
    assert record_digest(receiver.db()) == record_digest(village.db())
    assert [seq for seq, _status in bundles.missing_bundles(receiver, VILLAGE)] == []


def test_a_cell_marked_again_after_a_restore_is_accepted(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    """The backup predates the cell; after the restore the cell is marked again (a new row
    for the same session and participant): the full bundle replaces the receiver's."""
    village, receiver = pair
    training, person = _graduate(village)
    (meeting,) = trainings.list_sessions(village, training)
    assert meeting.id
    trainings.save_attendance(village, training, {(meeting.id, person): None})
    backup = _backup(village, tmp_path / "cadangan")
    trainings.save_attendance(village, training, {(meeting.id, person): "H"})
    _accepted(receiver, export(village, tmp_path / "usb"))
    backups.restore_open_session(village, backup)
    trainings.save_attendance(village, training, {(meeting.id, person): "S"})
    _accepted(receiver, export(village, tmp_path / "usb"))
    assert record_digest(receiver.db()) == record_digest(village.db())


def test_trainings_cannot_be_written_in_a_receiver_file(receiver_file: Path) -> None:
    receiver = open_session(receiver_file)
    try:
        start = dt.date(2024, 1, 8)
        with pytest.raises(KtError) as caught:
            trainings.save_training(
                receiver,
                Training(title="Menjahit", skill_field="Menjahit", start_date=start,
                         end_date=start),
            )
        assert caught.value.code == "not_village"
        assert "berkas data desa" in caught.value.message
        with pytest.raises(KtError):
            trainings.save_outcome(receiver, Outcome("t", "p", 3, start, NOT_WORKING))
        count = receiver.db().execute("SELECT count(*) FROM trainings").fetchone()[0]
        assert count == 0
    finally:
        receiver.close()


def test_removing_a_training_numbers_its_rows_in_the_order_they_were_written(
    village_session: Session,
) -> None:
    """Not by their random ids: the same history fills its bundles the same way each time."""
    village = village_session
    start = dt.date(2024, 1, 8)
    training = trainings.save_training(
        village,
        Training(title="Menjahit", skill_field="Menjahit", start_date=start,
                 end_date=start + dt.timedelta(days=9)),
    )
    made = [
        trainings.save_session(
            village,
            TrainingSession(training_id=training, date=start + dt.timedelta(days=day),
                            topic=f"Materi {day}"),
        )
        for day in range(8)
    ]
    trainings.remove_training(village, training)
    removed = [
        row[0]
        for row in village.db().execute(
            "SELECT id FROM training_sessions ORDER BY change_seq"
        )
    ]
    assert removed == made


def test_now_and_today_come_from_one_clock_a_replay_can_set(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    village, _receiver = pair
    with clock.frozen(dt.datetime(2024, 2, 29, 3, 0)):
        assert clock.today() == dt.date(2024, 2, 29) or clock.today() == dt.date(2024, 2, 28)
        siti = members.save(
            village,
            Member(name="Siti", nik=SITI_NIK, birth_date=dt.date(2001, 5, 17), sex="P",
                   dusun="Cilaku", status="aktif"),
            confirm=True,
        ).id
        made = bundles.export(village, dest_dir=tmp_path)
    row = village.db().execute("SELECT updated_at FROM members WHERE id = ?", [siti]).fetchone()
    assert row[0].startswith("2024-02-29T03:00:00.")
    assert "-2024022" in made.path.name  # the day of the frozen clock, in local time
