"""The program's own schema, to compare a data file's ``sqlite_master`` with.

A data file may come from someone else, so what its ``sqlite_master`` says is not trusted:
a view named like a table, an extra trigger or an index statement stored anywhere in the file
is the file's text, not the program's. The program's schema is what its own migrations build
in a fresh in-memory database (:func:`reference`, once per schema version and process); the
bulk import rebuilds dropped indexes and triggers from it, and ``kt-desktop check`` names
every object of the file that differs from it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlite_utils

from kt_desktop.store import connection, migrations, schema_receiver_keys

#: Names SQLite itself manages (automatic indexes, AUTOINCREMENT, ANALYZE statistics).
_INTERNAL_PREFIX = "sqlite_"
_QUOTES = re.compile(r'[\[\]"`]')
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class SchemaObject:
    """One row of ``sqlite_master``: ``type`` is table, view, index or trigger."""

    type: str
    name: str
    table: str
    sql: str

    @property
    def shape(self) -> str:
        """The statement as compared (:func:`normalized`)."""
        return normalized(self.sql)

    @property
    def unique(self) -> bool:
        return self.type == "index" and self.shape.upper().startswith("CREATE UNIQUE INDEX")


def normalized(sql: str | None) -> str:
    """``sql`` with runs of white space made one space and identifier quotes removed.

    The same migration always stores the same text; this only keeps a difference in quoting
    or line breaks (another sqlite-utils version) from counting as a different schema.
    """
    return _SPACE.sub(" ", _QUOTES.sub("", sql or "")).strip()


def objects(db: sqlite_utils.Database) -> dict[str, SchemaObject]:
    """The schema objects of ``db`` by name, without SQLite's internal ones."""
    found = {}
    for kind, name, table, sql in db.conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master"
    ).fetchall():
        if str(name).startswith(_INTERNAL_PREFIX):
            continue
        found[str(name)] = SchemaObject(str(kind), str(name), str(table), str(sql or ""))
    return found


@contextmanager
def own_schema(version: int | None = None) -> Iterator[sqlite_utils.Database]:
    """An in-memory database holding the schema the program's migrations build up to
    ``version`` (None: the latest): a village's form, the one a new file starts from."""
    db = connection.connect(":memory:")
    try:
        migrations.migrate(db, up_to=version)
        yield db
    finally:
        db.close()


@functools.cache
def reference(version: int | None = None, *, receiver: bool = False) -> dict[str, SchemaObject]:
    """The schema the program's migrations build up to ``version`` (None: the latest); of a
    receiver, with its record tables keyed by village (:mod:`.schema_receiver_keys`)."""
    with own_schema(version) as db:
        last = migrations.latest_version() if version is None else version
        if receiver and last >= schema_receiver_keys.VERSION:
            db.execute("PRAGMA foreign_keys = OFF")
            with db.atomic():
                schema_receiver_keys.make_receiver(db, last)
        return objects(db)


def of_file(db: sqlite_utils.Database) -> dict[str, SchemaObject]:
    """The program's own schema for ``db``: its version, its kind."""
    return reference(
        migrations.schema_version(db), receiver=schema_receiver_keys.is_receiver(db)
    )


@dataclass(frozen=True, slots=True)
class Difference:
    """How one object of a file differs: ``extra``, ``missing`` or ``changed``."""

    kind: str
    object: SchemaObject


def differences(db: sqlite_utils.Database, version: int) -> list[Difference]:
    """What the file's schema has that the program's (at ``version``) has not, and back."""
    own = reference(version, receiver=schema_receiver_keys.is_receiver(db))
    found = objects(db)
    result = []
    for name, item in sorted(found.items()):
        known = own.get(name)
        if known is None:
            result.append(Difference("extra", item))
        elif known.type != item.type or known.shape != item.shape:
            result.append(Difference("changed", item))
    for name, item in sorted(own.items()):
        if name not in found:
            result.append(Difference("missing", item))
    return result
