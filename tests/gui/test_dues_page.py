"""Iuran Anggota: the members × months grid filled from the keyboard; each month paid is a
cash entry of category iuran; exempt members' months take nothing; the arrears column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from kt_desktop.domain import clock
from kt_desktop.domain.book import book
from kt_desktop.domain.members import Member
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.dues import DuesPage
from kt_desktop.services import dues, members
from kt_desktop.store import books as book_store
from kt_desktop.store.books import BookQuery
from tests.gui.conftest import idle

KAS = book("kas")


def add_members(session: Any, *names: str) -> list[str]:
    ids = []
    for name in names:
        ids.append(members.save(session, Member(
            name=name, nik_missing_reason="Belum punya KTP", sex="L",
            birth_date=dt.date(2001, 2, 3), joined_on=dt.date(2020, 1, 1)),
            today=dt.date(2026, 1, 1)).id)
    return ids


@pytest.fixture
def page(qtbot: Any, ops: Ops) -> Iterator[DuesPage]:
    widget = DuesPage(ops)
    qtbot.addWidget(widget, before_close_func=lambda _w: ops.wait_idle())
    widget.resize(1024, 600)
    widget.show()
    idle(qtbot, ops)
    yield widget
    idle(qtbot, ops)


def test_dues_typed_in_the_grid_become_cash_entries(qtbot: Any, ops: Ops,
                                                    page: DuesPage) -> None:
    session = ops.session
    ani, budi, citra = add_members(session, "Ani", "Budi", "Citra")
    dues.set_rate(session, "10.000")
    dues.set_exempt(session, citra, "Pelajar")
    page.year.setValue(clock.today().year - 1)  # a whole past year: every month is owed
    idle(qtbot, ops)
    grid = page.grid
    assert grid.view.isVisible()
    assert grid.model.rowCount() == 4 and grid.model.columnCount() == 13
    assert "Rp10.000" in page.rate_label.text()
    # Citra is exempt: her months are grey dashes the cursor cannot stand on
    assert grid.model.data(grid.model.index(2, 0)) == "—"
    assert not grid.model.flags(grid.model.index(2, 0))
    view = grid.view
    view.setFocus()
    view.go_to(0, 0)
    qtbot.keyClick(view, "l")  # Ani, January; the cursor moves to Budi
    qtbot.keyClick(view, "l")  # Budi, January; Citra is skipped: February, Ani
    qtbot.keyClick(view, "l")  # Ani, February
    assert grid.model.changes() == {
        (f"{page.year.value()}-01", ani): "L", (f"{page.year.value()}-01", budi): "L",
        (f"{page.year.value()}-02", ani): "L"}
    assert "3" in grid.status.text()
    assert grid.model.data(grid.model.index(0, 12)) == "Rp100.000"  # Ani owes ten months
    qtbot.keyClick(view, "s", modifier=Qt.KeyboardModifier.ControlModifier)
    idle(qtbot, ops)
    entries = list(book_store.iter_all(session.db(), KAS, BookQuery(equals={
        "category": "iuran"})))
    assert sorted((r.get("member_id"), r.get("dues_month"), r.get("receipt"))
                  for r in entries) == sorted([
        (ani, f"{page.year.value()}-01", 10_000), (budi, f"{page.year.value()}-01", 10_000),
        (ani, f"{page.year.value()}-02", 10_000)])
    assert all("Ani" in r.get("description") or "Budi" in r.get("description")
               for r in entries)
    assert not grid.model.changes()
    # Delete takes a payment back
    view.go_to(1, 0)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    grid.request_save()
    idle(qtbot, ops)
    assert not dues.grid(session, page.year.value()).is_paid(budi, f"{page.year.value()}-01")


def test_the_arrears_list_is_printed_with_its_total(qtbot: Any, ops: Ops, page: DuesPage,
                                                   tmp_path: Path) -> None:
    session = ops.session
    ani, _budi = add_members(session, "Ani", "Budi")
    dues.set_rate(session, "15.000")
    year = clock.today().year - 1
    dues.pay(session, ani, [f"{year}-{m:02d}" for m in range(1, 13)], on=clock.today())
    page.year.setValue(year)
    idle(qtbot, ops)
    out = tmp_path / "tunggakan.pdf"
    page.ask_path = lambda: out  # type: ignore[method-assign]
    page.print_arrears()
    idle(qtbot, ops)
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert "TUNGGAKAN IURAN" in text and "Budi" in text and "Ani" not in text.split("Nama")[1]
    assert "Rp180.000" in text  # twelve months of Budi



def test_dues_typed_are_saved_when_another_year_is_chosen(qtbot: Any, ops: Ops,
                                                          page: DuesPage) -> None:
    session = ops.session
    (ani,) = add_members(session, "Ani")
    dues.set_rate(session, "5.000")
    year = clock.today().year - 1
    page.year.setValue(year)
    idle(qtbot, ops)
    page.grid.view.setFocus()
    page.grid.view.go_to(0, 2)
    qtbot.keyClick(page.grid.view, "l")
    page.year.setValue(year - 1)  # not saved with Ctrl+S: saved for the year it was typed in
    idle(qtbot, ops)
    assert dues.grid(session, year).is_paid(ani, f"{year}-03")
    assert not page.grid.model.changes()
