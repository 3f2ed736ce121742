"""A bulk import (many bundles at once: the indexes and the member search set aside and built
again at the end) ends exactly where importing the same bundles one by one ends: the same
records, summaries, conflicts, gaps, duplicates, aggregates, search results and schema; and
a Cancel, an error or a SIGKILL in the middle of it leaves a file that, once opened again,
has every index, trigger and search entry back and imports the rest cleanly."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import signal
import sys
import textwrap
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kt_desktop import i18n
from kt_desktop.bundles import merge, prepare, read
from kt_desktop.domain import clock
from kt_desktop.services import bundles, demo
from kt_desktop.services import receiver as receiver_service
from kt_desktop.services.progress import Progress
from kt_desktop.services.session import Session, open_session
from kt_desktop.services.setup import init_receiver, init_village
from kt_desktop.store import bulk_import, connection, maintenance, settings, sync
from tests.conftest import make_profile
from tests.test_bundles_kit import (
    add_members,
    bag_of,
    edit,
    entries,
    expect_line,
    export,
    record_digest,
    remove,
    repack,
    resign,
    seal,
    signing_key,
    start_child,
)
from tests.test_receiver_kit import data_year, expected, home

BAROS = "36.04.22.2001"
CISALAM = "36.04.22.2008"
KERTAJAYA = "36.01.01.2002"
CIPARE = "36.73.01.1002"
SUKAJAYA = "36.04.22.2004"
#: Months of demo data in each village of the world.
MONTHS = 2
CODES = (BAROS, CISALAM, KERTAJAYA, CIPARE, SUKAJAYA)
#: The village whose bundle names a member id of Baros (its own record all the same).
NEIGHBOUR = "36.04.22.2005"

#: Words to search the member register for (demo names and dusun, a kit name).
SEARCHES = ("siti", "nur*", "anggota", "cilaku", "a*")


@dataclass
class World:
    pristine: Path  # the receiver with its key, nothing imported (closed, checkpointed)
    stick: Path  # every bundle, in one folder
    order: list[Path]  # the bundles in the order an import takes them (village, sequence)
    reference: Path  # the pristine receiver after importing them one by one, in that order
    summaries: list[dict[str, Any]]  # the one-by-one summaries
    seconds: float  # how long importing them all in bulk mode takes


def _hijacked(village: Session, receiver: Session, folder: Path, victim: Path) -> bytes:
    """A bundle of ``village`` whose first member takes the id of one of ``victim``'s."""
    victim_files = entries(bag_of(victim, receiver))
    member_id = json.loads(victim_files["data/members.jsonl"].splitlines()[0])["id"]
    files = entries(bag_of(export(village, folder / "hijack-src"), receiver))
    lines = files["data/members.jsonl"].splitlines()
    row = json.loads(lines[0])
    row["id"], row["version"] = member_id, 99
    lines[0] = json.dumps(row).encode()
    files["data/members.jsonl"] = b"\n".join(lines) + b"\n"
    return seal(repack(resign(files, signing_key(village))), receiver)


@contextmanager
def _opened_copy(pristine: Path, target: Path) -> Iterator[Session]:
    """A copy of the closed receiver ``pristine`` at ``target``, open for the block."""
    shutil.copy(pristine, target)
    session = open_session(target)
    try:
        yield session
    finally:
        session.close()


