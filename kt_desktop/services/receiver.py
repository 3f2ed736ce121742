"""The receiver's use cases: who reported, the totals, the villages, their data, duplicates.

A receiver file belongs to an area (``AREA_CODE``: a province such as ``36`` or a kabupaten
such as ``36.04``); everything here is limited to it, and a sub-area asked for (a kabupaten,
a kecamatan, one village) must lie inside it, so a kabupaten receiver never sees another
kabupaten's villages. The villages of an area come from the bundled Kemendagri list
(:mod:`kt_desktop.regions`), whether or not they ever sent a bundle.

The SQL (and the definitions of "reported", "member", "graduate", …) is in
:mod:`kt_desktop.store.receiver`; the store answers per village, and this module adds the
villages up by region, by desa/kelurahan and by village status.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from kt_desktop import regions
from kt_desktop.domain import clock
from kt_desktop.domain import members as member_rules
from kt_desktop.domain import nik as nik_rules
from kt_desktop.domain import paper as papers
from kt_desktop.domain.errors import KtError, ValidationError, reason_text
from kt_desktop.domain.formats import month_year, utc_now_iso
from kt_desktop.domain.profile import Profile
from kt_desktop.domain.text import fit
from kt_desktop.i18n import N_, _, official_paper
from kt_desktop.services.progress import Progress, no_progress
from kt_desktop.services.session import Session
from kt_desktop.store import audit
from kt_desktop.store import receiver as store

if TYPE_CHECKING:  # the report module imports reportlab: only when a PDF is made
    from collections.abc import Callable

    from kt_desktop.reports.receiver import FigureLine, ReceiverReport

T = TypeVar("T")

#: The village statuses (Indeks Desa Membangun / BPS Potensi Desa), stored codes -> labels.
STATUS_LABELS: dict[str, str] = {
    "mandiri": N_("Independent (mandiri)"),
    "berkembang": N_("Developing (berkembang)"),
    "tertinggal": N_("Left behind (tertinggal)"),
}
#: Buckets of the split by status: the three statuses, desa without one, and kelurahan
#: (statuses are given to desa only). The kabupaten sums of the store use the same codes.
NO_STATUS = store.NO_STATUS_BUCKET
KELURAHAN = store.KELURAHAN_BUCKET
DESA = "desa"
STATUS_BUCKETS = (*STATUS_LABELS, NO_STATUS, KELURAHAN)
BUCKET_LABELS: dict[str, str] = {
    **STATUS_LABELS,
    NO_STATUS: N_("Desa without a status"),
    KELURAHAN: N_("Kelurahan (no status)"),
}
KIND_LABELS: dict[str, str] = {DESA: N_("Desa"), KELURAHAN: N_("Kelurahan")}
#: Rows of one page of the per-village lists and of the duplicates.
PAGE_SIZE = 200
#: How many months the Rekap's reporting table shows.
TABLE_MONTHS = 12
MAX_LISTED_ERRORS = 15


# -- the area and the period ----------------------------------------------------------------
def require_receiver(session: Session) -> str:
    """The file's area code; a village file is refused."""
    if not session.is_receiver:
        raise KtError(
            _("This is a village data file; the province's view needs a receiver file."),
            code="not_receiver",
        )
    return session.code


def resolve_area(session: Session, area: str | None = None) -> str:
    """``area`` (default: the file's own) checked to lie inside the file's area."""
    own = require_receiver(session)
    if not area:
        return own
    code = regions.normalize_code(area)
    if code is None or regions.get(code) is None:
        raise ValidationError(
            _("Unknown region code {code}.").format(code=area), field="area", code="bad_area"
        )
    if not (code == own or code.startswith(own + ".")):
        raise ValidationError(
            _("{region} is outside this receiver's area ({own}).").format(
                region=regions.full_name(code), own=regions.full_name(own)
            ),
            field="area",
            code="outside_area",
        )
    return code


def area_name(code: str) -> str:
    """``Provinsi Banten``, ``Kabupaten Serang``, ``Kecamatan Baros``, ``Desa Sindangmandi``."""
    region = regions.get(code)
    if region is None:
        return code
    name = region.name
    if region.level == 2:
        return name
    word = {1: "Provinsi", 3: "Kecamatan"}.get(region.level) or (
        "Kelurahan" if region.kind == "kelurahan" else "Desa"
    )
    return name if name.startswith(word + " ") else f"{word} {name}"


