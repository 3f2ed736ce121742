"""Opening a data file the same way every time.

Every connection gets WAL, ``synchronous=FULL``, foreign keys and a busy timeout (DESIGN §3),
and a file that is not SQLite, is read-only or is missing is refused with a clear message
before SQLite can touch it.

Every write takes SQLite's write lock the same way: at the start of its transaction
(``BEGIN IMMEDIATE``), where the busy timeout lets it wait for another writer. A deferred
transaction that reads first and writes later is refused at once with "database is locked"
when another connection wrote in between (no waiting can help it: its snapshot is stale),
which is how ``demo`` failed beside a running ``members import`` (issue 14). So
:class:`Database` begins ``db.atomic()`` with ``BEGIN IMMEDIATE``, and the implicit
transaction Python's sqlite3 opens before a lone INSERT/UPDATE/DELETE is immediate too
(``isolation_level``).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Generator
from pathlib import Path

import sqlite_utils

from kt_desktop.domain.errors import DataFileError, reason_text
from kt_desktop.i18n import _
from kt_desktop.paths import PRIVATE_FILE_MODE, make_private

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


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


def configure(conn: sqlite3.Connection) -> None:
    """The settings DESIGN §3 asks of every connection."""
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
    if str(path) == ":memory:":
        conn = sqlite3.connect(":memory:", check_same_thread=False)
    else:
        path = Path(path)
        _check_file(path, create=create)
        if create and not path.exists():
            _create_private(path)
        try:
            conn = sqlite3.connect(
                str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
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
    # No sqlite-utils plugins: an installed plugin must not change how our data file is used
    # (and finding them scans every installed package's entry points at each start).
    return Database(conn, execute_plugins=False)


def file_path(db: sqlite_utils.Database) -> Path | None:
    """The file behind ``db``, None for an in-memory database."""
    row = db.execute("PRAGMA database_list").fetchone()
    return Path(row[2]) if row and row[2] else None
