"""``kt-desktop book …`` and ``kt-desktop report BOOK``: every declared book, headless.

    kt-desktop book list BOOK [--search WORDS] [--year YYYY]
    kt-desktop book add BOOK FIELD=VALUE ...
    kt-desktop book remove BOOK ID
    kt-desktop book export BOOK FILE [--separator ;]
    kt-desktop book import BOOK FILE [--dry-run]
    kt-desktop report BOOK --out FILE.pdf [--year YYYY | --month YYYY-MM]

BOOK is a declared book's key (``tamu``). ``--json`` prints a summary on stdout.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kt_desktop.cli import CliRefusal, data_session, emit
from kt_desktop.domain.book import CHOICE, MONEY, BookRecord, BookSpec, all_books, book
from kt_desktop.domain.formats import date_short, rupiah
from kt_desktop.i18n import _


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("book", parents=[common],
                                   help=_("list, add, export or import a book (e.g. tamu)"))
    actions = parser.add_subparsers(dest="book_action", metavar=_("ACTION"))
    keys = [spec.key for spec in all_books()]

    def add(name: str, help_text: str, handler: Callable[[argparse.Namespace], int]
            ) -> argparse.ArgumentParser:
        action = actions.add_parser(name, parents=[common], help=help_text)
        action.add_argument("book", choices=keys, metavar="BOOK",
                            help=_("the book: {keys}").format(keys=", ".join(keys)))
        action.set_defaults(handler=handler)
        return action

    listing = add("list", _("print the book's records"), _list)
    listing.add_argument("--search", default="", metavar="WORDS")
    listing.add_argument("--year", type=int, default=None, metavar="YYYY")
    adding = add("add", _("add a record from FIELD=VALUE pairs"), _add)
    adding.add_argument("values", nargs="+", metavar="FIELD=VALUE")
    removing = add("remove", _("remove a record (it travels as a removal)"), _remove)
    removing.add_argument("id", metavar="ID")
    export = add("export", _("write the book to an .xlsx or .csv file"), _export)
    export.add_argument("file", metavar="FILE")
    export.add_argument("--separator", choices=(",", ";"), default=";",
                        help=_("CSV separator (default ; for Indonesian Excel)"))
    load = add("import", _("add records from an .xlsx or .csv file"), _import)
    load.add_argument("file", metavar="FILE")
    load.add_argument("--dry-run", action="store_true",
                      help=_("check every row and print the summary, but change nothing"))
    parser.set_defaults(handler=lambda _args: _usage(parser))


def register_reports(add: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``report BOOK`` for every declared book (called by ``cli.reports``)."""
    from kt_desktop.cli.reports import _month as month_type  # the monthly report's parser

    for spec in all_books():
        parser = add(spec.key, _("the printed {book}").format(book=_(spec.title)), _report)
        parser.add_argument("--year", type=int, default=None, metavar="YYYY",
                            help=_("only the records of that year"))
        parser.add_argument("--month", default=None, type=month_type, metavar="YYYY-MM",
                            help=_("only the records of that month"))
        parser.set_defaults(book=spec.key)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _with_session(args: argparse.Namespace, work: Callable[[Any, BookSpec], int]) -> int:
    with data_session(args) as session:
        return work(session, book(args.book))


def _line(spec: BookSpec, record: BookRecord) -> dict[str, Any]:
    return {"id": record.id, **{k: v.isoformat() if hasattr(v, "isoformat") else v
                                for k, v in record.values.items()}}


def _cell(spec: BookSpec, key: str, value: Any) -> str:
    """A value as the list prints it: dates as DD/MM/YYYY, money as Rp1.500.000, a choice
    by its name."""
    if hasattr(value, "isoformat"):
        return date_short(value)
    item = spec.field(key)
    if item.kind == MONEY and isinstance(value, int):
        return rupiah(value)
    if item.kind == CHOICE:
        return next((_(label) for code, label in item.choices if code == value), value or "")
    return str(value if value is not None else "")


