"""What Beranda (and a receiver's Rekap) shows, gathered in one read.

The cards count things that belong to other areas (members, activities, trainings,
bundles), so the counts come from a registry: each area adds one ``"module:function"`` to
:data:`COUNT_PROVIDERS`, called as ``provider(session, today) -> dict[str, int]``, with the
SQL in that area's store module. A card whose key no provider gives shows "—": the program
does not keep that data in this version, and a zero would be a lie. Reminders work the same
way through :data:`REMINDER_PROVIDERS` (``provider(session, today) -> list[Reminder]``);
the masa bakti reminder is this module's own.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kt_desktop.domain import clock
from kt_desktop.domain.formats import date_long
from kt_desktop.i18n import N_, _, ngettext
from kt_desktop.store import audit

if TYPE_CHECKING:  # Beranda imports this before the first paint; the rest loads after it
    from kt_desktop.domain.profile import Profile
    from kt_desktop.services.session import Session

#: ``"module:function"``, each ``(session, today) -> dict[str, int]`` keyed by card key.
COUNT_PROVIDERS: list[str] = [
    "kt_desktop.services.members:dashboard_counts",
    "kt_desktop.services.receiver:dashboard_counts",
    "kt_desktop.services.activities:dashboard_counts",
    "kt_desktop.services.pending:dashboard_counts",
    "kt_desktop.services.trainings:dashboard_counts",
    "kt_desktop.services.completeness:dashboard_counts",
]
#: ``"module:function"``, each ``(session, today) -> list[Reminder]``.
REMINDER_PROVIDERS: list[str] = [
    "kt_desktop.services.trainings:dashboard_reminders",
    "kt_desktop.services.receipts:dashboard_reminders",
    "kt_desktop.services.notices:dashboard_reminders",
    "kt_desktop.services.rapat:dashboard_reminders",
    "kt_desktop.services.surat:dashboard_reminders",
    "kt_desktop.services.reports:dashboard_reminders",
]
#: ``"module:function"``, each ``(session, today) -> list[Chart]``: Beranda's small charts.
CHART_PROVIDERS: list[str] = [
    "kt_desktop.services.reports:dashboard_charts",
]

#: Days before the end of the masa bakti (and with it the SK) that Beranda starts to warn.
TERM_WARNING_DAYS = 90

# Card keys: providers return counts under these names.
ACTIVE_MEMBERS = "active_members"
ACTIVITIES_THIS_MONTH = "activities_this_month"
TRAININGS_RUNNING = "trainings_running"
UNSENT_CHANGES = "unsent_changes"
VILLAGES_IN_AREA = "villages_in_area"
VILLAGES_REPORTED = "villages_reported"
BUNDLES_IMPORTED = "bundles_imported"
BOOK_GAPS = "book_gaps"


@dataclass(frozen=True, slots=True)
class CardSpec:
    key: str
    title: str  # English msgid, translated when shown
    icon: str
    page: str = ""  # the sidebar page a click on the card opens ("" : none)


VILLAGE_CARDS: list[CardSpec] = [
    CardSpec(ACTIVE_MEMBERS, N_("Active members"), "users"),
    CardSpec(ACTIVITIES_THIS_MONTH, N_("Activities this month"), "calendar"),
    CardSpec(TRAININGS_RUNNING, N_("Trainings running"), "tool"),
    CardSpec(UNSENT_CHANGES, N_("Changes not yet sent"), "send"),
    CardSpec(BOOK_GAPS, N_("Gaps in the books"), "check-circle", page="kelengkapan"),
]

RECEIVER_CARDS: list[CardSpec] = [
    CardSpec(VILLAGES_IN_AREA, N_("Desa/kelurahan in the area"), "map"),
    CardSpec(VILLAGES_REPORTED, N_("Villages that sent data"), "check-circle"),
    CardSpec(BUNDLES_IMPORTED, N_("Bundles imported"), "download"),
]


@dataclass(frozen=True, slots=True)
class Reminder:
    text: str  # already translated
    warning: bool = False  # True: needs action soon; False: for information


@dataclass(frozen=True, slots=True)
class Chart:
    """A small bar chart for Beranda: one group of bars per label, one bar per series."""

    title: str  # translated
    labels: list[str]
    series: list[tuple[str, list[int]]]  # (name, one value per label), names translated
    #: Each series' bars scaled to its own largest value (numbers of different size, as
    #: activities and their beneficiaries: on one scale the activities' bars were flat).
    separate_scales: bool = False

    @property
    def empty(self) -> bool:
        return not any(any(values) for _name, values in self.series)


@dataclass(frozen=True, slots=True)
class Card:
    key: str
    title: str  # translated
    icon: str
    value: int | None  # None: this version does not keep the data ("—")
    page: str = ""  # the sidebar page a click opens


@dataclass(slots=True)
class DashboardSummary:
    kind: str  # "village" | "receiver"
    name: str
    code: str
    region_name: str  # "Desa Baros, Kecamatan Baros, Kabupaten Serang, Provinsi Banten"
    today: dt.date
    profile: Profile | None
    cards: list[Card] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    reminders: list[Reminder] = field(default_factory=list)
    #: Receivers: kinds of region under the area, e.g. {"desa": 1238, "kelurahan": 314, ...}.
    area_counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FileStatus:
    """What the status bar says about the data file."""

    path: Path
    last_backup: dt.datetime | None  # UTC; None: no backup recorded yet
    last_bundle: dt.datetime | None  # UTC; None: no bundle made (village) or imported (receiver)


def _call(target: str) -> Callable[..., object]:
    module_name, function_name = target.split(":")
    return getattr(importlib.import_module(module_name), function_name)


def _counts(session: Session, today: dt.date) -> dict[str, int]:
    counts: dict[str, int] = {}
    for target in COUNT_PROVIDERS:
        result = _call(target)(session, today)
        assert isinstance(result, dict), f"{target} must return dict[str, int]"
        counts.update({str(key): int(value) for key, value in result.items()})
    return counts


def term_reminders(profile: Profile | None, today: dt.date, *, in_book: bool = False
                   ) -> list[Reminder]:
    """The masa bakti (and the SK that goes with it) ending soon, ended, or not recorded;
    ``in_book``: the term is the Buku Data Pengurus's, where the new officers go."""
    if profile is None:
        return []
    if in_book and profile.term_end is not None and profile.term_end < today:
        return [Reminder(_(
            "The masa bakti ended on {date}. Hold the Musyawarah Warga, ask the Kepala "
            "Desa/Lurah for a new SK, and record the new officers under Officers (Pengurus)."
        ).format(date=date_long(profile.term_end)), warning=True)]
    if profile.term_end is None:
        return [
            Reminder(
                _(
                    "The masa bakti is not filled in. Enter it in Settings so that KT Desktop "
                    "can remind you before it ends."
                )
            )
        ]
    days = (profile.term_end - today).days
    end = date_long(profile.term_end)
    if days < 0:
        return [
            Reminder(
                _(
                    "The masa bakti ended on {date}. Hold the Musyawarah Warga, ask the "
                    "Kepala Desa/Lurah for a new SK, and enter it in Settings."
                ).format(date=end),
                warning=True,
            )
        ]
    if days <= TERM_WARNING_DAYS:
        return [
            Reminder(
                ngettext(
                    "The masa bakti and its SK end in {days} day, on {date}. Prepare the "
                    "Musyawarah Warga for the new officers.",
                    "The masa bakti and its SK end in {days} days, on {date}. Prepare the "
                    "Musyawarah Warga for the new officers.",
                    days,
                ).format(days=days, date=end),
                warning=True,
            )
        ]
    return []


