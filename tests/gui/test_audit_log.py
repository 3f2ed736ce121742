"""The activity log dialog's table: the audit rows, newest first, with their columns."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from kt_desktop.gui.dialogs.audit_log import AuditLogDialog
from kt_desktop.gui.models.rows import ROW_ROLE
from kt_desktop.store import audit


def test_the_log_lists_the_records_written_with_their_columns(qtbot: Any, ops: Any,
                                                               qtmodeltester: Any) -> None:
    db = ops.session.db()
    with db.atomic():
        audit.record(db, "print", "members", "abc-123", actor="Sekretaris", detail="buku induk")
    dialog = AuditLogDialog(ops)
    qtbot.addWidget(dialog)
    model = dialog.panel.model
    qtbot.waitUntil(lambda: model.rowCount() > 0 and not model.loading(), timeout=10_000)
    qtmodeltester.check(model)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Waktu"
    texts = [model.data(model.index(0, column)) for column in range(model.columnCount())]
    assert "Sekretaris" in texts and "abc-123" in texts
    assert model.data(model.index(0, 5), Qt.ItemDataRole.ToolTipRole) == "buku induk"
    assert model.data(model.index(0, 0), ROW_ROLE).record_id == "abc-123"
