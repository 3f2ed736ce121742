"""``init``, ``check`` and ``demo``."""

from __future__ import annotations

import argparse

from kt_desktop import regions
from kt_desktop.cli import CliRefusal, data_path, data_session, emit
from kt_desktop.domain import clock
from kt_desktop.domain.profile import Profile
from kt_desktop.i18n import _


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    init = subparsers.add_parser(
        "init", parents=[common], help=_("set up a village or receiver data file")
    )
    which = init.add_mutually_exclusive_group(required=True)
    which.add_argument("--village", metavar="CODE", help=_("Kemendagri code of the village"))
    which.add_argument(
        "--receiver", metavar="CODE", help=_("province (36) or kabupaten/kota (36.04) code")
    )
    which.add_argument(
        "--national", dest="receiver", action="store_const", const="00",
        help=_("the national receiver (Indonesia), which imports the provinces' aggregates"),
    )
    init.add_argument("--name", required=True, help=_("name of the Karang Taruna or receiver"))
    init.add_argument("--ketua", default="", help=_("name of the chair (Ketua)"))
    init.add_argument("--sekretaris", default="", help=_("name of the secretary (Sekretaris)"))
    init.add_argument("--bendahara", default="", help=_("name of the treasurer (Bendahara)"))
    init.set_defaults(handler=_init)

    check = subparsers.add_parser(
        "check", parents=[common], help=_("check the data file's integrity and schema")
    )
    check.set_defaults(handler=_check)

    demo = subparsers.add_parser(
        "demo", parents=[common], help=_("fill the data file with realistic demo data")
    )
    demo.add_argument("--members", type=int, default=150, metavar="N")
    demo.add_argument("--months", type=int, default=12, metavar="M")
    demo.add_argument("--seed", type=int, default=None, help=argparse.SUPPRESS)
    demo.add_argument(
        "--force", action="store_true", help=_("add demo data even if the file already holds data")
    )
    demo.set_defaults(handler=_demo)


def _init(args: argparse.Namespace) -> int:
    from kt_desktop.services import setup

    path = data_path(args)
    if args.village:
        result = setup.init_village(
            path,
            Profile(
                name=args.name,
                village_code=args.village,
                ketua=args.ketua,
                sekretaris=args.sekretaris,
                bendahara=args.bendahara,
            ),
        )
    else:
        result = setup.init_receiver(path, args.receiver, args.name)
    emit(
        args,
        {
            "path": str(result.path),
            "kind": result.kind,
            "code": result.code,
            "name": result.name,
            "region": result.region_name,
            "key_fingerprint": result.key_fingerprint,
        },
        [
            _("Made {kind} file {path}").format(
                kind=_("village") if result.kind == "village" else _("receiver"),
                path=result.path,
            ),
            f"  {result.name} — {result.region_name}",
            _("  Key fingerprint: {fp}").format(fp=result.key_fingerprint),
        ],
    )
    return 0


def _check(args: argparse.Namespace) -> int:
    from kt_desktop.services.check import check

    result = check(data_path(args))
    region = regions.full_name(result.code) if result.code and regions.get(result.code) else ""
    lines = [
        _("Data file: {path}").format(path=result.path),
        _("Schema: {found} (this program: {known})").format(
            found=result.schema_version, known=result.latest_version
        ),
    ]
    if result.kind:
        lines.append(
            _("Kind: {kind} {code} {region}").format(
                kind=_("village") if result.kind == "village" else _("receiver"),
                code=result.code,
                region=region,
            )
        )
    from kt_desktop.services.audit import table_label

    for table, count in result.counts.items():
        lines.append(f"  {table_label(table)}: {count}")
    lines += [f"  ! {problem}" for problem in result.problems]
    lines.append(_("Result: OK") if result.ok else _("Result: PROBLEMS FOUND"))
    emit(
        args,
        {
            "path": str(result.path),
            "ok": result.ok,
            "kind": result.kind,
            "code": result.code,
            "schema_version": result.schema_version,
            "latest_version": result.latest_version,
            "problems": result.problems,
            "counts": result.counts,
        },
        lines,
    )
    return 0 if result.ok else 1


def _demo(args: argparse.Namespace) -> int:
    from kt_desktop.services import demo
    from kt_desktop.services.audit import table_label
    if args.members < 0 or args.months < 0:
        raise CliRefusal(_("--members and --months must be 0 or more."))
    with data_session(args) as session:
        summary = demo.fill(
            session, members=args.members, months=args.months, seed=args.seed,
            today=clock.today(), force=args.force,
        )
    emit(
        args,
        summary,
        [_("Demo data added:")] + [f"  {table_label(table)}: {count}" for table, count in summary.items()],
    )
    return 0
