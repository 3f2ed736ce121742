"""The NIK (Nomor Induk Kependudukan): what it says about its holder, and what is wrong with it.

A NIK is 16 digits: ``PPRRDD`` (province, regency, kecamatan where it was *first* issued),
``DDMMYY`` (birth date; women have 40 added to the day) and a 4-digit serial from ``0001``.
Secretaries type NIKs from photocopied KTP/KK and paste them from spreadsheets, so this module
is forgiving about separators and strict about the digits, and it recognises the damage Excel
does to a NIK stored as a number (15 significant digits, scientific notation): such a NIK must
be re-typed, never guessed.

Problems come back as data (:class:`NikProblem` with a stable ``code`` and an Indonesian
message), not exceptions: the member form shows them beside the field, the importer lists them
per row, and the caller decides what is a refusal (``errors``) and what a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from kt_desktop import regions
from kt_desktop.i18n import _

NIK_LENGTH = 16
#: What people type between digit groups ("3604 2245 0801 0001", "3604.2245.0801.0001").
_SEPARATORS = re.compile(r"[\s.\-\u00a0\u2010-\u2015]+")
#: Excel's scientific display of a big number: "3.60422E+15", "3,60422E+15", "3.6E15".
_SCIENTIFIC = re.compile(r"^[0-9](?:[.,][0-9]+)?[eE]\+?[0-9]{1,2}$")
#: A number Excel or a CSV writer printed as a float: "3604224508010000.0".
_FLOAT_TAIL = re.compile(r"^([0-9]+)[.,]0+$")
#: Bullets and similar characters a masked NIK is drawn with.
MASK_CHAR = "\u2022"


@dataclass(frozen=True, slots=True)
class NikProblem:
    """One thing wrong with a NIK: ``code`` is stable (tests, scripts), ``message`` translated."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class NikResult:
    """What a NIK decodes to, with its errors (refusals) and warnings.

    ``nik`` is the cleaned 16-digit text when it has the right shape ("" otherwise);
    ``birth_date``/``sex`` are None when the date part does not decode.
    """

    raw: str
    nik: str
    birth_date: dt.date | None = None
    sex: str | None = None  # "L" or "P"
    region_prefix: str | None = None  # "PPRRDD"
    serial: str | None = None
    errors: tuple[NikProblem, ...] = field(default_factory=tuple)
    warnings: tuple[NikProblem, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def excel_rounded(self) -> bool:
        return any(problem.code == "excel_rounded" for problem in self.errors)

    def codes(self) -> set[str]:
        return {problem.code for problem in (*self.errors, *self.warnings)}


def clean(text: str) -> str:
    """The NIK without the spaces, dots and dashes people type between digit groups."""
    return _SEPARATORS.sub("", text or "")


def mask(nik: str | None) -> str:
    """Twelve bullets and the last 4 digits: what tables and printed pages show by default."""
    if not nik:
        return ""
    return MASK_CHAR * (len(nik) - 4) + nik[-4:] if len(nik) > 4 else nik


def _excel_rounded() -> NikProblem:
    return NikProblem(
        "excel_rounded",
        _(
            "This NIK was rounded by Excel (it was stored as a number, so its last digits "
            "became 0). Format the NIK column as Text in Excel, type the NIK again from the "
            "KTP/KK, and import again."
        ),
    )


def _birth_year(two_digits: int, month: int, day: int, today: dt.date) -> dt.date | None:
    """The birth date whose century makes the holder 0-100 years old on ``today``.

    The younger reading wins when both fit (only possible at exactly 100 years).
    """
    for century in (2000, 1900):
        try:
            born = dt.date(century + two_digits, month, day)
        except ValueError:
            return None
        if born > today:
            continue
        if age_on(born, today) <= 100:
            return born
    return None


def age_on(born: dt.date, day: dt.date) -> int:
    """Completed years on ``day`` (a birthday on 29 February counts from 1 March)."""
    years = day.year - born.year
    if (day.month, day.day) < (born.month, born.day):
        years -= 1
    return years


def kecamatan_prefix(village_code: str) -> str | None:
    """The ``PPRRDD`` a NIK issued in the village's kecamatan starts with."""
    normalized = regions.normalize_code(village_code) if village_code else None
    if not normalized or len(normalized) < 8:
        return None
    return normalized[:8].replace(".", "")


def parse(
    text: str,
    *,
    today: dt.date,
    village_code: str | None = None,
    from_spreadsheet: bool = False,
) -> NikResult:
    """Decode and check a NIK as typed or imported.

    ``today`` fixes the century of the birth year (the holder must be 0-100 years old);
    ``village_code`` (the data file's village) turns a NIK first issued in another kecamatan
    into a warning, which is normal for someone who moved in. With ``from_spreadsheet`` a
    16-digit NIK ending in 0 that does not decode is reported as Excel's rounding (the fix is
    to format the column as text), not as a wrong date or serial; scientific notation is
    always Excel's rounding.
    """
    raw = "" if text is None else str(text)
    stripped = raw.strip()
    if _SCIENTIFIC.match(stripped):
        return NikResult(raw=raw, nik="", errors=(_excel_rounded(),))
    float_tail = _FLOAT_TAIL.match(stripped)
    digits = clean(float_tail.group(1) if float_tail else stripped)
    if not digits:
        return NikResult(
            raw=raw, nik="", errors=(NikProblem("empty", _("The NIK is empty.")),)
        )
    if not digits.isascii() or not digits.isdigit():
        return NikResult(
            raw=raw,
            nik="",
            errors=(
                NikProblem(
                    "not_digits",
                    _("A NIK may only contain digits; \u201c{text}\u201d has other characters.")
                    .format(text=stripped),
                ),
            ),
        )
    if len(digits) != NIK_LENGTH:
        return NikResult(
            raw=raw,
            nik="",
            errors=(
                NikProblem(
                    "wrong_length",
                    _("A NIK has 16 digits; this one has {count}.").format(count=len(digits)),
                ),
            ),
        )

    prefix, day_part, month, year2, serial = (
        digits[0:6], int(digits[6:8]), int(digits[8:10]), int(digits[10:12]), digits[12:16],
    )
    sex = "P" if day_part > 40 else "L"
    day = day_part - 40 if day_part > 40 else day_part
    born = None
    if 1 <= month <= 12 and 1 <= day <= 31:
        born = _birth_year(year2, month, day, today)
    errors: list[NikProblem] = []
    if born is None:
        errors.append(
            NikProblem(
                "bad_date",
                _(
                    "Digits 7-12 of the NIK ({part}) are not a birth date (DDMMYY, with 40 "
                    "added to the day for women). Check the NIK on the KTP/KK."
                ).format(part=digits[6:12]),
            )
        )
    if serial == "0000":
        errors.append(
            NikProblem(
                "bad_serial",
                _("The last 4 digits of a NIK start at 0001; 0000 is not a valid NIK."),
            )
        )
    if errors and from_spreadsheet and digits.endswith("0"):
        # A real NIK always decodes; one ending in 0s that does not is Excel's rounding.
        return NikResult(raw=raw, nik=digits, region_prefix=prefix, errors=(_excel_rounded(),))
    if not errors and regions.get(prefix[0:2]) is None:
        # Kecamatan split or renumbered since the NIK was issued are only warned about
        # below; a province that never existed (99, 09) cannot begin a real NIK.
        errors.append(
            NikProblem(
                "unknown_province",
                _(
                    "The first 2 digits of the NIK ({code}) are not the code of a province of "
                    "Indonesia, so this cannot be a real NIK. Check the NIK on the KTP/KK."
                ).format(code=prefix[0:2]),
            )
        )
        return NikResult(raw=raw, nik=digits, region_prefix=prefix, errors=tuple(errors))
    warnings: list[NikProblem] = []
    if not regions.nik_region_prefix_known(prefix):
        warnings.append(
            NikProblem(
                "unknown_region",
                _(
                    "The first 6 digits of the NIK ({prefix}) are not a kecamatan in the "
                    "Kemendagri list. It may be an old code; check it on the KTP/KK."
                ).format(prefix=prefix),
            )
        )
    else:
        own = kecamatan_prefix(village_code) if village_code else None
        if own and own != prefix:
            place = regions.full_name(f"{prefix[0:2]}.{prefix[2:4]}.{prefix[4:6]}")
            warnings.append(
                NikProblem(
                    "other_region",
                    _(
                        "This NIK was first issued in {place}, not in this village's "
                        "kecamatan. That is normal for someone who moved here."
                    ).format(place=place),
                )
            )
    return NikResult(
        raw=raw,
        nik=digits,
        birth_date=born,
        sex=sex if born else None,
        region_prefix=prefix,
        serial=serial,
        errors=tuple(errors),
        warnings=tuple(warnings),
    )
