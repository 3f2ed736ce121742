"""The ``members`` table: typed reads and writes of the member register.

Writes go through :mod:`kt_desktop.store.records` (identity columns, change counter, audit
line in the same transaction). Two writes are special and documented where they are:

* :func:`tombstone` clears every personal column at once (docs/DESIGN.md, "Data model", UU PDP) and merges the
  FTS index so that the removed name's terms do not linger in old index segments;
* :func:`restore` is the *undo* of a removal: the GUI holds the removed :class:`Member`
  (returned by the removal) and gives it back; the same row comes alive again with its
  values, a higher version and a new change_seq, so a bundle sent in between carries first
  the removal and then the restoration, and links from activities stay valid.

List queries (:func:`page`, :func:`count`) search, filter and sort in SQL; only the rows of
one page ever reach Python.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from operator import attrgetter
from typing import Any

import sqlite_utils

from kt_desktop.domain.errors import NotFoundError, ValidationError
from kt_desktop.domain.formats import utc_now_iso
from kt_desktop.domain.members import (
    AGE_BANDS,
    DEFAULT_AGE_RULE,
    DEFAULT_SEKSI,
    AgeRule,
    Member,
    MemberQuery,
    MemberRef,
    MemberRow,
    birth_range_for_ages,
)
from kt_desktop.i18n import _
from kt_desktop.store import audit, records, settings
from kt_desktop.store.schema_members import (
    AGE_RULE_SETTING,
    MEMBER_COLUMNS,
    POSITION_RANK_SQL,
    SEKSI_SETTING,
)

TABLE = "members"
#: Everything but the identity columns is personal (or tied to the person) and is cleared
#: when a member is removed; a tombstone keeps only id, village, version and change data.
PERSONAL_COLUMNS: tuple[str, ...] = tuple(MEMBER_COLUMNS)
_DATE_COLUMNS = (
    "birth_date", "left_on", "joined_on", "position_start", "position_end", "consent_on",
)
_TEXT_COLUMNS = tuple(
    c for c in MEMBER_COLUMNS
    if c not in _DATE_COLUMNS and c not in ("skills", "disability", "confirmed_mismatch", "nik")
)


# -- conversion ---------------------------------------------------------------------------------
_get_text = attrgetter(*_TEXT_COLUMNS)
_get_dates = attrgetter(*_DATE_COLUMNS)


def to_values(member: Member) -> dict[str, Any]:
    """The column values of ``member`` (empty text becomes NULL, so indexes stay small)."""
    values: dict[str, Any] = dict(zip(_TEXT_COLUMNS, [v or None for v in _get_text(member)], strict=True))
    values["nik"] = member.nik or None
    values.update(
        zip(_DATE_COLUMNS, [d.isoformat() if d else None for d in _get_dates(member)], strict=True)
    )
    values["skills"] = json.dumps(member.skills, ensure_ascii=False) if member.skills else None
    values["disability"] = 1 if member.disability else 0
    values["confirmed_mismatch"] = 1 if member.confirmed_mismatch else 0
    values["status"] = member.status or "aktif"
    return values


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _row_values(m: Member) -> tuple[Any, ...]:
    """``to_values`` as a tuple in ``MEMBER_COLUMNS`` order, written out for the bulk path.

    Twice as fast as building the dict; a test checks it agrees with :func:`to_values`.
    """
    return (
        m.name or None, m.nik or None, m.nik_missing_reason or None, m.birth_place or None,
        _iso(m.birth_date), m.sex or None, m.religion or None, m.dusun or None, m.rt or None,
        m.rw or None, m.address or None, m.education or None, m.occupation or None,
        m.phone or None,
        json.dumps(m.skills, ensure_ascii=False) if m.skills else None,
        1 if m.disability else 0, m.disability_kind or None, m.status or "aktif",
        _iso(m.left_on), m.left_reason or None, _iso(m.joined_on), m.position or None,
        m.seksi or None, _iso(m.position_start), _iso(m.position_end),
        m.guardian_name or None, m.guardian_relation or None, _iso(m.consent_on),
        m.notes or None, 1 if m.confirmed_mismatch else 0,
    )


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def from_row(data: dict[str, Any]) -> Member:
    member = Member(id=data["id"], version=int(data["version"]))
    for name in _TEXT_COLUMNS:
        setattr(member, name, data.get(name) or "")
    member.nik = data.get("nik") or ""
    for name in _DATE_COLUMNS:
        setattr(member, name, _date(data.get(name)))
    member.skills = json.loads(data["skills"]) if data.get("skills") else []
    member.disability = bool(data.get("disability"))
    member.confirmed_mismatch = bool(data.get("confirmed_mismatch"))
    member.status = data.get("status") or "aktif"
    return member


def _dicts(cursor: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def _refuse_duplicate(exc: sqlite3.IntegrityError) -> ValidationError:
    return ValidationError(
        _("This NIK already belongs to another member of this village."),
        field="nik",
        code="duplicate_nik",
    )


# -- writes ---------------------------------------------------------------------------------
def insert(db: sqlite_utils.Database, member: Member, *, village_code: str, actor: str) -> str:
    """Add a member; returns the new id. The NIK audit detail is never written."""
    try:
        return records.insert(db, TABLE, to_values(member), village_code=village_code, actor=actor)
    except sqlite3.IntegrityError as exc:
        raise _refuse_duplicate(exc) from exc


def update(db: sqlite_utils.Database, member: Member, *, actor: str) -> None:
    """Write every field of ``member`` over its row (version + 1)."""
    if not member.id:
        raise NotFoundError(_("The record no longer exists (it may have been removed)."))
    try:
        records.update(db, TABLE, member.id, to_values(member), actor=actor)
    except sqlite3.IntegrityError as exc:
        raise _refuse_duplicate(exc) from exc


def tombstone(db: sqlite_utils.Database, member_id: str, *, actor: str) -> None:
    """Remove a member: the row stays as a tombstone, every personal column is cleared.

    The FTS index is merged afterwards (``optimize``): FTS5 only marks removed terms until its
    segments merge, and the removed person's name must not stay readable in the file.
    """
    with db.atomic():
        records.tombstone(db, TABLE, member_id, clear=PERSONAL_COLUMNS, actor=actor)
        db.execute("INSERT INTO members_fts(members_fts) VALUES ('optimize')")


def restore(db: sqlite_utils.Database, member: Member, *, actor: str) -> None:
    """Undo a removal: bring the tombstone ``member.id`` back with ``member``'s values."""
    if not member.id:
        raise NotFoundError(_("The record no longer exists (it may have been removed)."))
    with db.atomic():
        row = db.execute(
            "SELECT version FROM members WHERE id = ? AND deleted_at IS NOT NULL", [member.id]
        ).fetchone()
        if row is None:
            raise NotFoundError(_("There is no removed member to bring back."))
        values = to_values(member)
        values.update(
            version=int(row[0]) + 1,
            updated_at=utc_now_iso(),
            change_seq=records.next_change_seq(db),
            deleted_at=None,
        )
        try:
            db[TABLE].update(member.id, values)  # type: ignore[union-attr]
        except sqlite3.IntegrityError as exc:
            raise _refuse_duplicate(exc) from exc
        audit.record(db, "restore", TABLE, member.id, actor=actor)


