"""Helpers for the receiver tests (no tests here): a province receiver filled through REAL
bundles from a few village files, and the same figures counted independently in Python
from the rows as imported."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kt_desktop import paths
from kt_desktop.domain import members as member_rules
from kt_desktop.domain.trainings import CompletionRule, compute_completion
from kt_desktop.services import bundles, demo
from kt_desktop.services.session import Session, open_session
from kt_desktop.services.setup import init_receiver, init_village
from kt_desktop.store import records
from tests.conftest import make_profile

#: Three desa in two kabupaten and one kelurahan of Kota Serang.
BAROS = "36.04.22.2001"  # Kecamatan Baros, Kabupaten Serang
CISALAM = "36.04.22.2008"  # same kecamatan
PANDEGLANG = "36.01.01.2002"  # Desa Kertajaya, Kecamatan Sumur, Kabupaten Pandeglang
CIPARE = "36.73.01.1002"  # Kelurahan Cipare, Kota Serang
#: Set up, with data, but its bundle never reaches the receiver.
LEFT_OUT = "36.04.22.2004"
VILLAGES = (BAROS, CISALAM, PANDEGLANG, CIPARE)
INJECTION = "=HYPERLINK(\"http://x\")"


@dataclass
class World:
    receiver: Path
    villages: dict[str, Path]
    today: dt.date
    duplicate_nik: str = ""
    names: dict[str, str] = field(default_factory=dict)


@contextmanager
def home(folder: Path) -> Iterator[None]:
    """The KT_DESKTOP_HOME of a module-scoped fixture (the autouse one is per test)."""
    with pytest.MonkeyPatch.context() as patch:
        folder.mkdir(parents=True, exist_ok=True)
        patch.setenv(paths.HOME_ENV, str(folder))
        yield


#: Months of demo data each village of the world holds, up to the day it is built.
WORLD_MONTHS = 12


def data_year(today: dt.date, months: int) -> int:
    """The calendar year holding most of the ``months`` of demo data that end ``today``.

    A test that checks a year's totals against sums of the rows must look at a year with rows
    in it: on 1 January the current year holds one day of the demo's months, and early in the
    year no training of it has ended yet. (Ties go to the earlier year, whose trainings have
    had time to end.)
    """
    first = (today.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    days: Counter[int] = Counter()
    day = first
    while day <= today:
        days[day.year] += 1
        day += dt.timedelta(days=1)
    return max(sorted(days), key=lambda year: (days[year], -year))


def build_world(folder: Path, today: dt.date) -> World:
    """Village files with demo data → bundles → one province receiver (the real path)."""
    receiver_path = folder / "provinsi.sqlite"
    init_receiver(receiver_path, "36", "Karang Taruna Provinsi Banten")
    receiver = open_session(receiver_path)
    key_file = folder / "kunci.ktkey"
    bundles.export_receiver_key(receiver, key_file, email="kt.banten@example.id")
    world = World(receiver_path, {}, today)
    outbox = folder / "usb"
    outbox.mkdir()
    try:
        for number, code in enumerate((*VILLAGES, LEFT_OUT)):
            path = folder / f"desa-{code.replace('.', '')}.sqlite"
            init_village(path, make_profile(village_code=code, name=f"Karang Taruna {number}"))
            village = open_session(path)
            try:
                bundles.import_receiver_key(village, key_file)
                demo.fill(village, members=30, months=WORLD_MONTHS, seed=100 + number,
                          today=today)
                if code == CISALAM:
                    world.duplicate_nik = _register_mover(village, world)
                if code == CIPARE:
                    records.insert(village.db(), "members", {
                        "name": INJECTION, "nik": "3673014101990007", "sex": "P",
                        "birth_date": "1999-01-01", "status": "aktif",
                    }, village_code=code, actor="Tes")
                if code == BAROS:
                    world.names[code] = _first_live(village)[1]
                bundle = bundles.export(village, dest_dir=outbox).path
            finally:
                village.close()
            world.villages[code] = path
            if code != LEFT_OUT:
                summary = bundles.import_files(receiver, [bundle], trust_new=True).bundles[0]
                assert summary.status == bundles.IMPORTED, summary.message
    finally:
        receiver.close()
    return world


def _first_live(village: Session) -> tuple[str, str, dict[str, Any]]:
    row = village.db().execute(
        "SELECT nik, name, sex, birth_date FROM members WHERE deleted_at IS NULL "
        "AND nik IS NOT NULL AND status != 'keluar' ORDER BY name LIMIT 1"
    ).fetchone()
    return row[0], row[1], {"sex": row[2], "birth_date": row[3]}


def _register_mover(village: Session, world: World) -> str:
    """A member of Baros who moved to Cisalam and was registered there too."""
    baros = open_session(world.villages[BAROS])
    try:
        nik, name, rest = _first_live(baros)
    finally:
        baros.close()
    records.insert(village.db(), "members", {
        "name": name, "nik": nik, "status": "aktif", "dusun": "Kampung Cisalam",
        "joined_on": world.today.isoformat(), **rest,
    }, village_code=CISALAM, actor="Tes")
    return nik


def copy_receiver(world: World, target: Path) -> Path:
    """A private copy of the receiver file (for a test that writes to it)."""
    shutil.copy(world.receiver, target)
    return target


# -- the figures, counted independently from the imported rows --------------------------------
def rows(session: Session, table: str) -> list[dict[str, Any]]:
    cursor = session.db().execute(f"SELECT * FROM [{table}] WHERE deleted_at IS NULL")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@dataclass
class Expected:
    members: Counter[str]  # sex -> on the register at the end
    bands: Counter[tuple[str, str]]  # (band key, sex)
    activities: Counter[str]  # jenis -> carried out
    beneficiaries: Counter[tuple[int, str]]  # (ppks, sex) -> people
    trainings: int
    participants: int
    graduates: int
    outcomes: Counter[str]


def expected(session: Session, start: dt.date, end: dt.date, villages: set[str]) -> Expected:
    """What the receiver's totals must say, computed here with plain Python over the rows."""
    s, e = start.isoformat(), end.isoformat()
    members: Counter[str] = Counter()
    bands: Counter[tuple[str, str]] = Counter()
    for m in rows(session, "members"):
        if m["village_code"] not in villages or m["sex"] not in ("L", "P"):
            continue
        if m["joined_on"] and m["joined_on"] > e:
            continue
        if m["status"] == "keluar" and (not m["left_on"] or m["left_on"] <= e):
            continue
        members[m["sex"]] += 1
        if m["birth_date"]:
            born = dt.date.fromisoformat(m["birth_date"])
            years = end.year - born.year - ((end.month, end.day) < (born.month, born.day))
            for key, (_label, low, high) in member_rules.AGE_BANDS.items():
                if low <= years <= high:
                    bands[(key, m["sex"])] += 1
    done = {
        a["id"]: a for a in rows(session, "activities")
        if a["village_code"] in villages and a["status"] == "terlaksana" and s <= a["start_date"] <= e
    }
    activities = Counter(a["kind"] for a in done.values())
    beneficiaries: Counter[tuple[int, str]] = Counter()
    for b in rows(session, "activity_beneficiaries"):
        if b["activity_id"] in done:
            beneficiaries[(b["ppks"], b["sex"])] += b["count"]
    trainings = {
        t["id"]: t for t in rows(session, "trainings")
        if t["village_code"] in villages and s <= t["end_date"] <= e
    }
    sessions = Counter(x["training_id"] for x in rows(session, "training_sessions"))
    codes: dict[str, list[str]] = {}
    for cell in rows(session, "training_attendance"):
        codes.setdefault(cell["participant_id"], []).append(cell["code"])
    latest: dict[str, tuple[int, str]] = {}
    for o in rows(session, "training_outcomes"):
        if o["participant_id"] not in latest or o["checkpoint_months"] > latest[
                o["participant_id"]][0]:
            latest[o["participant_id"]] = (o["checkpoint_months"], o["status"])
    participants = graduates = 0
    outcomes: Counter[str] = Counter()
    for p in rows(session, "training_participants"):
        training = trainings.get(p["training_id"])
        if training is None:
            continue
        participants += 1
        rule = CompletionRule(training["min_attendance_pct"], training["min_post_score"])
        result = compute_completion(
            rule, p["id"], sessions[p["training_id"]], codes.get(p["id"], []),
            post_score=p["post_score"], override=p["result_override"] or None,
        )
        graduates += result.final_pass
        if p["id"] in latest:
            outcomes[latest[p["id"]][1]] += 1
    return Expected(members, bands, activities, beneficiaries, len(trainings), participants,
                    graduates, outcomes)


def demo_script() -> Any:
    """``scripts/make_banten_demo.py`` as a module (the scale demo of any province)."""
    import importlib.util
    import sys

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("make_banten_demo",
                                                  root / "scripts" / "make_banten_demo.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_banten_demo", module)
    spec.loader.exec_module(module)
    return module
