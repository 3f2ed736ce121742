"""Turning low-level failures a user can cause or fix into refusals they can act on.

A full disk or a failing device surfaces as ``sqlite3.Error``/``OSError``; the GUI's workers
and the CLI pass every unexpected exception through :func:`as_refusal` so those become a
clear "Disk penuh…" message (the transaction was rolled back) instead of an error dialog.
"""

from __future__ import annotations

from kt_desktop import paths
from kt_desktop.domain.errors import KtError
from kt_desktop.i18n import _
from kt_desktop.store.backup import disk_error


def not_a_folder(exc: paths.NotAFolder) -> KtError:
    """One of the program's folders (``KT_DESKTOP_HOME/data`` ...) is a file."""
    return KtError(
        _(
            "{path} must be a folder for KT Desktop's files, but something else (a file) is "
            "there. Move or rename it, then start KT Desktop again."
        ).format(path=exc.path),
        code="not_a_folder",
    )


def as_refusal(exc: BaseException) -> KtError | None:
    """The refusal ``exc`` stands for, or None when it is a bug."""
    if isinstance(exc, KtError):
        return exc
    if isinstance(exc, paths.NotAFolder):
        return not_a_folder(exc)
    return disk_error(exc)
