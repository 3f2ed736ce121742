"""Merging a verified bundle into a receiver file (docs/DESIGN.md, "The data bundle"), by rules that make sending
twice, late, out of order or after a restore harmless.

* A village is the only writer of its records: every row carries the bundle's village code
  (checked by the reader) and may only replace a row of that same village.
* The newer ``version`` wins. Two different rows with the *same* version are a conflict:
  a tombstone beats a live edit (a stale edit never brings a removed person back), then the
  later ``updated_at`` wins, then a key derived from the row's content (so every receiver,
  in any order, picks the same one). The losing version goes to ``conflicts``.
* The sequence: the same bundle again changes nothing and says so; the same ``(village,
  seq)`` with other content is refused; a sequence older than a full bundle already
  imported is stale; a sequence that leaves a hole is imported and the hole reported.
* A full bundle is the village's whole truth: the village's rows it does not hold are
  removed (except rows a later bundle brought). After the village restored a backup (a
  higher ``Restore-Epoch``) its full bundle replaces rows whatever their versions; a bundle
  of an older epoch is refused, and so is an incremental one of a newer epoch until that
  epoch's full bundle is here.
* Unique values (a NIK, a follow-up's checkpoint, an attendance cell) may pass from one
  record to another within a bundle in any order (:func:`_write`).
* Everything from one bundle lands in ONE transaction with its ``imports`` row, its village
  row and its audit line, and the per-table counts must add up to the bundle's own.

All SQL is in :mod:`kt_desktop.store.sync` and :mod:`kt_desktop.store.bundles`.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlite_utils

from kt_desktop import regions
from kt_desktop.bundles import keys
from kt_desktop.bundles.errors import BundleError
from kt_desktop.bundles.read import ParsedTable, TableSchema, VerifiedBag
from kt_desktop.domain.formats import utc_now_iso
from kt_desktop.i18n import _
from kt_desktop.store import audit, sync
from kt_desktop.store import bundles as bundle_store


@dataclass(frozen=True, slots=True)
class NewVillage:
    """What the officer compares before trusting a village's first bundle."""

    code: str
    name: str
    region: str
    fingerprint: str
    seq: int


TrustNew = Callable[[NewVillage], bool]


@dataclass(slots=True)
class TableOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(slots=True)
class MergeOutcome:
    village_code: str
    village_name: str
    seq: int
    full: bool
    fingerprint: str
    new_village: bool
    tables: dict[str, TableOutcome] = field(default_factory=dict)
    gaps: list[int] = field(default_factory=list)
    #: Rows a full bundle removed because the village no longer has them, per table.
    removed: dict[str, int] = field(default_factory=dict)

    @property
    def conflicts(self) -> int:
        return sum(outcome.conflicts for outcome in self.tables.values())

    def total(self, kind: str) -> int:
        return sum(getattr(outcome, kind) for outcome in self.tables.values())


def receiver_schema(db: sqlite_utils.Database) -> dict[str, TableSchema]:
    """The receiver's travelling tables as the reader checks rows against them."""
    return {
        table.name: TableSchema(
            name=table.name,
            columns=sync.table_columns(db, table.name),
            blob_columns=table.blob_columns,
        )
        for table in sync.present_tables(db)
    }


def village_label(code: str, name: str = "") -> str:
    region = regions.full_name(code) if regions.get(code) else ""
    parts = [part for part in (name, region) if part]
    return f"{code} ({', '.join(parts)})" if parts else code


