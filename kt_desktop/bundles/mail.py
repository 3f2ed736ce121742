"""A bundle by e-mail: the ``.eml`` draft, sending over SMTP, and taking bundles out of mail.

The draft carries ``X-Unsent: 1`` so Outlook, Thunderbird and Windows Mail open it as a
message to send rather than a received one. Sending uses :mod:`smtplib` with STARTTLS, SSL
or (for a relay on this computer) neither; a failure becomes :class:`SendFailure` with an
Indonesian sentence that says what to change (security, port, certificate, password) and
whether trying again later can help. The server's own English text goes to the log only.

A password never travels in clear text: with security "none" a user name is refused before
any connection unless the server is on this computer (loopback). Each try logs in with ONE
mechanism, so a wrong stored password costs one failed login per try, not two.
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from typing import Any

from kt_desktop.bundles import crypto
from kt_desktop.bundles import format as fmt
from kt_desktop.bundles.errors import BundleError
from kt_desktop.i18n import _
from kt_desktop.paths import make_private

log = logging.getLogger(__name__)

#: Seconds to wait for the connection and the server's greeting. A STARTTLS client on an
#: implicit-SSL port (465) waits for a greeting that never comes: 10 s, not the 30 s of a
#: whole transfer, before saying "choose SSL/TLS".
CONNECT_TIMEOUT = 10.0
#: Login mechanisms in the order tried; only the first one the server offers is used.
AUTH_MECHANISMS = ("PLAIN", "LOGIN", "CRAM-MD5")
#: Largest CA certificate file accepted (a bundle of a few certificates is a few KB).
MAX_CA_BYTES = 1024 * 1024

#: CRLF line ends as mail programs expect; headers are not folded below RFC 5322's hard limit
#: of 998, because Python folds a long subject onto a line of its own and some programs then
#: show it with a leading space. Used for the draft AND for the message sent by SMTP.
EML_POLICY = policy.SMTP.clone(max_line_length=998)

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
    connect_timeout: float = CONNECT_TIMEOUT
    ca_cert: str = ""  # PEM text of a CA to trust besides the system's (a provincial server)


class SendFailure(Exception):
    """Sending did not happen; ``reason`` is for the outbox's "last error" column.

    ``permanent``: trying again with the same settings cannot succeed and must not be done
    (a refused password would lock the mailbox); the outbox waits for the settings to change.
    """

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this computer: ``localhost``, 127.0.0.0/8 or ``::1``.

    Names other than ``localhost`` are not resolved: a name's address may change, and the
    check must hold before any packet leaves.
    """
    name = host.strip().strip("[]").rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def clear_text_refusal(host: str, security: str, user: str) -> str | None:
    """The sentence refusing a password without TLS to another computer, or None."""
    if not user or security != "none" or is_loopback(host):
        return None
    return _(
        'The password would travel unencrypted to {host}: security "none" is only for a mail '
        "server on this computer. Choose STARTTLS (port 587) or SSL/TLS (port 465)."
    ).format(host=host)


def tls_context(ca_cert: str = "") -> ssl.SSLContext:
    """The system's trusted authorities, plus the province's own CA where one is set.

    The server's name is still checked. Python 3.13's strict mode is relaxed for a CA set
    by hand only: CAs made with ``openssl req -x509`` often lack the key-usage extension.
    """
    context = ssl.create_default_context()
    if ca_cert:
        context.load_verify_locations(cadata=ca_cert)
        context.verify_flags &= ~ssl.VERIFY_X509_STRICT
    return context


def ca_certificate(data: bytes) -> str:
    """The PEM text of a CA certificate file (PEM or DER); ValueError when it is none."""
    if len(data) > MAX_CA_BYTES:
        raise ValueError("too large")
    if b"-----BEGIN CERTIFICATE-----" in data:
        text = data.decode("ascii", "replace")
    else:
        text = ssl.DER_cert_to_PEM_cert(data)
    try:
        context = ssl.create_default_context(cadata=text)
    except (ssl.SSLError, ValueError) as exc:
        raise ValueError(str(exc)) from exc
    if not context.get_ca_certs():
        raise ValueError("no CA certificate")
    return text


def build_message(
    bundle: Path,
    *,
    to: str,
    sender: str,
    subject: str,
    body: str,
    draft: bool,
) -> EmailMessage:
    message = EmailMessage(policy=EML_POLICY)
    if to:  # a draft without a receiver gets no empty To: header; the mail program asks
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


def write_draft(message: EmailMessage, path: Path) -> Path:
    """Write the ``.eml`` draft."""
    data = message.as_bytes(policy=EML_POLICY)
    temporary = path.with_name(path.name + ".part")
    temporary.write_bytes(data)
    make_private(temporary)
    temporary.replace(path)
    return path


class _Staged:
    """Notes when the connection stands, so a silent server after it means "no greeting"."""

    stage = "connect"

    def _get_socket(self, host: str, port: int, timeout: float) -> Any:
        sock = super()._get_socket(host, port, timeout)  # type: ignore[misc]
        self.stage = "greeting"
        return sock


