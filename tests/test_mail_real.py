"""Bundles by e-mail against real SMTP servers on loopback (aiosmtpd), as a province runs them.

Each server gets a certificate made here: a province's own CA (self-signed) and a server
certificate it signed for ``localhost``/127.0.0.1. STARTTLS, implicit SSL and AUTH are real;
nothing leaves this machine: the only host names used besides 127.0.0.1/localhost are
``.invalid`` ones, and for those the name lookup and the connection are replaced by traps
that fail the test if reached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword
from aiosmtpd.smtp import Session as SmtpSession
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from kt_desktop.bundles import mail
from kt_desktop.bundles.errors import BundleError
from kt_desktop.domain.formats import local_time
from kt_desktop.services import bundles, outbox
from kt_desktop.services.session import Session
from kt_desktop.store import bundles as bundle_store
from tests.test_bundles_kit import add_members

USER = "kt.tunasharapan"
PASSWORD = "sandi-yang-benar"
NOWHERE = "mail.example.invalid"
#: Raw English that must never reach the secretary.
ENGLISH = (
    "CERTIFICATE_VERIFY_FAILED",
    "WRONG_VERSION_NUMBER",
    "extension not supported",
    "[SSL",
    "Errno",
    "Connection refused",
    "timed out",
    "Authentication",
)


# -- a province's own certificate authority ------------------------------------------------------
@dataclass(frozen=True)
class Pki:
    ca_file: Path
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


def _name(text: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def make_pki(folder: Path) -> Pki:
    """A self-signed CA and a server certificate for localhost and 127.0.0.1 signed by it."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("CA Diskominfo Provinsi Banten (uji)")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(ca_name)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_file = folder / "ca-provinsi.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file = folder / "server.pem"
    cert_file.write_bytes(server.public_bytes(serialization.Encoding.PEM))
    key_file = folder / "server.key"
    key_file.write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Pki(ca_file, cert_file, key_file)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


