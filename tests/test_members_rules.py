"""The member rules a secretary meets: age range, officers, consent, duplicates, phones."""

from __future__ import annotations

import datetime as dt

import pytest

from kt_desktop.domain.errors import ValidationError
from kt_desktop.domain.members import (
    AGE_RULE_PRESETS,
    PERMENSOS_9_2025,
    PERMENSOS_25_2019,
    AgeRule,
    Member,
    RuleContext,
    check,
    normalize,
    normalize_phone,
)
from kt_desktop.services import members as service
from kt_desktop.services.session import Session

TODAY = dt.date(2026, 11, 28)


def born_aged(years: int, *, days_after_birthday: int = 30) -> dt.date:
    return dt.date(TODAY.year - years, TODAY.month, 1) - dt.timedelta(days=days_after_birthday)


def member(**changes: object) -> Member:
    values: dict[str, object] = {
        "name": "Asep Sopandi", "nik_missing_reason": "Belum memiliki KTP", "sex": "L",
        "birth_date": born_aged(25),
    }
    values.update(changes)
    return Member(**values)  # type: ignore[arg-type]


def result(m: Member, **ctx: object):  # type: ignore[no-untyped-def]
    return check(normalize(m), RuleContext(today=TODAY, **ctx))  # type: ignore[arg-type]


def error_fields(m: Member, **ctx: object) -> dict[str, str]:
    return {e.field: e.code for e in result(m, **ctx).errors}


# -- the age rule ----------------------------------------------------------------------------
def test_the_two_presets_carry_their_range_and_legal_basis() -> None:
    assert (PERMENSOS_25_2019.min_age, PERMENSOS_25_2019.max_age) == (13, 45)
    assert "25 Tahun 2019" in PERMENSOS_25_2019.basis and PERMENSOS_25_2019.confirmed
    assert (PERMENSOS_9_2025.min_age, PERMENSOS_9_2025.max_age) == (16, 30)
    assert "9 Tahun 2025" in PERMENSOS_9_2025.basis and not PERMENSOS_9_2025.confirmed
    # The unconfirmed rule says so wherever it is shown.
    assert PERMENSOS_9_2025.label() != PERMENSOS_9_2025.label().split(" \u2014 ")[0]
    assert " \u2014 " not in PERMENSOS_25_2019.label()
    assert set(AGE_RULE_PRESETS) == {"permensos_25_2019", "permensos_9_2025"}


def test_age_rule_survives_its_json_form() -> None:
    assert AgeRule.from_json(PERMENSOS_9_2025.to_json()) == PERMENSOS_9_2025


def test_an_upside_down_age_range_is_refused() -> None:
    with pytest.raises(ValidationError):
        AgeRule(30, 16, "x", TODAY).check()


@pytest.mark.parametrize(
    "age,rule,warned",
    [
        (13, PERMENSOS_25_2019, False), (12, PERMENSOS_25_2019, True),
        (45, PERMENSOS_25_2019, False), (46, PERMENSOS_25_2019, True),
        (40, PERMENSOS_9_2025, True), (16, PERMENSOS_9_2025, False),
        (15, PERMENSOS_9_2025, True), (31, PERMENSOS_9_2025, True),
    ],
)
def test_age_outside_the_range_is_a_warning_not_a_refusal(age: int, rule: AgeRule, warned: bool) -> None:
    m = member(birth_date=born_aged(age), guardian_name="Ibu Euis", consent_on=TODAY)
    checked = result(m, age_rule=rule)
    assert checked.ok
    assert ("age_outside_rule" in {w.code for w in checked.warnings}) is warned


def test_switching_the_file_to_the_2025_rule_warns_about_a_40_year_old(village_session: Session) -> None:
    forty = member(birth_date=born_aged(40))
    assert not [w for w in service.check_member(village_session, forty, TODAY).warnings]
    service.set_age_rule(village_session, "permensos_9_2025")
    assert service.age_rule(village_session) == PERMENSOS_9_2025
    codes = {w.code for w in service.check_member(village_session, forty, TODAY).warnings}
    assert codes == {"age_outside_rule"}


# -- officers and consent ---------------------------------------------------------------------
def test_an_officer_under_17_is_refused() -> None:
    young = member(birth_date=born_aged(16), position="sekretaris",
                   guardian_name="Bapak Ujang", guardian_relation="Ayah", consent_on=TODAY)
    assert error_fields(young) == {"position": "officer_too_young"}
    old_enough = member(birth_date=born_aged(17), position="sekretaris",
                        guardian_name="Bapak Ujang", consent_on=TODAY)
    assert error_fields(old_enough) == {}


def test_an_officer_appointed_at_16_is_refused_even_when_17_now() -> None:
    m = member(birth_date=born_aged(17), position="bendahara",
               position_start=TODAY - dt.timedelta(days=365), guardian_name="Ibu Imas",
               consent_on=TODAY)
    assert error_fields(m) == {"position": "officer_too_young"}


