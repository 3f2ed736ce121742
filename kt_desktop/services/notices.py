"""Notices from the receiver: an announcement with attachments and reference updates (issue 21).

Receiver: :func:`make_notice` signs a title, a text, attachments (a form, a poster) and
reference updates the program knows how to apply (:data:`UPDATE_KINDS`), with a binding for
every village whose key it pinned, into one ``.ktr`` file for all of them.
Village: :func:`import_notice` checks it against the pinned receiver key and keeps it
(Beranda shows it); its reference updates change nothing until the secretary confirms them
(:func:`apply_notice`) — or sets them aside (:func:`dismiss_notice`). See docs/RECEIPTS.md.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kt_desktop.bundles import documents, read, transport
from kt_desktop.bundles.errors import BundleError
from kt_desktop.domain import clock
from kt_desktop.domain.errors import ValidationError
from kt_desktop.domain.formats import date_long, utc_now_iso
from kt_desktop.domain.members import AgeRule
from kt_desktop.i18n import N_, _
from kt_desktop.services import bundles as bundle_service
from kt_desktop.services import members as member_service
from kt_desktop.services.dashboard import Reminder
from kt_desktop.services.receipts import (
    _free_name,
    _safe,
    existing_folder,
    plain_dict,
    read_file,
    verified_document,
)
from kt_desktop.services.session import Session
from kt_desktop.store import audit, migrations
from kt_desktop.store import bundles as bundle_store
from kt_desktop.store import receipts as store

ACTIVITY_KIND = "activity_kind"
SKILL = "skill"
AGE_RULE = "age_rule"
#: Reference updates a notice may carry, and what each is called.
UPDATE_KINDS = {
    ACTIVITY_KIND: N_("New activity kind"),
    SKILL: N_("New skill field"),
    AGE_RULE: N_("Member age rule"),
}
#: A notice's attachments together stay under this (it travels on a stick or by e-mail).
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
_MAX_TEXT = 20_000


def age_rule_update(min_age: int, max_age: int, basis: str, start: dt.date) -> dict[str, Any]:
    """The update setting the member age rule; checked like the one in Pengaturan."""
    rule = AgeRule(min_age, max_age, basis.strip(), start, confirmed=True, key="notice")
    rule.check()
    if not rule.basis:
        raise ValidationError(
            _("The age rule needs its legal basis (e.g. Permensos No. 25 Tahun 2019)."),
            field="basis",
        )
    return {"kind": AGE_RULE, "min_age": min_age, "max_age": max_age, "basis": rule.basis,
            "effective_date": start.isoformat()}


def value_update(kind: str, value: str) -> dict[str, Any]:
    value = " ".join(value.split())
    if kind not in (ACTIVITY_KIND, SKILL) or not value or len(value) > 120:
        raise ValidationError(
            _("A new activity kind or skill field needs a name of at most 120 characters."),
            field=kind,
        )
    return {"kind": kind, "value": value}


def _checked_update(update: dict[str, Any]) -> dict[str, Any] | None:
    """The update as this program applies it; None for a kind it does not know."""
    try:
        if update.get("kind") == AGE_RULE:
            return age_rule_update(
                int(update["min_age"]), int(update["max_age"]), str(update["basis"]),
                dt.date.fromisoformat(str(update["effective_date"])),
            )
        if update.get("kind") in (ACTIVITY_KIND, SKILL):
            return value_update(str(update["kind"]), str(update["value"]))
    except (KeyError, TypeError, ValueError, ValidationError):
        return None
    return None


def update_text(update: dict[str, Any]) -> str:
    """One line a secretary can weigh before she confirms."""
    kind = update.get("kind", "")
    if kind == AGE_RULE:
        return _("Member age rule: {low}-{high} years ({basis}), in force from {date}").format(
            low=update["min_age"], high=update["max_age"], basis=update["basis"],
            date=date_long(dt.date.fromisoformat(update["effective_date"])),
        )
    if kind in UPDATE_KINDS:
        return f"{_(UPDATE_KINDS[kind])}: {update.get('value', '')}"
    return _("An update this version does not know ({kind}); update the application.").format(
        kind=str(kind)[:40]
    )


# -- receiver ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MadeNotice:
    seq: int
    path: Path
    villages: int

    def as_dict(self) -> dict[str, object]:
        return plain_dict(self)


def _attachment(path: Path) -> tuple[str, bytes]:
    name = Path(path).name
    if read.unsafe_reason(name) is not None:
        raise ValidationError(_("{file}: this file name cannot travel; rename it.").format(
            file=name), field="attach")
    return name, read_file(path)


def make_notice(
    session: Session,
    *,
    title: str,
    text: str,
    out_dir: Path,
    attachments: Sequence[Path] = (),
    updates: Sequence[dict[str, Any]] = (),
) -> MadeNotice:
    """Sign a notice for every village whose key this receiver pinned."""
    from kt_desktop.services.receipts import _receiver_keys

    bundle_service._require_receiver(session)
    title = " ".join(title.split())
    if not title or len(title) > 200:
        raise ValidationError(_("The notice needs a title of at most 200 characters."),
                              field="title")
    if len(text) > _MAX_TEXT:
        raise ValidationError(_("The notice text may hold at most 20,000 characters."),
                              field="text")
    out_dir = existing_folder(out_dir)
    files = [_attachment(path) for path in attachments]
    if sum(len(data) for _name, data in files) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("The attachments together may be at most 20 MB."), field="attach")
    if len({name for name, _data in files}) != len(files):
        raise ValidationError(_("Two attachments have the same name; rename one."), field="attach")
    db = session.db()
    signing, exchange, signing_public = _receiver_keys(session)
    villages = [(code, base64.b64decode(key)) for code, key in store.village_keys(db)]
    if not villages:
        raise BundleError(
            _("No village bundle was accepted yet: a notice is addressed to the villages whose "
              "keys this file knows."),
            code="other_village",
        )
    own_name, _email = bundle_store.own_profile(db, session.code)
    seq = store.next_notice_seq(db)
    made = utc_now_iso()
    payload = {
        "title": title,
        "text": text,
        "sender": own_name,
        "area_code": session.code,
        "made_utc": made,
        "attachments": [
            {"name": name, "sha256": hashlib.sha256(data).hexdigest()} for name, data in files
        ],
        "updates": [dict(update) for update in updates],
    }
    data = documents.build(
        documents.NOTICE,
        village_code=documents.ANY_VILLAGE,
        seq=seq,
        payload=payload,
        signing_key=signing,
        created_utc=made,
        schema_version=migrations.schema_version(db),
        sender=own_name,
        tags={
            documents.RECEIVER_KEY_TAG: base64.b64encode(
                documents.public_bytes(exchange)).decode("ascii"),
            documents.AREA_TAG: session.code,
        },
        bindings=documents.bindings_for(exchange, signing_public, villages),
        attachments={hashlib.sha256(data).hexdigest(): data for _name, data in files},
    )
    stem = _safe(_("Notice - {title} - {date}").format(title=title, date=clock.today().isoformat()))
    path = transport.write_to_folder(data, out_dir, _free_name(out_dir, stem, documents.EXTENSION))
    with db.atomic():
        store.add_notice_made(db, seq=seq, title=title, sha256=hashlib.sha256(data).hexdigest(),
                              made_utc=made, villages=len(villages))
        audit.record(db, "export", "notices_out", str(seq), actor=_("Officer"), detail=path.name)
    return MadeNotice(seq, path, len(villages))


# -- village -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class NoticeImport:
    notice: store.NoticeRecord
    already: bool

    def as_dict(self) -> dict[str, object]:
        return {**notice_dict(self.notice), "already": self.already}


def notice_dict(notice: store.NoticeRecord) -> dict[str, object]:
    return {
        "id": notice.id,
        "seq": notice.seq,
        "sender": notice.sender,
        "title": notice.title,
        "text": notice.text,
        "made_utc": notice.made_utc,
        "state": notice.state,
        "updates": [update_text(update) for update in notice.updates],
        "attachments": list(notice.files),
    }


def import_notice(session: Session, path: Path) -> NoticeImport:
    """Keep a notice the pinned receiver signed; its updates wait for the secretary."""
    document, source, receiver = verified_document(session, path, documents.NOTICE)
    db = session.db()
    payload = document.payload
    files: dict[str, tuple[str, bytes]] = {}
    try:
        for item in payload.get("attachments", []):
            name, digest = str(item["name"]), str(item["sha256"])
            if read.unsafe_reason(name) is not None or digest not in document.attachments:
                raise ValueError(name)
            files[name] = (digest, document.attachments[digest])
        updates = [_checked_update(update) or dict(update) for update in payload.get("updates", [])]
        title, text = str(payload["title"])[:200], str(payload.get("text", ""))[:_MAX_TEXT]
    except (KeyError, TypeError, ValueError):
        raise documents.damaged(source, documents.NOTICE) from None
    with db.atomic():
        known = store.notice_by_sha256(db, document.sha256)
        if known is not None:
            return NoticeImport(known, True)
        if document.info.bundle_seq <= store.last_notice_seq(db, receiver.fingerprint):
            raise BundleError(
                _("{file} is older than a notice already imported from the same receiver (a "
                  "replay). It is refused; nothing was changed.").format(file=source),
                code="replay",
            )
        notice_id = store.add_notice(
            db,
            fingerprint=receiver.fingerprint,
            seq=document.info.bundle_seq,
            sha256=document.sha256,
            sender=document.sender or receiver.name,
            title=title,
            text=text,
            made_utc=document.info.created_utc,
            imported_at=utc_now_iso(),
            updates=updates,
            files=files,
        )
        audit.record(db, "import", "notices_in", str(notice_id), actor=session.actor(),
                     detail=source)
        found = store.notice(db, notice_id)
    assert found is not None
    return NoticeImport(found, False)


def notices(session: Session) -> list[store.NoticeRecord]:
    bundle_service._require_village(session)
    return store.notices(session.db())


def _open_notice(session: Session, notice_id: int) -> store.NoticeRecord:
    bundle_service._require_village(session)
    found = store.notice(session.db(), notice_id)
    if found is None:
        raise BundleError(_("Notice {number} does not exist.").format(number=notice_id),
                          code="unreadable")
    return found


def apply_notice(session: Session, notice_id: int) -> store.NoticeRecord:
    """The secretary confirmed: apply the notice's reference updates (once)."""
    notice = _open_notice(session, notice_id)
    if notice.state != "new":
        raise BundleError(_("This notice has no updates waiting to be applied."),
                          code="no_changes")
    db = session.db()
    with db.atomic():
        for update in notice.updates:
            checked = _checked_update(update)
            if checked is None:
                continue
            if checked["kind"] == AGE_RULE:
                member_service.set_age_rule(session, AgeRule(
                    checked["min_age"], checked["max_age"], checked["basis"],
                    dt.date.fromisoformat(checked["effective_date"]), confirmed=True,
                    key="notice",
                ))
            else:
                store.add_value(db, store.ADDED_ACTIVITY_KINDS if checked["kind"] == ACTIVITY_KIND
                                else store.ADDED_SKILLS, checked["value"])
        _decide(session, notice_id, "applied")
    return _open_notice(session, notice_id)


