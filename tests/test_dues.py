"""Iuran anggota: dues as cash entries naming the member and the month; the rate and the
exemptions; arrears per member, listed and printed; the CLI; dues travelling in bundles;
and the money section of the monthly and annual reports; the LPJ's appendix of proofs."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from kt_desktop.domain.book import book
from kt_desktop.domain.errors import KtError, NotFoundError, ValidationError
from kt_desktop.domain.members import Member
from kt_desktop.services import books, dues, members
from kt_desktop.services import bundles as bundle_service
from kt_desktop.services.session import Session
from kt_desktop.store import books as store
from kt_desktop.store.books import BookQuery
from tests.conftest import run_cli
from tests.test_bundles_kit import VILLAGE, add_activity, export, import_one, live_rows

KAS = book("kas")
PAID_ON = dt.date(2025, 6, 1)


def add_member(session: Session, name: str, *, joined: dt.date | None = dt.date(2020, 1, 1),
               status: str = "aktif", left: dt.date | None = None) -> str:
    return members.save(session, Member(
        name=name, nik_missing_reason="Belum punya KTP", sex="L",
        birth_date=dt.date(2001, 2, 3), joined_on=joined, status=status, left_on=left,
        left_reason="pindah" if left else ""), today=dt.date(2026, 1, 1)).id


def text_of(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def iuran_entries(session: Session) -> list:
    return list(store.iter_all(session.db(), KAS, BookQuery(equals={"category": "iuran"})))


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- the rules -----------------------------------------------------------------------------


def test_each_month_paid_is_a_cash_entry_and_arrears_count_the_rest(
        village_session: Session) -> None:
    s = village_session
    ani = add_member(s, "Ani")
    budi = add_member(s, "Budi", joined=dt.date(2025, 4, 20))  # owes from April
    citra = add_member(s, "Citra")
    add_member(s, "Dedi", status="keluar", left=dt.date(2025, 2, 10))  # owes Jan-Feb
    dues.set_rate(s, "Rp 10.000")
    dues.set_exempt(s, citra, "Pelajar")
    ids = dues.pay(s, ani, ["2025-01", "2025-02", "2025-03"], on=PAID_ON)
    assert len(ids) == 3
    entries = iuran_entries(s)
    assert sorted((r.get("dues_month"), r.get("receipt"), r.get("account")) for r in entries) == [
        ("2025-01", 10_000, "Kas tunai"), ("2025-02", 10_000, "Kas tunai"),
        ("2025-03", 10_000, "Kas tunai")]
    assert entries[0].labels["member_id"] == "Ani"  # the lookup names the member
    assert "Iuran Ani" in entries[0].get("description")

    owed = {a.name: (a.months, a.amount) for a in dues.arrears(s, (2025, 6))}
    assert owed == {
        "Ani": (["2025-04", "2025-05", "2025-06"], 30_000),
        "Budi": (["2025-04", "2025-05", "2025-06"], 30_000),
        "Dedi": (["2025-01", "2025-02"], 20_000),
    }
    sheet = dues.grid(s, 2025)
    assert [m.name for m in sheet.members] == ["Ani", "Budi", "Citra", "Dedi"]
    assert not sheet.owes(sheet.members[2], "2025-05")  # exempt
    assert sheet.is_paid(ani, "2025-02") and not sheet.is_paid(budi, "2025-05")
    assert [m.name for m in dues.grid(s, 2024).members] == ["Ani", "Citra", "Dedi"]
    assert [m.name for m in dues.grid(s, 2026).members] == ["Ani", "Budi", "Citra"]


def test_refusals_name_the_member_and_the_month_and_store_nothing(
        village_session: Session, village_file: Path) -> None:
    s = village_session
    ani = add_member(s, "Ani")
    citra = add_member(s, "Citra")
    with pytest.raises(ValidationError, match="Tetapkan tarif iuran bulanan dulu"):
        dues.pay(s, ani, ["2025-01"], on=PAID_ON)
    with pytest.raises(ValidationError, match="lebih dari nol"):
        dues.set_rate(s, "0")
    dues.set_rate(s, "10.000")
    dues.pay(s, ani, ["2025-01"], on=PAID_ON)
    with pytest.raises(ValidationError, match="Ani sudah membayar iuran Januari 2025"):
        dues.pay(s, ani, ["2025-02", "2025-01"], on=PAID_ON)
    with pytest.raises(ValidationError, match="“2025-13” bukan bulan; tulis sebagai TTTT-BB"):
        dues.pay(s, ani, ["2025-13"], on=PAID_ON)
    with pytest.raises(NotFoundError, match="Tidak ada anggota dengan id x"):
        dues.pay(s, "x", ["2025-03"], on=PAID_ON)
    dues.set_exempt(s, citra, "Belum bekerja")
    with pytest.raises(ValidationError, match="Citra dibebaskan dari iuran"):
        dues.pay(s, citra, ["2025-03"], on=PAID_ON)
    assert len(iuran_entries(s)) == 1  # the refused months wrote nothing, not even Feb

    books.close_month(s, KAS, 2025, 6)  # the payment day lies in a closed month
    with pytest.raises(KtError, match="Juni 2025"):
        dues.pay(s, ani, ["2025-02"], on=PAID_ON)
    with pytest.raises(KtError, match="Juni 2025"):
        dues.unpay(s, ani, "2025-01")
    assert len(iuran_entries(s)) == 1


def test_a_reversing_correction_unpays_the_month_and_an_edit_keeps_the_member(
        village_session: Session) -> None:
    s = village_session
    ani = add_member(s, "Ani")
    dues.set_rate(s, "10.000")
    (entry,) = dues.pay(s, ani, ["2025-01"], on=dt.date(2025, 1, 20))
    # the form edits without the member's fields: they keep what they hold
    values = {k: v for k, v in books.get(s, KAS, entry).values.items()
              if k not in ("member_id", "dues_month", "balance")}
    books.edit(s, KAS, entry, {**values, "description": "Iuran Ani Januari (tunai)"})
    assert dues.grid(s, 2025).is_paid(ani, "2025-01")
    members.remove(s, ani)  # a member removed since: the entry can still be corrected
    books.edit(s, KAS, entry, {**values, "description": "Iuran Ani Januari"})
    assert books.get(s, KAS, entry).labels.get("member_id", "") == ""  # "(dihapus)"
    books.close_month(s, KAS, 2025, 1)
    books.reverse(s, KAS, entry, dt.date(2025, 2, 3))
    assert not dues.grid(s, 2025).paid.get((ani, "2025-01"))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(1, 12), st.booleans()),
                max_size=25),
       st.integers(1, 12))
def test_any_sequence_of_payments_adds_up(village_session: Session,
                                          steps: list[tuple[int, int, bool]],
                                          upto: int) -> None:
    """Paid cells, arrears and the cash book always agree: every owed month up to ``upto``
    is either paid or in arrears, and the iuran received is the rate times the paid cells."""
    s = village_session
    db = s.db()
    with db.atomic():
        db.execute("DELETE FROM cash_book")
        db.execute("DELETE FROM members")
    ids = [add_member(s, name) for name in ("Ani", "Budi", "Citra")]
    dues.set_rate(s, "7.500")
    paid: set[tuple[str, str]] = set()
    for who, month, pay in steps:
        cell = (ids[who], f"2025-{month:02d}")
        if pay and cell not in paid:
            dues.pay(s, cell[0], [cell[1]], on=PAID_ON)
            paid.add(cell)
        elif not pay:
            assert dues.unpay(s, cell[0], cell[1]) == (1 if cell in paid else 0)
            paid.discard(cell)
    sheet = dues.grid(s, 2025)
    assert {k for k, v in sheet.paid.items() if v > 0} == paid
    received = sum(r.get("receipt") for r in iuran_entries(s))
    assert received == 7_500 * len(paid)
    owed = sum(len(a.months) for a in dues.arrears(s, (2025, upto)))
    paid_upto = sum(1 for _m, month in paid if month <= f"2025-{upto:02d}")
    assert owed + paid_upto == 3 * upto


# -- the command line ------------------------------------------------------------------------


def test_cli_rate_pay_arrears_and_the_printed_list(
        village_session: Session, village_file: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    ani = add_member(village_session, "Ani")
    add_member(village_session, "Budi")
    data = ["--data", str(village_file)]
    assert run_cli(capsys, "iuran", "tarif", *data)[1].strip() == (
        "Tarif iuran belum ditetapkan: kt-desktop iuran tarif 10.000")
    assert run_cli(capsys, "iuran", "tarif", "12.500", *data)[1].strip() == (
        "Iuran bulanan: Rp12.500.")
    code, out, _err = run_cli(capsys, "iuran", "bayar", ani, "--bulan", "2025-01,2025-02",
                              "--tanggal", "2025-03-01", *data)
    assert code == 0 and "2 bulan" in out
    before = file_digest(village_file)
    code, _out, err = run_cli(capsys, "iuran", "bayar", ani, "--bulan", "2025-02", *data)
    assert code == 1 and "Ani sudah membayar iuran Februari 2025" in err
    assert file_digest(village_file) == before
    code, out, _err = run_cli(capsys, "iuran", "tunggakan", "--sampai", "2025-03", "--json",
                              *data)
    found = json.loads(out)
    assert code == 0 and found["total"] == 12_500 * 4
    assert [(a["name"], a["months"]) for a in found["arrears"]] == [
        ("Ani", ["2025-03"]), ("Budi", ["2025-01", "2025-02", "2025-03"])]
    out_pdf = tmp_path / "tunggakan.pdf"
    assert run_cli(capsys, "iuran", "tunggakan", "--sampai", "2025-03", "--out", str(out_pdf),
                   *data)[0] == 0
    text = text_of(out_pdf)
    for words in ("DAFTAR TUNGGAKAN IURAN ANGGOTA", "Sampai Maret 2025", "Rp12.500",
                  "Ani Mar 2025 1 Rp12.500", "Budi Jan, Feb, Mar 2025 3 Rp37.500",
                  "Jumlah 4 Rp50.000", "Bendahara,", "Rina Marlina"):
        assert words in text, words
    assert run_cli(capsys, "iuran", "batal", ani, "--bulan", "2025-02", *data)[0] == 0
    assert not dues.grid(village_session, 2025).is_paid(ani, "2025-02")
    code, _out, err = run_cli(capsys, "iuran", "bayar", ani, "--bulan", "2025-1x", *data)
    assert code == 1 and "bukan bulan" in err


# -- travelling, reports -------------------------------------------------------------------


def test_dues_travel_in_bundles_with_their_member_and_month(
        pair: tuple[Session, Session], tmp_path: Path) -> None:
    village, receiver = pair
    ani = add_member(village, "Ani")
    dues.set_rate(village, "10.000")
    (entry,) = dues.pay(village, ani, ["2025-01"], on=PAID_ON)
    summary = import_one(receiver, export(village, tmp_path / "one"))
    assert summary.status == bundle_service.IMPORTED, summary.message
    row = live_rows(receiver.db(), "cash_book")[entry]
    assert (row["member_id"], row["dues_month"], row["receipt"], row["village_code"]) == (
        ani, "2025-01", 10_000, VILLAGE)


def test_the_monthly_and_annual_reports_carry_the_money(
        village_session: Session, village_file: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    s = village_session
    ani = add_member(s, "Ani")
    dues.set_rate(s, "10.000")
    books.add(s, KAS, {"entry_date": dt.date(2025, 1, 3), "description": "Saldo awal",
                       "category": "lainnya", "receipt": "500.000"})
    dues.pay(s, ani, ["2025-02"], on=dt.date(2025, 2, 5))
    books.add(s, KAS, {"entry_date": dt.date(2025, 2, 9), "description": "ATK",
                       "category": "operasional", "expense": "35.000"})
    out = tmp_path / "bulanan.pdf"
    assert run_cli(capsys, "report", "monthly", "--month", "2025-02", "--nomor", "1",
                   "--out", str(out), "--data", str(village_file))[0] == 0
    text = text_of(out)
    for words in ("Keuangan (Buku Kas Umum)", "Saldo awal : Rp500.000", "Masuk : Rp10.000",
                  "· Iuran anggota : Rp10.000", "Keluar : Rp35.000",
                  "· Operasional : Rp35.000", "Saldo akhir : Rp475.000"):
        assert words in text, words
    out = tmp_path / "tahunan.pdf"
    assert run_cli(capsys, "report", "annual", "--year", "2025", "--out", str(out),
                   "--data", str(village_file))[0] == 0
    text = text_of(out)
    for words in ("Keuangan setahun (Buku Kas Umum)", "Saldo awal : Rp0",
                  "Masuk : Rp510.000", "Keluar : Rp35.000", "Saldo akhir : Rp475.000"):
        assert words in text, words


def test_a_village_without_a_cash_book_has_no_money_section(
        village_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bulanan.pdf"
    assert run_cli(capsys, "report", "monthly", "--month", "2025-02", "--nomor", "1",
                   "--out", str(out), "--data", str(village_file))[0] == 0
    assert "Buku Kas Umum" not in text_of(out)


def test_the_lpj_appendix_shows_the_receipt_photos_and_the_scans(
        village_session: Session, village_file: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    s = village_session
    activity = add_activity(s)
    Image.new("RGB", (1200, 900), (200, 40, 40)).save(tmp_path / "nota.jpg", format="JPEG")
    page = canvas.Canvas(str(tmp_path / "kuitansi.pdf"))
    page.drawString(72, 720, "Kuitansi toko bangunan Rp250.000")
    page.save()
    taken = books.take_in_files(KAS, [tmp_path / "nota.jpg", tmp_path / "kuitansi.pdf"])
    assert not taken.refused
    books.add(s, KAS, {"entry_date": dt.date(2025, 1, 7), "description": "Semen 5 sak",
                       "category": "kegiatan", "expense": "250.000", "proof_number": "BKK-007",
                       "activity_id": activity}, taken.photos)
    out = tmp_path / "lpj.pdf"
    assert run_cli(capsys, "report", "lpj", "--activity", activity, "--out", str(out),
                   "--data", str(village_file))[0] == 0
    reader = PdfReader(out)
    text = text_of(out)
    assert "LAMPIRAN: BUKTI PENERIMAAN DAN PENGELUARAN" in text
    assert "BKK-007 — Semen 5 sak" in text and "Keluar Rp250.000" in text
    assert "Kuitansi toko bangunan Rp250.000" in reader.pages[-1].extract_text()
    assert sum(len(p.images) for p in reader.pages) >= 1


def test_demo_data_fills_the_cash_book_and_the_dues(village_session: Session) -> None:
    from kt_desktop.domain import clock
    from kt_desktop.services import demo

    added = demo.fill(village_session, members=40, months=4, seed=5)
    assert added["cash_book"] > 100
    today = clock.today()
    sheet = dues.grid(village_session, today.year)
    assert sheet.rate == 10_000 and any(v > 0 for v in sheet.paid.values())
    assert dues.arrears(village_session, (today.year, today.month))


def test_the_receivers_report_sums_the_funds_by_kabupaten_and_source(
        pair: tuple[Session, Session], tmp_path: Path) -> None:
    """What ``receiver funds`` prints is in the receiver's PDF (its Laporan page) too."""
    from kt_desktop.services import receiver as receiver_service

    village, receiver = pair
    for day, text, amount, category in ((dt.date(2025, 2, 3), "Dana desa tahap 1", "10 jt",
                                         "dana_desa"),
                                        (dt.date(2025, 4, 1), "CSR PT Baros", "2.500.000",
                                         "csr")):
        books.add(village, KAS, {"entry_date": day, "description": text,
                                 "category": category, "receipt": amount})
    assert import_one(receiver, export(village, tmp_path / "one")).status == (
        bundle_service.IMPORTED)
    out = receiver_service.build_report(receiver, receiver_service.year_period(2025),
                                        tmp_path / "rekap.pdf", today=dt.date(2026, 1, 10))
    text = text_of(out)
    for words in ("IX. Dana yang diterima Karang Taruna, menurut sumbernya",
                  "Kabupaten Serang Dana Desa/APBDes 1 Rp10.000.000",
                  "Kabupaten Serang CSR/PKBL perusahaan 1 Rp2.500.000", "Jumlah Rp12.500.000",
                  "X. Desa/kelurahan yang belum melapor"):
        assert words in text, words
    empty = receiver_service.build_report(receiver, receiver_service.year_period(2024),
                                          tmp_path / "kosong.pdf", today=dt.date(2026, 1, 10))
    assert "Tidak ada Buku Kas Umum di wilayah ini yang mencatat penerimaan" in text_of(empty)
