"""Random village histories over a bad transport: the receiver always ends with the village's
records and says exactly what is missing meanwhile (issue 24).

A history drives the services the GUI calls (members added, edited, NIK-corrected, a NIK
handed to another member, removed and re-added; activities with participants; trainings
with sessions, attendance re-marked and follow-ups moved between checkpoints; profile edits;
backups taken and restored) and exports bundles now and then. The transport loses about a
quarter of them, duplicates a fifth and delivers them in any order. After every import:

* the gaps the receiver reports are exactly the bundle numbers it is missing;
* with no gap, the receiver's rows of the village (tombstones and photos included, byte for
  byte) equal the village's rows when it made the newest bundle the receiver accepted;
* after a final full bundle they equal the village's current rows;
* importing again every bundle ever made changes none of them.

CI runs a bounded, derandomized number of histories; ``KT_HISTORIES=2000`` runs more
(``pytest --timeout=0 -s -k many``). Measured on 2,000 seeded histories (issue 24): 506
failed before the fixes (333 "same number, other content" after a restore, 52 refused for a
NIK or a follow-up passed between records, 79 receivers holding other rows than the
village with no gap reported, 27 changed by re-importing old bundles, ...), none after.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import shutil
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kt_desktop.domain import clock
from kt_desktop.domain.activities import Activity, Photo
from kt_desktop.domain.activities import Participant as ActivityParticipant
from kt_desktop.domain.members import Member
from kt_desktop.domain.trainings import EMPLOYED, NOT_WORKING, Outcome, Training, TrainingSession
from kt_desktop.services import activities, backups, bundles, members, profile, trainings
from kt_desktop.services.session import Session, open_session
from kt_desktop.store import bundles as bundle_store
from kt_desktop.store import records, sync
from kt_desktop.store import settings as settings_store
from tests.test_bundles_kit import VILLAGE, bag_of, install_receiver_key

STATS: Counter[str] = Counter()
HISTORIES = int(os.environ.get("KT_HISTORIES", "0") or 0)
#: About a minute on a CI machine; ``KT_HISTORIES`` asks for more (the long run).
EXAMPLES = HISTORIES or 120
#: Days are fixed so that a history replays the same on any day of the year.
TRAINING_START = dt.date(2024, 1, 8)
FOLLOW_UP_DAY = dt.date(2024, 8, 1)
TODAY = dt.date(2025, 6, 30)

OPERATIONS = (
    "add_member",
    "add_member",
    "edit_member",
    "correct_nik",
    "transfer_nik",
    "remove_member",
    "readd_member",
    "add_activity",
    "edit_activity",
    "training",
    "remark_attendance",
    "move_outcome",
    "edit_profile",
    "export",
    "export",
    "export",
    "deliver",
    "deliver",
    "deliver",
    "backup",
    "backup",
    "restore",
    "restore",
)


def _nik(serial: int, female: bool) -> str:
    """A valid NIK of Kecamatan Baros for someone born on 17 May 2001."""
    day = 17 + (40 if female else 0)
    return f"360422{day:02d}0501{serial:04d}"


@dataclass
class Made:
    """A bundle the village made, and the village's rows when it made it."""

    seq: int
    full: bool
    data: bytes
    rows: dict[str, list[tuple[Any, ...]]]


