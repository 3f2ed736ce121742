"""Every refusal of issue 6, each built as a real broken or malicious file.

Each test imports the file into a receiver and checks the stable code, that the reason is
one line, and that the receiver's tables are exactly as before
(:func:`kt_desktop.store.sync.canonical_digest`). Where an attack needs a valid signature
(rows of another village, a newer schema, malformed rows) the bag is re-signed with the
village's own key: a dishonest village has it. The sequence refusals (same sequence with
other content, stale) are in ``test_bundles_roundtrip.py`` where their story is told.
"""

from __future__ import annotations

import base64
import os
import struct
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kt_desktop.bundles import crypto
from kt_desktop.bundles import format as fmt
from kt_desktop.bundles.read import Limits
from kt_desktop.services import bundles
from kt_desktop.services.session import Session, open_session
from kt_desktop.store import migrations, sync
from tests.test_bundles_kit import (
    OTHER_VILLAGE,
    OUTSIDE_VILLAGE,
    Entry,
    add_activity,
    add_members,
    bag_of,
    build_zip,
    entries,
    export,
    import_one,
    install_receiver_key,
    live_rows,
    make_village,
    open_pair,
    repack,
    resign,
    seal,
    signing_key,
)


class World:
    """A village with records, its receiver, and bundle 1 exported (not imported)."""

    def __init__(self, village: Session, receiver: Session, tmp: Path) -> None:
        self.village = village
        self.receiver = receiver
        self.tmp = tmp
        self.path = export(village, tmp / "usb")
        self.data = self.path.read_bytes()
        self.bag = bag_of(self.data, receiver)
        self.files = entries(self.bag)
        self.key = signing_key(village)

    def refused(self, data: bytes, code: str, **kwargs: Any) -> bundles.BundleSummary:
        before = sync.canonical_digest(self.receiver.db())
        summary = import_one(self.receiver, ("kiriman.ktb", data), **kwargs)
        assert summary.status == bundles.REFUSED, summary.message
        assert summary.error_code == code, summary.message
        assert summary.message and "\n" not in summary.message
        assert "kiriman.ktb" in summary.message
        assert sync.canonical_digest(self.receiver.db()) == before
        return summary

    def resealed(self, files: dict[str, bytes]) -> bytes:
        return seal(repack(files), self.receiver)


