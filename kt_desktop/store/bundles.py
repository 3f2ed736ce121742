"""Reading and writing the bookkeeping of bundles (tables of migration 5).

Village side: ``exports``, ``receiver``, ``outbox`` and the SMTP settings. Receiver side:
``villages``, ``imports`` and ``conflicts``. The record rows themselves go through
:mod:`kt_desktop.store.sync`.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from kt_desktop.store import settings
from kt_desktop.store.backup import open_read_only
from kt_desktop.store.rows import Shape, or_empty, where

# Settings keys (in the file's ``settings`` table, so they travel with the file).
DEVICE_ID = "bundle_device_id"
SMTP_HOST = "smtp_host"
SMTP_PORT = "smtp_port"
SMTP_SECURITY = "smtp_security"  # "starttls" | "ssl" | "none"
SMTP_USER = "smtp_user"
SMTP_PASSWORD = "smtp_password"
SMTP_SENDER = "smtp_sender"
SMTP_CA_CERT = "smtp_ca_cert"  # PEM text of the mail server's own CA (not a path: see #25)
SMTP_KEYS = (
    SMTP_HOST,
    SMTP_PORT,
    SMTP_SECURITY,
    SMTP_USER,
    SMTP_PASSWORD,
    SMTP_SENDER,
    SMTP_CA_CERT,
)
#: JSON ``{"settings": fingerprint, "error": text, "at": utc}``: the server refused these
#: settings for good (a wrong password); nothing is sent until they change.
SMTP_REFUSED = "smtp_refused"
#: After a restore (issue 24): the sequence numbers the village already used (so none is
#: used twice), how many restores it has had (travels as ``Restore-Epoch``), and that the
#: next bundle must be full (the receiver may hold records the restored file no longer has).
SEQ_FLOOR = "bundle_seq_floor"
RESTORE_EPOCH = "bundle_restore_epoch"
NEXT_FULL = "bundle_next_full"

OUTBOX_PENDING = "pending"
OUTBOX_SENT = "sent"
OUTBOX_FAILED = "failed"


# -- village: exports ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ExportRecord:
    seq: int
    since_seq: int
    upto_seq: int
    full: bool
    file_name: str
    sha256: str
    bytes: int
    encrypted: bool
    counts: dict[str, int]
    created: str
    destination: str
    state: str


_EXPORT = Shape.of(ExportRecord, full=bool, encrypted=bool, counts=json.loads)


def last_export(db: sqlite_utils.Database) -> ExportRecord | None:
    return _EXPORT.select_one(db, "FROM exports ORDER BY seq DESC LIMIT 1")


def export_by_seq(db: sqlite_utils.Database, seq: int) -> ExportRecord | None:
    return _EXPORT.select_one(db, "FROM exports WHERE seq = ?", [seq])


def next_export_seq(db: sqlite_utils.Database) -> int:
    """One more than any number used, by this file or by the file a restore replaced."""
    used = int(db.execute("SELECT coalesce(max(seq), 0) FROM exports").fetchone()[0])
    return max(used, _int_setting(db, SEQ_FLOOR)) + 1


def _int_setting(db: sqlite_utils.Database, key: str) -> int:
    value = settings.get(db, key)
    try:
        return int(value) if value else 0
    except ValueError:
        return 0


def restore_epoch(db: sqlite_utils.Database) -> int:
    return _int_setting(db, RESTORE_EPOCH)


def next_export_must_be_full(db: sqlite_utils.Database) -> bool:
    return bool(settings.get(db, NEXT_FULL))


def full_export_done(db: sqlite_utils.Database) -> None:
    settings.put(db, NEXT_FULL, None)


def exchange_marks(conn: sqlite3.Connection) -> tuple[int, int]:
    """``(highest sequence used, restore epoch)`` of a file opened read-only; ``(0, 0)``
    where it has no bundle tables (a receiver, a damaged or very old file)."""
    def value(sql: str) -> int:
        try:
            row = conn.execute(sql).fetchone()
            return int(row[0]) if row and row[0] is not None else 0
        except (sqlite3.Error, ValueError):
            return 0

    used = max(
        value("SELECT coalesce(max(seq), 0) FROM exports"),
        value(f"SELECT value FROM settings WHERE key = '{SEQ_FLOOR}'"),
    )
    return used, value(f"SELECT value FROM settings WHERE key = '{RESTORE_EPOCH}'")


def exchange_marks_of(path: Path) -> tuple[int, int]:
    """:func:`exchange_marks` of the file at ``path``; ``(0, 0)`` when it cannot be read."""
    if not Path(path).exists():
        return 0, 0
    try:
        conn = open_read_only(Path(path))
    except sqlite3.Error:
        return 0, 0
    try:
        return exchange_marks(conn)
    finally:
        conn.close()


def carry_over_after_restore(db: sqlite_utils.Database, *, used_seq: int, epoch: int) -> None:
    """In a restored file: never reuse a number, count the restore, make the next bundle full."""
    settings.put(db, SEQ_FLOOR, str(max(used_seq, _int_setting(db, SEQ_FLOOR))))
    settings.put(db, RESTORE_EPOCH, str(epoch))
    settings.put(db, NEXT_FULL, "1")


def exported_upto(db: sqlite_utils.Database) -> int:
    """The highest ``change_seq`` already carried by a bundle (0 before the first one)."""
    return int(db.execute("SELECT coalesce(max(upto_seq), 0) FROM exports").fetchone()[0])


def add_export(db: sqlite_utils.Database, record: ExportRecord) -> None:
    db.execute(
        f"INSERT INTO exports ({_EXPORT.sql}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            record.seq,
            record.since_seq,
            record.upto_seq,
            int(record.full),
            record.file_name,
            record.sha256,
            record.bytes,
            int(record.encrypted),
            json.dumps(record.counts, sort_keys=True),
            record.created,
            record.destination,
            record.state,
        ],
    )


# -- village: the receiver it reports to -------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ReceiverRecord:
    name: str
    area_code: str
    email: str
    public_key: str  # base64
    fingerprint: str
    installed_at: str


_RECEIVER = Shape.of(ReceiverRecord, email=or_empty)


def receiver(db: sqlite_utils.Database) -> ReceiverRecord | None:
    return _RECEIVER.select_one(db, "FROM receiver")


def save_receiver(db: sqlite_utils.Database, record: ReceiverRecord) -> None:
    db.execute(
        "INSERT INTO receiver (id, name, area_code, email, public_key, fingerprint, installed_at) "
        "VALUES (1, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
        "area_code = excluded.area_code, email = excluded.email, "
        "public_key = excluded.public_key, fingerprint = excluded.fingerprint, "
        "installed_at = excluded.installed_at",
        [
            record.name,
            record.area_code,
            record.email or None,
            record.public_key,
            record.fingerprint,
            record.installed_at,
        ],
    )


def set_receiver_email(db: sqlite_utils.Database, email: str) -> bool:
    """Change only the address; False when no receiver key is installed yet."""
    cursor = db.execute("UPDATE receiver SET email = ? WHERE id = 1", [email or None])
    return cursor.rowcount > 0


def own_profile(db: sqlite_utils.Database, code: str) -> tuple[str, str]:
    """``(name, email)`` of the file's own profile row.

    On a receiver the ``profile`` table also holds every village's profile (they travel),
    so the receiver's own row is the one with its own area code.
    """
    row = db.execute(
        "SELECT name, email FROM profile WHERE village_code = ? AND deleted_at IS NULL "
        "ORDER BY updated_at DESC LIMIT 1",
        [code],
    ).fetchone()
    return (row[0] or "", row[1] or "") if row else ("", "")


# -- village: SMTP settings and the outbox -----------------------------------------------------
def smtp_values(db: sqlite_utils.Database) -> dict[str, str]:
    return {key: settings.get(db, key) or "" for key in SMTP_KEYS}


def save_smtp_values(db: sqlite_utils.Database, values: dict[str, str]) -> None:
    for key in SMTP_KEYS:
        settings.put(db, key, values.get(key) or None)


@dataclass(frozen=True, slots=True)
class OutboxRecord:
    id: int
    export_seq: int
    path: str
    recipient: str
    state: str
    attempts: int
    last_error: str
    last_attempt_at: str
    next_attempt_at: str
    sent_at: str
    created_at: str


_OUTBOX = Shape.of(OutboxRecord, last_error=or_empty, last_attempt_at=or_empty,
                   next_attempt_at=or_empty, sent_at=or_empty)


def add_outbox(
    db: sqlite_utils.Database, *, export_seq: int, path: str, recipient: str, now: str
) -> int:
    cursor = db.execute(
        "INSERT INTO outbox (export_seq, path, recipient, state, attempts, next_attempt_at, "
        "created_at) VALUES (?, ?, ?, ?, 0, ?, ?)",
        [export_seq, path, recipient, OUTBOX_PENDING, now, now],
    )
    return int(cursor.lastrowid or 0)


def outbox_items(db: sqlite_utils.Database, *, limit: int = 200) -> list[OutboxRecord]:
    return _OUTBOX.select(db, "FROM outbox ORDER BY id DESC LIMIT ?", [limit])


def outbox_item(db: sqlite_utils.Database, item_id: int) -> OutboxRecord | None:
    return _OUTBOX.select_one(db, "FROM outbox WHERE id = ?", [item_id])


def outbox_due(db: sqlite_utils.Database, now: str) -> list[OutboxRecord]:
    """Items not sent yet whose next attempt is due, oldest first."""
    return _OUTBOX.select(
        db,
        "FROM outbox WHERE state != ? "
        "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id",
        [OUTBOX_SENT, now],
    )


def outbox_waiting_count(db: sqlite_utils.Database) -> int:
    return int(
        db.execute("SELECT count(*) FROM outbox WHERE state != ?", [OUTBOX_SENT]).fetchone()[0]
    )


def mark_outbox(
    db: sqlite_utils.Database,
    item_id: int,
    *,
    state: str,
    now: str,
    error: str | None = None,
    next_attempt_at: str | None = None,
) -> None:
    db.execute(
        "UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?, "
        "last_attempt_at = ?, next_attempt_at = ?, sent_at = CASE WHEN ? = 'sent' THEN ? "
        "ELSE sent_at END WHERE id = ?",
        [state, error, now, next_attempt_at, state, now, item_id],
    )


def outbox_unsent(db: sqlite_utils.Database) -> list[OutboxRecord]:
    """Items still waiting (pending or failed), oldest first."""
    return _OUTBOX.select(db, "FROM outbox WHERE state != ? ORDER BY id", [OUTBOX_SENT])


def smtp_refusal(db: sqlite_utils.Database) -> dict[str, str] | None:
    """The stored permanent refusal of the SMTP settings (see :data:`SMTP_REFUSED`)."""
    text = settings.get(db, SMTP_REFUSED)
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    return {key: str(value.get(key) or "") for key in ("settings", "error", "at")}


def set_smtp_refusal(db: sqlite_utils.Database, value: dict[str, str] | None) -> None:
    settings.put(db, SMTP_REFUSED, json.dumps(value, ensure_ascii=False) if value else None)


def make_outbox_due(db: sqlite_utils.Database, item_id: int | None, now: str) -> None:
    """The Retry button: try now, whatever the back-off said."""
    if item_id is None:
        db.execute("UPDATE outbox SET next_attempt_at = ? WHERE state != ?", [now, OUTBOX_SENT])
    else:
        db.execute(
            "UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND state != ?",
            [now, item_id, OUTBOX_SENT],
        )


# -- receiver: villages, imports, conflicts -----------------------------------------------------
@dataclass(frozen=True, slots=True)
class VillageRecord:
    code: str
    name: str
    public_key: str  # base64
    fingerprint: str
    first_seen: str
    last_seq: int
    last_full_seq: int
    last_bundle_at: str
    last_created_utc: str


_VILLAGE = Shape.of(VillageRecord, name=or_empty, last_bundle_at=or_empty,
                    last_created_utc=or_empty)


def village(db: sqlite_utils.Database, code: str) -> VillageRecord | None:
    return _VILLAGE.select_one(db, "FROM villages WHERE code = ?", [code])


def save_village_after_import(
    db: sqlite_utils.Database,
    *,
    code: str,
    name: str,
    public_key: str,
    fingerprint: str,
    seq: int,
    full: bool,
    received_at: str,
    created_utc: str,
) -> None:
    """Pin the key on the first bundle; afterwards keep the highest sequences seen."""
    db.execute(
        "INSERT INTO villages (code, name, public_key, fingerprint, first_seen, last_seq, "
        "last_full_seq, last_bundle_at, last_created_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(code) DO UPDATE SET "
        " name = CASE WHEN excluded.last_seq >= villages.last_seq AND excluded.name != '' "
        "   THEN excluded.name ELSE villages.name END,"
        " last_seq = max(villages.last_seq, excluded.last_seq),"
        " last_full_seq = max(villages.last_full_seq, excluded.last_full_seq),"
        " last_bundle_at = excluded.last_bundle_at,"
        " last_created_utc = CASE WHEN excluded.last_seq >= villages.last_seq "
        "   THEN excluded.last_created_utc ELSE villages.last_created_utc END",
        [
            code,
            name,
            public_key,
            fingerprint,
            received_at,
            seq,
            seq if full else 0,
            received_at,
            created_utc,
        ],
    )


@dataclass(frozen=True, slots=True)
class ImportRecord:
    id: int
    village_code: str
    seq: int
    since_seq: int
    full: bool
    sha256: str
    file_name: str
    created_utc: str
    received_at: str
    counts: dict[str, dict[str, int]]
    gaps: list[int]
    conflicts: int


_IMPORT = Shape.of(ImportRecord, full=bool, file_name=or_empty, counts=json.loads,
                   gaps=json.loads)


def import_by_sha256(db: sqlite_utils.Database, sha256: str) -> ImportRecord | None:
    return _IMPORT.select_one(db, "FROM imports WHERE sha256 = ? LIMIT 1", [sha256])


def imported_seq_pairs(db: sqlite_utils.Database) -> set[tuple[str, int]]:
    """``(village, seq)`` of every bundle imported."""
    return {(row[0], int(row[1])) for row in db.execute("SELECT village_code, seq FROM imports")}


def import_by_seq(db: sqlite_utils.Database, village_code: str, seq: int) -> ImportRecord | None:
    return _IMPORT.select_one(
        db,
        "FROM imports WHERE village_code = ? AND seq = ?",
        [village_code, seq],
    )


def imported_seqs(db: sqlite_utils.Database, village_code: str) -> dict[int, bool]:
    """``{seq: full}`` of every bundle accepted from the village."""
    return {
        int(row[0]): bool(row[1])
        for row in db.execute(
            "SELECT seq, full FROM imports WHERE village_code = ?", [village_code]
        )
    }


def add_import(
    db: sqlite_utils.Database,
    *,
    village_code: str,
    seq: int,
    since_seq: int,
    full: bool,
    sha256: str,
    file_name: str,
    created_utc: str,
    received_at: str,
    counts: dict[str, dict[str, int]],
    gaps: list[int],
    conflicts: int,
    change_seq: int | None = None,
    restore_epoch: int = 0,
) -> int:
    cursor = db.execute(
        "INSERT INTO imports (village_code, seq, since_seq, full, sha256, file_name, "
        "created_utc, received_at, counts, gaps, conflicts, change_seq, restore_epoch) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            village_code,
            seq,
            since_seq,
            int(full),
            sha256,
            file_name,
            created_utc,
            received_at,
            json.dumps(counts, sort_keys=True),
            json.dumps(gaps),
            conflicts,
            change_seq,
            restore_epoch,
        ],
    )
    return int(cursor.lastrowid or 0)


def village_restore_epoch(db: sqlite_utils.Database, village_code: str) -> int | None:
    """The newest restore epoch among the village's accepted bundles (None: none yet)."""
    row = db.execute(
        "SELECT max(restore_epoch) FROM imports WHERE village_code = ?", [village_code]
    ).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def later_change_seqs(
    db: sqlite_utils.Database, village_code: str, seq: int, restore_epoch: int
) -> list[int]:
    """The receiver ``change_seq`` of every accepted bundle of the village numbered after
    ``seq`` in the same epoch: the rows they wrote are newer than bundle ``seq``."""
    return [
        int(row[0])
        for row in db.execute(
            "SELECT change_seq FROM imports WHERE village_code = ? AND seq > ? "
            "AND restore_epoch = ? AND change_seq IS NOT NULL",
            [village_code, seq, restore_epoch],
        )
    ]


