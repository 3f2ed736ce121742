"""Laporan page driven through its widgets: make the monthly report, see it, save it, print it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from kt_desktop import ui_prefs
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.reports import (
    LAST_FOLDER,
    AttendanceForm,
    MembersForm,
    MonthlyForm,
    ReportsPage,
)
from kt_desktop.gui.widgets import pdf_saving
from kt_desktop.services.session import Session
from kt_desktop.store import report_queries as queries
from scripts.help_screens import drawn
from tests.gui.conftest import ops_on, show_page
from tests.test_reports_helpers import PRINTED, fill_village, pdf_pages, pdf_text


@pytest.fixture
def ops(village_session: Session) -> Iterator[Ops]:
    fill_village(village_session)
    yield from ops_on(village_session)


@pytest.fixture
def page(qtbot: Any, ops: Ops) -> Iterator[ReportsPage]:
    # the page area of the main window at 1366x768
    widget = show_page(qtbot, ops, ReportsPage(ops, None, today=PRINTED), (1166, 708))
    yield widget
    _idle(qtbot, ops)


def _idle(qtbot: Any, ops: Ops) -> None:
    qtbot.waitUntil(lambda: not ops.busy(), timeout=15_000)


def test_monthly_report_preview_save_and_print(qtbot, page, ops, tmp_path: Path, monkeypatch):
    form = page.form()
    assert isinstance(form, MonthlyForm)
    # 5 November: the month offered is October, with the next letter number of the year
    assert form.chosen() == (2025, 10)
    qtbot.waitUntil(lambda: form.nomor.text() == "001/LAP/KT-TH/XI/2025", timeout=5_000)
    qtbot.keyClicks(form.kendala, "Dana desa terlambat cair.")
    qtbot.keyClicks(form.rencana, "Rapat evaluasi.")
    qtbot.mouseClick(page.build_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, ops)

    preview = page.preview
    qtbot.waitUntil(lambda: preview.page_count() > 0, timeout=10_000)
    assert preview.page_label.text() == f"Halaman 1 dari {preview.page_count()}"
    assert preview.title_text() == "Laporan bulanan Oktober 2025"
    assert preview.save_button.isEnabled() and preview.print_button.isEnabled()
    qtbot.waitUntil(lambda: drawn(preview.view), timeout=10_000)
    page.grab().save(str(tmp_path / "laporan.png"))
    # the texts are kept with the month
    kept = queries.monthly_notes(ops.session.db(), "2025-10")
    assert kept is not None and kept.kendala == "Dana desa terlambat cair."

    # Save: the dialog is stood in for; the copy is whole and the folder remembered
    target = tmp_path / "simpan" / "laporan-oktober.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(page, "ask_save_path", lambda: target)
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, ops)
    qtbot.waitUntil(target.exists, timeout=5_000)
    text = pdf_text(target)
    assert "LAPORAN BULANAN KARANG TARUNA" in text and "Dana desa terlambat cair." in text
    assert ui_prefs.get(LAST_FOLDER) == str(target.parent)
    assert page.last_folder() == target.parent
    assert "Tersimpan" in page.status.text()

    # Print: no real dialog; the printer writes a PDF we can count the pages of
    printed = tmp_path / "cetak.pdf"

    def fake_dialog(printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        printer.setResolution(72)
        return True

    monkeypatch.setattr(preview, "use_print_system", lambda: False)  # Qt's path (Windows)
    monkeypatch.setattr(preview, "ask_printer", fake_dialog)
    assert preview.print_document() == preview.page_count()
    assert len(pdf_pages(printed)) == preview.page_count()
    assert "dikirim ke pencetak" in page.status.text()


def test_refusal_is_shown_and_nothing_previewed(qtbot, page, ops, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(pdf_saving, "show_failure",
                        lambda _parent, exc: shown.append(str(exc)))
    form = page.choose(MembersForm)
    assert isinstance(form, MembersForm)
    form.reveal.setFocus()
    qtbot.keyClick(form.reveal, Qt.Key.Key_Space)
    assert form.reveal.isChecked() and form.reason.isEnabled()
    qtbot.mouseClick(page.build_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, ops)
    qtbot.waitUntil(lambda: bool(shown), timeout=5_000)
    assert "alasan" in shown[0].lower()
    assert page.preview.page_count() == 0
    assert page.build_button.isEnabled()


def test_attendance_sheet_for_a_chosen_activity(qtbot, page, ops):
    form = page.choose(AttendanceForm)
    assert isinstance(form, AttendanceForm)
    qtbot.waitUntil(lambda: form.activity.count() >= 4, timeout=5_000)
    index = next(i for i in range(form.activity.count())
                 if form.activity.itemText(i).endswith("Pemeriksaan kesehatan gratis lansia"))
    form.activity.setCurrentIndex(index)
    form.spare.setValue(2)
    qtbot.keyClick(page, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    _idle(qtbot, ops)
    qtbot.waitUntil(lambda: page.preview.page_count() == 1, timeout=10_000)
    text = pdf_text(page.preview.path)
    assert "DAFTAR HADIR KEGIATAN" in text and "Dedi Kurniawan" in text


def test_certificates_offer_only_finished_trainings_and_no_stale_preview(qtbot, page, ops):
    """Issue 16: the certificate report offered the running training first (and failed with
    an error box), and kept showing the previous Daftar hadir under its heading."""
    import datetime as dt

    from kt_desktop.domain.trainings import Training
    from kt_desktop.gui.pages.reports import CertificatesForm
    from kt_desktop.services import trainings

    trainings.save_training(ops.session, Training(
        title="Pelatihan Barista", skill_field="Barista", organizer="Karang Taruna",
        start_date=PRINTED - dt.timedelta(days=3), end_date=PRINTED + dt.timedelta(days=10)))
    attendance = page.choose(AttendanceForm)
    qtbot.waitUntil(lambda: attendance.activity.count() >= 4, timeout=5_000)
    qtbot.keyClick(page, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    _idle(qtbot, ops)
    qtbot.waitUntil(lambda: page.preview.page_count() == 1, timeout=10_000)

    form = page.choose(CertificatesForm)
    assert page.preview.page_count() == 0 and page.preview.path is None
    _idle(qtbot, ops)
    qtbot.waitUntil(lambda: form.training.count() > 0, timeout=5_000)
    offered = [form.training.itemText(i) for i in range(form.training.count())]
    assert len(offered) == 1 and offered[0].endswith("Pelatihan Menjahit Dasar"), offered
