"""The Program Kerja page: the book's list page with the plan set beside its realisation.

Everything of a book page is inherited (``BookPage``: toolbar, filters, form, Cetak/Ekspor/
Impor); below the list, the year shown is summed (planned against carried out, budget against
cost) and the selected line says which activities carried it out, when and at what cost.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFrame, QSizePolicy, QVBoxLayout, QWidget

from kt_desktop.domain.formats import date_short, number, rupiah
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.book import BookPage
from kt_desktop.gui.widgets.labels import muted_label
from kt_desktop.i18n import _
from kt_desktop.services import program_kerja as service
from kt_desktop.services.program_kerja import LineRealisation, Programme

#: Activities named one by one under a selected line (the printed Program Kerja lists all).
SHOWN = 6


def totals_text(programme: Programme) -> str:
    """One sentence of the year's plan against realisation (counts and Rupiah)."""
    if not programme.lines:
        return ""
    share = round(100 * programme.done / programme.planned) if programme.planned else 0
    return _("Plan against realisation: {done} of {planned} planned activities carried out "
             "({share} %); cost {cost} of a budget of {budget}.").format(
        done=number(programme.done), planned=number(programme.planned), share=share,
        cost=rupiah(programme.cost), budget=rupiah(programme.budget))


def line_text(line: LineRealisation) -> str:
    """What carried out one line: each activity's date and cost, or that none did yet."""
    name = str(line.line.get("activity"))
    if not line.done:
        text = _("“{name}”: not carried out yet ({planned} planned).").format(
            name=name, planned=number(line.planned))
    else:
        shown = [f"{date_short(item.start)} ({rupiah(item.cost)})" for item in line.done]
        done = "; ".join(shown[:SHOWN]) + ("; …" if len(shown) > SHOWN else "")
        text = _("“{name}”: {done} of {planned} carried out — {list}.").format(
            name=name, done=number(len(line.done)), planned=number(line.planned), list=done)
    if line.waiting:
        text += " " + _("{count} more planned in the Activities book.").format(
            count=number(line.waiting))
    return text


class ProgramKerjaPage(BookPage):
    book_key = service.KEY
    scrolls = True  # the plan-against-realisation panel under the list

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        self.programme: Programme | None = None
        super().__init__(ops, parent)
        panel = QFrame()
        panel.setFrameShape(QFrame.Shape.StyledPanel)
        panel.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        box = QVBoxLayout(panel)
        box.setContentsMargins(10, 6, 10, 6)
        self.totals_label = muted_label()
        self.line_label = muted_label()
        box.addWidget(self.totals_label)
        box.addWidget(self.line_label)
        layout = self.column
        layout.insertWidget(layout.count() - 1, panel)
        self.table.selectionModel().selectionChanged.connect(self._show_line)
        self._show_line()

    def reload(self, select_id: str | None = None) -> None:
        super().reload(select_id)
        year = self.query().year
        self.ops.query(lambda s: service.realisation(s, year), self._alive(self._show_totals),
                       parent=self)

    def _show_totals(self, programme: Programme) -> None:
        self.programme = programme
        self.totals_label.setText(totals_text(programme) or _(
            "Link activities to a programme line in the activity form (Work programme) to "
            "see what was realised."))
        self._show_line()

    def _show_line(self, *_args: Any) -> None:
        if not hasattr(self, "line_label"):
            return  # the base class selects before the panel is made
        record = self.selected()
        found = None
        if record is not None and self.programme is not None:
            found = next((x for x in self.programme.lines if x.line.id == record.id), None)
        self.line_label.setText(line_text(found) if found else _(
            "Select a line to see the activities that carried it out."))
