"""Render the pictures of the Bantuan guide from the program itself.

    .venv/bin/python scripts/help_screens.py [OUT_DIR] [--only NAME ...]

OUT_DIR defaults to ``resources/help/img``. Everything happens in a temporary home folder
with its own data files (a village file filled with the demo data and ten members from the
sample spreadsheet, and a receiver file that imported the village's bundle), so the user's
files are never touched. Windows are rendered offscreen at 1366x768, the screen of the
laptops the program is made for, and saved about 900 px wide as 256-colour PNGs (a screen
of flat colours and text loses nothing visible, and the files stay around 60 KB).

The pictures are Indonesian only: the guide is read by village secretaries in Indonesian,
every printed page is Indonesian, and one set keeps the program (and the test that
regenerates the pictures) half the size; the English guide shows the same pictures and says
so once.

``tests/gui/test_help.py`` renders every picture the guide references into a temporary
folder: it fails when one can no longer be made or comes out blank, and when a committed
picture's size differs from a fresh one (a screen's layout changed: run this script again
and look at the guide).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if TYPE_CHECKING:
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication, QWidget

    from kt_desktop.gui.main_window import MainWindow

DEFAULT_OUT = ROOT / "resources" / "help" / "img"
SCREEN = (1366, 768)
#: Width of the saved pictures: as wide as the guide's text column at 1366x768.
WIDTH = 900
COLOURS = 256
FRAME = (154, 165, 177)  # style.MID
LANGUAGE = "id"
#: Demo data is random but seeded: the same screens every time.
SEED = 20261128
VILLAGE_CODE = "36.04.22.2001"
RECEIVER_CODE = "36"
WAIT_SECONDS = 30.0
#: Where the pictures say the files are: the default places on a Windows laptop.
WINDOWS_DATA = "C:\\Users\\Sekretaris\\AppData\\Local\\KarangTaruna\\KTDesktop"
FLASH_DISK = "E:\\"


class ScreenError(RuntimeError):
    """A picture could not be made (a page is missing, or never finished loading)."""


@dataclass
class Studio:
    """The data files and windows the pictures are taken of, made on first use."""

    app: QApplication
    work: Path
    today: dt.date = field(default_factory=dt.date.today)
    village: MainWindow | None = None
    receiver: MainWindow | None = None
    national: MainWindow | None = None
    bundle: Path | None = None
    opened: list[QWidget] = field(default_factory=list)
    #: Message boxes that popped up on their own (an error): closed, then reported.
    unexpected: list[str] = field(default_factory=list)

    # -- waiting ---------------------------------------------------------------------------
    def settle(self, window: MainWindow | None = None) -> None:
        """Let queued work and repaints finish before a picture is taken."""
        self.wait_for(lambda: window is None or not window.ops.busy(), "background work")
        for _round in range(5):
            self.app.processEvents()

    def wait_for(self, ready: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while not ready():
            if self.unexpected:
                raise ScreenError(f"while waiting for {what}: {'; '.join(self.unexpected)}")
            if time.monotonic() > deadline:
                raise ScreenError(f"gave up waiting for {what}")
            self.app.processEvents()
            time.sleep(0.01)

    def close_unexpected_boxes(self) -> None:
        """A message box or file dialog nobody asked for would wait forever offscreen
        (``exec()`` inside the event loop): note what it says and close it."""
        from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

        modal = self.app.activeModalWidget()
        if modal is None or modal in self.opened:
            return
        if isinstance(modal, QMessageBox):
            self.unexpected.append(f"a message box said: {modal.text()}")
        elif isinstance(modal, QFileDialog) or type(modal).__name__ == "ErrorDialog":
            self.unexpected.append(f"{type(modal).__name__} {modal.windowTitle()!r} opened")
        else:
            return  # a progress dialog or a form of ours
        if isinstance(modal, QDialog):
            modal.reject()
        else:
            modal.close()

    # -- data files ----------------------------------------------------------------------------
    def _make_files(self) -> None:
        """A village with demo data that sent one bundle, and a receiver that holds its key."""
        from kt_desktop.domain.members import MemberQuery
        from kt_desktop.services import backups, bundles, demo
        from kt_desktop.services import members as member_service
        from kt_desktop.services.session import open_session
        from kt_desktop.services.setup import init_receiver, init_village
        from scripts.sample_village import SK_FIELDS, sample_profile

        init_village(self.work / "desa.sqlite", sample_profile(**SK_FIELDS))
        init_receiver(self.work / "provinsi.sqlite", RECEIVER_CODE, "Karang Taruna Provinsi Banten")
        receiver = open_session(self.work / "provinsi.sqlite")
        village = open_session(self.work / "desa.sqlite")
        try:
            key = self.work / "kunci-penerima.ktkey"
            bundles.export_receiver_key(receiver, key, email="kt.banten@example.id")
            bundles.import_receiver_key(village, key)
            demo.fill(village, seed=SEED, today=self.today)
            flash = self.work / "flashdisk"
            flash.mkdir()
            self.bundle = bundles.export(village, dest_dir=flash).path
            # Something changed since the bundle, so Kirim Data has something waiting: the
            # first members' phone numbers are brought up to date.
            for row in member_service.list_page(village, MemberQuery(), limit=3):
                member = member_service.get(village, row.id)
                member.phone = f"0813{member.nik[-4:] or '0000'}7788"
                member_service.save(village, member, confirm=True, today=self.today)
        finally:
            village.close()
            receiver.close()
        # Backups of the last evenings, as the program makes them when it is closed.
        evening = dt.datetime.combine(self.today, dt.time(16, 30))
        for days in (3, 2, 1):
            backups.take_backup(self.work / "desa.sqlite", now=evening - dt.timedelta(days=days))

    def _open(self, path: Path) -> MainWindow:
        from kt_desktop.gui.app import open_main_window

        window = open_main_window(path)
        window.resize(*SCREEN)
        window.show()
        self.settle(window)
        return window

    def village_window(self) -> MainWindow:
        if self.village is None:
            if self.bundle is None:
                self._make_files()
            self.village = self._open(self.work / "desa.sqlite")
        return self.village

    def receiver_window(self) -> MainWindow:
        """The receiver's window, after it imported the village's bundle through Impor."""
        if self.receiver is None:
            if self.bundle is None:
                self._make_files()
            window = self._open(self.work / "provinsi.sqlite")
            self.receiver = window
            page = self.show(window, "impor")
            page.ask_trust = lambda newcomers: {(s.village_code, s.fingerprint) for s in newcomers}
            page.add_inputs([self.bundle])
            page.run_import()
            self.wait_for(
                lambda: any(row.status == "imported" for row in page.model.rows),
                "the bundle import",
            )
            self.settle(window)
        return self.receiver

    def national_window(self) -> MainWindow:
        """A national file (docs/NATIONAL.md) after it imported the province's aggregate."""
        if self.national is None:
            from kt_desktop.services import national
            from kt_desktop.services.setup import init_receiver

            province = self.receiver_window()
            folder = self.work / "agregat"
            folder.mkdir(exist_ok=True)
            national.export_aggregate(province.ops.session, folder, year=self.today.year)
            init_receiver(self.work / "nasional.sqlite", "00", "Pengurus Nasional")
            window = self._open(self.work / "nasional.sqlite")
            self.national = window
            page = self.show(window, "impor")
            page.ask_trust = lambda newcomers: {(s.village_code, s.fingerprint) for s in newcomers}
            page.add_inputs([folder])
            page.run_import()
            self.wait_for(lambda: any(row.status == "imported" for row in page.model.rows),
                          "the aggregate import")
            self.settle(window)
        return self.national

    def show(self, window: MainWindow, key: str) -> Any:
        """Switch ``window`` to the sidebar page ``key`` and return the page."""
        from kt_desktop.gui.main_window import PlaceholderPage

        keys = [spec.key for spec in window.specs]
        if key not in keys:
            raise ScreenError(f"the sidebar has no page {key!r}")
        window.show_page(keys.index(key))
        window.refresh_status()  # a backup or an import may have happened meanwhile
        self.settle(window)
        page = window.page(key)
        if page is None or isinstance(page, PlaceholderPage):
            raise ScreenError(f"page {key!r} is not available in this version yet")
        return page

    def stage(self, widget: QWidget) -> None:
        """Show the places a secretary's Windows laptop would show instead of the temporary
        folders of this run (status bar, backup folder, flash disk)."""
        from PySide6.QtWidgets import QLabel, QListWidget

        from kt_desktop import paths

        places = [
            (str(self.work / "desa.sqlite"), WINDOWS_DATA + "\\kt-desktop.sqlite"),
            (str(self.work / "provinsi.sqlite"), WINDOWS_DATA + "\\kt-desktop.sqlite"),
            (str(paths.backup_dir()), WINDOWS_DATA + "\\backups"),
            (str(self.work / "flashdisk") + os.sep, FLASH_DISK),
            (str(self.work / "flashdisk"), FLASH_DISK),
        ]

        def staged(text: str) -> str:
            for real, shown in places:
                text = text.replace(real, shown)
            return text

        for label in [widget, *widget.findChildren(QLabel)]:
            if isinstance(label, QLabel) and label.text():
                label.setText(staged(label.text()))
        for view in widget.findChildren(QListWidget):
            for row in range(view.count()):
                item = view.item(row)
                item.setText(staged(item.text()))

    def dialog(self, widget: QWidget) -> QWidget:
        """A dialog to picture: shown, remembered, closed at the end."""
        self.opened.append(widget)
        widget.show()
        return widget

    def close(self) -> None:
        for widget in self.opened:
            widget.close()
            widget.deleteLater()
        self.opened.clear()
        for window in (self.village, self.receiver, self.national):
            if window is not None:
                window.close()
                window.deleteLater()
        self.village = self.receiver = self.national = None
        for _round in range(5):
            self.app.processEvents()


