r"""Thin table models of the receiver's pages: a fixed table of figures, and paged lists.

* :class:`FiguresModel`: a small table handed over whole (the reporting table, totals by
  region or status, members by age…): a few dozen rows at most, so no paging.
* :class:`PagedModel`: a long list fetched from SQL one page at a time (a village's members,
  activities and trainings; the duplicated NIKs), a
  :class:`~kt_desktop.gui.models.paged.PagedRowsModel` whose columns are :class:`Column`\ s.

Both are :class:`~kt_desktop.gui.models.rows.RowsModel`\ s: ``None`` for every role they do
not handle.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from kt_desktop.gui.models.paged import PagedRowsModel
from kt_desktop.gui.models.rows import RowsModel
from kt_desktop.i18n import _

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class FigureRow:
    """One row of a :class:`FiguresModel`: its cells as text, and what the row stands for."""

    cells: tuple[str, ...]
    key: Any = None
    bold: bool = False
    #: Per cell, a share 0..1 shading the cell (the reporting table's heat), or None.
    shares: tuple[float | None, ...] = ()
    tooltip: str = ""


class FiguresModel(RowsModel[FigureRow]):
    """A small read-only table whose rows and headers are replaced at once (:meth:`set_rows`)."""

    def set_rows(self, headers: Sequence[str], rows: Sequence[FigureRow], *,  # type: ignore[override]
                 text_columns: int = 1) -> None:
        """Headers (already translated) and rows; the columns after ``text_columns`` are figures."""
        self.headers = list(headers)
        self.right_aligned = range(text_columns, len(self.headers))
        super().set_rows(rows)

    def row_key(self, row: int) -> Any:
        item = self.row_at(row)
        return item.key if item is not None else None

    def display(self, item: FigureRow, row: int, column: int) -> str | None:
        return item.cells[column] if column < len(item.cells) else None

    def extra(self, item: FigureRow, column: int, role: int) -> Any:
        if column >= len(item.cells):
            return None
        if role == Qt.ItemDataRole.FontRole and item.bold:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and column < len(item.shares):
            share = item.shares[column]
            if share is None:
                return None
            # white (nobody) to a clear green (everyone reported)
            strength = max(0.0, min(1.0, share))
            return QBrush(QColor(int(255 - 120 * strength), int(255 - 50 * strength),
                                 int(255 - 120 * strength)))
        if role == Qt.ItemDataRole.ToolTipRole and item.tooltip:
            return item.tooltip
        return None


@dataclass(frozen=True, slots=True)
class Column(Generic[T]):
    """A column of a :class:`PagedModel`: its header (translated) and its text."""

    header: str
    text: Callable[[T], str]
    right: bool = False
    tooltip: Callable[[T], str] | None = None


class PagedModel(PagedRowsModel[T]):
    """A long read-only list, fetched page by page as the view scrolls; its columns are
    :class:`Column` objects (a page of groups passes ``units``: the next offset counts groups)."""

    def __init__(self, columns: Sequence[Column[T]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.headers = [column.header for column in self.columns]
        self.right_aligned = {index for index, column in enumerate(self.columns) if column.right}

    def reset_rows(self, rows: Sequence[T], total: int, generation: int, *,
                   units: int | None = None) -> None:
        if generation == self.generation:
            self._reset(rows, total, units=units)

    def display(self, item: T, row: int, column: int) -> str | None:
        return self.columns[column].text(item) if 0 <= column < len(self.columns) else None

    def extra(self, item: T, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and 0 <= column < len(self.columns):
            tooltip = self.columns[column].tooltip
            return (tooltip(item) or None) if tooltip is not None else None
        return None


def count_text(shown: int, total: int, noun: str) -> str:
    """``200 dari 1.482 desa`` while paging, else ``1.482 desa``."""
    from kt_desktop.domain.formats import number

    if shown < total:
        return _("{shown} of {total} {noun}").format(
            shown=number(shown), total=number(total), noun=noun
        )
    return f"{number(total)} {noun}"
