"""Every page and the main dialogs show their text whole on a 1024x600 netbook with the
largest font Pengaturan offers, and on a 1366x768 laptop at Windows' 150 % scaling (911x512
logical pixels) with the default and with the largest font (issue 16).

One village window and one receiver window (the demo data of ``scripts/help_screens.py``)
walk every page, each tab, each kind of report, the member, activity, training, backup and
e-mail forms and the set-up wizard (``scripts/render_screens.py``'s :func:`walk`). On each,
:func:`kt_desktop.gui.widgets.fit.misfits` must find nothing: no button, label, combo or
column title cut, no page scrolling sideways, no dialog larger than the screen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QPalette, QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTabWidget,
    QWidget,
)

from kt_desktop import i18n, ui_prefs
from kt_desktop.gui.app import prepare_application
from kt_desktop.gui.widgets import fit
from scripts import help_screens, render_screens

NETBOOK = (1024, 600)
#: A program code shown as it is stored (``same_version``, ``not_set_up``) instead of words.
RAW_CODE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
#: A stored record id (``890feb82``), or an arrow as the log writes it (``H->A``).
RAW_ID = re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{8,}\b|->")
#: (screen in logical pixels, font size in points)
SCREENS = [
    pytest.param((NETBOOK, max(ui_prefs.FONT_SIZES)), id="1024x600-largest-font"),
    pytest.param(((911, 512), ui_prefs.DEFAULT_FONT_SIZE), id="1366x768-at-150-percent"),
    # Windows' 150 % and the largest font together: a secretary who reads poorly on a cheap
    # laptop sets both.
    pytest.param(((911, 512), max(ui_prefs.FONT_SIZES)),
                 id="1366x768-at-150-percent-largest-font"),
]


@pytest.fixture
def screen(qapp: QApplication, monkeypatch: pytest.MonkeyPatch,
           request: pytest.FixtureRequest) -> Iterator[tuple[int, int]]:
    """The program's look at the font size asked for, on a screen of the size asked for;
    the application's own look comes back afterwards for the next tests."""
    size, points = request.param
    style = qapp.style().name()
    palette, font = QPalette(qapp.palette()), QFont(qapp.font())
    ui_prefs.save_font_size(points)
    monkeypatch.setattr(fit, "available_size", lambda _widget: QSize(*size))
    prepare_application(qapp, "id")
    yield size
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_every_screen_fits_a_small_screen(
    qapp: QApplication, screen: tuple[int, int], tmp_path: Path
) -> None:
    studio = help_screens.Studio(qapp, tmp_path)
    english = {key: value for key, value in i18n.read_po_catalogs("id").items()
               if isinstance(value, str) and value}
    seen: list[str] = []
    problems: list[str] = []
    record_icons: dict[str, tuple[bool, ...]] = {}
    try:
        for name, widget in render_screens.walk(studio, screen):
            seen.append(name)
            problems += [f"{name}: {line}" for line in fit.misfits(widget, screen)]
            problems += _language_problems(name, widget, english)
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
                 "wizard-1", "penerima-rekap", "penerima-impor", "pengurus", "inventaris",
                 "form-pengurus", "form-inventaris", "nasional-rekap", "nasional-impor"):
        assert any(name.startswith(page) for name in seen), f"{page} was never shown"
    assert not problems, f"text that does not fit at {screen}:\n  " + "\n  ".join(problems)
    # Tambah, Ubah, Hapus look the same on every list page (Pelatihan had a wrench and a
    # warning triangle where Anggota and Kegiatan have no icon).
    assert set(record_icons.values()) == {(True, True, True)}, record_icons


def _shown_texts(root: QWidget) -> list[str]:
    """Every text a secretary reads on ``root``: labels, buttons, combos, tabs, group titles
    and column titles (file paths left out: they are the user's own names)."""
    texts: list[str] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel) and widget.pixmap().isNull():
            texts.append(QTextDocumentFragment.fromHtml(widget.text()).toPlainText()
                         if widget.textFormat() != Qt.TextFormat.PlainText
                         and "<" in widget.text() else widget.text())
        elif isinstance(widget, QAbstractButton):
            texts.append(widget.text().replace("&", ""))
        elif isinstance(widget, QComboBox):
            texts.append(widget.currentText())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title().replace("&", ""))
        elif isinstance(widget, QTabWidget):
            texts += [widget.tabText(i).replace("&", "") for i in range(widget.count())]
        elif isinstance(widget, QHeaderView) and widget.model() is not None:
            model = widget.model()
            texts += [str(model.headerData(i, widget.orientation()) or "")
                      for i in range(widget.count())]
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            # the cells a secretary reads too (the first rows; a list pages on)
            model = widget.model()
            root_index = widget.rootIndex()
            try:
                columns = model.columnCount(root_index)
            except TypeError:  # a list model: one column (its columnCount is private)
                columns = 1
            for row in range(min(model.rowCount(root_index), 30)):
                for column in range(min(columns, 20)):
                    value = model.index(row, column, root_index).data()
                    if isinstance(value, str):
                        texts.append(value)
    return [text for text in texts if text and "/" not in text and "\\" not in text]


def _language_problems(name: str, root: QWidget, english: dict[str, str]) -> list[str]:
    found = []
    for text in _shown_texts(root):
        if english.get(text, text) != text:
            found.append(f"{name}: English {text!r} (Indonesian: {english[text]!r})")
        code = RAW_CODE.search(text) or RAW_ID.search(text)
        if code:
            found.append(f"{name}: raw code {code.group(0)!r} in {text[:60]!r}")
    return found


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
    english = QLabel("Refresh")  # a msgid left untranslated
    code = QLabel("Alasan: same_version")
    row.addWidget(english)
    row.addWidget(code)
    window.resize(400, 200)
    qapp.processEvents()
    found = fit.misfits(window, NETBOOK)
    words = _language_problems("test", window, {
        key: value for key, value in i18n.read_po_catalogs("id").items() if isinstance(value, str)
    })
    window.close()
    assert any("Simpan sebagai PDF" in line for line in found)
    assert any("scrolls sideways" in line for line in found)
    assert any("English 'Refresh'" in line for line in words)
    assert any("raw code 'same_version'" in line for line in words)
