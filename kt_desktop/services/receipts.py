"""Receipts (tanda terima): the receiver says what arrived, the village knows (issue 21).

Receiver: :func:`make_receipts` writes one signed receipt per village to a folder (or a
stick), each named so the secretary recognises hers, optionally with an ``.eml`` reply draft
to the address the village's bundle came from; a village whose bundles came through a
kabupaten gets hers in that kabupaten's subfolder, to travel back the same way.
Village: :func:`import_receipt` checks the receipt against the receiver key it pinned and
keeps it (nothing else of the village changes); :func:`receipt_status` is the line Kirim
Data shows, :func:`resend_missing` sends the missing bundles again in one step, and
:func:`dashboard_reminders` tells Beranda the last month the province confirmed.
The format and the flow: docs/RECEIPTS.md.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kt_desktop import regions
from kt_desktop.bundles import crypto, documents, keys, mail, transport
from kt_desktop.bundles.errors import BundleError
from kt_desktop.domain import clock
from kt_desktop.domain.formats import date_long, month_year, utc_now_iso
from kt_desktop.i18n import _, ngettext
from kt_desktop.services import bundles as bundle_service
from kt_desktop.services.dashboard import Reminder
from kt_desktop.services.session import Session
from kt_desktop.store import audit, migrations
from kt_desktop.store import bundles as bundle_store
from kt_desktop.store import profile as profile_store
from kt_desktop.store import receipts as receipt_store
from kt_desktop.store import receiver as receiver_store


def village_short_name(code: str, name: str = "") -> str:
    """"Desa Baros" (from the region list), else the name the village gave, else its code."""
    region = regions.full_name(code).split(", ")[0] if regions.get(code) else ""
    return region or name or code


def reported_month(created_utc: str) -> str:
    """``YYYY-MM`` of a bundle made at ``created_utc``, read in WIB as the receiver counts."""
    if not created_utc:
        return ""
    moment = dt.datetime.fromisoformat(created_utc.replace("Z", "+00:00"))
    return (moment + receiver_store.WIB).strftime("%Y-%m")


def spans(numbers: list[int]) -> str:
    """``1–4, 6–7``: bundle numbers as runs (the en dash a secretary reads as "sampai")."""
    parts: list[str] = []
    ordered = sorted(set(numbers))
    start = previous = None
    for number in [*ordered, None]:
        if number is not None and previous is not None and number == previous + 1:
            previous = number
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}\u2013{previous}")
        start = previous = number
    return ", ".join(parts)


def plain_dict(record: Any) -> dict[str, object]:
    """A result dataclass for ``--json``: paths as text."""
    return {
        key: str(value) if isinstance(value, Path) else value
        for key, value in dataclasses.asdict(record).items()
    }


def existing_folder(folder: Path) -> Path:
    """``folder``, refused with a sentence when it does not exist (a stick not plugged in)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BundleError(
            _("The folder {folder} does not exist; choose an existing folder.").format(
                folder=folder
            ),
            code="write_failed",
        )
    return folder


def read_file(path: Path) -> bytes:
    """The file's bytes, or the sentence the bundle import gives for an unreadable file."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise bundle_service._read_error(Path(path).name, exc) from exc


def document_bytes(path: Path, kind: str) -> tuple[bytes, str]:
    """The document's bytes from a ``.ktr`` file or from the ``.eml`` it came in."""
    path = Path(path)
    data = read_file(path)
    if path.suffix.lower() != ".eml":
        return data, path.name
    attached = mail.bundles_in_eml(data, path.name)
    if not attached:
        raise BundleError(
            documents.wrong_kind_text(path.name, kind, ""), code="not_document"
        )
    name, payload = attached[0]
    return payload, f"{path.name} › {name}"


