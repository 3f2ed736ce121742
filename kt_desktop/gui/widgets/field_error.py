"""A form field with its error message underneath, hidden until there is one: the member
form, the profile form and the training forms show a refused value the same way (issue 23:
the message is the field's accessible description, see :func:`keyboard.tie_error`)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kt_desktop.gui.widgets import style
from kt_desktop.gui.widgets.flow import flush
from kt_desktop.gui.widgets.keyboard import tie_error


def error_label() -> QLabel:
    """An error message in the error colour, wrapped, hidden while empty."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {style.ERROR};")
    label.setVisible(False)
    return label


def with_error(field: QWidget, extra: QWidget | None = None, *,
               error: QLabel | None = None) -> tuple[QWidget, QLabel]:
    """``(box, error)``: ``field`` (with ``extra`` at its right: a button, the age) above
    ``error`` (a new :func:`error_label` unless given)."""
    error = error or error_label()
    box = QWidget()
    layout = flush(QVBoxLayout(box), spacing=2)
    if extra is None:
        layout.addWidget(field)
    else:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(field, 1)
        row.addWidget(extra)
        layout.addLayout(row)
    layout.addWidget(error)
    tie_error(field, error)
    return box, error
