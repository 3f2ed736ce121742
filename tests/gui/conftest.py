"""GUI tests: every test must leave no window, worker, timer or thread behind.

Modelled on napari's leak checks: a widget left open, a ``QThreadPool`` worker still
running or a Python thread still alive after a test means the next test (or the program at
exit) meets a half-closed data file — the vorta#748 kind of failure. The check runs after
pytest-qt has closed the widgets registered with ``qtbot.addWidget``, and closes whatever
it finds so one leak does not cascade into the following tests.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

if TYPE_CHECKING:
    from kt_desktop.gui.main_window import MainWindow

#: ``open_window(path, lock=None, fill_demo=False)``: see the fixture.
OpenWindow = Callable[..., "MainWindow"]

#: The offscreen platform plugin warns that it cannot do window-manager things (raise a
#: window, grab the keyboard for a popup); those say nothing about the program.
OFFSCREEN_NOISE = r"This plugin does not support .*"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/gui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


def _python_threads() -> set[threading.Thread]:
    # Foreign threads (Qt's pool threads) appear as _DummyThread once they log; they are
    # checked through the pools instead.
    return {
        thread
        for thread in threading.enumerate()
        if not isinstance(thread, threading._DummyThread)  # type: ignore[attr-defined]
    }


def _flush(app: QApplication) -> None:
    for _round in range(3):
        app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()


def _busy_pools(app: QApplication) -> list[str]:
    found = []
    if QThreadPool.globalInstance().activeThreadCount():
        found.append("the global QThreadPool")
    for widget in app.allWidgets():
        for pool in widget.findChildren(QThreadPool):
            if pool.activeThreadCount():
                found.append(f"a QThreadPool of {type(widget).__name__}")
    return found


def _active_timers(app: QApplication) -> list[str]:
    found = []
    for widget in app.topLevelWidgets():
        for timer in widget.findChildren(QTimer):
            if timer.isActive() and not timer.isSingleShot():
                found.append(f"a repeating QTimer in {type(widget).__name__}")
                timer.stop()
    return found


@pytest.fixture(autouse=True)
def _unexpected_errors_fail(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An "unexpected error" dialog fails the test with its details instead of waiting,
    modal, for a click that never comes (the run would hang until the timeout). A test
    that expects one patches ``ErrorDialog.exec`` itself."""
    from kt_desktop.gui import errors

    shown: list[str] = []

    def record(dialog: errors.ErrorDialog) -> int:
        shown.append(dialog.details.toPlainText())
        return 0

    monkeypatch.setattr(errors.ErrorDialog, "exec", record)
    yield
    if shown:
        pytest.fail("an unexpected error dialog was shown:\n" + "\n".join(shown),
                    pytrace=False)


@pytest.fixture(autouse=True)
def _no_leaks(qapp: QApplication) -> Iterator[None]:
    threads_before = _python_threads()
    windows_before = {id(w) for w in qapp.topLevelWidgets() if w.isVisible()}
    existing = {id(w) for w in qapp.topLevelWidgets()}
    # Python's cyclic garbage collector runs only between GUI tests, at quiet points: run
    # inside Qt (an override looked up in a timer event of a table) it deleted a window of
    # the test under the call that was painting it — a segmentation fault that came and went
    # with how many modules were loaded. Qt objects die in order here, never at random.
    gc.collect()
    gc.disable()
    yield
    _flush(qapp)
    problems: list[str] = []
    windows: list[QWidget] = [
        w for w in qapp.topLevelWidgets() if w.isVisible() and id(w) not in windows_before
    ]
    for window in windows:
        problems.append(f"a visible window was left open: {type(window).__name__}")
        window.close()
    problems += _busy_pools(qapp)
    QThreadPool.globalInstance().waitForDone(10_000)  # so a leak does not cascade
    problems += _active_timers(qapp)
    new_threads = _python_threads() - threads_before
    for thread in new_threads:
        thread.join(timeout=2)
    problems += [f"a thread was left running: {t.name}" for t in new_threads if t.is_alive()]
    # The test's windows and dialogs are deleted now, while nothing of theirs runs.
    for widget in qapp.topLevelWidgets():
        if id(widget) not in existing:
            widget.deleteLater()
    _flush(qapp)
    gc.collect()
    gc.enable()
    _flush(qapp)
    if problems:
        pytest.fail("leaked by this test:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture
def open_window(qtbot: QtBot) -> Iterator[OpenWindow]:
    """Open a data file in a shown main window that the test's end closes (file and lock too).

    Call it as ``open_window(path, lock=None, fill_demo=False)``; it waits until the first
    reads (Beranda, title, status bar) are done.
    """
    from kt_desktop.gui.app import open_main_window

    windows = []

    def factory(path: Path, **kwargs: Any) -> MainWindow:
        window = open_main_window(path, **kwargs)
        qtbot.addWidget(window, before_close_func=lambda w: w.ops.wait_idle())
        windows.append(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: not window.ops.busy(), timeout=10_000)
        return window

    yield factory
    for window in windows:
        window.shut_down()


def type_into(form: Any, **texts: str) -> None:
    """Type each text into the form's field of that key, as the user would: a one-line box
    or a text box (``form.widgets`` of a book form)."""
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

    for key, text in texts.items():
        widget = form.widgets[key]
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)
        else:
            assert isinstance(widget, QLineEdit), key
            widget.setText(text)


