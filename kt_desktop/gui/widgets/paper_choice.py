"""The "Kertas" choice of the Laporan pages: the sheet a report is laid out for.

It starts from the sheet the secretary chose last time; the first time, from the default
printer's own paper (asked of CUPS on a worker, so the page opens at once), else A4. F4
(215 × 330 mm) is common in Indonesian offices; a report laid out for the paper in the tray
prints with its margins, nothing refitted by the printer.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QComboBox, QWidget

from kt_desktop import ui_prefs
from kt_desktop.domain import paper as papers
from kt_desktop.gui.ops import Ops
from kt_desktop.i18n import _

#: ui_prefs key: the paper the last report was laid out for.
PAPER_KEY = "reports.paper"


def paper_label(paper: papers.Paper) -> str:
    """"F4 (215 × 330 mm)": the name and the size, so nobody has to know what F4 is."""
    return _("{name} ({width} × {height} mm)").format(
        name=paper.label, width=f"{paper.width_mm:g}".replace(".", ","),
        height=f"{paper.height_mm:g}".replace(".", ","))


def fill(combo: QComboBox, selected: papers.Paper | None = None) -> None:
    """Put our papers into ``combo`` (their key as data) and select ``selected``."""
    combo.clear()
    for paper in papers.PAPERS:
        combo.addItem(paper_label(paper), paper.key)
    combo.setCurrentIndex(max(combo.findData((selected or papers.DEFAULT).key), 0))


def _qt_default_paper() -> papers.Paper | None:
    """The default printer's paper as Qt reports it (where there is no CUPS)."""
    from PySide6.QtGui import QPageSize
    from PySide6.QtPrintSupport import QPrinterInfo

    info = QPrinterInfo.defaultPrinter()
    if info.isNull():
        return None
    size = info.defaultPageSize().size(QPageSize.Unit.Millimeter)
    return papers.by_size(size.width(), size.height())


class PaperChoice(QComboBox):
    """A4 / F4 / Letter, remembered; the printer's paper the first time."""

    def __init__(self, ops: Ops | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Paper"))
        self.setToolTip(_("The paper the report is laid out for: choose the paper in your "
                          "printer (F4 is 215 × 330 mm)"))
        saved = ui_prefs.get(PAPER_KEY)
        known = {paper.key for paper in papers.PAPERS}
        fill(self, papers.paper(saved) if saved in known else None)
        self.currentIndexChanged.connect(self._remember)
        if saved not in known and ops is not None:
            from kt_desktop.services import printing

            if printing.available():
                ops.query(lambda _session: printing.printer_paper(), self._printer_paper,
                          on_failed=lambda _exc: None, parent=self)
            else:  # Windows: the default printer as Qt sees it
                self._printer_paper(_qt_default_paper())

    def _printer_paper(self, found: papers.Paper | None) -> None:
        if found is None or not shiboken6.isValid(self) or ui_prefs.get(PAPER_KEY):
            return
        self.blockSignals(True)
        self.setCurrentIndex(max(self.findData(found.key), 0))
        self.blockSignals(False)

    def _remember(self, _index: int) -> None:
        ui_prefs.put(PAPER_KEY, self.paper().key)

    def paper(self) -> papers.Paper:
        return papers.paper(str(self.currentData() or papers.DEFAULT.key))
