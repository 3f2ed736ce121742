"""Keyboard and screen-reader rules that hold for every window, page and dialog (issue 23).

One application-wide event filter, :class:`KeyboardPolicy`, installed by
``gui.app.prepare_application``, so that a page or dialog added later (a new book's page and
form included) keeps the rules without code of its own:

- every item view lets Tab leave it (arrows move inside; :func:`table_keys.tab_leaves`) and
  a multi-line text field passes Tab on instead of typing a tab character;
- every input is named for a screen reader by its label (:func:`name_inputs`): a label whose
  buddy is a wrapper around the field (an error-label box) is given the field itself as its
  buddy, so its underlined letter moves the focus there, and the field takes the label's
  words as its accessible name; a search box is named by its placeholder, an icon-only
  button by its tooltip;
- a form that mixes in :class:`AskBeforeDiscard` asks before Esc, Batal or the window's
  close button throw away what was typed (the policy notes the form's state at the first
  key or click, so values the form loads by itself do not count as typing);
- Ctrl+Q anywhere quits (:func:`quit_application`), asking first when a form holds typed
  input.
"""

from __future__ import annotations

import re
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemDelegate,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from kt_desktop.gui.widgets.table_keys import tab_leaves
from kt_desktop.i18n import N_, _

#: Widgets a secretary types into or chooses in: each must have an accessible name.
INPUTS: tuple[type[QWidget], ...] = (
    QLineEdit, QAbstractSpinBox, QComboBox, QPlainTextEdit, QTextEdit, QAbstractItemView,
    QAbstractSlider,
)
_MNEMONIC = re.compile(r"&(?!&)")


def plain_label(text: str) -> str:
    """A label's words as a screen reader should say them: no "&", no ":" or " *" after."""
    text = _MNEMONIC.sub("", text).replace("&&", "&")
    text = re.sub(r"<[^>]+>", "", text)  # a rich-text label
    return text.strip().rstrip("*").strip().rstrip(":").strip()


def takes_tab(widget: QWidget) -> bool:
    """True when Tab can put the focus on ``widget`` itself (not through a proxy)."""
    return (
        widget.focusProxy() is None
        and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
    )


def focus_target(widget: QWidget) -> QWidget | None:
    """``widget`` if Tab can reach it, else the first widget inside it that Tab reaches
    (the field inside an error-label wrapper); None when there is none. A wrapper's focus
    proxy is followed: a label's Alt+letter moves the focus only to a focusable buddy."""
    while widget.focusProxy() is not None and not isinstance(widget, INPUTS):
        widget = widget.focusProxy()
    if isinstance(widget, INPUTS) or takes_tab(widget):
        return widget
    for child in widget.findChildren(QWidget):
        if isinstance(child, INPUTS) and child.focusProxy() is None:
            return child
    for child in widget.findChildren(QWidget):
        if takes_tab(child):
            return child
    return None


def _first_widget(layout: QLayout) -> QWidget | None:
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item.widget() is not None:
            return item.widget()
        if item.layout() is not None:
            found = _first_widget(item.layout())
            if found is not None:
                return found
    return None


def _form_labels(root: QWidget) -> list[tuple[QLabel, QWidget]]:
    """(label, field) of every form row under ``root`` whose label has no buddy yet
    (``addRow(label, layout)`` sets none)."""
    pairs = []
    for form in root.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field_item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label_item is None or field_item is None:
                continue
            label = label_item.widget()
            if not isinstance(label, QLabel) or label.buddy() is not None:
                continue
            field = field_item.widget() or (
                _first_widget(field_item.layout()) if field_item.layout() else None)
            if field is not None:
                pairs.append((label, field))
    return pairs


def _containing(layout: QLayout, widget: QWidget) -> tuple[QLayout, int] | None:
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item.widget() is widget:
            return layout, index
        if item.layout() is not None:
            found = _containing(item.layout(), widget)
            if found is not None:
                return found
    return None


def _label_before(widget: QWidget) -> QLabel | None:
    """The label just before ``widget`` in its row ("Tahun:" then the year), if any."""
    parent = widget.parentWidget()
    if parent is None or parent.layout() is None:
        return None
    found = _containing(parent.layout(), widget)
    if found is None or found[1] == 0:
        return None
    before = found[0].itemAt(found[1] - 1).widget()
    if isinstance(before, QLabel) and before.buddy() is None and before.text():
        return before
    return None