@dataclass(frozen=True, slots=True)
class Period:
    """A calendar month (``2026-11``) or a year (``2026``), inclusive dates."""

    start: dt.date
    end: dt.date
    is_year: bool

    @property
    def key(self) -> str:
        return f"{self.start.year}" if self.is_year else f"{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        """``November 2026`` or ``Tahun 2026``."""
        if self.is_year:
            return _("Year {year}").format(year=self.start.year)
        return month_year(self.start)

    def months(self) -> list[str]:
        """``YYYY-MM`` of every month in the period."""
        return _month_keys(self.start, self.end)


def _add_months(day: dt.date, count: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 + count, 12)
    return dt.date(year, month + 1, 1)


def _month_end(first: dt.date) -> dt.date:
    return _add_months(first, 1) - dt.timedelta(days=1)


def _month_keys(start: dt.date, end: dt.date) -> list[str]:
    keys, day = [], start.replace(day=1)
    while day <= end:
        keys.append(f"{day:%Y-%m}")
        day = _add_months(day, 1)
    return keys


def month_period(year: int, month: int) -> Period:
    first = dt.date(year, month, 1)
    return Period(first, _month_end(first), False)


def year_period(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), True)


def parse_period(text: str) -> Period:
    """``2026-11`` (a month) or ``2026`` (a year); anything else is refused with an example."""
    value = text.strip()
    try:
        if len(value) == 4 and value.isdigit():
            period = year_period(int(value))
        else:
            first = dt.date.fromisoformat(f"{value}-01")
            if len(value) != 7:
                raise ValueError
            period = month_period(first.year, first.month)
    except ValueError:
        raise ValidationError(
            _("{value} is not a period: write a month as YYYY-MM (2026-11) or a year as "
              "YYYY (2026).").format(value=text),
            field="period",
            code="bad_period",
        ) from None
    if not 2000 <= period.start.year <= 2100:
        raise ValidationError(
            _("{value} is not a period: write a month as YYYY-MM (2026-11) or a year as "
              "YYYY (2026).").format(value=text),
            field="period",
            code="bad_period",
        )
    return period


def today_here() -> dt.date:
    """Today in Western Indonesia time: the day the receiver counts bundles in
    (:func:`local_day`), whatever zone the computer's clock is set to, so "this month" and the
    month a bundle made just now counts in are always the same."""
    day = local_day(clock.now_utc())
    assert day is not None
    return day


def this_month(today: dt.date | None = None) -> Period:
    today = today or today_here()
    return month_period(today.year, today.month)


# -- villages of an area (Kemendagri) -------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Place:
    """A desa/kelurahan with the names of the regions above it."""

    code: str
    name: str
    kind: str  # "desa" | "kelurahan"
    kecamatan: str
    regency: str  # "Kabupaten Serang" / "Kota Serang"


_places_cache: dict[str, list[Place]] = {}


def places(area: str) -> list[Place]:
    """Every desa/kelurahan under ``area``, in code order (cached: the list never changes)."""
    cached = _places_cache.get(area)
    if cached is not None:
        return cached
    region = regions.get(area)
    found: list[Place] = []
    if region is not None and region.level == 4:
        chain = {r.level: r.name for r in regions.parents(area)}
        found.append(Place(area, region.name, region.kind, chain.get(3, ""), chain.get(2, "")))
    elif region is not None:

        def walk(code: str, names: dict[int, str]) -> None:
            for child in regions.children(code):
                here = {**names, child.level: child.name}
                if child.level == 4:
                    found.append(
                        Place(child.code, child.name, child.kind, here.get(3, ""), here.get(2, ""))
                    )
                else:
                    walk(child.code, here)

        walk(area, {r.level: r.name for r in regions.parents(area)})
    found.sort(key=lambda place: place.code)
    _places_cache[area] = found
    return found


def _child_length(area: str) -> int:
    """The code length one level below ``area`` (a village has no level below)."""
    return {2: 5, 5: 8, 8: 13}.get(len(area), 13)


def _store_area(session: Session, code: str) -> str:
    """The area as the store is asked for it: ``""`` (no filter) for the file's own area.

    A receiver only ever holds villages of its own area (the merge refuses others), so the
    whole file is that area, and a query without the area's range is simpler and faster.
    """
    return "" if code == session.code else code


def _kind_of(code: str) -> str:
    return KELURAHAN if len(code) == 13 and code[9] == "1" else DESA


# -- the reporting table --------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ReportingRow:
    """One region (or village) of the reporting table."""

    code: str
    name: str
    villages: int  # desa+kelurahan of the region (Kemendagri)
    enrolled: int  # of them, with at least one accepted bundle
    by_month: tuple[int, ...]  # villages that reported, per month of the table
    in_period: int  # villages that reported at least once in the whole table span

    @property
    def is_village(self) -> bool:
        return len(self.code) == 13


@dataclass(frozen=True, slots=True)
class ReportingTable:
    area: str
    area_name: str
    months: tuple[str, ...]  # YYYY-MM
    rows: tuple[ReportingRow, ...]
    total: ReportingRow

    def month_label(self, index: int) -> str:
        return month_year(dt.date.fromisoformat(self.months[index] + "-01"))


def table_months(period: Period) -> tuple[dt.date, dt.date]:
    """The span of the reporting table: a year's 12 months, or the 12 months up to a month."""
    if period.is_year:
        return period.start, period.end
    return _add_months(period.start, -(TABLE_MONTHS - 1)), period.end


def reporting_table(
    session: Session, period: Period, area: str | None = None
) -> ReportingTable:
    """Villages that reported per month, by the regions one level below ``area``.

    Below a kecamatan the rows are its villages (1 or 0 per month).
    """
    code = resolve_area(session, area)
    db = session.db()
    start, end = table_months(period)
    months = tuple(_month_keys(start, end))
    length = _child_length(code)
    where = _store_area(session, code)
    counts = store.reported_counts(db, where, start, end, length, today=today_here())
    per_region: dict[str, dict[str, int]] = {}
    for item in counts:
        per_region.setdefault(item.region, {})[item.month] = item.villages
    spans = store.reported_villages(db, where, period.start, period.end, today=today_here())
    enrolled = store.enrolled_villages(db, where)
    villages = places(code)
    by_prefix: dict[str, list[Place]] = {}
    for place in villages:
        by_prefix.setdefault(place.code[:length], []).append(place)
    rows: list[ReportingRow] = []
    for region in _regions_below(code):
        members_of = by_prefix.get(region.code, [])
        row_months = per_region.get(region.code, {})
        rows.append(
            ReportingRow(
                code=region.code,
                name=region.name,
                villages=len(members_of),
                enrolled=sum(1 for p in members_of if p.code in enrolled),
                by_month=tuple(row_months.get(month, 0) for month in months),
                in_period=sum(1 for p in members_of if p.code in spans),
            )
        )
    total = ReportingRow(
        code=code,
        name=_("Total"),
        villages=len(villages),
        enrolled=len(enrolled),
        by_month=tuple(sum(row.by_month[i] for row in rows) for i in range(len(months))),
        in_period=len(spans),
    )
    return ReportingTable(code, area_name(code), months, tuple(rows), total)


