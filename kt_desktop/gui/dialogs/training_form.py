"""The training form (Tambah/Ubah pelatihan), and the field-error helper the training
dialogs share.

The form checks the training with :meth:`Training.validate` first (instant, the first bad
field focused with its message beside it), then saves through a write op and only then
accepts; a refusal from the service lands beside its field the same way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain import clock
from kt_desktop.domain.errors import KtError, ValidationError
from kt_desktop.domain.trainings import (
    DEFAULT_MIN_ATTENDANCE_PCT,
    FUNDING_SOURCES,
    PARTNER_KINDS,
    TRAINING_KINDS,
    VOCATIONAL,
    Training,
)
from kt_desktop.gui.ops import Ops, show_failure
from kt_desktop.gui.widgets import style
from kt_desktop.gui.widgets.combos import code_combo, select_code
from kt_desktop.gui.widgets.date_field import DateField
from kt_desktop.gui.widgets.field_error import with_error
from kt_desktop.gui.widgets.fit import resize_on_screen
from kt_desktop.gui.widgets.flow import scrolling_page
from kt_desktop.gui.widgets.keyboard import AskBeforeDiscard, focus_target
from kt_desktop.i18n import _, language
from kt_desktop.services import trainings as service

#: Largest cost the field takes (the spin box is a 32-bit int): two billion rupiah.
MAX_COST = 2_000_000_000


class FormErrors:
    """Error labels beside fields: ``wrap`` a field once, ``show`` a ValidationError."""

    def __init__(self) -> None:
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}

    def wrap(self, name: str, field: QWidget, extra: QWidget | None = None) -> QWidget:
        box, label = with_error(field, extra)
        self._fields[name] = (field, label)
        return box

    def clear(self) -> None:
        for _field, label in self._fields.values():
            label.clear()
            label.setVisible(False)

    def show(self, error: ValidationError) -> bool:
        """Show ``error`` beside its field and focus it; False when no field matches."""
        self.clear()
        found = self._fields.get(error.field or "")
        if found is None:
            return False
        field, label = found
        label.setText(error.message)
        label.setVisible(True)
        (focus_target(field) or field).setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def show_all(self, found: dict[str, str]) -> None:
        """Every field's message beside it at once; the first wrong field takes the focus."""
        self.clear()
        first = True
        for name, message in found.items():
            if name not in self._fields:
                continue
            field, label = self._fields[name]
            label.setText(message)
            label.setVisible(True)
            if first:
                (focus_target(field) or field).setFocus(Qt.FocusReason.OtherFocusReason)
                first = False

    def message(self, name: str) -> str:
        found = self._fields.get(name)
        return found[1].text() if found and found[1].isVisible() else ""


