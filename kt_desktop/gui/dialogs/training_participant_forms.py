"""Adding people to a training: members picked from the register, or a person of the village
who is not a member (recorded as such — taking part never makes anyone a member).
"""

from __future__ import annotations

import dataclasses

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain import clock
from kt_desktop.domain.errors import KtError
from kt_desktop.domain.formats import number
from kt_desktop.domain.trainings import Participant
from kt_desktop.gui.dialogs.training_form import TrainingDialog, run_write, save_cancel
from kt_desktop.gui.models.training_details import MemberPickerModel
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.widgets import style
from kt_desktop.gui.widgets.confirm import confirm
from kt_desktop.gui.widgets.date_field import DateField
from kt_desktop.gui.widgets.fit import resize_on_screen
from kt_desktop.i18n import _
from kt_desktop.services import trainings as service

SEARCH_DELAY_MS = 150


class NonMemberForm(TrainingDialog):
    """Add or change a participant who is not in the member register."""

    def __init__(
        self,
        ops: Ops,
        training_id: str,
        participant: Participant | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, _("Change participant") if participant else
                         _("Add a participant who is not a member"), 520, parent)
        self.training_id = training_id
        self.original = participant
        note = QLabel(
            _("For young people of the village who are not in the member register. They are "
              "recorded only as participants of this training and do not become members.")
        )
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {style.MUTED};")
        self.name = QLineEdit()
        self.sex = QComboBox()
        self.sex.addItem(_("— choose —"), "")
        self.sex.addItem(_("Male (L)"), "L")
        self.sex.addItem(_("Female (P)"), "P")
        self.birth_date = DateField(optional=True)
        self.nik = QLineEdit()
        self.nik.setPlaceholderText(_("optional, 16 digits"))
        self.nik.setMaxLength(24)
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(_("e.g. 0812-3456-7890"))
        form = QFormLayout()
        form.addRow(_("Name"), self.errors.wrap("name", self.name))
        form.addRow(_("Sex"), self.errors.wrap("sex", self.sex))
        form.addRow(_("Birth date"), self.errors.wrap("birth_date", self.birth_date))
        form.addRow(_("NIK"), self.errors.wrap("nik", self.nik))
        form.addRow(_("Phone"), self.errors.wrap("phone", self.phone))
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        save_cancel(self, self.save, layout)
        if participant is not None:
            self.name.setText(participant.name)
            self.sex.setCurrentIndex(max(self.sex.findData(participant.sex), 0))
            self.birth_date.set_value(participant.birth_date)
            self.nik.setText(participant.nik)
            self.phone.setText(participant.phone)
        self.name.setFocus()

    def participant(self) -> Participant:
        values = {
            "name": self.name.text().strip(),
            "sex": self.sex.currentData() or "",
            "birth_date": self.birth_date.value(),
            "nik": self.nik.text().strip(),
            "phone": self.phone.text().strip(),
        }
        if self.original is not None:
            return dataclasses.replace(self.original, **values)
        return Participant(training_id=self.training_id, **values)

    def save(self, *, confirmed: bool = False) -> None:
        participant = self.participant()
        if not self.checked(participant, clock.today()):
            return

        def refused(exc: KtError) -> bool:
            if exc.code != "nik_mismatch":
                return False
            if confirm(
                self,
                _("Check the NIK"),
                exc.message + "\n\n" + _("Save anyway?"),
                _("Save anyway"),
                no_label=_("Correct the NIK"),
                destructive=False,
            ):
                self.save(confirmed=True)
            else:
                self.nik.setFocus()
            return True

        run_write(
            self, self.ops,
            lambda session: service.save_non_member(session, participant, confirmed=confirmed),
            self.errors, self.saved_as, refused,
        )


class _SearchBox(QLineEdit):
    """Down or Enter moves into the results, so the keyboard never has to leave the home row."""

    def __init__(self, table: QTableView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._table = table

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            model = self._table.model()
            for row in range(model.rowCount()):
                if model.flags(model.index(row, 0)) & Qt.ItemFlag.ItemIsSelectable:
                    self._table.setFocus()
                    self._table.selectRow(row)
                    return
        super().keyPressEvent(event)


class MemberPicker(QDialog):
    """Search the register and add one or more members (Ctrl/Shift to choose several).

    Each addition is saved at once (:attr:`members_added` fires), so the picker stays open
    for the next search.
    """

    members_added = Signal(int)

    def __init__(self, ops: Ops, training_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.training_id = training_id
        self.added = 0
        self._generation = 0
        self.setWindowTitle(_("Add members"))
        resize_on_screen(self, 760, 520)
        self.model = MemberPickerModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.add_selected())
        self.search = _SearchBox(self.table)
        self.search.setPlaceholderText(_("Search members by name or NIK…"))
        self.search.setClearButtonEnabled(True)
        self.status = QLabel()
        self.status.setStyleSheet(f"color: {style.MUTED};")
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _text: self.timer.start())
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.add_button = QPushButton(_("Add selected"))
        self.add_button.setDefault(False)
        self.add_button.setAutoDefault(False)
        buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.add_button.clicked.connect(self.add_selected)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.search.setFocus()
        self.run_search()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter adds the chosen members; it never closes the picker (Esc and Close do).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.table.hasFocus():
                self.add_selected()
            return
        super().keyPressEvent(event)

    def run_search(self) -> None:
        self._generation += 1
        generation = self._generation
        text = self.search.text()

        def found(rows: object) -> None:
            if not shiboken6.isValid(self) or generation != self._generation:
                return
            assert isinstance(rows, list)
            self.model.set_rows(rows)
            if rows:
                self.status.setText(
                    _("{count} members shown. Select and press Enter to add.").format(
                        count=number(len(rows))
                    )
                )
            else:
                self.status.setText(_("No member matches. Check the spelling, or add the "
                                      "person as a non-member."))

        self.ops.query(
            lambda session: service.search_members(session, text, training_id=self.training_id),
            found, parent=self,
        )

    def add_selected(self) -> None:
        ids = []
        for index in self.table.selectionModel().selectedRows():
            row = self.model.row_at(index.row())
            if row is not None and not row.already_in:
                ids.append(row.id)
        if not ids:
            return

        def done(count: object) -> None:
            if not shiboken6.isValid(self):
                return
            self.added += int(count)  # type: ignore[call-overload]
            self.members_added.emit(int(count))  # type: ignore[call-overload]
            self.status.setText(_("{count} members added.").format(count=number(self.added)))
            self.run_search()
            self.search.setFocus()
            self.search.selectAll()

        self.ops.write(lambda session: service.add_members(session, self.training_id, ids), done,
                       parent=self)

    def done(self, result: int) -> None:  # type: ignore[override]
        self.timer.stop()
        super().done(result)
