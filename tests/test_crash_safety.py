"""Crash safety: what is on disk after the power is cut, the program killed or the disk full.

* A child process writing 1,000 members in one transaction is killed (SIGKILL) at random
  moments, 100 times: every time the file passes ``integrity_check`` and holds either none
  or all of the 1,000 (with their audit lines and change counter), never a part.
* The same for a bundle import on a receiver (1,000 members, the import record and the
  village pinned: all or nothing; 50 kills), and for a migration (30 kills) that does a lot of work: the schema
  is the old one or the new one, never half.
* A backup taken while another thread keeps writing opens on its own and is a consistent
  prefix of what was written.
* A full disk during a save, a bundle written to a stick and a backup: a clear message,
  nothing half-written, and the same work succeeds once space is freed.

Kill delays are drawn from 0 to 1.6 times the work's uninterrupted duration (the slowest of
three runs), so most kills land inside the transaction and some after its commit (during
the checkpoint or the close); each test asserts that both outcomes happened, or it would
prove little.

The children are forked from one "zygote" process that has already imported the program,
so 100 kills cost seconds, not minutes (Linux/macOS; the suite runs on Linux). SIGKILL
gives no chance to clean up, which is what a crash is; it does not simulate a power cut
that loses what the OS had not yet written (that is what ``synchronous=FULL`` is for, and it
cannot be tested without pulling a plug).
"""

from __future__ import annotations

import errno
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from kt_desktop.store import backup as store_backup
from kt_desktop.store import migrations
from tests.conftest import VILLAGE_CODE

ROOT = Path(__file__).resolve().parent.parent
KILLS = 100
BUNDLE_KILLS = 50
MIGRATION_KILLS = 30

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the zygote needs fork()")


# -- the zygote: a child process that forks workers on request ------------------------------

ZYGOTE = textwrap.dedent(
    r"""
    import datetime as dt, os, random, sys, types
    sys.path.insert(0, ROOT)
    kind = sys.argv[1]
    if kind == "members":
        from kt_desktop.services.demo_members import make_members
        from kt_desktop.store import connection, members as member_store
        people = make_members(random.Random(11), dt.date(2026, 11, 28), 1000, village_code=CODE)
        for index, person in enumerate(people):
            if person.nik:
                person.nik = person.nik[:12] + f"{index:04d}"

        def work(path):
            db = connection.connect(path)
            with db.atomic():
                member_store.bulk_insert(db, people, village_code=CODE, actor="Uji Ketahanan")
            db.close()
    elif kind == "bundle":
        from kt_desktop.services import bundles
        from kt_desktop.services.session import open_session
        bundle = sys.argv[2]

        def work(path):
            session = open_session(path)
            report = bundles.import_files(session, [bundle], trust_new=True)
            session.close()
            if not report.ok:
                raise SystemExit(4)

        work(sys.argv[3])  # warm up once here, so every forked child starts with all imports
    else:
        from kt_desktop.store import connection, migrations

        def heavy(db):
            db.execute("CREATE TABLE heavy_notes (id INTEGER PRIMARY KEY, member TEXT, note TEXT)")
            db.conn.executemany(
                "INSERT INTO heavy_notes(member, note) VALUES (?, ?)",
                ((f"m{i}", "catatan kegiatan " * 8) for i in range(HEAVY_ROWS)),
            )
            db.execute("CREATE INDEX idx_heavy_member ON heavy_notes(member)")
            db.execute("ALTER TABLE profile ADD COLUMN heavy_flag INTEGER")
            db.execute("UPDATE profile SET heavy_flag = 1")

        module = types.ModuleType("kt_heavy_migration")
        module.migrate = heavy
        sys.modules["kt_heavy_migration"] = module
        migrations.MIGRATIONS = [*migrations.MIGRATIONS, (HEAVY_VERSION, "kt_heavy_migration:migrate")]

        def work(path):
            db = connection.connect(path)
            migrations.migrate(db)
            db.close()

    print("ready", flush=True)
    while True:
        line = sys.stdin.readline()
        if not line:
            break
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                work(line.strip())
            except BaseException:
                code = 3
            os._exit(code)
        print(pid, flush=True)
        sys.stdin.readline()  # the test has killed it (or let it finish)
        _, status = os.waitpid(pid, 0)
        print(status, flush=True)
    """
)

