"""Daftar Hadir: a blank attendance sheet to sign, for an activity, a meeting or a training session.

The layout Indonesian sign-in sheets use: numbered rows with the names already written, and
the signature column split in two so that neighbours do not sign over each other — odd
numbers sign on the left half, even numbers on the right. Spare numbered rows follow for
people not on the list; at the bottom a line for the count and the signatures, dated the day
the sheet is signed (the activity's or the session's day, not the day it was printed), with
the trainer beside the Ketua and Sekretaris on a training's sheet.
"""

from __future__ import annotations

import dataclasses

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from kt_desktop.i18n import _
from kt_desktop.reports.base import (
    Report,
    date_range,
    day_date,
    esc,
    field_table,
    signature_flowables,
    signer_columns,
    table_with_closing,
)
from kt_desktop.reports.model import AttendanceSheet

ROW_HEIGHT = 9.5 * mm


class AttendanceSheetPdf(Report):
    def __init__(self, data: AttendanceSheet) -> None:
        super().__init__(data.common)
        self.data = data
        self.title = data.heading

    def story(self) -> list[Flowable]:
        data, st = self.data, self.st
        when = day_date(data.start) if data.end is None or data.end == data.start else (
            date_range(data.start, data.end))
        rows = [(_("Day, date"), when), (_("Place"), data.place or "–"), *data.details]
        story: list[Flowable] = [
            Paragraph(esc(data.heading.upper()), st.title),
            Paragraph("<b>" + esc(data.event) + "</b>", st.subtitle),
            field_table(rows, 32 * mm, self.frame_width),
            Spacer(1, 4 * mm),
        ]
        entries = list(data.names) + [("", "")] * data.spare_rows
        story += self._table(entries, self._closing())
        return story

    def _closing(self) -> list[Flowable]:
        """The count line and the signatures, dated the day the sheet is signed."""
        st = self.st
        lead: list[Flowable] = [Paragraph(esc(_("Number present: ........ people")), st.body)]
        signatories = dataclasses.replace(self.common.signatories, date=self.data.start)
        if not self.data.trainer:
            return signature_flowables(signatories, self.frame_width, lead=lead,
                                       acknowledge=False)
        table = signer_columns(signatories.place, signatories.date, [
            (_("Trainer,"), self.data.trainer), (_("Chair,"), signatories.ketua),
            (_("Secretary,"), signatories.sekretaris)], self.frame_width)
        return [*lead, Spacer(1, 4 * mm), table]

    def _table(self, entries: list[tuple[str, str]], closing: list[Flowable]) -> list[Flowable]:
        """Numbered rows; odd numbers sign on the left half of the signature column, even
        numbers on the right half; the last rows stay on the page of the signatures."""
        sign = 36 * mm
        widths = [10 * mm, 0, 40 * mm, sign, sign]
        widths[1] = self.frame_width - sum(widths)
        rows = []
        for number, (name, note) in enumerate(entries, start=1):
            mark = f"{number}. ........................"
            left, right = (mark, "") if number % 2 else ("", mark)
            rows.append([str(number), name, note, left, right])
        return table_with_closing(
            [_("No"), _("Name"), _("Position / note"), _("Signature"), ""],
            rows,
            widths,
            closing,
            align=["RIGHT", "LEFT", "LEFT", "LEFT", "LEFT"],
            font_size=9,
            row_height=ROW_HEIGHT,
            style=[
                ("SPAN", (3, 0), (4, 0)),  # one "Tanda tangan" over both halves
                ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
                # the signature column stays white, with no rule between its halves
                ("BACKGROUND", (3, 1), (4, -1), colors.white),
                ("LINEAFTER", (3, 1), (3, -1), 0.4, colors.white),
            ],
        )


#: Writes the report of the dataclass to a path (whole, or not at all).
build = AttendanceSheetPdf.write
