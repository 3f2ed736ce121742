"""Backups of the data file: automatic, on a flash drive, listed, restored; the check on open.

What the program promises (docs/RELIABILITY.md says it to the secretary):

* An automatic backup when the program closes and, while it stays open, once a day — only
  when something changed since the newest one. Kept: the newest of each of the last 7 days
  with a backup, then of 4 more weeks, then of 12 more months (:func:`retention_keep`).
* Every backup is a ``VACUUM INTO`` snapshot that passed ``integrity_check`` before it
  counts (:func:`kt_desktop.store.backup.snapshot`).
* "Cadangkan ke Flashdisk" writes under a temporary name, fsyncs, renames, drops the file
  from the cache and reads it back, and says "safe to unplug" only after that.
* A restore first backs up the current file (or, if it is damaged, renames it aside without
  writing to it), checks the chosen backup fully, and puts a copy of it in place.
* :func:`check_on_open` judges the data file read-only before the program touches it.

Backups belong to one data file, told by the id stored inside it (migration 9) and its
village or receiver code, never by its name or path (issue 14: ``a/desa.sqlite`` and
``b/desa.sqlite`` shared one series, and one village's backup pruned the other's). Each data
file has its own folder under :func:`kt_desktop.paths.backup_dir`, ``<code>-<id>/``, holding
``<stem>-YYYYMMDD-HHMMSS.sqlite`` (automatic and "back up now"),
``<stem>-sebelum-pulih-YYYYMMDD-HHMMSS.sqlite`` (made before a restore, never pruned), the
pre-migration copies, and ``identitas.json`` (whose folder it is, and where that file was
last seen: how the backups of a file too damaged to read are found). Retention counts per
folder. Backups made before this change lie in the backup folder itself; they are listed for
the data file whose name and village they match, and never pruned.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kt_desktop import paths
from kt_desktop.domain import clock
from kt_desktop.domain.errors import DataFileError, KtError
from kt_desktop.domain.formats import number
from kt_desktop.i18n import N_, _
from kt_desktop.services.file_location import Location, classify
from kt_desktop.store import audit, connection, migrations
from kt_desktop.store import backup as store_backup

log = logging.getLogger(__name__)

AUTO = "auto"
BEFORE_RESTORE = "before_restore"
BEFORE_MIGRATION = "before_migration"
DRIVE = "drive"
OTHER = "other"

KIND_LABELS = {
    AUTO: N_("Backup"),
    BEFORE_RESTORE: N_("Before a restore"),
    BEFORE_MIGRATION: N_("Before an update"),
    DRIVE: N_("Flash drive"),
    OTHER: N_("Backup file"),
}

DAILY, WEEKLY, MONTHLY = 7, 4, 12
AUTO_INTERVAL = dt.timedelta(hours=24)
_STAMP = "%Y%m%d-%H%M%S"
_BEFORE_RESTORE_TAG = "sebelum-pulih"
DRIVE_FOLDER = "KT-Desktop-Cadangan"
IDENTITY_FILE = "identitas.json"
_REMEMBERED_PATHS = 10


# -- whose backup ----------------------------------------------------------------------------


def file_label(kind: str | None, code: str | None) -> str:
    """The data file as a person names it: ``Desa Baros (36.04.22.2001)``.

    Used to label backups and in the refusal to restore another file's backup, so the
    secretary sees *which* villages are meant, not file names.
    """
    if not code:
        return _("a data file not set up yet")
    from kt_desktop import regions

    region = regions.full_name(code).split(", ")[0] if regions.get(code) else ""
    named = f"{region} ({code})" if region else code
    return _("receiver {name}").format(name=named) if kind == "receiver" else named


def counts_text(counts: dict[str, int]) -> str:
    """``Anggota 120, Kegiatan 14`` in the user's language (CLI lines and confirmations)."""
    from kt_desktop.services.audit import table_label

    return ", ".join(f"{table_label(table)} {number(count)}" for table, count in counts.items())


