"""Turning low-level failures a user can cause or fix into refusals they can act on.

A full disk or a failing device surfaces as ``sqlite3.Error``/``OSError``; the GUI's workers
and the CLI pass every unexpected exception through :func:`as_refusal` so those become a
clear "Disk penuh…" message (the transaction was rolled back) instead of an error dialog.
So does "database is locked": another program kept SQLite's write lock longer than the busy
timeout the store waits (``store/connection.py``), which names that program when its lock
file says who it is.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from kt_desktop import paths
from kt_desktop.domain.errors import DataFileError, KtError
from kt_desktop.i18n import _
from kt_desktop.store import connection
from kt_desktop.store.backup import disk_error
from kt_desktop.store.lock import read_holder

SQLITE_BUSY = 5
SQLITE_CORRUPT = 11
SQLITE_NOTADB = 26


def is_busy(exc: BaseException) -> bool:
    """True for SQLite's "database is locked" (another connection holds the write lock)."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    return code == SQLITE_BUSY or "database is locked" in str(exc).lower()


def busy_refusal(data_file: Path | None) -> DataFileError:
    """The waiting ran out: say who holds the file when its lock file tells."""
    holder = read_holder(data_file) if data_file is not None else None
    if holder is not None and holder.pid == os.getpid():
        holder = None  # this command's own lock: the one writing is not a KT Desktop
    return DataFileError(
        _(
            "The data file is being written by another program ({holder}); waited {seconds} "
            "seconds. Nothing was changed by this command; try again when it has finished."
        ).format(
            holder=holder.describe() if holder else _("unknown program"),
            seconds=round(connection.BUSY_TIMEOUT_MS / 1000),
        ),
        code="busy",
    )


def is_damage(exc: BaseException) -> bool:
    """True for SQLite's "database disk image is malformed" / "file is not a database"."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    text = str(exc).lower()
    return code in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in text or "not a database" in text


def damage_refusal(data_file: Path | None) -> DataFileError:
    """A damaged page met halfway through a command (the open check reads only the header
    of a large file): the command's transaction was rolled back."""
    what = (
        _("Data file {path}").format(path=data_file) if data_file else _("The data file")
    )
    return DataFileError(
        _(
            "{what} is damaged: part of its contents failed SQLite's check. This command was "
            "stopped (its unfinished step was not saved). Restore the newest good backup ('kt-desktop "
            "backups' lists them)."
        ).format(what=what),
        code="damaged",
    )


def not_a_folder(exc: paths.NotAFolder) -> KtError:
    """One of the program's folders (``KT_DESKTOP_HOME/data`` ...) is a file."""
    return KtError(
        _(
            "{path} must be a folder for KT Desktop's files, but something else (a file) is "
            "there. Move or rename it, then start KT Desktop again."
        ).format(path=exc.path),
        code="not_a_folder",
    )


def as_refusal(exc: BaseException, data_file: Path | None = None) -> KtError | None:
    """The refusal ``exc`` stands for, or None when it is a bug."""
    if isinstance(exc, KtError):
        return exc
    if isinstance(exc, paths.NotAFolder):
        return not_a_folder(exc)
    if is_busy(exc):
        return busy_refusal(data_file)
    if is_damage(exc):
        return damage_refusal(data_file)
    return disk_error(exc)
