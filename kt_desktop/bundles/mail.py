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
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formatdate, make_msgid
from pathlib import Path

from kt_desktop.bundles import crypto
from kt_desktop.bundles import format as fmt
from kt_desktop.bundles.errors import BundleError
from kt_desktop.i18n import _

#: An e-mail holding the largest bundle (300 MB) in base64, with room for the rest.
MAX_EML_BYTES = 400 * 1024 * 1024
#: All header lines of one e-mail file together (every part's): a real message from a mail
#: program has a few KB, a long thread's ``References`` some tens of KB.
MAX_EML_HEADER_BYTES = 1024 * 1024
#: One header field, continuation lines included.
MAX_EML_FIELD_BYTES = 64 * 1024
#: One ``Content-*`` field. The parser reads their parameters in time that grows with the
#: square of the field's length (a 32 KB field: 1.6 s), so these stay short; a real one
#: holding a 255-character file name in RFC 2231 form is under 3 KB.
MAX_EML_CONTENT_FIELD_BYTES = 8 * 1024
#: All ``Content-*`` fields together, which bounds that quadratic cost to a few seconds.
MAX_EML_CONTENT_BYTES = 256 * 1024
#: Parts that hold other parts (``multipart/*``, ``message/*``). The parser goes one level
#: deeper for each, so this also caps the nesting well below Python's recursion limit; a
#: mail program's message has two or three.
MAX_EML_CONTAINERS = 64


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


class _EmlTooComplex(Exception):
    """Raised from inside the parser when a header breaks a cap; ``message`` says which."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _BoundedPolicy(policy.Compat32):
    """The ``compat32`` policy, counting every header field the parser meets.

    ``compat32`` keeps header values as the text they are and parses them only when asked,
    with simple code whose cost is bounded by the caps here. ``policy.default`` parses them
    into objects instead: a 280 KB ``Content-Disposition`` of encoded words took more than
    1.5 GB. :meth:`header_source_parse` is called for each field before the parser looks
    at its value, so a cap is enforced before any cost is paid.
    """

    def __init__(self, **kw: object) -> None:
        super().__init__(**kw)
        object.__setattr__(self, "_counts", {"header": 0, "content": 0, "containers": 0})

    def header_source_parse(self, sourcelines: list[str]) -> tuple[str, str]:
        counts: dict[str, int] = self._counts  # type: ignore[attr-defined]
        size = sum(len(line) for line in sourcelines)
        counts["header"] += size
        if size > MAX_EML_FIELD_BYTES:
            raise _EmlTooComplex(
                _("one of its header lines is longer than {limit} KB").format(
                    limit=MAX_EML_FIELD_BYTES // 1024
                )
            )
        if counts["header"] > MAX_EML_HEADER_BYTES:
            raise _EmlTooComplex(
                _("its header lines add up to more than {limit} KB").format(
                    limit=MAX_EML_HEADER_BYTES // 1024
                )
            )
        name, value = super().header_source_parse(sourcelines)
        if name.lower().startswith("content-"):
            counts["content"] += size
            if size > MAX_EML_CONTENT_FIELD_BYTES or counts["content"] > MAX_EML_CONTENT_BYTES:
                raise _EmlTooComplex(
                    _("its {field} header line is longer than {limit} KB").format(
                        field=name, limit=MAX_EML_CONTENT_FIELD_BYTES // 1024
                    )
                    if size > MAX_EML_CONTENT_FIELD_BYTES
                    else _("its Content header lines add up to more than {limit} KB").format(
                        limit=MAX_EML_CONTENT_BYTES // 1024
                    )
                )
            if name.lower() == "content-type" and value.lstrip().lower().startswith(
                ("multipart/", "message/")
            ):
                counts["containers"] += 1
                if counts["containers"] > MAX_EML_CONTAINERS:
                    raise _EmlTooComplex(
                        _("it nests more than {limit} parts inside one another").format(
                            limit=MAX_EML_CONTAINERS
                        )
                    )
        return name, value


def _refuse_eml(source: str, reason: str) -> BundleError:
    return BundleError(
        _("{file} is refused as an e-mail: {reason}. Save the bundle (.ktb) from the e-mail "
          "and import that file instead.").format(file=source, reason=reason),
        code="unreadable",
    )


def _attachment_name(part: object) -> str:
    """The attachment's file name, with RFC 2047 encoded words (``=?utf-8?...?=``) decoded."""
    name = part.get_filename() or ""  # type: ignore[attr-defined]
    if "=?" in name:
        try:
            name = str(make_header(decode_header(name)))
        except (ValueError, LookupError, UnicodeError):
            pass
    return name


def bundles_in_eml(data: bytes, source: str = "") -> list[tuple[str, bytes]]:
    """The ``.ktb`` attachments of an e-mail file: by name, or by their first bytes.

    The file comes from anyone, so its work is bounded: the size, each header line, all
    header lines together, and how many parts hold other parts (deep nesting made the
    stdlib parser raise ``RecursionError``). Whatever breaks a cap, or cannot be parsed at
    all, is a :class:`BundleError` naming ``source``, so one bad file in a folder is
    refused alone.
    """
    source = source or "e-mail"
    if len(data) > MAX_EML_BYTES:
        raise _refuse_eml(
            source,
            _("it is larger than {limit} MB").format(limit=MAX_EML_BYTES // (1024 * 1024)),
        )
    try:
        message = BytesParser(policy=_BoundedPolicy()).parsebytes(data)
        found = []
        for part in message.walk():
            if part.is_multipart():
                continue
            name = _attachment_name(part)
            payload = part.get_payload(decode=True)
            if not isinstance(payload, bytes):
                continue
            if name.lower().endswith(fmt.EXTENSION) or crypto.is_envelope(payload[:4]):
                found.append((Path(name).name or "lampiran.ktb", payload))
    except _EmlTooComplex as exc:
        raise _refuse_eml(source, exc.message) from None
    except (RecursionError, MemoryError, ValueError, LookupError, TypeError) as exc:
        raise _refuse_eml(source, _("it cannot be read as an e-mail")) from exc
    return found
