"""The member register page driven like a secretary would: keyboard first, real widgets."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kt_desktop.domain.members import Member, MemberQuery
from kt_desktop.gui.dialogs import member_import as import_dialog
from kt_desktop.gui.models import member_table as columns
from kt_desktop.gui.models.member_table import MemberTableModel
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.members import MembersPage
from kt_desktop.services import demo_members
from kt_desktop.services import members as service
from kt_desktop.services.session import Session
from kt_desktop.store import members as store
from tests.gui.conftest import show_page
from tests.gui.message_boxes import answer_boxes

TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def ops(village_session: Session) -> Iterator[Ops]:
    ops = Ops(village_session)
    yield ops
    ops.wait_idle()
    ops.deleteLater()


def _fill(session: Session, count: int) -> None:
    people = demo_members.make_members(random.Random(11), TODAY, count, village_code=session.code)
    people.append(Member(name="Zulaikha Qurrotaayun", nik="3604225708010004", sex="P",
                         birth_date=dt.date(2001, 8, 17), dusun="Kampung Cilaku",
                         phone="087811223344"))
    db = session.db()
    with db.atomic():
        store.bulk_insert(db, people, village_code=session.code, actor="test")


def _settle(qtbot: QtBot, ops: Ops) -> None:
    qtbot.waitUntil(lambda: not ops.busy(), timeout=10_000)
    QApplication.processEvents()


@pytest.fixture
def page(qtbot: QtBot, ops: Ops) -> MembersPage:
    widget = show_page(qtbot, ops, MembersPage(ops, today=TODAY), (1200, 700))
    _settle(qtbot, ops)
    return widget


def _names(page: MembersPage) -> list[str]:
    return [page.model.member(row).name for row in range(page.model.rowCount())]  # type: ignore[union-attr]


def test_empty_register_says_what_to_do(page: MembersPage) -> None:
    assert page.stack.currentWidget() is page.empty
    assert "Ctrl+N" in page.empty.text()
    assert page.count_label.text().startswith("0 ")


def test_add_a_member_with_the_keyboard(qtbot: QtBot, page: MembersPage, ops: Ops) -> None:
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = page.form
    assert form is not None
    qtbot.waitUntil(form.save_button.isEnabled, timeout=10_000)
    assert form.name_edit.hasFocus()
    qtbot.keyClicks(form.name_edit, "Dede Suryana")
    qtbot.keyClick(form.name_edit, Qt.Key.Key_Tab)
    assert form.nik_edit.hasFocus()
    qtbot.keyClicks(form.nik_edit, "3604 2217 0801 0003")
    assert "17/08/2001" in form.nik_hint.text()
    # The NIK knows the birth date and sex: Tab to the button that takes them, press Space.
    qtbot.keyClick(form.nik_edit, Qt.Key.Key_Tab)
    assert form.from_nik.hasFocus()
    qtbot.keyClick(form.from_nik, Qt.Key.Key_Space)
    assert form.birth_date.value() == dt.date(2001, 8, 17)
    assert form.sex_combo.currentData() == "L"
    qtbot.keyClick(form.name_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.form is None, timeout=10_000)
    _settle(qtbot, ops)
    assert _names(page) == ["Dede Suryana"]
    assert page.selected() is not None and page.selected().name == "Dede Suryana"  # type: ignore[union-attr]
    assert page.count_label.text() == "1 anggota"


def test_refusals_show_beside_their_field_and_focus_the_first(qtbot: QtBot, page: MembersPage, ops: Ops) -> None:
    page.add_member()
    form = page.form
    assert form is not None
    qtbot.waitUntil(form.save_button.isEnabled, timeout=10_000)
    form.birth_date.set_value(dt.date(2012, 5, 1))
    form.save()
    qtbot.waitUntil(lambda: form.errors["name"].isVisible(), timeout=10_000)
    assert form.name_edit.hasFocus()
    assert form.errors["sex"].isVisible()
    assert form.errors["guardian_name"].isVisible()  # 14 years old: needs consent
    assert form.isVisible()  # nothing was saved, the form stays
    qtbot.keyClick(form.name_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.form is None, timeout=5_000)
    assert service.total(ops.session) == 0


def test_warnings_need_a_confirmation(qtbot: QtBot, page: MembersPage, ops: Ops) -> None:
    page.add_member()
    form = page.form
    assert form is not None
    qtbot.waitUntil(form.save_button.isEnabled, timeout=10_000)
    form.name_edit.setText("Ujang")
    form.nik_edit.setText("3201011708010003")  # issued in Bogor, birth date differs
    form.birth_date.set_value(dt.date(2001, 8, 18))
    form.sex_combo.setCurrentIndex(form.sex_combo.findData("L"))
    form.save()
    qtbot.waitUntil(form.banner.isVisible, timeout=10_000)
    assert "Cibinong" in form.banner.text() and "17/08/2001" in form.banner.text()
    assert form.isVisible() and service.total(ops.session) == 0
    form.save()  # "Simpan tetap"
    qtbot.waitUntil(lambda: page.form is None, timeout=10_000)
    _settle(qtbot, ops)
    saved = service.get(ops.session, page.model.member(0).id)  # type: ignore[union-attr]
    assert saved.confirmed_mismatch and saved.birth_date == dt.date(2001, 8, 18)


def test_search_as_you_type_filters_in_sql(qtbot: QtBot, ops: Ops, page: MembersPage) -> None:
    _fill(ops.session, 40)
    page.refresh()
    _settle(qtbot, ops)
    assert page.model.rowCount() == 41
    page.search.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "zul")
    qtbot.waitUntil(lambda: _names(page) == ["Zulaikha Qurrotaayun"], timeout=5_000)
    _settle(qtbot, ops)
    assert page.count_label.text() == "1 anggota dari 41"
    page.search.clear()
    qtbot.keyClicks(page.search, "0878112")
    qtbot.waitUntil(lambda: _names(page) == ["Zulaikha Qurrotaayun"], timeout=5_000)
    page.search.clear()
    qtbot.keyClicks(page.search, "tidak ada orang begini")
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.empty, timeout=5_000)
    assert "pencarian" in page.empty.text() or "search" in page.empty.text()
    page.clear_filters()
    qtbot.waitUntil(lambda: page.model.rowCount() == 41, timeout=5_000)
    page.sex_filter.setCurrentIndex(page.sex_filter.findData("P"))
    page.sex_filter.activated.emit(page.sex_filter.currentIndex())
    _settle(qtbot, ops)
    qtbot.waitUntil(lambda: page.model.rowCount() < 41, timeout=5_000)
    assert {page.model.member(r).sex for r in range(page.model.rowCount())} == {"P"}  # type: ignore[union-attr]


def test_stale_search_results_are_dropped(qtbot: QtBot, ops: Ops, page: MembersPage) -> None:
    _fill(ops.session, 20)
    page.search.setText("zul")
    page.reload()
    page.search.setText("")
    page.reload()  # the older "zul" answer arrives first and must not win
    _settle(qtbot, ops)
    assert page.model.rowCount() == 21


def test_sorting_asks_sql(qtbot: QtBot, ops: Ops, page: MembersPage) -> None:
    _fill(ops.session, 30)
    page.refresh()
    _settle(qtbot, ops)
    page.table.sortByColumn(columns.AGE, Qt.SortOrder.AscendingOrder)
    _settle(qtbot, ops)
    ages = [int(page.model.data(page.model.index(r, columns.AGE))) for r in range(page.model.rowCount())]
    assert ages == sorted(ages)
    assert page.sort_key == "age"


def test_edit_with_enter(qtbot: QtBot, ops: Ops, page: MembersPage) -> None:
    _fill(ops.session, 3)
    page.search.setText("zulaikha")
    page.reload()
    _settle(qtbot, ops)
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    form = page.form
    assert form is not None
    qtbot.waitUntil(lambda: form.name_edit.text() == "Zulaikha Qurrotaayun", timeout=10_000)
    assert form.nik_edit.text().endswith("0004") and "3604" not in form.nik_edit.text()
    assert "17/08/2001" in form.nik_hint.text()
    form.phone_edit.setText("+62 813 0000 1111")
    qtbot.keyClick(form.phone_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.form is None, timeout=10_000)
    _settle(qtbot, ops)
    member_id = page.model.member(0).id  # type: ignore[union-attr]
    assert service.get(ops.session, member_id).phone == "081300001111"
    assert page.model.member(0).phone == "081300001111"  # type: ignore[union-attr]


def test_remove_asks_naming_the_member_then_undo(qtbot: QtBot, ops: Ops, page: MembersPage,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(ops.session, 2)
    page.search.setText("zulaikha")
    page.reload()
    _settle(qtbot, ops)
    member_id = page.model.member(0).id  # type: ignore[union-attr]
    answers = answer_boxes(monkeypatch, press="Batal")
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    _settle(qtbot, ops)
    assert "Zulaikha Qurrotaayun" in answers.asked[0]
    assert sorted(answers.buttons[0]) == ["Batal", "Hapus"]  # Qt's own "&Yes/&No" would be English
    assert service.total(ops.session) == 3  # "Batal" keeps the member

    answers.press = "Hapus"
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    _settle(qtbot, ops)
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=5_000)
    assert service.total(ops.session) == 2
    assert page.undo_button.isEnabled()
    assert "Zulaikha" in page.notice.text()

    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    _settle(qtbot, ops)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5_000)
    assert page.model.member(0).id == member_id  # type: ignore[union-attr]
    assert service.get(ops.session, member_id).nik == "3604225708010004"
    assert not page.undo_button.isEnabled()


def test_show_nik_is_audited(qtbot: QtBot, ops: Ops, page: MembersPage) -> None:
    _fill(ops.session, 1)
    page.search.setText("zulaikha")
    page.reload()
    _settle(qtbot, ops)
    index = page.model.index(0, columns.NIK)
    assert page.model.data(index) == "\u2022\u2022\u2022\u20220004"
    page.table.selectRow(0)
    page.reveal_button.click()
    _settle(qtbot, ops)
    assert page.model.data(index) == "3604225708010004"
    assert page.reveal_button.text() == "Sembunyikan NIK"
    reveals = ops.session.db().execute("SELECT count(*) FROM audit_log WHERE action = 'reveal'").fetchone()[0]
    assert reveals == 1
    page.reveal_button.click()
    assert page.model.data(index).endswith("0004") and "3604" not in page.model.data(index)


def _messy_csv(path: Path) -> Path:
    rows = [
        ["No", "Pemuda", "NIK", "Tgl Lahir", "L/P", "Kampung"],
        ["1", "Siti Nurhaliza", "3604225708010004", "17 Agustus 2001", "P", "Kampung Cilaku"],
        ["2", "Dede Suryana", "3604221708010003", "17/08/2001", "L", "Kampung Babakan"],
        ["3", "Rusak", "3.60422E+15", "01/01/2000", "L", ""],
    ]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    return path


def test_import_with_a_mapping_step(qtbot: QtBot, ops: Ops, page: MembersPage, tmp_path: Path) -> None:
    path = _messy_csv(tmp_path / "anggota.csv")
    page.import_button.click()
    dialog = page.import_dialog
    assert dialog is not None
    dialog.load_file(path)
    qtbot.waitUntil(lambda: dialog.stack.currentIndex() == import_dialog.COLUMNS, timeout=10_000)
    assert dialog.mapping() == ["", "", "nik", "birth_date", "sex", "dusun"]
    dialog.next_step()  # no name column yet: refused with a message
    assert dialog.error.isVisible() and dialog.stack.currentIndex() == import_dialog.COLUMNS
    dialog.set_mapping(1, "name")
    dialog.next_step()
    qtbot.waitUntil(lambda: dialog.stack.currentIndex() == import_dialog.CHECK, timeout=10_000)
    _settle(qtbot, ops)
    assert dialog.preview_model.rowCount() == 3
    assert "2" in dialog.check_summary.text()
    refused = dialog.preview_model.index(2, import_dialog.ACTION)
    assert dialog.preview_model.data(refused) == "Ditolak"
    assert "Excel" in dialog.preview_model.data(dialog.preview_model.index(2, import_dialog.PROBLEMS))
    dialog.save_rejects(tmp_path / "ditolak.csv")
    _settle(qtbot, ops)
    assert "Alasan" in (tmp_path / "ditolak.csv").read_text(encoding="utf-8-sig")
    dialog.next_step()  # Impor
    qtbot.waitUntil(lambda: dialog.stack.currentIndex() == import_dialog.DONE, timeout=10_000)
    assert "2" in dialog.done_label.text()
    dialog.close_button.click()
    qtbot.waitUntil(lambda: page.import_dialog is None, timeout=5_000)
    _settle(qtbot, ops)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5_000)
    assert sorted(_names(page)) == ["Dede Suryana", "Siti Nurhaliza"]
    assert service.count(ops.session, MemberQuery(dusun="Kampung Babakan"), TODAY) == 1


def test_the_table_model_passes_qtmodeltester(qtbot: QtBot, qtmodeltester: object, ops: Ops) -> None:
    _fill(ops.session, 300)
    model = MemberTableModel(today=TODAY)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    generation = model.new_generation()
    model.reset_rows(service.list_page(ops.session, MemberQuery(), 0, 256, TODAY), generation)
    assert model.canFetchMore()
    model.append_rows(service.list_page(ops.session, MemberQuery(), 256, 256, TODAY), generation)
    assert model.rowCount() == 301 and not model.canFetchMore()
    model.reveal(model.member(0).id, "3604225708010004")  # type: ignore[union-attr]
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.headerData(columns.NIK, Qt.Orientation.Horizontal) == "NIK"
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole) is None


def test_import_of_an_opensid_file_names_layout_ignored_columns_and_ages(
    qtbot: QtBot, ops: Ops, tmp_path: Path
) -> None:
    """A resident list from OpenSID, checked in the dialog at 1024x600 with a large font:
    the layout is named, the ignored columns listed, the out-of-range rows counted, and the
    under-18s can be saved for consent; nothing is clipped."""
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QAbstractButton

    from tests.test_member_import_opensid import opensid_workbook

    path = opensid_workbook(tmp_path / "FormatImporExcel.xlsx", "template")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    normal = app.font()
    large = QFont(normal)
    large.setPointSizeF(normal.pointSizeF() * 1.4)
    app.setFont(large)
    try:
        dialog = import_dialog.MemberImportDialog(ops, today=TODAY)
        qtbot.addWidget(dialog, before_close_func=lambda _w: ops.wait_idle())
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.load_file(path)
        qtbot.waitUntil(lambda: dialog.stack.currentIndex() == import_dialog.COLUMNS, timeout=10_000)
        assert "Format dikenali: OpenSID (template)" in dialog.columns_note.text()
        # 43 columns with long sample values: the choices stay on screen, no sideways scroll.
        _settle(qtbot, ops)
        columns_page = dialog.stack.currentWidget()
        scroll = columns_page.findChild(import_dialog.QScrollArea)
        assert scroll is not None and not scroll.horizontalScrollBar().isVisible()
        for combo in dialog.combos[:10]:
            assert combo.width() >= combo.sizeHint().width() or combo.width() >= combo.minimumSizeHint().width()
        dialog.next_step()
        qtbot.waitUntil(lambda: dialog.stack.currentIndex() == import_dialog.CHECK, timeout=10_000)
        _settle(qtbot, ops)
        assert dialog.width() <= 1024 and dialog.height() <= 600 - 40  # room for a taskbar
        summary, notes = dialog.check_summary.text(), dialog.file_notes.text()
        assert "2 di luar rentang umur" in summary and "1 perlu persetujuan" in summary
        assert "OpenSID (template)" in notes and "no_kk" in notes and "status_kawin" in notes
        assert dialog.age_filter.isChecked() and "13\u201345" in dialog.age_filter.text()
        actions = {dialog.preview_model.data(dialog.preview_model.index(r, import_dialog.ACTION))
                   for r in range(dialog.preview_model.rowCount())}
        assert actions == {"Anggota baru", "Di luar rentang umur", "Perlu persetujuan orang tua"}
        # Nothing clipped: every button and check box as wide as its text needs.
        page = dialog.stack.currentWidget()
        for button in page.findChildren(QAbstractButton):
            if button.isVisible():
                assert button.width() >= button.sizeHint().width(), button.text()
        # The long list of ignored columns: four whole lines (then it scrolls), not half a line.
        assert dialog.notes_scroll.height() >= 4 * dialog.file_notes.fontMetrics().lineSpacing()
        dialog.grab().save(str(tmp_path / "impor_opensid.png"))
        assert dialog.consents_button.isVisible()
        dialog.save_consents(tmp_path / "persetujuan.xlsx")
        _settle(qtbot, ops)
        assert (tmp_path / "persetujuan.xlsx").exists() and "persetujuan.xlsx" in dialog.error.text()
        dialog.age_filter.click()  # a member list after all: every row, ages only warned
        qtbot.waitUntil(lambda: dialog.preview is not None and not dialog.preview.age_filter, timeout=10_000)
        _settle(qtbot, ops)
        assert dialog.preview.counted("out_of_range") == 0  # type: ignore[union-attr]
        dialog.age_filter.click()  # back to residents: import the two in range
        qtbot.waitUntil(lambda: dialog.preview is not None and dialog.preview.age_filter, timeout=10_000)
        _settle(qtbot, ops)
        dialog.next_step()
        qtbot.waitUntil(lambda: dialog.stack.currentIndex() == import_dialog.DONE, timeout=10_000)
        assert "2 di luar rentang umur, 1 menunggu persetujuan" in dialog.done_label.text()
        assert service.count(ops.session, MemberQuery(), TODAY) == 2
    finally:
        app.setFont(normal)


def test_the_guardian_consent_box_shows_only_for_a_minor(qtbot: QtBot, ops: Ops) -> None:
    """Issue 16: the form of a 35-year-old showed the box for a parent's consent."""
    from kt_desktop.gui.dialogs.member_form import MemberForm

    form = MemberForm(ops, None, today=TODAY)
    qtbot.addWidget(form, before_close_func=lambda _w: ops.wait_idle())
    form.show()
    _settle(qtbot, ops)
    assert form.consent_box.isHidden()  # no date of birth yet
    form.birth_date.set_value(dt.date(1991, 5, 2))  # 35
    assert form.consent_box.isHidden()
    form.birth_date.set_value(dt.date(2011, 5, 2))  # 15
    assert not form.consent_box.isHidden()
    form.birth_date.set_value(dt.date(2008, 11, 28))  # 18 today
    assert form.consent_box.isHidden()
    form.guardian_edit.setText("Sukardi")  # a consent already written stays in sight
    form.birth_date.set_value(dt.date(1991, 5, 2))
    assert not form.consent_box.isHidden()
