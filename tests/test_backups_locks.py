"""Issue 14: backups belong to one data file, one writer at a time, Indonesian all through.

Two villages' files with one name (``a/desa.sqlite``, ``b/desa.sqlite``) shared a backup
series, so backing up B deleted A's only backup; ``demo`` beside a running ``members import``
failed with "database is locked"; the CLI wrote to a file the GUI had open; and ``check``,
``backup``, ``backups`` and the restore prompt printed English table names.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kt_desktop import paths
from kt_desktop.services import backups
from kt_desktop.services.failures import as_refusal
from kt_desktop.services.session import open_session
from kt_desktop.services.setup import init_village
from kt_desktop.store import connection, lock, migrations, settings
from tests.conftest import make_profile
from tests.conftest import run_cli as cli

ROOT = Path(__file__).resolve().parents[1]
CODE_A, CODE_B = "36.04.22.2001", "36.04.22.2002"  # Desa Baros and Desa Tejamari, Kec. Baros

#: English words seen in (or likely to slip into) the CLI's Indonesian output.
ENGLISH = {
    "members", "activities", "trainings", "participants", "activity", "training",
    "beneficiaries", "funds", "attachments", "sessions", "attendance", "certificates",
    "village", "receiver", "backup", "backups", "file", "error", "unexpected",
    "belongs", "another", "nothing", "changed", "the", "is", "of", "and", "not", "this",
    "database", "locked", "malformed", "directory", "such", "permitted", "operation",
    "read", "only", "written", "checked", "good", "damaged", "open", "unknown",
}


def english_words(text: str) -> set[str]:
    """English words of ``text``, paths and option names left out."""
    words = set()
    for token in text.split():
        if "/" in token or token.startswith("--") or token.endswith(".sqlite"):
            continue
        words |= {w.lower() for w in re.findall(r"[A-Za-z_]+", token)}
    found = {w for w in words if w in ENGLISH}
    found |= {w for w in words if "_" in w}  # a table name (activity_participants)
    return found


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def member_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM members WHERE deleted_at IS NULL").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def two_files(tmp_path: Path) -> tuple[Path, Path]:
    """``a/desa.sqlite`` (Desa Baros) and ``b/desa.sqlite`` (Desa Tejamari): one name, two files."""
    made = []
    for folder, code in (("a", CODE_A), ("b", CODE_B)):
        path = tmp_path / folder / "desa.sqlite"
        path.parent.mkdir()
        init_village(path, make_profile(village_code=code))
        made.append(path)
    return made[0], made[1]


def subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    return env


def members_csv(path: Path) -> Path:
    rows = [
        ["No", "Nama", "NIK", "Tempat Lahir", "Tgl Lahir", "L/P", "Alamat", "RT", "RW", "Dusun", "No HP"],
        [1, "Siti Nurhaliza", "3604225708010004", "Serang", "17/08/2001", "P", "Jl. Baros", "2", "3",
         "Kampung Cilaku", "0812-3456-7890"],
        [2, "Dede Suryana", "3604221708010003", "Serang", "17-08-2001", "L", "", "002", "003",
         "Kampung Cilaku", ""],
    ]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    return path


# -- 2. backups belong to one data file ----------------------------------------------------


def test_two_files_with_one_name_keep_their_own_backups(
    two_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = two_files
    code, out, err = cli(capsys, "backup", "--data", str(a), "--json")
    assert code == 0, err
    backup_a = Path(json.loads(out)["path"])
    code, out, err = cli(capsys, "backup", "--data", str(b), "--json")
    assert code == 0, err
    backup_b = Path(json.loads(out)["path"])
    assert backup_a.exists() and backup_b.exists()  # B's backup did not replace A's

    code, out, err = cli(capsys, "backups", "--data", str(a), "--json")
    listed = json.loads(out)["backups"]
    assert code == 0 and [Path(x["path"]) for x in listed] == [backup_a]
    assert listed[0]["code"] == CODE_A and listed[0]["owner"] == f"Desa Baros ({CODE_A})"
    code, out, err = cli(capsys, "backups", "--data", str(b))
    assert code == 0 and str(backup_b) in out and str(backup_a) not in out
    assert "Desa Tejamari" in out

    # --all lists both, each labelled by its village.
    code, out, err = cli(capsys, "backups", "--data", str(a), "--all")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert any("Desa Baros" in line and str(backup_a) in line for line in lines)
    assert any("Desa Tejamari" in line and str(backup_b) in line for line in lines)

    # Restoring B's backup onto A is refused in Indonesian, naming both villages.
    before = digest(a)
    code, out, err = cli(capsys, "restore", str(backup_b), "--data", str(a), "--yes")
    assert code == 1 and err.count("\n") == 1
    assert "Desa Tejamari (36.04.22.2002)" in err and "Desa Baros (36.04.22.2001)" in err
    assert "milik berkas data Desa Tejamari" in err and english_words(err) == set()
    assert digest(a) == before


def test_retention_counts_per_data_file(two_files: tuple[Path, Path]) -> None:
    a, b = two_files
    monday = dt.datetime(2026, 11, 23, 8, 0)
    first_a = backups.auto_backup(a, now=monday)
    first_b = backups.auto_backup(b, now=monday + dt.timedelta(hours=1))
    assert first_a is not None and first_b is not None
    # Ten more days of B's backups prune only B's own.
    for day in range(1, 11):
        backups.take_backup(b, now=monday + dt.timedelta(days=day))
    assert first_a.path.exists()
    assert [x.path for x in backups.list_backups(a)] == [first_a.path]
    kept_b = backups.list_backups(b, verify=False)
    assert len(kept_b) == 7 and all(x.code == CODE_B for x in kept_b)


def test_backups_made_before_identities_are_still_listed_for_their_file(
    two_files: tuple[Path, Path],
) -> None:
    a, b = two_files
    old_a = paths.backup_dir() / "desa-20261101-120000.sqlite"
    old_b = paths.backup_dir() / "desa-20261102-120000.sqlite"
    for source, old in ((a, old_a), (b, old_b)):
        backups.store_backup.snapshot(source, old)
        conn = sqlite3.connect(old)  # as the old version made it: no id inside
        conn.execute("DELETE FROM settings WHERE key = ?", [settings.FILE_ID])
        conn.commit()
        conn.close()
    new_a = backups.take_backup(a)
    assert [x.path for x in backups.list_backups(a)] == [new_a.path, old_a]
    assert [x.path for x in backups.list_backups(b)] == [old_b]
    assert old_a.exists() and old_b.exists()  # never pruned


def test_a_file_made_before_identities_gets_one_when_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "lama.sqlite"
    with monkeypatch.context() as older:  # a file made by the program before migration 9
        older.setattr(migrations, "MIGRATIONS", [m for m in migrations.MIGRATIONS if m[0] < 9])
        init_village(path, make_profile())
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 8
    conn.close()
    assert backups.identity_of(path) is None
    open_session(path).close()
    identity = backups.identity_of(path)
    assert identity is not None and identity.code == "36.04.22.2001" and len(identity.file_id) == 32
    # The copy made before the update lies in the old place and is listed for this file.
    listed = backups.list_backups(path)
    assert [x.kind for x in listed] == [backups.BEFORE_MIGRATION]
    assert listed[0].path.parent == paths.backup_dir()
    open_session(path).close()
    assert backups.identity_of(path) == identity  # made once, kept


def test_a_damaged_file_is_offered_its_own_backup_not_the_other_files(
    two_files: tuple[Path, Path],
) -> None:
    a, b = two_files
    own = backups.take_backup(a, now=dt.datetime(2026, 11, 27, 17, 0))
    backups.take_backup(b, now=dt.datetime(2026, 11, 28, 17, 0))  # newer, same file name
    a.write_bytes(a.read_bytes()[:1000])  # cut short: it can no longer say who it is
    result = backups.check_on_open(a)
    assert not result.ok and result.newest_good is not None
    assert result.newest_good.path == own.path


# -- 3. one writer at a time ---------------------------------------------------------------


def test_every_write_takes_the_write_lock_at_begin(village_file: Path) -> None:
    db = connection.connect(village_file)
    other = sqlite3.connect(village_file, timeout=0)
    try:
        assert db.conn.isolation_level == "IMMEDIATE"  # a lone INSERT/UPDATE too
        with db.atomic():
            db.execute("SELECT count(*) FROM settings").fetchone()  # only read so far
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()
        db.close()


SLOW_IMPORT = """
import sys, time
from kt_desktop.store import audit
original = audit.record
def slow(db, action, *args, **kwargs):
    if action == "import":  # inside the import's one transaction, after its rows
        print("writing", flush=True)
        time.sleep(float(sys.argv[1]))
    return original(db, action, *args, **kwargs)
