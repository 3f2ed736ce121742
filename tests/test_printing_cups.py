"""Printing through a real print system: a private CUPS with cups-pdf printers (tests/cups_server.py).

Three PDF printers whose default paper is A4, Letter and F4 (215 × 330 mm). The monthly report
is printed on each as the secretary would from the command line; the PDF cups-pdf writes is
read back: every page there, the KT's name and a figure as text (vector pages, not
pictures), the page the size of the printer's paper, and what was sent the program's own PDF.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from kt_desktop.domain import paper as papers
from kt_desktop.domain.errors import KtError
from kt_desktop.services import printing, reports
from tests import cups_server
from tests.test_paper import _ink_columns
from tests.test_reports_helpers import MONTH, PRINTED, YEAR, fill_village

MM = 72 / 25.4
PAPERS = {"a4": papers.A4, "letter": papers.LETTER, "f4": papers.F4}


@pytest.fixture(scope="module")
def cups() -> Iterator[tuple[cups_server.CupsServer, dict[str, tuple[str, Path]]]]:
    """The private cupsd, with one cups-pdf queue per paper: {paper: (queue, out folder)}."""
    cups_server.require()
    with cups_server.private_cups(tuple(PAPERS)) as running:
        yield running


def _sizes_mm(path: Path) -> set[tuple[float, float]]:
    return {(round(float(p.mediabox.width) / MM, 1), round(float(p.mediabox.height) / MM, 1))
            for p in PdfReader(path).pages}


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def test_printers_and_their_paper_are_read_from_cups(cups):
    server, queues = cups
    listed = printing.printers()
    for key, (name, _out) in queues.items():
        assert name in listed
        assert printing.printer_paper(name) == PAPERS[key]
    # F4 is asked for under the driver's own name for it
    assert printing.media_name(queues["f4"][0], papers.F4) == "F4"
    assert printing.media_name(queues["a4"][0], papers.LETTER) == "Letter"
    done = server.run("lpadmin", "-d", queues["f4"][0])
    assert done.returncode == 0, done.stderr
    assert printing.default_printer() == queues["f4"][0]
    assert printing.printer_paper() == papers.F4


def test_the_paper_is_read_from_the_scheduler_where_lpoptions_cannot(cups, monkeypatch):
    """Over CUPS's local socket ``lpoptions -l`` gets no PPD ("No printer-uri found"), as
    for IPP Everywhere queues: the paper then comes from IPP ``media-default``."""
    server, queues = cups
    queue = queues["f4"][0]
    monkeypatch.setenv("CUPS_SERVER", str(server.socket))
    listed = subprocess.run(["lpoptions", "-p", queue, "-l"], capture_output=True, text=True,
                            timeout=30, env=dict(os.environ, LC_ALL="C"))
    assert "Unable to get PPD" in listed.stderr and "PageSize" not in listed.stdout
    assert printing.ipp_media_default(queue) is not None
    assert printing.printer_paper(queue) == papers.F4
    for key, (name, _out) in queues.items():
        assert papers.from_media_name(printing.ipp_media_default(name) or "") == PAPERS[key]


@pytest.mark.parametrize("key", ["a4", "letter", "f4"])
def test_monthly_report_prints_on_the_printers_paper(cups, village_file, village_session,
                                                     tmp_path, key):
    _server, queues = cups
    fill_village(village_session)
    queue, out_folder = queues[key]
    made = tmp_path / "bulanan.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "kt_desktop", "report", "monthly", "--month",
         f"{YEAR}-{MONTH:02d}", "--out", str(made), "--print", "--printer", queue,
         "--data", str(village_file), "--json"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    # laid out for the printer's default paper, and the PDF itself was what went
    assert summary["paper"] == key and summary["printer"] == queue
    assert summary["job"].startswith(queue)
    assert summary["bytes_sent"] == made.stat().st_size
    assert summary["bytes_sent"] < 1_000_000  # pictures of 5 pages were 3.5 MB

    printed = cups_server.wait_for_pdf(out_folder)
    pages = PdfReader(printed).pages
    assert len(pages) == len(PdfReader(made).pages) >= 2
    paper = PAPERS[key]
    for width, height in _sizes_mm(printed):
        assert abs(width - paper.width_mm) < 1 and abs(height - paper.height_mm) < 1
    text = _text(printed)
    assert "KARANG TARUNA TUNAS HARAPAN" in text
    assert "Rp3.100.000" in text
    left, right, _width = _ink_columns(printed)
    assert abs(left - right) <= 2, "the page is not pushed to one side"
    (tmp_path / "printed.pdf").write_bytes(printed.read_bytes())
    printed.unlink()


def test_a_page_on_another_sheet_is_fitted_and_centred(cups, village_session, tmp_path):
    """An A4 report sent to the F4 printer as F4: CUPS scales it and centres it."""
    _server, queues = cups
    fill_village(village_session)
    made = reports.build_monthly(village_session, YEAR, MONTH, tmp_path / "a4.pdf",
                                 today=PRINTED, paper="a4")
    queue, out_folder = queues["f4"]
    job = printing.submit(made, printer=queue, paper=papers.F4, laid_out_for=papers.A4,
                          pages="1-1", title="a4-on-f4")
    assert job.fitted and job.media == "F4"
    printed = cups_server.wait_for_pdf(out_folder)
    assert len(PdfReader(printed).pages) == 1
    (width, height), = _sizes_mm(printed)
    assert abs(width - 215) < 1 and abs(height - 330) < 1
    # fitted to the width (215/210): 304 mm tall, so 13 mm free above and below
    from PIL import Image

    stem = tmp_path / "page"
    for source, name in ((made, "a4"), (printed, "f4")):
        subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", "-singlefile",
                        str(source), str(stem.with_name(name))], check=True, timeout=60)
    a4 = Image.open(tmp_path / "a4.png").convert("L").point(lambda v: 255 if v < 200 else 0)
    f4 = Image.open(tmp_path / "f4.png").convert("L").point(lambda v: 255 if v < 200 else 0)
    a4_box, f4_box = a4.getbbox(), f4.getbbox()
    assert a4_box is not None and f4_box is not None
    scale = 215 / 210
    px = 30 / 25.4  # pixels per mm at 30 dpi
    band = (330 - 297 * scale) / 2 * px
    assert abs(f4_box[1] - (a4_box[1] * scale + band)) <= 3, "empty band on top"
    assert abs((f4.height - f4_box[3]) - ((a4.height - a4_box[3]) * scale + band)) <= 3
    printed.unlink()


def test_a_printer_that_does_not_exist_is_named_in_indonesian(cups, tmp_path):
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    with pytest.raises(KtError) as refused:
        printing.submit(pdf, printer="tidak-ada-pencetak")
    message = str(refused.value)
    assert message.startswith("Pencetak tidak-ada-pencetak tidak terpasang di komputer ini.")
