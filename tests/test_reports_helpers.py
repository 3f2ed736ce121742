"""Data and PDF-reading helpers for the report tests (no tests of its own).

The data is made through the services a secretary's clicks go through, with fixed dates in
October 2025, so every figure a test expects can be worked out by hand from this file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw

from kt_desktop.domain.activities import Activity, Fund, Participant
from kt_desktop.domain.members import Member
from kt_desktop.domain.trainings import Participant as TrainingParticipant
from kt_desktop.domain.trainings import Training, TrainingSession
from kt_desktop.services import activities, members, photos, trainings
from kt_desktop.services.session import Session

#: The report month of the fixture, and the day reports are "printed" on.
YEAR, MONTH = 2025, 10
PRINTED = dt.date(2025, 11, 5)


def nik(day: int, month: int, year: int, sex: str, serial: int) -> str:
    """A NIK of Kecamatan Baros (36.04.22) agreeing with the birth date and sex."""
    dd = day + 40 if sex == "P" else day
    return f"360422{dd:02d}{month:02d}{year % 100:02d}{serial:04d}"


@dataclass
class Village:
    """What the fixture recorded, for the tests to compare the PDFs with."""

    members: dict[str, str] = field(default_factory=dict)  # name -> id
    niks: dict[str, str] = field(default_factory=dict)  # name -> NIK
    activities: dict[str, str] = field(default_factory=dict)  # title -> id
    training_id: str = ""
    graduates: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


MEMBERS = [
    # name, sex, birth, joined, status, left_on
    ("Ahmad Fauzi", "L", dt.date(1995, 3, 12), dt.date(2019, 1, 10), "aktif", None),
    ("Siti Nurhaliza", "P", dt.date(1998, 7, 1), dt.date(2019, 1, 10), "aktif", None),
    ("Dedi Kurniawan", "L", dt.date(2001, 8, 17), dt.date(2021, 5, 2), "aktif", None),
    ("Rina Marlina", "P", dt.date(2000, 2, 28), dt.date(2020, 6, 1), "aktif", None),
    ("Ujang Supriatna", "L", dt.date(1990, 11, 30), dt.date(2018, 3, 3), "aktif", None),
    ("Nur'aini Lestari", "P", dt.date(2003, 4, 9), dt.date(2025, 10, 12), "aktif", None),
    ("Bayu Pratama", "L", dt.date(1999, 9, 21), dt.date(2020, 1, 5), "keluar",
     dt.date(2025, 10, 15)),
]


def add_members(session: Session, village: Village) -> None:
    for serial, (name, sex, birth, joined, status, left_on) in enumerate(MEMBERS, start=1):
        number = nik(birth.day, birth.month, birth.year, sex, serial)
        member = Member(
            name=name, nik=number, birth_place="Serang", birth_date=birth, sex=sex,
            religion="islam", dusun="Kampung Cilaku", rt="002", rw="003", education="sma",
            occupation="Wiraswasta", status=status, joined_on=joined, left_on=left_on,
            left_reason="pindah" if left_on else "",
        )
        result = members.save(session, member, confirm=True, today=PRINTED)
        village.members[name] = result.id
        village.niks[name] = number


def photo_bytes(colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", (800, 600), colour)
    ImageDraw.Draw(image).rectangle((200, 150, 600, 450), fill=(240, 240, 240))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def add_activities(session: Session, village: Village) -> None:
    ids = village.members
    plan = [
        Activity(
            title="Pemeriksaan kesehatan gratis lansia", kind="Pemeriksaan kesehatan",
            status="terlaksana", start=dt.date(2025, 10, 5), place="Balai Desa Baros",
            participants=[Participant(ids["Ahmad Fauzi"]), Participant(ids["Siti Nurhaliza"]),
                          Participant(ids["Dedi Kurniawan"]),
                          Participant(ids["Rina Marlina"], attended=False)],
            volunteers=2,
            beneficiaries={(8, "L", "lansia"): 7, (8, "P", "lansia"): 9, (27, "P", "dewasa"): 4},
            funds=[Fund("swadaya", 500_000), Fund("dana_desa", 2_450_000)],
            photos=[photos.intake_bytes(photo_bytes((40, 90, 160)), "lansia.jpg",
                                        "Pemeriksaan tekanan darah")],
        ),
        Activity(
            title="Kerja bakti saluran air", kind="Kerja bakti / lingkungan hidup",
            status="terlaksana", start=dt.date(2025, 10, 20), end=dt.date(2025, 10, 21),
            place="RW 003", participants=[Participant(ids["Ujang Supriatna"]),
                                          Participant(ids["Dedi Kurniawan"])],
            beneficiaries={(27, "L", "dewasa"): 30, (27, "P", "dewasa"): 25},
            funds=[Fund("swadaya", 150_000)],
        ),
        Activity(
            title="Santunan anak yatim", kind="Santunan", status="rencana",
            start=dt.date(2025, 10, 28), place="Masjid Al-Ikhlas",
            funds=[Fund("donatur", 1_000_000)],
        ),
        Activity(
            title="Rapat pengurus September", kind="Rapat", status="terlaksana",
            start=dt.date(2025, 9, 10), place="Sekretariat",
            participants=[Participant(ids["Ahmad Fauzi"])],
        ),
    ]
    for activity in plan:
        village.activities[activity.title] = activities.save(session, activity, today=PRINTED)


def add_training(session: Session, village: Village) -> None:
    training_id = trainings.save_training(
        session,
        Training(
            title="Pelatihan Menjahit Dasar", skill_field="Menjahit", organizer="Karang Taruna",
            partner="BLK Serang", partner_kind="blk", trainer="Ibu Euis", place="Aula BLK",
            start_date=dt.date(2025, 10, 1), end_date=dt.date(2025, 10, 25),
        ),
    )
    village.training_id = training_id
    days = [dt.date(2025, 10, day) for day in (4, 11, 18, 25)]
    session_ids = [
        trainings.save_session(session, TrainingSession(training_id, day, f"Materi {i}", 3.0))
        for i, day in enumerate(days, start=1)
    ]
    names = ["Siti Nurhaliza", "Rina Marlina", "Nur'aini Lestari"]
    trainings.add_members(session, training_id, [village.members[n] for n in names])
    trainings.save_non_member(
        session,
        TrainingParticipant(training_id=training_id, name="Euis Komariah", sex="P",
                            birth_date=dt.date(1997, 5, 5)),
        today=PRINTED,
    )
    sheet = trainings.load_attendance(session, training_id)
    codes = {"Siti Nurhaliza": "HHHH", "Rina Marlina": "HHHA", "Nur'aini Lestari": "HAAI",
             "Euis Komariah": "HHHH"}
    cells = {}
    for participant in sheet.participants:
        for session_id, code in zip(session_ids, codes[participant.name], strict=True):
            cells[(session_id, participant.id)] = code
    trainings.save_attendance(session, training_id, cells)
    village.graduates = ["Euis Komariah", "Rina Marlina", "Siti Nurhaliza"]
    village.failed = ["Nur'aini Lestari"]


def fill_village(session: Session) -> Village:
    village = Village()
    add_members(session, village)
    add_activities(session, village)
    add_training(session, village)
    return village


# -- reading PDFs back --------------------------------------------------------------------


def pdf_pages(path: Path) -> list[str]:
    """Each page's text as ``pdftotext -layout`` reads it, runs of spaces made one."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [re.sub(r"[ \t\u00a0]+", " ", page) for page in pages]


def pdf_text(path: Path) -> str:
    return "\n".join(pdf_pages(path))


def flat(text: str) -> str:
    """Text with its line breaks made spaces, for sentences a paragraph may wrap."""
    return re.sub(r"\s+", " ", text)


def embedded_fonts(path: Path) -> list[tuple[str, str]]:
    """(font name, embedded yes/no) from ``pdffonts``."""
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True,
                         text=True).stdout.splitlines()[2:]
    rows = []
    for line in out:
        parts = line.split()
        # name type encoding emb sub uni object ID; "emb" is the 4th-from-last-but-2 column
        rows.append((parts[0], parts[-5]))
    return rows
