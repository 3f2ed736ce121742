"""A data file from someone else is data, never instructions (issue 25).

Every hostile file here is made in the test: a data file whose bulk-import flag holds SQL,
a file with a view or trigger the program never made, an outbox row pointing at any local
file, broken ``settings.json`` files, a FIFO, a crafted PIN.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from kt_desktop.cli import run
from kt_desktop.domain.errors import DataFileError
from kt_desktop.services import backups
from kt_desktop.services.check import check
from kt_desktop.services.session import open_session
from kt_desktop.store import backup as store_backup
from kt_desktop.store import bulk_import, connection, schema_reference
from tests.test_backups import add_members

# -- helpers ---------------------------------------------------------------------------------


def _hostile_statements(target: Path) -> list[str]:
    """What an attacker stores: leave the transaction, attach any file, write into it."""
    return [
        "COMMIT",
        f"ATTACH DATABASE '{target}' AS evil",
        "CREATE TABLE evil.payload(line TEXT)",
        "INSERT INTO evil.payload VALUES ('@echo off')",
        "BEGIN",
    ]


def _plant_pending(path: Path, target: Path) -> None:
    """Make ``path`` look like a bulk import was cut off, with SQL in its flag."""
    statements = _hostile_statements(target)
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute("DROP INDEX idx_members_name")
            conn.execute("DROP INDEX idx_members_dusun")
            conn.execute("DROP TRIGGER members_fts_insert")
            conn.execute("INSERT INTO members_fts(members_fts) VALUES ('delete-all')")
            state = {
                # the old format: statements to run; and names the program does not know
                "indexes": statements + ["CREATE INDEX idx_members_name ON members(nik)"],
                "triggers": statements,
                "search": ["members_fts", "evil.payload"],
                "stats": [["members", "idx_members_name", "1 1"], ["x", "y", 3]],
            }
            conn.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [bulk_import.PENDING, json.dumps(state)],
            )
    finally:
        conn.close()


def _schema_of(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(path)
    try:
        return {
            name: sql
            for name, sql in conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            )
        }
    finally:
        conn.close()


def _assert_rebuilt(path: Path) -> None:
    """Everything the crafted flag named is back, as the program's own schema has it."""
    own = schema_reference.reference()
    found = _schema_of(path)
    for name in ("idx_members_name", "idx_members_dusun", "members_fts_insert"):
        assert found[name] == own[name].sql, name
    assert "payload" not in found
    conn = sqlite3.connect(path)
    try:
        assert conn.execute(
            "SELECT value FROM settings WHERE key = ?", [bulk_import.PENDING]
        ).fetchone() is None
        live = conn.execute("SELECT count(*) FROM members WHERE deleted_at IS NULL").fetchone()[0]
        indexed = conn.execute(
            "SELECT count(*) FROM members_fts WHERE members_fts MATCH 'a* OR i* OR u* OR e*'"
        ).fetchone()[0]
    finally:
        conn.close()
    assert live > 0 and indexed > 0  # the search index was filled again


# -- 1. stored SQL never runs ----------------------------------------------------------------


