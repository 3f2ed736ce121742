"""Errors a user can cause: an Indonesian message and a stable code, never a traceback.

The CLI prints ``message`` on one line and exits 1; the GUI shows it in a dialog. ``code``
is stable so that scripts and tests can tell refusals apart without parsing the text.
"""

from __future__ import annotations

import csv
import errno
import sqlite3
import zipfile

from kt_desktop.i18n import N_, _


class KtError(Exception):
    """A refusal the user can act on. ``message`` is already translated."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code

    def __str__(self) -> str:
        return self.message


class ValidationError(KtError):
    """One field (or row) is wrong; ``field`` names it so a form can focus it."""

    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.field = field


class DataFileError(KtError):
    """The data file cannot be used: missing, not SQLite, read-only, damaged, locked."""

    code = "data_file"


class NotFoundError(KtError):
    code = "not_found"


# -- the reason of a low-level failure, in the user's language ------------------------------

#: errno names -> what a secretary is told (Python's strerror is English: "No such file or
#: directory" inside an Indonesian sentence, issue 14).
_ERRNO_REASONS = {
    "ENOENT": N_("it does not exist"),
    "EACCES": N_("there is no permission to use it"),
    "EPERM": N_("the system does not allow it (read-only or protected)"),
    "EROFS": N_("the disk is read-only"),
    "EISDIR": N_("it is a folder, not a file"),
    "ENOTDIR": N_("a part of its path is not a folder"),
    "ENOSPC": N_("the disk is full"),
    "EDQUOT": N_("the disk is full"),
    "EFBIG": N_("the file is too large for this disk"),
    "EIO": N_("the disk cannot be read or written"),
    "EEXIST": N_("it already exists"),
    "ENAMETOOLONG": N_("its name is too long"),
    "EBUSY": N_("it is in use by another program"),
    "ETXTBSY": N_("it is in use by another program"),
    "EINVAL": N_("its name or place is not allowed here"),
}
#: Words of SQLite's own messages -> the reason in words a secretary understands.
_SQLITE_REASONS = (
    ("file is not a database", N_("it is not an SQLite database")),
    ("malformed", N_("its contents are damaged")),
    ("database is locked", N_("another program is writing it")),
    ("readonly", N_("it is read-only")),
    ("unable to open", N_("it cannot be opened")),
    ("disk i/o error", N_("the disk cannot be read or written")),
    ("disk is full", N_("the disk is full")),
)


def reason_text(exc: BaseException) -> str:
    """Why a file operation failed, as a short Indonesian phrase (never Python's English).

    For the ``{reason}`` of sentences such as "Berkas X tidak dapat dibaca: {reason}".
    OS errors by errno (and Windows' sharing violation), SQLite's, ZIP's and the csv
    module's messages by what they say; anything else gets a general phrase.
    """
    if isinstance(exc, OSError):
        if getattr(exc, "winerror", None) in (32, 33):  # the file is open in another program
            return _("it is in use by another program")
        name = errno.errorcode.get(exc.errno or 0, "")
        if name in _ERRNO_REASONS:
            return _(_ERRNO_REASONS[name])
        return _("the system refused it ({code})").format(code=name or exc.errno)
    if isinstance(exc, sqlite3.Error):
        text = str(exc).lower()
        for words, reason in _SQLITE_REASONS:
            if words in text:
                return _(reason)
        return _("the database reported an error")
    if isinstance(exc, zipfile.BadZipFile):
        return _("it is not a complete ZIP file (cut short, or another kind of file)")
    if isinstance(exc, csv.Error):
        text = str(exc).lower()
        if "new-line" in text or "newline" in text:
            return _(
                "a cell holds a line break without quotation marks around it; save the file "
                "again from the spreadsheet program as CSV"
            )
        if "nul" in text:
            return _("it holds NUL characters, so it is not a text (CSV) file")
        if "field limit" in text:
            return _("a cell is far too long")
        return _("it is not a valid CSV file")
    if isinstance(exc, UnicodeError):
        return _("its text is not in a known encoding")
    return _("it could not be processed")
