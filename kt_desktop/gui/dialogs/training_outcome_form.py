"""A graduate's 3- or 6-month follow-up: what they do now, where, and what they earn."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain import clock
from kt_desktop.domain.formats import date_short
from kt_desktop.domain.trainings import (
    CHECKPOINTS,
    EMPLOYED,
    FURTHER_TRAINING,
    OUTCOME_STATUSES,
    SELF_EMPLOYED,
    Outcome,
)
from kt_desktop.gui.dialogs.training_form import (
    TrainingDialog,
    combo_with,
    money_box,
    run_write,
    save_cancel,
)
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.widgets.date_field import DateField
from kt_desktop.i18n import N_, _
from kt_desktop.services import trainings as service
from kt_desktop.services.trainings import FollowUpRow

#: What the description field asks for, per status.
DETAIL_LABELS = {
    EMPLOYED: N_("Where does the graduate work?"),
    SELF_EMPLOYED: N_("What business?"),
    FURTHER_TRAINING: N_("Which training?"),
}


class OutcomeForm(TrainingDialog):
    def __init__(
        self,
        ops: Ops,
        training_id: str,
        graduated_on: dt.date,
        row: FollowUpRow,
        checkpoint: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, _("Follow-up of {name}").format(name=row.participant.name), 560,
                         parent)
        self.training_id = training_id
        self.graduated_on = graduated_on
        self.row = row
        self.checkpoint = QComboBox()
        for months in CHECKPOINTS:
            self.checkpoint.addItem(
                _("{months} months after the training (from {date})").format(
                    months=months, date=date_short(row.due_on[months])
                ),
                months,
            )
        self.recorded_on = DateField(optional=False)
        self.recorded_on.set_value(clock.today())
        self.status = combo_with(OUTCOME_STATUSES)
        self.detail_label = QLabel()
        self.detail = QLineEdit()
        self.income = money_box()
        self.income.setSpecialValueText(_("not known"))
        self.notes = self.notes_edit(60)
        form = QFormLayout()
        form.addRow(_("Follow-up"), self.errors.wrap("checkpoint_months", self.checkpoint))
        form.addRow(_("Date recorded"), self.errors.wrap("recorded_on", self.recorded_on))
        form.addRow(_("Now"), self.errors.wrap("status", self.status))
        form.addRow(self.detail_label, self.errors.wrap("detail", self.detail))
        form.addRow(_("Monthly income"), self.errors.wrap("monthly_income", self.income))
        form.addRow(_("Notes"), self.errors.wrap("notes", self.notes))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        save_cancel(self, self.save, layout)
        self.status.currentIndexChanged.connect(lambda _index: self._status_changed())
        self.checkpoint.currentIndexChanged.connect(lambda _index: self._fill())
        self.checkpoint.setCurrentIndex(max(self.checkpoint.findData(checkpoint), 0))
        self._fill()
        self.status.setFocus()

    def _existing(self) -> Outcome | None:
        return self.row.outcomes.get(int(self.checkpoint.currentData()))

    def _fill(self) -> None:
        outcome = self._existing()
        if outcome is None:
            self.status.setCurrentIndex(0)
            self.detail.clear()
            self.income.setValue(0)
            self.notes.clear()
            self.recorded_on.set_value(clock.today())
        else:
            self.status.setCurrentIndex(max(self.status.findData(outcome.status), 0))
            self.detail.setText(outcome.detail)
            self.income.setValue(outcome.monthly_income or 0)
            self.notes.setPlainText(outcome.notes)
            self.recorded_on.set_value(outcome.recorded_on)
        self._status_changed()

    def _status_changed(self) -> None:
        status = self.status.currentData()
        self.detail_label.setText(_(DETAIL_LABELS.get(status, N_("Description"))))
        self.detail.setPlaceholderText(
            _("e.g. Konveksi Berkah Jaya, Serang") if status == EMPLOYED
            else _("e.g. jasa jahit di rumah") if status == SELF_EMPLOYED else ""
        )

    def outcome(self) -> Outcome:
        participant_id = self.row.participant.id
        assert participant_id
        values = {
            "checkpoint_months": int(self.checkpoint.currentData()),
            "recorded_on": self.recorded_on.value() or clock.today(),
            "status": self.status.currentData(),
            "detail": self.detail.text().strip(),
            "monthly_income": self.income.value() or None,
            "notes": self.notes.toPlainText().strip(),
        }
        existing = self._existing()
        if existing is not None:
            return dataclasses.replace(existing, **values)
        return Outcome(training_id=self.training_id, participant_id=participant_id, **values)

    def save(self) -> None:
        outcome = self.outcome()
        if self.checked(outcome, self.graduated_on, clock.today()):
            run_write(self, self.ops, lambda session: service.save_outcome(session, outcome),
                      self.errors, lambda _result: self.accept())
