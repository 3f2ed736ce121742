"""The attendance grid (daftar hadir): participants × sessions, filled from the keyboard.

A paper daftar hadir is filled one meeting at a time, down the list of names, so the grid
works the same way: typing **H**, **I**, **S** or **A** sets the cell and moves to the next
participant (after the last one, to the top of the next session); **Space** cycles the code
without moving; **Delete**/**Backspace** empties the cell; the arrow keys move. The last column
shows each participant's share of H, the last row how many were present at each session.

Edits stay in the model until saved; :meth:`AttendanceModel.changes` gives only the cells that
differ from what was loaded, so the page saves a whole grid in one write.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain import clock
from kt_desktop.domain.formats import date_short, number, percent
from kt_desktop.domain.trainings import (
    ATTENDANCE_CODES,
    ATTENDANCE_LABELS,
    PRESENT,
    Participant,
    TrainingSession,
    next_code,
)
from kt_desktop.gui.widgets import style
from kt_desktop.gui.widgets.fit import header_need
from kt_desktop.gui.widgets.flow import flow_row
from kt_desktop.i18n import _

Index = QModelIndex | QPersistentModelIndex
Cell = tuple[str, str]  # (session_id, participant_id)

#: Cell colours per code: present green, excused blue, sick yellow, absent red (light tints).
CODE_COLOURS = {"H": "#d9f2df", "I": "#dce9f7", "S": "#fbf0c9", "A": "#f8d7d3"}
TOTALS_COLOUR = "#eef1f4"


class AttendanceModel(QAbstractTableModel):
    """Rows: participants, then a totals row. Columns: sessions, then "% present"."""

    edited = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.sessions: list[TrainingSession] = []
        self.participants: list[Participant] = []
        self._loaded: dict[Cell, str] = {}
        self._codes: dict[Cell, str] = {}

    # -- loading and saving ----------------------------------------------------------------
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
        self._loaded = dict(codes)
        self._codes = dict(codes)
        session_ids = {s.id for s in self.sessions}
        participant_ids = {p.id for p in self.participants}
        for (session_id, participant_id), code in pending.items():
            if session_id in session_ids and participant_id in participant_ids:
                self._put((session_id, participant_id), code)
        self.endResetModel()

    def _put(self, cell: Cell, code: str | None) -> None:
        if code:
            self._codes[cell] = code
        else:
            self._codes.pop(cell, None)

    def changes(self) -> dict[Cell, str | None]:
        """Cells that differ from what was loaded (None: emptied)."""
        result: dict[Cell, str | None] = {}
        for cell in set(self._loaded) | set(self._codes):
            if self._loaded.get(cell) != self._codes.get(cell):
                result[cell] = self._codes.get(cell)
        return result

    def is_dirty(self) -> bool:
        return bool(self.changes())

    def mark_saved(self, saved: dict[Cell, str | None]) -> None:
        """Take the saved cells as the new baseline (edits made meanwhile stay pending)."""
        for cell, code in saved.items():
            if code:
                self._loaded[cell] = code
            else:
                self._loaded.pop(cell, None)

    # -- cells -----------------------------------------------------------------------------
    def is_code_cell(self, index: Index) -> bool:
        return (
            index.isValid()
            and index.row() < len(self.participants)
            and index.column() < len(self.sessions)
        )

    def cell(self, index: Index) -> Cell:
        return (
            self.sessions[index.column()].id or "",
            self.participants[index.row()].id or "",
        )

    def code_at(self, row: int, column: int) -> str | None:
        return self._codes.get(self.cell(self.index(row, column)))

    def set_code(self, index: Index, code: str | None) -> bool:
        if not self.is_code_cell(index):
            return False
        cell = self.cell(index)
        if self._codes.get(cell) == code:
            return True
        self._put(cell, code)
        last_row, last_column = len(self.participants), len(self.sessions)
        self.dataChanged.emit(index, index)
        self.dataChanged.emit(
            self.index(index.row(), last_column), self.index(index.row(), last_column)
        )
        self.dataChanged.emit(self.index(last_row, index.column()), self.index(last_row, index.column()))
        self.edited.emit()
        return True

    def present_count(self, column: int) -> int:
        session_id = self.sessions[column].id
        return sum(
            1 for p in self.participants if self._codes.get((session_id or "", p.id or "")) == PRESENT
        )

    def percent(self, row: int) -> float | None:
        """Present in the sessions held so far (not those still to come: a running training
        showed 28,6 % where the participant had come to every session held)."""
        today = clock.today()
        held = [s for s in self.sessions if s.date <= today]
        if not held:
            return None
        participant_id = self.participants[row].id or ""
        present = sum(
            1 for s in held if self._codes.get((s.id or "", participant_id)) == PRESENT
        )
        return present * 100 / len(held)

    # -- Qt --------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or not self.participants:
            return 0
        return len(self.participants) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or not self.sessions:
            return 0
        return len(self.sessions) + 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if self.is_code_cell(index):
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        # Totals are not cells to stand on: the cursor skips disabled cells.
        return Qt.ItemFlag.NoItemFlags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        totals_row = row == len(self.participants)
        percent_column = column == len(self.sessions)
        if not 0 <= row <= len(self.participants) or not 0 <= column <= len(self.sessions):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if totals_row and percent_column:
                return None
            if totals_row:
                return number(self.present_count(column))
            if percent_column:
                value = self.percent(row)
                return percent(value)
            return self.code_at(row, column) or ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if percent_column:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if totals_row or percent_column:
                return QColor(TOTALS_COLOUR)
            code = self.code_at(row, column)
            return QColor(CODE_COLOURS[code]) if code else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(style.TEXT)
        if role == Qt.ItemDataRole.ToolTipRole and not totals_row and not percent_column:
            code = self.code_at(row, column)
            meeting = self.sessions[column]
            label = _(ATTENDANCE_LABELS[code]) if code else _("not filled in")
            return f"{self.participants[row].name} — {date_short(meeting.date)}: {label}"
        return None

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


class AttendanceView(QTableView):
    """The grid's table: letters set codes, Space cycles, Delete empties."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setTabKeyNavigation(False)

    def attendance(self) -> AttendanceModel:
        model = self.model()
        assert isinstance(model, AttendanceModel)
        return model

    def go_to(self, row: int, column: int) -> None:
        index = self.model().index(row, column)
        self.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.scrollTo(index)

    def advance(self) -> None:
        """Next participant in this session; after the last one, the first of the next."""
        model = self.attendance()
        current = self.currentIndex()
        row, column = current.row() + 1, current.column()
        if row >= len(model.participants):
            row, column = 0, column + 1
        if column < len(model.sessions):
            self.go_to(row, column)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        model = self.attendance()
        current = self.currentIndex()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        plain = modifiers in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)
        if model.is_code_cell(current) and plain:
            letter = event.text().upper()
            if letter in ATTENDANCE_CODES:
                model.set_code(current, letter)
                self.advance()
                return
            if event.key() == Qt.Key.Key_Space:
                model.set_code(current, next_code(model.code_at(current.row(), current.column())))
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                model.set_code(current, None)
                return
        super().keyPressEvent(event)


