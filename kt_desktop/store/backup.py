"""The file-level side of reliability: snapshots, read-only checks, putting a backup in place.

SQLite keeps its promise of atomic commit only when nobody copies, truncates or half-replaces
its files behind its back (sqlite.org, "How To Corrupt An SQLite Database File"). So:

* a backup is never a file copy of a live database: :func:`snapshot` uses ``VACUUM INTO``
  on a read-only connection (a consistent snapshot that leaves no freed pages, so a removed
  member's NIK does not live on in the backup's free space), writes a temporary name,
  fsyncs it, runs ``integrity_check`` on it and only then renames it into place;
* :func:`inspect` looks at a file without writing to it (a read-only connection, which can
  neither checkpoint nor roll anything back), so a damaged data file stays exactly as it was;
* :func:`install` puts a checked backup in place of a data file: copied under a temporary
  name beside the target, checked, the target's stale ``-wal``/``-shm`` removed (an old WAL
  replayed onto another file is corruption), then renamed;
* :func:`disk_error` turns "disk full" and I/O errors into a message the secretary can act on.
"""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import stat
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kt_desktop.domain.errors import DataFileError, KtError
from kt_desktop.i18n import _
from kt_desktop.paths import make_private
from kt_desktop.store.connection import BUSY_TIMEOUT_MS, SQLITE_HEADER, copying_to, open_raw

if TYPE_CHECKING:  # sqlite-utils is not imported before the first window paints (issue 16)
    import sqlite_utils

SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_NOTADB = 26
_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
_SIDE_FILES = ("-wal", "-shm", "-journal")
_HEADER_SIZE = 100


class DiskError(KtError):
    """The disk is full or failed during a write; whatever was being written was rolled back."""

    code = "disk_full"


@dataclass(slots=True)
class FileReport:
    """What a read-only look at an SQLite file found.

    ``problem`` is a stable code (``missing``, ``folder``, ``empty``, ``not_sqlite``,
    ``truncated``, ``damaged``, ``not_kt_file``) or None when the file is sound; ``problems``
    are SQLite's own lines, for the details box. ``file_id`` is the id the file carries
    (migration 9), None in a file made before it.
    """

    path: Path
    problem: str | None = None
    problems: list[str] = field(default_factory=list)
    schema_version: int = 0
    kind: str | None = None
    code: str | None = None
    file_id: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    change_mark: tuple[int, int] = (0, 0)
    size: int = 0

    @property
    def ok(self) -> bool:
        return self.problem is None


# -- errors ------------------------------------------------------------------------------


def disk_error(exc: BaseException, where: Path | str | None = None) -> DiskError | None:
    """A :class:`DiskError` for a full disk or an I/O failure, None for anything else.

    SQLite reports a full disk as ``SQLITE_FULL`` and a failing device as ``SQLITE_IOERR``;
    Python's own file writes raise ``OSError`` with ``ENOSPC``/``EFBIG``/``EIO``. In every case
    the statement or transaction did not happen, which the message says.
    """
    place = str(where) if where else _("the disk")
    if isinstance(exc, sqlite3.Error):
        primary = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
        text = str(exc).lower()
        if primary == SQLITE_FULL or "disk is full" in text:
            return DiskError(_full_message(place))
        if primary == SQLITE_IOERR or "disk i/o error" in text:
            return DiskError(_io_message(place, str(exc)), code="io_error")
        return None
    if isinstance(exc, OSError):
        if exc.errno in _FULL_ERRNOS:
            return DiskError(_full_message(place))
        if exc.errno == errno.EIO:
            return DiskError(_io_message(place, exc.strerror or str(exc)), code="io_error")
    return None


def _full_message(place: str) -> str:
    return _(
        "Disk full: there is no space left on {place}. Nothing was changed. Free some space "
        "(delete files you no longer need or empty the Recycle Bin), then try again."
    ).format(place=place)


def _io_message(place: str, reason: str) -> str:
    return _(
        "Disk read/write error on {place} ({reason}). Nothing was changed. If it is a flash "
        "drive, plug it in again; otherwise check the disk, then try again."
    ).format(place=place, reason=reason)


@contextmanager
def disk_errors(where: Path | str | None = None) -> Iterator[None]:
    """Re-raise disk-full and I/O errors inside the block as :class:`DiskError`."""
    try:
        yield
    except (sqlite3.Error, OSError) as exc:
        translated = disk_error(exc, where)
        if translated is None:
            raise
        raise translated from exc


# -- small file helpers --------------------------------------------------------------------


def side_files(path: Path) -> list[Path]:
    """The ``-wal``, ``-shm`` and ``-journal`` files SQLite may keep beside ``path``."""
    return [Path(str(path) + suffix) for suffix in _SIDE_FILES]