def _regions_below(code: str) -> list[regions.Region]:
    if len(code) >= 13:
        region = regions.get(code)
        return [region] if region else []
    return sorted(regions.children(code), key=lambda region: region.code)


# -- who has not reported -------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MissingVillage:
    place: Place
    enrolled: bool
    last_bundle: dt.datetime | None  # when the village made its newest bundle (UTC)
    last_received: dt.datetime | None


def _utc(text: str) -> dt.datetime | None:
    if not text:
        return None
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def missing_villages(
    session: Session, period: Period, area: str | None = None, *, never_only: bool = False
) -> list[MissingVillage]:
    """Villages of the area that sent no bundle made in ``period`` (or none ever)."""
    code = resolve_area(session, area)
    db = session.db()
    where = _store_area(session, code)
    reported = store.reported_villages(db, where, period.start, period.end,
                                       today=today_here())
    states = store.village_states(db, where)
    result = []
    for place in places(code):
        if place.code in reported:
            continue
        state = states.get(place.code)
        if never_only and state is not None:
            continue
        result.append(
            MissingVillage(
                place=place,
                enrolled=state is not None,
                last_bundle=_utc(state.last_created) if state else None,
                last_received=_utc(state.last_received) if state else None,
            )
        )
    return result


# -- totals ---------------------------------------------------------------------------------
@dataclass(slots=True)
class Figures:
    """Totals of a group of villages for a period."""

    villages: int = 0  # desa/kelurahan in the group (Kemendagri)
    enrolled: int = 0
    reported: int = 0  # reported at least once in the period
    members_male: int = 0
    members_female: int = 0
    #: age band key (domain.members.AGE_BANDS) -> [male, female]
    bands: dict[str, list[int]] = field(default_factory=dict)
    #: jenis -> activities carried out
    activities: dict[str, int] = field(default_factory=dict)
    #: PPKS code -> [male, female]
    beneficiaries: dict[int, list[int]] = field(default_factory=dict)
    trainings: int = 0
    participants: int = 0
    graduates: int = 0
    employed: int = 0
    business: int = 0
    studying: int = 0
    not_working: int = 0

    @property
    def members(self) -> int:
        return self.members_male + self.members_female

    @property
    def activity_count(self) -> int:
        return sum(self.activities.values())

    @property
    def beneficiary_count(self) -> int:
        return sum(male + female for male, female in self.beneficiaries.values())


@dataclass(frozen=True, slots=True)
class Totals:
    """The totals of an area for a period, and the same split three ways."""

    area: str
    area_name: str
    period: Period
    all: Figures
    by_kind: dict[str, Figures]  # "desa", "kelurahan"
    by_status: dict[str, Figures]  # STATUS_BUCKETS
    status_year: int | None  # the newest status year in force, None when none imported
    by_region: list[tuple[str, str, Figures]]  # (code, name, figures) one level below
    band_keys: tuple[str, ...]


def _add_figure(figures: Figures, metric: str, key: str, value: int,
                band_keys: Sequence[str]) -> None:
    """Add one roll-up figure (as :mod:`kt_desktop.store.receiver` keys it) to a group."""
    if metric == "act":
        figures.activities[key] = figures.activities.get(key, 0) + value
    elif metric == "ben":
        code, _sep, sex = key.partition(":")
        figures.beneficiaries.setdefault(int(code), [0, 0])[sex != "L"] += value
    elif metric == "mem":
        sex, _sep, which = key.partition(":")
        if which == "*":
            if sex == "L":
                figures.members_male += value
            else:
                figures.members_female += value
        else:
            figures.bands.setdefault(band_keys[int(which)], [0, 0])[sex != "L"] += value
    elif metric == "train":
        setattr(figures, key, getattr(figures, key) + value)


def _training_rows(tally: store.TrainingTally, sign: int) -> list[tuple[str, str, int]]:
    return [("train", name, sign * getattr(tally, name)) for name in store.TRAINING_FIGURES]


