"""The bar chart of beneficiaries by PPKS category and sex (monthly and annual reports).

Horizontal bars, because the category names are long ("Perempuan rawan sosial ekonomi") and
must be read without turning the page; one bar per sex, in the same colours as the legend.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from kt_desktop.domain import formats
from kt_desktop.i18n import _
from kt_desktop.reports.base import FEMALE_BAR, FONT, FONT_NARROW, MALE_BAR, MUTED
from kt_desktop.reports.model import BeneficiaryLine

LABEL_SIZE = 7.5


def _short(text: str, width: float) -> str:
    """Cut a category name to ``width`` points with an ellipsis (the table has it whole)."""
    if pdfmetrics.stringWidth(text, FONT_NARROW, LABEL_SIZE) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", FONT_NARROW, LABEL_SIZE) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _nice_max(value: int) -> tuple[int, int]:
    """An axis maximum and step that give round tick labels."""
    if value <= 5:
        return 5, 1
    for step in (2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value / step <= 8:
            top = -(-value // step) * step
            return int(top), step
    step = 10 ** (len(str(value)) - 1)
    return int(-(-value // step) * step), step


def count_axis(chart: HorizontalBarChart | VerticalBarChart, top: int, step: int,
               label_size: float = 7) -> None:
    """The count axis every chart of the reports draws (beneficiaries, villages reporting,
    activities by kind): from 0 to ``top`` by ``step`` with grouped numbers and a thin grid,
    the first series in the male colour, each bar labelled with its count (none for 0)."""
    axis = chart.valueAxis
    axis.valueMin, axis.valueMax, axis.valueStep = 0, top, step
    axis.labels.fontName = FONT_NARROW
    axis.labels.fontSize = label_size
    axis.labelTextFormat = lambda value: formats.number(int(value))
    axis.visibleGrid = True
    axis.gridStrokeColor = MUTED
    axis.gridStrokeWidth = 0.2
    chart.bars[0].fillColor = MALE_BAR
    chart.bars.strokeWidth = 0
    chart.barLabelFormat = lambda value: formats.number(int(value)) if value else ""
    chart.barLabels.fontName = FONT_NARROW
    chart.barLabels.fontSize = 6.5


def beneficiary_chart(lines: Sequence[BeneficiaryLine], width: float) -> Drawing:
    """Bars per category (largest first as given), male and female side by side."""
    label_width = min(62 * mm, width * 0.42)
    bar_height = 5.2
    group = 2 * bar_height + 4
    plot_height = max(len(lines), 1) * group
    height = plot_height + 18 * mm
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x = label_width + 2 * mm
    chart.y = 10 * mm
    chart.width = width - chart.x - 8 * mm
    chart.height = plot_height
    # reportlab draws the first category at the bottom: reverse so the table order reads down.
    ordered = list(reversed(lines))
    chart.data = [[line.male for line in ordered], [line.female for line in ordered]]
    chart.categoryAxis.categoryNames = [
        _short(f"{line.code}. {line.name}", label_width) for line in ordered
    ]
    chart.categoryAxis.labels.fontName = FONT_NARROW
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.categoryAxis.strokeColor = MUTED
    count_axis(chart, *_nice_max(max([line.male for line in lines]
                                     + [line.female for line in lines] + [1])), LABEL_SIZE)
    chart.valueAxis.strokeColor = MUTED
    chart.bars[1].fillColor = FEMALE_BAR
    chart.barWidth = bar_height
    chart.groupSpacing = 4
    chart.barSpacing = 0.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    drawing.add(chart)

    legend = Legend()
    legend.x = chart.x
    legend.y = height - 3 * mm
    legend.fontName = FONT
    legend.fontSize = 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 45 * mm
    legend.dx = 8
    legend.dy = 6
    legend.boxAnchor = "nw"
    legend.colorNamePairs = [(MALE_BAR, _("Male")), (FEMALE_BAR, _("Female"))]
    drawing.add(legend)
    drawing.add(String(chart.x + chart.width / 2, 1.5 * mm, _("Number of people"),
                       fontName=FONT, fontSize=7.5, fillColor=MUTED, textAnchor="middle"))
    return drawing
