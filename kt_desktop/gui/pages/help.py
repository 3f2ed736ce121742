"""Bantuan: a short guide to the daily work, in the language of the UI, with pictures.

The guide is a set of Markdown files, one per topic, in ``resources/help/<lang>/`` (``id``
and ``en``; a topic missing in English falls back to Indonesian). Pictures of the program's
own screens live in ``resources/help/img/``; ``scripts/help_screens.py`` renders them and
``tests/gui/test_help.py`` checks they can still be made, so they never go stale.

The page is a table of contents on the left (a list: Up/Down move between topics, and a
search box, Ctrl+F, that keeps only the topics containing every word typed) and a
:class:`QTextBrowser` that renders the Markdown itself (no converter of ours). Links between
topics are ordinary relative links (``kegiatan.md``); ``action:`` links run something the
page offers (saving the sample member spreadsheet). Pictures are scaled down to the width of
the text, never up, so the guide stays readable on a 1366×768 screen.

:func:`install_help_shortcut` gives a main window the F1 key: it opens this page at the
topic of the page that was showing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QImage,
    QKeySequence,
    QShortcut,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kt_desktop import i18n, paths
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.widgets import list_parts as parts
from kt_desktop.gui.widgets.file_dialogs import ask_save
from kt_desktop.gui.widgets.labels import muted_label
from kt_desktop.gui.widgets.page_header import page_column
from kt_desktop.i18n import _
from kt_desktop.services import samples

#: The sidebar key of this page (gui/pages/__init__.py).
HELP_KEY = "bantuan"
VILLAGE = "village"
RECEIVER = "receiver"
BOTH = "both"
#: ``action:`` link that saves the sample member spreadsheet.
ACTION_SAMPLE = "contoh-anggota"
#: Width of the table of contents at the normal font size (10 pt); it grows with the font.
TOC_WIDTH = 250
TOC_MAX_WIDTH = 360
#: Space around the guide's text, so it does not touch the frame.
DOCUMENT_MARGIN = 14


@dataclass(frozen=True, slots=True)
class Topic:
    """One Markdown file of the guide and where it belongs.

    ``slug`` is the file name without ``.md``; ``audience`` says which kind of data file
    shows it; ``pages`` are the sidebar keys whose F1 opens it.
    """

    slug: str
    audience: str
    pages: tuple[str, ...] = ()


#: The guide in reading order.
TOPICS: tuple[Topic, ...] = (
    Topic("mulai", BOTH, ("beranda",)),
    Topic("anggota", VILLAGE, ("anggota",)),
    Topic("kegiatan", VILLAGE, ("kegiatan",)),
    Topic("pelatihan", VILLAGE, ("pelatihan",)),
    Topic("laporan", VILLAGE, ("laporan",)),
    Topic("kelengkapan", VILLAGE, ("program-kerja", "kelengkapan")),
    Topic("kirim-data", VILLAGE, ("kirim",)),
    Topic("rekap", RECEIVER, ("rekap", "desa", "data", "duplikat", "laporan", "peringkat")),
    Topic("impor-bundle", RECEIVER, ("impor", "konflik")),
    Topic("keandalan", BOTH, ("pengaturan",)),
)


def help_dir(language: str | None = None) -> Path:
    """The guide's folder for ``language`` (default: the UI's)."""
    return paths.resource("help", language or i18n.language())


def topic_file(slug: str, language: str | None = None) -> Path:
    """The Markdown file of ``slug``; Indonesian when the language has none."""
    own = help_dir(language) / f"{slug}.md"
    return own if own.is_file() else help_dir(i18n.DEFAULT_LANGUAGE) / f"{slug}.md"


def topics_for(receiver: bool) -> list[Topic]:
    wanted = RECEIVER if receiver else VILLAGE
    return [topic for topic in TOPICS if topic.audience in (wanted, BOTH)]


def topic_for_page(page_key: str, receiver: bool) -> Topic:
    """The topic F1 opens on the sidebar page ``page_key`` (the first topic if none)."""
    shown = topics_for(receiver)
    for topic in shown:
        if page_key in topic.pages:
            return topic
    return shown[0]


_HEADING = re.compile(r"^#\s+(.+?)\s*$", re.MULTILINE)
_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|[#*_`>|\[\]]")


@cache
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def topic_title(path: Path) -> str:
    """The first ``# heading`` of a topic file (its file name if it has none)."""
    found = _HEADING.search(_read(path))
    return found.group(1) if found else path.stem


def topic_words(path: Path) -> str:
    """The topic's text without Markdown markup, case-folded, for the search box."""
    return _MARKUP.sub(" ", _read(path)).casefold()


def image_references(path: Path) -> list[str]:
    """File names of the pictures a topic shows (``![...](../img/NAME.png)``)."""
    return re.findall(r"!\[[^\]]*\]\((?:\.\./)?img/([^)\s]+)\)", _read(path))


