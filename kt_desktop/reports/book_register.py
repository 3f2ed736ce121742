"""The printed register of any declared book: kop surat, its columns, closing and signatures.

Built from ``BookSpec.register``: a column with a field prints that value, one without stays
empty to be written or signed by hand (the Buku Tamu's "Tanda tangan"). Rows are drawn by
:class:`~kt_desktop.reports.fast_table.RowsTable` like the member register.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from kt_desktop.domain import formats
from kt_desktop.domain.book import MONEY, BookRecord, BookSpec, display
from kt_desktop.i18n import N_, _
from kt_desktop.reports.base import Report, closing_flowables, empty_note, esc, short_date
from kt_desktop.reports.fast_table import rows_table_with_closing
from kt_desktop.reports.model import Common

NOTHING_YET = N_("Nothing is recorded yet.")


def cells(spec: BookSpec, record: BookRecord) -> list[str]:
    """One record's cells in the register's columns (money as ``Rp1.500.000``, a choice by
    its label, a member by name)."""
    return [display(spec, record, c.field, short_date) if c.field else ""
            for c in spec.register.columns]


def widths(report: Report, spec: BookSpec) -> list[float]:
    """The register's column widths in points, the number column first; the free column
    takes the room left."""
    found = [9 * mm] + [c.width_mm * mm for c in spec.register.columns]
    free = [i for i, w in enumerate(found) if not w]
    if free:
        found[free[0]] = max(20 * mm, report.frame_width - sum(found))
    return found


def aligns(spec: BookSpec) -> list[str]:
    """Numbers to the right (the row number, amounts), text to the left."""
    return ["RIGHT"] + ["RIGHT" if c.field and spec.field(c.field).kind == MONEY else "LEFT"
                        for c in spec.register.columns]


class BookRegisterPdf(Report):
    def __init__(self, spec: BookSpec, records: Sequence[BookRecord], common: Common, *,
                 year: int | None = None, month: int | None = None,
                 opening: Mapping[str, int] | None = None) -> None:
        self.is_landscape = spec.register.landscape
        super().__init__(common)
        self.spec, self.records, self.year, self.month = spec, records, year, month
        self.opening = dict(opening or {})
        self.title = _(spec.register.title)

    def subtitle(self) -> str:
        """The period printed: a month, a year, or the whole book as of the day printed."""
        if self.year and self.month:
            return formats.month_year(dt.date(self.year, self.month, 1))
        if self.year:
            return _("Year {year}").format(year=self.year)
        return _("As of {date}").format(date=formats.date_long(self.common.printed_on))

    def story(self) -> list[Flowable]:
        register, st = self.spec.register, self.st
        subtitle = self.subtitle()
        story: list[Flowable] = [
            Paragraph(esc(self.title.upper()), st.title),
            Paragraph(esc(subtitle), st.subtitle),
        ]
        closing = _(register.closing) if register.closing else ""
        if not self.records:
            story.append(empty_note(_(register.empty or NOTHING_YET)))
            if register.signatures:
                story.append(self.signature(closing, second=register.second_signer))
            return story
        rows = [[str(number), *cells(self.spec, record)]
                for number, record in enumerate(self.records, 1)]
        tail = (closing_flowables(self, closing, second=register.second_signer)
                if register.signatures else [])
        return story + rows_table_with_closing(
            [_("No")] + [_(c.header) for c in register.columns], rows, widths(self, self.spec),
            tail, align=aligns(self.spec), padding=3.2)


def build(spec: BookSpec, records: Sequence[BookRecord], common: Common, out_path: Path, *,
          year: int | None = None, month: int | None = None,
          opening: Mapping[str, int] | None = None) -> Path:
    """Write the register to ``out_path`` (whole, or not at all). A custom report
    (``RegisterSpec.builder``) is called with the same arguments."""
    return BookRegisterPdf(spec, records, common, year=year, month=month,
                           opening=opening).build(out_path)
