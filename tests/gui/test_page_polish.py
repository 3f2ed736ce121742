"""The reviewer's punch list, checked as a secretary would meet it in the Indonesian program.

Questions answer with Indonesian words, every button says what it does when the pointer
rests on it, a new file and a new training say what to do next, the report title keeps off
the page count, and Cetak on Anggota leads to the printed register.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLineEdit,
    QPushButton,
    QTabBar,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from kt_desktop.domain import clock
from kt_desktop.domain.trainings import Training, TrainingSession
from kt_desktop.gui.main_window import MainWindow
from kt_desktop.gui.pages import members as members_page
from kt_desktop.gui.pages.home import HomePage
from kt_desktop.gui.pages.members import MembersPage
from kt_desktop.gui.pages.reports import MembersForm, ReportsPage
from kt_desktop.gui.pages.trainings import TrainingsPage
from kt_desktop.gui.widgets.confirm import confirm, inform
from kt_desktop.gui.widgets.pdf_preview import PdfPreview
from kt_desktop.services import demo_members
from kt_desktop.services import trainings as training_service
from kt_desktop.services.session import open_session
from tests.gui.conftest import OpenWindow
from tests.gui.message_boxes import answer_boxes

TODAY = clock.today()
#: A tooltip that only names a key ("Ctrl+N", "Enter", "Delete", "Ctrl+S") says nothing.
BARE_KEY = re.compile(r"^(Ctrl\+\S+|Enter|Delete|Del|Esc|F\d+|Alt\+\S+)$")


def _idle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.ops.busy(), timeout=15_000)


def _show(qtbot: QtBot, window: MainWindow, key: str) -> Any:
    window.show_page([spec.key for spec in window.specs].index(key))
    _idle(qtbot, window)
    return window.page(key)


def _add_members(path: Path, count: int) -> None:
    session = open_session(path)
    try:
        demo_members.fill(session, random.Random(3), TODAY, members=count, months=1)
    finally:
        session.close()


def _buttons_without_a_useful_tip(page: QWidget) -> list[str]:
    """Labelled buttons of ``page`` whose tooltip is missing or only a key name."""
    wrong = []
    for button in page.findChildren(QAbstractButton):
        if not isinstance(button, (QPushButton, QToolButton)) or not button.text():
            continue
        if isinstance(button.parent(), (QTabBar, QLineEdit, QComboBox)):
            continue  # Qt's own parts (tab scroll arrows, a line edit's clear button)
        tip = button.toolTip().strip()
        if not tip or BARE_KEY.match(tip) or len(tip.split()) < 3:
            wrong.append(f"{button.text()!r}: {tip!r}")
    return wrong


# -- questions in Indonesian ------------------------------------------------------------------
def test_confirm_asks_with_indonesian_buttons_and_defaults_to_no(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    answers = answer_boxes(monkeypatch)  # Esc
    assert not confirm(parent, "Hapus anggota", "Hapus Siti?", "Hapus")
    assert sorted(answers.buttons[0]) == ["Batal", "Hapus"]
    answers.press = "Hapus"
    assert confirm(parent, "Hapus anggota", "Hapus Siti?", "Hapus")
    answers.press = "Tulis NIK lengkap"
    assert confirm(parent, "Ekspor", "Tulis NIK lengkap?", "Tulis NIK lengkap",
                   no_label="Hanya 4 angka terakhir", destructive=False)
    assert sorted(answers.buttons[-1]) == ["Hanya 4 angka terakhir", "Tulis NIK lengkap"]
    inform(parent, "Anggota", "Siti adalah anggota.")
    assert answers.buttons[-1] == ["Tutup"]
    assert answers.english_buttons() == []


def test_member_export_asks_about_niks_in_indonesian(
    qtbot: QtBot, village_file: Path, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    window = open_window(village_file)
    page = _show(qtbot, window, "anggota")
    assert isinstance(page, MembersPage)
    target = tmp_path / "anggota.xlsx"
    monkeypatch.setattr(members_page.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: (str(target), "")))
    exported: list[bool] = []
    monkeypatch.setattr(page, "export_to",
                        lambda _path, *, separator, reveal_nik: exported.append(reveal_nik))
    answers = answer_boxes(monkeypatch, press="Hanya 4 angka terakhir")
    page.export_button.click()
    assert "NIK" in answers.asked[0]
    assert sorted(answers.buttons[0]) == ["Hanya 4 angka terakhir", "Tulis NIK lengkap"]
    assert exported == [False]
    answers.press = "Tulis NIK lengkap"
    page.export_button.click()
    assert exported == [False, True]


# -- tooltips -----------------------------------------------------------------------------------
def test_every_button_of_the_village_pages_says_what_it_does(
    qtbot: QtBot, village_file: Path, open_window: OpenWindow
) -> None:
    window = open_window(village_file)
    wrong: dict[str, list[str]] = {}
    for key in ("anggota", "kegiatan", "pelatihan", "laporan", "pengaturan"):
        page = _show(qtbot, window, key)
        found = _buttons_without_a_useful_tip(page)
        if found:
            wrong[key] = found
    assert not wrong, wrong
    trainings = window.page("pelatihan")
    assert isinstance(trainings, TrainingsPage)
    assert trainings.add_button.toolTip() == "Catat pelatihan baru (Ctrl+N)"
    assert "ditindaklanjuti" in trainings.due_button.toolTip()
    assert "Ctrl+S" in trainings.attendance_tab.grid.save_button.toolTip()
    settings = window.page("pengaturan")
    assert "logo" in settings.fields.logo_choose.toolTip()
    assert settings.backups_panel.to_drive.toolTip().startswith("Tulis salinan")


# -- what to do next ----------------------------------------------------------------------------
def test_a_new_village_file_says_how_to_start_until_it_has_members(
    qtbot: QtBot, village_file: Path, open_window: OpenWindow
) -> None:
    window = open_window(village_file)
    home = window.page("beranda")
    assert isinstance(home, HomePage)
    assert home.start_hint.isVisible()
    assert home.start_text.text() == (
        "Mulai dengan menambah anggota: buka Anggota lalu tekan Ctrl+N, atau Impor dari Excel. "
        "Tekan F1 untuk panduan."
    )
    home.start_button.click()
    _idle(qtbot, window)
    assert window.current_key() == "anggota"

    _add_members(village_file, 5)
    _show(qtbot, window, "beranda")
    assert home.card_text("active_members") != "0"
    assert not home.start_hint.isVisible()


def test_a_new_training_says_what_to_add_on_its_sessions_and_participants_tabs(
    qtbot: QtBot, village_session: Any
) -> None:
    from kt_desktop.gui.ops import Ops

    training_id = training_service.save_training(village_session, Training(
        title="Pelatihan Servis Sepeda Motor", skill_field="Otomotif", kind="vokasional",
        start_date=TODAY, end_date=TODAY + dt.timedelta(days=30),
    ))
    ops = Ops(village_session)
    page = TrainingsPage(ops, None, today=TODAY)
    qtbot.addWidget(page, before_close_func=lambda _w: ops.wait_idle())
    page.resize(1186, 740)
    page.show()
    qtbot.waitUntil(lambda: page.detail is not None, timeout=10_000)
    sessions, participants = page.sessions_tab, page.participants_tab
    assert sessions.table_stack.currentWidget() is sessions.empty
    assert sessions.empty.text() == "Belum ada pertemuan — tekan Tambah pertemuan"
    page.tabs.setCurrentWidget(participants)
    assert participants.table_stack.currentWidget() is participants.empty
    assert participants.empty.isVisible()
    assert participants.empty.text() == (
        "Belum ada peserta — tekan Tambah anggota… atau Tambah bukan anggota…"
    )

    training_service.save_session(village_session, TrainingSession(
        training_id=training_id, date=TODAY, topic="Mesin dua tak", hours=3,
    ))
    page.load_detail()
    qtbot.waitUntil(lambda: not ops.busy(), timeout=10_000)
    assert sessions.table_stack.currentWidget() is sessions.table
    assert sessions.model.rowCount() == 1
    ops.wait_idle()


# -- the report preview -------------------------------------------------------------------------
def test_the_report_title_keeps_off_the_page_count(
    qtbot: QtBot, village_session: Any, tmp_path: Path
) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "laporan.pdf"
    drawing = canvas.Canvas(str(pdf), pagesize=A4)
    for number in range(1, 6):
        drawing.drawString(72, 720, f"Halaman {number}")
        drawing.showPage()
    drawing.save()
    preview = PdfPreview()
    qtbot.addWidget(preview)
    preview.resize(760, 700)  # beside the Laporan choices at 1366x768
    preview.show()
    qtbot.waitExposed(preview)
    title = ("Daftar hadir: Pelatihan Kewirausahaan Digital untuk Usaha Mikro, Kecil dan "
             "Menengah Desa Baros Kecamatan Baros Tahun 2026")
    assert preview.show_pdf(pdf, title)
    qtbot.waitUntil(lambda: preview.title.text() != "", timeout=5_000)
    assert preview.page_label.text() == "Halaman 1 dari 5"
    assert preview.title.text().endswith("…") and preview.title.toolTip() == title
    assert preview.title_text() == title

    def box(widget: QWidget) -> QRect:
        return QRect(widget.mapTo(preview, widget.rect().topLeft()), widget.size())

    text_width = preview.title.fontMetrics().horizontalAdvance(preview.title.text())
    assert text_width <= preview.title.contentsRect().width()
    for other in (preview.page_label, preview.zoom_out, preview.fit, preview.save_button):
        assert not box(preview.title).intersects(box(other)), other
    preview.clear()


def test_cetak_on_anggota_opens_the_member_register_in_laporan(
    qtbot: QtBot, village_file: Path, open_window: OpenWindow
) -> None:
    _add_members(village_file, 8)
    window = open_window(village_file)
    page = _show(qtbot, window, "anggota")
    assert isinstance(page, MembersPage)
    assert page.print_button.text() == "Cetak"
    page.print_button.click()
    _idle(qtbot, window)
    assert window.current_key() == "laporan"
    reports = window.page("laporan")
    assert isinstance(reports, ReportsPage)
    assert isinstance(reports.form(), MembersForm)
    qtbot.waitUntil(lambda: reports.preview.page_count() > 0, timeout=15_000)
    assert reports.preview.title_text() == "Buku induk anggota"
    assert reports.kinds.currentItem().text() == "Buku induk anggota"
