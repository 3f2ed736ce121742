"""Key/value settings kept inside the data file (they travel with it, unlike UI prefs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite-utils is not imported before the first window paints (issue 16)
    import sqlite_utils

#: Keys in use, so a typo is found by grep rather than at run time.
FILE_KIND = "file_kind"  # KIND_VILLAGE | KIND_RECEIVER
KIND_VILLAGE = "village"
KIND_RECEIVER = "receiver"  # a province's, a kabupaten's or the national file
VILLAGE_CODE = "village_code"  # village files: Kemendagri code of the village
AREA_CODE = "area_code"  # receiver files: province "36" or kabupaten "36.04"
CREATED_AT = "created_at"
APP_VERSION = "app_version"
FILE_ID = "file_id"  # random hex id made once per data file (migration 9): whose backup is whose
#: Set (to what must be rebuilt, JSON) while a bulk import is under way (store.bulk_import).
BULK_IMPORT_PENDING = "bulk_import_pending"


def get(db: sqlite_utils.Database, key: str, default: str | None = None) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def put(db: sqlite_utils.Database, key: str, value: str | None) -> None:
    db.execute(
        "INSERT INTO settings(key, value) VALUES(?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def all_settings(db: sqlite_utils.Database) -> dict[str, str]:
    return {key: value for key, value in db.execute("SELECT key, value FROM settings")}
