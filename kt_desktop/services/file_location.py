"""Where a file lives: the local disk, a removable drive or a network share.

The data file must stay on the local disk. SQLite's WAL mode needs locking that works only
between processes of one machine (network shares lie about it), and flash drives lie about
having flushed, so a stick pulled out a second after "saved" loses or tears the last
transaction. Bundles and backups are the things that go onto sticks; they are written whole
and verified (:mod:`kt_desktop.services.backups`).

Linux is judged from ``/proc/mounts`` (file-system type, mount point under ``/media`` or
``/run/media``, the kernel's ``removable`` flag); Windows from ``GetDriveTypeW`` and UNC
paths. The Windows branch follows the Win32 documentation but is not exercised by the test
suite, which runs on Linux. The list of drives to write backups to is
:func:`kt_desktop.bundles.transport.removable_drives` (bundles go to the same sticks).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from kt_desktop import paths
from kt_desktop.domain import clock
from kt_desktop.domain.errors import DataFileError
from kt_desktop.i18n import _
from kt_desktop.store import backup as store_backup

LOCAL = "local"
REMOVABLE = "removable"
NETWORK = "network"

NETWORK_FS = {
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs",
    "fuse.sshfs", "fuse.rclone", "davfs", "fuse.davfs2", "fuse.gvfsd-fuse", "lustre",
}
REMOVABLE_MOUNT_ROOTS = ("/media/", "/run/media/")
_WIN_DRIVE_REMOVABLE = 2
_WIN_DRIVE_REMOTE = 4


@dataclass(frozen=True, slots=True)
class Mount:
    device: str
    point: Path
    fs_type: str


@dataclass(frozen=True, slots=True)
class Location:
    kind: str  # LOCAL | REMOVABLE | NETWORK
    mount_point: Path | None
    fs_type: str

    @property
    def is_local(self) -> bool:
        return self.kind == LOCAL

    def reason(self) -> str:
        """Why the data file must not live here, in words a secretary understands."""
        if self.kind == NETWORK:
            return _(
                "The data file is on a network share. SQLite cannot lock a file safely over "
                "a network, so two computers (or a dropped connection) can damage it. Keep the "
                "data file on this laptop's own disk; send data with bundles instead."
            )
        if self.kind == REMOVABLE:
            return _(
                "The data file is on a flash drive or other removable disk. Such drives report "
                "\"saved\" before the data is really written, so pulling it out (or a power cut) "
                "can damage the file. Keep the data file on this laptop's own disk; only "
                "backups and bundles belong on a flash drive."
            )
        return ""


# -- Linux ---------------------------------------------------------------------------------


def _unescape(field: str) -> str:
    r"""``/proc/mounts`` writes space, tab, newline and backslash as octal (``\040``)."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def read_mounts(text: str | None = None) -> list[Mount]:
    """The mount table (``/proc/mounts`` unless ``text`` is given, for tests)."""
    if text is None:
        try:
            text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []
    mounts = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            mounts.append(Mount(_unescape(parts[0]), Path(_unescape(parts[1])), parts[2]))
    return mounts


def _mount_of(path: Path, mounts: list[Mount]) -> Mount | None:
    best: Mount | None = None
    for mount in mounts:
        if path == mount.point or mount.point in path.parents:
            if best is None or len(str(mount.point)) >= len(str(best.point)):
                best = mount
    return best


def _kernel_says_removable(device: str) -> bool:
    """``/sys/block/<disk>/removable`` for ``/dev/sdb1`` → ``sdb`` (USB sticks report 1)."""
    name = Path(device).name
    if not device.startswith("/dev/") or not name:
        return False
    disk = name.rstrip("0123456789")
    if disk.startswith(("nvme", "mmcblk")) and "p" in name:
        disk = name[: name.rindex("p")]
    flag = Path("/sys/block") / disk / "removable"
    try:
        return flag.read_text().strip() == "1"
    except OSError:
        return False


def _classify_mount(mount: Mount | None) -> Location:
    if mount is None:
        return Location(LOCAL, None, "")
    fs = mount.fs_type.lower()
    if fs in NETWORK_FS or fs.startswith("nfs") or mount.device.startswith("//"):
        return Location(NETWORK, mount.point, fs)
    point = str(mount.point) + "/"
    if point.startswith(REMOVABLE_MOUNT_ROOTS) or _kernel_says_removable(mount.device):
        return Location(REMOVABLE, mount.point, fs)
    return Location(LOCAL, mount.point, fs)


# -- Windows (untested here) ---------------------------------------------------------------


def _windows_drive_type(root: str) -> int:
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))  # type: ignore[attr-defined]


def _classify_windows(path: Path) -> Location:
    text = str(path)
    if text.startswith("\\\\"):
        return Location(NETWORK, None, "unc")
    root = path.drive + "\\"
    kind = _windows_drive_type(root)
    if kind == _WIN_DRIVE_REMOTE:
        return Location(NETWORK, Path(root), "remote")
    if kind == _WIN_DRIVE_REMOVABLE:
        return Location(REMOVABLE, Path(root), "removable")
    return Location(LOCAL, Path(root), "fixed")


# -- public --------------------------------------------------------------------------------


def classify(path: Path, *, mounts: list[Mount] | None = None) -> Location:
    """Where ``path`` (a file or folder, existing or not) lives."""
    path = Path(path).expanduser().resolve()
    if sys.platform == "win32":
        return _classify_windows(path)
    return _classify_mount(_mount_of(path, read_mounts() if mounts is None else mounts))


def _free_name(folder: Path, name: str) -> Path:
    candidate = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate


def move_to_local(path: Path, *, tables: list[str] | None = None) -> Path:
    """Move the data file at ``path`` into the local data folder; returns the new path.

    Call it with the file closed. The copy is made with SQLite (never a file copy of a
    database that may have a WAL beside it), checked, and compared with the original's
    counts; only then is the original renamed to ``<name>.dipindahkan-<time>`` so that
    nobody keeps working in the old place by mistake. If the original's drive has become
    read-only, the original stays as it is and the copy is still used.
    """
    from kt_desktop.services.check import COUNTED_TABLES

    path = Path(path)
    counted = tables if tables is not None else COUNTED_TABLES
    original = store_backup.inspect(path, tables=counted, quick=False)
    if not original.ok:
        raise DataFileError(
            _("{path} cannot be moved: it failed its check. Restore it from a backup.").format(
                path=path
            ),
            code="damaged",
        )
    target = _free_name(paths.data_dir(), path.name)
    store_backup.snapshot(path, target)
    copy = store_backup.inspect(target, tables=counted, quick=False)
    if not copy.ok or copy.counts != original.counts:
        target.unlink(missing_ok=True)
        raise DataFileError(
            _("The copy in {folder} did not match the original; nothing was moved.").format(
                folder=target.parent
            ),
            code="move_failed",
        )
    stamp = clock.local_now().strftime("%Y%m%d-%H%M%S")
    try:
        store_backup.set_aside(path, f".dipindahkan-{stamp}")
    except OSError:
        pass  # a drive that became read-only keeps its copy; the local one is used from now on
    return target
