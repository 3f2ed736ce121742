"""The keys a data file holds: its own signing key, and the receiver's public key.

A village signs every bundle with its Ed25519 key (made at set-up); a receiver also holds an
X25519 key pair that villages encrypt to. Private keys stay inside the data file (the file is
the installation); only public keys ever leave it.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

import sqlite_utils
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from kt_desktop.bundles.errors import BundleError
from kt_desktop.i18n import _
from kt_desktop.store import settings

SIGNING_PRIVATE = "signing_key_private"
SIGNING_PUBLIC = "signing_key_public"
ENCRYPTION_PRIVATE = "encryption_key_private"  # receiver files only
ENCRYPTION_PUBLIC = "encryption_key_public"  # receiver files only

_RAW = serialization.Encoding.Raw
_RAW_PRIV = serialization.PrivateFormat.Raw
_RAW_PUB = serialization.PublicFormat.Raw


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def fingerprint(public_key: bytes) -> str:
    """A short, readable fingerprint to compare over the phone: 8 groups of 4 hex digits."""
    digest = hashlib.sha256(public_key).hexdigest()[:32].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def _create_key(
    db: sqlite_utils.Database,
    kind: type[Ed25519PrivateKey] | type[X25519PrivateKey],
    private_key: str,
    public_key: str,
) -> bytes:
    """Make a key pair of ``kind`` once, kept in the settings ``private_key``/``public_key``;
    returns the public key (the one already made when there is one)."""
    existing = settings.get(db, public_key)
    if existing:
        return base64.b64decode(existing)
    private = kind.generate()
    public = private.public_key().public_bytes(_RAW, _RAW_PUB)
    settings.put(
        db, private_key, _b64(private.private_bytes(_RAW, _RAW_PRIV, serialization.NoEncryption()))
    )
    settings.put(db, public_key, _b64(public))
    return public


def create_signing_key(db: sqlite_utils.Database) -> bytes:
    """Make the file's Ed25519 key once; returns the public key (idempotent)."""
    return _create_key(db, Ed25519PrivateKey, SIGNING_PRIVATE, SIGNING_PUBLIC)


def create_encryption_key(db: sqlite_utils.Database) -> bytes:
    """Make a receiver's X25519 key pair once; returns the public key (idempotent)."""
    return _create_key(db, X25519PrivateKey, ENCRYPTION_PRIVATE, ENCRYPTION_PUBLIC)


def signing_public_key(db: sqlite_utils.Database) -> bytes | None:
    value = settings.get(db, SIGNING_PUBLIC)
    return base64.b64decode(value) if value else None


def signing_private_key(db: sqlite_utils.Database) -> Ed25519PrivateKey | None:
    value = settings.get(db, SIGNING_PRIVATE)
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(value)) if value else None


def encryption_private_key(db: sqlite_utils.Database) -> X25519PrivateKey | None:
    value = settings.get(db, ENCRYPTION_PRIVATE)
    return X25519PrivateKey.from_private_bytes(base64.b64decode(value)) if value else None


def encryption_public_key(db: sqlite_utils.Database) -> bytes | None:
    value = settings.get(db, ENCRYPTION_PUBLIC)
    return base64.b64decode(value) if value else None


# -- the receiver's public key file (what a province hands to its villages) ------------------
KEY_FILE_EXTENSION = ".ktkey"
_KEY_FILE_MAGIC = "KT-Desktop-Receiver-Key"
_KEY_FILE_MAX_BYTES = 16 * 1024


@dataclass(frozen=True, slots=True)
class ReceiverKeyFile:
    """A receiver's public key with who it belongs to; the fingerprint is checked on read."""

    name: str
    area_code: str
    email: str
    public_key: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def to_text(self) -> str:
        lines = [
            (_KEY_FILE_MAGIC, "1"),
            ("Name", self.name),
            ("Area-Code", self.area_code),
            ("Email", self.email),
            ("Public-Key", _b64(self.public_key)),
            ("Fingerprint", self.fingerprint),
        ]
        return "".join(f"{label}: {' '.join(value.split())}\n" for label, value in lines)


def _bad_key_file(source: str, problem: str) -> BundleError:
    return BundleError(
        _(
            "{file} is not a valid receiver key file ({problem}). Ask the receiver for the "
            "file again."
        ).format(file=source, problem=problem),
        code="bad_key_file",
    )


def parse_receiver_key_file(data: bytes, *, source: str) -> ReceiverKeyFile:
    """Read a ``.ktkey`` file; a changed character anywhere in the key is refused."""
    if len(data) > _KEY_FILE_MAX_BYTES:
        raise _bad_key_file(source, _("too large"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _bad_key_file(source, _("not text")) from exc
    tags: dict[str, str] = {}
    for line in text.splitlines():
        label, sep, value = line.partition(":")
        if sep:
            tags[label.strip()] = value.strip()
    if tags.get(_KEY_FILE_MAGIC) != "1":
        raise _bad_key_file(source, _KEY_FILE_MAGIC)
    try:
        public = base64.b64decode(tags.get("Public-Key", ""), validate=True)
        X25519PublicKey.from_public_bytes(public)
    except ValueError as exc:
        raise _bad_key_file(source, "Public-Key") from exc
    if tags.get("Fingerprint", "").upper() != fingerprint(public):
        raise _bad_key_file(source, "Fingerprint")
    return ReceiverKeyFile(
        name=tags.get("Name", ""),
        area_code=tags.get("Area-Code", ""),
        email=tags.get("Email", ""),
        public_key=public,
    )
