"""Bundles by e-mail: the draft for the system's mail program, and the SMTP outbox.

Every e-mail export gets an ``.eml`` draft (the GUI opens it with the mail program). Where an
SMTP server is set up, the bundle also joins the outbox, which sends it when the network is
there and otherwise keeps it "menunggu"/"gagal" with the reason, trying again with a growing
pause (2, 4, 8 … minutes, at most an hour). The GUI calls :func:`send_due` on a timer while
it is open; ``kt-desktop bundle send`` does the same once.

Sending waits on the network, so :func:`send_due` holds no transaction while it talks to
the server: each outcome is written in its own short transaction afterwards.

A failure that waiting cannot cure (the server refused the password) is stored with a
fingerprint of the settings it happened with; nothing is sent, not even by "retry now",
until the e-mail settings change, so a wrong stored password cannot lock the secretary's
mailbox by being tried every few minutes.

The outbox table lives in the data file, and a data file may come from someone else; so a
row is only a request: :func:`send_due` mails a file only when it is a bundle this program
wrote (in its own outgoing folder, with the SHA-256 recorded at export) and only to the
address kept with the pinned receiver key. Anything else is refused with the reason, and
nothing is sent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import stat
from dataclasses import astuple, dataclass, fields, replace
from pathlib import Path

from kt_desktop.bundles import format as fmt
from kt_desktop.bundles import keys, mail, transport
from kt_desktop.bundles.errors import BundleError
from kt_desktop.domain import clock
from kt_desktop.domain.errors import reason_text
from kt_desktop.domain.formats import date_long, local_time, utc_now_iso
from kt_desktop.i18n import N_, _, ngettext
from kt_desktop.services.bundles import ExportResult, outgoing_dir
from kt_desktop.services.session import Session
from kt_desktop.store import bundles as bundle_store
from kt_desktop.store import profile as profile_store
from kt_desktop.store.backup import sha256_of

log = logging.getLogger(__name__)

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
    ca_cert: str = ""  # PEM of the mail server's own CA, trusted besides the system's

    @property
    def smtp_configured(self) -> bool:
        return bool(self.host)

    def smtp(self, timeout: float = 30.0) -> mail.SmtpConfig:
        """The mail layer's connection: every field of these settings that it has too (host,
        port, security, user, password, sender, CA), and the time it may take."""
        names = {item.name for item in fields(self)}
        shared = {item.name: getattr(self, item.name) for item in fields(mail.SmtpConfig)
                  if item.name in names}
        return mail.SmtpConfig(**shared, timeout=timeout,
                               connect_timeout=min(timeout, mail.CONNECT_TIMEOUT))

    def fingerprint(self) -> str:
        """Changes whenever anything that decides a send changes (a refusal is tied to it):
        every field, in the order declared."""
        values = list(astuple(self))
        return hashlib.sha256(json.dumps(values).encode("utf-8")).hexdigest()


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
        ca_cert=values[bundle_store.SMTP_CA_CERT],
    )


def validate_email_settings(new: EmailSettings) -> None:
    """Refuse settings that cannot work or would leak the password (also the GUI's Save)."""
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
    refusal = mail.clear_text_refusal(new.host.strip(), new.security, new.user.strip())
    if new.host.strip() and refusal is not None:
        raise BundleError(refusal, code="email")
    if new.ca_cert:
        try:
            mail.ca_certificate(new.ca_cert.encode("ascii", "replace"))
        except ValueError as exc:
            raise BundleError(
                _("The stored CA certificate cannot be read; choose the file again."),
                code="email",
            ) from exc


def read_ca_file(path: Path) -> str:
    """The mail server's CA certificate from a ``.pem``/``.crt``/``.cer`` file, as PEM text.

    The text, not the path, is stored: the data file keeps working on another laptop, and
    no path read from a data file is ever opened.
    """
    try:
        data = Path(path).read_bytes()[: mail.MAX_CA_BYTES + 1]
    except OSError as exc:
        raise BundleError(
            _("The certificate file {file} cannot be read.").format(file=path), code="email"
        ) from exc
    try:
        return mail.ca_certificate(data)
    except ValueError as exc:
        raise BundleError(
            _(
                "{file} is not a CA certificate (PEM or DER). Ask the server's administrator "
                "for the certificate of the authority that signed the mail server."
            ).format(file=path),
            code="email",
        ) from exc


def save_email_settings(session: Session, new: EmailSettings) -> EmailSettings:
    """Store the address and SMTP server (the password stays in the data file, like the
    village's private key: the file is the installation).

    When anything changed, a stored refusal no longer holds and the waiting bundles are due
    now; saving the same refused settings again changes nothing (no second refused login).
    """
    validate_email_settings(new)
    db = session.db()
    old = email_settings(session)
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
                bundle_store.SMTP_CA_CERT: new.ca_cert if new.host else "",
            },
        )
        saved = email_settings(session)
        if saved.fingerprint() != old.fingerprint():
            bundle_store.set_smtp_refusal(db, None)
            bundle_store.make_outbox_due(db, None, utc_now_iso())
    return saved


