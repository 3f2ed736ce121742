"""Getting a bundle out: a folder or USB stick (whole or absent, sequence kept on failure),
the list of removable drives, the e-mail draft, and the SMTP outbox against a real SMTP
server on loopback (aiosmtpd) that accepts, refuses, hangs up, or is not there at all."""

from __future__ import annotations

import datetime as dt
import errno
import os
import socket
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SmtpSession

from kt_desktop.bundles import transport
from kt_desktop.bundles.errors import BundleError
from kt_desktop.services import bundles, outbox
from kt_desktop.services.session import Session
from kt_desktop.store import bundles as bundle_store
from tests.test_bundles_kit import add_members

DATA = os.urandom(3 * transport.CHUNK + 123)


# -- folders and sticks ------------------------------------------------------------------------
@pytest.fixture
def stick(tmp_path: Path) -> Path:
    folder = tmp_path / "KINGSTON"
    folder.mkdir()
    return folder


def test_written_whole_under_its_final_name_only(stick: Path) -> None:
    path = transport.write_to_folder(DATA, stick, "KT-1.ktb")
    assert path.read_bytes() == DATA
    assert sorted(p.name for p in stick.iterdir()) == ["KT-1.ktb"]


class _PulledOut:
    """A file on a stick that disappears after ``budget`` bytes (or whose fsync fails)."""

    def __init__(self, path: Path, budget: int, error: int, *, fail_fsync: bool = False) -> None:
        self.handle = path.open("xb")
        self.budget = budget
        self.error = error
        self.fail_fsync = fail_fsync

    def write(self, data: Any) -> int:
        if self.budget < len(data):
            self.handle.write(bytes(data[: self.budget]))
            raise OSError(self.error, os.strerror(self.error))
        self.budget -= len(data)
        return self.handle.write(data)

    def flush(self) -> None:
        self.handle.flush()

    def fileno(self) -> int:
        if self.fail_fsync:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return self.handle.fileno()

    def close(self) -> None:
        self.handle.close()


@pytest.mark.parametrize(
    ("error", "fsync", "words"),
    [
        (errno.EIO, False, ("removed", "dicabut")),
        (errno.ENOSPC, False, ("full", "penuh")),
        (errno.EIO, True, ("removed", "dicabut")),
    ],
    ids=["pulled-out", "disk-full", "fsync-fails"],
)
def test_failure_halfway_leaves_nothing_under_any_name(
    stick: Path, error: int, fsync: bool, words: tuple[str, str]
) -> None:
    def opener(path: Path) -> BinaryIO:
        return _PulledOut(path, transport.CHUNK + 10, error, fail_fsync=fsync)  # type: ignore[return-value]

    with pytest.raises(BundleError) as info:
        transport.write_to_folder(DATA, stick, "KT-1.ktb", opener=opener)
    assert info.value.code == "write_failed"
    assert any(word in info.value.message for word in words), info.value.message
    assert list(stick.iterdir()) == []


def test_a_copy_that_reads_back_differently_is_removed(stick: Path) -> None:
    def reader(path: Path) -> bytes:
        data = bytearray(path.read_bytes())
        data[-1] ^= 1
        return bytes(data)

    with pytest.raises(BundleError) as info:
        transport.write_to_folder(DATA, stick, "KT-1.ktb", reader=reader)
    assert info.value.code == "write_failed"
    assert list(stick.iterdir()) == []


def test_not_enough_space_is_said_before_writing(
    stick: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transport.shutil, "disk_usage", lambda _p: _usage(1000))
    with pytest.raises(BundleError) as info:
        transport.write_to_folder(DATA, stick, "KT-1.ktb")
    assert "KB" in info.value.message
    assert list(stick.iterdir()) == []


def _usage(free: int) -> Any:
    import shutil

    return shutil._ntuple_diskusage(total=free * 2, used=free, free=free)  # type: ignore[attr-defined]


def test_a_failed_export_does_not_use_up_the_sequence(village: Session, tmp_path: Path) -> None:
    add_members(village, 20)
    stick = tmp_path / "stick"
    stick.mkdir()

    def opener(path: Path) -> BinaryIO:
        return _PulledOut(path, 100, errno.EIO)  # type: ignore[return-value]

    with pytest.raises(BundleError):
        bundles.export(village, dest_dir=stick, opener=opener)
    assert list(stick.iterdir()) == []
    status = bundles.send_status(village)
    assert status.last_export is None and status.pending["Members"] == 20

    result = bundles.export(village, dest_dir=stick)
    assert result.seq == 1 and result.path.exists()
    assert bundles.send_status(village).last_export.seq == 1  # type: ignore[union-attr]


