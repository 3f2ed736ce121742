"""The Program Kerja page: a line typed in the framework's form, an activity linked to it in
the activity form, and the plan set beside its realisation below the list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from kt_desktop.domain import activities as rules
from kt_desktop.domain.activities import Activity
from kt_desktop.domain.book import book
from kt_desktop.gui.dialogs.activity_form import ActivityForm
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.program_kerja import ProgramKerjaPage
from kt_desktop.services import activities, books
from tests.gui.conftest import idle, open_book_page

PROGRAM = book("program-kerja")
TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def page(qtbot: Any, ops: Ops) -> Iterator[ProgramKerjaPage]:
    yield from open_book_page(qtbot, ops, "program-kerja", ProgramKerjaPage)


def test_a_line_typed_in_the_form_then_carried_out(qtbot: Any, page: ProgramKerjaPage) -> None:
    assert page.empty.text().startswith("Program Kerja masih kosong")
    page.add_record()
    form = page.form
    assert form is not None
    assert form.widgets["year"].value() == dt.date.today().year  # type: ignore[attr-defined]
    form.widgets["year"].setValue(2026)  # type: ignore[attr-defined]
    form.widgets["section"].setText("Seksi Pelayanan Sosial")  # type: ignore[attr-defined]
    form.widgets["activity"].setText("Posyandu dan PMT balita")  # type: ignore[attr-defined]
    form.widgets["months"].setText("Maret, Pebruarii")  # type: ignore[attr-defined]
    form.widgets["budget"].setText("1,5 jt")  # type: ignore[attr-defined]
    form.save()
    assert "bukan nama bulan" in form.errors.message("months")
    form.widgets["months"].setText("9-11")  # type: ignore[attr-defined]
    form.save()
    qtbot.waitUntil(lambda: page.form is None, timeout=10_000)
    idle(qtbot, page.ops)
    assert page.model.rowCount() == 1
    columns = [c.field for c in PROGRAM.columns]
    assert page.model.index(0, columns.index("year")).data() == "2026"
    assert page.model.index(0, columns.index("months")).data() == "September–November"
    assert page.model.index(0, columns.index("budget")).data() == "Rp1.500.000"
    assert "0 dari 3 kegiatan" in page.totals_label.text()

    # the activity form offers the line; the saved activity carries it out
    activity_form = ActivityForm(page.ops, None, page, today=TODAY)
    qtbot.addWidget(activity_form)
    idle(qtbot, page.ops)
    combo = activity_form.program_combo
    assert combo.itemText(0) == "Tidak termasuk program kerja"
    assert combo.itemText(1) == "2026 · Seksi Pelayanan Sosial · Posyandu dan PMT balita"
    activity_form.title_edit.setText("Posyandu Oktober")
    activity_form.kind_combo.setEditText("Pemberian makanan bergizi / PMT balita")
    activity_form.status_combo.setCurrentIndex(
        activity_form.status_combo.findData(rules.TERLAKSANA))
    activity_form.start_date.set_value(dt.date(2026, 10, 14))
    combo.setCurrentIndex(1)
    with qtbot.waitSignal(activity_form.finished, timeout=10_000):
        qtbot.mouseClick(activity_form.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, page.ops)
    saved = activities.get(page.ops.session, str(activity_form.saved_id))
    assert saved.program_line == page.model.row_at(0).id  # type: ignore[union-attr]

    page.refresh()
    idle(qtbot, page.ops)
    assert "1 dari 3 kegiatan" in page.totals_label.text()
    page.table.selectRow(0)
    assert "14/10/2026" in page.line_label.text()


def test_an_activity_opened_again_keeps_its_line(qtbot: Any, page: ProgramKerjaPage) -> None:
    session = page.ops.session
    line = books.add(session, PROGRAM, {"year": 2026, "section": "Seksi Olahraga",
                                        "activity": "Turnamen voli", "months": "8"})
    other = books.add(session, PROGRAM, {"year": 2026, "section": "Seksi Olahraga",
                                         "activity": "Senam", "months": "9"})
    saved = activities.save(session, Activity(
        title="Voli", kind="Olahraga", status=rules.TERLAKSANA, start=dt.date(2026, 8, 17),
        program_line=other), today=TODAY)
    form = ActivityForm(page.ops, saved, page, today=TODAY)
    qtbot.addWidget(form)
    idle(qtbot, page.ops)
    assert form.program_combo.currentData() == other
    form.program_combo.setCurrentIndex(form.program_combo.findData(line))
    with qtbot.waitSignal(form.finished, timeout=10_000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, page.ops)
    assert activities.get(session, saved).program_line == line
