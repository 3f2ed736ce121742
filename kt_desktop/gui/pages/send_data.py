"""Kirim Data: what waits to be sent, the last bundle, the keys, and the ways out.

Everything is read through :func:`kt_desktop.services.bundles.send_status` on a worker and
written through services on the writer: the export runs as a long task with progress; the
USB stick or folder is picked in :class:`DestinationDialog` (removable drives with their
name and free space, or any folder). Without the receiver's key, the secretary must first
confirm the warning that names the personal data inside. The SMTP outbox is retried every
few minutes while the window is open.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    Qt,
    QTimer,
    QUrl,
)
from PySide6.QtGui import QColor, QDesktopServices, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain.errors import KtError
from kt_desktop.domain.formats import local_time, number
from kt_desktop.gui.dialogs.training_form import save_cancel
from kt_desktop.gui.models.rows import Index, ListModel
from kt_desktop.gui.ops import Ops, show_failure
from kt_desktop.gui.pages.base import SidebarPage
from kt_desktop.gui.widgets import icons, style
from kt_desktop.gui.widgets import list_parts as parts
from kt_desktop.gui.widgets.cards import card_look
from kt_desktop.gui.widgets.columns import keep_main_column
from kt_desktop.gui.widgets.confirm import answer, ask_dialog, confirm, inform, question_box
from kt_desktop.gui.widgets.flow import ReflowGrid, flow_row
from kt_desktop.gui.widgets.labels import ScaledLabel, muted_label
from kt_desktop.gui.widgets.page_header import page_column
from kt_desktop.i18n import N_, _
from kt_desktop.services import bundles, notices, outbox, receipts
from kt_desktop.services.session import Session
from kt_desktop.store.bundles import OUTBOX_FAILED, OUTBOX_SENT, OutboxRecord

#: How often the outbox is tried again while the window is open.
RETRY_INTERVAL_MS = 3 * 60 * 1000


def size_text(count: int) -> str:
    if count >= 1024**3:
        return _("{size} GB").format(size=number(round(count / 1024**3, 1)))
    if count >= 1024**2:
        return _("{size} MB").format(size=number(round(count / 1024**2, 1)))
    return _("{size} KB").format(size=number(max(1, round(count / 1024))))


class _Card(QFrame):
    """A white box with a heading, like Beranda's cards."""

    def __init__(self, title: str, icon_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        card_look(self, "sendCard")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        self.picture = picture = QLabel()
        self.set_icon(icon_name)
        top.addWidget(picture)
        heading = ScaledLabel(title, factor=1.1, bold=True)
        heading.setWordWrap(True)  # a notice's long title wraps (it widened the page at 150 %)
        top.addWidget(heading, 1)
        self.body.addLayout(top)

    def set_icon(self, icon_name: str, colour: str = style.ACCENT) -> None:
        self.icon_name = icon_name
        self.picture.setPixmap(icons.pixmap(icon_name, 20, colour))

    def add_text(self, text: str = "") -> QLabel:
        """The card's wrapping text, selectable so that a path or a fingerprint can be copied."""
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.addWidget(label)
        return label


class _Banner(QFrame):
    """One message under the buttons: success (green), warning (amber) or information."""

    COLOURS = {
        "ok": ("#e8f5e9", "#2e7d32"),
        "warning": (style.WARNING_BG, style.WARNING_BORDER),
        "info": (style.INFO_BG, style.ACCENT),
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sendBanner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 1)
        self.hide()

    def show_message(self, text: str, kind: str = "ok") -> None:
        background, border = self.COLOURS[kind]
        self.setStyleSheet(
            f"QFrame#sendBanner {{ background: {background}; border-left: 4px solid {border};"
            " border-radius: 4px; }"
        )
        self.label.setText(text)
        self.show()


# -- the outbox table ------------------------------------------------------------------------
OUTBOX_HEADERS = (
    N_("Bundle"),
    N_("Made"),
    N_("Recipient"),
    N_("Status"),
    N_("Attempts"),
    N_("Last error"),
)


class OutboxModel(ListModel[OutboxRecord]):
    headers = OUTBOX_HEADERS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                str(item.export_seq),
                local_time(item.created_at),
                item.recipient,
                outbox.state_label(item.state),
                str(item.attempts),
                item.last_error if item.state != OUTBOX_SENT else "",
            )[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            if item.state == OUTBOX_FAILED:
                return QColor(style.ERROR)
            if item.state == OUTBOX_SENT:
                return QColor("#2e7d32")
        if role == Qt.ItemDataRole.ToolTipRole and column == 5 and item.last_error:
            return item.last_error
        return None


# -- dialogs ----------------------------------------------------------------------------------
class DestinationDialog(QDialog):
    """Pick a removable drive from the list, or any folder."""

    def __init__(self, drives: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Where should the bundle go?"))
        self.setMinimumWidth(520)
        self.chosen: Path | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(
            muted_label(_("Plug in the flash disk and choose it, or choose another folder."))
        )
        self.list = QListWidget()
        for drive in drives:
            text = _("{name} — {free} free of {total}").format(
                name=drive.name,
                free=size_text(drive.free_bytes),
                total=size_text(drive.total_bytes),
            )
            item = QListWidgetItem(icons.icon("download"), f"{text}\n{drive.path}")
            item.setData(Qt.ItemDataRole.UserRole, str(drive.path))
            self.list.addItem(item)
        if not drives:
            empty = QListWidgetItem(_("No flash disk found. Plug one in, or choose a folder."))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(empty)
        else:
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self._accept_drive())
        layout.addWidget(self.list)
        self.folder_button = QPushButton(icons.icon("folder"), _("Choose &another folder…"))
        self.folder_button.clicked.connect(self._choose_folder)
        layout.addWidget(self.folder_button, 0, Qt.AlignmentFlag.AlignLeft)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Save here"))
        buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(drives))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self._accept_drive)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _accept_drive(self) -> None:
        item = self.list.currentItem()
        if item is None or not item.data(Qt.ItemDataRole.UserRole):
            return
        self.chosen = Path(item.data(Qt.ItemDataRole.UserRole))
        self.accept()

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose a folder for the bundle"))
        if folder:
            self.chosen = Path(folder)
            self.accept()


