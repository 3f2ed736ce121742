"""The trainings list as a paged table model.

Rows come from :func:`kt_desktop.services.trainings.list_trainings` a page at a time; paging,
sorting in SQL and the generation that drops late pages are
:class:`~kt_desktop.gui.models.paged.PagedRowsModel`'s.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from kt_desktop.domain import clock
from kt_desktop.domain.formats import date_short, number
from kt_desktop.domain.trainings import (
    FINISHED,
    PLANNED,
    STATUS_LABELS,
    TRAINING_KINDS,
    TrainingSummary,
)
from kt_desktop.gui.models.paged import PagedRowsModel
from kt_desktop.gui.widgets import style
from kt_desktop.i18n import N_, _

TITLE, SKILL, KIND, DATES, PARTICIPANTS, CERTIFICATES, STATUS = range(7)
HEADERS = (
    N_("Title"), N_("Skill field"), N_("Kind"), N_("Dates"), N_("Participants"),
    N_("Certificates"), N_("Status"),
)
#: Column -> sort key understood by the service.
SORT_KEYS = {
    TITLE: "title", SKILL: "skill_field", KIND: "kind", DATES: "start_date",
    PARTICIPANTS: "participants", STATUS: "start_date",
}


def date_range(start: dt.date, end: dt.date) -> str:
    if start == end:
        return date_short(start)
    return f"{date_short(start)} – {date_short(end)}"


class TrainingTableModel(PagedRowsModel[TrainingSummary]):
    headers = HEADERS
    right_aligned = (PARTICIPANTS, CERTIFICATES)
    sort_keys = SORT_KEYS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._today = clock.today()

    def reset_rows(self, rows: list[TrainingSummary], total: int, today: dt.date) -> None:
        """Show the first page of a new result (filter, search or sort changed)."""
        self._today = today
        self._reset(rows, total)

    def summary(self, row: int) -> TrainingSummary | None:
        return self.row_at(row)

    def extra(self, item: TrainingSummary, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == TITLE:
            parts = [item.title, item.organizer, item.partner]
            return "\n".join(part for part in parts if part)
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            status = item.status(self._today)
            if status == PLANNED:
                return QColor(style.MUTED)
            if status != FINISHED:
                return QColor(style.ACCENT)
        return None

    def display(self, item: TrainingSummary, row: int, column: int) -> str | None:
        if column == TITLE:
            return item.title
        if column == SKILL:
            return item.skill_field
        if column == KIND:
            return _(TRAINING_KINDS.get(item.kind, item.kind))
        if column == DATES:
            return date_range(item.start_date, item.end_date)
        if column == PARTICIPANTS:
            if item.quota:
                return _("{count} of {quota}").format(
                    count=number(item.participants), quota=number(item.quota)
                )
            return number(item.participants)
        if column == CERTIFICATES:
            return number(item.certificates)
        if column == STATUS:
            return _(STATUS_LABELS[item.status(self._today)])
        return None
