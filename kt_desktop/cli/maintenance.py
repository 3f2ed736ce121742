"""``backup``, ``backups``, ``restore`` and ``pin-reset``: the headless side of issue 8.

``check`` lives in :mod:`kt_desktop.cli.setup_commands`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kt_desktop.cli import CliRefusal, action, data_path, data_session, emit
from kt_desktop.domain.formats import date_short
from kt_desktop.i18n import _


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    backup = action(subparsers, common, "backup", _("write a checked backup of the data file"),
                    _backup)
    backup.add_argument(
        "--out", metavar="DIR", default=None,
        help=_("folder for the backup (default: the automatic backups folder)"),
    )

    listing = action(subparsers, common, "backups", _("list the backups of the data file"),
                     _backups)
    listing.add_argument(
        "--all", action="store_true", dest="all_files",
        help=_("list the backups of every data file, each labelled with its village"),
    )

    restore = action(
        subparsers, common, "restore",
        _("replace the data file with a backup (the current file is backed up first)"), _restore,
    )
    restore.add_argument("file", metavar="FILE", help=_("the backup file to restore"))
    reset = action(subparsers, common, "pin-reset",
                   _("remove a forgotten PIN from the data file"), _pin_reset)
    for confirmed in (restore, reset):
        confirmed.add_argument(
            "--yes", action="store_true", help=_("do it without asking (needed in scripts)")
        )


def _backup(args: argparse.Namespace) -> int:
    from kt_desktop.services import backups

    path = data_path(args)
    out = Path(args.out).expanduser() if args.out else None
    if out is not None and not out.is_dir():
        raise CliRefusal(_("Folder {folder} does not exist.").format(folder=out))
    info = backups.take_backup(path, folder=out)
    lines = [_("Backup written and checked: {path}").format(path=info.path)]
    if info.counts:
        lines.append(f"  {backups.counts_text(info.counts)}")
    if not info.recorded:
        lines.append(
            _("  The data file is read-only, so this backup is not noted in its activity log.")
        )
    emit(
        args,
        {
            "path": str(info.path), "sha256": info.sha256, "size": info.size,
            "counts": info.counts, "recorded": info.recorded,
        },
        lines,
    )
    return 0


def _backups(args: argparse.Namespace) -> int:
    from kt_desktop.services import backups

    found = backups.list_backups(data_path(args), everything=args.all_files)
    good, damaged = _("GOOD"), _("DAMAGED")
    width = max(len(good), len(damaged))
    lines = [
        f"{info.created:%Y-%m-%d %H:%M}  {(good if info.ok else damaged):<{width}}  "
        f"{info.label:<18} {info.owner}  {info.path}  {backups.counts_text(info.counts)}"
        for info in found
    ] or [_("No backups yet.")]
    emit(
        args,
        {
            "backups": [
                {
                    "path": str(info.path), "created": info.created.isoformat(),
                    "kind": info.kind, "ok": info.ok, "problem": info.problem,
                    "size": info.size, "counts": info.counts, "file_kind": info.file_kind,
                    "code": info.code, "owner": info.owner,
                }
                for info in found
            ]
        },
        lines,
    )
    return 0


def _restore(args: argparse.Namespace) -> int:
    from kt_desktop.services import backups

    path = data_path(args)  # its lock is held by cli.run, as for every command that writes
    backup = Path(args.file).expanduser()
    chosen = backups.describe_file(backup, quick=False)
    if not chosen.ok:
        raise CliRefusal(
            _("Backup {path} is damaged and cannot be restored. Choose another backup.").format(
                path=backup
            )
        )
    backups.check_belongs(path, chosen)
    if not args.yes:
        raise CliRefusal(
            _(
                "This replaces {path} with the backup of {date} ({counts}). "
                "Run again with --yes to do it."
            ).format(
                path=path, date=date_short(chosen.created.date()),
                counts=backups.counts_text(chosen.counts),
            )
        )
    result = backups.restore(path, backup)
    lines = [_("Restored {path} from {backup}.").format(path=result.path, backup=result.backup)]
    if result.safety_copy:
        lines.append(_("  The file as it was is kept in {copy}.").format(copy=result.safety_copy))
    if result.set_aside:
        lines.append(_("  The damaged file is kept as {aside}.").format(aside=result.set_aside))
    emit(
        args,
        {
            "path": str(result.path), "backup": str(result.backup),
            "safety_copy": str(result.safety_copy) if result.safety_copy else None,
            "set_aside": str(result.set_aside) if result.set_aside else None,
            "counts": result.counts,
        },
        lines,
    )
    return 0


def _pin_reset(args: argparse.Namespace) -> int:
    from kt_desktop.services import pin

    if not args.yes:
        raise CliRefusal(_("This removes the PIN of {path}. Run again with --yes to do it.").format(
            path=data_path(args)
        ))
    with data_session(args) as session:
        had_pin = pin.is_set(session)
        if had_pin:
            pin.reset_pin(session)
    message = _("The PIN was removed.") if had_pin else _("This data file had no PIN.")
    emit(args, {"removed": had_pin}, [message])
    return 0
