"""Reading and editing the Karang Taruna's profile (Pengaturan → Profil).

The profile feeds every letterhead and signature block, so a save is validated as a whole
and refused with the offending field named; the village itself is fixed when the file is
made (its code is on every record and in every bundle) and cannot be changed here.
"""

from __future__ import annotations

import dataclasses

from kt_desktop.domain.errors import NotFoundError, ValidationError
from kt_desktop.domain.profile import Profile
from kt_desktop.domain.text import clean_fields
from kt_desktop.i18n import _
from kt_desktop.services.session import Session
from kt_desktop.store import profile as profile_store

#: The largest logo kept in the file; the GUI scales images down to fit before saving.
MAX_LOGO_BYTES = 1_000_000
LOGO_TYPES = ("image/png", "image/jpeg")


def load_profile(session: Session) -> Profile:
    """The file's profile (a receiver's holds its name and area code)."""
    profile = profile_store.load(session.db())
    if profile is None:
        raise NotFoundError(
            _("This data file has no profile yet. Set it up first."), code="no_profile"
        )
    return profile


def validate_profile(session: Session, profile: Profile) -> None:
    """Everything :func:`save_profile` refuses, without writing (forms check before saving)."""
    if session.is_receiver:
        if not profile.name.strip():
            raise ValidationError(_("The receiver's name is required."), field="name")
        profile.check_lengths()
    else:
        profile.validate()
    if profile.logo is not None:
        if profile.logo_mime not in LOGO_TYPES:
            raise ValidationError(
                _("The logo must be a PNG or JPEG image."), field="logo", code="logo_type"
            )
        if len(profile.logo) > MAX_LOGO_BYTES:
            raise ValidationError(
                _("The logo is too large (at most 1 MB). Choose a smaller image."),
                field="logo",
                code="logo_size",
            )


def save_profile(session: Session, profile: Profile) -> Profile:
    """Validate and store ``profile``; returns it as now saved (new version).

    The village (or the receiver's area) always stays the file's own, whatever the
    caller passed, for the reason in the module's docstring.
    """
    profile = clean_fields(dataclasses.replace(profile, village_code=session.code))
    validate_profile(session, profile)
    db = session.db()
    with db.atomic():
        profile_store.save(db, profile, actor=session.actor())
    return load_profile(session)
