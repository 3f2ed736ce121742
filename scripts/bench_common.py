"""What ``scripts/benchmark.py`` needs around its measurements: figures, children, output.

Kept apart from the measurements so that the benchmark reads as a list of what it measures.
Nothing here imports Qt, reportlab or the program: the parent process of the benchmark stays
small, and each measurement's memory and imports are its own child's.

* :class:`Figure` is one line of the result table: a value, its floor or alternative measured
  in the same run, the ratio between them, the goal and whether it is met.
* :func:`run_child` runs one measurement in a fresh process with a timeout and reads the one
  JSON line it prints (:func:`emit`); a crash or a timeout is a :class:`ChildFailed`, so the
  other measurements still run.
* :func:`child_env` is the environment every child gets (offscreen Qt, an isolated home, and
  compiled bytecode kept between runs — see its docstring).
* :func:`machine` says where the figures came from; :func:`markdown` and :func:`write_results`
  write the table and the JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

#: The line a child prints before its JSON result (anything else on stdout is ignored).
RESULT_MARK = "BENCH-RESULT "


# -- figures ---------------------------------------------------------------------------------
@dataclass(slots=True)
class Figure:
    """One row of the table. ``met`` is None where the issue sets no goal for the figure."""

    area: str
    name: str
    value: float | None
    unit: str
    floor_name: str = ""
    floor: float | None = None
    floor_unit: str = ""
    ratio: float | None = None
    ratio_text: str = ""
    goal: str = ""
    met: bool | None = None
    note: str = ""
    #: Shown instead of the value when the figure is not a number (a list of modules).
    shown: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


#: Banten's villages: the receiver's goals of issue 7 are for a province this large.
BANTEN_VILLAGES = 1_552


def workbook_goal(villages: int) -> tuple[float, str]:
    """The receiver workbook's goal in seconds and the issue that sets it: issue 7's 30 s for
    Banten, issue 22's 60 s above it (Jawa Tengah's 8,563 villages)."""
    return (60.0, "22") if villages > BANTEN_VILLAGES else (30.0, "7")


def at_most(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


def at_least(value: float | None, limit: float) -> bool | None:
    return None if value is None else value >= limit


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def median(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None and not math.isnan(v)]
    return statistics.median(present) if present else None


def p95(values: Sequence[float]) -> float:
    """The 95th percentile, nearest rank (the value 95 % of the samples do not exceed)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def peak_rss_mb(*, helpers: bool = False) -> float:
    """This process's peak resident memory (Linux reports ru_maxrss in KiB); with
    ``helpers``, plus the largest peak of its ended child processes (a large import's helper,
    kt_desktop/bundles/prepare.py), as if both peaks were at the same moment."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if helpers:
        peak += resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return peak / 1024


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit in ("rows/s", "MB", "rows") or abs(value) >= 100:
        return f"{value:,.0f} {unit}".strip()
    if abs(value) >= 10:
        return f"{value:,.1f} {unit}".strip()
    return f"{value:,.2f} {unit}".strip()


def _verdict(met: bool | None) -> str:
    return {True: "yes", False: "**no**", None: "—"}[met]


def markdown(figures: Sequence[Figure], failures: Sequence[str] = ()) -> str:
    """The result table (and the measurements that failed to run, if any)."""
    lines = [
        "| # | figure | value | floor / alternative | ratio | goal | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for figure in figures:
        floor = "—"
        if figure.floor_name:
            floor = figure.floor_name
            if figure.floor is not None:
                floor += f": {_number(figure.floor, figure.floor_unit or figure.unit)}"
        name = figure.name + (f" — {figure.note}" if figure.note else "")
        lines.append(
            f"| {figure.area} | {name} | {figure.shown or _number(figure.value, figure.unit)} "
            f"| {floor} | "
            f"{figure.ratio_text or '—'} | {figure.goal or '—'} | {_verdict(figure.met)} |"
        )
    if failures:
        lines.append("")
        lines.append("Failed to run:")
        lines.extend(f"- {failure}" for failure in failures)
    return "\n".join(lines)


# -- children --------------------------------------------------------------------------------
class ChildFailed(Exception):
    """A measurement's process crashed, timed out or printed no result."""


