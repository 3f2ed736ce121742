"""A kabupaten passes its villages' bundles on to the province, untouched (issue 21).

``kt-desktop bundle forward INPUT... --out DIR`` on a kabupaten's receiver file: each
village bundle (encrypted to the kabupaten, or clear) is opened, its village signature
checked, and its bag, byte for byte, is wrapped in a relay signed by the kabupaten and
encrypted to the province (the key installed with ``keys import``). The province verifies
the village's own signature and records the way the bundle came
(:func:`kt_desktop.bundles.documents.unwrap_relay`). Receipts (``.ktr``) given to the same
command are copied untouched, for the way back. See docs/RECEIPTS.md.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kt_desktop.bundles import crypto, documents, keys, mail, read, transport
from kt_desktop.bundles import format as fmt
from kt_desktop.bundles.errors import BundleError
from kt_desktop.domain import clock
from kt_desktop.domain.formats import utc_now_iso
from kt_desktop.i18n import _, ngettext
from kt_desktop.services import bundles as bundle_service
from kt_desktop.services.receipts import existing_folder, plain_dict
from kt_desktop.services.session import Session
from kt_desktop.store import audit, migrations
from kt_desktop.store import bundles as bundle_store

FORWARDED = "forwarded"
COPIED = "copied"
REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class Forwarded:
    source: str
    status: str
    village_code: str = ""
    seq: int | None = None
    path: Path | None = None
    message: str = ""
    error_code: str | None = None

    def as_dict(self) -> dict[str, object]:
        return plain_dict(self)


@dataclass(frozen=True, slots=True)
class ForwardReport:
    items: list[Forwarded]
    eml_path: Path | None = None

    @property
    def ok(self) -> bool:
        return all(item.status != REFUSED for item in self.items)

    def text(self) -> str:
        done = sum(1 for item in self.items if item.status == FORWARDED)
        copied = sum(1 for item in self.items if item.status == COPIED)
        parts = [ngettext("{count} bundle passed on", "{count} bundles passed on", done).format(
            count=done)]
        if copied:
            parts.append(ngettext("{count} receipt copied", "{count} receipts copied",
                                  copied).format(count=copied))
        refused = len(self.items) - done - copied
        if refused:
            parts.append(ngettext("{count} refused", "{count} refused", refused).format(
                count=refused))
        return ", ".join(parts)

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "items": [item.as_dict() for item in self.items],
            "eml_path": str(self.eml_path) if self.eml_path else None,
        }


def _upstream(session: Session) -> bundle_store.ReceiverRecord:
    upstream = bundle_store.receiver(session.db())
    if upstream is None:
        raise BundleError(
            _(
                "The province's key is not installed in this receiver file, so bundles cannot "
                "be passed on. Install it first: kt-desktop keys import FILE.ktkey."
            ),
            code="no_receiver_key",
        )
    return upstream


def forward(
    session: Session,
    inputs: Sequence[bundle_service.ImportInput],
    out_dir: Path,
    *,
    email: bool = False,
) -> ForwardReport:
    """Pass every village bundle of ``inputs`` on to the province through ``out_dir``."""
    bundle_service._require_receiver(session)
    db = session.db()
    upstream = _upstream(session)
    seal_to = base64.b64decode(upstream.public_key)
    signing = keys.signing_private_key(db)
    own_key = keys.encryption_private_key(db)
    if signing is None or own_key is None:
        raise BundleError(_("This receiver file has no encryption key."), code="not_receiver")
    out_dir = existing_folder(out_dir)
    own_name, own_email = bundle_store.own_profile(db, session.code)
    day = clock.today().strftime("%Y%m%d")
    results: list[Forwarded] = []
    for item in bundle_service._expand(list(inputs), read.DEFAULT_LIMITS):
        try:
            if item.path is not None and item.path.suffix.lower() == documents.EXTENSION:
                data = bundle_service._load(item, read.DEFAULT_LIMITS)
                path = transport.write_to_folder(data, out_dir, item.path.name)
                results.append(Forwarded(item.source, COPIED, path=path))
                continue
            data = bundle_service._load(item, read.DEFAULT_LIMITS)
            code, seq, sealed = _for_province(data, own_key, seal_to, item.source, session.code)
            relayed = documents.relay(
                sealed,
                file_name=item.source,
                village_code=code,
                seq=seq,
                signing_key=signing,
                sender=own_name,
                area_code=session.code,
                reply_to=item.reply_to,
                created_utc=utc_now_iso(),
                schema_version=migrations.schema_version(db),
                seal_to=seal_to,
            )
            if code == documents.ANY_VILLAGE:
                name = f"KT-via-{session.code.replace('.', '')}-{sealed_digest(sealed)}{fmt.EXTENSION}"
            else:
                name = fmt.file_name(code, seq, day)
            path = transport.write_to_folder(relayed, out_dir, name)
        except BundleError as exc:
            results.append(Forwarded(item.source, REFUSED, message=exc.message,
                                     error_code=exc.code))
            continue
        known = code != documents.ANY_VILLAGE
        results.append(Forwarded(item.source, FORWARDED, code if known else "",
                                 seq if known else None, path))
    report = ForwardReport(results)
    paths = [item.path for item in results if item.path is not None and item.status == FORWARDED]
    if email and paths:
        message = mail.build_message(
            paths[0],
            to=upstream.email,
            sender=own_email,
            subject=_("Bundles of the villages of {area}, passed on by {name}").format(
                area=session.code, name=own_name
            ),
            body=_("Attached are {count} village bundles, passed on untouched. Import them in "
                   "KT Desktop (Impor).").format(count=len(paths)) + "\n",
            draft=True,
        )
        for path in paths[1:]:
            message.add_attachment(path.read_bytes(), maintype="application",
                                   subtype="octet-stream", filename=path.name)
        eml = mail.write_draft(message, out_dir / f"kiriman-{session.code.replace('.', '')}-{day}.eml")
        report = ForwardReport(results, eml)
    with db.atomic():
        audit.record(db, "export", "relay", None, actor=_("Officer"),
                     detail=f"{len(paths)} -> {out_dir}")
    return report


def sealed_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def _for_province(
    data: bytes, own_key: object, province_key: bytes, source: str, area: str
) -> tuple[str, int, bytes]:
    """``(village, seq, file for the province)`` of one village bundle file.

    Encrypted to the province already: passed on as it is (the kabupaten cannot read it,
    and need not). Encrypted to this kabupaten, or clear: its village signature checked,
    its bag untouched and sealed to the province.
    """
    if data[:4] == crypto.ENCRYPTED_MAGIC and len(data) >= crypto.ENCRYPTED_HEADER:
        wanted = data[crypto.ENCRYPTED_HEADER - 28 : crypto.ENCRYPTED_HEADER - 12]
        if wanted == crypto.key_id(province_key):
            return documents.ANY_VILLAGE, 1, data
    opened = crypto.open_envelope(data, own_key, source=source)  # type: ignore[arg-type]
    if documents.kind_of(opened.bag):
        raise BundleError(
            documents.wrong_kind_text(source, "", documents.kind_of(opened.bag)),
            code="not_bundle",
        )
    info = read.verify_bag(opened.bag, source=source, encrypted=opened.encrypted).info
    if not info.village_code.startswith(area + "."):
        raise BundleError(
            _(
                "{file} is the bundle of village {code}, outside this receiver's area "
                "({area}); it is not passed on."
            ).format(file=source, code=info.village_code, area=area),
            code="outside_area",
        )
    return info.village_code, info.bundle_seq, crypto.seal(opened.bag, province_key)
