"""A grid of codes filled from the keyboard: rows × columns, one letter per cell.

The shape both the attendance grid (participants × sessions, H/I/S/A) and the dues grid
(members × months, L for lunas) share. A paper sheet is filled one column at a time, down
the list of names, so typing a code sets the cell and moves to the next row (after the last
one, to the top of the next column); **Space** cycles the code without moving;
**Delete**/**Backspace** empties the cell; the arrow keys move. The last row and the last
column hold totals the subclass computes.

Edits stay in the model until saved: :meth:`CodeGridModel.changes` gives only the cells
that differ from what was loaded, so the owner saves a whole grid in one write.
:class:`CodeGrid` is the grid with its hint, its unsaved-changes note and its save button.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
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

from kt_desktop.domain.formats import number
from kt_desktop.gui.models.rows import Index
from kt_desktop.gui.widgets import style
from kt_desktop.gui.widgets.fit import header_need
from kt_desktop.gui.widgets.flow import flow_row, flush
from kt_desktop.i18n import _

Cell = tuple[str, str]  # (column id, row id)
TOTALS_COLOUR = "#eef1f4"


class CodeGridModel(QAbstractTableModel):
    """Rows, then a totals row; columns, then a totals column. Subclasses name the codes
    (:attr:`codes`, :attr:`colours`), the ids of rows and columns, the headers and totals."""

    edited = Signal()
    #: the letters a cell takes (upper case), in the order Space cycles through them
    codes: tuple[str, ...] = ()
    colours: dict[str, str] = {}

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._loaded: dict[Cell, str] = {}
        self._codes: dict[Cell, str] = {}
        #: the ids of the rows and of the columns, set by the subclass when it loads
        self._row_ids: Sequence[str] = []
        self._column_ids: Sequence[str] = []

    def row_ids(self) -> Sequence[str]:
        return self._row_ids

    def column_ids(self) -> Sequence[str]:
        return self._column_ids

    # -- what a subclass gives -------------------------------------------------------------

    def row_total(self, row: int) -> str:
        """The text of the totals column in ``row``."""
        raise NotImplementedError

    def column_total(self, column: int) -> str:
        """The text of the totals row under ``column``."""
        raise NotImplementedError

    def editable(self, row: int, column: int) -> bool:
        """Whether the cell takes a code (an exempt member's month does not)."""
        return True

    def cell_text(self, row: int, column: int) -> str:
        return self.code_at(row, column) or ""

    def cell_tip(self, row: int, column: int) -> str | None:
        return None

    # -- loading and saving ----------------------------------------------------------------
    def load_codes(self, codes: dict[Cell, str], pending: dict[Cell, str | None]) -> None:
        """Take ``codes`` as stored (call inside begin/endResetModel, after the rows and
        columns are set); ``pending`` edits of cells that still exist stay on top."""
        self._loaded = dict(codes)
        self._codes = dict(codes)
        columns, rows = set(self.column_ids()), set(self.row_ids())
        for (column_id, row_id), code in pending.items():
            if column_id in columns and row_id in rows:
                self._put((column_id, row_id), code)

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
        return (index.isValid() and index.row() < len(self.row_ids())
                and index.column() < len(self.column_ids()))

    def cell(self, index: Index) -> Cell:
        return self.column_ids()[index.column()], self.row_ids()[index.row()]

    def code_at(self, row: int, column: int) -> str | None:
        return self._codes.get((self.column_ids()[column], self.row_ids()[row]))

    def next_code(self, code: str | None) -> str | None:
        """The code after ``code`` when Space cycles: empty → each code → empty."""
        cycle: list[str | None] = [None, *self.codes]
        index = cycle.index(code) if code in cycle else 0
        return cycle[(index + 1) % len(cycle)]

    def set_code(self, index: Index, code: str | None) -> bool:
        if not self.is_code_cell(index) or not self.editable(index.row(), index.column()):
            return False
        cell = self.cell(index)
        if self._codes.get(cell) == code:
            return True
        self._put(cell, code)
        last_row, last_column = len(self.row_ids()), len(self.column_ids())
        self.dataChanged.emit(index, index)
        self.dataChanged.emit(self.index(index.row(), last_column),
                              self.index(index.row(), last_column))
        self.dataChanged.emit(self.index(last_row, index.column()),
                              self.index(last_row, index.column()))
        self.edited.emit()
        return True

    # -- Qt --------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or not self.row_ids():
            return 0
        return len(self.row_ids()) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or not self.column_ids():
            return 0
        return len(self.column_ids()) + 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if self.is_code_cell(index) and self.editable(index.row(), index.column()):
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        # Totals (and cells that take no code) are not cells to stand on: the cursor skips
        # disabled cells.
        return Qt.ItemFlag.NoItemFlags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        rows, columns = len(self.row_ids()), len(self.column_ids())
        if not 0 <= row <= rows or not 0 <= column <= columns:
            return None
        totals_row, totals_column = row == rows, column == columns
        if role == Qt.ItemDataRole.DisplayRole:
            if totals_row and totals_column:
                return None
            if totals_row:
                return self.column_total(column)
            if totals_column:
                return self.row_total(row)
            return self.cell_text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if totals_column:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if totals_row or totals_column or not self.editable(row, column):
                return QColor(TOTALS_COLOUR)
            code = self.code_at(row, column)
            return QColor(self.colours[code]) if code in self.colours else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(style.TEXT)
        if role == Qt.ItemDataRole.ToolTipRole and not totals_row and not totals_column:
            return self.cell_tip(row, column)
        return None


class CodeGridView(QTableView):
    """The grid's table: letters set codes and move down, Space cycles, Delete empties."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setTabKeyNavigation(False)

    def grid(self) -> CodeGridModel:
        model = self.model()
        assert isinstance(model, CodeGridModel)
        return model

    def go_to(self, row: int, column: int) -> None:
        index = self.model().index(row, column)
        self.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.scrollTo(index)

    def advance(self) -> None:
        """The next row's cell that takes a code in this column; after the last row, the
        first of the next column."""
        model = self.grid()
        current = self.currentIndex()
        rows, columns = len(model.row_ids()), len(model.column_ids())
        row, column = current.row(), current.column()
        while True:
            row += 1
            if row >= rows:
                row, column = 0, column + 1
            if column >= columns:
                return
            if model.editable(row, column):
                self.go_to(row, column)
                return

    def keyPressEvent(self, event: QKeyEvent) -> None:
        model = self.grid()
        current = self.currentIndex()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        plain = modifiers in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)
        if model.is_code_cell(current) and plain:
            letter = event.text().upper()
            if letter and letter in model.codes:
                model.set_code(current, letter)
                self.advance()
                return
            if event.key() == Qt.Key.Key_Space:
                model.set_code(current, model.next_code(
                    model.code_at(current.row(), current.column())))
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                model.set_code(current, None)
                return
        super().keyPressEvent(event)


class CodeGrid(QWidget):
    """The grid with its hint, an empty-state note, its unsaved-changes note and buttons.

    :attr:`save_wanted` carries the changed cells; the owner saves them and then calls
    :meth:`saved` (the grid itself never writes). A subclass makes :attr:`model`, then
    calls :meth:`build` with its texts, and may add buttons to :attr:`buttons`.
    """

    save_wanted = Signal(object)  # dict[Cell, str | None]; not "dict": Qt would drop tuple keys
    model: CodeGridModel

    def build(self, model: CodeGridModel, *, hint: str, save: str, save_tip: str,
              saved_text: str, totals_width: int = 84) -> None:
        self.model = model
        self.saved_text = saved_text
        self.totals_width = totals_width
        layout = flush(QVBoxLayout(self))
        self.hint = QLabel(hint)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"color: {style.MUTED};")
        layout.addWidget(self.hint)
        self.view = CodeGridView(self)
        self.view.setModel(model)
        self.view.setAlternatingRowColors(False)
        horizontal = self.view.horizontalHeader()
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        horizontal.setDefaultSectionSize(58)
        horizontal.setMinimumSectionSize(40)
        vertical = self.view.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        row = max(24, self.view.fontMetrics().height() + 8)  # rows follow the font size
        vertical.setDefaultSectionSize(row)
        # Two header lines and three rows always show; on a short screen the page scrolls
        # rather than leave the sheet without a single row.
        self.view.setMinimumHeight(2 * self.view.fontMetrics().height() + 12 + 3 * row)
        vertical.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        vertical.setMaximumWidth(260)
        layout.addWidget(self.view, 1)

        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.empty.setStyleSheet(f"color: {style.MUTED};")
        layout.addWidget(self.empty, 1)

        # The status above the buttons, and the buttons in a row that wraps: beside them on a
        # 1024 px screen at 150 % the status was squeezed to three cut lines.
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        row, self.buttons = flow_row()
        self.save_button = QPushButton(save)
        self.save_button.setToolTip(save_tip)
        self.save_button.clicked.connect(self.request_save)
        self.buttons.addWidget(self.save_button)
        layout.addWidget(row)
        self.shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        self.shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.shortcut.activated.connect(self.request_save)
        model.edited.connect(self._update_status)
        model.modelReset.connect(self._after_reset)

    def empty_text(self) -> str:
        """What the page shows instead of a grid without rows or columns."""
        return ""

    def _after_reset(self) -> None:
        model = self.model
        has_grid = bool(model.row_ids() and model.column_ids())
        self.view.setVisible(has_grid)
        self.hint.setVisible(has_grid)
        if not has_grid:
            self.empty.setText(self.empty_text())
        self.empty.setVisible(not has_grid)
        if has_grid:
            header = self.view.horizontalHeader()
            columns = len(model.column_ids())
            for column in range(columns):
                header.resizeSection(column, header.defaultSectionSize())
            # never narrower than its title
            header.resizeSection(columns, max(self.totals_width, header_need(header, columns)))
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
            self.status.setText(self.saved_text)
            self.status.setStyleSheet(f"color: {style.MUTED};")

    def request_save(self) -> None:
        changes = self.model.changes()
        if changes:
            self.save_wanted.emit(changes)

    def saved(self, changes: dict[Cell, str | None]) -> None:
        self.model.mark_saved(changes)
        self._update_status()
