"""Migration 3: the Buku Kegiatan and the photos that document it.

Every table here is a record table (docs/DESIGN.md, "Data model": identity and change columns) because every
row travels in bundles, children included: a province officer sees a village's beneficiary
counts and funds, not just its activity titles.

* ``activities``: one row per activity; dates are ISO ``YYYY-MM-DD``; ``end_date`` NULL for
  a one-day activity.
* ``activity_participants``: a member who took part (``attended`` 1) or was expected and
  did not come (0). ``member_id`` is a member's ``id``; no foreign key, so that a receiver can
  merge a village's tables in any order.
* ``activity_beneficiaries``: one row per non-zero cell of PPKS category × sex × age band.
* ``activity_funds``: one row per source of money, whole Rupiah.
* ``attachments``: photos (scaled JPEG, thumbnail, SHA-256 of the original file), owned by a
  row of any table (``owner_table``, ``owner_id``), so trainings can use it too.

Indexes serve the page: a month (start date), the filters (jenis, status, seksi, kampanye),
the search (a covering index of title, place and partner), children by their activity, a
member's history, and attachments by owner and hash.
"""

from __future__ import annotations

import sqlite_utils

from kt_desktop.store.records import create_record_table

_PARENT = [("activity_id", "activities", "id")]


def migrate(db: sqlite_utils.Database) -> None:
    create_record_table(
        db,
        "activities",
        {
            "title": str,
            "kind": str,
            "status": str,
            "start_date": str,
            "end_date": str,
            "place": str,
            "section": str,
            "partner": str,
            "campaign": str,
            "description": str,
            "volunteers": int,
        },
        not_null={"title", "kind", "status", "start_date", "volunteers"},
        defaults={"volunteers": 0},
    )
    # Partial indexes on live rows (every list query says ``deleted_at IS NULL``); the
    # trailing ``deleted_at`` lets SQLite answer counts and GROUP BYs from the index alone.
    live = "WHERE deleted_at IS NULL"
    for statement in (
        f"CREATE INDEX idx_activities_start ON activities(start_date, deleted_at) {live}",
        *(
            f"CREATE INDEX idx_activities_{column} ON activities({column}, start_date, "
            f"deleted_at) {live}"
            for column in ("kind", "status", "section", "campaign")
        ),
        # The search (title, place, partner) is a LIKE scan; this covering index makes it a
        # scan of short index entries instead of whole rows (notulen included).
        "CREATE INDEX idx_activities_search ON activities(start_date, title, place, partner, "
        f"id, deleted_at) {live}",
    ):
        db.execute(statement)

    create_record_table(
        db,
        "activity_participants",
        {"activity_id": str, "member_id": str, "attended": int},
        not_null={"activity_id", "attended"},
        foreign_keys=_PARENT,
        defaults={"attended": 1},
    )
    create_record_table(
        db,
        "activity_beneficiaries",
        {"activity_id": str, "ppks": int, "sex": str, "age_band": str, "count": int},
        not_null={"activity_id", "ppks", "sex", "age_band", "count"},
        foreign_keys=_PARENT,
    )
    create_record_table(
        db,
        "activity_funds",
        {"activity_id": str, "source": str, "amount": int, "note": str},
        not_null={"activity_id", "source", "amount"},
        foreign_keys=_PARENT,
    )
    for table in ("activity_participants", "activity_beneficiaries", "activity_funds"):
        db[table].create_index(["activity_id"], index_name=f"idx_{table}_activity")  # type: ignore[union-attr]
    db["activity_participants"].create_index(  # type: ignore[union-attr]
        ["member_id"], index_name="idx_activity_participants_member"
    )

    create_record_table(
        db,
        "attachments",
        {
            "owner_table": str,
            "owner_id": str,
            "position": int,
            "sha256": str,
            "mime": str,
            "data": bytes,
            "size": int,
            "thumbnail": bytes,
            "width": int,
            "height": int,
            "caption": str,
            "original_name": str,
        },
        not_null={"owner_table", "owner_id", "sha256", "mime"},
    )
    db["attachments"].create_index(  # type: ignore[union-attr]
        ["owner_table", "owner_id", "position"], index_name="idx_attachments_owner"
    )
    db["attachments"].create_index(["sha256"], index_name="idx_attachments_sha256")  # type: ignore[union-attr]


def migrate_program_link(db: sqlite_utils.Database) -> None:
    """Migration 20: an activity may name the line of the work programme it carries out
    (``program_line_id``, the id of a ``work_programme`` row; no foreign key, so a receiver
    can merge a village's tables in any order)."""
    db.execute("ALTER TABLE activities ADD COLUMN program_line_id TEXT")
    db.execute("CREATE INDEX idx_activities_program_line ON activities(program_line_id, "
               "deleted_at) WHERE deleted_at IS NULL AND program_line_id IS NOT NULL")
