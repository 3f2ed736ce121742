"""Exports Excel opens without damage, and that import again to the same register."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import random
from pathlib import Path

import openpyxl
import pytest

from kt_desktop.cli import run as cli_run
from kt_desktop.domain.members import Member
from kt_desktop.services import demo_members, member_export, member_import
from kt_desktop.services import members as service
from kt_desktop.services.session import Session, open_session
from kt_desktop.services.setup import init_village
from kt_desktop.store import members as store
from tests.conftest import make_profile

TODAY = dt.date(2026, 11, 28)


def _fill(session: Session, count: int, seed: int = 4) -> list[Member]:
    people = demo_members.make_members(random.Random(seed), TODAY, count, village_code=session.code)
    db = session.db()
    with db.atomic():
        store.bulk_insert(db, people, village_code=session.code, actor="t")
    return list(store.iter_all(db))


def _comparable(member: Member) -> dict[str, object]:
    data = dataclasses.asdict(member)
    for key in ("id", "version", "confirmed_mismatch"):
        data.pop(key)
    return data


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_import_gives_the_same_register(
    village_session: Session, tmp_path: Path, suffix: str
) -> None:
    original = _fill(village_session, 80)
    out = tmp_path / f"anggota{suffix}"
    summary = member_export.export(village_session, out, reveal_nik=True)
    assert summary.rows == 80
    other_path = tmp_path / "desa-lain.sqlite"
    init_village(other_path, make_profile())
    other = open_session(other_path)
    try:
        result = member_import.preview(other, out, today=TODAY)
        assert result.unmapped == []
        assert result.counted("reject") == 0, result.rejected[:2]
        member_import.commit(other, result)
        again = list(store.iter_all(other.db()))
    finally:
        other.close()
    assert [_comparable(m) for m in again] == [_comparable(m) for m in original]


def test_xlsx_keeps_nik_and_phone_as_text(village_session: Session, tmp_path: Path) -> None:
    service.save(
        village_session,
        Member(name="Siti", nik="3604225708010004", sex="P", birth_date=dt.date(2001, 8, 17),
               phone="0812 3456 7890", rt="2"),
        today=TODAY,
    )
    out = tmp_path / "anggota.xlsx"
    member_export.export(village_session, out, reveal_nik=True)
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[1]]
    nik = sheet.cell(2, header.index("NIK") + 1)
    phone = sheet.cell(2, header.index("No. HP") + 1)
    born = sheet.cell(2, header.index("Tanggal Lahir") + 1)
    assert (nik.value, nik.data_type, nik.number_format) == ("3604225708010004", "s", "@")
    assert (phone.value, phone.data_type, phone.number_format) == ("081234567890", "s", "@")
    assert sheet.cell(2, header.index("RT") + 1).value == "002"
    assert born.value == dt.datetime(2001, 8, 17) and born.number_format == "DD/MM/YYYY"


def test_nik_is_masked_unless_revealed_and_revealing_is_audited(village_session: Session, tmp_path: Path) -> None:
    service.save(
        village_session,
        Member(name="Siti", nik="3604225708010004", sex="P", birth_date=dt.date(2001, 8, 17)),
        today=TODAY,
    )
    masked = tmp_path / "samar.csv"
    member_export.export(village_session, masked)
    text = masked.read_text(encoding="utf-8-sig")
    assert "3604225708010004" not in text and "0004" in text
    assert member_export.export(village_session, tmp_path / "lengkap.csv", reveal_nik=True).nik_revealed
    actions = [r[0] for r in village_session.db().execute(
        "SELECT action FROM audit_log WHERE table_name = 'members' AND action IN ('export', 'reveal') ORDER BY id"
    )]
    assert actions == ["export", "export", "reveal"]
    # A masked file cannot silently import hidden NIKs.
    (row,) = member_import.preview(village_session, masked, today=TODAY).rows
    assert row.action == "reject" and "NIK" in row.reason


def test_no_cell_can_start_a_formula(village_session: Session, tmp_path: Path) -> None:
    service.save(
        village_session,
        Member(name="Budi", nik_missing_reason="-belum ada", sex="L", birth_date=dt.date(2000, 1, 1),
               address="=HYPERLINK(\"http://jahat.example\",\"klik\")", occupation="+62 petani",
               notes="@SUM(A1:A9)", skills=["\tTab", "\rCR"]),
        today=TODAY, confirm=True,
    )
    xlsx_path, csv_path = tmp_path / "a.xlsx", tmp_path / "a.csv"
    member_export.export(village_session, xlsx_path)
    member_export.export(village_session, csv_path, separator=",")
    sheet = openpyxl.load_workbook(xlsx_path).active
    header = [c.value for c in sheet[1]]
    cells = {name: sheet.cell(2, header.index(name) + 1) for name in ("Alamat", "Pekerjaan", "Keterangan", "Alasan Tanpa NIK")}
    for cell in cells.values():
        assert cell.data_type == "s"
        assert cell.value.startswith("'"), cell.value
    with csv_path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert all(not value.startswith(member_export.FORMULA_STARTS) for value in rows[1])
    # The apostrophe is ours: importing the file gives the text back.
    (row,) = member_import.preview(village_session, csv_path, today=TODAY).rows
    assert row.member is not None
    assert row.member.address.startswith("=HYPERLINK(")
    assert (row.member.occupation, row.member.notes) == ("+62 petani", "@SUM(A1:A9)")
    assert member_import.cell_text("'=HYPERLINK(1)") == "=HYPERLINK(1)"


def test_semicolon_csv_for_indonesian_excel(village_session: Session, tmp_path: Path) -> None:
    _fill(village_session, 5)
    out = tmp_path / "anggota.csv"
    member_export.export(village_session, out, separator=";")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    assert raw.decode("utf-8-sig").splitlines()[0].startswith("Nama Lengkap;NIK;")


def test_cli_export(village_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    session = open_session(village_file)
    try:
        _fill(session, 12)
    finally:
        session.close()
    out = tmp_path / "keluar.csv"
    assert cli_run(["--data", str(village_file), "members", "export", str(out), "--separator", ","]) == 0
    assert "12" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8-sig").splitlines()[0].startswith("Nama Lengkap,NIK,")
    assert cli_run(["--data", str(village_file), "members", "export", str(tmp_path / "x.pdf")]) == 1
