"""The receiver's commands: the aggregate report, the data export, village statuses, totals.

    kt-desktop report receiver --period 2026-11|2026 --out FILE.pdf [--area 36.04]
    kt-desktop export xlsx --out FILE.xlsx [--period 2026] [--area 36.04] [--reveal-nik]
    kt-desktop export csv --out DIR [--period 2026] [--area 36.04] [--reveal-nik]
    kt-desktop receiver status-import FILE.csv
    kt-desktop receiver summary [--period 2026-11] [--area 36.04]
    kt-desktop receiver funds [--period 2026] [--area 36.04]
    kt-desktop receiver recount
    kt-desktop receiver aggregate-export --out DIR [--year 2026]   (a province)
    kt-desktop receiver national [--year 2026] [--month 11]        (the national file)

``report receiver`` joins the ``report`` command of :mod:`kt_desktop.cli.reports` (argparse
allows one parser per name, so this module adds its kind to that parser's sub-commands;
``register_receiver_report`` is the hook, also callable directly).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kt_desktop.cli import CliRefusal, action, data_session, emit
from kt_desktop.domain.errors import KtError
from kt_desktop.domain.formats import number
from kt_desktop.i18n import _


def _period(text: str) -> Any:
    from kt_desktop.services import receiver

    try:
        return receiver.parse_period(text)
    except KtError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """``export xlsx|csv``; ``report receiver`` is added by ``cli/reports.py``."""
    export = subparsers.add_parser(
        "export", parents=[common], help=_("export a receiver's data for analysis")
    )
    formats = export.add_subparsers(dest="export_kind", metavar=_("FORMAT"))
    for name, help_text, metavar in (
        ("xlsx", _("one workbook: a sheet per table and one of totals"), "FILE.xlsx"),
        ("csv", _("a folder of CSV files, one per table"), "DIR"),
    ):
        parser = formats.add_parser(name, parents=[common], help=help_text)
        parser.add_argument("--out", required=True, metavar=metavar,
                            help=_("where to write it"))
        parser.add_argument("--period", type=_period, default=None, metavar="YYYY[-MM]",
                            help=_("the month or year of activities and trainings "
                                   "(default: this year)"))
        parser.add_argument("--area", default=None, metavar="CODE",
                            help=_("only this kabupaten, kecamatan or village"))
        parser.add_argument("--reveal-nik", action="store_true",
                            help=_("write full NIKs (kept in the audit log)"))
        parser.set_defaults(handler=_export, export_format=name)

    receiver = subparsers.add_parser(
        "receiver", parents=[common], help=_("a receiver's villages and totals")
    )
    actions = receiver.add_subparsers(dest="receiver_action", metavar=_("ACTION"))
    status = action(actions, common, "status-import",
                    _("import desa statuses (mandiri/berkembang/tertinggal) from a CSV file"),
                    _status_import)
    status.add_argument("file", metavar="FILE.csv",
                        help=_("columns kode (or kode_desa), status, tahun, sumber"))
    for name, help_text, period_help, handler in (
        ("summary", _("who reported and the totals of a period"),
         _("a month or a year (default: this month)"), _summary),
        ("funds", _("the money the villages' cash books received, by kabupaten/kota and source"),
         _("a month or a year (default: this year)"), _funds),
    ):
        totals = action(actions, common, name, help_text, handler)
        totals.add_argument("--period", type=_period, default=None, metavar="YYYY[-MM]",
                            help=period_help)
        totals.add_argument("--area", default=None, metavar="CODE",
                            help=_("a kabupaten, kecamatan or village of the area"))
    action(actions, common, "recount", _("count every village's summary again from the records"),
           _recount)
    aggregate = action(actions, common, "aggregate-export",
                       _("write the province's signed aggregate for the national level (no "
                         "names, no NIK)"), _aggregate_export)
    aggregate.add_argument("--out", required=True, metavar="DIR",
                           help=_("the folder to write the .kta file to"))
    aggregate.add_argument("--year", type=int, default=None, help=_("the year (default: this year)"))
    national = action(actions, common, "national",
                      _("the national recap of the provinces' aggregates (a national file)"),
                      _national)
    national.add_argument("--year", type=int, default=None,
                          help=_("the year (default: the newest imported)"))
    national.add_argument("--month", type=int, default=None, choices=range(1, 13),
                          metavar="1-12", help=_("one month of the year"))


def register_receiver_report(
    kinds: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> None:
    """Add ``receiver`` to the kinds of ``kt-desktop report``."""
    if "receiver" in kinds.choices:
        return
    parser = kinds.add_parser(
        "receiver", parents=[common],
        help=_("the receiver's summary of its villages (Rekapitulasi), for a month or a year"),
    )
    parser.add_argument("--out", required=True, metavar="FILE.pdf",
                        help=_("where to write the PDF"))
    parser.add_argument("--period", required=True, type=_period, metavar="YYYY[-MM]",
                        help=_("a month (2026-11) or a year (2026)"))
    parser.add_argument("--area", default=None, metavar="CODE",
                        help=_("a kabupaten (by kecamatan) instead of the whole area"))
    from kt_desktop.cli import paper as paper_options

    paper_options.add_options(parser)
    parser.set_defaults(handler=_report)



def _report(args: argparse.Namespace) -> int:
    from kt_desktop.cli import paper as paper_options
    from kt_desktop.services import receiver

    paper_options.check(args)
    paper = paper_options.chosen_paper(args)
    with data_session(args) as session:
        path = receiver.build_report(session, args.period, Path(args.out).expanduser(),
                                     area=args.area, paper=paper)
    printed, lines = paper_options.print_if_asked(args, path, paper, Path(path).stem)
    emit(args, {"report": "receiver", "period": args.period.key, "path": str(path),
                "paper": paper, **printed},
         [_("Report written: {path}").format(path=path), *lines])
    return 0


def _export(args: argparse.Namespace) -> int:
    from kt_desktop.services import receiver_export

    out = Path(args.out).expanduser()
    with data_session(args) as session:
        if args.export_format == "xlsx":
            result = receiver_export.export_xlsx(
                session, out, area=args.area, period=args.period, reveal_nik=args.reveal_nik
            )
        else:
            if out.exists() and not out.is_dir():
                raise CliRefusal(_("{path} is a file; give a folder for the CSV files.").format(
                    path=out))
            result = receiver_export.export_csv(
                session, out, area=args.area, period=args.period, reveal_nik=args.reveal_nik
            )
    titles = {sheet.key: sheet.title for sheet in receiver_export.SHEETS}  # the sheets' names
    emit(
        args,
        {"path": str(result.path), "period": result.period.key, "area": result.area,
         "rows": result.rows, "nik_revealed": result.nik_revealed},
        [_("Written: {path}").format(path=result.path)]
        + [f"  {titles.get(sheet, sheet)}: {number(count)}" for sheet, count in result.rows.items()],
    )
    return 0


def _status_import(args: argparse.Namespace) -> int:
    from kt_desktop.services import receiver

    with data_session(args) as session:
        result = receiver.import_village_status(session, Path(args.file).expanduser())
    emit(
        args,
        {"rows": result.rows, "villages": result.villages, "years": list(result.years),
         "counts": result.counts},
        [_("Village statuses imported: {rows} rows, {villages} desa, year(s) {years}.").format(
            rows=result.rows, villages=result.villages,
            years=", ".join(str(y) for y in result.years))]
        + [f"  {receiver.status_label(status)}: {count}"
           for status, count in sorted(result.counts.items())],
    )
    return 0


def _aggregate_export(args: argparse.Namespace) -> int:
    from kt_desktop.services import national

    with data_session(args) as session:
        made = national.export_aggregate(session, Path(args.out).expanduser(), year=args.year)
    emit(args, {"path": str(made.path), "seq": made.seq, "year": made.year,
                "province": made.province, "villages": made.villages,
                "enrolled": made.enrolled, "rows": made.rows, "bytes": made.bytes},
         [_("Aggregate written: {path}").format(path=made.path),
          _("  {year}, number {seq}: {rows} figures of {enrolled} villages, {size} KB; "
            "no names and no NIK.").format(year=made.year, seq=made.seq,
                                           rows=number(made.rows), enrolled=number(made.enrolled),
                                           size=number(made.bytes // 1024))])
    return 0


def _national(args: argparse.Namespace) -> int:
    from kt_desktop.services import national

    with data_session(args) as session:
        recap = national.national_recap(session, args.year, args.month)
    lines = national.recap_lines(recap)
    emit(args, national.recap_dict(recap), lines)
    return 0


def _recount(args: argparse.Namespace) -> int:
    from kt_desktop.services import receiver

    with data_session(args) as session:
        counted = receiver.recount(session)
    emit(args, {"villages": counted},
         [_("Summaries counted again: {villages} villages.").format(villages=counted)])
    return 0


def _funds(args: argparse.Namespace) -> int:
    from kt_desktop.domain.formats import rupiah
    from kt_desktop.services import kas, receiver

    with data_session(args) as session:
        period = args.period or receiver.year_period(receiver.this_month().start.year)
        found = kas.receiver_funds(session, period, args.area)
    lines = [_("{area}: {source} {amount} ({villages} villages)").format(
        area=row.name, source=row.label, amount=rupiah(row.amount), villages=row.villages)
        for row in found] or [_("No cash book of the area received money in {period}.").format(
            period=period.key)]
    emit(args, {"period": period.key, "funds": [
        {"kabupaten": row.code, "name": row.name, "source": row.source, "amount": row.amount,
         "villages": row.villages} for row in found]}, lines)
    return 0


def _summary(args: argparse.Namespace) -> int:
    from kt_desktop.services import receiver

    with data_session(args) as session:
        period = args.period or receiver.this_month()
        table = receiver.reporting_table(session, period, args.area)
        totals = receiver.totals(session, period, args.area)
        missing = receiver.missing_villages(session, period, args.area)
    figures = totals.all
    summary = {
        "area": totals.area,
        "period": period.key,
        "villages": figures.villages,
        "enrolled": figures.enrolled,
        "reported": figures.reported,
        "not_reported": [item.place.code for item in missing],
        "members": {"L": figures.members_male, "P": figures.members_female},
        "activities": figures.activity_count,
        "beneficiaries": figures.beneficiary_count,
        "trainings": figures.trainings,
        "participants": figures.participants,
        "graduates": figures.graduates,
        "employed": figures.employed,
        "business": figures.business,
        "by_region": {
            row.code: {"villages": row.villages, "enrolled": row.enrolled,
                       "months": dict(zip(table.months, row.by_month, strict=True))}
            for row in table.rows
        },
    }
    emit(args, summary, [
        f"{totals.area_name} — {period.label}",
        _("Villages: {villages}, enrolled {enrolled}, reported {reported}").format(
            villages=figures.villages, enrolled=figures.enrolled, reported=figures.reported),
        _("Members: {total} ({male} M, {female} F)").format(
            total=figures.members, male=figures.members_male, female=figures.members_female),
        _("Activities carried out: {count}; beneficiaries: {people}").format(
            count=figures.activity_count, people=figures.beneficiary_count),
        _("Trainings: {count}, participants {participants}, graduates {graduates}").format(
            count=figures.trainings, participants=figures.participants,
            graduates=figures.graduates),
    ])
    return 0
