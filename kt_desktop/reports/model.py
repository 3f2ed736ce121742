"""What each printed report shows, as plain dataclasses a service fills.

The report modules only turn these into pages; they never query anything. Keeping the data
apart from the layout means the services can be tested without reportlab, and the layout
without a data file. This module must not import reportlab (``import reportlab`` costs a
quarter of a second, and services import this module at start-up).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kt_desktop import regions
from kt_desktop.domain.activities import MonthFigures
from kt_desktop.domain.profile import Profile, max_length
from kt_desktop.domain.text import clean_text, fit
from kt_desktop.i18n import _

# -- shared by every report ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Letterhead:
    """The kop surat: who is writing, where, and how to reach them."""

    name: str  # "Karang Taruna Tunas Harapan", as typed in the profile
    village_kind: str  # "desa" or "kelurahan" (from the Kemendagri code)
    village: str  # "Baros"
    kecamatan: str  # "Baros"
    regency: str  # "Kabupaten Serang" / "Kota Serang" (with its word)
    province: str  # "Banten"
    address: str  # "Jl. Raya Baros No. 12, RT 002/RW 003, Kampung Cilaku, Kode Pos 42173"
    contact: str  # "Telepon 0812-3456-7890 · E-mail kt@example.id"
    logo: bytes | None = None

    @property
    def org_title(self) -> str:
        """``KARANG TARUNA TUNAS HARAPAN``: the name in capitals, the prefix added if missing."""
        name = self.name.strip()
        if not name.casefold().startswith("karang taruna"):
            name = f"Karang Taruna {name}"
        return name.upper()

    @property
    def village_word(self) -> str:
        return "Kelurahan" if self.village_kind == "kelurahan" else "Desa"

    @property
    def place_line(self) -> str:
        """``DESA BAROS KECAMATAN BAROS`` (the second line of the kop)."""
        return f"{self.village_word} {self.village} Kecamatan {self.kecamatan}".upper()


@dataclass(frozen=True, slots=True)
class Signatories:
    """Who signs: Ketua and Sekretaris (or the Bendahara, for money), and the Kepala
    Desa/Lurah who acknowledges."""

    place: str  # where it is signed: the village's name
    date: dt.date
    ketua: str
    sekretaris: str
    village_head: str  # the Kepala Desa's or Lurah's name ("" leaves a line to write on)
    village_kind: str  # "desa" or "kelurahan"
    village: str
    bendahara: str = ""  # signs the cash book and the money reports beside the Ketua

    @property
    def village_head_title(self) -> str:
        """``Kepala Desa Baros`` or ``Lurah Cipare``: a kelurahan is led by a Lurah."""
        if self.village_kind == "kelurahan":
            return _("Lurah of {village}").format(village=self.village)
        return _("Village Head of {village}").format(village=self.village)


def village_of(code: str) -> tuple[str, str, str, str, str]:
    """(kind, village, kecamatan, kabupaten/kota, province) for a village code; blanks if unknown."""
    chain = regions.parents(code)  # ends with the region itself; parents() stays light
    names = {region.level: region.name for region in chain}
    village = chain[-1] if chain else None
    kind = village.kind if village is not None and village.level == 4 else "desa"
    regency = names.get(2, "")
    if regency and not regency.casefold().startswith(("kabupaten ", "kota ")):
        regency = f"{'Kota' if chain[1].kind == 'kota' else 'Kabupaten'} {regency}"
    return kind, names.get(4, ""), names.get(3, ""), regency, names.get(1, "")


#: The address and contact lines of the kop, each built from several profile fields.
ADDRESS_CHARS = 300


def drawn_field(profile: Profile, name: str) -> str:
    """A profile field as a report draws it: one line, cut (with an ellipsis) to the length
    the profile form allows. An older file can hold a longer value, and a Ketua's name of
    3,000 characters made reportlab give up on every report (LayoutError)."""
    return fit(clean_text(getattr(profile, name)), max_length(name))


def letterhead_for(profile: Profile) -> Letterhead:
    """The kop surat of ``profile``'s Karang Taruna: names from the Kemendagri list."""
    kind, village, kecamatan, regency, province = village_of(profile.village_code)
    street_parts = [profile.street.strip()]
    if profile.rt.strip() or profile.rw.strip():
        street_parts.append(
            _("RT {rt}/RW {rw}").format(rt=profile.rt.strip() or "-", rw=profile.rw.strip() or "-")
        )
    street_parts.append(profile.dusun.strip())
    if profile.postal_code.strip():
        street_parts.append(_("Postal code {code}").format(code=profile.postal_code.strip()))
    contact_parts = []
    if profile.phone.strip():
        contact_parts.append(_("Telephone {phone}").format(phone=profile.phone.strip()))
    if profile.email.strip():
        contact_parts.append(_("E-mail {email}").format(email=profile.email.strip()))
    return Letterhead(
        name=drawn_field(profile, "name"),
        village_kind=kind,
        village=village,
        kecamatan=kecamatan,
        regency=regency,
        province=province,
        address=fit(", ".join(part for part in street_parts if part), ADDRESS_CHARS),
        contact=fit(" · ".join(contact_parts), ADDRESS_CHARS),
        logo=profile.logo or None,
    )


