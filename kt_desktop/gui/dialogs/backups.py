"""Cadangan: the list of backups, "back up now", "back up to a flash drive", restore.

:class:`BackupsPanel` is meant for a tab of Pengaturan; :class:`BackupsDialog` wraps it in a
window. Everything that reads or writes files runs on the ops workers. A restore replaces
the open file, so the panel emits :attr:`BackupsPanel.restored` and the main window reloads
its pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kt_desktop import paths
from kt_desktop.domain.formats import date_time, number
from kt_desktop.gui.errors import show_refusal
from kt_desktop.gui.models.rows import RowsModel
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.widgets import icons, style
from kt_desktop.gui.widgets.confirm import answer, ask_dialog, inform, question_box
from kt_desktop.gui.widgets.flow import scrolling_page
from kt_desktop.gui.widgets.labels import muted_label
from kt_desktop.gui.widgets.list_parts import record_table
from kt_desktop.gui.widgets.page_header import panel_window
from kt_desktop.i18n import N_, _
from kt_desktop.services import backups
from kt_desktop.services.audit import TABLE_LABELS
from kt_desktop.services.session import Session

#: (record table, column title) shown as counts in the list; titles from the one table of
#: record-table names (services/audit.py), as the CLI prints them.
COUNT_COLUMNS = tuple((table, TABLE_LABELS[table]) for table in ("members", "activities", "trainings"))


def when_text(value: dt.datetime) -> str:
    """A backup's time (naive, on the laptop's clock) in the data file's zone."""
    return date_time(value.astimezone())


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return _("{n} MB").format(n=number(round(size / (1024 * 1024), 1)))
    return _("{n} KB").format(n=number(max(1, round(size / 1024))))


def counts_text(counts: dict[str, int]) -> str:
    """``120 anggota, 14 kegiatan, 3 pelatihan`` for confirmations."""
    parts = []
    for table, title in COUNT_COLUMNS:
        if table in counts:
            parts.append(f"{number(counts[table])} {_(title).lower()}")
    return ", ".join(parts) or _("no records")



def selected_backup(table: QTableView, model: BackupTableModel) -> backups.BackupInfo | None:
    """The backup on the table's selected row (both lists of backups select whole rows)."""
    rows = table.selectionModel().selectedRows()
    return model.info(rows[0].row()) if rows else None


def choose_backup_file(parent: QWidget) -> str:
    """The backup file the secretary picks, starting in the backups folder ('' when cancelled).

    The backups dialog and the recovery window both restore from a file chosen here.
    """
    name, _filter = QFileDialog.getOpenFileName(
        parent, _("Choose a backup file"), str(paths.backup_dir()),
        _("KT Desktop backups (*.sqlite);;All files (*)"),
    )
    return name