def organisation(name: str) -> str:
    """``Karang Taruna Tunas Harapan`` from ``Tunas Harapan`` or from itself (never twice)."""
    name = name.strip()
    if name.casefold().startswith("karang taruna"):
        return name
    return f"Karang Taruna {name}"


def _subject_and_body(
    session: Session, result: ExportResult, receiver_name: str
) -> tuple[str, str]:
    db = session.db()
    own = profile_store.load(db)
    name = organisation(own.name if own else session.code)
    created = date_long(clock.today())
    subject = _("Data of {organisation} ({code}), bundle {seq}").format(
        organisation=name, code=session.code, seq=result.seq
    )
    lines = [
        _("Dear {receiver},").format(receiver=receiver_name or _("receiver")),
        "",
        _(
            "Attached is the data of {organisation} ({code}): bundle number {seq}, "
            "made on {date}, {count} records."
        ).format(
            organisation=name, code=session.code, seq=result.seq, date=created, count=result.total
        ),
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
        _("Secretary of {organisation}").format(organisation=name),
    ]
    return subject, "\n".join(lines) + "\n"


def _own_fingerprint(session: Session) -> str:
    public = keys.signing_public_key(session.db())
    return keys.fingerprint(public) if public else ""


def safe_bundle_name(name: str) -> bool:
    """Is ``name`` (read from the data file) a plain bundle file name, no folder in it?"""
    return (
        bool(name)
        and name == Path(name).name
        and "/" not in name
        and "\\" not in name
        and ".." not in name
        and ":" not in name
        and "\x00" not in name
        and name.endswith(fmt.EXTENSION)
    )


def attach_email(session: Session, result: ExportResult) -> ExportResult:
    """Write the ``.eml`` draft beside the bundle; queue it where SMTP is configured.

    The bundle sent is always the one in the outgoing folder (copied there if it was written
    elsewhere), queued under its absolute path: :func:`send_due` sends nothing else.
    """
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
        queued = _in_outgoing_folder(result.path)
        now = utc_now_iso()
        with db.atomic():
            outbox_id = bundle_store.add_outbox(
                db, export_seq=result.seq, path=str(queued), recipient=to, now=now
            )
    return replace(result, eml_path=eml, outbox_id=outbox_id)


def _in_outgoing_folder(path: Path) -> Path:
    """The absolute path of the bundle inside the outgoing folder, copying it there if needed.

    The outbox is sent later, from any working folder (the GUI's timer, ``bundle send``),
    so a path relative to where ``bundle export --out`` ran would be lost.
    """
    folder = outgoing_dir().resolve()
    absolute = path.resolve()
    if absolute.parent == folder:
        return absolute
    return transport.write_to_folder(absolute.read_bytes(), folder, absolute.name).resolve()


def email_last_bundle(session: Session) -> ExportResult | None:
    """A draft for the newest bundle still in the outgoing folder (None when there is none)."""
    db = session.db()
    last = bundle_store.last_export(db)
    if last is None:
        return None
    if not safe_bundle_name(last.file_name):
        raise BundleError(
            _(
                "The data file names the last bundle '{name}', which is not a bundle file "
                "name; nothing was written. Export a new bundle."
            ).format(name=last.file_name),
            code="email",
        )
    path = outgoing_dir() / last.file_name
    if not path.exists() and Path(last.destination).is_dir():
        path = Path(last.destination) / last.file_name
    if not path.is_file() or sha256_of(path) != last.sha256:
        return None  # not the bundle this program wrote (gone, or changed since)
    return attach_email(session, ExportResult.of(last, path))


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
    if _refusal(session, settings) is not None:
        return []  # the server refused these settings for good: see summary()
    moment = now or clock.now_utc()
    due = bundle_store.outbox_due(db, _iso(moment))
    if not due:
        return []
    receiver = bundle_store.receiver(db)
    tried = []
    for item in due:
        error: str | None = None
        permanent = False
        refusal = _row_refusal(session, item, receiver)
        if not settings.smtp_configured:
            error = _("no SMTP server is set up")
        elif refusal is not None:
            error = refusal
            log.warning("outbox item %s refused: %s", item.id, refusal)
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
                permanent = exc.permanent
            except OSError as exc:
                error = _("the bundle file is gone ({reason})").format(reason=reason_text(exc))
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
                if permanent:
                    bundle_store.set_smtp_refusal(
                        db,
                        {
                            "settings": settings.fingerprint(),
                            "error": error,
                            "at": _iso(finished),
                        },
                    )
        updated = bundle_store.outbox_item(db, item.id)
        if updated is not None:
            tried.append(updated)
        if permanent:
            break  # the next bundle would fail the same way: one refused login, not one each
    return tried


