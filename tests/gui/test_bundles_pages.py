"""Kirim Data (village), Impor and Konflik (receiver), driven through their real widgets.

The OS dialogs (folder picker, key file, trust question, clear-bundle warning) are reached
through the pages' ``ask_*``/``confirm_*`` hooks, so the tests answer them as a user would.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kt_desktop.bundles.transport import Drive
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.receiver_conflicts import ReceiverConflictsPage
from kt_desktop.gui.pages.receiver_import import ReceiverImportPage
from kt_desktop.gui.pages.send_data import DestinationDialog, SendDataPage
from kt_desktop.services import bundles
from kt_desktop.services.session import Session, open_session
from kt_desktop.store import connection
from tests.gui.conftest import OpenWindow, show_page
from tests.test_bundles_kit import (
    add_members,
    edit,
    export,
    import_one,
    install_receiver_key,
    live_rows,
)

P = TypeVar("P", bound=QWidget)


def _shown(qtbot: QtBot, page_class: type[P], session: Session, **answers: Any
           ) -> tuple[P, Ops]:
    """``page_class`` on ``session`` at 1180x720, its ``ask_*``/``confirm_*`` hooks set to
    ``answers`` (what the user would answer in the OS dialogs)."""
    ops = Ops(session)
    page = page_class(ops)
    for hook, answer in answers.items():
        setattr(page, hook, answer)
    show_page(qtbot, ops, page, (1180, 720))
    return page, ops


def _trust_all(newcomers: list[bundles.BundleSummary]) -> set[tuple[str, str]]:
    """The answer "trust them all" to the question about villages never seen before."""
    return {(s.village_code, s.fingerprint) for s in newcomers}


def _idle(qtbot: QtBot, ops: Ops) -> None:
    qtbot.waitUntil(lambda: not ops.busy(), timeout=20_000)


def test_kirim_data_exports_to_a_folder_after_the_clear_warning(
    qtbot: QtBot, village: Session, tmp_path: Path
) -> None:
    add_members(village, 12)
    warnings: list[str] = []
    stick = tmp_path / "KINGSTON"
    stick.mkdir()
    page, ops = _shown(qtbot, SendDataPage, village,
                       confirm_clear=lambda text: warnings.append(text) or True,
                       ask_destination=lambda drives: stick)

    assert page.clear_warning.isVisible() and "NIK" in page.clear_warning.label.text()
    assert page.pending_total.text() == "Seluruhnya 13 data"  # 12 members and the profile
    assert "belum terpasang" in page.key_label.text()
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, ops)
    qtbot.waitUntil(lambda: page.result.isVisible(), timeout=10_000)

    (bundle,) = stick.glob("KT-3604222001-000001-*.ktb")
    assert warnings and "tidak akan terenkripsi" not in warnings[0] and "NIK" in warnings[0]
    assert "Aman untuk dicabut" in page.result.label.text()
    assert str(bundle) in page.result.label.text()
    _idle(qtbot, ops)
    assert page.last_label.text().startswith("Paket data 1")
    assert page.pending_total.text() == "Tidak ada yang baru sejak paket data terakhir."
    assert page.retry_timer.isActive()


def test_kirim_data_says_what_went_wrong_and_keeps_the_number(
    qtbot: QtBot, village: Session, tmp_path: Path
) -> None:
    add_members(village, 3)
    page, ops = _shown(qtbot, SendDataPage, village, confirm_clear=lambda _text: True,
                       ask_destination=lambda _drives: tmp_path / "dicabut")  # the stick is gone
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, ops)
    qtbot.waitUntil(lambda: page.result.isVisible(), timeout=10_000)
    assert "nomor paket data tidak terpakai" in page.result.label.text()
    assert bundles.send_status(village).last_export is None


def test_kirim_data_cancelled_warning_exports_nothing(
    qtbot: QtBot, village: Session, tmp_path: Path
) -> None:
    asked: list[object] = []
    page, ops = _shown(qtbot, SendDataPage, village, confirm_clear=lambda _text: False,
                       ask_destination=asked.append)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, ops)
    assert asked == [] and bundles.send_status(village).last_export is None


def test_installing_the_receiver_key_shows_both_fingerprints(
    qtbot: QtBot, village: Session, receiver: Session, tmp_path: Path
) -> None:
    key_file = tmp_path / "kunci-banten.ktkey"
    key = bundles.export_receiver_key(receiver, key_file, email="kt.banten@example.id")
    page, ops = _shown(qtbot, SendDataPage, village, ask_key_file=lambda: key_file)
    # No key yet: the card warns instead of showing a check mark (issue 16).
    assert page.key_card.icon_name == "alert-triangle"
    own = bundles.key_info(village).own_fingerprint
    qtbot.mouseClick(page.key_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, ops)
    qtbot.waitUntil(lambda: key.fingerprint in page.key_label.text(), timeout=10_000)
    assert own in page.key_label.text() and "kt.banten@example.id" in page.key_label.text()
    assert not page.clear_warning.isVisible()
    assert page.key_card.icon_name == "check-circle"


def test_destination_dialog_lists_drives_with_name_and_free_space(
    qtbot: QtBot, tmp_path: Path
) -> None:
    drives = [
        Drive(path=tmp_path, name="KINGSTON", free_bytes=3 * 1024**3, total_bytes=8 * 1024**3)
    ]
    dialog = DestinationDialog(drives)
    qtbot.addWidget(dialog)
    text = dialog.list.item(0).text()
    assert "KINGSTON" in text and "3 GB" in text and "8 GB" in text
    dialog._accept_drive()
    assert dialog.chosen == tmp_path


def test_impor_asks_about_a_new_village_then_imports_and_reports_refusals(
    qtbot: QtBot, village: Session, receiver: Session, tmp_path: Path
) -> None:
    install_receiver_key(village, receiver, tmp_path)
    ids = add_members(village, 5)
    stick = tmp_path / "stick"
    export(village, stick)
    edit(village, "members", ids[0], name="Nama Baru")
    second = export(village, stick)
    (stick / "rusak.ktb").write_bytes(second.read_bytes()[:500])  # the copy was cut off
    asked: list[list[bundles.BundleSummary]] = []

    def trust(newcomers: list[bundles.BundleSummary]) -> set[tuple[str, str]]:
        asked.append(newcomers)
        return _trust_all(newcomers)

    page, ops = _shown(qtbot, ReceiverImportPage, receiver, ask_folder=lambda: stick,
                       ask_trust=trust)
    assert not page.import_button.isEnabled()
    qtbot.mouseClick(page.folder_button, Qt.MouseButton.LeftButton)
    assert page.input_list.count() == 1 and page.import_button.isEnabled()

    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(asked) and not ops.busy(), timeout=20_000)
    qtbot.waitUntil(
        lambda: (
            sorted(s.status for s in page.model.rows)
            == [bundles.IMPORTED, bundles.IMPORTED, bundles.REFUSED]
        ),
        timeout=20_000,
    )
    assert {s.village_code for s in asked[0]} == {village.code}
    refused = next(s for s in page.model.rows if s.status == bundles.REFUSED)
    row = page.model.rows.index(refused)
    result = page.model.index(row, 7).data()
    assert result.startswith("Ditolak: rusak.ktb tidak lengkap")
    assert "2 diimpor" in page.totals.text() and "1 ditolak" in page.totals.text()
    assert live_rows(receiver.db(), "members")[ids[0]]["name"] == "Nama Baru"


def test_impor_dry_run_changes_nothing(
    qtbot: QtBot, village: Session, receiver: Session, tmp_path: Path
) -> None:
    add_members(village, 2)
    path = export(village, tmp_path / "usb")
    page, ops = _shown(qtbot, ReceiverImportPage, receiver, ask_files=lambda: [path],
                       ask_trust=_trust_all)
    qtbot.mouseClick(page.files_button, Qt.MouseButton.LeftButton)
    page.dry_run.setChecked(True)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: [s.status for s in page.model.rows] == [bundles.DRY_RUN] and not ops.busy(),
        timeout=20_000,
    )
    assert "uji coba" in page.totals.text()
    assert live_rows(receiver.db(), "members") == {}


def test_impor_cancel_of_a_bulk_import_leaves_every_index_rebuilt(
    qtbot: QtBot, receiver: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The progress dialog's Cancel in the middle of a bulk import (indexes set aside):
    the bundles finished stay, and the indexes and member search are back when it ends."""
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from kt_desktop.bundles import merge
    from kt_desktop.services.setup import init_village
    from kt_desktop.store import bulk_import, settings
    from tests.conftest import make_profile

    stick = tmp_path / "stick"
    codes = ["36.04.22.2001", "36.04.22.2002", "36.04.22.2003", "36.04.22.2004",
             "36.04.22.2005", "36.04.22.2006"]
    for number, code in enumerate(codes):
        path = tmp_path / f"desa-{number}.sqlite"
        init_village(path, make_profile(village_code=code, name=f"KT {number}"))
        village = open_session(path)
        try:
            install_receiver_key(village, receiver, tmp_path)
            add_members(village, 3, start=10 * number)
            export(village, stick)
        finally:
            village.close()
    monkeypatch.setattr(bulk_import, "MIN_BUNDLES", 2)  # six small bundles count as large
    monkeypatch.setattr(bulk_import, "MIN_ROWS", 1)
    monkeypatch.setattr(bundles, "BULK_BATCH_ROWS", 1)  # each bundle commits on its own
    slow_apply = merge.apply

    def slowly(*args: object, **kwargs: object) -> object:
        time.sleep(0.4)
        return slow_apply(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(merge, "apply", slowly)
    began: list[int] = []
    real_begin = bulk_import.begin
    monkeypatch.setattr(bulk_import, "begin", lambda db: began.append(1) or real_begin(db))
    schema = sorted(receiver.db().execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
    ).fetchall())
    page, ops = _shown(qtbot, ReceiverImportPage, receiver, ask_folder=lambda: stick,
                       ask_trust=_trust_all)
    qtbot.mouseClick(page.folder_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)  # all new: trust asked

    def dialog() -> QProgressDialog | None:
        found = [d for d in page.findChildren(QProgressDialog) if d.isVisible()]
        return found[0] if found else None

    qtbot.waitUntil(
        lambda: dialog() is not None and receiver.db().execute(
            "SELECT count(*) FROM imports").fetchone()[0] >= 2,
        timeout=20_000,
    )
    shown = dialog()
    assert shown is not None
    cancel = next(b for b in shown.findChildren(QPushButton) if b.text() == "Batal")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Dibatalkan" in page.totals.text() and not ops.busy(),
                    timeout=20_000)
    db = receiver.db()
    imported = db.execute("SELECT count(*) FROM imports").fetchone()[0]
    assert 2 <= imported < len(codes) and began  # cancelled in the middle of a bulk import
    assert settings.get(db, bulk_import.PENDING) is None
    assert sorted(db.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
    ).fetchall()) == schema
    found = db.execute(
        "SELECT count(*) FROM members WHERE rowid IN "
        "(SELECT rowid FROM members_fts WHERE members_fts MATCH 'anggota')"
    ).fetchone()[0]
    assert found == 3 * imported


