"""Village → receiver round trips: once, twice, out of order, full after incremental, late,
from a restored laptop; each ends with the receiver holding exactly the village's records."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from kt_desktop.bundles import crypto
from kt_desktop.bundles.errors import BundleError
from kt_desktop.services import bundles
from kt_desktop.services.progress import Progress
from kt_desktop.services.session import Session, open_session
from kt_desktop.store import connection, records, sync
from kt_desktop.store.records import create_record_table
from tests.test_bundles_kit import (
    VILLAGE,
    add_activity,
    add_members,
    bag_of,
    edit,
    entries,
    export,
    export_batches,
    import_one,
    import_paths,
    live_rows,
    record_digest,
    remove,
)

PHOTO = bytes(range(256)) * 40  # 10 KB standing in for a JPEG


def test_first_bundle_carries_every_book_and_arrives_whole(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    village, receiver = pair
    add_members(village, 30)
    add_activity(village, photo=PHOTO)
    path = export(village, tmp_path / "usb")

    assert re.fullmatch(r"KT-3604222001-000001-\d{8}\.ktb", path.name)
    assert path.read_bytes()[:4] == crypto.ENCRYPTED_MAGIC  # the receiver's key is installed
    summary = import_one(receiver, path)
    assert summary.status == bundles.IMPORTED, summary.message
    assert (summary.village_code, summary.seq, summary.full) == (VILLAGE, 1, True)
    assert summary.tables["members"].created == 30
    assert summary.total("created") == 30 + 1 + 3 + 1  # + profile, activity+2 children, photo
    assert summary.gaps == [] and summary.conflicts == 0
    assert record_digest(receiver.db()) == record_digest(village.db())
    photo = live_rows(receiver.db(), "attachments")
    assert [row["data"] for row in photo.values()] == [PHOTO]


def test_second_bundle_carries_only_changes_and_tombstones(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    village, receiver = pair
    ids = add_members(village, 10)
    first = export(village, tmp_path / "usb")
    assert import_one(receiver, first).status == bundles.IMPORTED

    edit(village, "members", ids[0], name="Siti Aminah")
    remove(village, "members", ids[1], clear=("name", "nik", "phone", "birth_date"))
    new = add_members(village, 1, start=100)
    assert bundles.send_status(village).pending["Members"] == 3
    second = export(village, tmp_path / "usb")
    assert bundles.send_status(village).pending_total == 0
    assert entries(bag_of(second, receiver))["data/members.jsonl"].count(b"\n") == 3

    summary = import_one(receiver, second)
    assert summary.status == bundles.IMPORTED
    assert summary.tables["members"].as_dict() == {
        "created": 1,
        "updated": 2,
        "unchanged": 0,
        "conflicts": 0,
    }
    rows = live_rows(receiver.db(), "members")
    assert rows[ids[0]]["name"] == "Siti Aminah" and rows[ids[0]]["version"] == 2
    gone = rows[ids[1]]
    assert gone["deleted_at"] and gone["nik"] is None and gone["name"] is None
    assert new[0] in rows
    assert record_digest(receiver.db()) == record_digest(village.db())


def test_importing_the_same_bundles_again_changes_nothing_and_says_so(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    village, receiver = pair
    first, second = export_batches(village, tmp_path / "usb", 5, 2)
    import_paths(receiver, first, second)
    before = sync.canonical_digest(receiver.db())

    again = import_paths(receiver, second, first, tmp_path / "usb")
    assert [s.status for s in again] == [bundles.ALREADY] * 4
    assert all("nothing changed" in s.message or "tidak ada" in s.message for s in again)
    assert sync.canonical_digest(receiver.db()) == before


def test_out_of_order_bundles_report_the_gap_then_fill_it(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    village, receiver = pair
    ids = add_members(village, 4)
    one = export(village, tmp_path / "1")
    edit(village, "members", ids[0], name="Versi dua")
    two = export(village, tmp_path / "2")
    edit(village, "members", ids[0], name="Versi tiga")
    edit(village, "members", ids[1], phone="081299990000")
    three = export(village, tmp_path / "3")

    assert import_one(receiver, one).gaps == []
    late = import_one(receiver, three)
    assert late.status == bundles.IMPORTED and late.gaps == [2]
    assert "2" in late.gap_text() and late.gap_text() in late.message
    assert live_rows(receiver.db(), "members")[ids[0]]["name"] == "Versi tiga"

    filled = import_one(receiver, two)
    assert filled.status == bundles.IMPORTED and filled.gaps == []
    # Bundle 2's version of the member is older than what bundle 3 brought: it stays.
    assert filled.tables["members"].unchanged == 1 and filled.conflicts == 0
    assert live_rows(receiver.db(), "members")[ids[0]]["name"] == "Versi tiga"
    assert record_digest(receiver.db()) == record_digest(village.db())


def test_a_folder_is_imported_in_sequence_order(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    village, receiver = pair
    ids = add_members(village, 3)
    stick = tmp_path / "stick"
    export(village, stick)
    edit(village, "members", ids[0], name="Kedua")
    export(village, stick)
    edit(village, "members", ids[0], name="Ketiga")
    export(village, stick / "nested")
    for number, path in enumerate(sorted(stick.rglob("*.ktb"))):  # names no longer sort
        path.rename(path.with_name(f"{9 - number}-kiriman.ktb"))

    summaries = import_paths(receiver, stick)
    assert [s.seq for s in summaries] == [1, 2, 3]
    assert all(s.gaps == [] for s in summaries)
    assert record_digest(receiver.db()) == record_digest(village.db())


def test_full_bundle_after_incremental_ones_and_the_stale_one(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    village, receiver = pair
    ids = add_members(village, 6)
    one = export(village, tmp_path / "usb")
    edit(village, "members", ids[2], rt="004")
    two = export(village, tmp_path / "usb")
    remove(village, "members", ids[3], clear=("name", "nik"))
    full = export(village, tmp_path / "usb", full=True)

    assert import_one(receiver, one).status == bundles.IMPORTED
    summary = import_one(receiver, full)
    assert summary.full and summary.status == bundles.IMPORTED and summary.gaps == []
    assert summary.tables["members"].as_dict() == {
        "created": 0,
        "updated": 2,
        "unchanged": 4,
        "conflicts": 0,
    }
    stale = import_one(receiver, two)
    assert stale.status == bundles.REFUSED and stale.error_code == "stale"
    assert record_digest(receiver.db()) == record_digest(village.db())


def test_a_bundle_whose_parent_went_missing_still_imports(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    """A child row's parent travels with it, so a lost bundle never blocks the next one."""
    village, receiver = pair
    one = export(village, tmp_path / "usb")
    activity = add_activity(village)
    export(village, tmp_path / "lost")  # bundle 2: the activity; this stick never arrives
    records.insert(
        village.db(),
        "activity_participants",
        {"activity_id": activity, "member_id": None, "attended": 1},
        village_code=village.code,
        actor="Tes",
    )
    three = export(village, tmp_path / "usb")

    import_one(receiver, one)
    summary = import_one(receiver, three)
    assert summary.status == bundles.IMPORTED, summary.message
    assert summary.gaps == [2]
    assert activity in live_rows(receiver.db(), "activities")
    assert len(live_rows(receiver.db(), "activity_participants")) == 1