# -- the pictures ----------------------------------------------------------------------------------
def as_it_opens(
    key: str, window_of: Callable[[Studio], MainWindow] = Studio.village_window
) -> Callable[[Studio], QWidget]:
    """The picture of page ``key`` of the window as it first shows, nothing chosen on it."""

    def shot(studio: Studio) -> QWidget:
        window = window_of(studio)
        studio.show(window, key)
        return window

    return shot


def shot_anggota(studio: Studio) -> QWidget:
    window = studio.village_window()
    page = studio.show(window, "anggota")
    studio.wait_for(lambda: page.model.rowCount() > 0, "the member list")
    page.table.selectRow(2)
    return window


def shot_anggota_impor(studio: Studio) -> QWidget:
    from kt_desktop.gui.dialogs.member_import import CHECK, COLUMNS, MemberImportDialog
    from kt_desktop.services import samples

    window = studio.village_window()
    studio.show(window, "anggota")
    dialog = MemberImportDialog(window.ops, window)
    studio.dialog(dialog)
    dialog.load_file(samples.sample_members_path())
    studio.wait_for(lambda: dialog.stack.currentIndex() == COLUMNS, "the import's column step")
    dialog.next_step()
    studio.wait_for(lambda: dialog.stack.currentIndex() == CHECK, "the import's check step")
    studio.settle(window)
    return dialog


