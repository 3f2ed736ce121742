"""The reliability screens driven as a secretary drives them: recovery, backups, audit log, PIN.

Qt's own message boxes are answered by a fixture (it clicks the box's accept button and
records what the box said), so that the tests read what the secretary would have read.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox

from kt_desktop import paths
from kt_desktop.domain import clock
from kt_desktop.gui.dialogs.audit_log import AuditLogDialog
from kt_desktop.gui.dialogs.backups import BackupsDialog, DrivePicker
from kt_desktop.gui.dialogs.pin import PinPrompt, PinSettingsDialog
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.recovery import RecoveryDialog, recover
from kt_desktop.services import backups, pin
from kt_desktop.services.session import open_session
from kt_desktop.store import members as member_store
from tests.conftest import VILLAGE_CODE
from tests.test_backups import add_members, member_count

# -- helpers ---------------------------------------------------------------------------------


class Boxes:
    """Answers QMessageBoxes: the accept button of a question, OK of the others."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.answer_yes = True


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    record = Boxes()

    def exec_box(box: QMessageBox) -> int:
        record.seen.append(f"{box.text()} {box.informativeText()}".strip())
        wanted = QMessageBox.ButtonRole.AcceptRole if record.answer_yes else QMessageBox.ButtonRole.RejectRole
        for button in box.buttons():
            if box.buttonRole(button) == wanted:
                button.click()
                break
        return 0

    def static_box(parent: object, title: str, text: str, *args: object, **kwargs: object) -> int:
        record.seen.append(text)
        return int(QMessageBox.StandardButton.Ok)

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(static_box))
    return record


def damage(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.seek(4096 * 3)
        handle.write(bytes(random.Random(1).randrange(256) for _ in range(4096)))


@pytest.fixture
def desa(village_file: Path) -> Path:
    add_members(village_file, 80, seed=1)
    return village_file


@pytest.fixture
def ops(qtbot, village_file: Path) -> Iterator[Ops]:  # type: ignore[no-untyped-def]
    add_members(village_file, 80, seed=1)
    session = open_session(village_file)
    operations = Ops(session)
    yield operations
    operations.wait_idle()
    session.close()


def when_ready(condition: Callable[[], bool], action: Callable[[], None], tries: int = 250) -> None:
    """Inside a modal exec(): poll until ``condition``, then act (single-shot timers only)."""
    if condition():
        action()
    elif tries:
        QTimer.singleShot(20, lambda: when_ready(condition, action, tries - 1))


# -- recovery --------------------------------------------------------------------------------


def test_recovery_lists_good_backups_first_and_restores(qtbot, desa: Path, boxes: Boxes) -> None:  # type: ignore[no-untyped-def]
    good = backups.take_backup(desa, now=dt.datetime(2026, 11, 26, 17, 0))
    add_members(desa, 5, seed=2)
    newer = backups.take_backup(desa, now=dt.datetime(2026, 11, 27, 17, 0))
    damage(newer.path)  # the newest backup is damaged too: it must not be offered first
    damage(desa)
    check = backups.check_on_open(desa)
    assert not check.ok

    dialog = RecoveryDialog(desa, check, check.message)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    assert "rusak" in dialog.problem.text() and str(desa) in dialog.problem.text()
    first, second = dialog.model.rows
    assert first.path == good.path and first.ok
    assert second.path == newer.path and second.ok is False
    assert dialog.model.index(1, dialog.model.columnCount() - 1).data() == "Rusak"
    assert dialog.selected() == first and dialog.restore_button.isEnabled()
    # the backup's time (the laptop's clock) as shown everywhere: in the village's zone
    from kt_desktop.domain.formats import date_time

    assert date_time(dt.datetime(2026, 11, 26, 17, 0).astimezone()) in dialog.status.text()
    damaged_bytes = desa.read_bytes()

    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.restored, timeout=10_000)
    assert not dialog.isVisible()
    assert any("80 anggota" in text for text in boxes.seen)  # the confirmation named the counts
    assert member_count(desa) == 80 and backups.check_on_open(desa).ok
    kept = list(desa.parent.glob("desa.sqlite.rusak-*"))
    assert [p.read_bytes() == damaged_bytes for p in kept if not p.name.endswith(("-wal", "-shm"))] == [True]
    open_session(desa).close()


