"""Members' dues (iuran anggota): a members × months grid, the rate, exemptions, arrears.

Each payment is a cash entry (category ``iuran``) naming the member and the month it pays,
written through the book framework (``services.books.add``/``remove``): it is checked,
audited, refused in a closed month, printed in the cash book and carried in bundles like any
entry. The rate is a setting of the file; an exempt member (a student, someone out of work)
owes nothing. Arrears are the months from January of the year (or the month the member
joined, if later) up to a month, that are neither paid nor exempt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from kt_desktop.domain import paper as papers
from kt_desktop.domain.book import book
from kt_desktop.domain.books.kas import dues_month
from kt_desktop.domain.dues import PAID, Arrear, DuesGrid, DuesMember
from kt_desktop.domain.errors import NotFoundError, ValidationError
from kt_desktop.domain.formats import month_year
from kt_desktop.domain.money import parse_rupiah
from kt_desktop.i18n import _, official_paper
from kt_desktop.services import books
from kt_desktop.services.progress import Progress, no_progress
from kt_desktop.services.session import Session
from kt_desktop.store import audit
from kt_desktop.store import dues as store

CATEGORY = "iuran"


def _month(day: str | None) -> str:
    return day[:7] if day else ""


def rate(session: Session) -> int:
    return store.rate(session.db())


def set_rate(session: Session, amount: str | int) -> int:
    """Set the monthly rate (typed like any amount: ``10.000``, ``Rp 10.000``)."""
    books.require_village(session, book("kas"))
    value = parse_rupiah(amount)
    if value <= 0:
        raise ValidationError(_("The dues rate must be more than zero, e.g. 10.000."),
                              field="rate")
    db = session.db()
    with db.atomic():
        store.put_rate(db, value)
        audit.record(db, "update", "settings", None, actor=session.actor(),
                     detail=f"dues_rate {value}")
    return value


def _member_names(session: Session) -> dict[str, str]:
    return {row[0]: row[1] for row in store.members(session.db())}


def set_exempt(session: Session, member_id: str, reason: str | None) -> None:
    """Exempt a member from dues (``reason``: why), or end the exemption (None)."""
    books.require_village(session, book("kas"))
    if member_id not in _member_names(session):
        raise NotFoundError(_("There is no member with id {id} in the register.").format(
            id=member_id))
    db = session.db()
    with db.atomic():
        found = store.exempt(db)
        if reason is None:
            found.pop(member_id, None)
        else:
            found[member_id] = " ".join(reason.split()) or _("exempt")
        store.put_exempt(db, found)
        audit.record(db, "update", "settings", member_id, actor=session.actor(),
                     detail="dues_exempt " + ("off" if reason is None else "on"))


def grid(session: Session, year: int) -> DuesGrid:
    """The year's grid: members still in the register who were members in that year."""
    db = session.db()
    exempt = store.exempt(db)
    first, last = f"{year:04d}-01", f"{year:04d}-12"
    found = store.paid(db, session.code, first, last)
    members = []
    for member_id, name, status, joined, left in store.members(db):
        joined_month = _month(joined)
        left_month = _month(left) if status == "keluar" else ""
        if status == "keluar" and not left_month:
            left_month = "0000-00"  # left, date unknown: owes nothing
        if (joined_month > last or (left_month and left_month < first)) and not any(
                key[0] == member_id for key in found):
            continue
        members.append(DuesMember(member_id, name, exempt.get(member_id), joined_month,
                                  left_month))
    return DuesGrid(year, store.rate(db), members,
                    {key: amount for key, (amount, _ids) in found.items()},
                    {key: ids for key, (_amount, ids) in found.items()})


def _label(name: str, month: str) -> str:
    day = dt.date.fromisoformat(f"{month}-01")
    return _("Dues of {name}, {month}").format(name=name, month=month_year(day))


