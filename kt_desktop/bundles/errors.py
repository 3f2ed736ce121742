"""Why a bundle is refused: one typed error, a stable code, one line the officer can act on.

Every refusal in :mod:`kt_desktop.bundles` is a :class:`BundleError`; ``code`` is one of
:data:`CODES` (scripts and tests tell refusals apart by it), ``message`` is already
translated, and ``details`` lists what a one-line message cannot (malformed rows by line).
"""

from __future__ import annotations

from collections.abc import Sequence

from kt_desktop.domain.errors import KtError

#: Every code a refusal can carry, so the GUI and tests can rely on the set.
CODES = frozenset(
    {
        "empty",
        "truncated",
        "not_bundle",
        "unsupported_format",
        "too_large",
        "too_many_entries",
        "entry_too_large",
        "compression_ratio",
        "unsafe_path",
        "duplicate_entry",
        "missing_file",
        "extra_file",
        "no_receiver_key",
        "wrong_receiver",
        "damaged",
        "bad_signature",
        "hash_mismatch",
        "bad_bag_info",
        "newer_schema",
        "wrong_key",
        "untrusted",
        "outside_area",
        "other_village",
        "malformed_rows",
        "count_mismatch",
        "same_seq_other_content",
        "stale",
        "before_restore",
        "needs_full",
        "foreign_record",  # before migration 27: a record id another village held
        "constraint",
        "not_receiver",
        "not_village",
        "unreadable",
        "write_failed",
        "no_changes",
        "bad_key_file",
        "email",
        "not_document",
        "replay",
    }
)


class BundleError(KtError):
    """A bundle (or a step of sending one) was refused; nothing was changed."""

    code = "bundle"

    def __init__(self, message: str, *, code: str, details: Sequence[str] = ()) -> None:
        assert code in CODES, code
        super().__init__(message, code=code)
        self.details = list(details)
