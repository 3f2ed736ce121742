"""Rekapitulasi: the receiver's aggregate report for a month or a year, by kabupaten/kota (or
by kecamatan within one kabupaten), for the Dinas Sosial and the provincial Karang Taruna.

The reporting table (villages that sent data, month by month), the totals by region, desa
and kelurahan apart, by village status, members by age, activities by jenis, beneficiaries
by PPKS category (with charts), trainings and their outcomes, the list of villages that did
not report, and the signatures of the receiver's Ketua and Sekretaris under its own kop
surat. Landscape, because the reporting table has a column per month.

The data comes filled in (:class:`ReceiverReport`, filled by ``services.receiver.report_data``);
this module only lays it out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table

from kt_desktop.domain import formats
from kt_desktop.i18n import _
from kt_desktop.reports.base import (
    FONT,
    FONT_NARROW,
    MUTED,
    Report,
    data_table,
    empty_note,
    esc,
    number,
    short_date,
)
from kt_desktop.reports.charts import beneficiary_chart, count_axis
from kt_desktop.reports.model import BandCount, BeneficiaryLine, Common, Letterhead


# -- what the report shows ------------------------------------------------------------------
class ReceiverLetterhead(Letterhead):
    """The kop surat of a province's or kabupaten's Karang Taruna (not of a desa).

    ``village`` holds the area's name ("Provinsi Banten", "Kabupaten Serang"); the line is
    left out when the organisation's name already says it.
    """

    __slots__ = ()

    @property
    def place_line(self) -> str:
        if self.village.casefold() in self.name.casefold():
            return ""
        return self.village.upper()


@dataclass(frozen=True, slots=True)
class ReportingLine:
    """A region's villages and how many of them sent data each month."""

    name: str
    villages: int
    enrolled: int
    months: tuple[int, ...]
    in_period: int  # reported at least once in the report's period


@dataclass(frozen=True, slots=True)
class FigureLine:
    """The totals of a group of villages (a region, desa/kelurahan, a status)."""

    name: str
    villages: int
    enrolled: int
    reported: int
    members_male: int
    members_female: int
    activities: int
    beneficiaries: int
    trainings: int
    participants: int
    graduates: int
    employed: int
    business: int


@dataclass(frozen=True, slots=True)
class MissingLine:
    regency: str
    kecamatan: str
    village: str  # "Desa Sindangmandi" / "Kelurahan Cipare"
    code: str
    last_bundle: dt.date | None  # None: never sent anything


@dataclass(slots=True)
class ReceiverReport:
    common: Common
    area_name: str  # "Provinsi Banten"
    period_label: str  # "November 2026" / "Tahun 2026"
    region_word: str  # the rows of the region table: "Kabupaten/Kota", "Kecamatan", …
    month_labels: tuple[str, ...]  # the reporting table's columns
    reporting: list[ReportingLine]
    reporting_total: ReportingLine
    regions: list[FigureLine]
    regions_total: FigureLine
    kinds: list[FigureLine]  # desa, kelurahan
    statuses: list[FigureLine]
    status_note: str
    bands: list[BandCount]
    activity_kinds: list[tuple[str, int]]
    beneficiaries: list[BeneficiaryLine]
    outcomes: list[tuple[str, int]]  # (label, people)
    missing: list[MissingLine] = field(default_factory=list)
    #: what the villages' cash books received in the period: (kabupaten/kota, source,
    #: amount, villages), from ``services.kas.receiver_funds``
    funds: list[tuple[str, str, int, int]] = field(default_factory=list)


