"""Pelatihan page driven through real widgets, as a secretary would: record a training with
its sessions and participants, fill the attendance grid from the keyboard, give certificate
numbers, record a follow-up; and every table model passes qtmodeltester."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from kt_desktop.domain import clock
from kt_desktop.domain.trainings import EMPLOYED, Participant, Training, TrainingSession
from kt_desktop.gui.dialogs.training_form import TrainingForm
from kt_desktop.gui.dialogs.training_outcome_form import OutcomeForm
from kt_desktop.gui.dialogs.training_participant_forms import MemberPicker, NonMemberForm
from kt_desktop.gui.dialogs.training_result_form import CertificateForm
from kt_desktop.gui.dialogs.training_session_form import SessionForm
from kt_desktop.gui.models.training_details import (
    CompletionTableModel,
    FollowUpTableModel,
    MemberPickerModel,
    ParticipantTableModel,
    SessionTableModel,
)
from kt_desktop.gui.models.training_table import TrainingTableModel
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages import training_tabs
from kt_desktop.gui.pages import trainings as trainings_page
from kt_desktop.gui.pages.trainings import TrainingsPage
from kt_desktop.gui.widgets.attendance_grid import AttendanceModel
from kt_desktop.services import demo_members, demo_trainings
from kt_desktop.services import trainings as service
from kt_desktop.services.session import Session
from tests.gui.conftest import ops_on, show_page

TODAY = clock.today()
#: A training that ended long enough ago for its 3-month follow-up to be due.
START = TODAY - dt.timedelta(days=130)
END = TODAY - dt.timedelta(days=100)


@pytest.fixture
def ops(village_session: Session) -> Iterator[Ops]:
    demo_members.fill(village_session, random.Random(5), TODAY, members=12, months=1)
    yield from ops_on(village_session)


def _idle(qtbot: Any, ops: Ops) -> None:
    qtbot.waitUntil(lambda: not ops.busy(), timeout=10_000)


@pytest.fixture
def page(qtbot: Any, ops: Ops) -> Iterator[TrainingsPage]:
    widget = show_page(qtbot, ops, TrainingsPage(ops, None, today=TODAY), (1186, 740))
    yield widget
    for dialog in [widget.form, *(tab.dialog for tab in widget.tab_list)]:
        if dialog is not None:
            dialog.reject()
    _idle(qtbot, ops)


def _activate(qtbot: Any, widget: Any) -> None:
    """Keyboard shortcuts reach only the active window."""
    with qtbot.waitActive(widget):
        widget.activateWindow()


def _dialog(qtbot: Any, tab: training_tabs.TrainingTab, kind: type) -> Any:
    qtbot.waitUntil(lambda: isinstance(tab.dialog, kind), timeout=5_000)
    return tab.dialog


def _save(qtbot: Any, page: TrainingsPage, dialog: QDialog) -> None:
    """Press Save and wait until the write went through and the page re-read the training."""
    from PySide6.QtWidgets import QDialogButtonBox

    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    button = box.button(QDialogButtonBox.StandardButton.Save) or box.button(
        QDialogButtonBox.StandardButton.Ok
    )
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(),
                    timeout=5_000)
    _idle(qtbot, page.ops)


def test_record_a_training_run_its_attendance_with_the_keyboard_and_follow_up(
    qtbot: Any, page: TrainingsPage, ops: Ops
) -> None:
    assert page.list_stack.currentWidget() is page.empty
    assert page.empty.text() == "Belum ada pelatihan — tekan Ctrl+N untuk mencatat pelatihan"

    # Ctrl+N: the form; saving without a title puts the message beside the title.
    _activate(qtbot, page)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.form is not None, timeout=5_000)
    form = page.form
    assert isinstance(form, TrainingForm)
    qtbot.mouseClick(form.buttons.button(form.buttons.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    assert form.errors.message("title") == "Judul pelatihan wajib diisi."
    assert form.focusWidget() is form.title
    qtbot.keyClicks(form.title, "Pelatihan Menjahit Dasar")
    form.skill_field.setCurrentText("Menjahit")
    qtbot.keyClicks(form.organizer, "Karang Taruna Tunas Harapan")
    form.partner_kind.setCurrentIndex(form.partner_kind.findData("blk"))
    qtbot.keyClicks(form.partner, "BLK Serang")
    form.start_date.set_value(START)
    form.end_date.set_value(END)
    form.quota.setValue(20)
    _save(qtbot, page, form)
    assert page.form is None
    assert page.model.rowCount() == 1 and page.current_id is not None
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5_000)
    assert "Pelatihan Menjahit Dasar" in page.heading.text()

    # Four sessions, through the session form.
    page.tabs.setCurrentWidget(page.sessions_tab)
    for number in range(4):
        qtbot.mouseClick(page.sessions_tab.add_button, Qt.MouseButton.LeftButton)
        session_form = _dialog(qtbot, page.sessions_tab, SessionForm)
        session_form.date.set_value(START + dt.timedelta(days=7 * number))
        qtbot.keyClicks(session_form.topic, f"Materi {number + 1}")
        _save(qtbot, page, session_form)
        qtbot.waitUntil(lambda n=number: page.sessions_tab.model.rowCount() == n + 1,
                        timeout=5_000)
    assert "4 pertemuan" in page.sessions_tab.summary.text()

    # Two members from the register (search, Enter), one young person who is not a member.
    db = ops.session.db()
    names = [row[0] for row in db.execute(
        "SELECT name FROM members WHERE status != 'keluar' ORDER BY name LIMIT 2"
    ).fetchall()]
    members_before = db.execute("SELECT count(*) FROM members").fetchone()[0]
    page.tabs.setCurrentWidget(page.participants_tab)
    qtbot.mouseClick(page.participants_tab.add_members_button, Qt.MouseButton.LeftButton)
    picker = _dialog(qtbot, page.participants_tab, MemberPicker)
    for name in names:
        picker.search.clear()
        qtbot.keyClicks(picker.search, name)
        qtbot.waitUntil(lambda n=name: any(r.name == n for r in picker.model.rows), timeout=5_000)
        _idle(qtbot, ops)
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)  # into the results
        assert picker.table.hasFocus()
        qtbot.keyClick(picker.table, Qt.Key.Key_Return)  # adds the selected member
        _idle(qtbot, ops)
    assert picker.added == 2
    picker.reject()
    _idle(qtbot, ops)
    qtbot.mouseClick(page.participants_tab.add_other_button, Qt.MouseButton.LeftButton)
    other = _dialog(qtbot, page.participants_tab, NonMemberForm)
    qtbot.keyClicks(other.name, "Dewi Lestari")
    other.sex.setCurrentIndex(other.sex.findData("P"))
    qtbot.keyClicks(other.phone, "0812-3456-7890")
    _save(qtbot, page, other)
    qtbot.waitUntil(lambda: page.participants_tab.model.rowCount() == 3, timeout=5_000)
    assert [p.name for p in page.participants_tab.model.rows] == [*names, "Dewi Lestari"]
    assert db.execute("SELECT count(*) FROM members").fetchone()[0] == members_before

    # The attendance grid, from the keyboard: each letter fills a cell and moves down the
    # session; after the last participant the next session begins.
    page.tabs.setCurrentWidget(page.attendance_tab)
    grid = page.attendance_tab.grid
    view = grid.view
    qtbot.waitUntil(lambda: grid.model.rowCount() == 4, timeout=5_000)  # 3 people + totals
    _activate(qtbot, page)
    view.setFocus()
    view.go_to(0, 0)
    for key in "hha" "hih" "hsa" "h":
        qtbot.keyClick(view, key)
    assert view.currentIndex().row() == 1 and view.currentIndex().column() == 3
    qtbot.keyClick(view, Qt.Key.Key_Space)  # empty -> H, stays on the cell
    qtbot.keyClick(view, Qt.Key.Key_Space)  # H -> I
    assert grid.model.code_at(1, 3) == "I"
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Delete)  # nothing to empty; stays empty
    assert grid.model.code_at(2, 3) is None
    assert "belum disimpan" in grid.status.text()
    qtbot.keyClick(view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    _idle(qtbot, ops)
    qtbot.waitUntil(lambda: not grid.model.is_dirty(), timeout=5_000)
    assert grid.status.text() == "Semua isian daftar hadir sudah disimpan."

    training_id = page.current_id
    assert training_id
    sheet = service.load_attendance(ops.session, training_id)
    by_name = {p.name: p.id for p in sheet.participants}
    stored = {
        name: "".join(sheet.codes.get((s.id, pid), ".") for s in sheet.sessions)
        for name, pid in by_name.items()
    }
    assert stored == {names[0]: "HHHH", names[1]: "HISI", "Dewi Lestari": "AHA."}
    model = grid.model
    pct = [model.data(model.index(row, 4)) for row in range(3)]
    assert pct == ["100%", "25%", "25%"]
    assert [model.data(model.index(3, column)) for column in range(4)] == ["2", "2", "1", "1"]

    # Completion: only the first passes (75 % H); a certificate number for the graduate.
    page.tabs.setCurrentWidget(page.completion_tab)
    qtbot.waitUntil(lambda: page.completion_tab.waiting() == 1, timeout=5_000)
    assert "1 dari 3 lulus" in page.completion_tab.summary.text()
    qtbot.mouseClick(page.completion_tab.certificate_button, Qt.MouseButton.LeftButton)
    certificate_form = _dialog(qtbot, page.completion_tab, CertificateForm)
    certificate_form.issued_on.set_value(dt.date(2026, 11, 3))
    _save(qtbot, page, certificate_form)
    qtbot.waitUntil(lambda: page.completion_tab.waiting() == 0, timeout=5_000)
    first = page.completion_tab.model.rows[0]
    assert first.certificate is not None
    assert first.certificate.number == "001/SERT-PLT/KT-TH/XI/2026"

    # Follow-up: the graduate's 3-month follow-up is due; record that she works.
    page.tabs.setCurrentWidget(page.follow_up_tab)
    tab = page.follow_up_tab
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=5_000)
    assert "1 tindak lanjut jatuh tempo" in tab.summary.text()
    tab.table.setFocus()
    tab.table.setCurrentIndex(tab.model.index(0, 3))
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    outcome_form = _dialog(qtbot, tab, OutcomeForm)
    assert outcome_form.checkpoint.currentData() == 3
    outcome_form.status.setCurrentIndex(outcome_form.status.findData(EMPLOYED))
    assert outcome_form.detail_label.text() == "Tempat bekerja"
    qtbot.keyClicks(outcome_form.detail, "Konveksi Berkah Jaya, Serang")
    outcome_form.income.setValue(2_500_000)
    _save(qtbot, page, outcome_form)
    qtbot.waitUntil(lambda: bool(tab.model.rows and tab.model.rows[0].outcomes), timeout=5_000)
    text = tab.model.data(tab.model.index(0, 3))
    assert text == "Bekerja: Konveksi Berkah Jaya, Serang (Rp2.500.000)"
    assert "0 tindak lanjut jatuh tempo" in tab.summary.text()
    followups = service.follow_up_sheet(ops.session, training_id)
    assert followups.rows[0].outcomes[3].monthly_income == 2_500_000


def test_filters_search_and_remove(
    qtbot: Any, page: TrainingsPage, ops: Ops, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ops.session.db().atomic():
        demo_trainings.fill(ops.session, random.Random(2), TODAY, members=12, months=12)
    page.refresh()
    _idle(qtbot, ops)
    assert page.model.rowCount() == 3
    assert page.count.text() == "3 pelatihan"
    _activate(qtbot, page)
    qtbot.keyClick(page, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "barista")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5_000)
    _idle(qtbot, ops)
    assert page.model.summary(0).title == "Pelatihan Barista"
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=5_000)
    page.status.setCurrentIndex(page.status.findData("running"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5_000)
    _idle(qtbot, ops)
    assert page.model.summary(0).title == "Kewirausahaan Digital UMKM"
    page.status.setCurrentIndex(0)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=5_000)
    _idle(qtbot, ops)

    # Delete on the list asks first, naming the training; Cancel keeps it.
    asked: list[str] = []
    monkeypatch.setattr(trainings_page, "confirm",
                        lambda _p, _t, text, _a: asked.append(text) or False)
    page.table.setFocus()
    page.table.selectRow(0)
    _idle(qtbot, ops)
    title = page.model.summary(0).title
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert title in asked[0]
    _idle(qtbot, ops)
    assert page.model.rowCount() == 3
    monkeypatch.setattr(trainings_page, "confirm", lambda *_args: True)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    _idle(qtbot, ops)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5_000)
    _idle(qtbot, ops)
    assert title not in [page.model.summary(r).title for r in range(2)]


def test_unsaved_attendance_is_saved_when_another_training_is_chosen(
    qtbot: Any, page: TrainingsPage, ops: Ops
) -> None:
    session = ops.session
    ids = []
    for title in ("Pelatihan Las", "Pelatihan Tata Rias"):
        training_id = service.save_training(session, Training(
            title=title, skill_field="Las", start_date=START, end_date=END))
        service.save_session(session, TrainingSession(training_id, START, "Materi 1"))
        service.save_non_member(session, Participant(training_id, name="Eka", sex="L"))
        ids.append(training_id)
    page.refresh()
    _idle(qtbot, ops)
    row = page.model.row_of(ids[0])
    page.table.selectRow(row)
    _idle(qtbot, ops)
    page.tabs.setCurrentWidget(page.attendance_tab)
    view = page.attendance_tab.grid.view
    view.setFocus()
    view.go_to(0, 0)
    qtbot.keyClick(view, "h")
    page.table.selectRow(page.model.row_of(ids[1]))
    _idle(qtbot, ops)
    assert list(service.load_attendance(session, ids[0]).codes.values()) == ["H"]


def test_models_pass_qtmodeltester(qtmodeltester: Any, ops: Ops) -> None:
    session = ops.session
    with session.db().atomic():
        demo_trainings.fill(session, random.Random(4), TODAY, members=12, months=12)
    rows = service.list_trainings(session)
    table = TrainingTableModel()
    table.reset_rows(rows[:2], len(rows), TODAY)
    qtmodeltester.check(table, force_py=True)
    finished = next(row for row in rows if row.end_date < TODAY)
    detail = service.detail(session, finished.id)
    for model, items in (
        (SessionTableModel(), detail.sessions),
        (ParticipantTableModel(), detail.participants),
        (CompletionTableModel(), detail.completion.rows),
        (FollowUpTableModel(), detail.follow_ups.rows),
        (MemberPickerModel(), service.search_members(session, "", training_id=finished.id)),
    ):
        model.set_rows(items)
        assert model.rowCount() > 0
        qtmodeltester.check(model, force_py=True)
    grid = AttendanceModel()
    sheet = detail.attendance
    grid.load(sheet.sessions, sheet.participants, sheet.codes)
    qtmodeltester.check(grid, force_py=True)
