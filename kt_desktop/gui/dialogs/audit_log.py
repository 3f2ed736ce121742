"""Catatan aktivitas: the audit log with filters (action, table, date range), paged from SQL.

:class:`AuditLogPanel` is meant for a tab of Pengaturan; :class:`AuditLogDialog` wraps it.
Rows arrive a page at a time through ``ops.query`` as the list is scrolled
(``canFetchMore``/``fetchMore``); a filter change starts again from the newest line.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain.formats import date_short, number
from kt_desktop.gui.models.rows import Index, RowsModel
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.widgets.columns import keep_main_column, size_columns
from kt_desktop.gui.widgets.date_field import DateField
from kt_desktop.gui.widgets.flow import fit_combos, flow_row
from kt_desktop.gui.widgets.labels import muted_label
from kt_desktop.gui.widgets.list_parts import record_table
from kt_desktop.gui.widgets.page_header import panel_window
from kt_desktop.i18n import N_, _
from kt_desktop.services import audit as audit_service

PAGE_SIZE = 200
COLUMNS = (N_("Time"), N_("By"), N_("Action"), N_("Data"), N_("Number"), N_("Details"))


class AuditTableModel(RowsModel[audit_service.AuditRow]):
    """Audit rows, newest first; fetches the next page when the view scrolls near the end."""

    headers = COLUMNS

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.filter = audit_service.AuditFilter()
        self._next: int | None = 0
        self._loading = False
        self._generation = 0
        self.on_loaded: list[Any] = []

    # -- loading ---------------------------------------------------------------------------------
    def set_filter(self, flt: audit_service.AuditFilter) -> None:
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self.filter = flt
        self._next = 0
        self._loading = False
        self.endResetModel()
        self._load()

    def loading(self) -> bool:
        return self._loading

    def _load(self) -> None:
        if self._loading or self._next is None:
            return
        self._loading = True
        generation, flt, offset = self._generation, self.filter, self._next

        def fetch(session: Any) -> audit_service.AuditPage:
            return audit_service.page(session, flt, offset=offset, limit=PAGE_SIZE)

        def arrived(page: audit_service.AuditPage) -> None:
            if generation != self._generation:
                return  # a newer filter replaced this request
            self._loading = False
            self._next = page.next_offset
            if page.rows:
                first = len(self._rows)
                self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
                self._rows.extend(page.rows)
                self.endInsertRows()
            for callback in self.on_loaded:
                callback()

        def failed(exc: BaseException) -> None:
            self._loading = False
            self._next = None
            from kt_desktop.gui.ops import show_failure

            show_failure(None, exc)

        self.ops.query(fetch, arrived, on_failed=failed)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._next is not None and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self._load()

    def has_more(self) -> bool:
        return self._next is not None

    # -- Qt model --------------------------------------------------------------------------------
    def display(self, item: audit_service.AuditRow, row: int, column: int) -> str | None:
        return self._text(item, column)

    def extra(self, item: audit_service.AuditRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column in (4, 5):
            return item.record_id if column == 4 else item.detail
        return None

    @staticmethod
    def _text(row: audit_service.AuditRow, column: int) -> str:
        if column == 0:
            return f"{date_short(row.at.date())} {row.at:%H.%M.%S}"
        if column == 1:
            return row.actor
        if column == 2:
            return row.action_label
        if column == 3:
            return row.table_label
        if column == 4:
            return audit_service.record_text(row)
        if column == 5:
            return audit_service.detail_text(row)
        return ""


class AuditLogPanel(QWidget):
    """Filters above the log; the count of lines shown below."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        layout = QVBoxLayout(self)
        layout.addWidget(
            muted_label(
                _(
                    "Every change, print, export, import, backup and restore is recorded here "
                    "with who did it and when (never a NIK). The log cannot be edited."
                )
            )
        )
        filters_row, filters = flow_row()
        self.action = QComboBox()
        self.action.addItem(_("All actions"), None)
        for value, label in audit_service.actions():
            self.action.addItem(label, value)
        self.table_filter = QComboBox()
        self.table_filter.addItem(_("All data"), None)
        self.date_from = DateField()
        self.date_to = DateField()
        clear = QPushButton(_("&Clear filters"))
        clear.setToolTip(_("Show every entry again: all actions, all data, any date"))
        clear.clicked.connect(self.clear_filters)
        for label, widget in (
            (_("&Action"), self.action),
            (_("&Data"), self.table_filter),
            (_("&From"), self.date_from),
            (_("&Until"), self.date_to),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            pair = QHBoxLayout()
            pair.addWidget(caption)
            pair.addWidget(widget)
            filters.addLayout(pair)
        fit_combos(self.action, self.table_filter)
        filters.addWidget(clear)
        layout.addWidget(filters_row)

        self.model = AuditTableModel(ops, self)
        self.model.on_loaded.append(self._update_count)
        self.view = record_table(self.model, sortable=False, several=True, word_wrap=False)
        size_columns(self.view, dict(enumerate((150, 160, 120, 140, 90))))
        keep_main_column(self.view, len(COLUMNS) - 1)
        layout.addWidget(self.view, 1)
        self.count = muted_label("")
        layout.addWidget(self.count)

        self.action.currentIndexChanged.connect(self.apply_filters)
        self.table_filter.currentIndexChanged.connect(self.apply_filters)
        self.date_from.dateChanged.connect(self.apply_filters)
        self.date_to.dateChanged.connect(self.apply_filters)
        self.ops.query(audit_service.tables, self._fill_tables)
        self.apply_filters()

    def _fill_tables(self, tables: list[tuple[str, str]]) -> None:
        self.table_filter.blockSignals(True)
        for value, label in tables:
            self.table_filter.addItem(label, value)
        self.table_filter.blockSignals(False)

    def current_filter(self) -> audit_service.AuditFilter:
        return audit_service.AuditFilter(
            action=self.action.currentData(),
            table=self.table_filter.currentData(),
            date_from=self.date_from.value(),
            date_to=self.date_to.value(),
        )

    def apply_filters(self, *_args: object) -> None:
        self.count.setText(_("Loading…"))
        self.model.set_filter(self.current_filter())

    def clear_filters(self) -> None:
        for widget in (self.action, self.table_filter, self.date_from, self.date_to):
            widget.blockSignals(True)
        self.action.setCurrentIndex(0)
        self.table_filter.setCurrentIndex(0)
        self.date_from.set_value(None)
        self.date_to.set_value(None)
        for widget in (self.action, self.table_filter, self.date_from, self.date_to):
            widget.blockSignals(False)
        self.apply_filters()

    def refresh(self) -> None:
        self.apply_filters()

    def _update_count(self) -> None:
        shown = len(self.model.rows)
        if shown == 0:
            self.count.setText(_("No entries match these filters."))
        elif self.model.has_more():
            self.count.setText(
                _("{n} entries shown; scroll down for older ones.").format(n=number(shown))
            )
        else:
            self.count.setText(_("{n} entries.").format(n=number(shown)))


class AuditLogDialog(QDialog):
    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel = AuditLogPanel(ops, self)
        panel_window(self, _("Activity log"), self.panel, (1100, 600))
