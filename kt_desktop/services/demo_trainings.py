"""Demo data for trainings: three trainings a Karang Taruna in Baros, Serang could really run.

* **Pelatihan Menjahit Dasar** with BLK Serang, finished some eight months ago: completion,
  certificates, 3- and 6-month follow-ups (most recorded, a few still due), and one result
  overridden with a reason (a participant who made up sessions at the BLK).
* **Pelatihan Barista** with a company's CSR programme, finished four months ago: certificates
  and a part of the 3-month follow-ups recorded.
* **Kewirausahaan Digital UMKM** with the Dinas Koperasi dan UMKM, running now: attendance only
  for the sessions already held.

Participants are mostly members the members step made, plus a few young people of the village
who are not members (recorded as such, never made members). Everything is written through
:mod:`kt_desktop.services.trainings`, so demo rows obey the same rules and carry the same
identity columns and audit lines as typed ones.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from kt_desktop.domain.trainings import (
    ABSENT,
    EMPLOYED,
    ENTREPRENEURSHIP,
    EXCUSED,
    FURTHER_TRAINING,
    NOT_WORKING,
    PASSED,
    PRESENT,
    SELF_EMPLOYED,
    SICK,
    VOCATIONAL,
    Outcome,
    Participant,
    Training,
    TrainingSession,
    add_months,
)
from kt_desktop.services import trainings as service
from kt_desktop.services.session import Session
from kt_desktop.store import trainings as store

NON_MEMBERS = (
    ("Dewi Lestari", "P"), ("Yuliani", "P"), ("Eka Saputra", "L"), ("Rizky Ramadhan", "L"),
    ("Nurul Hidayah", "P"), ("Fajar Nugraha", "L"), ("Intan Permatasari", "P"),
)


@dataclass(frozen=True, slots=True)
class _Plan:
    training: Training
    topics: tuple[str, ...]
    participants: int
    non_members: int
    with_tests: bool
    employers: tuple[str, ...]
    businesses: tuple[str, ...]
    further: str


def _plans(today: dt.date, months: int, name: str) -> list[_Plan]:
    back = max(1, months)
    sewing_end = add_months(today, -min(8, back))
    barista_end = add_months(today, -min(4, back))
    digital_start = today - dt.timedelta(days=12)
    organizer = name or "Karang Taruna"
    return [
        _Plan(
            Training(
                title="Pelatihan Menjahit Dasar", skill_field="Menjahit", kind=VOCATIONAL,
                organizer=organizer, partner="BLK Serang", partner_kind="blk",
                trainer="Ibu Hj. Nurhayati", place="Balai Desa Baros",
                start_date=sewing_end - dt.timedelta(days=25), end_date=sewing_end,
                quota=20, cost=6_500_000, funding_source="pemda", min_post_score=60,
                notes="Mesin jahit dipinjam dari BLK Serang selama pelatihan.",
            ),
            ("Pengenalan mesin jahit dan K3", "Mengukur badan dan membuat pola", "Memotong kain",
             "Menjahit lurus dan obras", "Menjahit rok", "Menjahit kemeja", "Permak dan vermak",
             "Ujian praktik"),
            20, 3, True,
            ("Konveksi Berkah Jaya, Serang", "PT Panca Garmen Cikande", "Butik Ananda, Baros"),
            ("Jasa jahit dan permak di rumah", "Jahit seragam sekolah pesanan"),
            "Pelatihan menjahit lanjutan di BLK Serang",
        ),
        _Plan(
            Training(
                title="Pelatihan Barista", skill_field="Barista", kind=VOCATIONAL,
                organizer=organizer, partner="Program CSR PT Sinar Banten Sejahtera",
                partner_kind="csr", trainer="Andi Pratama (Kopi Kenangan Rakyat)",
                place="Aula Kantor Desa Baros",
                start_date=barista_end - dt.timedelta(days=17), end_date=barista_end,
                quota=16, cost=12_000_000, funding_source="csr",
            ),
            ("Mengenal biji kopi dan sangrai", "Menggiling dan menyeduh manual",
             "Espresso dan mesin kopi", "Susu dan latte art", "Menu dan harga pokok",
             "Praktik melayani pembeli"),
            15, 2, False,
            ("Kedai Kopi Alun-Alun Serang", "Kafe Rumah Singgah, Pandeglang"),
            ("Kopi keliling dengan gerobak", "Kedai kopi kecil di depan rumah"),
            "Kursus barista lanjutan (sertifikasi BNSP)",
        ),
        _Plan(
            Training(
                title="Kewirausahaan Digital UMKM", skill_field="Pemasaran digital",
                kind=ENTREPRENEURSHIP, organizer=organizer,
                partner="Dinas Koperasi dan UMKM Kabupaten Serang", partner_kind="dinas",
                trainer="Rina Amelia, S.E.", place="Balai Desa Baros",
                start_date=digital_start, end_date=digital_start + dt.timedelta(days=28),
                quota=25, cost=3_000_000, funding_source="dana_desa",
            ),
            ("Merencanakan usaha", "Foto produk dengan ponsel", "Berjualan di marketplace",
             "Media sosial untuk usaha", "Pembukuan sederhana", "Legalitas: NIB dan PIRT",
             "Presentasi rencana usaha"),
            18, 2, False, (), ("Keripik pisang kemasan", "Sambal botol"), "",
        ),
    ]


def _nik(rng: random.Random, born: dt.date, sex: str) -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"360422{day:02d}{born.month:02d}{born.year % 100:02d}{rng.randint(1, 2999):04d}"


def _code(rng: random.Random, reliability: float) -> str:
    if rng.random() < reliability:
        return PRESENT
    return rng.choices((EXCUSED, SICK, ABSENT), weights=(4, 3, 3))[0]


def _add_people(
    session: Session, rng: random.Random, plan: _Plan, training_id: str, members: list[str],
    today: dt.date,
) -> list[str]:
    wanted = min(len(members), max(0, plan.participants - plan.non_members))
    service.add_members(session, training_id, rng.sample(members, wanted))
    assert plan.training.start_date
    for name, sex in rng.sample(NON_MEMBERS, plan.non_members):
        born = dt.date(today.year - rng.randint(17, 27), rng.randint(1, 12), rng.randint(1, 28))
        service.save_non_member(
            session,
            Participant(
                training_id=training_id, name=name, sex=sex, birth_date=born,
                nik=_nik(rng, born, sex) if rng.random() < 0.7 else "",
                phone=f"0812-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
            ),
            today=plan.training.start_date,
        )
    return [p.id for p in store.list_participants(session.db(), training_id) if p.id]


def _outcome(
    rng: random.Random, plan: _Plan, training_id: str, participant_id: str, months: int,
    recorded_on: dt.date,
) -> Outcome:
    status = rng.choices(
        (EMPLOYED, SELF_EMPLOYED, FURTHER_TRAINING, NOT_WORKING),
        weights=(4 if plan.employers else 0, 3, 1 if plan.further else 0, 2),
    )[0]
    detail, income = "", None
    if status == EMPLOYED:
        detail = rng.choice(plan.employers)
        income = rng.randrange(1_800_000, 3_600_000, 50_000)
    elif status == SELF_EMPLOYED:
        detail = rng.choice(plan.businesses)
        income = rng.randrange(600_000, 2_500_000, 50_000)
    elif status == FURTHER_TRAINING:
        detail = plan.further
    return Outcome(
        training_id=training_id, participant_id=participant_id, checkpoint_months=months,
        recorded_on=recorded_on, status=status, detail=detail, monthly_income=income,
    )


def fill(
    session: Session, rng: random.Random, today: dt.date, *, members: int = 150, months: int = 12
) -> dict[str, int]:
    """Add the three demo trainings; returns the rows added per table."""
    if months <= 0:
        return {}
    db = session.db()
    from kt_desktop.store import profile as profile_store

    profile = profile_store.load(db)
    name = profile.name if profile else ""
    # Vocational training is for the young: members of 16 to 35 take part.
    pool = store.live_member_ids(
        db, born_after=add_months(today, -35 * 12), born_before=add_months(today, -16 * 12)
    )[: max(members, 0)]
    added: dict[str, int] = {}

    def count(table: str, n: int = 1) -> None:
        added[table] = added.get(table, 0) + n

    for plan in _plans(today, months, name):
        training = plan.training
        training_id = service.save_training(session, training)
        count("trainings")
        assert training.start_date and training.end_date
        span = (training.end_date - training.start_date).days
        sessions = []
        for index, topic in enumerate(plan.topics):
            offset = round(index * span / (len(plan.topics) - 1))
            day = training.start_date + dt.timedelta(days=offset)
            sessions.append(
                (service.save_session(
                    session, TrainingSession(training_id, day, topic, rng.choice((3.0, 4.0)))
                ), day)
            )
        count("training_sessions", len(sessions))
        people = _add_people(session, rng, plan, training_id, pool, today)
        count("training_participants", len(people))
        cells: dict[tuple[str, str], str | None] = {}
        for participant_id in people:
            # Most come to nearly every session; a few drop away (work, harvest, moving).
            reliability = rng.choice((0.99, 0.97, 0.95, 0.93, 0.9, 0.88, 0.85, 0.6))
            for session_id, day in sessions:
                if day <= today:
                    cells[(session_id, participant_id)] = _code(rng, reliability)
        count("training_attendance", service.save_attendance(session, training_id, cells))
        if plan.with_tests:
            for participant_id in people:
                pre = rng.randint(40, 68)
                post = min(100, pre + rng.randint(5, 32))
                service.set_scores(session, participant_id, pre, post)
        if training.end_date >= today:
            continue
        sheet = service.completion(session, training_id)
        failed = [row for row in sheet.rows if not row.completion.computed_pass]
        if plan.with_tests and failed:
            service.override_result(
                session, failed[0].participant.id or "", PASSED,
                "Mengikuti kelas pengganti di BLK Serang untuk pertemuan yang terlewat.",
            )
        issued = training.end_date + dt.timedelta(days=7)
        count("training_certificates",
              len(service.assign_certificates(session, training_id, min(issued, today))))
        followups = service.follow_up_sheet(session, training_id, today=today)
        for row in followups.rows:
            for months_after, share in ((3, 0.8), (6, 0.6)):
                due = row.due_on[months_after]
                if due > today or rng.random() > share:
                    continue
                recorded_on = min(today, due + dt.timedelta(days=rng.randint(0, 20)))
                assert row.participant.id
                service.save_outcome(
                    session,
                    _outcome(rng, plan, training_id, row.participant.id, months_after,
                             recorded_on),
                    today=today,
                )
                count("training_outcomes")
    return added