@dataclass
class World:
    folder: Path
    village: Session
    receiver: Session
    rnd: random.Random
    made: list[Made] = field(default_factory=list)
    in_transit: list[Made] = field(default_factory=list)
    accepted: dict[int, bool] = field(default_factory=dict)  # seq -> full
    accepted_made: dict[int, Made] = field(default_factory=dict)
    refused: set[int] = field(default_factory=set)  # refused while an earlier one is missing
    backups: list[Path] = field(default_factory=list)
    serial: int = 0
    free_niks: list[tuple[str, bool]] = field(default_factory=list)
    step: int = 0
    log: list[str] = field(default_factory=list)

    # -- village ---------------------------------------------------------------------------
    def live_members(self) -> list[Member]:
        db = self.village.db()
        ids = [
            row[0]
            for row in db.execute(
                "SELECT id FROM members WHERE deleted_at IS NULL ORDER BY rowid"
            ).fetchall()
        ]
        return [members.get(self.village, member_id) for member_id in ids]

    def new_nik(self) -> tuple[str, bool]:
        self.serial += 1
        female = self.serial % 2 == 0
        return _nik(self.serial, female), female

    def save_member(self, member: Member) -> str:
        return members.save(self.village, member, confirm=True, today=TODAY).id

    def add_member(self, nik: tuple[str, bool] | None = None) -> str:
        number, female = nik or self.new_nik()
        return self.save_member(
            Member(
                name=f"Anggota {self.serial} {self.rnd.randint(0, 999)}",
                nik=number,
                birth_date=dt.date(2001, 5, 17),
                sex="P" if female else "L",
                dusun="Cilaku",
                status="aktif",
                joined_on=dt.date(2023, 1, 2),
            )
        )

    def set_nik(self, member: Member, nik: tuple[str, bool]) -> None:
        member.nik, female = nik
        member.sex = "P" if female else "L"
        self.save_member(member)

    def op_add_member(self) -> None:
        self.add_member()

    def op_edit_member(self) -> None:
        live = self.live_members()
        if live:
            member = self.rnd.choice(live)
            member.phone = f"0812{self.rnd.randint(0, 99_999_999):08d}"
            member.name = member.name.split(" (")[0] + f" ({self.step})"
            self.save_member(member)

    def op_correct_nik(self) -> None:
        live = [m for m in self.live_members() if m.nik]
        if live:
            member = self.rnd.choice(live)
            old = (member.nik, member.sex == "P")
            self.set_nik(member, self.new_nik())
            self.free_niks.append(old)

    def op_transfer_nik(self) -> None:
        """Siti's NIK was typed wrong: it is Rina's. Siti gets hers, Rina (new or not) gets it."""
        live = [m for m in self.live_members() if m.nik]
        if not live:
            return
        giver = self.rnd.choice(live)
        value = (giver.nik, giver.sex == "P")
        self.set_nik(giver, self.new_nik())
        others = [m for m in self.live_members() if m.id != giver.id]
        if others and self.rnd.random() < 0.5:
            self.set_nik(self.rnd.choice(others), value)
        else:
            self.add_member(value)
        if self.rnd.random() < 0.5:
            giver = members.get(self.village, giver.id or "")
            if self.rnd.random() < 0.5:
                members.remove(self.village, giver.id or "")
            else:
                giver.phone = "0813" + f"{self.step:08d}"
                self.save_member(giver)

    def op_remove_member(self) -> None:
        live = self.live_members()
        if live:
            member = self.rnd.choice(live)
            members.remove(self.village, member.id or "")
            if member.nik:
                self.free_niks.append((member.nik, member.sex == "P"))

    def op_readd_member(self) -> None:
        """The same person entered again (a new record with a NIK someone gave up)."""
        taken = {m.nik for m in self.live_members()}
        free = [nik for nik in self.free_niks if nik[0] not in taken]
        if free:
            self.add_member(self.rnd.choice(free))

    def op_add_activity(self) -> None:
        live = self.live_members()
        chosen = self.rnd.sample(live, min(len(live), self.rnd.randint(0, 3)))
        activities.save(
            self.village,
            Activity(
                title=f"Kerja bakti {self.step}",
                kind="kerja_bakti",
                status="terlaksana",
                start=dt.date(2024, 3, 1 + self.step % 27),
                participants=[ActivityParticipant(member_id=m.id or "") for m in chosen],
                volunteers=len(chosen),
                photos=[self.photo() for _ in range(self.rnd.randint(0, 2))],
            ),
            today=TODAY,
        )

    def photo(self) -> Photo:
        """A small photo with bytes of its own (compared byte for byte at the receiver)."""
        data = self.rnd.randbytes(2048)
        return Photo(
            sha256=hashlib.sha256(data).hexdigest(),
            mime="image/jpeg",
            width=32,
            height=32,
            thumbnail=data[:200],
            data=data,
            caption=f"Foto {self.step}",
        )

    def op_edit_activity(self) -> None:
        db = self.village.db()
        ids = [r[0] for r in db.execute(
            "SELECT id FROM activities WHERE deleted_at IS NULL ORDER BY rowid"
        )]
        if not ids:
            return
        activity = activities.get(self.village, self.rnd.choice(ids))
        if self.rnd.random() < 0.3:
            activities.remove(self.village, activity.id or "")
            return
        live = self.live_members()
        activity.participants = [
            ActivityParticipant(member_id=m.id or "")
            for m in self.rnd.sample(live, min(len(live), self.rnd.randint(0, 3)))
        ]
        activity.title = f"Kerja bakti {self.step}"
        activities.save(self.village, activity, today=TODAY)

    def op_training(self) -> None:
        """A training of two sessions whose members all attend and graduate."""
        live = self.live_members()
        if not live:
            return
        training_id = trainings.save_training(
            self.village,
            Training(
                title=f"Pelatihan {self.step}",
                skill_field="Menjahit",
                start_date=TRAINING_START,
                end_date=TRAINING_START + dt.timedelta(days=2),
            ),
        )
        meetings = [
            trainings.save_session(
                self.village,
                TrainingSession(
                    training_id=training_id,
                    date=TRAINING_START + dt.timedelta(days=d),
                    topic=f"Materi {d + 1}",
                ),
            )
            for d in (0, 1)
        ]
        chosen = self.rnd.sample(live, min(len(live), self.rnd.randint(1, 3)))
        trainings.add_members(self.village, training_id, [m.id or "" for m in chosen])
        people = trainings.list_participants(self.village, training_id)
        trainings.save_attendance(
            self.village,
            training_id,
            {(meeting, person.id or ""): "H" for meeting in meetings for person in people},
        )
        for person in people:
            if self.rnd.random() < 0.7:
                trainings.save_outcome(
                    self.village,
                    Outcome(
                        training_id=training_id,
                        participant_id=person.id or "",
                        checkpoint_months=3,
                        recorded_on=FOLLOW_UP_DAY,
                        status=NOT_WORKING,
                    ),
                    today=TODAY,
                )

    def _cells(self) -> list[tuple[str, str, str]]:
        db = self.village.db()
        return db.execute(
            "SELECT training_id, session_id, participant_id FROM training_attendance "
            "WHERE deleted_at IS NULL ORDER BY rowid"
        ).fetchall()

    def op_remark_attendance(self) -> None:
        """A cell cleared by mistake, saved, and marked again (a new row for the same cell)."""
        cells = self._cells()
        if not cells:
            return
        training_id, meeting, person = self.rnd.choice(cells)
        trainings.save_attendance(self.village, training_id, {(meeting, person): None})
        trainings.save_attendance(self.village, training_id, {(meeting, person): "H"})

    def op_move_outcome(self) -> None:
        """The 3-month follow-up was really the 6-month one; a new 3-month one is recorded,
        then the first is edited again."""
        db = self.village.db()
        rows = db.execute(
            "SELECT id, training_id, participant_id FROM training_outcomes "
            "WHERE deleted_at IS NULL AND checkpoint_months = 3 ORDER BY rowid"
        ).fetchall()
        six = {
            row[0]
            for row in db.execute(
                "SELECT participant_id FROM training_outcomes "
                "WHERE deleted_at IS NULL AND checkpoint_months = 6"
            )
        }
        rows = [row for row in rows if row[2] not in six]
        if not rows:
            return
        outcome_id, training_id, person = self.rnd.choice(rows)
        moved = Outcome(training_id, person, 6, FOLLOW_UP_DAY, NOT_WORKING, id=outcome_id)
        trainings.save_outcome(self.village, moved, today=TODAY)
        trainings.save_outcome(
            self.village, Outcome(training_id, person, 3, FOLLOW_UP_DAY, NOT_WORKING), today=TODAY
        )
        if self.rnd.random() < 0.7:
            again = Outcome(
                training_id, person, 6, FOLLOW_UP_DAY, EMPLOYED, detail="Konveksi", id=outcome_id
            )
            trainings.save_outcome(self.village, again, today=TODAY)

    def op_edit_profile(self) -> None:
        current = profile.load_profile(self.village)
        current.phone = f"0812-{self.rnd.randint(1000, 9999)}-{self.step:04d}"
        profile.save_profile(self.village, current)

    def op_export(self, full: bool | None = None) -> Made:
        full = self.rnd.random() < 0.15 if full is None else full
        built = bundles.export(self.village, dest_dir=self.folder / "usb", full=full)
        made = Made(built.seq, built.full, built.path.read_bytes(), village_rows(self.village))
        built.path.unlink()
        self.made.append(made)
        roll = self.rnd.random()
        if roll >= 0.25:  # a quarter is lost
            self.in_transit.append(made)
            if self.rnd.random() < 0.2:  # a fifth arrives twice
                self.in_transit.append(made)
        self.log.append(f"export {made.seq}{' full' if made.full else ''}"
                        f"{' lost' if roll < 0.25 else ''}")
        return made

    def op_deliver(self) -> None:
        if not self.in_transit:
            return
        self.rnd.shuffle(self.in_transit)
        count = self.rnd.randint(1, len(self.in_transit))
        for _ in range(count):
            self.deliver(self.in_transit.pop())

    def op_backup(self) -> None:
        info = backups.take_backup(
            self.village.path,
            folder=self.folder / "cadangan",
            kind=backups.OTHER,
            now=dt.datetime(2025, 1, 1) + dt.timedelta(minutes=len(self.backups)),
            record=False,
        )
        self.backups.append(info.path)

    def op_restore(self) -> None:
        if self.backups:
            backups.restore_open_session(self.village, self.rnd.choice(self.backups))

    # -- receiver ----------------------------------------------------------------------------
    def deliver(self, made: Made) -> bundles.BundleSummary:
        report = bundles.import_files(
            self.receiver, [(f"bundle-{made.seq}.ktb", made.data)], trust_new=True
        )
        (summary,) = report.bundles
        self.log.append(f"import {made.seq}: {summary.status} {summary.error_code}")
        STATS[f"{summary.status} {summary.error_code or ''}".strip()] += 1
        if summary.status == bundles.REFUSED:
            self.check_refusal(made, summary)
            if summary.error_code in ("constraint", "needs_full"):
                self.refused.add(made.seq)
        if summary.status == bundles.IMPORTED:
            self.accepted[made.seq] = made.full
            self.accepted_made[made.seq] = made
        self.check()
        return summary

    def check_refusal(self, made: Made, summary: bundles.BundleSummary) -> None:
        """A refusal is only ever for a bundle the receiver does not need, or one that waits
        for an earlier bundle still missing."""
        last_full = max((seq for seq, full in self.accepted.items() if full), default=0)
        code = summary.error_code
        if code == "stale":
            assert made.seq < last_full, self.story(summary.message)
        elif code == "before_restore":
            assert any(m.seq > made.seq for m in self.accepted_made.values()), self.story(
                summary.message
            )
        elif code in ("constraint", "needs_full"):
            assert not made.full, self.story(summary.message)
            waiting = [s for s in range(last_full + 1, made.seq) if s not in self.accepted]
            assert waiting, self.story(summary.message)
        else:
            raise AssertionError(self.story(summary.message))

    def check(self) -> None:
        """The receiver's promise after every import."""
        if not self.accepted:
            return
        newest = max(self.accepted)
        last_full = max((seq for seq, full in self.accepted.items() if full), default=0)
        waiting = {s for s in self.refused if s > last_full and s not in self.accepted}
        top = max([newest, *waiting])
        expected = sorted(
            [(s, bundles.REFUSED_SEQ) for s in waiting]
            + [
                (s, bundles.NOT_RECEIVED)
                for s in range(last_full + 1, top)
                if s not in self.accepted and s not in waiting
            ]
        )
        reported = bundles.missing_bundles(self.receiver, VILLAGE)
        assert reported == expected, self.story(f"gaps {reported} != {expected}")
        if not reported:
            made = self.accepted_made[newest]
            assert receiver_rows(self.receiver) == made.rows, self.story(
                f"receiver != village at bundle {newest}"
            )
            STATS["checked equal"] += 1

    def story(self, why: str = "") -> str:
        return why + "\n" + "\n".join(self.log)


