"""The main window: a sidebar of pages, the page itself, and a status bar about the file.

Pages come from :mod:`kt_desktop.gui.pages` (``VILLAGE_PAGES`` or ``RECEIVER_PAGES`` by the
kind of file) and are built the first time they are shown, so start-up pays for Beranda
alone. A page without a factory (its issue has not landed) says so plainly instead of
pretending. Closing the window waits for running work, closes the file and releases the
lock that keeps a second copy of the program off it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QSize, QTimer
from PySide6.QtGui import QCloseEvent, QFontMetrics
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain.formats import date_time
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages import NATIONAL_PAGES, RECEIVER_PAGES, VILLAGE_PAGES, PageSpec
from kt_desktop.gui.widgets import icons, style
from kt_desktop.gui.widgets.flow import flush
from kt_desktop.gui.widgets.labels import ElidedLabel, muted_label, title_label
from kt_desktop.gui.widgets.qt_names import set_named
from kt_desktop.i18n import _
from kt_desktop.services.session import Session
from kt_desktop.store.lock import DataFileLock

if TYPE_CHECKING:
    from PySide6.QtGui import QShortcut

    from kt_desktop.domain.profile import Profile
    from kt_desktop.services.dashboard import FileStatus

log = logging.getLogger(__name__)

#: Ctrl+1 … Ctrl+8 switch to the first eight pages.
MAX_SHORTCUTS = 8
#: The sidebar's icons, pixels square.
SIDEBAR_ICON = 20
#: With ``reads_after_paint``, a window that is shown but never painted (a platform that
#: does not expose it) still reads its file after this many milliseconds.
PAINT_WAIT_MS = 2000


class PlaceholderPage(QWidget):
    """What a sidebar entry shows until its feature lands in a later version."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.addWidget(title_label(title))
        self.message = muted_label(_("This page is not available in this version yet."))
        layout.addWidget(self.message)
        layout.addStretch(1)


def _load_factory(target: str) -> Callable[[Ops, QWidget], QWidget]:
    module_name, class_name = target.split(":")
    return getattr(importlib.import_module(module_name), class_name)


def _load_profile(session: Session) -> Profile:
    """The profile, for the title (its modules load on the worker, after the first paint)."""
    from kt_desktop.services import profile as profile_service

    return profile_service.load_profile(session)


def _file_status(session: Session) -> FileStatus:
    """The status bar's figures (the dashboard's module loads on the worker, after the first
    paint)."""
    from kt_desktop.services import dashboard

    return dashboard.file_status(session)


def _when(value: dt.datetime | None) -> str:
    if value is None:
        return _("none yet")
    return date_time(value)


