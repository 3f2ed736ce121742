"""Running services off the GUI thread (Anki's QueryOp/CollectionOp pattern).

* :meth:`Ops.query` runs a read on a small pool; :meth:`Ops.write` runs a write on a pool of
  exactly one thread, so writes never race each other (docs/DESIGN.md, "Layers").
* The function gets the :class:`~kt_desktop.services.session.Session`; it must not touch
  widgets ("that may crash Qt"). Its result is delivered to ``on_done`` on the GUI thread.
* A :class:`~kt_desktop.domain.errors.KtError` becomes a message box naming what to do;
  anything else becomes the error dialog with details and the log file's location.
* :meth:`Ops.long_task` adds a progress dialog with a Cancel button wired to the service's
  :class:`~kt_desktop.services.progress.Progress`.
* Workers keep themselves referenced until done (superqt's lesson), and
  :meth:`Ops.wait_idle` lets the window and tests wait for them before closing the file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QWidget

from kt_desktop.domain.errors import KtError
from kt_desktop.i18n import _
from kt_desktop.services.failures import as_refusal
from kt_desktop.services.progress import Cancelled, Progress
from kt_desktop.services.session import Session

if TYPE_CHECKING:
    from PySide6.QtWidgets import QProgressDialog

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class Where(TypedDict, total=False):
    """Where a call's outcome goes besides ``on_done``: ``on_failed`` (default: a message box)
    and ``parent``, the widget whose closing drops the result."""

    on_failed: Failed | None
    parent: QWidget | None


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int, str)


class _Worker(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.signals = _Signals()

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:
            refusal = as_refusal(exc)
            if refusal is None:
                log.exception("background operation failed")
            self.signals.failed.emit(refusal or exc)
        else:
            self.signals.done.emit(result)


class Ops(QObject):
    """One per open session; pages receive it instead of a database handle."""

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(2)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._active: set[_Worker] = set()
        #: Reads waiting for :meth:`release_reads` (None: reads start at once), each as the
        #: call that starts it: its worker is made then, not before the first paint (the
        #: connection type names Qt's namespace, which PySide builds whole, issue 16).
        self._held_reads: list[Callable[[], None]] | None = None

    # -- running ---------------------------------------------------------------------------
    def _start(
        self,
        pool: QThreadPool,
        fn: Callable[[], Any],
        on_done: Done | None,
        on_failed: Failed | None,
        parent: QWidget | None,
    ) -> None:
        if pool is self._reads and self._held_reads is not None:
            # not made yet: closing drops it unstarted
            self._held_reads.append(lambda: self._start(pool, fn, on_done, on_failed, parent))
            return
        from PySide6.QtCore import Qt

        worker = _Worker(fn)
        self._active.add(worker)

        def finished(result: object) -> None:
            self._active.discard(worker)
            if on_done is not None and _alive(parent):
                on_done(result)

        def failed(exc: object) -> None:
            self._active.discard(worker)
            assert isinstance(exc, BaseException)
            if not _alive(parent):
                log.info("result of a closed window dropped: %s", exc)
                return
            if on_failed is not None:
                on_failed(exc)
            else:
                show_failure(parent, exc)

        worker.signals.done.connect(finished, Qt.ConnectionType.QueuedConnection)
        worker.signals.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
        pool.start(worker)

    def hold_reads(self) -> None:
        """Queue reads instead of starting them, until :meth:`release_reads`.

        At start-up the window paints first and reads the file after (issue 16): Beranda's
        counts on 100,000 members took CPU from the first paint on a two-core laptop.
        Writes are not held (the PIN prompt checks the PIN on the writer thread).
        """
        if self._held_reads is None:
            self._held_reads = []

    def release_reads(self) -> None:
        """Start the reads queued since :meth:`hold_reads`, in the order they were asked."""
        held, self._held_reads = self._held_reads, None
        for start in held or []:
            start()

    def query(
        self,
        fn: Callable[[Session], Any],
        on_done: Done | None = None,
        *,
        on_failed: Failed | None = None,
        parent: QWidget | None = None,
        writes: bool = False,
    ) -> None:
        """Run a read-only service call off the GUI thread (with ``writes``, one that writes,
        on the single writer thread: :meth:`write`)."""
        session = self.session
        pool = self._writes if writes else self._reads
        self._start(pool, lambda: fn(session), on_done, on_failed, parent)

    def write(
        self, fn: Callable[[Session], Any], on_done: Done | None = None, **where: Unpack[Where]
    ) -> None:
        """Run a service call that writes, on the single writer thread."""
        self.query(fn, on_done, writes=True, **where)

    def long_task(
        self,
        fn: Callable[[Session, Progress], Any],
        title: str,
        on_done: Done | None = None,
        *,
        writes: bool = True,
        on_failed: Failed | None = None,
        parent: QWidget | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> QProgressDialog:
        """Run long work with a progress dialog and a Cancel button.

        The dialog is modal to ``parent`` and closes itself when the work ends;
        ``on_progress(done, total, text)`` lets the page behind show the progress too.
        """
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QProgressDialog  # with the first long task (issue 16)

        dialog = QProgressDialog(title, _("Cancel"), 0, 0, parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        signals = _Signals()
        progress = Progress(lambda done, total, text: signals.progress.emit(done, total, text))

        def moved(done: int, total: int, text: str) -> None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total else 0)
            if text:
                dialog.setLabelText(text)
            if on_progress is not None:
                on_progress(done, total, text)

        signals.progress.connect(moved, Qt.ConnectionType.QueuedConnection)
        dialog.canceled.connect(progress.cancel)
        session = self.session

        def close_dialog() -> None:
            signals.deleteLater()
            dialog.canceled.disconnect()
            dialog.close()
            dialog.deleteLater()

        def finish_done(result: object) -> None:
            close_dialog()
            if on_done is not None:
                on_done(result)

        def finish_failed(exc: BaseException) -> None:
            close_dialog()
            if on_failed is not None:
                on_failed(exc)
            elif not isinstance(exc, Cancelled):
                show_failure(parent, exc)

        pool = self._writes if writes else self._reads
        self._start(pool, lambda: fn(session, progress), finish_done, finish_failed, parent)
        return dialog

    # -- lifetime --------------------------------------------------------------------------
    def busy(self) -> bool:
        return bool(self._active)

    def wait_idle(self, msecs: int = 30_000) -> bool:
        """Block until every started worker has finished (at close, and in tests)."""
        ok = self._reads.waitForDone(msecs) and self._writes.waitForDone(msecs)
        return bool(ok)


def _alive(widget: QWidget | None) -> bool:
    """False once ``widget`` was destroyed: its page closed while the work ran."""
    return widget is None or shiboken6.isValid(widget)


def show_failure(parent: QWidget | None, exc: BaseException) -> None:
    """A refusal as a message box; anything else as the error dialog."""
    from kt_desktop.gui.errors import show_error, show_refusal

    if isinstance(exc, KtError):
        show_refusal(parent, exc.message)
    else:
        show_error(parent, exc)