def village_write_seqs(db: sqlite_utils.Database, village_code: str) -> list[int] | None:
    """The receiver ``change_seq`` of every accepted bundle of the village, or None when an
    import from before migration 10 did not note it (then its rows are found by scanning)."""
    rows = db.execute(
        "SELECT change_seq FROM imports WHERE village_code = ?", [village_code]
    ).fetchall()
    if any(row[0] is None for row in rows):
        return None
    return [int(row[0]) for row in rows]


@dataclass(frozen=True, slots=True)
class RefusalRecord:
    village_code: str
    seq: int
    code: str
    reason: str
    file_name: str
    refused_at: str


def add_refusal(
    db: sqlite_utils.Database,
    *,
    village_code: str,
    seq: int,
    sha256: str,
    code: str,
    reason: str,
    file_name: str,
    refused_at: str,
) -> None:
    """Keep a refused bundle's number and reason (once per content and reason)."""
    known = db.execute(
        "SELECT 1 FROM refusals WHERE sha256 = ? AND code = ?", [sha256, code]
    ).fetchone()
    if known is None:
        db.execute(
            "INSERT INTO refusals (village_code, seq, sha256, code, reason, file_name, "
            "refused_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [village_code, seq, sha256, code, reason, file_name, refused_at],
        )


def refusals(db: sqlite_utils.Database, village_code: str) -> list[RefusalRecord]:
    """The village's refused bundles, newest first."""
    rows = db.execute(
        "SELECT village_code, seq, code, reason, coalesce(file_name, ''), refused_at "
        "FROM refusals WHERE village_code = ? ORDER BY id DESC",
        [village_code],
    ).fetchall()
    return [RefusalRecord(*row) for row in rows]


