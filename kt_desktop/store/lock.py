"""One writing program per data file.

Two programs writing one SQLite file through WAL is safe for SQLite but not for the user
(two secretaries' edits interleaving, two bundles with one sequence number), so a program
that writes holds an OS lock on ``<file>.lock``: the GUI for as long as the file is open,
a CLI command that writes for as long as it runs. The lock file says who holds it (process
id, GUI or which command), so a second program is told plainly who has the file. The OS
drops the lock when the process dies, so a crash never leaves a stale lock behind.

A command finding the file held by the GUI is refused at once (the window stays open for
hours); finding it held by another command, it waits its turn (issue 14: ``demo`` started
during a ``members import`` now waits instead of failing) and is refused only when the wait
runs out.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kt_desktop.domain.errors import DataFileError
from kt_desktop.i18n import _

GUI = "gui"
CLI = "cli"
#: How long a command waits for another command that writes the same file.
WAIT_SECONDS = 120.0
_POLL_SECONDS = 0.1
#: Windows locks a byte range, and a locked range cannot be read by anyone else: the lock is
#: taken far past the text, so that another program can still read who holds it.
_WINDOWS_LOCK_OFFSET = 1 << 30


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds a data file's lock, as its lock file says (``pid`` 0: unknown)."""

    pid: int = 0
    role: str = GUI
    command: str = ""

    @property
    def program(self) -> str:
        """``KT Desktop`` for the window, ``kt-desktop members import`` for a command."""
        if self.role == CLI:
            return f"kt-desktop {self.command}".strip()
        return "KT Desktop"

    def describe(self) -> str:
        """``KT Desktop, PID 4242`` (the PID left out when unknown)."""
        return f"{self.program}, PID {self.pid}" if self.pid else self.program


def lock_path(data_file: Path) -> Path:
    return Path(str(data_file) + ".lock")


def read_holder(data_file: Path) -> Holder | None:
    """Who the lock file names; None when there is none or it cannot be read.

    Only meaningful while the lock is held (a released lock's file is removed). Older
    versions wrote the bare PID, and only the GUI took the lock then.
    """
    try:
        text = lock_path(data_file).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not text:
        return None
    if text.isdigit():
        return Holder(pid=int(text))
    try:
        data = json.loads(text)
        return Holder(
            pid=int(data.get("pid", 0)), role=str(data.get("role", GUI)),
            command=str(data.get("command", "")),
        )
    except (ValueError, TypeError, AttributeError):
        return None


def _try_lock(handle: IO[bytes]) -> bool:
    """Take the OS lock without waiting; False when another process holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(_WINDOWS_LOCK_OFFSET)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _still_named(handle: IO[bytes], path: Path) -> bool:
    """True when ``path`` is still the file ``handle`` locked.

    The holder removes the lock file when it lets go; a waiter that opened it just before
    would otherwise hold a lock on a file nobody else can find (POSIX; Windows refuses to
    remove an open file).
    """
    if sys.platform == "win32":
        return True
    try:
        return os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino
    except OSError:
        return False


class DataFileLock:
    """The OS lock of one data file. ``role``/``command`` say who takes it."""

    def __init__(self, data_file: Path, *, role: str = GUI, command: str = "") -> None:
        self.data_file = Path(data_file)
        self.path = lock_path(self.data_file)
        self.role = role
        self.command = command
        self._handle: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def _attempt(self) -> bool:
        handle = self.path.open("a+b")
        if not _try_lock(handle) or not _still_named(handle, self.path):
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        record = {"pid": os.getpid(), "role": self.role, "command": self.command}
        handle.write(json.dumps(record).encode("utf-8"))
        handle.flush()
        self._handle = handle
        return True

    def acquire(self, *, wait: float = 0.0) -> None:
        """Take the lock; raise :class:`DataFileError` (code ``locked``) when another has it.

        ``wait`` > 0: a holder that is a command is waited for up to that many seconds (it
        finishes on its own); a window is never waited for.
        """
        deadline = time.monotonic() + wait
        while not self._attempt():
            holder = read_holder(self.data_file)
            if holder is None or holder.role != CLI or time.monotonic() >= deadline:
                raise self._refusal(holder, waited=wait if holder and holder.role == CLI else 0)
            time.sleep(_POLL_SECONDS)

    def _refusal(self, holder: Holder | None, *, waited: float) -> DataFileError:
        path = self.data_file
        if holder is not None and holder.role == CLI and waited < 1:
            message = _(
                "Data file {path} is being written by another program ({holder}). Try again "
                "when it has finished."
            ).format(path=path, holder=holder.describe())
        elif holder is not None and holder.role == CLI:
            message = _(
                "Data file {path} is being written by another program ({holder}); waited "
                "{seconds} seconds. Try again when it has finished."
            ).format(path=path, holder=holder.describe(), seconds=round(waited))
        elif self.role == GUI:
            message = _(
                "Data file {path} is already open in another KT Desktop window. "
                "Close that window first."
            ).format(path=path)
        else:
            message = _(
                "Data file {path} is open in another program ({holder}), so it was not "
                "changed. Close KT Desktop first, then try again."
            ).format(path=path, holder=(holder or Holder()).describe())
        return DataFileError(message, code="locked")

    def release(self) -> None:
        if self._handle is not None:
            try:  # removed first, while still held, so that no waiter locks a dying file
                self.path.unlink()
            except OSError:
                pass
            self._handle.close()
            self._handle = None
            if sys.platform == "win32":  # an open file cannot be removed there
                try:
                    self.path.unlink()
                except OSError:
                    pass

    def __enter__(self) -> DataFileLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
