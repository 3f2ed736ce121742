"""Questions and notices with buttons that speak Indonesian.

Qt ships no Indonesian catalog (``qtbase_id``), so ``QMessageBox.question``'s "&Yes/&No" and
``information``'s "OK" stay English in an Indonesian program. Every page asks through these
helpers instead: the buttons carry our own translated words, and each button names what it
does ("Hapus", "Tulis NIK lengkap") rather than a bare yes, so the secretary reads the answer
she is giving.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict, TypeVar, Unpack

from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton, QWidget

from kt_desktop.i18n import _

D = TypeVar("D", bound=QDialog)
T = TypeVar("T")


class QuestionOptions(TypedDict, total=False):
    """How a question's buttons read: ``no_label`` (default "Batal"); ``destructive=False``
    for a question whose "yes" loses nothing (write the full NIKs, save despite a warning)."""

    no_label: str | None
    destructive: bool


def question_box(
    parent: QWidget | None, title: str, text: str, yes_label: str,
    **options: Unpack[QuestionOptions],
) -> tuple[QMessageBox, QPushButton]:
    """The question as a box, not yet shown: ``(box, yes_button)``; :func:`answer` shows it.

    The default button is the "no" one, so a stray Enter never removes anything; Esc and
    the window's close button answer "no" too.
    """
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    role = (QMessageBox.ButtonRole.DestructiveRole if options.get("destructive", True)
            else QMessageBox.ButtonRole.AcceptRole)
    yes = box.addButton(yes_label, role)
    no = box.addButton(options.get("no_label") or _("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    return box, yes


def answer(box: QMessageBox, yes: QPushButton) -> bool:
    """Show a :func:`question_box` (its icon or details may have been changed since); True
    only when ``yes`` was pressed. The box is deleted afterwards."""
    box.exec()
    answered = box.clickedButton() is yes
    box.deleteLater()
    return answered


def confirm(
    parent: QWidget | None, title: str, text: str, yes_label: str,
    **options: Unpack[QuestionOptions],
) -> bool:
    """Ask ``text``; True only when the ``yes_label`` button was pressed."""
    return answer(*question_box(parent, title, text, yes_label, **options))


def ask_dialog(dialog: D, result: Callable[[D], T]) -> T | None:
    """Show ``dialog`` modally; ``result(dialog)`` once it was accepted, None when it was
    cancelled. The dialog is deleted either way."""
    try:
        return result(dialog) if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def inform(parent: QWidget | None, title: str, text: str) -> None:
    """A notice with one "Tutup" button (``QMessageBox.information`` would say "OK")."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
    box.addButton(_("Close"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()
    box.deleteLater()