def summary(session: Session, today: dt.date | None = None) -> DashboardSummary:
    """Everything Beranda shows, for a village or a receiver file (one read, off the GUI)."""
    from kt_desktop import regions
    from kt_desktop.store import profile as profile_store

    today = today or clock.today()
    profile = profile_store.load(session.db())
    if profile is not None and session.is_village:
        # the officers and masa bakti of the Buku Data Pengurus, when it records them
        from kt_desktop.services.pengurus import officers_profile

        profile = officers_profile(session, profile, today)
    name = profile.name if profile else ""
    region_name = regions.full_name(session.code) if session.code else ""
    counts = _counts(session, today)
    result = DashboardSummary(
        kind=session.kind or "",
        name=name,
        code=session.code,
        region_name=region_name,
        today=today,
        profile=profile,
        counts=counts,
    )
    if session.is_receiver:
        result.area_counts = regions.counts(session.code)
        counts.setdefault(
            VILLAGES_IN_AREA,
            result.area_counts.get("desa", 0) + result.area_counts.get("kelurahan", 0),
        )
        specs = RECEIVER_CARDS
    else:
        from kt_desktop.services.pengurus import all_terms

        result.reminders.extend(term_reminders(profile, today,
                                               in_book=bool(all_terms(session))))
        specs = VILLAGE_CARDS
    for target in REMINDER_PROVIDERS:
        found = _call(target)(session, today)
        assert isinstance(found, list), f"{target} must return list[Reminder]"
        result.reminders.extend(found)
    result.reminders.sort(key=lambda reminder: not reminder.warning)
    result.cards = [
        Card(spec.key, _(spec.title), spec.icon, counts.get(spec.key), spec.page)
        for spec in specs
    ]
    return result


