"""Any declared book's list as a paged table model: columns from ``BookSpec.columns``
(a computed running total among them, e.g. a cash book's balance, shown but not sorted by)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from kt_desktop.domain.book import CHOICE, INTEGER, MONEY, NUMERIC, BookRecord, BookSpec
from kt_desktop.domain.formats import date_short, number, rupiah
from kt_desktop.gui.models.paged import Index, PagedRowsModel
from kt_desktop.gui.models.rows import header_text
from kt_desktop.i18n import _


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
        item = self.fields[column]
        value = record.get(item.key)
        if isinstance(value, dt.date):
            return date_short(value)
        if item.kind == INTEGER and value is not None:
            return str(value) if item.key == self.spec.year_field else number(value)
        if item.kind == MONEY:
            return rupiah(value) if isinstance(value, int) else ""
        if item.kind == CHOICE:
            return next((_(label) for code, label in item.choices if code == value), value or "")
        return " ".join(str(value or "").split())

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
