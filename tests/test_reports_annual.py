"""Laporan Tahunan and Rekap Kegiatan read back and checked against the fixture's records."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from kt_desktop.domain import clock
from kt_desktop.domain.errors import ValidationError
from kt_desktop.services import reports
from tests.test_reports_helpers import PRINTED, fill_village, pdf_pages, pdf_text

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")


@pytest.fixture
def village(village_session):
    return fill_village(village_session)


def test_annual_report_adds_up_the_year(village_session, village, tmp_path: Path):
    out = reports.build_annual(village_session, 2025, tmp_path / "tahunan.pdf",
                               nomor_surat="020/KT-TH/XII/2025", today=PRINTED)
    pages = pdf_pages(out)
    text = "\n".join(pages)
    assert "LAPORAN TAHUNAN KARANG TARUNA" in text and "Tahun 2025" in text
    assert "Nomor : 020/KT-TH/XII/2025" in text
    for name in MONTHS:  # every month has its row, in Indonesian
        assert re.search(rf"\n{name} \d", text), name
    # September: the meeting (1 carried out, 1 participant, nothing spent)
    assert re.search(r"\nSeptember 0 1 0 1 0 Rp0", text)
    # October: 1 still planned, 2 carried out, 7 participants, 75 beneficiaries, Rp3.100.000
    assert re.search(r"\nOktober 1 2 0 7 75 Rp3\.100\.000", text)
    assert re.search(r"\nJumlah 1 3 0 8 75 Rp3\.100\.000", text)
    assert "Kegiatan terlaksana : 3" in text
    assert "Penerima manfaat : 75 orang (37 laki-laki, 38 perempuan)" in text
    # by kind and by source, only what was carried out (the planned donation is not money spent)
    assert re.search(r"Pemeriksaan kesehatan 1 Rp2\.950\.000", text)
    assert re.search(r"Rapat 1 Rp0", text)
    assert "Donatur" not in text
    # the training with its graduates
    assert re.search(r"Pelatihan Menjahit Dasar 1 – 25 Oktober 2025 4 75% 3 0 0", text)
    assert "Ahmad Fauzi" in pages[-1] and "Mengetahui," in pages[-1]
    assert f"Halaman {len(pages)} dari {len(pages)}" in pages[-1]


def test_yearly_report_for_a_future_year_is_refused(village_session, tmp_path: Path):
    with pytest.raises(ValidationError) as refused:
        reports.build_annual(village_session, clock.today().year + 1, tmp_path / "t.pdf")
    assert refused.value.code == "future_year"
    assert not (tmp_path / "t.pdf").exists()


def test_recap_covers_exactly_the_chosen_dates(village_session, village, tmp_path: Path):
    out = reports.build_recap(village_session, dt.date(2025, 9, 1), dt.date(2025, 10, 20),
                              tmp_path / "rekap.pdf", today=PRINTED)
    text = pdf_text(out)
    assert "REKAP KEGIATAN" in text and "1 September – 20 Oktober 2025" in text
    assert "Rapat pengurus September" in text
    assert "Kerja bakti saluran air" in text  # starts on the last day of the range
    assert "Santunan anak yatim" not in text  # 28 October: outside
    assert "Kegiatan tercatat : 3" in text and "Terlaksana : 3" in text
    assert "Biaya : Rp3.100.000" in text
    assert re.search(r"Swadaya 2 Rp650\.000", text)
    assert re.search(r"Dana Desa/APBDes 1 Rp2\.450\.000", text)
    assert "Demikian rekap ini dibuat dengan sebenarnya." in text


def test_recap_refuses_a_reversed_range(village_session, tmp_path: Path):
    with pytest.raises(ValidationError) as refused:
        reports.build_recap(village_session, dt.date(2025, 10, 2), dt.date(2025, 10, 1),
                            tmp_path / "r.pdf")
    assert refused.value.code == "bad_range"
    assert not (tmp_path / "r.pdf").exists()
