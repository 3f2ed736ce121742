"""Importing the messy spreadsheets villages really have, made here file by file."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from kt_desktop.cli import run as cli_run
from kt_desktop.domain.errors import KtError, ValidationError
from kt_desktop.domain.members import MemberQuery
from kt_desktop.services import member_import
from kt_desktop.services import members as service
from kt_desktop.services.progress import Cancelled, Progress
from kt_desktop.services.session import Session

TODAY = dt.date(2026, 11, 28)
HEADERS = ["No", "Nama", "NIK", "Tempat Lahir", "Tgl Lahir", "L/P", "Alamat", "RT", "RW", "Dusun", "No HP"]


def xlsx(path: Path, rows: list[list[object]], *, title: str | None = None, text_nik: bool = False) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.append([])
    for row in rows:
        sheet.append(row)
    if text_nik:
        for cell in sheet["C"]:
            cell.number_format = "@"
    book.save(path)
    return path


def csv_file(path: Path, rows: list[list[object]], *, sep: str = ";", encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=sep).writerows(rows)
    return path


def preview(session: Session, path: Path, **kwargs: object) -> member_import.ImportPreview:
    return member_import.preview(session, path, today=TODAY, **kwargs)  # type: ignore[arg-type]


def by_line(result: member_import.ImportPreview) -> dict[int, member_import.RowResult]:
    return {row.line: row for row in result.rows}


ROWS = [
    HEADERS,
    [1, "Siti Nurhaliza", "3604225708010004", "Serang", "17/08/2001", "P", "Jl. Baros", "2", "3", "Kampung Cilaku", "0812-3456-7890"],
    [2, "Dede Suryana", "3604221708010003", "Serang", "17-08-2001", "L", "", "002", "003", "Kampung Cilaku", "+62 857 1111 2222"],
    [3, "Ujang Sopandi", "3604220505990001", "Lebak", "1999-05-05", "Laki-laki", "", "4", "1", "Kampung Babakan", ""],
]


def test_csv_with_semicolons_and_bom(village_session: Session, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "anggota.csv", ROWS)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    table = member_import.read_table(path)
    assert table.separator == ";" and table.headers[1] == "Nama"
    result = preview(village_session, path)
    assert [r.action for r in result.rows] == ["new", "new", "new"], [r.errors for r in result.rows]
    assert result.mapping[:3] == ["", "name", "nik"]
    assert result.unmapped == []  # "No" is a row number, not an unknown column
    siti = result.rows[0].member
    assert siti is not None
    assert (siti.birth_date, siti.sex, siti.rt, siti.phone) == (dt.date(2001, 8, 17), "P", "002", "081234567890")
    assert result.rows[1].member.phone == "085711112222"  # type: ignore[union-attr]


def test_comma_csv_without_bom(village_session: Session, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "anggota.csv", ROWS, sep=",", encoding="utf-8")
    assert member_import.read_table(path).separator == ","
    assert preview(village_session, path).counted("new") == 3


def test_windows_1252_csv_keeps_curly_apostrophes_and_accents(village_session: Session, tmp_path: Path) -> None:
    rows = [
        ["Nama", "NIK", "Tgl Lahir", "L/P"],
        ["Nur\u2019aini", "3604225001020001", "10/01/2002", "P"],
        ["D\u00e9sy Ratnasari", "3604224203990002", "02/03/1999", "P"],
    ]
    path = csv_file(tmp_path / "cp1252.csv", rows, sep=";", encoding="cp1252")
    assert b"\x92" in path.read_bytes() and b"\xe9" in path.read_bytes()
    table = member_import.read_table(path)
    assert table.encoding == "cp1252"
    result = preview(village_session, path)
    assert [r.member.name for r in result.rows if r.member] == ["Nur\u2019aini", "D\u00e9sy Ratnasari"]


@pytest.mark.parametrize(
    "cell",
    ["17/08/2001", "17-08-2001", "2001-08-17", "17 Agustus 2001", "17 Agu 2001", "17 Ags 2001",
     "17-Aug-2001", "17.08.2001", 37120, "37120", dt.datetime(2001, 8, 17), dt.date(2001, 8, 17)],
)
def test_every_date_form_secretaries_use(cell: object) -> None:
    assert member_import.parse_date(cell) == dt.date(2001, 8, 17)


@pytest.mark.parametrize("cell", ["17/08/01", "31/02/2001", "kemarin", "17 Agustos 2001"])
def test_unreadable_dates_say_how_to_write_them(cell: str) -> None:
    with pytest.raises(member_import.CellError) as caught:
        member_import.parse_date(cell)
    assert cell in str(caught.value)


def test_xlsx_with_title_rows_date_cells_and_serials(village_session: Session, tmp_path: Path) -> None:
    rows = [
        ["Nama Lengkap", "NIK", "Tempat, Tgl Lahir", "Jenis Kelamin", "Pendidikan", "Agama", "Jabatan"],
        ["Ahmad Fauzi", "3604221001910001", "Serang, 10 Januari 1991", "L", "SMA", "Islam", "Ketua"],
        ["Rina Marlina", "3604224202940002", "Lebak, 02/02/1994", "Perempuan", "S1", "islam", "Bendahara"],
        ["Euis", "3604225508000003", "Serang, 15 Agustus 2000", "P", "smk", "Katholik",
         "Ketua Seksi Olahraga dan Seni Budaya"],
    ]
    path = xlsx(tmp_path / "daftar.xlsx", rows, title="DAFTAR ANGGOTA KARANG TARUNA TUNAS HARAPAN", text_nik=True)
    result = preview(village_session, path)
    assert result.header_line == 3
    assert [r.action for r in result.rows] == ["new"] * 3, [r.errors for r in result.rows]
    ahmad, rina, euis = (r.member for r in result.rows)
    assert ahmad and rina and euis
    assert (ahmad.birth_place, ahmad.birth_date, ahmad.position) == ("Serang", dt.date(1991, 1, 10), "ketua")
    assert (rina.education, rina.position) == ("s1", "bendahara")
    assert (euis.religion, euis.position, euis.seksi) == ("katolik", "ketua_seksi", "Olahraga dan Seni Budaya")


def test_xlsx_nik_stored_as_a_rounded_number_is_an_error_row(village_session: Session, tmp_path: Path) -> None:
    rows = [
        ["Nama", "NIK", "Tanggal Lahir", "L/P"],
        ["Rounded", 3604221708010000, dt.datetime(2001, 8, 17), "L"],  # Excel dropped "3"
        ["Scientific", "3.60422E+15", 37120, "L"],
        ["Exact number", 3604221708010003, 37120, "L"],
    ]
    result = preview(village_session, xlsx(tmp_path / "angka.xlsx", rows))
    rounded, scientific, exact = result.rows
    for row in (rounded, scientific):
        assert row.action == "reject"
        assert not row.reason.startswith("NIK: ")  # the sentence names the NIK itself
        assert "Excel" in row.reason and ("Text" in row.reason or "Teks" in row.reason)
    assert exact.action == "new" and exact.member and exact.member.nik == "3604221708010003"


def test_unknown_headers_need_a_mapping(village_session: Session, tmp_path: Path) -> None:
    rows = [
        ["Pemuda", "Nomor Kependudukan", "Lahir Tanggal", "Kelamin"],
        ["Yayan Hidayat", "3604221203980001", "12/03/1998", "L"],
    ]
    path = csv_file(tmp_path / "aneh.csv", rows)
    table = member_import.read_table(path)
    detected = member_import.detect_mapping(table.headers)
    assert detected == ["", "", "", "sex"]
    with pytest.raises(ValidationError) as caught:
        preview(village_session, path)
    assert caught.value.code == "no_name_column"
    result = preview(village_session, path, mapping=["name", "nik", "birth_date", "sex"])
    assert result.counted("new") == 1 and result.unmapped == []
    with pytest.raises(ValidationError):
        preview(village_session, path, mapping=["name", "name", "birth_date", "sex"])


def test_duplicate_nik_inside_the_file_rejects_the_second_row(village_session: Session, tmp_path: Path) -> None:
    rows = [*ROWS, [4, "Siti N.", "3604 2257 0801 0004", "Serang", "17/08/2001", "P", "", "", "", "", ""]]
    result = by_line(preview(village_session, csv_file(tmp_path / "dobel.csv", rows)))
    assert result[5].action == "reject"
    assert "2" in result[5].reason and "NIK" in result[5].reason


def test_a_row_breaking_the_rules_names_the_column_and_the_fix(village_session: Session, tmp_path: Path) -> None:
    rows = [
        ["Nama", "NIK", "Tgl Lahir", "L/P", "No HP"],
        ["", "3604221708010003", "17/08/2001", "L", ""],
        ["Anak", "3604221708120001", "17/08/2012", "L", ""],
        ["Telepon", "3604221708010005", "17/08/2001", "L", "12345"],
        ["Kelamin", "3604221708010006", "17/08/2001", "X", ""],
    ]
    result = by_line(preview(village_session, csv_file(tmp_path / "salah.csv", rows)))
    assert result[2].reason == "Nama lengkap wajib diisi."  # not "Nama: Nama lengkap …"
    assert "18" in result[3].reason  # a child without a guardian's consent
    # A wrong phone number keeps the member, without the phone, and says so.
    assert result[4].action == "new" and result[4].member and result[4].member.phone == ""
    assert result[4].warnings[0].startswith("No HP: ") and "12345" in result[4].warnings[0]
    assert result[5].reason.startswith("L/P: ") and "X" in result[5].reason


def test_missing_birth_date_and_sex_are_taken_from_the_nik(village_session: Session, tmp_path: Path) -> None:
    rows = [["Nama", "NIK"], ["Wati", "3604224408990001"]]
    (row,) = preview(village_session, csv_file(tmp_path / "nik.csv", rows)).rows
    assert row.action == "new" and row.member
    assert (row.member.birth_date, row.member.sex) == (dt.date(1999, 8, 4), "P")
    assert len(row.warnings) == 2


def test_reimport_updates_or_skips_existing_members(village_session: Session, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "anggota.csv", ROWS)
    first = member_import.commit(village_session, preview(village_session, path))
    assert (first.created, first.updated) == (3, 0)
    changed = [row[:] for row in ROWS]
    changed[1][10] = "0813-0000-1111"
    changed.append([4, "Anggota Baru", "3604220101000009", "Serang", "01/01/2000", "L", "", "", "", "", ""])
    csv_file(path, changed)

    skipped = preview(village_session, path, existing="skip")
    assert [r.action for r in skipped.rows] == ["skip", "skip", "skip", "new"]
    assert skipped.rows[0].existing_name == "Siti Nurhaliza"
    member_import.commit(village_session, skipped)
    siti = service.list_page(village_session, MemberQuery(search="siti"), today=TODAY)[0]
    assert siti.phone == "081234567890"

    updated = preview(village_session, path, existing="update")
    # Only Siti's phone changed: the unchanged rows are skipped, not re-versioned.
    assert [r.action for r in updated.rows] == ["update", "skip", "skip", "skip"]
    summary = member_import.commit(village_session, updated)
    assert (summary.created, summary.updated, summary.skipped) == (0, 1, 3)
    siti_after = service.get(village_session, siti.id)
    assert siti_after.phone == "081300001111" and siti_after.version == 2
    assert siti_after.address == "Jl. Baros"  # an empty cell does not wipe a value
    assert service.total(village_session) == 4


def test_cancel_leaves_nothing_imported(village_session: Session, tmp_path: Path) -> None:
    rows = [["Nama", "NIK", "Tgl Lahir", "L/P"]] + [
        [f"Anggota {i}", f"360422{(i % 28) + 1:02d}0{(i // 28) % 9 + 1}99{i:04d}", "", ""]
        for i in range(1, 1201)
    ]
    path = csv_file(tmp_path / "banyak.csv", rows)
    result = preview(village_session, path)
    assert result.counted("new") == 1200, result.rejected[:1]
    audit_before = village_session.db().execute("SELECT count(*) FROM audit_log").fetchone()[0]
    progress = Progress()
    progress._callback = lambda done, total, text: progress.cancel() if done >= 500 else None
    with pytest.raises(Cancelled):
        member_import.commit(village_session, result, progress=progress)
    assert service.total(village_session) == 0
    assert village_session.db().execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit_before
    assert member_import.commit(village_session, result).created == 1200
    assert service.total(village_session) == 1200


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_rejected_rows_are_saved_with_a_reason_column(village_session: Session, tmp_path: Path, suffix: str) -> None:
    rows = [*ROWS, [4, "Bulat", "3.60422E+15", "", "17/08/2001", "L", "", "", "", "", "081200000000"],
            [5, "", "3604221708010007", "", "17/08/2001", "L", "", "", "", "", ""]]
    result = preview(village_session, csv_file(tmp_path / "in.csv", rows))
    out = tmp_path / f"ditolak{suffix}"
    assert member_import.save_rejects(result, out) == 2
    if suffix == ".xlsx":
        sheet = openpyxl.load_workbook(out).active
        table = [[c.value for c in row] for row in sheet.iter_rows()]
        assert sheet["C2"].number_format == "@"
    else:
        with out.open(encoding="utf-8-sig") as handle:
            table = list(csv.reader(handle, delimiter=";"))
    assert table[0] == [*HEADERS, "Alasan"]
    assert table[1][1] == "Bulat" and "Excel" in table[1][-1]
    assert table[2][2] == "3604221708010007" and table[2][-1] == "Nama lengkap wajib diisi."
    # The fixed file imports again: its "Alasan" column is simply not mapped.
    assert member_import.detect_mapping(table[0])[-1] == ""


def test_unreadable_and_unknown_files_are_refused(village_session: Session, tmp_path: Path) -> None:
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"not a zip at all")
    with pytest.raises(KtError) as caught:
        member_import.read_table(broken)
    assert caught.value.code == "unreadable" and "rusak.xlsx" in caught.value.message
    with pytest.raises(KtError) as caught:
        member_import.read_table(tmp_path / "data.pdf")
    assert caught.value.code == "unknown_format"


# -- the command line -------------------------------------------------------------------------
def test_cli_import_dry_run_json_then_import(village_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [*ROWS, [4, "Bulat", 3604221708010000, "", "17/08/2001", "L", "", "", "", "", ""]]
    path = xlsx(tmp_path / "anggota.xlsx", rows)
    rejects = tmp_path / "tolak.xlsx"
    code = cli_run(["--data", str(village_file), "members", "import", str(path), "--dry-run",
                    "--json", "--rejects", str(rejects)])
    out = capsys.readouterr().out
    assert code == 0
    summary = json.loads(out)
    assert (summary["new"], summary["rejected"], summary["dry_run"]) == (3, 1, True)
    assert summary["errors"][0]["line"] == 5 and rejects.exists()
    assert cli_run(["--data", str(village_file), "members", "import", str(path)]) == 0
    assert "3" in capsys.readouterr().out
    rows[1][10] = "0813 9999 0000"
    xlsx(path, rows)
    code = cli_run(["--data", str(village_file), "members", "import", str(path), "--update-existing", "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0 and (summary["updated"], summary["skipped"]) == (1, 2)


@pytest.mark.parametrize("name,content", [("rusak.xlsx", b"PK-not-really"), ("foto.jpg", b"\xff\xd8")])
def test_cli_import_of_a_bad_file_exits_1_with_one_line(
    village_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert cli_run(["--data", str(village_file), "members", "import", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and name in err


def test_cli_import_without_a_name_column_exits_1(village_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = csv_file(tmp_path / "tanpa_nama.csv", [["NIK", "L/P"], ["3604221708010003", "L"]])
    assert cli_run(["--data", str(village_file), "members", "import", str(path)]) == 1
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
