"""Kelengkapan buku: which books are kept (30/90 days) and the gaps, each naming the page and
the record or month that fixes it; the registry of gap providers; Beranda's card; demo data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kt_desktop.cli import run
from kt_desktop.domain import clock
from kt_desktop.domain.activities import Activity, Fund
from kt_desktop.domain.book import all_books
from kt_desktop.services import activities, completeness, dashboard, demo, kas
from kt_desktop.services.completeness import Gap
from kt_desktop.services.session import Session
from kt_desktop.store import report_queries
from tests.test_assessment import insert, member

TODAY = dt.date(2026, 6, 15)


def done(session: Session, title: str, day: dt.date, *, cost: int = 0) -> str:
    return activities.save(session, Activity(
        title=title, kind="Bakti sosial", status="terlaksana", start=day,
        funds=[Fund("dana_desa", cost)] if cost else []), today=TODAY)


def test_every_register_and_every_declared_book_is_measured(village_session: Session) -> None:
    titles = [state.title for state in completeness.book_states(village_session, TODAY)]
    assert titles[:4] == ["Anggota", "Kegiatan", "Pelatihan", "Laporan bulanan"]
    assert len(titles) == 4 + len(all_books())  # generic over the registry
    assert "Buku Tamu" in titles and "Program Kerja" in titles


def test_kept_slow_quiet_and_empty(village_session: Session) -> None:
    written = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)  # the same day in any zone ±11 h
    with clock.frozen(written - dt.timedelta(days=60)):
        old = member(village_session, 2)  # written 60 days before
    with clock.frozen(written - dt.timedelta(days=200)):
        insert(village_session, "guest_book", visit_date="2020-01-01", name="Tamu lama",
               purpose="Silaturahmi")
    with clock.frozen(written):
        member(village_session, 1)
    states = {s.title: s for s in completeness.book_states(village_session, TODAY)}
    members = states["Anggota"]
    assert (members.total, members.recent, members.lately) == (2, 1, 2)
    assert members.state == completeness.KEPT and members.last == TODAY
    assert old and states["Buku Tamu"].state == completeness.QUIET
    assert states["Buku Tamu"].last == dt.date(2025, 11, 27)
    assert states["Kegiatan"].state == completeness.EMPTY and states["Kegiatan"].last is None
    with clock.frozen(written + dt.timedelta(days=45)):  # 45 days on: written in 90, not 30
        assert completeness.book_states(
            village_session, TODAY + dt.timedelta(days=45))[0].state == completeness.SLOW


def test_the_gaps_name_where_to_fix_them(village_session: Session, tmp_path: Path) -> None:
    first = done(village_session, "Kerja bakti", dt.date(2026, 2, 10))
    funded = done(village_session, "Santunan", dt.date(2026, 3, 8), cost=1_000_000)
    planned = activities.save(village_session, Activity(
        title="Rencana", kind="Rapat", status="rencana", start=dt.date(2026, 7, 1)),
        today=TODAY)
    report_queries.save_monthly_notes(
        village_session.db(), report_queries.MonthlyNotes("2026-03", "001", "", ""),
        village_code=village_session.code, actor="Tes")
    nameless = member(village_session, 5, nik=False)
    member(village_session, 6, nik=False, reason="Belum punya KTP-el")
    found = completeness.summary(village_session, TODAY).by_kind()
    # books began in February: February, April and May have no report (March has one)
    assert [(g.text, g.page, g.target) for g in found["monthly_report"]] == [
        ("Mei 2026", "laporan", "monthly:2026-05"), ("April 2026", "laporan", "monthly:2026-04"),
        ("Februari 2026", "laporan", "monthly:2026-02")]
    assert [(g.page, g.target) for g in found["activity_photo"]] == [
        ("kegiatan", funded), ("kegiatan", first)]
    assert planned not in {g.target for g in found["activity_photo"]}
    assert [(g.text, g.target) for g in found["activity_lpj"]] == [
        ("Santunan (08/03/2026)", f"lpj:{funded}")]
    assert [(g.page, g.target) for g in found["member_nik"]] == [("anggota", nameless)]
    # printing the LPJ fills that gap
    kas.build_lpj(village_session, funded, tmp_path / "lpj.pdf", today=TODAY)
    assert "activity_lpj" not in completeness.summary(village_session, TODAY).by_kind()


def _meeting_without_minutes(session: Session, today: dt.date) -> list[Gap]:
    return [Gap("meeting_minutes", "Rapat tanpa notulen", "Rapat pengurus (05/06/2026)",
                "rapat", "id-1", "Tulis notulennya")]


def test_another_area_registers_its_gaps_with_one_line(
        village_session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(completeness, "GAP_PROVIDERS", [
        *completeness.GAP_PROVIDERS, "tests.test_completeness:_meeting_without_minutes"])
    found = completeness.summary(village_session, TODAY)
    assert [g.kind for g in found.gaps] == ["meeting_minutes"]
    assert dashboard.summary(village_session, TODAY).counts["book_gaps"] == 1


def test_beranda_counts_the_gaps(village_session: Session) -> None:
    done(village_session, "Kerja bakti", dt.date(2026, 5, 10))
    summary = dashboard.summary(village_session, TODAY)
    card = next(c for c in summary.cards if c.key == "book_gaps")
    # no photo of the activity, no report of May
    assert card.value == 2 and card.page == "kelengkapan" and card.title == "Kekurangan buku"


def test_the_cli_lists_the_gaps(village_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--data", str(village_file), "assessment", "gaps"]) == 0
    out = capsys.readouterr().out
    assert "Anggota: Belum dimulai" in out


def test_demo_data_leaves_no_page_empty(village_session: Session) -> None:
    today = dt.date(2026, 11, 20)
    added = demo.fill(village_session, seed=3, today=today)
    assert added["work_programme"] > 5 and added["monthly_report_notes"] == 10
    found = completeness.summary(village_session, today)
    assert {g.kind for g in found.gaps} >= {"monthly_report", "activity_photo"}
    # every register and every declared book has entries: no page shows an empty list
    assert [state.title for state in found.books if state.total == 0] == []
    assert added["guest_book"] > 0
    from kt_desktop.services import program_kerja

    programme = program_kerja.realisation(village_session, 2026)
    assert programme.lines and programme.done > 0 and programme.cost > 0
