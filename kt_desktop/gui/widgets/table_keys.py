"""Table keys. The book pages' Enter opens the selected record, Delete removes it;
every table and list lets Tab leave it (:func:`tab_leaves`, applied to all by
``widgets/keyboard.py``).

An event filter on the table (not shortcuts), so the keys act only where the table has the
focus and Enter still confirms dialogs and forms elsewhere.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView


class BookPage(Protocol):
    def edit_selected(self) -> None: ...

    def remove_selected(self) -> None: ...


class TableKeys(QObject):
    def __init__(self, page: QObject) -> None:
        super().__init__(page)
        self._page: BookPage = page  # type: ignore[assignment]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._page.edit_selected()
                return True
            if event.key() == Qt.Key.Key_Delete:
                self._page.remove_selected()
                return True
        return False


def tab_leaves(view: QAbstractItemView) -> None:
    """Arrows move inside ``view``, Tab and Shift+Tab leave it (Qt's default moves cell by
    cell and never leaves a table); the view keeps a name for a screen reader."""
    view.setTabKeyNavigation(False)
    if not view.accessibleName():
        view.setAccessibleName(view.toolTip() or view.windowTitle())

