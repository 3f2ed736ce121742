"""Demo data for meetings and letters, so the pages of the Buku Notulen and the agendas are
never empty in the demo: two meetings a month (the officers monthly, the members every other
month), their attendance from the register plus a guest or
two, minutes, decisions and follow-ups (the older ones done); letters received each month
with a disposition; an invitation for each meeting taken from the register's numbering.
Everything is written through the services, so demo rows obey the same rules."""

from __future__ import annotations

import datetime as dt
import random

from kt_desktop.domain.book import book
from kt_desktop.domain.trainings import add_months
from kt_desktop.services import books, surat
from kt_desktop.services.session import Session
from kt_desktop.store import members as member_store

TOPICS = (
    ("Persiapan peringatan HUT RI", ("Susunan panitia", "Lomba dan hadiah", "Anggaran")),
    ("Evaluasi kegiatan bulan lalu", ("Laporan kegiatan", "Laporan kas", "Kendala")),
    ("Rencana kerja bakti lingkungan", ("Lokasi dan jadwal", "Pembagian tugas")),
    ("Persiapan pelatihan keterampilan", ("Mitra pelatihan", "Peserta", "Tempat")),
    ("Penggalangan dana sosial", ("Sasaran bantuan", "Cara penggalangan")),
)
TASKS = ("Menghubungi Pemerintah Desa", "Menyusun proposal", "Menyewa tenda dan sound system",
         "Membuat daftar peserta", "Menyiapkan laporan kas", "Mengirim undangan")
GUESTS = (("Bapak Kepala Dusun", "Pemerintah Desa"), ("Ibu Ketua PKK", "TP PKK Desa"),
          ("Pendamping Desa", "Kemendes PDTT"))
SENDERS = (("Pemerintah Desa Baros", "Undangan Musrenbangdes"),
           ("Dinas Sosial Kabupaten Serang", "Pendataan PPKS"),
           ("Karang Taruna Kecamatan Baros", "Undangan rapat koordinasi"),
           ("Puskesmas Baros", "Sosialisasi bahaya NAPZA"),
           ("TP PKK Desa", "Permohonan bantuan tenaga posyandu"))


def fill(session: Session, rng: random.Random, today: dt.date, *, members: int = 150,
         months: int = 12) -> dict[str, int]:
    meetings, letters_in, letters_out = book("rapat"), book("surat-masuk"), 0
    people = [m for m in member_store.iter_all(session.db()) if m.status == "aktif"]
    officers = [m for m in people if m.position] or people[:8]
    added = {meetings.table: 0, letters_in.table: 0, "letters_out": 0}
    start = add_months(today.replace(day=1), -max(months - 1, 0))
    for index in range(months):
        first = add_months(start, index)
        for kind, day in (("pengurus", 5), ("anggota", 20)):
            if kind == "anggota" and index % 2:
                continue
            when = first.replace(day=day)
            if when > today:
                continue
            title, agenda = TOPICS[(index + day) % len(TOPICS)]
            crowd = officers if kind == "pengurus" else people
            present = rng.sample(crowd, min(len(crowd), rng.randint(8, 25)))
            guests = [dict(name=n, institution=i) for n, i in rng.sample(GUESTS, rng.randint(0, 2))]
            done = when < add_months(today, -1)
            tasks = [{"task": task, "member_id": rng.choice(present).id if present else "",
                      "due_date": when + dt.timedelta(days=rng.randint(5, 20)),
                      "state": "selesai" if done else "belum"}
                     for task in rng.sample(TASKS, 2)]
            meeting_id = books.add(session, meetings, {
                "kind": kind, "title": title, "meeting_date": when, "start_time": "19.30 WIB",
                "place": "Balai Desa Baros" if kind == "anggota" else "Sekretariat",
                "chair": officers[0].name if officers else "", "notulis":
                officers[1].name if len(officers) > 1 else "",
                "decisions": f"Disepakati: {agenda[0].lower()} dibahas tuntas; "
                             f"{agenda[-1].lower()} ditindaklanjuti pengurus."},
                children={"hadir": [{"member_id": m.id} for m in present] + guests,
                 "acara": [{"topic": t, "minutes": f"Peserta membahas {t.lower()}; usulan "
                                                  "dicatat dan disepakati bersama."}
                           for t in agenda],
                 "tindak_lanjut": tasks})
            added[meetings.table] += 1
            number_day = max(when - dt.timedelta(days=3), first)
            if number_day <= today:
                surat.take_number(session, code="UND", subject=f"Undangan {title}",
                                  addressee="Pengurus dan anggota", day=number_day,
                                  template="undangan", rapat_id=meeting_id)
                letters_out += 1
        for offset in (3, 16):
            when = first.replace(day=offset)
            if when > today:
                continue
            sender, subject = SENDERS[(index + offset) % len(SENDERS)]
            books.add(session, letters_in, {
                "received_date": when, "sender": sender, "their_number": f"{rng.randint(10, 400)}"
                f"/{rng.randint(1, 99):02d}/{when.year}", "their_date": when - dt.timedelta(days=2),
                "subject": subject, "disposition_to": rng.choice(("Ketua", "Sekretaris",
                                                                   "Seksi Usaha Ekonomi")),
                "instruction": "Ditindaklanjuti dan dilaporkan pada rapat pengurus.",
                "due_date": when + dt.timedelta(days=7),
                "state": "selesai" if when < add_months(today, -1) else "belum"})
            added[letters_in.table] += 1
    added["letters_out"] = letters_out
    return added
