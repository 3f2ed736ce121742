"""Laporan Bulanan: what the Karang Taruna did in one month, for the Ketua and Kepala Desa to sign.

Sections in the order a Kepala Desa reads them: number and subject, the KT's identity, a
summary with the figures (activities, beneficiaries by PPKS category and sex with a chart,
trainings, members), the activity table, the trainings, the secretary's own words on problems
(kendala) and next month's plans, the signatures, and the documentation photos as an
attachment. A month with nothing recorded says so in words instead of printing empty tables.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from kt_desktop.domain import formats
from kt_desktop.i18n import _, ngettext
from kt_desktop.reports.base import (
    FONT,
    Picture,
    Report,
    data_table,
    date_range,
    empty_note,
    esc,
    field_table,
    multiline,
    number,
    short_date,
)
from kt_desktop.reports.model import MeetingLine, MonthlyReport, Photo
from kt_desktop.reports.sections import (
    activity_table,
    beneficiaries,
    cash_block,
    identity_rows,
    member_table,
    people_by_sex,
    training_table,
    trainings_summary,
)


def summary_rows(report: MonthlyReport) -> list[tuple[str, str]]:
    lines = report.activities
    done = [line for line in lines if line.status == "terlaksana"]
    rows = [
        (
            _("Activities recorded"),
            _("{total} ({done} carried out, {planned} still planned, {cancelled} cancelled)")
            .format(
                total=number(len(lines)),
                done=number(len(done)),
                planned=number(report.count_status("rencana")),
                cancelled=number(report.count_status("batal")),
            ),
        ),
        (
            _("Participants in activities"),
            _("{count} people").format(count=number(sum(line.participants for line in done))),
        ),
        (_("Beneficiaries"), people_by_sex(report.beneficiaries)),
        (_("Cost of activities carried out"), formats.rupiah(sum(line.cost for line in done))),
        (_("Trainings"), trainings_summary(report.trainings)),
    ]
    if report.members is not None:
        rows.append(
            (
                _("Members"),
                _("{total} at the end of the month ({joined} joined, {left} left)").format(
                    total=number(report.members.total),
                    joined=number(report.members.joined),
                    left=number(report.members.left),
                ),
            )
        )
    return rows


def photo_grid(report: Report, photos: list[Photo]) -> list[Flowable]:
    """Two photos a row, each with its caption, activity and date under it."""
    st = report.st
    cell_width = (report.frame_width - 6 * mm) / 2
    max_height = 62 * mm
    cells: list[list[Flowable]] = []
    for photo in photos:
        try:
            image = Picture(photo.image)
        except Exception:
            continue
        scale = min(cell_width / image.imageWidth, max_height / image.imageHeight)
        image.drawWidth = image.imageWidth * scale
        image.drawHeight = image.imageHeight * scale
        caption = esc(photo.caption) if photo.caption else ""
        source = esc(photo.activity)
        if photo.date:
            source = f"{source}, {esc(formats.date_long(photo.date))}"
        text = f"{caption}<br/><font color='#555555'>{source}</font>" if caption else source
        cells.append([image, Spacer(1, 1.5 * mm), Paragraph(text, st.small)])
    rows = [cells[i:i + 2] for i in range(0, len(cells), 2)]
    if rows and len(rows[-1]) == 1:
        rows[-1].append([])
    story: list[Flowable] = []
    for row in rows:
        table = Table([row], colWidths=[cell_width + 3 * mm] * 2, hAlign="LEFT")
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 8),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 5 * mm)]))
        story.append(table)
    return story


class MonthlyReportPdf(Report):
    def __init__(self, data: MonthlyReport) -> None:
        super().__init__(data.common)
        self.data = data
        self.title = _("Monthly report {month}").format(month=formats.month_year(data.first_day))

    def _meetings(self) -> list[Flowable]:
        """Meetings held (with attendance) and the letters received and sent."""
        data = self.data
        out: list[Flowable] = [field_table([
            (_("Meetings held"), number(len(data.meetings))),
            (_("Letters received"), number(data.letters_in)),
            (_("Letters sent"), number(data.letters_out)),
        ], 58 * mm, self.frame_width)]
        if data.meetings:
            out += [Spacer(1, 2 * mm), meeting_table(self, data.meetings)]
        return out

    def story(self) -> list[Flowable]:
        data, st = self.data, self.st
        month = formats.month_year(data.first_day)
        story: list[Flowable] = [
            Paragraph(esc(_("Monthly report of the Karang Taruna").upper()), st.title),
            Paragraph(esc(_("Month of {month}").format(month=month)), st.subtitle),
            field_table(
                [
                    (_("Number"), data.nomor_surat),
                    (_("Subject"), _("Report on the activities of {month}").format(month=month)),
                    (_("Period"), date_range(data.first_day, data.last_day)),
                ],
                28 * mm,
                self.frame_width,
            ),
        ]
        story += self.heading(_("I. Identity of the Karang Taruna"))
        story.append(field_table(identity_rows(data.identity), 58 * mm, self.frame_width))

        story += self.heading(_("II. Summary"))
        story.append(field_table(summary_rows(data), 58 * mm, self.frame_width))
        story.append(Paragraph(esc(_("Beneficiaries by PPKS category and sex")),
                               st.subheading))
        story += beneficiaries(self, data.beneficiaries) or [
            empty_note(_("No beneficiaries were recorded this month."))]
        if data.members is not None:
            story.append(KeepTogether([
                Paragraph(esc(_("Members by sex and age")), st.subheading),
                member_table(self, data.members),
            ]))
        if data.cash is not None:
            story.append(cash_block(self, _("Money (Buku Kas Umum)"), data.cash))

        story += self.section(_("III. Activities"),
                              [activity_table(self, data.activities)] if data.activities else [],
                              _("No activities were recorded this month."))
        story += self.section(_("IV. Trainings"), [
            training_table(self, data.trainings),
            Paragraph(esc(_("Attendance counts the sessions marked present (H) among all marked "
                            "sessions; graduates are participants who met the training's "
                            "completion rule.")), st.small),
        ] if data.trainings else [], _("No trainings were held this month."))

        story += self.heading(_("V. Meetings and letters"))
        story += self._meetings()

        story += self.heading(_("VI. Problems encountered"))
        story.append(Paragraph(multiline(data.kendala), st.body_justified) if data.kendala.strip()
                     else empty_note(_("No problems were noted.")))
        # The last section goes with the signatures, so they never open a page alone.
        plans = [
            Paragraph(esc(_("VII. Plans for next month")), st.heading),
            Paragraph(multiline(data.rencana), st.body_justified) if data.rencana.strip()
            else empty_note(_("No plans were noted.")),
        ]
        story.append(Spacer(1, 1))
        story.append(self.signature(
            _("This is our report for {month}. We thank everyone for their attention and "
              "support.").format(month=month),
            before=plans,
        ))

        if data.photos:
            story.append(PageBreak())
            story.append(Paragraph(esc(_("Attachment: documentation of activities").upper()),
                                   st.title))
            story.append(Paragraph(esc(_("Month of {month}").format(month=month)), st.subtitle))
            story += photo_grid(self, data.photos)
            if data.photos_omitted:
                story.append(empty_note(ngettext(
                    "{count} more photo of this month is kept in KT Desktop.",
                    "{count} more photos of this month are kept in KT Desktop.",
                    data.photos_omitted,
                ).format(count=number(data.photos_omitted))))
        return story


def meeting_table(report: Report, meetings: list[MeetingLine]) -> Flowable:
    widths = [9 * mm, 24 * mm, 50 * mm, 0, 22 * mm, 18 * mm]
    widths[3] = report.frame_width - sum(widths)
    rows = [[str(n), short_date(m.day), m.kind, m.title, number(m.members), number(m.guests)]
            for n, m in enumerate(meetings, 1)]
    return data_table([_("No"), _("Date"), _("Kind of meeting"), _("Subject"), _("Members"),
                       _("Guests")], rows, widths,
                      align=["RIGHT", "LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT"])


def build(data: MonthlyReport, out_path: Path, *, progress: Callable[[str], None] | None = None) -> Path:
    """Write the monthly report of ``data`` to ``out_path`` (whole, or not at all)."""
    return MonthlyReportPdf(data).build(out_path, progress=progress)
