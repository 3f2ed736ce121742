"""The sheets of paper a report is laid out for: A4, Letter and F4 (215 × 330 mm).

Indonesian offices print on A4 and on F4 ("folio"); Letter comes with printers set up
abroad. A printer reports its paper under many names (CUPS ``A4``, PWG
``iso_a4_210x297mm``, ``Letter``, ``FanFoldGermanLegal``, ``Custom.215x330mm``, ``F4``,
``Folio``), so :func:`from_media_name` reads the name and, failing that, the size in it, and
accepts a sheet within :data:`TOLERANCE_MM` of one of ours: 8.5 × 13 inch (215.9 × 330.2 mm),
sold as folio, is F4 on the printer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kt_desktop.domain.errors import ValidationError
from kt_desktop.i18n import _

MM = 72 / 25.4  # PostScript points per millimetre
TOLERANCE_MM = 2.0


@dataclass(frozen=True, slots=True)
class Paper:
    """One sheet, portrait: ``key`` is what the CLI and settings store (a4, f4, letter)."""

    key: str
    label: str
    width_mm: float
    height_mm: float
    media: str  # the name CUPS and PPDs know it by, for ``lp -o media=``

    @property
    def points(self) -> tuple[float, float]:
        """(width, height) in PostScript points, portrait."""
        return self.width_mm * MM, self.height_mm * MM

    def matches(self, width_mm: float, height_mm: float) -> bool:
        """True for a sheet of this size either way round (within :data:`TOLERANCE_MM`)."""
        small, large = sorted((width_mm, height_mm))
        return (abs(small - self.width_mm) <= TOLERANCE_MM
                and abs(large - self.height_mm) <= TOLERANCE_MM)


A4 = Paper("a4", "A4", 210.0, 297.0, "A4")
LETTER = Paper("letter", "Letter", 215.9, 279.4, "Letter")
F4 = Paper("f4", "F4", 215.0, 330.0, "Custom.215x330mm")
PAPERS: tuple[Paper, ...] = (A4, F4, LETTER)
DEFAULT = A4

_NAMES = {
    "a4": A4, "iso_a4": A4,
    "letter": LETTER, "us_letter": LETTER, "na_letter": LETTER, "ansia": LETTER,
    "f4": F4, "folio": F4, "fanfoldgermanlegal": F4, "foolscap": F4, "na_foolscap": F4,
    "om_folio": F4, "om_f4": F4,
}
_SIZE = re.compile(r"(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(mm|in|pt|cm)?", re.IGNORECASE)
_UNIT_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72}


def paper(key: str) -> Paper:
    """The paper stored or typed as ``key`` (a4, f4, letter; any case)."""
    for candidate in PAPERS:
        if candidate.key == key.strip().lower():
            return candidate
    raise ValidationError(
        _("{value} is not a paper size KT Desktop lays reports out for; choose A4, F4 or "
          "Letter.").format(value=key),
        field="paper",
    )


def by_size(width_mm: float, height_mm: float) -> Paper | None:
    """Our paper of this size (either orientation), or None."""
    for candidate in PAPERS:
        if candidate.matches(width_mm, height_mm):
            return candidate
    return None


def from_media_name(name: str) -> Paper | None:
    """Our paper a printer's media name means (``A4``, ``na_letter_8.5x11in``,
    ``Custom.215x330mm``, ``FanFoldGermanLegal`` …), or None for any other sheet."""
    text = name.strip()
    if not text:
        return None
    base = text.split(".")[0] if not text.lower().startswith("custom.") else text
    plain = base.lower().replace("-", "_")
    plain = plain.removesuffix("small")  # A4Small, LetterSmall: the same sheet
    # PWG names: class_name_size, e.g. iso_a4_210x297mm, om_f4_215x330mm
    parts = plain.split("_")
    for length in range(len(parts), 0, -1):
        found = _NAMES.get("_".join(parts[:length]))
        if found is not None:
            return found
    size = _SIZE.search(text)
    if size is None:
        return None
    unit = _UNIT_MM[(size.group(3) or "pt").lower()]
    return by_size(float(size.group(1)) * unit, float(size.group(2)) * unit)