class _Smtp(_Staged, smtplib.SMTP):
    pass


class _SmtpSsl(_Staged, smtplib.SMTP_SSL):
    pass


def send(message: EmailMessage, config: SmtpConfig) -> None:
    """Hand the message to the SMTP server, or raise :class:`SendFailure`."""
    refusal = clear_text_refusal(config.host, config.security, config.user)
    if refusal is not None:  # before any connection: not one packet with the password
        raise SendFailure(refusal, permanent=True)
    if "X-Unsent" in message:
        del message["X-Unsent"]
    if config.sender and "From" not in message:
        message["From"] = config.sender
    client: _Smtp | _SmtpSsl
    if config.security == "ssl":
        client = _SmtpSsl(timeout=config.connect_timeout, context=tls_context(config.ca_cert))
    else:
        client = _Smtp(timeout=config.connect_timeout)
    client._host = config.host  # server name for the certificate check (smtplib keeps it here)
    try:
        _converse(client, message, config)
    except SendFailure:
        raise
    except Exception as exc:
        failure = _failure(exc, config, client.stage)
        if failure is None:
            raise
        log.warning(
            "SMTP %s:%s (%s) failed at %s: %r",
            config.host,
            config.port,
            config.security,
            client.stage,
            exc,
        )
        raise failure from exc
    finally:
        client.close()


def _converse(client: _Smtp | _SmtpSsl, message: EmailMessage, config: SmtpConfig) -> None:
    code, _greeting = client.connect(config.host, config.port)
    if code != 220:  # smtplib checks this only when the host is given to the constructor
        raise smtplib.SMTPConnectError(code, _greeting)
    if client.sock is not None:
        client.sock.settimeout(config.timeout)  # the greeting came: the transfer may take longer
    if config.security == "starttls":
        client.stage = "starttls"
        client.starttls(context=tls_context(config.ca_cert))
    if config.user:
        client.stage = "auth"
        _login(client, config.user, config.password)
    client.stage = "send"
    client.send_message(message, from_addr=config.sender or None)
    client.stage = "sent"
    try:  # the server has the message: a failed goodbye must not make it send again
        client.quit()
    except (smtplib.SMTPException, OSError):
        pass


def _login(client: smtplib.SMTP, user: str, password: str) -> None:
    """Log in with the first mechanism the server offers: one attempt, never a second."""
    client.ehlo_or_helo_if_needed()
    if not client.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    offered = client.esmtp_features["auth"].upper().split()
    mechanism = next((name for name in AUTH_MECHANISMS if name in offered), None)
    if mechanism is None:
        log.warning("SMTP login methods offered: %s", offered)
        raise SendFailure(
            _(
                "The server offers no login method the program knows; ask the server's "
                "administrator, or leave the user name empty if it needs no login."
            ),
            permanent=True,
        )
    client.user, client.password = user, password
    method = getattr(client, "auth_" + mechanism.lower().replace("-", "_"))
    client.auth(mechanism, method, initial_response_ok=True)


