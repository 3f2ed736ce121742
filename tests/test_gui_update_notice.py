"""Opening a large data file made by an older version: its schema update says so while it
runs (migration 26 took 89 s on Jawa Tengah's 15.5 GB receiver, with its copy)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QProgressDialog, QPushButton

from kt_desktop.gui import app
from kt_desktop.services import session as sessions
from kt_desktop.services.session import open_session, update_pending
from kt_desktop.store import connection, migrations, schema_receiver, schema_reference
from tests.test_bundles_kit import as_receiver_of_version

pytestmark = pytest.mark.usefixtures("qapp")


@pytest.fixture
def old_receiver(receiver_file: Path) -> Path:
    """The receiver file (conftest) as the program before migration 26 left it."""
    as_receiver_of_version(receiver_file, 25)
    return receiver_file


def _indexes(path: Path) -> set[str]:
    db = connection.connect(path)
    try:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    finally:
        db.close()


def test_a_large_file_to_update_shows_a_notice_until_it_is_updated(
    old_receiver: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = old_receiver
    assert update_pending(path)
    monkeypatch.setattr(sessions, "UPDATE_NOTICE_BYTES", 0)  # as if it were gigabytes
    seen: list[tuple[str, str, bool]] = []
    fits: list[bool] = []

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QProgressDialog) and widget.isVisible():
                seen.append((widget.windowTitle(), widget.labelText(),
                             widget.findChild(QPushButton) is None))
                label = widget.findChild(QLabel)  # its wrapped lines all shown, none cut
                fits.append(label.height() >= label.heightForWidth(label.width()) > 0)

    QTimer.singleShot(0, look)
    session = app._open_updating(path)
    try:
        assert session.is_receiver and session.code == "36"
        # one notice, in Indonesian, naming the file; no Cancel (the update cannot stop)
        assert [(title, "provinsi.sqlite" in text and "mohon tunggu" in text, no_button)
                for title, text, no_button in seen] == [("Memperbarui berkas data", True, True)]
        assert fits == [True]
        assert not update_pending(path)
        assert migrations.schema_version(session.db()) == migrations.latest_version()
        # every index and table as the program makes a receiver's now (migration 27 too)
        assert not schema_reference.differences(session.db(), migrations.latest_version())
        assert {name for _t, name, _c, _w in schema_receiver.VILLAGE_JOIN_INDEXES} - (
            _indexes(path)) == {"idx_receiver_members_village_id"}  # the key serves it
        assert not [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, QProgressDialog) and w.isVisible()]
    finally:
        session.close()


def test_a_small_file_or_a_current_one_opens_without_a_notice(
    receiver_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = receiver_file
    shown: list[str] = []
    monkeypatch.setattr(QProgressDialog, "show", lambda self: shown.append(self.labelText()))
    monkeypatch.setattr(sessions, "UPDATE_NOTICE_BYTES", 0)
    app._open_updating(path).close()  # current: nothing to update
    as_receiver_of_version(path, 25)
    monkeypatch.setattr(sessions, "UPDATE_NOTICE_BYTES", 10**12)
    app._open_updating(path).close()  # small: updated at once
    assert shown == [] and not update_pending(path)


def test_an_update_that_fails_is_reported_as_without_the_notice(
    old_receiver: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The update's error reaches start-up's own handling (a refusal, not a traceback)."""
    from kt_desktop.domain.errors import DataFileError

    path = old_receiver
    monkeypatch.setattr(sessions, "UPDATE_NOTICE_BYTES", 0)

    def refused(_path: object, **_kw: object) -> None:
        raise DataFileError("Berkas data rusak.", code="damaged")

    monkeypatch.setattr(app, "open_session", refused)
    with pytest.raises(DataFileError, match="rusak"):
        app._open_updating(path)
    assert open_session(path).close() is None  # the file itself was left as it was


def test_the_command_line_says_so_too_and_its_output_stays_clean(
    old_receiver: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``kt-desktop`` on a large file to update prints the notice on stderr first; the
    command's own output (here JSON) is untouched, and a current file says nothing."""
    import json

    from tests.conftest import run_cli

    path = old_receiver
    monkeypatch.setattr(sessions, "UPDATE_NOTICE_BYTES", 0)
    code, out, err = run_cli(capsys, "receiver", "summary", "--data", str(path), "--json")
    assert code == 0 and json.loads(out)
    assert "provinsi.sqlite sedang diperbarui" in err and "mohon tunggu" in err
    code, out, err = run_cli(capsys, "receiver", "summary", "--data", str(path), "--json")
    assert code == 0 and "diperbarui" not in err
    assert not update_pending(path)
