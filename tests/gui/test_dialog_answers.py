"""A modal dialog's answer, read through :func:`kt_desktop.gui.widgets.confirm.ask_dialog`.

Kirim Data's flash-disk choice and e-mail settings, Impor's trust question and notice, and
the backups' flash-disk choice all read their dialog this way: the value once the dialog was
accepted, nothing when it was cancelled, and the dialog deleted either way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QDialog, QLineEdit
from pytestqt.qtbot import QtBot

from kt_desktop.bundles.transport import Drive
from kt_desktop.gui.pages.send_data import DestinationDialog, EmailSettingsDialog, SendDataPage
from kt_desktop.gui.widgets.confirm import ask_dialog
from kt_desktop.services import outbox
from tests.gui.conftest import idle, show_page


def _deleted(widget: QDialog) -> bool:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return not shiboken6.isValid(widget)


@pytest.mark.parametrize(("code", "expected"), [
    (QDialog.DialogCode.Accepted, "Tunas Harapan"),
    (QDialog.DialogCode.Rejected, None),
])
def test_ask_dialog_gives_the_answer_only_when_accepted_and_deletes_the_dialog(
    qapp: Any, monkeypatch: pytest.MonkeyPatch, code: QDialog.DialogCode, expected: str | None
) -> None:
    dialog = QDialog()
    name = QLineEdit("Tunas Harapan", dialog)
    monkeypatch.setattr(QDialog, "exec", lambda _self: int(code.value))
    assert ask_dialog(dialog, lambda _dialog: name.text()) == expected
    assert _deleted(dialog)


def test_kirim_data_takes_the_chosen_stick_and_nothing_when_cancelled(
    qtbot: QtBot, ops: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = show_page(qtbot, ops, SendDataPage(ops))
    drives = [Drive(path=tmp_path, name="KINGSTON", free_bytes=2 * 1024**3,
                    total_bytes=8 * 1024**3)]

    def choose_stick(dialog: DestinationDialog) -> int:
        dialog._accept_drive()
        return int(QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(DestinationDialog, "exec", choose_stick)
    assert page.ask_destination(drives) == tmp_path
    monkeypatch.setattr(DestinationDialog, "exec",
                        lambda _self: int(QDialog.DialogCode.Rejected.value))
    assert page.ask_destination(drives) is None


def test_kirim_data_saves_the_mail_settings_only_when_the_dialog_is_accepted(
    qtbot: QtBot, ops: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = show_page(qtbot, ops, SendDataPage(ops))

    def cancel(dialog: EmailSettingsDialog) -> int:
        dialog.sender.setText("batal@example.id")
        return int(QDialog.DialogCode.Rejected.value)

    monkeypatch.setattr(EmailSettingsDialog, "exec", cancel)
    page.edit_email_settings()
    idle(qtbot, ops)
    assert outbox.email_settings(ops.session).sender == ""

    def save(dialog: EmailSettingsDialog) -> int:
        dialog.sender.setText("kt.tunasharapan@example.id")
        return int(QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(EmailSettingsDialog, "exec", save)
    page.edit_email_settings()
    qtbot.waitUntil(
        lambda: outbox.email_settings(ops.session).sender == "kt.tunasharapan@example.id",
        timeout=10_000)
    idle(qtbot, ops)
