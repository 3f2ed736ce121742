"""Migration 8: what the secretary typed for a monthly report, kept with its month.

``monthly_report_notes`` holds one live row per month (``YYYY-MM``): the nomor surat the
report went out under, the "Kendala" (problems) and "Rencana bulan depan" (next month's plans)
texts. It is a record table (docs/DESIGN.md, "Data model") so that the notes travel in bundles with the rest of
the month and a reprint months later says exactly what the signed copy said.
"""

from __future__ import annotations

import sqlite_utils

from kt_desktop.store.records import create_record_table


def migrate(db: sqlite_utils.Database) -> None:
    create_record_table(
        db,
        "monthly_report_notes",
        {"month": str, "nomor_surat": str, "kendala": str, "rencana": str},
        not_null={"month"},
    )
    db.execute(
        "CREATE UNIQUE INDEX idx_monthly_report_notes_month "
        "ON monthly_report_notes(village_code, month) WHERE deleted_at IS NULL"
    )
