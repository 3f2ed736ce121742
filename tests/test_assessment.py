"""The self-assessment on the six aspects, on made-up villages whose expected values are
worked out by hand here; the dated rubric; the Profil Karang Taruna; and the receiver's
ranking, compared with values computed independently for a few villages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from kt_desktop.cli import run
from kt_desktop.domain.assessment import DEFAULT_RUBRIC, Rubric
from kt_desktop.domain.errors import ValidationError
from kt_desktop.services import assessment, completeness
from kt_desktop.services.session import Session, open_session
from kt_desktop.services.setup import init_village
from kt_desktop.store import records
from tests.conftest import make_profile
from tests.test_bundles_kit import export, import_paths, install_receiver_key

TODAY = dt.date(2026, 6, 15)  # assessed day: the twelve months are 16/06/2025–15/06/2026


def insert(session: Session, table: str, **values: Any) -> str:
    return records.insert(session.db(), table, values, village_code=session.code, actor="Tes")


def activity(session: Session, start: str, *, status: str = "terlaksana", partner: str = "",
             photo: bool = False, served: int = 0, funds: tuple[tuple[str, int], ...] = (),
             line: str | None = None, present: tuple[str, ...] = (),
             absent: tuple[str, ...] = ()) -> str:
    found = insert(session, "activities", title=f"Kegiatan {start}", kind="Bakti sosial",
                   status=status, start_date=start, volunteers=0, partner=partner,
                   program_line_id=line)
    if photo:
        insert(session, "attachments", owner_table="activities", owner_id=found, position=0,
               sha256="ab" * 32, mime="image/jpeg", data=b"jpeg", size=4, caption="")
    if served:
        insert(session, "activity_beneficiaries", activity_id=found, ppks=24, sex="P",
               age_band="18-59", count=served)
    for source, amount in funds:
        insert(session, "activity_funds", activity_id=found, source=source, amount=amount)
    for member, attended in [(m, 1) for m in present] + [(m, 0) for m in absent]:
        insert(session, "activity_participants", activity_id=found, member_id=member,
               attended=attended)
    return found


def member(session: Session, number: int, *, status: str = "aktif", nik: bool = True,
           reason: str = "") -> str:
    return insert(session, "members", name=f"Anggota {number:03d}",
                  nik=f"3604{number:012d}" if nik else None, nik_missing_reason=reason,
                  sex="L", birth_date="2001-05-17", status=status)


def village_a(session: Session) -> None:
    """The made-up Desa A. By hand (default rubric, 12 months to 15/06/2026):

    organisasi: 3 of 3 officers → 100; no SK → 0.
    SDM: 10 active of 50 → 20; 2 of 10 active took part → 20; 1 training of 2 → 50.
    sarana: address and phone → 100; no logo → 0; 3 of 4 items kept in good condition → 75
      (a fifth, written off, does not count).
    administrasi: 3 reports of 12 due months → 25; books kept (6 written of all registers);
      1 of 3 done with a photo → 33.3; 11 of 12 members with NIK or reason → 91.7.
    kemitraan: 1 partner of 3 → 33.3; 2 outside sources of 2 → 100.
    program: 3 done of 12 → 25; programme 3 of 8 due → 37.5; 1 of 3 counted beneficiaries
      → 33.3.
    """
    active = [member(session, n) for n in range(10)]
    passive = member(session, 10, status="pasif", nik=False)  # no NIK, no reason
    member(session, 11, status="pasif", nik=False, reason="Belum rekam KTP-el")
    yearly = insert(session, "work_programme", year=2026, section="Seksi Sosial",
                    activity="Posyandu", months="Januari–Desember")  # 6 due by June
    insert(session, "work_programme", year=2026, section="Seksi Olahraga",
           activity="Voli", months="Juli")  # none due yet
    twice = insert(session, "work_programme", year=2026, section="Seksi Sosial",
                   activity="Donor darah", months="Maret, Juni")  # 2 due
    activity(session, "2026-03-10", partner="Puskesmas", photo=True, served=15,
             funds=(("dana_desa", 1_000_000),), line=yearly, present=(active[0], active[1]),
             absent=(active[2],))
    activity(session, "2026-04-20", partner="puskesmas ", line=twice,
             funds=(("swadaya", 500_000), ("csr", 2_000_000)), present=(active[1], passive))
    activity(session, "2026-05-05", line=twice)
    activity(session, "2025-05-01", partner="Dinas Sosial", photo=True)  # before the period
    activity(session, "2026-06-01", status="rencana", line=yearly)  # not carried out
    for month in ("2026-01", "2026-02", "2026-05", "2025-03"):
        insert(session, "monthly_report_notes", month=month, nomor_surat="001")
    insert(session, "trainings", title="Las", skill_field="las", kind="vokasional",
           start_date="2026-02-01", end_date="2026-02-05", quota=10, cost=0,
           min_attendance_pct=75)
    insert(session, "trainings", title="Menjahit", skill_field="menjahit", kind="vokasional",
           start_date="2025-01-01", end_date="2025-01-05", quota=10, cost=0,
           min_attendance_pct=75)  # before the period
    for code, condition, disposed in (("INV-1", "baik", None), ("INV-2", "baik", None),
                                      ("INV-3", "baik", None), ("INV-4", "rusak_ringan", None),
                                      ("INV-5", "rusak_berat", "2026-01-10")):
        insert(session, "inventory", code=code, name="Tenda", quantity=1, unit="buah",
               acquired="swadaya", acquired_on="2025-01-01", condition=condition,
               disposed_on=disposed, disposal_reason="rusak" if disposed else None)


def expected_a() -> dict[str, float]:
    registers = len(completeness.registers())
    books = 100 * 6 / registers  # members, activities, trainings, reports, programme, inventory
    aspects = {
        "organisasi": (100 + 0) / 2,
        "sdm": (20 + 20 + 50) / 3,
        "sarana": (100 + 0 + 75) / 3,
        "administrasi": (25 + books + 100 / 3 + 100 * 11 / 12) / 4,
        "kemitraan": (100 / 3 + 100) / 2,
        "program": (25 + 37.5 + 100 / 3) / 3,
    }
    return aspects


def test_village_a_by_hand(village_session: Session) -> None:
    village_a(village_session)
    result = assessment.assess(village_session, TODAY)
    scores = {i.key: i.score for i in result.indicators}
    assert scores["officers"] == 100 and scores["sk"] == 0
    assert scores["members"] == 20 and scores["participation"] == 20
    assert scores["trainings"] == 50
    assert scores["secretariat"] == 100 and scores["logo"] == 0
    assert scores["reports"] == 25
    assert scores["photos"] == pytest.approx(100 / 3)
    assert scores["identity"] == pytest.approx(100 * 11 / 12)
    assert scores["partners"] == pytest.approx(100 / 3) and scores["sources"] == 100
    assert scores["activities"] == 25 and scores["programme"] == 37.5
    assert scores["beneficiaries"] == pytest.approx(100 / 3)
    values = {i.key: i.value for i in result.indicators}
    assert values["reports"] == "3 dari 12" and values["programme"] == "3 dari 8"
    expected = expected_a()
    for aspect, score in expected.items():
        assert result.aspect_score(aspect) == pytest.approx(score)
    total = sum(expected.values()) / 6
    assert result.total == pytest.approx(total)
    # every indicator is explained in Indonesian
    assert all(i.explanation and i.title for i in result.indicators)
    assert result.klass == ("berkembang" if total >= 40 else "tumbuh")


def test_the_rubric_is_dated_and_editable(village_session: Session) -> None:
    village_a(village_session)
    before = assessment.assess(village_session, TODAY)
    assert before.rubric == DEFAULT_RUBRIC
    stricter = Rubric(since=dt.date(2026, 6, 1), berkembang=70, maju=80, percontohan=90,
                      members=10)
    assessment.save_rubric(village_session, stricter)
    after = assessment.assess(village_session, TODAY)
    assert after.rubric == stricter and after.klass == "tumbuh"
    assert {i.key: i.score for i in after.indicators}["members"] == 100  # 10 of 10
    # a day before the new rubric keeps the old one
    assert assessment.assess(village_session, dt.date(2026, 5, 31)).rubric == DEFAULT_RUBRIC
    with pytest.raises(ValidationError, match="berkembang"):
        assessment.save_rubric(village_session, Rubric(since=dt.date(2026, 7, 1), maju=30))


def test_an_empty_village_scores_what_its_profile_gives(village_session: Session) -> None:
    result = assessment.assess(village_session, TODAY)
    scores = {i.key: i.score for i in result.indicators}
    assert scores["officers"] == 100 and scores["secretariat"] == 100
    assert scores["reports"] == 0 and scores["programme"] == 0 and scores["activities"] == 0
    # by hand: organisasi 50, sarana (100 + 0 + 0) / 3 (no logo, no inventory), the rest 0
    assert scores["inventory"] == 0
    assert result.total == pytest.approx((50 + 100 / 3) / 6) and result.klass == "tumbuh"


def test_profil_pdf_and_the_cli(village_file: Path, tmp_path: Path) -> None:
    session = open_session(village_file)
    try:
        village_a(session)
    finally:
        session.close()
    out = tmp_path / "profil.pdf"
    assert run(["--data", str(village_file), "report", "profil", "--out", str(out)]) == 0
    text = " ".join(page.extract_text() or "" for page in PdfReader(out).pages)
    assert "PROFIL KARANG TARUNA" in text
    assert "tidak ada tabel penilaian resmi" in text.lower()
    for aspect in ("Organisasi dan kepengurusan", "Sumber daya manusia", "Sarana dan prasarana",
                   "Administrasi", "Kemitraan", "Program kegiatan"):
        assert aspect in text
    assert "Ahmad Fauzi" in text
    assert run(["--data", str(village_file), "assessment", "rubric", "--since", "2026-01-01",
                "--members", "10"]) == 0
    assert run(["--data", str(village_file), "assessment", "rubric", "--since", "2026-02-01",
                "--maju", "10"]) == 1  # the classes must rise: refused, nothing kept
    session = open_session(village_file)
    try:
        # the default rubric stays in force before the new one's day
        assert [r.since for r in assessment.rubrics(session)] == [dt.date(2019, 1, 1),
                                                                  dt.date(2026, 1, 1)]
        assert [r.members for r in assessment.rubrics(session)] == [50, 10]
    finally:
        session.close()
    assert run(["--data", str(village_file), "--json", "assessment", "show"]) == 0


# -- the receiver ---------------------------------------------------------------------------

BAROS = "36.04.22.2001"  # Kabupaten Serang
CISALAM = "36.04.22.2008"  # Kabupaten Serang
KERTAJAYA = "36.01.01.2002"  # Kabupaten Pandeglang


def _village(tmp_path: Path, code: str, fill: Any, receiver: Session) -> Path:
    path = tmp_path / f"{code}.sqlite"
    init_village(path, make_profile(village_code=code, name=f"KT {code}",
                                    **({"phone": "", "email": ""} if code == KERTAJAYA else {})))
    session = open_session(path)
    try:
        install_receiver_key(session, receiver, tmp_path)
        fill(session)
        return export(session, tmp_path / "kiriman" / code, full=True)
    finally:
        session.close()


def _fill_cisalam(session: Session) -> None:
    """Desa Cisalam: 50 active members, 12 activities done with a photo, each with a partner
    of three, every report of the year. By hand: organisasi 50 (no SK), SDM (100 + 0 + 0)/3,
    sarana (100 + 0 + 0)/3 (no logo, no inventory), administrasi (100 + books + 100 + 100)/4, kemitraan (100 + 0)/2, program
    (100 + 0 + 0)/3."""
    for n in range(50):
        member(session, n)
    for month in range(1, 13):
        day = dt.date(2025, 6, 1) + dt.timedelta(days=30 * month)
        activity(session, day.isoformat(), partner=("A", "B", "C")[month % 3], photo=True)
    month = dt.date(2025, 6, 1)
    while month < dt.date(2026, 6, 1):
        insert(session, "monthly_report_notes", month=month.isoformat()[:7], nomor_surat="x")
        month = (month + dt.timedelta(days=32)).replace(day=1)


def test_receiver_ranking_against_independent_values(receiver_file: Path, tmp_path: Path
                                                     ) -> None:
    receiver = open_session(receiver_file)
    try:
        bundles = [_village(tmp_path, BAROS, village_a, receiver),
                   _village(tmp_path, CISALAM, _fill_cisalam, receiver),
                   _village(tmp_path, KERTAJAYA, lambda s: None, receiver)]
        import_paths(receiver, *bundles)
        scores = assessment.ranking(receiver, today=TODAY)
        # the programme travelled and is counted per village
        from kt_desktop.services import books

        assert ("Baris program kerja", 3) in books.receiver_counts(receiver, BAROS)
        registers = len(completeness.registers())
        a = sum(expected_a().values()) / 6
        cisalam_books = 100 * 3 / registers  # members, activities, monthly reports
        cisalam = (50 + 100 / 3 + 100 / 3 + (100 + cisalam_books + 100 + 100) / 4 + 50
                   + 100 / 3) / 6
        # officers; address without phone or e-mail: sarana (50 + 0 + 0) / 3
        kertajaya = (50 + 0 + 50 / 3 + 0 + 0 + 0) / 6
        by_hand = {BAROS: a, CISALAM: cisalam, KERTAJAYA: kertajaya}
        assert [s.code for s in scores] == sorted(by_hand, key=by_hand.__getitem__,
                                                  reverse=True)
        assert [s.code for s in scores] == [BAROS, CISALAM, KERTAJAYA]  # its inventory
        totals = {s.code: s.assessment.total for s in scores}
        assert totals[BAROS] == pytest.approx(a)
        assert totals[CISALAM] == pytest.approx(cisalam)
        assert totals[KERTAJAYA] == pytest.approx(kertajaya)
        # the command line says the same
        import contextlib
        import io
        import json

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert run(["--data", str(receiver_file), "--json", "assessment", "ranking",
                        "--area", "36.01"]) == 0
        listed = json.loads(out.getvalue())["villages"]
        assert [v["code"] for v in listed] == [KERTAJAYA]
        # the same indicators as the village's own page
        serang = assessment.ranking(receiver, "36.04", today=TODAY)
        assert [s.code for s in serang] == [BAROS, CISALAM]
        # Kertajaya never wrote in its books; two years on, every village has gone quiet
        later = dt.date.today() + dt.timedelta(days=2 * 366)  # the data was written today
        assert [s.code for s in assessment.quiet_villages(scores, TODAY)] == [KERTAJAYA]
        assert {s.code for s in assessment.quiet_villages(scores, later)} == {
            BAROS, CISALAM, KERTAJAYA}
    finally:
        receiver.close()
