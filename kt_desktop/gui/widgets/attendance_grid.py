"""The attendance grid (daftar hadir): participants × sessions, filled from the keyboard.

A :mod:`~kt_desktop.gui.widgets.code_grid` whose codes are **H**, **I**, **S** and **A**:
typing one sets the cell and moves to the next participant (after the last one, to the top
of the next session); **Space** cycles the code without moving; **Delete**/**Backspace**
empties the cell; the arrow keys move. The last column shows each participant's share of H,
the last row how many were present at each session.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from kt_desktop.domain import clock
from kt_desktop.domain.formats import date_short, number, percent
from kt_desktop.domain.trainings import (
    ATTENDANCE_CODES,
    ATTENDANCE_LABELS,
    PRESENT,
    Participant,
    TrainingSession,
)
from kt_desktop.gui.widgets.code_grid import Cell, CodeGrid, CodeGridModel, CodeGridView
from kt_desktop.i18n import _
from kt_desktop.services.trainings import AttendanceSheet

__all__ = ["AttendanceGrid", "AttendanceModel", "AttendanceView", "Cell"]


#: Cell colours per code: present green, excused blue, sick yellow, absent red (light tints).
CODE_COLOURS = {"H": "#d9f2df", "I": "#dce9f7", "S": "#fbf0c9", "A": "#f8d7d3"}
AttendanceView = CodeGridView


class AttendanceModel(CodeGridModel):
    """Rows: participants, then a totals row. Columns: sessions, then "% present"."""

    codes = ATTENDANCE_CODES
    colours = CODE_COLOURS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.sessions: list[TrainingSession] = []
        self.participants: list[Participant] = []

    def load(
        self,
        sessions: list[TrainingSession],
        participants: list[Participant],
        codes: dict[Cell, str],
        *,
        keep_pending: bool = False,
    ) -> None:
        """Show a stored sheet; with ``keep_pending``, unsaved edits of cells that still
        exist are kept on top of it (a reload after another tab saved something)."""
        pending = self.changes() if keep_pending else {}
        self.beginResetModel()
        self.sessions = list(sessions)
        self.participants = list(participants)
        self._column_ids = [s.id or "" for s in self.sessions]
        self._row_ids = [p.id or "" for p in self.participants]
        self.load_codes(codes, pending)
        self.endResetModel()

    def present_count(self, column: int) -> int:
        session_id = self._column_ids[column]
        return sum(1 for p in self._row_ids if self._codes.get((session_id, p)) == PRESENT)

    def percent(self, row: int) -> float | None:
        """Present in the sessions held so far (not those still to come: a running training
        showed 28,6 % where the participant had come to every session held)."""
        today = clock.today()
        held = [s for s in self.sessions if s.date <= today]
        if not held:
            return None
        held_ids = {s.id or "" for s in held}
        participant_id = self._row_ids[row]
        present = sum(1 for s in self._column_ids
                      if s in held_ids and self._codes.get((s, participant_id)) == PRESENT)
        return present * 100 / len(held)

    def column_total(self, column: int) -> str:
        return number(self.present_count(column))

    def row_total(self, row: int) -> str:
        value = self.percent(row)
        return percent(value)

    def cell_tip(self, row: int, column: int) -> str | None:
        code = self.code_at(row, column)
        meeting = self.sessions[column]
        label = _(ATTENDANCE_LABELS[code]) if code else _("not filled in")
        return f"{self.participants[row].name} — {date_short(meeting.date)}: {label}"

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section <= len(self.sessions):
                return None
            if section == len(self.sessions):
                return _("% present") if role == Qt.ItemDataRole.DisplayRole else None
            meeting = self.sessions[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{section + 1}\n{meeting.date:%d/%m}"
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{date_short(meeting.date)} — {meeting.topic}"
            return None
        if not 0 <= section <= len(self.participants):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == len(self.participants):
                return _("Present (H)")
            return f"{section + 1}. {self.participants[section].name}"
        return None


class AttendanceGrid(CodeGrid):
    """The attendance grid with its hint, its unsaved-changes note and its buttons.

    :attr:`save_wanted` carries the changed cells; the owner saves them and then calls
    :meth:`saved` (the grid itself never writes).
    """

    model: AttendanceModel

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.build(
            AttendanceModel(self),
            hint=_(
                "Type H (hadir), I (izin), S (sakit) or A (alpa): the cell is filled and the "
                "next participant is selected. Space changes the code, Delete empties the "
                "cell, arrows move. Ctrl+S saves."
            ),
            save=_("Save attendance"),
            save_tip=_(
                "Save the attendance typed in the grid (Ctrl+S); it is also saved when you "
                "choose another training or leave the page"
            ),
            saved_text=_("All attendance is saved."),
        )
        self.fill_button = QPushButton(_("Mark all present in this session"))
        self.fill_button.setToolTip(_("Fills the empty cells of the selected session with H."))
        self.fill_button.clicked.connect(self.fill_present)
        self.buttons.insertWidget(0, self.fill_button)  # before Simpan
        self._after_reset()

    def load(self, sheet: AttendanceSheet | None, *, keep_pending: bool = False) -> None:
        """Show ``sheet`` (None: no training chosen, an empty grid), as
        :meth:`AttendanceModel.load` does; the cell being typed in stays current."""
        current = self.view.currentIndex()
        if sheet is None:
            self.model.load([], [], {})
        else:
            self.model.load(sheet.sessions, sheet.participants, sheet.codes,
                            keep_pending=keep_pending)
        if keep_pending and self.model.is_code_cell(current):
            self.view.go_to(current.row(), current.column())

    def empty_text(self) -> str:
        model = self.model
        if not model.sessions and not model.participants:
            return _("Add the sessions and the participants first; the grid appears here.")
        if not model.sessions:
            return _("Add the sessions (tab Sessions) first; each becomes a column.")
        return _("Add the participants (tab Participants) first; each becomes a row.")

    def _after_reset(self) -> None:
        super()._after_reset()
        if hasattr(self, "fill_button"):
            self.fill_button.setEnabled(bool(self.model.sessions and self.model.participants))

    def fill_present(self) -> None:
        """Fill the empty cells of the current session with H (most came; fix the rest)."""
        column = self.view.currentIndex().column()
        if not 0 <= column < len(self.model.sessions):
            column = 0
        for row in range(len(self.model.participants)):
            if not self.model.code_at(row, column):
                self.model.set_code(self.model.index(row, column), PRESENT)
        self.view.setFocus()
