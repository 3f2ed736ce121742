"""The shared list-model plumbing behaves as Qt expects (qtmodeltester) and translates headers."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from kt_desktop.gui.models.rows import ListModel
from kt_desktop.gui.pages.receiver_conflicts import ConflictListModel
from kt_desktop.gui.pages.receiver_import import SummaryModel
from kt_desktop.gui.pages.send_data import OutboxModel
from kt_desktop.i18n import N_


class Words(ListModel[str]):
    headers = (N_("Status"), N_("Attempts"))

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role == Qt.ItemDataRole.DisplayRole:
            return f"{self.rows[index.row()]}:{index.column()}"
        return None


def test_list_model_passes_qtmodeltester_and_speaks_indonesian(qtmodeltester: Any) -> None:
    model = Words()
    model.set_rows(["satu", "dua", "tiga"])
    qtmodeltester.check(model)
    assert model.rowCount() == 3 and model.columnCount() == 2
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Status"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Percobaan"
    assert model.headerData(5, Qt.Orientation.Horizontal) is None
    assert model.headerData(0, Qt.Orientation.Vertical) is None


def test_the_bundle_page_models_keep_their_columns() -> None:
    for model_class in (OutboxModel, SummaryModel, ConflictListModel):
        model = model_class()
        assert model.rowCount() == 0
        assert model.columnCount() == len(model.headers) > 0
        header = model.headerData(0, Qt.Orientation.Horizontal)
        assert isinstance(header, str) and header
