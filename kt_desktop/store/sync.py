"""The SQL behind bundles: which record tables travel, what changed, and the bulk upsert.

:data:`SYNC_TABLES` is the one place that says which record tables travel in a bundle, in
foreign-key order (a parent before its children), and which of their columns are BLOBs
(carried as files under ``data/attachments/`` instead of inside the JSONL). The bundle
writer, reader and merge are generic over it: a new record table travels once it is listed
here, and a test fails while a record table is neither listed nor excluded on purpose.

The merge is the hot path of a receiver (1,552 villages): rows are written with
``executemany`` on the connection inside one transaction, not through sqlite-utils'
``upsert_all`` (docs/DESIGN.md, "Measured facts": 27k rows/s against 325k).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from kt_desktop.domain.book import all_books
from kt_desktop.store import records


@dataclass(frozen=True, slots=True)
class SyncTable:
    """A record table that travels; ``blob_columns`` go as files, not as JSON values."""

    name: str
    blob_columns: tuple[str, ...] = ()


#: Every record table that travels, parents before children. Tables that do not exist in a
#: file (an area not built yet, an older schema) are skipped, so listing one early is harmless.
SYNC_TABLES: list[SyncTable] = [
    SyncTable("profile", blob_columns=("logo",)),
    SyncTable("members"),
    SyncTable("activities"),
    SyncTable("activity_participants"),
    SyncTable("activity_beneficiaries"),
    SyncTable("activity_funds"),
    SyncTable("attachments", blob_columns=("data", "thumbnail")),
    SyncTable("trainings"),
    SyncTable("training_sessions"),
    SyncTable("training_participants"),
    SyncTable("training_attendance"),
    SyncTable("training_certificates"),
    SyncTable("training_outcomes"),
    SyncTable("monthly_report_notes"),
]

# Every declared book travels by its declaration (``BookSpec.travel``), after the rest.
SYNC_TABLES += [
    SyncTable(spec.table, blob_columns=spec.travel.blob_columns)
    for spec in all_books() if spec.travel.enabled
] + [  # a book's child rows (a meeting's attendance) after every book's own table
    SyncTable(child.table) for spec in all_books() if spec.travel.enabled
    for child in spec.children
]

#: Record tables (they have ``change_seq``) that stay in their file on purpose.
LOCAL_ONLY_TABLES: frozenset[str] = frozenset(
    table for spec in all_books() if not spec.travel.enabled
    for table in (spec.table, *(child.table for child in spec.children))
)

#: Columns every record table has; the merge decides on them.
IDENTITY = tuple(records.IDENTITY_COLUMNS)

_CHUNK = 900  # bound parameters per IN (...) query, well under SQLite's limit


@dataclass(frozen=True, slots=True)
class Column:
    """A column as the file declares it; ``kind`` is SQLite's type affinity."""

    name: str
    kind: str  # "TEXT" | "INTEGER" | "REAL" | "NUMERIC" | "BLOB"
    not_null: bool
    default: Any = None  # the column's DEFAULT as a Python value (None when it has none)


@dataclass(frozen=True, slots=True)
class ForeignKey:
    column: str
    parent: str
    parent_column: str


