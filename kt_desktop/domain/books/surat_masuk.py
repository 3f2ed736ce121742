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
    SheetColumn,
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
    fields=(
        Field("received_date", N_("Date received"), DATE, required=True,
              rules=(not_in_future(),), personal=False),
        Field("sender", N_("Sender"), required=True, max_length=160, personal=False,
              placeholder=N_("e.g. Pemerintah Desa Baros")),
        Field("their_number", N_("Their number"), max_length=60, personal=False),
        Field("their_date", N_("Letter date"), DATE, personal=False),
        Field("subject", N_("Subject"), required=True, max_length=200, personal=False),
        Field("disposition_to", N_("Disposition to"), max_length=120, personal=False,
              placeholder=N_("e.g. Sekretaris, Seksi Olahraga")),
        Field("instruction", N_("Instruction"), MULTILINE, max_length=500, personal=False),
        Field("due_date", N_("Due"), DATE, personal=False),
        Field("state", N_("Follow-up"), CHOICE, choices=FOLLOW_UP_STATES, default=OPEN,
              personal=False),
        Field("send_scan", N_("Send the scan in bundles"), CHOICE, choices=SEND_SCAN,
              default="tidak", personal=False),
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
    sort=("received_date", True),
    label_field="subject",
    date_field="received_date",
    sections=(
        Section(N_("Letter"), ("received_date", "sender", "their_number", "their_date",
                               "subject")),
        Section(N_("Disposition"), ("disposition_to", "instruction", "due_date", "state",
                                    "send_scan")),
    ),
    sheet=(
        SheetColumn("received_date", "Tanggal Terima", ("tanggal diterima", "tgl terima")),
        SheetColumn("sender", "Pengirim", ("asal surat", "dari")),
        SheetColumn("their_number", "Nomor Surat", ("no surat", "no. surat"), text=True),
        SheetColumn("their_date", "Tanggal Surat", ("tgl surat",)),
        SheetColumn("subject", "Perihal", ("hal", "isi ringkas")),
        SheetColumn("disposition_to", "Disposisi Kepada", ("disposisi",)),
        SheetColumn("instruction", "Instruksi", ("isi disposisi",)),
        SheetColumn("due_date", "Batas Waktu", ("tenggat",)),
        SheetColumn("state", "Tindak Lanjut", ("status",)),
    ),
    register=RegisterSpec(
        title=N_("Buku Agenda Surat Masuk"),
        columns=(
            RegisterColumn(N_("Date received"), 20, "received_date"),
            RegisterColumn(N_("Sender"), 40, "sender"),
            RegisterColumn(N_("Their number"), 38, "their_number"),
            RegisterColumn(N_("Letter date"), 20, "their_date"),
            RegisterColumn(N_("Subject"), 0, "subject"),
            RegisterColumn(N_("Disposition to"), 34, "disposition_to"),
            RegisterColumn(N_("Follow-up"), 22, "state"),
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
