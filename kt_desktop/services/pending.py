"""What waits to be sent: light enough for Beranda at start-up.

Kept apart from :mod:`kt_desktop.services.bundles` so that counting unsent changes does not
import the bundle format and its crypto (``cryptography`` costs start-up time, docs/DESIGN.md, "Layers", and
the benchmark's start-up goal).
"""

from __future__ import annotations

import datetime as dt

from kt_desktop.services.session import Session
from kt_desktop.store import bundles as bundle_store
from kt_desktop.store import sync


def pending_counts(session: Session) -> dict[str, int]:
    """Rows written since the last bundle, per table."""
    db = session.db()
    since = bundle_store.exported_upto(db)
    return sync.changed_counts(db, [t.name for t in sync.present_tables(db)], since=since)


def dashboard_counts(session: Session, today: dt.date | None = None) -> dict[str, int]:
    """Beranda's "data belum dikirim" card, in the shape of ``dashboard.COUNT_PROVIDERS``."""
    if not session.is_village:
        return {}
    return {"unsent_changes": sum(pending_counts(session).values())}