class BackupTableModel(RowsModel[backups.BackupInfo]):
    """Backups, newest first; a damaged one is greyed and says so."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: With the backups of every data file listed, a column says whose each one is.
        self.show_owner = False
        self._set_headers()

    def _set_headers(self) -> None:
        owner = (N_("Data file"),) if self.show_owner else ()
        self.headers = (N_("Date"), N_("Kind"), *(title for _n, title in COUNT_COLUMNS),
                        N_("Size"), N_("State"), *owner)
        self.right_aligned = range(2, self._state_column())

    def set_rows(self, rows: Sequence[backups.BackupInfo], *,  # type: ignore[override]
                 show_owner: bool = False) -> None:
        self.show_owner = show_owner
        self._set_headers()
        super().set_rows(rows)

    def info(self, row: int) -> backups.BackupInfo | None:
        return self.row_at(row)

    def display(self, item: backups.BackupInfo, row: int, column: int) -> str | None:
        return self._text(item, column)

    def extra(self, item: backups.BackupInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and item.ok is False:
            return QColor(style.ERROR if column == self._state_column() else style.MUTED)
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(item.path)
        return None

    def _state_column(self) -> int:
        return 3 + len(COUNT_COLUMNS)

    def _text(self, info: backups.BackupInfo, column: int) -> str:
        last = self._state_column()
        if self.show_owner and column == last + 1:
            return info.owner
        if column == 0:
            return when_text(info.created)
        if column == 1:
            return info.label
        if 2 <= column < 2 + len(COUNT_COLUMNS):
            table = COUNT_COLUMNS[column - 2][0]
            return number(info.counts[table]) if table in info.counts else "—"
        if column == last - 1:
            return size_text(info.size)
        if column == last:
            if info.ok is None:
                return _("Not checked")
            return _("Good") if info.ok else _("Damaged")
        return ""


def make_table(model: BackupTableModel) -> QTableView:
    return record_table(model, sortable=False, fit_contents=True)


class DrivePicker(QDialog):
    """Choose a flash drive (or any folder) for "Cadangkan ke Flashdisk"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from kt_desktop.bundles import transport

        self.setWindowTitle(_("Back up to a flash drive"))
        self.chosen: Path | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Plug in the flash drive and choose it. The backup is written, read back and "
                "checked before you are told it is safe to unplug."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.drives = QComboBox()
        for drive in transport.removable_drives():
            free = size_text(drive.free_bytes)
            self.drives.addItem(
                _("{name} ({free} free)").format(name=drive.name, free=free), str(drive.path)
            )
        self.none_found = muted_label(_("No flash drive found. Plug one in, or choose a folder."))
        self.none_found.setVisible(self.drives.count() == 0)
        self.drives.setVisible(self.drives.count() > 0)
        layout.addWidget(self.drives)
        layout.addWidget(self.none_found)
        other = QPushButton(icons.icon("folder"), _("Choose another &folder…"))
        other.clicked.connect(self._choose_folder)
        layout.addWidget(other, 0, Qt.AlignmentFlag.AlignLeft)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(_("&Back up"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.ok.setEnabled(self.drives.count() > 0)
        buttons.accepted.connect(self._accept_drive)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose the folder for the backup"))
        if folder:
            self.chosen = Path(folder)
            self.accept()

    def _accept_drive(self) -> None:
        data = self.drives.currentData()
        if data:
            self.chosen = Path(data) / backups.DRIVE_FOLDER
            self.accept()


class BackupsPanel(QWidget):
    """The backups of the open data file, with the actions a secretary needs."""

    #: Emitted with the :class:`~kt_desktop.services.backups.RestoreResult` after a restore.
    restored = Signal(object)

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        # Scrolls up and down on a short screen (150 % scaling, a large font) instead of
        # squeezing the explanation until its last line is cut.
        layout = scrolling_page(self)
        explain = muted_label(
            _(
                "A backup is made when the program closes (at most once a day while it stays "
                "open, and only if something changed). Kept: one for each of the last 7 days, "
                "4 weeks and 12 months, in {folder}. Keep one on a flash drive too, away from "
                "the laptop."
            ).format(folder=paths.backup_dir())
        )
        explain.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(explain)
        self.show_all = QCheckBox(_("Show the backups of &all data files"))
        self.show_all.setToolTip(
            _("Also list the backups of the other data files of this laptop, each labelled "
              "with its village; only this file's own backups can be restored here.")
        )
        self.show_all.toggled.connect(lambda _checked: self.reload())
        layout.addWidget(self.show_all)
        self.model = BackupTableModel(self)
        self.table = make_table(self.model)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        layout.addWidget(self.table, 1)
        self.status = muted_label("")
        layout.addWidget(self.status)
        # backing up on one line, restoring on the next: four buttons side by side were
        # clipped at 1024x600 with a large font
        grid = QGridLayout()
        self.backup_now = QPushButton(icons.icon("database"), _("Back up &now"))
        self.backup_now.clicked.connect(self.back_up_now)
        self.to_drive = QPushButton(icons.icon("upload"), _("Back up to &flash drive…"))
        self.to_drive.clicked.connect(self.back_up_to_drive)
        self.restore_button = QPushButton(icons.icon("download"), _("&Restore this backup…"))
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_button.setEnabled(False)
        self.restore_file = QPushButton(icons.icon("folder"), _("Restore from a &file…"))
        self.restore_file.clicked.connect(self.restore_from_file)
        for button, tip in (
            (self.backup_now, _("Make a checked copy of the data file now, in the backup "
                                "folder of this laptop")),
            (self.to_drive, _("Write a checked copy of the data file to a flash drive, to "
                              "keep away from the laptop")),
            (self.restore_button, _("Replace the data with the backup chosen in the list; the "
                                    "data as they are now are backed up first")),
            (self.restore_file, _("Replace the data with a backup file from elsewhere (a "
                                  "flash drive); the data as they are now are backed up "
                                  "first")),
        ):
            button.setToolTip(tip)
        grid.addWidget(self.backup_now, 0, 0)
        grid.addWidget(self.to_drive, 0, 1)
        grid.addWidget(self.restore_button, 1, 0)
        grid.addWidget(self.restore_file, 1, 1)
        grid.setColumnStretch(2, 1)
        layout.addLayout(grid)
        self._buttons = (self.backup_now, self.to_drive, self.restore_file)
        self.reload()

    # -- list ------------------------------------------------------------------------------------
    def reload(self) -> None:
        self.status.setText(_("Checking the backups…"))
        path = self.ops.session.path
        everything = self.show_all.isChecked()
        self.ops.query(
            lambda _s: backups.list_backups(path, everything=everything), self._show, parent=self
        )

    def _show(self, rows: list[backups.BackupInfo]) -> None:
        self.model.set_rows(rows, show_owner=self.show_all.isChecked())
        if rows:
            good = sum(1 for r in rows if r.ok)
            self.status.setText(
                _("{n} backups, {good} in good order. Newest: {when}.").format(
                    n=number(len(rows)), good=number(good), when=when_text(rows[0].created)
                )
            )
        else:
            self.status.setText(_("No backups yet. Make one now."))
        self._selection_changed()

    def selected(self) -> backups.BackupInfo | None:
        return selected_backup(self.table, self.model)

    def _selection_changed(self, *_args: object) -> None:
        info = self.selected()
        self.restore_button.setEnabled(info is not None and bool(info.ok) and self._own(info))

    def _own(self, info: backups.BackupInfo) -> bool:
        """A backup of this file's village: another village's (listed with "all") is never
        offered for restoring (the restore would refuse it anyway)."""
        session = self.ops.session
        return info.file_kind is None or (info.file_kind, info.code) == (session.kind, session.code)

    def _busy(self, text: str) -> None:
        self.status.setText(text)
        for button in (*self._buttons, self.restore_button):
            button.setEnabled(False)

    def _idle(self) -> None:
        for button in self._buttons:
            button.setEnabled(True)
        self._selection_changed()

    def _failed(self, exc: BaseException) -> None:
        from kt_desktop.gui.ops import show_failure

        self._idle()
        self.status.setText("")
        show_failure(self, exc)
        self.reload()

    # -- actions ---------------------------------------------------------------------------------
    def back_up_now(self) -> None:
        self._busy(_("Backing up…"))
        path = self.ops.session.path
        self.ops.write(
            lambda _s: backups.take_backup(path), self._backed_up, on_failed=self._failed, parent=self
        )

    def _backed_up(self, info: backups.BackupInfo) -> None:
        self._idle()
        self.reload()
        text = _("Backup made and checked: {path}").format(path=info.path)
        if not info.recorded:
            text += _("  The data file is read-only, so this backup is not noted in its activity log.")
        self.status.setText(text)

    def back_up_to_drive(self) -> None:
        folder = ask_dialog(DrivePicker(self), lambda picker: picker.chosen)
        if folder is None:
            return
        self._busy(_("Writing the backup to {folder}…").format(folder=folder))
        path = self.ops.session.path

        def work(_session: Session) -> backups.BackupInfo:
            folder.mkdir(parents=True, exist_ok=True)
            return backups.backup_to_drive(path, folder)

        self.ops.write(work, self._on_drive, on_failed=self._failed, parent=self)

    def _on_drive(self, info: backups.BackupInfo) -> None:
        self._idle()
        self.status.setText(_("Backup written to {path}.").format(path=info.path))
        inform(
            self,
            _("Backup on the flash drive"),
            _(
                "The backup was written to {path}, read back and checked ({counts}).\n\n"
                "It is safe to unplug the flash drive."
            ).format(path=info.path, counts=counts_text(info.counts)),
        )

    def restore_selected(self) -> None:
        info = self.selected()
        if info is not None and info.ok and self._own(info):
            self._confirm_and_restore(info)

    def restore_from_file(self) -> None:
        name = choose_backup_file(self)
        if not name:
            return
        self._busy(_("Checking {path}…").format(path=name))
        self.ops.query(
            lambda _s: backups.describe_file(Path(name)), self._checked_file,
            on_failed=self._failed, parent=self,
        )

    def _checked_file(self, info: backups.BackupInfo) -> None:
        self._idle()
        self.status.setText("")
        if not info.ok:
            show_refusal(
                self,
                _("{path} is damaged or is not a KT Desktop backup; choose another file.").format(
                    path=info.path
                ),
                _("Cannot restore"),
            )
            return
        self._confirm_and_restore(info)

    def _confirm_and_restore(self, info: backups.BackupInfo) -> None:
        box, yes = question_box(
            self,
            _("Restore a backup"),
            _("Replace the data with the backup of {when} ({counts})?").format(
                when=when_text(info.created), counts=counts_text(info.counts)
            ),
            _("&Restore"),
            destructive=False,
        )
        box.setInformativeText(
            _(
                "Everything entered after that time is replaced. The data as it is now is "
                "backed up first (\"Before a restore\"), so this step can be undone."
            )
        )
        if not answer(box, yes):
            return
        self._busy(_("Restoring…"))
        self.ops.wait_idle()
        backup = info.path
        self.ops.write(
            lambda session: backups.restore_open_session(session, backup),
            self._restored, on_failed=self._failed, parent=self,
        )

    def _restored(self, result: backups.RestoreResult) -> None:
        self._idle()
        self.reload()
        self.restored.emit(result)
        inform(
            self, _("Backup restored"),
            _("The data were restored from {backup} ({counts}).").format(
                backup=result.backup.name, counts=counts_text(result.counts)
            ),
        )


class BackupsDialog(QDialog):
    """:class:`BackupsPanel` in its own window (for a menu entry or a Beranda reminder)."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel = BackupsPanel(ops, self)
        panel_window(self, _("Backups"), self.panel, (900, 520))
