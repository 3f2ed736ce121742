"""The SQL of the self-assessment: the counts :class:`~kt_desktop.domain.assessment.Facts`
holds, for one village (``village_code``), in a village file or on a receiver alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlite_utils

from kt_desktop.store.completeness import has_table


def _one(db: sqlite_utils.Database, sql: str, params: list[Any]) -> int:
    row = db.execute(sql, params).fetchone()
    return int(row[0] or 0) if row else 0


def books_began(db: sqlite_utils.Database, village: str) -> dt.date | None:
    """When the village's books began: its first activity or first monthly report."""
    days = []
    row = db.execute("SELECT min(start_date) FROM activities WHERE deleted_at IS NULL "
                     "AND village_code = ?", [village]).fetchone()
    if row and row[0]:
        days.append(dt.date.fromisoformat(row[0]))
    if has_table(db, "monthly_report_notes"):
        row = db.execute("SELECT min(month) FROM monthly_report_notes WHERE deleted_at IS NULL "
                         "AND village_code = ?", [village]).fetchone()
        if row and row[0]:
            days.append(dt.date.fromisoformat(row[0] + "-01"))
    return min(days) if days else None


def member_counts(db: sqlite_utils.Database, village: str) -> tuple[int, int, int]:
    """(active members, live members, live members with a NIK or the reason for none)."""
    row = db.execute(
        "SELECT coalesce(sum(status = 'aktif'), 0), count(*), "
        "coalesce(sum(coalesce(nik, '') <> '' OR coalesce(trim(nik_missing_reason), '') <> ''), 0) "
        "FROM members WHERE deleted_at IS NULL AND village_code = ?", [village]).fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def inventory_counts(db: sqlite_utils.Database, village: str) -> tuple[int, int]:
    """(items in the Buku Inventaris not written off, of those in good condition)."""
    if not has_table(db, "inventory"):
        return 0, 0
    row = db.execute(
        "SELECT count(*), coalesce(sum(condition = 'baik'), 0) FROM inventory "
        "WHERE deleted_at IS NULL AND village_code = ? AND coalesce(disposed_on, '') = ''",
        [village]).fetchone()
    return int(row[0]), int(row[1])


def members_taking_part(db: sqlite_utils.Database, village: str, start: dt.date,
                        end: dt.date) -> int:
    """Active members present at an activity that started in ``start``..``end``."""
    return _one(db, """
        SELECT count(DISTINCT p.member_id) FROM activity_participants p
        JOIN activities a ON a.id = p.activity_id AND a.deleted_at IS NULL
        JOIN members m ON m.id = p.member_id AND m.deleted_at IS NULL AND m.status = 'aktif'
        WHERE p.deleted_at IS NULL AND p.attended = 1 AND a.village_code = ?
          AND a.start_date BETWEEN ? AND ?""", [village, start.isoformat(), end.isoformat()])


def trainings_started(db: sqlite_utils.Database, village: str, start: dt.date,
                      end: dt.date) -> int:
    if not has_table(db, "trainings"):
        return 0
    return _one(db, "SELECT count(*) FROM trainings WHERE deleted_at IS NULL AND village_code = ? "
                    "AND start_date BETWEEN ? AND ?", [village, start.isoformat(), end.isoformat()])


def done_counts(db: sqlite_utils.Database, village: str, start: dt.date, end: dt.date
                ) -> tuple[int, int, int, int, int]:
    """Of the activities carried out that started in the period: (how many, with a photo,
    with beneficiaries counted, different partners, different outside sources of funds)."""
    period = "a.deleted_at IS NULL AND a.status = 'terlaksana' AND a.village_code = ? " \
             "AND a.start_date BETWEEN ? AND ?"
    params = [village, start.isoformat(), end.isoformat()]
    row = db.execute(f"""
        SELECT count(*),
          coalesce(sum(EXISTS (SELECT 1 FROM attachments p WHERE p.owner_table = 'activities'
                AND p.owner_id = a.id AND p.deleted_at IS NULL)), 0),
          coalesce(sum(EXISTS (SELECT 1 FROM activity_beneficiaries b WHERE b.activity_id = a.id
                AND b.deleted_at IS NULL AND b.count > 0)), 0),
          count(DISTINCT nullif(lower(trim(coalesce(a.partner, ''))), ''))
        FROM activities a WHERE {period}""", params).fetchone()
    sources = _one(db, f"""
        SELECT count(DISTINCT f.source) FROM activity_funds f
        JOIN activities a ON a.id = f.activity_id
        WHERE f.deleted_at IS NULL AND f.amount > 0 AND f.source <> 'swadaya' AND {period}""",
                   params)
    return int(row[0]), int(row[1]), int(row[2]), int(row[3]), sources


def programme_lines(db: sqlite_utils.Database, village: str, year: int
                    ) -> list[tuple[str, str]]:
    """``(id, months)`` of the village's programme lines of ``year``."""
    if not has_table(db, "work_programme"):
        return []
    return [(row[0], row[1] or "") for row in db.execute(
        "SELECT id, months FROM work_programme WHERE deleted_at IS NULL AND village_code = ? "
        "AND year = ?", [village, year])]


def villages_with_data(db: sqlite_utils.Database) -> set[str]:
    """The villages whose profile a bundle brought (every bundle carries it)."""
    return {row[0] for row in db.execute(
        "SELECT DISTINCT village_code FROM profile WHERE deleted_at IS NULL "
        "AND length(village_code) = 13")}
