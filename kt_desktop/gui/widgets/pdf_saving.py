"""Making, saving and printing a previewed report: shared by the village and the receiver
Laporan pages.

A mixin, placed before ``QWidget`` in the page's bases. The page provides ``preview``
(:class:`~kt_desktop.gui.widgets.pdf_preview.PdfPreview`), ``status`` (a label), ``ops``,
``build_button``, ``paper`` (a :class:`~kt_desktop.gui.widgets.paper_choice.PaperChoice`),
``suggested_name``, the :attr:`last_folder_key` under which the last folder is remembered and
the :attr:`preview_prefix` of its temporary folder of previews.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kt_desktop import ui_prefs
from kt_desktop.gui.ops import show_failure
from kt_desktop.gui.widgets.file_dialogs import ask_save
from kt_desktop.gui.widgets.flow import side_panel
from kt_desktop.gui.widgets.labels import muted_label
from kt_desktop.gui.widgets.page_header import PageHeader, page_column
from kt_desktop.i18n import _
from kt_desktop.services import reports as report_service
from kt_desktop.services.progress import Cancelled, Progress
from kt_desktop.services.session import Session

#: ``build(session, progress, out_path, paper_key)``: writes the PDF, returns its path.
BuildReport = Callable[[Session, Progress, Path, str], Path]


class SavesPdf:
    last_folder_key = "reports.last_folder"
    preview_prefix = "kt-laporan-"
    preview: Any
    status: Any
    ops: Any
    build_button: Any
    paper: Any
    suggested_name: str
    header: PageHeader
    _preview_dir: Path | None = None
    _built = 0

    def build_controls(self, left: QVBoxLayout) -> None:
        """"Buat laporan" and the status line under it, added to the choices in ``left``."""
        self.build_button = QPushButton(_("Make report"))
        self.build_button.setDefault(True)
        self.build_button.setToolTip(_("Make the report and show it (Ctrl+Enter)"))
        left.addWidget(self.build_button)
        self.status = muted_label()
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        left.addWidget(self.status)

    def report_page(self, title: str, subtitle: str, left: QVBoxLayout, width: int,
                    keys: tuple[tuple[Any, Callable[[], None]], ...] = ()) -> None:
        """The page: its header across the top, the choices of ``left`` in a side panel of
        ``width`` px (wider where a larger font needs it) and the preview beside them; Make,
        Save and the page's own ``keys`` wired the one way."""
        page = self
        assert isinstance(page, QWidget)
        layout, self.header = page_column(page, title, subtitle)
        body = QHBoxLayout()
        body.setSpacing(16)
        panel = QWidget()
        panel.setLayout(left)
        body.addWidget(side_panel(panel, width))
        body.addWidget(self.preview, 1)
        layout.addLayout(body, 1)
        self.build_button.clicked.connect(self.build)
        self.preview.save_requested.connect(self.save)
        self.preview.printed.connect(self._printed)
        for sequence, slot in (("Ctrl+Return", self.build), ("Ctrl+Enter", self.build),
                               (QKeySequence.StandardKey.Save, self.save), *keys):
            shortcut = QShortcut(QKeySequence(sequence), page)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def build(self) -> None:
        raise NotImplementedError

    def _output(self, file_name: str) -> Path:
        """A new file in the page's own temporary folder, removed with the page (the previews,
        a register with full NIKs among them, do not outlive it)."""
        if self._preview_dir is None:
            self._preview_dir = Path(tempfile.mkdtemp(prefix=self.preview_prefix))
            weakref.finalize(self, shutil.rmtree, self._preview_dir, True)
        self._built += 1
        return self._preview_dir / f"{self._built:03d}-{file_name}"

    def make_report(self, build: BuildReport, file_name: str, title: str,
                    after: Callable[[], None] | None = None) -> None:
        """Make the report on a worker and preview it; ``after`` runs once it is shown."""
        out = self._output(file_name)
        self.build_button.setEnabled(False)
        self.status.setText(_("Making the report…"))

        def done(path: Path) -> None:
            if not shiboken6.isValid(self):
                return
            self.build_button.setEnabled(True)
            if self.preview.show_pdf(Path(path), title):
                self.suggested_name = file_name
                self.status.setText(_("Ready: {pages} pages. Check them, then print or save.")
                                    .format(pages=self.preview.page_count()))
            else:
                self.status.setText(_("The report was made but cannot be shown."))
            if after is not None:
                after()

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            self.build_button.setEnabled(True)
            self.status.clear()
            self.preview.clear()  # not the previous report under this one's name
            self.suggested_name = ""
            if not isinstance(exc, Cancelled):
                show_failure(self, exc)  # type: ignore[arg-type]

        paper = self.paper.paper().key
        self.ops.long_task(lambda session, progress: build(session, progress, out, paper),
                           _("Making the report…"), done, on_failed=failed, parent=self)

    def last_folder(self) -> Path:
        saved = ui_prefs.get(self.last_folder_key)
        folder = Path(saved) if isinstance(saved, str) and saved else Path.home()
        return folder if folder.is_dir() else Path.home()

    def ask_save_path(self) -> Path | None:
        """The save dialog (a method of its own so tests can stand in for it)."""
        page = self
        assert isinstance(page, QWidget)
        return ask_save(page, _("Save the report"), self.last_folder() / self.suggested_name,
                        _("PDF files (*.pdf)"), (".pdf",))

    def save(self) -> None:
        source = self.preview.path
        if source is None:
            return
        target = self.ask_save_path()
        if target is None:
            return

        def saved(path: Path) -> None:
            ui_prefs.put(self.last_folder_key, str(Path(path).parent))
            if shiboken6.isValid(self):
                self.status.setText(_("Saved: {path}").format(path=path))

        self.ops.query(
            lambda _s: report_service.save_copy(source, target), saved, parent=self
        )

    def _printed(self, pages: int) -> None:
        if pages:
            self.status.setText(_("Sent {pages} pages to the printer.").format(pages=pages))
