"""The activity form: one dialog, five sections, no database handle.

Sections (tabs, Ctrl+Tab moves between them): Data kegiatan, Peserta (member picker with
search, attendance, volunteers), Penerima manfaat (a grid of only the PPKS categories in use,
L/P × four age bands, with a totals column and a totals row that stays in view), Sumber dana
(source + Rupiah amount rows and their total) and Dokumentasi (photos taken in on a worker,
thumbnails with captions).

The dialog loads through a query op and saves through the write op, and closes only when the
save succeeded (Anki's ``QueryOp``/``CollectionOp`` shape). A refused field — by the domain
rules checked at once, or by the service — brings its section forward, focuses the field and
shows the message beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain import activities as rules
from kt_desktop.domain import clock, ppks
from kt_desktop.domain.activities import Activity, BeneficiaryKey, Fund, Participant, Photo
from kt_desktop.domain.errors import ValidationError
from kt_desktop.domain.formats import number, rupiah
from kt_desktop.domain.money import ActivityFunds
from kt_desktop.gui.dialogs.training_form import save_cancel
from kt_desktop.gui.models.rows import Index, RowsModel
from kt_desktop.gui.ops import Ops, show_failure
from kt_desktop.gui.widgets import list_parts as parts
from kt_desktop.gui.widgets import style
from kt_desktop.gui.widgets.date_field import DateField
from kt_desktop.gui.widgets.elided_combo import ElidedCombo
from kt_desktop.gui.widgets.field_error import error_label
from kt_desktop.gui.widgets.fit import header_need, resize_on_screen
from kt_desktop.gui.widgets.flow import flush, growing_form
from kt_desktop.gui.widgets.keyboard import AskBeforeDiscard
from kt_desktop.gui.widgets.list_parts import alive
from kt_desktop.gui.widgets.photo_panel import PhotoPanel
from kt_desktop.gui.widgets.table_keys import tab_leaves
from kt_desktop.i18n import N_, _, language
from kt_desktop.services import activities as service
from kt_desktop.services import kas as kas_service
from kt_desktop.services.activities import MemberChoice, Suggestions

SECTION_DATA, SECTION_PEOPLE, SECTION_BENEFICIARIES, SECTION_FUNDS, SECTION_PHOTOS = range(5)
MEMBER_SEARCH_DELAY_MS = 200


def _qlocale() -> Any:
    from PySide6.QtCore import QLocale

    if language() == "id":
        return QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


# -- participants -------------------------------------------------------------------------------


class ParticipantsModel(RowsModel[Participant]):
    """Members listed for the activity: name, and a check box for attendance (Space toggles)."""

    NAME, ATTENDED = range(2)
    headers = (N_("Member"), N_("Attendance"))

    def add(self, choice: MemberChoice) -> bool:
        if any(p.member_id == choice.id for p in self.rows):
            return False
        row = len(self.rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(Participant(member_id=choice.id, name=choice.name))
        self.endInsertRows()
        return True

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def attended(self) -> int:
        return sum(1 for p in self.rows if p.attended)

    def display(self, item: Participant, row: int, column: int) -> str | None:
        if column == self.NAME:
            # a member removed from the register since keeps the place, not the name
            return item.name or _("(removed from the register)")
        return _("present") if item.attended else _("absent")

    def extra(self, item: Participant, column: int, role: int) -> Any:
        if column == self.ATTENDED and role == Qt.ItemDataRole.CheckStateRole:
            return (Qt.CheckState.Checked if item.attended else Qt.CheckState.Unchecked).value
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (index.isValid() and index.column() == self.ATTENDED
                and role == Qt.ItemDataRole.CheckStateRole):
            checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
            self._rows[index.row()].attended = bool(checked)
            self.dataChanged.emit(index, index)
            return True
        return False

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.ATTENDED:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags


# -- beneficiaries ------------------------------------------------------------------------------

#: Grid columns: (sex, band) for L then P, then the row total.
CELLS: tuple[tuple[str, str], ...] = tuple(
    (sex, band) for sex in ppks.SEXES for band in ppks.BAND_CODES
)
TOTAL_COLUMN = len(CELLS)


def _cell_header(column: int) -> str:
    if column == TOTAL_COLUMN:
        return _("Total")
    sex, band = CELLS[column]
    item = ppks.band(band)
    # Three short lines: nine columns beside the category names fit a 1024 px screen at
    # the largest font only when no title is wider than "Dewasa".
    return f"{sex}\n{item.name}\n{item.span}"


class _OnResize(QObject):
    """Calls ``action`` after the watched widget changed size."""

    def __init__(self, action: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._action = action

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._action()
        return False


class BeneficiaryModel(QAbstractTableModel):
    """Rows: the PPKS categories in use; columns: L/P × age band, then the row's total."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.categories: list[int] = []
        self.counts: dict[BeneficiaryKey, int] = {}

    def set_counts(self, counts: dict[BeneficiaryKey, int]) -> None:
        self.beginResetModel()
        self.counts = rules.without_zeros(counts)
        self.categories = rules.categories_in_use(self.counts)
        self.endResetModel()

    def add_category(self, code: int) -> int:
        """Add a row for ``code`` (kept in category order); returns its row."""
        if code in self.categories:
            return self.categories.index(code)
        row = sum(1 for existing in self.categories if existing < code)
        self.beginInsertRows(QModelIndex(), row, row)
        self.categories.insert(row, code)
        self.endInsertRows()
        return row

    def remove_row(self, row: int) -> None:
        if not 0 <= row < len(self.categories):
            return
        code = self.categories[row]
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.categories[row]
        self.counts = {key: n for key, n in self.counts.items() if key[0] != code}
        self.endRemoveRows()

    def result(self) -> dict[BeneficiaryKey, int]:
        return {key: n for key, n in self.counts.items()
                if n and key[0] in self.categories}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.categories)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(CELLS) + 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.categories):
            return None
        code = self.categories[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == TOTAL_COLUMN:
                value = rules.category_total(self.counts, code)
                return number(value) if role == Qt.ItemDataRole.DisplayRole else value
            sex, band = CELLS[column]
            value = self.counts.get((code, sex, band), 0)
            if role == Qt.ItemDataRole.EditRole:
                return value
            return number(value) if value else ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column == TOTAL_COLUMN:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and column == TOTAL_COLUMN:
            return QColor(style.INFO_BG)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (not index.isValid() or role != Qt.ItemDataRole.EditRole
                or index.column() == TOTAL_COLUMN):
            return False
        try:
            count = int(value)
        except (TypeError, ValueError):
            return False
        if not 0 <= count <= rules.MAX_COUNT:
            return False
        code = self.categories[index.row()]
        sex, band = CELLS[index.column()]
        if count:
            self.counts[(code, sex, band)] = count
        else:
            self.counts.pop((code, sex, band), None)
        total = self.index(index.row(), TOTAL_COLUMN)
        self.dataChanged.emit(index, total)
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() != TOTAL_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section <= TOTAL_COLUMN:
            return _cell_header(section)
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.categories):
            return ppks.category_label(self.categories[section])
        return None