def test_cancelling_the_confirmation_changes_nothing(qtbot, desa: Path, boxes: Boxes) -> None:  # type: ignore[no-untyped-def]
    backups.take_backup(desa, now=dt.datetime(2026, 11, 26, 17, 0))
    damage(desa)
    before = desa.read_bytes()
    dialog = RecoveryDialog(desa, backups.check_on_open(desa), "rusak")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    boxes.answer_yes = False
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert not dialog.restored and dialog.isVisible()
    assert desa.read_bytes() == before


def test_a_damaged_file_chosen_to_restore_from_is_refused(  # type: ignore[no-untyped-def]
    qtbot, desa: Path, boxes: Boxes, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """"Choose a file…" starts in the backups folder; a damaged file is named and refused."""
    from PySide6.QtWidgets import QFileDialog

    damage(desa)
    before = desa.read_bytes()
    chosen = tmp_path / "bukan-cadangan.sqlite"
    chosen.write_bytes(b"not a backup at all" * 100)
    asked: list[str] = []

    def pick(parent: object, title: str, folder: str, filters: str) -> tuple[str, str]:
        asked.append(folder)
        return str(chosen), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(pick))
    dialog = RecoveryDialog(desa, backups.check_on_open(desa), "rusak")
    qtbot.addWidget(dialog)
    dialog.choose_file()
    qtbot.waitUntil(lambda: any(str(chosen) in text for text in boxes.seen), timeout=10_000)
    assert asked == [str(paths.backup_dir())]
    assert any("bukan cadangan KT Desktop" in text for text in boxes.seen), boxes.seen
    assert not dialog.restored and desa.read_bytes() == before


def test_recover_without_any_backup_says_so(qtbot, desa: Path, boxes: Boxes) -> None:  # type: ignore[no-untyped-def]
    desa.write_bytes(b"")
    check = backups.check_on_open(desa)
    dialog = RecoveryDialog(desa, check, check.message)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: "Tidak ada cadangan" in dialog.status.text())
    assert "kosong" in dialog.problem.text()
    assert not dialog.restore_button.isEnabled()


def test_recover_returns_true_and_the_file_opens(qtbot, desa: Path, boxes: Boxes) -> None:  # type: ignore[no-untyped-def]
    backups.take_backup(desa, now=dt.datetime(2026, 11, 27, 17, 0))
    desa.write_bytes(desa.read_bytes()[:8192])  # truncated by a pulled plug

    def press_restore() -> None:
        from PySide6.QtWidgets import QApplication

        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, RecoveryDialog))
        when_ready(dialog.restore_button.isEnabled, dialog.restore_button.click)

    QTimer.singleShot(0, press_restore)
    assert recover(None, desa, None) is True
    session = open_session(desa)
    try:
        assert session.is_village and member_store.live_count(session.db()) == 80
    finally:
        session.close()


# -- the backups panel -----------------------------------------------------------------------


def test_backups_dialog_backs_up_to_a_drive_and_restores(  # type: ignore[no-untyped-def]
    qtbot, ops: Ops, tmp_path: Path, boxes: Boxes, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = BackupsDialog(ops)
    qtbot.addWidget(dialog)
    dialog.show()
    panel = dialog.panel
    qtbot.waitUntil(lambda: "Belum ada cadangan" in panel.status.text())
    qtbot.mouseClick(panel.backup_now, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1 and not ops.busy(), timeout=10_000)
    assert panel.model.rows[0].ok and panel.model.index(0, 2).data() == "80"

    stick = tmp_path / "STICK"
    stick.mkdir()

    def pick_stick(picker: DrivePicker) -> int:
        picker.chosen = stick / backups.DRIVE_FOLDER
        return int(DrivePicker.DialogCode.Accepted)

    monkeypatch.setattr(DrivePicker, "exec", pick_stick)
    qtbot.mouseClick(panel.to_drive, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any("aman untuk dicabut" in t for t in boxes.seen), timeout=10_000)
    written = list((stick / backups.DRIVE_FOLDER).glob("*.sqlite"))
    assert len(written) == 1 and member_count(written[0]) == 80

    # New work, then the secretary restores the backup she made.
    add_members(ops.session.path, 3, seed=4)
    restored: list[object] = []
    panel.restored.connect(restored.append)
    panel.reload()
    qtbot.waitUntil(lambda: not ops.busy())
    panel.table.selectRow(0)
    assert panel.restore_button.isEnabled()
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(restored), timeout=10_000)
    assert member_count(ops.session.path) == 80
    assert member_store.live_count(ops.session.db()) == 80  # the session works on the restored file
    qtbot.waitUntil(lambda: not ops.busy())
    kinds = sorted(row.kind for row in panel.model.rows)
    assert kinds == [backups.AUTO, backups.BEFORE_RESTORE]


