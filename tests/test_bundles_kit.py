"""Helpers for the bundle tests (no tests here): village/receiver pairs, records, and the
tools that take a bag apart and put a malicious one together, re-signed where the attack
needs a valid signature (a dishonest village holds its own key)."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kt_desktop.bundles import crypto, keys
from kt_desktop.bundles import format as fmt
from kt_desktop.services import bundles, receipts
from kt_desktop.services.session import Session, open_session
from kt_desktop.services.setup import init_receiver, init_village
from kt_desktop.store import records, sync
from tests.conftest import make_profile

VILLAGE = "36.04.22.2001"
OTHER_VILLAGE = "36.04.22.2008"  # Cisalam, same kecamatan
OUTSIDE_VILLAGE = "32.01.01.1006"  # Cibinong, Jawa Barat: not Banten
ROOT = Path(__file__).resolve().parent.parent


def make_village(
    path: Path, code: str = VILLAGE, name: str = "Karang Taruna Tunas Harapan"
) -> Path:
    init_village(path, make_profile(village_code=code, name=name))
    return path


def install_receiver_key(village: Session, receiver: Session, tmp: Path) -> None:
    key_file = tmp / "kunci.ktkey"
    bundles.export_receiver_key(receiver, key_file, email="kt.banten@example.id")
    bundles.import_receiver_key(village, key_file)


def open_pair(folder: Path, receiver_name: str = "provinsi.sqlite") -> tuple[Session, Session]:
    """A new village and province receiver in ``folder``, open, the village trusting the
    receiver's key: the ``pair`` fixture for a module-scoped world (the caller closes them)."""
    village = open_session(make_village(folder / "desa.sqlite"))
    init_receiver(folder / receiver_name, "36", "Karang Taruna Provinsi Banten")
    receiver = open_session(folder / receiver_name)
    install_receiver_key(village, receiver, folder)
    return village, receiver


def add_members(village: Session, count: int, *, start: int = 0) -> list[str]:
    db = village.db()
    ids = []
    with db.atomic():
        for number in range(start, start + count):
            ids.append(
                records.insert(
                    db,
                    "members",
                    {
                        "name": f"Anggota {number:05d}",
                        "nik": f"3604{number:012d}",
                        "sex": "L" if number % 2 else "P",
                        "birth_date": "2001-05-17",
                        "dusun": "Cilaku",
                        "status": "aktif",
                        "phone": f"0812{number:08d}",
                    },
                    village_code=village.code,
                    actor="Tes",
                )
            )
    return ids


def edit(village: Session, table: str, record_id: str, **changes: Any) -> None:
    records.update(village.db(), table, record_id, changes, actor="Tes")


def remove(village: Session, table: str, record_id: str, clear: Sequence[str] = ()) -> None:
    records.tombstone(village.db(), table, record_id, clear=clear, actor="Tes")


def add_activity(village: Session, *, photo: bytes | None = None) -> str:
    """An activity with a participant, a beneficiary cell, a fund and (optionally) a photo."""
    db = village.db()
    code = village.code
    with db.atomic():
        activity = records.insert(
            db,
            "activities",
            {
                "title": "Bakti sosial",
                "kind": "bakti_sosial",
                "status": "selesai",
                "start_date": "2026-11-02",
                "volunteers": 12,
            },
            village_code=code,
            actor="Tes",
        )
        records.insert(
            db,
            "activity_beneficiaries",
            {"activity_id": activity, "ppks": 24, "sex": "P", "age_band": "18-59", "count": 7},
            village_code=code,
            actor="Tes",
        )
        records.insert(
            db,
            "activity_funds",
            {"activity_id": activity, "source": "swadaya", "amount": 2_950_000},
            village_code=code,
            actor="Tes",
        )
        if photo is not None:
            records.insert(
                db,
                "attachments",
                {
                    "owner_table": "activities",
                    "owner_id": activity,
                    "position": 0,
                    "sha256": hashlib.sha256(photo).hexdigest(),
                    "mime": "image/jpeg",
                    "data": photo,
                    "size": len(photo),
                    "thumbnail": photo[:64],
                    "caption": "Foto kegiatan",
                },
                village_code=code,
                actor="Tes",
            )
    return activity