def _fast_ids(count: int) -> list[str]:
    """``count`` random version-4 UUIDs, formatted like ``str(uuid.uuid4())`` but ~5x faster."""
    raw = os.urandom(16 * count)
    ids = []
    for offset in range(0, 16 * count, 16):
        h = raw[offset:offset + 16].hex()
        variant = "89ab"[int(h[16], 16) & 3]
        ids.append(f"{h[0:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:32]}")
    return ids


def bulk_insert(
    db: sqlite_utils.Database,
    members: Sequence[Member],
    *,
    village_code: str,
    actor: str,
    audit_detail: str | None = None,
    audit_each: bool = True,
) -> list[str]:
    """Insert many new members fast (demo data, large imports); returns their ids.

    One block of change_seq numbers is taken for the batch; the identity columns are those
    :func:`records.insert` would write. With ``audit_each`` every record gets its "create"
    line; otherwise one "import" line with ``audit_detail`` stands for the batch.

    Rows are staged in a temporary table and moved with ONE ``INSERT ... SELECT``: FTS5
    flushes its pending terms at every statement, so the per-row statements of
    ``executemany`` would make the search-index trigger ~4x slower than the whole insert.
    """
    if not members:
        return []
    columns = ["id", "village_code", "version", "updated_at", "change_seq", "deleted_at",
               *MEMBER_COLUMNS]
    now = utc_now_iso()
    generated = iter(_fast_ids(sum(1 for m in members if not m.id)))
    ids = [member.id or next(generated) for member in members]
    with db.atomic():
        first = records.current_change_seq(db) + 1
        db.execute(
            "INSERT INTO counters(name, value) VALUES('change_seq', ?) "
            "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            [first + len(members) - 1],
        )
        rows = [
            (rid, village_code, 1, now, first + offset, None, *_row_values(member))
            for offset, (rid, member) in enumerate(zip(ids, members, strict=True))
        ]
        names = ", ".join(columns)
        placeholders = ", ".join("?" for _c in columns)
        db.execute("DROP TABLE IF EXISTS temp.members_staging")
        db.execute(f"CREATE TEMP TABLE members_staging ({names})")
        try:
            db.conn.executemany(
                f"INSERT INTO temp.members_staging VALUES ({placeholders})", rows
            )
            db.execute(
                f"INSERT INTO members ({names}) SELECT {names} FROM temp.members_staging"
            )
        except sqlite3.IntegrityError as exc:
            raise _refuse_duplicate(exc) from exc
        finally:
            db.execute("DROP TABLE IF EXISTS temp.members_staging")
        if audit_each:
            db.conn.executemany(
                "INSERT INTO audit_log(at, actor, action, table_name, record_id, detail) "
                "VALUES (?, ?, 'create', 'members', ?, ?)",
                [(now, actor, rid, audit_detail) for rid in ids],
            )
        else:
            audit.record(db, "import", TABLE, None, actor=actor, detail=audit_detail)
    return ids


