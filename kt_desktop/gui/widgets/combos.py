"""Combos of stored codes shown by their labels (sex, religion, status, kind of training …),
the code kept as each entry's data: the member form and the training forms fill and select
them the one way."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QComboBox


def code_combo(items: Iterable[tuple[str, str]], *, empty: str | None = None) -> QComboBox:
    """A combo of ``(code, label)`` entries; ``empty`` first, with the code "", where the
    field may stay empty."""
    combo = QComboBox()
    if empty is not None:
        combo.addItem(empty, "")
    for code, label in items:
        combo.addItem(label, code)
    return combo


def select_code(combo: QComboBox, code: str) -> None:
    """Select the entry of ``code`` (the first entry where there is none)."""
    combo.setCurrentIndex(max(combo.findData(code), 0))
