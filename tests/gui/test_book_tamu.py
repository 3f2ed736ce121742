"""The Buku Tamu page and form, driven through real widgets as a secretary would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from kt_desktop.domain.book import book
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.book import BookPage
from kt_desktop.services import books
from tests.gui.conftest import enter_on_first_row, open_book_page, type_into
from tests.gui.conftest import idle as _idle
from tests.gui.message_boxes import answer_boxes

TAMU = book("tamu")


@pytest.fixture
def page(qtbot: Any, ops: Ops) -> Iterator[BookPage]:
    yield from open_book_page(qtbot, ops, "tamu")


def test_add_a_guest_search_remove_and_see_the_empty_state(
    qtbot: Any, page: BookPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert page.stack.currentWidget() is page.empty
    assert page.empty.text() == (
        "Buku Tamu masih kosong \u2014 tekan Ctrl+N untuk mencatat tamu pertama.")
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = page.form
    assert form is not None, "Ctrl+N opens the form"
    assert form.windowTitle() == "Tambah tamu"
    assert form.widgets["visit_date"].value() is not None  # a new guest comes today

    form.save()  # nothing typed: each problem beside its field, nothing stored
    assert form.errors.message("name") == "Nama wajib diisi."
    assert form.errors.message("purpose") == "Keperluan wajib diisi."
    type_into(form, name="Budi Santoso", origin="Dinas Sosial",
              purpose="Koordinasi bantuan sosial", phone="0812-abc")
    form.save()
    assert "hanya boleh berisi angka" in form.errors.message("phone")
    assert form.errors.message("name") == ""
    type_into(form, phone="0812 3456 7890")
    form.save()
    qtbot.waitUntil(lambda: page.form is None, timeout=10_000)
    _idle(qtbot, page.ops)
    assert page.stack.currentWidget() is page.table
    assert page.model.rowCount() == 1 and page.count_label.text() == "1 tamu"
    assert page.model.index(0, 1).data() == "Budi Santoso"
    assert page.model.index(0, 5).data() == "081234567890"

    qtbot.keyClicks(page.search, "zzz")
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.empty, timeout=5_000)
    assert page.empty.text() == "Tidak ada yang cocok dengan pencarian atau saringan."
    page.search.clear()
    qtbot.keyClicks(page.search, "sosial")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and page.search.text() == "sosial"
                    and page.stack.currentWidget() is page.table, timeout=5_000)
    _idle(qtbot, page.ops)

    answers = answer_boxes(monkeypatch, press="Hapus")
    page.table.selectRow(0)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert answers.asked == ["Hapus \u201cBudi Santoso\u201d dari Buku Tamu?"]
    assert not answers.english_buttons()
    _idle(qtbot, page.ops)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.empty, timeout=5_000)
    page.search.clear()
    qtbot.waitUntil(lambda: page.empty.text().startswith("Buku Tamu masih kosong"),
                    timeout=5_000)
    assert books.list_page(page.ops.session, TAMU, books.BookQuery()).total == 0

    assert page.undo_button.isEnabled()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.undo_button.setFocus()
    qtbot.keyClick(page.undo_button, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    _idle(qtbot, page.ops)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5_000)  # brought back


def test_enter_opens_the_guest_and_an_edit_is_saved(qtbot: Any, page: BookPage) -> None:
    books.add(page.ops.session, TAMU, {"visit_date": dt.date(2025, 5, 2), "name": "Siti",
                                       "purpose": "Rapat"})
    form = enter_on_first_row(qtbot, page)
    assert form.windowTitle() == "Ubah tamu"
    type_into(form, met_with="Sekretaris")
    form.save()
    qtbot.waitUntil(lambda: page.form is None, timeout=10_000)
    _idle(qtbot, page.ops)
    assert page.model.index(0, 4).data() == "Sekretaris"
    assert page.filters["met_with"].findText("Sekretaris") > 0
    assert page.filters["visit_date"].findText("2025") > 0


def test_print_export_and_import_from_the_page(
    qtbot: Any, page: BookPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    books.add(page.ops.session, TAMU, {"visit_date": dt.date(2025, 5, 2), "name": "Siti",
                                       "purpose": "Rapat"})
    page.refresh()
    _idle(qtbot, page.ops)
    paths = {"print": tmp_path / "tamu.pdf", "export": tmp_path / "tamu.xlsx",
             "import": tmp_path / "tamu.xlsx"}
    monkeypatch.setattr(page, "ask_path", lambda purpose: paths[purpose])
    page.print_book()
    qtbot.waitUntil(lambda: page.status.text().startswith("Disimpan"), timeout=20_000)
    assert paths["print"].read_bytes()[:4] == b"%PDF"
    page.export_book()
    qtbot.waitUntil(lambda: "1 baris ditulis" in page.status.text(), timeout=10_000)
    answers = answer_boxes(monkeypatch, press="Impor")
    page.import_book()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)
    assert answers.asked[0].startswith("1 baris akan ditambahkan; 0 baris ditolak.")
