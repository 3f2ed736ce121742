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

from kt_desktop.domain import paper as papers
from kt_desktop.domain.book import BookRecord, book
from kt_desktop.domain.money import ActivityFunds
from kt_desktop.i18n import _, official_paper
from kt_desktop.reports.model import CashSummary, Photo
from kt_desktop.services.progress import Progress, no_progress
from kt_desktop.services.session import Session
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


def _proofs(session: Session, records: list[BookRecord]
            ) -> tuple[list[Photo], list[tuple[str, bytes]]]:
    """The files attached to ``records`` for the LPJ's appendix: photos with their proof
    number, description and amount; PDF scans as ``(name, bytes)``."""
    from kt_desktop.domain.formats import rupiah
    from kt_desktop.services import books

    spec = book("kas")
    photos: list[Photo] = []
    scans: list[tuple[str, bytes]] = []
    for record in records:
        for item in books.files(session, spec, record.id):
            data = books.file_data(session, item.id or "")
            if not data:
                continue
            proof = str(record.get("proof_number") or "")
            name = " — ".join(t for t in (proof, str(record.get("description") or "")) if t)
            if item.mime == "application/pdf":
                scans.append((f"{name} ({item.original_name})" if item.original_name
                              else name, data))
                continue
            amount = record.get("receipt") or record.get("expense") or 0
            label = _("Received") if record.get("receipt") else _("Spent")
            photos.append(Photo(data, item.caption or name, f"{name} · {label} {rupiah(amount)}"
                                if item.caption else f"{label} {rupiah(amount)}",
                                record.get("entry_date")))
    return photos, scans


@official_paper
def build_lpj(session: Session, activity_id: str, out_path: Path, *,
              progress: Progress | None = None, today: dt.date | None = None,
              paper: str = papers.DEFAULT.key) -> Path:
    """The LPJ of one activity's funds: kop surat, receipts by source against the plan, every
    expense with its proof, what remains, the amounts in words, signed by the Ketua and the
    Bendahara and acknowledged by the Kepala Desa."""
    from kt_desktop.reports import lpj

    progress = progress or no_progress()
    from kt_desktop.services import reports

    common, out_path = reports.paper_frame(session, out_path, today, paper)
    progress.step(0, 2, _("Reading the activity's funds…"))
    funds = activity_funds(session, activity_id)
    proofs, scans = _proofs(session, [*funds.receipts, *funds.expenses])
    lpj.build(funds, common, out_path, proofs=proofs, scans=scans)
    reports.audit_print(session, f"lpj: {len(funds.receipts) + len(funds.expenses)} entries",
                        table="cash_book", record_id=activity_id)
    progress.step(2, 2, _("Done."))
    return out_path


def cash_summary(session: Session, since: dt.date, until: dt.date) -> CashSummary | None:
    """The laporan kas of the days ``since`` up to ``until`` (excluded), for the monthly
    and the annual report; None while the cash book holds nothing up to ``until``."""
    from kt_desktop.reports.kas import category_sums

    spec, db = book("kas"), session.db()
    opening = store.running_before(db, spec, since)
    sums = store.sums_by(db, spec, "category", since, until)
    if not opening and not sums:
        return None
    return CashSummary(opening,
                       category_sums({c: v.get("receipt", 0) for c, v in sums}, spec),
                       category_sums({c: v.get("expense", 0) for c, v in sums}, spec))


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
    for village, source, amount in receiver.cash_receipts(session, period, code):
        key = (village[:5], source)
        total, villages = found.get(key, (0, set()))
        found[key] = (total + amount, villages | {village})
    return [FundsReceived(regency, receiver.area_name(regency), source,
                          _(labels[source]) if source in labels else source, total,
                          len(villages))
            for (regency, source), (total, villages) in sorted(found.items())]
