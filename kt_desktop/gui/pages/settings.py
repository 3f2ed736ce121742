"""Pengaturan: the profile (the same form as the wizard's), language, font size, data file.

The profile is read and saved through :mod:`kt_desktop.services.profile` on workers; a
refusal puts its message beside the field it names. Language and font size are the
user's own (``settings.json``, not the data file): the font size applies at once, the
language when the program is next opened, and the page says so.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kt_desktop import i18n, regions, ui_prefs
from kt_desktop.domain.errors import ValidationError
from kt_desktop.domain.profile import Profile
from kt_desktop.gui.ops import Ops, show_failure
from kt_desktop.gui.pages.base import SidebarPage
from kt_desktop.gui.profile_form import ProfileForm
from kt_desktop.gui.widgets import icons, style
from kt_desktop.gui.widgets.flow import growing_form
from kt_desktop.gui.widgets.labels import muted_label
from kt_desktop.gui.widgets.page_header import page_column
from kt_desktop.gui.widgets.style import apply_font_size
from kt_desktop.i18n import N_, _
from kt_desktop.services import profile as profile_service

FONT_NAMES = {9: N_("Small"), 10: N_("Normal"), 12: N_("Large"), 14: N_("Very large")}


class SettingsPage(SidebarPage):
    #: Emitted after the profile was saved (the window title and Beranda follow).
    profile_saved = Signal()

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(ops, parent)
        session = ops.session
        layout, self.header = page_column(self, _("Settings"))
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.tabs.addTab(self._profile_tab(session.is_receiver), _("Profile"))
        self.tabs.addTab(self._display_tab(), _("Language and display"))
        self.tabs.addTab(self._file_tab(), _("Data file"))
        from kt_desktop.gui.dialogs.audit_log import AuditLogPanel
        from kt_desktop.gui.dialogs.backups import BackupsPanel

        self.backups_panel = BackupsPanel(ops)
        self.backups_panel.restored.connect(self._data_restored)
        self.tabs.addTab(self.backups_panel, _("Backups"))
        self.audit_panel = AuditLogPanel(ops)
        self.tabs.addTab(self.audit_panel, _("Activity log"))
        self.reload()

    def _data_restored(self, _result: object) -> None:
        """A backup replaced the file: every page shows what is in it now."""
        refresh_all = getattr(self.window(), "refresh_all", None)
        if callable(refresh_all):
            refresh_all()
        self.reload()

    # -- profile ---------------------------------------------------------------------------------
    def _profile_tab(self, receiver: bool) -> QWidget:
        tab = QWidget()
        column = QVBoxLayout(tab)
        code = self.ops.session.code
        place = regions.full_name(code) if code else ""
        where = (
            _("Area: {place} ({code}). The area is fixed when the file is made.")
            if receiver
            else _("Village: {place} ({code}). The village is fixed when the file is made.")
        )
        self.place_note = muted_label(where.format(place=place, code=code))
        column.addWidget(self.place_note)
        self.form = ProfileForm(receiver=receiver)
        self.fields = self.form.fields
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.form)
        column.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        self.saved_note = QLabel()
        self.saved_note.setStyleSheet(f"color: {style.MUTED};")
        buttons.addWidget(self.saved_note, 1)
        self.undo_button = QPushButton(_("&Undo changes"))
        self.undo_button.setToolTip(_("Forget the changes not saved yet and show the profile "
                                      "as it is kept in the data file"))
        self.undo_button.clicked.connect(self.reload)
        self.save_button = QPushButton(icons.icon("check-circle"), _("&Save"))
        self.save_button.setToolTip(_("Save the profile; letterheads, reports and the window "
                                      "title use it from now on"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.save_button)
        column.addLayout(buttons)
        self.fields.changed.connect(lambda: self.saved_note.setText(_("Not saved yet.")))
        # The logo buttons belong to the profile form shared with the set-up wizard.
        for name, tip in (
            ("logo_choose", _("Choose a PNG or JPEG picture of the Karang Taruna's logo for "
                              "the letterhead of every report")),
            ("logo_remove", _("Print the letterhead without a logo")),
        ):
            button = getattr(self.fields, name, None)
            if isinstance(button, QPushButton):
                button.setToolTip(tip)
        return tab

    def reload(self) -> None:
        self.save_button.setEnabled(False)
        self._read(profile_service.load_profile, self._loaded)

    def _loaded(self, profile: Profile) -> None:
        self.fields.set_profile(profile)
        self.saved_note.clear()
        self.save_button.setEnabled(True)

    def save(self) -> None:
        profile = self.fields.profile()
        self.fields.clear_errors()
        self.save_button.setEnabled(False)
        self._write(
            lambda session: profile_service.save_profile(session, profile),
            self._saved,
            self._save_failed,
        )

    def _saved(self, profile: Profile) -> None:
        self.fields.set_profile(profile)
        self.save_button.setEnabled(True)
        self.saved_note.setText(_("Saved."))
        self.profile_saved.emit()

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationError) and self.fields.show_error(exc):
            self.tabs.setCurrentIndex(0)
            self.saved_note.setText(_("Not saved: correct the field marked in red."))
            return
        self.saved_note.setText(_("Not saved."))
        show_failure(self, exc)


    # -- language and font -------------------------------------------------------------------------
    def _display_tab(self) -> QWidget:
        tab = QWidget()
        column = QVBoxLayout(tab)
        form = growing_form()
        self.language = QComboBox()
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(i18n.saved_language()))
        self.language.currentIndexChanged.connect(self._language_chosen)
        form.addRow(_("&Language"), self.language)
        self.language_note = muted_label(
            _("A new language is used from the next time KT Desktop is opened.")
        )
        form.addRow("", self.language_note)
        self.font_size = QComboBox()
        for points in ui_prefs.FONT_SIZES:
            self.font_size.addItem(
                _("{name} ({points} pt)").format(name=_(FONT_NAMES[points]), points=points), points
            )
        self.font_size.setCurrentIndex(self.font_size.findData(ui_prefs.font_size()))
        self.font_size.currentIndexChanged.connect(self._font_chosen)
        for combo in (self.language, self.font_size):
            combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        form.addRow(_("&Font size"), self.font_size)
        form.addRow("", muted_label(_("The font size applies at once, for this user.")))
        column.addLayout(form)
        column.addStretch(1)
        return tab

    def _language_chosen(self) -> None:
        code = self.language.currentData()
        i18n.save_language(code)
        if code != i18n.language():
            self.language_note.setText(
                _("Saved. Close and open KT Desktop again to use {language}.").format(
                    language=i18n.LANGUAGES[code]
                )
            )
        else:
            self.language_note.setText(_("Saved."))

    def _font_chosen(self) -> None:
        points = int(self.font_size.currentData())
        ui_prefs.save_font_size(points)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_font_size(app, points)

    # -- data file ------------------------------------------------------------------------------------
    def _file_tab(self) -> QWidget:
        tab = QWidget()
        column = QVBoxLayout(tab)
        path = self.ops.session.path
        column.addWidget(
            muted_label(
                _(
                    "All the books of this file are kept in one file on this laptop. Keep a "
                    "copy of it elsewhere (a flash disk) so that a broken laptop loses nothing."
                )
            )
        )
        form = QFormLayout()
        self.path_label = QLabel(str(path))
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(_("Data file"), self.path_label)
        column.addLayout(form)
        buttons = QHBoxLayout()
        open_folder = QPushButton(icons.icon("folder"), _("&Open folder"))
        open_folder.setToolTip(_("Show the folder of the data file in the file manager"))
        open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
        )
        copy_path = QPushButton(icons.icon("copy"), _("&Copy path"))
        copy_path.setToolTip(_("Copy the place of the data file, to paste it elsewhere"))
        copy_path.clicked.connect(lambda: QApplication.clipboard().setText(str(path)))
        buttons.addWidget(open_folder)
        buttons.addWidget(copy_path)
        buttons.addStretch(1)
        column.addLayout(buttons)
        column.addSpacing(12)
        column.addWidget(
            muted_label(
                _(
                    "A PIN keeps others who use this laptop from opening the program. It does "
                    "not encrypt the data file."
                )
            )
        )
        pin_row = QHBoxLayout()
        pin_button = QPushButton(_("&PIN for opening the program…"))
        pin_button.setToolTip(_("Set, change or turn off the PIN asked when KT Desktop opens"))
        pin_button.clicked.connect(self._pin_settings)
        pin_row.addWidget(pin_button)
        pin_row.addStretch(1)
        column.addLayout(pin_row)
        column.addStretch(1)
        return tab

    def _pin_settings(self) -> None:
        from kt_desktop.gui.dialogs.pin import PinSettingsDialog

        dialog = PinSettingsDialog(self.ops, self)
        dialog.exec()
        dialog.deleteLater()
