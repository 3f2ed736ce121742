"""What every record list page does the same way, as a base class: Anggota, Kegiatan and every
declared book (``gui/pages/book.py``) inherit it and keep their own widgets.

A subclass builds ``search``, ``table`` and ``model`` (a
:class:`~kt_desktop.gui.models.paged.PagedRowsModel` or one with the same signals) and
defines ``edit_selected``, ``_update_buttons``, ``_fetch_more`` and ``_sort``; then
:meth:`wire_table` connects them the one way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLineEdit, QTableView, QWidget

from kt_desktop.gui.widgets import list_parts as parts


class RecordListPage(QWidget):
    search: QLineEdit
    table: QTableView
    model: Any
    _closing = False

    def edit_selected(self) -> None:
        raise NotImplementedError

    def _update_buttons(self, *_args: object) -> None:
        raise NotImplementedError

    def _fetch_more(self, offset: int) -> None:
        raise NotImplementedError

    def _sort(self, key: str, descending: bool) -> None:
        raise NotImplementedError

    def wire_table(self) -> None:
        """Double-click opens, a selection enables the buttons, scrolling pages, sorting
        reloads by SQL."""
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.more_wanted.connect(self._fetch_more)
        self.model.sort_wanted.connect(self._sort)
        self.model.modelReset.connect(self._update_buttons)

    def _alive(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        """Drop results that arrive after the page was closed."""
        return parts.alive(self, callback)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def closeEvent(self, event: Any) -> None:
        self._closing = True
        super().closeEvent(event)
