"""Agenda Surat Masuk: every letter the Karang Taruna receives, its disposition (to whom,
what to do, by when) and whether that was done. A scan or photo of the letter is kept as an
attachment of the record; it travels in a bundle only when the secretary ticks it (scans can
be large)."""

from __future__ import annotations

from kt_desktop.domain.book import (
    CHOICE,
    DATE,
    MULTILINE,
    Attachments,
    BookSpec,
    Column,
    Field,
    Filter,
    ReceiverCount,
    RegisterColumn,
    RegisterSpec,
    Section,
    not_in_future,
)
from kt_desktop.domain.books.rapat import FOLLOW_UP_STATES, OPEN
from kt_desktop.i18n import N_

#: Scans can be large: they go in bundles only when the secretary ticks them.
SEND_SCAN = (("tidak", N_("No, keep it in this file")), ("ya", N_("Yes")))

BOOK = BookSpec(
    key="surat-masuk",
    table="letters_in",
    title=N_("Incoming Letters"),
    description=N_("The Agenda Surat Masuk: every letter received, its disposition (to whom, "
                   "what to do, by when) and whether it was done."),
    noun=(N_("incoming letter"), N_("incoming letters")),
    personal=False,
    fields=(
        Field("received_date", N_("Date received"), DATE, required=True,
              rules=(not_in_future(),),
              sheet="Tanggal Terima", aliases=("tanggal diterima", "tgl terima")),
        Field("sender", N_("Sender"), required=True, max_length=160,
              placeholder=N_("e.g. Pemerintah Desa Baros"),
              sheet="Pengirim", aliases=("asal surat", "dari")),
        Field("their_number", N_("Their number"), max_length=60,
              sheet="Nomor Surat", aliases=("no surat", "no. surat"), text_cell=True),
        Field("their_date", N_("Letter date"), DATE, sheet="Tanggal Surat", aliases=("tgl surat",)),
        Field("subject", N_("Subject"), required=True, max_length=200,
              sheet="Perihal", aliases=("hal", "isi ringkas")),
        Field("disposition_to", N_("Disposition to"), max_length=120,
              placeholder=N_("e.g. Sekretaris, Seksi Olahraga"),
              sheet="Disposisi Kepada", aliases=("disposisi",)),
        Field("instruction", N_("Instruction"), MULTILINE, max_length=500,
              sheet="Instruksi", aliases=("isi disposisi",)),
        Field("due_date", N_("Due"), DATE, sheet="Batas Waktu", aliases=("tenggat",)),
        Field("state", N_("Follow-up"), CHOICE, choices=FOLLOW_UP_STATES, default=OPEN,
              sheet="Tindak Lanjut", aliases=("status",)),
        Field("send_scan", N_("Send the scan in bundles"), CHOICE, choices=SEND_SCAN,
              default="tidak"),
    ),
    columns=(
        Column("received_date", 120), Column("sender", 170), Column("subject", 0),
        Column("their_number", 140, optional=True), Column("disposition_to", 130, optional=True),
        Column("state", 110, optional=True),
    ),
    search=("sender", "subject", "their_number", "disposition_to"),
    filters=(
        Filter("received_date", "year", N_("All years")),
        Filter("state", "choice", N_("Done or not")),
    ),
    label_field="subject",
    date_field="received_date",
    sections=(
        Section(N_("Letter"), ("received_date", "sender", "their_number", "their_date",
                               "subject")),
        Section(N_("Disposition"), ("disposition_to", "instruction", "due_date", "state",
                                    "send_scan")),
    ),
    register=RegisterSpec(
        title=N_("Buku Agenda Surat Masuk"),
        columns=(
            RegisterColumn("received_date", 20), RegisterColumn("sender", 40),
            RegisterColumn("their_number", 38), RegisterColumn("their_date", 20),
            RegisterColumn("subject", 0), RegisterColumn("disposition_to", 34),
            RegisterColumn("state", 22),
        ),
        closing=N_("This agenda of incoming letters was kept truthfully."),
        empty=N_("No incoming letters are recorded for this period."),
    ),
    attachments=Attachments(N_("Scan or photo of the letter"), documents=True,
                            travel_when="send_scan",
                            hint=N_("No scan attached yet. Add a photo or a PDF scan of the "
                                    "letter.")),
    receiver_count=ReceiverCount(N_("Incoming letters")),
    icon="download",
    min_version=14,
)
