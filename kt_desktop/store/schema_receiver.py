"""Migration 6: what a receiver (province or kabupaten) keeps beside the villages' records.

* ``village_status``: the status of a desa (mandiri / berkembang / tertinggal) for a year,
  with where the figure came from (e.g. "BPS Potensi Desa 2018"). It changes yearly, so one
  row per (village, year) is kept and a report uses the newest year not after its own.
  It is the receiver's own reference data, imported from a CSV: not a record table, so it
  never travels in bundles.

* ``receiver_rollup`` and ``receiver_rollup_trainings``: a village's activities by jenis,
  beneficiaries by PPKS category and sex, and trainings with their participants, graduates
  and outcomes, counted per month and per year. They are derived data (a cache), recounted
  for the villages whose bundles arrived since the last count; the raw rows stay the truth.

* Indexes for the receiver's aggregates (:mod:`kt_desktop.store.receiver`). A receiver holds
  the rows of up to 1,552 villages in the shared record tables (some 230,000 members and
  370,000 activities in Banten); every aggregate filters on a period and on an area, which is
  a range of ``village_code`` (``"36.04." <= code < "36.04/"``), and groups in SQL. Each index
  below is *covering* for one aggregate (SQLite answers from the index without touching the
  table) and *partial* on live rows, so tombstones cost nothing. They exist on village files
  too (a migration cannot tell the kind of a file that is being made); there they hold a few
  hundred entries.

Migrations 2-5 run before this one, so the tables exist; ``IF NOT EXISTS`` and the table
check keep the migration safe on a file made without one of them.
"""

from __future__ import annotations

import sqlite_utils

#: (table, index name, indexed columns, WHERE of the partial index or ""). ``deleted_at``
#: ends the column list of a partial index although the WHERE already fixes it: SQLite 3.40
#: counts an index as covering only when it holds every column the query names.
AGGREGATE_INDEXES: tuple[tuple[str, str, str, str], ...] = (
    # Members on the register at a date, by village, sex and age band (one index scan).
    (
        "members",
        "idx_receiver_members_census",
        "village_code, sex, birth_date, joined_on, status, left_on, deleted_at",
        "deleted_at IS NULL",
    ),
    # The same NIK live in two villages (grouped by NIK in index order).
    (
        "members",
        "idx_receiver_members_nik",
        "nik, village_code, status, deleted_at",
        "deleted_at IS NULL AND nik IS NOT NULL",
    ),
    # Per-village lists (Data per desa) in their display order.
    (
        "members",
        "idx_receiver_members_village_name",
        "village_code, name COLLATE NOCASE",
        "deleted_at IS NULL",
    ),
    (
        "activities",
        "idx_receiver_activities_village",
        "village_code, start_date",
        "deleted_at IS NULL",
    ),
    (
        "trainings",
        "idx_receiver_trainings_village",
        "village_code, start_date",
        "deleted_at IS NULL",
    ),
    # Counting a village's figures for the roll-up: its trainings' sessions, the sessions
    # each participant attended (H), their latest follow-up.
    (
        "training_sessions",
        "idx_receiver_sessions_training",
        "training_id, deleted_at",
        "deleted_at IS NULL",
    ),
    (
        "training_attendance",
        "idx_receiver_attendance_present",
        "participant_id, code, deleted_at",
        "deleted_at IS NULL AND code = 'H'",
    ),
    (
        "training_outcomes",
        "idx_receiver_outcomes_participant",
        "participant_id, checkpoint_months, status, deleted_at",
        "deleted_at IS NULL",
    ),
    # Bundles made in a period (the reporting table), by the village's own date.
    ("imports", "idx_receiver_imports_created", "created_utc, village_code", ""),
)


