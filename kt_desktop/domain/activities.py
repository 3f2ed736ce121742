"""One entry of the Buku Kegiatan: what was done (or planned), with whom, for whom, with what money.

The book records plan and realisation (status ``rencana`` → ``terlaksana``, or ``batal``),
so one record carries both. Beneficiaries are counted, never named: the province wants numbers
by PPKS category × jenis kelamin × age band (:mod:`kt_desktop.domain.ppks`), and counts keep
children's data out of the file. Money is whole Rupiah.

:meth:`Activity.validate` raises the first problem as a :class:`ValidationError` whose
``field`` names the form field to focus.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kt_desktop.domain import ppks
from kt_desktop.domain.errors import ValidationError
from kt_desktop.i18n import N_, _

RENCANA = "rencana"
TERLAKSANA = "terlaksana"
BATAL = "batal"
STATUSES: tuple[str, ...] = (RENCANA, TERLAKSANA, BATAL)
_STATUS_NAMES = {RENCANA: N_("Planned"), TERLAKSANA: N_("Carried out"), BATAL: N_("Cancelled")}

#: Activity kinds the list is seeded with (the kinds of work Karang Taruna usually do); users add their own.
DEFAULT_KINDS: tuple[str, ...] = (
    "Bakti sosial",
    "Pemberian makanan bergizi / PMT balita",
    "Pemeriksaan kesehatan",
    "Santunan",
    "Bedah rumah",
    "Tanggap bencana",
    "Kerja bakti / lingkungan hidup",
    "Olahraga",
    "Seni budaya",
    "Keagamaan / pembinaan mental",
    "Penyuluhan",
    "Usaha ekonomi produktif (UEP)",
    "Rapat",
)

#: The usual Seksi of a desa Karang Taruna, offered as suggestions (free text is allowed).
DEFAULT_SECTIONS: tuple[str, ...] = (
    "Seksi Pelayanan Sosial",
    "Seksi Pendidikan dan Pelatihan",
    "Seksi Usaha Ekonomi Produktif",
    "Seksi Pembinaan Mental",
    "Seksi Publikasi dan Dokumentasi",
    "Seksi Olahraga dan Seni Budaya",
    "Seksi Lingkungan Hidup",
)

SWADAYA = "swadaya"
DANA_DESA = "dana_desa"
CSR = "csr"
DONATUR = "donatur"
PEMDA = "pemda"
LAINNYA = "lainnya"
FUND_SOURCES: tuple[str, ...] = (SWADAYA, DANA_DESA, CSR, DONATUR, PEMDA, LAINNYA)
_FUND_NAMES = {
    SWADAYA: N_("Self-funded (swadaya)"),
    DANA_DESA: N_("Village funds (Dana Desa/APBDes)"),
    CSR: N_("Company CSR/PKBL"),
    DONATUR: N_("Donors"),
    PEMDA: N_("Regional government"),
    LAINNYA: N_("Other"),
}

MAX_TITLE = 200
MAX_TEXT = 200
MAX_CAPTION = 300
#: Guards typing slips (an extra 000): no KT activity is funded with a trillion rupiah.
MAX_AMOUNT = 100_000_000_000
MAX_COUNT = 1_000_000

BeneficiaryKey = tuple[int, str, str]  # (PPKS category, sex L/P, age band)
Counts = Mapping[BeneficiaryKey, int]


def status_label(code: str) -> str:
    return _(_STATUS_NAMES[code])


def fund_label(code: str) -> str:
    return _(_FUND_NAMES[code])


def fund_label_msgid(code: str) -> str:
    """The English msgid of a source of funds (a choice of a book declared elsewhere)."""
    return _FUND_NAMES[code]


@dataclass(slots=True)
class Participant:
    """A member who took part (or was expected to); ``name`` is filled when loaded, for display."""

    member_id: str
    attended: bool = True
    name: str = ""
    id: str | None = None


@dataclass(slots=True)
class Fund:
    source: str
    amount: int
    note: str = ""
    id: str | None = None


@dataclass(slots=True)
class Photo:
    """A documentation photo, already scaled (``services.photos``).

    ``data`` is None for a stored photo whose full image was not loaded (the form shows the
    thumbnail only); ``sha256`` is of the original file, so the same file is recognised again.
    """

    sha256: str
    mime: str
    width: int
    height: int
    thumbnail: bytes = field(repr=False)
    data: bytes | None = field(default=None, repr=False)
    caption: str = ""
    original_name: str = ""
    id: str | None = None


@dataclass(slots=True)
class Activity:
    title: str = ""
    kind: str = ""
    status: str = RENCANA
    start: dt.date | None = None
    end: dt.date | None = None
    place: str = ""
    section: str = ""
    partner: str = ""
    campaign: str = ""
    description: str = ""
    funds: list[Fund] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)
    volunteers: int = 0
    beneficiaries: dict[BeneficiaryKey, int] = field(default_factory=dict)
    photos: list[Photo] = field(default_factory=list)
    #: the line of the work programme (Program Kerja) this activity carries out, or ""
    program_line: str = ""
    id: str | None = None
    version: int = 0

    # -- derived ---------------------------------------------------------------------------
    @property
    def last_day(self) -> dt.date | None:
        """The end date, or the start date for a one-day activity."""
        return self.end or self.start

    def funds_total(self) -> int:
        return sum(fund.amount for fund in self.funds)

    def attended_count(self) -> int:
        return sum(1 for participant in self.participants if participant.attended)

    def beneficiaries_total(self) -> int:
        return grand_total(self.beneficiaries)

    # -- rules -----------------------------------------------------------------------------
    def validate(self, today: dt.date) -> None:
        """Refuse the first thing that would make a wrong entry in the book."""
        if not self.title.strip():
            raise ValidationError(_("The title of the activity is required."), field="title")
        if len(self.title.strip()) > MAX_TITLE:
            raise ValidationError(
                _("The title is too long (at most {n} characters).").format(n=MAX_TITLE),
                field="title",
            )
        if not self.kind.strip():
            raise ValidationError(_("Choose or type the kind of activity."), field="kind")
        for name, value in (
            ("kind", self.kind), ("place", self.place), ("section", self.section),
            ("partner", self.partner), ("campaign", self.campaign),
        ):
            if len(value.strip()) > MAX_TEXT:
                raise ValidationError(
                    _("This field is too long (at most {n} characters).").format(n=MAX_TEXT),
                    field=name,
                )
        if self.status not in STATUSES:
            raise ValidationError(_("Choose the status of the activity."), field="status")
        if self.start is None:
            raise ValidationError(_("The start date is required."), field="start")
        if self.end is not None and self.end < self.start:
            raise ValidationError(
                _("The end date cannot be before the start date."), field="end"
            )
        last = self.last_day
        if self.status == TERLAKSANA and last is not None and last > today:
            raise ValidationError(
                _(
                    "An activity that has not ended yet cannot be marked as carried out: "
                    "keep it as planned, or correct the dates."
                ),
                field="status",
            )
        self._validate_participants()
        self._validate_beneficiaries()
        self._validate_funds()
        for photo in self.photos:
            if len(photo.caption) > MAX_CAPTION:
                raise ValidationError(
                    _("A photo caption is too long (at most {n} characters).").format(
                        n=MAX_CAPTION
                    ),
                    field="photos",
                )
        seen_photos: set[str] = set()
        for photo in self.photos:
            if photo.sha256 in seen_photos:
                raise ValidationError(
                    _("The same photo is attached twice."), field="photos", code="duplicate_photo"
                )
            seen_photos.add(photo.sha256)

    def _validate_participants(self) -> None:
        if not 0 <= self.volunteers <= MAX_COUNT:
            raise ValidationError(
                _("The number of volunteers must be 0 or more."), field="volunteers"
            )
        seen: set[str] = set()
        for participant in self.participants:
            if participant.member_id in seen:
                raise ValidationError(
                    _("{name} is listed twice among the participants.").format(
                        name=participant.name or participant.member_id
                    ),
                    field="participants",
                )
            seen.add(participant.member_id)

    def _validate_beneficiaries(self) -> None:
        for (code, sex, band), count in self.beneficiaries.items():
            if not ppks.is_category(code) or sex not in ppks.SEXES or band not in ppks.BAND_CODES:
                raise ValidationError(
                    _("Unknown beneficiary group {group}.").format(group=f"{code}/{sex}/{band}"),
                    field="beneficiaries",
                )
            if not isinstance(count, int) or not 0 <= count <= MAX_COUNT:
                raise ValidationError(
                    _("Beneficiary counts must be whole numbers of 0 or more ({group}).").format(
                        group=f"{ppks.category(code).name}, {sex}, {ppks.band_label(band)}"
                    ),
                    field="beneficiaries",
                )

    def _validate_funds(self) -> None:
        for index, fund in enumerate(self.funds, start=1):
            if fund.source not in FUND_SOURCES:
                raise ValidationError(
                    _("Funding row {row}: choose where the money came from.").format(row=index),
                    field="funds",
                )
            if not isinstance(fund.amount, int) or fund.amount < 0:
                raise ValidationError(
                    _("Funding row {row}: the amount must be 0 or more.").format(row=index),
                    field="funds",
                )
            if fund.amount > MAX_AMOUNT:
                raise ValidationError(
                    _("Funding row {row}: the amount {amount} is implausibly large.").format(
                        row=index, amount=fund.amount
                    ),
                    field="funds",
                )


# -- beneficiary totals ---------------------------------------------------------------------
# The grid, the monthly report and the receiver's aggregate all total the same way.


def grand_total(counts: Counts) -> int:
    return sum(counts.values())


def by_category(counts: Counts) -> dict[int, int]:
    """Totals per PPKS category, in category order, only categories with a count."""
    totals: dict[int, int] = {}
    for (code, _sex, _band), count in sorted(counts.items()):
        if count:
            totals[code] = totals.get(code, 0) + count
    return totals


def by_sex(counts: Counts) -> dict[str, int]:
    totals = dict.fromkeys(ppks.SEXES, 0)
    for (_code, sex, _band), count in counts.items():
        totals[sex] += count
    return totals


def by_band(counts: Counts) -> dict[str, int]:
    totals = dict.fromkeys(ppks.BAND_CODES, 0)
    for (_code, _sex, band), count in counts.items():
        totals[band] += count
    return totals


def by_sex_band(counts: Counts) -> dict[tuple[str, str], int]:
    """The totals row of the grid: one cell per (sex, band)."""
    totals = {(sex, band): 0 for sex in ppks.SEXES for band in ppks.BAND_CODES}
    for (_code, sex, band), count in counts.items():
        totals[(sex, band)] += count
    return totals


def category_total(counts: Counts, code: int) -> int:
    return sum(count for (c, _sex, _band), count in counts.items() if c == code)


def categories_in_use(counts: Counts) -> list[int]:
    return sorted({code for (code, _sex, _band), count in counts.items() if count})


def merge_counts(many: Iterable[Counts]) -> dict[BeneficiaryKey, int]:
    """Sum several activities' counts (monthly and aggregate reports)."""
    total: dict[BeneficiaryKey, int] = {}
    for counts in many:
        for key, count in counts.items():
            total[key] = total.get(key, 0) + count
    return total


def without_zeros(counts: Counts) -> dict[BeneficiaryKey, int]:
    """Only the cells that count someone: zeros are not stored."""
    return {key: count for key, count in counts.items() if count}


@dataclass(frozen=True, slots=True)
class MonthFigures:
    """One month's activities by status, and the people and money of those carried out
    (what the store counts per month; the yearly report's line adds the month)."""

    planned: int
    done: int
    cancelled: int
    participants: int
    beneficiaries: int
    cost: int
