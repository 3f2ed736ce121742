"""The officers of the Karang Taruna as the rest of the program needs them.

The Buku Data Pengurus (``domain/books/pengurus.py``) is kept through the book framework;
this module answers what other parts ask of it:

- :func:`signing_profile`: the profile with the Ketua, Sekretaris and Bendahara (and the SK
  and masa bakti) of the term in force, so every signature block and identity block prints
  the officers of the book; the profile's own names when no term is in force.
- :func:`sk_validity`: whether the officers' SK still runs (the hook of "an SK that has run
  out" for the completeness page and reminders).
- :func:`build_struktur`: the printed organisation chart.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from kt_desktop.domain import clock
from kt_desktop.domain import pengurus as rules
from kt_desktop.domain.book import book
from kt_desktop.domain.formats import date_long
from kt_desktop.domain.profile import Profile, max_length
from kt_desktop.i18n import _, official_paper
from kt_desktop.services.completeness import Gap
from kt_desktop.services.progress import Progress, no_progress
from kt_desktop.services.session import Session
from kt_desktop.store import audit
from kt_desktop.store import books as store
from kt_desktop.store import profile as profile_store

SPEC = book("pengurus")


def all_terms(session: Session) -> list[rules.Term]:
    """Every term recorded, newest first (empty when the book has no table yet)."""
    db = session.db()
    if not store.exists(db, SPEC):
        return []
    return rules.terms(store.iter_all(db, SPEC))


def current_term(session: Session, today: dt.date | None = None) -> rules.Term | None:
    """The term in force on ``today`` (None: none recorded covers it)."""
    return rules.term_on(all_terms(session), today or clock.today())


def signing_profile(session: Session, profile: Profile, today: dt.date | None = None
                    ) -> Profile:
    """``profile`` with the officers of the term in force on ``today``: its Ketua,
    Sekretaris and Bendahara, SK number and date and masa bakti. A position nobody holds
    in the book keeps the profile's name; no term in force leaves the profile as it is."""
    today = today or clock.today()
    term = rules.term_on(all_terms(session), today)
    if term is None:
        return profile
    changes: dict[str, object] = {"term_start": term.start, "term_end": term.end}
    for position in ("ketua", "sekretaris", "bendahara"):
        name = term.one_holder(position, today)
        if name:
            changes[position] = name[: max_length(position)]
    sk = term.sk
    if sk is not None:
        changes["sk_number"] = sk.sk_number[: max_length("sk_number")]
        changes["sk_date"] = sk.sk_date
    return dataclasses.replace(profile, **changes)


def sk_validity(session: Session, today: dt.date | None = None) -> rules.SkValidity:
    """Whether the officers' SK runs on ``today``, read from the Buku Data Pengurus, or from
    the profile's SK and masa bakti when the book holds no term.

    ``state`` is ``"none"``, ``"valid"``, ``"ending"`` (within
    ``domain.pengurus.ENDING_SOON_DAYS``), ``"expired"`` or ``"future"``; ``days_left``,
    ``term_end``, ``sk_number`` and ``without_sk`` (holders with no SK number) say more.
    """
    today = today or clock.today()
    found = all_terms(session)
    if found:
        return rules.sk_validity(found, today)
    profile = profile_store.load(session.db())
    if profile is None:
        return rules.SkValidity("none", today, source="profile")
    return rules.validity_of_dates(today, profile.term_start, profile.term_end,
                                   profile.sk_number, profile.sk_date)


def sk_gaps(session: Session, today: dt.date) -> list[Gap]:
    """Kelengkapan Buku's gap "an SK that has run out" (``completeness.GAP_PROVIDERS``): the
    officers' term has ended with no later one recorded, or officers in force have no SK
    number. The first opens a new record of the Buku Data Pengurus (the new term), the
    others the officer's record to write its SK."""
    if not session.is_village:
        return []
    found = sk_validity(session, today)
    gaps = []
    if found.expired and found.term_end is not None:
        gaps.append(Gap("sk_expired", _("An SK pengukuhan that has run out"),
                        _("The masa bakti ended on {date}{number}.").format(
                            date=date_long(found.term_end),
                            number=f" (SK {found.sk_number})" if found.sk_number else ""),
                        "pengurus", "", _("Record the new term")))
    gaps += [Gap("sk_missing", _("Officers without an SK number"), name, "pengurus", record,
                 _("Write the SK"))
             for name, record in zip(found.without_sk, found.without_sk_ids, strict=True)]
    return gaps


@official_paper
def build_struktur(session: Session, out_path: Path, *, year: int | None = None,
                   paper: str = "a4", progress: Progress | None = None,
                   today: dt.date | None = None) -> Path:
    """Print the Struktur Organisasi (A4 landscape) of the term in force (``year``: of the
    term that started that year, or the latest before it)."""
    from kt_desktop.reports.pengurus import build_struktur as draw
    from kt_desktop.services import reports

    progress = progress or no_progress()
    common, out_path = reports.paper_frame(session, out_path, today, paper)
    progress.step(0, 3, _("Reading the book…"))
    db = session.db()
    records = list(store.iter_all(db, SPEC)) if store.exists(db, SPEC) else []
    progress.step(1, 3, _("Laying out the pages…"))
    draw(records, common, out_path, year=year)
    with db.atomic():
        audit.record(db, "print", SPEC.table, None, actor=session.actor(),
                     detail=f"struktur: {len(records)} rows")
    progress.step(3, 3, _("Done."))
    return out_path


def officers_profile(session: Session, profile: Profile, today: dt.date) -> Profile:
    """What Beranda shows and reminds of: the signing officers (:func:`signing_profile`),
    and the masa bakti of the latest term of the book even once it has ended, so the
    reminder that the SK has run out comes from the book when it records terms."""
    shown = signing_profile(session, profile, today)
    validity = sk_validity(session, today)
    if validity.source == "pengurus" and validity.term_end is not None:
        shown = dataclasses.replace(shown, term_start=validity.term_start,
                                    term_end=validity.term_end)
    return shown


def new_officer(session: Session) -> dict[str, Any]:
    """A new officer's form starts in the latest term, with its SK (``BookSpec.prefill``);
    with no term recorded, a five-year masa bakti from today."""
    today = clock.today()
    term = rules.latest_term(all_terms(session), today)
    if term is None:
        return {"term_start": today, "term_end": five_years_on(today)}
    values: dict[str, Any] = {"term_start": term.start, "term_end": term.end}
    if term.sk is not None:
        values.update(sk_number=term.sk.sk_number, sk_date=term.sk.sk_date,
                      sk_signer=term.sk.sk_signer)
    return values


def five_years_on(start: dt.date) -> dt.date:
    """The last day of a masa bakti of five years from ``start`` (29 February: 28th)."""
    try:
        return start.replace(year=start.year + 5) - dt.timedelta(days=1)
    except ValueError:
        return dt.date(start.year + 5, 2, 28)