def _make_world(folder: Path) -> Iterator[World]:
    village, receiver = open_pair(folder)
    add_members(village, 12)
    add_activity(village, photo=os.urandom(4096))
    yield World(village, receiver, folder)
    village.close()
    receiver.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Shared by the refusals: each one proves it left the receiver unchanged."""
    yield from _make_world(tmp_path_factory.mktemp("refusals"))


@pytest.fixture
def fresh_world(tmp_path: Path) -> Iterator[World]:
    """For the tests that import something first."""
    yield from _make_world(tmp_path)


def test_the_untouched_bundle_is_accepted(fresh_world: World) -> None:
    """The control: every file below differs from this one in one way only."""
    summary = import_one(fresh_world.receiver, ("kiriman.ktb", fresh_world.data))
    assert summary.status == bundles.IMPORTED


# -- the envelope ---------------------------------------------------------------------------
def test_empty_file(world: World) -> None:
    world.refused(b"", "empty")


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", b"Nama,NIK\nSiti,3604\n", b"PK\x03\x04rest-of-a-zip"],
    ids=["pdf", "csv", "bare-zip"],
)
def test_not_a_bundle(world: World, data: bytes) -> None:
    world.refused(data, "not_bundle")


@pytest.mark.parametrize(
    "keep", [2, 20, 0.5, -1], ids=["in-magic", "in-header", "half", "last-byte"]
)
def test_truncated(world: World, keep: float) -> None:
    length = int(len(world.data) * keep) if isinstance(keep, float) else keep
    world.refused(world.data[:length] if length >= 0 else world.data[:-1], "truncated")


@pytest.mark.parametrize("where", [0.3, 0.6, 0.99])
def test_changed_byte_in_encrypted_file(world: World, where: float) -> None:
    data = bytearray(world.data)
    data[int(len(data) * where)] ^= 0x01
    world.refused(bytes(data), "damaged")


def test_changed_byte_in_clear_file(world: World) -> None:
    data = bytearray(seal(world.bag))
    data[len(data) // 2] ^= 0x80
    world.refused(bytes(data), "damaged")


def test_bytes_appended(world: World) -> None:
    world.refused(world.data + b"\x00", "damaged")


def test_newer_envelope_format(world: World) -> None:
    data = bytearray(world.data)
    data[4] = 2  # format version
    summary = world.refused(bytes(data), "unsupported_format")
    assert "perbarui aplikasi" in summary.message


def test_encrypted_to_another_receiver(world: World) -> None:
    stranger = (
        X25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    world.refused(crypto.seal(world.bag, stranger), "wrong_receiver")


# -- the container: every file re-sealed, so only the bag itself is wrong ----------------------
def _flip(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x20
    return bytes(changed)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("data/members.jsonl", "hash_mismatch"),
        ("data/activities.jsonl", "hash_mismatch"),
        (fmt.BAG_INFO, "hash_mismatch"),
        (fmt.MANIFEST, "hash_mismatch"),
        (fmt.BAGIT, "hash_mismatch"),
        (fmt.TAG_MANIFEST, "bad_signature"),
        (fmt.SIGNATURE, "bad_signature"),
    ],
)
def test_changed_byte_inside_a_file_of_the_bag(world: World, name: str, code: str) -> None:
    files = dict(world.files)
    target = files[name]
    at = target.index(b"Karang") if name == fmt.BAG_INFO else len(target) // 2
    if name == fmt.SIGNATURE:
        at = 5
    files[name] = _flip(target, at)
    world.refused(world.resealed(files), code)


def test_changed_attachment(world: World) -> None:
    files = dict(world.files)
    photo = max((n for n in files if n.startswith(fmt.ATTACHMENT_DIR)), key=lambda n: len(files[n]))
    files[photo] = _flip(files[photo], 100)
    world.refused(world.resealed(files), "hash_mismatch")


def test_signing_key_swapped_for_the_attackers(world: World) -> None:
    attacker = Ed25519PrivateKey.generate()
    public = attacker.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    files = dict(world.files)
    text = files[fmt.BAG_INFO].decode()
    old = base64.b64encode(
        signing_key(world.village)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    ).decode()
    files[fmt.BAG_INFO] = text.replace(old, base64.b64encode(public).decode()).encode()
    world.refused(world.resealed(files), "bad_signature")


def test_flipped_bit_in_the_zip_itself(world: World) -> None:
    bag = bytearray(world.bag)
    bag[world.bag.index(b"data/members.jsonl") + 40] ^= 0x04  # inside the compressed stream
    world.refused(seal(bytes(bag), world.receiver), "damaged")


@pytest.mark.parametrize("name", ["data/members.jsonl", fmt.SIGNATURE, fmt.MANIFEST, fmt.BAG_INFO])
def test_missing_file(world: World, name: str) -> None:
    files = dict(world.files)
    del files[name]
    summary = world.refused(world.resealed(files), "missing_file")
    assert name in summary.message


def test_missing_attachment_listed_in_the_manifest(world: World) -> None:
    files = dict(world.files)
    photo = next(name for name in files if name.startswith(fmt.ATTACHMENT_DIR))
    del files[photo]
    world.refused(world.resealed(files), "missing_file")


@pytest.mark.parametrize(
    "name", ["data/catatan.txt", "README.txt", "data/attachments/not-a-hash", "data/"]
)
def test_extra_file(world: World, name: str) -> None:
    files = dict(world.files)
    files[name] = b"" if name.endswith("/") else b"sisipan"
    world.refused(world.resealed(files), "extra_file")


def test_extra_file_even_when_signed(world: World) -> None:
    """A village that signs an unreferenced attachment into its bag still gets refused."""
    import hashlib

    blob = os.urandom(100)
    files = dict(world.files)
    files[fmt.attachment_file(hashlib.sha256(blob).hexdigest())] = blob
    world.refused(world.resealed(resign(files, world.key)), "extra_file")


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/cron.d/kt",
        "data/../../evil.jsonl",
        "/etc/passwd",
        "C:/Windows/System32/evil.dll",
        "C:evil",
        "data\\..\\evil.jsonl",
        "data/CON",
        "data/nul.jsonl",
        "data/attachments/LPT1.txt",
        "data//members.jsonl",
        "data/./members.jsonl",
        "data/aux.",
    ],
)
def test_unsafe_path(world: World, name: str) -> None:
    files = dict(world.files)
    files[name] = b"x"
    world.refused(world.resealed(files), "unsafe_path")


def test_symlink_entry(world: World) -> None:
    items = [
        Entry(name, data) for name, data in world.files.items() if name != "data/members.jsonl"
    ]
    items.append(Entry("data/members.jsonl", b"/etc/shadow", mode=0o120777, deflate=False))
    world.refused(seal(build_zip(items), world.receiver), "unsafe_path")


def test_same_name_twice(world: World) -> None:
    items = [Entry(name, data) for name, data in world.files.items()]
    items.append(Entry("data/members.jsonl", b""))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it is told to write
        bag = build_zip(items)
    world.refused(seal(bag, world.receiver), "duplicate_entry")


def test_too_many_entries(world: World) -> None:
    items = [Entry(name, data) for name, data in world.files.items()]
    items += [Entry(f"data/attachments/{n:064x}", b"", deflate=False) for n in range(10_001)]
    world.refused(seal(build_zip(items), world.receiver), "too_many_entries")


def test_file_too_large_is_refused_before_it_is_read(world: World) -> None:
    huge = world.tmp / "raksasa.ktb"
    with huge.open("wb") as handle:
        handle.write(world.data[:100])
        handle.truncate(Limits().max_bundle_bytes + 1)  # sparse: no disk used
    before = sync.canonical_digest(world.receiver.db())
    summary = import_one(world.receiver, huge)
    assert summary.error_code == "too_large"
    assert sync.canonical_digest(world.receiver.db()) == before


def test_zip_bomb_ratio(world: World) -> None:
    files = dict(world.files)
    files["data/members.jsonl"] = b"\n" * (40 * 1024 * 1024)  # 40 MB that deflate to ~40 KB
    world.refused(world.resealed(files), "compression_ratio")


def _central_entry(bag: bytes, name: str) -> int:
    """Offset of ``name``'s record in the ZIP's central directory."""
    at = bag.index(b"PK\x01\x02")
    while True:
        length = struct.unpack_from("<H", bag, at + 28)[0]
        if bag[at + 46 : at + 46 + length] == name.encode():
            return at
        at = bag.index(b"PK\x01\x02", at + 4)


def test_entry_whose_header_claims_too_much(world: World) -> None:
    """A forged central directory saying an entry unpacks to 3 GB."""
    bag = bytearray(repack(world.files))
    struct.pack_into(
        "<I", bag, _central_entry(bytes(bag), "data/members.jsonl") + 24, 3_000_000_000
    )
    world.refused(seal(bytes(bag), world.receiver), "entry_too_large")


def test_entry_larger_than_the_limit(world: World) -> None:
    files = dict(world.files)
    files["data/members.jsonl"] = os.urandom(300 * 1024)
    world.refused(
        world.resealed(files), "entry_too_large", limits=Limits(max_entry_bytes=256 * 1024)
    )


# -- signed content that is still wrong --------------------------------------------------------
def _rewrite_jsonl(files: dict[str, bytes], table: str, change: Any) -> dict[str, bytes]:
    import json

    name = fmt.table_file(table)
    rows = [json.loads(line) for line in files[name].decode().splitlines()]
    rows = change(rows)
    files = dict(files)
    files[name] = "".join(
        (line if isinstance(line, str) else json.dumps(line)) + "\n" for line in rows
    ).encode()
    return files


def test_rows_claiming_another_village(world: World) -> None:
    def claim(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rows[3]["village_code"] = OTHER_VILLAGE
        return rows

    files = resign(_rewrite_jsonl(world.files, "members", claim), world.key)
    summary = world.refused(world.resealed(files), "other_village")
    assert OTHER_VILLAGE in summary.message
    assert any(
        d.startswith(("data/members.jsonl baris 4", "data/members.jsonl line 4"))
        for d in summary.details
    )


def test_newer_schema_asks_to_update_the_application(world: World) -> None:
    newer = str(migrations.latest_version() + 1)
    files = resign(world.files, world.key, info_changes={"Schema-Version": newer})
    summary = world.refused(world.resealed(files), "newer_schema")
    assert "perbarui aplikasi" in summary.message


def test_malformed_rows_are_listed_by_line(world: World) -> None:
    def spoil(rows: list[Any]) -> list[Any]:
        rows[0]["name"] = 12345  # text column given a number
        rows[2] = "{ini bukan json"
        rows[4]["id"] = "bukan-uuid"
        rows[5]["warna_favorit"] = "biru"  # a column the receiver does not know
        rows[6]["version"] = True  # a boolean where a number belongs
        rows[7]["id"] = rows[8]["id"]  # the same id twice
        del rows[9]["updated_at"]
        return rows

    files = resign(_rewrite_jsonl(world.files, "members", spoil), world.key)
    summary = world.refused(world.resealed(files), "malformed_rows")
    joined = " | ".join(summary.details)
    for line in (1, 3, 5, 6, 7, 9, 10):
        assert f"data/members.jsonl baris {line}:" in joined or f"line {line}:" in joined, joined
    assert "7" in summary.message  # the count of malformed rows


def test_not_a_number_is_not_a_number(world: World) -> None:
    import json

    def nan(rows: list[Any]) -> list[Any]:
        rows[0] = json.dumps(rows[0]).replace('"version": 1', '"version": NaN')
        return rows

    files = resign(_rewrite_jsonl(world.files, "members", nan), world.key)
    world.refused(world.resealed(files), "malformed_rows")


def test_a_lone_surrogate_is_refused_not_a_crash(world: World) -> None:
    """JSON lets a string hold half of a UTF-16 pair ("\\ud800"); SQLite cannot store it.
    The bundle is refused naming the row, not imported halfway or crashed on."""
    import json

    def surrogate(rows: list[Any]) -> list[Any]:
        rows[1]["name"] = "Siti \ud800"
        rows[2] = json.dumps(rows[2]).replace('"version": 1', '"version": 1, "\\udc00": 1')
        rows[3]["name"] = "Nur \U0001F600"  # an emoji, written as a surrogate pair: fine
        return rows

    files = resign(_rewrite_jsonl(world.files, "members", surrogate), world.key)
    summary = world.refused(world.resealed(files), "malformed_rows")
    joined = " | ".join(summary.details)
    assert "baris 2:" in joined or "line 2:" in joined, joined
    assert "baris 3:" in joined or "line 3:" in joined, joined
    assert "baris 4:" not in joined and "line 4:" not in joined, joined


def test_unknown_table(world: World) -> None:
    files = dict(world.files)
    files["data/rahasia.jsonl"] = b'{"id": "x"}\n'
    world.refused(world.resealed(resign(files, world.key)), "malformed_rows")


def test_counts_that_do_not_match_the_lines(world: World) -> None:
    files = dict(world.files)
    info = files[fmt.BAG_INFO].decode()
    files = resign(
        files,
        world.key,
        info_changes={
            "Record-Counts": next(
                line.split(": ", 1)[1]
                for line in info.splitlines()
                if line.startswith("Record-Counts")
            ).replace("members=12", "members=13"),
        },
    )
    world.refused(world.resealed(files), "count_mismatch")


def test_garbled_bag_info(world: World) -> None:
    files = resign(world.files, world.key, info_changes={"Bundle-Seq": "satu"})
    world.refused(world.resealed(files), "bad_bag_info")


# -- who sent it ----------------------------------------------------------------------------
def test_unknown_village_needs_the_officers_consent(fresh_world: World) -> None:
    summary = fresh_world.refused(fresh_world.data, "untrusted", trust_new=False)
    assert summary.fingerprint and summary.fingerprint in summary.message
    seen = []
    accepted = import_one(
        fresh_world.receiver, fresh_world.path, trust_new=lambda new: seen.append(new) or True
    )
    assert accepted.status == bundles.IMPORTED and accepted.new_village
    assert seen[0].code == fresh_world.village.code and seen[0].fingerprint == summary.fingerprint


def test_signed_by_another_key_for_a_known_village(fresh_world: World, tmp_path: Path) -> None:
    import_one(fresh_world.receiver, fresh_world.path)
    impostor = open_session(make_village(tmp_path / "palsu.sqlite"))  # same code, new key
    try:
        install_receiver_key(impostor, fresh_world.receiver, tmp_path)
        add_members(impostor, 1)
        data = export(impostor, tmp_path / "palsu").read_bytes()
    finally:
        impostor.close()
    summary = fresh_world.refused(data, "wrong_key")
    assert fresh_world.village.code in summary.message


def test_village_outside_the_receivers_area(world: World, tmp_path: Path) -> None:
    outsider = open_session(make_village(tmp_path / "jabar.sqlite", code=OUTSIDE_VILLAGE))
    try:  # it cannot install Banten's key (wrong area), so it sends in the clear
        data = export(outsider, tmp_path / "jabar").read_bytes()
    finally:
        outsider.close()
    world.refused(data, "outside_area")


def _neighbour_bundle(world: World, tmp_path: Path, table: str, change: Any) -> bytes:
    """A bundle of the neighbouring village (a member and an activity), its rows of
    ``table`` changed by ``change``, signed with the neighbour's own key."""
    neighbour = open_session(make_village(tmp_path / "cisalam.sqlite", code=OTHER_VILLAGE))
    try:
        install_receiver_key(neighbour, world.receiver, tmp_path)
        add_members(neighbour, 1)
        add_activity(neighbour)
        key = signing_key(neighbour)
        files = entries(bag_of(export(neighbour, tmp_path / "cisalam"), world.receiver))
    finally:
        neighbour.close()
    return world.resealed(resign(_rewrite_jsonl(files, table, change), key))


