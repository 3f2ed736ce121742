"""Taking documentation photos in: check, turn upright, scale down, thumbnail, hash.

A phone photo is 12 megapixels and 4–6 MB; a data file and a bundle sent over a weak signal
cannot carry hundreds of those, and nobody reads a report at that size. So every photo is
stored as a JPEG of at most :data:`MAX_SIDE` pixels on its long side (about 200–400 KB) with a
:data:`THUMB_SIDE` thumbnail for lists. The SHA-256 is of the *original* file, so adding the
same file again is recognised even though the stored bytes are a re-encoding.

Runs on a worker thread (the GUI calls it through ``Ops.long_task``): a 12 MP JPEG is decoded
at reduced scale by libjpeg (``Image.draft``), which keeps the work well under a second.
What is not a JPEG or PNG, or is broken, is refused with the file's name.
"""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from kt_desktop.domain.activities import Photo
from kt_desktop.domain.errors import KtError, reason_text
from kt_desktop.i18n import _
from kt_desktop.services.progress import Progress

MAX_SIDE = 1600
THUMB_SIDE = 240
JPEG_QUALITY = 85
THUMB_QUALITY = 80
#: Larger originals are refused before decoding: no camera a secretary owns makes them.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_PIXELS = 80_000_000
#: "MPO" is a JPEG holding more pictures after the first (several cameras and phones write
#: it, with a depth or preview picture); Pillow names it apart, and only its first picture,
#: the photo itself, is kept.
ACCEPTED_FORMATS = ("JPEG", "MPO", "PNG")
JPEG_FORMATS = ("JPEG", "MPO")
MIME = "image/jpeg"
#: For the file dialog's filter.
FILE_PATTERNS = ("*.jpg", "*.jpeg", "*.png", "*.JPG", "*.JPEG", "*.PNG")


@dataclass(slots=True)
class IntakeReport:
    """What happened to each file of one "add photos" action."""

    photos: list[Photo] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # file names already attached
    refused: list[str] = field(default_factory=list)  # one message per refused file


def _refuse(message: str, code: str) -> KtError:
    return KtError(message, code=code)


def _open(raw: bytes, name: str) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(raw))
    except UnidentifiedImageError as exc:
        raise _refuse(
            _("{name} is not a photo (JPEG or PNG); it was not added.").format(name=name),
            "not_an_image",
        ) from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _refuse(
            _("{name} is too large a picture to add.").format(name=name), "image_too_large"
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise _refuse(
            _("{name} is damaged and cannot be read; it was not added.").format(name=name),
            "broken_image",
        ) from exc
    if image.format not in ACCEPTED_FORMATS:
        raise _refuse(
            _("{name} is a {kind} picture; only JPEG and PNG photos can be added.").format(
                name=name, kind=image.format or "?"
            ),
            "unsupported_image",
        )
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _refuse(
            _("{name} is too large a picture to add.").format(name=name), "image_too_large"
        )
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparency becomes white (a logo or screenshot on paper)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode == "I;16" or image.mode == "I":
        return image.point(lambda value: value / 256).convert("RGB")
    return image.convert("RGB") if image.mode != "RGB" else image


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def intake_bytes(
    raw: bytes, name: str, caption: str = "", *, digest: str | None = None
) -> Photo:
    """A stored-ready :class:`Photo` from a file's bytes; :class:`KtError` naming ``name``.

    ``digest`` is the SHA-256 of ``raw`` when the caller already has it.
    """
    if not raw:
        raise _refuse(
            _("{name} is empty; it was not added.").format(name=name), "not_an_image"
        )
    digest = digest or hashlib.sha256(raw).hexdigest()
    image = _open(raw, name)
    try:
        width, height = image.size
        if image.format in JPEG_FORMATS and max(width, height) > MAX_SIDE:
            # libjpeg decodes at 1/2, 1/4 or 1/8 scale directly: a 12 MP photo costs a fraction
            scale = MAX_SIDE / max(width, height)
            image.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
        image.load()  # an MPO stays on its first picture: frame 0 is what opens
        upright = ImageOps.exif_transpose(image)
        rgb = _flatten(upright)
        rgb.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BICUBIC)
        data = _jpeg(rgb, JPEG_QUALITY)
        thumb = rgb.copy()
        thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.BICUBIC)
        thumbnail = _jpeg(thumb, THUMB_QUALITY)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _refuse(
            _("{name} is damaged or incomplete and cannot be read; it was not added.").format(
                name=name
            ),
            "broken_image",
        ) from exc
    finally:
        image.close()
    return Photo(
        sha256=digest,
        mime=MIME,
        width=rgb.width,
        height=rgb.height,
        thumbnail=thumbnail,
        data=data,
        caption=caption.strip(),
        original_name=name,
    )


def _read(path: Path) -> bytes:
    """The file's bytes; a missing, unreadable or oversized file is refused by name."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _refuse(
                _("{name} is larger than {mb} MB; it was not added.").format(
                    name=path.name, mb=MAX_FILE_BYTES // (1024 * 1024)
                ),
                "image_too_large",
            )
        return path.read_bytes()
    except OSError as exc:
        raise _refuse(
            _("{name} cannot be read: {reason}").format(
                name=path.name, reason=reason_text(exc)
            ),
            "unreadable",
        ) from exc


def intake_file(path: str | Path, caption: str = "") -> Photo:
    """Read and take in one file (see :func:`intake_bytes`)."""
    path = Path(path)
    return intake_bytes(_read(path), path.name, caption)


def intake_files(
    paths: Sequence[str | Path],
    *,
    known: Iterable[str] = (),
    progress: Progress | None = None,
) -> IntakeReport:
    """Take in several files for one record: duplicates (by SHA-256 of the original, against
    ``known`` and each other) are skipped, bad files reported, the rest returned in order.

    A bad file does not stop the others; the caller shows ``refused`` and ``duplicates``.
    """
    report = IntakeReport()
    seen = set(known)
    total = len(paths)
    for index, item in enumerate(paths):
        path = Path(item)
        if progress is not None:
            progress.step(index, total, _("Processing {name}…").format(name=path.name))
        try:
            raw = _read(path)
            digest = hashlib.sha256(raw).hexdigest()
            if digest in seen:
                report.duplicates.append(path.name)
                continue
            photo = intake_bytes(raw, path.name, digest=digest)
        except KtError as exc:
            report.refused.append(exc.message)
            continue
        seen.add(photo.sha256)
        report.photos.append(photo)
    if progress is not None:
        progress.step(total, total, "")
    return report
