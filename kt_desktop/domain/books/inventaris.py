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

from kt_desktop.domain import book as bk
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


BOOK = bk.BookSpec(
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
        bk.Field("code", N_("Item code"), required=True, max_length=40,
                 placeholder=N_("e.g. INV-001"),
                 sheet="Kode Barang", aliases=("kode",), text_cell=True),
        bk.Field("name", N_("Item"), required=True, max_length=120,
                 placeholder=N_("e.g. Tenda lipat 3×4 m"),
                 sheet="Nama Barang", aliases=("nama", "barang")),
        bk.Field("quantity", N_("Quantity"), bk.INTEGER, required=True, rules=(bk.positive,),
                 sheet="Jumlah", aliases=("jml",)),
        bk.Field("unit", N_("Unit"), max_length=20, default="buah",
                 placeholder=N_("buah, set, unit"), sheet="Satuan"),
        bk.Field("acquired", N_("Acquired by"), bk.CHOICE, required=True, choices=ACQUIRED,
                 default="swadaya",
                 sheet="Asal Perolehan", aliases=("asal", "perolehan")),
        bk.Field("giver", N_("Given by"), max_length=120,
                 placeholder=N_("e.g. Dinas Sosial Kab. Serang"),
                 sheet="Pemberi", aliases=("dari",)),
        bk.Field("acquired_on", N_("Date acquired"), bk.DATE, required=True,
                 rules=(bk.not_in_future(),),
                 sheet="Tanggal Perolehan", aliases=("tanggal", "tgl")),
        bk.Field("value", N_("Value"), bk.MONEY, placeholder=N_("e.g. 1.500.000"),
                 sheet="Nilai", aliases=("harga", "nilai (rp)")),
        bk.Field("condition", N_("Condition"), bk.CHOICE, required=True, choices=CONDITIONS,
                 default="baik", sheet="Kondisi", aliases=("keadaan",)),
        bk.Field("location", N_("Kept at"), max_length=120,
                 placeholder=N_("e.g. Sekretariat, Balai Desa"),
                 sheet="Lokasi", aliases=("tempat", "tempat penyimpanan")),
        bk.Field("borrower", N_("Borrowed by"), max_length=120, personal=True, sheet="Peminjam"),
        bk.Field("loaned_on", N_("Borrowed on"), bk.DATE, sheet="Tanggal Pinjam"),
        bk.Field("due_on", N_("Due back"), bk.DATE, sheet="Batas Kembali"),
        bk.Field("returned_on", N_("Returned on"), bk.DATE, sheet="Tanggal Kembali"),
        bk.Field("disposed_on", N_("Written off on"), bk.DATE, sheet="Tanggal Dihapus"),
        bk.Field("disposal_reason", N_("Reason written off"), max_length=200,
                 placeholder=N_("e.g. rusak berat, tidak dapat diperbaiki"),
                 sheet="Alasan Dihapus"),
        bk.Field("note", N_("Note"), max_length=200, sheet="Keterangan", aliases=("ket",)),
    ),
    columns=bk.columns(code=100, name=0, quantity=70, unit=70, acquired=130, condition=150,
                       location=130, value=110, borrower=130, disposed_on=110,
                       optional=("unit", "acquired", "location", "value", "borrower",
                                 "disposed_on")),
    search=("code", "name", "giver", "location", "borrower"),
    filters=(
        bk.Filter("condition", "choice", N_("Every condition")),
        bk.Filter("location", "value", N_("Every place")),
    ),
    sort=("code", False),
    label_field="name",
    sections=(
        bk.Section(N_("The item"), ("code", "name", "quantity", "unit", "condition", "location",
                                    "note")),
        bk.Section(N_("Acquired"), ("acquired", "giver", "acquired_on", "value")),
        bk.Section(N_("Loan"), ("borrower", "loaned_on", "due_on", "returned_on")),
        bk.Section(N_("Write-off"), ("disposed_on", "disposal_reason")),
    ),
    register=bk.RegisterSpec(
        columns=bk.printed(code=18, name=0, quantity=20, acquired=24, giver=30, acquired_on=20,
                           value=24, condition=16, location=26, note=44),
        closing=N_("This inventory was checked against the items themselves."),
        empty=N_("No items are recorded yet."),
        builder="kt_desktop.reports.inventaris:build",
    ),
    checks=(item_rules,),
    attachments=bk.Attachments(N_("Photos of the item"), documents=True,
                               hint=N_("A photo shows the item and its condition; a scan of "
                                       "the handover record (berita acara serah terima) of a "
                                       "grant is proof of where it came from.")),
    receiver_count=bk.ReceiverCount(N_("Inventory items")),
    icon="database",
    prefill="kt_desktop.services.inventaris:new_item",
)