def idle(qtbot: QtBot, ops: Any, timeout: int = 10_000) -> None:
    """Wait until the page's workers are done (reads and writes run off the GUI thread)."""
    qtbot.waitUntil(lambda: not ops.busy(), timeout=timeout)


def ops_on(session: Any) -> Iterator[Any]:
    """Page operations on ``session``, waited for afterwards. For an ``ops`` fixture over a
    file the module filled first: ``yield from ops_on(village_session)``."""
    from kt_desktop.gui.ops import Ops

    operations = Ops(session)
    yield operations
    operations.wait_idle()


@pytest.fixture
def ops(village_session: Any) -> Iterator[Any]:
    """The page operations on a fresh village file (a module needing data makes its own)."""
    yield from ops_on(village_session)


W = TypeVar("W", bound=QWidget)


def show_page(qtbot: QtBot, ops: Any, widget: W, size: tuple[int, int] = (1176, 708)) -> W:
    """Show a page at a laptop's size (closed after the test, once its workers are done) and
    wait until the loads it started are done."""
    qtbot.addWidget(widget, before_close_func=lambda _w: ops.wait_idle())
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    idle(qtbot, ops)
    return widget


def enter_on_first_row(qtbot: QtBot, page: Any) -> Any:
    """Reload a list page, then press Enter on its first row: the form it opens."""
    from PySide6.QtCore import Qt

    page.refresh()
    idle(qtbot, page.ops)
    page.table.selectRow(0)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.form is not None, "Enter on a row opens its form"
    return page.form


def open_book_page(qtbot: QtBot, ops: Any, key: str,
                   factory: Callable[..., Any] | None = None) -> Iterator[Any]:
    """A book's page made by the factory VILLAGE_PAGES names (or ``factory``, a page class of
    its own such as the Program Kerja's), shown at a laptop's size; any form left open is
    closed afterwards. For a ``page`` fixture: ``yield from`` it."""
    from kt_desktop.gui.pages import book as book_pages

    widget = show_page(qtbot, ops, (factory or getattr(book_pages, key))(ops, None))
    yield widget
    if widget.form is not None:
        widget.form.reject()
    idle(qtbot, ops)



@pytest.fixture(autouse=True)
def _typed_forms_close_without_asking(monkeypatch: pytest.MonkeyPatch) -> None:
    """A form a test typed into and leaves open closes at the end without asking "discard
    what you typed?" (a modal question nobody answers would hang the run). Tests of the
    question patch ``confirm_discard`` themselves (tests/gui/test_keyboard.py)."""
    from kt_desktop.gui.widgets.keyboard import AskBeforeDiscard

    monkeypatch.setattr(AskBeforeDiscard, "confirm_discard", lambda _self: True)
