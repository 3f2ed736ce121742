"""Putting a bundle on a USB stick (or any folder) so that it is either whole or absent.

The bytes go to a temporary name, are flushed and ``fsync``-ed, renamed to the final name,
the folder is ``fsync``-ed, and the file is read back (past the page cache where the OS
allows) and compared. Only then may the program say "aman untuk dicabut". Any failure on
the way (stick pulled, disk full, read-back differs) removes what was written, so no
half bundle ever sits under a real bundle's name.

Also here: the list of removable drives to offer as destinations. On Linux it comes from
``/proc/mounts`` (mounts under ``/media`` and ``/run/media``, or devices the kernel calls
removable); on Windows from ``GetDriveTypeW`` through ctypes (that branch is not run by the
tests on this machine); on macOS from ``/Volumes``.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from kt_desktop.bundles.errors import BundleError
from kt_desktop.domain.errors import reason_text
from kt_desktop.i18n import _
from kt_desktop.paths import make_private

CHUNK = 1024 * 1024
#: Room kept free beside the bundle (file system metadata, the temporary name).
FREE_MARGIN = 64 * 1024

Opener = Callable[[Path], BinaryIO]
Reader = Callable[[Path], bytes]


def _open_new(path: Path) -> BinaryIO:
    return path.open("xb")


def _read_back(path: Path) -> bytes:
    """Read the file as the stick has it: drop it from the page cache first where possible."""
    with path.open("rb") as handle:
        if hasattr(os, "posix_fadvise"):
            try:
                os.posix_fadvise(handle.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
            except OSError:
                pass
        return handle.read()


def _fsync_folder(folder: Path) -> None:
    if sys.platform == "win32":
        return  # NTFS/FAT on Windows: the rename is flushed with the file's handle
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP):  # some FAT drivers refuse
            raise
    finally:
        os.close(descriptor)


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("the drive is full")
    if exc.errno in (errno.EIO, errno.ENODEV, errno.ENXIO, errno.ENOENT, errno.ESTALE):
        return _("the drive was removed or cannot be read")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _("the drive or folder cannot be written (read-only?)")
    return reason_text(exc)


def _failed(folder: Path, reason: str) -> BundleError:
    return BundleError(
        _(
            "The bundle could not be written to {folder}: {reason}. Nothing was saved there "
            "and the bundle number is not used up; check the drive and try again."
        ).format(folder=folder, reason=reason),
        code="write_failed",
    )


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def write_to_folder(
    data: bytes,
    folder: Path,
    name: str,
    *,
    opener: Opener = _open_new,
    reader: Reader = _read_back,
) -> Path:
    """Write ``data`` as ``folder/name`` and prove it is there intact; returns the path.

    ``opener`` and ``reader`` exist so that tests can pull the stick out halfway.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise _failed(folder, _("the folder does not exist"))
    try:
        free = shutil.disk_usage(folder).free
    except OSError as exc:
        raise _failed(folder, _reason(exc)) from exc
    if free < len(data) + FREE_MARGIN:
        raise _failed(
            folder,
            _("it needs {need} KB but only {free} KB are free").format(
                need=(len(data) + FREE_MARGIN) // 1024, free=free // 1024
            ),
        )
    final = folder / name
    temporary = folder / f".{name}.part"
    _remove(temporary)
    renamed = False
    try:
        handle = opener(temporary)
        try:
            view = memoryview(data)
            for start in range(0, len(data), CHUNK):
                handle.write(view[start : start + CHUNK])
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            handle.close()
        make_private(temporary)
        os.replace(temporary, final)
        renamed = True
        _fsync_folder(folder)
        written = reader(final)
    except OSError as exc:
        _remove(temporary)
        if renamed:
            _remove(final)
        raise _failed(folder, _reason(exc)) from exc
    if (
        len(written) != len(data)
        or hashlib.sha256(written).digest() != hashlib.sha256(data).digest()
    ):
        _remove(final)
        raise _failed(folder, _("the copy read back differs from what was written"))
    return final


# -- removable drives ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Drive:
    path: Path
    name: str
    free_bytes: int
    total_bytes: int


_PSEUDO = {
    "proc",
    "sysfs",
    "tmpfs",
    "devtmpfs",
    "devpts",
    "cgroup",
    "cgroup2",
    "overlay",
    "squashfs",
    "autofs",
    "securityfs",
    "debugfs",
    "tracefs",
    "mqueue",
    "fusectl",
}


def _unescape(field: str) -> str:
    """``/proc/mounts`` writes spaces and tabs in paths as octal escapes."""
    return (
        field.replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\012", "\n")
        .replace("\\134", "\\")
    )


def _kernel_removable(device: str, sys_block: Path) -> bool:
    if not device.startswith("/dev/"):
        return False
    name = Path(device).name
    for candidate in (name, name.rstrip("0123456789"), name.split("p")[0]):
        flag = sys_block / candidate / "removable"
        try:
            if flag.read_text().strip() == "1":
                return True
        except OSError:
            continue
    return False


MEDIA_ROOTS = ("/media/", "/run/media/")


def _linux_drives(mounts: Path, sys_block: Path, media_roots: tuple[str, ...]) -> list[Drive]:
    drives = []
    try:
        lines = mounts.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    seen: set[str] = set()
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        device, mount_point, kind = fields[0], _unescape(fields[1]), fields[2]
        if kind in _PSEUDO or mount_point in seen:
            continue
        under_media = mount_point.startswith(media_roots)
        if not under_media and not _kernel_removable(device, sys_block):
            continue
        drive = _drive(Path(mount_point), Path(mount_point).name)
        if drive is not None:
            drives.append(drive)
            seen.add(mount_point)
    return drives


def _drive(path: Path, name: str) -> Drive | None:
    try:
        usage = shutil.disk_usage(path)
    except OSError:
        return None
    return Drive(path=path, name=name or str(path), free_bytes=usage.free, total_bytes=usage.total)


def _windows_drives() -> list[Drive]:  # pragma: no cover - not run on the Linux test machine
    import ctypes
    import string

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    mask = kernel32.GetLogicalDrives()
    drives = []
    for index, letter in enumerate(string.ascii_uppercase):
        if not mask & (1 << index):
            continue
        root = f"{letter}:\\"
        if kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)) != 2:  # DRIVE_REMOVABLE
            continue
        label = ctypes.create_unicode_buffer(261)
        ok = kernel32.GetVolumeInformationW(
            ctypes.c_wchar_p(root), label, 261, None, None, None, None, 0
        )
        name = f"{label.value} ({letter}:)" if ok and label.value else f"{letter}:"
        drive = _drive(Path(root), name)
        if drive is not None:
            drives.append(drive)
    return drives


def removable_drives(
    *,
    mounts: Path = Path("/proc/mounts"),
    sys_block: Path = Path("/sys/block"),
    media_roots: tuple[str, ...] = MEDIA_ROOTS,
) -> list[Drive]:
    """Mounted removable drives with their name and free space (may be empty)."""
    if sys.platform == "win32":  # pragma: no cover
        return _windows_drives()
    if sys.platform == "darwin":  # pragma: no cover
        volumes = Path("/Volumes")
        found = [_drive(path, path.name) for path in sorted(volumes.iterdir()) if path.is_dir()]
        return [drive for drive in found if drive is not None and not drive.path.is_symlink()]
    return _linux_drives(mounts, sys_block, media_roots)
