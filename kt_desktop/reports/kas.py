"""The printed Buku Kas Umum: the book's register with what a treasurer's book needs besides.

It is the register of :mod:`kt_desktop.reports.book_register` (the same columns, widths and
signature block) plus: a summary at the top, the laporan kas (the opening balance, of each
account too, what came in and went out by category, the closing balance); a bold total line
after each month (received, spent, and the balance of every account together at its end);
and the Bendahara signing beside the Ketua.
``RegisterSpec.builder`` of ``domain/books/kas.py`` names :func:`build`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from kt_desktop.domain import formats
from kt_desktop.domain.book import BookRecord, BookSpec
from kt_desktop.i18n import _
from kt_desktop.reports.base import closing_flowables, empty_note, esc, field_table
from kt_desktop.reports.book_register import BookRegisterPdf, aligns, cells, widths
from kt_desktop.reports.fast_table import rows_table_with_closing
from kt_desktop.reports.model import CashSummary, Common
from kt_desktop.reports.sections import cash_rows


@dataclass(frozen=True, slots=True)
class MonthTotal:
    """One month of the period: what came in, what went out, the balance after it."""

    year: int
    month: int
    received: int
    spent: int
    closing: int


def month_totals(records: Sequence[BookRecord], opening: int) -> list[MonthTotal]:
    """The totals of each month in ``records`` (date order), the balance carried on."""
    found: list[MonthTotal] = []
    balance = opening
    for record in records:
        day = record.get("entry_date")
        received, spent = record.get("receipt") or 0, record.get("expense") or 0
        balance += received - spent
        if found and (found[-1].year, found[-1].month) == (day.year, day.month):
            last = found[-1]
            found[-1] = MonthTotal(last.year, last.month, last.received + received,
                                   last.spent + spent, balance)
        else:
            found.append(MonthTotal(day.year, day.month, received, spent, balance))
    return found


def category_sums(sums: Mapping[str, int], spec: BookSpec) -> list[tuple[str, int]]:
    """``(category name, amount)``, largest first; a category no longer in the list keeps
    the text its entries hold."""
    names = dict(spec.field("category").choices)
    return sorted(((_(names[key]) if key in names else key, total)
                   for key, total in sums.items() if total),
                  key=lambda item: (-item[1], item[0]))


class CashBookPdf(BookRegisterPdf):
    def by_category(self, amount: str) -> list[tuple[str, int]]:
        """``(category name, sum of amount)`` of the period, largest first (the laporan
        kas: in by category, out by category)."""
        sums: dict[str, int] = {}
        for record in self.records:
            value = record.get(amount)
            if value:
                key = str(record.get("category"))
                sums[key] = sums.get(key, 0) + int(value)
        return category_sums(sums, self.spec)

    def story(self) -> list[Flowable]:
        spec, st = self.spec, self.st
        register = spec.register
        opening = sum(self.opening.values())
        story: list[Flowable] = [Paragraph(esc(self.title.upper()), st.title),
                                 Paragraph(esc(self.subtitle()), st.subtitle)]
        totals = month_totals(self.records, opening)
        summary = CashSummary(dict(self.opening), self.by_category("receipt"),
                              self.by_category("expense"))
        facts = field_table(cash_rows(summary), 45 * mm, 110 * mm)
        closing = _(register.closing)
        if not self.records:
            story += [facts, empty_note(_(register.empty))]
            story.append(self.signature(closing, second=register.second_signer))
            return story
        story += [facts, Spacer(1, 4 * mm)]
        columns = [c.field for c in register.columns]
        rows: list[list[str]] = []
        totals_at: list[int] = []
        by_month = iter(totals)
        for index, record in enumerate(self.records):
            rows.append([str(index + 1), *cells(spec, record)])
            day = record.get("entry_date")
            following = (self.records[index + 1].get("entry_date")
                         if index + 1 < len(self.records) else None)
            if following is None or (following.year, following.month) != (day.year, day.month):
                total = next(by_month)
                row = [""] * (len(columns) + 1)
                row[columns.index("description") + 1] = _("Total {month}").format(
                    month=formats.month_year(day.replace(day=1)))
                for key, amount in (("receipt", total.received), ("expense", total.spent),
                                    ("balance", total.closing)):
                    row[columns.index(key) + 1] = formats.rupiah(amount)
                totals_at.append(len(rows))
                rows.append(row)
        tail = closing_flowables(self, closing, second=register.second_signer)
        return story + rows_table_with_closing(
            [_("No")] + [_(c.header) for c in register.columns], rows, widths(self, spec),
            tail, align=aligns(spec), padding=3.0, bold_rows=totals_at)


def build(spec: BookSpec, records: Sequence[BookRecord], common: Common, out_path: Path, *,
          year: int | None = None, month: int | None = None,
          opening: Mapping[str, int] | None = None) -> Path:
    """Write the cash book of the period to ``out_path`` (whole, or not at all)."""
    return CashBookPdf(spec, records, common, year=year, month=month,
                       opening=opening).build(out_path)
