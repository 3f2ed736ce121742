"""What travels back from a receiver, and between receivers: receipts, notices and relays.

They are the very bag of a bundle (:mod:`kt_desktop.bundles.format`, built by
:func:`kt_desktop.bundles.write.build_bag`, checked by :func:`kt_desktop.bundles.read.verify_bag`)
with a ``Kind`` tag in ``bag-info.txt``; there is no second signed-file format.

* **receipt** (``Kind: receipt``, ``.ktr``): one village's bundle numbers as a receiver holds
  them. ``Village-Code`` is that village, ``Bundle-Seq`` the receipt's own number (per
  receiver and village, rising: an older one is a replay), ``data/receipt.jsonl`` one line.
* **notice** (``Kind: notice``, ``.ktr``): a title, text, attachments (``data/attachments/``)
  and reference updates, for every village of the receiver (``Village-Code`` is
  :data:`ANY_VILLAGE`); ``data/bindings.jsonl`` holds one binding per known village.
* **aggregate** (``Kind: aggregate``, ``.kta``): a province's counts for the national level
  (docs/NATIONAL.md): only figures by village × month × category and funds by source, no
  names and no NIK. ``Village-Code`` is :data:`ANY_VILLAGE`, ``Area-Code`` the province,
  ``Bundle-Seq`` the province's own aggregate number (rising: an older one is a replay);
  ``data/aggregate.jsonl`` one line (the year, the villages), ``data/aggregate_counts.jsonl``
  the figures.
* **relay** (``Kind: relay``, ``.ktb``): a kabupaten passing one village bundle on as
  ``data/attachments/<sha256>``, the whole relay encrypted to the province. The bundle inside
  is the village's file untouched when it was encrypted to the province already (the
  kabupaten cannot read it), or the village's bag untouched, sealed again to the province,
  when it was encrypted to the kabupaten. ``Village-Code`` and ``Bundle-Seq`` repeat the
  bundle's where the kabupaten could read them (else :data:`ANY_VILLAGE` and 1).

Receipts and notices are signed with the receiver file's Ed25519 key and carry the
receiver's X25519 key (``Receiver-Key``) and, per village, a binding made with it
(:func:`kt_desktop.bundles.crypto.make_binding`): a village checks both against the key it
pinned. They go in the clear envelope (nothing personal inside; its checksum tells a cut-off
or changed file).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kt_desktop import __version__
from kt_desktop.bundles import crypto, read, write
from kt_desktop.bundles import format as fmt
from kt_desktop.bundles.errors import BundleError
from kt_desktop.bundles.keys import fingerprint as keys_fingerprint
from kt_desktop.i18n import _

RECEIPT = "receipt"
NOTICE = "notice"
RELAY = "relay"
AGGREGATE = "aggregate"
KINDS = (RECEIPT, NOTICE, RELAY, AGGREGATE)
#: An aggregate's file name ends in this (a province's counts for the national level).
AGGREGATE_EXTENSION = ".kta"
#: What :func:`wrong_kind_text` calls a village's own bundle (its bag has no ``Kind``).
BUNDLE = "bundle"
EXTENSION = ".ktr"
#: ``Village-Code`` of a notice, which is for every village of the receiver.
ANY_VILLAGE = "00.00.00.0000"

KIND_TAG = "Kind"
RECEIVER_KEY_TAG = "Receiver-Key"
BINDING_TAG = "Key-Binding"
SENDER_TAG = "Sender-Name"
AREA_TAG = "Area-Code"
#: Documents are small; a notice's attachments (a form, a poster) stay under this.
MAX_DOCUMENT_BYTES = 40 * read.MIB
_LIMITS = read.Limits(max_bundle_bytes=MAX_DOCUMENT_BYTES, max_entries=200)
_RAW = (serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_bytes(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(*_RAW)


@dataclass(frozen=True, slots=True)
class Document:
    """A verified document: its signature and hashes hold; who may trust it is checked by
    the caller (:func:`check_receiver`)."""

    kind: str
    info: fmt.BagInfo
    payload: dict[str, Any]
    attachments: dict[str, bytes]
    bindings: dict[str, bytes]
    sha256: str
    #: Tables beside the payload (an aggregate's counts), as JSONL bytes.
    tables: dict[str, bytes] = dataclasses.field(default_factory=dict)

    @property
    def receiver_key(self) -> bytes:
        return _b64(self.info.extra.get(RECEIVER_KEY_TAG, ""))

    @property
    def sender(self) -> str:
        return self.info.extra.get(SENDER_TAG, "")

    @property
    def created(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.info.created_utc.replace("Z", "+00:00"))


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        return b""


def build(
    kind: str,
    *,
    village_code: str,
    seq: int,
    payload: Mapping[str, Any],
    signing_key: Ed25519PrivateKey,
    created_utc: str,
    schema_version: int,
    sender: str = "",
    tags: Mapping[str, str] | None = None,
    bindings: Mapping[str, bytes] | None = None,
    attachments: Mapping[str, bytes] | None = None,
    seal_to: bytes | None = None,
    tables: Sequence[write.TableRows] = (),
) -> bytes:
    """The sealed document: the payload as one JSONL line (and ``tables``), signed, in its
    envelope."""
    assert kind in KINDS, kind
    extra = {KIND_TAG: kind, SENDER_TAG: " ".join(sender.split())[:200]}
    extra.update(tags or {})
    info = fmt.BagInfo(
        village_code=village_code,
        bundle_seq=seq,
        since_seq=0,
        upto_seq=0,
        schema_version=schema_version,
        record_counts={},
        created_utc=created_utc,
        app_version=__version__,
        signing_key=public_bytes(signing_key),
        extra=extra,
    )
    contents = [write.TableRows(kind, ["document"], [(json.dumps(dict(payload), ensure_ascii=False),)])]
    if bindings:
        contents.append(
            write.TableRows(
                "bindings",
                ["village_code", "binding"],
                [(code, base64.b64encode(value).decode("ascii")) for code, value in sorted(bindings.items())],
            )
        )
    contents.extend(tables)
    bag = write.build_bag(info, contents, dict(attachments or {}), signing_key)
    return crypto.seal(bag, seal_to)


def kind_of(bag: bytes) -> str:
    """The ``Kind`` a bag announces ("" for a village's bundle), read without trusting it."""
    try:
        with zipfile.ZipFile(io.BytesIO(bag)) as archive:
            info = archive.getinfo(fmt.BAG_INFO)
            if info.file_size > 64 * 1024:
                return ""
            text = archive.read(info).decode("utf-8")
    except Exception:  # whatever it is, verify_bag refuses it properly in its turn
        return ""
    for line in text.splitlines():
        label, _sep, value = line.partition(":")
        if label == KIND_TAG:
            return value.strip()
    return ""


def _again(kind: str) -> str:
    if kind == AGGREGATE:
        return _("Ask the province to export its aggregate again.")
    if kind == RELAY:
        return _("Ask the kabupaten to pass the bundles on again.")
    return _("Ask the receiver to send it again.")


def damaged(source: str, kind: str, code: str = "damaged") -> BundleError:
    """A document that fails a check: one sentence, and whom to ask for it again."""
    message = _("{file} is damaged or was changed after it was signed (the check failed).")
    return BundleError(f"{message.format(file=source)} {_again(kind)}", code=code)


def _refusal(exc: BundleError, source: str, kind: str) -> BundleError:
    """The bag reader speaks of villages' bundles; a document's refusal says whom to ask."""
    if exc.code == "truncated":
        message = _("{file} is incomplete: it was cut off while being copied.").format(file=source)
        return BundleError(f"{message} {_again(kind)}", code=exc.code)
    if exc.code in ("empty", "not_bundle", "unsupported_format", "no_receiver_key",
                    "wrong_receiver", "too_large"):
        return exc
    return damaged(source, kind, exc.code)


def open_bag(
    bag: bytes,
    *,
    source: str,
    kind: str,
    encrypted: bool = False,
    limits: read.Limits = _LIMITS,
) -> Document:
    """Verify a document's bag (signature, hashes, names) and read its payload."""
    try:
        verified = read.verify_bag(bag, source=source, encrypted=encrypted, limits=limits)
    except BundleError as exc:
        raise _refusal(exc, source, kind) from None
    found = verified.info.extra.get(KIND_TAG, BUNDLE)
    if found != kind:
        raise BundleError(wrong_kind_text(source, kind, found), code="not_document")
    try:
        (line,) = verified.tables[kind].decode("utf-8").splitlines()
        payload = json.loads(json.loads(line)["document"])
        if not isinstance(payload, dict):
            raise ValueError
        bindings = {}
        for text in verified.tables.get("bindings", b"").decode("utf-8").splitlines():
            row = json.loads(text)
            bindings[str(row["village_code"])] = _b64(str(row["binding"]))
    except (KeyError, ValueError, TypeError, UnicodeDecodeError):
        raise damaged(source, kind) from None
    return Document(
        kind=kind,
        info=verified.info,
        payload=payload,
        attachments=verified.attachments,
        bindings=bindings,
        sha256=verified.bag_sha256,
        tables={name: data for name, data in verified.tables.items()
                if name not in (kind, "bindings")},
    )


def open_document(
    data: bytes, *, source: str, kind: str, limits: read.Limits = _LIMITS
) -> Document:
    """A clear document file (receipt, notice, aggregate): envelope, then :func:`open_bag`."""
    if len(data) > limits.max_bundle_bytes:
        raise read.too_large(source, limits)
    if data[:4] == crypto.ENCRYPTED_MAGIC:  # documents travel in the clear: a bundle
        raise BundleError(wrong_kind_text(source, kind, BUNDLE), code="not_document")
    try:
        opened = crypto.open_envelope(data, None, source=source)
    except BundleError as exc:
        if exc.code == "not_bundle":
            raise BundleError(wrong_kind_text(source, kind, ""), code="not_document") from None
        raise _refusal(exc, source, kind) from None
    return open_bag(opened.bag, source=source, kind=kind, limits=limits)


def wrong_kind_text(source: str, wanted: str, found: str) -> str:
    names = {RECEIPT: _("a receipt (tanda terima)"), NOTICE: _("a notice (pengumuman)"),
             RELAY: _("a bundle passed on by a kabupaten"), BUNDLE: _("a data bundle (.ktb)"),
             AGGREGATE: _("a province's aggregate for the national level (.kta)")}
    if found in names:
        return _("{file} is {found}, not {wanted}; open it as what it is.").format(
            file=source, found=names[found], wanted=names.get(wanted, wanted)
        )
    return _("{file} is not {wanted} from KT Desktop.").format(
        file=source, wanted=names.get(wanted, wanted)
    )


def check_receiver(
    document: Document,
    *,
    source: str,
    pinned_receiver_key: bytes,
    village_code: str,
    village_key: Ed25519PrivateKey,
) -> None:
    """Is this document from the receiver the village pinned, and for this village?"""
    if document.receiver_key != pinned_receiver_key:
        raise BundleError(
            _(
                "{file} was signed by another key, not by the receiver whose key this village "
                "installed. It is refused; nothing was changed."
            ).format(file=source),
            code="wrong_key",
        )
    if document.kind == RECEIPT:
        if document.info.village_code != village_code:
            raise BundleError(
                _(
                    "{file} is the receipt of another village ({code}), not of this one "
                    "({own}). It is refused; nothing was changed."
                ).format(file=source, code=document.info.village_code, own=village_code),
                code="other_village",
            )
        binding = _b64(document.info.extra.get(BINDING_TAG, ""))
    else:
        binding = document.bindings.get(village_code, b"")
        if not binding:
            raise BundleError(
                _(
                    "{file} is not addressed to this village ({own}): the receiver did not "
                    "know it yet when it was made. Ask the receiver to send it again."
                ).format(file=source, own=village_code),
                code="other_village",
            )
    if not crypto.check_binding(
        village_key, pinned_receiver_key, document.info.signing_key, village_code, binding
    ):
        raise BundleError(
            _(
                "{file} was signed by another key, not by the receiver whose key this village "
                "installed. It is refused; nothing was changed."
            ).format(file=source),
            code="wrong_key",
        )


def bindings_for(
    receiver_key: X25519PrivateKey,
    signing_public: bytes,
    villages: Sequence[tuple[str, bytes]],
) -> dict[str, bytes]:
    """One binding per ``(village code, village signing key)``."""
    return {
        code: crypto.make_binding(receiver_key, key, signing_public, code)
        for code, key in villages
    }


# -- relay: a kabupaten passing a village's bag on ---------------------------------------------
@dataclass(frozen=True, slots=True)
class RelayRoute:
    """The way a bundle came: the kabupaten that passed it on."""

    via_code: str
    via_name: str
    via_fingerprint: str
    reply_to: str = ""


def relay(
    village_file: bytes,
    *,
    file_name: str,
    village_code: str,
    seq: int,
    signing_key: Ed25519PrivateKey,
    sender: str,
    area_code: str,
    reply_to: str,
    created_utc: str,
    schema_version: int,
    seal_to: bytes,
) -> bytes:
    """The village's bundle file (sealed to the province) in a relay signed by the
    kabupaten and sealed to the province too."""
    digest = hashlib.sha256(village_file).hexdigest()
    return build(
        RELAY,
        village_code=village_code,
        seq=seq,
        payload={"bag": digest, "file_name": file_name, "reply_to": reply_to},
        signing_key=signing_key,
        created_utc=created_utc,
        schema_version=schema_version,
        sender=sender,
        tags={AREA_TAG: area_code},
        attachments={digest: village_file},
        seal_to=seal_to,
    )


def unwrap_relay(bag: bytes, *, source: str) -> tuple[bytes, RelayRoute]:
    """The village's bundle file inside a relay, and the way it came. The kabupaten's
    signature only vouches for the way; the village's own signature is checked on the bag
    inside that file, as for any bundle."""
    document = open_bag(bag, source=source, kind=RELAY, encrypted=True, limits=read.DEFAULT_LIMITS)
    inner = document.attachments.get(str(document.payload.get("bag", "")))
    if inner is None or len(document.attachments) != 1:
        raise damaged(source, RELAY)
    return inner, RelayRoute(
        via_code=document.info.extra.get(AREA_TAG, ""),
        via_name=document.sender,
        via_fingerprint=keys_fingerprint(document.info.signing_key),
        reply_to=str(document.payload.get("reply_to", ""))[:254],
    )
