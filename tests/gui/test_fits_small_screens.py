"""Every page and the main dialogs show their text whole on a 1024x600 netbook with the
largest font Pengaturan offers (issue 16).

One village window and one receiver window (the demo data of ``scripts/help_screens.py``)
walk every page, each tab, each kind of report, the member, activity, training, backup and
e-mail forms and the set-up wizard (``scripts/render_screens.py``'s :func:`walk`). On each,
:func:`kt_desktop.gui.widgets.fit.misfits` must find nothing: no button, label, combo or
column title cut, no page scrolling sideways, no dialog larger than the screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from kt_desktop import ui_prefs
from kt_desktop.gui.app import prepare_application
from kt_desktop.gui.widgets import fit
from scripts import help_screens, render_screens

NETBOOK = (1024, 600)


@pytest.fixture
def netbook(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The program's look at the largest font, on a screen of 1024x600; the application's
    own look comes back afterwards for the next tests."""
    style = qapp.style().name()
    palette, font = QPalette(qapp.palette()), QFont(qapp.font())
    ui_prefs.save_font_size(max(ui_prefs.FONT_SIZES))
    monkeypatch.setattr(fit, "available_size", lambda _widget: QSize(*NETBOOK))
    prepare_application(qapp, "id")
    yield
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)


def test_every_screen_fits_a_netbook_at_the_largest_font(
    qapp: QApplication, netbook: None, tmp_path: Path
) -> None:
    studio = help_screens.Studio(qapp, tmp_path)
    seen: list[str] = []
    problems: list[str] = []
    record_icons: dict[str, tuple[bool, ...]] = {}
    try:
        for name, widget in render_screens.walk(studio, NETBOOK):
            seen.append(name)
            problems += [f"{name}: {line}" for line in fit.misfits(widget, NETBOOK)]
            if name in ("anggota", "kegiatan", "pelatihan"):
                page = widget.page(name)  # type: ignore[attr-defined]
                record_icons[name] = tuple(
                    button.icon().isNull()
                    for button in (page.add_button, page.edit_button, page.remove_button)
                )
    finally:
        render_screens.close_dialogs(studio)
        studio.close()
    for page in ("beranda", "anggota", "kegiatan", "pelatihan", "laporan-1", "kirim",
                 "pengaturan", "bantuan", "form-anggota", "form-kegiatan", "form-pelatihan",
                 "wizard-1", "penerima-rekap", "penerima-impor"):
        assert any(name.startswith(page) for name in seen), f"{page} was never shown"
    assert not problems, "text that does not fit at 1024x600, 14 pt:\n  " + "\n  ".join(problems)
    # Tambah, Ubah, Hapus look the same on every list page (Pelatihan had a wrench and a
    # warning triangle where Anggota and Kegiatan have no icon).
    assert set(record_icons.values()) == {(True, True, True)}, record_icons


def test_the_check_sees_a_cut_button_and_a_page_that_scrolls_sideways(
    qapp: QApplication, qtbot: object
) -> None:
    """The check itself fails where a secretary would see a fault (it cannot pass blindly)."""
    from PySide6.QtWidgets import QHBoxLayout, QScrollArea

    window = QWidget()
    row = QHBoxLayout(window)
    button = QPushButton("Simpan sebagai PDF…")
    button.setFixedWidth(30)
    row.addWidget(button)
    area = QScrollArea()
    wide = QWidget()
    wide.setMinimumWidth(2000)
    area.setWidget(wide)
    row.addWidget(area)
    window.resize(400, 200)
    window.show()
    qapp.processEvents()
    found = fit.misfits(window, NETBOOK)
    window.close()
    assert any("Simpan sebagai PDF" in line for line in found)
    assert any("scrolls sideways" in line for line in found)
