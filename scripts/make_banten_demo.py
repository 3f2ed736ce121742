"""Build a receiver file as if every Banten village had been sending bundles for two years.

    .venv/bin/python scripts/make_banten_demo.py --out banten.sqlite [--villages N]
        [--area 36 | --province 33] [--months 24] [--seed 7] [--today 2026-11-28] [--force]

``--province CODE`` makes the receiver of any province of the bundled region list (``33``
Jawa Tengah: 8,563 villages) with the same mix per village; Banten (``36``) is the default.

Why: the receiver's pages, reports and benchmark must be seen and measured with the volume
the province really gets (1,552 villages; about 150 members, 240 activities and 10 trainings
each: some 230,000 members and 370,000 activities). Making 1,552 village files and bundles
would take hours, so rows are generated straight into the receiver's tables, the way a merge
leaves them: every row with its village code and identity columns, one ``imports`` row per
bundle "received" and one ``villages`` row per enrolled village, with its pinned key.

What is deliberately uneven, so the pages have something to show:

* about 4 % of the villages never sent anything (not enrolled, no records);
* about 8 % stopped sending 2 to 8 months ago (records only up to then);
* in past months an active village reports with probability 0.9, this month 0.7;
* about 2 % lost a bundle on the way (a gap in their sequence numbers);
* a few dozen members moved to a neighbouring village and were registered there while the
  old village still lists them (the same NIK live in two villages: Duplikat);
* a handful of open conflicts; desa statuses for 2018 in the proportions of BPS Potensi Desa
  2018 for Banten (143 mandiri / 1,047 berkembang / 48 tertinggal of 1,238 desa).

Not generated: activity participants (member × activity links), photos and certificates. No
receiver aggregate reads them, and they would triple the file.

Members come from the village demo's own generator (:func:`services.demo_members.
make_members`, through ``store.members.bulk_insert``); activities use the village demo's
templates. ``--villages N`` takes N villages spread over the area (all kabupaten/kota), for
tests and quick looks. ``build()`` is importable (tests call it) and returns what was left out.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import itertools
import json
import random
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kt_desktop import regions  # noqa: E402
from kt_desktop.bundles import keys  # noqa: E402
from kt_desktop.domain import activities as activity_rules  # noqa: E402
from kt_desktop.domain.formats import utc_now_iso  # noqa: E402
from kt_desktop.domain.members import Member  # noqa: E402
from kt_desktop.domain.trainings import (  # noqa: E402
    ENTREPRENEURSHIP,
    SKILL_FIELDS,
    VOCATIONAL,
    add_months,
)
from kt_desktop.services.demo_activities import KAMPUNG, TEMPLATES, Template  # noqa: E402
from kt_desktop.services.demo_members import FEMALE, MALE, SECOND, make_members  # noqa: E402
from kt_desktop.services.receiver import prepare_figures  # noqa: E402
from kt_desktop.services.session import Session, open_session  # noqa: E402
from kt_desktop.services.setup import init_receiver  # noqa: E402
from kt_desktop.store import audit, records  # noqa: E402
from kt_desktop.store import bundles as bundle_store  # noqa: E402
from kt_desktop.store import members as member_store  # noqa: E402
from kt_desktop.store import receiver as store  # noqa: E402

IDENTITY = ("id", "village_code", "version", "updated_at", "change_seq", "deleted_at")
ACTIVITY_COLUMNS = (*IDENTITY, "title", "kind", "status", "start_date", "end_date", "place",
                    "section", "partner", "campaign", "description", "volunteers")
BENEFICIARY_COLUMNS = (*IDENTITY, "activity_id", "ppks", "sex", "age_band", "count")
FUND_COLUMNS = (*IDENTITY, "activity_id", "source", "amount", "note")
#: an activity's funds as they reached the village's cash book (the receiver sums them)
CASH_COLUMNS = (*IDENTITY, "entry_date", "description", "category", "receipt", "account",
                "activity_id")
TRAINING_COLUMNS = (*IDENTITY, "title", "skill_field", "kind", "organizer", "partner",
                    "partner_kind", "trainer", "place", "start_date", "end_date", "quota",
                    "cost", "funding_source", "min_attendance_pct", "min_post_score", "notes")
SESSION_COLUMNS = (*IDENTITY, "training_id", "date", "topic", "hours")
PARTICIPANT_COLUMNS = (*IDENTITY, "training_id", "member_id", "name", "sex", "birth_date", "nik",
                       "phone", "pre_score", "post_score", "result_override", "override_reason")
ATTENDANCE_COLUMNS = (*IDENTITY, "training_id", "session_id", "participant_id", "code")
OUTCOME_COLUMNS = (*IDENTITY, "training_id", "participant_id", "checkpoint_months",
                   "recorded_on", "status", "detail", "monthly_income", "notes")

PARTNERS = (
    ("BLK Serang", "blk"), ("BLK Pandeglang", "blk"), ("BLK Lebak", "blk"),
    ("Dinas Sosial Provinsi Banten", "dinas"), ("Dinas Koperasi dan UMKM", "dinas"),
    ("Program CSR PT Krakatau Steel", "csr"), ("Program CSR PT Indah Kiat", "csr"),
    ("", ""),
)
EMPLOYERS = ("Konveksi Berkah Jaya", "PT Panca Garmen", "Bengkel Motor Maju", "Kedai Kopi Alun-Alun",
             "Salon Cantik", "Toko Komputer Mitra", "Rumah Makan Sederhana")
BUSINESSES = ("Jasa jahit di rumah", "Bengkel motor kecil", "Kedai kopi keliling",
              "Jasa rias pengantin", "Warung makan", "Jasa desain undangan")
OUTCOMES = ("bekerja", "wirausaha", "melanjutkan", "belum_bekerja")
OUTCOME_WEIGHTS = (35, 25, 10, 30)
#: BPS Potensi Desa 2018, Banten: 143 mandiri, 1,047 berkembang, 48 tertinggal of 1,238 desa.
STATUS_SEED = (("mandiri", 143), ("berkembang", 1047), ("tertinggal", 48))
STATUS_SOURCE = "BPS Potensi Desa 2018 (data contoh)"


@dataclass
class DemoSummary:
    """What was made, and what was left out on purpose (the tests check these)."""

    path: Path
    villages: list[str]  # every village the demo considered (the sample of the area)
    enrolled: list[str] = field(default_factory=list)
    never: list[str] = field(default_factory=list)  # never sent anything
    #: village -> month (YYYY-MM) of its newest bundle, for the villages that stopped sending
    stopped: dict[str, str] = field(default_factory=dict)
    not_this_month: list[str] = field(default_factory=list)  # enrolled, no bundle this month
    gaps: dict[str, list[int]] = field(default_factory=dict)
    moved: list[tuple[str, str, str]] = field(default_factory=list)  # (nik, from, to)
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def villages_of(area: str) -> list[str]:
    """Every desa/kelurahan code under ``area``, in code order."""
    from kt_desktop.services.receiver import places

    return [place.code for place in places(area)]


def spread(codes: Sequence[str], count: int | None) -> list[str]:
    """``count`` codes evenly spread over ``codes`` (so every kabupaten/kota is in)."""
    if count is None or count >= len(codes):
        return list(codes)
    step = len(codes) / count
    return [codes[int(index * step)] for index in range(count)]


def month_starts(today: dt.date, months: int) -> list[dt.date]:
    first = today.replace(day=1)
    return [add_months(first, -back) for back in range(months - 1, -1, -1)]


def month_days(month: dt.date) -> int:
    return (add_months(month, 1) - month).days


class Generator:
    """Rows of one batch of villages; identity columns filled as a merge would leave them."""

    def __init__(
        self, rng: random.Random, today: dt.date, now: str, first_seq: int,
        niks: dict[str, int],
    ) -> None:
        self.rng = rng
        self.today = today
        self.now = now
        self.seqs = itertools.count(first_seq)
        self.used = 0
        #: NIK stem (first 12 digits) -> last serial given, across the whole province.
        self.niks = niks

    def identity(self, village: str) -> list[Any]:
        self.used += 1
        return [str(uuid.uuid4()), village, 1, self.now, next(self.seqs), None]

    # -- members ----------------------------------------------------------------------------
    def members(self, village: str, count: int) -> list[Member]:
        people = make_members(self.rng, self.today, count, village_code=village)
        for person in people:  # NIKs unique across the province, as real ones are
            if person.nik:
                stem = person.nik[:12]
                serial = self.niks.get(stem, int(self.rng.random() * 40)) + 1
                self.niks[stem] = serial
                person.nik = f"{stem}{serial:04d}"
        return people

    # -- activities -------------------------------------------------------------------------
    def activities(
        self, village: str, months: Sequence[dt.date], per_month: int
    ) -> tuple[list[list[Any]], list[list[Any]], list[list[Any]], list[list[Any]]]:
        rng = self.rng
        acts: list[list[Any]] = []
        cells: list[list[Any]] = []
        funds: list[list[Any]] = []
        cash: list[list[Any]] = []
        for month in months:
            days = month_days(month)
            for _number in range(max(0, per_month + rng.randint(-2, 2))):
                template: Template = rng.choice(TEMPLATES)
                day = month.replace(day=rng.randint(1, days))
                end = day + dt.timedelta(days=rng.randint(1, 3)) if template.kind in (
                    "Bedah rumah", "Tanggap bencana") else None
                if (end or day) > self.today:
                    status = activity_rules.RENCANA
                else:
                    status = activity_rules.BATAL if rng.random() < 0.06 else activity_rules.TERLAKSANA
                fill = {"kampung": rng.choice(KAMPUNG), "rw": f"{rng.randint(1, 6):02d}"}
                row = self.identity(village)
                activity_id = row[0]
                row += [
                    template.title.format(**fill), template.kind, status, day.isoformat(),
                    end.isoformat() if end else None, rng.choice(template.places).format(**fill),
                    template.section, rng.choice(template.partners), "",
                    template.description, rng.choice((0, 0, 2, 3, 5)),
                ]
                acts.append(row)
                if status == activity_rules.BATAL:
                    continue
                for (ppks, sex, band), count in activity_rules.without_zeros(
                    template.beneficiaries(rng)
                ).items():
                    cells.append([*self.identity(village), activity_id, ppks, sex, band, count])
                for source, low, high in template.funds:
                    amount = rng.randint(low, high) * 1000 if high > 0 else 0
                    if amount:
                        funds.append([*self.identity(village), activity_id, source, amount, None])
                    if amount and status == activity_rules.TERLAKSANA:
                        cash.append([*self.identity(village), day.isoformat(),
                                     f"Penerimaan dana {row[6]}", source, amount, "Kas tunai",
                                     activity_id])
        return acts, cells, funds, cash

    # -- trainings --------------------------------------------------------------------------
    def trainings(
        self, village: str, months: Sequence[dt.date], count: int, members: Sequence[str],
        organizer: str,
    ) -> dict[str, list[list[Any]]]:
        rng = self.rng
        out: dict[str, list[list[Any]]] = {
            "trainings": [], "training_sessions": [], "training_participants": [],
            "training_attendance": [], "training_outcomes": [],
        }
        if not months:
            return out
        for _number in range(count):
            month = rng.choice(months)
            start = month.replace(day=rng.randint(1, 20))
            weeks = rng.randint(4, 6)
            end = start + dt.timedelta(days=7 * (weeks - 1))
            skill = rng.choice(SKILL_FIELDS)
            partner, partner_kind = rng.choice(PARTNERS)
            kind = ENTREPRENEURSHIP if rng.random() < 0.2 else VOCATIONAL
            with_test = rng.random() < 0.3
            training = self.identity(village)
            training_id = training[0]
            training += [
                f"Pelatihan {skill}", skill, kind, organizer, partner, partner_kind,
                f"{rng.choice(MALE)} {rng.choice(SECOND)}", "Balai Desa", start.isoformat(),
                end.isoformat(), 20, rng.randrange(1_000_000, 12_000_000, 250_000),
                rng.choice(("pemda", "csr", "dana_desa", "swadaya")), 75,
                60.0 if with_test else None, None,
            ]
            out["trainings"].append(training)
            sessions = []
            for week in range(weeks):
                day = start + dt.timedelta(days=7 * week)
                row = [*self.identity(village), training_id, day.isoformat(),
                       f"Pertemuan {week + 1}", 4.0]
                out["training_sessions"].append(row)
                sessions.append((row[0], day))
            held = [(sid, day) for sid, day in sessions if day <= self.today]
            wanted = rng.randint(10, 18)
            chosen = rng.sample(list(members), min(len(members), wanted - 2))
            people: list[tuple[str, bool]] = []
            for member_id in chosen:
                row = [*self.identity(village), training_id, member_id, None, None, None, None,
                       None]
                people.append((row[0], True))
                out["training_participants"].append(row)
            for _guest in range(wanted - len(chosen)):
                sex = "L" if rng.random() < 0.5 else "P"
                name = f"{rng.choice(MALE if sex == 'L' else FEMALE)} {rng.choice(SECOND)}"
                born = dt.date(self.today.year - rng.randint(17, 27), rng.randint(1, 12),
                               rng.randint(1, 28))
                row = [*self.identity(village), training_id, None, name, sex, born.isoformat(),
                       None, None]
                people.append((row[0], False))
                out["training_participants"].append(row)
            for row in out["training_participants"][-len(people):]:
                pre = rng.randint(40, 68) if with_test else None
                post = min(100, pre + rng.randint(-5, 32)) if pre is not None else None
                row += [pre, post, None, None]
            finished = end < self.today
            for participant_id, _member in people:
                reliability = rng.choice((0.99, 0.97, 0.95, 0.9, 0.85, 0.6))
                present = 0
                for session_id, _day in held:
                    code = "H" if rng.random() < reliability else rng.choice("ISA")
                    present += code == "H"
                    out["training_attendance"].append(
                        [*self.identity(village), training_id, session_id, participant_id, code]
                    )
                passed = finished and present * 100 >= 75 * len(sessions)
                if not passed:
                    continue
                for checkpoint in (3, 6):
                    due = add_months(end, checkpoint)
                    if due > self.today or rng.random() > 0.75:
                        continue
                    status = rng.choices(OUTCOMES, weights=OUTCOME_WEIGHTS)[0]
                    detail = {"bekerja": rng.choice(EMPLOYERS),
                              "wirausaha": rng.choice(BUSINESSES)}.get(status, "")
                    income = rng.randrange(600_000, 3_600_000, 50_000) if detail else None
                    out["training_outcomes"].append(
                        [*self.identity(village), training_id, participant_id, checkpoint,
                         min(self.today, due + dt.timedelta(days=rng.randint(0, 20))).isoformat(),
                         status, detail, income, None]
                    )
        return out


def _bundles(
    rng: random.Random, village: str, months: Sequence[dt.date], today: dt.date, *,
    last: int, lossy: bool,
) -> Iterator[tuple[int, str, str, bool]]:
    """(seq, created UTC, received UTC, full) of the village's bundles up to month ``last``."""
    seq = 0
    this_month = today.replace(day=1)
    skipped = False
    for index, month in enumerate(months[: last + 1]):
        chance = 0.7 if month == this_month else 0.9
        if index and rng.random() > chance:
            continue
        latest_day = today.day if month == this_month else month_days(month)
        day = month.replace(day=rng.randint(1, latest_day))
        created = dt.datetime.combine(day, dt.time(rng.randint(1, 9), rng.randint(0, 59)))
        received = min(
            created + dt.timedelta(days=rng.randint(0, 6), hours=rng.randint(1, 10)),
            dt.datetime.combine(today, dt.time(10, 0)),
        )
        seq += 1
        if lossy and not skipped and index > len(months) // 2:
            skipped = True
            seq += 1  # the bundle before this one never arrived
        yield (seq, created.strftime("%Y-%m-%dT%H:%M:%S.000000Z"),
               received.strftime("%Y-%m-%dT%H:%M:%S.000000Z"), seq == 1)