def _activities_page(studio: Studio) -> Any:
    """Kegiatan at the latest month with a good handful of activities."""
    window = studio.village_window()
    page = studio.show(window, "kegiatan")
    for _step in range(4):
        if page.model.rowCount() >= 4:
            break
        page.prev_button.click()
        studio.settle(window)
    return page


def shot_kegiatan(studio: Studio) -> QWidget:
    window = studio.village_window()
    page = _activities_page(studio)
    page.table.selectRow(0)
    return window


def _activity_form(studio: Studio) -> Any:
    """The form of an activity that has photos."""
    from kt_desktop.services import activities
    from kt_desktop.services.activities import ActivityFilter

    window = studio.village_window()
    page = _activities_page(studio)
    rows = activities.list_page(window.ops.session, ActivityFilter(month=None), limit=500).rows
    with_photos = [row for row in rows if row.photos]
    if not with_photos:
        raise ScreenError("the demo data has no activity with photos")
    chosen = max(with_photos, key=lambda row: (row.photos, row.start))
    page._open_form(chosen.id, None)
    form = page.form
    if form is None:
        raise ScreenError("the activity form did not open")
    studio.opened.append(form)
    studio.settle(window)
    studio.wait_for(lambda: bool(form.title_edit.text()), "the activity form to load")
    return form


