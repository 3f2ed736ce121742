"""Benchmark of the member register with 100,000 members (issue 3's speed targets).

    .venv/bin/python scripts/bench_members.py [--members 100000] [--keep DIR]

Phase 1 (a child process, so its memory does not count): a village file filled by the demo
step. Phase 2 (this process, offscreen Qt): the page's first rows after it is opened, the
latency of search keystrokes (query + table update + repaint; the 150 ms typing pause before
a search starts is on purpose and not counted), sorting by each column, scrolling the whole
register, and the peak memory. Phase 3: importing a 10,000-row .xlsx (preview + commit).

Targets: first rows 150 ms, keystroke p95 50 ms, sort 150 ms, memory 300 MB, import 10 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: Words a secretary types, one keystroke at a time (each prefix is one measurement).
TYPED = ("siti", "nur", "ahmad su", "dede", "3604", "0812", "cibeber", "rina mar", "wulan", "kp")


def make_file(path: Path, members: int) -> float:
    """Phase 1, run in a child process: set up a village file and add demo members."""
    from kt_desktop.domain.profile import Profile
    from kt_desktop.services import demo_members
    from kt_desktop.services.session import open_session
    from kt_desktop.services.setup import init_village

    init_village(path, Profile(name="Karang Taruna Bench", village_code="36.04.22.2001",
                               sekretaris="Siti Nurhaliza", ketua="Ahmad Fauzi"))
    session = open_session(path)
    try:
        started = time.perf_counter()
        db = session.db()
        with db.atomic():
            demo_members.fill(session, random.Random(1), dt.date.today(), members=members)
        return time.perf_counter() - started
    finally:
        session.close()




def _ms(ns: int) -> float:
    return ns / 1e6


def measure_gui(path: Path) -> dict[str, object]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from kt_desktop import i18n
    from kt_desktop.gui.models import member_table as columns
    from kt_desktop.gui.ops import Ops
    from kt_desktop.gui.pages.members import MembersPage
    from kt_desktop.services.session import open_session

    i18n.set_language("id")
    app = QApplication.instance() or QApplication([])
    session = open_session(path)
    ops = Ops(session)

    def settle() -> None:
        while ops.busy():
            app.processEvents()
            time.sleep(0.0005)
        app.processEvents()

    results: dict[str, object] = {}
    started = time.perf_counter_ns()
    page = MembersPage(ops)
    page.resize(1186, 700)
    page.show()
    while page.model.rowCount() == 0:
        app.processEvents()
        time.sleep(0.0005)
    page.table.viewport().repaint()
    results["first rows (ms)"] = _ms(time.perf_counter_ns() - started)
    settle()

    # Keystrokes: what a keystroke does once the typing pause is over (reload), to the repaint.
    latencies: list[float] = []
    typed: list[tuple[float, str]] = []
    for word in TYPED:
        for end in range(1, len(word) + 1):
            page.search.blockSignals(True)
            page.search.setText(word[:end])
            page.search.blockSignals(False)
            before = len(page.timings)
            asked = time.perf_counter_ns()
            page.reload()
            while len(page.timings) == before:
                app.processEvents()
                time.sleep(0.0002)
            page.table.viewport().repaint()
            latencies.append(_ms(time.perf_counter_ns() - asked))
            typed.append((latencies[-1], word[:end]))
            settle()  # the count follows; not part of the table's update
        page.search.blockSignals(True)
        page.search.clear()
        page.search.blockSignals(False)
    page.reload()
    settle()
    latencies.sort()
    results["keystrokes measured"] = len(latencies)
    results["keystroke median (ms)"] = statistics.median(latencies)
    results["keystroke p95 (ms)"] = latencies[max(0, int(round(0.95 * len(latencies))) - 1)]
    results["keystroke max (ms)"] = latencies[-1]
    results["slowest keystrokes"] = ", ".join(
        f"{text!r} {ms:.0f}" for ms, text in sorted(typed, reverse=True)[:4]
    )

    sorts: dict[str, float] = {}
    for column, key in columns.SORT_KEYS.items():
        for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
            before = len(page.timings)
            asked = time.perf_counter_ns()
            page.table.sortByColumn(column, order)
            while len(page.timings) == before:
                app.processEvents()
                time.sleep(0.0002)
            page.table.viewport().repaint()
            name = f"{key}{' desc' if order == Qt.SortOrder.DescendingOrder else ''}"
            sorts[name] = _ms(time.perf_counter_ns() - asked)
            settle()
    page.table.sortByColumn(columns.NAME, Qt.SortOrder.AscendingOrder)
    settle()
    results["sort by name (ms)"] = max(sorts["name"], sorts["name desc"])
    results["slowest sort (ms)"] = max(sorts.values())
    results["slowest sort key"] = max(sorts, key=lambda k: sorts[k])
    results["rss after page + searches (MB)"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # Scroll the whole register: every page fetched, as a secretary holding End would.
    started = time.perf_counter_ns()
    while page.model.canFetchMore():
        page.model.fetchMore()
        settle()
    page.table.scrollToBottom()
    page.table.viewport().repaint()
    results["scroll all rows (s)"] = _ms(time.perf_counter_ns() - started) / 1000
    results["rows loaded"] = page.model.rowCount()
    results["peak rss (MB)"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    results["SQLite connections open"] = session.open_connections()
    page.close()
    ops.wait_idle()
    session.close()
    page.deleteLater()
    app.processEvents()
    return results


def measure_import(folder: Path, rows: int = 10_000) -> dict[str, object]:
    from openpyxl import Workbook

    from kt_desktop.services import demo_members, member_export

    xlsx = folder / "import-10k.xlsx"
    people = demo_members.make_members(random.Random(7), dt.date.today(), rows,
                                       village_code="36.04.22.2001")
    # The columns a village's own spreadsheet has (not the 28 of a full export), dates as
    # text the way secretaries type them, NIK and phone as text.
    wanted = ("Nama Lengkap", "NIK", "Alasan Tanpa NIK", "Tempat Lahir", "Tanggal Lahir", "L/P",
              "Agama", "Dusun", "RT", "RW", "Pendidikan Terakhir", "Pekerjaan", "No. HP",
              "Nama Orang Tua/Wali", "Tanggal Persetujuan")
    picks = [member_export.COLUMNS.index(name) for name in wanted]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Anggota")
    sheet.append(["No", *wanted])
    for number, person in enumerate(people, start=1):
        cells = member_export.member_cells(person, reveal_nik=True)
        sheet.append([number, *(member_export._csv_cell(cells[i]) for i in picks)])
    book.save(xlsx)
    return _import_into(folder, xlsx, rows, len(wanted) + 1)


def make_opensid_export(path: Path, rows: int) -> Path:
    """A village's residents as OpenSID exports them: its 43 columns, dates as YYYY-MM-DD
    text, sex/agama/pendidikan/pekerjaan/status kawin as OpenSID's codes, residents of all
    ages (the import keeps those in the member age range)."""
    from openpyxl import Workbook

    from kt_desktop.services import opensid

    rng = random.Random(11)
    columns = opensid.columns()
    today = dt.date.today()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data Penduduk")
    sheet.append(list(columns))
    for number in range(rows):
        born = today - dt.timedelta(days=rng.randint(365, 80 * 365))
        sex = rng.choice((1, 2))
        day = born.day + (40 if sex == 2 else 0)
        values = {key: "" for key in columns}
        values.update(
            alamat=f"Jl. Baros No. {number % 200 + 1}", dusun=f"Kampung {number % 7 + 1}",
            rw=str(number % 5 + 1), rt=str(number % 9 + 1), nama=f"Penduduk {number:05d}",
            no_kk=f"3604220101{number:06d}",
            nik=f"360422{day:02d}{born.month:02d}{born.year % 100:02d}{number % 9000 + 1:04d}",
            sex=sex, tempatlahir="Serang", tanggallahir=born.isoformat(),
            agama_id=rng.choice((1, 1, 1, 2, 3)), pendidikan_kk_id=rng.randint(1, 10),
            pekerjaan_id=rng.choice((1, 2, 3, 9, 88)), status_kawin=rng.randint(1, 2),
            kk_level=rng.randint(1, 4), warganegara_id=1,
        )
        sheet.append([values[key] for key in columns])
    book.save(path)
    return path


def measure_opensid_import(folder: Path, rows: int = 10_000) -> dict[str, object]:
    """The same measurement for an OpenSID export of ``rows`` residents of all ages."""
    xlsx = make_opensid_export(folder / "opensid-10k.xlsx", rows)
    from kt_desktop.services import opensid

    return _import_into(folder, xlsx, rows, len(opensid.columns()))


def _import_into(folder: Path, xlsx: Path, rows: int, columns: int) -> dict[str, object]:
    """Preview and commit ``xlsx`` into a new village file; the seconds of each step."""
    from kt_desktop.domain.profile import Profile
    from kt_desktop.services import member_import
    from kt_desktop.services.session import open_session
    from kt_desktop.services.setup import init_village

    target = folder / "import.sqlite"
    for leftover in folder.glob("import.sqlite*"):
        leftover.unlink()
    init_village(target, Profile(name="Karang Taruna Import", village_code="36.04.22.2001"))
    session = open_session(target)
    try:
        started = time.perf_counter()
        preview = member_import.preview(session, xlsx)
        checked = time.perf_counter()
        summary = member_import.commit(session, preview)
        done = time.perf_counter()
    finally:
        session.close()
    return {
        "import rows": f"{rows} x {columns} columns",
        "import read+check (s)": checked - started,
        "import write (s)": done - checked,
        "import total (s)": done - started,
        "import new/refused": f"{summary.created}/{summary.rejected}",
        "import outside the age range": summary.out_of_range + summary.needs_consent,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep the files in")
    parser.add_argument("--reuse", action="store_true",
                        help="use the 100k file already in --keep instead of making it again")
    parser.add_argument("--phase", choices=("make",), help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "make":
        print(f"{make_file(args.path, args.members):.2f}")
        return 0

    folder = args.keep or Path(tempfile.mkdtemp(prefix="kt-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["KT_DESKTOP_HOME"] = str(folder / "home")
    path = folder / "desa-100k.sqlite"
    results: dict[str, object] = {"members": args.members}
    if not (args.reuse and path.exists()):
        for leftover in folder.glob("desa-100k.sqlite*"):
            leftover.unlink()
        child = subprocess.run(
            [sys.executable, __file__, "--phase", "make", "--path", str(path),
             "--members", str(args.members)],
            check=True, capture_output=True, text=True, env=os.environ.copy(),
        )
        results["demo fill (s)"] = float(child.stdout.strip().splitlines()[-1])
    results["file size (MB)"] = path.stat().st_size / 1e6
    results.update(measure_gui(path))
    results.update(measure_import(folder))
    targets = {
        "first rows (ms)": 150, "keystroke p95 (ms)": 50, "sort by name (ms)": 150,
        "slowest sort (ms)": 150, "peak rss (MB)": 300, "import total (s)": 10,
    }
    width = max(len(k) for k in results)
    print(f"{'measure'.ljust(width)}  {'value':>10}  target")
    for key, value in results.items():
        shown = f"{value:10.1f}" if isinstance(value, float) else f"{value!s:>10}"
        target = targets.get(key)
        verdict = "" if target is None else (f"{target}  " + ("ok" if float(value) <= target else "MISSED"))  # type: ignore[arg-type]
        print(f"{key.ljust(width)}  {shown}  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
