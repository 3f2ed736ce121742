"""Rekap Nasional: the national file's recap of the provinces' aggregates (docs/NATIONAL.md).

One line per province and the total of Indonesia for a year: villages, villages active,
activities, beneficiaries, trainings, graduates and funds. Read from ``national_counts``
(a few hundred thousand rows for 38 province-years), summed by SQL.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from kt_desktop.domain.formats import number, rupiah
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.widgets.labels import muted_label
from kt_desktop.gui.widgets.page_header import page_column
from kt_desktop.i18n import N_, _
from kt_desktop.services import national

COLUMNS = (N_("Province"), N_("Villages"), N_("Active"), N_("Activities"),
           N_("Beneficiaries"), N_("Trainings"), N_("Graduates"), N_("Funds"))


class NationalSummaryPage(QWidget):
    """The national recap of one year."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.recap: national.NationalRecap | None = None
        #: What is shown, once read (the benchmark waits for it, as for the Rekap).
        self.data: national.NationalRecap | None = None
        layout, self.header = page_column(self, _("National summary"), _(
            "The provinces' aggregates: counts only, no names and no NIK. Import a "
            "province's .kta file on the Import page."))
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Year")))
        self.year = QComboBox()
        row.addWidget(self.year)
        row.addStretch(1)
        layout.addLayout(row)
        self.total = muted_label()
        layout.addWidget(self.total)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([_(name) for name in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        # every column as wide as its text (a small screen scrolls the table, never cuts it)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.year.currentIndexChanged.connect(self.show_year)
        self.refresh()

    def refresh(self) -> None:
        """Read the years again (an import may have added one) and show the chosen one."""
        chosen = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        for year in national.recap_years(self.ops.session):
            self.year.addItem(str(year), year)
        index = self.year.findData(chosen)
        self.year.setCurrentIndex(max(0, index))
        self.year.blockSignals(False)
        self.show_year()

    def show_year(self) -> None:
        year = self.year.currentData()
        recap = national.national_recap(self.ops.session, year)
        self.recap = self.data = recap
        rows = [(line.name, line.villages, line.reporting, line.figures) for line in
                recap.provinces]
        total: dict[tuple[str, str], int] = {}
        for line in recap.provinces:
            for item, value in line.figures.items():
                total[item] = total.get(item, 0) + value
        if rows:
            rows.append(("Indonesia", recap.villages, recap.reporting, total))
        self.table.setRowCount(len(rows))
        for position, (name, villages, active, figures) in enumerate(rows):
            values = [name, number(villages), number(active),
                      number(sum(v for (m, _k), v in figures.items() if m == "act")),
                      number(sum(v for (m, _k), v in figures.items() if m == "ben")),
                      number(figures.get(("train", "trainings"), 0)),
                      number(figures.get(("train", "graduates"), 0)),
                      rupiah(sum(v for (m, _k), v in figures.items() if m == "fund"))]
            for column, value in enumerate(values):
                self.table.setItem(position, column, QTableWidgetItem(value))
        self.total.setText(_("{count} of 38 provinces imported for {year}.").format(
            count=len(recap.provinces), year=recap.year) if recap.provinces else _(
            "No province's aggregate was imported yet."))
