"""A book form's member field: typed to search hundreds of members, and a typed name that is
not in the list is named beside the field instead of being saved as nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QComboBox

from kt_desktop.gui.dialogs.book_form import BookForm
from kt_desktop.gui.ops import Ops
from kt_desktop.services import books
from kt_desktop.store import books as book_store
from tests.gui.conftest import idle
from tests.test_book_attachments import DUTY, _member


def test_a_member_is_found_by_part_of_the_name_and_a_stranger_is_refused(
    qtbot: Any, ops: Ops
) -> None:
    session = ops.session
    book_store.create_book_table(session.db(), DUTY)
    siti = _member(session, "Siti Aminah", "Cilaku")
    _member(session, "Budi Santoso", "")
    form = BookForm(ops, DUTY, today=dt.date(2025, 3, 1))
    qtbot.addWidget(form)
    form.show()
    idle(qtbot, ops)
    combo = form.widgets["member_id"]
    assert isinstance(combo, QComboBox) and combo.isEditable()
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "—", "Budi Santoso", "Siti Aminah · Cilaku"]
    completer = combo.completer()
    completer.setCompletionPrefix("amin")  # part of the name, not its start
    assert completer.currentCompletion() == "Siti Aminah · Cilaku"

    combo.setEditText("Siti Rahayu")  # nobody of that name
    form.save()
    assert form.errors.message("member_id") == (
        "Anggota: “Siti Rahayu” tidak ada dalam daftar; ketik sebagian nama lalu pilih dari "
        "daftar.")
    assert books.list_page(session, DUTY, books.BookQuery()).total == 0

    combo.setEditText("Siti Aminah · Cilaku")
    form.save()
    qtbot.waitUntil(lambda: form.saved_id is not None, timeout=10_000)
    assert books.get(session, DUTY, form.saved_id).get("member_id") == siti
