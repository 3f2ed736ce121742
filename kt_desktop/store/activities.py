"""The Buku Kegiatan in SQL: listing a month, loading and saving one activity with its children.

Children (participants, beneficiary cells, funds, photos) are saved by **updating in place**:
each stored child is matched with the edited one by its natural key — the member for a
participant, (category, sex, band) for a beneficiary cell, the row id for a fund or photo —
and only what changed is written: a changed row is updated (version + 1), a new one inserted,
a dropped one tombstoned. So an edit that fixes one count sends one row in the next bundle,
and the audit log says exactly what happened. A re-added participant gets a new row (the old
tombstone stays, as every tombstone does).

Removing an activity tombstones it and every live child in one transaction.

Members are read from the ``members`` table (migration 2) only for names and the participant
picker; nothing here writes members.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from kt_desktop.domain.activities import Activity, BeneficiaryKey, Fund, Participant
from kt_desktop.store import attachments, records
from kt_desktop.store.rows import Shape, iso_date, optional_date, or_empty, or_zero

TABLE = "activities"
OWNER = "activities"  # attachments.owner_table of an activity's photos
#: Cleared when an activity is removed: notulen may name people.
PERSONAL_COLUMNS = ("description",)
PARTICIPANT_PERSONAL = ("member_id",)
FUND_PERSONAL = ("note",)

#: Sort keys the page offers -> the SQL expression sorted on; the start date, the title and
#: the id follow as tie-breakers so that paging with LIMIT/OFFSET is stable.
ORDERS: dict[str, str] = {
    "date": "a.start_date",
    "title": "a.title COLLATE NOCASE",
    "kind": "a.kind COLLATE NOCASE",
    "status": "a.status",
    "place": "a.place COLLATE NOCASE",
    "partner": "a.partner COLLATE NOCASE",
}


#: Columns offering suggestions in the form and values in the filters.
SUGGESTION_COLUMNS = ("kind", "section", "partner", "campaign", "place")


@dataclass(frozen=True, slots=True)
class ActivityFilter:
    """What the page lists. ``month`` is any day of the month wanted; None lists every month.

    An activity belongs to the month it starts in (as the monthly report counts it).
    """

    month: dt.date | None = None
    kind: str = ""
    status: str = ""
    section: str = ""
    campaign: str = ""
    search: str = ""


@dataclass(frozen=True, slots=True)
class ActivityHeading:
    """What every listing of activities shows of one (the page's list, the reports' tables)."""

    id: str
    title: str
    kind: str
    status: str
    start: dt.date
    end: dt.date | None
    place: str


@dataclass(frozen=True, slots=True)
class ActivityRow(ActivityHeading):
    """One line of the list, with the children already counted in SQL."""

    village_code: str
    section: str
    partner: str
    campaign: str
    attended: int
    volunteers: int
    beneficiaries: int
    funds: int
    photos: int


@dataclass(frozen=True, slots=True)
class MemberActivity:
    """One line of a member's history: an activity they were listed in."""

    activity_id: str
    title: str
    kind: str
    status: str
    start: dt.date
    attended: bool


# -- listing ------------------------------------------------------------------------------------


def month_bounds(day: dt.date) -> tuple[str, str]:
    """First day of ``day``'s month and first day of the next, as ISO strings."""
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first.isoformat(), following.isoformat()


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(flt: ActivityFilter) -> tuple[str, list[Any]]:
    clauses = ["a.deleted_at IS NULL"]
    params: list[Any] = []
    if flt.month is not None:
        first, following = month_bounds(flt.month)
        clauses.append("a.start_date >= ? AND a.start_date < ?")
        params += [first, following]
    for column, value in (
        ("kind", flt.kind), ("status", flt.status), ("section", flt.section),
        ("campaign", flt.campaign),
    ):
        if value:
            clauses.append(f"a.{column} = ?")
            params.append(value)
    for word in flt.search.split():
        clauses.append(
            "(a.title LIKE ? ESCAPE '\\' OR a.place LIKE ? ESCAPE '\\' "
            "OR a.partner LIKE ? ESCAPE '\\')"
        )
        params += [_like(word)] * 3
    return " AND ".join(clauses), params