def signatories_for(profile: Profile, on: dt.date) -> Signatories:
    kind, village, _kecamatan, _regency, _province = village_of(profile.village_code)
    return Signatories(
        place=village,
        date=on,
        ketua=drawn_field(profile, "ketua"),
        sekretaris=drawn_field(profile, "sekretaris"),
        bendahara=drawn_field(profile, "bendahara"),
        village_head=drawn_field(profile, "kepala_desa"),
        village_kind=kind,
        village=village,
    )


@dataclass(frozen=True, slots=True)
class Identity:
    """The KT's identity block (monthly and annual reports)."""

    name: str
    region_name: str  # "Desa Baros, Kecamatan Baros, Kabupaten Serang, Provinsi Banten"
    village_code: str
    sk_number: str
    sk_date: dt.date | None
    term_start: dt.date | None
    term_end: dt.date | None
    ketua: str
    sekretaris: str
    bendahara: str


def identity_for(profile: Profile) -> Identity:
    return Identity(
        name=drawn_field(profile, "name"),
        region_name=regions.full_name(profile.village_code),
        village_code=profile.village_code,
        sk_number=drawn_field(profile, "sk_number"),
        sk_date=profile.sk_date,
        term_start=profile.term_start,
        term_end=profile.term_end,
        ketua=drawn_field(profile, "ketua"),
        sekretaris=drawn_field(profile, "sekretaris"),
        bendahara=drawn_field(profile, "bendahara"),
    )


@dataclass(frozen=True, slots=True)
class Common:
    """What every report's frame needs: kop, signatures, the print date."""

    letterhead: Letterhead
    signatories: Signatories
    printed_on: dt.date
    #: the sheet the pages are laid out for (``kt_desktop.domain.paper`` key: a4, f4, letter)
    paper: str = "a4"


# -- the figures reports share ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActivityLine:
    """One row of an activity table."""

    start: dt.date
    end: dt.date | None
    title: str
    jenis: str
    place: str
    status: str  # "rencana" | "terlaksana" | "batal"
    participants: int  # members present + non-member volunteers
    beneficiaries: int
    cost: int  # whole rupiah
    sources: tuple[str, ...]  # names of the sumber dana, e.g. ("Swadaya", "Dana Desa")


class BySex:
    """People counted by sex (``male``, ``female`` fields of the dataclass); the total is
    both, wherever a report prints a count of people."""

    __slots__ = ()
    male: int
    female: int

    @property
    def total(self) -> int:
        return self.male + self.female


@dataclass(frozen=True, slots=True)
class BeneficiaryLine(BySex):
    """Beneficiaries of one PPKS category, by sex."""

    code: int
    name: str
    male: int
    female: int


@dataclass(frozen=True, slots=True)
class TrainingLine:
    """One training as the monthly and annual reports summarise it."""

    title: str
    bidang: str
    partner: str
    start: dt.date | None
    end: dt.date | None
    sessions: int  # sessions held in the period
    hours: float
    participants: int
    attendance_pct: float | None  # share of "H" over all marked cells, None when none marked
    graduates: int | None  # None while the training has not ended
    employed: int = 0  # outcomes known so far (annual report)
    business: int = 0


@dataclass(frozen=True, slots=True)
class BandCount(BySex):
    label: str  # "Umur 13–17 tahun"
    male: int
    female: int


@dataclass(frozen=True, slots=True)
class MemberSummary(BySex):
    """Members at the end of the period; who joined and left during it."""

    male: int
    female: int
    joined_male: int
    joined_female: int
    left_male: int
    left_female: int
    bands: tuple[BandCount, ...]

    @property
    def joined(self) -> int:
        return self.joined_male + self.joined_female

    @property
    def left(self) -> int:
        return self.left_male + self.left_female


@dataclass(frozen=True, slots=True)
class Photo:
    image: bytes  # JPEG or PNG as stored (scaled to ≤1600 px by the photo intake)
    caption: str
    activity: str
    date: dt.date | None


@dataclass(frozen=True, slots=True)
class MoneyLine:
    label: str
    count: int
    amount: int