def save_cancel(
    dialog: QDialog, save: Callable[[], object], layout: QBoxLayout, *,
    save_text: str | None = None,
) -> QDialogButtonBox:
    """Simpan · Batal under a form, added to ``layout`` (Qt has no Indonesian catalog, so its
    standard buttons are named here)."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Save).setText(save_text or _("Save"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    return buttons


def run_write(
    dialog: QDialog,
    ops: Ops,
    fn: Callable[..., object],
    errors: FormErrors,
    on_done: Callable[[object], None],
    on_refused: Callable[[KtError], bool] | None = None,
) -> None:
    """Save through the writer; accept-like ``on_done`` only after it succeeded.

    A ValidationError goes beside its field (or ``on_refused`` handles it); anything else
    is shown as usual. The dialog's buttons are disabled while the write runs.
    """
    dialog.setEnabled(False)

    def done(result: object) -> None:
        if shiboken6.isValid(dialog):
            dialog.setEnabled(True)
            on_done(result)

    def failed(exc: BaseException) -> None:
        if not shiboken6.isValid(dialog):
            return
        dialog.setEnabled(True)
        if isinstance(exc, KtError) and on_refused is not None and on_refused(exc):
            return
        if isinstance(exc, ValidationError) and errors.show(exc):
            return
        show_failure(dialog, exc)

    ops.write(fn, done, on_failed=failed, parent=dialog)


def ui_locale() -> QLocale:
    """The locale of numbers in spin boxes: ``6.500.000`` and ``48,5`` in Indonesian."""
    if language() == "id":
        return QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def money_box() -> QSpinBox:
    box = QSpinBox()
    box.setLocale(ui_locale())
    box.setRange(0, MAX_COST)
    box.setSingleStep(50_000)
    box.setPrefix("Rp")
    box.setGroupSeparatorShown(True)
    box.setAlignment(Qt.AlignmentFlag.AlignRight)
    return box


def combo_with(choices: dict[str, str]) -> QComboBox:
    """A combo of ``{code: English label}``, the labels translated."""
    return code_combo((code, _(label)) for code, label in choices.items())


class TrainingDialog(AskBeforeDiscard, QDialog):
    """What a training's forms share: ``ops``, their :class:`FormErrors`, a window title and
    a least width; ``saved_id`` once saved; they ask before discarding typed input."""

    def __init__(self, ops: Ops, title: str, min_width: int, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.saved_id: str | None = None
        self.errors = FormErrors()
        self.setWindowTitle(title)
        self.setMinimumWidth(min_width)

    @staticmethod
    def notes_edit(height: int, text: str = "") -> QPlainTextEdit:
        """A few lines of free text; Tab moves on to the next field (it never types a tab)."""
        edit = QPlainTextEdit(text)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(height)
        return edit

    def checked(self, record: Any, *context: Any) -> bool:
        """``record.validate(*context)``: a refusal is shown beside its field (False)."""
        try:
            record.validate(*context)
        except ValidationError as exc:
            self.errors.show(exc)
            return False
        self.errors.clear()
        return True

    def saved_as(self, record_id: object) -> None:
        """Saved: remember the id (the list selects it) and close."""
        self.saved_id = str(record_id)
        self.accept()


class TrainingForm(TrainingDialog):
    """Add (``training`` None) or change a training; ``saved_id`` is set once saved."""

    def __init__(
        self,
        ops: Ops,
        skill_fields: list[str],
        training: Training | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, _("Change training") if training else _("Add training"), 880,
                         parent)
        self.original = training

        self.title = QLineEdit()
        self.title.setPlaceholderText(_("e.g. Pelatihan Menjahit Dasar"))
        self.skill_field = QComboBox()
        self.skill_field.setEditable(True)
        self.skill_field.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.skill_field.addItems(skill_fields)
        self.skill_field.setCurrentIndex(-1)
        self.skill_field.lineEdit().setPlaceholderText(_("choose or type"))
        self.kind = combo_with(TRAINING_KINDS)
        self.trainer = QLineEdit()
        self.place = QLineEdit()
        self.place.setPlaceholderText(_("e.g. Balai Desa"))
        self.notes = self.notes_edit(64)

        self.organizer = QLineEdit()
        self.partner = QLineEdit()
        self.partner.setPlaceholderText(_("e.g. BLK Serang"))
        self.partner_kind = combo_with(PARTNER_KINDS)
        self.start_date = DateField(optional=False)
        self.end_date = DateField(optional=False)
        self.quota = QSpinBox()
        self.quota.setLocale(ui_locale())
        self.quota.setRange(0, 10_000)
        self.quota.setSpecialValueText(_("no limit"))
        self.cost = money_box()
        self.funding_source = combo_with(FUNDING_SOURCES)

        self.min_attendance = QSpinBox()
        self.min_attendance.setRange(1, 100)
        self.min_attendance.setSuffix("%")
        self.min_attendance.setValue(DEFAULT_MIN_ATTENDANCE_PCT)
        self.use_post_score = QCheckBox(_("also a minimum post-test score"))
        self.min_post_score = QDoubleSpinBox()
        self.min_post_score.setLocale(ui_locale())
        self.min_post_score.setRange(0, 100)
        self.min_post_score.setDecimals(0)
        self.min_post_score.setValue(60)
        self.min_post_score.setEnabled(False)
        self.use_post_score.toggled.connect(self.min_post_score.setEnabled)

        about = QGroupBox(_("Training"))
        about_form = QFormLayout(about)
        about_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        about_form.addRow(_("Title"), self.errors.wrap("title", self.title))
        about_form.addRow(_("Skill field"), self.errors.wrap("skill_field", self.skill_field))
        about_form.addRow(_("Kind"), self.errors.wrap("kind", self.kind))
        about_form.addRow(_("Trainer"), self.errors.wrap("trainer", self.trainer))
        about_form.addRow(_("Place"), self.errors.wrap("place", self.place))
        about_form.addRow(_("Notes"), self.errors.wrap("notes", self.notes))

        partners = QGroupBox(_("Organiser and partner"))
        partners_form = QFormLayout(partners)
        partners_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        partners_form.addRow(_("Organiser"), self.errors.wrap("organizer", self.organizer))
        partners_form.addRow(_("Kind of partner"),
                             self.errors.wrap("partner_kind", self.partner_kind))
        partners_form.addRow(_("Partner"), self.errors.wrap("partner", self.partner))

        when = QGroupBox(_("Dates, quota and cost"))
        when_form = QFormLayout(when)
        when_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        when_form.addRow(_("Start date"), self.errors.wrap("start_date", self.start_date))
        when_form.addRow(_("End date"), self.errors.wrap("end_date", self.end_date))
        when_form.addRow(_("Quota"), self.errors.wrap("quota", self.quota))
        when_form.addRow(_("Cost"), self.errors.wrap("cost", self.cost))
        when_form.addRow(_("Source of funds"),
                         self.errors.wrap("funding_source", self.funding_source))

        rule = QGroupBox(_("Completion"))
        rule_form = QFormLayout(rule)
        rule_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        rule_form.addRow(
            _("Minimum attendance (H)"),
            self.errors.wrap("min_attendance_pct", self.min_attendance),
        )
        rule_form.addRow(self.use_post_score)  # the whole row: cut beside an empty label
        rule_form.addRow(_("Minimum post-test score"),
                         self.errors.wrap("min_post_score", self.min_post_score))
        explanation = QLabel(_("Only H (hadir) counts as present; izin, sakit and alpa do not."))
        explanation.setWordWrap(True)
        explanation.setStyleSheet(f"color: {style.MUTED};")
        rule_form.addRow(explanation)

        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(about)
        left.addWidget(partners)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(when)
        right.addWidget(rule)
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        # The fields scroll up and down on a short screen (150 % scaling, a large font);
        # Simpan and Batal stay in sight below them.
        body = QWidget()
        content = scrolling_page(body)
        content.setContentsMargins(0, 0, 0, 0)
        content.addLayout(columns)
        layout.addWidget(body, 1)
        self.buttons = save_cancel(self, self.save, layout)
        resize_on_screen(self, 880, self.sizeHint().height())

        for first, second in (
            (self.title, self.skill_field), (self.skill_field, self.kind),
            (self.kind, self.trainer), (self.trainer, self.place), (self.place, self.notes),
            (self.notes, self.organizer), (self.organizer, self.partner_kind),
            (self.partner_kind, self.partner), (self.partner, self.start_date),
            (self.start_date, self.end_date), (self.end_date, self.quota),
            (self.quota, self.cost), (self.cost, self.funding_source),
            (self.funding_source, self.min_attendance),
            (self.min_attendance, self.use_post_score),
            (self.use_post_score, self.min_post_score),
        ):
            QWidget.setTabOrder(first, second)
        self.start_date.dateChanged.connect(self._keep_end_after_start)
        self._fill(training)
        self.title.setFocus()

    def _fill(self, training: Training | None) -> None:
        if training is None:
            select_code(self.kind, VOCATIONAL)
            today = clock.today()
            self.start_date.set_value(today)
            self.end_date.set_value(today)
            return
        self.title.setText(training.title)
        self.skill_field.setCurrentText(training.skill_field)
        select_code(self.kind, training.kind)
        self.trainer.setText(training.trainer)
        self.place.setText(training.place)
        self.notes.setPlainText(training.notes)
        self.organizer.setText(training.organizer)
        self.partner.setText(training.partner)
        select_code(self.partner_kind, training.partner_kind)
        self.start_date.set_value(training.start_date)
        self.end_date.set_value(training.end_date)
        self.quota.setValue(training.quota)
        self.cost.setValue(min(training.cost, MAX_COST))
        select_code(self.funding_source, training.funding_source)
        self.min_attendance.setValue(training.min_attendance_pct)
        self.use_post_score.setChecked(training.min_post_score is not None)
        if training.min_post_score is not None:
            self.min_post_score.setValue(training.min_post_score)

    def _keep_end_after_start(self) -> None:
        start, end = self.start_date.value(), self.end_date.value()
        if start and end and end < start:
            self.end_date.set_value(start)

    def training(self) -> Training:
        """The training as typed (identity kept from the one being changed)."""
        base = self.original or Training()
        return dataclasses.replace(
            base,
            title=self.title.text().strip(),
            skill_field=self.skill_field.currentText().strip(),
            kind=self.kind.currentData() or VOCATIONAL,
            trainer=self.trainer.text().strip(),
            place=self.place.text().strip(),
            notes=self.notes.toPlainText().strip(),
            organizer=self.organizer.text().strip(),
            partner=self.partner.text().strip(),
            partner_kind=self.partner_kind.currentData() or "",
            start_date=self.start_date.value(),
            end_date=self.end_date.value(),
            quota=self.quota.value(),
            cost=self.cost.value(),
            funding_source=self.funding_source.currentData() or "",
            min_attendance_pct=self.min_attendance.value(),
            min_post_score=self.min_post_score.value() if self.use_post_score.isChecked()
            else None,
        )

    def save(self) -> None:
        training = self.training()
        if self.checked(training):
            run_write(self, self.ops, lambda session: service.save_training(session, training),
                      self.errors, self.saved_as)