def _affinity(declared: str) -> str:
    """SQLite's rules (https://sqlite.org/datatype3.html §3.1), in their order."""
    upper = declared.upper()
    if "INT" in upper:
        return "INTEGER"
    if any(word in upper for word in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in upper or not upper:
        return "BLOB"
    if any(word in upper for word in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def sync_table(name: str) -> SyncTable | None:
    for table in SYNC_TABLES:
        if table.name == name:
            return table
    return None


def present_tables(db: sqlite_utils.Database) -> list[SyncTable]:
    """The travelling tables this file has, in :data:`SYNC_TABLES` order."""
    existing = set(db.table_names())
    return [table for table in SYNC_TABLES if table.name in existing]


def record_tables(db: sqlite_utils.Database) -> list[str]:
    """Every table of the file that has the record columns (so should travel or be excluded)."""
    found = []
    for name in db.table_names():
        names = {row[1] for row in db.execute(f"PRAGMA table_info([{name}])")}
        if {"id", "village_code", "change_seq", "deleted_at"} <= names:
            found.append(name)
    return found


def _default(text: str | None) -> Any:
    """A column's DEFAULT clause as a value: numbers and quoted strings; else None."""
    if text is None:
        return None
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return None


def table_columns(db: sqlite_utils.Database, table: str) -> list[Column]:
    return [
        Column(
            name=row[1],
            kind=_affinity(row[2] or ""),
            not_null=bool(row[3]) or row[5] > 0,
            default=_default(row[4]),
        )
        for row in db.execute(f"PRAGMA table_info([{table}])")
    ]


def foreign_keys(db: sqlite_utils.Database, table: str) -> list[ForeignKey]:
    return [
        ForeignKey(column=row[3], parent=row[2], parent_column=row[4] or "id")
        for row in db.execute(f"PRAGMA foreign_key_list([{table}])")
    ]


def _column_list(columns: Sequence[str]) -> str:
    return ", ".join(f"[{name}]" for name in columns)


@contextmanager
def snapshot(db: sqlite_utils.Database) -> Iterator[None]:
    """One read transaction, so that rows of several tables come from one moment."""
    if db.conn.in_transaction:
        yield
        return
    db.conn.execute("BEGIN")
    try:
        yield
    finally:
        db.conn.execute("COMMIT")


@contextmanager
def rolled_back(db: sqlite_utils.Database) -> Iterator[None]:
    """A transaction that is always rolled back: a dry run sees its own writes, then forgets."""
    if db.conn.in_transaction:
        raise RuntimeError("a dry run needs its own transaction")
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")


class Batch:
    """One outer transaction for many bundles, committed every ``max_rows`` rows.

    Each bundle still lands whole or not at all (its merge runs in a savepoint inside this
    transaction, with its import record); batching only saves the COMMIT, which with WAL
    and ``synchronous=FULL`` is an fsync and, now and then, a checkpoint: a quarter of the
    time of a province's first import when every bundle commits on its own. A crash loses
    the bundles of the open batch, whole, and importing them again is clean.
    """

    def __init__(self, db: sqlite_utils.Database, max_rows: int) -> None:
        self.db = db
        self.max_rows = max_rows
        self.rows = 0

    def written(self, rows: int) -> None:
        """Count a merged bundle's rows; commit the batch once it is large enough."""
        self.rows += rows
        if self.rows >= self.max_rows:
            self.db.conn.execute("COMMIT")
            self.db.conn.execute("BEGIN IMMEDIATE")
            self.rows = 0


@contextmanager
def batched(db: sqlite_utils.Database, *, max_rows: int) -> Iterator[Batch]:
    """Commit at the end (or every ``max_rows``); roll the open batch back on an error."""
    if db.conn.in_transaction:
        raise RuntimeError("a batch needs its own transaction")
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield Batch(db, max_rows)
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:  # a failed COMMIT (a full disk) leaves it open
            db.conn.execute("ROLLBACK")
        raise


def use_large_cache(db: sqlite_utils.Database, megabytes: int = 64) -> int:
    """A bigger page cache for a bulk merge: a receiver's indexes outgrow SQLite's 2 MB.

    Returns the setting it had (for :func:`restore_cache`)."""
    current = int(db.conn.execute("PRAGMA cache_size").fetchone()[0])
    wanted = -megabytes * 1024
    if current > wanted:  # negative = KiB; a larger cache is a more negative number
        db.conn.execute(f"PRAGMA cache_size = {wanted}")
    return current


def restore_cache(db: sqlite_utils.Database, setting: int) -> None:
    """Give the memory of a larger cache back (SQLite drops the pages over the limit)."""
    db.conn.execute(f"PRAGMA cache_size = {int(setting)}")


def current_change_seq(db: sqlite_utils.Database) -> int:
    return records.current_change_seq(db)


def next_change_seq(db: sqlite_utils.Database) -> int:
    return records.next_change_seq(db)


def changed_rows(
    db: sqlite_utils.Database,
    table: str,
    columns: Sequence[str],
    *,
    since: int,
    upto: int,
    village_code: str | None = None,
) -> list[tuple[Any, ...]]:
    """Rows with ``since < change_seq <= upto`` in the order they were written."""
    sql = f"SELECT {_column_list(columns)} FROM [{table}] WHERE change_seq > ? AND change_seq <= ?"
    params: list[Any] = [since, upto]
    if village_code is not None:
        sql += " AND village_code = ?"
        params.append(village_code)
    return db.conn.execute(sql + " ORDER BY change_seq", params).fetchall()


def ticked_ids(db: sqlite_utils.Database, table: str, field: str, village_code: str
               ) -> set[str]:
    """The live records of a book whose ``field`` is ticked (``"ya"``): their files travel
    (``Attachments.travel_when``)."""
    return {row[0] for row in db.conn.execute(
        f"SELECT id FROM [{table}] WHERE [{field}] = 'ya' AND village_code = ? "
        "AND deleted_at IS NULL", [village_code])}


def attachment_rows_of(db: sqlite_utils.Database, owner_table: str, owner_ids: Iterable[str],
                       columns: Sequence[str], upto: int) -> list[tuple[Any, ...]]:
    """The live attachment rows of these owners written up to ``upto`` (sent again when an
    owner is ticked after its files were written)."""
    found: list[tuple[Any, ...]] = []
    select = (f"SELECT {_column_list(columns)} FROM attachments WHERE deleted_at IS NULL "
              "AND change_seq <= ? AND owner_table = ? AND owner_id IN ")
    for chunk in _chunks(sorted(owner_ids)):
        found.extend(db.conn.execute(select + f"({', '.join('?' * len(chunk))})",
                                     [upto, owner_table, *chunk]).fetchall())
    return found


def changed_counts(
    db: sqlite_utils.Database, tables: Iterable[str], *, since: int
) -> dict[str, int]:
    """Rows written after ``since`` per table (what the next bundle will carry)."""
    return {
        table: int(
            db.conn.execute(
                f"SELECT count(*) FROM [{table}] WHERE change_seq > ?", [since]
            ).fetchone()[0]
        )
        for table in tables
    }


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def key_columns(db: sqlite_utils.Database, table: str) -> tuple[str, ...]:
    """The columns of ``table``'s primary key, in the key's order: ``("id",)`` in a
    village file, ``("village_code", "id")`` in a receiver's
    (:mod:`kt_desktop.store.schema_receiver_keys`)."""
    keyed = sorted(
        (int(row[5]), str(row[1]))
        for row in db.conn.execute(f"PRAGMA table_info([{table}])").fetchall()
        if row[5]
    )
    return tuple(name for _position, name in keyed)


def rows_by_id(
    db: sqlite_utils.Database,
    table: str,
    columns: Sequence[str],
    ids: Sequence[str],
    *,
    village_code: str | None = None,
) -> list[tuple[Any, ...]]:
    """Rows whose ``id`` is in ``ids`` (any order); missing ids are simply absent.

    ``village_code``: only that village's rows. A receiver keys its records on the village
    and the id, and finds them by both; a row of another village is never one of them.
    """
    found: list[tuple[Any, ...]] = []
    select = f"SELECT {_column_list(columns)} FROM [{table}] WHERE "
    if village_code is not None:
        select += "village_code = ? AND "
    select += "id IN "
    first = [] if village_code is None else [village_code]
    for chunk in _chunks(list(ids)):
        found.extend(
            db.conn.execute(
                select + f"({', '.join('?' * len(chunk))})", first + list(chunk)
            ).fetchall()
        )
    return found


def existing_rows(
    db: sqlite_utils.Database,
    table: str,
    columns: Sequence[str],
    ids: Sequence[str],
    *,
    village_code: str | None = None,
) -> dict[str, tuple[Any, ...]]:
    """``{id: row}`` for the ids already in ``table`` (rows in ``columns`` order), of
    ``village_code`` only when given (:func:`rows_by_id`)."""
    at = list(columns).index("id")
    return {
        row[at]: row
        for row in rows_by_id(db, table, columns, ids, village_code=village_code)
    }


def upsert_rows(
    db: sqlite_utils.Database,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> None:
    """Insert or overwrite whole rows by their key (:func:`key_columns`), in the given
    order, in one statement.

    A unique value passed from one row to another may collide here whatever the order
    (the row that gave it up is sent in its *latest* state, possibly after the row that
    took it): the merge then falls back to :func:`replace_rows`.
    """
    if not rows:
        return
    key = key_columns(db, table)
    updates = ", ".join(f"[{name}] = excluded.[{name}]" for name in columns if name not in key)
    db.conn.executemany(
        f"INSERT INTO [{table}] ({_column_list(columns)}) "
        f"VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT({_column_list(key)}) DO UPDATE SET {updates}",
        rows,
    )


@contextmanager
def savepoint(db: sqlite_utils.Database, name: str = "kt_rows") -> Iterator[None]:
    """A savepoint that undoes a partly written statement (``executemany`` stops halfway)."""
    db.conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        db.conn.execute(f"ROLLBACK TO {name}")
        db.conn.execute(f"RELEASE {name}")
        raise
    db.conn.execute(f"RELEASE {name}")


@dataclass(frozen=True, slots=True)
class UniqueIndex:
    name: str
    columns: tuple[str, ...]
    where: str  # the partial index's condition, "1" for a whole-table index


def unique_indexes(db: sqlite_utils.Database, table: str) -> list[UniqueIndex]:
    """The table's UNIQUE indexes other than its primary key (members' NIK per village,
    one live attendance row per cell, one follow-up per checkpoint, ...)."""
    found = []
    for row in db.conn.execute(f"PRAGMA index_list([{table}])").fetchall():
        name, unique, origin, partial = row[1], row[2], row[3], row[4]
        if not unique or origin == "pk":
            continue
        columns = tuple(info[2] for info in db.conn.execute(f"PRAGMA index_info([{name}])"))
        if not columns or any(column is None for column in columns):
            continue  # an index on an expression: not one the merge can reason about
        where = "1"
        if partial:
            sql = db.conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", [name]
            ).fetchone()[0]
            at = sql.upper().rfind(" WHERE ")
            where = sql[at + len(" WHERE ") :] if at >= 0 else "1"
        found.append(UniqueIndex(name=name, columns=columns, where=where))
    return found


def unique_holders(
    db: sqlite_utils.Database,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> list[tuple[str, str, int]]:
    """``(incoming id, holder id, holder's change_seq)`` for every row of ``table`` that is
    not among ``rows`` and holds a unique value one of ``rows`` is about to take."""
    indexes = unique_indexes(db, table)
    if not rows or not indexes:
        return []
    temp = f"kt_incoming_{table}"
    db.conn.execute(f"DROP TABLE IF EXISTS temp.[{temp}]")
    db.conn.execute(f"CREATE TEMP TABLE [{temp}] ({_column_list(columns)})")
    try:
        db.conn.executemany(
            f"INSERT INTO temp.[{temp}] VALUES ({', '.join('?' * len(columns))})", rows
        )
        found: list[tuple[str, str, int]] = []
        for index in indexes:
            match = " AND ".join(f"r.[{c}] = i.[{c}]" for c in index.columns)
            found.extend(
                db.conn.execute(
                    f"SELECT i.id, r.id, r.change_seq"
                    f" FROM (SELECT * FROM temp.[{temp}] WHERE {index.where}) AS i"
                    f" JOIN (SELECT * FROM main.[{table}] WHERE {index.where}) AS r"
                    f" ON {match}"
                    f" WHERE r.id NOT IN (SELECT id FROM temp.[{temp}])"
                ).fetchall()
            )
        return found
    finally:
        db.conn.execute(f"DROP TABLE IF EXISTS temp.[{temp}]")


def replace_rows(
    db: sqlite_utils.Database,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    village_code: str,
) -> None:
    """Write whole rows of ``village_code`` by ``id`` so that unique values may pass
    between them.

    The rows already here are taken out first and every row is then inserted: a value one
    row gives up and another takes (a NIK corrected on Siti and given to Rina) is never held
    twice in between, whatever the order of the rows. Foreign keys are checked at COMMIT
    (the rows come back with the same ids; no foreign key here has an ON DELETE action).
    """
    if not rows:
        return
    at = list(columns).index("id")
    db.conn.execute("PRAGMA defer_foreign_keys = ON")
    for chunk in _chunks([row[at] for row in rows]):
        db.conn.execute(
            f"DELETE FROM [{table}] WHERE village_code = ? "
            f"AND id IN ({', '.join('?' * len(chunk))})",
            [village_code, *chunk],
        )
    db.conn.executemany(
        f"INSERT INTO [{table}] ({_column_list(columns)}) "
        f"VALUES ({', '.join('?' * len(columns))})",
        rows,
    )


def orphans(db: sqlite_utils.Database, village_code: str) -> list[tuple[str, str, str]]:
    """``(table, id, parent table)`` of ``village_code``'s live or removed rows whose parent
    is not in the file, at most one per foreign key; then turns deferred foreign keys off.

    :func:`replace_rows` and :func:`remove_rows_not_in` defer the foreign keys (a row
    comes back, or goes, while its children point at it); SQLite then checks them only at
    COMMIT, where a violation would undo the whole batch of bundles. A merge asks here
    instead, and refuses the one bundle that left a child without its parent (a parent in
    a bundle still missing, or another village's record named as one). A receiver's rows
    are keyed by village, so this reads only this village's rows.
    """
    found: list[tuple[str, str, str]] = []
    for table in present_tables(db):
        for key in foreign_keys(db, table.name):
            if key.column == "village_code":
                continue  # the village half of a receiver's foreign key
            row = db.conn.execute(
                f"SELECT c.id FROM [{table.name}] AS c WHERE c.village_code = ? "
                f"AND c.[{key.column}] IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                f"[{key.parent}] AS p WHERE p.village_code = c.village_code "
                f"AND p.[{key.parent_column}] = c.[{key.column}]) LIMIT 1",
                [village_code],
            ).fetchone()
            if row is not None:
                found.append((table.name, str(row[0]), key.parent))
    db.conn.execute("PRAGMA defer_foreign_keys = OFF")
    return found


def remove_rows_not_in(
    db: sqlite_utils.Database,
    table: str,
    village_code: str,
    keep_ids: Sequence[str],
    *,
    written_by: Sequence[int] | None,
    keep_change_seqs: Sequence[int] = (),
) -> int:
    """Delete the village's rows of ``table`` whose id is not in ``keep_ids``; returns how
    many. ``written_by``: the ``change_seq`` values the rows to consider were written with
    (the village's imports but the later ones: found through the ``change_seq`` index), or
    None to look at every row of the village except those numbered in ``keep_change_seqs``.

    A full bundle is the village's whole truth: what it does not hold, the village does not
    have (records made after the backup it restored), so the receiver must not keep it.
    """
    db.conn.execute("PRAGMA defer_foreign_keys = ON")  # a kept child may still point here
    db.conn.execute("DROP TABLE IF EXISTS temp.kt_keep")
    db.conn.execute("DROP TABLE IF EXISTS temp.kt_seqs")
    db.conn.execute("CREATE TEMP TABLE kt_keep (id TEXT PRIMARY KEY)")
    db.conn.execute("CREATE TEMP TABLE kt_seqs (seq INTEGER PRIMARY KEY)")
    try:
        db.conn.executemany(
            "INSERT OR IGNORE INTO temp.kt_keep VALUES (?)", [(i,) for i in keep_ids]
        )
        if written_by is not None:
            db.conn.executemany(
                "INSERT OR IGNORE INTO temp.kt_seqs VALUES (?)", [(s,) for s in written_by]
            )
            cursor = db.conn.execute(
                f"DELETE FROM [{table}] WHERE change_seq IN (SELECT seq FROM temp.kt_seqs)"
                " AND village_code = ? AND id NOT IN (SELECT id FROM temp.kt_keep)",
                [village_code],
            )
        else:
            db.conn.executemany(
                "INSERT OR IGNORE INTO temp.kt_seqs VALUES (?)",
                [(s,) for s in keep_change_seqs],
            )
            cursor = db.conn.execute(
                f"DELETE FROM [{table}] WHERE village_code = ?"
                " AND id NOT IN (SELECT id FROM temp.kt_keep)"
                " AND change_seq NOT IN (SELECT seq FROM temp.kt_seqs)",
                [village_code],
            )
        return cursor.rowcount
    finally:
        db.conn.execute("DROP TABLE IF EXISTS temp.kt_keep")
        db.conn.execute("DROP TABLE IF EXISTS temp.kt_seqs")


def insert_new_rows(
    db: sqlite_utils.Database,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    constants: dict[str, Any] | None = None,
) -> bool:
    """Insert ``rows`` as new rows, all or none; False (and nothing written) when one of
    them cannot be inserted as it is (its ``id`` is there already, or any other constraint).

    The first bundle of a village holds only rows the file has never seen: inserting them
    straight away proves it in one step, where looking each id up first costs a second
    probe of the same index. ``constants`` replaces the value of a column in every row
    (the receiver's own ``change_seq``).

    Must run inside a transaction (a savepoint undoes a partial insert).
    """
    if not rows:
        return True
    if not db.conn.in_transaction:
        raise RuntimeError("insert_new_rows needs a transaction")
    for name, value in (constants or {}).items():
        at = list(columns).index(name)
        rows = [row[:at] + (value,) + row[at + 1 :] for row in rows]  # type: ignore[operator]
    # The same SQL text for every bundle: SQLite compiles it once (the statement cache).
    marks = ", ".join("?" * len(columns))
    savepoint = "kt_insert_new"
    db.conn.execute(f"SAVEPOINT {savepoint}")
    try:
        db.conn.executemany(
            f"INSERT INTO [{table}] ({_column_list(columns)}) VALUES ({marks})",
            rows,
        )
    except sqlite3.IntegrityError:
        db.conn.execute(f"ROLLBACK TO {savepoint}")
        db.conn.execute(f"RELEASE {savepoint}")
        return False
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute(f"ROLLBACK TO {savepoint}")
            db.conn.execute(f"RELEASE {savepoint}")
        raise
    db.conn.execute(f"RELEASE {savepoint}")
    return True


#: What a refusal writes: the receiver's list of refused bundles (issue 24), and nothing else.
REFUSAL_LOG = "refusals"


def canonical_digest(db: sqlite_utils.Database) -> str:
    """SHA-256 over every row of every table but :data:`REFUSAL_LOG`, in a fixed order.

    Cheap proof that a refused bundle left the file exactly as it was (tests and the
    benchmark compare it before and after); noting the refusal itself is all it may write.
    """
    digest = hashlib.sha256()
    names = sorted(
        row[0]
        for row in db.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )
        if row[0] != REFUSAL_LOG
    )
    for name in names:
        digest.update(f"\x00table {name}\x00".encode())
        width = len(db.conn.execute(f"SELECT * FROM [{name}] LIMIT 0").description)
        order = ", ".join(str(position) for position in range(1, width + 1))
        cursor = db.conn.execute(f"SELECT * FROM [{name}] ORDER BY {order}")
        for row in cursor:
            digest.update(repr(row).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def is_constraint_error(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.IntegrityError)
