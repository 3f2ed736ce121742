"""The SQL of every declared book: its table, paged lists, counts and writes.

Generic over :class:`~kt_desktop.domain.book.BookSpec`: column and table names come only from
the declaration (checked to be plain lower-case names when it is built), values always go as
parameters. Writes go through :mod:`kt_desktop.store.records`, so identity columns, the change
counter, tombstones and the audit line are the same as for every other record table.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from kt_desktop.domain.book import CHOICE, DATE, NUMERIC, BookRecord, BookSpec, ChildRows
from kt_desktop.store import records

_TYPES = dict.fromkeys(NUMERIC, int)
_CODE = re.compile(r"^[a-z0-9_]+$")
#: What a ``Field.lookup`` points at: the table and the column that names a record there.
LOOKUP_LABELS: dict[str, tuple[str, str]] = {
    "activity": ("activities", "title"),
    "member": ("members", "name"),
    "program": ("work_programme", "activity"),
}


@dataclass(frozen=True, slots=True)
class BookQuery:
    """What the list shows: words searched in the declared fields, filters by field."""

    search: str = ""
    year: int | None = None  # of the book's date field
    month: int | None = None  # 1-12, within ``year``
    equals: Mapping[str, str] = field(default_factory=dict)  # field -> value


def period(year: int, month: int | None = None) -> tuple[dt.date, dt.date]:
    """The first day of a year (or of one of its months) and the first day after it."""
    if month is None:
        return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    start = dt.date(year, month, 1)
    return start, (dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1))


def create_book_table(db: sqlite_utils.Database, spec: BookSpec) -> None:
    """The book's record table and an index for its default sort (called by its migration)."""
    columns = {item.key: _TYPES.get(item.kind, str) for item in spec.fields}
    required = {item.key for item in spec.fields if item.required}
    records.create_record_table(db, spec.table, columns, not_null=required)
    db.execute(f"CREATE INDEX idx_{spec.table}_{spec.sort[0]} ON [{spec.table}]"
               f"(village_code, [{spec.sort[0]}]) WHERE deleted_at IS NULL")
    if spec.running is not None:
        # The balance before a day, per partition, is summed from this index alone: it is
        # in GROUP BY order and covers the amounts and, trailing, deleted_at (a month of a
        # ten-year book reads no table row for its opening balance).
        run = spec.running
        parts = [run.partition, spec.date_field, run.plus, run.minus]
        names = ", ".join(f"[{name}]" for name in parts if name)
        db.execute(f"CREATE INDEX idx_{spec.table}_{run.key} ON [{spec.table}]"
                   f"(village_code, {names}, deleted_at) WHERE deleted_at IS NULL")


def create_child_tables(db: sqlite_utils.Database, spec: BookSpec) -> None:
    """The record table of each of the book's :class:`ChildRows` (``parent_id`` and
    ``position`` before the declared fields), indexed by parent."""
    for child in spec.children:
        columns: dict[str, Any] = {"parent_id": str, "position": int}
        columns |= {item.key: _TYPES.get(item.kind, str) for item in child.fields}
        required = {item.key for item in child.fields if item.required}
        records.create_record_table(db, child.table, columns, not_null={"parent_id", *required})
        db.execute(f"CREATE INDEX idx_{child.table}_parent ON [{child.table}]"
                   "(parent_id, position) WHERE deleted_at IS NULL")


def child_rows(db: sqlite_utils.Database, child: ChildRows, parent_ids: Sequence[str]
               ) -> dict[str, list[BookRecord]]:
    """The live rows of each parent, in their order: ``{parent_id: [rows]}``."""
    found: dict[str, list[BookRecord]] = {parent: [] for parent in parent_ids}
    if not parent_ids or not db[child.table].exists():
        return found
    names = ", ".join(f"[{item.key}]" for item in child.fields)
    for start in range(0, len(parent_ids), 900):
        part = list(parent_ids[start:start + 900])
        marks = ", ".join("?" * len(part))
        sql = (f"SELECT id, version, parent_id, {names} FROM [{child.table}] "
               f"WHERE deleted_at IS NULL AND parent_id IN ({marks}) ORDER BY position, rowid")
        for row in db.execute(sql, part):
            values: dict[str, Any] = {}
            for item, value in zip(child.fields, row[3:], strict=True):
                if item.kind == DATE and value:
                    value = dt.date.fromisoformat(value)
                values[item.key] = ("" if value is None and item.kind not in (DATE, *NUMERIC)
                                    else value)
            found[row[2]].append(BookRecord(id=row[0], version=int(row[1]), values=values))
    return found


