"""Kirim Data with a receipt and a notice (issue 21): the line "Diterima … paket 3 hilang",
the one-step resend, and a notice's updates applied only after the secretary confirms."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.send_data import SendDataPage
from kt_desktop.gui.widgets import fit
from kt_desktop.services import members, notices, receipts
from kt_desktop.services.session import Session
from tests.gui.conftest import OpenWindow
from tests.gui.test_fits_small_screens import SCREENS, screen  # noqa: F401
from tests.test_bundles_kit import add_members, export, export_batches, import_one, one_receipt


def _show(qtbot: QtBot, page: SendDataPage, ops: Ops, size: tuple[int, int]) -> None:
    qtbot.addWidget(page, before_close_func=lambda _w: ops.wait_idle())
    page.resize(*size)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: not ops.busy(), timeout=10_000)


def test_kirim_data_shows_the_receipt_resends_and_applies_a_notice(
    qtbot: QtBot, pair: tuple[Session, Session], tmp_path: Path
) -> None:
    village, receiver = pair
    usb = tmp_path / "usb"
    first, _lost, third = export_batches(village, usb, 1, 1, 1)
    for path in (first, third):
        assert import_one(receiver, path).ok
    receipt = one_receipt(receiver, tmp_path / "tt")
    (notice_out := tmp_path / "pengumuman").mkdir()
    notice = notices.make_notice(
        receiver, title="Aturan usia baru", text="Mulai tahun depan.", out_dir=notice_out,
        updates=[notices.age_rule_update(16, 30, "Permensos No. 9 Tahun 2025",
                                         dt.date(2026, 1, 1))],
    ).path

    ops = Ops(village)
    page = SendDataPage(ops)
    chosen = [receipt.path, notice]
    page.ask_document = lambda: chosen.pop(0)
    (again := tmp_path / "ulang").mkdir()
    page.ask_destination = lambda _drives: again
    questions: list[str] = []
    page.confirm_updates = lambda text: questions.append(text) or True
    _show(qtbot, page, ops, (1024, 600))
    assert page.receipt_label.text() == "Belum ada tanda terima dari penerima."
    assert not page.resend_button.isVisible()

    qtbot.mouseClick(page.document_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "hilang" in page.receipt_label.text(), timeout=10_000)
    assert "paket 1\u20133; paket 2 hilang" in page.receipt_label.text()
    assert page.resend_button.isVisible()
    page.grab().save(str(tmp_path / "kirim-data-tanda-terima.png"))

    qtbot.mouseClick(page.resend_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.result.isVisible() and "disimpan lagi" in
                    page.result.label.text(), timeout=10_000)
    assert [p.name for p in again.iterdir()] == [p.name for p in usb.glob("*000002*")]

    rule_before = members.age_rule(village)
    qtbot.mouseClick(page.document_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.notice_box.count() == 1, timeout=10_000)
    assert members.age_rule(village) == rule_before
    card = page.notice_box.itemAt(0).widget()
    apply = next(b for b in card.findChildren(type(page.resend_button))
                 if b.text().startswith("&Terapkan"))
    qtbot.mouseClick(apply, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ops.busy(), timeout=10_000)
    qtbot.waitUntil(lambda: members.age_rule(village).max_age == 30, timeout=10_000)
    assert "16-30 tahun" in questions[0]


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_receipt_and_notice_fit_a_small_screen(
    qtbot: QtBot, screen: tuple[int, int], pair: tuple[Session, Session], tmp_path: Path,  # noqa: F811
) -> None:
    """The receipt card with a refused bundle and a notice with its buttons, whole at
    1024x600 with the largest font (the walk of test_fits_small_screens has no receipt)."""
    village, receiver = pair
    assert import_one(receiver, export_batches(village, tmp_path / "usb", 1, 1)[1]).ok
    receipt = one_receipt(receiver, tmp_path / "tt")
    receipts.import_receipt(village, receipt.path)
    (poster := tmp_path / "Formulir pendaftaran lomba.pdf").write_bytes(b"%PDF-1.4\n")
    notice = notices.make_notice(
        receiver, title="Lomba Karang Taruna Berprestasi Tingkat Provinsi 2027",
        text="Pendaftaran dibuka sampai 31 Januari 2027. " * 4, out_dir=receipt.path.parent,
        attachments=[poster],
        updates=[notices.value_update(notices.SKILL, "Perawatan panel surya")],
    ).path
    notices.import_notice(village, notice)
    ops = Ops(village)
    page = SendDataPage(ops)
    _show(qtbot, page, ops, screen)
    qtbot.waitUntil(lambda: page.notice_box.count() == 1, timeout=10_000)
    qtbot.wait(300)  # the cards reflow to the width after the first layout
    content = page.findChild(QScrollArea).widget()
    content.grab().save(str(tmp_path / f"kirim-{screen[0]}.png"))  # the whole page, to look at
    problems = fit.misfits(page, screen)
    assert problems == [], "\n".join(problems)
    assert "paket 1\u20132; paket 1 hilang" in page.receipt_label.text()


def test_opening_a_receipt_file_imports_it_on_kirim_data(
    qtbot: QtBot, open_window: OpenWindow, pair: tuple[Session, Session], tmp_path: Path
) -> None:
    """``kt-desktop "Tanda terima - Desa Baros - ….ktr"`` (a double click on the file)."""
    from kt_desktop.__main__ import _document, _wants_gui

    village, receiver = pair
    add_members(village, 1)
    assert import_one(receiver, export(village, tmp_path / "usb")).ok
    receipt = one_receipt(receiver, tmp_path / "tt")
    argv = [str(receipt.path), "--data", str(village.path)]
    assert _wants_gui(argv) and _document(argv) == str(receipt.path)
    assert not _wants_gui(["receipt", "import", str(receipt.path)])

    window = open_window(village.path)
    assert window.open_document(receipt.path)
    page = window.page("kirim")
    qtbot.waitUntil(lambda: "Diterima Karang Taruna Provinsi Banten" in
                    page.receipt_label.text(), timeout=10_000)
    assert receipts.receipt_status(village).held == [1]


def test_impor_makes_the_receipts_of_the_villages_just_imported(
    qtbot: QtBot, pair: tuple[Session, Session], tmp_path: Path
) -> None:
    from kt_desktop.gui.pages.receiver_import import ReceiverImportPage

    village, receiver = pair
    usb = tmp_path / "usb"
    export_batches(village, usb, 1, 1, 1)[1].unlink()  # bundle 2 lost on the way
    (out := tmp_path / "tanda-terima").mkdir()
    ops = Ops(receiver)
    page = ReceiverImportPage(ops)
    folders = [usb, out]
    page.ask_folder = lambda: folders.pop(0)
    page.ask_trust = lambda newcomers: {(s.village_code, s.fingerprint) for s in newcomers}
    _show(qtbot, page, ops, (1366, 768))
    qtbot.mouseClick(page.folder_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ops.busy() and page.model.rowCount() == 2, timeout=20_000)
    qtbot.waitUntil(lambda: not ops.busy(), timeout=20_000)
    qtbot.mouseClick(page.receipt_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "tanda terima ditulis" in page.totals.text(), timeout=10_000)
    assert "1 di antaranya mencatat paket yang hilang" in page.totals.text()
    (made,) = out.glob("*.ktr")
    assert made.name.startswith("Tanda terima - Desa Baros - ")
    assert receipts.import_receipt(village, made).status.missing == [2]


def test_impor_makes_a_notice_the_village_then_applies(
    qtbot: QtBot, pair: tuple[Session, Session], tmp_path: Path
) -> None:
    from kt_desktop.gui.dialogs.notice_form import NoticeForm
    from kt_desktop.gui.pages.receiver_import import ReceiverImportPage

    village, receiver = pair
    add_members(village, 1)
    assert import_one(receiver, export(village, tmp_path / "usb")).ok
    (poster := tmp_path / "Poster.pdf").write_bytes(b"%PDF-1.4\n")
    form = NoticeForm()
    qtbot.addWidget(form)
    form.ask_files = lambda: [poster]
    form.title.setText("Pelatihan panel surya")
    form.text.setPlainText("Pendaftaran di kantor kabupaten.")
    form.skill.setText("Perawatan panel surya")
    form.attach_button.click()
    form.age_rule.setChecked(True)
    form.accept_form()  # no legal basis: refused beside the form
    assert form.chosen is None and "dasar hukum" in form.error.text()
    form.basis.setText("Permensos No. 9 Tahun 2025")
    form.accept_form()
    assert form.chosen is not None and len(form.chosen["updates"]) == 2

    (out := tmp_path / "pengumuman").mkdir()
    ops = Ops(receiver)
    page = ReceiverImportPage(ops)
    page.ask_notice = lambda: form.chosen
    page.ask_folder = lambda: out
    _show(qtbot, page, ops, (1366, 768))
    qtbot.mouseClick(page.notice_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "untuk 1 desa" in page.totals.text(), timeout=10_000)
    (made,) = out.glob("Pengumuman*.ktr")
    notice = notices.import_notice(village, made).notice
    assert notice.files == ("Poster.pdf",) and notice.state == "new"


def test_a_kabupaten_passes_bundles_on_to_the_province_from_impor(
    qtbot: QtBot, village_session: Session, tmp_path: Path
) -> None:
    """The relay is on the Impor page of a kabupaten file too (not only `bundle forward`):
    the bundles go on untouched, with an e-mail draft that carries them."""
    from kt_desktop.bundles import crypto, keys
    from kt_desktop.bundles import format as fmt
    from kt_desktop.gui.pages.receiver_import import ReceiverImportPage
    from kt_desktop.services import bundles
    from kt_desktop.services.session import open_session
    from kt_desktop.services.setup import init_receiver
    from tests.test_notices_relay import _bundles_of, _villages

    add_members(village_session, 2)
    codes = _villages(3)
    bags = _bundles_of(village_session, codes)
    init_receiver(tmp_path / "prov.sqlite", "36", "Karang Taruna Provinsi Banten")
    init_receiver(tmp_path / "kab.sqlite", "36.04", "Karang Taruna Kabupaten Serang")
    province, kabupaten = open_session(tmp_path / "prov.sqlite"), open_session(tmp_path / "kab.sqlite")
    try:
        bundles.export_receiver_key(province, tmp_path / "provinsi.ktkey", email="prov@example.id")
        bundles.import_receiver_key(kabupaten, tmp_path / "provinsi.ktkey")
        (usb := tmp_path / "usb").mkdir()
        for code in codes:
            (usb / fmt.file_name(code, 1, "20261130")).write_bytes(
                crypto.seal(bags[code], keys.encryption_public_key(kabupaten.db())))
        (out := tmp_path / "ke-provinsi").mkdir()
        ops = Ops(kabupaten)
        page = ReceiverImportPage(ops)
        folders = [usb, out]
        page.ask_folder = lambda: folders.pop(0)
        _show(qtbot, page, ops, (1366, 768))
        assert page.forward_button.isVisible()  # a kabupaten file
        qtbot.mouseClick(page.folder_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(page.forward_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not ops.busy() and page.totals.text() != "", timeout=20_000)
        assert "3 paket diteruskan." in page.totals.text()
        assert "Draf e-mail:" in page.totals.text()
        assert len(list(out.glob("*.ktb"))) == 3 and len(list(out.glob("*.eml"))) == 1
        report = bundles.import_files(province, [out], trust_new=True)
        assert report.count(bundles.IMPORTED) == 3
        ops.wait_idle()
    finally:
        kabupaten.close()
        province.close()
