"""The layout of a ``.ktb`` bag (docs/DESIGN.md, "The data bundle"), shared by the writer and the reader.

A bag, like BagIt (RFC 8493)::

    bagit.txt                 "BagIt-Version: 1.0"
    bag-info.txt              Village-Code, Bundle-Seq, Since-Seq, Schema-Version, ...
    data/<table>.jsonl        one record per line, tombstones included
    data/attachments/<sha256> BLOB values (photos, the logo), named by their SHA-256
    manifest-sha256.txt       SHA-256 of every payload file under data/
    tagmanifest-sha256.txt    SHA-256 of bagit.txt, bag-info.txt and manifest-sha256.txt
    signature                 Ed25519 by the village key over tagmanifest-sha256.txt

Only these names are allowed; anything else in the ZIP is refused.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field

from kt_desktop.domain.text import fit

BAGIT = "bagit.txt"
BAG_INFO = "bag-info.txt"
MANIFEST = "manifest-sha256.txt"
TAG_MANIFEST = "tagmanifest-sha256.txt"
SIGNATURE = "signature"
DATA_DIR = "data/"
ATTACHMENT_DIR = "data/attachments/"
EXTENSION = ".ktb"

BAGIT_TEXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
#: Files covered by the tag manifest (and through it by the signature).
TAG_FILES = (BAGIT, BAG_INFO, MANIFEST)

#: Names a table file may have: ``data/<table>.jsonl`` with a plain SQL identifier.
TABLE_FILE = re.compile(r"^data/([a-z][a-z0-9_]{0,62})\.jsonl$")
ATTACHMENT_FILE = re.compile(r"^data/attachments/([0-9a-f]{64})$")
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


def table_file(table: str) -> str:
    return f"{DATA_DIR}{table}.jsonl"


def attachment_file(sha256: str) -> str:
    return f"{ATTACHMENT_DIR}{sha256}"


def file_name(village_code: str, seq: int, day: str) -> str:
    """``KT-3604222001-000017-20261130.ktb``: village, sequence and date at a glance."""
    return f"KT-{village_code.replace('.', '')}-{seq:06d}-{day}{EXTENSION}"


@dataclass(frozen=True, slots=True)
class BagInfo:
    """The bundle's own description (``bag-info.txt``); trusted only once the signature is.

    ``since_seq``/``upto_seq`` are the village file's ``change_seq`` range the bundle
    carries; ``since_seq`` 0 means everything (a full bundle).
    """

    village_code: str
    bundle_seq: int
    since_seq: int
    upto_seq: int
    schema_version: int
    record_counts: dict[str, int]
    created_utc: str
    app_version: str
    signing_key: bytes
    device_id: str = ""
    village_name: str = ""
    payload_oxum: str = ""
    #: How many backups the village had restored when it made the bundle (0: none). A
    #: bundle of an older epoch than one the receiver accepted was made before a restore.
    restore_epoch: int = 0
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def full(self) -> bool:
        return self.since_seq == 0

    def to_text(self) -> str:
        counts = ", ".join(f"{table}={count}" for table, count in self.record_counts.items())
        lines = [
            ("Village-Code", self.village_code),
            # A name typed before profile fields had limits may be longer than a tag holds.
            ("Village-Name", fit(_one_line(self.village_name), _MAX_TAG_LENGTH - 1)),
            ("Bundle-Seq", str(self.bundle_seq)),
            ("Since-Seq", str(self.since_seq)),
            ("Upto-Seq", str(self.upto_seq)),
            ("Schema-Version", str(self.schema_version)),
            ("Record-Counts", counts),
            ("Created-UTC", self.created_utc),
            ("App-Version", self.app_version),
            ("Bag-Software-Agent", f"KT Desktop {self.app_version}"),
            ("Device-Id", self.device_id),
            ("Signing-Key", base64.b64encode(self.signing_key).decode("ascii")),
            ("Payload-Oxum", self.payload_oxum),
        ]
        if self.restore_epoch:
            lines.append(("Restore-Epoch", str(self.restore_epoch)))
        # Tags of the signed documents built on the same bag (receipts, notices, relays:
        # kt_desktop/bundles/documents.py); a village's bundle has none.
        lines.extend(sorted(self.extra.items()))
        return "".join(f"{label}: {_one_line(value)}\n" for label, value in lines)


def _one_line(value: str) -> str:
    return " ".join(value.split())


class BagInfoError(ValueError):
    """``bag-info.txt`` cannot be parsed; the reader turns it into a refusal."""


_REQUIRED = (
    "Village-Code",
    "Bundle-Seq",
    "Since-Seq",
    "Upto-Seq",
    "Schema-Version",
    "Record-Counts",
    "Created-UTC",
    "App-Version",
    "Signing-Key",
)
_MAX_TAG_LENGTH = 1000
_VILLAGE_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
_COUNT_ITEM = re.compile(r"^([a-z][a-z0-9_]{0,62})=(\d{1,9})$")


def _int(tags: dict[str, str], label: str, *, minimum: int = 0) -> int:
    value = tags[label]
    if not value.isdigit() or len(value) > 12 or int(value) < minimum:
        raise BagInfoError(f"{label}: {value!r}")
    return int(value)


def parse_bag_info(text: str) -> BagInfo:
    """Parse ``bag-info.txt``; raises :class:`BagInfoError` naming the bad tag."""
    tags: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        label, sep, value = line.partition(":")
        if not sep or not label or label != label.strip():
            raise BagInfoError(f"line {number}")
        if label in tags:
            raise BagInfoError(f"{label} twice")
        if len(value) > _MAX_TAG_LENGTH and label != "Record-Counts":
            raise BagInfoError(f"{label} too long")
        tags[label] = value.strip()
    for label in _REQUIRED:
        if label not in tags:
            raise BagInfoError(f"{label} missing")
    code = tags["Village-Code"]
    if not _VILLAGE_CODE.match(code):
        raise BagInfoError(f"Village-Code: {code!r}")
    counts: dict[str, int] = {}
    if tags["Record-Counts"]:
        for item in tags["Record-Counts"].split(","):
            match = _COUNT_ITEM.match(item.strip())
            if not match or match.group(1) in counts:
                raise BagInfoError(f"Record-Counts: {item.strip()!r}")
            counts[match.group(1)] = int(match.group(2))
    try:
        key = base64.b64decode(tags["Signing-Key"], validate=True)
    except ValueError as exc:
        raise BagInfoError("Signing-Key") from exc
    if len(key) != 32:
        raise BagInfoError("Signing-Key length")
    since = _int(tags, "Since-Seq")
    upto = _int(tags, "Upto-Seq")
    if upto < since:
        raise BagInfoError("Upto-Seq < Since-Seq")
    known = set(_REQUIRED) | {
        "Village-Name",
        "Bag-Software-Agent",
        "Device-Id",
        "Payload-Oxum",
        "Restore-Epoch",
    }
    return BagInfo(
        village_code=code,
        bundle_seq=_int(tags, "Bundle-Seq", minimum=1),
        since_seq=since,
        upto_seq=upto,
        schema_version=_int(tags, "Schema-Version", minimum=1),
        record_counts=counts,
        created_utc=tags["Created-UTC"],
        app_version=tags["App-Version"],
        signing_key=key,
        device_id=tags.get("Device-Id", ""),
        village_name=tags.get("Village-Name", ""),
        payload_oxum=tags.get("Payload-Oxum", ""),
        restore_epoch=_int(tags, "Restore-Epoch") if "Restore-Epoch" in tags else 0,
        extra={label: value for label, value in tags.items() if label not in known},
    )


def manifest_text(hashes: dict[str, str]) -> str:
    return "".join(f"{digest}  {name}\n" for name, digest in hashes.items())


def parse_manifest(text: str) -> dict[str, str]:
    """``{path: sha256}``; raises :class:`ValueError` on a malformed or repeated line."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        if not line:
            continue
        digest, sep, name = line.partition("  ")
        if not sep or not SHA256_HEX.match(digest) or not name or name in found:
            raise ValueError(line[:80])
        found[name] = digest
    return found