def _build(folder: Path) -> World:
    pristine = folder / "pristine.sqlite"
    init_receiver(pristine, "36", "Karang Taruna Provinsi Banten")
    receiver = open_session(pristine)
    key_file = folder / "kunci.ktkey"
    bundles.export_receiver_key(receiver, key_file)
    stick = folder / "stick"
    stick.mkdir()
    lost = folder / "lost"
    first: dict[str, Path] = {}
    try:
        for number, code in enumerate(CODES):
            path = folder / f"desa-{number}.sqlite"
            init_village(path, make_profile(village_code=code, name=f"Karang Taruna {number}"))
            village = open_session(path)
            try:
                bundles.import_receiver_key(village, key_file)
                demo.fill(village, members=14, months=MONTHS, seed=40 + number)
                # the same people in the first two villages (duplicate NIKs)
                ids = add_members(village, 3, start=0 if number < 2 else 100 * number)
                first[code] = export(village, stick / code)
                restored = None
                if code == BAROS:  # a restored laptop: same versions, other content
                    with connection.copying_to(village.db(), folder / "restored.sqlite"):
                        village.db().execute(
                            "VACUUM INTO ?", [str(folder / "restored.sqlite")]
                        )
                    restored = open_session(folder / "restored.sqlite")
                edit(village, "members", ids[0], name="Nama Baru")
                remove(village, "members", ids[1], clear=("name", "nik"))
                add_members(village, 2, start=1000 + 10 * number)
                export(village, (lost if code == CISALAM else stick) / code)
                if code == CISALAM:  # bundle 2 never arrives: a gap before bundle 3
                    edit(village, "members", ids[2], name="Sesudah Celah")
                    export(village, stick / code)
                if restored is not None:
                    remove(restored, "members", ids[1], clear=("name", "nik"))
                    edit(restored, "members", ids[0], name="Nama Laptop Baru")
                    export(restored, folder / "throwaway")  # uses up its number 2
                    export(restored, stick / "restored", full=True)  # number 3, full
                    restored.close()
            finally:
                village.close()
        # a neighbour that names a Baros member's id: its own record (a receiver keys
        # records by village and id), Baros's untouched, in both modes
        path = folder / "penyusup.sqlite"
        init_village(path, make_profile(village_code=NEIGHBOUR, name="Penyusup"))
        village = open_session(path)
        try:
            bundles.import_receiver_key(village, key_file)
            add_members(village, 2, start=5000)
            (stick / "penyusup.ktb").write_bytes(_hijacked(village, receiver, folder,
                                                           first[BAROS]))
        finally:
            village.close()
        (stick / "terpotong.ktb").write_bytes(first[KERTAJAYA].read_bytes()[:700])  # cut off
        shutil.copy(first[CIPARE], stick / "salinan-cipare.ktb")  # the same bundle twice
    finally:
        receiver.close()

    # The order an import takes them in (village, then sequence): a dry run says.
    with _opened_copy(pristine, folder / "probe.sqlite") as session:
        plan = bundles.import_files(session, [stick], dry_run=True, trust_new=True)
    by_name = {path.name: path for path in stick.rglob("*.ktb")}
    order = [by_name[summary.source] for summary in plan.bundles]
    assert sorted(order) == sorted(by_name.values())

    reference = folder / "one-by-one.sqlite"
    with _opened_copy(pristine, reference) as session:
        summaries = [
            bundles.import_files(session, [bundle], trust_new=True, bulk=False)
            .bundles[0]
            .as_dict()
            for bundle in order
        ]
    with _opened_copy(pristine, folder / "timed.sqlite") as session:
        started = time.perf_counter()
        bundles.import_files(session, [stick], trust_new=True, bulk=True)
        seconds = time.perf_counter() - started
    return World(pristine, stick, order, reference, summaries, seconds)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    folder = tmp_path_factory.mktemp("bulk")
    with home(folder / "home"):
        return _build(folder)


def _copy(world: World, target: Path) -> Path:
    shutil.copy(world.pristine, target)
    return target


def _schema(db: Any) -> list[tuple[str, str, str]]:
    return sorted(
        tuple(row)
        for row in db.execute(
            "SELECT type, name, coalesce(sql, '') FROM sqlite_master WHERE type IN "
            "('index', 'trigger')"
        )
    )


def _search(db: Any) -> dict[str, list[str]]:
    """Member ids each search word finds through the full-text index."""
    return {
        word: sorted(
            row[0]
            for row in db.execute(
                "SELECT id FROM members WHERE rowid IN "
                "(SELECT rowid FROM members_fts WHERE members_fts MATCH ?)",
                [word],
            )
        )
        for word in SEARCHES
    }


def _views(session: Session) -> dict[str, Any]:
    """What the receiver's pages show: totals, reporting, villages, duplicates, conflicts."""
    today = clock.today()
    year = receiver_service.year_period(today.year)
    month = receiver_service.this_month(receiver_service.local_day(dt.datetime.now(dt.UTC)))
    totals = receiver_service.totals(session, year)
    return {
        "totals": repr(totals),
        "month": repr(receiver_service.totals(session, month)),
        "reporting": repr(receiver_service.reporting_table(session, month)),
        "duplicates": repr(receiver_service.duplicates(session)),
        "conflicts": sorted(
            (c.table_name, c.record_id, c.village_code, c.bundle_seq, c.reason,
             json.dumps(c.kept, sort_keys=True), json.dumps(c.lost, sort_keys=True))
            for c in bundles.conflicts(session, open_only=False)
        ),
        "imports": sorted(
            (i.village_code, i.seq, i.full, i.sha256, json.dumps(i.counts, sort_keys=True),
             json.dumps(i.gaps), i.conflicts)
            for i in bundles.recent_imports(session, limit=1000)
        ),
    }


