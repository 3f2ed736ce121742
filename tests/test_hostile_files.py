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

from kt_desktop.bundles.errors import BundleError
from kt_desktop.cli import run
from kt_desktop.domain.errors import DataFileError
from kt_desktop.services import backups, bundles, outbox
from kt_desktop.services.check import check
from kt_desktop.services.session import Session, open_session
from kt_desktop.store import backup as store_backup
from kt_desktop.store import bulk_import, connection, schema_reference
from kt_desktop.store import bundles as bundle_store
from tests.test_backups import add_members
from tests.test_bundles_transport import _configure, _Inbox

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


# -- 2. the outbox mails only bundles the program wrote ---------------------------------------


@pytest.fixture
def mailing_village(
    smtp_server: tuple[_Inbox, int], mail_village: Session
) -> Session:
    _configure(mail_village, smtp_server[1])
    return mail_village


def _queue(village: Session, *, seq: int, path: str, recipient: str) -> int:
    db = village.db()
    with db.atomic():
        return bundle_store.add_outbox(
            db, export_seq=seq, path=path, recipient=recipient, now="2000-01-01T00:00:00.000Z"
        )


def test_a_crafted_outbox_row_sends_nothing_of_a_local_file(
    mailing_village: Session, smtp_server: tuple[_Inbox, int], tmp_path: Path
) -> None:
    inbox, _port = smtp_server
    secret = tmp_path / "rahasia.txt"
    secret.write_text("kata sandi bank: 123456\n")
    (tmp_path / "stick").mkdir()
    bundle = bundles.export(mailing_village, dest_dir=tmp_path / "stick")  # a real export
    outside_copy = tmp_path / bundle.path.name
    outside_copy.write_bytes(bundle.path.read_bytes())
    in_outgoing = bundles.outgoing_dir() / bundle.path.name
    in_outgoing.symlink_to(secret)  # a link in the right folder, to the wrong file
    rows = [
        _queue(mailing_village, seq=bundle.seq, path=str(secret), recipient="x@evil.example"),
        _queue(mailing_village, seq=bundle.seq, path=str(secret), recipient="kt.banten@example.id"),
        _queue(mailing_village, seq=99, path=str(secret), recipient="kt.banten@example.id"),
        _queue(mailing_village, seq=bundle.seq, path=str(outside_copy),
               recipient="kt.banten@example.id"),
        _queue(mailing_village, seq=bundle.seq, path=str(in_outgoing),
               recipient="kt.banten@example.id"),
    ]
    tried = outbox.send_due(mailing_village, timeout=5)
    assert [item.id for item in tried] == rows
    assert inbox.received == []  # the server received nothing at all
    for item in tried:
        assert item.state == bundle_store.OUTBOX_FAILED
        assert item.last_error.startswith("ditolak:"), item.last_error
        assert "Tidak ada yang dikirim" in item.last_error


def test_a_changed_bundle_or_another_address_is_refused_but_a_true_one_goes(
    mailing_village: Session, smtp_server: tuple[_Inbox, int]
) -> None:
    inbox, _port = smtp_server
    result = bundles.export_for_email(mailing_village)
    assert result.outbox_id is not None and result.path.is_absolute()
    db = mailing_village.db()
    stored = bundle_store.outbox_item(db, result.outbox_id)
    assert stored is not None and Path(stored.path) == result.path.resolve()
    other = _queue(mailing_village, seq=result.seq, path=stored.path, recipient="x@evil.example")
    tried = {item.id: item for item in outbox.send_due(mailing_village, timeout=5)}
    assert tried[result.outbox_id].state == bundle_store.OUTBOX_SENT
    assert "x@evil.example" in tried[other].last_error
    assert [envelope.rcpt_tos for envelope, _raw in inbox.received] == [["kt.banten@example.id"]]

    result.path.write_bytes(b"PK" + result.path.read_bytes()[2:][::-1])  # altered on disk
    outbox.retry(mailing_village)
    again = _queue(mailing_village, seq=result.seq, path=stored.path,
                   recipient="kt.banten@example.id")
    (item, *_rest) = [i for i in outbox.send_due(mailing_village, timeout=5) if i.id == again]
    assert "diubah" in item.last_error and len(inbox.received) == 1


def test_email_last_bundle_refuses_a_name_with_a_folder_in_it(
    mailing_village: Session, tmp_path: Path
) -> None:
    bundles.export(mailing_village, dest_dir=tmp_path)
    target = tmp_path / "etc" / "passwd"
    target.parent.mkdir()
    target.write_text("root:x:0:0\n")
    db = mailing_village.db()
    with db.atomic():
        db.execute("UPDATE exports SET file_name = '../../../../../../../../' || ?",
                   [str(target).lstrip("/")])
    with pytest.raises(BundleError) as refused:
        outbox.email_last_bundle(mailing_village)
    assert "bukan nama berkas bundel" in refused.value.message
    assert not Path(str(target) + ".eml").exists()
    assert not target.with_suffix(".eml").exists()


# -- 5. settings.json, folders, FIFOs and the PIN -------------------------------------------


