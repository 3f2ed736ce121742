"""Progress and cancel for long work, without Qt.

A service doing long work takes a :class:`Progress` and calls :meth:`Progress.step`; the GUI
passes one whose callback moves a progress bar and whose ``cancel()`` the Cancel button calls.
``step`` raises :class:`Cancelled` once cancel was asked, so the service's transaction rolls
back and nothing half-done remains.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from kt_desktop.domain.errors import KtError
from kt_desktop.i18n import _

ProgressCallback = Callable[[int, int, str], None]


class Cancelled(KtError):
    code = "cancelled"

    def __init__(self) -> None:
        super().__init__(_("Cancelled: nothing was changed."))


class Progress:
    def __init__(self, callback: ProgressCallback | None = None) -> None:
        self._callback = callback
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def step(self, done: int, total: int, text: str = "") -> None:
        """Report ``done`` of ``total``; raises :class:`Cancelled` after :meth:`cancel`."""
        if self._cancel.is_set():
            raise Cancelled()
        if self._callback is not None:
            self._callback(done, total, text)


def no_progress() -> Progress:
    return Progress()
