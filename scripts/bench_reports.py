"""How long the printed reports take (issue 5's speed targets), against two baselines.

    .venv/bin/python scripts/bench_reports.py [--runs N] [--keep DIR]

* the monthly report of a typical village: 150 members, 25 activities in the month, 3
  trainings, 12 photos — target 1 s;
* the member register (Buku Induk Anggota) of 2,000 members — target 3 s;
* the floor: reportlab alone laying out the same 2,000 rows as a bare table;
* LibreOffice converting the same member table from .xlsx and .csv to PDF (the secretary's
  way today), when ``soffice`` is installed — KT Desktop must be at least 5x faster.

Times are medians of ``--runs`` warm runs (the first, cold run — which pays for importing
reportlab and reading the fonts — is shown apart). Data files are made in a temporary folder
through the same services the program uses.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MONTH = dt.date(2026, 10, 1)
TODAY = dt.date(2026, 11, 5)


def _timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """(cold seconds, median warm seconds)."""
    start = time.perf_counter()
    fn()
    cold = time.perf_counter() - start
    warm = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        warm.append(time.perf_counter() - start)
    return cold, statistics.median(warm)


def _village(folder: Path, name: str) -> Path:
    from kt_desktop.services.setup import init_village
    from scripts.sample_village import sample_profile

    path = folder / f"{name}.sqlite"
    init_village(path, sample_profile())
    return path


def _photo(rng: random.Random) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1600, 1200), tuple(rng.randrange(40, 200) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(30):
        x, y = rng.randrange(1500), rng.randrange(1100)
        draw.rectangle((x, y, x + 100, y + 100),
                       fill=tuple(rng.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def typical_village(folder: Path) -> Path:
    """150 members, 25 activities in October 2026 (12 photos), 3 trainings."""
    from kt_desktop.domain.activities import Activity, Fund, Participant
    from kt_desktop.domain.trainings import Training, TrainingSession
    from kt_desktop.services import activities, demo_members, photos, trainings
    from kt_desktop.services.session import open_session

    path = _village(folder, "desa-150")
    session = open_session(path)
    rng = random.Random(5)
    try:
        demo_members.fill(session, rng, TODAY, members=150, months=12)
        member_ids = [row[0] for row in session.db().execute(
            "SELECT id FROM members WHERE deleted_at IS NULL AND status != 'keluar'")]
        kinds = ["Bakti sosial", "Pemeriksaan kesehatan", "Santunan", "Kerja bakti / "
                 "lingkungan hidup", "Olahraga", "Penyuluhan", "Rapat"]
        for index in range(25):
            day = MONTH + dt.timedelta(days=index % 28)
            activity = Activity(
                title=f"{rng.choice(kinds)} RW {index % 6 + 1:03d} ke-{index + 1}",
                kind=rng.choice(kinds), status="terlaksana" if index % 5 else "rencana",
                start=day, place=f"Balai Warga RW {index % 6 + 1:03d}",
                participants=[Participant(m) for m in rng.sample(member_ids, 8)],
                volunteers=rng.randrange(5),
                beneficiaries={(rng.choice([1, 8, 9, 23, 24, 27]), sex, band): rng.randrange(1, 30)
                               for sex in ("L", "P") for band in ("anak", "dewasa", "lansia")},
                funds=[Fund("swadaya", rng.randrange(1, 20) * 50_000),
                       Fund("dana_desa", rng.randrange(0, 40) * 100_000)],
                photos=[photos.intake_bytes(_photo(rng), f"foto-{index}.jpg",
                                            f"Dokumentasi kegiatan ke-{index + 1}")]
                if index < 12 else [],
            )
            activities.save(session, activity, today=TODAY)
        for number, title in enumerate(("Pelatihan Menjahit Dasar", "Pelatihan Barista",
                                        "Kewirausahaan Digital UMKM")):
            start = MONTH + dt.timedelta(days=number * 3)
            training_id = trainings.save_training(session, Training(
                title=title, skill_field="Menjahit", partner="BLK Serang", partner_kind="blk",
                start_date=start, end_date=start + dt.timedelta(days=21)))
            sessions = [trainings.save_session(session, TrainingSession(
                training_id, start + dt.timedelta(days=3 * k), f"Materi {k + 1}", 3.0))
                for k in range(8)]
            trainings.add_members(session, training_id, rng.sample(member_ids, 20))
            sheet = trainings.load_attendance(session, training_id)
            trainings.save_attendance(session, training_id, {
                (sid, p.id): rng.choice("HHHHHIA") for p in sheet.participants for sid in sessions
            })
    finally:
        session.close()
    return path


def register_village(folder: Path, members: int) -> Path:
    from kt_desktop.services import demo_members
    from kt_desktop.services.session import open_session

    path = _village(folder, f"desa-{members}")
    session = open_session(path)
    try:
        with session.db().atomic():
            demo_members.fill(session, random.Random(9), TODAY, members=members, months=12)
    finally:
        session.close()
    return path


def bare_reportlab_table(rows: list[list[str]], out: Path) -> None:
    """The floor: the same rows, Helvetica, a plain grid, header repeated."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    table = Table(rows, repeatRows=1)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "Helvetica", 7),
                               ("GRID", (0, 0), (-1, -1), 0.3, "grey")]))
    SimpleDocTemplate(str(out), pagesize=landscape(A4)).build([table])


