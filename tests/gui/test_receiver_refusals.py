"""The Desa page says which bundles were refused, when and why, beside those never received
(issue 24): a refused bundle is "ditolak", not "belum diterima"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt

from kt_desktop.domain.members import Member
from kt_desktop.gui.models.receiver_villages import GAPS, VillagesModel
from kt_desktop.services import backups, bundles, members
from kt_desktop.services import receiver as service
from kt_desktop.services.session import Session
from tests.test_bundles_kit import VILLAGE, export, import_one


def test_desa_page_lists_refused_bundles_with_their_reason(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    village, receiver = pair
    members.save(
        village,
        Member(name="Siti", nik="3604225705010001", birth_date=dt.date(2001, 5, 17),
               sex="P", dusun="Cilaku", status="aktif"),
        confirm=True, today=dt.date(2025, 6, 30),
    )
    assert import_one(receiver, export(village, tmp_path / "usb")).status == bundles.IMPORTED
    backup = backups.take_backup(village.path, folder=tmp_path / "cadangan",
                                 kind=backups.OTHER, record=False).path
    backups.restore_open_session(village, backup)
    export(village, tmp_path / "hilang")  # 2: the full bundle after the restore, lost
    refused = import_one(receiver, export(village, tmp_path / "usb"))  # 3
    assert refused.error_code == "needs_full"
    villages = service.village_overview(receiver)

    model = VillagesModel()
    model.set_villages(villages)
    (row,) = [r for r in range(model.rowCount()) if model.data(model.index(r, 0)) == VILLAGE]
    cell = model.index(row, GAPS)
    assert model.data(cell) == "2"
    tip = model.data(cell, Qt.ItemDataRole.ToolTipRole)
    assert "Paket data yang belum diterima: #2" in tip
    assert "Paket data #3 diterima pada" in tip and "ditolak" in tip
    assert "paket data lengkap" in tip  # the reason, in Indonesian
