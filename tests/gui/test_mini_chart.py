"""Beranda's bar chart: every number stands whole, and no two numbers overlap."""

from __future__ import annotations

from itertools import combinations

import pytest
from PySide6.QtGui import QFontMetrics

from kt_desktop.gui.widgets.mini_chart import MiniChart
from kt_desktop.services.dashboard import Chart

#: A large village's members by age band (five-digit numbers side by side: they overlapped).
AGES = Chart(
    "Anggota menurut umur dan jenis kelamin",
    ["<13", "13–17", "18–30", "31–45", "46+"],
    [("Laki-laki", [1541, 6745, 17116, 19777, 3462]),
     ("Perempuan", [1453, 6313, 16612, 19020, 3355])],
)


@pytest.mark.parametrize("width", [1000, 520, 300])
@pytest.mark.parametrize("font_size", [10, 14])
def test_the_numbers_above_the_bars_never_overlap(qtbot, width: int, font_size: int) -> None:
    chart = MiniChart(AGES)
    qtbot.addWidget(chart)
    font = chart.font()
    font.setPointSize(font_size)
    chart.setFont(font)
    chart.resize(width, chart.sizeHint().height())
    boxes = chart.value_boxes()
    assert len(boxes) == 10
    small = QFontMetrics(chart._small_font())
    for _series, bar, box, text in boxes:
        assert box.width() >= small.horizontalAdvance(text)  # whole, not cut
        assert box.bottom() <= bar.top() + 0.5  # above its own bar
        assert box.top() >= 0
    for (_a, _bar_a, first, text_a), (_b, _bar_b, second, text_b) in combinations(boxes, 2):
        assert not first.intersects(second), (width, font_size, text_a, text_b)


def test_the_numbers_stand_side_by_side_where_there_is_room(qtbot) -> None:
    chart = MiniChart(AGES)
    qtbot.addWidget(chart)
    chart.resize(1000, chart.sizeHint().height())
    tops = {round(box.bottom() - bar.top()) for _s, bar, box, _t in chart.value_boxes()}
    assert tops == {0}  # every number right on its bar: no second row needed at this width