def _source(flt: ActivityFilter) -> str:
    """A search reads the covering search index: 50,000 short entries, not 50,000 rows.

    Without a search the planner's own choice (month or filter index) is the better one.
    """
    if flt.search.split():
        return "activities a INDEXED BY idx_activities_search"
    return "activities a"


def count(db: sqlite_utils.Database, flt: ActivityFilter) -> int:
    where, params = _where(flt)
    return int(db.execute(f"SELECT count(*) FROM {_source(flt)} WHERE {where}", params)
               .fetchone()[0])


_ROW = Shape(
    ActivityRow,
    """
    a.id, a.village_code, a.title, a.kind, a.status, a.start_date AS start, a.end_date AS "end",
    a.place, a.section, a.partner, a.campaign,
    (SELECT count(*) FROM activity_participants p
      WHERE p.activity_id = a.id AND p.deleted_at IS NULL AND p.attended = 1) AS attended,
    a.volunteers,
    (SELECT coalesce(sum(b.count), 0) FROM activity_beneficiaries b
      WHERE b.activity_id = a.id AND b.deleted_at IS NULL) AS beneficiaries,
    (SELECT coalesce(sum(f.amount), 0) FROM activity_funds f
      WHERE f.activity_id = a.id AND f.deleted_at IS NULL) AS funds,
    (SELECT count(*) FROM attachments t
      WHERE t.owner_table = 'activities' AND t.owner_id = a.id AND t.deleted_at IS NULL) AS photos
    """,
    start=iso_date, end=optional_date, place=or_empty, section=or_empty, partner=or_empty,
    campaign=or_empty, attended=int, volunteers=or_zero, beneficiaries=int, funds=int, photos=int,
)


def _order_by(order: str, descending: bool) -> str:
    direction = "DESC" if descending else "ASC"
    return (
        f"{ORDERS.get(order, ORDERS['date'])} {direction}, a.start_date {direction}, "
        "a.title COLLATE NOCASE, a.id"
    )


def _rows_for(db: sqlite_utils.Database, ids: Sequence[str], order_by: str) -> list[ActivityRow]:
    """The full rows (children counted) of one page of ids, in the page's order."""
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    return _ROW.select(db, f"FROM activities a WHERE a.id IN ({marks}) ORDER BY {order_by}", ids)


