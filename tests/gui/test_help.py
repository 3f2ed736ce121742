"""Bantuan: the guide, its table of contents, F1, search, the sample link, and its pictures.

The pictures of the guide (``resources/help/img/*.png``) are the program's own screens, made
by ``scripts/help_screens.py``. :func:`test_pictures_can_be_made_and_match_the_committed_ones`
renders every picture the guide references into a temporary folder, as the script does, and
fails when

* a picture can no longer be made (a page or dialog it shows is gone or never finishes
  loading; the script's :class:`ScreenError` names which),
* a fresh picture is blank (a screen that drew nothing), or
* a committed picture has another size than the fresh one: a screen's layout changed, so the
  picture in the guide no longer shows the program. Run
  ``.venv/bin/python scripts/help_screens.py``, look at the new pictures, and commit them.

Pixel contents are not compared: dates and demo data differ from run to run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from PySide6.QtCore import QLocale, Qt, QUrl
from PySide6.QtGui import QFont, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kt_desktop import i18n, paths
from kt_desktop.gui.main_window import MainWindow
from kt_desktop.gui.pages import RECEIVER_PAGES, VILLAGE_PAGES
from kt_desktop.gui.pages.help import (
    HELP_KEY,
    TOPICS,
    HelpPage,
    image_references,
    topic_file,
    topic_title,
)
from kt_desktop.services import samples
from scripts import help_screens
from tests.gui.conftest import OpenWindow

HELP = paths.resource("help")
IMAGES = HELP / "img"
LANGUAGES = ("id", "en")
#: The pictures together stay small: they ship in the program on a flash disk.
MAX_PICTURES_BYTES = 2 * 1024 * 1024


def _referenced() -> set[str]:
    return {
        name
        for language in LANGUAGES
        for topic in TOPICS
        for name in image_references(topic_file(topic.slug, language))
    }


def _open_help(window: MainWindow, qtbot: QtBot) -> HelpPage:
    keys = [spec.key for spec in window.specs]
    window.show_page(keys.index(HELP_KEY))
    page = window.page(HELP_KEY)
    assert isinstance(page, HelpPage)
    qtbot.waitUntil(lambda: not window.ops.busy(), timeout=10_000)
    return page


#: The Indonesian guide's topics, in the order of its contents, per kind of file.
GUIDE_TITLES = {
    "village": [
        "Mulai memakai KT Desktop",
        "Buku Induk Anggota",
        "Mencatat kegiatan dan fotonya",
        "Menjalankan pelatihan",
        "Mencetak laporan bulanan",
        "Program kerja dan kelengkapan buku",
        "Mengirim data ke provinsi",
        "Keandalan: cadangan dan keamanan data",
    ],
    "receiver": [
        "Mulai memakai KT Desktop",
        "Rekap, desa, dan laporan penerima",
        "Mengimpor kiriman desa",
        "Keandalan: cadangan dan keamanan data",
    ],
}


def _guide(qtbot: QtBot, window: MainWindow, kind: str) -> HelpPage:
    """The Bantuan page of ``window``: its contents list exactly the topics of ``kind``."""
    page = _open_help(window, qtbot)
    assert page.topic_titles() == GUIDE_TITLES[kind]
    return page


def _wait_page(qtbot: QtBot, page: HelpPage) -> None:
    qtbot.waitUntil(lambda: not page.ops.busy(), timeout=10_000)


# -- the guide's files ------------------------------------------------------------------------
def test_every_topic_exists_in_both_languages_with_a_title() -> None:
    for language in LANGUAGES:
        for topic in TOPICS:
            path = HELP / language / f"{topic.slug}.md"
            assert path.is_file(), path
            assert topic_title(path) != topic.slug, f"{path} has no '# title' line"


def test_links_and_pictures_of_the_guide_resolve() -> None:
    slugs = {topic.slug for topic in TOPICS}
    for language in LANGUAGES:
        for topic in TOPICS:
            text = topic_file(topic.slug, language).read_text(encoding="utf-8")
            for target in re.findall(r"\]\(([^)\s]+)\)", text):
                if target.startswith("../img/"):
                    assert (IMAGES / target.removeprefix("../img/")).is_file(), target
                elif target.startswith("action:"):
                    assert target == "action:contoh-anggota", target
                else:
                    assert target.removesuffix(".md") in slugs, f"{topic.slug}: {target}"


def test_committed_pictures_are_all_used_makeable_and_small() -> None:
    committed = {path.name for path in IMAGES.glob("*.png")}
    referenced = _referenced()
    assert committed == referenced, "pictures without a topic, or topics without a picture"
    assert {f"{name}.png" for name in help_screens.SHOTS} == referenced
    assert sum(path.stat().st_size for path in IMAGES.glob("*.png")) < MAX_PICTURES_BYTES


# -- the page --------------------------------------------------------------------------------
def test_help_is_the_last_page_of_both_sidebars() -> None:
    for pages in (VILLAGE_PAGES, RECEIVER_PAGES):
        assert pages[-1].key == HELP_KEY
        assert pages[-1].factory == "kt_desktop.gui.pages.help:HelpPage"


def test_village_guide_in_indonesian(
    qtbot: QtBot, village_file: Path, open_window: OpenWindow
) -> None:
    window = open_window(village_file)
    assert window.sidebar.item(window.sidebar.count() - 1).text() == "Bantuan"
    page = _guide(qtbot, window, "village")
    assert page.current_slug() == "mulai"
    assert "Bagian-bagian jendela" in page.browser.toPlainText()

    # Up and Down in the contents move between topics
    page.toc.setFocus()
    qtbot.keyClick(page.toc, Qt.Key.Key_Down)
    assert page.current_slug() == "anggota"
    text = page.browser.toPlainText()
    assert "Menambah anggota" in text and "Impor dari Excel" in text

    # the picture is loaded, and fitted to the text
    image = page.browser.document().resource(
        QTextDocument.ResourceType.ImageResource.value,
        page.browser.source().resolved(QUrl("../img/anggota.png")),
    )
    assert not image.isNull()
    assert 400 < image.width() <= page.browser.text_width()


def test_english_guide_when_the_ui_is_english(
    qtbot: QtBot, village_file: Path, open_window: OpenWindow
) -> None:
    i18n.set_language("en")
    window = open_window(village_file)
    page = _open_help(window, qtbot)
    assert page.topic_titles()[:2] == ["Getting started with KT Desktop", "The member register"]
    assert "Parts of the window" in page.browser.toPlainText()
    assert "Bagian-bagian" not in page.browser.toPlainText()


def test_receiver_guide_has_its_own_topics(
    qtbot: QtBot, receiver_file: Path, open_window: OpenWindow
) -> None:
    _guide(qtbot, open_window(receiver_file), "receiver")


def test_f1_opens_the_topic_of_the_page_that_is_showing(
    qtbot: QtBot, village_file: Path, open_window: OpenWindow
) -> None:
    window = open_window(village_file)  # the main window installs F1 itself
    assert window.help_shortcut.key().toString() == "F1"
    keys = [spec.key for spec in window.specs]
    window.show_page(keys.index("kirim"))
    qtbot.waitUntil(lambda: not window.ops.busy(), timeout=10_000)
    window.sidebar.setFocus()
    qtbot.keyClick(window.sidebar, Qt.Key.Key_F1)
    assert window.current_key() == HELP_KEY
    page = window.page(HELP_KEY)
    assert isinstance(page, HelpPage)
    assert page.current_slug() == "kirim-data"
    assert page.toc.currentItem().text() == "Mengirim data ke provinsi"
    assert page.toc.hasFocus()  # Up/Down go on to other topics at once

    window.show_page(keys.index("beranda"))
    qtbot.keyClick(window.sidebar, Qt.Key.Key_F1)
    assert page.current_slug() == "mulai"


def test_search_keeps_the_topics_that_hold_every_word(
    qtbot: QtBot, village_file: Path, open_window: OpenWindow
) -> None:
    window = open_window(village_file)
    page = _open_help(window, qtbot)
    page.toc.setFocus()
    qtbot.keyClick(page.toc, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "sidik jari")
    assert page.topic_titles() == ["Mengirim data ke provinsi"]
    assert page.no_match.isHidden()
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert page.current_slug() == "kirim-data"
    assert page.browser.textCursor().selectedText().casefold() == "sidik"

    page.search.clear()
    qtbot.keyClicks(page.search, "xylofon")
    assert page.topic_titles() == []
    assert page.no_match.isVisibleTo(page)
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert len(page.topic_titles()) == 8


def test_links_between_topics_and_back(
    qtbot: QtBot, village_file: Path, open_window: OpenWindow
) -> None:
    window = open_window(village_file)
    page = _open_help(window, qtbot)
    page.follow_link(QUrl("kegiatan.md"))
    assert page.current_slug() == "kegiatan"
    assert page.toc.currentItem().text() == "Mencatat kegiatan dan fotonya"
    page.browser.setFocus()
    qtbot.keyClick(page.browser, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert page.current_slug() == "mulai"
    assert page.toc.currentItem().text() == "Mulai memakai KT Desktop"


def test_sample_link_saves_the_sample_spreadsheet(
    qtbot: QtBot, village_file: Path, open_window: OpenWindow, tmp_path: Path
) -> None:
    window = open_window(village_file)
    page = _open_help(window, qtbot)
    page.show_topic("anggota")
    assert "contoh-anggota.xlsx" in page.browser.toPlainText()
    target = tmp_path / "Dokumen" / "contoh-anggota.xlsx"
    target.parent.mkdir()
    page.ask_sample_path = lambda: target
    page.follow_link(QUrl("action:contoh-anggota"))
    _wait_page(qtbot, page)
    assert target.read_bytes() == samples.sample_members_path().read_bytes()
    assert str(target) in page.status.text() and page.status.isVisibleTo(page)

    # cancelling the save dialog does nothing
    page.ask_sample_path = lambda: None
    page.status.clear()
    page.follow_link(QUrl("action:contoh-anggota"))
    _wait_page(qtbot, page)
    assert page.status.text() == ""


def test_help_page_fits_1366x768(
    qtbot: QtBot, village_file: Path, open_window: OpenWindow, tmp_path: Path
) -> None:
    """Nothing scrolls sideways, and the contents show every topic without scrolling."""
    window = open_window(village_file)
    page = _open_help(window, qtbot)
    for topic in page.topics:
        page.show_topic(topic.slug)
        qtbot.wait(10)
        assert page.browser.document().size().width() <= page.browser.viewport().width() + 1
    last = page.toc.visualItemRect(page.toc.item(page.toc.count() - 1))
    assert last.bottom() < page.toc.viewport().height()


# -- the pictures ---------------------------------------------------------------------------------
@pytest.fixture
def restored_look(qapp: QApplication) -> Iterator[None]:
    """The script sets the program's look on the application; give the next tests theirs."""
    style = qapp.style().name()
    palette, font, locale = QPalette(qapp.palette()), QFont(qapp.font()), QLocale()
    yield
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)
    QLocale.setDefault(locale)


def _blank(path: Path) -> bool:
    """A picture of one or two flat colours: the screen drew nothing worth showing."""
    with Image.open(path) as picture:
        grey = picture.convert("L")
        colours = picture.convert("RGB").getcolors(maxcolors=1 << 16)
        return ImageStat.Stat(grey).stddev[0] < 8 or (colours is not None and len(colours) < 16)


def test_pictures_can_be_made_and_match_the_committed_ones(
    qapp: QApplication, tmp_path: Path, restored_look: None
) -> None:
    wanted = sorted(name.removesuffix(".png") for name in _referenced())
    work = tmp_path / "work"
    work.mkdir()
    made = help_screens.render(qapp, tmp_path / "fresh", work, only=wanted)
    assert sorted(made) == wanted
    blank = [name for name, path in made.items() if _blank(path)]
    assert not blank, f"blank pictures: {blank}"
    moved = []
    for name, path in made.items():
        with Image.open(path) as fresh, Image.open(IMAGES / f"{name}.png") as committed:
            if fresh.size != committed.size:
                moved.append(f"{name}.png: {committed.size} committed, {fresh.size} now")
    assert not moved, (
        "screens changed size; run scripts/help_screens.py and look at the guide:\n  "
        + "\n  ".join(moved)
    )
