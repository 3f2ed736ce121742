"""An open data file: its path, kind and code, and one SQLite connection per thread.

The GUI keeps a :class:`Session`, never a connection: a worker thread that runs a service
gets its own connection from :meth:`Session.db` (sqlite3 connections are per thread; vorta#748
shows what happens otherwise).

Opening a file whose schema is current reads its settings with plain SQL: the thread that
opened it gets its connection wrapped for sqlite-utils at its first :meth:`Session.db`, so
the program's window paints before sqlite-utils is loaded (issue 16).
"""

from __future__ import annotations

import math
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from kt_desktop import paths
from kt_desktop.domain import clock
from kt_desktop.domain.errors import DataFileError, reason_text
from kt_desktop.domain.formats import utc_now_iso
from kt_desktop.i18n import _
from kt_desktop.store import connection, migrations, settings

if TYPE_CHECKING:
    import sqlite_utils


VILLAGE = settings.KIND_VILLAGE
RECEIVER = settings.KIND_RECEIVER


class Session:
    """Opened with :func:`open_session`; close it when the file is no longer used."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Keyed by thread id, not threading.local: PySide6 drops the Python state of a
        # QThreadPool thread after each task, so a thread-local would open (and leak) a new
        # connection for every background operation. A dead thread's id may be reused by a new
        # thread; it then inherits a connection that nobody else uses, which is safe.
        self._by_thread: dict[int, sqlite_utils.Database | sqlite3.Connection] = {}
        self._guard = threading.Lock()
        self.kind: str | None = None
        self.code: str = ""

    def db(self) -> sqlite_utils.Database:
        """This thread's connection (opened on first use)."""
        ident = threading.get_ident()
        with self._guard:
            db = self._by_thread.get(ident)
        if isinstance(db, sqlite3.Connection):  # opened plain (open_session): wrap it now
            db = connection.wrap(db)
            with self._guard:
                self._by_thread[ident] = db
        elif db is None:
            db = connection.connect(self.path)
            with self._guard:
                self._by_thread[ident] = db
        return db

    def setting(self, key: str) -> str | None:
        """A setting of the file (:mod:`kt_desktop.store.settings`), read with plain SQL on
        this thread's connection: what start-up asks before the window paints (the kind,
        the code, whether a PIN is set) does not load sqlite-utils."""
        with self._guard:
            db = self._by_thread.get(threading.get_ident())
        return settings.get(db if db is not None else self.db(), key)

    def open_connections(self) -> int:
        """How many connections are open (tests check that closing closes them all)."""
        with self._guard:
            return len(self._by_thread)

    def close(self) -> None:
        with self._guard:
            open_connections = list(self._by_thread.values())
            self._by_thread.clear()
        for db in open_connections:
            try:
                db.close()
            except Exception:
                pass

    @property
    def is_village(self) -> bool:
        return self.kind == VILLAGE

    @property
    def is_receiver(self) -> bool:
        return self.kind == RECEIVER

    @property
    def is_new(self) -> bool:
        """True for a file that has no village or receiver set up yet (the wizard's cue)."""
        return self.kind is None

    def actor(self) -> str:
        """Who the audit log names: the secretary in the profile, else the role."""
        from kt_desktop.store import profile as profile_store

        profile = profile_store.load(self.db())
        if profile and profile.sekretaris.strip():
            return profile.sekretaris.strip()
        return _("Secretary")

    def refresh(self) -> None:
        self.kind = self.setting(settings.FILE_KIND)
        code_key = settings.VILLAGE_CODE if self.kind == VILLAGE else settings.AREA_CODE
        self.code = self.setting(code_key) or ""
        # Times are shown and printed in the province's zone (WIB, WITA, WIT).
        clock.use_zone(clock.zone_of(self.code))


def migration_backup_path(
    path: Path, db: sqlite_utils.Database | sqlite3.Connection | None = None
) -> Path:
    """Where the copy made before a schema update goes: the data file's own backup folder.

    A file made before identities (migration 9 gives it one) has no folder yet: its copy goes
    to the backup folder itself, found later by the file's name and village.
    """
    from kt_desktop.services.backups import FileIdentity, identity_folder

    stamp = utc_now_iso().replace(":", "").replace("-", "")[:15]
    name = f"{path.stem}-before-migration-{stamp}.sqlite"
    if db is not None and db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'"
    ).fetchone():
        file_id = settings.get(db, settings.FILE_ID)
        if file_id:
            kind = settings.get(db, settings.FILE_KIND)
            code = settings.get(
                db, settings.VILLAGE_CODE if kind == VILLAGE else settings.AREA_CODE
            )
            return identity_folder(FileIdentity(kind=kind, code=code, file_id=file_id)) / name
    return paths.backup_dir() / name