def receiver_name(area: str) -> str:
    """The receiver's name for ``area``: "Karang Taruna Provinsi Jawa Tengah" for "33"."""
    region = regions.get(area)
    if region is None:
        raise ValueError(f"unknown region code {area!r}")
    kind = "Provinsi " if region.level == 1 else ""
    return f"Karang Taruna {kind}{region.name}"


def build(
    out: Path,
    *,
    area: str = "36",
    name: str | None = None,
    villages: int | None = None,
    months: int = 24,
    members: int = 150,
    activities_per_month: int = 10,
    trainings: int = 10,
    seed: int = 7,
    today: dt.date | None = None,
    batch: int = 40,
    quiet: bool = True,
) -> DemoSummary:
    """Make the receiver file ``out`` (which must not exist) with the demo's rows."""
    started = time.perf_counter()
    today = today or dt.date.today()
    rng = random.Random(seed)
    init_receiver(out, area, name or receiver_name(area))
    session = open_session(out)
    chosen = spread(villages_of(session.code), villages)
    summary = DemoSummary(path=out, villages=chosen)
    window = month_starts(today, months)
    niks: dict[str, int] = {}
    plans = []
    for code in chosen:
        roll = rng.random()
        if roll < 0.04:
            summary.never.append(code)
            continue
        last = len(window) - 1
        if roll < 0.12:
            last = len(window) - 1 - rng.randint(2, 8)
            summary.stopped[code] = ""  # the month of its newest bundle, once they are made
        plans.append((code, last, rng.random() < 0.02))
    try:
        for start in range(0, len(plans), batch):
            _write_batch(session, rng, today, window, plans[start:start + batch], summary, niks,
                         members=members, per_month=activities_per_month, trainings=trainings)
            if not quiet:
                done = min(start + batch, len(plans))
                print(f"  {done}/{len(plans)} villages, {time.perf_counter() - started:.0f} s",
                      flush=True)
        _finish(session, rng, chosen, summary, today)
    finally:
        session.close()
    summary.not_this_month.sort()
    summary.seconds = time.perf_counter() - started
    return summary


