"""The SQL of a receiver's view of its villages: who reported, the totals, the lists.

A receiver keeps every village's records in the shared record tables, each row with its
``village_code``. Everything here is answered by SQL grouping (never a Python loop over the
370,000 activities of Banten) with the covering indexes of
:mod:`kt_desktop.store.schema_receiver`. Activities, beneficiaries and trainings are read
from a roll-up counted per village and month/year (:func:`refresh_rollup`, run when bundles
arrived since the last count), because counting 800,000 beneficiary rows of a province's
year takes seconds and a view must update within half a second. The totals come back *per
village* (at most a few tens of thousands of rows), so the service can add them up by
kabupaten, kecamatan, desa/kelurahan or village status without asking the database again.

Definitions (the same as the village's own reports, :mod:`kt_desktop.store.report_queries`):

* **Area**: a Kemendagri code prefix. ``""`` is everything in the file; ``"36"`` a province,
  ``"36.04"`` a kabupaten/kota, ``"36.04.22"`` a kecamatan, a 13-character code one village.
  It is matched as a range of ``village_code`` (``"36.04." <= code < "36.04/"``, ``/`` being
  the character after ``.``) so the indexes serve it.
* **Reported for month M**: the receiver holds the village's data covering M — its monthly
  report notes of M, or a bundle made (``Created-UTC``, read in Western Indonesia time,
  UTC+7) after M ended, which holds every record of M. A village that sent its November
  data on 6 December has reported for November (issue 16: it was counted by the month the
  bundle was made, and listed as not reporting). For the month still running, a bundle made
  in it holds the month so far and counts. Bundles cover no month before the one preceding
  the village's first bundle (a file set up in December to send November does not report
  for the January before it). The time the officer imported it does not count.
* **Activities** of a period: carried out (``terlaksana``) and starting in the period; their
  beneficiaries likewise.
* **Members** of a period: on the register at its last day (joined by then, or no join date;
  not left by then).
* **Trainings** of a period: those *ending* in it (what the province asks of a training is
  who finished it), and only once ended: one whose last day is today or later is still
  running and is not counted yet (:func:`unended_training_tallies`). A participant *graduates* by the training's own completion rule (:func:`kt_desktop.domain.trainings.compute_completion`): the secretary's
  override if any, else at least ``min_attendance_pct`` % of the training's live sessions
  marked H and, where the rule has one, a post-test score at least ``min_post_score``.
  Attendance rows of a removed session are removed with it (:func:`store.trainings.
  remove_session`), so live H rows are counted without joining the sessions; for a training
  still running that is the attendance recorded so far. A participant's *outcome* is their
  latest follow-up (the 6-month one when recorded, else the 3-month one).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlite_utils

from kt_desktop.domain.profile import Profile
from kt_desktop.store import records, settings
from kt_desktop.store.rows import Shape, or_empty
from kt_desktop.store.schema_receiver import COUNT_DUPLICATE_VILLAGES, LIVE_NIK

DONE = "terlaksana"
LEFT = "keluar"
PASSED = "lulus"
#: Western Indonesia time, in which a bundle's month is read.
WIB = dt.timedelta(hours=7)
_WIB_MODIFIER = "+7 hours"
STATUSES = ("mandiri", "berkembang", "tertinggal")
T = TypeVar("T")


# -- reads remembered until the file changes ------------------------------------------------
_MEMO_SIZE = 16


def _file_state(db: sqlite_utils.Database) -> tuple[int, int]:
    """What changes whenever the file is written: by this connection (its change count) or
    by another one (``PRAGMA data_version``)."""
    return db.conn.total_changes, int(db.execute("PRAGMA data_version").fetchone()[0])


def _remembered(read: Callable[..., Any]) -> Callable[..., Any]:
    """Keep a read's answer on the connection until the file is written.

    Why: one Rekap asks the same reading of the imports three times (the reporting table,
    the totals, the villages that did not report), and on a province of 8,563 villages each
    reading is a tenth of a second. The answers are kept with the connection (gone when it
    closes), at most a few, and never outlive a write.
    """

    @functools.wraps(read)
    def wrapper(db: sqlite_utils.Database, *args: Any, **kwargs: Any) -> Any:
        memo: dict[tuple[Any, ...], Any] = db.__dict__.setdefault("_kt_receiver_memo", {})
        key = (read.__name__, _file_state(db), args, tuple(sorted(kwargs.items())))
        if key not in memo:
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            memo[key] = read(db, *args, **kwargs)
        return memo[key]

    return wrapper


# -- areas and periods ----------------------------------------------------------------------
def area_clause(column: str, area: str) -> tuple[str, list[Any]]:
    """SQL condition (and its parameters) keeping rows whose ``column`` lies in ``area``."""
    if not area:
        return "1", []
    if len(area) >= 13:
        return f"{column} = ?", [area]
    return f"{column} >= ? AND {column} < ?", [area + ".", area + "/"]


def utc_bounds(start: dt.date, end: dt.date) -> tuple[str, str]:
    """The UTC instants (as stored: ISO text) from ``start`` 00:00 WIB to after ``end``."""
    lo = dt.datetime.combine(start, dt.time()) - WIB
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time()) - WIB
    return lo.strftime("%Y-%m-%dT%H:%M:%S"), hi.strftime("%Y-%m-%dT%H:%M:%S")


# -- reporting ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ReportedCount:
    """How many villages of ``region`` (a code prefix) reported in ``month`` (YYYY-MM)."""

    region: str
    month: str
    villages: int


def _month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    first = start.replace(day=1)
    months = []
    while first <= end:
        months.append(first)
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return months


def _covering_bounds(start: dt.date, end: dt.date, today: dt.date) -> list[tuple[str, str]]:
    """(month ``YYYY-MM``, the UTC instant from which a bundle made covers it) for each month
    from ``start`` to ``end`` that has begun by ``today``: the start of the next month (WIB),
    or, for the month ``today`` lies in, its own start (its data so far)."""
    bounds = []
    for first in _month_starts(start, end):
        if first > today:
            break
        following = (first + dt.timedelta(days=32)).replace(day=1)
        running = following > today
        bound = dt.datetime.combine(first if running else following, dt.time()) - WIB
        bounds.append((first.strftime("%Y-%m"), bound.strftime("%Y-%m-%dT%H:%M:%S")))
    return bounds


@_remembered
def _reported_rows(
    db: sqlite_utils.Database, area: str, start: dt.date, end: dt.date, today: dt.date
) -> tuple[tuple[str, str], ...]:
    """(village code, month) for every month from ``start`` to ``end`` a village reported
    for (see the module docstring): its monthly report notes of that month, or a bundle made
    after the month ended (in the running month: made in it), from the month before its
    first bundle on."""
    bounds = _covering_bounds(start, end, today)
    if not bounds:
        return ()
    where, params = area_clause("village_code", area)
    values = ", ".join("(?, ?)" for _ in bounds)
    rows = db.execute(
        f"""
        WITH latest AS (
            SELECT village_code, max(created_utc) AS made,
                   strftime('%Y-%m', datetime(min(created_utc), '{_WIB_MODIFIER}',
                                              'start of month', '-1 month')) AS since
            FROM imports WHERE {where}
            GROUP BY village_code
        ),
        months(month, bound) AS (VALUES {values})
        SELECT latest.village_code, months.month FROM latest JOIN months
            ON latest.made >= months.bound AND months.month >= latest.since
        UNION
        SELECT village_code, month FROM monthly_report_notes
        WHERE deleted_at IS NULL AND month >= ? AND month <= ? AND {where}
        """,
        [*params, *[item for pair in bounds for item in pair],
         bounds[0][0], bounds[-1][0], *params],
    ).fetchall()
    return tuple((row[0], row[1]) for row in rows)


def reported_counts(
    db: sqlite_utils.Database, area: str, start: dt.date, end: dt.date, region_length: int,
    *, today: dt.date,
) -> list[ReportedCount]:
    """Villages that reported for each month, per region (code prefix of
    ``region_length``)."""
    counts: dict[tuple[str, str], set[str]] = {}
    for code, month in _reported_rows(db, area, start, end, today):
        counts.setdefault((code[:region_length], month), set()).add(code)
    return [ReportedCount(region, month, len(codes))
            for (region, month), codes in sorted(counts.items())]


def reported_villages(
    db: sqlite_utils.Database, area: str, start: dt.date, end: dt.date, *, today: dt.date
) -> set[str]:
    """Codes of the villages that reported for at least one month from ``start`` to ``end``."""
    return {code for code, _month in _reported_rows(db, area, start, end, today)}


@dataclass(frozen=True, slots=True)
class VillageState:
    """What the receiver knows of an enrolled village (one whose bundle was accepted)."""

    code: str
    name: str
    fingerprint: str
    first_seen: str  # UTC ISO, when its first bundle was accepted
    last_created: str  # UTC ISO, when the village made its newest bundle
    last_received: str  # UTC ISO, when the newest bundle was imported here
    bundles: int
    gaps: tuple[int, ...]  # bundle numbers still missing
    open_conflicts: int
    refused: tuple[int, ...] = ()  # bundle numbers received but refused, still needed
    #: ``(number, refused_at UTC ISO, reason)`` of each of ``refused``, its latest refusal.
    refusal_reasons: tuple[tuple[int, str, str], ...] = ()


def village_states(db: sqlite_utils.Database, area: str) -> dict[str, VillageState]:
    """Every enrolled village of ``area`` with its bundles, gaps and open conflicts.

    A copy of what :func:`_village_states` read (remembered until the file changes).
    """
    return dict(_village_states(db, area))


@_remembered
def _village_states(db: sqlite_utils.Database, area: str) -> dict[str, VillageState]:
    """The reading of :func:`village_states`.

    Gaps are those the newest import computed: every import recomputes them over all the
    sequences received, so the newest one is the current state.
    """
    where, params = area_clause("v.code", area)
    rows = db.execute(
        f"""
        WITH i AS (
            SELECT village_code, max(created_utc) AS created, max(received_at) AS received,
                   count(*) AS bundles, max(id) AS newest
            FROM imports GROUP BY village_code
        ),
        c AS (
            SELECT village_code, count(*) AS open FROM conflicts WHERE decided IS NULL
            GROUP BY village_code
        )
        SELECT v.code, coalesce(v.name, ''), v.fingerprint, v.first_seen, i.created,
               i.received, coalesce(i.bundles, 0), n.gaps, coalesce(c.open, 0)
        FROM villages v
        LEFT JOIN i ON i.village_code = v.code
        LEFT JOIN imports n ON n.id = i.newest
        LEFT JOIN c ON c.village_code = v.code
        WHERE {where}
        """,
        params,
    ).fetchall()
    states = {}
    for row in rows:
        states[row[0]] = VillageState(
            code=row[0],
            name=row[1],
            fingerprint=row[2],
            first_seen=row[3] or "",
            last_created=row[4] or "",
            last_received=row[5] or "",
            bundles=int(row[6]),
            gaps=tuple(int(seq) for seq in json.loads(row[7] or "[]")),
            open_conflicts=int(row[8]),
        )
    for code, (gaps, refused, reasons) in _refused_gaps(db, set(states)).items():
        states[code] = dataclasses.replace(
            states[code], gaps=gaps, refused=refused, refusal_reasons=reasons
        )
    return states


#: Refusals of bundles the receiver does not need (already covered by a later full bundle,
#: made before a restore): they are not missing.
NOT_NEEDED = ("stale", "before_restore")


def _refused_gaps(
    db: sqlite_utils.Database, codes: set[str]
) -> dict[str, tuple[tuple[int, ...], tuple[int, ...], tuple[tuple[int, str, str], ...]]]:
    """``{village: (not received, refused)}`` for the villages with a refused bundle that is
    still needed: a refused number is listed as refused, not as missing, and the numbers
    between the newest accepted bundle and a refused one are missing too."""
    refused: dict[str, dict[int, tuple[str, str]]] = {}
    marks = ", ".join("?" * len(NOT_NEEDED))
    for code, seq, when, reason in db.execute(
        "SELECT r.village_code, r.seq, r.refused_at, r.reason FROM refusals r "
        f"WHERE r.code NOT IN ({marks}) AND NOT EXISTS (SELECT 1 FROM imports i "
        "WHERE i.village_code = r.village_code AND i.seq = r.seq) ORDER BY r.id",
        list(NOT_NEEDED),
    ):
        if code in codes:
            refused.setdefault(code, {})[int(seq)] = (when, reason)
    result = {}
    for code, seqs in refused.items():
        accepted = {
            int(row[0]): bool(row[1])
            for row in db.execute("SELECT seq, full FROM imports WHERE village_code = ?", [code])
        }
        last_full = max((seq for seq, full in accepted.items() if full), default=0)
        needed = {seq for seq in seqs if seq > last_full}
        top = max([*accepted, *needed], default=0)
        missing = tuple(
            seq
            for seq in range(last_full + 1, top)
            if seq not in accepted and seq not in needed
        )
        result[code] = (
            missing,
            tuple(sorted(needed)),
            tuple((seq, *seqs[seq]) for seq in sorted(needed)),
        )
    return result


def enrolled_villages(db: sqlite_utils.Database, area: str) -> set[str]:
    """Codes of the villages with at least one accepted bundle."""
    where, params = area_clause("code", area)
    return {row[0] for row in db.execute(f"SELECT code FROM villages WHERE {where}", params)}


def census_dates(db: sqlite_utils.Database) -> set[str]:
    """The period ends whose census is kept in the roll-up."""
    return {row[0] for row in db.execute("SELECT period_end FROM receiver_rollup_census")}


# -- totals per village ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MemberCensus:
    """Members of one village and sex on the register at a date, and per age band."""

    village_code: str
    sex: str
    register: int
    bands: tuple[int, ...]  # in the order of the bands asked for


def _count_members(
    db: sqlite_utils.Database,
    on: dt.date,
    bands: Sequence[tuple[dt.date, dt.date]],
    codes: str | None = None,
) -> list[MemberCensus]:
    """The census straight from ``members`` (one scan of a covering index); ``codes`` a
    JSON list of villages to limit it to."""
    params: dict[str, Any] = {"on": on.isoformat(), "codes": codes}
    columns = ["count(*)"]
    for index, (after, upto) in enumerate(bands):
        params[f"a{index}"], params[f"u{index}"] = after.isoformat(), upto.isoformat()
        columns.append(f"sum(birth_date > :a{index} AND birth_date <= :u{index})")
    only = f"AND village_code IN {_CODES}" if codes is not None else ""
    rows = db.execute(
        f"SELECT village_code, sex, {', '.join(columns)} FROM members "
        f"WHERE deleted_at IS NULL AND sex IN ('L', 'P') {only} "
        "AND (joined_on IS NULL OR joined_on <= :on) "
        "AND NOT (coalesce(status, '') = 'keluar' AND (left_on IS NULL OR left_on <= :on)) "
        "GROUP BY village_code, sex",
        params,
    ).fetchall()
    return [
        MemberCensus(row[0], row[1], int(row[2] or 0), tuple(int(v or 0) for v in row[3:]))
        for row in rows
    ]


def _save_census(db: sqlite_utils.Database, on: dt.date, rows: Sequence[MemberCensus]) -> None:
    values = []
    for row in rows:
        values.append(("mem", on.isoformat(), row.village_code, f"{row.sex}:*", row.register))
        values += [
            ("mem", on.isoformat(), row.village_code, f"{row.sex}:{index}", count)
            for index, count in enumerate(row.bands)
        ]
    db.conn.executemany(
        "INSERT OR REPLACE INTO receiver_rollup (metric, period, village_code, key, value) "
        "VALUES (?, ?, ?, ?, ?)",
        values,
    )


def ensure_census(
    db: sqlite_utils.Database, on: dt.date, bands: Sequence[tuple[dt.date, dt.date]]
) -> bool:
    """Count the census of ``on`` into the roll-up unless it is there; True if counted."""
    key = on.isoformat()
    known = db.execute(
        "SELECT bands FROM receiver_rollup_census WHERE period_end = ?", [key]
    ).fetchone()
    if known is not None and int(known[0]) == len(bands):
        return False
    with db.atomic():  # BEGIN IMMEDIATE: the write lock before the first read
        db.execute("DELETE FROM receiver_rollup WHERE metric = 'mem' AND period = ?", [key])
        _save_census(db, on, _count_members(db, on, bands))
        db.execute(
            "INSERT OR REPLACE INTO receiver_rollup_census (period_end, bands) VALUES (?, ?)",
            [key, len(bands)],
        )
        db.execute("DELETE FROM receiver_rollup_region WHERE metric = 'mem' AND period = ?",
                   [key])
        _add_to_region(db, "metric = 'mem' AND period = :period", {"period": key}, 1,
                       with_trainings=False)
    return True


@dataclass(frozen=True, slots=True)
class TrainingTally:
    """One village's trainings of a period, their participants and what became of them."""

    village_code: str
    trainings: int
    participants: int
    graduates: int
    employed: int  # latest follow-up "bekerja"
    business: int  # "wirausaha"
    studying: int  # "melanjutkan"
    not_working: int  # "belum_bekerja"


