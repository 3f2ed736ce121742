"""Bundles by e-mail: the draft for the system's mail program, and the SMTP outbox.

Every e-mail export gets an ``.eml`` draft (the GUI opens it with the mail program). Where an
SMTP server is set up, the bundle also joins the outbox, which sends it when the network is
there and otherwise keeps it "menunggu"/"gagal" with the reason, trying again with a growing
pause (2, 4, 8 … minutes, at most an hour). The GUI calls :func:`send_due` on a timer while
it is open; ``kt-desktop bundle send`` does the same once.

Sending waits on the network, so :func:`send_due` holds no transaction while it talks to
the server: each outcome is written in its own short transaction afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from kt_desktop.bundles import keys, mail
from kt_desktop.bundles.errors import BundleError
from kt_desktop.domain import clock
from kt_desktop.domain.formats import date_long, utc_now_iso
from kt_desktop.i18n import N_, _
from kt_desktop.services.bundles import ExportResult, outgoing_dir
from kt_desktop.services.session import Session
from kt_desktop.store import bundles as bundle_store
from kt_desktop.store import profile as profile_store

SECURITY_CHOICES = ("starttls", "ssl", "none")
STATE_LABELS = {
    bundle_store.OUTBOX_PENDING: N_("waiting"),
    bundle_store.OUTBOX_SENT: N_("sent"),
    bundle_store.OUTBOX_FAILED: N_("failed"),
}
FIRST_RETRY_MINUTES = 2
MAX_RETRY_MINUTES = 60


def state_label(state: str) -> str:
    return _(STATE_LABELS.get(state, state))


@dataclass(frozen=True, slots=True)
class EmailSettings:
    """Where bundles go by e-mail and how (the SMTP part may stay empty)."""

    recipient: str = ""
    host: str = ""
    port: int = 587
    security: str = "starttls"
    user: str = ""
    password: str = ""
    sender: str = ""

    @property
    def smtp_configured(self) -> bool:
        return bool(self.host)

    def smtp(self, timeout: float = 30.0) -> mail.SmtpConfig:
        return mail.SmtpConfig(
            host=self.host,
            port=self.port,
            security=self.security,
            user=self.user,
            password=self.password,
            sender=self.sender,
            timeout=timeout,
        )


def email_settings(session: Session) -> EmailSettings:
    db = session.db()
    values = bundle_store.smtp_values(db)
    receiver = bundle_store.receiver(db)
    port = values[bundle_store.SMTP_PORT]
    return EmailSettings(
        recipient=receiver.email if receiver else "",
        host=values[bundle_store.SMTP_HOST],
        port=int(port) if port.isdigit() else 587,
        security=values[bundle_store.SMTP_SECURITY] or "starttls",
        user=values[bundle_store.SMTP_USER],
        password=values[bundle_store.SMTP_PASSWORD],
        sender=values[bundle_store.SMTP_SENDER],
    )


def save_email_settings(session: Session, new: EmailSettings) -> EmailSettings:
    """Store the address and SMTP server (the password stays in the data file, like the
    village's private key: the file is the installation)."""
    if new.security not in SECURITY_CHOICES:
        raise BundleError(
            _("Security must be one of: {choices}.").format(choices=", ".join(SECURITY_CHOICES)),
            code="email",
        )
    for address in (new.recipient, new.sender):
        if address and ("@" not in address or " " in address.strip()):
            raise BundleError(
                _("{address} is not a valid e-mail address.").format(address=address),
                code="email",
            )
    if new.host and not 0 < new.port < 65536:
        raise BundleError(_("The SMTP port must be between 1 and 65535."), code="email")
    db = session.db()
    with db.atomic():
        if new.recipient and not bundle_store.set_receiver_email(db, new.recipient.strip()):
            raise BundleError(
                _("Install the receiver's key first; the address is kept with it."),
                code="email",
            )
        bundle_store.save_smtp_values(
            db,
            {
                bundle_store.SMTP_HOST: new.host.strip(),
                bundle_store.SMTP_PORT: str(new.port) if new.host else "",
                bundle_store.SMTP_SECURITY: new.security if new.host else "",
                bundle_store.SMTP_USER: new.user.strip(),
                bundle_store.SMTP_PASSWORD: new.password,
                bundle_store.SMTP_SENDER: new.sender.strip(),
            },
        )
    return email_settings(session)


def _subject_and_body(
    session: Session, result: ExportResult, receiver_name: str
) -> tuple[str, str]:
    db = session.db()
    own = profile_store.load(db)
    name = own.name if own else session.code
    created = date_long(clock.today())
    subject = _("Karang Taruna data: {name} ({code}), bundle {seq}").format(
        name=name, code=session.code, seq=result.seq
    )
    lines = [
        _("Dear {receiver},").format(receiver=receiver_name or _("receiver")),
        "",
        _(
            "Attached is the data of Karang Taruna {name} ({code}): bundle number {seq}, "
            "made on {date}, {count} records."
        ).format(name=name, code=session.code, seq=result.seq, date=created, count=result.total),
        _("File: {file} ({size} KB).").format(
            file=result.path.name, size=max(1, result.bytes // 1024)
        ),
        _("The file is encrypted for the receiver's key.")
        if result.encrypted
        else _("WARNING: the file is NOT encrypted; it holds personal data."),
        _("Import it in KT Desktop (Impor). Our key fingerprint: {fingerprint}").format(
            fingerprint=_own_fingerprint(session)
        ),
        "",
        _("Regards,"),
        own.sekretaris if own and own.sekretaris else _("Secretary"),
        _("Secretary of Karang Taruna {name}").format(name=name),
    ]
    return subject, "\n".join(lines) + "\n"


def _own_fingerprint(session: Session) -> str:
    public = keys.signing_public_key(session.db())
    return keys.fingerprint(public) if public else ""


def attach_email(session: Session, result: ExportResult) -> ExportResult:
    """Write the ``.eml`` draft beside the bundle; queue it where SMTP is configured."""
    db = session.db()
    receiver = bundle_store.receiver(db)
    settings = email_settings(session)
    to = receiver.email if receiver else ""
    subject, body = _subject_and_body(session, result, receiver.name if receiver else "")
    sender = settings.sender
    message = mail.build_message(
        result.path, to=to, sender=sender, subject=subject, body=body, draft=True
    )
    eml = mail.write_draft(message, result.path.with_suffix(".eml"))
    outbox_id = None
    if settings.smtp_configured and to:
        now = utc_now_iso()
        with db.atomic():
            outbox_id = bundle_store.add_outbox(
                db, export_seq=result.seq, path=str(result.path), recipient=to, now=now
            )
    return replace(result, eml_path=eml, outbox_id=outbox_id)


def email_last_bundle(session: Session) -> ExportResult | None:
    """A draft for the newest bundle still in the outgoing folder (None when there is none)."""
    db = session.db()
    last = bundle_store.last_export(db)
    if last is None:
        return None
    path = outgoing_dir() / last.file_name
    if not path.exists() and Path(last.destination).is_dir():
        path = Path(last.destination) / last.file_name
    if not path.exists():
        return None
    result = ExportResult(
        path=path,
        seq=last.seq,
        full=last.full,
        bytes=last.bytes,
        sha256=last.sha256,
        counts=last.counts,
        encrypted=last.encrypted,
        destination=last.destination,
    )
    return attach_email(session, result)


def outbox(session: Session) -> list[bundle_store.OutboxRecord]:
    return bundle_store.outbox_items(session.db())


def _backoff(attempts: int) -> dt.timedelta:
    minutes = min(FIRST_RETRY_MINUTES * 2 ** max(attempts - 1, 0), MAX_RETRY_MINUTES)
    return dt.timedelta(minutes=minutes)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def send_due(
    session: Session,
    *,
    now: dt.datetime | None = None,
    timeout: float = 30.0,
) -> list[bundle_store.OutboxRecord]:
    """Try every outbox item that is due; returns the items tried, with their new state."""
    db = session.db()
    settings = email_settings(session)
    moment = now or clock.now_utc()
    due = bundle_store.outbox_due(db, _iso(moment))
    if not due:
        return []
    receiver = bundle_store.receiver(db)
    tried = []
    for item in due:
        error: str | None = None
        if not settings.smtp_configured:
            error = _("no SMTP server is set up")
        else:
            path = Path(item.path)
            try:
                subject, body = _subject_and_body(
                    session,
                    ExportResult(
                        path=path,
                        seq=item.export_seq,
                        full=False,
                        bytes=path.stat().st_size,
                        sha256="",
                        counts=_counts(session, item.export_seq),
                        encrypted=_encrypted(session, item.export_seq),
                        destination="",
                    ),
                    receiver.name if receiver else "",
                )
                message = mail.build_message(
                    path,
                    to=item.recipient,
                    sender=settings.sender,
                    subject=subject,
                    body=body,
                    draft=False,
                )
                mail.send(message, settings.smtp(timeout))
            except mail.SendFailure as exc:
                error = exc.reason
            except OSError as exc:
                error = _("the bundle file is gone ({reason})").format(reason=exc.strerror or exc)
        finished = clock.now_utc()
        with db.atomic():
            if error is None:
                bundle_store.mark_outbox(
                    db, item.id, state=bundle_store.OUTBOX_SENT, now=_iso(finished)
                )
            else:
                bundle_store.mark_outbox(
                    db,
                    item.id,
                    state=bundle_store.OUTBOX_FAILED,
                    now=_iso(finished),
                    error=error,
                    next_attempt_at=_iso(finished + _backoff(item.attempts + 1)),
                )
        updated = bundle_store.outbox_item(db, item.id)
        if updated is not None:
            tried.append(updated)
    return tried


def _counts(session: Session, seq: int) -> dict[str, int]:
    record = bundle_store.export_by_seq(session.db(), seq)
    return record.counts if record else {}


def _encrypted(session: Session, seq: int) -> bool:
    record = bundle_store.export_by_seq(session.db(), seq)
    return bool(record and record.encrypted)


def retry(session: Session, item_id: int | None = None) -> None:
    """Make one item (or all unsent ones) due now; the next :func:`send_due` tries them."""
    db = session.db()
    with db.atomic():
        bundle_store.make_outbox_due(db, item_id, utc_now_iso())
