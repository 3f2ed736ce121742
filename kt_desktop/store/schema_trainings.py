"""Migration 4: trainings, their sessions, participants, attendance, certificates and outcomes.

Every table is a record table (docs/DESIGN.md, "Data model") because every row travels in bundles: the province
reads attendance, completion and the 3/6-month outcomes, not just training titles.

* ``trainings``: one row per training; dates ISO ``YYYY-MM-DD``; money whole Rupiah; the
  completion rule (``min_attendance_pct``, optional ``min_post_score``) lives on the training.
* ``training_sessions``: one row per meeting (pertemuan).
* ``training_participants``: ``member_id`` set for a member of the register (no foreign key,
  so a receiver can merge a village's tables in any order, as for activities); otherwise the
  non-member's own name, sex, birth date, optional NIK and phone. Pre/post test scores and the
  secretary's override of the computed result (with its reason) are kept here.
* ``training_attendance``: one row per filled cell (session × participant), code H/I/S/A.
  A partial unique index keeps one live row per cell.
* ``training_certificates``: the register of certificate numbers. A row is never removed:
  a revoked number is *retired* and stays, so the per-year sequence (the highest number of
  the year + 1) can never hand it out again.
* ``training_outcomes``: the 3- and 6-month follow-ups, one live row per graduate and
  checkpoint.
"""

from __future__ import annotations

import sqlite_utils

from kt_desktop.store.records import create_record_table

_TRAINING = ("training_id", "trainings", "id")
_PARTICIPANT = ("participant_id", "training_participants", "id")


def migrate(db: sqlite_utils.Database) -> None:
    create_record_table(
        db,
        "trainings",
        {
            "title": str,
            "skill_field": str,
            "kind": str,
            "organizer": str,
            "partner": str,
            "partner_kind": str,
            "trainer": str,
            "place": str,
            "start_date": str,
            "end_date": str,
            "quota": int,
            "cost": int,
            "funding_source": str,
            "min_attendance_pct": int,
            "min_post_score": float,
            "notes": str,
        },
        not_null={"title", "skill_field", "kind", "start_date", "end_date", "quota", "cost",
                  "min_attendance_pct"},
        defaults={"quota": 0, "cost": 0, "min_attendance_pct": 75},
    )
    db["trainings"].create_index(["start_date"], index_name="idx_trainings_start")  # type: ignore[union-attr]
    db["trainings"].create_index(  # type: ignore[union-attr]
        ["skill_field", "start_date"], index_name="idx_trainings_skill"
    )

    create_record_table(
        db,
        "training_sessions",
        {"training_id": str, "date": str, "topic": str, "hours": float},
        not_null={"training_id", "date", "topic", "hours"},
        foreign_keys=[_TRAINING],
    )
    create_record_table(
        db,
        "training_participants",
        {
            "training_id": str,
            "member_id": str,
            "name": str,
            "sex": str,
            "birth_date": str,
            "nik": str,
            "phone": str,
            "pre_score": float,
            "post_score": float,
            "result_override": str,
            "override_reason": str,
        },
        not_null={"training_id"},
        foreign_keys=[_TRAINING],
    )
    create_record_table(
        db,
        "training_attendance",
        {"training_id": str, "session_id": str, "participant_id": str, "code": str},
        not_null={"training_id", "session_id", "participant_id", "code"},
        foreign_keys=[
            _TRAINING,
            ("session_id", "training_sessions", "id"),
            _PARTICIPANT,
        ],
    )
    create_record_table(
        db,
        "training_certificates",
        {
            "training_id": str,
            "participant_id": str,
            "year": int,
            "sequence": int,
            "number": str,
            "issued_on": str,
            "status": str,
            "retired_reason": str,
        },
        not_null={"training_id", "participant_id", "year", "sequence", "number", "issued_on",
                  "status"},
        foreign_keys=[_TRAINING, _PARTICIPANT],
    )
    create_record_table(
        db,
        "training_outcomes",
        {
            "training_id": str,
            "participant_id": str,
            "checkpoint_months": int,
            "recorded_on": str,
            "status": str,
            "detail": str,
            "monthly_income": int,
            "notes": str,
        },
        not_null={"training_id", "participant_id", "checkpoint_months", "recorded_on", "status"},
        foreign_keys=[_TRAINING, _PARTICIPANT],
    )

    for table in ("training_sessions", "training_participants", "training_attendance",
                  "training_certificates", "training_outcomes"):
        db[table].create_index(["training_id"], index_name=f"idx_{table}_training")  # type: ignore[union-attr]
    db["training_participants"].create_index(  # type: ignore[union-attr]
        ["member_id"], index_name="idx_training_participants_member"
    )
    db["training_certificates"].create_index(  # type: ignore[union-attr]
        ["participant_id"], index_name="idx_training_certificates_participant"
    )
    # A certificate number is unique per village and year, retired ones included.
    db.execute(
        "CREATE UNIQUE INDEX idx_training_certificates_number "
        "ON training_certificates(village_code, year, sequence)"
    )
    db.execute(
        "CREATE UNIQUE INDEX idx_training_attendance_cell "
        "ON training_attendance(session_id, participant_id) WHERE deleted_at IS NULL"
    )
    db.execute(
        "CREATE UNIQUE INDEX idx_training_outcomes_checkpoint "
        "ON training_outcomes(participant_id, checkpoint_months) WHERE deleted_at IS NULL"
    )