HEAVY_ROWS = 40_000
HEAVY_VERSION = 99


class Zygote:
    def __init__(self, tmp_path: Path, kind: str, *args: str) -> None:
        script = tmp_path / "zygote.py"
        script.write_text(
            ZYGOTE.replace("ROOT)", f"{str(ROOT)!r})")
            .replace("CODE", repr(VILLAGE_CODE))
            .replace("HEAVY_ROWS", str(HEAVY_ROWS))
            .replace("HEAVY_VERSION", str(HEAVY_VERSION)),
            encoding="utf-8",
        )
        env = dict(os.environ)
        self.process = subprocess.Popen(
            [sys.executable, str(script), kind, *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
        )
        while self._read() != "ready":  # a library may print warnings while importing
            pass

    def _read(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"zygote died with code {self.process.wait()}")
        return line.strip()

    def _send(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def run(self, path: Path, *, kill_after: float | None) -> tuple[int, float]:
        """Run the work on ``path``; SIGKILL it after ``kill_after`` s. (wait status, seconds)."""
        started = time.perf_counter()
        self._send(str(path))
        pid = int(self._read())
        if kill_after is not None:
            time.sleep(kill_after)
            os.kill(pid, signal.SIGKILL)  # a zombie until reaped, so the pid cannot be reused
        self._send("reap")
        status = int(self._read())
        return status, time.perf_counter() - started

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


@pytest.fixture
def zygote_factory(tmp_path: Path) -> Iterator[Callable[..., Zygote]]:
    made: list[Zygote] = []

    def make(kind: str, *args: str) -> Zygote:
        zygote = Zygote(tmp_path, kind, *args)
        made.append(zygote)
        return zygote

    yield make
    for zygote in made:
        zygote.close()


def fresh_copy(template: Path, path: Path) -> None:
    for old in (path, *store_backup.side_files(path)):
        old.unlink(missing_ok=True)
    shutil.copyfile(template, path)  # the template is closed: a plain copy is sound here


def calibrate(zygote: Zygote, template: Path, path: Path) -> float:
    """How long the uninterrupted work takes (the slowest of three runs)."""
    slowest = 0.0
    for _run in range(3):
        fresh_copy(template, path)
        status, seconds = zygote.run(path, kill_after=None)
        assert status == 0, "the work itself fails; the crash test would prove nothing"
        slowest = max(slowest, seconds)
    return slowest


def kill_at_random(
    zygote: Zygote,
    template: Path,
    path: Path,
    duration: float,
    *,
    seed: int,
    kills: int,
    state_of: Callable[[Path], object],
    states: dict[str, object],
) -> dict[str, int]:
    """Run the work on a fresh copy of ``template`` ``kills`` times, each killed at a seeded
    random moment up to 1.6 × ``duration``; how many kills left each of the named whole
    ``states``. A kill that left anything else (a part of the work) fails the test."""
    rng = random.Random(seed)
    seen = dict.fromkeys(states, 0)
    for attempt in range(kills):
        fresh_copy(template, path)
        delay = rng.uniform(0, duration * 1.6)
        zygote.run(path, kill_after=delay)
        state = state_of(path)
        name = next((name for name, whole in states.items() if whole == state), None)
        if name is None:
            pytest.fail(f"kill {attempt} after {delay:.3f}s left a part: {state}")
        seen[name] += 1
    return seen


@contextmanager
def _whole(path: Path) -> Iterator[sqlite3.Connection]:
    """The file, opened with plain sqlite3 after it passed ``PRAGMA integrity_check``."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        yield conn
    finally:
        conn.close()


# -- 1. a transaction of 1,000 members -------------------------------------------------------


@dataclass
class MemberState:
    members: int
    creates: int
    change_seq: int


def member_state(path: Path) -> MemberState:
    with _whole(path) as conn:
        conn.execute("INSERT INTO members_fts(members_fts) VALUES ('integrity-check')")
        return MemberState(
            members=conn.execute("SELECT count(*) FROM members").fetchone()[0],
            creates=conn.execute(
                "SELECT count(*) FROM audit_log WHERE action = 'create' AND table_name = 'members'"
            ).fetchone()[0],
            change_seq=conn.execute(
                "SELECT coalesce(max(value), 0) FROM counters WHERE name = 'change_seq'"
            ).fetchone()[0],
        )


def test_killing_a_1000_member_transaction_leaves_all_or_nothing(
    village_file: Path, tmp_path: Path, zygote_factory: Callable[..., Zygote]
) -> None:
    zygote = zygote_factory("members")
    run_path = tmp_path / "run.sqlite"
    before = member_state(village_file)
    duration = calibrate(zygote, village_file, run_path)
    after = member_state(run_path)
    assert after.members == before.members + 1000
    assert after.creates == before.creates + 1000
    assert after.change_seq == before.change_seq + 1000

    outcomes = kill_at_random(
        zygote, village_file, run_path, duration, seed=20261128, kills=KILLS,
        state_of=member_state,  # integrity_check is asserted inside
        states={"before": before, "after": after},
    )
    # The kills really landed on both sides of the commit (else the test proved little).
    assert outcomes["before"] >= 10 and outcomes["after"] >= 10, outcomes


# -- 2. a bundle import on a receiver, and a migration -----------------------------------------


@dataclass
class ReceiverState:
    members: int
    imports: int
    villages: int
    import_lines: int


def receiver_state(path: Path) -> ReceiverState:
    with _whole(path) as conn:
        count = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return ReceiverState(
            members=count("SELECT count(*) FROM members"),
            imports=count("SELECT count(*) FROM imports"),
            villages=count("SELECT count(*) FROM villages"),
            import_lines=count("SELECT count(*) FROM audit_log WHERE action = 'import'"),
        )


def test_killing_a_bundle_import_leaves_all_or_nothing(
    village_file: Path, receiver_file: Path, tmp_path: Path,
    zygote_factory: Callable[..., Zygote],
) -> None:
    from kt_desktop.services import bundles
    from kt_desktop.services.session import open_session
    from kt_desktop.store import members as member_store

    session = open_session(village_file)
    try:
        with session.db().atomic():
            member_store.bulk_insert(
                session.db(), _members(1000, 4), village_code=VILLAGE_CODE, actor="Siti"
            )
        out = tmp_path / "out"
        out.mkdir()
        bundle = bundles.export(session, dest_dir=out, full=True).path
    finally:
        session.close()
    run_path = tmp_path / "run.sqlite"
    warm = tmp_path / "warm-up.sqlite"
    shutil.copyfile(receiver_file, warm)
    zygote = zygote_factory("bundle", str(bundle), str(warm))
    before = receiver_state(receiver_file)
    assert before == ReceiverState(0, 0, 0, 0)
    duration = calibrate(zygote, receiver_file, run_path)
    after = receiver_state(run_path)
    assert after == ReceiverState(1000, 1, 1, 1)
    outcomes = kill_at_random(
        zygote, receiver_file, run_path, duration, seed=6, kills=BUNDLE_KILLS,
        state_of=receiver_state, states={"before": before, "after": after},
    )
    assert outcomes["before"] >= 5 and outcomes["after"] >= 5, outcomes



def schema_state(path: Path) -> str:
    with _whole(path) as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        columns = {r[1] for r in conn.execute("PRAGMA table_info(profile)")}
        if version == migrations.latest_version():
            assert "heavy_notes" not in tables and "heavy_flag" not in columns
            return "old"
        assert version == HEAVY_VERSION
        assert conn.execute("SELECT count(*) FROM heavy_notes").fetchone()[0] == HEAVY_ROWS
        assert conn.execute("SELECT count(*) FROM profile WHERE heavy_flag = 1").fetchone()[0] == 1
        indexes = {r[1] for r in conn.execute("PRAGMA index_list(heavy_notes)")}
        assert "idx_heavy_member" in indexes
        return "new"


def test_killing_a_migration_leaves_the_old_or_the_new_schema(
    village_file: Path, tmp_path: Path, zygote_factory: Callable[..., Zygote]
) -> None:
    zygote = zygote_factory("migration")
    run_path = tmp_path / "run.sqlite"
    assert schema_state(village_file) == "old"
    duration = calibrate(zygote, village_file, run_path)
    assert schema_state(run_path) == "new"
    seen = kill_at_random(
        zygote, village_file, run_path, duration, seed=7, kills=MIGRATION_KILLS,
        state_of=schema_state, states={"old": "old", "new": "new"},
    )
    assert seen["old"] >= 3 and seen["new"] >= 3, seen


# -- 3. a backup while another thread writes --------------------------------------------------


def test_backup_while_writing_is_a_consistent_prefix(village_file: Path, tmp_path: Path) -> None:
    from kt_desktop.store import connection

    setup = connection.connect(village_file)
    setup.execute("CREATE TABLE numbered (n INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
    setup.close()
    stop = threading.Event()
    written: list[int] = [0]
    failures: list[BaseException] = []

    def writer() -> None:
        db = connection.connect(village_file)
        n = 0
        try:
            while not stop.is_set():
                with db.atomic():  # five rows per transaction: a snapshot holds whole ones
                    for _ in range(5):
                        n += 1
                        db.execute(
                            "INSERT INTO numbered(n, payload) VALUES (?, ?)", [n, os.urandom(300).hex()]
                        )
                written[0] = n
        except BaseException as exc:
            failures.append(exc)
        finally:
            db.close()

    thread = threading.Thread(target=writer, name="writer")
    thread.start()
    try:
        seen = []
        for index in range(6):
            time.sleep(0.15)
            dest = tmp_path / "copies" / f"copy-{index}.sqlite"
            dest.parent.mkdir(exist_ok=True)
            store_backup.snapshot(village_file, dest)
            # Opened alone (the data file moved away would not matter: no -wal beside it).
            assert not Path(str(dest) + "-wal").exists()
            conn = sqlite3.connect(f"file:{dest}?mode=ro", uri=True)
            numbers = [row[0] for row in conn.execute("SELECT n FROM numbered ORDER BY n")]
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            conn.close()
            assert numbers == list(range(1, len(numbers) + 1))
            assert len(numbers) % 5 == 0
            seen.append(len(numbers))
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not failures, failures
    assert seen == sorted(seen) and seen[-1] > seen[0] > 0, seen
    assert written[0] >= seen[-1]


# -- 4. a full disk ---------------------------------------------------------------------------


class SmallDisk:
    """A folder whose disk can be made full and then freed again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def fill(self) -> None:
        raise NotImplementedError

    def free(self) -> None:
        raise NotImplementedError

    def is_full_error(self, exc: store_backup.DiskError) -> bool:
        raise NotImplementedError


class TmpfsDisk(SmallDisk):
    """A real 16 MB tmpfs, filled by a file that takes every free block (needs root)."""

    def fill(self) -> None:
        filler = self.folder / "filler.bin"
        with filler.open("wb") as handle:
            try:
                while True:
                    handle.write(b"\xaa" * 65536)
                    handle.flush()
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
        assert shutil.disk_usage(self.folder).free < 65536

    def free(self) -> None:
        (self.folder / "filler.bin").unlink()

    def is_full_error(self, exc: store_backup.DiskError) -> bool:
        return exc.code == "disk_full" and exc.message.startswith("Disk penuh")


class FileSizeLimit(SmallDisk):
    """No root needed: RLIMIT_FSIZE makes every write past 64 KB in a file fail (EFBIG).

    SQLite reports that as an I/O error rather than "full", so either message is accepted.
    """

    LIMIT = 64 * 1024

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self._saved = resource.getrlimit(resource.RLIMIT_FSIZE)
        self._handler = signal.getsignal(signal.SIGXFSZ)

    def fill(self) -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.LIMIT, self._saved[1]))

    def free(self) -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, self._saved)
        signal.signal(signal.SIGXFSZ, self._handler)

    def is_full_error(self, exc: store_backup.DiskError) -> bool:
        return exc.code in ("disk_full", "io_error")


