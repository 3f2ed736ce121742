"""Penilaian mandiri and Profil Karang Taruna, and the receiver's ranking of the villages.

The facts are counted per village (``store.assessment``) the same way in a village file and
on a receiver (from what the bundles carried), so a village's own page and the province's
ranking show the same indicators. The rubric is a dated setting kept in the file
(``settings``: ``assessment_rubrics``, a list of rubrics each with the day it starts); the
one in force on the day assessed applies. See ``domain/assessment.py`` for the indicators and
why no official table is used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from kt_desktop import regions
from kt_desktop.domain import assessment as rules
from kt_desktop.domain import clock
from kt_desktop.domain import paper as papers
from kt_desktop.domain.assessment import Assessment, Facts, Rubric
from kt_desktop.domain.books.program_kerja import month_numbers
from kt_desktop.domain.errors import ValidationError
from kt_desktop.i18n import _, official_paper
from kt_desktop.services import completeness
from kt_desktop.services.progress import Progress, no_progress
from kt_desktop.services.session import Session
from kt_desktop.store import assessment as store
from kt_desktop.store import audit as audit_store
from kt_desktop.store import profile as profile_store
from kt_desktop.store import program_kerja as programme_store
from kt_desktop.store import settings
from kt_desktop.store.completeness import last_written, report_months

RUBRIC_SETTING = "assessment_rubrics"
#: A village whose books have had nothing written for this long has gone quiet.
QUIET_DAYS = 90


def period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The twelve months up to ``today`` (the day a year before, excluded)."""
    try:
        start = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 1, day=28)
    return start + dt.timedelta(days=1), today


# -- the rubric (a dated setting) ------------------------------------------------------------


def rubrics(session: Session) -> list[Rubric]:
    """Every rubric of the file, oldest first (the default one when none was set)."""
    return rules.rubrics_from_json(settings.get(session.db(), RUBRIC_SETTING))


def rubric_on(session: Session, day: dt.date) -> Rubric:
    return rules.rubric_on(rubrics(session), day)


def save_rubric(session: Session, rubric: Rubric) -> None:
    """Keep ``rubric`` from its day on (replacing one that starts the same day); audited.
    Assessments of earlier days keep the rubric that was in force then."""
    rubric.check()
    if rubric.since.year < 2000:
        raise ValidationError(_("The rubric's starting day must be in 2000 or later."),
                              field="since", code="bad_rubric")
    kept = [r for r in rubrics(session) if r.since != rubric.since]
    db = session.db()
    with db.atomic():
        settings.put(db, RUBRIC_SETTING, rules.rubrics_to_json([*kept, rubric]))
        audit_store.record(db, "update", "settings", None, actor=session.actor(),
                           detail=f"rubric since {rubric.since.isoformat()}: "
                                  f"{rubric.berkembang}/{rubric.maju}/{rubric.percontohan}")


# -- facts and the assessment ----------------------------------------------------------------


def expected_months(made: set[str], since: dt.date | None, today: dt.date) -> tuple[int, int]:
    """(ended months due since the books began, at most twelve; of them, reported)."""
    missing = completeness.missing_report_months(made, since, today)
    due = len(completeness.missing_report_months(set(), since, today))
    return due, due - len(missing)


def facts(session: Session, village: str, today: dt.date) -> Facts:
    """What the books of ``village`` say, over the twelve months up to ``today``."""
    db = session.db()
    start, end = period(today)
    profile = profile_store.load(db, village)
    active, total, identified = store.member_counts(db, village)
    due, made = expected_months(report_months(db, village), store.books_began(db, village),
                                today)
    states = completeness.book_states(session, today, village)
    done, photo, served, partners, sources = store.done_counts(db, village, start, end)
    planned = realised = 0
    lines = store.programme_lines(db, village, today.year)
    linked = programme_store.linked_activities(db, [line_id for line_id, _m in lines])
    for line_id, months in lines:
        try:
            due_here = sum(1 for month in month_numbers(months) if month <= today.month)
        except ValidationError:
            due_here = 0
        carried = sum(1 for item in linked if item.line_id == line_id
                      and item.status == "terlaksana" and item.start <= today)
        planned += due_here
        realised += min(carried, due_here)
    items, good = store.inventory_counts(db, village)
    return Facts(
        today=today,
        officers_named=sum(1 for name in (profile.ketua, profile.sekretaris, profile.bendahara)
                           if name.strip()) if profile else 0,
        sk_recorded=bool(profile and profile.sk_number.strip()),
        term_end=profile.term_end if profile else None,
        active_members=active,
        members_taking_part=store.members_taking_part(db, village, start, end),
        trainings=store.trainings_started(db, village, start, end),
        secretariat=bool(profile and profile.street.strip()),
        contact=bool(profile and (profile.phone.strip() or profile.email.strip())),
        logo=bool(profile and profile.logo),
        inventory_items=items,
        inventory_good=good,
        reports_expected=due,
        reports_made=made,
        registers=len(states),
        registers_kept=sum(1 for state in states if state.lately),
        done=done,
        done_with_photo=photo,
        done_with_beneficiaries=served,
        members_total=total,
        members_identified=identified,
        partners=partners,
        outside_sources=sources,
        programme_planned=planned,
        programme_done=realised,
    )


