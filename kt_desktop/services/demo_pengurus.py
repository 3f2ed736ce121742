"""Demo data for the Buku Data Pengurus and the Buku Inventaris (a ``DEMO_STEPS`` step).

The officers of the current term are the members the members step gave a position (so the
names match the register and the profile), with a Pembina and a Penasehat, one change within
the term (the Bendahara, by PAW), and the three core officers of the term before. The
inventory is what a village Karang Taruna usually owns: a tent, chairs, a sound system, a
laptop; one item out on loan, one written off. Everything goes through ``services.books``,
so demo rows obey the same rules as typed ones.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from kt_desktop.domain.book import book
from kt_desktop.domain.members import POSITIONS as MEMBER_POSITIONS
from kt_desktop.services import books
from kt_desktop.services.pengurus import five_years_on
from kt_desktop.services.session import Session
from kt_desktop.store import members as member_store
from kt_desktop.store import profile as profile_store

PAST_OFFICERS = (("ketua", "Ahmad Syarifudin"), ("sekretaris", "Lilis Suryani"),
                 ("bendahara", "Dedi Kurniawan"))
#: (code, name, quantity, unit, acquired, giver, months ago, value, condition, location)
ITEMS: tuple[tuple[Any, ...], ...] = (
    ("INV-001", "Tenda lipat 3×4 m", 2, "unit", "bantuan", "Dinas Sosial Kab. Serang", 30,
     7_000_000, "baik", "Gudang Balai Desa"),
    ("INV-002", "Kursi lipat", 50, "buah", "hibah", "PT Krakatau Steel (CSR)", 26, 6_250_000,
     "baik", "Gudang Balai Desa"),
    ("INV-003", "Sound system portabel", 1, "set", "swadaya", "", 20, 4_500_000,
     "rusak_ringan", "Sekretariat"),
    ("INV-004", "Laptop", 1, "unit", "bantuan", "Pemerintah Desa (APBDes)", 14, 7_800_000,
     "baik", "Sekretariat"),
    ("INV-005", "Printer Epson L3210", 1, "unit", "swadaya", "", 14, 2_100_000, "baik", "Sekretariat"),
    ("INV-006", "Bola voli", 4, "buah", "swadaya", "", 9, 720_000, "baik", "Sekretariat"),
    ("INV-007", "Net voli", 1, "buah", "swadaya", "", 9, 350_000, "rusak_berat", "Lapangan"),
    ("INV-008", "Alat sablon manual", 1, "set", "hibah", "BLK Serang", 6, 3_200_000, "baik",
     "Sekretariat"),
    ("INV-009", "Papan tulis", 1, "buah", "swadaya", "", 40, 450_000, "baik", "Sekretariat"),
    ("INV-010", "Bendera dan tiang", 2, "set", "swadaya", "", 12, 600_000, "baik",
     "Sekretariat"),
)


def _months_ago(today: dt.date, months: int) -> dt.date:
    total = today.year * 12 + today.month - 1 - months
    return dt.date(total // 12, total % 12 + 1, min(today.day, 28))


def fill(session: Session, rng: random.Random, today: dt.date, **_sizes: int) -> dict[str, int]:
    """Add the officers of this term and the last, and the inventory; returns the counts."""
    db = session.db()
    profile = profile_store.load(db)
    head = (profile.kepala_desa if profile and profile.kepala_desa else "H. Sulaiman")
    signer = f"Kepala Desa, {head}"
    start = dt.date(today.year - 2, 1, 15)  # the members step's officers started then
    end = five_years_on(start)
    sk = {"sk_number": f"141/Kep.07/Ds/{start.year}", "sk_date": start - dt.timedelta(days=5),
          "sk_signer": signer, "term_start": start, "term_end": end}
    spec = book("pengurus")
    rows: list[dict[str, Any]] = [
        {**sk, "position": "pembina", "name": head},
        {**sk, "position": "penasehat", "name": "H. Mulyadi (Ketua BPD)"},
    ]
    rank = {code: n for n, code in enumerate(MEMBER_POSITIONS)}
    officers = sorted((m for m in member_store.iter_all(db) if m.position),
                      key=lambda m: (rank.get(m.position, 99), m.seksi, m.name))
    paw_day = dt.date(start.year + 1, 3, 1)
    for member in officers:
        row = {**sk, "position": member.position, "seksi": member.seksi,
               "member_id": member.id}  # the name is copied from the register
        if member.position == "bendahara":  # replaced within the term (PAW)
            rows.append({**sk, "position": "bendahara", "name": "Rina Marlina",
                         "until": paw_day, "note": "Pindah domisili"})
            row.update(change="paw", since=paw_day, sk_number=f"141/Kep.03/Ds/{paw_day.year}",
                       sk_date=paw_day - dt.timedelta(days=3),
                       note="Menggantikan Rina Marlina")
        rows.append(row)
    past = start.replace(year=start.year - 5)
    for position, name in PAST_OFFICERS:
        rows.append({"term_start": past, "term_end": start - dt.timedelta(days=1),
                     "position": position, "name": name, "sk_signer": signer,
                     "sk_number": f"141/Kep.11/Ds/{past.year}",
                     "sk_date": past - dt.timedelta(days=4)})
    for row in rows:
        books.add(session, spec, row)
    items = book("inventaris")
    for code, name, qty, unit, how, giver, ago, value, condition, place in ITEMS:
        values: dict[str, Any] = {
            "code": code, "name": name, "quantity": qty, "unit": unit, "acquired": how,
            "giver": giver, "acquired_on": _months_ago(today, ago), "value": value,
            "condition": condition, "location": place}
        if code == "INV-003":  # out on loan now
            values.update(borrower="Karang Taruna Desa Sindangsari",
                          loaned_on=today - dt.timedelta(days=rng.randint(2, 9)),
                          due_on=today + dt.timedelta(days=7))
        if code == "INV-007":
            values.update(disposed_on=_months_ago(today, 1),
                          disposal_reason="Rusak berat, robek dan tidak dapat diperbaiki")
        books.add(session, items, values)
    return {"officers": len(rows), "inventory": len(ITEMS)}