def test_a_seksi_position_needs_its_seksi() -> None:
    assert error_fields(member(position="ketua_seksi")) == {"seksi": "seksi_required"}
    assert error_fields(member(position="ketua_seksi", seksi="Lingkungan Hidup")) == {}


def test_under_18_without_consent_cannot_be_saved() -> None:
    child = member(birth_date=born_aged(15))
    assert error_fields(child) == {"guardian_name": "consent_required"}
    assert error_fields(member(birth_date=born_aged(15), guardian_name="Ibu Euis")) == {
        "consent_on": "consent_date_required"
    }
    assert error_fields(
        member(birth_date=born_aged(15), guardian_name="Ibu Euis", consent_on=TODAY)
    ) == {}
    assert error_fields(member(birth_date=born_aged(18))) == {}


def test_a_member_who_left_needs_date_and_reason() -> None:
    assert error_fields(member(status="keluar")) == {
        "left_on": "left_on_required", "left_reason": "left_reason_required"
    }
    assert error_fields(member(status="keluar", left_on=TODAY, left_reason="pindah")) == {}


def test_name_birth_date_and_sex_are_required() -> None:
    assert error_fields(Member(nik_missing_reason="x")) == {
        "name": "name_required", "birth_date": "birth_date_required", "sex": "sex_required"
    }


def test_an_empty_nik_needs_a_reason() -> None:
    assert error_fields(member(nik_missing_reason="")) == {"nik": "nik_required"}


def test_first_refusal_is_raised_with_its_field() -> None:
    from kt_desktop.domain.members import validate

    with pytest.raises(ValidationError) as caught:
        validate(normalize(member(name="", birth_date=born_aged(15))), RuleContext(today=TODAY))
    assert caught.value.field == "name"


# -- the register: duplicates and namesakes ------------------------------------------------------------
def test_same_nik_twice_in_the_village_is_refused_naming_the_member(village_session: Session) -> None:
    first = service.save(
        village_session,
        Member(name="Euis Rahmawati", nik="3604225708010004", sex="P", birth_date=dt.date(2001, 8, 17)),
        today=TODAY,
    )
    assert first.created
    with pytest.raises(ValidationError) as caught:
        service.save(
            village_session,
            Member(name="Euis R.", nik="3604-2257-0801-0004", sex="P", birth_date=dt.date(2001, 8, 17)),
            today=TODAY,
        )
    assert caught.value.field == "nik" and caught.value.code == "duplicate_nik"
    assert "Euis Rahmawati" in caught.value.message
    # Saving the first member again is not a duplicate of itself.
    again = service.get(village_session, first.id)
    again.phone = "0812 3456 7890"
    service.save(village_session, again, today=TODAY)
    assert service.get(village_session, first.id).phone == "081234567890"


def test_same_name_and_birth_date_warns_with_the_other_member(village_session: Session) -> None:
    born = born_aged(22)
    first = service.save(village_session, member(birth_date=born), today=TODAY)
    with pytest.raises(service.NeedsConfirmation) as caught:
        service.save(village_session, member(name="asep  sopandi", birth_date=born), today=TODAY)
    (warning,) = caught.value.warnings
    assert warning.code == "same_name_birth"
    assert warning.related_member_id == first.id
    saved = service.save(village_session, member(birth_date=born), confirm=True, today=TODAY)
    assert saved.created and saved.id != first.id


def test_confirming_a_nik_mismatch_is_remembered(village_session: Session) -> None:
    m = Member(name="Dede", nik="3604221708010003", sex="L", birth_date=dt.date(2001, 8, 18))
    with pytest.raises(service.NeedsConfirmation) as caught:
        service.save(village_session, m, today=TODAY)
    assert [w.code for w in caught.value.warnings] == ["nik_birth_mismatch"]
    saved = service.save(village_session, m, confirm=True, today=TODAY)
    assert service.get(village_session, saved.id).confirmed_mismatch is True


# -- phones ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "typed,stored",
    [
        ("0812-3456-7890", "081234567890"), ("+62 812 3456 7890", "081234567890"),
        ("6281234567890", "081234567890"), ("81234567890", "081234567890"),
        ("(0254) 123456", "0254123456"), ("", ""),
    ],
)
def test_phone_numbers_are_normalised(typed: str, stored: str) -> None:
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize("typed", ["0812", "phone", "08123456789012345"])
def test_a_phone_that_is_no_phone_is_refused(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_phone(typed)
    assert caught.value.field == "phone"


def test_rt_and_rw_are_written_with_three_digits() -> None:
    m = normalize(member(rt="2", rw="13"))
    assert (m.rt, m.rw) == ("002", "013")
    assert error_fields(member(rt="2a")) == {"rt": "bad_rt_rw"}
