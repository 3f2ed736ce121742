"""The national level in the window: a province's Laporan writes its aggregate, a national
file shows the provinces' recap and imports .kta files on its Impor page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from kt_desktop.gui.main_window import MainWindow
from kt_desktop.services.setup import init_receiver
from tests.gui.conftest import OpenWindow
from tests.test_receiver_kit import banten_demo

TODAY = dt.date(2026, 11, 28)


def _page(qtbot: QtBot, window: MainWindow, key: str) -> Any:
    window.show_page([spec.key for spec in window.specs].index(key))
    qtbot.waitUntil(lambda: not window.ops.busy(), timeout=20_000)
    return window.page(key)


def test_a_province_exports_its_aggregate_and_the_national_file_shows_it(
    qtbot: QtBot, tmp_path: Path, open_window: OpenWindow
) -> None:
    province = banten_demo().build(tmp_path / "jateng.sqlite", area="33", villages=6, months=14,
                             seed=2, today=TODAY, members=15, trainings=2).path
    out = tmp_path / "kirim"
    out.mkdir()
    window = open_window(province)
    reports = _page(qtbot, window, "laporan")
    assert reports.aggregate_button is not None
    assert reports.aggregate_button.text() == "Agregat nasional…"
    reports.ask_aggregate_folder = lambda: out
    reports.export_aggregate()
    qtbot.waitUntil(lambda: not window.ops.busy(), timeout=30_000)
    made = list(out.glob("*.kta"))
    assert len(made) == 1 and "tanpa NIK" in reports.export_status.text()
    window.close()

    init_receiver(tmp_path / "nasional.sqlite", "00", "Pengurus Nasional")
    national = open_window(tmp_path / "nasional.sqlite")
    assert [spec.key for spec in national.specs] == ["rekap", "impor", "pengaturan", "bantuan"]
    page = _page(qtbot, national, "impor")
    assert not page.receipt_button.isVisible()
    from kt_desktop.services import bundles

    report = bundles.import_files(national.ops.session, [out], trust_new=True)
    assert report.bundles[0].status == bundles.IMPORTED
    recap = _page(qtbot, national, "rekap")
    recap.refresh()
    cells = [recap.table.item(row, 0).text() for row in range(recap.table.rowCount())]
    assert cells == ["Jawa Tengah", "Indonesia"]
    assert recap.table.item(0, 1).text() == "8.563"