def training_tallies(db: sqlite_utils.Database, area: str, period: str) -> list[TrainingTally]:
    """Per village: trainings ending in a period, participants, graduates, outcomes."""
    where, params = area_clause("village_code", area)
    rows = db.execute(
        "SELECT village_code, trainings, participants, graduates, employed, business, "
        f"studying, not_working FROM receiver_rollup_trainings WHERE period = ? AND {where} "
        "ORDER BY village_code",
        [period, *params],
    ).fetchall()
    return [TrainingTally(row[0], *(int(value) for value in row[1:])) for row in rows]


def unended_training_tallies(
    db: sqlite_utils.Database, area: str, period: str, today: dt.date
) -> list[TrainingTally]:
    """Per village: the trainings of :func:`training_tallies` that have not ended by
    ``today`` (their end date is today or later), with their people; a receiver's "Pelatihan
    selesai" leaves them out (issue 16). Read from the roll-up's rows by end day (from
    today to the period's end); a period that ended before today has none."""
    if period < today.isoformat()[:len(period)]:
        return []
    where, params = area_clause("village_code", area)
    sums = ", ".join(f"sum({figure})" for figure in TRAINING_FIGURES)
    rows = db.execute(
        f"SELECT village_code, {sums} FROM receiver_rollup_trainings "
        f"WHERE period >= ? AND period < ? AND length(period) = 10 AND {where} "
        "GROUP BY village_code ORDER BY village_code",
        [max(today.isoformat(), period), period + "/", *params],
    ).fetchall()
    return [TrainingTally(row[0], *(int(value) for value in row[1:])) for row in rows]


