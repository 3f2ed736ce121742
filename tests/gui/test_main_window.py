"""The main window: sidebar and pages, status bar, errors that do not stop the program, the lock."""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from kt_desktop.gui import app as gui_app
from kt_desktop.gui import errors, main_window
from kt_desktop.gui.main_window import PlaceholderPage
from kt_desktop.gui.pages import PageSpec
from kt_desktop.services import demo
from kt_desktop.services.session import Session, open_session
from kt_desktop.store import audit
from kt_desktop.store.lock import DataFileLock
from tests.gui.conftest import OpenWindow

#: A sidebar of our own, so the test does not depend on which areas have landed yet.
TEST_PAGES = [
    PageSpec("beranda", "Home", "home", "kt_desktop.gui.pages.home:HomePage"),
    PageSpec("anggota", "Members", "users", None),
    PageSpec("kegiatan", "Activities", "calendar", None),
    PageSpec("pengaturan", "Settings", "settings", "kt_desktop.gui.pages.settings:SettingsPage"),
]


@pytest.fixture
def pages(monkeypatch: pytest.MonkeyPatch) -> list[PageSpec]:
    monkeypatch.setattr(main_window, "VILLAGE_PAGES", TEST_PAGES)
    return TEST_PAGES


def test_sidebar_switches_pages_by_mouse_and_ctrl_number(
    qtbot: QtBot, village_file: Path, open_window: OpenWindow, pages: list[PageSpec]
) -> None:
    window = open_window(village_file)
    labels = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert labels == ["Beranda", "Anggota", "Kegiatan", "Pengaturan"]
    assert window.current_key() == "beranda"
    assert list(window.pages) == ["beranda"]  # the others are built when first shown

    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "pengaturan"
    assert window.stack.currentWidget() is window.page("pengaturan")

    rect = window.sidebar.visualItemRect(window.sidebar.item(1))
    qtbot.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    placeholder = window.stack.currentWidget()
    assert isinstance(placeholder, PlaceholderPage)
    assert placeholder.message.text() == "Halaman ini belum tersedia di versi ini."

    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    home = window.page("beranda")
    assert window.stack.currentWidget() is home
    qtbot.waitUntil(lambda: not window.ops.busy())
    assert home.name.text() == "Karang Taruna Tunas Harapan"


