"""Selecting what a bundle carries from a village file.

Everything written after ``since`` (tombstones included), read in one snapshot so that the
tables agree with each other, plus the parents those rows point to by foreign key, even when
the parents did not change: then every bundle can be merged on its own, and a bundle that
arrives while an earlier one is still missing does not fail on a foreign key (its gap is
reported instead). Re-sending an unchanged parent costs a line and changes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from kt_desktop.bundles.write import TableRows
from kt_desktop.store import sync


@dataclass(slots=True)
class Collected:
    tables: list[TableRows]
    attachments: dict[str, bytes]
    upto_seq: int

    @property
    def counts(self) -> dict[str, int]:
        return {table.name: len(table.rows) for table in self.tables}

    @property
    def total(self) -> int:
        return sum(len(table.rows) for table in self.tables)


def collect(db: sqlite_utils.Database, *, since: int, village_code: str) -> Collected:
    """The rows of ``village_code`` with ``change_seq > since``, parents included."""
    present = sync.present_tables(db)
    names = [table.name for table in present]
    with sync.snapshot(db):
        upto = sync.current_change_seq(db)
        columns = {name: [c.name for c in sync.table_columns(db, name)] for name in names}
        rows: dict[str, list[tuple[Any, ...]]] = {
            name: sync.changed_rows(
                db, name, columns[name], since=since, upto=upto, village_code=village_code
            )
            for name in names
        }
        _add_parents(db, names, columns, rows, village_code)
        if "attachments" in rows:
            _gate_files(db, columns, rows, village_code, upto)
    attachments: dict[str, bytes] = {}
    tables = []
    for table in present:
        cols = columns[table.name]
        table_rows = rows[table.name]
        seq_at = cols.index("change_seq")
        table_rows.sort(key=lambda row, at=seq_at: row[at])
        blob_at = [cols.index(column) for column in table.blob_columns if column in cols]
        if blob_at:
            table_rows = [_detach(row, blob_at, attachments) for row in table_rows]
        tables.append(TableRows(name=table.name, columns=cols, rows=table_rows))
    return Collected(tables=tables, attachments=attachments, upto_seq=upto)


def _add_parents(
    db: sqlite_utils.Database,
    names: list[str],
    columns: dict[str, list[str]],
    rows: dict[str, list[tuple[Any, ...]]],
    village_code: str,
) -> None:
    """Children before parents (reverse registry order), so grandparents come along too."""
    for name in reversed(names):
        for key in sync.foreign_keys(db, name):
            if key.parent not in rows or key.parent_column != "id":
                continue
            at = columns[name].index(key.column)
            wanted = {row[at] for row in rows[name] if row[at] is not None}
            if not wanted:
                continue
            parent_cols = columns[key.parent]
            id_at = parent_cols.index("id")
            missing = sorted(wanted - {row[id_at] for row in rows[key.parent]})
            if missing:
                village_at = parent_cols.index("village_code")
                rows[key.parent].extend(
                    row
                    for row in sync.rows_by_id(db, key.parent, parent_cols, missing)
                    if row[village_at] == village_code
                )


def _gate_files(db: sqlite_utils.Database, columns: dict[str, list[str]],
               rows: dict[str, list[tuple[Any, ...]]], village_code: str, upto: int) -> None:
    """Files of a book with ``Attachments.travel_when`` (scans of incoming letters) go only
    with a ticked record: the others are left out (their removals still travel), and a
    record ticked since carries its files again."""
    from kt_desktop.domain.book import all_books

    cols = columns["attachments"]
    owner_at, id_at = cols.index("owner_table"), cols.index("owner_id")
    deleted_at, row_id = cols.index("deleted_at"), cols.index("id")
    for spec in all_books():
        if spec.attachments is None or not spec.attachments.travel_when:
            continue
        ticked = sync.ticked_ids(db, spec.table, spec.attachments.travel_when, village_code)
        rows["attachments"] = [
            row for row in rows["attachments"]
            if row[owner_at] != spec.table or row[id_at] in ticked or row[deleted_at]]
        if spec.table not in rows:
            continue
        owner_ids = {row[columns[spec.table].index("id")] for row in rows[spec.table]}
        have = {row[row_id] for row in rows["attachments"]}
        rows["attachments"] += [
            row for row in sync.attachment_rows_of(db, spec.table, owner_ids & ticked, cols,
                                                   upto)
            if row[row_id] not in have]


def _detach(
    row: tuple[Any, ...], positions: list[int], attachments: dict[str, bytes]
) -> tuple[Any, ...]:
    """Replace BLOB values by their SHA-256; the bytes travel as files."""
    values = list(row)
    for position in positions:
        value = values[position]
        if value is None:
            continue
        data = bytes(value)
        digest = hashlib.sha256(data).hexdigest()
        attachments[digest] = data
        values[position] = digest
    return tuple(values)