def totals(session: Session, period: Period, area: str | None = None) -> Totals:
    """Members (at the period's end), activities and beneficiaries (started in the period),
    trainings (ended in it) — definitions in :mod:`kt_desktop.store.receiver`.

    A province reads the roll-up's sums by kabupaten/kota and status bucket (a few thousand
    rows for 8,563 villages); a kabupaten or smaller area reads its villages' rows.
    """
    code = resolve_area(session, area)
    where = _store_area(session, code)
    db = session.db()
    store.refresh_rollup(db, bands_of=_bands)
    villages = places(code)
    statuses = store.statuses_in_force(db, where, period.end.year)
    enrolled = store.enrolled_villages(db, where)
    reported = store.reported_villages(db, where, period.start, period.end,
                                       today=today_here())
    length = _child_length(code)
    below = {region.code: region.name for region in _regions_below(code)}

    everything = Figures()
    by_kind = {DESA: Figures(), KELURAHAN: Figures()}
    by_status = {bucket: Figures() for bucket in STATUS_BUCKETS}
    by_region = {region: Figures() for region in below}

    known: dict[tuple[str, str], tuple[Figures, ...]] = {}

    def groups(region: str, bucket: str) -> tuple[Figures, ...]:
        """The groups a village (or a kabupaten's bucket) adds into: found once."""
        found = known.get((region, bucket))
        if found is None:
            kind = KELURAHAN if bucket == KELURAHAN else DESA
            found = (everything, by_kind[kind], by_status[bucket],
                     *((by_region[region],) if region in by_region else ()))
            known[region, bucket] = found
        return found

    targets: dict[str, tuple[Figures, ...]] = {}
    for place in villages:
        status = statuses.get(place.code)
        bucket = KELURAHAN if _kind_of(place.code) == KELURAHAN else (
            status.status if status else NO_STATUS)
        targets[place.code] = groups(place.code[:length], bucket)
        for figures in targets[place.code]:
            figures.villages += 1
            figures.enrolled += place.code in enrolled
            figures.reported += place.code in reported
    nowhere: tuple[Figures, ...] = ()

    band_keys = tuple(member_rules.AGE_BANDS)
    end = period.end.isoformat()
    store.ensure_census(db, period.end, _bands(period.end))
    # Trainings ended in the period: those still running today are taken off again.
    unended = store.unended_training_tallies(db, where, period.key, today_here())
    rows: list[tuple[tuple[Figures, ...], str, str, int]] = [
        (targets.get(tally.village_code, nowhere), metric, key, value)
        for tally in unended for metric, key, value in _training_rows(tally, -1)]
    if length == store.REGION_LENGTH:  # a province: its kabupaten/kota sums
        for metric, region, bucket, key, value in store.region_sums(
                db, where, [("mem", end), ("act", period.key), ("ben", period.key),
                            ("train", period.key)]):
            rows.append((groups(region, bucket), metric, key, value))
    else:
        for metric, when in (("mem", end), ("act", period.key), ("ben", period.key)):
            rows += [(targets.get(village, nowhere), metric, key, value)
                     for village, key, value in store.rollup_rows(db, metric, where, when)]
        rows += [(targets.get(tally.village_code, nowhere), metric, key, value)
                 for tally in store.training_tallies(db, where, period.key)
                 for metric, key, value in _training_rows(tally, 1)]
    for found, metric, key, value in rows:
        for figures in found:
            _add_figure(figures, metric, key, value, band_keys)
    years = {status.year for status in statuses.values()}
    return Totals(
        area=code,
        area_name=area_name(code),
        period=period,
        all=everything,
        by_kind=by_kind,
        by_status=by_status,
        status_year=max(years) if years else None,
        by_region=[(region, name, by_region[region]) for region, name in below.items()],
        band_keys=band_keys,
    )


def cash_receipts(session: Session, period: Period, area: str | None = None
                  ) -> list[tuple[str, str, int]]:
    """(village, category, amount) of the receipts the villages' cash books wrote in the
    period: read from the roll-up (Jawa Tengah's 12 million cash-book rows took 26 s to sum
    for a year's report)."""
    code = resolve_area(session, area)
    db = session.db()
    store.refresh_rollup(db, bands_of=_bands)
    return store.rollup_rows(db, "cash", _store_area(session, code), period.key)


def prepare_figures(
    session: Session, progress: Progress | None = None, *, today: dt.date | None = None
) -> int:
    """Count what the views read, so that the usual ones need no counting when shown.

    The roll-up of the villages whose bundles arrived since the last count, and the member
    census at the end of each of the last 13 months and of this year and the last.
    :func:`totals` counts whatever is missing itself; the pages run this first on the
    writer thread, so a large count (the first one on a big file) never runs on a reader.
    Returns the number of villages counted again.
    """
    require_receiver(session)
    progress = progress or no_progress()
    db = session.db()
    counted = store.refresh_rollup(
        db,
        bands_of=_bands,
        step=lambda done, total: progress.step(
            done, total, _("Counting the figures of village {done} of {total}…").format(
                done=done, total=total
            )
        ),
    )
    today = today or today_here()
    first = today.replace(day=1)
    ends = [_month_end(_add_months(first, -back)) for back in range(13)]
    ends += [dt.date(today.year, 12, 31), dt.date(today.year - 1, 12, 31)]
    missing = sorted(set(ends) - {dt.date.fromisoformat(d) for d in store.census_dates(db)})
    for number, end in enumerate(missing):
        progress.step(number, len(missing), _("Counting the members…"))
        store.ensure_census(db, end, _bands(end))
    return counted


def rollup_problems(db: Any) -> list[str]:
    """The ``check`` step of a receiver: where the roll-up the views read differs from a
    full recount of the records, one sentence each (none when they are equal).

    A roll-up not yet counted for the newest imports is not a problem: the receiver counts
    it when it is opened (:func:`prepare_figures`).
    """
    if not store.rollup_is_fresh(db):
        return []
    found = store.rollup_differences(db, bands_of=_bands) + store.region_differences(db)
    return [
        _(
            "The receiver's summary ({metric} {period} {village} {key}) says {kept} but a "
            "recount of the records gives {recounted}. Run 'kt-desktop receiver recount' "
            "to count every village again."
        ).format(metric=one.metric, period=one.period, village=one.village_code,
                 key=one.key or "-", kept="-" if one.kept is None else one.kept,
                 recounted="-" if one.recounted is None else one.recounted)
        for one in found
    ]


