"""A bundle by e-mail: the ``.eml`` draft, sending over SMTP, and taking bundles out of mail.

The draft carries ``X-Unsent: 1`` so Outlook, Thunderbird and Windows Mail open it as a
message to send rather than a received one. Sending uses :mod:`smtplib` with STARTTLS, SSL
or (for a local relay) neither; a failure becomes :class:`SendFailure` with a reason the
secretary can read and whether trying again later can help.
"""

from __future__ import annotations

import errno
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formatdate, make_msgid
from pathlib import Path

from kt_desktop.bundles import crypto
from kt_desktop.bundles import format as fmt
from kt_desktop.i18n import _
from kt_desktop.paths import make_private

MAX_EML_BYTES = 400 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int
    security: str  # "starttls" | "ssl" | "none"
    user: str = ""
    password: str = ""
    sender: str = ""
    timeout: float = 30.0


class SendFailure(Exception):
    """Sending did not happen; ``reason`` is for the outbox's "last error" column."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


def build_message(
    bundle: Path,
    *,
    to: str,
    sender: str,
    subject: str,
    body: str,
    draft: bool,
) -> EmailMessage:
    message = EmailMessage()
    message["To"] = to
    if sender:
        message["From"] = sender
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="kt-desktop.invalid")
    if draft:
        message["X-Unsent"] = "1"
    message.set_content(body)
    message.add_attachment(
        bundle.read_bytes(),
        maintype="application",
        subtype="octet-stream",
        filename=bundle.name,
    )
    return message


#: CRLF line ends as mail programs expect; headers are not folded below RFC 5322's hard limit
#: of 998, because Python folds a long subject onto a line of its own and some programs then
#: show it with a leading space.
EML_POLICY = policy.SMTP.clone(max_line_length=998)


def write_draft(message: EmailMessage, path: Path) -> Path:
    """Write the ``.eml`` draft."""
    data = message.as_bytes(policy=EML_POLICY)
    temporary = path.with_name(path.name + ".part")
    temporary.write_bytes(data)
    make_private(temporary)
    temporary.replace(path)
    return path


def send(message: EmailMessage, config: SmtpConfig) -> None:
    """Hand the message to the SMTP server, or raise :class:`SendFailure`."""
    if "X-Unsent" in message:
        del message["X-Unsent"]
    if config.sender and "From" not in message:
        message["From"] = config.sender
    try:
        if config.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                config.host,
                config.port,
                timeout=config.timeout,
                context=ssl.create_default_context(),
            )
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        with client:
            if config.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if config.user:
                client.login(config.user, config.password)
            client.send_message(message, from_addr=config.sender or None)
    except smtplib.SMTPAuthenticationError as exc:
        raise SendFailure(
            _("the server refused the user name or password ({code})").format(code=exc.smtp_code),
            permanent=True,
        ) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        codes = ", ".join(str(code) for code, _msg in exc.recipients.values())
        raise SendFailure(
            _("the server refused the address ({code})").format(code=codes),
            permanent=True,
        ) from exc
    except smtplib.SMTPResponseException as exc:
        text = (
            exc.smtp_error.decode("utf-8", "replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        raise SendFailure(
            _("the server refused the message: {code} {text}").format(
                code=exc.smtp_code, text=text[:120]
            ),
            permanent=500 <= exc.smtp_code < 600,
        ) from exc
    except smtplib.SMTPServerDisconnected as exc:
        raise SendFailure(_("the connection to the server was cut off"), permanent=False) from exc
    except (smtplib.SMTPException, ssl.SSLError) as exc:
        raise SendFailure(str(exc)[:160], permanent=False) from exc
    except TimeoutError as exc:
        raise SendFailure(_("the server did not answer in time"), permanent=False) from exc
    except socket.gaierror as exc:
        raise SendFailure(
            _("the server's name cannot be found (no internet connection?)"), permanent=False
        ) from exc
    except OSError as exc:
        raise SendFailure(
            _("the server cannot be reached ({reason})").format(reason=_network_reason(exc)),
            permanent=False,
        ) from exc


def _network_reason(exc: OSError) -> str:
    """The OS's English error text, said in the user's language where it is a common one."""
    reasons = {
        errno.ECONNREFUSED: _("connection refused"),
        errno.ENETUNREACH: _("no network"),
        errno.EHOSTUNREACH: _("no route to the server"),
        errno.ECONNRESET: _("the connection was reset"),
    }
    return reasons.get(exc.errno or 0, exc.strerror or str(exc))


def bundles_in_eml(data: bytes) -> list[tuple[str, bytes]]:
    """The ``.ktb`` attachments of an e-mail file: by name, or by their first bytes."""
    message = BytesParser(policy=policy.default).parsebytes(data)
    found = []
    for part in message.walk():
        if part.is_multipart():
            continue
        name = part.get_filename() or ""
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        if name.lower().endswith(fmt.EXTENSION) or crypto.is_envelope(payload[:4]):
            found.append((Path(name).name or "lampiran.ktb", payload))
    return found
