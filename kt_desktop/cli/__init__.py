"""The command line (docs/DESIGN.md, "Command line"): a contract that scripts, receivers and tests rely on.

Exit 0 on success, 1 when the input was refused (one line on stderr saying why), 2 for
usage errors. ``--json`` prints a machine-readable summary on stdout where a command has one.
Each area registers its subcommands from its own module (``COMMAND_MODULES``).

A command that writes the data file holds its lock while it runs (``store/lock.py``, the
lock the GUI holds while the file is open): refused while KT Desktop has the file open,
waiting while another command writes it. Commands in :data:`READ_ONLY_COMMANDS` do not take
it and run beside an open window.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kt_desktop import __version__, paths
from kt_desktop.domain.errors import KtError
from kt_desktop.i18n import N_, _, saved_language, set_language

if TYPE_CHECKING:
    from kt_desktop.services.session import Session

log = logging.getLogger(__name__)

#: Modules with a ``register(subparsers, common)`` function, in help order.
COMMAND_MODULES = [
    "kt_desktop.cli.setup_commands",
    "kt_desktop.cli.profile",
    "kt_desktop.cli.members",
    "kt_desktop.cli.books",
    "kt_desktop.cli.kas",
    "kt_desktop.cli.surat",
    "kt_desktop.cli.maintenance",
    "kt_desktop.cli.reports",
    "kt_desktop.cli.bundles",
    "kt_desktop.cli.receiver",
    "kt_desktop.cli.receipts",
    "kt_desktop.cli.assessment",
]

Handler = Callable[[argparse.Namespace], int]

#: Commands that only read the data file (``report`` and ``export`` add an audit line, a
#: short write that SQLite's busy timeout fits beside a running window). Every other command
#: takes the data file's lock. A new read-only command is added here.
READ_ONLY_COMMANDS = frozenset({
    "check", "backups", "report", "export", "members export", "keys show", "keys export",
    "bundle status", "receiver summary", "receiver funds", "profile show", "book list",
    "book export", "assessment show", "assessment gaps", "assessment ranking",
})

#: argparse's own messages (it translates them through gettext's "argparse" domain, which
#: has no Indonesian catalog); routed through ours so usage errors read in Indonesian too.
ARGPARSE_MESSAGES = [
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
]


class CliRefusal(KtError):
    """A refusal raised by a command handler itself (exit 1)."""


def data_path(args: argparse.Namespace) -> Path:
    """``--data``, or the user's default data file."""
    value = getattr(args, "data", None)
    return Path(value).expanduser() if value else paths.default_data_file()


