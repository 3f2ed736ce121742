"""Members from the village's own data: OpenSID's resident workbooks, Dukcapil spreadsheets,
and NIKs a spreadsheet program may have changed (issue 15). Every file is made here."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from kt_desktop.domain import clock
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
        ("9171014508990003.0", "reject"),  # past 2**53: a double cannot say its last digit
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
        resaved_csv.append([f"{int(v):.5E}" if i == nik_column else v for i, v in enumerate(line)])
    # Saved with the column as Number (no decimals): the rounded digits, as plain text.
    resaved_digits = [table[0], *[[str(excel_number(v)) if i == nik_column else v for i, v in enumerate(line)]
                                  for line in table[1:]]]
    for path in (xlsx(tmp_path / "disimpan.xlsx", resaved_xlsx), csv_file(tmp_path / "disimpan.csv", resaved_csv),
                 csv_file(tmp_path / "angka.csv", resaved_digits)):
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


# -- OpenSID's layouts -------------------------------------------------------------------------
COLUMNS = [
    "alamat", "dusun", "rw", "rt", "nama", "no_kk", "nik", "sex", "tempatlahir", "tanggallahir",
    "agama_id", "pendidikan_kk_id", "pendidikan_sedang_id", "pekerjaan_id", "status_kawin",
    "kk_level", "warganegara_id", "ayah_nik", "nama_ayah", "ibu_nik", "nama_ibu",
    "golongan_darah_id", "akta_lahir", "dokumen_pasport", "tanggal_akhir_paspor", "dokumen_kitas",
    "akta_perkawinan", "tanggalperkawinan", "akta_perceraian", "tanggalperceraian", "cacat_id",
    "cara_kb_id", "hamil", "ktp_el", "status_rekam", "alamat_sekarang", "status_dasar", "suku",
    "tag_id_card", "id_asuransi", "no_asuransi", "lat", "lng",
]  # OpenSID's Impor_model::$daftar_kolom, in order: 43 columns


def nik_for(born: dt.date, sex: str, serial: int) -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"360422{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


#: (name, sex code, birth date, agama, pendidikan_kk, pekerjaan, dusun, rw, rt): residents of
#: all ages. Codes are OpenSID's: agama 1 Islam, 3 Katholik, 7 Kepercayaan; pendidikan_kk
#: 3 Tamat SD, 5 SLTA, 8 Diploma IV/Strata I; pekerjaan 3 Pelajar/Mahasiswa, 9 Petani/Pekebun,
#: 88 Wiraswasta.
RESIDENTS = [
    ("Ujang Sopandi", 1, dt.date(1996, 5, 5), 1, 5, 9, "Kampung Cilaku", "3", "2"),
    ("Siti Aminah", 2, dt.date(2001, 8, 17), 7, 8, 88, "-", "-", "-"),
    ("Abah Karta", 1, dt.date(1960, 1, 2), 1, 3, 9, "Kampung Cilaku", "3", "2"),
    ("Dede Kecil", 1, dt.date(2020, 3, 4), 1, 1, 1, "Kampung Cilaku", "3", "2"),
    ("Nining Remaja", 2, dt.date(2010, 6, 15), 3, 4, 3, "Kampung Babakan", "1", "4"),
]
LABELS = {  # the "huruf" export: the same residents with Dukcapil's labels
    "sex": {1: "LAKI-LAKI", 2: "PEREMPUAN"},
    "agama": {1: "ISLAM", 3: "KATHOLIK", 7: "KEPERCAYAAN TERHADAP TUHAN YME / LAINNYA"},
    "pendidikan": {1: "TIDAK / BELUM SEKOLAH", 3: "TAMAT SD / SEDERAJAT", 4: "SLTP/SEDERAJAT",
                   5: "slta /sederajat", 8: "DIPLOMA IV/ STRATA I"},
    "pekerjaan": {1: "BELUM/TIDAK BEKERJA", 3: "PELAJAR/MAHASISWA", 9: "PETANI/PEKEBUN", 88: "WIRASWASTA"},
}


Resident = tuple[str, int, dt.date, int, int, int, str, str, str]


def resident_row(index: int, kind: str, resident: Resident) -> list[object]:
    name, sex, born, agama, pendidikan, pekerjaan, dusun, rw, rt = resident
    values: dict[str, object] = {key: "" for key in COLUMNS}
    birth: object = born if kind == "template" else born.isoformat()
    huruf = kind == "huruf"
    values.update(
        alamat=f"Jl. Baros No. {index + 1}", dusun=dusun, rw=rw, rt=rt, nama=name,
        no_kk=f"36042201010{index:05d}",
        nik=nik_for(born, "L" if sex == 1 else "P", sum(map(ord, name)) % 9000 + 1),  # one per person
        sex=LABELS["sex"][sex] if huruf else sex, tempatlahir="Serang", tanggallahir=birth,
        agama_id=LABELS["agama"][agama] if huruf else agama,
        pendidikan_kk_id=LABELS["pendidikan"][pendidikan] if huruf else pendidikan,
        pekerjaan_id=LABELS["pekerjaan"][pekerjaan] if huruf else pekerjaan,
        status_kawin=1, kk_level=4, warganegara_id=1, nama_ayah="Karta", nama_ibu="Onah",
        # cacat_id: 2 = CACAT NETRA/BUTA, 7 = TIDAK CACAT (tweb_cacat)
        cacat_id=("CACAT NETRA/BUTA" if huruf else 2) if index == 1 else ("TIDAK CACAT" if huruf else 7),
    )
    return [values[key] for key in COLUMNS]


def opensid_workbook(path: Path, kind: str, residents: list[Resident] | None = None) -> Path:
    """OpenSID's template (sheet "Data Penduduk", date cells shown dd-mm-yyyy, "###" and the
    instructions after the data) or its export (dates as YYYY-MM-DD text; codes, or labels in
    the "huruf" variant)."""
    book = openpyxl.Workbook()
    if kind == "template":
        book.active.title = "Petunjuk"
        book.active.append(["Baca petunjuk di sheet Data Penduduk"])
        sheet = book.create_sheet("Data Penduduk")
    else:
        sheet = book.active
        sheet.title = "Data Penduduk"
    sheet.append(COLUMNS)
    for index, resident in enumerate(residents if residents is not None else RESIDENTS):
        sheet.append(resident_row(index, kind, resident))
        if kind == "template":
            sheet.cell(sheet.max_row, COLUMNS.index("tanggallahir") + 1).number_format = "dd-mm-yyyy"
            sheet.cell(sheet.max_row, COLUMNS.index("nik") + 1).number_format = "@"
    if kind == "template":
        sheet.append(["", "###"])
        for text in ("Petunjuk pengisian:", "1. Kolom nik diisi 16 digit", "2. Kolom sex: 1 = laki-laki, 2 = perempuan",
                     "3. Kode agama lihat sheet Kode Data", "4. Tanggal ditulis dd-mm-yyyy"):
            sheet.append([text])
    book.save(path)
    return path


@pytest.mark.parametrize(("kind", "layout"), [
    ("template", "opensid_template"), ("export", "opensid_export"), ("huruf", "opensid_export"),
])
def test_opensid_layouts_give_members_field_by_field(
    village_session: Session, tmp_path: Path, kind: str, layout: str
) -> None:
    result = preview(village_session, opensid_workbook(tmp_path / f"penduduk_{kind}.xlsx", kind))
    assert result.layout == layout and result.layout_name.startswith("OpenSID (")
    assert len(result.rows) == 5  # the "###" row and the instructions after it are no rows
    assert not result.rejected, [r.errors for r in result.rows]
    assert [r.action for r in result.rows] == ["new", "new", "out_of_range", "out_of_range", "consent"]
    ujang, siti = result.rows[0].member, result.rows[1].member
    assert ujang is not None and siti is not None
    assert (ujang.name, ujang.nik, ujang.sex, ujang.birth_date, ujang.birth_place) == (
        "Ujang Sopandi", nik_for(dt.date(1996, 5, 5), "L", sum(map(ord, "Ujang Sopandi")) % 9000 + 1),
        "L", dt.date(1996, 5, 5), "Serang")
    assert ujang.nik.startswith("360422050596")
    assert (ujang.religion, ujang.education, ujang.occupation) == ("islam", "sma", "Petani/Pekebun")
    assert (ujang.dusun, ujang.rw, ujang.rt, ujang.address) == ("Kampung Cilaku", "003", "002", "Jl. Baros No. 1")
    assert (siti.sex, siti.religion, siti.education, siti.occupation) == ("P", "kepercayaan", "s1", "Wiraswasta")
    assert (siti.dusun, siti.rw, siti.rt) == ("", "", "")  # "-" is empty
    assert (siti.disability, siti.disability_kind, ujang.disability, ujang.disability_kind) == (
        True, "Netra", False, "")
    ignored = result.unmapped
    assert {"no_kk", "status_kawin", "pendidikan_sedang_id", "kk_level", "ayah_nik", "lat"} <= set(ignored)
    assert not {"nama", "nik", "sex", "tanggallahir", "agama_id", "alamat"} & set(ignored)
    # Taken: alamat dusun rw rt nama nik sex tempatlahir tanggallahir agama_id
    # pendidikan_kk_id pekerjaan_id cacat_id.
    assert len(ignored) == 43 - 13 and "cacat_id" not in ignored
    assert result.age_filter and "13\u201345" in result.age_filter_text and "28/11/2026" in result.age_filter_text


def test_dukcapil_labels_and_sex_codes_in_a_plain_list(village_session: Session, tmp_path: Path) -> None:
    rows = [["Nama", "NIK", "Jenis Kelamin", "Tanggal Lahir", "Agama", "Pendidikan", "Alamat / Kampung", "RT", "RW"]]
    labels = [("SLTA / SEDERAJAT", "sma"), ("SLTP/SEDERAJAT", "smp"), ("TAMAT SD / SEDERAJAT", "sd"),
              ("DIPLOMA IV/ STRATA I", "s1"), ("AKADEMI/ DIPLOMA III/S. MUDA", "diploma"),
              ("  diploma iv /strata  i ", "s1"), ("Strata II", "s2")]
    for serial, (label, _value) in enumerate(labels, start=1):
        rows.append([f"Warga {serial}", f"36042217080100{serial:02d}", "1", "17/08/2001",
                     "kepercayaan terhadap tuhan yme / lainnya", label, "Kp. Cilaku", "-", "-"])
    rows.append(["Warga P", "3604225708010011", "2", "17/08/2001", "ISLAM", "-", "-", "1", "2"])
    result = preview(village_session, csv_file(tmp_path / "dukcapil.csv", rows))
    assert result.layout == "" and result.mapping[6] == "address"
    assert [r.action for r in result.rows] == ["new"] * 8, [r.errors for r in result.rows]
    members = [r.member for r in result.rows]
    assert [m.education for m in members[:7]] == [v for _l, v in labels]  # type: ignore[union-attr]
    assert {m.religion for m in members[:7]} == {"kepercayaan"}  # type: ignore[union-attr]
    assert [m.sex for m in members] == ["L"] * 7 + ["P"]  # type: ignore[union-attr]
    assert (members[7].education, members[7].address, members[0].rt) == ("", "", "")  # type: ignore[union-attr]


def test_unknown_code_names_the_column_once(village_session: Session, tmp_path: Path) -> None:
    rows = [["Nama", "NIK", "Jenis Kelamin", "Tanggal Lahir"], ["Ani", "3604221708010003", "3", "17/08/2001"]]
    (row,) = preview(village_session, csv_file(tmp_path / "x.csv", rows)).rows
    assert row.action == "reject"
    assert row.reason.startswith("\u201c3\u201d") and row.reason.count("jenis kelamin") == 1


# -- residents as members ----------------------------------------------------------------------
def test_a_year_later_updates_adds_and_lists_without_removing(village_session: Session, tmp_path: Path) -> None:
    fortyfive = ("Ibu Karyati", 2, dt.date(1981, 6, 1), 1, 5, 2, "Kampung Cilaku", "3", "2")
    twelve = ("Rudi Bocah", 1, dt.date(2014, 3, 1), 1, 2, 3, "Kampung Cilaku", "3", "2")
    path = opensid_workbook(tmp_path / "penduduk.xlsx", "export", [*RESIDENTS, fortyfive, twelve])
    first = member_import.run(village_session, path, today=TODAY)
    assert (first.created, first.out_of_range, first.needs_consent) == (3, 3, 1)
    assert first.aged_out == [] and first.absent == []
    # A year on: Siti moved away (not in the file), Ujang changed job, Ibu Karyati is 46,
    # Rudi is 13 (a new member once a parent agrees).
    later = dt.date(2027, 11, 28)
    ujang = list(RESIDENTS[0])
    ujang[5] = 88
    residents = [tuple(ujang), *RESIDENTS[2:], fortyfive, twelve]
    path = opensid_workbook(tmp_path / "penduduk_2027.xlsx", "export", residents)  # type: ignore[arg-type]
    # the secretary's own entry for a column OpenSID does not have
    db = village_session.db()
    kept = next(m for m in member_import.store.iter_all(db) if m.name == "Ujang Sopandi")
    kept.phone = "081234567890"
    with db.atomic():
        member_import.store.update(db, kept, actor="Tes")
    # nobody chose: an OpenSID resident list updates registered NIKs by default
    again = member_import.preview(village_session, path, today=later)
    assert again.existing == "update"
    actions = {row.name: row.action for row in again.rows}
    assert actions == {"Ujang Sopandi": "update", "Abah Karta": "out_of_range", "Dede Kecil": "out_of_range",
                       "Nining Remaja": "consent", "Ibu Karyati": "out_of_range", "Rudi Bocah": "consent"}
    assert again.aged_out == ["Ibu Karyati"] and again.absent == ["Siti Aminah"]
    summary = member_import.commit(village_session, again)
    assert (summary.updated, summary.aged_out, summary.absent) == (1, ["Ibu Karyati"], ["Siti Aminah"])
    names = sorted(m.name for m in member_import.store.iter_all(village_session.db()))
    assert names == ["Ibu Karyati", "Siti Aminah", "Ujang Sopandi"]  # nobody removed
    assert [(m.occupation, m.phone) for m in member_import.store.iter_all(village_session.db())
            if m.name == "Ujang Sopandi"] == [("Wiraswasta", "081234567890")]


def test_a_plain_member_list_leaves_registered_members_by_default(
    village_session: Session, tmp_path: Path
) -> None:
    """Only an OpenSID resident list updates by default: an old spreadsheet of the
    secretary's must not overwrite the corrections made since."""
    rows = [["Nama", "NIK", "Tgl Lahir", "L/P"],
            ["Ujang Sopandi", nik_for(dt.date(1996, 5, 5), "L", 7), "05/05/1996", "L"]]
    first = member_import.run(village_session, xlsx(tmp_path / "a.xlsx", rows), today=TODAY)
    assert first.created == 1
    rows[1][0] = "Ujang Sopandi Saputra"
    again = member_import.preview(village_session, xlsx(tmp_path / "b.xlsx", rows), today=TODAY)
    assert again.existing == "skip" and [row.action for row in again.rows] == ["skip"]


