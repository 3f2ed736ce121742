"""``kt-desktop members import|export``: the member register without the GUI.

    kt-desktop members import FILE [--dry-run] [--update-existing|--skip-existing] [--rejects OUT]
                                   [--age-range|--all-ages] [--consents OUT]
    kt-desktop members export FILE [--separator ';'] [--reveal-nik]

Import prints the summary (``--json``: counts and every refused row with its reason) and
exits 0 once the file was read, even if some rows were refused (they are in the summary and,
with ``--rejects``, in a file to fix); a file that cannot be read, has an unknown format or no
name column exits 1 with one line.
"""

from __future__ import annotations

import argparse

from kt_desktop.cli import data_session, emit
from kt_desktop.i18n import _


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    members = subparsers.add_parser(
        "members", parents=[common], help=_("import or export the member register")
    )
    actions = members.add_subparsers(dest="members_action", metavar=_("ACTION"))

    load = actions.add_parser(
        "import", parents=[common], help=_("import members from an .xlsx or .csv file")
    )
    load.add_argument("file", metavar="FILE", help=_("the .xlsx or .csv file"))
    load.add_argument("--dry-run", action="store_true",
                      help=_("check every row and print the summary, but change nothing"))
    existing = load.add_mutually_exclusive_group()
    existing.add_argument("--update-existing", dest="existing", action="store_const",
                          const="update", help=_("update members whose NIK is already registered (the default for an OpenSID resident list)"))
    existing.add_argument("--skip-existing", dest="existing", action="store_const",
                          const="skip", help=_("leave members whose NIK is already registered (the default for other lists)"))
    load.add_argument("--rejects", metavar="OUT",
                      help=_("write the refused rows with their reason to this .xlsx or .csv file"))
    ages = load.add_mutually_exclusive_group()
    ages.add_argument("--age-range", dest="age_filter", action="store_const", const=True,
                      help=_("the file lists residents: take only those within the member age "
                             "range (default for OpenSID files and lists of all ages)"))
    ages.add_argument("--all-ages", dest="age_filter", action="store_const", const=False,
                      help=_("take every row whatever the age (a list of members, not residents)"))
    load.add_argument("--consents", metavar="OUT",
                      help=_("write the residents under 18 who need a parent's or guardian's "
                             "consent to this .xlsx or .csv file, to fill in and import again"))
    load.set_defaults(handler=_import, existing=None, age_filter=None)

    save = actions.add_parser(
        "export", parents=[common], help=_("export the member register to an .xlsx or .csv file")
    )
    save.add_argument("file", metavar="FILE", help=_("the .xlsx or .csv file to write"))
    save.add_argument("--separator", choices=(",", ";"), default=";",
                      help=_("CSV separator (default ; for Indonesian Excel)"))
    save.add_argument("--reveal-nik", action="store_true",
                      help=_("write full NIKs instead of the last 4 digits (kept in the audit log)"))
    save.set_defaults(handler=_export)
    members.set_defaults(handler=lambda _args: _usage(members))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _import(args: argparse.Namespace) -> int:
    from kt_desktop.services import member_import

    with data_session(args) as session:
        summary = member_import.run(
            session, args.file, existing=args.existing, dry_run=args.dry_run,
            rejects_to=args.rejects, consents_to=args.consents, age_filter=args.age_filter,
        )
    lines = [
        (_("Checked {file} (nothing was changed):") if summary.dry_run else _("Imported {file}:"))
        .format(file=summary.file),
        _("  rows: {count}").format(count=summary.rows),
        _("  new members: {count}").format(count=summary.created),
        _("  updated: {count}").format(count=summary.updated),
        _("  skipped (already registered): {count}").format(count=summary.skipped),
        _("  refused: {count}").format(count=summary.rejected),
    ]
    if summary.out_of_range or summary.needs_consent:
        lines += [
            _("  outside the age range (di luar rentang umur): {count}").format(count=summary.out_of_range),
            _("  need a parent's or guardian's consent (perlu persetujuan orang tua/wali): {count}")
            .format(count=summary.needs_consent),
        ]
    lines += [f"  {note}" for note in summary.notes]
    if summary.ignored_columns:
        lines.append(_("  columns not imported: {names}").format(names=", ".join(summary.ignored_columns)))
    if summary.aged_out:
        lines.append(_("  members now outside the age range (decide whether they leave): {names}")
                     .format(names=", ".join(summary.aged_out)))
    if summary.absent:
        lines.append(_("  members not in this file (moved away? decide whether they leave): {names}")
                     .format(names=", ".join(summary.absent)))
    lines += [_("  row {line}: {reason}").format(line=rows, reason=reason)
              for rows, reason in summary.grouped_problems()]
    if summary.rejects_file:
        lines.append(_("Refused rows written to {file}").format(file=summary.rejects_file))
    if summary.consents_file:
        lines.append(_("Residents who need consent written to {file}: fill in the consent columns "
                       "and import that file again").format(file=summary.consents_file))
    emit(args, summary.as_dict(), lines)
    return 0


def _export(args: argparse.Namespace) -> int:
    from kt_desktop.services import member_export

    with data_session(args) as session:
        summary = member_export.export(
            session, args.file, separator=args.separator, reveal_nik=args.reveal_nik
        )
    emit(
        args,
        {"path": str(summary.path), "rows": summary.rows, "nik_revealed": summary.nik_revealed,
         "warning": summary.warning},
        [_("Wrote {count} members to {file}").format(count=summary.rows, file=summary.path),
         *([summary.warning] if summary.warning else [])],
    )
    return 0
