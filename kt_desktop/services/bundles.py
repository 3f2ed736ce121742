"""Sending data to the province and receiving it there (issue 6, docs/DESIGN.md, "The data bundle").

Village: what waits to be sent, the export of a bundle to a folder or a USB stick (and to
the outgoing folder for e-mail), the receiver's key. Receiver: importing files, folders and
``.eml`` files with a summary per bundle, the dry run, trusting a new village, the public key
file for villages. The GUI and the CLI both call these functions.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import uuid
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict, Unpack

import sqlite_utils

from kt_desktop import __version__, paths
from kt_desktop.bundles import (
    collect,
    crypto,
    documents,
    keys,
    merge,
    prepare,
    read,
    transport,
    write,
)
from kt_desktop.bundles import format as fmt
from kt_desktop.bundles.errors import BundleError
from kt_desktop.bundles.mail import MAX_EML_BYTES, bundles_in_eml, sender_of_eml
from kt_desktop.bundles.merge import NewVillage, TableOutcome, TrustNew
from kt_desktop.bundles.read import DEFAULT_LIMITS, Limits
from kt_desktop.domain import clock
from kt_desktop.domain.errors import reason_text
from kt_desktop.domain.formats import number, utc_now_iso
from kt_desktop.i18n import N_, _, ngettext
from kt_desktop.services.pending import pending_counts
from kt_desktop.services.progress import Cancelled, Progress, no_progress
from kt_desktop.services.session import Session
from kt_desktop.store import audit, bulk_import, migrations, settings, sync
from kt_desktop.store import bundles as bundle_store
from kt_desktop.store import profile as profile_store
from kt_desktop.store import receipts as receipt_store
from kt_desktop.store import receiver as receiver_store

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

log = logging.getLogger(__name__)

__all__ = [
    "BOOKS",
    "BundleSummary",
    "ExportResult",
    "ImportReport",
    "NewVillage",
    "SendStatus",
    "TableOutcome",
]

#: The books a secretary knows, and the tables each one covers (for "waiting to be sent").
BOOKS: list[tuple[str, tuple[str, ...]]] = [
    (N_("Profile"), ("profile",)),
    (N_("Members"), ("members",)),
    (
        N_("Activities"),
        ("activities", "activity_participants", "activity_beneficiaries", "activity_funds"),
    ),
    (N_("Photos"), ("attachments",)),
    (
        N_("Trainings"),
        (
            "trainings",
            "training_sessions",
            "training_participants",
            "training_attendance",
            "training_certificates",
            "training_outcomes",
        ),
    ),
    (N_("Monthly report notes"), ("monthly_report_notes",)),
]
_OTHER_BOOK = N_("Other records")


def book_of(table: str) -> str:
    for title, tables in BOOKS:
        if table in tables:
            return title
    return _OTHER_BOOK


def _books(counts: dict[str, int]) -> dict[str, int]:
    """Per-table counts summed per book (English titles, translated where shown)."""
    books: dict[str, int] = {}
    for table, count in counts.items():
        title = book_of(table)
        books[title] = books.get(title, 0) + count
    return books


def _require_village(session: Session) -> None:
    if not session.is_village:
        raise BundleError(
            _("Only a village data file sends bundles; this is a receiver file."),
            code="not_village",
        )


def _require_receiver(session: Session) -> None:
    if not session.is_receiver:
        raise BundleError(
            _("Bundles are imported in a receiver's data file; this is a village file."),
            code="not_receiver",
        )


# -- village: status ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SendStatus:
    village_code: str
    pending: dict[str, int]  # book title (English msgid) -> rows waiting
    last_export: bundle_store.ExportRecord | None
    receiver: bundle_store.ReceiverRecord | None
    own_fingerprint: str
    smtp_configured: bool
    outbox_waiting: int

    @property
    def pending_total(self) -> int:
        return sum(self.pending.values())


def send_status(session: Session) -> SendStatus:
    _require_village(session)
    db = session.db()
    public = keys.signing_public_key(db)
    smtp = bundle_store.smtp_values(db)
    return SendStatus(
        village_code=session.code,
        pending=_books(pending_counts(session)),
        last_export=bundle_store.last_export(db),
        receiver=bundle_store.receiver(db),
        own_fingerprint=keys.fingerprint(public) if public else "",
        smtp_configured=bool(smtp[bundle_store.SMTP_HOST]),
        outbox_waiting=bundle_store.outbox_waiting_count(db),
    )


def clear_bundle_warning_text() -> str:
    """What a clear bundle exposes, in words a secretary can weigh (UU 27/2022)."""
    return _(
        "The receiver's key is not installed, so this bundle will NOT be encrypted. It holds "
        "personal data: members' names, NIK, birth dates, addresses and phone numbers, "
        "participants of activities and trainings, and photos of people. Anyone who finds "
        "the flash disk or reads the e-mail can read them (UU 27/2022 on personal data "
        "protection). Install the receiver's key first if you can."
    )


def clear_bundle_warning(session: Session) -> str | None:
    """The warning shown before a clear bundle; None when the receiver's key is installed
    (the bundle will be encrypted)."""
    _require_village(session)
    if bundle_store.receiver(session.db()) is not None:
        return None
    return clear_bundle_warning_text()


# -- village: export -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    seq: int
    full: bool
    bytes: int
    sha256: str
    counts: dict[str, int]
    encrypted: bool
    destination: str
    warning: str | None = None
    eml_path: Path | None = None
    outbox_id: int | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @classmethod
    def of(cls, record: bundle_store.ExportRecord, path: Path, *,
           warning: str | None = None) -> ExportResult:
        """The export as the exports table recorded it, its bundle at ``path``."""
        return cls(path=path, seq=record.seq, full=record.full, bytes=record.bytes,
                   sha256=record.sha256, counts=record.counts, encrypted=record.encrypted,
                   destination=record.destination, warning=warning)


def removable_drives() -> list[transport.Drive]:
    """Mounted USB sticks and cards to offer as a destination (name and free space)."""
    return transport.removable_drives()


def outgoing_dir() -> Path:
    """Where bundles for e-mail (and their drafts) wait: inside the user's data folder."""
    folder = paths.data_dir() / "kiriman"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def incoming_dir() -> Path:
    """Where a kabupaten keeps the village bundles it passes on (``bundle forward`` with no
    file named takes this folder): inside the user's data folder."""
    folder = paths.data_dir() / "masuk"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _device_id(session: Session) -> str:
    db = session.db()
    value = settings.get(db, bundle_store.DEVICE_ID)
    if not value:
        value = str(uuid.uuid4())
        with db.atomic():
            settings.put(db, bundle_store.DEVICE_ID, value)
    return value


