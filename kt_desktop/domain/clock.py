""""Now" and "today" for the program, in one place that a test (or a replay) can set.

Every record's ``updated_at``, a bundle's ``Created-UTC`` and file name, and the services'
default "today" come from here, so a history driven twice under :func:`frozen` writes the
same values both times (issue 24: random histories must replay exactly).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


def _system_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


#: The source of the current moment (aware, UTC). Replaced by :func:`frozen`.
_now: Callable[[], dt.datetime] = _system_now


def now_utc() -> dt.datetime:
    """The current moment, timezone-aware, in UTC."""
    return _now()


def local_now() -> dt.datetime:
    """The current moment on this computer's clock, naive (file names, backup stamps)."""
    if _now is _system_now:
        return dt.datetime.now()
    return _now().astimezone().replace(tzinfo=None)


def today() -> dt.date:
    """Today's date in the open data file's time zone (its province's WIB, WITA or WIT), not
    on the laptop's clock: a report printed at 23.30 on a laptop set to UTC is dated the
    village's day (issue 16)."""
    return in_zone(now_utc()).date()


@contextmanager
def frozen(
    start: dt.datetime, *, tick: dt.timedelta = dt.timedelta(milliseconds=1)
) -> Iterator[None]:
    """Let time start at ``start`` (UTC when naive) and advance by ``tick`` at every reading,
    so that records written one after the other still get increasing ``updated_at``."""
    global _now
    moment = start if start.tzinfo else start.replace(tzinfo=dt.UTC)
    previous = _now

    def fake() -> dt.datetime:
        nonlocal moment
        current = moment
        moment += tick
        return current

    _now = fake
    try:
        yield
    finally:
        _now = previous


# -- Indonesia's three time zones ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Zone:
    """One of Indonesia's time zones: its name as printed and its offset from UTC."""

    name: str
    hours: int

    @property
    def offset(self) -> dt.timedelta:
        return dt.timedelta(hours=self.hours)


WIB, WITA, WIT = Zone("WIB", 7), Zone("WITA", 8), Zone("WIT", 9)
#: Province codes (Kemendagri) in Central Indonesia time: Bali, Nusa Tenggara, South, East
#: and North Kalimantan, and all of Sulawesi (Keppres 41/1987).
_WITA_PROVINCES = frozenset({"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75",
                             "76"})
#: Maluku, Maluku Utara and the Papua provinces (the four of 2022 included).
_WIT_PROVINCES = frozenset({"81", "82", "91", "92", "93", "94", "95", "96"})


def zone_of(code: str) -> Zone:
    """The time zone of a village or area, from its province (the code's first two digits);
    Western Indonesia time where the code names no province (a national receiver)."""
    province = code[:2]
    if province in _WITA_PROVINCES:
        return WITA
    if province in _WIT_PROVINCES:
        return WIT
    return WIB


#: The zone of the open data file; every time shown or printed is read in it.
_zone: Zone = WIB


def use_zone(zone: Zone) -> None:
    """Read times in ``zone`` from now on (set when a data file is opened)."""
    global _zone
    _zone = zone


def zone() -> Zone:
    return _zone


def in_zone(moment: dt.datetime) -> dt.datetime:
    """``moment`` (aware, or naive UTC as stored) as the wall-clock time of the open file's
    zone, naive: what a secretary's clock on the wall says, whatever the laptop is set to."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment + _zone.offset