def shot_kegiatan_form(studio: Studio) -> QWidget:
    form = _activity_form(studio)
    form.tabs.setCurrentIndex(0)
    return form


def shot_kegiatan_foto(studio: Studio) -> QWidget:
    form = _activity_form(studio)
    form.tabs.setCurrentIndex(4)
    studio.wait_for(lambda: bool(form.photos), "the activity's photos")
    studio.settle(studio.village_window())
    return form


def shot_pelatihan(studio: Studio) -> QWidget:
    window = studio.village_window()
    page = studio.show(window, "pelatihan")
    studio.wait_for(lambda: page.detail is not None, "the selected training")
    page.tabs.setCurrentIndex(2)  # Daftar hadir
    return window


def shot_laporan(studio: Studio) -> QWidget:
    window = studio.village_window()
    page = studio.show(window, "laporan")
    page.build()
    studio.wait_for(lambda: page.preview.page_count() > 0, "the monthly report")
    studio.settle(window)
    studio.wait_for(lambda: drawn(page.preview.view), "the report preview to be drawn")
    return window


def shot_keandalan(studio: Studio) -> QWidget:
    """Pengaturan at its backups tab; the backups window where Pengaturan has none yet."""
    from kt_desktop.i18n import _

    window = studio.village_window()
    page = studio.show(window, "pengaturan")
    for index in range(page.tabs.count()):
        if page.tabs.tabText(index).replace("&", "") == _("Backups"):
            page.tabs.setCurrentIndex(index)
            studio.settle(window)
            return window
    from kt_desktop.gui.dialogs.backups import BackupsDialog

    dialog = BackupsDialog(window.ops, window)
    studio.dialog(dialog)
    studio.settle(window)
    return dialog


def shot_impor_bundle(studio: Studio) -> QWidget:
    window = studio.receiver_window()
    page = studio.show(window, "impor")
    page.view.selectRow(0)
    return window


#: File name (without .png) -> how to take it; the guide refers to ``../img/NAME.png``.
SHOTS: dict[str, Callable[[Studio], QWidget]] = {
    "beranda": as_it_opens("beranda"),
    "anggota": shot_anggota,
    "anggota-impor": shot_anggota_impor,
    "kegiatan": shot_kegiatan,
    "kegiatan-form": shot_kegiatan_form,
    "kegiatan-foto": shot_kegiatan_foto,
    "pelatihan": shot_pelatihan,
    "laporan": shot_laporan,
    "kirim-data": as_it_opens("kirim"),
    "keandalan": shot_keandalan,
    "impor-bundle": shot_impor_bundle,
    "rekap": as_it_opens("rekap", Studio.receiver_window),
}


def drawn(widget: QWidget) -> bool:
    """True once ``widget`` shows some dark pixels (QPdfView draws asynchronously; the
    Laporan page tests wait for it too)."""
    image = widget.grab().toImage()
    dark = 0
    for y in range(0, image.height(), 7):
        for x in range(0, image.width(), 7):
            if image.pixelColor(x, y).lightness() < 80:
                dark += 1
    return dark > 30


