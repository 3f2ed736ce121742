"""Demo data of the cash book and the members' dues: a year of money, so the Kas and Iuran
pages, the laporan kas and each activity's LPJ are never empty in the demo village.

What a small Karang Taruna's year of money looks like: dues of most members most months
(a few exempt, a few behind), the funds planned for each activity that was carried out
coming in (dana desa, CSR, donors, swadaya) and being spent with a proof number each, and a
little monthly spending on operations. Everything is written through the services, so the
demo obeys the same rules as a secretary typing.
"""

from __future__ import annotations

import datetime as dt
import random

from kt_desktop.domain import clock
from kt_desktop.domain.activities import TERLAKSANA
from kt_desktop.domain.book import book
from kt_desktop.services import activities, books, dues
from kt_desktop.services.demo_activities import _month_starts
from kt_desktop.services.session import Session
from kt_desktop.store import activities as activity_store
from kt_desktop.store import dues as dues_store

RATE = 10_000
OPERATIONS = (
    ("Fotokopi dan ATK sekretariat", 35_000, 90_000),
    ("Konsumsi rapat pengurus", 60_000, 150_000),
    ("Pulsa dan paket data sekretariat", 25_000, 50_000),
)


def _day(rng: random.Random, start: dt.date, today: dt.date) -> dt.date:
    """A day of ``start``'s month, never after today."""
    last = ((start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)).day
    return min(start.replace(day=rng.randint(1, last)), today)


def fill(session: Session, rng: random.Random, today: dt.date, *, members: int = 150,
         months: int = 12) -> dict[str, int]:
    """Add ``months`` months of cash entries and dues; rows added per table."""
    if months <= 0:
        return {}
    today = min(today, clock.today())  # entries cannot lie in the future
    spec = book("kas")
    db = session.db()
    added = 0
    dues.set_rate(session, RATE)
    register = [row for row in dues_store.members(db) if row[2] == "aktif"]
    for member_id, *_rest in rng.sample(register, min(3, len(register) // 20)):
        dues.set_exempt(session, member_id, "Pelajar, belum bekerja")
    exempt = dues_store.exempt(db)
    late = {row[0] for row in rng.sample(register, len(register) // 6)}
    starts = _month_starts(today, months)
    # demo data added with --force on top of earlier demo data: months paid stay paid
    done = {key for key, (amount, _ids) in dues_store.paid(
        db, session.code, f"{starts[0]:%Y-%m}", f"{starts[-1]:%Y-%m}").items() if amount > 0}
    for start in starts:
        month = f"{start.year:04d}-{start.month:02d}"
        for member_id, _name, _status, joined, _left in register:
            if (member_id in exempt or (joined and joined[:7] > month)
                    or (member_id, month) in done):
                continue
            if member_id in late and start >= starts[-min(3, len(starts))]:
                continue  # behind on the last three months: the arrears list has names
            if rng.random() < 0.9:
                added += len(dues.pay(session, member_id, [month],
                                      on=_day(rng, start, today)))
        for text, low, high in OPERATIONS:
            if rng.random() < 0.7:
                amount = rng.randint(low // 5_000, high // 5_000) * 5_000
                books.add(session, spec, {
                    "entry_date": _day(rng, start, today), "description": text,
                    "category": "operasional", "expense": amount,
                    "proof_number": f"BKK-{start:%y%m}-{rng.randint(1, 99):02d}"})
                added += 1
    added += _activity_money(session, rng, today, starts)
    return {spec.table: added}


def _activity_money(session: Session, rng: random.Random, today: dt.date,
                    starts: list[dt.date]) -> int:
    """Each carried-out activity's planned funds received, and most of them spent."""
    spec = book("kas")
    added = 0
    rows = activity_store.page(session.db(), activity_store.ActivityFilter(), limit=10_000)
    for row in rows:
        if row.status != TERLAKSANA or row.start < starts[0] or row.start > today:
            continue
        activity = activities.get(session, row.id)
        for number, fund in enumerate(activity.funds, 1):
            if fund.amount <= 0:
                continue
            received = min(row.start - dt.timedelta(days=rng.randint(0, 6)), today)
            received = max(received, starts[0])
            books.add(session, spec, {
                "entry_date": received, "description": f"Penerimaan dana {activity.title}",
                "category": fund.source, "receipt": fund.amount,
                "proof_number": f"BKM-{row.start:%y%m}-{number:02d}", "activity_id": row.id})
            spent = fund.amount
            parts = rng.randint(2, 4)
            for part in range(1, parts + 1):
                share = spent // 2 if part < parts else spent
                share = share // 1_000 * 1_000
                if share <= 0:
                    break
                books.add(session, spec, {
                    "entry_date": min(row.start + dt.timedelta(days=part - 1), today),
                    "description": rng.choice(("Konsumsi peserta", "Sewa tenda dan kursi",
                                               "Bahan dan perlengkapan", "Transportasi",
                                               "Cetak spanduk")) + f" — {activity.title}",
                    "category": "kegiatan", "expense": share,
                    "proof_number": f"BKK-{row.start:%y%m}-{number:02d}{part}",
                    "activity_id": row.id})
                spent -= share
                added += 1
            added += 1
    return added