def recount(session: Session, progress: Progress | None = None) -> int:
    """Count the roll-up of every village again from the records (after ``check`` found a
    difference). Returns the villages counted."""
    require_receiver(session)
    db = session.db()
    store.forget_rollup(db)
    return prepare_figures(session, progress)


def _bands(on: dt.date) -> list[tuple[dt.date, dt.date]]:
    """(born after, born on or before) of each member age band, ages taken at ``on``."""
    return [
        member_rules.birth_range_for_ages(low, high, on)
        for _label, low, high in member_rules.AGE_BANDS.values()
    ]


def band_label(key: str) -> str:
    """``13-17 tahun`` (the members' age bands of the village reports)."""
    return _(member_rules.AGE_BANDS[key][0])


# -- villages (the Desa page) ---------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class VillageOverview:
    place: Place
    kt_name: str  # the Karang Taruna's name from its bundles, "" when never enrolled
    fingerprint: str
    first_seen: dt.datetime | None
    last_bundle: dt.datetime | None
    last_received: dt.datetime | None
    bundles: int
    gaps: tuple[int, ...]
    open_conflicts: int
    reported_this_month: bool
    status: store.StatusRow | None
    refused: tuple[int, ...] = ()  # received but refused, still needed
    #: ``(number, refused at, reason)`` of each refused number (the Desa page's tooltip).
    refusal_reasons: tuple[tuple[int, dt.datetime | None, str], ...] = ()

    @property
    def enrolled(self) -> bool:
        return bool(self.fingerprint)


def village_overview(
    session: Session, area: str | None = None, *, today: dt.date | None = None
) -> list[VillageOverview]:
    """Every desa/kelurahan of the area, enrolled or not, in code order."""
    code = resolve_area(session, area)
    db = session.db()
    current = this_month(today)
    where = _store_area(session, code)
    states = store.village_states(db, where)
    reported = store.reported_villages(db, where, current.start, current.end,
                                       today=today or today_here())
    statuses = store.statuses_in_force(db, where, current.end.year)
    result = []
    for place in places(code):
        state = states.get(place.code)
        result.append(
            VillageOverview(
                place=place,
                kt_name=state.name if state else "",
                fingerprint=state.fingerprint if state else "",
                first_seen=_utc(state.first_seen) if state else None,
                last_bundle=_utc(state.last_created) if state else None,
                last_received=_utc(state.last_received) if state else None,
                bundles=state.bundles if state else 0,
                gaps=state.gaps if state else (),
                open_conflicts=state.open_conflicts if state else 0,
                reported_this_month=place.code in reported,
                status=statuses.get(place.code),
                refused=state.refused if state else (),
                refusal_reasons=tuple(
                    (seq, _utc(when), reason) for seq, when, reason in state.refusal_reasons
                )
                if state
                else (),
            )
        )
    return result


# -- one village's data (the Data page) -----------------------------------------------------
@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    rows: list[T]
    total: int
    offset: int


@dataclass(frozen=True, slots=True)
class MemberView:
    name: str
    nik: str  # masked: the last 4 digits only
    sex: str
    birth_date: dt.date | None
    dusun: str
    status: str
    position: str
    joined_on: dt.date | None


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _village(session: Session, village: str) -> str:
    code = resolve_area(session, village)
    if len(code) != 13:
        raise ValidationError(
            _("{code} is not a desa or kelurahan.").format(code=village), field="village"
        )
    return code


def _village_page(
    session: Session, village: str, listing: store.VillageList[Any], offset: int, limit: int,
    view: Callable[[Any], T] | None = None,
) -> Page[T]:
    """One page of the village's ``listing`` (each line through ``view`` when given);
    counted on the first page only."""
    code = _village(session, village)
    db = session.db()
    total = store.count_village_rows(db, listing, code) if offset == 0 else -1
    lines = store.village_rows(db, listing, code, limit=limit, offset=offset)
    return Page([view(line) for line in lines] if view else lines, total, offset)


def _member_view(line: store.MemberLine) -> MemberView:
    return MemberView(
        name=line.name,
        nik=nik_rules.mask(line.nik),
        sex=line.sex,
        birth_date=_date(line.birth_date),
        dusun=line.dusun,
        status=line.status,
        position=line.position,
        joined_on=_date(line.joined_on),
    )


def village_members(
    session: Session, village: str, *, offset: int = 0, limit: int = PAGE_SIZE
) -> Page[MemberView]:
    """One page of a village's members by name, NIK masked (as received, read-only)."""
    return _village_page(session, village, store.MEMBER_LIST, offset, limit, _member_view)


def village_activities(
    session: Session, village: str, *, offset: int = 0, limit: int = PAGE_SIZE
) -> Page[store.ActivityLine]:
    return _village_page(session, village, store.ACTIVITY_LIST, offset, limit)


def village_trainings(
    session: Session, village: str, *, offset: int = 0, limit: int = PAGE_SIZE
) -> Page[store.TrainingLine]:
    return _village_page(session, village, store.TRAINING_LIST, offset, limit)


