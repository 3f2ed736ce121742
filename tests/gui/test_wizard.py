"""The set-up wizard, driven the way a secretary drives it: keyboard and mouse, page by page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QRadioButton, QWizard
from pytestqt.qtbot import QtBot

from kt_desktop.domain.errors import ValidationError
from kt_desktop.domain.profile import Profile
from kt_desktop.gui.wizard import (
    PAGE_FINISH,
    PAGE_OFFICERS,
    PAGE_PROFILE,
    PAGE_RECEIVER,
    PAGE_VILLAGE,
    SetupWizard,
)
from kt_desktop.services import setup
from kt_desktop.services.profile import load_profile
from kt_desktop.services.session import open_session
from tests.gui.conftest import OpenWindow

TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def wizard(qtbot: QtBot, tmp_path: Path) -> SetupWizard:
    wizard = SetupWizard(tmp_path / "desa.sqlite", today=TODAY)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def focused() -> object:
    return QApplication.focusWidget()


def type_text(qtbot: QtBot, text: str) -> None:
    qtbot.keyClicks(QApplication.focusWidget(), text)


def press(qtbot: QtBot, key: Qt.Key) -> None:
    """A key as the user presses it: to the open completer list if there is one."""
    target = QApplication.activePopupWidget() or QApplication.focusWidget()
    qtbot.keyClick(target, key)


def pick_from_list(qtbot: QtBot, text: str) -> None:
    """Type-ahead in a region list, take the first suggestion, and Tab on."""
    type_text(qtbot, text)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_Tab)


def click_choice(qtbot: QtBot, button: QRadioButton) -> None:
    """Click a radio button on its circle, where a user clicks (its centre may be empty)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def click_next(qtbot: QtBot, wizard: SetupWizard) -> None:
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def test_village_wizard_by_keyboard_and_mouse_then_beranda(
    qtbot: QtBot,
    wizard: SetupWizard,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    open_window: OpenWindow,
) -> None:
    # Page 1: Indonesian, "Desa/kelurahan" is the default choice.
    assert wizard.kind_page.title() == "Selamat datang di KT Desktop"
    assert wizard.button(QWizard.WizardButton.NextButton).text() == "&Lanjut >"
    assert wizard.kind_page.village.isChecked()
    click_next(qtbot, wizard)

    # Page 2: type-ahead through the four lists; Lanjut stays off until a village is chosen.
    assert wizard.currentId() == PAGE_VILLAGE
    picker = wizard.village_page.picker
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()
    qtbot.mouseClick(picker.province.lineEdit(), Qt.MouseButton.LeftButton)
    pick_from_list(qtbot, "Banten")
    assert focused() is picker.regency
    pick_from_list(qtbot, "serang")  # Kabupaten Serang comes before Kota Serang
    assert picker.regency.region().code == "36.04"
    pick_from_list(qtbot, "Baros")
    assert picker.district.region().code == "36.04.22"
    assert picker.village.count() == 14  # Kecamatan Baros has 14 desa
    pick_from_list(qtbot, "Baros")
    assert picker.selected().code == "36.04.22.2001"
    assert "Desa Baros, Kecamatan Baros, Kabupaten Serang, Provinsi Banten" in picker.summary.text()
    assert "42173" in picker.summary.text()
    assert next_button.isEnabled()
    click_next(qtbot, wizard)

    # Page 3: the village proposed a name and the postal code; the tab order follows the form.
    assert wizard.currentId() == PAGE_PROFILE
    inputs = wizard.fields.inputs
    assert inputs["name"].text() == "Karang Taruna Desa Baros"
    assert inputs["postal_code"].text() == "42173"
    qtbot.mouseClick(inputs["name"], Qt.MouseButton.LeftButton)
    qtbot.keyClick(inputs["name"], Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "Karang Taruna Tunas Harapan")
    assert inputs["short_name"].text() == "KT-TH"  # suggested as the name was typed
    for name, value in [
        ("short_name", None),
        ("street", "Jl. Raya Baros No. 12"),
        ("rt", "002"),
        ("rw", "003"),
        ("dusun", "Kampung Cilaku"),
        ("postal_code", None),
        ("phone", "0812-3456-7890"),
        ("email", "kt.tunasharapan"),  # wrong on purpose: no @
    ]:
        press(qtbot, Qt.Key.Key_Tab)
        assert focused() is inputs[name], f"Tab should reach {name}, reached {focused()}"
        if value is not None:
            type_text(qtbot, value)
    click_next(qtbot, wizard)
    # Refused: the message sits beside the e-mail field, which has the focus.
    assert wizard.currentId() == PAGE_PROFILE
    assert wizard.fields.error_text("email") == "Alamat e-mail tidak valid."
    assert focused() is inputs["email"]
    type_text(qtbot, "kt.tunasharapan@example.id")  # the wrong text was selected: replaced
    assert wizard.fields.error_text("email") == ""
    click_next(qtbot, wizard)

    # Page 4: officers by keyboard, the masa bakti defaults to five years, a logo by mouse.
    assert wizard.currentId() == PAGE_OFFICERS
    qtbot.mouseClick(inputs["ketua"], Qt.MouseButton.LeftButton)
    for name, value in [
        ("ketua", "Ahmad Fauzi"),
        ("sekretaris", "Siti Nurhaliza"),
        ("bendahara", "Rina Marlina"),
        ("kepala_desa", "H. Suryadi"),
        ("sk_number", "400/12/Kpts/2026"),
    ]:
        assert focused() is inputs[name]
        type_text(qtbot, value)
        press(qtbot, Qt.Key.Key_Tab)
    assert inputs["term_start"].value() == TODAY
    assert inputs["term_end"].value() == dt.date(2031, 11, 28)
    big_logo = tmp_path / "logo.png"
    image = QImage(1200, 800, QImage.Format.Format_ARGB32)
    image.fill(QColor("#1d6fa5"))
    assert image.save(str(big_logo))
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *args, **kw: (str(big_logo), ""))
    )
    qtbot.mouseClick(wizard.fields.logo_choose, Qt.MouseButton.LeftButton)
    assert wizard.fields.logo_bytes() is not None
    assert wizard.fields.logo_remove.isEnabled()
    click_next(qtbot, wizard)

    # Page 5: start empty, finish.
    assert wizard.currentId() == PAGE_FINISH
    assert "Karang Taruna Tunas Harapan" in wizard.finish_page.summary.text()
    click_choice(qtbot, wizard.finish_page.demo)
    assert wizard.finish_page.demo.isChecked()
    click_choice(qtbot, wizard.finish_page.empty)
    assert wizard.finish_page.empty.isChecked()
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.text() == "&Selesai"
    with qtbot.waitSignal(wizard.accepted):
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    assert wizard.outcome is not None
    assert wizard.outcome.kind == "village" and not wizard.outcome.fill_demo

    # The file holds what was typed, the logo scaled down to 512 px.
    session = open_session(wizard.outcome.path)
    try:
        profile = load_profile(session)
    finally:
        session.close()
    assert (profile.name, profile.village_code, profile.ketua) == (
        "Karang Taruna Tunas Harapan",
        "36.04.22.2001",
        "Ahmad Fauzi",
    )
    assert (profile.rt, profile.rw, profile.postal_code) == ("002", "003", "42173")
    assert profile.term_end == dt.date(2031, 11, 28)
    assert profile.logo_mime == "image/png"
    stored = QImage.fromData(profile.logo)
    assert (stored.width(), stored.height()) == (512, 341)

    # The main window opens on it and Beranda names the KT and its village.
    window = open_window(wizard.outcome.path)
    home = window.page("beranda")
    qtbot.waitUntil(lambda: home.name.text() == "Karang Taruna Tunas Harapan")
    assert home.place.text() == "Desa Baros, Kecamatan Baros, Kabupaten Serang, Provinsi Banten"
    assert "36.04.22.2001" in home.details.text()
    assert window.windowTitle() == "KT Desktop — Karang Taruna Tunas Harapan"