# -- receiver: making receipts ------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MadeReceipt:
    village_code: str
    village_name: str
    seq: int
    path: Path
    held: list[int]
    missing: list[int]
    refused: list[dict[str, Any]]
    conflicts: int
    reported_month: str
    via: str = ""
    eml_path: Path | None = None

    def as_dict(self) -> dict[str, object]:
        return plain_dict(self)


def _receiver_keys(session: Session) -> tuple[Any, Any, bytes]:
    db = session.db()
    signing = keys.signing_private_key(db)
    exchange = keys.encryption_private_key(db)
    if signing is None or exchange is None:
        raise BundleError(_("This receiver file has no encryption key."), code="not_receiver")
    return signing, exchange, documents.public_bytes(signing)


def _free_name(folder: Path, stem: str, extension: str) -> str:
    name = f"{stem}{extension}"
    number = 2
    while (folder / name).exists():
        name = f"{stem} ({number}){extension}"
        number += 1
    return name


def _safe(text: str) -> str:
    """A file name part without the characters Windows or a stick refuse."""
    cleaned = "".join(" " if char in '\\/:*?"<>|' or ord(char) < 32 else char for char in text)
    return " ".join(cleaned.split())[:80].rstrip(". ") or "-"


def make_receipts(
    session: Session,
    out_dir: Path,
    *,
    village: str | None = None,
    email: bool = False,
) -> list[MadeReceipt]:
    """One signed receipt per village (or only ``village``) written to ``out_dir``."""
    bundle_service._require_receiver(session)
    out_dir = existing_folder(out_dir)
    db = session.db()
    signing, exchange, signing_public = _receiver_keys(session)
    receiver_public = documents.public_bytes(exchange)
    states = receiver_store.village_states(db, village or session.code)
    if village and village not in states:
        raise BundleError(
            _("No bundle of village {code} was accepted yet; there is nothing to confirm.").format(
                code=village
            ),
            code="other_village",
        )
    own_name, own_email = bundle_store.own_profile(db, session.code)
    routes = receipt_store.latest_routes(db)
    today = clock.today()
    made: list[MadeReceipt] = []
    for code in sorted(states):
        state = states[code]
        record = bundle_store.village(db, code)
        if record is None:
            continue
        held = sorted(bundle_store.imported_seqs(db, code))
        refused = [
            {"seq": seq, "at": at, "reason": reason} for seq, at, reason in state.refusal_reasons
        ]
        month = reported_month(state.last_created)
        route = routes.get(code)
        via = route.via_name if route and route.via_code else ""
        name = village_short_name(code, state.name)
        payload = {
            "village_code": code,
            "village_name": state.name,
            "receiver_name": own_name,
            "receiver_code": session.code,
            "made_utc": utc_now_iso(),
            "held": held,
            "missing": list(state.gaps),
            "refused": refused,
            "conflicts": state.open_conflicts,
            "reported_month": month,
            "last_bundle_created_utc": state.last_created,
            "via": via,
        }
        seq = receipt_store.next_receipt_seq(db, code)
        binding = crypto.make_binding(
            exchange, base64.b64decode(record.public_key), signing_public, code
        )
        data = documents.build(
            documents.RECEIPT,
            village_code=code,
            seq=seq,
            payload=payload,
            signing_key=signing,
            created_utc=payload["made_utc"],
            schema_version=migrations.schema_version(db),
            sender=own_name,
            tags={
                documents.RECEIVER_KEY_TAG: base64.b64encode(receiver_public).decode("ascii"),
                documents.BINDING_TAG: base64.b64encode(binding).decode("ascii"),
                documents.AREA_TAG: session.code,
            },
        )
        folder = out_dir / _safe(_("Via {name}").format(name=via)) if via else out_dir
        folder.mkdir(exist_ok=True)
        stem = _safe(_("Receipt - {village} - {date}").format(village=name, date=today.isoformat()))
        path = transport.write_to_folder(data, folder, _free_name(folder, stem, documents.EXTENSION))
        eml_path = None
        if email:
            to = route.reply_to if route else ""
            message = mail.build_message(
                path,
                to=to,
                sender=own_email,
                subject=_("Receipt of the data of {village} ({code})").format(village=name, code=code),
                body=_receipt_mail_body(name, code, own_name, held, list(state.gaps)),
                draft=True,
            )
            eml_path = mail.write_draft(message, path.with_suffix(".eml"))
        with db.atomic():
            receipt_store.add_receipt_made(
                db,
                village_code=code,
                seq=seq,
                sha256=hashlib.sha256(data).hexdigest(),
                made_utc=payload["made_utc"],
                file_name=path.name,
            )
            audit.record(db, "export", "receipts_out", code, actor=_("Officer"),
                         detail=f"{seq} {path.name}")
        made.append(MadeReceipt(code, state.name, seq, path, held, list(state.gaps), refused,
                                state.open_conflicts, month, via, eml_path))
    return made


