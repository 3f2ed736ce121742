"""``kt-desktop``: no subcommand opens the GUI; a subcommand runs the command line."""

from __future__ import annotations

import sys
from collections.abc import Sequence

GUI_OPTIONS = {"--data"}


#: Files the program is opened with (a file association): receipts and notices.
DOCUMENT_SUFFIX = ".ktr"


def _document(argv: Sequence[str]) -> str | None:
    """The one ``.ktr`` file among the arguments, if that is all besides ``--data``."""
    found = [arg for arg in argv if arg.lower().endswith(DOCUMENT_SUFFIX)]
    return found[0] if len(found) == 1 and not found[0].startswith("-") else None


def _wants_gui(argv: Sequence[str]) -> bool:
    """True when argv holds nothing but ``--data PATH`` (or ``--data=PATH``) and at most a
    receipt or notice to open (``kt-desktop "Tanda terima - Desa Baros - ….ktr"``)."""
    args = list(argv)
    document = _document(args)
    while args:
        head = args.pop(0)
        if head == "--data" and args:
            args.pop(0)
        elif head.startswith("--data=") or head == document:
            continue
        else:
            return False
    return True


def preload_data_layers() -> None:
    """Import the layers under the GUI before Qt: once PySide6 is loaded it reads the source
    of every module imported after it (its ``__feature__`` check), ~45 ms of start-up for
    these. The start-up benchmark calls this too, to start as the program does."""
    import kt_desktop.services.backups  # the open check
    import kt_desktop.services.failures
    import kt_desktop.services.pin
    import kt_desktop.services.progress
    import kt_desktop.services.session
    import kt_desktop.ui_prefs  # noqa: F401


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from kt_desktop import applog

    applog.setup()
    if argv and argv[0] == "--self-test":
        from kt_desktop.selftest import run as run_self_test

        return run_self_test()
    if _wants_gui(argv):
        from kt_desktop import paths
        from kt_desktop.cli import common_options, data_path

        document = _document(argv)
        args, _rest = common_options().parse_known_args(
            [arg for arg in argv if arg != document]
        )
        preload_data_layers()
        from pathlib import Path

        from kt_desktop.gui.app import refuse_start
        from kt_desktop.gui.app import run as run_gui

        try:
            return run_gui(data_path(args), Path(document) if document else None)
        except paths.NotAFolder as exc:  # KT_DESKTOP_HOME/data is a file, and the like
            from kt_desktop.services.failures import not_a_folder

            return refuse_start(not_a_folder(exc).message)
    from kt_desktop.cli import run

    return run(argv)


if __name__ == "__main__":
    # A large import's helper process (kt_desktop/bundles/prepare.py) is this program started
    # again: in the frozen program, this is where it turns into the helper instead.
    import multiprocessing

    multiprocessing.freeze_support()
    sys.exit(main())
