"""Pelatihan: the trainings list with its filters, and the selected training in five tabs.

Keyboard habits are those of the member register: Ctrl+N adds, Enter changes, Delete removes
after a confirmation naming the training, Ctrl+F searches (Esc clears the search). The list
is filtered, searched and sorted in SQL on a worker and paged into the model; the tabs show
one read of the selected training (:func:`kt_desktop.services.trainings.detail`).

Unsaved attendance is never dropped: it is saved when another training is selected, when the
page is left, and when the window closes (the save is queued on the writer before the window
waits for it and closes the file).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QItemSelection, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain import clock
from kt_desktop.domain.formats import number, rupiah
from kt_desktop.domain.trainings import (
    FINISHED,
    FOLLOW_UP_DUE,
    FUNDING_SOURCES,
    PLANNED,
    RUNNING,
    STATUS_LABELS,
    TRAINING_KINDS,
    TrainingFilter,
)
from kt_desktop.gui.dialogs.training_form import TrainingForm
from kt_desktop.gui.models.training_table import DATES, TITLE, TrainingTableModel, date_range
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.base import SidebarPage
from kt_desktop.gui.pages.training_tabs import (
    AttendanceTab,
    CompletionTab,
    FollowUpTab,
    ParticipantsTab,
    SessionsTab,
    TrainingTab,
)
from kt_desktop.gui.widgets import icons, style
from kt_desktop.gui.widgets import list_parts as parts
from kt_desktop.gui.widgets.columns import keep_main_column
from kt_desktop.gui.widgets.confirm import confirm
from kt_desktop.gui.widgets.flow import fit_combos, flow_row
from kt_desktop.gui.widgets.labels import ElidedLabel, muted_label
from kt_desktop.gui.widgets.page_header import page_column
from kt_desktop.i18n import _, ngettext
from kt_desktop.services import trainings as service
from kt_desktop.services.trainings import TrainingDetail

SEARCH_DELAY_MS = 150


class TrainingsPage(SidebarPage):
    def __init__(
        self, ops: Ops, parent: QWidget | None = None, *, today: dt.date | None = None
    ) -> None:
        super().__init__(ops, parent, today=today)
        self._fixed_today = today
        #: The training form while it is open (window-modal).
        self.form: TrainingForm | None = None
        self.sort_key = "start_date"
        self.descending = True
        self.current_id: str | None = None
        self.detail: TrainingDetail | None = None
        self._detail_generation = 0
        self._watched: QWidget | None = None

        layout, self.header = page_column(self, _("Trainings"), _(
            "Each training's sessions, participants, attendance, results and follow-ups."),
            scrolls=True)
        head = self.header.row
        head.addStretch(1)
        self.due_button = QPushButton()
        self.due_button.setFlat(True)
        self.due_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.due_button.setStyleSheet(f"color: {style.ERROR}; text-decoration: underline;")
        self.due_button.setVisible(False)
        self.due_button.setToolTip(_(
            "Show the trainings whose graduates are due for a follow-up: what they do 3 and "
            "6 months after the training"
        ))
        self.due_button.clicked.connect(self.show_due)
        head.addWidget(self.due_button)
        self.count = QLabel()
        self.count.setStyleSheet(f"color: {style.MUTED};")
        head.addWidget(self.count)

        bar_row, bar = flow_row()
        self.add_button = self._tool(_("Add"), "", _("Record a new training (Ctrl+N)"),
                                     self.add)
        self.edit_button = self._tool(
            _("Change"), "",
            _("Change the selected training: title, dates, partner, trainer, cost (Enter)"),
            self.edit,
        )
        self.remove_button = self._tool(
            _("Remove"), "",
            _("Remove the selected training with its sessions and participants (Delete)"),
            self.remove,
        )
        for button in (self.add_button, self.edit_button, self.remove_button):
            bar.addWidget(button)
        bar.addSpacing(12)
        self.search = parts.search_field(_("Search title, skill, partner, trainer… (Ctrl+F)"), 0)
        bar.addWidget(self.search, 2)
        self.year = QComboBox()
        self.year.setMinimumContentsLength(10)
        self.status = QComboBox()
        self.status.addItem(_("All statuses"), None)
        for code in (PLANNED, RUNNING, FINISHED):
            self.status.addItem(_(STATUS_LABELS[code]), code)
        self.status.addItem(_("Follow-ups due"), FOLLOW_UP_DUE)
        self.skill = QComboBox()
        self.skill.setMinimumContentsLength(14)
        self.skill.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        for combo, name in ((self.year, _("Year")), (self.status, _("Status")),
                            (self.skill, _("Skill"))):
            combo.setAccessibleName(name)
            bar.addWidget(combo, 1)
        fit_combos(self.year, self.status, self.skill)
        self.header.add_toolbar(bar_row)
        self._fill_filters([], [])

        self.model = TrainingTableModel(self)
        self.table = parts.record_table(self.model)
        self.table.horizontalHeader().setSortIndicator(DATES, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        keep_main_column(self.table, TITLE)
        self.empty = muted_label()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)

        detail_box = QWidget()
        detail_layout = QVBoxLayout(detail_box)
        detail_layout.setContentsMargins(0, 4, 0, 0)
        detail_layout.setSpacing(4)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        detail_layout.addWidget(self.heading)
        # One line, cut with "…" (whole in its tooltip): wrapped into three lines on a
        # netbook it left the attendance sheet no room for a single row.
        self.facts = ElidedLabel()
        self.facts.setStyleSheet(f"color: {style.MUTED};")
        detail_layout.addWidget(self.facts)
        self.tabs = QTabWidget()
        self.sessions_tab = SessionsTab(ops)
        self.participants_tab = ParticipantsTab(ops)
        self.attendance_tab = AttendanceTab(ops)
        self.completion_tab = CompletionTab(ops)
        self.follow_up_tab = FollowUpTab(ops)
        self.tab_list: list[TrainingTab] = [
            self.sessions_tab, self.participants_tab, self.attendance_tab, self.completion_tab,
            self.follow_up_tab,
        ]
        for tab, title in zip(
            self.tab_list,
            (_("Sessions"), _("Participants"), _("Attendance sheet"), _("Completion"),
             _("Follow-ups")),
            strict=True,
        ):
            self.tabs.addTab(tab, title)
            tab.changed.connect(self._tab_changed)
        detail_layout.addWidget(self.tabs, 1)
        self._choose_hint = _("Choose a training in the list to see its sessions, "
                              "participants, attendance, completion and follow-ups.")
        self.no_detail = muted_label(self._choose_hint)
        self.no_detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail_stack = QStackedWidget()
        self.detail_stack.addWidget(self.no_detail)
        self.detail_stack.addWidget(detail_box)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(self.detail_stack)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setSizes([170, 490])  # the detail's tabs need room on 600 px screens
        layout.addWidget(self.splitter, 1)

        self.search_timer = parts.search_as_you_type(self, self.search, self.reload, SEARCH_DELAY_MS)
        for combo in (self.year, self.status, self.skill):
            combo.currentIndexChanged.connect(lambda _index: self.reload())
        self.model.more_wanted.connect(self._fetch_more)
        self.model.sort_wanted.connect(self._sort)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.activated.connect(lambda _index: self.edit())

        self.shortcuts = [
            self._shortcut(QKeySequence.StandardKey.New, self.add, self),
            self._shortcut(QKeySequence.StandardKey.Find, self._focus_search, self),
            self._shortcut(QKeySequence.StandardKey.Delete, self.remove, self.table,
                           Qt.ShortcutContext.WidgetShortcut),
            self._shortcut(QKeySequence(Qt.Key.Key_Escape), self.search.clear, self.search,
                           Qt.ShortcutContext.WidgetShortcut),
        ]
        self._update_buttons()
        self.refresh()

    # -- building ------------------------------------------------------------------------------
    def _tool(self, text: str, icon: str, tip: str, slot: Any) -> QPushButton:
        """A toolbar button. Tambah, Ubah and Hapus carry no icon, as on Anggota and Kegiatan
        (a wrench on Tambah and a warning triangle on Hapus meant nothing there)."""
        button = QPushButton(icons.icon(icon), text) if icon else QPushButton(text)
        button.setToolTip(tip)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _shortcut(
        self, sequence: QKeySequence | QKeySequence.StandardKey, slot: Any, owner: QWidget,
        context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut,
    ) -> QShortcut:
        shortcut = QShortcut(QKeySequence(sequence), owner)
        shortcut.setContext(context)
        shortcut.activated.connect(slot)
        return shortcut

    def shortcuts_hint(self) -> str:
        return _("Ctrl+N add · Enter change · Delete remove · Ctrl+F search")

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _fill_filters(self, years: list[int], skills: list[str]) -> None:
        for combo, items, everything in (
            (self.year, [(str(y), y) for y in years], _("All years")),
            (self.skill, [(s, s) for s in skills], _("All skill fields")),
        ):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for text, value in items:
                combo.addItem(text, value)
            index = combo.findData(chosen) if chosen is not None else 0
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    # -- the list ------------------------------------------------------------------------------
    def filter(self) -> TrainingFilter:
        return TrainingFilter(
            year=self.year.currentData(),
            status=self.status.currentData(),
            skill_field=self.skill.currentData(),
            search=self.search.text(),
        )

    def _filtered(self) -> bool:
        flt = self.filter()
        return bool(flt.year or flt.status or flt.skill_field or flt.search.strip())

    def refresh(self) -> None:
        """Called when the page is shown again: filters, list, detail, follow-ups due."""
        self.today = self._fixed_today or clock.today()

        def choices(found: object) -> None:
            if shiboken6.isValid(self):
                assert isinstance(found, service.FilterChoices)
                self._fill_filters(found.years, found.skill_fields)

        self.ops.query(service.filter_choices, choices, parent=self)
        self.ops.query(lambda session: service.follow_ups_due(session, self.today),
                       self._show_due_count, parent=self)
        self.reload()

    def reload(self) -> None:
        """Read the first page again for the current filter, search and sort."""
        generation = self.model.new_generation()
        flt, today, sort, descending = self.filter(), self.today, self.sort_key, self.descending

        def read(session: Any) -> tuple[list[service.TrainingSummary], int]:
            rows = service.list_trainings(session, flt, today=today, sort=sort,
                                          descending=descending)
            return rows, service.count_trainings(session, flt, today=today)

        def done(result: object) -> None:
            if not shiboken6.isValid(self) or generation != self.model.generation:
                return
            rows, total = result  # type: ignore[misc]
            self.model.reset_rows(rows, total, today)
            self._after_reload()

        self.ops.query(read, done, parent=self)

    def _fetch_more(self, offset: int) -> None:
        generation = self.model.generation
        flt, today, sort, descending = self.filter(), self.today, self.sort_key, self.descending

        def done(rows: object) -> None:
            if shiboken6.isValid(self):
                assert isinstance(rows, list)
                self.model.append_rows(rows, generation)

        self.ops.query(
            lambda session: service.list_trainings(session, flt, today=today, offset=offset,
                                                   sort=sort, descending=descending),
            done, parent=self,
        )

    def _sort(self, key: str, descending: bool) -> None:
        self.sort_key, self.descending = key, descending
        self.reload()

    def _after_reload(self) -> None:
        total = self.model.total
        self.count.setText(
            ngettext("{count} training", "{count} trainings", total).format(count=number(total))
        )
        # "Choose a training in the list" under an empty list points at nothing.
        self.no_detail.setText(self._choose_hint if total else "")
        if total:
            self.list_stack.setCurrentWidget(self.table)
        else:
            self.empty.setText(
                _("No training matches the search or filters.") if self._filtered()
                else _("No trainings yet — press Ctrl+N to record a training")
            )
            self.list_stack.setCurrentWidget(self.empty)
        row = self.model.row_of(self.current_id) if self.current_id else -1
        if row < 0 and self.model.rowCount() and self.current_id is None:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        else:
            self._select(None)
        self._update_buttons()

    def _show_due_count(self, due: object) -> None:
        if not shiboken6.isValid(self):
            return
        assert isinstance(due, list)
        self.due_button.setText(
            ngettext("{count} follow-up due", "{count} follow-ups due", len(due)).format(
                count=number(len(due))
            )
        )
        self.due_button.setVisible(bool(due))

    def show_due(self) -> None:
        self.status.setCurrentIndex(self.status.findData(FOLLOW_UP_DUE))

    # -- selection and detail --------------------------------------------------------------
    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        summary = self.model.summary(rows[0].row()) if rows else None
        self._select(summary.id if summary else None)

    def _select(self, training_id: str | None) -> None:
        if training_id == self.current_id and (training_id is None or self.detail is not None):
            self._update_buttons()
            return
        self.save_pending_attendance()
        self.current_id = training_id
        self.detail = None
        self._update_buttons()
        if training_id is None:
            self.detail_stack.setCurrentWidget(self.no_detail)
            for tab in self.tab_list:
                tab.show_detail(None, self.today)
            return
        self.load_detail()

    def load_detail(self) -> None:
        training_id = self.current_id
        if training_id is None:
            return
        self._detail_generation += 1
        generation = self._detail_generation
        today = self.today

        def done(detail: object) -> None:
            if not shiboken6.isValid(self) or generation != self._detail_generation:
                return
            assert isinstance(detail, TrainingDetail)
            self.detail = detail
            self._show_detail(detail)

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self) and generation == self._detail_generation:
                self.current_id = None
                self.reload()

        self.ops.query(lambda session: service.detail(session, training_id, today=today), done,
                       on_failed=failed, parent=self)

    def _show_detail(self, detail: TrainingDetail) -> None:
        training = detail.training
        assert training.start_date and training.end_date
        facts = [
            training.skill_field,
            _(TRAINING_KINDS.get(training.kind, training.kind)),
            date_range(training.start_date, training.end_date),
        ]
        if training.partner:
            facts.append(_("partner: {partner}").format(partner=training.partner))
        if training.trainer:
            facts.append(_("trainer: {trainer}").format(trainer=training.trainer))
        if training.place:
            facts.append(training.place)
        if training.cost:
            source = _(FUNDING_SOURCES.get(training.funding_source, ""))
            facts.append(f"{rupiah(training.cost)} ({source})" if training.funding_source
                         else rupiah(training.cost))
        self.heading.setText(training.title)
        self.facts.set_full_text(" · ".join(fact for fact in facts if fact))
        for tab in self.tab_list:
            tab.show_detail(detail, self.today)
        self.detail_stack.setCurrentIndex(1)

    def _tab_changed(self) -> None:
        self.load_detail()
        self.reload()
        self.ops.query(lambda session: service.follow_ups_due(session, self.today),
                       self._show_due_count, parent=self)

    def _update_buttons(self) -> None:
        has = self.current_id is not None
        self.edit_button.setEnabled(has)
        self.remove_button.setEnabled(has)

    # -- actions -------------------------------------------------------------------------------
    def _skill_choices(self, then: Any) -> None:
        def done(choices: object) -> None:
            if shiboken6.isValid(self):
                then(choices)

        self.ops.query(service.skill_field_choices, done, parent=self)

    def _open_form(self, form: TrainingForm) -> None:
        self.form = form

        def finished(result: int) -> None:
            if self.form is form:
                self.form = None
            form.deleteLater()
            if result != TrainingForm.DialogCode.Accepted or not form.saved_id:
                return
            self.current_id = form.saved_id
            self.detail = None
            self.refresh()
            self.load_detail()

        form.finished.connect(finished)
        form.open()

    def add(self) -> None:
        if self.form is not None:
            return
        self._skill_choices(lambda choices: self._open_form(
            TrainingForm(self.ops, choices, parent=self)
        ))

    def edit(self) -> None:
        if self.detail is None:
            return
        if self.form is not None:
            return
        training = self.detail.training
        self._skill_choices(lambda choices: self._open_form(
            TrainingForm(self.ops, choices, training, parent=self)
        ))

    def remove(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        summary = self.model.summary(rows[0].row()) if rows else None
        if summary is None:
            return
        text = _("Remove the training “{title}” with its {sessions} sessions and {participants} "
                 "participants? Attendance and follow-ups are removed too; certificate numbers "
                 "are retired, never reused.").format(
            title=summary.title, sessions=number(summary.sessions),
            participants=number(summary.participants),
        )
        if not confirm(self, _("Remove training"), text, _("Remove")):
            return
        training_id = summary.id

        def done(_removed: object) -> None:
            if shiboken6.isValid(self):
                self.current_id = None
                self.detail = None
                self.refresh()

        self.attendance_tab.grid.model.load([], [], {})  # nothing left to save for it
        self.ops.write(lambda session: service.remove_training(session, training_id), done,
                       parent=self)

    # -- never lose typed attendance -------------------------------------------------------
    def save_pending_attendance(self) -> None:
        pending = self.attendance_tab.pending()
        if pending is None:
            return
        training_id, changes = pending
        self.attendance_tab.grid.saved(changes)
        self.ops.write(lambda session: service.save_attendance(session, training_id, changes),
                       parent=self)

    def hideEvent(self, event: Any) -> None:
        if self.isVisible() is False and self.window().isVisible():
            self.save_pending_attendance()
        super().hideEvent(event)

    def showEvent(self, event: Any) -> None:
        window = self.window()
        if window is not self and window is not self._watched:
            if self._watched is not None:
                self._watched.removeEventFilter(self)
            window.installEventFilter(self)
            self._watched = window
        super().showEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._watched and event.type() == QEvent.Type.Close:
            # Queued before the window waits for the writer and closes the file.
            self.save_pending_attendance()
        return False