def dismiss_notice(session: Session, notice_id: int) -> store.NoticeRecord:
    """The secretary set the updates aside; the notice stays readable."""
    notice = _open_notice(session, notice_id)
    if notice.state == "new":
        with session.db().atomic():
            _decide(session, notice_id, "dismissed")
    return _open_notice(session, notice_id)


def _decide(session: Session, notice_id: int, state: str) -> None:
    store.decide_notice(session.db(), notice_id, state, utc_now_iso())
    audit.record(session.db(), "update", "notices_in", str(notice_id), actor=session.actor(),
                 detail=state)


def save_attachment(session: Session, notice_id: int, name: str, folder: Path) -> Path:
    """Write one attachment of a notice to ``folder`` (to open or print it)."""
    _open_notice(session, notice_id)
    data = store.notice_file(session.db(), notice_id, name)
    if data is None or read.unsafe_reason(name) is not None:
        raise BundleError(_("The notice has no attachment {name}.").format(name=name),
                          code="unreadable")
    folder = Path(folder)
    return transport.write_to_folder(data, folder, _free_name(folder, Path(name).stem,
                                                              Path(name).suffix))


def dashboard_reminders(session: Session, today: dt.date) -> list[Reminder]:
    """New notices on Beranda; those with updates waiting ask for the secretary."""
    if not session.is_village:
        return []
    found = []
    for notice in store.notices(session.db(), limit=5):
        if notice.state == "new":
            found.append(Reminder(_(
                "Notice from {sender}: {title}. It holds reference updates waiting for your "
                "confirmation (Kirim Data, Notices)."
            ).format(sender=notice.sender, title=notice.title), warning=True))
        elif notice.state == "info" and _recent(notice.made_utc, today):
            found.append(Reminder(_("Notice from {sender}: {title}.").format(
                sender=notice.sender, title=notice.title)))
    return found


def _recent(made_utc: str, today: dt.date, days: int = 30) -> bool:
    try:
        made = dt.date.fromisoformat(made_utc[:10])
    except ValueError:
        return False
    return (today - made).days <= days


def import_document(session: Session, path: Path) -> object:
    """A receipt or a notice, whichever the file (or the ``.eml`` it came in) holds: what
    Kirim Data's import button and opening a ``.ktr`` file do."""
    from kt_desktop.bundles import crypto
    from kt_desktop.services import receipts

    data, _source = receipts.document_bytes(Path(path), documents.RECEIPT)
    kind = documents.RECEIPT
    try:
        kind = documents.kind_of(crypto.open_envelope(data, None, source="").bag) or kind
    except BundleError:
        pass  # refused properly, with its own sentence, by the import below
    if kind == documents.NOTICE:
        return import_notice(session, path)
    return receipts.import_receipt(session, path)
