"""Migration 10: the Buku Tamu's table; 11: the Buku Kas Umum's. Each is made from its
declaration (``domain/books/<key>.py``).

Each later book adds its own migration number calling :func:`create_book_table` with its own
declaration; a field added to a released book comes with a new migration calling
:func:`kt_desktop.store.books.add_missing_columns`.
"""

from __future__ import annotations

import sqlite_utils

from kt_desktop.domain.book import book
from kt_desktop.store.books import (
    add_missing_columns,
    create_book_table,
    create_child_tables,
    create_closings_table,
)


def migrate_tamu(db: sqlite_utils.Database) -> None:
    create_book_table(db, book("tamu"))


def migrate_kas(db: sqlite_utils.Database) -> None:
    """Migration 12: the Buku Kas Umum (``domain/books/kas.py``) and the months closed in a
    closable book (tutup buku)."""
    create_book_table(db, book("kas"))
    create_closings_table(db)


def migrate_pengurus(db: sqlite_utils.Database) -> None:
    """Migration 17: the Buku Data Pengurus (``domain/books/pengurus.py``)."""
    create_book_table(db, book("pengurus"))


def migrate_inventaris(db: sqlite_utils.Database) -> None:
    """Migration 18: the Buku Inventaris (``domain/books/inventaris.py``)."""
    create_book_table(db, book("inventaris"))


def migrate_program_kerja(db: sqlite_utils.Database) -> None:
    """Migration 19: the Program Kerja (``domain/books/program_kerja.py``)."""
    create_book_table(db, book("program-kerja"))


def migrate_rapat(db: sqlite_utils.Database) -> None:
    """Migration 13: the meetings (``domain/books/rapat.py``) with their attendance, agenda
    items and follow-ups (child rows)."""
    create_book_table(db, book("rapat"))
    create_child_tables(db, book("rapat"))


def migrate_surat(db: sqlite_utils.Database) -> None:
    """Migration 14: the agendas of incoming and outgoing letters (``domain/books/surat_*``);
    outgoing numbers are unique per year (a number is never given twice)."""
    create_book_table(db, book("surat-masuk"))
    create_book_table(db, book("surat-keluar"))
    db.execute("CREATE UNIQUE INDEX idx_letters_out_number ON letters_out"
               "(village_code, substr(letter_date, 1, 4), sequence) "
               "WHERE sequence IS NOT NULL")


def migrate_dues(db: sqlite_utils.Database) -> None:
    """Migration 15: members' dues (iuran) are cash entries that name the member and the
    month they pay (``member_id``, ``dues_month``); the dues grid of a year reads them
    from one index."""
    spec = book("kas")
    add_missing_columns(db, spec)
    db.execute(f"CREATE INDEX IF NOT EXISTS idx_{spec.table}_dues ON [{spec.table}]"
               "(village_code, dues_month, member_id, receipt, expense) "
               "WHERE deleted_at IS NULL AND member_id IS NOT NULL")
