"""Saving and printing a previewed report: shared by the village and the receiver Laporan pages.

A mixin, placed before ``QWidget`` in the page's bases. The page provides ``preview``
(:class:`~kt_desktop.gui.widgets.pdf_preview.PdfPreview`), ``status`` (a label), ``ops``,
``suggested_name`` and the :attr:`last_folder_key` under which the last folder is remembered.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtWidgets import QFileDialog

from kt_desktop import ui_prefs
from kt_desktop.i18n import _
from kt_desktop.services import reports as report_service


class SavesPdf:
    last_folder_key = "reports.last_folder"
    preview: Any
    status: Any
    ops: Any
    suggested_name: str

    def last_folder(self) -> Path:
        saved = ui_prefs.get(self.last_folder_key)
        folder = Path(saved) if isinstance(saved, str) and saved else Path.home()
        return folder if folder.is_dir() else Path.home()

    def ask_save_path(self) -> Path | None:
        """The save dialog (a method of its own so tests can stand in for it)."""
        chosen, _filter = QFileDialog.getSaveFileName(
            self,  # type: ignore[arg-type]
            _("Save the report"), str(self.last_folder() / self.suggested_name),
            _("PDF files (*.pdf)"))
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")

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