def child_env(work: Path) -> dict[str, str]:
    """The environment of every measured process.

    Offscreen Qt (no display needed), the program's home in the work folder (settings, logs
    and backups of the run go there, never to the user's), and compiled bytecode kept in
    ``work/pycache``: this machine sets ``PYTHONDONTWRITEBYTECODE``, and without a cache every
    start would compile each module again, which an installed (frozen) program never does.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["KT_DESKTOP_HOME"] = str(work / "home")
    # Temporary folders the measured scripts make (and some keep) end up in the work folder.
    env["TMPDIR"] = str(work / "tmp")
    env.setdefault("LANG", "C.UTF-8")
    return env


def runtime_sources() -> list[str]:
    """The folders of Python source the program runs: the standard library, the package and
    every installed distribution it needs at run time (its requirements, recursively;
    extras such as the test tools are left out)."""
    import re
    import sysconfig
    from importlib import metadata

    seen = {"pip", "setuptools"}  # installers some packages name, never run by the program
    todo = ["kt-desktop"]
    folders = {sysconfig.get_path("stdlib"), str(ROOT / "kt_desktop")}
    while todo:
        name = re.sub(r"[-_.]+", "-", todo.pop()).lower()
        if name in seen:
            continue
        seen.add(name)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        for requirement in dist.requires or ():
            if "extra ==" not in requirement:
                todo.append(re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0])
        for file in () if name == "kt-desktop" else dist.files or ():
            if file.suffix == ".py" and not str(file).startswith(".."):
                folders.add(str(dist.locate_file(file.parts[0])))
    return sorted(folder for folder in folders if Path(folder).exists())


def compile_bytecode(work: Path) -> float:
    """Fill the run's bytecode cache (``work/pycache``) for everything the program runs, as
    an installed program has it: otherwise the first measured process to import reportlab
    would spend half a second compiling it, which no secretary's start ever does."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j", "0", *runtime_sources()],
        env=child_env(work), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        check=False, timeout=600,
    )
    return time.perf_counter() - started


def emit(result: dict[str, Any]) -> None:
    """A child's last word: its result as one JSON line, with its own peak memory."""
    result.setdefault("peak_rss_mb", peak_rss_mb())
    print(RESULT_MARK + json.dumps(result, default=str), flush=True)


def run_child(
    command: Sequence[str], *, work: Path, timeout: float, log: Path
) -> dict[str, Any]:
    """Run ``command`` (a measurement child) and return the result it emitted.

    Its stdout and stderr go to ``log`` in full, whatever happens, so a failure can be read.
    """
    started = time.perf_counter()
    log.parent.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(
            list(command), capture_output=True, text=True, timeout=timeout,
            env=child_env(work), cwd=ROOT,
        )
    except subprocess.TimeoutExpired as exc:
        log.write_text(_log_text(command, exc.stdout, exc.stderr, "timeout"), encoding="utf-8")
        raise ChildFailed(f"timed out after {timeout:.0f} s (log: {log})") from exc
    log.write_text(
        _log_text(command, done.stdout, done.stderr, f"exit {done.returncode}"), encoding="utf-8"
    )
    found = [line for line in done.stdout.splitlines() if line.startswith(RESULT_MARK)]
    if not found:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise ChildFailed(f"exit {done.returncode}, no result: {tail[0][:200]} (log: {log})")
    result: dict[str, Any] = json.loads(found[-1][len(RESULT_MARK):])
    result["child_seconds"] = time.perf_counter() - started
    return result


def _log_text(command: Sequence[str], out: Any, err: Any, end: str) -> str:
    def text(value: Any) -> str:
        return value.decode(errors="replace") if isinstance(value, bytes) else (value or "")

    return f"$ {' '.join(command)}\n[{end}]\n--- stdout\n{text(out)}\n--- stderr\n{text(err)}\n"


# -- the machine -----------------------------------------------------------------------------
def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024**2
    except OSError:
        pass
    return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, Any]:
    """Where the figures came from (ratios travel between machines; absolute times do not)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 0
    return {
        "cores": cores,
        "cpu": _cpu_model(),
        "memory_gib": round(_memory_gib() or 0, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "pyside6": _version("PySide6-Essentials"),
        "sqlite_utils": _version("sqlite-utils"),
        "reportlab": _version("reportlab"),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def machine_line(info: dict[str, Any]) -> str:
    qt = info.get("qt") or info["pyside6"]
    return (
        f"{info['cores']} cores ({info['cpu']}), {info['memory_gib']} GiB, {info['os']}; "
        f"Python {info['python']}, PySide6 {info['pyside6']} (Qt {qt}); load average "
        f"{info['load_average_at_start'][0]} at start, {info.get('load_average_at_end', ['?'])[0]}"
        " at end (the machine is shared: compare ratios, not absolute times)"
    )


def write_results(
    out: Path, *, figures: Sequence[Figure], failures: Sequence[str], info: dict[str, Any],
    settings: dict[str, Any], raw: dict[str, Any], details: str = "",
) -> tuple[Path, Path]:
    """``benchmark-<UTC time>.json`` and ``.md`` in ``out``, and ``latest.*`` beside them."""
    out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    table = markdown(figures, failures)
    text = (
        f"# KT Desktop benchmark {stamp}\n\n`{' '.join(settings['command'])}`\n\n"
        f"Machine: {machine_line(info)}.\n\n{table}\n"
        + (f"\n{details}\n" if details else "")
    )
    data = {
        "when_utc": stamp,
        "settings": settings,
        "machine": info,
        "figures": [asdict(figure) for figure in figures],
        "failures": list(failures),
        "raw": raw,
    }
    json_path = out / f"benchmark-{stamp}.json"
    md_path = out / f"benchmark-{stamp}.md"
    json_path.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    md_path.write_text(text, encoding="utf-8")
    (out / "latest.json").write_text(json_path.read_text(encoding="utf-8"), encoding="utf-8")
    (out / "latest.md").write_text(text, encoding="utf-8")
    return json_path, md_path


def python() -> str:
    """The interpreter of this run (the project's .venv when started as documented)."""
    return sys.executable
