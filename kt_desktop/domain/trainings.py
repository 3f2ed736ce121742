"""Vocational and entrepreneurship trainings (pelatihan): the rules, without storage.

What the province asks of a training is who came, who finished, who got a certificate and
what became of them months later. This module holds those rules so that the store, the
services, the reports and the tests all agree on them:

* **Attendance** uses the Indonesian codes H (hadir), I (izin), S (sakit), A (alpa).
* **Completion** (lulus / tidak lulus) is computed per training from its
  :class:`CompletionRule`: by default a participant passes with attendance of at least 75 %
  of *all* the training's sessions, counting **only H** as present — izin, sakit, alpa and a
  cell not filled in all count as not present (a BLK certificate certifies hours actually
  trained, whatever the excuse). An optional minimum post-test score adds a second condition.
  The secretary may override the computed result, but only with a written reason.
* **Certificates** get numbers in the Indonesian letter format
  ``007/SERT-PLT/KT-TH/XI/2026`` (sequence / kind / KT short name / Roman month / year).
* **Outcomes** are followed up 3 and 6 months after the training ended.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from kt_desktop.domain import nik
from kt_desktop.domain.errors import ValidationError
from kt_desktop.domain.formats import date_short, roman_month
from kt_desktop.i18n import N_, _

#: Seed of the editable list of skill fields. These are data (printed on reports as typed),
#: not interface text, so they are kept in Indonesian; the secretary may type any other.
SKILL_FIELDS: tuple[str, ...] = (
    "Menjahit",
    "Tata boga",
    "Otomotif/bengkel motor",
    "Las",
    "Komputer/desain grafis",
    "Pertanian",
    "Peternakan",
    "Perikanan",
    "Kerajinan",
    "Tata rias",
    "Barista",
)

VOCATIONAL = "vokasional"
ENTREPRENEURSHIP = "kewirausahaan"
#: jenis pelatihan: stored code -> English label (translated where shown).
TRAINING_KINDS: dict[str, str] = {
    VOCATIONAL: N_("Vocational"),
    ENTREPRENEURSHIP: N_("Entrepreneurship"),
}

#: jenis mitra: stored code -> label. "" means no partner.
PARTNER_KINDS: dict[str, str] = {
    "": N_("No partner"),
    "blk": N_("BLK (job training centre)"),
    "dinas": N_("Government office (dinas)"),
    "csr": N_("Company CSR programme"),
    "lainnya": N_("Other partner"),
}

#: sumber dana: stored code -> label; the same codes as the activities' funds
#: (:mod:`kt_desktop.domain.activities`) so that reports can add them up. "" = not recorded
#: (e.g. a free BLK course).
FUNDING_SOURCES: dict[str, str] = {
    "": N_("Not recorded"),
    "swadaya": N_("Self-funded (swadaya)"),
    "dana_desa": N_("Village funds (Dana Desa/APBDes)"),
    "csr": N_("Company CSR/PKBL"),
    "donatur": N_("Donors"),
    "pemda": N_("Regional government"),
    "lainnya": N_("Other"),
}

PRESENT, EXCUSED, SICK, ABSENT = "H", "I", "S", "A"
#: The attendance codes in the order Space cycles through them.
ATTENDANCE_CODES: tuple[str, ...] = (PRESENT, EXCUSED, SICK, ABSENT)
ATTENDANCE_LABELS: dict[str, str] = {
    PRESENT: N_("Present (hadir)"),
    EXCUSED: N_("Excused (izin)"),
    SICK: N_("Sick (sakit)"),
    ABSENT: N_("Absent without notice (alpa)"),
}

SEX_CODES = ("L", "P")

PASSED, FAILED = "lulus", "tidak_lulus"
RESULT_LABELS: dict[str, str] = {PASSED: N_("Passed"), FAILED: N_("Not passed")}

#: The letter code for a training certificate in its number.
CERTIFICATE_KIND = "SERT-PLT"
CERTIFICATE_VALID, CERTIFICATE_RETIRED = "valid", "retired"

#: Follow-up checkpoints, in months after the training ended.
CHECKPOINTS: tuple[int, ...] = (3, 6)
EMPLOYED, SELF_EMPLOYED, FURTHER_TRAINING, NOT_WORKING = (
    "bekerja", "wirausaha", "melanjutkan", "belum_bekerja",
)
OUTCOME_STATUSES: dict[str, str] = {
    EMPLOYED: N_("Employed"),
    SELF_EMPLOYED: N_("Own business"),
    FURTHER_TRAINING: N_("Continuing training"),
    NOT_WORKING: N_("Not working yet"),
}

PLANNED, RUNNING, FINISHED = "planned", "running", "finished"
STATUS_LABELS: dict[str, str] = {
    PLANNED: N_("Upcoming"),
    RUNNING: N_("Running"),
    FINISHED: N_("Finished"),
}

DEFAULT_MIN_ATTENDANCE_PCT = 75
MAX_TEXT = 200
MAX_HOURS = 24.0
MAX_SCORE = 100.0


def status_on(start: dt.date | None, end: dt.date | None, today: dt.date) -> str:
    """Upcoming before the start date, running until the end date, finished after it."""
    if start and today < start:
        return PLANNED
    if end and today > end:
        return FINISHED
    return RUNNING


def _require(value: str, message: str, field_name: str) -> None:
    if not value.strip():
        raise ValidationError(message, field=field_name)


def _limit(value: str, label: str, field_name: str, limit: int = MAX_TEXT) -> None:
    if len(value.strip()) > limit:
        raise ValidationError(
            _("{field} is too long (at most {limit} characters).").format(
                field=label, limit=limit
            ),
            field=field_name,
        )


def _check_score(value: float | None, label: str, field_name: str) -> None:
    if value is not None and not 0 <= value <= MAX_SCORE:
        raise ValidationError(
            _("{field} must be between 0 and 100.").format(field=label), field=field_name
        )


@dataclass(frozen=True, slots=True)
class CompletionRule:
    """When a participant passes: attendance (H only) and optionally a post-test score."""

    min_attendance_pct: int = DEFAULT_MIN_ATTENDANCE_PCT
    min_post_score: float | None = None

    def describe(self) -> str:
        text = _(
            "Passed with attendance (H) of at least {pct} % of all sessions; izin, sakit and "
            "alpa do not count as present."
        ).format(pct=self.min_attendance_pct)
        if self.min_post_score is not None:
            text += " " + _("The post-test score must also be at least {score}.").format(
                score=_score_text(self.min_post_score)
            )
        return text


def _score_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


@dataclass(slots=True)
class Training:
    """One training. Dates are ``datetime.date``; money in whole rupiah."""

    title: str = ""
    skill_field: str = ""
    kind: str = VOCATIONAL
    organizer: str = ""
    partner: str = ""
    partner_kind: str = ""
    trainer: str = ""
    place: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    quota: int = 0
    cost: int = 0
    funding_source: str = ""
    min_attendance_pct: int = DEFAULT_MIN_ATTENDANCE_PCT
    min_post_score: float | None = None
    notes: str = ""
    id: str | None = None
    version: int = 0

    @property
    def rule(self) -> CompletionRule:
        return CompletionRule(self.min_attendance_pct, self.min_post_score)

    def validate(self) -> None:
        """Refuse a training that would print wrong; the first bad field is named."""
        _require(self.title, _("The title of the training is required."), "title")
        _limit(self.title, _("The title"), "title")
        _require(self.skill_field, _("Choose or type the skill field."), "skill_field")
        _limit(self.skill_field, _("The skill field"), "skill_field", 80)
        if self.kind not in TRAINING_KINDS:
            raise ValidationError(
                _("Choose whether the training is vocational or entrepreneurship."), field="kind"
            )
        for value, label, name in (
            (self.organizer, _("The organiser"), "organizer"),
            (self.partner, _("The partner"), "partner"),
            (self.trainer, _("The trainer"), "trainer"),
            (self.place, _("The place"), "place"),
        ):
            _limit(value, label, name)
        if self.partner_kind not in PARTNER_KINDS:
            raise ValidationError(_("Unknown kind of partner."), field="partner_kind")
        if self.partner_kind and not self.partner.strip():
            raise ValidationError(
                _("Give the partner's name (e.g. BLK Serang), or choose 'No partner'."),
                field="partner",
            )
        if self.start_date is None:
            raise ValidationError(_("The start date is required."), field="start_date")
        if self.end_date is None:
            raise ValidationError(_("The end date is required."), field="end_date")
        if self.end_date < self.start_date:
            raise ValidationError(
                _("The end date cannot be before the start date."), field="end_date"
            )
        if self.quota < 0:
            raise ValidationError(_("The quota cannot be negative."), field="quota")
        if self.cost < 0:
            raise ValidationError(_("The cost cannot be negative."), field="cost")
        if self.funding_source not in FUNDING_SOURCES:
            raise ValidationError(_("Unknown source of funds."), field="funding_source")
        if not 1 <= self.min_attendance_pct <= 100:
            raise ValidationError(
                _("The minimum attendance must be between 1 and 100 %."),
                field="min_attendance_pct",
            )
        _check_score(self.min_post_score, _("The minimum post-test score"), "min_post_score")

    def status(self, today: dt.date) -> str:
        return status_on(self.start_date, self.end_date, today)


@dataclass(slots=True)
class TrainingSession:
    """One meeting (pertemuan) of a training."""

    training_id: str
    date: dt.date
    topic: str = ""
    hours: float = 2.0
    id: str | None = None
    version: int = 0

    def validate(self, training: Training) -> None:
        _require(self.topic, _("The topic of the session is required."), "topic")
        _limit(self.topic, _("The topic"), "topic")
        if not 0 < self.hours <= MAX_HOURS:
            raise ValidationError(
                _("The hours of a session must be more than 0 and at most 24."), field="hours"
            )
        if training.start_date and training.end_date and not (
            training.start_date <= self.date <= training.end_date
        ):
            raise ValidationError(
                _(
                    "The session date must fall within the training ({start} – {end}). "
                    "Change the training's dates first if it was extended."
                ).format(
                    start=date_short(training.start_date), end=date_short(training.end_date)
                ),
                field="date",
            )


def clean_nik(text: str, today: dt.date) -> str:
    """The NIK as 16 digits, or "" when none was given; a malformed one is refused.

    Optional for a non-member (some people have none yet), but never a made-up one: a NIK
    that does not decode (length, date part, serial) is refused with what is wrong.
    """
    if not text.strip():
        return ""
    result = nik.parse(text, today=today)
    if result.errors:
        raise ValidationError(result.errors[0].message, field="nik", code="nik")
    return result.nik


@dataclass(slots=True)
class Participant:
    """A member of the register (``member_id``) or a person of the village who is not one.

    For a member only the link is stored: name, sex and birth date come from the register,
    so that nothing here can drift from it. A non-member is recorded with their own details
    and never becomes a member by taking part.
    """

    training_id: str
    member_id: str | None = None
    name: str = ""
    sex: str = ""
    birth_date: dt.date | None = None
    nik: str = ""
    phone: str = ""
    pre_score: float | None = None
    post_score: float | None = None
    result_override: str | None = None
    override_reason: str = ""
    id: str | None = None
    version: int = 0

    @property
    def is_member(self) -> bool:
        return bool(self.member_id)

    def validate(self, today: dt.date) -> None:
        """Refuse the first bad field; a NIK typed with separators is kept as 16 digits."""
        if not self.is_member:
            _require(self.name, _("The participant's name is required."), "name")
            _limit(self.name, _("The name"), "name", 120)
            if self.sex not in SEX_CODES:
                raise ValidationError(_("Choose the sex (L or P)."), field="sex")
            if self.birth_date and self.birth_date > today:
                raise ValidationError(
                    _("The birth date cannot be in the future."), field="birth_date"
                )
            self.nik = clean_nik(self.nik, today)
            phone = self.phone.strip()
            if phone and not re.fullmatch(r"\+?[0-9][0-9 .\-]{5,19}", phone):
                raise ValidationError(
                    _("The phone number may contain only digits, spaces, dots and dashes."),
                    field="phone",
                )
        _check_score(self.pre_score, _("The pre-test score"), "pre_score")
        _check_score(self.post_score, _("The post-test score"), "post_score")
        check_override(self.result_override, self.override_reason)

    def nik_disagreement(self, today: dt.date) -> str | None:
        """What the NIK says that differs from the typed birth date or sex, if anything.

        Not a refusal: KTPs carry mistakes too, so the secretary is asked to confirm.
        """
        if self.is_member or not self.nik.strip():
            return None
        result = nik.parse(self.nik, today=today)
        if result.errors:
            return None
        problems = []
        if result.birth_date and self.birth_date and result.birth_date != self.birth_date:
            problems.append(
                _("the NIK gives the birth date {date}").format(date=date_short(result.birth_date))
            )
        if result.sex and self.sex and result.sex != self.sex:
            problems.append(
                _("the NIK says the person is a woman") if result.sex == "P"
                else _("the NIK says the person is a man")
            )
        if not problems:
            return None
        return _("The NIK does not agree with what was typed: {problems}.").format(
            problems="; ".join(problems)
        )


def check_override(result: str | None, reason: str) -> None:
    """An override of the computed result needs a written reason (the province asks why)."""
    if result is None:
        return
    if result not in RESULT_LABELS:
        raise ValidationError(_("Unknown result."), field="result_override")
    if len(reason.strip()) < 5:
        raise ValidationError(
            _("Write the reason for changing the computed result (at least a few words)."),
            field="override_reason",
        )
    _limit(reason, _("The reason"), "override_reason", 300)


@dataclass(frozen=True, slots=True)
class Completion:
    """The computed and final result of one participant."""

    participant_id: str
    sessions: int
    present: int
    excused: int
    sick: int
    absent: int
    attendance_pct: float | None
    computed_pass: bool
    shortfalls: tuple[str, ...]
    override: str | None
    final_pass: bool
    #: Sessions are still to come: no result yet ("belum selesai"), ``sessions`` counts only
    #: the sessions held so far, so the percentage is of what a participant could attend.
    in_progress: bool = False

    @property
    def unmarked(self) -> int:
        return self.sessions - self.present - self.excused - self.sick - self.absent


def compute_completion(
    rule: CompletionRule,
    participant_id: str,
    session_count: int,
    codes: Iterable[str | None],
    *,
    post_score: float | None = None,
    override: str | None = None,
    in_progress: bool = False,
    planned: int = 0,
) -> Completion:
    """Apply ``rule`` to one participant's attendance ``codes`` (one per session held).

    While ``in_progress`` (sessions still to come) nobody has passed or failed yet: a
    secretary seeing "Tidak lulus" in red for half a training would chase the wrong people,
    so the result is "belum selesai" (a result set by hand still counts) and the attendance
    percentage is over the ``session_count`` sessions held so far.

    The comparison is made in integers (``present * 100 >= pct * sessions``) so that
    exactly 75 % — 6 of 8, 3 of 4 — passes, with no rounding in between. A training with no
    sessions yet passes nobody.
    """
    counts = dict.fromkeys(ATTENDANCE_CODES, 0)
    for code in codes:
        if code in counts:
            counts[code] += 1
    present = counts[PRESENT]
    shortfalls: list[str] = []
    if session_count <= 0:
        pct = None
        shortfalls.append(_("no sessions yet"))
    else:
        pct = present * 100 / session_count
        if present * 100 < rule.min_attendance_pct * session_count:
            shortfalls.append(
                _("attendance below {pct} %").format(pct=rule.min_attendance_pct)
            )
    if rule.min_post_score is not None:
        if post_score is None:
            shortfalls.append(_("no post-test score"))
        elif post_score < rule.min_post_score:
            shortfalls.append(
                _("post-test below {score}").format(score=_score_text(rule.min_post_score))
            )
    if in_progress:
        shortfalls = [_("not finished yet: {held} of {planned} sessions held").format(
            held=max(session_count, 0), planned=planned) if planned else _("not finished yet")]
    computed = not shortfalls
    final = computed if override is None else override == PASSED
    return Completion(
        participant_id=participant_id,
        sessions=max(session_count, 0),
        present=present,
        excused=counts[EXCUSED],
        sick=counts[SICK],
        absent=counts[ABSENT],
        attendance_pct=pct,
        computed_pass=computed,
        shortfalls=tuple(shortfalls),
        override=override,
        final_pass=final,
        in_progress=in_progress,
    )


def normalize_code(text: str | None) -> str | None:
    """``"h"`` -> ``"H"``; empty -> None; anything else is refused with the allowed codes."""
    if text is None or not text.strip():
        return None
    code = text.strip().upper()
    if code not in ATTENDANCE_CODES:
        raise ValidationError(
            _("Unknown attendance code {code}: use H (hadir), I (izin), S (sakit) or A (alpa).")
            .format(code=text.strip()),
            field="attendance",
            code="attendance_code",
        )
    return code


def next_code(code: str | None) -> str | None:
    """The code after ``code`` when Space cycles: empty → H → I → S → A → empty."""
    cycle: list[str | None] = [None, *ATTENDANCE_CODES]
    index = cycle.index(code) if code in cycle else 0
    return cycle[(index + 1) % len(cycle)]


def certificate_prefix(short_name: str) -> str:
    """The KT part of a certificate number: the profile's short name, safe inside a number.

    Slashes separate the parts of the number, so they (and spaces) become dashes; an empty
    short name falls back to ``KT``.
    """
    cleaned = re.sub(r"[\s/]+", "-", short_name.strip()).strip("-").upper()
    return cleaned or "KT"


def certificate_number(sequence: int, short_name: str, issued_on: dt.date) -> str:
    """``007/SERT-PLT/KT-TH/XI/2026``: at least three digits, Roman month of issue, year."""
    if sequence < 1:
        raise ValueError("certificate sequence starts at 1")
    return (
        f"{sequence:03d}/{CERTIFICATE_KIND}/{certificate_prefix(short_name)}/"
        f"{roman_month(issued_on.month)}/{issued_on.year}"
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clamped to the month's end (31 Aug + 6 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(slots=True)
class Outcome:
    """What a graduate did after the training, recorded at a 3- or 6-month follow-up."""

    training_id: str
    participant_id: str
    checkpoint_months: int
    recorded_on: dt.date
    status: str
    detail: str = ""
    monthly_income: int | None = None
    notes: str = ""
    id: str | None = None
    version: int = 0

    def validate(self, graduated_on: dt.date | None, today: dt.date) -> None:
        if self.checkpoint_months not in CHECKPOINTS:
            raise ValidationError(
                _("A follow-up is made after 3 or 6 months."), field="checkpoint_months"
            )
        if self.status not in OUTCOME_STATUSES:
            raise ValidationError(
                _("Choose what the graduate is doing now."), field="status"
            )
        if self.status == EMPLOYED:
            _require(self.detail, _("Write where the graduate works."), "detail")
        elif self.status == SELF_EMPLOYED:
            _require(self.detail, _("Write what business the graduate runs."), "detail")
        _limit(self.detail, _("The description"), "detail")
        if self.monthly_income is not None and self.monthly_income < 0:
            raise ValidationError(
                _("The monthly income cannot be negative."), field="monthly_income"
            )
        if self.recorded_on > today:
            raise ValidationError(
                _("The follow-up date cannot be in the future."), field="recorded_on"
            )
        if graduated_on and self.recorded_on < graduated_on:
            raise ValidationError(
                _("The follow-up date cannot be before the training ended ({date}).").format(
                    date=date_short(graduated_on)
                ),
                field="recorded_on",
            )


@dataclass(frozen=True, slots=True)
class FollowUpDue:
    """A graduate whose 3- or 6-month follow-up is due and not yet recorded."""

    training_id: str
    training_title: str
    participant_id: str
    participant_name: str
    checkpoint_months: int
    due_on: dt.date


@dataclass(slots=True)
class TrainingFilter:
    """What the list shows: all by default; ``year`` matches the start date's year."""

    year: int | None = None
    status: str | None = None  # PLANNED / RUNNING / FINISHED / "followup_due"
    skill_field: str | None = None
    search: str = ""


FOLLOW_UP_DUE = "followup_due"


@dataclass(frozen=True, slots=True)
class TrainingSummary:
    """One line of the trainings list: the training and what it has so far."""

    id: str
    title: str
    skill_field: str
    kind: str
    organizer: str
    partner: str
    start_date: dt.date
    end_date: dt.date
    quota: int
    participants: int
    sessions: int
    certificates: int

    def status(self, today: dt.date) -> str:
        return status_on(self.start_date, self.end_date, today)


@dataclass(frozen=True, slots=True)
class Certificate:
    """A certificate number issued to one participant; retired numbers are never reissued."""

    id: str
    training_id: str
    participant_id: str
    year: int
    sequence: int
    number: str
    issued_on: dt.date
    status: str
    retired_reason: str = ""

    @property
    def is_valid(self) -> bool:
        return self.status == CERTIFICATE_VALID
