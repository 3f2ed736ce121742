"""Turning low-level failures a user can cause or fix into refusals they can act on.

A full disk or a failing device surfaces as ``sqlite3.Error``/``OSError``; the GUI's workers
and the CLI pass every unexpected exception through :func:`as_refusal` so those become a
clear "Disk penuh…" message (the transaction was rolled back) instead of an error dialog.
"""

from __future__ import annotations

from kt_desktop.domain.errors import KtError
from kt_desktop.store.backup import disk_error


def as_refusal(exc: BaseException) -> KtError | None:
    """The refusal ``exc`` stands for, or None when it is a bug."""
    if isinstance(exc, KtError):
        return exc
    return disk_error(exc)
