"""Printing the monthly report: bytes sent and seconds, vector pages against 300 dpi pictures.

    .venv/bin/python scripts/bench_printing.py [--runs N]

The report is the typical village's monthly report (``bench_reports.typical_village``: 12
photos). The vector path is what the program does now where CUPS is: the PDF itself is
handed to the spooler (``services.printing.submit``). The raster path is what it did before:
every page rendered at 300 dpi by QtPdf and drawn onto a ``QPrinter``; on Linux Qt spools
that as a PDF of page pictures, so a ``QPrinter`` in PdfFormat at 300 dpi writes the very
bytes CUPS got. With root and CUPS installed, both spools are also sent to a private cupsd
with a cups-pdf printer (``tests/cups_server.py``) and timed until cups-pdf has written its
PDF: what the secretary waits for. Seconds are medians of ``runs``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
for folder in (SCRIPTS, ROOT):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


def _median(values: list[float]) -> float:
    return statistics.median(values)


def raster_spool(pdf: Path, out: Path) -> tuple[float, int]:
    """The old path: seconds to render and spool ``pdf`` as 300 dpi pictures, and the bytes."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication

    from kt_desktop.gui.widgets.pdf_preview import PRINT_DPI, PdfPreview

    _app = QApplication.instance() or QApplication([])
    preview = PdfPreview()
    preview.show_pdf(pdf, "bench")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setResolution(PRINT_DPI)
    started = time.perf_counter()
    preview.render_to(printer)
    seconds = time.perf_counter() - started
    preview.deleteLater()
    return seconds, out.stat().st_size


def measure(folder: Path, runs: int) -> dict[str, Any]:
    import bench_reports

    from kt_desktop import i18n
    from kt_desktop.services import printing, reports
    from kt_desktop.services.session import open_session

    i18n.set_language("id")
    folder.mkdir(parents=True, exist_ok=True)
    village = bench_reports.typical_village(folder)
    session = open_session(village)
    try:
        pdf = reports.build_monthly(session, bench_reports.MONTH.year, bench_reports.MONTH.month,
                                    folder / "bulanan.pdf", today=bench_reports.TODAY)
    finally:
        session.close()
    from pypdf import PdfReader

    result: dict[str, Any] = {"pages": len(PdfReader(pdf).pages), "vector_bytes": pdf.stat().st_size}
    raster = [raster_spool(pdf, folder / f"raster-{n}.pdf") for n in range(runs)]
    result["raster_s"] = _median([seconds for seconds, _size in raster])
    result["raster_bytes"] = raster[0][1]

    from tests import cups_server

    why = cups_server.missing()
    if why is not None:
        result["cups"] = why
        return result
    with cups_server.private_cups(("a4",)) as (_server, queues):
        queue, out = queues["a4"]
        vector_submit, vector_total, raster_total = [], [], []
        for n in range(runs):
            for spool, totals in ((pdf, vector_total), (folder / f"raster-{n}.pdf", raster_total)):
                started = time.perf_counter()
                printing.submit(spool, printer=queue, title=f"bench-{n}")
                handed = time.perf_counter() - started
                if spool == pdf:
                    vector_submit.append(handed)
                written = cups_server.wait_for_pdf(out, timeout=300)
                totals.append(time.perf_counter() - started)
                written.unlink()
        result["cups"] = "private cupsd, cups-pdf printer"
        result["vector_submit_s"] = _median(vector_submit)
        result["vector_printed_s"] = _median(vector_total)
        result["raster_printed_s"] = _median(raster_total)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kt-bench-print-") as work:
        print(json.dumps(measure(Path(work), args.runs), indent=2))


if __name__ == "__main__":
    main()