def _lone_in_group(widget: QWidget) -> str:
    """The title of the group box that holds ``widget`` as its only input ("Catatan")."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QGroupBox):
        parent = parent.parentWidget()
    if parent is None:
        return ""
    inputs = [w for w in parent.findChildren(QWidget) if isinstance(w, INPUTS) and takes_tab(w)
              and not isinstance(w.parentWidget(), (QComboBox, QAbstractSpinBox))]
    return parent.title() if inputs == [widget] else ""


def name_inputs(root: QWidget) -> None:
    """Give each input under ``root`` its label as buddy target and accessible name.

    Called for every window and stacked page as it is first shown; calling it again is
    harmless (a name given by the code is never replaced).
    """
    for label, field in _form_labels(root):
        label.setBuddy(field)
    for label in root.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is None:
            continue
        target = focus_target(buddy)
        if target is None:
            continue
        if target is not buddy:
            label.setBuddy(target)
        _room_for_mnemonic(label)
        words = plain_label(label.text())
        if words and not target.accessibleName():
            target.setAccessibleName(words)
    for widget in root.findChildren(QWidget):
        if widget.accessibleName():
            continue
        label = _label_before(widget) if isinstance(widget, INPUTS) else None
        if label is not None:
            label.setBuddy(widget)
            widget.setAccessibleName(plain_label(label.text()))
        elif isinstance(widget, QLineEdit) and widget.placeholderText():
            parent = widget.parentWidget()
            if isinstance(parent, (QComboBox, QAbstractSpinBox)):
                continue
            widget.setAccessibleName(widget.placeholderText())
        elif isinstance(widget, QAbstractButton) and not plain_label(widget.text()):
            if widget.toolTip():
                widget.setAccessibleName(plain_label(widget.toolTip()))
        elif isinstance(widget, QAbstractItemView):
            tab_leaves(widget)
            if not widget.accessibleName() and _title_of(root):
                widget.setAccessibleName(_title_of(root))
        elif isinstance(widget, INPUTS) and widget.toolTip():
            widget.setAccessibleName(plain_label(widget.toolTip()))
        elif isinstance(widget, INPUTS) and _lone_in_group(widget):
            widget.setAccessibleName(plain_label(_lone_in_group(widget)))


def _title_of(root: QWidget) -> str:
    """A window's title, or a page's heading: the name of a list that has no other."""
    from kt_desktop.gui.widgets.labels import ScaledLabel

    if root.isWindow():
        return root.windowTitle()
    for label in root.findChildren(ScaledLabel):
        return plain_label(label.text())
    return ""


def form_state(root: QWidget) -> tuple[Any, ...]:
    """What a secretary has entered in ``root``: texts, choices, ticks and list lengths."""
    state: list[Any] = []
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QLineEdit):
            state.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            state.append(widget.toPlainText())
        elif isinstance(widget, QTextEdit) and not widget.isReadOnly():
            state.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            state.append((widget.currentIndex(), widget.currentText()))
        elif isinstance(widget, QAbstractSpinBox):
            state.append(widget.text())
        elif isinstance(widget, QAbstractButton) and widget.isCheckable():
            state.append(widget.isChecked())
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            state.append(widget.model().rowCount())
    return tuple(state)


class AskBeforeDiscard:
    """Mix into a form (before ``QDialog``/``QWizard`` in its bases): Esc, Batal and the
    close button ask before closing when something was typed; "Lanjutkan mengisi" is the
    default, so a stray Enter keeps the work. A form that knows its changes better
    overrides :meth:`has_typed_input` (the activity form compares its record)."""

    _typed_from: tuple[Any, ...] | None = None
    _discard_agreed = False
    discard_title = N_("Discard what you typed?")
    discard_text = N_("What you typed in this form has not been saved. Close without saving?")

    def note_first_input(self) -> None:
        if self._typed_from is None:
            self._typed_from = form_state(self)  # type: ignore[arg-type]

    def has_typed_input(self) -> bool:
        return self._typed_from is not None and form_state(self) != self._typed_from  # type: ignore[arg-type]

    def confirm_discard(self) -> bool:
        """The question; a form may say it in its own words."""
        from kt_desktop.gui.widgets.confirm import confirm

        return confirm(self, _(self.discard_title), _(self.discard_text),  # type: ignore[arg-type]
                       _("Close without saving"), no_label=_("Keep editing"))

    def ask_discard(self) -> bool:
        """True when the form may close: nothing typed, or the secretary agreed."""
        if not self._discard_agreed and self.has_typed_input():
            self._discard_agreed = self.confirm_discard()
            return self._discard_agreed
        return True

    def reject(self) -> None:
        if self.ask_discard():
            super().reject()  # type: ignore[misc]


def quit_application() -> bool:
    """Ctrl+Q: close every window, asking once when a form holds typed input.

    False when the secretary chose to keep filling in (nothing is closed then).
    """
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return False
    windows = [w for w in app.topLevelWidgets() if w.isVisible()]
    typed = [w for w in windows if isinstance(w, AskBeforeDiscard) and w.has_typed_input()]
    if typed:
        if not typed[0].ask_discard():
            return False
        for form in typed:
            form._discard_agreed = True
    for window in windows:
        if isinstance(window, QDialog):
            window.reject()
    for window in windows:
        if shiboken6.isValid(window) and not isinstance(window, QDialog):
            window.close()
    return True


def first_control(root: QWidget) -> QWidget | None:
    """The first enabled, visible control of ``root`` (Qt's default Tab order follows the
    order widgets were made in): where focus should land when a page or tab is shown,
    never on the invisible frame around it."""
    for widget in root.findChildren(QWidget):
        if (takes_tab(widget) and widget.isEnabled() and widget.isVisible()
                and not isinstance(widget, QTabBar)):
            return widget
    return None


#: px a label with an underlined letter is given beyond the width Qt measures for it
MNEMONIC_ROOM = 4


class _MnemonicRoom(QObject):
    """Keeps a label with an underlined letter a little wider than Qt measures it.

    The underline splits a kerning pair ("Te" of "&Telepon"), so the word is drawn about
    3 px wider than its measured width and clipped there: without a colon after it, its last
    letter was cut ("Telepo|n"). The width follows the font (Pengaturan changes it at once).
    """

    def __init__(self, label: QLabel) -> None:
        super().__init__(label)
        self._label = label
        self._fit()
        label.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FontChange:
            self._fit()
        return False

    def _fit(self) -> None:
        label = self._label
        label.setMinimumWidth(label.fontMetrics().horizontalAdvance(label.text().replace("&", ""))
                              + MNEMONIC_ROOM)


def _room_for_mnemonic(label: QLabel) -> None:
    if "&" in label.text() and label.findChild(_MnemonicRoom) is None:
        _MnemonicRoom(label)


def focus_first_control(root: QWidget) -> None:
    target = first_control(root)
    if target is not None:
        target.setFocus(Qt.FocusReason.TabFocusReason)


def _switch_tab(watched: QWidget, event: QKeyEvent) -> bool:
    """Ctrl+Tab / Ctrl+PgDn (next) and Ctrl+Shift+Tab / Ctrl+PgUp (previous) switch the tab
    of the nearest tab widget around the focus, whatever field or table holds it."""
    key, mods = event.key(), event.modifiers()
    ctrl = Qt.KeyboardModifier.ControlModifier
    shift = Qt.KeyboardModifier.ShiftModifier
    if mods == ctrl and key in (Qt.Key.Key_Tab, Qt.Key.Key_PageDown):
        step = 1
    elif (mods == ctrl and key == Qt.Key.Key_PageUp) or (
            mods == ctrl | shift and key in (Qt.Key.Key_Backtab, Qt.Key.Key_Tab)):
        step = -1
    else:
        return False
    parent = watched.parentWidget()
    while parent is not None and not isinstance(parent, QTabWidget):
        parent = parent.parentWidget()
    if parent is None or parent.count() < 2:
        return False
    index = parent.currentIndex()
    for _tried in range(parent.count()):
        index = (index + step) % parent.count()
        if parent.isTabEnabled(index) and parent.isTabVisible(index):
            break
    parent.setCurrentIndex(index)
    focus_first_control(parent.currentWidget())
    return True


def _leave_editor(watched: QWidget, event: QKeyEvent) -> bool:
    """Tab in a cell being edited keeps the typed value and leaves the table (Qt's delegate
    would open the next cell, and Tab never left a grid of counts)."""
    if event.key() not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) or event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
        return False
    viewport = watched.parentWidget()
    view = viewport.parentWidget() if viewport is not None else None
    if not isinstance(view, QAbstractItemView) or view.viewport() is not viewport:
        return False
    if view.indexWidget(view.currentIndex()) is watched or watched.focusPolicy() == \
            Qt.FocusPolicy.NoFocus:
        return False  # a field placed in a cell (ChildGrid): the normal Tab chain
    delegate = view.itemDelegateForIndex(view.currentIndex()) or view.itemDelegate()
    delegate.commitData.emit(watched)
    delegate.closeEditor.emit(watched, QAbstractItemDelegate.EndEditHint.NoHint)
    view.setFocus(Qt.FocusReason.OtherFocusReason)
    forward = event.key() == Qt.Key.Key_Tab and not (
        event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
    QApplication.sendEvent(view, QKeyEvent(
        QEvent.Type.KeyPress, Qt.Key.Key_Tab if forward else Qt.Key.Key_Backtab,
        Qt.KeyboardModifier.NoModifier if forward else Qt.KeyboardModifier.ShiftModifier))
    return True


def _is_quit(event: QKeyEvent) -> bool:
    return (event.key() == Qt.Key.Key_Q
            and event.modifiers() == Qt.KeyboardModifier.ControlModifier)


def _polished(watched: QObject) -> None:
    """The rules a widget gets as Qt polishes it."""
    if isinstance(watched, QAbstractItemView):
        # Only the flag here: a style sheet set while Qt polishes crashes it; the
        # rest of tab_leaves() follows when the window shows (name_inputs).
        watched.setTabKeyNavigation(False)
    elif isinstance(watched, (QPlainTextEdit, QTextEdit)):
        watched.setTabChangesFocus(True)
    elif isinstance(watched, QScrollArea):
        # A scrolling page is a container: the focus goes to its fields, never to
        # the invisible frame around them.
        watched.setFocusPolicy(Qt.FocusPolicy.NoFocus)


def _catch_up() -> None:
    """The rules for the widgets made before the policy was installed: the program's main
    window installs it once it has painted (``gui.app.run``, issue 16)."""
    for widget in QApplication.allWidgets():
        _polished(widget)
    for window in QApplication.topLevelWidgets():
        if window.isVisible():
            name_inputs(window)


class KeyboardPolicy(QObject):
    """The application's event filter that applies the rules above (see the module)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Polish:
            _polished(watched)
        elif kind == QEvent.Type.Show and isinstance(watched, QWidget):
            if watched.isWindow() or isinstance(watched.parentWidget(), QStackedWidget):
                name_inputs(watched)
        elif kind in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress) and isinstance(
                watched, QWidget):
            window = watched.window()
            if isinstance(window, AskBeforeDiscard):
                window.note_first_input()
            if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                if _is_quit(event):
                    QTimer.singleShot(0, quit_application)
                    return True
                return _switch_tab(watched, event) or _leave_editor(watched, event)
        return False