# -- servers --------------------------------------------------------------------------------------
@dataclass
class Mailbox:
    """What a server received, and every login attempt with its mechanism."""

    received: list[tuple[Envelope, bytes]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    password: str = PASSWORD

    async def handle_DATA(self, server: SMTP, session: SmtpSession, envelope: Envelope) -> str:
        self.received.append((envelope, bytes(envelope.original_content or b"")))
        return "250 OK"

    def authenticate(
        self, server: SMTP, session: SmtpSession, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        self.logins.append(mechanism)
        ok = (
            isinstance(data, LoginPassword)
            and data.login == USER.encode()
            and data.password == self.password.encode()
        )
        return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


Serve = Callable[..., tuple[Mailbox, int]]


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Start an aiosmtpd server on 127.0.0.1: ``serve(kind, auth=..., port=...)``.

    kind: "plain" (no TLS at all), "starttls" (STARTTLS required before MAIL), "ssl"
    (implicit TLS from the first byte, as on port 465).
    """
    with ExitStack() as stack:

        def start(
            kind: str,
            *,
            pki: Pki | None = None,
            auth: bool = False,
            port: int = 0,
            only: str = "",
        ) -> tuple[Mailbox, int]:
            box = Mailbox()
            port = port or free_port()
            options: dict[str, Any] = {}
            if auth:
                options["authenticator"] = box.authenticate
            if only:  # offer this login mechanism alone
                options["auth_exclude_mechanism"] = [m for m in ("PLAIN", "LOGIN") if m != only]
            if kind == "starttls":
                assert pki is not None
                options.update(tls_context=pki.server_context(), require_starttls=True)
            elif kind == "ssl":
                assert pki is not None
                options.update(ssl_context=pki.server_context(), auth_require_tls=False)
            elif auth:
                options["auth_require_tls"] = False  # a relay on this computer
            controller = Controller(box, hostname="127.0.0.1", port=port, **options)
            controller.start()
            stack.callback(controller.stop)
            return box, port

        yield start


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    """Any name lookup or connection to a host other than loopback fails the test."""
    reached: list[tuple[str, Any]] = []
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.create_connection

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if str(host) not in ("127.0.0.1", "localhost", "::1"):
            reached.append(("lookup", host))
            raise AssertionError(f"name lookup of {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
        if str(address[0]) not in ("127.0.0.1", "localhost", "::1"):
            reached.append(("connect", address))
            raise AssertionError(f"connection to {address}")
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return reached


# -- the village ----------------------------------------------------------------------------------
@pytest.fixture
def village(mail_village: Session) -> Session:
    """The village of these tests: ``mail_village`` (tests/conftest.py), three members."""
    return mail_village


def configure(
    village: Session,
    port: int,
    *,
    security: str,
    user: str = "",
    password: str = "",
    ca: Path | None = None,
    host: str = "127.0.0.1",
) -> None:
    outbox.save_email_settings(
        village,
        outbox.EmailSettings(
            recipient="kt.banten@example.id",
            host=host,
            port=port,
            security=security,
            user=user,
            password=password,
            sender="kt.tunasharapan@example.id",
            ca_cert=outbox.read_ca_file(ca) if ca else "",
        ),
    )


#: The ``village_cli`` fixture (tests/conftest.py): ``kt-desktop ARGV --data <village file>``.
Cli = Callable[..., tuple[int, str, str]]


SUBJECT = b"Subject: Data Karang Taruna Tunas Harapan (36.04.22.2001), paket data 1"


def header_lines(raw: bytes) -> list[bytes]:
    """The header's physical lines: a folded subject would be two of them."""
    return raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")


def assert_indonesian(text: str) -> None:
    assert text and not any(word in text for word in ENGLISH), text


# -- TLS and AUTH that work -----------------------------------------------------------------------
def test_starttls_with_the_province_ca_and_a_password_sends_once_with_one_login(
    village: Session, serve: Serve, pki: Pki
) -> None:
    box, port = serve("starttls", pki=pki, auth=True)
    configure(village, port, security="starttls", user=USER, password=PASSWORD, ca=pki.ca_file)
    result = bundles.export_for_email(village)
    (item,) = outbox.send_due(village, timeout=5)
    assert item.state == bundle_store.OUTBOX_SENT, item.last_error
    assert box.logins == ["PLAIN"]  # one mechanism, once

    ((envelope, raw),) = box.received
    assert envelope.rcpt_tos == ["kt.banten@example.id"]
    # The subject on one line, not folded onto a line of its own with a leading space.
    assert SUBJECT in header_lines(raw)
    message = BytesParser(policy=policy.default).parsebytes(raw)
    body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Terlampir data Karang Taruna Tunas Harapan (36.04.22.2001)" in body
    assert "Karang Taruna Karang Taruna" not in body + str(message["Subject"])
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_payload(decode=True) == result.path.read_bytes()
    assert outbox.send_due(village, timeout=5) == []


def test_implicit_ssl_with_the_province_ca_sends(village: Session, serve: Serve, pki: Pki) -> None:
    box, port = serve("ssl", pki=pki, auth=True)
    configure(village, port, security="ssl", user=USER, password=PASSWORD, ca=pki.ca_file)
    bundles.export_for_email(village)
    (item,) = outbox.send_due(village, timeout=5)
    assert item.state == bundle_store.OUTBOX_SENT, item.last_error
    assert box.logins == ["PLAIN"] and len(box.received) == 1


def test_a_self_signed_server_is_refused_in_indonesian_until_its_ca_is_trusted(
    village: Session, serve: Serve, pki: Pki, village_cli: Cli
) -> None:
    box, port = serve("starttls", pki=pki)
    configure(village, port, security="starttls")  # the system's CAs only
    bundles.export_for_email(village)
    (item,) = outbox.send_due(village, timeout=5)
    assert item.state == bundle_store.OUTBOX_FAILED and box.received == []
    assert "Sertifikat server tidak dipercaya" in item.last_error
    assert "--smtp-ca-file" in item.last_error
    assert_indonesian(item.last_error)

    # What the README tells the secretary to do: give the province's CA file once.
    code, out, err = village_cli("bundle", "email-settings", "--smtp-ca-file", str(pki.ca_file))
    assert code == 0 and err == "" and "Sertifikat CA milik server dipercaya" in out
    code, out, err = village_cli("bundle", "send")
    assert code == 0 and err == "" and "terkirim" in out  # the new settings made it due now
    assert len(box.received) == 1

    # A file that is no certificate is refused with its name; the trusted CA stays.
    bogus = pki.ca_file.with_name("bukan-sertifikat.pem")
    bogus.write_text("-----BEGIN CERTIFICATE-----\nbukan\n-----END CERTIFICATE-----\n")
    code, out, err = village_cli("bundle", "email-settings", "--smtp-ca-file", str(bogus))
    assert code == 1 and out == "" and "bukan sertifikat CA" in err and str(bogus) in err
    assert outbox.email_settings(village).ca_cert


# -- a password never in clear text to another computer -----------------------------------------
@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LocalHost.", True),
        ("::ffff:127.0.0.1", True),
        (NOWHERE, False),
        ("localhost.example.id", False),
        ("10.0.0.5", False),
        ("0.0.0.0", False),
    ],
)
def test_loopback_is_only_this_computer(host: str, loopback: bool) -> None:
    assert mail.is_loopback(host) is loopback


