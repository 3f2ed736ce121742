"""Buku Kas Umum: every receipt and expense of the Karang Taruna, with its running balance.

The book is this declaration (docs/BOOKS.md). What a cash book has beyond a plain book: amounts
are ``money`` fields (whole rupiah, typed as ``1.500.000`` or ``1,5 jt``); the saldo is a
``RunningTotal`` computed when read, one per account; a record rule makes each entry either a
receipt or an expense; the printed book (``reports/kas.py``) adds the opening balance and the
month totals and is signed by the Ketua and the Bendahara.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from kt_desktop.domain import book as bk
from kt_desktop.domain.errors import ValidationError
from kt_desktop.i18n import N_, _

#: The sources of an activity's funds (``domain.activities.FUND_SOURCES``, the same codes, so
#: an LPJ can set each source's plan beside what came in) and what money is spent on.
CATEGORIES = (
    ("iuran", N_("Members' dues")), ("swadaya", N_("Self-funded (swadaya)")),
    ("dana_desa", N_("Village funds (Dana Desa/APBDes)")), ("csr", N_("Company CSR/PKBL")),
    ("donatur", N_("Donors")), ("pemda", N_("Regional government")),
    ("hasil_usaha", N_("Business income")), ("kegiatan", N_("Activity")),
    ("operasional", N_("Operations")), ("lainnya", N_("Other")),
)


def dues_month(text: str) -> str:
    """The month a dues payment pays, ``YYYY-MM``."""
    try:
        day = dt.date.fromisoformat(f"{text.strip()}-01")
    except ValueError:
        raise ValidationError(_("“{value}” is not a month; write it as YYYY-MM, e.g. "
                                "2026-03.").format(value=text), code="bad_month") from None
    return f"{day.year:04d}-{day.month:02d}"


def in_or_out(values: Mapping[str, Any]) -> tuple[str, str] | None:
    """An entry is a receipt or an expense: exactly one of the two amounts."""
    receipt, expense = values.get("receipt"), values.get("expense")
    if not receipt and not expense:
        return "receipt", N_("Fill in the amount received or the amount spent.")
    if receipt and expense:
        return "expense", N_("An entry is either received or spent, not both: write two "
                             "entries.")
    return None


BOOK = bk.BookSpec(
    key="kas",
    table="cash_book",
    title=N_("Cash Book"),
    description=N_("The Buku Kas Umum: every receipt and expense with its proof, and the "
                   "balance of each account after it."),
    noun=(N_("entry"), N_("entries")),
    personal=False,
    fields=(
        bk.record_date("entry_date", past=True),
        bk.Field("description", N_("Description"), required=True, max_length=200,
                 placeholder=N_("e.g. Iuran anggota bulan Maret"),
                 sheet="Uraian", aliases=("keterangan", "deskripsi")),
        bk.Field("category", N_("Category"), bk.CHOICE, required=True, choices=CATEGORIES,
                 default="lainnya", max_length=60, editable_choices=True,
                 sheet="Kategori", aliases=("jenis",)),
        bk.Field("receipt", N_("Received"), bk.MONEY, rules=(bk.positive,),
                 placeholder=N_("e.g. 1.500.000 or 1,5 jt"),
                 sheet="Masuk", aliases=("penerimaan", "debet", "debit", "pemasukan")),
        bk.Field("expense", N_("Spent"), bk.MONEY, rules=(bk.positive,),
                 placeholder=N_("e.g. 250.000"), sheet="Keluar", aliases=("pengeluaran", "kredit")),
        bk.Field("account", N_("Account"), max_length=60, default="Kas tunai",
                 placeholder=N_("Kas tunai, or the bank account"),
                 sheet="Akun", aliases=("rekening", "kas")),
        bk.Field("proof_number", N_("Proof number"), max_length=40,
                 placeholder=N_("e.g. BKM-012"),
                 sheet="No. Bukti", aliases=("nomor bukti", "bukti", "no bukti"), text_cell=True),
        bk.Field("activity_id", N_("Activity"), max_length=40, lookup="activity"),
        # Migration 15: a members' dues payment names the member and the month it pays
        # (``services/dues.py``); not in the form: the dues grid writes them.
        bk.Field("member_id", N_("Member"), max_length=40, lookup="member"),
        bk.Field("dues_month", N_("Dues month"), max_length=7, normalize=dues_month),
    ),
    columns=bk.columns(entry_date=95, description=0, category=125, account=90, receipt=110,
                       expense=110, balance=120, proof_number=90,
                       optional=("category", "account", "proof_number")),
    search=("description", "proof_number", "account"),
    filters=(
        bk.Filter("category", "choice", N_("Every category")),
        bk.Filter("account", "value", N_("Every account")),
    ),
    label_field="description",
    sections=(
        bk.Section(N_("Entry"), ("entry_date", "description", "category", "activity_id")),
        bk.Section(N_("Amount"), ("receipt", "expense", "account", "proof_number")),
    ),
    register=bk.RegisterSpec(
        columns=bk.printed(entry_date=20, proof_number=24, description=0, account=26,
                           receipt=30, expense=30, balance=32),
        closing=N_("This cash book was kept truthfully, every entry with its proof."),
        empty=N_("No cash entries are recorded for this period."),
        second_signer="bendahara",
        builder="kt_desktop.reports.kas:build",
    ),
    running=bk.RunningTotal("balance", N_("Balance"), plus="receipt", minus="expense",
                            partition="account"),
    checks=(in_or_out,),
    closable=True,
    attachments=bk.Attachments(N_("Receipt photos or scans"), documents=True,
                               hint=N_("No receipt attached yet. Add a photo or a scan of the "
                                       "receipt (nota, kuitansi) as proof.")),
    receiver_count=bk.ReceiverCount(N_("Cash entries")),
)