@dataclass(frozen=True, slots=True)
class BuiltBundle:
    """A sealed bundle in memory, not written anywhere and not recorded yet."""

    data: bytes
    info: fmt.BagInfo  # as written (record counts and payload filled in)
    counts: dict[str, int]
    encrypted: bool


def build_bundle(session: Session, *, full: bool, progress: Progress | None = None) -> BuiltBundle:
    """The next sequence's bundle: collected, signed, checked, and sealed."""
    _require_village(session)
    progress = progress or no_progress()
    db = session.db()
    signing = keys.signing_private_key(db)
    public = keys.signing_public_key(db)
    if signing is None or public is None:
        raise BundleError(
            _("This village file has no signing key; it cannot send bundles."),
            code="not_village",
        )
    device = _device_id(session)
    progress.step(0, 4, _("Collecting the changes…"))
    seq = bundle_store.next_export_seq(db)
    # After a restore the receiver may hold records this file no longer has: only a full
    # bundle (the village's whole truth) puts that right.
    full = full or bundle_store.next_export_must_be_full(db)
    since = 0 if full else bundle_store.exported_upto(db)
    collected = collect.collect(db, since=since, village_code=session.code)
    own = profile_store.load(db)
    info = fmt.BagInfo(
        village_code=session.code,
        bundle_seq=seq,
        since_seq=since,
        upto_seq=collected.upto_seq,
        schema_version=migrations.schema_version(db),
        record_counts={},
        created_utc=utc_now_iso(),
        app_version=__version__,
        signing_key=public,
        device_id=device,
        village_name=own.name if own else "",
        restore_epoch=bundle_store.restore_epoch(db),
    )
    progress.step(1, 4, _("Packing and signing…"))
    bag = write.build_bag(info, collected.tables, collected.attachments, signing)
    # Read our own bag back before it leaves: a writer bug must never reach the province.
    verified = read.verify_bag(bag, source=_("the new bundle"), encrypted=False)
    receiver = bundle_store.receiver(db)
    receiver_key = base64.b64decode(receiver.public_key) if receiver is not None else None
    progress.step(2, 4, _("Encrypting…") if receiver_key else _("Packing…"))
    data = crypto.seal(bag, receiver_key)
    return BuiltBundle(
        data=data, info=verified.info, counts=collected.counts, encrypted=receiver_key is not None
    )


