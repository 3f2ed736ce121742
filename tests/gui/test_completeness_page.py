"""Kelengkapan Buku in the main window: Beranda's card opens it, each gap's link opens the
place that fills it, the rubric is changed in its dialog and the Profil Karang Taruna is
saved; and the receiver's Peringkat page lists the villages by score."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel

from kt_desktop.domain import clock
from kt_desktop.domain.activities import Activity, Fund
from kt_desktop.gui.pages.completeness import CompletenessPage, RubricDialog
from kt_desktop.services import activities
from kt_desktop.services.session import open_session
from tests.gui.conftest import OpenWindow, idle
from tests.test_assessment import member


def _fill(path: Path) -> dict[str, str]:
    """A done, funded activity without a photo (40 days ago: its month has ended and has no
    report) and a member without a NIK or its reason."""
    session = open_session(path)
    try:
        day = clock.today() - dt.timedelta(days=40)
        activity = activities.save(session, Activity(
            title="Santunan yatim", kind="Santunan", status="terlaksana", start=day,
            funds=[Fund("donatur", 500_000)]))
        nameless = member(session, 7, nik=False)
        return {"activity": activity, "member": nameless, "month": f"{day:%Y-%m}"}
    finally:
        session.close()


def _link(page: CompletenessPage, target: str) -> None:
    """Click the link of the gap whose target is ``target``."""
    index = next(i for i, gap in enumerate(page.gap_links) if gap.target == target)
    label = next(w for w in page.findChildren(QLabel) if f'href="{index}"' in w.text())
    label.linkActivated.emit(str(index))


def test_from_beranda_to_each_place_that_fills_a_gap(
        qtbot: Any, village_file: Path, open_window: OpenWindow) -> None:
    made = _fill(village_file)
    window = open_window(village_file)
    home = window.page("beranda")
    assert home is not None
    # a photo, an LPJ, a monthly report (at least one month), a NIK reason
    assert int(home.card_text("book_gaps")) >= 4
    card = home.cards["book_gaps"]
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert window.current_key() == "kelengkapan"
    page = window.page("kelengkapan")
    assert isinstance(page, CompletenessPage)
    idle(qtbot, window.ops)
    texts = " ".join(w.text() for w in page.findChildren(QLabel))
    assert "Kegiatan terlaksana tanpa foto (1)" in texts
    assert "Anggota tanpa NIK dan tanpa alasannya (1)" in texts
    assert "Tidak ada tabel penilaian resmi" in texts

    _link(page, made["activity"])  # add a photo: the activity's form
    assert window.current_key() == "kegiatan"
    activities_page = window.page("kegiatan")
    form = activities_page.form  # type: ignore[union-attr]
    assert form is not None and form.activity_id == made["activity"]
    idle(qtbot, window.ops)
    form.reject()
    idle(qtbot, window.ops)

    window.open_at("kelengkapan")
    _link(page, made["member"])  # the member's form, to write the NIK or its reason
    members_page = window.page("anggota")
    assert window.current_key() == "anggota"
    assert members_page.form is not None  # type: ignore[union-attr]
    assert members_page.form.member_id == made["member"]  # type: ignore[union-attr]
    idle(qtbot, window.ops)
    members_page.form.reject()  # type: ignore[union-attr]
    idle(qtbot, window.ops)

    window.open_at("kelengkapan")
    _link(page, f"monthly:{made['month']}")  # the monthly report of that month
    reports_page = window.page("laporan")
    assert window.current_key() == "laporan"
    monthly = reports_page.form()  # type: ignore[union-attr]
    year, month = made["month"].split("-")
    assert monthly.key == "monthly" and monthly.chosen() == (int(year), int(month))

    window.open_at("kelengkapan")
    _link(page, f"lpj:{made['activity']}")  # the LPJ of that activity
    idle(qtbot, window.ops)
    lpj = reports_page.form()  # type: ignore[union-attr]
    assert lpj.key == "lpj" and lpj.activity.currentData() == made["activity"]
    idle(qtbot, window.ops)


def test_rubric_and_profile(qtbot: Any, village_file: Path, open_window: OpenWindow,
                            monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    window = open_window(village_file)
    page = window.open_at("kelengkapan")
    assert isinstance(page, CompletenessPage)
    idle(qtbot, window.ops)
    assert "kelas Tumbuh" in page.class_label.text()

    def answer(dialog: RubricDialog) -> int:
        dialog.since.set_value(dt.date(2020, 1, 1))
        dialog.spins["berkembang"].setValue(5)
        dialog.spins["maju"].setValue(10)
        dialog.spins["percontohan"].setValue(13)
        dialog.check_and_accept()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(RubricDialog, "exec", answer)
    page.rubric_button.click()
    idle(qtbot, window.ops)
    # an empty village scores (50 + 100 / 3) / 6 = 13,9 (officers; address and phone, no logo, no
    # inventory): above 13 under the new rubric
    assert "kelas Percontohan" in page.class_label.text()
    assert "1 Januari 2020" in page.rubric_label.text()

    out = tmp_path / "profil.pdf"
    monkeypatch.setattr(page, "ask_path", lambda: out)
    page.print_button.click()
    qtbot.waitUntil(lambda: out.exists() and not window.ops.busy(), timeout=20_000)
    assert "Tersimpan" in page.status.text() or str(out) in page.status.text()
    text = " ".join(p.extract_text() or "" for p in PdfReader(out).pages)
    assert "Percontohan" in text and "sejak 1 Januari 2020" in text


def test_the_rubric_dialog_refuses_classes_that_do_not_rise(qtbot: Any) -> None:
    from kt_desktop.domain.assessment import DEFAULT_RUBRIC

    dialog = RubricDialog(DEFAULT_RUBRIC, dt.date(2026, 1, 1))
    qtbot.addWidget(dialog)
    dialog.spins["maju"].setValue(30)
    dialog.check_and_accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "berkembang di bawah maju" in dialog.error.text()


def test_the_receiver_ranks_the_villages(qtbot: Any, receiver_file: Path, tmp_path: Path,
                                         open_window: OpenWindow) -> None:
    from tests.test_assessment import BAROS, KERTAJAYA, _village, village_a
    from tests.test_bundles_kit import import_paths

    receiver = open_session(receiver_file)
    try:
        bundles = [_village(tmp_path, BAROS, village_a, receiver),
                   _village(tmp_path, KERTAJAYA, lambda s: None, receiver)]
        import_paths(receiver, *bundles)
    finally:
        receiver.close()
    window = open_window(receiver_file)
    page = window.open_at("peringkat")
    idle(qtbot, window.ops)
    assert page.table.rowCount() == 2  # type: ignore[union-attr]
    assert page.table.item(0, 1).text() == "Desa Baros"  # type: ignore[union-attr]
    assert "Desa Kertajaya" in page.quiet.text()  # type: ignore[union-attr]
    area = page.area  # type: ignore[union-attr]
    area.setCurrentIndex(area.findData("36.01"))
    page.reload()  # type: ignore[union-attr]
    idle(qtbot, window.ops)
    assert page.table.rowCount() == 1  # type: ignore[union-attr]
    page.table.selectRow(0)  # type: ignore[union-attr]
    assert "Organisasi dan kepengurusan" in page.detail.text()  # type: ignore[union-attr]
