"""Thin table models of the receiver's pages: a fixed table of figures, and paged lists.

* :class:`FiguresModel`: a small table handed over whole (the reporting table, totals by
  region or status, members by age…): a few dozen rows at most, so no paging.
* :class:`PagedModel`: a long list fetched from SQL one page at a time (a village's members,
  activities and trainings; the duplicated NIKs). ``fetchMore`` asks the page (through
  :attr:`PagedModel.more_wanted`) for the next page, which the page loads on a worker and
  hands back to :meth:`PagedModel.append_rows`; a generation number drops pages that arrive
  after the village or the filter changed.

Both return ``None`` for every role they do not handle (never ``super().data()``: the
PySide6 refcount bug on ``None``, docs/DESIGN.md, "Measured facts").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from kt_desktop.i18n import _

Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T")
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
#: Role giving a row's object (the page reads it on double-click).
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True, slots=True)
class FigureRow:
    """One row of a :class:`FiguresModel`: its cells as text, and what the row stands for."""

    cells: tuple[str, ...]
    key: Any = None
    bold: bool = False
    #: Per cell, a share 0..1 shading the cell (the reporting table's heat), or None.
    shares: tuple[float | None, ...] = ()
    tooltip: str = ""


class FiguresModel(QAbstractTableModel):
    """A small read-only table whose rows are replaced at once (:meth:`set_rows`)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._headers: list[str] = []
        self._rows: list[FigureRow] = []
        self._left = 1  # columns before the first right-aligned one

    def set_rows(self, headers: Sequence[str], rows: Sequence[FigureRow], *,
                 text_columns: int = 1) -> None:
        self.beginResetModel()
        self._headers = list(headers)
        self._rows = list(rows)
        self._left = text_columns
        self.endResetModel()

    def row_key(self, row: int) -> Any:
        return self._rows[row].key if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if column >= len(row.cells):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= self._left:
            return RIGHT
        if role == Qt.ItemDataRole.FontRole and row.bold:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and column < len(row.shares):
            share = row.shares[column]
            if share is None:
                return None
            # white (nobody) to a clear green (everyone reported)
            strength = max(0.0, min(1.0, share))
            return QBrush(QColor(int(255 - 120 * strength), int(255 - 50 * strength),
                                 int(255 - 120 * strength)))
        if role == Qt.ItemDataRole.ToolTipRole and row.tooltip:
            return row.tooltip
        if role == ROW_ROLE:
            return row.key
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            return self._headers[section]
        return None


@dataclass(frozen=True, slots=True)
class Column(Generic[T]):
    """A column of a :class:`PagedModel`: its header (translated) and its text."""

    header: str
    text: Callable[[T], str]
    right: bool = False
    tooltip: Callable[[T], str] | None = None


class PagedModel(QAbstractTableModel, Generic[T]):
    """A long read-only list, fetched page by page as the view scrolls."""

    more_wanted = Signal(int)  # how many units (rows or groups) are loaded: the next offset

    def __init__(self, columns: Sequence[Column[T]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[T] = []
        self._total = 0  # units in the whole result
        self._loaded = 0  # units loaded (a unit is a row, or a group of rows)
        self._waiting = False
        self.generation = 0

    # -- loading -------------------------------------------------------------------------
    def new_generation(self) -> int:
        """Start a new result; pages of older results are dropped when they arrive."""
        self.generation += 1
        self._waiting = False
        return self.generation

    def reset_rows(self, rows: Sequence[T], total: int, generation: int, *,
                   units: int | None = None) -> None:
        if generation != self.generation:
            return
        self.beginResetModel()
        self._rows = list(rows)
        self._loaded = len(rows) if units is None else units
        self._total = max(total, self._loaded)
        self._waiting = False
        self.endResetModel()

    def append_rows(self, rows: Sequence[T], generation: int, *, units: int | None = None) -> None:
        if generation != self.generation:
            return
        self._waiting = False
        added = len(rows) if units is None else units
        if not rows:
            self._total = self._loaded  # the file changed meanwhile: stop asking
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self._loaded += added
        self.endInsertRows()

    def clear(self) -> None:
        self.new_generation()
        self.beginResetModel()
        self._rows, self._total, self._loaded = [], 0, 0
        self.endResetModel()

    @property
    def total(self) -> int:
        return self._total

    def item(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._loaded < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._waiting or self._loaded >= self._total:
            return
        self._waiting = True
        self.more_wanted.emit(self._loaded)

    # -- Qt --------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self.columns):
            return None
        item = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(item)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.right:
            return RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(item) or None
        if role == ROW_ROLE:
            return item
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section].header
        return None


def count_text(shown: int, total: int, noun: str) -> str:
    """``200 dari 1.482 desa`` while paging, else ``1.482 desa``."""
    from kt_desktop.domain.formats import number

    if shown < total:
        return _("{shown} of {total} {noun}").format(
            shown=number(shown), total=number(total), noun=noun
        )
    return f"{number(total)} {noun}"
