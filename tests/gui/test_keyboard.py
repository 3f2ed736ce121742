"""Keyboard all the way, and a program a screen reader can read (issue 23).

The walk covers every page of the sidebar registry (``VILLAGE_PAGES``/``RECEIVER_PAGES``, so a
new book's page too), each tab, each report kind, the main dialogs, the add form of every book
(``render_screens.book_forms``) and the set-up wizard; on each it Tabs round the window, names
every input and presses every underlined letter (``tests/gui/keyboard_walk.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from kt_desktop.gui.app import prepare_application
from kt_desktop.gui.widgets import fit
from kt_desktop.gui.widgets.date_field import DateField
from kt_desktop.gui.widgets.keyboard import AskBeforeDiscard
from scripts import help_screens, render_screens
from tests.gui import keyboard_walk as walk

SCREEN = (1366, 768)


@pytest.fixture
def indonesian(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(fit, "available_size", lambda _widget: QSize(*SCREEN))
    prepare_application(qapp, "id")
    yield


def test_every_page_and_dialog_by_keyboard_and_screen_reader(
    qapp: QApplication, indonesian: None, tmp_path: Path
) -> None:
    studio = help_screens.Studio(qapp, tmp_path)
    seen: list[str] = []
    problems: list[str] = []
    try:
        for name, window in render_screens.walk(studio, SCREEN):
            seen.append(name)
            found = (walk.tab_problems(window) + walk.name_problems(window)
                     + walk.mnemonic_problems(window))
            problems += [f"{name}: {line}" for line in found]
        for name, dialog in _more_dialogs(studio):
            seen.append(name)
            found = (walk.tab_problems(dialog) + walk.name_problems(dialog)
                     + walk.mnemonic_problems(dialog))
            problems += [f"{name}: {line}" for line in found]
            render_screens.close_dialogs(studio)
        pages = [spec.key for spec in studio.village_window().specs
                 if spec.factory and spec.factory.startswith("kt_desktop.gui.pages.book:")]
    finally:
        render_screens.close_dialogs(studio)
        studio.close()
    from kt_desktop.domain.book import all_books

    assert pages, "no book page in the sidebar"
    books = [spec.key for spec in all_books()]
    for name in ("anggota", "pelatihan-tab2", "pin", "cetak", "impor-anggota", "form-anggota",
                 "form-kegiatan-tab3", "wizard-3", "form-pertemuan", "form-peserta-luar",
                 "pilih-anggota", "form-hasil", "form-sertifikat", "form-tindak-lanjut",
                 "pilih-flashdisk", "pilih-tujuan", "percaya-desa-baru", "pemulihan",
                 "penerima-rekap", *pages, *(f"form-{key}" for key in books)):
        assert any(screen.startswith(name) for screen in seen), f"{name} was never walked"
    assert not problems, "\n  ".join(["keyboard and screen-reader problems:", *problems])


def _more_dialogs(studio: help_screens.Studio) -> Iterator[tuple[str, QWidget]]:
    """Dialogs the small-screen walk leaves out: the activity log, the PIN, printing, the
    member import, and the forms of a training's tabs (a session, a participant from outside
    the register, the member picker, a result, certificates, a follow-up)."""
    from kt_desktop.gui.dialogs.audit_log import AuditLogDialog
    from kt_desktop.gui.dialogs.member_import import MemberImportDialog
    from kt_desktop.gui.dialogs.pin import PinSettingsDialog
    from kt_desktop.gui.dialogs.print_dialog import PrintDialog
    from kt_desktop.gui.dialogs.training_outcome_form import OutcomeForm
    from kt_desktop.gui.dialogs.training_participant_forms import MemberPicker, NonMemberForm
    from kt_desktop.gui.dialogs.training_result_form import CertificateForm, ResultForm
    from kt_desktop.gui.dialogs.training_session_form import SessionForm
    from kt_desktop.services import trainings

    window = studio.village_window()
    session = window.ops.session
    ended = [t for t in trainings.list_trainings(session) if t.end_date < studio.today
             and t.participants]
    assert ended, "the demo has no ended training with participants"
    training = trainings.get_training(session, ended[-1].id)
    sheet = trainings.completion(session, training.id)
    follow = trainings.follow_up_sheet(session, training.id)
    makers: list[tuple[str, Callable[[], QWidget]]] = [
        ("log-aktivitas", lambda: AuditLogDialog(window.ops, window)),
        ("pin", lambda: PinSettingsDialog(window.ops, window)),
        ("cetak", lambda: PrintDialog(["Kantor"], "Kantor", 3, None, window)),
        ("impor-anggota", lambda: MemberImportDialog(window.ops, window)),
        ("form-pertemuan", lambda: SessionForm(window.ops, training, None, parent=window)),
        ("form-peserta-luar", lambda: NonMemberForm(window.ops, training.id, parent=window)),
        ("pilih-anggota", lambda: MemberPicker(window.ops, training.id, window)),
        ("form-hasil", lambda: ResultForm(window.ops, sheet.rows[0], window)),
        ("form-sertifikat", lambda: CertificateForm(window.ops, training.id, 1, window)),
    ]
    if follow.rows:
        makers.append(("form-tindak-lanjut", lambda: OutcomeForm(
            window.ops, training.id, follow.graduated_on, follow.rows[0], 3, window)))
    # the small pickers: a flash drive for backups and for bundles, trusting new villages,
    # and the recovery of a damaged file
    from kt_desktop.bundles.transport import Drive
    from kt_desktop.gui.dialogs.backups import DrivePicker
    from kt_desktop.gui.pages.receiver_import import TrustDialog
    from kt_desktop.gui.pages.send_data import DestinationDialog
    from kt_desktop.gui.recovery import RecoveryDialog
    from kt_desktop.services import backups
    from kt_desktop.services.bundles import BundleSummary

    stick = Drive(studio.work, "KINGSTON", 3 * 1024**3, 8 * 1024**3)
    newcomer = BundleSummary("KT-3604222008-0001.ktb", "refused", village_code="36.04.22.2008",
                             village_name="Desa Cisalam", seq=1, fingerprint="AB12 " * 8,
                             new_village=True)
    broken = studio.work / "rusak.sqlite"
    broken.write_bytes(b"SQLite format 3\0" + b"\xff" * 4096)
    check = backups.check_on_open(broken)
    makers += [
        ("pilih-flashdisk", lambda: DrivePicker(window)),
        ("pilih-tujuan", lambda: DestinationDialog([stick], window)),
        ("percaya-desa-baru", lambda: TrustDialog([newcomer], window)),
        ("pemulihan", lambda: RecoveryDialog(broken, check, check.message, window)),
    ]
    for name, make in makers:
        yield name, render_screens._dialog(studio, make(), window)


def test_the_walk_sees_a_trap_a_nameless_field_and_a_letter_used_twice(
    qapp: QApplication, indonesian: None, qtbot: QtBot
) -> None:
    """The checks fail where a secretary would be stuck (they cannot pass blindly)."""

    class EatsTab(QLineEdit):
        def focusNextPrevChild(self, _next: bool) -> bool:
            return True  # keeps the focus, as a table used to

    window = QWidget()
    qtbot.addWidget(window)
    column = QVBoxLayout(window)
    trap = EatsTab()
    trap.setAccessibleName("Nama")
    column.addWidget(trap)
    column.addWidget(QLineEdit())  # no label, no placeholder: nothing to say
    one, two = QLabel("&Nama"), QLabel("&Nomor")
    one.setBuddy(trap)
    column.addWidget(one)
    column.addWidget(two)
    window.show()
    qtbot.waitExposed(window)
    walk.activate(window)
    trap.setFocus()
    assert any("cannot leave" in line for line in walk.tab_problems(window))
    assert any("no accessible name" in line for line in walk.name_problems(window))
    found = walk.mnemonic_problems(window)
    assert any("ALT+N on both" in line for line in found)
    assert any("has no field" in line for line in found)


def _column(qtbot: QtBot, *widgets: QWidget) -> QWidget:
    """``widgets`` one under the other in a shown, active window."""
    window = QWidget()
    qtbot.addWidget(window)
    column = QVBoxLayout(window)
    for widget in widgets:
        column.addWidget(widget)
    window.show()
    qtbot.waitExposed(window)
    walk.activate(window)
    return window


def test_tab_leaves_a_table_without_changing_the_chosen_row(
    qapp: QApplication, indonesian: None, qtbot: QtBot
) -> None:
    from PySide6.QtGui import QStandardItemModel

    model = QStandardItemModel(3, 3)
    table = QTableView()
    table.setModel(model)
    after = QPushButton("Tambah")
    window = _column(qtbot, table, after)
    table.setFocus()
    table.setCurrentIndex(model.index(1, 0))
    QTest.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is after
    assert table.currentIndex().row() == 1
    QTest.keyClick(after, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is table
    window.close()


def test_an_empty_optional_date_lets_tab_move_on(
    qapp: QApplication, indonesian: None, qtbot: QtBot
) -> None:
    date, after = DateField(optional=True), QLineEdit()
    window = _column(qtbot, date, after)
    date.setFocus()
    assert date.value() is None
    QTest.keyClick(date, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is after
    assert date.value() is None
    window.close()


def test_the_beneficiary_grid_lets_tab_leave_and_ctrl_tab_switches_the_form_tab(
    qapp: QApplication, indonesian: None, qtbot: QtBot, village_session, monkeypatch
) -> None:
    from kt_desktop.gui.dialogs.activity_form import ActivityForm
    from kt_desktop.gui.ops import Ops

    ops = Ops(village_session)
    form = ActivityForm(ops, None)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    walk.activate(form)
    qtbot.waitUntil(lambda: not ops.busy(), timeout=10_000)
    grid = form.beneficiary_view
    form.tabs.setCurrentWidget(form.tabs.widget(form.tabs.indexOf(
        _tab_holding(form.tabs, grid))))
    if form.beneficiary_model.rowCount() == 0:  # no category is chosen in advance
        form.category_combo.setCurrentIndex(form.category_combo.findData(24))
        form.add_category_button.click()
    qtbot.waitUntil(lambda: form.beneficiary_model.rowCount() > 0, timeout=5_000)
    grid.setFocus()
    grid.setCurrentIndex(form.beneficiary_model.index(0, 0))
    QTest.keyClick(grid, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not grid  # Tab left the grid
    grid.setFocus()
    before = form.tabs.currentIndex()
    QTest.keyClick(grid, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert form.tabs.currentIndex() == (before + 1) % form.tabs.count()
    focus = QApplication.focusWidget()
    assert focus is not None and form.tabs.currentWidget().isAncestorOf(focus)
    QTest.keyClick(focus, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert form.tabs.currentIndex() == before
    # "Tambah sumber dana": the new row's source visibly takes the focus.
    form.tabs.setCurrentWidget(_tab_holding(form.tabs, form.add_fund_button))
    form.add_fund_button.click()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.fund_rows[-1].source,
                    timeout=3_000)
    form.close()
    ops.wait_idle()


def _tab_holding(tabs, widget: QWidget) -> QWidget:
    for index in range(tabs.count()):
        if tabs.widget(index).isAncestorOf(widget):
            return tabs.widget(index)
    raise AssertionError("not in a tab")


def _asked(monkeypatch: pytest.MonkeyPatch, answer: bool) -> list[str]:
    asked: list[str] = []

    def confirm_discard(form: AskBeforeDiscard) -> bool:
        asked.append(type(form).__name__)
        return answer

    monkeypatch.setattr(AskBeforeDiscard, "confirm_discard", confirm_discard)
    return asked


def test_the_wizard_asks_before_esc_throws_away_what_was_typed(
    qapp: QApplication, indonesian: None, qtbot: QtBot, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    from kt_desktop.gui.wizard import SetupWizard

    wizard = SetupWizard(tmp_path / "baru.sqlite", today=dt.date(2026, 3, 1))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    walk.activate(wizard)
    asked = _asked(monkeypatch, answer=False)
    QTest.keyClick(wizard.focusWidget() or wizard, Qt.Key.Key_Escape)
    assert asked == [] and not wizard.isVisible()  # nothing typed: Esc closes at once

    wizard = SetupWizard(tmp_path / "baru.sqlite", today=dt.date(2026, 3, 1))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    walk.activate(wizard)
    wizard.next()
    search = wizard.village_page.picker.search
    search.setFocus()
    QTest.keyClicks(search, "Sindang")
    QTest.keyClick(search, Qt.Key.Key_Escape)  # closes the completer, if any
    QTest.keyClick(search, Qt.Key.Key_Escape)
    wizard.button(wizard.WizardButton.CancelButton).click()  # Batal
    wizard.close()  # the window's close button
    assert asked == ["SetupWizard"] * len(asked) and len(asked) >= 2
    assert wizard.isVisible() and search.text() == "Sindang"
    _asked(monkeypatch, answer=True)
    wizard.reject()
    assert not wizard.isVisible()


def test_every_book_form_asks_before_esc_throws_away_what_was_typed(
    qapp: QApplication, indonesian: None, qtbot: QtBot, village_session,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    from kt_desktop.domain.book import all_books
    from kt_desktop.gui.dialogs.book_form import BookForm
    from kt_desktop.gui.ops import Ops

    ops = Ops(village_session)
    asked = _asked(monkeypatch, answer=False)
    specs = list(all_books())
    assert specs
    for spec in specs:
        form = BookForm(ops, spec, None)
        qtbot.addWidget(form)
        form.show()
        qtbot.waitExposed(form)
        walk.activate(form)
        qtbot.waitUntil(lambda: not ops.busy(), timeout=10_000)
        field = next(w for w in form.widgets.values() if isinstance(w, QLineEdit)
                     and not w.isReadOnly() and w.isEnabled())
        field.setFocus()
        QTest.keyClicks(field, "Tamu")
        QTest.keyClick(field, Qt.Key.Key_Escape)
        assert asked[-1:] == ["BookForm"], spec.key
        assert form.isVisible(), spec.key
        form.done(0)
    ops.wait_idle()


def test_the_unencrypted_bundle_question_defaults_to_cancel(
    qapp: QApplication, indonesian: None, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kt_desktop.gui.pages.send_data import SendDataPage

    seen: dict[str, str] = {}

    def exec_box(box: QMessageBox) -> int:
        seen["default"] = box.defaultButton().text().replace("&", "")
        seen["escape"] = box.escapeButton().text().replace("&", "")  # type: ignore[union-attr]
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    host = QWidget()
    qtbot.addWidget(host)
    assert SendDataPage._confirm_clear(host, "Data pribadi dikirim tanpa enkripsi.") is False
    assert seen == {"default": "Batal", "escape": "Batal"}


def test_ctrl_q_quits_and_asks_only_when_a_form_holds_typed_input(
    qapp: QApplication, indonesian: None, qtbot: QtBot, open_window, village_file,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    from kt_desktop.domain.book import all_books
    from kt_desktop.gui.dialogs.book_form import BookForm

    window = open_window(village_file)
    asked = _asked(monkeypatch, answer=False)
    form = BookForm(window.ops, all_books()[0], None, window)
    form.show()
    qtbot.waitExposed(form)
    walk.activate(form)
    field = next(w for w in form.widgets.values() if isinstance(w, QLineEdit))
    field.setFocus()
    QTest.keyClicks(field, "Budi")
    QTest.keySequence(field, QKeySequence("Ctrl+Q"))
    qtbot.waitUntil(lambda: bool(asked), timeout=3_000)
    assert window.isVisible() and form.isVisible()  # "Lanjutkan mengisi" keeps both

    form.done(0)
    asked.clear()
    window.activateWindow()
    QTest.keySequence(window.sidebar, QKeySequence("Ctrl+Q"))
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)
    assert asked == []  # nothing typed: quits without a question


def test_qt_file_dialog_speaks_indonesian(
    qapp: QApplication, indonesian: None, qtbot: QtBot, tmp_path: Path
) -> None:
    english = {"Look in", "File name", "Files of type", "Save", "Cancel", "Open", "Choose",
               "Directory", "Back", "Forward", "Detail View", "List View"}
    for mode in ("open", "save", "folder"):
        dialog = QFileDialog(None, "Simpan laporan", str(tmp_path))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        if mode == "save":
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        elif mode == "folder":
            dialog.setFileMode(QFileDialog.FileMode.Directory)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        walk.activate(dialog)
        texts = [w.text() for w in dialog.findChildren(QAbstractButton)]
        texts += [w.toolTip() for w in dialog.findChildren(QAbstractButton)]
        texts += [w.text() for w in dialog.findChildren(QLabel)]
        words = {walk.plain_label(text) for text in texts if text}
        assert not words & english, (mode, sorted(words & english))
        assert {"Batal"} <= words and words & {"Buka", "Simpan", "Pilih"}, (mode, words)
        dialog.close()
    box = QMessageBox(QMessageBox.Icon.Question, "Tanya", "Lanjut?",
                      QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel
                      | QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box)
    assert {b.text().replace("&", "") for b in box.buttons()} == {"OK", "Batal", "Ya", "Tidak"}


def test_the_sidebar_names_its_keys_and_a_page_change_focuses_the_page(
    qapp: QApplication, indonesian: None, qtbot: QtBot, open_window, village_file
) -> None:
    window = open_window(village_file)
    tips = [window.sidebar.item(i).toolTip() for i in range(window.sidebar.count())]
    assert all(f"Ctrl+{n}" in tips[n - 1] for n in range(1, min(len(tips), 8) + 1))
    assert window.sidebar.accessibleName()
    window.activateWindow()
    window.sidebar.setFocus()
    QTest.keySequence(window.sidebar, QKeySequence("Ctrl+2"))
    qtbot.waitUntil(lambda: not window.ops.busy(), timeout=10_000)
    page = window.page("anggota")
    # Arrowing the sidebar keeps the focus there; Ctrl+2 from a page moves it in.
    focus = QApplication.focusWidget()
    assert focus is window.sidebar or (page is not None and page.isAncestorOf(focus))
    page.search.setFocus()
    QTest.keySequence(page.search, QKeySequence("Ctrl+3"))
    qtbot.waitUntil(lambda: window.page("kegiatan") is not None, timeout=5_000)
    focus = QApplication.focusWidget()
    assert focus is not None and focus.isVisible()
    assert window.page("kegiatan").isAncestorOf(focus)


@pytest.fixture
def members(qtbot: QtBot, village_session, indonesian: None):
    """The Anggota page on a file with three members (ops waited for at the end)."""
    from kt_desktop.domain.members import Member
    from kt_desktop.gui.ops import Ops
    from kt_desktop.gui.pages.members import MembersPage
    from kt_desktop.store import members as store

    db = village_session.db()
    with db.atomic():
        store.bulk_insert(db, [Member(name=name, sex="L", birth_date=dt.date(2000, 1, 2))
                               for name in ("Budi Santoso", "Budi Hartono", "Siti Aminah")],
                          village_code=village_session.code, actor="test")
    ops = Ops(village_session)
    page = MembersPage(ops, today=dt.date(2026, 3, 1))
    qtbot.addWidget(page, before_close_func=lambda _w: ops.wait_idle())
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    walk.activate(page)
    qtbot.waitUntil(lambda: not ops.busy() and page.model.rowCount() == 3, timeout=10_000)
    yield page
    ops.wait_idle()


def test_enter_in_the_member_search_goes_to_the_results(qtbot: QtBot, members) -> None:
    members.focus_search()
    QTest.keyClicks(members.search, "Budi")
    qtbot.waitUntil(lambda: members.model.rowCount() == 2, timeout=10_000)
    QTest.keyClick(members.search, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is members.table
    assert members.selected() is not None and "Budi" in members.selected().name
    assert members.table.accessibleName() == "Anggota"
    assert members.search.accessibleName()


def test_a_nik_error_goes_while_the_nik_is_corrected_and_is_tied_to_the_field(
    qtbot: QtBot, members
) -> None:
    members.add_member()
    form = members.form
    qtbot.waitUntil(form.save_button.isEnabled, timeout=10_000)
    form.show_errors([("nik", "NIK harus 16 angka.")])
    error = form.errors["nik"]
    assert error.isVisible()
    assert form.nik_edit.accessibleDescription() == "NIK harus 16 angka."
    assert form.nik_edit.accessibleName() == "NIK"
    form.nik_edit.setFocus()
    QTest.keyClicks(form.nik_edit, "3")
    assert not error.isVisible() and error.text() == ""
    assert form.nik_edit.accessibleDescription() == ""
    form.done(0)


def test_the_choose_the_province_hint_is_only_on_a_waiting_field(
    qapp: QApplication, indonesian: None, qtbot: QtBot
) -> None:
    from kt_desktop.gui.widgets.region_picker import VillagePicker

    picker = VillagePicker()
    qtbot.addWidget(picker)
    regency = picker.regency
    assert not regency.isEnabled()
    assert regency.lineEdit().placeholderText() == "Pilih provinsi terlebih dahulu"
    assert picker.province.select_code("36")
    assert regency.isEnabled()
    assert regency.lineEdit().placeholderText() == "Ketik beberapa huruf untuk mencari"


def test_beranda_shows_the_demo_data_progress_instead_of_zeros(
    qapp: QApplication, indonesian: None, qtbot: QtBot, open_window, village_file
) -> None:
    window = open_window(village_file)
    home = window.page("beranda")
    window.fill_demo()
    assert home.progress_note.isVisible()
    assert "data contoh" in home.progress_note.text()
    assert not home.start_hint.isVisible() and not home.cards_box.isVisible()
    qtbot.waitUntil(lambda: not window.ops.busy() and not home.progress_note.isVisible(),
                    timeout=60_000)
    qtbot.waitUntil(lambda: not window.ops.busy(), timeout=10_000)
    assert home.cards_box.isVisible()


def test_qt_strings_without_our_translation_stay_as_qt_has_them(
    qapp: QApplication, indonesian: None
) -> None:
    """Only the listed dialog strings are ours: key names stay parseable and a PNG still
    reads (an empty answer from the translator once broke both)."""
    from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice
    from PySide6.QtGui import QImage

    assert QCoreApplication.translate("QShortcut", "Ctrl") == "Ctrl"
    assert QKeySequence("Ctrl+Q").toString() == "Ctrl+Q"
    image = QImage(40, 20, QImage.Format.Format_ARGB32)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    assert QImage.fromData(bytes(data.data())).size() == image.size()
