"""Personal data: removal is real, no NIK in the log, the PIN, the audit log of backups."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from kt_desktop import paths
from kt_desktop.domain import clock
from kt_desktop.domain.errors import ValidationError
from kt_desktop.domain.members import Member
from kt_desktop.services import audit as audit_service
from kt_desktop.services import backups, pin
from kt_desktop.services.session import Session, open_session
from kt_desktop.store import backup as store_backup
from kt_desktop.store import members as member_store
from tests.conftest import VILLAGE_CODE

NIK = "3604225203080007"
NAME = "Zulaikha Prameswari"
PHONE = "081299887766"


def _file_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    wal = Path(str(path) + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def _add_people(session: Session) -> str:
    from kt_desktop.services.demo_members import make_members

    db = session.db()
    others = make_members(random.Random(3), dt.date(2026, 11, 28), 60, village_code=VILLAGE_CODE)
    with db.atomic():
        member_store.bulk_insert(db, others, village_code=VILLAGE_CODE, actor="Siti Nurhaliza")
        return member_store.insert(
            db,
            Member(
                name=NAME, nik=NIK, birth_date=dt.date(2008, 3, 12), sex="P",
                birth_place="Serang", dusun="Kampung Cilaku", phone=PHONE,
                address="Jl. Melati Gg. Kenanga No. 7", guardian_name="Ibu Rohmawati Sukaesih",
                guardian_relation="Ibu", consent_on=dt.date(2026, 1, 5),
            ),
            village_code=VILLAGE_CODE,
            actor="Siti Nurhaliza",
        )


SECRETS = (
    NIK.encode(), NAME.encode(), PHONE.encode(), b"zulaikha", b"prameswari",
    b"Rohmawati", b"rohmawati", b"Melati Gg. Kenanga",
)


def test_a_removed_member_leaves_no_nik_or_name_in_the_file(village_session: Session) -> None:
    from kt_desktop.services import members as member_service

    session = village_session
    member_id = _add_people(session)
    store_backup.checkpoint(session.db())
    before = _file_bytes(session.path)
    assert all(secret in before for secret in SECRETS[:4]), "the test must see the data first"
    old_backup = backups.take_backup(session.path, folder=session.path.parent / "old")

    member_service.remove(session, member_id)
    store_backup.checkpoint(session.db())

    after = _file_bytes(session.path)
    left = [secret.decode() for secret in SECRETS if secret in after]
    assert not left, f"still in the data file after removal: {left}"
    # the tombstone is there and travels; the other members are untouched
    row = session.db().execute(
        "SELECT deleted_at, nik, name FROM members WHERE id = ?", [member_id]
    ).fetchone()
    assert row[0] is not None and row[1] is None and row[2] is None
    assert member_store.live_count(session.db()) == 60
    # A backup made after the removal holds none of it either; one made before still does
    # (docs/RELIABILITY.md says backups keep removed data until they are pruned).
    new_backup = backups.take_backup(session.path, now=dt.datetime.now() + dt.timedelta(seconds=2))
    assert not [s for s in SECRETS if s in new_backup.path.read_bytes()]
    assert NIK.encode() in old_backup.path.read_bytes()


LOGGING_SCRIPT = f"""
import logging
from kt_desktop import applog
applog.setup()  # what kt_desktop.__main__ does first
log = logging.getLogger("kt_desktop.test")
log.warning("saving member %s failed", "{NIK}")
try:
    raise ValueError("NIK {NIK} sudah dipakai")
except ValueError:
    log.exception("import row 12")
