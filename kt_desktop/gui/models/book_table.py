"""Any declared book's list as a paged table model: columns from ``BookSpec.columns``
(a computed running total among them, e.g. a cash book's balance, shown but not sorted by)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from kt_desktop.domain.book import NUMERIC, BookRecord, BookSpec, display
from kt_desktop.gui.models.paged import Index, PagedRowsModel
from kt_desktop.gui.models.rows import header_text


class BookTableModel(PagedRowsModel[BookRecord]):
    def __init__(self, spec: BookSpec, parent: Any = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.fields = [spec.field(column.field) for column in spec.columns]
        self.headers = [item.label for item in self.fields]
        self.sort_keys = {index: item.key for index, item in enumerate(self.fields)
                          if item.key not in spec.computed}

    def reset_rows(self, rows: list[BookRecord], total: int, generation: int) -> None:
        if generation == self.generation:
            self._reset(rows, total)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.fields)

    def text(self, record: BookRecord, column: int) -> str:
        return display(self.spec, record, self.fields[column].key)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        record = self.row_at(index.row()) if index.isValid() else None
        if record is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(record, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and self.fields[index.column()].kind in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_text(self.headers, section, orientation, role)
