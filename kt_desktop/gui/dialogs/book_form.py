"""The form of any declared book: its sections, one field widget per declared kind, and each
field's problem shown beside it. It scrolls, so it fits a 1024×600 screen whatever the book."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
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
from kt_desktop.gui.widgets.child_grid import ChildGrid
from kt_desktop.gui.widgets.date_field import DateField
from kt_desktop.gui.widgets.fit import resize_on_screen
from kt_desktop.gui.widgets.keyboard import AskBeforeDiscard
from kt_desktop.gui.widgets.labels import muted_label
from kt_desktop.gui.widgets.photo_panel import PhotoPanel
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
        if item.lookup:  # hundreds of members: type part of a name to find one
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            completer = combo.completer()
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
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
    if isinstance(widget, QComboBox) and widget.isEditable():
        # what is typed names the record only when it is one of the list's entries
        index = widget.findText(widget.currentText().strip(), Qt.MatchFlag.MatchFixedString)
        return widget.itemData(index) or "" if index >= 0 else ""
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


class BookForm(AskBeforeDiscard, QDialog):
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
        self.grids: dict[str, ChildGrid] = {}
        self.hints: dict[str, QLabel] = {}
        for child in spec.children:
            group = QGroupBox(_(child.title))
            box = QVBoxLayout(group)
            if child.hint:
                hint = self.hints[child.key] = muted_label()
                hint.setVisible(False)
                box.addWidget(hint)
            grid = self.grids[child.key] = ChildGrid(child, _widget, read_value, write_value)
            box.addWidget(self.errors.wrap(child.key, grid))
            sections.addWidget(group)
        self.files: PhotoPanel | None = None
        if spec.attachments is not None:
            sections.addWidget(self._files_group(spec))
        sections.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        buttons = save_cancel(self, self.save, layout)
        if spec.children:  # grids want the room; never larger than the screen
            resize_on_screen(self, 860, 700)
        else:
            resize_on_screen(self, 560, 540)
        for key in spec.readonly:
            widget = self.widgets.get(key)
            if isinstance(widget, QLineEdit):
                widget.setReadOnly(True)
                widget.setPlaceholderText(_("Given when it is saved"))
        if record is not None:
            for key, widget in self.widgets.items():
                write_value(widget, record.get(key))
        else:
            for key, widget in self.widgets.items():
                if spec.field(key).default:
                    write_value(widget, spec.field(key).default)
            if spec.date_field in self.widgets:
                write_value(self.widgets[spec.date_field], today or clock.today())
            if spec.year_field in self.widgets:  # a book kept per year starts at this one
                write_value(self.widgets[spec.year_field], (today or clock.today()).year)
        if record is None and spec.prefill:
            self.ops.query(lambda s: service.prefill(s, spec), self._prefill, parent=self)
        for key in self.widgets:
            if spec.field(key).lookup or spec.field(key).editable_choices:
                self._load_lookup(key)
        self._load_children()
        # A record's stored files arrive after the form opens; a save before they are
        # listed waits for them (saving the empty list would remove them).
        self._files_listed = self.files is None or record is None
        self._save_pending = False
        if self.files is not None and record is not None:
            self.ops.query(lambda s: service.files(s, spec, record.id), self._show_files,
                           parent=self)
        first = spec.sections[0].fields[0] if spec.sections else ""
        focus = spec.label_field if record is None else first
        self.widgets.get(focus, buttons).setFocus()

    def _show_files(self, stored: list[Any]) -> None:
        assert self.files is not None
        self.files.set_photos(stored)
        self._files_listed = True
        if self._save_pending:
            self._save_pending = False
            self.save()

    def _prefill(self, values: dict[str, Any]) -> None:
        """A new record starts with what the book suggests (``BookSpec.prefill``)."""
        for key, value in values.items():
            if key in self.widgets:
                write_value(self.widgets[key], value)

    def _load_lookup(self, key: str) -> None:
        """Fill a lookup's list (e.g. the activities), or an editable list of choices (the
        file's own categories), and choose the record's value in it; a value no longer in
        an editable list stays the record's own entry."""
        spec, combo = self.spec, self.widgets[key]
        assert isinstance(combo, QComboBox)
        item = spec.field(key)
        combo.setMinimumContentsLength(24)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        wanted = self.record.get(key) if self.record is not None else ""

        def fill(found: list[tuple[str, str]]) -> None:
            current = combo.currentData() or wanted
            if item.editable_choices:
                combo.clear()
                combo.addItem("—", "")
                if current and current not in {code for code, _label in found}:
                    found = [*found, (current, current)]
            for record_id, label in found:
                combo.addItem(label, record_id)
            combo.setCurrentIndex(max(combo.findData(current), 0) if current else 0)

        fetch = service.choices if item.editable_choices else service.lookup_choices
        self.ops.query(lambda s: fetch(s, spec, key), fill, parent=self)

    def _load_children(self) -> None:
        """Each grid's rows (a new record starts with ``start_rows`` empty ones), its
        lookups' records, and its note."""
        spec, record = self.spec, self.record
        record_id = record.id if record is not None else ""
        values = dict(record.values) if record is not None else self.values()
        for key, grid in self.grids.items():
            if record is None:
                for _n in range(grid.child.start_rows):
                    grid.add_row({})
            else:
                self.ops.query(lambda s, k=key: service.children(s, spec, k, record_id),
                               grid.set_rows, parent=self)
            for name in grid.lookups:
                field = next(k for k in grid.keys if grid.child.field(k).lookup == name)
                self.ops.query(lambda s, c=grid.child, f=field: service.lookup_choices(s, c, f),
                               lambda found, g=grid, n=name: g.set_choices(n, found),
                               parent=self)
            if key in self.hints:
                label = self.hints[key]

                def show(text: object, label: QLabel = label) -> None:
                    label.setText(str(text))
                    label.setVisible(bool(text))

                self.ops.query(lambda s, k=key: service.child_hint(s, spec, k, values,
                                                                   record_id),
                               show, parent=self)

    def _files_group(self, spec: BookSpec) -> QGroupBox:
        """The record's attached photos and scans (``BookSpec.attachments``)."""
        declared = spec.attachments
        assert declared is not None
        group = QGroupBox(_(declared.label))
        layout = QVBoxLayout(group)
        self.files = PhotoPanel(
            self.ops, documents=declared.documents,
            empty_text=_(declared.hint) if declared.hint else _("No files attached yet."),
            intake=lambda paths, known, progress: service.take_in_files(
                spec, paths, known=known, progress=progress))
        self.files.list.setMinimumHeight(self.files.list.gridSize().height() + 8)
        # (No focus proxy: a proxy inside the panel made Tab skip its buttons; a problem with
        # the files still focuses the list, FormErrors focuses a field's first control.)
        layout.addWidget(self.errors.wrap("files", self.files))
        return group

    def values(self) -> dict[str, Any]:
        return {key: read_value(widget) for key, widget in self.widgets.items()}

    def children(self) -> dict[str, list[dict[str, Any]]]:
        return {key: grid.rows() for key, grid in self.grids.items()}

    def _unmatched(self) -> dict[str, str]:
        """Lookup fields whose typed text names no entry of their list."""
        found = {}
        for key, widget in self.widgets.items():
            if (isinstance(widget, QComboBox) and widget.isEditable()
                    and widget.currentText().strip() not in ("", "—")
                    and not read_value(widget)):
                found[key] = _("{label}: “{text}” is not in the list; type part of the name "
                               "and choose from the list.").format(
                    label=_(self.spec.field(key).label), text=widget.currentText().strip())
        return found

    def save(self) -> None:
        if self.files is not None and self.files.busy:
            return  # files are still being taken in
        values = self.values()
        found = service.check_values(self.spec, values) | self._unmatched()
        if found:
            self.errors.show_all(found)
            return
        self.errors.clear()
        if not self._files_listed:
            self._save_pending = True  # saved as soon as the stored files are listed
            return
        spec, record = self.spec, self.record
        children = self.children()

        files = list(self.files.photos) if self.files is not None else None

        def write(session: Any) -> str:
            if record is None:
                return service.add(session, spec, values, files, children)
            service.edit(session, spec, record.id, values, files, children)
            return record.id

        def done(result: object) -> None:
            self.saved_id = str(result)
            self.accept()

        run_write(self, self.ops, write, self.errors, done)