def export(
    session: Session,
    *,
    dest_dir: Path,
    full: bool = False,
    progress: Progress | None = None,
    email: bool = False,
    opener: transport.Opener | None = None,
) -> ExportResult:
    """Write the next bundle to ``dest_dir``, read it back, and only then record it.

    With ``email`` an ``.eml`` draft is written beside it and, where SMTP is set up, the
    bundle joins the outbox. A failure anywhere leaves no bundle under its final name and
    does not use up the sequence number.
    """
    progress = progress or no_progress()
    built = build_bundle(session, full=full, progress=progress)
    data, info, counts, encrypted = built.data, built.info, built.counts, built.encrypted
    name = fmt.file_name(info.village_code, info.bundle_seq, clock.today().strftime("%Y%m%d"))
    progress.step(3, 4, _("Writing to {folder}…").format(folder=dest_dir))
    kwargs = {"opener": opener} if opener is not None else {}
    path = transport.write_to_folder(data, Path(dest_dir), name, **kwargs)
    digest = hashlib.sha256(data).hexdigest()
    destination = _("e-mail") if email else str(Path(dest_dir).resolve())
    db = session.db()
    try:
        with db.atomic():
            if bundle_store.export_by_seq(db, info.bundle_seq) is not None:
                raise BundleError(
                    _("Bundle {seq} was exported meanwhile by another window; try again.").format(
                        seq=info.bundle_seq
                    ),
                    code="write_failed",
                )
            record = bundle_store.ExportRecord(
                seq=info.bundle_seq,
                since_seq=info.since_seq,
                upto_seq=info.upto_seq,
                full=info.full,
                file_name=name,
                sha256=digest,
                bytes=len(data),
                encrypted=encrypted,
                counts=counts,
                created=info.created_utc,
                destination=destination,
                state="verified",
            )
            bundle_store.add_export(db, record)
            if info.full:
                bundle_store.full_export_done(db)
            audit.record(
                db,
                "export",
                "exports",
                str(info.bundle_seq),
                actor=session.actor(),
                detail=f"{name} -> {destination}",
            )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    result = ExportResult.of(
        record, path, warning=None if encrypted else clear_bundle_warning(session))
    if email:
        from kt_desktop.services import outbox

        result = outbox.attach_email(session, result)
    return result  # no progress step here: a Cancel now would lie, the bundle is recorded


def export_for_email(
    session: Session, *, full: bool = False, progress: Progress | None = None
) -> ExportResult:
    """Export to the outgoing folder, write the ``.eml`` draft, queue it where SMTP is set."""
    return export(session, dest_dir=outgoing_dir(), full=full, progress=progress, email=True)


# -- keys ------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class KeyInfo:
    own_fingerprint: str
    receiver: bundle_store.ReceiverRecord | None


def key_info(session: Session) -> KeyInfo:
    db = session.db()
    public = keys.signing_public_key(db)
    return KeyInfo(
        own_fingerprint=keys.fingerprint(public) if public else "",
        receiver=bundle_store.receiver(db) if session.is_village else None,
    )


def export_receiver_key(
    session: Session, out: Path, *, email: str | None = None
) -> keys.ReceiverKeyFile:
    """Write the receiver's public key file (``.ktkey``) for its villages to import."""
    _require_receiver(session)
    db = session.db()
    public = keys.encryption_public_key(db)
    if public is None:
        raise BundleError(_("This receiver file has no encryption key."), code="not_receiver")
    name, own_email = bundle_store.own_profile(db, session.code)
    key_file = keys.ReceiverKeyFile(
        name=name,
        area_code=session.code,
        email=email if email is not None else own_email,
        public_key=public,
    )
    out = Path(out)
    if out.is_dir():
        out = out / f"kunci-penerima-{session.code.replace('.', '')}{keys.KEY_FILE_EXTENSION}"

    def refusal(exc: OSError) -> BundleError:
        return BundleError(
            _("The key file could not be written to {path}: {reason}").format(
                path=out, reason=reason_text(exc)
            ),
            code="write_failed",
        )

    # whole or not at all: a full stick must not leave half a key where a good one was; a
    # public key keeps the system's default mode (docs/RELIABILITY.md, "one rule")
    with paths.written_whole(out, refusal, partial=out.with_name(f".{out.name}.part"),
                             private=False) as temp:
        temp.write_text(key_file.to_text(), encoding="utf-8")
    return key_file