class AttendanceGrid(QWidget):
    """The grid with its hint, its unsaved-changes note and its buttons.

    :attr:`save_wanted` carries the changed cells; the owner saves them and then calls
    :meth:`saved` (the grid itself never writes).
    """

    save_wanted = Signal(object)  # dict[Cell, str | None]; not "dict": Qt would drop tuple keys

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = AttendanceModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.hint = hint = QLabel(
            _(
                "Type H (hadir), I (izin), S (sakit) or A (alpa): the cell is filled and the "
                "next participant is selected. Space changes the code, Delete empties the "
                "cell, arrows move. Ctrl+S saves."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {style.MUTED};")
        layout.addWidget(hint)
        self.view = AttendanceView(self)
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(False)
        horizontal = self.view.horizontalHeader()
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        horizontal.setDefaultSectionSize(58)
        horizontal.setMinimumSectionSize(40)
        vertical = self.view.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        row = max(24, self.view.fontMetrics().height() + 8)  # rows follow the font size
        vertical.setDefaultSectionSize(row)
        # Two header lines and three participants always show; on a short screen the page
        # scrolls rather than leave the sheet without a single row.
        self.view.setMinimumHeight(2 * self.view.fontMetrics().height() + 12 + 3 * row)
        vertical.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        vertical.setMaximumWidth(260)
        layout.addWidget(self.view, 1)

        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.empty.setStyleSheet(f"color: {style.MUTED};")
        layout.addWidget(self.empty, 1)

        # The status above its two buttons, and the buttons in a row that wraps: beside them
        # on a 1024 px screen at 150 % the status was squeezed to three cut lines.
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons, row = flow_row()
        self.fill_button = QPushButton(_("Mark all present in this session"))
        self.fill_button.setToolTip(_("Fills the empty cells of the selected session with H."))
        self.fill_button.clicked.connect(self.fill_present)
        row.addWidget(self.fill_button)
        self.save_button = QPushButton(_("Save attendance"))
        self.save_button.setToolTip(_(
            "Save the attendance typed in the grid (Ctrl+S); it is also saved when you choose "
            "another training or leave the page"
        ))
        self.save_button.clicked.connect(self.request_save)
        row.addWidget(self.save_button)
        layout.addWidget(buttons)
        self.shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        self.shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.shortcut.activated.connect(self.request_save)
        self.model.edited.connect(self._update_status)
        self.model.modelReset.connect(self._after_reset)
        self._after_reset()

    def load(
        self,
        sessions: list[TrainingSession],
        participants: list[Participant],
        codes: dict[Cell, str],
        *,
        keep_pending: bool = False,
    ) -> None:
        current = self.view.currentIndex()
        self.model.load(sessions, participants, codes, keep_pending=keep_pending)
        if keep_pending and self.model.is_code_cell(current):
            self.view.go_to(current.row(), current.column())

    def _after_reset(self) -> None:
        model = self.model
        has_grid = bool(model.sessions and model.participants)
        self.view.setVisible(has_grid)
        self.hint.setVisible(has_grid)
        self.fill_button.setEnabled(has_grid)
        if not model.sessions and not model.participants:
            self.empty.setText(_("Add the sessions and the participants first; the grid "
                                 "appears here."))
        elif not model.sessions:
            self.empty.setText(_("Add the sessions (tab Sessions) first; each becomes a column."))
        elif not model.participants:
            self.empty.setText(_("Add the participants (tab Participants) first; each becomes "
                                 "a row."))
        self.empty.setVisible(not has_grid)
        if has_grid:
            header = self.view.horizontalHeader()
            for column in range(len(model.sessions)):
                header.resizeSection(column, header.defaultSectionSize())
            # never narrower than its title ("% present" is longer than "% hadir")
            header.resizeSection(len(model.sessions),
                                 max(84, header_need(header, len(model.sessions))))
            self.view.resizeRowToContents(0)
            if not self.view.currentIndex().isValid():
                self.view.go_to(0, 0)
        self._update_status()

    def _update_status(self) -> None:
        changed = len(self.model.changes())
        self.save_button.setEnabled(changed > 0)
        if changed:
            self.status.setText(
                _("{count} cells not saved yet.").format(count=number(changed))
            )
            self.status.setStyleSheet(f"color: {style.ERROR};")
        else:
            self.status.setText(_("All attendance is saved."))
            self.status.setStyleSheet(f"color: {style.MUTED};")

    def fill_present(self) -> None:
        """Fill the empty cells of the current session with H (most came; fix the rest)."""
        column = self.view.currentIndex().column()
        if not 0 <= column < len(self.model.sessions):
            column = 0
        for row in range(len(self.model.participants)):
            if not self.model.code_at(row, column):
                self.model.set_code(self.model.index(row, column), PRESENT)
        self.view.setFocus()

    def request_save(self) -> None:
        changes = self.model.changes()
        if changes:
            self.save_wanted.emit(changes)

    def saved(self, changes: dict[Cell, str | None]) -> None:
        self.model.mark_saved(changes)
        self._update_status()
