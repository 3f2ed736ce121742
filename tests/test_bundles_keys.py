"""The receiver's public key file: exported by the province, installed by its villages, and
refused when a character of it changed or it belongs to another area."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from kt_desktop.bundles import keys
from kt_desktop.bundles.errors import BundleError
from kt_desktop.services import bundles
from kt_desktop.services.session import open_session
from tests.test_bundles_kit import OUTSIDE_VILLAGE, make_village


def test_key_file_round_trip(village_file: Path, receiver_file: Path, tmp_path: Path) -> None:
    receiver = open_session(receiver_file)
    village = open_session(village_file)
    try:
        exported = bundles.export_receiver_key(receiver, tmp_path)  # a folder: a file is named
        (path,) = tmp_path.glob("*.ktkey")
        assert path.name == "kunci-penerima-36.ktkey"
        public = keys.encryption_public_key(receiver.db())
        assert public is not None and exported.fingerprint == keys.fingerprint(public)
        assert "Karang Taruna Provinsi Banten" in path.read_text()

        installed = bundles.import_receiver_key(village, path, email="kt.banten@example.id")
        assert installed.fingerprint == exported.fingerprint
        status = bundles.send_status(village)
        assert status.receiver is not None and status.receiver.email == "kt.banten@example.id"
        assert bundles.clear_bundle_warning(village) is None
    finally:
        receiver.close()
        village.close()


@pytest.mark.parametrize(
    "spoil",
    [
        lambda text: text.replace("Public-Key: ", "Public-Key: A", 1),
        lambda text: (
            text[: text.index("Fingerprint: ") + 13]
            + "0000"
            + text[text.index("Fingerprint: ") + 17 :]
        ),
        lambda text: "Ini bukan berkas kunci\n",
        lambda text: text.replace("KT-Desktop-Receiver-Key: 1", "KT-Desktop-Receiver-Key: 2"),
    ],
    ids=["key-changed", "fingerprint-changed", "not-a-key", "newer-format"],
)
def test_spoiled_key_file_is_refused(
    village_file: Path, receiver_file: Path, tmp_path: Path, spoil: object
) -> None:
    receiver = open_session(receiver_file)
    path = tmp_path / "kunci.ktkey"
    bundles.export_receiver_key(receiver, path)
    receiver.close()
    path.write_text(spoil(path.read_text()))  # type: ignore[operator]
    village = open_session(village_file)
    try:
        with pytest.raises(BundleError) as info:
            bundles.import_receiver_key(village, path)
        assert info.value.code == "bad_key_file" and "kunci.ktkey" in info.value.message
        assert bundles.send_status(village).receiver is None
    finally:
        village.close()


def test_key_of_another_province_is_refused(receiver_file: Path, tmp_path: Path) -> None:
    receiver = open_session(receiver_file)
    path = tmp_path / "kunci.ktkey"
    bundles.export_receiver_key(receiver, path)
    receiver.close()
    outsider = open_session(make_village(tmp_path / "jabar.sqlite", code=OUTSIDE_VILLAGE))
    try:
        with pytest.raises(BundleError) as info:
            bundles.import_receiver_key(outsider, path)
        assert info.value.code == "bad_key_file" and "36" in info.value.message
    finally:
        outsider.close()


def test_only_a_receiver_exports_a_key(village_file: Path, tmp_path: Path) -> None:
    village = open_session(village_file)
    try:
        with pytest.raises(BundleError) as info:
            bundles.export_receiver_key(village, tmp_path / "x.ktkey")
        assert info.value.code == "not_receiver"
    finally:
        village.close()


def test_key_file_written_on_a_full_stick_leaves_the_old_key_whole(
    receiver_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stick that fills up halfway through the key file: the officer is told in
    Indonesian, the key file written before is untouched and no half file is left."""
    folder = tmp_path / "stick"
    folder.mkdir()
    path = folder / "kunci.ktkey"
    receiver = open_session(receiver_file)
    try:
        bundles.export_receiver_key(receiver, path)
        before = path.read_bytes()
        real_write_text = Path.write_text

        def disk_fills_up(self: Path, data: str, *args: object, **kwargs: object) -> int:
            real_write_text(self, data[: len(data) // 2], *args, **kwargs)  # type: ignore[arg-type]
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(Path, "write_text", disk_fills_up)
        with pytest.raises(BundleError) as info:
            bundles.export_receiver_key(receiver, path)
        monkeypatch.undo()
        assert info.value.code == "write_failed"
        assert "kunci.ktkey" in info.value.message and "penuh" in info.value.message
        assert path.read_bytes() == before
        assert [p.name for p in folder.iterdir()] == ["kunci.ktkey"]
    finally:
        receiver.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_public_key_file_keeps_the_system_default_mode(receiver_file: Path, tmp_path: Path) -> None:
    """The receiver's public key holds no personal data: written whole, it still gets the
    mode every other program's file gets (docs/RELIABILITY.md), not the owner-only one."""
    path = tmp_path / "kunci.ktkey"
    receiver = open_session(receiver_file)
    old = os.umask(0o022)
    try:
        bundles.export_receiver_key(receiver, path)
    finally:
        os.umask(old)
        receiver.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
