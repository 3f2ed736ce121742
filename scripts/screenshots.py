"""Render the set-up wizard, Beranda and Pengaturan offscreen into PNG files.

    .venv/bin/python scripts/screenshots.py OUT_DIR [--lang id|en|both] [--font-size 14]

Everything happens in a temporary home folder (its own data files and settings.json), so
the user's own files are never touched. The main window is rendered at 1366x768, the
screen of the laptops the program is made for; the wizard at its own size. The help pages
use these pictures, and developers look at them after changing a screen.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["QT_QPA_PLATFORM"] = "offscreen"

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from kt_desktop.gui.ops import Ops

SCREEN = (1366, 768)
TODAY = dt.date(2026, 11, 28)


def _settle(app: QApplication, ops: Ops | None = None, seconds: float = 10.0) -> None:
    """Let queued work and repaints finish before a picture is taken."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        if ops is None or not ops.busy():
            break
        time.sleep(0.01)
    for _ in range(5):
        app.processEvents()


def _grab(widget: QWidget, path: Path) -> None:
    widget.grab().save(str(path))
    print(path)


def _wizard_shots(app: QApplication, out: Path, lang: str, home: Path) -> None:
    from kt_desktop.gui.wizard import SetupWizard

    wizard = SetupWizard(home / f"desa-{lang}.sqlite", today=TODAY)
    wizard.show()
    _settle(app)
    _grab(wizard, out / f"wizard-1-kind-{lang}.png")
    wizard.next()
    wizard.village_page.picker.set_code("36.04.22.2001")
    _settle(app)
    _grab(wizard, out / f"wizard-2-village-{lang}.png")
    wizard.next()
    fields = wizard.fields.inputs
    fields["name"].setText("Karang Taruna Tunas Harapan")
    fields["short_name"].setText("KT-TH")
    for name, value in {
        "street": "Jl. Raya Baros No. 12",
        "rt": "002",
        "rw": "003",
        "dusun": "Kampung Cilaku",
        "phone": "0812-3456-7890",
        "email": "kt.tunasharapan@example.id",
    }.items():
        fields[name].setText(value)
    _settle(app)
    _grab(wizard, out / f"wizard-3-address-{lang}.png")
    wizard.next()
    for name, value in {
        "ketua": "Ahmad Fauzi",
        "sekretaris": "Siti Nurhaliza",
        "bendahara": "Rina Marlina",
        "kepala_desa": "H. Suryadi",
        "sk_number": "400/12/Kpts/2024",
    }.items():
        fields[name].setText(value)
    fields["sk_date"].set_value(dt.date(2024, 3, 4))
    _settle(app)
    _grab(wizard, out / f"wizard-4-officers-{lang}.png")
    wizard.next()
    _settle(app)
    _grab(wizard, out / f"wizard-5-finish-{lang}.png")
    wizard.close()
    wizard.deleteLater()

    receiver = SetupWizard(home / f"provinsi-{lang}.sqlite", today=TODAY)
    receiver.show()
    receiver.kind_page.receiver.setChecked(True)
    receiver.next()
    receiver.receiver_page.area.province.select_code("36")
    _settle(app)
    _grab(receiver, out / f"wizard-6-receiver-{lang}.png")
    receiver.close()
    receiver.deleteLater()
    _settle(app)


def _window_shots(app: QApplication, out: Path, lang: str, home: Path) -> None:
    from kt_desktop.gui.app import open_main_window
    from kt_desktop.services.setup import init_receiver, init_village
    from scripts.sample_village import SK_FIELDS, sample_profile

    village = home / f"window-desa-{lang}.sqlite"
    init_village(
        village,
        sample_profile(**{**SK_FIELDS, "term_end": dt.date.today() + dt.timedelta(days=45)}),
    )
    window = open_main_window(village)
    window.resize(*SCREEN)
    window.show()
    _settle(app, window.ops)
    _grab(window, out / f"beranda-{lang}.png")
    for key, name in (("anggota", "placeholder"), ("pengaturan", "settings")):
        index = [spec.key for spec in window.specs].index(key)
        window.show_page(index)
        _settle(app, window.ops)
        _grab(window, out / f"{name}-{lang}.png")
    settings = window.page("pengaturan")
    for tab in (1, 2):
        settings.tabs.setCurrentIndex(tab)
        _settle(app, window.ops)
        _grab(window, out / f"settings-tab{tab + 1}-{lang}.png")
    window.close()
    window.deleteLater()

    receiver = home / f"window-provinsi-{lang}.sqlite"
    init_receiver(receiver, "36", "Karang Taruna Provinsi Banten")
    window = open_main_window(receiver)
    window.resize(*SCREEN)
    window.show()
    _settle(app, window.ops)
    _grab(window, out / f"rekap-receiver-{lang}.png")
    window.close()
    window.deleteLater()
    _settle(app)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--lang", choices=("id", "en", "both"), default="both")
    parser.add_argument(
        "--font-size", type=int, default=None, help="point size, as chosen in Pengaturan"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kt-shots-") as temp:
        home = Path(temp)
        os.environ["KT_DESKTOP_HOME"] = str(home)
        from PySide6.QtGui import QCursor
        from PySide6.QtWidgets import QApplication

        from kt_desktop import ui_prefs
        from kt_desktop.gui.app import prepare_application

        if args.font_size:
            ui_prefs.save_font_size(args.font_size)
        app = QApplication.instance() or QApplication([sys.argv[0]])
        QCursor.setPos(5000, 5000)  # no hover highlight where the pointer happens to rest
        for lang in ("id", "en") if args.lang == "both" else (args.lang,):
            prepare_application(app, lang)
            _wizard_shots(app, args.out, lang, home)
            _window_shots(app, args.out, lang, home)
    return 0


if __name__ == "__main__":
    sys.exit(main())
