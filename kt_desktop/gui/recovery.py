"""The recovery screen: shown when the data file fails its check on open.

It says in plain words what is wrong, lists the backups (the newest good one first and
selected), and restores the chosen one after a confirmation. The damaged file is never
written: it is renamed to ``<name>.rusak-<time>`` (with its ``-wal``/``-shm``) so that
nothing is lost, and the backup is copied into its place.

App start calls :func:`recover` (and :func:`offer_move_to_local` when the file lives on a
flash drive or a network share). No session is open here, so the background work goes
through an :class:`~kt_desktop.gui.ops.Ops` on an unopened
:class:`~kt_desktop.services.session.Session` whose functions never touch its database.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kt_desktop import paths
from kt_desktop.domain.errors import KtError
from kt_desktop.gui.dialogs.backups import (
    BackupTableModel,
    choose_backup_file,
    counts_text,
    make_table,
    selected_backup,
    when_text,
)
from kt_desktop.gui.errors import show_refusal
from kt_desktop.gui.ops import Ops, show_failure
from kt_desktop.gui.widgets import style
from kt_desktop.gui.widgets.confirm import inform
from kt_desktop.gui.widgets.labels import muted_label, title_label
from kt_desktop.i18n import _
from kt_desktop.services import backups, file_location
from kt_desktop.services.progress import Progress
from kt_desktop.services.session import Session


def _good_first(rows: list[backups.BackupInfo]) -> list[backups.BackupInfo]:
    """Good backups newest first, then the damaged ones (shown, but not offered)."""
    good = [r for r in rows if r.ok]
    bad = [r for r in rows if not r.ok]
    return good + bad


class RecoveryDialog(QDialog):
    """Explain the damage, list the backups, restore one. ``restored`` says how it ended."""

    def __init__(self, path: Path, check: backups.OpenCheck | None, message: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.restored = False
        self.ops = Ops(Session(self.path), self)
        self.setWindowTitle(_("KT Desktop: the data file is damaged"))
        layout = QVBoxLayout(self)
        layout.addWidget(title_label(_("The data file cannot be opened")))
        box = QFrame()
        box.setObjectName("problem")
        box.setStyleSheet(
            f"#problem {{ background: {style.WARNING_BG}; border: 1px solid {style.WARNING_BORDER};"
            " border-radius: 4px; }"
        )
        inner = QVBoxLayout(box)
        self.problem = QLabel(message)
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        inner.addWidget(self.problem)
        reassure = QLabel(
            _(
                "KT Desktop has written nothing to this file. You can restore your data from a "
                "backup below; the damaged file is kept beside it (renamed to \"{name}.rusak-…\") "
                "so that nothing is thrown away."
            ).format(name=self.path.name)
        )
        reassure.setWordWrap(True)
        inner.addWidget(reassure)
        layout.addWidget(box)
        problems = check.report.problems if check is not None else []
        if problems:
            layout.addWidget(
                muted_label(_("Technical details from SQLite's check (for whoever supports you):"))
            )
            details = QPlainTextEdit("\n".join(problems[:50]))
            details.setReadOnly(True)
            details.setMaximumHeight(60)
            layout.addWidget(details)
        layout.addWidget(QLabel(_("Backups of this data file")))
        self.model = BackupTableModel(self)
        self.table = make_table(self.model)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        layout.addWidget(self.table, 1)
        self.status = muted_label(_("Checking the backups…"))
        layout.addWidget(self.status)
        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton(
            _("&Restore this backup"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore_button.setEnabled(False)
        self.restore_button.setDefault(True)
        self.other_button = buttons.addButton(
            _("Choose another backup &file…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        buttons.addButton(_("Close the program"), QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(self.restore_selected)
        self.other_button.clicked.connect(self.choose_file)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(940, 600)
        self.ops.query(lambda _s: backups.list_backups(self.path), self._show)

    # -- list ------------------------------------------------------------------------------------
    def _show(self, rows: list[backups.BackupInfo]) -> None:
        rows = _good_first(rows)
        self.model.set_rows(rows)
        if rows and rows[0].ok:
            self.table.selectRow(0)
            self.status.setText(
                _("The newest good backup is from {when}. Select another one if you prefer.").format(
                    when=when_text(rows[0].created)
                )
            )
        else:
            self.status.setText(
                _(
                    "No good backup was found in {folder}. If you have one on a flash drive, "
                    "choose it with \"Choose another backup file\"."
                ).format(folder=paths.backup_dir())
            )
        self._selection_changed()

    def selected(self) -> backups.BackupInfo | None:
        return selected_backup(self.table, self.model)

    def _selection_changed(self, *_args: object) -> None:
        info = self.selected()
        self.restore_button.setEnabled(info is not None and bool(info.ok))

    # -- restoring -------------------------------------------------------------------------------
    def restore_selected(self) -> None:
        info = self.selected()
        if info is not None and info.ok:
            self._confirm_and_restore(info)

    def choose_file(self) -> None:
        name = choose_backup_file(self)
        if not name:
            return
        self.status.setText(_("Checking {path}…").format(path=name))
        self.ops.query(
            lambda _s: backups.describe_file(Path(name)), self._checked_file,
            on_failed=lambda exc: show_failure(self, exc),
        )

    def _checked_file(self, info: backups.BackupInfo) -> None:
        if not info.ok:
            self.status.setText("")
            show_refusal(
                self,
                _("{path} is damaged or is not a KT Desktop backup; choose another file.").format(
                    path=info.path
                ),
            )
            return
        self._confirm_and_restore(info)

    def _confirm_and_restore(self, info: backups.BackupInfo) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("Restore a backup"))
        box.setText(
            _("Restore the backup of {when} ({counts})?").format(
                when=when_text(info.created), counts=counts_text(info.counts)
            )
        )
        box.setInformativeText(
            _("Whatever was entered after that time is not in this backup and must be entered again.")
        )
        yes = box.addButton(_("&Restore"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is not yes:
            return
        self.restore_button.setEnabled(False)
        self.other_button.setEnabled(False)
        self.status.setText(_("Restoring…"))
        backup, path = info.path, self.path
        self.ops.write(
            lambda _s: backups.restore(path, backup), self._restored, on_failed=self._failed
        )

    def _restored(self, result: backups.RestoreResult) -> None:
        self.restored = True
        kept = (
            _("\n\nThe damaged file is kept as {aside}.").format(aside=result.set_aside)
            if result.set_aside
            else ""
        )
        inform(
            self, _("Backup restored"),
            _("The data were restored from {backup} ({counts}).").format(
                backup=result.backup.name, counts=counts_text(result.counts)
            )
            + kept,
        )
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.other_button.setEnabled(True)
        self._selection_changed()
        self.status.setText("")
        show_failure(self, exc)

    def done(self, result: int) -> None:
        self.ops.wait_idle()
        super().done(result)


def _message(path: Path, check: backups.OpenCheck | None, error: object) -> str:
    if check is not None and not check.ok:
        return check.message
    if isinstance(error, KtError):
        return error.message
    if isinstance(error, BaseException):
        return _("Data file {path} cannot be used: {reason}").format(path=path, reason=error)
    return _("Data file {path} is damaged: its contents failed SQLite's check.").format(path=path)


def recover(parent: QWidget | None, path: Path, error: object = None) -> bool:
    """Show the recovery screen for ``path``; True when a backup was restored into place.

    ``error`` is what app start found: a :class:`~kt_desktop.services.backups.OpenCheck`
    from :func:`~kt_desktop.services.backups.check_on_open`, or the
    :class:`~kt_desktop.domain.errors.KtError` that opening raised (then the file is checked
    here, read-only). After True, open ``path`` again as usual.
    """
    path = Path(path)
    check = error if isinstance(error, backups.OpenCheck) else backups.check_on_open(path)
    dialog = RecoveryDialog(path, check, _message(path, check, error), parent)
    dialog.exec()
    restored = dialog.restored
    dialog.deleteLater()
    return restored


def offer_move_to_local(parent: QWidget | None, path: Path, location: file_location.Location) -> Path | None:
    """Say why the data file must not stay where it is and offer to move it.

    Returns the new path after a move, None when the secretary chose to keep it there (the
    program then opens it where it is, with the warning given).
    """
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("The data file is not on this laptop"))
    box.setText(location.reason())
    box.setInformativeText(
        _("Move it to this laptop's data folder ({folder})? The program then works there.").format(
            folder=paths.data_dir()
        )
    )
    move = box.addButton(_("&Move to this laptop"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("&Keep it there"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is not move:
        return None
    moved = _move_in_background(parent, path)
    if moved is None:
        return None
    inform(
        parent, _("Data file moved"),
        _("The data file is now {path}. The old place keeps a copy renamed \"….dipindahkan-…\".")
        .format(path=moved),
    )
    return moved


def _move_in_background(parent: QWidget | None, path: Path) -> Path | None:
    """Run the move on a worker with a progress window; wait for it without freezing."""
    ops = Ops(Session(path))
    outcome: dict[str, object] = {}
    loop = QEventLoop()

    def work(_session: Session, progress: Progress) -> Path:
        progress.step(0, 0, _("Copying and checking the data file…"))
        return file_location.move_to_local(path)

    def finished(key: str) -> Callable[[object], None]:
        def deliver(value: object) -> None:
            outcome[key] = value
            loop.quit()

        return deliver

    ops.long_task(
        work, _("Moving the data file"), finished("path"),
        on_failed=finished("error"), parent=parent,
    )
    loop.exec()
    ops.wait_idle()
    ops.deleteLater()
    error = outcome.get("error")
    if isinstance(error, BaseException):
        show_failure(parent, error)
        return None
    moved = outcome.get("path")
    return moved if isinstance(moved, Path) else None