def rollup_rows(
    db: sqlite_utils.Database, metric: str, area: str, period: str
) -> list[tuple[str, str, int]]:
    """(village, key, value) of one metric of the village roll-up for a period."""
    where, params = area_clause("village_code", area)
    rows = db.execute(
        "SELECT village_code, key, value FROM receiver_rollup "
        f"WHERE metric = ? AND period = ? AND {where}",
        [metric, period, *params],
    ).fetchall()
    return [(row[0], row[1], int(row[2])) for row in rows]


# -- the roll-up: counting a village's figures once per bundle ------------------------------
#: Bump when the roll-up's definitions change: every village is then counted again.
ROLLUP_VERSION = 5
ROLLUP_SETTING = "receiver.rollup"
ROLLUP_BATCH = 100
_CODES = "(SELECT value FROM json_each(:codes))"

# The activities of a batch are found by village (``idx_receiver_activities_village``).
# ``+status`` keeps SQLite from taking the index on status instead, as it does in a file
# without planner statistics (a receiver that only ever imported): it then read every
# activity carried out in the province for each batch, 37 s instead of 1.6 s a batch of
# 100 villages of Jawa Tengah (docs/BENCHMARK.md, issue 22).
_COUNT_ACTIVITIES = f"""
    INSERT INTO receiver_rollup (metric, period, village_code, key, value)
    SELECT 'act', substr(start_date, 1, :length), village_code, coalesce(kind, ''), count(*)
    FROM activities
    WHERE deleted_at IS NULL AND +status = '{DONE}' AND village_code IN {_CODES}
    GROUP BY 2, 3, 4
"""


def _count_activity_rows(metric: str, child: str, key: str, value: str) -> str:
    """The roll-up's INSERT of ``sum(c.<value>)`` of the child table ``child`` (``c``) of
    the activities carried out, by period, village and ``key``: beneficiaries and funds
    are counted alike, each found by its village and activity (the covering indexes of
    migration 26, read in the village's own stretch). ``CROSS JOIN``: see ``EXPORTS``."""
    return f"""
    INSERT INTO receiver_rollup (metric, period, village_code, key, value)
    SELECT '{metric}', substr(a.start_date, 1, :length), a.village_code, {key}, sum(c.{value})
    FROM activities a CROSS JOIN {child} c
         ON c.village_code = a.village_code AND c.activity_id = a.id
    WHERE a.deleted_at IS NULL AND +a.status = '{DONE}' AND a.village_code IN {_CODES}
      AND c.deleted_at IS NULL
    GROUP BY 2, 3, 4
"""


_COUNT_BENEFICIARIES = _count_activity_rows(
    "ben", "activity_beneficiaries", "c.ppks || ':' || c.sex", "count")
