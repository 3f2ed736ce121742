"""Program Kerja: the book, its months, activities linked to a line, plan against realisation,
the printed Program Kerja, the annual report's section and the CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader

from kt_desktop.cli import run
from kt_desktop.domain.activities import Activity, Fund
from kt_desktop.domain.book import book
from kt_desktop.domain.books.program_kerja import month_numbers, normalize_months
from kt_desktop.domain.errors import ValidationError
from kt_desktop.services import activities, books, program_kerja
from kt_desktop.services.session import Session

PROGRAM = book("program-kerja")
TODAY = dt.date(2027, 12, 31)


def line(activity: str = "Posyandu dan PMT balita", **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "year": 2027, "section": "Seksi Pelayanan Sosial", "activity": activity,
        "aim": "Gizi balita membaik", "target_group": "Balita RW 01–05", "months": "3-5",
        "budget": "1,5 jt", "source": "dana_desa",
    }
    values.update(changes)
    return values


def activity(title: str, day: dt.date, *, line_id: str = "", status: str = "terlaksana",
             cost: int = 0) -> Activity:
    return Activity(title=title, kind="Bakti sosial", status=status, start=day,
                    program_line=line_id,
                    funds=[Fund("dana_desa", cost)] if cost else [])


def test_months_are_read_as_people_write_them() -> None:
    assert month_numbers("3-5, 8") == [3, 4, 5, 8]
    assert month_numbers("Maret–Mei dan Agustus") == [3, 4, 5, 8]
    assert month_numbers("agt, Des") == [8, 12]
    assert month_numbers("setiap bulan") == list(range(1, 13))
    assert normalize_months("8, 3-5") == "Maret–Mei, Agustus"
    assert normalize_months("1, 2") == "Januari, Februari"
    with pytest.raises(ValidationError, match="bukan nama bulan|is not a month"):
        normalize_months("Maret, Pebruarii")
    with pytest.raises(ValidationError):
        normalize_months("Mei-Maret")


def test_a_line_is_kept_per_year_with_its_months(village_session: Session) -> None:
    first = books.add(village_session, PROGRAM, line())
    books.add(village_session, PROGRAM, line("Turnamen voli", year=2026, months="8"))
    record = books.get(village_session, PROGRAM, first)
    assert record.get("months") == "Maret–Mei" and record.get("budget") == 1_500_000
    by_year = books.list_page(village_session, PROGRAM, books.BookQuery(year=2026))
    assert [r.get("activity") for r in by_year.rows] == ["Turnamen voli"]
    assert books.filter_values(village_session, PROGRAM).years == [2027, 2026]
    problems = books.check_values(PROGRAM, line(months="Maret, Pebruarii", year=1850))
    assert "months" in problems and "year" in problems


def test_plan_against_realisation(village_session: Session) -> None:
    posyandu = books.add(village_session, PROGRAM, line())  # 3 months, Rp1.500.000
    voli = books.add(village_session, PROGRAM, line("Turnamen voli", months="8",
                                                    budget="2.000.000", source="swadaya"))
    books.add(village_session, PROGRAM, line("Pelatihan las", months="10, 11", budget=""))
    for title, day, status, cost in (
            ("Posyandu Maret", dt.date(2027, 3, 12), "terlaksana", 400_000),
            ("Posyandu April", dt.date(2027, 4, 9), "terlaksana", 350_000),
            ("Posyandu Mei", dt.date(2027, 5, 14), "batal", 0)):
        activities.save(village_session, activity(title, day, line_id=posyandu, status=status,
                                                  cost=cost), today=TODAY)
    activities.save(village_session, activity("Voli antar RW", dt.date(2027, 8, 17),
                                              line_id=voli, cost=1_750_000), today=TODAY)
    activities.save(village_session, activity("Kerja bakti", dt.date(2027, 8, 20)), today=TODAY)

    programme = program_kerja.realisation(village_session, 2027)
    by_name = {item.line.get("activity"): item for item in programme.lines}
    assert [a.title for a in by_name["Posyandu dan PMT balita"].done] == [
        "Posyandu Maret", "Posyandu April"]
    assert by_name["Posyandu dan PMT balita"].cancelled == 1
    assert by_name["Posyandu dan PMT balita"].cost == 750_000
    # by hand: planned 3 + 1 + 2 = 6, done 2 + 1 = 3, budget 1.5 + 2 jt, cost 0.75 + 1.75 jt
    assert (programme.planned, programme.done) == (6, 3)
    assert (programme.budget, programme.cost) == (3_500_000, 2_500_000)
    assert programme.lines_realised == 2


def test_an_activity_cannot_name_a_line_that_is_gone(village_session: Session) -> None:
    gone = books.add(village_session, PROGRAM, line())
    books.remove(village_session, PROGRAM, gone)
    with pytest.raises(ValidationError) as caught:
        activities.save(village_session, activity("Posyandu", dt.date(2027, 3, 1),
                                                  line_id=gone), today=TODAY)
    assert caught.value.field == "program_line"
    assert "Program Kerja" in str(caught.value) or "program" in str(caught.value).lower()


def test_the_activity_keeps_its_line(village_session: Session) -> None:
    kept = books.add(village_session, PROGRAM, line())
    saved = activities.save(village_session, activity("Posyandu", dt.date(2027, 3, 1),
                                                      line_id=kept), today=TODAY)
    assert activities.get(village_session, saved).program_line == kept
    choices = books.LOOKUPS["program"].choices(village_session)
    assert choices == [(kept, "2027 · Seksi Pelayanan Sosial · Posyandu dan PMT balita")]


def _text(path: Path) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(path).pages)


def test_printed_program_kerja_and_the_cli(village_file: Path, tmp_path: Path) -> None:
    from kt_desktop.services.session import open_session

    session = open_session(village_file)
    try:
        voli = books.add(session, PROGRAM, line("Turnamen voli", months="8",
                                                budget="2.000.000", source="swadaya"))
        activities.save(session, activity("Voli antar RW", dt.date(2027, 8, 17), line_id=voli,
                                          cost=1_750_000), today=TODAY)
    finally:
        session.close()
    out = tmp_path / "pk.pdf"
    assert run(["--data", str(village_file), "report", "program-kerja", "--year", "2027",
                "--out", str(out)]) == 0
    text = _text(out)
    assert "PROGRAM KERJA" in text and "Turnamen voli" in text
    assert "Rp2.000.000" in text and "Rp1.750.000" in text and "17/08/2027" in text
    assert "Swadaya" in text or "swadaya" in text.lower()
    assert run(["--data", str(village_file), "book", "list", "program-kerja",
                "--year", "2027"]) == 0


def test_the_annual_report_sets_the_programme_beside_its_realisation(
        village_session: Session, tmp_path: Path) -> None:
    from kt_desktop.services import reports

    posyandu = books.add(village_session, PROGRAM, line())
    activities.save(village_session, activity("Posyandu Maret", dt.date(2027, 3, 12),
                                              line_id=posyandu, cost=400_000), today=TODAY)
    out = reports.build_annual(village_session, 2027, tmp_path / "tahunan.pdf",
                               today=dt.date(2028, 1, 5))
    text = _text(out)
    assert "Program Kerja dan realisasinya" in text
    assert "Seksi Pelayanan Sosial" in text
    assert "Rp1.500.000" in text and "Rp400.000" in text
    assert "1 (33,3%)" in text  # 1 of 3 planned occurrences, by hand


def test_an_empty_year_says_so_in_the_annual_report(village_session: Session,
                                                     tmp_path: Path) -> None:
    from kt_desktop.services import reports

    out = reports.build_annual(village_session, 2026, tmp_path / "t.pdf",
                               today=dt.date(2027, 1, 5))
    assert "Tidak ada program kerja yang dicatat untuk tahun ini." in _text(out)


def test_the_cli_refuses_months_it_cannot_read(village_file: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["--data", str(village_file), "book", "add", "program-kerja", "year=2027",
                "section=Seksi Sosial", "activity=Posyandu", "months=Maret, Pebruarii"])
    err = capsys.readouterr().err
    assert code == 1
    assert "“pebruarii” bukan nama bulan" in err and "Traceback" not in err
    assert run(["--data", str(village_file), "book", "add", "program-kerja", "year=2027",
                "section=Seksi Sosial", "activity=Posyandu", "months=Maret-Mei"]) == 0


def test_the_programme_is_printed_per_year_not_per_month(
        village_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pk.pdf"
    assert run(["--data", str(village_file), "report", "program-kerja", "--month", "2027-03",
                "--out", str(out)]) == 1
    assert "Program Kerja disusun per tahun: cetak dengan --year" in capsys.readouterr().err
    assert not out.exists()
