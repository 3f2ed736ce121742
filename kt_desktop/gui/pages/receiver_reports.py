"""Laporan (receiver): the aggregate PDF for a month or a year, and the data for analysis.

Left: the period (a month or a year) and the area (the whole area, or one kabupaten/kota —
then the report goes by kecamatan), "Make report"; under it the export of the same area's
data as an .xlsx workbook or a folder of CSV files, NIKs masked unless asked (and audited).
Right: the PDF as it will print, with Print and Save. Building and exporting run as long
tasks on a worker with a progress dialog and Cancel; the preview lives in a private
temporary folder removed with the page.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kt_desktop import regions, ui_prefs
from kt_desktop.domain.formats import number
from kt_desktop.gui.ops import Ops, show_failure
from kt_desktop.gui.pages.base import SidebarPage
from kt_desktop.gui.widgets.file_dialogs import ask_save
from kt_desktop.gui.widgets.flow import growing_form
from kt_desktop.gui.widgets.labels import ScaledLabel, muted_label
from kt_desktop.gui.widgets.paper_choice import PaperChoice
from kt_desktop.gui.widgets.pdf_preview import PdfPreview
from kt_desktop.gui.widgets.pdf_saving import SavesPdf
from kt_desktop.gui.widgets.period_choice import fill_periods, period_lists, select_period
from kt_desktop.i18n import _
from kt_desktop.services import receiver as service
from kt_desktop.services import receiver_export
from kt_desktop.services.progress import Cancelled, Progress
from kt_desktop.services.receiver import Period
from kt_desktop.services.session import Session

#: ui_prefs key: the folder the last receiver report or export went to.
LAST_FOLDER = "receiver.last_folder"


def _section(layout: QVBoxLayout, title: str) -> None:
    """A rule and a heading: a part of the side panel of its own."""
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    layout.addWidget(line)
    layout.addWidget(ScaledLabel(title, factor=1.15, bold=True))


class ReceiverReportsPage(SavesPdf, SidebarPage):
    today_here = staticmethod(service.today_here)
    preview_prefix = "kt-rekap-"
    last_folder_key = LAST_FOLDER

    def __init__(self, ops: Ops, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(ops, parent, today=today)
        self.suggested_name = ""
        self.last_export: receiver_export.ExportResult | None = None

        left = QVBoxLayout()
        left.setSpacing(8)
        form = growing_form()
        self.period_kind, self.period_choice = period_lists()
        form.addRow(_("Period"), self.period_kind)
        form.addRow("", self.period_choice)
        self.area = QComboBox()
        own = ops.session.code
        self.area.addItem(service.area_name(own), own)
        if len(own) <= 5:
            for region in sorted(regions.children(own), key=lambda r: r.code):
                self.area.addItem(region.name if len(own) == 2 else
                                  _("Kecamatan {name}").format(name=region.name), region.code)
        form.addRow(_("Area"), self.area)
        self.paper = PaperChoice(ops, self)
        form.addRow(_("Paper"), self.paper)
        left.addLayout(form)
        self.build_controls(left)

        _section(left, _("Data for analysis"))
        left.addWidget(muted_label(_(
            "Every member of the area, and the activities, beneficiaries, trainings, "
            "participants and follow-ups of the period above, one sheet each, with a sheet "
            "of totals.")))
        self.reveal_nik = QCheckBox(_("Full NIKs (kept in the audit log)"))
        left.addWidget(self.reveal_nik)
        buttons = QHBoxLayout()
        self.xlsx_button = QPushButton(_("Excel workbook…"))
        self.csv_button = QPushButton(_("CSV files…"))
        buttons.addWidget(self.xlsx_button)
        buttons.addWidget(self.csv_button)
        left.addLayout(buttons)
        self.export_status = muted_label()
        self.export_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        left.addWidget(self.export_status)
        self.aggregate_button: QPushButton | None = None
        if len(own) == 2:  # a province: its aggregate for the national level
            _section(left, _("For the national level"))
            left.addWidget(muted_label(_(
                "The counts of the year by village, month and category and the funds by "
                "source, signed: no names and no NIK (UU 27/2022).")))
            self.aggregate_button = QPushButton(_("National aggregate…"))
            self.aggregate_button.clicked.connect(self.export_aggregate)
            left.addWidget(self.aggregate_button)
        left.addStretch(1)
        self.preview = PdfPreview(self)
        self.preview.empty.setText(_("Choose the period and the area on the left and press "
                                     "\u201cMake report\u201d to see it here before printing."))
        self.report_page(_("Reports"), _("The summary of the villages for a month or a year, by "
                                         "kabupaten/kota (or by kecamatan within one)."), left, 340)

        self._fill_periods()
        self.period_kind.currentIndexChanged.connect(self._fill_periods)
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.csv_button.clicked.connect(lambda: self.export("csv"))

    # -- choosing ------------------------------------------------------------------------
    def _fill_periods(self) -> None:
        fill_periods(self.period_kind, self.period_choice, self.today)

    def period(self) -> Period:
        period = self.period_choice.currentData()
        assert isinstance(period, Period)
        return period

    def choose(self, period: Period, area: str | None = None) -> None:
        """Set the form (the keyboard and the tests use it)."""
        select_period(self.period_kind, self.period_choice, period)
        if area is not None:
            self.area.setCurrentIndex(max(self.area.findData(area), 0))

    def _file_stem(self) -> str:
        area = str(self.area.currentData()).replace(".", "")
        return f"rekap-kt-{area}-{self.period().key}"

    # -- the report ------------------------------------------------------------------------
    def build(self) -> None:
        period, area = self.period(), self.area.currentData()
        name = f"{self._file_stem()}.pdf"
        title = _("Summary {area}, {period}").format(area=self.area.currentText(),
                                                     period=period.label)

        def build(session: Session, progress: Progress, out: Path, paper: str) -> Path:
            return service.build_report(session, period, out, area=area, progress=progress,
                                        today=self.today, paper=paper)

        self.make_report(build, name, title)

    # -- the export ------------------------------------------------------------------------
    def ask_export_path(self, kind: str) -> Path | None:
        """Where to export (a method of its own so tests can stand in for it)."""
        if kind == "csv":
            chosen = QFileDialog.getExistingDirectory(
                self, _("Choose the folder for the CSV files"), str(self.last_folder()))
            return Path(chosen) / self._file_stem() if chosen else None
        return ask_save(self, _("Export the data"),
                        self.last_folder() / f"{self._file_stem()}.xlsx",
                        _("Excel workbooks (*.xlsx)"), (".xlsx",))

    def confirm_reveal(self) -> bool:
        """Full NIKs are personal data (UU 27/2022): ask once more (tests stand in for it)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("Full NIKs"))
        box.setText(_("The file will hold the full NIK of every member. Keep it safe and "
                      "delete it when the analysis is done. Continue?"))
        yes = box.addButton(_("Export with full NIKs"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is yes

    def export(self, kind: str) -> None:
        reveal = self.reveal_nik.isChecked()
        if reveal and not self.confirm_reveal():
            return
        target = self.ask_export_path(kind)
        if target is None:
            return
        period, area = self.period(), self.area.currentData()
        writer = receiver_export.export_xlsx if kind == "xlsx" else receiver_export.export_csv
        for button in (self.xlsx_button, self.csv_button):
            button.setEnabled(False)
        self.export_status.setText(_("Exporting…"))

        def done(result: receiver_export.ExportResult) -> None:
            if not shiboken6.isValid(self):
                return
            for button in (self.xlsx_button, self.csv_button):
                button.setEnabled(True)
            self.last_export = result
            ui_prefs.put(LAST_FOLDER, str(result.path.parent))
            rows = sum(result.rows.values())
            self.export_status.setText(_("Written: {path} ({rows} rows).").format(
                path=result.path, rows=number(rows)))

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            for button in (self.xlsx_button, self.csv_button):
                button.setEnabled(True)
            self.export_status.clear()
            if not isinstance(exc, Cancelled):
                show_failure(self, exc)

        self.ops.long_task(
            lambda session, progress: writer(session, target, area=area, period=period,
                                             reveal_nik=reveal, progress=progress),
            _("Exporting the data…"), done, on_failed=failed, parent=self,
        )

    def ask_aggregate_folder(self) -> Path | None:
        """Where the aggregate goes (a method of its own so tests can stand in for it)."""
        chosen = QFileDialog.getExistingDirectory(
            self, _("Choose the folder for the national aggregate"), str(self.last_folder()))
        return Path(chosen) if chosen else None

    def export_aggregate(self) -> None:
        """Write the province's signed aggregate of the chosen period's year."""
        from kt_desktop.services import national

        folder = self.ask_aggregate_folder()
        if folder is None or self.aggregate_button is None:
            return
        year = self.period().start.year
        self.aggregate_button.setEnabled(False)

        def done(made: national.MadeAggregate) -> None:
            if not shiboken6.isValid(self) or self.aggregate_button is None:
                return
            self.aggregate_button.setEnabled(True)
            ui_prefs.put(LAST_FOLDER, str(made.path.parent))
            self.export_status.setText(_(
                "Aggregate {year} written: {path} ({size} KB, no names and no NIK).").format(
                    year=made.year, path=made.path, size=number(made.bytes // 1024)))

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self) or self.aggregate_button is None:
                return
            self.aggregate_button.setEnabled(True)
            if not isinstance(exc, Cancelled):
                show_failure(self, exc)

        self.ops.long_task(
            lambda session, progress: national.export_aggregate(session, folder, year=year,
                                                                progress=progress),
            _("Making the national aggregate…"), done, on_failed=failed, parent=self,
        )

    def shortcuts_hint(self) -> str:
        return _("Ctrl+Enter make report · Ctrl+S save")
