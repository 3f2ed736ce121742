"""The Laporan Bulanan read back from the PDF and compared with what the data file holds."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from kt_desktop import i18n
from kt_desktop.domain import clock
from kt_desktop.services import reports
from kt_desktop.store import audit
from kt_desktop.store import report_queries as queries
from tests.test_reports_helpers import (
    MONTH,
    PRINTED,
    YEAR,
    embedded_fonts,
    fill_village,
    pdf_pages,
    pdf_text,
)


@pytest.fixture
def village(village_session):
    return fill_village(village_session)


def test_monthly_report_prints_the_months_figures(village_session, village, tmp_path: Path):
    out = reports.build_monthly(
        village_session, YEAR, MONTH, tmp_path / "bulanan.pdf",
        kendala="Dana desa terlambat cair.", rencana="Rapat evaluasi pengurus.", today=PRINTED,
    )
    pages = pdf_pages(out)
    text = "\n".join(pages)
    first = pages[0]
    # letterhead, number, subject and period, in Indonesian
    assert "KARANG TARUNA TUNAS HARAPAN" in first
    assert "DESA BAROS KECAMATAN BAROS" in first
    assert "KABUPATEN SERANG" in first
    assert "Jl. Raya Baros No. 12, RT 002/RW 003, Kampung Cilaku, Kode Pos 42173" in first
    assert "LAPORAN BULANAN KARANG TARUNA" in first
    # the next number of the register of outgoing letters, dated the day it is printed
    assert "Nomor : 001/LAP/KT-TH/XI/2025" in first
    assert "Perihal : Laporan kegiatan bulan Oktober 2025" in first
    assert "Periode : 1 – 31 Oktober 2025" in first
    assert "Kode wilayah (Kemendagri) : 36.04.22.2001" in first
    # summary: 3 activities in October (the September meeting is not counted)
    assert "Kegiatan tercatat : 3 (2 terlaksana, 1 masih rencana, 0 batal)" in text
    # 3 members present + 2 volunteers, and 2 members on the second activity
    assert "Peserta kegiatan : 7 orang" in text
    assert "Penerima manfaat : 75 orang (37 laki-laki, 38 perempuan)" in text
    assert "Biaya kegiatan terlaksana : Rp3.100.000" in text
    assert "Pelatihan : 1 pelatihan, 4 peserta, 3 lulus" in text
    assert "Anggota : 6 pada akhir bulan (1 bergabung, 1 keluar)" in text
    # beneficiaries by PPKS category and sex, with their totals
    assert re.search(r"8\. Lanjut usia terlantar 7 9 16", text)
    assert re.search(r"27\. Umum / lainnya 30 29 59", text)
    assert re.search(r"\nJumlah 37 38 75", text)
    # the activity table: every October activity, none from September
    assert "Pemeriksaan kesehatan gratis lansia" in text
    assert "Kerja bakti saluran air" in text
    assert "Santunan anak yatim" in text
    assert "Rapat pengurus September" not in text
    assert "Rp2.950.000" in text and "Swadaya, Dana" in text
    assert re.search(r"Jumlah kegiatan yang terlaksana 7 75 Rp3\.100\.000", text)
    # the training with attendance (12 of 16 marks are H) and its graduates
    assert re.search(r"Pelatihan Menjahit Dasar 1 – 25 Oktober 2025 4 12 4 75% 3", text)
    # the secretary's own words, signatures, place and date, page x of y
    assert "Dana desa terlambat cair." in text
    assert "Rapat evaluasi pengurus." in text
    assert "Baros, 5 November 2025" in text
    for name in ("Ahmad Fauzi", "Siti Nurhaliza", "H. Suryadi", "Kepala Desa Baros"):
        assert name in text
    assert "Mengetahui," in text
    for number, page in enumerate(pages, start=1):
        assert f"Halaman {number} dari {len(pages)}" in page
        assert "Dicetak 5 November 2025" in page
    # the documentation photo with its caption, as an attachment after the signatures
    assert "LAMPIRAN: DOKUMENTASI KEGIATAN" in pages[-1]
    assert "Pemeriksaan tekanan darah" in pages[-1]


def test_signatures_never_open_a_page_alone(village_session, village, tmp_path: Path):
    out = reports.build_monthly(village_session, YEAR, MONTH, tmp_path / "b.pdf", today=PRINTED)
    for page in pdf_pages(out):
        if "Mengetahui," in page:
            before = page.split("Ketua,")[0]
            # the closing sentence stands above the signatures on the same page
            assert "Demikian laporan bulan Oktober 2025" in before


def test_notes_are_kept_with_the_month(village_session, village, tmp_path: Path):
    reports.build_monthly(
        village_session, YEAR, MONTH, tmp_path / "a.pdf", nomor_surat="012/KT-TH/X/2025",
        kendala="Hujan deras.", rencana="Kerja bakti.", today=PRINTED,
    )
    kept = queries.monthly_notes(village_session.db(), "2025-10")
    assert kept is not None
    assert (kept.nomor_surat, kept.kendala, kept.rencana) == (
        "012/KT-TH/X/2025", "Hujan deras.", "Kerja bakti."
    )
    # printed again without texts: the kept ones are used
    again = pdf_text(reports.build_monthly(village_session, YEAR, MONTH, tmp_path / "b.pdf",
                                           today=PRINTED))
    assert "Nomor : 012/KT-TH/X/2025" in again
    assert "Hujan deras." in again and "Kerja bakti." in again
    # the next month continues the year's numbering of letters, with the Roman month of
    # the day it is printed
    draft = reports.monthly_draft(village_session, YEAR, 11, PRINTED)
    assert draft.nomor_surat == "013/LAP/KT-TH/XI/2025"
    assert not draft.saved and draft.kendala == ""
    assert reports.monthly_draft(village_session, YEAR, MONTH).saved
    # the report was audited as printed, with its number
    entries = audit.entries(village_session.db(), action="print")
    assert any("2025-10" in (entry.detail or "") for entry in entries)


def test_a_month_with_nothing_recorded_says_so(village_session, village, tmp_path: Path):
    out = reports.build_monthly(village_session, 2025, 6, tmp_path / "juni.pdf", today=PRINTED)
    text = pdf_text(out)
    assert "Bulan Juni 2025" in text
    assert "Tidak ada kegiatan yang tercatat pada bulan ini." in text
    assert "Tidak ada penerima manfaat yang tercatat pada bulan ini." in text
    assert "Tidak ada pelatihan pada bulan ini." in text
    assert "Tidak ada kendala yang dicatat." in text
    assert "Kegiatan tercatat : 0 (0 terlaksana, 0 masih rencana, 0 batal)" in text
    assert "LAMPIRAN" not in text
    assert "Ahmad Fauzi" in text and "Halaman 1 dari" in text


def test_english_ui_still_prints_an_indonesian_paper(village_session, village, tmp_path: Path):
    """Issue 16: official papers are Indonesian whatever the interface speaks."""
    i18n.set_language("en")
    out = reports.build_monthly(village_session, YEAR, MONTH, tmp_path / "id.pdf", today=PRINTED)
    text = pdf_text(out)
    assert "LAPORAN BULANAN KARANG TARUNA" in text or "LAPORAN BULANAN" in text
    assert "Dicetak 5 November 2025" in text and "Halaman 1 dari" in text
    assert "MONTHLY REPORT" not in text and "November 5, 2025" not in text
    assert i18n.language() == "en"  # the window keeps its English


def test_an_english_copy_only_on_request(village_session, village, tmp_path: Path):
    out = reports.build_monthly(village_session, YEAR, MONTH, tmp_path / "en.pdf", today=PRINTED,
                                paper_language="en")
    text = pdf_text(out)
    assert i18n.language() == "id"
    assert "MONTHLY REPORT OF THE KARANG TARUNA" in text
    assert "Month of October 2025" in text
    assert "Page 1 of" in text and "Printed November 5, 2025" in text
    assert "Acknowledged by," in text and "Village Head of Baros" in text
    assert "Halaman" not in text and "Kegiatan tercatat" not in text


def test_every_font_is_embedded(village_session, village, tmp_path: Path):
    out = reports.build_monthly(village_session, YEAR, MONTH, tmp_path / "f.pdf", today=PRINTED)
    fonts = embedded_fonts(out)
    assert fonts and all(embedded == "yes" for _name, embedded in fonts), fonts
    assert all("DejaVu" in name for name, _embedded in fonts)


def test_services_do_not_import_reportlab_at_start():
    code = (
        "import sys, kt_desktop.services.reports, kt_desktop.cli.reports; "
        "print('reportlab' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


def test_the_current_month_can_be_reported_while_it_runs(village_session, tmp_path: Path):
    today = clock.today()
    out = reports.build_monthly(village_session, today.year, today.month, tmp_path / "now.pdf")
    assert out.is_file() and out.read_bytes().startswith(b"%PDF")
