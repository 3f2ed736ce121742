"""The work programme against its realisation: what each line planned and what was done.

A programme line (the ``program-kerja`` book) plans one occurrence per month it names, with a
budget. Its realisation is the activities of the Buku Kegiatan that name it
(``Activity.program_line``): those carried out count, with their dates and their cost (the
funds recorded with them, as the annual report counts cost). The page, the printed Program
Kerja, the annual report and the self-assessment all read :func:`realisation`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from kt_desktop.domain.activities import BATAL, RENCANA, TERLAKSANA
from kt_desktop.domain.book import BookRecord, BookSpec, book
from kt_desktop.domain.books.program_kerja import planned_count
from kt_desktop.services.session import Session
from kt_desktop.store import books as books_store
from kt_desktop.store import program_kerja as store
from kt_desktop.store.books import BookQuery
from kt_desktop.store.program_kerja import LinkedActivity

KEY = "program-kerja"


@dataclass(slots=True)
class LineRealisation:
    """One programme line with the activities that carried it out."""

    line: BookRecord
    planned: int  # occurrences planned: one per month named
    budget: int
    done: list[LinkedActivity] = field(default_factory=list)  # carried out, oldest first
    waiting: int = 0  # linked and still planned
    cancelled: int = 0

    @property
    def cost(self) -> int:
        return sum(item.cost for item in self.done)

    @property
    def realised(self) -> bool:
        return bool(self.done)


@dataclass(slots=True)
class Programme:
    """A year's programme: its lines in the book's order and the totals."""

    year: int | None
    lines: list[LineRealisation]

    @property
    def planned(self) -> int:
        return sum(line.planned for line in self.lines)

    @property
    def done(self) -> int:
        return sum(len(line.done) for line in self.lines)

    @property
    def budget(self) -> int:
        return sum(line.budget for line in self.lines)

    @property
    def cost(self) -> int:
        return sum(line.cost for line in self.lines)

    @property
    def lines_realised(self) -> int:
        return sum(1 for line in self.lines if line.realised)


def _spec() -> BookSpec:
    return book(KEY)


def combine(records: Sequence[BookRecord], linked: Sequence[LinkedActivity]) -> list[LineRealisation]:
    """Each record beside the activities that name it (pure: the receiver reuses it)."""
    lines = {record.id: LineRealisation(record, planned_count(str(record.get("months"))),
                                        int(record.get("budget") or 0)) for record in records}
    for item in linked:
        line = lines.get(item.line_id)
        if line is None:
            continue
        if item.status == TERLAKSANA:
            line.done.append(item)
        elif item.status == RENCANA:
            line.waiting += 1
        elif item.status == BATAL:
            line.cancelled += 1
    return list(lines.values())


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
