"""Reading and writing the single ``profile`` row."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from kt_desktop.domain.profile import Profile
from kt_desktop.store import records

if TYPE_CHECKING:  # sqlite-utils is not imported before the first window paints (issue 16)
    import sqlite_utils

_DATE_FIELDS = ("sk_date", "term_start", "term_end")
_TEXT_FIELDS = (
    "name", "short_name", "street", "rt", "rw", "dusun", "postal_code", "phone", "email",
    "ketua", "sekretaris", "bendahara", "kepala_desa", "sk_number",
)


def _own_code(db: sqlite_utils.Database) -> str | None:
    """The file's own code: a receiver's profile table also holds every village's profile."""
    row = db.execute(
        "SELECT value FROM settings WHERE key IN ('village_code', 'area_code') "
        "AND value IS NOT NULL ORDER BY key = 'village_code' DESC LIMIT 1"
    ).fetchone()
    return row[0] if row else None


def load(db: sqlite_utils.Database, code: str | None = None) -> Profile | None:
    """The profile of ``code`` (default: the file's own Karang Taruna or receiver)."""
    code = code or _own_code(db)
    if code is None:  # a file being set up: its first profile row is its own
        row = db.execute(
            "SELECT * FROM profile WHERE deleted_at IS NULL ORDER BY updated_at LIMIT 1"
        ).fetchone()
    else:
        row = db.execute(
            "SELECT * FROM profile WHERE deleted_at IS NULL AND village_code = ? "
            "ORDER BY updated_at LIMIT 1",
            [code],
        ).fetchone()
    if row is None:
        return None
    columns = [d[0] for d in db.execute("SELECT * FROM profile LIMIT 0").description]
    data = dict(zip(columns, row, strict=True))
    profile = Profile(
        id=data["id"],
        version=data["version"],
        village_code=data["village_code"],
        logo=data["logo"],
        logo_mime=data["logo_mime"],
    )
    for name in _TEXT_FIELDS:
        setattr(profile, name, data[name] or "")
    for name in _DATE_FIELDS:
        setattr(profile, name, dt.date.fromisoformat(data[name]) if data[name] else None)
    return profile


def _values(profile: Profile) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(profile, name).strip() for name in _TEXT_FIELDS}
    for name in _DATE_FIELDS:
        value = getattr(profile, name)
        values[name] = value.isoformat() if value else None
    values["logo"] = profile.logo
    values["logo_mime"] = profile.logo_mime
    return values


def save(db: sqlite_utils.Database, profile: Profile, *, actor: str) -> str:
    """Insert the profile the first time, update it afterwards; returns its id."""
    with db.atomic():
        existing = db.execute(
            "SELECT id FROM profile WHERE deleted_at IS NULL AND village_code = ?",
            [profile.village_code],
        ).fetchone()
        if existing is None:
            return records.insert(
                db, "profile", _values(profile), village_code=profile.village_code, actor=actor
            )
        records.update(db, "profile", existing[0], _values(profile), actor=actor,
                       village_code=profile.village_code)
        return str(existing[0])
