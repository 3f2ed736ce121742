"""The Buku Kas Umum on the book framework: amounts as people type them, the running balance
across months, years and accounts, the spreadsheet round trip, the printed cash book read
back, and entries travelling to the receiver."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kt_desktop.cli import run
from kt_desktop.domain.book import book
from kt_desktop.domain.errors import ValidationError
from kt_desktop.domain.money import parse_rupiah
from kt_desktop.services import books
from kt_desktop.services.session import Session, open_session
from kt_desktop.store import books as store
from tests.test_bundles_kit import a_removal_travels, sent

KAS = book("kas")


def entry(day: dt.date, description: str = "Iuran anggota", *, receipt: object = None,
          expense: object = None, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {"entry_date": day, "description": description,
                                 "category": "iuran", "receipt": receipt, "expense": expense}
    values.update(changes)
    return values


def add_entries(session: Session, *entries: dict[str, object]) -> list[str]:
    """The cash-book entries written in this order (the order matters: a later entry dated
    earlier moves the balances after it)."""
    return [books.add(session, KAS, values) for values in entries]


@pytest.fixture
def carried_over(village_session: Session) -> Session:
    """The village whose cash book opens 2025 with the old board's Rp1.000.000, written on
    the last day of 2024."""
    books.add(village_session, KAS, entry(dt.date(2024, 12, 31), "Saldo pengurus lama",
                                          receipt="1.000.000"))
    return village_session


def balances(session: Session, query: books.BookQuery | None = None) -> list[tuple[str, int]]:
    """(description, balance) in date order, as the list computes them."""
    page = books.list_page(session, KAS, query or books.BookQuery(), limit=10_000,
                           order="entry_date", descending=False)
    return [(r.get("description"), r.get("balance")) for r in page.rows]


def cli(*args: str) -> int:
    return run([*args])


# -- amounts as people type them -----------------------------------------------------------


@pytest.mark.parametrize(("typed", "rupiah"), [
    ("1.500.000", 1_500_000), ("1500000", 1_500_000), ("Rp 1.500.000", 1_500_000),
    ("Rp1.500.000", 1_500_000), ("rp. 1.500.000", 1_500_000), ("Rp1.500.000,00", 1_500_000),
    ("Rp 1.500.000,-", 1_500_000), ("1,5 jt", 1_500_000), ("1,5jt", 1_500_000),
    ("2 juta", 2_000_000), ("250 rb", 250_000), ("250rb", 250_000), ("7,5 ribu", 7_500),
    ("1.500", 1_500), ("11.000", 11_000), ("  100.000.000 ", 100_000_000), (2500, 2500),
])
def test_amounts_are_read_as_people_type_them(typed: object, rupiah: int) -> None:
    assert parse_rupiah(typed) == rupiah  # type: ignore[arg-type]


@pytest.mark.parametrize("typed", [
    "1,500",  # 1,5 rupiah or 1.500? refused, not guessed
    "1.5", "1.50.000", "1,500,000", "1,5", "Rp 1.500.000,50", "-50.000", "lima ribu",
    "1.500.000.000.000", "1,2345 rb", "12abc", "1..000",
])
def test_ambiguous_or_wrong_amounts_are_refused_with_an_example(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_rupiah(typed)
    message = str(refused.value)
    assert typed.strip() in message
    assert "1.500.000" in message or "periksa jumlah nolnya" in message


# -- the service rules ---------------------------------------------------------------------


def test_each_wrong_field_is_named_and_nothing_is_stored(village_session: Session) -> None:
    db = village_session.db()
    before = store.count(db, KAS, books.BookQuery())
    cases = [
        (entry(dt.date(2025, 1, 5)), "receipt", "Isi jumlah masuk atau jumlah keluar."),
        (entry(dt.date(2025, 1, 5), receipt="100.000", expense="5.000"), "expense",
         "Satu catatan berisi uang masuk atau uang keluar, tidak keduanya: tulis dua catatan."),
        (entry(dt.date(2025, 1, 5), receipt="1,500"), "receipt",
         "Masuk: “1,500” bukan jumlah rupiah yang pasti. Tulis seperti 1.500.000, "
         "Rp 1.500.000 atau 1,5 jt."),
        (entry(dt.date(2025, 1, 5), expense=-5000), "expense", "Keluar harus lebih dari nol."),
        (entry(dt.date(2025, 1, 5), "", receipt=1000), "description", "Uraian wajib diisi."),
    ]
    for values, field, message in cases:
        assert books.check_values(KAS, values)[field] == message
        with pytest.raises(ValidationError) as refused:
            books.add(village_session, KAS, values)
        assert str(refused.value) == message
    # the categories are the file's own list (tests/test_kas_categories.py): checked on save
    arisan = entry(dt.date(2025, 1, 5), receipt=1000, category="arisan")
    assert "category" not in books.check_values(KAS, arisan)
    with pytest.raises(ValidationError) as refused:
        books.add(village_session, KAS, arisan)
    assert str(refused.value) == ("Kategori: “arisan” tidak ada di daftar; tambahkan ke daftar "
                                  "dulu, atau pilih yang lain.")
    assert store.count(db, KAS, books.BookQuery()) == before


def test_amounts_are_stored_as_whole_rupiah_and_the_account_defaults_to_cash(
    village_session: Session,
) -> None:
    new = books.add(village_session, KAS, entry(dt.date(2025, 3, 1), receipt="Rp 1,5 jt",
                                                category="Dana desa"))
    record = books.get(village_session, KAS, new)
    assert record.get("receipt") == 1_500_000 and record.get("expense") is None
    assert record.get("account") == "Kas tunai" and record.get("category") == "dana_desa"
    stored = village_session.db().execute(
        "SELECT typeof(receipt), receipt FROM cash_book WHERE id = ?", [new]).fetchone()
    assert tuple(stored) == ("integer", 1_500_000)


def test_the_balance_runs_across_months_and_years_per_account(carried_over: Session) -> None:
    add_entries(
        carried_over,
        entry(dt.date(2025, 1, 2), "Beli bola", expense="250.000", category="kegiatan"),
        entry(dt.date(2025, 2, 1), "Dana desa", receipt="10 jt", category="dana_desa",
              account="Bank BRI"),
        entry(dt.date(2025, 2, 1), "Iuran Februari", receipt="150.000"),
        entry(dt.date(2025, 2, 20), "Sewa tenda", expense="2.000.000", category="kegiatan",
              account="Bank BRI"),
        # written later, dated earlier: the balances after it move with it
        entry(dt.date(2025, 1, 1), "Iuran Januari", receipt="100.000"),
    )
    assert balances(carried_over) == [
        ("Saldo pengurus lama", 1_000_000), ("Iuran Januari", 1_100_000),
        ("Beli bola", 850_000), ("Dana desa", 10_000_000), ("Iuran Februari", 1_000_000),
        ("Sewa tenda", 8_000_000),
    ]
    # a search or a filter shows each row's true balance, not a sum of what it shows
    assert balances(carried_over, books.BookQuery(search="iuran")) == [
        ("Iuran Januari", 1_100_000), ("Iuran Februari", 1_000_000)]
    assert balances(carried_over, books.BookQuery(year=2025, month=2)) == [
        ("Dana desa", 10_000_000), ("Iuran Februari", 1_000_000), ("Sewa tenda", 8_000_000)]
    db = carried_over.db()
    assert store.running_before(db, KAS, dt.date(2025, 1, 1)) == {"Kas tunai": 1_000_000}
    assert store.running_before(db, KAS, dt.date(2025, 3, 1)) == {
        "Bank BRI": 8_000_000, "Kas tunai": 1_000_000}
    # a removal or an edit leaves no stale balance: nothing is stored
    first = books.list_page(carried_over, KAS, books.BookQuery(search="bola")).rows[0]
    books.edit(carried_over, KAS, first.id, {**first.values, "expense": "300.000"})
    assert balances(carried_over, books.BookQuery(search="februari")) == [
        ("Iuran Februari", 950_000)]
    books.remove(carried_over, KAS, first.id)
    assert balances(carried_over, books.BookQuery(search="februari")) == [
        ("Iuran Februari", 1_250_000)]


@st.composite
def _entries(draw: st.DrawFn) -> list[tuple[dt.date, int, int, str]]:
    days = st.dates(dt.date(2023, 11, 1), dt.date(2025, 2, 28))
    one = st.tuples(days, st.integers(1, 5_000_000), st.booleans(),
                    st.sampled_from(["Kas tunai", "Bank BRI"]))
    return [(day, amount if inn else 0, 0 if inn else amount, account)
            for day, amount, inn, account in draw(st.lists(one, min_size=1, max_size=25))]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=_entries(), removals=st.lists(st.integers(0, 24), max_size=4))
def test_every_month_closes_at_opening_plus_in_minus_out(
    village_file: Path, items: list[tuple[dt.date, int, int, str]], removals: list[int]
) -> None:
    session = open_session(village_file)
    try:
        db = session.db()
        db.execute("DELETE FROM cash_book")
        ids = [books.add(session, KAS, entry(day, f"e{i}", receipt=inn or None,
                                             expense=out or None, account=account))
               for i, (day, inn, out, account) in enumerate(items)]
        gone = {i for i in removals if i < len(ids)}
        for i in gone:
            books.remove(session, KAS, ids[i])
        live = [item for i, item in enumerate(items) if i not in gone]
        for year, month in {(d.year, d.month) for d, *_rest in live}:
            start, end = store.period(year, month)
            opening = sum(store.running_before(db, KAS, start).values())
            closing = sum(store.running_before(db, KAS, end).values())
            inside = [(i, o) for d, i, o, _a in live if start <= d < end]
            assert closing == opening + sum(i for i, _o in inside) - sum(o for _i, o in inside)
        page = books.list_page(session, KAS, books.BookQuery(), limit=1000,
                               order="entry_date", descending=False)
        last: dict[str, int] = {}
        for record in page.rows:  # each account's last row carries its whole balance
            last[record.get("account")] = record.get("balance")
        for account in {a for *_rest, a in live}:
            assert last[account] == sum(i - o for _d, i, o, a in live if a == account)
    finally:
        session.close()


# -- the command line and spreadsheets -----------------------------------------------------


def test_cli_round_trip_and_a_spreadsheet_kept_by_hand(
    village_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ("--data", str(village_file))
    assert cli("book", "add", "kas", "entry_date=2025-01-05", "description=Iuran Januari",
               "category=iuran", "receipt=Rp 1.500.000", "proof_number=BKM-001", *data) == 0
    assert cli("book", "add", "kas", "entry_date=2025-01-09", "description=Beli bola",
               "category=kegiatan", "expense=250rb", *data) == 0
    assert cli("book", "add", "kas", "entry_date=2025-01-09", "description=Salah",
               "receipt=1,500", *data) == 1
    assert "bukan jumlah rupiah yang pasti" in capsys.readouterr().err
    assert cli("book", "list", "kas", *data) == 0
    listed = capsys.readouterr().out
    assert "Rp1.500.000" in listed and "Rp1.250.000" in listed and "\n2 catatan\n" in listed
    assert "Beli bola | Kegiatan |" in listed  # the category by its name
    assert cli("book", "export", "kas", str(tmp_path / "kas.xlsx"), *data) == 0

    other = tmp_path / "other.sqlite"
    assert cli("init", "--village", "36.04.22.2002", "--name", "KT Lain", "--ketua", "A",
               "--data", str(other)) == 0
    assert cli("book", "import", "kas", str(tmp_path / "kas.xlsx"), "--data", str(other)) == 0
    capsys.readouterr()
    assert cli("book", "list", "kas", "--json", "--data", str(other)) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [(r["description"], r["receipt"], r["expense"], r["balance"], r["proof_number"])
            for r in rows] == [("Beli bola", None, 250_000, 1_250_000, ""),
                               ("Iuran Januari", 1_500_000, None, 1_500_000, "BKM-001")]

    # a cash book kept in a spreadsheet: date, uraian, masuk, keluar (0 in the unused one)
    hand = tmp_path / "kas_lama.csv"
    hand.write_text("Tanggal;Uraian;Masuk;Keluar;Saldo\n01/02/2025;Iuran;Rp 300.000;0;\n"
                    "02/02/2025;Konsumsi rapat;;75.000;\n03/02/2025;Sumbangan;1,500;;\n"
                    "04/02/2025;Kosong;0;0;\n", encoding="utf-8")
    before = village_file.read_bytes()
    assert cli("book", "import", "kas", str(hand), "--dry-run", "--json", *data) == 0
    assert village_file.read_bytes() == before  # the preview wrote nothing
    summary = json.loads(capsys.readouterr().out)
    assert (summary["rows"], summary["rejected"]) == (4, 2)
    reasons = {e["line"]: e["reason"] for e in summary["errors"]}
    assert "Masuk: “1,500” bukan jumlah rupiah yang pasti" in reasons[4]
    assert reasons[5] == "Isi jumlah masuk atau jumlah keluar."
    assert cli("book", "import", "kas", str(hand), "--json", *data) == 0
    assert json.loads(capsys.readouterr().out)["new"] == 2
    assert cli("book", "list", "kas", "--json", "--search", "konsumsi", *data) == 0
    row = json.loads(capsys.readouterr().out)["rows"][0]
    assert (row["expense"], row["balance"], row["category"]) == (75_000, 1_475_000, "lainnya")


# -- the printed cash book -----------------------------------------------------------------


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def test_printed_cash_book_carries_the_balance_and_the_treasurer(
    carried_over: Session, village_file: Path, tmp_path: Path
) -> None:
    add_entries(
        carried_over,
        entry(dt.date(2025, 1, 2), "Iuran Januari", receipt="1,5 jt", proof_number="BKM-001"),
        entry(dt.date(2025, 1, 20), "Beli bola", expense="250.000", category="kegiatan",
              proof_number="BKK-001"),
        entry(dt.date(2025, 2, 3), "Dana desa tahap 1", receipt="10 jt", category="dana_desa",
              account="Bank BRI"),
        entry(dt.date(2025, 2, 10), "Sewa tenda", expense="2.000.000", category="kegiatan",
              account="Bank BRI"),
    )
    out = tmp_path / "kas.pdf"
    assert cli("report", "kas", "--out", str(out), "--year", "2025",
               "--data", str(village_file)) == 0
    text = _pdf_text(out)
    for words in ("BUKU KAS UMUM", "Tahun 2025", "Saldo awal : Rp1.000.000",
                  "Masuk : Rp11.500.000", "Keluar : Rp2.250.000",
                  "Saldo akhir : Rp10.250.000",
                  "Masuk : Rp11.500.000 · Dana Desa/APBDes : Rp10.000.000 "
                  "· Iuran anggota : Rp1.500.000 Keluar : Rp2.250.000 · Kegiatan : Rp2.250.000",
                  "Iuran Januari Kas tunai Rp1.500.000 Rp2.500.000",
                  "Beli bola Kas tunai Rp250.000 Rp2.250.000",
                  "Jumlah Januari 2025 Rp1.500.000 Rp250.000 Rp2.250.000",
                  "Sewa tenda Bank BRI Rp2.000.000 Rp8.000.000",
                  "Jumlah Februari 2025 Rp10.000.000 Rp2.000.000 Rp10.250.000",
                  "Bendahara,", "Rina Marlina", "Ahmad Fauzi", "Mengetahui",
                  "KARANG TARUNA TUNAS HARAPAN"):
        assert words in text, words
    assert "Saldo pengurus lama" not in text  # 2024 is the opening balance, not a row

    month = tmp_path / "kas_feb.pdf"
    assert cli("report", "kas", "--out", str(month), "--month", "2025-02",
               "--data", str(village_file)) == 0
    text = _pdf_text(month)
    assert "Februari 2025" in text and "Saldo awal : Rp2.250.000" in text
    assert "Saldo akhir : Rp10.250.000" in text and "Iuran Januari" not in text
    with pytest.raises(SystemExit) as refused:  # a usage error, as the monthly report's
        cli("report", "kas", "--out", str(month), "--month", "2025-13",
            "--data", str(village_file))
    assert refused.value.code == 2


def test_an_empty_period_prints_its_balance_and_says_so(
    village_session: Session, village_file: Path, tmp_path: Path
) -> None:
    books.add(village_session, KAS, entry(dt.date(2024, 5, 1), receipt="500.000"))
    out = tmp_path / "kosong.pdf"
    assert cli("report", "kas", "--out", str(out), "--year", "2025",
               "--data", str(village_file)) == 0
    text = _pdf_text(out)
    assert "Belum ada catatan kas pada periode ini." in text
    assert "Saldo awal : Rp500.000" in text and "Saldo akhir : Rp500.000" in text


# -- bundles and the receiver --------------------------------------------------------------


def test_cash_entries_travel_to_the_receiver_that_counts_them(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    assert KAS.table == "cash_book"
    rows, keep, gone = a_removal_travels(
        pair, tmp_path, KAS, entry(dt.date(2025, 1, 5), receipt="1.500.000"),
        entry(dt.date(2025, 1, 6), "Salah catat", expense="5.000"), "Catatan kas",
    )
    assert rows[gone]["deleted_at"] and rows[keep]["receipt"] == 1_500_000


# -- activity funds and the LPJ ------------------------------------------------------------


@pytest.mark.parametrize(("amount", "words"), [
    (1_001_000, "Satu juta seribu rupiah"),  # num2words says "satu juta satu ribu"
    (11_000, "Sebelas ribu rupiah"),
    (100_000_000, "Seratus juta rupiah"),
    (1_000, "Seribu rupiah"),
    (201_000, "Dua ratus satu ribu rupiah"),  # here "satu ribu" is right
    (2_001_001, "Dua juta seribu satu rupiah"),
    (2_950_000, "Dua juta sembilan ratus lima puluh ribu rupiah"),
    (0, "Nol rupiah"),
])
def test_terbilang_on_awkward_numbers(amount: int, words: str) -> None:
    from kt_desktop.domain.money import terbilang

    assert terbilang(amount) == words


def test_a_cash_entry_names_an_activity_that_exists(village_session: Session) -> None:
    from tests.test_bundles_kit import add_activity

    activity = add_activity(village_session)
    choices = books.lookup_choices(village_session, KAS, "activity_id")
    assert choices == [(activity, "02/11/2026 — Bakti sosial")]
    books.add(village_session, KAS, entry(dt.date(2025, 1, 5), receipt="100.000",
                                          activity_id=activity))
    before = store.count(village_session.db(), KAS, books.BookQuery())
    with pytest.raises(ValidationError) as refused:
        books.add(village_session, KAS, entry(dt.date(2025, 1, 5), receipt="100.000",
                                              activity_id="tidak-ada"))
    assert str(refused.value) == ("Kegiatan: catatan yang dipilih sudah tidak ada (mungkin "
                                  "sudah dihapus); pilih yang lain.")
    assert store.count(village_session.db(), KAS, books.BookQuery()) == before


def test_the_lpj_sets_receipts_beside_the_plan_and_itemises_expenses(
    village_session: Session, village_file: Path, tmp_path: Path
) -> None:
    from kt_desktop.services import kas
    from tests.test_bundles_kit import add_activity

    activity = add_activity(village_session)  # planned: swadaya Rp2.950.000
    add_entries(
        village_session,
        entry(dt.date(2025, 1, 5), "Iuran untuk baksos", receipt="1.001.000", category="swadaya",
              activity_id=activity),
        entry(dt.date(2025, 1, 6), "Dana desa baksos", receipt="2 jt", category="dana_desa",
              account="Bank BRI", activity_id=activity),
        entry(dt.date(2025, 1, 7), "Beras 50 kg", expense="650.000", category="kegiatan",
              proof_number="BKK-007", activity_id=activity),
        entry(dt.date(2025, 1, 8), "Sewa tenda", expense="1.340.000", category="kegiatan",
              proof_number="BKK-008", activity_id=activity),
        entry(dt.date(2025, 1, 8), "Bukan untuk baksos", expense="99.000",
              category="operasional"),
    )
    funds = kas.activity_funds(village_session, activity)
    assert funds.planned == {"swadaya": 2_950_000}
    assert funds.received == {"swadaya": 1_001_000, "dana_desa": 2_000_000}
    assert (funds.spent_total, funds.remaining) == (1_990_000, 1_011_000)

    out = tmp_path / "lpj.pdf"
    assert cli("report", "lpj", "--activity", activity, "--out", str(out),
               "--data", str(village_file)) == 0
    text = _pdf_text(out)
    for words in ("LAPORAN PERTANGGUNGJAWABAN", "Bakti sosial", "2 November 2026",
                  "Swadaya Rp2.950.000 Rp1.001.000", "Rp0 Rp2.000.000",
                  "Jumlah Rp2.950.000 Rp3.001.000",
                  "BKK-007 Beras 50 kg Rp650.000", "BKK-008 Sewa tenda Rp1.340.000",
                  "Jumlah Rp1.990.000", "Sisa : Rp1.011.000",
                  "Satu juta sembilan ratus sembilan puluh ribu rupiah",
                  "Satu juta sebelas ribu rupiah", "Bendahara,", "Rina Marlina",
                  "Mengetahui", "Kepala Desa Baros"):
        assert words in text, words
    assert "Bukan untuk baksos" not in text

    with pytest.raises(SystemExit) as missing:
        cli("report", "lpj", "--out", str(out), "--data", str(village_file))
    assert missing.value.code == 2
    assert cli("report", "lpj", "--activity", "tidak-ada", "--out", str(tmp_path / "x.pdf"),
               "--data", str(village_file)) == 1
    assert not (tmp_path / "x.pdf").exists()


def test_an_overdrawn_account_is_a_warning_naming_the_entry(
    village_session: Session, village_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = books.add(village_session, KAS, entry(dt.date(2025, 1, 5), receipt="100.000"))
    assert books.warnings(village_session, KAS, first) == []
    later = books.add(village_session, KAS, entry(dt.date(2025, 2, 1), "Sewa tenda",
                                                  expense="120.000", category="kegiatan"))
    bank = books.add(village_session, KAS, entry(dt.date(2025, 2, 2), "Bunga", receipt=500,
                                                 account="Bank BRI"))
    expected = ("Saldo Kas tunai menjadi minus (-Rp20.000) pada “Sewa tenda” tanggal "
                "01/02/2025: periksa jumlahnya, atau catat penerimaan yang belum dicatat.")
    assert books.warnings(village_session, KAS, later) == [expected]
    assert books.warnings(village_session, KAS, bank) == []  # another account
    # an earlier expense moves the first overdrawn entry back to itself
    earlier = books.add(village_session, KAS, entry(dt.date(2025, 1, 10), "Konsumsi",
                                                    expense="150.000", category="kegiatan"))
    assert "pada “Konsumsi” tanggal 10/01/2025" in books.warnings(village_session, KAS,
                                                                   earlier)[0]
    # allowed, not refused: the entries are all there
    assert store.count(village_session.db(), KAS, books.BookQuery()) == 4
    assert cli("book", "add", "kas", "entry_date=2025-03-01", "description=Beli bola",
               "category=kegiatan", "expense=10.000", "--data", str(village_file)) == 0
    assert "Peringatan: Saldo Kas tunai menjadi minus" in capsys.readouterr().err


def test_the_receiver_sums_what_reached_the_villages_by_kabupaten_and_source(
    pair: tuple[Session, Session], tmp_path: Path, receiver_file: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    village, receiver = pair
    add_entries(
        village,
        entry(dt.date(2025, 2, 3), "Dana desa tahap 1", receipt="10 jt", category="dana_desa",
              account="Bank BRI"),
        entry(dt.date(2025, 8, 3), "Dana desa tahap 2", receipt="5 jt", category="dana_desa",
              account="Bank BRI"),
        entry(dt.date(2025, 4, 1), "CSR PT Baros", receipt="2.500.000", category="csr"),
        entry(dt.date(2025, 4, 2), "Sewa tenda", expense="700.000", category="kegiatan"),
        entry(dt.date(2024, 12, 1), "Tahun lalu", receipt="9 jt", category="dana_desa"),
    )
    sent(village, receiver, tmp_path / "one")
    receiver.close()  # the CLI opens the receiver file itself
    assert cli("receiver", "funds", "--period", "2025", "--json",
               "--data", str(receiver_file)) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["funds"] == [
        {"kabupaten": "36.04", "name": "Kabupaten Serang", "source": "csr",
         "amount": 2_500_000, "villages": 1},
        {"kabupaten": "36.04", "name": "Kabupaten Serang", "source": "dana_desa",
         "amount": 15_000_000, "villages": 1},
    ]
    assert cli("receiver", "funds", "--period", "2025-02", "--data", str(receiver_file)) == 0
    assert "Kabupaten Serang: Dana Desa/APBDes Rp10.000.000 (1 desa)" in capsys.readouterr().out


# -- closing a month (tutup buku) and corrections ------------------------------------------


def test_a_closed_month_cannot_be_changed_and_is_corrected_by_a_reversing_entry(
    village_session: Session, village_file: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = ("--data", str(village_file))
    opening = books.add(village_session, KAS, entry(dt.date(2025, 1, 2), receipt="1.000.000"))
    wrong = books.add(village_session, KAS, entry(dt.date(2025, 1, 20), "Beli bola",
                                                  expense="250.000", category="kegiatan",
                                                  proof_number="BKK-001"))
    with pytest.raises(SystemExit) as bad:
        cli("kas", "tutup", "--month", "2025-13", *data)
    assert bad.value.code == 2
    with pytest.raises(ValidationError) as early:  # a month is closed after its last day
        books.close_month(village_session, KAS, 2025, 1, today=dt.date(2025, 1, 31))
    assert str(early.value) == ("Januari 2025 belum berakhir; bulan ditutup sesudah hari "
                                "terakhirnya.")
    assert cli("kas", "tutup", "--month", "2025-01", *data) == 0
    assert "Januari 2025 sudah ditutup." in capsys.readouterr().out

    closed = ("Januari 2025 sudah ditutup (tutup buku): transaksinya tidak dapat diubah lagi. "
              "Catat koreksinya sebagai transaksi baru yang membalik, pada bulan yang masih "
              "terbuka.")
    before = village_file.read_bytes()
    record = books.get(village_session, KAS, wrong)
    for attempt in (
        lambda: books.edit(village_session, KAS, wrong, {**record.values, "expense": 200_000}),
        lambda: books.edit(village_session, KAS, opening,  # even saved unchanged
                           {**books.get(village_session, KAS, opening).values}),
        lambda: books.remove(village_session, KAS, wrong),
        lambda: books.add(village_session, KAS, entry(dt.date(2025, 1, 31), receipt=5_000)),
    ):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert str(refused.value) == closed
    assert village_file.read_bytes() == before
    # a February entry moved into January is refused too; February itself stays open
    feb = books.add(village_session, KAS, entry(dt.date(2025, 2, 1), receipt=5_000))
    with pytest.raises(ValidationError):
        books.edit(village_session, KAS, feb, {**books.get(village_session, KAS, feb).values,
                                               "entry_date": dt.date(2025, 1, 15)})
    # an import with a row in the closed month adds nothing and names the row
    sheet = tmp_path / "kas.csv"
    sheet.write_text("Tanggal;Uraian;Masuk\n03/02/2025;Iuran;10.000\n30/01/2025;Telat;5.000\n",
                     encoding="utf-8")
    assert cli("book", "import", "kas", str(sheet), *data) == 1
    assert "Baris 3: Januari 2025 sudah ditutup" in capsys.readouterr().err
    assert store.count(village_session.db(), KAS, books.BookQuery()) == 3

    # the correction: a new entry in an open month that names the one it corrects
    assert cli("kas", "koreksi", wrong, "--date", "2025-02-10", "--json", *data) == 0
    new_id = json.loads(capsys.readouterr().out)["id"]
    corrected = books.get(village_session, KAS, new_id)
    assert corrected.get("description") == "Koreksi atas “Beli bola” tanggal 20/01/2025"
    assert (corrected.get("receipt"), corrected.get("expense")) == (250_000, None)
    assert corrected.get("proof_number") == "BKK-001"
    assert balances(village_session)[-1] == ("Koreksi atas “Beli bola” tanggal 20/01/2025",
                                             1_005_000)
    actions = [row[0] for row in village_session.db().execute(
        "SELECT action FROM audit_log WHERE table_name = 'cash_book' ORDER BY rowid")]
    assert "close_month" in actions and "reverse" in actions


def test_every_page_in_every_order_shows_the_true_balance(village_session: Session) -> None:
    import random

    rng = random.Random(19)
    db = village_session.db()
    written: list[tuple[str, dt.date, int, str]] = []
    for number in range(300):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(500))
        amount = rng.randint(1, 90) * 1000
        inn = rng.random() < 0.5
        account = rng.choice(["Kas tunai", "Bank BRI"])
        new = books.add(village_session, KAS, entry(day, f"Transaksi {number:03d}",
                                                    receipt=amount if inn else None,
                                                    expense=None if inn else amount,
                                                    account=account))
        written.append((new, day, amount if inn else -amount, account))
    expected: dict[str, int] = {}
    running: dict[str, int] = {}
    for new, _day, signed, account in sorted(written, key=lambda w: w[1]):  # stable: as written
        running[account] = running.get(account, 0) + signed
        expected[new] = running[account]
    for query in (books.BookQuery(), books.BookQuery(year=2025),
                  books.BookQuery(year=2024, month=7), books.BookQuery(search="Transaksi 1")):
        for order, descending in (("entry_date", True), ("entry_date", False),
                                  ("description", False), ("proof_number", True)):
            seen: dict[str, int] = {}
            for offset in range(0, 300, 70):
                for record in store.rows(db, KAS, query, order=order, descending=descending,
                                         limit=70, offset=offset):
                    seen[record.id] = record.get("balance")
            assert len(seen) == store.count(db, KAS, query)
            assert seen == {key: expected[key] for key in seen}, (query, order)


def test_today_is_the_village_s_day_not_the_laptop_s(village_session: Session) -> None:
    """A laptop set to UTC reads 18.00 on the day before while it is already 01.00 WIB: a
    payment dated the village's today is taken, the day after it is refused. The moment is
    a year ahead of the real clock, so the laptop's own date can never pass for today."""
    from kt_desktop.domain import clock

    ahead = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=400)
    utc_evening = dt.datetime.combine(ahead, dt.time(18, 0), tzinfo=dt.UTC)
    with clock.frozen(utc_evening):
        village_today = clock.today()
        assert village_today == ahead + dt.timedelta(days=1)  # WIB is 7 hours ahead
        books.add(village_session, KAS, entry(village_today, receipt="10.000"))
        with pytest.raises(ValidationError) as refused:
            books.add(village_session, KAS,
                      entry(village_today + dt.timedelta(days=1), receipt="10.000"))
    assert refused.value.field == "entry_date"
    assert "masa depan" in str(refused.value)