#: Funds of the activities carried out, by source (what the national aggregate carries).
_COUNT_FUNDS = _count_activity_rows("fund", "activity_funds", "coalesce(c.source, '')", "amount")
#: Receipts written in the villages' cash books (the kas book, ``cash_book``), by category:
#: the funds a receiver's report sums by kabupaten/kota and source.
_COUNT_CASH = f"""
    INSERT INTO receiver_rollup (metric, period, village_code, key, value)
    SELECT 'cash', substr(entry_date, 1, :length), village_code, coalesce(category, ''),
           sum(receipt)
    FROM cash_book
    WHERE deleted_at IS NULL AND receipt > 0 AND village_code IN {_CODES}
    GROUP BY 2, 3, 4
"""
_TRAINING_TALLY = f"""
    WITH t AS (
        SELECT id, village_code, substr(end_date, 1, :length) AS period,
               min_attendance_pct AS pct, min_post_score AS min_score,
               (SELECT count(*) FROM training_sessions s
                WHERE s.training_id = trainings.id AND s.deleted_at IS NULL) AS sessions
        FROM trainings WHERE deleted_at IS NULL AND {{villages}}
    ),
    -- MATERIALIZED: each participant's latest outcome is looked up once, not once for
    -- each of the four sums below that read it.
    p AS MATERIALIZED (
        SELECT t.period, t.village_code,
               CASE WHEN coalesce(p.result_override, '') != ''
                    THEN p.result_override = '{PASSED}'
                    ELSE t.sessions > 0
                         AND (SELECT count(*) FROM training_attendance a
                              WHERE a.participant_id = p.id AND a.deleted_at IS NULL
                              AND a.code = 'H') * 100 >= t.pct * t.sessions
                         AND (t.min_score IS NULL
                              OR (p.post_score IS NOT NULL AND p.post_score >= t.min_score))
               END AS passed,
               (SELECT o.status FROM training_outcomes o
                WHERE o.participant_id = p.id AND o.deleted_at IS NULL
                ORDER BY o.checkpoint_months DESC LIMIT 1) AS outcome
        FROM t CROSS JOIN training_participants p
             ON p.village_code = t.village_code AND p.training_id = t.id
        WHERE p.deleted_at IS NULL
    ),
    people AS (
        SELECT period, village_code, count(*) AS participants, sum(passed) AS graduates,
               sum(outcome = 'bekerja') AS employed, sum(outcome = 'wirausaha') AS business,
               sum(outcome = 'melanjutkan') AS studying,
               sum(outcome = 'belum_bekerja') AS not_working
        FROM p GROUP BY period, village_code
    ),
    held AS (SELECT period, village_code, count(*) AS trainings FROM t
             GROUP BY period, village_code)
    SELECT held.period, held.village_code, held.trainings,
           coalesce(people.participants, 0), coalesce(people.graduates, 0),
           coalesce(people.employed, 0), coalesce(people.business, 0),
           coalesce(people.studying, 0), coalesce(people.not_working, 0)
    FROM held LEFT JOIN people
      ON people.period = held.period AND people.village_code = held.village_code
"""
_COUNT_TRAININGS = (
    "INSERT INTO receiver_rollup_trainings (period, village_code, trainings, participants, "
    "graduates, employed, business, studying, not_working) "
    + _TRAINING_TALLY.format(villages=f"village_code IN {_CODES}")
)


#: The statements that count a batch of villages into the roll-up (``:codes``, ``:length``),
#: each with the lengths of the periods it counts: the month ("YYYY-MM") and the year; and
#: trainings by the day they end too ("YYYY-MM-DD"), so that a view of a period still
#: running takes the trainings not ended by today off it without counting their people.
ROLLUP_COUNTS: tuple[tuple[str, tuple[int, ...]], ...] = (
    (_COUNT_ACTIVITIES, (7, 4)),
    (_COUNT_BENEFICIARIES, (7, 4)),
    (_COUNT_FUNDS, (7, 4)),
    (_COUNT_CASH, (7, 4)),
    (_COUNT_TRAININGS, (10, 7, 4)),
)


def _rollup_mark(db: sqlite_utils.Database) -> tuple[int, int | None]:
    """(newest import id, the import id the roll-up was counted up to; None: never/old)."""
    latest = int(db.execute("SELECT coalesce(max(id), 0) FROM imports").fetchone()[0])
    value = settings.get(db, ROLLUP_SETTING) or ""
    version, _sep, upto = value.partition(":")
    if version != str(ROLLUP_VERSION) or not upto.isdigit():
        return latest, None
    return latest, int(upto)


def forget_rollup(db: sqlite_utils.Database) -> None:
    """Make the next :func:`refresh_rollup` count every village afresh."""
    with db.atomic():
        settings.put(db, ROLLUP_SETTING, "")


def rollup_is_fresh(db: sqlite_utils.Database) -> bool:
    latest, upto = _rollup_mark(db)
    return upto == latest and regions_are_summed(db)


def refresh_rollup(
    db: sqlite_utils.Database,
    *,
    bands_of: Callable[[dt.date], Sequence[tuple[dt.date, dt.date]]],
    step: Callable[[int, int], None] | None = None,
) -> int:
    """Recount the figures of every village with a bundle imported since the last count,
    and find the duplicated NIKs again.

    Records reach a receiver only through bundle imports, each written with its ``imports``
    row in one transaction, so the newest import id says what is new. Villages are counted
    in batches, each batch in its own write transaction (an import waits at most for one
    batch). ``bands_of(date)`` gives the age bands of a census date, so the censuses kept
    are recounted for those villages too. Returns how many villages were counted.
    """
    latest, upto = _rollup_mark(db)
    summed = regions_are_summed(db)
    if upto == latest:
        if not summed:  # a file counted by a program before migration 24
            with db.atomic():
                sum_regions(db)
        return 0
    if upto is None:
        codes = [row[0] for row in db.execute("SELECT DISTINCT village_code FROM imports")]
    else:
        codes = [
            row[0]
            for row in db.execute(
                "SELECT DISTINCT village_code FROM imports WHERE id > ?", [upto]
            )
        ]
    codes.sort()
    if upto is None:  # counted afresh (first time, or new definitions): start empty
        with db.atomic():  # BEGIN IMMEDIATE: the write lock before the first read
            for table in ("receiver_rollup", "receiver_rollup_trainings",
                          "receiver_rollup_census", "receiver_duplicates"):
                db.execute(f"DELETE FROM {table}")
    # A few villages: the kabupaten sums follow each batch (its rows taken away, then
    # added again as counted). Every village: they are summed once at the end.
    incremental = upto is not None and summed
    in_batch = f"village_code IN {_CODES}"
    censuses = db.execute("SELECT period_end, bands FROM receiver_rollup_census").fetchall()
    for start in range(0, len(codes), ROLLUP_BATCH):
        batch = json.dumps(codes[start:start + ROLLUP_BATCH])
        with db.atomic():  # BEGIN IMMEDIATE: the write lock before the first read
            if incremental:
                _add_to_region(db, in_batch, {"codes": batch}, -1)
            for table in ("receiver_rollup", "receiver_rollup_trainings"):
                db.execute(f"DELETE FROM {table} WHERE village_code IN {_CODES}", {"codes": batch})
            for statement, lengths in ROLLUP_COUNTS:
                for length in lengths:
                    db.execute(statement, {"codes": batch, "length": length})
            for end_text, band_count in censuses:
                on = dt.date.fromisoformat(end_text)
                bands = bands_of(on)
                if band_count == len(bands):
                    _save_census(db, on, _count_members(db, on, bands, batch))
                else:  # other bands now: that census is counted afresh when asked
                    db.execute("DELETE FROM receiver_rollup_census WHERE period_end = ?",
                               [end_text])
            if incremental:
                _add_to_region(db, in_batch, {"codes": batch}, 1)
        if step is not None:
            step(min(start + ROLLUP_BATCH, len(codes)), len(codes))
    with db.atomic():  # BEGIN IMMEDIATE: the write lock before the first read
        find_duplicates(db)
        if incremental:
            db.execute("DELETE FROM receiver_rollup_region WHERE value = 0")
        else:
            sum_regions(db)
        settings.put(db, ROLLUP_SETTING, f"{ROLLUP_VERSION}:{latest}")
    return len(codes)


