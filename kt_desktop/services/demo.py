"""``kt-desktop demo`` and the wizard's "isi dengan data contoh": realistic demo data.

Each area contributes one step (``"module:function"``), called in order as
``fill(session, rng, today, members=N, months=M) -> dict[str, int]`` (rows added per table).
All steps run in one transaction: demo data arrives whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
from collections.abc import Callable
from typing import Any

from kt_desktop.domain import clock
from kt_desktop.domain.errors import KtError
from kt_desktop.i18n import _
from kt_desktop.services.progress import Progress
from kt_desktop.services.session import Session
from kt_desktop.store import maintenance

DEMO_STEPS: list[str] = [
    "kt_desktop.services.demo_members:fill",
    "kt_desktop.services.demo_activities:fill",
    "kt_desktop.services.demo_trainings:fill",
    "kt_desktop.services.demo_pengurus:fill",
    "kt_desktop.services.demo_programme:fill",
    "kt_desktop.services.demo_rapat:fill",
    "kt_desktop.services.demo_tamu:fill",
    "kt_desktop.services.demo_kas:fill",
]

#: The tables whose rows mean a file is in use (demo data is refused on top of them).
DEMO_TABLES = ("members", "activities", "trainings")

DemoStep = Callable[..., dict[str, int]]


def fill(
    session: Session,
    *,
    members: int = 150,
    months: int = 12,
    seed: int | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """Add demo data to a village file; returns the rows added per table.

    A file that already holds members, activities or trainings is refused unless ``force``:
    demo rows mixed into a real register cannot be told apart afterwards, and a second run
    would silently double the demo.
    """
    if not session.is_village:
        raise KtError(_("Demo data can only be added to a village file."), code="not_village")
    held = maintenance.live_counts(session.db(), list(DEMO_TABLES))
    if not force and any(held.values()):
        raise KtError(
            _(
                "This data file already holds {members} members, {activities} activities and "
                "{trainings} trainings: demo data would be mixed in with them. Use an empty "
                "file, or add --force to add demo data anyway."
            ).format(
                members=held.get("members", 0),
                activities=held.get("activities", 0),
                trainings=held.get("trainings", 0),
            ),
            code="demo_not_empty",
        )
    rng = random.Random(seed)
    today = today or clock.today()
    added: dict[str, int] = {}
    db = session.db()
    with db.atomic():
        for number, target in enumerate(DEMO_STEPS):
            if progress is not None:
                progress.step(number, len(DEMO_STEPS), _("Making demo data…"))
            module_name, function_name = target.split(":")
            step: DemoStep = getattr(importlib.import_module(module_name), function_name)
            for table, count in step(session, rng, today, members=members, months=months).items():
                added[table] = added.get(table, 0) + count
    return added
