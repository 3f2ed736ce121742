"""Reports laid out for the paper in the printer: A4, Letter and F4 (215 × 330 mm).

Every report kind is made on every sheet and read back: the page is that sheet (portrait or
landscape as the report is), the text is there, and the margins are the same on the left
and the right (nothing pushed into a corner, nothing cut).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from kt_desktop.domain import paper as papers
from kt_desktop.domain.errors import ValidationError
from kt_desktop.services import reports
from tests.test_reports_helpers import MONTH, PRINTED, YEAR, fill_village, pdf_text

MM = 72 / 25.4


@pytest.fixture
def village(village_session):
    return fill_village(village_session)


@pytest.mark.parametrize(("name", "key"), [
    ("A4", "a4"), ("iso_a4_210x297mm", "a4"), ("A4Small", "a4"), ("a4.Fullbleed", "a4"),
    ("Letter", "letter"), ("na_letter_8.5x11in", "letter"), ("Custom.612x792", "letter"),
    ("F4", "f4"), ("Folio", "f4"), ("FanFoldGermanLegal", "f4"), ("Custom.215x330mm", "f4"),
    ("om_f4_215x330mm", "f4"), ("na_foolscap_8.5x13in", "f4"), ("Custom.8.5x13in", "f4"),
])
def test_printer_media_names_are_read_as_our_papers(name: str, key: str):
    found = papers.from_media_name(name)
    assert found is not None and found.key == key


@pytest.mark.parametrize("name", ["Legal", "A5", "na_legal_8.5x14in", "Custom.100x100mm",
                                  "Custom.WIDTHxHEIGHT", ""])
def test_other_sheets_are_not_taken_for_ours(name: str):
    assert papers.from_media_name(name) is None


def test_an_unknown_paper_is_refused_in_indonesian():
    with pytest.raises(ValidationError) as refused:
        papers.paper("a3")
    assert "A4, F4 atau Letter" in str(refused.value)


def _page_mm(path: Path) -> list[tuple[float, float]]:
    return [(round(float(page.mediabox.width) / MM), round(float(page.mediabox.height) / MM))
            for page in PdfReader(path).pages]


def _ink_columns(path: Path, page: int = 1) -> tuple[int, int, int]:
    """(left margin, right margin, width) in pixels of page ``page`` rendered at 30 dpi."""
    from PIL import Image

    stem = path.with_name(f"{path.stem}-ink")
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", str(page), "-l", str(page),
                    "-singlefile", str(path), str(stem)], check=True, timeout=60)
    image = Image.open(f"{stem}.png").convert("L")
    box = image.point(lambda v: 255 if v < 200 else 0).getbbox()
    assert box is not None
    return box[0], image.width - box[2], image.width


SIZES = {"a4": (210, 297), "letter": (216, 279), "f4": (215, 330)}


@pytest.mark.parametrize("key", ["a4", "letter", "f4"])
def test_monthly_report_is_laid_out_for_the_paper(village_session, village, tmp_path, key):
    out = reports.build_monthly(village_session, YEAR, MONTH, tmp_path / f"b-{key}.pdf",
                                today=PRINTED, paper=key)
    assert set(_page_mm(out)) == {SIZES[key]}
    text = pdf_text(out)
    assert "KARANG TARUNA TUNAS HARAPAN" in text and "Rp3.100.000" in text
    left, right, _width = _ink_columns(out)
    assert abs(left - right) <= 2, "the same margin left and right"
    assert left >= 18 * 30 / 25.4 - 2, "the margin is kept (18 mm)"


@pytest.mark.parametrize("key", ["letter", "f4"])
def test_every_report_fits_every_paper(village_session, village, tmp_path, key):
    """Each kind, portrait or landscape, on the narrowest and the tallest sheet."""
    wide, tall = SIZES[key]
    made = {
        "register": (reports.build_member_register(village_session, tmp_path / "r.pdf",
                                                   today=PRINTED, paper=key), True),
        "attendance": (reports.build_activity_attendance(
            village_session, village.activities["Kerja bakti saluran air"], tmp_path / "h.pdf",
            today=PRINTED, paper=key), False),
        "certificates": (reports.build_certificates(village_session, village.training_id,
                                                    tmp_path / "s.pdf", today=PRINTED,
                                                    paper=key), True),
        "annual": (reports.build_annual(village_session, 2025, tmp_path / "t.pdf",
                                        today=PRINTED, paper=key), False),
        "recap": (reports.build_recap(village_session, dt.date(2025, 9, 1),
                                      dt.date(2025, 10, 31), tmp_path / "k.pdf",
                                      today=PRINTED, paper=key), False),
    }
    for name, (path, landscape) in made.items():
        expected = (tall, wide) if landscape else (wide, tall)
        assert set(_page_mm(path)) == {expected}, name
        assert "TUNAS HARAPAN" in pdf_text(path).upper(), name
        left, right, _width = _ink_columns(path)
        assert abs(left - right) <= 2, name


def _cli(*args: str, cwd: Path, env: dict[str, str] | None = None,
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kt_desktop", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


def test_cli_paper_option_lays_out_for_f4_and_refuses_others(village_file, tmp_path):
    out = tmp_path / "bulanan.pdf"
    done = _cli("report", "monthly", "--month", "2025-10", "--out", str(out), "--paper", "f4",
                "--data", str(village_file), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["paper"] == "f4"
    assert set(_page_mm(out)) == {(215, 330)}
    refused = _cli("report", "monthly", "--month", "2025-10", "--out", str(tmp_path / "x.pdf"),
                   "--paper", "a3", "--data", str(village_file), cwd=tmp_path)
    assert refused.returncode == 2 and "a3" in refused.stderr
    assert not (tmp_path / "x.pdf").exists()
    copies = _cli("report", "monthly", "--month", "2025-10", "--out", str(tmp_path / "y.pdf"),
                  "--copies", "2", "--data", str(village_file), cwd=tmp_path)
    assert copies.returncode == 1 and "--copies" in copies.stderr
    assert not (tmp_path / "y.pdf").exists()