@dataclass(frozen=True, slots=True)
class RollupDifference:
    """One figure where the roll-up and a full recount disagree (``None``: no row)."""

    metric: str  # 'act' | 'ben' | 'fund' | 'mem' | 'train'
    period: str
    village_code: str
    key: str
    kept: int | str | None
    recounted: int | str | None


_RECOUNT_TABLES = (
    "CREATE TEMP TABLE IF NOT EXISTS recount_rollup (metric TEXT, period TEXT, "
    "village_code TEXT, key TEXT, value INTEGER)",
    "CREATE TEMP TABLE IF NOT EXISTS recount_trainings (period TEXT, village_code TEXT, "
    "trainings INTEGER, participants INTEGER, graduates INTEGER, employed INTEGER, "
    "business INTEGER, studying INTEGER, not_working INTEGER)",
)
TRAINING_FIGURES = ("trainings", "participants", "graduates", "employed", "business",
                     "studying", "not_working")


def rollup_differences(
    db: sqlite_utils.Database,
    *,
    bands_of: Callable[[dt.date], Sequence[tuple[dt.date, dt.date]]],
    limit: int = 50,
) -> list[RollupDifference]:
    """Recount every figure of the roll-up from the records and say where they differ.

    Why: the views trust the roll-up, which is only recounted for the villages a bundle
    came from; this proves it equals a count from scratch (``kt-desktop check`` and the
    tests run it after imports, re-imports, removals and conflicts). The recount goes to
    TEMP tables with the very statements :func:`refresh_rollup` uses, so the data file is
    not written. Only meaningful when :func:`rollup_is_fresh`.
    """
    owned = not db.conn.in_transaction  # the TEMP writes open one: close it when done
    codes = json.dumps(sorted(
        row[0] for row in db.execute("SELECT DISTINCT village_code FROM imports")))
    for statement in _RECOUNT_TABLES:
        db.execute(statement)
    db.execute("DELETE FROM temp.recount_rollup")
    db.execute("DELETE FROM temp.recount_trainings")
    for statement, lengths in ROLLUP_COUNTS:
        statement = statement.replace(
            "INSERT INTO receiver_rollup_trainings", "INSERT INTO temp.recount_trainings"
        ).replace("INSERT INTO receiver_rollup (", "INSERT INTO temp.recount_rollup (")
        for length in lengths:
            db.execute(statement, {"codes": codes, "length": length})
    for end_text, band_count in db.execute(
        "SELECT period_end, bands FROM receiver_rollup_census"
    ).fetchall():
        on = dt.date.fromisoformat(end_text)
        bands = bands_of(on)
        if band_count != len(bands):
            continue
        values = []
        for row in _count_members(db, on, bands, codes):
            values.append(("mem", end_text, row.village_code, f"{row.sex}:*", row.register))
            values += [("mem", end_text, row.village_code, f"{row.sex}:{index}", count)
                       for index, count in enumerate(row.bands)]
        db.conn.executemany("INSERT INTO temp.recount_rollup VALUES (?, ?, ?, ?, ?)", values)
    rows = db.execute(
        "SELECT r.metric, r.period, r.village_code, r.key, r.value, c.value "
        "FROM main.receiver_rollup r LEFT JOIN temp.recount_rollup c "
        "ON c.metric = r.metric AND c.period = r.period AND c.village_code = r.village_code "
        "AND c.key = r.key WHERE c.value IS NOT r.value "
        "UNION ALL "
        "SELECT c.metric, c.period, c.village_code, c.key, NULL, c.value "
        "FROM temp.recount_rollup c LEFT JOIN main.receiver_rollup r "
        "ON c.metric = r.metric AND c.period = r.period AND c.village_code = r.village_code "
        "AND c.key = r.key WHERE r.metric IS NULL "
        "ORDER BY 3, 1, 2, 4 LIMIT ?",
        [limit],
    ).fetchall()
    found = [RollupDifference(*row) for row in rows]
    figures = ", ".join(TRAINING_FIGURES)
    for side, (first, second) in (("kept", ("main.receiver_rollup_trainings",
                                            "temp.recount_trainings")),
                                  ("recounted", ("temp.recount_trainings",
                                                 "main.receiver_rollup_trainings"))):
        for row in db.execute(
            f"SELECT period, village_code, {figures} FROM {first} EXCEPT "
            f"SELECT period, village_code, {figures} FROM {second} LIMIT ?", [limit]
        ).fetchall():
            text = " ".join(str(value) for value in row[2:])
            found.append(RollupDifference(
                "train", row[0], row[1], "", text if side == "kept" else None,
                text if side == "recounted" else None))
    db.execute("DELETE FROM temp.recount_rollup")
    db.execute("DELETE FROM temp.recount_trainings")
    if owned and db.conn.in_transaction:
        db.conn.commit()  # only TEMP tables were written
    return found[:limit]


# -- the roll-up by kabupaten/kota (migration 24) -------------------------------------------
#: Bump when what ``receiver_rollup_region`` sums changes: it is summed again from the
#: village roll-up (never from the records) at the next count.
REGION_VERSION = "1"
REGION_SETTING = "receiver.rollup_region"
#: A kabupaten/kota's code: the first five characters of its villages' codes ("33.01").
REGION_LENGTH = 5
KELURAHAN_BUCKET = "kelurahan"
NO_STATUS_BUCKET = "none"


def _village_sums(rollup_where: str, with_trainings: bool) -> str:
    """SELECT of the village roll-up summed by metric, period, kabupaten/kota, bucket and
    key (trainings as metric ``train``, one key per figure).

    The bucket is ``kelurahan`` for a kelurahan (its code's village part starts with 1),
    else the desa's status in force in the period's year (the newest status year not after
    it, as :func:`statuses_in_force`), else ``none``.
    """
    trainings = "".join(
        f" UNION ALL SELECT 'train', period, village_code, '{figure}', {figure} "
        f"FROM receiver_rollup_trainings WHERE length(period) < 10 AND {rollup_where}"
        for figure in TRAINING_FIGURES
    ) if with_trainings else ""
    return f"""
        WITH v(metric, period, village_code, key, value) AS (
            SELECT metric, period, village_code, key, value FROM receiver_rollup
            WHERE {rollup_where}{trainings}
        )
        SELECT metric, period, substr(village_code, 1, {REGION_LENGTH}) AS region,
               CASE WHEN substr(village_code, 10, 1) = '1' THEN '{KELURAHAN_BUCKET}'
                    ELSE coalesce((SELECT s.status FROM village_status s
                                   WHERE s.village_code = v.village_code
                                   AND s.year <= CAST(substr(v.period, 1, 4) AS INTEGER)
                                   ORDER BY s.year DESC LIMIT 1), '{NO_STATUS_BUCKET}')
               END AS bucket,
               key, sum(value) AS value
        FROM v GROUP BY 1, 2, 3, 4, 5
    """


