"""The grid of a book's child rows (``domain.book.ChildRows``) inside the book's form: a
meeting's attendance, its agenda items with their minutes, its follow-ups.

One row per child row, one cell widget per shown field of its declared kind (text, a date,
a choice, several lines, or a record of a lookup picked with search as you type: a member
from the register). Rows are added and removed with the buttons under the grid; the ids of
rows read from the file are kept, so a save changes them instead of adding new ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain.book import CHOICE, DATE, MULTILINE, BookRecord, ChildRows, Field
from kt_desktop.gui.widgets.flow import flush
from kt_desktop.i18n import _

#: How a cell is made, read and written: the book form's own field widgets (a lookup is a
#: combo one can type into, a member found by part of a name), passed in by the form.
Make = Callable[[Field], QWidget]
Read = Callable[[QWidget], Any]
Write = Callable[[QWidget, Any], None]

#: The value a lookup cell should show once its records arrive (kept on the combo).
WANTED = "kt_wanted"


class ChildGrid(QWidget):
    """The rows of one :class:`ChildRows` of a record, edited in place."""

    def __init__(self, child: ChildRows, make: Make, read: Read, write: Write,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.child = child
        self.make, self.read, self.write = make, read, write
        self.choices: dict[str, list[tuple[str, str]]] = {}
        self.keys = list(child.shown)
        self.ids: list[str] = []
        self.table = QTableWidget(0, len(self.keys))
        self.table.setHorizontalHeaderLabels([_(child.field(k).label) for k in self.keys])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(True)
        header = self.table.horizontalHeader()
        for index, key in enumerate(self.keys):
            item = child.field(key)
            wide = item.lookup or item.kind == MULTILINE or (item.kind not in (DATE, CHOICE))
            mode = (QHeaderView.ResizeMode.Stretch if wide
                    else QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(index, mode)
        self.multiline = any(child.field(k).kind == MULTILINE for k in self.keys)
        line = self.fontMetrics().lineSpacing()
        self.row_height = line * 4 + 12 if self.multiline else line + 18
        self.table.verticalHeader().setDefaultSectionSize(self.row_height)
        self.add_button = QPushButton(_("Add a row"))
        self.remove_button = QPushButton(_("Remove the row"))
        self.add_button.clicked.connect(lambda: self.add_row({}, focus=True))
        self.remove_button.clicked.connect(self.remove_current)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = flush(QVBoxLayout(self))
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._fit_height()

    def showEvent(self, event: QShowEvent) -> None:
        self._order_tab()
        super().showEvent(event)

    def _order_tab(self) -> None:
        """Tab goes from the table along its rows, then to "Tambah baris" (issue 23): rows
        made after the form's buttons were reached only after Batal, and Tab looped there.
        Done once the grid is in its window (Qt orders only widgets of one window)."""
        previous: QWidget = self.table
        for row in range(self.table.rowCount()):
            for column in range(len(self.keys)):
                widget = self.table.cellWidget(row, column)
                if widget is not None:
                    QWidget.setTabOrder(previous, widget)
                    previous = widget
        QWidget.setTabOrder(previous, self.add_button)
        QWidget.setTabOrder(self.add_button, self.remove_button)

    @property
    def lookups(self) -> set[str]:
        return {self.child.field(k).lookup for k in self.keys if self.child.field(k).lookup}

    def set_choices(self, lookup: str, choices: list[tuple[str, str]]) -> None:
        """Fill a lookup's records in every row's combo, choosing each row's value."""
        self.choices[lookup] = choices
        for row in range(self.table.rowCount()):
            self._fill_row(row, lookup)

    def _fill_row(self, row: int, lookup: str) -> None:
        for column, key in enumerate(self.keys):
            if self.child.field(key).lookup != lookup:
                continue
            combo = self.table.cellWidget(row, column)
            assert isinstance(combo, QComboBox)
            wanted = combo.property(WANTED) or self.read(combo)
            while combo.count() > 1:  # the first entry is the empty one
                combo.removeItem(1)
            for record_id, label in self.choices.get(lookup, []):
                combo.addItem(label, record_id)
            self.write(combo, wanted)
            combo.setProperty(WANTED, "")

    def add_row(self, values: dict[str, Any], *, row_id: str = "", focus: bool = False) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.ids.append(row_id)
        for column, key in enumerate(self.keys):
            item = self.child.field(key)
            widget = self.make(item)
            widget.setAccessibleName(f"{_(item.label)} {row + 1}")
            value = values.get(key, item.default)
            if item.lookup:
                widget.setProperty(WANTED, str(value or ""))
            else:
                self.write(widget, value)
            self.table.setCellWidget(row, column, widget)
        if self.isVisible():
            self._order_tab()
        for lookup in self.choices:
            self._fill_row(row, lookup)
        self._fit_height()
        if focus:
            self.table.setCurrentCell(row, 0)
            first = self.table.cellWidget(row, 0)
            if first is not None:
                first.setFocus()

    def set_rows(self, records: list[BookRecord]) -> None:
        self.table.setRowCount(0)
        self.ids = []
        for record in records:
            self.add_row(record.values, row_id=record.id)

    def remove_current(self) -> None:
        row = self.table.currentRow()
        if row < 0 and self.table.rowCount():
            row = self.table.rowCount() - 1
        if row >= 0:
            self.table.removeRow(row)
            del self.ids[row]
            self._fit_height()

    def rows(self) -> list[dict[str, Any]]:
        """Every row as typed, with its ``id`` (empty for a new row); an empty row is left
        out (a row added by mistake)."""
        found = []
        for row in range(self.table.rowCount()):
            values = {key: self.read(self.table.cellWidget(row, column))
                      for column, key in enumerate(self.keys)}
            defaults = {key: self.child.field(key).default for key in self.keys}
            if all(v in (None, "") or v == defaults[k] for k, v in values.items()):
                continue
            found.append({"id": self.ids[row], **values})
        return found

    def _fit_height(self) -> None:
        """Tall enough for a few rows, then it scrolls inside the form."""
        shown = min(max(self.table.rowCount(), 2), 3 if self.multiline else 6)
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setMinimumHeight(header + shown * self.row_height + 6)
