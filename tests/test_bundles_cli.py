"""``kt-desktop bundle …`` and ``kt-desktop keys …``: the contract of docs/DESIGN.md, "Command line" (exit 0 on
success, 1 with one line on stderr when refused, ``--json`` for scripts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kt_desktop.cli import run
from kt_desktop.services.session import open_session
from tests.test_bundles_kit import add_members


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def keyed(
    village_file: Path, receiver_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Path:
    """The receiver's key exported and installed in the village through the CLI."""
    key = tmp_path / "kunci.ktkey"
    code, out, _err = _run(
        capsys,
        "keys",
        "export",
        "--data",
        str(receiver_file),
        "--out",
        str(key),
        "--email",
        "kt.banten@example.id",
    )
    assert code == 0 and "Sidik jari:" in out
    fingerprint = out.split("Sidik jari:")[1].strip()
    code, out, _err = _run(capsys, "keys", "import", str(key), "--data", str(village_file))
    assert code == 0 and fingerprint in out
    return key


def test_export_then_import_through_the_command_line(
    village_file: Path,
    receiver_file: Path,
    tmp_path: Path,
    keyed: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    session = open_session(village_file)
    add_members(session, 4)
    session.close()
    stick = tmp_path / "stick"
    stick.mkdir()
    code, out, err = _run(
        capsys, "bundle", "export", "--data", str(village_file), "--out", str(stick)
    )
    assert code == 0 and err == ""
    path = Path(out.strip())
    assert path.parent == stick and path.exists()

    code, out, err = _run(
        capsys,
        "bundle",
        "import",
        str(path),
        "--data",
        str(receiver_file),
        "--dry-run",
        "--trust-new",
        "--json",
    )
    summary = json.loads(out)
    assert code == 0 and summary["dry_run"] and summary["bundles"][0]["status"] == "dry_run"
    assert summary["bundles"][0]["tables"]["members"]["created"] == 4

    code, out, err = _run(capsys, "bundle", "import", str(path), "--data", str(receiver_file))
    assert code == 1 and "paket data pertama" in err and "sidik jari" in err  # untrusted
    assert len(err.strip().splitlines()) == 1

    code, out, err = _run(
        capsys, "bundle", "import", str(stick), "--data", str(receiver_file), "--trust-new"
    )
    assert code == 0 and "5 baru" in out  # four members and the profile
    code, out, err = _run(capsys, "bundle", "import", str(path), "--data", str(receiver_file))
    assert code == 0 and "Sudah diimpor" in out


def test_clear_export_warns_on_stderr_and_refusals_exit_1(
    village_file: Path, receiver_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(
        capsys, "bundle", "export", "--data", str(village_file), "--out", str(tmp_path), "--full"
    )
    assert code == 0 and "TIDAK terenkripsi" in err and "NIK" in err
    broken = tmp_path / "rusak.ktb"
    broken.write_bytes(Path(out.strip()).read_bytes()[:-10])
    code, out, err = _run(capsys, "bundle", "import", str(broken), "--data", str(receiver_file))
    assert code == 1 and out == "" and "terpotong" in err

    code, out, err = _run(capsys, "bundle", "import", str(broken), "--data", str(village_file))
    assert code == 1 and "berkas desa" in err  # a village file imports nothing

    code, out, err = _run(capsys, "bundle", "send", "--data", str(village_file))
    assert code == 1 and "SMTP" in err


def test_status_and_usage(village_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(capsys, "bundle", "status", "--data", str(village_file), "--json")
    status = json.loads(out)
    assert code == 0 and status["last_export"] is None and status["pending"]["Profile"] == 1
    assert _run(capsys, "bundle", "--data", str(village_file))[0] == 2
    with pytest.raises(SystemExit) as info:
        run(["bundle", "import", "--data", str(village_file)])  # no FILE
    assert info.value.code == 2