_policy: KeyboardPolicy | None = None


def install(app: QApplication) -> KeyboardPolicy:
    """Install the policy once per application (``prepare_application`` calls this, and
    ``gui.app.run`` once the main window has painted); the widgets already made get its
    rules then."""
    global _policy
    if _policy is None or not shiboken6.isValid(_policy):
        _policy = KeyboardPolicy(app)
        app.installEventFilter(_policy)
        _catch_up()
    return _policy


class _ErrorTie(QObject):
    """Keeps a field's accessible description equal to its shown error (see tie_error)."""

    def __init__(self, field: QWidget, label: QLabel) -> None:
        super().__init__(label)
        self._field = field

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QLabel) or not shiboken6.isValid(self._field):
            return False
        if event.type() == QEvent.Type.Show:
            message = watched.text()
            self._field.setAccessibleDescription(message)
            QAccessible.updateAccessibility(
                QAccessibleEvent(self._field, QAccessible.Event.DescriptionChanged))
            if message:  # read out at once, as a sighted user sees the red line appear
                QAccessible.updateAccessibility(
                    QAccessibleAnnouncementEvent(self._field, message))
        elif event.type() == QEvent.Type.Hide:
            self._field.setAccessibleDescription("")
        return False


def tie_error(field: QWidget, label: QLabel) -> None:
    """Tie an error label to its field, the one way every form does it (issue 23): the
    message becomes the field's accessible description and is announced when it appears,
    and it goes away as soon as the field is edited (a stale "NIK harus 16 angka" stayed
    while the corrected NIK was typed)."""
    label.installEventFilter(_ErrorTie(field, label))

    def edited(*_args: object) -> None:
        if shiboken6.isValid(label) and label.isVisibleTo(label.parentWidget()):
            label.clear()
            label.setVisible(False)

    if isinstance(field, QLineEdit):
        field.textEdited.connect(edited)
    elif isinstance(field, QPlainTextEdit):
        field.textChanged.connect(edited)
    elif isinstance(field, QComboBox):
        field.activated.connect(edited)
        if field.isEditable():
            field.lineEdit().textEdited.connect(edited)
    elif isinstance(field, QAbstractSpinBox):
        field.lineEdit().textEdited.connect(edited)
