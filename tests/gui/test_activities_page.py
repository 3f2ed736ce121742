"""Kegiatan page and form driven through real widgets, as a secretary would."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSpinBox

from kt_desktop.domain import activities as rules
from kt_desktop.domain.activities import Activity, Fund, Participant
from kt_desktop.gui.dialogs.activity_form import ActivityForm
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.activities import ActivitiesPage
from kt_desktop.services import activities as service
from kt_desktop.services import demo_members
from kt_desktop.services.session import Session
from kt_desktop.store import activities as store
from tests.gui.conftest import enter_on_first_row, ops_on, show_page
from tests.gui.message_boxes import answer_boxes

TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def ops(village_session: Session) -> Iterator[Ops]:
    demo_members.fill(village_session, random.Random(11), TODAY, members=15)
    yield from ops_on(village_session)


@pytest.fixture
def page(qtbot: Any, ops: Ops) -> Iterator[ActivitiesPage]:
    widget = show_page(qtbot, ops, ActivitiesPage(ops, None, today=TODAY))
    yield widget
    if widget.form is not None:
        widget.form.reject()
    _idle(qtbot, ops)


def _idle(qtbot: Any, ops: Ops) -> None:
    qtbot.waitUntil(lambda: not ops.busy(), timeout=10_000)


def _photo(path: Path) -> Path:
    image = Image.new("RGB", (2400, 1800), (30, 140, 90))
    image.paste((250, 220, 40), (200, 200, 900, 700))
    image.save(path, format="JPEG", quality=85)
    return path


def _open_form(qtbot: Any, page: ActivitiesPage) -> ActivityForm:
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.form is not None, "Ctrl+N opens the form"
    _idle(qtbot, page.ops)
    return page.form


def test_record_an_activity_with_participants_beneficiaries_and_a_photo(
    qtbot: Any, page: ActivitiesPage, tmp_path: Path
) -> None:
    assert page.stack.currentWidget() is page.empty
    assert page.empty.text() == (
        "Belum ada kegiatan bulan ini \u2014 tekan Ctrl+N untuk mencatat kegiatan")
    form = _open_form(qtbot, page)
    assert form.start_date.value() == TODAY  # a new activity starts today in this month

    # saving without a title: the first section comes forward with its message
    form.tabs.setCurrentIndex(3)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.tabs.currentIndex() == 0
    assert form.field_errors["title"].isVisibleTo(form)
    assert "Judul kegiatan wajib diisi" in form.field_errors["title"].text()
    assert form.focusWidget() is form.title_edit

    qtbot.keyClicks(form.title_edit, "Posyandu dan PMT balita RW 03")
    form.kind_combo.setEditText("Pemberian makanan bergizi / PMT balita")
    form.status_combo.setCurrentIndex(form.status_combo.findData(rules.TERLAKSANA))
    form.partner_combo.setEditText("Puskesmas Baros")
    form.place_combo.setEditText("Posyandu Melati")

    # participants: search the register, Enter adds the first match
    form.tabs.setCurrentIndex(1)
    db = page.ops.session.db()
    name = db.execute("SELECT name FROM members WHERE status = 'aktif' "
                      "ORDER BY name LIMIT 1").fetchone()[0]
    qtbot.keyClicks(form.member_search, name)
    qtbot.waitUntil(lambda: any(c.name == name for c in form.member_results), timeout=5_000)
    qtbot.keyClick(form.member_search, Qt.Key.Key_Return)
    assert [p.name for p in form.participants_model.rows] == [name]
    form.volunteers_spin.setValue(3)
    assert "1 anggota tercatat, 1 hadir; 3 relawan" in form.people_summary.text()

    # beneficiaries: add "Fakir miskin", type counts into the grid
    form.tabs.setCurrentIndex(2)
    assert form.beneficiary_model.rowCount() == 0  # only categories in use are shown
    # Nothing chosen in advance (issue 16: "Anak balita terlantar" was pre-selected and
    # added by a quick click): Tambah kategori waits for a choice.
    assert form.category_combo.currentIndex() == -1
    assert form.category_combo.placeholderText() == "Pilih kategori PPKS…"
    assert not form.add_category_button.isEnabled()
    form.category_combo.setCurrentIndex(form.category_combo.findData(24))
    assert form.add_category_button.isEnabled()
    qtbot.mouseClick(form.add_category_button, Qt.MouseButton.LeftButton)
    view = form.beneficiary_view
    view.setCurrentIndex(form.beneficiary_model.index(0, 2))  # L, dewasa
    qtbot.keyClicks(view, "4")  # typing a digit starts editing the cell
    editor = view.findChild(QSpinBox)
    assert editor is not None and editor.minimum() == 0
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the view commits it a moment later
    qtbot.waitUntil(lambda: form.beneficiary_model.counts.get((24, "L", "dewasa")) == 4)
    form.beneficiary_model.setData(form.beneficiary_model.index(0, 6), 6)  # P, dewasa
    assert form.beneficiary_model.result() == {(24, "L", "dewasa"): 4, (24, "P", "dewasa"): 6}
    totals = form.totals_model
    assert totals.data(totals.index(0, 8)) == "10"
    assert "Jumlah 10 penerima manfaat: 4 laki-laki, 6 perempuan" in \
        form.beneficiary_summary.text()
    assert form.category_combo.findData(24) == -1  # not offered twice
    assert form.category_combo.currentIndex() == -1 and not form.add_category_button.isEnabled()

    # funds
    form.tabs.setCurrentIndex(3)
    qtbot.mouseClick(form.add_fund_button, Qt.MouseButton.LeftButton)
    row = form.fund_rows[0]
    row.source.setCurrentIndex(row.source.findData(rules.DANA_DESA))
    row.amount.setValue(750_000)
    assert form.funds_total_label.text() == "Jumlah: Rp750.000"

    # a photo on a worker, then a broken file refused by name
    form.tabs.setCurrentIndex(4)
    form.add_photo_files([_photo(tmp_path / "IMG_0001.jpg")])
    qtbot.waitUntil(lambda: form.photo_list.count() == 1 and not page.ops.busy(),
                    timeout=10_000)
    broken = tmp_path / "rusak.jpg"
    broken.write_text("bukan foto", encoding="utf-8")
    form.add_photo_files([broken, tmp_path / "IMG_0001.jpg"])
    qtbot.waitUntil(lambda: form.photo_messages.isVisibleTo(form), timeout=10_000)
    _idle(qtbot, page.ops)
    assert "rusak.jpg" in form.photo_messages.text()
    assert "IMG_0001.jpg" in form.photo_messages.text()  # the same photo again
    assert form.photo_list.count() == 1
    form.set_caption(0, "Penimbangan balita")
    assert form.tabs.tabText(4) == "Dokumentasi (1)"

    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    with qtbot.waitSignal(form.finished, timeout=10_000):
        qtbot.keyClick(form.focusWidget() or form, Qt.Key.Key_S,
                       Qt.KeyboardModifier.ControlModifier)
    _idle(qtbot, page.ops)
    assert page.form is None
    assert page.model.rowCount() == 1
    row_data = page.model.activity(0)
    assert row_data is not None
    assert (row_data.title, row_data.attended, row_data.volunteers, row_data.beneficiaries,
            row_data.funds, row_data.photos) == (
        "Posyandu dan PMT balita RW 03", 1, 3, 10, 750_000, 1)
    assert page.table.selectionModel().selectedRows()[0].row() == 0  # the new row is selected
    assert page.count_label.text() == "1 kegiatan pada November 2026"
    saved = service.get(page.ops.session, row_data.id)
    assert saved.photos[0].caption == "Penimbangan balita"
    assert saved.photos[0].width == 1600  # scaled on intake


def _saved(ops: Ops, **changes: Any) -> str:
    values: dict[str, Any] = {
        "title": "Santunan anak yatim", "kind": "Santunan", "status": rules.TERLAKSANA,
        "start": dt.date(2026, 11, 20), "place": "Masjid Al-Ikhlas",
        "beneficiaries": {(2, "L", "anak"): 5}, "funds": [Fund(rules.DONATUR, 2_000_000)],
    }
    values.update(changes)
    return service.save(ops.session, Activity(**values), today=TODAY)


def test_edit_with_enter_and_remove_with_delete(
    qtbot: Any, page: ActivitiesPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    member = store.member_ids(page.ops.session.db())[0]
    activity_id = _saved(page.ops, participants=[Participant(member)])
    form = enter_on_first_row(qtbot, page)
    _idle(qtbot, page.ops)
    assert form.title_edit.text() == "Santunan anak yatim"
    assert form.beneficiary_model.rowCount() == 1
    assert len(form.fund_rows) == 1 and form.fund_rows[0].amount.value() == 2_000_000
    assert form.participants_model.rowCount() == 1
    form.title_edit.setText("Santunan anak yatim piatu")
    form.participants_model.setData(form.participants_model.index(0, 1),
                                    Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    with qtbot.waitSignal(form.finished, timeout=10_000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, page.ops)
    assert page.model.activity(0).title == "Santunan anak yatim piatu"  # type: ignore[union-attr]
    assert page.model.activity(0).attended == 0  # type: ignore[union-attr]

    answers = answer_boxes(monkeypatch, press="Hapus")
    page.table.selectRow(0)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    _idle(qtbot, page.ops)
    asked = answers.asked
    assert "Santunan anak yatim piatu" in asked[0] and "20/11/2026" in asked[0]
    assert sorted(answers.buttons[0]) == ["Batal", "Hapus"]
    assert page.model.rowCount() == 0
    assert page.stack.currentWidget() is page.empty
    assert service.count(page.ops.session, service.ActivityFilter()) == 0
    assert page.ops.session.db().execute(
        "SELECT deleted_at IS NOT NULL FROM activities WHERE id = ?", [activity_id]
    ).fetchone() == (1,)


def test_delete_can_be_declined(
    qtbot: Any, page: ActivitiesPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    _saved(page.ops)
    page.refresh()
    _idle(qtbot, page.ops)
    answers = answer_boxes(monkeypatch)  # Esc: the box's "Batal"
    page.table.selectRow(0)
    page.remove_selected()
    _idle(qtbot, page.ops)
    assert answers.asked and page.model.rowCount() == 1


def test_months_filters_and_search(qtbot: Any, page: ActivitiesPage) -> None:
    _saved(page.ops, title="Kerja bakti kali", kind="Kerja bakti / lingkungan hidup",
           start=dt.date(2026, 10, 12), place="Kali Cibanten")
    _saved(page.ops, title="Pemeriksaan kehamilan", kind="Pemeriksaan kesehatan",
           start=dt.date(2026, 11, 3), partner="Puskesmas Baros",
           campaign="Bulan Bhakti Karang Taruna 2026")
    _saved(page.ops, title="Rapat pengurus", kind="Rapat", status=rules.RENCANA,
           start=dt.date(2026, 11, 30))
    page.refresh()
    _idle(qtbot, page.ops)
    assert page.model.rowCount() == 2  # November's
    page.activateWindow()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    _idle(qtbot, page.ops)
    assert page.month == dt.date(2026, 10, 1)
    assert [page.model.activity(r).title for r in range(page.model.rowCount())] == [  # type: ignore[union-attr]
        "Kerja bakti kali"]
    page.set_month(dt.date(2026, 11, 1))
    _idle(qtbot, page.ops)
    page.campaign_filter.setCurrentIndex(
        page.campaign_filter.findData("Bulan Bhakti Karang Taruna 2026"))
    page.campaign_filter.activated.emit(page.campaign_filter.currentIndex())
    _idle(qtbot, page.ops)
    assert page.model.rowCount() == 1
    page.campaign_filter.setCurrentIndex(0)
    page.status_filter.setCurrentIndex(page.status_filter.findData(rules.RENCANA))
    page.status_filter.activated.emit(page.status_filter.currentIndex())
    _idle(qtbot, page.ops)
    assert page.model.activity(0).title == "Rapat pengurus"  # type: ignore[union-attr]
    page.status_filter.setCurrentIndex(0)
    qtbot.keyClick(page, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "puskesmas")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and not page.ops.busy(), timeout=5_000)
    page.all_months.setChecked(True)
    _idle(qtbot, page.ops)
    assert page.count_label.text() == "1 kegiatan"
    page.search.setText("tidak ada yang cocok")
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.empty, timeout=5_000)
    _idle(qtbot, page.ops)
    assert page.empty.text() == "Tidak ada kegiatan yang cocok dengan pencarian atau saringan."


def test_models_pass_the_model_tester(qtbot: Any, page: ActivitiesPage,
                                      qtmodeltester: Any) -> None:
    from kt_desktop.gui.dialogs.activity_form import BeneficiaryModel, ParticipantsModel
    from kt_desktop.services.activities import MemberChoice

    for day in range(1, 6):
        _saved(page.ops, title=f"Kegiatan {day}", start=dt.date(2026, 11, day))
    page.refresh()
    _idle(qtbot, page.ops)
    assert page.model.rowCount() == 5
    qtmodeltester.check(page.model, force_py=True)
    grid = BeneficiaryModel()
    grid.set_counts({(24, "L", "dewasa"): 2, (27, "P", "balita"): 7})
    qtmodeltester.check(grid, force_py=True)
    people = ParticipantsModel()
    people.add(MemberChoice(id="m1", name="Asep Suryana", detail=""))
    qtmodeltester.check(people, force_py=True)


def test_escape_with_unsaved_changes_asks_first(
    qtbot: Any, page: ActivitiesPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = _open_form(qtbot, page)
    qtbot.keyClick(form, Qt.Key.Key_Escape)  # nothing typed: closes at once
    qtbot.waitUntil(lambda: page.form is None)
    form = _open_form(qtbot, page)
    qtbot.keyClicks(form.title_edit, "Rapat pengurus")
    answers = [False, True]
    monkeypatch.setattr(ActivityForm, "confirm_discard", lambda _self: answers.pop(0))
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert page.form is form and form.isVisible()  # "Batal" in the question keeps it open
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.form is None)
    assert service.count(page.ops.session, service.ActivityFilter()) == 0