def test_receiver_wizard(qtbot: QtBot, wizard: SetupWizard, open_window: OpenWindow) -> None:
    click_choice(qtbot, wizard.kind_page.receiver)
    click_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_RECEIVER
    page = wizard.receiver_page
    qtbot.mouseClick(page.area.province.lineEdit(), Qt.MouseButton.LeftButton)
    pick_from_list(qtbot, "banten")
    assert page.area.area().code == "36"
    assert page.area.regency.currentText() == "(seluruh provinsi)"
    assert "1.552 desa/kelurahan" in page.villages.text()
    assert page.name.text() == "Karang Taruna Provinsi Banten"
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    with qtbot.waitSignal(wizard.accepted):
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    assert wizard.outcome is not None and wizard.outcome.kind == "receiver"

    window = open_window(wizard.outcome.path)
    assert window.sidebar.item(0).text() == "Rekap"
    assert window.windowTitle() == "KT Desktop — Karang Taruna Provinsi Banten"
    summary = window.page("rekap")
    qtbot.waitUntil(lambda: "Banten" in summary.crumbs.text(), timeout=10_000)
    qtbot.waitUntil(lambda: not window.ops.busy(), timeout=10_000)


def test_receiver_for_one_kabupaten(qtbot: QtBot, wizard: SetupWizard) -> None:
    click_choice(qtbot, wizard.kind_page.receiver)
    click_next(qtbot, wizard)
    page = wizard.receiver_page
    page.area.province.select_code("36")
    assert page.area.regency.select_code("36.04")
    assert page.area.area().code == "36.04"
    assert page.name.text() == "Karang Taruna Kabupaten Serang"
    assert wizard.make_receiver_file()
    session = open_session(wizard.outcome.path)
    try:
        assert (session.kind, session.code) == ("receiver", "36.04")
    finally:
        session.close()