def page(
    db: sqlite_utils.Database,
    flt: ActivityFilter,
    *,
    offset: int = 0,
    limit: int = 256,
    order: str = "date",
    descending: bool = False,
) -> list[ActivityRow]:
    """One page of the list, filtered, searched and sorted in SQL (``order``: a key of
    :data:`ORDERS`).

    The page's ids are chosen (filtered, sorted, limited) on narrow index entries first;
    only those rows are then read whole, with their children counted.
    """
    where, params = _where(flt)
    order_by = _order_by(order, descending)
    ids = [
        row[0]
        for row in db.execute(
            f"SELECT a.id FROM {_source(flt)} WHERE {where} ORDER BY {order_by} "
            "LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
    ]
    return _rows_for(db, ids, order_by)


def row(db: sqlite_utils.Database, activity_id: str) -> ActivityRow | None:
    return _ROW.select_one(
        db, "FROM activities a WHERE a.id = ? AND a.deleted_at IS NULL", [activity_id]
    )


def distinct_values(db: sqlite_utils.Database, column: str) -> list[str]:
    """Values in use for ``column`` (one of :data:`SUGGESTION_COLUMNS`), most used first."""
    if column not in SUGGESTION_COLUMNS:
        raise ValueError(f"no suggestions for {column}")
    # every suggested column leads an index or is in the covering search index
    source = "activities INDEXED BY idx_activities_search" if column in ("place", "partner") \
        else "activities"
    rows = db.execute(
        f"SELECT {column}, count(*) AS n FROM {source} "
        f"WHERE deleted_at IS NULL AND coalesce({column}, '') != '' "
        f"GROUP BY {column} ORDER BY n DESC, {column} COLLATE NOCASE LIMIT 200"
    ).fetchall()
    return [row[0] for row in rows]


# -- one activity -------------------------------------------------------------------------------


def _member_names(db: sqlite_utils.Database, member_ids: Sequence[str]) -> dict[str, str]:
    if not member_ids or "members" not in db.table_names():
        return {}
    names: dict[str, str] = {}
    ids = list(member_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for member_id, name in db.execute(
            f"SELECT id, name FROM members WHERE id IN ({marks})", chunk
        ).fetchall():
            names[member_id] = name or ""
    return names


_ACTIVITY = Shape(
    Activity,
    'id, version, title, kind, status, start_date AS start, end_date AS "end", place, section, '
    "partner, campaign, description, volunteers, program_line_id AS program_line",
    version=int, start=iso_date, end=optional_date, place=or_empty, section=or_empty,
    partner=or_empty, campaign=or_empty, description=or_empty, volunteers=or_zero,
    program_line=or_empty,
)


def load(db: sqlite_utils.Database, activity_id: str) -> Activity | None:
    """A live activity with its children (photos as thumbnails), None when it is gone."""
    activity = _ACTIVITY.select_one(
        db, "FROM activities WHERE id = ? AND deleted_at IS NULL", [activity_id]
    )
    if activity is None:
        return None
    participants = db.execute(
        "SELECT id, member_id, attended FROM activity_participants "
        "WHERE activity_id = ? AND deleted_at IS NULL ORDER BY rowid",
        [activity_id],
    ).fetchall()
    names = _member_names(db, [row[1] for row in participants if row[1]])
    activity.participants = [
        Participant(id=rid, member_id=member_id, attended=bool(attended),
                    name=names.get(member_id, ""))
        for rid, member_id, attended in participants
        if member_id
    ]
    activity.participants.sort(key=lambda p: p.name.casefold())
    activity.beneficiaries = {
        (int(code), sex, band): int(n)
        for code, sex, band, n in db.execute(
            "SELECT ppks, sex, age_band, count FROM activity_beneficiaries "
            "WHERE activity_id = ? AND deleted_at IS NULL",
            [activity_id],
        ).fetchall()
    }
    activity.funds = [
        Fund(id=rid, source=source, amount=int(amount), note=note or "")
        for rid, source, amount, note in db.execute(
            "SELECT id, source, amount, note FROM activity_funds "
            "WHERE activity_id = ? AND deleted_at IS NULL ORDER BY rowid",
            [activity_id],
        ).fetchall()
    ]
    activity.photos = attachments.list_for(db, OWNER, activity_id)
    return activity


def _values(activity: Activity) -> dict[str, Any]:
    assert activity.start is not None
    return {
        "title": activity.title.strip(),
        "kind": activity.kind.strip(),
        "status": activity.status,
        "start_date": activity.start.isoformat(),
        "end_date": activity.end.isoformat() if activity.end and activity.end != activity.start
        else None,
        "place": activity.place.strip(),
        "section": activity.section.strip(),
        "partner": activity.partner.strip(),
        "campaign": activity.campaign.strip(),
        "description": activity.description.strip(),
        "volunteers": activity.volunteers,
        "program_line_id": activity.program_line or None,
    }


def insert(
    db: sqlite_utils.Database, activity: Activity, *, village_code: str, actor: str
) -> str:
    """Write a new (validated) activity and its children in one transaction; returns its id."""
    with db.atomic():
        activity_id = records.insert(
            db, TABLE, _values(activity), village_code=village_code, actor=actor,
            audit_detail=activity.title.strip()[:80],
        )
        _sync_children(db, activity_id, activity, village_code=village_code, actor=actor)
    return activity_id


def update(
    db: sqlite_utils.Database, activity: Activity, *, village_code: str, actor: str
) -> None:
    """Write the changes of an edited activity; untouched rows are not rewritten."""
    assert activity.id is not None
    with db.atomic():
        current = db.execute(
            "SELECT title, kind, status, start_date, end_date, place, section, partner, "
            "campaign, description, volunteers, program_line_id FROM activities "
            "WHERE id = ? AND deleted_at IS NULL",
            [activity.id],
        ).fetchone()
        new_values = _values(activity)
        if current is None or tuple(new_values.values()) != tuple(current):
            # records.update refuses a record that is gone (NotFoundError)
            records.update(
                db, TABLE, activity.id, new_values, actor=actor,
                audit_detail=activity.title.strip()[:80],
            )
        _sync_children(db, activity.id, activity, village_code=village_code, actor=actor)


def remove(db: sqlite_utils.Database, activity_id: str, *, actor: str) -> None:
    """Tombstone the activity and all its live children."""
    with db.atomic():
        detail = f"activity {activity_id}"
        for table, clear in (
            ("activity_participants", PARTICIPANT_PERSONAL),
            ("activity_beneficiaries", ()),
            ("activity_funds", FUND_PERSONAL),
        ):
            for (child_id,) in db.execute(
                f"SELECT id FROM {table} WHERE activity_id = ? AND deleted_at IS NULL",
                [activity_id],
            ).fetchall():
                records.tombstone(db, table, child_id, clear=clear, actor=actor,
                                  audit_detail=detail)
        attachments.remove_all(db, OWNER, activity_id, actor=actor)
        records.tombstone(db, TABLE, activity_id, clear=PERSONAL_COLUMNS, actor=actor)


# -- children -----------------------------------------------------------------------------------


def _sync_children(
    db: sqlite_utils.Database, activity_id: str, activity: Activity, *, village_code: str,
    actor: str,
) -> None:
    detail = f"activity {activity_id}"
    _sync_participants(db, activity_id, activity.participants, village_code, actor, detail)
    _sync_beneficiaries(db, activity_id, activity.beneficiaries, village_code, actor, detail)
    _sync_funds(db, activity_id, activity.funds, village_code, actor, detail)
    attachments.sync(db, OWNER, activity_id, activity.photos, village_code=village_code,
                     actor=actor)


def _sync_rows(
    db: sqlite_utils.Database,
    table: str,
    activity_id: str,
    stored: Mapping[Any, tuple[str, dict[str, Any]]],
    wanted: Iterable[tuple[Any, dict[str, Any], dict[str, Any]]],
    *,
    clear: Sequence[str],
    village_code: str,
    actor: str,
    detail: str,
) -> list[str]:
    """Make an activity's live rows of the child ``table`` what the form holds.

    ``stored``: key -> (row id, the columns that may change) of the rows in the file;
    ``wanted``: (key, the values of a new row, the columns that may change), in the form's
    order (a row the form added has a key not stored, e.g. None). A wanted row not stored is
    inserted, a stored row whose columns differ is updated, a stored row no longer wanted is
    removed (its ``clear`` columns emptied). Returns the row id of each wanted row, in order.
    """
    ids: list[str] = []
    keep = set()
    for key, values, columns in wanted:
        if key not in stored:
            rid = records.insert(db, table, {"activity_id": activity_id, **values},
                                 village_code=village_code, actor=actor, audit_detail=detail)
        else:
            rid, current = stored[key]
            if current != columns:
                records.update(db, table, rid, columns, actor=actor, audit_detail=detail)
        keep.add(key)
        ids.append(rid)
    for key, (rid, _current) in stored.items():
        if key not in keep:
            records.tombstone(db, table, rid, clear=clear, actor=actor, audit_detail=detail)
    return ids


def _children(db: sqlite_utils.Database, table: str, columns: str, activity_id: str) -> list[Any]:
    """``columns`` of the activity's live rows of the child ``table``."""
    return db.execute(
        f"SELECT {columns} FROM {table} WHERE activity_id = ? AND deleted_at IS NULL",
        [activity_id],
    ).fetchall()


def _sync_participants(
    db: sqlite_utils.Database, activity_id: str, wanted: Sequence[Participant],
    village_code: str, actor: str, detail: str,
) -> None:
    stored = {
        member_id: (rid, {"attended": int(attended)})
        for rid, member_id, attended in _children(
            db, "activity_participants", "id, member_id, attended", activity_id
        )
    }
    ids = _sync_rows(
        db, "activity_participants", activity_id, stored,
        [
            (p.member_id, {"member_id": p.member_id, "attended": int(p.attended)},
             {"attended": int(p.attended)})
            for p in wanted
        ],
        clear=PARTICIPANT_PERSONAL, village_code=village_code, actor=actor, detail=detail,
    )
    for participant, rid in zip(wanted, ids, strict=True):
        participant.id = rid


def _sync_beneficiaries(
    db: sqlite_utils.Database, activity_id: str, wanted: dict[BeneficiaryKey, int],
    village_code: str, actor: str, detail: str,
) -> None:
    stored = {
        (int(code), sex, band): (rid, {"count": int(n)})
        for rid, code, sex, band, n in _children(
            db, "activity_beneficiaries", "id, ppks, sex, age_band, count", activity_id
        )
    }
    _sync_rows(
        db, "activity_beneficiaries", activity_id, stored,
        [
            ((code, sex, band), {"ppks": code, "sex": sex, "age_band": band, "count": n},
             {"count": n})
            for (code, sex, band), n in sorted(wanted.items())
            if n > 0
        ],
        clear=(), village_code=village_code, actor=actor, detail=detail,
    )


def _sync_funds(
    db: sqlite_utils.Database, activity_id: str, wanted: Sequence[Fund], village_code: str,
    actor: str, detail: str,
) -> None:
    stored = {
        rid: (rid, {"source": source, "amount": int(amount), "note": note or ""})
        for rid, source, amount, note in _children(
            db, "activity_funds", "id, source, amount, note", activity_id
        )
    }
    values = [
        {"source": fund.source, "amount": fund.amount, "note": fund.note.strip()}
        for fund in wanted
    ]
    ids = _sync_rows(
        db, "activity_funds", activity_id, stored,
        [(fund.id, value, value) for fund, value in zip(wanted, values, strict=True)],
        clear=FUND_PERSONAL, village_code=village_code, actor=actor, detail=detail,
    )
    for fund, rid in zip(wanted, ids, strict=True):
        fund.id = rid


# -- members ------------------------------------------------------------------------------------


def member_history(db: sqlite_utils.Database, member_id: str) -> list[MemberActivity]:
    """The live activities a member is listed in, newest first."""
    rows = db.execute(
        "SELECT a.id, a.title, a.kind, a.status, a.start_date, p.attended "
        "FROM activity_participants p JOIN activities a ON a.id = p.activity_id "
        "WHERE p.member_id = ? AND p.deleted_at IS NULL AND a.deleted_at IS NULL "
        "ORDER BY a.start_date DESC, a.title",
        [member_id],
    ).fetchall()
    return [
        MemberActivity(
            activity_id=rid, title=title, kind=kind, status=status,
            start=dt.date.fromisoformat(start), attended=bool(attended),
        )
        for rid, title, kind, status, start, attended in rows
    ]


def participant_ids(db: sqlite_utils.Database, activity_id: str) -> list[str]:
    return [
        row[0]
        for row in db.execute(
            "SELECT member_id FROM activity_participants "
            "WHERE activity_id = ? AND deleted_at IS NULL AND member_id IS NOT NULL",
            [activity_id],
        ).fetchall()
    ]


def live_member_ids(db: sqlite_utils.Database, member_ids: Sequence[str]) -> set[str]:
    """Which of ``member_ids`` are live members of this file."""
    if "members" not in db.table_names():
        return set()
    found: set[str] = set()
    ids = list(dict.fromkeys(member_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(
            row[0]
            for row in db.execute(
                f"SELECT id FROM members WHERE id IN ({marks}) AND deleted_at IS NULL", chunk
            ).fetchall()
        )
    return found


def member_ids(db: sqlite_utils.Database, *, status: str = "aktif") -> list[str]:
    """Ids of the live members with ``status``, in name order (the demo draws from them)."""
    if "members" not in db.table_names():
        return []
    return [
        row[0]
        for row in db.execute(
            "SELECT id FROM members WHERE deleted_at IS NULL AND status = ? "
            "ORDER BY name COLLATE NOCASE, rowid",
            [status],
        ).fetchall()
    ]

