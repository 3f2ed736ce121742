"""Text that arrives from a keyboard, a spreadsheet or an old file, made safe to keep.

Control characters (NUL, ESC and the rest of C0 and C1) are never meant in a name, an
address or a note: they come from a damaged or crafted file, a paste from a terminal or a
barcode scanner. Kept, they break what reads the text later (an .xlsx cannot hold them, so
one such member stopped the export of the whole register). Every text a record's form or
import writes passes :func:`clean_text` (through :func:`clean_fields` for a whole record);
only a multi-line field keeps tab and line breaks.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import TypeVar

#: C0 and C1 controls, DEL, and the two non-characters XML forbids. Tab, LF and CR are
#: handled by :func:`clean_text` itself (kept or made spaces).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

T = TypeVar("T")


def clean_text(value: str | None, *, multiline: bool = False) -> str:
    """``value`` without control characters, trimmed.

    One-line text has every run of whitespace (tab and line breaks included) made one
    space; multi-line text keeps its tabs and line breaks (CR LF and CR become LF).
    """
    if not value:
        return ""
    if multiline:
        text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\x85", "\n")
        text = CONTROL_CHARACTERS.sub("", text)
        return "\n".join(line.rstrip() for line in text.split("\n")).strip()
    # Controls become spaces first so "Siti\x00Aminah" does not become one word.
    return " ".join(CONTROL_CHARACTERS.sub(" ", value).split())


def clean_fields(record: T, *, multiline: Iterable[str] = (), keep: Iterable[str] = ()) -> T:
    """A copy of the dataclass ``record`` with every ``str`` field (and ``list[str]``) cleaned.

    ``multiline`` names the fields entered in a multi-line box; ``keep`` those left exactly
    as they are (ids, codes the program itself made).
    """
    many, kept = set(multiline), set(keep) | {"id"}
    changes: dict[str, object] = {}
    for item in dataclasses.fields(record):  # type: ignore[arg-type]
        if item.name in kept or not item.init:
            continue
        value = getattr(record, item.name)
        if isinstance(value, str):
            cleaned = clean_text(value, multiline=item.name in many)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value) and value:
            cleaned = [c for c in (clean_text(v) for v in value) if c]
        else:
            continue
        if cleaned != value:
            changes[item.name] = cleaned
    return dataclasses.replace(record, **changes) if changes else record  # type: ignore[type-var]


def printable(value: str) -> str:
    """``value`` without the control characters an .xlsx cannot hold (tab and line breaks
    stay): for writing text stored before :func:`clean_text` guarded the door."""
    return CONTROL_CHARACTERS.sub("", value)


def fit(value: str, limit: int) -> str:
    """``value`` cut to ``limit`` characters, the cut shown by an ellipsis: for drawing or
    writing a value an older version let grow longer than the place it goes to."""
    if len(value) <= limit:
        return value
    return value[: max(0, limit - 1)].rstrip() + "\u2026"
