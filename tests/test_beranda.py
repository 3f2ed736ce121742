"""Beranda (issue 16): what this month asks of the secretary, and two small charts; an empty
receiver file shows its first steps instead of a wall of zeros."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kt_desktop.domain import clock
from kt_desktop.services import bundles, dashboard
from kt_desktop.services.session import Session
from kt_desktop.store import report_queries
from tests.test_bundles_kit import add_members


def _texts(session: Session, today: dt.date) -> list[tuple[str, bool]]:
    return [(r.text, r.warning) for r in dashboard.summary(session, today).reminders
            if "laporan bulanan" in r.text.lower()]


def test_beranda_says_whether_last_months_report_was_made_and_sent(
    village_session: Session, tmp_path: Path
) -> None:
    session = village_session
    with clock.frozen(dt.datetime(2026, 12, 3, 2, 0)):
        today = clock.today()
        assert _texts(session, today) == [
            ("Laporan bulanan November 2026 belum dibuat: Laporan \u2192 Laporan bulanan.", True)]
        report_queries.save_monthly_notes(
            session.db(), report_queries.MonthlyNotes("2026-11", "1/KT/XI/2026", "", ""),
            village_code=session.code, actor="test")
        assert _texts(session, today) == [(
            "Laporan bulanan November 2026 sudah dibuat, tetapi datanya belum dikirim: "
            "Kirim Data.", True)]
    with clock.frozen(dt.datetime(2026, 12, 4, 2, 0)):
        bundles.export(session, dest_dir=tmp_path)
        assert _texts(session, clock.today()) == [(
            "Laporan bulanan November 2026 sudah dibuat dan datanya sudah dikirim pada "
            "4 Desember 2026.", False)]


def test_beranda_charts_members_by_age_and_sex_and_six_months_of_activities(
    village_session: Session,
) -> None:
    add_members(village_session, 6)
    charts = dashboard.charts(village_session, dt.date(2026, 3, 15))
    assert [chart.title for chart in charts] == [
        "Anggota menurut umur dan jenis kelamin", "Kegiatan dan penerima manfaat per bulan"]
    members, activities = charts
    assert [name for name, _values in members.series] == ["Laki-laki", "Perempuan"]
    assert sum(sum(values) for _name, values in members.series) == 6
    assert members.labels[0].startswith("<") and members.labels[-1].endswith("+")
    assert activities.labels == ["Okt", "Nov", "Des", "Jan", "Feb", "Mar"]
    assert activities.empty  # no activities yet: Beranda leaves the chart out