def _receipt_mail_body(
    village: str, code: str, receiver: str, held: list[int], missing: list[int]
) -> str:
    lines = [
        _("To the secretary of Karang Taruna {village} ({code}),").format(village=village, code=code),
        "",
        _("Attached is the receipt (tanda terima) of {receiver} for your data: bundles {held}.").format(
            receiver=receiver, held=spans(held) or "-"
        ),
    ]
    if missing:
        lines.append(_("Bundles {seqs} did not arrive; please send them again.").format(
            seqs=spans(missing)))
    lines += [
        _("Open the file in KT Desktop (Kirim Data, Import receipt)."),
        "",
        _("Regards,"),
        receiver,
    ]
    return "\n".join(lines) + "\n"


# -- village: importing a receipt ---------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ReceiptImport:
    seq: int
    receiver_name: str
    already: bool
    status: ReceiptStatus

    def as_dict(self) -> dict[str, object]:
        return {"seq": self.seq, "receiver": self.receiver_name, "already": self.already,
                **self.status.as_dict()}


def _pinned(session: Session, source: str) -> tuple[bundle_store.ReceiverRecord, Any]:
    bundle_service._require_village(session)
    db = session.db()
    receiver = bundle_store.receiver(db)
    private = keys.signing_private_key(db)
    if receiver is None or private is None:
        raise BundleError(
            _(
                "{file} cannot be checked: the receiver's key is not installed in this "
                "village file. Install it first (Kirim Data, Install key)."
            ).format(file=source),
            code="untrusted",
        )
    return receiver, private


def verified_document(session: Session, path: Path, kind: str) -> tuple[documents.Document, str, bundle_store.ReceiverRecord]:
    """Read and check a receipt or notice file against the pinned receiver key."""
    data, source = document_bytes(Path(path), kind)
    receiver, private = _pinned(session, source)
    document = documents.open_document(data, source=source, kind=kind)
    documents.check_receiver(
        document,
        source=source,
        pinned_receiver_key=base64.b64decode(receiver.public_key),
        village_code=session.code,
        village_key=private,
    )
    return document, source, receiver


def _replay(source: str) -> BundleError:
    return BundleError(
        _(
            "{file} is older than a receipt already imported from the same receiver (a "
            "replay). It is refused; nothing was changed."
        ).format(file=source),
        code="replay",
    )


def import_receipt(session: Session, path: Path) -> ReceiptImport:
    """Keep a receipt that the pinned receiver signed for this village; nothing else changes."""
    document, source, receiver = verified_document(session, path, documents.RECEIPT)
    db = session.db()
    seq = document.info.bundle_seq
    name = document.sender or receiver.name
    with db.atomic():
        if receipt_store.receipt_by_sha256(db, document.sha256) is not None:
            return ReceiptImport(seq, name, True, receipt_status(session))
        last = receipt_store.last_receipt(db, receiver.fingerprint)
        if last is not None and seq <= last.seq:
            raise _replay(source)
        receipt_store.add_receipt(
            db,
            fingerprint=receiver.fingerprint,
            seq=seq,
            sha256=document.sha256,
            made_utc=document.info.created_utc,
            imported_at=utc_now_iso(),
            file_name=source,
            body={**document.payload, "receiver_name": name},
        )
        audit.record(db, "import", "receipts_in", str(seq), actor=session.actor(),
                     detail=source)
    return ReceiptImport(seq, name, False, receipt_status(session))


