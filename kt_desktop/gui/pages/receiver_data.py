"""Data per desa: one village's members (NIK masked), activities and trainings, as received.

Read-only: a receiver never edits a village's books (the village is the only writer of its
records). The village is picked from those that sent data, by typing any part of its name,
kecamatan or code. Each tab is a paged model: the first 200 rows come with the choice, the
next ones as the list is scrolled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QWidget,
)

from kt_desktop.domain import activities as activity_rules
from kt_desktop.domain import members as member_rules
from kt_desktop.domain import trainings as training_rules
from kt_desktop.domain.formats import date_short, number, rupiah
from kt_desktop.gui.models.receiver_tables import Column, PagedModel, count_text
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.widgets import style
from kt_desktop.gui.widgets.columns import keep_main_column, size_columns
from kt_desktop.gui.widgets.flow import flush
from kt_desktop.gui.widgets.labels import muted_label
from kt_desktop.gui.widgets.page_header import page_column
from kt_desktop.i18n import _
from kt_desktop.services import books as book_service
from kt_desktop.services import receiver as service
from kt_desktop.services.receiver import MemberView, Page, VillageOverview
from kt_desktop.services.session import Session


def _iso_day(text: str) -> str:
    try:
        return date_short(dt.date.fromisoformat(text)) if text else ""
    except ValueError:
        return text


def _day(value: dt.date | None) -> str:
    return date_short(value) if value else ""


def _member_columns() -> list[Column[MemberView]]:
    return [
        Column(_("Name"), lambda m: m.name),
        Column(_("NIK"), lambda m: m.nik),
        Column(_("Sex"), lambda m: m.sex),
        Column(_("Date of birth"), lambda m: _day(m.birth_date)),
        Column(_("Dusun"), lambda m: m.dusun),
        Column(_("Status"), lambda m: _(member_rules.STATUS_LABELS.get(m.status, m.status))
               if m.status else ""),
        Column(_("Position"), lambda m: _(member_rules.POSITION_LABELS[m.position])
               if m.position in member_rules.POSITION_LABELS else m.position),
        Column(_("Joined"), lambda m: _day(m.joined_on)),
    ]


def _activity_status(code: str) -> str:
    return activity_rules.status_label(code) if code in activity_rules.STATUSES else code


def _activity_columns() -> list[Column[Any]]:
    return [
        Column(_("Date"), lambda a: _iso_day(a.start_date)),
        Column(_("Title"), lambda a: a.title, tooltip=lambda a: a.place),
        Column(_("Kind"), lambda a: a.kind),
        Column(_("Status"), lambda a: _activity_status(a.status)),
        Column(_("Place"), lambda a: a.place),
        Column(_("Beneficiaries"), lambda a: number(a.beneficiaries) if a.beneficiaries else "",
               right=True),
        Column(_("Funds"), lambda a: rupiah(a.funds) if a.funds else "", right=True),
    ]


def _training_columns() -> list[Column[Any]]:
    return [
        Column(_("Start"), lambda t: _iso_day(t.start_date)),
        Column(_("End"), lambda t: _iso_day(t.end_date)),
        Column(_("Title"), lambda t: t.title),
        Column(_("Skill"), lambda t: t.skill_field),
        Column(_("Kind"), lambda t: _(training_rules.TRAINING_KINDS[t.kind])
               if t.kind in training_rules.TRAINING_KINDS else t.kind),
        Column(_("Partner"), lambda t: t.partner),
        Column(_("Sessions"), lambda t: number(t.sessions), right=True),
        Column(_("Participants"), lambda t: number(t.participants), right=True),
    ]


Fetch = Callable[[Session, str, int], Page[Any]]
#: No column but the title's grows wider than this (pixels) when fitted to its text.
MAX_COLUMN_WIDTH = 190


class _Tab:
    """One tab: a paged model, its view and how to fetch its pages."""

    def __init__(self, page: ReceiverDataPage, columns: list[Column[Any]], fetch: Fetch,
                 noun: str, stretch: int) -> None:
        self.page = page
        self.fetch = fetch
        self.noun = noun
        self.model: PagedModel[Any] = PagedModel(columns, page)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        size_columns(self.view, dict.fromkeys(range(self.model.columnCount()), 100))
        keep_main_column(self.view, stretch)
        self.stretch = stretch
        self.model.more_wanted.connect(self.more)
        self.village = ""

    def load(self, village: str) -> None:
        self.village = village
        generation = self.model.new_generation()
        fetch = self.fetch

        def deliver(page: Page[Any]) -> None:
            if shiboken6.isValid(self.page):
                self.model.reset_rows(page.rows, page.total, generation)
                self._fit_columns()
                self.page.show_counts()

        self.page.ops.query(lambda session: fetch(session, village, 0), deliver, parent=self.page)

    def _fit_columns(self) -> None:
        """Columns as wide as their text, but none so wide that the title is squeezed."""
        for column in range(self.model.columnCount()):
            if column != self.stretch:
                self.view.resizeColumnToContents(column)
                self.view.setColumnWidth(column, min(self.view.columnWidth(column),
                                                     MAX_COLUMN_WIDTH))

    def more(self, offset: int) -> None:
        generation = self.model.generation
        village, fetch = self.village, self.fetch

        def deliver(page: Page[Any]) -> None:
            if shiboken6.isValid(self.page):
                self.model.append_rows(page.rows, generation)
                self.page.show_counts()

        self.page.ops.query(lambda session: fetch(session, village, offset), deliver,
                            parent=self.page)

    def count_text(self) -> str:
        return count_text(self.model.rowCount(), self.model.total, self.noun)


class ReceiverDataPage(QWidget):
    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.villages: list[VillageOverview] = []
        self.current = ""

        layout, self.header = page_column(self, _("Data per village"), _(
            "Read-only: the data as the village sent it. NIKs show their last 4 digits."))
        self.info = self.header.subtitle
        # the village picker on a row of its own under the subtitle: beside the title it
        # squeezed "Data per desa" into three lines at 150 % scaling with the largest font
        choose = QWidget()
        head = flush(QHBoxLayout(choose))
        head.addWidget(QLabel(_("Village")))
        self.picker = QComboBox()
        self.picker.setEditable(True)
        self.picker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.picker.setMinimumContentsLength(46)
        self.picker.setAccessibleName(_("Village"))
        self.picker.lineEdit().setPlaceholderText(_("Type part of a name, kecamatan or code…"))
        completer = self.picker.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        head.addWidget(self.picker, 1)
        self.header.add_toolbar(choose)
        self.book_counts = muted_label()  # what the declared books count of the village
        layout.addWidget(self.book_counts)

        self.tabs = QTabWidget()
        self.members = _Tab(self, _member_columns(), lambda s, v, o: service.village_members(
            s, v, offset=o), _("members"), 0)
        self.activities = _Tab(self, _activity_columns(), lambda s, v, o:
                               service.village_activities(s, v, offset=o), _("activities"), 1)
        self.trainings = _Tab(self, _training_columns(), lambda s, v, o:
                              service.village_trainings(s, v, offset=o), _("trainings"), 2)
        for tab, title in ((self.members, _("Members")), (self.activities, _("Activities")),
                           (self.trainings, _("Trainings"))):
            self.tabs.addTab(tab.view, title)
        layout.addWidget(self.tabs, 1)
        self.status = muted_label()
        self.status.setStyleSheet(f"color: {style.MUTED};")
        layout.addWidget(self.status)

        self.picker.activated.connect(self._picked)
        self.tabs.currentChanged.connect(lambda _i: self.show_counts())
        self.refresh()

    def refresh(self) -> None:
        """The list of villages that sent data (it grows with every import)."""

        def deliver(villages: list[VillageOverview]) -> None:
            if not shiboken6.isValid(self):
                return
            self.villages = [v for v in villages if v.enrolled]
            self.picker.blockSignals(True)
            self.picker.clear()
            for village in self.villages:
                place = village.place
                word = _("Kelurahan") if place.kind == service.KELURAHAN else _("Desa")
                self.picker.addItem(
                    f"{word} {place.name} \u2014 {place.kecamatan}, {place.regency} "
                    f"({place.code})", place.code)
            index = self.picker.findData(self.current) if self.current else -1
            self.picker.setCurrentIndex(index)
            self.picker.blockSignals(False)
            if not self.villages:
                self.status.setText(_("No village has sent data yet: import bundles first."))
            elif index < 0:
                self.status.setText(_("{count} villages sent data. Choose one above.").format(
                    count=number(len(self.villages))))

        self.ops.query(service.village_overview, deliver, parent=self)

    def _picked(self, index: int) -> None:
        code = self.picker.itemData(index)
        if isinstance(code, str):
            self.show_village(code)

    def show_village(self, code: str) -> None:
        """Show ``code``'s data (the Rekap's drill-down and the tests use it)."""
        self.current = code
        index = self.picker.findData(code)
        if index >= 0 and index != self.picker.currentIndex():
            self.picker.blockSignals(True)
            self.picker.setCurrentIndex(index)
            self.picker.blockSignals(False)
        village = next((v for v in self.villages if v.place.code == code), None)
        if village is not None:
            day = service.local_day(village.last_bundle)
            self.info.setText(_("{kt} · last data made on {day} · read-only; NIKs show their "
                                "last 4 digits.").format(
                kt=village.kt_name or service.area_name(code),
                day=date_short(day) if day else "\u2014"))
        for tab in (self.members, self.activities, self.trainings):
            tab.load(code)
        today = service.today_here()

        def both(s: Any) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
            return (book_service.receiver_counts(s, code),
                    book_service.receiver_month_counts(s, code, today.year, today.month))

        self.ops.query(both, self._show_book_counts, parent=self)

    def _show_book_counts(self, counts: tuple[list[tuple[str, int]], list[tuple[str, int]]]
                          ) -> None:
        total, this_month = counts
        self.book_counts.setText(" · ".join(f"{label}: {number(n)}" for label, n in total)
                                 + "\n" + _("This month: {counts}").format(counts=" · ".join(
                                     f"{label} {number(n)}" for label, n in this_month)))

    def show_counts(self) -> None:
        tab = (self.members, self.activities, self.trainings)[max(self.tabs.currentIndex(), 0)]
        self.status.setText(tab.count_text())