def _rows(db: Any, code: str) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    for table in sync.present_tables(db):
        columns = [c.name for c in sync.table_columns(db, table.name) if c.name != "change_seq"]
        rows = db.execute(
            f"SELECT {', '.join(f'[{c}]' for c in columns)} FROM [{table.name}] "
            "WHERE village_code = ? ORDER BY id",
            [code],
        ).fetchall()
        out[table.name] = [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows
        ]
    return out


def village_rows(village: Session) -> dict[str, list[tuple[Any, ...]]]:
    return _rows(village.db(), village.code)


def receiver_rows(receiver: Session) -> dict[str, list[tuple[Any, ...]]]:
    return _rows(receiver.db(), VILLAGE)


def run_history(
    folder: Path, templates: tuple[Path, Path], ops: list[str], seed: int
) -> list[bytes]:
    """Play ``ops`` with ``seed`` under a frozen clock and seeded record ids; returns every
    bundle made, as the (decrypted) bag, so that two replays can be compared."""
    (folder / "usb").mkdir(parents=True)
    village_path, receiver_path = folder / "desa.sqlite", folder / "provinsi.sqlite"
    shutil.copy(templates[0], village_path)
    shutil.copy(templates[1], receiver_path)
    world = World(
        folder=folder,
        village=open_session(village_path),
        receiver=open_session(receiver_path),
        rnd=random.Random(seed),
    )
    ids = random.Random(seed ^ 0x5EED)
    system_new_id = records.new_id
    records.new_id = lambda: str(uuid.UUID(int=ids.getrandbits(128), version=4))
    try:
        with clock.frozen(dt.datetime(2025, 1, 6, 1, 0), tick=dt.timedelta(seconds=1)):
            _play(world, ops)
        return [bag_of(made.data, world.receiver) for made in world.made]
    finally:
        records.new_id = system_new_id
        world.village.close()
        world.receiver.close()


