"""Demo data: a Program Kerja for each year the demo activities cover, the activities linked
to its lines, and the monthly reports of most (not all) ended months, so the Program Kerja,
Kelengkapan and the self-assessment are never empty, and show a gap or two to fix.

Runs after the demo activities (``DEMO_STEPS``): each year's programme has one line per
section and kind of activity that year, planned in the months they were held plus, for some,
a month that was not realised; one more line was never carried out.
"""

from __future__ import annotations

import datetime as dt
import random

from kt_desktop.domain import formats
from kt_desktop.domain.book import book
from kt_desktop.domain.books.program_kerja import normalize_months
from kt_desktop.domain.letters import REPORT_CODE
from kt_desktop.services import activities as activity_service
from kt_desktop.services import books, surat
from kt_desktop.services.session import Session
from kt_desktop.store import report_queries

#: Who each kind of activity is for (the demo's "Sasaran").
TARGETS = {
    "Rapat": "Pengurus dan anggota",
    "Pemberian makanan bergizi / PMT balita": "Balita dan ibu hamil",
    "Pemeriksaan kesehatan": "Ibu hamil dan lansia",
    "Santunan": "Anak yatim dan lansia terlantar",
    "Olahraga": "Remaja dan pemuda",
}
#: Ended months left without a monthly report (counted back from last month).
MISSING_REPORTS = (2, 5)


def fill(session: Session, rng: random.Random, today: dt.date, *, members: int = 150,
         months: int = 12) -> dict[str, int]:
    if months <= 0:
        return {}
    spec = book("program-kerja")
    db = session.db()
    found = [activity_service.get(session, row_id) for (row_id,) in db.execute(
        "SELECT id FROM activities WHERE deleted_at IS NULL ORDER BY start_date, rowid")]
    groups: dict[tuple[int, str, str], list] = {}
    for activity in found:
        assert activity.start is not None
        key = (activity.start.year, activity.section or "Seksi Pelayanan Sosial", activity.kind)
        groups.setdefault(key, []).append(activity)
    lines = 0
    for (year, section, kind), items in sorted(groups.items()):
        planned = {a.start.month for a in items if a.start}
        if rng.random() < 0.4:
            planned.add(rng.randint(1, 12))  # a month that was not realised
        budget = sum(a.funds_total() for a in items)
        sources = [f.source for a in items for f in a.funds]
        line_id = books.add(session, spec, {
            "year": year, "section": section, "activity": kind,
            "aim": items[0].description[:300], "target_group": TARGETS.get(kind, "Warga desa"),
            "months": normalize_months(", ".join(str(m) for m in sorted(planned))),
            "budget": int(round(budget * 1.1, -4)) or None,
            "source": max(set(sources), key=sources.count) if sources else "swadaya",
        })
        lines += 1
        for activity in items:
            activity.program_line = line_id
            activity_service.save(session, activity, today=today)
    books.add(session, spec, {
        "year": today.year, "section": "Seksi Pendidikan dan Pelatihan",
        "activity": "Pelatihan menjahit bagi remaja putri", "aim": "Keterampilan kerja",
        "target_group": "Remaja putri putus sekolah", "months": "November",
        "budget": 4_500_000, "source": "csr"})
    lines += 1
    return {"work_programme": lines, **_reports(session, today, months)}


def _reports(session: Session, today: dt.date, months: int) -> dict[str, int]:
    """The monthly reports of the ended demo months, but for :data:`MISSING_REPORTS`."""
    db = session.db()
    month = today.replace(day=1)
    made = 0
    for back in range(1, months + 1):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        if back in MISSING_REPORTS:
            continue
        # numbered in the register of outgoing letters, as a printed report is: the day
        # after the month, when a secretary prints it
        day = min(today, (month + dt.timedelta(days=32)).replace(day=1))
        _id, number = surat.take_number(
            session, code=REPORT_CODE, day=day, addressee="Kepala Desa",
            subject=f"Laporan bulanan {formats.month_year(month)}")
        report_queries.save_monthly_notes(
            db, report_queries.MonthlyNotes(f"{month:%Y-%m}", number, "", ""),
            village_code=session.code, actor=session.actor())
        made += 1
    return {"monthly_report_notes": made}
