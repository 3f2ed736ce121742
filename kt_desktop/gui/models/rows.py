"""The one base of the program's table models: rows held in a list, fixed translated headers.

:class:`RowsModel` answers ``rowCount``, ``columnCount``, ``headerData`` and ``data`` for
every model; a subclass says what a cell shows (:meth:`RowsModel.display`), which columns
are right-aligned or centred, and any other role (:meth:`RowsModel.extra`: colours,
tooltips). Short lists arrive whole (:meth:`RowsModel.set_rows`: the outbox, an import run's
summaries, a training's sessions); long lists page from SQL through
:class:`kt_desktop.gui.models.paged.PagedRowsModel`, which is a :class:`RowsModel` too.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from kt_desktop.i18n import _

Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")
#: Role giving a row's object (pages read it on double-click and selection).
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
CENTER = int(Qt.AlignmentFlag.AlignCenter)


def header_text(headers: Sequence[str], section: int, orientation: Qt.Orientation,
                role: int) -> str | None:
    """The translated heading of a column (English msgids in ``headers``); None otherwise.

    Every table model answers ``headerData`` through this: None, never ``super()``, since
    PySide6 6.12 drops a reference to None on empty returns (DESIGN.md, "Measured facts").
    """
    if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(headers)):
        return _(headers[section])
    return None


class RowsModel(QAbstractTableModel, Generic[Row]):
    """A list of rows with fixed headers (English msgids); subclasses say what a cell shows."""

    headers: Sequence[str] = ()
    right_aligned: Collection[int] = frozenset()
    centered: Collection[int] = frozenset()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    @property
    def rows(self) -> list[Row]:
        """The rows shown, in order (the model's own list: read it, do not change it)."""
        return self._rows

    def row_at(self, row: int) -> Row | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.row_at(index.row()) if index.isValid() else None
        if item is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(item, index.row(), column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in self.right_aligned:
                return RIGHT
            return CENTER if column in self.centered else None
        if role == ROW_ROLE:
            return item
        return self.extra(item, column, role)

    def display(self, item: Row, row: int, column: int) -> str | None:
        """The text of a cell (``row`` numbers lists that show ``No.``)."""
        return None

    def extra(self, item: Row, column: int, role: int) -> Any:
        """Other roles (colours, tooltips, fonts); None when not handled."""
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_text(self.headers, section, orientation, role)


#: The name the receiver's and the outbox's list models were written against.
ListModel = RowsModel