_ADD_TO_REGION = """
    INSERT INTO receiver_rollup_region (metric, period, region, bucket, key, value)
    SELECT metric, period, region, bucket, key, :sign * value FROM ({sums})
    WHERE true
    ON CONFLICT (metric, period, region, bucket, key) DO UPDATE
    SET value = value + excluded.value
"""


def _add_to_region(db: sqlite_utils.Database, rollup_where: str, params: dict[str, Any],
                   sign: int, *, with_trainings: bool = True) -> None:
    """Add (``sign`` 1) or take away (-1) the village roll-up rows of ``rollup_where``."""
    db.execute(_ADD_TO_REGION.format(sums=_village_sums(rollup_where, with_trainings)),
               {**params, "sign": sign})


def sum_regions(db: sqlite_utils.Database) -> None:
    """Sum ``receiver_rollup_region`` afresh from the village roll-up (after a count from
    scratch, statuses imported, or a new :data:`REGION_VERSION`). Call inside a write
    transaction."""
    db.execute("DELETE FROM receiver_rollup_region")
    _add_to_region(db, "1", {}, 1)
    settings.put(db, REGION_SETTING, REGION_VERSION)


def regions_are_summed(db: sqlite_utils.Database) -> bool:
    return settings.get(db, REGION_SETTING) == REGION_VERSION


def region_sums(
    db: sqlite_utils.Database, area: str, metric_periods: Sequence[tuple[str, str]]
) -> list[tuple[str, str, str, str, int]]:
    """(metric, kabupaten/kota, bucket, key, value) of the kabupaten/kota in ``area`` (a
    province, or ``""``) for each (metric, period) asked: what a province-wide view reads
    instead of every village's rows."""
    where, params = area_clause("region", area)
    found: list[tuple[str, str, str, str, int]] = []
    for metric, period in metric_periods:
        found += [
            (metric, row[0], row[1], row[2], int(row[3]))
            for row in db.execute(
                "SELECT region, bucket, key, value FROM receiver_rollup_region "
                f"WHERE metric = ? AND period = ? AND value != 0 AND {where}",
                [metric, period, *params],
            )
        ]
    return found


def region_differences(db: sqlite_utils.Database, limit: int = 50) -> list[RollupDifference]:
    """Where the kabupaten/kota sums differ from a sum of the village roll-up (``check``).
    ``village_code`` of a difference is the kabupaten/kota code and its bucket."""
    owned = not db.conn.in_transaction
    db.execute("CREATE TEMP TABLE IF NOT EXISTS recount_region (metric TEXT, period TEXT, "
               "region TEXT, bucket TEXT, key TEXT, value INTEGER)")
    db.execute("DELETE FROM temp.recount_region")
    db.execute(f"INSERT INTO temp.recount_region {_village_sums('1', True)}")
    found = []
    for side, (first, second) in (("kept", ("main.receiver_rollup_region",
                                            "temp.recount_region")),
                                  ("recounted", ("temp.recount_region",
                                                 "main.receiver_rollup_region"))):
        for metric, period, region, bucket, key, value in db.execute(
            f"SELECT metric, period, region, bucket, key, value FROM {first} "
            f"WHERE value != 0 EXCEPT SELECT metric, period, region, bucket, key, value "
            f"FROM {second} WHERE value != 0 LIMIT ?", [limit]
        ).fetchall():
            if side == "recounted" and any(
                (d.metric, d.period, d.village_code, d.key) == (
                    metric, period, f"{region} {bucket}", key) for d in found):
                continue  # the same figure, already listed with both values
            other = db.execute(
                f"SELECT value FROM {second} WHERE metric = ? AND period = ? AND region = ? "
                "AND bucket = ? AND key = ?", [metric, period, region, bucket, key]
            ).fetchone()
            kept, recounted = (value, other and other[0]) if side == "kept" else (
                other and other[0], value)
            found.append(RollupDifference(metric, period, f"{region} {bucket}", key,
                                          kept, recounted))
    db.execute("DELETE FROM temp.recount_region")
    if owned and db.conn.in_transaction:
        db.conn.commit()  # only a TEMP table was written
    return found[:limit]


# -- read-only lists of one village ---------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MemberLine:
    id: str
    name: str
    nik: str  # as stored: the service masks it
    sex: str
    birth_date: str
    dusun: str
    status: str
    position: str
    joined_on: str


@dataclass(frozen=True, slots=True)
class ActivityLine:
    id: str
    start_date: str
    end_date: str
    title: str
    kind: str
    status: str
    place: str
    beneficiaries: int
    funds: int


@dataclass(frozen=True, slots=True)
class TrainingLine:
    id: str
    title: str
    skill_field: str
    kind: str
    partner: str
    start_date: str
    end_date: str
    participants: int
    sessions: int


@dataclass(frozen=True, slots=True)
class VillageList(Generic[T]):
    """One read-only list of a village's live records: the table (with the alias its
    columns use), the columns as :class:`Shape` reads them, and the order of a page."""

    table: str
    shape: Shape[T]
    order: str


#: Live members of the village by name.
MEMBER_LIST = VillageList(
    "members",
    Shape(MemberLine, "id, name, nik, sex, birth_date, dusun, status, position, joined_on",
          name=or_empty, nik=or_empty, sex=or_empty, birth_date=or_empty, dusun=or_empty,
          status=or_empty, position=or_empty, joined_on=or_empty),
    "name COLLATE NOCASE, rowid",
)
#: Live activities of the village, newest first, with their people and money.
ACTIVITY_LIST = VillageList(
    "activities a",
    Shape(ActivityLine,
          "a.id, a.start_date, a.end_date, a.title, a.kind, a.status, a.place, "
          "(SELECT coalesce(sum(b.count), 0) FROM activity_beneficiaries b "
          " WHERE b.activity_id = a.id AND b.deleted_at IS NULL) AS beneficiaries, "
          "(SELECT coalesce(sum(f.amount), 0) FROM activity_funds f "
          " WHERE f.activity_id = a.id AND f.deleted_at IS NULL) AS funds",
          end_date=or_empty, kind=or_empty, place=or_empty, beneficiaries=int, funds=int),
    "a.start_date DESC, a.rowid DESC",
)
#: Live trainings of the village, newest first (the partner, else the organiser).
TRAINING_LIST = VillageList(
    "trainings t",
    Shape(TrainingLine,
          "t.id, t.title, t.skill_field, t.kind, "
          "coalesce(nullif(t.partner, ''), t.organizer) AS partner, t.start_date, t.end_date, "
          "(SELECT count(*) FROM training_participants p "
          " WHERE p.training_id = t.id AND p.deleted_at IS NULL) AS participants, "
          "(SELECT count(*) FROM training_sessions s "
          " WHERE s.training_id = t.id AND s.deleted_at IS NULL) AS sessions",
          skill_field=or_empty, kind=or_empty, partner=or_empty),
    "t.start_date DESC, t.rowid DESC",
)


def count_village_rows(db: sqlite_utils.Database, listing: VillageList[Any],
                       village_code: str) -> int:
    """How many live records ``listing`` has for the village (the pages' total)."""
    return int(db.execute(
        f"SELECT count(*) FROM {listing.table} WHERE village_code = ? AND deleted_at IS NULL",
        [village_code],
    ).fetchone()[0])


