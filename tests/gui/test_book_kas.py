"""The Buku Kas Umum page: the framework's page with the running balance column, and its form
taking amounts as people type them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit

from kt_desktop.domain.book import book
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.book import BookPage
from kt_desktop.services import books
from tests.gui.conftest import idle as _idle
from tests.gui.conftest import open_book_page

KAS = book("kas")
BALANCE = [c.field for c in KAS.columns].index("balance")
RECEIPT = [c.field for c in KAS.columns].index("receipt")


def _dues(day: dt.date, receipt: str) -> dict[str, object]:
    """A receipt of dues ("Iuran") of ``receipt`` rupiah, as typed, on ``day``."""
    return {"entry_date": day, "description": "Iuran", "category": "iuran", "receipt": receipt}


def _written(qtbot: Any, page: BookPage, *entries: dict[str, object]) -> None:
    """``entries`` written to the cash book (not through the form), the page read again."""
    for values in entries:
        books.add(page.ops.session, KAS, values)
    page.refresh()
    _idle(qtbot, page.ops)


@pytest.fixture
def page(qtbot: Any, ops: Ops) -> Iterator[BookPage]:
    yield from open_book_page(qtbot, ops, "kas")


def test_the_page_lists_entries_with_their_running_balance(qtbot: Any, page: BookPage) -> None:
    headers = [page.model.headerData(i, Qt.Orientation.Horizontal)
               for i in range(page.model.columnCount())]
    assert headers == ["Tanggal", "Uraian", "Kategori", "Akun", "Masuk", "Keluar", "Saldo", "No. Bukti"]
    assert page.empty.text() == (
        "Buku Kas Umum masih kosong \u2014 tekan Ctrl+N untuk mencatat transaksi pertama.")
    _written(qtbot, page, _dues(dt.date(2025, 1, 5), "1.500.000"),
             {"entry_date": dt.date(2025, 1, 9), "description": "Beli bola",
              "category": "kegiatan", "expense": "250.000"})
    assert page.model.rowCount() == 2  # newest first, each with the balance after it
    assert page.model.index(0, BALANCE).data() == "Rp1.250.000"
    assert page.model.index(1, BALANCE).data() == "Rp1.500.000"
    assert page.model.index(1, RECEIPT).data() == "Rp1.500.000"
    assert page.model.index(0, RECEIPT).data() == ""
    assert page.model.index(0, BALANCE).data(Qt.ItemDataRole.TextAlignmentRole) & int(
        Qt.AlignmentFlag.AlignRight)
    page.model.sort(BALANCE, Qt.SortOrder.AscendingOrder)  # a computed column does not sort
    assert page.order == "entry_date"


def test_an_entry_typed_in_the_form_with_a_wrong_amount_first(
    qtbot: Any, page: BookPage
) -> None:
    page.add_record()
    form = page.form
    assert form is not None and form.windowTitle() == "Tambah transaksi"
    assert form.widgets["entry_date"].value() is not None
    account = form.widgets["account"]
    assert isinstance(account, QLineEdit) and account.text() == "Kas tunai"
    category = form.widgets["category"]
    assert isinstance(category, QComboBox) and category.currentData() == "lainnya"
    form.widgets["description"].setText("Iuran anggota Maret")  # type: ignore[attr-defined]
    form.widgets["entry_date"].set_value(dt.date(2025, 3, 2))  # type: ignore[attr-defined]
    category.setCurrentIndex(category.findData("iuran"))
    form.save()  # no amount
    assert form.errors.message("receipt") == "Isi jumlah masuk atau jumlah keluar."
    form.widgets["receipt"].setText("1,500")  # type: ignore[attr-defined]
    form.save()
    assert form.errors.message("receipt").startswith("Masuk: “1,500” bukan jumlah rupiah")
    assert books.list_page(page.ops.session, KAS, books.BookQuery()).total == 0
    form.widgets["receipt"].setText("1,5 jt")  # type: ignore[attr-defined]
    form.save()
    qtbot.waitUntil(lambda: page.form is None, timeout=10_000)
    _idle(qtbot, page.ops)
    assert page.model.rowCount() == 1 and page.count_label.text() == "1 transaksi"
    assert page.model.index(0, BALANCE).data() == "Rp1.500.000"

    page.table.selectRow(0)
    page.edit_selected()
    form = page.form
    assert form is not None
    assert form.widgets["receipt"].text() == "1.500.000"  # type: ignore[attr-defined]
    form.widgets["receipt"].setText("Rp 2.000.000")  # type: ignore[attr-defined]
    form.save()
    qtbot.waitUntil(lambda: page.form is None, timeout=10_000)
    _idle(qtbot, page.ops)
    assert page.model.index(0, BALANCE).data() == "Rp2.000.000"


def test_print_from_the_page_is_the_cash_book(
    qtbot: Any, page: BookPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PdfReader

    _written(qtbot, page, _dues(dt.date(2025, 5, 2), "300.000"))
    monkeypatch.setattr(page, "ask_path", lambda _purpose: tmp_path / "kas.pdf")
    page.print_book()
    qtbot.waitUntil(lambda: page.status.text().startswith("Disimpan"), timeout=20_000)
    text = " ".join(p.extract_text() for p in PdfReader(tmp_path / "kas.pdf").pages)
    assert "BUKU KAS UMUM" in text and "Bendahara," in text and "Rp300.000" in text


def test_a_narrow_window_hides_the_optional_columns_not_the_amounts(
    qtbot: Any, page: BookPage
) -> None:
    _written(qtbot, page, _dues(dt.date(2025, 5, 2), "300.000"))
    keys = [c.field for c in KAS.columns]
    hidden = lambda: {k for i, k in enumerate(keys) if page.table.isColumnHidden(i)}  # noqa: E731
    assert hidden() == set()  # 1176 px: everything
    page.stack.setFixedWidth(600)  # the room a 1024 px window with a large font leaves
    qtbot.waitUntil(lambda: hidden() == {"category", "account", "proof_number"}, timeout=5_000)
    page.stack.setFixedWidth(1100)
    qtbot.waitUntil(lambda: hidden() == set(), timeout=5_000)


def test_an_entry_names_its_activity_and_the_lpj_is_made_from_the_reports_page(
    qtbot: Any, page: BookPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kt_desktop.gui.pages.reports import LpjForm, ReportsPage
    from tests.test_bundles_kit import add_activity
    from tests.test_reports_helpers import pdf_text

    session = page.ops.session
    activity = add_activity(session)  # Bakti sosial, planned swadaya Rp2.950.000
    page.add_record()
    form = page.form
    assert form is not None
    combo = form.widgets["activity_id"]
    assert isinstance(combo, QComboBox)
    qtbot.waitUntil(lambda: combo.count() == 2, timeout=5_000)  # "—" and the activity
    assert combo.itemText(1) == "02/11/2026 — Bakti sosial"
    form.widgets["description"].setText("Sewa tenda baksos")  # type: ignore[attr-defined]
    form.widgets["entry_date"].set_value(dt.date(2025, 3, 2))  # type: ignore[attr-defined]
    form.widgets["expense"].setText("1.340.000")  # type: ignore[attr-defined]
    form.widgets["proof_number"].setText("BKK-008")  # type: ignore[attr-defined]
    combo.setCurrentIndex(1)
    form.save()
    qtbot.waitUntil(lambda: page.form is None, timeout=10_000)
    _idle(qtbot, page.ops)
    saved = books.list_page(session, KAS, books.BookQuery()).rows[0]
    assert saved.get("activity_id") == activity

    page.table.selectRow(0)
    page.edit_selected()  # the form opens on the activity it names
    form = page.form
    assert form is not None
    combo = form.widgets["activity_id"]
    qtbot.waitUntil(lambda: combo.currentData() == activity, timeout=5_000)  # type: ignore[attr-defined]
    form.reject()
    _idle(qtbot, page.ops)

    reports_page = ReportsPage(page.ops, None, today=dt.date(2026, 12, 1))
    qtbot.addWidget(reports_page, before_close_func=lambda _w: page.ops.wait_idle())
    reports_page.resize(1166, 708)
    reports_page.show()
    lpj = reports_page.choose(LpjForm)
    assert isinstance(lpj, LpjForm)
    qtbot.waitUntil(lambda: lpj.activity.findData(activity) >= 0, timeout=5_000)
    lpj.activity.setCurrentIndex(lpj.activity.findData(activity))
    qtbot.mouseClick(reports_page.build_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, page.ops)
    qtbot.waitUntil(lambda: reports_page.preview.page_count() > 0, timeout=15_000)
    assert reports_page.preview.title_text() == "LPJ: Bakti sosial"
    target = tmp_path / "lpj.pdf"
    monkeypatch.setattr(reports_page, "ask_save_path", lambda: target)
    qtbot.mouseClick(reports_page.preview.save_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, page.ops)
    qtbot.waitUntil(target.exists, timeout=5_000)
    text = " ".join(pdf_text(target).split())
    assert "BKK-008 Sewa tenda baksos Rp1.340.000" in text
    assert "Sisa : -Rp1.340.000" in text or "Sisa : Rp-1.340.000" in text


def test_the_activity_form_shows_plan_received_spent_and_remaining(
    qtbot: Any, page: BookPage
) -> None:
    from kt_desktop.gui.dialogs.activity_form import ActivityForm
    from tests.test_bundles_kit import add_activity

    session = page.ops.session
    activity = add_activity(session)  # planned: swadaya Rp2.950.000
    books.add(session, KAS, {"entry_date": dt.date(2025, 1, 5), "description": "Iuran",
                             "category": "swadaya", "receipt": "3 jt", "activity_id": activity})
    books.add(session, KAS, {"entry_date": dt.date(2025, 1, 6), "description": "Beras",
                             "category": "kegiatan", "expense": "650.000",
                             "activity_id": activity})
    form = ActivityForm(page.ops, activity, None, today=dt.date(2026, 12, 1))
    qtbot.addWidget(form, before_close_func=lambda _w: page.ops.wait_idle())
    form.show()
    qtbot.waitUntil(lambda: form.realisation_label.text() != "", timeout=10_000)
    assert form.realisation_label.text() == (
        "Dari Buku Kas Umum: diterima Rp3.000.000 · dibelanjakan Rp650.000 · "
        "sisa Rp2.350.000 (rencana Rp2.950.000).")
    form.reject()
    _idle(qtbot, page.ops)


def test_saving_an_entry_that_overdraws_says_so_in_the_status_line(
    qtbot: Any, page: BookPage
) -> None:
    _written(qtbot, page, _dues(dt.date(2025, 1, 5), "100.000"))
    page.add_record()
    form = page.form
    assert form is not None
    form.widgets["entry_date"].set_value(dt.date(2025, 1, 9))  # type: ignore[attr-defined]
    form.widgets["description"].setText("Sewa tenda")  # type: ignore[attr-defined]
    form.widgets["expense"].setText("150.000")  # type: ignore[attr-defined]
    form.save()
    qtbot.waitUntil(lambda: page.form is None, timeout=10_000)
    qtbot.waitUntil(lambda: "menjadi minus (-Rp50.000)" in page.status.text(), timeout=10_000)
    assert "“Sewa tenda”" in page.status.text()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)  # the list reloads


def test_an_entry_of_a_closed_month_is_refused_beside_its_date(
    qtbot: Any, page: BookPage
) -> None:
    session = page.ops.session
    books.add(session, KAS, {"entry_date": dt.date(2025, 1, 5), "description": "Iuran",
                             "category": "iuran", "receipt": "100.000"})
    books.close_month(session, KAS, 2025, 1)
    page.refresh()
    _idle(qtbot, page.ops)
    page.table.selectRow(0)
    page.edit_selected()
    form = page.form
    assert form is not None
    form.widgets["receipt"].setText("90.000")  # type: ignore[attr-defined]
    form.save()
    _idle(qtbot, page.ops)
    qtbot.waitUntil(lambda: form.errors.message("entry_date") != "", timeout=5_000)
    assert form.errors.message("entry_date").startswith("Januari 2025 sudah ditutup")
    assert books.list_page(session, KAS, books.BookQuery()).rows[0].get("receipt") == 100_000


def test_a_receipt_photo_and_a_scan_attached_in_the_form_stay_with_the_entry(
    qtbot: Any, page: BookPage, tmp_path: Path
) -> None:
    from tests.test_book_attachments import photo, scan

    page.add_record()
    form = page.form
    assert form is not None and form.files is not None
    assert form.files.empty.isVisibleTo(form)  # "Belum ada bukti terlampir. …"
    broken = tmp_path / "nota-rusak.pdf"
    broken.write_bytes(b"%PDF-1.4 cut")
    form.files.add_files([photo(tmp_path / "nota.jpg"), scan(tmp_path / "kuitansi.pdf"), broken])
    qtbot.waitUntil(lambda: form.files.list.count() == 2 and not form.files.busy, timeout=10_000)
    assert "nota-rusak.pdf bukan berkas PDF yang utuh" in form.files.messages.text()
    form.widgets["description"].setText("Beli bola")  # type: ignore[attr-defined]
    form.widgets["expense"].setText("250.000")  # type: ignore[attr-defined]
    form.save()
    qtbot.waitUntil(lambda: page.form is None, timeout=10_000)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    [entry] = books.list_page(page.ops.session, KAS, books.BookQuery()).rows
    assert [f.original_name for f in books.files(page.ops.session, KAS, entry.id)] == [
        "nota.jpg", "kuitansi.pdf"]

    page.table.selectRow(0)
    page.edit_selected()  # the form shows both again; Delete on the list removes one
    again = page.form
    assert again is not None and again.files is not None
    qtbot.waitUntil(lambda: again.files.list.count() == 2, timeout=10_000)
    again.files.list.setCurrentRow(0)
    qtbot.keyClick(again.files.list, Qt.Key.Key_Delete)
    assert again.files.list.count() == 1
    again.save()
    qtbot.waitUntil(lambda: page.form is None, timeout=10_000)
    _idle(qtbot, page.ops)
    assert [f.original_name for f in books.files(page.ops.session, KAS, entry.id)] == [
        "kuitansi.pdf"]
