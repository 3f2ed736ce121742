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
from kt_desktop.domain.errors import KtError, ValidationError, reason_text
from kt_desktop.i18n import _
from kt_desktop.services.progress import Progress
from kt_desktop.services.session import Session
from kt_desktop.store import attachments

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
#: A scanned letter or receipt kept as it is (books whose attachments take documents).
PDF_MIME = "application/pdf"
PDF_PATTERNS = ("*.pdf", "*.PDF")
#: A scan is stored unchanged, so it is held to what a bundle by e-mail can carry.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


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


def is_pdf(raw: bytes) -> bool:
    return raw[:5] == b"%PDF-"


def intake_document(raw: bytes, name: str, caption: str = "", *,
                    digest: str | None = None) -> Photo:
    """A scanned document (PDF) kept as it is: checked to be a whole PDF (its header and the
    end-of-file mark a cut-off copy lacks), of at most :data:`MAX_DOCUMENT_BYTES`. It has no
    thumbnail; lists show a document icon."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise _refuse(
            _("{name} is larger than {mb} MB; scan it again at a lower resolution (150 dpi is "
              "enough to read) and add it again.").format(
                name=name, mb=MAX_DOCUMENT_BYTES // (1024 * 1024)),
            "document_too_large",
        )
    if not is_pdf(raw) or b"%%EOF" not in raw[-2048:]:
        raise _refuse(
            _("{name} is not a whole PDF file (it may be damaged or cut off); it was not "
              "added.").format(name=name),
            "broken_document",
        )
    return Photo(sha256=digest or hashlib.sha256(raw).hexdigest(), mime=PDF_MIME, width=0,
                 height=0, thumbnail=b"", data=raw, caption=caption.strip(),
                 original_name=name)


def _intake_image(raw: bytes, name: str, digest: str, documents: bool) -> Photo:
    try:
        return intake_bytes(raw, name, digest=digest)
    except KtError as exc:
        if documents and exc.code == "not_an_image":
            raise _refuse(_("{name} is neither a photo (JPEG or PNG) nor a PDF; it was not "
                            "added.").format(name=name), "not_an_image") from exc
        raise


def check_attached(session: Session, owner_table: str, owner_id: str | None,
                   photos: Iterable[Photo], *, gone: str, field: str) -> None:
    """Refuse a save whose attachments no longer match the file: a stored one (by id) that
    was removed meanwhile (``gone``: the sentence to show), or a new one without its data."""
    stored = ({photo.id for photo in attachments.list_for(session.db(), owner_table, owner_id)}
              if owner_id else set())
    for photo in photos:
        if photo.id is not None and photo.id not in stored:
            raise ValidationError(gone, field=field)
        if photo.id is None and photo.data is None:
            raise ValidationError(_("A new photo has no image data."), field=field)


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
    documents: bool = False,
) -> IntakeReport:
    """Take in several files for one record: duplicates (by SHA-256 of the original, against
    ``known`` and each other) are skipped, bad files reported, the rest returned in order.
    With ``documents``, PDF files are taken too (kept as they are, :func:`intake_document`).

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
            photo = (intake_document(raw, path.name, digest=digest)
                     if documents and is_pdf(raw) else _intake_image(raw, path.name, digest,
                                                                     documents))
        except KtError as exc:
            report.refused.append(exc.message)
            continue
        seen.add(photo.sha256)
        report.photos.append(photo)
    if progress is not None:
        progress.step(total, total, "")
    return report
