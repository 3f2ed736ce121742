"""Demo data for the Buku Tamu: the visitors a village secretariat receives in a year (the
Dinas Sosial, the Puskesmas, partners, students, other Karang Taruna), so the book's page and
its printed register are never empty in the demo."""

from __future__ import annotations

import datetime as dt
import random

from kt_desktop.domain import clock
from kt_desktop.domain.book import book
from kt_desktop.services import books
from kt_desktop.services.session import Session

#: (name, institution, purpose, whom they met)
VISITORS = (
    ("Drs. H. Sutisna", "Dinas Sosial Kab. Serang", "Pembinaan dan monitoring kegiatan",
     "Ketua"),
    ("Hj. Euis Kurniasih, S.Kep.", "Puskesmas Baros", "Koordinasi posyandu remaja",
     "Sekretaris"),
    ("Rizky Maulana", "Karang Taruna Desa Sindangmandi", "Studi banding kegiatan usaha",
     "Ketua"),
    ("Aditya Pratama", "Mahasiswa KKN Universitas Sultan Ageng Tirtayasa",
     "Permohonan kerja sama program KKN", "Sekretaris"),
    ("Bripka Dedi Supriadi", "Polsek Baros", "Sosialisasi bahaya narkoba bagi remaja",
     "Ketua"),
    ("Nurhayati", "Bank Sampah Mekar Sari", "Penawaran kerja sama pengelolaan sampah",
     "Bendahara"),
    ("H. Maman Suherman", "Kantor Kecamatan Baros", "Undangan rapat koordinasi kecamatan",
     "Ketua"),
    ("Siti Rahmawati", "PKK Desa", "Persiapan lomba desa", "Sekretaris"),
)


def fill(session: Session, rng: random.Random, today: dt.date, *, members: int = 150,
         months: int = 12) -> dict[str, int]:
    """About one visitor a month over the demo's months, newest last."""
    if months <= 0:
        return {}
    today = min(today, clock.today())  # a visit cannot lie in the future
    spec = book("tamu")
    count = min(len(VISITORS), max(1, months))
    days = sorted(today - dt.timedelta(days=rng.randint(0, 30 * months - 1))
                  for _n in range(count))
    for day, (name, origin, purpose, met) in zip(days, rng.sample(VISITORS, count),
                                                 strict=True):
        books.add(session, spec, {
            "visit_date": day, "name": name, "origin": origin, "purpose": purpose,
            "met_with": met, "phone": f"08{rng.randint(11, 13)}{rng.randint(10**7, 10**8 - 1)}"})
    return {spec.table: count}
