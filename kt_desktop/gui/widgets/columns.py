"""Column widths that hold up on a 1024 px screen and with the largest font.

A list's main column (Nama, Judul) was a ``Stretch`` section: when the other columns
already filled a narrow table, Qt shrank it to a few pixels ("Kerja b…", two letters of a
name) while the rest scrolled off to the right. :func:`keep_main_column` gives it what the
others leave, but never less than a readable width: the table then scrolls sideways and the
name stays readable. :func:`size_columns` turns a page's pixel widths (chosen at the default
font) into widths for the font in use, never narrower than the column's title.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget

from kt_desktop import ui_prefs
from kt_desktop.gui.widgets.fit import header_need

#: Characters of the main column that always show (a name, a title).
MAIN_COLUMN_CHARS = 18


def font_scale(widget: QWidget) -> float:
    """How much larger than the default the widget's font is (1.0 at or below it)."""
    return max(1.0, QFontInfo(widget.font()).pointSizeF() / ui_prefs.DEFAULT_FONT_SIZE)


def size_columns(view: QTableView, widths: dict[int, int]) -> None:
    """Each column at its width for the default font, scaled to the font in use, and at
    least as wide as its title."""
    header = view.horizontalHeader()
    scale = font_scale(view)
    for column, width in widths.items():
        header.resizeSection(column, max(round(width * scale), header_need(header, column)))


class _MainColumn(QObject):
    """Keeps one column at "what the others leave" (at least ``minimum`` px)."""

    def __init__(self, view: QTableView, column: int, minimum: int) -> None:
        super().__init__(view)
        self.view = view
        self.column = column
        self.minimum = minimum
        self._busy = False
        self._pending = False
        header = view.horizontalHeader()
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._resized)
        view.viewport().installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._fit_soon()
        return False

    def _resized(self, section: int, _old: int, _new: int) -> None:
        if section != self.column:
            self._fit_soon()

    def _fit_soon(self) -> None:
        """One fit for a burst of resizes. Measuring the other columns makes Qt size every
        "to contents" column again, and a table filled at once resizes each of them in
        turn: fitting after each cost a Rekap thousands of cell reads (a second at open)."""
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self._fit_now)  # dropped if the table goes first

    def _fit_now(self) -> None:
        self._pending = False
        self.fit()

    def fit(self) -> None:
        if self._busy:
            return
        header = self.view.horizontalHeader()
        if self.column >= header.count():
            return
        others = sum(
            header.sectionSize(section) for section in range(header.count())
            if section != self.column and not header.isSectionHidden(section)
        )
        width = max(self.minimum, header_need(header, self.column),
                    self.view.viewport().width() - others)
        if header.sectionSize(self.column) != width:
            self._busy = True
            try:
                header.resizeSection(self.column, width)
            finally:
                self._busy = False


def keep_main_column(view: QTableView, column: int, chars: int = MAIN_COLUMN_CHARS) -> None:
    """``column`` takes the room the other columns leave, and never fewer than ``chars``
    average characters (instead of Qt's ``Stretch``, which shrinks it to nothing)."""
    _MainColumn(view, column, view.fontMetrics().averageCharWidth() * chars).fit()
