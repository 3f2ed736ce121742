"""KT Desktop benchmark: what users feel, each figure beside its floor or alternative.

    .venv/bin/python scripts/benchmark.py [--quick] [--runs N] [--out DIR]
        [--only NAME,...] [--keep DIR] [--install-libreoffice]

Not part of the test run. It makes its own data with the demo generators in a temporary
folder, measures, prints a Markdown table (figure, value, floor or alternative, ratio, goal,
met) and writes it with a JSON copy into ``--out`` (default ``bench-results/``). The machines
this runs on are shared and noisy, so every figure is a median of ``--runs`` runs and sits
beside a floor or an alternative measured in the same run on the same machine. It exits 1
only when a measurement failed to run (crash, timeout), never because something is slow.

What it measures (issue 10), each in its own child process, so memory and imported modules
are per measurement and one crash does not stop the others:

1. ``startup``  — a fresh process to the first painted main window on a file with 100,000
   members, through the real start (``gui.app.run``: lock, open check, window), against a bare
   PySide6 program showing an empty QMainWindow; and which heavy modules were imported by then.
2. ``members``  — the members page on that file: first rows, keystroke to updated table
   (median and p95 over typed prefixes), sort by name, peak memory; against the same SQL run
   alone (``scripts/bench_members.py`` does the measuring).
3. ``reports``  — the monthly report of a typical village and the member register of 2,000
   members, against a bare reportlab table of the same rows and LibreOffice converting the
   same table (``scripts/bench_reports.py``).
4. ``bundles``/``province`` — a typical village's full export; the import rate against a plain
   sqlite3 upsert of the same rows; the first bundles of 1,552 villages (each holding a
   receiver demo village's rows, or ``--mix busy``: a village keeping every book) and their
   re-import (``scripts/bench_bundles.py``).
5. ``receiver`` — the receiver on the Banten demo (``scripts/make_banten_demo.py``): opening,
   every aggregate view, the aggregate PDF and the workbook (``scripts/bench_receiver.py``).
6. ``import``   — importing a 10,000-row .xlsx of members, against openpyxl reading it.
8. ``letters``  — a letter from a template on the kop surat (an invitation filled from a
   meeting: number taken, recorded, PDF kept and written) and the minutes of a 60-person
   meeting (issue 18).
9. ``kas``      — ten years of a busy cash book (50,000 entries, two accounts, issue 19): the
   month view with running balances, a year's, the whole book's newest page, the laporan kas
   of a month and of a year, and the dues grid of a year; the month view against the same
   month's rows read by plain SQL without balances.
7. ``printing`` — printing the monthly report: the bytes sent to the print system and the
   seconds, the PDF itself handed to CUPS against the old 300 dpi pictures; with root and CUPS,
   both through a private cupsd to a cups-pdf printer (``scripts/bench_printing.py``).

``--quick`` uses 100 villages instead of all 1,552 (goals that depend on the count are scaled)
and otherwise the same sizes, so its figures stay comparable.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

SCRIPTS = Path(__file__).resolve().parent
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

from bench_common import (  # noqa: E402
    BANTEN_VILLAGES,
    ROOT,
    ChildFailed,
    Figure,
    at_least,
    at_most,
    child_env,
    compile_bytecode,
    emit,
    machine,
    markdown,
    median,
    p95,
    peak_rss_mb,
    python,
    ratio,
    run_child,
    workbook_goal,
    write_results,
)

MEASUREMENTS = ("startup", "members", "reports", "printing", "bundles", "province", "receiver",
                "national", "import", "receipts", "letters", "kas")
MEMBERS = 100_000
REGISTER_MEMBERS = 2_000
ALL_VILLAGES = BANTEN_VILLAGES
QUICK_VILLAGES = 100
IMPORT_ROWS = 10_000
KAS_ENTRIES = 50_000
KAS_FIRST_YEAR, KAS_YEARS = 2016, 10
#: What each first bundle of the province step holds (``--mix``).
MIXES = {
    "demo": "the rows of a village of the receiver demo, in turn (two years of members, "
            "activities and trainings: some 3,100 rows; the mix the receiver is measured on)",
    "busy": "the demo village of 12 months with every book kept (some 3,400 rows: members, "
            "activities, trainings, cash book, meetings, letters, inventory)",
}

#: Villages whose bundles the plain-upsert floor of the province import is measured on.
PLAIN_SAMPLE = 150

#: Modules the start-up must not import (they are for reports, spreadsheets and bundles).
FORBIDDEN_AT_START = ("reportlab", "openpyxl", "cryptography")
#: Modules worth naming when they are loaded by the time the window is painted.
HEAVY_AT_START = (*FORBIDDEN_AT_START, "PIL", "pypdf", "babel", "sqlite_utils", "click",
                  "dateutil", "pluggy", "PySide6.QtPdf", "PySide6.QtSvg", "PySide6.QtCharts",
                  "PySide6.QtPrintSupport", "PySide6.QtNetwork")


# == 1. start-up ==============================================================================
#: Shared by both probes: report the first paint of a QMainWindow (after its paint pass),
#: then, for the program, the moment Beranda shows its figures.
_PROBE_HEAD = r"""
import json, os, resource, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer, qVersion
from PySide6.QtWidgets import QApplication, QMainWindow

HEAVY = {heavy!r}


def loaded(name):
    # A module in sys.modules, or ("PySide6.QtWidgets:QStyle") a class PySide has built: it
    # builds a class, with its enums, when a program first names it or gets one from Qt.
    module, _colon, cls = name.partition(":")
    if not cls:
        return module in sys.modules
    return module in sys.modules and cls in vars(sys.modules[module])


