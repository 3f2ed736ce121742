"""The NIK, case by case: what it decodes to and what is wrong with it."""

from __future__ import annotations

import datetime as dt

import pytest

from kt_desktop.domain import nik
from kt_desktop.domain.members import Member, RuleContext, check, normalize

TODAY = dt.date(2026, 11, 28)
VILLAGE = "36.04.22.2001"  # Desa in Kecamatan Baros, Kabupaten Serang: NIK prefix 360422


def parse(text: str, **kwargs: object) -> nik.NikResult:
    return nik.parse(text, today=TODAY, village_code=VILLAGE, **kwargs)  # type: ignore[arg-type]


def test_valid_male_nik_decodes_birth_date_sex_and_region() -> None:
    result = parse("3604221708010003")
    assert result.ok and not result.warnings
    assert result.nik == "3604221708010003"
    assert result.birth_date == dt.date(2001, 8, 17)
    assert result.sex == "L"
    assert result.region_prefix == "360422"
    assert result.serial == "0003"


def test_valid_female_nik_has_forty_added_to_the_day() -> None:
    result = parse("3604225708010004")
    assert result.ok
    assert result.birth_date == dt.date(2001, 8, 17)
    assert result.sex == "P"


def test_day_plus_forty_reaches_71_but_not_72() -> None:
    assert parse("3604227108010001").birth_date == dt.date(2001, 8, 31)
    assert parse("3604227208010001").codes() == {"bad_date"}
    # 32 is neither a man's day (1-31) nor a woman's (41-71).
    assert parse("3604223208010001").codes() == {"bad_date"}


@pytest.mark.parametrize(
    "text",
    ["3604223102010001", "3604221713010001", "3604220008010001", "3604222902010001"],
    ids=["31-feb", "month-13", "day-00", "29-feb-2001"],
)
def test_a_date_part_that_is_no_date_is_refused(text: str) -> None:
    result = parse(text)
    assert not result.ok
    assert result.codes() == {"bad_date"}
    assert text[6:12] in result.errors[0].message


def test_29_february_of_a_leap_year_is_a_date() -> None:
    assert parse("3604222902040001").birth_date == dt.date(2004, 2, 29)


def test_century_makes_the_holder_0_to_100_years_old() -> None:
    assert parse("3604221708250001").birth_date == dt.date(2025, 8, 17)
    assert parse("3604221708300001").birth_date == dt.date(1930, 8, 17)
    # 17 Dec 2026 has not come yet: the holder was born in 1926 (99 years old).
    assert parse("3604221712260001").birth_date == dt.date(1926, 12, 17)


def test_serial_0000_is_invalid_when_typed() -> None:
    result = parse("3604221708010000")
    assert result.codes() == {"bad_serial"}
    assert "0001" in result.errors[0].message


@pytest.mark.parametrize("text,count", [("360422170801003", 15), ("36042217080100031", 17)])
def test_wrong_length_names_the_count(text: str, count: int) -> None:
    result = parse(text)
    assert result.codes() == {"wrong_length"}
    assert str(count) in result.errors[0].message


@pytest.mark.parametrize(
    "text",
    ["3604 2217 0801 0003", "3604.2217.0801.0003", "3604-2217-0801-0003", " 360422 170801 0003 "],
)
def test_spaces_dots_and_dashes_are_stripped(text: str) -> None:
    result = parse(text)
    assert result.ok
    assert result.nik == "3604221708010003"


def test_letters_are_refused() -> None:
    result = parse("36042217080100O3")  # a letter O typed for a zero
    assert result.codes() == {"not_digits"}


@pytest.mark.parametrize("text", ["3.60422E+15", "3,60422E+15", "3.604221708E15"])
def test_scientific_notation_is_excel_rounding(text: str) -> None:
    result = parse(text)
    assert result.excel_rounded
    assert "Text" in result.errors[0].message or "Teks" in result.errors[0].message


@pytest.mark.parametrize(
    "text",
    ["3604221708010000", "3604220000000000", "3604221708010000.0"],
    ids=["last-digit-lost", "expanded-3.60422E+15", "float-text"],
)
def test_spreadsheet_nik_ending_in_zeros_that_does_not_decode_is_excel_rounding(text: str) -> None:
    result = parse(text, from_spreadsheet=True)
    assert result.codes() == {"excel_rounded"}


def test_spreadsheet_nik_ending_in_zero_that_decodes_is_accepted() -> None:
    assert parse("3604221708010010", from_spreadsheet=True).ok


def test_unknown_region_is_a_warning_not_a_refusal() -> None:
    result = parse("3604011708010003")  # an old Serang kecamatan code, no longer in the list
    assert result.ok
    assert result.codes() == {"unknown_region"}
    assert "360401" in result.warnings[0].message


def test_nik_from_another_kecamatan_is_a_warning_naming_the_place() -> None:
    result = parse("3201011708010003")
    assert result.ok
    assert result.codes() == {"other_region"}
    assert "Cibinong" in result.warnings[0].message


def test_without_a_village_another_region_is_no_warning() -> None:
    assert not nik.parse("3201011708010003", today=TODAY).warnings


def test_mask_shows_only_the_last_four_digits() -> None:
    masked = nik.mask("3604221708010003")
    assert masked.endswith("0003")
    assert "360422" not in masked
    assert len(masked) == 16
    assert nik.mask("") == ""


def _member(**changes: object) -> Member:
    values: dict[str, object] = {
        "name": "Dede Suryana", "nik": "3604221708010003", "birth_date": dt.date(2001, 8, 17),
        "sex": "L",
    }
    values.update(changes)
    return Member(**values)  # type: ignore[arg-type]


def _codes(member: Member) -> tuple[set[str], set[str]]:
    result = check(normalize(member), RuleContext(today=TODAY, village_code=VILLAGE))
    return {e.code for e in result.errors}, {w.code for w in result.warnings}


def test_typed_birth_date_differing_from_the_nik_needs_confirmation() -> None:
    member = _member(birth_date=dt.date(2001, 8, 18))
    result = check(normalize(member), RuleContext(today=TODAY, village_code=VILLAGE))
    assert result.ok
    (warning,) = result.warnings
    assert warning.code == "nik_birth_mismatch" and warning.needs_confirmation
    assert "17/08/2001" in warning.message and "18/08/2001" in warning.message
    confirmed = normalize(_member(birth_date=dt.date(2001, 8, 18), confirmed_mismatch=True))
    assert not check(confirmed, RuleContext(today=TODAY, village_code=VILLAGE)).unconfirmed


def test_typed_sex_differing_from_the_nik_needs_confirmation() -> None:
    errors, warnings = _codes(_member(sex="P"))
    assert not errors
    assert warnings == {"nik_sex_mismatch"}


def test_matching_birth_date_and_sex_give_no_warning() -> None:
    assert _codes(_member()) == (set(), set())


@pytest.mark.parametrize("text", ["9904221708010003", "0904221708010003", "2004221708010003"])
def test_a_province_that_never_existed_is_refused(text: str) -> None:
    result = parse(text)
    assert result.codes() == {"unknown_province"} and not result.ok
    assert text[:2] in result.errors[0].message


def test_a_real_province_with_an_unknown_kecamatan_stays_a_warning() -> None:
    result = parse("9171994508990003")  # Papua (91), a kecamatan not in the list
    assert result.ok and result.codes() == {"unknown_region"}
