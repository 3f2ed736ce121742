"""Migration 9: the data file's own identity, a random id kept in ``settings``.

Backups are kept per data file (issue 14): two villages' files may share a name
(``a/desa.sqlite``, ``b/desa.sqlite``), so neither the name nor the path can say whose a
backup is. A new file gets its id when ``init`` runs the migrations; a file made before gets
one the first time this version opens it. A file moved or restored keeps the id it carries.
"""

from __future__ import annotations

import uuid

import sqlite_utils

from kt_desktop.store import settings


def migrate(db: sqlite_utils.Database) -> None:
    if settings.get(db, settings.FILE_ID) is None:
        settings.put(db, settings.FILE_ID, uuid.uuid4().hex)