def charts(session: Session, today: dt.date | None = None) -> list[Chart]:
    """Beranda's charts, read apart from :func:`summary`: counting 100,000 members by age
    takes half a second, and the cards should not wait for it."""
    today = today or clock.today()
    result: list[Chart] = []
    for target in CHART_PROVIDERS:
        found = _call(target)(session, today)
        assert isinstance(found, list), f"{target} must return list[Chart]"
        result.extend(found)
    return result


def _parse_utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


#: ``"module:function"``, each ``(session) -> dict[str, datetime | None]`` with the keys
#: ``LAST_BACKUP`` and/or ``LAST_BUNDLE`` (UTC): the backup and bundle areas say exactly when
#: they last wrote one. Without a provider the audit log is read (see :func:`file_status`).
STATUS_PROVIDERS: list[str] = []
LAST_BACKUP = "last_backup"
LAST_BUNDLE = "last_bundle"

#: The audit log's trace of a backup (action) and of a bundle (the table its row goes to).
BACKUP_ACTION = "backup"
VILLAGE_BUNDLE_TABLE = "exports"
RECEIVER_BUNDLE_TABLE = "imports"


def _latest(
    session: Session, *, action: str | None = None, table: str | None = None
) -> dt.datetime | None:
    entries = audit.entries(session.db(), action=action, table=table, limit=1)
    return _parse_utc(entries[0].at) if entries else None


def file_status(session: Session) -> FileStatus:
    """The data file, its last backup and its last bundle, for the status bar.

    The providers of :data:`STATUS_PROVIDERS` answer first; what none of them gives comes
    from the audit log, which every file has: the newest "backup" line, and the newest line
    on the ``exports`` (village) or ``imports`` (receiver) table.
    """
    known: dict[str, dt.datetime | None] = {}
    for target in STATUS_PROVIDERS:
        result = _call(target)(session)
        assert isinstance(result, dict), f"{target} must return dict[str, datetime | None]"
        known.update({key: value for key, value in result.items() if value is not None})
    if LAST_BACKUP not in known:
        known[LAST_BACKUP] = _latest(session, action=BACKUP_ACTION)
    if LAST_BUNDLE not in known:
        table = RECEIVER_BUNDLE_TABLE if session.is_receiver else VILLAGE_BUNDLE_TABLE
        known[LAST_BUNDLE] = _latest(session, table=table)
    return FileStatus(
        path=session.path, last_backup=known[LAST_BACKUP], last_bundle=known[LAST_BUNDLE]
    )