def migrate(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS village_status ("
        " village_code TEXT NOT NULL,"
        " year INTEGER NOT NULL,"
        " status TEXT NOT NULL CHECK (status IN ('mandiri', 'berkembang', 'tertinggal')),"
        " source TEXT NOT NULL DEFAULT '',"
        " imported_at TEXT NOT NULL,"
        " PRIMARY KEY (village_code, year))"
    )
    # The roll-up: counts per village and period ("YYYY-MM" and "YYYY"), recounted for a
    # village whenever a bundle of it arrives (store.receiver.refresh_rollup). Reading a
    # province's year from here touches ~40,000 rows instead of ~800,000.
    db.execute(
        "CREATE TABLE IF NOT EXISTS receiver_rollup ("
        " metric TEXT NOT NULL,"  # 'act' (jenis) | 'ben' ('ppks:sex') | 'mem' ('sex:band')
        " period TEXT NOT NULL,"
        " village_code TEXT NOT NULL,"
        " key TEXT NOT NULL,"
        " value INTEGER NOT NULL,"
        " PRIMARY KEY (metric, period, village_code, key)) WITHOUT ROWID"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_receiver_rollup_village "
        "ON receiver_rollup(village_code)"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS receiver_rollup_trainings ("
        " period TEXT NOT NULL,"
        " village_code TEXT NOT NULL,"
        " trainings INTEGER NOT NULL,"
        " participants INTEGER NOT NULL,"
        " graduates INTEGER NOT NULL,"
        " employed INTEGER NOT NULL,"
        " business INTEGER NOT NULL,"
        " studying INTEGER NOT NULL,"
        " not_working INTEGER NOT NULL,"
        " PRIMARY KEY (period, village_code)) WITHOUT ROWID"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_receiver_rollup_trainings_village "
        "ON receiver_rollup_trainings(village_code)"
    )
    # The census dates (period ends) counted into receiver_rollup (metric 'mem').
    db.execute(
        "CREATE TABLE IF NOT EXISTS receiver_rollup_census ("
        " period_end TEXT PRIMARY KEY, bands INTEGER NOT NULL)"
    )
    # NIKs live in more than one village, found again with the roll-up (Duplikat).
    db.execute(
        "CREATE TABLE IF NOT EXISTS receiver_duplicates ("
        " nik TEXT NOT NULL, village_code TEXT NOT NULL,"
        " PRIMARY KEY (nik, village_code)) WITHOUT ROWID"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_receiver_duplicates_village "
        "ON receiver_duplicates(village_code)"
    )
    _create_indexes(db, AGGREGATE_INDEXES)


def _create_indexes(db: sqlite_utils.Database,
                    indexes: tuple[tuple[str, str, str, str], ...]) -> None:
    """Create each (table, name, columns, WHERE) index whose table exists."""
    existing = set(db.table_names())
    for table, name, columns, where in indexes:
        if table in existing:
            partial = f" WHERE {where}" if where else ""
            db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table}({columns}){partial}")


def migrate_region_rollup(db: sqlite_utils.Database) -> None:
    """Migration 24: the roll-up summed once more, by kabupaten/kota and status bucket.

    A province-wide view (Jawa Tengah: 8,563 villages) read the village roll-up row by row,
    some 650,000 rows for a year, and took seconds; these sums give it a few thousand.
    ``receiver_rollup_region`` holds, per metric, period, kabupaten/kota (the first five
    characters of the code) and bucket (``kelurahan``, else the desa's status in force in the
    period's year, else ``none``), the sum of the village roll-up; trainings come in as
    metric ``train`` with one key per figure. It is kept by
    :func:`kt_desktop.store.receiver.refresh_rollup` (a difference per batch of villages),
    counted again when statuses are imported, and ``check`` compares it with the village
    roll-up. It starts empty; the next count of the roll-up fills it from the village
    roll-up (``receiver.rollup_region`` names what it was summed from).
    """
    db.execute(
        "CREATE TABLE IF NOT EXISTS receiver_rollup_region ("
        " metric TEXT NOT NULL,"
        " period TEXT NOT NULL,"
        " region TEXT NOT NULL,"
        " bucket TEXT NOT NULL,"
        " key TEXT NOT NULL,"
        " value INTEGER NOT NULL,"
        " PRIMARY KEY (metric, period, region, bucket, key)) WITHOUT ROWID"
    )


#: A live registration of a NIK that counts for Duplikat: not deleted, not left. The partial
#: index of migration 25 is defined on these very terms, and SQLite uses a partial index only
#: for a query that repeats them: :mod:`kt_desktop.store.receiver` reads the members with it.
LIVE_NIK = "deleted_at IS NULL AND nik IS NOT NULL AND coalesce(status, '') != 'keluar'"

#: Fills ``receiver_duplicate_niks`` from ``receiver_duplicates`` (one row per NIK and village).
COUNT_DUPLICATE_VILLAGES = (
    "INSERT INTO receiver_duplicate_niks (nik, villages) "
    "SELECT nik, count(*) FROM receiver_duplicates GROUP BY nik"
)


def migrate_duplicate_pages(db: sqlite_utils.Database) -> None:
    """Migration 25: a page of Duplikat reads a bounded number of rows, whatever the data.

    On the 8,563-village Jawa Tengah receiver built from one template village, every one of
    its 150 NIKs was live in every village, and one page listed 1.7 million members (14-18 s,
    most of a 1.1 GB peak). A page now lists a few registrations per NIK, the newest by join
    date, and says in how many villages the NIK is live in all:

    * ``receiver_duplicate_niks``: per duplicated NIK, how many villages it is live in. Kept
      beside ``receiver_duplicates`` by :func:`kt_desktop.store.receiver.find_duplicates`, so
      the province's count and a page's "and N more villages" read one row per NIK instead
      of counting every village of it. Filled here from the duplicates already found.
    * ``idx_receiver_members_nik_joined``: a NIK's live registrations in join-date order, so
      the newest few are read from the index and the rest of that NIK's villages are not
      touched (without it every registration of the NIK was read and sorted).
    """
    db.execute(
        "CREATE TABLE IF NOT EXISTS receiver_duplicate_niks ("
        " nik TEXT PRIMARY KEY, villages INTEGER NOT NULL) WITHOUT ROWID"
    )
    if "members" in set(db.table_names()):
        # status and deleted_at end it although the WHERE fixes them, so that it is covering
        # (SQLite 3.40, see AGGREGATE_INDEXES); finding the duplicates then reads it too.
        db.execute(
            "CREATE INDEX IF NOT EXISTS idx_receiver_members_nik_joined "
            f"ON members(nik, joined_on, village_code, status, deleted_at) WHERE {LIVE_NIK}"
        )
    if "receiver_duplicates" in set(db.table_names()):
        db.execute("DELETE FROM receiver_duplicate_niks")
        db.execute(COUNT_DUPLICATE_VILLAGES)


#: Migration 26: a village's child rows, and its members, found by village first.
#: (table, index name, indexed columns, WHERE), as :data:`AGGREGATE_INDEXES`.
VILLAGE_JOIN_INDEXES: tuple[tuple[str, str, str, str], ...] = (
    # Covering for the roll-up's and the workbook's sums of an activity's beneficiaries
    # and funds.
    (
        "activity_beneficiaries",
        "idx_receiver_beneficiaries_village",
        "village_code, activity_id, ppks, sex, age_band, count, deleted_at",
        "deleted_at IS NULL",
    ),
    (
        "activity_funds",
        "idx_receiver_funds_village",
        "village_code, activity_id, source, amount, deleted_at",
        "deleted_at IS NULL",
    ),
    (
        "training_participants",
        "idx_receiver_participants_village",
        "village_code, training_id",
        "deleted_at IS NULL",
    ),
    (
        "training_outcomes",
        "idx_receiver_outcomes_village",
        "village_code, training_id",
        "deleted_at IS NULL",
    ),
    ("members", "idx_receiver_members_village_id", "village_code, id", "deleted_at IS NULL"),
)


def migrate_village_joins(db: sqlite_utils.Database) -> None:
    """Migration 26: the province's joins from a record to its children stay in the village.

    The roll-up and the workbook join each activity to its beneficiaries and funds, each
    training to its participants and follow-ups, and each participant to its member. The
    indexes they used are keyed on the parent's random UUID alone, so in a province the
    look-ups of one village are spread over the whole index: the workbook of Jawa Tengah's
    8,563 villages (7.6 million rows) made 4.7 million random page reads, 57 s of its 98.
    Keyed on ``village_code`` first, a village's entries lie together, its look-ups read
    neighbouring pages, and the reading takes 26 s. A bulk import sets them aside and
    sorts them at its end (``bulk_import._SORTED_AFTER``): within a village their second
    column is random. On a village file they hold its own few rows.
    """
    _create_indexes(db, VILLAGE_JOIN_INDEXES)