def _failure(exc: BaseException, config: SmtpConfig, stage: str) -> SendFailure | None:
    """An Indonesian sentence saying what to change, for each way sending fails."""
    host, port = config.host, config.port
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return SendFailure(
            _(
                "The server refused the user name or password ({code}). Correct them in the "
                "e-mail settings (some webmail needs an app password)."
            ).format(code=exc.smtp_code),
            permanent=500 <= exc.smtp_code < 600,
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        if stage == "starttls" or "STARTTLS" in str(exc):
            return SendFailure(
                _(
                    "The server on port {port} does not offer STARTTLS. Choose SSL/TLS (usually "
                    'port 465) or check the port; security "none" is only for a server on '
                    "this computer."
                ).format(port=port),
                permanent=False,
            )
        return SendFailure(
            _(
                "The server does not accept a user name and password on this connection. Leave "
                "the user name empty if it needs no login, or choose STARTTLS or SSL/TLS: many "
                "servers allow login only on an encrypted connection."
            ),
            permanent=True,
        )
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = ", ".join(str(code) for code, _msg in exc.recipients.values())
        return SendFailure(
            _(
                "The server refused the receiver's address ({code}); check the address in the "
                "e-mail settings."
            ).format(code=codes),
            permanent=True,
        )
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return SendFailure(
            _(
                "The server refused the From address {address} ({code}); use your mailbox's "
                "own address in the e-mail settings."
            ).format(address=config.sender or "—", code=exc.smtp_code),
            permanent=500 <= exc.smtp_code < 600,
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        log.warning("SMTP server said %s %r", exc.smtp_code, exc.smtp_error)
        if stage == "greeting":  # it answered, but not with "220 ready"
            return SendFailure(
                _(
                    "The server on port {port} refused the connection ({code}); it may be busy, "
                    "or it does not accept mail from this network. It is tried again later."
                ).format(port=port, code=exc.smtp_code),
                permanent=False,
            )
        if exc.smtp_code == 552:
            return SendFailure(
                _("The server refused the message as too large ({code})").format(
                    code=exc.smtp_code
                ),
                permanent=False,
            )
        return SendFailure(
            _("The server refused the message ({code}); it is tried again later.").format(
                code=exc.smtp_code
            ),
            permanent=False,
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        if stage == "greeting":
            return SendFailure(_no_greeting(config), permanent=False)
        return SendFailure(_("the connection to the server was cut off"), permanent=False)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return SendFailure(_certificate_reason(exc, host), permanent=False)
    if isinstance(exc, ssl.SSLError):
        if exc.reason == "WRONG_VERSION_NUMBER" or "WRONG_VERSION_NUMBER" in str(exc):
            return SendFailure(
                _(
                    "The server on port {port} does not start with an encrypted connection: "
                    "the security setting and the port do not match. Port 465 is SSL/TLS, port "
                    "587 is STARTTLS."
                ).format(port=port),
                permanent=False,
            )
        return SendFailure(
            _(
                "The encrypted connection with the server failed. Check the security setting "
                "and the port (465 = SSL/TLS, 587 = STARTTLS)."
            ),
            permanent=False,
        )
    if isinstance(exc, smtplib.SMTPException):
        return SendFailure(
            _(
                "The server answered in a way the program does not understand; check the server "
                "name and the port in the e-mail settings."
            ),
            permanent=False,
        )
    if isinstance(exc, TimeoutError):
        if stage in ("connect", "greeting"):
            if stage == "greeting" or config.security == "ssl":
                return SendFailure(_no_greeting(config), permanent=False)
            return SendFailure(
                _(
                    "{host} did not answer on port {port} within {seconds} seconds: check the "
                    "port and the internet connection (a firewall may block it)."
                ).format(host=host, port=port, seconds=round(config.connect_timeout)),
                permanent=False,
            )
        return SendFailure(_("the server did not answer in time"), permanent=False)
    if isinstance(exc, socket.gaierror):
        return SendFailure(
            _(
                "The server name {host} cannot be found: check its spelling in the e-mail "
                "settings and the internet connection."
            ).format(host=host),
            permanent=False,
        )
    if isinstance(exc, ConnectionRefusedError):
        return SendFailure(
            _(
                "The server {host} cannot be reached on port {port} (connection refused): check "
                "the port (465 = SSL/TLS, 587 = STARTTLS) and that the server is running."
            ).format(host=host, port=port),
            permanent=False,
        )
    if isinstance(exc, OSError):
        return SendFailure(
            _("the server cannot be reached ({reason})").format(reason=_network_reason(exc)),
            permanent=False,
        )
    return None


def _no_greeting(config: SmtpConfig) -> str:
    if config.security == "ssl":
        return _(
            "The server on port {port} did not answer within {seconds} seconds. Check the port: "
            "465 is SSL/TLS, 587 is STARTTLS."
        ).format(port=config.port, seconds=round(config.connect_timeout))
    return _(
        "The server on port {port} did not greet within {seconds} seconds: it probably expects "
        "an encrypted connection from the start. Choose SSL/TLS (port 465), or STARTTLS with "
        "port 587."
    ).format(port=config.port, seconds=round(config.connect_timeout))


def _certificate_reason(exc: ssl.SSLCertVerificationError, host: str) -> str:
    code = getattr(exc, "verify_code", 0)
    if code == 62:  # X509_V_ERR_HOSTNAME_MISMATCH
        return _(
            "The server's certificate is made out to another name than {host}. Use the server "
            "name written in the certificate (ask the server's administrator)."
        ).format(host=host)
    if code == 10:  # X509_V_ERR_CERT_HAS_EXPIRED
        return _(
            "The server's certificate has expired, or this computer's date is wrong. Check the "
            "date, or tell the server's administrator."
        )
    return _(
        "The server's certificate is not trusted (self-signed, or issued by the province's own "
        "authority). Ask the server's administrator for the CA certificate file and add it in "
        "the e-mail settings (kt-desktop bundle email-settings --smtp-ca-file FILE)."
    )


def _network_reason(exc: OSError) -> str:
    """The OS's error, said in the user's language (the English text goes to the log)."""
    reasons = {
        errno.ECONNREFUSED: _("connection refused"),
        errno.ENETUNREACH: _("no network"),
        errno.EHOSTUNREACH: _("no route to the server"),
        errno.ECONNRESET: _("the connection was reset"),
    }
    return reasons.get(exc.errno or 0, _("network error {number}").format(number=exc.errno or 0))


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


def sender_of_eml(data: bytes) -> str:
    """The address in an e-mail file's ``From`` (where a receipt answers); "" when none.

    Only the headers are read, under the same caps as :func:`bundles_in_eml`.
    """
    try:
        message = BytesParser(policy=_BoundedPolicy()).parsebytes(data, headersonly=True)
        return parseaddr(str(message.get("From", "") or ""))[1][:254]
    except Exception:  # an unreadable header is only a missing reply address
        return ""
