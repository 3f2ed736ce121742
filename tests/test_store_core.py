"""The data file's foundations: connection settings, migrations, record identity, audit."""

from __future__ import annotations

import sqlite3
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kt_desktop.domain.errors import DataFileError, NotFoundError
from kt_desktop.store import audit, connection, migrations, records


def test_every_connection_gets_the_design_settings(tmp_path: Path) -> None:
    db = connection.connect(tmp_path / "a.sqlite", create=True)
    pragmas = {
        name: db.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout", "secure_delete")
    }
    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 2,  # FULL
        "foreign_keys": 1,
        "busy_timeout": 5000,
        "secure_delete": 1,
    }


def test_missing_file_is_refused_without_create(tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as info:
        connection.connect(tmp_path / "typo.sqlite")
    assert info.value.code == "missing"
    assert not (tmp_path / "typo.sqlite").exists()


def test_not_sqlite_and_read_only_are_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("bukan basis data")
    with pytest.raises(DataFileError) as info:
        connection.connect(text)
    assert info.value.code == "not_sqlite"
    assert text.read_text() == "bukan basis data"


def _fresh(tmp_path: Path):
    db = connection.connect(tmp_path / "m.sqlite", create=True)
    migrations.migrate(db)
    return db


def test_migrations_set_user_version_and_refuse_newer(tmp_path: Path) -> None:
    db = _fresh(tmp_path)
    assert migrations.schema_version(db) == migrations.latest_version()
    assert migrations.migrate(db) == []
    db.execute(f"PRAGMA user_version = {migrations.latest_version() + 5}")
    with pytest.raises(DataFileError) as info:
        migrations.migrate(db)
    assert info.value.code == "newer_schema"


def _at_version_one(path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A new file with only the first migration run (the others made to not exist)."""
    db = connection.connect(path, create=True)
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1])
    migrations.migrate(db)
    return db


def _second_migration(monkeypatch: pytest.MonkeyPatch, migrate: Callable[[Any], None]) -> None:
    """Register ``migrate`` as migration 2, in a module of its own as the real ones are."""
    module = types.ModuleType("kt_test_migration")
    module.migrate = migrate  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "kt_test_migration", module)
    monkeypatch.setattr(
        migrations, "MIGRATIONS", [*migrations.MIGRATIONS[:1], (2, "kt_test_migration:migrate")]
    )


def test_migration_backs_up_an_existing_file_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _at_version_one(tmp_path / "old.sqlite", monkeypatch)
    db.execute("INSERT INTO settings(key, value) VALUES('marker', 'sebelum')")

    def add_table(database) -> None:
        database.execute("CREATE TABLE extra (x)")

    _second_migration(monkeypatch, add_table)
    backup = tmp_path / "backups" / "before.sqlite"
    assert migrations.migrate(db, backup_to=backup) == [2]
    saved = sqlite3.connect(backup)
    assert saved.execute("SELECT value FROM settings WHERE key='marker'").fetchone() == ("sebelum",)
    assert saved.execute("PRAGMA user_version").fetchone()[0] == 1
    assert "extra" not in [r[0] for r in saved.execute("SELECT name FROM sqlite_master")]


def test_failed_migration_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _at_version_one(tmp_path / "f.sqlite", monkeypatch)

    def broken(database) -> None:
        database.execute("CREATE TABLE half (x)")
        raise RuntimeError("boom")

    _second_migration(monkeypatch, broken)
    with pytest.raises(RuntimeError):
        migrations.migrate(db)
    assert migrations.schema_version(db) == 1
    assert "half" not in db.table_names()


def _thing_table(db) -> None:
    records.create_record_table(db, "things", {"name": str, "nik": str})


def test_records_carry_identity_change_seq_and_audit(tmp_path: Path) -> None:
    db = _fresh(tmp_path)
    _thing_table(db)
    first = records.insert(db, "things", {"name": "A", "nik": "3604221234560001"},
                           village_code="36.04.22.2001", actor="Siti")
    second = records.insert(db, "things", {"name": "B"}, village_code="36.04.22.2001", actor="Siti")
    rows = {r["id"]: r for r in db["things"].rows}
    assert rows[first]["version"] == 1 and rows[first]["change_seq"] == 1
    assert rows[second]["change_seq"] == 2
    assert rows[first]["updated_at"].endswith("Z")

    records.update(db, "things", first, {"name": "A2"}, actor="Siti")
    row = db["things"].get(first)
    assert (row["name"], row["version"], row["change_seq"]) == ("A2", 2, 3)

    records.tombstone(db, "things", first, clear=["name", "nik"], actor="Siti")
    row = db["things"].get(first)
    assert row["deleted_at"] is not None
    assert (row["name"], row["nik"], row["version"], row["change_seq"]) == (None, None, 3, 4)
    assert records.current_change_seq(db) == 4

    actions = [(e.action, e.record_id) for e in audit.entries(db, table="things")]
    assert actions == [("remove", first), ("update", first), ("create", second), ("create", first)]
    with pytest.raises(NotFoundError):
        records.update(db, "things", first, {"name": "again"}, actor="Siti")


def test_audit_log_is_append_only(tmp_path: Path) -> None:
    db = _fresh(tmp_path)
    audit.record(db, "backup", None, None, actor="Siti")
    with pytest.raises(sqlite3.DatabaseError):
        db.execute("UPDATE audit_log SET actor = 'someone else'")


def test_a_failed_write_rolls_back_record_and_audit(tmp_path: Path) -> None:
    db = _fresh(tmp_path)
    _thing_table(db)
    with pytest.raises(RuntimeError):
        with db.atomic():
            records.insert(db, "things", {"name": "A"}, village_code="36.04.22.2001", actor="S")
            raise RuntimeError("disk full")
    assert db["things"].count == 0
    assert audit.entries(db) == []
    assert records.current_change_seq(db) == 0