class EmailSettingsDialog(QDialog):
    """The receiver's address and, optionally, the SMTP server for the outbox."""

    def __init__(self, current: outbox.EmailSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("E-mail settings"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.recipient = QLineEdit(current.recipient)
        self.recipient.setPlaceholderText("kt.provinsi@example.id")
        form.addRow(_("Receiver's &address"), self.recipient)
        layout.addLayout(form)
        layout.addWidget(
            muted_label(
                _(
                    "Without an SMTP server the program writes an e-mail draft for your mail "
                    "program. With one, bundles wait in the outbox and go out by themselves "
                    "when there is a connection."
                )
            )
        )
        smtp = QFormLayout()
        self.host = QLineEdit(current.host)
        self.host.setPlaceholderText("smtp.gmail.com")
        smtp.addRow(_("SMTP &server"), self.host)
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(current.port)
        smtp.addRow(_("&Port"), self.port)
        self.security = QComboBox()
        for value, label in (
            ("starttls", "STARTTLS"),
            ("ssl", "SSL/TLS"),
            ("none", _("none (local server only)")),
        ):
            self.security.addItem(label, value)
        self.security.setCurrentIndex(max(0, self.security.findData(current.security)))
        smtp.addRow(_("&Security"), self.security)
        self.user = QLineEdit(current.user)
        smtp.addRow(_("&User name"), self.user)
        self.password = QLineEdit(current.password)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        smtp.addRow(_("Pass&word"), self.password)
        self.sender = QLineEdit(current.sender)
        smtp.addRow(_("&From address"), self.sender)
        self.ca_cert = current.ca_cert
        # the state on a line of its own, wrapped, and the buttons under it: side by side
        # they were clipped at 1024x600 with a large font
        ca_box = QVBoxLayout()
        self.ca_label = QLabel()
        self.ca_label.setWordWrap(True)
        ca_box.addWidget(self.ca_label)
        ca_row = QHBoxLayout()
        self.ca_button = QPushButton(_("C&hoose file…"))
        self.ca_button.clicked.connect(self._choose_ca)
        ca_row.addWidget(self.ca_button)
        self.ca_remove = QPushButton(_("Re&move"))
        self.ca_remove.clicked.connect(lambda: self._set_ca(""))
        ca_row.addWidget(self.ca_remove)
        ca_row.addStretch(1)
        ca_box.addLayout(ca_row)
        smtp.addRow(_("Server's CA certificate"), ca_box)
        self._set_ca(current.ca_cert)
        layout.addLayout(smtp)
        save_cancel(self, self.accept, layout, save_text=_("&Save"))

    def settings(self) -> outbox.EmailSettings:
        return outbox.EmailSettings(
            recipient=self.recipient.text().strip(),
            host=self.host.text().strip(),
            port=self.port.value(),
            security=str(self.security.currentData()),
            user=self.user.text().strip(),
            password=self.password.text(),
            sender=self.sender.text().strip(),
            ca_cert=self.ca_cert,
        )

    def _set_ca(self, pem: str) -> None:
        self.ca_cert = pem
        self.ca_label.setText(
            _("trusted (the server's own authority)")
            if pem
            else _("none: only the authorities this computer trusts")
        )
        self.ca_remove.setEnabled(bool(pem))

    def _choose_ca(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("The mail server's CA certificate"), "", _("Certificates (*.pem *.crt *.cer)")
        )
        if not name:
            return
        try:
            self._set_ca(outbox.read_ca_file(Path(name)))
        except KtError as exc:
            inform(self, _("E-mail settings"), exc.message)

    def accept(self) -> None:
        """Refuse here, with the dialog still open, what the service would refuse on save."""
        try:
            outbox.validate_email_settings(self.settings())
        except KtError as exc:
            inform(self, _("E-mail settings"), exc.message)
            return
        super().accept()


# -- the page ---------------------------------------------------------------------------------
class SendDataPage(SidebarPage):
    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(ops, parent)
        self.status: bundles.SendStatus | None = None
        #: Hooks for tests: how the page asks for a destination, a key file, a confirmation.
        self.ask_destination: Callable[[list[Any]], Path | None] = self._ask_destination
        self.ask_key_file: Callable[[], Path | None] = self._ask_key_file
        self.ask_document: Callable[[], Path | None] = self._ask_document
        self.confirm_updates: Callable[[str], bool] = self._confirm_updates
        self.confirm_clear: Callable[[str], bool] = self._confirm_clear
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl

        layout, self.header = page_column(self, _("Send Data"), _(
            "Send the changes in your books to the province on a flash disk or by "
            "e-mail. Each bundle is signed by this village; with the receiver's key "
            "it is also encrypted, so only the receiver can read it."
        ), scrolls=True)

        self.pending_card = _Card(_("Waiting to be sent"), "upload")
        self.pending_form = QFormLayout()
        self.pending_form.setHorizontalSpacing(24)
        self.pending_card.body.addLayout(self.pending_form)
        self.pending_total = QLabel()
        self.pending_card.body.addWidget(self.pending_total)
        self.pending_card.body.addStretch(1)

        self.last_card = _Card(_("Last bundle"), "send")
        self.last_label = self.last_card.add_text()
        self.last_card.body.addStretch(1)

        self.key_card = _Card(_("Keys"), "alert-triangle")
        self.key_label = self.key_card.add_text()
        self.key_card.body.addStretch(1)
        self.key_button = QPushButton(icons.icon("download"), _("Install receiver's &key…"))
        self.key_button.clicked.connect(self.install_key)
        self.key_card.body.addWidget(self.key_button, 0, Qt.AlignmentFlag.AlignLeft)
        # Side by side where they fit, stacked on a netbook or with a large font.
        self.cards = ReflowGrid([self.pending_card, self.last_card, self.key_card])
        layout.addWidget(self.cards)

        # What the receiver confirmed (tanda terima) and what it announced (pengumuman).
        self.receipt_card = _Card(_("Receipt from the receiver"), "check-circle")
        self.receipt_label = self.receipt_card.add_text()
        receipt_row, receipt_buttons = flow_row()
        self.document_button = QPushButton(
            icons.icon("download"), _("&Import receipt or notice…")
        )
        self.document_button.clicked.connect(self.import_document)
        self.resend_button = QPushButton(icons.icon("send"), _("Send the &missing bundles again…"))
        self.resend_button.clicked.connect(self.resend_missing)
        receipt_buttons.addWidget(self.document_button)
        receipt_buttons.addWidget(self.resend_button)
        self.receipt_card.body.addWidget(receipt_row)
        layout.addWidget(self.receipt_card)
        self.notice_box = QVBoxLayout()
        self.notice_box.setSpacing(8)
        layout.addLayout(self.notice_box)

        self.clear_warning = _Banner()
        layout.addWidget(self.clear_warning)

        actions = QHBoxLayout()
        self.full = QCheckBox(_("Send &everything (not only the changes)"))
        self.full.setToolTip(
            _("Use this when the province is missing a bundle, or asks for all the data.")
        )
        actions.addWidget(self.full)
        actions.addStretch(1)
        layout.addLayout(actions)
        buttons_row, buttons = flow_row()
        self.export_button = QPushButton(
            icons.icon("download"), _("Save to flash disk or &folder…")
        )
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export_to_folder)
        self.email_button = QPushButton(icons.icon("send"), _("Send by &e-mail…"))
        self.email_button.clicked.connect(self.export_by_email)
        self.settings_button = QPushButton(icons.icon("settings"), _("E-mail &settings…"))
        self.settings_button.clicked.connect(self.edit_email_settings)
        for button in (self.export_button, self.email_button, self.settings_button):
            buttons.addWidget(button)
        layout.addWidget(buttons_row)
        self.result = _Banner()
        layout.addWidget(self.result)

        layout.addWidget(ScaledLabel(_("E-mail outbox"), factor=1.1, bold=True))
        self.outbox_model = OutboxModel(self)
        self.outbox_view = QTableView()
        self.outbox_view.setModel(self.outbox_model)
        self.outbox_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.outbox_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.outbox_view.verticalHeader().hide()
        header = self.outbox_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # the last column ("Sebab gagal") takes the room left, never less than its title
        keep_main_column(self.outbox_view, self.outbox_model.columnCount() - 1, chars=16)
        self.outbox_view.setMinimumHeight(130)
        layout.addWidget(self.outbox_view)
        outbox_row, self.outbox_note, self.retry_button = parts.note_and_button(
            "send", _("&Retry now"), self.retry_outbox)
        layout.addLayout(outbox_row)
        layout.addStretch(1)

        self.retry_timer = QTimer(self)
        self.retry_timer.setInterval(RETRY_INTERVAL_MS)
        self.retry_timer.timeout.connect(self.send_outbox)
        self.refresh()

    # -- lifetime -----------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.retry_timer.isActive():
            self.retry_timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if not self.window().isVisible():  # the window closes (not just another page shown)
            self.retry_timer.stop()


    # -- reading ------------------------------------------------------------------------------
    def refresh(self) -> None:
        def load(
            session: Session,
        ) -> tuple[bundles.SendStatus, list[OutboxRecord], outbox.OutboxSummary, Any, Any]:
            return (
                bundles.send_status(session),
                outbox.outbox(session),
                outbox.summary(session),
                receipts.receipt_status(session),
                notices.notices(session)[:5],
            )

        self._read(load, self._loaded)

    def _loaded(
        self,
        loaded: tuple[bundles.SendStatus, list[OutboxRecord], outbox.OutboxSummary, Any, Any],
    ) -> None:
        status, items, waiting_state, receipt, notice_list = loaded
        self.status = status
        self.receipt = receipt
        self.receipt_label.setText(receipt.text())
        self.resend_button.setVisible(bool(receipt.to_resend))
        self.receipt_card.set_icon(
            "alert-triangle" if receipt.to_resend or not receipt.known else "check-circle",
            style.WARNING_BORDER if receipt.to_resend else style.ACCENT,
        )
        self._show_notices(notice_list)
        while self.pending_form.rowCount():
            self.pending_form.removeRow(0)
        for book, count in status.pending.items():
            value = QLabel(number(count))
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.pending_form.addRow(_(book), value)
        total = status.pending_total
        self.pending_total.setText(
            _("{count} records in total").format(count=number(total))
            if total
            else _("Nothing new since the last bundle.")
        )
        last = status.last_export
        if last is None:
            self.last_label.setText(_("No bundle has been sent yet."))
        else:
            self.last_label.setText(
                _(
                    "Bundle {seq}{full}, {count} records, {size}\n{when}\nto {where}\n{sealed}"
                ).format(
                    seq=last.seq,
                    full=" " + _("(everything)") if last.full else "",
                    count=number(sum(last.counts.values())),
                    size=size_text(last.bytes),
                    when=local_time(last.created),
                    where=last.destination,
                    sealed=_("encrypted") if last.encrypted else _("NOT encrypted"),
                )
            )
        own = _("This village's key (read it to the receiver when asked):\n{fingerprint}").format(
            fingerprint=status.own_fingerprint
        )
        if status.receiver is None:
            self.key_label.setText(_("Receiver's key: not installed.") + "\n\n" + own)
            self.key_button.setText(_("Install receiver's &key…"))
            # A check mark said "all is well" while bundles went out unencrypted.
            self.key_card.set_icon("alert-triangle", style.WARNING_BORDER)
            self.clear_warning.show_message(bundles.clear_bundle_warning_text(), "warning")
        else:
            receiver = status.receiver
            self.key_label.setText(
                _("Receiver's key: {name}\n{fingerprint}\nE-mail: {email}").format(
                    name=receiver.name,
                    fingerprint=receiver.fingerprint,
                    email=receiver.email or "—",
                )
                + "\n\n"
                + own
            )
            self.key_button.setText(_("Replace receiver's &key…"))
            self.key_card.set_icon("check-circle")
            self.clear_warning.hide()
        self.outbox_model.set_rows(items)
        waiting = status.outbox_waiting
        self.outbox_note.setText(
            outbox.summary_text(waiting_state)
            if waiting
            else (
                _("Bundles sent by e-mail are listed here.")
                if status.smtp_configured
                else _("No SMTP server set up: e-mail goes through your mail program.")
            )
        )
        self.retry_button.setEnabled(
            bool(waiting) and status.smtp_configured and not waiting_state.stopped
        )

    # -- exporting ----------------------------------------------------------------------------
    def _ask_destination(self, drives: list[Any]) -> Path | None:
        return ask_dialog(DestinationDialog(drives, self), lambda dialog: dialog.chosen)

    def _confirm_clear(self, warning: str) -> bool:
        # Batal is the default: Enter must never send personal data in the clear.
        box, send = question_box(self, _("The bundle will not be encrypted"), warning,
                                 _("Send &unencrypted"))
        box.setIcon(QMessageBox.Icon.Warning)
        return answer(box, send)

    def _clear_ok(self) -> bool:
        if self.status is not None and self.status.receiver is None:
            return self.confirm_clear(bundles.clear_bundle_warning_text())
        return True

    def export_to_folder(self) -> None:
        if not self._clear_ok():
            return
        self._read(lambda _session: bundles.removable_drives(), self._drives_found)

    def _drives_found(self, drives: list[Any]) -> None:
        folder = self.ask_destination(drives)
        if folder is None:
            return
        self._export(bundles.export, _("Saving the bundle"), self._exported, dest_dir=folder)

    def _export(self, export: Callable[..., bundles.ExportResult], title: str,
                done: Callable[[bundles.ExportResult], None], **where: Any) -> None:
        """``export`` (to a folder, or for e-mail), full when the box is ticked, as a long task
        with its progress dialog; the export buttons wait until it ends."""
        full = self.full.isChecked()
        self._set_busy(True)
        self.ops.long_task(
            lambda session, progress: export(session, full=full, progress=progress, **where),
            title,
            self._alive(done),
            on_failed=self._alive(self._failed),
            parent=self,
        )

    def _exported(self, result: bundles.ExportResult) -> None:
        self._set_busy(False)
        self.full.setChecked(False)
        self.result.show_message(
            _(
                "Bundle {seq} ({count} records, {size}, {sealed}) was saved as {path} and read "
                "back without error. Safe to unplug."
            ).format(
                seq=result.seq,
                count=number(result.total),
                size=size_text(result.bytes),
                sealed=_("encrypted") if result.encrypted else _("NOT encrypted"),
                path=result.path,
            ),
            "ok",
        )
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        from kt_desktop.services.progress import Cancelled

        if isinstance(exc, Cancelled):
            self.result.show_message(exc.message if hasattr(exc, "message") else str(exc), "info")
            return
        message = getattr(exc, "message", None)
        if message:
            self.result.show_message(message, "warning")
        else:
            show_failure(self, exc)
        self.refresh()

    def _set_busy(self, busy: bool) -> None:
        for button in (self.export_button, self.email_button):
            button.setEnabled(not busy)

    def export_by_email(self) -> None:
        if not self._clear_ok():
            return
        self._export(bundles.export_for_email, _("Preparing the e-mail"), self._emailed)

    def _emailed(self, result: bundles.ExportResult) -> None:
        self._set_busy(False)
        self.full.setChecked(False)
        if result.outbox_id is not None:
            self.result.show_message(
                _(
                    "Bundle {seq} is in the outbox and goes out as soon as there is a connection."
                ).format(seq=result.seq),
                "ok",
            )
            self.send_outbox()
        else:
            if result.eml_path is not None:
                self.open_url(QUrl.fromLocalFile(str(result.eml_path)))
            self.result.show_message(
                _(
                    "Bundle {seq} is attached to an e-mail draft ({path}); your mail program "
                    "opens it. Press Send there."
                ).format(seq=result.seq, path=result.eml_path),
                "info",
            )
        self.refresh()

    # -- keys and settings ----------------------------------------------------------------------
    def _ask_key_file(self) -> Path | None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Receiver's key file"), "", _("Receiver key (*.ktkey);;All files (*)")
        )
        return Path(name) if name else None

    def install_key(self) -> None:
        path = self.ask_key_file()
        if path is None:
            return
        self._write(
            lambda session: bundles.import_receiver_key(session, path),
            self._key_installed,
            self._failed,
        )

    def _key_installed(self, record: Any) -> None:
        self.result.show_message(
            _(
                "The receiver's key is installed: {name}, fingerprint {fingerprint}. Compare it "
                "with the fingerprint the receiver gives you."
            ).format(name=record.name, fingerprint=record.fingerprint),
            "ok",
        )
        self.refresh()

    def edit_email_settings(self) -> None:
        self._read(outbox.email_settings, self._edit_settings)

    def _edit_settings(self, current: outbox.EmailSettings) -> None:
        new = ask_dialog(EmailSettingsDialog(current, self), EmailSettingsDialog.settings)
        if new is None:
            return
        self._write(
            lambda session: outbox.save_email_settings(session, new),
            lambda _saved: self.refresh(),
            self._failed,
        )

    # -- outbox ---------------------------------------------------------------------------------
    def send_outbox(self) -> None:
        if self.status is not None and not self.status.smtp_configured:
            return
        # Talking to the server may take seconds: not on the single writer thread, which the
        # secretary's saves need; its bookkeeping writes are one short transaction each.
        self._read(
            lambda session: outbox.send_due(session, timeout=20),
            lambda _tried: self.refresh(),
            lambda _exc: self.refresh(),
        )

    def retry_outbox(self) -> None:
        rows = self.outbox_view.selectionModel().selectedRows()
        item_id = self.outbox_model.rows[rows[0].row()].id if rows else None
        self._write(
            lambda session: outbox.retry(session, item_id),
            lambda _none: self.send_outbox(),
        )

    # -- receipts and notices (issue 21) ---------------------------------------------------------
    def _ask_document(self) -> Path | None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            _("Receipt or notice from the receiver"),
            "",
            _("Receipt or notice (*.ktr *.eml);;All files (*)"),
        )
        return Path(name) if name else None

    def import_document(self) -> None:
        path = self.ask_document()
        if path is None:
            return
        self.open_document(path)

    def open_document(self, path: Path) -> None:
        """Import a receipt or a notice (the button, or a ``.ktr`` file opened with KT Desktop)."""
        self._write(
            lambda session: notices.import_document(session, path),
            self._document_imported,
            self._failed,
        )

    def _document_imported(self, result: Any) -> None:
        if isinstance(result, receipts.ReceiptImport):
            text = result.status.text()
            if result.already:
                text = _("This receipt was imported before; nothing changed.") + " " + text
            self.result.show_message(text, "warning" if result.status.to_resend else "ok")
        else:
            notice = result.notice
            text = _("Notice from {sender}: {title}.").format(
                sender=notice.sender, title=notice.title
            )
            if notice.state == "new":
                text += " " + _("Its updates are applied only when you press Apply below.")
            self.result.show_message(text, "info")
        self.refresh()

    def resend_missing(self) -> None:
        self._read(lambda _session: bundles.removable_drives(), self._resend_to)

    def _resend_to(self, drives: list[Any]) -> None:
        folder = self.ask_destination(drives)
        if folder is None:
            return
        self._set_busy(True)
        self._write(
            lambda session: receipts.resend_missing(session, folder),
            self._resent,
            self._failed,
        )

    def _resent(self, result: receipts.Resent) -> None:
        self._set_busy(False)
        if result.full is not None:
            text = _(
                "The missing bundles are no longer on this computer, so a full bundle ({seq}) "
                "was saved as {path}. It replaces them. Safe to unplug."
            ).format(seq=result.full.seq, path=result.full.path)
        else:
            text = _("Bundles {seqs} were saved again in {folder}. Safe to unplug.").format(
                seqs=receipts.spans(result.copied),
                folder=result.paths[0].parent if result.paths else "",
            )
        self.result.show_message(text, "ok")
        self.refresh()

    def _show_notices(self, notice_list: list[Any]) -> None:
        while self.notice_box.count():
            item = self.notice_box.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for notice in notice_list:
            self.notice_box.addWidget(self._notice_card(notice))

    def _notice_card(self, notice: Any) -> QWidget:
        card = _Card(_("Notice: {title}").format(title=notice.title), "bell")
        lines = [_("From {sender}, {date}").format(
            sender=notice.sender, date=local_time(notice.made_utc))]
        if notice.text:
            lines.append(notice.text)
        lines += ["\u2022 " + notices.update_text(update) for update in notice.updates]
        if notice.state == "applied":
            lines.append(_("The updates were applied."))
        elif notice.state == "dismissed":
            lines.append(_("The updates were set aside."))
        card.add_text("\n".join(lines))
        row, buttons = flow_row()
        for name in notice.files:
            button = QPushButton(icons.icon("download"), _("Save {name}…").format(name=name))
            button.clicked.connect(
                lambda _checked=False, n=notice.id, f=name: self.save_attachment(n, f)
            )
            buttons.addWidget(button)
        if notice.state == "new":
            apply = QPushButton(icons.icon("check-circle"), _("&Apply the updates…"))
            apply.clicked.connect(lambda _checked=False, n=notice: self.apply_notice(n))
            dismiss = QPushButton(_("Set &aside"))
            dismiss.clicked.connect(lambda _checked=False, n=notice.id: self.dismiss_notice(n))
            buttons.addWidget(apply)
            buttons.addWidget(dismiss)
        card.body.addWidget(row)
        return card

    def _confirm_updates(self, text: str) -> bool:
        return confirm(self, _("Apply the updates"), text, _("&Apply"), destructive=False)

    def apply_notice(self, notice: Any) -> None:
        listed = "\n".join("\u2022 " + notices.update_text(update) for update in notice.updates)
        question = _(
            "{sender} asks to change these references of your books:\n{updates}\n\nApply them?"
        ).format(sender=notice.sender, updates=listed)
        if not self.confirm_updates(question):
            return
        self._write(
            lambda session: notices.apply_notice(session, notice.id),
            lambda _done: self.refresh(),
            self._failed,
        )

    def dismiss_notice(self, notice_id: int) -> None:
        self._write(
            lambda session: notices.dismiss_notice(session, notice_id),
            lambda _done: self.refresh(),
            self._failed,
        )

    def save_attachment(self, notice_id: int, name: str) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Save the attachment in"))
        if not folder:
            return
        self._read(
            lambda session: notices.save_attachment(session, notice_id, name, Path(folder)),
            lambda path: self.result.show_message(
                _("Saved as {path}.").format(path=path), "ok"),
            self._failed,
        )
