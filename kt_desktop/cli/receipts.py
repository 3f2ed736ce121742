"""``receipt make|import|resend``, ``notice make|import|apply`` (issue 21, docs/RECEIPTS.md).

``bundle forward`` (the kabupaten relay) sits with the other ``bundle`` actions in
:mod:`kt_desktop.cli.bundles`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kt_desktop.cli import action, command_group, data_session, emit, iso_date
from kt_desktop.i18n import _


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    actions = command_group(subparsers, common, "receipt",
                            _("receipts (tanda terima) of the bundles received"),
                            dest="receipt_command", usage_to_stderr=True)
    make = action(actions, common, "make", _("receiver: write a signed receipt per village"),
                  _make)
    make.add_argument("--out", required=True, metavar="DIR", help=_("folder or USB drive"))
    make.add_argument("--village", metavar="CODE", help=_("only this village (e.g. 36.04.22.2001)"))
    make.add_argument(
        "--email", action="store_true", help=_("also write an e-mail reply draft (.eml) per village")
    )
    action(actions, common, "import", _("village: import a receipt (.ktr or the .eml it came in)"),
           _import).add_argument("file", metavar="FILE")
    resend = action(actions, common, "resend",
                    _("village: send the bundles the receipt lists as missing"), _resend)
    resend.add_argument("--out", metavar="DIR", help=_("folder or USB drive"))
    resend.add_argument("--email", action="store_true", help=_("also write e-mail drafts (.eml)"))

    notice_actions = command_group(subparsers, common, "notice",
                                   _("notices and reference updates from the receiver"),
                                   dest="notice_command", usage_to_stderr=True)
    nmake = action(notice_actions, common, "make",
                   _("receiver: write a signed notice for the villages"), _notice_make)
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
    action(notice_actions, common, "import", _("village: import a notice (.ktr or .eml)"),
           _notice_import).add_argument("file", metavar="FILE")
    napply = action(notice_actions, common, "apply",
                    _("village: apply a notice's reference updates"), _notice_apply)
    napply.add_argument("number", type=int, metavar="NUMBER")
    napply.add_argument("--dismiss", action="store_true", help=_("set them aside instead"))


def _make(args: argparse.Namespace) -> int:
    from kt_desktop.services import receipts

    with data_session(args) as session:
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

    with data_session(args) as session:
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

    with data_session(args) as session:
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
    with data_session(args) as session:
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

    with data_session(args) as session:
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

    with data_session(args) as session:
        if args.dismiss:
            notice = notices.dismiss_notice(session, args.number)
        else:
            notice = notices.apply_notice(session, args.number)
    emit(args, notices.notice_dict(notice),
         [_("Applied.") if notice.state == "applied" else _("Set aside.")])
    return 0
