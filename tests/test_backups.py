"""Backups, restore and the check on open, as a secretary (or the CLI) meets them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import sqlite3
from pathlib import Path

import pytest

from kt_desktop import paths
from kt_desktop.domain.errors import DataFileError, KtError
from kt_desktop.services import backups, file_location
from kt_desktop.services.session import open_session
from kt_desktop.store import audit
from kt_desktop.store import backup as store_backup
from tests.conftest import VILLAGE_CODE
from tests.conftest import run_cli as _run

TODAY = dt.date(2026, 11, 28)


# -- helpers ---------------------------------------------------------------------------------


def add_members(path: Path, count: int, *, seed: int = 1) -> None:
    from kt_desktop.services.demo_members import make_members
    from kt_desktop.store import members as member_store

    session = open_session(path)
    try:
        people = make_members(random.Random(seed), TODAY, count, village_code=VILLAGE_CODE)
        for index, person in enumerate(people):  # serials unique across batches (seed 1..9)
            if person.nik:
                person.nik = person.nik[:12] + f"{seed * 1000 + index:04d}"
        with session.db().atomic():
            member_store.bulk_insert(
                session.db(), people, village_code=VILLAGE_CODE, actor="Siti Nurhaliza"
            )
    finally:
        session.close()


def member_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM members WHERE deleted_at IS NULL").fetchone()[0]
    finally:
        conn.close()


def audit_actions(path: Path) -> list[tuple[str, str | None]]:
    session = open_session(path)
    try:
        return [(e.action, e.detail) for e in audit.entries(session.db())]
    finally:
        session.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def overwrite(path: Path, offset: int, data: bytes) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(data)


@pytest.fixture
def desa(village_file: Path) -> Path:
    add_members(village_file, 120)
    return village_file


# -- retention: a pure function, case by case ------------------------------------------------


def at(day: dt.date, hour: int = 18) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour))


def daily_from(first: dt.date, last: dt.date) -> list[dt.datetime]:
    return [at(first + dt.timedelta(days=n)) for n in range((last - first).days + 1)]


def test_retention_of_a_year_of_daily_backups() -> None:
    stamps = daily_from(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    kept = sorted(backups.retention_keep(stamps), reverse=True)
    expected_daily = [at(dt.date(2026, 12, d)) for d in range(31, 24, -1)]
    # 2026-12-25..31 are ISO weeks 52 and 53, already kept by the daily rule; the weekly
    # rule then keeps the newest of weeks 51, 50, 49, 48 (their Sundays).
    expected_weekly = [at(dt.date(2026, 12, 20)), at(dt.date(2026, 12, 13)),
                       at(dt.date(2026, 12, 6)), at(dt.date(2026, 11, 29))]
    # December is already kept; the month ends of November back to January follow.
    expected_monthly = [at(dt.date(2026, m + 1, 1) - dt.timedelta(days=1)) for m in range(11, 0, -1)]
    assert kept == sorted(expected_daily + expected_weekly + expected_monthly, reverse=True)
    assert len(kept) == 7 + 4 + 11


def test_retention_stops_at_twelve_months() -> None:
    stamps = daily_from(dt.date(2025, 3, 1), dt.date(2026, 12, 31))
    kept = backups.retention_keep(stamps)
    months = sorted({(s.year, s.month) for s in kept})
    assert len(kept) == 7 + 4 + 12
    assert months[0] == (2025, 12)  # Dec 2025 is the 12th month back from November 2026
    assert at(dt.date(2025, 12, 31)) in kept
    assert at(dt.date(2025, 11, 30)) not in kept


def test_retention_keeps_the_newest_of_a_day_and_counts_days_with_backups() -> None:
    # Used on 10 scattered days, several times some days; the laptop was off in between.
    days = [dt.date(2026, 6, d) for d in (1, 2, 9, 10, 20)] + [dt.date(2026, 7, d) for d in (3, 4, 5, 15, 30)]
    stamps = [at(d, h) for d in days for h in (8, 12, 17)]
    kept = backups.retention_keep(stamps, weekly=0, monthly=0)
    assert kept == {at(d, 17) for d in days[-7:]}


def test_retention_edge_cases() -> None:
    assert backups.retention_keep([]) == set()
    one = at(TODAY)
    assert backups.retention_keep([one]) == {one}
    assert backups.retention_keep([one, one]) == {one}
    assert backups.retention_keep([one, at(TODAY, 9)], daily=0, weekly=0, monthly=0) == {one}


def test_retention_run_every_day_for_a_year_stays_small_and_reaches_back() -> None:
    folder: list[dt.datetime] = []
    day = dt.date(2026, 1, 1)
    while day <= dt.date(2026, 12, 31):
        folder.append(at(day))
        if day.weekday() == 2:
            folder.append(at(day, 20))  # a second close on Wednesdays
        keep = backups.retention_keep(folder)
        folder = [s for s in folder if s in keep]
        assert len(folder) <= 7 + 4 + 12
        day += dt.timedelta(days=1)
    assert min(folder).date() <= dt.date(2026, 2, 1)
    assert max(folder) == at(dt.date(2026, 12, 31))


def test_backup_names_round_trip_and_ignore_other_files() -> None:
    when = dt.datetime(2026, 11, 28, 15, 30, 5)
    assert backups.parse_backup_name("desa", backups.backup_name("desa", when)) == (backups.AUTO, when)
    name = backups.backup_name("desa", when, backups.BEFORE_RESTORE)
    assert backups.parse_backup_name("desa", name) == (backups.BEFORE_RESTORE, when)
    assert backups.parse_backup_name("desa", "desa-2-20261128-153005.sqlite") is None
    assert backups.parse_backup_name("desa", "desa-20261399-153005.sqlite") is None
    assert backups.parse_backup_name("desa-2", "desa-2-20261128-153005.sqlite") == (backups.AUTO, when)


# -- taking and listing ----------------------------------------------------------------------


def test_backup_is_a_checked_standalone_copy_and_is_audited(desa: Path) -> None:
    info = backups.take_backup(desa, now=dt.datetime(2026, 11, 28, 17, 0))
    # In the data file's own folder, named after its village and the id it carries.
    identity = backups.identity_of(desa)
    assert identity is not None and identity.code == VILLAGE_CODE
    assert info.path.parent == paths.backup_dir() / f"{VILLAGE_CODE}-{identity.file_id}"
    assert info.path.name == "desa-20261128-170000.sqlite"
    assert info.counts["members"] == 120
    assert info.sha256 == digest(info.path)
    # A backup stands alone: no -wal beside it, and it opens without the data file.
    assert not Path(str(info.path) + "-wal").exists()
    assert store_backup.integrity_problems(info.path) == []
    assert member_count(info.path) == 120
    assert ("backup", str(info.path)) in audit_actions(desa)
    assert not list(paths.backup_dir().rglob(".*tmp"))


def test_list_shows_dates_counts_and_marks_a_damaged_backup(desa: Path) -> None:
    first = backups.take_backup(desa, now=dt.datetime(2026, 11, 20, 17, 0))
    add_members(desa, 10, seed=2)
    second = backups.take_backup(desa, now=dt.datetime(2026, 11, 27, 17, 0))
    overwrite(second.path, 4096 * 3, b"\xff" * 4096)
    listed = backups.list_backups(desa)
    assert [b.path for b in listed] == [second.path, first.path]
    assert listed[0].ok is False and listed[0].problem == "damaged"
    assert listed[1].ok is True and listed[1].counts["members"] == 120
    assert listed[1].created == dt.datetime(2026, 11, 20, 17, 0)
    assert backups.newest_good_backup(desa).path == first.path  # type: ignore[union-attr]


def test_auto_backup_only_when_due_and_prunes(desa: Path) -> None:
    monday = dt.datetime(2026, 11, 23, 8, 0)
    assert backups.auto_backup(desa, now=monday) is not None  # the first one
    assert backups.auto_backup(desa, on_close=True, now=monday + dt.timedelta(hours=1)) is None
    add_members(desa, 1, seed=3)
    # Changed, but the program is still open and the newest backup is younger than a day.
    assert backups.auto_backup(desa, now=monday + dt.timedelta(hours=2)) is None
    closing = backups.auto_backup(desa, on_close=True, now=monday + dt.timedelta(hours=3))
    assert closing is not None and closing.counts["members"] == 121
    # Same day: the earlier automatic backup is pruned, the newest of the day stays.
    names = [b.path.name for b in backups.list_backups(desa, verify=False)]
    assert names == ["desa-20261123-110000.sqlite"]
    add_members(desa, 1, seed=4)
    assert backups.auto_backup(desa, now=monday + dt.timedelta(hours=27)) is not None


def test_a_damaged_data_file_is_not_backed_up_over_good_backups(desa: Path) -> None:
    good = backups.take_backup(desa, now=dt.datetime(2026, 11, 27, 17, 0))
    overwrite(desa, 4096 * 3, b"\x00\x13" * 2048)
    with pytest.raises(DataFileError) as info:
        backups.take_backup(desa, now=dt.datetime(2026, 11, 28, 17, 0))
    assert "rusak" in info.value.message
    assert [b.path for b in backups.list_backups(desa)] == [good.path]


# -- restore ---------------------------------------------------------------------------------


def test_restore_round_trip_backs_up_the_current_file_first(desa: Path) -> None:
    old = backups.take_backup(desa, now=dt.datetime(2026, 11, 27, 17, 0))
    add_members(desa, 30, seed=5)
    assert member_count(desa) == 150
    result = backups.restore(desa, old.path, now=dt.datetime(2026, 11, 28, 9, 0))
    assert member_count(desa) == 120
    assert result.safety_copy is not None and member_count(result.safety_copy) == 150
    assert result.safety_copy.name == "desa-sebelum-pulih-20261128-090000.sqlite"
    assert result.set_aside is None
    assert store_backup.integrity_problems(desa) == []
    actions = audit_actions(desa)
    assert actions[0] == ("restore", f"dari {old.path}")
    # the old backup itself is untouched
    assert old.sha256 == digest(old.path)


def test_restore_refuses_a_damaged_backup_and_changes_nothing(desa: Path) -> None:
    old = backups.take_backup(desa, now=dt.datetime(2026, 11, 27, 17, 0))
    overwrite(old.path, 4096 * 2, b"\xff" * 8192)
    before = digest(desa)
    with pytest.raises(DataFileError) as info:
        backups.restore(desa, old.path)
    assert info.value.code == "backup_damaged"
    assert "rusak" in info.value.message and old.path.name in info.value.message
    assert digest(desa) == before
    assert [b.kind for b in backups.list_backups(desa)] == [backups.AUTO]  # no safety copy made


def test_restore_refuses_another_villages_backup(desa: Path, receiver_file: Path) -> None:
    other = backups.take_backup(receiver_file)
    before = digest(desa)
    with pytest.raises(DataFileError) as info:
        backups.restore(desa, other.path)
    assert info.value.code == "other_file"
    assert digest(desa) == before


def test_restore_removes_a_stale_wal(desa: Path, tmp_path: Path) -> None:
    old = backups.take_backup(desa, now=dt.datetime(2026, 11, 27, 17, 0))
    # Make a WAL full of frames that belong to the current file's newer state …
    conn = sqlite3.connect(desa)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE members SET name = 'DARI WAL LAMA'")
    conn.commit()
    stale = Path(str(desa) + "-wal").read_bytes()
    conn.close()
    # … and leave it behind, as a crash or a careless copy would.
    Path(str(desa) + "-wal").write_bytes(stale)
    Path(str(desa) + "-shm").write_bytes(b"\x00" * 32768)
    backups.restore(desa, old.path)
    names = {row[0] for row in sqlite3.connect(desa).execute("SELECT DISTINCT name FROM members")}
    assert "DARI WAL LAMA" not in names and len(names) > 50
    assert store_backup.integrity_problems(desa) == []


# -- the check on open -----------------------------------------------------------------------


def _damage(kind: str, path: Path) -> None:
    data = path.read_bytes()
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "not_sqlite":
        overwrite(path, 0, b"This is not it!" * 4)
    elif kind == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif kind == "damaged":
        overwrite(path, 4096 * 3, bytes(random.Random(7).randrange(256) for _ in range(4096)))


@pytest.mark.parametrize("kind", ["empty", "not_sqlite", "truncated", "damaged"])
def test_check_on_open_reports_damage_without_writing_and_offers_a_backup(
    desa: Path, kind: str
) -> None:
    good = backups.take_backup(desa, now=dt.datetime(2026, 11, 27, 17, 0))
    _damage(kind, desa)
    before = digest(desa)
    result = backups.check_on_open(desa)
    assert not result.ok
    assert result.report.problem == kind
    assert result.newest_good is not None and result.newest_good.path == good.path
    assert str(desa) in result.message
    assert digest(desa) == before


def test_check_on_open_passes_a_sound_file(desa: Path) -> None:
    result = backups.check_on_open(desa)
    assert result.ok and result.message == "" and result.newest_good is None


def test_restore_over_a_damaged_file_keeps_it_aside_untouched(desa: Path) -> None:
    good = backups.take_backup(desa, now=dt.datetime(2026, 11, 27, 17, 0))
    _damage("damaged", desa)
    damaged = digest(desa)
    result = backups.restore(desa, good.path, now=dt.datetime(2026, 11, 28, 8, 0))
    assert result.set_aside == desa.with_name("desa.sqlite.rusak-20261128-080000")
    assert digest(result.set_aside) == damaged
    assert result.safety_copy is None
    assert backups.check_on_open(desa).ok and member_count(desa) == 120


# -- flash drive -----------------------------------------------------------------------------


def test_backup_to_a_drive_is_verified_and_audited(desa: Path, tmp_path: Path) -> None:
    stick = tmp_path / "STICK"
    stick.mkdir()
    info = backups.backup_to_drive(desa, stick, now=dt.datetime(2026, 11, 28, 10, 0))
    assert info.path == stick / "desa-20261128-100000.sqlite"
    assert digest(info.path) == info.sha256 and member_count(info.path) == 120
    assert [p.name for p in stick.iterdir()] == [info.path.name]
    assert ("backup", str(info.path)) in audit_actions(desa)
    # the drive backup is not mixed into the automatic ones
    assert backups.list_backups(desa) == []


def test_a_drive_that_reads_back_wrong_leaves_nothing(
    desa: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stick = tmp_path / "STICK"
    stick.mkdir()

    def lying_drive(path: Path) -> None:  # what the stick returns is not what was written
        overwrite(path, 5000, b"\x00\x01\x02")

    monkeypatch.setattr(backups, "_drop_from_cache", lying_drive)
    with pytest.raises(KtError) as info:
        backups.backup_to_drive(desa, stick)
    assert info.value.code == "verify_failed"
    assert list(stick.iterdir()) == []


def test_backup_to_a_missing_drive_says_so(desa: Path, tmp_path: Path) -> None:
    with pytest.raises(KtError) as info:
        backups.backup_to_drive(desa, tmp_path / "E")
    assert info.value.code == "no_drive" and "flashdisk" in info.value.message.lower()


def test_a_failing_write_on_the_drive_is_a_clear_message(
    desa: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stick = tmp_path / "STICK"
    stick.mkdir()

    def pulled_out(path: Path) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(store_backup, "fsync_file", pulled_out)
    with pytest.raises(store_backup.DiskError) as info:
        backups.backup_to_drive(desa, stick)
    assert info.value.code == "io_error" and str(stick) in info.value.message
    assert list(stick.iterdir()) == []


# -- where the data file lives ---------------------------------------------------------------

MOUNTS = """\
/dev/sda2 / ext4 rw,relatime 0 0
/dev/sdb1 /media/siti/KT\\040STICK vfat rw,nosuid 0 0
//server/berkas /mnt/kantor cifs rw 0 0
nas:/export /srv/nas nfs4 rw 0 0
tmpfs /run tmpfs rw 0 0
"""


def test_classify_local_removable_and_network() -> None:
    mounts = file_location.read_mounts(MOUNTS)
    kind = lambda p: file_location.classify(Path(p), mounts=mounts).kind  # noqa: E731
    assert kind("/home/siti/data.sqlite") == file_location.LOCAL
    assert kind("/media/siti/KT STICK/desa.sqlite") == file_location.REMOVABLE
    assert kind("/mnt/kantor/desa.sqlite") == file_location.NETWORK
    assert kind("/srv/nas/a/b.sqlite") == file_location.NETWORK
    removable = file_location.classify(Path("/media/siti/KT STICK/x"), mounts=mounts)
    assert "flashdisk" in removable.reason().lower()
    assert "jaringan" in file_location.classify(Path("/mnt/kantor/x"), mounts=mounts).reason()


def test_move_to_local_copies_checks_and_sets_the_original_aside(tmp_path: Path) -> None:
    from kt_desktop.services.setup import init_village
    from tests.conftest import make_profile

    stick = tmp_path / "stick"
    stick.mkdir()
    original = stick / "desa.sqlite"
    init_village(original, make_profile())
    add_members(original, 40)
    moved = file_location.move_to_local(original)
    assert moved == paths.data_dir() / "desa.sqlite"
    assert member_count(moved) == 40 and store_backup.integrity_problems(moved) == []
    assert not original.exists()
    left = sorted(p.name for p in stick.iterdir())
    assert left[0].startswith("desa.sqlite.dipindahkan-") and left[0].endswith(tuple("0123456789"))
    assert all(name.startswith(left[0]) for name in left)  # its -wal/-shm travel with it
    open_session(moved).close()  # opens as a normal data file


# -- the command line ------------------------------------------------------------------------


def test_cli_backup_list_restore(desa: Path, tmp_path: Path, capsys) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out, err = _run(capsys, "backup", "--out", str(out_dir), "--data", str(desa), "--json")
    assert code == 0, err
    made = Path(json.loads(out)["path"])
    assert made.parent == out_dir and json.loads(out)["counts"]["members"] == 120
    code, out, err = _run(capsys, "backup", "--data", str(desa))
    assert code == 0 and "diperiksa" in out
    code, out, err = _run(capsys, "backups", "--data", str(desa), "--json")
    listed = json.loads(out)["backups"]
    assert code == 0 and len(listed) == 1 and listed[0]["ok"] is True

    add_members(desa, 5, seed=9)
    code, out, err = _run(capsys, "restore", str(made), "--data", str(desa))
    assert code == 1 and "--yes" in err and member_count(desa) == 125
    code, out, err = _run(capsys, "restore", str(made), "--data", str(desa), "--yes")
    assert code == 0, err
    assert member_count(desa) == 120 and "Dipulihkan" in out


def test_cli_restore_refuses_a_damaged_backup(desa: Path, tmp_path: Path, capsys) -> None:
    broken = tmp_path / "rusak.sqlite"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)
    before = digest(desa)
    code, out, err = _run(capsys, "restore", str(broken), "--data", str(desa), "--yes")
    assert code == 1 and "rusak" in err
    assert digest(desa) == before
    code, out, err = _run(capsys, "restore", str(tmp_path / "nope.sqlite"), "--data", str(desa))
    assert code == 1 and "tidak ada" in err


def test_cli_backup_of_a_damaged_file_fails_with_exit_1(desa: Path, capsys) -> None:
    _damage("truncated", desa)
    code, out, err = _run(capsys, "backup", "--data", str(desa))
    assert code == 1 and "terpotong" in err
