"""Choosing a Kemendagri region: province → kabupaten/kota → kecamatan → desa/kelurahan.

Each level is an editable combo box whose type-ahead matches any part of a name ("serang"
finds "Kabupaten Serang" and "Kota Serang"), so a secretary who knows only the village's
name gets there as fast as one who scrolls. A search box above the four looks a village up
across the whole country (``regions.search``) and fills all four at once.

The lists come from :mod:`kt_desktop.regions` (pure Python, in memory, well under 20 ms a
lookup), so they are read on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kt_desktop import regions
from kt_desktop.gui.widgets.flow import flush, growing_form
from kt_desktop.i18n import _
from kt_desktop.regions import Region

#: Sentinel item data for a combo's "(whole province)" choice.
WHOLE_AREA = ""


def display_name(region: Region) -> str:
    """The name as a list shows it: villages get their word (desa or kelurahan)."""
    if region.level == 4:
        word = _("Kelurahan") if region.kind == "kelurahan" else _("Desa")
        if region.name.casefold().startswith(word.casefold() + " "):
            return region.name
        return f"{word} {region.name}"
    return region.name


class RegionCombo(QComboBox):
    """One level's list, with type-ahead that matches anywhere in the name.

    ``region_changed`` carries the chosen :class:`Region`, or None when the text typed
    matches no entry (the text stays, so the user sees what they typed).
    """

    region_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, placeholder: str = "",
                 waiting: str = "") -> None:
        super().__init__(parent)
        #: The hint while the list waits for the level above ("Pilih provinsi terlebih
        #: dahulu"); once enabled the field shows ``placeholder`` instead.
        self._hints = (placeholder, waiting or placeholder)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(24)
        self.lineEdit().setPlaceholderText(placeholder)
        self.lineEdit().setClearButtonEnabled(True)
        self.setAccessibleDescription(placeholder)
        completer = QCompleter(self.model(), self)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setMaxVisibleItems(12)
        self.setCompleter(completer)
        completer.activated[str].connect(self._choose_text)
        self.lineEdit().editingFinished.connect(self._commit_text)
        self.currentIndexChanged.connect(self._index_changed)
        self._region: Region | None = None
        self._extra_first: str | None = None

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.EnabledChange:
            hint = self._hints[0] if self.isEnabled() else self._hints[1]
            self.lineEdit().setPlaceholderText(hint)
            self.setAccessibleDescription(hint)
        super().changeEvent(event)

    # -- content --------------------------------------------------------------------------
    def set_regions(self, items: Sequence[Region], *, first: str | None = None) -> None:
        """Replace the list; ``first`` adds a leading choice meaning "no narrower region"."""
        self.blockSignals(True)
        self.clear()
        self._extra_first = first
        if first is not None:
            self.addItem(first, WHOLE_AREA)
        names = [display_name(region) for region in items]
        repeated = {name for name in names if names.count(name) > 1}
        for region, name in zip(items, names, strict=True):
            label = f"{name} ({region.code})" if name in repeated else name
            self.addItem(label, region.code)
        self.setCurrentIndex(0 if first is not None else -1)
        if first is None:
            self.lineEdit().clear()
        self.blockSignals(False)
        self._set_region(None)

    def region(self) -> Region | None:
        return self._region

    def select_code(self, code: str) -> bool:
        """Select the entry with ``code``; False when the list has none."""
        index = self.findData(code)
        if index < 0:
            return False
        self.setCurrentIndex(index)
        self._index_changed(index)
        return True

    # -- reacting to the user -----------------------------------------------------------
    def _choose_text(self, text: str) -> None:
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            self.setCurrentIndex(index)
            self._index_changed(index)

    def _commit_text(self) -> None:
        """On leaving the field: the typed text names an entry, or the choice is cleared."""
        text = self.lineEdit().text().strip()
        index = self.findText(text, Qt.MatchFlag.MatchFixedString) if text else -1
        if index < 0 and text:
            # A unique partial match is what the user meant ("sindangm" -> Sindangmandi).
            matches = [
                i for i in range(self.count()) if text.casefold() in self.itemText(i).casefold()
            ]
            if len(matches) == 1:
                index = matches[0]
        if index >= 0:
            if index != self.currentIndex():
                self.setCurrentIndex(index)
            else:
                self.setEditText(self.itemText(index))
            self._index_changed(index)
        elif self._region is not None or not text:
            self._set_region(None)

    def _index_changed(self, index: int) -> None:
        code = self.itemData(index) if index >= 0 else None
        region = regions.get(code) if code else None
        if region is not None and self.lineEdit().text() != self.itemText(index):
            self.setEditText(self.itemText(index))
        self._set_region(region)

    def _set_region(self, region: Region | None) -> None:
        if region == self._region:
            return
        self._region = region
        self.region_changed.emit(region)


class VillagePicker(QWidget):
    """The four cascading lists plus a country-wide village search.

    ``village_changed`` carries the chosen village (level 4), or None while none is chosen.
    """

    village_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = flush(QVBoxLayout(self))
        form = growing_form()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Type a desa/kelurahan name, e.g. Sindangmandi"))
        self.search.setClearButtonEnabled(True)
        self._search_model = QStringListModel(self)
        self._search_codes: dict[str, str] = {}
        search_completer = QCompleter(self._search_model, self)
        search_completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        search_completer.setMaxVisibleItems(12)
        self.search.setCompleter(search_completer)
        self.search.textEdited.connect(self._search_changed)
        search_completer.activated[str].connect(self._search_chosen)
        form.addRow(_("&Search by name"), self.search)

        self.province = RegionCombo(placeholder=_("Type to search, e.g. Banten"))
        typing = _("Type a few letters to search")
        self.regency = RegionCombo(placeholder=typing, waiting=_("Choose the province first"))
        self.district = RegionCombo(placeholder=typing,
                                    waiting=_("Choose the kabupaten/kota first"))
        self.village = RegionCombo(placeholder=typing, waiting=_("Choose the kecamatan first"))
        form.addRow(_("&Province"), self.province)
        form.addRow(_("&Kabupaten/kota"), self.regency)
        form.addRow(_("K&ecamatan"), self.district)
        form.addRow(_("&Desa/kelurahan"), self.village)
        layout.addLayout(form)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)

        self.province.region_changed.connect(
            lambda region: self._fill_below(region, self.regency, (self.district, self.village))
        )
        self.regency.region_changed.connect(
            lambda region: self._fill_below(region, self.district, (self.village,))
        )
        self.district.region_changed.connect(
            lambda region: self._fill_below(region, self.village, ())
        )
        self.village.region_changed.connect(self._village_changed)
        self.province.set_regions(regions.children(None))
        for combo in (self.regency, self.district, self.village):
            combo.setEnabled(False)
        self._show_summary(None)

    def combos(self) -> tuple[RegionCombo, RegionCombo, RegionCombo, RegionCombo]:
        return self.province, self.regency, self.district, self.village

    def selected(self) -> Region | None:
        return self.village.region()

    def set_code(self, code: str) -> bool:
        """Select a village by its code (all four lists follow); False if it is unknown."""
        chain = regions.parents(code)
        if len(chain) != 4:
            return False
        for combo, region in zip(self.combos(), chain, strict=True):
            if not combo.select_code(region.code):
                return False
        return True

    def _fill_below(
        self, region: Region | None, child: RegionCombo, further: tuple[RegionCombo, ...]
    ) -> None:
        child.set_regions(regions.children(region.code) if region else [])
        child.setEnabled(region is not None)
        for combo in further:
            combo.set_regions([])
            combo.setEnabled(False)

    def _village_changed(self, region: Region | None) -> None:
        self._show_summary(region)
        self.village_changed.emit(region)

    def _show_summary(self, region: Region | None) -> None:
        if region is None:
            self.summary.setText(_("No desa/kelurahan chosen yet."))
            return
        text = _("{name} — code {code}").format(
            name=regions.full_name(region.code), code=region.code
        )
        if region.postal_code:
            text += ", " + _("postal code {code}").format(code=region.postal_code)
        self.summary.setText(text)

    def _search_changed(self, text: str) -> None:
        found = regions.search(text, level=4, limit=30) if len(text.strip()) >= 3 else []
        self._search_codes = {regions.full_name(region.code): region.code for region in found}
        self._search_model.setStringList(list(self._search_codes))

    def _search_chosen(self, text: str) -> None:
        code = self._search_codes.get(text)
        if code and self.set_code(code):
            self.village.setFocus()


class AreaPicker(QWidget):
    """A receiver's area: a province, and optionally one kabupaten/kota in it."""

    area_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.province = RegionCombo(placeholder=_("Type to search, e.g. Banten"))
        self.regency = RegionCombo()
        self.regency.setEnabled(False)
        form.addRow(_("&Province"), self.province)
        form.addRow(_("&Kabupaten/kota"), self.regency)
        self.province.set_regions(regions.children(None))
        self.province.region_changed.connect(self._province_changed)
        self.regency.region_changed.connect(lambda _region: self.area_changed.emit(self.area()))

    def area(self) -> Region | None:
        """The kabupaten/kota if one is chosen, else the province, else None."""
        return self.regency.region() or self.province.region()

    def _province_changed(self, region: Region | None) -> None:
        self.regency.set_regions(
            regions.children(region.code) if region else [],
            first=_("(the whole province)") if region else None,
        )
        self.regency.setEnabled(region is not None)
        self.area_changed.emit(self.area())
