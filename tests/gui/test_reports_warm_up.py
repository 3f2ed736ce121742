"""Opening the Laporan page warms up, on a worker, what the first report needs."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kt_desktop import regions
from kt_desktop.domain.errors import KtError
from kt_desktop.gui import ops as ops_module
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.reports import ReportsPage
from kt_desktop.reports import base
from kt_desktop.services import reports
from kt_desktop.services.session import Session
from tests.conftest import VILLAGE_CODE
from tests.gui.conftest import ops_on
from tests.test_reports_helpers import PRINTED, fill_village

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def ops(village_session: Session) -> Iterator[Ops]:
    fill_village(village_session)
    yield from ops_on(village_session)


@pytest.fixture
def cold(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """As in a fresh session: no fonts registered, no styles, the region list not loaded.

    (reportlab itself stays imported once a test has imported it; the subprocess test
    below and ``tests/test_reports_warm_up.py`` check that part.) Returns, for each warm-up
    run, whether it ran on the GUI thread.
    """
    monkeypatch.setattr(base, "_fonts_ready", False)
    monkeypatch.setattr(base, "_styles", None)
    monkeypatch.setattr(regions, "_data", None)
    monkeypatch.setattr(regions, "_chain_cache", {})
    runs: list[bool] = []
    real = reports.warm_up

    def spy(session: Session) -> None:
        runs.append(threading.current_thread() is threading.main_thread())
        real(session)

    monkeypatch.setattr(reports, "warm_up", spy)
    return runs


def _open(qtbot: Any, ops: Ops) -> ReportsPage:
    page = ReportsPage(ops, None, today=PRINTED)
    qtbot.addWidget(page, before_close_func=lambda _w: ops.wait_idle())
    page.resize(1166, 708)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: not ops.busy(), timeout=15_000)
    return page


def test_opening_the_page_warms_up_off_the_gui_thread(qtbot, ops, cold):
    assert not base._fonts_ready and regions._chain_cache == {}
    page = _open(qtbot, ops)
    assert cold == [False]  # once, on a worker
    assert base._fonts_ready and base._styles is not None
    assert "reportlab.platypus" in sys.modules and "kt_desktop.reports.monthly" in sys.modules
    assert VILLAGE_CODE in regions._chain_cache  # the kop's names, ready
    assert regions._data is None  # and not the whole country's list for them

    # the first report then finds everything ready and is made as before
    page.build_button.click()
    qtbot.waitUntil(lambda: not ops.busy(), timeout=15_000)
    qtbot.waitUntil(lambda: page.preview.page_count() > 0, timeout=10_000)
    assert cold == [False]  # making the report does not warm up again
    assert page.build_button.isEnabled()


def test_a_failing_warm_up_is_left_for_the_report_to_tell(qtbot, ops, monkeypatch):
    shown: list[BaseException] = []
    monkeypatch.setattr(ops_module, "show_failure", lambda _parent, exc: shown.append(exc))

    def broken(_session: Session) -> None:
        raise KtError("The report font is missing; reinstall KT Desktop.", code="font_missing")

    monkeypatch.setattr(reports, "warm_up", broken)
    page = _open(qtbot, ops)
    assert shown == []
    assert page.status.text() == ""
    assert page.build_button.isEnabled()


def test_the_page_module_does_not_import_reportlab():
    code = "import sys, kt_desktop.gui.pages.reports; print('reportlab' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert result.stdout.strip() == "False"


def test_a_report_asked_for_at_once_is_made_while_the_warm_up_runs(qtbot, ops, cold):
    """The members page's Cetak opens the page and builds at once: both run together."""
    page = ReportsPage(ops, None, today=PRINTED)
    qtbot.addWidget(page, before_close_func=lambda _w: ops.wait_idle())
    page.show()
    page.select_report("monthly", build=True)
    qtbot.waitUntil(lambda: not ops.busy(), timeout=15_000)
    qtbot.waitUntil(lambda: page.preview.page_count() > 0, timeout=10_000)
    assert cold == [False]