# -- checks before any row is read ------------------------------------------------------------------
def check_village(
    db: sqlite_utils.Database,
    bag: VerifiedBag,
    *,
    area_code: str,
    trust_new: TrustNew | bool,
    source: str,
) -> bool:
    """Is this village ours, and is the bundle signed by its pinned key? True when new."""
    info = bag.info
    region = regions.get(info.village_code)
    if region is None or region.level != 4:
        raise BundleError(
            _("{file} names village {code}, which is not a known desa/kelurahan code.").format(
                file=source, code=info.village_code
            ),
            code="outside_area",
        )
    if area_code and not info.village_code.startswith(area_code + "."):
        raise BundleError(
            _(
                "{file} comes from {village}, outside this receiver's area ({area}); it is refused."
            ).format(file=source, village=village_label(info.village_code), area=area_code),
            code="outside_area",
        )
    fingerprint = keys.fingerprint(info.signing_key)
    known = bundle_store.village(db, info.village_code)
    if known is not None:
        if base64.b64decode(known.public_key) != info.signing_key:
            raise BundleError(
                _(
                    "{file} claims to come from {village} but is signed with another key "
                    "(fingerprint {found}; expected {pinned}). It is refused: call the village "
                    "and compare the key."
                ).format(
                    file=source,
                    village=village_label(info.village_code, known.name),
                    found=fingerprint,
                    pinned=known.fingerprint,
                ),
                code="wrong_key",
            )
        return False
    newcomer = NewVillage(
        code=info.village_code,
        name=info.village_name,
        region=regions.full_name(info.village_code),
        fingerprint=fingerprint,
        seq=info.bundle_seq,
    )
    accepted = trust_new(newcomer) if callable(trust_new) else bool(trust_new)
    if not accepted:
        raise BundleError(
            _(
                "{file} is the first bundle of {village} (key fingerprint {fingerprint}); it "
                "was not accepted. Compare the fingerprint with the village, then accept it."
            ).format(
                file=source,
                village=village_label(info.village_code, info.village_name),
                fingerprint=fingerprint,
            ),
            code="untrusted",
        )
    return True


def check_sequence(db: sqlite_utils.Database, bag: VerifiedBag, *, source: str) -> None:
    """Refuse the same sequence with other content, and a sequence a full bundle replaced."""
    info = bag.info
    same = bundle_store.import_by_seq(db, info.village_code, info.bundle_seq)
    if same is not None and same.sha256 != bag.bag_sha256:
        raise BundleError(
            _(
                "{file}: bundle {seq} of {village} was already imported with other content; "
                "it is refused. Ask the village to export a full bundle."
            ).format(file=source, seq=info.bundle_seq, village=village_label(info.village_code)),
            code="same_seq_other_content",
        )
    epoch = bundle_store.village_restore_epoch(db, info.village_code)
    if epoch is not None and info.restore_epoch < epoch:
        raise BundleError(
            _(
                "{file}: bundle {seq} of {village} was made before the village restored a "
                "backup, and a bundle made after the restore is already here. It is not "
                "needed. Nothing to do."
            ).format(file=source, seq=info.bundle_seq, village=village_label(info.village_code)),
            code="before_restore",
        )
    if epoch is not None and info.restore_epoch > epoch and not info.full:
        raise BundleError(
            _(
                "{file}: bundle {seq} of {village} was made after the village restored a "
                "backup, but the full bundle the village made right after the restore has "
                "not been imported. Import that one first (or ask the village for a full "
                "bundle), then this one again."
            ).format(file=source, seq=info.bundle_seq, village=village_label(info.village_code)),
            code="needs_full",
        )
    seqs = bundle_store.imported_seqs(db, info.village_code)
    last_full = max((seq for seq, full in seqs.items() if full), default=0)
    if info.bundle_seq < last_full:
        raise BundleError(
            _(
                "{file}: bundle {seq} of {village} is stale: full bundle {full} already "
                "brought everything in it. Nothing to do."
            ).format(
                file=source,
                seq=info.bundle_seq,
                village=village_label(info.village_code),
                full=last_full,
            ),
            code="stale",
        )


def gaps(seqs: dict[int, bool]) -> list[int]:
    """Sequences not received between the last full bundle and the newest one."""
    if not seqs:
        return []
    last_full = max((seq for seq, full in seqs.items() if full), default=0)
    return [seq for seq in range(last_full + 1, max(seqs)) if seq not in seqs]


# -- the merge ---------------------------------------------------------------------------------------
def _content_key(row: tuple[Any, ...]) -> str:
    return hashlib.sha256(repr(row).encode("utf-8", "surrogatepass")).hexdigest()


def _as_json(columns: Sequence[str], row: tuple[Any, ...]) -> dict[str, Any]:
    """A row for the conflicts list: BLOBs by SHA-256 (the losing photo is not kept)."""
    out: dict[str, Any] = {}
    for column, value in zip(columns, row, strict=True):
        if column == "change_seq":
            continue
        if isinstance(value, bytes | bytearray | memoryview):
            value = "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
        out[column] = value
    return out


