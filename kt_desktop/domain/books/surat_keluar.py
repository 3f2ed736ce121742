"""Agenda Surat Keluar: every numbered letter the Karang Taruna sends, the monthly report
included. The number is assigned from the register's yearly sequence when the record is
added (``services/surat.py: prepare``), never typed and never given twice: a removed letter's
number stays taken (its tombstone keeps it), a cancelled letter keeps its number marked
"batal". A letter written from a template keeps its PDF as an attachment of the record."""

from __future__ import annotations

from kt_desktop.domain.book import (
    CHOICE,
    DATE,
    INTEGER,
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
)
from kt_desktop.i18n import N_

SENT, CANCELLED = "terkirim", "batal"
STATES = ((SENT, N_("Sent")), (CANCELLED, N_("Cancelled (batal)")))

BOOK = BookSpec(
    key="surat-keluar",
    table="letters_out",
    title=N_("Outgoing Letters"),
    description=N_("The Agenda Surat Keluar: every numbered letter sent, the monthly report "
                   "included; a number is never given twice."),
    noun=(N_("outgoing letter"), N_("outgoing letters")),
    personal=False,
    fields=(
        Field("letter_date", N_("Date"), DATE, required=True,
              sheet="Tanggal", aliases=("tgl", "tanggal surat")),
        Field("number", N_("Number"), max_length=80,
              sheet="Nomor Surat", aliases=("no surat", "nomor"), text_cell=True),
        Field("code", N_("Code"), max_length=12, default="UMUM",
              placeholder=N_("e.g. UND, PMH, LAP")),
        Field("subject", N_("Subject"), required=True, max_length=200,
              sheet="Perihal", aliases=("hal",)),
        Field("addressee", N_("Addressee (kepada)"), required=True, max_length=200,
              sheet="Kepada", aliases=("tujuan",)),
        Field("attachment_note", N_("Attachments"), max_length=80,
              placeholder=N_("e.g. 1 (satu) berkas"), sheet="Lampiran"),
        Field("template", N_("Template"), max_length=40),
        Field("state", N_("Letter state"), CHOICE, choices=STATES, default=SENT, sheet="Status"),
        Field("note", N_("Note"), MULTILINE, max_length=500,
              placeholder=N_("e.g. why it was cancelled"),
              sheet="Keterangan", aliases=("catatan",)),
        Field("sequence", N_("Sequence"), INTEGER),
        Field("rapat_id", N_("Meeting"), max_length=40, lookup="rapat"),
    ),
    columns=(
        Column("letter_date", 100), Column("number", 200), Column("subject", 0),
        Column("addressee", 170, optional=True), Column("state", 110, optional=True),
    ),
    search=("number", "subject", "addressee"),
    filters=(
        Filter("letter_date", "year", N_("All years")),
        Filter("state", "choice", N_("Sent or cancelled")),
    ),
    label_field="subject",
    date_field="letter_date",
    sections=(
        Section(N_("Letter"), ("letter_date", "number", "code", "subject", "addressee",
                               "attachment_note")),
        Section(N_("Letter state"), ("state", "note")),
    ),
    readonly=("number",),
    prepare="kt_desktop.services.surat:prepare",
    register=RegisterSpec(
        title=N_("Buku Agenda Surat Keluar"),
        columns=(
            RegisterColumn("letter_date", 20), RegisterColumn("number", 52),
            RegisterColumn("subject", 0), RegisterColumn("addressee", 50),
            RegisterColumn("attachment_note", 26), RegisterColumn("state", 22),
        ),
        closing=N_("This agenda of outgoing letters was kept truthfully."),
        empty=N_("No outgoing letters are recorded for this period."),
    ),
    attachments=Attachments(N_("The letter as sent"), documents=True,
                            hint=N_("A letter written from a template keeps its PDF here; "
                                    "add a scan of a letter written by hand.")),
    receiver_count=ReceiverCount(N_("Outgoing letters")),
    icon="send",
    min_version=14,
)
