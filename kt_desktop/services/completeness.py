"""Kelengkapan buku: is each book kept, and what is missing from it.

Two questions, both generic:

* **Kept?** For each core register (members, activities, trainings, monthly reports) and
  every declared book of the registry (``domain.book.all_books``), how many live entries it
  has and how many were written (added or changed) in the last 30 and 90 days.
* **Gaps.** Each area that knows what "complete" means for its records registers one
  ``"module:function"`` in :data:`GAP_PROVIDERS`, called as ``provider(session, today) ->
  list[Gap]``; a gap names the sidebar page and the record (or month) to open to fix it, so
  the page's link takes the secretary straight there. This module's own: a month without a
  monthly report, an activity without a photo or without its LPJ, a member without a NIK and
  without the reason.

Beranda shows the count of gaps as a card (``dashboard_counts``).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from kt_desktop.domain import clock
from kt_desktop.domain.book import all_books
from kt_desktop.domain.formats import month_year
from kt_desktop.i18n import N_, _
from kt_desktop.services.session import Session
from kt_desktop.store import completeness as store
from kt_desktop.store.assessment import books_began

#: ``"module:function"``, each ``(session, today) -> list[Gap]``. Add one line per area.
GAP_PROVIDERS: list[str] = [
    "kt_desktop.services.completeness:monthly_report_gaps",
    "kt_desktop.services.completeness:photo_gaps",
    "kt_desktop.services.completeness:lpj_gaps",
    "kt_desktop.services.completeness:nik_gaps",
    "kt_desktop.services.pengurus:sk_gaps",
    "kt_desktop.services.rapat:minutes_gaps",
]

#: The core registers that are not declared books: (title msgid, table, sidebar page).
CORE_REGISTERS: list[tuple[str, str, str]] = [
    (N_("Members"), "members", "anggota"),
    (N_("Activities"), "activities", "kegiatan"),
    (N_("Trainings"), "trainings", "pelatihan"),
    (N_("Monthly reports"), "monthly_report_notes", "laporan"),
]

RECENT_DAYS, LATELY_DAYS = 30, 90
#: How far back a month without a monthly report still counts as a gap.
REPORT_MONTHS_BACK = 12

KEPT, SLOW, QUIET, EMPTY = "kept", "slow", "quiet", "empty"
_STATES = {KEPT: N_("Kept"), SLOW: N_("Slow"), QUIET: N_("Stopped"), EMPTY: N_("Not started")}
#: What the states mean (said once under the list).
STATES_NOTE = N_("Kept: written in the last 30 days. Slow: nothing in 30 days, something in "
                 "90. Stopped: nothing written in 90 days.")


def state_label(state: str) -> str:
    return _(_STATES[state])


@dataclass(frozen=True, slots=True)
class BookState:
    title: str  # translated
    page: str  # the sidebar page that keeps it
    total: int
    recent: int  # written in the last 30 days
    lately: int  # in the last 90 days
    last: dt.date | None  # the day (UTC) it was last written in

    @property
    def state(self) -> str:
        if self.recent:
            return KEPT
        if self.lately:
            return SLOW
        return QUIET if self.total else EMPTY


@dataclass(frozen=True, slots=True)
class Gap:
    """One thing missing, and where to fix it."""

    kind: str  # stable key, e.g. "monthly_report"
    heading: str  # translated: what kind of gap ("Months without a monthly report")
    text: str  # translated: which one ("Mei 2026", an activity's title and date)
    page: str  # the sidebar page to open
    target: str  # what that page opens: a record id, "monthly:2026-05", "lpj:<id>"
    action: str  # translated: the link's words ("Make the report")


@dataclass(slots=True)
class Completeness:
    today: dt.date
    books: list[BookState]
    gaps: list[Gap] = field(default_factory=list)

    def by_kind(self) -> dict[str, list[Gap]]:
        found: dict[str, list[Gap]] = {}
        for gap in self.gaps:
            found.setdefault(gap.kind, []).append(gap)
        return found


def _call(target: str) -> Callable[..., object]:
    module_name, function_name = target.split(":")
    return getattr(importlib.import_module(module_name), function_name)


def _moments(today: dt.date) -> tuple[str, str]:
    def start(days: int) -> str:
        return (today - dt.timedelta(days=days)).isoformat() + "T00:00:00"

    return start(RECENT_DAYS), start(LATELY_DAYS)


def local_day(moment: str | None) -> dt.date | None:
    """The day on this computer's clock of a stored UTC moment (``updated_at``)."""
    if not moment:
        return None
    return dt.datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone().date()


