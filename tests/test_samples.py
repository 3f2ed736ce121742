"""The sample member spreadsheet: what a secretary saves with "Unduh contoh" and imports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from kt_desktop import paths
from kt_desktop.domain.errors import KtError
from kt_desktop.domain.members import MemberQuery
from kt_desktop.services import member_import, samples
from kt_desktop.services import members as member_service
from kt_desktop.services.member_export import COLUMNS
from kt_desktop.services.session import Session
from scripts import make_sample_xlsx

#: The day the examples were written for: no warning at all on that day.
WRITTEN_ON = dt.date(2026, 11, 28)
SHIPPED = samples.sample_members_path()


def _values(book: openpyxl.Workbook) -> dict[str, list[tuple[object, ...]]]:
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_committed_sample_is_what_the_script_makes(tmp_path: Path) -> None:
    """Run scripts/make_sample_xlsx.py after changing it (or the export's columns)."""
    fresh = tmp_path / "fresh.xlsx"
    make_sample_xlsx.build_workbook().save(fresh)
    shipped = openpyxl.load_workbook(SHIPPED)
    assert _values(shipped) == _values(openpyxl.load_workbook(fresh))
    assert shipped.active.title == "Anggota"  # the importer reads the active sheet
    headers = next(shipped.active.iter_rows(max_row=1, values_only=True))
    assert headers == ("No", *COLUMNS)  # the same shape as an exported register


def test_sample_keeps_nik_phone_rt_rw_as_text() -> None:
    sheet = openpyxl.load_workbook(SHIPPED).active
    headers = [cell.value for cell in sheet[1]]
    for header in ("NIK", "No. HP", "RT", "RW"):
        column = headers.index(header) + 1
        cells = [sheet.cell(row=row, column=column) for row in range(2, 12)]
        filled = [cell for cell in cells if cell.value not in (None, "")]
        assert filled, header
        assert all(cell.data_type == "s" and cell.number_format == "@" for cell in filled), header
        # the empty rows below the examples are text too, for what the secretary types
        assert sheet.cell(row=40, column=column).number_format == "@"
    niks = [sheet.cell(row=row, column=headers.index("NIK") + 1).value for row in range(2, 12)]
    assert sum(1 for nik in niks if nik and len(nik) == 16 and nik.isdigit()) == 9
    phones = [sheet.cell(row=row, column=headers.index("No. HP") + 1).value for row in range(2, 12)]
    assert all(phone.startswith("08") for phone in phones if phone)


def test_every_header_of_the_sample_is_recognised() -> None:
    table = member_import.read_table(SHIPPED)
    mapping = member_import.detect_mapping(table.headers)
    assert table.header_line == 1
    unknown = [header for header, key in zip(table.headers, mapping, strict=True) if not key]
    assert unknown == ["No"]  # the row number column, skipped without a question


def test_sample_imports_cleanly(village_session: Session) -> None:
    preview = member_import.preview(village_session, SHIPPED, today=WRITTEN_ON)
    assert [(row.line, row.action, row.errors, row.warnings) for row in preview.rows] == [
        (line, "new", [], []) for line in range(2, 12)
    ]
    summary = member_import.run(village_session, SHIPPED, dry_run=True)  # today's rules
    assert (summary.rows, summary.created, summary.rejected) == (10, 10, 0)
    assert member_service.total(village_session) == 0  # a dry run writes nothing


def test_imported_sample_reads_back_as_written(village_session: Session) -> None:
    member_import.run(village_session, SHIPPED, today=WRITTEN_ON)
    rows = member_service.list_page(village_session, MemberQuery(), today=WRITTEN_ON)
    by_name = {row.name: member_service.get(village_session, row.id) for row in rows}
    assert len(by_name) == 10
    ketua = by_name["Ahmad Fauzi"]
    assert (ketua.nik, ketua.birth_date, ketua.sex, ketua.position) == (
        "3604221203940001", dt.date(1994, 3, 12), "L", "ketua"
    )
    seksi = by_name["Dede Kurniawan"]
    assert (seksi.position, seksi.seksi) == ("ketua_seksi", "Olahraga dan Seni Budaya")
    assert by_name["Intan Permatasari"].nik == ""
    assert by_name["Intan Permatasari"].nik_missing_reason.startswith("Baru pindah")
    minor = by_name["Fajar Maulana"]
    assert (minor.guardian_name, minor.consent_on) == ("Aminah", dt.date(2025, 7, 20))
    assert by_name["Ujang Supriatna"].disability is True
    assert by_name["Asep Saepudin"].status == "pasif"


def test_save_sample_to_a_file_name(tmp_path: Path) -> None:
    folder = tmp_path / "Dokumen"
    folder.mkdir()
    written = samples.save_sample_members(folder / "anggota-kami")
    assert written == folder / "anggota-kami.xlsx"  # Excel needs the extension
    assert written.read_bytes() == SHIPPED.read_bytes()
    assert [p.name for p in folder.iterdir()] == ["anggota-kami.xlsx"]  # no temporary file left


def test_save_sample_into_a_folder_replaces_an_old_copy(tmp_path: Path) -> None:
    old = tmp_path / samples.SAMPLE_MEMBERS
    old.write_bytes(b"an older, edited copy")
    assert samples.save_sample_members(tmp_path) == old
    assert old.read_bytes() == SHIPPED.read_bytes()


def test_save_sample_where_it_cannot_be_written(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "contoh.xlsx"
    with pytest.raises(KtError) as refused:
        samples.save_sample_members(target)
    assert refused.value.code == "sample_not_written"
    assert str(target) in refused.value.message
    assert "Pilih folder lain" in refused.value.message
    assert not target.parent.exists()


def test_missing_sample_says_to_install_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(samples, "sample_members_path", lambda: tmp_path / "gone.xlsx")
    with pytest.raises(KtError) as refused:
        samples.save_sample_members(tmp_path / "x.xlsx")
    assert refused.value.code == "sample_missing"
    assert "Pasang ulang" in refused.value.message
    assert not (tmp_path / "x.xlsx").exists()


def test_failed_copy_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = tmp_path / "contoh.xlsx"
    old.write_bytes(b"the secretary's filled-in copy")

    def disk_full(_source: object, _target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(paths.os, "replace", disk_full)  # the rename of paths.written_whole
    with pytest.raises(KtError) as refused:
        samples.save_sample_members(old)
    assert "disk penuh" in refused.value.message  # said in Indonesian, not strerror (issue 14)
    assert "No space left" not in refused.value.message
    assert old.read_bytes() == b"the secretary's filled-in copy"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contoh.xlsx", "home"]