def _list(args: argparse.Namespace) -> int:
    from kt_desktop.services import books

    def work(session: Any, spec: BookSpec) -> int:
        query = books.BookQuery(search=args.search, year=args.year)
        found = books.list_page(session, spec, query, limit=1_000_000)
        lines = []
        for record in found.rows:
            cells = [_cell(spec, c.field, record.get(c.field)) for c in spec.columns]
            lines.append(" | ".join([record.id[:8], *cells]))
        lines.append(_("{n} records").format(n=found.total))
        emit(args, {"book": spec.key, "total": found.total,
                    "rows": [_line(spec, r) for r in found.rows]}, lines)
        return 0

    return _with_session(args, work)


def _add(args: argparse.Namespace) -> int:
    from kt_desktop.services import books

    values = {}
    for pair in args.values:
        key, sep, value = pair.partition("=")
        if not sep:
            raise CliRefusal(_("Write each value as FIELD=VALUE (not {pair}).").format(pair=pair))
        values[key.strip()] = value

    def work(session: Any, spec: BookSpec) -> int:
        unknown = set(values) - {f.key for f in spec.fields}
        if unknown:
            raise CliRefusal(_("{book} has no field {names}; its fields are: {known}.").format(
                book=_(spec.title), names=", ".join(sorted(unknown)),
                known=", ".join(f.key for f in spec.fields)))
        new_id = books.add(session, spec, values)
        warned = books.warnings(session, spec, new_id)
        for line in warned:
            print(_("Warning: {text}").format(text=line), file=sys.stderr)
        emit(args, {"book": spec.key, "id": new_id, "warnings": warned},
             [_("Added: {id}").format(id=new_id)])
        return 0

    return _with_session(args, work)


def _remove(args: argparse.Namespace) -> int:
    from kt_desktop.services import books

    def work(session: Any, spec: BookSpec) -> int:
        books.remove(session, spec, args.id)
        emit(args, {"book": spec.key, "removed": args.id}, [_("Removed: {id}").format(id=args.id)])
        return 0

    return _with_session(args, work)


def _export(args: argparse.Namespace) -> int:
    from kt_desktop.services import books

    def work(session: Any, spec: BookSpec) -> int:
        path = Path(args.file).expanduser()
        count = books.export(session, spec, path, separator=args.separator)
        emit(args, {"book": spec.key, "file": str(path), "rows": count},
             [_("{n} rows written to {file}").format(n=count, file=path)])
        return 0

    return _with_session(args, work)


def _import(args: argparse.Namespace) -> int:
    from kt_desktop.services import books

    def work(session: Any, spec: BookSpec) -> int:
        plan = books.preview(spec, Path(args.file).expanduser())
        added = 0 if args.dry_run else books.commit(session, spec, plan)
        refused = [(row.line, "; ".join(row.errors)) for row in plan.refused]
        lines = [_("Rows: {rows} · accepted: {ok} · refused: {bad}").format(
            rows=len(plan.rows), ok=len(plan.accepted), bad=len(refused))]
        lines += [_("Row {line}: {reason}").format(line=line, reason=reason)
                  for line, reason in refused]
        if args.dry_run:
            lines.append(_("Dry run: nothing was changed."))
        emit(args, {"book": spec.key, "rows": len(plan.rows), "new": added,
                    "rejected": len(refused), "dry_run": args.dry_run,
                    "errors": [{"line": ln, "reason": r} for ln, r in refused]}, lines)
        return 0

    return _with_session(args, work)


def _report(args: argparse.Namespace) -> int:
    from kt_desktop.services import books

    year, month = args.month or (None, None)
    if year is not None and args.year not in (None, year):
        raise CliRefusal(_("--year and --month name different years; give one of them."))
    year = year if year is not None else args.year

    def work(session: Any, spec: BookSpec) -> int:
        path = books.build_register(session, spec, Path(args.out).expanduser(), year=year,
                                    month=month)
        emit(args, {"report": spec.key, "path": str(path)},
             [_("Report written: {path}").format(path=path)])
        return 0

    return _with_session(args, work)
