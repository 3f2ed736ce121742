"""Errors a user can cause: an Indonesian message and a stable code, never a traceback.

The CLI prints ``message`` on one line and exits 1; the GUI shows it in a dialog. ``code``
is stable so that scripts and tests can tell refusals apart without parsing the text.
"""

from __future__ import annotations


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
