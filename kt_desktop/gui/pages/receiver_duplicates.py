"""Duplikat: the same NIK registered as a live member in two or more villages.

Almost always someone who moved: the new village registered them and the old one has not
yet marked them "keluar (pindah)". The list is for follow-up with both villages; a receiver
never edits a village's books. One row per registration, grouped by NIK (masked), the
newest registration marked as where the person probably lives now. Paged by NIK. A NIK
lists its newest registrations only (``service.MAX_VILLAGES_PER_NIK``), and a line under
them says how many villages are not listed ("dan 1.990 desa lainnya").
"""

from __future__ import annotations

from collections.abc import Callable
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
    """One registration of a duplicated NIK as the table shows it, or (``entry`` None) the
    line under a NIK's registrations that counts its villages not listed."""

    nik: str
    entry: DuplicateEntry | None
    first: bool  # the first line of its NIK
    newest: bool
    group: DuplicateGroup


def _lines(groups: list[DuplicateGroup]) -> list[DuplicateLine]:
    lines = []
    for group in groups:
        newest = group.newest
        for number_, entry in enumerate(group.entries):
            lines.append(DuplicateLine(group.nik, entry, number_ == 0, entry is newest, group))
        if group.more:
            lines.append(DuplicateLine(group.nik, None, False, False, group))
    return lines


def _place(line: DuplicateLine) -> str:
    if line.entry is None:
        return ngettext("and {count} more village", "and {count} more villages",
                        line.group.more).format(count=number(line.group.more))
    place = line.entry.place
    if place is None:
        return line.entry.village_code
    word = _("Kelurahan") if place.kind == service.KELURAHAN else _("Desa")
    return f"{word} {place.name}"


def _place_tooltip(line: DuplicateLine) -> str:
    if line.entry is not None:
        return line.entry.village_code
    return _("The NIK is a member in {villages} villages; only the {shown} newest "
             "registrations (by join date) are listed.").format(
        villages=number(line.group.villages), shown=number(len(line.group.entries)))


def _cell(text: Callable[[DuplicateEntry], str]) -> Callable[[DuplicateLine], str]:
    """A column of a registration, empty on the line that counts the villages not listed."""
    return lambda line: text(line.entry) if line.entry is not None else ""


def columns() -> list[Column[DuplicateLine]]:
    return [
        Column(_("NIK"), lambda d: d.nik if d.first else ""),
        Column(_("Name"), _cell(lambda e: e.name)),
        Column(_("Sex"), _cell(lambda e: e.sex)),
        Column(_("Date of birth"), _cell(lambda e: date_short(e.birth_date)
                                         if e.birth_date else "")),
        Column(_("Desa/Kelurahan"), _place, tooltip=_place_tooltip),
        Column(_("Kecamatan"), _cell(lambda e: e.place.kecamatan if e.place else "")),
        Column(_("Kabupaten/Kota"), _cell(lambda e: e.place.regency if e.place else "")),
        Column(_("Joined"), _cell(lambda e: date_short(e.joined_on) if e.joined_on else "")),
        Column(_("Status"), _cell(lambda e: _(member_rules.STATUS_LABELS.get(e.status,
                                                                            e.status)))),
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
              "shown.").format(rows=number(sum(
                  1 for line in self.model.rows if line.entry is not None))))
