"""A PDF shown inside the program (QtPdf), with page count, zoom, Print and Save.

The secretary sees the report exactly as it will print before paper is spent. The document is
drawn by ``QPdfView`` (asynchronously: tests wait before they grab it).

Printing has two paths. Where CUPS is (Linux, macOS) the PDF itself goes to the print system
(:mod:`kt_desktop.services.printing`, chosen in our own :class:`PrintDialog`): vector pages,
about a seventh of the bytes of pictures, and a PDF printer's copy keeps its text. Elsewhere
(Windows, or no print queue) Qt's print dialog and :meth:`PdfPreview.render_to`: each page
rendered with ``QPdfDocument.render`` at the printer's resolution but no more than 300 dpi (an
office printer reporting 1200 dpi must not make the laptop build 500 MB page images), fitted
to the sheet and centred on it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRect, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import QKeySequence, QPageLayout, QPageSize, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QProgressDialog,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain import paper as papers
from kt_desktop.domain.errors import KtError
from kt_desktop.gui.dialogs.print_dialog import PrintChoice, PrintDialog
from kt_desktop.gui.widgets import icons
from kt_desktop.gui.widgets import list_parts as parts
from kt_desktop.gui.widgets.flow import flow_row, flush
from kt_desktop.gui.widgets.labels import ElidedLabel
from kt_desktop.i18n import _
from kt_desktop.services import printing

#: Highest resolution pages are rendered at for the printer (dots per inch).
PRINT_DPI = 300
ZOOM_STEP = 1.25


class PdfPreview(QWidget):
    """Shows one PDF at a time; emits :attr:`save_requested` / :attr:`printed`."""

    save_requested = Signal()
    printed = Signal(int)  # pages sent to the printer

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self.last_job: printing.PrintJob | None = None
        self.document = QPdfDocument(self)

        layout = flush(QVBoxLayout(self), spacing=6)
        # The title has a line of its own above the buttons: beside them it had a few dozen
        # pixels at 1366x768 and ran into the page count. A long activity name is elided
        # there, whole in the tooltip.
        self.title = ElidedLabel()
        self.title.setStyleSheet("font-weight: bold;")  # a style sheet follows the font size
        self.title.setAccessibleName(_("Report"))
        layout.addWidget(self.title)
        # Beside the report's form the preview has 400 px on a netbook: the buttons wrap.
        bar_row, bar = flow_row()
        self._title = ""
        self.page_label = QLabel()
        self.page_label.setToolTip(_("The page at the top of the preview, and how many pages "
                                     "the report has"))
        self.zoom_out = parts.tool_button("\u2212", _("Show the pages smaller (Ctrl+-)"))
        self.zoom_in = parts.tool_button("+", _("Show the pages larger (Ctrl++)"))
        self.fit = parts.action_button(
            _("Fit width"), _("Show the whole width of the page again after zooming"))
        self.print_button = parts.action_button(_("Print…"), _("Print the report (Ctrl+P)"))
        self.save_button = QPushButton(icons.icon("download"), _("Save as PDF…"))
        self.save_button.setToolTip(_("Save the report as a PDF file (Ctrl+S)"))
        bar.addWidget(self.page_label)
        bar.addStretch(1)
        for widget in (self.zoom_out, self.zoom_in, self.fit, self.print_button,
                       self.save_button):
            bar.addWidget(widget)
        layout.addWidget(bar_row)

        self.view = QPdfView()
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.view.setAccessibleName(_("Report preview"))
        self.empty = QLabel(_("Choose a report on the left and press \u201cMake report\u201d to "
                              "see it here before printing."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.view)
        layout.addWidget(self.stack, 1)

        self.zoom_in.clicked.connect(lambda: self._zoom(ZOOM_STEP))
        self.zoom_out.clicked.connect(lambda: self._zoom(1 / ZOOM_STEP))
        self.fit.clicked.connect(
            lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        )
        self.save_button.clicked.connect(self.save_requested)
        self.print_button.clicked.connect(self.print_document)
        self.view.pageNavigator().currentPageChanged.connect(self._update_page_label)
        for keys, step in ((QKeySequence.StandardKey.ZoomIn, ZOOM_STEP),
                           (QKeySequence.StandardKey.ZoomOut, 1 / ZOOM_STEP)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda step=step: self.path and self._zoom(step))
        self._set_enabled(False)

    # showing ----------------------------------------------------------------------------
    def show_pdf(self, path: Path, title: str) -> bool:
        """Load ``path``; False (and the empty state) when QtPdf cannot read it."""
        self.document.close()
        self.path = None
        status = self.document.load(str(path))
        if status != QPdfDocument.Error.None_ or self.document.pageCount() == 0:
            self.clear()
            return False
        self.path = Path(path)
        self._title = title
        self.title.set_full_text(title)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.pageNavigator().jump(0, QPointF(), 0)
        self.stack.setCurrentWidget(self.view)
        self._set_enabled(True)
        self._update_page_label()
        return True

    def clear(self) -> None:
        self.document.close()
        self.path = None
        self._title = ""
        self.title.set_full_text("")
        self.page_label.clear()
        self.stack.setCurrentWidget(self.empty)
        self._set_enabled(False)

    def title_text(self) -> str:
        return self._title

    def page_count(self) -> int:
        return self.document.pageCount() if self.path else 0

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.zoom_in, self.zoom_out, self.fit, self.print_button,
                       self.save_button):
            widget.setEnabled(enabled)

    def _update_page_label(self, *_args: object) -> None:
        if not self.path:
            self.page_label.clear()
            return
        current = self.view.pageNavigator().currentPage() + 1
        self.page_label.setText(_("Page {page} of {pages}").format(
            page=current, pages=self.document.pageCount()))

    def _zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.25, min(4.0, self.view.zoomFactor() * factor)))

    # printing ---------------------------------------------------------------------------
    def laid_out_for(self) -> papers.Paper | None:
        """The sheet the shown PDF was made for (its first page's size), or None."""
        if not self.path:
            return None
        size = self.document.pagePointSize(0)
        return papers.by_size(size.width() / papers.MM, size.height() / papers.MM)

    def use_print_system(self) -> bool:
        """True where the PDF itself goes to CUPS (a method so tests can choose the path)."""
        try:
            return printing.available() and bool(printing.printers())
        except KtError:
            return False

    def print_document(self) -> int:
        """Ask how to print and send the pages; returns how many pages (one copy) went."""
        if not self.path:
            return 0
        if self.use_print_system():
            return self._print_with_cups()
        return self._print_with_qt()

    # the PDF to CUPS ------------------------------------------------------------------------
    def ask_print_choice(self) -> PrintChoice | None:
        """Our print dialog (a method of its own so tests can stand in for it)."""
        dialog = PrintDialog(printing.printers(), printing.default_printer(),
                             self.document.pageCount(), self.laid_out_for(), self)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _print_with_cups(self) -> int:
        assert self.path is not None
        choice = self.ask_print_choice()
        if choice is None:
            return 0
        from kt_desktop.gui.ops import show_failure

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.last_job = printing.submit(
                self.path, printer=choice.printer, paper=choice.paper,
                laid_out_for=self.laid_out_for(), copies=choice.copies, pages=choice.pages,
                title=self._title or self.path.stem)
        except KtError as exc:
            QApplication.restoreOverrideCursor()
            show_failure(self, exc)
            return 0
        QApplication.restoreOverrideCursor()
        self.printed.emit(choice.page_count)
        return choice.page_count

    # Qt's printing (Windows, or no CUPS queue) ----------------------------------------------
    def ask_printer(self, printer: QPrinter) -> bool:
        """Qt's printer dialog (a method of its own so tests can stand in for it)."""
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print the report"))
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _print_with_qt(self) -> int:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._title or (self.path.stem if self.path else ""))
        printer.setFromTo(1, self.document.pageCount())
        # Start from the sheet the report was laid out for (the Laporan page's Paper, which
        # starts as the printer's own); the dialog may change it, render_to then fits.
        sheet = self.laid_out_for()
        if sheet is not None:
            printer.setPageSize(QPageSize(QSizeF(sheet.width_mm, sheet.height_mm),
                                          QPageSize.Unit.Millimeter, sheet.label,
                                          QPageSize.SizeMatchPolicy.FuzzyMatch))
        first_size = self.document.pagePointSize(0)
        if first_size.width() > first_size.height():
            printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        if not self.ask_printer(printer):
            return 0
        return self.render_to(printer)

    def render_to(self, printer: QPrinter) -> int:
        """Draw the chosen page range onto ``printer``, one rendered image per page, each
        fitted to the sheet and centred on it (the report carries its own margins)."""
        count = self.document.pageCount()
        first = max(printer.fromPage(), 1) if printer.fromPage() else 1
        last = min(printer.toPage(), count) if printer.toPage() else count
        pages = list(range(first - 1, last))
        progress = QProgressDialog(_("Printing…"), _("Cancel"), 0, len(pages), self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        printer.setFullPage(True)  # the painter's origin is the sheet's corner
        painter = QPainter()
        if not painter.begin(printer):
            progress.close()
            return 0
        done = 0
        try:
            resolution = printer.resolution()
            dpi = min(resolution, PRINT_DPI)
            for index, page in enumerate(pages):
                if progress.wasCanceled():
                    break
                if index:
                    printer.newPage()
                target = printer.pageLayout().fullRectPixels(resolution)
                size = self.document.pagePointSize(page)
                fitted = QSize(round(size.width()), round(size.height())).scaled(
                    target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                image = self.document.render(
                    page, QSize(round(fitted.width() * dpi / resolution),
                                round(fitted.height() * dpi / resolution)))
                area = QRect((target.width() - fitted.width()) // 2,
                             (target.height() - fitted.height()) // 2,
                             fitted.width(), fitted.height())
                painter.drawImage(area, image)
                done += 1
                progress.setValue(index + 1)
                QApplication.processEvents()
        finally:
            painter.end()
            progress.close()
            progress.deleteLater()
        self.printed.emit(done)
        return done
