"""Amounts of money as people type them: ``1.500.000``, ``1500000``, ``Rp 1.500.000``,
``1,5 jt``, ``250 rb`` all mean whole rupiah; anything that could mean two amounts is refused
with an example, never guessed.

Indonesian writing: the dot groups thousands and the comma starts the decimals, so
``1.500`` is fifteen hundred and ``1,5`` is one and a half. A plain amount must come to whole
rupiah (sen are not kept in a Karang Taruna's cash book); ``jt``/``juta`` and ``rb``/``ribu``
multiply. Pure functions: the book's ``money`` fields clean their values through
:func:`parse_rupiah`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kt_desktop.domain.activities import Activity
from kt_desktop.domain.book import BookRecord
from kt_desktop.domain.errors import ValidationError
from kt_desktop.i18n import _

#: The largest amount accepted (a typo with three zeros too many is more likely than this).
MAX_RUPIAH = 100_000_000_000

_SCALES = {"jt": 1_000_000, "juta": 1_000_000, "rb": 1_000, "ribu": 1_000, "k": 1_000}
_SHAPE = re.compile(r"^(?P<number>[0-9][0-9.,]*)\s*(?P<scale>jt|juta|rb|ribu|k)?\.?$")
_GROUPED = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})+$")  # 1.500.000
_DECIMAL = re.compile(r"^[0-9]+(,[0-9]+)?$")  # 1500000 or 1,5


def _refuse(text: str) -> ValidationError:
    return ValidationError(
        _("“{value}” is not an amount of rupiah this program can be sure of. Write it like "
          "1.500.000, Rp 1.500.000 or 1,5 jt.").format(value=text), code="bad_amount")


def parse_rupiah(text: str | int) -> int:
    """Whole rupiah from what was typed; :class:`ValidationError` with an example otherwise."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    raw = " ".join(str(text).split())
    cleaned = raw.casefold().replace(" ", "")
    cleaned = cleaned.removeprefix("rp").removeprefix(".")
    if cleaned.endswith(",-"):
        cleaned = cleaned[:-2]
    if cleaned.endswith(",00") and _GROUPED.match(cleaned[:-3]):
        cleaned = cleaned[:-3]  # Rp1.500.000,00
    found = _SHAPE.match(cleaned)
    if not found:
        raise _refuse(raw)
    digits, scale = found["number"], _SCALES.get(found["scale"] or "", 1)
    if _GROUPED.match(digits):
        value = Decimal(digits.replace(".", ""))
    elif _DECIMAL.match(digits):
        # "1.500" is grouped above; a lone comma is a decimal point ("1,5 jt").
        if "," in digits and scale == 1:
            raise _refuse(raw)  # sen, or 1,500 meant as 1.500: refuse rather than guess
        try:
            value = Decimal(digits.replace(",", "."))
        except InvalidOperation:
            raise _refuse(raw) from None
    else:
        raise _refuse(raw)  # 1.5, 1.50.000, 1,500,000
    amount = value * scale
    if amount != amount.to_integral_value():
        raise _refuse(raw)
    if amount > MAX_RUPIAH:
        raise ValidationError(
            _("“{value}” is more than a Karang Taruna's cash book holds; check the zeros.")
            .format(value=raw), code="bad_amount")
    return int(amount)


def terbilang(amount: int) -> str:
    """The amount in Indonesian words, as an LPJ writes it: ``Satu juta seribu rupiah``.

    num2words (``lang="id"``) does the counting; it is checked on the awkward numbers
    (1.001.000, 11.000, 100.000.000) in the tests. It writes a thousands group of exactly one
    after millions as "satu ribu" (1.001.000: "satu juta satu ribu"); Indonesian says
    "seribu" there, as it does alone, so that group is mended.
    """
    from num2words import num2words

    words = "nol" if amount == 0 else num2words(abs(amount), lang="id")
    for big in ("juta", "miliar", "triliun"):
        words = re.sub(rf"\b{big} satu ribu\b", f"{big} seribu", words)
    text = f"{'minus ' if amount < 0 else ''}{words} rupiah"
    return text[0].upper() + text[1:]


@dataclass(frozen=True, slots=True)
class ActivityFunds:
    """An activity's money: planned and received by source, every expense, what is left."""

    activity: Activity
    planned: dict[str, int]  # source/category code -> planned amount
    received: dict[str, int]  # category code -> received
    receipts: list[BookRecord]
    expenses: list[BookRecord]

    @property
    def planned_total(self) -> int:
        return sum(self.planned.values())

    @property
    def received_total(self) -> int:
        return sum(self.received.values())

    @property
    def spent_total(self) -> int:
        return sum(int(r.get("expense") or 0) for r in self.expenses)

    @property
    def remaining(self) -> int:
        return self.received_total - self.spent_total
