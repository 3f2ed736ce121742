"""Writing a letter from a template: the template (its text editable, and kept as the
template when asked), to whom and about what, the meeting of an invitation, the member(s) of a
certificate or an assignment, the template's own fields, copies, "Mengetahui", and a preview
with the number the letter will get. Saving takes the number, records the letter in the Agenda
Surat Keluar and writes the PDF (``services/surat.py: write``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain import letters
from kt_desktop.domain.book import Field
from kt_desktop.gui.dialogs.book_form import _widget, read_value
from kt_desktop.gui.dialogs.training_form import FormErrors, run_write, save_cancel
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.widgets import list_parts as parts
from kt_desktop.gui.widgets.file_dialogs import ask_save_pdf
from kt_desktop.gui.widgets.fit import resize_on_screen
from kt_desktop.gui.widgets.flow import scrolling_page
from kt_desktop.gui.widgets.labels import muted_label
from kt_desktop.i18n import N_, _
from kt_desktop.services import books
from kt_desktop.services import surat as service

#: The member a certificate or an assignment names, picked like a book's member field.
MEMBER = Field("member_id", N_("Member"), lookup="member")


class LetterForm(QDialog):
    """Write one letter; ``number`` is set once it is written."""

    def __init__(self, ops: Ops, parent: QWidget | None = None, *, template: str = "undangan",
                 rapat_id: str = "", today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ops, self.today = ops, today
        self.number: str | None = None
        self.errors = FormErrors()
        self.extra: dict[str, QLineEdit] = {}
        self.setWindowTitle(_("Write a letter"))
        layout = QVBoxLayout(self)
        column = scrolling_page(body := QWidget())
        layout.addWidget(body, 1)

        letter = QGroupBox(_("Letter"))
        form = QFormLayout(letter)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.template = QComboBox()
        for item in letters.TEMPLATES:
            self.template.addItem(_(item.label), item.key)
        self.subject = QLineEdit()
        self.subject.setPlaceholderText(_("e.g. Undangan rapat pengurus"))
        self.addressee = QLineEdit()
        self.addressee.setPlaceholderText(_("e.g. Bapak Kepala Desa Baros"))
        self.attachment = QLineEdit()
        self.attachment.setPlaceholderText(_("e.g. 1 (satu) berkas"))
        self.meeting = QComboBox()
        self.meeting.addItem("—", "")
        self.meeting.setMinimumContentsLength(24)
        form.addRow(_("Template"), self.template)
        form.addRow(_("Subject") + " *", self.errors.wrap("subject", self.subject))
        form.addRow(_("Addressee (kepada)") + " *", self.addressee)
        form.addRow(_("Attachments"), self.attachment)
        self.meeting_label = QLabel(_("Meeting"))
        form.addRow(self.meeting_label, self.errors.wrap("rapat", self.meeting))
        column.addWidget(letter)

        self.people = QGroupBox(_("Members"))
        people = QVBoxLayout(self.people)
        self.member = _widget(MEMBER)
        assert isinstance(self.member, QComboBox)
        self.member.setAccessibleName(_("Members"))
        pick, self.add_member, self.remove_member = parts.add_remove_row(
            self.member, _("Add"), _("Remove"))
        people.addLayout(pick)
        self.chosen = QListWidget()
        self.chosen.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 10)
        people.addWidget(self.errors.wrap("anggota", self.chosen))
        self.reveal = QCheckBox(_("Print the full NIK"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("Why the full NIK is needed (kept in the audit log)"))
        people.addWidget(self.reveal)
        people.addWidget(self.errors.wrap("reason", self.reason))
        column.addWidget(self.people)

        self.fields_box = QGroupBox(_("Details of the template"))
        self.fields_form = QFormLayout(self.fields_box)
        column.addWidget(self.fields_box)

        text = QGroupBox(_("Text of the letter"))
        text_layout = QVBoxLayout(text)
        self.body = QPlainTextEdit()
        self.body.setMinimumHeight(self.fontMetrics().lineSpacing() * 7)
        self.placeholders = QComboBox()  # a placeholder inserted at the cursor, by its name
        self.body.setAccessibleName(_("Text of the letter"))
        self.placeholders.setAccessibleName(_("Insert a placeholder"))
        self.keep_template = QPushButton(_("Keep as the template"))
        text_layout.addWidget(self.errors.wrap("body", self.body))
        tools = QHBoxLayout()
        tools.addWidget(self.placeholders, 1)
        tools.addWidget(self.keep_template)
        text_layout.addLayout(tools)
        column.addWidget(text)

        closing = QGroupBox(_("Signatures and copies"))
        closing_form = QFormLayout(closing)
        self.acknowledge = QCheckBox(_("“Acknowledged by” the Kepala Desa/Lurah"))
        self.copies = QPlainTextEdit()
        self.copies.setPlaceholderText(_("One a line, e.g. Kepala Desa Baros"))
        self.copies.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        closing_form.addRow(self.acknowledge)
        closing_form.addRow(_("Copies to"), self.copies)
        column.addWidget(closing)

        preview = QGroupBox(_("Preview"))
        preview_layout = QVBoxLayout(preview)
        self.preview_button = QPushButton(_("Show the preview"))
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName(_("Preview"))
        self.preview.setMinimumHeight(self.fontMetrics().lineSpacing() * 9)
        preview_layout.addWidget(self.preview_button)
        preview_layout.addWidget(self.errors.wrap("field", self.preview))
        column.addWidget(preview)
        column.addStretch(1)

        self.status = muted_label()
        layout.addWidget(self.status)
        save_cancel(self, self.save, layout, save_text=_("Write the letter"))
        resize_on_screen(self, 760, 720)

        self.template.currentIndexChanged.connect(self._template_changed)
        self.add_member.clicked.connect(self._add_member)
        self.remove_member.clicked.connect(
            lambda: self.chosen.takeItem(max(self.chosen.currentRow(), 0)))
        self.preview_button.clicked.connect(self.show_preview)
        self.keep_template.clicked.connect(self.save_template)
        self.placeholders.activated.connect(self._insert_placeholder)
        self.template.setCurrentIndex(max(self.template.findData(template), 0))
        self._template_changed()
        self._wanted_meeting = rapat_id
        self.ops.query(lambda s: books.LOOKUPS["rapat"].choices(s), self._meetings, parent=self)
        self.ops.query(lambda s: books.LOOKUPS["member"].choices(s), self._members,
                       parent=self)
        self.subject.setFocus()

    # -- loading ---------------------------------------------------------------------------
    def _members(self, found: list[tuple[str, str]]) -> None:
        for member_id, label in found:
            self.member.addItem(label, member_id)
        self.member.setCurrentIndex(0)

    def _meetings(self, found: list[tuple[str, str]]) -> None:
        for meeting_id, label in found:
            self.meeting.addItem(label, meeting_id)
        self.meeting.setCurrentIndex(max(self.meeting.findData(self._wanted_meeting), 0))

    def current(self) -> letters.Template:
        return letters.template(str(self.template.currentData()))

    def _template_changed(self, *_args: object) -> None:
        item = self.current()
        self.ops.query(lambda s: service.template_body(s, item.key), self._show_body,
                       parent=self)
        self.meeting.setVisible(item.meeting)
        self.meeting_label.setVisible(item.meeting)
        self.people.setVisible(bool(item.member))
        self.reveal.setVisible(item.member == "one")
        self.reason.setVisible(item.member == "one")
        while self.fields_form.rowCount():
            self.fields_form.removeRow(0)
        self.extra = {}
        for name in item.fields:
            edit = self.extra[name] = QLineEdit()
            self.fields_form.addRow(name.replace("_", " ").capitalize(), edit)
        self.fields_box.setVisible(bool(item.fields))
        self.placeholders.blockSignals(True)
        self.placeholders.clear()
        self.placeholders.addItem(_("Insert a placeholder…"), "")
        for name in item.placeholders:
            self.placeholders.addItem(_(letters.PLACEHOLDER_LABELS.get(name, name)), name)
        self.placeholders.blockSignals(False)

    def _insert_placeholder(self, index: int) -> None:
        name = self.placeholders.itemData(index)
        if name:
            self.body.insertPlainText("{" + str(name) + "}")
            self.body.setFocus()
        self.placeholders.setCurrentIndex(0)

    def _show_body(self, text: object) -> None:
        self.body.setPlainText(str(text))

    def _add_member(self) -> None:
        from PySide6.QtWidgets import QListWidgetItem

        member_id = read_value(self.member)
        if not member_id:
            return
        item = QListWidgetItem(self.member.currentText())
        item.setData(256, member_id)
        self.chosen.addItem(item)
        self.member.setCurrentIndex(0)

    # -- the letter ------------------------------------------------------------------------
    def draft(self) -> service.LetterDraft:
        item = self.current()
        return service.LetterDraft(
            template=item.key, subject=self.subject.text(), addressee=self.addressee.text(),
            attachment_note=self.attachment.text(),
            rapat_id=str(self.meeting.currentData() or "") if item.meeting else "",
            member_ids=[str(self.chosen.item(i).data(256)) for i in range(self.chosen.count())],
            fields={k: e.text() for k, e in self.extra.items() if e.text().strip()},
            copies=self.copies.toPlainText().splitlines(),
            acknowledge=self.acknowledge.isChecked(),
            reveal_nik=self.reveal.isChecked(), reveal_reason=self.reason.text(),
            body=self.body.toPlainText())

    def show_preview(self) -> None:
        draft, today = self.draft(), self.today

        def shown(letter: letters.Letter) -> None:
            self.errors.clear()
            head = [_("Number: {number}").format(number=letter.number),
                    _("Subject: {subject}").format(subject=letter.subject),
                    _("To: {to}").format(to=letter.addressee), ""]
            self.preview.setPlainText("\n".join(head) + letter.body)

        def failed(exc: BaseException) -> None:
            from kt_desktop.domain.errors import ValidationError
            from kt_desktop.gui.ops import show_failure

            if not (isinstance(exc, ValidationError) and self.errors.show(exc)):
                show_failure(self, exc)

        self.ops.query(lambda s: service.preview(s, draft, today), shown, on_failed=failed,
                       parent=self)

    def save_template(self) -> None:
        key, text = self.current().key, self.body.toPlainText()
        run_write(self, self.ops, lambda s: service.save_template(s, key, text), self.errors,
                  lambda _r: self.status.setText(_("The template is kept.")))

    def ask_path(self) -> Path | None:
        """The file dialog (a method of its own so tests can stand in for it)."""
        return ask_save_pdf(self, _("Letter") + ".pdf", _("Save the letter"))

    def save(self) -> None:
        path = self.ask_path()
        if path is None:
            return
        draft, today = self.draft(), self.today

        def done(result: object) -> None:
            _id, number, _path = result  # type: ignore[misc]
            self.number = str(number)
            self.accept()

        run_write(self, self.ops, lambda s: service.write(s, draft, path, day=today),
                  self.errors, done)
