"""services/dashboard.py: what Beranda shows, for a village and for a receiver."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from kt_desktop.services import dashboard
from kt_desktop.services.dashboard import Reminder
from kt_desktop.services.profile import load_profile, save_profile
from kt_desktop.services.session import Session, open_session
from kt_desktop.store import audit

TODAY = dt.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _no_other_areas(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what each test registers counts (other areas add their providers over time)."""
    monkeypatch.setattr(dashboard, "COUNT_PROVIDERS", [])
    monkeypatch.setattr(dashboard, "REMINDER_PROVIDERS", [])
    monkeypatch.setattr(dashboard, "STATUS_PROVIDERS", [])


def with_term(session: Session, end: dt.date | None) -> None:
    profile = load_profile(session)
    start = dt.date(2022, 1, 10) if end else None
    save_profile(session, dataclasses.replace(profile, term_start=start, term_end=end))


def test_village_summary_names_the_kt_and_its_village(village_session: Session) -> None:
    summary = dashboard.summary(village_session, TODAY)
    assert summary.kind == "village"
    assert summary.name == "Karang Taruna Tunas Harapan"
    assert summary.code == "36.04.22.2001"
    assert summary.region_name == "Desa Baros, Kecamatan Baros, Kabupaten Serang, Provinsi Banten"
    assert [card.title for card in summary.cards] == [
        "Anggota aktif",
        "Kegiatan bulan ini",
        "Pelatihan berjalan",
        "Data belum dikirim",
    ]
    # Nothing registered a count: every card is unknown ("—"), never a made-up zero.
    assert [card.value for card in summary.cards] == [None, None, None, None]


def members_and_activities(session: Session, today: dt.date) -> dict[str, int]:
    assert today == TODAY
    return {"active_members": 1284, "activities_this_month": 0}


def test_counts_come_from_registered_providers(
    village_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        dashboard, "COUNT_PROVIDERS", ["tests.test_dashboard:members_and_activities"]
    )
    cards = {card.key: card.value for card in dashboard.summary(village_session, TODAY).cards}
    assert cards == {
        "active_members": 1284,
        "activities_this_month": 0,
        "trainings_running": None,
        "unsent_changes": None,
    }


@pytest.mark.parametrize(
    ("end", "warning", "words"),
    [
        (TODAY + dt.timedelta(days=30), True, "berakhir dalam 30 hari, pada 28 Desember 2026"),
        (TODAY + dt.timedelta(days=90), True, "berakhir dalam 90 hari"),
        (TODAY - dt.timedelta(days=1), True, "sudah berakhir pada 27 November 2026"),
        (None, False, "Masa bakti belum diisi"),
    ],
)
def test_masa_bakti_reminders(
    village_session: Session, end: dt.date | None, warning: bool, words: str
) -> None:
    with_term(village_session, end)
    reminders = dashboard.summary(village_session, TODAY).reminders
    assert len(reminders) == 1
    assert reminders[0].warning is warning
    assert words in reminders[0].text


def test_no_reminder_while_the_term_is_far_off(village_session: Session) -> None:
    with_term(village_session, TODAY + dt.timedelta(days=91))
    assert dashboard.summary(village_session, TODAY).reminders == []


def later_reminder(session: Session, today: dt.date) -> list[Reminder]:
    return [
        Reminder("Laporan bulan Oktober belum dibuat.", warning=False),
        Reminder("Belum ada kiriman data selama 30 hari.", warning=True),
    ]


def test_registered_reminders_come_after_warnings_first(
    village_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_term(village_session, TODAY + dt.timedelta(days=10))
    monkeypatch.setattr(dashboard, "REMINDER_PROVIDERS", ["tests.test_dashboard:later_reminder"])
    reminders = dashboard.summary(village_session, TODAY).reminders
    assert [r.warning for r in reminders] == [True, True, False]
    assert reminders[-1].text == "Laporan bulan Oktober belum dibuat."


def test_receiver_summary_counts_the_villages_of_its_area(receiver_file: Path) -> None:
    session = open_session(receiver_file)
    try:
        summary = dashboard.summary(session, TODAY)
    finally:
        session.close()
    assert summary.kind == "receiver"
    assert (summary.name, summary.region_name) == (
        "Karang Taruna Provinsi Banten",
        "Provinsi Banten",
    )
    assert summary.area_counts == {
        "kabupaten": 4,
        "kota": 4,
        "kecamatan": 155,
        "desa": 1238,
        "kelurahan": 314,
    }
    cards = {card.key: card.value for card in summary.cards}
    assert cards == {"villages_in_area": 1552, "villages_reported": None, "bundles_imported": None}
    assert summary.reminders == []  # no masa bakti for a receiver


def test_file_status_says_none_until_a_backup_or_bundle_is_recorded(
    village_session: Session,
) -> None:
    status = dashboard.file_status(village_session)
    assert status.path == village_session.path
    assert (status.last_backup, status.last_bundle) == (None, None)
    db = village_session.db()
    with db.atomic():
        audit.record(db, "backup", None, None, actor="Siti", detail="flashdisk")
        audit.record(db, "create", "exports", "1", actor="Siti")
        audit.record(db, "export", "members", None, actor="Siti")  # a CSV is not a bundle
    status = dashboard.file_status(village_session)
    assert status.last_backup is not None and status.last_backup.tzinfo is not None
    assert status.last_bundle is not None
    assert abs(dt.datetime.now(dt.UTC) - status.last_bundle) < dt.timedelta(minutes=1)


def exact_times(session: Session) -> dict[str, dt.datetime | None]:
    return {"last_bundle": dt.datetime(2026, 11, 1, 3, 0, tzinfo=dt.UTC), "last_backup": None}


def test_status_providers_answer_before_the_audit_log(
    village_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard, "STATUS_PROVIDERS", ["tests.test_dashboard:exact_times"])
    status = dashboard.file_status(village_session)
    assert status.last_bundle == dt.datetime(2026, 11, 1, 3, 0, tzinfo=dt.UTC)
    assert status.last_backup is None
