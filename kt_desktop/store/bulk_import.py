"""A receiver's bulk import: secondary indexes and search triggers set aside, then rebuilt.

Importing the first bundles of a whole province (1,552 villages, 2.6 million rows) spends
most of its SQL time keeping secondary indexes in order. Rows arrive village by village,
but most indexes are keyed on random UUIDs (a child's parent), dates or names, so every row
lands on its own page of each of them, and every batch rewrites those pages. For a large
import (:func:`worth_it`) the merge drops such indexes and the triggers that keep the member
search (FTS5) up to date, and builds them again at the end, one sort per index: measured on
the Banten province, 21k rows/s become about 40k.

What stays, so that a bundle is accepted or refused exactly as without the bulk mode:

* primary keys and every UNIQUE index (they enforce rules a bundle can break); in a receiver
  they are led by ``village_code`` (migration 27, :mod:`.schema_receiver_keys`), so they
  cost as little as the next kind;
* indexes whose first column is ``village_code`` or ``change_seq``: rows arrive in that order,
  so those indexes only grow at their end and cost little (but for :data:`_SORTED_AFTER`).

Crash safety: the indexes are dropped in the import's first transaction, which also stores
:data:`PENDING` (the names of what went). :func:`finish` creates them, fills the search index
afresh and clears the flag in one transaction. A file whose flag is still set (the program was
killed mid-import, the disk was full at the end) is repaired by :func:`finish_interrupted`
when it is opened, before anything reads it.

A data file may come from someone else, so :data:`PENDING` is never SQL that runs: every
index and trigger is built again from the program's own schema
(:func:`kt_desktop.store.schema_reference.reference`), and the stored names only pick search
indexes and planner statistics that are checked against the program's own lists.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from kt_desktop.store import (
    connection,
    schema_receiver,
    schema_reference,
    settings,
    sync,
)
from kt_desktop.store.schema_members import fts_text

log = logging.getLogger(__name__)

#: Settings key: set (to what must be rebuilt, JSON) while a bulk import is under way.
PENDING = settings.BULK_IMPORT_PENDING

#: A bulk import needs at least this many bundles (the issue's threshold) ...
MIN_BUNDLES = 50
#: ... and this many incoming rows ...
MIN_ROWS = 50_000
#: ... and at least this share of the rows already in the file: rebuilding an index costs a
#: sort of the whole table, which a small import into a large file does not pay back.
MIN_SHARE = 0.25

#: The page cache of a bulk import, in MB: what a batch of a million rows touches (each
#: table's end, the pages of the indexes kept) outgrows the usual 64 MB, and every page that
#: falls out is read and written again.
#: Given back at the end.
CACHE_MB = 256

#: The write-ahead log a bulk import lets grow before copying it into the file, in pages
#: (1 GB of 4 KB pages; SQLite's usual is 1,000): a random-keyed index page is written to
#: the log at every commit that touches it, and copied into the file at every checkpoint.
CHECKPOINT_PAGES = 262_144

#: Threads of SQLite's sorter while :func:`finish` builds the indexes again: the import's
#: helper process (``kt_desktop/bundles/prepare.py``) has ended by then, so the second core
#: sorts too (the three largest rebuilds of Jawa Tengah: 19 s on one thread, 13 s on two).
SORT_THREADS = 2

#: Columns whose order is the import's order: an index led by one only grows at its end.
_ARRIVAL_ORDER = ("village_code", "change_seq")

#: Village-led indexes set aside all the same: within a village their second column is a
#: parent's random id, and a village's first bundle fills them row by row in that order.
#: The first import of 1,552 villages of the Banten mix took 134 s without migration 26's
#: indexes, 152 s with them kept through it, 146 s with them set aside and sorted at the
#: end (5.4 s of sorting there; 31 s for all 8,563 villages of Jawa Tengah).
_SORTED_AFTER = frozenset(name for _table, name, _columns, _where
                          in schema_receiver.VILLAGE_JOIN_INDEXES)


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """An FTS5 table kept in step with ``table`` by triggers named ``<fts>_*``."""

    fts: str
    table: str
    columns: tuple[str, ...]
    live: str  # the WHERE of the rows it indexes


#: The search indexes a bulk import may rebuild instead of updating row by row.
SEARCH_INDEXES: tuple[SearchIndex, ...] = (
    SearchIndex("members_fts", "members", ("name", "dusun"), "deleted_at IS NULL"),
)


def record_rows(db: sqlite_utils.Database) -> int:
    """Roughly how many record rows the file holds (the largest rowid of each table)."""
    total = 0
    for table in sync.present_tables(db):
        total += int(db.conn.execute(f"SELECT coalesce(max(rowid), 0) FROM [{table.name}]")
                     .fetchone()[0])
    return total


def worth_it(db: sqlite_utils.Database, *, bundles: int, rows: int) -> bool:
    """Is importing ``bundles`` holding ``rows`` rows large enough for the bulk mode?"""
    if bundles < MIN_BUNDLES or rows < MIN_ROWS:
        return False
    return rows >= MIN_SHARE * record_rows(db)


@dataclass(frozen=True, slots=True)
class Tuning:
    """The connection's settings before :func:`tune` (given back by :func:`untune`)."""

    cache: int
    synchronous: int
    autocheckpoint: int


