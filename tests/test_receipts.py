"""Receipts (tanda terima) both ways with real files: receipt after a gap, the resend, the
receipt without the gap; and every refusal, each with nothing changed (issue 21)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kt_desktop.bundles import documents
from kt_desktop.bundles.errors import BundleError
from kt_desktop.services import bundles, dashboard, receipts
from kt_desktop.services.session import Session, open_session
from kt_desktop.services.setup import init_receiver
from tests.conftest import run_cli
from tests.test_bundles_kit import (
    OTHER_VILLAGE,
    add_members,
    export,
    export_batches,
    import_one,
    install_receiver_key,
    make_village,
    one_receipt,
    record_digest,
)


def _file_state(path: Path) -> str:
    """The village file's bytes (and its WAL) — what "nothing changed" means."""
    digest = hashlib.sha256()
    for part in (path, Path(f"{path}-wal")):
        if part.exists():
            digest.update(part.read_bytes())
    return digest.hexdigest()


def _gap_world(pair: tuple[Session, Session], tmp_path: Path) -> tuple[Session, Session, Path]:
    """Bundles 1–4 exported, 3 never reaches the receiver."""
    village, receiver = pair
    usb = tmp_path / "usb"
    paths = export_batches(village, usb, 2, 2, 2, 2)
    for path in (paths[0], paths[1], paths[3]):
        assert import_one(receiver, path).ok
    paths[2].rename(tmp_path / "lost.ktb")  # the stick lost it; it stays in no folder
    return village, receiver, usb


