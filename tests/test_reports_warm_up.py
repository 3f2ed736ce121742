"""What makes the first report of a session quick: the warm-up, stored photos drawn without
decoding them, and the village's names found without loading the whole region list."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from kt_desktop import regions
from kt_desktop.reports.base import Picture, StoredPicture, register_fonts
from kt_desktop.services import reports
from kt_desktop.services.session import Session, open_session
from kt_desktop.store import report_queries as queries
from tests.conftest import VILLAGE_CODE
from tests.test_reports_helpers import MONTH, PRINTED, YEAR, fill_village, pdf_text

ROOT = Path(__file__).resolve().parent.parent


def _jpeg(colour: tuple[int, int, int], size: tuple[int, int] = (320, 240)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=90)
    return out.getvalue()


def _png_with_alpha() -> bytes:
    image = Image.new("RGBA", (40, 30), (200, 40, 40, 255))
    image.putpixel((0, 0), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


# -- stored pictures ----------------------------------------------------------------------


def test_a_jpeg_goes_into_the_pdf_as_stored_without_being_decoded():
    register_fonts()  # as every report does: binary streams, no ASCII85
    photo, other = _jpeg((30, 120, 200)), _jpeg((200, 120, 30))
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    readers = [StoredPicture(io.BytesIO(data)) for data in (photo, photo, other)]
    for index, reader in enumerate(readers):
        canvas.drawImage(reader, 50, 100 + 200 * index, width=160, height=120, mask="auto")
    canvas.showPage()
    canvas.save()
    pdf = buffer.getvalue()
    # the same JPEG bytes, once for the picture drawn twice, once for the other one
    assert pdf.count(photo) == 1 and pdf.count(other) == 1
    assert pdf.count(b"/DCTDecode") == 2
    assert all(reader._data is None for reader in readers)  # pixels never decoded


def test_a_png_is_still_decoded_with_its_transparency():
    reader = StoredPicture(io.BytesIO(_png_with_alpha()))
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawImage(reader, 50, 100, width=40, height=30, mask="auto")
    canvas.save()
    assert reader._data is not None and reader._dataA is not None
    assert b"/SMask" in buffer.getvalue()


def test_picture_flowable_has_the_stored_size_and_refuses_what_is_no_image():
    picture = Picture(_jpeg((0, 0, 0), (1600, 1200)))
    assert (picture.imageWidth, picture.imageHeight) == (1600, 1200)
    with pytest.raises(Exception):  # noqa: B017 (reportlab annotates PIL's error)
        Picture(b"not a picture")


def test_monthly_report_photos_are_embedded_as_stored(village_session: Session, tmp_path: Path):
    fill_village(village_session)
    out = reports.build_monthly(village_session, YEAR, MONTH, tmp_path / "m.pdf", today=PRINTED)
    rows, _total = queries.activity_photos(village_session.db(), dt.date(YEAR, MONTH, 1),
                                           dt.date(YEAR, MONTH, 31), limit=24)
    stored = [row.image for row in rows]
    assert stored
    pdf = out.read_bytes()
    assert all(pdf.count(image) == 1 for image in stored)
    assert "LAMPIRAN" in pdf_text(out)


# -- the warm-up --------------------------------------------------------------------------

_FRESH = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from kt_desktop import i18n, regions
    from kt_desktop.services import reports
    from kt_desktop.services.session import open_session

    i18n.set_language("id")
    session = open_session(Path(sys.argv[1]))
    before = "reportlab" in sys.modules
    reports.warm_up(session)
    from reportlab.pdfbase import pdfmetrics
    from kt_desktop.reports import base
    state = {
        "reportlab_before": before,
        "fonts_ready": base._fonts_ready,
        "fonts": sorted(n for n in pdfmetrics.getRegisteredFontNames() if "DejaVu" in n),
        "chain": sorted(regions._chain_cache),
        "region_list_loaded": regions._data is not None,
    }
    modules = set(sys.modules)
    import datetime as dt
    reports.build_monthly(session, 2025, 10, Path(sys.argv[2]), today=dt.date(2025, 11, 5))
    state["imported_by_the_build"] = sorted(set(sys.modules) - modules)
    state["region_list_loaded_after"] = regions._data is not None
    session.close()
    print(json.dumps(state))
    """
)


def test_warm_up_leaves_the_first_report_nothing_to_load(village_file: Path, tmp_path: Path):
    session = open_session(village_file)
    try:
        fill_village(session)  # photos, a training and members: every path of the report
    finally:
        session.close()
    out = tmp_path / "bulanan.pdf"
    result = subprocess.run(
        [sys.executable, "-c", _FRESH, str(village_file), str(out)],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )
    state = json.loads(result.stdout.strip().splitlines()[-1])
    assert state["reportlab_before"] is False
    assert state["fonts_ready"] is True
    assert len(state["fonts"]) == 6
    assert state["chain"] == [VILLAGE_CODE]
    # the report needs one village's names, not the country's 91,599 regions
    assert state["region_list_loaded"] is False
    assert state["region_list_loaded_after"] is False
    assert state["imported_by_the_build"] == [], state["imported_by_the_build"]
    assert "Baros" in pdf_text(out)


def test_warm_up_reads_nothing_and_may_run_twice(village_session: Session):
    reports.warm_up(village_session)
    reports.warm_up(village_session)


# -- parents() without the whole region list ----------------------------------------------


def test_parents_from_the_file_agree_with_the_loaded_list():
    text = regions._read_text()
    regions.preload()
    data = regions._data
    assert data is not None
    codes = list(data.codes)
    sample = codes[:100] + codes[::97] + codes[-100:] + [
        "36.04.22.2999", "36.04.99", "36.99", "99", "36.04.99.2001", "91.03.01.3007",
    ]
    for code in sample:
        assert list(regions._chain_from_text(text, code)) == regions.parents(code), code


def test_parents_and_full_name_do_not_load_the_list(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(regions, "_data", None)
    monkeypatch.setattr(regions, "_chain_cache", {})
    assert regions.full_name("3604222007") == (
        "Desa Sindangmandi, Kecamatan Baros, Kabupaten Serang, Provinsi Banten"
    )
    assert [r.code for r in regions.parents("36.04.22.2001")] == [
        "36", "36.04", "36.04.22", "36.04.22.2001"]
    assert regions.parents("36.04.22.2001")[-1].postal_code == "42173"
    assert regions.parents("36.04.22.2999") == [] and regions.full_name("99") == ""
    assert regions.parents("nonsense") == []
    assert regions._data is None
    assert set(regions._chain_cache) == {"36.04.22.2007", "36.04.22.2001", "36.04.22.2999", "99"}


def test_many_codes_load_the_list_after_all(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(regions, "_data", None)
    monkeypatch.setattr(regions, "_chain_cache", {})
    codes = [region.code for region in regions.children("36.04.22")]
    regions._data = None  # children() loaded it; start again without
    for code in codes[: regions._CHAIN_CODES]:
        regions.parents(code)
    assert regions._data is None
    assert regions.parents(codes[-1])[-1].code == codes[-1]
    assert regions._data is not None
    assert len(regions._chain_cache) == regions._CHAIN_CODES
