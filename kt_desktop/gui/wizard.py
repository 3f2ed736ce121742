"""The set-up wizard shown when the data file is new: a village's file or a receiver's.

Pages, in order (a receiver skips from the first to its own page):

1. what kind of file (desa/kelurahan or receiver),
2. the village, from the Kemendagri lists (province → kabupaten/kota → kecamatan → village),
3. the KT's name and address, 4. officers, SK, masa bakti and logo,
5. demo data or an empty start — the file is made when this page is confirmed;
6. (receiver) the area and the receiver's name — the file is made when it is confirmed.

The file is made by :mod:`kt_desktop.services.setup` (quick: a few inserts and a key), so
it runs here on the GUI thread; demo data is slow and is filled afterwards by the main
window on a worker (:meth:`MainWindow.fill_demo`). A refusal naming a field sends the user
back to the page of that field with the message beside it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from kt_desktop import regions
from kt_desktop.domain import clock
from kt_desktop.domain.errors import KtError, ValidationError
from kt_desktop.domain.formats import number
from kt_desktop.gui.profile_form import ADDRESS, IDENTITY, LOGO, OFFICERS, SK, ProfileFields
from kt_desktop.gui.widgets import icons, style
from kt_desktop.gui.widgets.field_error import error_label
from kt_desktop.gui.widgets.fit import resize_on_screen
from kt_desktop.gui.widgets.flow import growing_form
from kt_desktop.gui.widgets.keyboard import AskBeforeDiscard
from kt_desktop.gui.widgets.region_picker import AreaPicker, VillagePicker
from kt_desktop.i18n import _
from kt_desktop.regions import Region
from kt_desktop.services import setup
from kt_desktop.services.session import RECEIVER, VILLAGE

PAGE_KIND, PAGE_VILLAGE, PAGE_PROFILE, PAGE_OFFICERS, PAGE_FINISH, PAGE_RECEIVER = range(6)


@dataclass(frozen=True, slots=True)
class WizardOutcome:
    """What the wizard made: the main window opens ``path`` and, if asked, adds demo data."""

    path: Path
    kind: str
    fill_demo: bool


def _choice(title: str, explanation: str) -> tuple[QRadioButton, QLabel]:
    button = QRadioButton(title)
    note = QLabel(explanation)
    note.setWordWrap(True)
    note.setIndent(26)
    note.setStyleSheet(f"color: {style.MUTED};")
    return button, note


class KindPage(QWizardPage):
    def __init__(self, data_path: Path) -> None:
        super().__init__()
        self.setTitle(_("Welcome to KT Desktop"))
        self.setSubTitle(
            _("KT Desktop keeps the books of a Karang Taruna in one data file on this laptop.")
        )
        layout = QVBoxLayout(self)
        where = QLabel(_("The data file will be made here:\n{path}").format(path=data_path))
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(where)
        layout.addSpacing(8)
        layout.addWidget(QLabel(_("Who will use this file?")))
        self.village, village_note = _choice(
            _("&Desa/kelurahan (Karang Taruna)"),
            _(
                "The secretary of one village's Karang Taruna: members, activities, "
                "trainings, monthly reports, and data sent to the province."
            ),
        )
        self.receiver, receiver_note = _choice(
            _("&Receiver (province/kabupaten)"),
            _(
                "The officer of a province or kabupaten/kota who receives the data bundles "
                "of the villages and prints the summaries."
            ),
        )
        self.group = QButtonGroup(self)
        self.group.addButton(self.village)
        self.group.addButton(self.receiver)
        self.village.setChecked(True)
        for widget in (self.village, village_note, self.receiver, receiver_note):
            layout.addWidget(widget)
        layout.addStretch(1)

    def nextId(self) -> int:
        return PAGE_RECEIVER if self.receiver.isChecked() else PAGE_VILLAGE


class _ProfileStep(QWizardPage):
    """A page of the village's profile: its title and explanation over ``self.column``."""

    def __init__(self, fields: ProfileFields, title: str, subtitle: str) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.fields = fields
        self.column = QVBoxLayout(self)


class VillagePage(_ProfileStep):
    def __init__(self, fields: ProfileFields) -> None:
        super().__init__(fields, _("Which desa/kelurahan?"), _(
            "Choose the village of this Karang Taruna from the Kemendagri list. Type a few "
            "letters in a list to find a name, or search by the village's name."
        ))
        self.picker = VillagePicker()
        self.column.addWidget(self.picker)
        self.error = error_label()
        self.column.addWidget(self.error)
        self.column.addStretch(1)
        self.picker.village_changed.connect(self._village_changed)
        # The first field: the page itself is in the Tab chain, and a proxy further down
        # made Tab skip the search box above it.
        self.setFocusProxy(self.picker.search)

    def _village_changed(self, village: Region | None) -> None:
        self.error.hide()
        self.fields.suggest_for_village(village)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.picker.selected() is not None

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.picker.village.setFocus()


