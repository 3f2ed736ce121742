"""Iuran Anggota: the members' dues of a year in a members × months grid.

The grid is a :class:`~kt_desktop.gui.widgets.code_grid.CodeGrid` like the attendance grid:
typing **L** (lunas) marks the month paid and moves to the next member, Delete takes a
payment typed by mistake back, Ctrl+S saves. Each paid month becomes a cash entry (category
iuran) dated the day it is saved (``services/dues.py``); an exempt member's months are grey
and take nothing. Above the grid: the year, the monthly rate, exempting the selected member;
below it each member's arrears in the last column and the printed arrears list.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from kt_desktop.domain import clock
from kt_desktop.domain.dues import PAID, SHORT_MONTHS, DuesGrid
from kt_desktop.domain.formats import month_year, number, rupiah
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.base import SidebarPage
from kt_desktop.gui.widgets.code_grid import Cell, CodeGrid, CodeGridModel
from kt_desktop.gui.widgets.file_dialogs import ask_save_pdf
from kt_desktop.gui.widgets.labels import muted_label
from kt_desktop.gui.widgets.page_header import page_column
from kt_desktop.i18n import _
from kt_desktop.services import dues as service

PAID_COLOUR = "#d9f2df"


class DuesModel(CodeGridModel):
    """Rows: members, then the count paid per month. Columns: months, then arrears."""

    codes = (PAID,)
    colours = {PAID: PAID_COLOUR}

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.sheet: DuesGrid | None = None
        self.upto = ""  # arrears count the months up to this one ("YYYY-MM")

    def load(self, sheet: DuesGrid, upto: str, *, keep_pending: bool = False) -> None:
        pending = self.changes() if keep_pending else {}
        self.beginResetModel()
        self.sheet, self.upto = sheet, upto
        self._row_ids = [m.id for m in sheet.members]
        self._column_ids = sheet.months
        codes = {(month, member.id): PAID for member in sheet.members
                 for month in sheet.months if sheet.is_paid(member.id, month)}
        self.load_codes(codes, pending)
        self.endResetModel()

    def editable(self, row: int, column: int) -> bool:
        sheet = self.sheet
        assert sheet is not None
        member, month = sheet.members[row], self._column_ids[column]
        return sheet.owes(member, month) or sheet.is_paid(member.id, month)

    def cell_text(self, row: int, column: int) -> str:
        if not self.editable(row, column):
            return "—"
        return self.code_at(row, column) or ""

    def owed(self, row: int) -> int:
        sheet = self.sheet
        assert sheet is not None
        member = sheet.members[row]
        return sum(1 for column, month in enumerate(self._column_ids)
                   if month <= self.upto and sheet.owes(member, month)
                   and not self.code_at(row, column))

    def row_total(self, row: int) -> str:
        owed = self.owed(row)
        return rupiah(owed * self.sheet.rate) if owed and self.sheet else "–"

    def column_total(self, column: int) -> str:
        return number(sum(1 for row in range(len(self._row_ids)) if self.code_at(row, column)))

    def cell_tip(self, row: int, column: int) -> str | None:
        sheet = self.sheet
        assert sheet is not None
        member = sheet.members[row]
        month = month_year(dt.date.fromisoformat(self._column_ids[column] + "-01"))
        if member.exempt is not None:
            return _("{name} is exempt from dues: {reason}").format(
                name=member.name, reason=member.exempt)
        state = _("paid") if self.code_at(row, column) else _("not paid")
        return f"{member.name} — {month}: {state}"

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or self.sheet is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if section == len(self._column_ids):
                return _("Arrears")
            return SHORT_MONTHS[section] if 0 <= section < len(self._column_ids) else None
        if section == len(self._row_ids):
            return _("Paid (L)")
        if 0 <= section < len(self._row_ids):
            member = self.sheet.members[section]
            mark = " " + _("(exempt)") if member.exempt is not None else ""
            return f"{section + 1}. {member.name}{mark}"
        return None


class DuesGridWidget(CodeGrid):
    model: DuesModel

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.build(
            DuesModel(self),
            hint=_("Type L (lunas) for a month paid: the cell is filled and the next member "
                   "is selected. Delete takes a payment typed by mistake back, arrows move. "
                   "Ctrl+S saves; each month paid becomes a cash entry."),
            save=_("Save dues"),
            save_tip=_("Write the months marked paid into the cash book (Ctrl+S)"),
            saved_text=_("All dues are saved."),
            totals_width=96,
        )
        self.view.horizontalHeader().setDefaultSectionSize(46)
        self._after_reset()

    def empty_text(self) -> str:
        return _("Add members to the register first; each becomes a row of the grid.")


class DuesPage(SidebarPage):
    """The page: year, rate and exemption above the grid; arrears list and save below."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(ops, parent)
        # scrolls up and down when the window is too short (150 % scaling, a large font)
        layout, self.header = page_column(self, _("Members' Dues"), _(
            "The dues (iuran) of each member per month. A month paid is written into the "
            "cash book as a receipt of category iuran."), scrolls=True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_("Year")))
        today = clock.today()
        self.year = QSpinBox()
        self.year.setRange(2000, today.year + 1)
        self.year.setValue(today.year)
        self.year.valueChanged.connect(self._year_changed)
        bar.addWidget(self.year)
        bar.addStretch(1)
        self.rate_button = QPushButton(_("Rate…"))
        self.rate_button.setToolTip(_("Set the monthly dues rate"))
        self.rate_button.clicked.connect(self.change_rate)
        bar.addWidget(self.rate_button)
        self.exempt_button = QPushButton(_("Exempt…"))
        self.exempt_button.setToolTip(_(
            "Exempt the selected member from dues (e.g. a student), or end the exemption"))
        self.exempt_button.clicked.connect(self.toggle_exempt)
        bar.addWidget(self.exempt_button)
        self.print_button = QPushButton(_("Print arrears"))
        self.print_button.setToolTip(_("The list of members who owe dues, signed by the "
                                       "Ketua and the Bendahara"))
        self.print_button.clicked.connect(self.print_arrears)
        bar.addWidget(self.print_button)
        layout.addLayout(bar)
        self.rate_label = muted_label("")
        self.rate_label.setWordWrap(True)
        layout.addWidget(self.rate_label)
        self.grid = DuesGridWidget(self)
        self.grid.save_wanted.connect(self.save)
        layout.addWidget(self.grid, 1)
        self.note = muted_label("")
        layout.addWidget(self.note)
        self._shown: int | None = None
        self.refresh()

    def shortcuts_hint(self) -> str:
        return _("L: paid · Delete: not paid · Ctrl+S: save")

    def refresh(self) -> None:
        year = self.year.value()
        today = clock.today()
        upto = f"{today.year:04d}-{today.month:02d}" if year == today.year else (
            f"{year:04d}-12" if year < today.year else f"{year:04d}-00")

        def shown(sheet: DuesGrid) -> None:
            self.grid.model.load(sheet, upto, keep_pending=self._shown == year)
            self.grid._after_reset()
            self._shown = year
            self.rate_label.setText(
                _("Monthly rate: {amount}").format(amount=rupiah(sheet.rate)) if sheet.rate
                else _("No monthly rate is set yet: choose Rate… first."))
            owed = sum(self.grid.model.owed(row) for row in range(len(sheet.members)))
            self.note.setText(_("{count} unpaid months up to now, {amount} in all.").format(
                count=number(owed), amount=rupiah(owed * sheet.rate)))

        self.ops.query(lambda s: service.grid(s, year), self._alive(shown), parent=self)

    def _year_changed(self, _value: int) -> None:
        self.save_pending()  # typed dues are never lost by looking at another year
        self.refresh()

    def save_pending(self) -> None:
        """Write the cells typed but not saved yet, for the year they were typed in."""
        changes = self.grid.model.changes()
        if changes and self._shown is not None:
            self.save(changes, year=self._shown)

    def hideEvent(self, event: Any) -> None:
        if self.window().isVisible():  # another page chosen: save what was typed
            self.save_pending()
        super().hideEvent(event)

    def save(self, changes: dict[Cell, str | None], *, year: int | None = None) -> None:
        year = year if year is not None else self.year.value()
        on = clock.today()

        def done(_count: object) -> None:
            if self._shown == year:
                self.grid.saved(changes)
            self.note.setText(_("Saved in the cash book."))
            self.refresh()

        self.ops.write(lambda s: service.save_grid(s, year, changes, on=on),
                       self._alive(done), parent=self)

    def change_rate(self) -> None:
        sheet = self.grid.model.sheet
        text, ok = QInputDialog.getText(
            self, _("Monthly dues rate"), _("The dues of one member for one month, e.g. "
                                            "10.000:"),
            text=number(sheet.rate) if sheet and sheet.rate else "")
        if ok and text.strip():
            self.ops.write(lambda s: service.set_rate(s, text), self._alive(
                lambda _v: self.refresh()), parent=self)

    def selected_member(self) -> tuple[str, str, str | None] | None:
        sheet, row = self.grid.model.sheet, self.grid.view.currentIndex().row()
        if sheet is None or not 0 <= row < len(sheet.members):
            return None
        member = sheet.members[row]
        return member.id, member.name, member.exempt

    def toggle_exempt(self) -> None:
        chosen = self.selected_member()
        if chosen is None:
            return
        member_id, name, exempt = chosen
        if exempt is not None:
            reason: str | None = None
        else:
            reason, ok = QInputDialog.getText(
                self, _("Exempt from dues"),
                _("Why is {name} exempt from dues?").format(name=name))
            if not ok:
                return
        self.ops.write(lambda s: service.set_exempt(s, member_id, reason),
                       self._alive(lambda _v: self.refresh()), parent=self)

    def ask_path(self) -> Path | None:
        """The file dialog (a method of its own so tests can stand in for it)."""
        return ask_save_pdf(self, "Tunggakan_Iuran.pdf")

    def print_arrears(self) -> None:
        path = self.ask_path()
        if path is None:
            return
        year, today = self.year.value(), clock.today()
        upto = (year, today.month) if year == today.year else (year, 12)
        self.ops.long_task(
            lambda s, p: service.build_arrears(s, upto, path, progress=p),
            _("Making the arrears list…"),
            self._alive(lambda result: self.note.setText(
                _("Saved: {result}").format(result=result))), parent=self)
