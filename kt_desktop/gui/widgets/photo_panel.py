"""The files kept with one record: an activity's documentation photos, a cash entry's receipt,
an incoming letter's scan. One panel for all of them: add files (taken in on a worker with a
progress bar and Cancel), captions edited in place, Delete removes the selected one, problems
named per file. PDF scans (books whose attachments take documents) show a document icon."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain.activities import Photo
from kt_desktop.domain.errors import KtError
from kt_desktop.domain.formats import number
from kt_desktop.gui.ops import Ops, show_failure
from kt_desktop.gui.widgets import style
from kt_desktop.gui.widgets.field_error import error_label
from kt_desktop.gui.widgets.flow import flow_row, flush
from kt_desktop.i18n import _
from kt_desktop.services import photos as photo_service

THUMB_SIZE = QSize(180, 135)
#: ``(paths, known sha256s, progress) -> IntakeReport``: how the record takes files in.
Intake = Callable[[list[str], set[str], Any], photo_service.IntakeReport]


class _DeleteKey(QObject):
    """Delete on the list removes the selected file."""

    def __init__(self, on_delete: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._delete = on_delete

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Delete):
            self._delete()
            return True
        return False


class PhotoPanel(QWidget):
    """``photos`` is the record's list as the form will save it (stored ones by id, new ones
    with their data); ``changed`` is emitted when files are added or removed."""

    changed = Signal()

    def __init__(self, ops: Ops, *, empty_text: str, documents: bool = False,
                 intake: Intake | None = None, error: QWidget | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.documents = documents
        self.photos: list[Photo] = []
        self.busy = False
        self._intake = intake or (lambda paths, known, progress: photo_service.intake_files(
            paths, known=known, progress=progress, documents=documents))
        layout = flush(QVBoxLayout(self))
        buttons, top = flow_row()  # wraps on a netbook or with a large font
        self.add_button = QPushButton(_("Add files…") if documents else _("Add photos…"))
        self.caption_button = QPushButton(_("Edit caption"))
        self.remove_button = QPushButton(_("Remove file") if documents else _("Remove photo"))
        for button in (self.add_button, self.caption_button, self.remove_button):
            top.addWidget(button)
        text = _("JPEG or PNG. Photos are reduced to at most {px} pixels.").format(
            px=number(photo_service.MAX_SIDE))
        if documents:
            text = _("Photos (JPEG or PNG) or PDF scans of at most {mb} MB.").format(
                mb=photo_service.MAX_DOCUMENT_BYTES // (1024 * 1024))
        note = QLabel(text)
        note.setStyleSheet(f"color: {style.MUTED};")
        note.setWordWrap(True)  # beside the buttons it made forms 1133 px wide at 14 pt
        layout.addWidget(buttons)
        layout.addWidget(note)
        if error is not None:
            layout.addWidget(error)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Attached files") if documents else _("Photos"))
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(THUMB_SIZE)
        self.list.setGridSize(QSize(THUMB_SIZE.width() + 40, THUMB_SIZE.height() + 64))
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setWordWrap(True)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        layout.addWidget(self.list, 1)
        self.empty = QLabel(empty_text)
        self.empty.setStyleSheet(f"color: {style.MUTED};")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        self.messages = error_label()
        layout.addWidget(self.messages)

        self.add_button.clicked.connect(self.choose)
        self.caption_button.clicked.connect(self._edit_caption)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.itemChanged.connect(self._caption_changed)
        self._keys = _DeleteKey(self.remove_selected, self)
        self.list.installEventFilter(self._keys)
        self._refresh()

    # -- filling -----------------------------------------------------------------------------
    def set_photos(self, photos: list[Photo]) -> None:
        self.photos = []
        self.list.clear()
        for photo in photos:
            self._append(photo)
        self._refresh()

    def _append(self, photo: Photo) -> None:
        self.photos.append(photo)
        if photo.mime == photo_service.PDF_MIME or not photo.thumbnail:
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        else:
            pixmap = QPixmap()
            pixmap.loadFromData(photo.thumbnail)
            icon = QIcon(pixmap)
        item = QListWidgetItem(icon, photo.caption or photo.original_name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        item.setToolTip(photo.original_name or photo.caption)
        self.list.blockSignals(True)
        self.list.addItem(item)
        self.list.blockSignals(False)

    # -- adding --------------------------------------------------------------------------------
    def choose(self) -> None:
        patterns = " ".join(photo_service.FILE_PATTERNS)
        if self.documents:
            patterns += " " + " ".join(photo_service.PDF_PATTERNS)
            title, kinds = _("Add files"), _("Photos and PDF scans ({patterns})")
        else:
            title, kinds = _("Add photos"), _("Photos ({patterns})")
        paths, _filter = QFileDialog.getOpenFileNames(
            self, title, str(Path.home()), kinds.format(patterns=patterns))
        if paths:
            self.add_files(paths)

    def add_files(self, paths: list[str] | list[Path]) -> None:
        """Take the files in on a worker (progress, Cancel), then show their thumbnails."""
        if self.busy:
            return
        self.busy = True
        self.add_button.setEnabled(False)
        known = {photo.sha256 for photo in self.photos}
        files = [str(path) for path in paths]

        def work(_session: Any, progress: Any) -> photo_service.IntakeReport:
            return self._intake(files, known, progress)

        def done(report: photo_service.IntakeReport) -> None:
            self._idle()
            for photo in report.photos:
                self._append(photo)
            messages = list(report.refused)
            if report.duplicates:
                messages.append(_("Already attached, not added again: {names}").format(
                    names=", ".join(report.duplicates)))
            self.messages.setText("\n".join(messages))
            self.messages.setVisible(bool(messages))
            self._refresh()
            if report.photos:
                self.list.setCurrentRow(self.list.count() - 1)

        def failed(exc: BaseException) -> None:
            self._idle()
            if not isinstance(exc, KtError) or exc.code != "cancelled":
                show_failure(self, exc)

        self.ops.long_task(work, _("Processing files…") if self.documents
                           else _("Processing photos…"), self._alive(done), writes=False,
                           on_failed=self._alive(failed), parent=self)

    def _idle(self) -> None:
        self.busy = False
        self.add_button.setEnabled(True)

    def _alive(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        def deliver(result: Any) -> None:
            if shiboken6.isValid(self):
                callback(result)

        return deliver

    # -- captions and removal ------------------------------------------------------------------
    def _caption_changed(self, item: QListWidgetItem) -> None:
        row = self.list.row(item)
        if 0 <= row < len(self.photos):
            self.photos[row].caption = item.text().strip()

    def _edit_caption(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.editItem(item)

    def set_caption(self, row: int, caption: str) -> None:
        item = self.list.item(row)
        if item is not None:
            item.setText(caption)

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.photos):
            del self.photos[row]
            self.list.takeItem(row)
            self._refresh()

    def _refresh(self) -> None:
        has = bool(self.photos)
        self.empty.setVisible(not has)
        self.caption_button.setEnabled(has)
        self.remove_button.setEnabled(has)
        self.changed.emit()
