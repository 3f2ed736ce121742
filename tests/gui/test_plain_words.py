"""Words a secretary understands (issue 16): the activity log showed stored ids
(``890feb82``), a bare attendance ``H`` and ``H->A``, and ``file -> folder``."""

from __future__ import annotations

import re
from pathlib import Path

from pytestqt.qtbot import QtBot

from kt_desktop.gui.dialogs.audit_log import AuditLogDialog
from kt_desktop.gui.ops import Ops
from kt_desktop.services import audit as audit_service
from kt_desktop.services.session import Session
from tests.test_trainings import add_people, make_training, mark

RAW = re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{8,}\b|->|^[HISA]$")


def test_the_activity_log_shows_words_not_codes(
    qtbot: QtBot, ops: Ops, village_session: Session, tmp_path: Path
) -> None:
    session = village_session
    training_id = make_training(session, sessions=2)
    (ani,) = add_people(session, training_id, ["Ani"])
    mark(session, training_id, {ani: "HH"})
    mark(session, training_id, {ani: "HA"})  # H -> A
    from kt_desktop.services import bundles

    bundles.export(session, dest_dir=tmp_path)  # "name -> folder"
    # what the store wrote: the raw shapes are there
    rows = audit_service.page(session, audit_service.AuditFilter()).rows
    stored = " ".join(f"{row.record_id} {row.detail}" for row in rows)
    assert "->" in stored and re.search(r"[0-9a-f]{8}", stored)

    dialog = AuditLogDialog(ops)
    qtbot.addWidget(dialog, before_close_func=lambda _w: ops.wait_idle())
    dialog.show()
    model = dialog.panel.model
    qtbot.waitUntil(lambda: len(model.rows) > 0 and not model.loading())
    shown = [str(model.index(row, column).data() or "")
             for row in range(model.rowCount()) for column in range(model.columnCount())]
    raw = [text for text in shown if RAW.search(text)]
    assert not raw, raw
    assert "Hadir \u2192 Alpa (tanpa keterangan)" in shown
    assert "Hadir" in shown  # the first marks: a word, not a bare H
    assert any("\u2192" in text and ".ktb" in text for text in shown)