def import_receiver_key(
    session: Session, file: Path, *, email: str | None = None
) -> bundle_store.ReceiverRecord:
    """Install the receiver's public key (and address) in a village file, or, in a
    kabupaten's receiver file, the province's key its bundles are passed on to
    (:mod:`kt_desktop.services.relay`)."""
    file = Path(file)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise prepare.read_error(str(file), exc) from exc
    key_file = keys.parse_receiver_key_file(data, source=file.name)
    if key_file.area_code and not (
        session.code == key_file.area_code or session.code.startswith(key_file.area_code + ".")
    ):
        raise BundleError(
            _(
                "{file} is the key of a receiver for area {area}, which does not include this "
                "village ({code}). Ask your own kabupaten or province for its key."
            ).format(file=file.name, area=key_file.area_code, code=session.code),
            code="bad_key_file",
        )
    record = bundle_store.ReceiverRecord(
        name=key_file.name,
        area_code=key_file.area_code,
        email=(email if email is not None else key_file.email).strip(),
        public_key=base64.b64encode(key_file.public_key).decode("ascii"),
        fingerprint=key_file.fingerprint,
        installed_at=utc_now_iso(),
    )
    db = session.db()
    with db.atomic():
        bundle_store.save_receiver(db, record)
        audit.record(
            db,
            "import",
            "receiver",
            None,
            actor=session.actor(),
            detail=f"receiver key {record.fingerprint}",
        )
    return record


# -- receiver: import ------------------------------------------------------------------------------
IMPORTED = "imported"
ALREADY = "already"
REFUSED = "refused"
DRY_RUN = "dry_run"


@dataclass(slots=True)
class BundleSummary:
    """One bundle's outcome, for the summary table and ``--json``."""

    source: str
    status: str
    origin: str = ""  # the file it came from (an .eml for its attachments), for a re-run
    village_code: str = ""
    village_name: str = ""
    seq: int | None = None
    full: bool = False
    fingerprint: str = ""
    new_village: bool = False
    tables: dict[str, TableOutcome] = field(default_factory=dict)
    gaps: list[int] = field(default_factory=list)
    error_code: str | None = None
    message: str = ""
    details: list[str] = field(default_factory=list)  # e.g. malformed rows, by line
    #: The kabupaten that passed it on ("" when it came straight from the village).
    via: str = ""

    @property
    def ok(self) -> bool:
        return self.status != REFUSED

    def total(self, kind: str) -> int:
        return sum(getattr(outcome, kind) for outcome in self.tables.values())

    @property
    def conflicts(self) -> int:
        return self.total("conflicts")

    def gap_text(self) -> str:
        if not self.gaps:
            return ""
        listed = ", ".join(str(seq) for seq in self.gaps[:10])
        if len(self.gaps) > 10:
            listed += ", …"
        return ngettext(
            "bundle {seqs} not received yet", "bundles {seqs} not received yet", len(self.gaps)
        ).format(seqs=listed)

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "status": self.status,
            "village_code": self.village_code,
            "village_name": self.village_name,
            "seq": self.seq,
            "full": self.full,
            "fingerprint": self.fingerprint,
            "new_village": self.new_village,
            "created": self.total("created"),
            "updated": self.total("updated"),
            "unchanged": self.total("unchanged"),
            "conflicts": self.conflicts,
            "tables": {name: outcome.as_dict() for name, outcome in self.tables.items()},
            "gaps": self.gaps,
            "error_code": self.error_code,
            "message": self.message,
            "details": self.details,
            "via": self.via,
        }


@dataclass(slots=True)
class ImportReport:
    bundles: list[BundleSummary]
    dry_run: bool
    #: Cancel was pressed: ``bundles`` are the ones finished before it (each whole); the one
    #: under way was rolled back and the rest were not started.
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return all(summary.ok for summary in self.bundles)

    def count(self, status: str) -> int:
        return sum(1 for summary in self.bundles if summary.status == status)


