"""The pages of the meetings and the outgoing letters: the book framework's page
(``gui/pages/book.py``) with what these books print and write beside Cetak/Ekspor/Impor.

* Rapat: the minutes (notulen / berita acara), the attendance sheet to sign, and the
  invitation (a letter from the ``undangan`` template filled from the meeting).
* Surat keluar: write a letter from a template, and cancel one (it keeps its number).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QPushButton

from kt_desktop.gui.dialogs.letter_form import LetterForm
from kt_desktop.gui.pages.book import BookPage
from kt_desktop.gui.widgets import list_parts as parts
from kt_desktop.gui.widgets.file_dialogs import ask_save_pdf
from kt_desktop.i18n import _


class MeetingsPage(BookPage):
    book_key = "rapat"
    record_actions = ("minutes_button", "attendance_button", "invite_button",
                      "officers_button")

    def more_buttons(self) -> list[QPushButton]:
        self.minutes_button = parts.action_button(
            _("Minutes"),
            _("Save the minutes (notulen / berita acara) of the selected meeting as a PDF"),
            lambda: self.print_meeting("minutes"))
        self.attendance_button = parts.action_button(
            _("Attendance sheet"), _("Save the attendance sheet to sign as a PDF"),
            lambda: self.print_meeting("attendance"))
        self.invite_button = parts.action_button(
            _("Invitation"), _("Write the invitation letter of the selected meeting"),
            self.write_invitation)
        self.officers_button = parts.action_button(
            _("Officers to the profile"),
            _("A Musyawarah Warga: put the officers it elected and their masa bakti in the "
              "profile"), self.officers_to_profile)
        return [self.minutes_button, self.attendance_button, self.invite_button,
                self.officers_button]

    def officers_to_profile(self) -> None:
        from kt_desktop.gui.widgets.confirm import confirm
        from kt_desktop.services import rapat

        record = self.selected()
        if record is None or not confirm(
                self, _("Officers to the profile"),
                _("Put the officers elected in “{title}” in the profile, with a masa bakti of "
                  "five years from its day? The SK number is left empty until the Kepala "
                  "Desa/Lurah confirms them.").format(title=record.get("title")),
                _("Put in the profile"), destructive=False):
            return
        self.ops.write(lambda s: rapat.start_officers_term(s, record.id),
                       self._said(_("The officers are in the profile; add the SK number when "
                                    "it is issued.")), parent=self)

    def ask_path(self, purpose: str) -> Path | None:
        if purpose == "minutes":
            return ask_save_pdf(self, _("Minutes") + ".pdf", _("Save the minutes"))
        if purpose == "attendance":
            return ask_save_pdf(self, _("Attendance") + ".pdf", _("Save the attendance sheet"))
        return super().ask_path(purpose)

    def print_meeting(self, what: str) -> None:
        from kt_desktop.services import rapat

        record = self.selected()
        if record is None:
            return
        path = self.ask_path(what)
        if path is None:
            return
        build = rapat.build_notulen if what == "minutes" else rapat.build_attendance
        self.ops.write(lambda s: build(s, record.id, path), self._said(_("Saved: {result}")),
                       parent=self)

    def letter_form(self, rapat_id: str) -> LetterForm:
        return LetterForm(self.ops, self, template="undangan", rapat_id=rapat_id)

    def write_invitation(self) -> None:
        record = self.selected()
        if record is None:
            return
        form = self.letter_form(record.id)
        form.subject.setText(_("Invitation: {title}").format(title=record.get("title")))
        form.finished.connect(lambda _r: self._written(form))
        form.open()

    def _written(self, form: LetterForm) -> None:
        if form.number:
            self.status.setText(_("Letter number {number} written.").format(number=form.number))
        form.deleteLater()


class OutgoingLettersPage(BookPage):
    book_key = "surat-keluar"
    record_actions = ("cancel_button",)

    def more_buttons(self) -> list[QPushButton]:
        self.write_button = parts.action_button(
            _("Write a letter"),
            _("Write a letter from a template: it gets the next number and is recorded here"),
            self.write_letter)
        self.cancel_button = parts.action_button(
            _("Cancel the letter"),
            _("Mark the selected letter cancelled (batal); its number stays taken"),
            self.cancel_letter)
        return [self.write_button, self.cancel_button]

    def letter_form(self) -> LetterForm:
        return LetterForm(self.ops, self, template="pemberitahuan")

    def write_letter(self) -> None:
        form = self.letter_form()

        def finished(_result: int) -> None:
            if form.number:
                self.status.setText(_("Letter number {number} written.").format(
                    number=form.number))
                self.reload()
            form.deleteLater()

        form.finished.connect(finished)
        form.open()

    def ask_reason(self, number: str) -> str | None:
        """Why the letter is cancelled (a method of its own so tests can stand in for it)."""
        text, ok = QInputDialog.getText(self, _("Cancel the letter"), _(
            "Why is letter {number} cancelled?").format(number=number))
        return text if ok else None

    def cancel_letter(self) -> None:
        from kt_desktop.services import surat

        record = self.selected()
        if record is None:
            return
        reason = self.ask_reason(str(record.get("number")))
        if reason is None:
            return
        self.ops.write(lambda s: surat.cancel(s, record.id, reason),
                       self._alive(lambda number: (self.status.setText(
                           _("Letter {number} is cancelled; its number stays taken.").format(
                               number=number)), self.reload(record.id))),
                       parent=self)
