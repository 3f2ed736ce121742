"""Kelulusan dialogs: one participant's scores and result, and issuing certificate numbers.

The result is computed from the training's rule; the secretary may set it by hand only with
a written reason (the dialog will not save an override without one). Certificate numbers are
issued for a chosen date, whose month and year go into the number.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import (
    QButtonGroup,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain import clock
from kt_desktop.domain.errors import ValidationError
from kt_desktop.domain.formats import number
from kt_desktop.domain.trainings import FAILED, PASSED, check_override
from kt_desktop.gui.dialogs.training_form import (
    TrainingDialog,
    run_write,
    save_cancel,
    ui_locale,
)
from kt_desktop.gui.models.training_details import percent_text
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.widgets import style
from kt_desktop.gui.widgets.date_field import DateField
from kt_desktop.gui.widgets.flow import flush
from kt_desktop.i18n import _
from kt_desktop.services import trainings as service
from kt_desktop.services.trainings import CompletionRow

NO_SCORE = -1.0


def score_box() -> QDoubleSpinBox:
    """0–100, or "—" (the minimum) for a test not taken."""
    box = QDoubleSpinBox()
    box.setLocale(ui_locale())
    box.setRange(NO_SCORE, 100)
    box.setDecimals(1)
    box.setSpecialValueText("—")
    box.setValue(NO_SCORE)
    return box


def score_value(box: QDoubleSpinBox) -> float | None:
    return None if box.value() <= NO_SCORE else box.value()


class ResultForm(TrainingDialog):
    def __init__(self, ops: Ops, row: CompletionRow, parent: QWidget | None = None) -> None:
        participant, result = row.participant, row.completion
        super().__init__(ops, _("Result of {name}").format(name=participant.name), 540, parent)
        self.row = row
        summary = QLabel(
            _("Attendance: {present} of {sessions} sessions present (H), {pct}.").format(
                present=number(result.present), sessions=number(result.sessions),
                pct=percent_text(result.attendance_pct),
            )
            + "\n"
            + (_("Computed result: passed.") if result.computed_pass else
               _("Computed result: not passed ({reasons}).").format(
                   reasons=", ".join(result.shortfalls)))
        )
        summary.setWordWrap(True)
        self.pre_score = score_box()
        self.post_score = score_box()
        if participant.pre_score is not None:
            self.pre_score.setValue(participant.pre_score)
        if participant.post_score is not None:
            self.post_score.setValue(participant.post_score)
        self.follow = QRadioButton(_("Follow the computation"))
        self.passed = QRadioButton(_("Passed (changed by hand)"))
        self.failed = QRadioButton(_("Not passed (changed by hand)"))
        self.choice = QButtonGroup(self)
        for button in (self.follow, self.passed, self.failed):
            self.choice.addButton(button)
        {None: self.follow, PASSED: self.passed, FAILED: self.failed}[
            participant.result_override
        ].setChecked(True)
        self.reason = self.notes_edit(70, participant.override_reason)
        self.reason.setPlaceholderText(
            _("Why the result differs from the computation, e.g. made up the missed sessions "
              "at the BLK.")
        )
        choices = QWidget()
        choice_layout = flush(QVBoxLayout(choices))
        for button in (self.follow, self.passed, self.failed):
            choice_layout.addWidget(button)
        form = QFormLayout()
        form.addRow(_("Pre-test score"), self.errors.wrap("pre_score", self.pre_score))
        form.addRow(_("Post-test score"), self.errors.wrap("post_score", self.post_score))
        form.addRow(_("Result"), self.errors.wrap("result_override", choices))
        form.addRow(_("Reason"), self.errors.wrap("override_reason", self.reason))
        note = QLabel(_("A participant who no longer passes loses the certificate number; "
                        "the number is retired and never given to anyone else."))
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {style.MUTED};")
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(form)
        layout.addWidget(note)
        save_cancel(self, self.save, layout)
        self.choice.buttonToggled.connect(lambda *_args: self._reason_state())
        self._reason_state()
        self.post_score.setFocus()

    def _reason_state(self) -> None:
        self.reason.setEnabled(not self.follow.isChecked())

    def override(self) -> str | None:
        if self.passed.isChecked():
            return PASSED
        if self.failed.isChecked():
            return FAILED
        return None

    def save(self) -> None:
        override = self.override()
        reason = self.reason.toPlainText().strip()
        pre, post = score_value(self.pre_score), score_value(self.post_score)
        try:
            check_override(override, reason)
        except ValidationError as exc:
            self.errors.show(exc)
            return
        participant_id = self.row.participant.id
        assert participant_id
        run_write(
            self, self.ops,
            lambda session: service.save_result(
                session, participant_id, pre_score=pre, post_score=post, result=override,
                reason=reason,
            ),
            self.errors, lambda _result: self.accept(),
        )


class CertificateForm(TrainingDialog):
    """Choose the issue date, then number every graduate who has no number yet."""

    def __init__(
        self, ops: Ops, training_id: str, waiting: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(ops, _("Give certificate numbers"), 500, parent)
        self.training_id = training_id
        self.given: list[object] = []
        text = QLabel(
            _("{count} graduates have no certificate number yet. A number has the sequence of "
              "the year, the kind (SERT-PLT), the short name of the Karang Taruna, and the "
              "month and year of issue. It is given once and never reused.").format(
                count=number(waiting)
            )
        )
        text.setWordWrap(True)
        self.issued_on = DateField(optional=False)
        self.issued_on.set_value(clock.today())
        self.preview = QLabel()
        self.preview.setStyleSheet(f"color: {style.MUTED};")
        form = QFormLayout()
        form.addRow(_("Date of issue"), self.errors.wrap("issued_on", self.issued_on))
        form.addRow("", self.preview)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        self.issued_on.dateChanged.connect(lambda _date: self._show_next())
        self._preview_generation = 0
        self._show_next()
        save_cancel(self, self.save, layout, save_text=_("Give numbers"))

    def _show_next(self) -> None:
        """Show the first number this issue would give (its month and year follow the date)."""
        issued_on = self.issued_on.value() or clock.today()
        self._preview_generation += 1
        generation = self._preview_generation

        def shown(text: object) -> None:
            if shiboken6.isValid(self) and generation == self._preview_generation:
                self.preview.setText(_("The first new number: {number}").format(number=text))

        self.ops.query(lambda session: service.next_certificate_number(session, issued_on),
                       shown, parent=self)

    def save(self) -> None:
        issued_on = self.issued_on.value() or clock.today()

        def done(given: object) -> None:
            assert isinstance(given, list)
            self.given = given
            self.accept()

        run_write(
            self, self.ops,
            lambda session: service.assign_certificates(session, self.training_id, issued_on),
            self.errors, done,
        )
