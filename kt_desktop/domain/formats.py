"""Dates, numbers and money the Indonesian way, through Babel (never hand-rolled).

``28 November 2026`` in text, ``28/11/2026`` in tables, ``Rp2.950.000`` for money.
Babel is imported on first use, not at start-up (it costs ~30 ms before the first paint).
"""

from __future__ import annotations

import datetime as dt
import functools

from kt_desktop.domain import clock
from kt_desktop.i18n import locale_name


def date_long(value: dt.date) -> str:
    """``28 November 2026`` (``November 28, 2026`` in English)."""
    from babel.dates import format_date

    return format_date(value, format="long", locale=locale_name())


def date_short(value: dt.date) -> str:
    """``28/11/2026`` in both languages (tables and forms).

    All digits, the same in every language we speak, so no locale data is needed: written
    directly, because table models call it for every visible row on every keystroke, and
    Babel's pattern formatting costs ~25 µs a call.
    """
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def month_year(value: dt.date) -> str:
    """``November 2026``."""
    from babel.dates import format_date

    return format_date(value, format="LLLL yyyy", locale=locale_name())


def number(value: int | float) -> str:
    """``1.284`` in Indonesian, ``1,284`` in English.

    A whole number is grouped by Python with the locale's group sign from Babel: a
    province's Rekap shows some thousand figures, and Babel's pattern formatting took
    ~0.3 ms each (a third of a second at open). Fractions go through Babel.
    """
    if isinstance(value, int):
        return f"{value:,}".replace(",", _group_symbol(locale_name()))
    from babel.numbers import format_decimal

    return format_decimal(value, locale=locale_name())


@functools.cache
def _group_symbol(locale: str) -> str:
    from babel.numbers import get_group_symbol

    return get_group_symbol(locale)


def percent(value: float | None, *, empty: str = "\u2014") -> str:
    """``28,6%``: one decimal at most, no space before the sign (Indonesian usage, and the
    English ``28.6%``); ``empty`` (a dash) where there is nothing to divide."""
    if value is None:
        return empty
    return f"{number(round(value, 1))}%"


def rupiah(value: int | float) -> str:
    """``Rp2.950.000``: Babel's id_ID currency pattern, whole rupiah unless there are sen."""
    whole = float(value).is_integer()
    pattern = "\u00a4#,##0" if whole else "\u00a4#,##0.00"
    from babel.numbers import format_currency

    return format_currency(
        value, "IDR", format=pattern, locale="id_ID", currency_digits=False
    ).replace("\u00a0", "")


def parse_iso_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def time_of_day(moment: dt.datetime) -> str:
    """``23.31``: the Indonesian way (a dot, never ``23:31``), for a wall-clock time."""
    return f"{moment:%H.%M}"


def date_time(moment: dt.datetime, *, long: bool = False) -> str:
    """``07/12/2026 23.31 WIB`` (``7 Desember 2026 23.31 WIB`` with ``long``): a moment
    (aware, or naive UTC as stored) in the open data file's time zone, which it names — the
    village's province's WIB, WITA or WIT, not the laptop's clock (issue 16: the status bar
    said 06/12 23:34 while the Desa page said 07/12/2026)."""
    here = clock.in_zone(moment)
    day = date_long(here.date()) if long else date_short(here.date())
    return f"{day} {time_of_day(here)} {clock.zone().name}"


def local_time(iso_utc: str) -> str:
    """``28 November 2026 14.02 WIB`` from a stored UTC timestamp, in the file's zone."""
    if not iso_utc:
        return ""
    try:
        moment = dt.datetime.fromisoformat(iso_utc.replace("Z", "+00:00"))
    except ValueError:
        return iso_utc
    return date_time(moment, long=True)


def utc_now_iso() -> str:
    """UTC ISO-8601 with seconds and ``Z``: the ``updated_at`` of every record."""
    return clock.now_utc().strftime("%Y-%m-%dT%H:%M:%S.%fZ")


ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def roman_month(month: int) -> str:
    """Roman month for Indonesian letter numbers (``XI`` for November)."""
    return ROMAN_MONTHS[month - 1]
