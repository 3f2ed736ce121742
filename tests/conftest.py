"""Shared fixtures: every test gets its own home folder and, where asked, a data file.

``QT_QPA_PLATFORM=offscreen`` is set here, before anything imports Qt: without it pytest-qt
aborts on a machine with no display (docs/DESIGN.md, "Measured facts").
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kt_desktop import i18n, paths
from kt_desktop.domain.profile import Profile
from scripts.sample_village import VILLAGE_CODE as VILLAGE_CODE  # re-exported to the tests
from scripts.sample_village import sample_profile


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``kt-desktop ARGV`` in this process: (exit code, stdout, stderr), usage errors too."""
    from kt_desktop.cli import run

    try:
        code = run(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def village_cli(
    capsys: pytest.CaptureFixture[str], village_file: Path
) -> Callable[..., tuple[int, str, str]]:
    """``run_cli`` on the test's village file: ``village_cli(*argv)`` runs
    ``kt-desktop ARGV --data <village_file>``."""

    def run(*argv: str) -> tuple[int, str, str]:
        return run_cli(capsys, *argv, "--data", str(village_file))

    return run


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Data, backups, logs and settings of the test in its own folder; Indonesian UI."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv(paths.HOME_ENV, str(home))
    i18n.set_language("id")
    yield home
    i18n.set_language("id")


def make_profile(**changes: object) -> Profile:
    """The sample village's profile (scripts/sample_village.py), with ``changes``."""
    return sample_profile(**changes)


@pytest.fixture
def village_file(tmp_path: Path) -> Path:
    """A set-up village file (Desa 36.04.22.2001, Baros, Serang) with no records yet."""
    from kt_desktop.services.setup import init_village

    path = tmp_path / "desa.sqlite"
    init_village(path, make_profile())
    return path


def _opened(path: Path) -> Iterator[Any]:
    """A session on ``path`` for a fixture (``yield from``), closed after the test."""
    from kt_desktop.services.session import open_session

    session = open_session(path)
    yield session
    session.close()


@pytest.fixture
def village_session(village_file: Path) -> Iterator[object]:
    yield from _opened(village_file)


@pytest.fixture
def village(village_session: object) -> object:
    """The open village session, under the name the bundle tests use."""
    return village_session


@pytest.fixture
def receiver(receiver_file: Path) -> Iterator[object]:
    """The receiver file, open."""
    yield from _opened(receiver_file)


@pytest.fixture
def receiver_file(tmp_path: Path) -> Path:
    from kt_desktop.services.setup import init_receiver

    path = tmp_path / "provinsi.sqlite"
    init_receiver(path, "36", "Karang Taruna Provinsi Banten")
    return path


@pytest.fixture
def keyed_village(village_file: Path, receiver_file: Path, tmp_path: Path) -> Iterator[Any]:
    """The village file, open, trusting the key of the receiver file (address
    kt.banten@example.id); the receiver's session closed again (``pair`` opens it for the
    tests that import)."""
    from kt_desktop.services.session import open_session
    from tests.test_bundles_kit import install_receiver_key

    village = open_session(village_file)
    receiver = open_session(receiver_file)
    install_receiver_key(village, receiver, tmp_path)
    receiver.close()
    yield village
    village.close()


@pytest.fixture
def mail_village(keyed_village: Any) -> Any:
    """``keyed_village`` with three members: what the e-mail tests send."""
    from tests.test_bundles_kit import add_members

    add_members(keyed_village, 3)
    return keyed_village


@pytest.fixture
def pair(keyed_village: Any, receiver_file: Path) -> Iterator[tuple[Any, Any]]:
    """(village, receiver) sessions, the village trusting the receiver's key: the two ends of
    every bundle test. The receiver is the file of ``receiver_file``, whatever a module
    calls ``receiver``."""
    from kt_desktop.services.session import open_session

    receiver = open_session(receiver_file)
    yield keyed_village, receiver
    receiver.close()


@pytest.fixture
def smtp_server() -> Iterator[tuple[Any, int]]:
    """A local SMTP server on a free port: ``(inbox, port)``; the inbox
    (``tests.test_bundles_transport._Inbox``) records, refuses or hangs up as a test tells it."""
    from aiosmtpd.controller import Controller

    from tests.test_bundles_transport import _free_port, _Inbox

    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()
