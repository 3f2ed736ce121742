"""Per-user display preferences (font size and the like), kept beside the language.

They belong to the person at the laptop, not to the data file (a province officer opening a
village's file keeps their own font size), so they live in the same ``settings.json`` in
the user's config folder that :mod:`kt_desktop.i18n` keeps the language in. This module
reads and writes other keys of that file without disturbing the ``language`` key.

No Qt here: the GUI applies the values, the file format is plain JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kt_desktop import paths

#: Keys in use (grep finds every reader).
FONT_SIZE = "font_size"

#: Point sizes offered in Pengaturan; the default suits a 1366x768 laptop screen.
FONT_SIZES: tuple[int, ...] = (9, 10, 12, 14)
DEFAULT_FONT_SIZE = 10


def settings_file() -> Path:
    """The same file :func:`kt_desktop.i18n.save_language` writes."""
    return paths.settings_file()


def get(key: str, default: Any = None) -> Any:
    """The saved value of ``key``, or ``default`` when the file or key is missing or broken.

    Callers check the value's type: the file is plain JSON anyone can edit.
    """
    return paths.read_settings().get(key, default)


def put(key: str, value: Any) -> None:
    """Save ``key`` without touching the other keys (the language among them).

    Written to a temporary file and renamed, so a power cut never leaves half a file that
    would silently reset the language.
    """
    data = paths.read_settings()
    data[key] = value
    paths.write_settings(data)


def font_size() -> int:
    """The saved font size in points, or the default when none (or a strange one) is saved."""
    value = get(FONT_SIZE)
    return value if isinstance(value, int) and value in FONT_SIZES else DEFAULT_FONT_SIZE


def save_font_size(points: int) -> None:
    if points not in FONT_SIZES:
        raise ValueError(f"font size {points} is not one of {FONT_SIZES}")
    put(FONT_SIZE, points)
