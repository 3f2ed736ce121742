"""A member of the Karang Taruna (Buku Induk Anggota) and the rules a record must meet.

Rules come in two kinds, because a secretary must be able to record the village as it is:

* **refusals** (``ValidationError`` with the field to focus): a record that would be wrong or
  unlawful to keep — no name, a NIK that cannot be one, the same NIK twice in the village, an
  officer under 17, a child under 18 without a recorded parental consent (UU 27/2022 PDP);
* **warnings** (:class:`MemberWarning`): things that are unusual but can be true — an age
  outside the configured member range, a NIK first issued elsewhere, a birth date or sex that
  differs from the one the NIK encodes (the secretary confirms which is right), a namesake
  born the same day.

Everything the rules need from the data file (who else has this NIK, namesakes, the age rule
in force) is passed in a :class:`RuleContext`, so this module stays pure and testable.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field, replace

from kt_desktop.domain import nik as nik_rules
from kt_desktop.domain.errors import ValidationError
from kt_desktop.domain.formats import date_short
from kt_desktop.domain.text import clean_fields
from kt_desktop.i18n import N_, _

# -- vocabularies ---------------------------------------------------------------------------
# Codes are stored in the data file; ``*_LABELS`` are English msgids shown through ``_()``;
# ``DOC_*`` are the Indonesian words written into exported spreadsheets whatever the UI
# language, so that a file exported here imports again anywhere.

SEXES = ("L", "P")
SEX_LABELS = {"L": N_("Male"), "P": N_("Female")}

RELIGIONS = ("islam", "kristen", "katolik", "hindu", "buddha", "khonghucu", "kepercayaan")
RELIGION_LABELS = {
    "islam": N_("Islam"),
    "kristen": N_("Christian (Protestant)"),
    "katolik": N_("Catholic"),
    "hindu": N_("Hindu"),
    "buddha": N_("Buddhist"),
    "khonghucu": N_("Confucian (Khonghucu)"),
    "kepercayaan": N_("Indigenous belief (Kepercayaan)"),
}
DOC_RELIGION = {
    "islam": "Islam",
    "kristen": "Kristen",
    "katolik": "Katolik",
    "hindu": "Hindu",
    "buddha": "Buddha",
    "khonghucu": "Khonghucu",
    "kepercayaan": "Kepercayaan terhadap Tuhan YME",
}

EDUCATIONS = ("belum_sekolah", "sd", "smp", "sma", "diploma", "s1", "s2", "s3")
EDUCATION_LABELS = {
    "belum_sekolah": N_("No schooling yet"),
    "sd": N_("Primary school (SD or equal)"),
    "smp": N_("Junior high school (SMP or equal)"),
    "sma": N_("Senior high school (SMA/SMK or equal)"),
    "diploma": N_("Diploma (D1-D3)"),
    "s1": N_("Bachelor (S1/D4)"),
    "s2": N_("Master (S2)"),
    "s3": N_("Doctorate (S3)"),
}
DOC_EDUCATION = {
    "belum_sekolah": "Tidak/Belum Sekolah",
    "sd": "SD/Sederajat",
    "smp": "SMP/Sederajat",
    "sma": "SMA/SMK/Sederajat",
    "diploma": "Diploma (D1-D3)",
    "s1": "S1/D4",
    "s2": "S2",
    "s3": "S3",
}

STATUSES = ("aktif", "pasif", "keluar")
STATUS_LABELS = {"aktif": N_("Active"), "pasif": N_("Passive"), "keluar": N_("Left")}
DOC_STATUS = {"aktif": "Aktif", "pasif": "Pasif", "keluar": "Keluar"}

LEAVE_REASONS = ("pindah", "meninggal", "mengundurkan_diri", "diberhentikan")
LEAVE_REASON_LABELS = {
    "pindah": N_("Moved away"),
    "meninggal": N_("Died"),
    "mengundurkan_diri": N_("Resigned"),
    "diberhentikan": N_("Dismissed"),
}
DOC_LEAVE_REASON = {
    "pindah": "Pindah",
    "meninggal": "Meninggal",
    "mengundurkan_diri": "Mengundurkan diri",
    "diberhentikan": "Diberhentikan",
}

#: Officer positions in order of rank (the order tables sort them in).
POSITIONS = (
    "ketua", "wakil_ketua", "sekretaris", "wakil_sekretaris", "bendahara",
    "ketua_seksi", "anggota_seksi",
)
SEKSI_POSITIONS = ("ketua_seksi", "anggota_seksi")
POSITION_LABELS = {
    "ketua": N_("Chair (Ketua)"),
    "wakil_ketua": N_("Vice chair (Wakil Ketua)"),
    "sekretaris": N_("Secretary (Sekretaris)"),
    "wakil_sekretaris": N_("Vice secretary (Wakil Sekretaris)"),
    "bendahara": N_("Treasurer (Bendahara)"),
    "ketua_seksi": N_("Head of section (Ketua Seksi)"),
    "anggota_seksi": N_("Section member (Anggota Seksi)"),
}
DOC_POSITION = {
    "ketua": "Ketua",
    "wakil_ketua": "Wakil Ketua",
    "sekretaris": "Sekretaris",
    "wakil_sekretaris": "Wakil Sekretaris",
    "bendahara": "Bendahara",
    "ketua_seksi": "Ketua Seksi",
    "anggota_seksi": "Anggota Seksi",
}

#: The seksi a new data file starts with (the usual seksi of a Karang Taruna, Permensos 25/2019); editable per file.
DEFAULT_SEKSI = (
    "Pelayanan Sosial",
    "Pendidikan dan Pelatihan",
    "Usaha Ekonomi Produktif",
    "Pembinaan Mental",
    "Publikasi dan Dokumentasi",
    "Olahraga dan Seni Budaya",
    "Lingkungan Hidup",
)

#: Minimum ages written in the law: officers (Permensos 25/2019) and consent (UU 27/2022).
OFFICER_MIN_AGE = 17
CONSENT_AGE = 18
MAX_AGE = 100


# -- the age rule -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class AgeRule:
    """The member age range in force, with its legal basis, so a report can cite it.

    ``confirmed`` is False for a rule that is reported but was not checked against the
    official text; the settings screen says so next to it.
    """

    min_age: int
    max_age: int
    basis: str
    effective_date: dt.date
    confirmed: bool = True
    key: str = "custom"

    def contains(self, age: int) -> bool:
        return self.min_age <= age <= self.max_age

    def label(self) -> str:
        text = _("{low}-{high} years ({basis}, from {date})").format(
            low=self.min_age, high=self.max_age, basis=self.basis,
            date=date_short(self.effective_date),
        )
        if not self.confirmed:
            text += " \u2014 " + _("reported, not confirmed against the official text")
        return text

    def to_json(self) -> str:
        return json.dumps(
            {
                "key": self.key,
                "min_age": self.min_age,
                "max_age": self.max_age,
                "basis": self.basis,
                "effective_date": self.effective_date.isoformat(),
                "confirmed": self.confirmed,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> AgeRule:
        data = json.loads(text)
        rule = cls(
            min_age=int(data["min_age"]),
            max_age=int(data["max_age"]),
            basis=str(data["basis"]),
            effective_date=dt.date.fromisoformat(data["effective_date"]),
            confirmed=bool(data.get("confirmed", True)),
            key=str(data.get("key", "custom")),
        )
        rule.check()
        return rule

    def check(self) -> None:
        if not 0 <= self.min_age <= self.max_age <= MAX_AGE:
            raise ValidationError(
                _("The member age range must go from a lower to a higher age (0-100)."),
                field="age_rule",
            )


#: Permensos 25/2019 Pasal 18 (Berita Negara 2019 No. 1654). The exact day of enactment was
#: not checked: the year is recorded as 1 January.
PERMENSOS_25_2019 = AgeRule(
    13, 45, "Permensos No. 25 Tahun 2019", dt.date(2019, 1, 1), confirmed=True,
    key="permensos_25_2019",
)
#: Permensos 9/2025 is reported (news, mid-2025) to narrow membership to 16-30; the official
#: text was not available to confirm it, hence ``confirmed=False``.
PERMENSOS_9_2025 = AgeRule(
    16, 30, "Permensos No. 9 Tahun 2025", dt.date(2025, 1, 1), confirmed=False,
    key="permensos_9_2025",
)
AGE_RULE_PRESETS = {rule.key: rule for rule in (PERMENSOS_25_2019, PERMENSOS_9_2025)}
DEFAULT_AGE_RULE = PERMENSOS_25_2019


# -- age bands for the filter row ----------------------------------------------------------------
AGE_BANDS: dict[str, tuple[str, int, int]] = {
    "under13": (N_("Under 13"), 0, 12),
    "13-17": (N_("13-17 years"), 13, 17),
    "18-30": (N_("18-30 years"), 18, 30),
    "31-45": (N_("31-45 years"), 31, 45),
    "over45": (N_("Over 45"), 46, MAX_AGE + 50),
}


def years_before(day: dt.date, years: int) -> dt.date:
    """``day`` moved back ``years`` years (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def birth_range_for_ages(low: int, high: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """Birth dates (exclusive lower, inclusive upper) of people aged ``low``-``high`` today."""
    return years_before(today, high + 1), years_before(today, low)


# -- the record ---------------------------------------------------------------------------
@dataclass(slots=True)
class Member:
    """One line of the Buku Induk Anggota. Dates are ``datetime.date`` or None."""

    name: str = ""
    nik: str = ""
    nik_missing_reason: str = ""
    birth_place: str = ""
    birth_date: dt.date | None = None
    sex: str = ""
    religion: str = ""
    dusun: str = ""
    rt: str = ""
    rw: str = ""
    address: str = ""
    education: str = ""
    occupation: str = ""
    phone: str = ""
    skills: list[str] = field(default_factory=list)
    disability: bool = False
    disability_kind: str = ""
    status: str = "aktif"
    left_on: dt.date | None = None
    left_reason: str = ""
    joined_on: dt.date | None = None
    position: str = ""
    seksi: str = ""
    position_start: dt.date | None = None
    position_end: dt.date | None = None
    guardian_name: str = ""
    guardian_relation: str = ""
    consent_on: dt.date | None = None
    notes: str = ""
    #: The secretary confirmed that the typed birth date/sex are right although the NIK differs.
    confirmed_mismatch: bool = False
    id: str | None = None
    version: int = 0

    def age(self, today: dt.date) -> int | None:
        return nik_rules.age_on(self.birth_date, today) if self.birth_date else None

    @property
    def is_officer(self) -> bool:
        return bool(self.position)

    def position_text(self) -> str:
        """"Ketua Seksi Olahraga dan Seni Budaya" in the UI language; "" for a plain member."""
        return position_text(self.position, self.seksi)

    def copy(self) -> Member:
        return replace(self, skills=list(self.skills))


def position_text(position: str, seksi: str) -> str:
    if not position:
        return ""
    label = _(POSITION_LABELS.get(position, position))
    if position in SEKSI_POSITIONS and seksi:
        prefix = _("Head of section") if position == "ketua_seksi" else _("Section member")
        return f"{prefix} {seksi}"
    return label


def position_doc_text(position: str, seksi: str) -> str:
    """The Indonesian words written to a spreadsheet: "Ketua Seksi Lingkungan Hidup"."""
    if not position:
        return ""
    word = DOC_POSITION.get(position, position)
    return f"{word} {seksi}".strip() if position in SEKSI_POSITIONS else word


@dataclass(frozen=True, slots=True)
class MemberRef:
    """Another member a rule points at (so a warning can link to them)."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class MemberWarning:
    """Something unusual the secretary should see before saving; never blocks on its own.

    ``needs_confirmation`` marks the NIK/birth-date/sex mismatch: the secretary must say the
    typed values are right (``Member.confirmed_mismatch``).
    """

    code: str
    message: str
    field: str | None = None
    related_member_id: str | None = None
    needs_confirmation: bool = False


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """A refusal found while checking a whole record (the form shows each beside its field)."""

    field: str
    code: str
    message: str

    def error(self) -> ValidationError:
        return ValidationError(self.message, field=self.field, code=self.code)


@dataclass(slots=True)
class MemberCheck:
    """Every refusal (in form order) and warning of one record."""

    errors: list[FieldProblem] = field(default_factory=list)
    warnings: list[MemberWarning] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def raise_first(self) -> None:
        if self.errors:
            raise self.errors[0].error()

    @property
    def unconfirmed(self) -> list[MemberWarning]:
        return [w for w in self.warnings if w.needs_confirmation]


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What the rules need to know beyond the record itself (filled by the service)."""

    today: dt.date
    age_rule: AgeRule = DEFAULT_AGE_RULE
    village_code: str | None = None
    #: The other live member of the village holding the same NIK, if any.
    nik_holder: MemberRef | None = None
    #: Other live members with the same name and birth date.
    namesakes: tuple[MemberRef, ...] = ()
    seksi: tuple[str, ...] = DEFAULT_SEKSI
    #: Set by the importer so that Excel's rounding of a NIK is named as such.
    from_spreadsheet: bool = False


# -- normalisation ------------------------------------------------------------------------------
_PHONE_JUNK = re.compile(r"[\s.\-()/\u00a0]+")


def normalize_phone(text: str) -> str:
    """An Indonesian phone number in the national form ``08xx...`` ("" stays "").

    Accepts ``+62 812-3456-7890``, ``62812...``, ``0812 3456 7890`` and ``812...`` (Excel
    drops the leading 0 of a number column). Raises ``ValidationError`` when what is left is
    not 9-13 digits after the leading 0.
    """
    value = _PHONE_JUNK.sub("", text or "")
    if not value:
        return ""
    if value.startswith("+"):
        value = value[1:]
    if value.endswith(".0"):
        value = value[:-2]
    if not value.isascii() or not value.isdigit():
        raise ValidationError(
            _("The phone number \u201c{text}\u201d may only contain digits (and + at the start).")
            .format(text=(text or "").strip()),
            field="phone",
            code="bad_phone",
        )
    if value.startswith("62"):
        value = "0" + value[2:]
    elif value.startswith("8"):
        value = "0" + value
    if not value.startswith("0") or not 10 <= len(value) <= 14:
        raise ValidationError(
            _(
                "\u201c{text}\u201d is not a phone number: write it as 08xx-xxxx-xxxx or "
                "+62 8xx-xxxx-xxxx."
            ).format(text=(text or "").strip()),
            field="phone",
            code="bad_phone",
        )
    return value


def _rt_rw(value: str) -> str:
    """RT/RW as three digits ("2" -> "002"), the way they are written on letters."""
    value = (value or "").strip()
    return value.zfill(3) if value.isdigit() and len(value) <= 3 else value


def normalize(member: Member) -> Member:
    """A copy with whitespace trimmed, RT/RW padded, the phone and NIK cleaned.

    Fields that make no sense for the member's status are emptied (a member who has not left
    has no leaving date); a phone or NIK that cannot be cleaned is left as typed for
    :func:`check` to name.
    """
    # Control characters go first (domain.text): every member write passes here.
    result = clean_fields(member, multiline=("notes",)).copy()
    result.sex = result.sex.upper()
    result.rt, result.rw = _rt_rw(result.rt), _rt_rw(result.rw)
    cleaned = nik_rules.clean(result.nik)
    result.nik = cleaned if cleaned.isdigit() else (result.nik or "").strip()
    if result.nik:
        result.nik_missing_reason = ""
    try:
        result.phone = normalize_phone(result.phone)
    except ValidationError:
        result.phone = (member.phone or "").strip()
    if result.status != "keluar":
        result.left_on, result.left_reason = None, ""
    if not result.position:
        result.seksi, result.position_start, result.position_end = "", None, None
    elif result.position not in SEKSI_POSITIONS:
        result.seksi = ""
    if not result.disability:
        result.disability_kind = ""
    return result


# -- the rules ---------------------------------------------------------------------------------
def check(member: Member, ctx: RuleContext) -> MemberCheck:
    """Every refusal and warning of ``member`` (already :func:`normalize`\\ d), in form order."""
    result = MemberCheck()
    errors, warnings = result.errors, result.warnings
    today = ctx.today

    def refuse(field_name: str, code: str, message: str) -> None:
        errors.append(FieldProblem(field_name, code, message))

    # Identity
    if not member.name:
        refuse("name", "name_required", _("The full name is required."))
    elif len(member.name) > 120:
        refuse("name", "name_too_long", _("The name is longer than 120 characters."))

    decoded: nik_rules.NikResult | None = None
    if member.nik:
        decoded = nik_rules.parse(
            member.nik, today=today, village_code=ctx.village_code,
            from_spreadsheet=ctx.from_spreadsheet,
        )
        for problem in decoded.errors:
            refuse("nik", problem.code, problem.message)
        for problem in decoded.warnings:
            warnings.append(MemberWarning(problem.code, problem.message, "nik"))
        if decoded.ok and ctx.nik_holder is not None:
            refuse(
                "nik",
                "duplicate_nik",
                _("This NIK already belongs to {name}, another member of this village.").format(
                    name=ctx.nik_holder.name
                ),
            )
    elif not member.nik_missing_reason:
        refuse(
            "nik",
            "nik_required",
            _(
                "Type the NIK, or write why there is none yet "
                "(e.g. \u201cbelum memiliki KTP/KK\u201d)."
            ),
        )

    if member.birth_date is None:
        refuse("birth_date", "birth_date_required", _("The date of birth is required."))
    elif member.birth_date > today:
        refuse("birth_date", "birth_in_future", _("The date of birth is in the future."))
    elif nik_rules.age_on(member.birth_date, today) > MAX_AGE:
        refuse(
            "birth_date",
            "too_old",
            _("A date of birth more than 100 years ago is surely a typing mistake."),
        )
    if member.sex not in SEXES:
        refuse("sex", "sex_required", _("Choose the sex: L (male) or P (female)."))

    if decoded is not None and decoded.ok and decoded.birth_date and member.birth_date:
        if decoded.birth_date != member.birth_date:
            warnings.append(
                MemberWarning(
                    "nik_birth_mismatch",
                    _(
                        "The NIK encodes the date of birth {nik_date}, but {typed} was typed. "
                        "Confirm the typed date is right, or correct it."
                    ).format(
                        nik_date=date_short(decoded.birth_date), typed=date_short(member.birth_date)
                    ),
                    "birth_date",
                    needs_confirmation=not member.confirmed_mismatch,
                )
            )
    if decoded is not None and decoded.ok and decoded.sex and member.sex in SEXES:
        if decoded.sex != member.sex:
            warnings.append(
                MemberWarning(
                    "nik_sex_mismatch",
                    _(
                        "The NIK encodes the sex {nik_sex} (day + 40 means female), but "
                        "{typed} was chosen. Confirm it is right, or correct it."
                    ).format(nik_sex=_(SEX_LABELS[decoded.sex]), typed=_(SEX_LABELS[member.sex])),
                    "sex",
                    needs_confirmation=not member.confirmed_mismatch,
                )
            )

    if member.religion and member.religion not in RELIGIONS:
        refuse("religion", "bad_religion", _("Choose the religion from the list."))
    for label, value, name in ((_("RT"), member.rt, "rt"), (_("RW"), member.rw, "rw")):
        if value and (not value.isdigit() or len(value) > 3):
            refuse(name, "bad_rt_rw", _("{field} is a number of at most 3 digits.").format(field=label))
    if member.education and member.education not in EDUCATIONS:
        refuse("education", "bad_education", _("Choose the education from the list."))
    if member.phone:
        try:
            normalize_phone(member.phone)
        except ValidationError as exc:
            refuse("phone", "bad_phone", exc.message)

    # Membership
    if member.status not in STATUSES:
        refuse("status", "bad_status", _("Choose the membership status."))
    if member.joined_on and member.joined_on > today:
        refuse("joined_on", "joined_in_future", _("The date of joining is in the future."))
    if member.joined_on and member.birth_date and member.joined_on < member.birth_date:
        refuse("joined_on", "joined_before_birth", _("The date of joining is before the date of birth."))
    if member.status == "keluar":
        if member.left_on is None:
            refuse("left_on", "left_on_required", _("Give the date the member left."))
        elif member.left_on > today:
            refuse("left_on", "left_in_future", _("The date of leaving is in the future."))
        elif member.joined_on and member.left_on < member.joined_on:
            refuse("left_on", "left_before_joined", _("The date of leaving is before the date of joining."))
        if member.left_reason not in LEAVE_REASONS:
            refuse("left_reason", "left_reason_required", _("Choose why the member left."))

    age = member.age(today) if member.birth_date and member.birth_date <= today else None
    if age is not None and not ctx.age_rule.contains(age) and member.status != "keluar":
        warnings.append(
            MemberWarning(
                "age_outside_rule",
                _("Age {age} is outside the member age range {low}-{high} ({basis}).").format(
                    age=age, low=ctx.age_rule.min_age, high=ctx.age_rule.max_age,
                    basis=ctx.age_rule.basis,
                ),
                "birth_date",
            )
        )

    # Officer position
    if member.position:
        if member.position not in POSITIONS:
            refuse("position", "bad_position", _("Choose the position from the list."))
        elif member.position in SEKSI_POSITIONS and not member.seksi:
            refuse("seksi", "seksi_required", _("Choose the seksi of this position."))
        if member.position_start and member.position_end and member.position_end < member.position_start:
            refuse(
                "position_end", "position_end_before_start",
                _("The end of the position's period is before its start."),
            )
        if member.birth_date and member.birth_date <= today:
            since = member.position_start or today
            officer_age = nik_rules.age_on(member.birth_date, max(since, member.birth_date))
            if officer_age < OFFICER_MIN_AGE:
                refuse(
                    "position",
                    "officer_too_young",
                    _(
                        "An officer (pengurus) must be at least 17 years old (Permensos "
                        "25/2019); this member is {age}."
                    ).format(age=officer_age),
                )

    # Consent for children (UU 27/2022: a child's data needs a parent's or guardian's consent)
    if age is not None and age < CONSENT_AGE:
        if not member.guardian_name:
            refuse(
                "guardian_name",
                "consent_required",
                _(
                    "This member is under 18: write the parent or guardian who agreed to the "
                    "data being recorded (UU 27/2022)."
                ),
            )
        elif member.consent_on is None:
            refuse(
                "consent_on",
                "consent_date_required",
                _("Give the date the parent or guardian agreed."),
            )
    if member.consent_on and member.consent_on > today:
        refuse("consent_on", "consent_in_future", _("The date of consent is in the future."))

    for other in ctx.namesakes:
        warnings.append(
            MemberWarning(
                "same_name_birth",
                _("{name}, born the same day, is already in the register. Is this the same person?")
                .format(name=other.name),
                "name",
                related_member_id=other.id,
            )
        )
    return result


def validate(member: Member, ctx: RuleContext) -> list[MemberWarning]:
    """Raise the first refusal as ``ValidationError``; otherwise return the warnings."""
    result = check(member, ctx)
    result.raise_first()
    return result.warnings


def fill_from_nik(member: Member, today: dt.date) -> list[str]:
    """Take the birth date and sex from a valid NIK where they are missing (imports).

    Returns the names of the fields filled, so the caller can say so.
    """
    if not member.nik:
        return []
    decoded = nik_rules.parse(member.nik, today=today)
    filled = []
    if decoded.ok and decoded.birth_date and member.birth_date is None:
        member.birth_date = decoded.birth_date
        filled.append("birth_date")
    if decoded.ok and decoded.sex and not member.sex:
        member.sex = decoded.sex
        filled.append("sex")
    return filled


# -- list queries ------------------------------------------------------------------------------
#: Columns the register can be sorted by (the store maps each to SQL).
#: Not the NIK: the table shows only its last 4 digits, and an order by the hidden digits
#: would give away the region and birth date.
SORT_KEYS = ("name", "sex", "birth_date", "age", "dusun", "phone", "position", "status")


@dataclass(frozen=True, slots=True)
class MemberQuery:
    """The search text and filters of the register page (all optional)."""

    search: str = ""
    status: str | None = None
    #: A position code, "officer" (any position) or "none" (plain members).
    position: str | None = None
    sex: str | None = None
    age_band: str | None = None
    dusun: str | None = None
    sort: str = "name"
    descending: bool = False

    def is_plain(self) -> bool:
        """True when nothing narrows the list (every live member is in it)."""
        return not (self.search.strip() or self.status or self.position or self.sex
                    or self.age_band or self.dusun)


@dataclass(frozen=True, slots=True)
class MemberRow:
    """One row of the register table: only what the table shows (the NIK's last 4 digits)."""

    id: str
    name: str
    nik_tail: str
    nik_missing: bool
    sex: str
    birth_date: dt.date | None
    dusun: str
    rt: str
    rw: str
    phone: str
    status: str
    position: str
    seksi: str
    joined_on: dt.date | None
