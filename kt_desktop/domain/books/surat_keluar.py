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
    SheetColumn,
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
    fields=(
        Field("letter_date", N_("Date"), DATE, required=True, personal=False),
        Field("number", N_("Number"), max_length=80, personal=False),
        Field("code", N_("Code"), max_length=12, default="UMUM", personal=False,
              placeholder=N_("e.g. UND, PMH, LAP")),
        Field("subject", N_("Subject"), required=True, max_length=200, personal=False),
        Field("addressee", N_("Addressee (kepada)"), required=True, max_length=200, personal=False),
        Field("attachment_note", N_("Attachments"), max_length=80, personal=False,
              placeholder=N_("e.g. 1 (satu) berkas")),
        Field("template", N_("Template"), max_length=40, personal=False),
        Field("state", N_("Letter state"), CHOICE, choices=STATES, default=SENT, personal=False),
        Field("note", N_("Note"), MULTILINE, max_length=500, personal=False,
              placeholder=N_("e.g. why it was cancelled")),
        Field("sequence", N_("Sequence"), INTEGER, personal=False),
        Field("rapat_id", N_("Meeting"), max_length=40, lookup="rapat", personal=False),
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
    sort=("letter_date", True),
    label_field="subject",
    date_field="letter_date",
    sections=(
        Section(N_("Letter"), ("letter_date", "number", "code", "subject", "addressee",
                               "attachment_note")),
        Section(N_("Letter state"), ("state", "note")),
    ),
    readonly=("number",),
    prepare="kt_desktop.services.surat:prepare",
    sheet=(
        SheetColumn("letter_date", "Tanggal", ("tgl", "tanggal surat")),
        SheetColumn("number", "Nomor Surat", ("no surat", "nomor"), text=True),
        SheetColumn("subject", "Perihal", ("hal",)),
        SheetColumn("addressee", "Kepada", ("tujuan",)),
        SheetColumn("attachment_note", "Lampiran"),
        SheetColumn("state", "Status"),
        SheetColumn("note", "Keterangan", ("catatan",)),
    ),
    register=RegisterSpec(
        title=N_("Buku Agenda Surat Keluar"),
        columns=(
            RegisterColumn(N_("Date"), 20, "letter_date"),
            RegisterColumn(N_("Number"), 52, "number"),
            RegisterColumn(N_("Subject"), 0, "subject"),
            RegisterColumn(N_("Addressee (kepada)"), 50, "addressee"),
            RegisterColumn(N_("Attachments"), 26, "attachment_note"),
            RegisterColumn(N_("Letter state"), 22, "state"),
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
