"""The Buku Induk Anggota as a paged table model.

A thin adapter over :class:`~kt_desktop.domain.members.MemberRow` pages; paging, sorting in
SQL and the generation that drops late pages are
:class:`~kt_desktop.gui.models.paged.PagedRowsModel`'s (with no total: the register is not
counted on every keystroke). The display texts of a row are made once, on its first paint.

The NIK column shows bullets and the last 4 digits; a NIK the secretary revealed (audited by
the service) is shown in full until :meth:`hide_niks`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from kt_desktop.domain import clock
from kt_desktop.domain import nik as nik_rules
from kt_desktop.domain.formats import date_short
from kt_desktop.domain.members import STATUS_LABELS, MemberRow, position_text
from kt_desktop.gui.models.paged import PAGE_SIZE, PagedRowsModel
from kt_desktop.gui.models.rows import ROW_ROLE, Index
from kt_desktop.gui.widgets import style
from kt_desktop.i18n import N_, _

NAME, NIK, SEX, BIRTH, AGE, DUSUN, RT_RW, PHONE, POSITION, STATUS = range(10)
HEADERS = (
    N_("Name"), N_("NIK"), N_("L/P"), N_("Date of birth"), N_("Age"), N_("Dusun"),
    N_("RT/RW"), N_("Phone"), N_("Position"), N_("Status"),
)
#: Column -> sort key of ``store.members`` (the NIK column does not sort: its order would
#: give away the hidden digits).
SORT_KEYS = {
    NAME: "name", SEX: "sex", BIRTH: "birth_date", AGE: "age", DUSUN: "dusun", RT_RW: "dusun",
    PHONE: "phone", POSITION: "position", STATUS: "status",
}
COLUMN_OF_SORT = {key: column for column, key in SORT_KEYS.items() if column != RT_RW}

_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_HANDLED = frozenset({_DISPLAY, _TOOLTIP, _ALIGNMENT, _FOREGROUND, ROW_ROLE})
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
#: Made once: a repaint asks every visible cell's flags, and OR-ing enums costs.
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_NO_FLAGS = Qt.ItemFlag.NoItemFlags


def age_on(born: dt.date, today: dt.date) -> int:
    return nik_rules.age_on(born, today)


class MemberTableModel(PagedRowsModel[MemberRow]):
    headers = HEADERS
    sort_keys = SORT_KEYS

    def __init__(self, parent: Any = None, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.today = today or clock.today()
        #: Display texts of the rows painted so far, by row (made on first paint).
        self._texts: dict[int, tuple[str, ...]] = {}
        self._muted = QColor(style.MUTED)
        self._revealed: dict[str, str] = {}

    # -- loading -----------------------------------------------------------------------------
    def reset_rows(self, rows: list[MemberRow], generation: int, *, page_size: int = PAGE_SIZE) -> bool:
        """Show the first page of a new result; False when it came too late to be shown.

        The register is not counted (a second query on every keystroke): the model asks for
        more while pages come back full.
        """
        if generation != self.generation:
            return False
        self._texts.clear()
        self._reset(rows, None, page_size=page_size)
        return True

    def member(self, row: int) -> MemberRow | None:
        return self.row_at(row)

    # -- the NIK ----------------------------------------------------------------------------
    def reveal(self, member_id: str, nik: str) -> None:
        """Show this member's full NIK (the caller got it through the audited service)."""
        self._revealed[member_id] = nik
        row = self.row_of(member_id)
        if row >= 0:
            self._texts.pop(row, None)
            index = self.index(row, NIK)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])

    def is_revealed(self, member_id: str) -> bool:
        return member_id in self._revealed

    def hide_niks(self) -> None:
        if not self._revealed:
            return
        self._revealed.clear()
        self._texts.clear()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, NIK), self.index(len(self._rows) - 1, NIK),
                [Qt.ItemDataRole.DisplayRole],
            )

    # -- Qt ----------------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A repaint asks ~8 roles of every visible cell: unhandled roles leave first, and the
        # display text of a row is made once (on first paint) and kept, so a keystroke's
        # repaint costs little Python.
        if role not in _HANDLED:
            return None
        row = index.row()
        if not 0 <= row < len(self._rows) or not index.isValid():
            return None
        column = index.column()
        if role == _DISPLAY:
            texts = self._texts.get(row)
            if texts is None:
                texts = self._texts[row] = self._display_row(self._rows[row])
            return texts[column] if 0 <= column < len(texts) else None
        item = self._rows[row]
        if role == _FOREGROUND:
            if item.status == "keluar" or (column == NIK and item.nik_missing):
                return self._muted
            return None
        if role == _ALIGNMENT:
            return _CENTER if column in (AGE, SEX) else None
        if role == _TOOLTIP:
            return self._tooltip(item, column)
        if role == ROW_ROLE:
            return item
        return None

    def _display_row(self, item: MemberRow) -> tuple[str, ...]:
        return tuple(self.display(item, 0, column) or "" for column in range(len(HEADERS)))

    def display(self, item: MemberRow, row: int, column: int) -> str | None:
        if column == NAME:
            return item.name
        if column == NIK:
            if item.id in self._revealed:
                return self._revealed[item.id]
            if item.nik_tail:  # four bullets, not twelve: the column stays narrow
                return nik_rules.MASK_CHAR * 4 + item.nik_tail
            return _("no NIK") if item.nik_missing else ""
        if column == SEX:
            return item.sex
        if column == BIRTH:
            return date_short(item.birth_date) if item.birth_date else ""
        if column == AGE:
            return str(age_on(item.birth_date, self.today)) if item.birth_date else ""
        if column == DUSUN:
            return item.dusun
        if column == RT_RW:
            return f"{item.rt or '-'}/{item.rw or '-'}" if item.rt or item.rw else ""
        if column == PHONE:
            return item.phone
        if column == POSITION:
            return position_text(item.position, item.seksi)
        if column == STATUS:
            return _(STATUS_LABELS[item.status]) if item.status in STATUS_LABELS else item.status
        return None

    def _tooltip(self, item: MemberRow, column: int) -> str | None:
        if column == NIK and item.nik_tail and item.id not in self._revealed:
            return _("Only the last 4 digits are shown. Select the member and press "
                     "\u201cShow NIK\u201d to see it all (the audit log records it).")
        if column == POSITION and item.position:
            return position_text(item.position, item.seksi)
        if column == NAME:
            return item.name
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (role == Qt.ItemDataRole.ToolTipRole and section == NIK
                and orientation == Qt.Orientation.Horizontal):
            return _("The NIK column does not sort: only its last 4 digits are shown.")
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else _NO_FLAGS
