"""``kt-desktop report …``: every printed report, headless (scripts, tests, a receiver's batch).

    kt-desktop report monthly --month 2026-11 --out laporan.pdf [--nomor N] [--kendala T] [--rencana T]
    kt-desktop report members --out anggota.pdf [--include-left] [--reveal-nik --reason TEXT]
    kt-desktop report attendance (--activity ID | --training ID --session N) --out hadir.pdf
    kt-desktop report certificates --training ID --out sertifikat.pdf
    kt-desktop report annual --year 2026 --out tahunan.pdf
    kt-desktop report recap --from 2026-01-01 --to 2026-06-30 --out rekap.pdf
    kt-desktop report lpj --activity ID --out lpj.pdf
    kt-desktop report struktur --out struktur.pdf [--year YYYY]
    kt-desktop report kas --out kas.pdf [--year YYYY | --month YYYY-MM]   (every book: cli.books)

Each prints the path of the PDF it wrote (``--json``: ``{"report": ..., "path": ...}``).
Each takes ``--paper a4|f4|letter`` and ``--print [--printer NAME] [--copies N]``, which
hands the PDF to CUPS (see :mod:`kt_desktop.cli.paper`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from kt_desktop import i18n
from kt_desktop.cli import CliRefusal, data_session, emit, iso_date
from kt_desktop.cli import paper as paper_options
from kt_desktop.i18n import _


def _month(text: str) -> tuple[int, int]:
    try:
        day = dt.date.fromisoformat(f"{text.strip()}-01")
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{value} is not a month; write it as YYYY-MM, e.g. 2026-11.").format(value=text)
        ) from None
    return day.year, day.month


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    report = subparsers.add_parser(
        "report", parents=[common], help=_("make a printed report (PDF)")
    )
    kinds = report.add_subparsers(dest="report_kind", metavar=_("REPORT"))

    def usage(_args: argparse.Namespace) -> int:
        """``kt-desktop report`` without a kind: list the kinds (a usage error)."""
        report.print_help(sys.stderr)
        return 2

    report.set_defaults(handler=usage)

    def add(name: str, help_text: str, handler: Callable[[argparse.Namespace], int]
            ) -> argparse.ArgumentParser:
        parser = kinds.add_parser(name, parents=[common], help=help_text)
        parser.add_argument("--out", required=True, metavar="FILE.pdf",
                            help=_("where to write the PDF"))
        paper_options.add_options(parser)
        parser.add_argument(
            "--paper-language", choices=sorted(i18n.LANGUAGES), default=i18n.DOCUMENT_LANGUAGE,
            help=_("language of the paper: official papers are Indonesian (id); an English "
                   "copy only on request (en)"))
        parser.set_defaults(handler=handler)
        return parser

    monthly = add("monthly", _("the monthly report (Laporan Bulanan)"), _monthly)
    monthly.add_argument("--month", required=True, type=_month, metavar="YYYY-MM")
    monthly.add_argument("--nomor", default=None, metavar="TEXT",
                         help=_("letter number (default: the next number of the year)"))
    monthly.add_argument("--kendala", default=None, metavar="TEXT",
                         help=_("problems encountered this month"))
    monthly.add_argument("--rencana", default=None, metavar="TEXT",
                         help=_("plans for next month"))

    members = add("members", _("the member register (Buku Induk Anggota)"), _members)
    members.add_argument("--include-left", action="store_true",
                         help=_("also list members who have left"))
    members.add_argument("--reveal-nik", action="store_true",
                         help=_("print full NIKs (needs --reason; kept in the audit log)"))
    members.add_argument("--reason", default="", help=_("why the full NIKs are needed"))

    attendance = add("attendance", _("a blank attendance list to sign (Daftar Hadir)"),
                     _attendance)
    which = attendance.add_mutually_exclusive_group(required=True)
    which.add_argument("--activity", metavar="ID", help=_("the activity (or meeting)"))
    which.add_argument("--training", metavar="ID", help=_("the training"))
    which.add_argument("--rapat", metavar="ID", help=_("a meeting of the book of meetings"))
    attendance.add_argument("--session", type=int, default=None, metavar="N",
                            help=_("session number of the training (1 = the first)"))
    attendance.add_argument("--spare", type=int, default=10, metavar="N",
                            help=_("empty rows after the names (default 10)"))

    certificates = add("certificates", _("the certificates of a training's graduates"),
                       _certificates)
    certificates.add_argument("--training", required=True, metavar="ID")

    lpj = add("lpj", _("the accountability report of an activity's funds (LPJ)"), _lpj)
    lpj.add_argument("--activity", required=True, metavar="ID", help=_("the activity"))

    annual = add("annual", _("the yearly report (Laporan Tahunan)"), _annual)
    annual.add_argument("--year", required=True, type=int, metavar="YYYY")
    annual.add_argument("--nomor", default="", metavar="TEXT", help=_("letter number"))

    recap = add("recap", _("the activities between two dates (Rekap Kegiatan)"), _recap)
    recap.add_argument("--from", dest="start", required=True, type=iso_date, metavar="YYYY-MM-DD")
    recap.add_argument("--to", dest="end", required=True, type=iso_date, metavar="YYYY-MM-DD")

    struktur = add("struktur", _("the organisation chart of the officers (Struktur "
                                 "Organisasi)"), _struktur)
    struktur.add_argument("--year", type=int, default=None, metavar="YYYY",
                          help=_("the term that started that year (default: the term in "
                                 "force)"))
    minutes = add("notulen", _("the minutes of a meeting (notulen / berita acara)"), _notulen)
    minutes.add_argument("--rapat", required=True, metavar="ID", help=_("the meeting"))

    agenda = add("agenda", _("the agenda of incoming or outgoing letters (Buku Agenda Surat)"),
                 _agenda)
    agenda.add_argument("--arah", required=True, choices=("masuk", "keluar"),
                        help=_("masuk: incoming letters; keluar: outgoing letters"))
    agenda.add_argument("--year", type=int, default=None, metavar="YYYY")
    agenda.add_argument("--month", default=None, type=_month, metavar="YYYY-MM")

    # Every declared book's register (``report tamu``) comes from its declaration.
    from kt_desktop.cli.books import register_reports

    register_reports(add)
    from kt_desktop.cli import assessment

    assessment.register_reports(add)  # report profil

    # The receiver's aggregate report lives with the receiver's commands.
    from kt_desktop.cli.receiver import register_receiver_report

    register_receiver_report(kinds, common)


def _run(args: argparse.Namespace, kind: str, build: Callable[..., Path]) -> int:
    """Open the data file, ``build(session, paper)`` the report, print it when asked."""
    paper_options.check(args)
    paper = paper_options.chosen_paper(args)
    with data_session(args) as session, i18n.speaking(
        getattr(args, "paper_language", i18n.DOCUMENT_LANGUAGE)
    ):
        path = build(session, paper)
    printed, lines = paper_options.print_if_asked(args, path, paper, Path(path).stem)
    emit(args, {"report": kind, "path": str(path), "paper": paper, **printed},
         [_("Report written: {path}").format(path=path), *lines])
    return 0


def _out(args: argparse.Namespace) -> Path:
    return Path(args.out).expanduser()


def _monthly(args: argparse.Namespace) -> int:
    from kt_desktop.services import reports

    year, month = args.month
    return _run(args, "monthly", lambda session, paper: reports.build_monthly(
        session, year, month, _out(args), nomor_surat=args.nomor, kendala=args.kendala,
        rencana=args.rencana, paper=paper))


def _members(args: argparse.Namespace) -> int:
    from kt_desktop.services import reports

    if args.reason and not args.reveal_nik:
        raise CliRefusal(_("--reason is only used with --reveal-nik."))
    return _run(args, "members", lambda session, paper: reports.build_member_register(
        session, _out(args), reveal_nik=args.reveal_nik, reason=args.reason,
        include_left=args.include_left, paper=paper))


def _attendance(args: argparse.Namespace) -> int:
    from kt_desktop.services import reports

    if args.rapat:
        from kt_desktop.services import rapat

        return _run(args, "attendance", lambda session, paper: rapat.build_attendance(
            session, args.rapat, _out(args), spare_rows=args.spare, paper=paper))
    if args.activity:
        if args.session is not None:
            raise CliRefusal(_("--session belongs with --training, not with --activity."))
        return _run(args, "attendance", lambda session, paper: reports.build_activity_attendance(
            session, args.activity, _out(args), spare_rows=args.spare, paper=paper))
    if args.session is None:
        raise CliRefusal(_("Give the session of the training with --session N (1 = the first)."))
    return _run(args, "attendance", lambda session, paper: reports.build_training_attendance(
        session, args.training, args.session, _out(args), spare_rows=args.spare, paper=paper))


def _notulen(args: argparse.Namespace) -> int:
    from kt_desktop.services import rapat

    return _run(args, "notulen", lambda session, paper: rapat.build_notulen(
        session, args.rapat, _out(args), paper=paper))


def _agenda(args: argparse.Namespace) -> int:
    """``report agenda --arah masuk|keluar``: the register of ``surat-masuk`` or
    ``surat-keluar`` (the book framework's printed register)."""
    from kt_desktop.cli.books import _report

    args.book = f"surat-{args.arah}"
    return _report(args)


def _certificates(args: argparse.Namespace) -> int:
    from kt_desktop.services import reports

    return _run(args, "certificates", lambda session, paper: reports.build_certificates(
        session, args.training, _out(args), paper=paper))


def _annual(args: argparse.Namespace) -> int:
    from kt_desktop.services import reports

    return _run(args, "annual", lambda session, paper: reports.build_annual(
        session, args.year, _out(args), nomor_surat=args.nomor, paper=paper))


def _lpj(args: argparse.Namespace) -> int:
    from kt_desktop.services import kas

    return _run(args, "lpj", lambda session, paper: kas.build_lpj(
        session, args.activity, _out(args), paper=paper))


def _recap(args: argparse.Namespace) -> int:
    from kt_desktop.services import reports

    return _run(args, "recap", lambda session, paper: reports.build_recap(
        session, args.start, args.end, _out(args), paper=paper))


def _struktur(args: argparse.Namespace) -> int:
    from kt_desktop.services import pengurus

    return _run(args, "struktur", lambda session, paper: pengurus.build_struktur(
        session, _out(args), year=args.year, paper=paper))