def _state(path: Path) -> dict[str, Any]:
    """Everything compared between two receivers (opening the file repairs it first)."""
    session = open_session(path)
    try:
        db = session.db()
        return {
            "records": record_digest(db, None),
            "schema": _schema(db),
            "search": _search(db),
            "pending": settings.get(db, bulk_import.PENDING),
            "problems": maintenance.integrity_problems(db),
            "fts": _fts_sound(db),
            **_views(session),
        }
    finally:
        session.close()


def _fts_sound(db: Any) -> bool:
    db.execute("INSERT INTO members_fts(members_fts) VALUES ('integrity-check')")
    return True


def _comparable(summary: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in summary.items() if key != "message"} | {
        "message": summary["message"][:40]
    }


# -- bulk equals one by one -----------------------------------------------------------------
def test_a_bulk_import_ends_where_importing_one_by_one_ends(world: World, tmp_path: Path) -> None:
    reference = _state(world.reference)
    # the world is not vacuous: conflicts, a gap, a duplicate NIK, refusals, a repeat
    statuses = [summary["status"] for summary in world.summaries]
    assert statuses.count(bundles.REFUSED) == 1 and statuses.count(bundles.ALREADY) == 1
    intruder = next(s for s in world.summaries if s["source"] == "penyusup.ktb")
    assert intruder["status"] == bundles.IMPORTED
    assert any(summary["conflicts"] for summary in world.summaries)
    assert any(summary["gaps"] for summary in world.summaries)
    assert reference["conflicts"] and all(reference["search"].values())
    session = open_session(world.reference)
    try:
        assert receiver_service.duplicates(session).total >= 2
    finally:
        session.close()

    target = _copy(world, tmp_path / "bulk.sqlite")
    session = open_session(target)
    try:
        before = _schema(session.db())
        report = bundles.import_files(session, [world.stick], trust_new=True, bulk=True)
        assert settings.get(session.db(), bulk_import.PENDING) is None
        assert _schema(session.db()) == before  # every index and trigger is back
    finally:
        session.close()
    assert [_comparable(s.as_dict()) for s in report.bundles] == [
        _comparable(s) for s in world.summaries
    ]
    assert _state(target) == reference
    assert reference["pending"] is None and reference["problems"] == []

    # and the totals equal sums counted independently, in Python, from the rows imported
    session = open_session(target)
    try:
        year = receiver_service.year_period(data_year(clock.today(), MONTHS))
        figures = receiver_service.totals(session, year).all
        want = expected(session, year.start, year.end, {*CODES, NEIGHBOUR})
    finally:
        session.close()
    assert want.members["L"] + want.members["P"] > 40 and want.activities and want.trainings
    assert (figures.members_male, figures.members_female) == (want.members["L"],
                                                              want.members["P"])
    assert figures.activities == dict(want.activities)
    assert {(code, sex): n for code, pair in figures.beneficiaries.items()
            for sex, n in zip("LP", pair, strict=True) if n} == dict(want.beneficiaries)
    assert (figures.trainings, figures.participants, figures.graduates) == (
        want.trainings, want.participants, want.graduates)