@dataclass(slots=True)
class _Decision:
    writes: list[tuple[Any, ...]] = field(default_factory=list)
    created: set[str] = field(default_factory=set)  # ids of the writes that are new rows
    conflicts: list[tuple[str, dict[str, Any], dict[str, Any], str]] = field(default_factory=list)
    outcome: TableOutcome = field(default_factory=TableOutcome)


def _decide(
    db: sqlite_utils.Database,
    table: ParsedTable,
    village_code: str,
    change_seq: int,
    source: str,
    *,
    later: frozenset[int] = frozenset(),
    overwrite: bool = False,
) -> _Decision:
    """Which rows to write. ``overwrite`` (a full bundle made after a restore the receiver
    had not seen): the bundle's row replaces the receiver's whatever the versions (the
    restored file counts versions again from the backup's), except a row a later bundle of
    the same epoch wrote (its ``change_seq`` is in ``later``)."""
    columns = table.columns
    at = {name: position for position, name in enumerate(columns)}
    id_at, version_at = at["id"], at["version"]
    updated_at, deleted_at, seq_at = at["updated_at"], at["deleted_at"], at["change_seq"]
    existing = (
        sync.existing_rows(
            db, table.name, columns, [row[id_at] for row in table.rows],
            village_code=village_code,
        )
        if table.rows
        else {}
    )

    def same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
        return a[:seq_at] == b[:seq_at] and a[seq_at + 1 :] == b[seq_at + 1 :]

    decision = _Decision()
    outcome = decision.outcome
    for row in table.rows:
        incoming = row[:seq_at] + (change_seq,) + row[seq_at + 1 :]
        old = existing.get(row[id_at])
        if old is None:
            decision.writes.append(incoming)
            decision.created.add(row[id_at])
            outcome.created += 1
            continue
        if same(old, incoming):
            outcome.unchanged += 1
            continue
        if overwrite and old[seq_at] not in later:
            decision.writes.append(incoming)
            outcome.updated += 1
            continue
        if row[version_at] != old[version_at]:
            if row[version_at] > old[version_at]:
                decision.writes.append(incoming)
                outcome.updated += 1
            else:
                outcome.unchanged += 1  # an older version arriving late: already superseded
            continue
        # Same version, other content: two histories of one record. Decide, keep the loser.
        incoming_removed = row[deleted_at] is not None
        old_removed = old[deleted_at] is not None
        if incoming_removed != old_removed:
            incoming_wins, reason = incoming_removed, "tombstone"
        elif row[updated_at] != old[updated_at]:
            incoming_wins, reason = row[updated_at] > old[updated_at], "newer_time"
        else:
            incoming_wins, reason = _content_key(incoming) > _content_key(old), "device"
        if incoming_wins:
            decision.writes.append(incoming)
            outcome.updated += 1
            kept, lost = incoming, old
        else:
            outcome.unchanged += 1
            kept, lost = old, incoming
        outcome.conflicts += 1
        decision.conflicts.append(
            (row[id_at], _as_json(columns, kept), _as_json(columns, lost), reason)
        )
    return decision


def _constraint_error(source: str, table: str, reason: object) -> BundleError:
    return BundleError(
        _(
            "{file}: the rows of {table} do not fit the data already here ({reason}). "
            "An earlier bundle of this village may be missing: import it first or "
            "ask for a full bundle."
        ).format(file=source, table=table, reason=reason),
        code="constraint",
    )


