"""Beranda and the receiver's Rekap as a secretary or officer sees them (issue 16)."""

from __future__ import annotations

from pathlib import Path


def test_an_empty_receiver_summary_shows_the_first_steps(qtbot, receiver_file: Path) -> None:  # type: ignore[no-untyped-def]
    from kt_desktop.gui.ops import Ops
    from kt_desktop.gui.pages.receiver_summary import ReceiverSummaryPage
    from kt_desktop.services.session import open_session

    session = open_session(receiver_file)
    ops = Ops(session)
    try:
        page = ReceiverSummaryPage(ops)
        qtbot.addWidget(page, before_close_func=lambda _w: ops.wait_idle())
        page.resize(1100, 700)
        page.show()
        qtbot.waitUntil(lambda: page.data is not None, timeout=20_000)
        assert page.first_steps.isVisible()
        assert "Langkah pertama" in page.first_steps.text()
        assert "kt-desktop keys export" in page.first_steps.text()
        assert not page.cards.isVisible() and not page.splitter.isVisible()
    finally:
        ops.wait_idle()
        session.close()


def test_beranda_draws_the_members_chart_once_there_are_members(qtbot, ops) -> None:  # type: ignore[no-untyped-def]
    from kt_desktop.gui.pages.home import HomePage
    from kt_desktop.i18n import _
    from tests.test_bundles_kit import add_members

    add_members(ops.session, 5)
    page = HomePage(ops)
    qtbot.addWidget(page, before_close_func=lambda _w: ops.wait_idle())
    page.resize(1166, 708)
    page.show()
    # no activities: one chart, shown once its area is laid out
    qtbot.waitUntil(lambda: len(page.charts) == 1 and page.charts[0].isVisible(),
                    timeout=30_000)
    chart = page.charts[0]
    assert chart.chart.title == _("Members by age and sex")
    assert not chart.grab().isNull()