def test_a_file_that_cannot_be_made_keeps_the_wizard_open(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = SetupWizard(tmp_path / "no such folder" / "desa.sqlite", today=TODAY)
    qtbot.addWidget(wizard)
    wizard.show()
    click_next(qtbot, wizard)
    assert wizard.village_page.picker.set_code("36.04.22.2001")
    click_next(qtbot, wizard)
    click_next(qtbot, wizard)
    click_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_FINISH
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert wizard.isVisible() and wizard.outcome is None
    assert wizard.finish_page.error.isVisible()
    assert "tidak ada" in wizard.finish_page.error.text()
    assert not (tmp_path / "no such folder").exists()


def test_a_refused_field_sends_the_user_back_to_its_page(
    qtbot: QtBot, wizard: SetupWizard, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: Path, profile: Profile) -> None:
        raise ValidationError("Nama Ketua terlalu panjang.", field="ketua")

    monkeypatch.setattr(setup, "init_village", refuse)
    click_next(qtbot, wizard)
    wizard.village_page.picker.set_code("36.04.22.2001")
    for _page in range(3):
        click_next(qtbot, wizard)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert wizard.currentId() == PAGE_OFFICERS
    assert wizard.fields.error_text("ketua") == "Nama Ketua terlalu panjang."
    assert focused() is wizard.fields.inputs["ketua"]
    assert isinstance(focused(), QLineEdit)


def test_suggestions_do_not_overwrite_what_the_user_typed(
    qtbot: QtBot, wizard: SetupWizard
) -> None:
    fields = wizard.fields
    click_next(qtbot, wizard)
    wizard.village_page.picker.set_code("36.04.22.2001")
    assert fields.inputs["name"].text() == "Karang Taruna Desa Baros"
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    qtbot.keyClick(fields.inputs["name"], Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(fields.inputs["name"], "Karang Taruna Bina Remaja")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.BackButton), Qt.MouseButton.LeftButton)
    wizard.village_page.picker.set_code("36.04.22.2007")  # Sindangmandi
    assert fields.inputs["name"].text() == "Karang Taruna Bina Remaja"
    assert fields.inputs["short_name"].text() == "KT-BR"


def test_the_masa_bakti_starts_on_the_sk_date(wizard: SetupWizard) -> None:
    """Issue 16: the wizard's masa bakti started today whatever SK date was typed."""
    inputs = wizard.fields.inputs
    sk_date = dt.date(2026, 7, 14)
    inputs["sk_date"].set_value(sk_date)  # type: ignore[attr-defined]
    assert inputs["term_start"].value() == sk_date  # type: ignore[attr-defined]
    assert inputs["term_end"].value() == dt.date(2031, 7, 14)  # type: ignore[attr-defined]
    # A start the secretary typed is hers: a later SK date does not move it.
    inputs["term_start"].set_value(dt.date(2026, 8, 1))  # type: ignore[attr-defined]
    inputs["sk_date"].set_value(dt.date(2026, 6, 30))  # type: ignore[attr-defined]
    assert inputs["term_start"].value() == dt.date(2026, 8, 1)  # type: ignore[attr-defined]
    assert inputs["term_end"].value() == dt.date(2031, 8, 1)  # type: ignore[attr-defined]
