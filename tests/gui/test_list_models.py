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


def test_the_activity_participants_model_checks_attendance_as_qt_expects(
    qtmodeltester: Any,
) -> None:
    """The participants of an activity: a name (or the note for a member since removed) and a
    check box saying hadir/tidak hadir; adding the same member twice is refused."""
    from kt_desktop.domain.activities import Participant
    from kt_desktop.gui.dialogs.activity_form import ParticipantsModel
    from kt_desktop.services.activities import MemberChoice

    model = ParticipantsModel()
    model.set_rows([Participant(member_id="a", name="Siti Aminah"),
                    Participant(member_id="b", attended=False)])
    assert model.add(MemberChoice(id="c", name="Budi", detail="RT 001"))
    assert not model.add(MemberChoice(id="a", name="Siti Aminah", detail=""))
    qtmodeltester.check(model, force_py=True)
    shown = [[model.index(row, column).data() for column in range(2)] for row in range(3)]
    assert shown == [["Siti Aminah", "hadir"], ["(sudah dihapus dari buku induk)", "tidak hadir"],
                     ["Budi", "hadir"]]
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(2)] == [
        "Anggota", "Kehadiran"]
    absent = model.index(0, ParticipantsModel.ATTENDED)
    assert model.setData(absent, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert absent.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked.value
    assert model.attended() == 1
    model.remove_row(1)
    assert [p.member_id for p in model.rows] == ["a", "c"]