def _sections_page(fields: ProfileFields, *columns: tuple[str, ...]) -> QScrollArea:
    """Sections side by side in columns, in a scroll area (large fonts still fit 1366x768)."""
    content = QWidget()
    row = QHBoxLayout(content)
    for keys in columns:
        column = QVBoxLayout()
        for key in keys:
            column.addWidget(fields.sections[key])
        column.addStretch(1)
        row.addLayout(column, 1)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setWidget(content)
    return scroll


class _SectionsPage(_ProfileStep):
    """Sections of the profile form in ``COLUMNS``, the focus on the input ``FIRST``; the page
    refuses to go on only for an error in its own sections (others wait their page)."""

    COLUMNS: tuple[tuple[str, ...], ...] = ()
    FIRST = ""

    def __init__(self, fields: ProfileFields, title: str, subtitle: str) -> None:
        super().__init__(fields, title, subtitle)
        self.SECTIONS = tuple(key for keys in self.COLUMNS for key in keys)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.addWidget(_sections_page(fields, *self.COLUMNS))
        self.setFocusProxy(fields.inputs[self.FIRST])

    def validatePage(self) -> bool:
        return _validate_sections(self.fields, self.SECTIONS)


class ProfilePage(_SectionsPage):
    """The KT's name and address."""

    COLUMNS = ((IDENTITY, ADDRESS),)
    FIRST = "name"

    def __init__(self, fields: ProfileFields) -> None:
        super().__init__(fields, _("Name and address"), _(
            "As they should appear on the letterhead. Everything can be changed later in Settings."
        ))


class OfficersPage(_SectionsPage):
    """Officers, SK pengukuhan, masa bakti and the logo."""

    COLUMNS = ((OFFICERS, SK), (LOGO,))
    FIRST = "ketua"

    def __init__(self, fields: ProfileFields) -> None:
        super().__init__(fields, _("Officers, SK and logo"), _(
            "The names printed under reports (Ketua, Sekretaris, Kepala Desa/Lurah) and the "
            "SK that confirmed the officers. Leave empty what you do not know yet."
        ))


def _validate_sections(fields: ProfileFields, sections: tuple[str, ...]) -> bool:
    """Refuse the page only for an error in one of its own fields (others wait their page)."""
    fields.clear_errors()
    try:
        fields.profile().validate()
    except ValidationError as exc:
        own = set().union(*(fields.fields_of(key) for key in sections))
        if exc.field in own:
            fields.show_error(exc)
            return False
    return True


class FinishPage(QWizardPage):
    """Demo data or an empty start; confirming it makes the village file."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(_("Ready to start"))
        self.setSubTitle(_("Press Finish to make the data file."))
        self.setFinalPage(True)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        layout.addSpacing(8)
        self.demo, demo_note = _choice(
            _("Fill with &demo data"),
            _(
                "Made-up members, activities and trainings, to try the program out and to "
                "practise. Do not mix them with real data: use a separate file for practice."
            ),
        )
        self.empty, empty_note = _choice(
            _("Start &empty"), _("For the real books of your Karang Taruna.")
        )
        group = QButtonGroup(self)
        group.addButton(self.demo)
        group.addButton(self.empty)
        self.empty.setChecked(True)
        for widget in (self.empty, empty_note, self.demo, demo_note):
            layout.addWidget(widget)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addStretch(1)

    def initializePage(self) -> None:
        profile = self._wizard.fields.profile()
        village = self._wizard.village_page.picker.selected()
        place = regions.full_name(village.code) if village else ""
        self.summary.setText(
            _("{name}\n{place}\n\nData file: {path}").format(
                name=profile.name, place=place, path=self._wizard.data_path
            )
        )
        self.error.hide()

    def validatePage(self) -> bool:
        return self._wizard.make_village_file()

    def nextId(self) -> int:
        return -1


class ReceiverPage(QWizardPage):
    """The receiver's area and name; confirming it makes the receiver file."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(_("Receiver's area"))
        self.setSubTitle(
            _(
                "Choose the province, and a kabupaten/kota if this office receives only that "
                "one's villages."
            )
        )
        self.setFinalPage(True)
        layout = QVBoxLayout(self)
        self.area = AreaPicker()
        layout.addWidget(self.area)
        self.villages = QLabel()
        self.villages.setStyleSheet(f"color: {style.MUTED};")
        layout.addWidget(self.villages)
        form = growing_form()
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("e.g. Karang Taruna Provinsi Banten"))
        self.name.textEdited.connect(self._name_edited)
        form.addRow(_("&Name of the receiver"), self.name)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addStretch(1)
        self._suggested = ""
        self.area.area_changed.connect(self._area_changed)
        self.setFocusProxy(self.area.province)

    def _name_edited(self) -> None:
        self.error.hide()
        self.completeChanged.emit()

    def _area_changed(self, area: Region | None) -> None:
        self.error.hide()
        if area is None:
            self.villages.clear()
        else:
            found = regions.counts(area.code)
            self.villages.setText(
                _(
                    "{total} desa/kelurahan in this area ({desa} desa, {kelurahan} kelurahan)."
                ).format(
                    total=number(found.get("desa", 0) + found.get("kelurahan", 0)),
                    desa=number(found.get("desa", 0)),
                    kelurahan=number(found.get("kelurahan", 0)),
                )
            )
            current = self.name.text().strip()
            if not current or current == self._suggested:
                place = regions.full_name(area.code).split(",")[0]
                self._suggested = f"Karang Taruna {place}"
                self.name.setText(self._suggested)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.area.area() is not None and bool(self.name.text().strip())

    def show_error(self, exc: KtError) -> None:
        self.error.setText(exc.message)
        self.error.show()
        if isinstance(exc, ValidationError) and exc.field == "name":
            self.name.setFocus()
        else:
            self.area.province.setFocus()

    def validatePage(self) -> bool:
        return self._wizard.make_receiver_file()

    def nextId(self) -> int:
        return -1


