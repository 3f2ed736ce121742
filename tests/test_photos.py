"""Photo intake: what a secretary's files look like, and what is stored of them."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from kt_desktop.domain.errors import KtError
from kt_desktop.services import photos
from kt_desktop.services.progress import Progress


def _jpeg(path: Path, size: tuple[int, int], *, orientation: int | None = None) -> Path:
    """A photo with a red block in its top-left corner (to see where it ends up)."""
    image = Image.new("RGB", size, (40, 120, 200))
    block = (size[0] // 4, size[1] // 4)
    image.paste((220, 20, 20), (0, 0, *block))
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    image.save(path, format="JPEG", quality=90, exif=exif.tobytes())
    return path


def _decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_good_jpeg_is_kept_at_its_size(tmp_path: Path) -> None:
    path = _jpeg(tmp_path / "posyandu.jpg", (800, 600))
    photo = photos.intake_file(path, caption="  Penimbangan balita ")
    assert photo.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (photo.width, photo.height, photo.mime) == (800, 600, "image/jpeg")
    assert photo.caption == "Penimbangan balita"
    assert photo.original_name == "posyandu.jpg"
    assert photo.data is not None
    assert _decoded(photo.data).size == (800, 600)
    thumb = _decoded(photo.thumbnail)
    assert thumb.format == "JPEG" and max(thumb.size) == photos.THUMB_SIDE


def test_twelve_megapixel_phone_photo_is_scaled_down(tmp_path: Path) -> None:
    path = _jpeg(tmp_path / "IMG_20261114_093012.jpg", (4000, 3000))
    photo = photos.intake_file(path)
    assert (photo.width, photo.height) == (1600, 1200)
    assert photo.data is not None
    assert _decoded(photo.data).size == (1600, 1200)
    assert len(photo.data) < path.stat().st_size  # what travels in bundles is smaller
    assert _decoded(photo.data).getpixel((50, 50))[0] > 180  # still the red corner


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    # Orientation 6: the camera was turned; the picture is shown turned 90° clockwise.
    path = _jpeg(tmp_path / "portrait.jpg", (4000, 3000), orientation=6)
    photo = photos.intake_file(path)
    assert (photo.width, photo.height) == (1200, 1600)
    assert photo.data is not None
    upright = _decoded(photo.data).convert("RGB")
    red_top_right = upright.getpixel((1200 - 40, 40))
    blue_top_left = upright.getpixel((40, 40))
    assert red_top_right[0] > 180 and red_top_right[2] < 90
    assert blue_top_left[2] > 150
    assert _decoded(photo.thumbnail).size[1] == photos.THUMB_SIDE  # thumbnail upright too


def test_png_with_transparency_becomes_jpeg_on_white(tmp_path: Path) -> None:
    image = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    image.paste((0, 128, 0, 255), (100, 100, 300, 200))
    path = tmp_path / "poster.png"
    image.save(path)
    photo = photos.intake_file(path)
    assert photo.mime == "image/jpeg" and (photo.width, photo.height) == (400, 300)
    assert photo.data is not None
    stored = _decoded(photo.data).convert("RGB")
    assert stored.getpixel((10, 10)) >= (250, 250, 250)  # transparent -> white, not black
    green = stored.getpixel((200, 150))
    assert green[1] > 100 and green[0] < 40


def test_broken_file_is_refused_by_name(tmp_path: Path) -> None:
    whole = _jpeg(tmp_path / "whole.jpg", (1200, 900)).read_bytes()
    path = tmp_path / "terpotong.jpg"
    path.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(KtError) as caught:
        photos.intake_file(path)
    assert caught.value.code == "broken_image"
    assert "terpotong.jpg" in caught.value.message
    assert "rusak" in caught.value.message


def test_text_file_renamed_jpg_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "daftar_hadir.jpg"
    path.write_text("Nama;Hadir\nAsep;ya\n", encoding="utf-8")
    with pytest.raises(KtError) as caught:
        photos.intake_file(path)
    assert caught.value.code == "not_an_image"
    assert caught.value.message.startswith("daftar_hadir.jpg bukan foto")


@pytest.mark.parametrize(("name", "data", "code"), [
    ("kosong.jpg", b"", "not_an_image"),
])
def test_empty_file_is_refused(tmp_path: Path, name: str, data: bytes, code: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(KtError) as caught:
        photos.intake_file(path)
    assert caught.value.code == code and name in caught.value.message


def test_other_image_formats_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "animasi.gif"
    Image.new("P", (40, 40)).save(path, format="GIF")
    with pytest.raises(KtError) as caught:
        photos.intake_file(path)
    assert caught.value.code == "unsupported_image"
    assert "animasi.gif" in caught.value.message and "GIF" in caught.value.message


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KtError) as caught:
        photos.intake_file(tmp_path / "hilang.jpg")
    assert caught.value.code == "unreadable" and "hilang.jpg" in caught.value.message


def test_several_files_dedupe_and_report(tmp_path: Path) -> None:
    first = _jpeg(tmp_path / "a.jpg", (640, 480))
    copy = tmp_path / "a_copy.jpg"
    copy.write_bytes(first.read_bytes())
    attached = _jpeg(tmp_path / "sudah.jpg", (320, 240))
    broken = tmp_path / "bukan.jpg"
    broken.write_text("bukan gambar", encoding="utf-8")
    steps: list[tuple[int, int]] = []
    report = photos.intake_files(
        [first, copy, attached, broken],
        known={hashlib.sha256(attached.read_bytes()).hexdigest()},
        progress=Progress(lambda done, total, _text: steps.append((done, total))),
    )
    assert [p.original_name for p in report.photos] == ["a.jpg"]
    assert report.duplicates == ["a_copy.jpg", "sudah.jpg"]
    assert len(report.refused) == 1 and "bukan.jpg" in report.refused[0]
    assert steps[-1] == (4, 4)


def test_cancel_stops_intake(tmp_path: Path) -> None:
    from kt_desktop.services.progress import Cancelled

    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        photos.intake_files([_jpeg(tmp_path / "a.jpg", (64, 48))], progress=progress)
