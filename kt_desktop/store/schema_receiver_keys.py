"""Migration 27: in a receiver, a record is keyed by its village and its id.

A village file keys every record table on ``id``, a random UUID (docs/DESIGN.md, "Data
model"). A receiver holds the records of every village of its area in the same tables, and
on a random key each incoming row lands on its own page of the key's index: once the index
outgrows the page cache (some 1.6 GB of keys for Jawa Tengah's 26.6 million rows), every row
reads and writes a page of it, and the first import of 8,563 villages took 19 minutes,
most of them in that index (the writes of the import process: 445 GB for a 15 GB file).

A receiver's record tables are therefore keyed on ``(village_code, id)``:

* rows arrive village by village, so a village's keys lie together: its first bundle fills
  a few neighbouring pages instead of thousands spread over the file;
* a child names its parent within its village (``FOREIGN KEY (village_code, activity_id)
  REFERENCES activities (village_code, id)``), so checking it reads the same pages;
* the unique rules that are not led by ``village_code`` (one attendance cell per session and
  participant, one follow-up per checkpoint) get it as their first column: ids are unique
  within a village, so the rule is the same, and keeping it costs as little.

A record of one village can no longer stand in the way of another's: a bundle only ever
reads and writes rows of its own village. (Before, a bundle that named another village's id
was refused; now it is simply that village's own record, and the other village's row is
never touched.)

The statements are built from the program's own schema (:mod:`kt_desktop.store.
schema_reference`), never from the text stored in the file. A file becomes a receiver in
:func:`kt_desktop.services.setup.init_receiver` (its tables are empty then); receivers made
before this migration are rebuilt by it, rows, rowids and all (the member search is keyed on
``rowid``).

A later migration that rebuilds a record table must build the receiver's form again
(:func:`rekey`).
"""

from __future__ import annotations

import logging
import re

import sqlite_utils

from kt_desktop.store import settings, sync

log = logging.getLogger(__name__)

#: A receiver's key of every record table, in index order.
KEY = ("village_code", "id")

#: The migration that keys a receiver's records so; a reference schema of an older version
#: keeps the village's form.
VERSION = 27

_TABLE_NAME = re.compile(r'^\s*CREATE TABLE\s+("[^"]+"|\[[^\]]+\]|[^\s(]+)', re.I)
_UNIQUE_ON = re.compile(r"^(CREATE UNIQUE INDEX \S+ ON \S+?)\s*\(\s*(?!village_code\b)", re.I)


def is_receiver(db: sqlite_utils.Database) -> bool:
    return settings.get(db, settings.FILE_KIND) == settings.KIND_RECEIVER


def is_rekeyed(db: sqlite_utils.Database, table: str) -> bool:
    """Is ``table`` keyed on :data:`KEY` (a receiver's record table since migration 27)?"""
    return sync.key_columns(db, table) == KEY


def table_sql(own: sqlite_utils.Database, table: str) -> str:
    """The receiver's CREATE TABLE of ``table``, from its form in ``own`` (the program's
    schema): the same columns, types, NOT NULLs and defaults, keyed on :data:`KEY`, and each
    foreign key within the village."""
    lines = []
    for _cid, name, declared, not_null, default, _pk in own.execute(
        f"PRAGMA table_info([{table}])"
    ).fetchall():
        line = f'"{name}" {declared}'.rstrip()
        if not_null or name in KEY:
            line += " NOT NULL"
        if default is not None:
            line += f" DEFAULT {default}"
        lines.append(line)
    lines.append("PRIMARY KEY (" + ", ".join(f'"{name}"' for name in KEY) + ")")
    for key in sync.foreign_keys(own, table):
        if key.parent_column != "id":
            raise ValueError(f"{table}.{key.column} names {key.parent}.{key.parent_column}")
        lines.append(
            f'FOREIGN KEY ("village_code", "{key.column}") '
            f'REFERENCES "{key.parent}" ("village_code", "id")'
        )
    return f'CREATE TABLE "{table}" (\n   ' + ",\n   ".join(lines) + "\n)"


