"""Peringkat: the villages of the area ranked by the self-assessment their bundles allow,
filterable by kabupaten/kota, and the villages whose books have gone quiet.

The indicators are those of each village's own Kelengkapan page (``services.assessment``),
counted from what the bundles carried; a selected village shows its six aspects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from kt_desktop.domain.assessment import ASPECTS, NO_OFFICIAL_TABLE, aspect_label, class_label
from kt_desktop.domain.formats import date_short, number
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.base import SidebarPage
from kt_desktop.gui.widgets import list_parts as parts
from kt_desktop.gui.widgets.columns import keep_main_column
from kt_desktop.gui.widgets.flow import fit_combos, flow_row
from kt_desktop.gui.widgets.labels import muted_label
from kt_desktop.gui.widgets.page_header import page_column
from kt_desktop.i18n import N_, _
from kt_desktop.services import assessment as service
from kt_desktop.services import receiver
from kt_desktop.services.assessment import VillageScore

COLUMNS = (N_("No"), N_("Village"), N_("Karang Taruna"), N_("Score"), N_("Class"),
           N_("Last written"))


class ReceiverRankingPage(SidebarPage):
    today_here = staticmethod(receiver.today_here)

    def __init__(self, ops: Ops, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(ops, parent, today=today)
        self.scores: list[VillageScore] = []
        layout, self.header = page_column(self, _("Ranking"), _(
            "The villages by the self-assessment their bundles allow: the same indicators as "
            "each village's own Completeness page.") + " " + _(NO_OFFICIAL_TABLE))
        bar_row, bar = flow_row()
        self.area = QComboBox()
        self.area.addItem(_("The whole area"), None)
        self.area.setToolTip(_("Kabupaten/kota"))
        self.area.activated.connect(lambda _i: self.reload())
        bar.addWidget(self.area)
        self.count = muted_label()
        bar.addWidget(self.count)
        layout.addWidget(bar_row)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([_(text) for text in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        keep_main_column(self.table, 1)  # the village's name keeps a readable width
        self.table.itemSelectionChanged.connect(self._show_village)
        layout.addWidget(self.table, 3)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        layout.addWidget(self.detail)
        self.quiet = muted_label()
        layout.addWidget(self.quiet)
        self._fill_regencies()
        self.reload()

    def _alive(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        return parts.alive(self, callback)

    def _fill_regencies(self) -> None:
        def fill(found: list[tuple[str, str]]) -> None:
            for code, name in found:
                self.area.addItem(name, code)
            fit_combos(self.area)

        self.ops.query(service.regencies, self._alive(fill), parent=self)

    def refresh(self) -> None:
        self.reload()

    def reload(self) -> None:
        area, today = self.area.currentData(), self.today
        self.ops.query(lambda s: service.ranking(s, area, today=today),
                       self._alive(self.show_scores), parent=self)

    def show_scores(self, scores: list[VillageScore]) -> None:
        self.scores = scores
        self.table.setRowCount(len(scores))
        for row, score in enumerate(scores):
            cells = [number(row + 1), score.name, score.kt_name,
                     number(round(score.assessment.total, 1)),
                     class_label(score.assessment.klass),
                     date_short(score.last_written) if score.last_written else "–"]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (0, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if column == 1:
                    item.setToolTip(score.code)
                self.table.setItem(row, column, item)
        self.count.setText(_("{count} villages sent data").format(count=number(len(scores))))
        quiet = service.quiet_villages(scores, self.today)
        self.quiet.setText(_("Books gone quiet (nothing written in {days} days): {names}").format(
            days=service.QUIET_DAYS, names=", ".join(s.name for s in quiet)) if quiet
            else _("No village's books have gone quiet."))
        self.detail.setText(_("Select a village to see its six aspects.") if scores
                            else _("No village has sent data yet."))

    def _show_village(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.scores):
            return
        score = self.scores[rows[0].row()]
        parts_text = "; ".join(
            f"{aspect_label(key)} {number(round(score.assessment.aspect_score(key), 1))}"
            for key, _label in ASPECTS)
        self.detail.setText(f"{score.name}: {parts_text}.")