# -- duplicates -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DuplicateEntry:
    place: Place | None
    village_code: str
    name: str
    sex: str
    birth_date: dt.date | None
    status: str
    joined_on: dt.date | None
    updated_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """One NIK live in more than one village: the person probably moved.

    ``entries`` are the newest registrations by join date, newest first, at most
    :data:`MAX_VILLAGES_PER_NIK`; ``villages`` is how many villages the NIK is live in, so a
    list that shows ``entries`` says that :attr:`more` villages are not listed.
    """

    nik: str  # masked
    entries: tuple[DuplicateEntry, ...]
    villages: int

    @property
    def newest(self) -> DuplicateEntry:
        """The registration made last (by join date): likely where the person lives now."""
        return max(self.entries, key=lambda e: (e.joined_on or dt.date.min, e.village_code))

    @property
    def more(self) -> int:
        """How many villages of the NIK are not among ``entries``."""
        return max(self.villages - len(self.entries), 0)


#: The registrations listed per duplicated NIK (the newest by join date). A NIK may be live
#: in thousands of villages (a province file built from one template village); the list
#: names the newest few, where the person most likely lives now, and counts the others.
MAX_VILLAGES_PER_NIK = 10


def duplicates(
    session: Session, area: str | None = None, *, offset: int = 0, limit: int = PAGE_SIZE
) -> Page[DuplicateGroup]:
    """One page of NIKs registered as live members of two or more villages, each with its
    newest :data:`MAX_VILLAGES_PER_NIK` registrations and its number of villages."""
    code = resolve_area(session, area)
    db = session.db()
    store.refresh_rollup(db, bands_of=_bands)  # duplicates are found again with it
    where = _store_area(session, code)
    total = store.count_duplicate_niks(db, where) if offset == 0 else -1
    # the villages listed may lie outside the area asked for, never outside the file's
    lookup = {place.code: place for place in places(session.code)}
    groups: dict[str, list[DuplicateEntry]] = {}
    villages: dict[str, int] = {}
    for row in store.duplicate_members(db, where, limit=limit, offset=offset,
                                       per_nik=MAX_VILLAGES_PER_NIK):
        villages[row.nik] = row.villages
        groups.setdefault(row.nik, []).append(
            DuplicateEntry(
                place=lookup.get(row.village_code),
                village_code=row.village_code,
                name=row.name,
                sex=row.sex,
                birth_date=_date(row.birth_date),
                status=row.status,
                joined_on=_date(row.joined_on),
                updated_at=_utc(row.updated_at),
            )
        )
    return Page(
        [DuplicateGroup(nik_rules.mask(nik), tuple(entries), villages[nik])
         for nik, entries in groups.items()],
        total,
        offset,
    )


# -- village status (CSV) -------------------------------------------------------------------
CODE_COLUMNS = ("kode", "kode_desa")
STATUS_COLUMN, YEAR_COLUMN, SOURCE_COLUMN = "status", "tahun", "sumber"


@dataclass(frozen=True, slots=True)
class StatusImport:
    rows: int
    villages: int
    years: tuple[int, ...]
    counts: dict[str, int]  # status -> rows


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KtError(
            _("{file} cannot be read: {reason}").format(file=path, reason=reason_text(exc)),
            code="unreadable",
        ) from exc
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise KtError(_("{file} is not a text (CSV) file.").format(file=path), code="not_csv")


def _dialect(text: str) -> str:
    head = text.splitlines()[0] if text.strip() else ""
    return max((";", ",", "\t"), key=head.count)


def parse_status_csv(path: Path, area: str) -> list[store.StatusRow]:
    """Read and check a village-status CSV; every problem is named with its row number.

    Columns (header row, any order, case-insensitive): ``kode`` or ``kode_desa``, ``status``
    (mandiri / berkembang / tertinggal), ``tahun``, ``sumber`` (optional). Codes may be
    dotted or not. Comma or semicolon separated, UTF-8 (with or without BOM) or Windows ANSI.
    """
    text = _read_text(path)
    reader = csv.reader(io.StringIO(text), delimiter=_dialect(text))
    rows = list(reader)
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ValidationError(
            _("{file} is empty: it needs a header row (kode, status, tahun, sumber) and one "
              "row per desa.").format(file=path.name),
            code="empty_csv",
        )
    header = [cell.strip().lower().lstrip("\ufeff") for cell in rows[0]]
    code_column = next((header.index(name) for name in CODE_COLUMNS if name in header), None)
    missing = [
        name
        for name, present in (
            ("kode", code_column is not None),
            (STATUS_COLUMN, STATUS_COLUMN in header),
            (YEAR_COLUMN, YEAR_COLUMN in header),
        )
        if not present
    ]
    if missing:
        raise ValidationError(
            _("{file}: the column(s) {columns} are missing. The first row must name the "
              "columns kode (or kode_desa), status, tahun and sumber.").format(
                file=path.name, columns=", ".join(missing)
            ),
            code="missing_columns",
        )
    assert code_column is not None
    status_column = header.index(STATUS_COLUMN)
    year_column = header.index(YEAR_COLUMN)
    source_column = header.index(SOURCE_COLUMN) if SOURCE_COLUMN in header else None
    errors: list[str] = []
    result: list[store.StatusRow] = []
    seen: dict[tuple[str, int], int] = {}
    this_year = today_here().year
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue

        def cell(index: int | None, cells: list[str] = cells) -> str:
            return cells[index].strip() if index is not None and index < len(cells) else ""

        raw_code = cell(code_column)
        code = regions.normalize_code(raw_code) if raw_code else None
        region = regions.get(code) if code else None
        status = cell(status_column).lower()
        year_text = cell(year_column)
        problem = None
        if region is None or region.level != 4:
            problem = _("village code {code} is not a desa in the Kemendagri list").format(
                code=raw_code or _("(empty)")
            )
        elif region.kind == "kelurahan":
            problem = _("{code} is a kelurahan; a village status is given to desa only").format(
                code=region.code
            )
        elif not (region.code == area or region.code.startswith(area + ".")):
            problem = _("{code} ({name}) is outside this receiver's area").format(
                code=region.code, name=region.name
            )
        elif status not in STATUS_LABELS:
            problem = _("status \u201c{status}\u201d is not mandiri, berkembang or tertinggal"
                        ).format(status=cell(status_column))
        elif not (year_text.isdigit() and 2000 <= int(year_text) <= this_year + 1):
            problem = _("year \u201c{year}\u201d is not a year such as 2018").format(
                year=year_text
            )
        if problem is None:
            assert region is not None
            key = (region.code, int(year_text))
            if key in seen:
                problem = _("{code} already has a status for {year} in row {row}").format(
                    code=region.code, year=year_text, row=seen[key]
                )
            else:
                seen[key] = number
                result.append(store.StatusRow(region.code, int(year_text), status,
                                              cell(source_column)))
        if problem is not None:
            errors.append(_("row {row}: {problem}").format(row=number, problem=problem))
    if errors:
        shown = errors[:MAX_LISTED_ERRORS]
        if len(errors) > len(shown):
            shown.append(_("… and {count} more rows").format(count=len(errors) - len(shown)))
        raise ValidationError(
            _("{file} was not imported (nothing was changed); correct these rows and import "
              "it again:\n{rows}").format(file=path.name, rows="\n".join(shown)),
            code="bad_rows",
        )
    if not result:
        raise ValidationError(
            _("{file} has no data rows under its header.").format(file=path.name),
            code="empty_csv",
        )
    return result


