"""A small grouped bar chart drawn with QPainter, for Beranda.

Beranda is the first page a secretary sees, so its charts cost nothing at start-up: no chart
library, no reportlab, a few rectangles and numbers. One group of bars per label (an age
band, a month), one bar per series (male/female, activities/beneficiaries), each group's
numbers written above its bars so the chart reads without an axis; the legend under it.
Its height follows the font, its width the page (bars as wide as their numbers where there is
room, a number raised above its neighbour's where there is not, so they never overlap; a label that does not
fit its group is drawn smaller).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from kt_desktop.domain.formats import number
from kt_desktop.gui.widgets import style

if TYPE_CHECKING:  # the dashboard's module loads on the worker, after the first paint
    from kt_desktop.services.dashboard import Chart

#: The series' colours, in order (the reports' male/female blue and rose first).
SERIES_COLOURS = ("#2f6fab", "#c2577a", "#6a9a3a", "#b07a1f")


class MiniChart(QWidget):
    """Draws one :class:`~kt_desktop.services.dashboard.Chart`."""

    def __init__(self, chart: Chart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(chart.title)
        self.setToolTip(self._summary())

    def _summary(self) -> str:
        """The figures as text (the tooltip, and what a screen reader says)."""
        lines = [self.chart.title]
        for index, label in enumerate(self.chart.labels):
            values = ", ".join(f"{name} {number(values[index])}"
                               for name, values in self.chart.series)
            lines.append(f"{label}: {values}")
        return "\n".join(lines)

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(320, line * 12)

    def minimumSizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(220, line * 12)

    def _small_font(self) -> QFont:
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.85))
        return small

    def value_boxes(self) -> list[tuple[int, QRectF, QRectF, str]]:
        """(series, bar, the box of its number, the number) for every bar with a value.

        A bar is as wide as its number where the group has room; where it has not (many
        series, a narrow page, large numbers), a number that would cover another one
        already placed stands above it instead, and the bars leave a line more room."""
        line = self.fontMetrics().height()
        width, height = self.width(), self.height()
        small = QFontMetrics(self._small_font())
        groups = max(1, len(self.chart.labels))
        group_width = width / groups
        series = max(1, len(self.chart.series))
        texts = [[number(value) for value in values] for _name, values in self.chart.series]
        widest = max([0] + [small.horizontalAdvance(text) for row in texts for text in row]) + 6
        bar_width = max(3.0, min(group_width * 0.9 / series, max(line * 1.6, widest)))
        crowded = widest > bar_width and series > 1
        top = line * (3.2 if crowded else 2.2)
        bottom = height - line * 2.4  # the legend, and the labels under the bars
        overall = max([1] + [value for _name, values in self.chart.series for value in values])
        peaks = [max([1, *values]) if self.chart.separate_scales else overall
                 for _name, values in self.chart.series]
        boxes = []
        for index in range(len(self.chart.labels)):
            left = index * group_width + (group_width - bar_width * series) / 2
            for offset, (_name, values) in enumerate(self.chart.series):
                value = values[index] if index < len(values) else 0
                if not value:
                    continue
                bar_height = (bottom - top) * value / peaks[offset]
                x = left + offset * bar_width
                text = texts[offset][index]
                text_width = small.horizontalAdvance(text) + 2
                box = QRectF(x + (bar_width - text_width) / 2, bottom - bar_height - line,
                             text_width, line)
                clash = True
                while clash:  # up, above every number it would cover (each move is upwards)
                    clash = False
                    for _offset, _bar, other, _text in boxes:
                        if box.intersects(other):
                            box.moveBottom(other.top() - 0.5)
                            clash = True
                boxes.append((
                    offset,
                    QRectF(x + 1, bottom - bar_height, bar_width - 2, bar_height),
                    box,
                    text,
                ))
        return boxes

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        line = metrics.height()
        width, height = self.width(), self.height()
        title_font = QFont(self.font())
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(QColor(style.TEXT))
        painter.drawText(QRectF(0, 0, width, line), Qt.AlignmentFlag.AlignLeft,
                         QFontMetrics(title_font).elidedText(
                             self.chart.title, Qt.TextElideMode.ElideRight, width))
        legend_top = height - line
        painter.setFont(self.font())
        self._legend(painter, legend_top, width)
        bottom = height - line * 2.4
        painter.setPen(QColor(style.BORDER))
        painter.drawLine(0, int(bottom), width, int(bottom))
        small = self._small_font()
        painter.setFont(small)
        for offset, bar, box, text in self.value_boxes():
            painter.fillRect(bar, QColor(SERIES_COLOURS[offset % len(SERIES_COLOURS)]))
            painter.setPen(QColor(style.TEXT))
            painter.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                             text)
        group_width = width / max(1, len(self.chart.labels))
        for index, label in enumerate(self.chart.labels):
            painter.setFont(self.font() if metrics.horizontalAdvance(label) <= group_width
                            else small)
            painter.setPen(QColor(style.MUTED))
            painter.drawText(QRectF(index * group_width, bottom + 2, group_width, line),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, label)
        painter.end()

    def _legend(self, painter: QPainter, top: float, width: int) -> None:
        metrics = self.fontMetrics()
        x = 0.0
        box = metrics.height() * 0.7
        for offset, (name, _values) in enumerate(self.chart.series):
            painter.fillRect(QRectF(x, top + (metrics.height() - box) / 2, box, box),
                             QColor(SERIES_COLOURS[offset % len(SERIES_COLOURS)]))
            x += box + 4
            painter.setPen(QColor(style.TEXT))
            text_width = metrics.horizontalAdvance(name)
            painter.drawText(QRectF(x, top, min(text_width + 2, max(0.0, width - x)),
                                    metrics.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
            x += text_width + 16
