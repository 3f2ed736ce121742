"""The cash book page edits its list of categories; the form and the filter offer it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox

from kt_desktop.domain.book import book
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.book import BookPage
from kt_desktop.services import books
from tests.gui.conftest import idle, open_book_page

KAS = book("kas")


@pytest.fixture
def page(qtbot: Any, ops: Ops) -> Iterator[BookPage]:
    yield from open_book_page(qtbot, ops, "kas")


def test_a_category_added_to_the_list_is_offered_by_the_form_and_the_filter(
        qtbot: Any, page: BookPage) -> None:
    button = page.choice_buttons["category"]
    assert button.text() == "Daftar kategori…"
    button.click()
    dialog = page.choice_dialog
    idle(qtbot, page.ops)
    assert dialog.editor.names()[:2] == ["Iuran anggota", "Swadaya"]
    dialog.editor.edit.setText("Sewa tenda")
    dialog.editor.add_button.click()
    dialog.editor.list.setCurrentRow(1)  # Swadaya goes
    dialog.editor.remove_button.click()
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    idle(qtbot, page.ops)
    listed = books.choices(page.ops.session, KAS, "category")
    assert ("Sewa tenda", "Sewa tenda") in listed and ("swadaya", "Swadaya") not in listed
    combo = page.filters["category"]
    assert combo.findData("Sewa tenda") > 0 and combo.findData("swadaya") < 0

    page.add_record()
    form = page.form
    assert form is not None
    idle(qtbot, page.ops)
    category = form.widgets["category"]
    assert isinstance(category, QComboBox)
    assert category.findText("Sewa tenda") > 0 and category.findData("swadaya") < 0
    assert category.currentData() == "lainnya"  # the default is still offered
    form.reject()
