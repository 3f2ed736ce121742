"""Anggota: the Buku Induk Anggota, the book a secretary opens most.

Search, filters and sort run in SQL on a worker (docs/DESIGN.md, "Measured facts": a proxy model over 100,000
rows takes seconds); the table pages 256 rows at a time. Each keystroke in the search box
restarts a short timer, and each query carries a generation number so a slow answer to an
old search never overwrites a newer one. The page's rows come first, the count after, so
the table is never kept waiting for a count.

Keyboard first: Ctrl+N adds, Enter edits, Delete removes after a confirmation naming the
member, Ctrl+F goes to the search box, Ctrl+Z brings back the last removal (while the program
is open: the page keeps the removed record the service returned). Cetak (Ctrl+P) goes to
Laporan and makes the member register there, so it is seen before paper is spent.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import deque
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QWidget,
)

from kt_desktop.domain.formats import number
from kt_desktop.domain.members import (
    AGE_BANDS,
    POSITION_LABELS,
    POSITIONS,
    STATUS_LABELS,
    STATUSES,
    Member,
    MemberQuery,
    MemberRow,
)
from kt_desktop.gui.dialogs.member_form import MemberForm, MemberSettingsDialog
from kt_desktop.gui.dialogs.member_import import MemberImportDialog
from kt_desktop.gui.models import member_table as columns
from kt_desktop.gui.models.member_table import PAGE_SIZE, MemberTableModel
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.list_page import RecordListPage
from kt_desktop.gui.widgets import list_parts as parts
from kt_desktop.gui.widgets.columns import keep_main_column, size_columns
from kt_desktop.gui.widgets.confirm import confirm
from kt_desktop.gui.widgets.flow import fit_combos, flow_row
from kt_desktop.i18n import _, ngettext
from kt_desktop.services import member_export
from kt_desktop.services import members as service
from kt_desktop.services.session import Session

SEARCH_DELAY_MS = 150
#: Cetak goes to this sidebar page and asks it for this report (gui/pages/reports.py).
REPORTS_PAGE = "laporan"
MEMBER_REGISTER = "members"
#: Widths (pixels at the default font) of the columns that do not stretch; the name takes
#: the rest. At 1366x768 with the sidebar that leaves the name about 260 px.
COLUMN_WIDTHS = {
    columns.NIK: 132, columns.SEX: 38, columns.BIRTH: 98, columns.AGE: 50, columns.DUSUN: 140,
    columns.RT_RW: 68, columns.PHONE: 112, columns.POSITION: 190, columns.STATUS: 68,
}


class MembersPage(RecordListPage):
    search_delay_ms = SEARCH_DELAY_MS
    def __init__(self, ops: Ops, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(ops, parent, today=today)
        self.sort_key = "name"
        self.descending = False
        self.form: MemberForm | None = None
        self.import_dialog: MemberImportDialog | None = None
        self.removed: list[Member] = []
        self.total = 0
        self._closing = False
        #: (asked, shown) monotonic ns of the latest searches, read by the benchmark.
        self.timings: deque[tuple[int, int]] = deque(maxlen=500)

        layout = self.page_layout(_("Members"), _(
            "The Buku Induk Anggota: every member of the Karang Taruna with identity, address, "
            "membership and position."
        ))
        toolbar_row, toolbar = flow_row()
        self.record_buttons(_("Add a member (Ctrl+N)"), _("Edit the selected member (Enter)"),
                            _("Remove the selected member (Delete)"))
        self.import_button = parts.action_button(
            _("Import"), _("Import members from an Excel (.xlsx) or CSV file"),
            self.import_members)
        self.export_button = parts.action_button(
            _("Export"), _("Save the register as an Excel (.xlsx) or CSV file"),
            self.export_members)
        self.print_button = parts.action_button(_("Print"), _(
            "Print the Buku Induk Anggota: opens Reports with the member register made "
            "ready to check (Ctrl+P)"
        ), self.print_register)
        self.reveal_button = parts.action_button(
            _("Show NIK"),
            _("Show the whole NIK of the selected member (recorded in the audit log)"),
            self.toggle_nik)
        self.undo_button = parts.action_button(
            _("Undo"), _("Bring back the member removed last (Ctrl+Z)"), self.undo_remove)
        self.settings_button = parts.action_button(
            _("Rules\u2026"), _("Member age range and the list of seksi"), self.edit_rules)
        for button in (self.add_button, self.edit_button, self.remove_button, self.import_button,
                       self.export_button, self.print_button, self.reveal_button,
                       self.undo_button, self.settings_button):
            toolbar.addWidget(button)
        toolbar.addSpacing(8)
        # With Cetak the toolbar has nine buttons: at 1366x768 that leaves the search about
        # 300 px, enough for its placeholder; it takes any width to spare.
        self.search = parts.search_field(_("Search name, NIK, dusun or phone (Ctrl+F)"), 290)
        self.search.setToolTip(_(
            "One letter finds the names that begin with it; more letters find any word of "
            "the name or dusun; digits find the start of a NIK or phone number."
        ))
        toolbar.addWidget(self.search, 1)
        self.header.add_toolbar(toolbar_row)

        filters_row, filters = flow_row()
        self.status_filter = self._filter_combo(_("All statuses"), _("Status"))
        for code in STATUSES:
            self.status_filter.addItem(_(STATUS_LABELS[code]), code)
        self.position_filter = self._filter_combo(_("All positions"), _("Position"))
        self.position_filter.addItem(_("Officers (pengurus)"), "officer")
        self.position_filter.addItem(_("Members without position"), "none")
        for code in POSITIONS:
            self.position_filter.addItem(_(POSITION_LABELS[code]), code)
        self.sex_filter = self._filter_combo(_("L and P"), _("Sex"))
        self.sex_filter.addItem(_("L (male)"), "L")
        self.sex_filter.addItem(_("P (female)"), "P")
        self.age_filter = self._filter_combo(_("All ages"), _("Age"))
        for key, (label, _low, _high) in AGE_BANDS.items():
            self.age_filter.addItem(_(label), key)
        self.dusun_filter = self._filter_combo(_("All dusun"), _("Dusun"))
        self.clear_filters_button = parts.action_button(
            _("Clear filters"),
            _("Show every member again: empties the search and sets every filter back to all")
        )
        for combo in (self.status_filter, self.position_filter, self.sex_filter,
                      self.age_filter, self.dusun_filter):
            filters.addWidget(combo, 1)
        fit_combos(self.status_filter, self.position_filter, self.sex_filter,
                   self.age_filter, self.dusun_filter)
        filters.addWidget(self.clear_filters_button)
        layout.addWidget(filters_row)

        self.model = MemberTableModel(self, today=self.today)
        self.table = parts.record_table(self.model)
        self.table.horizontalHeader().setSortIndicator(columns.NAME, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(40)
        size_columns(self.table, COLUMN_WIDTHS)
        keep_main_column(self.table, columns.NAME)
        header.setHighlightSections(False)
        self._search_keys = parts.SearchKeys(self.search, self._into_list)
        layout.addWidget(self.table_or_empty(), 1)
        self.empty.setTextFormat(Qt.TextFormat.PlainText)

        self.notice = QLabel()
        self.notice.setStyleSheet("color: #15557f;")
        self.list_footer(layout, self.notice)

        self.clear_filters_button.clicked.connect(self.clear_filters)
        for combo in (self.status_filter, self.position_filter, self.sex_filter,
                      self.age_filter, self.dusun_filter):
            combo.activated.connect(lambda _index: self.reload())
        self.wire_table(self.add_member)

        self.shortcuts = parts.page_shortcuts(self, (
            (QKeySequence.StandardKey.New, self.add_member),
            (QKeySequence.StandardKey.Find, self.focus_search),
            (QKeySequence.StandardKey.Undo, self.undo_remove),
            (QKeySequence.StandardKey.Print, self.print_register),
        ))
        self._update_buttons()
        self.refresh()

    # -- helpers -------------------------------------------------------------------------------
    @staticmethod
    def _filter_combo(everything: str, name: str) -> QComboBox:
        return parts.filter_combo(everything, name=name, min_length=10)

    def _into_list(self) -> bool:
        """Down from the search box goes into the list (its first row selected); Enter there
        opens the row."""
        if not self.model.rowCount():
            return False
        self.table.setFocus()
        if not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        return True

    def shortcuts_hint(self) -> str:
        return _("Ctrl+N add · Enter edit · Delete remove · Ctrl+F search · Ctrl+Z undo")

    def current_query(self) -> MemberQuery:
        return MemberQuery(
            search=self.search.text().strip(),
            status=self.status_filter.currentData() or None,
            position=self.position_filter.currentData() or None,
            sex=self.sex_filter.currentData() or None,
            age_band=self.age_filter.currentData() or None,
            dusun=self.dusun_filter.currentData() or None,
            sort=self.sort_key,
            descending=self.descending,
        )

    def clear_filters(self) -> None:
        for combo in (self.status_filter, self.position_filter, self.sex_filter,
                      self.age_filter, self.dusun_filter):
            combo.setCurrentIndex(0)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.reload()

    # -- loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the dusun filter and the list (the page is shown again, data changed)."""
        self.reload()
        self.ops.query(service.dusun_choices, self._alive(self._show_dusun), parent=self)

    def _show_dusun(self, names: list[str]) -> None:
        current = self.dusun_filter.currentData() or ""
        self.dusun_filter.blockSignals(True)
        while self.dusun_filter.count() > 1:
            self.dusun_filter.removeItem(1)
        for name in names:
            self.dusun_filter.addItem(name, name)
        self.dusun_filter.setCurrentIndex(max(self.dusun_filter.findData(current), 0) if current else 0)
        self.dusun_filter.blockSignals(False)

    def reload(self, select_id: str | None = None) -> None:
        """Ask for the first page of the current search; then for its count."""
        self._search_timer.stop()
        generation = self.model.new_generation()
        query = self.current_query()
        today = self.today
        asked = _now_ns()

        def shown(rows: list[MemberRow]) -> None:
            if not self.model.reset_rows(rows, generation):
                return  # a newer search is on its way
            self.timings.append((asked, _now_ns()))
            if select_id:
                row = self.model.row_of(select_id)
                if row >= 0:
                    self.table.selectRow(row)
                    self.table.scrollTo(self.model.index(row, 0))
            if rows:
                self.stack.setCurrentWidget(self.table)
            def counts(session: Any) -> tuple[int, int]:
                found = service.count(session, query, today)
                return found, (found if query.is_plain() else service.total(session))

            self.ops.query(
                counts, self._alive(lambda result: self._show_count(query, result, generation)),
                parent=self,
            )

        self.ops.query(
            lambda session: service.list_page(session, query, 0, PAGE_SIZE, today),
            self._alive(shown), parent=self,
        )

    def _fetch_more(self, offset: int) -> None:
        generation = self.model.generation
        query = self.current_query()
        today = self.today
        self.ops.query(
            lambda session: service.list_page(session, query, offset, PAGE_SIZE, today),
            self._alive(lambda rows: self.model.append_rows(rows, generation)),
            parent=self,
        )

    def _sort(self, key: str, descending: bool) -> None:
        self.sort_key, self.descending = key, descending
        self.reload()

    def _show_count(self, query: MemberQuery, counts: tuple[int, int], generation: int) -> None:
        if generation != self.model.generation:
            return
        found, total = counts
        self.total = total
        text = ngettext("{n} member", "{n} members", found).format(n=number(found))
        filtered = not query.is_plain()
        if filtered:
            text = _("{found} of {total}").format(found=text, total=number(total))
        self.count_label.setText(text)
        if found:
            self.stack.setCurrentWidget(self.table)
            return
        if filtered:
            self.empty.setText(_("No member matches the search or filters."))
        else:
            self.empty.setText(_(
                "No members yet \u2014 press Ctrl+N to add one, or Import from Excel"
            ))
        self.stack.setCurrentWidget(self.empty)

    def _update_buttons(self, *_args: object) -> None:
        row = self.selected()
        self.edit_button.setEnabled(row is not None)
        self.remove_button.setEnabled(row is not None)
        self.reveal_button.setEnabled(row is not None and bool(row.nik_tail))
        if row is not None and self.model.is_revealed(row.id):
            self.reveal_button.setText(_("Hide NIK"))
        else:
            self.reveal_button.setText(_("Show NIK"))
        self.undo_button.setEnabled(bool(self.removed))

    # -- actions -------------------------------------------------------------------------------
    def add_member(self) -> None:
        self._open_form(None)

    def edit_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self._open_form(row.id)

    def open_target(self, member_id: str) -> None:
        """Open one member's form (a link of Kelengkapan: write the NIK or its reason)."""
        self._open_form(member_id)

    def _open_form(self, member_id: str | None) -> None:
        self.open_form(lambda: MemberForm(self.ops, member_id, self, today=self.today),
                       self._saved)

    def _saved(self, _form: MemberForm, saved: str) -> None:
        self.notice.setText(_("Saved."))
        self.refresh_after_change(saved)

    def refresh_after_change(self, select_id: str | None = None) -> None:
        self.ops.query(service.dusun_choices, self._alive(self._show_dusun), parent=self)
        self.reload(select_id=select_id)

    def confirm_remove(self, row: MemberRow) -> bool:
        """Ask before removing; the question names the member."""
        return confirm(
            self,
            _("Remove member"),
            _(
                "Remove {name} from the register?\n\nTheir personal data is erased from the "
                "data file; the removal is sent to the province with the next bundle. You can "
                "undo it (Ctrl+Z) while the program stays open."
            ).format(name=row.name),
            _("Remove"),
        )

    def remove_record(self, session: Session, row_id: str) -> Member:
        return service.remove(session, row_id)

    def after_remove(self, removed: Member, next_id: str | None) -> None:
        self.removed.append(removed)
        self.notice.setText(_("{name} removed. Ctrl+Z brings them back.").format(name=removed.name))
        self.refresh_after_change(next_id)

    def undo_remove(self) -> None:
        if not self.removed:
            return
        member = self.removed.pop()

        def done(member_id: str) -> None:
            self.notice.setText(_("{name} is back in the register.").format(name=member.name))
            self.refresh_after_change(member_id)

        def failed(exc: BaseException) -> None:
            from kt_desktop.gui.ops import show_failure

            self._update_buttons()
            show_failure(self, exc)

        self.ops.write(lambda session: service.undo_remove(session, member),
                       self._alive(done), on_failed=self._alive(failed), parent=self)
        self._update_buttons()

    def toggle_nik(self) -> None:
        row = self.selected()
        if row is None or not row.nik_tail:
            return
        if self.model.is_revealed(row.id):
            self.model.hide_niks()
            self._update_buttons()
            return
        member_id = row.id

        def shown(nik: str) -> None:
            self.model.reveal(member_id, nik)
            self._update_buttons()

        self.ops.write(lambda session: service.reveal_nik(session, member_id),
                       self._alive(shown), parent=self)

    def import_members(self) -> None:
        if self.import_dialog is not None:
            self.import_dialog.raise_()
            return
        dialog = MemberImportDialog(self.ops, self, today=self.today)
        self.import_dialog = dialog

        def finished(_result: int) -> None:
            self.import_dialog = None
            changed = dialog.changed
            dialog.deleteLater()
            if changed:
                self.notice.setText(_("Import finished."))
                self.refresh_after_change()

        dialog.finished.connect(finished)
        dialog.open()

    def export_members(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self, _("Export members"), str(Path.home() / "anggota.xlsx"),
            _("Excel workbook (*.xlsx);;CSV with semicolons (*.csv);;CSV with commas (*.csv)"),
        )
        if not path:
            return
        if not path.lower().endswith((".xlsx", ".csv")):
            path += ".csv" if "CSV" in chosen else ".xlsx"
        separator = "," if chosen.endswith("(*.csv)") and "," in chosen.split("(")[0] else ";"
        full = confirm(
            self, _("Export members"),
            _("Write the full NIKs? Writing only the last 4 digits is safer for a file that "
              "leaves this computer. Full NIKs are recorded in the audit log."),
            _("Write full NIKs"), no_label=_("Last 4 digits only"), destructive=False,
        )
        self.export_to(Path(path), separator=separator, reveal_nik=full)

    def export_to(self, path: Path, *, separator: str = ";", reveal_nik: bool = False) -> None:
        """Export on a worker with progress; says where the file went."""

        def work(session: Any, progress: Any) -> member_export.ExportSummary:
            return member_export.export(session, path, separator=separator,
                                        reveal_nik=reveal_nik, progress=progress)

        def done(summary: member_export.ExportSummary) -> None:
            self.notice.setText(
                _("{count} members written to {file}").format(
                    count=number(summary.rows), file=summary.path.name
                ) + (" " + summary.warning if summary.warning else "")
            )

        self.ops.long_task(work, _("Exporting members\u2026"), self._alive(done),
                           writes=False, parent=self)

    def print_register(self) -> None:
        """Cetak: the register is printed from Laporan, where it is previewed first.

        The main window switches to Laporan with the member register chosen and starts making
        it; its choices (members who left, full NIKs) stay on the left to change and make
        again. Outside a main window (a page on its own) there is nowhere to go.
        """
        window = self.window()
        specs = getattr(window, "specs", None)
        if not specs or not hasattr(window, "show_page"):
            return
        keys = [spec.key for spec in specs]
        if REPORTS_PAGE not in keys:
            return
        window.show_page(keys.index(REPORTS_PAGE))
        reports_page = window.page(REPORTS_PAGE)
        select = getattr(reports_page, "select_report", None)
        if callable(select):
            select(MEMBER_REGISTER, build=True)

    def edit_rules(self) -> None:
        dialog = MemberSettingsDialog(self.ops, self)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()

    # -- lifetime --------------------------------------------------------------------------------
    def closeEvent(self, event: Any) -> None:
        self._closing = True
        self._search_timer.stop()
        super().closeEvent(event)


def _now_ns() -> int:
    return time.perf_counter_ns()