def export(village: Session, folder: Path, *, full: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return bundles.export(village, dest_dir=folder, full=full).path


def export_batches(village: Session, folder: Path, *counts: int, start: int = 0) -> list[Path]:
    """One bundle per count in ``folder``: before each, that many new members, numbered on
    from ``start`` so no two batches share a NIK. The usual way a test gets bundles 1, 2 …"""
    paths = []
    for count in counts:
        add_members(village, count, start=start)
        start += count
        paths.append(export(village, folder))
    return paths


def import_paths(receiver: Session, *paths: Any, **kwargs: Any) -> list[bundles.BundleSummary]:
    kwargs.setdefault("trust_new", True)
    return bundles.import_files(receiver, list(paths), **kwargs).bundles


def import_one(
    receiver: Session, source: Path | tuple[str, bytes], **kwargs: Any
) -> bundles.BundleSummary:
    (summary,) = import_paths(receiver, source, **kwargs)
    return summary


def one_receipt(receiver: Session, folder: Path, **kwargs: Any) -> receipts.MadeReceipt:
    """The receipt the receiver writes into the new folder ``folder`` (one village asked)."""
    folder.mkdir()
    (made,) = receipts.make_receipts(receiver, folder, **kwargs)
    return made


def sent(village: Session, receiver: Session, folder: Path) -> bundles.BundleSummary:
    """A bundle of ``village`` exported to ``folder`` and imported into ``receiver``: imported."""
    summary = import_one(receiver, export(village, folder))
    assert summary.status == bundles.IMPORTED, summary.message
    return summary


def a_removal_travels(
    pair: tuple[Session, Session], folder: Path, spec: Any, keep: dict[str, Any],
    gone: dict[str, Any], label: str,
) -> tuple[dict[str, dict[str, Any]], str, str]:
    """Two records of book ``spec`` go to the receiver, which counts 2 under ``label``; then
    the village removes the second and the next bundle brings the count to 1. The receiver's
    rows of the book, with the ids of the kept and the removed record, for the book's own
    checks."""
    from kt_desktop.services import books

    village, receiver = pair
    keep_id, gone_id = books.add(village, spec, keep), books.add(village, spec, gone)
    assert sent(village, receiver, folder / "one").tables[spec.table].created == 2
    assert dict(books.receiver_counts(receiver, VILLAGE))[label] == 2
    books.remove(village, spec, gone_id)
    sent(village, receiver, folder / "two")
    assert dict(books.receiver_counts(receiver, VILLAGE))[label] == 1
    return live_rows(receiver.db(), spec.table), keep_id, gone_id


def record_digest(db: Any, code: str | None = VILLAGE) -> str:
    """One village's record rows in every travelling table, without the file's own change
    counter (a village and a receiver, or two receivers, number their writes differently)."""
    digest = hashlib.sha256()
    for table in sync.present_tables(db):
        columns = [c.name for c in sync.table_columns(db, table.name) if c.name != "change_seq"]
        listing = ", ".join(f"[{c}]" for c in columns)
        where, params = ("WHERE village_code = ?", [code]) if code else ("", [])
        digest.update(f"{table.name}\n".encode())
        for row in db.execute(f"SELECT {listing} FROM [{table.name}] {where} ORDER BY id", params):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def live_rows(db: Any, table: str, code: str = VILLAGE) -> dict[str, dict[str, Any]]:
    cursor = db.execute(f"SELECT * FROM [{table}] WHERE village_code = ?", [code])
    names = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


# -- a receiver in another process, to be killed ---------------------------------------------
def start_child(code: str, *args: object) -> subprocess.Popen[str]:
    """``python -c code args`` importing this checkout, its stdout a pipe of text lines."""
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )


def expect_line(child: subprocess.Popen[str], word: str) -> None:
    """The child's next line is ``word`` (it has reached the point the test waits for)."""
    assert child.stdout is not None
    line = child.stdout.readline().strip()
    assert line == word, f"child said {line!r}"


