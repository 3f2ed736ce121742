"""The outer envelope of a ``.ktb`` file: encrypted to the receiver, or clear but checked.

Encrypted (magic ``KTB1``)::

    magic 4 | version 1 | flags 1 | length 8 | ephemeral X25519 public key 32
            | receiver key id 16 | nonce 12 | AES-256-GCM(bag) (length bytes, tag included)

The key is HKDF-SHA256 over X25519(ephemeral, receiver) with both public keys as salt; the
whole header is the associated data, so no header byte can change unnoticed. A fresh
ephemeral key per bundle means a village never holds anything that could decrypt old bundles.

Clear (magic ``KTC1``), for a village without the receiver's key::

    magic 4 | version 1 | flags 1 | length 8 | SHA-256 of the bag 32 | bag

The checksum does not stop a forger (the signature inside the bag does that); it turns a
stick's flipped bit into a clear "rusak" before any ZIP parsing happens.

``length`` lets a cut-off file be told from a changed one ("terpotong" vs "rusak").
"""

from __future__ import annotations

import hashlib
import os
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kt_desktop.bundles.errors import BundleError
from kt_desktop.i18n import _

ENCRYPTED_MAGIC = b"KTB1"
CLEAR_MAGIC = b"KTC1"
FORMAT_VERSION = 1
FLAG_ENCRYPTED = 0x01
_KNOWN_FLAGS = FLAG_ENCRYPTED

_PREFIX = struct.Struct(">4sBBQ")  # magic, version, flags, length
_ENCRYPTED_HEADER = _PREFIX.size + 32 + 16 + 12
_CLEAR_HEADER = _PREFIX.size + 32
_TAG = 16
_INFO = b"KT Desktop bundle v1"


def key_id(public_key: bytes) -> bytes:
    """16 bytes naming a receiver key inside the header (same digest as the fingerprint)."""
    return hashlib.sha256(public_key).digest()[:16]


def _fingerprint_of_id(identifier: bytes) -> str:
    digest = identifier.hex().upper()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def _derive(shared: bytes, ephemeral: bytes, receiver: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + receiver, info=_INFO).derive(
        shared
    )


def seal(bag: bytes, receiver_public_key: bytes | None) -> bytes:
    """Wrap the bag: encrypted to ``receiver_public_key``, or clear when it is None."""
    if receiver_public_key is None:
        prefix = _PREFIX.pack(CLEAR_MAGIC, FORMAT_VERSION, 0, len(bag))
        return prefix + hashlib.sha256(bag).digest() + bag
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(receiver_public_key))
    key = _derive(shared, ephemeral_public, receiver_public_key)
    nonce = os.urandom(12)
    header = (
        _PREFIX.pack(ENCRYPTED_MAGIC, FORMAT_VERSION, FLAG_ENCRYPTED, len(bag) + _TAG)
        + ephemeral_public
        + key_id(receiver_public_key)
        + nonce
    )
    return header + AESGCM(key).encrypt(nonce, bag, header)


@dataclass(frozen=True, slots=True)
class Opened:
    bag: bytes
    encrypted: bool


def is_envelope(head: bytes) -> bool:
    """True when ``head`` (the first bytes of a file) starts like a bundle."""
    return head[:4] in (ENCRYPTED_MAGIC, CLEAR_MAGIC)


def _truncated(source: str) -> BundleError:
    return BundleError(
        _(
            "{file} is incomplete: it was cut off while being copied. Ask the village to "
            "send it again."
        ).format(file=source),
        code="truncated",
    )


def _damaged(source: str) -> BundleError:
    return BundleError(
        _(
            "{file} is damaged or was changed after it was made (the check failed). Ask "
            "the village to send it again."
        ).format(file=source),
        code="damaged",
    )


def open_envelope(
    data: bytes,
    receiver_private_key: X25519PrivateKey | None,
    *,
    source: str,
) -> Opened:
    """The bag inside ``data``, or a :class:`BundleError` saying why not."""
    if not data:
        raise BundleError(
            _("{file} is empty: it is not a bundle. Ask the village to send it again.").format(
                file=source
            ),
            code="empty",
        )
    magic = data[:4]
    if magic not in (ENCRYPTED_MAGIC, CLEAR_MAGIC):
        if len(data) < 4 and (ENCRYPTED_MAGIC.startswith(data) or CLEAR_MAGIC.startswith(data)):
            raise _truncated(source)
        raise BundleError(
            _("{file} is not a KT Desktop data bundle (.ktb).").format(file=source),
            code="not_bundle",
        )
    if len(data) < _PREFIX.size:
        raise _truncated(source)
    _magic, version, flags, length = _PREFIX.unpack_from(data)
    if version < FORMAT_VERSION:
        raise _damaged(source)
    if version > FORMAT_VERSION or flags & ~_KNOWN_FLAGS:
        raise BundleError(
            _(
                "{file} was made by a newer KT Desktop (bundle format {version}). Update the "
                "application (perbarui aplikasi) and import it again."
            ).format(file=source, version=version),
            code="unsupported_format",
        )
    encrypted = magic == ENCRYPTED_MAGIC
    if encrypted != bool(flags & FLAG_ENCRYPTED):
        raise _damaged(source)
    header_size = _ENCRYPTED_HEADER if encrypted else _CLEAR_HEADER
    if len(data) < header_size + length:
        raise _truncated(source)
    if len(data) > header_size + length:
        raise _damaged(source)
    header, body = data[:header_size], data[header_size:]
    if not encrypted:
        if hashlib.sha256(body).digest() != header[_PREFIX.size :]:
            raise _damaged(source)
        return Opened(bag=body, encrypted=False)
    if length < _TAG:
        raise _damaged(source)
    offset = _PREFIX.size
    ephemeral_public = header[offset : offset + 32]
    wanted_id = header[offset + 32 : offset + 48]
    nonce = header[offset + 48 : offset + 60]
    if receiver_private_key is None:
        raise BundleError(
            _(
                "{file} is encrypted, but this data file has no receiver key to open it. "
                "Import it in the receiver's data file."
            ).format(file=source),
            code="no_receiver_key",
        )
    own_public = receiver_private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    if key_id(own_public) != wanted_id:
        raise BundleError(
            _(
                "{file} is encrypted for another receiver (key {wanted}), not for this "
                "file's key ({own}). Ask the village to install your key and export again."
            ).format(
                file=source,
                wanted=_fingerprint_of_id(wanted_id),
                own=_fingerprint_of_id(key_id(own_public)),
            ),
            code="wrong_receiver",
        )
    try:
        shared = receiver_private_key.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        key = _derive(shared, ephemeral_public, own_public)
        bag = AESGCM(key).decrypt(nonce, body, header)
    except (InvalidTag, ValueError) as exc:
        raise _damaged(source) from exc
    return Opened(bag=bag, encrypted=True)