audit.record = slow
from kt_desktop.cli import run
from kt_desktop.domain.book import all_books
sys.exit(run(sys.argv[2:]))
"""


def test_demo_waits_for_a_running_import_and_both_succeed(village_file: Path, tmp_path: Path) -> None:
    """Two subprocesses: ``demo`` starts while ``members import`` holds its transaction
    longer than SQLite's busy timeout; it used to fail with "database is locked"."""
    source = members_csv(tmp_path / "anggota.csv")
    seconds = connection.BUSY_TIMEOUT_MS / 1000 + 1
    env = subprocess_env()
    importer = subprocess.Popen(
        [sys.executable, "-c", SLOW_IMPORT, str(seconds), "--data", str(village_file),
         "members", "import", str(source)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path,
    )
    try:
        assert importer.stdout is not None
        assert importer.stdout.readline().strip() == "writing"
        demo = subprocess.run(
            # --force: the import's members are in the file by the time demo may write
            [sys.executable, "-m", "kt_desktop", "--data", str(village_file), "demo",
             "--members", "20", "--months", "1", "--force"],
            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
        )
        out, err = importer.communicate(timeout=60)
    finally:
        if importer.poll() is None:
            importer.kill()
    assert importer.returncode == 0, err
    assert demo.returncode == 0, demo.stderr
    assert "Kesalahan tak terduga" not in demo.stderr
    assert member_count(village_file) == 2 + 20


def test_a_wait_that_runs_out_names_the_program(
    village_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.3)
    other = lock.DataFileLock(village_file, role=lock.CLI, command="members import")
    other.acquire()
    try:
        started = time.monotonic()
        code, out, err = cli(capsys, "demo", "--members", "5", "--data", str(village_file))
        assert time.monotonic() - started >= 0.3  # it waited before giving up
    finally:
        other.release()
    assert code == 1 and err.count("\n") == 1
    assert f"sedang ditulis oleh program lain (kt-desktop members import, PID {os.getpid()})" in err
    assert "coba lagi" in err.lower() and member_count(village_file) == 0


def test_sqlite_busy_after_the_timeout_is_an_indonesian_refusal(
    village_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A program that is not KT Desktop (no lock file) keeps SQLite's write lock."""
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 200)
    outsider = sqlite3.connect(village_file)
    outsider.execute("BEGIN IMMEDIATE")
    try:
        code, out, err = cli(capsys, "demo", "--members", "5", "--data", str(village_file))
    finally:
        outsider.rollback()
        outsider.close()
    assert code == 1 and "Kesalahan tak terduga" not in err
    assert "Berkas data sedang ditulis oleh program lain (program tak dikenal)" in err
    assert "ditunggu 0 detik" in err  # the store's busy timeout, here shortened
    refusal = as_refusal(sqlite3.OperationalError("database is locked"))
    assert refusal is not None and refusal.code == "busy"


HOLD_LIKE_THE_GUI = """
import sys
from kt_desktop.store.lock import DataFileLock
held = DataFileLock(sys.argv[1])
held.acquire()
print("held", flush=True)
sys.stdin.read()
held.release()
"""


@pytest.fixture
def gui_holds(village_file: Path, tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holds the data file's lock the way the GUI's window does."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LIKE_THE_GUI, str(village_file)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=subprocess_env(),
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    yield holder
    assert holder.stdin is not None and holder.stdout is not None
    holder.stdin.close()
    holder.wait(timeout=30)
    holder.stdout.close()


def test_the_cli_does_not_write_beside_an_open_window(
    village_file: Path, tmp_path: Path, gui_holds: subprocess.Popen[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    backup = tmp_path / "cadangan.sqlite"
    backups.store_backup.snapshot(village_file, backup)
    source = members_csv(tmp_path / "anggota.csv")
    key = tmp_path / "kunci.ktkey"
    key.write_text("x", encoding="utf-8")
    out_dir = tmp_path / "keluar"
    out_dir.mkdir()
    before = digest(village_file)
    for argv in (
        ["demo", "--members", "5"],
        ["backup"],
        ["restore", str(backup), "--yes"],
        ["members", "import", str(source)],
        ["bundle", "export", "--out", str(out_dir)],
        ["bundle", "import", str(key)],
        ["keys", "import", str(key)],
        ["pin-reset", "--yes"],
        ["init", "--village", CODE_A, "--name", "KT"],
        ["profile", "set", "--ketua", "Ahmad Fauzi"],
    ):
        code, out, err = cli(capsys, *argv, "--data", str(village_file))
        assert code == 1, argv
        assert err.count("\n") == 1, (argv, err)
        assert f"sedang dibuka oleh program lain (KT Desktop, PID {gui_holds.pid})" in err, argv
        assert english_words(err.replace("KT Desktop", "")) == set(), (argv, err)
    assert digest(village_file) == before
    assert list(paths.backup_dir().rglob("*.sqlite")) == []  # no backup was written either
    assert list(out_dir.iterdir()) == []
    # Commands that only read still work beside the window.
    for argv in (["check"], ["backups"], ["members", "export", str(tmp_path / "a.csv")],
                 ["profile", "show"], ["book", "list", "tamu"]):
        code, out, err = cli(capsys, *argv, "--data", str(village_file))
        assert code == 0, (argv, err)


# -- 5. Indonesian, and no "unexpected error" for an expected one ------------------------------


def test_backup_of_a_folder_is_a_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "berkas"
    folder.mkdir()
    code, out, err = cli(capsys, "backup", "--data", str(folder))
    assert code == 1 and "adalah folder, bukan berkas data" in err
    assert "Kesalahan tak terduga" not in err and "Errno" not in err
    assert not Path(str(folder) + ".lock").exists()
    with pytest.raises(backups.DataFileError) as refused:
        backups.take_backup(folder)
    assert refused.value.code == "folder"


@pytest.fixture
def read_only(village_file: Path) -> Iterator[Path]:
    """The data file made read-only for this user (root: immutable, ``chattr +i``)."""
    if os.geteuid() != 0:
        village_file.chmod(0o444)
        yield village_file
        village_file.chmod(0o644)
        return
    chattr = shutil.which("chattr")
    made = chattr and subprocess.run([chattr, "+i", str(village_file)], capture_output=True).returncode == 0
    if not made:
        pytest.skip("running as root where chattr +i is not supported: no way to make a read-only file")
    try:
        yield village_file
    finally:
        subprocess.run([chattr, "-i", str(village_file)], check=True)  # type: ignore[list-item]


def test_restore_onto_a_read_only_file_is_refused_before_anything_is_written(
    read_only: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "cadangan.sqlite"
    backups.store_backup.snapshot(read_only, backup)
    before = digest(read_only)
    code, out, err = cli(capsys, "restore", str(backup), "--data", str(read_only), "--yes")
    assert code == 1 and err.count("\n") == 1
    assert "hanya-baca" in err and "Tidak ada yang diubah" in err
    assert "Kesalahan tak terduga" not in err and "Errno" not in err
    assert list(paths.backup_dir().rglob("*.sqlite")) == []  # no "before a restore" copy
    assert digest(read_only) == before


def test_backup_of_a_read_only_file_says_what_happened(
    read_only: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(read_only)
    code, out, err = cli(capsys, "backup", "--data", str(read_only))
    assert code == 0 and err == ""
    assert "Cadangan ditulis dan diperiksa" in out and "hanya-baca" in out
    assert "tidak dicatat" in out
    assert len(list(paths.backup_dir().rglob("*.sqlite"))) == 1
    assert digest(read_only) == before


def test_cli_output_has_no_english_words(
    two_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = two_files
    seen: list[str] = []
    for argv in (
        ["demo", "--members", "30", "--months", "2", "--data", str(a)],
        ["check", "--data", str(a)],
        ["backup", "--data", str(a)],
        ["backup", "--data", str(b)],
        ["backups", "--data", str(a)],
        ["backups", "--all", "--data", str(a)],
    ):
        code, out, err = cli(capsys, *argv)
        assert code == 0, (argv, err)
        seen.append(out + err)
    own = backups.list_backups(a)[0].path
    code, out, err = cli(capsys, "restore", str(own), "--data", str(a))  # the prompt
    assert code == 1 and "--yes" in err
    seen.append(err)
    text = "\n".join(seen)
    assert "Anggota" in text and "Peserta kegiatan" in text
    assert english_words(text) == set(), text


def test_low_level_reasons_are_said_in_indonesian() -> None:
    import errno
    import zipfile

    from kt_desktop.domain.errors import reason_text

    raw = [
        FileNotFoundError(errno.ENOENT, "No such file or directory"),
        IsADirectoryError(errno.EISDIR, "Is a directory"),
        PermissionError(errno.EPERM, "Operation not permitted"),
        sqlite3.DatabaseError("database disk image is malformed"),
        sqlite3.DatabaseError("file is not a database"),
        zipfile.BadZipFile("File is not a zip file"),
        csv.Error("new-line character seen in unquoted field - do you need to open the file with newline=''?"),
    ]
    said = [reason_text(exc) for exc in raw]
    assert said[0] == "berkas atau folder itu tidak ada" and said[3] == "isinya rusak"
    for exc, text in zip(raw, said, strict=True):
        assert str(exc).split(" - ")[0] not in text and english_words(text) == set(), text


def test_files_a_user_gives_are_refused_in_indonesian(
    village_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken_csv = tmp_path / "anggota.csv"
    broken_csv.write_bytes(b'Nama;NIK\r\n"Siti\rX";123\rY;1\n')  # a lone CR outside quotes
    not_xlsx = tmp_path / "anggota.xlsx"
    not_xlsx.write_text("bukan lembar kerja", encoding="utf-8")
    damaged = tmp_path / "rusak.sqlite"
    shutil.copy(village_file, damaged)
    with damaged.open("r+b") as handle:  # a page in the middle, not the header
        handle.seek(4096 * 5)
        handle.write(b"\xff" * 4096)
    cases = [
        (["members", "import", str(broken_csv)], village_file, "bukan teks CSV yang sah", "new-line"),
        (["members", "import", str(not_xlsx)], village_file, "bukan berkas ZIP yang utuh", "zip file"),
        (["members", "import", str(tmp_path / "tidak-ada.csv")], village_file, "tidak ada", "No such"),
        (["members", "export", str(tmp_path / "tidak-ada" / "a.csv")], village_file, "tidak ada", "No such"),
        (["demo", "--members", "1"], damaged, "rusak", "malformed"),
        (["check"], damaged, "rusak", "malformed"),
    ]
    for argv, data, wanted, raw in cases:
        code, out, err = cli(capsys, *argv, "--data", str(data))
        assert code == 1, (argv, out, err)
        assert wanted in err and raw not in err, (argv, err)
        assert "Kesalahan tak terduga" not in err, (argv, err)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_files_holding_personal_data_are_owner_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One rule (docs/RELIABILITY.md): reports were 0600 and exports 0644 before."""
    data = tmp_path / "desa.sqlite"
    out = tmp_path / "keluar"
    out.mkdir()
    steps = [
        ["init", "--village", CODE_A, "--name", "KT", "--ketua", "A", "--sekretaris", "B",
         "--bendahara", "C"],
        ["demo", "--members", "10", "--months", "1"],
        ["members", "export", str(out / "anggota.csv")],
        ["members", "export", str(out / "anggota.xlsx")],
        ["backup", "--out", str(out)],
        ["backup"],
        ["bundle", "export", "--out", str(out)],
    ]
    for argv in steps:
        code, _out, err = cli(capsys, *argv, "--data", str(data))
        assert code == 0, (argv, err)
    written = [data, *out.iterdir(), *paths.backup_dir().rglob("*")]
    written = [p for p in written if p.is_file()]
    assert len(written) >= 7
    modes = {p.name: oct(p.stat().st_mode & 0o777) for p in written}
    assert set(modes.values()) == {"0o600"}, modes


def test_the_restore_prompt_already_refuses_another_villages_backup(
    two_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = two_files
    theirs = backups.take_backup(b)
    code, out, err = cli(capsys, "restore", str(theirs.path), "--data", str(a))  # no --yes
    assert code == 1 and "--yes" not in err
    assert "Desa Tejamari (36.04.22.2002)" in err and "Desa Baros (36.04.22.2001)" in err


def test_a_crafted_id_or_code_cannot_name_another_folder() -> None:
    crafted = backups.FileIdentity(kind="village", code="../../etc", file_id="../../../tmp/x")
    name = crafted.folder_name
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert backups.identity_folder(crafted).parent == paths.backup_dir()