class HelpBrowser(QTextBrowser):
    """A QTextBrowser that fits pictures to the width of the text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)  # the page decides: topic, action or web link
        self.document().setDocumentMargin(DOCUMENT_MARGIN)
        # Text wraps and pictures are fitted: a sideways scroll bar would only ever show
        # a few pixels of nothing.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._fitted_width = 0
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(120)
        self._refit.timeout.connect(self._reload_keeping_place)

    def text_width(self) -> int:
        """The width a picture may take: the viewport less the margins and, whether shown
        yet or not, the vertical scroll bar (a long topic always gets one)."""
        margin = int(self.document().documentMargin())
        bar = self.verticalScrollBar()
        scroll = 0 if bar.isVisible() else bar.sizeHint().width()
        return max(200, self.viewport().width() - scroll - 2 * margin - 2)

    def loadResource(self, kind: int, name: QUrl) -> Any:
        if kind == QTextDocument.ResourceType.ImageResource.value:
            url = self.source().resolved(name) if name.isRelative() else name
            image = QImage(url.toLocalFile())
            if image.isNull():
                return QImage()
            width = self.text_width()
            self._fitted_width = width
            if image.width() > width:
                image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            return image
        return super().loadResource(kind, name)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self._fitted_width and abs(self.text_width() - self._fitted_width) > 8:
            self._refit.start()

    def _reload_keeping_place(self) -> None:
        if not shiboken6.isValid(self) or self.source().isEmpty():
            return
        bar = self.verticalScrollBar()
        share = bar.value() / bar.maximum() if bar.maximum() else 0.0
        self.reload()
        bar.setValue(round(share * bar.maximum()))


class HelpPage(QWidget):
    """The Bantuan page: contents on the left, the topic on the right."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.receiver = ops.session.is_receiver
        self.topics = topics_for(self.receiver)
        #: Hook for tests: how the page asks where to save the sample spreadsheet.
        self.ask_sample_path: Callable[[], Path | None] = self._ask_sample_path

        layout, self.header = page_column(self, _("Help"))

        body = QHBoxLayout()
        body.setSpacing(16)
        left = QVBoxLayout()
        left.setSpacing(6)
        self.search = parts.search_field(_("Search the guide (Ctrl+F)"), 0)
        self.search.setAccessibleName(_("Search the guide"))
        left.addWidget(self.search)
        self.toc = QListWidget()
        self.toc.setAccessibleName(_("Contents of the guide"))
        self.toc.setWordWrap(True)
        self.toc.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.toc.setStyleSheet("QListWidget::item { padding: 6px 4px; }")
        for topic in self.topics:
            item = QListWidgetItem(topic_title(topic_file(topic.slug)))
            item.setData(Qt.ItemDataRole.UserRole, topic.slug)
            self.toc.addItem(item)
        left.addWidget(self.toc, 1)
        self.no_match = muted_label(_("No topic contains these words."))
        self.no_match.hide()
        left.addWidget(self.no_match)
        left.addWidget(muted_label(
            _("F1 opens this guide from any page. Alt+Left goes back.")
        ))
        self.toc_panel = QWidget()
        self.toc_panel.setLayout(left)
        self.toc_panel.setFixedWidth(self._toc_width())
        body.addWidget(self.toc_panel)

        right = QVBoxLayout()
        right.setSpacing(6)
        self.browser = HelpBrowser()
        self.browser.setAccessibleName(_("Guide text"))
        right.addWidget(self.browser, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()
        right.addWidget(self.status)
        body.addLayout(right, 1)
        layout.addLayout(body, 1)

        self._search_keys = parts.SearchKeys(self.search, self._into_topics,
                                             self.open_first_match)
        self.search.textChanged.connect(self.filter_topics)
        self.toc.currentItemChanged.connect(self._topic_chosen)
        self.browser.anchorClicked.connect(self.follow_link)
        self.browser.sourceChanged.connect(self._source_changed)
        self.shortcuts: list[QShortcut] = []
        for keys, slot in (
            (QKeySequence.StandardKey.Find, self.focus_search),
            (QKeySequence("Alt+Left"), self.browser.backward),
            (QKeySequence("Alt+Right"), self.browser.forward),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            self.shortcuts.append(shortcut)
        self.toc.setCurrentRow(0)

    def _toc_width(self) -> int:
        points = QApplication.font().pointSizeF()
        return min(TOC_MAX_WIDTH, round(TOC_WIDTH * max(points, 10.0) / 10.0))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationFontChange and hasattr(self, "toc_panel"):
            # The font-size setting changed: the contents grow with their titles.
            self.toc_panel.setFixedWidth(self._toc_width())
        return super().event(event)

    # -- topics --------------------------------------------------------------------------------
    def shortcuts_hint(self) -> str:
        return _("F1 help · Ctrl+F search · Alt+\u2190 back")

    def current_slug(self) -> str:
        return Path(self.browser.source().path()).stem

    def topic_titles(self) -> list[str]:
        """The titles the contents list shows (hidden ones left out): what a user reads."""
        return [
            self.toc.item(row).text() for row in range(self.toc.count())
            if not self.toc.item(row).isHidden()
        ]

    def show_topic(self, slug: str) -> None:
        """Show the topic ``slug`` and select it in the contents."""
        path = topic_file(slug)
        if not path.is_file():
            return
        if self.current_slug() != slug:
            self.browser.setSource(
                QUrl.fromLocalFile(str(path)), QTextDocument.ResourceType.MarkdownResource
            )
        self._select_in_toc(slug)

    def show_topic_for_page(self, page_key: str) -> None:
        """Show the topic about the sidebar page ``page_key`` (what F1 does)."""
        self.show_topic(topic_for_page(page_key, self.receiver).slug)
        self.toc.setFocus()

    def _select_in_toc(self, slug: str) -> None:
        for row in range(self.toc.count()):
            item = self.toc.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == slug:
                if self.toc.currentRow() != row:
                    self.toc.blockSignals(True)
                    self.toc.setCurrentRow(row)
                    self.toc.blockSignals(False)
                return

    def _topic_chosen(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.show_topic(str(current.data(Qt.ItemDataRole.UserRole)))

    def _source_changed(self, url: QUrl) -> None:
        self._select_in_toc(Path(url.path()).stem)

    def follow_link(self, url: QUrl) -> None:
        """A click (or Enter on a focused link) in the guide."""
        if url.scheme() == "action":
            if url.path() == ACTION_SAMPLE:
                self.save_sample()
            return
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        target = self.browser.source().resolved(url) if url.isRelative() else url
        slug = Path(target.path()).stem
        if any(topic.slug == slug for topic in TOPICS):
            self.show_topic(slug)
            if target.hasFragment():
                self.browser.scrollToAnchor(target.fragment())

    # -- search --------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def filter_topics(self, text: str) -> None:
        """Keep the topics whose text holds every word typed (in any order)."""
        words = text.casefold().split()
        shown = 0
        for row in range(self.toc.count()):
            item = self.toc.item(row)
            slug = str(item.data(Qt.ItemDataRole.UserRole))
            haystack = topic_words(topic_file(slug))
            match = all(word in haystack for word in words)
            item.setHidden(not match)
            shown += match
        self.no_match.setVisible(shown == 0)

    def _into_topics(self) -> bool:
        """Down from the search box goes to the topic list."""
        self.toc.setFocus()
        return True

    def open_first_match(self) -> None:
        """Enter in the search box: open the first topic left and mark the first word."""
        for row in range(self.toc.count()):
            item = self.toc.item(row)
            if not item.isHidden():
                self.show_topic(str(item.data(Qt.ItemDataRole.UserRole)))
                words = self.search.text().split()
                if words:
                    self.browser.moveCursor(QTextCursor.MoveOperation.Start)
                    self.browser.find(words[0])
                self.browser.setFocus()
                return

    # -- the sample spreadsheet ----------------------------------------------------------------
    def _ask_sample_path(self) -> Path | None:
        return ask_save(self, _("Save the sample member spreadsheet"),
                        Path.home() / samples.SAMPLE_MEMBERS, _("Excel workbooks (*.xlsx)"))

    def save_sample(self) -> None:
        """Ask where, then copy the sample member spreadsheet there (on a worker)."""
        target = self.ask_sample_path()
        if target is None:
            return

        def saved(path: Path) -> None:
            if shiboken6.isValid(self):
                self.status.setText(
                    _("Saved: {path}. Open it in Excel, type your members over the examples, "
                      "then import it on the Members page.").format(path=path)
                )
                self.status.show()

        self.ops.query(lambda _session: samples.save_sample_members(target), saved, parent=self)


class _HelpWindow(Protocol):
    """What :func:`install_help_shortcut` needs of the main window."""

    specs: list[Any]

    def current_key(self) -> str: ...
    def show_page(self, index: int) -> None: ...
    def page(self, key: str) -> QWidget | None: ...


def open_help(window: _HelpWindow) -> None:
    """Switch ``window`` to Bantuan at the topic of the page that is showing."""
    keys = [spec.key for spec in window.specs]
    if HELP_KEY not in keys:
        return
    current = window.current_key()
    if current != HELP_KEY:
        window.show_page(keys.index(HELP_KEY))
    page = window.page(HELP_KEY)
    if isinstance(page, HelpPage) and current != HELP_KEY:
        page.show_topic_for_page(current)


def install_help_shortcut(window: Any) -> QShortcut:
    """Give ``window`` (a :class:`~kt_desktop.gui.main_window.MainWindow`) the F1 key.

    Call it once at the end of ``MainWindow.__init__``; the shortcut is the window's child
    and lives as long as it does.
    """
    shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents), window)
    shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
    shortcut.activated.connect(lambda: open_help(window))
    return shortcut