def test_beranda_shows_dashes_for_data_this_version_lacks(
    qtbot: QtBot, village_file: Path, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kt_desktop.services import dashboard

    monkeypatch.setattr(dashboard, "COUNT_PROVIDERS", ["tests.gui.test_main_window:members_only"])
    window = open_window(village_file)
    home = window.page("beranda")
    assert home.card_text("active_members") == "1.284"
    assert home.card_text("activities_this_month") == "—"
    assert home.cards_note.isVisible()
    # The profile of the fixture has no masa bakti: Beranda asks for it.
    assert any("Masa bakti belum diisi" in text for text in home.reminder_texts())


def members_only(session: Session, today: dt.date) -> dict[str, int]:
    return {"active_members": 1284}


def test_status_bar_names_the_file_and_says_none_yet(
    qtbot: QtBot, village_file: Path, open_window: OpenWindow
) -> None:
    window = open_window(village_file)
    assert window.status_file.text() == f"Berkas data: {village_file}"
    assert window.status_backup.text() == "Cadangan terakhir: belum ada"
    assert window.status_bundle.text() == "Kiriman terakhir: belum ada"


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_shows_the_dialog_and_the_program_goes_on(
    qtbot: QtBot,
    village_file: Path,
    open_window: OpenWindow,
    monkeypatch: pytest.MonkeyPatch,
    pages: list[PageSpec],
) -> None:
    shown: list[errors.ErrorDialog] = []

    def record(dialog: errors.ErrorDialog) -> int:
        shown.append(dialog)
        return 0

    monkeypatch.setattr(errors.ErrorDialog, "exec", record)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    errors.install_excepthook()
    window = open_window(village_file)

    def broken() -> None:
        raise RuntimeError("tombol rusak")

    button = QPushButton("rusak", window)
    button.clicked.connect(broken)
    button.show()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    assert len(shown) == 1
    dialog = shown[0]
    assert dialog.windowTitle() == "Kesalahan tak terduga"
    assert "tombol rusak" in dialog.details.toPlainText()
    assert "RuntimeError" in dialog.details.toPlainText()
    dialog.deleteLater()
    # Still running: the window answers and switches pages.
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "anggota"


def test_a_second_copy_is_told_the_file_is_open(
    qtbot: QtBot, village_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []

    def record(box: QMessageBox) -> int:
        said.append(box.text())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", record)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    first = DataFileLock(village_file)
    first.acquire()
    try:
        assert gui_app.run(village_file) == 1
    finally:
        first.release()
    assert len(said) == 1
    assert "sedang dibuka di jendela KT Desktop lain" in said[0]


def test_a_file_that_is_not_a_data_file_opens_the_recovery_screen(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 8: a damaged or foreign file goes to the recovery screen, untouched."""
    from kt_desktop.gui import recovery

    offered: list[tuple[Path, str]] = []

    def fake_recover(parent: object, path: Path, error: object = None) -> bool:
        offered.append((path, getattr(error, "message", "")))
        return False  # the secretary closes the screen without restoring

    monkeypatch.setattr(recovery, "recover", fake_recover)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    letter = tmp_path / "surat.sqlite"
    letter.write_text("Kepada Yth. Kepala Desa", encoding="utf-8")
    assert gui_app.run(letter) == 1
    assert [path for path, _message in offered] == [letter]
    assert offered[0][1]  # the screen is told what is wrong with the file
    assert letter.read_text(encoding="utf-8") == "Kepada Yth. Kepala Desa"
    again = DataFileLock(letter)
    again.acquire()  # the lock was released: this would raise otherwise
    again.release()


def test_without_a_display_the_program_runs_offscreen_and_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    gui_app._ensure_display()
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Layar tidak ditemukan" in err

    monkeypatch.delenv("QT_QPA_PLATFORM")
    monkeypatch.setenv("DISPLAY", ":0")
    gui_app._ensure_display()
    assert "QT_QPA_PLATFORM" not in os.environ
    assert capsys.readouterr().err == ""


def test_closing_waits_for_work_closes_the_file_and_releases_the_lock(
    qtbot: QtBot, village_file: Path
) -> None:
    lock = DataFileLock(village_file)
    lock.acquire()
    window = gui_app.open_main_window(village_file, lock=lock)
    window.show()
    qtbot.waitExposed(window)
    window.ops.write(slow_write)
    window.close()
    assert window.session.open_connections() == 0  # every connection closed
    session = open_session(village_file)
    try:  # the write that was running at close was finished, not cut off
        assert [e.detail for e in audit.entries(session.db(), action="update")] == ["slow"]
    finally:
        session.close()
    second = DataFileLock(village_file)
    second.acquire()  # would raise DataFileError while the window held it
    second.release()
    window.deleteLater()


def test_demo_data_is_filled_off_the_gui_thread(
    qtbot: QtBot, village_file: Path, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seen_threads.clear()
    monkeypatch.setattr(demo, "DEMO_STEPS", ["tests.gui.test_main_window:fake_demo_step"])
    window = open_window(village_file, fill_demo=True)
    qtbot.waitUntil(lambda: bool(_seen_threads) and not window.ops.busy())
    assert _seen_threads == ["worker"]


_seen_threads: list[str] = []


def slow_write(session: Session) -> None:
    time.sleep(0.3)
    db = session.db()
    with db.atomic():
        audit.record(db, "update", None, None, actor="test", detail="slow")


def fake_demo_step(
    session: Session, rng: random.Random, today: dt.date, *, members: int, months: int
) -> dict[str, int]:
    on_main = threading.current_thread() is threading.main_thread()
    _seen_threads.append("main" if on_main else "worker")
    return {"members": 0}


def test_a_large_file_is_checked_before_any_write_and_a_damaged_one_is_not_written(
    qtbot: QtBot, village_file: Path, open_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 8 + 7: a big receiver file opens at once; its quick_check runs first on the
    writer thread, and when it fails the window closes without writing or backing up."""
    from kt_desktop.services import backups
    from kt_desktop.store import backup as store_backup

    monkeypatch.setattr(backups, "DEEP_CHECK_LIMIT", 0)  # every file counts as large
    light = backups.check_on_open(village_file)
    assert light.ok and not light.deep

    real_inspect = store_backup.inspect
    order: list[str] = []

    def damaged_when_deep(path: Path, **kwargs: Any) -> store_backup.FileReport:
        report = real_inspect(path, **kwargs)
        if kwargs.get("deep", True):
            order.append("check")
            report.problem, report.problems = "damaged", ["*** in database main ***"]
        return report

    monkeypatch.setattr(store_backup, "inspect", damaged_when_deep)
    window = open_window(village_file)
    before = village_file.read_bytes()
    window.check_file_in_background()
    window.ops.write(lambda _session: order.append("write"))
    qtbot.waitUntil(lambda: window.damaged is not None, timeout=10_000)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert window.damaged.report.problem == "damaged"
    assert order == ["check", "write"]  # the write waited for the check
    assert window.auto_backup is False
    assert village_file.read_bytes() == before
    assert not list(backups.list_backups(village_file, verify=False))
