"""What the cash book adds beyond the book framework: an activity's funds against their
realisation, and the LPJ (laporan pertanggungjawaban) of that activity.

An activity's planned funds are recorded with the activity (``activity_funds``, by source);
its realisation is the cash entries that name it (``cash_book.activity_id``): receipts by
category (the same codes as the sources) and every expense with its proof number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kt_desktop.domain import clock
from kt_desktop.domain import paper as papers
from kt_desktop.domain.book import book
from kt_desktop.domain.money import ActivityFunds
from kt_desktop.i18n import _, official_paper
from kt_desktop.services.progress import Progress, no_progress
from kt_desktop.services.session import Session
from kt_desktop.store import audit
from kt_desktop.store import books as store
from kt_desktop.store.books import BookQuery


def activity_funds(session: Session, activity_id: str) -> ActivityFunds:
    """The plan of ``activity_id`` beside the cash entries linked to it (date order)."""
    from kt_desktop.services import activities

    activity = activities.get(session, activity_id)  # NotFoundError in Indonesian
    spec = book("kas")
    planned: dict[str, int] = {}
    for fund in activity.funds:
        planned[fund.source] = planned.get(fund.source, 0) + fund.amount
    entries = list(store.iter_all(session.db(), spec, BookQuery(equals={"activity_id": activity_id})))
    receipts = [r for r in entries if r.get("receipt")]
    received: dict[str, int] = {}
    for record in receipts:
        key = str(record.get("category"))
        received[key] = received.get(key, 0) + int(record.get("receipt"))
    return ActivityFunds(activity, planned, received, receipts,
                         [r for r in entries if r.get("expense")])


@official_paper
def build_lpj(session: Session, activity_id: str, out_path: Path, *,
              progress: Progress | None = None, today: dt.date | None = None,
              paper: str = papers.DEFAULT.key) -> Path:
    """The LPJ of one activity's funds: kop surat, receipts by source against the plan, every
    expense with its proof, what remains, the amounts in words, signed by the Ketua and the
    Bendahara and acknowledged by the Kepala Desa."""
    from kt_desktop.reports import lpj
    from kt_desktop.services import reports

    progress = progress or no_progress()
    today = today or clock.today()
    profile = reports._village_profile(session)
    out_path = reports.check_output(out_path)
    progress.step(0, 2, _("Reading the activity's funds…"))
    funds = activity_funds(session, activity_id)
    lpj.build(funds, reports._common(profile, today, paper), out_path)
    db = session.db()
    with db.atomic():
        audit.record(db, "print", "cash_book", activity_id, actor=session.actor(),
                     detail=f"lpj: {len(funds.receipts) + len(funds.expenses)} entries")
    progress.step(2, 2, _("Done."))
    return out_path


@dataclass(frozen=True, slots=True)
class FundsReceived:
    """What one kabupaten/kota's Karang Taruna received from one source in a period."""

    code: str  # the kabupaten/kota's code, "36.04"
    name: str
    source: str  # the cash book's category code: dana_desa, csr, ...
    label: str
    amount: int
    villages: int  # how many villages received it


def receiver_funds(session: Session, period: Any, area: str | None = None
                   ) -> list[FundsReceived]:
    """The receipts of the villages' cash books in ``period`` (a receiver ``Period``), summed
    by kabupaten/kota and source: how much dana desa, CSR, ... reached Karang Taruna work."""
    from kt_desktop.services import receiver

    code = receiver.resolve_area(session, area)
    spec = book("kas")
    labels = dict(spec.field("category").choices)
    found: dict[tuple[str, str], tuple[int, set[str]]] = {}
    for village, source, amount in store.sum_by_village(
            session.db(), spec, "receipt", "category", period.start, period.end, code):
        key = (village[:5], source)
        total, villages = found.get(key, (0, set()))
        found[key] = (total + amount, villages | {village})
    return [FundsReceived(regency, receiver.area_name(regency), source,
                          _(labels[source]) if source in labels else source, total,
                          len(villages))
            for (regency, source), (total, villages) in sorted(found.items())]
