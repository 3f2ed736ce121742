"""Meetings and letters through real widgets (issue 18): hold a meeting with its attendance,
minutes and a follow-up; write its invitation; record an incoming letter with its scan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QComboBox

from kt_desktop.domain.book import book
from kt_desktop.gui.dialogs.book_form import BookForm
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.rapat import MeetingsPage, OutgoingLettersPage
from kt_desktop.services import books, rapat, surat
from tests.gui.conftest import idle, open_book_page, show_page, type_into
from tests.test_reports_helpers import Village, add_members, pdf_text

RAPAT, MASUK, KELUAR = book("rapat"), book("surat-masuk"), book("surat-keluar")


@pytest.fixture
def village(village_session: Any) -> Village:
    found = Village()
    add_members(village_session, found)
    return found


@pytest.fixture
def meetings(qtbot: Any, ops: Ops, village: Village) -> Iterator[MeetingsPage]:
    page = show_page(qtbot, ops, MeetingsPage(ops, None))
    yield page
    if page.form is not None:
        page.form.reject()
    idle(qtbot, ops)


def _cell(form: BookForm, grid: str, row: int, key: str) -> Any:
    table = form.grids[grid]
    return table.table.cellWidget(row, table.keys.index(key))


def _pick(combo: QComboBox, name: str) -> None:
    index = next(i for i in range(combo.count()) if combo.itemText(i).startswith(name))
    combo.setCurrentIndex(index)


def test_hold_a_meeting_then_write_its_invitation(qtbot: Any, meetings: MeetingsPage,
                                                  ops: Ops, tmp_path: Path) -> None:
    meetings.add_record()
    form = meetings.form
    assert form is not None and set(form.grids) == {"hadir", "acara", "tindak_lanjut"}
    assert form.grids["acara"].table.rowCount() == 1  # a new meeting starts with one item
    type_into(form, title="Persiapan HUT RI")
    form.widgets["meeting_date"].set_value(dt.date(2025, 8, 2))  # type: ignore[attr-defined]
    type_into(form, start_time="19.30 WIB", place="Balai Desa Baros", chair="Ahmad Fauzi",
              notulis="Siti Nurhaliza", decisions="Lomba diadakan 17 Agustus.")
    hadir = form.grids["hadir"]
    hadir.add_button.click()
    hadir.add_button.click()
    member = _cell(form, "hadir", 0, "member_id")
    qtbot.waitUntil(lambda: member.count() > 5, timeout=10_000)  # the register arrived
    _pick(member, "Dedi Kurniawan")
    _cell(form, "hadir", 1, "name").setText("H. Suryadi")
    _cell(form, "hadir", 1, "institution").setText("Pemerintah Desa Baros")
    _cell(form, "acara", 0, "topic").setText("Susunan panitia")
    _cell(form, "acara", 0, "minutes").setPlainText("Ketua panitia Dedi Kurniawan.")
    form.grids["tindak_lanjut"].add_button.click()
    _cell(form, "tindak_lanjut", 0, "task").setText("Menyewa tenda")
    who = _cell(form, "tindak_lanjut", 0, "member_id")
    qtbot.waitUntil(lambda: who.count() > 5, timeout=10_000)
    _pick(who, "Dedi Kurniawan")
    _cell(form, "tindak_lanjut", 0, "due_date").set_value(dt.date(2025, 8, 10))
    form.save()
    qtbot.waitUntil(lambda: meetings.form is None, timeout=10_000)
    idle(qtbot, ops)
    qtbot.waitUntil(lambda: meetings.model.rowCount() == 1, timeout=10_000)
    [record] = books.list_page(ops.session, RAPAT, books.BookQuery()).rows
    meeting = rapat.get(ops.session, record.id)
    assert [p.name for p in rapat.people(ops.session, meeting)] == ["Dedi Kurniawan",
                                                                    "H. Suryadi"]
    assert [(r.get("topic"), r.get("minutes")) for r in meeting.agenda] == [
        ("Susunan panitia", "Ketua panitia Dedi Kurniawan.")]
    [follow] = rapat.followups(ops.session, meeting)
    assert (follow.task, follow.who, follow.due) == ("Menyewa tenda", "Dedi Kurniawan",
                                                     dt.date(2025, 8, 10))

    # opened again, the grids show the stored rows
    meetings.table.selectRow(0)
    meetings.edit_selected()
    again = meetings.form
    assert again is not None
    qtbot.waitUntil(lambda: again.grids["hadir"].table.rowCount() == 2, timeout=10_000)
    qtbot.waitUntil(lambda: _cell(again, "hadir", 0, "member_id").currentText().startswith(
        "Dedi Kurniawan"), timeout=10_000)
    again.reject()
    qtbot.waitUntil(lambda: meetings.form is None, timeout=5_000)

    # the invitation: the letter form filled from the meeting
    meetings.table.selectRow(0)
    assert meetings.invite_button.isEnabled()
    made: list[Any] = []
    original = meetings.letter_form

    def letter_form(rapat_id: str) -> Any:
        made.append(original(rapat_id))
        made[-1].ask_path = lambda: tmp_path / "undangan.pdf"
        return made[-1]

    meetings.letter_form = letter_form  # type: ignore[method-assign]
    meetings.invite_button.click()
    [letter] = made
    qtbot.waitUntil(lambda: letter.meeting.currentData() == record.id, timeout=10_000)
    assert letter.subject.text() == "Undangan Persiapan HUT RI"
    letter.addressee.setText("Seluruh pengurus")
    letter.copies.setPlainText("Kepala Desa Baros\nArsip")
    letter.acknowledge.setChecked(True)
    letter.show_preview()
    qtbot.waitUntil(lambda: "Tempat : Balai Desa Baros" in letter.preview.toPlainText(),
                    timeout=10_000)
    assert letter.preview.toPlainText().startswith("Nomor: 001/UND/KT-TH/")
    letter.save()
    qtbot.waitUntil(lambda: letter.number is not None, timeout=10_000)
    idle(qtbot, ops)
    assert meetings.status.text() == f"Surat nomor {letter.number} dibuat."
    text = pdf_text(tmp_path / "undangan.pdf")
    assert letter.number in text and "Susunan panitia" in text and "Mengetahui," in text
    [sent] = books.list_page(ops.session, KELUAR, books.BookQuery()).rows
    assert (sent.get("number"), sent.get("rapat_id")) == (letter.number, record.id)


def test_a_letter_with_an_unknown_placeholder_is_refused_beside_its_text(
    qtbot: Any, ops: Ops, village: Village, tmp_path: Path
) -> None:
    page = show_page(qtbot, ops, OutgoingLettersPage(ops, None))
    made: list[Any] = []
    original = page.letter_form
    page.letter_form = lambda: made.append(original()) or made[-1]  # type: ignore[method-assign]
    page.write_button.click()
    [letter] = made
    letter.ask_path = lambda: tmp_path / "x.pdf"
    qtbot.waitUntil(lambda: "{isi}" in letter.body.toPlainText(), timeout=10_000)
    letter.subject.setText("Kerja bakti")
    letter.addressee.setText("Warga")
    letter.body.setPlainText("Diberitahukan ")
    letter.body.moveCursor(QTextCursor.MoveOperation.End)
    # a placeholder is offered by its name and inserted at the cursor
    index = letter.placeholders.findText("Isi pemberitahuan")
    assert letter.placeholders.itemData(index) == "isi"
    letter.placeholders.activated.emit(index)
    letter.body.insertPlainText(" pada {hari}.")
    assert letter.body.toPlainText() == "Diberitahukan {isi} pada {hari}."
    letter.save()
    qtbot.waitUntil(lambda: letter.errors.message("body") != "", timeout=10_000)
    assert "memuat isian yang tidak dikenal: {hari}" in letter.errors.message("body")
    assert books.list_page(ops.session, KELUAR, books.BookQuery()).total == 0
    assert not (tmp_path / "x.pdf").exists()
    letter.reject()
    idle(qtbot, ops)


def test_record_an_incoming_letter_with_its_scan(qtbot: Any, ops: Ops, village: Village,
                                                 tmp_path: Path) -> None:
    from tests.test_book_attachments import scan

    pages = open_book_page(qtbot, ops, "surat-masuk")
    page = next(pages)
    page.add_record()
    form = page.form
    assert form is not None and form.files is not None
    form.widgets["received_date"].set_value(dt.date(2025, 10, 3))  # type: ignore[attr-defined]
    type_into(form, sender="Dinas Sosial Kabupaten Serang", their_number="460/123/Dinsos",
              subject="Pendataan PPKS", disposition_to="Sekretaris",
              instruction="Siapkan data PPKS desa.")
    bad = tmp_path / "surat.txt"
    bad.write_text("bukan pindaian")
    form.files.add_files([scan(tmp_path / "surat-dinsos.pdf"), bad])
    qtbot.waitUntil(lambda: form.files.list.count() == 1 and not form.files.busy,
                    timeout=10_000)
    assert "surat.txt bukan foto" in form.files.messages.text()
    form.save()
    qtbot.waitUntil(lambda: page.form is None, timeout=10_000)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    [letter] = books.list_page(ops.session, MASUK, books.BookQuery()).rows
    assert letter.get("state") == "belum"
    assert [f.original_name for f in books.files(ops.session, MASUK, letter.id)] == [
        "surat-dinsos.pdf"]
    assert surat.recorded(ops.session, "460/123/Dinsos") is False  # their number, not ours
    for _rest in pages:
        pass