@pytest.fixture(params=["tmpfs", "file_size_limit"])
def small_disk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SmallDisk]:
    folder = tmp_path / "disk"
    folder.mkdir()
    if request.param == "file_size_limit":
        disk = FileSizeLimit(folder)
        try:
            yield disk
        finally:
            disk.free()
        return
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(folder)],
        capture_output=True, text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here: {mounted.stderr.strip()}")
    try:
        yield TmpfsDisk(folder)
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _members(count: int, seed: int):  # type: ignore[no-untyped-def]
    import datetime as dt

    from kt_desktop.services.demo_members import make_members

    people = make_members(random.Random(seed), dt.date(2026, 11, 28), count, village_code=VILLAGE_CODE)
    for index, person in enumerate(people):
        if person.nik:
            person.nik = person.nik[:12] + f"{seed * 2000 + index:04d}"
    return people


def test_disk_full_during_a_save_rolls_back_and_recovers(small_disk: SmallDisk) -> None:
    from kt_desktop.services.session import open_session
    from kt_desktop.services.setup import init_village
    from kt_desktop.store import members as member_store
    from tests.conftest import make_profile

    path = small_disk.folder / "desa.sqlite"
    init_village(path, make_profile())
    session = open_session(path)
    try:
        db = session.db()
        with db.atomic():
            member_store.bulk_insert(db, _members(50, 1), village_code=VILLAGE_CODE, actor="Siti")
        store_backup.checkpoint(db)
        small_disk.fill()
        try:
            with pytest.raises(store_backup.DiskError) as info, store_backup.disk_errors(path.parent):
                with db.atomic():
                    member_store.bulk_insert(
                        db, _members(2000, 2), village_code=VILLAGE_CODE, actor="Siti"
                    )
        finally:
            small_disk.free()
        assert small_disk.is_full_error(info.value), info.value.message
        assert str(path.parent) in info.value.message and "Tidak ada yang diubah" in info.value.message
        assert store_backup.integrity_problems(path) == []
        assert not db.conn.in_transaction
        assert db.execute("SELECT count(*) FROM members").fetchone()[0] == 50
        # Space is back: the same session saves the same work.
        with db.atomic():
            member_store.bulk_insert(db, _members(2000, 2), village_code=VILLAGE_CODE, actor="Siti")
        assert db.execute("SELECT count(*) FROM members").fetchone()[0] == 2050
    finally:
        session.close()
    assert store_backup.integrity_problems(path) == []


