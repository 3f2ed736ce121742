"""Cetak: the print dialog where the PDF goes to CUPS as it is (Linux, macOS).

Printer, paper, copies and pages, in the program's language (Qt's own print dialog has no
Indonesian). The paper starts as the chosen printer's own; when it is not the sheet the
report was laid out for, the dialog says that CUPS will fit the page and centre it, and that
choosing the paper on the Laporan page lays the report out for it instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain import paper as papers
from kt_desktop.gui.widgets import paper_choice
from kt_desktop.gui.widgets.labels import muted_label
from kt_desktop.i18n import _
from kt_desktop.services import printing


@dataclass(frozen=True, slots=True)
class PrintChoice:
    """What the secretary chose: passed to :func:`kt_desktop.services.printing.submit`."""

    printer: str
    paper: papers.Paper
    copies: int
    pages: str | None  # "2-4", or None for every page
    page_count: int  # how many pages each copy has


class PrintDialog(QDialog):
    """Choose the printer, the paper, the copies and the pages."""

    def __init__(self, printer_names: list[str], default: str | None, page_count: int,
                 laid_out_for: papers.Paper | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Print the report"))
        self.laid_out_for = laid_out_for
        self.page_total = page_count
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)

        self.printer = QComboBox()
        self.printer.setAccessibleName(_("Printer"))
        for name in printer_names:
            self.printer.addItem(name, name)
        if default in printer_names:
            self.printer.setCurrentIndex(printer_names.index(default))
        form.addRow(_("Printer"), self.printer)

        self.paper = QComboBox()
        self.paper.setAccessibleName(_("Paper"))
        paper_choice.fill(self.paper, laid_out_for)
        form.addRow(_("Paper"), self.paper)

        self.copies = QSpinBox()
        self.copies.setRange(1, 99)
        self.copies.setAccessibleName(_("Copies"))
        form.addRow(_("Copies"), self.copies)

        self.all_pages = QRadioButton(_("All pages ({count})").format(count=page_count))
        self.some_pages = QRadioButton(_("Pages"))
        group = QButtonGroup(self)
        group.addButton(self.all_pages)
        group.addButton(self.some_pages)
        self.all_pages.setChecked(True)
        self.first = QSpinBox()
        self.last = QSpinBox()
        for box in (self.first, self.last):
            box.setRange(1, max(page_count, 1))
            box.setEnabled(False)
        self.first.setAccessibleName(_("First page"))
        self.last.setAccessibleName(_("Last page"))
        self.last.setValue(max(page_count, 1))
        pages_row = QHBoxLayout()
        pages_row.addWidget(self.all_pages)
        pages_row.addWidget(self.some_pages)
        pages_row.addWidget(self.first)
        pages_row.addWidget(QLabel(_("to")))
        pages_row.addWidget(self.last)
        pages_row.addStretch(1)
        form.addRow(_("Print"), pages_row)
        self.some_pages.toggled.connect(self.first.setEnabled)
        self.some_pages.toggled.connect(self.last.setEnabled)

        self.note = muted_label()
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton(_("Print"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.printer.currentIndexChanged.connect(self._printer_chosen)
        self.paper.currentIndexChanged.connect(self._explain)
        self._printer_chosen()

    def _printer_chosen(self, *_args: object) -> None:
        """Start from the paper the chosen printer holds (when CUPS says which)."""
        name = self.printer.currentData()
        found = printing.printer_paper(name) if name else None
        if found is not None:
            self.paper.setCurrentIndex(max(self.paper.findData(found.key), 0))
        self._explain()

    def _explain(self, *_args: object) -> None:
        chosen = self.chosen_paper()
        if self.laid_out_for is None or chosen == self.laid_out_for:
            self.note.setText(_("The pages are laid out for {paper}: they print as shown.")
                              .format(paper=paper_choice.paper_label(chosen)))
        else:
            self.note.setText(_(
                "The report is laid out for {laid}. On {paper} the printer fits each page to "
                "the sheet and centres it. For the best result choose {paper} under Paper on "
                "the left and make the report again."
            ).format(laid=self.laid_out_for.label, paper=chosen.label))

    def chosen_paper(self) -> papers.Paper:
        return papers.paper(str(self.paper.currentData() or papers.DEFAULT.key))

    def choice(self) -> PrintChoice:
        first, last = sorted((self.first.value(), self.last.value()))
        some = self.some_pages.isChecked() and (first, last) != (1, self.page_total)
        return PrintChoice(
            printer=str(self.printer.currentData()),
            paper=self.chosen_paper(),
            copies=self.copies.value(),
            pages=f"{first}-{last}" if some else None,
            page_count=(last - first + 1) if some else self.page_total,
        )