def refused_seqs(db: sqlite_utils.Database, village_code: str) -> set[int]:
    """Numbers of the village's bundles refused and not accepted since."""
    return {
        int(row[0])
        for row in db.execute(
            "SELECT DISTINCT r.seq FROM refusals r WHERE r.village_code = ? AND NOT EXISTS "
            "(SELECT 1 FROM imports i WHERE i.village_code = r.village_code AND i.seq = r.seq)",
            [village_code],
        )
    }


def recent_imports(db: sqlite_utils.Database, *, limit: int = 200) -> list[ImportRecord]:
    return _IMPORT.select(db, "FROM imports ORDER BY id DESC LIMIT ?", [limit])


@dataclass(frozen=True, slots=True)
class ConflictRecord:
    id: int
    table_name: str
    record_id: str
    village_code: str
    import_id: int | None
    kept: dict[str, Any]
    lost: dict[str, Any]
    reason: str
    detected_at: str
    decided: str
    decided_at: str
    bundle_seq: int | None = field(default=None)


_CONFLICT = Shape(
    ConflictRecord,
    "c.id, c.table_name, c.record_id, c.village_code, c.import_id, c.kept, c.lost, c.reason, "
    "c.detected_at, c.decided, c.decided_at, i.seq AS bundle_seq",
    kept=json.loads, lost=json.loads, decided=or_empty, decided_at=or_empty,
)


