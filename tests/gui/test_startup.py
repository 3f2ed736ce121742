"""The program's start (issue 16): the main window paints first, the rest follows.

What must not load before the first paint is checked in a fresh process running the real
start (``gui.app.run``) with the benchmark's own probe (scripts/benchmark.py, row 1); what
moved after the paint is checked to still happen: Beranda's figures, the PIN, a schema
update before the file is used.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from kt_desktop.domain.errors import DataFileError
from kt_desktop.gui import app as gui_app
from kt_desktop.gui.pages import NATIONAL_PAGES, RECEIVER_PAGES, VILLAGE_PAGES
from kt_desktop.services import pin
from kt_desktop.services.session import open_session
from kt_desktop.store import connection, migrations
from scripts import benchmark

ROOT = Path(__file__).resolve().parents[2]
#: The modules of the pages not shown first (only Beranda is): loaded when first opened.
OTHER_PAGES = tuple(
    spec.factory.split(":")[0]
    for spec in (*VILLAGE_PAGES, *RECEIVER_PAGES, *NATIONAL_PAGES)
    if spec.factory and spec.key != "beranda"
)
#: Not needed to paint the window: reports, spreadsheets and bundles (benchmark row 1),
#: Babel's date and number formats, sqlite-utils with the packages it brings, QtSvg (the
#: icons are drawn after the paint), Beranda's figures and the other pages.
NOT_BEFORE_PAINT = (
    *benchmark.FORBIDDEN_AT_START, "babel", "sqlite_utils", "click", "dateutil", "pluggy",
    "PySide6.QtSvg", "kt_desktop.services.dashboard", *OTHER_PAGES,
)
#: PySide classes the first paint does without ("module:Class": built by PySide, with all
#: their enums, when first named or handed over by Qt): Qt's namespace (its 93 enums, set
#: by name through gui.widgets.qt_names), the style (the application is made in Fusion, not
#: asked for its style), QPainter (the icons draw after the paint), and the buttons,
#: dialogs, fields and style options of pages and dialogs not shown first (Beranda's start
#: hint and its button come with the first figures).
CLASSES_NOT_BEFORE_PAINT = ("PySide6.QtCore:Qt", "PySide6.QtGui:QPainter", *(
    f"PySide6.QtWidgets:{name}" for name in (
        "QStyle", "QStyleOption", "QDialog", "QDialogButtonBox", "QProgressDialog", "QPushButton",
        "QComboBox", "QFormLayout", "QLineEdit", "QAbstractSpinBox", "QCheckBox",
        "QRadioButton", "QToolButton", "QTabBar", "QHeaderView", "QStylePainter",
    )
))


def test_the_first_paint_comes_before_reports_babel_sqlite_utils_qt_enums_and_qstyle(
    village_file: Path,
) -> None:
    code = (
        benchmark.APP_PROBE.replace("{heavy!r}", repr(NOT_BEFORE_PAINT + CLASSES_NOT_BEFORE_PAINT))
        .replace("{root!r}", repr(str(ROOT)))
        .replace("{data!r}", repr(str(village_file)))
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env,
        cwd=ROOT,
    )
    marks = {
        line.split(" ", 1)[0]: json.loads(line.split(" ", 1)[1])
        for line in done.stdout.splitlines()
        if line.startswith(("PAINTED ", "READY "))
    }
    assert "PAINTED" in marks, done.stdout + done.stderr
    assert marks["PAINTED"]["heavy"] == []
    assert "READY" in marks, done.stdout + done.stderr  # Beranda's figures follow the paint
    assert done.returncode == 0


def test_the_program_makes_its_application_in_fusion_whatever_the_desktop_asks() -> None:
    """The first frame is Fusion without asking the made application for its style: here
    against a desktop that asks for another style (as Windows' own does)."""
    code = (
        "import os, sys\n"
        "from kt_desktop.gui.widgets.style import fusion_application\n"
        "app = fusion_application(sys.argv[0])\n"
        "print(app.style().name())\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_STYLE_OVERRIDE="windows")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-1].lower() == "fusion"


def test_the_first_frame_widgets_have_their_named_settings(
    qtbot: QtBot, village_file: Path
) -> None:
    """What the first paint sets by name (widgets.qt_names) is set: the sidebar takes the
    focus and never scrolls sideways, the path and Beranda's header can be selected."""
    from PySide6.QtCore import Qt

    window = gui_app.open_main_window(village_file, reads_after_paint=True)
    qtbot.addWidget(window, before_close_func=lambda w: w.ops.wait_idle())
    assert window.sidebar.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert window.sidebar.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    home = window.page("beranda")
    assert home is not None
    selectable = Qt.TextInteractionFlag.TextSelectableByMouse
    for label in (window.status_file, home.name, home.place, home.details):
        assert label.textInteractionFlags() == selectable
    window.shut_down()


def test_a_name_qt_does_not_know_is_refused(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLabel

    from kt_desktop.gui.widgets.qt_names import set_named

    label = QLabel()
    qtbot.addWidget(label)
    with pytest.raises(ValueError, match="textFormat"):
        set_named(label, "textFormat", "Plaintext")
    set_named(label, "textFormat", "PlainText")
    assert label.textFormat().name == "PlainText"


def test_an_elided_label_cuts_its_path_in_the_middle_once_shown_and_never_reads_html(
    qtbot: QtBot,
) -> None:
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from kt_desktop.gui.widgets.labels import ElidedLabel

    holder = QWidget()
    qtbot.addWidget(holder)
    path = "C:/Users/Sekretaris/Documents/" + "Arsip Karang Taruna/" * 8 + "desa.sqlite"
    label = ElidedLabel(middle=True)
    QVBoxLayout(holder).addWidget(label)
    holder.resize(300, 40)
    label.set_full_text(path)
    assert label.text() == path  # hidden: whole, cut when shown at the width it is given
    holder.show()
    qtbot.waitExposed(holder)
    assert label.text().startswith("C:/Users/") and label.text().endswith("/desa.sqlite")
    assert "…" in label.text() and label.toolTip() == path
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()
    label.set_full_text("<b>tebal</b>")
    assert label.text() == "<b>tebal</b>" and label.textFormat().name == "PlainText"
    assert label.sizeHint().width() > label.fontMetrics().horizontalAdvance("tebal") + 20


def test_the_window_reads_its_file_once_it_has_painted(
    qtbot: QtBot, village_file: Path
) -> None:
    window = gui_app.open_main_window(village_file, reads_after_paint=True)
    qtbot.addWidget(window, before_close_func=lambda w: w.ops.wait_idle())
    home = window.page("beranda")
    assert home is not None
    qtbot.wait(300)
    assert home.summary is None and not window.ops.busy()  # held: nothing read yet
    assert window.help_shortcut is None and window.windowTitle() == "KT Desktop"
    window.show()
    qtbot.waitUntil(lambda: home.summary is not None, timeout=10_000)
    assert home.name.text() == home.summary.name
    qtbot.waitUntil(lambda: window.windowTitle() != "KT Desktop", timeout=10_000)
    assert window.help_shortcut is not None  # F1, once painted
    window.shut_down()


def test_the_sidebar_and_the_window_get_their_icons_once_the_window_has_painted(
    qtbot: QtBot, qapp: QApplication, village_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kt_desktop.gui import main_window
    from kt_desktop.gui.widgets import icons, keyboard

    qapp.setWindowIcon(QIcon())  # as in a fresh program
    monkeypatch.setattr(keyboard, "_policy", None)
    window = gui_app.open_main_window(village_file, reads_after_paint=True)
    qtbot.addWidget(window, before_close_func=lambda w: w.ops.wait_idle())
    blank = icons.blank(main_window.SIDEBAR_ICON).cacheKey()
    rows = range(window.sidebar.count())
    assert [window.sidebar.item(row).icon().cacheKey() for row in rows] == [blank] * len(rows)
    assert qapp.windowIcon().isNull()
    window.after_first_paint(lambda: gui_app.install_hooks(qapp))  # as gui_app.run does
    window.show()
    wanted = [icons.icon(spec.icon).cacheKey() for spec in window.specs]
    qtbot.waitUntil(
        lambda: [window.sidebar.item(row).icon().cacheKey() for row in rows] == wanted,
        timeout=10_000,
    )
    assert window.sidebar.item(0).text() == "Beranda"  # the text stood there all along
    assert qapp.windowIcon().cacheKey() == icons.app_icon().cacheKey()
    assert not window.windowIcon().isNull()  # the program's icon, worn by its window
    window.shut_down()
    if keyboard._policy is not None:  # installed with the icon: not left to later tests
        qapp.removeEventFilter(keyboard._policy)


def test_a_file_with_a_pin_asks_for_it_before_the_window_shows(
    qtbot: QtBot, qapp: QApplication, village_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kt_desktop.gui.dialogs.pin import PinPrompt
    from kt_desktop.gui.main_window import MainWindow
    from kt_desktop.gui.widgets import keyboard

    session = open_session(village_file)
    try:
        pin.set_pin(session, "271828")
    finally:
        session.close()
    asked: list[bool] = []
    shown: list[MainWindow] = []

    def exit_at_prompt(prompt: PinPrompt) -> int:
        asked.append(keyboard._policy is not None)  # the prompt has the keyboard rules
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(PinPrompt, "exec", exit_at_prompt)
    monkeypatch.setattr(MainWindow, "show", lambda window: shown.append(window))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(keyboard, "_policy", None)  # as in a fresh program
    try:
        assert gui_app.run(village_file) == 0
    finally:
        if keyboard._policy is not None:
            qapp.removeEventFilter(keyboard._policy)
    assert asked == [True]  # installed by then, although no window has painted
    assert shown == []


def test_a_file_of_an_older_schema_is_updated_before_it_is_used(tmp_path: Path) -> None:
    path = tmp_path / "lama.sqlite"
    db = connection.connect(path, create=True)
    migrations.migrate(db, up_to=migrations.MIGRATIONS[-2][0])
    db.close()
    session = open_session(path)
    try:
        assert migrations.schema_version(session.db()) == migrations.latest_version()
    finally:
        session.close()
    newer = connection.connect(path)
    newer.execute(f"PRAGMA user_version = {migrations.latest_version() + 1}")
    newer.close()
    with pytest.raises(DataFileError) as refused:
        open_session(path)
    assert refused.value.code == "newer_schema"
