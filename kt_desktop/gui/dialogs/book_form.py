"""The form of any declared book: its sections, one field widget per declared kind, and each
field's problem shown beside it. It scrolls, so it fits a 1024×600 screen whatever the book."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain import clock
from kt_desktop.domain.book import CHOICE, DATE, INTEGER, MULTILINE, BookRecord, BookSpec, Field
from kt_desktop.gui.dialogs.training_form import FormErrors, run_write, save_cancel
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.widgets.date_field import DateField
from kt_desktop.i18n import _
from kt_desktop.services import books as service


def _widget(item: Field) -> QWidget:
    if item.kind == DATE:
        return DateField(optional=not item.required)
    if item.kind == MULTILINE:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 14)
        if item.placeholder:
            edit.setPlaceholderText(_(item.placeholder))
        return edit
    if item.kind == CHOICE or item.lookup:  # a lookup's records arrive after (BookForm)
        combo = QComboBox()
        combo.addItem("—", "")
        for code, label in item.choices:
            combo.addItem(_(label), code)
        return combo
    if item.kind == INTEGER:
        spin = QSpinBox()
        spin.setRange(0, 2_000_000_000)
        return spin
    line = QLineEdit()
    line.setMaxLength(item.max_length)
    if item.placeholder:
        line.setPlaceholderText(_(item.placeholder))
    return line


def read_value(widget: QWidget) -> Any:
    if isinstance(widget, DateField):
        return widget.value()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentData() or ""
    if isinstance(widget, QSpinBox):
        return widget.value()
    assert isinstance(widget, QLineEdit)
    return widget.text()


def write_value(widget: QWidget, value: Any) -> None:
    if isinstance(widget, DateField):
        widget.set_value(value if isinstance(value, dt.date) else None)
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(str(value or ""))
    elif isinstance(widget, QComboBox):
        widget.setCurrentIndex(max(widget.findData(value or ""), 0))
    elif isinstance(widget, QSpinBox):
        widget.setValue(int(value or 0))
    elif isinstance(widget, QLineEdit) and isinstance(value, int):
        widget.setText(f"{value:,}".replace(",", "."))  # money as typed: 1.500.000
    elif isinstance(widget, QLineEdit):
        widget.setText(str(value or ""))


class BookForm(QDialog):
    """Add (``record`` None) or change one record; ``saved_id`` is set once it is stored."""

    def __init__(self, ops: Ops, spec: BookSpec, record: BookRecord | None = None,
                 parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ops, self.spec, self.record = ops, spec, record
        self.saved_id: str | None = None
        self.errors = FormErrors()
        self.widgets: dict[str, QWidget] = {}
        noun = _(spec.noun[0])
        self.setWindowTitle((_("Change {noun}") if record else _("Add {noun}")).format(noun=noun))
        body = QWidget()
        sections = QVBoxLayout(body)
        labels = {f.key: _(f.label) + (" *" if f.required else "") for f in spec.fields}
        label_width = max(self.fontMetrics().horizontalAdvance(t) for t in labels.values()) + 8
        for section in spec.sections:
            group = QGroupBox(_(section.title))
            form = QFormLayout(group)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            for key in section.fields:
                item = spec.field(key)
                widget = self.widgets[key] = _widget(item)
                label = QLabel(labels[key])
                label.setMinimumWidth(label_width)  # the sections' fields line up
                form.addRow(label, self.errors.wrap(key, widget))
            sections.addWidget(group)
        sections.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        buttons = save_cancel(self, self.save, layout)
        self.resize(560, 540)
        if record is not None:
            for key, widget in self.widgets.items():
                write_value(widget, record.get(key))
        else:
            for key, widget in self.widgets.items():
                if spec.field(key).default:
                    write_value(widget, spec.field(key).default)
            if spec.date_field in self.widgets:
                write_value(self.widgets[spec.date_field], today or clock.today())
        for key in self.widgets:
            if spec.field(key).lookup:
                self._load_lookup(key)
        first = spec.sections[0].fields[0] if spec.sections else ""
        focus = spec.label_field if record is None else first
        self.widgets.get(focus, buttons).setFocus()

    def _load_lookup(self, key: str) -> None:
        """Fill a lookup's list (e.g. the activities) and choose the record's value in it."""
        spec, combo = self.spec, self.widgets[key]
        assert isinstance(combo, QComboBox)
        combo.setMinimumContentsLength(24)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        wanted = self.record.get(key) if self.record is not None else ""

        def fill(found: list[tuple[str, str]]) -> None:
            current = combo.currentData() or wanted
            for record_id, label in found:
                combo.addItem(label, record_id)
            combo.setCurrentIndex(max(combo.findData(current), 0) if current else 0)

        self.ops.query(lambda s: service.lookup_choices(s, spec, key), fill, parent=self)

    def values(self) -> dict[str, Any]:
        return {key: read_value(widget) for key, widget in self.widgets.items()}

    def save(self) -> None:
        values = self.values()
        found = service.check_values(self.spec, values)
        if found:
            self.errors.show_all(found)
            return
        self.errors.clear()
        spec, record = self.spec, self.record

        def write(session: Any) -> str:
            if record is None:
                return service.add(session, spec, values)
            service.edit(session, spec, record.id, values)
            return record.id

        def done(result: object) -> None:
            self.saved_id = str(result)
            self.accept()

        run_write(self, self.ops, write, self.errors, done)
