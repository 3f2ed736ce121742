"""Daftar Hadir and Sertifikat Pelatihan: the papers handed round and handed over."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from kt_desktop.domain.errors import KtError, NotFoundError, ValidationError
from kt_desktop.domain.trainings import Training, TrainingSession
from kt_desktop.services import reports, trainings
from kt_desktop.store import audit
from tests.test_reports_helpers import PRINTED, fill_village, flat, pdf_pages, pdf_text


@pytest.fixture
def village(village_session):
    return fill_village(village_session)


def _sign_marks(path: Path) -> dict[int, float]:
    """x position of every "N. ....." signature mark in the PDF, by its number."""
    marks: dict[int, float] = {}
    for page in PdfReader(str(path)).pages:

        def visit(text: str, _cm: list[float], tm: list[float], _font: object, _size: float
                  ) -> None:
            found = re.fullmatch(r"\s*(\d+)\. \.+\s*", text)
            if found:
                marks[int(found.group(1))] = tm[4]

        page.extract_text(visitor_text=visit)
    return marks


def _activity_sheet(session, village, title: str, folder: Path, *, spare_rows: int) -> Path:
    """The Daftar Hadir of the demo village's activity ``title``, with ``spare_rows`` empty
    numbered rows, printed on the fixed day."""
    return reports.build_activity_attendance(session, village.activities[title],
                                             folder / "hadir.pdf", spare_rows=spare_rows,
                                             today=PRINTED)


def test_activity_sheet_lists_participants_and_alternates_sides(
    village_session, village, tmp_path: Path
):
    out = _activity_sheet(village_session, village, "Pemeriksaan kesehatan gratis lansia",
                          tmp_path, spare_rows=5)
    text = pdf_text(out)
    assert "DAFTAR HADIR KEGIATAN" in text
    assert "Pemeriksaan kesehatan gratis lansia" in text
    assert "Hari, tanggal : Minggu, 5 Oktober 2025" in text
    assert "Tempat : Balai Desa Baros" in text
    # the four members listed on the activity, by name, numbered; then 5 spare rows
    names = ["Ahmad Fauzi", "Dedi Kurniawan", "Rina Marlina", "Siti Nurhaliza"]
    positions = [text.index(name) for name in names]
    assert positions == sorted(positions)
    marks = _sign_marks(out)
    assert sorted(marks) == list(range(1, 10))
    left = {marks[n] for n in marks if n % 2}
    right = {marks[n] for n in marks if not n % 2}
    assert max(left) < min(right), "odd numbers sign left, even numbers right"
    assert "Jumlah yang hadir" in text and "Ahmad Fauzi" in text
    assert "Mengetahui" not in text  # a sign-in sheet needs no Kepala Desa
    assert any("daftar hadir" in (e.detail or "")
               for e in audit.entries(village_session.db(), action="print"))


def test_training_session_sheet_names_every_participant(village_session, village, tmp_path):
    out = reports.build_training_attendance(
        village_session, village.training_id, 3, tmp_path / "sesi3.pdf", today=PRINTED
    )
    text = pdf_text(out)
    assert "DAFTAR HADIR PELATIHAN" in text and "Pelatihan Menjahit Dasar" in text
    assert "Pertemuan : ke-3 dari 4: Materi 3 (3 jam)" in text
    assert "Hari, tanggal : Sabtu, 18 Oktober 2025" in text
    assert "Pelatih : Ibu Euis" in text
    for name in ("Euis Komariah", "Nur'aini Lestari", "Rina Marlina", "Siti Nurhaliza"):
        assert name in text  # members and the non-member alike
    assert sorted(_sign_marks(out)) == list(range(1, 15))  # 4 names + 10 spare rows


def test_long_sheet_keeps_header_and_last_rows_with_signatures(
    village_session, village, tmp_path: Path
):
    out = _activity_sheet(village_session, village, "Kerja bakti saluran air", tmp_path,
                          spare_rows=60)
    pages = pdf_pages(out)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert "Tanda tangan" in page, f"page {number} lost the table header"
        assert f"Halaman {number} dari {len(pages)}" in page
    last = pages[-1]
    assert re.search(r"\b62\. \.", last), "the last numbered row is on the signature page"
    assert last.index("Tanda tangan") < last.index("Ketua,")


def test_bad_sheet_requests_are_refused(village_session, village, tmp_path: Path):
    target = tmp_path / "x.pdf"
    with pytest.raises(ValidationError) as refused:
        reports.build_training_attendance(village_session, village.training_id, 9, target)
    assert "1 sampai 4" in refused.value.message
    with pytest.raises(NotFoundError):
        reports.build_activity_attendance(village_session, "no-such-id", target)
    with pytest.raises(ValidationError):
        reports.build_activity_attendance(
            village_session, village.activities["Santunan anak yatim"], target, spare_rows=-1
        )
    assert not target.exists()


def test_certificates_one_page_per_graduate(village_session, village, tmp_path: Path):
    out = reports.build_certificates(village_session, village.training_id,
                                     tmp_path / "sertifikat.pdf", today=PRINTED)
    pages = pdf_pages(out)
    sheet = trainings.completion(village_session, village.training_id)
    numbers = {row.participant.name: row.certificate.number
               for row in sheet.rows if row.certificate is not None}
    assert sorted(numbers) == sorted(village.graduates)
    assert len(pages) == len(village.graduates)
    for page, name in zip(pages, sorted(village.graduates, key=lambda n: pages_order(pages, n)),
                          strict=True):
        assert name in page
        assert f"Nomor: {numbers[name]}" in page
        assert re.fullmatch(r"\d{3}/SERT-PLT/KT-TH/XI/2025", numbers[name])
        assert "SERTIFIKAT" in page and "Pelatihan Menjahit Dasar" in page
        assert "BLK Serang" in page and "Pimpinan BLK Serang" in page
        assert "1 – 25 Oktober 2025 (4 pertemuan, 12 jam pelajaran)" in flat(page)
        assert "Ahmad Fauzi" in page and "Baros, 5 November 2025" in page
    assert all("Nur'aini Lestari" not in page for page in pages)
    # printing again gives the same numbers: a number is never given twice
    again = reports.build_certificates(village_session, village.training_id,
                                       tmp_path / "lagi.pdf", today=PRINTED)
    assert sorted(re.findall(r"\d{3}/SERT-PLT/\S+", pdf_text(again))) == sorted(
        numbers.values())


def pages_order(pages: list[str], name: str) -> int:
    return next(i for i, page in enumerate(pages) if name in page)


def test_no_certificates_before_anyone_passes(village_session, village, tmp_path: Path):
    training_id = trainings.save_training(
        village_session,
        Training(title="Pelatihan Barista", skill_field="Barista",
                 start_date=PRINTED, end_date=PRINTED),
    )
    trainings.save_session(village_session, TrainingSession(training_id, PRINTED, "Espresso"))
    with pytest.raises(KtError) as refused:
        reports.build_certificates(village_session, training_id, tmp_path / "s.pdf")
    assert refused.value.code == "no_graduates"
    assert not (tmp_path / "s.pdf").exists()


def test_a_certificate_carries_no_page_count_or_program_footer(
    village_session, village, tmp_path: Path
):
    """Each certificate is handed to one graduate: no "Halaman 1 dari 3", no "KT Desktop"
    under it (issue 16), while lists keep their footer."""
    out = reports.build_certificates(village_session, village.training_id,
                                     tmp_path / "sertifikat.pdf", today=PRINTED)
    pages = pdf_pages(out)
    assert len(pages) > 1
    for page in pages:
        assert "Halaman" not in page and "KT Desktop" not in page and "Dicetak" not in page
    sheet = reports.build_training_attendance(village_session, village.training_id, 1,
                                              tmp_path / "hadir.pdf", today=PRINTED)
    assert "Halaman 1 dari" in pdf_text(sheet)


def test_a_training_sheet_is_dated_on_its_session_and_signed_by_the_trainer(
    village_session, village, tmp_path: Path
):
    """Printed on 5 November for the session of 18 October: the signatures say "Baros, 18
    Oktober 2025" (the day it is signed), and the trainer has a line beside the Ketua and
    Sekretaris (issue 16)."""
    out = reports.build_training_attendance(
        village_session, village.training_id, 3, tmp_path / "sesi3.pdf", today=PRINTED
    )
    last = pdf_pages(out)[-1]
    assert "Baros, 18 Oktober 2025" in last
    assert "Baros, 5 November 2025" not in last  # the print date stays in the footer
    closing = last.split("Jumlah yang hadir")[-1]
    assert "Pelatih," in closing and "Ibu Euis" in closing
    assert "Ketua," in closing and "Sekretaris," in closing
    activity = reports.build_activity_attendance(
        village_session, village.activities["Pemeriksaan kesehatan gratis lansia"],
        tmp_path / "kegiatan.pdf", today=PRINTED,
    )
    closing = pdf_text(activity).split("Jumlah yang hadir")[-1]
    assert "Baros, 5 Oktober 2025" in closing and "Pelatih," not in closing