def test_stored_sql_in_the_bulk_import_flag_never_runs_on_check_report_or_open(
    village_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_members(village_file, 12)
    evil = tmp_path / "startup" / "evil.db"
    evil.parent.mkdir()
    _plant_pending(village_file, evil)

    assert run(["check", "--data", str(village_file)]) == 0, capsys.readouterr()
    assert not evil.exists()
    out = tmp_path / "anggota.pdf"
    assert run(["report", "members", "--data", str(village_file), "--out", str(out)]) == 0
    assert out.exists() and not evil.exists()
    _assert_rebuilt(village_file)
    # and after the repair the file is exactly the program's schema: check says BAIK
    assert check(village_file).ok


def test_open_session_rebuilds_from_the_programs_schema_only(
    village_file: Path, tmp_path: Path
) -> None:
    add_members(village_file, 5)
    evil = tmp_path / "evil.db"
    _plant_pending(village_file, evil)
    session = open_session(village_file)
    session.close()
    assert not evil.exists()
    _assert_rebuilt(village_file)


def test_restoring_a_crafted_backup_runs_none_of_its_sql(
    village_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_members(village_file, 8)
    crafted = backups.take_backup(village_file).path
    evil = tmp_path / "evil.db"
    _plant_pending(crafted, evil)
    code = run(["restore", str(crafted), "--yes", "--data", str(village_file)])
    assert code == 0, capsys.readouterr()
    assert not evil.exists()
    _assert_rebuilt(village_file)


def test_every_connection_refuses_attach_and_load_extension(
    village_file: Path, tmp_path: Path
) -> None:
    evil = tmp_path / "evil.db"
    db = connection.connect(village_file)
    read_only = store_backup.open_read_only(village_file)
    try:
        for conn in (db.conn, read_only):
            with pytest.raises(sqlite3.DatabaseError):
                conn.execute(f"ATTACH DATABASE '{evil}' AS evil")
            with pytest.raises(sqlite3.DatabaseError):
                conn.execute("SELECT load_extension('/tmp/evil.so')")
            with pytest.raises(sqlite3.DatabaseError):  # a copy only where the program allows it
                conn.execute("VACUUM INTO ?", [str(evil)])
        assert not evil.exists()
        # Inside statements the file chose, no transaction control.
        with connection.foreign_statements(db):
            for statement in ("COMMIT", "SAVEPOINT x", "BEGIN"):
                with pytest.raises(sqlite3.DatabaseError):
                    db.conn.execute(statement)
        # The program's own copy (backups, the pre-migration copy) still works.
        copy = tmp_path / "copy.sqlite"
        with connection.copying_to(read_only, copy):
            read_only.execute("VACUUM INTO ?", [str(copy)])
        assert copy.exists()
        with pytest.raises(sqlite3.DatabaseError):  # only that file, only in the block
            read_only.execute("VACUUM INTO ?", [str(tmp_path / "other.sqlite")])
        with db.atomic(), db.atomic():  # sqlite-utils' transactions and savepoints
            db.execute("UPDATE settings SET value = value WHERE key = 'file_kind'")
    finally:
        db.close()
        read_only.close()
    assert backups.take_backup(village_file).path.exists()


# -- 4. check compares the schema with the program's own -------------------------------------


def test_check_names_a_view_shadowing_members(
    village_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_members(village_file, 3)
    conn = sqlite3.connect(village_file)
    with conn:
        conn.execute("ALTER TABLE members RENAME TO members_all")
        conn.execute("CREATE VIEW members AS SELECT * FROM members_all WHERE sex = 'P'")
    conn.close()
    assert run(["check", "--data", str(village_file)]) == 1
    out = capsys.readouterr().out
    assert "view 'members'" in out and "members_all" in out
    assert "MASALAH" in out and "BAIK" not in out


def test_check_names_a_trigger_copying_removed_niks(
    village_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(village_file)
    with conn:
        conn.execute("CREATE TABLE kt_cache(nik TEXT)")
        conn.execute(
            "CREATE TRIGGER members_keep AFTER UPDATE OF deleted_at ON members "
            "BEGIN INSERT INTO kt_cache VALUES (old.nik); END"
        )
    conn.close()
    assert run(["check", "--data", str(village_file)]) == 1
    out = capsys.readouterr().out
    assert "trigger 'members_keep'" in out and "tabel 'kt_cache'" in out
    assert "BAIK" not in out


def test_check_of_a_sound_file_is_still_good(village_file: Path) -> None:
    add_members(village_file, 3)
    result = check(village_file)
    assert result.ok, result.problems


def test_a_fifo_as_data_file_is_refused_not_waited_on(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "data.sqlite"
    os.mkfifo(fifo)
    with pytest.raises(DataFileError) as refused:
        connection.connect(fifo)
    assert "bukan berkas biasa" in refused.value.message