def register_rows(path: Path) -> list[list[str]]:
    from kt_desktop.services.session import open_session
    from kt_desktop.store import report_queries

    session = open_session(path)
    try:
        header = ["No", "Nama", "NIK", "L/P", "Tempat lahir", "Tanggal lahir", "Alamat",
                  "Pendidikan", "Pekerjaan", "Jabatan", "Status"]
        rows = [header]
        for number, row in enumerate(report_queries.register_rows(session.db(),
                                                                  include_left=False), 1):
            rows.append([str(number), row.name, "************" + row.nik[-4:], row.sex,
                         row.birth_place, row.birth_date.strftime("%d/%m/%Y")
                         if row.birth_date else "", f"{row.dusun} RT {row.rt}/RW {row.rw}",
                         row.education, row.occupation, row.position, row.status])
        return rows
    finally:
        session.close()


def libreoffice(rows: list[list[str]], folder: Path, runs: int) -> dict[str, float]:
    """Seconds for ``soffice --headless --convert-to pdf`` of the table as .xlsx and .csv."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return {}
    import csv

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    xlsx = folder / "anggota.xlsx"
    book.save(xlsx)
    csv_path = folder / "anggota.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    profile = folder / "lo-profile"
    results = {}
    for source in (xlsx, csv_path):
        out = folder / "lo-out"
        command = [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                   "--convert-to", "pdf", "--outdir", str(out), str(source)]
        subprocess.run(command, check=True, capture_output=True, timeout=300)  # first start
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, timeout=300)
            times.append(time.perf_counter() - start)
        results[source.suffix] = statistics.median(times)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--keep", type=Path, default=None,
                        help="make the data files and PDFs here instead of a temporary folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-reports-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("KT_DESKTOP_HOME", str(folder / "home"))

    from kt_desktop import i18n
    from kt_desktop.services import reports
    from kt_desktop.services.session import open_session

    i18n.set_language("id")
    print(f"data in {folder}")
    typical = typical_village(folder)
    register = register_village(folder, args.members)

    results: list[tuple[str, float, float, str]] = []
    session = open_session(typical)
    try:
        cold, warm = _timed(lambda: reports.build_monthly(
            session, MONTH.year, MONTH.month, folder / "bulanan.pdf", today=TODAY), args.runs)
        results.append(("monthly report, typical village", cold, warm, "≤ 1 s"))
    finally:
        session.close()
    session = open_session(register)
    try:
        cold, warm = _timed(lambda: reports.build_member_register(
            session, folder / "induk.pdf", today=TODAY), args.runs)
        results.append((f"member register, {args.members:,} members", cold, warm, "≤ 3 s"))
    finally:
        session.close()
    rows = register_rows(register)
    cold, warm = _timed(lambda: bare_reportlab_table(rows, folder / "floor.pdf"), args.runs)
    results.append((f"floor: bare reportlab table, {len(rows) - 1:,} rows", cold, warm, ""))

    print()
    print(f"{'what':46} {'cold s':>8} {'median s':>9}  target")
    for what, cold, warm, target in results:
        print(f"{what:46} {cold:8.2f} {warm:9.2f}  {target}")
    lo = libreoffice(rows, folder, max(1, min(args.runs, 3)))
    register_time = results[1][2]
    if lo:
        for suffix, seconds in lo.items():
            print(f"{'LibreOffice ' + suffix + ' -> PDF, same rows':46} {'':8} {seconds:9.2f}  "
                  f"KT Desktop is {seconds / register_time:.1f}x faster (target ≥ 5x)")
    else:
        print("LibreOffice: soffice is not installed here; not measured.")
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