# -- village: what the receipt says -------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ReceiptStatus:
    """The newest receipt beside the village's own exports."""

    receiver_name: str = ""
    made: dt.date | None = None
    held: list[int] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)
    conflicts: int = 0
    reported_month: str = ""
    unconfirmed: list[int] = field(default_factory=list)  # exported after the receipt
    via: str = ""

    @property
    def known(self) -> bool:
        return self.made is not None

    @property
    def to_resend(self) -> list[int]:
        return sorted({*self.missing, *(int(item["seq"]) for item in self.refused)})

    def text(self) -> str:
        """"Diterima Provinsi Banten 7 Desember 2026: paket 1–7; paket 5 hilang"."""
        if self.made is None:
            return _("No receipt from the receiver yet.")
        numbers = [*self.held, *self.missing, *(int(item["seq"]) for item in self.refused)]
        top = max(numbers, default=0)
        parts = [
            _("Received by {receiver} {date}: bundles {seqs}").format(
                receiver=self.receiver_name, date=date_long(self.made),
                seqs=f"1\u2013{top}" if top > 1 else str(top or "-"),
            )
        ]
        if self.missing:
            parts.append(ngettext("bundle {seqs} missing", "bundles {seqs} missing",
                                  len(self.missing)).format(seqs=spans(self.missing)))
        for item in self.refused:
            parts.append(_("bundle {seq} refused: {reason}").format(
                seq=item["seq"], reason=item["reason"]))
        if self.conflicts:
            parts.append(ngettext("{count} conflict to look at", "{count} conflicts to look at",
                                  self.conflicts).format(count=self.conflicts))
        if self.unconfirmed:
            parts.append(_("bundles {seqs} not confirmed yet").format(seqs=spans(self.unconfirmed)))
        return "; ".join(parts)

    def month_text(self) -> str:
        if not self.reported_month:
            return ""
        year, month = (int(part) for part in self.reported_month.split("-"))
        return month_year(dt.date(year, month, 1))

    def as_dict(self) -> dict[str, object]:
        return {
            "receiver_name": self.receiver_name,
            "made": self.made.isoformat() if self.made else None,
            "held": self.held,
            "missing": self.missing,
            "refused": self.refused,
            "conflicts": self.conflicts,
            "reported_month": self.reported_month,
            "unconfirmed": self.unconfirmed,
            "to_resend": self.to_resend,
            "text": self.text(),
        }


def receipt_status(session: Session) -> ReceiptStatus:
    bundle_service._require_village(session)
    db = session.db()
    receiver = bundle_store.receiver(db)
    last = receipt_store.last_receipt(db, receiver.fingerprint if receiver else None)
    if last is None:
        return ReceiptStatus()
    body = last.body
    made = dt.datetime.fromisoformat(last.made_utc.replace("Z", "+00:00")) + receiver_store.WIB
    known = {*body.get("held", []), *body.get("missing", []),
             *(item["seq"] for item in body.get("refused", []))}
    exported = bundle_store.last_export(db)
    top = max(known, default=0)
    unconfirmed = list(range(top + 1, exported.seq + 1)) if exported else []
    return ReceiptStatus(
        receiver_name=str(body.get("receiver_name", "")),
        made=made.date(),
        held=[int(seq) for seq in body.get("held", [])],
        missing=[int(seq) for seq in body.get("missing", [])],
        refused=list(body.get("refused", [])),
        conflicts=int(body.get("conflicts", 0)),
        reported_month=str(body.get("reported_month", "")),
        unconfirmed=unconfirmed,
        via=str(body.get("via", "")),
    )


