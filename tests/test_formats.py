"""Dates, numbers and money as a secretary reads them (kt_desktop/domain/formats.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_date

from kt_desktop import i18n
from kt_desktop.domain import formats


@pytest.fixture(autouse=True)
def _indonesian():
    i18n.set_language("id")
    yield
    i18n.set_language("id")


def test_indonesian_forms() -> None:
    day = dt.date(2026, 11, 28)
    assert formats.date_long(day) == "28 November 2026"
    assert formats.date_short(day) == "28/11/2026"
    assert formats.month_year(dt.date(2026, 8, 1)) == "Agustus 2026"
    assert formats.number(1552) == "1.552"
    assert formats.rupiah(2950000) == "Rp2.950.000"
    assert formats.roman_month(11) == "XI"


def test_english_forms() -> None:
    i18n.set_language("en")
    day = dt.date(2026, 11, 28)
    assert formats.date_long(day) == "November 28, 2026"
    assert formats.date_short(day) == "28/11/2026"
    assert formats.number(1552) == "1,552"


@pytest.mark.parametrize("language", ["id", "en"])
def test_whole_numbers_match_babel(language: str) -> None:
    """Whole numbers are grouped without Babel's pattern engine (a Rekap shows a thousand
    of them): every size and sign must read as Babel writes it, fractions too."""
    from babel.numbers import format_decimal

    i18n.set_language(language)
    for value in (0, 7, -7, 999, 1000, -1234, 8563, 1234567, -98765432, 10**15, 2.5, 1234.75):
        assert formats.number(value) == format_decimal(value, locale=i18n.locale_name())


@pytest.mark.parametrize("language", ["id", "en"])
def test_short_dates_match_babel_for_every_day_of_a_leap_year(language: str) -> None:
    """date_short is written directly for speed; it must equal Babel's dd/MM/yyyy."""
    i18n.set_language(language)
    day = dt.date(1984, 1, 1)
    while day.year == 1984:
        assert formats.date_short(day) == format_date(day, "dd/MM/yyyy", locale=i18n.locale_name())
        day += dt.timedelta(days=1)


def test_percent_has_no_space_before_the_sign() -> None:
    """Issue 16: Indonesian usage is "28,6%" (the screens said "28,6 %")."""
    from kt_desktop.domain.formats import percent

    assert percent(200 / 7) == "28,6%"
    assert percent(100) == "100%"
    assert percent(91.66) == "91,7%"
    assert percent(None) == "\u2014" and percent(None, empty="–") == "–"


def test_times_are_shown_in_the_villages_zone_with_its_name() -> None:
    """Issue 16: "23.31" and "23:31" both appeared, and the status bar used the laptop's
    clock (06/12 23:34) where the Desa page said 07/12/2026 (WIB). A time is shown once, the
    Indonesian way, in the zone of the village's province, which it names."""
    from kt_desktop.domain import clock

    assert [clock.zone_of(code).name for code in
            ("36.04.22.2001", "51.71.01.1001", "73.71.01.1001", "94.01.01.2001", "", "61")] == [
        "WIB", "WITA", "WITA", "WIT", "WIB", "WIB"]
    moment = dt.datetime(2026, 12, 6, 16, 34, tzinfo=dt.UTC)
    before = clock.zone()
    try:
        clock.use_zone(clock.WIB)
        assert formats.date_time(moment) == "06/12/2026 23.34 WIB"
        clock.use_zone(clock.WITA)
        assert formats.date_time(moment) == "07/12/2026 00.34 WITA"
        clock.use_zone(clock.WIT)
        assert formats.local_time("2026-12-06T16:34:00.000000Z") == "7 Desember 2026 01.34 WIT"
        assert formats.date_time(moment.replace(tzinfo=None)) == "07/12/2026 01.34 WIT"
    finally:
        clock.use_zone(before)


def test_opening_a_village_file_takes_the_zone_of_its_province(tmp_path) -> None:
    from kt_desktop.domain import clock
    from kt_desktop.services.session import open_session
    from kt_desktop.services.setup import init_village
    from tests.conftest import make_profile

    path = tmp_path / "bali.sqlite"
    init_village(path, make_profile(village_code="51.71.01.1001"))
    before = clock.zone()
    try:
        session = open_session(path)
        assert clock.zone() is clock.WITA
        session.close()
    finally:
        clock.use_zone(before)