@dataclass(slots=True)
class _Item:
    source: str
    path: Path | None
    data: bytes | None = None
    error: BundleError | None = None
    order: tuple[str, int, str] = ("~", 0, "")
    origin: Path | None = None
    rows: int = 0  # rows its bag-info announces (read for the order; not trusted)
    claims: tuple[str, int] | None = None  # (village, seq) its bag-info names; not trusted
    reply_to: str = ""  # the From of the e-mail it came in


#: Rows merged before the import commits (each bundle is still whole: see ``sync.Batch``).
IMPORT_BATCH_ROWS = 20_000
#: The same for a bulk import (:mod:`kt_desktop.store.bulk_import`): with the random-keyed
#: indexes set aside a larger batch costs little memory (SQLite writes what outgrows its
#: cache to the log), and every COMMIT writes each page it touched once more. A crash loses
#: the open batch, whole. 250,000 rows took 221 s on 2,000 of Jawa Tengah's first bundles,
#: 60,000 took 224 s, 1,000,000 took 190 s (with ``bulk_import.tune``).
BULK_BATCH_ROWS = 1_000_000

#: What :func:`import_files` takes: a file, a folder, an ``.eml``, or bytes already read
#: (``(name, data)``: a GUI drop, a test, the benchmark).
ImportInput = Path | str | tuple[str, bytes]


def _expand(inputs: Sequence[ImportInput], limits: Limits) -> list[_Item]:
    """Files, folders (searched for ``.ktb`` and ``.eml``) and e-mails, as items to import."""
    files: list[Path] = []
    items: list[_Item] = []
    for given in inputs:
        if isinstance(given, tuple):
            items.append(_Item(source=given[0], path=None, data=given[1]))
            continue
        path = Path(given)
        if path.is_dir():
            found = sorted(
                candidate
                for pattern in ("*.ktb", "*.KTB", "*.eml", "*.EML")
                for candidate in path.rglob(pattern)
                if candidate.is_file() and not candidate.name.startswith(".")
            )
            if not found:
                items.append(
                    _Item(
                        source=str(path),
                        path=None,
                        error=BundleError(
                            _("No bundles (.ktb) or e-mails (.eml) were found in {folder}.").format(
                                folder=path
                            ),
                            code="unreadable",
                        ),
                    )
                )
            files.extend(found)
        else:
            files.append(path)
    for path in files:
        if path.suffix.lower() != ".eml":
            items.append(_Item(source=path.name, path=path, origin=path))
            continue
        try:
            size = path.stat().st_size
            if size > MAX_EML_BYTES:
                raise read.too_large(path.name, limits)
            eml = path.read_bytes()
            attachments = bundles_in_eml(eml, path.name)
        except BundleError as exc:
            items.append(_Item(source=path.name, path=None, error=exc, origin=path))
            continue
        except OSError as exc:
            items.append(
                _Item(source=path.name, path=None, error=prepare.read_error(path.name, exc), origin=path)
            )
            continue
        if not attachments:
            items.append(
                _Item(
                    source=path.name,
                    path=None,
                    error=BundleError(
                        _("{file} has no bundle (.ktb) attached.").format(file=path.name),
                        code="not_bundle",
                    ),
                )
            )
        sender = sender_of_eml(eml)
        for name, data in attachments:
            items.append(
                _Item(
                    source=f"{path.name} › {name}",
                    path=None,
                    data=data,
                    origin=path,
                    reply_to=sender,
                )
            )
    return items


def _load(item: _Item, limits: Limits) -> bytes:
    if item.error is not None:
        raise item.error
    if item.data is not None:
        if len(item.data) > limits.max_bundle_bytes:
            raise read.too_large(item.source, limits)
        return item.data
    assert item.path is not None
    return prepare.read_file(item.path, item.source, limits)


def _order(item: _Item, receiver_key: X25519PrivateKey | None, limits: Limits) -> tuple[str, int, str]:
    """Import order: by village, then sequence, read from the bag-info without trusting it
    (a wrong guess only changes the order; every bundle is verified before it counts).

    Also notes what the bag-info announces (:attr:`_Item.rows`, for the bulk mode)."""
    try:
        data = _load(item, limits)
        opened, _route = prepare.open_envelope(data, receiver_key, item.source)
        with zipfile.ZipFile(io.BytesIO(opened.bag)) as archive:
            info = archive.getinfo(fmt.BAG_INFO)
            if info.file_size > 64 * 1024:
                raise ValueError
            parsed = fmt.parse_bag_info(archive.read(info).decode("utf-8"))
        item.rows = sum(max(0, count) for count in parsed.record_counts.values())
        item.claims = (parsed.village_code, parsed.bundle_seq)
        return (parsed.village_code, parsed.bundle_seq, item.source)
    except Exception:  # refused properly later, in its turn
        return ("~", 0, item.source)


