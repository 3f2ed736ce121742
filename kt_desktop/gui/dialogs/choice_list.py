"""The list a book's editable choice field offers (the cash book's categories), edited.

A :class:`~kt_desktop.gui.widgets.name_list.NameListEditor` filled from
``services.books.choices`` and saved with ``services.books.set_choices``: the defaults keep
their stored codes; records keep the value they hold when an entry is renamed or removed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from kt_desktop.domain.book import BookSpec
from kt_desktop.gui.dialogs.training_form import FormErrors, run_write, save_cancel
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.widgets import style
from kt_desktop.gui.widgets.name_list import NameListEditor
from kt_desktop.i18n import _
from kt_desktop.services import books as service


class ChoiceListDialog(QDialog):
    def __init__(self, ops: Ops, spec: BookSpec, key: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops, self.spec, self.key = ops, spec, key
        label = _(spec.field(key).label)
        self.setWindowTitle(_("List of {label}").format(label=label.lower()))
        layout = QVBoxLayout(self)
        note = QLabel(_("What the form offers. Entries already written keep the {label} they "
                        "hold when one is renamed or removed here.").format(
                            label=label.lower()))
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {style.MUTED};")
        layout.addWidget(note)
        self.errors = FormErrors()
        self.editor = NameListEditor(label, _("e.g. Sewa peralatan"))
        layout.addWidget(self.errors.wrap(key, self.editor), 1)
        save_cancel(self, self.save, layout)
        self.resize(420, 440)
        self.setEnabled(False)
        self.ops.query(lambda s: service.choices(s, spec, key), self._loaded, parent=self)

    def _loaded(self, items: list[tuple[str, str]]) -> None:
        self.editor.set_names(label for _code, label in items)
        self.setEnabled(True)

    def save(self) -> None:
        names, spec, key = self.editor.names(), self.spec, self.key

        def done(_result: Any) -> None:
            self.accept()

        run_write(self, self.ops, lambda s: service.set_choices(s, spec, key, names),
                  self.errors, done)
