"""Reading and writing receipts, notices and bundle routes (tables of migrations 21 and 22)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from kt_desktop.store import settings

#: Reference values a notice added (JSON lists in ``settings``; the areas merge them in).
ADDED_ACTIVITY_KINDS = "reference_added_activity_kinds"
ADDED_SKILLS = "reference_added_skills"


# -- village: receipts ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ReceiptRecord:
    id: int
    receiver_fingerprint: str
    seq: int
    sha256: str
    made_utc: str
    imported_at: str
    file_name: str
    body: dict[str, Any]


_RECEIPT_COLUMNS = "id, receiver_fingerprint, seq, sha256, made_utc, imported_at, file_name, body"


def _receipt(row: tuple[Any, ...]) -> ReceiptRecord:
    return ReceiptRecord(*row[:7], body=json.loads(row[7]))


def receipt_by_sha256(db: sqlite_utils.Database, sha256: str) -> ReceiptRecord | None:
    row = db.execute(
        f"SELECT {_RECEIPT_COLUMNS} FROM receipts_in WHERE sha256 = ?", [sha256]
    ).fetchone()
    return _receipt(row) if row else None


def last_receipt(db: sqlite_utils.Database, fingerprint: str | None = None) -> ReceiptRecord | None:
    """The newest receipt (of the receiver with ``fingerprint``, or of any)."""
    where, params = ("WHERE receiver_fingerprint = ?", [fingerprint]) if fingerprint else ("", [])
    row = db.execute(
        f"SELECT {_RECEIPT_COLUMNS} FROM receipts_in {where} ORDER BY seq DESC, id DESC LIMIT 1",
        params,
    ).fetchone()
    return _receipt(row) if row else None


def add_receipt(
    db: sqlite_utils.Database,
    *,
    fingerprint: str,
    seq: int,
    sha256: str,
    made_utc: str,
    imported_at: str,
    file_name: str,
    body: dict[str, Any],
) -> int:
    cursor = db.execute(
        "INSERT INTO receipts_in (receiver_fingerprint, seq, sha256, made_utc, imported_at, "
        "file_name, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [fingerprint, seq, sha256, made_utc, imported_at, file_name,
         json.dumps(body, ensure_ascii=False, sort_keys=True)],
    )
    return int(cursor.lastrowid or 0)


# -- village: notices -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class NoticeRecord:
    id: int
    receiver_fingerprint: str
    seq: int
    sha256: str
    sender: str
    title: str
    text: str
    made_utc: str
    imported_at: str
    updates: list[dict[str, Any]]
    state: str
    decided_at: str
    files: tuple[str, ...] = ()


_NOTICE_COLUMNS = (
    "id, receiver_fingerprint, seq, sha256, sender, title, text, made_utc, imported_at, "
    "updates, state, coalesce(decided_at, '')"
)


def _notice(db: sqlite_utils.Database, row: tuple[Any, ...]) -> NoticeRecord:
    files = tuple(
        name for (name,) in db.execute(
            "SELECT name FROM notice_files WHERE notice_id = ? ORDER BY name", [row[0]]
        )
    )
    return NoticeRecord(*row[:9], updates=json.loads(row[9]), state=row[10],
                        decided_at=row[11], files=files)


def notice(db: sqlite_utils.Database, notice_id: int) -> NoticeRecord | None:
    row = db.execute(f"SELECT {_NOTICE_COLUMNS} FROM notices_in WHERE id = ?", [notice_id]).fetchone()
    return _notice(db, row) if row else None


def notice_by_sha256(db: sqlite_utils.Database, sha256: str) -> NoticeRecord | None:
    row = db.execute(
        f"SELECT {_NOTICE_COLUMNS} FROM notices_in WHERE sha256 = ?", [sha256]
    ).fetchone()
    return _notice(db, row) if row else None


def last_notice_seq(db: sqlite_utils.Database, fingerprint: str) -> int:
    return int(db.execute(
        "SELECT coalesce(max(seq), 0) FROM notices_in WHERE receiver_fingerprint = ?",
        [fingerprint],
    ).fetchone()[0])


def notices(db: sqlite_utils.Database, *, limit: int = 50) -> list[NoticeRecord]:
    rows = db.execute(
        f"SELECT {_NOTICE_COLUMNS} FROM notices_in ORDER BY made_utc DESC, id DESC LIMIT ?",
        [limit],
    ).fetchall()
    return [_notice(db, row) for row in rows]


def add_notice(
    db: sqlite_utils.Database,
    *,
    fingerprint: str,
    seq: int,
    sha256: str,
    sender: str,
    title: str,
    text: str,
    made_utc: str,
    imported_at: str,
    updates: list[dict[str, Any]],
    files: dict[str, tuple[str, bytes]],
) -> int:
    """Keep a verified notice; ``files`` is ``{name: (sha256, data)}``."""
    cursor = db.execute(
        "INSERT INTO notices_in (receiver_fingerprint, seq, sha256, sender, title, text, "
        "made_utc, imported_at, updates, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [fingerprint, seq, sha256, sender, title, text, made_utc, imported_at,
         json.dumps(updates, ensure_ascii=False), "new" if updates else "info"],
    )
    notice_id = int(cursor.lastrowid or 0)
    for name, (digest, data) in files.items():
        db.execute(
            "INSERT INTO notice_files (notice_id, name, sha256, data) VALUES (?, ?, ?, ?)",
            [notice_id, name, digest, data],
        )
    return notice_id


def notice_file(db: sqlite_utils.Database, notice_id: int, name: str) -> bytes | None:
    row = db.execute(
        "SELECT data FROM notice_files WHERE notice_id = ? AND name = ?", [notice_id, name]
    ).fetchone()
    return bytes(row[0]) if row else None


def decide_notice(db: sqlite_utils.Database, notice_id: int, state: str, now: str) -> bool:
    cursor = db.execute(
        "UPDATE notices_in SET state = ?, decided_at = ? WHERE id = ? AND state = 'new'",
        [state, now, notice_id],
    )
    return cursor.rowcount > 0


def added_values(db: sqlite_utils.Database, key: str) -> list[str]:
    """Reference values a notice added under ``key`` (:data:`ADDED_ACTIVITY_KINDS`, ...)."""
    try:
        values = json.loads(settings.get(db, key) or "[]")
    except ValueError:
        return []
    return [str(value) for value in values if isinstance(value, str)]


def add_value(db: sqlite_utils.Database, key: str, value: str) -> None:
    values = added_values(db, key)
    if value.casefold() not in {known.casefold() for known in values}:
        settings.put(db, key, json.dumps([*values, value], ensure_ascii=False))


# -- receiver: receipts and notices made, routes ----------------------------------------------
def next_receipt_seq(db: sqlite_utils.Database, village_code: str) -> int:
    return 1 + int(db.execute(
        "SELECT coalesce(max(seq), 0) FROM receipts_out WHERE village_code = ?", [village_code]
    ).fetchone()[0])


def add_receipt_made(
    db: sqlite_utils.Database, *, village_code: str, seq: int, sha256: str, made_utc: str,
    file_name: str,
) -> None:
    db.execute(
        "INSERT INTO receipts_out (village_code, seq, sha256, made_utc, file_name) "
        "VALUES (?, ?, ?, ?, ?)",
        [village_code, seq, sha256, made_utc, file_name],
    )


def next_notice_seq(db: sqlite_utils.Database) -> int:
    return 1 + int(db.execute("SELECT coalesce(max(seq), 0) FROM notices_out").fetchone()[0])


def add_notice_made(
    db: sqlite_utils.Database, *, seq: int, title: str, sha256: str, made_utc: str, villages: int
) -> None:
    db.execute(
        "INSERT INTO notices_out (seq, title, sha256, made_utc, villages) VALUES (?, ?, ?, ?, ?)",
        [seq, title, sha256, made_utc, villages],
    )


def village_keys(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """``(code, signing key base64)`` of every village whose key the receiver pinned."""
    return [(row[0], row[1]) for row in db.execute(
        "SELECT code, public_key FROM villages ORDER BY code"
    )]


@dataclass(frozen=True, slots=True)
class Route:
    via_code: str
    via_name: str
    via_fingerprint: str
    reply_to: str


def add_route(db: sqlite_utils.Database, import_id: int, route: Route) -> None:
    db.execute(
        "INSERT OR REPLACE INTO import_routes (import_id, via_code, via_name, via_fingerprint, "
        "reply_to) VALUES (?, ?, ?, ?, ?)",
        [import_id, route.via_code, route.via_name, route.via_fingerprint, route.reply_to],
    )


def latest_routes(db: sqlite_utils.Database) -> dict[str, Route]:
    """The way each village's newest accepted bundle came (villages with a route only)."""
    rows = db.execute(
        "SELECT i.village_code, coalesce(r.via_code, ''), coalesce(r.via_name, ''), "
        "coalesce(r.via_fingerprint, ''), coalesce(r.reply_to, '') "
        "FROM imports i JOIN import_routes r ON r.import_id = i.id "
        "WHERE i.id = (SELECT max(id) FROM imports WHERE village_code = i.village_code)"
    ).fetchall()
    return {row[0]: Route(*row[1:]) for row in rows}


def route_of(db: sqlite_utils.Database, village_code: str, seq: int) -> Route | None:
    row = db.execute(
        "SELECT coalesce(r.via_code, ''), coalesce(r.via_name, ''), "
        "coalesce(r.via_fingerprint, ''), coalesce(r.reply_to, '') "
        "FROM imports i JOIN import_routes r ON r.import_id = i.id "
        "WHERE i.village_code = ? AND i.seq = ?",
        [village_code, seq],
    ).fetchone()
    return Route(*row) if row else None