def test_disk_full_while_writing_a_bundle_to_a_stick(small_disk: SmallDisk) -> None:
    from kt_desktop.bundles import transport
    from kt_desktop.bundles.errors import BundleError

    bundle = os.urandom(400_000)  # encrypted bundles look like this to a disk
    small_disk.fill()
    try:
        with pytest.raises(BundleError) as info:
            transport.write_to_folder(bundle, small_disk.folder, "36.04.22.2001-0001.ktb")
    finally:
        small_disk.free()
    assert info.value.code == "write_failed" and str(small_disk.folder) in info.value.message
    assert sorted(p.name for p in small_disk.folder.iterdir()) == []
    written = transport.write_to_folder(bundle, small_disk.folder, "36.04.22.2001-0001.ktb")
    assert written.read_bytes() == bundle


def test_disk_full_during_a_backup_leaves_no_half_file(
    village_file: Path, small_disk: SmallDisk
) -> None:
    from kt_desktop.services import backups
    from kt_desktop.services.session import open_session
    from kt_desktop.store import members as member_store

    session = open_session(village_file)
    with session.db().atomic():
        member_store.bulk_insert(
            session.db(), _members(600, 3), village_code=VILLAGE_CODE, actor="Siti"
        )
    session.close()
    small_disk.fill()
    try:
        with pytest.raises(store_backup.DiskError) as info:
            backups.take_backup(village_file, folder=small_disk.folder)
    finally:
        small_disk.free()
    assert small_disk.is_full_error(info.value), info.value.message
    assert sorted(p.name for p in small_disk.folder.iterdir()) == []
    info_ok = backups.take_backup(village_file, folder=small_disk.folder)
    assert store_backup.integrity_problems(info_ok.path) == []
    assert [p.name for p in small_disk.folder.iterdir()] == [info_ok.path.name]