# -- single reads -------------------------------------------------------------------------------
def get(db: sqlite_utils.Database, member_id: str) -> Member | None:
    """A live member, or None if there is none (or it was removed)."""
    cursor = db.execute(
        "SELECT * FROM members WHERE id = ? AND deleted_at IS NULL", [member_id]
    )
    for data in _dicts(cursor):
        return from_row(data)
    return None


def find_by_nik(
    db: sqlite_utils.Database, village_code: str, nik: str, *, exclude_id: str | None = None
) -> MemberRef | None:
    """The live member of ``village_code`` holding ``nik`` (other than ``exclude_id``)."""
    if not nik:
        return None
    row = db.execute(
        "SELECT id, name FROM members WHERE village_code = ? AND nik = ? "
        "AND deleted_at IS NULL AND id IS NOT ?",
        [village_code, nik, exclude_id],
    ).fetchone()
    return MemberRef(row[0], row[1] or "") if row else None


def find_same_name_birth(
    db: sqlite_utils.Database, name: str, birth_date: dt.date | None, *,
    exclude_id: str | None = None, limit: int = 5,
) -> list[MemberRef]:
    """Live members with this name (case-insensitive) and birth date."""
    if not name or birth_date is None:
        return []
    rows = db.execute(
        "SELECT id, name FROM members WHERE name = ? COLLATE NOCASE AND birth_date = ? "
        "AND deleted_at IS NULL AND id IS NOT ? LIMIT ?",
        [name, birth_date.isoformat(), exclude_id, limit],
    ).fetchall()
    return [MemberRef(r[0], r[1] or "") for r in rows]


def find_without_nik(
    db: sqlite_utils.Database, name: str, birth_date: dt.date | None
) -> MemberRef | None:
    """A live member with no NIK, this name and birth date (re-import of NIK-less rows)."""
    if not name or birth_date is None:
        return None
    row = db.execute(
        "SELECT id, name FROM members WHERE name = ? COLLATE NOCASE AND birth_date = ? "
        "AND nik IS NULL AND deleted_at IS NULL LIMIT 1",
        [name, birth_date.isoformat()],
    ).fetchone()
    return MemberRef(row[0], row[1] or "") if row else None


