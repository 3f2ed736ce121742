"""Where KT Desktop keeps its files, and how it finds its own resources.

One module so that tests, a portable install and a frozen build can all move the data
without touching the code that uses it (Vorta's ``config.py`` does the same).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "KTDesktop"
APP_AUTHOR = "KarangTaruna"
#: Overrides the per-user folder that holds the data file, backups, logs and settings.
HOME_ENV = "KT_DESKTOP_HOME"


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV)
    return Path(value) if value else None


def data_dir() -> Path:
    """The folder of the default data file and of the automatic backups."""
    home = _home()
    path = home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_data_file() -> Path:
    return data_dir() / "kt-desktop.sqlite"


def backup_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    home = _home()
    path = home / "logs" if home else Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_file() -> Path:
    return log_dir() / "kt-desktop.log"


def config_dir() -> Path:
    home = _home()
    path = home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


#: The one rule for files KT Desktop writes that hold personal data (the data file and its
#: side files, backups, reports, exports, reject lists, bundles, e-mail drafts): readable and
#: writable by their owner only. docs/RELIABILITY.md says it to developers.
PRIVATE_FILE_MODE = 0o600


def make_private(path: Path) -> None:
    """Give ``path`` :data:`PRIVATE_FILE_MODE` (call it before the file gets its final name).

    POSIX only: on Windows a file takes the permissions of the user's own folder. A file
    system without permissions (a FAT flash drive) keeps what it has: best effort, never a
    refusal.
    """
    if sys.platform == "win32":
        return
    try:
        os.chmod(path, PRIVATE_FILE_MODE)
    except OSError:
        pass


def resources_dir() -> Path:
    """``resources/`` beside the package, or inside the PyInstaller bundle when frozen."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    """Path of a file shipped in ``resources/`` (fonts, region data, catalogs, icons)."""
    return resources_dir().joinpath(*parts)
