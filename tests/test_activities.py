"""The Buku Kegiatan below the GUI: rules, totals, saving and loading, tombstones, the list."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3

import pytest

from kt_desktop.domain import activities as rules
from kt_desktop.domain import ppks
from kt_desktop.domain.activities import Activity, Fund, Participant, Photo
from kt_desktop.domain.errors import NotFoundError, ValidationError
from kt_desktop.services import activities as service
from kt_desktop.services import demo_members
from kt_desktop.services.activities import ActivityFilter
from kt_desktop.services.session import Session
from kt_desktop.store import activities as store
from kt_desktop.store import audit

TODAY = dt.date(2026, 11, 28)


def _activity(**changes: object) -> Activity:
    values: dict[str, object] = {
        "title": "Posyandu dan PMT balita RW 03",
        "kind": "Pemberian makanan bergizi / PMT balita",
        "status": rules.TERLAKSANA,
        "start": dt.date(2026, 11, 14),
        "place": "Posyandu Melati RW 03",
        "section": "Seksi Pelayanan Sosial",
        "partner": "Puskesmas Baros",
        "description": "Penimbangan dan PMT.",
    }
    values.update(changes)
    return Activity(**values)  # type: ignore[arg-type]


def _photo(sha: str = "a" * 64) -> Photo:
    return Photo(sha256=sha, mime="image/jpeg", width=4, height=3, thumbnail=b"thumb",
                 data=b"scaled-jpeg", caption="Penimbangan balita")


@pytest.fixture
def members(village_session: Session) -> list[str]:
    demo_members.fill(village_session, random.Random(3), TODAY, members=12)
    return store.member_ids(village_session.db())


def _live(session: Session, table: str, activity_id: str) -> int:
    column = "owner_id" if table == "attachments" else "activity_id"
    return int(session.db().execute(
        f"SELECT count(*) FROM {table} WHERE {column} = ? AND deleted_at IS NULL", [activity_id]
    ).fetchone()[0])


# -- rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"kind": ""}, "kind"),
        ({"status": "selesai"}, "status"),
        ({"start": None}, "start"),
        ({"end": dt.date(2026, 11, 13)}, "end"),
        ({"start": dt.date(2026, 12, 5)}, "status"),  # carried out, but in the future
        ({"end": dt.date(2026, 11, 30)}, "status"),  # carried out, but not ended yet
        ({"volunteers": -1}, "volunteers"),
        ({"funds": [Fund(source=rules.SWADAYA, amount=-5000)]}, "funds"),
        ({"funds": [Fund(source="arisan", amount=5000)]}, "funds"),
        ({"beneficiaries": {(24, "L", "dewasa"): -1}}, "beneficiaries"),
        ({"beneficiaries": {(28, "L", "dewasa"): 1}}, "beneficiaries"),
        ({"beneficiaries": {(24, "X", "dewasa"): 1}}, "beneficiaries"),
        ({"participants": [Participant("m1", name="Asep"), Participant("m1", name="Asep")]},
         "participants"),
        ({"photos": [_photo(), _photo()]}, "photos"),
    ],
)
def test_validation_names_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _activity(**changes).validate(TODAY)
    assert caught.value.field == field
    assert caught.value.message  # Indonesian, shown beside the field


def test_a_plan_may_be_in_the_future_and_a_valid_activity_passes() -> None:
    _activity(status=rules.RENCANA, start=dt.date(2027, 1, 10)).validate(TODAY)
    _activity(start=TODAY).validate(TODAY)  # carried out today
    _activity(funds=[Fund(rules.DANA_DESA, 0)], volunteers=0).validate(TODAY)


def test_validation_message_is_indonesian() -> None:
    with pytest.raises(ValidationError, match="Judul kegiatan wajib diisi"):
        _activity(title="").validate(TODAY)


def test_ppks_list_is_the_permensos_list_plus_umum() -> None:
    assert len(ppks.CATEGORIES) == 27
    assert [c.code for c in ppks.CATEGORIES] == list(range(1, 28))
    assert ppks.category(24).name == "Fakir miskin"
    assert ppks.category(15).name.startswith("Bekas warga binaan lembaga pemasyarakatan")
    assert ppks.category(ppks.UMUM).name == "Umum / lainnya"
    assert ppks.category_label(26) == "26. Komunitas adat terpencil"
    assert [ppks.band_of_age(age) for age in (0, 4, 5, 17, 18, 59, 60, 95)] == [
        "balita", "balita", "anak", "anak", "dewasa", "dewasa", "lansia", "lansia"]
    assert ppks.band_label("lansia") == "Lansia 60+"


def test_beneficiary_totals() -> None:
    counts = {
        (24, "L", "dewasa"): 3, (24, "P", "dewasa"): 4, (24, "P", "lansia"): 2,
        (27, "L", "balita"): 10, (27, "P", "balita"): 12,
    }
    assert rules.grand_total(counts) == 31
    assert rules.by_category(counts) == {24: 9, 27: 22}
    assert rules.by_sex(counts) == {"L": 13, "P": 18}
    assert rules.by_band(counts) == {"balita": 22, "anak": 0, "dewasa": 7, "lansia": 2}
    assert rules.by_sex_band(counts)[("P", "balita")] == 12
    assert rules.category_total(counts, 24) == 9
    assert rules.categories_in_use({**counts, (1, "L", "balita"): 0}) == [24, 27]
    both = rules.merge_counts([counts, {(24, "L", "dewasa"): 1}])
    assert both[(24, "L", "dewasa")] == 4 and rules.grand_total(both) == 32


# -- saving and loading ---------------------------------------------------------------------


def test_round_trip_with_all_children(village_session: Session, members: list[str]) -> None:
    activity = _activity(
        end=dt.date(2026, 11, 15),
        campaign="Bulan Bhakti Karang Taruna 2026",
        participants=[Participant(members[0]), Participant(members[1], attended=False)],
        volunteers=4,
        beneficiaries={(27, "L", "balita"): 14, (27, "P", "balita"): 16, (23, "P", "dewasa"): 5},
        funds=[Fund(rules.DANA_DESA, 1_250_000), Fund(rules.SWADAYA, 150_000, "iuran pemuda")],
        photos=[_photo()],
    )
    activity_id = service.save(village_session, activity, today=TODAY)
    loaded = service.get(village_session, activity_id)
    assert (loaded.title, loaded.kind, loaded.status) == (
        activity.title, activity.kind, rules.TERLAKSANA)
    assert (loaded.start, loaded.end) == (dt.date(2026, 11, 14), dt.date(2026, 11, 15))
    assert loaded.campaign == "Bulan Bhakti Karang Taruna 2026"
    assert loaded.volunteers == 4
    assert {(p.member_id, p.attended) for p in loaded.participants} == {
        (members[0], True), (members[1], False)}
    assert all(p.name for p in loaded.participants)  # names come from the register
    assert loaded.beneficiaries == activity.beneficiaries
    assert loaded.beneficiaries_total() == 35
    assert sorted((f.source, f.amount, f.note) for f in loaded.funds) == [
        (rules.DANA_DESA, 1_250_000, ""), (rules.SWADAYA, 150_000, "iuran pemuda")]
    assert loaded.funds_total() == 1_400_000
    assert [p.caption for p in loaded.photos] == ["Penimbangan balita"]
    assert loaded.photos[0].data is None  # thumbnails only; the image on request
    assert service.photo_data(village_session, loaded.photos[0].id or "") == b"scaled-jpeg"
    # every row carries the identity columns and the file's village code
    db = village_session.db()
    for table in ("activities", "activity_participants", "activity_beneficiaries",
                  "activity_funds", "attachments"):
        codes = {row[0] for row in db.execute(f"SELECT village_code FROM {table}").fetchall()}
        assert codes == {village_session.code}


def test_one_day_activity_has_no_end(village_session: Session) -> None:
    activity_id = service.save(
        village_session, _activity(end=dt.date(2026, 11, 14)), today=TODAY)
    assert service.get(village_session, activity_id).end is None


def test_refused_save_leaves_the_file_unchanged(village_session: Session) -> None:
    db = village_session.db()
    before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with pytest.raises(ValidationError):
        service.save(village_session, _activity(participants=[Participant("no-such-member")]),
                     today=TODAY)
    assert db.execute("SELECT count(*) FROM activities").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


def test_a_refused_save_can_be_tried_again(village_session: Session, members: list[str]) -> None:
    activity = _activity(participants=[Participant("gone-member", name="Asep")],
                         funds=[Fund(rules.SWADAYA, 50_000)], photos=[_photo()])
    with pytest.raises(ValidationError, match="Asep"):
        service.save(village_session, activity, today=TODAY)
    assert activity.id is None and activity.photos[0].id is None  # untouched by the attempt
    activity.participants = [Participant(members[0])]
    activity_id = service.save(village_session, activity, today=TODAY)
    loaded = service.get(village_session, activity_id)
    assert len(loaded.photos) == 1 and len(loaded.funds) == 1


def test_edit_updates_only_what_changed(village_session: Session, members: list[str]) -> None:
    activity = _activity(
        participants=[Participant(members[0]), Participant(members[1])],
        beneficiaries={(24, "L", "dewasa"): 3, (24, "P", "dewasa"): 4},
        funds=[Fund(rules.DANA_DESA, 500_000), Fund(rules.DONATUR, 200_000)],
        photos=[_photo("a" * 64), _photo("b" * 64)],
    )
    activity_id = service.save(village_session, activity, today=TODAY)
    db = village_session.db()
    versions_before = dict(db.execute(
        "SELECT id, version FROM activity_beneficiaries WHERE activity_id = ?", [activity_id]
    ).fetchall())

    edited = service.get(village_session, activity_id)
    edited.beneficiaries[(24, "L", "dewasa")] = 5  # changed
    del edited.beneficiaries[(24, "P", "dewasa")]  # dropped
    edited.beneficiaries[(8, "P", "lansia")] = 2  # new
    edited.participants = [p for p in edited.participants if p.member_id == members[0]]
    edited.participants[0].attended = False
    edited.participants.append(Participant(members[2]))
    edited.funds = [f for f in edited.funds if f.source == rules.DANA_DESA]
    edited.funds[0].amount = 750_000
    edited.photos = edited.photos[:1]
    edited.photos[0].caption = "Balita ditimbang"
    service.save(village_session, edited, today=TODAY)

    again = service.get(village_session, activity_id)
    assert again.beneficiaries == {(24, "L", "dewasa"): 5, (8, "P", "lansia"): 2}
    assert {(p.member_id, p.attended) for p in again.participants} == {
        (members[0], False), (members[2], True)}
    assert [(f.source, f.amount) for f in again.funds] == [(rules.DANA_DESA, 750_000)]
    assert [p.caption for p in again.photos] == ["Balita ditimbang"]
    # the activity row itself was not rewritten: nothing of it changed
    assert db.execute("SELECT version FROM activities WHERE id = ?",
                      [activity_id]).fetchone()[0] == 1
    rows = dict(db.execute(
        "SELECT id, version FROM activity_beneficiaries WHERE activity_id = ?", [activity_id]
    ).fetchall())
    changed = [rid for rid, version in versions_before.items() if rows[rid] == 2]
    assert len(changed) == 2  # the updated cell and the dropped one (its tombstone)
    assert _live(village_session, "activity_beneficiaries", activity_id) == 2
    tombstoned = db.execute(
        "SELECT member_id FROM activity_participants WHERE activity_id = ? "
        "AND deleted_at IS NOT NULL", [activity_id]).fetchall()
    assert tombstoned == [(None,)]  # the link to the person is cleared


def test_remove_tombstones_activity_and_children(
    village_session: Session, members: list[str]
) -> None:
    activity_id = service.save(village_session, _activity(
        participants=[Participant(members[0])],
        beneficiaries={(21, "L", "anak"): 3},
        funds=[Fund(rules.PEMDA, 2_000_000, "BPBD")],
        photos=[_photo()],
    ), today=TODAY)
    db = village_session.db()
    seq_before = db.execute("SELECT value FROM counters WHERE name='change_seq'").fetchone()[0]
    service.remove(village_session, activity_id)

    row = db.execute("SELECT deleted_at, description, version, change_seq FROM activities "
                     "WHERE id = ?", [activity_id]).fetchone()
    assert row[0] is not None and row[1] is None and row[2] == 2 and row[3] > seq_before
    for table in ("activity_participants", "activity_beneficiaries", "activity_funds",
                  "attachments"):
        assert _live(village_session, table, activity_id) == 0
        column = "owner_id" if table == "attachments" else "activity_id"
        assert db.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?",
                          [activity_id]).fetchone()[0] == 1  # the tombstone stays
    photo = db.execute("SELECT data, thumbnail, caption FROM attachments "
                       "WHERE owner_id = ?", [activity_id]).fetchone()
    assert photo == (None, None, None)  # a photo of people is personal data
    member_link = db.execute("SELECT member_id FROM activity_participants "
                             "WHERE activity_id = ?", [activity_id]).fetchone()
    assert member_link == (None,)
    with pytest.raises(NotFoundError):
        service.get(village_session, activity_id)
    with pytest.raises(NotFoundError):
        service.remove(village_session, activity_id)
    assert service.count(village_session, ActivityFilter()) == 0


def test_every_change_is_in_the_audit_log(village_session: Session, members: list[str]) -> None:
    activity_id = service.save(village_session, _activity(
        participants=[Participant(members[0])], beneficiaries={(27, "L", "dewasa"): 9},
        funds=[Fund(rules.SWADAYA, 100_000)], photos=[_photo()],
    ), today=TODAY)
    db = village_session.db()
    created = {e.table_name for e in audit.entries(db, action="create")}
    assert {"activities", "activity_participants", "activity_beneficiaries", "activity_funds",
            "attachments"} <= created
    edited = service.get(village_session, activity_id)
    edited.title = "Posyandu RW 03 (diubah)"
    service.save(village_session, edited, today=TODAY)
    updates = audit.entries(db, action="update", table="activities")
    assert [e.record_id for e in updates] == [activity_id]
    assert updates[0].actor == "Siti Nurhaliza"  # the secretary in the profile
    service.remove(village_session, activity_id)
    removed = {e.table_name for e in audit.entries(db, action="remove")}
    assert {"activities", "activity_participants", "activity_beneficiaries", "activity_funds",
            "attachments"} <= removed


def test_a_receiver_file_refuses_activities(receiver_file: object) -> None:
    from kt_desktop.domain.errors import KtError
    from kt_desktop.services.session import open_session

    session = open_session(receiver_file)  # type: ignore[arg-type]
    try:
        with pytest.raises(KtError, match="berkas desa"):
            service.save(session, _activity(), today=TODAY)
    finally:
        session.close()


# -- listing --------------------------------------------------------------------------------


@pytest.fixture
def book(village_session: Session) -> Session:
    """Six activities over three months."""
    entries = [
        _activity(title="Kerja bakti bersih kali", kind="Kerja bakti / lingkungan hidup",
                  start=dt.date(2026, 10, 31), place="Kali Cibanten", partner="",
                  section="Seksi Lingkungan Hidup"),
        _activity(title="Posyandu RW 01", start=dt.date(2026, 11, 1),
                  beneficiaries={(27, "L", "balita"): 5}),
        _activity(title="Santunan anak yatim", kind="Santunan", start=dt.date(2026, 11, 20),
                  partner="Dinas Sosial Kabupaten Serang", place="Masjid Al-Ikhlas",
                  funds=[Fund(rules.DONATUR, 3_000_000)]),
        _activity(title="Pemeriksaan kehamilan gratis", kind="Pemeriksaan kesehatan",
                  start=dt.date(2026, 11, 25), campaign="Bulan Bhakti Karang Taruna 2026",
                  partner="Puskesmas Baros", place="Pustu Baros"),
        _activity(title="Turnamen voli 50% hadiah", kind="Olahraga", status=rules.BATAL,
                  start=dt.date(2026, 11, 26), partner="", place="Lapangan desa"),
        _activity(title="Rapat pengurus", kind="Rapat", status=rules.RENCANA,
                  start=dt.date(2026, 12, 3), partner="", place="Sekretariat"),
    ]
    for activity in entries:
        service.save(village_session, activity, today=TODAY)
    return village_session


def _titles(session: Session, **filters: object) -> list[str]:
    flt = ActivityFilter(**filters)  # type: ignore[arg-type]
    rows = service.page(session, flt)
    assert service.count(session, flt) == len(rows)
    first = service.list_page(session, flt)
    assert (first.total, first.rows) == (len(rows), rows)
    return [row.title for row in rows]


def test_month_listing_by_start_date(book: Session) -> None:
    assert _titles(book, month=dt.date(2026, 11, 15)) == [
        "Posyandu RW 01", "Santunan anak yatim", "Pemeriksaan kehamilan gratis",
        "Turnamen voli 50% hadiah"]
    assert _titles(book, month=dt.date(2026, 10, 1)) == ["Kerja bakti bersih kali"]
    assert _titles(book, month=dt.date(2026, 12, 1)) == ["Rapat pengurus"]
    assert _titles(book, month=dt.date(2027, 1, 1)) == []
    assert len(_titles(book)) == 6  # all months
    # Beranda's card counts this month's activities that were not cancelled
    from kt_desktop.services import dashboard

    assert service.dashboard_counts(book, TODAY) == {dashboard.ACTIVITIES_THIS_MONTH: 3}
    card = next(c for c in dashboard.summary(book, TODAY).cards
                if c.key == dashboard.ACTIVITIES_THIS_MONTH)
    assert card.value == 3


def test_filters_and_search(book: Session) -> None:
    november = dt.date(2026, 11, 1)
    assert _titles(book, month=november, status=rules.BATAL) == ["Turnamen voli 50% hadiah"]
    assert _titles(book, month=november, kind="Santunan") == ["Santunan anak yatim"]
    assert _titles(book, campaign="Bulan Bhakti Karang Taruna 2026") == [
        "Pemeriksaan kehamilan gratis"]
    assert _titles(book, section="Seksi Lingkungan Hidup") == ["Kerja bakti bersih kali"]
    assert _titles(book, search="puskesmas") == [  # partner
        "Posyandu RW 01", "Pemeriksaan kehamilan gratis"]
    assert _titles(book, search="pustu") == ["Pemeriksaan kehamilan gratis"]  # place
    assert _titles(book, search="masjid") == ["Santunan anak yatim"]
    assert _titles(book, search="YATIM santunan") == ["Santunan anak yatim"]  # every word
    assert _titles(book, search="50%") == ["Turnamen voli 50% hadiah"]  # % is literal
    assert _titles(book, search="_") == []
    assert _titles(book, month=november, search="kali") == []  # October's


def test_list_rows_carry_their_totals_and_sort(book: Session) -> None:
    rows = service.page(book, ActivityFilter(month=dt.date(2026, 11, 1)), order="title")
    assert [r.title for r in rows][0] == "Pemeriksaan kehamilan gratis"
    santunan = next(r for r in rows if r.title.startswith("Santunan"))
    assert santunan.funds == 3_000_000
    posyandu = next(r for r in rows if r.title.startswith("Posyandu"))
    assert posyandu.beneficiaries == 5
    newest_first = service.page(book, ActivityFilter(), order="date", descending=True)
    assert newest_first[0].title == "Rapat pengurus"
    paged = service.page(book, ActivityFilter(), limit=4, offset=4)
    assert [r.title for r in paged] == ["Turnamen voli 50% hadiah", "Rapat pengurus"]


def test_suggestions_seed_and_grow(book: Session) -> None:
    found = service.suggestions(book)
    assert found.kinds[: len(rules.DEFAULT_KINDS)] == list(rules.DEFAULT_KINDS)
    assert "Puskesmas Baros" in found.partners
    assert found.campaigns == ["Bulan Bhakti Karang Taruna 2026"]
    assert "Seksi Lingkungan Hidup" in found.sections


def test_member_picker_and_history(village_session: Session, members: list[str]) -> None:
    db = village_session.db()
    name = db.execute("SELECT name FROM members WHERE id = ?", [members[0]]).fetchone()[0]
    choices = service.search_members(village_session, name.split()[0], today=TODAY)
    assert members[0] in [choice.id for choice in choices]
    service.save(village_session, _activity(participants=[Participant(members[0])]), today=TODAY)
    service.save(village_session, _activity(title="Rapat", kind="Rapat", status=rules.RENCANA,
                                            start=dt.date(2026, 12, 2),
                                            participants=[Participant(members[0], False)]),
                 today=TODAY)
    history = service.history_entries(village_session, members[0])
    assert [entry.title for entry in history] == ["Rapat", "Posyandu dan PMT balita RW 03"]
    assert history[0].kind == "Kegiatan" and "Rencana" in history[0].detail
    from kt_desktop.services import members as member_service

    assert "kt_desktop.services.activities:history_entries" in member_service.HISTORY_PROVIDERS


def test_demo_fills_a_year(village_session: Session) -> None:
    from kt_desktop.services import demo_activities

    demo_members.fill(village_session, random.Random(5), TODAY, members=40)
    added = demo_activities.fill(village_session, random.Random(5), TODAY, months=12)
    assert added["activities"] >= 12 * 3
    assert added["attachments"] >= 1
    this_month = service.count(village_session, ActivityFilter(month=TODAY))
    assert 3 <= this_month <= 8
    campaign = service.count(village_session, ActivityFilter(
        campaign="Bulan Bhakti Karang Taruna 2026"))
    assert campaign == 3
    flt = ActivityFilter(month=dt.date(2026, 9, 1))
    rows = service.page(village_session, flt)
    assert any(row.beneficiaries for row in rows) and any(row.attended for row in rows)


def test_schema_has_the_indexes_the_page_uses(village_session: Session) -> None:
    db = village_session.db()
    plan = " ".join(str(row) for row in db.execute(
        "EXPLAIN QUERY PLAN SELECT count(*) FROM activities a WHERE a.deleted_at IS NULL "
        "AND a.start_date >= '2026-11-01' AND a.start_date < '2026-12-01'").fetchall())
    assert "idx_activities_start" in plan
    with pytest.raises(sqlite3.IntegrityError):  # a child needs its activity
        db.execute("INSERT INTO activity_funds(id, village_code, version, updated_at, "
                   "change_seq, activity_id, source, amount) "
                   "VALUES ('x', '36.04.22.2001', 1, 'now', 1, 'missing', 'swadaya', 1)")
