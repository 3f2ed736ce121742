"""``bundle export|import|send|status|email-settings`` and ``keys export|import|show``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kt_desktop.cli import CliRefusal, action, command_group, data_session, emit
from kt_desktop.i18n import _


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    actions = command_group(subparsers, common, "bundle",
                            _("send data bundles (.ktb) or import them"),
                            dest="bundle_command", usage_to_stderr=True)

    export = action(actions, common, "export",
                    _("write the next bundle into a folder (prints its path)"), _export)
    export.add_argument("--out", required=True, metavar="DIR", help=_("folder or USB drive"))
    export.add_argument(
        "--full",
        action="store_true",
        help=_("everything, not only the changes since the last bundle"),
    )
    export.add_argument(
        "--email",
        action="store_true",
        help=_("also write an e-mail draft (.eml) and queue it when SMTP is set up"),
    )

    imports = action(actions, common, "import",
                     _("import bundles, folders of bundles or .eml files"), _import)
    imports.add_argument("files", nargs="+", metavar="FILE")
    imports.add_argument(
        "--dry-run", action="store_true", help=_("show what would happen; change nothing")
    )
    imports.add_argument(
        "--trust-new",
        action="store_true",
        help=_("accept the key of a village seen for the first time (compare fingerprints first)"),
    )

    send = action(actions, common, "send",
                  _("send the bundles of the e-mail outbox that are due"), _send)
    send.add_argument(
        "--now",
        action="store_true",
        help=_("also try the bundles still waiting out their pause (like the Retry now button)"),
    )

    action(actions, common, "status", _("what waits to be sent, the last bundle, the keys"),
           _status)

    forward = action(actions, common, "forward",
                     _("kabupaten: pass village bundles on to the province, untouched"), _forward)
    forward.add_argument("files", nargs="*", metavar="FILE",
                         help=_("bundles, folders or .eml files (receipts .ktr are copied)"))
    forward.add_argument("--out", required=True, metavar="DIR", help=_("folder or USB drive"))
    forward.add_argument("--email", action="store_true",
                         help=_("also write one e-mail draft (.eml) for the batch"))

    mail = action(actions, common, "email-settings",
                  _("the receiver's address and the SMTP server"), _email_settings)
    mail.add_argument("--to", metavar="ADDRESS", help=_("the receiver's e-mail address"))
    mail.add_argument("--smtp-host", metavar="HOST", help=_("SMTP server ('' to stop using one)"))
    mail.add_argument("--smtp-port", type=int, metavar="PORT")
    mail.add_argument("--smtp-security", choices=("starttls", "ssl", "none"))
    mail.add_argument("--smtp-user", metavar="USER")
    mail.add_argument(
        "--smtp-password-env",
        metavar="VAR",
        help=_("name of an environment variable holding the password"),
    )
    mail.add_argument("--smtp-sender", metavar="ADDRESS", help=_("the From address"))
    mail.add_argument(
        "--smtp-ca-file",
        metavar="FILE",
        help=_(
            "the CA certificate (.pem/.crt) of a mail server with its own authority ('' removes)"
        ),
    )

    key_actions = command_group(subparsers, common, "keys", _("the keys that protect bundles"),
                                dest="keys_command", usage_to_stderr=True)
    key_export = action(key_actions, common, "export",
                        _("write this receiver's public key file for villages"), _keys_export)
    key_export.add_argument("--out", required=True, metavar="FILE")
    key_export.add_argument("--email", metavar="ADDRESS", help=_("the address villages send to"))
    key_import = action(key_actions, common, "import",
                        _("install the receiver's public key in a village file"), _keys_import)
    key_import.add_argument("file", metavar="FILE")
    key_import.add_argument("--email", metavar="ADDRESS", help=_("override the receiver's address"))
    action(key_actions, common, "show", _("show the key fingerprints"), _keys_show)


def _export(args: argparse.Namespace) -> int:
    from kt_desktop.services import bundles

    with data_session(args) as session:
        warning = bundles.clear_bundle_warning(session)
        if warning:
            print(_("Warning: {text}").format(text=warning), file=sys.stderr)
        result = bundles.export(session, dest_dir=Path(args.out), full=args.full, email=args.email)
    lines = [str(result.path)]
    if result.eml_path:
        lines.append(_("E-mail draft: {path}").format(path=result.eml_path))
    if result.outbox_id:
        lines.append(_("Queued in the outbox; send it with 'kt-desktop bundle send'."))
    emit(
        args,
        {
            "path": str(result.path),
            "seq": result.seq,
            "full": result.full,
            "bytes": result.bytes,
            "sha256": result.sha256,
            "encrypted": result.encrypted,
            "counts": result.counts,
            "eml": str(result.eml_path) if result.eml_path else None,
            "outbox_id": result.outbox_id,
        },
        lines,
    )
    return 0


def _import(args: argparse.Namespace) -> int:
    from kt_desktop.services import bundles

    with data_session(args) as session:
        report = bundles.import_files(
            session,
            [Path(name) for name in args.files],
            dry_run=args.dry_run,
            trust_new=args.trust_new,
        )
    lines = []
    for summary in report.bundles:
        head = summary.source
        if summary.village_code:
            head += f" [{summary.village_code} #{summary.seq}]"
        if summary.ok:
            lines.append(f"{head}: {summary.message}")
        else:
            print(f"{head}: {summary.message}", file=sys.stderr)
    emit(
        args,
        {
            "dry_run": report.dry_run,
            "ok": report.ok,
            "bundles": [s.as_dict() for s in report.bundles],
        },
        lines,
    )
    return 0 if report.ok else 1


def _forward(args: argparse.Namespace) -> int:
    from kt_desktop.services import bundles, relay

    with data_session(args) as session:
        inputs = [Path(name) for name in args.files] or [bundles.incoming_dir()]
        report = relay.forward(session, inputs, Path(args.out), email=args.email)
    lines = [str(item.path) for item in report.items if item.path is not None]
    for item in report.items:
        if item.status == relay.REFUSED:
            print(f"{item.source}: {item.message}", file=sys.stderr)
    if report.eml_path:
        lines.append(_("E-mail draft: {path}").format(path=report.eml_path))
    lines.append(report.text())
    emit(args, report.as_dict(), lines)
    return 0 if report.ok else 1


def _send(args: argparse.Namespace) -> int:
    """Send what is due (with ``--now``: everything waiting); say what still waits and why.

    Exit 1 when a try failed or sending is stopped, with one line per failure on stderr.
    """
    from kt_desktop.domain.formats import local_time
    from kt_desktop.services import outbox

    with data_session(args) as session:
        if not outbox.email_settings(session).smtp_configured:
            raise CliRefusal(
                _("No SMTP server is set up; use 'kt-desktop bundle email-settings --smtp-host'.")
            )
        if args.now:
            outbox.retry(session)  # the GUI's Retry now: the same two service calls
        tried = outbox.send_due(session)
        state = outbox.summary(session)
    lines = [
        _("Bundle {seq} to {to}: {state}").format(
            seq=item.export_seq, to=item.recipient, state=outbox.state_label(item.state)
        )
        for item in tried
        if item.state == "sent"
    ]
    failures = [item for item in tried if item.state != "sent"]
    if state.stopped:  # one sentence: the refusal, and that nothing goes until settings change
        print(outbox.summary_text(state), file=sys.stderr)
    elif failures:
        for item in failures:
            print(
                _("Bundle {seq} to {to} was not sent: {error} Next try: {when}.").format(
                    seq=item.export_seq,
                    to=item.recipient,
                    error=outbox.sentence(item.last_error),
                    when=local_time(item.next_attempt_at),
                ),
                file=sys.stderr,
            )
    elif not tried and state.waiting and state.last_failed:
        print(
            outbox.summary_text(state)
            + " "
            + _("Try again now with 'kt-desktop bundle send --now'."),
            file=sys.stderr,
        )
    elif not tried:
        lines.append(outbox.summary_text(state))
    failed = bool(failures) or state.stopped or (not tried and state.last_failed)
    emit(
        args,
        {
            "items": [
                {
                    "id": i.id,
                    "seq": i.export_seq,
                    "state": i.state,
                    "attempts": i.attempts,
                    "error": i.last_error,
                }
                for i in tried
            ],
            "outbox": state.as_dict(),
        },
        lines,
    )
    return 1 if failed else 0


def _status(args: argparse.Namespace) -> int:
    from kt_desktop.services import bundles, outbox

    with data_session(args) as session:
        status = bundles.send_status(session)
        outbox_state = outbox.summary(session)
    lines = [_("Waiting to be sent:")]
    lines += [f"  {_(book)}: {count}" for book, count in status.pending.items()]
    last = status.last_export
    lines.append(
        _("Last bundle: {seq} on {when} to {where}").format(
            seq=last.seq, when=last.created[:16].replace("T", " "), where=last.destination
        )
        if last
        else _("Last bundle: none yet")
    )
    lines.append(_("This village's key: {fingerprint}").format(fingerprint=status.own_fingerprint))
    lines.append(
        _("Receiver's key: {name}, {fingerprint}").format(
            name=status.receiver.name, fingerprint=status.receiver.fingerprint
        )
        if status.receiver
        else _("Receiver's key: not installed (bundles are not encrypted)")
    )
    if outbox_state.waiting or outbox_state.smtp_configured:
        lines.append(_("E-mail: {text}").format(text=outbox.summary_text(outbox_state)))
    emit(
        args,
        {
            "pending": status.pending,
            "last_export": last.seq if last else None,
            "own_fingerprint": status.own_fingerprint,
            "receiver_fingerprint": status.receiver.fingerprint if status.receiver else None,
            "outbox_waiting": status.outbox_waiting,
            "outbox": outbox_state.as_dict(),
        },
        lines,
    )
    return 0


def _email_settings(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from kt_desktop.services import outbox

    changes: dict[str, object] = {}
    if args.to is not None:
        changes["recipient"] = args.to
    if args.smtp_host is not None:
        changes["host"] = args.smtp_host
    if args.smtp_port is not None:
        changes["port"] = args.smtp_port
    if args.smtp_security is not None:
        changes["security"] = args.smtp_security
    if args.smtp_user is not None:
        changes["user"] = args.smtp_user
    if args.smtp_sender is not None:
        changes["sender"] = args.smtp_sender
    if args.smtp_password_env:
        if args.smtp_password_env not in os.environ:
            raise CliRefusal(
                _("Environment variable {name} is not set.").format(name=args.smtp_password_env)
            )
        changes["password"] = os.environ[args.smtp_password_env]
    if args.smtp_ca_file is not None:
        changes["ca_cert"] = (
            outbox.read_ca_file(Path(args.smtp_ca_file).expanduser()) if args.smtp_ca_file else ""
        )
    with data_session(args) as session:
        current = outbox.email_settings(session)
        saved = outbox.save_email_settings(session, replace(current, **changes))
    emit(
        args,
        {
            "recipient": saved.recipient,
            "host": saved.host,
            "port": saved.port,
            "security": saved.security,
            "user": saved.user,
            "sender": saved.sender,
            "ca_certificate": bool(saved.ca_cert),
        },
        [
            _("Receiver's address: {address}").format(address=saved.recipient or "—"),
            _("SMTP server: {server}").format(
                server=f"{saved.host}:{saved.port} ({saved.security})" if saved.host else "—"
            ),
        ]
        + ([_("The server's own CA certificate is trusted.")] if saved.ca_cert else []),
    )
    return 0


def _keys_export(args: argparse.Namespace) -> int:
    from kt_desktop.services import bundles

    with data_session(args) as session:
        key_file = bundles.export_receiver_key(session, Path(args.out), email=args.email)
    emit(
        args,
        {"path": args.out, "fingerprint": key_file.fingerprint, "area_code": key_file.area_code},
        [
            _("Public key written to {path}").format(path=args.out),
            _("Fingerprint: {fingerprint}").format(fingerprint=key_file.fingerprint),
        ],
    )
    return 0


def _keys_import(args: argparse.Namespace) -> int:
    from kt_desktop.services import bundles

    with data_session(args) as session:
        record = bundles.import_receiver_key(session, Path(args.file), email=args.email)
    emit(
        args,
        {
            "name": record.name,
            "area_code": record.area_code,
            "email": record.email,
            "fingerprint": record.fingerprint,
        },
        [
            _("Receiver's key installed: {name} ({area})").format(
                name=record.name, area=record.area_code
            ),
            _("Fingerprint: {fingerprint}").format(fingerprint=record.fingerprint),
        ],
    )
    return 0


def _keys_show(args: argparse.Namespace) -> int:
    from kt_desktop.services import bundles

    with data_session(args) as session:
        info = bundles.key_info(session)
    lines = [_("This file's key: {fingerprint}").format(fingerprint=info.own_fingerprint)]
    if info.receiver:
        lines.append(
            _("Receiver's key: {name}, {fingerprint}").format(
                name=info.receiver.name, fingerprint=info.receiver.fingerprint
            )
        )
    emit(
        args,
        {
            "own_fingerprint": info.own_fingerprint,
            "receiver_fingerprint": info.receiver.fingerprint if info.receiver else None,
        },
        lines,
    )
    return 0