def village_rows(db: sqlite_utils.Database, listing: VillageList[T], village_code: str, *,
                 limit: int, offset: int) -> list[T]:
    """One page of ``listing`` for the village, in the listing's order."""
    return listing.shape.select(
        db,
        f"FROM {listing.table} WHERE village_code = ? AND deleted_at IS NULL "
        f"ORDER BY {listing.order} LIMIT ? OFFSET ?",
        [village_code, limit, offset],
    )


def village_members(
    db: sqlite_utils.Database, village_code: str, *, limit: int, offset: int
) -> list[MemberLine]:
    """Live members of the village by name, one page (as the demo script reads them)."""
    return village_rows(db, MEMBER_LIST, village_code, limit=limit, offset=offset)


# -- duplicates -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DuplicateMember:
    """A live member whose NIK is also live in another village."""

    nik: str
    village_code: str
    member_id: str
    name: str
    sex: str
    birth_date: str
    status: str
    joined_on: str
    updated_at: str
    villages: int  # how many villages the NIK is live in, listed or not


#: Live members whose NIK is also live in another village (one row per NIK and village:
#: a NIK is live at most once per village, idx_members_village_nik; OR IGNORE if not).
_FIND_DUPLICATES = f"""
    INSERT OR IGNORE INTO receiver_duplicates (nik, village_code)
    SELECT nik, village_code FROM members
    WHERE {LIVE_NIK}
      AND nik IN (
        SELECT nik FROM members WHERE {LIVE_NIK}
        GROUP BY nik HAVING min(village_code) != max(village_code))
"""


def find_duplicates(db: sqlite_utils.Database) -> None:
    """Find the duplicated NIKs again, and in how many villages each is live (in the
    caller's transaction; :func:`refresh_rollup` calls it)."""
    db.execute("DELETE FROM receiver_duplicates")
    db.execute("DELETE FROM receiver_duplicate_niks")
    db.execute(_FIND_DUPLICATES)
    db.execute(COUNT_DUPLICATE_VILLAGES)


def count_duplicate_niks(db: sqlite_utils.Database, area: str) -> int:
    """How many NIKs are live members of two or more villages, one of them in the area.

    Read from ``receiver_duplicate_niks`` (the whole file: one row per NIK) or
    ``receiver_duplicates`` (an area: its villages' rows), found again by
    :func:`refresh_rollup`.
    """
    if not area:
        return int(db.execute("SELECT count(*) FROM receiver_duplicate_niks").fetchone()[0])
    where, params = area_clause("village_code", area)
    return int(
        db.execute(
            f"SELECT count(DISTINCT nik) FROM receiver_duplicates WHERE {where}", params
        ).fetchone()[0]
    )


def duplicate_members(
    db: sqlite_utils.Database, area: str, *, limit: int, offset: int, per_nik: int
) -> list[DuplicateMember]:
    """The members behind one page of duplicated NIKs (``limit`` NIKs in NIK order): at most
    ``per_nik`` of each, the newest by join date first, and with each in how many villages
    the NIK is live in all.

    The villages listed may lie outside the area. What is read is bounded by the page, not
    by the villages of a NIK: the page's NIKs and their counts come from
    ``receiver_duplicate_niks`` (for an area: its villages' NIKs), and each NIK's newest
    registrations are read in join-date order from ``idx_receiver_members_nik_joined`` with
    a LIMIT, so the other villages of a NIK live in thousands are never touched. (A
    ``ROW_NUMBER() OVER (PARTITION BY nik …) <= ?`` would read and number every one of
    them: 2.9 s instead of 0.02 s for 150 NIKs live in 2,000 villages each.) Ties on the join
    date go to the larger village code, as :attr:`DuplicateGroup.newest` decides.
    """
    if area:
        where, params = area_clause("village_code", area)
        in_area = f"WHERE n.nik IN (SELECT nik FROM receiver_duplicates WHERE {where})"
    else:
        in_area, params = "", []
    rows = db.execute(
        f"""
        WITH d AS (SELECT n.nik, n.villages FROM receiver_duplicate_niks n {in_area}
                   ORDER BY n.nik LIMIT ? OFFSET ?)
        SELECT m.nik, m.village_code, m.id, coalesce(m.name, ''), coalesce(m.sex, ''),
               coalesce(m.birth_date, ''), coalesce(m.status, ''), coalesce(m.joined_on, ''),
               m.updated_at, d.villages
        FROM d JOIN members m ON m.rowid IN (
            SELECT rowid FROM members WHERE nik = d.nik AND {LIVE_NIK}
            ORDER BY joined_on DESC, village_code DESC LIMIT ?)
        ORDER BY m.nik, m.joined_on DESC, m.village_code DESC
        """,
        [*params, limit, offset, per_nik],
    ).fetchall()
    return [DuplicateMember(*row[:9], int(row[9])) for row in rows]


# -- village status -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class StatusRow:
    village_code: str
    year: int
    status: str  # mandiri | berkembang | tertinggal
    source: str


def save_statuses(db: sqlite_utils.Database, rows: Sequence[StatusRow], imported_at: str) -> int:
    """Insert or replace the status of each (village, year); returns the rows written.

    A desa's status is its bucket in the kabupaten sums: its rows leave the sums before and
    come back after (call inside a write transaction)."""
    changed = {"codes": json.dumps(sorted({row.village_code for row in rows}))}
    _add_to_region(db, f"village_code IN {_CODES}", changed, -1)
    db.conn.executemany(
        "INSERT INTO village_status (village_code, year, status, source, imported_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(village_code, year) DO UPDATE SET "
        "status = excluded.status, source = excluded.source, imported_at = excluded.imported_at",
        [(row.village_code, row.year, row.status, row.source, imported_at) for row in rows],
    )
    _add_to_region(db, f"village_code IN {_CODES}", changed, 1)
    return len(rows)


def statuses_in_force(db: sqlite_utils.Database, area: str, year: int) -> dict[str, StatusRow]:
    """Per village: the status of the newest year not after ``year``."""
    where, params = area_clause("v.village_code", area)
    rows = db.execute(
        f"""
        SELECT v.village_code, v.year, v.status, v.source FROM village_status v
        WHERE {where} AND v.year = (SELECT max(w.year) FROM village_status w
                                    WHERE w.village_code = v.village_code AND w.year <= ?)
        """,
        [*params, year],
    ).fetchall()
    return {row[0]: StatusRow(row[0], int(row[1]), row[2], row[3]) for row in rows}


def status_years(db: sqlite_utils.Database) -> list[int]:
    return [int(row[0]) for row in db.execute(
        "SELECT DISTINCT year FROM village_status ORDER BY year"
    )]


# -- the receiver's own profile -------------------------------------------------------------
def receiver_profile(db: sqlite_utils.Database, area_code: str) -> Profile | None:
    """The receiver's own profile row: the one with its area code.

    On a receiver the ``profile`` table also holds every village's profile (they travel in
    bundles), so "the first profile" may be a village's.
    """
    cursor = db.execute(
        "SELECT * FROM profile WHERE village_code = ? AND deleted_at IS NULL "
        "ORDER BY updated_at DESC LIMIT 1",
        [area_code],
    )
    row = cursor.fetchone()
    if row is None:
        return None
    data = dict(zip([d[0] for d in cursor.description], row, strict=True))
    profile = Profile(id=data["id"], version=data["version"], village_code=area_code,
                      logo=data.get("logo"), logo_mime=data.get("logo_mime"))
    for name in ("name", "short_name", "street", "rt", "rw", "dusun", "postal_code", "phone",
                 "email", "ketua", "sekretaris", "bendahara", "kepala_desa", "sk_number"):
        setattr(profile, name, data.get(name) or "")
    return profile


