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
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.widgets.list_parts import alive


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
