"""The receiver's period picker: a "Month/Year" list and the months or years to choose from.

The Summary page and the Reports page both ask for a period this way; the two lists are
made, filled and set here so both offer the same periods.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox

from kt_desktop.domain.formats import month_year
from kt_desktop.i18n import _
from kt_desktop.services import receiver as service
from kt_desktop.services.receiver import Period

MONTHS_BACK = 36
YEARS_BACK = 5


def period_lists() -> tuple[QComboBox, QComboBox]:
    """The kind list (Month, Year) and the (still empty) list of periods of that kind."""
    kind = QComboBox()
    kind.addItem(_("Month"), "month")
    kind.addItem(_("Year"), "year")
    kind.setAccessibleName(_("Kind of period"))
    choice = QComboBox()
    choice.setAccessibleName(_("Period"))
    return kind, choice


def fill_periods(kind: QComboBox, choice: QComboBox, today: dt.date) -> None:
    """The last :data:`YEARS_BACK` years or :data:`MONTHS_BACK` months, newest first."""
    choice.clear()
    if kind.currentData() == "year":
        for back in range(YEARS_BACK):
            year = today.year - back
            choice.addItem(str(year), service.year_period(year))
        return
    first = today.replace(day=1)
    for back in range(MONTHS_BACK):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        day = dt.date(year, month + 1, 1)
        choice.addItem(month_year(day), service.month_period(day.year, day.month))


def select_period(kind: QComboBox, choice: QComboBox, period: Period) -> None:
    """Show ``period``, adding it to the list when it is older than those offered."""
    kind.setCurrentIndex(1 if period.is_year else 0)
    index = next((i for i in range(choice.count()) if choice.itemData(i) == period), -1)
    if index < 0:
        choice.addItem(period.label, period)
        index = choice.count() - 1
    choice.setCurrentIndex(index)