def test_round_trip_receipt_after_a_gap_resend_receipt_without_gap(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    village, receiver, _usb = _gap_world(pair, tmp_path)
    made = one_receipt(receiver, tmp_path / "tanda-terima")
    assert made.path.name == "Tanda terima - Desa Baros - " + made.path.name.rsplit(" - ", 1)[1]
    assert made.path.suffix == ".ktr"
    assert made.held == [1, 2, 4] and made.missing == [3]

    records_before = record_digest(village.db())
    result = receipts.import_receipt(village, made.path)
    assert record_digest(village.db()) == records_before  # a receipt never changes records
    text = result.status.text()
    assert text.startswith("Diterima Karang Taruna Provinsi Banten ")
    assert "paket 1\u20134" in text and "paket 3 hilang" in text
    assert result.status.to_resend == [3]
    reminders = [r.text for r in dashboard.summary(village).reminders]
    assert any("mengonfirmasi data Anda sampai" in r for r in reminders), reminders
    assert any("paket 3" in r and r for r in reminders), reminders

    # The lost bundle is no longer on this computer: one step sends a full bundle instead;
    # put it back and the very file is copied.
    shutil.copy(tmp_path / "lost.ktb", tmp_path / "usb" / (tmp_path / "lost.ktb").name)
    lost_name = bundles.recent_imports(receiver)[0].file_name.replace("000004", "000003")
    (tmp_path / "usb" / "lost.ktb").rename(tmp_path / "usb" / lost_name)
    (again := tmp_path / "kirim-ulang").mkdir()
    resent = receipts.resend_missing(village, again)
    assert resent.copied == [3] and resent.full is None
    assert import_one(receiver, resent.paths[0]).ok

    second = one_receipt(receiver, tmp_path / "tanda-terima-2")
    assert second.held == [1, 2, 3, 4] and second.missing == [] and second.seq == 2
    status = receipts.import_receipt(village, second.path).status
    assert "hilang" not in status.text() and status.to_resend == []
    with pytest.raises(BundleError) as nothing:
        receipts.resend_missing(village, again)
    assert nothing.value.code == "no_changes"


def test_resend_without_the_original_sends_one_full_bundle(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    village, receiver, _usb = _gap_world(pair, tmp_path)
    made = one_receipt(receiver, tmp_path / "tt")
    receipts.import_receipt(village, made.path)
    (again := tmp_path / "ulang").mkdir()
    resent = receipts.resend_missing(village, again)
    assert resent.full is not None and resent.full.full and resent.full.seq == 5
    assert import_one(receiver, resent.full.path).ok
    second = one_receipt(receiver, tmp_path / "tt2")
    assert second.missing == []


def test_receipt_by_cli_and_eml_reply_draft(
    pair: tuple[Session, Session], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    village, receiver, _usb = _gap_world(pair, tmp_path)
    (out := tmp_path / "tt").mkdir()
    code, stdout, err = run_cli(capsys, "receipt", "make", "--out", str(out), "--email",
                                "--village", village.code, "--data", str(receiver.path), "--json")
    assert code == 0, err
    assert '"missing": [\n        3\n      ]' in stdout
    (eml,) = out.glob("*.eml")
    code, stdout, err = run_cli(capsys, "receipt", "import", str(eml), "--data", str(village.path))
    assert code == 0, err
    assert "paket 3 hilang" in stdout


# -- refusals: each a real file, each < 5 s, nothing changed ----------------------------------
@pytest.fixture
def refusal_world(pair: tuple[Session, Session], tmp_path: Path) -> dict[str, Any]:
    village, receiver, _usb = _gap_world(pair, tmp_path)
    (first := tmp_path / "tt1").mkdir()
    (second := tmp_path / "tt2").mkdir()
    (old,) = receipts.make_receipts(receiver, first)
    (new,) = receipts.make_receipts(receiver, second)
    receipts.import_receipt(village, new.path)
    return {"village": village, "receiver": receiver, "old": old.path, "new": new.path,
            "tmp": tmp_path}


def _refused(world: dict[str, Any], data: bytes, code: str, name: str = "x.ktr") -> str:
    village: Session = world["village"]
    path = world["tmp"] / name
    path.write_bytes(data)
    village.db().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = _file_state(village.path)
    status_before = receipts.receipt_status(village)
    with pytest.raises(BundleError) as refused:  # its time: scripts/benchmark.py, receipts
        receipts.import_receipt(village, path)
    assert refused.value.code == code, refused.value.message
    assert _file_state(village.path) == before
    assert receipts.receipt_status(village) == status_before
    return refused.value.message


def test_replay_of_an_older_receipt(refusal_world: dict[str, Any]) -> None:
    message = _refused(refusal_world, refusal_world["old"].read_bytes(), "replay")
    assert "lebih lama" in message and "tidak ada yang diubah" in message


def test_receipt_signed_by_another_key(refusal_world: dict[str, Any], tmp_path: Path) -> None:
    """Another receiver that holds a real bundle of the village (so it knows the village's
    key) makes a receipt for it: signed and bound, but not by the key the village pinned."""
    from tests.test_bundles_kit import bag_of, seal

    stranger_path = tmp_path / "lain.sqlite"
    init_receiver(stranger_path, "36", "Penerima Palsu")
    stranger = open_session(stranger_path)
    try:
        bundle = sorted((tmp_path / "usb").glob("*.ktb"))[0]
        clear = seal(bag_of(bundle, refusal_world["receiver"]))
        assert import_one(stranger, ("salinan.ktb", clear)).ok
        made = one_receipt(stranger, tmp_path / "palsu")
    finally:
        stranger.close()
    message = _refused(refusal_world, made.path.read_bytes(), "wrong_key")
    assert "kunci lain" in message


def test_receipt_claiming_the_pinned_receiver_key_but_signed_by_another(
    refusal_world: dict[str, Any],
) -> None:
    """A forger copies the receiver's public key and the binding, signs with its own key."""
    genuine = documents.open_document(refusal_world["new"].read_bytes(), source="x",
                                      kind=documents.RECEIPT)
    forged = documents.build(
        documents.RECEIPT, village_code=genuine.info.village_code, seq=99,
        payload={**genuine.payload, "missing": []}, signing_key=Ed25519PrivateKey.generate(),
        created_utc=genuine.info.created_utc, schema_version=genuine.info.schema_version,
        sender=genuine.sender,
        tags={key: value for key, value in genuine.info.extra.items()
              if key not in (documents.KIND_TAG, documents.SENDER_TAG)},
    )
    _refused(refusal_world, forged, "wrong_key")


def test_receipt_for_another_village(refusal_world: dict[str, Any], tmp_path: Path) -> None:
    receiver: Session = refusal_world["receiver"]
    other = open_session(make_village(tmp_path / "lain.sqlite", OTHER_VILLAGE, "KT Cisalam"))
    try:
        install_receiver_key(other, receiver, tmp_path)
        add_members(other, 1)
        assert import_one(receiver, export(other, tmp_path / "usb-lain")).ok
    finally:
        other.close()
    made = one_receipt(receiver, tmp_path / "tt-lain", village=OTHER_VILLAGE)
    assert "Cisalam" in made.path.name
    message = _refused(refusal_world, made.path.read_bytes(), "other_village")
    assert OTHER_VILLAGE in message


@pytest.mark.parametrize("keep", [2, 20, 0.5, -1], ids=["in-magic", "in-header", "half", "last"])
def test_truncated_receipt(refusal_world: dict[str, Any], keep: float) -> None:
    data = refusal_world["new"].read_bytes()
    length = int(len(data) * keep) if isinstance(keep, float) else keep
    message = _refused(refusal_world, data[:length] if length >= 0 else data[:-1], "truncated")
    assert "terpotong" in message or "belum lengkap" in message


@pytest.mark.parametrize("where", [0.1, 0.3, 0.6, 0.99])
def test_changed_byte_in_receipt(refusal_world: dict[str, Any], where: float) -> None:
    data = bytearray(refusal_world["new"].read_bytes())
    data[int(len(data) * where)] ^= 0x01
    _refused(refusal_world, bytes(data), "damaged")


def test_bytes_appended_to_receipt(refusal_world: dict[str, Any]) -> None:
    _refused(refusal_world, refusal_world["new"].read_bytes() + b"\x00", "damaged")


def test_resigned_receipt_with_changed_content(refusal_world: dict[str, Any]) -> None:
    """The bag changed and re-sealed (the envelope checksum made whole again): the
    signature is what refuses it."""
    from tests.test_bundles_kit import bag_of, entries, repack, seal

    files = entries(bag_of(refusal_world["new"]))
    name = "data/receipt.jsonl"
    files[name] = files[name].replace(b"held", b"hold")
    message = _refused(refusal_world, seal(repack(files)), "hash_mismatch")
    assert "penerima" in message


def test_a_bundle_is_not_a_receipt(refusal_world: dict[str, Any]) -> None:
    bundle = next((refusal_world["tmp"] / "usb").glob("*.ktb")).read_bytes()
    assert "paket data" in _refused(refusal_world, bundle, "not_document")
    _refused(refusal_world, b"%PDF-1.4 bukan tanda terima", "not_document", "y.ktr")


def test_receipt_without_the_receiver_key_installed(tmp_path: Path, receiver_file: Path) -> None:
    receiver = open_session(receiver_file)
    village = open_session(make_village(tmp_path / "desa2.sqlite"))
    try:
        install_receiver_key(village, receiver, tmp_path)
        add_members(village, 1)
        assert import_one(receiver, export(village, tmp_path / "u")).ok
        made = one_receipt(receiver, tmp_path / "tt")
        village.db().execute("DELETE FROM receiver")
        with pytest.raises(BundleError) as refused:
            receipts.import_receipt(village, made.path)
        assert refused.value.code == "untrusted"
    finally:
        village.close()
        receiver.close()


def test_the_receipt_is_refused_as_a_bundle(pair: tuple[Session, Session], tmp_path: Path) -> None:
    village, receiver, _usb = _gap_world(pair, tmp_path)
    made = one_receipt(receiver, tmp_path / "tt")
    summary = import_one(receiver, made.path)
    assert summary.status == bundles.REFUSED and summary.error_code == "not_bundle"


def test_receipt_reply_goes_to_the_address_the_bundle_came_from(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    from email import message_from_bytes

    from kt_desktop.bundles import mail

    village, receiver = pair
    (bundle,) = export_batches(village, tmp_path / "usb", 1)
    message = mail.build_message(bundle, to="kt.banten@example.id", sender="KT Baros <kt.baros@example.id>",
                                 subject="Data", body="Terlampir.\n", draft=False)
    eml = mail.write_draft(message, tmp_path / "masuk.eml")
    assert import_one(receiver, eml).ok
    made = one_receipt(receiver, tmp_path / "tt", email=True)
    assert made.eml_path is not None
    reply = message_from_bytes(made.eml_path.read_bytes())
    assert reply["To"] == "kt.baros@example.id"
    assert reply["X-Unsent"] == "1"
    assert receipts.import_receipt(village, made.eml_path).status.held == [1]
