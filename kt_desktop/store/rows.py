"""Rows of a SELECT turned into the store's dataclasses, one way for every table.

A :class:`Shape` names a query's columns once: the same text is the SELECT list (or the
column list of an INSERT) and says which field of the dataclass each column fills, so the
two cannot drift apart. ``t.column`` fills the field ``column``; a column whose name is not
the field's is written ``expr AS field`` (``AS "end"`` for a keyword). What a stored value
needs to become the field's value (NULL text read as "", ISO text as a date, 0/1 as a bool)
is given per field:

    _OUTBOX = Shape(OutboxRecord, "id, export_seq, path, ...", last_error=or_empty)
    return _OUTBOX.select(db, "FROM outbox WHERE state != ? ORDER BY id", [OUTBOX_SENT])

:func:`where` joins the optional conditions of a filtered listing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Generic, Protocol, TypeVar

T = TypeVar("T")
Convert = Callable[[Any], Any]


class Queryable(Protocol):
    """A ``sqlite_utils.Database`` or a ``sqlite3.Connection``."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Any: ...


def or_empty(value: str | None) -> str:
    """Text stored as NULL when empty, read back as ""."""
    return value or ""


def iso_date(value: str) -> dt.date:
    """A required ISO date."""
    return dt.date.fromisoformat(value)


def optional_date(value: str | None) -> dt.date | None:
    """An ISO date that may be missing (NULL or "")."""
    return dt.date.fromisoformat(value) if value else None


def or_zero(value: int | None) -> int:
    """A count or amount where NULL means 0."""
    return int(value or 0)


def _split_columns(columns: str) -> list[str]:
    """The items of a column list, split at the commas outside parentheses."""
    items, depth, current = [], 0, []
    for char in columns:
        if char == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
            continue
        depth += (char == "(") - (char == ")")
        current.append(char)
    items.append("".join(current).strip())
    return items


_ALIAS = re.compile(r"\s+AS\s+(\S+)$")


def _field_name(item: str) -> str:
    """``t.title`` fills ``title``; ``expr AS name`` and ``expr AS "end"`` fill the alias."""
    alias = _ALIAS.search(item)
    name = alias.group(1) if alias else item
    return name.rpartition(".")[2].strip('"')


class Shape(Generic[T]):
    """The columns of a query and the dataclass ``cls`` each of its rows becomes."""

    def __init__(self, cls: Callable[..., T], columns: str, **convert: Convert) -> None:
        self.cls = cls
        self.sql = columns.strip()
        self.fields = tuple(_field_name(item) for item in _split_columns(self.sql))
        unknown = set(convert) - set(self.fields)
        assert not unknown, unknown
        self.convert: Mapping[str, Convert] = convert

    @classmethod
    def of(cls, record: type[T], **convert: Convert) -> Shape[T]:
        """The Shape of a dataclass read as it is declared: its fields are the table's
        columns, by the same names, so the column list is not written a second time."""
        return cls(record, ", ".join(item.name for item in dataclasses.fields(record)),
                   **convert)

    def one(self, row: Sequence[Any]) -> T:
        """The dataclass of one row (its columns in the order of :attr:`sql`)."""
        values = dict(zip(self.fields, row, strict=True))
        for name, convert in self.convert.items():
            values[name] = convert(values[name])
        return self.cls(**values)

    def maybe(self, row: Sequence[Any] | None) -> T | None:
        """:meth:`one`, or None where the query found no row."""
        return None if row is None else self.one(row)

    def all(self, rows: Iterable[Sequence[Any]]) -> list[T]:
        return [self.one(row) for row in rows]

    def select(self, db: Queryable, rest: str, params: Sequence[Any] = ()) -> list[T]:
        """Every row of ``SELECT <the columns> <rest>`` (``rest``: FROM, WHERE, ORDER BY …)."""
        return self.all(db.execute(f"SELECT {self.sql} {rest}", list(params)).fetchall())

    def select_one(self, db: Queryable, rest: str, params: Sequence[Any] = ()) -> T | None:
        """The first row of ``SELECT <the columns> <rest>``, None when there is none."""
        return self.maybe(db.execute(f"SELECT {self.sql} {rest}", list(params)).fetchone())

    def live(self, db: Queryable, table: str, condition: str, params: Sequence[Any] = (), *,
             order: str = "") -> list[T]:
        """The live (not tombstoned) rows of ``table`` that meet ``condition``, in ``order``:
        the listing every record table has (``table`` may carry an alias: ``"t p"``)."""
        return self.select(db, _live_rest(table, condition, order), params)

    def live_one(self, db: Queryable, table: str, condition: str, params: Sequence[Any] = (),
                 *, order: str = "") -> T | None:
        """The first of :meth:`live`, None when there is none (a record by its id)."""
        return self.select_one(db, _live_rest(table, condition, order), params)


def live_rows(db: Queryable, table: str, columns: str, condition: str,
              params: Sequence[Any] = (), *, order: str = "") -> list[Any]:
    """``columns`` of the live rows of ``table`` that meet ``condition``, in ``order``, as
    plain rows (what a lookup table or a tally is built from)."""
    return db.execute(f"SELECT {columns} {_live_rest(table, condition, order)}",
                      list(params)).fetchall()


def live_value(db: Queryable, table: str, column: str, condition: str,
               params: Sequence[Any] = ()) -> Any:
    """``column`` of the first live row of ``table`` that meets ``condition`` (a record's id
    found by other fields, a count), None when there is none."""
    row = db.execute(f"SELECT {column} {_live_rest(table, condition, '')}",
                     list(params)).fetchone()
    return row[0] if row else None


def _live_rest(table: str, condition: str, order: str) -> str:
    rest = f"FROM {table} WHERE {condition} AND deleted_at IS NULL"
    return f"{rest} ORDER BY {order}" if order else rest


def where(*conditions: tuple[str, Any]) -> tuple[str, list[Any]]:
    """``("WHERE a = ? AND b = ?", [a, b])`` of the ``(clause, value)`` pairs whose value is
    given (a filter left empty or unset is no condition); ``("", [])`` when none is. The
    value True adds its clause without a parameter (a flag such as "open only")."""
    clauses, params = [], []
    for clause, value in conditions:
        if not value:
            continue
        clauses.append(clause)
        if value is not True:
            params.append(value)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params
