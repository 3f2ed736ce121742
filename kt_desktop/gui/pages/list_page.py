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
    QHBoxLayout,
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
from kt_desktop.services.session import Session


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

    def confirm_remove(self, row: Any) -> bool:
        """Ask before removing ``row``; the question names it and what goes with it."""
        raise NotImplementedError

    def remove_record(self, session: Session, row_id: str) -> Any:
        """Remove the record ``row_id`` (on the writer thread: no widgets here)."""
        raise NotImplementedError

    def after_remove(self, removed: Any, next_id: str | None) -> None:
        """After the removal: say so, reload, select the row that followed (``next_id``)."""
        raise NotImplementedError

    form: Any = None

    def open_form(self, make_form: Callable[[], Any],
                  after_save: Callable[[Any, str], None]) -> None:
        """One form at a time (pressing again brings the open one forward), opened
        window-modal; when it closes saved, ``after_save(form, saved_id)``; the list gets the
        focus back either way."""
        if self.form is not None:
            self.form.raise_()
            return
        form = self.form = make_form()

        def finished(result: int) -> None:
            self.form = None
            saved = form.saved_id
            form.deleteLater()
            if result and saved:
                after_save(form, saved)
            self.table.setFocus()

        form.finished.connect(finished)
        form.open()

    def selected(self) -> Any:
        """The selected row, or None."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def remove_selected(self) -> None:
        """Hapus (Delete): ask, remove on the writer, then :meth:`after_remove`."""
        row = self.selected()
        if row is None or not self.confirm_remove(row):
            return
        following = self.model.row_at(self.table.currentIndex().row() + 1)
        next_id, row_id = (following.id if following else None), row.id
        self.ops.write(lambda session: self.remove_record(session, row_id),
                       self._alive(lambda removed: self.after_remove(removed, next_id)),
                       parent=self)

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
        self.add_button = parts.action_button(_("Add"), add_tip)
        self.edit_button = parts.action_button(_("Edit"), edit_tip)
        self.remove_button = parts.action_button(_("Remove"), remove_tip)
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

    #: how long typing in the search box pauses before the list is searched again
    search_delay_ms = parts.SEARCH_DELAY_MS

    def list_footer(self, layout: QVBoxLayout, middle: QLabel | None = None) -> None:
        """Under the list: its count, ``middle`` (a notice, in the room between) and the
        page's keys."""
        footer = QHBoxLayout()
        self.count_label = QLabel()
        footer.addWidget(self.count_label)
        if middle is None:
            footer.addStretch(1)
        else:
            footer.addWidget(middle, 1)
        footer.addWidget(parts.key_hint(self.shortcuts_hint()))
        layout.addLayout(footer)

    def shortcuts_hint(self) -> str:
        raise NotImplementedError

    def wire_table(self, add: Callable[[], None]) -> None:
        """Typing searches, Tambah calls ``add``, Ubah and Hapus act on the selection;
        double-click opens, a selection enables the buttons, scrolling pages, sorting
        reloads by SQL."""
        self._search_timer = parts.search_as_you_type(self, self.search, self.reload,
                                                      self.search_delay_ms)
        self.add_button.clicked.connect(add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.more_wanted.connect(self._fetch_more)
        self.model.sort_wanted.connect(self._sort)
        self.model.modelReset.connect(self._update_buttons)
        self.search.returnPressed.connect(self.focus_results)
        if not self.table.accessibleName():
            self.table.setAccessibleName(self.page_title)  # "Anggota", "Buku Tamu" …

    def reload(self, select_id: str | None = None) -> None:
        raise NotImplementedError

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
