"""Buku Notulen dan Daftar Hadir Rapat: every meeting, who came, what was discussed and
decided, and the follow-ups decided in it.

The meeting is a book record; its attendance, agenda items (with their minutes) and
follow-ups are :class:`~kt_desktop.domain.book.ChildRows` of it, edited as grids in the
form. Printed: the attendance sheet to sign and the minutes (notulen / berita acara) signed by
the chair and the minute-taker (``reports/notulen.py``); the invitation is a letter
(``services/surat.py``). Open follow-ups are listed on Beranda until done, and in the minutes
of the next meeting of the same kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kt_desktop.domain.book import (
    CHOICE,
    DATE,
    MULTILINE,
    Attachments,
    BookSpec,
    ChildRows,
    Column,
    Field,
    Filter,
    ReceiverCount,
    RegisterColumn,
    RegisterSpec,
    Section,
)
from kt_desktop.i18n import N_

MUSYAWARAH = "musyawarah"
#: The kinds of meeting; the Musyawarah Warga Karang Taruna elects the officers.
KINDS = (
    ("pengurus", N_("Officers' meeting (rapat pengurus)")),
    ("anggota", N_("Members' meeting (rapat anggota)")),
    ("koordinasi", N_("Coordination meeting (rapat koordinasi)")),
    (MUSYAWARAH, N_("Musyawarah Warga Karang Taruna")),
)
DONE, OPEN = "selesai", "belum"
FOLLOW_UP_STATES = ((OPEN, N_("Not done yet")), (DONE, N_("Done")))


def member_or_name(values: Mapping[str, Any]) -> tuple[str, str] | None:
    """Who attended: a member picked from the register, or a guest's name."""
    if not values.get("member_id") and not values.get("name"):
        return "name", N_("Pick a member or write the guest's name.")
    return None


ATTENDANCE = ChildRows(
    key="hadir",
    table="meeting_attendance",
    title=N_("Attendance"),
    fields=(
        Field("member_id", N_("Member"), max_length=40, lookup="member", personal=False),
        Field("name", N_("Guest's name"), max_length=120),
        Field("institution", N_("Institution"), max_length=160,
              placeholder=N_("e.g. Pemerintah Desa, PKK")),
    ),
    checks=(member_or_name,),
)
AGENDA = ChildRows(
    key="acara",
    table="meeting_agenda",
    title=N_("Agenda and minutes"),
    personal=False,
    fields=(
        Field("topic", N_("Agenda item"), required=True, max_length=200),
        Field("minutes", N_("Minutes"), MULTILINE, max_length=4000),
    ),
    start_rows=1,
)
FOLLOW_UPS = ChildRows(
    key="tindak_lanjut",
    table="meeting_followups",
    title=N_("Follow-ups"),
    personal=False,
    fields=(
        Field("task", N_("What"), required=True, max_length=200),
        Field("member_id", N_("Who"), max_length=40, lookup="member"),
        Field("due_date", N_("Due"), DATE),
        Field("state", N_("Follow-up state"), CHOICE, choices=FOLLOW_UP_STATES, default=OPEN),
    ),
    hint="kt_desktop.services.rapat:earlier_hint",
)

BOOK = BookSpec(
    key="rapat",
    table="meetings",
    title=N_("Meetings"),
    description=N_("The Buku Notulen dan Daftar Hadir Rapat: every meeting, who came, the "
                   "minutes of each agenda item, the decisions and their follow-ups."),
    noun=(N_("meeting"), N_("meetings")),
    personal=False,
    fields=(
        Field("kind", N_("Kind of meeting"), CHOICE, required=True, choices=KINDS,
              default="pengurus", sheet="Jenis Rapat", aliases=("jenis",)),
        Field("title", N_("Subject"), required=True, max_length=160,
              placeholder=N_("e.g. Persiapan peringatan HUT RI"),
              sheet="Perihal", aliases=("acara", "judul")),
        Field("meeting_date", N_("Date"), DATE, required=True, sheet="Tanggal", aliases=("tgl",)),
        Field("start_time", N_("Time"), max_length=30,
              placeholder=N_("e.g. 19.30 WIB"), sheet="Waktu", aliases=("jam",), text_cell=True),
        Field("place", N_("Place"), max_length=160,
              placeholder=N_("e.g. Balai Desa"), sheet="Tempat", aliases=("lokasi",)),
        Field("chair", N_("Chair (pimpinan rapat)"), max_length=120,
              sheet="Pimpinan Rapat", aliases=("pimpinan",)),
        Field("notulis", N_("Minute-taker (notulis)"), max_length=120,
              sheet="Notulis", aliases=("notula",)),
        Field("decisions", N_("Decisions"), MULTILINE, max_length=4000,
              sheet="Keputusan", aliases=("hasil",)),
        Field("elected", N_("Officers elected"), MULTILINE, max_length=2000,
              placeholder=N_("Musyawarah Warga only: one officer a line, e.g. Ketua: Budi")),
    ),
    columns=(
        Column("meeting_date", 100), Column("kind", 170, optional=True), Column("title", 0),
        Column("place", 140, optional=True), Column("chair", 130, optional=True),
    ),
    search=("title", "place", "chair", "decisions"),
    filters=(
        Filter("meeting_date", "year", N_("All years")),
        Filter("kind", "choice", N_("Every kind")),
    ),
    label_field="title",
    date_field="meeting_date",
    sections=(
        Section(N_("Meeting"), ("kind", "title", "meeting_date", "start_time", "place",
                                "chair", "notulis")),
        Section(N_("Outcome"), ("decisions", "elected")),
    ),
    sheet_order=("meeting_date", "kind", "title", "start_time", "place", "chair", "notulis",
                 "decisions"),
    register=RegisterSpec(
        title=N_("Book of Meetings"),
        columns=(
            RegisterColumn("meeting_date", 20), RegisterColumn("kind", 44),
            RegisterColumn("title", 0), RegisterColumn("place", 36), RegisterColumn("chair", 36),
            RegisterColumn("decisions", 70),
        ),
        closing=N_("This book of meetings was kept truthfully."),
        empty=N_("No meetings are recorded for this period."),
    ),
    children=(ATTENDANCE, AGENDA, FOLLOW_UPS),
    attachments=Attachments(N_("Photos of the meeting"),
                            hint=N_("No photos yet. Add photos of the meeting.")),
    receiver_count=ReceiverCount(N_("Meetings")),
    icon="users",
    min_version=13,
)
