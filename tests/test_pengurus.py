"""The Buku Data Pengurus and the Buku Inventaris: terms and changes within them, the
officers who sign every report, the SK's validity, the printed Susunan Pengurus, Struktur
Organisasi and Buku Inventaris (read back), bundles and the receiver's counts, demo data."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from kt_desktop.cli import run
from kt_desktop.domain import pengurus as rules
from kt_desktop.domain.book import book
from kt_desktop.domain.errors import ValidationError
from kt_desktop.services import books, pengurus
from kt_desktop.services import bundles as bundle_service
from kt_desktop.services.session import Session
from tests.test_bundles_kit import VILLAGE, export, import_one

PENGURUS = book("pengurus")
INVENTARIS = book("inventaris")
START = dt.date(2024, 1, 15)
END = dt.date(2029, 1, 14)
SK = {"sk_number": "141/Kep.07/Ds/2024", "sk_date": dt.date(2024, 1, 10),
      "sk_signer": "Kepala Desa Baros, H. Suryadi"}
SEKSI = ("Pelayanan Sosial", "Pendidikan dan Pelatihan", "Usaha Ekonomi Produktif",
         "Pembinaan Mental", "Publikasi dan Dokumentasi", "Olahraga dan Seni Budaya",
         "Lingkungan Hidup")


def officer(position: str, name: str, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"term_start": START, "term_end": END, "position": position,
                              "name": name, **SK}
    values.update(changes)
    return values


def small_board(session: Session, **term: Any) -> None:
    for position, name in (("pembina", "H. Suryadi"), ("ketua", "Dewi Anggraini"),
                           ("sekretaris", "Rudi Hartono"), ("bendahara", "Sri Wahyuni")):
        books.add(session, PENGURUS, officer(position, name, **term))


def large_board(session: Session) -> list[str]:
    """40 officers: 5 core, a Pembina and a Penasehat, 7 seksi of a head and 4 members,
    the last seksi two. Returns every name."""
    names = []
    core = (("pembina", "H. Suryadi"), ("penasehat", "Drs. H. Mulyadi, M.Si."),
            ("ketua", "Dewi Anggraini"), ("wakil_ketua", "Agus Salim"),
            ("sekretaris", "Rudi Hartono"), ("wakil_sekretaris", "Yanti Rahmawati"),
            ("bendahara", "Sri Wahyuni"))
    for position, name in core:
        books.add(session, PENGURUS, officer(position, name))
        names.append(name)
    number = 0
    for index, seksi in enumerate(SEKSI):
        books.add(session, PENGURUS, officer("ketua_seksi", f"Kepala {seksi}", seksi=seksi))
        names.append(f"Kepala {seksi}")
        for _ in range(4 if index < 6 else 2):
            number += 1
            name = f"Anggota Nomor {number:02d}"
            books.add(session, PENGURUS, officer("anggota_seksi", name, seksi=seksi))
            names.append(name)
    assert len(names) == 40
    return names


# -- the rules of terms and holders --------------------------------------------------------


def test_a_change_within_the_term_replaces_the_holder_from_its_day(
    village_session: Session,
) -> None:
    small_board(village_session)
    paw = dt.date(2025, 3, 1)
    books.add(village_session, PENGURUS, officer(
        "bendahara", "Maya Sari", change="paw", since=paw, sk_number="141/Kep.03/Ds/2025",
        sk_date=dt.date(2025, 2, 26)))
    books.add(village_session, PENGURUS, officer("anggota_seksi", "Joko",
                                                 seksi="Seksi Lingkungan Hidup",
                                                 until=dt.date(2024, 6, 30)))
    (term,) = pengurus.all_terms(village_session)
    before = {o.position: o.name for o in term.holders(dt.date(2025, 2, 28))}
    after = term.holders(dt.date(2025, 3, 1))
    assert before["bendahara"] == "Sri Wahyuni"
    assert [o.name for o in after if o.position == "bendahara"] == ["Maya Sari"]
    assert [o.position for o in after] == ["pembina", "ketua", "sekretaris", "bendahara"]
    assert "Joko" in [o.name for o in term.holders(dt.date(2024, 6, 29))]
    assert term.seksi_names() == ["Lingkungan Hidup"]  # "Seksi" is written by the papers
    assert term.sk is not None and term.sk.sk_number == "141/Kep.07/Ds/2024"


def test_every_wrong_field_of_an_officer_is_named_in_indonesian(
    village_session: Session,
) -> None:
    found = books.check_values(PENGURUS, officer("ketua_seksi", "Asep"))
    assert found["seksi"] == "Tulis seksi jabatan ini."
    found = books.check_values(PENGURUS, officer("ketua", "Asep", term_end=START))
    assert found["term_end"] == "Akhir masa bakti harus setelah awalnya."
    found = books.check_values(PENGURUS, officer("ketua", "Asep", change="paw"))
    assert found["since"] == ("Pergantian antar waktu (PAW) berlaku sejak suatu tanggal: "
                              "isi Sejak.")
    found = books.check_values(PENGURUS, officer("ketua", "Asep", since=dt.date(2030, 1, 1)))
    assert found["since"] == "Sejak harus berada di dalam masa bakti."
    with pytest.raises(ValidationError) as refused:
        books.add(village_session, PENGURUS, officer("jabatan_lain", "Asep"))
    assert refused.value.field == "position"
    assert books.list_page(village_session, PENGURUS, books.BookQuery()).total == 0


# -- the officers sign every report --------------------------------------------------------


def _pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def test_the_officers_of_the_term_in_force_sign_the_reports(
    village_session: Session, village_file: Path, tmp_path: Path
) -> None:
    from kt_desktop.services import dashboard

    today = dt.date.today()
    term = {"term_start": today - dt.timedelta(days=400),
            "term_end": today + dt.timedelta(days=1400)}
    out = tmp_path / "tamu.pdf"
    assert run(["report", "tamu", "--out", str(out), "--data", str(village_file)]) == 0
    assert "Ahmad Fauzi" in _pdf_text(out)  # no term recorded: the profile's Ketua
    small_board(village_session, **term)
    assert run(["report", "tamu", "--out", str(out), "--data", str(village_file)]) == 0
    text = _pdf_text(out)
    assert "Dewi Anggraini" in text and "Rudi Hartono" in text
    assert "Ahmad Fauzi" not in text and "Siti Nurhaliza" not in text
    out = tmp_path / "kas.pdf"
    assert run(["report", "kas", "--out", str(out), "--data", str(village_file)]) == 0
    assert "Sri Wahyuni" in _pdf_text(out)  # the Bendahara signs the cash book
    shown = dashboard.summary(village_session, today).profile  # Beranda's officers
    assert shown is not None and (shown.ketua, shown.sekretaris) == ("Dewi Anggraini",
                                                                     "Rudi Hartono")


def test_a_term_that_has_ended_no_longer_signs(village_session: Session) -> None:
    from kt_desktop.store import profile as profile_store

    today = dt.date.today()
    small_board(village_session, term_start=today - dt.timedelta(days=2000),
                term_end=today - dt.timedelta(days=1))
    profile = profile_store.load(village_session.db())
    assert profile is not None
    assert pengurus.signing_profile(village_session, profile).ketua == "Ahmad Fauzi"


# -- the SK's validity (the hook of "an SK that has run out") ------------------------------


@pytest.mark.parametrize(("today", "state", "days"), [
    (dt.date(2026, 6, 1), "valid", (END - dt.date(2026, 6, 1)).days),
    (dt.date(2028, 12, 1), "ending", 44),
    (dt.date(2029, 1, 14), "ending", 0),
    (dt.date(2029, 1, 15), "expired", -1),
    (dt.date(2023, 12, 1), "future", (END - dt.date(2023, 12, 1)).days),
])
def test_sk_validity_of_the_book(village_session: Session, today: dt.date, state: str,
                                 days: int) -> None:
    small_board(village_session)
    books.add(village_session, PENGURUS, officer("anggota_seksi", "Tanpa SK", seksi="Lingkungan",
                                                 sk_number=""))
    found = pengurus.sk_validity(village_session, today)
    assert (found.state, found.days_left, found.source) == (state, days, "pengurus")
    assert found.sk_number == "141/Kep.07/Ds/2024" and found.term_end == END
    assert found.without_sk == ("Tanpa SK",)
    assert found.expired == (state == "expired")


def test_kelengkapan_names_the_expired_sk_and_each_officer_without_one(
    village_session: Session,
) -> None:
    from kt_desktop.services import completeness

    small_board(village_session)
    lone = books.add(village_session, PENGURUS, officer("anggota_seksi", "Tanpa SK",
                                                        seksi="Lingkungan", sk_number=""))
    while_valid = completeness.gaps(village_session, dt.date(2026, 6, 1))
    assert [(g.kind, g.text, g.page, g.target) for g in while_valid
            if g.kind.startswith("sk_")] == [("sk_missing", "Tanpa SK", "pengurus", lone)]
    after = [g for g in completeness.gaps(village_session, dt.date(2029, 1, 15))
             if g.kind.startswith("sk_")]
    assert (after[0].kind, after[0].target, after[0].page) == ("sk_expired", "", "pengurus")
    assert after[0].text == "Masa bakti berakhir pada 14 Januari 2029 (SK 141/Kep.07/Ds/2024)."


def test_sk_validity_falls_back_to_the_profile(village_session: Session) -> None:
    from kt_desktop.services import profile as profile_service
    from kt_desktop.store import profile as profile_store

    assert pengurus.sk_validity(village_session, dt.date(2026, 1, 1)).state == "none"
    profile = profile_store.load(village_session.db())
    assert profile is not None
    profile.sk_number, profile.term_start, profile.term_end = (
        "7/2020", dt.date(2020, 1, 1), dt.date(2025, 1, 1))
    profile_service.save_profile(village_session, profile)
    found = pengurus.sk_validity(village_session, dt.date(2026, 1, 1))
    assert (found.state, found.source, found.sk_number) == ("expired", "profile", "7/2020")


def test_beranda_reminds_that_the_sk_of_the_book_has_run_out(village_session: Session) -> None:
    from kt_desktop.services import dashboard

    today = dt.date.today()
    small_board(village_session, term_start=today - dt.timedelta(days=1900),
                term_end=today - dt.timedelta(days=3))
    summary = dashboard.summary(village_session, today)
    texts = [r.text for r in summary.reminders]
    assert summary.profile is not None and summary.profile.term_end == today - dt.timedelta(3)
    assert summary.profile.ketua == "Ahmad Fauzi"  # an ended term no longer signs
    assert any(text.startswith("Masa bakti sudah berakhir") and "Pengurus" in text
               for text in texts), texts


# -- the printed Susunan Pengurus and Struktur Organisasi ----------------------------------


def _pages_as_png(pdf: Path, prefix: Path) -> list[Path]:
    subprocess.run([shutil.which("pdftoppm") or "pdftoppm", "-png", "-r", "50", str(pdf),
                    str(prefix)], check=True)
    return sorted(prefix.parent.glob(prefix.name + "*.png"))


def test_struktur_of_a_small_board(village_session: Session, village_file: Path,
                                   tmp_path: Path) -> None:
    today = dt.date.today()
    small_board(village_session, term_start=today - dt.timedelta(days=30),
                term_end=today + dt.timedelta(days=1800))
    out = tmp_path / "struktur.pdf"
    assert run(["report", "struktur", "--out", str(out), "--data", str(village_file)]) == 0
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape
    text = _pdf_text(out)
    for word in ("STRUKTUR ORGANISASI", "PEMBINA", "H. Suryadi", "KETUA", "Dewi Anggraini",
                 "SEKRETARIS", "Rudi Hartono", "BENDAHARA", "Sri Wahyuni", "Masa bakti"):
        assert word in text, word
    assert "SEKSI" not in text  # no seksi recorded: no empty boxes
    assert len(_pages_as_png(out, tmp_path / "kecil")) == 1


def test_struktur_of_forty_officers_fits_one_page(
    village_session: Session, village_file: Path, tmp_path: Path
) -> None:
    names = large_board(village_session)
    out = tmp_path / "struktur.pdf"
    assert run(["report", "struktur", "--out", str(out), "--year", "2024",
                "--data", str(village_file)]) == 0
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    text = subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = " ".join(text.split())
    for name in names:
        assert name in flat or name.replace(" ", "") in flat.replace(" ", ""), name
    for seksi in SEKSI:
        assert f"SEKSI {seksi.upper()}" in flat, seksi
    assert "Garis putus-putus" in flat
    assert len(_pages_as_png(out, tmp_path / "besar")) == 1
    # the chart's names are no smaller than 5.5 pt once scaled to the page
    from kt_desktop.reports import pengurus as chart_report
    from kt_desktop.reports.base import MARGIN

    term = pengurus.all_terms(village_session)[0]
    width = 297 / 25.4 * 72 - 2 * MARGIN
    flowable = chart_report.ChartFlowable(chart_report.chart(term, START, width))
    flowable.wrap(width, 210 / 25.4 * 72 - 2 * MARGIN - 34 / 25.4 * 72 - 40)  # below kop, title
    assert chart_report.NAME_SIZE * flowable.scale >= 5.5


def test_susunan_pengurus_lists_the_term_in_rank_order_with_earlier_holders(
    village_session: Session, village_file: Path, tmp_path: Path
) -> None:
    small_board(village_session)
    books.add(village_session, PENGURUS, officer(
        "bendahara", "Maya Sari", change="paw", since=dt.date(2025, 3, 1),
        sk_number="141/Kep.03/Ds/2025"))
    books.add(village_session, PENGURUS, officer(
        "ketua", "Ketua Lama", term_start=dt.date(2019, 1, 15), term_end=dt.date(2024, 1, 14)))
    out = tmp_path / "susunan.pdf"
    assert run(["report", "pengurus", "--out", str(out), "--year", "2024",
                "--data", str(village_file)]) == 0
    text = " ".join(_pdf_text(out).split())
    assert "SUSUNAN PENGURUS" in text and "141/Kep.07/Ds/2024" in text
    assert text.index("Pembina") < text.index("Dewi Anggraini") < text.index("Maya Sari")
    assert "Bendahara: Sri Wahyuni (sampai 01/03/2025)" in text
    assert "Ketua Lama" not in text
    assert run(["report", "pengurus", "--out", str(out), "--year", "2019",
                "--data", str(village_file)]) == 0
    assert "Ketua Lama" in _pdf_text(out)  # a past term stays readable


# -- the inventory --------------------------------------------------------------------------


def item(code: str = "INV-001", **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"code": code, "name": "Tenda lipat", "quantity": "2",
                              "unit": "unit", "acquired": "hibah",
                              "giver": "Dinas Sosial Kab. Serang",
                              "acquired_on": dt.date(2025, 3, 1), "value": "7 jt",
                              "condition": "rusak ringan", "location": "Gudang"}
    values.update(changes)
    return values


def test_inventory_rules_are_named_in_indonesian(village_session: Session) -> None:
    found = books.check_values(INVENTARIS, item(giver=""))
    assert found["giver"] == "Bantuan dan hibah menyebut pemberinya: isi Pemberi."
    found = books.check_values(INVENTARIS, item(loaned_on=dt.date(2025, 4, 1)))
    assert found["borrower"] == ("Peminjaman menyebut siapa yang meminjam barang: "
                                 "isi Peminjam.")
    found = books.check_values(INVENTARIS, item(borrower="KT Sindangsari",
                                                loaned_on=dt.date(2025, 4, 1),
                                                due_on=dt.date(2025, 3, 30)))
    assert found["due_on"] == "Batas kembali tidak boleh sebelum tanggal barang dipinjam."
    found = books.check_values(INVENTARIS, item(disposed_on=dt.date(2025, 5, 1)))
    assert found["disposal_reason"] == ("Barang yang dihapus dari daftar harus disebut "
                                        "alasannya: isi Alasan dihapus.")
    assert books.check_values(INVENTARIS, item(quantity="0"))["quantity"] == (
        "Jumlah harus lebih dari nol.")
    new_id = books.add(village_session, INVENTARIS, item())
    stored = books.get(village_session, INVENTARIS, new_id)
    assert (stored.get("value"), stored.get("condition"), stored.get("quantity")) == (
        7_000_000, "rusak_ringan", 2)


def test_buku_inventaris_prints_conditions_loans_and_write_offs(
    village_session: Session, village_file: Path, tmp_path: Path
) -> None:
    books.add(village_session, INVENTARIS, item())
    books.add(village_session, INVENTARIS, item(
        "INV-002", name="Sound system", acquired="swadaya", giver="", condition="baik",
        borrower="KT Desa Sindangsari", loaned_on=dt.date(2025, 4, 1),
        due_on=dt.date(2025, 4, 8)))
    books.add(village_session, INVENTARIS, item(
        "INV-003", name="Net voli", condition="rusak berat", disposed_on=dt.date(2025, 6, 1),
        disposal_reason="Robek"))
    out = tmp_path / "inventaris.pdf"
    assert run(["report", "inventaris", "--out", str(out), "--data", str(village_file)]) == 0
    text = " ".join(_pdf_text(out).split())
    for word in ("BUKU INVENTARIS", "INV-001", "Tenda lipat", "2 unit", "Hibah",
                 "Dinas Sosial Kab. Serang", "Rp7.000.000", " RR ", " RB ",
                 "Dipinjam KT Desa Sindangsari sejak 01/04/2025",
                 "Dihapus 01/06/2025: Robek", "B = baik"):
        assert word in text, word
    assert "rusak_ringan" not in text and "hibah" not in text


# -- bundles, the receiver, the CLI and the demo --------------------------------------------


def test_both_books_travel_and_are_counted_on_the_receiver(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    village, receiver = pair
    small_board(village)
    books.add(village, INVENTARIS, item())
    summary = import_one(receiver, export(village, tmp_path / "one"))
    assert summary.status == bundle_service.IMPORTED, summary.message
    assert summary.tables["officers"].created == 4
    assert summary.tables["inventory"].created == 1
    counts = dict(books.receiver_counts(receiver, VILLAGE))
    assert counts["Pengurus"] == 4 and counts["Barang inventaris"] == 1


def test_cli_adds_and_lists_officers_and_items(village_file: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import run_cli

    code, out, err = run_cli(capsys, "book", "add", "pengurus", "--data", str(village_file),
                             "term_start=2024-01-15", "term_end=2029-01-14",
                             "position=Ketua", "name=Dewi Anggraini")
    assert code == 0, err
    code, out, err = run_cli(capsys, "book", "list", "pengurus", "--data", str(village_file))
    assert code == 0 and "Dewi Anggraini" in out and "Ketua" in out
    code, out, err = run_cli(capsys, "book", "add", "inventaris", "--data", str(village_file),
                             "code=INV-9", "name=Kursi", "quantity=5",
                             "acquired_on=2025-01-02", "acquired=hibah")
    assert code != 0 and "Pemberi" in err  # a grant names its giver


def test_demo_data_fills_both_books(village_session: Session) -> None:
    from kt_desktop.services import demo_members, demo_pengurus

    today = dt.date(2026, 2, 28)
    demo_members.fill(village_session, random.Random(7), today, members=120)
    added = demo_pengurus.fill(village_session, random.Random(7), today)
    assert added["officers"] > 10 and added["inventory"] == 10
    found = pengurus.all_terms(village_session)
    assert len(found) == 2  # this term and the one before
    holders = found[0].holders(today)
    assert {"pembina", "penasehat", "ketua", "sekretaris", "bendahara"} <= {
        o.position for o in holders}
    assert pengurus.sk_validity(village_session, today).state == "valid"
    assert rules.latest_term(found, today) is found[0]


# -- what the framework gained: an order of rank, a form that starts from the book ---------


def test_the_list_puts_a_term_in_rank_order_and_a_choice_sorts_by_its_order(
    village_session: Session,
) -> None:
    books.add(village_session, PENGURUS, officer("anggota_seksi", "Zaki", seksi="Olahraga"))
    small_board(village_session)
    books.add(village_session, PENGURUS, officer("ketua", "Ketua Lama",
                                                 term_start=dt.date(2019, 1, 15),
                                                 term_end=dt.date(2024, 1, 14)))
    page = books.list_page(village_session, PENGURUS, books.BookQuery())
    assert [r.get("name") for r in page.rows] == [
        "H. Suryadi", "Dewi Anggraini", "Rudi Hartono", "Sri Wahyuni", "Zaki", "Ketua Lama"]
    books.add(village_session, INVENTARIS, item("A-1", condition="rusak berat"))
    books.add(village_session, INVENTARIS, item("A-2", condition="baik"))
    books.add(village_session, INVENTARIS, item("A-3", condition="rusak ringan"))
    by_condition = books.list_page(village_session, INVENTARIS, books.BookQuery(),
                                   order="condition")
    assert [r.get("code") for r in by_condition.rows] == ["A-2", "A-3", "A-1"]


def test_a_new_record_starts_from_the_book(village_session: Session) -> None:
    from kt_desktop.services.inventaris import next_code

    assert books.prefill(village_session, INVENTARIS) == {"code": "INV-001", "quantity": 1}
    assert next_code(["INV-009", "INV-010", "lain", "BRG-2"]) == "INV-011"
    assert next_code(["KT/07"]) == "KT/08"
    books.add(village_session, INVENTARIS, item("INV-041"))
    assert books.prefill(village_session, INVENTARIS)["code"] == "INV-042"
    start = books.prefill(village_session, PENGURUS)
    assert start["term_end"] == pengurus.five_years_on(start["term_start"])
    small_board(village_session)
    assert books.prefill(village_session, PENGURUS) == {
        "term_start": START, "term_end": END, **SK}
    assert books.prefill(village_session, book("tamu")) == {}
    assert pengurus.five_years_on(dt.date(2024, 2, 29)) == dt.date(2029, 2, 28)
    assert pengurus.five_years_on(dt.date(2024, 1, 15)) == dt.date(2029, 1, 14)


# -- officers chosen from the register; photos and scans with the records -------------------


def test_an_officer_chosen_from_the_register_takes_the_members_name(
    village_session: Session, tmp_path: Path
) -> None:
    from tests.test_book_attachments import _member, photo, scan

    siti = _member(village_session, "Siti Aminah", "Cilaku")
    budi = _member(village_session, "Budi Santoso", "")
    found = books.check_values(PENGURUS, officer("ketua", ""))
    assert found["member_id"] == ("Pilih anggota dari buku induk, atau tulis nama Pembina atau "
                                  "Penasehat yang bukan anggota.")
    chair = books.add(village_session, PENGURUS, officer("ketua", "", member_id=siti))
    assert books.get(village_session, PENGURUS, chair).get("name") == "Siti Aminah"
    stored = books.get(village_session, PENGURUS, chair)
    books.edit(village_session, PENGURUS, chair,  # a title as the SK writes it stays
               {**stored.values, "name": "Hj. Siti Aminah, S.Pd."})
    assert books.get(village_session, PENGURUS, chair).get("name") == "Hj. Siti Aminah, S.Pd."
    stored = books.get(village_session, PENGURUS, chair)
    books.edit(village_session, PENGURUS, chair, {**stored.values, "member_id": budi})
    renamed = books.get(village_session, PENGURUS, chair)  # another member: another name
    assert renamed.get("name") == "Budi Santoso" and renamed.labels["member_id"] == "Budi Santoso"
    from kt_desktop.services import members

    members.remove(village_session, siti)  # a removed member can no longer be chosen
    with pytest.raises(ValidationError) as refused:
        books.add(village_session, PENGURUS, officer("sekretaris", "", member_id=siti))
    assert refused.value.field == "member_id"

    files = books.take_in_files(PENGURUS, [scan(tmp_path / "sk.pdf")]).photos
    books.edit(village_session, PENGURUS, chair, renamed.values, files)
    assert [f.original_name for f in books.files(village_session, PENGURUS, chair)] == ["sk.pdf"]
    item_files = books.take_in_files(INVENTARIS, [photo(tmp_path / "tenda.jpg")]).photos
    tent = books.add(village_session, INVENTARIS, item(), item_files)
    assert [f.original_name for f in books.files(village_session, INVENTARIS, tent)] == [
        "tenda.jpg"]