def iso_date(text: str) -> dt.date:
    """An argparse ``type`` for YYYY-MM-DD dates, refusing in the user's language."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{value} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-30.").format(
                value=text
            )
        ) from None


def command_name(parser: argparse.ArgumentParser, args: argparse.Namespace) -> tuple[str, bool]:
    """(``"members import"``, complete): the words of the command given, and False when a
    command group was given without its action (its handler prints the usage)."""
    words: list[str] = []
    current = parser
    while True:
        action = next(
            (a for a in current._actions if isinstance(a, argparse._SubParsersAction)), None
        )
        if action is None:
            return " ".join(words), True
        value = getattr(args, action.dest, None) if action.dest != argparse.SUPPRESS else None
        if not value:
            return " ".join(words), False
        words.append(value)
        current = action.choices[value]


def writes(name: str) -> bool:
    """Whether the command ``name`` (``"report monthly"``) may change the data file."""
    words = name.split()
    return not any(" ".join(words[:n]) in READ_ONLY_COMMANDS for n in range(1, len(words) + 1))


def take_write_lock(path: Path, name: str) -> Any:
    """Hold the data file's lock for the command ``name``; None where none can be taken.

    A folder given as the data file is refused here, before a lock file is made beside it.
    A missing or read-only folder gets no lock (nobody can write a data file there; the
    command says what is wrong).
    """
    from kt_desktop.domain.errors import DataFileError
    from kt_desktop.store import lock

    if path.is_dir():
        raise DataFileError(
            _(
                "{path} is a folder, not a data file. Give the data file itself (the .sqlite "
                "file) with --data."
            ).format(path=path),
            code="folder",
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        return None
    held = lock.DataFileLock(path, role=lock.CLI, command=name)
    held.acquire(wait=lock.WAIT_SECONDS)
    return held


def emit(args: argparse.Namespace, summary: dict[str, Any], lines: Sequence[str]) -> None:
    """Print ``summary`` as JSON with ``--json``, else the human ``lines``."""
    if getattr(args, "json", False):
        print(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
    else:
        for line in lines:
            print(line)


@contextmanager
def data_session(args: argparse.Namespace) -> Iterator[Session]:
    """A session on the data file of ``--data``, closed when the command's work is done
    (also when it fails), so that the lock and the connection never outlive the command."""
    from kt_desktop.services.session import open_session, update_notice, update_notice_due

    path = data_path(args)
    if update_notice_due(path):  # a minute or more of silence otherwise
        print(update_notice(path), file=sys.stderr, flush=True)
    session = open_session(path)
    try:
        yield session
    finally:
        session.close()


def usage(parser: argparse.ArgumentParser, *, to_stderr: bool = False) -> Handler:
    """The handler of a command given without its action: the command's help, exit 2 (a
    usage error). The stream is looked up when the help is printed (tests capture it)."""

    def handler(_args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr if to_stderr else None)
        return 2

    return handler


def command_group(
    subparsers: argparse._SubParsersAction,
    common: argparse.ArgumentParser,
    name: str,
    help_text: str,
    *,
    dest: str,
    usage_to_stderr: bool = False,
) -> argparse._SubParsersAction:
    """``kt-desktop NAME ACTION …``: the command ``name`` and the sub-parsers its actions are
    added to (:func:`action`); ``name`` alone prints its help (:func:`usage`)."""
    parser = subparsers.add_parser(name, parents=[common], help=help_text)
    actions = parser.add_subparsers(dest=dest, metavar=_("ACTION"))
    parser.set_defaults(handler=usage(parser, to_stderr=usage_to_stderr))
    return actions


def action(
    actions: argparse._SubParsersAction,
    common: argparse.ArgumentParser,
    name: str,
    help_text: str,
    handler: Handler,
) -> argparse.ArgumentParser:
    """A command, or one action of a command group, run by ``handler``; the caller adds its
    arguments to the parser returned."""
    parser = actions.add_parser(name, parents=[common], help=help_text)
    parser.set_defaults(handler=handler)
    return parser


def common_options() -> argparse.ArgumentParser:
    """Options every subcommand accepts (before or after the subcommand's name)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help=_("the data file (default: the user's data folder)"),
    )
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("print a machine-readable summary"),
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = argparse.ArgumentParser(
        prog="kt-desktop",
        description=_("KT Desktop: the books of a village Karang Taruna."),
        parents=[common],
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"KT Desktop {__version__}",
        help=_("show program's version number and exit"),  # argparse 3.11 never translates it
    )
    # handled by __main__ before argparse runs; listed here so that --help shows it
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=_("check this installation end to end in a temporary folder, then exit"),
    )
    subparsers = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers, common)
    return parser


def _data_file_if_known(args: argparse.Namespace) -> Path | None:
    """The data file, for naming it in a refusal; None when even that cannot be told (the
    failure being explained may be that the data folder is not a folder)."""
    try:
        return data_path(args)
    except (OSError, paths.NotAFolder):
        return None


def run(argv: Sequence[str]) -> int:
    set_language(saved_language())
    argparse._ = _  # type: ignore[attr-defined]
    parser = build_parser()
    args = parser.parse_args(list(argv))
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return 2
    held = None
    try:
        name, complete = command_name(parser, args)
        if complete and writes(name):
            held = take_write_lock(data_path(args), name)
        return handler(args)
    except BrokenPipeError:
        # the reader went away (``kt-desktop … | head``): nothing is wrong with the data
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KtError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_("Cancelled."), file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: one line for the user, the traceback in the log
        from kt_desktop.services.failures import as_refusal

        refusal = as_refusal(exc, _data_file_if_known(args))
        if refusal is not None:
            print(refusal.message, file=sys.stderr)
            return 1
        log.exception("command %s failed", getattr(args, "command", "?"))
        print(
            _("Unexpected error: {error}. Details are in {log}.").format(
                error=exc, log=paths.log_file()
            ),
            file=sys.stderr,
        )
        return 1
    finally:
        if held is not None:
            held.release()
