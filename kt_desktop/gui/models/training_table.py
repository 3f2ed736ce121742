"""The trainings list as a paged table model.

Rows come from :func:`kt_desktop.services.trainings.list_trainings` in pages of 256; the model
never queries itself: ``fetchMore`` asks the page (through :attr:`more_wanted`) to load the
next page on a worker, and the answer comes back through :meth:`append_rows`. Sorting is
done in SQL too: :meth:`sort` only emits :attr:`sort_wanted`. A generation number drops pages
that arrive after the filter changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
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
from kt_desktop.gui.models.paged import Index, PagedRowsModel
from kt_desktop.gui.models.rows import header_text
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
#: Role giving the row's :class:`TrainingSummary`.
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 1


def date_range(start: dt.date, end: dt.date) -> str:
    if start == end:
        return date_short(start)
    return f"{date_short(start)} – {date_short(end)}"


class TrainingTableModel(PagedRowsModel[TrainingSummary]):
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

    # -- Qt --------------------------------------------------------------------------------
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == TITLE:
            parts = [row.title, row.organizer, row.partner]
            return "\n".join(part for part in parts if part)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (PARTICIPANTS, CERTIFICATES):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            status = row.status(self._today)
            if status == PLANNED:
                return QColor(style.MUTED)
            if status != FINISHED:
                return QColor(style.ACCENT)
            return None
        if role == SUMMARY_ROLE:
            return row
        return None

    def _display(self, row: TrainingSummary, column: int) -> str | None:
        if column == TITLE:
            return row.title
        if column == SKILL:
            return row.skill_field
        if column == KIND:
            return _(TRAINING_KINDS.get(row.kind, row.kind))
        if column == DATES:
            return date_range(row.start_date, row.end_date)
        if column == PARTICIPANTS:
            if row.quota:
                return _("{count} of {quota}").format(
                    count=number(row.participants), quota=number(row.quota)
                )
            return number(row.participants)
        if column == CERTIFICATES:
            return number(row.certificates)
        if column == STATUS:
            return _(STATUS_LABELS[row.status(self._today)])
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_text(HEADERS, section, orientation, role)
