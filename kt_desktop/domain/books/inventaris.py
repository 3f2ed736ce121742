"""Buku Inventaris: what the Karang Taruna owns, how it came, its condition, where it is kept,
who has borrowed it, and what was written off.

The book is this declaration (docs/BOOKS.md). Condition is written as the inventory books
write it: B (baik), RR (rusak ringan), RB (rusak berat). An item given as aid or a grant
names its giver; a loan names who borrowed it, when, and when it is due back; an item
written off keeps its record with the day and the reason (the printed book shows it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kt_desktop.domain.book import (
    CHOICE,
    DATE,
    INTEGER,
    MONEY,
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
    positive,
)
from kt_desktop.i18n import N_

ACQUIRED = (
    ("swadaya", N_("Self-funded (swadaya)")),
    ("bantuan", N_("Aid (bantuan)")),
    ("hibah", N_("Grant (hibah)")),
)
CONDITIONS = (
    ("baik", N_("Good (B)")),
    ("rusak_ringan", N_("Slightly damaged (RR)")),
    ("rusak_berat", N_("Badly damaged (RB)")),
)


def item_rules(values: Mapping[str, Any]) -> tuple[str, str] | None:
    """A gift names its giver; a loan has a borrower and a start; write-off has a reason."""
    if values.get("acquired") in ("bantuan", "hibah") and not values.get("giver"):
        return "giver", N_("Aid and grants name who gave them: fill in {label}.")
    loaned, due, back = values.get("loaned_on"), values.get("due_on"), values.get("returned_on")
    if (loaned or due or back) and not values.get("borrower"):
        return "borrower", N_("A loan names who borrowed the item: fill in {label}.")
    if values.get("borrower") and not loaned:
        return "loaned_on", N_("A loan starts on a day: fill in {label}.")
    if loaned and due and due < loaned:
        return "due_on", N_("{label} cannot come before the day it was borrowed.")
    if loaned and back and back < loaned:
        return "returned_on", N_("{label} cannot come before the day it was borrowed.")
    if values.get("disposed_on") and not values.get("disposal_reason"):
        return "disposal_reason", N_("An item written off says why: fill in {label}.")
    return None


BOOK = BookSpec(
    key="inventaris",
    table="inventory",
    title=N_("Inventory Book"),
    description=N_(
        "The Buku Inventaris: every item the Karang Taruna owns, how it was acquired, its "
        "value and condition, where it is kept, loans and write-offs."
    ),
    noun=(N_("item"), N_("items")),
    personal=False,  # see the fields marked personal=True
    fields=(
        Field("code", N_("Item code"), required=True, max_length=40,
              placeholder=N_("e.g. INV-001"),
              sheet="Kode Barang", aliases=("kode",), text_cell=True),
        Field("name", N_("Item"), required=True, max_length=120,
              placeholder=N_("e.g. Tenda lipat 3×4 m"),
              sheet="Nama Barang", aliases=("nama", "barang")),
        Field("quantity", N_("Quantity"), INTEGER, required=True, rules=(positive,),
              sheet="Jumlah", aliases=("jml",)),
        Field("unit", N_("Unit"), max_length=20, default="buah",
              placeholder=N_("buah, set, unit"), sheet="Satuan"),
        Field("acquired", N_("Acquired by"), CHOICE, required=True, choices=ACQUIRED,
              default="swadaya",
              sheet="Asal Perolehan", aliases=("asal", "perolehan")),
        Field("giver", N_("Given by"), max_length=120,
              placeholder=N_("e.g. Dinas Sosial Kab. Serang"), sheet="Pemberi", aliases=("dari",)),
        Field("acquired_on", N_("Date acquired"), DATE, required=True,
              rules=(not_in_future(),),
              sheet="Tanggal Perolehan", aliases=("tanggal", "tgl")),
        Field("value", N_("Value"), MONEY, placeholder=N_("e.g. 1.500.000"),
              sheet="Nilai", aliases=("harga", "nilai (rp)")),
        Field("condition", N_("Condition"), CHOICE, required=True, choices=CONDITIONS,
              default="baik", sheet="Kondisi", aliases=("keadaan",)),
        Field("location", N_("Kept at"), max_length=120,
              placeholder=N_("e.g. Sekretariat, Balai Desa"),
              sheet="Lokasi", aliases=("tempat", "tempat penyimpanan")),
        Field("borrower", N_("Borrowed by"), max_length=120, personal=True, sheet="Peminjam"),
        Field("loaned_on", N_("Borrowed on"), DATE, sheet="Tanggal Pinjam"),
        Field("due_on", N_("Due back"), DATE, sheet="Batas Kembali"),
        Field("returned_on", N_("Returned on"), DATE, sheet="Tanggal Kembali"),
        Field("disposed_on", N_("Written off on"), DATE, sheet="Tanggal Dihapus"),
        Field("disposal_reason", N_("Reason written off"), max_length=200,
              placeholder=N_("e.g. rusak berat, tidak dapat diperbaiki"), sheet="Alasan Dihapus"),
        Field("note", N_("Note"), max_length=200, sheet="Keterangan", aliases=("ket",)),
    ),
    columns=(
        Column("code", 100), Column("name", 0), Column("quantity", 70),
        Column("unit", 70, optional=True), Column("acquired", 130, optional=True),
        Column("condition", 150), Column("location", 130, optional=True),
        Column("value", 110, optional=True), Column("borrower", 130, optional=True),
        Column("disposed_on", 110, optional=True),
    ),
    search=("code", "name", "giver", "location", "borrower"),
    filters=(
        Filter("acquired_on", "year", N_("All years")),
        Filter("condition", "choice", N_("Every condition")),
        Filter("location", "value", N_("Every place")),
    ),
    sort=("code", False),
    label_field="name",
    date_field="acquired_on",
    sections=(
        Section(N_("The item"), ("code", "name", "quantity", "unit", "condition", "location",
                             "note")),
        Section(N_("Acquired"), ("acquired", "giver", "acquired_on", "value")),
        Section(N_("Loan"), ("borrower", "loaned_on", "due_on", "returned_on")),
        Section(N_("Write-off"), ("disposed_on", "disposal_reason")),
    ),
    register=RegisterSpec(
        columns=(
            RegisterColumn("code", 18), RegisterColumn("name", 0), RegisterColumn("quantity", 20),
            RegisterColumn("acquired", 24), RegisterColumn("giver", 30),
            RegisterColumn("acquired_on", 20), RegisterColumn("value", 24),
            RegisterColumn("condition", 16), RegisterColumn("location", 26),
            RegisterColumn("note", 44),
        ),
        closing=N_("This inventory was checked against the items themselves."),
        empty=N_("No items are recorded yet."),
        builder="kt_desktop.reports.inventaris:build",
    ),
    checks=(item_rules,),
    attachments=Attachments(N_("Photos of the item"), documents=True,
                            hint=N_("A photo shows the item and its condition; a scan of the "
                                    "handover record (berita acara serah terima) of a grant "
                                    "is proof of where it came from.")),
    receiver_count=ReceiverCount(N_("Inventory items")),
    icon="database",
    min_version=18,
    prefill="kt_desktop.services.inventaris:new_item",
)