def test_a_member_list_with_a_few_older_members_is_not_filtered(village_session: Session, tmp_path: Path) -> None:
    rows = [["Nama", "NIK", "Tgl Lahir", "L/P"],
            ["Muda", "3604221708010003", "17/08/2001", "L"], ["Tua", "3604220101700001", "01/01/1970", "L"]]
    result = preview(village_session, csv_file(tmp_path / "anggota.csv", rows))
    assert not result.age_filter and [r.action for r in result.rows] == ["new", "new"]
    forced = preview(village_session, csv_file(tmp_path / "anggota.csv", rows), age_filter=True)
    assert [r.action for r in forced.rows] == ["new", "out_of_range"]


def _years_ago(years: int) -> dt.date:
    """A birthday on 1 January: the person is exactly ``years`` old on any day of this year."""
    return dt.date(clock.today().year - years, 1, 1)


def test_cli_consents_list_round_trip(village_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The command line with today's date: residents of all ages → members in range; the
    under-18s to a consents sheet, filled in and imported again."""
    residents = [
        ("Ujang Sopandi", 1, _years_ago(30), 1, 5, 9, "Kampung Cilaku", "3", "2"),
        ("Abah Karta", 1, _years_ago(66), 1, 3, 9, "Kampung Cilaku", "3", "2"),
        ("Dede Kecil", 1, _years_ago(6), 1, 1, 1, "Kampung Cilaku", "3", "2"),
        ("Nining Remaja", 2, _years_ago(16), 3, 4, 3, "Kampung Babakan", "1", "4"),
    ]
    path = opensid_workbook(tmp_path / "FormatImporExcel.xlsx", "template", residents)  # type: ignore[arg-type]
    consents = tmp_path / "persetujuan.xlsx"
    from kt_desktop.cli import run as cli_run

    base = ["--data", str(village_file), "members", "import"]
    assert cli_run([*base, str(path), "--json", "--consents", str(consents)]) == 0
    summary = __import__("json").loads(capsys.readouterr().out)
    assert (summary["new"], summary["out_of_range"], summary["needs_consent"], summary["rejected"]) == (1, 2, 1, 0)
    assert summary["layout"] == "opensid_template" and "no_kk" in summary["ignored_columns"]
    sheet = openpyxl.load_workbook(consents).active
    header = [c.value for c in sheet[1]]
    assert header[:43] == COLUMNS and header[43:] == ["Nama Orang Tua/Wali", "Hubungan Wali", "Tanggal Persetujuan"]
    assert sheet.max_row == 2 and sheet.cell(2, 5).value == "Nining Remaja"
    assert sheet.cell(2, COLUMNS.index("nik") + 1).number_format == "@"
    sheet.cell(2, 44).value, sheet.cell(2, 45).value = "Onah", "Ibu"
    sheet.cell(2, 46).value = clock.today()
    sheet.parent.save(consents)
    assert cli_run([*base, str(consents)]) == 0
    out = capsys.readouterr().out
    assert "anggota baru: 1" in out and "ditolak: 0" in out
    assert "tidak ada di berkas ini" not in out  # Ujang is not "absent" from a consents sheet
    from kt_desktop.services.session import open_session

    session = open_session(village_file)
    try:
        nining = [m for m in member_import.store.iter_all(session.db()) if m.name == "Nining Remaja"]
    finally:
        session.close()
    assert nining and (nining[0].guardian_name, nining[0].guardian_relation) == ("Onah", "Ibu")


def test_cli_summary_names_ignored_columns_and_groups_masked_niks(
    village_session: Session, village_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [["Nama", "NIK", "Tgl Lahir", "L/P", "Hobi"],
            *[[f"Anggota {n}", f"36042217080100{n:02d}", "17/08/2001", "L", "Bola"] for n in range(1, 6)]]
    member_import.run(village_session, csv_file(tmp_path / "awal.csv", rows), today=TODAY)
    masked = tmp_path / "ekspor_tersamar.csv"
    member_export.export(village_session, masked)  # masked NIKs: the default
    from kt_desktop.cli import run as cli_run

    assert cli_run(["--data", str(village_file), "members", "import", str(masked), "--dry-run"]) == 0
    out = capsys.readouterr().out
    hidden = [line for line in out.splitlines() if "--reveal-nik" in line]
    assert len(hidden) == 1 and "baris 2\u20136" in hidden[0], out
    assert cli_run(["--data", str(village_file), "members", "import", str(tmp_path / "awal.csv"), "--dry-run"]) == 0
    assert "kolom yang tidak diimpor: Hobi" in capsys.readouterr().out


@pytest.mark.parametrize(("name", "reveal", "warned"), [
    ("anggota.csv", True, True), ("anggota.xlsx", True, False), ("anggota.csv", False, False),
])
def test_full_nik_csv_export_warns_that_a_spreadsheet_rounds_it(
    village_session: Session, village_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    name: str, reveal: bool, warned: bool,
) -> None:
    rows = [["Nama", "NIK", "Tgl Lahir", "L/P"], ["Ani", "3604221708010003", "17/08/2001", "L"]]
    member_import.run(village_session, csv_file(tmp_path / "awal.csv", rows), today=TODAY)
    summary = member_export.export(village_session, tmp_path / name, reveal_nik=reveal)
    assert bool(summary.warning) == warned
    if warned:
        assert ".xlsx" in summary.warning and "15" in summary.warning
        from kt_desktop.cli import run as cli_run

        assert cli_run(["--data", str(village_file), "members", "export", str(tmp_path / "b.csv"), "--reveal-nik"]) == 0
        assert "15 digit" in capsys.readouterr().out


def test_a_few_niks_ending_in_zero_are_normal(village_session: Session, tmp_path: Path) -> None:
    """One real NIK in ten ends in 0: only a column where most do is taken as rounded."""
    niks = [f"36042217080100{n:02d}" for n in (10, 20, 3, 4, 5, 6, 7)]
    rows = [["Nama", "NIK", "Tgl Lahir", "L/P"], *[[f"A {i}", n, "17/08/2001", "L"] for i, n in enumerate(niks)]]
    result = preview(village_session, csv_file(tmp_path / "biasa.csv", rows))
    assert [r.action for r in result.rows] == ["new"] * 7