@dataclass(frozen=True, slots=True)
class CashSummary:
    """The laporan kas of a period: the opening balance (per account), what came in and
    went out by category (largest first), the closing balance. The cash book, the monthly
    and the annual report print it the same way (``sections.cash_rows``)."""

    opening: dict[str, int]  # account -> balance before the period
    received: list[tuple[str, int]]  # (category name, amount)
    spent: list[tuple[str, int]]

    @property
    def opening_total(self) -> int:
        return sum(self.opening.values())

    @property
    def received_total(self) -> int:
        return sum(amount for _name, amount in self.received)

    @property
    def spent_total(self) -> int:
        return sum(amount for _name, amount in self.spent)

    @property
    def closing(self) -> int:
        return self.opening_total + self.received_total - self.spent_total


# -- one dataclass per report -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MeetingLine:
    """A meeting held in the month, with who attended (the monthly report)."""

    day: dt.date
    kind: str  # translated
    title: str
    members: int
    guests: int


@dataclass(slots=True)
class MonthlyReport:
    common: Common
    identity: Identity
    year: int
    month: int
    nomor_surat: str
    activities: list[ActivityLine] = field(default_factory=list)
    beneficiaries: list[BeneficiaryLine] = field(default_factory=list)
    trainings: list[TrainingLine] = field(default_factory=list)
    members: MemberSummary | None = None
    photos: list[Photo] = field(default_factory=list)
    photos_omitted: int = 0  # further photos of the month not printed (kept in the file)
    kendala: str = ""
    rencana: str = ""
    meetings: list[MeetingLine] = field(default_factory=list)
    letters_in: int = 0
    letters_out: int = 0
    cash: CashSummary | None = None  # the month's laporan kas, if the cash book is kept

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return month_end(self.year, self.month)

    def count_status(self, status: str) -> int:
        return sum(1 for line in self.activities if line.status == status)


@dataclass(slots=True)
class MemberRow:
    number: int
    name: str
    nik: str  # already masked unless revealed
    sex: str  # "L" / "P"
    birth: str  # "Serang, 17/08/2001"
    age: int | None
    address: str  # "Kp. Cilaku RT 002/RW 003"
    education: str
    occupation: str
    position: str  # jabatan, "" for a plain member
    status: str  # "Aktif" / "Pasif" / "Keluar" (translated label)
    joined: dt.date | None


@dataclass(slots=True)
class MemberRegister:
    common: Common
    rows: list[MemberRow]
    nik_revealed: bool
    include_left: bool
    male: int = 0
    female: int = 0


@dataclass(slots=True)
class AttendanceSheet:
    """A blank Daftar Hadir: names pre-filled, the rest written by hand."""

    common: Common
    heading: str  # "Daftar Hadir Kegiatan" / "Daftar Hadir Rapat" / "Daftar Hadir Pelatihan"
    event: str  # title of the activity or training
    start: dt.date
    end: dt.date | None
    place: str
    details: list[tuple[str, str]]  # further (label, value) lines: kind, session, trainer
    names: list[tuple[str, str]]  # (name, note: the jabatan of an officer, else "")
    spare_rows: int = 10
    trainer: str = ""  # a training's trainer signs beside the Ketua and Sekretaris


@dataclass(frozen=True, slots=True)
class Graduate:
    name: str
    certificate_number: str
    issued_on: dt.date


@dataclass(slots=True)
class CertificateSet:
    common: Common
    training: str
    bidang: str
    partner: str  # mitra/penyelenggara named on the certificate
    partner_signer: str  # who signs for the partner ("" leaves a line)
    partner_signer_title: str  # e.g. "Pelatih" or "Pimpinan BLK Serang"
    start: dt.date | None
    end: dt.date | None
    sessions: int
    hours: float
    graduates: list[Graduate]


@dataclass(frozen=True, slots=True)
class MonthLine(MonthFigures):
    """A line of the yearly report's months table: the month's figures and the month."""

    month: int


@dataclass(slots=True)
class AnnualReport:
    common: Common
    identity: Identity
    year: int
    months: list[MonthLine]
    beneficiaries: list[BeneficiaryLine]
    by_jenis: list[MoneyLine]  # label = jenis, count = activities done, amount = cost
    by_source: list[MoneyLine]  # label = sumber dana, count = activities, amount = total
    trainings: list[TrainingLine]
    members: MemberSummary | None
    nomor_surat: str = ""
    #: the year's work programme beside its realisation (``services.program_kerja.Programme``)
    programme: Any = None
    cash: CashSummary | None = None  # the year's laporan kas, if the cash book is kept


@dataclass(slots=True)
class ActivityRecap:
    common: Common
    start: dt.date
    end: dt.date
    activities: list[ActivityLine]
    by_jenis: list[MoneyLine]
    by_source: list[MoneyLine]


def month_end(year: int, month: int) -> dt.date:
    """The last day of ``month``."""
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)