log.info("phone %s and a 17-digit number %s stay", "{PHONE}", "12345678901234567")
"""


def test_the_log_file_never_holds_a_nik() -> None:
    # A fresh interpreter configured as the program configures itself: pytest's own log
    # capture would otherwise format the record (and cache its traceback text) first.
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", LOGGING_SCRIPT], cwd=root, capture_output=True, text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    text = paths.log_file().read_text(encoding="utf-8")
    assert NIK not in text
    assert "saving member ************0007 failed" in text
    assert "ValueError: NIK ************0007 sudah dipakai" in text  # the traceback too
    assert PHONE in text and "12345678901234567" in text  # only 16-digit runs are NIKs


# -- PIN ------------------------------------------------------------------------------------


def test_pin_is_hashed_with_a_salt_and_verified(village_session: Session) -> None:
    session = village_session
    assert not pin.is_set(session) and pin.verify(session, "")
    pin.set_pin(session, "271828")
    stored = session.db().execute("SELECT value FROM settings WHERE key = ?", [pin.PIN_HASH]).fetchone()[0]
    assert stored.startswith("scrypt$") and "271828" not in stored
    assert pin.hash_pin("271828") != pin.hash_pin("271828")  # salted
    assert pin.verify(session, "271828")
    assert not pin.verify(session, "271829")
    assert pin.matches("271828", stored) and not pin.matches("271828", "garbage")


def test_pin_rules_and_changes_need_the_current_pin(village_session: Session) -> None:
    session = village_session
    for bad in ("123", "12a4", "1234567890123", ""):
        with pytest.raises(ValidationError) as info:
            pin.set_pin(session, bad)
        assert info.value.field == "pin" and "angka" in info.value.message
    pin.set_pin(session, "1234")
    with pytest.raises(ValidationError) as info:
        pin.set_pin(session, "5678", current="0000")
    assert info.value.code == "wrong_pin"
    assert pin.verify(session, "1234")
    pin.set_pin(session, "5678", current="1234")
    assert pin.verify(session, "5678") and not pin.verify(session, "1234")
    with pytest.raises(ValidationError):
        pin.remove_pin(session, "1234")
    pin.remove_pin(session, "5678")
    assert not pin.is_set(session)
    details = [
        row[0] for row in session.db().execute(
            "SELECT detail FROM audit_log WHERE table_name = 'settings' AND record_id = 'pin' ORDER BY id"
        )
    ]
    assert details == ["PIN dipasang", "PIN diganti", "PIN dihapus"]
    assert not session.db().execute(
        "SELECT count(*) FROM audit_log WHERE detail LIKE '%1234%' OR detail LIKE '%5678%'"
    ).fetchone()[0]


def test_wrong_pins_are_rate_limited_even_across_restarts(village_file: Path) -> None:
    t0 = dt.datetime(2026, 11, 28, 8, 0, tzinfo=dt.UTC)
    session = open_session(village_file)
    pin.set_pin(session, "2468")
    for attempt in range(pin.FREE_ATTEMPTS):
        assert not pin.verify(session, "0000", now=t0 + dt.timedelta(seconds=attempt))
    session.close()

    session = open_session(village_file)  # the program was closed and opened again
    try:
        later = t0 + dt.timedelta(seconds=10)
        with pytest.raises(pin.PinLocked) as info:
            pin.verify(session, "2468", now=later)  # even the right PIN waits
        assert 20 <= info.value.seconds <= 30 and "detik" in info.value.message
        # After the wait one more wrong try doubles it.
        after_wait = t0 + dt.timedelta(seconds=35)
        assert not pin.verify(session, "1111", now=after_wait)
        with pytest.raises(pin.PinLocked) as info:
            pin.verify(session, "2468", now=after_wait + dt.timedelta(seconds=1))
        assert info.value.seconds == 59
        # The right PIN after the wait opens and clears the count.
        assert pin.verify(session, "2468", now=after_wait + dt.timedelta(seconds=61))
        assert pin.wait_seconds(session, now=after_wait + dt.timedelta(seconds=61)) == 0
        assert not pin.verify(session, "0000", now=after_wait + dt.timedelta(seconds=62))
        assert pin.wait_seconds(session, now=after_wait + dt.timedelta(seconds=62)) == 0
    finally:
        session.close()


def test_waits_grow_but_stop_at_fifteen_minutes() -> None:
    assert pin._wait_after(4) == dt.timedelta(0)
    assert pin._wait_after(5) == dt.timedelta(seconds=30)
    assert pin._wait_after(6) == dt.timedelta(seconds=60)
    assert pin._wait_after(40) == dt.timedelta(minutes=15)


def test_pin_reset_from_the_command_line(village_file: Path, capsys) -> None:
    from kt_desktop.cli import run

    session = open_session(village_file)
    pin.set_pin(session, "8642")
    session.close()
    assert run(["pin-reset", "--data", str(village_file)]) == 1
    assert "--yes" in capsys.readouterr().err
    assert run(["pin-reset", "--data", str(village_file), "--yes"]) == 0
    assert "PIN sudah dihapus" in capsys.readouterr().out
    session = open_session(village_file)
    try:
        assert not pin.is_set(session)
    finally:
        session.close()


# -- the audit log: backups and restores, and the viewer's filters -----------------------------


def test_backup_and_restore_are_in_the_audit_log_with_who_and_when(village_file: Path) -> None:
    made = backups.take_backup(village_file)
    today = clock.today()
    session = open_session(village_file)
    try:
        only_backups = audit_service.page(
            session, audit_service.AuditFilter(action="backup", date_from=today, date_to=today)
        )
        assert [r.detail for r in only_backups.rows] == [str(made.path)]
        assert only_backups.rows[0].action_label == "Dicadangkan"
        assert only_backups.rows[0].actor == "Siti Nurhaliza"
    finally:
        session.close()
    backups.restore(village_file, made.path)
    session = open_session(village_file)
    try:
        everything = audit_service.page(session, audit_service.AuditFilter())
        assert [r.action for r in everything.rows[:1]] == ["restore"]
        restored = everything.rows[0]
        assert restored.actor == "Siti Nurhaliza" and restored.action_label == "Dipulihkan"
        assert str(made.path) in (restored.detail or "")
        assert abs(restored.at - clock.in_zone(clock.now_utc())) < dt.timedelta(minutes=5)
        # the restored file is the file as it was when backed up, plus the restore line
        yesterday = today - dt.timedelta(days=1)
        assert audit_service.page(
            session, audit_service.AuditFilter(date_from=yesterday, date_to=yesterday)
        ).rows == []
    finally:
        session.close()


def test_the_audit_viewer_pages_and_filters_by_table_and_date(village_session: Session) -> None:
    from kt_desktop.services.demo_members import make_members

    session = village_session
    db = session.db()
    people = make_members(random.Random(5), dt.date(2026, 11, 28), 450, village_code=VILLAGE_CODE)
    with db.atomic():
        member_store.bulk_insert(db, people, village_code=VILLAGE_CODE, actor="Siti Nurhaliza")
    flt = audit_service.AuditFilter(table="members")
    first = audit_service.page(session, flt, limit=200)
    second = audit_service.page(session, flt, offset=first.next_offset or 0, limit=200)
    third = audit_service.page(session, flt, offset=second.next_offset or 0, limit=200)
    rows = first.rows + second.rows + third.rows
    assert len(rows) == 450 and third.next_offset is None
    assert len({r.id for r in rows}) == 450 and all(r.table_label == "Anggota" for r in rows)
    # A range that ends before today's lines stops early and finds nothing.
    old = clock.today() - dt.timedelta(days=30)
    assert audit_service.page(session, audit_service.AuditFilter(date_to=old)).rows == []
    labels = dict(audit_service.actions())
    assert labels["remove"] == "Dihapus" and labels["reveal"] == "NIK ditampilkan"
    assert ("members", "Anggota") in audit_service.tables(session)
