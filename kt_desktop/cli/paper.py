"""``--paper``, ``--print``, ``--printer`` and ``--copies`` for every ``kt-desktop report``.

A report is laid out for one sheet (A4, F4 = 215 × 330 mm, Letter). Without ``--paper`` it is
A4, except when it is printed: then the printer's own default sheet (``lpoptions``), so the
pages come out as laid out, not refitted by the printer. Printing hands the PDF itself to
CUPS (``services.printing``): vector pages, not pictures.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kt_desktop.cli import CliRefusal
from kt_desktop.i18n import _


def add_options(parser: argparse.ArgumentParser) -> None:
    """The paper and printing options of one report kind."""
    from kt_desktop.domain import paper as papers

    parser.add_argument("--paper", choices=[p.key for p in papers.PAPERS], default=None,
                        help=_("the paper to lay the pages out for: a4, f4 (215×330 mm) or "
                               "letter (default: A4, or the printer's paper with --print)"))
    parser.add_argument("--print", dest="print_it", action="store_true",
                        help=_("also send the PDF to the printer (CUPS)"))
    parser.add_argument("--printer", default=None, metavar="NAME",
                        help=_("the printer to use with --print (default: the system's "
                               "default printer)"))
    parser.add_argument("--copies", type=int, default=1, metavar="N",
                        help=_("how many copies to print with --print (default 1)"))


def chosen_paper(args: argparse.Namespace) -> str:
    """The paper key to lay the report out for (see the module's note)."""
    from kt_desktop.domain import paper as papers

    if getattr(args, "paper", None):
        return str(args.paper)
    if _printing(args):
        from kt_desktop.services import printing

        found = printing.printer_paper(args.printer)
        if found is not None:
            return found.key
    return papers.DEFAULT.key


def _printing(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "print_it", False) or getattr(args, "printer", None))


def check(args: argparse.Namespace) -> None:
    """Refuse printing options that cannot work, before the report is made."""
    if not _printing(args) and getattr(args, "copies", 1) != 1:
        raise CliRefusal(_("--copies is only used with --print."))
    if _printing(args):
        from kt_desktop.services import printing

        if not printing.available():
            raise printing.no_print_system()


def print_if_asked(args: argparse.Namespace, path: Path, paper: str,
                   title: str) -> tuple[dict[str, Any], list[str]]:
    """Send ``path`` to the printer when asked: the JSON fields and the lines to print."""
    if not _printing(args):
        return {}, []
    from kt_desktop.domain import paper as papers
    from kt_desktop.services import printing

    sheet = papers.paper(paper)
    job = printing.submit(path, printer=args.printer, paper=sheet, laid_out_for=sheet,
                          copies=args.copies, title=title)
    summary = {"printer": job.printer, "job": job.job_id, "paper": sheet.key,
               "media": job.media, "copies": job.copies, "bytes_sent": job.bytes_sent}
    line = _("Sent to the printer {printer} (job {job}): paper {paper}, copies {copies}, "
             "{size} KB.").format(printer=job.printer, job=job.job_id or "-", copies=job.copies,
                paper=sheet.label, size=max(1, round(job.bytes_sent / 1024)))
    return summary, [line]