def _write_batch(
    session: Session, rng: random.Random, today: dt.date, window: Sequence[dt.date],
    plans: Sequence[tuple[str, int, bool]], summary: DemoSummary, niks: dict[str, int], *,
    members: int,
    per_month: int, trainings: int,
) -> None:
    db = session.db()
    now = utc_now_iso()
    this_month = today.replace(day=1)
    with db.atomic():
        for code, last, lossy in plans:
            people = Generator(rng, today, now, 0, niks).members(
                code, max(1, members + rng.randint(-30, 30))
            )
            ids = member_store.bulk_insert(
                db, people, village_code=code, actor="Demo", audit_each=False,
                audit_detail=f"demo: {len(people)} members",
            )
            gen = Generator(rng, today, now, records.current_change_seq(db) + 1, niks)
            lived = window[: last + 1]  # a village that stopped sent nothing newer
            acts, cells, funds, cash = gen.activities(code, lived, per_month)
            tables = gen.trainings(code, lived, trainings, ids, "Karang Taruna")
            store.insert_record_rows(db, "activities", ACTIVITY_COLUMNS, acts)
            store.insert_record_rows(db, "activity_beneficiaries", BENEFICIARY_COLUMNS, cells)
            store.insert_record_rows(db, "activity_funds", FUND_COLUMNS, funds)
            store.insert_record_rows(db, "cash_book", CASH_COLUMNS, cash)
            for table, columns in (
                ("trainings", TRAINING_COLUMNS), ("training_sessions", SESSION_COLUMNS),
                ("training_participants", PARTICIPANT_COLUMNS),
                ("training_attendance", ATTENDANCE_COLUMNS),
                ("training_outcomes", OUTCOME_COLUMNS),
            ):
                store.insert_record_rows(db, table, columns, tables[table])
                summary.rows[table] = summary.rows.get(table, 0) + len(tables[table])
            store.reserve_change_seqs(db, gen.used)
            for table, rows in (("members", ids), ("activities", acts),
                                ("activity_beneficiaries", cells), ("activity_funds", funds),
                                ("cash_book", cash)):
                summary.rows[table] = summary.rows.get(table, 0) + len(rows)
            # the bundles that brought all this, and the key pinned on the first one
            public = rng.randbytes(32)
            village_name = f"Karang Taruna {regions.get(code).name if regions.get(code) else code}"
            seqs: list[int] = []
            reported_now = False
            newest_month = ""
            for seq, created, received, full in _bundles(
                rng, code, window, today, last=last, lossy=lossy
            ):
                bundle_store.save_village_after_import(
                    db, code=code, name=village_name,
                    public_key=base64.b64encode(public).decode("ascii"),
                    fingerprint=keys.fingerprint(public), seq=seq, full=full,
                    received_at=received, created_utc=created,
                )
                seqs.append(seq)
                newest_month = created[:7]
                missing = [n for n in range(1, max(seqs)) if n not in seqs]
                bundle_store.add_import(
                    db, village_code=code, seq=seq, since_seq=0 if full else seq - 1,
                    full=full, sha256=uuid.uuid4().hex + uuid.uuid4().hex,
                    file_name=f"KT-{code.replace('.', '')}-{seq:06d}.ktb", created_utc=created,
                    received_at=received, counts={}, gaps=missing, conflicts=0,
                )
                # made between 01:00 and 10:00 UTC: the same day in WIB, so the same month
                if created[:7] == this_month.isoformat()[:7]:
                    reported_now = True
                if missing:
                    summary.gaps[code] = missing
            if code in summary.stopped:
                # a month's bundle may be skipped at random: the newest one made says when
                # the village stopped, not the last month of its window
                summary.stopped[code] = newest_month
            summary.enrolled.append(code)
            if not reported_now:
                summary.not_this_month.append(code)