def _write(
    db: sqlite_utils.Database,
    table: ParsedTable,
    decision: _Decision,
    later: frozenset[int],
    source: str,
    village_code: str,
) -> None:
    """Write the decided rows; let unique values pass between records (issue 24).

    The bundle holds each record once, in its latest state, so a NIK (or a follow-up's
    checkpoint, an attendance cell) that Siti gave up and Rina took can arrive while the
    receiver's Siti still holds it. When the plain upsert hits a unique index:

    * a receiver row that a *later* bundle of the village wrote holds the value: the
      incoming row is older than that bundle, so it is not written (the bundle between,
      still missing and reported as such, carries its newer state);
    * any other holder outside the bundle: the village freed the value in a bundle not
      received yet; refused (import that one first, or a full bundle settles everything);
    * holders that the bundle rewrites: the rows are taken out and written back whole
      (:func:`sync.replace_rows`), so nothing holds a value twice in between.
    """
    try:
        with sync.savepoint(db):
            sync.upsert_rows(db, table.name, table.columns, decision.writes)
        return
    except Exception as exc:
        if not sync.is_constraint_error(exc):
            raise
        first = exc
    id_at = table.columns.index("id")
    stale: set[str] = set()
    for incoming_id, _holder, holder_seq in sync.unique_holders(
        db, table.name, table.columns, decision.writes
    ):
        if holder_seq in later:
            stale.add(incoming_id)
            continue
        raise _constraint_error(source, table.name, first) from first
    if stale:
        decision.writes = [row for row in decision.writes if row[id_at] not in stale]
        for record_id in stale:
            if record_id in decision.created:
                decision.outcome.created -= 1
            else:
                decision.outcome.updated -= 1
            decision.outcome.unchanged += 1
    try:
        with sync.savepoint(db):
            sync.replace_rows(
                db, table.name, table.columns, decision.writes, village_code=village_code
            )
    except Exception as exc:
        if not sync.is_constraint_error(exc):
            raise
        raise _constraint_error(source, table.name, exc) from exc


def _remove_what_the_village_has_not(
    db: sqlite_utils.Database,
    village_code: str,
    tables: Sequence[ParsedTable],
    later: frozenset[int],
) -> dict[str, int]:
    """A full bundle is the village's whole truth: its rows here that the bundle does not
    hold (records made after the backup the village restored, a cell re-marked there) go,
    children first, except those a later bundle brought. Returns the count per table."""
    ids: dict[str, list[str]] = {}
    for table in tables:
        at = table.columns.index("id")
        ids[table.name] = [row[at] for row in table.rows]
    written = bundle_store.village_write_seqs(db, village_code)
    earlier = None if written is None else [seq for seq in written if seq not in later]
    removed: dict[str, int] = {}
    for present in reversed(sync.present_tables(db)):
        count = sync.remove_rows_not_in(
            db,
            present.name,
            village_code,
            ids.get(present.name, []),
            written_by=earlier,
            keep_change_seqs=sorted(later),
        )
        if count:
            removed[present.name] = count
    return removed