def registers() -> list[tuple[str, str, str]]:
    """Every register whose keeping is measured: the core ones, then every declared book."""
    return [*CORE_REGISTERS, *((spec.title, spec.table, spec.key) for spec in all_books())]


def book_states(session: Session, today: dt.date, village: str | None = None
                ) -> list[BookState]:
    db = session.db()
    recent, lately = _moments(today)
    found = []
    for title, table, page in registers():
        written = store.written(db, table, recent, lately, village)
        found.append(BookState(_(title), page, written.total, written.recent, written.lately,
                               local_day(written.last)))
    return found


def gaps(session: Session, today: dt.date) -> list[Gap]:
    found: list[Gap] = []
    for target in GAP_PROVIDERS:
        result = _call(target)(session, today)
        assert isinstance(result, list), f"{target} must return list[Gap]"
        found += result
    return found


def summary(session: Session, today: dt.date | None = None) -> Completeness:
    """Everything the Kelengkapan page shows (one read, off the GUI)."""
    today = today or clock.today()
    return Completeness(today, book_states(session, today), gaps(session, today))


def dashboard_counts(session: Session, today: dt.date) -> dict[str, int]:
    """Beranda's card: how many gaps the books have (a village file only)."""
    if not session.is_village:
        return {}
    return {"book_gaps": len(gaps(session, today))}


# -- this module's gap providers ---------------------------------------------------------------


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _previous_month(day: dt.date) -> dt.date:
    return _month_start(_month_start(day) - dt.timedelta(days=1))


def missing_report_months(made: set[str], since: dt.date | None, today: dt.date
                          ) -> list[dt.date]:
    """The ended months from ``since`` (at most :data:`REPORT_MONTHS_BACK` back) without a
    monthly report, newest first (pure: the receiver's indicator reuses it). Books that have
    not begun (no activity, no report yet) owe no report."""
    if since is None:
        return []
    month = _previous_month(today)
    oldest = month
    for _i in range(REPORT_MONTHS_BACK - 1):
        oldest = _previous_month(oldest)
    oldest = max(oldest, _month_start(since))
    found = []
    while month >= oldest:
        if f"{month.year:04d}-{month.month:02d}" not in made:
            found.append(month)
        month = _previous_month(month)
    return found


def monthly_report_gaps(session: Session, today: dt.date) -> list[Gap]:
    if not session.is_village:
        return []
    made = store.report_months(session.db())
    since = books_began(session.db(), session.code)
    return [Gap("monthly_report", _("Months without a monthly report"), month_year(month),
                "laporan", f"monthly:{month.year:04d}-{month.month:02d}",
                _("Make the report"))
            for month in missing_report_months(made, since, today)]


def _dated(item: store.Item) -> str:
    from kt_desktop.domain.formats import date_short

    return f"{item.label} ({date_short(item.day)})" if item.day else item.label


def photo_gaps(session: Session, today: dt.date) -> list[Gap]:
    if not session.is_village:
        return []
    return [Gap("activity_photo", _("Activities carried out without a photo"), _dated(item),
                "kegiatan", item.id, _("Add a photo"))
            for item in store.activities_without_photo(session.db())]


def lpj_gaps(session: Session, today: dt.date) -> list[Gap]:
    if not session.is_village:
        return []
    return [Gap("activity_lpj", _("Activities with funds and no LPJ printed"), _dated(item),
                "laporan", f"lpj:{item.id}", _("Make the LPJ"))
            for item in store.activities_without_lpj(session.db())]


def nik_gaps(session: Session, today: dt.date) -> list[Gap]:
    if not session.is_village:
        return []
    return [Gap("member_nik", _("Members without a NIK and without the reason"), item.label,
                "anggota", item.id, _("Write the NIK or the reason"))
            for item in store.members_without_nik_reason(session.db())]
