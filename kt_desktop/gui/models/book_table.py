"""Any declared book's list as a paged table model: columns from ``BookSpec.columns``
(a computed running total among them, e.g. a cash book's balance, shown but not sorted by)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from kt_desktop.domain.book import NUMERIC, BookRecord, BookSpec, display
from kt_desktop.gui.models.paged import PagedRowsModel


class BookTableModel(PagedRowsModel[BookRecord]):
    def __init__(self, spec: BookSpec, parent: Any = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.fields = [spec.field(column.field) for column in spec.columns]
        self.headers = [item.label for item in self.fields]
        self.right_aligned = {index for index, item in enumerate(self.fields)
                              if item.kind in NUMERIC}
        self.sort_keys = {index: item.key for index, item in enumerate(self.fields)
                          if item.key not in spec.computed}

    def reset_rows(self, rows: list[BookRecord], total: int, generation: int) -> None:
        if generation == self.generation:
            self._reset(rows, total)

    def text(self, record: BookRecord, column: int) -> str:
        return display(self.spec, record, self.fields[column].key)

    def display(self, item: BookRecord, row: int, column: int) -> str | None:
        return self.text(item, column)

    def extra(self, item: BookRecord, column: int, role: int) -> Any:
        return self.text(item, column) if role == Qt.ItemDataRole.ToolTipRole else None