def index_sql(sql: str) -> str:
    """A receiver's form of an index of a record table: a UNIQUE index not led by
    ``village_code`` gets it first (ids are unique within a village); others stay."""
    return _UNIQUE_ON.sub(r"\1(village_code, ", sql.strip(), count=1)


def _own_statements(
    own: sqlite_utils.Database, table: str, *, receiver: bool
) -> tuple[str, list[str]]:
    """(CREATE TABLE, [CREATE INDEX / TRIGGER …]) of ``table`` as ``own`` has it, or as a
    receiver has it (``receiver``).

    A receiver leaves out an index on the key's own columns (migration 26's members by
    village and id): the key serves it."""
    extras = []
    for kind, name, sql in own.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND type IN "
        "('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name",
        [table],
    ).fetchall():
        if kind == "index" and receiver:
            columns = tuple(row[2] for row in own.execute(f"PRAGMA index_info([{name}])"))
            if columns == KEY:
                continue
            sql = index_sql(sql)
        extras.append(sql)
    if receiver:
        return table_sql(own, table), extras
    create = own.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
    ).fetchone()[0]
    return create, extras


def rekey(
    db: sqlite_utils.Database, own: sqlite_utils.Database, *, receiver: bool = True
) -> list[str]:
    """Rebuild the record tables of ``db`` keyed on :data:`KEY`; returns their names.
    (``receiver`` False: back to the village's form of ``own``, as a receiver made before
    migration 27 has them; tests make such files so.)

    ``own`` is a database holding the program's schema at the file's version (the
    statements come from it). Runs in the caller's transaction. Rows keep their rowids.
    With rows in the tables, foreign keys must be off (SQLite's procedure for changing a
    table: a parent dropped while its children hold rows would be a violation meanwhile);
    the tables of a new file are empty.
    """
    done = []
    for table in sync.present_tables(db):
        name = table.name
        if is_rekeyed(db, name) == receiver:
            continue
        create, extras = _own_statements(own, name, receiver=receiver)
        columns = ", ".join(
            f"[{row[1]}]" for row in own.execute(f"PRAGMA table_info([{name}])").fetchall()
        )
        staged = f"{name}__rekeyed"
        db.conn.execute(_TABLE_NAME.sub(f'CREATE TABLE "{staged}"', create, count=1))
        db.conn.execute(
            f"INSERT INTO [{staged}] (rowid, {columns}) SELECT rowid, {columns} FROM [{name}] "
            "ORDER BY rowid"
        )
        db.conn.execute(f"DROP TABLE [{name}]")
        db.conn.execute(f"ALTER TABLE [{staged}] RENAME TO [{name}]")
        for statement in extras:
            db.conn.execute(statement)
        done.append(name)
    return done


def make_receiver(db: sqlite_utils.Database, version: int) -> list[str]:
    """Key the record tables of ``db`` (schema ``version``) as a receiver's, in the
    caller's transaction, with foreign keys off (:func:`rekey`)."""
    from kt_desktop.store import schema_reference

    with schema_reference.own_schema(version) as own:
        return rekey(db, own)


def migrate(db: sqlite_utils.Database) -> None:
    """Migration 27: a receiver's record tables keyed by village and id. Village files,
    and files not set up yet, keep theirs (:func:`kt_desktop.services.setup.init_receiver`
    keys a new receiver's). Runs with foreign keys off (``migrations.FOREIGN_KEYS_OFF``).
    """
    if not is_receiver(db):
        return
    rebuilt = make_receiver(db, VERSION)
    broken = db.conn.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        # Only a forged bundle could have named another village's record as a parent; the
        # rows stay (nothing is lost), and `kt-desktop check` names them.
        log.warning("receiver keys: %d rows name a parent outside their village", len(broken))
    log.info("receiver keys: %d record tables keyed by village", len(rebuilt))
