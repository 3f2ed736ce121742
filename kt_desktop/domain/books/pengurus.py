"""Buku Data Pengurus: the officers of every term (masa bakti) with their SK pengukuhan.

One record is one person holding one position in one term (a member chosen from the
register, whose name is copied as the SK writes it, or a named Pembina or Penasehat): the SK that confirmed them
(number, date, who signed it), and for a change within the term (pergantian antar waktu,
PAW) the SK of that change and the day it took effect. Ending a holding is writing the day
in "Until"; a single-holder position (Ketua, Sekretaris, a seksi's Ketua …) is also ended
by the next holder's start. Terms, holders and the SK's validity are computed in
``domain/pengurus.py``; the printed Susunan Pengurus and Struktur Organisasi are
``reports/pengurus.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kt_desktop.domain import book as bk
from kt_desktop.domain.members import POSITION_LABELS, SEKSI_POSITIONS
from kt_desktop.i18n import N_

#: Positions in order of rank: the two who advise, then the officers' own (the members'
#: positions, one list for both).
POSITIONS: tuple[tuple[str, str], ...] = (
    ("pembina", N_("Patron (Pembina)")),
    ("penasehat", N_("Adviser (Penasehat)")),
    *POSITION_LABELS.items(),
)
#: The words a printed Susunan Pengurus uses for each position.
DOC_POSITIONS = {"pembina": "Pembina", "penasehat": "Penasehat"}
#: Held by one person at a time (a seksi's Ketua: one per seksi).
SINGLE = ("ketua", "wakil_ketua", "sekretaris", "wakil_sekretaris", "bendahara", "ketua_seksi")
CHANGES = (
    ("pengukuhan", N_("Confirmed at the start of the term (pengukuhan)")),
    ("paw", N_("Change within the term (pergantian antar waktu)")),
)


def seksi_name(text: str) -> str:
    """``Pendidikan dan Pelatihan`` from ``Seksi Pendidikan dan Pelatihan``: papers write
    "Seksi" before the name themselves (the members' seksi list keeps it the same way)."""
    return text[len("seksi "):].strip() if text.casefold().startswith("seksi ") else text


def term_in_order(values: Mapping[str, Any]) -> tuple[str, str] | None:
    """The term ends after it starts; a holding lies inside its term."""
    start, end = values.get("term_start"), values.get("term_end")
    since, until = values.get("since"), values.get("until")
    if start and end and end <= start:
        return "term_end", N_("The end of the term (masa bakti) must come after its start.")
    if since and ((start and since < start) or (end and since > end)):
        return "since", N_("{label} must lie within the term (masa bakti).")
    if until and since and until < since:
        return "until", N_("{label} cannot come before the day the position was taken up.")
    return None


def seksi_named(values: Mapping[str, Any]) -> tuple[str, str] | None:
    """An officer is a member of the register or a named person (a Pembina, a Penasehat);
    a seksi's Ketua or member belongs to a seksi; a change within the term has a start."""
    if not values.get("member_id") and not values.get("name"):
        return "member_id", N_("Choose the member from the register, or write the name of "
                               "a Pembina or Penasehat who is not a member.")
    if values.get("position") in SEKSI_POSITIONS and not values.get("seksi"):
        return "seksi", N_("Write the seksi of this position.")
    if values.get("change") == "paw" and not values.get("since"):
        return "since", N_("A change within the term (PAW) starts on a day: fill in {label}.")
    return None


BOOK = bk.BookSpec(
    key="pengurus",
    table="officers",
    title=N_("Officers Register"),
    description=N_(
        "The Buku Data Pengurus: who holds which position in each term (masa bakti), "
        "confirmed by which SK, and the changes within a term."
    ),
    noun=(N_("officer"), N_("officers")),
    personal=False,  # see the fields marked personal=True
    fields=(
        bk.Field("term_start", N_("Term starts"), bk.DATE, required=True,
                 sheet="Masa Bakti Mulai", aliases=("mulai",)),
        bk.Field("term_end", N_("Term ends"), bk.DATE, required=True,
                 sheet="Masa Bakti Selesai", aliases=("selesai",)),
        bk.Field("position", N_("Position"), bk.CHOICE, required=True, choices=POSITIONS,
                 sheet="Jabatan"),
        bk.Field("seksi", N_("Seksi"), max_length=100, normalize=seksi_name,
                 placeholder=N_("e.g. Pendidikan dan Pelatihan"),
                 sheet="Seksi", aliases=("bidang",)),
        bk.Field("member_id", N_("Member"), max_length=40, lookup="member", fills="name",
                 personal=True),
        bk.Field("name", N_("Name as in the SK"), max_length=100, personal=True,
                 placeholder=N_("empty: the chosen member's name"),
                 sheet="Nama", aliases=("nama lengkap",)),
        bk.Field("sk_number", N_("SK number"), max_length=100,
                 placeholder=N_("e.g. 400/Kep.12/2024"),
                 sheet="Nomor SK", aliases=("no sk", "no. sk", "sk"), text_cell=True),
        bk.Field("sk_date", N_("SK date"), bk.DATE, sheet="Tanggal SK", aliases=("tgl sk",)),
        bk.Field("sk_signer", N_("SK signed by"), max_length=120,
                 placeholder=N_("e.g. Kepala Desa Baros, H. Sulaiman"),
                 sheet="Ditetapkan Oleh", aliases=("penandatangan sk",)),
        bk.Field("change", N_("How appointed"), bk.CHOICE, choices=CHANGES,
                 default="pengukuhan", sheet="Cara Pengangkatan", aliases=("pengangkatan",)),
        bk.Field("since", N_("Since"), bk.DATE, sheet="Sejak", aliases=("menjabat sejak",)),
        bk.Field("until", N_("Until"), bk.DATE, sheet="Sampai", aliases=("berhenti",)),
        bk.Field("note", N_("Note"), max_length=200, personal=True,
                 placeholder=N_("e.g. replaces Budi Santoso, who moved away"),
                 sheet="Keterangan", aliases=("ket",)),
    ),
    columns=bk.columns(term_start=110, position=170, seksi=200, name=0, sk_number=150,
                       sk_date=100, until=100, optional=("seksi", "sk_number", "sk_date", "until")),
    search=("name", "seksi", "sk_number", "note"),
    year_filter=N_("Every term"),
    filters=(bk.Filter("position", "choice", N_("Every position")),),
    then=("position", "seksi"),
    label_field="name",
    sections=(
        bk.Section(N_("Position"), ("position", "seksi", "member_id", "name", "term_start",
                                    "term_end")),
        bk.Section(N_("SK pengukuhan"), ("sk_number", "sk_date", "sk_signer", "change", "since",
                                         "until", "note")),
    ),
    register=bk.RegisterSpec(
        title=N_("Officers (Susunan Pengurus)"),
        # the paper says "Name" where the form says "Name as in the SK"
        columns=bk.printed(position=62, name=(0, N_("Name")), sk_number=52, sk_date=24, since=24,
                           note=50),
        closing=N_("This list of officers is in accordance with the SK pengukuhan."),
        empty=N_("No officers are recorded yet."),
        builder="kt_desktop.reports.pengurus:build_susunan",
    ),
    checks=(term_in_order, seksi_named),
    attachments=bk.Attachments(N_("Scan of the SK"), documents=True,
                               hint=N_("Keep a scan or photo of the SK pengukuhan with the "
                                       "officers it names.")),
    receiver_count=bk.ReceiverCount(N_("Officers")),
    icon="users",
    prefill="kt_desktop.services.pengurus:new_officer",
)