def assess(session: Session, today: dt.date | None = None, village: str | None = None
           ) -> Assessment:
    """The self-assessment of this village file (or, on a receiver, of ``village``)."""
    today = today or clock.today()
    code = village or session.code
    return rules.assess(facts(session, code, today), rubric_on(session, today))


@official_paper
def build_profile(session: Session, out_path: Path, *, today: dt.date | None = None,
                  progress: Progress | None = None, paper: str = papers.DEFAULT.key) -> Path:
    """Profil Karang Taruna: identity, officers, the figures of the year and the
    self-assessment with every indicator explained (what a KT submits to the Lomba)."""
    from kt_desktop.reports import profil
    from kt_desktop.services import reports
    from kt_desktop.services.program_kerja import realisation

    progress = progress or no_progress()
    today = today or clock.today()
    profile, out_path = reports._signed_output(session, out_path)
    progress.step(0, 2, _("Reading the books…"))
    result = assess(session, today)
    programme = realisation(session, today.year)
    profil.build(profil.ProfilData(reports._common(profile, today, paper),
                                   reports.model.identity_for(profile), profile, result,
                                   programme), out_path)
    reports.audit_print(session, f"profil: {result.klass} {result.total:.1f}")
    progress.step(2, 2, _("Done."))
    return out_path


# -- the receiver ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VillageScore:
    code: str
    name: str  # "Desa Baros"
    regency: str  # kabupaten/kota code, "36.04"
    kt_name: str
    assessment: Assessment
    last_written: dt.date | None  # the day anything was last written in its books

    def quiet(self, today: dt.date) -> bool:
        return self.last_written is None or (today - self.last_written).days > QUIET_DAYS


def _utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _in_area(code: str, area: str) -> bool:
    return code == area or code.startswith(area + ".")


def _travelling_tables() -> list[str]:
    from kt_desktop.store.sync import SYNC_TABLES

    return [table.name for table in SYNC_TABLES if table.name != "profile"]


def ranking(session: Session, area: str | None = None, *, today: dt.date | None = None
            ) -> list[VillageScore]:
    """Every village of ``area`` (a kabupaten/kota, or the receiver's own area) that sent
    data, best total first (then by name), with the same indicators as its own page."""
    from kt_desktop.services import receiver

    code = receiver.resolve_area(session, area)
    today = today or receiver.today_here()
    db = session.db()
    villages = sorted(v for v in store.villages_with_data(db) if _in_area(v, code))
    last = last_written(db, _travelling_tables())
    scores = []
    for village in villages:
        profile = profile_store.load(db, village)
        written = last.get(village)
        scores.append(VillageScore(
            village, receiver.area_name(village), village[:5],
            profile.name if profile else "", assess(session, today, village),
            receiver.local_day(_utc(written)) if written else None))
    scores.sort(key=lambda s: (-round(s.assessment.total, 1), s.name.casefold(), s.code))
    return scores


def quiet_villages(scores: list[VillageScore], today: dt.date) -> list[VillageScore]:
    """The villages whose books have had nothing written for :data:`QUIET_DAYS` days,
    longest quiet first."""
    return sorted((s for s in scores if s.quiet(today)),
                  key=lambda s: (s.last_written or dt.date.min, s.code))


def regencies(session: Session) -> list[tuple[str, str]]:
    """``(code, name)`` of the kabupaten/kota of the receiver's area (the ranking filter)."""
    from kt_desktop.services import receiver

    own = receiver.require_receiver(session)
    if len(own) >= 5:
        return [(own[:5], receiver.area_name(own[:5]))]
    return [(region.code, receiver.area_name(region.code))
            for region in regions.children(own)]

