"""One running copy per data file.

Two programs writing one SQLite file through WAL is safe for SQLite but not for the user
(two secretaries' edits interleaving, two bundles with one sequence number), so the program
holds an OS lock on ``<file>.lock`` while it has the file open, and a second copy is told
plainly who holds it. The OS drops the lock when the process dies, so a crash never leaves
a stale lock behind.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

from kt_desktop.domain.errors import DataFileError
from kt_desktop.i18n import _


class DataFileLock:
    def __init__(self, data_file: Path) -> None:
        self.path = Path(str(data_file) + ".lock")
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        handle = self.path.open("a+", encoding="utf-8")
        try:
            if sys.platform == "win32":
                import msvcrt

                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.close()
            raise DataFileError(
                _(
                    "Data file {path} is already open in another KT Desktop window. "
                    "Close that window first."
                ).format(path=str(self.path)[: -len(".lock")]),
                code="locked",
            ) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
            try:
                self.path.unlink()
            except OSError:
                pass

    def __enter__(self) -> DataFileLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
