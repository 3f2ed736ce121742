"""The member form: one line of the Buku Induk Anggota, in sections, keyboard first.

Loads through a query op and saves through a write op, and only then ``accept()``s (Anki's
deck-description dialog is the model). Saving is two steps, as the rules are:

1. the whole record is checked (``services.members.check_member``, on a worker): every
   refusal is shown beside its field and the first one gets the focus;
2. if the record is valid but has warnings (age outside the range, a NIK from elsewhere or
   that disagrees with the typed birth date or sex, a namesake born the same day), they are
   listed above the form and the Save button becomes "Save anyway": pressing it confirms.

The NIK of an existing member is shown masked; "Show" reveals it through the audited service
and makes it editable. ``MemberSettingsDialog`` (below) edits the two settings the rules
read from the file: the member age rule and the list of seksi.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kt_desktop import regions
from kt_desktop.domain import clock
from kt_desktop.domain import nik as nik_rules
from kt_desktop.domain.errors import KtError, ValidationError
from kt_desktop.domain.formats import date_short
from kt_desktop.domain.members import (
    AGE_RULE_PRESETS,
    CONSENT_AGE,
    EDUCATION_LABELS,
    EDUCATIONS,
    LEAVE_REASON_LABELS,
    LEAVE_REASONS,
    POSITION_LABELS,
    POSITIONS,
    RELIGION_LABELS,
    RELIGIONS,
    SEKSI_POSITIONS,
    STATUS_LABELS,
    STATUSES,
    AgeRule,
    Member,
    MemberCheck,
    MemberWarning,
)
from kt_desktop.gui.dialogs.training_form import save_cancel
from kt_desktop.gui.ops import Ops, show_failure
from kt_desktop.gui.widgets import style
from kt_desktop.gui.widgets.combos import code_combo, select_code
from kt_desktop.gui.widgets.confirm import inform
from kt_desktop.gui.widgets.date_field import DateField
from kt_desktop.gui.widgets.field_error import error_label, with_error
from kt_desktop.gui.widgets.fit import resize_on_screen
from kt_desktop.gui.widgets.flow import ReflowGrid, flush, scrolling_page
from kt_desktop.gui.widgets.keyboard import AskBeforeDiscard
from kt_desktop.gui.widgets.list_parts import alive
from kt_desktop.gui.widgets.name_list import NameListEditor
from kt_desktop.i18n import N_, _
from kt_desktop.services import members as service
from kt_desktop.services.members import HistoryEntry, NeedsConfirmation

#: Suggestions for the reason a member has no NIK (typed text is kept as typed).
NO_NIK_REASONS = (
    N_("Has no KTP/KK yet"),
    N_("KTP/KK lost, being replaced"),
    N_("Not yet registered at Dukcapil"),
)
GUARDIAN_RELATIONS = (N_("Father"), N_("Mother"), N_("Guardian"))


@dataclass(slots=True)
class FormData:
    """What the form needs from the file, read in one query."""

    member: Member | None
    seksi: list[str]
    dusun: list[str]
    history: list[HistoryEntry]
    age_rule: AgeRule


def _with_error(widget: QWidget, error: QLabel, extra: QWidget | None = None) -> QWidget:
    """The field with its message underneath (hidden while there is none)."""
    return with_error(widget, extra, error=error)[0]


def _editable_combo(values: list[str]) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItems(values)
    combo.setEditText("")
    combo.completer().setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    combo.completer().setFilterMode(Qt.MatchFlag.MatchContains)
    return combo


class MemberForm(AskBeforeDiscard, QDialog):
    """Add a member (``member_id`` None) or edit one."""

    def __init__(
        self,
        ops: Ops,
        member_id: str | None,
        parent: QWidget | None = None,
        *,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.member_id = member_id
        self.today = today or clock.today()
        self.loaded: Member | None = None
        self.saved_id: str | None = None
        self.age_rule: AgeRule | None = None
        self.seksi: list[str] = []
        self._nik_hidden = False
        self._shown_warnings: tuple[tuple[str, str], ...] | None = None
        self._closing = False
        self._busy = False
        self.setWindowTitle(_("Edit member") if member_id else _("Add a member"))
        self.setModal(True)
        resize_on_screen(self, 1040, 680)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 10)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.linkActivated.connect(self._open_related)
        layout.addWidget(self.banner)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.errors: dict[str, QLabel] = {}
        self.tabs.addTab(self._build_data(), _("Member data"))
        self.tabs.addTab(self._build_history(), _("History"))
        self.tabs.setTabEnabled(1, member_id is not None)

        self.buttons = save_cancel(self, self.save, layout)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setToolTip(_("Save (Ctrl+S or Enter)"))
        self.save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        self.save_shortcut.activated.connect(self.save)

        self._wire()
        self._set_tab_order()
        self.tabs.setEnabled(False)
        self.save_button.setEnabled(False)
        member_id_ = member_id

        def load(session: Any) -> FormData:
            regions.preload()  # the NIK hint names places; load the list off the GUI thread
            return FormData(
                member=service.get(session, member_id_) if member_id_ else None,
                seksi=service.seksi_list(session),
                dusun=service.dusun_choices(session),
                history=service.history(session, member_id_) if member_id_ else [],
                age_rule=service.age_rule(session),
            )

        self.ops.query(load, self._alive(self._loaded),
                       on_failed=self._alive(self._load_failed), parent=self)

    # -- building ------------------------------------------------------------------------------
    def _error(self, name: str) -> QLabel:
        label = error_label()
        self.errors[name] = label
        return label

    def _pair_row(self, form: QFormLayout, label: str, fields: tuple[QWidget, str, QWidget],
                  keys: tuple[str, str]) -> None:
        """Two fields on one form row with a word between them (RT … RW …, from … until …),
        sharing one error line (the errors of both ``keys``)."""
        first, between, second = fields
        box = QWidget()
        row = flush(QHBoxLayout(box))
        row.addWidget(first)
        row.addWidget(QLabel(between))
        row.addWidget(second)
        row.addStretch(1)
        error = self._error(keys[0])
        self.errors[keys[1]] = error
        form.addRow(label, _with_error(box, error))

    def _build_data(self) -> QWidget:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        page = QWidget()
        scroll.setWidget(page)
        outer = QVBoxLayout(page)
        outer.setContentsMargins(4, 4, 4, 4)
        left_column, right_column = QWidget(), QWidget()
        left, right = QVBoxLayout(left_column), QVBoxLayout(right_column)
        for column in (left, right):
            column.setContentsMargins(0, 0, 0, 0)
        # Two columns where each has room for its fields, one beneath the other on a
        # netbook or with a large font (the form scrolled sideways by 200 px there).
        self.columns = ReflowGrid([left_column, right_column], spacing=14, min_chars=42)
        outer.addWidget(self.columns)

        # Identity
        identity, form = self._group(_("Identity"))
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(120)
        self.name_edit.setPlaceholderText(_("As written on the KTP/KK"))
        form.addRow(_("Full name"), _with_error(self.name_edit, self._error("name")))
        self.nik_edit = QLineEdit()
        self.nik_edit.setPlaceholderText(_("16 digits"))
        self.nik_edit.setMaxLength(24)
        self.nik_show = QPushButton(_("Show"))
        self.nik_show.setToolTip(_("Show the whole NIK to change it (the audit log records it)"))
        self.nik_show.setVisible(False)
        nik_box = _with_error(self.nik_edit, self._error("nik"), self.nik_show)
        self.nik_hint = QLabel()
        self.nik_hint.setWordWrap(True)
        self.nik_hint.setStyleSheet(f"color: {style.MUTED};")
        self.from_nik = QPushButton(_("Use date of birth and sex from the NIK"))
        self.from_nik.setVisible(False)
        nik_layout = nik_box.layout()
        assert isinstance(nik_layout, QVBoxLayout)
        nik_layout.addWidget(self.nik_hint)
        nik_layout.addWidget(self.from_nik, 0, Qt.AlignmentFlag.AlignLeft)
        form.addRow(_("NIK"), nik_box)
        self.reason_combo = _editable_combo([_(r) for r in NO_NIK_REASONS])
        self.reason_combo.lineEdit().setPlaceholderText(_("Only when there is no NIK yet"))
        form.addRow(_("Reason there is no NIK"), _with_error(self.reason_combo, self._error("nik_missing_reason")))
        self.birth_place_edit = QLineEdit()
        form.addRow(_("Place of birth"), _with_error(self.birth_place_edit, self._error("birth_place")))
        self.birth_date = DateField(optional=True)
        self.age_label = QLabel()
        self.age_label.setStyleSheet(f"color: {style.MUTED};")
        form.addRow(_("Date of birth"), _with_error(self.birth_date, self._error("birth_date"), self.age_label))
        self.sex_combo = code_combo([("L", _("L \u2014 male")), ("P", _("P \u2014 female"))], empty="\u2014")
        form.addRow(_("Sex"), _with_error(self.sex_combo, self._error("sex")))
        self.religion_combo = code_combo([(c, _(RELIGION_LABELS[c])) for c in RELIGIONS], empty="\u2014")
        form.addRow(_("Religion"), _with_error(self.religion_combo, self._error("religion")))
        left.addWidget(identity)

        # Address and contact
        address, form = self._group(_("Address and contact"))
        self.dusun_combo = _editable_combo([])
        self.dusun_combo.lineEdit().setPlaceholderText(_("e.g. Kampung Cilaku"))
        form.addRow(_("Dusun / kampung"), _with_error(self.dusun_combo, self._error("dusun")))
        digits = QRegularExpressionValidator(QRegularExpression(r"\d{0,3}"))
        self.rt_edit, self.rw_edit = QLineEdit(), QLineEdit()
        for edit in (self.rt_edit, self.rw_edit):
            edit.setValidator(digits)
            edit.setMaximumWidth(70)
            edit.setPlaceholderText("000")
        self._pair_row(form, _("RT"), (self.rt_edit, _("RW"), self.rw_edit), ("rt", "rw"))
        self.address_edit = QLineEdit()
        self.address_edit.setPlaceholderText(_("Street, house number (optional)"))
        form.addRow(_("Address"), _with_error(self.address_edit, self._error("address")))
        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText("08xx-xxxx-xxxx")
        form.addRow(_("Phone number"), _with_error(self.phone_edit, self._error("phone")))
        left.addWidget(address)

        # Education and work
        work, form = self._group(_("Education and work"))
        self.education_combo = code_combo([(c, _(EDUCATION_LABELS[c])) for c in EDUCATIONS], empty="\u2014")
        form.addRow(_("Last education"), _with_error(self.education_combo, self._error("education")))
        self.occupation_edit = QLineEdit()
        form.addRow(_("Occupation"), _with_error(self.occupation_edit, self._error("occupation")))
        self.skills_edit = QLineEdit()
        self.skills_edit.setPlaceholderText(_("Separate with commas, e.g. menjahit, las, komputer"))
        form.addRow(_("Skills"), _with_error(self.skills_edit, self._error("skills")))
        self.disability_check = QCheckBox(_("Person with a disability"))
        self.disability_kind = QLineEdit()
        self.disability_kind.setPlaceholderText(_("Kind (optional)"))
        disability = QWidget()
        disability_row = flush(QHBoxLayout(disability))
        disability_row.addWidget(self.disability_check)
        disability_row.addWidget(self.disability_kind, 1)
        form.addRow(_("Disability"), _with_error(disability, self._error("disability_kind")))
        left.addWidget(work)
        left.addStretch(1)

        # Membership and position
        membership, form = self._group(_("Membership and position"))
        self.status_combo = code_combo([(c, _(STATUS_LABELS[c])) for c in STATUSES])
        form.addRow(_("Status"), _with_error(self.status_combo, self._error("status")))
        self.joined_date = DateField(optional=True)
        form.addRow(_("Date joined"), _with_error(self.joined_date, self._error("joined_on")))
        self.left_date = DateField(optional=True)
        form.addRow(_("Date left"), _with_error(self.left_date, self._error("left_on")))
        self.left_reason_combo = code_combo([(c, _(LEAVE_REASON_LABELS[c])) for c in LEAVE_REASONS], empty="\u2014")
        form.addRow(_("Reason for leaving"), _with_error(self.left_reason_combo, self._error("left_reason")))
        self.position_combo = code_combo([(c, _(POSITION_LABELS[c])) for c in POSITIONS], empty=_("Member (no position)"))
        form.addRow(_("Position"), _with_error(self.position_combo, self._error("position")))
        self.seksi_combo = QComboBox()
        self.seksi_button = QPushButton(_("Seksi list\u2026"))
        self.seksi_button.setToolTip(_("Add, rename or remove seksi"))
        form.addRow(_("Seksi"), _with_error(self.seksi_combo, self._error("seksi"), self.seksi_button))
        self.position_start = DateField(optional=True)
        self.position_end = DateField(optional=True)
        self._pair_row(form, _("Period"), (self.position_start, _("until"), self.position_end),
                       ("position_start", "position_end"))
        right.addWidget(membership)

        # Consent
        consent, form = self._group(_("Consent of parent or guardian"))
        self.consent_note = QLabel(_("Required for a member under 18 (UU 27/2022 on personal data)."))
        self.consent_note.setWordWrap(True)
        self.consent_note.setStyleSheet(f"color: {style.MUTED};")
        form.addRow(self.consent_note)
        self.guardian_edit = QLineEdit()
        form.addRow(_("Parent/guardian"), _with_error(self.guardian_edit, self._error("guardian_name")))
        self.relation_combo = _editable_combo([_(r) for r in GUARDIAN_RELATIONS])
        form.addRow(_("Relation"), _with_error(self.relation_combo, self._error("guardian_relation")))
        self.consent_date = DateField(optional=True)
        form.addRow(_("Date of consent"), _with_error(self.consent_date, self._error("consent_on")))
        right.addWidget(consent)
        self.consent_box = consent

        notes, form = self._group(_("Notes"))
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(64)
        form.addRow(_with_error(self.notes_edit, self._error("notes")))
        right.addWidget(notes)
        right.addStretch(1)
        return scroll

    @staticmethod
    def _group(title: str) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setVerticalSpacing(4)
        return box, form

    def _build_history(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.history_tree = QTreeWidget()
        self.history_tree.setHeaderLabels([_("Date"), _("Kind"), _("Activity or training"), _("Details")])
        self.history_tree.setRootIsDecorated(False)
        self.history_tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.history_tree.setColumnWidth(0, 110)
        self.history_tree.setColumnWidth(1, 120)
        self.history_tree.setColumnWidth(2, 380)
        self.history_empty = QLabel(_("No activity history yet."))
        self.history_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.history_empty.setStyleSheet(f"color: {style.MUTED};")
        layout.addWidget(self.history_tree, 1)
        layout.addWidget(self.history_empty)
        return page

    def _wire(self) -> None:
        self.nik_edit.textChanged.connect(self._nik_changed)
        self.nik_show.clicked.connect(self.reveal_nik)
        self.from_nik.clicked.connect(self.fill_from_nik)
        self.birth_date.dateChanged.connect(self._birth_changed)
        self._show_consent()
        self.status_combo.currentIndexChanged.connect(self._status_changed)
        self.position_combo.currentIndexChanged.connect(self._position_changed)
        self.disability_check.toggled.connect(self.disability_kind.setEnabled)
        self.seksi_button.clicked.connect(self.edit_settings)
        for edit in (self.name_edit, self.nik_edit, self.birth_place_edit, self.rt_edit,
                     self.rw_edit, self.address_edit, self.phone_edit, self.occupation_edit,
                     self.skills_edit, self.disability_kind, self.guardian_edit):
            edit.textEdited.connect(self._changed)
        for combo in (self.sex_combo, self.religion_combo, self.education_combo,
                      self.status_combo, self.left_reason_combo, self.position_combo,
                      self.seksi_combo):
            combo.currentIndexChanged.connect(self._changed)
        for combo in (self.reason_combo, self.dusun_combo, self.relation_combo):
            combo.editTextChanged.connect(self._changed)
        for field in (self.birth_date, self.joined_date, self.left_date, self.position_start,
                      self.position_end, self.consent_date):
            field.dateChanged.connect(self._changed)
        self.notes_edit.textChanged.connect(self._changed)
        self._status_changed()
        self._position_changed()
        self.disability_kind.setEnabled(False)

    def _set_tab_order(self) -> None:
        """Tab goes down the left column, then down the right one: the order of the form."""
        chain: list[QWidget] = [
            self.name_edit, self.nik_edit, self.nik_show, self.from_nik, self.reason_combo,
            self.birth_place_edit, self.birth_date, self.sex_combo, self.religion_combo,
            self.dusun_combo, self.rt_edit, self.rw_edit, self.address_edit, self.phone_edit,
            self.education_combo, self.occupation_edit, self.skills_edit,
            self.disability_check, self.disability_kind,
            self.status_combo, self.joined_date, self.left_date, self.left_reason_combo,
            self.position_combo, self.seksi_combo, self.seksi_button, self.position_start,
            self.position_end, self.guardian_edit, self.relation_combo, self.consent_date,
            self.notes_edit, self.history_tree, self.save_button,  # the tree: on its tab
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel),
        ]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def field_widgets(self) -> dict[str, QWidget]:
        """The widget a refusal on each field focuses."""
        return {
            "name": self.name_edit, "nik": self.nik_edit, "nik_missing_reason": self.reason_combo,
            "birth_place": self.birth_place_edit, "birth_date": self.birth_date,
            "sex": self.sex_combo, "religion": self.religion_combo, "dusun": self.dusun_combo,
            "rt": self.rt_edit, "rw": self.rw_edit, "address": self.address_edit,
            "phone": self.phone_edit, "education": self.education_combo,
            "occupation": self.occupation_edit, "skills": self.skills_edit,
            "disability_kind": self.disability_kind, "status": self.status_combo,
            "joined_on": self.joined_date, "left_on": self.left_date,
            "left_reason": self.left_reason_combo, "position": self.position_combo,
            "seksi": self.seksi_combo, "position_start": self.position_start,
            "position_end": self.position_end, "guardian_name": self.guardian_edit,
            "guardian_relation": self.relation_combo, "consent_on": self.consent_date,
            "notes": self.notes_edit,
        }

    # -- loading --------------------------------------------------------------------------------
    def _alive(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        return alive(self, callback)

    def _load_failed(self, exc: BaseException) -> None:
        show_failure(self, exc)
        self.reject()

    def _loaded(self, data: FormData) -> None:
        self.age_rule = data.age_rule
        self.dusun_combo.addItems(data.dusun)
        self.dusun_combo.setEditText("")
        self._fill_seksi(data.seksi)
        self._show_history(data.history)
        if data.member is not None:
            self.set_member(data.member)
        self.tabs.setEnabled(True)
        self.save_button.setEnabled(True)
        self.name_edit.setFocus()
        self._shown_warnings = None

    def _fill_seksi(self, names: list[str]) -> None:
        current = self.seksi_combo.currentText()
        self.seksi = list(names)
        self.seksi_combo.blockSignals(True)
        self.seksi_combo.clear()
        self.seksi_combo.addItem("\u2014", "")
        for name in names:
            self.seksi_combo.addItem(name, name)
        if current and current != "\u2014" and self.seksi_combo.findData(current) < 0:
            self.seksi_combo.addItem(current, current)  # a seksi no longer in the list
        select_code(self.seksi_combo, current if current != "\u2014" else "")
        self.seksi_combo.blockSignals(False)

    def _show_history(self, entries: list[HistoryEntry]) -> None:
        self.history_tree.clear()
        for entry in entries:
            QTreeWidgetItem(self.history_tree, [date_short(entry.date), entry.kind, entry.title, entry.detail])
        self.history_tree.setVisible(bool(entries))
        self.history_empty.setVisible(not entries)

    def set_member(self, member: Member) -> None:
        """Fill every field from ``member``."""
        self.loaded = member
        self.name_edit.setText(member.name)
        self._nik_hidden = bool(member.nik)
        self.nik_edit.setText(nik_rules.mask(member.nik) if member.nik else "")
        self.nik_edit.setReadOnly(bool(member.nik))
        self.nik_show.setVisible(bool(member.nik))
        self.reason_combo.setEditText(member.nik_missing_reason)
        self.birth_place_edit.setText(member.birth_place)
        self.birth_date.set_value(member.birth_date)
        select_code(self.sex_combo, member.sex)
        select_code(self.religion_combo, member.religion)
        if self.dusun_combo.findText(member.dusun) < 0 and member.dusun:
            self.dusun_combo.addItem(member.dusun)
        self.dusun_combo.setEditText(member.dusun)
        self.rt_edit.setText(member.rt)
        self.rw_edit.setText(member.rw)
        self.address_edit.setText(member.address)
        self.phone_edit.setText(member.phone)
        select_code(self.education_combo, member.education)
        self.occupation_edit.setText(member.occupation)
        self.skills_edit.setText(", ".join(member.skills))
        self.disability_check.setChecked(member.disability)
        self.disability_kind.setText(member.disability_kind)
        select_code(self.status_combo, member.status)
        self.joined_date.set_value(member.joined_on)
        self.left_date.set_value(member.left_on)
        select_code(self.left_reason_combo, member.left_reason)
        select_code(self.position_combo, member.position)
        if member.seksi and self.seksi_combo.findData(member.seksi) < 0:
            self.seksi_combo.addItem(member.seksi, member.seksi)
        select_code(self.seksi_combo, member.seksi)
        self.position_start.set_value(member.position_start)
        self.position_end.set_value(member.position_end)
        self.guardian_edit.setText(member.guardian_name)
        self.relation_combo.setEditText(member.guardian_relation)
        self.consent_date.set_value(member.consent_on)
        self.notes_edit.setPlainText(member.notes)
        self._nik_changed()
        self._birth_changed()

    def member(self) -> Member:
        """The record as the form shows it now."""
        base = self.loaded
        nik = base.nik if (self._nik_hidden and base is not None) else self.nik_edit.text()
        skills = [part.strip() for part in self.skills_edit.text().split(",") if part.strip()]
        return Member(
            name=self.name_edit.text(),
            nik=nik,
            nik_missing_reason=self.reason_combo.currentText(),
            birth_place=self.birth_place_edit.text(),
            birth_date=self.birth_date.value(),
            sex=self.sex_combo.currentData() or "",
            religion=self.religion_combo.currentData() or "",
            dusun=self.dusun_combo.currentText(),
            rt=self.rt_edit.text(),
            rw=self.rw_edit.text(),
            address=self.address_edit.text(),
            education=self.education_combo.currentData() or "",
            occupation=self.occupation_edit.text(),
            phone=self.phone_edit.text(),
            skills=skills,
            disability=self.disability_check.isChecked(),
            disability_kind=self.disability_kind.text(),
            status=self.status_combo.currentData() or "aktif",
            left_on=self.left_date.value(),
            left_reason=self.left_reason_combo.currentData() or "",
            joined_on=self.joined_date.value(),
            position=self.position_combo.currentData() or "",
            seksi=self.seksi_combo.currentData() or "",
            position_start=self.position_start.value(),
            position_end=self.position_end.value(),
            guardian_name=self.guardian_edit.text(),
            guardian_relation=self.relation_combo.currentText(),
            consent_on=self.consent_date.value(),
            notes=self.notes_edit.toPlainText(),
            confirmed_mismatch=base.confirmed_mismatch if base else False,
            id=base.id if base else None,
            version=base.version if base else 0,
        )

    # -- live hints -----------------------------------------------------------------------------
    def _changed(self, *_args: object) -> None:
        if self._shown_warnings is not None:
            self._shown_warnings = None
            self.save_button.setText(_("Save"))

    def _nik_changed(self, *_args: object) -> None:
        text = self.loaded.nik if (self._nik_hidden and self.loaded) else self.nik_edit.text()
        self.from_nik.setVisible(False)
        if not nik_rules.clean(text):
            self.nik_hint.setText("")
            self.reason_combo.setEnabled(True)
            return
        self.reason_combo.setEnabled(False)
        code = self.ops.session.code if self.ops.session else None
        decoded = nik_rules.parse(text, today=self.today, village_code=code)
        if not decoded.ok:
            self.nik_hint.setText("")
            return
        assert decoded.birth_date and decoded.sex and decoded.region_prefix
        prefix = decoded.region_prefix
        place = regions.get(f"{prefix[0:2]}.{prefix[2:4]}.{prefix[4:6]}")
        parts = [
            _("born {date}").format(date=date_short(decoded.birth_date)),
            _("male") if decoded.sex == "L" else _("female"),
        ]
        if place is not None:
            parts.append(_("Kec. {name}").format(name=place.name))
        self.nik_hint.setText(_("The NIK says: {facts}").format(facts=", ".join(parts)))
        differs = (self.birth_date.value() != decoded.birth_date
                   or (self.sex_combo.currentData() or "") != decoded.sex)
        self.from_nik.setVisible(differs)

    def fill_from_nik(self) -> None:
        text = self.loaded.nik if (self._nik_hidden and self.loaded) else self.nik_edit.text()
        decoded = nik_rules.parse(text, today=self.today)
        if decoded.ok and decoded.birth_date and decoded.sex:
            self.birth_date.set_value(decoded.birth_date)
            select_code(self.sex_combo, decoded.sex)
            self.from_nik.setVisible(False)

    def _birth_changed(self, *_args: object) -> None:
        born = self.birth_date.value()
        if born is None or born > self.today:
            self.age_label.setText("")
        else:
            self.age_label.setText(_("{years} years").format(years=nik_rules.age_on(born, self.today)))
        self._show_consent()
        self._nik_changed()

    def _show_consent(self) -> None:
        """The guardian's consent is asked only of a member under 18 (UU 27/2022): a box
        for it on the form of a 35-year-old made secretaries think it was missing. A consent
        already written stays in sight, whatever the date of birth says now."""
        born = self.birth_date.value()
        minor = born is not None and nik_rules.age_on(born, self.today) < CONSENT_AGE
        filled = bool(self.guardian_edit.text().strip() or self.consent_date.value())
        self.consent_box.setVisible(minor or filled)

    def _status_changed(self, *_args: object) -> None:
        left = self.status_combo.currentData() == "keluar"
        self.left_date.setEnabled(left)
        self.left_reason_combo.setEnabled(left)

    def _position_changed(self, *_args: object) -> None:
        position = self.position_combo.currentData() or ""
        self.seksi_combo.setEnabled(position in SEKSI_POSITIONS)
        for field in (self.position_start, self.position_end):
            field.setEnabled(bool(position))

    # -- the NIK --------------------------------------------------------------------------------
    def reveal_nik(self) -> None:
        if not self._nik_hidden or self.loaded is None or not self.loaded.id:
            return
        member_id = self.loaded.id

        def shown(nik: str) -> None:
            self._nik_hidden = False
            self.nik_edit.setReadOnly(False)
            self.nik_edit.setText(nik)
            self.nik_show.setVisible(False)
            self.nik_edit.setFocus()

        self.ops.write(lambda session: service.reveal_nik(session, member_id),
                       self._alive(shown), parent=self)

    # -- saving ---------------------------------------------------------------------------------
    def clear_messages(self) -> None:
        for label in self.errors.values():
            label.setText("")
            label.setVisible(False)
        self.banner.setVisible(False)

    def show_errors(self, problems: list[tuple[str | None, str]]) -> None:
        """Each message beside its field; the first field gets the focus."""
        widgets = self.field_widgets()
        first: QWidget | None = None
        loose: list[str] = []
        for field, message in problems:
            label = self.errors.get(field or "")
            if label is None:
                loose.append(message)
                continue
            label.setText((label.text() + "\n" if label.text() else "") + message)
            label.setVisible(True)
            if first is None:
                first = widgets.get(field or "")
        if loose:
            self._banner("\n".join(loose), error=True)
        if first is not None:
            self.tabs.setCurrentIndex(0)
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            scroll = self.tabs.widget(0)
            if isinstance(scroll, QScrollArea):
                scroll.ensureWidgetVisible(first)

    def _banner(self, html: str, *, error: bool) -> None:
        colours = (f"color: {style.ERROR}; background: #fdecea; border: 1px solid {style.ERROR};"
                   if error else
                   f"background: {style.WARNING_BG}; border: 1px solid {style.WARNING_BORDER};")
        self.banner.setStyleSheet(f"{colours} padding: 6px; border-radius: 4px;")
        self.banner.setText(html.replace("\n", "<br>") if error else html)
        self.banner.setVisible(True)

    def show_warnings(self, warnings: list[MemberWarning]) -> None:
        """The confirm step: the warnings above the form, Save becomes "Save anyway"."""
        items = []
        for warning in warnings:
            text = warning.message
            if warning.related_member_id:
                text += f' <a href="member:{warning.related_member_id}">{_("Look at that member")}</a>'
            items.append(f"<li>{text}</li>")
        self._banner(
            "<b>" + _("Check before saving:") + "</b><ul style='margin:0'>" + "".join(items)
            + "</ul>" + _("If all is right, press \u201cSave anyway\u201d."),
            error=False,
        )
        self._shown_warnings = tuple((w.code, w.message) for w in warnings)
        self.save_button.setText(_("Save anyway"))
        self.save_button.setFocus()

    def save(self) -> None:
        if self._busy or not self.save_button.isEnabled():
            return
        member = self.member()
        confirmed = self._shown_warnings
        self.clear_messages()
        self._set_busy(True)
        today = self.today

        def checked(result: MemberCheck) -> None:
            if result.errors:
                self._set_busy(False)
                self._shown_warnings = None
                self.save_button.setText(_("Save"))
                self.show_errors([(e.field, e.message) for e in result.errors])
                return
            now = tuple((w.code, w.message) for w in result.warnings)
            if now and now != confirmed:
                self._set_busy(False)
                self.show_warnings(result.warnings)
                return
            self._write(member, confirm=bool(now))

        self.ops.query(lambda session: service.check_member(session, member, today),
                       self._alive(checked), on_failed=self._alive(self._failed), parent=self)

    def _write(self, member: Member, *, confirm: bool) -> None:
        today = self.today

        def saved(result: service.SaveResult) -> None:
            self._set_busy(False)
            self.saved_id = result.id
            self.accept()

        self.ops.write(lambda session: service.save(session, member, confirm=confirm, today=today),
                       self._alive(saved), on_failed=self._alive(self._failed), parent=self)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, NeedsConfirmation):
            self.show_warnings(exc.warnings)
        elif isinstance(exc, ValidationError) and exc.field in self.errors:
            self.show_errors([(exc.field, exc.message)])
        elif isinstance(exc, KtError):
            self._banner(exc.message, error=True)
        else:
            show_failure(self, exc)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy)

    # -- links and settings -----------------------------------------------------------------------
    def _open_related(self, link: str) -> None:
        """Show the namesake a warning links to, so the secretary can tell if it is the same person."""
        member_id = link.removeprefix("member:")

        def shown(other: Member) -> None:
            lines = [
                other.name,
                _("Born: {place} {date}").format(
                    place=other.birth_place, date=date_short(other.birth_date) if other.birth_date else "\u2014"
                ).replace("  ", " "),
                _("NIK: {nik}").format(nik=nik_rules.mask(other.nik) or other.nik_missing_reason or "\u2014"),
                _("Address: {place}").format(
                    place=", ".join(p for p in (other.dusun, f"RT {other.rt}/RW {other.rw}" if other.rt else "") if p) or "\u2014"
                ),
                _("Phone: {phone}").format(phone=other.phone or "\u2014"),
            ]
            inform(self, _("Member already in the register"), "\n".join(lines))

        self.ops.query(lambda session: service.get(session, member_id), self._alive(shown), parent=self)

    def edit_settings(self) -> None:
        dialog = MemberSettingsDialog(self.ops, self)

        def finished(result: int) -> None:
            if result and dialog.saved_seksi is not None:
                self._fill_seksi(dialog.saved_seksi)
            if result and dialog.saved_rule is not None:
                self.age_rule = dialog.saved_rule
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def done(self, result: int) -> None:
        self._closing = True
        super().done(result)


class MemberSettingsDialog(QDialog):
    """The member age rule in force and the list of seksi: settings kept in the data file."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.saved_seksi: list[str] | None = None
        self.saved_rule: AgeRule | None = None
        self._closing = False
        self.setWindowTitle(_("Member register settings"))
        self.setModal(True)
        resize_on_screen(self, 620, 520)
        layout = QVBoxLayout(self)
        # The rules and seksi scroll on a short screen (150 % scaling, a large font); the
        # error and Simpan/Batal stay below them, always in sight.
        body = QWidget()
        content = scrolling_page(body)
        content.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(body, 1)

        rules_box = QGroupBox(_("Member age range"))
        rules_layout = QVBoxLayout(rules_box)
        self.rule_buttons: dict[str, QRadioButton] = {}
        for key, rule in AGE_RULE_PRESETS.items():
            # A radio button cannot wrap: it names the range, the regulation wraps beneath
            # (whole, the label made this dialog 1410 px wide at the largest font).
            text = rule.label()
            head, _sep, rest = text.partition(" (")
            button = QRadioButton(head)
            button.setToolTip(rule.basis)
            button.setAccessibleName(text)
            self.rule_buttons[key] = button
            rules_layout.addWidget(button)
            if rest:
                detail = QLabel("(" + rest)
                detail.setWordWrap(True)
                detail.setContentsMargins(24, 0, 0, 4)
                rules_layout.addWidget(detail)
        note = QLabel(_("Ages outside the range are shown as a warning, never refused."))
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {style.MUTED};")
        rules_layout.addWidget(note)
        content.addWidget(rules_box)

        self.seksi = NameListEditor(_("Seksi of the organisation"),
                                    _("Name of a new seksi, e.g. Kerohanian"))
        content.addWidget(self.seksi, 1)
        self.error = error_label()
        layout.addWidget(self.error)

        save_cancel(self, self.save, layout)
        self.setEnabled(False)
        self.ops.query(
            lambda session: (service.age_rule(session), service.seksi_list(session)),
            self._alive(self._loaded), parent=self,
        )

    def _alive(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        return alive(self, callback)

    def _loaded(self, result: tuple[AgeRule, list[str]]) -> None:
        rule, names = result
        button = self.rule_buttons.get(rule.key)
        if button is None:  # a custom rule: show it as a third choice
            button = QRadioButton(rule.label())
            self.rule_buttons[rule.key] = button
            self.rule_buttons[next(iter(self.rule_buttons))].parentWidget().layout().insertWidget(0, button)  # type: ignore[union-attr]
            self._custom = rule
        button.setChecked(True)
        self.seksi.set_names(names)
        self.setEnabled(True)

    def seksi_names(self) -> list[str]:
        return self.seksi.names()

    def chosen_rule(self) -> AgeRule | str:
        for key, button in self.rule_buttons.items():
            if button.isChecked():
                return AGE_RULE_PRESETS.get(key) or getattr(self, "_custom", key)
        return next(iter(AGE_RULE_PRESETS))

    def save(self) -> None:
        rule, names = self.chosen_rule(), self.seksi_names()

        def write(session: Any) -> tuple[AgeRule, list[str]]:
            return service.set_age_rule(session, rule), service.set_seksi_list(session, names)

        def saved(result: tuple[AgeRule, list[str]]) -> None:
            self.saved_rule, self.saved_seksi = result
            self.accept()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, KtError):
                self.error.setText(exc.message)
                self.error.setVisible(True)
            else:
                show_failure(self, exc)

        self.ops.write(write, self._alive(saved), on_failed=self._alive(failed), parent=self)

    def done(self, result: int) -> None:
        self._closing = True
        super().done(result)
