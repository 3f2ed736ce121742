"""Konflik (receiver): two versions of one record that disagreed, side by side.

A conflict is two different rows with the same version number: a restored backup, or a
second laptop of the same village. The merge already decided by fixed rules (a removal
beats an edit, then the later edit, then a content key) and kept the loser here; the officer
reads both, talks to the village if it matters, and marks the conflict as seen. The village
remains the only writer of its records, so the fix, if one is needed, is made there and
arrives with its next bundle.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QWidget,
)

from kt_desktop import regions
from kt_desktop.gui.models.rows import RowsModel
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.base import SidebarPage
from kt_desktop.gui.pages.send_data import local_time
from kt_desktop.gui.widgets import list_parts as parts
from kt_desktop.gui.widgets import style
from kt_desktop.gui.widgets.list_parts import record_table
from kt_desktop.gui.widgets.page_header import page_column
from kt_desktop.i18n import N_, _
from kt_desktop.services import bundles
from kt_desktop.store.bundles import ConflictRecord

HEADERS = (
    N_("Village"),
    N_("Book"),
    N_("Record name"),
    N_("Bundle"),
    N_("Rule"),
    N_("Found"),
    N_("Status"),
)
REASONS = {
    "tombstone": N_("a removal beats an edit of the same version"),
    "newer_time": N_("the later edit wins"),
    "device": N_("same version and time: decided by content"),
}
#: Readable names for the columns the record books use (others show their own name).
COLUMN_LABELS = {
    "id": N_("Record ID"),
    "village_code": N_("Village code"),
    "version": N_("Version"),
    "updated_at": N_("Last changed"),
    "deleted_at": N_("Removed on"),
    "name": N_("Name"),
    "nik": N_("NIK"),
    "birth_place": N_("Place of birth"),
    "birth_date": N_("Date of birth"),
    "sex": N_("Sex"),
    "religion": N_("Religion"),
    "dusun": N_("Dusun"),
    "rt": N_("RT"),
    "rw": N_("RW"),
    "address": N_("Address"),
    "education": N_("Education"),
    "occupation": N_("Occupation"),
    "phone": N_("Phone"),
    "status": N_("Status"),
    "position": N_("Position"),
    "notes": N_("Notes"),
    "title": N_("Title"),
    "kind": N_("Kind"),
    "start_date": N_("Start date"),
    "end_date": N_("End date"),
    "place": N_("Place"),
    "description": N_("Description"),
    "caption": N_("Caption"),
    "amount": N_("Amount"),
    "count": N_("Count"),
    "date": N_("Date"),
    "topic": N_("Topic"),
    "month": N_("Month"),
    "nik_missing_reason": N_("Reason for no NIK"),
    "skills": N_("Skills"),
    "disability": N_("Disability"),
    "disability_kind": N_("Kind of disability"),
    "left_on": N_("Left on"),
    "left_reason": N_("Reason for leaving"),
    "joined_on": N_("Joined on"),
    "seksi": N_("Seksi"),
    "position_start": N_("Position since"),
    "position_end": N_("Position until"),
    "guardian_name": N_("Guardian"),
    "guardian_relation": N_("Guardian's relation"),
    "consent_on": N_("Consent given on"),
    "confirmed_mismatch": N_("NIK mismatch confirmed"),
    "section": N_("Seksi"),
    "partner": N_("Partner"),
    "campaign": N_("Campaign"),
    "volunteers": N_("Volunteers"),
    "ppks": N_("PPKS category"),
    "age_band": N_("Age group"),
    "source": N_("Source of funds"),
    "note": N_("Note"),
    "original_name": N_("Original file name"),
    "hours": N_("Hours"),
}
#: Timestamps are shown in the laptop's time, as everywhere else in the program.
TIME_COLUMNS = ("updated_at", "deleted_at")
#: Columns that name a record well enough for a list, in order of preference.
LABEL_COLUMNS = ("name", "title", "topic", "number", "month", "caption", "source")
LIMIT = 500


def record_label(conflict: ConflictRecord) -> str:
    for version in (conflict.kept, conflict.lost):
        for column in LABEL_COLUMNS:
            value = version.get(column)
            if value:
                return str(value)
    return conflict.record_id[:8]


class ConflictListModel(RowsModel[ConflictRecord]):
    headers = HEADERS

    def display(self, item: ConflictRecord, row: int, column: int) -> str | None:
        if column == 0:
            region = regions.get(item.village_code)
            return f"{item.village_code} {region.name if region else ''}".strip()
        if column == 1:
            return _(bundles.book_of(item.table_name))
        if column == 2:
            return record_label(item)
        if column == 3:
            return str(item.bundle_seq) if item.bundle_seq is not None else "—"
        if column == 4:
            return _(REASONS.get(item.reason, item.reason))
        if column == 5:
            return local_time(item.detected_at)
        if column == 6:
            return _("seen") if item.decided else _("open")
        return None

    def extra(self, item: ConflictRecord, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == 6 and not item.decided:
            return QColor(style.ERROR)
        return None


Comparison = tuple[str, str, str]  # column name, version kept, version that lost


class ComparisonModel(RowsModel[Comparison]):
    """Column by column: the version kept and the version that lost; differences marked."""

    headers = (N_("Column"), N_("Version kept"), N_("Version that lost"))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.keys: list[str] = []

    def show_conflict(self, conflict: ConflictRecord | None) -> None:
        """The columns that differ first, then the rest; readable column names."""
        rows: list[Comparison] = []
        if conflict is not None:
            columns = list(conflict.kept) + [c for c in conflict.lost if c not in conflict.kept]
            rows = [
                (
                    column,
                    _shown(conflict.kept.get(column), column),
                    _shown(conflict.lost.get(column), column),
                )
                for column in columns
            ]
            rows.sort(key=lambda row: row[1] == row[2])  # stable: differences on top
        self.keys = [row[0] for row in rows]
        self.set_rows([
            (_(COLUMN_LABELS[key]) if key in COLUMN_LABELS else key, kept, lost)
            for key, kept, lost in rows
        ])

    def display(self, item: Comparison, row: int, column: int) -> str | None:
        return item[column] if 0 <= column < len(item) else None

    def extra(self, item: Comparison, column: int, role: int) -> Any:
        differs = item[1] != item[2]
        if role == Qt.ItemDataRole.BackgroundRole and differs:
            return QColor(style.WARNING_BG)
        if role == Qt.ItemDataRole.ForegroundRole and not differs:
            return QColor(style.MUTED)
        if role == Qt.ItemDataRole.FontRole and differs and column == 0:
            font = QFont()
            font.setBold(True)
            return font
        return None


def _shown(value: Any, column: str) -> str:
    if value is None:
        return "—"
    if column in TIME_COLUMNS and isinstance(value, str):
        return local_time(value)
    return str(value)


class ReceiverConflictsPage(SidebarPage):
    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(ops, parent)
        layout, self.header = page_column(self, _("Conflicts"), _(
            "Two versions of one record that disagree (a village restored a backup, or "
            "uses two laptops). The program already chose one by fixed rules and kept the "
            "other here, so nothing is lost. If the wrong one was kept, ask the village "
            "to correct it: it arrives with their next bundle."
        ))
        top = QHBoxLayout()
        self.show_seen = QCheckBox(_("Also show the ones already &seen"))
        self.show_seen.toggled.connect(self.refresh)
        top.addWidget(self.show_seen)
        top.addStretch(1)
        self.count = QLabel()
        top.addWidget(self.count)
        layout.addLayout(top)

        splitter = QSplitter(Qt.Orientation.Vertical)
        self.list_model = ConflictListModel(self)
        self.list_view = record_table(self.list_model, sortable=False, fit_contents=True)
        splitter.addWidget(self.list_view)
        self.comparison = ComparisonModel(self)
        self.comparison_view = QTableView()
        self.comparison_view.setModel(self.comparison)
        self.comparison_view.verticalHeader().hide()
        self.comparison_view.setWordWrap(True)
        compare_header = self.comparison_view.horizontalHeader()
        compare_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        compare_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        compare_header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        splitter.addWidget(self.comparison_view)
        splitter.setSizes([240, 320])
        layout.addWidget(splitter, 1)

        bottom, self.note, self.seen_button = parts.note_and_button(
            "check-circle", _("&Mark as seen"), self.mark_seen)
        layout.addLayout(bottom)
        self.list_view.selectionModel().currentRowChanged.connect(self._chosen)
        self.refresh()


    def refresh(self) -> None:
        open_only = not self.show_seen.isChecked()
        self.ops.query(
            lambda session: bundles.conflicts(session, open_only=open_only, limit=LIMIT),
            self._alive(self._loaded),
            parent=self,
        )

    def _loaded(self, rows: list[ConflictRecord]) -> None:
        self.list_model.set_rows(rows)
        open_count = sum(1 for row in rows if not row.decided)
        self.count.setText(_("{count} open").format(count=open_count))
        self.note.setText(
            _("Showing the newest {limit}.").format(limit=LIMIT)
            if len(rows) >= LIMIT
            else ("" if rows else _("No conflicts: every village's records agree."))
        )
        if rows:
            self.list_view.selectRow(0)
        else:
            self.comparison.show_conflict(None)
        self._update_button()

    def _current(self) -> ConflictRecord | None:
        index = self.list_view.currentIndex()
        if not index.isValid() or index.row() >= len(self.list_model.rows):
            return None
        return self.list_model.rows[index.row()]

    def _chosen(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self.comparison.show_conflict(self._current())
        self._update_button()

    def _update_button(self) -> None:
        conflict = self._current()
        self.seen_button.setEnabled(conflict is not None and not conflict.decided)

    def mark_seen(self) -> None:
        conflict = self._current()
        if conflict is None:
            return
        self.ops.write(
            lambda session: bundles.acknowledge_conflict(session, conflict.id),
            self._alive(lambda _done: self.refresh()),
            parent=self,
        )
