"""What the user sees when something goes wrong: never a traceback on stderr, never a crash.

A refusal (:class:`~kt_desktop.domain.errors.KtError`) is a warning box with its message.
An unexpected error is a dialog with the message, copyable details and the log file's place;
``install_excepthook`` routes every uncaught exception on the GUI thread there, so the
program keeps running.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kt_desktop import paths
from kt_desktop.i18n import _

log = logging.getLogger(__name__)


def show_refusal(parent: QWidget | None, message: str, title: str | None = None) -> None:
    # Built by hand: QMessageBox.warning's "OK" would stay English (Qt ships no qtbase_id).
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or _("Cannot continue"))
    box.setText(message)
    box.addButton(_("Close"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


class ErrorDialog(QDialog):
    def __init__(self, parent: QWidget | None, exc: BaseException) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Unexpected error"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Something went wrong: {error}\n\nYour data is safe; the program keeps running. "
                "If it happens again, send the details below or the log file to whoever "
                "supports you.\nLog file: {log}"
            ).format(error=exc, log=paths.log_file())
        )
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(intro)
        self.details = QPlainTextEdit(
            "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        )
        self.details.setReadOnly(True)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(_("Copy details"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details.toPlainText())


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    ErrorDialog(parent, exc).exec()


def install_excepthook() -> None:
    """Show uncaught exceptions in the error dialog instead of letting Qt abort."""

    def hook(
        kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        exc.__traceback__ = tb
        app = QApplication.instance()
        parent = app.activeWindow() if isinstance(app, QApplication) else None
        show_error(parent, exc)

    sys.excepthook = hook