class ImportOptions(TypedDict, total=False):
    """The keywords of an import, of bundles (:func:`import_files`) or of aggregates
    (``national.import_aggregates``): a dry run changes nothing; ``trust_new`` says whether
    (or which) first bundles of an unknown key are accepted; the progress to report to."""

    dry_run: bool
    trust_new: bool | TrustNew
    progress: Progress | None


def import_files(
    session: Session,
    inputs: Sequence[ImportInput],
    *,
    limits: Limits = DEFAULT_LIMITS,
    bulk: bool | None = None,
    **options: Unpack[ImportOptions],
) -> ImportReport:
    """Import bundles into a receiver file; one summary per bundle, refusals included.

    Bundles are taken in village and sequence order whatever order they were given in.
    Each accepted bundle lands whole, with its import record, or not at all (a savepoint);
    several are committed together (:data:`IMPORT_BATCH_ROWS`) because a COMMIT costs an
    fsync. A dry run runs the very same steps inside one transaction that is rolled back at
    the end, so its summary is the real one.

    A large import (many bundles holding many rows compared to the file, as their bag-info
    announces them: :func:`store.bulk_import.worth_it`; ``bulk`` True or False decides
    instead) sets the secondary indexes and the member search aside and builds them again
    at the end, also after a Cancel or an error; a crash leaves that to the next opening of
    the file. A dry run never does.

    The merge runs in the calling thread. In the bulk mode, a helper process opens, verifies
    and checks the rows of the next bundles meanwhile (:mod:`kt_desktop.bundles.prepare`);
    a second thread was measured slower (the province import: 110 s against 95 s on two
    cores): ``executemany`` gives the GIL up and takes it back for every row, and with
    another thread waiting each of those becomes a thread switch.
    """
    _require_receiver(session)
    from kt_desktop.services.setup import NATIONAL

    if session.code == NATIONAL:  # a national file takes the provinces' aggregates only
        from kt_desktop.services import national

        return national.import_aggregates(session, inputs, **options)
    dry_run = options.get("dry_run", False)
    trust_new = options.get("trust_new", False)
    progress = options.get("progress") or no_progress()
    db = session.db()
    receiver_key = keys.encryption_private_key(db)
    items = _expand(inputs, limits)
    total = len(items)
    if total > 1:
        for item in items:
            item.order = _order(item, receiver_key, limits)
        items.sort(key=lambda item: item.order)
    summaries: list[BundleSummary] = []
    schema = merge.receiver_schema(db)
    known_schema = migrations.latest_version()
    if dry_run:
        bulk = False
    elif bulk is None:
        bulk = False
        if total >= bulk_import.MIN_BUNDLES:
            known = bundle_store.imported_seq_pairs(db)
            new = [item for item in items if item.claims not in known]
            bulk = bulk_import.worth_it(
                db, bundles=len(new), rows=sum(item.rows for item in new)
            )

    cancelled = False

    def run() -> None:
        nonlocal cancelled
        for position, item in enumerate(items):
            if progress.cancelled:
                cancelled = True
                return
            text = _("Importing {file}…").format(file=item.source)
            try:
                progress.step(position, total, text)
                summary = _import_one(
                    session,
                    item,
                    receiver_key,
                    schema,
                    known_schema,
                    dry_run=dry_run,
                    trust_new=trust_new,
                    limits=limits,
                    step=lambda table, n=position, t=text: progress.step(
                        n, total, f"{t} {_(book_of(table))}"
                    ),
                    prepared=preparer.get(position) if preparer is not None else None,
                )
            except Cancelled:
                cancelled = True
                return
            summaries.append(summary)
            if batch is not None:
                batch.written(summary.total("created") + summary.total("updated"))

    sync.use_large_cache(db)
    batch: sync.Batch | None = None
    preparer: prepare.Preparer | None = None
    if dry_run:
        with sync.rolled_back(db):
            run()
        return ImportReport(bundles=summaries, dry_run=dry_run, cancelled=cancelled)
    if bulk:
        tuning = bulk_import.tune(db)
        preparer = prepare.Preparer(
            [
                prepare.Job(item.source, item.path, item.data, item.rows)
                if item.error is None else None
                for item in items
            ],
            key=prepare.key_bytes(receiver_key),
            schema=schema,
            limits=limits,
        )
    try:
        with sync.batched(db, max_rows=BULK_BATCH_ROWS if bulk else IMPORT_BATCH_ROWS) as batch:
            if bulk:
                bulk_import.begin(db)  # in the first batch's transaction, with its flag
            run()
    except BaseException:
        if preparer is not None:
            preparer.close()
        if bulk:  # the batches committed before the error keep their bundles: rebuild
            try:
                _finish_bulk(db, progress, tuning)
            except Exception:  # the error that stopped the import is the one to report
                log.exception("indexes not rebuilt after a failed import (done at next open)")
        raise
    if bulk:
        if preparer is not None:
            preparer.close()
        _finish_bulk(db, progress, tuning)
    return ImportReport(bundles=summaries, dry_run=dry_run, cancelled=cancelled)