# -- charts ---------------------------------------------------------------------------------
def reporting_chart(labels: Sequence[str], values: Sequence[int], width: float) -> Drawing:
    """Villages that sent data, per month (vertical bars)."""
    height = 36 * mm
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 14 * mm, 12 * mm
    chart.width, chart.height = width - 20 * mm, height - 20 * mm
    chart.data = [list(values) or [0]]
    chart.categoryAxis.categoryNames = list(labels) or [""]
    chart.categoryAxis.labels.fontName = FONT_NARROW
    chart.categoryAxis.labels.fontSize = 7
    top = max([*values, 1])
    step = max(1, _nice_step(top, ticks=4))
    count_axis(chart, -(-top // step) * step, step)
    chart.bars.strokeColor = None
    chart.barLabels.nudge = 6
    drawing.add(chart)
    drawing.add(String(chart.x, height - 4 * mm, _("Villages that sent data, per month"),
                       fontName=FONT, fontSize=8, fillColor=MUTED))
    return drawing


def kind_chart(kinds: Sequence[tuple[str, int]], width: float) -> Drawing:
    """Activities carried out by jenis (horizontal bars, largest on top)."""
    label_width = min(70 * mm, width * 0.4)
    bar = 6.0
    plot = max(len(kinds), 1) * (bar + 4)
    height = plot + 14 * mm
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width + 2 * mm, 8 * mm
    chart.width, chart.height = width - chart.x - 10 * mm, plot
    ordered = list(reversed(kinds))
    chart.data = [[count for _kind, count in ordered] or [0]]
    chart.categoryAxis.categoryNames = [kind for kind, _count in ordered] or [""]
    chart.categoryAxis.labels.fontName = FONT_NARROW
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    top = max([count for _kind, count in kinds] + [1])
    step = max(1, _nice_step(top))
    count_axis(chart, -(-top // step) * step, step)
    chart.bars.strokeColor = None
    chart.barWidth = bar
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    drawing.add(chart)
    return drawing


def _nice_step(top: int, ticks: int = 8) -> int:
    """A round step giving at most ``ticks`` gridlines up to ``top``."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000,
                 20000, 25000, 50000, 100000, 200000, 250000, 500000):
        if top / step <= ticks:
            return step
    return 10 ** (len(str(top)) - 1)


# -- the report -----------------------------------------------------------------------------
class ReceiverReportPdf(Report):
    is_landscape = True

    def __init__(self, data: ReceiverReport) -> None:
        super().__init__(data.common)
        self.data = data
        self.title = _("Karang Taruna summary, {period}").format(period=data.period_label)

    def _reporting_table(self) -> Table:
        data = self.data
        months = len(data.month_labels)
        month_width = 13.5 * mm
        widths = [0, 17 * mm, 17 * mm, *([month_width] * months), 19 * mm]
        widths[0] = self.frame_width - sum(widths)
        header = [data.region_word, _("Desa/kel."), _("Enrolled"),
                  *[label.replace(" ", "\n", 1) for label in data.month_labels],
                  _("Reported in the period")]

        def cells(line: ReportingLine) -> list[str]:
            return [line.name, number(line.villages), number(line.enrolled),
                    *[number(value) for value in line.months], number(line.in_period)]

        return data_table(
            header,
            [cells(line) for line in data.reporting],
            widths,
            align=["LEFT"] + ["RIGHT"] * (months + 3),
            total_row=cells(data.reporting_total),
            font_size=8,
        )

    def _figure_table(self, first: str, lines: Sequence[FigureLine],
                      total: FigureLine | None) -> Table:
        widths = [0, 16 * mm, 17 * mm, 17 * mm, 17 * mm, 17 * mm, 18 * mm, 22 * mm, 17 * mm,
                  17 * mm, 15 * mm, 16 * mm, 18 * mm]
        widths[0] = self.frame_width - sum(widths)
        header = [first, _("Desa/kel."), _("Enrolled"), _("Reported"), _("Members (M)"),
                  _("Members (F)"), _("Activities"), _("Beneficiaries"), _("Trainings"),
                  _("Participants"), _("Graduates"), _("Employed"), _("Own business")]

        def cells(line: FigureLine) -> list[str]:
            return [line.name, *(number(v) for v in (
                line.villages, line.enrolled, line.reported, line.members_male,
                line.members_female, line.activities, line.beneficiaries, line.trainings,
                line.participants, line.graduates, line.employed, line.business))]

        return data_table(
            header,
            [cells(line) for line in lines],
            widths,
            align=["LEFT"] + ["RIGHT"] * 12,
            total_row=cells(total) if total is not None else None,
            font_size=8,
        )

    def _band_table(self) -> Table:
        widths = [70 * mm, 30 * mm, 30 * mm, 30 * mm]
        bands = self.data.bands
        rows = [[band.label, number(band.male), number(band.female), number(band.total)]
                for band in bands]
        total = [_("Total"), number(sum(b.male for b in bands)),
                 number(sum(b.female for b in bands)), number(sum(b.total for b in bands))]
        return data_table([_("Age"), _("Male"), _("Female"), _("Total")], rows, widths,
                          align=["LEFT", "RIGHT", "RIGHT", "RIGHT"], total_row=total)

    def _beneficiary_table(self) -> Table:
        lines = self.data.beneficiaries
        widths = [14 * mm, 0, 30 * mm, 30 * mm, 30 * mm]
        widths[1] = self.frame_width - sum(widths)
        rows = [[str(line.code), line.name, number(line.male), number(line.female),
                 number(line.total)] for line in lines]
        total = ["", _("Total"), number(sum(x.male for x in lines)),
                 number(sum(x.female for x in lines)), number(sum(x.total for x in lines))]
        return data_table([_("Code"), _("PPKS category"), _("Male"), _("Female"), _("Total")],
                          rows, widths, align=["RIGHT", "LEFT", "RIGHT", "RIGHT", "RIGHT"],
                          total_row=total)

    def _missing_table(self) -> Table:
        widths = [10 * mm, 48 * mm, 48 * mm, 0, 34 * mm, 40 * mm]
        widths[3] = self.frame_width - sum(widths)
        rows = [
            [str(i), line.regency, line.kecamatan, line.village, line.code,
             short_date(line.last_bundle) if line.last_bundle else _("never")]
            for i, line in enumerate(self.data.missing, start=1)
        ]
        return data_table(
            [_("No"), _("Kabupaten/Kota"), _("Kecamatan"), _("Desa/Kelurahan"), _("Code"),
             _("Last data sent")],
            rows, widths, align=["RIGHT", "LEFT", "LEFT", "LEFT", "LEFT", "LEFT"],
        )

    def story(self) -> list[Flowable]:
        data, st = self.data, self.st
        total = data.reporting_total
        story: list[Flowable] = [
            Paragraph(esc(_("Summary of Karang Taruna data").upper()), st.title),
            Paragraph(esc(f"{data.area_name} \u00b7 {data.period_label}"), st.subtitle),
            Paragraph(esc(_(
                "Of the {villages} desa and kelurahan of {area}, {enrolled} have a Karang "
                "Taruna data file that sends data here, and {reported} reported for "
                "{period} (their data covering it has arrived).").format(
                villages=number(total.villages), area=data.area_name,
                enrolled=number(total.enrolled), reported=number(total.in_period),
                period=data.period_label)), st.body_justified),
        ]
        story += self.heading(_("I. Villages that sent data, month by month"))
        story.append(self._reporting_table())
        story.append(Paragraph(esc(_(
            "A village counts in a month when its data covering that month has arrived: its "
            "monthly report notes of the month, or a data bundle made after the month ended "
            "(Western Indonesia time).")), st.small))
        story.append(KeepTogether([reporting_chart(data.month_labels, total.months,
                                                   self.frame_width)]))

        story += self.heading(_("II. Totals by {region}").format(
            region=data.region_word.lower()))
        story.append(self._figure_table(data.region_word, data.regions, data.regions_total))
        story.append(Paragraph(esc(_(
            "Members: on the register at the end of the period. Activities: carried out, "
            "started in the period, with their beneficiaries. Trainings: ending in the "
            "period; graduates by the training's completion rule (for a training still "
            "running, with the attendance recorded so far); employed and own business by the "
            "graduates' latest follow-up.")), st.small))

        story += self.heading(_("III. Desa and kelurahan"))
        story.append(self._figure_table(_("Kind"), data.kinds, None))
        story += self.heading(_("IV. By village status"))
        story.append(self._figure_table(_("Status"), data.statuses, None))
        story.append(Paragraph(esc(data.status_note), st.small))

        story += self.heading(_("V. Members by age"))
        story.append(self._band_table() if data.bands else empty_note(
            _("No members are recorded.")))

        story += self.heading(_("VI. Activities carried out, by kind"))
        if data.activity_kinds:
            story.append(KeepTogether([kind_chart(data.activity_kinds, self.frame_width)]))
        else:
            story.append(empty_note(_("No activities were carried out in this period.")))

        story += self.heading(_("VII. Beneficiaries by PPKS category and sex"))
        if data.beneficiaries:
            story.append(self._beneficiary_table())
            story.append(Spacer(1, 3 * mm))
            story.append(KeepTogether([beneficiary_chart(data.beneficiaries,
                                                         self.frame_width)]))
        else:
            story.append(empty_note(_("No beneficiaries were recorded in this period.")))

        story += self.heading(_("VIII. Trainings and what became of the graduates"))
        story.append(data_table(
            [_("Figure"), _("People")],
            [[label, number(value)] for label, value in data.outcomes],
            [110 * mm, 30 * mm], align=["LEFT", "RIGHT"],
        ))

        story += self.heading(_("IX. Funds received by the Karang Taruna, by source"))
        if data.funds:
            w = self.frame_width
            story.append(data_table(
                [_("Kabupaten/Kota"), _("Source of funds"), _("Villages"), _("Amount")],
                [[name, source, number(villages), formats.rupiah(amount)]
                 for name, source, amount, villages in data.funds],
                [w - 112 * mm, 50 * mm, 22 * mm, 40 * mm],
                align=["LEFT", "LEFT", "RIGHT", "RIGHT"],
                total_row=["", _("Total"), "",
                           formats.rupiah(sum(row[2] for row in data.funds))]))
            story.append(Paragraph(esc(_(
                "The receipts written in the villages' cash books (Buku Kas Umum) in the "
                "period, by the category of each receipt.")), self.st.small))
        else:
            story.append(empty_note(_("No cash book of the area recorded receipts in this "
                                      "period.")))

        story.append(CondPageBreak(40 * mm))
        story += self.heading(_("X. Villages that have not reported for {period}").format(
            period=data.period_label))
        if data.missing:
            story.append(self._missing_table())
        else:
            story.append(empty_note(_("Every village of the area has reported for this period.")))
        story.append(self.signature(
            _("This summary was made from the data the villages sent up to the date it was "
              "printed."),
            before=[Spacer(1, 3 * mm)],
            acknowledge=False,
        ))
        return story


#: Writes the report of the dataclass to a path (whole, or not at all).
build = ReceiverReportPdf.write
