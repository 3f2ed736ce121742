"""``kt-desktop assessment …`` and ``kt-desktop report profil``: the self-assessment.

    kt-desktop assessment show [--date YYYY-MM-DD]          (a village: every indicator)
    kt-desktop assessment gaps                              (a village: Kelengkapan buku)
    kt-desktop assessment rubric --since YYYY-MM-DD [--berkembang N --maju N --percontohan N
                                 --members N --trainings N --partners N --sources N
                                 --activities N]
    kt-desktop assessment ranking [--area CODE] [--quiet]  (a receiver: villages by score)
    kt-desktop report profil --out FILE.pdf                 (Profil Karang Taruna)
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kt_desktop.cli import data_session, emit, iso_date
from kt_desktop.i18n import _

_RUBRIC_FIELDS = ("berkembang", "maju", "percontohan", "members", "trainings", "partners",
                  "sources", "activities")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    command = subparsers.add_parser(
        "assessment", parents=[common],
        help=_("the self-assessment on the six aspects, the books' gaps, the ranking"))
    actions = command.add_subparsers(dest="assessment_action", metavar=_("ACTION"))

    def usage(_args: argparse.Namespace) -> int:
        command.print_help()
        return 2

    command.set_defaults(handler=usage)
    show = actions.add_parser("show", parents=[common], help=_("every indicator and the class"))
    show.add_argument("--date", type=iso_date, default=None, metavar="YYYY-MM-DD",
                      help=_("the day assessed (default: today)"))
    show.set_defaults(handler=_show)
    gaps = actions.add_parser("gaps", parents=[common],
                              help=_("which books are kept and what is missing"))
    gaps.set_defaults(handler=_gaps)
    rubric = actions.add_parser("rubric", parents=[common],
                                help=_("set the rubric from a day on"))
    rubric.add_argument("--since", type=iso_date, required=True, metavar="YYYY-MM-DD")
    for name in _RUBRIC_FIELDS:
        rubric.add_argument(f"--{name}", type=int, default=None, metavar="N")
    rubric.set_defaults(handler=_rubric)
    ranking = actions.add_parser("ranking", parents=[common],
                                 help=_("the villages by their score (a receiver file)"))
    ranking.add_argument("--area", default=None, metavar=_("CODE"),
                         help=_("a kabupaten/kota, e.g. 36.04"))
    ranking.add_argument("--quiet", action="store_true",
                         help=_("only the villages whose books have gone quiet"))
    ranking.set_defaults(handler=_ranking)


def register_reports(add: Callable[..., argparse.ArgumentParser]) -> None:
    """``kt-desktop report profil --out FILE.pdf`` (called by ``cli.reports``)."""
    add("profil", _("the Profil Karang Taruna with the self-assessment"), _profil)


def _with_session(args: argparse.Namespace, work: Callable[[Any], int]) -> int:
    with data_session(args) as session:
        return work(session)


def _score(value: float) -> str:
    from kt_desktop.domain.formats import number

    return number(round(value, 1))


def _show(args: argparse.Namespace) -> int:
    from kt_desktop.domain.assessment import ASPECTS, aspect_label, class_label
    from kt_desktop.services import assessment

    def work(session: Any) -> int:
        result = assessment.assess(session, args.date)
        lines = [_("Total {score} of 100: {klass}").format(
            score=_score(result.total), klass=class_label(result.klass))]
        for key, _label in ASPECTS:
            lines.append(f"{aspect_label(key)}: {_score(result.aspect_score(key))}")
            lines += [f"  {i.title}: {i.value} → {_score(i.score)}"
                      for i in result.indicators if i.aspect == key]
        emit(args, {
            "total": round(result.total, 1), "class": result.klass,
            "rubric_since": result.rubric.since.isoformat(),
            "aspects": {key: round(result.aspect_score(key), 1) for key, _l in ASPECTS},
            "indicators": [{"key": i.key, "aspect": i.aspect, "score": round(i.score, 1),
                            "value": i.value} for i in result.indicators],
        }, lines)
        return 0

    return _with_session(args, work)


def _gaps(args: argparse.Namespace) -> int:
    from kt_desktop.services import completeness

    def work(session: Any) -> int:
        found = completeness.summary(session)
        lines = [f"{b.title}: {completeness.state_label(b.state)} ({b.recent}/{b.lately})"
                 for b in found.books]
        lines += [f"{gap.heading}: {gap.text}" for gap in found.gaps]
        emit(args, {"books": [{"title": b.title, "state": b.state, "total": b.total,
                               "last_30_days": b.recent, "last_90_days": b.lately}
                              for b in found.books],
                    "gaps": [{"kind": g.kind, "text": g.text, "page": g.page,
                              "target": g.target} for g in found.gaps]}, lines)
        return 0

    return _with_session(args, work)


def _rubric(args: argparse.Namespace) -> int:
    from kt_desktop.domain.formats import date_long
    from kt_desktop.services import assessment

    def work(session: Any) -> int:
        current = assessment.rubric_on(session, args.since)
        changes = {name: getattr(args, name) for name in _RUBRIC_FIELDS
                   if getattr(args, name) is not None}
        rubric = dataclasses.replace(current, since=args.since, **changes)
        assessment.save_rubric(session, rubric)
        emit(args, {"since": rubric.since.isoformat(),
                    **{name: getattr(rubric, name) for name in _RUBRIC_FIELDS}},
             [_("Rubric kept from {date}.").format(date=date_long(rubric.since))])
        return 0

    return _with_session(args, work)


def _ranking(args: argparse.Namespace) -> int:
    from kt_desktop.domain.assessment import class_label
    from kt_desktop.services import assessment, receiver

    def work(session: Any) -> int:
        today = receiver.today_here()
        scores = assessment.ranking(session, args.area, today=today)
        if args.quiet:
            scores = assessment.quiet_villages(scores, today)
        emit(args, {"villages": [
            {"rank": n, "code": s.code, "name": s.name, "total": round(s.assessment.total, 1),
             "class": s.assessment.klass, "quiet": s.quiet(today),
             "last_written": s.last_written.isoformat() if s.last_written else None}
            for n, s in enumerate(scores, 1)]},
            [f"{n}. {s.code} {s.name}: {_score(s.assessment.total)} "
             f"({class_label(s.assessment.klass)})" for n, s in enumerate(scores, 1)]
            or [_("No village has sent data yet.")])
        return 0

    return _with_session(args, work)


def _profil(args: argparse.Namespace) -> int:
    from kt_desktop.cli.reports import _run
    from kt_desktop.services import assessment

    return _run(args, "profil", lambda session, paper: assessment.build_profile(
        session, Path(args.out).expanduser(), paper=paper))
