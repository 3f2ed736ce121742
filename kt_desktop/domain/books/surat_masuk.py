"""Agenda Surat Masuk: every letter the Karang Taruna receives, its disposition (to whom,
what to do, by when) and whether that was done. A scan or photo of the letter is kept as an
attachment of the record; it travels in a bundle only when the secretary ticks it (scans can
be large)."""

from __future__ import annotations

from kt_desktop.domain import book as bk
from kt_desktop.domain.books.rapat import follow_up_state
from kt_desktop.i18n import N_

#: Scans can be large: they go in bundles only when the secretary ticks them.
SEND_SCAN = (("tidak", N_("No, keep it in this file")), ("ya", N_("Yes")))

BOOK = bk.BookSpec(
    key="surat-masuk",
    table="letters_in",
    title=N_("Incoming Letters"),
    description=N_("The Agenda Surat Masuk: every letter received, its disposition (to whom, "
                   "what to do, by when) and whether it was done."),
    noun=(N_("incoming letter"), N_("incoming letters")),
    personal=False,
    fields=(
        bk.Field("received_date", N_("Date received"), bk.DATE, required=True,
                 rules=(bk.not_in_future(),),
                 sheet="Tanggal Terima", aliases=("tanggal diterima", "tgl terima")),
        bk.Field("sender", N_("Sender"), required=True, max_length=160,
                 placeholder=N_("e.g. Pemerintah Desa Baros"),
                 sheet="Pengirim", aliases=("asal surat", "dari")),
        bk.Field("their_number", N_("Their number"), max_length=60,
                 sheet="Nomor Surat", aliases=("no surat", "no. surat"), text_cell=True),
        bk.Field("their_date", N_("Letter date"), bk.DATE,
                 sheet="Tanggal Surat", aliases=("tgl surat",)),
        bk.Field("subject", N_("Subject"), required=True, max_length=200,
                 sheet="Perihal", aliases=("hal", "isi ringkas")),
        bk.Field("disposition_to", N_("Disposition to"), max_length=120,
                 placeholder=N_("e.g. Sekretaris, Seksi Olahraga"),
                 sheet="Disposisi Kepada", aliases=("disposisi",)),
        bk.Field("instruction", N_("Instruction"), bk.MULTILINE, max_length=500,
                 sheet="Instruksi", aliases=("isi disposisi",)),
        bk.Field("due_date", N_("Due"), bk.DATE, sheet="Batas Waktu", aliases=("tenggat",)),
        follow_up_state(N_("Follow-up"), sheet="Tindak Lanjut", aliases=("status",)),
        bk.Field("send_scan", N_("Send the scan in bundles"), bk.CHOICE, choices=SEND_SCAN,
                 default="tidak"),
    ),
    columns=bk.columns(received_date=120, sender=170, subject=0, their_number=140,
                       disposition_to=130, state=110,
                       optional=("their_number", "disposition_to", "state")),
    search=("sender", "subject", "their_number", "disposition_to"),
    filters=(bk.Filter("state", "choice", N_("Done or not")),),
    label_field="subject",
    sections=(
        bk.Section(N_("Letter"), ("received_date", "sender", "their_number", "their_date",
                                  "subject")),
        bk.Section(N_("Disposition"), ("disposition_to", "instruction", "due_date", "state",
                                       "send_scan")),
    ),
    register=bk.RegisterSpec(
        title=N_("Buku Agenda Surat Masuk"),
        columns=bk.printed(received_date=20, sender=40, their_number=38, their_date=20,
                           subject=0, disposition_to=34, state=22),
        closing=N_("This agenda of incoming letters was kept truthfully."),
        empty=N_("No incoming letters are recorded for this period."),
    ),
    attachments=bk.Attachments(N_("Scan or photo of the letter"), documents=True,
                               travel_when="send_scan",
                               hint=N_("No scan attached yet. Add a photo or a PDF scan of the "
                                       "letter.")),
    receiver_count=bk.ReceiverCount(N_("Incoming letters")),
    icon="download",
)