def tune(db: sqlite_utils.Database) -> Tuning:
    """Settle the connection for a bulk import; returns what to give back.

    A larger page cache (:data:`CACHE_MB`), a larger log between checkpoints
    (:data:`CHECKPOINT_PAGES`), and commits that are not synced one by one
    (``synchronous = NORMAL``). With a write-ahead log, SQLite's documentation says what
    NORMAL costs: a power cut may lose the last transactions, never the file's consistency.
    Here that means the last batches of bundles, whole (their import records go with them),
    and importing the folder again brings them in. :func:`untune` syncs before the last
    transaction (the rebuilt indexes), so a finished import is on the disk as before.
    Measured on 2,000 of Jawa Tengah's first bundles: 221 s become 190 s (with
    ``services.bundles.BULK_BATCH_ROWS``), and the writes 60 GB become 55 GB.
    """
    conn = db.conn
    before = Tuning(
        cache=sync.use_large_cache(db, CACHE_MB),
        synchronous=int(conn.execute("PRAGMA synchronous").fetchone()[0]),
        autocheckpoint=int(conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]),
    )
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}").fetchall()
    return before


def untune(db: sqlite_utils.Database, before: Tuning) -> None:
    """Give back what :func:`tune` changed; the next commit is synced again."""
    conn = db.conn
    conn.execute(f"PRAGMA synchronous = {int(before.synchronous)}")
    conn.execute(f"PRAGMA wal_autocheckpoint = {int(before.autocheckpoint)}").fetchall()
    sync.restore_cache(db, before.cache)


def is_pending(db: sqlite_utils.Database) -> bool:
    return bool(settings.get(db, PENDING))


def _droppable_indexes(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes a bulk import sets aside."""
    found = []
    for table in sync.present_tables(db):
        for _seq, name, unique, origin, _partial in db.conn.execute(
            f"PRAGMA index_list([{table.name}])"
        ).fetchall():
            if unique or origin != "c":
                continue
            first = db.conn.execute(f"PRAGMA index_info([{name}])").fetchone()
            if first is not None and first[2] in _ARRIVAL_ORDER and name not in _SORTED_AFTER:
                continue
            sql = db.conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", [name]
            ).fetchone()
            if sql and sql[0]:
                found.append((name, sql[0]))
    return found


def _search_triggers(db: sqlite_utils.Database) -> list[tuple[str, str, str]]:
    """(search index, trigger name, CREATE statement) of the search triggers present."""
    found = []
    for search in SEARCH_INDEXES:
        rows = db.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? "
            "AND substr(name, 1, ?) = ? ORDER BY name",
            [search.table, len(search.fts) + 1, search.fts + "_"],
        ).fetchall()
        own = schema_reference.of_file(db)
        found += [(search.fts, name, sql) for name, sql in rows if name in own]
    return found


def _stats(db: sqlite_utils.Database, names: list[str]) -> list[list[Any]]:
    """The planner's statistics of these indexes (DROP INDEX forgets them), if any."""
    if not names or db.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
    ).fetchone() is None:
        return []
    marks = ", ".join("?" * len(names))
    return [
        list(row)
        for row in db.conn.execute(
            f"SELECT tbl, idx, stat FROM sqlite_stat1 WHERE idx IN ({marks})", names
        )
    ]


def begin(db: sqlite_utils.Database) -> int:
    """Drop the indexes and search triggers a bulk import sets aside, and say so in
    :data:`PENDING`, in the caller's (open) write transaction. Returns how many went."""
    if not db.conn.in_transaction:
        raise RuntimeError("a bulk import starts inside its first transaction")
    state = _pending_state(db)
    indexes = _droppable_indexes(db)
    triggers = _search_triggers(db)
    if not indexes and not triggers:
        return 0
    state["indexes"] += [name for name, _sql in indexes]
    state["triggers"] += [name for _fts, name, _sql in triggers]
    state["search"] = sorted(set(state["search"]) | {fts for fts, _name, _sql in triggers})
    state["stats"] += _stats(db, [name for name, _sql in indexes])
    settings.put(db, PENDING, json.dumps(state, ensure_ascii=False))
    for name, _sql in indexes:
        db.conn.execute(f"DROP INDEX [{name}]")
    for _fts, name, _sql in triggers:
        db.conn.execute(f"DROP TRIGGER [{name}]")
    return len(indexes) + len(triggers)


