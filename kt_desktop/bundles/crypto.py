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
import hmac
import os
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kt_desktop.bundles.errors import BundleError
from kt_desktop.i18n import N_, _

ENCRYPTED_MAGIC = b"KTB1"
CLEAR_MAGIC = b"KTC1"
FORMAT_VERSION = 1
FLAG_ENCRYPTED = 0x01
_KNOWN_FLAGS = FLAG_ENCRYPTED

_PREFIX = struct.Struct(">4sBBQ")  # magic, version, flags, length
_ENCRYPTED_HEADER = _PREFIX.size + 32 + 16 + 12
#: Where the receiver key id ends is 12 bytes (the nonce) before the header's end.
ENCRYPTED_HEADER = _ENCRYPTED_HEADER
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


#: Why a bundle's bytes are refused, by refusal code; either way the file is asked for again.
_ASK_AGAIN = {
    "truncated": N_(
        "{file} is incomplete: it was cut off while being copied. Ask the village to "
        "send it again."
    ),
    "damaged": N_(
        "{file} is damaged or was changed after it was made (the check failed). Ask "
        "the village to send it again."
    ),
}


def refused(code: str, source: str) -> BundleError:
    """The refusal ``code`` ("truncated" or "damaged") of the bundle ``source``: the reader
    (:mod:`kt_desktop.bundles.read`) refuses a damaged bag with the same sentence."""
    return BundleError(_(_ASK_AGAIN[code]).format(file=source), code=code)


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
            raise refused("truncated", source)
        raise BundleError(
            _("{file} is not a KT Desktop data bundle (.ktb).").format(file=source),
            code="not_bundle",
        )
    if len(data) < _PREFIX.size:
        raise refused("truncated", source)
    _magic, version, flags, length = _PREFIX.unpack_from(data)
    if version < FORMAT_VERSION:
        raise refused("damaged", source)
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
        raise refused("damaged", source)
    header_size = _ENCRYPTED_HEADER if encrypted else _CLEAR_HEADER
    if len(data) < header_size + length:
        raise refused("truncated", source)
    if len(data) > header_size + length:
        raise refused("damaged", source)
    header, body = data[:header_size], data[header_size:]
    if not encrypted:
        if hashlib.sha256(body).digest() != header[_PREFIX.size :]:
            raise refused("damaged", source)
        return Opened(bag=body, encrypted=False)
    if length < _TAG:
        raise refused("damaged", source)
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
        raise refused("damaged", source) from exc
    return Opened(bag=bag, encrypted=True)


# -- the receiver's key vouching for its signing key to one village ---------------------------
# A village pinned only the receiver's X25519 key (the one it encrypts to), and X25519 cannot
# sign. What the receiver sends back (receipts, notices: kt_desktop/bundles/documents.py) is
# signed with the receiver file's Ed25519 key and carries a *binding*: an HMAC over that
# signing key and the village's code, keyed by X25519(receiver, village). The village's half
# is its own Ed25519 key read as X25519 (the birational map libsodium uses,
# crypto_sign_ed25519_pk_to_curve25519), so no new key travels and only the holder of the
# pinned receiver key can make a binding the village accepts.
_P = 2**255 - 19
_BINDING_INFO = b"KT Desktop receiver binding v1"


def exchange_public_of(signing_public: bytes) -> bytes:
    """The X25519 public key of an Ed25519 public key (Montgomery u = (1 + y) / (1 - y))."""
    y = int.from_bytes(signing_public, "little") & ((1 << 255) - 1)
    u = (1 + y) * pow((1 - y) % _P, _P - 2, _P) % _P
    return u.to_bytes(32, "little")


def exchange_private_of(signing_private: Ed25519PrivateKey) -> X25519PrivateKey:
    """The X25519 private key of an Ed25519 key: the clamped first half of SHA-512(seed)."""
    seed = signing_private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return X25519PrivateKey.from_private_bytes(hashlib.sha512(seed).digest()[:32])


def _binding(shared: bytes, signing_public: bytes, village_code: str) -> bytes:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_BINDING_INFO).derive(shared)
    return hmac.new(key, signing_public + village_code.encode("ascii"), hashlib.sha256).digest()


def make_binding(
    receiver_private: X25519PrivateKey,
    village_signing_public: bytes,
    signing_public: bytes,
    village_code: str,
) -> bytes:
    """The receiver's word, to one village, that ``signing_public`` is its signing key."""
    peer = X25519PublicKey.from_public_bytes(exchange_public_of(village_signing_public))
    return _binding(receiver_private.exchange(peer), signing_public, village_code)


def check_binding(
    village_signing_private: Ed25519PrivateKey,
    receiver_public: bytes,
    signing_public: bytes,
    village_code: str,
    binding: bytes,
) -> bool:
    """Whether ``binding`` was made by the holder of ``receiver_public`` for this village."""
    try:
        shared = exchange_private_of(village_signing_private).exchange(
            X25519PublicKey.from_public_bytes(receiver_public)
        )
    except ValueError:  # a low-order point: no shared secret, no binding
        return False
    return hmac.compare_digest(_binding(shared, signing_public, village_code), binding)