def save_picture(image: QImage, path: Path) -> None:
    """``image`` at most :data:`WIDTH` wide, as a small palette PNG."""
    from PIL import Image, ImageDraw
    from PySide6.QtCore import QBuffer, QIODevice, Qt

    if image.width() > WIDTH:
        image = image.scaledToWidth(WIDTH, Qt.TransformationMode.SmoothTransformation)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    picture = Image.open(io.BytesIO(bytes(buffer.data()))).convert("RGB")
    # A thin frame, so the picture stands apart from the guide's white page.
    ImageDraw.Draw(picture).rectangle(
        (0, 0, picture.width - 1, picture.height - 1), outline=FRAME
    )
    picture = picture.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT,
                               dither=Image.Dither.NONE)
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, optimize=True)


def render(
    app: QApplication, out: Path, work: Path, *, only: Iterable[str] | None = None,
    today: dt.date | None = None,
) -> dict[str, Path]:
    """Render the pictures (all, or those in ``only``) into ``out``; returns name -> file.

    ``work`` holds the data files; the home folder (``KT_DESKTOP_HOME``) must already be a
    throwaway one. Raises :class:`ScreenError` naming the picture that could not be made.
    """
    from kt_desktop.gui.app import prepare_application

    names = list(SHOTS) if only is None else list(only)
    unknown = [name for name in names if name not in SHOTS]
    if unknown:
        raise ScreenError(f"no such picture: {', '.join(unknown)}")
    from PySide6.QtCore import QSize, QTimer

    from kt_desktop.gui.widgets import fit

    prepare_application(app, LANGUAGE)
    # Dialogs fit themselves to the screen's free room: the laptop's, not the offscreen
    # platform's 800x800.
    screen_room = fit.available_size
    fit.available_size = lambda _widget: QSize(*SCREEN)  # type: ignore[assignment]
    studio = Studio(app, work, today=today or dt.date.today())
    made: dict[str, Path] = {}
    watchdog = QTimer()
    watchdog.setInterval(200)
    watchdog.timeout.connect(studio.close_unexpected_boxes)
    watchdog.start()
    try:
        for name in names:
            try:
                widget = SHOTS[name](studio)
                studio.settle(studio.village or studio.receiver)
                studio.stage(widget)
                path = out / f"{name}.png"
                save_picture(widget.grab().toImage(), path)
            except ScreenError as exc:
                raise ScreenError(f"{name}.png: {exc}") from exc
            finally:
                for dialog in studio.opened:
                    dialog.close()
                    dialog.deleteLater()
                studio.opened.clear()
            made[name] = path
    finally:
        watchdog.stop()
        studio.close()
        fit.available_size = screen_room  # type: ignore[assignment]
    if studio.unexpected:
        raise ScreenError("; ".join(studio.unexpected))
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, nargs="?", default=DEFAULT_OUT)
    parser.add_argument("--only", nargs="*", choices=sorted(SHOTS), help="just these pictures")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kt-help-") as temp:
        os.environ["KT_DESKTOP_HOME"] = str(Path(temp) / "home")
        from PySide6.QtGui import QCursor
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication([sys.argv[0]])
        assert isinstance(app, QApplication)
        QCursor.setPos(5000, 5000)  # no hover highlight where the pointer happens to rest
        work = Path(temp) / "work"
        work.mkdir()
        try:
            made = render(app, args.out, work, only=args.only)
        except ScreenError as exc:
            print(f"help_screens.py: {exc}", file=sys.stderr)
            return 1
    total = 0
    for path in made.values():
        size = path.stat().st_size
        total += size
        print(f"{path}  {size / 1024:.0f} KB")
    print(f"{len(made)} pictures, {total / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