def import_village_status(session: Session, csv_path: str | Path) -> StatusImport:
    """Import desa statuses from a CSV in one transaction: all rows or none."""
    area = require_receiver(session)
    path = Path(csv_path)
    rows = parse_status_csv(path, area)
    db = session.db()
    with db.atomic():
        store.save_statuses(db, rows, utc_now_iso())
        audit.record(db, "import", "village_status", None, actor=_("Officer"),
                     detail=f"{path.name}: {len(rows)} rows")
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    return StatusImport(
        rows=len(rows),
        villages=len({row.village_code for row in rows}),
        years=tuple(sorted({row.year for row in rows})),
        counts=counts,
    )


def status_label(code: str) -> str:
    return _(BUCKET_LABELS.get(code, code))


# -- the receiver itself --------------------------------------------------------------------
def own_profile(session: Session) -> Profile:
    """The receiver's own profile (the ``profile`` table also holds every village's)."""
    code = require_receiver(session)
    profile = store.receiver_profile(session.db(), code)
    return profile or Profile(name=_("Karang Taruna"), village_code=code)


# -- the aggregate report (PDF) -------------------------------------------------------------
REGION_WORDS = {2: N_("Kabupaten/Kota"), 5: N_("Kecamatan"), 8: N_("Desa/Kelurahan")}


def _figure_line(name: str, figures: Figures) -> FigureLine:
    from kt_desktop.reports.receiver import FigureLine

    return FigureLine(
        name=name, villages=figures.villages, enrolled=figures.enrolled,
        reported=figures.reported, members_male=figures.members_male,
        members_female=figures.members_female, activities=figures.activity_count,
        beneficiaries=figures.beneficiary_count, trainings=figures.trainings,
        participants=figures.participants, graduates=figures.graduates,
        employed=figures.employed, business=figures.business,
    )


