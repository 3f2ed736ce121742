"""Rendering the main window offscreen to a PNG: the self-test's proof that the GUI paints."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from kt_desktop.gui.app import prepare_application
from kt_desktop.gui.main_window import MainWindow
from kt_desktop.services.session import Session


def render_main_window(session: Session, target: Path, *, language: str = "id") -> tuple[int, int]:
    """Open ``session`` in a main window at 1366×768, save a picture of it, close it.

    Returns the picture's size. The caller sets ``QT_QPA_PLATFORM`` (offscreen) first.
    """
    app = QApplication.instance() or QApplication(["kt-desktop"])
    assert isinstance(app, QApplication)
    prepare_application(app, language)
    window = MainWindow(session)
    window.auto_backup = False  # the self-test's temporary file needs no backup
    window.resize(1366, 768)
    window.show()
    for _ in range(20):
        app.processEvents()
    image = window.grab()
    image.save(str(target))
    window.ops.wait_idle()
    window.close()
    app.processEvents()
    return image.width(), image.height()