def _copy(session: Session, target: Path) -> Session:
    with connection.copying_to(session.db(), target):
        session.db().execute("VACUUM INTO ?", [str(target)])
    return open_session(target)


def test_restored_laptop_conflicts_are_kept_and_tombstone_beats_a_stale_edit(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    village, receiver = pair
    ids = add_members(village, 3)
    import_one(receiver, export(village, tmp_path / "usb"))
    restored = _copy(village, tmp_path / "restored.sqlite")  # the backup put on a new laptop
    try:
        remove(restored, "members", ids[1], clear=("name", "nik"))  # first, so it is older
        edit(village, "members", ids[0], name="Andi (laptop lama)")
        edit(village, "members", ids[1], name="Edit yang kalah")
        edit(restored, "members", ids[0], name="Budi (laptop baru)")  # latest updated_at
        import_one(receiver, export(village, tmp_path / "usb"))

        refused = import_one(receiver, export(restored, tmp_path / "restored"))
        assert refused.error_code == "same_seq_other_content"
        assert "full" in refused.message or "lengkap" in refused.message
        summary = import_one(receiver, export(restored, tmp_path / "restored", full=True))
    finally:
        restored.close()

    assert summary.status == bundles.IMPORTED and summary.conflicts == 2
    rows = live_rows(receiver.db(), "members")
    assert rows[ids[0]]["name"] == "Budi (laptop baru)"  # same version: the later edit wins
    assert rows[ids[1]]["deleted_at"] and rows[ids[1]]["name"] is None  # tombstone wins
    conflicts = {c.record_id: c for c in bundles.conflicts(receiver)}
    assert conflicts[ids[0]].lost["name"] == "Andi (laptop lama)"
    assert conflicts[ids[0]].reason == "newer_time"
    assert conflicts[ids[1]].lost["name"] == "Edit yang kalah"
    assert conflicts[ids[1]].reason == "tombstone"
    assert conflicts[ids[1]].bundle_seq == 3
    assert bundles.acknowledge_conflict(receiver, conflicts[ids[0]].id)
    assert len(bundles.conflicts(receiver)) == 1


def test_dry_run_shows_the_real_summary_and_changes_nothing(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    village, receiver = pair
    one, two = export_batches(village, tmp_path / "usb", 8, 2)
    before = sync.canonical_digest(receiver.db())

    dry = bundles.import_files(receiver, [one, two], dry_run=True, trust_new=True)
    assert sync.canonical_digest(receiver.db()) == before
    assert [s.status for s in dry.bundles] == [bundles.DRY_RUN] * 2
    real = bundles.import_files(receiver, [one, two], trust_new=True)
    assert [s.as_dict()["tables"] for s in dry.bundles] == [
        s.as_dict()["tables"] for s in real.bundles
    ]


def test_cancel_keeps_the_whole_bundles_and_rolls_back_the_current_one(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    village, receiver = pair
    one, two = export_batches(village, tmp_path / "usb", 3, 3)

    def moved(done: int, total: int, text: str) -> None:
        if done == 1 and text.endswith("Anggota"):  # inside bundle 2, members not written yet
            progress.cancel()

    progress = Progress(moved)
    report = bundles.import_files(receiver, [one, two], trust_new=True, progress=progress)
    assert report.cancelled and [s.seq for s in report.bundles] == [1]
    assert len(live_rows(receiver.db(), "members")) == 3
    assert [s.status for s in import_paths(receiver, one, two)] == [
        bundles.ALREADY,
        bundles.IMPORTED,
    ]


def test_bundles_inside_eml_files_are_imported(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    village, receiver = pair
    add_members(village, 2)
    result = bundles.export_for_email(village)
    assert result.eml_path is not None and result.eml_path.exists()
    mail_folder = tmp_path / "unduhan"
    mail_folder.mkdir()
    (mail_folder / "kiriman desa.eml").write_bytes(result.eml_path.read_bytes())

    (summary,) = import_paths(receiver, mail_folder)
    assert summary.status == bundles.IMPORTED
    assert summary.source == f"kiriman desa.eml › {result.path.name}"
    assert record_digest(receiver.db()) == record_digest(village.db())


def test_clear_bundle_without_receiver_key_warns_and_still_verifies(
    village_file: Path, receiver_file: Path, tmp_path: Path
) -> None:
    village = open_session(village_file)
    receiver = open_session(receiver_file)
    try:
        warning = bundles.clear_bundle_warning(village)
        assert warning and "NIK" in warning
        add_members(village, 2)
        result = bundles.export(village, dest_dir=tmp_path)
        assert not result.encrypted and result.warning == warning
        assert result.path.read_bytes()[:4] == crypto.CLEAR_MAGIC
        assert import_one(receiver, result.path).status == bundles.IMPORTED
    finally:
        village.close()
        receiver.close()


def test_every_record_table_travels_or_is_excluded_on_purpose(village_session: Session) -> None:
    db = village_session.db()
    listed = {table.name for table in sync.SYNC_TABLES}
    unlisted = set(sync.record_tables(db)) - listed - sync.LOCAL_ONLY_TABLES
    assert not unlisted, f"add these to store/sync.py SYNC_TABLES: {sorted(unlisted)}"
    for table in sync.present_tables(db):
        blobs = {c.name for c in sync.table_columns(db, table.name) if c.kind == "BLOB"}
        assert blobs <= set(table.blob_columns), (table.name, blobs)


def test_a_new_record_table_travels_once_it_is_registered(
    pair: tuple[Session, Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    village, receiver = pair
    monkeypatch.setattr(
        sync, "SYNC_TABLES", [*sync.SYNC_TABLES, sync.SyncTable("letters", blob_columns=("scan",))]
    )
    for session in (village, receiver):
        with session.db().atomic():
            create_record_table(
                session.db(),
                "letters",
                {"number": str, "pages": int, "scan": bytes},
                not_null={"number"},
            )
    scan = os.urandom(3000)
    with village.db().atomic():
        records.insert(
            village.db(),
            "letters",
            {"number": "001/KT/XI/2026", "pages": 2, "scan": scan},
            village_code=village.code,
            actor="Tes",
        )
    summary = import_one(receiver, export(village, tmp_path / "usb"))
    assert summary.tables["letters"].created == 1
    (row,) = live_rows(receiver.db(), "letters").values()
    assert (row["number"], row["pages"], row["scan"]) == ("001/KT/XI/2026", 2, scan)


def test_importing_into_a_village_file_is_refused(village_session: Session, tmp_path: Path) -> None:
    with pytest.raises(BundleError) as info:
        bundles.import_files(village_session, [tmp_path])
    assert info.value.code == "not_receiver"