def nik_of(db: sqlite_utils.Database, member_id: str) -> str:
    row = db.execute(
        "SELECT nik FROM members WHERE id = ? AND deleted_at IS NULL", [member_id]
    ).fetchone()
    if row is None:
        raise NotFoundError(_("The record no longer exists (it may have been removed)."))
    return row[0] or ""


def dusun_values(db: sqlite_utils.Database) -> list[str]:
    """The dusun names in use, for the filter row (walks the dusun index)."""
    rows = db.execute(
        "SELECT DISTINCT dusun FROM members WHERE deleted_at IS NULL AND dusun IS NOT NULL "
        "ORDER BY dusun COLLATE NOCASE"
    ).fetchall()
    return [r[0] for r in rows]


def iter_all(db: sqlite_utils.Database) -> Iterator[Member]:
    """Every live member in name order, streamed from one cursor (exports of 100k rows)."""
    cursor = db.execute(
        "SELECT * FROM members WHERE deleted_at IS NULL ORDER BY name COLLATE NOCASE, rowid"
    )
    for data in _dicts(cursor):
        yield from_row(data)


def live_niks(db: sqlite_utils.Database, village_code: str) -> list[tuple[str, str, str]]:
    """(id, name, NIK) of the village's live members with a NIK who have not left, in name
    order: what a resident list is compared with on a re-import."""
    rows = db.execute(
        "SELECT id, name, nik FROM members WHERE village_code = ? AND deleted_at IS NULL "
        "AND COALESCE(nik, '') != '' AND status != 'keluar' ORDER BY name COLLATE NOCASE, rowid",
        [village_code],
    ).fetchall()
    return [(row[0], row[1] or "", row[2]) for row in rows]


