"""The paging half every list model shares: rows arrive from SQL 256 at a time.

A model never queries. :meth:`fetchMore` asks its page (through :attr:`more_wanted`) for the
rows after those it holds; the page loads them on a worker and hands them to
:meth:`append_rows`. A generation number drops pages that arrive after the filter, the search
or the sort changed (:meth:`new_generation`). Subclasses add their columns and roles.
"""

from __future__ import annotations

from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

Index = QModelIndex | QPersistentModelIndex


class _HasId(Protocol):
    id: str


Row = TypeVar("Row", bound=_HasId)


class PagedRowsModel(QAbstractTableModel, Generic[Row]):
    more_wanted = Signal(int)  # offset of the next page
    sort_wanted = Signal(str, bool)  # sort key, descending
    #: Column -> the key the page sorts by in SQL; a column not listed does not sort.
    sort_keys: dict[int, str] = {}

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._total = 0
        self._waiting = False
        self.generation = 0

    def new_generation(self) -> int:
        """Start a new result; pages of older results are ignored when they arrive."""
        self.generation += 1
        self._waiting = False
        return self.generation

    def _reset(self, rows: list[Row], total: int) -> None:
        """Show the first page of a new result (subclasses wrap this)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._total = max(total, len(rows))
        self._waiting = False
        self.endResetModel()

    def append_rows(self, rows: list[Row], generation: int) -> None:
        if generation != self.generation:
            return
        self._waiting = False
        if not rows:
            self._total = len(self._rows)  # the file changed meanwhile: stop asking
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._waiting or len(self._rows) >= self._total:
            return
        self._waiting = True
        self.more_wanted.emit(len(self._rows))

    def row_at(self, row: int) -> Row | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, record_id: str) -> int:
        for row, item in enumerate(self._rows):
            if item.id == record_id:
                return row
        return -1

    @property
    def total(self) -> int:
        return self._total

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Ask the page to reload sorted by SQL (the model never sorts what it holds)."""
        key = self.sort_keys.get(column)
        if key is not None:
            self.sort_wanted.emit(key, order == Qt.SortOrder.DescendingOrder)