def test_the_bulk_mode_sets_aside_only_non_unique_indexes_out_of_arrival_order(
    world: World, tmp_path: Path
) -> None:
    session = open_session(_copy(world, tmp_path / "r.sqlite"))
    db = session.db()
    try:
        before = _schema(db)
        with db.atomic():
            dropped = bulk_import.begin(db)
            during = {name for _kind, name, _sql in _schema(db)}
            pending = json.loads(settings.get(db, bulk_import.PENDING) or "{}")
        gone = {name for _kind, name, _sql in before} - during
        assert dropped == len(gone) and gone
        assert {"members_fts_insert", "members_fts_update", "members_fts_delete"} <= gone
        assert "idx_receiver_members_nik" in gone and "idx_members_name" in gone
        # village-led, but keyed on a parent's random id within the village: sorted after
        assert {"idx_receiver_beneficiaries_village", "idx_receiver_participants_village"} <= gone
        # a receiver's members are keyed by village and id: no index repeats the key
        assert "idx_receiver_members_village_id" not in {name for _kind, name, _sql in before}
        for kept in ("idx_members_village_nik", "idx_training_attendance_cell",  # UNIQUE
                     "idx_members_change_seq", "idx_receiver_members_census",  # arrival order
                     "idx_imports_sha256", "idx_audit_log_at"):  # not record tables
            assert kept in during, kept
        assert pending["search"] == ["members_fts"]
        assert bulk_import.finish(db) and _schema(db) == before
        assert not bulk_import.finish(db)  # nothing pending any more
    finally:
        session.close()


