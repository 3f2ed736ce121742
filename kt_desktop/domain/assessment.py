"""Penilaian mandiri: the six aspects of the classification, scored from the books.

Permensos 25/2019 (Pasal 23–24) classes a Karang Taruna as tumbuh, berkembang, maju or
percontohan on six aspects: organisasi dan kepengurusan, SDM, sarana dan prasarana,
administrasi, kemitraan, program kegiatan. **No official scoring table is published**, so the
numbers here are KT Desktop's own reading of the data, every indicator says how it was
computed, and the rubric (targets and the thresholds of each class) is a dated setting a
user may change (:class:`Rubric`).

Pure rules: :class:`Facts` are counted by ``store.assessment`` (the same for a village file
and for each village on a receiver), :func:`assess` turns them into indicators (each scored
0–100), aspect scores (the mean of their indicators), a total (the mean of the six aspects)
and a class.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field

from kt_desktop.domain.errors import ValidationError
from kt_desktop.i18n import N_, _

ORGANISASI, SDM, SARANA, ADMINISTRASI, KEMITRAAN, PROGRAM = (
    "organisasi", "sdm", "sarana", "administrasi", "kemitraan", "program")
ASPECTS: tuple[tuple[str, str], ...] = (
    (ORGANISASI, N_("Organisation and officers")),
    (SDM, N_("Human resources")),
    (SARANA, N_("Facilities")),
    (ADMINISTRASI, N_("Administration")),
    (KEMITRAAN, N_("Partnership")),
    (PROGRAM, N_("Activity programme")),
)
TUMBUH, BERKEMBANG, MAJU, PERCONTOHAN = "tumbuh", "berkembang", "maju", "percontohan"
CLASSES: tuple[tuple[str, str], ...] = (
    (TUMBUH, N_("Tumbuh (growing)")), (BERKEMBANG, N_("Berkembang (developing)")),
    (MAJU, N_("Maju (advanced)")), (PERCONTOHAN, N_("Percontohan (model)")),
)
NO_OFFICIAL_TABLE = N_(
    "No official scoring table for the classification is published (Permensos 25/2019, "
    "Pasal 23–24 name the six aspects only). These scores are KT Desktop's own reading of "
    "your books, under a rubric you may change; they show what to improve, they are not "
    "the official class.")


def aspect_label(key: str) -> str:
    return _(dict(ASPECTS)[key])


def class_label(key: str) -> str:
    return _(dict(CLASSES)[key])


@dataclass(frozen=True, slots=True)
class Rubric:
    """The targets that score full marks and the lowest total of each class, from ``since``.

    Targets: ``members`` active members, ``trainings`` trainings a year, ``partners``
    different partners a year, ``sources`` different outside sources of funds a year,
    ``activities`` activities carried out a year.
    """

    since: dt.date
    berkembang: int = 40
    maju: int = 60
    percontohan: int = 80
    members: int = 50
    trainings: int = 2
    partners: int = 3
    sources: int = 2
    activities: int = 12

    def check(self) -> None:
        if not 0 < self.berkembang < self.maju < self.percontohan <= 100:
            raise ValidationError(_(
                "The lowest scores of the classes must rise: berkembang below maju below "
                "percontohan, each between 1 and 100."), field="berkembang",
                code="bad_rubric")
        for name in ("members", "trainings", "partners", "sources", "activities"):
            if getattr(self, name) < 1:
                raise ValidationError(_("Every target must be at least 1."), field=name,
                                      code="bad_rubric")

    def classify(self, total: float) -> str:
        if total >= self.percontohan:
            return PERCONTOHAN
        if total >= self.maju:
            return MAJU
        if total >= self.berkembang:
            return BERKEMBANG
        return TUMBUH


#: KT Desktop's first rubric (no official one exists; see :data:`NO_OFFICIAL_TABLE`).
DEFAULT_RUBRIC = Rubric(since=dt.date(2019, 1, 1))


def rubrics_to_json(rubrics: list[Rubric]) -> str:
    return json.dumps([{**asdict(r), "since": r.since.isoformat()} for r in rubrics])


def rubrics_from_json(text: str | None) -> list[Rubric]:
    """The stored rubrics, oldest first; the default alone when none (or garbage) is stored."""
    try:
        found = [Rubric(**{**item, "since": dt.date.fromisoformat(item["since"])})
                 for item in json.loads(text or "[]")]
    except (ValueError, TypeError, KeyError):
        found = []
    return sorted(found, key=lambda r: r.since) or [DEFAULT_RUBRIC]


def rubric_on(rubrics: list[Rubric], day: dt.date) -> Rubric:
    """The rubric in force on ``day``: the newest one that had started by then."""
    started = [r for r in sorted(rubrics, key=lambda r: r.since) if r.since <= day]
    return started[-1] if started else sorted(rubrics, key=lambda r: r.since)[0]


@dataclass(frozen=True, slots=True)
class Facts:
    """What the books say about one village over the twelve months up to ``today``."""

    today: dt.date
    officers_named: int = 0  # of ketua, sekretaris, bendahara in the profile
    sk_recorded: bool = False
    term_end: dt.date | None = None
    active_members: int = 0
    members_taking_part: int = 0  # active members present at an activity in the period
    trainings: int = 0  # trainings that started in the period
    secretariat: bool = False  # an address (street) recorded
    contact: bool = False  # a telephone or e-mail recorded
    logo: bool = False
    inventory_items: int = 0  # kinds of items in the Buku Inventaris, not written off
    inventory_good: int = 0  # of those, in good condition
    reports_expected: int = 0  # ended months since the books began (at most 12)
    reports_made: int = 0  # of those, months with a monthly report
    registers: int = 0  # registers measured (core and declared books)
    registers_kept: int = 0  # written in the last 90 days
    done: int = 0  # activities carried out in the period
    done_with_photo: int = 0
    done_with_beneficiaries: int = 0
    members_total: int = 0  # live members
    members_identified: int = 0  # with a NIK, or the reason written why not
    partners: int = 0  # different partners of the activities carried out
    outside_sources: int = 0  # different sources of funds other than swadaya
    programme_planned: int = 0  # this year's programme: occurrences due by this month
    programme_done: int = 0  # of those, carried out (at most the number due per line)


@dataclass(frozen=True, slots=True)
class Indicator:
    key: str
    aspect: str
    title: str  # translated
    score: float  # 0–100
    value: str  # translated: the figures ("9 of 12 months")
    explanation: str  # translated: how it is computed


@dataclass(frozen=True, slots=True)
class Assessment:
    facts: Facts
    rubric: Rubric
    indicators: list[Indicator] = field(default_factory=list)

    def aspect_score(self, aspect: str) -> float:
        scores = [i.score for i in self.indicators if i.aspect == aspect]
        return sum(scores) / len(scores) if scores else 0.0

    @property
    def total(self) -> float:
        return sum(self.aspect_score(key) for key, _label in ASPECTS) / len(ASPECTS)

    @property
    def klass(self) -> str:
        return self.rubric.classify(round(self.total, 1))


def share(part: int, whole: int) -> float:
    """``part`` of ``whole`` as 0–100 (capped), 0 when nothing was due."""
    return min(100.0, 100.0 * part / whole) if whole > 0 else 0.0


def _of(part: int, whole: int) -> str:
    return _("{part} of {whole}").format(part=part, whole=whole)


def assess(facts: Facts, rubric: Rubric) -> Assessment:
    """Every indicator of the six aspects, explained, under ``rubric``."""
    f, r = facts, rubric
    if f.sk_recorded and f.term_end is not None and f.term_end >= f.today:
        from kt_desktop.domain.formats import date_short

        sk_score, sk_value = 100.0, _("in force until {date}").format(
            date=date_short(f.term_end))
    elif f.sk_recorded:
        sk_score, sk_value = 50.0, _("recorded, the masa bakti has ended or is not filled in")
    else:
        sk_score, sk_value = 0.0, _("not recorded")
    items = [
        Indicator("officers", ORGANISASI, _("Core officers named"), share(f.officers_named, 3),
                  _of(f.officers_named, 3),
                  _("Ketua, Sekretaris and Bendahara written in the profile; each is a third.")),
        Indicator("sk", ORGANISASI, _("SK pengukuhan in force"), sk_score, sk_value,
                  _("Full marks for an SK number with a masa bakti that has not ended; half "
                    "for an SK whose masa bakti ended or is missing.")),
        Indicator("members", SDM, _("Active members"), share(f.active_members, r.members),
                  str(f.active_members),
                  _("Active members in the register; {target} or more score full marks.")
                  .format(target=r.members)),
        Indicator("participation", SDM, _("Members taking part"),
                  share(f.members_taking_part, f.active_members),
                  _of(f.members_taking_part, f.active_members),
                  _("Active members present at one activity or more in the last twelve "
                    "months, as a share of the active members.")),
        Indicator("trainings", SDM, _("Trainings held"), share(f.trainings, r.trainings),
                  str(f.trainings),
                  _("Trainings that started in the last twelve months; {target} or more score "
                    "full marks.").format(target=r.trainings)),
        Indicator("secretariat", SARANA, _("Secretariat and contact"),
                  50.0 * f.secretariat + 50.0 * f.contact,
                  _of(int(f.secretariat) + int(f.contact), 2),
                  _("Half for the secretariat's address in the profile, half for a telephone "
                    "number or e-mail.")),
        Indicator("inventory", SARANA, _("Inventory in good condition"),
                  share(f.inventory_good, f.inventory_items),
                  _of(f.inventory_good, f.inventory_items),
                  _("Items of the Buku Inventaris that are not written off, and of those the "
                    "share in good condition (B); nothing recorded scores nothing.")),
        Indicator("logo", SARANA, _("Own logo for the letterhead"), 100.0 * f.logo,
                  _("yes") if f.logo else _("no"),
                  _("The Karang Taruna's logo stored in the profile, printed on every kop "
                    "surat.")),
        Indicator("reports", ADMINISTRASI, _("Monthly reports made"),
                  share(f.reports_made, f.reports_expected),
                  _of(f.reports_made, f.reports_expected),
                  _("Ended months (at most the last twelve, since the books began) for which "
                    "a monthly report was made.")),
        Indicator("books", ADMINISTRASI, _("Books kept"),
                  share(f.registers_kept, f.registers), _of(f.registers_kept, f.registers),
                  _("Registers and books written in during the last 90 days.")),
        Indicator("photos", ADMINISTRASI, _("Activities documented with a photo"),
                  share(f.done_with_photo, f.done), _of(f.done_with_photo, f.done),
                  _("Activities carried out in the last twelve months that have a "
                    "documentation photo.")),
        Indicator("identity", ADMINISTRASI, _("Members with a NIK or its reason"),
                  share(f.members_identified, f.members_total),
                  _of(f.members_identified, f.members_total),
                  _("Members whose NIK is written, or the reason why there is none.")),
        Indicator("partners", KEMITRAAN, _("Partners"), share(f.partners, r.partners),
                  str(f.partners),
                  _("Different partners of the activities carried out in the last twelve "
                    "months; {target} or more score full marks.").format(target=r.partners)),
        Indicator("sources", KEMITRAAN, _("Outside sources of funds"),
                  share(f.outside_sources, r.sources), str(f.outside_sources),
                  _("Different sources of funds other than swadaya (dana desa, CSR, donors, "
                    "the regional government …) of those activities; {target} or more score "
                    "full marks.").format(target=r.sources)),
        Indicator("activities", PROGRAM, _("Activities carried out"),
                  share(f.done, r.activities), str(f.done),
                  _("Activities carried out in the last twelve months; {target} or more score "
                    "full marks.").format(target=r.activities)),
        Indicator("programme", PROGRAM, _("Work programme realised"),
                  share(f.programme_done, f.programme_planned),
                  _of(f.programme_done, f.programme_planned),
                  _("This year's Program Kerja: the planned occurrences due by this month "
                    "that linked activities carried out.")),
        Indicator("beneficiaries", PROGRAM, _("Activities that counted beneficiaries"),
                  share(f.done_with_beneficiaries, f.done),
                  _of(f.done_with_beneficiaries, f.done),
                  _("Activities carried out in the last twelve months with their "
                    "beneficiaries counted (PPKS and others).")),
    ]
    return Assessment(facts, rubric, items)
