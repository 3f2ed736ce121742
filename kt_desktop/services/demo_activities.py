"""Demo data for the Buku Kegiatan: a year of what a working Karang Taruna in Baros records.

3–5 activities a month of the usual kinds (domain notes), with the partners such a village
really works with (Puskesmas Baros, Dinas Sosial, BLK Serang, a local company's CSR), a Bulan
Bhakti Karang Taruna campaign in September (Hari Karang Taruna is 26 September), participants
drawn from the members the members step made, plausible beneficiary counts, funds, and a few
documentation photos drawn here with Pillow (nothing is downloaded).

Written through :func:`services.activities.save`, so demo rows obey the same rules, carry the
same identity columns and audit lines as typed ones.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from kt_desktop.domain import activities as rules
from kt_desktop.domain.activities import Activity, BeneficiaryKey, Fund, Participant
from kt_desktop.services import activities as service
from kt_desktop.services import photos
from kt_desktop.services.session import Session
from kt_desktop.store import activities as store
from kt_desktop.store import profile as profile_store

KAMPUNG = ("Cilaku", "Sukamaju", "Pasir Angin", "Cibanten", "Kadu Gede", "Babakan")
PHOTO_LIMIT = 8

Beneficiaries = Callable[[random.Random], dict[BeneficiaryKey, int]]


def _cells(
    rng: random.Random, code: int, bands: dict[str, tuple[int, int]], sexes: str = "LP"
) -> dict[BeneficiaryKey, int]:
    return {(code, sex, band): rng.randint(low, high)
            for sex in sexes for band, (low, high) in bands.items()}


def _none(rng: random.Random) -> dict[BeneficiaryKey, int]:
    return {}


@dataclass(frozen=True, slots=True)
class Template:
    title: str  # may use {kampung} and {rw}
    kind: str
    section: str
    partners: tuple[str, ...]
    places: tuple[str, ...]
    beneficiaries: Beneficiaries
    funds: tuple[tuple[str, int, int], ...]  # (source, min, max) in thousands of rupiah
    description: str
    participants: tuple[int, int] = (6, 18)


def _pmt(rng: random.Random) -> dict[BeneficiaryKey, int]:
    counts = _cells(rng, 27, {"balita": (12, 30)})
    counts.update(_cells(rng, 1, {"balita": (0, 2)}))
    counts[(23, "P", "dewasa")] = rng.randint(2, 8)
    return counts


def _lansia(rng: random.Random) -> dict[BeneficiaryKey, int]:
    counts = _cells(rng, 27, {"lansia": (10, 25)})
    counts.update(_cells(rng, 8, {"lansia": (1, 4)}))
    counts.update(_cells(rng, 9, {"dewasa": (0, 2), "lansia": (0, 2)}))
    return counts


def _santunan(rng: random.Random) -> dict[BeneficiaryKey, int]:
    counts = _cells(rng, 2, {"anak": (4, 12)})
    counts.update(_cells(rng, 24, {"dewasa": (3, 8), "lansia": (2, 6)}))
    counts[(8, "P", "lansia")] = rng.randint(1, 4)
    return counts


def _bedah_rumah(rng: random.Random) -> dict[BeneficiaryKey, int]:
    return {(24, "L", "dewasa"): 1, (24, "P", "dewasa"): 1, (24, "L", "anak"): rng.randint(0, 2),
            (24, "P", "anak"): rng.randint(1, 2), (24, "P", "lansia"): rng.randint(0, 1)}


def _umum(rng: random.Random) -> dict[BeneficiaryKey, int]:
    return _cells(rng, 27, {"anak": (5, 20), "dewasa": (15, 45), "lansia": (2, 10)})


def _penyuluhan(rng: random.Random) -> dict[BeneficiaryKey, int]:
    counts = _cells(rng, 27, {"anak": (25, 60)})
    counts[(17, "L", "anak")] = rng.randint(0, 2)
    return counts


def _bencana(rng: random.Random) -> dict[BeneficiaryKey, int]:
    return _cells(rng, 21, {"balita": (2, 8), "anak": (6, 15), "dewasa": (10, 30),
                            "lansia": (2, 8)})


def _uep(rng: random.Random) -> dict[BeneficiaryKey, int]:
    counts = {(23, "P", "dewasa"): rng.randint(6, 15)}
    counts.update(_cells(rng, 24, {"dewasa": (1, 4)}))
    return counts


def _kehamilan(rng: random.Random) -> dict[BeneficiaryKey, int]:
    return {(27, "P", "dewasa"): rng.randint(18, 40), (23, "P", "dewasa"): rng.randint(2, 6)}


TEMPLATES: tuple[Template, ...] = (
    Template("Posyandu dan PMT balita RW {rw}", "Pemberian makanan bergizi / PMT balita",
             "Seksi Pelayanan Sosial", ("Puskesmas Baros",), ("Posyandu Melati RW {rw}",),
             _pmt, (("dana_desa", 750, 1500), ("swadaya", 100, 300)),
             "Penimbangan balita, pemberian bubur kacang hijau dan telur rebus, "
             "penyuluhan gizi oleh bidan desa."),
    Template("Pemeriksaan kesehatan gratis lansia Kp. {kampung}", "Pemeriksaan kesehatan",
             "Seksi Pelayanan Sosial", ("Puskesmas Baros",), ("Balai Desa Baros",),
             _lansia, (("dana_desa", 500, 1200),),
             "Cek tensi, gula darah dan asam urat; rujukan bagi yang perlu."),
    Template("Santunan anak yatim dan warga kurang mampu", "Santunan",
             "Seksi Pelayanan Sosial", ("Dinas Sosial Kabupaten Serang", "Baznas Kabupaten Serang"),
             ("Masjid Al-Ikhlas Kp. {kampung}",), _santunan,
             (("donatur", 2000, 6000), ("swadaya", 300, 800)),
             "Santunan uang tunai dan paket sembako."),
    Template("Bedah rumah warga Kp. {kampung}", "Bedah rumah", "Seksi Pelayanan Sosial",
             ("Dinas Sosial Kabupaten Serang", "CSR PT Baros Sinar Makmur"), ("Kp. {kampung}",),
             _bedah_rumah, (("csr", 8000, 15000), ("swadaya", 500, 1500), ("dana_desa", 0, 3000)),
             "Perbaikan atap, dinding dan lantai rumah tidak layak huni; gotong royong pemuda.",
             (10, 25)),
    Template("Kerja bakti bersih kali Cibanten", "Kerja bakti / lingkungan hidup",
             "Seksi Lingkungan Hidup", ("",), ("Bantaran kali Cibanten",), _umum,
             (("swadaya", 100, 400),), "Membersihkan sampah dan eceng gondok sepanjang 1 km.",
             (12, 30)),
    Template("Penyuluhan bahaya NAPZA bagi pelajar", "Penyuluhan", "Seksi Pembinaan Mental",
             ("BNN Kabupaten Serang", "Polsek Baros"), ("SMPN 1 Baros",), _penyuluhan,
             (("dana_desa", 300, 800),), "Materi dari BNN, tanya jawab, pembentukan duta anti narkoba."),
    Template("Turnamen bola voli antar-RT", "Olahraga", "Seksi Olahraga dan Seni Budaya",
             ("",), ("Lapangan Desa Baros",), _umum,
             (("swadaya", 500, 1500), ("donatur", 0, 1000)), "Diikuti 8 tim putra dan 4 tim putri."),
    Template("Pengajian remaja bulanan", "Keagamaan / pembinaan mental", "Seksi Pembinaan Mental",
             ("",), ("Masjid Al-Ikhlas Kp. {kampung}",), _umum, (("swadaya", 50, 200),),
             "Kajian rutin dan santunan kecil untuk jamaah lansia."),
    Template("Rapat pengurus bulanan", "Rapat", "Seksi Publikasi dan Dokumentasi", ("",),
             ("Sekretariat Karang Taruna",), _none, (("swadaya", 50, 150),),
             "Evaluasi kegiatan bulan lalu dan rencana bulan depan.", (8, 15)),
    Template("Pendampingan kelompok UEP keripik pisang", "Usaha ekonomi produktif (UEP)",
             "Seksi Usaha Ekonomi Produktif", ("Dinas Koperasi dan UKM Kabupaten Serang",
                                                "BLK Serang"), ("Rumah produksi Kp. {kampung}",),
             _uep, (("pemda", 1000, 3000), ("swadaya", 100, 400)),
             "Pendampingan pengemasan, label halal (PIRT) dan pemasaran daring."),
    Template("Pentas seni debus dan pencak silat", "Seni budaya", "Seksi Olahraga dan Seni Budaya",
             ("",), ("Alun-alun Desa Baros",), _umum, (("swadaya", 300, 900),),
             "Pentas dalam rangka peringatan hari besar."),
)

DISASTER = Template(
    "Tanggap banjir Kp. {kampung}", "Tanggap bencana", "Seksi Pelayanan Sosial",
    ("Tagana Kabupaten Serang", "Dinas Sosial Kabupaten Serang"), ("Kp. {kampung}",), _bencana,
    (("pemda", 1500, 5000), ("donatur", 1000, 3000), ("swadaya", 200, 600)),
    "Evakuasi warga, dapur umum dan pembagian logistik.", (12, 30),
)

CAMPAIGN_TEMPLATES: tuple[Template, ...] = (
    Template("Pemeriksaan kehamilan gratis", "Pemeriksaan kesehatan", "Seksi Pelayanan Sosial",
             ("Puskesmas Baros",), ("Puskesmas Pembantu Baros",), _kehamilan,
             (("dana_desa", 1000, 2000), ("csr", 1000, 2500)),
             "Pemeriksaan kehamilan, tablet tambah darah dan kelas ibu hamil."),
    Template("Donor darah Bulan Bhakti", "Bakti sosial", "Seksi Pelayanan Sosial",
             ("PMI Kabupaten Serang",), ("Balai Desa Baros",), _umum, (("swadaya", 200, 500),),
             "Terkumpul kantong darah untuk PMI; snack bagi pendonor."),
    Template("Bakti sosial pembagian sembako", "Bakti sosial", "Seksi Pelayanan Sosial",
             ("CSR PT Baros Sinar Makmur",), ("Balai Desa Baros",), _santunan,
             (("csr", 3000, 8000),), "Paket sembako untuk keluarga pra-sejahtera."),
)


def _month_starts(today: dt.date, months: int) -> list[dt.date]:
    first = today.replace(day=1)
    starts = []
    for back in range(months - 1, -1, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        starts.append(dt.date(year, month + 1, 1))
    return starts


def _days_in(month: dt.date) -> int:
    return ((month + dt.timedelta(days=32)).replace(day=1) - month).days


#: What a secretary writes under a photo: what it shows, not the activity's title again.
PHOTO_CAPTIONS = (
    "Foto bersama peserta di {place}",
    "Suasana kegiatan",
    "Penyerahan bantuan kepada penerima manfaat",
    "Pengurus dan relawan sebelum kegiatan dimulai",
)


def _build(
    template: Template, rng: random.Random, day: dt.date, today: dt.date, members: list[str],
    campaign: str = "",
) -> Activity:
    fill = {"kampung": rng.choice(KAMPUNG), "rw": f"{rng.randint(1, 6):02d}"}
    end = day + dt.timedelta(days=rng.randint(1, 4)) if template.kind in (
        "Bedah rumah", "Tanggap bencana") else None
    last = end or day
    if last > today:
        status = rules.RENCANA
    else:
        status = rules.BATAL if rng.random() < 0.06 else rules.TERLAKSANA
    activity = Activity(
        title=template.title.format(**fill),
        kind=template.kind,
        status=status,
        start=day,
        end=end,
        place=rng.choice(template.places).format(**fill),
        section=template.section,
        partner=rng.choice(template.partners),
        campaign=campaign,
        description=template.description,
    )
    if status != rules.BATAL:
        activity.beneficiaries = rules.without_zeros(template.beneficiaries(rng))
        activity.funds = [
            Fund(source=source, amount=rng.randint(low, high) * 1000)
            for source, low, high in template.funds
            if high > 0
        ]
        activity.funds = [fund for fund in activity.funds if fund.amount > 0]
    if members and status == rules.TERLAKSANA:
        low, high = template.participants
        chosen = rng.sample(members, min(len(members), rng.randint(low, high)))
        activity.participants = [
            Participant(member_id=member_id, attended=rng.random() < 0.88) for member_id in chosen
        ]
        activity.volunteers = rng.choice((0, 0, 2, 3, 5, 8))
    elif members and status == rules.RENCANA:
        chosen = rng.sample(members, min(len(members), rng.randint(3, 6)))
        activity.participants = [Participant(member_id=m, attended=False) for m in chosen]
    return activity


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except (OSError, TypeError):  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def draw_photo(rng: random.Random, title: str, when: dt.date, kt_name: str) -> bytes:
    """A 1200×900 "documentation photo": sky, ground, a banner and a group of people."""
    width, height = 1200, 900
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    sky = (rng.randint(90, 140), rng.randint(160, 200), rng.randint(220, 250))
    for y in range(height // 2):
        shade = y / (height / 2)
        draw.line([(0, y), (width, y)], fill=tuple(int(c * (1 - 0.25 * shade)) for c in sky))
    ground = rng.choice(((96, 140, 70), (150, 130, 100), (120, 120, 120)))
    draw.rectangle([0, height // 2, width, height], fill=ground)
    # a building behind (balai desa / masjid)
    bx = rng.randint(60, 500)
    draw.rectangle([bx, 260, bx + 520, height // 2 + 40], fill=(235, 225, 200))
    draw.polygon([(bx - 30, 260), (bx + 260, 140), (bx + 550, 260)], fill=(170, 60, 40))
    for i in range(4):
        draw.rectangle([bx + 40 + i * 120, 320, bx + 100 + i * 120, 400], fill=(90, 70, 50))
    # the banner every Karang Taruna photo has
    draw.rectangle([120, 60, width - 120, 200], fill=(200, 30, 40), outline=(255, 255, 255),
                   width=6)
    for text, y, size in ((kt_name.upper(), 100, 34), (f"{title}, {when:%d/%m/%Y}", 160, 28)):
        font = _font(size)
        while size > 12 and draw.textlength(text, font=font) > width - 280:
            size -= 2
            font = _font(size)
        draw.text((width // 2, y), text, fill="white", font=font, anchor="mm")
    # people in a row
    for i in range(rng.randint(6, 11)):
        x = 90 + i * 100 + rng.randint(-20, 20)
        y = 560 + rng.randint(-30, 30)
        shirt = rng.choice(((250, 200, 40), (40, 90, 180), (230, 230, 230), (200, 60, 60)))
        draw.ellipse([x - 22, y - 110, x + 22, y - 66], fill=(150, 105, 75))
        draw.rectangle([x - 32, y - 66, x + 32, y + 40], fill=shirt)
        draw.rectangle([x - 26, y + 40, x - 4, y + 130], fill=(40, 40, 60))
        draw.rectangle([x + 4, y + 40, x + 26, y + 130], fill=(40, 40, 60))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return out.getvalue()


def fill(
    session: Session, rng: random.Random, today: dt.date, *, members: int = 150,
    months: int = 12,
) -> dict[str, int]:
    """Add ``months`` months of activities (and next month's plans); rows added per table."""
    if months <= 0:
        return {}
    db = session.db()
    member_ids = store.member_ids(db)
    profile = profile_store.load(db)
    kt_name = profile.name if profile else "Karang Taruna"
    made: list[Activity] = []
    month_starts = _month_starts(today, months)
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    campaign_month = next(
        (m for m in reversed(month_starts) if m.month == 9), month_starts[len(month_starts) // 2]
    )
    disaster_month = rng.choice([m for m in month_starts if m.month in (1, 2, 12)] or month_starts)
    for month in [*month_starts, next_month]:
        days = _days_in(month)
        planned: list[tuple[Template, str]] = []
        if month == next_month:
            planned = [(t, "") for t in rng.sample(TEMPLATES, 2)]
        else:
            planned = [(t, "") for t in rng.sample(TEMPLATES, rng.randint(3, 5))]
            if month == campaign_month:
                name = f"Bulan Bhakti Karang Taruna {month.year}"
                planned += [(t, name) for t in CAMPAIGN_TEMPLATES]
            if month == disaster_month:
                planned.append((DISASTER, ""))
        for template, campaign in planned:
            day = month.replace(day=rng.randint(1, days))
            made.append(_build(template, rng, day, today, member_ids, campaign))
    made.sort(key=lambda a: a.start or today)
    photographed = [a for a in made if a.status == rules.TERLAKSANA and a.beneficiaries][-4:]
    photo_count = 0
    for activity in photographed:
        for index in range(rng.randint(1, 2)):
            if photo_count >= PHOTO_LIMIT:
                break
            assert activity.start is not None
            raw = draw_photo(rng, activity.title, activity.start, kt_name)
            photo = photos.intake_bytes(
                raw, f"IMG_{activity.start:%Y%m%d}_{index + 1:02d}.jpg",
                caption=PHOTO_CAPTIONS[(photo_count + index) % len(PHOTO_CAPTIONS)].format(
                    place=activity.place
                ),
            )
            activity.photos.append(photo)
            photo_count += 1
    counts = {"activities": 0, "activity_participants": 0, "activity_beneficiaries": 0,
              "activity_funds": 0, "attachments": 0}
    for activity in made:
        service.save(session, activity, today=today)
        counts["activities"] += 1
        counts["activity_participants"] += len(activity.participants)
        counts["activity_beneficiaries"] += len(activity.beneficiaries)
        counts["activity_funds"] += len(activity.funds)
        counts["attachments"] += len(activity.photos)
    return counts