def fsync_file(path: Path) -> None:
    with path.open("rb+") as handle:
        handle.flush()
        os.fsync(handle.fileno())


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no directory handles to sync)."""
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def remove_side_files(path: Path) -> list[Path]:
    """Delete stale ``-wal``/``-shm``/``-journal`` files of ``path``; returns those removed.

    Only call this while no connection has ``path`` open.
    """
    removed = []
    for side in side_files(path):
        if side.exists():
            side.unlink()
            removed.append(side)
    return removed


def open_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write ``path`` (no checkpoint, no rollback, no schema change)."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    conn = open_raw(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


# -- looking at a file without writing it -------------------------------------------------


def _header_problem(path: Path, report: FileReport) -> bool:
    """Check what can be told from the bytes alone; True when the file is already judged."""
    if not path.exists():
        report.problem = "missing"
        return True
    if path.is_dir():
        report.problem = "folder"
        return True
    if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block the read forever
        report.problem = "not_sqlite"
        return True
    report.size = path.stat().st_size
    if report.size == 0:
        report.problem = "empty"
        return True
    with path.open("rb") as handle:
        header = handle.read(_HEADER_SIZE)
    if not header.startswith(SQLITE_HEADER):
        report.problem = "not_sqlite"
        return True
    if len(header) < _HEADER_SIZE:
        report.problem = "truncated"
        return True
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    if header[24:28] != header[92:96]:
        page_count = 0  # the in-header size is only valid when its version stamp matches
    # A WAL file may hold pages beyond the main file's end, so only a main file shorter than
    # its own header's page count *with no WAL beside it* is certainly cut short.
    wal = Path(str(path) + "-wal")
    has_wal = wal.exists() and wal.stat().st_size > 0
    if page_size and report.size % page_size:
        report.problem = "truncated"
        return True
    if page_size and page_count * page_size > report.size and not has_wal:
        report.problem = "truncated"
        return True
    return False


def inspect(
    path: Path, *, tables: Iterable[str] = (), quick: bool = True, deep: bool = True
) -> FileReport:
    """Judge ``path`` read-only: header, ``quick_check`` (or ``integrity_check``), schema, counts.

    Never raises for a bad file: the verdict is in the report. ``tables`` are the record
    tables whose live rows are counted (tables missing from the file are skipped).
    ``deep=False`` skips the page-by-page check (header, truncation and schema only).
    """
    path = Path(path)
    report = FileReport(path=path)
    if _header_problem(path, report):
        return report
    try:
        conn = open_read_only(path)
    except sqlite3.Error as exc:
        report.problem, report.problems = "damaged", [str(exc)]
        return report
    try:
        pragma = "quick_check" if quick else "integrity_check"
        lines = [row[0] for row in conn.execute(f"PRAGMA {pragma}").fetchall()] if deep else ["ok"]
        if lines != ["ok"]:
            report.problem, report.problems = "damaged", lines
            return report
        report.schema_version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if report.schema_version == 0 or "settings" not in names:
            report.problem = "not_kt_file"
            return report
        settings = dict(conn.execute("SELECT key, value FROM settings").fetchall())
        report.kind = settings.get("file_kind")
        report.code = settings.get(
            "village_code" if report.kind == "village" else "area_code"
        )
        report.file_id = settings.get("file_id")
        for table in tables:
            if table in names:
                report.counts[table] = int(
                    conn.execute(
                        f"SELECT count(*) FROM [{table}] WHERE deleted_at IS NULL"
                    ).fetchone()[0]
                )
        report.change_mark = _change_mark(conn, names)
    except sqlite3.DatabaseError as exc:
        report.problem, report.problems = "damaged", [str(exc)]
    finally:
        conn.close()
    return report


def read_identity(path: Path) -> tuple[str | None, str | None, str | None] | None:
    """``(file kind, village/area code, file id)`` read from ``path`` without writing it.

    Cheaper than :func:`inspect` (no page check): used to tell whose backup a file is. None
    when the file cannot be read as a KT Desktop file at all.
    """
    path = Path(path)
    if not path.is_file():
        return None
    try:
        conn = open_read_only(path)
        try:
            settings = dict(conn.execute("SELECT key, value FROM settings").fetchall())
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    kind = settings.get("file_kind")
    code = settings.get("village_code" if kind == "village" else "area_code")
    return kind, code, settings.get("file_id")


def _change_mark(conn: sqlite3.Connection, names: set[str]) -> tuple[int, int]:
    """(change counter, last audit line other than a backup): equal marks = same content."""
    seq = 0
    if "counters" in names:
        row = conn.execute("SELECT value FROM counters WHERE name = 'change_seq'").fetchone()
        seq = int(row[0]) if row else 0
    audit = 0
    if "audit_log" in names:
        row = conn.execute(
            "SELECT max(id) FROM audit_log WHERE action NOT IN ('backup')"
        ).fetchone()
        audit = int(row[0] or 0)
    return seq, audit


def change_mark(path: Path) -> tuple[int, int]:
    """The content mark of a sound file, read-only (see :func:`_change_mark`)."""
    conn = open_read_only(path)
    try:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        return _change_mark(conn, names)
    finally:
        conn.close()


# -- writing copies -----------------------------------------------------------------------


def _temp_beside(dest: Path) -> Path:
    return dest.with_name(f".{dest.name}.{os.getpid()}.tmp")


@contextmanager
def _temp_copy(dest: Path) -> Iterator[Path]:
    """The temporary file a copy is written to before it is renamed to ``dest`` (beside it:
    the rename is atomic). What an earlier, interrupted attempt left is removed first; the
    temporary file and its side files are removed again when the work in the block fails."""
    temp = _temp_beside(dest)
    for stale in (temp, *side_files(temp)):
        _unlink(stale)
    try:
        yield temp
    except BaseException:
        for leftover in (temp, *side_files(temp)):
            _unlink(leftover)
        raise


def _refuse_unsound(temp: Path, message: str, code: str, **values: object) -> None:
    """Refuse the copy ``temp`` when its ``integrity_check`` fails: ``message`` (translated)
    names the first problem as ``{problem}``."""
    problems = integrity_problems(temp)
    if problems:
        raise DataFileError(message.format(problem=problems[0], **values), code=code)


def snapshot(source: Path, dest: Path) -> str:
    """Write a checked, self-contained copy of ``source`` to ``dest``; returns its SHA-256.

    ``VACUUM INTO`` runs on a read-only connection, so it sees one committed state even while
    another connection keeps writing, and it never writes ``source``. The copy is written to a
    temporary name, fsynced (SQLite does not fsync a ``VACUUM INTO`` result), checked with
    ``integrity_check`` and renamed; a failure at any step removes the temporary file and
    leaves ``dest`` as it was. Disk-full and I/O errors become :class:`DiskError`.
    """
    source, dest = Path(source), Path(dest)
    with _temp_copy(dest) as temp:
        with disk_errors(dest.parent):
            conn = open_read_only(source)
            try:
                with copying_to(conn, temp):
                    conn.execute("VACUUM INTO ?", [str(temp)])
            finally:
                conn.close()
            fsync_file(temp)
        _refuse_unsound(
            temp,
            _("The backup copy {path} failed its check ({problem}); it was not kept."),
            "backup_failed",
            path=dest,
        )
        digest = sha256_of(temp)
        make_private(temp)
        with disk_errors(dest.parent):
            os.replace(temp, dest)
            fsync_dir(dest.parent)
    return digest


def integrity_problems(path: Path) -> list[str]:
    """Full ``integrity_check`` of a file that is not in use; an empty list means sound."""
    try:
        conn = open_read_only(path)
        try:
            lines = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if lines == ["ok"] else lines


def install(backup: Path, target: Path) -> None:
    """Put a copy of ``backup`` where ``target`` is; ``backup`` itself is left untouched.

    The caller has checked ``backup`` and closed every connection to ``target``. The copy goes
    through SQLite's backup API into a temporary file beside ``target`` (same folder, so the
    final rename is atomic), is fsynced and checked, then the target's stale ``-wal``/``-shm``
    are removed and the copy renamed over it.
    """
    backup, target = Path(backup), Path(target)
    with _temp_copy(target) as temp:
        with disk_errors(target.parent):
            source = open_read_only(backup)
            try:
                copy = open_raw(str(temp))
                try:
                    source.backup(copy)
                    copy.execute("PRAGMA journal_mode = DELETE")
                finally:
                    copy.close()
            finally:
                source.close()
            fsync_file(temp)
        _refuse_unsound(
            temp,
            _("The restored copy failed its check ({problem}); nothing was replaced."),
            "restore_failed",
        )
        make_private(temp)
        with disk_errors(target.parent):
            remove_side_files(target)
            os.replace(temp, target)
            fsync_dir(target.parent)


def set_aside(path: Path, suffix: str) -> Path:
    """Rename ``path`` and its side files to ``<name><suffix>`` (bytes untouched); new path.

    Used for a damaged data file: it is kept for whoever may rescue something from it, but
    under a name the program will not open again.
    """
    path = Path(path)
    aside = path.with_name(path.name + suffix)
    os.replace(path, aside)
    for side in side_files(path):
        if side.exists():
            os.replace(side, Path(str(aside) + side.name[len(path.name):]))
    fsync_dir(path.parent)
    return aside


def checkpoint(db: sqlite_utils.Database | sqlite3.Connection) -> None:
    """Copy the WAL into the main file and empty it (``TRUNCATE``).

    After a removal this is what makes the cleared bytes leave the ``-wal`` too: with
    ``secure_delete`` the main file's old cell is zeroed, and the truncated WAL no longer
    holds the page as it was before.
    """
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
