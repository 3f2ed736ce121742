"""Demo members: a register that looks like a Banten village's, fast enough for 100,000 rows.

Names mix Sundanese, Javanese and Banten/Arabic-Islamic given names; NIKs agree with the
birth date and sex (day + 40 for women) and mostly carry the village's own kecamatan; ages are
mostly 13-45 with a few older and younger; children have a guardian's consent, officers are
17 or older, a few members left. Rows go in through ``store.members.bulk_insert`` inside the
demo's transaction, so 100,000 members take a few seconds.
"""

from __future__ import annotations

import datetime as dt
import random

from kt_desktop.domain.members import (
    DEFAULT_SEKSI,
    EDUCATIONS,
    Member,
    years_before,
)
from kt_desktop.domain.nik import kecamatan_prefix
from kt_desktop.services.session import Session
from kt_desktop.store import members as store
from kt_desktop.store import profile as profile_store

MALE = (
    "Ahmad", "Asep", "Ujang", "Dede", "Cecep", "Yayan", "Tatang", "Wawan", "Agus", "Budi",
    "Joko", "Eko", "Wahyu", "Bambang", "Slamet", "Hendra", "Rudi", "Dadang", "Engkos", "Jajang",
    "Ade", "Iwan", "Muhammad", "Rizky", "Fajar", "Ilham", "Firman", "Aris", "Deden", "Endang",
    "Supriyadi", "Suherman", "Syarifudin", "Abdul", "Hasan", "Ridwan", "Yusuf", "Dimas",
    "Bagus", "Arif", "Taufik", "Maman", "Enjang", "Ayi", "Kurnia", "Hilman", "Rohmat", "Nandang",
)
FEMALE = (
    "Siti", "Euis", "Neng", "Iis", "Entin", "Rina", "Dewi", "Sri", "Ayu", "Fitri", "Nurhayati",
    "Lilis", "Yati", "Imas", "Enok", "Cucu", "Eti", "Wulan", "Rahayu", "Sari", "Ratna", "Tuti",
    "Nining", "Nia", "Desi", "Yuli", "Wati", "Rosmiati", "Aisyah", "Fatimah", "Nur\u2019aini",
    "Halimah", "Mulyani", "Susanti", "Lestari", "Anisa", "Putri", "Intan", "Kartika", "Dini",
    "Eneng", "Ani", "Elis", "Nani", "Popon", "Ratih", "Tia", "Wulandari",
)
SECOND = (
    "Suryana", "Hidayat", "Sopandi", "Kurniawan", "Sutisna", "Permana", "Setiawan", "Saputra",
    "Maulana", "Hermawan", "Gunawan", "Firmansyah", "Nugraha", "Ramdani", "Hidayatullah",
    "Sulaeman", "Priatna", "Mulyana", "Santoso", "Wibowo", "Prasetyo", "Susilo", "Hakim",
    "Fauzi", "Rohman", "Sanusi", "Jaelani", "Mubarok", "Syahputra", "Kusnadi", "Supriatna",
    "Rachmat", "Hamdani", "Juhana", "Sujana", "Nuryadi", "Suparman", "Wijaya", "Purnama",
)
FEMALE_SECOND = (
    "Rahmawati", "Nurhasanah", "Lestari", "Wulandari", "Kurniasih", "Sulastri", "Handayani",
    "Marlina", "Maryam", "Komalasari", "Oktaviani", "Rohaeti", "Permatasari", "Nurjanah",
    "Suhartini", "Yuliani", "Hasanah", "Fitriani", "Apriyani", "Juwita",
)
#: Family-style names women carry as well (not "Saputra" or "Kurniawan").
SHARED_SECOND = (
    "Hidayat", "Suryana", "Permana", "Nugraha", "Mulyana", "Sulaeman", "Hakim", "Fauzi",
    "Rohman", "Purnama", "Wijaya", "Santoso", "Hamdani", "Sanusi",
)
DUSUN = (
    "Kampung Babakan", "Kampung Sukamaju", "Kampung Pasir Gede", "Kampung Cibeber",
    "Kampung Kadu Agung", "Kampung Cikupa", "Kampung Sindangsari",
)
BIRTH_PLACES = ("Serang", "Pandeglang", "Lebak", "Cilegon", "Tangerang", "Jakarta", "Bogor", "Bandung")
OCCUPATIONS = (
    "Mahasiswa", "Petani", "Buruh harian lepas", "Wiraswasta", "Pedagang",
    "Karyawan swasta", "Guru honorer", "Mengurus rumah tangga", "Belum bekerja", "Ojek",
    "Perangkat desa", "Peternak",
)
SKILLS = (
    "Menjahit", "Tata boga", "Bengkel motor", "Las", "Komputer", "Desain grafis", "Pertanian",
    "Peternakan", "Kerajinan bambu", "Barista", "Tata rias", "Futsal", "Marawis", "Pencak silat",
    "Qasidah", "Fotografi",
)
DISABILITIES = ("Tunadaksa", "Tunarungu", "Tunanetra", "Disabilitas intelektual")
PHONE_PREFIXES = ("0812", "0813", "0821", "0822", "0852", "0853", "0857", "0858", "0878", "0896", "0838")
#: Other places a NIK may come from (moved in): Cikeusal, an old Serang code the Kemendagri
#: list no longer has (360401), Tangerang, Cilegon, Jakarta, Bogor, Balaraja.
OTHER_PREFIXES = ("360423", "360401", "367101", "367201", "317101", "320101", "360301")
GUARDIAN_RELATIONS = ("Ayah", "Ibu", "Wali")