def _finish_bulk(
    db: sqlite_utils.Database, progress: Progress, tuning: bulk_import.Tuning
) -> None:
    """Build the indexes and the member search again; after a Cancel too (none here).
    The connection's settings come back first (``tuning``: those before the import), so
    that the rebuild's commit syncs the whole import to the disk."""

    def step(done: int, total: int) -> None:
        if not progress.cancelled:
            try:
                progress.step(done, total, _("Rebuilding the indexes…"))
            except Cancelled:
                pass

    bulk_import.untune(db, tuning)
    bulk_import.finish(db, step=step)
    bulk_import.checkpoint(db)


def _import_one(
    session: Session,
    item: _Item,
    receiver_key: X25519PrivateKey | None,
    schema: dict[str, read.TableSchema],
    known_schema: int,
    *,
    dry_run: bool,
    trust_new: bool | TrustNew,
    limits: Limits,
    step: Callable[[str], None],
    prepared: prepare.Prepared | None = None,
) -> BundleSummary:
    """Import one bundle. ``prepared``: its steps that need no data file, done ahead by the
    helper process (:mod:`kt_desktop.bundles.prepare`); their refusals are raised here at
    the point where each step would otherwise run."""
    db = session.db()
    summary = BundleSummary(
        source=item.source, status=REFUSED, origin=str(item.origin) if item.origin else ""
    )
    trusted = ""  # the bag's SHA-256 once the village and its key are checked
    try:
        if prepared is None:
            opened, route = prepare.open_envelope(_load(item, limits), receiver_key, item.source)
            digest = hashlib.sha256(opened.bag).hexdigest()
        else:
            prepared.raise_at(prepare.LOAD)
            prepared.raise_at(prepare.OPEN)
            route, digest = prepared.route, prepared.digest
        if route is not None:
            summary.via = route.via_name or route.via_code
        prior = bundle_store.import_by_sha256(db, digest)
        if prior is not None:
            known = bundle_store.village(db, prior.village_code)
            summary.status = ALREADY
            summary.village_code = prior.village_code
            summary.village_name = known.name if known else ""
            summary.seq = prior.seq
            summary.full = prior.full
            summary.fingerprint = known.fingerprint if known else ""
            summary.message = _("Already imported on {date}; nothing changed.").format(
                date=prior.received_at[:10]
            )
            return summary
        if prepared is None:
            bag = read.verify_bag(
                opened.bag, source=item.source, encrypted=opened.encrypted, limits=limits
            )
        else:
            prepared.raise_at(prepare.VERIFY)
            assert prepared.bag is not None
            bag = prepared.bag
        info = bag.info
        if info.extra.get(documents.KIND_TAG):
            raise BundleError(
                documents.wrong_kind_text(item.source, "", info.extra[documents.KIND_TAG]),
                code="not_bundle",
            )
        summary.village_code = info.village_code
        summary.village_name = info.village_name
        summary.seq = info.bundle_seq
        summary.full = info.full
        summary.fingerprint = keys.fingerprint(info.signing_key)
        read.check_schema_version(bag, known_schema, source=item.source)
        area = session.code
        new_village = merge.check_village(
            db, bag, area_code=area, trust_new=trust_new, source=item.source
        )
        summary.new_village = new_village
        trusted = digest
        merge.check_sequence(db, bag, source=item.source)
        if prepared is None:
            tables = read.parse_rows(bag, schema, source=item.source, limits=limits)
        else:
            prepared.raise_at(prepare.PARSE)
            assert prepared.tables is not None
            tables = prepared.tables
        outcome = merge.apply(
            db,
            bag,
            tables,
            source=item.source,
            file_name=item.source,
            actor=_("Officer"),
            new_village=new_village,
            step=step,
        )
        if route is not None or item.reply_to:
            imported = bundle_store.import_by_seq(db, info.village_code, info.bundle_seq)
            if imported is not None:
                receipt_store.add_route(
                    db,
                    imported.id,
                    receipt_store.Route(
                        via_code=route.via_code if route else "",
                        via_name=route.via_name if route else "",
                        via_fingerprint=route.via_fingerprint if route else "",
                        reply_to=item.reply_to or (route.reply_to if route else ""),
                    ),
                )
    except BundleError as exc:
        summary.status = REFUSED
        summary.error_code = exc.code
        summary.message = exc.message
        summary.details = list(getattr(exc, "details", []))
        if trusted and not dry_run and summary.seq is not None:
            # Signed by the village's pinned key: its number was received, and refused.
            bundle_store.add_refusal(
                db,
                village_code=summary.village_code,
                seq=summary.seq,
                sha256=trusted,
                code=exc.code,
                reason=exc.message,
                file_name=item.source,
                refused_at=utc_now_iso(),
            )
        return summary
    summary.status = DRY_RUN if dry_run else IMPORTED
    summary.tables = outcome.tables
    summary.gaps = outcome.gaps
    summary.message = summary_line(summary)
    return summary


