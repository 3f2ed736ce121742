"""The parts every list page builds the same way: the table, the search box that searches as
you type, the filter combo, the page's shortcuts, the footer's key hint, and dropping results
that arrive after the page closed. Book pages (``gui/pages/book.py``), Anggota, Kegiatan,
Pelatihan and the receiver's lists take them from here instead of repeating them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import shiboken6
from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QWidget,
)

from kt_desktop.gui.widgets import icons, style
from kt_desktop.gui.widgets.elided_combo import ElidedCombo
from kt_desktop.gui.widgets.fit import placeholder_width

SEARCH_DELAY_MS = 250
Slot = Callable[[], Any]


def record_table(model: QAbstractItemModel, *, sortable: bool = True,
                 fit_contents: bool = False, several: bool = False,
                 word_wrap: bool = True) -> QTableView:
    """A read-only table of whole rows, one selected at a time (``several``: Ctrl/Shift-click
    selects more), striped, no row numbers; ``fit_contents``: columns as wide as their
    contents, the last one taking the rest; ``word_wrap=False``: long cells elided."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if several
                           else QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(word_wrap)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setSortingEnabled(sortable)
    table.verticalHeader().setVisible(False)
    if fit_contents:
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
    return table


def search_field(placeholder: str, min_width: int) -> QLineEdit:
    """The search box: a magnifier, a clear button, the placeholder naming Ctrl+F."""
    field = QLineEdit()
    field.setPlaceholderText(placeholder)
    field.setClearButtonEnabled(True)
    field.addAction(icons.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
    # Never narrower than its placeholder (at any font size): cut, it hid the Ctrl+F.
    field.setMinimumWidth(max(min_width, placeholder_width(field)))
    return field


def search_as_you_type(owner: QWidget, field: QLineEdit, slot: Slot,
                       delay_ms: int = SEARCH_DELAY_MS) -> QTimer:
    """Call ``slot`` once typing in ``field`` pauses for ``delay_ms``."""
    timer = QTimer(owner)
    timer.setSingleShot(True)
    timer.setInterval(delay_ms)
    timer.timeout.connect(slot)
    field.textChanged.connect(lambda _text: timer.start())
    return timer


def filter_combo(everything: str, *, data: Any = "", name: str = "",
                 min_length: int = 12) -> QComboBox:
    """A filter whose first entry means "no filter" (``everything`` with ``data``)."""
    combo = ElidedCombo()  # a long entry is cut with "…", whole in its tooltip
    combo.addItem(everything, data)
    if name:
        combo.setAccessibleName(name)
        combo.setToolTip(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(min_length)
    return combo


def page_shortcuts(
    owner: QWidget, pairs: Iterable[tuple[QKeySequence | QKeySequence.StandardKey, Slot]],
) -> list[QShortcut]:
    """Shortcuts that act while the focus is anywhere inside ``owner`` (not in other pages)."""
    shortcuts = []
    for keys, slot in pairs:
        shortcut = QShortcut(QKeySequence(keys), owner)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        shortcuts.append(shortcut)
    return shortcuts


class _KeyHint(QLabel):
    """A wrapped label that asks for the width of its text on one line: a footer gives it
    that where it can and it wraps only where it must (a wrapped QLabel otherwise asks for a
    guessed width and breaks into two lines with half the row empty)."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self.text()) + margins.left() + margins.right()
        return QSize(width + 2, max(hint.height(), self.fontMetrics().height()))


def key_hint(text: str) -> QLabel:
    """The footer's list of the page's keys: one line where it fits, wrapped (right-aligned)
    where it does not (1024 px, a large font), never cut."""
    hint = _KeyHint(text)
    hint.setWordWrap(True)
    hint.setStyleSheet(f"color: {style.MUTED};")
    hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return hint


def action_button(text: str, tip: str, slot: Callable[[], object] | None = None) -> QPushButton:
    """A toolbar button with its tooltip (which names its key, where it has one), calling
    ``slot`` when pressed."""
    button = QPushButton(text)
    button.setToolTip(tip)
    if slot is not None:
        button.clicked.connect(lambda _checked=False: slot())
    return button


def tool_button(text: str, tip: str) -> QToolButton:
    """A small button of one sign ("‹", "+") with its tooltip saying what it does."""
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    return button


def add_remove_row(field: QWidget, add: str, remove: str
                   ) -> tuple[QHBoxLayout, QPushButton, QPushButton]:
    """``(row, add_button, remove_button)``: the field that says what to add, taking the
    width, with its Add and Remove buttons beside it (the list they change goes under it)."""
    row = QHBoxLayout()
    add_button = QPushButton(add)
    remove_button = QPushButton(remove)
    row.addWidget(field, 1)
    row.addWidget(add_button)
    row.addWidget(remove_button)
    return row, add_button, remove_button


def note_and_button(icon_name: str, text: str, slot: Callable[[], object]
                    ) -> tuple[QHBoxLayout, QLabel, QPushButton]:
    """``(row, note, button)``: a muted note taking the row (what the list shows, what was
    done) and, at its right, the button that acts on the list."""
    from kt_desktop.gui.widgets.labels import muted_label

    row = QHBoxLayout()
    note = muted_label()
    row.addWidget(note, 1)
    button = QPushButton(icons.icon(icon_name), text)
    button.clicked.connect(lambda _checked=False: slot())
    row.addWidget(button)
    return row, note, button


class SearchKeys(QObject):
    """The keys of a search box: Down moves into what was found (``down``: True when it
    did), Enter opens the first of it (``enter``, where given), Esc empties the box."""

    def __init__(self, field: QLineEdit, down: Callable[[], bool],
                 enter: Callable[[], object] | None = None) -> None:
        super().__init__(field)
        self._field, self._down, self._enter = field, down, enter
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if key == Qt.Key.Key_Down:
            return self._down()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._enter is not None:
            self._enter()
            return True
        if key == Qt.Key.Key_Escape and self._field.text():
            self._field.clear()
            return True
        return False


def empty_label() -> QLabel:
    """What stands in place of an empty table: centred, wrapped."""
    label = QLabel()
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


def alive(page: QWidget, callback: Callable[[Any], None]) -> Callable[[Any], None]:
    """``callback``, dropped when its result arrives after the page closed."""

    def deliver(result: Any) -> None:
        if shiboken6.isValid(page) and not getattr(page, "_closing", False):
            callback(result)

    return deliver
