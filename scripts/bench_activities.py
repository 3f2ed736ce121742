"""Benchmark of the Buku Kegiatan at receiver size (issue 4, "Speed").

    .venv/bin/python scripts/bench_activities.py [--activities 50000] [--runs 7] [--keep FILE]

Builds a data file with 50,000 activities from 1,552 villages over 24 months, each with
beneficiary cells, funds and participants (about 12 child rows per activity; bulk-loaded
with plain SQL, since the benchmark measures reading, not typing), then times what the page
does through the same service calls: a month's count + first page, a filter, a search in the
month and across all months, a later page; and taking in a 12-megapixel phone photo.
Prints the median and the worst of ``--runs`` runs in milliseconds. Targets: 100 ms for the
list operations, 1 s of background work for the photo.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = ("Bakti sosial", "Pemeriksaan kesehatan", "Santunan", "Bedah rumah", "Rapat",
         "Kerja bakti / lingkungan hidup", "Olahraga", "Penyuluhan",
         "Pemberian makanan bergizi / PMT balita", "Usaha ekonomi produktif (UEP)")
PARTNERS = ("Puskesmas Baros", "Dinas Sosial Kabupaten Serang", "BLK Serang", "",
            "CSR PT Baros Sinar Makmur", "PMI Kabupaten Serang", "", "Polsek")
PLACES = ("Balai Desa", "Masjid Al-Ikhlas", "Lapangan desa", "Posyandu Melati", "Kp. Cilaku")
SECTIONS = ("Seksi Pelayanan Sosial", "Seksi Lingkungan Hidup", "Seksi Pembinaan Mental")


def _village_codes(count: int) -> list[str]:
    return [f"36.{1 + i // 400:02d}.{1 + (i // 20) % 20:02d}.{2001 + i % 20}" for i in range(count)]


def build(path: Path, activities: int, rng: random.Random) -> None:
    from kt_desktop.services.session import open_session
    from kt_desktop.services.setup import init_village

    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import make_profile  # type: ignore[import-not-found]

    init_village(path, make_profile())
    session = open_session(path)
    db = session.db()
    villages = _village_codes(1552)
    first = dt.date(2025, 1, 1)
    now = "2026-11-28T00:00:00.000000Z"
    seq = 0
    parents, cells, funds, people = [], [], [], []
    for number in range(activities):
        aid = str(uuid.uuid4())
        code = rng.choice(villages)
        start = first + dt.timedelta(days=rng.randrange(730))
        seq += 1
        kind = rng.choice(KINDS)
        parents.append((aid, code, 1, now, seq, f"{kind} {number}", kind,
                        rng.choice(("terlaksana", "terlaksana", "rencana", "batal")),
                        start.isoformat(), None, rng.choice(PLACES), rng.choice(SECTIONS),
                        rng.choice(PARTNERS),
                        "Bulan Bhakti Karang Taruna 2026" if rng.random() < 0.03 else "",
                        "Uraian kegiatan " * 8, rng.randrange(6)))
        for ppks, sex, band in rng.sample([(c, s, b) for c in (8, 21, 24, 27) for s in "LP"
                                           for b in ("anak", "dewasa", "lansia")], 4):
            seq += 1
            cells.append((str(uuid.uuid4()), code, 1, now, seq, aid, ppks, sex, band,
                          rng.randint(1, 30)))
        for source in rng.sample(("swadaya", "dana_desa", "csr", "donatur"), rng.randint(1, 2)):
            seq += 1
            funds.append((str(uuid.uuid4()), code, 1, now, seq, aid, source,
                          rng.randint(1, 60) * 50_000, ""))
        for _ in range(6):
            seq += 1
            people.append((str(uuid.uuid4()), code, 1, now, seq, aid, str(uuid.uuid4()), 1))
    identity = "id, village_code, version, updated_at, change_seq"
    with db.conn:
        db.conn.executemany(
            f"INSERT INTO activities({identity}, title, kind, status, start_date, end_date, "
            "place, section, partner, campaign, description, volunteers) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", parents)
        db.conn.executemany(
            f"INSERT INTO activity_beneficiaries({identity}, activity_id, ppks, sex, age_band, "
            "count) VALUES (?,?,?,?,?,?,?,?,?,?)", cells)
        db.conn.executemany(
            f"INSERT INTO activity_funds({identity}, activity_id, source, amount, note) "
            "VALUES (?,?,?,?,?,?,?,?,?)", funds)
        db.conn.executemany(
            f"INSERT INTO activity_participants({identity}, activity_id, member_id, attended) "
            "VALUES (?,?,?,?,?,?,?,?)", people)
        db.conn.execute("UPDATE counters SET value = ? WHERE name = 'change_seq'", [seq + 100])
    db.execute("ANALYZE")
    session.close()


def timed(runs: int, fn: Callable[[], object]) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times), result


def phone_photo(path: Path, rng: random.Random) -> Path:
    """A 4000×3000 JPEG with the detail (noise) of a real photo, so it weighs 3–6 MB."""
    from PIL import Image

    noise = Image.effect_noise((4000, 3000), 60).convert("L")
    gradient = Image.linear_gradient("L").resize((4000, 3000))
    image = Image.merge("RGB", (noise, gradient, Image.blend(noise, gradient, 0.5)))
    exif = Image.Exif()
    exif[0x0112] = 6  # taken holding the phone upright
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92, exif=exif.tobytes())
    path.write_bytes(buffer.getvalue())
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the data file here")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="kt-bench-"))
    os.environ.setdefault("KT_DESKTOP_HOME", str(workdir / "home"))
    from kt_desktop.services import activities as service
    from kt_desktop.services import photos
    from kt_desktop.services.activities import ActivityFilter
    from kt_desktop.services.session import open_session

    rng = random.Random(4)
    path = args.keep or workdir / "receiver-size.sqlite"
    if not path.exists():
        started = time.perf_counter()
        build(path, args.activities, rng)
        print(f"built {args.activities:,} activities in {time.perf_counter() - started:.1f} s "
              f"({path.stat().st_size / 1e6:.0f} MB)")
    session = open_session(path)
    month = dt.date(2026, 3, 1)
    cases: list[tuple[str, Callable[[], object]]] = [
        ("month: count + first page", lambda: service.list_page(
            session, ActivityFilter(month=month))),
        ("month, filter jenis", lambda: service.list_page(
            session, ActivityFilter(month=month, kind="Santunan"))),
        ("month, filter status", lambda: service.list_page(
            session, ActivityFilter(month=month, status="batal"))),
        ("all months, filter kampanye", lambda: service.list_page(
            session, ActivityFilter(campaign="Bulan Bhakti Karang Taruna 2026"))),
        ("month, search 'puskesmas'", lambda: service.list_page(
            session, ActivityFilter(month=month, search="puskesmas"))),
        ("all months, search 'puskesmas'", lambda: service.list_page(
            session, ActivityFilter(search="puskesmas"))),
        ("all months, search 'santunan 123'", lambda: service.list_page(
            session, ActivityFilter(search="santunan 123"))),
        ("month, page at offset 1024", lambda: service.page(
            session, ActivityFilter(month=month), offset=1024)),
        ("month, sorted by title desc", lambda: service.list_page(
            session, ActivityFilter(month=month), order="title", descending=True)),
        ("suggestions (filters' values)", lambda: service.suggestions(session)),
    ]
    print(f"{'operation':40} {'median ms':>10} {'worst ms':>10}  rows")
    for name, fn in cases:
        median, worst, result = timed(args.runs, fn)
        rows = getattr(result, "total", None)
        if rows is None and isinstance(result, list):
            rows = len(result)
        print(f"{name:40} {median:10.1f} {worst:10.1f}  {rows if rows is not None else ''}")
    session.close()

    photo = phone_photo(workdir / "IMG_20261128_101500.jpg", rng)
    median, worst, result = timed(max(3, args.runs // 2), lambda: photos.intake_file(photo))
    print(f"{'12 MP photo intake (background)':40} {median:10.1f} {worst:10.1f}  "
          f"{photo.stat().st_size / 1e6:.1f} MB -> "
          f"{len(result.data or b'') / 1e3:.0f} kB {result.width}x{result.height}")  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