def report_data(
    session: Session, period: Period, area: str | None = None, *, today: dt.date | None = None,
    paper: str = "a4",
) -> ReceiverReport:
    """Everything the aggregate PDF prints."""
    from kt_desktop.reports import model
    from kt_desktop.reports import receiver as pdf

    code = resolve_area(session, area)
    today = today or today_here()
    table = reporting_table(session, period, code)
    figures = totals(session, period, code)
    missing = missing_villages(session, period, code)
    profile = own_profile(session)
    own = session.code
    own_region = regions.get(own)
    parent = regions.get(own_region.parent_code) if own_region and own_region.parent_code else None
    address = ", ".join(
        part
        for part in (
            profile.street.strip(),
            _("RT {rt}/RW {rw}").format(rt=profile.rt.strip() or "-", rw=profile.rw.strip() or "-")
            if profile.rt.strip() or profile.rw.strip() else "",
            profile.dusun.strip(),
            _("Postal code {code}").format(code=profile.postal_code.strip())
            if profile.postal_code.strip() else "",
        )
        if part
    )
    contact = " · ".join(
        part
        for part in (
            _("Telephone {phone}").format(phone=profile.phone.strip())
            if profile.phone.strip() else "",
            _("E-mail {email}").format(email=profile.email.strip())
            if profile.email.strip() else "",
        )
        if part
    )
    letterhead = pdf.ReceiverLetterhead(
        name=model.drawn_field(profile, "name"),
        village_kind="desa",
        village=area_name(own),
        kecamatan="",
        regency=area_name(parent.code) if parent is not None else "",
        province="",
        address=fit(address, model.ADDRESS_CHARS),
        contact=fit(contact, model.ADDRESS_CHARS),
        logo=profile.logo or None,
    )
    place = own_region.name if own_region else own
    signatories = model.Signatories(
        place=place.removeprefix("Kabupaten ").removeprefix("Kota "),
        date=today,
        ketua=model.drawn_field(profile, "ketua"),
        sekretaris=model.drawn_field(profile, "sekretaris"),
        village_head="",
        village_kind="desa",
        village="",
    )

    everything = figures.all
    by_region = {region: item for region, _name, item in figures.by_region}
    statuses = store.statuses_in_force(session.db(), _store_area(session, code),
                                       period.end.year)
    sources = sorted({status.source for status in statuses.values() if status.source})
    if figures.status_year is None:
        note = _("No village status has been imported yet (Villages page, Import status).")
    else:
        note = _("Desa status as last imported up to {year}{sources}; kelurahan have no "
                 "status.").format(
            year=figures.status_year,
            sources=f" ({'; '.join(sources)})" if sources else "",
        )
    data = pdf.ReceiverReport(
        common=model.Common(letterhead=letterhead, signatories=signatories, printed_on=today,
                            paper=papers.paper(paper).key),
        area_name=area_name(code),
        period_label=period.label,
        region_word=_(REGION_WORDS.get(len(code), REGION_WORDS[8])),
        month_labels=tuple(_short_month(month) for month in table.months),
        reporting=[
            pdf.ReportingLine(row.name, row.villages, row.enrolled, row.by_month,
                              by_region[row.code].reported if row.code in by_region else 0)
            for row in table.rows
        ],
        reporting_total=pdf.ReportingLine(
            _("Total"), table.total.villages, table.total.enrolled, table.total.by_month,
            everything.reported,
        ),
        regions=[_figure_line(name, item) for _c, name, item in figures.by_region],
        regions_total=_figure_line(_("Total"), everything),
        kinds=[_figure_line(_(KIND_LABELS[kind]), item) for kind, item in figures.by_kind.items()],
        statuses=[_figure_line(status_label(bucket), item)
                  for bucket, item in figures.by_status.items()],
        status_note=note,
        bands=[
            model.BandCount(band_label(key), *everything.bands.get(key, [0, 0]))
            for key in figures.band_keys
        ],
        activity_kinds=sorted(everything.activities.items(), key=lambda kv: (-kv[1], kv[0])),
        beneficiaries=[
            model.BeneficiaryLine(
                code=ppks_code,
                name=_ppks_name(ppks_code),
                male=male,
                female=female,
            )
            for ppks_code, (male, female) in sorted(everything.beneficiaries.items())
            if male or female
        ],
        outcomes=[
            (_("Trainings ended"), everything.trainings),
            (_("Participants"), everything.participants),
            (_("Graduates"), everything.graduates),
            (_("Graduates employed"), everything.employed),
            (_("Graduates with their own business"), everything.business),
            (_("Graduates continuing training"), everything.studying),
            (_("Graduates not working yet"), everything.not_working),
        ],
        missing=[
            pdf.MissingLine(
                regency=item.place.regency,
                kecamatan=item.place.kecamatan,
                village=f"{'Kelurahan' if item.place.kind == KELURAHAN else 'Desa'} "
                        f"{item.place.name}",
                code=item.place.code,
                last_bundle=local_day(item.last_bundle),
            )
            for item in missing
        ],
        funds=_funds(session, period, area),
    )
    return data


def _funds(session: Session, period: Period, area: str | None) -> list[tuple[str, str, int, int]]:
    """The cash books' receipts by kabupaten/kota and source (``services.kas``)."""
    from kt_desktop.services import kas

    return [(row.name, row.label, row.amount, row.villages)
            for row in kas.receiver_funds(session, period, area)]


def _short_month(month: str) -> str:
    """``Nov 2026`` for a table column (Babel's abbreviated month of the UI language)."""
    from babel.dates import format_date

    from kt_desktop.i18n import locale_name

    return format_date(dt.date.fromisoformat(month + "-01"), format="MMM y", locale=locale_name())


def _ppks_name(code: int) -> str:
    from kt_desktop.domain import ppks

    return ppks.category(code).name if ppks.is_category(code) else str(code)


def local_day(moment: dt.datetime | None) -> dt.date | None:
    """The calendar day in Western Indonesia time (the village's own day)."""
    if moment is None:
        return None
    return (moment + store.WIB).date()


@official_paper
def build_report(
    session: Session,
    period: Period,
    out_path: str | Path,
    *,
    area: str | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
    paper: str = "a4",
) -> Path:
    """Write the aggregate PDF for ``period`` and ``area`` to ``out_path`` (whole or not at all),
    laid out for ``paper`` (a4, f4, letter)."""
    from kt_desktop.reports import receiver as pdf

    progress = progress or no_progress()
    progress.step(0, 3, _("Counting the totals…"))
    data = report_data(session, period, area, today=today, paper=paper)
    progress.step(1, 3, _("Laying out the pages…"))
    path = pdf.build(data, Path(out_path))
    db = session.db()
    with db.atomic():
        audit.record(db, "print", None, None, actor=_("Officer"),
                     detail=f"receiver summary {period.key} {data.area_name}")
    progress.step(3, 3, _("Done."))
    return path


def dashboard_counts(session: Session, today: dt.date) -> dict[str, int]:
    """Beranda's receiver cards (registered in ``dashboard.COUNT_PROVIDERS``): the villages
    that send data here and the paket data accepted; nothing for a village file."""
    from kt_desktop.services.dashboard import BUNDLES_IMPORTED, VILLAGES_REPORTED

    if not session.is_receiver:
        return {}
    db = session.db()
    return {VILLAGES_REPORTED: len(store.enrolled_villages(db, "")),
            BUNDLES_IMPORTED: store.imports_count(db)}
