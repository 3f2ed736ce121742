"""Files from someone else are data: each hostile shape is refused alone, in bounded time and
memory, with one Indonesian sentence naming the file (issue #25, second half)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kt_desktop.bundles.errors import BundleError
from kt_desktop.bundles.mail import bundles_in_eml
from kt_desktop.services import bundles
from kt_desktop.services.session import open_session
from tests.test_bundles_kit import add_members, export, install_receiver_key, live_rows

ROOT = Path(__file__).resolve().parent.parent
#: The address space a child process may use: a hostile file must not need more.
MEMORY_CAP = 1536 * 1024 * 1024


def _limited() -> None:
    """``preexec_fn``: cap the child's address space (POSIX; Windows runs without)."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_capped(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``kt-desktop ARGS`` in a child process under :data:`MEMORY_CAP`."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "kt_desktop", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=timeout,
        preexec_fn=_limited if sys.platform != "win32" else None,
    )


# --- e-mail files ------------------------------------------------------------------------


def _encoded_words_eml(size: int) -> bytes:
    """A Content-Disposition of encoded words: ``policy.default`` needed over 1.5 GB for
    280 KB of it."""
    return (
        b"From: a@example.id\r\nSubject: kiriman\r\n"
        b'Content-Disposition: attachment; filename="'
        + b"=?utf-8?q?a?=" * (size // 13)
        + b'"\r\n\r\nisi\r\n'
    )


def _nested_eml(depth: int) -> bytes:
    """``multipart/mixed`` inside itself ``depth`` times: the parser recursed once per level."""
    out = b"From: a@example.id\r\nMIME-Version: 1.0\r\n"
    for level in range(depth):
        out += b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (level, level)
    return out + b"Content-Type: text/plain\r\n\r\nisi\r\n"


def test_hostile_emails_beside_a_good_bundle_are_refused_alone(
    village_file: Path, receiver_file: Path, tmp_path: Path
) -> None:
    village = open_session(village_file)
    receiver = open_session(receiver_file)
    try:
        install_receiver_key(village, receiver, tmp_path)
        add_members(village, 3)
        folder = tmp_path / "kotak masuk"
        good = export(village, folder)
    finally:
        village.close()
        receiver.close()
    (folder / "a-judul.eml").write_bytes(_encoded_words_eml(280 * 1024))
    (folder / "b-bersarang.eml").write_bytes(_nested_eml(3000))

    done = run_capped(
        "bundle", "import", str(folder), "--trust-new", "--json", "--data", str(receiver_file)
    )

    assert done.returncode == 1, done.stderr  # some refused, none crashed
    assert "tak terduga" not in done.stderr and "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    by_source = {item["source"]: item for item in report["bundles"]}
    assert by_source[good.name]["status"] == bundles.IMPORTED
    judul = by_source["a-judul.eml"]["message"]
    assert judul.startswith("a-judul.eml ditolak sebagai e-mail")
    assert "64 KB" in judul
    nested = by_source["b-bersarang.eml"]["message"]
    assert nested.startswith("b-bersarang.eml ditolak sebagai e-mail") and "64 bagian" in nested
    receiver = open_session(receiver_file)
    try:
        assert len(live_rows(receiver.db(), "members")) == 3
    finally:
        receiver.close()


@pytest.mark.parametrize(
    "data, said",
    [
        (
            b"From: a@example.id\r\nContent-Type: multipart/mixed; boundary=\""
            + b"x" * 9000
            + b'"\r\n\r\nisi\r\n',
            "baris kepala Content-Type-nya lebih panjang dari 8 KB",
        ),
        (
            b"From: a@example.id\r\nReferences: " + b"<a@b> " * 12000 + b"\r\n\r\nisi\r\n",
            "salah satu baris kepalanya lebih panjang dari 64 KB",
        ),
    ],
)
def test_eml_header_caps_name_the_limit(data: bytes, said: str) -> None:
    with pytest.raises(BundleError) as refused:
        bundles_in_eml(data, "surat.eml")
    assert refused.value.message.startswith("surat.eml ditolak sebagai e-mail: " + said)


def test_a_mail_programs_nesting_and_encoded_file_name_still_work(
    village_file: Path, tmp_path: Path
) -> None:
    """Three levels and an RFC 2047 file name, as Outlook writes them, still give the bundle."""
    from email.message import EmailMessage

    payload = b"KTB1" + bytes(200)  # stands in for a bundle; found by its name here
    inner = EmailMessage()
    inner.set_content("Terlampir data desa.")
    inner.add_attachment(payload, maintype="application", subtype="octet-stream",
                         filename="lampiran.bin")
    del inner.get_payload()[1]["Content-Disposition"]
    inner.get_payload()[1]["Content-Disposition"] = (
        'attachment; filename="=?utf-8?b?' + "S1QtZGVzYS5rdGI=" + '?="'
    )
    outer = EmailMessage()
    outer["Subject"] = "Fwd: kiriman"
    outer.set_content("Diteruskan.")
    outer.add_attachment(inner)
    found = bundles_in_eml(outer.as_bytes(), "teruskan.eml")
    assert [name for name, _data in found] == ["KT-desa.ktb"]
    assert found[0][1] == payload
