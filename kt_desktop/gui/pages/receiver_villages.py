"""Desa: every desa/kelurahan of the area from the Kemendagri list, whether it sends data.

For each village: its kind, kecamatan and kabupaten/kota, its status (mandiri / berkembang /
tertinggal, imported from a CSV), the Karang Taruna's name and key fingerprint once its first
bundle was accepted, the date of its last data, how many bundles arrived, the bundles missing
(gaps) and the open conflicts. Search, a kabupaten/kota and a "show" filter narrow the list;
"Import village status…" reads a CSV (kode, status, tahun, sumber) in one transaction and
names every wrong row if it refuses the file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from kt_desktop import regions
from kt_desktop.domain.formats import number
from kt_desktop.gui.models.receiver_villages import (
    CODE,
    FILTERS,
    NAME,
    VillagesModel,
)
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.base import SidebarPage
from kt_desktop.gui.widgets import icons, style
from kt_desktop.gui.widgets import list_parts as parts
from kt_desktop.gui.widgets.columns import keep_main_column, size_columns
from kt_desktop.gui.widgets.file_dialogs import ask_open
from kt_desktop.gui.widgets.flow import fit_combos, flow_row
from kt_desktop.gui.widgets.labels import muted_label
from kt_desktop.gui.widgets.page_header import page_column
from kt_desktop.i18n import _
from kt_desktop.services import receiver as service
from kt_desktop.services.receiver import StatusImport, VillageOverview

SEARCH_DELAY_MS = 150


class ReceiverVillagesPage(SidebarPage):
    today_here = staticmethod(service.today_here)

    def __init__(self, ops: Ops, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(ops, parent, today=today)
        self.last_import: StatusImport | None = None

        layout, self.header = page_column(self, _("Villages"), _(
            "Every desa and kelurahan of the area (Kemendagri list). A village appears as "
            "sending data once its first bundle is accepted; its key is then pinned."))
        self.count = self.header.add_count()

        bar_row, bar = flow_row()  # wraps on a netbook instead of cutting the filters
        self.search = parts.search_field(
            _("Search name, code, kecamatan or Karang Taruna… (Ctrl+F)"), 0)
        bar.addWidget(self.search, 3)
        self.regency = QComboBox()
        self.regency.setAccessibleName(_("Kabupaten/Kota"))
        self.regency.addItem(_("All kabupaten/kota"), "")
        own = ops.session.code
        if len(own) == 2:
            for region in sorted(regions.children(own), key=lambda r: r.code):
                self.regency.addItem(region.name, region.code)
        else:
            self.regency.setVisible(False)
        bar.addWidget(self.regency, 1)
        self.show_filter = QComboBox()
        self.show_filter.setAccessibleName(_("Show"))
        for key, (label, _test) in FILTERS.items():
            self.show_filter.addItem(_(label), key)
        bar.addWidget(self.show_filter, 1)
        self.import_button = QPushButton(icons.icon("upload"), _("Import village status…"))
        self.import_button.setToolTip(_(
            "A CSV file with the columns kode (or kode_desa), status (mandiri, berkembang or "
            "tertinggal), tahun and sumber"))
        bar.addWidget(self.import_button)
        fit_combos(self.regency, self.show_filter)
        self.header.add_toolbar(bar_row)
        #: The outcome of the last status import (kept while the list reloads).
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(f"color: {style.TEXT}; background: {style.INFO_BG};"
                                  " padding: 4px 8px; border-radius: 4px;")
        self.notice.setVisible(False)
        layout.addWidget(self.notice)

        self.model = VillagesModel(self)
        self.table = parts.record_table(self.model)
        self.table.sortByColumn(CODE, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        widths = (105, 180, 120, 150, 100, 110, 105, 55, 50, 60, 75)
        size_columns(self.table, dict(enumerate(widths)))
        keep_main_column(self.table, NAME)
        layout.addWidget(self.table, 1)
        self.status = muted_label(_("Loading…"))
        layout.addWidget(self.status)

        self._search_timer = parts.search_as_you_type(self, self.search, self._filter,
                                                      SEARCH_DELAY_MS)
        self.regency.currentIndexChanged.connect(self._filter)
        self.show_filter.currentIndexChanged.connect(self._filter)
        self.import_button.clicked.connect(self.import_status)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.search.setFocus)
        self.refresh()

    # -- loading ---------------------------------------------------------------------------
    def refresh(self) -> None:
        today = self.today

        def deliver(villages: list[VillageOverview]) -> None:
            if shiboken6.isValid(self):
                self.model.set_villages(villages)
                self._show_count()

        self.ops.query(lambda session: service.village_overview(session, today=today),
                       deliver, parent=self)

    def _filter(self) -> None:
        self.model.set_filter(query=self.search.text(), regency=self.regency.currentData(),
                              show=self.show_filter.currentData())
        self._show_count()

    def _show_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        self.count.setText(_("{shown} of {total} villages").format(
            shown=number(shown), total=number(total)) if shown != total else
            _("{total} villages").format(total=number(total)))
        enrolled = sum(1 for row in range(shown)
                       if (v := self.model.village(row)) is not None and v.enrolled)
        self.status.setText(_("Shown: {enrolled} sending data here, {never} never sent "
                              "anything.").format(enrolled=number(enrolled),
                                                  never=number(shown - enrolled)))

    # -- village status ----------------------------------------------------------------------
    def ask_csv_path(self) -> Path | None:
        """The open dialog (a method of its own, so tests can stand in for it)."""
        return ask_open(self, _("Import village status"), _("CSV files (*.csv);;All files (*)"))

    def import_status(self) -> None:
        path = self.ask_csv_path()
        if path is None:
            return
        self.import_button.setEnabled(False)

        def done(result: StatusImport) -> None:
            if not shiboken6.isValid(self):
                return
            self.import_button.setEnabled(True)
            self.last_import = result
            counts = ", ".join(f"{service.status_label(status)}: {number(count)}"
                               for status, count in sorted(result.counts.items()))
            self.notice.setText(_("Imported {rows} statuses of {villages} desa (year {years}): "
                                  "{counts}.").format(
                rows=number(result.rows), villages=number(result.villages),
                years=", ".join(str(y) for y in result.years), counts=counts))
            self.notice.setVisible(True)
            self.refresh()

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            self.import_button.setEnabled(True)
            self.show_import_error(exc)

        self.ops.write(lambda session: service.import_village_status(session, path), done,
                       on_failed=failed, parent=self)

    def show_import_error(self, exc: BaseException) -> None:
        """A refused file: its message names every wrong row (a box of its own so tests can
        read the text without a dialog)."""
        from kt_desktop.domain.errors import KtError
        from kt_desktop.gui.ops import show_failure

        if isinstance(exc, KtError):
            self.notice.setText(exc.message.splitlines()[0])
            self.notice.setVisible(True)
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle(_("Village status not imported"))
            box.setText(exc.message)
            box.addButton(_("Close"), QMessageBox.ButtonRole.AcceptRole)
            box.exec()
        else:
            show_failure(self, exc)

    def shortcuts_hint(self) -> str:
        return _("Ctrl+F search")