def _play(world: World, ops: list[str]) -> None:
    """The history, the final full bundle, and every bundle imported once more."""
    for step, name in enumerate(ops):
        world.step = step
        world.log.append(name)
        getattr(world, f"op_{name}")()
    # The village sends a full bundle at last; it arrives.
    final = world.op_export(full=True)
    if final in world.in_transit:
        world.in_transit = [m for m in world.in_transit if m is not final]
    summary = world.deliver(final)
    assert summary.status == bundles.IMPORTED, world.story(summary.message)
    assert receiver_rows(world.receiver) == village_rows(world.village), world.story(
        "receiver != village after the final full bundle"
    )
    # Every bundle ever made, once more, in any order: nothing changes.
    before = receiver_rows(world.receiver)
    again = list(world.made)
    world.rnd.shuffle(again)
    for made in again:
        bundles.import_files(
            world.receiver, [(f"bundle-{made.seq}.ktb", made.data)], trust_new=True
        )
    assert receiver_rows(world.receiver) == before, world.story("re-import changed rows")


def _templates(tmp_path: Path, village_file: Path, receiver_file: Path) -> tuple[Path, Path]:
    """A village with the receiver's key installed and a receiver, copied for each history
    (setting files up costs more than a history)."""
    village = open_session(village_file)
    receiver = open_session(receiver_file)
    try:
        install_receiver_key(village, receiver, tmp_path)
        with village.db().atomic():  # named once, so that every copy sends the same bundles
            settings_store.put(village.db(), bundle_store.DEVICE_ID, "riwayat-uji")
    finally:
        village.close()
        receiver.close()
    return village_file, receiver_file