def test_backups_panel_lists_this_files_backups_and_all_on_request(  # type: ignore[no-untyped-def]
    qtbot, ops: Ops, tmp_path: Path
) -> None:
    """Issue 14: another village's file with the same name has its own backups."""
    from kt_desktop.services.setup import init_village
    from tests.conftest import make_profile

    other = tmp_path / "lain" / ops.session.path.name
    other.parent.mkdir()
    init_village(other, make_profile(village_code="36.04.22.2002"))
    theirs = backups.take_backup(other)
    own = backups.take_backup(ops.session.path)
    dialog = BackupsDialog(ops)
    qtbot.addWidget(dialog)
    dialog.show()
    panel = dialog.panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1 and not ops.busy(), timeout=10_000)
    assert [row.path for row in panel.model.rows] == [own.path]
    panel.show_all.setChecked(True)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2 and not ops.busy(), timeout=10_000)
    assert {row.path for row in panel.model.rows} == {own.path, theirs.path}
    last = panel.model.columnCount() - 1
    assert panel.model.headerData(last, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) == "Berkas data"
    owners = {panel.model.index(row, last).data() for row in range(2)}
    assert owners == {f"Desa Baros ({VILLAGE_CODE})", "Desa Tejamari (36.04.22.2002)"}
    for row in range(2):  # another village's backup is listed, never offered for restoring
        panel.table.selectRow(row)
        assert panel.restore_button.isEnabled() == (panel.model.rows[row].path == own.path)
    panel.show_all.setChecked(False)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1 and not ops.busy(), timeout=10_000)