class MainWindow(QMainWindow):
    """One per open data file; owns the file's :class:`Ops` and (if given) its lock."""

    def __init__(
        self, session: Session, *, lock: DataFileLock | None = None,
        parent: QWidget | None = None, reads_after_paint: bool = False,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.lock = lock
        self.ops = Ops(session, self)
        #: Work that waits for the first paint (``reads_after_paint``); None once painted.
        self._after_paint: list[Callable[[], None]] | None = None
        if reads_after_paint:
            # The program's start (issue 16): the window paints before Beranda and the status
            # bar read the file, so the first thing a secretary sees comes as early as Qt can.
            self._after_paint = [self.ops.release_reads]
            self.ops.hold_reads()
        self._closed = False
        #: Tests turn this off; the program backs up at close and hourly checks if one is due.
        self.auto_backup = True
        #: Set when the background check of a large file found it damaged (app start then
        #: shows the recovery screen after the window closed).
        self.damaged: object | None = None
        self._backup_timer = QTimer(self)
        self._backup_timer.setInterval(60 * 60 * 1000)
        self._backup_timer.timeout.connect(self._backup_now_and_then)
        self._backup_timer.start()
        self.specs: list[PageSpec] = list(
            (NATIONAL_PAGES if session.code == "00" else RECEIVER_PAGES)
            if session.is_receiver else VILLAGE_PAGES)
        self.pages: dict[str, QWidget] = {}
        self.setWindowTitle("KT Desktop")
        self.resize(1280, 720)
        # Small enough for a 1366x768 screen at Windows' 150 % (911x512 logical pixels).
        self.setMinimumSize(760, 480)

        central = QWidget()
        row = flush(QHBoxLayout(central), spacing=0)
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setIconSize(QSize(SIDEBAR_ICON, SIDEBAR_ICON))
        set_named(self.sidebar, "focusPolicy", "StrongFocus")
        set_named(self.sidebar, "horizontalScrollBarPolicy", "ScrollBarAlwaysOff")
        self.sidebar.setStyleSheet(
            f"QListWidget#sidebar {{ background: {style.SIDEBAR}; border: none;"
            f" border-right: 1px solid {style.BORDER}; padding-top: 8px; outline: 0; }}"
            " QListWidget#sidebar::item { padding: 9px 12px; margin: 1px 6px; border-radius: 6px; }"
            f" QListWidget#sidebar::item:selected {{ background: {style.ACCENT}; color: #ffffff; }}"
            " QListWidget#sidebar::item:hover:!selected { background: #d5dde5; }"
            # Focused, the chosen page wears a dark frame: the keyboard's place is seen.
            f" QListWidget#sidebar::item:selected:focus {{ border: 2px solid {style.TEXT}; }}"
        )
        self.sidebar.setAccessibleName(_("Pages"))
        # The pages' icons come once the window has painted (QtSvg and 18 renders are not
        # needed for the first paint, issue 16); blank ones hold their place meanwhile.
        placeholder = icons.blank(SIDEBAR_ICON)
        for number, spec in enumerate(self.specs, start=1):
            item = QListWidgetItem(placeholder, _(spec.title))
            if number <= MAX_SHORTCUTS:
                item.setToolTip(
                    _("{page} (Ctrl+{number})").format(page=_(spec.title), number=number)
                )
            self.sidebar.addItem(item)
        self.sidebar.setFixedWidth(self._sidebar_width())
        self.after_first_paint(self._show_sidebar_icons)
        row.addWidget(self.sidebar)
        self.stack = QStackedWidget()
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        # A long path is cut in its middle (the file name stays), never the backup and
        # bundle times beside it on a 1024 px screen.
        self.status_file = ElidedLabel(middle=True)
        set_named(self.status_file, "textInteractionFlags", "TextSelectableByMouse")
        self.status_backup = QLabel()
        self.status_bundle = QLabel()
        for label in (self.status_file, self.status_backup, self.status_bundle):
            label.setContentsMargins(6, 0, 6, 0)
        self.statusBar().addWidget(self.status_file, 1)
        self.statusBar().addPermanentWidget(self.status_backup)
        self.statusBar().addPermanentWidget(self.status_bundle)
        self._show_file_status(None)

        #: Ctrl+1 … Ctrl+8 and F1, made once the window has painted (the help page's module
        #: and Qt's key classes load then).
        self.shortcuts: list[QShortcut] = []
        self.help_shortcut: QShortcut | None = None
        self.after_first_paint(self._install_shortcuts)
        for number, spec in enumerate(self.specs):
            if spec.key == "bantuan":
                self.sidebar.item(number).setToolTip(_("{page} (F1)").format(page=_(spec.title)))

        self.sidebar.currentRowChanged.connect(self._row_changed)
        self.sidebar.setCurrentRow(0)
        self.refresh_title()
        self.refresh_status()

    def event(self, event: QEvent) -> bool:
        if getattr(self, "_after_paint", None) is not None:
            if event.type() == QEvent.Type.Show:
                QTimer.singleShot(PAINT_WAIT_MS, self._painted)
            elif event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, self._painted)  # once this paint pass is over
        if event.type() == QEvent.Type.ApplicationFontChange and hasattr(self, "sidebar"):
            # The font-size setting changed: the sidebar grows with its labels.
            self.sidebar.setFixedWidth(self._sidebar_width())
        return super().event(event)

    def after_first_paint(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the window has painted (at once if it has, or was not made
        with ``reads_after_paint``)."""
        if self._after_paint is None:
            callback()
        else:
            self._after_paint.append(callback)

    def _install_shortcuts(self) -> None:
        from PySide6.QtGui import QKeySequence, QShortcut

        from kt_desktop.gui.pages.help import install_help_shortcut

        if self._closed:
            return
        for index in range(min(len(self.specs), MAX_SHORTCUTS)):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{index + 1}"), self)
            shortcut.activated.connect(lambda index=index: self.show_page(index))
            self.shortcuts.append(shortcut)
        self.help_shortcut = install_help_shortcut(self)

    def _show_sidebar_icons(self) -> None:
        if self._closed:
            return
        for number, spec in enumerate(self.specs):
            self.sidebar.item(number).setIcon(icons.icon(spec.icon))

    def _painted(self) -> None:
        waiting, self._after_paint = self._after_paint, None
        if self._closed:
            return
        for callback in waiting or []:
            callback()

    # -- pages ---------------------------------------------------------------------------
    def _sidebar_width(self) -> int:
        metrics = QFontMetrics(QApplication.font())  # the sidebar may not have it yet
        widest = max(
            metrics.horizontalAdvance(self.sidebar.item(i).text())
            for i in range(self.sidebar.count())
        )
        return max(180, widest + SIDEBAR_ICON + 70)

    def show_page(self, index: int) -> None:
        if 0 <= index < len(self.specs):
            self.sidebar.setCurrentRow(index)

    def open_document(self, path: Path) -> bool:
        """A receipt or notice (``.ktr``) opened with KT Desktop: Kirim Data imports it.
        False in a file without that page (a receiver's)."""
        keys = [spec.key for spec in self.specs]
        if "kirim" not in keys:
            return False
        self.show_page(keys.index("kirim"))
        page = self.page("kirim")
        opener = getattr(page, "open_document", None)
        if opener is None:
            return False
        opener(Path(path))
        return True

    def current_key(self) -> str:
        return self.specs[self.sidebar.currentRow()].key

    def open_at(self, key: str, target: str = "") -> QWidget | None:
        """Show the page ``key`` and, with ``target``, ask it to open that record or place
        (``open_target``: the links of Kelengkapan and Beranda's cards)."""
        keys = [spec.key for spec in self.specs]
        if key not in keys:
            return None
        self.show_page(keys.index(key))
        page = self.page(key)
        opener = getattr(page, "open_target", None)
        if target and opener is not None:
            opener(target)
        return page

    def page(self, key: str) -> QWidget | None:
        """The page for ``key`` if it was built already."""
        return self.pages.get(key)

    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        spec = self.specs[row]
        page = self.pages.get(spec.key)
        if page is None:
            page = self._build_page(spec)
            self.pages[spec.key] = page
            self.stack.addWidget(page)
        else:
            refresh = getattr(page, "refresh", None)
            if callable(refresh):
                refresh()
            self.refresh_status()  # a page may have made a backup or a bundle meanwhile
        self.stack.setCurrentWidget(page)
        if not self.sidebar.hasFocus():
            # Ctrl+1…8 or F1: the focus goes to the page's first control, never to the
            # invisible page around it (arrowing through the sidebar keeps it there); for
            # the first page, once the window has painted.
            self.after_first_paint(lambda: self._focus_first_control(page))

    def _focus_first_control(self, page: QWidget) -> None:
        from kt_desktop.gui.widgets import keyboard

        if shiboken6.isValid(page):
            keyboard.focus_first_control(page)

    def _build_page(self, spec: PageSpec) -> QWidget:
        if spec.factory is None:
            return PlaceholderPage(_(spec.title))
        factory = _load_factory(spec.factory)
        page = factory(self.ops, self.stack)
        changed = getattr(page, "profile_saved", None)
        if changed is not None:
            changed.connect(self._profile_saved)
        return page

    def _profile_saved(self) -> None:
        self.refresh_title()
        home = self.pages.get(self.specs[0].key)
        refresh = getattr(home, "refresh", None)
        if callable(refresh):
            refresh()

    # -- title and status bar ----------------------------------------------------------------
    def refresh_title(self) -> None:
        self.ops.query(_load_profile, self._alive(self._show_title), parent=self)

    def _show_title(self, profile: Profile) -> None:
        name = profile.name.strip()
        self.setWindowTitle(f"KT Desktop — {name}" if name else "KT Desktop")

    def refresh_status(self) -> None:
        self.ops.query(_file_status, self._alive(self._show_file_status))

    def _show_file_status(self, status: FileStatus | None) -> None:
        self.status_file.set_full_text(
            _("Data file: {path}").format(path=status.path if status else self.session.path)
        )
        backup = status.last_backup if status else None
        bundle = status.last_bundle if status else None
        self.status_backup.setText(_("Last backup: {when}").format(when=_when(backup)))
        label = _("Last import: {when}") if self.session.is_receiver else _("Last bundle: {when}")
        self.status_bundle.setText(label.format(when=_when(bundle)))

    def _alive(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        """Drop a result that arrives after the window was closed (its widgets are gone)."""

        def deliver(result: Any) -> None:
            if not self._closed and shiboken6.isValid(self):
                callback(result)

        return deliver

    # -- demo data after set-up ----------------------------------------------------------------
    def check_file_in_background(self) -> None:
        """A large file's page-by-page check, queued first on the writer thread.

        Reads go on meanwhile; every write waits behind the check, so a damaged file is never
        written. A failed check closes the window without a backup, and app start shows the
        recovery screen.
        """
        from kt_desktop.services import backups

        path = self.session.path

        def checked(check: backups.OpenCheck) -> None:
            if check.ok or self._closed:
                return
            self.damaged = check
            self.auto_backup = False
            self.close()

        self.ops.write(lambda _session: backups.check_on_open(path, deep=True), checked)

    def refresh_all(self) -> None:
        """Every page built so far shows the file as it is now (after demo data, a restore)."""
        for page in self.pages.values():
            refresh = getattr(page, "refresh", None)
            if callable(refresh):
                refresh()
        self.refresh_status()

    def fill_demo(self) -> None:
        """Add demo data on the writer thread with a progress dialog, then show it."""
        from kt_desktop.services import demo

        home = self.pages.get(self.specs[0].key)
        show_progress = getattr(home, "show_progress", None)
        title = _("Filling the file with demo data…")

        def done(_added: object) -> None:
            if self._closed or not shiboken6.isValid(self):
                return
            if callable(show_progress) and shiboken6.isValid(home):
                show_progress(None)
            self.refresh_all()

        def moved(done: int, total: int, _text: str) -> None:
            if callable(show_progress) and shiboken6.isValid(home):
                show_progress(f"{title} {done * 100 // total} %" if total else title)

        dialog = self.ops.long_task(
            lambda session, progress: demo.fill(session, progress=progress),
            title, done, parent=self, on_progress=moved,
        )
        if callable(show_progress):
            # Beranda says how far it got too (the dialog shows only after 300 ms), and
            # goes back to its counts however the work ends.
            show_progress(title)
            dialog.destroyed.connect(
                lambda: show_progress(None) if shiboken6.isValid(home) else None)

    # -- closing ---------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.shut_down()
        super().closeEvent(event)

    def shut_down(self) -> None:
        """Wait for running work, close the file, release the lock (once)."""
        if self._closed:
            return
        self._closed = True
        if not self.ops.wait_idle():
            log.warning("background work still running at close")
        self._backup_timer.stop()
        self.session.close()
        self._backup_on_close()
        if self.lock is not None:
            self.lock.release()

    def _backup_on_close(self) -> None:
        """The automatic backup when the program closes (issue 8); never blocks closing."""
        if not self.auto_backup:
            return
        from kt_desktop.services import backups

        try:
            backups.auto_backup(self.session.path, on_close=True)
        except Exception:
            log.exception("automatic backup at close failed")

    def _backup_now_and_then(self) -> None:
        """At most daily while the program stays open; the service decides whether it is due."""
        if self._closed or not self.auto_backup:
            return
        from kt_desktop.services import backups

        path = self.session.path
        self.ops.write(
            lambda _session: backups.auto_backup(path),
            lambda _info: self.refresh_status(),
            on_failed=lambda exc: log.warning("automatic backup failed: %s", exc),
        )
