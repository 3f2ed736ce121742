"""``receipt make|import|resend``, ``notice make|import|apply`` (issue 21, docs/RECEIPTS.md).

``bundle forward`` (the kabupaten relay) sits with the other ``bundle`` actions in
:mod:`kt_desktop.cli.bundles`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kt_desktop.cli import emit, iso_date
from kt_desktop.cli.bundles import _session, _usage
from kt_desktop.i18n import _


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    receipt = subparsers.add_parser(
        "receipt", parents=[common], help=_("receipts (tanda terima) of the bundles received")
    )
    actions = receipt.add_subparsers(dest="receipt_command", metavar=_("ACTION"))
    receipt.set_defaults(handler=_usage(receipt))
    make = actions.add_parser(
        "make", parents=[common], help=_("receiver: write a signed receipt per village")
    )
    make.add_argument("--out", required=True, metavar="DIR", help=_("folder or USB drive"))
    make.add_argument("--village", metavar="CODE", help=_("only this village (e.g. 36.04.22.2001)"))
    make.add_argument(
        "--email", action="store_true", help=_("also write an e-mail reply draft (.eml) per village")
    )
    make.set_defaults(handler=_make)
    imports = actions.add_parser(
        "import", parents=[common], help=_("village: import a receipt (.ktr or the .eml it came in)")
    )
    imports.add_argument("file", metavar="FILE")
    imports.set_defaults(handler=_import)
    resend = actions.add_parser(
        "resend", parents=[common], help=_("village: send the bundles the receipt lists as missing")
    )
    resend.add_argument("--out", metavar="DIR", help=_("folder or USB drive"))
    resend.add_argument("--email", action="store_true", help=_("also write e-mail drafts (.eml)"))
    resend.set_defaults(handler=_resend)

    notice = subparsers.add_parser(
        "notice", parents=[common], help=_("notices and reference updates from the receiver")
    )
    notice_actions = notice.add_subparsers(dest="notice_command", metavar=_("ACTION"))
    notice.set_defaults(handler=_usage(notice))
    nmake = notice_actions.add_parser(
        "make", parents=[common], help=_("receiver: write a signed notice for the villages")
    )
    nmake.add_argument("--title", required=True, metavar="T")
    nmake.add_argument("--text", required=True, metavar="FILE", help=_("a text file with the notice"))
    nmake.add_argument("--attach", nargs="+", default=[], metavar="F", help=_("files to attach"))
    nmake.add_argument("--out", required=True, metavar="DIR", help=_("folder or USB drive"))
    nmake.add_argument("--add-activity-kind", action="append", default=[], metavar="NAME")
    nmake.add_argument("--add-skill", action="append", default=[], metavar="NAME")
    nmake.add_argument("--age-rule", metavar="MIN-MAX", help=_("the member age range, e.g. 16-30"))
    nmake.add_argument("--basis", metavar="TEXT", help=_("the legal basis of the age rule"))
    nmake.add_argument("--from", dest="start", type=iso_date, metavar="YYYY-MM-DD",
                       help=_("the day the age rule is in force from"))
    nmake.set_defaults(handler=_notice_make)
    nimport = notice_actions.add_parser(
        "import", parents=[common], help=_("village: import a notice (.ktr or .eml)")
    )
    nimport.add_argument("file", metavar="FILE")
    nimport.set_defaults(handler=_notice_import)
    napply = notice_actions.add_parser(
        "apply", parents=[common], help=_("village: apply a notice's reference updates")
    )
    napply.add_argument("number", type=int, metavar="NUMBER")
    napply.add_argument("--dismiss", action="store_true", help=_("set them aside instead"))
    napply.set_defaults(handler=_notice_apply)


def _make(args: argparse.Namespace) -> int:
    from kt_desktop.services import receipts

    with _session(args) as session:
        made = receipts.make_receipts(session, Path(args.out), village=args.village,
                                      email=args.email)
    lines = []
    for item in made:
        line = f"{item.path}"
        if item.missing:
            line += " — " + _("bundles {seqs} missing").format(seqs=receipts.spans(item.missing))
        lines.append(line)
    if not made:
        lines.append(_("No village has sent a bundle yet; no receipt was written."))
    emit(args, {"receipts": [item.as_dict() for item in made]}, lines)
    return 0


def _import(args: argparse.Namespace) -> int:
    from kt_desktop.services import receipts

    with _session(args) as session:
        result = receipts.import_receipt(session, Path(args.file))
    lines = [result.status.text()]
    if result.already:
        lines.insert(0, _("This receipt was imported before; nothing changed."))
    if result.status.to_resend:
        lines.append(_("Send them again: kt-desktop receipt resend --out DIR"))
    emit(args, result.as_dict(), lines)
    return 0


def _resend(args: argparse.Namespace) -> int:
    from kt_desktop.services import receipts

    with _session(args) as session:
        result = receipts.resend_missing(session, Path(args.out) if args.out else None,
                                         email=args.email)
    lines = [str(path) for path in result.paths]
    if result.full is not None:
        lines.append(_("A full bundle ({seq}) replaces the missing ones.").format(
            seq=result.full.seq))
    emit(args, result.as_dict(), lines)
    return 0


def _notice_make(args: argparse.Namespace) -> int:
    from kt_desktop.cli import CliRefusal
    from kt_desktop.services import notices

    try:
        text = Path(args.text).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliRefusal(_("{file} cannot be read as text (UTF-8).").format(file=args.text)) from exc
    updates = [notices.value_update(notices.ACTIVITY_KIND, name) for name in args.add_activity_kind]
    updates += [notices.value_update(notices.SKILL, name) for name in args.add_skill]
    if args.age_rule:
        low, sep, high = args.age_rule.partition("-")
        if not sep or not low.strip().isdigit() or not high.strip().isdigit() or not args.basis \
                or args.start is None:
            raise CliRefusal(_(
                "--age-rule needs MIN-MAX (e.g. 16-30) with --basis and --from YYYY-MM-DD."
            ))
        updates.append(notices.age_rule_update(int(low), int(high), args.basis, args.start))
    with _session(args) as session:
        made = notices.make_notice(session, title=args.title, text=text, out_dir=Path(args.out),
                                   attachments=[Path(name) for name in args.attach],
                                   updates=updates)
    emit(args, made.as_dict(), [str(made.path)])
    return 0


def _notice_lines(notice: object) -> list[str]:
    from kt_desktop.services import notices

    data = notices.notice_dict(notice)  # type: ignore[arg-type]
    lines = [f"{data['sender']}: {data['title']}", str(data["text"])]
    lines += [f"- {text}" for text in data["updates"]]  # type: ignore[union-attr]
    lines += [_("Attachment: {name}").format(name=name) for name in data["attachments"]]  # type: ignore[union-attr]
    return lines


def _notice_import(args: argparse.Namespace) -> int:
    from kt_desktop.services import notices

    with _session(args) as session:
        result = notices.import_notice(session, Path(args.file))
    lines = _notice_lines(result.notice)
    if result.already:
        lines.insert(0, _("This notice was imported before; nothing changed."))
    if result.notice.state == "new":
        lines.append(_("Nothing is applied yet. To apply: kt-desktop notice apply {number}").format(
            number=result.notice.id))
    emit(args, result.as_dict(), lines)
    return 0


def _notice_apply(args: argparse.Namespace) -> int:
    from kt_desktop.services import notices

    with _session(args) as session:
        if args.dismiss:
            notice = notices.dismiss_notice(session, args.number)
        else:
            notice = notices.apply_notice(session, args.number)
    emit(args, notices.notice_dict(notice),
         [_("Applied.") if notice.state == "applied" else _("Set aside.")])
    return 0