def test_clear_text_password_to_another_computer_is_refused_before_any_connection(
    village: Session, no_network: list[tuple[str, Any]], village_file: Path, village_cli: Cli
) -> None:
    # Saving (the service the GUI and the CLI use) says so.
    with pytest.raises(BundleError) as refused:
        configure(village, 25, security="none", user=USER, password=PASSWORD, host=NOWHERE)
    assert "tanpa enkripsi" in refused.value.message and NOWHERE in refused.value.message
    assert outbox.email_settings(village).host == ""  # nothing was saved
    code, out, err = village_cli(
        "bundle", "email-settings", "--smtp-host", NOWHERE, "--smtp-security", "none",
        "--smtp-user", USER,
    )
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert "tanpa enkripsi" in err and "STARTTLS" in err

    # The sender refuses too, before looking the name up: settings from an older program.
    message = mail.build_message(
        village_file, to="kt.banten@example.id", sender="", subject="uji", body="uji", draft=False
    )
    config = mail.SmtpConfig(NOWHERE, 25, "none", user=USER, password=PASSWORD)
    with pytest.raises(mail.SendFailure) as failure:
        mail.send(message, config)
    assert failure.value.permanent and "tanpa enkripsi" in failure.value.reason

    db = village.db()
    with db.atomic():
        bundle_store.save_smtp_values(
            db,
            {
                bundle_store.SMTP_HOST: NOWHERE,
                bundle_store.SMTP_PORT: "25",
                bundle_store.SMTP_SECURITY: "none",
                bundle_store.SMTP_USER: USER,
                bundle_store.SMTP_PASSWORD: PASSWORD,
            },
        )
    bundles.export_for_email(village)
    (item,) = outbox.send_due(village, timeout=5)
    assert item.state == bundle_store.OUTBOX_FAILED and "tanpa enkripsi" in item.last_error
    assert outbox.summary(village).stopped
    assert no_network == []  # no lookup, no connection: the password never left


def test_a_password_over_a_clear_connection_is_allowed_on_this_computer(
    village: Session, serve: Serve
) -> None:
    box, port = serve("plain", auth=True)
    configure(village, port, security="none", user=USER, password=PASSWORD, host="localhost")
    bundles.export_for_email(village)
    (item,) = outbox.send_due(village, timeout=5)
    assert item.state == bundle_store.OUTBOX_SENT, item.last_error
    assert box.logins == ["PLAIN"] and len(box.received) == 1


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_one_login_mechanism_the_server_offers(
    village: Session, serve: Serve, mechanism: str
) -> None:
    box, port = serve("plain", auth=True, only=mechanism)
    configure(village, port, security="none", user=USER, password=PASSWORD)
    bundles.export_for_email(village)
    (item,) = outbox.send_due(village, timeout=5)
    assert item.state == bundle_store.OUTBOX_SENT, item.last_error
    assert box.logins == [mechanism]


