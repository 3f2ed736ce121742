"""The Desa page's table: every desa/kelurahan of the receiver's area, enrolled or not.

At most 1,552 rows (Banten), read in one go on a worker as
:class:`~kt_desktop.services.receiver.VillageOverview` dataclasses; filtering and sorting
such a list in Python takes a millisecond, so this model keeps it whole and filters it
itself (no proxy model).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from kt_desktop.domain.formats import date_short, number
from kt_desktop.gui.models.rows import RowsModel
from kt_desktop.gui.widgets import style
from kt_desktop.i18n import N_, _
from kt_desktop.services import receiver as service
from kt_desktop.services.receiver import VillageOverview

CODE, NAME, KECAMATAN, REGENCY, STATUS, KEY, LAST, BUNDLES, GAPS, CONFLICTS, THIS_MONTH = range(11)
HEADERS = (
    N_("Code"), N_("Desa/Kelurahan"), N_("Kecamatan"), N_("Kabupaten/Kota"),
    N_("Village status"), N_("Key fingerprint"), N_("Last data sent"), N_("Bundles"),
    N_("Gaps"), N_("Conflicts"), N_("This month"),
)
NUMERIC = (BUNDLES, GAPS, CONFLICTS)

#: Filters of the "Show" list: key -> (label, test).
FILTERS: dict[str, tuple[str, Callable[[VillageOverview], bool]]] = {
    "all": (N_("All villages"), lambda v: True),
    "enrolled": (N_("Sending data here"), lambda v: v.enrolled),
    "not_enrolled": (N_("Never sent anything"), lambda v: not v.enrolled),
    "not_this_month": (N_("No data this month"), lambda v: not v.reported_this_month),
    "gaps": (N_("With missing bundles"), lambda v: bool(v.gaps or v.refused)),
    "conflicts": (N_("With open conflicts"), lambda v: v.open_conflicts > 0),
}


def short_fingerprint(fingerprint: str) -> str:
    """The first two groups (``6C6B E728 …``); the tooltip has it whole."""
    groups = fingerprint.split()
    return " ".join(groups[:2]) + (" \u2026" if len(groups) > 2 else "")


def _day(moment: dt.datetime | None) -> str:
    day = service.local_day(moment)
    return date_short(day) if day else ""


class VillagesModel(RowsModel[VillageOverview]):
    headers = HEADERS
    right_aligned = NUMERIC

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[VillageOverview] = []
        self._query = ""
        self._regency = ""
        self._filter = "all"
        self._sort: tuple[int, bool] = (CODE, False)

    # -- data ------------------------------------------------------------------------------
    def set_villages(self, villages: Sequence[VillageOverview]) -> None:
        self._all = list(villages)
        self._apply()

    def set_filter(self, *, query: str | None = None, regency: str | None = None,
                   show: str | None = None) -> None:
        if query is not None:
            self._query = query.strip().casefold()
        if regency is not None:
            self._regency = regency
        if show is not None:
            self._filter = show
        self._apply()

    def _apply(self) -> None:
        test = FILTERS.get(self._filter, FILTERS["all"])[1]
        query = self._query
        rows = [
            village for village in self._all
            if test(village)
            and (not self._regency or village.place.code.startswith(self._regency + "."))
            and (not query or query in village.place.name.casefold()
                 or query in village.place.code or query in village.kt_name.casefold()
                 or query in village.place.kecamatan.casefold())
        ]
        column, descending = self._sort
        rows.sort(key=lambda v: self._sort_key(v, column), reverse=descending)
        self.set_rows(rows)

    @property
    def total(self) -> int:
        return len(self._all)

    def village(self, row: int) -> VillageOverview | None:
        return self.row_at(row)

    def row_of(self, code: str) -> int:
        return next((i for i, v in enumerate(self._rows) if v.place.code == code), -1)

    # -- Qt --------------------------------------------------------------------------------
    def display(self, item: VillageOverview, row: int, column: int) -> str | None:
        return self._display(item, column)

    def extra(self, item: VillageOverview, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if not item.enrolled:
                return QColor(style.MUTED)
            if (column == GAPS and (item.gaps or item.refused)) or (column == CONFLICTS and
                                                  item.open_conflicts):
                return QColor(style.ERROR)
        return None

    @staticmethod
    def _display(v: VillageOverview, column: int) -> str | None:
        if column == CODE:
            return v.place.code
        if column == NAME:
            word = _("Kelurahan") if v.place.kind == service.KELURAHAN else _("Desa")
            return f"{word} {v.place.name}"
        if column == KECAMATAN:
            return v.place.kecamatan
        if column == REGENCY:
            return v.place.regency.replace("Kabupaten ", "Kab. ", 1)
        if column == STATUS:
            return v.status.status.capitalize() if v.status is not None else ""
        if column == KEY:
            return short_fingerprint(v.fingerprint) if v.fingerprint else _("not enrolled")
        if column == LAST:
            return _day(v.last_bundle) or ("" if v.enrolled else "\u2014")
        if column == BUNDLES:
            return number(v.bundles) if v.bundles else ""
        if column == GAPS:
            missing = len(v.gaps) + len(v.refused)
            return number(missing) if missing else ""
        if column == CONFLICTS:
            return number(v.open_conflicts) if v.open_conflicts else ""
        if column == THIS_MONTH:
            return "\u2713" if v.reported_this_month else ""
        return None

    @staticmethod
    def _tooltip(v: VillageOverview, column: int) -> str | None:
        if column == NAME and v.kt_name:
            return v.kt_name
        if column == REGENCY:
            return v.place.regency
        if column == KEY and v.fingerprint:
            return _("Key fingerprint: {fp}\nFirst bundle accepted: {day}").format(
                fp=v.fingerprint, day=_day(v.first_seen))
        if column == GAPS and (v.gaps or v.refused):
            lines = []
            if v.gaps:
                lines.append(_("Bundles not received: {numbers}").format(
                    numbers=", ".join(f"#{seq}" for seq in v.gaps)))
            for seq, when, reason in v.refusal_reasons:
                lines.append(_("Bundle #{seq} was received on {day} and refused: {reason}").format(
                    seq=seq, day=_day(when), reason=reason))
            return "\n".join(lines)
        if column == LAST and v.last_received:
            return _("Made by the village on {made}, imported here on {received}").format(
                made=_day(v.last_bundle), received=_day(v.last_received))
        if column == STATUS and v.status is not None:
            return _("{status}, {year}; source: {source}").format(
                status=service.status_label(v.status.status), year=v.status.year,
                source=v.status.source or "\u2014")
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order == Qt.SortOrder.DescendingOrder)
        self._apply()

    @staticmethod
    def _sort_key(v: VillageOverview, column: int) -> Any:
        if column == LAST:
            return v.last_bundle.isoformat() if v.last_bundle else ""
        if column == BUNDLES:
            return v.bundles
        if column == GAPS:
            return len(v.gaps) + len(v.refused)
        if column == CONFLICTS:
            return v.open_conflicts
        if column == THIS_MONTH:
            return v.reported_this_month
        text = VillagesModel._display(v, column) or ""
        return (text.casefold(), v.place.code)
