"""Opening a data file the same way every time.

Every connection gets WAL, ``synchronous=FULL``, foreign keys and a busy timeout (docs/DESIGN.md, "Data model"),
and a file that is not SQLite, is read-only or is missing is refused with a clear message
before SQLite can touch it.

A data file may come from someone else (a successor, a helper, a USB stick), so it is data,
never instructions. Every connection the program opens (:func:`connect`, :func:`open_raw`)
is a :class:`GuardedConnection` whose SQLite authorizer refuses what no statement of the
program needs and a crafted file could use to reach outside it:

* ``ATTACH``/``DETACH`` (writing or reading any other file), except the one file a
  ``VACUUM INTO`` inside :func:`copying_to` writes (backups, the pre-migration copy);
* ``load_extension()`` (native code; Python also leaves extension loading disabled);
* transaction control (``BEGIN``/``COMMIT``/``SAVEPOINT``...) inside a trigger or view, or
  while :func:`foreign_statements` marks statements whose choice the file influenced.

Every write takes SQLite's write lock the same way: at the start of its transaction
(``BEGIN IMMEDIATE``), where the busy timeout lets it wait for another writer. A deferred
transaction that reads first and writes later is refused at once with "database is locked"
when another connection wrote in between (no waiting can help it: its snapshot is stale),
which is how ``demo`` failed beside a running ``members import`` (issue 14). So
:class:`Database` begins ``db.atomic()`` with ``BEGIN IMMEDIATE``, and the implicit
transaction Python's sqlite3 opens before a lone INSERT/UPDATE/DELETE is immediate too
(``isolation_level``).

sqlite-utils is imported when a connection is first wrapped in a :class:`Database`, not
with this module: opening a file at start-up (:func:`open_connection`) reads a few settings
with plain SQL, and the window paints before sqlite-utils (with click, dateutil and pluggy,
~60 ms) is loaded (issue 16).
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import stat
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kt_desktop.domain.errors import DataFileError, reason_text
from kt_desktop.i18n import _
from kt_desktop.paths import PRIVATE_FILE_MODE, make_private

if TYPE_CHECKING:
    import sqlite_utils

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


#: SQL functions no statement may call, whoever wrote it.
DENIED_FUNCTIONS = frozenset({"load_extension"})


class Guard:
    """The authorizer of one connection (SQLite calls it while preparing each statement)."""

    def __init__(self) -> None:
        #: Files a ``VACUUM INTO`` may attach right now (see :func:`copying_to`).
        self.copy_targets: set[str] = set()
        #: > 0 while statements chosen from the file's content run (:func:`foreign_statements`).
        self.foreign = 0

    def __call__(
        self, action: int, arg1: str | None, arg2: str | None, _db: str | None,
        source: str | None,
    ) -> int:
        if action == sqlite3.SQLITE_ATTACH:
            return sqlite3.SQLITE_OK if arg1 in self.copy_targets else sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_DETACH:
            return sqlite3.SQLITE_DENY
        if action in (sqlite3.SQLITE_TRANSACTION, sqlite3.SQLITE_SAVEPOINT):
            if source is not None or self.foreign:
                return sqlite3.SQLITE_DENY
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK


class GuardedConnection(sqlite3.Connection):
    """An ``sqlite3.Connection`` with the program's :class:`Guard` installed from the start."""

    kt_guard: Guard

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.kt_guard = Guard()
        self.set_authorizer(self.kt_guard)


def _guard(db: sqlite_utils.Database | sqlite3.Connection) -> Guard:
    conn = db if isinstance(db, sqlite3.Connection) else db.conn
    guard = getattr(conn, "kt_guard", None)
    if not isinstance(guard, Guard):
        raise RuntimeError("connection not opened through kt_desktop.store.connection")
    return guard


@contextmanager
def copying_to(db: sqlite_utils.Database | sqlite3.Connection, dest: Path) -> Iterator[None]:
    """Allow one ``VACUUM INTO dest`` (SQLite attaches ``dest`` to write it) in the block."""
    guard = _guard(db)
    name = str(dest)
    guard.copy_targets.add(name)
    try:
        yield
    finally:
        guard.copy_targets.discard(name)


@contextmanager
def foreign_statements(db: sqlite_utils.Database | sqlite3.Connection) -> Iterator[None]:
    """Mark statements picked because of what the file says: no transaction control runs."""
    guard = _guard(db)
    guard.foreign += 1
    try:
        yield
    finally:
        guard.foreign -= 1


def open_raw(target: str, **kwargs: object) -> sqlite3.Connection:
    """``sqlite3.connect`` with the program's authorizer (for backups, checks, restores)."""
    return sqlite3.connect(target, factory=GuardedConnection, **kwargs)  # type: ignore[call-overload,no-any-return]