def test_removable_drives_from_the_mount_table(tmp_path: Path) -> None:
    media = tmp_path / "media" / "siti"
    stick = media / "KINGSTON"
    other = tmp_path / "mnt" / "usb stick"
    for folder in (stick, other):
        folder.mkdir(parents=True)
    sys_block = tmp_path / "sys" / "block"
    (sys_block / "sdc").mkdir(parents=True)
    (sys_block / "sdc" / "removable").write_text("1\n")
    (sys_block / "sda").mkdir()
    (sys_block / "sda" / "removable").write_text("0\n")
    mounts = tmp_path / "mounts"
    escaped_other = str(other).replace(" ", "\\040")
    mounts.write_text(
        "/dev/sda1 / ext4 rw,relatime 0 0\n"
        "proc /proc proc rw 0 0\n"
        f"tmpfs {tmp_path}/media/siti/tmp tmpfs rw 0 0\n"
        f"/dev/sdb1 {stick} vfat rw,nosuid 0 0\n"
        f"/dev/sdc1 {escaped_other} vfat rw 0 0\n"
        f"/dev/sda2 {tmp_path} ext4 rw 0 0\n"
    )
    drives = transport.removable_drives(
        mounts=mounts, sys_block=sys_block, media_roots=(f"{tmp_path}/media/",)
    )
    assert [(d.name, d.path) for d in drives] == [("KINGSTON", stick), ("usb stick", other)]
    assert all(d.free_bytes > 0 and d.total_bytes >= d.free_bytes for d in drives)


# -- e-mail -------------------------------------------------------------------------------------
def test_email_draft_is_addressed_in_indonesian_with_the_bundle(mail_village: Session) -> None:
    result = bundles.export_for_email(mail_village)
    assert result.eml_path is not None and result.outbox_id is None  # no SMTP set up
    message = BytesParser(policy=policy.default).parsebytes(result.eml_path.read_bytes())
    assert message["X-Unsent"] == "1"
    assert message["To"] == "kt.banten@example.id"
    assert message["Subject"].startswith("Data Karang Taruna") and "paket data 1" in message["Subject"]
    body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Terlampir" in body and "terenkripsi" in body
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == result.path.name
    assert attachment.get_payload(decode=True) == result.path.read_bytes()


class _Inbox:
    """An aiosmtpd handler: accept, refuse with a 5xx, or hang up in the middle."""

    def __init__(self) -> None:
        self.mode = "accept"
        self.received: list[tuple[Envelope, bytes]] = []

    async def handle_DATA(self, server: SMTP, session: SmtpSession, envelope: Envelope) -> str:
        if self.mode == "refuse":
            return "550 5.7.1 Pesan ditolak oleh kebijakan server"
        if self.mode == "hang-up":
            assert server.transport is not None
            server.transport.close()
            return "421 closing"
        self.received.append((envelope, bytes(envelope.original_content or b"")))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _configure(village: Session, port: int) -> None:
    outbox.save_email_settings(
        village,
        outbox.EmailSettings(
            recipient="kt.banten@example.id",
            host="127.0.0.1",
            port=port,
            security="none",
            sender="kt.tunasharapan@example.id",
        ),
    )


def test_outbox_sends_through_a_real_smtp_server(
    mail_village: Session, smtp_server: tuple[_Inbox, int]
) -> None:
    inbox, port = smtp_server
    _configure(mail_village, port)
    result = bundles.export_for_email(mail_village)
    assert result.outbox_id is not None
    (item,) = outbox.send_due(mail_village, timeout=5)
    assert item.state == bundle_store.OUTBOX_SENT and item.attempts == 1 and item.sent_at

    ((envelope, raw),) = inbox.received
    assert envelope.rcpt_tos == ["kt.banten@example.id"]
    assert envelope.mail_from == "kt.tunasharapan@example.id"
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert "X-Unsent" not in message
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_payload(decode=True) == result.path.read_bytes()
    assert outbox.send_due(mail_village, timeout=5) == []  # sent once, never again


@pytest.mark.parametrize(
    ("mode", "words"),
    [("refuse", ("550",)), ("hang-up", ("cut off", "terputus"))],
)
def test_refusal_or_hang_up_fails_and_is_retried_later(
    mail_village: Session, smtp_server: tuple[_Inbox, int], mode: str, words: tuple[str, ...]
) -> None:
    inbox, port = smtp_server
    _configure(mail_village, port)
    bundles.export_for_email(mail_village)
    inbox.mode = mode
    (item,) = outbox.send_due(mail_village, timeout=5)
    assert item.state == bundle_store.OUTBOX_FAILED and item.attempts == 1
    assert any(word in item.last_error for word in words), item.last_error
    assert item.next_attempt_at > item.last_attempt_at
    assert outbox.send_due(mail_village, timeout=5) == []  # waits for its back-off

    inbox.mode = "accept"
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=3)
    (item,) = outbox.send_due(mail_village, now=later, timeout=5)
    assert item.state == bundle_store.OUTBOX_SENT and item.attempts == 2
    assert len(inbox.received) == 1


def test_absent_server_fails_then_retry_button_sends(
    mail_village: Session, smtp_server: tuple[_Inbox, int]
) -> None:
    inbox, port = smtp_server
    _configure(mail_village, _free_port())  # nothing listens there
    bundles.export_for_email(mail_village)
    (item,) = outbox.send_due(mail_village, timeout=5)
    assert item.state == bundle_store.OUTBOX_FAILED
    assert "reached" in item.last_error or "dihubungi" in item.last_error

    _configure(mail_village, port)  # the network is back
    outbox.retry(mail_village, item.id)
    (item,) = outbox.send_due(mail_village, timeout=5)
    assert item.state == bundle_store.OUTBOX_SENT
    assert len(inbox.received) == 1
