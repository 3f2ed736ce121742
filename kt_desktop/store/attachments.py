"""Photos and scanned documents (PDF) attached to a record of any table.

A row belongs to ``(owner_table, owner_id)`` and keeps the scaled image, its thumbnail and
the SHA-256 of the original file (so the same file added twice is recognised). Listing
returns thumbnails only; the full image is read one at a time with :func:`image_data`, so
opening an activity with ten photos does not pull 5 MB through the GUI.

A removed photo becomes a tombstone with its image, thumbnail, caption and file name cleared:
a photo of people is personal data, and the tombstone alone is what the next bundle needs.
"""

from __future__ import annotations

import sqlite_utils

from kt_desktop.domain.activities import Photo
from kt_desktop.store import records
from kt_desktop.store.rows import Shape, live_value, or_empty, or_zero

TABLE = "attachments"
#: Cleared on removal (docs/DESIGN.md, "Data model": personal columns cleared on delete).
PERSONAL_COLUMNS = ("data", "thumbnail", "caption", "original_name")


def insert(
    db: sqlite_utils.Database,
    owner_table: str,
    owner_id: str,
    photo: Photo,
    *,
    position: int,
    village_code: str,
    actor: str,
) -> str:
    """Store a new photo (``photo.data`` must hold the scaled image); returns its id."""
    if photo.data is None:
        raise ValueError("a new attachment needs its image data")
    return records.insert(
        db,
        TABLE,
        {
            "owner_table": owner_table,
            "owner_id": owner_id,
            "position": position,
            "sha256": photo.sha256,
            "mime": photo.mime,
            "data": photo.data,
            "size": len(photo.data),
            "thumbnail": photo.thumbnail,
            "width": photo.width,
            "height": photo.height,
            "caption": photo.caption.strip(),
            "original_name": photo.original_name,
        },
        village_code=village_code,
        actor=actor,
        audit_detail=f"{owner_table} {owner_id}",
    )


def update_caption(
    db: sqlite_utils.Database, attachment_id: str, caption: str, *, actor: str
) -> None:
    records.update(db, TABLE, attachment_id, {"caption": caption.strip()}, actor=actor)


def next_position(db: sqlite_utils.Database, owner_table: str, owner_id: str) -> int:
    """Where a newly added photo goes: after every photo the record ever had."""
    row = db.execute(
        "SELECT max(position) FROM attachments WHERE owner_table = ? AND owner_id = ?",
        [owner_table, owner_id],
    ).fetchone()
    return int(row[0]) + 1 if row and row[0] is not None else 0


def remove(db: sqlite_utils.Database, attachment_id: str, *, actor: str) -> None:
    records.tombstone(db, TABLE, attachment_id, clear=PERSONAL_COLUMNS, actor=actor)


def _thumbnail(data: bytes | None) -> bytes:
    return bytes(data or b"")


#: A photo as lists show it: the thumbnail, not the image (``data`` stays None).
_THUMBNAIL = Shape(
    Photo,
    "id, sha256, mime, width, height, thumbnail, caption, original_name",
    width=or_zero, height=or_zero, thumbnail=_thumbnail, caption=or_empty, original_name=or_empty,
)


def list_for(db: sqlite_utils.Database, owner_table: str, owner_id: str) -> list[Photo]:
    """The live photos of one record in their order, thumbnails only (``data`` is None)."""
    return _THUMBNAIL.select(
        db,
        "FROM attachments "
        "WHERE owner_table = ? AND owner_id = ? AND deleted_at IS NULL ORDER BY position, rowid",
        [owner_table, owner_id],
    )


def sync(
    db: sqlite_utils.Database, owner_table: str, owner_id: str, photos: list[Photo], *,
    village_code: str, actor: str,
) -> None:
    """Make the record's live attachments ``photos``: new ones (no stored id) are appended
    after the stored ones, captions are updated in place, the ones left out are removed.
    Sets ``photo.id`` on the new ones. Activities and every book with attachments use it."""
    stored = {photo.id: photo for photo in list_for(db, owner_table, owner_id)}
    position = next_position(db, owner_table, owner_id)
    keep: set[str] = set()
    for photo in photos:
        if photo.id is None or photo.id not in stored:
            photo.id = insert(db, owner_table, owner_id, photo, position=position,
                              village_code=village_code, actor=actor)
            position += 1
        elif stored[photo.id].caption != photo.caption.strip():
            update_caption(db, photo.id, photo.caption, actor=actor)
        keep.add(photo.id)
    for rid in stored:
        if rid is not None and rid not in keep:
            remove(db, rid, actor=actor)


def remove_all(db: sqlite_utils.Database, owner_table: str, owner_id: str, *, actor: str) -> None:
    """Remove every attachment of a record that is being removed (they travel as tombstones)."""
    for attachment_id in ids_for(db, owner_table, owner_id):
        remove(db, attachment_id, actor=actor)


def ids_for(db: sqlite_utils.Database, owner_table: str, owner_id: str) -> list[str]:
    rows = db.execute(
        "SELECT id FROM attachments WHERE owner_table = ? AND owner_id = ? "
        "AND deleted_at IS NULL",
        [owner_table, owner_id],
    ).fetchall()
    return [row[0] for row in rows]


def image_data(db: sqlite_utils.Database, attachment_id: str) -> bytes | None:
    """The scaled image of a live attachment, None when it is gone."""
    row = db.execute(
        "SELECT data FROM attachments WHERE id = ? AND deleted_at IS NULL", [attachment_id]
    ).fetchone()
    return bytes(row[0]) if row and row[0] is not None else None


def count_for(db: sqlite_utils.Database, owner_table: str, owner_id: str) -> int:
    return int(live_value(db, "attachments", "count(*)", "owner_table = ? AND owner_id = ?",
                          [owner_table, owner_id]))
