"""A date field that may also be empty ("—"), as an SK date often is at first.

Qt's QDateEdit always holds a date; this one keeps its minimum as the "no date" value and
shows a dash for it. Tab leaves the field at once, empty or not (Qt's own Tab walked the
day, month and year and never left a field showing "—"; typing moves on by itself and
the arrows move between the parts). Opening the calendar on an empty field starts at today rather than at
the year 1900, and Delete or Backspace on the whole field empties it again.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QDateEdit, QWidget

EMPTY = QDate(1900, 1, 1)
DISPLAY_FORMAT = "dd/MM/yyyy"


def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class DateField(QDateEdit):
    def __init__(self, parent: QWidget | None = None, *, optional: bool = True) -> None:
        super().__init__(parent)
        self._optional = optional
        self.setCalendarPopup(True)
        self.setDisplayFormat(DISPLAY_FORMAT)
        self.setMaximumDate(QDate(2100, 12, 31))
        if optional:
            self.setMinimumDate(EMPTY)
            self.setSpecialValueText("—")
            self.setDate(EMPTY)
        else:
            self.setMinimumDate(QDate(1950, 1, 1))
            self.setDate(QDate.currentDate())

    def value(self) -> dt.date | None:
        if self._optional and self.date() == EMPTY:
            return None
        return from_qdate(self.date())

    def set_value(self, value: dt.date | None) -> None:
        if value is None:
            self.setDate(EMPTY if self._optional else QDate.currentDate())
        else:
            self.setDate(to_qdate(value))

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)

    def _start_at_today(self) -> None:
        if self._optional and self.date() == EMPTY:
            self.setDate(QDate.currentDate())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._start_at_today()
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        alt_down = key == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
        if key == Qt.Key.Key_F4 or alt_down:
            self._start_at_today()
        elif (
            self._optional
            and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and self.lineEdit().selectedText() == self.lineEdit().text()
        ):
            self.setDate(EMPTY)
            return
        elif self._optional and self.date() == EMPTY and event.text().isdigit():
            # Typing into "—" starts a date from today, so the typed digit lands in the day.
            self.setDate(QDate.currentDate())
            self.setSelectedSection(QDateEdit.Section.DaySection)
        super().keyPressEvent(event)