@dataclass(frozen=True, slots=True)
class FileIdentity:
    """Whose backups: the id a data file carries, with its kind and code."""

    kind: str | None
    code: str | None
    file_id: str

    @property
    def folder_name(self) -> str:
        """``<code>-<id>``; a crafted file's id or code cannot name another folder."""
        code = re.sub(r"[^0-9.]", "_", self.code or "") or "baru"
        file_id = self.file_id
        if not re.fullmatch(r"[0-9a-f]{32}", file_id):
            file_id = hashlib.sha256(file_id.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return f"{code.strip('.') or 'baru'}-{file_id}"

    @property
    def label(self) -> str:
        return file_label(self.kind, self.code)


def identity_of(data_file: Path) -> FileIdentity | None:
    """The identity ``data_file`` carries, read without writing it; None when unreadable
    (damaged, missing) or made before identities (not opened by this version yet)."""
    found = store_backup.read_identity(Path(data_file))
    if found is None or not found[2]:
        return None
    kind, code, file_id = found
    return FileIdentity(kind=kind, code=code, file_id=str(file_id))


def identity_folder(identity: FileIdentity, *, root: Path | None = None) -> Path:
    """The backup folder of one data file (not created here)."""
    return (root or paths.backup_dir()) / identity.folder_name


def _read_folder_identity(folder: Path) -> dict[str, object]:
    try:
        data = json.loads((folder / IDENTITY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _seen_paths(folder: Path) -> list[str]:
    """The paths the folder's data file was backed up from, newest first."""
    found = _read_folder_identity(folder).get("paths")
    return [p for p in found if isinstance(p, str)] if isinstance(found, list) else []


def _remember(folder: Path, identity: FileIdentity, data_file: Path) -> None:
    """Note in the folder whose backups it holds and where that file was last seen.

    The path is only a hint for one case: a data file too damaged to say its own id, whose
    backups must still be offered. It never decides where a backup goes.
    """
    known = _read_folder_identity(folder)
    seen = _seen_paths(folder)
    here = str(Path(data_file).resolve())
    seen = [here] + [p for p in seen if p != here]
    record = {
        "file_id": identity.file_id, "kind": identity.kind, "code": identity.code,
        "paths": seen[:_REMEMBERED_PATHS],
    }
    if record == known:
        return
    temp = folder / f".{IDENTITY_FILE}.{os.getpid()}.tmp"
    try:
        temp.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        paths.make_private(temp)
        os.replace(temp, folder / IDENTITY_FILE)
    except OSError:  # only a hint: a backup is never refused for it
        temp.unlink(missing_ok=True)


# -- names and dates -------------------------------------------------------------------------


def backup_name(stem: str, when: dt.datetime, kind: str = AUTO) -> str:
    tag = f"-{_BEFORE_RESTORE_TAG}" if kind == BEFORE_RESTORE else ""
    return f"{stem}{tag}-{when.strftime(_STAMP)}.sqlite"


def parse_backup_name(stem: str, name: str) -> tuple[str, dt.datetime] | None:
    """``(kind, local time)`` of a backup of the data file ``stem``, None for other files."""
    patterns = (
        (AUTO, rf"{re.escape(stem)}-(\d{{8}}-\d{{6}})\.sqlite", _STAMP),
        (BEFORE_RESTORE, rf"{re.escape(stem)}-{_BEFORE_RESTORE_TAG}-(\d{{8}}-\d{{6}})\.sqlite", _STAMP),
        # services/session.py names these in UTC: shown in local time.
        (BEFORE_MIGRATION, rf"{re.escape(stem)}-before-migration-(\d{{8}}T\d{{6}})\.sqlite", "%Y%m%dT%H%M%S"),
    )
    for kind, pattern, fmt in patterns:
        match = re.fullmatch(pattern, name)
        if match:
            try:
                when = dt.datetime.strptime(match.group(1), fmt)
            except ValueError:
                return None
            if kind == BEFORE_MIGRATION:
                when = when.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)
            return kind, when
    return None


def parse_any_backup_name(name: str) -> tuple[str, dt.datetime] | None:
    """``(kind, local time)`` of a backup name whatever its data file's name was.

    Inside a data file's own backup folder the name says nothing about whose it is (the
    folder does), so the file may have been renamed since without losing its backups.
    """
    for tag in (f"-{_BEFORE_RESTORE_TAG}-", "-before-migration-"):
        at = name.rfind(tag)
        if at > 0:
            return parse_backup_name(name[:at], name)
    match = re.fullmatch(r"(.+)-\d{8}-\d{6}\.sqlite", name)
    return parse_backup_name(match.group(1), name) if match else None


def retention_keep(
    stamps: Iterable[dt.datetime],
    *,
    daily: int = DAILY,
    weekly: int = WEEKLY,
    monthly: int = MONTHLY,
) -> set[dt.datetime]:
    """Which backups to keep: 7 daily, then 4 weekly, then 12 monthly (Borg's prune rules).

    Walking from the newest backup back, each rule keeps the newest backup of each period
    (calendar day, ISO week, calendar month) until it has kept its number. A backup already
    kept by an earlier rule does not count for a later one, so the weekly backups reach back
    beyond the daily ones and the monthly beyond the weekly: about a year of history in 23
    files. The newest backup is always kept.
    """
    ordered = sorted(set(stamps), reverse=True)
    kept: set[dt.datetime] = set()
    rules: tuple[tuple[Callable[[dt.datetime], tuple[int, ...]], int], ...] = (
        (lambda t: (t.year, t.month, t.day), daily),
        (lambda t: tuple(t.isocalendar()[:2]), weekly),
        (lambda t: (t.year, t.month), monthly),
    )
    for period_of, count in rules:
        seen: set[tuple[int, ...]] = set()
        added = 0
        for stamp in ordered:
            if added >= count:
                break
            period = period_of(stamp)
            if period in seen:
                continue
            seen.add(period)
            if stamp not in kept:
                kept.add(stamp)
                added += 1
    if ordered:
        kept.add(ordered[0])
    return kept


# -- listing ---------------------------------------------------------------------------------


@dataclass(slots=True)
class BackupInfo:
    path: Path
    created: dt.datetime
    kind: str
    size: int
    ok: bool | None = None  # None: not checked
    problem: str | None = None
    schema_version: int = 0
    file_kind: str | None = None
    code: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    sha256: str | None = None
    file_id: str | None = None
    #: False when the data file is read-only, so the backup could not be noted in its log.
    recorded: bool = True

    @property
    def label(self) -> str:
        return _(KIND_LABELS.get(self.kind, KIND_LABELS[OTHER]))

    @property
    def owner(self) -> str:
        """Whose backup, in words: ``Desa Baros (36.04.22.2001)``."""
        return file_label(self.file_kind, self.code)


def _counted_tables() -> list[str]:
    """``kt-desktop check``'s counted tables (imported when needed: the start-up's open check
    does not count, and the check module loads sqlite-utils)."""
    from kt_desktop.services.check import COUNTED_TABLES

    return COUNTED_TABLES


def _info(
    path: Path, kind: str, created: dt.datetime, *, verify: bool, quick: bool = True,
    identity: FileIdentity | None = None,
) -> BackupInfo:
    info = BackupInfo(path=path, created=created, kind=kind, size=path.stat().st_size)
    if identity is not None:
        info.file_kind, info.code, info.file_id = identity.kind, identity.code, identity.file_id
    if verify:
        report = store_backup.inspect(path, tables=_counted_tables(), quick=quick)
        info.ok = report.ok and report.schema_version <= migrations.latest_version()
        info.problem = report.problem or (None if info.ok else "newer_schema")
        info.schema_version = report.schema_version
        if report.ok:
            info.file_kind, info.code = report.kind, report.code
            info.file_id = report.file_id or info.file_id
        info.counts = report.counts
    return info


def describe_file(path: Path, *, quick: bool = False) -> BackupInfo:
    """A backup file picked by hand (e.g. from a flash drive), checked."""
    path = Path(path)
    if not path.is_file():
        raise DataFileError(_("Backup file {path} does not exist.").format(path=path), code="missing")
    created = dt.datetime.fromtimestamp(path.stat().st_mtime)
    return _info(path, OTHER, created, verify=True, quick=quick)


def _folder_backups(folder: Path, identity: FileIdentity | None, *, verify: bool) -> list[BackupInfo]:
    """Every backup in one data file's own folder."""
    found = []
    if folder.is_dir():
        for path in folder.glob("*.sqlite"):
            parsed = parse_any_backup_name(path.name)
            if parsed is not None and path.is_file():
                found.append(_info(path, parsed[0], parsed[1], verify=verify, identity=identity))
    return found


def _folder_identity(folder: Path) -> FileIdentity | None:
    """Whose folder: its ``identitas.json``, else its name (a folder the pre-migration copy
    made before any backup had written the file)."""
    known = _read_folder_identity(folder)
    file_id = known.get("file_id")
    if not isinstance(file_id, str):
        named = re.fullmatch(r"(.+)-([0-9a-f]{32})", folder.name)
        if named is None or named.group(1) == "baru":
            return None
        code = named.group(1)
        return FileIdentity(
            kind="village" if code.count(".") == 3 else "receiver", code=code,
            file_id=named.group(2),
        )
    kind, code = known.get("kind"), known.get("code")
    return FileIdentity(
        kind=kind if isinstance(kind, str) else None,
        code=code if isinstance(code, str) else None,
        file_id=file_id,
    )


def _identity_folders(root: Path) -> list[tuple[Path, FileIdentity | None]]:
    return [(folder, _folder_identity(folder)) for folder in sorted(root.iterdir()) if folder.is_dir()]


def _legacy_backups(
    root: Path, stem: str | None, identity: FileIdentity | None, *, verify: bool
) -> list[BackupInfo]:
    """Backups made before identities: in ``root`` itself, named after their data file.

    With ``stem`` those named after that file whose village (or id) is ``identity``'s (or
    whose village cannot be read: a damaged backup is shown, marked); without, all of them.
    """
    found = []
    for path in root.glob(f"{stem}-*.sqlite" if stem else "*.sqlite"):
        parsed = parse_backup_name(stem, path.name) if stem else parse_any_backup_name(path.name)
        if parsed is None or not path.is_file():
            continue
        if stem and identity is not None:
            theirs = store_backup.read_identity(path)
            if theirs is not None and theirs[0] is not None:
                kind, code, file_id = theirs
                same = file_id == identity.file_id if file_id else (kind, code) == (
                    identity.kind, identity.code
                )
                if not same:
                    continue
        found.append(_info(path, parsed[0], parsed[1], verify=verify))
    return found


def list_backups(
    data_file: Path, *, verify: bool = True, folder: Path | None = None, everything: bool = False
) -> list[BackupInfo]:
    """Backups of ``data_file`` (``everything``: of every data file), newest first.

    ``verify`` checks each (quick_check), which reads every backup: call it from a worker,
    not the GUI thread. ``folder`` replaces the backup folder (tests). A data file that
    cannot say who it is (damaged, missing) gets the backups of the folders that saw it at
    this path, and the old-style backups named after it.
    """
    root = folder or paths.backup_dir()
    data_file = Path(data_file)
    found: list[BackupInfo] = []
    if everything:
        for sub, identity in _identity_folders(root):
            found += _folder_backups(sub, identity, verify=verify)
        found += _legacy_backups(root, None, None, verify=verify)
    else:
        identity = identity_of(data_file)
        if identity is not None:
            found += _folder_backups(identity_folder(identity, root=root), identity, verify=verify)
        elif root.is_dir():
            here = str(data_file.resolve())
            for sub, known in _identity_folders(root):
                if here in _seen_paths(sub):
                    found += _folder_backups(sub, known, verify=verify)
        found += _legacy_backups(root, data_file.stem, identity, verify=verify)
    found.sort(key=lambda info: info.created, reverse=True)
    return found


def newest_good_backup(data_file: Path) -> BackupInfo | None:
    """The newest backup that passes its check and this program can open."""
    return next((info for info in list_backups(data_file) if info.ok), None)


# -- taking backups --------------------------------------------------------------------------


def _actor(db: object) -> str:
    from kt_desktop.store import profile as profile_store

    profile = profile_store.load(db)  # type: ignore[arg-type]
    if profile and profile.sekretaris.strip():
        return profile.sekretaris.strip()
    return _("Secretary")


def _record(path: Path, action: str, detail: str) -> None:
    """Append an audit line to the data file at ``path`` (its own short transaction)."""
    with store_backup.disk_errors(path.parent):
        db = connection.connect(path)
        try:
            with db.atomic():
                audit.record(db, action, None, None, actor=_actor(db), detail=detail)
        finally:
            db.close()


def writable(data_file: Path) -> bool:
    """Whether the data file (and its folder, for SQLite's side files) can be written.

    Asked before anything is written, so that a restore onto a read-only file is refused
    before its safety copy, not halfway with "Operation not permitted" (issue 14).
    """
    data_file = Path(data_file)
    folder = data_file.parent if str(data_file.parent) else Path(".")
    if not os.access(folder, os.W_OK):
        return False
    return connection.can_write(data_file) if data_file.exists() else True


def _refuse_unsound(data_file: Path) -> store_backup.FileReport:
    report = store_backup.inspect(data_file, tables=_counted_tables(), quick=True)
    if not report.ok:
        tail = (
            "" if report.problem in ("missing", "folder")
            else " " + _("It was not backed up, so that the good backups are kept.")
        )
        raise DataFileError(
            problem_message(report.problem or "damaged", data_file) + tail,
            code=report.problem or "damaged",
        )
    return report


def take_backup(
    data_file: Path,
    *,
    folder: Path | None = None,
    kind: str = AUTO,
    now: dt.datetime | None = None,
    record: bool = True,
) -> BackupInfo:
    """Back up ``data_file`` now into ``folder`` (default: the file's own backup folder).

    Checked. Automatic backups are pruned afterwards (only once the new one is safely
    written), among this data file's own. The audit log of ``data_file`` records the backup;
    a read-only data file is still backed up (a copy harms nothing) but cannot record it,
    which ``recorded`` says.
    """
    data_file = Path(data_file)
    report = _refuse_unsound(data_file)
    now = now or clock.local_now()
    identity = (
        FileIdentity(kind=report.kind, code=report.code, file_id=report.file_id)
        if report.file_id else None
    )
    if folder is not None:
        target_folder = folder
    elif identity is not None:
        target_folder = identity_folder(identity)
    else:  # a file this version has not opened yet: the old place, found by name and village
        target_folder = paths.backup_dir()
    with store_backup.disk_errors(target_folder):
        target_folder.mkdir(parents=True, exist_ok=True)
    if folder is None and identity is not None:
        _remember(target_folder, identity, data_file)
    dest = target_folder / backup_name(data_file.stem, now, kind)
    digest = store_backup.snapshot(data_file, dest)
    if kind == AUTO and folder is None:
        prune(data_file)
    recorded = record and writable(data_file)
    if recorded:
        _record(data_file, "backup", str(dest))
    info = BackupInfo(
        path=dest, created=now, kind=kind, size=dest.stat().st_size, ok=True,
        schema_version=report.schema_version, file_kind=report.kind, code=report.code,
        counts=report.counts, sha256=digest, file_id=report.file_id, recorded=recorded or not record,
    )
    log.info("backup written: %s", dest)
    return info


def prune(data_file: Path, *, folder: Path | None = None) -> list[Path]:
    """Delete the automatic backups of this data file that :func:`retention_keep` does not keep.

    Only the file's own folder is pruned: another file's backups, and the old-style ones made
    before identities, are never counted or deleted here.
    """
    identity = identity_of(data_file)
    if identity is None:
        return []
    own = identity_folder(identity, root=folder)
    backups = [b for b in _folder_backups(own, identity, verify=False) if b.kind == AUTO]
    keep = retention_keep(b.created for b in backups)
    removed = []
    for info in backups:
        if info.created not in keep:
            info.path.unlink(missing_ok=True)
            removed.append(info.path)
    return removed


def auto_backup(
    data_file: Path, *, on_close: bool = False, now: dt.datetime | None = None
) -> BackupInfo | None:
    """The automatic backup; None when none was due.

    Due when there is no automatic backup yet, or the file changed since the newest one and
    either the program is closing or that backup is 24 hours old. A file that fails its
    check is never backed up over good backups (it raises).
    """
    data_file = Path(data_file)
    now = now or clock.local_now()
    autos = [b for b in list_backups(data_file, verify=False) if b.kind == AUTO]
    if autos:
        newest = autos[0]
        try:
            changed = store_backup.change_mark(data_file) != store_backup.change_mark(newest.path)
        except Exception:
            changed = True
        if not changed or (not on_close and now - newest.created < AUTO_INTERVAL):
            return None
    return take_backup(data_file, now=now)


# -- flash drive -----------------------------------------------------------------------------


def _drop_from_cache(path: Path) -> None:
    """Ask the OS to forget its cached copy so the read-back comes from the drive itself."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        advise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def backup_to_drive(data_file: Path, folder: Path, *, now: dt.datetime | None = None) -> BackupInfo:
    """"Cadangkan ke Flashdisk": a checked backup written to ``folder`` and read back.

    Write temporary, fsync, rename (:func:`~kt_desktop.store.backup.snapshot`), then drop the
    file from the OS cache and compare its SHA-256 read back from the drive. A mismatch or a
    read error means the drive lied or failed: the file is removed and the secretary told to
    use another drive. Disk full on the drive is a :class:`~kt_desktop.store.backup.DiskError`
    and leaves nothing behind.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise KtError(
            _("Folder {folder} is not available. Is the flash drive plugged in?").format(
                folder=folder
            ),
            code="no_drive",
        )
    info = take_backup(data_file, folder=folder, kind=AUTO, now=now, record=False)
    info.kind = DRIVE
    try:
        _drop_from_cache(info.path)
        ok = store_backup.sha256_of(info.path) == info.sha256 and not store_backup.integrity_problems(
            info.path
        )
    except OSError as exc:
        translated = store_backup.disk_error(exc, folder)
        if translated is None:
            raise
        raise translated from exc
    if not ok:
        info.path.unlink(missing_ok=True)
        raise KtError(
            _(
                "The backup on {folder} read back differently from what was written: the drive "
                "may be failing. The file was removed; use another flash drive."
            ).format(folder=folder),
            code="verify_failed",
        )
    info.recorded = writable(Path(data_file))
    if info.recorded:
        _record(Path(data_file), "backup", str(info.path))
    return info


# -- checking on open ------------------------------------------------------------------------

_PROBLEMS = {
    "missing": N_("Data file {path} does not exist."),
    "folder": N_(
        "{path} is a folder, not a data file. Give the data file itself (the .sqlite file) "
        "with --data."
    ),
    "empty": N_("Data file {path} is empty (0 bytes): its contents were lost."),
    "not_sqlite": N_(
        "Data file {path} is not a KT Desktop data file, or its beginning was overwritten."
    ),
    "truncated": N_(
        "Data file {path} is cut short: part of it is missing, perhaps because the power went "
        "off or a flash drive was pulled out while it was being saved."
    ),
    "damaged": N_("Data file {path} is damaged: its contents failed SQLite's check."),
    "not_kt_file": N_("{path} is an SQLite database of another program, not a KT Desktop data file."),
    "newer_schema": N_("{path} was made by a newer KT Desktop; update the program to open it."),
}


def problem_message(problem: str, path: Path) -> str:
    return _(_PROBLEMS.get(problem, _PROBLEMS["damaged"])).format(path=path)


@dataclass(slots=True)
class OpenCheck:
    """The verdict on the data file before the program opens it."""

    path: Path
    report: store_backup.FileReport
    location: Location
    newest_good: BackupInfo | None = None
    #: False when the page-by-page check was left for after the window opened (large files).
    deep: bool = True

    @property
    def ok(self) -> bool:
        return self.report.ok

    @property
    def message(self) -> str:
        return "" if self.ok else problem_message(self.report.problem or "damaged", self.path)


#: Files larger than this get their ``quick_check`` after the window opens (it reads every
#: page: ~40 ms for 16 MB, 210 ms for a village of 100,000 members, ~3 s for a receiver's
#: 1.7 GB); the GUI runs it first on the writer thread, so no write precedes it. Below it the
#: check costs too little to be worth a window that might close again.
DEEP_CHECK_LIMIT = 16 * 1024 * 1024


def check_on_open(data_file: Path, *, deep: bool | None = None) -> OpenCheck:
    """``quick_check`` the data file without writing it; when it fails, find the newest good backup.

    A missing file is not judged here (the set-up wizard handles a first start); it reports
    ``missing`` like any other problem, so the caller decides. ``deep`` None: the full check
    for files up to :data:`DEEP_CHECK_LIMIT`, header/truncation/schema only above it.
    """
    data_file = Path(data_file)
    if deep is None:
        try:
            deep = data_file.stat().st_size <= DEEP_CHECK_LIMIT
        except OSError:
            deep = True
    report = store_backup.inspect(data_file, quick=True, deep=deep)
    result = OpenCheck(path=data_file, report=report, location=classify(data_file), deep=deep)
    if not report.ok:
        result.newest_good = newest_good_backup(data_file)
    return result


# -- restoring -------------------------------------------------------------------------------


@dataclass(slots=True)
class RestoreResult:
    path: Path
    backup: Path
    safety_copy: Path | None  # the current file backed up first
    set_aside: Path | None  # the damaged current file, renamed
    counts: dict[str, int]


def _full_check(backup: Path) -> store_backup.FileReport:
    report = store_backup.inspect(backup, tables=_counted_tables(), quick=False)
    if report.problem == "missing":
        raise DataFileError(_("Backup file {path} does not exist.").format(path=backup), code="missing")
    if not report.ok:
        # SQLite's own line ("database disk image is malformed") is English and says no more
        # than "damaged": it goes to the log, the secretary gets the sentence.
        log.info("backup %s refused: %s %s", backup, report.problem, report.problems[:3])
        raise DataFileError(
            _("Backup {path} is damaged and cannot be restored. Choose another backup.")
            .format(path=backup.name),
            code="backup_damaged",
        )
    if report.schema_version > migrations.latest_version():
        raise DataFileError(
            _("Backup {path} was made by a newer KT Desktop; update the program first.").format(
                path=backup.name
            ),
            code="newer_schema",
        )
    if report.kind is None:
        raise DataFileError(
            _("Backup {path} holds a data file that was never set up; choose another backup.")
            .format(path=backup.name),
            code="not_set_up",
        )
    return report


def _refuse_other_file(
    backup: Path, found: tuple[str | None, str | None], current: tuple[str | None, str | None]
) -> None:
    """Refuse a backup of another village (or kind of file), naming both villages."""
    if found != current:
        raise DataFileError(
            _(
                "Backup {path} belongs to the data file of {found}; this file is that of "
                "{current}. Nothing was changed; choose a backup of {current}."
            ).format(path=backup.name, found=file_label(*found), current=file_label(*current)),
            code="other_file",
        )


def check_belongs(data_file: Path, info: BackupInfo) -> None:
    """Before asking "restore?": refuse at once a checked backup of another village.

    A data file that cannot say who it is (damaged, missing) takes any sound backup, as
    :func:`restore` does.
    """
    current = store_backup.read_identity(Path(data_file))
    if current is not None and current[0] is not None:
        _refuse_other_file(info.path, (info.file_kind, info.code), (current[0], current[1]))


def restore(data_file: Path, backup: Path, *, now: dt.datetime | None = None) -> RestoreResult:
    """Replace ``data_file`` with a copy of ``backup``. Every connection to it must be closed.

    Order: check the backup fully; back up the current file (or rename it aside when it is
    damaged — never written); install the copy (stale ``-wal``/``-shm`` removed); bring its
    schema up to date; record the restore in its audit log. A backup of another village or
    of a receiver file is refused while the current file is sound.
    """
    from kt_desktop.services.session import open_session

    data_file, backup = Path(data_file), Path(backup)
    now = now or clock.local_now()
    if data_file.exists() and backup.resolve() == data_file.resolve():
        raise KtError(_("That is the data file itself, not a backup."), code="same_file")
    if data_file.is_dir():
        raise DataFileError(problem_message("folder", data_file), code="folder")
    wanted = _full_check(backup)
    if not writable(data_file):
        # Refused before the safety copy: nothing is written for a restore that cannot happen.
        raise DataFileError(
            _(
                "Data file {path} is read-only, so the backup cannot be put in its place. "
                "Nothing was changed. Make the file and its folder writable (or copy it to a "
                "folder you can write to), then restore again."
            ).format(path=data_file),
            code="read_only",
        )
    current = store_backup.inspect(data_file, quick=True)
    safety: Path | None = None
    aside: Path | None = None
    if current.ok:
        _refuse_other_file(backup, (wanted.kind, wanted.code), (current.kind, current.code))
        safety = take_backup(data_file, kind=BEFORE_RESTORE, now=now, record=False).path
    elif current.problem != "missing":
        aside = store_backup.set_aside(data_file, f".rusak-{now.strftime(_STAMP)}")
    used_seq, epoch = _exchange_marks(*(p for p in (data_file, aside, backup) if p is not None))
    store_backup.install(backup, data_file)
    session = open_session(data_file)
    try:
        db = session.db()
        with store_backup.disk_errors(data_file.parent), db.atomic():
            if session.is_village:
                # The restored file forgets the bundles made since the backup: never reuse
                # their numbers, and make the next bundle a full one (issue 24).
                from kt_desktop.store import bundles as bundle_store

                bundle_store.carry_over_after_restore(db, used_seq=used_seq, epoch=epoch + 1)
            # Written in the secretary's language: the log is read in Pengaturan.
            detail = _("from {backup}").format(backup=backup)
            if aside is not None:
                detail += "; " + _("damaged file kept as {aside}").format(aside=aside.name)
            audit.record(db, "restore", None, None, actor=session.actor(), detail=detail)
    finally:
        session.close()
    log.info("restored %s from %s", data_file, backup)
    return RestoreResult(
        path=data_file, backup=backup, safety_copy=safety, set_aside=aside, counts=wanted.counts
    )


def _exchange_marks(*files: Path) -> tuple[int, int]:
    """The highest bundle number used and the restore epoch over ``files``."""
    from kt_desktop.store import bundles as bundle_store

    marks = [bundle_store.exchange_marks_of(path) for path in files]
    return max(m[0] for m in marks), max(m[1] for m in marks)


def restore_open_session(session: object, backup: Path) -> RestoreResult:
    """Restore the file of an open :class:`~kt_desktop.services.session.Session`.

    Closes every connection of the session (the last close checkpoints the WAL), restores,
    and re-reads the session's kind and code. Pages must reload their data afterwards.
    """
    from kt_desktop.services.session import Session

    assert isinstance(session, Session)
    session.close()
    result = restore(session.path, backup)
    session.refresh()
    return result
