"""A receiver killed (SIGKILL) in the middle of an import: the file is as it was before, or
holds the whole bundle, never part of it; and the same bundle then imports cleanly."""

from __future__ import annotations

import random
import shutil
import signal
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kt_desktop.services import bundles
from kt_desktop.services.session import open_session
from kt_desktop.store import maintenance
from tests.test_bundles_kit import (
    add_activity,
    add_members,
    expect_line,
    export,
    import_one,
    open_pair,
    record_digest,
    start_child,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

#: The child imports the bundle; in "pause" mode it stops once the members are written
#: inside the open transaction (the progress text names the next book) and waits there.
CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from kt_desktop import i18n
    from kt_desktop.services import bundles
    from kt_desktop.services.progress import Progress
    from kt_desktop.services.session import open_session

    i18n.set_language("en")
    receiver_path, bundle_path, mode = sys.argv[1:4]
    session = open_session(receiver_path)

    def moved(done, total, text):
        if mode == "pause" and text.endswith("Activities"):
            print("mid", flush=True)
            time.sleep(120)

    print("ready", flush=True)
    report = bundles.import_files(
        session, [Path(bundle_path)], trust_new=True, progress=Progress(moved)
    )
    print("done", report.bundles[0].status, flush=True)
    """
)


@dataclass
class Stage:
    pristine: Path  # the receiver before the import (closed, checkpointed)
    bundle: Path
    before: str  # record digest before
    after: str  # record digest after a clean import
    seconds: float  # how long a clean import takes


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stage]:
    folder = tmp_path_factory.mktemp("kill")
    village, receiver = open_pair(folder, "pristine.sqlite")
    add_members(village, 2500)
    for _round in range(40):
        add_activity(village)
    bundle = export(village, folder / "usb")
    village.close()
    before = record_digest(receiver.db(), None)
    receiver.close()
    reference = folder / "reference.sqlite"
    shutil.copy(folder / "pristine.sqlite", reference)
    session = open_session(reference)
    started = time.perf_counter()
    assert import_one(session, bundle).status == bundles.IMPORTED
    seconds = time.perf_counter() - started
    after = record_digest(session.db(), None)
    session.close()
    yield Stage(folder / "pristine.sqlite", bundle, before, after, seconds)


def _state(path: Path) -> tuple[str, list[str]]:
    session = open_session(path)
    try:
        return record_digest(session.db(), None), maintenance.integrity_problems(session.db())
    finally:
        session.close()


def _import_again(path: Path, bundle: Path) -> str:
    session = open_session(path)
    try:
        return import_one(session, bundle).status
    finally:
        session.close()


def test_killed_inside_the_transaction_leaves_the_file_as_before(
    stage: Stage, tmp_path: Path
) -> None:
    receiver = tmp_path / "provinsi.sqlite"
    shutil.copy(stage.pristine, receiver)
    with start_child(CHILD, receiver, stage.bundle, "pause") as child:
        expect_line(child, "ready")
        expect_line(child, "mid")  # members written, transaction open
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL

    digest, problems = _state(receiver)
    assert problems == []
    assert digest == stage.before
    assert _import_again(receiver, stage.bundle) == bundles.IMPORTED
    assert _state(receiver) == (stage.after, [])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_killed_at_a_random_moment_leaves_all_or_nothing(
    stage: Stage, tmp_path: Path, seed: int
) -> None:
    receiver = tmp_path / "provinsi.sqlite"
    shutil.copy(stage.pristine, receiver)
    with start_child(CHILD, receiver, stage.bundle, "run") as child:
        expect_line(child, "ready")
        time.sleep(random.Random(seed).uniform(0, stage.seconds * 1.2))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)

    digest, problems = _state(receiver)
    assert problems == []
    assert digest in (stage.before, stage.after)
    status = _import_again(receiver, stage.bundle)
    assert status == (bundles.IMPORTED if digest == stage.before else bundles.ALREADY)
    assert _state(receiver) == (stage.after, [])
