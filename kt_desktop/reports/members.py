"""Buku Induk Anggota: the member register on landscape pages, header repeated on each.

NIKs are printed masked (last 4 digits) unless the secretary asked for them in full; the page
then says so, because a printed page with readable NIKs is personal data to keep locked away
(UU 27/2022). The table is a :class:`~kt_desktop.reports.fast_table.RowsTable`, which draws its
rows straight into the page: a platypus Table took 1.5 s for 2,000 members, no faster than
LibreOffice printing the same spreadsheet; this takes about a fifth of a second.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from kt_desktop.domain import formats
from kt_desktop.i18n import _
from kt_desktop.reports.base import (
    Report,
    closing_flowables,
    empty_note,
    esc,
    number,
    short_date,
)
from kt_desktop.reports.fast_table import rows_table_with_closing
from kt_desktop.reports.model import MemberRegister


class MemberRegisterPdf(Report):
    is_landscape = True

    def __init__(self, data: MemberRegister) -> None:
        super().__init__(data.common)
        self.data = data
        self.title = _("Member register")

    def story(self) -> list[Flowable]:
        data, st = self.data, self.st
        today = formats.date_long(data.common.printed_on)
        story: list[Flowable] = [
            Paragraph(esc(_("Member register of the Karang Taruna").upper()), st.title),
            Paragraph(esc(_("As of {date}").format(date=today)), st.subtitle),
        ]
        total = len(data.rows)
        summary = _("{total} members ({male} male, {female} female)").format(
            total=number(total), male=number(data.male), female=number(data.female)
        )
        if not data.include_left:
            summary += " " + _("— members who have left are not listed.")
        story.append(Paragraph(esc(summary), st.body))
        if data.nik_revealed:
            story.append(Paragraph(
                "<b>" + esc(_("The NIKs on these pages are printed in full at the secretary's "
                              "request; the reason is kept in the audit log. Keep these pages "
                              "locked away and destroy them when no longer needed.")) + "</b>",
                st.body))
        else:
            story.append(Paragraph(
                esc(_("NIKs show only their last 4 digits, to protect personal data (UU No. 27 "
                      "Tahun 2022).")), st.note))
        closing = _("This member register was made truthfully.")
        if not data.rows:
            story.append(empty_note(_("No members are recorded yet.")))
            story.append(self.signature(closing))
            return story
        story += self._table(self._rows(), closing_flowables(self, closing))
        return story

    def _rows(self) -> list[list[str]]:
        return [
            [
                str(row.number),
                row.name,
                row.nik,
                row.sex,
                row.birth,
                "–" if row.age is None else str(row.age),
                row.address,
                row.education,
                row.occupation,
                row.position or "–",
                row.status,
                short_date(row.joined) if row.joined else "–",
            ]
            for row in self.data.rows
        ]

    def _table(self, rows: list[list[str]], closing: list[Flowable]) -> list[Flowable]:
        # 20 and more members a landscape page (issue 16: about 10): a smaller face, the
        # status and the day of joining in columns of their own, and the address, position
        # and occupation wide enough that a row takes one or two lines, not three.
        widths = [7 * mm, 32 * mm, 27 * mm, 7 * mm, 34 * mm, 10 * mm, 0, 25 * mm, 21 * mm,
                  29 * mm, 12 * mm, 18 * mm]
        widths[6] = self.frame_width - sum(widths)
        return rows_table_with_closing(
            [_("No"), _("Name"), _("NIK"), _("Sex"), _("Place and date of birth"), _("Age"),
             _("Address"), _("Education"), _("Occupation"), _("Position"), _("Status"),
             _("Joined")],
            rows,
            widths,
            closing,
            align=["RIGHT", "LEFT", "LEFT", "CENTER", "LEFT", "RIGHT", "LEFT", "LEFT", "LEFT",
                   "LEFT", "LEFT", "LEFT"],
            font_size=7.2,
            padding=1.2,
        )


#: Writes the report of the dataclass to a path (whole, or not at all).
build = MemberRegisterPdf.write
