"""Impor (receiver): pick bundles, a folder of them or ``.eml`` files, import, see a summary.

The import runs as a long task through :func:`kt_desktop.services.bundles.import_files`.
A village seen for the first time is never trusted silently: its bundle comes back as
"untrusted", and :class:`TrustDialog` shows the village and its key fingerprint so the
officer can compare it (on the phone) before accepting; only the accepted ones are then
imported again. A dry run shows the same summary and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kt_desktop import regions
from kt_desktop.domain.formats import number
from kt_desktop.gui.models.rows import RowsModel
from kt_desktop.gui.ops import Ops, show_failure
from kt_desktop.gui.widgets import icons, style
from kt_desktop.gui.widgets.confirm import ask_dialog
from kt_desktop.gui.widgets.flow import flow_row
from kt_desktop.gui.widgets.labels import muted_label
from kt_desktop.gui.widgets.page_header import page_column
from kt_desktop.i18n import N_, _, ngettext
from kt_desktop.services import bundles, notices, receipts, relay
from kt_desktop.services.bundles import IMPORTED, BundleSummary, ImportReport, NewVillage
from kt_desktop.services.session import Session

HEADERS = (
    N_("File"),
    N_("Village"),
    N_("No."),
    N_("New"),
    N_("Changed"),
    N_("Unchanged"),
    N_("Conflicts"),
    N_("Result"),
)
STATUS_TEXT = {
    bundles.IMPORTED: N_("Imported"),
    bundles.ALREADY: N_("Already imported"),
    bundles.DRY_RUN: N_("Dry run"),
    bundles.REFUSED: N_("Refused"),
}
UNTRUSTED = "untrusted"


def village_text(summary: BundleSummary) -> str:
    if not summary.village_code:
        return "—"
    region = regions.get(summary.village_code)
    place = region.name if region else ""
    return f"{summary.village_code} {place}".strip()


class SummaryModel(RowsModel[BundleSummary]):
    """One row per bundle of the last run(s); refused rows in red, gaps and conflicts amber."""

    headers = HEADERS
    right_aligned = range(2, 7)

    def display(self, item: BundleSummary, row: int, column: int) -> str | None:
        if column == 0:
            return item.source
        if column == 1:
            return village_text(item)
        if column == 2:
            return str(item.seq) if item.seq is not None else "—"
        if 3 <= column <= 6:
            kind = ("created", "updated", "unchanged", "conflicts")[column - 3]
            counted = item.status in (bundles.IMPORTED, bundles.DRY_RUN)
            return number(item.total(kind)) if counted else ""
        return f"{_(STATUS_TEXT[item.status])}: {item.message}"

    def extra(self, item: BundleSummary, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == 7:
            return "\n".join([item.message, *item.details])
        if role == Qt.ItemDataRole.ForegroundRole and column == 7:
            if item.status == bundles.REFUSED:
                return QColor(style.ERROR)
            if item.status == bundles.IMPORTED:
                return QColor("#2e7d32")
        if role == Qt.ItemDataRole.BackgroundRole:
            if item.status == bundles.REFUSED:
                return QColor("#fdecea")
            if item.gaps or item.conflicts:
                return QColor(style.WARNING_BG)
        return None


class TrustDialog(QDialog):
    """The first bundle of a village: show who it is and its key; accept only on purpose."""

    def __init__(self, newcomers: list[BundleSummary], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New villages"))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        layout.addWidget(
            muted_label(
                _(
                    "These villages send their first bundle. Call the village secretary and "
                    "compare the key fingerprint with the one on their Kirim Data page. Accept "
                    "only the villages whose fingerprint matches: their later bundles must carry "
                    "the same key."
                )
            )
        )
        self.boxes: list[tuple[QCheckBox, BundleSummary]] = []
        seen: set[tuple[str, str]] = set()
        for summary in newcomers:
            if (summary.village_code, summary.fingerprint) in seen:
                continue  # several bundles of one new village: one question
            seen.add((summary.village_code, summary.fingerprint))
            name = summary.village_name or "—"
            place = (
                regions.full_name(summary.village_code) if regions.get(summary.village_code) else ""
            )
            box = QCheckBox(
                _("{code} {name}\n{place}\nKey fingerprint: {fingerprint}").format(
                    code=summary.village_code,
                    name=name,
                    place=place,
                    fingerprint=summary.fingerprint,
                )
            )
            layout.addWidget(box)
            self.boxes.append((box, summary))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Accept the ticked ones"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accepted_keys(self) -> set[tuple[str, str]]:
        return {
            (summary.village_code, summary.fingerprint)
            for box, summary in self.boxes
            if box.isChecked()
        }


class ReceiverImportPage(QWidget):
    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.inputs: list[Path] = []
        #: Hooks for tests: how the page asks for files, a folder, and which villages to trust.
        self.ask_files: Callable[[], list[Path]] = self._ask_files
        self.ask_folder: Callable[[], Path | None] = self._ask_folder
        self.ask_trust: Callable[[list[BundleSummary]], set[tuple[str, str]]] = self._ask_trust

        # Scrolls up and down on a short screen (150 % scaling, a large font) instead of
        # squeezing the explanation until its last line is cut.
        #: A national file imports the provinces' aggregates (.kta), nothing else.
        self.national = ops.session.code == "00"
        layout, self.header = page_column(self, _("Import"), _(
            "Import the provinces' aggregates (.kta): single files or a whole flash "
            "disk or folder. Each is checked (signature, every byte, every figure) "
            "before anything is saved; a refused one changes nothing."
        ) if self.national else _(
            "Import the bundles (.ktb) villages sent: single files, a whole flash disk "
            "or folder, or the e-mails (.eml) they came in. Each bundle is checked "
            "(signature, every byte, every row) before anything is saved; a refused one "
            "changes nothing."
        ), scrolls=True)
        pick = QHBoxLayout()
        self.files_button = QPushButton(icons.icon("file-text"), _("Choose &files…"))
        self.files_button.clicked.connect(self.choose_files)
        self.folder_button = QPushButton(icons.icon("folder"), _("Choose a f&older…"))
        self.folder_button.clicked.connect(self.choose_folder)
        self.clear_button = QPushButton(_("C&lear list"))
        self.clear_button.clicked.connect(self.clear_inputs)
        for button in (self.files_button, self.folder_button, self.clear_button):
            pick.addWidget(button)
        pick.addStretch(1)
        layout.addLayout(pick)
        self.input_list = QListWidget()
        self.input_list.setMaximumHeight(72)
        layout.addWidget(self.input_list)
        # A row that wraps: at 150 % scaling with a large font the long check box and the
        # Impor button do not share one line.
        run_row, run = flow_row()
        self.dry_run = QCheckBox(_("&Dry run only (show what would happen, change nothing)"))
        run.addWidget(self.dry_run)
        run.addStretch(1)
        self.import_button = QPushButton(icons.icon("download"), _("&Import"))
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.run_import)
        run.addWidget(self.import_button)
        # The receipts (tanda terima) that go back to the villages (docs/RECEIPTS.md).
        self.receipt_button = QPushButton(icons.icon("check-circle"), _("Make &receipts…"))
        self.receipt_button.setToolTip(
            _("A signed receipt per village (the villages of the list, or all): which bundles "
              "arrived and which are missing.")
        )
        self.receipt_button.clicked.connect(self.make_receipts)
        back_row, back = flow_row()  # what goes back to the villages, on a row of its own
        back.addWidget(self.receipt_button)
        self.notice_button = QPushButton(icons.icon("bell"), _("&Notice…"))
        self.notice_button.setToolTip(_("A signed notice for the villages, with attachments and "
                                        "reference updates."))
        self.notice_button.clicked.connect(self.make_notice)
        back.addWidget(self.notice_button)
        # A kabupaten passes its villages' bundles on to the province, untouched.
        self.forward_button = QPushButton(icons.icon("upload"), _("Pass on to the &province…"))
        self.forward_button.setToolTip(_(
            "Pass the bundles of the list on to the province untouched, with an e-mail draft "
            "that carries them (the province checks each village's own signature)."))
        self.forward_button.clicked.connect(self.forward_bundles)
        self.forward_button.setVisible(len(ops.session.code) == 5)  # a kabupaten/kota file
        back.addWidget(self.forward_button)
        for button in (self.receipt_button, self.notice_button):
            button.setVisible(not self.national)  # provinces get no receipts from here
        #: Hook for tests: the notice form's answer (None: cancelled).
        self.ask_notice: Callable[[], dict[str, Any] | None] = self._ask_notice
        layout.addWidget(run_row)
        layout.addWidget(back_row)

        self.totals = QLabel()
        self.totals.setWordWrap(True)
        layout.addWidget(self.totals)
        self.model = SummaryModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.view, 1)
        self.details = muted_label()
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.details)
        self.view.selectionModel().currentRowChanged.connect(self._row_chosen)
        self._update_buttons()

    def _alive(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        def deliver(result: Any) -> None:
            if shiboken6.isValid(self):
                callback(result)

        return deliver

    # -- inputs -----------------------------------------------------------------------------
    def _ask_files(self) -> list[Path]:
        names, _filter = QFileDialog.getOpenFileNames(
            self, _("Choose bundles"), "",
            _("Province aggregates (*.kta);;All files (*)") if self.national
            else _("Bundles and e-mails (*.ktb *.eml);;All files (*)")
        )
        return [Path(name) for name in names]

    def _ask_folder(self) -> Path | None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose a folder or flash disk"))
        return Path(folder) if folder else None

    def add_inputs(self, paths: list[Path]) -> None:
        for path in paths:
            if path not in self.inputs:
                self.inputs.append(path)
                self.input_list.addItem(str(path))
        self._update_buttons()

    def choose_files(self) -> None:
        self.add_inputs(self.ask_files())

    def choose_folder(self) -> None:
        folder = self.ask_folder()
        if folder is not None:
            self.add_inputs([folder])

    def clear_inputs(self) -> None:
        self.inputs.clear()
        self.input_list.clear()
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.import_button.setEnabled(bool(self.inputs))
        self.clear_button.setEnabled(bool(self.inputs))

    # -- importing ----------------------------------------------------------------------------
    def run_import(
        self, *, trusted: set[tuple[str, str]] | None = None, only: list[Path] | None = None
    ) -> None:
        inputs = list(only or self.inputs)
        if not inputs:
            return
        dry_run = self.dry_run.isChecked()
        accepted = set(trusted or ())

        def trust(newcomer: NewVillage) -> bool:
            return (newcomer.code, newcomer.fingerprint) in accepted

        self.import_button.setEnabled(False)
        self.ops.long_task(
            lambda session, progress: bundles.import_files(
                session, inputs, dry_run=dry_run, trust_new=trust, progress=progress
            ),
            _("Importing bundles"),
            self._alive(lambda report: self._imported(report, rerun=only is not None)),
            on_failed=self._alive(self._failed),
            parent=self,
        )

    def _failed(self, exc: BaseException) -> None:
        self._update_buttons()
        show_failure(self, exc)

    def _imported(self, report: ImportReport, *, rerun: bool) -> None:
        self._update_buttons()
        if rerun:  # replace the rows of the re-imported files, keep the others
            again = {summary.source for summary in report.bundles}
            rows = [row for row in self.model.rows if row.source not in again] + report.bundles
        else:
            rows = list(report.bundles)
        self.model.set_rows(rows)
        self._show_totals(rows, report.dry_run)
        if report.cancelled:
            self.totals.setText(
                self.totals.text()
                + " "
                + _("Cancelled: the bundles listed were handled; the others were not touched.")
            )
        newcomers = [s for s in report.bundles if s.error_code == UNTRUSTED]
        if newcomers:
            accepted = self.ask_trust(newcomers)
            if accepted:
                origins = sorted(
                    {
                        Path(s.origin)
                        for s in newcomers
                        if s.origin and (s.village_code, s.fingerprint) in accepted
                    },
                    key=str,
                )
                self.run_import(trusted=accepted, only=origins)

    def _show_totals(self, rows: list[BundleSummary], dry_run: bool) -> None:
        counts = {status: sum(1 for row in rows if row.status == status) for status in STATUS_TEXT}
        parts = []
        if counts[bundles.IMPORTED]:
            parts.append(_("{count} imported").format(count=counts[bundles.IMPORTED]))
        if counts[bundles.DRY_RUN]:
            parts.append(_("{count} checked (dry run)").format(count=counts[bundles.DRY_RUN]))
        if counts[bundles.ALREADY]:
            parts.append(_("{count} already imported").format(count=counts[bundles.ALREADY]))
        if counts[bundles.REFUSED]:
            parts.append(_("{count} refused").format(count=counts[bundles.REFUSED]))
        gaps = sum(1 for row in rows if row.gaps)
        if gaps:
            parts.append(
                ngettext(
                    "{count} village is missing a bundle",
                    "{count} villages are missing a bundle",
                    gaps,
                ).format(count=gaps)
            )
        text = ngettext("{count} bundle: ", "{count} bundles: ", len(rows)).format(count=len(rows))
        text += ", ".join(parts)
        if dry_run:
            text += " " + _("(dry run: nothing was changed)")
        self.totals.setText(text)

    def _row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or current.row() >= len(self.model.rows):
            self.details.clear()
            return
        summary = self.model.rows[current.row()]
        lines = [summary.message, *summary.details[:10]]
        if summary.status in (bundles.IMPORTED, bundles.DRY_RUN):
            for table, outcome in summary.tables.items():
                if outcome.total:
                    lines.append(
                        _(
                            "{book} ({table}): {created} new, {updated} changed, {unchanged} unchanged"
                        ).format(
                            book=_(bundles.book_of(table)),
                            table=table,
                            created=outcome.created,
                            updated=outcome.updated,
                            unchanged=outcome.unchanged,
                        )
                    )
        self.details.setText("\n".join(lines))

    def _ask_trust(self, newcomers: list[BundleSummary]) -> set[tuple[str, str]]:
        return ask_dialog(TrustDialog(newcomers, self), TrustDialog.accepted_keys) or set()

    # -- receipts (issue 21) -----------------------------------------------------------------
    def make_receipts(self) -> None:
        folder = self.ask_folder()
        if folder is None:
            return
        codes = sorted({row.village_code for row in self.model.rows
                        if row.status == IMPORTED and row.village_code})

        def make(session: Session) -> list[receipts.MadeReceipt]:
            if not codes:
                return receipts.make_receipts(session, folder)
            made: list[receipts.MadeReceipt] = []
            for code in codes:
                made += receipts.make_receipts(session, folder, village=code)
            return made

        self.ops.write(make, self._alive(self._receipts_made), on_failed=self._alive(self._failed),
                       parent=self)

    def _receipts_made(self, made: list[receipts.MadeReceipt]) -> None:
        missing = sum(1 for item in made if item.missing)
        folders = sorted({str(item.path.parent) for item in made})
        self.totals.setText(
            ngettext("{count} receipt written in {folder}.", "{count} receipts written in {folder}.",
                     len(made)).format(count=len(made), folder=", ".join(folders) or "-")
            + (" " + ngettext("{count} of them lists missing bundles.",
                              "{count} of them list missing bundles.", missing).format(
                count=missing) if missing else "")
        )

    def forward_bundles(self) -> None:
        """The chosen bundles (or, with none chosen, the data folder's ``masuk``) passed on to
        the province through a folder, with an e-mail draft that carries them."""
        inputs = list(self.inputs)
        folder = self.ask_folder()
        if folder is None:
            return

        def forward(session: Session) -> relay.ForwardReport:
            return relay.forward(session, inputs or [bundles.incoming_dir()], folder, email=True)

        self.ops.write(forward, self._alive(self._forwarded), on_failed=self._alive(self._failed),
                       parent=self)

    def _forwarded(self, report: relay.ForwardReport) -> None:
        lines = [report.text() + "."]
        lines += [f"{item.source}: {item.message}" for item in report.items
                  if item.status == relay.REFUSED]
        if report.eml_path is not None:
            lines.append(_("E-mail draft: {path}").format(path=report.eml_path))
        self.totals.setText("\n".join(lines))

    def _ask_notice(self) -> dict[str, Any] | None:
        from kt_desktop.gui.dialogs.notice_form import NoticeForm

        return ask_dialog(NoticeForm(self), lambda form: form.chosen)

    def make_notice(self) -> None:
        chosen = self.ask_notice()
        if chosen is None:
            return
        folder = self.ask_folder()
        if folder is None:
            return
        self.ops.write(
            lambda session: notices.make_notice(session, out_dir=folder, **chosen),
            self._alive(lambda made: self.totals.setText(ngettext(
                "The notice was written as {path}, for {count} village.",
                "The notice was written as {path}, for {count} villages.",
                made.villages).format(path=made.path, count=made.villages))),
            on_failed=self._alive(self._failed),
            parent=self,
        )