def replace_children(db: sqlite_utils.Database, child: ChildRows, parent_id: str,
                     rows: Sequence[tuple[str, Mapping[str, Any]]], *, village_code: str,
                     actor: str) -> None:
    """Make the parent's rows be ``rows`` (``(id or "", values)`` in order): rows with a
    known id are updated, new ones inserted, the ones left out removed (as tombstones)."""
    before = {record.id for record in child_rows(db, child, [parent_id])[parent_id]}
    kept: set[str] = set()
    with db.atomic():
        for position, (row_id, values_) in enumerate(rows):
            stored = {"parent_id": parent_id, "position": position}
            stored |= {item.key: (values_.get(item.key).isoformat()  # type: ignore[union-attr]
                                  if isinstance(values_.get(item.key), dt.date)
                                  else values_.get(item.key)) for item in child.fields}
            if row_id in before:
                records.update(db, child.table, row_id, stored, actor=actor)
                kept.add(row_id)
            else:
                records.insert(db, child.table, stored, village_code=village_code, actor=actor)
        clear = [item.key for item in child.fields if item.personal and not item.required]
        for row_id in before - kept:
            records.tombstone(db, child.table, row_id, clear=clear, actor=actor)


def add_missing_columns(db: sqlite_utils.Database, spec: BookSpec) -> None:
    """Columns a later version declared (a book's next migration calls this)."""
    have = {row[1] for row in db.execute(f"PRAGMA table_info([{spec.table}])")}
    for item in spec.fields:
        if item.key not in have:
            kind = "INTEGER" if item.kind in NUMERIC else "TEXT"
            db.execute(f"ALTER TABLE [{spec.table}] ADD COLUMN [{item.key}] {kind}")


def exists(db: sqlite_utils.Database, spec: BookSpec) -> bool:
    return db[spec.table].exists()


