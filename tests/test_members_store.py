"""The members table: tombstones that really forget, change tracking, and SQL paging."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from kt_desktop.domain.errors import ValidationError
from kt_desktop.domain.members import SORT_KEYS, Member, MemberQuery
from kt_desktop.services import demo_members
from kt_desktop.services import members as service
from kt_desktop.services.session import Session
from kt_desktop.store import members as store
from kt_desktop.store import records

TODAY = dt.date(2026, 11, 28)
NIK = "3604225708010004"
RARE_NAME = "Zulaikha Qurrotaayun"


def _euis(**changes: object) -> Member:
    values: dict[str, object] = {
        "name": RARE_NAME, "nik": NIK, "sex": "P", "birth_date": dt.date(2001, 8, 17),
        "birth_place": "Pandeglang", "dusun": "Kampung Cilaku", "rt": "2", "rw": "3",
        "address": "Jl. Masjid Al-Ikhlas", "phone": "0878-1122-3344", "skills": ["Menjahit"],
        "guardian_name": "", "notes": "Pandai menjahit kebaya",
    }
    values.update(changes)
    return Member(**values)  # type: ignore[arg-type]


def _checkpoint(session: Session) -> bytes:
    db = session.db()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    wal = Path(str(session.path) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    return session.path.read_bytes()


def test_removal_leaves_a_tombstone_with_personal_columns_cleared(village_session: Session) -> None:
    saved = service.save(village_session, _euis(), today=TODAY)
    db = village_session.db()
    before = db.execute("SELECT version, change_seq FROM members WHERE id = ?", [saved.id]).fetchone()
    removed = service.remove(village_session, saved.id)
    assert removed.name == RARE_NAME and removed.nik == NIK  # kept in memory for the undo
    row = dict(zip(
        [d[0] for d in db.execute("SELECT * FROM members LIMIT 0").description],
        db.execute("SELECT * FROM members WHERE id = ?", [saved.id]).fetchone(),
        strict=True,
    ))
    assert row["deleted_at"] is not None
    assert row["version"] == before[0] + 1
    assert row["change_seq"] > before[1]
    assert row["village_code"] == village_session.code
    assert all(row[column] is None for column in store.PERSONAL_COLUMNS)
    assert service.count(village_session, MemberQuery(), today=TODAY) == 0
    with pytest.raises(Exception) as caught:
        service.get(village_session, saved.id)
    assert "removed" in str(caught.value) or "dihapus" in str(caught.value)


def test_removed_nik_and_name_are_gone_from_the_file_bytes(village_session: Session) -> None:
    saved = service.save(village_session, _euis(), today=TODAY)
    raw = _checkpoint(village_session)
    assert NIK.encode() in raw and RARE_NAME.encode() in raw  # the check below can fail
    service.remove(village_session, saved.id)
    raw = _checkpoint(village_session)
    assert NIK.encode() not in raw
    assert RARE_NAME.encode() not in raw
    assert b"Zulaikha" not in raw.lower() and b"zulaikha" not in raw
    assert b"qurrotaayun" not in raw and b"0878" + b"11223344" not in raw


def test_the_audit_log_records_each_change_and_never_the_nik(village_session: Session) -> None:
    saved = service.save(village_session, _euis(), today=TODAY)
    edited = service.get(village_session, saved.id)
    edited.occupation = "Penjahit"
    service.save(village_session, edited, today=TODAY)
    assert service.reveal_nik(village_session, saved.id) == NIK
    removed = service.remove(village_session, saved.id)
    service.undo_remove(village_session, removed)
    rows = village_session.db().execute(
        "SELECT action, detail FROM audit_log WHERE record_id = ? ORDER BY id", [saved.id]
    ).fetchall()
    assert [r[0] for r in rows] == ["create", "update", "reveal", "remove", "restore"]
    every_line = village_session.db().execute("SELECT * FROM audit_log").fetchall()
    assert NIK not in repr(every_line)


def test_undo_brings_the_same_member_back_and_searchable(village_session: Session) -> None:
    saved = service.save(village_session, _euis(), today=TODAY)
    removed = service.remove(village_session, saved.id)
    seq_removed = records.current_change_seq(village_session.db())
    assert service.undo_remove(village_session, removed) == saved.id
    back = service.get(village_session, saved.id)
    assert (back.name, back.nik, back.phone, back.skills) == (RARE_NAME, NIK, "087811223344", ["Menjahit"])
    assert back.version == 3  # create, remove, restore
    assert records.current_change_seq(village_session.db()) > seq_removed
    assert service.count(village_session, MemberQuery(search="zulai"), today=TODAY) == 1


def test_undo_is_refused_when_the_nik_was_given_to_someone_else(village_session: Session) -> None:
    saved = service.save(village_session, _euis(), today=TODAY)
    removed = service.remove(village_session, saved.id)
    service.save(village_session, _euis(name="Euis Baru"), today=TODAY)
    with pytest.raises(ValidationError) as caught:
        service.undo_remove(village_session, removed)
    assert "Euis Baru" in caught.value.message


def test_search_follows_edits_of_name_and_dusun(village_session: Session) -> None:
    saved = service.save(village_session, _euis(), today=TODAY)
    member = service.get(village_session, saved.id)
    member.phone = "0813 0000 1111"  # an edit that leaves the name alone keeps it findable
    service.save(village_session, member, today=TODAY)
    assert service.count(village_session, MemberQuery(search="zulaikha"), today=TODAY) == 1
    member = service.get(village_session, saved.id)
    member.name, member.dusun = "Siti Aminah", "Kampung Babakan"
    service.save(village_session, member, today=TODAY)
    found = {text: service.count(village_session, MemberQuery(search=text), today=TODAY)
             for text in ("zulaikha", "cilaku", "aminah", "babakan")}
    assert found == {"zulaikha": 0, "cilaku": 0, "aminah": 1, "babakan": 1}


def test_an_edit_bumps_version_and_change_seq(village_session: Session) -> None:
    saved = service.save(village_session, _euis(), today=TODAY)
    seq = records.current_change_seq(village_session.db())
    member = service.get(village_session, saved.id)
    member.dusun = "Kampung Babakan"
    service.save(village_session, member, today=TODAY)
    again = service.get(village_session, saved.id)
    assert again.version == 2
    assert records.current_change_seq(village_session.db()) == seq + 1
    stale = member  # still version 1
    with pytest.raises(Exception) as caught:
        service.save(village_session, stale, today=TODAY)
    assert getattr(caught.value, "code", "") == "stale"


def test_bulk_insert_writes_identity_columns_and_consecutive_change_seq(village_session: Session) -> None:
    db = village_session.db()
    people = demo_members.make_members(random.Random(3), TODAY, 40, village_code=village_session.code)
    start = records.current_change_seq(db)
    with db.atomic():
        ids = store.bulk_insert(db, people, village_code=village_session.code, actor="t")
    rows = db.execute(
        "SELECT id, village_code, version, change_seq, deleted_at, updated_at FROM members ORDER BY change_seq"
    ).fetchall()
    assert [r[0] for r in rows] == ids
    assert [r[3] for r in rows] == list(range(start + 1, start + 41))
    assert {(r[1], r[2], r[4]) for r in rows} == {(village_session.code, 1, None)}
    assert all(r[5].endswith("Z") for r in rows)
    assert records.current_change_seq(db) == start + 40
    assert len({len(i) for i in ids}) == 1 and all(i[14] == "4" for i in ids)  # UUID v4 text
    creates = db.execute("SELECT count(*) FROM audit_log WHERE action = 'create' AND table_name = 'members'")
    assert creates.fetchone()[0] == 40


def test_fast_row_values_agree_with_to_values() -> None:
    people = demo_members.make_members(random.Random(5), TODAY, 60, village_code="36.04.22.2001")
    for person in people:
        values = store.to_values(person)
        assert store._row_values(person) == tuple(values[c] for c in store.MEMBER_COLUMNS)


def test_demo_members_pass_every_rule(village_session: Session) -> None:
    people = demo_members.make_members(random.Random(9), TODAY, 400, village_code=village_session.code)
    codes: set[str] = set()
    for person in people:
        checked = service.check_member(village_session, person, TODAY)
        assert checked.ok, (person, checked.errors)
        codes |= {w.code for w in checked.warnings}
    # Mostly in range, a few other regions and ages: the warnings a real register shows.
    assert {"other_region", "age_outside_rule"} <= codes
    assert not codes & {"nik_birth_mismatch", "nik_sex_mismatch"}
    assert sum(1 for p in people if p.position) >= 10
    assert any(p.status == "keluar" for p in people)


# -- paging, sorting, searching, filtering in SQL ------------------------------------------
NAMES = [
    ("Siti Nur\u2019aini", "P", 20, "Kampung Cilaku", "aktif", "", "081100000001", "3604226001060001"),
    ("Nuraini Hasanah", "P", 31, "Kampung Babakan", "pasif", "", "081100000002", "3604226101950001"),
    ("Ahmad Fauzi", "L", 35, "Kampung Cilaku", "aktif", "ketua", "", "3604221001910001"),
    ("ahmad sobari", "L", 16, "Kampung Sukamaju", "aktif", "", "085700000003", "3604221001100001"),
    ("D\u00e9sy Ratnasari", "P", 44, "Kampung Babakan", "keluar", "", "", "3201015001820001"),
    ("Budi Santoso", "L", 50, "Kampung Sukamaju", "aktif", "", "081100000004", "3604221101760002"),
    ("Cecep Supriatna", "L", 13, "Kampung Cilaku", "aktif", "", "", ""),
]


@pytest.fixture
def register(village_session: Session) -> Session:
    db = village_session.db()
    people = []
    for name, sex, age, dusun, status, position, phone, nik in NAMES:
        born = dt.date(TODAY.year - age, 1, 10)
        people.append(Member(
            name=name, sex=sex, birth_date=born, dusun=dusun, status=status, position=position,
            phone=phone, nik=nik, nik_missing_reason="" if nik else "Belum punya KTP",
            left_on=TODAY if status == "keluar" else None,
            left_reason="pindah" if status == "keluar" else "",
            guardian_name="Ibu Ani" if age < 18 else "", consent_on=TODAY if age < 18 else None,
        ))
    with db.atomic():
        store.bulk_insert(db, people, village_code=village_session.code, actor="t")
    return village_session


def names(session: Session, **query: object) -> list[str]:
    rows = service.list_page(session, MemberQuery(**query), 0, 100, today=TODAY)  # type: ignore[arg-type]
    return [r.name for r in rows]


def test_sort_by_name_is_case_insensitive_and_reversible(register: Session) -> None:
    ordered = names(register)
    assert ordered[:2] == ["Ahmad Fauzi", "ahmad sobari"]
    assert names(register, descending=True) == list(reversed(ordered))


def test_sort_by_age_position_and_dusun(register: Session) -> None:
    assert names(register, sort="age")[0] == "Cecep Supriatna"
    assert names(register, sort="age", descending=True)[0] == "Budi Santoso"
    assert names(register, sort="position")[0] == "Ahmad Fauzi"
    by_dusun = names(register, sort="dusun")
    assert by_dusun.index("Nuraini Hasanah") < by_dusun.index("Siti Nur\u2019aini")


def test_pages_cover_every_row_once(register: Session) -> None:
    for key in SORT_KEYS:
        query = MemberQuery(sort=key)
        paged = []
        for offset in range(0, 7, 3):
            paged += [r.id for r in service.list_page(register, query, offset, 3, today=TODAY)]
        assert len(paged) == len(set(paged)) == 7, key


@pytest.mark.parametrize(
    "text,expected",
    [
        ("nur", {"Siti Nur\u2019aini", "Nuraini Hasanah"}),
        ("nuraini", {"Siti Nur\u2019aini", "Nuraini Hasanah"}),
        ("nur'aini", {"Siti Nur\u2019aini", "Nuraini Hasanah"}),
        ("desy", {"D\u00e9sy Ratnasari"}),
        ("AHMAD so", {"ahmad sobari"}),
        ("cilaku", {"Siti Nur\u2019aini", "Ahmad Fauzi", "Cecep Supriatna"}),
        ("0857", {"ahmad sobari"}),
        ("+62857", {"ahmad sobari"}),
        ("3604221001", {"Ahmad Fauzi", "ahmad sobari"}),
        ("320101", {"D\u00e9sy Ratnasari"}),
        ("zzz", set()),
        # One letter alone: names beginning with it (not every word, not the dusun).
        ("s", {"Siti Nur\u2019aini"}),
        ("A", {"Ahmad Fauzi", "ahmad sobari"}),
        ("k", set()),
    ],
)
def test_search_matches_word_starts_of_name_and_dusun_and_prefixes_of_nik_and_phone(
    register: Session, text: str, expected: set[str]
) -> None:
    assert set(names(register, search=text)) == expected
    assert service.count(register, MemberQuery(search=text), today=TODAY) == len(expected)


def test_filters_combine(register: Session) -> None:
    assert set(names(register, status="aktif", sex="L")) == {
        "Ahmad Fauzi", "ahmad sobari", "Budi Santoso", "Cecep Supriatna"
    }
    assert names(register, position="officer") == ["Ahmad Fauzi"]
    assert "Ahmad Fauzi" not in names(register, position="none")
    assert set(names(register, age_band="13-17")) == {"ahmad sobari", "Cecep Supriatna"}
    assert set(names(register, age_band="31-45")) == {"Nuraini Hasanah", "Ahmad Fauzi", "D\u00e9sy Ratnasari"}
    assert set(names(register, dusun="kampung sukamaju")) == {"ahmad sobari", "Budi Santoso"}
    assert names(register, dusun="Kampung Cilaku", search="siti") == ["Siti Nur\u2019aini"]
    assert service.dusun_choices(register) == ["Kampung Babakan", "Kampung Cilaku", "Kampung Sukamaju"]


def test_rows_carry_only_the_last_four_digits_of_the_nik(register: Session) -> None:
    rows = service.list_page(register, MemberQuery(search="fauzi"), today=TODAY)
    assert rows[0].nik_tail == "0001"
    assert not hasattr(rows[0], "nik")
    cecep = service.list_page(register, MemberQuery(search="cecep"), today=TODAY)[0]
    assert cecep.nik_tail == "" and cecep.nik_missing


@pytest.mark.parametrize("key", SORT_KEYS)
def test_every_sort_walks_an_index(register: Session, key: str) -> None:
    """A sort that needs a temporary b-tree would sort all 100,000 rows on every page."""
    db = register.db()
    terms = store._SORT_SQL[key]
    order = ", ".join((*terms, "rowid"))
    plan = db.execute(
        f"EXPLAIN QUERY PLAN SELECT id FROM members WHERE deleted_at IS NULL ORDER BY {order} LIMIT 10"
    ).fetchall()
    assert not any("TEMP B-TREE" in str(step) for step in plan), plan


def test_settings_of_the_register_live_in_the_file(village_session: Session) -> None:
    assert "Lingkungan Hidup" in service.seksi_list(village_session)
    service.set_seksi_list(village_session, ["Seksi Kerohanian", "  Olahraga ", "olahraga", ""])
    assert service.seksi_list(village_session) == ["Kerohanian", "Olahraga"]
    with pytest.raises(ValidationError):
        service.set_seksi_list(village_session, [" "])


@pytest.mark.parametrize("broad_limit", [0, 1, 2, 100_000])
@pytest.mark.parametrize("text", ["a", "ah", "kampung", "kam suka", "siti", "zz"])
def test_broad_and_narrow_search_plans_give_the_same_pages(
    register: Session, monkeypatch: pytest.MonkeyPatch, broad_limit: int, text: str
) -> None:
    """The page picks a plan by how many members a search matches; both must show the same
    rows in the same order, in every sort."""
    monkeypatch.setattr(store, "BROAD_MATCHES", 100_000)
    expected = {key: names(register, search=text, sort=key) for key in SORT_KEYS}
    monkeypatch.setattr(store, "BROAD_MATCHES", broad_limit)
    for key in SORT_KEYS:
        assert names(register, search=text, sort=key) == expected[key], key


def test_a_broad_search_walks_the_sort_index(register: Session, monkeypatch) -> None:
    db = register.db()
    monkeypatch.setattr(store, "BROAD_MATCHES", 2)
    where, params = store._where(MemberQuery(search="kampung"), TODAY, None, db=db)
    assert "+rowid IN" in where  # "kampung" starts every dusun: more than 2 matches
    where, params = store._where(MemberQuery(search="cecep"), TODAY, None, db=db)
    assert "+rowid" not in where and "rowid IN" in where  # one member
