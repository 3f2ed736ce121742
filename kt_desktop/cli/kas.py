"""``kt-desktop kas …``: what the Buku Kas Umum adds to the book commands.

    kt-desktop kas tutup --month YYYY-MM            close a month (tutup buku)
    kt-desktop kas koreksi ID [--date YYYY-MM-DD]   a reversing entry that names ID

Entries are listed, added, exported and imported with ``kt-desktop book … kas``, the cash
book printed with ``kt-desktop report kas``, an activity's LPJ with ``report lpj``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from kt_desktop.cli import data_path, emit, iso_date
from kt_desktop.domain import clock
from kt_desktop.i18n import _


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from kt_desktop.cli.reports import _month

    parser = subparsers.add_parser("kas", parents=[common],
                                   help=_("close a month of the cash book, or correct an entry"))
    actions = parser.add_subparsers(dest="kas_action", metavar=_("ACTION"))
    close = actions.add_parser("tutup", parents=[common],
                               help=_("close a month: its entries can no longer be changed"))
    close.add_argument("--month", required=True, type=_month, metavar="YYYY-MM")
    close.set_defaults(handler=_close)
    correct = actions.add_parser("koreksi", parents=[common],
                                 help=_("add the entry that reverses entry ID"))
    correct.add_argument("id", metavar="ID")
    correct.add_argument("--date", type=iso_date, default=None, metavar="YYYY-MM-DD",
                         help=_("the date of the correction (default: today)"))
    correct.set_defaults(handler=_correct)

    def usage(_args: argparse.Namespace) -> int:
        parser.print_help()
        return 2

    parser.set_defaults(handler=usage)


def _session(args: argparse.Namespace) -> Any:
    from kt_desktop.services.session import open_session

    return open_session(data_path(args))


def _close(args: argparse.Namespace) -> int:
    from kt_desktop.domain.book import book
    from kt_desktop.domain.formats import month_year
    from kt_desktop.services import books

    year, month = args.month
    session = _session(args)
    try:
        books.close_month(session, book("kas"), year, month)
    finally:
        session.close()
    emit(args, {"closed": f"{year:04d}-{month:02d}"},
         [_("{month} is closed.").format(month=month_year(dt.date(year, month, 1)))])
    return 0


def _correct(args: argparse.Namespace) -> int:
    from kt_desktop.domain.book import book
    from kt_desktop.services import books

    session = _session(args)
    try:
        new_id = books.reverse(session, book("kas"), args.id, args.date or clock.today())
    finally:
        session.close()
    emit(args, {"id": new_id, "corrects": args.id}, [_("Added: {id}").format(id=new_id)])
    return 0
