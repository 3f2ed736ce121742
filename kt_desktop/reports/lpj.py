"""The LPJ (laporan pertanggungjawaban) of one activity's funds.

Kop surat; the activity; I. receipts by source beside the plan recorded with the activity;
II. every expense with its date and proof number; III. what remains; the amounts spent and
remaining in words (terbilang); the closing sentence, the Ketua and the Bendahara, and
"Mengetahui, Kepala Desa". Fed by :func:`kt_desktop.services.kas.activity_funds`.

The appendix (lampiran) holds the proofs attached to the entries: receipt photos two a row
with the proof number, and each PDF scan's own pages after them, as they were scanned.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer

from kt_desktop.domain import formats
from kt_desktop.domain.book import book
from kt_desktop.domain.money import ActivityFunds, terbilang
from kt_desktop.i18n import _
from kt_desktop.reports.base import (
    Report,
    data_table,
    date_range,
    empty_note,
    esc,
    field_table,
    short_date,
    write_whole,
)
from kt_desktop.reports.model import Common, Photo
from kt_desktop.reports.monthly import photo_grid


def _source_name(code: str) -> str:
    choices = dict(book("kas").field("category").choices)
    return _(choices[code]) if code in choices else code


class LpjPdf(Report):
    def __init__(self, funds: ActivityFunds, common: Common, proofs: Sequence[Photo] = (),
                 scans: Sequence[tuple[str, bytes]] = ()) -> None:
        super().__init__(common)
        self.funds = funds
        self.proofs, self.scans = list(proofs), list(scans)
        self.title = _("Accountability Report")

    def story(self) -> list[Flowable]:
        st, funds, activity = self.st, self.funds, self.funds.activity
        width = self.frame_width
        rp = formats.rupiah
        story: list[Flowable] = [
            Paragraph(esc(_("ACCOUNTABILITY REPORT (LPJ)")), st.title),
            Paragraph(esc(_("The use of an activity's funds")), st.subtitle),
            field_table([(_("Activity"), activity.title),
                         (_("Date"), date_range(activity.start, activity.end)),
                         (_("Place"), activity.place or "–")], 35 * mm, width),
        ]
        story += self.heading(_("I. Receipts"))
        sources = list(dict.fromkeys([*funds.planned, *funds.received]))
        if sources:
            rows = [[str(i), _source_name(code), rp(funds.planned.get(code, 0)),
                     rp(funds.received.get(code, 0))] for i, code in enumerate(sources, 1)]
            story.append(data_table(
                [_("No"), _("Source of funds"), _("Planned"), _("Received")], rows,
                [10 * mm, width - 90 * mm, 40 * mm, 40 * mm],
                align=["RIGHT", "LEFT", "RIGHT", "RIGHT"],
                total_row=["", _("Total"), rp(funds.planned_total), rp(funds.received_total)]))
        else:
            story.append(empty_note(_("No funds were planned or received for this activity.")))
        story += self.heading(_("II. Expenses"))
        if funds.expenses:
            rows = [[str(i), short_date(r.get("entry_date")), str(r.get("proof_number") or "–"),
                     str(r.get("description")), rp(int(r.get("expense")))]
                    for i, r in enumerate(funds.expenses, 1)]
            story.append(data_table(
                [_("No"), _("Date"), _("Proof number"), _("Description"), _("Amount")], rows,
                [10 * mm, 24 * mm, 28 * mm, width - 102 * mm, 40 * mm],
                align=["RIGHT", "LEFT", "LEFT", "LEFT", "RIGHT"],
                total_row=["", "", "", _("Total"), rp(funds.spent_total)]))
        else:
            story.append(empty_note(_("No expenses are recorded for this activity.")))
        story += self.heading(_("III. Remaining funds"))
        story.append(field_table([
            (_("Received"), rp(funds.received_total)),
            (_("Spent"), rp(funds.spent_total)),
            (_("Remaining"), rp(funds.remaining)),
        ], 45 * mm, width))
        story.append(Spacer(1, 2 * mm))
        story.append(Paragraph(esc(_("Spent, in words: {words}.").format(
            words=terbilang(funds.spent_total))), st.body))
        story.append(Paragraph(esc(_("Remaining, in words: {words}.").format(
            words=terbilang(funds.remaining))), st.body))
        story.append(self.signature(
            _("This report is made truthfully; the proofs of every receipt and expense are "
              "kept by the Bendahara."), second="bendahara"))
        if self.proofs or self.scans:
            story.append(PageBreak())
            story.append(Paragraph(esc(_("Appendix: proofs of receipts and expenses").upper()),
                                   st.title))
            story.append(Paragraph(esc(activity.title), st.subtitle))
            story += photo_grid(self, self.proofs)
            if self.scans:
                story.append(empty_note(_("Scanned proofs follow on the next pages: {names}.")
                                        .format(names="; ".join(n for n, _d in self.scans))))
        return story

    def build(self, out_path: Path, *, progress: object = None) -> Path:
        """The report, then each PDF scan's pages, written whole or not at all. A scan
        that cannot be read is left out (the intake accepted only whole PDFs)."""
        if not self.scans:
            return super().build(out_path)
        from pypdf import PdfReader, PdfWriter
        from pypdf.errors import PyPdfError

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(self.render())))
        for _name, data in self.scans:
            try:
                for page in PdfReader(io.BytesIO(data)).pages:
                    writer.add_page(page)
            except (PyPdfError, ValueError, OSError):
                continue
        buffer = io.BytesIO()
        writer.write(buffer)
        write_whole(Path(out_path), buffer.getvalue())
        return Path(out_path)


def build(funds: ActivityFunds, common: Common, out_path: Path, *,
          proofs: Sequence[Photo] = (), scans: Sequence[tuple[str, bytes]] = ()) -> Path:
    """Write the LPJ to ``out_path`` (whole, or not at all); ``proofs`` (receipt photos)
    and ``scans`` (``(name, PDF bytes)``) make its appendix."""
    return LpjPdf(funds, common, proofs, scans).build(out_path)
