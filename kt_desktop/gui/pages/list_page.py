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

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
)

from kt_desktop.gui.pages.base import SidebarPage
from kt_desktop.gui.widgets import list_parts as parts
from kt_desktop.gui.widgets.page_header import page_column
from kt_desktop.gui.widgets.table_keys import TableKeys
from kt_desktop.i18n import _


class RecordListPage(SidebarPage):
    search: QLineEdit
    table: QTableView
    model: Any
    _closing = False
    page_title = ""

    def edit_selected(self) -> None:
        raise NotImplementedError

    def _update_buttons(self, *_args: object) -> None:
        raise NotImplementedError

    def _fetch_more(self, offset: int) -> None:
        raise NotImplementedError

    def _sort(self, key: str, descending: bool) -> None:
        raise NotImplementedError

    #: The page scrolls up and down when the window is too short for all it shows (a page
    #: with a panel under its list, at 150 % scaling); the list alone needs no scrolling.
    scrolls = False

    def page_layout(self, title: str, description: str) -> QVBoxLayout:
        """The page's column: its header (title, one muted line saying what the book is, and
        the toolbar the page gives it through ``self.header.add_toolbar``)."""
        self.page_title = title
        layout, self.header = page_column(self, title, description, scrolls=self.scrolls)
        self.column = layout
        return layout

    def record_buttons(self, add_tip: str, edit_tip: str, remove_tip: str
                       ) -> tuple[QPushButton, QPushButton, QPushButton]:
        """Tambah · Ubah · Hapus, each with its tooltip naming its key."""
        self.add_button = QPushButton(_("Add"))
        self.add_button.setToolTip(add_tip)
        self.edit_button = QPushButton(_("Edit"))
        self.edit_button.setToolTip(edit_tip)
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.setToolTip(remove_tip)
        return self.add_button, self.edit_button, self.remove_button

    def table_or_empty(self) -> QStackedWidget:
        """The table, with Enter/Delete on it, and the empty state that stands in its place."""
        self._keys = TableKeys(self)
        self.table.installEventFilter(self._keys)
        self.empty: QLabel = parts.empty_label()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        return self.stack

    def wire_table(self) -> None:
        """Double-click opens, a selection enables the buttons, scrolling pages, sorting
        reloads by SQL."""
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.more_wanted.connect(self._fetch_more)
        self.model.sort_wanted.connect(self._sort)
        self.model.modelReset.connect(self._update_buttons)
        self.search.returnPressed.connect(self.focus_results)
        if not self.table.accessibleName():
            self.table.setAccessibleName(self.page_title)  # "Anggota", "Buku Tamu" …

    def _alive(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        """Drop results that arrive after the page was closed."""
        return parts.alive(self, callback)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def focus_results(self) -> None:
        """Enter in the search box: the focus goes to the list, on its first row (arrows
        then move through what was found)."""
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.model.rowCount() and not self.table.selectionModel().selectedRows():
            self.table.selectRow(0)

    def closeEvent(self, event: Any) -> None:
        self._closing = True
        super().closeEvent(event)
