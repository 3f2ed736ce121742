"""The printed Buku Inventaris: the book's register with the condition written as inventory
books write it (B / RR / RB), the quantity with its unit, and a note of loans and write-offs
(``RegisterSpec.builder`` of ``domain/books/inventaris.py``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from reportlab.platypus import Flowable, Paragraph

from kt_desktop.domain.book import BookRecord, BookSpec
from kt_desktop.i18n import _
from kt_desktop.reports.base import closing_flowables, esc, short_date
from kt_desktop.reports.book_register import BookRegisterPdf, cells, widths
from kt_desktop.reports.fast_table import rows_table_with_closing
from kt_desktop.reports.model import Common

CONDITION_MARK = {"baik": "B", "rusak_ringan": "RR", "rusak_berat": "RB"}


class InventarisPdf(BookRegisterPdf):
    """The register with the condition as B/RR/RB and a note of loans and write-offs."""

    def story(self) -> list[Flowable]:
        if not self.records:
            return super().story()
        st, spec = self.st, self.spec
        story: list[Flowable] = [Paragraph(esc(self.title.upper()), st.title),
                                 Paragraph(esc(self.subtitle()), st.subtitle)]
        condition = [c.field for c in spec.register.columns].index("condition")
        note = [c.field for c in spec.register.columns].index("note")
        quantity = [c.field for c in spec.register.columns].index("quantity")
        rows = []
        for number, record in enumerate(self.records, 1):
            row = cells(spec, record)
            row[condition] = CONDITION_MARK.get(record.get("condition"), "")
            row[quantity] = f"{record.get('quantity') or ''} {record.get('unit') or ''}".strip()
            row[note] = "; ".join(part for part in (_status(record), row[note]) if part)
            rows.append([str(number), *row])
        tail = [Paragraph(esc(_("Condition: B = good (baik), RR = slightly damaged (rusak "
                                "ringan), RB = badly damaged (rusak berat).")), st.small),
                *closing_flowables(self, _(spec.register.closing))]
        align = ["RIGHT"] + ["RIGHT" if c.field in ("quantity", "value") else "LEFT"
                             for c in spec.register.columns]
        return story + rows_table_with_closing(
            [_("No")] + [_(c.header) for c in spec.register.columns], rows,
            widths(self, spec), tail, align=align, padding=3.2)


def _status(record: BookRecord) -> str:
    if record.get("disposed_on"):
        return _("Written off {date}: {reason}").format(
            date=short_date(record.get("disposed_on")), reason=record.get("disposal_reason"))
    if record.get("borrower") and not record.get("returned_on"):
        due = record.get("due_on")
        text = _("Borrowed by {name} since {date}").format(
            name=record.get("borrower"), date=short_date(record.get("loaned_on")))
        return text + (", " + _("due {date}").format(date=short_date(due)) if due else "")
    return ""


def build(spec: BookSpec, records: Sequence[BookRecord], common: Common,
                     out_path: Path, *, year: int | None = None, month: int | None = None,
                     opening: Mapping[str, int] | None = None) -> Path:
    """The Buku Inventaris's printed register (``report inventaris``)."""
    return InventarisPdf(spec, records, common, year=year, month=month).build(out_path)