class BeneficiaryTotalsModel(QAbstractTableModel):
    """The grid's totals row, in a view of its own so it stays in sight however many rows."""

    def __init__(self, grid: BeneficiaryModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.grid = grid
        for signal in (grid.dataChanged, grid.modelReset, grid.rowsInserted, grid.rowsRemoved):
            signal.connect(self._changed)

    def _changed(self, *_args: object) -> None:
        self.dataChanged.emit(self.index(0, 0), self.index(0, TOTAL_COLUMN))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(CELLS) + 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() != 0:
            return None
        counts = self.grid.result()
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == TOTAL_COLUMN:
                return number(rules.grand_total(counts))
            return number(rules.by_sex_band(counts)[CELLS[index.column()]])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return QColor(style.INFO_BG)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (orientation == Qt.Orientation.Vertical and section == 0
                and role == Qt.ItemDataRole.DisplayRole):
            return _("Total")
        return None


class CountDelegate(QStyledItemDelegate):
    """Edits a count with a spin box that cannot go below 0."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget:
        editor = QSpinBox(parent)
        editor.setRange(0, rules.MAX_COUNT)
        editor.setFrame(False)
        editor.setAlignment(Qt.AlignmentFlag.AlignRight)
        editor.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        return editor


# -- funds --------------------------------------------------------------------------------------


class FundRow(QWidget):
    """One source of money: where from, how much (whole Rupiah), a note, and Remove."""

    def __init__(self, fund: Fund, on_change: Callable[[], None],
                 on_remove: Callable[[FundRow], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fund_id = fund.id
        layout = flush(QHBoxLayout(self))
        self.source = QComboBox()
        for code in rules.FUND_SOURCES:
            self.source.addItem(rules.fund_label(code), code)
        self.source.setCurrentIndex(max(self.source.findData(fund.source), 0))
        self.source.setAccessibleName(_("Source of funds"))
        self.amount = QDoubleSpinBox()
        self.amount.setLocale(_qlocale())
        self.amount.setDecimals(0)
        self.amount.setRange(0, rules.MAX_AMOUNT)
        self.amount.setGroupSeparatorShown(True)
        self.amount.setPrefix("Rp")
        self.amount.setSingleStep(50_000)
        self.amount.setValue(fund.amount)
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.amount.setMinimumWidth(170)
        self.amount.setAccessibleName(_("Amount in rupiah"))
        self.note = QLineEdit(fund.note)
        self.note.setPlaceholderText(_("Note (e.g. the donor's name)"))
        self.remove_button = QPushButton(_("Remove"))
        layout.addWidget(self.source, 2)
        layout.addWidget(self.amount, 1)
        layout.addWidget(self.note, 3)
        layout.addWidget(self.remove_button)
        self.source.currentIndexChanged.connect(lambda _i: on_change())
        self.amount.valueChanged.connect(lambda _v: on_change())
        self.remove_button.clicked.connect(lambda: on_remove(self))

    def fund(self) -> Fund:
        return Fund(
            source=self.source.currentData() or "",
            amount=int(round(self.amount.value())),
            note=self.note.text().strip(),
            id=self.fund_id,
        )


# -- the dialog ---------------------------------------------------------------------------------


class _ListKeys(QObject):
    """Enter on the member results adds the member; Delete on a list removes its row."""

    def __init__(self, on_enter: Callable[[], None] | None,
                 on_delete: Callable[[], None] | None, parent: QObject) -> None:
        super().__init__(parent)
        self._enter = on_enter
        self._delete = on_delete

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if self._enter and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._enter()
                return True
            if self._delete and event.key() == Qt.Key.Key_Delete:
                self._delete()
                return True
        return False


class ActivityForm(AskBeforeDiscard, QDialog):
    """Record a new activity (``activity_id`` None) or change one."""

    discard_title = N_("Discard changes?")
    discard_text = N_("The changes to this activity have not been saved. Close without saving?")

    def __init__(
        self,
        ops: Ops,
        activity_id: str | None,
        parent: QWidget | None = None,
        *,
        today: dt.date | None = None,
        start: dt.date | None = None,
        suggestions: Suggestions | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.activity_id = activity_id
        self.today = today or clock.today()
        self.version = 0
        self.saved_id: str | None = None
        self.saved_start: dt.date | None = None
        self.member_results: list[MemberChoice] = []
        self._closing = False
        self._loading = activity_id is not None
        self._saving = False
        self.setWindowTitle(_("Edit activity") if activity_id else _("Record an activity"))
        self.setModal(True)
        resize_on_screen(self, 1080, 660)

        layout = QVBoxLayout(self)
        self.banner = error_label()
        layout.addWidget(self.banner)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.field_errors: dict[str, QLabel] = {}
        self.tabs.addTab(self._build_data(), _("Activity data"))
        self.tabs.addTab(self._build_people(), _("Participants"))
        self.tabs.addTab(self._build_beneficiaries(), _("Beneficiaries"))
        self.tabs.addTab(self._build_funds(), _("Funding"))
        self.tabs.addTab(self._build_photos(), _("Documentation"))

        self.buttons = save_cancel(self, self.save, layout)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setToolTip(_("Save (Ctrl+S or Ctrl+Enter)"))
        # Enter belongs to the field (a grid cell, the member search), never to the dialog:
        # a secretary typing counts must not save half a form. Ctrl+S or Ctrl+Enter save.
        self.save_button.setAutoDefault(False)
        self.save_button.setDefault(False)
        self.save_shortcuts = [QShortcut(keys, self) for keys in (
            QKeySequence(QKeySequence.StandardKey.Save), QKeySequence("Ctrl+Return"),
            QKeySequence("Ctrl+Enter"))]
        for shortcut in self.save_shortcuts:
            shortcut.activated.connect(self.save)

        # focus targets of the fields a ValidationError can name
        self.field_widgets: dict[str, tuple[int, QWidget]] = {
            "title": (SECTION_DATA, self.title_edit),
            "kind": (SECTION_DATA, self.kind_combo),
            "status": (SECTION_DATA, self.status_combo),
            "start": (SECTION_DATA, self.start_date),
            "end": (SECTION_DATA, self.end_date),
            "place": (SECTION_DATA, self.place_combo),
            "section": (SECTION_DATA, self.section_combo),
            "partner": (SECTION_DATA, self.partner_combo),
            "campaign": (SECTION_DATA, self.campaign_combo),
            "program_line": (SECTION_DATA, self.program_combo),
            "participants": (SECTION_PEOPLE, self.participants_view),
            "volunteers": (SECTION_PEOPLE, self.volunteers_spin),
            "beneficiaries": (SECTION_BENEFICIARIES, self.beneficiary_view),
            "funds": (SECTION_FUNDS, self.add_fund_button),
            "photos": (SECTION_PHOTOS, self.photo_list),
        }

        if suggestions is not None:
            self._show_suggestions(suggestions)
        if activity_id is None:
            self.start_date.set_value(start or self.today)
            if suggestions is None:
                self.ops.query(service.suggestions, self._alive(self._show_suggestions),
                               parent=self)
        else:
            self.tabs.setEnabled(False)
            self.save_button.setEnabled(False)
            wanted = suggestions is None

            def load(session: Any) -> tuple[Activity, Suggestions | None]:
                return (service.get(session, activity_id),
                        service.suggestions(session) if wanted else None)

            self.ops.query(load, self._alive(self._loaded),
                           on_failed=self._alive(self._load_failed), parent=self)
        self._initial = self.activity()
        self.search_members()
        self.title_edit.setFocus()

    # -- building --------------------------------------------------------------------------
    def _error_for(self, name: str) -> QLabel:
        label = error_label()
        self.field_errors[name] = label
        return label

    @staticmethod
    def _editable_combo() -> QComboBox:
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.setMaxVisibleItems(16)
        combo.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        combo.completer().setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        return combo

    def _build_data(self) -> QWidget:
        page = QWidget()
        grid = QHBoxLayout(page)
        form = growing_form()
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(rules.MAX_TITLE)
        self.title_edit.setPlaceholderText(_("e.g. Posyandu dan PMT balita RW 03"))
        self.kind_combo = self._editable_combo()
        self.kind_combo.lineEdit().setPlaceholderText(_("Choose or type a kind"))
        self.status_combo = QComboBox()
        for code in rules.STATUSES:
            self.status_combo.addItem(rules.status_label(code), code)
        self.start_date = DateField(optional=False)
        self.end_date = DateField(optional=True)
        self.end_date.setToolTip(_("Leave empty for a one-day activity"))
        self.place_combo = self._editable_combo()
        self.section_combo = self._editable_combo()
        self.partner_combo = self._editable_combo()
        self.partner_combo.lineEdit().setPlaceholderText(
            _("e.g. Puskesmas, Dinas Sosial, BLK, a company's CSR")
        )
        self.campaign_combo = self._editable_combo()
        self.campaign_combo.lineEdit().setPlaceholderText(
            _("e.g. Bulan Bhakti Karang Taruna 2026")
        )
        # the line of the Program Kerja this activity carries out (plan against realisation)
        self.program_combo = ElidedCombo()
        self.program_combo.addItem(_("Not in the work programme"), "")
        self.program_combo.setToolTip(
            _("The line of the Program Kerja this activity carries out, so the programme "
              "shows what was realised"))
        self._program_line = ""
        dates = QHBoxLayout()
        dates.addWidget(self.start_date)
        dates.addWidget(QLabel(_("to")))
        dates.addWidget(self.end_date)
        dates.addStretch(1)
        rows: list[tuple[str, str, QWidget | QHBoxLayout]] = [
            ("title", _("Title *"), self.title_edit),
            ("kind", _("Kind *"), self.kind_combo),
            ("status", _("Status"), self.status_combo),
            ("start", _("Date *"), dates),
            ("place", _("Place"), self.place_combo),
            ("section", _("Responsible section"), self.section_combo),
            ("partner", _("Partner"), self.partner_combo),
            ("campaign", _("Campaign"), self.campaign_combo),
            ("program_line", _("Work programme"), self.program_combo),
        ]
        for name, label, field in rows:
            form.addRow(label, field)
            form.addRow("", self._error_for(name))
        self.field_errors["end"] = self.field_errors["start"]
        grid.addLayout(form, 3)
        notes = QVBoxLayout()
        notes_label = QLabel(_("Description / minutes (notulen)"))
        self.description_edit = QPlainTextEdit()
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setPlaceholderText(
            _("What was done, who came, what was decided, follow-up.")
        )
        notes_label.setBuddy(self.description_edit)
        notes.addWidget(notes_label)
        notes.addWidget(self.description_edit, 1)
        grid.addLayout(notes, 2)
        return page

    def _build_people(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self._error_for("participants"))
        columns = QHBoxLayout()
        picker = QVBoxLayout()
        picker.addWidget(QLabel(_("Find members in the register")))
        self.member_search = QLineEdit()
        self.member_search.setPlaceholderText(_("Name, dusun, or NIK/phone digits"))
        self.member_search.setClearButtonEnabled(True)
        picker.addWidget(self.member_search)
        self.member_list = QListWidget()
        self.member_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        picker.addWidget(self.member_list, 1)
        self.add_member_button = QPushButton(_("Add to participants  \u2192"))
        picker.addWidget(self.add_member_button)
        columns.addLayout(picker, 2)

        chosen = QVBoxLayout()
        self.people_summary = QLabel()
        chosen.addWidget(self.people_summary)
        self.participants_model = ParticipantsModel(self)
        self.participants_view = QTableView()
        self.participants_view.setModel(self.participants_model)
        self.participants_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.participants_view.verticalHeader().setVisible(False)
        self.participants_view.horizontalHeader().setSectionResizeMode(
            ParticipantsModel.NAME, QHeaderView.ResizeMode.Stretch
        )
        self.participants_view.horizontalHeader().resizeSection(ParticipantsModel.ATTENDED, 130)
        chosen.addWidget(self.participants_view, 1)
        actions = QHBoxLayout()
        self.remove_member_button = QPushButton(_("Remove from participants"))
        actions.addWidget(self.remove_member_button)
        actions.addStretch(1)
        chosen.addLayout(actions)
        hint = QLabel(_("Space marks present/absent; Delete removes the member from the list."))
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {style.MUTED};")
        chosen.addWidget(hint)
        volunteers = QHBoxLayout()
        volunteers_label = QLabel(_("Volunteers who are not members"))
        self.volunteers_spin = QSpinBox()
        self.volunteers_spin.setRange(0, rules.MAX_COUNT)
        volunteers_label.setBuddy(self.volunteers_spin)
        volunteers.addWidget(volunteers_label)
        volunteers.addWidget(self.volunteers_spin)
        volunteers.addStretch(1)
        chosen.addLayout(volunteers)
        chosen.addWidget(self._error_for("volunteers"))
        columns.addLayout(chosen, 3)
        layout.addLayout(columns, 1)

        self._member_timer = QTimer(self)
        self._member_timer.setSingleShot(True)
        self._member_timer.setInterval(MEMBER_SEARCH_DELAY_MS)
        self._member_timer.timeout.connect(self.search_members)
        self.member_search.textChanged.connect(lambda _t: self._member_timer.start())
        self.member_search.returnPressed.connect(self._search_enter)
        self.add_member_button.clicked.connect(self.add_selected_members)
        self.member_list.itemDoubleClicked.connect(lambda _item: self.add_selected_members())
        self.remove_member_button.clicked.connect(self.remove_selected_participants)
        self._member_keys = _ListKeys(self.add_selected_members, None, self)
        self.member_list.installEventFilter(self._member_keys)
        self._participant_keys = _ListKeys(None, self.remove_selected_participants, self)
        self.participants_view.installEventFilter(self._participant_keys)
        for signal in (self.participants_model.dataChanged, self.participants_model.rowsInserted,
                       self.participants_model.rowsRemoved, self.participants_model.modelReset):
            signal.connect(self._update_people_summary)
        self.volunteers_spin.valueChanged.connect(self._update_people_summary)
        self._update_people_summary()
        return page

    def _build_beneficiaries(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        intro = QLabel(_(
            "Count the people the activity served by PPKS category, sex (L/P) and age. "
            "Add only the categories that apply; \u201cUmum / lainnya\u201d is for everyone else."
        ))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self._error_for("beneficiaries"))
        # A long category name is cut with "…" (whole in the tooltip and the open list)
        # instead of making the form wider than a 1024 px screen.
        self.category_combo = ElidedCombo()
        self.category_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.category_combo.setMinimumContentsLength(20)
        self.category_combo.view().setTextElideMode(Qt.TextElideMode.ElideNone)
        self.category_combo.setMaxVisibleItems(20)
        self.category_combo.setAccessibleName(_("PPKS category"))
        self.category_combo.setPlaceholderText(_("Choose a PPKS category…"))
        self.category_combo.currentIndexChanged.connect(self._category_chosen)
        adding, self.add_category_button, self.remove_category_button = parts.add_remove_row(
            self.category_combo, _("Add category"), _("Remove category"))
        layout.addLayout(adding)

        self.beneficiary_model = BeneficiaryModel(self)
        self.beneficiary_view = QTableView()
        self.beneficiary_view.setModel(self.beneficiary_model)
        self.beneficiary_view.setItemDelegate(CountDelegate(self.beneficiary_view))
        self.beneficiary_view.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        tab_leaves(self.beneficiary_view)  # arrows move between cells, Tab leaves the grid
        self.beneficiary_view.setAccessibleName(_("Beneficiaries"))
        self.totals_model = BeneficiaryTotalsModel(self.beneficiary_model, self)
        self.totals_view = QTableView()
        self.totals_view.setModel(self.totals_model)
        self.totals_view.horizontalHeader().setVisible(False)
        self.totals_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.totals_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.totals_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.totals_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # wide enough for the longest Indonesian name; longer English glosses are cut and
        # shown whole in the header's tooltip, so the count columns keep their room
        header_width = min(
            max(self.fontMetrics().horizontalAdvance(ppks.category_label(c.code))
                for c in ppks.CATEGORIES) + 16,
            self.fontMetrics().horizontalAdvance(ppks.category(7).name) + 40,
            self.fontMetrics().averageCharWidth() * 24,
        )
        self._category_width = header_width
        for view in (self.beneficiary_view, self.totals_view):
            view.verticalHeader().setFixedWidth(header_width)
            view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            view.verticalHeader().setDefaultSectionSize(
                self.fontMetrics().height() + 10
            )
            view.horizontalHeader().setMinimumSectionSize(40)
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        row_height = self.fontMetrics().height() + 10
        self.totals_view.setFixedHeight(row_height + 2 * self.totals_view.frameWidth())
        # The grid keeps its scroll bar; a spacer of the same width keeps the totals row's
        # columns under the grid's.
        self.beneficiary_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        totals_row = QHBoxLayout()
        totals_row.setSpacing(0)
        totals_row.addWidget(self.totals_view, 1)
        totals_row.addSpacing(self.beneficiary_view.verticalScrollBar().sizeHint().width())
        grid_box = QVBoxLayout()
        grid_box.setSpacing(0)
        grid_box.addWidget(self.beneficiary_view, 1)
        grid_box.addLayout(totals_row)
        layout.addLayout(grid_box, 1)
        self.beneficiary_summary = QLabel()
        layout.addWidget(self.beneficiary_summary)

        self.add_category_button.clicked.connect(self.add_selected_category)
        self.remove_category_button.clicked.connect(self.remove_selected_category)
        self._grid_keys = _ListKeys(None, self._clear_or_remove_cell, self)
        self.beneficiary_view.installEventFilter(self._grid_keys)
        self._narrow = _OnResize(self._fit_category_header, self)
        self.beneficiary_view.installEventFilter(self._narrow)
        for signal in (self.beneficiary_model.dataChanged, self.beneficiary_model.rowsInserted,
                       self.beneficiary_model.rowsRemoved, self.beneficiary_model.modelReset):
            signal.connect(self._beneficiaries_changed)
        self._beneficiaries_changed()
        return page

    def _fit_category_header(self) -> None:
        """Each count column gets the width its title needs plus an equal share of the
        rest; the category names give up width before a column title is cut. Stretched
        evenly, nine columns at 150 % scaling with a large font cut "Dewasa" while "Anak"
        had room to spare (a cut name is whole in its tooltip and in the category list)."""
        view = self.beneficiary_view
        header = view.horizontalHeader()
        needs = [header_need(header, section) for section in range(header.count())]
        free = (view.width() - 2 * view.frameWidth()
                - view.verticalScrollBar().sizeHint().width())
        width = max(self.fontMetrics().averageCharWidth() * 8,
                    min(self._category_width, free - sum(needs)))
        share = max(0, free - width - sum(needs)) // max(1, len(needs))
        for table in (view, self.totals_view):
            if table.verticalHeader().width() != width:
                table.verticalHeader().setFixedWidth(width)
            for section, need in enumerate(needs):
                table.horizontalHeader().resizeSection(section, need + share)

    def _build_funds(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(_(
            "Where the money came from, in whole rupiah. Several sources are allowed."
        )))
        layout.addWidget(self._error_for("funds"))
        self.fund_rows: list[FundRow] = []
        holder = QWidget()
        self.fund_layout = flush(QVBoxLayout(holder))
        self.fund_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(holder)
        layout.addWidget(scroll, 1)
        bottom = QHBoxLayout()
        self.add_fund_button = QPushButton(_("Add source of funds"))
        bottom.addWidget(self.add_fund_button)
        bottom.addStretch(1)
        self.funds_total_label = QLabel()
        font = self.funds_total_label.font()
        font.setBold(True)
        self.funds_total_label.setFont(font)
        bottom.addWidget(self.funds_total_label)
        layout.addLayout(bottom)
        # The realisation: the cash entries of the Buku Kas Umum that name this activity.
        self.realisation_label = QLabel()
        self.realisation_label.setWordWrap(True)
        self.realisation_label.setStyleSheet(f"color: {style.MUTED};")
        layout.addWidget(self.realisation_label)
        self.add_fund_button.clicked.connect(lambda: self.add_fund(focus=True))
        self._update_funds_total()
        if self.activity_id:
            activity_id = self.activity_id
            self.ops.query(lambda s: kas_service.activity_funds(s, activity_id),
                           self._alive(self._show_realisation), parent=self)
        return page

    def _show_realisation(self, funds: ActivityFunds) -> None:
        """Planned · received · spent · remaining, from the cash book (read when opened)."""
        self.realisation_label.setText(_(
            "From the Cash Book: received {received} · spent {spent} · remaining {left} "
            "(planned {planned})."
        ).format(received=rupiah(funds.received_total), spent=rupiah(funds.spent_total),
                 left=rupiah(funds.remaining), planned=rupiah(funds.planned_total)))

    def _build_photos(self) -> QWidget:
        self.photo_panel = PhotoPanel(
            self.ops, error=self._error_for("photos"),
            empty_text=_("No photos yet. Add the documentation photos of the activity."))
        self.photo_list = self.photo_panel.list
        self.photo_messages = self.photo_panel.messages
        self.add_photo_files = self.photo_panel.add_files
        self.set_caption = self.photo_panel.set_caption
        self.photo_panel.changed.connect(self._photos_changed)
        return self.photo_panel

    @property
    def photos(self) -> list[Photo]:
        return self.photo_panel.photos

    def _photos_changed(self) -> None:
        count = len(self.photo_panel.photos)
        self.tabs.setTabText(SECTION_PHOTOS, _("Documentation ({n})").format(n=count)
                             if count else _("Documentation"))

    # -- loading ---------------------------------------------------------------------------
    def _alive(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        return alive(self, callback)

    def _show_suggestions(self, suggestions: Suggestions) -> None:
        for combo, values in (
            (self.kind_combo, suggestions.kinds),
            (self.section_combo, suggestions.sections),
            (self.partner_combo, suggestions.partners),
            (self.campaign_combo, suggestions.campaigns),
            (self.place_combo, suggestions.places),
        ):
            text = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(values)
            combo.setEditText(text)
            combo.blockSignals(False)
        self.program_combo.blockSignals(True)
        while self.program_combo.count() > 1:
            self.program_combo.removeItem(1)
        for line_id, label in suggestions.program_lines:
            self.program_combo.addItem(label, line_id)
        self.program_combo.blockSignals(False)
        self._select_program_line(self._program_line)

    def _select_program_line(self, line_id: str) -> None:
        """Show the activity's programme line (kept even before the lines are loaded)."""
        self._program_line = line_id
        self.program_combo.setCurrentIndex(max(self.program_combo.findData(line_id), 0))

    def _load_failed(self, exc: BaseException) -> None:
        show_failure(self, exc)
        self.reject()

    def _loaded(self, result: tuple[Activity, Suggestions | None]) -> None:
        activity, suggestions = result
        if suggestions is not None:
            self._show_suggestions(suggestions)
        self.set_activity(activity)
        self._loading = False
        self._initial = self.activity()
        self.tabs.setEnabled(True)
        self.save_button.setEnabled(True)
        self.title_edit.setFocus()

    def set_activity(self, activity: Activity) -> None:
        """Fill every section from ``activity``."""
        self.version = activity.version
        self.title_edit.setText(activity.title)
        self.kind_combo.setEditText(activity.kind)
        self.status_combo.setCurrentIndex(max(self.status_combo.findData(activity.status), 0))
        self.start_date.set_value(activity.start)
        self.end_date.set_value(activity.end)
        self.place_combo.setEditText(activity.place)
        self.section_combo.setEditText(activity.section)
        self.partner_combo.setEditText(activity.partner)
        self.campaign_combo.setEditText(activity.campaign)
        self._select_program_line(activity.program_line)
        self.description_edit.setPlainText(activity.description)
        self.participants_model.set_rows(
            [Participant(member_id=p.member_id, attended=p.attended, name=p.name, id=p.id)
             for p in activity.participants]
        )
        self.volunteers_spin.setValue(activity.volunteers)
        self.beneficiary_model.set_counts(dict(activity.beneficiaries))
        for row in list(self.fund_rows):
            self._remove_fund(row)
        for fund in activity.funds:
            self.add_fund(fund)
        self.photo_panel.set_photos(activity.photos)

    # -- participants ----------------------------------------------------------------------
    def search_members(self) -> None:
        text = self.member_search.text()
        self.ops.query(
            lambda session: service.search_members(session, text, today=self.today),
            self._alive(self._show_members),
            parent=self,
        )

    def _show_members(self, choices: list[MemberChoice]) -> None:
        self.member_results = list(choices)
        self.member_list.clear()
        listed = {p.member_id for p in self.participants_model.rows}
        for choice in choices:
            text = f"{choice.name} \u2014 {choice.detail}" if choice.detail else choice.name
            item = QListWidgetItem(text)
            if choice.id in listed:
                item.setForeground(QColor(style.MUTED))
                item.setToolTip(_("Already a participant"))
            self.member_list.addItem(item)
        if self.member_list.count():
            self.member_list.setCurrentRow(0)
        elif self.member_search.text().strip():
            item = QListWidgetItem(_("No member matches."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.member_list.addItem(item)

    def _search_enter(self) -> None:
        if self.member_results:
            self.member_list.setCurrentRow(0)
            self.add_selected_members()

    def add_selected_members(self) -> None:
        rows = sorted({index.row() for index in self.member_list.selectedIndexes()})
        if not rows and self.member_list.currentRow() >= 0:
            rows = [self.member_list.currentRow()]
        added = False
        for row in rows:
            if 0 <= row < len(self.member_results):
                added = self.participants_model.add(self.member_results[row]) or added
                item = self.member_list.item(row)
                item.setForeground(QColor(style.MUTED))
        if added:
            last = self.participants_model.rowCount() - 1
            self.participants_view.scrollTo(self.participants_model.index(last, 0))
            self.field_errors["participants"].hide()

    def add_member(self, choice: MemberChoice) -> None:
        self.participants_model.add(choice)

    def remove_selected_participants(self) -> None:
        rows = sorted(
            {index.row() for index in self.participants_view.selectionModel().selectedRows()},
            reverse=True,
        )
        if not rows and self.participants_view.currentIndex().isValid():
            rows = [self.participants_view.currentIndex().row()]
        for row in rows:
            self.participants_model.remove_row(row)

    def _update_people_summary(self, *_args: object) -> None:
        listed = self.participants_model.rowCount()
        self.people_summary.setText(
            _("{listed} members listed, {present} present; {volunteers} volunteers").format(
                listed=number(listed),
                present=number(self.participants_model.attended()),
                volunteers=number(self.volunteers_spin.value()),
            )
        )

    # -- beneficiaries ---------------------------------------------------------------------
    def _beneficiaries_changed(self, *_args: object) -> None:
        in_use = set(self.beneficiary_model.categories)
        current = self.category_combo.currentData()
        self.category_combo.clear()
        for category in ppks.CATEGORIES:
            if category.code not in in_use:
                self.category_combo.addItem(ppks.category_label(category.code), category.code)
        # Nothing is chosen for the secretary: a category picked in advance ("Anak balita
        # terlantar", later "Umum") was added by a quick Tambah without being read.
        found = self.category_combo.findData(current) if current is not None else -1
        self.category_combo.setCurrentIndex(found)
        self._category_chosen()
        counts = self.beneficiary_model.result()
        sexes = rules.by_sex(counts)
        self.beneficiary_summary.setText(
            _("Total {total} beneficiaries: {male} male, {female} female").format(
                total=number(rules.grand_total(counts)),
                male=number(sexes["L"]),
                female=number(sexes["P"]),
            )
        )

    def _category_chosen(self, *_args: object) -> None:
        self.add_category_button.setEnabled(self.category_combo.currentIndex() >= 0)

    def add_category(self, code: int) -> None:
        row = self.beneficiary_model.add_category(code)
        index = self.beneficiary_model.index(row, 0)
        self.beneficiary_view.setCurrentIndex(index)
        self.beneficiary_view.setFocus()

    def add_selected_category(self) -> None:
        code = self.category_combo.currentData()
        if code is not None:
            self.add_category(int(code))

    def remove_selected_category(self) -> None:
        index = self.beneficiary_view.currentIndex()
        if index.isValid():
            self.beneficiary_model.remove_row(index.row())

    def _clear_or_remove_cell(self) -> None:
        index = self.beneficiary_view.currentIndex()
        if index.isValid() and index.column() != TOTAL_COLUMN:
            self.beneficiary_model.setData(index, 0)

    # -- funds -----------------------------------------------------------------------------
    def add_fund(self, fund: Fund | None = None, *, focus: bool = False) -> FundRow:
        row = FundRow(
            fund or Fund(source=rules.SWADAYA, amount=0),
            self._update_funds_total,
            self._remove_fund,
        )
        self.fund_rows.append(row)
        self.fund_layout.insertWidget(self.fund_layout.count() - 1, row)
        self._update_funds_total()
        if focus:
            # Once the row is laid out and shown: the focus then visibly lands on its source
            # (set at once, it went to a row not yet shown and nothing had the focus).
            QTimer.singleShot(0, lambda: self._focus_fund(row))
        return row

    def _focus_fund(self, row: FundRow) -> None:
        if not shiboken6.isValid(row) or row not in self.fund_rows:
            return
        row.source.setFocus(Qt.FocusReason.TabFocusReason)
        parent = row.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            parent.ensureWidgetVisible(row)

    def _remove_fund(self, row: FundRow) -> None:
        if row in self.fund_rows:
            self.fund_rows.remove(row)
            self.fund_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
            self._update_funds_total()

    def _update_funds_total(self) -> None:
        total = sum(int(round(row.amount.value())) for row in self.fund_rows)
        self.funds_total_label.setText(_("Total: {amount}").format(amount=rupiah(total)))

    # -- saving ----------------------------------------------------------------------------
    def activity(self) -> Activity:
        """What the form holds, as a domain record (not yet validated)."""
        return Activity(
            id=self.activity_id,
            version=self.version,
            title=self.title_edit.text().strip(),
            kind=self.kind_combo.currentText().strip(),
            status=self.status_combo.currentData() or rules.RENCANA,
            start=self.start_date.value(),
            end=self.end_date.value(),
            place=self.place_combo.currentText().strip(),
            section=self.section_combo.currentText().strip(),
            partner=self.partner_combo.currentText().strip(),
            campaign=self.campaign_combo.currentText().strip(),
            description=self.description_edit.toPlainText().strip(),
            participants=[
                Participant(member_id=p.member_id, attended=p.attended, name=p.name, id=p.id)
                for p in self.participants_model.rows
            ],
            volunteers=self.volunteers_spin.value(),
            beneficiaries=self.beneficiary_model.result(),
            funds=[row.fund() for row in self.fund_rows],
            photos=list(self.photos),
            program_line=self._chosen_program_line(),
        )

    def _chosen_program_line(self) -> str:
        chosen = self.program_combo.currentData() or ""
        # a line not (yet) in the list stays as it was: the list loads after the activity
        return chosen or (self._program_line if self.program_combo.count() == 1 else "")

    def clear_errors(self) -> None:
        self.banner.hide()
        for label in self.field_errors.values():
            label.hide()

    def show_field_error(self, error: ValidationError) -> None:
        """Bring the field's section forward, focus it and put the message beside it."""
        self.clear_errors()
        section, widget = self.field_widgets.get(error.field or "", (None, None))
        label = self.field_errors.get(error.field or "")
        if section is not None and widget is not None:
            self.tabs.setCurrentIndex(section)
            widget.setFocus()
        if label is not None:
            label.setText(error.message)
            label.show()
        else:
            self.banner.setText(error.message)
            self.banner.show()

    def save(self) -> None:
        if self._saving or self.photo_panel.busy or self._loading:
            return
        self.clear_errors()
        activity = self.activity()
        try:
            activity.validate(self.today)
        except ValidationError as error:
            self.show_field_error(error)
            return
        self._saving = True
        self.save_button.setEnabled(False)
        today = self.today

        def done(activity_id: str) -> None:
            self._saving = False
            self.saved_id = activity_id
            self.saved_start = activity.start
            self.accept()

        def failed(exc: BaseException) -> None:
            self._saving = False
            self.save_button.setEnabled(True)
            if isinstance(exc, ValidationError):
                self.show_field_error(exc)
            else:
                show_failure(self, exc)

        self.ops.write(
            lambda session: service.save(session, activity, today=today),
            self._alive(done),
            on_failed=self._alive(failed),
            parent=self,
        )

    def has_changes(self) -> bool:
        return not self._loading and self.activity() != self._initial

    def has_typed_input(self) -> bool:
        return self.has_changes()

    def reject(self) -> None:
        if self._saving:
            return  # a save is running: its answer closes the dialog
        super().reject()  # AskBeforeDiscard asks when something changed

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            event.accept()  # no default button: Enter never saves by accident
            return
        super().keyPressEvent(event)

    def done(self, result: int) -> None:
        """Closing: later worker results are dropped (their widgets may be gone)."""
        self._closing = True
        self._member_timer.stop()
        super().done(result)