@pytest.mark.parametrize(
    "content",
    ["[]", "null", '"id"', "42", '{"language": ["id"], "font_size": "besar"}',
     '{"language": {"x": 1}, "font_size": 1e400}', "[" * 100_000 + "]" * 100_000],
    ids=["list", "null", "string", "number", "wrong-types", "unhashable", "deep"],
)
def test_a_broken_settings_file_falls_back_to_the_defaults(
    content: str, village_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kt_desktop import i18n, paths, ui_prefs

    paths.settings_file().write_text(content, encoding="utf-8")
    assert i18n.saved_language() == "id"
    assert ui_prefs.font_size() == ui_prefs.DEFAULT_FONT_SIZE
    assert ui_prefs.get("reports.last_folder") is None
    assert run(["check", "--data", str(village_file)]) == 0
    assert "Hasil: BAIK" in capsys.readouterr().out
    ui_prefs.save_font_size(12)  # writing it again gives a sound file
    assert json.loads(paths.settings_file().read_text(encoding="utf-8"))["font_size"] == 12
    assert ui_prefs.font_size() == 12


def test_a_broken_settings_file_lets_the_gui_start(
    qapp: object, tmp_path: Path
) -> None:
    from kt_desktop import paths
    from kt_desktop.gui.app import prepare_application

    paths.settings_file().write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    prepare_application(qapp)  # type: ignore[arg-type]  # reads language and font size


def test_a_fifo_as_settings_file_is_not_waited_on(village_file: Path) -> None:
    import os

    from kt_desktop import i18n, paths, ui_prefs

    os.mkfifo(paths.settings_file())
    assert i18n.saved_language() == "id"
    assert ui_prefs.font_size() == ui_prefs.DEFAULT_FONT_SIZE
    assert run(["check", "--data", str(village_file)]) == 0
    i18n.save_language("id")  # replaces the FIFO by an ordinary file
    assert json.loads(paths.settings_file().read_text(encoding="utf-8")) == {"language": "id"}


def test_a_fifo_as_data_file_is_refused_by_every_door(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    fifo = tmp_path / "data.sqlite"
    os.mkfifo(fifo)
    with pytest.raises(DataFileError) as refused:
        connection.connect(fifo)
    assert "bukan berkas biasa" in refused.value.message
    assert run(["check", "--data", str(fifo)]) == 1
    assert "bukan berkas biasa" in capsys.readouterr().err
    assert not backups.check_on_open(fifo).ok  # the GUI's first look, read-only


def test_a_file_where_the_data_folder_should_be_gets_a_clear_message(
    _isolated_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kt_desktop.__main__ import main
    from kt_desktop.gui import app

    (_isolated_home / "data").write_text("bukan folder")
    assert run(["check"]) == 1
    err = capsys.readouterr().err
    assert "harus berupa folder" in err and "tak terduga" not in err

    (_isolated_home / "data").unlink()
    village_file = _isolated_home / "desa.sqlite"
    from kt_desktop.services.setup import init_village
    from tests.conftest import make_profile

    init_village(village_file, make_profile())
    (_isolated_home / "data" / "backups").rmdir()
    (_isolated_home / "data" / "backups").write_text("bukan folder")  # where backups go
    out = _isolated_home / "anggota.pdf"
    assert run(["report", "members", "--data", str(village_file), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "harus berupa folder" in err and "backups" in err
    (_isolated_home / "data" / "backups").unlink()
    (_isolated_home / "data").rmdir()
    (_isolated_home / "data").write_text("bukan folder")

    shown: list[str] = []
    monkeypatch.setattr(app, "refuse", lambda _parent, message: shown.append(message))
    assert main([]) == 1
    assert shown and "harus berupa folder" in shown[0] and str(_isolated_home / "data") in shown[0]


def test_a_corrupt_pin_lock_time_does_not_stop_a_pin_try(village_session: Session) -> None:
    from kt_desktop.services import pin
    from kt_desktop.store import settings

    pin.set_pin(village_session, "2468")
    db = village_session.db()
    for value in ("bukan-waktu", "2026-01-01T00:00:00", "9999-12-31T23:59:59+00:00"):
        with db.atomic():
            settings.put(db, pin.PIN_LOCKED_UNTIL, value)
            settings.put(db, pin.PIN_FAILURES, "x" if value == "bukan-waktu" else "99999999999")
        try:
            assert pin.verify(village_session, "2468")
        except pin.PinLocked as locked:  # a crafted far future waits no longer than 15 min
            assert locked.seconds <= pin.LONGEST_WAIT.total_seconds()
            assert value.startswith("9999")


def test_a_crafted_pin_hash_with_other_scrypt_parameters_is_refused(
    village_session: Session,
) -> None:
    import time

    from kt_desktop.services import pin
    from kt_desktop.store import settings

    own = pin.hash_pin("2468")
    _scheme, _n, _r, _p, salt, digest = own.split("$")
    db = village_session.db()
    for crafted in (f"scrypt$16384$8$100${salt}${digest}", f"scrypt$1048576$8$1${salt}${digest}",
                    "scrypt$16384$8$1$zz$zz"):
        with db.atomic():
            settings.put(db, pin.PIN_HASH, crafted)
        started = time.monotonic()
        with pytest.raises(pin.ForeignPin) as refused:
            pin.verify(village_session, "2468")
        assert time.monotonic() - started < 1.0
        assert "pin-reset" in refused.value.message and "tidak dibuat" in refused.value.message
