"""The SQL of the work programme's realisation: the activities that name a programme line.

The programme's own rows are a declared book (``store.books``); what is here joins them to
the Buku Kegiatan (``activities.program_line_id``, migration 20) with each activity's cost
(the funds recorded with it, as the annual report counts them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlite_utils

from kt_desktop.domain.books.program_kerja import LinkedActivity


def linked_activities(db: sqlite_utils.Database, line_ids: Sequence[str]) -> list[LinkedActivity]:
    """The live activities that carry out any of ``line_ids``, oldest first."""
    found: list[LinkedActivity] = []
    ids = list(line_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        rows = db.execute(
            f"""
            SELECT a.program_line_id, a.id, a.title, a.status, a.start_date,
                   (SELECT coalesce(sum(f.amount), 0) FROM activity_funds f
                    WHERE f.activity_id = a.id AND f.deleted_at IS NULL)
            FROM activities a
            WHERE a.deleted_at IS NULL AND a.program_line_id IN ({marks})
            ORDER BY a.start_date, a.rowid
            """, chunk).fetchall()
        found += [LinkedActivity(row[0], row[1], row[2], row[3],
                                 dt.date.fromisoformat(row[4]), int(row[5])) for row in rows]
    found.sort(key=lambda item: item.start)
    return found
