"""Agenda Surat Keluar: every numbered letter the Karang Taruna sends, the monthly report
included. The number is assigned from the register's yearly sequence when the record is
added (``services/surat.py: prepare``), never typed and never given twice: a removed letter's
number stays taken (its tombstone keeps it), a cancelled letter keeps its number marked
"batal". A letter written from a template keeps its PDF as an attachment of the record."""

from __future__ import annotations

from kt_desktop.domain import book as bk
from kt_desktop.i18n import N_

SENT, CANCELLED = "terkirim", "batal"
STATES = ((SENT, N_("Sent")), (CANCELLED, N_("Cancelled (batal)")))

BOOK = bk.BookSpec(
    key="surat-keluar",
    table="letters_out",
    title=N_("Outgoing Letters"),
    description=N_("The Agenda Surat Keluar: every numbered letter sent, the monthly report "
                   "included; a number is never given twice."),
    noun=(N_("outgoing letter"), N_("outgoing letters")),
    personal=False,
    fields=(
        bk.record_date("letter_date", "tanggal surat"),
        bk.Field("number", N_("Number"), max_length=80,
                 sheet="Nomor Surat", aliases=("no surat", "nomor"), text_cell=True),
        bk.Field("code", N_("Code"), max_length=12, default="UMUM",
                 placeholder=N_("e.g. UND, PMH, LAP")),
        bk.Field("subject", N_("Subject"), required=True, max_length=200,
                 sheet="Perihal", aliases=("hal",)),
        bk.Field("addressee", N_("Addressee (kepada)"), required=True, max_length=200,
                 sheet="Kepada", aliases=("tujuan",)),
        bk.Field("attachment_note", N_("Attachments"), max_length=80,
                 placeholder=N_("e.g. 1 (satu) berkas"), sheet="Lampiran"),
        bk.Field("template", N_("Template"), max_length=40),
        bk.Field("state", N_("Letter state"), bk.CHOICE, choices=STATES, default=SENT,
                 sheet="Status"),
        bk.Field("note", N_("Note"), bk.MULTILINE, max_length=500,
                 placeholder=N_("e.g. why it was cancelled"),
                 sheet="Keterangan", aliases=("catatan",)),
        bk.Field("sequence", N_("Sequence"), bk.INTEGER),
        bk.Field("rapat_id", N_("Meeting"), max_length=40, lookup="rapat"),
    ),
    columns=bk.columns(letter_date=100, number=200, subject=0, addressee=170, state=110,
                       optional=("addressee", "state")),
    search=("number", "subject", "addressee"),
    filters=(bk.Filter("state", "choice", N_("Sent or cancelled")),),
    label_field="subject",
    sections=(
        bk.Section(N_("Letter"), ("letter_date", "number", "code", "subject", "addressee",
                                  "attachment_note")),
        bk.Section(N_("Letter state"), ("state", "note")),
    ),
    readonly=("number",),
    prepare="kt_desktop.services.surat:prepare",
    register=bk.RegisterSpec(
        title=N_("Buku Agenda Surat Keluar"),
        columns=bk.printed(letter_date=20, number=52, subject=0, addressee=50,
                           attachment_note=26, state=22),
        closing=N_("This agenda of outgoing letters was kept truthfully."),
        empty=N_("No outgoing letters are recorded for this period."),
    ),
    attachments=bk.Attachments(N_("The letter as sent"), documents=True,
                               hint=N_("A letter written from a template keeps its PDF here; "
                                       "add a scan of a letter written by hand.")),
    receiver_count=bk.ReceiverCount(N_("Outgoing letters")),
    icon="send",
)