def add_conflict(
    db: sqlite_utils.Database,
    *,
    table: str,
    record_id: str,
    village_code: str,
    import_id: int | None,
    kept: dict[str, Any],
    lost: dict[str, Any],
    reason: str,
    detected_at: str,
) -> None:
    db.execute(
        "INSERT INTO conflicts (table_name, record_id, village_code, import_id, kept, lost, "
        "reason, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            table,
            record_id,
            village_code,
            import_id,
            json.dumps(kept, ensure_ascii=False, sort_keys=True),
            json.dumps(lost, ensure_ascii=False, sort_keys=True),
            reason,
            detected_at,
        ],
    )


def conflicts(
    db: sqlite_utils.Database,
    *,
    open_only: bool = False,
    village_code: str | None = None,
    limit: int = 500,
    offset: int = 0,
) -> list[ConflictRecord]:
    clause, params = where(("c.decided IS NULL", open_only), ("c.village_code = ?", village_code))
    return _CONFLICT.select(
        db,
        "FROM conflicts c LEFT JOIN imports i ON i.id = c.import_id "
        f"{clause} ORDER BY c.id DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )


def open_conflict_count(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT count(*) FROM conflicts WHERE decided IS NULL").fetchone()[0])


def decide_conflict(db: sqlite_utils.Database, conflict_id: int, decision: str, now: str) -> bool:
    cursor = db.execute(
        "UPDATE conflicts SET decided = ?, decided_at = ? WHERE id = ? AND decided IS NULL",
        [decision, now, conflict_id],
    )
    return cursor.rowcount > 0
