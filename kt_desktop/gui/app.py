"""Starting the GUI: the application, the lock on the data file, the wizard, the main window.

``run(path)`` is what ``kt-desktop`` (no subcommand) calls. Every way it can fail before
the window stands — another copy holds the file, the file is not a KT Desktop file, is
read-only or newer than this program — ends in a message box that says what to do and
exit code 1, never a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QWidget

from kt_desktop import __version__, i18n, ui_prefs
from kt_desktop.domain.errors import DataFileError, KtError, reason_text
from kt_desktop.gui.main_window import MainWindow
from kt_desktop.gui.widgets import icons
from kt_desktop.gui.widgets.style import (
    apply_font_size,
    apply_theme,
    fusion_application,
    use_focus_style,
)
from kt_desktop.i18n import _
from kt_desktop.services.session import Session, open_session
from kt_desktop.store.lock import DataFileLock

#: Qt's own translations (standard dialogs); kept referenced, or they silently stop working.
_translators: list[QTranslator] = []


def _ensure_display() -> None:
    """On a Linux machine without a display, run offscreen rather than abort in Qt."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    print(
        _("No display found: KT Desktop runs offscreen (its window is not visible)."),
        file=sys.stderr,
    )


def _install_qt_translation(app: QApplication, language: str) -> None:
    """Qt's qtbase catalog for ``language`` if this PySide6 ships one, else (Indonesian)
    ours from ``resources/locale/<lang>/qt/`` (:mod:`kt_desktop.gui.qt_translation`)."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if translator.load(f"qtbase_{language}", folder):
        app.installTranslator(translator)
        _translators.append(translator)
        return
    from kt_desktop.gui.qt_translation import CatalogTranslator, has_qt_catalog

    if has_qt_catalog(language):
        ours = CatalogTranslator(language, app)
        app.installTranslator(ours)
        _translators.append(ours)


def _remove_qt_translation(app: QApplication) -> None:
    """Back to Qt's English (a test or the screenshot script switched the language)."""
    while _translators:
        app.removeTranslator(_translators.pop())


def prepare_application(
    app: QApplication, language: str | None = None, *, hooks: bool = True,
    fusion: bool = False,
) -> None:
    """Name, icon, look, font size and language: everything a window expects of the app.

    Tests and the screenshot script call this too, so what they see is what users see.
    ``hooks=False`` leaves out :func:`install_hooks` (the hooks and the icon: the program's
    start installs them once its first window has painted). ``fusion``: ``app`` was made in
    Fusion (:func:`~kt_desktop.gui.widgets.style.fusion_application`).
    """
    language = language or i18n.saved_language()
    i18n.set_language(language)
    QLocale.setDefault(
        QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia)
        if language == "id"
        else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    )
    app.setApplicationName("KT Desktop")
    app.setApplicationDisplayName("KT Desktop")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Karang Taruna")
    apply_theme(app, focus_style=hooks, fusion=fusion)
    apply_font_size(app, ui_prefs.font_size())
    if language == "en":
        _remove_qt_translation(app)
    elif not _translators:
        _install_qt_translation(app, language)
    if hooks:
        install_hooks(app)


def install_hooks(app: QApplication) -> None:
    """The application's Python hooks: the keyboard policy (an event filter that every
    object's events pass through) and the focus style (Python in every frame Qt draws);
    and the program's icon, which every window without its own wears (drawn through QtSvg,
    which the first paint does without).

    The program's start installs them after its main window's first paint, or before a
    dialog that comes first (issue 16): through a Python event filter, the first object of
    a class PySide does not wrap (the gesture manager every scroll area makes) made PySide
    build all of Qt's classes and enums, ~45 ms before the window showed.
    """
    from kt_desktop.gui.widgets import keyboard

    app.setWindowIcon(icons.app_icon())
    use_focus_style(app)
    keyboard.install(app)