def summary_line(summary: BundleSummary) -> str:
    """One line for the CLI and the summary table's last column."""
    if summary.status == REFUSED or summary.status == ALREADY:
        return summary.message
    parts = [
        _("{created} new, {updated} changed, {unchanged} unchanged").format(
            created=number(summary.total("created")),
            updated=number(summary.total("updated")),
            unchanged=number(summary.total("unchanged")),
        )
    ]
    if summary.conflicts:
        parts.append(
            ngettext("{count} conflict", "{count} conflicts", summary.conflicts).format(
                count=summary.conflicts
            )
        )
    if summary.gaps:
        parts.append(summary.gap_text())
    if summary.via:
        parts.append(_("passed on by {via}").format(via=summary.via))
    if summary.status == DRY_RUN:
        parts.append(_("dry run: nothing was changed"))
    return "; ".join(parts)


# -- receiver: what is missing -------------------------------------------------------------------
#: How :func:`missing_bundles` describes a number: never arrived, or arrived and refused.
NOT_RECEIVED = "not_received"
REFUSED_SEQ = "refused"


def missing_bundles(session: Session, village_code: str) -> list[tuple[int, str]]:
    """The village's bundle numbers the receiver still needs, each :data:`NOT_RECEIVED`
    ("belum diterima") or :data:`REFUSED_SEQ` ("ditolak": received, and refused)."""
    _require_receiver(session)
    state = receiver_store.village_states(session.db(), village_code).get(village_code)
    if state is None:
        return []
    return sorted(
        [(seq, NOT_RECEIVED) for seq in state.gaps] + [(seq, REFUSED_SEQ) for seq in state.refused]
    )


def refusals(session: Session, village_code: str) -> list[bundle_store.RefusalRecord]:
    """The village's refused bundles with their reasons, newest first (the Desa page)."""
    _require_receiver(session)
    return bundle_store.refusals(session.db(), village_code)


# -- receiver: conflicts ----------------------------------------------------------------------------
def conflicts(
    session: Session, *, open_only: bool = True, limit: int = 500
) -> list[bundle_store.ConflictRecord]:
    _require_receiver(session)
    return bundle_store.conflicts(session.db(), open_only=open_only, limit=limit)


def acknowledge_conflict(session: Session, conflict_id: int) -> bool:
    """The officer has seen both versions; the kept one stays (the village is its writer)."""
    _require_receiver(session)
    db = session.db()
    with db.atomic():
        done = bundle_store.decide_conflict(db, conflict_id, "seen", utc_now_iso())
        if done:
            audit.record(
                db, "update", "conflicts", str(conflict_id), actor=_("Officer"), detail="seen"
            )
    return done


def recent_imports(session: Session, limit: int = 200) -> list[bundle_store.ImportRecord]:
    _require_receiver(session)
    return bundle_store.recent_imports(session.db(), limit=limit)
