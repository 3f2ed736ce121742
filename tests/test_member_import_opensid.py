"""Members from the village's own data: OpenSID's resident workbooks, Dukcapil spreadsheets,
and NIKs a spreadsheet program may have changed (issue 15). Every file is made here."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from kt_desktop.services import member_export, member_import
from kt_desktop.services.session import Session

TODAY = dt.date(2026, 11, 28)


def csv_file(path: Path, rows: list[list[object]], *, sep: str = ";") -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=sep).writerows(rows)
    return path


def xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def preview(session: Session, path: Path, **kwargs: object) -> member_import.ImportPreview:
    return member_import.preview(session, path, today=TODAY, **kwargs)  # type: ignore[arg-type]


def excel_number(nik: str) -> int:
    """What a spreadsheet program keeps of a NIK typed into a number cell: 15 digits."""
    return int(float(f"{int(nik):.15g}"))


# -- never a silently changed NIK ------------------------------------------------------------
def test_number_cell_nik_ending_in_zero_is_refused_other_numbers_taken_with_a_note(
    village_session: Session, tmp_path: Path
) -> None:
    rows = [
        ["Nama", "NIK", "Tanggal Lahir", "L/P"],
        # 3604221708010012 typed into a number cell: kept as …010, which still decodes.
        ["Dibulatkan", excel_number("3604221708010012"), "17/08/2001", "L"],
        ["Utuh", 3604221708010003, "17/08/2001", "L"],
        # Papua (91-96) is past 2**53: a number cell cannot hold its last digit exactly.
        ["Papua", 9171014508990003, "05/08/1999", "P"],
    ]
    rounded, exact, fraction = preview(village_session, xlsx(tmp_path / "angka.xlsx", rows)).rows
    assert rounded.action == "reject" and rounded.member is None
    assert "Teks" in rounded.reason and "15 digit" in rounded.reason
    assert exact.action == "new" and exact.member and exact.member.nik == "3604221708010003"
    assert any("angka" in w and "Teks" in w for w in exact.warnings)
    assert fraction.action == "reject"


@pytest.mark.parametrize(
    ("written", "action"),
    [
        ("3604221708010010.0", "reject"),  # a number written out with ".0": may be rounded
        ("3604221708010010,0", "reject"),
        ("3,60422E+15", "reject"),
        ("3604221708010003.0", "new"),  # not ending in 0: not rounded
        ("'3604221708010003", "new"),  # Excel's apostrophe, cleaned
        ("3604221708010010", "new"),  # text ending in 0 that decodes: a real NIK
    ],
)
def test_csv_nik_written_as_a_number(
    village_session: Session, tmp_path: Path, written: str, action: str
) -> None:
    path = csv_file(tmp_path / "n.csv", [["Nama", "NIK", "Tgl Lahir", "L/P"], ["Ani", written, "17/08/2001", "L"]])
    (row,) = preview(village_session, path).rows
    assert row.action == action, row.errors
    if action == "new":
        assert row.member and row.member.nik == written.strip("'").split(".")[0]


def test_export_resaved_with_numbers_changes_no_nik(village_session: Session, tmp_path: Path) -> None:
    """The round trip of the issue: export .csv with full NIKs, open and save it in a
    spreadsheet program that turns the NIK column into numbers, import it again."""
    niks = [f"36042217080100{n:02d}" for n in (1, 2, 3, 4, 10, 12, 20)]
    rows = [["Nama", "NIK", "Tgl Lahir", "L/P"], *[[f"Anggota {i}", n, "17/08/2001", "L"] for i, n in enumerate(niks)]]
    first = member_import.run(village_session, csv_file(tmp_path / "awal.csv", rows), today=TODAY)
    assert first.created == 7
    exported = tmp_path / "ekspor.csv"
    member_export.export(village_session, exported, reveal_nik=True)
    with exported.open(encoding="utf-8-sig") as handle:
        table = list(csv.reader(handle, delimiter=";"))
    nik_column = table[0].index("NIK")
    resaved_xlsx, resaved_csv = [table[0]], [table[0]]
    for line in table[1:]:
        resaved_xlsx.append([excel_number(v) if i == nik_column else v for i, v in enumerate(line)])
        resaved_csv.append([f"{int(v):.5E}".replace("E+", "E+") if i == nik_column else v for i, v in enumerate(line)])
    for path in (xlsx(tmp_path / "disimpan.xlsx", resaved_xlsx), csv_file(tmp_path / "disimpan.csv", resaved_csv)):
        result = member_import.run(village_session, path, existing="update", today=TODAY)
        assert (result.created, result.updated, result.rejected) == (0, 0, 7), result.problems
    assert sorted(m.nik for m in member_import.store.iter_all(village_session.db())) == sorted(niks)


@pytest.mark.parametrize(("nik", "refused"), [
    ("9904221708010003", True), ("0904221708010003", True),
    ("3699221708010003", False),  # an unknown kabupaten of Banten: a warning, as before
])
def test_province_that_never_existed_is_refused(
    village_session: Session, tmp_path: Path, nik: str, refused: bool
) -> None:
    path = csv_file(tmp_path / "p.csv", [["Nama", "NIK", "Tgl Lahir", "L/P"], ["Ani", nik, "17/08/2001", "L"]])
    (row,) = preview(village_session, path).rows
    if refused:
        assert row.action == "reject" and "provinsi" in row.reason and nik[:2] in row.reason
        assert not row.reason.startswith("NIK:")
    else:
        assert row.action == "new" and any("Kemendagri" in w for w in row.warnings)