def _row_refusal(
    session: Session,
    item: bundle_store.OutboxRecord,
    receiver: bundle_store.ReceiverRecord | None,
) -> str | None:
    """Why ``item`` must not be sent (Indonesian, for the outbox list), None when it may.

    Sent only: a bundle this program exported (an ``exports`` row), in its own outgoing
    folder under that row's plain file name, an ordinary file (no link) whose SHA-256 is the
    one recorded at export, to the address stored with the pinned receiver key.
    """
    refused = _("refused: {reason}. Nothing was sent; export the bundle again.")
    record = bundle_store.export_by_seq(session.db(), item.export_seq)
    if record is None or not safe_bundle_name(record.file_name):
        return refused.format(reason=_("bundle {seq} was not exported by this program").format(
            seq=item.export_seq))
    path = Path(item.path)
    folder = outgoing_dir().resolve()
    try:
        mode = path.lstat().st_mode
        inside = path.is_absolute() and path.resolve(strict=True).parent == folder
    except (OSError, RuntimeError, ValueError):
        return refused.format(reason=_("the bundle file is gone"))
    if not inside or path.name != record.file_name or not stat.S_ISREG(mode):
        return refused.format(
            reason=_("{path} is not a bundle in the outgoing folder {folder}").format(
                path=item.path, folder=folder
            )
        )
    try:
        digest = sha256_of(path)
    except OSError as exc:
        return refused.format(reason=exc.strerror or str(exc))
    if digest != record.sha256:
        return refused.format(
            reason=_("{name} was changed after it was exported").format(name=path.name)
        )
    if receiver is None or not receiver.email or item.recipient != receiver.email:
        return refused.format(
            reason=_("{address} is not the address kept with the receiver's key").format(
                address=item.recipient
            )
        )
    return None


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


def _refusal(session: Session, settings: EmailSettings) -> dict[str, str] | None:
    """The stored permanent refusal, while the settings are still the refused ones."""
    refusal = bundle_store.smtp_refusal(session.db())
    if refusal is None or refusal["settings"] != settings.fingerprint():
        return None
    return refusal


@dataclass(frozen=True, slots=True)
class OutboxSummary:
    """What waits in the outbox and why, for ``bundle send``/``status`` and Kirim Data."""

    waiting: int
    smtp_configured: bool
    next_attempt_at: str  # UTC ISO of the earliest next try among the waiting ("" none)
    last_error: str  # the error of the latest attempt, when it failed
    last_failed: bool  # the latest attempt of a waiting bundle failed
    refused_error: str  # set while sending is stopped until the settings change
    refused_at: str

    @property
    def stopped(self) -> bool:
        return bool(self.refused_error)

    def as_dict(self) -> dict[str, object]:
        return {
            "waiting": self.waiting,
            "next_attempt_at": self.next_attempt_at or None,
            "last_error": self.last_error or None,
            "last_failed": self.last_failed,
            "stopped_until_settings_change": self.stopped,
        }


def summary(session: Session) -> OutboxSummary:
    settings = email_settings(session)
    waiting = bundle_store.outbox_unsent(session.db())
    tried = [item for item in waiting if item.last_attempt_at]
    latest = max(tried, key=lambda item: item.last_attempt_at, default=None)
    refusal = _refusal(session, settings) if waiting else None
    return OutboxSummary(
        waiting=len(waiting),
        smtp_configured=settings.smtp_configured,
        next_attempt_at=min((i.next_attempt_at for i in waiting if i.next_attempt_at), default=""),
        last_error=latest.last_error
        if latest and latest.state == bundle_store.OUTBOX_FAILED
        else "",
        last_failed=bool(latest and latest.state == bundle_store.OUTBOX_FAILED),
        refused_error=refusal["error"] if refusal else "",
        refused_at=refusal["at"] if refusal else "",
    )


def summary_text(state: OutboxSummary, *, now: dt.datetime | None = None) -> str:
    """One Indonesian sentence: what waits, until when, and what went wrong."""
    if not state.waiting:
        return _("Nothing waits in the outbox.")
    count = ngettext(
        "{count} bundle waits in the outbox", "{count} bundles wait in the outbox", state.waiting
    ).format(count=state.waiting)
    if not state.smtp_configured:
        return _("{count}, but no SMTP server is set up.").format(count=count)
    if state.stopped:
        return _(
            "{count}. Sending stopped on {when}: {error} Nothing is sent until the e-mail "
            "settings are corrected and saved."
        ).format(
            count=count, when=local_time(state.refused_at), error=sentence(state.refused_error)
        )
    moment = now or dt.datetime.now(dt.UTC)
    when = (
        local_time(state.next_attempt_at)
        if state.next_attempt_at and state.next_attempt_at > _iso(moment)
        else _("now")
    )
    if state.last_failed:
        return _("{count}. The last try failed: {error} Next try: {when}.").format(
            count=count, error=sentence(state.last_error), when=when
        )
    return _("{count}. Next try: {when}.").format(count=count, when=when)


def sentence(text: str) -> str:
    """An error as a sentence (capital first letter, full stop) inside a longer one."""
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
