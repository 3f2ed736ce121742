"""The plumbing of a small table model over a list of rows with fixed, translated headers.

For short lists that arrive whole (the outbox, an import run's summaries, conflicts);
long lists page from SQL through :class:`kt_desktop.gui.models.paged.PagedRowsModel`.
Subclasses set :attr:`headers` (English msgids) and write ``data()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from kt_desktop.i18n import _

Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")


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


class ListModel(QAbstractTableModel, Generic[Row]):
    headers: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_text(self.headers, section, orientation, role)