def _pending_state(db: sqlite_utils.Database) -> dict[str, list[Any]]:
    state: dict[str, list[Any]] = {"indexes": [], "triggers": [], "search": [], "stats": []}
    value = settings.get(db, PENDING)
    if value:
        try:
            stored = json.loads(value)
        except ValueError:
            stored = {}
        if isinstance(stored, dict):
            for key in state:
                if isinstance(stored.get(key), list):
                    state[key] = list(stored[key])
    return state


def _missing_objects(db: sqlite_utils.Database) -> list[schema_reference.SchemaObject]:
    """The program's own non-unique indexes and search triggers absent from the file.

    Built from the program's schema, never from text stored in the file: whatever
    :data:`PENDING` says, only these statements can run.
    """
    own = schema_reference.of_file(db)
    present = {
        str(name) for (name,) in db.conn.execute("SELECT name FROM sqlite_master").fetchall()
    }
    tables = {str(name) for (name,) in db.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'"
    ).fetchall()}
    return [
        item for item in own.values()
        if item.name not in present and item.table in tables and rebuilds(item)
    ]


def rebuilds(item: schema_reference.SchemaObject) -> bool:
    """Is ``item`` (of the program's schema) one :func:`finish` builds again when missing?"""
    if item.type == "index":
        return not item.unique
    return item.type == "trigger" and any(
        item.name.startswith(search.fts + "_") and item.table == search.table
        for search in SEARCH_INDEXES
    )


def rebuild_search(db: sqlite_utils.Database, fts: str) -> None:
    """Fill a search index afresh from its table, as its triggers would have."""
    search = next(item for item in SEARCH_INDEXES if item.fts == fts)
    columns = ", ".join(search.columns)
    values = ", ".join(fts_text(column) for column in search.columns)
    db.conn.execute(f"INSERT INTO [{fts}]([{fts}]) VALUES ('delete-all')")
    db.conn.execute(
        f"INSERT INTO [{fts}](rowid, {columns}) "
        f"SELECT rowid, {values} FROM [{search.table}] WHERE {search.live}"
    )


def finish(
    db: sqlite_utils.Database, *, step: Callable[[int, int], None] | None = None
) -> bool:
    """Build again what :func:`begin` set aside, in one transaction; False if nothing was.

    Safe to call at any time: indexes and triggers already there are left alone.
    """
    if not is_pending(db):
        return False
    with db.atomic():  # BEGIN IMMEDIATE: the write lock before the first read
        state = _pending_state(db)
        if not settings.get(db, PENDING):  # finished meanwhile by another connection
            return False
        missing = _missing_objects(db)
        indexes = [item for item in missing if item.type == "index"]
        known_search = {search.fts: search for search in SEARCH_INDEXES}
        search = {fts for fts in state["search"] if isinstance(fts, str) and fts in known_search}
        for item in missing:
            if item.type == "trigger":
                search |= {fts for fts in known_search if item.name.startswith(fts + "_")}
        work = len(indexes) + len(search) + 1
        done = 0
        threads = int(db.conn.execute("PRAGMA threads").fetchone()[0])
        db.conn.execute(f"PRAGMA threads = {SORT_THREADS}")
        # Only the program's own statements run here; the guard refuses any transaction
        # control or ATTACH among them all the same.
        try:
            with connection.foreign_statements(db):
                for item in indexes:
                    db.conn.execute(item.sql)
                    done += 1
                    if step is not None:
                        step(done, work)
                for item in missing:
                    if item.type == "trigger":
                        db.conn.execute(item.sql)
                for fts in sorted(search):
                    rebuild_search(db, fts)
                    done += 1
                    if step is not None:
                        step(done, work)
        finally:
            db.conn.execute(f"PRAGMA threads = {threads}")
        built = {item.name: item.table for item in indexes}
        stats = [
            row for row in state["stats"]
            if isinstance(row, list) and len(row) == 3 and isinstance(row[2], str)
            and built.get(row[1]) == row[0]
        ]
        if stats and db.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
        ).fetchone():
            db.conn.executemany(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) SELECT ?, ?, ? WHERE NOT EXISTS "
                "(SELECT 1 FROM sqlite_stat1 WHERE idx = ?2)",
                stats,
            )
        db.conn.execute("DELETE FROM settings WHERE key = ?", [PENDING])
    return True


def finish_interrupted(db: sqlite_utils.Database) -> bool:
    """On opening a file: rebuild what a bulk import cut off (a crash) left dropped.

    When another program is writing the file right now (an import still under way, which
    rebuilds them itself at its end), this waits the usual busy timeout, then leaves it.
    """
    if not is_pending(db):
        return False
    try:
        done = finish(db)
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
        log.warning("bulk import indexes not rebuilt: the file is busy (%s)", exc)
        return False
    if done:
        log.info("rebuilt the indexes of a bulk import that was cut off")
    return done


def checkpoint(db: sqlite_utils.Database) -> None:
    """Give back the disk space of a large import's write-ahead log (best effort)."""
    try:
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except sqlite3.Error:
        pass