def test_only_a_large_import_chooses_the_bulk_mode(world: World) -> None:
    session = open_session(world.reference)  # holds a few hundred rows
    try:
        db = session.db()
        held = bulk_import.record_rows(db)
        assert held > 300
        assert not bulk_import.worth_it(db, bundles=49, rows=10_000_000)
        assert not bulk_import.worth_it(db, bundles=1552, rows=49_999)
        assert bulk_import.worth_it(db, bundles=1552, rows=2_600_000)
        assert bulk_import.worth_it(db, bundles=60, rows=max(50_000, held // 4))
    finally:
        session.close()


def test_a_dry_run_never_sets_anything_aside(world: World, tmp_path: Path) -> None:
    session = open_session(_copy(world, tmp_path / "dry.sqlite"))
    try:
        before = sync.canonical_digest(session.db())
        schema = _schema(session.db())
        report = bundles.import_files(
            session, [world.stick], trust_new=True, dry_run=True, bulk=True
        )
        assert report.count(bundles.DRY_RUN) >= len(CODES)
        assert sync.canonical_digest(session.db()) == before
        assert _schema(session.db()) == schema
    finally:
        session.close()


# -- stopped half way -----------------------------------------------------------------------
def _import_the_rest_and_compare(world: World, target: Path) -> None:
    """Import the whole stick again (bulk) into ``target``: it must end where the reference
    receiver, which imported one by one, ended."""
    session = open_session(target)
    try:
        bundles.import_files(session, [world.stick], trust_new=True, bulk=True)
    finally:
        session.close()
    assert _state(target) == _state(world.reference)


def _prefix_state(world: World, count: int, folder: Path) -> dict[str, Any]:
    """The receiver after the first ``count`` bundles, imported one by one."""
    path = _copy(world, folder / f"prefix-{count}.sqlite")
    session = open_session(path)
    try:
        for bundle in world.order[:count]:
            bundles.import_files(session, [bundle], trust_new=True, bulk=False)
    finally:
        session.close()
    return _state(path)


def test_cancel_in_the_middle_rebuilds_before_it_returns(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bundles, "BULK_BATCH_ROWS", 1)  # every bundle commits on its own
    target = _copy(world, tmp_path / "cancel.sqlite")
    session = open_session(target)

    def moved(done: int, total: int, text: str) -> None:
        if done == 4:  # what the dialog's Cancel button does
            progress.cancel()

    progress = Progress(moved)
    try:
        report = bundles.import_files(
            session, [world.stick], trust_new=True, progress=progress, bulk=True
        )
        assert report.cancelled and len(report.bundles) == 4
        assert settings.get(session.db(), bulk_import.PENDING) is None  # rebuilt already
    finally:
        session.close()
    assert _state(target) == _prefix_state(world, 4, tmp_path)
    _import_the_rest_and_compare(world, target)


def test_a_bulk_import_syncs_only_its_end_and_gives_the_settings_back(
    world: World, tmp_path: Path
) -> None:
    """While merging, commits are not synced one by one and the log grows; the rebuild's
    commit is synced again, and the connection ends with its usual settings."""
    target = _copy(world, tmp_path / "tuned.sqlite")
    session = open_session(target)
    conn = session.db().conn

    def settings_now() -> tuple[int, int, int]:
        return (
            int(conn.execute("PRAGMA synchronous").fetchone()[0]),
            int(conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]),
            int(conn.execute("PRAGMA cache_size").fetchone()[0]),
        )

    seen: dict[str, tuple[int, int, int]] = {}
    sorting: list[int] = []

    def moved(done: int, total: int, text: str) -> None:
        rebuilding = text == i18n._("Rebuilding the indexes…")
        seen.setdefault("rebuild" if rebuilding else "merge", settings_now())
        if rebuilding:
            sorting.append(int(conn.execute("PRAGMA threads").fetchone()[0]))

    try:
        before = settings_now()
        assert before[0] == 2  # FULL, as every connection is opened
        bundles.import_files(
            session, [world.stick], trust_new=True, progress=Progress(moved), bulk=True
        )
        assert seen["merge"] == (1, bulk_import.CHECKPOINT_PAGES, -bulk_import.CACHE_MB * 1024)
        # the rebuild's commit (and the whole import with it) is synced again
        assert seen["rebuild"][:2] == before[:2] == settings_now()[:2]
        assert settings_now()[2] > seen["merge"][2]  # the bulk import's cache given back
        # the indexes were sorted with the second core, which is given back too
        assert sorting and sorting[0] == bulk_import.SORT_THREADS
        assert int(conn.execute("PRAGMA threads").fetchone()[0]) == 0
    finally:
        session.close()
    assert _state(target) == _state(world.reference)


def test_an_error_in_the_middle_rebuilds_and_is_reported(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bundles, "BULK_BATCH_ROWS", 1)
    real_apply = merge.apply
    calls: list[int] = []

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real_apply(*args, **kwargs)

    monkeypatch.setattr(merge, "apply", failing)
    target = _copy(world, tmp_path / "error.sqlite")
    session = open_session(target)
    try:
        with pytest.raises(OSError):
            bundles.import_files(session, [world.stick], trust_new=True, bulk=True)
        assert settings.get(session.db(), bulk_import.PENDING) is None
        imported = session.db().execute("SELECT count(*) FROM imports").fetchone()[0]
    finally:
        session.close()
    assert imported == 2
    monkeypatch.setattr(merge, "apply", real_apply)
    _import_the_rest_and_compare(world, target)


def test_a_file_left_mid_bulk_import_is_repaired_when_opened(
    world: World, tmp_path: Path
) -> None:
    target = _copy(world, tmp_path / "left.sqlite")
    session = open_session(target)
    schema = _schema(session.db())
    db = session.db()
    with db.atomic():
        bulk_import.begin(db)
    session.close()  # as a crash would leave it: committed, flag set, indexes gone
    session = open_session(target)
    try:
        assert settings.get(session.db(), bulk_import.PENDING) is None
        assert _schema(session.db()) == schema
    finally:
        session.close()


#: The child imports the folder in bulk mode, a commit after every bundle; in "pause" mode
#: it stops inside the fifth bundle (four committed, the fifth's transaction open).
CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from kt_desktop import i18n
    from kt_desktop.services import bundles
    from kt_desktop.services.progress import Progress
    from kt_desktop.services.session import open_session

    i18n.set_language("en")
    receiver_path, stick, mode = sys.argv[1:4]
    bundles.BULK_BATCH_ROWS = 1
    session = open_session(receiver_path)

    def moved(done, total, text):
        if mode == "pause" and done == 4 and text.endswith("Members"):
            print("mid", flush=True)
            time.sleep(120)

    print("ready", flush=True)
    bundles.import_files(
        session, [Path(stick)], trust_new=True, progress=Progress(moved), bulk=True
    )
    print("done", flush=True)
    """
)


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux: /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    """Running (a zombie, or no such process, is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SIGKILL, /proc: Linux")
def test_killed_mid_bulk_import_the_reopened_file_is_whole_and_searchable(
    world: World, tmp_path: Path
) -> None:
    target = _copy(world, tmp_path / "killed.sqlite")
    with start_child(CHILD, target, world.stick, "pause") as child:
        expect_line(child, "ready")
        expect_line(child, "mid")  # four bundles committed with the indexes dropped, fifth open
        helpers = _children(child.pid)
        assert helpers  # the helper process that prepares the next bundles
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    # the helper does not outlive the import it served
    deadline = time.monotonic() + 20
    while any(_alive(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in helpers)

    # On disk: the flag set and the indexes gone; opening the file builds them first.
    import sqlite3

    raw = sqlite3.connect(target)
    try:
        assert raw.execute(
            "SELECT value FROM settings WHERE key = ?", [bulk_import.PENDING]
        ).fetchone() is not None
        assert raw.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'members_fts_insert'"
        ).fetchone()[0] == 0
    finally:
        raw.close()
    assert _state(target) == _prefix_state(world, 4, tmp_path)

    _import_the_rest_and_compare(world, target)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_killed_at_a_random_moment_of_a_bulk_import(
    world: World, tmp_path: Path, seed: int
) -> None:
    import random

    target = _copy(world, tmp_path / "random.sqlite")
    with start_child(CHILD, target, world.stick, "run") as child:
        expect_line(child, "ready")
        # (the child commits after every bundle, so it takes longer than world.seconds)
        time.sleep(random.Random(seed).uniform(0, world.seconds * 2))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)

    state = _state(target)
    assert state["pending"] is None and state["problems"] == []
    assert state["schema"] == _state(world.reference)["schema"]
    done = len(state["imports"])
    assert state == _prefix_state(world, len(world.order[: _bundles_for(world, done)]),
                                  tmp_path)
    _import_the_rest_and_compare(world, target)


def _bundles_for(world: World, imports: int) -> int:
    """How many bundles of the import order it takes to have ``imports`` accepted ones."""
    accepted = 0
    for position, summary in enumerate(world.summaries):
        if accepted == imports:
            return position
        if summary["status"] == bundles.IMPORTED:
            accepted += 1
    return len(world.summaries)



# -- the helper process that prepares the next bundles ------------------------------------------
def _bulk_import_matches_one_by_one(world: World, target: Path) -> None:
    session = open_session(_copy(world, target))
    try:
        report = bundles.import_files(session, [world.stick], trust_new=True, bulk=True)
    finally:
        session.close()
    assert [_comparable(s.as_dict()) for s in report.bundles] == [
        _comparable(s) for s in world.summaries
    ]
    assert _state(target) == _state(world.reference)


def test_a_bulk_import_checks_the_bundles_in_its_helper_process(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Verifying and checking the rows happen in the helper: broken here, the import
    still ends where importing one by one ends (refusals, their reasons, the records)."""

    def not_here(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("checked in the importing process")

    monkeypatch.setattr(read, "verify_bag", not_here)
    monkeypatch.setattr(read, "parse_rows", not_here)
    _bulk_import_matches_one_by_one(world, tmp_path / "helped.sqlite")


def test_without_a_helper_process_the_bulk_import_takes_every_step_itself(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def cannot_start() -> Any:
        raise OSError("no more processes")

    monkeypatch.setattr(prepare, "_spawn_pool", cannot_start)
    _bulk_import_matches_one_by_one(world, tmp_path / "alone.sqlite")


def test_a_helper_that_fails_or_dies_midway_leaves_the_rest_to_the_import(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bundle the helper could not prepare (an unexpected error) is prepared again by the
    import itself; a helper that dies leaves it every bundle after. Same end either way."""
    real_parse, real_prepare = read.parse_rows, prepare.prepare
    parsed: list[str] = []

    def parse_fails_once(*args: Any, **kwargs: Any) -> Any:
        parsed.append(kwargs["source"])
        if len(parsed) == 1:
            raise RuntimeError("the helper tripped")
        return real_parse(*args, **kwargs)

    jobs: list[str] = []

    def dies_at_the_fourth(job: prepare.Job, *args: Any) -> prepare.Prepared:
        jobs.append(job.source)
        if len(jobs) == 4:
            raise RuntimeError("the helper died")
        return real_prepare(job, *args)

    # a thread stands in for the process, so that the faults reach it
    monkeypatch.setattr(prepare, "_spawn_pool", lambda: ThreadPoolExecutor(max_workers=1))
    monkeypatch.setattr(read, "parse_rows", parse_fails_once)
    monkeypatch.setattr(prepare, "prepare", dies_at_the_fourth)
    _bulk_import_matches_one_by_one(world, tmp_path / "faults.sqlite")
    assert parsed.count(parsed[0]) == 2  # the first bundle: tried by the helper, then here
    assert len(jobs) >= 4  # the helper did die, with bundles still to import
