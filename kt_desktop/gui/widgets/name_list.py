"""A list of names the user edits: the seksi of the organisation, a cash book's categories.

A group box with the names (double-click or F2 renames one), a line to type a new name
(Enter adds it), and Add and Remove; :meth:`names` gives the list as it stands. The owner
loads it with :meth:`set_names` and saves :meth:`names` through its service, which drops
blank and repeated names.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.gui.widgets import list_parts as parts
from kt_desktop.i18n import _


class NameListEditor(QGroupBox):
    def __init__(self, title: str, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        layout.addWidget(self.list, 1)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        row, self.add_button, self.remove_button = parts.add_remove_row(
            self.edit, _("Add"), _("Remove"))
        layout.addLayout(row)
        self.add_button.clicked.connect(self.add_typed)
        self.edit.returnPressed.connect(self.add_typed)
        self.remove_button.clicked.connect(self.remove_selected)

    def set_names(self, names: Iterable[str]) -> None:
        self.list.clear()
        for name in names:
            self.append(name)

    def append(self, name: str) -> None:
        item = QListWidgetItem(name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.list.addItem(item)

    def add_typed(self) -> None:
        name = self.edit.text().strip()
        if name:
            self.append(name)
            self.edit.clear()

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))

    def names(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]