def test_a_record_of_another_village_is_never_touched(
    fresh_world: World, tmp_path: Path
) -> None:
    """A receiver keys records by village and id (migration 27): a bundle that names
    another village's record id writes a record of its own village, never the other's."""
    import json

    import_one(fresh_world.receiver, fresh_world.path)
    member_id = json.loads(fresh_world.files["data/members.jsonl"].splitlines()[0])["id"]
    db = fresh_world.receiver.db()
    victim = "SELECT * FROM members WHERE village_code = ? AND id = ?"
    before = db.execute(victim, [fresh_world.village.code, member_id]).fetchone()

    def hijack(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rows[0].update(id=member_id, version=99, name="Bukan Anggota Baros")
        return rows

    summary = import_one(
        fresh_world.receiver, ("kiriman.ktb", _neighbour_bundle(fresh_world, tmp_path,
                                                                "members", hijack))
    )
    assert summary.status == bundles.IMPORTED, summary.message
    assert db.execute(victim, [fresh_world.village.code, member_id]).fetchone() == before
    assert before is not None and "Bukan" not in str(before)
    assert db.execute(
        "SELECT name, version FROM members WHERE village_code = ? AND id = ?",
        [OTHER_VILLAGE, member_id],
    ).fetchone() == ("Bukan Anggota Baros", 99)


def test_a_row_cannot_hang_on_another_village_s_record(
    fresh_world: World, tmp_path: Path
) -> None:
    """A beneficiary cell naming another village's activity has no parent in its own
    village: the bundle is refused whole and the file is left as it was."""
    import json

    import_one(fresh_world.receiver, fresh_world.path)
    activity_id = json.loads(fresh_world.files["data/activities.jsonl"].splitlines()[0])["id"]

    def adopt(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rows[0]["activity_id"] = activity_id
        return rows

    forged = _neighbour_bundle(fresh_world, tmp_path, "activity_beneficiaries", adopt)
    summary = fresh_world.refused(forged, "constraint")
    assert "activity_beneficiaries" in summary.message and "activities" in summary.message

    # In one run (one batch) with a good bundle, the refused one leaves no trace, not even
    # the profile and members it had merged before meeting the orphaned cell; the good one
    # stays (SQLite would only have found the orphan at the batch's COMMIT, and undone both).
    add_members(fresh_world.village, 2, start=500)
    second = export(fresh_world.village, fresh_world.tmp / "usb")
    before = {
        table: len(live_rows(fresh_world.receiver.db(), table, OTHER_VILLAGE))
        for table in ("profile", "members")
    }
    report = bundles.import_files(
        fresh_world.receiver,
        [("a-forged.ktb", forged), second],
        trust_new=True,
    )
    assert [(s.village_code, s.seq, s.status) for s in report.bundles] == [
        (fresh_world.village.code, 2, bundles.IMPORTED),  # by village, then sequence
        (OTHER_VILLAGE, 1, bundles.REFUSED),
    ]
    after = {
        table: len(live_rows(fresh_world.receiver.db(), table, OTHER_VILLAGE))
        for table in ("profile", "members")
    }
    assert before == after == {"profile": 0, "members": 0}
    assert len(live_rows(fresh_world.receiver.db(), "members")) == 14
