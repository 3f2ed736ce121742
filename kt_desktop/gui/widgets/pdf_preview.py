"""A PDF shown inside the program (QtPdf), with page count, zoom, Print and Save.

The secretary sees the report exactly as it will print before paper is spent. The document is
drawn by ``QPdfView`` (asynchronously: tests wait before they grab it). Printing renders each
page with ``QPdfDocument.render`` onto the printer's painter at no more than 300 dpi, so an
office printer reporting 1200 dpi does not make the laptop build 500 MB page images.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QPageLayout, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.gui.widgets import icons
from kt_desktop.gui.widgets.labels import ElidedLabel
from kt_desktop.i18n import _

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
        self.document = QPdfDocument(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        # The title has a line of its own above the buttons: beside them it had a few dozen
        # pixels at 1366x768 and ran into the page count. A long activity name is elided
        # there, whole in the tooltip.
        self.title = ElidedLabel()
        self.title.setStyleSheet("font-weight: bold;")  # a style sheet follows the font size
        self.title.setAccessibleName(_("Report"))
        layout.addWidget(self.title)
        bar = QHBoxLayout()
        self._title = ""
        self.page_label = QLabel()
        self.page_label.setToolTip(_("The page at the top of the preview, and how many pages "
                                     "the report has"))
        self.zoom_out = QToolButton()
        self.zoom_out.setText("\u2212")
        self.zoom_out.setToolTip(_("Show the pages smaller (Ctrl+-)"))
        self.zoom_in = QToolButton()
        self.zoom_in.setText("+")
        self.zoom_in.setToolTip(_("Show the pages larger (Ctrl++)"))
        self.fit = QPushButton(_("Fit width"))
        self.fit.setToolTip(_("Show the whole width of the page again after zooming"))
        self.print_button = QPushButton(_("Print…"))
        self.print_button.setToolTip(_("Print the report (Ctrl+P)"))
        self.save_button = QPushButton(icons.icon("download"), _("Save as PDF…"))
        self.save_button.setToolTip(_("Save the report as a PDF file (Ctrl+S)"))
        bar.addWidget(self.page_label)
        bar.addStretch(1)
        for widget in (self.zoom_out, self.zoom_in, self.fit, self.print_button,
                       self.save_button):
            bar.addWidget(widget)
        layout.addLayout(bar)

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
    def ask_printer(self, printer: QPrinter) -> bool:
        """The printer dialog (a method of its own so tests can stand in for it)."""
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print the report"))
        return dialog.exec() == QDialog.DialogCode.Accepted

    def print_document(self) -> int:
        """Ask for a printer and send the chosen pages; returns how many were printed."""
        if not self.path:
            return 0
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._title or self.path.stem)
        printer.setFromTo(1, self.document.pageCount())
        first_size = self.document.pagePointSize(0)
        if first_size.width() > first_size.height():
            printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        if not self.ask_printer(printer):
            return 0
        return self.render_to(printer)

    def render_to(self, printer: QPrinter) -> int:
        """Draw the chosen page range onto ``printer``, one rendered image per page."""
        count = self.document.pageCount()
        first = max(printer.fromPage(), 1) if printer.fromPage() else 1
        last = min(printer.toPage(), count) if printer.toPage() else count
        pages = list(range(first - 1, last))
        progress = QProgressDialog(_("Printing…"), _("Cancel"), 0, len(pages), self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        painter = QPainter()
        if not painter.begin(printer):
            progress.close()
            return 0
        done = 0
        try:
            dpi = min(printer.resolution(), PRINT_DPI)
            for index, page in enumerate(pages):
                if progress.wasCanceled():
                    break
                if index:
                    printer.newPage()
                target = printer.pageLayout().paintRectPixels(printer.resolution())
                size = self.document.pagePointSize(page)
                image = self.document.render(
                    page, QSize(round(size.width() * dpi / 72), round(size.height() * dpi / 72))
                )
                scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                area = QRect(0, 0, scaled.width(), scaled.height())
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
