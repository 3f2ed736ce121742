"""Duplikat: the same NIK registered as a live member in two or more villages.

Almost always someone who moved: the new village registered them and the old one has not
yet marked them "keluar (pindah)". The list is for follow-up with both villages; a receiver
never edits a village's books. One row per registration, grouped by NIK (masked), the
newest registration marked as where the person probably lives now. Paged by NIK.
"""

from __future__ import annotations

from dataclasses import dataclass

import shiboken6
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QWidget,
)

from kt_desktop import regions
from kt_desktop.domain import members as member_rules
from kt_desktop.domain.formats import date_short, number
from kt_desktop.gui.models.receiver_tables import Column, PagedModel
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.base import SidebarPage
from kt_desktop.gui.widgets.columns import keep_main_column
from kt_desktop.gui.widgets.labels import muted_label
from kt_desktop.gui.widgets.page_header import page_column
from kt_desktop.i18n import _, ngettext
from kt_desktop.services import receiver as service
from kt_desktop.services.receiver import DuplicateEntry, DuplicateGroup, Page


@dataclass(frozen=True, slots=True)
class DuplicateLine:
    """One registration of a duplicated NIK, as the table shows it."""

    nik: str
    entry: DuplicateEntry
    first: bool  # the first line of its NIK
    newest: bool


def _lines(groups: list[DuplicateGroup]) -> list[DuplicateLine]:
    lines = []
    for group in groups:
        newest = group.newest
        for number_, entry in enumerate(group.entries):
            lines.append(DuplicateLine(group.nik, entry, number_ == 0, entry is newest))
    return lines


def _place(line: DuplicateLine) -> str:
    place = line.entry.place
    if place is None:
        return line.entry.village_code
    word = _("Kelurahan") if place.kind == service.KELURAHAN else _("Desa")
    return f"{word} {place.name}"


def columns() -> list[Column[DuplicateLine]]:
    return [
        Column(_("NIK"), lambda d: d.nik if d.first else ""),
        Column(_("Name"), lambda d: d.entry.name),
        Column(_("Sex"), lambda d: d.entry.sex),
        Column(_("Date of birth"), lambda d: date_short(d.entry.birth_date)
               if d.entry.birth_date else ""),
        Column(_("Desa/Kelurahan"), _place, tooltip=lambda d: d.entry.village_code),
        Column(_("Kecamatan"), lambda d: d.entry.place.kecamatan if d.entry.place else ""),
        Column(_("Kabupaten/Kota"), lambda d: d.entry.place.regency if d.entry.place else ""),
        Column(_("Joined"), lambda d: date_short(d.entry.joined_on) if d.entry.joined_on else ""),
        Column(_("Status"), lambda d: _(member_rules.STATUS_LABELS.get(d.entry.status,
                                                                       d.entry.status))),
        Column(_("Note"), lambda d: _("newest") if d.newest else "",
               tooltip=lambda d: _("The newest registration: the person probably lives "
                                   "here now.") if d.newest else ""),
    ]


class ReceiverDuplicatesPage(SidebarPage):
    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(ops, parent)
        layout, self.header = page_column(self, _("Duplicates"), _(
            "The same NIK is a member (not left) in more than one village: usually someone "
            "who moved. Ask the old village to mark the member as left (moved); the receiver "
            "does not change a village's books."))
        self.count = self.header.add_count()
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_("Area")))
        self.area = QComboBox()
        self.area.setAccessibleName(_("Area"))
        own = ops.session.code
        self.area.addItem(service.area_name(own), own)
        for region in sorted(regions.children(own), key=lambda r: r.code):
            self.area.addItem(region.name, region.code)
        bar.addWidget(self.area)
        bar.addStretch(1)
        layout.addLayout(bar)

        self.model: PagedModel[DuplicateLine] = PagedModel(columns(), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        keep_main_column(self.table, self.model.columnCount() - 1)
        layout.addWidget(self.table, 1)
        self.status = muted_label()
        layout.addWidget(self.status)

        self.model.more_wanted.connect(self._more)
        self.area.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        area = self.area.currentData()
        generation = self.model.new_generation()

        def deliver(page: Page[DuplicateGroup]) -> None:
            if shiboken6.isValid(self):
                self.model.reset_rows(_lines(page.rows), page.total, generation,
                                      units=len(page.rows))
                self._show_count()

        self.ops.query(lambda session: service.duplicates(session, area), deliver, parent=self)

    def _more(self, offset: int) -> None:
        area = self.area.currentData()
        generation = self.model.generation

        def deliver(page: Page[DuplicateGroup]) -> None:
            if shiboken6.isValid(self):
                self.model.append_rows(_lines(page.rows), generation, units=len(page.rows))
                self._show_count()

        self.ops.query(lambda session: service.duplicates(session, area, offset=offset),
                       deliver, parent=self)

    def _show_count(self) -> None:
        total = self.model.total
        self.count.setText(ngettext("{count} NIK in more than one village",
                                    "{count} NIKs in more than one village", total).format(
            count=number(total)))
        self.status.setText(
            _("No NIK is registered in two villages.") if total == 0 else
            _("{rows} registrations shown, grouped by NIK; the last 4 digits of the NIK are "
              "shown.").format(rows=number(self.model.rowCount())))
