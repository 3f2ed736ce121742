"""The paging half every long list shares: rows arrive from SQL a page at a time.

A model never queries. :meth:`PagedRowsModel.fetchMore` asks its page (through
:attr:`PagedRowsModel.more_wanted`) for the rows after those it holds; the page loads them on
a worker and hands them to :meth:`PagedRowsModel.append_rows`. A generation number drops pages
that arrive after the filter, the search or the sort changed (:meth:`new_generation`).

The page says how long the whole result is (``total``), or, when counting it would cost a
second query on every keystroke (the Buku Induk Anggota), gives no total: the model then asks
for more while pages come back full. A page may count in *units* rather than rows (the
receiver's duplicated NIKs arrive as groups of rows; the next offset counts groups).
Columns, cells and roles are :class:`~kt_desktop.gui.models.rows.RowsModel`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal

from kt_desktop.gui.models.rows import Index, Row, RowsModel

__all__ = ["PAGE_SIZE", "Index", "PagedRowsModel"]

#: Rows a page asks SQL for at a time.
PAGE_SIZE = 256


class PagedRowsModel(RowsModel[Row]):
    more_wanted = Signal(int)  # offset of the next page (rows, or units)
    sort_wanted = Signal(str, bool)  # sort key, descending
    #: Column -> the key the page sorts by in SQL; a column not listed does not sort.
    sort_keys: dict[int, str] = {}

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._total: int | None = 0  # units in the whole result; None: not counted
        self._loaded = 0  # units loaded (a unit is a row, or a group of rows)
        self._more = False  # with no total: the last page came back full
        self._waiting = False
        self.generation = 0

    def new_generation(self) -> int:
        """Start a new result; pages of older results are ignored when they arrive."""
        self.generation += 1
        self._waiting = False
        return self.generation

    def _reset(self, rows: Sequence[Row], total: int | None, *, units: int | None = None,
               page_size: int = PAGE_SIZE) -> None:
        """Show the first page of a new result (``total`` None: more while pages are full)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._loaded = len(rows) if units is None else units
        self._total = None if total is None else max(total, self._loaded)
        self._more = self._loaded >= page_size
        self._waiting = False
        self.endResetModel()

    def append_rows(self, rows: Sequence[Row], generation: int, *, units: int | None = None,
                    page_size: int = PAGE_SIZE) -> None:
        if generation != self.generation:
            return
        self._waiting = False
        added = len(rows) if units is None else units
        self._more = added >= page_size
        if not rows:
            if self._total is not None:
                self._total = self._loaded  # the file changed meanwhile: stop asking
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self._loaded += added
        self.endInsertRows()

    def clear(self) -> None:
        """No rows, and no page of an older result will be shown."""
        self.new_generation()
        self._reset([], 0)

    def _has_more(self) -> bool:
        return self._more if self._total is None else self._loaded < self._total

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._has_more()

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._waiting or not self._has_more():
            return
        self._waiting = True
        self.more_wanted.emit(self._loaded)

    def row_of(self, record_id: str) -> int:
        """The row of the record with this id, or -1."""
        for row, item in enumerate(self._rows):
            if getattr(item, "id", None) == record_id:
                return row
        return -1

    @property
    def total(self) -> int:
        """Units in the whole result (those loaded when the page gave no total)."""
        return self._loaded if self._total is None else self._total

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Ask the page to reload sorted by SQL (the model never sorts what it holds)."""
        key = self.sort_keys.get(column)
        if key is not None:
            self.sort_wanted.emit(key, order == Qt.SortOrder.DescendingOrder)
