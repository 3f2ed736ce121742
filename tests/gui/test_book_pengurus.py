"""The Buku Data Pengurus and Buku Inventaris pages, driven through real widgets: a new
officer's form starts in the current term with its SK, a new item with the next code; each
problem is shown beside its field; the lists show words, never stored codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox, QSpinBox

from kt_desktop.domain.book import book
from kt_desktop.gui.dialogs.book_form import BookForm
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.book import BookPage
from kt_desktop.services import books, pengurus
from tests.gui.conftest import idle as _idle
from tests.gui.conftest import open_book_page, type_into
from tests.test_book_attachments import _member

PENGURUS = book("pengurus")
INVENTARIS = book("inventaris")


def _column(spec: Any, key: str) -> int:
    return [c.field for c in spec.columns].index(key)


def _choose(form: BookForm, key: str, code: str) -> None:
    combo = form.widgets[key]
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(code))


@pytest.fixture
def officers(qtbot: Any, ops: Ops) -> Iterator[BookPage]:
    yield from open_book_page(qtbot, ops, "pengurus")


@pytest.fixture
def inventory(qtbot: Any, ops: Ops) -> Iterator[BookPage]:
    yield from open_book_page(qtbot, ops, "inventaris")


def test_officers_of_a_term_are_added_through_the_form(qtbot: Any, officers: BookPage) -> None:
    page = officers
    assert page.empty.text() == (
        "Buku Data Pengurus masih kosong \u2014 tekan Ctrl+N untuk mencatat pengurus pertama.")
    page.add_record()  # Tambah (Ctrl+N: the Buku Tamu's test)
    form = page.form
    assert form is not None and form.windowTitle() == "Tambah pengurus"
    _idle(qtbot, page.ops)
    start = form.widgets["term_start"].value()
    assert start is not None  # no term yet: five years from today
    assert form.widgets["term_end"].value() > start.replace(year=start.year + 4)
    _choose(form, "position", "ketua_seksi")
    type_into(form, name="Asep Permana")
    form.save()
    assert form.errors.message("seksi") == "Tulis seksi jabatan ini."
    type_into(form, seksi="Olahraga dan Seni Budaya", sk_number="141/Kep.07/Ds/2024")
    form.widgets["sk_date"].set_value(start)
    type_into(form, sk_signer="Kepala Desa Baros, H. Suryadi")
    form.save()
    qtbot.waitUntil(lambda: page.form is None, timeout=10_000)
    _idle(qtbot, page.ops)
    assert page.model.rowCount() == 1
    assert page.model.index(0, _column(PENGURUS, "position")).data() == "Ketua Seksi"
    assert page.model.index(0, _column(PENGURUS, "name")).data() == "Asep Permana"

    dewi = _member(page.ops.session, "Dewi Anggraini", "Cilaku")
    page.add_record()  # the next officer starts in the same term, with the same SK
    form = page.form
    assert form is not None
    _idle(qtbot, page.ops)
    assert form.widgets["term_start"].value() == start
    assert form.widgets["sk_number"].text() == "141/Kep.07/Ds/2024"
    _choose(form, "position", "ketua")
    member = form.widgets["member_id"]  # chosen from the register, typed in part
    assert isinstance(member, QComboBox)
    member.setEditText("Dewi Anggraini · Cilaku")
    form.save()
    qtbot.waitUntil(lambda: page.form is None, timeout=10_000)
    _idle(qtbot, page.ops)
    assert page.model.rowCount() == 2
    (term,) = pengurus.all_terms(page.ops.session)
    assert [o.name for o in term.holders(start)] == ["Dewi Anggraini", "Asep Permana"]
    assert term.sk is not None and term.sk.sk_signer == "Kepala Desa Baros, H. Suryadi"
    chair = next(r for r in books.list_page(page.ops.session, PENGURUS, books.BookQuery()).rows
                 if r.get("position") == "ketua")
    assert chair.get("member_id") == dewi  # linked to the register, its name copied


def test_an_item_is_recorded_lent_and_shown_in_words(qtbot: Any, inventory: BookPage,
                                                     tmp_path: Path) -> None:
    from tests.test_book_attachments import photo

    page = inventory
    assert page.empty.text().startswith("Buku Inventaris masih kosong")
    books.add(page.ops.session, INVENTARIS, {
        "code": "INV-007", "name": "Kursi lipat", "quantity": 50, "acquired": "swadaya",
        "acquired_on": dt.date(2024, 5, 2), "condition": "baik"})
    page.refresh()
    _idle(qtbot, page.ops)
    page.add_record()
    form = page.form
    assert form is not None and form.windowTitle() == "Tambah barang"
    _idle(qtbot, page.ops)
    assert form.widgets["code"].text() == "INV-008"  # the next free code
    assert form.widgets["unit"].text() == "buah"
    type_into(form, name="Tenda lipat 3×4 m")
    quantity = form.widgets["quantity"]
    assert isinstance(quantity, QSpinBox)
    quantity.setValue(2)
    _choose(form, "acquired", "hibah")
    _choose(form, "condition", "rusak_ringan")
    type_into(form, value="7 jt")
    assert form.files is not None  # a photo of the item, kept with it
    form.files.add_files([photo(tmp_path / "tenda.jpg")])
    qtbot.waitUntil(lambda: form.files.list.count() == 1 and not form.files.busy,
                    timeout=10_000)
    form.save()
    assert form.errors.message("giver") == "Bantuan dan hibah menyebut pemberinya: isi Pemberi."
    type_into(form, giver="Dinas Sosial Kab. Serang")
    form.save()
    qtbot.waitUntil(lambda: page.form is None, timeout=10_000)
    _idle(qtbot, page.ops)
    assert page.model.rowCount() == 2
    row = next(r for r in range(2)
               if page.model.index(r, _column(INVENTARIS, "code")).data() == "INV-008")
    assert page.model.index(row, _column(INVENTARIS, "condition")).data() == "Rusak ringan (RR)"
    assert page.model.index(row, _column(INVENTARIS, "acquired")).data() == "Hibah"
    assert page.model.index(row, _column(INVENTARIS, "value")).data() == "Rp7.000.000"

    page.table.selectRow(row)  # lend it out
    page.edit_selected()
    form = page.form
    assert form is not None and form.windowTitle() == "Ubah barang"
    form.widgets["loaned_on"].set_value(dt.date(2025, 8, 1))
    form.save()
    assert form.errors.message("borrower") == (
        "Peminjaman menyebut siapa yang meminjam barang: isi Peminjam.")
    type_into(form, borrower="KT Desa Sindangsari")
    form.widgets["due_on"].set_value(dt.date(2025, 8, 8))
    assert form.files is not None and form.files.list.count() == 0  # not listed yet
    form.save()  # at once: it waits for the stored photo instead of saving it away
    qtbot.waitUntil(lambda: page.form is None, timeout=10_000)
    _idle(qtbot, page.ops)
    stored = books.list_page(page.ops.session, INVENTARIS,
                             books.BookQuery(search="Sindangsari")).rows
    assert [(r.get("code"), r.get("due_on")) for r in stored] == [("INV-008",
                                                                  dt.date(2025, 8, 8))]
    assert [f.original_name for f in books.files(page.ops.session, INVENTARIS,
                                                 stored[0].id)] == ["tenda.jpg"]


def test_the_reports_page_draws_the_chart_and_prints_the_list(qtbot: Any, ops: Ops) -> None:
    """Laporan → Pengurus dan struktur organisasi: the chart of the term in force, then the
    Susunan Pengurus, each previewed."""
    from kt_desktop.gui.pages.reports import OfficersForm, ReportsPage
    from tests.test_pengurus import officer
    from tests.test_reports_helpers import pdf_text

    today = dt.date.today()
    for position, name in (("ketua", "Dewi Anggraini"), ("sekretaris", "Rudi Hartono")):
        books.add(ops.session, PENGURUS, officer(
            position, name, term_start=today - dt.timedelta(days=10),
            term_end=today + dt.timedelta(days=1000)))
    page = ReportsPage(ops, None, today=today)
    qtbot.addWidget(page, before_close_func=lambda _w: ops.wait_idle())
    page.resize(1166, 708)
    page.show()
    qtbot.waitExposed(page)
    form = page.choose(OfficersForm)
    assert isinstance(form, OfficersForm)
    page.build()
    _idle(qtbot, ops)
    qtbot.waitUntil(lambda: page.preview.page_count() == 1, timeout=10_000)
    text = pdf_text(page.preview.path)
    assert "STRUKTUR ORGANISASI" in text and "Dewi Anggraini" in text
    form.kind.setCurrentIndex(form.kind.findData("susunan"))
    page.build()
    _idle(qtbot, ops)
    qtbot.waitUntil(lambda: "SUSUNAN PENGURUS" in pdf_text(page.preview.path), timeout=10_000)
    assert "Rudi Hartono" in pdf_text(page.preview.path)
