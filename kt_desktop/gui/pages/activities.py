"""Kegiatan: the Buku Kegiatan, one month at a time.

The page lists the activities that start in the chosen month (this month when it opens),
filtered by jenis, status, seksi and kampanye and searched by title, place and partner, all
in SQL on a worker. Keyboard habits are the member register's: Ctrl+N records, Enter opens,
Delete removes after a confirmation that names the activity, Ctrl+F goes to the search box;
Alt+Left / Alt+Right move a month back or forward.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import get_month_names
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QSpinBox,
    QWidget,
)

from kt_desktop.domain import activities as rules
from kt_desktop.domain import clock
from kt_desktop.domain.formats import date_short, month_year, number
from kt_desktop.gui.dialogs.activity_form import ActivityForm
from kt_desktop.gui.models import activity_table as columns
from kt_desktop.gui.models.activity_table import ActivityTableModel
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.list_page import RecordListPage
from kt_desktop.gui.widgets import list_parts as parts
from kt_desktop.gui.widgets.columns import font_scale, keep_main_column
from kt_desktop.gui.widgets.confirm import confirm
from kt_desktop.gui.widgets.flow import fit_combos, flow_row
from kt_desktop.i18n import _, locale_name, ngettext
from kt_desktop.services import activities as service
from kt_desktop.services.activities import ActivityFilter, ListPage, Suggestions
from kt_desktop.services.session import Session

PAGE_SIZE = 256
SEARCH_DELAY_MS = 250
#: Preferred widths of the columns that do not stretch (pixels at the default font).
COLUMN_WIDTHS = {
    columns.DATE: 100, columns.KIND: 132, columns.STATUS: 86, columns.PLACE: 112,
    columns.PARTNER: 112, columns.PEOPLE: 76, columns.BENEFICIARIES: 116, columns.FUNDS: 106,
    columns.PHOTOS: 52,
}


def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _shift_month(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


class ActivitiesPage(RecordListPage):
    search_delay_ms = SEARCH_DELAY_MS
    def __init__(self, ops: Ops, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(ops, parent, today=today)
        self._today_fixed = today is not None  # tests pin the date
        self.month = _first_of_month(self.today)
        self.order = "date"
        self.descending = False
        self.form: ActivityForm | None = None
        self.suggestions: Suggestions | None = None
        self._closing = False

        layout = self.page_layout(_("Activities"), _(
            "The Buku Kegiatan: plans and what was carried out, with participants, "
            "beneficiaries, funds and photos."
        ))

        # toolbar: Tambah · Ubah · Hapus, then the search box
        toolbar_row, toolbar = flow_row()
        for button in self.record_buttons(_("Record an activity (Ctrl+N)"),
                                          _("Open the selected activity (Enter)"),
                                          _("Remove the selected activity (Delete)")):
            toolbar.addWidget(button)
        toolbar.addStretch(1)
        self.search = parts.search_field(_("Search title, place or partner (Ctrl+F)"), 300)
        toolbar.addWidget(self.search)
        self.header.add_toolbar(toolbar_row)

        # month and filters
        filters_row, filters = flow_row()
        self.prev_button = parts.tool_button("\u2039", _("Previous month (Alt+Left)"))
        self.month_combo = QComboBox()
        names = get_month_names("wide", locale=locale_name())
        for month in range(1, 13):
            self.month_combo.addItem(names[month])
        self.month_combo.setAccessibleName(_("Month"))
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setAccessibleName(_("Year"))
        self.next_button = parts.tool_button("\u203a", _("Next month (Alt+Right)"))
        self.this_month_button = parts.action_button(
            _("This month"), _("Go back to the activities of the current month"))
        self.all_months = QCheckBox(_("All months"))
        self.all_months.setToolTip(
            _("List the activities of every month together, newest and oldest alike")
        )
        for widget in (self.prev_button, self.month_combo, self.year_spin, self.next_button,
                       self.this_month_button, self.all_months):
            filters.addWidget(widget)
        filters.addSpacing(16)
        self.kind_filter = self._filter_combo(_("All kinds"), _("Kind"))
        self.status_filter = self._filter_combo(_("All statuses"), _("Status"))
        for code in rules.STATUSES:
            self.status_filter.addItem(rules.status_label(code), code)
        self.section_filter = self._filter_combo(_("All sections"), _("Seksi"))
        self.campaign_filter = self._filter_combo(_("All campaigns"), _("Campaign"))
        for combo in (self.kind_filter, self.status_filter, self.section_filter,
                      self.campaign_filter):
            filters.addWidget(combo, 1)
        fit_combos(self.month_combo, self.kind_filter, self.status_filter,
                   self.section_filter, self.campaign_filter)
        layout.addWidget(filters_row)

        # the table, or the empty state in its place
        self.model = ActivityTableModel(self)
        self.table = parts.record_table(self.model)
        self.table.horizontalHeader().setSortIndicator(columns.DATE, Qt.SortOrder.AscendingOrder)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        self._size_columns()
        keep_main_column(self.table, columns.TITLE)
        header.setHighlightSections(False)
        layout.addWidget(self.table_or_empty(), 1)

        self.list_footer(layout)

        # wiring
        self.prev_button.clicked.connect(lambda: self.set_month(_shift_month(self.month, -1)))
        self.next_button.clicked.connect(lambda: self.set_month(_shift_month(self.month, 1)))
        self.this_month_button.clicked.connect(
            lambda: self.set_month(_first_of_month(self.today))
        )
        self.month_combo.activated.connect(self._month_picked)
        self.year_spin.editingFinished.connect(self._month_picked)
        self.all_months.toggled.connect(self._all_months_toggled)
        for combo in (self.kind_filter, self.status_filter, self.section_filter,
                      self.campaign_filter):
            combo.activated.connect(lambda _index: self.reload())
        self.wire_table(self.add_activity)

        self.shortcuts = parts.page_shortcuts(self, (
            (QKeySequence.StandardKey.New, self.add_activity),
            (QKeySequence.StandardKey.Find, self.focus_search),
            (QKeySequence("Alt+Left"), lambda: self.set_month(_shift_month(self.month, -1))),
            (QKeySequence("Alt+Right"), lambda: self.set_month(_shift_month(self.month, 1))),
        ))

        self._show_month()
        self._update_buttons()
        self.refresh()

    # -- helpers -------------------------------------------------------------------------------
    @staticmethod
    def _filter_combo(everything: str, name: str) -> QComboBox:
        return parts.filter_combo(everything, name=name)

    def _size_columns(self) -> None:
        """The preferred widths, but never narrower than the column's heading (with room
        for the sort arrow) or, for the date, a span of days like ``28–30/11/2026``: a
        heading cut to "enerima manfaat" or a date cut to "05–08/10/2…" reads as a fault."""
        header = self.table.horizontalHeader()
        metrics = header.fontMetrics()
        cell = self.table.fontMetrics()
        for column, width in COLUMN_WIDTHS.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            needed = metrics.horizontalAdvance(title) + 26
            if column == columns.DATE:
                needed = max(needed, cell.horizontalAdvance("28\u201330/11/2026") + 14)
            header.resizeSection(column, max(round(width * font_scale(self.table)), needed))

    def shortcuts_hint(self) -> str:
        return _("Ctrl+N add · Enter open · Delete remove · Ctrl+F search · Alt+\u2190/\u2192 month")

    def current_filter(self) -> ActivityFilter:
        return ActivityFilter(
            month=None if self.all_months.isChecked() else self.month,
            kind=self.kind_filter.currentData() or "",
            status=self.status_filter.currentData() or "",
            section=self.section_filter.currentData() or "",
            campaign=self.campaign_filter.currentData() or "",
            search=self.search.text().strip(),
        )

    # -- month -----------------------------------------------------------------------------
    def set_month(self, month: dt.date) -> None:
        if self.all_months.isChecked():
            self.all_months.setChecked(False)
        self.month = _first_of_month(month)
        self._show_month()
        self.reload()

    def _month_picked(self, *_args: object) -> None:
        picked = dt.date(self.year_spin.value(), self.month_combo.currentIndex() + 1, 1)
        if picked != self.month:
            self.set_month(picked)

    def _show_month(self) -> None:
        for widget in (self.month_combo, self.year_spin):
            widget.blockSignals(True)
        self.month_combo.setCurrentIndex(self.month.month - 1)
        self.year_spin.setValue(self.month.year)
        for widget in (self.month_combo, self.year_spin):
            widget.blockSignals(False)
        monthly = not self.all_months.isChecked()
        for widget in (self.prev_button, self.month_combo, self.year_spin, self.next_button):
            widget.setEnabled(monthly)

    def _all_months_toggled(self, _checked: bool) -> None:
        self._show_month()
        self.reload()

    # -- loading ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the filters' values and the list (the page is shown again, data changed)."""
        if not self._today_fixed:
            self.today = clock.today()  # the program may stay open past midnight
        self.ops.query(service.suggestions, self._alive(self._show_suggestions), parent=self)
        self.reload()

    def _show_suggestions(self, suggestions: Suggestions) -> None:
        self.suggestions = suggestions
        for combo, values in (
            (self.kind_filter, suggestions.kinds),
            (self.section_filter, suggestions.sections),
            (self.campaign_filter, suggestions.campaigns),
        ):
            current = combo.currentData() or ""
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value in values:
                combo.addItem(value, value)
            found = combo.findData(current) if current else 0
            if current and found < 0:
                combo.addItem(current, current)
                found = combo.count() - 1
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)

    def reload(self, select_id: str | None = None) -> None:
        generation = self.model.new_generation()
        flt = self.current_filter()
        order, descending = self.order, self.descending

        def fetch(session: Any) -> ListPage:
            return service.list_page(
                session, flt, limit=PAGE_SIZE, order=order, descending=descending
            )

        def done(result: ListPage) -> None:
            self.model.reset_rows(result.rows, result.total, generation)
            if generation != self.model.generation:
                return
            self._show_count(flt, result.total)
            if select_id:
                row = self.model.row_of(select_id)
                if row >= 0:
                    self.table.selectRow(row)
                    self.table.scrollTo(self.model.index(row, 0))

        self.ops.query(fetch, self._alive(done), parent=self)

    def _fetch_more(self, offset: int) -> None:
        generation = self.model.generation
        flt = self.current_filter()
        order, descending = self.order, self.descending
        self.ops.query(
            lambda session: service.page(
                session, flt, offset=offset, limit=PAGE_SIZE, order=order, descending=descending
            ),
            self._alive(lambda rows: self.model.append_rows(rows, generation)),
            parent=self,
        )

    def _sort(self, key: str, descending: bool) -> None:
        self.order, self.descending = key, descending
        self.reload()

    def _show_count(self, flt: ActivityFilter, total: int) -> None:
        text = ngettext("{n} activity", "{n} activities", total).format(n=number(total))
        if flt.month is not None:
            text = _("{count} in {month}").format(count=text, month=month_year(flt.month))
        self.count_label.setText(text)
        if total:
            self.stack.setCurrentWidget(self.table)
            return
        filtered = any((flt.kind, flt.status, flt.section, flt.campaign, flt.search))
        if filtered:
            self.empty.setText(_("No activity matches the search or filters."))
        elif flt.month is None:
            self.empty.setText(_("No activities yet — press Ctrl+N to record one"))
        elif _first_of_month(self.today) == flt.month:
            self.empty.setText(
                _("No activities this month yet — press Ctrl+N to record an activity")
            )
        else:
            self.empty.setText(
                _("No activities in {month} — press Ctrl+N to record an activity").format(
                    month=month_year(flt.month)
                )
            )
        self.stack.setCurrentWidget(self.empty)

    def _update_buttons(self, *_args: object) -> None:
        has = self.selected() is not None
        self.edit_button.setEnabled(has)
        self.remove_button.setEnabled(has)

    # -- actions ---------------------------------------------------------------------------
    def add_activity(self) -> None:
        start = self.today if _first_of_month(self.today) == self.month else self.month
        if self.all_months.isChecked():
            start = self.today
        self._open_form(None, start)

    def edit_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self._open_form(row.id, None)

    def open_target(self, activity_id: str) -> None:
        """Open one activity's form (a link of Kelengkapan: add its photo)."""
        self._open_form(activity_id, None)

    def _open_form(self, activity_id: str | None, start: dt.date | None) -> None:
        self.open_form(lambda: ActivityForm(self.ops, activity_id, self, today=self.today,
                                            start=start, suggestions=self.suggestions),
                       self._saved)

    def _saved(self, form: ActivityForm, saved: str) -> None:
        """The saved activity's month is shown (unless all months are), selected in it."""
        if form.saved_start is not None and not self.all_months.isChecked():
            self.month = _first_of_month(form.saved_start)
            self._show_month()
        self.ops.query(service.suggestions, self._alive(self._show_suggestions), parent=self)
        self.reload(select_id=saved)

    def confirm_remove(self, row: service.ActivityRow) -> bool:
        """Ask before removing; the question names the activity and what goes with it."""
        return confirm(
            self,
            _("Remove activity"),
            _(
                "Remove the activity “{title}” of {date}?\n\nIts participants, beneficiary "
                "counts, funds and photos are removed with it."
            ).format(title=row.title, date=date_short(row.start)),
            _("Remove"),
        )

    def remove_record(self, session: Session, row_id: str) -> None:
        service.remove(session, row_id)

    def after_remove(self, _removed: None, next_id: str | None) -> None:
        self.ops.query(service.suggestions, self._alive(self._show_suggestions), parent=self)
        self.reload(select_id=next_id)

    # -- lifetime --------------------------------------------------------------------------
    def index_of(self, activity_id: str) -> QModelIndex:
        row = self.model.row_of(activity_id)
        return self.model.index(row, 0) if row >= 0 else QModelIndex()