def _name(rng: random.Random, sex: str) -> str:
    if sex == "L":
        parts = [rng.choice(MALE)]
        if rng.random() < 0.45:
            parts.append(rng.choice(MALE))
        parts.append(rng.choice(SECOND))
    else:
        parts = [rng.choice(FEMALE)]
        if rng.random() < 0.35:
            parts.append(rng.choice(FEMALE))
        parts.append(rng.choice(FEMALE_SECOND if rng.random() < 0.6 else SHARED_SECOND))
    return " ".join(dict.fromkeys(parts))  # no "Siti Siti"


def _guess_sex(name: str) -> str:
    """Good enough for demo data: a known female given name (or Hj./Ibu) means P."""
    words = name.replace(".", " ").split()
    first = words[0] if words else ""
    if first in ("Hj", "Ibu", "Ny") and len(words) > 1:
        return "P"
    return "P" if first in FEMALE else "L"


def _age(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.03:
        return 10 + int(roll / 0.03 * 3)
    if roll < 0.93:
        return 13 + int((roll - 0.03) / 0.90 * 33)
    return 46 + int((roll - 0.93) / 0.07 * 15)


def _education(rng: random.Random, age: int) -> str:
    if age < 13:
        return "sd"
    if age < 16:
        return rng.choice(("sd", "smp"))
    if age < 19:
        return rng.choice(("smp", "sma"))
    return rng.choices(EDUCATIONS, weights=(1, 14, 24, 40, 6, 12, 2, 1))[0]


class _NikMaker:
    """Unique NIKs that agree with the birth date and sex."""

    def __init__(self, rng: random.Random, own_prefix: str | None) -> None:
        self.rng = rng
        self.own = own_prefix or "360422"
        self.serials: dict[str, int] = {}

    def make(self, born: dt.date, sex: str) -> str:
        prefix = self.own if self.rng.random() < 0.85 else self.rng.choice(OTHER_PREFIXES)
        day = born.day + (40 if sex == "P" else 0)
        stem = f"{prefix}{day:02d}{born.month:02d}{born.year % 100:02d}"
        serial = self.serials.get(stem, int(self.rng.random() * 4)) + 1
        self.serials[stem] = serial
        return f"{stem}{serial:04d}"


def make_members(
    rng: random.Random, today: dt.date, count: int, *, village_code: str,
    officers: dict[str, str] | None = None, dusun: tuple[str, ...] = DUSUN,
) -> list[Member]:
    """``count`` members of a village; ``officers`` maps a position to a name to give it.

    Written for speed (100,000 members in a few seconds): one ``random()`` per decision
    instead of ``randint``, and dates built from day offsets.
    """
    niks = _NikMaker(rng, kecamatan_prefix(village_code))
    seksi_heads = {name: False for name in DEFAULT_SEKSI}
    wanted = dict(officers or {})
    rand, pick = rng.random, rng.choice
    eight_years_ago = today - dt.timedelta(days=365 * 8)
    result: list[Member] = []
    for _index in range(count):
        sex = "L" if rand() < 0.51 else "P"
        age = _age(rng)
        born = years_before(today, age) - dt.timedelta(days=1 + int(rand() * 364))
        member = Member(
            name=_name(rng, sex),
            birth_place=pick(BIRTH_PLACES) if rand() < 0.9 else "",
            birth_date=born,
            sex=sex,
            religion="islam" if rand() < 0.95 else pick(("kristen", "katolik", "buddha")),
            dusun=pick(dusun),
            rt=f"{1 + int(rand() * 8):03d}",
            rw=f"{1 + int(rand() * 4):03d}",
            education=_education(rng, age),
            occupation="Pelajar" if age < 18 else pick(OCCUPATIONS),
        )
        if rand() < 0.96:
            member.nik = niks.make(born, sex)
        else:
            member.nik_missing_reason = (
                "Belum memiliki KTP/KK" if age < 17 else "KTP hilang, sedang diurus"
            )
        if age >= 15 and rand() < 0.75:
            digits = 7 if rand() < 0.5 else 8
            member.phone = pick(PHONE_PREFIXES) + str(int(10 ** (digits - 1) * (1 + 9 * rand())))
        if rand() < 0.35:
            member.skills = rng.sample(SKILLS, 1 + int(rand() * 3))
        if rand() < 0.02:
            member.disability = True
            member.disability_kind = pick(DISABILITIES)
        # Joined at 13 or later, within the last 8 years; children under 13 joined recently.
        earliest = max(born + dt.timedelta(days=13 * 365 + 4), eight_years_ago)
        if earliest >= today:
            earliest = today - dt.timedelta(days=200)
        member.joined_on = earliest + dt.timedelta(days=int(rand() * (today - earliest).days))
        if age < 18:
            if rand() < 0.6:
                member.guardian_name = f"Bapak {pick(MALE)} {pick(SECOND)}"
                member.guardian_relation = "Ayah"
            else:
                member.guardian_name = f"Ibu {pick(FEMALE)} {pick(FEMALE_SECOND)}"
                member.guardian_relation = "Ibu" if rand() < 0.8 else "Wali"
            member.consent_on = member.joined_on
        roll = rand()
        if roll < 0.05 and age >= 15:
            member.status = "keluar"
            member.left_reason = pick(
                ("pindah", "pindah", "mengundurkan_diri", "meninggal", "diberhentikan")
            )
            member.left_on = member.joined_on + dt.timedelta(
                days=int(rand() * (today - member.joined_on).days)
            )
        elif roll < 0.25:
            member.status = "pasif"
        if member.status != "keluar" and 19 <= age <= 40 and (wanted or rand() < min(1.0, 60 / count)):
            _maybe_officer(rng, member, today, wanted, seksi_heads)
        result.append(member)
    return result


def _maybe_officer(
    rng: random.Random, member: Member, today: dt.date, wanted: dict[str, str],
    seksi_heads: dict[str, bool],
) -> None:
    """Give the first suitable members the core positions, then heads and members of seksi."""
    start = dt.date(today.year - 2, 1, 15)
    for position in ("ketua", "wakil_ketua", "sekretaris", "wakil_sekretaris", "bendahara"):
        if position in wanted:
            name = wanted[position]
            if name and _guess_sex(name) != member.sex:
                continue  # the profile's officer goes to a member of their sex
            del wanted[position]
            if name:
                member.name = name
            member.position = position
            break
    else:
        free = [name for name, taken in seksi_heads.items() if not taken]
        if free:
            member.position, member.seksi = "ketua_seksi", free[0]
            seksi_heads[free[0]] = True
        else:
            member.position, member.seksi = "anggota_seksi", rng.choice(DEFAULT_SEKSI)
    member.position_start = max(start, years_before(member.birth_date or start, -17))
    member.position_end = start.replace(year=start.year + 5)
    member.status = "aktif"
    if member.joined_on and member.joined_on > member.position_start:
        member.joined_on = member.position_start


def fill(
    session: Session, rng: random.Random, today: dt.date, *, members: int = 150, months: int = 12
) -> dict[str, int]:
    """The demo step (``services.demo.DEMO_STEPS``): adds ``members`` members."""
    if members <= 0:
        return {"members": 0}
    db = session.db()
    profile = profile_store.load(db)
    officers = {"ketua": "", "wakil_ketua": "", "sekretaris": "", "wakil_sekretaris": "", "bendahara": ""}
    if profile is not None:
        officers.update(
            {k: v for k, v in (("ketua", profile.ketua), ("sekretaris", profile.sekretaris),
                               ("bendahara", profile.bendahara)) if v}
        )
    dusun = DUSUN
    if profile is not None and profile.dusun and profile.dusun not in DUSUN:
        dusun = (profile.dusun, *DUSUN[:5])
    rows = make_members(
        rng, today, members, village_code=session.code, officers=officers, dusun=dusun
    )
    store.bulk_insert(
        db, rows, village_code=session.code, actor=session.actor(),
        audit_detail=f"demo: {len(rows)} members", audit_each=False,
    )
    return {"members": len(rows)}