def apply(
    db: sqlite_utils.Database,
    bag: VerifiedBag,
    tables: Sequence[ParsedTable],
    *,
    source: str,
    file_name: str,
    actor: str,
    new_village: bool,
    step: Callable[[str], None] | None = None,
) -> MergeOutcome:
    """Write the bundle's rows, its import record and its village in one transaction.

    The caller has verified the bag, the village and the sequence; both checks are repeated
    here inside the transaction so that two imports racing cannot slip past each other.

    A village's first bundle is inserted as it is (:func:`sync.insert_new_rows`); when a
    row is in the way, the rows are decided one by one as for any other bundle.
    """
    info = bag.info
    fingerprint = keys.fingerprint(info.signing_key)
    outcome = MergeOutcome(
        village_code=info.village_code,
        village_name=info.village_name,
        seq=info.bundle_seq,
        full=info.full,
        fingerprint=fingerprint,
        new_village=new_village,
    )
    with db.atomic():  # BEGIN IMMEDIATE: the write lock before the first read
        # Foreign keys checked row by row, whatever a bundle refused before this one in the
        # same batch left set (sync.replace_rows defers them; see sync.orphans).
        db.execute("PRAGMA defer_foreign_keys = OFF")
        known = bundle_store.village(db, info.village_code)
        if known is not None and base64.b64decode(known.public_key) != info.signing_key:
            raise BundleError(
                _("{file}: the village's key changed during the import; try again.").format(
                    file=source
                ),
                code="wrong_key",
            )
        check_sequence(db, bag, source=source)
        if bundle_store.import_by_seq(db, info.village_code, info.bundle_seq) is not None:
            return outcome  # the same bundle, imported meanwhile: nothing to do
        change_seq = sync.next_change_seq(db)
        now = utc_now_iso()
        village_epoch = bundle_store.village_restore_epoch(db, info.village_code)
        later = frozenset(
            bundle_store.later_change_seqs(
                db, info.village_code, info.bundle_seq, info.restore_epoch
            )
        )
        overwrite = info.full and village_epoch is not None and info.restore_epoch > village_epoch
        if info.full and known is not None:
            outcome.removed = _remove_what_the_village_has_not(db, info.village_code, tables, later)
        decisions: list[tuple[ParsedTable, _Decision]] = []
        for table in tables:
            if step is not None:
                step(table.name)
            declared = info.record_counts.get(table.name, 0)
            if known is None and len(table.rows) == declared and sync.insert_new_rows(
                db,
                table.name,
                table.columns,
                table.rows,
                constants={"change_seq": change_seq},
            ):
                # A village's first bundle: every row was new (else nothing was written and
                # the rows are decided one by one below, with the same outcome as ever).
                outcome.tables[table.name] = TableOutcome(created=len(table.rows))
                continue
            decision = _decide(
                db, table, info.village_code, change_seq, source, later=later, overwrite=overwrite
            )
            if decision.outcome.total != declared:
                raise BundleError(
                    _("{file}: {table} adds up to {found} rows, not {declared}.").format(
                        file=source,
                        table=table.name,
                        found=decision.outcome.total,
                        declared=declared,
                    ),
                    code="count_mismatch",
                )
            _write(db, table, decision, later, source, info.village_code)
            outcome.tables[table.name] = decision.outcome
            decisions.append((table, decision))
        for name, declared in info.record_counts.items():
            if name not in outcome.tables and declared:
                raise BundleError(
                    _("{file}: {table} adds up to {found} rows, not {declared}.").format(
                        file=source, table=name, found=0, declared=declared
                    ),
                    code="count_mismatch",
                )
        if db.execute("PRAGMA defer_foreign_keys").fetchone()[0]:
            # rows came back whole or went (sync.replace_rows, sync.remove_rows_not_in):
            # their parents are checked now, for this bundle alone, not at the batch's COMMIT
            orphaned = sync.orphans(db, info.village_code)
            if orphaned:
                table_name, record_id, parent = orphaned[0]
                raise _constraint_error(
                    source,
                    table_name,
                    _("record {id} names a record of {parent} that is not here").format(
                        id=record_id, parent=parent
                    ),
                )
        bundle_store.save_village_after_import(
            db,
            code=info.village_code,
            name=info.village_name,
            public_key=base64.b64encode(info.signing_key).decode("ascii"),
            fingerprint=fingerprint,
            seq=info.bundle_seq,
            full=info.full,
            received_at=now,
            created_utc=info.created_utc,
        )
        seqs = bundle_store.imported_seqs(db, info.village_code)
        seqs[info.bundle_seq] = info.full
        outcome.gaps = gaps(seqs)
        import_id = bundle_store.add_import(
            db,
            village_code=info.village_code,
            seq=info.bundle_seq,
            since_seq=info.since_seq,
            full=info.full,
            sha256=bag.bag_sha256,
            file_name=file_name,
            created_utc=info.created_utc,
            received_at=now,
            counts={name: result.as_dict() for name, result in outcome.tables.items()},
            gaps=outcome.gaps,
            conflicts=outcome.conflicts,
            change_seq=change_seq,
            restore_epoch=info.restore_epoch,
        )
        for table, decision in decisions:
            for record_id, kept, lost, reason in decision.conflicts:
                bundle_store.add_conflict(
                    db,
                    table=table.name,
                    record_id=record_id,
                    village_code=info.village_code,
                    import_id=import_id,
                    kept=kept,
                    lost=lost,
                    reason=reason,
                    detected_at=now,
                )
        audit.record(
            db,
            "import",
            "imports",
            str(import_id),
            actor=actor,
            detail=json.dumps(
                {
                    "village": info.village_code,
                    "seq": info.bundle_seq,
                    "created": outcome.total("created"),
                    "updated": outcome.total("updated"),
                    "conflicts": outcome.conflicts,
                }
            ),
        )
    return outcome