def test_konflik_shows_both_versions_and_marks_them_seen(
    qtbot: QtBot, village: Session, receiver: Session, tmp_path: Path
) -> None:
    install_receiver_key(village, receiver, tmp_path)
    ids = add_members(village, 2)
    import_one(receiver, export(village, tmp_path / "1"))
    with connection.copying_to(village.db(), tmp_path / "laptop-baru.sqlite"):
        village.db().execute("VACUUM INTO ?", [str(tmp_path / "laptop-baru.sqlite")])
    restored = open_session(tmp_path / "laptop-baru.sqlite")
    try:
        edit(village, "members", ids[0], name="Versi laptop lama")
        edit(restored, "members", ids[0], name="Versi laptop baru")
        import_one(receiver, export(village, tmp_path / "2"))
        export(restored, tmp_path / "3")  # bundle 2 again, other content: refused
        import_one(receiver, export(restored, tmp_path / "3", full=True))  # bundle 3
    finally:
        restored.close()

    page, ops = _shown(qtbot, ReceiverConflictsPage, receiver)
    assert page.list_model.rowCount() == 1
    assert page.list_model.index(0, 2).data() == "Versi laptop baru"
    assert page.list_model.index(0, 4).data() == "ubahan yang lebih akhir menang"
    first = page.comparison.rows[0]  # what differs comes first, under a readable name
    assert first == ("Nama", "Versi laptop baru", "Versi laptop lama")
    assert page.comparison.index(0, 1).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert page.count.text() == "1 belum diperiksa"

    qtbot.mouseClick(page.seen_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.list_model.rowCount() == 0 and not ops.busy(), timeout=10_000)
    page.show_seen.setChecked(True)
    qtbot.waitUntil(lambda: page.list_model.rowCount() == 1 and not ops.busy(), timeout=10_000)
    assert page.list_model.index(0, 6).data() == "sudah diperiksa"


def test_pages_are_in_the_sidebars(
    qtbot: QtBot, village_file: Path, receiver_file: Path, open_window: OpenWindow
) -> None:
    window = open_window(village_file)
    window.show_page([spec.key for spec in window.specs].index("kirim"))
    qtbot.waitUntil(lambda: not window.ops.busy(), timeout=10_000)
    assert isinstance(window.stack.currentWidget(), SendDataPage)
    window = open_window(receiver_file)
    for key, kind in (("impor", ReceiverImportPage), ("konflik", ReceiverConflictsPage)):
        window.show_page([spec.key for spec in window.specs].index(key))
        qtbot.waitUntil(lambda: not window.ops.busy(), timeout=10_000)
        assert isinstance(window.stack.currentWidget(), kind)