def say(mark, **fields):
    fields["in_process_s"] = time.perf_counter() - STARTED
    fields["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(mark, json.dumps(fields), flush=True)


class PaintWatch(QObject):
    def __init__(self, wait_for_home):
        super().__init__()
        self.wait_for_home, self.window = wait_for_home, None

    def eventFilter(self, obj, event):
        if self.window is None and event.type() == QEvent.Type.Paint \
                and isinstance(obj, QMainWindow):
            self.window = obj
            QTimer.singleShot(0, self.painted)  # once this paint pass is over
        return False

    def painted(self):
        heavy = sorted(name for name in HEAVY if loaded(name))
        say("PAINTED", heavy=heavy, modules=len(sys.modules), qt=qVersion())
        if hasattr(self.window, "auto_backup"):
            self.window.auto_backup = False  # the backup at close is not start-up
        if self.wait_for_home:
            self.poll()
        else:
            QApplication.instance().quit()

    def poll(self):
        home = self.window.page("beranda") if hasattr(self.window, "page") else None
        if home is not None and getattr(home, "summary", None) is not None:
            self.window.repaint()
            say("READY")
            QApplication.instance().quit()
        else:
            QTimer.singleShot(2, self.poll)


def watch_windows(watch):
    # The watch filters each QMainWindow as it is shown, not the whole application: through
    # an application-wide Python filter every object's events cross into Python, and the
    # first object of a class PySide does not wrap (the gesture manager any scroll area
    # makes) has PySide build all of Qt's classes and enums, ~45 ms that the probe, not the
    # program, would add before the first paint.
    show = QMainWindow.show

    def shown(window):
        window.installEventFilter(watch)
        show(window)

    QMainWindow.show = shown
"""

BARE_PROBE = "import time\nSTARTED = time.perf_counter()\n" + _PROBE_HEAD + r"""
app = QApplication(sys.argv[:1])
watch = PaintWatch(False)
watch_windows(watch)
window = QMainWindow()
window.resize(1366, 768)
window.show()
app.exec()
"""

APP_PROBE = "import time\nSTARTED = time.perf_counter()\n" + r"""
import sys
sys.path.insert(0, {root!r})
from kt_desktop.__main__ import preload_data_layers  # as `kt-desktop` starts: data layers first
preload_data_layers()
""" + _PROBE_HEAD + r"""
from pathlib import Path
watch = PaintWatch(True)  # the program makes its own application, as `kt-desktop` does
watch_windows(watch)
from kt_desktop.gui.app import run
sys.exit(run(Path({data!r})))
"""


def _spawn_probe(code: str, *, work: Path, timeout: float, log: Path) -> dict[str, Any]:
    """Run a probe; seconds from spawning it to each mark it prints, and what it said."""
    started = time.perf_counter()
    process = subprocess.Popen(
        # stderr joins stdout: one pipe read to its end cannot fill up and block the child
        [python(), "-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=child_env(work), cwd=ROOT,
    )
    killer = threading.Timer(timeout, process.kill)
    killer.start()
    marks: dict[str, Any] = {}
    lines: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            at = time.perf_counter() - started
            lines.append(line)
            mark, _space, rest = line.strip().partition(" ")
            if mark in ("PAINTED", "READY"):
                marks[mark.lower()] = {"spawn_s": at, **json.loads(rest)}
        process.wait()
    finally:
        killer.cancel()
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"[exit {process.returncode}]\n{''.join(lines)}\n")
    if "painted" not in marks:
        raise ChildFailed(f"the start-up probe never painted (exit {process.returncode}; "
                          f"log: {log})")
    return marks


def measure_startup(work: Path, data: Path, runs: int, logs: Path) -> dict[str, Any]:
    """Bare and program probes, interleaved, after one untimed start of each (it fills the
    bytecode cache and the file cache, as any second start on a laptop finds them)."""
    bare_code = BARE_PROBE.replace("{heavy!r}", repr(HEAVY_AT_START))
    app_code = (APP_PROBE.replace("{heavy!r}", repr(HEAVY_AT_START))
                .replace("{root!r}", repr(str(ROOT))).replace("{data!r}", repr(str(data))))
    logs.mkdir(parents=True, exist_ok=True)
    bare, app = [], []
    for run in range(runs + 1):
        b = _spawn_probe(bare_code, work=work, timeout=120, log=logs / "startup-bare.log")
        a = _spawn_probe(app_code, work=work, timeout=90, log=logs / "startup-app.log")
        if run:
            bare.append(b)
            app.append(a)
    return {"bare": bare, "app": app}


def startup_figures(result: dict[str, Any]) -> list[Figure]:
    bare = median(run["painted"]["spawn_s"] for run in result["bare"])
    painted = median(run["painted"]["spawn_s"] for run in result["app"])
    ready = median(run.get("ready", {}).get("spawn_s") for run in result["app"])
    heavy = sorted({name for run in result["app"] for name in run["painted"]["heavy"]})
    forbidden = [name for name in heavy if name in FORBIDDEN_AT_START]
    r_paint, r_ready = ratio(painted, bare), ratio(ready, bare)
    floor = "bare PySide6, empty QMainWindow"
    return [
        Figure("1", "start-up to first painted main window, 100,000 members", painted, "s",
               floor, bare, ratio=r_paint, ratio_text=_times(r_paint), goal="≤ 1.6×",
               met=at_most(r_paint, 1.6)),
        Figure("1", "start-up until Beranda shows its figures", ready, "s", floor, bare,
               ratio=r_ready, ratio_text=_times(r_ready)),
        Figure("1", "reportlab, openpyxl, cryptography imported at first paint", None, "",
               goal="none", met=not forbidden, shown=", ".join(forbidden) or "none",
               note="other heavy modules loaded by then: "
               + (", ".join(n for n in heavy if n not in forbidden) or "none"),
               extra={"heavy": heavy}),
    ]


# == 2. members page ==========================================================================
def _page_import_ms() -> float:
    """The first visit of Anggota also imports the page, which ``measure_gui`` does before
    it starts timing: timed here, after what the start-up imported (the main window)."""
    import importlib

    import kt_desktop.gui.main_window  # noqa: F401 - loaded at start-up, not by the page

    started = time.perf_counter()
    importlib.import_module("kt_desktop.gui.pages.members")
    return (time.perf_counter() - started) * 1000


def _bare_table_repaint_ms(rows: list[Any], columns: int) -> float:
    """Median repaint of a plain QTableView over a QStandardItemModel of the same page.

    The part of a keystroke no Python model can avoid: Qt drawing the visible cells.
    """
    import dataclasses

    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    app = QApplication.instance() or QApplication([])
    model = QStandardItemModel(len(rows), columns)
    for number, row in enumerate(rows):
        values = [str(value or "") for value in dataclasses.astuple(row)]
        for column in range(columns):
            model.setItem(number, column, QStandardItem(values[(column + 1) % len(values)]))
    view = QTableView()
    view.setModel(model)
    view.setWordWrap(False)
    view.resize(1186, 640)  # the table's share of bench_members' 1186 x 700 page
    view.show()
    app.processEvents()
    times = []
    for _ in range(30):
        started = time.perf_counter()
        view.viewport().repaint()
        times.append((time.perf_counter() - started) * 1000)
    view.close()
    view.deleteLater()
    app.processEvents()
    return median(times) or 0.0


def child_members(work: Path, data: Path) -> dict[str, Any]:
    """The page measured by ``bench_members.measure_gui``; then its floor: the same SQL alone
    plus a bare QTableView repainting a page of plain strings."""
    page_import_ms = _page_import_ms()

    import datetime as dt

    import bench_members

    from kt_desktop.domain.members import MemberQuery
    from kt_desktop.gui.models.member_table import HEADERS
    from kt_desktop.services import members as service
    from kt_desktop.services.session import open_session

    gui = bench_members.measure_gui(data)
    rss = gui["peak rss (MB)"]

    session = open_session(data)
    today = dt.date.today()

    def sql_ms(query: MemberQuery) -> float:
        started = time.perf_counter()
        service.list_page(session, query, 0, 256, today)
        return (time.perf_counter() - started) * 1000

    try:
        first = median(sql_ms(MemberQuery()) for _ in range(5)) or 0.0
        typed = [sql_ms(MemberQuery(search=word[:end]))
                 for word in bench_members.TYPED for end in range(1, len(word) + 1)]
        sort = max(median(sql_ms(MemberQuery(sort="name", descending=d)) for _ in range(3))
                   or 0.0 for d in (False, True))
        page = service.list_page(session, MemberQuery(), 0, 256, today)
    finally:
        session.close()
    paint = _bare_table_repaint_ms(page, len(HEADERS))
    return {"gui": gui, "peak_rss_mb": rss, "page_import_ms": page_import_ms,
            "bare_repaint_ms": paint, "sql_first_ms": first,
            "sql_keystroke_median_ms": median(typed), "sql_keystroke_p95_ms": p95(typed),
            "sql_sort_ms": sort, "floor_first_ms": first + paint,
            "floor_keystroke_median_ms": median(t + paint for t in typed),
            "floor_keystroke_p95_ms": p95([t + paint for t in typed]),
            "floor_sort_ms": sort + paint}


def members_figures(runs: list[dict[str, Any]], bare_rss: float | None) -> list[Figure]:
    def gui(key: str) -> float | None:
        return median(float(run["gui"][key]) for run in runs)

    def floor_of(key: str) -> float | None:
        return median(run[key] for run in runs)

    floor = "same SQL alone + bare QTableView repaint"
    rows: list[tuple[str, str, str, float | None]] = [
        ("first rows shown", "first rows (ms)", "floor_first_ms", 150),
        ("search keystroke → updated table, median", "keystroke median (ms)",
         "floor_keystroke_median_ms", None),
        ("search keystroke → updated table, p95", "keystroke p95 (ms)",
         "floor_keystroke_p95_ms", 50),
        ("sort by name", "sort by name (ms)", "floor_sort_ms", 150),
    ]
    typed = runs[0]["gui"]["keystrokes measured"]
    figures = []
    for name, gui_key, floor_key, goal in rows:
        value, base = gui(gui_key), floor_of(floor_key)
        r = ratio(value, base)
        figures.append(Figure(
            "2", f"members page, 100,000 members: {name}", value, "ms", floor, base,
            ratio=r, ratio_text=_times(r), goal=f"≤ {goal} ms" if goal else "",
            met=at_most(value, goal) if goal else None,
            note=f"{typed} typed prefixes" if "keystroke" in gui_key else ""))
    page_import = median(run["page_import_ms"] for run in runs) or 0.0
    first_visit = median(float(run["gui"]["first rows (ms)"]) + run["page_import_ms"]
                         for run in runs)
    base = floor_of("floor_first_ms")
    r = ratio(first_visit, base)
    figures.insert(1, Figure(
        "2", "members page: first rows on the session's first visit", first_visit, "ms",
        floor, base, ratio=r, ratio_text=_times(r), goal="≤ 150 ms",
        met=at_most(first_visit, 150),
        note=f"first rows + {page_import:.0f} ms importing the page's modules"))
    rss = median(run["peak_rss_mb"] for run in runs)
    r = ratio(rss, bare_rss)
    figures.append(Figure(
        "2", "members page: peak memory of the process", rss, "MB",
        "bare PySide6 window" if bare_rss else "", bare_rss, ratio=r, ratio_text=_times(r),
        goal="≤ 300 MB", met=at_most(rss, 300),
        note="after searching, sorting and scrolling all 100,000 rows"))
    return figures


# == 3. reports ===============================================================================
def child_reports(work: Path, runs: int) -> dict[str, Any]:
    """Monthly report and member register (cold and warm), the bare reportlab floor, and
    LibreOffice converting the same rows, all with ``bench_reports``' own functions."""
    import bench_reports

    from kt_desktop import i18n
    from kt_desktop.services import reports
    from kt_desktop.services.session import open_session

    i18n.set_language("id")
    folder = work / "reports"
    folder.mkdir(exist_ok=True)
    started = time.perf_counter()
    typical = bench_reports.typical_village(folder)
    register = bench_reports.register_village(folder, REGISTER_MEMBERS)
    made = time.perf_counter() - started
    month = bench_reports.MONTH
    result: dict[str, Any] = {"data_seconds": made}
    session = open_session(typical)
    try:
        result["monthly_cold_s"], result["monthly_s"] = bench_reports._timed(
            lambda: reports.build_monthly(session, month.year, month.month,
                                          folder / "bulanan.pdf", today=bench_reports.TODAY),
            runs)
    finally:
        session.close()
    session = open_session(register)
    try:
        result["register_cold_s"], result["register_s"] = bench_reports._timed(
            lambda: reports.build_member_register(session, folder / "induk.pdf",
                                                  today=bench_reports.TODAY), runs)
    finally:
        session.close()
    rows = bench_reports.register_rows(register)
    result["register_rows"] = len(rows) - 1
    _cold, result["floor_s"] = bench_reports._timed(
        lambda: bench_reports.bare_reportlab_table(rows, folder / "floor.pdf"), runs)
    result["pages"] = {name: _pdf_pages(folder / name)
                       for name in ("bulanan.pdf", "induk.pdf", "floor.pdf")}
    try:
        lo = bench_reports.libreoffice(rows, folder, max(1, min(runs, 3)))
    except (subprocess.SubprocessError, OSError) as exc:
        lo, result["libreoffice_error"] = {}, str(exc)
    result["libreoffice_xlsx_s"] = lo.get(".xlsx")
    result["libreoffice_csv_s"] = lo.get(".csv")
    result["soffice"] = shutil.which("soffice") or shutil.which("libreoffice")
    return result


def _pdf_pages(path: Path) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    return len(PdfReader(path).pages) if path.exists() else None


def reports_figures(result: dict[str, Any]) -> list[Figure]:
    monthly, register, floor = result["monthly_s"], result["register_s"], result["floor_s"]
    pages = result.get("pages") or {}
    r_floor = ratio(register, floor)
    figures = [
        Figure("3", "monthly report, typical village", monthly, "s", goal="≤ 1 s",
               met=at_most(monthly, 1.0),
               note=f"150 members, 25 activities, 3 trainings, 12 photos; "
                    f"{pages.get('bulanan.pdf') or '?'} pages"),
        Figure("3", "monthly report, first of the session", result["monthly_cold_s"], "s",
               goal="≤ 1 s", met=at_most(result["monthly_cold_s"], 1.0),
               note="includes importing reportlab and reading the fonts"),
        Figure("3", f"member register, {result['register_rows']:,} members", register, "s",
               "bare reportlab table, same rows", floor, ratio=r_floor,
               ratio_text=_times(r_floor), goal="≤ 3 s and ≤ 3× floor",
               met=at_most(register, 3.0) and at_most(r_floor, 3.0),
               note=f"{pages.get('induk.pdf') or '?'} pages; floor "
                    f"{pages.get('floor.pdf') or '?'} pages"),
    ]
    for suffix, goal in (("xlsx", True), ("csv", False)):
        lo = result.get(f"libreoffice_{suffix}_s")
        if lo is None:
            figures.append(Figure(
                "3", f"member register vs LibreOffice (.{suffix} → PDF)", register, "s",
                "LibreOffice not installed" if not result.get("soffice") else
                "LibreOffice failed", None, goal="≥ 5× faster" if goal else "",
                note="install with --install-libreoffice"))
            continue
        faster = ratio(lo, register)
        figures.append(Figure(
            "3", f"member register vs LibreOffice (.{suffix} → PDF, same rows)", register, "s",
            f"soffice --convert-to pdf (.{suffix})", lo, ratio=faster,
            ratio_text=f"{faster:.1f}× faster" if faster else "",
            goal="≥ 5× faster" if goal else "", met=at_least(faster, 5.0) if goal else None,
            note=f"the bare reportlab floor is {ratio(lo, floor) or 0:.1f}× faster"))
    return figures


# == 8. letters and minutes (issue 18) ========================================================
LETTER_ATTENDANCE = 60


def child_letters(work: Path, runs: int) -> dict[str, Any]:
    """An invitation written from a meeting (number, record, kept PDF, file) and the minutes
    of a meeting of 60 people, each the median of ``runs`` after one cold run."""
    import random

    import bench_reports

    from kt_desktop import i18n
    from kt_desktop.domain.book import book
    from kt_desktop.services import books, demo_members, rapat, surat
    from kt_desktop.services.session import open_session

    i18n.set_language("id")
    folder = work / "letters"
    folder.mkdir(exist_ok=True)
    path = bench_reports._village(folder, "desa-rapat")
    session = open_session(path)
    try:
        demo_members.fill(session, random.Random(7), bench_reports.TODAY, members=150,
                          months=12)
        ids = [row[0] for row in session.db().execute(
            "SELECT id FROM members WHERE deleted_at IS NULL AND status != 'keluar' LIMIT ?",
            [LETTER_ATTENDANCE - 5])]
        guests = [{"name": f"Tamu {n}", "institution": "Pemerintah Desa"} for n in range(5)]
        meeting = books.add(session, book("rapat"), {
            "kind": "anggota", "title": "Rapat anggota tahunan",
            "meeting_date": bench_reports.TODAY, "start_time": "19.30 WIB",
            "place": "Balai Desa", "chair": "Ahmad Fauzi", "notulis": "Siti Nurhaliza",
            "decisions": "\n".join(f"{n}. Keputusan nomor {n}." for n in range(1, 9))},
            children={"hadir": [{"member_id": i} for i in ids] + guests,
                      "acara": [{"topic": f"Acara {n}", "minutes": "Dibahas bersama. " * 30}
                                for n in range(1, 6)],
                      "tindak_lanjut": [{"task": f"Tugas {n}", "member_id": ids[n]}
                                        for n in range(6)]})
        draft = surat.LetterDraft("undangan", "Undangan rapat anggota", "Seluruh anggota",
                                  rapat_id=meeting, copies=["Kepala Desa", "Arsip"],
                                  acknowledge=True)
        result: dict[str, Any] = {"attendance": len(ids) + len(guests)}
        result["letter_cold_s"], result["letter_s"] = bench_reports._timed(
            lambda: surat.write(session, draft, folder / "undangan.pdf",
                                day=bench_reports.TODAY), runs)
        result["minutes_cold_s"], result["minutes_s"] = bench_reports._timed(
            lambda: rapat.build_notulen(session, meeting, folder / "notulen.pdf",
                                        today=bench_reports.TODAY), runs)
        result["pages"] = {name: _pdf_pages(folder / name)
                           for name in ("undangan.pdf", "notulen.pdf")}
    finally:
        session.close()
    return result


def letters_figures(result: dict[str, Any]) -> list[Figure]:
    pages = result.get("pages") or {}
    return [
        Figure("8", "letter from a template (undangan of a meeting)", result["letter_s"], "s",
               goal="≤ 0.3 s", met=at_most(result["letter_s"], 0.3),
               note=f"number taken, recorded, PDF kept with the record and written; first of "
                    f"the session {result['letter_cold_s']:.2f} s; "
                    f"{pages.get('undangan.pdf') or '?'} page"),
        Figure("8", f"minutes of a {result['attendance']}-person meeting", result["minutes_s"],
               "s", goal="≤ 0.5 s", met=at_most(result["minutes_s"], 0.5),
               note=f"5 agenda items, 6 follow-ups, attendance list; "
                    f"{pages.get('notulen.pdf') or '?'} pages"),
    ]


# == 3b. printing ============================================================================
def child_printing(work: Path, runs: int) -> dict[str, Any]:
    """The monthly report printed: vector (the PDF to CUPS) against 300 dpi pictures."""
    import bench_printing

    return bench_printing.measure(work / "printing", runs)


def printing_figures(result: dict[str, Any]) -> list[Figure]:
    vector_kb, raster_kb = result["vector_bytes"] / 1024, result["raster_bytes"] / 1024
    smaller = ratio(raster_kb, vector_kb)
    pages = result.get("pages") or "?"
    figures = [
        Figure("3b", "print the monthly report: bytes sent", vector_kb, "KB",
               "300 dpi pictures (Qt raster spool)", raster_kb, "KB", ratio=smaller,
               ratio_text=f"{smaller:.1f}× smaller" if smaller else "",
               goal="≥ 3× smaller", met=at_least(smaller, 3.0),
               note=f"{pages} pages, 12 photos; the PDF itself is what is sent"),
    ]
    if result.get("vector_printed_s") is not None:
        raster_total = result["raster_s"] + result["raster_printed_s"]
        faster = ratio(raster_total, result["vector_printed_s"])
        figures.append(Figure(
            "3b", "print the monthly report: seconds until printed", result["vector_printed_s"],
            "s", "300 dpi pictures: render + spool + CUPS", raster_total, ratio=faster,
            ratio_text=f"{faster:.1f}× faster" if faster else "",
            note=f"{result['cups']}; handing the PDF to lp took "
                 f"{result['vector_submit_s']:.2f} s"))
    else:
        figures.append(Figure(
            "3b", "print the monthly report: seconds (raster rendering only)", None, "s",
            "300 dpi pictures: render + spool", result["raster_s"],
            note=f"no CUPS measurement: {result.get('cups')}"))
    return figures


# == 4. bundles ===============================================================================
def child_bundles(work: Path, runs: int) -> dict[str, Any]:
    """A typical village's full export, and one large bundle's import rate against a plain
    sqlite3 upsert of the same rows (``bench_bundles``' helpers, timed here)."""
    import bench_bundles

    from kt_desktop import i18n

    i18n.set_language("id")
    folder = work / "bundles"
    folder.mkdir(exist_ok=True)
    village, receiver = bench_bundles.linked_pair(folder)
    receiver.close()
    exports, exported = bench_bundles.timed_full_exports(village, folder, runs)
    village.close()

    rate = folder / "rate"
    rate.mkdir()
    bundle, count, ours, plain = bench_bundles.import_rate(rate, members=3000, runs=runs)
    return {"export_s": median(exports), "export_records": exported.total,
            "export_kb": exported.bytes / 1024, "import_rows": count,
            "import_bytes": bundle.stat().st_size, "import_s": median(ours),
            "plain_s": median(plain), "import_runs_s": ours, "plain_runs_s": plain}


def child_province_bundles(work: Path, villages: int, province: str = "36",
                           mix: str = "demo") -> dict[str, Any]:
    """The first bundles of ``villages`` villages of ``province`` (``mix``: what each holds,
    :data:`MIXES`), made in processes of their own so that the import's memory is its own."""
    import bench_bundles

    folder = work / "province"
    codes = bench_bundles._banten_villages(villages, province)
    started = time.perf_counter()
    rows = bench_bundles.prepare_province(folder, province, mix, codes)
    prepared = time.perf_counter() - started
    size = sum(path.stat().st_size for path in (folder / "stick").iterdir())
    return {"villages": len(codes), "mix": mix, "rows": rows, "megabytes": size / 1e6,
            "prepare_s": prepared}


def child_province(work: Path, villages: int, province: str = "36") -> dict[str, Any]:
    """The first bundles made by :func:`child_province_bundles` into a new receiver, then
    again."""
    import bench_bundles

    from kt_desktop import i18n
    from kt_desktop.services import bundles
    from kt_desktop.services.session import open_session

    i18n.set_language("id")
    folder = work / "province"
    stick = folder / "stick"
    codes = bench_bundles._banten_villages(villages, province)

    target = folder / "banten.sqlite"
    shutil.copy(folder / "template.sqlite", target)
    receiver = open_session(target)
    try:
        started = time.perf_counter()
        report = bundles.import_files(receiver, [stick], trust_new=True)
        first = time.perf_counter() - started
        imported = report.count(bundles.IMPORTED)
        writes = receiver.db().conn.total_changes
        started = time.perf_counter()
        again = bundles.import_files(receiver, [stick], trust_new=True)
        second = time.perf_counter() - started
        unchanged = receiver.db().conn.total_changes == writes
        already = again.count(bundles.ALREADY)
    finally:
        receiver.close()
    if imported != len(codes) or already != len(codes) or not unchanged:
        raise RuntimeError(f"province import: {imported} imported, {already} already there, "
                           f"re-import wrote rows: {not unchanged} (of {len(codes)})")
    # The floor: the same rows upserted plainly, a transaction per village. For all 1,552
    # villages that would add as long again as the import, so it runs on the first
    # PLAIN_SAMPLE villages' bundles and is scaled by rows.
    plain_target = folder / "banten-plain.sqlite"
    shutil.copy(folder / "template.sqlite", plain_target)
    template = open_session(folder / "template.sqlite")
    sampled: list[int] = []

    def sample() -> Iterator[list[Any]]:
        for tables in itertools.islice(bench_bundles._batches(stick, template), PLAIN_SAMPLE):
            sampled.append(sum(len(table.rows) for table in tables))
            yield tables

    try:
        plain = bench_bundles._plain_upsert(plain_target, sample())
    finally:
        template.close()
    peak = peak_rss_mb(helpers=True)  # the import's (the floor below runs in this process too)
    return {"villages": len(codes), "peak_mb": peak, "first_s": first, "again_s": second,
            "plain_sample_villages": len(sampled), "plain_sample_rows": sum(sampled),
            "plain_sample_s": plain}


def bundles_figures(result: dict[str, Any]) -> list[Figure]:
    rate = result["import_rows"] / result["import_s"]
    plain = result["import_rows"] / result["plain_s"]
    r = ratio(rate, plain)
    return [
        Figure("4", "full export of a typical village", result["export_s"], "s",
               goal="≤ 0.5 s (issue 6)", met=at_most(result["export_s"], 0.5),
               note=f"{result['export_records']:,} records, {result['export_kb']:,.0f} KB, "
                    "signed, encrypted, written, read back"),
        Figure("4", "bundle import rate on a receiver", rate, "rows/s",
               "plain sqlite3 INSERT … ON CONFLICT DO UPDATE", plain, ratio=r,
               ratio_text=f"{r:.2f}× of floor" if r else "", goal="≥ 0.5× of floor",
               met=at_least(r, 0.5),
               note=f"one bundle of {result['import_rows']:,} rows, 3,000 members"),
    ]


# == 21. receipts ==============================================================================
def child_receipts(work: Path, runs: int) -> dict[str, Any]:
    """A typical village's receipt (tanda terima) made by the receiver and imported by the
    village, and the slowest of the refusals a village meets (issue 21: each under 5 s)."""
    import bench_bundles

    from kt_desktop import i18n
    from kt_desktop.bundles.errors import BundleError
    from kt_desktop.services import bundles, receipts

    i18n.set_language("id")
    folder = work / "receipts"
    folder.mkdir(exist_ok=True)
    village, receiver = bench_bundles.linked_pair(folder)
    usb = folder / "usb"
    usb.mkdir()
    made = [bundles.export(village, dest_dir=usb, full=True).path for _n in range(3)]
    bundles.import_files(receiver, [made[0], made[2]], trust_new=True)
    make_s, import_s, refusals = [], [], {}
    for run in range(runs):
        out = folder / f"tt-{run}"
        out.mkdir()
        started = time.perf_counter()
        (old,) = receipts.make_receipts(receiver, out)
        (new,) = receipts.make_receipts(receiver, out)
        make_s.append((time.perf_counter() - started) / 2)
        started = time.perf_counter()
        receipts.import_receipt(village, new.path)
        import_s.append(time.perf_counter() - started)
        data = new.path.read_bytes()
        changed = bytearray(data)
        changed[len(changed) // 2] ^= 1
        cases = {"replay": old.path.read_bytes(), "truncated": data[: len(data) // 2],
                 "damaged": bytes(changed), "not_document": made[1].read_bytes()}
        for name, payload in cases.items():
            path = out / f"{name}.ktr"
            path.write_bytes(payload)
            started = time.perf_counter()
            try:
                receipts.import_receipt(village, path)
            except BundleError:
                pass
            else:
                raise RuntimeError(f"the {name} receipt was accepted")
            refusals.setdefault(name, []).append(time.perf_counter() - started)
    village.close()
    receiver.close()
    slowest = max(refusals, key=lambda name: median(refusals[name]))
    return {"make_s": median(make_s), "import_s": median(import_s),
            "refusals_s": {name: median(times) for name, times in refusals.items()},
            "slowest_refusal": slowest, "slowest_refusal_s": median(refusals[slowest])}


def receipts_figures(result: dict[str, Any]) -> list[Figure]:
    slowest = result["slowest_refusal_s"]
    return [
        Figure("21", "receipt (tanda terima) made for a village, then imported by it",
               result["make_s"] + result["import_s"], "s",
               note=f"make {result['make_s']:.3f} s, import {result['import_s']:.3f} s"),
        Figure("21", f"slowest receipt refusal ({result['slowest_refusal']})", slowest, "s",
               goal="≤ 5 s each (issue 21)", met=at_most(slowest, 5.0),
               note=", ".join(f"{name} {value:.3f} s"
                              for name, value in result["refusals_s"].items())),
    ]


def province_figures(result: dict[str, Any]) -> list[Figure]:
    count = result["villages"]
    # Banten's goal (issue 6: 120 s for its 1,552 villages), or above it the largest
    # province's (issue 22: 10 minutes for Jawa Tengah's 8,563, the same bundles in 1 minute)
    goal_s, goal_villages = (120, ALL_VILLAGES) if count <= ALL_VILLAGES else (600, 8563)
    limit = goal_s * count / goal_villages
    again_limit = limit / 4 if count <= ALL_VILLAGES else 60 * count / goal_villages
    r = ratio(result["first_s"], result["plain_s"])
    scaled = "" if count == goal_villages else \
        f" (scaled from {goal_s} s for {goal_villages:,})"
    scaled += " (issue 22)" if count > ALL_VILLAGES else ""
    floor = "plain upsert of the same rows, a transaction per village"
    if result["plain_sample_villages"] < count:
        floor += f" (first {result['plain_sample_villages']} villages, scaled by rows)"
    return [
        Figure("4", f"first bundles of {count:,} villages, imported", result["first_s"], "s",
               floor, result["plain_s"],
               ratio=r, ratio_text=_times(r), goal=f"≤ {limit:.0f} s{scaled}",
               met=at_most(result["first_s"], limit),
               note=f"{result['rows']:,} rows, {result['megabytes']:,.0f} MB of bundles; "
                    f"mix: {result.get('mix', 'busy')}"),
        Figure("4", f"the same {count:,} bundles again (nothing to change)",
               result["again_s"], "s", "first import", result["first_s"],
               ratio=ratio(result["again_s"], result["first_s"]),
               ratio_text=_times(ratio(result["again_s"], result["first_s"])),
               goal=f"≤ {again_limit:.0f} s", met=at_most(result["again_s"], again_limit)),
    ] + ([Figure("4", f"peak memory of the import of {count:,} villages",
                 result["peak_mb"], "MB", goal="≤ 1,024 MB (issue 22)",
                 met=at_most(result["peak_mb"], 1024.0),
                 note="the process that imported them twice (and ran the floor's sample), "
                      "plus the peak of its helper process")]
         if "peak_mb" in result else [])


# == 5. receiver ==============================================================================
def child_banten_demo(work: Path, villages: int | None, province: str = "36") -> dict[str, Any]:
    import make_banten_demo

    out = work / "banten.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    summary = make_banten_demo.build(out, area=province, villages=villages)
    result = {"path": str(out), "province": province, "villages": len(summary.villages),
              "enrolled": len(summary.enrolled), "rows": summary.rows,
              "seconds": summary.seconds, "megabytes": out.stat().st_size / 1e6}
    (work / "banten.json").write_text(json.dumps(result), encoding="utf-8")
    return result


def child_receiver(work: Path) -> dict[str, Any]:
    """``bench_receiver.main --json`` on the demo file: its figures, as it prints them."""
    import contextlib
    import io

    import bench_receiver

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        bench_receiver.main(["--data", str(work / "banten.sqlite"), "--json"])
    text = printed.getvalue()
    return dict(json.loads(text[text.index("{"):]), peak_mb=peak_rss_mb())


def receiver_figures(runs: list[dict[str, Any]], demo: dict[str, Any],
                     bare_start: float | None) -> list[Figure]:
    opened = median(value for run in runs for value in run["open_s"])
    views: dict[str, float | None] = {
        name: median(run["views_s"][name] for run in runs) for name in runs[0]["views_s"]}
    slowest = max(views, key=lambda name: views[name] or 0.0)
    every = [value for value in views.values() if value is not None]
    scope = f"{demo['enrolled']:,} enrolled of {demo['villages']:,} villages"
    r = ratio(opened, bare_start)
    figures = [
        Figure("5", "receiver opens to the painted Rekap", opened, "s",
               "bare PySide6 start" if bare_start else "", bare_start, ratio=r,
               ratio_text=_times(r), goal="≤ 2 s (issue 7)", met=at_most(opened, 2.0),
               note=f"{scope}, {demo['megabytes']:,.0f} MB file"),
        Figure("5", f"slowest of {len(views)} aggregate views ({slowest})", views[slowest],
               "s", goal="≤ 0.5 s each", met=at_most(views[slowest], 0.5),
               note=f"median view {median(every) or 0:.3f} s; each view in the JSON"),
    ]
    for key, name, (goal, issue) in (
        ("pdf_month_s", "aggregate PDF, this month", (10.0, "7")),
        ("pdf_year_s", "aggregate PDF, this year", (10.0, "7")),
        ("xlsx_year_s", "workbook, this year", workbook_goal(demo["villages"])),
    ):
        value = median(run[key] for run in runs)
        figures.append(Figure("5", name, value, "s", goal=f"≤ {goal:.0f} s (issue {issue})",
                              met=at_most(value, goal)))
    if all("peak_mb" in run for run in runs):
        peak = max(run["peak_mb"] for run in runs)
        figures.append(Figure("5", "peak memory of the receiver: the 23 views, PDFs, workbook",
                              peak, "MB", goal="≤ 1,024 MB (issue 22)",
                              met=at_most(peak, 1024.0)))
    return figures


# == 22. the national level ===================================================================
def child_national(work: Path, runs: int) -> dict[str, Any]:
    """The province demo's aggregate (time, size), then 38 provinces' aggregates (every
    village of each province given the figures of a demo village, in turn), imported into
    a national file, and the national recap opened to its painted page."""
    import bench_receiver
    import make_banten_demo

    from kt_desktop import i18n, regions
    from kt_desktop.bundles import keys
    from kt_desktop.domain.formats import utc_now_iso
    from kt_desktop.services import bundles, national
    from kt_desktop.services.session import open_session
    from kt_desktop.services.setup import init_receiver
    from kt_desktop.store import migrations
    from kt_desktop.store import national as national_store

    i18n.set_language("id")
    folder = work / "national"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "kta").mkdir(parents=True)
    session = open_session(work / "banten.sqlite")
    try:
        year = int(session.db().execute(
            "SELECT max(substr(period, 1, 4)) FROM receiver_rollup WHERE metric = 'act'"
        ).fetchone()[0] or time.strftime("%Y"))
        started = time.perf_counter()
        made = national.export_aggregate(session, folder / "kta", year=year)
        export_s = time.perf_counter() - started
        key_rows, village_rows = national.pack(
            national_store.aggregate_figures(session.db(), year))
        schema = migrations.schema_version(session.db())
    finally:
        session.close()
    made.path.unlink()
    texts = [text for _village, text in village_rows]
    sizes = {}
    started = time.perf_counter()
    for province in regions.children(None):
        key_file = folder / f"p{province.code}.sqlite"
        init_receiver(key_file, province.code, f"Karang Taruna Provinsi {province.name}")
        own = open_session(key_file)
        try:
            signing = keys.signing_private_key(own.db())
        finally:
            own.close()
        villages = make_banten_demo.villages_of(province.code)
        rows = [(code, texts[index % len(texts)]) for index, code in enumerate(villages)]
        data = national.build_aggregate(
            signing, province=province.code, year=year, seq=1, made_utc=utc_now_iso(),
            enrolled=len(villages), sender=province.name, key_rows=key_rows,
            village_rows=rows, schema_version=schema)
        (folder / "kta" / f"KT-AGREGAT-{province.code}-{year}-0001.kta").write_bytes(data)
        sizes[province.code] = len(data)
    prepared_s = time.perf_counter() - started
    target = folder / "nasional.sqlite"
    init_receiver(target, "00", "Pengurus Nasional Karang Taruna")
    nation = open_session(target)
    try:
        started = time.perf_counter()
        report = bundles.import_files(nation, [folder / "kta"], trust_new=True)
        import_s = time.perf_counter() - started
        imported = report.count(bundles.IMPORTED)
        started = time.perf_counter()
        recap = national.national_recap(nation, year)
        recap_s = time.perf_counter() - started
    finally:
        nation.close()
    opened = bench_receiver.measure_open(target, runs)
    return {"year": year, "province_export_s": export_s, "province_kta_bytes": made.bytes,
            "province_villages": made.villages, "province_enrolled": made.enrolled,
            "prepared_s": prepared_s, "kta_bytes": sizes, "imported": imported,
            "import_s": import_s, "recap_s": recap_s, "villages": recap.villages,
            "open_s": opened, "national_mb": target.stat().st_size / 1e6}


def national_figures(result: dict[str, Any]) -> list[Figure]:
    enrolled, villages = result["province_enrolled"], result["province_villages"]
    jateng = result["kta_bytes"].get("33", 0)
    return [
        Figure("22", "province aggregate of a year, exported", result["province_export_s"], "s",
               note=f"{enrolled:,} enrolled villages, {result['province_kta_bytes'] / 1e6:.2f} MB"),
        Figure("22", "aggregate of Jawa Tengah, a year, all 8,563 villages", jateng / 1e6, "MB",
               goal="≤ 5 MB", met=at_most(jateng / 1e6, 5.0),
               note=f"each village given the figures of one of the {enrolled:,} demo villages "
                    f"of {villages:,}"),
        Figure("22", f"38 aggregates imported into a national file ({result['imported']})",
               result["import_s"], "s",
               note=f"{result['villages']:,} villages, {result['national_mb']:.0f} MB file"),
        Figure("22", "national recap opens to the painted page", median(result["open_s"]), "s",
               goal="≤ 2 s", met=at_most(median(result["open_s"]), 2.0),
               note=f"the recap query alone {result['recap_s']:.3f} s"),
    ]


# == 6. members import ========================================================================
def child_import(work: Path, runs: int) -> dict[str, Any]:
    """``bench_members.measure_import`` (make the .xlsx, preview, commit), then openpyxl
    reading the same file as the floor."""
    import bench_members
    from openpyxl import load_workbook

    folder = work / "import"
    folder.mkdir(exist_ok=True)
    measured = {}
    for key, measure, name in (("plain", bench_members.measure_import, "import-10k.xlsx"),
                               ("opensid", bench_members.measure_opensid_import,
                                "opensid-10k.xlsx")):
        results = [measure(folder, IMPORT_ROWS) for _ in range(runs)]
        reads = []
        for _ in range(runs):
            started = time.perf_counter()
            book = load_workbook(folder / name, read_only=True)
            rows = sum(1 for _row in book.worksheets[0].iter_rows(values_only=True))
            book.close()
            reads.append(time.perf_counter() - started)
        measured[key] = {
            "total_s": median(r["import total (s)"] for r in results),
            "read_check_s": median(r["import read+check (s)"] for r in results),
            "write_s": median(r["import write (s)"] for r in results),
            "new_refused": results[-1]["import new/refused"],
            "outside": results[-1]["import outside the age range"],
            "floor_s": median(reads), "floor_rows": rows - 1, "runs": results}
    return {**measured["plain"], "opensid": measured["opensid"]}


def import_figures(result: dict[str, Any]) -> list[Figure]:
    figures = []
    for part, name in ((result, f"members import, {IMPORT_ROWS:,}-row .xlsx (preview + commit)"),
                       (result.get("opensid"), f"members import, OpenSID export of "
                                               f"{IMPORT_ROWS:,} residents (43 columns)")):
        if not part:
            continue
        r = ratio(part["total_s"], part["floor_s"])
        outside = f"; outside the age range {part['outside']}" if part.get("outside") else ""
        figures.append(Figure(
            "6", name, part["total_s"], "s", "openpyxl reading the same file", part["floor_s"],
            ratio=r, ratio_text=_times(r), goal="≤ 10 s", met=at_most(part["total_s"], 10.0),
            note=f"read+check {part['read_check_s']:.1f} s, write {part['write_s']:.1f} s; "
                 f"new/refused {part['new_refused']}{outside}"))
    return figures


# == 8. the cash book ========================================================================
def make_cash_book(path: Path, entries: int, seed: int = 19) -> None:
    """A village file whose cash book holds ``entries`` entries over ten years in two
    accounts, a tenth of them members' dues (bulk-loaded with plain SQL: the benchmark
    measures reading, not typing)."""
    import datetime as dt
    import random
    import uuid

    from kt_desktop.services.session import open_session
    from kt_desktop.services.setup import init_village

    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import make_profile  # type: ignore[import-not-found]

    rng = random.Random(seed)
    init_village(path, make_profile())
    session = open_session(path)
    db = session.db()
    now = "2026-11-28T00:00:00.000000Z"
    first = dt.date(KAS_FIRST_YEAR, 1, 1)
    days = KAS_YEARS * 365
    members = [str(uuid.uuid4()) for _ in range(120)]
    rows = []
    for number in range(entries):
        day = first + dt.timedelta(days=number * days // entries)
        dues = number % 10 == 0
        received = dues or rng.random() < 0.4
        amount = 10_000 if dues else rng.randint(1, 400) * 5_000
        rows.append((str(uuid.uuid4()), session.code, 1, now, number + 1, day.isoformat(),
                     f"Transaksi {number}", "iuran" if dues else (
                         "donatur" if received else "kegiatan"),
                     amount if received else None, None if received else amount,
                     "Kas tunai" if dues else rng.choice(("Kas tunai", "Bank BRI")),
                     f"B-{number}", members[number // 10 % len(members)] if dues else None,
                     f"{day:%Y-%m}" if dues else None))
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO members(id, village_code, version, updated_at, change_seq, name, "
            "sex, status, nik_missing_reason) VALUES (?, ?, 1, ?, 0, ?, 'L', 'aktif', 'belum')",
            [(m, session.code, now, f"Anggota {n}") for n, m in enumerate(members)])
        db.conn.executemany(
            "INSERT INTO cash_book(id, village_code, version, updated_at, change_seq, "
            "entry_date, description, category, receipt, expense, account, proof_number, "
            "member_id, dues_month) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.execute("ANALYZE")
    session.close()


def child_kas(work: Path, runs: int) -> dict[str, Any]:
    """The cash book's page and reports on :func:`make_cash_book`'s file."""
    from kt_desktop import i18n
    from kt_desktop.domain.book import book
    from kt_desktop.services import books, dues
    from kt_desktop.services.session import open_session

    folder = work / "kas"
    folder.mkdir(exist_ok=True)
    path = folder / "kas-50k.sqlite"
    if not path.exists():
        make_cash_book(path, KAS_ENTRIES)
    i18n.set_language("id")
    kas = book("kas")
    last = KAS_FIRST_YEAR + KAS_YEARS - 1
    session = open_session(path)

    def timed(fn: Callable[[], object], times: int) -> float:
        seconds = []
        for _ in range(times):
            started = time.perf_counter()
            fn()
            seconds.append(time.perf_counter() - started)
        return median(seconds)

    def page(query: Any) -> Callable[[], object]:
        return lambda: books.list_page(session, kas, query, limit=256)

    def plain_month() -> object:
        return session.db().execute(
            "SELECT * FROM cash_book WHERE deleted_at IS NULL AND entry_date >= ? "
            "AND entry_date < ? ORDER BY entry_date LIMIT 256",
            [f"{last}-06-01", f"{last}-07-01"]).fetchall()

    runs = max(runs, 5)
    try:
        result = {
            "entries": KAS_ENTRIES,
            "month_s": timed(page(books.BookQuery(year=last, month=6)), runs),
            "month_floor_s": timed(plain_month, runs),
            "year_s": timed(page(books.BookQuery(year=last)), runs),
            "whole_s": timed(page(books.BookQuery()), runs),
            "laporan_month_s": timed(lambda: books.build_register(
                session, kas, folder / "bulan.pdf", year=last, month=6), runs),
            "laporan_year_s": timed(lambda: books.build_register(
                session, kas, folder / "tahun.pdf", year=last), max(1, runs // 3)),
            "dues_grid_s": timed(lambda: dues.grid(session, last), runs),
        }
    finally:
        session.close()
    return result


def kas_figures(result: dict[str, Any]) -> list[Figure]:
    entries = f"{result['entries']:,} entries"
    month, floor = result["month_s"], result["month_floor_s"]
    r = ratio(month, floor)
    return [
        Figure("9", f"cash book month view with balances ({entries})", month * 1000, "ms",
               "the month's rows by plain SQL, no balance", floor * 1000, "ms", ratio=r,
               ratio_text=_times(r), goal="≤ 50 ms", met=at_most(month, 0.05),
               note="first page of 256 and the count"),
        Figure("9", "cash book year view", result["year_s"] * 1000, "ms"),
        Figure("9", "cash book, whole book's newest page", result["whole_s"] * 1000, "ms"),
        Figure("9", "laporan kas of a month (PDF)", result["laporan_month_s"], "s",
               goal="≤ 0.5 s", met=at_most(result["laporan_month_s"], 0.5)),
        Figure("9", "cash book of a busy year (PDF, 5,000 entries)",
               result["laporan_year_s"], "s"),
        Figure("9", "dues grid of a year (120 members)", result["dues_grid_s"] * 1000, "ms"),
    ]


# == the run ==================================================================================
def _times(value: float | None) -> str:
    return f"{value:.2f}×" if value is not None else ""


def details(raw: dict[str, Any]) -> str:
    """What the table sums up: each receiver view, the slowest keystrokes, each child's memory."""
    parts = []
    receiver = raw.get("receiver")
    if receiver:
        lines = ["### Receiver views (median of the runs, each the first time it is asked)", "",
                 "| view | seconds |", "|---|---|"]
        for name in receiver[0]["views_s"]:
            lines.append(f"| {name} | {median(run['views_s'][name] for run in receiver):.3f} |")
        parts.append("\n".join(lines))
    members = raw.get("members")
    if members:
        parts.append("### Slowest keystrokes (ms, per run)\n\n" + "\n".join(
            f"- run {number}: {run['gui'].get('slowest keystrokes', '?')}"
            for number, run in enumerate(members, start=1)))
    memory = []
    for name, result in raw.items():
        for run in result if isinstance(result, list) else [result]:
            if isinstance(run, dict) and "peak_rss_mb" in run:
                memory.append(f"{name} {run['peak_rss_mb']:.0f} MB")
    if memory:
        parts.append("### Peak memory of each measuring process\n\n" + ", ".join(memory))
    return "\n\n".join(parts)


def figures_from_raw(raw: dict[str, Any]) -> list[Figure]:
    """The table's rows from the children's results (also used by ``--render``)."""
    bare = raw.get("startup", {}).get("bare", [])
    bare_start = median(run["painted"]["spawn_s"] for run in bare)
    bare_rss = median(run["painted"]["rss_mb"] for run in bare)
    #: Each child's result and the rows it makes, in the table's order.
    makers: dict[str, Callable[[Any], list[Figure]]] = {
        "startup": startup_figures, "members": lambda runs: members_figures(runs, bare_rss),
        "reports": reports_figures, "printing": printing_figures, "bundles": bundles_figures,
        "province": province_figures, "national": national_figures,
        "receiver": lambda runs: (receiver_figures(runs, raw["banten_demo"], bare_start)
                                  if "banten_demo" in raw else []),
        "import": import_figures, "receipts": receipts_figures, "letters": letters_figures,
        "kas": kas_figures,
    }
    figures: list[Figure] = []
    for key, make in makers.items():
        if key in raw:
            figures += make(raw[key])
    return figures


CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {
    "members": child_members, "reports": child_reports, "printing": child_printing,
    "bundles": child_bundles,
    "province-bundles": child_province_bundles, "province": child_province,
    "banten-demo": child_banten_demo, "receiver": child_receiver,
    "import": child_import, "receipts": child_receipts, "letters": child_letters,
    "kas": child_kas, "national": child_national,
}


def _child_main(args: argparse.Namespace) -> int:
    """One measurement in this (child) process; its result is the last line printed."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    work = args.work
    if args.child == "make-members":
        import bench_members

        emit({"seconds": bench_members.make_file(work / "desa-100k.sqlite", MEMBERS)})
        return 0
    function = CHILDREN[args.child]
    if args.child == "members":
        result = function(work, work / "desa-100k.sqlite")
    elif args.child == "province-bundles":
        result = function(work, args.villages, args.province, args.mix)
    elif args.child in ("province", "banten-demo"):
        result = function(work, args.villages, args.province)
    elif args.child == "receiver":
        result = function(work)
    else:
        result = function(work, args.runs)
    emit(result)
    return 0


class Run:
    """The parent: runs the children in order, keeps their results, makes the figures."""

    def __init__(self, args: argparse.Namespace, work: Path, logs: Path) -> None:
        self.args, self.work, self.logs = args, work, logs
        self.raw: dict[str, Any] = {}
        self.failures: list[str] = []
        self.villages = QUICK_VILLAGES if args.quick else args.villages or _village_count(
            args.province)

    def say(self, text: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)

    def child(self, name: str, timeout: float, *extra: str, log_name: str = "") -> dict[str, Any]:
        command = [python(), str(Path(__file__).resolve()), "--child", name, "--work",
                   str(self.work), "--runs", str(self.args.runs), *extra]
        return run_child(command, work=self.work, timeout=timeout,
                         log=self.logs / f"{log_name or name}.log")

    def step(self, name: str, action: Callable[[], None]) -> None:
        started = time.perf_counter()
        self.say(f"{name}…")
        try:
            action()
        except ChildFailed as exc:
            self.failures.append(f"{name}: {exc}")
            self.say(f"{name} FAILED: {exc}")
            return
        except Exception as exc:  # one broken measurement must not stop the others
            self.logs.mkdir(parents=True, exist_ok=True)
            (self.logs / f"{name}-parent.log").write_text(traceback.format_exc(), "utf-8")
            self.failures.append(f"{name}: {type(exc).__name__}: {exc} "
                                 f"(log: {self.logs / f'{name}-parent.log'})")
            self.say(f"{name} FAILED: {exc}")
            return
        self.say(f"{name} done in {time.perf_counter() - started:.0f} s")

    # -- the measurements, in the order of the issue --------------------------------------
    def members_file(self) -> None:
        if "members_file" in self.raw:
            return
        if not (self.args.reuse and (self.work / "desa-100k.sqlite").exists()):
            for old in self.work.glob("desa-100k.sqlite*"):
                old.unlink()
            self.raw["members_file"] = self.child("make-members", 900)
        else:
            self.raw["members_file"] = {"reused": str(self.work / "desa-100k.sqlite")}

    def startup(self) -> None:
        self.members_file()
        result = measure_startup(self.work, self.work / "desa-100k.sqlite", self.args.runs,
                                 self.logs)
        self.raw["startup"] = result

    def members(self) -> None:
        self.members_file()
        runs = [self.child("members", 900, log_name=f"members-{n}")
                for n in range(self.args.runs)]
        self.raw["members"] = runs

    def reports(self) -> None:
        if (self.args.install_libreoffice and not shutil.which("soffice")
                and not shutil.which("libreoffice")):
            _install_libreoffice(self.say)
        result = self.child("reports", 1800)
        self.raw["reports"] = result

    def printing(self) -> None:
        self.raw["printing"] = self.child("printing", 1800)

    def bundles(self) -> None:
        result = self.child("bundles", 1200)
        self.raw["bundles"] = result

    def province(self) -> None:
        made = self.child("province-bundles", 3600 * 3, "--villages", str(self.villages),
                          "--province", self.args.province, "--mix", self.args.mix)
        result = self.child("province", 3600 * 3, "--villages", str(self.villages),
                            "--province", self.args.province)
        result = {**made, **result}
        # the floor ran on a sample of the bundles: scaled by rows to all of them
        result["plain_s"] = result["plain_sample_s"] * result["rows"] / max(
            1, result["plain_sample_rows"])
        self.raw["province"] = result

    def receiver(self) -> None:
        known = self.work / "banten.json"
        demo = json.loads(known.read_text("utf-8")) if self.args.reuse and known.exists() \
            and (self.work / "banten.sqlite").exists() else None
        if demo is None or demo["villages"] != self.villages \
                or demo.get("province", "36") != self.args.province:
            demo = self.child("banten-demo", 3600 * 3, "--villages", str(self.villages),
                              "--province", self.args.province)
        self.raw["banten_demo"] = demo
        runs = [self.child("receiver", 1800, log_name=f"receiver-{n}")
                for n in range(self.args.runs)]
        self.raw["receiver"] = runs

    def national(self) -> None:
        known = self.work / "banten.json"
        demo = json.loads(known.read_text("utf-8")) if known.exists() \
            and (self.work / "banten.sqlite").exists() else None
        if demo is None or demo["villages"] != self.villages \
                or demo.get("province", "36") != self.args.province:
            # the province demo the aggregate is made from
            self.raw["banten_demo"] = self.child("banten-demo", 3600 * 3, "--villages",
                                                 str(self.villages), "--province",
                                                 self.args.province)
        self.raw["national"] = self.child("national", 3600)

    def import_(self) -> None:
        result = self.child("import", 1200)
        self.raw["import"] = result

    def receipts(self) -> None:
        self.raw["receipts"] = self.child("receipts", 900)

    def letters(self) -> None:
        self.raw["letters"] = self.child("letters", 900)

    def kas(self) -> None:
        self.raw["kas"] = self.child("kas", 1200)


def _village_count(province: str) -> int:
    """Every desa and kelurahan of ``province`` in the bundled region list."""
    from kt_desktop import regions

    counts = regions.counts(province)
    return counts.get("desa", 0) + counts.get("kelurahan", 0) or ALL_VILLAGES


def _install_libreoffice(say: Callable[[str], None]) -> None:
    """``apt-get install libreoffice-calc-nogui`` (the alternative the reports are held to)."""
    say("installing LibreOffice (apt-get install -y libreoffice-calc-nogui)…")
    for command in (["apt-get", "update"], ["apt-get", "install", "-y",
                                            "libreoffice-calc-nogui"]):
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode:
            say(f"{' '.join(command)} failed: {done.stderr.strip()[-300:]}")
            return


def _render(source: Path, out: Path) -> int:
    """Make the table again from a saved JSON (after changing how figures are shown)."""
    saved = json.loads(source.read_text(encoding="utf-8"))
    figures = figures_from_raw(saved["raw"])
    settings = dict(saved["settings"], rendered_from=str(source))
    json_path, md_path = write_results(out, figures=figures, failures=saved["failures"],
                                       info=saved["machine"], settings=settings,
                                       raw=saved["raw"], details=details(saved["raw"]))
    print(markdown(figures, saved["failures"]))
    print(f"\nwritten: {json_path} and {md_path}")
    return 0


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_VILLAGES} villages instead of {ALL_VILLAGES:,}")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results")
    parser.add_argument("--only", default=",".join(MEASUREMENTS),
                        help=f"comma-separated subset of: {', '.join(MEASUREMENTS)}")
    parser.add_argument("--keep", type=Path, help="make the data here and keep it")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: use the 100,000-member file and the Banten demo "
                             "already there instead of making them again")
    parser.add_argument("--install-libreoffice", action="store_true",
                        help="apt-get install libreoffice-calc-nogui when soffice is missing")
    parser.add_argument("--render", type=Path, metavar="JSON",
                        help="only write the table again from a saved result")
    parser.add_argument("--child", choices=[*CHILDREN, "make-members"], help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--province", default="36", metavar="CODE",
                        help="the province of the province/receiver measurements (default 36 "
                             "Banten; 33 Jawa Tengah, 8,563 villages: hours)")
    parser.add_argument("--mix", choices=MIXES, default="demo",
                        help="what each of the province step's first bundles holds: "
                             + "; ".join(f"{name}: {text}" for name, text in MIXES.items()))
    parser.add_argument("--villages", type=int, default=None,
                        help="villages of the province (default: all 1,552 of Banten, or all "
                             "of --province)")
    args = parser.parse_args(argv)
    args.runs = max(1, args.runs)
    wanted = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(wanted) - set(MEASUREMENTS))
    if unknown:
        parser.error(f"unknown measurement(s): {', '.join(unknown)}")
    args.only = [name for name in MEASUREMENTS if name in wanted]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    if args.child:
        return _child_main(args)
    if args.render:
        return _render(args.render, args.out)
    info = machine()
    work = args.keep or Path(tempfile.mkdtemp(prefix="kt-benchmark-"))
    work.mkdir(parents=True, exist_ok=True)
    for folder in ("home", "tmp"):
        (work / folder).mkdir(exist_ok=True)
    logs = args.out / "logs"
    if logs.exists():
        shutil.rmtree(logs)
    run = Run(args, work, logs)
    started = time.perf_counter()
    run.say(f"data and logs in {work}; logs also in {logs}")
    run.say(f"bytecode compiled in {compile_bytecode(work):.0f} s")
    try:
        for name in args.only:
            run.step(name, getattr(run, "import_" if name == "import" else name))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    info["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    startup = run.raw.get("startup", {}).get("bare")
    if startup:
        info["qt"] = startup[0]["painted"].get("qt")
    settings = {"command": ["scripts/benchmark.py", *(argv if argv is not None else
                                                      sys.argv[1:])],
                "quick": args.quick, "runs": args.runs, "villages": run.villages,
                "only": args.only, "seconds": round(time.perf_counter() - started, 1)}
    failures = list(run.failures)
    try:
        figures = figures_from_raw(run.raw)
    except Exception as exc:  # a result without a figure must still be written
        figures = []
        failures.append(f"making the table: {type(exc).__name__}: {exc}")
    json_path, md_path = write_results(args.out, figures=figures, failures=failures,
                                       info=info, settings=settings, raw=run.raw,
                                       details=details(run.raw))
    print(markdown(figures, failures))
    print(f"\nwritten: {json_path} and {md_path} ({settings['seconds']:.0f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
