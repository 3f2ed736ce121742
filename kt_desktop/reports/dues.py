"""The arrears list of members' dues (daftar tunggakan iuran anggota).

Kop surat; the month the list runs to and the monthly rate; one line per member who owes,
with the months unpaid, how many and how much; the total; the Ketua and the Bendahara
sign. Fed by :func:`kt_desktop.services.dues.arrears`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from kt_desktop.domain import formats
from kt_desktop.domain.dues import Arrear, short_months
from kt_desktop.i18n import _
from kt_desktop.reports.base import Report, data_table, empty_note, esc, field_table
from kt_desktop.reports.model import Common


class ArrearsPdf(Report):
    def __init__(self, arrears: Sequence[Arrear], upto: dt.date, rate: int,
                 common: Common) -> None:
        super().__init__(common)
        self.arrears, self.upto, self.rate = arrears, upto, rate
        self.title = _("Dues Arrears")

    def story(self) -> list[Flowable]:
        st, width, rp = self.st, self.frame_width, formats.rupiah
        story: list[Flowable] = [
            Paragraph(esc(_("MEMBERS' DUES ARREARS")), st.title),
            Paragraph(esc(_("Up to {month}").format(month=formats.month_year(self.upto))),
                      st.subtitle),
            field_table([(_("Monthly rate"), rp(self.rate)),
                         (_("Members who owe"), formats.number(len(self.arrears)))],
                        40 * mm, width),
        ]
        if self.arrears:
            rows = [[str(i), a.name, short_months(a.months),
                     formats.number(len(a.months)), rp(a.amount)]
                    for i, a in enumerate(self.arrears, 1)]
            total = sum(a.amount for a in self.arrears)
            months = sum(len(a.months) for a in self.arrears)
            story.append(data_table(
                [_("No"), _("Name"), _("Months unpaid"), _("Months"), _("Amount")], rows,
                [10 * mm, 55 * mm, width - 125 * mm, 20 * mm, 40 * mm],
                align=["RIGHT", "LEFT", "LEFT", "RIGHT", "RIGHT"],
                total_row=["", _("Total"), "", formats.number(months), rp(total)]))
        else:
            story.append(empty_note(_("Every member has paid the dues up to this month.")))
        story.append(self.signature(
            _("This list is drawn from the cash book; a payment made since is written in the "
              "cash book before the list is printed again."), acknowledge=False,
            second="bendahara"))
        return story


def build(arrears: Sequence[Arrear], upto: dt.date, rate: int, common: Common,
          out_path: Path) -> Path:
    """Write the arrears list to ``out_path`` (whole, or not at all)."""
    return ArrearsPdf(arrears, upto, rate, common).build(out_path)
