"""The Duplikat page with a NIK live in 30 villages (issue 22): its newest registrations,
then a line "dan 20 desa lainnya" for the villages not listed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kt_desktop.services import receiver as service
from tests.gui.conftest import OpenWindow
from tests.test_receiver_duplicates import WIDE_NIK, WIDE_VILLAGES, spread_nik_file

PLACE = 4  # the Desa/Kelurahan column


def test_duplicates_page_says_how_many_villages_are_not_listed(
    qtbot: QtBot, tmp_path: Path, open_window: OpenWindow
) -> None:
    world = spread_nik_file(tmp_path / "provinsi.sqlite")
    window = open_window(world.path)
    window.show_page([spec.key for spec in window.specs].index("duplikat"))
    page = window.page("duplikat")
    model = page.model
    qtbot.waitUntil(lambda: not window.ops.busy() and model.total == 4, timeout=20_000)
    assert page.count.text() == "4 NIK terdaftar di lebih dari satu desa"

    cells = [[model.data(model.index(r, c)) for c in range(model.columnCount())]
             for r in range(model.rowCount())]
    start = next(r for r, row in enumerate(cells) if row[0].endswith(WIDE_NIK[-4:]))
    listed = service.MAX_VILLAGES_PER_NIK
    more = cells[start + listed]
    assert more[PLACE] == f"dan {WIDE_VILLAGES - listed} desa lainnya"
    assert [cell for column, cell in enumerate(more) if column != PLACE] == [""] * 9
    tooltip = model.data(model.index(start + listed, PLACE), Qt.ItemDataRole.ToolTipRole)
    assert tooltip == ("NIK ini terdaftar sebagai anggota di 30 desa; yang dicantumkan hanya "
                       "10 pendaftaran terbaru (menurut tanggal bergabung).")
    wide = cells[start:start + listed]
    assert all(row[PLACE].startswith(("Desa ", "Kelurahan ")) for row in wide)
    assert wide[0][9] == "terbaru" and all(row[9] == "" for row in wide[1:])
    # the other NIKs live in two villages each: both listed, no such line
    assert sum(1 for row in cells if row[PLACE].startswith("dan ")) == 1
    assert model.rowCount() == listed + 1 + 3 * 2
    assert page.status.text().startswith(f"{listed + 3 * 2} pendaftaran ditampilkan")