# -- taking bags apart ----------------------------------------------------------------------
def signing_key(village: Session) -> Ed25519PrivateKey:
    key = keys.signing_private_key(village.db())
    assert key is not None
    return key


def bag_of(path_or_data: Path | bytes, receiver: Session | None = None) -> bytes:
    data = path_or_data.read_bytes() if isinstance(path_or_data, Path) else path_or_data
    private = keys.encryption_private_key(receiver.db()) if receiver is not None else None
    return crypto.open_envelope(data, private, source="test").bag


def entries(bag: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(bag)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


@dataclass
class Entry:
    name: str
    data: bytes
    mode: int = 0o100644
    deflate: bool = True


def build_zip(items: Iterable[Entry | tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in items:
            entry = item if isinstance(item, Entry) else Entry(item[0], item[1])
            info = zipfile.ZipInfo(entry.name, date_time=(2026, 11, 30, 8, 0, 0))
            info.external_attr = entry.mode << 16
            info.compress_type = zipfile.ZIP_DEFLATED if entry.deflate else zipfile.ZIP_STORED
            archive.writestr(info, entry.data)
    return buffer.getvalue()


def resign(
    files: dict[str, bytes],
    key: Ed25519PrivateKey,
    *,
    info_changes: dict[str, str] | None = None,
    keep_counts: bool = False,
) -> dict[str, bytes]:
    """Recompute manifest, counts, tag manifest and signature after ``files`` changed."""
    files = dict(files)
    payload = {name: data for name, data in files.items() if name.startswith(fmt.DATA_DIR)}
    info_text = files[fmt.BAG_INFO].decode()
    tags = dict(line.split(": ", 1) for line in info_text.splitlines() if ": " in line)
    if not keep_counts:
        counts = {}
        for name, data in payload.items():
            match = fmt.TABLE_FILE.match(name)
            if match:
                counts[match.group(1)] = data.count(b"\n")
        tags["Record-Counts"] = ", ".join(f"{t}={n}" for t, n in counts.items())
    tags["Payload-Oxum"] = f"{sum(len(d) for d in payload.values())}.{len(payload)}"
    tags.update(info_changes or {})
    files[fmt.BAG_INFO] = "".join(f"{label}: {value}\n" for label, value in tags.items()).encode()
    files[fmt.MANIFEST] = fmt.manifest_text(
        {name: hashlib.sha256(data).hexdigest() for name, data in payload.items()}
    ).encode()
    tag_manifest = fmt.manifest_text(
        {name: hashlib.sha256(files[name]).hexdigest() for name in fmt.TAG_FILES}
    ).encode()
    files[fmt.TAG_MANIFEST] = tag_manifest
    files[fmt.SIGNATURE] = base64.b64encode(key.sign(tag_manifest)) + b"\n"
    return files


def seal(bag: bytes, receiver: Session | None = None) -> bytes:
    public = keys.encryption_public_key(receiver.db()) if receiver is not None else None
    return crypto.seal(bag, public)


def repack(files: dict[str, bytes]) -> bytes:
    return build_zip(files.items())


def session_of(path: Path) -> Session:
    return open_session(path)


def as_receiver_of_version(path: Path, version: int) -> None:
    """Make the closed receiver file at ``path`` what the program of schema ``version``
    (≥ 25) left: record tables keyed by id alone when older than migration 27, without the
    indexes later migrations added to them. Rows, rowids and everything else stay."""
    from kt_desktop.store import connection, schema_receiver_keys, schema_reference

    db = connection.connect(path)
    try:
        db.execute("PRAGMA foreign_keys = OFF")
        with schema_reference.own_schema(version) as own, db.atomic():
            schema_receiver_keys.rekey(
                db, own, receiver=version >= schema_receiver_keys.VERSION
            )
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            ).fetchall():
                if own.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [name]).fetchone() \
                        is None:
                    db.execute(f"DROP INDEX [{name}]")
            db.execute(f"PRAGMA user_version = {int(version)}")
    finally:
        db.close()
