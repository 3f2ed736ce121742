"""Migration 2: the member register (``members``), its indexes and its search index.

Why the indexes look like this (docs/DESIGN.md, "Measured facts": search, filter and sort in SQL, 100k rows):

* every list query carries ``deleted_at IS NULL``, so the sort/filter indexes are *partial*
  on live rows and tombstones cost nothing;
* names sort case-insensitively (``COLLATE NOCASE``); ``rowid`` breaks ties so paging with
  ``LIMIT/OFFSET`` is stable;
* the NIK is unique per village among live rows (a partial unique index), which is also what
  a NIK-prefix search walks;
* words of the name and dusun are in an FTS5 index kept in sync by triggers, so that any
  writer (a form, an import, a bundle merge) keeps it right. The index is *contentless*: it
  holds no copy of the text, only the terms, and apostrophes are removed before indexing so
  that "Nur'aini", "Nur\u2019aini" and "Nuraini" find each other. NIK and phone are not in it:
  they are searched through b-tree indexes, which forget a removed value at once (with
  ``secure_delete`` the bytes are zeroed), while FTS5 keeps deleted terms until a merge.
"""

from __future__ import annotations

import sqlite_utils

from kt_desktop.domain.members import DEFAULT_AGE_RULE, DEFAULT_SEKSI, POSITIONS
from kt_desktop.store import settings
from kt_desktop.store.records import create_record_table

#: Settings keys of this area (values are JSON).
SEKSI_SETTING = "members.seksi"
AGE_RULE_SETTING = "members.age_rule"

#: Columns after the identity columns. Lists are JSON text, dates ISO text, flags 0/1.
MEMBER_COLUMNS: dict[str, type] = {
    "name": str,
    "nik": str,
    "nik_missing_reason": str,
    "birth_place": str,
    "birth_date": str,
    "sex": str,
    "religion": str,
    "dusun": str,
    "rt": str,
    "rw": str,
    "address": str,
    "education": str,
    "occupation": str,
    "phone": str,
    "skills": str,
    "disability": int,
    "disability_kind": str,
    "status": str,
    "left_on": str,
    "left_reason": str,
    "joined_on": str,
    "position": str,
    "seksi": str,
    "position_start": str,
    "position_end": str,
    "guardian_name": str,
    "guardian_relation": str,
    "consent_on": str,
    "notes": str,
    "confirmed_mismatch": int,
}

#: The text the FTS index holds for a row: apostrophes removed (SQL, so triggers can use it).
_APOSTROPHES = ("'", "\u2019", "\u2018", "`", "\u02bc", "\u00b4")


def fts_text(column: str) -> str:
    expr = f"coalesce({column}, '')"
    for mark in _APOSTROPHES:
        quoted = mark.replace("'", "''")
        expr = f"replace({expr}, '{quoted}', '')"
    return expr


def _triggers() -> list[str]:
    def values(row: str) -> str:
        return f"{row}.rowid, {fts_text(row + '.name')}, {fts_text(row + '.dusun')}"

    add = f"INSERT INTO members_fts(rowid, name, dusun) SELECT {values('new')}"
    drop = (
        "INSERT INTO members_fts(members_fts, rowid, name, dusun) "
        f"SELECT 'delete', {values('old')}"
    )
    return [
        "CREATE TRIGGER members_fts_insert AFTER INSERT ON members "
        f"BEGIN {add} WHERE new.deleted_at IS NULL; END",
        "CREATE TRIGGER members_fts_delete AFTER DELETE ON members "
        f"BEGIN {drop} WHERE old.deleted_at IS NULL; END",
        # One trigger, two steps in this order: the old terms of a live row go, then the new
        # terms of a live row come (a tombstone only removes, an undo only adds). Two separate
        # triggers would run in an order SQLite does not promise.
        "CREATE TRIGGER members_fts_update AFTER UPDATE OF name, dusun, deleted_at ON members "
        f"BEGIN {drop} WHERE old.deleted_at IS NULL; {add} WHERE new.deleted_at IS NULL; END",
    ]


#: Officer positions in rank order as SQL, so the register sorts Ketua first (and an index
#: on the same expression makes that sort as fast as the others).
POSITION_RANK_SQL = "(CASE position " + " ".join(
    f"WHEN '{code}' THEN {rank}" for rank, code in enumerate(POSITIONS)
) + f" ELSE {len(POSITIONS)} END)"


def migrate(db: sqlite_utils.Database) -> None:
    create_record_table(db, "members", MEMBER_COLUMNS)
    live = "WHERE deleted_at IS NULL"
    # Each index serves a sort of the register (same columns, same order, same collation)
    # and the filters on its first column. Every one costs time on bulk inserts: 100,000
    # demo members take seconds per index, so there is none that no query uses.
    for statement in (
        "CREATE UNIQUE INDEX idx_members_village_nik ON members(village_code, nik) "
        "WHERE deleted_at IS NULL AND nik IS NOT NULL",
        f"CREATE INDEX idx_members_name ON members(name COLLATE NOCASE, birth_date) {live}",
        f"CREATE INDEX idx_members_birth ON members(birth_date) {live}",
        f"CREATE INDEX idx_members_status ON members(status, name COLLATE NOCASE) {live}",
        f"CREATE INDEX idx_members_sex ON members(sex, name COLLATE NOCASE) {live}",
        f"CREATE INDEX idx_members_dusun ON members(dusun COLLATE NOCASE, rw, rt) {live}",
        f"CREATE INDEX idx_members_phone ON members(phone) {live}",
        f"CREATE INDEX idx_members_rank ON members({POSITION_RANK_SQL}, name COLLATE NOCASE) "
        f"{live}",
        f"CREATE INDEX idx_members_position ON members(position) {live} AND position IS NOT NULL",
        "CREATE VIRTUAL TABLE members_fts USING fts5("
        " name, dusun, content='',"
        " tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')",
        *_triggers(),
    ):
        db.execute(statement)
    settings.put(db, SEKSI_SETTING, _json_list(DEFAULT_SEKSI))
    settings.put(db, AGE_RULE_SETTING, DEFAULT_AGE_RULE.to_json())


def _json_list(items: tuple[str, ...]) -> str:
    import json

    return json.dumps(list(items), ensure_ascii=False)
