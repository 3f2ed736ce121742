"""One look on every screen (issue 16): every sidebar page opens with the one page header
(``gui/widgets/page_header.py``) at the same margins, and form labels are written one way,
without a colon ("Nama", as the book forms write them), on every page and dialog.

One walk does both: the small-screen walk (``scripts/render_screens.py``'s :func:`walk`:
every page of the village, receiver and national sidebars, each tab, the main dialogs, every
book's form, the wizard) and the dialogs the keyboard walk adds (PIN, printing, member import,
the training tabs' forms).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QSize
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollBar,
    QVBoxLayout,
    QWidget,
)

from kt_desktop import i18n
from kt_desktop.gui.app import prepare_application
from kt_desktop.gui.main_window import MainWindow
from kt_desktop.gui.pages import NATIONAL_PAGES, RECEIVER_PAGES, VILLAGE_PAGES
from kt_desktop.gui.widgets import fit
from kt_desktop.gui.widgets.page_header import PAGE_MARGINS, PAGE_SPACING, PageHeader
from scripts import help_screens, render_screens
from tests.gui.test_keyboard import _more_dialogs

SCREEN = (1366, 768)
#: the prefix the walk gives each window's page names
WINDOWS = {"": VILLAGE_PAGES, "penerima-": RECEIVER_PAGES, "nasional-": NATIONAL_PAGES}


def _top(widget: QWidget, page: QWidget) -> int:
    return widget.mapTo(page, QPoint(0, 0)).y()


def header_problems(page: QWidget, english: dict[str, str]) -> list[str]:
    """What is wrong with ``page``'s head: not exactly one :class:`PageHeader`, other
    margins, no Indonesian title, or something shown above the title."""
    headers = page.findChildren(PageHeader)
    if len(headers) != 1:
        return [f"{len(headers)} page headers instead of one"]
    header = headers[0]
    problems = []
    holder = header.parentWidget()
    layout = holder.layout() if holder is not None else None
    if not isinstance(layout, QVBoxLayout) or layout.indexOf(header) != 0:
        problems.append("the header is not the first thing of the page's column")
    else:
        margins = layout.contentsMargins()
        found = (margins.left(), margins.top(), margins.right(), margins.bottom())
        if found != PAGE_MARGINS or layout.spacing() != PAGE_SPACING:
            problems.append(f"margins {found}, spacing {layout.spacing()}: every page has "
                            f"{PAGE_MARGINS}, {PAGE_SPACING}")
    title = header.title.text().strip()
    if not title or english.get(title, title) != title:
        problems.append(f"title {title!r} is empty or English")
    if not header.title.isVisible():
        problems.append("the title is hidden")
    title_top = _top(header.title, page)
    for widget in page.findChildren(QWidget):
        if (not widget.isVisible() or widget is header or header.isAncestorOf(widget)
                or widget.isAncestorOf(header) or isinstance(widget, QScrollBar)
                or widget.objectName().startswith("qt_scrollarea")):
            continue
        if _top(widget, page) < title_top:
            problems.append(f"{type(widget).__name__} {widget.objectName()!r} stands above "
                            "the title")
            break
    return problems


def colon_labels(root: QWidget) -> list[str]:
    """The form labels of ``root`` that end in a colon: a QFormLayout row's label, or a label
    naming the field after it (its buddy: grid and row labels)."""
    found = []
    labels = set()
    for form in root.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if item is not None and isinstance(item.widget(), QLabel):
                labels.add(item.widget())
    labels |= {label for label in root.findChildren(QLabel) if label.buddy() is not None}
    for label in labels:
        text = label.text().replace("&", "").strip()
        if text.endswith(":"):
            found.append(f"label {text!r}")
    return sorted(found)


@pytest.fixture(scope="module")
def walked(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[list[str], list[str], list[str]]]:
    """One walk: (names seen, header problems, labels with a colon)."""
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(fit, "available_size", lambda _widget: QSize(*SCREEN))
    prepare_application(qapp, "id")
    english = {key: value for key, value in i18n.read_po_catalogs("id").items()
               if isinstance(value, str) and value}
    studio = help_screens.Studio(qapp, tmp_path_factory.mktemp("look"))
    seen: list[str] = []
    headers: list[str] = []
    colons: list[str] = []
    pages = {prefix + spec.key for prefix, specs in WINDOWS.items() for spec in specs}
    try:
        for name, widget in render_screens.walk(studio, SCREEN):
            colons += [f"{name}: {line}" for line in colon_labels(widget)]
            name = "laporan" if name == "laporan-1" else name  # with its first kind of report
            seen.append(name)
            if name in pages and isinstance(widget, MainWindow):
                key = name.removeprefix("penerima-").removeprefix("nasional-")
                headers += [f"{name}: {line}"
                            for line in header_problems(widget.page(key), english)]
        for name, dialog in _more_dialogs(studio):
            seen.append(name)
            colons += [f"{name}: {line}" for line in colon_labels(dialog)]
            render_screens.close_dialogs(studio)
    finally:
        render_screens.close_dialogs(studio)
        studio.close()
        monkeypatch.undo()
    yield seen, headers, colons


def test_every_page_opens_with_the_one_header(walked: tuple[list[str], list[str], list[str]]
                                              ) -> None:
    seen, headers, _colons = walked
    for prefix, specs in WINDOWS.items():
        for spec in specs:
            assert prefix + spec.key in seen, f"page {prefix + spec.key} was never shown"
    assert not headers, "pages without the one header:\n  " + "\n  ".join(headers)


def test_form_labels_have_no_colon(walked: tuple[list[str], list[str], list[str]]) -> None:
    seen, _headers, colons = walked
    for name in ("form-anggota", "form-kegiatan", "pengaturan", "penerima-laporan", "pin",
                 "wizard-3", "form-tamu"):
        assert any(shown.startswith(name) for shown in seen), f"{name} was never shown"
    assert not colons, "form labels with a colon:\n  " + "\n  ".join(colons)


def test_the_checks_see_a_colon_and_a_page_without_the_header(
        qapp: QApplication, qtbot: object) -> None:
    """The checks fail where a secretary would see the old look (they cannot pass blindly)."""
    from kt_desktop.gui.widgets.labels import title_label

    page = QWidget()
    column = QVBoxLayout(page)
    column.addWidget(title_label("Anggota"))
    form = QFormLayout()
    form.addRow("&Nama:", QLabel("x"))
    column.addLayout(form)
    page.resize(400, 300)
    page.show()
    qapp.processEvents()
    assert colon_labels(page) == ["label 'Nama:'"]
    assert header_problems(page, {}) == ["0 page headers instead of one"]
    page.close()


def test_a_label_without_colon_shows_its_last_letter_whole(qapp: QApplication) -> None:
    """"&Telepon": the underlined T splits the kerning pair "Te", so Qt draws the word wider
    than it measured it; with the colon gone its "n" was cut. The label keeps room for it."""
    prepare_application(qapp, "id")
    window = QWidget()
    form = QFormLayout(window)
    form.addRow("&Telepon", QLineEdit())
    window.show()
    qapp.processEvents()
    label = form.itemAt(0, QFormLayout.ItemRole.LabelRole).widget()
    assert isinstance(label, QLabel)
    image = label.grab().toImage()
    inked = [x for x in range(image.width()) for y in range(image.height())
             if image.pixelColor(x, y).lightness() < 140]
    window.close()
    assert inked and max(inked) < image.width() - 1, "the last letter touches the label's edge"
