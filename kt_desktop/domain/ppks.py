"""Who an activity served: the 26 PPKS categories, "umum / lainnya", sex and age bands.

The categories are the Permensos 08/2012 list of Pemerlu Pelayanan Kesejahteraan Sosial,
numbered as the Dinas Sosial forms number them (``resources/ppks/kategori.json``). Their
Indonesian names are proper terms that reports and the province read as they are, so they are
data here, not translatable UI text; the English UI shows the same name with a short gloss.
Code 27 ("Umum / lainnya") holds beneficiaries outside the 26 (pregnant women, toddlers of a
nutrition drive, the general public).

Counts are keyed ``(category, sex, band)``; the codes below are what the data file stores,
so they never change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from kt_desktop.i18n import N_, _, language
from kt_desktop.paths import resource


@dataclass(frozen=True, slots=True)
class PpksCategory:
    code: int
    name: str  # Indonesian, as printed
    gloss: str  # English explanation for the English UI


@dataclass(frozen=True, slots=True)
class AgeBand:
    code: str
    name: str  # Indonesian term, as printed
    low: int
    high: int | None  # inclusive; None = no upper limit

    @property
    def span(self) -> str:
        """``0–4`` or ``60+``."""
        return f"{self.low}+" if self.high is None else f"{self.low}\u2013{self.high}"


def _categories() -> tuple[PpksCategory, ...]:
    """The list as ``resources/ppks/kategori.json`` holds it: an outside reference list is
    data, not code (as OpenSID's codes are, docs/DEVELOPING.md), which names where it comes
    from; a renamed category is one edit of that file."""
    with resource("ppks", "kategori.json").open(encoding="utf-8") as handle:
        listed = json.load(handle)["categories"]
    return tuple(PpksCategory(item["code"], item["name"], item["gloss"]) for item in listed)


CATEGORIES: tuple[PpksCategory, ...] = _categories()

#: The code of "Umum / lainnya", the one category outside the Permensos list.
UMUM = 27

_BY_CODE = {category.code: category for category in CATEGORIES}

AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand("balita", "Balita", 0, 4),
    AgeBand("anak", "Anak", 5, 17),
    AgeBand("dewasa", "Dewasa", 18, 59),
    AgeBand("lansia", "Lansia", 60, None),
)
BAND_CODES: tuple[str, ...] = tuple(band.code for band in AGE_BANDS)
_BANDS = {band.code: band for band in AGE_BANDS}

#: Jenis kelamin as Indonesian forms write it: L (laki-laki), P (perempuan).
SEXES: tuple[str, ...] = ("L", "P")
_SEX_NAMES = {"L": N_("Male"), "P": N_("Female")}


def is_category(code: object) -> bool:
    return isinstance(code, int) and code in _BY_CODE


def category(code: int) -> PpksCategory:
    """The category for ``code``; ``KeyError`` for a code that is not in the list."""
    return _BY_CODE[code]


def category_label(code: int) -> str:
    """``24. Fakir miskin`` (in English: ``24. Fakir miskin (the poor)``)."""
    item = _BY_CODE[code]
    if language() == "id":
        return f"{item.code}. {item.name}"
    return f"{item.code}. {item.name} ({item.gloss})"


def band(code: str) -> AgeBand:
    return _BANDS[code]


def band_label(code: str) -> str:
    """``Balita 0–4``: the Indonesian term is kept in both languages (forms use it)."""
    item = _BANDS[code]
    return f"{item.name} {item.span}"


def band_of_age(age: int) -> str:
    """The band an age in whole years falls into (a negative age is a data error)."""
    if age < 0:
        raise ValueError("age must not be negative")
    for item in AGE_BANDS:
        if item.high is None or age <= item.high:
            return item.code
    raise AssertionError("unreachable: the last band has no upper limit")


def sex_label(code: str) -> str:
    """``Laki-laki``/``Perempuan`` in Indonesian, ``Male``/``Female`` in English."""
    return _(_SEX_NAMES[code])
