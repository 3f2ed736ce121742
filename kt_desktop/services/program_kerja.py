"""The work programme against its realisation: what each line planned and what was done.

A programme line (the ``program-kerja`` book) plans one occurrence per month it names, with a
budget. Its realisation is the activities of the Buku Kegiatan that name it
(``Activity.program_line``): those carried out count, with their dates and their cost (the
funds recorded with them, as the annual report counts cost). The page, the printed Program
Kerja, the annual report and the self-assessment all read :func:`realisation`.
"""

from __future__ import annotations

from collections.abc import Sequence

from kt_desktop.domain.book import BookRecord, BookSpec, book
from kt_desktop.domain.books.program_kerja import LineRealisation, Programme, combine
from kt_desktop.services.session import Session
from kt_desktop.store import books as books_store
from kt_desktop.store import program_kerja as store
from kt_desktop.store.books import BookQuery

KEY = "program-kerja"


def _spec() -> BookSpec:
    return book(KEY)


def realisation(session: Session, year: int | None) -> Programme:
    """The programme of ``year`` (every year when None) with what carried it out."""
    db = session.db()
    spec = _spec()
    if not books_store.exists(db, spec):
        return Programme(year, [])
    records = list(books_store.iter_all(db, spec, BookQuery(year=year)))
    linked = store.linked_activities(db, [record.id for record in records])
    return Programme(year, combine(records, linked))


def register_feed(session: Session, spec: BookSpec, records: Sequence[BookRecord],
                  year: int | None) -> Programme:
    """What the printed Program Kerja needs beyond its lines (``RegisterSpec.feed``)."""
    linked = store.linked_activities(session.db(), [record.id for record in records])
    return Programme(year, combine(records, linked))


def line_choices(session: Session) -> list[tuple[str, str]]:
    """``(id, "2027 · Seksi … · activity")``: the lines an activity may carry out, newest
    year first (the activity form's list and the ``program`` lookup)."""
    db = session.db()
    spec = _spec()
    if not books_store.exists(db, spec):
        return []
    records = sorted(books_store.iter_all(db, spec),
                     key=lambda r: (-int(r.get("year") or 0), str(r.get("section")).casefold(),
                                    str(r.get("activity")).casefold()))
    return [(r.id, f"{r.get('year')} · {r.get('section')} · {r.get('activity')}")
            for r in records]


def line_exists(session: Session, line_id: str) -> bool:
    db = session.db()
    spec = _spec()
    return books_store.exists(db, spec) and books_store.get(db, spec, line_id) is not None


__all__ = ["KEY", "LineRealisation", "Programme", "combine", "line_choices", "line_exists",
           "realisation", "register_feed"]