def random_ops(rnd: random.Random) -> list[str]:
    return [rnd.choice(OPERATIONS) for _ in range(rnd.randint(4, 40))]


@settings(
    max_examples=EXAMPLES if not HISTORIES else 1,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ops=st.lists(st.sampled_from(OPERATIONS), min_size=4, max_size=40),
    seed=st.integers(0, 2**32 - 1),
)
def test_random_histories_end_with_the_villages_records(
    tmp_path: Path, village_file: Path, receiver_file: Path, ops: list[str], seed: int
) -> None:
    """Hypothesis draws the history (and shrinks a failing one to its shortest form)."""
    if not _TEMPLATES:
        _TEMPLATES[:] = _templates(tmp_path, village_file, receiver_file)
    _COUNTER[0] += 1
    run_history(tmp_path / f"h{_COUNTER[0]}", (_TEMPLATES[0], _TEMPLATES[1]), ops, seed)


def test_a_history_replays_exactly(tmp_path: Path, village_file: Path, receiver_file: Path) -> None:
    """Same operations, same seed: the same bundles, byte for byte (before encryption), so a
    failing history found by the long run can be replayed and shrunk."""
    templates = _templates(tmp_path, village_file, receiver_file)
    ops = [
        "add_member", "add_member", "training", "add_activity", "export", "transfer_nik",
        "remark_attendance", "move_outcome", "backup", "remove_member", "export", "deliver",
        "restore", "readd_member", "edit_profile", "export", "deliver",
    ]
    first = run_history(tmp_path / "first", templates, ops, 7)
    again = run_history(tmp_path / "again", templates, ops, 7)
    assert len(first) >= 4 and first == again


_TEMPLATES: list[Path] = []
_COUNTER = [0]


def test_many_seeded_histories(tmp_path: Path, village_file: Path, receiver_file: Path) -> None:
    """The long run (``KT_HISTORIES=2000``): seeded histories, every failure counted by the
    first line of its story, and the count printed. In CI, a handful of seeds."""
    templates = _templates(tmp_path, village_file, receiver_file)
    count = HISTORIES or 20
    failures: dict[str, list[int]] = {}
    for seed in range(count):
        rnd = random.Random(seed)
        try:
            run_history(tmp_path / f"s{seed}", templates, random_ops(rnd), seed)
        except Exception as exc:  # counted, then reported together
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
            failures.setdefault(f"{type(exc).__name__}: {first}", []).append(seed)
        shutil.rmtree(tmp_path / f"s{seed}", ignore_errors=True)
    failed = sum(len(seeds) for seeds in failures.values())
    print(f"\n{count} histories, {failed} failed; imports: {dict(STATS)}")
    for reason, seeds in sorted(failures.items(), key=lambda item: -len(item[1])):
        print(f"  {len(seeds):5d}  {reason}  (seeds {seeds[:8]})")
    assert not failures, f"{failed} of {count} histories failed"
