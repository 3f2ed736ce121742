"""The printed register of any declared book: kop surat, its columns, closing and signatures.

Built from ``BookSpec.register``: a column with a field prints that value, one without stays
empty to be written or signed by hand (the Buku Tamu's "Tanda tangan"). Rows are drawn by
:class:`~kt_desktop.reports.fast_table.RowsTable` like the member register.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from kt_desktop.domain import formats
from kt_desktop.domain.book import BookRecord, BookSpec
from kt_desktop.i18n import N_, _
from kt_desktop.reports.base import Report, closing_flowables, empty_note, esc, short_date
from kt_desktop.reports.fast_table import rows_table_with_closing
from kt_desktop.reports.model import Common

NOTHING_YET = N_("Nothing is recorded yet.")


def _text(value: object) -> str:
    if isinstance(value, dt.date):
        return short_date(value)
    return "" if value is None else str(value)


class BookRegisterPdf(Report):
    def __init__(self, spec: BookSpec, records: Sequence[BookRecord], common: Common, *,
                 year: int | None = None) -> None:
        self.is_landscape = spec.register.landscape
        super().__init__(common)
        self.spec, self.records, self.year = spec, records, year
        self.title = _(spec.register.title)

    def story(self) -> list[Flowable]:
        register, st = self.spec.register, self.st
        subtitle = (_("Year {year}").format(year=self.year) if self.year
                    else _("As of {date}").format(date=formats.date_long(self.common.printed_on)))
        story: list[Flowable] = [
            Paragraph(esc(self.title.upper()), st.title),
            Paragraph(esc(subtitle), st.subtitle),
        ]
        closing = _(register.closing) if register.closing else ""
        if not self.records:
            story.append(empty_note(_(register.empty or NOTHING_YET)))
            if register.signatures:
                story.append(self.signature(closing))
            return story
        widths = [9 * mm] + [c.width_mm * mm for c in register.columns]
        free = [i for i, w in enumerate(widths) if not w]
        if free:
            widths[free[0]] = max(20 * mm, self.frame_width - sum(widths))
        rows = [[str(number)] + [_text(record.get(c.field)) if c.field else ""
                                 for c in register.columns]
                for number, record in enumerate(self.records, 1)]
        tail = closing_flowables(self, closing) if register.signatures else []
        return story + rows_table_with_closing(
            [_("No")] + [_(c.header) for c in register.columns], rows, widths, tail,
            align=["RIGHT"] + ["LEFT"] * len(register.columns), padding=3.2)


def build(spec: BookSpec, records: Sequence[BookRecord], common: Common, out_path: Path, *,
          year: int | None = None) -> Path:
    """Write the register to ``out_path`` (whole, or not at all)."""
    return BookRegisterPdf(spec, records, common, year=year).build(out_path)
