"""Render every page and dialog at each screen size and font size, and name what does not fit.

    .venv/bin/python scripts/render_screens.py OUT_DIR [--size 1024x600 ...] [--font 14 ...]
        [--scale 1.25]

``--scale`` is Windows' display scaling (125 %, 150 %): Qt then lays out a 1366x768 screen
as 1093x614 logical pixels, which is what the pages are walked at (the pictures are in
logical pixels too).

Secretaries use 1024x600 netbooks, 1366x768 laptops and larger fonts; this script makes the
pictures a person looks at after changing a layout (``OUT_DIR/<size>-<font>pt/NN-name.png``)
and prints, per picture, what :func:`kt_desktop.gui.widgets.fit.misfits` finds cut (a
button, label, combo or column title whose text does not fit, a page that scrolls sideways, a
dialog larger than the screen). ``tests/gui/test_fits_small_screens.py`` walks the same
screens through :func:`walk` at 1024x600 with the largest font and fails on any of them.

Everything happens in a temporary home folder with the demo data of
``scripts/help_screens.py``; the user's files are never touched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from scripts import help_screens  # noqa: E402

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QWidget

    from kt_desktop.gui.main_window import MainWindow

SIZES = ((1024, 600), (1280, 720), (1366, 768), (1920, 1080))
#: A screen: a name for the picture and the widget to check and grab.
Screen = tuple[str, "QWidget"]


def _tabs(name: str, window: QWidget, page: QWidget, settle: Callable[[], None]) -> Iterator[Screen]:
    """``page`` itself, then each further tab of its tab widgets (Pengaturan, Pelatihan …)."""
    from PySide6.QtWidgets import QTabWidget

    yield name, window
    for tabs in page.findChildren(QTabWidget):
        if not tabs.isVisible():
            continue
        first = tabs.currentIndex()
        for index in range(tabs.count()):
            if index == first or not tabs.isTabVisible(index):
                continue
            tabs.setCurrentIndex(index)
            settle()
            yield f"{name}-tab{index + 1}", window
        tabs.setCurrentIndex(first)
        settle()


def _report_kinds(name: str, window: MainWindow, page: QWidget,
                  settle: Callable[[], None]) -> Iterator[Screen]:
    """The Laporan page once for each kind of report in its list."""
    for row in range(page.kinds.count()):  # type: ignore[attr-defined]
        page.kinds.setCurrentRow(row)  # type: ignore[attr-defined]
        settle()
        yield f"{name}-{row + 1}", window
    page.kinds.setCurrentRow(0)  # type: ignore[attr-defined]


def _pages(studio: help_screens.Studio, window: MainWindow, size: tuple[int, int], prefix: str,
           own: dict[str, Callable[..., Iterator[Screen]]] | None = None) -> Iterator[Screen]:
    """``window`` at ``size`` and each of its pages in turn, named ``prefix`` + the page's
    key: the page's tabs (:func:`_tabs`), or what ``own`` names for that key instead."""
    window.resize(*size)
    studio.settle(window)

    def settle() -> None:
        studio.settle(window)

    for spec in window.specs:
        page = studio.show(window, spec.key)
        yield from (own or {}).get(spec.key, _tabs)(prefix + spec.key, window, page, settle)


def _dialog(studio: help_screens.Studio, dialog: QDialog, window: MainWindow) -> QDialog:
    """Show ``dialog`` as the program does (it places and sizes itself on showing)."""
    studio.opened.append(dialog)
    dialog.show()
    studio.settle(window)
    return dialog


def close_dialogs(studio: help_screens.Studio) -> None:
    for dialog in studio.opened:
        dialog.close()
        dialog.deleteLater()
    studio.opened.clear()
    for _round in range(3):
        studio.app.processEvents()


