"""The Buku Induk Anggota: masked NIKs (unless asked, with the reason audited), every member,
and a table that keeps its header when it runs over several pages."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest

from kt_desktop.domain.errors import ValidationError
from kt_desktop.domain.nik import MASK_CHAR
from kt_desktop.services import demo_members, reports
from kt_desktop.store import audit
from tests.test_reports_helpers import PRINTED, Village, add_members, pdf_pages, pdf_text

HEADER = "Tempat, tanggal lahir"


@pytest.fixture
def village(village_session) -> Village:
    village = Village()
    add_members(village_session, village)
    return village


def test_register_lists_members_with_masked_nik(village_session, village, tmp_path: Path):
    out = reports.build_member_register(village_session, tmp_path / "induk.pdf", today=PRINTED)
    text = pdf_text(out)
    assert "BUKU INDUK ANGGOTA KARANG TARUNA" in text
    assert "Keadaan per 5 November 2025" in text
    # six members on the register (the one who left is not listed by default)
    assert "6 anggota (3 laki-laki, 3 perempuan)" in text
    for name, number in village.niks.items():
        assert number not in text, f"full NIK of {name} printed"
        if name == "Bayu Pratama":
            assert name not in text
            continue
        assert name in text
        assert MASK_CHAR * 12 + number[-4:] in text
    # no 16-digit run anywhere: nothing of a NIK beyond its last 4 digits
    assert not re.search(r"\d{16}", text)
    assert "NIK hanya ditampilkan 4 angka terakhirnya" in text
    assert "Serang, 12/03/1995" in text and "30" in text  # birth and age of Ahmad Fauzi
    entries = audit.entries(village_session.db(), action="print")
    assert entries and "NIK disamarkan" in (entries[0].detail or "")
    assert not audit.entries(village_session.db(), action="reveal")


def test_members_who_left_are_listed_when_asked(village_session, village, tmp_path: Path):
    out = reports.build_member_register(village_session, tmp_path / "semua.pdf",
                                        include_left=True, today=PRINTED)
    text = pdf_text(out)
    assert "Bayu Pratama" in text and "7 anggota (4 laki-laki, 3 perempuan)" in text


def test_full_nik_needs_a_reason_and_is_audited(village_session, village, tmp_path: Path):
    target = tmp_path / "nik.pdf"
    with pytest.raises(ValidationError) as refused:
        reports.build_member_register(village_session, target, reveal_nik=True, reason=" ")
    assert refused.value.code == "reason_required"
    assert not target.exists()

    reason = "Verifikasi data ke Dinas Sosial"
    out = reports.build_member_register(village_session, target, reveal_nik=True,
                                        reason=reason, today=PRINTED)
    text = pdf_text(out)
    for name, number in village.niks.items():
        if name != "Bayu Pratama":
            assert number in text
    assert "NIK pada halaman ini dicetak lengkap" in text
    reveal = audit.entries(village_session.db(), action="reveal")
    assert len(reveal) == 1
    assert reason in (reveal[0].detail or "")
    # the log says why, never which NIKs
    for entry in audit.entries(village_session.db()):
        for number in village.niks.values():
            assert number not in (entry.detail or "")


def test_long_register_repeats_its_header_on_every_page(village_session, tmp_path: Path):
    demo_members.fill(village_session, random.Random(7), dt.date(2025, 11, 1), members=60,
                      months=12)
    out = reports.build_member_register(village_session, tmp_path / "panjang.pdf",
                                        include_left=True, today=PRINTED)
    pages = pdf_pages(out)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Halaman {number} dari {len(pages)}" in page
        if number < len(pages) or re.search(r"^\s*\d+ ", page, re.M):
            assert HEADER in page, f"page {number} has rows but no header"
    # every member is listed once, numbered on across the pages to the last one
    assert "60 anggota (" in pages[0]
    numbers = [int(n) for n in re.findall(r"^ ?(\d+) \S", "\n".join(pages), re.M)
               if int(n) <= 60]
    assert sorted(set(numbers))[-1] == 60
    # the signatures share their page with the end of the table
    last = pages[-1]
    assert "Ahmad Fauzi" in last and "Siti Nurhaliza" in last
    assert last.index(HEADER) < last.index("Ketua,")


def test_empty_register_says_so(village_session, tmp_path: Path):
    text = pdf_text(reports.build_member_register(village_session, tmp_path / "kosong.pdf",
                                                  today=PRINTED))
    assert "Belum ada anggota yang tercatat." in text
    assert "0 anggota (0 laki-laki, 0 perempuan)" in text
