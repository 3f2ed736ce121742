"""The Karang Taruna's profile as a form: one set of fields for the wizard and for Pengaturan.

:class:`ProfileFields` owns the inputs, their error labels and the logic (fill from a
:class:`Profile`, read one back, show a :class:`ValidationError` beside its field, suggest a
name and postal code for a chosen village). Its inputs sit in titled sections
(:attr:`ProfileFields.sections`) so that the wizard can spread them over two pages while
:class:`ProfileForm` lays all of them out on one page for Pengaturan — the form exists once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRegularExpression, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QPixmap, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain.errors import ValidationError
from kt_desktop.domain.profile import MAX_LENGTHS, Profile, max_length
from kt_desktop.gui.widgets import style
from kt_desktop.gui.widgets.date_field import DateField, to_qdate
from kt_desktop.gui.widgets.field_error import error_label, with_error
from kt_desktop.gui.widgets.flow import ReflowGrid, flush
from kt_desktop.gui.widgets.region_picker import display_name
from kt_desktop.i18n import _
from kt_desktop.regions import Region

#: The letterhead prints the logo small; anything larger only bloats the file and bundles.
LOGO_MAX_PIXELS = 512
TERM_YEARS = 5

IDENTITY, ADDRESS, OFFICERS, SK, LOGO = "identity", "address", "officers", "sk", "logo"


def suggest_name(village: Region) -> str:
    """ "Karang Taruna Desa Baros": the usual name when a KT is named after its village."""
    return f"Karang Taruna {display_name(village)}"


def suggest_short_name(name: str) -> str:
    """ "KT-TH" for "Karang Taruna Tunas Harapan": KT and the initials of the rest."""
    words = name.split()
    if [word.casefold() for word in words[:2]] == ["karang", "taruna"]:
        words = words[2:]
    initials = "".join(word[0] for word in words if word[:1].isalnum())[:4].upper()
    return f"KT-{initials}" if initials else "KT"


def read_logo(path: Path) -> tuple[bytes, str]:
    """A PNG or JPEG file scaled down to at most 512 px, as (bytes, mime) for the profile.

    A PNG stays PNG (it may be transparent, as logos often are); a JPEG stays JPEG.
    """
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    kind = bytes(reader.format().data()).decode("ascii", "replace").lower()
    if kind not in ("png", "jpeg", "jpg"):
        raise ValidationError(
            _("{file} is not a PNG or JPEG image. Choose a .png or .jpg file.").format(
                file=path.name
            ),
            field="logo",
        )
    image = reader.read()
    if image.isNull():
        raise ValidationError(
            _("{file} cannot be read as an image: {reason}").format(
                file=path.name, reason=reader.errorString()
            ),
            field="logo",
        )
    if max(image.width(), image.height()) > LOGO_MAX_PIXELS:
        image = image.scaled(
            LOGO_MAX_PIXELS,
            LOGO_MAX_PIXELS,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    fmt, mime = ("PNG", "image/png") if kind == "png" else ("JPEG", "image/jpeg")
    return _encode(image, fmt), mime


def _encode(image: QImage, fmt: str) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, fmt, 90)
    buffer.close()
    return bytes(data.data())


class _FieldBox(QWidget):
    """An input with its error label beneath (hidden until there is an error)."""

    def __init__(self, field: QWidget, extra: QWidget | None = None) -> None:
        super().__init__()
        layout = flush(QVBoxLayout(self))
        box, self.error = with_error(field, extra)
        layout.addWidget(box)
        self.setFocusProxy(field)


def _quietly(field: QWidget, change: Callable[[], object]) -> None:
    """Make ``change`` to ``field`` without its signals: a value the form fills in itself
    (the masa bakti from the SK date) is not one the user typed."""
    field.blockSignals(True)
    try:
        change()
    finally:
        field.blockSignals(False)


class ProfileFields(QObject):
    """The profile's inputs, grouped in sections; see the module docstring."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None, *, receiver: bool = False) -> None:
        super().__init__(parent)
        self.receiver = receiver
        self._base = Profile()
        self._suggested: dict[str, str] = {}
        self._term_end_auto = True
        #: The masa bakti starts on the SK date until the user sets a start of their own.
        self._term_start_auto = False
        self.inputs: dict[str, QWidget] = {}
        #: The profile's text and date inputs among :attr:`inputs`, by their field's name.
        self._lines: dict[str, QLineEdit] = {}
        self._dates: dict[str, DateField] = {}
        self._boxes: dict[str, _FieldBox] = {}
        self.sections: dict[str, QGroupBox] = {}
        if receiver:
            self._build_receiver()
        else:
            self._build_village()

    # -- building ------------------------------------------------------------------------
    def _line(self, name: str, placeholder: str = "", *, digits: int = 0) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        if placeholder:
            edit.setPlaceholderText(placeholder)
        if digits:
            edit.setValidator(
                QRegularExpressionValidator(QRegularExpression(rf"\d{{0,{digits}}}"), edit)
            )
            edit.setMaxLength(digits)
        elif name in MAX_LENGTHS:
            edit.setMaxLength(max_length(name))  # what domain.profile accepts
        edit.textEdited.connect(lambda _text, name=name: self._edited(name))
        self.inputs[name] = self._lines[name] = edit
        return edit

    def _date(self, name: str) -> DateField:
        field = DateField()
        field.setObjectName(name)
        field.dateChanged.connect(lambda _date, name=name: self._edited(name))
        self.inputs[name] = self._dates[name] = field
        return field

    def _row(self, form: QFormLayout, label: str, field: QWidget,
             extra: QWidget | None = None) -> None:
        """``field`` (made by :meth:`_line` or :meth:`_date`, named after the profile's field)
        under ``label``, with the line where its refusal shows."""
        box = _FieldBox(field, extra)
        self._boxes[field.objectName()] = box
        form.addRow(label, box)

    def _section(self, key: str, title: str) -> QFormLayout:
        group = QGroupBox(title)
        group.setObjectName(f"section_{key}")
        form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.sections[key] = group
        return form

    def _build_receiver(self) -> None:
        form = self._section(IDENTITY, _("Receiver"))
        self._row(form, _("&Name of the receiver"),
                  self._line("name", _("e.g. Karang Taruna Provinsi Banten")))
        # Its letterhead, the named signatures and the logo of its aggregate report, as a
        # village's (issue 16: the report had no address and "(……)" for signatures).
        self._build_address()
        self._build_officers()
        officers = self.sections[OFFICERS].layout()
        assert isinstance(officers, QFormLayout)
        for name in ("bendahara", "kepala_desa"):  # a village's, not a receiver's
            officers.setRowVisible(self._boxes[name], False)
        self._build_logo()

    def _build_village(self) -> None:
        form = self._section(IDENTITY, _("Karang Taruna"))
        self._row(form, _("N&ame"), self._line("name", _("e.g. Karang Taruna Tunas Harapan")))
        hint = QLabel(_("for certificate numbers"))
        hint.setStyleSheet(f"color: {style.MUTED};")
        self._row(form, _("Sh&ort name"), self._line("short_name", _("e.g. KT-TH")), hint)
        self._build_address()
        self._build_officers()
        self._build_sk()
        self._build_logo()

    def _build_address(self) -> None:
        form = self._section(ADDRESS, _("Address (for the letterhead)"))
        self._row(form, _("S&treet"), self._line("street", _("e.g. Jl. Raya Baros No. 12")))
        rt = self._line("rt", "001", digits=3)
        rw = self._line("rw", "002", digits=3)
        rt.setMaximumWidth(80)
        rw.setMaximumWidth(80)
        pair = QWidget()
        pair_layout = flush(QHBoxLayout(pair))
        rt_box = _FieldBox(rt)
        rw_box = _FieldBox(rw)
        self._boxes["rt"], self._boxes["rw"] = rt_box, rw_box
        pair_layout.addWidget(rt_box)
        rw_label = QLabel(_("R&W"))
        rw_label.setBuddy(rw)
        pair_layout.addWidget(rw_label)
        pair_layout.addWidget(rw_box)
        pair_layout.addStretch(1)
        pair.setFocusProxy(rt)
        form.addRow(_("&RT"), pair)
        self._row(form, _("D&usun/kampung"), self._line("dusun", _("e.g. Kampung Cilaku")))
        postal_code = self._line("postal_code", "42173", digits=5)
        postal_code.setMaximumWidth(100)
        self._row(form, _("&Postal code"), postal_code)
        self._row(form, _("Te&lephone"), self._line("phone", _("e.g. 0812-3456-7890")))
        self._row(form, _("E-&mail"), self._line("email", _("e.g. kt.desa@gmail.com")))

    def _build_officers(self) -> None:
        form = self._section(OFFICERS, _("Officers (pengurus)"))
        self._row(form, _("&Ketua"), self._line("ketua"))
        self._row(form, _("S&ekretaris"), self._line("sekretaris"))
        self._row(form, _("Benda&hara"), self._line("bendahara"))
        self._row(form, _("Kepala &Desa/Lurah"), self._line("kepala_desa"))

    def _build_sk(self) -> None:
        form = self._section(SK, _("SK pengukuhan and masa bakti"))
        self._row(form, _("SK nu&mber"), self._line("sk_number", _("e.g. 400/12/Kpts/2024")))
        self._row(form, _("SK d&ate"), self._date("sk_date"))
        self._row(form, _("Masa bakti f&rom"), self._date("term_start"))
        self._row(form, _("Masa bakti un&til"), self._date("term_end"))
        self._dates["term_start"].dateChanged.connect(self._term_start_changed)

    def _build_logo(self) -> None:
        group = QGroupBox(_("Logo for the letterhead (optional)"))
        group.setObjectName(f"section_{LOGO}")
        layout = QHBoxLayout(group)
        self.logo_preview = QLabel()
        self.logo_preview.setObjectName("logo")
        self.logo_preview.setFixedSize(96, 96)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setWordWrap(True)
        self.logo_preview.setStyleSheet(
            f"border: 1px dashed {style.BORDER}; background: #ffffff; color: {style.MUTED};"
        )
        self.inputs["logo"] = self.logo_preview
        layout.addWidget(self.logo_preview)
        column = QVBoxLayout()
        explain = QLabel(_("A PNG or JPEG image; large images are made smaller (512 px)."))
        explain.setWordWrap(True)
        column.addWidget(explain)
        buttons = QHBoxLayout()
        self.logo_choose = QPushButton(_("Choose &image…"))
        self.logo_choose.clicked.connect(self.choose_logo)
        self.logo_remove = QPushButton(_("Remo&ve logo"))
        self.logo_remove.clicked.connect(self.remove_logo)
        buttons.addWidget(self.logo_choose)
        buttons.addWidget(self.logo_remove)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.logo_error = error_label()
        column.addWidget(self.logo_error)
        column.addStretch(1)
        layout.addLayout(column, 1)
        self.sections[LOGO] = group
        self._logo: tuple[bytes, str] | None = None
        self._show_logo()

    # -- values --------------------------------------------------------------------------
    def set_profile(self, profile: Profile) -> None:
        """Show ``profile``; :meth:`profile` later returns it with the user's edits."""
        self._base = dataclasses.replace(profile)
        for name, edit in self._lines.items():
            edit.setText(getattr(profile, name))
        for name, field in self._dates.items():
            field.blockSignals(True)
            field.set_value(getattr(profile, name))
            field.blockSignals(False)
        self._term_end_auto = profile.term_end is None
        self._term_start_auto = profile.term_start is None
        self._logo = (profile.logo, profile.logo_mime or "image/png") if profile.logo else None
        self._show_logo()
        self._suggested.clear()
        self.clear_errors()

    def profile(self) -> Profile:
        """The profile as the form now shows it (id, version and village kept)."""
        profile = dataclasses.replace(self._base)
        for name, edit in self._lines.items():
            setattr(profile, name, edit.text().strip())
        for name, field in self._dates.items():
            setattr(profile, name, field.value())
        profile.logo = self._logo[0] if self._logo else None
        profile.logo_mime = self._logo[1] if self._logo else None
        return profile

    def default_term(self, today: dt.date) -> None:
        """A new KT's masa bakti: five years (Permensos 25/2019) from the SK date once it is
        typed (the SK confirms the officers; their term starts with it), from today until
        then."""
        start = self._dates["term_start"]
        _quietly(start, lambda: start.set_value(today))
        self._term_start_auto = True
        self._term_end_auto = True
        self._term_start_changed()

    def _sk_date_changed(self) -> None:
        start = self._dates["term_start"]
        value = self._dates["sk_date"].value()
        if self._term_start_auto and value is not None:
            _quietly(start, lambda: start.set_value(value))
            self._term_start_changed()

    def _term_start_changed(self) -> None:
        end = self._dates["term_end"]
        value = self._dates["term_start"].value()
        if self._term_end_auto and value is not None:
            _quietly(end, lambda: end.setDate(to_qdate(value).addYears(TERM_YEARS)))

    def _edited(self, name: str) -> None:
        if name == "term_end":
            self._term_end_auto = False
        if name == "term_start":
            self._term_start_auto = False
        if name == "sk_date":
            self._sk_date_changed()
        if name == "name":
            self._suggest_short_name()
        self._suggested.pop(name, None)
        self._hide_error(name)
        self.changed.emit()

    # -- suggestions ------------------------------------------------------------------------
    def _suggest(self, name: str, value: str) -> None:
        """Fill ``name`` with ``value`` unless the user typed something of their own there."""
        edit = self._lines.get(name)
        if edit is None or not value:
            return
        current = edit.text().strip()
        if current and current != self._suggested.get(name):
            return
        edit.setText(value)
        self._suggested[name] = value
        self._hide_error(name)

    def _suggest_short_name(self) -> None:
        name = self._lines["name"]
        if name.text().strip():
            self._suggest("short_name", suggest_short_name(name.text()))

    def suggest_for_village(self, village: Region | None) -> None:
        """A chosen village proposes the KT's name, its short name and the postal code."""
        if village is None or self.receiver:
            return
        self._suggest("name", suggest_name(village))
        self._suggest_short_name()
        self._suggest("postal_code", village.postal_code or "")

    # -- logo -----------------------------------------------------------------------------
    def choose_logo(self) -> None:
        parent = self.logo_choose.window()
        file_name, _filter = QFileDialog.getOpenFileName(
            parent, _("Choose the logo"), str(Path.home()), _("Images (*.png *.jpg *.jpeg)")
        )
        if file_name:
            self.load_logo(Path(file_name))

    def load_logo(self, path: Path) -> bool:
        try:
            self._logo = read_logo(path)
        except ValidationError as exc:
            self.show_error(exc)
            return False
        self._hide_error("logo")
        self._show_logo()
        self.changed.emit()
        return True

    def remove_logo(self) -> None:
        self._logo = None
        self._hide_error("logo")
        self._show_logo()
        self.changed.emit()

    def logo_bytes(self) -> bytes | None:
        return self._logo[0] if self._logo else None

    def _show_logo(self) -> None:
        if self._logo is None:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(_("no logo"))
            self.logo_remove.setEnabled(False)
            return
        picture = QPixmap()
        picture.loadFromData(self._logo[0])
        self.logo_preview.setPixmap(
            picture.scaled(
                92,
                92,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.logo_remove.setEnabled(True)

    # -- errors ---------------------------------------------------------------------------
    def fields_of(self, section: str) -> set[str]:
        group = self.sections.get(section)
        if group is None:
            return set()
        return {name for name, widget in self.inputs.items() if group.isAncestorOf(widget)}

    def show_error(self, exc: ValidationError) -> bool:
        """Put ``exc``'s message beside its field and focus it; False if no field here."""
        name = exc.field or ""
        if name == "logo":
            self.logo_error.setText(exc.message)
            self.logo_error.show()
            self.logo_choose.setFocus()
            _scroll_to(self.logo_choose)
            return True
        box = self._boxes.get(name)
        if box is None:
            return False
        box.error.setText(exc.message)
        box.error.show()
        widget = self.inputs[name]
        _scroll_to(widget)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(widget, QLineEdit):
            widget.selectAll()
        return True

    def error_text(self, name: str) -> str:
        """The message shown beside ``name`` ("" when none): what a user sees, for tests."""
        if name == "logo":
            return self.logo_error.text() if not self.logo_error.isHidden() else ""
        box = self._boxes.get(name)
        return box.error.text() if box is not None and not box.error.isHidden() else ""

    def _hide_error(self, name: str) -> None:
        if name == "logo":
            self.logo_error.hide()
            return
        box = self._boxes.get(name)
        if box is not None:
            box.error.hide()

    def clear_errors(self) -> None:
        for name in [*self._boxes, "logo"]:
            self._hide_error(name)


def _scroll_to(widget: QWidget) -> None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 50, 50)
            return
        parent = parent.parentWidget()


class ProfileForm(QWidget):
    """All sections on one page, in two columns (Pengaturan → Profil)."""

    def __init__(self, parent: QWidget | None = None, *, receiver: bool = False) -> None:
        super().__init__(parent)
        self.fields = ProfileFields(self, receiver=receiver)
        layout = flush(QHBoxLayout(self))
        left_column, right_column = QWidget(), QWidget()
        left = QVBoxLayout(left_column)
        right = QVBoxLayout(right_column)
        sections = self.fields.sections
        for key in (IDENTITY, ADDRESS):
            if key in sections:
                left.addWidget(sections[key])
        for key in (OFFICERS, SK, LOGO):
            if key in sections:
                right.addWidget(sections[key])
        left.addStretch(1)
        right.addStretch(1)
        # Two columns where each has room for its fields (about 45 characters), one
        # beneath the other on a netbook or with a large font.
        self.columns = ReflowGrid([left_column, right_column], min_chars=45)
        layout.addWidget(self.columns)
