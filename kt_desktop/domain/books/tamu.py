"""Buku Tamu: who visited the Karang Taruna, from where, why and whom they met.

The whole book is this declaration (docs/BOOKS.md walks through it). The printed register
adds a "Tanda tangan" column that stays empty for the guest to sign by hand.
"""

from __future__ import annotations

from kt_desktop.domain.book import (
    DATE,
    MULTILINE,
    PHONE,
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
from kt_desktop.i18n import N_

BOOK = BookSpec(
    key="tamu",
    table="guest_book",
    title=N_("Guest Book"),
    description=N_(
        "The Buku Tamu: everyone who visited the Karang Taruna, where they came from, why, "
        "and whom they met."
    ),
    noun=(N_("guest"), N_("guests")),
    fields=(
        Field("visit_date", N_("Date"), DATE, required=True, rules=(not_in_future(),),
              personal=False, sheet="Tanggal", aliases=("tgl", "tanggal kunjungan")),
        Field("name", N_("Name"), required=True, max_length=120,
              sheet="Nama", aliases=("nama tamu", "nama lengkap")),
        Field("origin", N_("From (institution)"), max_length=160,
              placeholder=N_("e.g. Karang Taruna Desa Cilaku, Dinas Sosial"),
              sheet="Asal/Instansi", aliases=("asal", "instansi", "asal instansi")),
        Field("address", N_("Address"), MULTILINE, max_length=300, sheet="Alamat"),
        Field("purpose", N_("Purpose"), MULTILINE, required=True, max_length=500,
              sheet="Keperluan", aliases=("maksud", "tujuan")),
        Field("met_with", N_("Met with"), max_length=120,
              placeholder=N_("e.g. Ketua, Sekretaris"),
              sheet="Bertemu Dengan", aliases=("bertemu",)),
        Field("phone", N_("Phone number"), PHONE, max_length=20,
              sheet="Nomor HP", aliases=("no. hp", "no hp", "hp", "telepon")),
    ),
    columns=(
        Column("visit_date", 100), Column("name", 170), Column("origin", 160),
        Column("purpose", 0), Column("met_with", 120), Column("phone", 115),
    ),
    search=("name", "origin", "purpose", "met_with"),
    filters=(
        Filter("visit_date", "year", N_("All years")),
        Filter("met_with", "value", N_("Met with anyone")),
    ),
    label_field="name",
    date_field="visit_date",
    sections=(
        Section(N_("Visit"), ("visit_date", "purpose", "met_with")),
        Section(N_("Guest"), ("name", "origin", "address", "phone")),
    ),
    register=RegisterSpec(
        columns=(
            RegisterColumn("visit_date", 20), RegisterColumn("name", 36),
            RegisterColumn("origin", 36), RegisterColumn("address", 0),
            RegisterColumn("purpose", 46), RegisterColumn("met_with", 26),
            RegisterColumn("phone", 26),
            RegisterColumn("", 24, header=N_("Signature")),  # empty: the guest signs by hand
        ),
        closing=N_("This guest book was kept truthfully."),
        empty=N_("No guests are recorded yet."),
    ),
    receiver_count=ReceiverCount(N_("Guests")),
    icon="user-check",
    min_version=9,
)
