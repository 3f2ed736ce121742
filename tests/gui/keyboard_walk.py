"""The keyboard and screen-reader checks of ``test_keyboard.py`` (issue 23), as functions that
take one window on screen and return what a secretary with only a keyboard, or a screen
reader, would meet there."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QRadioButton,
    QTabBar,
    QTextBrowser,
    QWidget,
)

from kt_desktop.gui.widgets.keyboard import INPUTS, plain_label, takes_tab

#: Presses of Tab on one widget before it counts as a trap.
TRAP_PRESSES = 4
LINK_PRESSES = 400
#: Pixels a control may sit above/left of the one before it and still read as "after" it.
SLACK = 6


def describe(widget: QWidget) -> str:
    words = (widget.accessibleName() or getattr(widget, "text", lambda: "")()
             or widget.objectName())
    return f"{type(widget).__name__}({plain_label(str(words))[:40]!r})"


def shown(widget: QWidget, window: QWidget) -> bool:
    return (widget.isVisibleTo(window) and widget.isVisible() and widget.width() > 0
            and widget.height() > 0)


def tab_stops(window: QWidget) -> list[QWidget]:
    """Enabled, visible controls of ``window`` that Tab should reach."""
    return [w for w in window.findChildren(QWidget)
            if w.window() is window and takes_tab(w) and w.isEnabled() and shown(w, window)
            and not isinstance(w.parentWidget(), (QComboBox, QAbstractSpinBox))]


def activate(window: QWidget) -> None:
    app = QApplication.instance()
    window.activateWindow()
    window.raise_()
    for _round in range(3):
        app.processEvents()


def _place(widget: QWidget, window: QWidget) -> QPoint:
    return widget.mapTo(window, QPoint(0, 0))


def tab_problems(window: QWidget) -> list[str]:
    """Tab round the window: traps, controls never reached, and steps that go back up-left."""
    app = QApplication.instance()
    activate(window)
    stops = tab_stops(window)
    if not stops:
        return []
    current = app.focusWidget()
    if current is None or current.window() is not window:
        stops[0].setFocus(Qt.FocusReason.TabFocusReason)
        app.processEvents()
        current = app.focusWidget()
    if current is None:
        return [f"{window.windowTitle()!r}: nothing takes the focus"]
    problems: list[str] = []
    visited: list[QWidget] = [current]
    backward: list[str] = []
    same = 0
    for _press in range(len(stops) * 3 + 20):
        QTest.keyClick(current, Qt.Key.Key_Tab)
        app.processEvents()
        following = app.focusWidget()
        if following is None or following.window() is not window:
            problems.append(f"Tab on {describe(current)} left the window")
            break
        if following is current:
            if len(stops) == 1:
                break  # the only control: Tab has nowhere else to go
            same += 1
            # A text with links: Tab visits each link, then leaves.
            if same >= (LINK_PRESSES if isinstance(current, QTextBrowser) else TRAP_PRESSES):
                problems.append(f"Tab cannot leave {describe(current)}")
                break
            continue
        same = 0
        before, after = _place(current, window), _place(following, window)
        if after.y() < before.y() - SLACK and after.x() < before.x() - SLACK:
            backward.append(f"{describe(current)} -> {describe(following)}")
        if following is visited[0]:
            break
        visited.append(following)
        current = following
    if len(backward) > 1:  # one step back up-left is the wrap from the last to the first
        problems.append("Tab order jumps back: " + "; ".join(backward))
    reached = set(visited)
    for widget in stops:
        if widget in reached:
            continue
        if isinstance(widget, QRadioButton) and widget.autoExclusive() and any(
                isinstance(other, QRadioButton) and other.parentWidget() is widget.parentWidget()
                for other in reached):
            continue  # arrows move within a group of radio buttons; Tab visits one
        if isinstance(widget, QAbstractItemView) and any(
                cell in reached for cell in widget.viewport().findChildren(QWidget)):
            continue  # a grid of fields (ChildGrid): Tab goes through its fields
        problems.append(f"Tab never reaches {describe(widget)}")
    return problems


def name_problems(window: QWidget) -> list[str]:
    """Inputs (and text-less buttons) a screen reader could not name."""
    problems = []
    for widget in window.findChildren(QWidget):
        if widget.window() is not window or not shown(widget, window):
            continue
        if isinstance(widget.parentWidget(), (QComboBox, QAbstractSpinBox)):
            continue  # the line edit inside: the combo or spin box carries the name
        if isinstance(widget, (QAbstractItemView, QAbstractSlider)) and not takes_tab(widget):
            continue  # a scroll bar, a popup's list: the keyboard never stops there
        if isinstance(widget, INPUTS) and not widget.accessibleName().strip():
            problems.append(f"{describe(widget)} has no accessible name")
        elif (isinstance(widget, QAbstractButton) and takes_tab(widget)
              and not plain_label(widget.text()) and not widget.accessibleName().strip()):
            problems.append(f"{describe(widget)} has no text and no accessible name")
    return problems


def mnemonics(window: QWidget) -> list[tuple[str, QWidget]]:
    """(letter, owner) of every underlined letter shown in ``window``."""
    found = []
    for widget in window.findChildren(QWidget):
        if widget.window() is not window or not shown(widget, window) or not widget.isEnabled():
            continue
        texts: list[str] = []
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts = [widget.text()]
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            texts = [widget.title()]
        elif isinstance(widget, QTabBar):
            texts = [widget.tabText(i) for i in range(widget.count()) if widget.isTabEnabled(i)
                     and widget.isTabVisible(i)]
        for text in texts:
            letter = QKeySequence.mnemonic(text).toString()
            if letter:
                found.append((letter.upper(), widget))
    return found


def mnemonic_problems(window: QWidget) -> list[str]:
    """Letters used twice, labels whose letter leads nowhere, and labels whose Alt+letter
    does not put the focus on their field."""
    app = QApplication.instance()
    problems = []
    seen: dict[str, QWidget] = {}
    for letter, owner in mnemonics(window):
        if letter in seen and seen[letter] is not owner:
            problems.append(f"{letter} on both {describe(seen[letter])} and {describe(owner)}")
        seen.setdefault(letter, owner)
    activate(window)
    for letter, owner in mnemonics(window):
        if not isinstance(owner, QLabel):
            continue
        buddy = owner.buddy()
        if buddy is None:
            problems.append(f"{letter}: {describe(owner)} has no field")
            continue
        if not buddy.isEnabled() or not buddy.isVisible():
            continue  # its field waits for another choice (the kabupaten before a province)
        start = app.focusWidget() or window
        QTest.keySequence(start, QKeySequence(letter.replace("ALT+", "Alt+")))
        app.processEvents()
        focus = app.focusWidget()
        if focus is not buddy and (focus is None or buddy.focusProxy() is not focus
                                   and focus.focusProxy() is not buddy):
            problems.append(f"{letter} on {describe(owner)} put the focus on "
                            f"{describe(focus) if focus else 'nothing'}, not "
                            f"{describe(buddy)}")
    return problems
