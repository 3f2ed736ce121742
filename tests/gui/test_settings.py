"""Pengaturan: the profile is edited, saved and read back; language and font size are kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from kt_desktop import i18n, ui_prefs
from kt_desktop.domain.profile import Profile
from kt_desktop.gui.pages.settings import SettingsPage
from kt_desktop.services.profile import load_profile
from kt_desktop.services.session import open_session
from tests.gui.conftest import OpenWindow


@pytest.fixture
def settings(qtbot: QtBot, village_file: Path, open_window: OpenWindow) -> Iterator[SettingsPage]:
    window = open_window(village_file)
    keys = [spec.key for spec in window.specs]
    window.show_page(keys.index("pengaturan"))
    page = window.page("pengaturan")
    assert isinstance(page, SettingsPage)
    qtbot.waitUntil(lambda: page.save_button.isEnabled())
    yield page


@pytest.fixture
def keep_app_font(qapp: QApplication) -> Iterator[None]:
    font = QApplication.font()
    yield
    QApplication.setFont(font)


def saved_profile(path: Path) -> Profile:
    session = open_session(path)
    try:
        return load_profile(session)
    finally:
        session.close()


def retype(qtbot: QtBot, widget: QLineEdit, text: str) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def test_profile_is_edited_saved_and_reloaded(
    qtbot: QtBot, settings: SettingsPage, village_file: Path
) -> None:
    fields = settings.fields
    assert fields.inputs["ketua"].text() == "Ahmad Fauzi"
    assert "Desa Baros, Kecamatan Baros" in settings.place_note.text()
    retype(qtbot, fields.inputs["name"], "Karang Taruna Bina Remaja")
    retype(qtbot, fields.inputs["ketua"], "Budi Santoso")
    assert settings.saved_note.text() == "Belum disimpan."
    qtbot.mouseClick(settings.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settings.saved_note.text() == "Tersimpan.")

    profile = saved_profile(village_file)
    assert (profile.name, profile.ketua, profile.version) == (
        "Karang Taruna Bina Remaja",
        "Budi Santoso",
        2,
    )
    assert profile.sekretaris == "Siti Nurhaliza"  # untouched fields stay
    window = settings.window()
    qtbot.waitUntil(lambda: window.windowTitle() == "KT Desktop — Karang Taruna Bina Remaja")

    # Undo after a new edit brings back what is saved.
    retype(qtbot, fields.inputs["ketua"], "Orang Lain")
    qtbot.mouseClick(settings.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: fields.inputs["ketua"].text() == "Budi Santoso")


def test_a_refused_profile_marks_the_field_and_leaves_the_file_alone(
    qtbot: QtBot, settings: SettingsPage, village_file: Path
) -> None:
    fields = settings.fields
    retype(qtbot, fields.inputs["email"], "kt tunas harapan")
    qtbot.mouseClick(settings.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: fields.error_text("email") != "")
    assert fields.error_text("email") == "Alamat e-mail tidak valid."
    assert QApplication.focusWidget() is fields.inputs["email"]
    assert "perbaiki" in settings.saved_note.text()
    profile = saved_profile(village_file)
    assert (profile.email, profile.version) == ("kt.tunasharapan@example.id", 1)


def test_logo_is_scaled_and_saved(
    qtbot: QtBot, settings: SettingsPage, village_file: Path, tmp_path: Path
) -> None:
    photo = tmp_path / "logo.jpg"
    image = QImage(600, 900, QImage.Format.Format_RGB32)
    image.fill(QColor("#c0392b"))
    assert image.save(str(photo), "JPEG")
    assert settings.fields.load_logo(photo)
    qtbot.mouseClick(settings.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settings.saved_note.text() == "Tersimpan.")
    profile = saved_profile(village_file)
    assert profile.logo_mime == "image/jpeg"
    stored = QImage.fromData(profile.logo)
    assert (stored.width(), stored.height()) == (341, 512)


def test_a_file_that_is_not_an_image_is_refused_beside_the_logo(
    settings: SettingsPage, tmp_path: Path
) -> None:
    fake = tmp_path / "logo.png"
    fake.write_text("bukan gambar", encoding="utf-8")
    assert not settings.fields.load_logo(fake)
    assert "logo.png" in settings.fields.error_text("logo")
    assert settings.fields.logo_bytes() is None


def test_language_is_saved_for_the_next_start(qtbot: QtBot, settings: SettingsPage) -> None:
    assert settings.language.currentText() == "Bahasa Indonesia"
    settings.tabs.setCurrentIndex(1)
    settings.language.setCurrentIndex(settings.language.findData("en"))
    assert i18n.saved_language() == "en"
    assert i18n.language() == "id"  # this window stays Indonesian until the restart
    assert "buka lagi KT Desktop" in settings.language_note.text()
    settings.language.setCurrentIndex(settings.language.findData("id"))
    assert i18n.saved_language() == "id"


def test_font_size_applies_at_once_and_is_kept(
    qtbot: QtBot, settings: SettingsPage, keep_app_font: None
) -> None:
    i18n.save_language("en")
    sidebar = settings.window().sidebar
    narrow = sidebar.width()
    settings.font_size.setCurrentIndex(settings.font_size.findData(14))
    assert QApplication.font().pointSize() == 14
    qtbot.waitUntil(lambda: sidebar.width() > narrow)  # its labels still fit
    assert ui_prefs.font_size() == 14
    assert i18n.saved_language() == "en"  # the other key of settings.json survives
    assert settings.font_size.currentText() == "Sangat besar (14 pt)"


def test_receiver_settings_hold_address_officers_and_logo_for_the_report(
    qtbot: QtBot, receiver_file: Path, open_window: OpenWindow, tmp_path: Path
) -> None:
    """Issue 16: the receiver's profile held only a name, so its aggregate report had no
    address in the letterhead and unnamed signature lines "(……)"."""
    import subprocess

    from kt_desktop.services import receiver as receiver_service
    from kt_desktop.services.session import open_session

    window = open_window(receiver_file)
    keys = [spec.key for spec in window.specs]
    window.show_page(keys.index("pengaturan"))
    page = window.page("pengaturan")
    qtbot.waitUntil(lambda: page.save_button.isEnabled())
    assert {"name", "street", "phone", "ketua", "sekretaris", "logo"} <= set(page.fields.inputs)
    assert page.fields.inputs["ketua"].isVisibleTo(page)
    assert not page.fields.inputs["kepala_desa"].isVisibleTo(page)  # a village's officer
    for name, text in (("name", "Dinas Sosial Provinsi Banten"),
                       ("street", "Jl. Syech Nawawi Al Bantani No. 1"),
                       ("ketua", "Drs. H. Ahmad Sanusi"), ("sekretaris", "Rina Kartika, S.Sos.")):
        retype(qtbot, page.fields.inputs[name], text)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.saved_note.text() == "Tersimpan.")
    profile = saved_profile(receiver_file)
    assert (profile.name, profile.village_code) == ("Dinas Sosial Provinsi Banten", "36")
    assert (profile.street, profile.ketua) == ("Jl. Syech Nawawi Al Bantani No. 1",
                                               "Drs. H. Ahmad Sanusi")
    session = open_session(receiver_file)
    try:
        pdf = receiver_service.build_report(
            session, receiver_service.this_month(), tmp_path / "rekap.pdf")
    finally:
        session.close()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Jl. Syech Nawawi Al Bantani No. 1" in text
    assert "Drs. H. Ahmad Sanusi" in text and "Rina Kartika, S.Sos." in text
