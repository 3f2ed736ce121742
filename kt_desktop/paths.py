"""Where KT Desktop keeps its files, and how it finds its own resources.

One module so that tests, a portable install and a frozen build can all move the data
without touching the code that uses it (Vorta's ``config.py`` does the same).
"""

from __future__ import annotations

import errno
import json
import logging
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs

log = logging.getLogger(__name__)

APP_NAME = "KTDesktop"
APP_AUTHOR = "KarangTaruna"
#: Overrides the per-user folder that holds the data file, backups, logs and settings.
HOME_ENV = "KT_DESKTOP_HOME"


#: ``settings.json`` is a few keys; anything larger was not written by the program.
SETTINGS_MAX_BYTES = 64 * 1024


class NotAFolder(NotADirectoryError):
    """One of the program's folders exists as something else (a file): say which."""

    def __init__(self, path: Path) -> None:
        super().__init__(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))
        self.path = path


def _folder(path: Path) -> Path:
    """Make ``path`` a folder if needed; :class:`NotAFolder` when a file is in its place."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        raise NotAFolder(path) from exc
    if not path.is_dir():
        raise NotAFolder(path)
    return path


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV)
    return Path(value) if value else None


def _user_folder(name: str, platform_dir: Callable[[str, str], str]) -> Path:
    """``$KT_DESKTOP_HOME/name`` when that is set (tests, portable use), else the platform's
    folder of that kind for the program; made if missing."""
    home = _home()
    return _folder(home / name if home else Path(platform_dir(APP_NAME, APP_AUTHOR)))


def data_dir() -> Path:
    """The folder of the default data file and of the automatic backups."""
    return _user_folder("data", platformdirs.user_data_dir)


def default_data_file() -> Path:
    return data_dir() / "kt-desktop.sqlite"


def backup_dir() -> Path:
    return _folder(data_dir() / "backups")


def log_dir() -> Path:
    return _user_folder("logs", platformdirs.user_log_dir)


def log_file() -> Path:
    return log_dir() / "kt-desktop.log"


def config_dir() -> Path:
    return _user_folder("config", platformdirs.user_config_dir)


def settings_file() -> Path:
    """The user's own ``settings.json`` (language, font size, last folders)."""
    return config_dir() / "settings.json"


def read_settings() -> dict[str, Any]:
    """``settings.json`` as a dict; ``{}`` (and a warning in the log) when it cannot be one.

    The file is the user's, but it may have been copied from elsewhere or damaged: JSON that
    is not an object (``[]``, ``null``), nested too deep to parse, larger than any file the
    program writes, or not an ordinary file at all (a FIFO would block the read forever)
    falls back to the defaults instead of stopping the program.
    """
    try:
        path = settings_file()
        info = path.stat()
    except NotAFolder as exc:
        log.warning("settings not read: %s is not a folder", exc.path)
        return {}
    except OSError:
        return {}  # no settings yet
    if not stat.S_ISREG(info.st_mode) or info.st_size > SETTINGS_MAX_BYTES:
        log.warning("settings not read: %s is not an ordinary small file", path)
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        log.warning("settings not read: %s is not valid JSON (%s)", path, type(exc).__name__)
        return {}
    if not isinstance(data, dict):
        log.warning("settings not read: %s holds %s, not an object", path, type(data).__name__)
        return {}
    return data


def write_settings(data: dict[str, Any]) -> None:
    """Write ``settings.json`` whole: a temporary file renamed over it, so a power cut (or a
    FIFO in its place) never leaves half a file or a blocked write."""
    with written_whole(settings_file()) as temp, temp.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, ensure_ascii=False)


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


@contextmanager
def written_whole(
    target: Path, refusal: Callable[[OSError], BaseException] | None = None, *,
    partial: Path | None = None, sync: bool = False, private: bool = True,
) -> Iterator[Path]:
    """Write ``target`` whole or not at all: the caller writes the path this yields (a new
    temporary file beside ``target``, or ``partial``); when the block ends it is made private
    (:func:`make_private`; ``private=False`` with a ``partial`` the caller creates keeps the
    system's default mode, for a file without personal data), flushed to the disk if
    ``sync`` and renamed over ``target``.
    Whatever fails, the temporary file is removed and ``target`` is as it was; an ``OSError``
    becomes ``refusal(exc)`` (the caller's sentence) when one is given.

    One way for every file the program writes where a power cut or a full disk must not
    leave half a file: reports, exports, copies, settings.
    """
    if partial is None:
        try:
            handle, name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".part",
                                            dir=target.parent)
        except OSError as exc:
            if refusal is None:
                raise
            raise refusal(exc) from exc
        os.close(handle)
        partial = Path(name)
    try:
        yield partial
        if private:
            make_private(partial)
        if sync:
            with partial.open("rb+") as written:
                os.fsync(written.fileno())
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        if refusal is None:
            raise
        raise refusal(exc) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def resources_dir() -> Path:
    """``resources/`` beside the package, or inside the PyInstaller bundle when frozen."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    """Path of a file shipped in ``resources/`` (fonts, region data, catalogs, icons)."""
    return resources_dir().joinpath(*parts)
