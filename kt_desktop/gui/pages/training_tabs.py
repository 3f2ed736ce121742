"""The five tabs under the trainings list: Pertemuan, Peserta, Daftar hadir, Kelulusan,
Tindak lanjut.

Each tab shows its part of one :class:`~kt_desktop.services.trainings.TrainingDetail` (read
once by the page for all five) and writes through the page's :class:`Ops`; after a write it
emits :attr:`TrainingTab.changed` and the page reads the detail again, so every tab always
shows the same moment of the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain import clock
from kt_desktop.domain.formats import date_short, number
from kt_desktop.domain.trainings import CHECKPOINTS
from kt_desktop.gui.dialogs.training_outcome_form import OutcomeForm
from kt_desktop.gui.dialogs.training_participant_forms import MemberPicker, NonMemberForm
from kt_desktop.gui.dialogs.training_result_form import CertificateForm, ResultForm
from kt_desktop.gui.dialogs.training_session_form import SessionForm
from kt_desktop.gui.models.rows import RowsModel
from kt_desktop.gui.models.training_details import (
    CompletionTableModel,
    FollowUpTableModel,
    ParticipantTableModel,
    SessionTableModel,
)
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.widgets import style
from kt_desktop.gui.widgets.attendance_grid import AttendanceGrid, Cell
from kt_desktop.gui.widgets.columns import keep_main_column
from kt_desktop.gui.widgets.confirm import confirm, inform
from kt_desktop.gui.widgets.flow import flow_row
from kt_desktop.gui.widgets.labels import muted_label
from kt_desktop.gui.widgets.list_parts import record_table
from kt_desktop.i18n import _, ngettext
from kt_desktop.services import trainings as service
from kt_desktop.services.trainings import TrainingDetail


def make_table(model: RowsModel, *, stretch: int, rows: bool = True) -> QTableView:
    table = record_table(model, sortable=False)
    if not rows:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    table.verticalHeader().setDefaultSectionSize(26)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    keep_main_column(table, stretch, chars=14)
    return table


class TrainingTab(QWidget):
    """Base of the tabs: the current detail, a write helper, and :attr:`changed`."""

    changed = Signal()

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.detail: TrainingDetail | None = None
        self.today = clock.today()
        #: The dialog this tab has open (window-modal, not a nested event loop), if any.
        self.dialog: QDialog | None = None
        # The tab's buttons and its one-line summary wrap onto a second line on a narrow
        # screen instead of squeezing "Tambah bukan anggota…" and the count.
        buttons_row, self.buttons = flow_row()
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(8, 8, 8, 8)
        self.body.addWidget(buttons_row)

    def button(self, text: str, slot: Callable[[], None], tip: str = "") -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        if tip:
            button.setToolTip(tip)
        button.clicked.connect(lambda _checked=False: slot())
        self.buttons.addWidget(button)
        return button

    def show_detail(self, detail: TrainingDetail | None, today: dt.date) -> None:
        self.detail = detail
        self.today = today

    def add_summary(self, label: QLabel | None = None) -> QLabel:
        """The tab's one-line count, right of its buttons (``label``, or a plain one)."""
        summary = label or QLabel()
        self.buttons.addStretch(1)
        self.buttons.addWidget(summary)
        return summary

    def list_table(self, model: RowsModel, *, stretch: int, on_enter: Callable[[], None],
                   on_delete: Callable[[], None] | None = None, rows: bool = True
                   ) -> QTableView:
        """The tab's table (:func:`make_table`): Enter or a double-click runs ``on_enter``,
        Delete runs ``on_delete``."""
        table = make_table(model, stretch=stretch, rows=rows)
        table.activated.connect(lambda _index: on_enter())
        if on_delete is not None:
            self.key(table, QKeySequence.StandardKey.Delete, on_delete)
        return table

    def add_table(self, table: QTableView, empty_text: str) -> None:
        """Put ``table`` in the tab, with ``empty_text`` in its place while it has no rows
        (a training was chosen but nothing is recorded in this tab yet)."""
        self.table_stack = QStackedWidget()
        self.table_stack.addWidget(table)
        self.empty = muted_label(empty_text)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table_stack.addWidget(self.empty)
        self.body.addWidget(self.table_stack, 1)

    def show_empty(self, empty: bool) -> None:
        self.table_stack.setCurrentIndex(1 if empty else 0)

    def open_dialog(self, dialog: QDialog, on_accept: Callable[[], None] | None = None) -> None:
        """Show ``dialog`` window-modal; when it is accepted, ``on_accept`` (default: reload)."""
        self.dialog = dialog

        def finished(result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            dialog.deleteLater()
            if result == QDialog.DialogCode.Accepted:
                (on_accept or self.changed.emit)()

        dialog.finished.connect(finished)
        dialog.open()

    def write(self, fn: Callable[..., object]) -> None:
        def done(_result: object) -> None:
            if shiboken6.isValid(self):
                self.changed.emit()

        self.ops.write(fn, done, parent=self)

    def key(self, table: QTableView, sequence: QKeySequence | QKeySequence.StandardKey | str,
            slot: Callable[[], None]) -> QShortcut:
        shortcut = QShortcut(QKeySequence(sequence), table)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(slot)
        return shortcut


class SessionsTab(TrainingTab):
    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(ops, parent)
        self.add_button = self.button(
            _("Add session"), self.add,
            _("Add a meeting of this training: its date, topic and hours"),
        )
        self.edit_button = self.button(
            _("Change"), self.edit, _("Change the date, topic or hours of the selected session "
                                      "(Enter)"),
        )
        self.remove_button = self.button(
            _("Remove"), self.remove,
            _("Remove the selected session with its attendance (Delete)"),
        )
        self.summary = self.add_summary(muted_label())
        self.summary.setWordWrap(False)
        self.model = SessionTableModel(self)
        self.table = self.list_table(self.model, stretch=2, on_enter=self.edit,
                                     on_delete=self.remove)
        self.add_table(self.table, _("No sessions yet — press Add session"))

    def show_detail(self, detail: TrainingDetail | None, today: dt.date) -> None:
        super().show_detail(detail, today)
        sessions = detail.sessions if detail else []
        self.model.set_rows(sessions)
        hours = sum(s.hours for s in sessions)
        self.summary.setText(
            ngettext("{count} session, {hours} hours", "{count} sessions, {hours} hours",
                     len(sessions)).format(count=number(len(sessions)), hours=number(hours))
        )
        self.add_button.setEnabled(detail is not None)
        for button in (self.edit_button, self.remove_button):
            button.setEnabled(bool(sessions))
        self.show_empty(detail is not None and not sessions)

    def add(self) -> None:
        if self.detail is None:
            return
        sessions = self.detail.sessions
        training = self.detail.training
        suggested = training.start_date
        if sessions and training.end_date:
            suggested = min(sessions[-1].date + dt.timedelta(days=7), training.end_date)
        self.open_dialog(SessionForm(self.ops, training, suggested=suggested, parent=self))

    def edit(self) -> None:
        meeting = self.model.row_at(self.table.currentIndex().row())
        if self.detail is None or meeting is None:
            return
        self.open_dialog(SessionForm(self.ops, self.detail.training, meeting, parent=self))

    def remove(self) -> None:
        row = self.table.currentIndex().row()
        meeting = self.model.row_at(row)
        if meeting is None or meeting.id is None:
            return
        if confirm(
            self, _("Remove session"),
            _("Remove session {number} ({date}, {topic})? Its attendance is removed too.")
            .format(number=row + 1, date=date_short(meeting.date), topic=meeting.topic),
            _("Remove"),
        ):
            session_id = meeting.id
            self.write(lambda session: service.remove_session(session, session_id))


class ParticipantsTab(TrainingTab):
    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(ops, parent)
        self.add_members_button = self.button(
            _("Add members…"), self.add_members,
            _("Choose members of the register to take part in this training"),
        )
        self.add_other_button = self.button(
            _("Add a non-member…"), self.add_other,
            _("Add someone who is not in the member register, with name, sex and birth date"),
        )
        self.edit_button = self.button(
            _("Change"), self.edit,
            _("Change the selected non-member participant; a member's data are changed on "
              "the Members page (Enter)"),
        )
        self.remove_button = self.button(
            _("Remove"), self.remove,
            _("Remove the selected participant from this training (Delete)"),
        )
        self.summary = self.add_summary()
        self.model = ParticipantTableModel(self)
        self.table = self.list_table(self.model, stretch=1, on_enter=self.edit,
                                     on_delete=self.remove)
        self.add_table(self.table,
                       _("No participants yet — press Add members… or Add a non-member…"))

    def show_detail(self, detail: TrainingDetail | None, today: dt.date) -> None:
        super().show_detail(detail, today)
        participants = detail.participants if detail else []
        self.model.set_rows(participants)
        members = sum(1 for p in participants if p.is_member)
        text = _("{count} participants ({members} members, {others} non-members)").format(
            count=number(len(participants)), members=number(members),
            others=number(len(participants) - members),
        )
        quota = detail.training.quota if detail else 0
        over = bool(quota) and len(participants) > quota
        if quota:
            text += " · " + _("quota {quota}").format(quota=number(quota))
        if over:
            text += " — " + _("over the quota")
        self.summary.setText(text)
        self.summary.setStyleSheet(f"color: {style.ERROR if over else style.MUTED};")
        for button in (self.add_members_button, self.add_other_button):
            button.setEnabled(detail is not None)
        for button in (self.edit_button, self.remove_button):
            button.setEnabled(bool(participants))
        self.show_empty(detail is not None and not participants)

    def add_members(self) -> None:
        if self.detail is None or self.detail.training.id is None:
            return
        picker = MemberPicker(self.ops, self.detail.training.id, parent=self)
        picker.members_added.connect(lambda _count: self.changed.emit())
        self.open_dialog(picker)

    def add_other(self) -> None:
        if self.detail is None or self.detail.training.id is None:
            return
        self.open_dialog(NonMemberForm(self.ops, self.detail.training.id, parent=self))

    def edit(self) -> None:
        participant = self.model.row_at(self.table.currentIndex().row())
        if participant is None or self.detail is None or self.detail.training.id is None:
            return
        if participant.is_member:
            inform(
                self, _("Member"),
                _("{name} is a member: their details are changed on the Members page.")
                .format(name=participant.name),
            )
            return
        self.open_dialog(
            NonMemberForm(self.ops, self.detail.training.id, participant, parent=self)
        )

    def remove(self) -> None:
        participant = self.model.row_at(self.table.currentIndex().row())
        if participant is None or participant.id is None:
            return
        if confirm(
            self, _("Remove participant"),
            _("Remove {name} from this training? Their attendance and follow-ups are removed "
              "too; a certificate number they had is retired.").format(name=participant.name),
            _("Remove"),
        ):
            participant_id = participant.id
            self.write(lambda session: service.remove_participant(session, participant_id))


class AttendanceTab(TrainingTab):
    """The grid; saving writes every changed cell in one write op."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(ops, parent)
        self.grid = AttendanceGrid(self)
        self.grid.save_wanted.connect(self.save)
        self.body.addWidget(self.grid, 1)
        self._shown_id: str | None = None

    def show_detail(self, detail: TrainingDetail | None, today: dt.date) -> None:
        super().show_detail(detail, today)
        training_id = detail.training.id if detail else None
        same = training_id is not None and training_id == self._shown_id
        self._shown_id = training_id
        self.grid.load(detail.attendance if detail else None, keep_pending=same)

    def pending(self) -> tuple[str, dict[Cell, str | None]] | None:
        """The unsaved cells and the training they belong to, if any."""
        changes = self.grid.model.changes()
        if not changes or self._shown_id is None:
            return None
        return self._shown_id, changes

    def save(self, changes: dict[Cell, str | None]) -> None:
        if self._shown_id is None or not changes:
            return
        training_id = self._shown_id

        def done(_count: object) -> None:
            if not shiboken6.isValid(self):
                return
            if self._shown_id == training_id:
                self.grid.saved(changes)
            self.changed.emit()

        self.ops.write(
            lambda session: service.save_attendance(session, training_id, changes), done,
            parent=self,
        )


class CompletionTab(TrainingTab):
    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(ops, parent)
        self.edit_button = self.button(
            _("Scores and result…"), self.edit,
            _("Enter the pre-test and post-test scores and the result of the selected "
              "participant (Enter)"),
        )
        self.certificate_button = self.button(
            _("Give certificate numbers…"), self.certificates,
            _("Give the next certificate numbers of the year to the graduates who have none "
              "yet; a number is never given twice"),
        )
        self.summary = self.add_summary()
        self.rule = muted_label()
        self.body.addWidget(self.rule)
        self.model = CompletionTableModel(self)
        self.table = self.list_table(self.model, stretch=CompletionTableModel.NOTE,
                                     on_enter=self.edit)
        self.body.addWidget(self.table, 1)

    def waiting(self) -> int:
        """Graduates without a valid number (those the certificate button would number)."""
        return sum(
            1 for row in self.model.rows
            if row.completion.final_pass and not (row.certificate and row.certificate.is_valid)
        )

    def show_detail(self, detail: TrainingDetail | None, today: dt.date) -> None:
        super().show_detail(detail, today)
        sheet = detail.completion if detail else None
        self.model.set_rows(sheet.rows if sheet else [])
        self.edit_button.setEnabled(bool(sheet and sheet.rows))
        if sheet is None:
            self.rule.clear()
            self.summary.clear()
            self.certificate_button.setEnabled(False)
            return
        self.rule.setText(sheet.training.rule.describe())
        numbered = sum(1 for row in sheet.rows if row.certificate and row.certificate.is_valid)
        self.summary.setText(
            _("{passed} of {count} passed · {numbered} with a certificate number").format(
                passed=number(sheet.graduates), count=number(len(sheet.rows)),
                numbered=number(numbered),
            )
        )
        self.summary.setStyleSheet(f"color: {style.MUTED};")
        self.certificate_button.setEnabled(self.waiting() > 0)

    def edit(self) -> None:
        row = self.model.row_at(self.table.currentIndex().row())
        if row is None:
            return
        self.open_dialog(ResultForm(self.ops, row, parent=self))

    def certificates(self) -> None:
        if self.detail is None or self.detail.training.id is None:
            return
        waiting = self.waiting()
        if not waiting:
            return
        self.open_dialog(CertificateForm(self.ops, self.detail.training.id, waiting, parent=self))


class FollowUpTab(TrainingTab):
    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(ops, parent)
        self.record_button = self.button(
            _("Record follow-up…"), self.record,
            _("Record what the selected graduate does 3 or 6 months after the training: "
              "working, own business, further training or not working yet (Enter)"),
        )
        self.remove_button = self.button(
            _("Remove follow-up"), self.remove,
            _("Remove the follow-up in the selected cell (Delete)"),
        )
        self.summary = self.add_summary()
        self.info = muted_label()
        self.body.addWidget(self.info)
        self.model = FollowUpTableModel(self)
        self.table = self.list_table(self.model, stretch=3, rows=False, on_enter=self.record,
                                     on_delete=self.remove)
        keep_main_column(self.table, 4, chars=14)
        self.body.addWidget(self.table, 1)

    def show_detail(self, detail: TrainingDetail | None, today: dt.date) -> None:
        super().show_detail(detail, today)
        sheet = detail.follow_ups if detail else None
        self.model.set_rows(sheet.rows if sheet else [])
        if sheet is None:
            self.info.clear()
            self.summary.clear()
            self.record_button.setEnabled(False)
            self.remove_button.setEnabled(False)
            return
        end = sheet.graduated_on
        self.info.setText(
            _("The training ends on {end}. Graduates are followed up after 3 months (from "
              "{first}) and after 6 months (from {second}): working, own business, further "
              "training or not working yet.").format(
                end=date_short(end),
                first=date_short(sheet.rows[0].due_on[3]) if sheet.rows else "—",
                second=date_short(sheet.rows[0].due_on[6]) if sheet.rows else "—",
            )
            if sheet.rows else
            _("Follow-ups are for graduates. When the training ends and its results are in, "
              "graduates appear here.")
        )
        due = sum(len(row.due) for row in sheet.rows)
        self.summary.setText(
            ngettext("{count} follow-up due", "{count} follow-ups due", due).format(
                count=number(due)
            )
        )
        self.summary.setStyleSheet(f"color: {style.ERROR if due else style.MUTED};")
        self.record_button.setEnabled(bool(sheet.rows))
        self.remove_button.setEnabled(any(row.outcomes for row in sheet.rows))

    def _checkpoint(self) -> int:
        index = self.table.currentIndex()
        months = FollowUpTableModel.checkpoint_of_column(index.column())
        if months is not None:
            return months
        row = self.model.row_at(index.row())
        if row is not None and row.due:
            return row.due[0]
        return CHECKPOINTS[0]

    def record(self) -> None:
        if self.detail is None or self.detail.training.id is None:
            return
        row = self.model.row_at(max(self.table.currentIndex().row(), 0))
        if row is None:
            return
        form = OutcomeForm(
            self.ops, self.detail.training.id, self.detail.follow_ups.graduated_on, row,
            self._checkpoint(), parent=self,
        )
        self.open_dialog(form)

    def remove(self) -> None:
        index = self.table.currentIndex()
        row = self.model.row_at(index.row())
        months = FollowUpTableModel.checkpoint_of_column(index.column())
        if row is None or months is None or months not in row.outcomes:
            return
        outcome = row.outcomes[months]
        if outcome.id and confirm(
            self, _("Remove follow-up"),
            _("Remove the {months}-month follow-up of {name}?").format(
                months=months, name=row.participant.name
            ),
            _("Remove"),
        ):
            outcome_id = outcome.id
            self.write(lambda session: service.remove_outcome(session, outcome_id))
