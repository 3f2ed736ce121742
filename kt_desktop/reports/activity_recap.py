"""Rekap Kegiatan: every activity between two dates, with totals by kind and by source of funds.

For the questions that do not follow the calendar: a campaign, a quarter, a term of office,
or what the Lomba judges ask to see since the last visit.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from kt_desktop.domain import formats
from kt_desktop.i18n import _
from kt_desktop.reports.base import Report, date_range, empty_note, esc, field_table, number
from kt_desktop.reports.model import ActivityRecap
from kt_desktop.reports.sections import activity_table, money_table


class ActivityRecapPdf(Report):
    def __init__(self, data: ActivityRecap) -> None:
        super().__init__(data.common)
        self.data = data
        self.title = _("Activity recap {period}").format(period=date_range(data.start, data.end))

    def story(self) -> list[Flowable]:
        data, st = self.data, self.st
        done = [line for line in data.activities if line.status == "terlaksana"]
        story: list[Flowable] = [
            Paragraph(esc(_("Recap of activities").upper()), st.title),
            Paragraph(esc(date_range(data.start, data.end)), st.subtitle),
            field_table(
                [
                    (_("Activities recorded"), number(len(data.activities))),
                    (_("Carried out"), number(len(done))),
                    (_("Beneficiaries"), _("{count} people").format(
                        count=number(sum(line.beneficiaries for line in done)))),
                    (_("Cost"), formats.rupiah(sum(line.cost for line in done))),
                ],
                58 * mm,
                self.frame_width,
            ),
        ]
        story += self.section(_("I. Activities"),
                              [activity_table(self, data.activities)] if data.activities else [],
                              _("No activities were recorded in this period."))
        story += self.section(_("II. By kind of activity"), [
            money_table(self, data.by_jenis, _("Kind of activity"), _("Activities")),
        ] if data.by_jenis else [], _("No activities were carried out in this period."))
        closing: list[Flowable] = [Paragraph(esc(_("III. By source of funds")), st.heading)]
        if data.by_source:
            closing.append(money_table(self, data.by_source, _("Source of funds"),
                                       _("Activities")))
        else:
            closing.append(empty_note(_("No funds were recorded in this period.")))
        closing.append(Spacer(1, 3 * mm))
        story.append(self.signature(_("This recap was made truthfully."), before=closing))
        return story


#: Writes the report of the dataclass to a path (whole, or not at all).
build = ActivityRecapPdf.write