# -- each failure in Indonesian, saying what to change -------------------------------------------
@pytest.fixture
def refusing_server() -> Iterator[int]:
    """A server that greets with "554" (busy, or not for this network) and hangs up."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(10)

    def answer() -> None:
        try:
            connection, _address = listener.accept()
        except OSError:
            return
        with connection:
            connection.sendall(b"554 5.7.1 Layanan tidak tersedia untuk jaringan Anda\r\n")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    yield int(listener.getsockname()[1])
    listener.close()
    thread.join(10)


def test_a_refused_greeting_says_so(village: Session, refusing_server: int) -> None:
    configure(village, refusing_server, security="starttls")
    bundles.export_for_email(village)
    (item,) = outbox.send_due(village, timeout=5)
    assert "menolak sambungan (554)" in item.last_error
    assert_indonesian(item.last_error)


def test_starttls_on_a_server_without_it_suggests_ssl(village: Session, serve: Serve) -> None:
    _box, port = serve("plain")
    configure(village, port, security="starttls")
    bundles.export_for_email(village)
    (item,) = outbox.send_due(village, timeout=5)
    assert "tidak menawarkan STARTTLS" in item.last_error and "465" in item.last_error
    assert_indonesian(item.last_error)


def test_login_on_a_server_without_auth_says_to_leave_the_user_empty(
    village: Session, serve: Serve
) -> None:
    _box, port = serve("plain")  # no AUTH offered at all
    configure(village, port, security="none", user=USER, password=PASSWORD)
    bundles.export_for_email(village)
    (item,) = outbox.send_due(village, timeout=5)
    assert "tidak menerima nama pengguna dan kata sandi" in item.last_error
    assert "Kosongkan nama pengguna" in item.last_error
    assert_indonesian(item.last_error)


def test_ssl_on_a_starttls_port_names_the_ports(village: Session, serve: Serve) -> None:
    _box, port = serve("plain")  # answers in clear text: WRONG_VERSION_NUMBER for an SSL client
    configure(village, port, security="ssl")
    bundles.export_for_email(village)
    (item,) = outbox.send_due(village, timeout=5)
    assert "tidak cocok" in item.last_error
    assert "465 untuk SSL/TLS" in item.last_error and "587 untuk STARTTLS" in item.last_error
    assert_indonesian(item.last_error)


def test_starttls_on_an_implicit_ssl_port_gives_up_quickly_and_suggests_ssl(
    village: Session, serve: Serve, pki: Pki
) -> None:
    _box, port = serve("ssl", pki=pki)  # waits for a TLS hello, never greets in clear text
    configure(village, port, security="starttls", ca=pki.ca_file)
    bundles.export_for_email(village)
    started = time.monotonic()
    (item,) = outbox.send_due(village, timeout=1.5)
    assert time.monotonic() - started < 10
    assert "tidak menyapa" in item.last_error and "SSL/TLS (port 465)" in item.last_error
    assert_indonesian(item.last_error)
    assert mail.CONNECT_TIMEOUT <= 10  # the real wait, not the 30 s of a whole transfer
    assert outbox.EmailSettings(host="127.0.0.1").smtp(30).connect_timeout <= 10


def test_nothing_listening_says_connection_refused(village: Session) -> None:
    configure(village, free_port(), security="starttls")
    bundles.export_for_email(village)
    (item,) = outbox.send_due(village, timeout=5)
    assert "sambungan ditolak" in item.last_error and "dihubungi" in item.last_error
    assert "periksa nomor port (465 = SSL/TLS, 587 = STARTTLS)" in item.last_error
    assert_indonesian(item.last_error)


def test_unknown_server_name_says_check_the_spelling(
    village: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_such_name(host: Any, *args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)  # no DNS query leaves
    configure(village, 587, security="starttls", host=NOWHERE)
    bundles.export_for_email(village)
    (item,) = outbox.send_due(village, timeout=5)
    assert f"Nama server {NOWHERE} tidak ditemukan" in item.last_error
    assert_indonesian(item.last_error)


# -- a wrong password -----------------------------------------------------------------------------
def test_a_wrong_password_is_tried_once_then_never_until_the_settings_change(
    village: Session, serve: Serve, pki: Pki, village_cli: Cli
) -> None:
    box, port = serve("starttls", pki=pki, auth=True)
    configure(village, port, security="starttls", user=USER, password="sandi-lama", ca=pki.ca_file)
    bundles.export_for_email(village)
    add_members(village, 2, start=10)
    bundles.export_for_email(village)

    tried = outbox.send_due(village, timeout=5)
    assert len(tried) == 1  # the second bundle would be a second refused login: not tried
    assert tried[0].state == bundle_store.OUTBOX_FAILED
    assert "menolak nama pengguna atau kata sandi (535)" in tried[0].last_error
    assert box.logins == ["PLAIN"]  # not PLAIN then LOGIN

    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=5)
    assert outbox.send_due(village, now=later, timeout=5) == []  # past every back-off
    outbox.retry(village)  # the GUI's "Coba kirim lagi"
    assert outbox.send_due(village, timeout=5) == []
    code, out, err = village_cli("bundle", "send", "--now")
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "2 paket data menunggu di kotak keluar" in err and "dihentikan" in err
    assert "sampai pengaturan e-mail diperbaiki" in err and "kata sandi" in err
    code, out, _err = village_cli("bundle", "status")
    assert "dihentikan" in out
    # Saving the same settings again is no change: still no second refused login.
    configure(village, port, security="starttls", user=USER, password="sandi-lama", ca=pki.ca_file)
    assert outbox.send_due(village, timeout=5) == []
    assert box.logins == ["PLAIN"] and box.received == []

    configure(village, port, security="starttls", user=USER, password=PASSWORD, ca=pki.ca_file)
    tried = outbox.send_due(village, timeout=5)
    assert [item.state for item in tried] == [bundle_store.OUTBOX_SENT] * 2
    assert box.logins == ["PLAIN"] * 3 and len(box.received) == 2
    assert not outbox.summary(village).stopped


# -- the command line: what waits, until when; send --now; absolute paths ------------------------
def test_send_after_a_failure_says_what_waits_and_send_now_sends(
    keyed_village: Session,
    village_cli: Cli,
    tmp_path: Path,
    serve: Serve,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_members(keyed_village, 2)
    port = free_port()  # nothing listens yet
    configure(keyed_village, port, security="none")

    work = tmp_path / "kerja"
    (work / "keluar").mkdir(parents=True)
    monkeypatch.chdir(work)
    code, out, err = village_cli("bundle", "export", "--out", "keluar", "--email")
    assert code == 0 and "kotak keluar" in out
    monkeypatch.chdir(tmp_path)  # sent later from another working folder

    (item,) = bundle_store.outbox_items(keyed_village.db())
    queued = Path(item.path)
    assert queued.is_absolute() and queued.exists()
    assert queued.parent == bundles.outgoing_dir().resolve()
    assert queued.read_bytes() == (work / "keluar" / queued.name).read_bytes()

    code, out, err = village_cli("bundle", "send")
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert "belum terkirim" in err and "sambungan ditolak" in err
    (item,) = bundle_store.outbox_items(keyed_village.db())
    assert f"Dicoba lagi: {local_time(item.next_attempt_at)}." in err

    code, out, err = village_cli("bundle", "send")  # waits out its pause
    assert code == 1 and "Kotak keluar kosong" not in out + err
    assert len(err.strip().splitlines()) == 1
    assert "1 paket data menunggu di kotak keluar" in err and "Percobaan terakhir gagal" in err
    assert local_time(item.next_attempt_at) in err and "bundle send --now" in err

    code, out, err = village_cli("bundle", "status")
    assert code == 0 and "E-mail: 1 paket data menunggu di kotak keluar" in out
    assert local_time(item.next_attempt_at) in out
    code, out, _err = village_cli("bundle", "status", "--json")
    state = json.loads(out)["outbox"]
    assert state["waiting"] == 1 and state["last_failed"] and "ditolak" in state["last_error"]

    box, _port = serve("plain", port=port)  # the server is back
    code, out, err = village_cli("bundle", "send")
    assert code == 1 and box.received == []  # still in its pause: not tried, and says so
    code, out, err = village_cli("bundle", "send", "--now")
    assert code == 0 and err == "" and "terkirim" in out
    assert len(box.received) == 1
    code, out, err = village_cli("bundle", "send")
    assert code == 0 and out.strip() == "Kotak keluar kosong."


def test_draft_without_a_receiver_address_has_no_to_header(village_session: Session) -> None:
    result = bundles.export_for_email(village_session)  # no receiver key: no address
    assert result.eml_path is not None and result.outbox_id is None
    raw = result.eml_path.read_bytes()
    assert not raw.startswith(b"To:") and b"\r\nTo:" not in raw
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert message["To"] is None and message["X-Unsent"] == "1"
    assert SUBJECT in header_lines(raw)
    body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Sekretaris Karang Taruna Tunas Harapan" in body
    assert "Karang Taruna Karang Taruna" not in body


def test_a_name_without_karang_taruna_gets_it_once() -> None:
    assert outbox.organisation("Tunas Harapan") == "Karang Taruna Tunas Harapan"
    assert outbox.organisation("KARANG TARUNA Bina Remaja") == "KARANG TARUNA Bina Remaja"


def test_settings_give_the_mail_layer_every_smtp_field_and_keep_their_fingerprint() -> None:
    """``EmailSettings.smtp()`` and ``fingerprint()`` are derived from the fields: every
    SMTP field reaches the connection, and the fingerprint a stored refusal is tied to is
    the one of the fields in their declared order (so a refusal kept in a file still
    matches after an update)."""
    settings = outbox.EmailSettings(
        recipient="kab@example.org", host="smtp.example.org", port=465, security="ssl",
        user="desa", password="rahasia", sender="kt@example.org", ca_cert="PEM",
    )
    config = settings.smtp(timeout=5.0)
    assert config == mail.SmtpConfig(
        host="smtp.example.org", port=465, security="ssl", user="desa", password="rahasia",
        sender="kt@example.org", timeout=5.0, connect_timeout=min(5.0, mail.CONNECT_TIMEOUT),
        ca_cert="PEM",
    )
    spelled_out = ["kab@example.org", "smtp.example.org", 465, "ssl", "desa", "rahasia",
                   "kt@example.org", "PEM"]
    assert settings.fingerprint() == hashlib.sha256(
        json.dumps(spelled_out).encode("utf-8")).hexdigest()
