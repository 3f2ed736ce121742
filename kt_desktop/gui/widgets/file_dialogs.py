"""Asking where to save or what to open, the one way: Qt's file dialog (Indonesian through
``gui/qt_translation.py``), a suggested place, and the file's ending added where the
secretary typed a name without it.

Pages keep a method of their own around these (``ask_path``) so tests can stand in for it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from kt_desktop.i18n import _


def ask_save(parent: QWidget, title: str, suggested: Path, filters: str,
             endings: tuple[str, ...] = ()) -> Path | None:
    """Where to save (None: cancelled); a name without one of ``endings`` gets the first."""
    chosen, _filter = QFileDialog.getSaveFileName(parent, title, str(suggested), filters)
    if not chosen:
        return None
    path = Path(chosen)
    if endings and path.suffix.lower() not in endings:
        path = path.with_name(path.name + endings[0])
    return path


def ask_save_pdf(parent: QWidget, name: str, title: str = "") -> Path | None:
    """Where to save a PDF named ``name`` (in the home folder unless the user goes
    elsewhere)."""
    return ask_save(parent, title or _("Save the report"), Path.home() / name,
                    _("PDF files (*.pdf)"))


def ask_open(parent: QWidget, title: str, filters: str) -> Path | None:
    """Which file to open (None: cancelled)."""
    chosen, _filter = QFileDialog.getOpenFileName(parent, title, str(Path.home()), filters)
    return Path(chosen) if chosen else None
