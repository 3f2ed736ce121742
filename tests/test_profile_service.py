"""services/profile.py: the profile read, validated and saved as Pengaturan does it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from kt_desktop.domain.errors import ValidationError
from kt_desktop.services.profile import load_profile, save_profile
from kt_desktop.services.session import Session, open_session
from kt_desktop.store import audit


def test_load_gives_what_set_up_stored(village_session: Session) -> None:
    profile = load_profile(village_session)
    assert (profile.name, profile.short_name, profile.village_code) == (
        "Karang Taruna Tunas Harapan",
        "KT-TH",
        "36.04.22.2001",
    )
    assert profile.version == 1


def test_save_writes_a_new_version_with_an_audit_line(village_session: Session) -> None:
    profile = load_profile(village_session)
    profile.ketua = "Budi Santoso"
    profile.term_start = dt.date(2026, 1, 5)
    profile.term_end = dt.date(2031, 1, 5)
    saved = save_profile(village_session, profile)
    assert (saved.ketua, saved.version, saved.term_end) == ("Budi Santoso", 2, dt.date(2031, 1, 5))
    again = open_session(village_session.path)
    try:
        assert load_profile(again).ketua == "Budi Santoso"
    finally:
        again.close()
    line = audit.entries(village_session.db(), action="update", table="profile")[0]
    assert line.actor == "Siti Nurhaliza"  # the secretary named in the profile


def test_the_village_cannot_be_changed(village_session: Session) -> None:
    profile = dataclasses.replace(load_profile(village_session), village_code="36.04.22.2007")
    assert save_profile(village_session, profile).village_code == "36.04.22.2001"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"email": "kt tunas"}, "email"),
        ({"postal_code": "4217"}, "postal_code"),
        ({"rt": "2a"}, "rt"),
        ({"term_start": dt.date(2026, 1, 1), "term_end": dt.date(2025, 1, 1)}, "term_end"),
        ({"logo": b"GIF89a", "logo_mime": "image/gif"}, "logo"),
        ({"logo": b"\x89PNG" + b"0" * 1_000_001, "logo_mime": "image/png"}, "logo"),
    ],
)
def test_a_refusal_names_the_field_and_changes_nothing(
    village_session: Session, changes: dict[str, object], field: str
) -> None:
    before = load_profile(village_session)
    with pytest.raises(ValidationError) as refused:
        save_profile(village_session, dataclasses.replace(before, **changes))
    assert refused.value.field == field
    assert refused.value.message  # a sentence the form shows beside the field
    after = load_profile(village_session)
    assert after == before


def test_a_receiver_needs_only_its_name(receiver_file: Path) -> None:
    session = open_session(receiver_file)
    try:
        profile = load_profile(session)
        assert (profile.name, profile.village_code) == ("Karang Taruna Provinsi Banten", "36")
        with pytest.raises(ValidationError) as refused:
            save_profile(session, dataclasses.replace(profile, name=""))
        assert refused.value.field == "name"
        saved = save_profile(session, dataclasses.replace(profile, name="Dinsos Provinsi Banten"))
        assert saved.name == "Dinsos Provinsi Banten"
    finally:
        session.close()
