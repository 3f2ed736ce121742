"""Buku Tamu: who visited the Karang Taruna, from where, why and whom they met.

The whole book is this declaration (docs/BOOKS.md walks through it). The printed register
adds a "Tanda tangan" column that stays empty for the guest to sign by hand.
"""

from __future__ import annotations

from kt_desktop.domain import book as bk
from kt_desktop.i18n import N_

BOOK = bk.BookSpec(
    key="tamu",
    table="guest_book",
    title=N_("Guest Book"),
    description=N_(
        "The Buku Tamu: everyone who visited the Karang Taruna, where they came from, why, "
        "and whom they met."
    ),
    noun=(N_("guest"), N_("guests")),
    fields=(
        bk.record_date("visit_date", "tanggal kunjungan", past=True, personal=False),
        bk.Field("name", N_("Name"), required=True, max_length=120,
                 sheet="Nama", aliases=("nama tamu", "nama lengkap")),
        bk.Field("origin", N_("From (institution)"), max_length=160,
                 placeholder=N_("e.g. Karang Taruna Desa Cilaku, Dinas Sosial"),
                 sheet="Asal/Instansi", aliases=("asal", "instansi", "asal instansi")),
        bk.Field("address", N_("Address"), bk.MULTILINE, max_length=300, sheet="Alamat"),
        bk.Field("purpose", N_("Purpose"), bk.MULTILINE, required=True, max_length=500,
                 sheet="Keperluan", aliases=("maksud", "tujuan")),
        bk.Field("met_with", N_("Met with"), max_length=120,
                 placeholder=N_("e.g. Ketua, Sekretaris"),
                 sheet="Bertemu Dengan", aliases=("bertemu",)),
        bk.Field("phone", N_("Phone number"), bk.PHONE, max_length=20,
                 sheet="Nomor HP", aliases=("no. hp", "no hp", "hp", "telepon")),
    ),
    columns=bk.columns(visit_date=100, name=170, origin=160, purpose=0, met_with=120, phone=115),
    search=("name", "origin", "purpose", "met_with"),
    filters=(bk.Filter("met_with", "value", N_("Met with anyone")),),  # after the year filter
    label_field="name",
    sections=(
        bk.Section(N_("Visit"), ("visit_date", "purpose", "met_with")),
        bk.Section(N_("Guest"), ("name", "origin", "address", "phone")),
    ),
    register=bk.RegisterSpec(
        columns=(
            *bk.printed(visit_date=20, name=36, origin=36, address=0, purpose=46, met_with=26,
                        phone=26),
            bk.RegisterColumn("", 24, header=N_("Signature")),  # empty: the guest signs by hand
        ),
        closing=N_("This guest book was kept truthfully."),
        empty=N_("No guests are recorded yet."),
    ),
    receiver_count=bk.ReceiverCount(N_("Guests")),
    icon="user-check",
)
