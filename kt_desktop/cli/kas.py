"""``kt-desktop kas …``: what the Buku Kas Umum adds to the book commands.

    kt-desktop kas tutup --month YYYY-MM            close a month (tutup buku)
    kt-desktop kas koreksi ID [--date YYYY-MM-DD]   a reversing entry that names ID
    kt-desktop kas kategori [NAMA …]                show the categories, or set the list

    kt-desktop iuran tarif [JUMLAH]                  show or set the monthly dues rate
    kt-desktop iuran bebas ID [--alasan TEXT | --hapus]   exempt a member, or end it
    kt-desktop iuran bayar ID --bulan YYYY-MM[,YYYY-MM…] [--tanggal] [--akun]
    kt-desktop iuran batal ID --bulan YYYY-MM        remove a payment typed by mistake
    kt-desktop iuran tunggakan [--sampai YYYY-MM] [--out FILE.pdf]   arrears per member

Entries are listed, added, exported and imported with ``kt-desktop book … kas``, the cash
book printed with ``kt-desktop report kas``, an activity's LPJ with ``report lpj``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from kt_desktop.cli import action, command_group, data_session, emit, iso_date
from kt_desktop.domain import clock
from kt_desktop.i18n import _


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from kt_desktop.cli.reports import _month

    actions = command_group(subparsers, common, "kas",
                            _("close a month of the cash book, or correct an entry"),
                            dest="kas_action")
    close = action(actions, common, "tutup",
                   _("close a month: its entries can no longer be changed"), _close)
    close.add_argument("--month", required=True, type=_month, metavar="YYYY-MM")
    correct = action(actions, common, "koreksi", _("add the entry that reverses entry ID"),
                     _correct)
    correct.add_argument("id", metavar="ID")
    correct.add_argument("--date", type=iso_date, default=None, metavar="YYYY-MM-DD",
                         help=_("the date of the correction (default: today)"))
    categories = action(actions, common, "kategori",
                        _("show the list of categories, or replace it"), _categories)
    categories.add_argument("names", nargs="*", metavar=_("NAME"),
                            help=_("the whole new list, e.g. Iuran anggota \"Sewa tenda\""))

    _register_dues(subparsers, common, _month)


def _register_dues(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser,
                   month: Any) -> None:
    actions = command_group(subparsers, common, "iuran",
                            _("members' dues: rate, exemptions, payments, arrears"),
                            dest="dues_action")
    rate = action(actions, common, "tarif", _("show or set the monthly dues rate"), _rate)
    rate.add_argument("amount", nargs="?", default=None, metavar=_("AMOUNT"),
                      help=_("e.g. 10.000"))
    exempt = action(actions, common, "bebas",
                    _("exempt a member from dues, or end the exemption"), _exempt)
    exempt.add_argument("member", metavar="ID")
    exempt.add_argument("--alasan", default="", metavar="TEXT", help=_("why"))
    exempt.add_argument("--hapus", action="store_true", help=_("end the exemption"))
    pay = action(actions, common, "bayar", _("record a member's dues for one or more months"),
                 _pay)
    pay.add_argument("member", metavar="ID")
    pay.add_argument("--bulan", required=True, metavar="YYYY-MM[,YYYY-MM]",
                     help=_("the months paid, separated by commas"))
    pay.add_argument("--tanggal", type=iso_date, default=None, metavar="YYYY-MM-DD",
                     help=_("the day it was paid (default: today)"))
    pay.add_argument("--akun", default="", metavar="TEXT",
                     help=_("the account (default: Kas tunai)"))
    pay.add_argument("--jumlah", default=None, metavar=_("AMOUNT"),
                     help=_("the amount of each month (default: the rate)"))
    undo = action(actions, common, "batal", _("remove a dues payment typed by mistake"), _unpay)
    undo.add_argument("member", metavar="ID")
    undo.add_argument("--bulan", required=True, type=month, metavar="YYYY-MM")
    owed = action(actions, common, "tunggakan", _("the members' arrears, listed or printed"),
                  _arrears)
    owed.add_argument("--sampai", type=month, default=None, metavar="YYYY-MM",
                      help=_("up to this month (default: this month)"))
    owed.add_argument("--out", default=None, metavar="FILE.pdf",
                      help=_("print the list to this PDF"))


def _close(args: argparse.Namespace) -> int:
    from kt_desktop.domain.book import book
    from kt_desktop.domain.formats import month_year
    from kt_desktop.services import books

    year, month = args.month
    with data_session(args) as session:
        books.close_month(session, book("kas"), year, month)
    emit(args, {"closed": f"{year:04d}-{month:02d}"},
         [_("{month} is closed.").format(month=month_year(dt.date(year, month, 1)))])
    return 0


def _correct(args: argparse.Namespace) -> int:
    from kt_desktop.domain.book import book
    from kt_desktop.services import books

    with data_session(args) as session:
        new_id = books.reverse(session, book("kas"), args.id, args.date or clock.today())
    emit(args, {"id": new_id, "corrects": args.id}, [_("Added: {id}").format(id=new_id)])
    return 0


def _rate(args: argparse.Namespace) -> int:
    from kt_desktop.domain.formats import rupiah
    from kt_desktop.services import dues

    with data_session(args) as session:
        value = dues.set_rate(session, args.amount) if args.amount else dues.rate(session)
    text = (_("Monthly dues: {amount}.").format(amount=rupiah(value)) if value
            else _("No dues rate is set yet: kt-desktop iuran tarif 10.000"))
    emit(args, {"rate": value}, [text])
    return 0


def _exempt(args: argparse.Namespace) -> int:
    from kt_desktop.services import dues

    with data_session(args) as session:
        dues.set_exempt(session, args.member, None if args.hapus else args.alasan)
    emit(args, {"member": args.member, "exempt": not args.hapus},
         [_("The exemption has ended.") if args.hapus else _("The member is exempt from dues.")])
    return 0


def _pay(args: argparse.Namespace) -> int:
    from kt_desktop.services import dues

    months = [m for m in args.bulan.replace(" ", "").split(",") if m]
    with data_session(args) as session:
        ids = dues.pay(session, args.member, months, on=args.tanggal or clock.today(),
                       account=args.akun, amount=args.jumlah)
    emit(args, {"ids": ids}, [_("Dues recorded in the cash book: {count} months.").format(
        count=len(ids))])
    return 0


def _unpay(args: argparse.Namespace) -> int:
    from kt_desktop.services import dues

    year, month = args.bulan
    with data_session(args) as session:
        removed = dues.unpay(session, args.member, f"{year:04d}-{month:02d}")
    emit(args, {"removed": removed},
         [_("Removed: {count} cash entries.").format(count=removed)])
    return 0 if removed else 1


def _arrears(args: argparse.Namespace) -> int:
    from pathlib import Path

    from kt_desktop.domain.dues import short_months
    from kt_desktop.domain.formats import rupiah
    from kt_desktop.services import dues

    today = clock.today()
    upto = args.sampai or (today.year, today.month)
    with data_session(args) as session:
        found = dues.arrears(session, upto)
        out = dues.build_arrears(session, upto, Path(args.out)) if args.out else None
    lines = [f"{a.name}\t{short_months(a.months)}\t{rupiah(a.amount)}" for a in found]
    if out is not None:
        lines.append(_("Written: {path}").format(path=out))
    emit(args, {"arrears": [{"member": a.member_id, "name": a.name, "months": a.months,
                             "amount": a.amount} for a in found],
                "total": sum(a.amount for a in found),
                **({"out": str(out)} if out else {})}, lines)
    return 0


def _categories(args: argparse.Namespace) -> int:
    from kt_desktop.domain.book import book
    from kt_desktop.services import books

    with data_session(args) as session:
        spec = book("kas")
        found = (books.set_choices(session, spec, "category", args.names) if args.names
                 else books.choices(session, spec, "category"))
    emit(args, {"categories": [{"value": code, "label": label} for code, label in found]},
         [label for _code, label in found])
    return 0
