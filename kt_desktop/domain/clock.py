""""Now" and "today" for the program, in one place that a test (or a replay) can set.

Every record's ``updated_at``, a bundle's ``Created-UTC`` and file name, and the services'
default "today" come from here, so a history driven twice under :func:`frozen` writes the
same values both times (issue 24: random histories must replay exactly).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager


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
    """Today's date on this computer's clock."""
    return local_now().date()


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