#: A data file at least this large says so while its schema is updated on opening: the
#: update of migration 26, with its pre-migration copy, took 16 s on a 1.9 GB receiver and
#: 89 s on a 15.5 GB one (Jawa Tengah's 8,563 villages; docs/BENCHMARK.md).
UPDATE_NOTICE_BYTES = 200_000_000


def update_pending(path: str | Path) -> bool:
    """Will :func:`open_session` update the schema of ``path`` first (a file made by an
    older version)?"""
    conn = connection.open_connection(Path(path).expanduser())
    try:
        return 0 < migrations.schema_version(conn) < migrations.latest_version()
    finally:
        conn.close()


def update_notice_due(path: str | Path) -> bool:
    """Should opening ``path`` say first that it is being updated? A large file
    (:data:`UPDATE_NOTICE_BYTES`) whose schema is older: its update takes a minute or more,
    and the GUI and the CLI say so instead of showing nothing. A missing or unreadable file
    is left to :func:`open_session`, which names the problem."""
    try:
        large = Path(path).expanduser().stat().st_size >= UPDATE_NOTICE_BYTES
    except OSError:
        return False
    return large and update_pending(path)


def update_notice(path: str | Path) -> str:
    """What is said while a large file's schema is updated (:func:`update_notice_due`)."""
    return _(
        "Data file {name} is being updated for this version of the program. A copy of it is "
        "kept first. On a large file this takes several minutes (a province's receiver of "
        "several gigabytes: up to some ten); please wait."
    ).format(name=Path(path).name)


def _disk_full(exc: BaseException) -> bool:
    from kt_desktop.store.backup import disk_error

    found = disk_error(exc)
    return found is not None and found.code == "disk_full"


def update_refused_disk_full(path: Path) -> DataFileError:
    """The disk filled up while the file's schema was updated (or its copy written): the
    update's transaction was undone and the file is as it was, so it is not "damaged" (which
    would offer to restore a backup). A receiver's update rebuilds its record tables
    (migration 27) and needs about twice the file's size free: the copy, then the update."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    need = max(1, math.ceil(2 * size / 1024**3))
    return DataFileError(
        _(
            "Data file {path} could not be updated for this version of the program: the disk "
            "is full. Nothing was changed. The update needs about {need} GB of free space (a "
            "copy of the file, then the update itself); free some space, then open it again."
        ).format(path=path, need=need),
        code="disk_full",
    )


def open_session(path: str | Path, *, create: bool = False) -> Session:
    """Open (or with ``create``, make) a data file and bring its schema up to date."""
    path = Path(path).expanduser()
    conn = connection.open_connection(path, create=create)
    # Plain sqlite3 while nothing needs more (a current schema, no import to finish).
    db: sqlite_utils.Database | sqlite3.Connection = conn
    try:
        version = migrations.schema_version(conn)
        if version == 0 and conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1"
        ).fetchone():
            raise DataFileError(
                _("{path} is an SQLite database of another program, not a KT Desktop data file.")
                .format(path=path),
                code="not_kt_file",
            )
        # Where a schema update's copy would go (a backups folder that is a file is refused
        # here, whether or not the file needs an update).
        backup_to = migration_backup_path(path, conn)
        if version != migrations.latest_version():  # older: migrated; newer: refused
            db = connection.wrap(conn)
            migrations.migrate(db, backup_to=backup_to)
        # A bulk import cut off by a crash left indexes dropped: build them before any read.
        if settings.get(conn, settings.BULK_IMPORT_PENDING):
            from kt_desktop.store import bulk_import

            db = db if not isinstance(db, sqlite3.Connection) else connection.wrap(conn)
            bulk_import.finish_interrupted(db)
    except DataFileError:
        conn.close()
        raise
    except paths.NotAFolder as exc:  # the backups folder is a file
        conn.close()
        from kt_desktop.services.failures import not_a_folder

        raise not_a_folder(exc) from exc
    except Exception as exc:
        conn.close()
        if _disk_full(exc):
            raise update_refused_disk_full(path) from exc
        raise DataFileError(
            _("Data file {path} cannot be used: {reason}").format(path=path, reason=reason_text(exc)),
            code="damaged",
        ) from exc
    session = Session(path)
    session._by_thread[threading.get_ident()] = db
    session.refresh()
    return session
