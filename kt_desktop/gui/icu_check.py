"""The self-test's proof that Qt's ICU data is present and loads.

The frozen Linux build carries a trimmed ICU data library (`scripts/trim_icu.py`): Indonesian
and English locale data, collation tables, time zones. QtCore uses ICU for exactly these:
locale-aware sorting (QCollator, which file dialogs use), case mapping and time-zone names.
If the data failed to load, Qt would fall back silently to code-point order, so this checks
answers that only real ICU data gives.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCollator, QLocale, QTimeZone


def check_icu() -> str:
    """Raise RuntimeError unless collation, case mapping and zone names work in Indonesian."""
    indonesian = QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia)
    collator = QCollator(indonesian)
    ordered = sorted(["Zaki", "Édi", "apel", "Budi"], key=collator.sortKey)
    # Code-point order (what Qt falls back to without the data) would be Budi, Zaki, apel, Édi.
    if ordered != ["apel", "Budi", "Édi", "Zaki"]:
        raise RuntimeError(f"ICU collation is not working: {ordered}")
    collator.setNumericMode(True)
    if collator.compare("foto 2", "foto 10") >= 0:
        raise RuntimeError("ICU numeric collation is not working")
    if not sys.platform.startswith("linux"):
        # Windows' Qt sorts with the system's own collation and names zones its own way;
        # the trimmed ICU data is a Linux build's (scripts/trim_icu.py).
        return ", ".join(ordered)
    zone = QTimeZone(b"Asia/Jakarta").displayName(
        QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, indonesian
    )
    if "Indonesia" not in zone:
        raise RuntimeError(f"ICU time-zone names are missing: {zone!r}")
    return f"{', '.join(ordered)}; {zone}"