def choices(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """(id, "Name · Dusun") of every live member who has not left, in name order: the list a
    book's member field chooses from (a meeting's chair, an officer, a letter's subject)."""
    rows = db.execute(
        "SELECT id, name, dusun FROM members WHERE deleted_at IS NULL AND status != 'keluar' "
        "ORDER BY name COLLATE NOCASE, rowid"
    ).fetchall()
    return [(row[0], f"{row[1]} · {row[2]}" if row[2] else row[1] or "") for row in rows]


def is_live(db: sqlite_utils.Database, member_id: str) -> bool:
    row = db.execute("SELECT 1 FROM members WHERE id = ? AND deleted_at IS NULL",
                     [member_id]).fetchone()
    return row is not None


def live_count(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT count(*) FROM members WHERE deleted_at IS NULL").fetchone()[0])


# -- the register's list ------------------------------------------------------------------------
#: Sort key -> ORDER BY terms. Each list matches an index of ``schema_members`` term for
#: term, so a sort walks an index instead of sorting 100,000 rows; ``rowid`` breaks ties so
#: that LIMIT/OFFSET pages never repeat or skip a row.
_SORT_SQL: dict[str, tuple[str, ...]] = {
    "name": ("name COLLATE NOCASE", "birth_date"),
    "sex": ("sex", "name COLLATE NOCASE"),
    "birth_date": ("birth_date",),
    "age": ("birth_date",),
    "dusun": ("dusun COLLATE NOCASE", "rw", "rt"),
    "phone": ("phone",),
    "position": (POSITION_RANK_SQL, "name COLLATE NOCASE"),
    "status": ("status", "name COLLATE NOCASE"),
}
#: Sorting by age ascending is sorting by birth date descending.
_REVERSED_SORTS = {"age"}

_ROW_COLUMNS = (
    "id, name, substr(nik, -4) AS nik_tail, nik_missing_reason, sex, birth_date, dusun, rt, "
    "rw, phone, status, position, seksi, joined_on"
)


def fts_query(text: str) -> str:
    """An FTS5 MATCH expression: every word must start a word of the name or dusun."""
    from kt_desktop.store.schema_members import _APOSTROPHES

    for mark in _APOSTROPHES:
        text = text.replace(mark, "")
    terms = []
    for word in text.split():
        if any(ch.isalnum() for ch in word):
            terms.append('"' + word.replace('"', '""') + '"*')
    return " ".join(terms)


def _digit_ranges(word: str) -> list[tuple[str, str, str]]:
    """``(column, low, high)`` ranges matching a typed number as a NIK or phone prefix.

    A NIK never starts with 0 (province codes are 11-94) and a stored phone always does, so
    "0812" searches phones only and "3604" NIKs only; "62..." and "8..." may be either (a
    phone typed in international form or without its 0). Each range walks one index.
    """
    ranges: list[tuple[str, str, str]] = []
    if word.startswith("0"):
        ranges.append(("phone", word, word + ":"))
    else:
        ranges.append(("nik", word, word + ":"))
        if word.startswith("62") and len(word) > 2:
            ranges.append(("phone", "0" + word[2:], "0" + word[2:] + ":"))
        elif word.startswith("8"):
            ranges.append(("phone", "0" + word, "0" + word + ":"))
    return ranges


def _is_first_letter(word: str) -> bool:
    return len(word) == 1 and word.isascii() and word.isalpha()


#: A search matching more rows than this makes the page walk its sort index (see ``_where``).
BROAD_MATCHES = 3000


def _matches_many(db: sqlite_utils.Database, match: str) -> bool:
    """Whether the full-text ``match`` finds more than :data:`BROAD_MATCHES` members.

    Counting stops there, so it costs well under a millisecond even for "su" (30,000 of
    100,000 members), and it decides the plan better than the length of the words did:
    "rin" finds 1,300 members (collect them: 5 ms, walking the index: 27 ms) while
    "cibeber", a dusun, finds 14,000 (walking: 6 ms, collecting: 22 ms).
    """
    row = db.execute(
        "SELECT count(*) FROM (SELECT rowid FROM members_fts WHERE members_fts MATCH ? LIMIT ?)",
        [match, BROAD_MATCHES + 1],
    ).fetchone()
    return int(row[0]) > BROAD_MATCHES


def _where(
    query: MemberQuery,
    today: dt.date,
    village_code: str | None,
    *,
    for_page: bool = True,
    db: sqlite_utils.Database | None = None,
) -> tuple[str, list[Any]]:
    """The WHERE clause of the register's list; ``for_page`` False for a count.

    A page walks its sort index and stops after LIMIT rows; a count has no order, so for it
    every range goes through its own index. ``db`` lets a page ask how many members a search
    matches before choosing.
    """
    clauses = ["deleted_at IS NULL"]
    params: list[Any] = []
    if query.status:
        clauses.append("status = ?")
        params.append(query.status)
    if query.position == "officer":
        clauses.append("position IS NOT NULL")
    elif query.position == "none":
        clauses.append("position IS NULL")
    elif query.position:
        clauses.append("position = ?")
        params.append(query.position)
    if query.sex:
        clauses.append("sex = ?")
        params.append(query.sex)
    if query.age_band in AGE_BANDS:
        _label, low, high = AGE_BANDS[query.age_band]
        after, upto = birth_range_for_ages(low, high, today)
        clauses.append("birth_date > ? AND birth_date <= ?")
        params += [after.isoformat(), upto.isoformat()]
    if query.dusun:
        clauses.append("dusun = ? COLLATE NOCASE")
        params.append(query.dusun)
    words, numbers = [], []
    for word in query.search.replace("+", " ").split():
        digits = word.replace("-", "").replace(".", "")
        (numbers if digits.isascii() and digits.isdigit() else words).append(
            digits if digits.isdigit() else word
        )
    if len(words) == 1 and not numbers and _is_first_letter(words[0]):
        # One letter alone means "names beginning with it", as in a phone book: a range of
        # the name index, instead of every name or dusun with any word starting with it (half
        # the register for "s", which is no filter at all and costs most to collect).
        letter = words[0].casefold()
        clauses.append("name >= ? COLLATE NOCASE AND name < ? COLLATE NOCASE")
        params += [letter, chr(ord(letter) + 1)]
        words = []
    match = fts_query(" ".join(words))
    if match:
        # A broad search ("ci", "nu", a dusun's name) matches tens of thousands of rows:
        # collecting and sorting them all costs 25-55 ms, while walking the sort index and
        # testing each row against the matched set stops after one page. The unary + keeps
        # SQLite on the sort index. A narrow one is found at once by the full-text index.
        broad = for_page and db is not None and _matches_many(db, match)
        rowid = "+rowid" if broad else "rowid"
        clauses.append(f"{rowid} IN (SELECT rowid FROM members_fts WHERE members_fts MATCH ?)")
        params.append(match)
    for number in numbers:
        parts = []
        for column, low, high in _digit_ranges(number):
            # A short prefix ("3604", a kecamatan) matches most of the village: walking the
            # sort index and testing each row beats collecting 85,000 rows to sort them, so
            # the unary + keeps SQLite off the column's index. A long one narrows to a few
            # rows, which the index finds at once.
            if (for_page and len(low) < 8) or (column == "nik" and village_code is None):
                parts.append(f"(+{column} >= ? AND +{column} < ?)")
                params += [low, high]
            elif column == "nik":  # through the (village_code, nik) index
                parts.append("(village_code = ? AND nik >= ? AND nik < ?)")
                params += [village_code, low, high]
            else:
                parts.append(f"({column} >= ? AND {column} < ?)")
                params += [low, high]
        clauses.append("(" + " OR ".join(parts) + ")")
    return " AND ".join(clauses), params


def _row(data: tuple[Any, ...]) -> MemberRow:
    (rid, name, tail, missing, sex, birth, dusun, rt, rw, phone, status, position, seksi,
     joined) = data
    return MemberRow(
        id=rid, name=name or "", nik_tail=tail or "", nik_missing=not tail and bool(missing),
        sex=sex or "", birth_date=_date(birth), dusun=dusun or "", rt=rt or "", rw=rw or "",
        phone=phone or "", status=status or "", position=position or "", seksi=seksi or "",
        joined_on=_date(joined),
    )


def page(
    db: sqlite_utils.Database,
    query: MemberQuery,
    *,
    offset: int,
    limit: int,
    today: dt.date,
    village_code: str | None = None,
) -> list[MemberRow]:
    """One page of the register, filtered, searched and sorted by SQL.

    ``village_code`` lets a NIK search use the (village, NIK) index; without it a NIK prefix
    is matched by scanning (fine for a picker's short list).
    """
    where, params = _where(query, today, village_code, db=db)
    terms = _SORT_SQL.get(query.sort, _SORT_SQL["name"])
    descending = query.descending != (query.sort in _REVERSED_SORTS)
    direction = " DESC" if descending else ""
    order = ", ".join(f"{term}{direction}" for term in (*terms, "rowid"))
    sql = f"SELECT {_ROW_COLUMNS} FROM members WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?"
    return [_row(r) for r in db.execute(sql, [*params, limit, offset]).fetchall()]


def count(
    db: sqlite_utils.Database, query: MemberQuery, *, today: dt.date,
    village_code: str | None = None,
) -> int:
    where, params = _where(query, today, village_code, for_page=False)
    return int(db.execute(f"SELECT count(*) FROM members WHERE {where}", params).fetchone()[0])


# -- settings of the register --------------------------------------------------------------
def seksi_list(db: sqlite_utils.Database) -> list[str]:
    raw = settings.get(db, SEKSI_SETTING)
    if not raw:
        return list(DEFAULT_SEKSI)
    try:
        return [str(item) for item in json.loads(raw)]
    except ValueError:
        return list(DEFAULT_SEKSI)


def put_seksi_list(db: sqlite_utils.Database, names: Iterable[str]) -> None:
    settings.put(db, SEKSI_SETTING, json.dumps(list(names), ensure_ascii=False))


def age_rule(db: sqlite_utils.Database) -> AgeRule:
    raw = settings.get(db, AGE_RULE_SETTING)
    if not raw:
        return DEFAULT_AGE_RULE
    try:
        return AgeRule.from_json(raw)
    except (ValueError, KeyError, ValidationError):
        return DEFAULT_AGE_RULE


def put_age_rule(db: sqlite_utils.Database, rule: AgeRule) -> None:
    settings.put(db, AGE_RULE_SETTING, rule.to_json())
