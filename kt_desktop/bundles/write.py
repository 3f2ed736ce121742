"""Building the bag (the ZIP inside a ``.ktb``) from rows, in memory.

The writer knows nothing of the database: it takes :class:`TableRows` (what
:mod:`kt_desktop.bundles.collect` selected) and the village's signing key, and returns the
ZIP bytes. That keeps it testable on its own and lets the benchmark and the tests build
bundles for villages that have no data file.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kt_desktop.bundles import format as fmt


@dataclass(slots=True)
class TableRows:
    """One table's rows as tuples in ``columns`` order; BLOB columns hold SHA-256 refs."""

    name: str
    columns: list[str]
    rows: list[tuple[Any, ...]] = field(default_factory=list)


def jsonl(table: TableRows) -> bytes:
    """One JSON object per line, keys in column order, UTF-8 (Indonesian names unescaped)."""
    columns = table.columns
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    return "".join(dumps(dict(zip(columns, row, strict=True))) + "\n" for row in table.rows).encode(
        "utf-8"
    )


def _zip_time(created_utc: str) -> tuple[int, int, int, int, int, int]:
    try:
        moment = dt.datetime.fromisoformat(created_utc.replace("Z", "+00:00"))
    except ValueError:
        moment = dt.datetime(2026, 1, 1)
    if moment.year < 1980:
        moment = dt.datetime(1980, 1, 1)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def _add(
    archive: zipfile.ZipFile, name: str, data: bytes, when: tuple[int, ...], *, deflate: bool
) -> None:
    info = zipfile.ZipInfo(name, date_time=when)  # type: ignore[arg-type]
    info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
    info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    archive.writestr(info, data, compresslevel=6 if deflate else None)


def build_bag(
    info: fmt.BagInfo,
    tables: Sequence[TableRows],
    attachments: dict[str, bytes],
    signing_key: Ed25519PrivateKey,
) -> bytes:
    """The signed bag as ZIP bytes.

    ``info.record_counts`` is filled from ``tables`` (the reader checks it against the
    lines it finds); ``info.signing_key`` must be the public half of ``signing_key``.
    """
    payload: dict[str, bytes] = {}
    counts: dict[str, int] = {}
    for table in tables:
        payload[fmt.table_file(table.name)] = jsonl(table)
        counts[table.name] = len(table.rows)
    for digest in sorted(attachments):
        payload[fmt.attachment_file(digest)] = attachments[digest]
    hashes = {name: hashlib.sha256(data).hexdigest() for name, data in payload.items()}
    oxum = f"{sum(len(data) for data in payload.values())}.{len(payload)}"
    info = replace(info, record_counts=counts, payload_oxum=oxum)
    tag_files = {
        fmt.BAGIT: fmt.BAGIT_TEXT.encode("utf-8"),
        fmt.BAG_INFO: info.to_text().encode("utf-8"),
        fmt.MANIFEST: fmt.manifest_text(hashes).encode("utf-8"),
    }
    tag_manifest = fmt.manifest_text(
        {name: hashlib.sha256(data).hexdigest() for name, data in tag_files.items()}
    ).encode("utf-8")
    signature = base64.b64encode(signing_key.sign(tag_manifest)) + b"\n"

    when = _zip_time(info.created_utc)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, fmt.BAGIT, tag_files[fmt.BAGIT], when, deflate=False)
        _add(archive, fmt.BAG_INFO, tag_files[fmt.BAG_INFO], when, deflate=False)
        for name, data in payload.items():
            _add(archive, name, data, when, deflate=not name.startswith(fmt.ATTACHMENT_DIR))
        _add(archive, fmt.MANIFEST, tag_files[fmt.MANIFEST], when, deflate=True)
        _add(archive, fmt.TAG_MANIFEST, tag_manifest, when, deflate=False)
        _add(archive, fmt.SIGNATURE, signature, when, deflate=False)
    return buffer.getvalue()
