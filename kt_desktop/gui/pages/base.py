"""What every sidebar page is given, as one base class: ``ops`` (how it reads and writes,
:class:`~kt_desktop.gui.ops.Ops`) and ``today``, the day it counts from.

Pages wrote the same three lines each (``super().__init__(parent)``, ``self.ops = ops``,
``self.today = today or clock.today()``); a page now calls
``super().__init__(ops, parent, today=today)`` of :class:`SidebarPage`. Tests pin ``today``; otherwise it is the open
file's day (:func:`kt_desktop.domain.clock.today`), or, on a receiver's page, the day the
receiver counts bundles in (``today_here = staticmethod(receiver.today_here)``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from kt_desktop.domain import clock
from kt_desktop.gui.ops import Done, Failed, Ops
from kt_desktop.gui.widgets.list_parts import alive
from kt_desktop.services.session import Session


class SidebarPage(QWidget):
    today_here = staticmethod(clock.today)

    def __init__(self, ops: Ops, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.today = today or self.today_here()

    def _alive(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        """``callback``, dropped when a worker's result arrives after the page closed."""
        return alive(self, callback)

    def _read(self, fn: Callable[[Session], Any], done: Done,
              failed: Failed | None = None, *, writes: bool = False) -> None:
        """``fn`` off the GUI thread (with ``writes``, on the writer thread: :meth:`_write`);
        ``done`` or ``failed`` reach the page only while it is open. Without ``failed`` a
        failure is the usual message box."""
        self.ops.query(fn, self._alive(done), parent=self, writes=writes,
                       on_failed=None if failed is None else self._alive(failed))

    def _write(self, fn: Callable[[Session], Any], done: Done,
               failed: Failed | None = None) -> None:
        """A service call that writes, as :meth:`_read` reads."""
        self._read(fn, done, failed, writes=True)
