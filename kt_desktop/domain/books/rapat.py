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

from kt_desktop.domain import book as bk
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


def follow_up_state(label: str, **more: Any) -> bk.Field:
    """Whether a follow-up was done (a meeting's, a letter's disposition): not yet, until
    someone says so."""
    return bk.Field("state", label, bk.CHOICE, choices=FOLLOW_UP_STATES, default=OPEN, **more)


ATTENDANCE = bk.ChildRows(
    key="hadir",
    table="meeting_attendance",
    title=N_("Attendance"),
    personal=True,  # the guests' names, unlike the meeting's other rows
    fields=(
        bk.Field("member_id", N_("Member"), max_length=40, lookup="member", personal=False),
        bk.Field("name", N_("Guest's name"), max_length=120),
        bk.Field("institution", N_("Institution"), max_length=160,
                 placeholder=N_("e.g. Pemerintah Desa, PKK")),
    ),
    checks=(member_or_name,),
)
AGENDA = bk.ChildRows(
    key="acara",
    table="meeting_agenda",
    title=N_("Agenda and minutes"),
    fields=(
        bk.Field("topic", N_("Agenda item"), required=True, max_length=200),
        bk.Field("minutes", N_("Minutes"), bk.MULTILINE, max_length=4000),
    ),
    start_rows=1,
)
FOLLOW_UPS = bk.ChildRows(
    key="tindak_lanjut",
    table="meeting_followups",
    title=N_("Follow-ups"),
    fields=(
        bk.Field("task", N_("What"), required=True, max_length=200),
        bk.Field("member_id", N_("Who"), max_length=40, lookup="member"),
        bk.Field("due_date", N_("Due"), bk.DATE),
        follow_up_state(N_("Follow-up state")),
    ),
    hint="kt_desktop.services.rapat:earlier_hint",
)

BOOK = bk.BookSpec(
    key="rapat",
    table="meetings",
    title=N_("Meetings"),
    description=N_("The Buku Notulen dan Daftar Hadir Rapat: every meeting, who came, the "
                   "minutes of each agenda item, the decisions and their follow-ups."),
    noun=(N_("meeting"), N_("meetings")),
    personal=False,
    fields=(
        bk.Field("kind", N_("Kind of meeting"), bk.CHOICE, required=True, choices=KINDS,
                 default="pengurus", sheet="Jenis Rapat", aliases=("jenis",)),
        bk.Field("title", N_("Subject"), required=True, max_length=160,
                 placeholder=N_("e.g. Persiapan peringatan HUT RI"),
                 sheet="Perihal", aliases=("acara", "judul")),
        bk.record_date("meeting_date"),
        bk.Field("start_time", N_("Time"), max_length=30,
                 placeholder=N_("e.g. 19.30 WIB"), sheet="Waktu", aliases=("jam",), text_cell=True),
        bk.Field("place", N_("Place"), max_length=160,
                 placeholder=N_("e.g. Balai Desa"), sheet="Tempat", aliases=("lokasi",)),
        bk.Field("chair", N_("Chair (pimpinan rapat)"), max_length=120,
                 sheet="Pimpinan Rapat", aliases=("pimpinan",)),
        bk.Field("notulis", N_("Minute-taker (notulis)"), max_length=120,
                 sheet="Notulis", aliases=("notula",)),
        bk.Field("decisions", N_("Decisions"), bk.MULTILINE, max_length=4000,
                 sheet="Keputusan", aliases=("hasil",)),
        bk.Field("elected", N_("Officers elected"), bk.MULTILINE, max_length=2000,
                 placeholder=N_("Musyawarah Warga only: one officer a line, e.g. Ketua: Budi")),
    ),
    columns=bk.columns(meeting_date=100, kind=170, title=0, place=140, chair=130,
                       optional=("kind", "place", "chair")),
    search=("title", "place", "chair", "decisions"),
    filters=(bk.Filter("kind", "choice", N_("Every kind")),),
    label_field="title",
    sections=(
        bk.Section(N_("Meeting"), ("kind", "title", "meeting_date", "start_time", "place",
                                   "chair", "notulis")),
        bk.Section(N_("Outcome"), ("decisions", "elected")),
    ),
    sheet_order=("meeting_date", "kind", "title", "start_time", "place", "chair", "notulis",
                 "decisions"),
    register=bk.RegisterSpec(
        title=N_("Book of Meetings"),
        columns=bk.printed(meeting_date=20, kind=44, title=0, place=36, chair=36, decisions=70),
        closing=N_("This book of meetings was kept truthfully."),
        empty=N_("No meetings are recorded for this period."),
    ),
    children=(ATTENDANCE, AGENDA, FOLLOW_UPS),
    attachments=bk.Attachments(N_("Photos of the meeting"),
                               hint=N_("No photos yet. Add photos of the meeting.")),
    receiver_count=bk.ReceiverCount(N_("Meetings")),
    icon="users",
)