def walk(studio: help_screens.Studio, size: tuple[int, int]) -> Iterator[Screen]:
    """Every village page (each tab and report kind), the main dialogs, the wizard, and every
    receiver page, each shown at ``size``; yields (name, widget) while it is on screen."""
    from kt_desktop.domain.assessment import DEFAULT_RUBRIC
    from kt_desktop.domain.book import all_books
    from kt_desktop.gui.dialogs.activity_form import ActivityForm
    from kt_desktop.gui.dialogs.backups import BackupsDialog
    from kt_desktop.gui.dialogs.book_form import BookForm
    from kt_desktop.gui.dialogs.letter_form import LetterForm
    from kt_desktop.gui.dialogs.member_form import MemberForm, MemberSettingsDialog
    from kt_desktop.gui.dialogs.training_form import TrainingForm
    from kt_desktop.gui.pages.completeness import RubricDialog
    from kt_desktop.gui.pages.send_data import EmailSettingsDialog
    from kt_desktop.gui.wizard import SetupWizard
    from kt_desktop.services import outbox

    window = studio.village_window()

    def settle() -> None:
        studio.settle(window)

    yield from _pages(studio, window, size, "", {"laporan": _report_kinds})

    members = studio.show(window, "anggota")
    studio.wait_for(lambda: members.model.rowCount() > 0, "the member list")
    member_id = members.model.rows[0].id if hasattr(members.model, "rows") else None
    yield "form-anggota-baru", _dialog(studio, MemberForm(window.ops, None, window), window)
    close_dialogs(studio)
    if member_id:
        form = _dialog(studio, MemberForm(window.ops, member_id, window), window)
        yield from _tabs("form-anggota", form, form, settle)
        close_dialogs(studio)
    yield "form-pengaturan-anggota", _dialog(studio, MemberSettingsDialog(window.ops, window),
                                             window)
    close_dialogs(studio)
    form = _dialog(studio, ActivityForm(window.ops, None, window), window)
    yield from _tabs("form-kegiatan", form, form, settle)
    close_dialogs(studio)
    yield "form-pelatihan", _dialog(studio, TrainingForm(window.ops, [], parent=window), window)
    close_dialogs(studio)
    yield "form-cadangan", _dialog(studio, BackupsDialog(window.ops, window), window)
    close_dialogs(studio)
    from kt_desktop.domain.book import book
    from kt_desktop.gui.dialogs.choice_list import ChoiceListDialog

    yield "form-kategori-kas", _dialog(
        studio, ChoiceListDialog(window.ops, book("kas"), "category", window), window)
    close_dialogs(studio)
    yield "form-email", _dialog(studio, EmailSettingsDialog(outbox.EmailSettings(), window),
                                window)
    close_dialogs(studio)
    for spec in all_books():  # every declared book's form, a new record (its prefill shown)
        yield f"form-{spec.key}", _dialog(studio, BookForm(window.ops, spec, None, window),
                                          window)
        close_dialogs(studio)
    yield "form-rubrik", _dialog(studio, RubricDialog(DEFAULT_RUBRIC, studio.today, window),
                                 window)
    close_dialogs(studio)
    for template in ("undangan", "keterangan_aktif"):
        yield f"form-surat-{template}", _dialog(
            studio, LetterForm(window.ops, window, template=template), window)
        close_dialogs(studio)

    wizard = SetupWizard(studio.work / "baru.sqlite", today=studio.today)
    studio.opened.append(wizard)
    wizard.show()
    settle()
    for step in range(1, 6):
        yield f"wizard-{step}", wizard
        if step == 2:
            wizard.village_page.picker.set_code(help_screens.VILLAGE_CODE)
            settle()
        wizard.next()
        settle()
    close_dialogs(studio)

    receiver = studio.receiver_window()
    yield from _pages(studio, receiver, size, "penerima-")
    from kt_desktop.gui.dialogs.notice_form import NoticeForm

    yield "penerima-form-pengumuman", _dialog(studio, NoticeForm(receiver), receiver)
    close_dialogs(studio)

    yield from _pages(studio, studio.national_window(), size, "nasional-")


def render(out: Path, sizes: list[tuple[int, int]], fonts: list[int], scale: float = 1.0,
           language: str = help_screens.LANGUAGE) -> int:
    """Pictures and misfits for each size and font; returns how many misfits were found."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QCursor
    from PySide6.QtWidgets import QApplication

    from kt_desktop import ui_prefs
    from kt_desktop.gui.widgets import fit

    app = QApplication.instance() or QApplication([sys.argv[0]])
    QCursor.setPos(5000, 5000)
    total = 0
    for points in fonts:
        for physical in sizes:
            size = (round(physical[0] / scale), round(physical[1] / scale))
            # Dialogs size themselves to the screen's free room: this size, not the
            # offscreen platform's 800x800.
            fit.available_size = lambda _widget, size=size: QSize(*size)  # type: ignore[assignment]
            with tempfile.TemporaryDirectory(prefix="kt-render-") as temp:
                os.environ["KT_DESKTOP_HOME"] = str(Path(temp) / "home")
                ui_prefs.save_font_size(points)
                from kt_desktop.gui.app import prepare_application

                prepare_application(app, language)
                work = Path(temp) / "work"
                work.mkdir()
                studio = help_screens.Studio(app, work)
                folder = out / (f"{physical[0]}x{physical[1]}-{points}pt"
                                + (f"-scale{scale:g}" if scale != 1 else "")
                                + (f"-{language}" if language != help_screens.LANGUAGE else ""))
                folder.mkdir(parents=True, exist_ok=True)
                try:
                    for number, (name, widget) in enumerate(walk(studio, size), start=1):
                        path = folder / f"{number:02d}-{name}.png"
                        widget.grab().save(str(path))
                        found = fit.misfits(widget, size)
                        total += len(found)
                        print(f"{path}" + (f"  ({len(found)} misfits)" if found else ""))
                        for line in found:
                            print(f"    {line}")
                finally:
                    close_dialogs(studio)
                    studio.close()
    return total


def _size(text: str) -> tuple[int, int]:
    width, height = text.lower().split("x")
    return int(width), int(height)


def main(argv: list[str] | None = None) -> int:
    from kt_desktop import ui_prefs

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", type=_size, nargs="*", default=list(SIZES))
    parser.add_argument("--font", type=int, nargs="*", choices=ui_prefs.FONT_SIZES,
                        default=[ui_prefs.DEFAULT_FONT_SIZE, max(ui_prefs.FONT_SIZES)])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="display scaling, as Windows sets it (1.25, 1.5)")
    parser.add_argument("--lang", choices=("id", "en"), default=help_screens.LANGUAGE)
    args = parser.parse_args(argv)
    total = render(args.out, args.size, args.font, args.scale, args.lang)
    print(f"{total} misfits")
    return 0




if __name__ == "__main__":
    sys.exit(main())