def regular_file_problem(path: Path) -> str | None:
    """Why ``path`` (which exists) cannot be opened as a file: a FIFO would block forever."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return exc.strerror or str(exc)
    if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
        return None
    return _("it is not an ordinary file (a pipe, device or socket)")


def can_write(path: Path) -> bool:
    """Whether ``path`` can really be opened for writing (opening changes nothing).

    ``os.access`` alone says yes to root for a file made read-only, and to everyone for an
    immutable file (``chattr +i``), which then fails halfway with "Operation not permitted".
    """
    if not os.access(path, os.W_OK):
        return False
    try:
        os.close(os.open(path, os.O_RDWR))
    except OSError:
        return False
    return True


def _check_file(path: Path, *, create: bool) -> None:
    if not path.exists():
        if not create:
            raise DataFileError(
                _("Data file {path} does not exist. Create it with 'kt-desktop init'.").format(
                    path=path
                ),
                code="missing",
            )
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            raise DataFileError(
                _("Folder {folder} does not exist.").format(folder=parent), code="missing"
            )
        if not os.access(parent, os.W_OK):
            raise DataFileError(
                _("Folder {folder} cannot be written. Choose another place.").format(
                    folder=parent
                ),
                code="read_only",
            )
        return
    if path.is_dir():
        raise DataFileError(
            _("{path} is a folder, not a data file.").format(path=path), code="not_sqlite"
        )
    special = regular_file_problem(path)
    if special is not None:
        raise DataFileError(
            _("Data file {path} cannot be read: {reason}").format(path=path, reason=special),
            code="unreadable",
        )
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DataFileError(
            _("Data file {path} cannot be read: {reason}").format(path=path, reason=reason_text(exc)),
            code="unreadable",
        ) from exc
    if header and header != SQLITE_HEADER:
        raise DataFileError(
            _("{path} is not a KT Desktop data file (not an SQLite database).").format(path=path),
            code="not_sqlite",
        )
    if not header and path.stat().st_size == 0 and not create:
        raise DataFileError(
            _("Data file {path} is empty. Restore it from a backup.").format(path=path),
            code="empty",
        )
    if not can_write(path):
        raise DataFileError(
            _("Data file {path} is read-only. Copy it to a folder you can write to.").format(
                path=path
            ),
            code="read_only",
        )


def _create_private(path: Path) -> None:
    """Make the new, empty data file owner-only before SQLite opens it: SQLite gives its
    ``-wal``/``-shm``/journal the mode of the database file (paths.PRIVATE_FILE_MODE)."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE_MODE))
    except FileExistsError:
        return
    except OSError as exc:
        raise DataFileError(
            _("Data file {path} cannot be opened: {reason}").format(
                path=path, reason=reason_text(exc)
            ),
            code="unreadable",
        ) from exc
    make_private(path)  # the umask may have taken bits away; never added any


@functools.cache
def database_type() -> type[sqlite_utils.Database]:
    """The program's ``Database``: sqlite-utils' whose outermost ``atomic()`` takes the
    write lock up front (made on first use, so that sqlite-utils is imported then)."""
    import sqlite_utils

    class Database(sqlite_utils.Database):
        """sqlite-utils' Database whose outermost ``atomic()`` takes the write lock up front."""

        @contextlib.contextmanager
        def atomic(self) -> Generator[sqlite_utils.Database, None, None]:
            if self.conn.in_transaction:
                with super().atomic() as db:  # a savepoint inside the open transaction
                    yield db
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    return Database


def configure(conn: sqlite3.Connection) -> None:
    """The settings docs/DESIGN.md, "Data model" asks of every connection."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")


def connect(path: str | Path, *, create: bool = False) -> sqlite_utils.Database:
    """Open ``path`` (``":memory:"`` for tests) with the project's settings.

    ``create`` allows a file that does not exist yet; otherwise a missing file is refused,
    so that a typo in ``--data`` never makes an empty data file somewhere.
    """
    return wrap(open_connection(path, create=create))


def open_connection(path: str | Path, *, create: bool = False) -> sqlite3.Connection:
    """What :func:`connect` opens, as a plain ``sqlite3`` connection (start-up reads its
    settings with it before sqlite-utils is loaded; :func:`wrap` it later)."""
    if str(path) == ":memory:":
        conn = open_raw(":memory:", check_same_thread=False)
    else:
        path = Path(path)
        _check_file(path, create=create)
        if create and not path.exists():
            _create_private(path)
        try:
            conn = open_raw(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        except sqlite3.Error as exc:
            raise DataFileError(
                _("Data file {path} cannot be opened: {reason}").format(path=path, reason=reason_text(exc)),
                code="unreadable",
            ) from exc
    try:
        configure(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DataFileError(
            _("Data file {path} is damaged: {reason}").format(path=path, reason=reason_text(exc)),
            code="damaged",
        ) from exc
    # Python's implicit BEGIN before a lone write becomes BEGIN IMMEDIATE (see the module doc).
    conn.isolation_level = "IMMEDIATE"
    return conn


def wrap(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """A connection from :func:`open_connection` as the ``Database`` the store works on."""
    # No sqlite-utils plugins: an installed plugin must not change how our data file is used
    # (and finding them scans every installed package's entry points at each start).
    return database_type()(conn, execute_plugins=False)


def file_path(db: sqlite_utils.Database) -> Path | None:
    """The file behind ``db``, None for an in-memory database."""
    row = db.execute("PRAGMA database_list").fetchone()
    return Path(row[2]) if row and row[2] else None
