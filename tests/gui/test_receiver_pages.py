"""The receiver's pages with real widgets: Rekap drill-down, Desa, Data per desa, Duplikat,
Laporan (PDF, save, export). The file comes from the scale demo script (a few dozen villages,
some left out on purpose)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kt_desktop.gui.main_window import MainWindow
from kt_desktop.gui.models.receiver_tables import Column, FigureRow, FiguresModel, PagedModel
from kt_desktop.gui.models.receiver_villages import VillagesModel
from kt_desktop.services import receiver as service
from kt_desktop.services.session import open_session
from tests.gui.conftest import OpenWindow
from tests.test_receiver_kit import banten_demo

TODAY = service.today_here()  # the receiver counts days in WIB, whatever the clock's zone


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from tests.test_receiver_kit import home

    folder = tmp_path_factory.mktemp("receiver_gui")
    with home(folder / "home"):
        return banten_demo().build(folder / "banten.sqlite", villages=30, months=24, seed=5,
                             today=TODAY)


@pytest.fixture
def data_file(built: Any, tmp_path: Path) -> Path:
    target = tmp_path / "banten.sqlite"
    shutil.copy(built.path, target)
    return target


def _page(qtbot: QtBot, window: MainWindow, key: str) -> Any:
    window.show_page([spec.key for spec in window.specs].index(key))
    qtbot.waitUntil(lambda: not window.ops.busy(), timeout=20_000)
    return window.page(key)


def _cells(model: Any, row: int) -> list[str]:
    return [model.data(model.index(row, c)) for c in range(model.columnCount())]


def test_rekap_drills_down_to_kecamatan_and_back(
    qtbot: QtBot, data_file: Path, built: Any, open_window: OpenWindow
) -> None:
    window = open_window(data_file)
    page = _page(qtbot, window, "rekap")
    qtbot.waitUntil(lambda: page.data is not None, timeout=20_000)
    names = [page.reporting.data(page.reporting.index(r, 0))
             for r in range(page.reporting.rowCount())]
    assert names[:2] == ["Kabupaten Pandeglang", "Kabupaten Lebak"] and names[-1] == "Jumlah"
    assert page.card_villages.value.text() == "1.552"
    assert page.card_enrolled.value.text() == str(len(built.enrolled))
    reported = len(built.enrolled) - len(built.not_this_month)
    assert page.card_reported.value.text() == str(reported)
    assert _cells(page.reporting, len(names) - 1)[-2] == str(reported)  # this month's column
    assert page.tabs.tabText(page.missing_tab) == "Belum melapor ({count})".format(
        count=f"{1552 - reported:,}".replace(",", "."))
    # the list itself is filled when its tab is opened (thousands of rows in Jawa Tengah)
    assert page.missing.rowCount() == 0
    page.tabs.setCurrentIndex(page.missing_tab)
    assert page.missing.rowCount() == 1552 - reported
    assert page.missing.data(page.missing.index(0, 0)).startswith("Kabupaten")
    header = page.missing_view.horizontalHeader()  # the village's name takes the room left
    qtbot.waitUntil(lambda: header.length() >= page.missing_view.viewport().width())
    assert header.sectionSize(3) > header.sectionSize(2)  # wider than the code beside it
    page.never_only.setChecked(True)  # the villages that never sent anything
    assert page.missing.rowCount() == 1552 - len(built.enrolled) > 0
    page.tabs.setCurrentIndex(0)

    serang = names.index("Kabupaten Serang")
    index = page.reporting.index(serang, 0)
    rect = page.reporting_view.visualRect(index)
    # a press first: a view acts on a double-click only where the button went down
    qtbot.mouseClick(page.reporting_view.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center())
    qtbot.mouseDClick(page.reporting_view.viewport(), Qt.MouseButton.LeftButton,
                      pos=rect.center())
    qtbot.waitUntil(lambda: page.area == "36.04" and not window.ops.busy(), timeout=20_000)
    qtbot.waitUntil(lambda: page.data is not None and page.data.table.area == "36.04")
    kecamatan = page.reporting.rowCount() - 1
    assert kecamatan == 29  # the kecamatan of Kabupaten Serang
    assert "Kabupaten Serang" in page.crumbs.text() and 'href="36"' in page.crumbs.text()
    assert page.figures.headerData(0, Qt.Orientation.Horizontal) == "Kecamatan"

    page.reporting_view.setFocus()
    qtbot.keyClick(page.reporting_view, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: page.area == "36" and not window.ops.busy(), timeout=20_000)
    qtbot.waitUntil(lambda: page.data is not None and page.data.table.area == "36")

    page.split.setCurrentIndex(1)  # desa and kelurahan
    assert [page.figures.data(page.figures.index(r, 0))
            for r in range(page.figures.rowCount())] == ["Desa", "Kelurahan", "Jumlah"]
    page.set_period(service.year_period(TODAY.year))
    qtbot.waitUntil(lambda: page.data is not None and page.data.totals.period.is_year,
                    timeout=20_000)
    assert page.table_title.text().endswith("Provinsi Banten")


def test_desa_page_lists_filters_and_imports_village_status(
    qtbot: QtBot, data_file: Path, built: Any, open_window: OpenWindow, tmp_path: Path
) -> None:
    window = open_window(data_file)
    page = _page(qtbot, window, "desa")
    qtbot.waitUntil(lambda: page.model.total == 1552, timeout=20_000)
    page.show_filter.setCurrentIndex(page.show_filter.findData("not_enrolled"))
    assert page.model.rowCount() == 1552 - len(built.enrolled)
    page.show_filter.setCurrentIndex(page.show_filter.findData("all"))
    qtbot.keyClicks(page.search, built.enrolled[0])
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5_000)
    village = page.model.village(0)
    assert village is not None and village.enrolled and village.fingerprint

    good = tmp_path / "status.csv"
    desa = [code for code in built.enrolled if code[9] == "2"][:2]
    good.write_text("kode;status;tahun;sumber\n" + "".join(
        f"{code};mandiri;2025;Dinas PMD\n" for code in desa), encoding="utf-8")
    page.ask_csv_path = lambda: good
    page.import_button.click()
    qtbot.waitUntil(lambda: page.last_import is not None and not window.ops.busy(),
                    timeout=10_000)
    assert page.last_import.rows == 2
    assert page.notice.text().startswith("Diimpor 2 status dari 2 desa")
    assert page.notice.isVisible()

    messages: list[str] = []
    page.show_import_error = lambda exc: messages.append(str(exc))
    bad = tmp_path / "bad.csv"
    bad.write_text("kode;status;tahun\n36.04.22.2001;hebat;2025\n", encoding="utf-8")
    page.ask_csv_path = lambda: bad
    page.import_button.click()
    qtbot.waitUntil(lambda: bool(messages), timeout=10_000)
    assert "baris 2" in messages[0] and "hebat" in messages[0]
    assert page.import_button.isEnabled()


def test_data_page_pages_a_villages_lists_with_niks_masked(
    qtbot: QtBot, data_file: Path, built: Any, open_window: OpenWindow
) -> None:
    window = open_window(data_file)
    page = _page(qtbot, window, "data")
    qtbot.waitUntil(lambda: len(page.villages) == len(built.enrolled), timeout=20_000)
    code = next(c for c in built.enrolled if c not in built.stopped)  # two years of data
    page.show_village(code)
    qtbot.waitUntil(lambda: page.members.model.rowCount() > 0 and not window.ops.busy(),
                    timeout=20_000)
    session = open_session(data_file)
    try:
        members = service.village_members(session, code, limit=1000)
        activities = service.village_activities(session, code, limit=1)
    finally:
        session.close()
    assert page.members.model.rowCount() == members.total
    assert all(cell.startswith("\u2022" * 12) or cell == ""
               for cell in (page.members.model.data(page.members.model.index(r, 1))
                            for r in range(page.members.model.rowCount())))
    model = page.activities.model
    assert activities.total > service.PAGE_SIZE  # so the list really pages
    assert model.rowCount() == service.PAGE_SIZE and model.canFetchMore()
    model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() == activities.total, timeout=10_000)
    page.tabs.setCurrentIndex(1)
    assert page.status.text().endswith("kegiatan")


def test_duplicates_page_lists_the_members_who_moved(
    qtbot: QtBot, data_file: Path, built: Any, open_window: OpenWindow
) -> None:
    window = open_window(data_file)
    page = _page(qtbot, window, "duplikat")
    qtbot.waitUntil(lambda: page.model.total >= len(built.moved), timeout=20_000)
    shown = {page.model.data(page.model.index(r, 4)) for r in range(page.model.rowCount())}
    for _nik, source, target in built.moved:
        for code in (source, target):
            place = next(p for p in service.places("36") if p.code == code)
            assert f"{'Kelurahan' if place.kind == 'kelurahan' else 'Desa'} {place.name}" in shown
    first = page.model.data(page.model.index(0, 0))
    assert first.startswith("\u2022" * 12)
    notes = [page.model.data(page.model.index(r, 9)) for r in range(page.model.rowCount())]
    assert notes.count("terbaru") == page.model.total


def test_laporan_builds_the_pdf_saves_it_and_exports_the_data(
    qtbot: QtBot, data_file: Path, open_window: OpenWindow, tmp_path: Path
) -> None:
    window = open_window(data_file)
    page = _page(qtbot, window, "laporan")
    page.choose(service.year_period(TODAY.year), "36.04")
    page.build_button.click()
    qtbot.waitUntil(lambda: page.preview.page_count() > 0 and not window.ops.busy(),
                    timeout=30_000)
    assert page.status.text().startswith("Selesai:")
    assert page.suggested_name == f"rekap-kt-3604-{TODAY.year}.pdf"
    target = tmp_path / "out" / "rekap.pdf"
    target.parent.mkdir()
    page.ask_save_path = lambda: target
    page.save()
    qtbot.waitUntil(lambda: target.exists() and not window.ops.busy(), timeout=10_000)
    assert target.read_bytes()[:4] == b"%PDF"

    page.reveal_nik.setChecked(True)
    asked: list[bool] = []
    page.confirm_reveal = lambda: asked.append(True) or False
    page.export("xlsx")
    assert asked and page.last_export is None  # declined: nothing written
    page.reveal_nik.setChecked(False)
    workbook = tmp_path / "out" / "data.xlsx"
    page.ask_export_path = lambda kind: workbook
    page.xlsx_button.click()
    qtbot.waitUntil(lambda: page.last_export is not None and not window.ops.busy(),
                    timeout=30_000)
    assert workbook.exists() and page.last_export.area == "36.04"
    assert page.export_status.text().startswith("Ditulis:")


def test_the_receiver_models_pass_the_model_tester(qtmodeltester: Any, data_file: Path) -> None:
    figures = FiguresModel()
    figures.set_rows(["Wilayah", "Jumlah"], [FigureRow(("A", "1"), key="36.01",
                                                       shares=(None, 0.5)),
                                             FigureRow(("Jumlah", "1"), bold=True)])
    qtmodeltester.check(figures)
    paged: PagedModel[int] = PagedModel([Column("Angka", str, right=True)])
    paged.reset_rows([1, 2, 3], 5, paged.new_generation())
    qtmodeltester.check(paged)
    session = open_session(data_file)
    try:
        villages = service.village_overview(session)
    finally:
        session.close()
    model = VillagesModel()
    model.set_villages(villages[:300])
    qtmodeltester.check(model)
