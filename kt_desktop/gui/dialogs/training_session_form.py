"""One session (pertemuan) of a training: date, topic, hours."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain import clock
from kt_desktop.domain.trainings import Training, TrainingSession
from kt_desktop.gui.dialogs.training_form import (
    TrainingDialog,
    run_write,
    save_cancel,
    ui_locale,
)
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.widgets.date_field import DateField
from kt_desktop.i18n import _
from kt_desktop.services import trainings as service


class SessionForm(TrainingDialog):
    def __init__(
        self,
        ops: Ops,
        training: Training,
        meeting: TrainingSession | None = None,
        *,
        suggested: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, _("Change session") if meeting else _("Add session"), 460, parent)
        assert training.id
        self.training = training
        self.original = meeting
        self.date = DateField(optional=False)
        self.topic = QLineEdit()
        self.topic.setPlaceholderText(_("e.g. Membuat pola kemeja"))
        self.hours = QDoubleSpinBox()
        self.hours.setLocale(ui_locale())
        self.hours.setRange(0.5, 24)
        self.hours.setSingleStep(0.5)
        self.hours.setDecimals(1)
        self.hours.setSuffix(_(" hours"))
        form = QFormLayout()
        form.addRow(_("Date"), self.errors.wrap("date", self.date))
        form.addRow(_("Topic"), self.errors.wrap("topic", self.topic))
        form.addRow(_("Hours"), self.errors.wrap("hours", self.hours))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        save_cancel(self, self.save, layout)
        if meeting is not None:
            self.date.set_value(meeting.date)
            self.topic.setText(meeting.topic)
            self.hours.setValue(meeting.hours)
        else:
            self.date.set_value(suggested or training.start_date)
            self.hours.setValue(3)
        self.topic.setFocus()

    def meeting(self) -> TrainingSession:
        assert self.training.id
        values = {
            "date": self.date.value() or clock.today(),
            "topic": self.topic.text().strip(),
            "hours": self.hours.value(),
        }
        if self.original is not None:
            return dataclasses.replace(self.original, **values)
        return TrainingSession(training_id=self.training.id, **values)

    def save(self) -> None:
        meeting = self.meeting()
        if self.checked(meeting, self.training):
            run_write(self, self.ops, lambda session: service.save_session(session, meeting),
                      self.errors, self.saved_as)
