"""The Buku Kegiatan list as a paged table model.

A thin adapter over :class:`~kt_desktop.services.activities.ActivityRow` pages; paging,
sorting in SQL and the generation that drops late pages are
:class:`~kt_desktop.gui.models.paged.PagedRowsModel`'s.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from kt_desktop.domain import activities as rules
from kt_desktop.domain.formats import date_short, number, rupiah
from kt_desktop.gui.models.paged import PagedRowsModel
from kt_desktop.gui.widgets import style
from kt_desktop.i18n import N_, _
from kt_desktop.services.activities import ActivityRow

DATE, TITLE, KIND, STATUS, PLACE, PARTNER, PEOPLE, BENEFICIARIES, FUNDS, PHOTOS = range(10)
HEADERS = (
    N_("Date"), N_("Title"), N_("Kind"), N_("Status"), N_("Place"), N_("Partner"),
    N_("Participants"), N_("Beneficiaries"), N_("Funds"), N_("Photos"),
)
#: Column -> sort key of ``store.activities.ORDERS``.
SORT_KEYS = {
    DATE: "date", TITLE: "title", KIND: "kind", STATUS: "status", PLACE: "place",
    PARTNER: "partner",
}
NUMERIC = (PEOPLE, BENEFICIARIES, FUNDS, PHOTOS)


def date_span(start: dt.date, end: dt.date | None) -> str:
    """``05/11/2026``, or ``05–07/11/2026`` within a month, else both dates in full."""
    if end is None or end == start:
        return date_short(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day:02d}\u2013{date_short(end)}"
    return f"{date_short(start)} \u2013 {date_short(end)}"


class ActivityTableModel(PagedRowsModel[ActivityRow]):
    headers = HEADERS
    right_aligned = NUMERIC
    sort_keys = SORT_KEYS

    def reset_rows(self, rows: list[ActivityRow], total: int, generation: int) -> None:
        """Show the first page of a new result."""
        if generation == self.generation:
            self._reset(rows, total)

    def activity(self, row: int) -> ActivityRow | None:
        return self.row_at(row)

    def extra(self, item: ActivityRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if item.status == rules.BATAL:
                return QColor(style.MUTED)
            if column == STATUS and item.status == rules.RENCANA:
                return QColor(style.ACCENT)
        return None

    def display(self, item: ActivityRow, row: int, column: int) -> str | None:
        if column == DATE:
            return date_span(item.start, item.end)
        if column == TITLE:
            return item.title
        if column == KIND:
            return item.kind
        if column == STATUS:
            return rules.status_label(item.status)
        if column == PLACE:
            return item.place
        if column == PARTNER:
            return item.partner
        if column == PEOPLE:
            people = item.attended + item.volunteers
            return number(people) if people else ""
        if column == BENEFICIARIES:
            return number(item.beneficiaries) if item.beneficiaries else ""
        if column == FUNDS:
            return rupiah(item.funds) if item.funds else ""
        if column == PHOTOS:
            return number(item.photos) if item.photos else ""
        return None

    @staticmethod
    def _tooltip(item: ActivityRow, column: int) -> str | None:
        if column == PEOPLE:
            return _("{members} members attended, {volunteers} volunteers").format(
                members=number(item.attended), volunteers=number(item.volunteers)
            )
        if column in (TITLE, PLACE, PARTNER):
            lines = [item.title, item.place, item.partner, item.section, item.campaign]
            return "\n".join(line for line in lines if line)
        return None