def pay(session: Session, member_id: str, months: list[str], *, on: dt.date,
        account: str = "", amount: str | int | None = None) -> list[str]:
    """Record ``member_id``'s dues for each of ``months`` as cash entries dated ``on``;
    returns their ids. Refused: an unknown member, an exempt one, a month already paid,
    no rate set (and no amount given)."""
    spec = book("kas")
    books.require_village(session, spec)
    db = session.db()
    names = _member_names(session)
    if member_id not in names:
        raise NotFoundError(_("There is no member with id {id} in the register.").format(
            id=member_id))
    if member_id in store.exempt(db):
        raise ValidationError(_("{name} is exempt from dues; end the exemption first.")
                              .format(name=names[member_id]), field="member_id")
    value = parse_rupiah(amount) if amount not in (None, "") else store.rate(db)
    if value <= 0:
        raise ValidationError(_("Set the monthly dues rate first (Iuran page, or "
                                "kt-desktop iuran tarif 10.000)."), field="rate")
    wanted = sorted({dues_month(m) for m in months})
    if not wanted:
        raise ValidationError(_("Name at least one month, e.g. 2026-03."), field="dues_month")
    done = store.paid(db, session.code, wanted[0], wanted[-1])
    for month in wanted:
        if done.get((member_id, month), (0, []))[0] > 0:
            raise ValidationError(_("{name} has already paid the dues of {month}.").format(
                name=names[member_id], month=month_year(dt.date.fromisoformat(month + "-01"))),
                field="dues_month", code="already_paid")
    ids = []
    with db.atomic():
        for month in wanted:
            ids.append(books.add(session, spec, {
                "entry_date": on, "description": _label(names[member_id], month),
                "category": CATEGORY, "receipt": value, "account": account,
                "member_id": member_id, "dues_month": month}))
    return ids


def unpay(session: Session, member_id: str, month: str) -> int:
    """Remove the payment of ``month`` typed by mistake (its cash entries); refused in a
    closed month, where a correction (``kas koreksi``) is the way. Returns how many."""
    spec = book("kas")
    month = dues_month(month)
    db = session.db()
    ids = store.paid(db, session.code, month, month).get((member_id, month), (0, []))[1]
    with db.atomic():
        for entry_id in ids:
            books.remove(session, spec, entry_id)
    return len(ids)


def save_grid(session: Session, year: int, changes: Mapping[tuple[str, str], str | None], *,
              on: dt.date) -> int:
    """Save the grid's changed cells in one transaction: ``(month, member_id) -> "L"``
    pays, ``None`` removes the payment. Returns how many cells were saved."""
    db = session.db()
    with db.atomic():
        for (month, member_id), code in sorted(changes.items()):
            if code == PAID:
                pay(session, member_id, [month], on=on)
            else:
                unpay(session, member_id, month)
    return len(changes)


def arrears(session: Session, upto: tuple[int, int]) -> list[Arrear]:
    """Each member's unpaid months of the year of ``upto``, up to that month (by name);
    members who owe nothing are left out."""
    year, month = upto
    sheet = grid(session, year)
    last = f"{year:04d}-{month:02d}"
    found = []
    for member in sheet.members:
        owed = [m for m in sheet.months if m <= last and sheet.owes(member, m)
                and not sheet.is_paid(member.id, m)]
        if owed:
            found.append(Arrear(member.id, member.name, owed, len(owed) * sheet.rate))
    return found


@official_paper
def build_arrears(session: Session, upto: tuple[int, int], out_path: Path, *,
                  today: dt.date | None = None, paper: str = papers.DEFAULT.key,
                  progress: Progress | None = None) -> Path:
    """The printed arrears list up to the month ``upto``, signed by Ketua and Bendahara."""
    from kt_desktop.reports import dues as report
    from kt_desktop.services import reports

    progress = progress or no_progress()
    common, out_path = reports.paper_frame(session, out_path, today, paper)
    progress.step(0, 2, _("Reading the dues…"))
    found = arrears(session, upto)
    report.build(found, dt.date(upto[0], upto[1], 1), rate(session), common, out_path)
    reports.audit_print(session, f"dues arrears {upto[0]:04d}-{upto[1]:02d}: {len(found)} members",
                        table="cash_book")
    progress.step(2, 2, _("Done."))
    return out_path
