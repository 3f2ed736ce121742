"""The grid of a book's child rows (``domain.book.ChildRows``) inside the book's form: a
meeting's attendance, its agenda items with their minutes, its follow-ups.

One row per child row, one cell widget per shown field of its declared kind (text, a date,
a choice, several lines, or a record of a lookup picked with search as you type: a member
from the register). Rows are added and removed with the buttons under the grid; the ids of
rows read from the file are kept, so a save changes them instead of adding new ones.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain.book import CHOICE, DATE, MULTILINE, BookRecord, ChildRows, Field
from kt_desktop.gui.widgets.date_field import DateField
from kt_desktop.i18n import _


class LookupCombo(QComboBox):
    """A record of a lookup (a member), picked by typing part of its label."""

    def __init__(self, model: QStandardItemModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setModel(model)
        completer = QCompleter(model, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.lineEdit().setPlaceholderText(_("Type to search the register"))
        self._wanted = ""

    def value(self) -> str:
        index = self.findText(self.currentText(), Qt.MatchFlag.MatchFixedString)
        return str(self.itemData(index) or "") if index >= 0 else ""

    def set_value(self, value: str) -> None:
        self._wanted = value or ""
        index = self.findData(self._wanted) if self._wanted else -1
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setCurrentIndex(-1)
            self.setEditText("")

    def choices_arrived(self) -> None:
        """The lookup's records were loaded: choose the row's record among them."""
        if self._wanted:
            self.set_value(self._wanted)


def _cell(item: Field, models: dict[str, QStandardItemModel]) -> QWidget:
    if item.lookup:
        model = models.setdefault(item.lookup, QStandardItemModel())
        return LookupCombo(model)
    if item.kind == DATE:
        return DateField(optional=not item.required)
    if item.kind == CHOICE:
        combo = QComboBox()
        for code, label in item.choices:
            combo.addItem(_(label), code)
        return combo
    if item.kind == MULTILINE:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        return edit
    line = QLineEdit()
    line.setMaxLength(item.max_length)
    if item.placeholder:
        line.setPlaceholderText(_(item.placeholder))
    return line


def _read(widget: QWidget) -> Any:
    if isinstance(widget, LookupCombo):
        return widget.value()
    if isinstance(widget, DateField):
        return widget.value()
    if isinstance(widget, QComboBox):
        return widget.currentData() or ""
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    assert isinstance(widget, QLineEdit)
    return widget.text()


def _write(widget: QWidget, value: Any) -> None:
    if isinstance(widget, LookupCombo):
        widget.set_value(str(value or ""))
    elif isinstance(widget, DateField):
        widget.set_value(value if isinstance(value, dt.date) else None)
    elif isinstance(widget, QComboBox):
        widget.setCurrentIndex(max(widget.findData(value or ""), 0))
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(str(value or ""))
    elif isinstance(widget, QLineEdit):
        widget.setText(str(value or ""))


class ChildGrid(QWidget):
    """The rows of one :class:`ChildRows` of a record, edited in place."""

    def __init__(self, child: ChildRows, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.child = child
        self.keys = list(child.shown)
        self.ids: list[str] = []
        self.models: dict[str, QStandardItemModel] = {}
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._fit_height()

    @property
    def lookups(self) -> set[str]:
        return {self.child.field(k).lookup for k in self.keys if self.child.field(k).lookup}

    def set_choices(self, lookup: str, choices: list[tuple[str, str]]) -> None:
        """Fill a lookup's records (one model shared by every row's combo)."""
        model = self.models.setdefault(lookup, QStandardItemModel())
        model.clear()
        empty = QStandardItem("")
        empty.setData("", Qt.ItemDataRole.UserRole)
        model.appendRow(empty)
        for record_id, label in choices:
            item = QStandardItem(label)
            item.setData(record_id, Qt.ItemDataRole.UserRole)
            model.appendRow(item)
        for row in range(self.table.rowCount()):
            for column in range(len(self.keys)):
                widget = self.table.cellWidget(row, column)
                if isinstance(widget, LookupCombo):
                    widget.choices_arrived()

    def add_row(self, values: dict[str, Any], *, row_id: str = "", focus: bool = False) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.ids.append(row_id)
        for column, key in enumerate(self.keys):
            item = self.child.field(key)
            widget = _cell(item, self.models)
            value = values.get(key, item.default)
            _write(widget, value)
            self.table.setCellWidget(row, column, widget)
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
            values = {key: _read(self.table.cellWidget(row, column))
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