def _install_excepthook() -> None:
    """:func:`errors.install_excepthook` at the first uncaught exception: the error
    dialog's module is not needed to paint the window (issue 16)."""

    def first(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        from kt_desktop.gui import errors

        errors.install_excepthook()
        sys.excepthook(kind, exc, tb)

    sys.excepthook = first


def _dialog_ahead() -> None:
    """A dialog comes before the main window (a refusal, the wizard, the PIN): the
    application's hooks now, not after a paint that has not happened."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        install_hooks(app)


def refuse(parent: QWidget | None, message: str) -> None:
    """A start-up refusal as a message box (the program then exits with code 1)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("KT Desktop cannot open the data file"))
    box.setText(message)
    box.addButton(_("Close"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def refuse_start(message: str) -> int:
    """A refusal before any window stands (a folder of the program is a file): the message
    on stderr and in a box; exit code 1."""
    print(message, file=sys.stderr)
    _ensure_display()
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    refuse(None, message)
    return 1


def open_main_window(
    path: Path, *, lock: DataFileLock | None = None, fill_demo: bool = False,
    reads_after_paint: bool = False, session: Session | None = None,
) -> MainWindow:
    """Open a set-up data file in a main window (raises :class:`DataFileError`);
    ``reads_after_paint``: the program's start, see :class:`MainWindow`; ``session``: the
    file opened already (by :func:`_open_if_set_up`)."""
    session = session or open_session(path)
    if session.is_new:
        session.close()
        raise DataFileError(_("{path} is not set up yet.").format(path=path), code="not_set_up")
    window = MainWindow(session, lock=lock, reads_after_paint=reads_after_paint)
    if fill_demo:
        window.fill_demo()
    return window


def _open_if_set_up(path: Path) -> Session | None:
    """The file opened, or None when the wizard must run: no file yet, or a file that was
    never set up (opened once: the window goes on with this session)."""
    if not path.exists():
        return None
    session: Session = _open_updating(path)
    if session.is_new:
        session.close()
        return None
    return session


def _open_updating(path: Path) -> Session:
    """:func:`open_session`; a large file that needs a schema update first
    (:func:`~kt_desktop.services.session.update_notice_due`) shows a notice with a moving
    bar while the update runs on a thread of its own, instead of nothing at all for a
    minute. There is no Cancel: the update runs in one transaction after its copy, and the
    program cannot open the file without it."""
    from kt_desktop.services.session import update_notice, update_notice_due

    if not update_notice_due(path):
        return open_session(path)
    import threading

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QLabel, QProgressDialog, QStyle

    _dialog_ahead()
    notice = QProgressDialog("", "", 0, 0)
    label = QLabel(update_notice(path))
    label.setWordWrap(True)
    notice.setLabel(label)
    notice.setWindowTitle(_("Updating the data file"))
    notice.setCancelButton(None)  # type: ignore[arg-type]
    notice.setMinimumDuration(0)
    width = label.fontMetrics().averageCharWidth() * 60  # some 60 letters a line
    notice.setFixedWidth(width)
    # QProgressDialog gives its label the height its unwrapped text asks for: as tall as
    # the text wraps at this width instead (a large font makes five lines of it).
    margin = min(width // 10, notice.style().pixelMetric(QStyle.PixelMetric.PM_LayoutLeftMargin))
    wrapped = label.heightForWidth(width - 2 * margin)
    notice.setFixedHeight(notice.sizeHint().height() - label.sizeHint().height() + wrapped)
    notice.show()
    outcome: list[Session | BaseException] = []

    def update() -> None:
        try:
            outcome.append(open_session(path))
        except BaseException as exc:  # raised again on the GUI thread below
            outcome.append(exc)

    worker = threading.Thread(target=update, name="kt-update-schema", daemon=True)
    worker.start()
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: None if worker.is_alive() else loop.quit())
    timer.start(100)
    loop.exec()
    timer.stop()
    notice.close()
    notice.deleteLater()
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result


class _Stop(Exception):
    """The open check ended start-up (a damaged file not restored)."""


def _checked_data_file(path: Path, lock: DataFileLock) -> tuple[Path, DataFileLock, bool]:
    """Check an existing data file before anything opens it for writing (issue 8).

    A damaged file goes to the recovery screen (which never writes to it); a file on a
    removable drive or a network share is offered a move to this laptop. Returns the path
    to open, the lock that holds it, and whether the page-by-page check is still to run (a
    large file: the window runs it first on its writer thread).
    """
    if not path.exists():
        return path, lock, False
    from kt_desktop.services import backups

    check = backups.check_on_open(path)
    if not check.ok:
        from kt_desktop.gui.recovery import recover  # only a damaged file needs the screen

        _dialog_ahead()
        if not recover(None, path, check):
            raise _Stop()
        check = backups.check_on_open(path)
    if not check.location.is_local:
        from kt_desktop.gui.recovery import offer_move_to_local

        _dialog_ahead()
        moved = offer_move_to_local(None, path, check.location)
        if moved is not None and moved != path:
            lock.release()
            lock = DataFileLock(moved)
            lock.acquire()
            return moved, lock, not check.deep
    return path, lock, not check.deep


def run(data_path: Path, open_file: Path | None = None) -> int:
    """The GUI's entry point; returns the process exit code. ``open_file``: a receipt or
    notice (``.ktr``) the program was opened with, imported on Kirim Data once it shows."""
    i18n.set_language(i18n.saved_language())  # the no-display line is in it already
    _ensure_display()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else fusion_application(
        sys.argv[0] if sys.argv else "kt-desktop")
    # the hooks after the first paint, or before a dialog
    prepare_application(app, hooks=False, fusion=app is not existing)
    _install_excepthook()
    data_path = Path(data_path).expanduser()

    lock = DataFileLock(data_path)
    try:
        lock.acquire()
    except DataFileError as exc:
        _dialog_ahead()
        refuse(None, exc.message)
        return 1
    except OSError as exc:
        _dialog_ahead()
        refuse(
            None,
            _("The folder of data file {path} cannot be used: {reason}").format(
                path=data_path, reason=reason_text(exc)
            ),
        )
        return 1

    try:
        data_path, lock, check_later = _checked_data_file(data_path, lock)
    except _Stop:
        lock.release()
        return 1

    try:
        fill_demo = False
        session = _open_if_set_up(data_path)
        if session is None:
            from kt_desktop.gui.wizard import SetupWizard

            _dialog_ahead()
            wizard = SetupWizard(data_path)
            wizard.exec()
            outcome = wizard.outcome
            wizard.deleteLater()
            if outcome is None:  # cancelled: nothing was made
                lock.release()
                return 0
            fill_demo = outcome.fill_demo
        window = open_main_window(data_path, lock=lock, fill_demo=fill_demo,
                                  reads_after_paint=True, session=session)
    except DataFileError as exc:
        lock.release()
        _dialog_ahead()
        if exc.code == "damaged" and data_path.exists():
            from kt_desktop.gui.recovery import recover

            if recover(None, data_path, exc):
                return run(data_path)
            return 1
        refuse(None, exc.message)
        return 1
    except KtError as exc:
        lock.release()
        _dialog_ahead()
        refuse(None, exc.message)
        return 1
    except Exception as exc:  # a bug: the error dialog with details, not a traceback
        lock.release()
        from kt_desktop.gui import errors

        _dialog_ahead()
        errors.show_error(None, exc)
        return 1
    from kt_desktop.services import pin

    if pin.is_set(window.session):  # the PIN prompt shows before the window
        from kt_desktop.gui.dialogs.pin import ask_pin

        _dialog_ahead()
        if not ask_pin(window.ops, window):
            window.shut_down()
            return 0
    window.after_first_paint(lambda: install_hooks(app))
    window.show()
    if open_file is not None:
        window.open_document(open_file)
    if check_later:  # first on the writer thread once the window has painted
        window.after_first_paint(window.check_file_in_background)
    code = app.exec()
    window.shut_down()
    if window.damaged is not None:  # the background check found the file damaged
        from kt_desktop.gui.recovery import recover

        if recover(None, data_path, window.damaged):
            return run(data_path)
        return 1
    return int(code)
