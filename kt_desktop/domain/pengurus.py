"""The officers' terms, who holds each position on a day, and whether the SK still runs.

Pure rules over the records of the Buku Data Pengurus (``domain/books/pengurus.py``): the
page, the signature blocks, the printed Susunan Pengurus and Struktur Organisasi, and the
reminder that an SK has run out all read the same answer from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kt_desktop.domain.book import BookRecord
from kt_desktop.domain.books.pengurus import DOC_POSITIONS, POSITIONS, SINGLE
from kt_desktop.domain.members import DOC_POSITION

#: Rank of each position (the order a Susunan Pengurus lists them in).
RANK = {code: number for number, (code, _label) in enumerate(POSITIONS)}
#: An SK that ends within this many days is "ending soon" (time to hold the Musyawarah).
ENDING_SOON_DAYS = 90


def doc_position(position: str, seksi: str = "") -> str:
    """The position as a printed Susunan Pengurus writes it: ``Ketua Seksi Olahraga``."""
    word = DOC_POSITIONS.get(position) or DOC_POSITION.get(position, position)
    return f"{word} {seksi}".strip() if position in ("ketua_seksi", "anggota_seksi") else word


@dataclass(frozen=True, slots=True)
class Officer:
    """One holding: a person in a position of a term, from ``since`` to ``until``."""

    id: str
    position: str
    seksi: str
    name: str
    since: dt.date
    until: dt.date | None
    sk_number: str
    sk_date: dt.date | None
    sk_signer: str
    change: str
    note: str

    @property
    def title(self) -> str:
        return doc_position(self.position, self.seksi)


@dataclass(frozen=True, slots=True)
class Term:
    """A masa bakti and every holding recorded in it."""

    start: dt.date
    end: dt.date
    officers: tuple[Officer, ...]

    @property
    def sk(self) -> Officer | None:
        """The holding whose SK confirmed the term (the first pengukuhan with a number)."""
        confirmed = [o for o in self.officers if o.sk_number and o.change != "paw"]
        return min(confirmed, key=lambda o: (o.sk_date or self.start, RANK.get(o.position, 99)),
                   default=None)

    def holders(self, on: dt.date) -> list[Officer]:
        """Who holds a position on ``on``, in rank order (the seksi in the order first named).

        A holding ends on its ``until`` day, or, for a single-holder position, when a later
        holder of the same position (and seksi) starts: a change within the term replaces
        the earlier officer without a second edit.
        """
        live = [o for o in self.officers if o.since <= on and (o.until is None or o.until > on)]
        latest: dict[tuple[str, str], Officer] = {}
        kept: list[Officer] = []
        for officer in sorted(live, key=lambda o: o.since):
            if officer.position in SINGLE:
                latest[(officer.position, officer.seksi.casefold())] = officer
            else:
                kept.append(officer)
        return sorted([*latest.values(), *kept], key=lambda o: (RANK.get(o.position, 99),
                                                                self._seksi_order(o.seksi),
                                                                o.since, o.name))

    def seksi_names(self) -> list[str]:
        """The seksi of the term in the order they were first recorded."""
        seen: dict[str, str] = {}
        for officer in self.officers:
            if officer.seksi and officer.seksi.casefold() not in seen:
                seen[officer.seksi.casefold()] = officer.seksi
        return list(seen.values())

    def _seksi_order(self, seksi: str) -> int:
        names = [name.casefold() for name in self.seksi_names()]
        return names.index(seksi.casefold()) if seksi.casefold() in names else -1

    def day_in_term(self, today: dt.date) -> dt.date:
        """The day whose holders describe the term: today inside it, else its last day."""
        return min(max(today, self.start), self.end)

    def one_holder(self, position: str, on: dt.date) -> str:
        """The name holding ``position`` on ``on`` ("" when nobody is recorded)."""
        return next((o.name for o in self.holders(on) if o.position == position), "")


def officer_of(record: BookRecord) -> Officer:
    values = record.values
    start = values.get("term_start")
    return Officer(
        id=record.id, position=values.get("position") or "", seksi=values.get("seksi") or "",
        name=values.get("name") or "", since=values.get("since") or start,
        until=values.get("until"), sk_number=values.get("sk_number") or "",
        sk_date=values.get("sk_date"), sk_signer=values.get("sk_signer") or "",
        change=values.get("change") or "pengukuhan", note=values.get("note") or "")


def terms(records: Iterable[BookRecord]) -> list[Term]:
    """Every term recorded, newest first; a term is its (start, end) pair."""
    grouped: dict[tuple[dt.date, dt.date], list[Officer]] = {}
    for record in records:
        start, end = record.get("term_start"), record.get("term_end")
        if start and end:
            grouped.setdefault((start, end), []).append(officer_of(record))
    # stable: officers of one day keep the order they were recorded in (the seksi order)
    return [Term(start, end, tuple(sorted(found, key=lambda o: o.since)))
            for (start, end), found in sorted(grouped.items(), reverse=True)]


def term_on(found: Sequence[Term], day: dt.date) -> Term | None:
    """The term in force on ``day`` (the latest to start, when two overlap)."""
    return next((term for term in found if term.start <= day <= term.end), None)


def latest_term(found: Sequence[Term], day: dt.date) -> Term | None:
    """The term in force on ``day``, else the latest that has started, else the first."""
    started = [term for term in found if term.start <= day]
    return term_on(found, day) or (started[0] if started else (found[-1] if found else None))


@dataclass(frozen=True, slots=True)
class SkValidity:
    """Whether the officers' SK still runs on ``today`` (the hook of "an SK that has run out").

    ``state``: ``"none"`` (no term and no SK recorded anywhere), ``"valid"``, ``"ending"``
    (ends within :data:`ENDING_SOON_DAYS`), ``"expired"`` (the latest term has ended and no
    later one is recorded), ``"future"`` (the only terms recorded have not started).
    """

    state: str
    today: dt.date
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    sk_number: str = ""
    sk_date: dt.date | None = None
    sk_signer: str = ""
    #: where it was read: ``"pengurus"`` (the book) or ``"profile"`` (its SK fields)
    source: str = "pengurus"
    #: holders in force without an SK number (each should have one)
    without_sk: tuple[str, ...] = ()
    #: their records' ids, in the same order (a link opens the record to write its SK)
    without_sk_ids: tuple[str, ...] = ()

    @property
    def days_left(self) -> int | None:
        """Days until the term ends (negative once it has), None when unknown."""
        return (self.term_end - self.today).days if self.term_end else None

    @property
    def expired(self) -> bool:
        return self.state == "expired"


def sk_validity(found: Sequence[Term], today: dt.date) -> SkValidity:
    """The SK of the term in force on ``today`` (or of the latest one), judged on ``today``."""
    term = latest_term(found, today)
    if term is None:
        return SkValidity("none", today)
    sk = term.sk
    holders = term.holders(term.day_in_term(today))
    left = (term.end - today).days
    if term.start > today:
        state = "future"
    elif left < 0:
        state = "expired"
    elif left <= ENDING_SOON_DAYS:
        state = "ending"
    else:
        state = "valid"
    return SkValidity(
        state, today, term.start, term.end, sk.sk_number if sk else "",
        sk.sk_date if sk else None, sk.sk_signer if sk else "",
        without_sk=tuple(o.name for o in holders if not o.sk_number),
        without_sk_ids=tuple(o.id for o in holders if not o.sk_number))


def validity_of_dates(today: dt.date, start: dt.date | None, end: dt.date | None,
                      sk_number: str, sk_date: dt.date | None) -> SkValidity:
    """The same judgement for the profile's SK fields (a file with no officers recorded)."""
    if end is None and not sk_number:
        return SkValidity("none", today, source="profile")
    left = (end - today).days if end else None
    state = ("valid" if left is None or left > ENDING_SOON_DAYS
             else "ending" if left >= 0 else "expired")
    if start and start > today:
        state = "future"
    return SkValidity(state, today, start, end, sk_number, sk_date, source="profile")