class SetupWizard(AskBeforeDiscard, QWizard):
    """Run with ``exec()`` (or ``show()`` in tests); :attr:`outcome` says what was made."""

    def __init__(
        self, data_path: Path, parent: QWidget | None = None, *, today: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self.data_path = Path(data_path)
        self.outcome: WizardOutcome | None = None
        self.setWindowTitle(_("KT Desktop — set up"))
        self.setWindowIcon(icons.app_icon())
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setPixmap(QWizard.WizardPixmap.LogoPixmap, icons.pixmap("app", 48))
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.setButtonText(QWizard.WizardButton.BackButton, _("< &Back"))
        self.setButtonText(QWizard.WizardButton.NextButton, _("&Next >"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("&Finish"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.fields = ProfileFields(self)
        self.fields.default_term(today or clock.today())
        self.kind_page = KindPage(self.data_path)
        self.village_page = VillagePage(self.fields)
        self.profile_page = ProfilePage(self.fields)
        self.officers_page = OfficersPage(self.fields)
        self.finish_page = FinishPage(self)
        self.receiver_page = ReceiverPage(self)
        self.setPage(PAGE_KIND, self.kind_page)
        self.setPage(PAGE_VILLAGE, self.village_page)
        self.setPage(PAGE_PROFILE, self.profile_page)
        self.setPage(PAGE_OFFICERS, self.officers_page)
        self.setPage(PAGE_FINISH, self.finish_page)
        self.setPage(PAGE_RECEIVER, self.receiver_page)
        self.setStartId(PAGE_KIND)
        resize_on_screen(self, 920, 660)
        self.setMinimumSize(700, 460)  # 1366x768 at 150 % leaves 911x512

    # -- making the file -------------------------------------------------------------------
    def make_village_file(self) -> bool:
        village = self.village_page.picker.selected()
        if village is None:
            self._go_to(PAGE_VILLAGE)
            self.village_page.show_error(_("Choose the desa/kelurahan first."))
            return False
        profile = self.fields.profile()
        profile.village_code = village.code
        try:
            setup.init_village(self.data_path, profile)
        except ValidationError as exc:
            return self._refused_field(exc)
        except KtError as exc:
            self.finish_page.error.setText(exc.message)
            self.finish_page.error.show()
            return False
        self.outcome = WizardOutcome(self.data_path, VILLAGE, self.finish_page.demo.isChecked())
        return True

    def make_receiver_file(self) -> bool:
        area = self.receiver_page.area.area()
        if area is None:
            self.receiver_page.show_error(KtError(_("Choose the province first.")))
            return False
        try:
            setup.init_receiver(self.data_path, area.code, self.receiver_page.name.text())
        except KtError as exc:
            self.receiver_page.show_error(exc)
            return False
        self.outcome = WizardOutcome(self.data_path, RECEIVER, False)
        return True

    def _refused_field(self, exc: ValidationError) -> bool:
        """Go back to the page holding the refused field and show the message beside it."""
        if exc.field == "village_code":
            self._go_to(PAGE_VILLAGE)
            self.village_page.show_error(exc.message)
            return False
        for page_id, page in (
            (PAGE_PROFILE, self.profile_page),
            (PAGE_OFFICERS, self.officers_page),
        ):
            own = set().union(*(self.fields.fields_of(key) for key in page.SECTIONS))
            if exc.field in own:
                self._go_to(page_id)
                self.fields.show_error(exc)
                return False
        self.finish_page.error.setText(exc.message)
        self.finish_page.error.show()
        return False

    def _go_to(self, page_id: int) -> None:
        while self.currentId() != page_id and self.visitedIds() and self.currentId() != PAGE_KIND:
            self.back()