def _escape_like(text: str) -> str:
    """``text`` matched literally by ``LIKE ? ESCAPE '\\'``."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(spec: BookSpec, query: BookQuery) -> tuple[str, list[Any]]:
    clauses, params = ["deleted_at IS NULL"], []
    for word in query.search.split():
        like = "%" + _escape_like(word) + "%"
        clauses.append(
            "(" + " OR ".join(f"[{key}] LIKE ? ESCAPE '\\'" for key in spec.search) + ")"
        )
        params += [like] * len(spec.search)
    if query.year is not None and spec.year_field:
        clauses.append(f"[{spec.year_field}] = ?")
        params.append(query.year)
    elif query.year is not None and spec.date_field:
        start, end = period(query.year, query.month)
        clauses.append(f"[{spec.date_field}] >= ? AND [{spec.date_field}] < ?")
        params += [start.isoformat(), end.isoformat()]
    keys = {item.key for item in spec.fields}
    for key, value in query.equals.items():
        if key in keys and value:
            clauses.append(f"[{key}] = ?")
            params.append(value)
    return " AND ".join(clauses), params


def _order(spec: BookSpec, order: str, descending: bool) -> str:
    if order not in {item.key for item in spec.fields} or order in spec.computed:
        order, descending = spec.sort  # the book's default order
    way = "DESC" if descending else "ASC"
    then = "".join(f"{_sort_key(spec, key)} ASC, " for key in spec.then if key != order)
    return f"{_sort_key(spec, order)} {way}, {then}updated_at {way}, id"


def _sort_key(spec: BookSpec, key: str) -> str:
    """How a field sorts: a choice in its declared order (a position by rank, a condition
    from good to bad), text without regard to case, a date or a number as stored (so the
    index of the book's date can give the order: the newest page without a full sort)."""
    item = spec.field(key)
    if item.kind == CHOICE and item.choices:
        # codes are the declaration's own lower-case names (checked), never typed text
        cases = " ".join(f"WHEN '{code}' THEN {rank}" for rank, (code, _label)
                         in enumerate(item.choices) if _CODE.match(code))
        return f"CASE [{key}] {cases} ELSE {len(item.choices)} END"
    return f"[{key}]" + ("" if item.kind in (DATE, *NUMERIC) else " COLLATE NOCASE")


def lookup_label(db: sqlite_utils.Database, lookup: str, record_id: str) -> str:
    """What the live record ``record_id`` of a lookup is called ("" when it is gone)."""
    table, label = LOOKUP_LABELS[lookup]
    row = db.execute(f"SELECT [{label}] FROM [{table}] WHERE id = ? AND deleted_at IS NULL",
                     [record_id]).fetchone()
    return str(row[0] or "") if row else ""


def _looked_up(spec: BookSpec) -> list[str]:
    return [item.key for item in spec.fields if item.lookup in LOOKUP_LABELS]


def _record(spec: BookSpec, row: sqlite_utils.db.Row | tuple[Any, ...]) -> BookRecord:
    values: dict[str, Any] = {}
    for item, value in zip(spec.fields, row[2:], strict=False):
        if item.kind == DATE and value:
            value = dt.date.fromisoformat(value)
        values[item.key] = "" if value is None and item.kind not in (DATE, *NUMERIC) else value
    after = 2 + len(spec.fields)
    for key, value in zip(spec.computed, row[after:], strict=False):
        values[key] = value
    labels = zip(_looked_up(spec), row[after + len(spec.computed):], strict=True)
    return BookRecord(id=row[0], version=int(row[1]), values=values,
                      labels={key: label for key, label in labels if label})


def _amount(spec: BookSpec, alias: str = "") -> str:
    """The signed amount a row adds to the running total (``plus`` − ``minus``)."""
    assert spec.running is not None
    run = spec.running
    plus = f"coalesce({alias}[{run.plus}], 0)"
    return plus + (f" - coalesce({alias}[{run.minus}], 0)" if run.minus else "")


def _source(spec: BookSpec, since: dt.date | None = None, until: dt.date | None = None
            ) -> tuple[str, list[Any]]:
    """The table, or with a running total the live rows with it computed (never stored).

    The total runs over every live row in date order (then in the order they were written:
    ``rowid``), one per village and partition value, so a search or a filter still shows
    each row's true balance. ``since`` (and ``until``, excluded) window over the rows of
    those days only and add the balance before ``since``, summed over a covering index: a
    month of a ten-year book, or the newest page of it, costs what those rows cost.
    """
    if spec.running is None:
        return f"[{spec.table}]", []
    run, date = spec.running, f"[{spec.date_field}]"
    partition = "t.village_code" + (f", t.[{run.partition}]" if run.partition else "")
    window = (f"sum({_amount(spec, 't.')}) OVER (PARTITION BY {partition} "
              f"ORDER BY t.{date}, t.rowid ROWS UNBOUNDED PRECEDING)")
    if since is None:
        return (f"(SELECT t.*, {window} AS [{run.key}] FROM [{spec.table}] AS t "
                "WHERE t.deleted_at IS NULL)", [])
    group = f"village_code, [{run.partition}]" if run.partition else "village_code"
    joined = "o.v = t.village_code" + (f" AND o.p IS t.[{run.partition}]" if run.partition else "")
    before = (f"SELECT village_code AS v, {f'[{run.partition}]' if run.partition else 'NULL'} "
              f"AS p, sum({_amount(spec)}) AS total FROM [{spec.table}] "
              f"WHERE deleted_at IS NULL AND {date} < ? GROUP BY {group}")
    sql = (f"(SELECT t.*, coalesce(o.total, 0) + {window} AS [{run.key}] "
           f"FROM [{spec.table}] AS t LEFT JOIN ({before}) AS o ON {joined} "
           f"WHERE t.deleted_at IS NULL AND t.{date} >= ?"
           + (f" AND t.{date} < ?)" if until else ")"))
    return sql, [since.isoformat(), since.isoformat(), *([until.isoformat()] if until else [])]


def _select(spec: BookSpec, since: dt.date | None = None, until: dt.date | None = None
            ) -> tuple[str, list[Any]]:
    names = ", ".join(f"b.[{key}]" for key in (*(item.key for item in spec.fields),
                                                 *spec.computed))
    for key in _looked_up(spec):  # what the id names, from the live record it points at
        table, label = LOOKUP_LABELS[spec.field(key).lookup]
        names += (f", (SELECT l.[{label}] FROM [{table}] AS l WHERE l.id = b.[{key}] "
                  "AND l.deleted_at IS NULL)")
    source, params = _source(spec, since, until)
    return f"SELECT b.id, b.version, {names} FROM {source} AS b", params


def _bounds(query: BookQuery) -> tuple[dt.date | None, dt.date | None]:
    return period(query.year, query.month) if query.year is not None else (None, None)


def rows(
    db: sqlite_utils.Database, spec: BookSpec, query: BookQuery, *, order: str = "",
    descending: bool = False, limit: int = 256, offset: int = 0,
) -> list[BookRecord]:
    """One page of live records, filtered, searched and sorted in SQL.

    With a running total, the page's own rows are found first (by the index of the sort),
    and the total is windowed from the earliest day among them: the newest page of a long
    book does not sum the whole book row by row.
    """
    where, params = _where(spec, query)
    ordered = _order(spec, order, descending)
    if spec.running is None:
        select, first = _select(spec)
        sql = f"{select} WHERE {where} ORDER BY {ordered} LIMIT ? OFFSET ?"
        return [_record(spec, row) for row in db.execute(sql, [*params, limit, offset])]
    page = db.execute(f"SELECT id, [{spec.date_field}] FROM [{spec.table}] WHERE {where} "
                      f"ORDER BY {ordered} LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
    if not page:
        return []
    since = dt.date.fromisoformat(min(row[1] for row in page))
    until = _bounds(query)[1]  # a period's rows after it do not change its balances
    select, first = _select(spec, since, until)
    marks = ", ".join("?" * len(page))
    sql = f"{select} WHERE id IN ({marks}) ORDER BY {ordered}"
    return [_record(spec, row) for row in db.execute(sql, [*first, *(r[0] for r in page)])]


def count(db: sqlite_utils.Database, spec: BookSpec, query: BookQuery) -> int:
    where, params = _where(spec, query)
    return int(db.execute(f"SELECT count(*) FROM [{spec.table}] WHERE {where}", params)
               .fetchone()[0])


def iter_all(
    db: sqlite_utils.Database, spec: BookSpec, query: BookQuery | None = None
) -> Iterator[BookRecord]:
    """Every live record in the book's default order (export, the printed register)."""
    query = query or BookQuery()
    where, params = _where(spec, query)
    order = _order(spec, spec.sort[0], False)
    select, first = _select(spec, *_bounds(query))
    for row in db.execute(f"{select} WHERE {where} ORDER BY {order}", [*first, *params]):
        yield _record(spec, row)


def get(db: sqlite_utils.Database, spec: BookSpec, record_id: str) -> BookRecord | None:
    select, first = _select(spec)
    row = db.execute(f"{select} WHERE id = ? AND deleted_at IS NULL", [*first, record_id]
                     ).fetchone()
    return _record(spec, row) if row else None


def ids_starting(db: sqlite_utils.Database, spec: BookSpec, prefix: str, *, limit: int = 3
                 ) -> list[str]:
    """The ids of live records starting with ``prefix`` (an id typed short)."""
    if not exists(db, spec):
        return []
    like = _escape_like(prefix) + "%"
    return [row[0] for row in db.execute(
        f"SELECT id FROM [{spec.table}] WHERE deleted_at IS NULL AND id LIKE ? ESCAPE '\\' "
        "LIMIT ?", [like, limit])]


def years(db: sqlite_utils.Database, spec: BookSpec) -> list[int]:
    """The years the book has records in, newest first (the year filter)."""
    if spec.year_field:
        sql = (f"SELECT DISTINCT [{spec.year_field}] FROM [{spec.table}] WHERE deleted_at IS "
               f"NULL AND [{spec.year_field}] IS NOT NULL ORDER BY 1 DESC")
        return [int(row[0]) for row in db.execute(sql)]
    if not spec.date_field:
        return []
    sql = (f"SELECT DISTINCT substr([{spec.date_field}], 1, 4) FROM [{spec.table}] "
           f"WHERE deleted_at IS NULL AND [{spec.date_field}] IS NOT NULL ORDER BY 1 DESC")
    return [int(row[0]) for row in db.execute(sql) if row[0] and row[0].isdigit()]


def values(db: sqlite_utils.Database, spec: BookSpec, key: str, *, limit: int = 200) -> list[str]:
    """The distinct values of a field, most used first (a "value" filter, suggestions)."""
    spec.field(key)  # only declared fields reach the SQL
    sql = (f"SELECT [{key}] FROM [{spec.table}] WHERE deleted_at IS NULL AND [{key}] <> '' "
           f"GROUP BY [{key}] ORDER BY count(*) DESC, [{key}] LIMIT ?")
    return [row[0] for row in db.execute(sql, [limit])]


def _stored(spec: BookSpec, values_: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in spec.fields:
        value = values_.get(item.key)
        out[item.key] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def insert(db: sqlite_utils.Database, spec: BookSpec, values_: Mapping[str, Any], *,
           village_code: str, actor: str) -> str:
    return records.insert(db, spec.table, _stored(spec, values_), village_code=village_code,
                          actor=actor)


def update(db: sqlite_utils.Database, spec: BookSpec, record_id: str,
           values_: Mapping[str, Any], *, actor: str) -> None:
    records.update(db, spec.table, record_id, _stored(spec, values_), actor=actor)


def tombstone(db: sqlite_utils.Database, spec: BookSpec, record_id: str, *, actor: str) -> None:
    """Remove a record and its child rows; personal fields are cleared (required ones to
    "")."""
    clear = [item.key for item in spec.fields if item.personal and not item.required]
    with db.atomic():
        for child in spec.children:
            replace_children(db, child, record_id, [], village_code="", actor=actor)
        blank = {item.key: "" for item in spec.fields if item.personal and item.required}
        if blank:
            db[spec.table].update(record_id, blank)  # type: ignore[union-attr]
        records.tombstone(db, spec.table, record_id, clear=clear, actor=actor)


def count_village(db: sqlite_utils.Database, spec: BookSpec, village_code: str) -> int:
    """Live records of one village (the receiver's count)."""
    if not exists(db, spec):
        return 0
    return int(db.execute(
        f"SELECT count(*) FROM [{spec.table}] WHERE village_code = ? AND deleted_at IS NULL",
        [village_code]).fetchone()[0])


def count_village_between(db: sqlite_utils.Database, spec: BookSpec, village_code: str,
                          start: dt.date, end: dt.date) -> int:
    """Live records of one village dated ``start`` up to (not including) ``end`` (the
    receiver's count of a month)."""
    if not exists(db, spec) or not spec.date_field:
        return 0
    return int(db.execute(
        f"SELECT count(*) FROM [{spec.table}] WHERE village_code = ? AND deleted_at IS NULL "
        f"AND [{spec.date_field}] >= ? AND [{spec.date_field}] < ?",
        [village_code, start.isoformat(), end.isoformat()]).fetchone()[0])


def running_before(db: sqlite_utils.Database, spec: BookSpec, before: dt.date
                   ) -> dict[str, int]:
    """The running total of each partition value just before ``before`` (a period's opening
    balance per account); ``{"": total}`` when the book has no partition."""
    run = spec.running
    if run is None or not exists(db, spec):
        return {}
    amount = f"coalesce([{run.plus}], 0)" + (f" - coalesce([{run.minus}], 0)" if run.minus else "")
    group = f"[{run.partition}]" if run.partition else "''"
    sql = (f"SELECT {group}, sum({amount}) FROM [{spec.table}] WHERE deleted_at IS NULL "
           f"AND [{spec.date_field}] < ? GROUP BY 1 ORDER BY 1")
    return {str(row[0] or ""): int(row[1] or 0)
            for row in db.execute(sql, [before.isoformat()])}


def first_below_zero(db: sqlite_utils.Database, spec: BookSpec, village_code: str,
                     part: str, since: dt.date) -> BookRecord | None:
    """The first record on or after ``since`` whose running total (in partition ``part``)
    is below zero: where a cash account would be overdrawn."""
    run = spec.running
    if run is None:
        return None
    select, first = _select(spec)
    same = f"[{run.partition}] IS ? AND " if run.partition else ""
    sql = (f"{select} WHERE village_code = ? AND {same}[{spec.date_field}] >= ? "
           f"AND [{run.key}] < 0 ORDER BY [{spec.date_field}], updated_at LIMIT 1")
    params = [*first, village_code, *([part] if run.partition else []), since.isoformat()]
    row = db.execute(sql, params).fetchone()
    return _record(spec, row) if row else None


def sums_by(db: sqlite_utils.Database, spec: BookSpec, by: str, since: dt.date,
            until: dt.date) -> list[tuple[str, dict[str, int]]]:
    """``(value of by, {numeric field: sum})`` of the live records dated ``since`` up to
    ``until`` (excluded): a cash book's receipts and expenses by category in a month."""
    if not exists(db, spec):
        return []
    numbers = [item.key for item in spec.fields if item.kind in NUMERIC]
    spec.field(by)  # only declared fields reach the SQL
    sums = ", ".join(f"coalesce(sum([{key}]), 0)" for key in numbers)
    sql = (f"SELECT [{by}], {sums} FROM [{spec.table}] WHERE deleted_at IS NULL "
           f"AND [{spec.date_field}] >= ? AND [{spec.date_field}] < ? GROUP BY 1 ORDER BY 1")
    return [(row[0] or "", dict(zip(numbers, (int(v) for v in row[1:]), strict=True)))
            for row in db.execute(sql, [since.isoformat(), until.isoformat()])]


# -- closed months (tutup buku) --------------------------------------------------------------


def create_closings_table(db: sqlite_utils.Database) -> None:
    """The months closed in each closable book (not a record table: it stays in its file)."""
    db.execute("CREATE TABLE book_closings (book TEXT NOT NULL, month TEXT NOT NULL, "
               "closed_at TEXT NOT NULL, actor TEXT NOT NULL, PRIMARY KEY (book, month))")


def closed_months(db: sqlite_utils.Database, spec: BookSpec) -> set[str]:
    """``{"2025-01", ...}``: the closed months of the book."""
    if not spec.closable or not db["book_closings"].exists():
        return set()
    return {row[0] for row in db.execute("SELECT month FROM book_closings WHERE book = ?",
                                         [spec.key])}


def close_month(db: sqlite_utils.Database, spec: BookSpec, month: str, *, actor: str) -> None:
    from kt_desktop.domain.formats import utc_now_iso

    db.execute("INSERT OR IGNORE INTO book_closings(book, month, closed_at, actor) "
               "VALUES (?, ?, ?, ?)", [spec.key, month, utc_now_iso(), actor])


# -- lists the user edits (Field.editable_choices) -------------------------------------------


def _choices_key(spec: BookSpec, key: str) -> str:
    return f"choices.{spec.table}.{key}"


def choice_list(db: sqlite_utils.Database, spec: BookSpec, key: str
                ) -> list[tuple[str, str]] | None:
    """The list kept in the file as ``(stored value, label)``, or None: the declared one."""
    import json

    from kt_desktop.store import settings

    raw = settings.get(db, _choices_key(spec, key))
    try:
        found = json.loads(raw) if raw else None
    except ValueError:
        return None
    if not isinstance(found, list):
        return None
    return [(str(item[0]), str(item[1])) for item in found
            if isinstance(item, list) and len(item) == 2 and item[0]] or None


def put_choice_list(db: sqlite_utils.Database, spec: BookSpec, key: str,
                    items: list[tuple[str, str]]) -> None:
    import json

    from kt_desktop.store import settings

    settings.put(db, _choices_key(spec, key),
                 json.dumps([list(item) for item in items], ensure_ascii=False))

