"""Laporan Tahunan: the year in figures, for the Musyawarah Warga, the Kepala Desa and the Lomba.

Identity, a summary, activities month by month (planned, carried out, cancelled; people and
money of those carried out), beneficiaries by PPKS category with the chart, activities by
kind, funds by source, trainings with their graduates and what became of them, members at
the end of the year, and the signatures.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import format_date
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from kt_desktop.domain import formats
from kt_desktop.i18n import _, locale_name
from kt_desktop.reports.base import (
    Report,
    data_table,
    empty_note,
    esc,
    field_table,
    number,
)
from kt_desktop.reports.model import AnnualReport
from kt_desktop.reports.program_kerja import summary_rows
from kt_desktop.reports.sections import (
    beneficiaries,
    cash_block,
    identity_rows,
    member_table,
    money_table,
    people_by_sex,
    training_table,
    trainings_summary,
)


def month_name(month: int) -> str:
    return format_date(dt.date(2000, month, 1), format="LLLL", locale=locale_name())


class AnnualReportPdf(Report):
    def __init__(self, data: AnnualReport) -> None:
        super().__init__(data.common)
        self.data = data
        self.title = _("Yearly report {year}").format(year=data.year)

    def _months_table(self) -> Table:
        months = self.data.months
        widths = [0, 20 * mm, 20 * mm, 18 * mm, 21 * mm, 22 * mm, 30 * mm]
        widths[0] = self.frame_width - sum(widths)
        rows = [
            [month_name(m.month), number(m.planned), number(m.done), number(m.cancelled),
             number(m.participants), number(m.beneficiaries), formats.rupiah(m.cost)]
            for m in months
        ]
        total = [
            _("Total"),
            number(sum(m.planned for m in months)),
            number(sum(m.done for m in months)),
            number(sum(m.cancelled for m in months)),
            number(sum(m.participants for m in months)),
            number(sum(m.beneficiaries for m in months)),
            formats.rupiah(sum(m.cost for m in months)),
        ]
        return data_table(
            [_("Month"), _("Still planned"), _("Carried out"), _("Cancelled"),
             _("Participants"), _("Beneficiaries"), _("Cost")],
            rows,
            widths,
            align=["LEFT"] + ["RIGHT"] * 6,
            total_row=total,
        )

    def _summary(self) -> list[tuple[str, str]]:
        data = self.data
        done = sum(m.done for m in data.months)
        rows = [
            (_("Activities carried out"), number(done)),
            (_("Participants in activities"),
             _("{count} people").format(count=number(sum(m.participants for m in data.months)))),
            (_("Beneficiaries"), people_by_sex(data.beneficiaries)),
            (_("Cost of activities carried out"),
             formats.rupiah(sum(m.cost for m in data.months))),
            (_("Trainings"), trainings_summary(data.trainings)),
        ]
        if data.members is not None:
            rows.append((_("Members"), _(
                "{total} at the end of the year ({joined} joined, {left} left)").format(
                total=number(data.members.total), joined=number(data.members.joined),
                left=number(data.members.left))))
        return rows

    def _programme(self) -> list[Flowable]:
        """The Program Kerja of the year by section: lines, occurrences planned and carried
        out, budget and cost (the printed Program Kerja lists every line)."""
        programme = self.data.programme
        if programme is None or not programme.lines:
            return [empty_note(_("No work programme was recorded for this year."))]
        sections: dict[str, list[Any]] = {}
        for line in programme.lines:
            sections.setdefault(str(line.line.get("section")), []).append(line)
        widths = [0, 16 * mm, 22 * mm, 24 * mm, 30 * mm, 30 * mm]
        widths[0] = self.frame_width - sum(widths)
        rows = [[name, number(len(lines)), number(sum(x.planned for x in lines)),
                 number(sum(len(x.done) for x in lines)),
                 formats.rupiah(sum(x.budget for x in lines)),
                 formats.rupiah(sum(x.cost for x in lines))]
                for name, lines in sections.items()]
        total = [_("Total"), number(len(programme.lines)), number(programme.planned),
                 number(programme.done), formats.rupiah(programme.budget),
                 formats.rupiah(programme.cost)]
        return [
            field_table(summary_rows(programme), 58 * mm, self.frame_width),
            Spacer(1, 3 * mm),
            data_table([_("Section"), _("Lines"), _("Planned"), _("Carried out"), _("Budget"),
                        _("Cost")], rows, widths, align=["LEFT"] + ["RIGHT"] * 5,
                       total_row=total),
            Paragraph(esc(_("Planned counts one activity per month a line names; carried out "
                            "counts the activities linked to the line.")), self.st.small),
        ]

    def story(self) -> list[Flowable]:
        data, st = self.data, self.st
        story: list[Flowable] = [
            Paragraph(esc(_("Yearly report of the Karang Taruna").upper()), st.title),
            Paragraph(esc(_("Year {year}").format(year=data.year)), st.subtitle),
        ]
        if data.nomor_surat:
            story.append(field_table([(_("Number"), data.nomor_surat)], 28 * mm,
                                     self.frame_width))
        story += self.heading(_("I. Identity of the Karang Taruna"))
        story.append(field_table(identity_rows(data.identity), 58 * mm, self.frame_width))
        story += self.heading(_("II. Summary"))
        story.append(field_table(self._summary(), 58 * mm, self.frame_width))
        if data.cash is not None:
            story.append(cash_block(self, _("Money of the year (Buku Kas Umum)"), data.cash))

        story += self.heading(_("III. Activities month by month"))
        story.append(self._months_table())
        story.append(Paragraph(esc(_("Participants, beneficiaries and cost count the activities "
                                     "carried out.")), st.small))

        story += self.section(_("IV. Beneficiaries by PPKS category and sex"),
                              beneficiaries(self, data.beneficiaries),
                              _("No beneficiaries were recorded this year."))

        story += self.heading(_("V. Activities by kind and funds by source"))
        if data.by_jenis:
            story.append(money_table(self, data.by_jenis, _("Kind of activity"),
                                     _("Activities")))
            story.append(Spacer(1, 4 * mm))
            if data.by_source:
                story.append(money_table(self, data.by_source, _("Source of funds"),
                                         _("Activities")))
            else:
                story.append(empty_note(_("No funds were recorded.")))
        else:
            story.append(empty_note(_("No activities were carried out this year.")))

        story += self.section(_("VI. Trainings"), [
            training_table(self, data.trainings, outcomes=True),
            Paragraph(esc(_("Employed and own business count graduates by their latest "
                            "follow-up (3 or 6 months after the training).")), st.small),
        ] if data.trainings else [], _("No trainings were held this year."))

        story += self.heading(_("VII. Work programme against realisation"))
        story += self._programme()

        closing_lead: list[Flowable] = []
        if data.members is not None:
            closing_lead = [Paragraph(esc(_("VIII. Members")), st.heading),
                            member_table(self, data.members), Spacer(1, 3 * mm)]
        story.append(self.signature(
            _("This is our report for the year {year}. We thank everyone for their attention "
              "and support.").format(year=data.year),
            before=closing_lead,
        ))
        return story


#: Writes the report of the dataclass to a path (whole, or not at all).
build = AnnualReportPdf.write
