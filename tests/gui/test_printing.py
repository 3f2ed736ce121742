"""Cetak from the preview: our print dialog and the PDF to a real (private) CUPS; Qt's raster
path (Windows) fitting each page to the sheet and centring it."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from PySide6.QtCore import QSizeF
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrinter

from kt_desktop.domain import paper as papers
from kt_desktop.gui.dialogs.print_dialog import PrintDialog
from kt_desktop.gui.widgets.pdf_preview import PdfPreview
from kt_desktop.services import printing, reports
from tests import cups_server
from tests.test_reports_helpers import MONTH, PRINTED, YEAR, fill_village

MM = 72 / 25.4


@pytest.fixture(scope="module")
def cups() -> Iterator[tuple[cups_server.CupsServer, dict[str, tuple[str, Path]]]]:
    cups_server.require()
    with cups_server.private_cups(("a4", "f4")) as running:
        yield running


@pytest.fixture
def a4_report(village_session: Any, tmp_path: Path) -> Path:
    fill_village(village_session)
    return reports.build_monthly(village_session, YEAR, MONTH, tmp_path / "a4.pdf",
                                 today=PRINTED, paper="a4")


@pytest.fixture
def preview(qtbot: Any, a4_report: Path) -> PdfPreview:
    widget = PdfPreview()
    qtbot.addWidget(widget)
    assert widget.show_pdf(a4_report, "Laporan bulanan Oktober 2025")
    return widget


def _ink(path: Path, tmp_path: Path, name: str) -> tuple[Image.Image, tuple[int, int, int, int]]:
    stem = tmp_path / name
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", "-singlefile",
                    str(path), str(stem)], check=True, timeout=60)
    image = Image.open(f"{stem}.png").convert("L").point(lambda v: 255 if v < 200 else 0)
    box = image.getbbox()
    assert box is not None
    return image, box


def test_print_dialog_starts_from_the_printers_paper_and_sends_the_pdf(
        qtbot, cups, preview, a4_report, tmp_path, monkeypatch):
    _server, queues = cups
    f4_queue, f4_out = queues["f4"]
    assert preview.use_print_system()
    assert preview.laid_out_for() == papers.A4
    dialog = PrintDialog(printing.printers(), queues["a4"][0], preview.page_count(),
                         preview.laid_out_for())
    qtbot.addWidget(dialog)
    assert dialog.chosen_paper() == papers.A4
    assert "tercetak seperti yang terlihat" in dialog.note.text()
    # choosing the F4 printer chooses its paper, and says the page will be fitted
    dialog.printer.setCurrentIndex(dialog.printer.findData(f4_queue))
    assert dialog.chosen_paper() == papers.F4
    assert "disusun untuk kertas A4" in dialog.note.text()
    assert "di tengah" in dialog.note.text()
    dialog.copies.setValue(2)
    dialog.some_pages.setChecked(True)
    dialog.first.setValue(1)
    dialog.last.setValue(2)
    choice = dialog.choice()
    assert (choice.printer, choice.copies, choice.pages, choice.page_count) == (
        f4_queue, 2, "1-2", 2)

    monkeypatch.setattr(preview, "ask_print_choice", lambda: choice)
    sent: list[int] = []
    preview.printed.connect(sent.append)
    assert preview.print_document() == 2
    assert sent == [2]
    job = preview.last_job
    assert job is not None and job.fitted and job.media == "F4"
    assert job.bytes_sent == a4_report.stat().st_size
    printed = cups_server.wait_for_pdf(f4_out)
    reader = PdfReader(printed)
    assert len(reader.pages) == 2  # pages 1-2 (cups-pdf writes one copy) …
    page_log = (cups[0].root / "log" / "page_log").read_text()
    assert " total 4 " in page_log and " F4 " in page_log  # … CUPS counted two copies
    box = reader.pages[0].mediabox
    assert abs(float(box.width) / MM - 215) < 1 and abs(float(box.height) / MM - 330) < 1
    assert "KARANG TARUNA TUNAS HARAPAN" in (reader.pages[0].extract_text() or "")


def test_qt_path_fits_the_page_to_the_sheet_and_centres_it(qtbot, preview, a4_report,
                                                          tmp_path, monkeypatch):
    """Where there is no CUPS: an A4 page on an F4 printer, drawn in the middle of the sheet
    (it was drawn in the top-left corner, with an empty band below)."""
    printed = tmp_path / "qt.pdf"

    def f4_printer(printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        printer.setPageSize(QPageSize(QSizeF(215, 330), QPageSize.Unit.Millimeter, "F4"))
        printer.setFromTo(1, 1)
        return True

    monkeypatch.setattr(preview, "use_print_system", lambda: False)
    monkeypatch.setattr(preview, "ask_printer", f4_printer)
    assert preview.print_document() == 1
    page = PdfReader(printed).pages[0]
    assert abs(float(page.mediabox.height) / MM - 330) < 1
    original, a4_box = _ink(a4_report, tmp_path, "a4")
    image, box = _ink(printed, tmp_path, "f4")
    scale = 215 / 210
    band = (330 - 297 * scale) / 2 * 30 / 25.4  # pixels free above and below the page
    assert abs(box[1] - (a4_box[1] * scale + band)) <= 3
    assert abs((image.height - box[3]) - ((original.height - a4_box[3]) * scale + band)) <= 3
    assert abs(box[0] - (image.width - box[2])) <= 3  # left and right margins alike


def test_laporan_page_lays_the_report_out_for_the_chosen_paper(qtbot, village_session,
                                                               monkeypatch):
    """Kertas on the Laporan page: F4 chosen, the preview is an F4 report; remembered."""
    from kt_desktop import ui_prefs
    from kt_desktop.gui.ops import Ops
    from kt_desktop.gui.pages.reports import ReportsPage
    from kt_desktop.gui.widgets.paper_choice import PAPER_KEY

    monkeypatch.setattr(printing, "available", lambda: True)
    monkeypatch.setattr(printing, "printer_paper", lambda printer=None: papers.LETTER)
    fill_village(village_session)
    ops = Ops(village_session)
    page = ReportsPage(ops, None, today=PRINTED)
    qtbot.addWidget(page, before_close_func=lambda _w: ops.wait_idle())
    page.show()
    # the first time, the printer's own paper (here: Letter)
    qtbot.waitUntil(lambda: page.paper.paper() == papers.LETTER, timeout=10_000)
    assert ui_prefs.get(PAPER_KEY) is None  # not chosen by the secretary yet
    page.paper.setCurrentIndex(page.paper.findData("f4"))
    assert page.paper.currentText() == "F4 (215 × 330 mm)"
    assert ui_prefs.get(PAPER_KEY) == "f4"
    qtbot.waitUntil(lambda: not ops.busy(), timeout=15_000)
    page.build()
    qtbot.waitUntil(lambda: page.preview.page_count() > 0, timeout=20_000)
    assert page.preview.laid_out_for() == papers.F4
    box = PdfReader(page.preview.path).pages[0].mediabox
    assert (round(float(box.width) / MM), round(float(box.height) / MM)) == (215, 330)
    qtbot.waitUntil(lambda: not ops.busy(), timeout=15_000)
