"""Pengumuman (receiver): a notice with attachments and reference updates for the villages.

The GUI face of ``kt-desktop notice make`` (:func:`kt_desktop.services.notices.make_notice`,
docs/RECEIPTS.md). The dialog only gathers the fields; the updates are checked by the same
service functions the command line uses, and a refusal is shown beside the form.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain import clock
from kt_desktop.domain.errors import KtError
from kt_desktop.gui.dialogs.training_form import save_cancel
from kt_desktop.gui.widgets.date_field import DateField
from kt_desktop.gui.widgets.fit import resize_on_screen
from kt_desktop.gui.widgets.flow import flow_row, scrolling_page
from kt_desktop.gui.widgets.labels import muted_label
from kt_desktop.i18n import _
from kt_desktop.services import notices


class NoticeForm(QDialog):
    """Title, text, attachments and updates; :attr:`chosen` holds them once accepted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New notice for the villages"))
        self.chosen: dict[str, Any] | None = None
        self.attachments: list[Path] = []
        #: Hook for tests: how the form asks for files to attach.
        self.ask_files = self._ask_files
        layout = QVBoxLayout(self)
        # the fields scroll on a short screen (150 % scaling); the buttons stay in sight
        body = QWidget()
        content = scrolling_page(body)
        content.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(body, 1)
        content.addWidget(muted_label(_(
            "Every village whose bundle this file accepted can check the notice with the key it "
            "installed. Reference updates are applied in a village only after its secretary "
            "confirms them."
        )))
        form = QFormLayout()
        self.title = QLineEdit()
        self.title.setMaxLength(200)
        form.addRow(_("&Title"), self.title)
        self.text = QPlainTextEdit()
        self.text.setMinimumHeight(90)
        form.addRow(_("Te&xt"), self.text)
        self.files = QListWidget()
        self.files.setMaximumHeight(60)
        form.addRow(_("Attachments"), self.files)
        attach_row, attach_buttons = flow_row()
        self.attach_button = QPushButton(_("&Attach files…"))
        self.attach_button.clicked.connect(self.attach)
        attach_buttons.addWidget(self.attach_button)
        form.addRow("", attach_row)
        self.activity_kind = QLineEdit()
        form.addRow(_("New &activity kind"), self.activity_kind)
        self.skill = QLineEdit()
        form.addRow(_("New s&kill field"), self.skill)
        self.age_rule = QCheckBox(_("Change the member &age rule"))
        form.addRow("", self.age_rule)
        ages = QHBoxLayout()
        self.min_age = QSpinBox()
        self.min_age.setRange(0, 100)
        self.min_age.setValue(16)
        self.max_age = QSpinBox()
        self.max_age.setRange(0, 100)
        self.max_age.setValue(30)
        self.min_age.setAccessibleName(_("Age from"))
        self.max_age.setAccessibleName(_("Age to"))
        ages.addWidget(self.min_age)
        ages.addWidget(self.max_age)
        ages.addStretch(1)
        form.addRow(_("Age from / to"), ages)
        self.basis = QLineEdit()
        self.basis.setPlaceholderText("Permensos No. 9 Tahun 2025")
        form.addRow(_("Legal &basis"), self.basis)
        self.start = DateField(optional=False)
        form.addRow(_("In force &from"), self.start)
        content.addLayout(form)
        for field in (self.min_age, self.max_age, self.basis, self.start):
            field.setEnabled(False)
            self.age_rule.toggled.connect(field.setEnabled)
        self.error = muted_label()
        self.error.hide()
        content.addWidget(self.error)
        save_cancel(self, self.accept_form, layout, save_text=_("&Make notice…"))
        resize_on_screen(self, 620, 640)

    def _ask_files(self) -> list[Path]:
        names, _filter = QFileDialog.getOpenFileNames(self, _("Attach files"))
        return [Path(name) for name in names]

    def attach(self) -> None:
        for path in self.ask_files():
            if path not in self.attachments:
                self.attachments.append(path)
                self.files.addItem(path.name)

    def updates(self) -> list[dict[str, Any]]:
        """The updates as the service checks them (raises its ValidationError)."""
        found = []
        if self.activity_kind.text().strip():
            found.append(notices.value_update(notices.ACTIVITY_KIND, self.activity_kind.text()))
        if self.skill.text().strip():
            found.append(notices.value_update(notices.SKILL, self.skill.text()))
        if self.age_rule.isChecked():
            start = self.start.value() or clock.today()
            found.append(notices.age_rule_update(
                self.min_age.value(), self.max_age.value(), self.basis.text(), start))
        return found

    def accept_form(self) -> None:
        try:
            updates = self.updates()
            if not self.title.text().strip():
                raise KtError(_("The notice needs a title of at most 200 characters."))
        except KtError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.chosen = {"title": self.title.text(), "text": self.text.toPlainText(),
                       "attachments": list(self.attachments), "updates": updates}
        self.accept()