def test_drive_picker_offers_a_folder_when_no_stick_is_plugged(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kt_desktop.bundles import transport

    monkeypatch.setattr(transport, "removable_drives", lambda: [])
    picker = DrivePicker()
    qtbot.addWidget(picker)
    picker.show()
    assert not picker.ok.isEnabled()
    assert picker.none_found.isVisible() and "Tidak ada flashdisk" in picker.none_found.text()


# -- the audit log ---------------------------------------------------------------------------


def test_audit_log_filters_by_action_and_pages(qtbot, ops: Ops) -> None:  # type: ignore[no-untyped-def]
    add_members(ops.session.path, 300, seed=5)
    backups.take_backup(ops.session.path)
    total = ops.session.db().execute("SELECT count(*) FROM audit_log").fetchone()[0]
    assert total > 380
    dialog = AuditLogDialog(ops)
    qtbot.addWidget(dialog)
    dialog.show()
    panel = dialog.panel
    model = panel.model
    qtbot.waitUntil(lambda: len(model.rows) == 200 and not model.loading())
    assert "200" in panel.count.text() and "gulir" in panel.count.text()
    model.fetchMore()
    qtbot.waitUntil(lambda: not model.loading() and not model.has_more())
    assert len(model.rows) == total
    assert model.index(0, 2).data() == "Dicadangkan"
    assert model.index(0, 1).data() == "Siti Nurhaliza"

    panel.action.setCurrentIndex(panel.action.findData("setup"))
    qtbot.waitUntil(lambda: not model.loading() and len(model.rows) == 1)
    assert model.index(0, 2).data() == "Disiapkan" and panel.count.text() == "1 entri."
    panel.date_to.set_value(clock.today() - dt.timedelta(days=3))
    qtbot.waitUntil(lambda: not model.loading() and panel.count.text() != "Memuat…")
    assert model.rowCount() == 0 and "Tidak ada" in panel.count.text()
    panel.clear_filters()
    qtbot.waitUntil(lambda: not model.loading() and len(model.rows) == 200)
    qtbot.waitUntil(lambda: panel.table_filter.count() > 1)
    panel.table_filter.setCurrentIndex(panel.table_filter.findData("members"))
    qtbot.waitUntil(lambda: not model.loading() and len(model.rows) == 200)
    assert {model.index(r, 3).data() for r in range(200)} == {"Anggota"}


# -- PIN -------------------------------------------------------------------------------------


def test_pin_prompt_refuses_a_wrong_pin_and_opens_with_the_right_one(qtbot, ops: Ops) -> None:  # type: ignore[no-untyped-def]
    pin.set_pin(ops.session, "4321")
    prompt = PinPrompt(ops)
    qtbot.addWidget(prompt)
    prompt.show()
    qtbot.waitExposed(prompt)
    qtbot.keyClicks(prompt.field, "12a34")
    assert prompt.field.text() == "1234"  # only digits go in
    qtbot.keyClick(prompt.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: prompt.message.text() == "PIN salah.")
    assert prompt.field.text() == "" and prompt.isVisible()
    qtbot.keyClicks(prompt.field, "4321")
    with qtbot.waitSignal(prompt.accepted, timeout=5000):
        qtbot.keyClick(prompt.field, Qt.Key.Key_Return)


def test_pin_prompt_makes_the_secretary_wait_after_five_wrong_pins(qtbot, ops: Ops) -> None:  # type: ignore[no-untyped-def]
    pin.set_pin(ops.session, "4321")
    for _ in range(pin.FREE_ATTEMPTS - 1):
        pin.verify(ops.session, "0000")
    prompt = PinPrompt(ops)
    qtbot.addWidget(prompt)
    prompt.show()
    qtbot.keyClicks(prompt.field, "9999")
    qtbot.keyClick(prompt.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: prompt.message.text() == "PIN salah.")
    qtbot.keyClicks(prompt.field, "4321")
    qtbot.keyClick(prompt.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Terlalu banyak PIN salah" in prompt.message.text())
    assert not prompt.open_button.isEnabled() and prompt.isVisible()
    prompt.reject()


def test_pin_settings_set_and_remove(qtbot, ops: Ops) -> None:  # type: ignore[no-untyped-def]
    dialog = PinSettingsDialog(ops)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.remove_button.isVisible()
    qtbot.keyClicks(dialog.new, "1357")
    qtbot.keyClicks(dialog.repeat, "1358")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Kedua PIN baru tidak sama."
    dialog.repeat.clear()
    qtbot.keyClicks(dialog.repeat, "1357")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert pin.is_set(ops.session)

    again = PinSettingsDialog(ops)
    qtbot.addWidget(again)
    again.show()
    assert again.remove_button.isVisible()
    qtbot.keyClicks(again.current, "0000")
    qtbot.mouseClick(again.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.message.text() == "PIN yang sekarang salah.")
    again.current.clear()
    qtbot.keyClicks(again.current, "1357")
    with qtbot.waitSignal(again.accepted, timeout=5000):
        qtbot.mouseClick(again.remove_button, Qt.MouseButton.LeftButton)
    assert not pin.is_set(ops.session)


# -- a data file on a flash drive -------------------------------------------------------------


def test_offer_to_move_a_data_file_off_a_flash_drive(qtbot, tmp_path: Path, boxes: Boxes) -> None:  # type: ignore[no-untyped-def]
    from kt_desktop import paths
    from kt_desktop.gui.recovery import offer_move_to_local
    from kt_desktop.services.file_location import REMOVABLE, Location
    from kt_desktop.services.setup import init_village
    from tests.conftest import make_profile

    stick = tmp_path / "media" / "STICK"
    stick.mkdir(parents=True)
    original = stick / "desa.sqlite"
    init_village(original, make_profile())
    add_members(original, 25, seed=6)
    where = Location(REMOVABLE, stick, "vfat")

    boxes.answer_yes = False
    assert offer_move_to_local(None, original, where) is None
    assert original.exists() and "flashdisk" in boxes.seen[-1]

    boxes.answer_yes = True
    moved = offer_move_to_local(None, original, where)
    assert moved == paths.data_dir() / "desa.sqlite"
    assert member_count(moved) == 25 and not original.exists()
    assert str(moved) in boxes.seen[-1]  # "Berkas data sekarang berada di …"
