"""Migration 27: a receiver keys its records by village and id; a village file keeps its key.

Why (docs/DESIGN.md, "Data model"): on a random key alone, the first import of Jawa
Tengah's 8,563 villages spent most of its 19 minutes in the key's index; keyed by village,
a village's rows lie together.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from kt_desktop.domain.errors import DataFileError
from kt_desktop.services import demo
from kt_desktop.services.session import open_session
from kt_desktop.store import (
    connection,
    maintenance,
    migrations,
    schema_receiver_keys,
    schema_reference,
    sync,
)
from tests.test_bundles_kit import (
    add_activity,
    as_receiver_of_version,
    export,
    import_one,
    open_pair,
)

CHILD_KEYS = {
    ("activity_beneficiaries", "activities"),
    ("activity_funds", "activities"),
    ("training_attendance", "training_participants"),
    ("training_outcomes", "trainings"),
}


def _rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every record table's rows with their rowids, in rowid order, and the member search;
    read as the file is (not opened by the program, so not migrated)."""
    db = connection.connect(path)
    try:
        found = {
            table.name: db.execute(f"SELECT rowid, * FROM [{table.name}] ORDER BY rowid")
            .fetchall()
            for table in sync.present_tables(db)
        }
        found["members_fts"] = db.execute(
            "SELECT rowid FROM members_fts WHERE members_fts MATCH 'a*' ORDER BY rowid"
        ).fetchall()
        return found
    finally:
        db.close()


def _keys(path: Path) -> set[tuple[str, ...]]:
    """The keys of the file's record tables, read as the file is."""
    db = connection.connect(path)
    try:
        return {sync.key_columns(db, table.name) for table in sync.present_tables(db)}
    finally:
        db.close()


def _receiver_with_a_village(folder: Path) -> Path:
    village, receiver = open_pair(folder)
    try:
        demo.fill(village, members=14, months=6, seed=5)
        add_activity(village)
        summary = import_one(receiver, export(village, folder / "usb"))
        assert summary.status == "imported", summary.message
        return receiver.path
    finally:
        village.close()
        receiver.close()


def test_a_new_receiver_is_keyed_by_village_and_a_village_file_by_id(tmp_path: Path) -> None:
    path = _receiver_with_a_village(tmp_path)
    assert _keys(path) == {schema_receiver_keys.KEY}
    assert _keys(tmp_path / "desa.sqlite") == {("id",)}
    session = open_session(path)
    try:
        db = session.db()
        # a child names its parent within its village
        for child, parent in CHILD_KEYS:
            pairs = {(row[2], row[3], row[4]) for row in
                     db.execute(f"PRAGMA foreign_key_list([{child}])").fetchall()}
            assert ("village_code", "village_code", parent) in {
                (column, target, table) for table, column, target in pairs}, child
        # a unique rule not led by the village gets it first
        cell = db.execute("SELECT sql FROM sqlite_master WHERE name = "
                          "'idx_training_attendance_cell'").fetchone()[0]
        assert "(village_code, session_id, participant_id)" in cell
        assert not schema_reference.differences(db, migrations.latest_version())
        assert maintenance.integrity_problems(db) == []
    finally:
        session.close()


def test_a_receiver_made_before_migration_27_keeps_every_row(tmp_path: Path) -> None:
    path = _receiver_with_a_village(tmp_path)
    before = _rows(path)
    assert sum(len(rows) for rows in before.values()) > 300 and before["members_fts"]
    as_receiver_of_version(path, 26)
    assert _keys(path) == {("id",)}  # the old form, really
    assert _rows(path) == before

    session = open_session(path)  # migrates
    try:
        db = session.db()
        assert migrations.schema_version(db) == migrations.latest_version()
        assert not schema_reference.differences(db, migrations.latest_version())
        assert maintenance.integrity_problems(db) == []
    finally:
        session.close()
    assert _keys(path) == {schema_receiver_keys.KEY}
    assert _rows(path) == before  # every row, with its rowid; the search finds the same


def test_a_village_file_is_left_as_it_was(tmp_path: Path) -> None:
    _receiver_with_a_village(tmp_path)
    village = tmp_path / "desa.sqlite"
    session = open_session(village)
    try:
        db = session.db()
        tables = {name: sql for name, sql in db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table'")}
        db.execute("PRAGMA user_version = 26")
    finally:
        session.close()
    session = open_session(village)
    try:
        db = session.db()
        assert migrations.schema_version(db) == migrations.latest_version()
        assert {name: sql for name, sql in db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table'")} == tables
    finally:
        session.close()


def test_the_receiver_s_form_of_an_index() -> None:
    form = schema_receiver_keys.index_sql
    assert form("CREATE UNIQUE INDEX i ON t(session_id, participant_id) WHERE x") == (
        "CREATE UNIQUE INDEX i ON t(village_code, session_id, participant_id) WHERE x")
    assert form("CREATE UNIQUE INDEX i ON t(village_code, nik)") == (
        "CREATE UNIQUE INDEX i ON t(village_code, nik)")
    assert form("CREATE INDEX i ON t(activity_id)") == "CREATE INDEX i ON t(activity_id)"


def test_a_full_disk_during_the_update_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The update of a large receiver needs about twice its size free. A disk that fills
    up undoes it: the file is as it was, and the officer is told to free space, not that
    the file is damaged (which would offer to restore a backup)."""
    path = _receiver_with_a_village(tmp_path)
    as_receiver_of_version(path, 26)
    before = _rows(path)
    rebuild = schema_receiver_keys.rekey

    def then_full(*args: Any, **kwargs: Any) -> list[str]:
        rebuild(*args, **kwargs)  # every table made again, then no room for the rest
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(schema_receiver_keys, "rekey", then_full)
    with pytest.raises(DataFileError) as refused:
        open_session(path)
    assert refused.value.code == "disk_full"
    assert str(path) in refused.value.message and " GB " in refused.value.message
    assert _keys(path) == {("id",)} and _rows(path) == before
    monkeypatch.undo()
    open_session(path).close()  # with room again, it is updated
    assert _keys(path) == {schema_receiver_keys.KEY} and _rows(path) == before


def test_the_receiver_s_own_profile_is_written_alone(tmp_path: Path) -> None:
    """In a receiver an id names a record only within its village: a village's profile
    that carries the receiver's own profile id is not touched when the officer saves his."""
    from kt_desktop.store import profile as profile_store

    path = _receiver_with_a_village(tmp_path)
    session = open_session(path)
    try:
        db = session.db()
        own_id, area = db.execute(
            "SELECT id, village_code FROM profile WHERE village_code = ?", [session.code]
        ).fetchone()
        with db.atomic():  # as a forged bundle could leave it: the same id, another village
            db.execute(
                "UPDATE profile SET id = ? WHERE village_code != ?", [own_id, session.code]
            )
        village = db.execute(
            "SELECT * FROM profile WHERE id = ? AND village_code != ?", [own_id, area]
        ).fetchone()
        assert village is not None
        profile = profile_store.load(db)
        assert profile is not None
        profile.name = "Karang Taruna Provinsi Banten (baru)"
        profile_store.save(db, profile, actor="Petugas")
        assert profile_store.load(db).name == "Karang Taruna Provinsi Banten (baru)"
        assert db.execute(
            "SELECT * FROM profile WHERE id = ? AND village_code != ?", [own_id, area]
        ).fetchone() == village
    finally:
        session.close()