# -- village: sending the missing bundles again -------------------------------------------------
@dataclass(frozen=True, slots=True)
class Resent:
    copied: list[int]
    full: bundle_service.ExportResult | None
    paths: list[Path]

    def as_dict(self) -> dict[str, object]:
        return {
            "copied": self.copied,
            "full_bundle": self.full.seq if self.full else None,
            "paths": [str(path) for path in self.paths],
        }


def _original(export: bundle_store.ExportRecord) -> Path | None:
    """The bundle file as it was written, where it still is and unchanged."""
    from kt_desktop.services import outbox

    if not outbox.safe_bundle_name(export.file_name):
        return None
    for folder in (bundle_service.outgoing_dir(), Path(export.destination)):
        path = folder / export.file_name
        try:
            if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == export.sha256:
                return path
        except OSError:
            continue
    return None


def resend_missing(
    session: Session, dest_dir: Path | None = None, *, email: bool = False
) -> Resent:
    """Send the bundles the newest receipt lists as missing or refused, in one step.

    A missing bundle still on this computer (in the outgoing folder or where it was
    exported) is copied as it was; a refused one, or one no longer here, is replaced by one
    full bundle (the village's whole truth, which closes every gap before it).
    """
    status = receipt_status(session)
    if not status.to_resend:
        raise BundleError(
            _("The newest receipt lists no missing bundle; there is nothing to send again."),
            code="no_changes",
        )
    if dest_dir is None:
        dest_dir = bundle_service.outgoing_dir()
    dest_dir = Path(dest_dir)
    db = session.db()
    refused = {int(item["seq"]) for item in status.refused}
    copies: list[tuple[int, Path]] = []
    needs_full = bool(refused)
    for seq in status.missing:
        export = bundle_store.export_by_seq(db, seq)
        original = _original(export) if export else None
        if original is None:
            needs_full = True
            break
        copies.append((seq, original))
    if needs_full:
        result = bundle_service.export(session, dest_dir=dest_dir, full=True, email=email)
        return Resent([], result, [result.path])
    paths = []
    for seq, original in copies:
        if original.parent.resolve() == dest_dir.resolve():
            path = original
        else:
            path = transport.write_to_folder(original.read_bytes(), dest_dir, original.name)
        export = bundle_store.export_by_seq(db, seq)
        assert export is not None
        if email:
            from kt_desktop.services import outbox

            outbox.attach_email(session, bundle_service.ExportResult.of(export, path))
        paths.append(path)
    with db.atomic():
        audit.record(db, "export", "exports", spans([seq for seq, _path in copies]),
                     actor=session.actor(), detail=f"resend -> {dest_dir}")
    return Resent([seq for seq, _path in copies], None, paths)


# -- Beranda ---------------------------------------------------------------------------------------
def dashboard_reminders(session: Session, today: dt.date) -> list[Reminder]:
    """The last month the receiver confirmed, and what it misses (village files only)."""
    if not session.is_village:
        return []
    status = receipt_status(session)
    if not status.known:
        return []
    found = []
    if status.reported_month:
        found.append(Reminder(_(
            "{receiver} confirmed your data up to {month} (receipt of {date})."
        ).format(receiver=status.receiver_name, month=status.month_text(),
                 date=date_long(status.made) if status.made else "")))
    if status.to_resend:
        found.append(Reminder(ngettext(
            "The receiver is missing bundle {seqs}. Send it again in Kirim Data.",
            "The receiver is missing bundles {seqs}. Send them again in Kirim Data.",
            len(status.to_resend),
        ).format(seqs=spans(status.to_resend)), warning=True))
    return found


def own_name(session: Session) -> str:
    own = profile_store.load(session.db())
    return own.name if own else session.code