def _finish(
    session: Session, rng: random.Random, chosen: Sequence[str], summary: DemoSummary,
    today: dt.date,
) -> None:
    """Moved members (duplicates), a few conflicts, the 2018 desa statuses, the roll-up."""
    db = session.db()
    now = utc_now_iso()
    enrolled = sorted(summary.enrolled)
    with db.atomic():
        # Someone moved to the next enrolled village and was registered there too.
        movers = max(1, len(enrolled) // 30) if len(enrolled) > 1 else 0
        for index in rng.sample(range(len(enrolled)), movers):
            source = enrolled[index]
            target = enrolled[(index + 1) % len(enrolled)]
            people = store.village_members(db, source, limit=40, offset=0)
            candidates = [p for p in people if p.nik and p.status != "keluar"]
            if not candidates:
                continue
            person = rng.choice(candidates)
            moved = Member(
                name=person.name, nik=person.nik, sex=person.sex,
                birth_date=dt.date.fromisoformat(person.birth_date) if person.birth_date else None,
                dusun="Kampung Sukamaju", status="aktif",
                joined_on=dt.date.today() - dt.timedelta(days=rng.randint(10, 200)),
            )
            member_store.bulk_insert(db, [moved], village_code=target, actor="Demo",
                                     audit_each=False, audit_detail="demo: moved member")
            summary.moved.append((person.nik, source, target))
        # A few open conflicts: the same version of a member edited differently.
        for code in rng.sample(enrolled, min(len(enrolled), max(1, len(enrolled) // 80))):
            person = store.village_members(db, code, limit=1, offset=0)
            if not person:
                continue
            kept = {"id": person[0].id, "name": person[0].name, "version": 2}
            lost = dict(kept, name=person[0].name.upper())
            bundle_store.add_conflict(
                db, table="members", record_id=person[0].id, village_code=code,
                import_id=None, kept=kept, lost=lost, reason="same_version", detected_at=now,
            )
        desa = [code for code in chosen if code[9] == "2"]
        shuffled = rng.sample(desa, len(desa))
        total = sum(count for _status, count in STATUS_SEED)
        rows: list[store.StatusRow] = []
        position = 0
        for number, (status, count) in enumerate(STATUS_SEED):
            share = len(desa) - position if number == len(STATUS_SEED) - 1 else round(
                len(desa) * count / total)
            rows += [store.StatusRow(code, 2018, status, STATUS_SOURCE)
                     for code in shuffled[position:position + share]]
            position += share
        store.save_statuses(db, rows, now)
        # what a merge writes for each bundle; Beranda's status bar reads the newest one
        audit.record(db, "import", "imports", None, actor="Demo",
                     detail=f"demo: bundles of {len(enrolled)} villages")
    store.analyze(db)
    # Count the figures the pages read (the roll-up, the recent month-ends' census) now,
    # as the receiver does after an import, so the first look needs no counting.
    prepare_figures(session, today=today)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="the receiver file to make")
    parser.add_argument("--area", "--province", dest="area", default="36",
                        help="province (or kabupaten) code of the bundled region list: "
                             "36 Banten (default), 33 Jawa Tengah, 35 Jawa Timur, 11 Aceh")
    parser.add_argument("--villages", type=int, default=None, metavar="N",
                        help="only N villages spread over the area (default: all)")
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--members", type=int, default=150)
    parser.add_argument("--activities", type=int, default=10, help="per village and month")
    parser.add_argument("--trainings", type=int, default=10, help="per village")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None)
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    args = parser.parse_args(argv)
    if args.out.exists():
        if not args.force:
            print(f"{args.out} exists; use --force to replace it", file=sys.stderr)
            return 1
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.out}{suffix}").unlink(missing_ok=True)
    summary = build(
        args.out, area=args.area, villages=args.villages, months=args.months,
        members=args.members, activities_per_month=args.activities, trainings=args.trainings,
        seed=args.seed, today=args.today, quiet=False,
    )
    print(json.dumps({
        "path": str(summary.path),
        "villages": len(summary.villages),
        "enrolled": len(summary.enrolled),
        "never": len(summary.never),
        "stopped": len(summary.stopped),
        "not_this_month": len(summary.not_this_month),
        "gaps": len(summary.gaps),
        "moved": len(summary.moved),
        "rows": summary.rows,
        "seconds": round(summary.seconds, 1),
        "megabytes": round(summary.path.stat().st_size / 1e6, 1),
    }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
