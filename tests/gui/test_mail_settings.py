"""Kirim Data's e-mail settings and outbox note, as the secretary meets them.

The settings dialog refuses, with the dialog still open, a password sent without TLS to
another computer; the province's CA file is chosen once and kept; the outbox note says what
waits, until when, and why.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.send_data import EmailSettingsDialog, SendDataPage
from kt_desktop.services import bundles, outbox
from kt_desktop.services.session import Session
from tests.gui.message_boxes import answer_boxes
from tests.test_bundles_kit import add_members
from tests.test_mail_real import free_port, make_pki


@pytest.fixture
def village(keyed_village: Session) -> Session:
    """The village of these tests: ``keyed_village`` (tests/conftest.py)."""
    return keyed_village


def test_settings_dialog_refuses_a_clear_text_password_and_keeps_the_ca(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = answer_boxes(monkeypatch, press="Tutup")
    dialog = EmailSettingsDialog(outbox.EmailSettings(recipient="kt.banten@example.id"))
    qtbot.addWidget(dialog)
    dialog.host.setText("smtp.banten.example.invalid")
    dialog.port.setValue(25)
    dialog.security.setCurrentIndex(dialog.security.findData("none"))
    dialog.user.setText("kt.tunasharapan")
    dialog.password.setText("rahasia")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted  # still open, nothing saved
    assert len(answers.asked) == 1 and "tanpa enkripsi" in answers.asked[0]
    assert "STARTTLS" in answers.asked[0] and answers.english_buttons() == []

    pki = make_pki(tmp_path)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *_args, **_kw: (str(pki.ca_file), "")
    )
    dialog.ca_button.click()
    assert "dipercaya" in dialog.ca_label.text() and dialog.ca_remove.isEnabled()
    dialog.security.setCurrentIndex(dialog.security.findData("starttls"))
    dialog.port.setValue(587)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and len(answers.asked) == 1
    chosen = dialog.settings()
    assert chosen.ca_cert.startswith("-----BEGIN CERTIFICATE-----")
    assert EmailSettingsDialog(chosen).ca_cert == chosen.ca_cert  # kept when opened again


def test_outbox_note_says_what_waits_until_when_and_why(qtbot: QtBot, village: Session) -> None:
    add_members(village, 2)
    outbox.save_email_settings(
        village,
        outbox.EmailSettings(
            recipient="kt.banten@example.id", host="127.0.0.1", port=free_port(), security="none"
        ),
    )
    bundles.export_for_email(village)
    (item,) = outbox.send_due(village, timeout=5)  # nothing listens there
    ops = Ops(village)
    page = SendDataPage(ops)
    qtbot.addWidget(page, before_close_func=lambda _w: ops.wait_idle())
    qtbot.waitUntil(lambda: not ops.busy() and page.status is not None, timeout=10_000)
    note = page.outbox_note.text()
    assert "1 paket data menunggu di kotak keluar" in note and "Percobaan terakhir gagal" in note
    assert "sambungan ditolak" in note and "Dicoba lagi" in note
    assert page.retry_button.isEnabled()