# -- streaming whole tables (the workbook and CSV export) -----------------------------------
@dataclass(frozen=True, slots=True)
class ExportQuery:
    """One exported table: its SELECT list, FROM (ending in a WHERE), the column the area
    and the one the period filter on (``None``: every live row), and the order."""

    select: str
    source: str
    area_column: str
    period_column: str | None
    order: str


#: Sheet key -> query. The service names the columns; the SELECT list is in their order.
#: A child row (a beneficiary, a fund, a participant, a follow-up) and the member a
#: participant names are found by the parent's village *and* id, through the village-led
#: indexes of migration 26: a province's rows of a village lie together there, so the
#: look-ups of one village read neighbouring pages instead of one random page each (the
#: workbook of Jawa Tengah read 57 s, now 26 s; docs/BENCHMARK.md). A village's own
#: program only ever links its own records; a row naming another village's record (which
#: only a forged bundle could hold) is left out, so a village's figures are its own rows.
#: ``CROSS JOIN`` keeps the parent the outer loop (SQLite's documented way to fix the join
#: order): a planner without statistics would otherwise read the children by village and
#: look each parent up by its random id.
EXPORTS: dict[str, ExportQuery] = {
    "members": ExportQuery(
        "m.village_code, m.id, m.name, m.nik, m.sex, m.birth_place, m.birth_date, m.religion, "
        "m.dusun, m.rt, m.rw, m.education, m.occupation, m.disability, m.status, m.joined_on, "
        "m.left_on, m.left_reason, m.position, m.seksi, m.updated_at",
        "members m WHERE m.deleted_at IS NULL",
        "m.village_code",
        None,
        "m.village_code, m.name COLLATE NOCASE, m.rowid",
    ),
    "activities": ExportQuery(
        "a.village_code, a.id, a.start_date, a.end_date, a.title, a.kind, a.status, a.place, "
        "a.section, a.partner, a.campaign, a.volunteers, "
        "(SELECT coalesce(sum(f.amount), 0) FROM activity_funds f "
        " WHERE f.village_code = a.village_code AND f.activity_id = a.id"
        " AND f.deleted_at IS NULL), a.updated_at",
        "activities a WHERE a.deleted_at IS NULL",
        "a.village_code",
        "a.start_date",
        "a.village_code, a.start_date, a.rowid",
    ),
    "beneficiaries": ExportQuery(
        "a.village_code, b.activity_id, a.start_date, a.status, b.ppks, b.sex, b.age_band, "
        "b.count",
        "activities a CROSS JOIN activity_beneficiaries b "
        "ON b.village_code = a.village_code AND b.activity_id = a.id "
        "AND b.deleted_at IS NULL WHERE a.deleted_at IS NULL",
        "a.village_code",
        "a.start_date",
        "a.village_code, a.start_date, a.rowid, b.ppks, b.sex, b.age_band",
    ),
    "trainings": ExportQuery(
        "t.village_code, t.id, t.title, t.skill_field, t.kind, t.organizer, t.partner, "
        "t.partner_kind, t.place, t.start_date, t.end_date, t.quota, t.cost, t.funding_source, "
        "t.min_attendance_pct, t.min_post_score, t.updated_at",
        "trainings t WHERE t.deleted_at IS NULL",
        "t.village_code",
        "t.start_date",
        "t.village_code, t.start_date, t.rowid",
    ),
    "participants": ExportQuery(
        "t.village_code, p.training_id, p.id, p.member_id, coalesce(m.name, p.name), "
        "coalesce(m.nik, p.nik), coalesce(m.sex, p.sex), coalesce(m.birth_date, p.birth_date), "
        "p.pre_score, p.post_score, p.result_override",
        "trainings t CROSS JOIN training_participants p "
        "ON p.village_code = t.village_code AND p.training_id = t.id "
        "AND p.deleted_at IS NULL LEFT JOIN members m "
        "ON m.village_code = t.village_code AND m.id = p.member_id "
        "AND m.deleted_at IS NULL WHERE t.deleted_at IS NULL",
        "t.village_code",
        "t.start_date",
        "t.village_code, t.start_date, t.rowid, p.rowid",
    ),
    "outcomes": ExportQuery(
        "t.village_code, o.training_id, o.participant_id, o.checkpoint_months, o.recorded_on, "
        "o.status, o.detail, o.monthly_income",
        "trainings t CROSS JOIN training_outcomes o "
        "ON o.village_code = t.village_code AND o.training_id = t.id "
        "AND o.deleted_at IS NULL WHERE t.deleted_at IS NULL",
        "t.village_code",
        "t.start_date",
        "t.village_code, t.start_date, o.participant_id, o.checkpoint_months",
    ),
}


def stream_export(
    db: sqlite_utils.Database,
    sheet: str,
    area: str,
    period: tuple[dt.date, dt.date] | None = None,
) -> Iterator[tuple[Any, ...]]:
    """Every live row of ``sheet`` in ``area`` (and ``period``), one at a time."""
    query = EXPORTS[sheet]
    where, params = area_clause(query.area_column, area)
    if period is not None and query.period_column is not None:
        where += f" AND {query.period_column} BETWEEN ? AND ?"
        params += [period[0].isoformat(), period[1].isoformat()]
    cursor = db.conn.execute(
        f"SELECT {query.select} FROM {query.source} AND {where} ORDER BY {query.order}", params
    )
    try:
        while True:
            chunk = cursor.fetchmany(5000)
            if not chunk:
                return
            yield from chunk
    finally:
        cursor.close()


# -- bulk rows for the scale demo (scripts/make_banten_demo.py) -----------------------------
def reserve_change_seqs(db: sqlite_utils.Database, count: int) -> int:
    """Take ``count`` change numbers at once; returns the first (inside a transaction)."""
    first = records.current_change_seq(db) + 1
    db.execute(
        "INSERT INTO counters(name, value) VALUES('change_seq', ?) "
        "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
        [first + count - 1],
    )
    return first


def insert_record_rows(
    db: sqlite_utils.Database, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert rows that already carry their identity columns (generated demo data).

    ``table`` and ``columns`` must name existing ones (checked, since they go into SQL).
    """
    known = {row[1] for row in db.execute(f"PRAGMA table_info([{table}])")}
    if not known or not set(columns) <= known:
        raise ValueError(f"unknown table or columns: {table} {sorted(set(columns) - known)}")
    names = ", ".join(f"[{column}]" for column in columns)
    marks = ", ".join("?" for _column in columns)
    db.conn.executemany(f"INSERT INTO [{table}] ({names}) VALUES ({marks})", rows)


def analyze(db: sqlite_utils.Database) -> None:
    """Refresh the planner's statistics after a bulk load (``ANALYZE``)."""
    db.execute("ANALYZE")


def imports_count(db: sqlite_utils.Database) -> int:
    """How many paket data this receiver has accepted."""
    return int(db.execute("SELECT count(*) FROM imports").fetchone()[0])
