"""Setting up a data file: a village's (one Karang Taruna) or a receiver's (province/kabupaten).

The CLI's ``init`` and the GUI's set-up wizard both end here, so a file made either way is
the same file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from kt_desktop import __version__, regions
from kt_desktop.domain.errors import DataFileError, ValidationError
from kt_desktop.domain.formats import utc_now_iso
from kt_desktop.domain.profile import Profile
from kt_desktop.domain.text import clean_fields, clean_text
from kt_desktop.i18n import _
from kt_desktop.services.session import RECEIVER, VILLAGE, Session, open_session
from kt_desktop.store import audit, migrations, schema_receiver_keys, settings
from kt_desktop.store import profile as profile_store


@dataclass(frozen=True, slots=True)
class SetupResult:
    path: Path
    kind: str
    code: str
    name: str
    region_name: str
    key_fingerprint: str


def resolve_village(code: str) -> regions.Region:
    """The village for ``code`` (dotted or not), or a refusal that says what was typed."""
    normalized = regions.normalize_code(code)
    region = regions.get(normalized) if normalized else None
    if region is None or region.level != 4:
        raise ValidationError(
            _(
                "Unknown village code {code}: give the 10-digit Kemendagri code of a desa or "
                "kelurahan, e.g. 36.04.22.2001."
            ).format(code=code),
            field="village_code",
            code="unknown_village",
        )
    return region


def resolve_receiver_area(code: str) -> regions.Region:
    normalized = regions.normalize_code(code)
    region = regions.get(normalized) if normalized else None
    if region is None or region.level not in (1, 2):
        raise ValidationError(
            _(
                "A receiver's code must be a province (e.g. 36) or a kabupaten/kota "
                "(e.g. 36.04); {code} is neither."
            ).format(code=code),
            field="area_code",
            code="bad_receiver_area",
        )
    return region


def _refuse_if_set_up(session: Session) -> None:
    if not session.is_new:
        session.close()
        raise DataFileError(
            _("{path} is already set up (as a {kind} file); choose another file.").format(
                path=session.path, kind=_("village") if session.is_village else _("receiver")
            ),
            code="already_set_up",
        )


def _mark_file(db: sqlite_utils.Database, kind: str, code_key: str, code: str) -> None:
    """The settings that say what a new file is: its kind, its region (under ``code_key``),
    when it was made and by which version of the program."""
    settings.put(db, settings.FILE_KIND, kind)
    settings.put(db, code_key, code)
    settings.put(db, settings.CREATED_AT, utc_now_iso())
    settings.put(db, settings.APP_VERSION, __version__)


@contextmanager
def _new_file(path: str | Path, kind: str, code_key: str, code: str) -> Iterator[sqlite_utils.Database]:
    """The connection of a new data file at ``path`` (refused when the file is set up
    already), marked as ``kind`` for ``code``; what the block writes goes in the same
    transaction, so a failure leaves no half-made file behind."""
    session = open_session(path, create=True)
    _refuse_if_set_up(session)
    db = session.db()
    if kind == RECEIVER:
        # Its record tables are made again keyed by village: empty, but SQLite's procedure
        # for changing a table asks for foreign keys off (a no-op inside the transaction).
        db.execute("PRAGMA foreign_keys = OFF")
    try:
        with db.atomic():
            _mark_file(db, kind, code_key, code)
            if kind == RECEIVER:
                schema_receiver_keys.make_receiver(db, migrations.schema_version(db))
            yield db
    finally:
        if kind == RECEIVER:
            db.execute("PRAGMA foreign_keys = ON")
        session.close()


def init_village(path: str | Path, profile: Profile) -> SetupResult:
    """Make a village file for ``profile.village_code`` with its profile and signing key."""
    region = resolve_village(profile.village_code)
    profile = clean_fields(profile)
    profile.village_code = region.code
    profile.validate()
    from kt_desktop.bundles import keys  # crypto only when a file is made

    with _new_file(path, VILLAGE, settings.VILLAGE_CODE, region.code) as db:
        public = keys.create_signing_key(db)
        actor = profile.sekretaris.strip() or _("Secretary")
        profile_store.save(db, profile, actor=actor)
        audit.record(db, "setup", None, None, actor=actor, detail=f"village {region.code}")
    return SetupResult(
        path=Path(path),
        kind=VILLAGE,
        code=region.code,
        name=profile.name,
        region_name=regions.full_name(region.code),
        key_fingerprint=keys.fingerprint(public),
    )


#: The area code of a national receiver file (Indonesia), which imports the provinces'
#: aggregates (docs/NATIONAL.md).
NATIONAL = "00"


def init_receiver(path: str | Path, area_code: str, name: str) -> SetupResult:
    """Make a receiver file for a province or kabupaten, with its signing and encryption keys.

    Code "00" makes the national receiver (Indonesia): it imports the 38 provinces'
    aggregates only, never a village's bundle.
    """
    national = area_code.strip() == NATIONAL
    region = regions.Region(NATIONAL, "Indonesia", 0, None) if national else (
        resolve_receiver_area(area_code))
    if not name.strip():
        raise ValidationError(_("The receiver's name is required."), field="name")
    Profile(name=clean_text(name)).check_lengths()
    from kt_desktop.bundles import keys

    with _new_file(path, RECEIVER, settings.AREA_CODE, region.code) as db:
        keys.create_signing_key(db)
        public = keys.create_encryption_key(db)
        profile = Profile(name=clean_text(name), village_code=region.code)
        profile_store.save(db, profile, actor=_("Officer"))
        audit.record(db, "setup", None, None, actor=_("Officer"), detail=f"receiver {region.code}")
    return SetupResult(
        path=Path(path),
        kind=RECEIVER,
        code=region.code,
        name=name.strip(),
        region_name="Indonesia" if national else regions.full_name(region.code),
        key_fingerprint=keys.fingerprint(public),
    )
