"""``kt-desktop init``, ``check`` and ``demo`` as a script or a receiver officer runs them."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from tests.conftest import run_cli as _run


def test_init_village_then_check_passes(tmp_path: Path, capsys) -> None:
    data = str(tmp_path / "desa.sqlite")
    code, out, err = _run(
        capsys, "init", "--village", "36.04.22.2001", "--name", "Karang Taruna Tunas Harapan",
        "--ketua", "Ahmad Fauzi", "--sekretaris", "Siti Nurhaliza", "--data", data,
    )
    assert code == 0, err
    assert "Karang Taruna Tunas Harapan" in out and "Kecamatan Baros" in out
    code, out, err = _run(capsys, "check", "--data", data, "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["ok"] is True
    assert summary["kind"] == "village" and summary["code"] == "36.04.22.2001"
    assert summary["schema_version"] == summary["latest_version"]


def test_init_accepts_an_undotted_code_and_receiver_codes(tmp_path: Path, capsys) -> None:
    code, out, _ = _run(capsys, "--data", str(tmp_path / "a.sqlite"), "init",
                        "--village", "3604222001", "--name", "KT A", "--json")
    assert code == 0 and json.loads(out)["code"] == "36.04.22.2001"
    for area in ("36", "36.04"):
        code, out, err = _run(capsys, "init", "--receiver", area, "--name", "Penerima",
                              "--data", str(tmp_path / f"r{area}.sqlite"), "--json")
        assert code == 0, err
        assert json.loads(out)["kind"] == "receiver"


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["init", "--village", "99.99.99.9999", "--name", "X"], "99.99.99.9999"),
        (["init", "--village", "36.04.22", "--name", "X"], "36.04.22"),
        (["init", "--receiver", "36.04.22", "--name", "X"], "36.04.22"),
        (["init", "--receiver", "36.04.22.2001", "--name", "X"], "36.04.22.2001"),
        (["init", "--village", "36.04.22.2001", "--name", "  "], "Nama"),
    ],
)
def test_bad_codes_exit_1_with_one_line_and_make_no_file(
    tmp_path: Path, capsys, argv: list[str], needle: str
) -> None:
    data = tmp_path / "x.sqlite"
    code, out, err = _run(capsys, *argv, "--data", str(data))
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and needle in err
    assert not data.exists()


def test_usage_errors_exit_2(tmp_path: Path, capsys) -> None:
    assert _run(capsys, "init", "--name", "X")[0] == 2
    assert _run(capsys, "no-such-command")[0] == 2
    assert _run(capsys)[0] == 2


def test_help_is_all_indonesian(capsys) -> None:
    """Every line of `--help`, argparse's own included, is in the default language."""
    code, out, _ = _run(capsys, "--help")
    assert code == 0
    assert "cara pakai: kt-desktop" in out
    assert "tampilkan versi program lalu keluar" in out
    for english in ("usage:", "show ", "options:", "positional arguments"):
        assert english not in out


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_file_that_is_not_sqlite_is_refused_and_untouched(tmp_path: Path, capsys) -> None:
    notes = tmp_path / "catatan.sqlite"
    notes.write_text("ini catatan rapat, bukan data")
    before = _digest(notes)
    for argv in (["check"], ["demo"], ["init", "--village", "36.04.22.2001", "--name", "X"]):
        code, _, err = _run(capsys, *argv, "--data", str(notes))
        assert code == 1 and "bukan berkas data KT Desktop" in err
    assert _digest(notes) == before


def test_read_only_file_is_refused_even_for_root(
    village_file: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root ignores file modes, so the check is exercised through os.access."""
    real_access = os.access

    def access(path, mode, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path) == village_file and mode == os.W_OK:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    before = _digest(village_file)
    code, _, err = _run(capsys, "demo", "--data", str(village_file))
    assert code == 1 and "hanya-baca" in err
    assert _digest(village_file) == before


def test_init_refuses_a_file_already_set_up(village_file: Path, capsys) -> None:
    code, _, err = _run(capsys, "init", "--receiver", "36", "--name", "X",
                        "--data", str(village_file))
    assert code == 1 and "sudah disiapkan" in err


def test_check_reports_a_newer_schema(village_file: Path, capsys) -> None:
    import sqlite3

    conn = sqlite3.connect(village_file)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    code, out, _ = _run(capsys, "check", "--data", str(village_file), "--json")
    assert code == 1
    assert json.loads(out)["problems"]
