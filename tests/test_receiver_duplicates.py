"""Duplikat with a NIK live in many villages (issue 22): a page lists the newest
registrations of each NIK only, and says in how many villages it is live in all.

The file is made here: a Banten receiver whose ``members`` are written directly (a receiver
only gets them from bundles; the bundles say nothing about this view). One NIK is live in
30 villages, three others in two, one in a single village (not a duplicate); the wide NIK
also has a left and a deleted registration, which count nowhere.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from pathlib import Path

from kt_desktop.services import receiver as service
from kt_desktop.services.session import open_session
from kt_desktop.services.setup import init_receiver
from kt_desktop.store import connection
from kt_desktop.store import receiver as store

WIDE_NIK = "3601010101900001"
PAIR_NIKS = ("3601010101900002", "3601010101900003", "3601010101900004")
SINGLE_NIK = "3601010101900005"
WIDE_VILLAGES = 30


@dataclass(frozen=True)
class SpreadWorld:
    path: Path
    wide: list[tuple[str, dt.date]]  # (village, joined) of the wide NIK's live registrations
    pairs: dict[str, tuple[str, str]]  # NIK -> its two villages
    left_village: str  # the wide NIK left this village (joined last of all)


def _member(village: str, nik: str, joined: dt.date, *, status: str = "aktif",
            deleted: bool = False) -> tuple[object, ...]:
    return (str(uuid.uuid4()), village, 1, "2026-01-01T00:00:00", 1,
            "2026-01-02T00:00:00" if deleted else None, nik, f"Anggota {nik[-4:]}", "L",
            "2001-05-17", status, joined.isoformat())


def spread_nik_file(path: Path) -> SpreadWorld:
    """The receiver file described above (Banten, province 36)."""
    init_receiver(path, "36", "Karang Taruna Provinsi Banten")
    codes = [place.code for place in service.places("36")]
    wide_codes = codes[::50][:WIDE_VILLAGES]  # spread over the kabupaten/kota
    days = random.Random(22).sample(range(3000), WIDE_VILLAGES)
    wide = [(code, dt.date(2017, 1, 1) + dt.timedelta(days=day))
            for code, day in zip(wide_codes, days, strict=True)]
    # the two newest share their join date: the larger code is the newest, as
    # DuplicateGroup.newest decides
    wide.sort(key=lambda vj: vj[1], reverse=True)
    wide[1] = (wide[1][0], wide[0][1])
    left_village, deleted_village = codes[7], codes[8]
    rows = [_member(code, WIDE_NIK, joined) for code, joined in wide]
    rows.append(_member(left_village, WIDE_NIK, dt.date(2026, 1, 1), status="keluar"))
    rows.append(_member(deleted_village, WIDE_NIK, dt.date(2026, 1, 2), deleted=True))
    pairs = {PAIR_NIKS[0]: (codes[1], codes[2]),  # both in Kabupaten Pandeglang
             PAIR_NIKS[1]: (codes[3], codes[-1]),
             PAIR_NIKS[2]: (codes[-2], codes[-3])}  # both in the last kabupaten/kota
    for nik, villages in pairs.items():
        rows += [_member(code, nik, dt.date(2020, 3, n + 1)) for n, code in enumerate(villages)]
    rows.append(_member(codes[4], SINGLE_NIK, dt.date(2020, 3, 1)))
    db = connection.connect(path)
    try:
        with db.atomic():
            db.conn.executemany(
                "INSERT INTO members (id, village_code, version, updated_at, change_seq, "
                "deleted_at, nik, name, sex, birth_date, status, joined_on) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        store.forget_rollup(db)  # the next view finds the duplicates again
    finally:
        db.close()
    return SpreadWorld(path, wide, pairs, left_village)


def _newest_first(registrations: list[tuple[str, dt.date]]) -> list[str]:
    return [code for code, _joined in sorted(registrations, key=lambda vj: (vj[1], vj[0]),
                                             reverse=True)]


def test_a_nik_in_thirty_villages_lists_its_newest_and_counts_the_others(
    tmp_path: Path,
) -> None:
    world = spread_nik_file(tmp_path / "provinsi.sqlite")
    session = open_session(world.path)
    try:
        page = service.duplicates(session)
        assert page.total == 4  # the wide NIK and the three pairs, not the single one
        by_nik = {group.nik[-4:]: group for group in page.rows}
        assert set(by_nik) == {nik[-4:] for nik in (WIDE_NIK, *PAIR_NIKS)}

        wide = by_nik[WIDE_NIK[-4:]]
        assert len(wide.entries) == service.MAX_VILLAGES_PER_NIK == 10
        assert wide.villages == WIDE_VILLAGES  # the left and the deleted do not count
        assert wide.more == WIDE_VILLAGES - 10 == 20
        want = _newest_first(world.wide)[:10]
        assert [entry.village_code for entry in wide.entries] == want
        assert wide.newest is wide.entries[0]
        assert wide.newest.village_code == max(world.wide[0][0], world.wide[1][0])
        assert world.left_village not in {entry.village_code for entry in wide.entries}
        assert all(entry.place is not None for entry in wide.entries)

        for nik in PAIR_NIKS:
            group = by_nik[nik[-4:]]
            assert group.villages == 2 and group.more == 0
            assert [e.village_code for e in group.entries] == list(world.pairs[nik])[::-1]

        # paged by NIK: two pages of two NIKs hold the four, once each
        first = service.duplicates(session, limit=2)
        second = service.duplicates(session, limit=2, offset=2)
        assert first.total == 4 and len(first.rows) == len(second.rows) == 2
        assert {g.nik for g in first.rows} | {g.nik for g in second.rows} == set(
            group.nik for group in page.rows)
    finally:
        session.close()


def test_an_area_counts_its_niks_and_names_their_villages_outside_it(tmp_path: Path) -> None:
    world = spread_nik_file(tmp_path / "provinsi.sqlite")
    pandeglang = world.pairs[PAIR_NIKS[0]][0][:5]
    session = open_session(world.path)
    try:
        page = service.duplicates(session, pandeglang)
        want = {nik for nik, villages in world.pairs.items()
                if any(code.startswith(pandeglang + ".") for code in villages)}
        if any(code.startswith(pandeglang + ".") for code, _joined in world.wide):
            want.add(WIDE_NIK)
        assert WIDE_NIK in want and PAIR_NIKS[2] not in want
        assert page.total == len(want) == len(page.rows)
        wide = next(g for g in page.rows if g.nik.endswith(WIDE_NIK[-4:]))
        assert wide.villages == WIDE_VILLAGES and len(wide.entries) == 10
        outside = [e for e in wide.entries if not e.village_code.startswith(pandeglang)]
        assert outside  # listed too, with their names (not a bare code on screen)
        assert all(e.place is not None and e.place.code == e.village_code for e in outside)
        village = world.pairs[PAIR_NIKS[2]][0]  # a village: its one duplicated NIK
        assert service.duplicates(session, village).total == 1
    finally:
        session.close()


def test_a_file_made_before_migration_25_keeps_its_duplicates_counted(tmp_path: Path) -> None:
    world = spread_nik_file(tmp_path / "provinsi.sqlite")
    session = open_session(world.path)
    try:
        assert service.duplicates(session).total == 4  # found by the roll-up's count
    finally:
        session.close()
    db = connection.connect(world.path)  # as a program before migration 25 left it
    try:
        db.execute("DROP TABLE receiver_duplicate_niks")
        db.execute("DROP INDEX idx_receiver_members_nik_joined")
        db.execute("PRAGMA user_version = 24")
    finally:
        db.close()
    session = open_session(world.path)  # migrated on opening
    try:
        assert store.rollup_is_fresh(session.db())  # nothing recounted ...
        page = service.duplicates(session)
        assert page.total == 4  # ... and yet the counts are there
        wide = next(g for g in page.rows if g.nik.endswith(WIDE_NIK[-4:]))
        assert (len(wide.entries), wide.villages, wide.more) == (10, WIDE_VILLAGES, 20)
    finally:
        session.close()
