"""The printed Program Kerja: each section's planned activities beside their realisation.

The book's register (``RegisterSpec.builder``) fed with the realisation
(``services.program_kerja.register_feed``): per line the aim, target group, months, budget
and source as planned, then how many of the planned occurrences were carried out, when, and
at what cost; a closing table sums plan against realisation in counts and Rupiah.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from kt_desktop.domain import formats
from kt_desktop.domain.book import BookRecord, BookSpec, display
from kt_desktop.i18n import _
from kt_desktop.reports.base import (
    closing_flowables,
    empty_note,
    esc,
    field_table,
    number,
    percent,
    short_date,
)
from kt_desktop.reports.book_register import BookRegisterPdf
from kt_desktop.reports.fast_table import rows_table_with_closing
from kt_desktop.reports.model import Common


def realised_text(line: Any) -> str:
    """"2 of 3: 12/03/2027, 09/04/2027" (the dates of the activities carried out)."""
    dates = ", ".join(short_date(item.start) for item in line.done)
    counted = _("{done} of {planned}").format(done=number(len(line.done)),
                                              planned=number(line.planned))
    return f"{counted}: {dates}" if dates else counted


def summary_rows(programme: Any) -> list[tuple[str, str]]:
    """Plan against realisation in counts and Rupiah (also the annual report's summary)."""
    share = 100 * programme.done / programme.planned if programme.planned else None
    spent = 100 * programme.cost / programme.budget if programme.budget else None
    return [
        (_("Programme lines"), _("{total} lines, {realised} carried out at least once").format(
            total=number(len(programme.lines)), realised=number(programme.lines_realised))),
        (_("Activities planned"), number(programme.planned)),
        (_("Activities carried out"), _("{done} ({share})").format(
            done=number(programme.done), share=percent(share))),
        (_("Budget planned"), formats.rupiah(programme.budget)),
        (_("Cost of what was carried out"), _("{cost} ({share} of the budget)").format(
            cost=formats.rupiah(programme.cost), share=percent(spent))),
    ]


class ProgramKerjaPdf(BookRegisterPdf):
    def __init__(self, spec: BookSpec, records: Sequence[BookRecord], common: Common, *,
                 programme: Any, year: int | None = None) -> None:
        super().__init__(spec, records, common, year=year)
        self.programme = programme

    def story(self) -> list[Flowable]:
        st, register = self.st, self.spec.register
        story: list[Flowable] = [Paragraph(esc(self.title.upper()), st.title),
                                 Paragraph(esc(self.subtitle()), st.subtitle)]
        closing = _(register.closing)
        if not self.programme.lines:
            story.append(empty_note(_(register.empty)))
            story.append(self.signature(closing))
            return story
        story.append(field_table(summary_rows(self.programme), 58 * mm, self.frame_width))
        story.append(Spacer(1, 4 * mm))
        headers = [_("No"), _("Section"), _("Planned activity"), _("Aim / target group"),
                   _("Month(s)"), _("Budget"), _("Source of funds"), _("Carried out"),
                   _("Cost")]
        widths = [9 * mm, 32 * mm, 0, 44 * mm, 28 * mm, 28 * mm, 26 * mm, 40 * mm, 28 * mm]
        widths[2] = max(30 * mm, self.frame_width - sum(widths))
        rows = []
        for index, line in enumerate(self.programme.lines, 1):
            values = line.line.values
            aim = " — ".join(str(v) for v in (values.get("aim"), values.get("target_group"))
                             if v)
            rows.append([str(index), values.get("section") or "", values.get("activity") or "",
                         aim, values.get("months") or "",
                         display(self.spec, line.line, "budget"),
                         _source_label(self.spec, values.get("source")),
                         realised_text(line), formats.rupiah(line.cost)])
        rows.append(["", "", _("Total"), "", number(self.programme.planned),
                     formats.rupiah(self.programme.budget), "",
                     _("{done} of {planned}").format(done=number(self.programme.done),
                                                     planned=number(self.programme.planned)),
                     formats.rupiah(self.programme.cost)])
        tail = closing_flowables(self, closing, second=register.second_signer)
        return story + rows_table_with_closing(
            headers, rows, widths, tail,
            align=["RIGHT", "LEFT", "LEFT", "LEFT", "LEFT", "RIGHT", "LEFT", "LEFT", "RIGHT"],
            padding=3.0, bold_rows={len(rows) - 1})


def _source_label(spec: BookSpec, code: object) -> str:
    labels = dict(spec.field("source").choices)
    return _(labels[code]) if code in labels else ""


def build(spec: BookSpec, records: Sequence[BookRecord], common: Common, out_path: Path, *,
          year: int | None = None, month: int | None = None,
          opening: Mapping[str, int] | None = None, extra: Any = None) -> Path:
    """Write the Program Kerja (``RegisterSpec.builder``); ``extra`` is the realisation."""
    if extra is None:
        from kt_desktop.domain.books.program_kerja import Programme, combine

        extra = Programme(year, combine(records, []))
    return ProgramKerjaPdf(spec, records, common, programme=extra, year=year).build(out_path)
