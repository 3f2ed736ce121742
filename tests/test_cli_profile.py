"""``kt-desktop profile show|set``, ``demo`` on a file in use, and ``--help`` as a new user
reads them: the walk-through of the README must reach a printed report without the GUI."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import run_cli as _run


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def bare_village(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A village file made as the README makes it: no officers' names yet."""
    data = tmp_path / "desa.sqlite"
    code, _out, err = _run(capsys, "init", "--village", "36.04.22.2001",
                           "--name", "Karang Taruna Tunas Harapan", "--data", str(data))
    assert code == 0, err
    return data


def test_profile_set_adds_the_officers_so_the_monthly_report_prints(
    bare_village: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_pdf = tmp_path / "bulanan.pdf"
    code, _out, err = _run(capsys, "report", "monthly", "--month", "2026-11",
                           "--out", str(out_pdf), "--data", str(bare_village))
    assert code == 1 and "Ketua" in err  # refused: no chair to sign it
    code, out, err = _run(capsys, "profile", "set", "--ketua", "Ahmad Fauzi",
                          "--sekretaris", "Siti Rahma", "--kepala-desa", "H. Suryadi",
                          "--term-start", "2024-01-15", "--term-end", "2029-01-14",
                          "--data", str(bare_village))
    assert code == 0, err
    assert "Profil disimpan:" in out and "Ketua: Ahmad Fauzi" in out
    assert "Masa bakti sampai: 14 Januari 2029" in out
    code, _out, err = _run(capsys, "report", "monthly", "--month", "2026-11",
                           "--out", str(out_pdf), "--data", str(bare_village))
    assert code == 0, err
    text = "".join(page.extract_text() for page in PdfReader(out_pdf).pages)
    assert "Ahmad Fauzi" in text and "Siti Rahma" in text


def test_profile_set_changes_only_what_is_given_and_clears_an_empty_value(
    bare_village: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "profile", "set", "--ketua", "Ahmad Fauzi", "--sk-date", "2024-01-10",
         "--data", str(bare_village))
    code, _out, err = _run(capsys, "profile", "set", "--bendahara", "Dewi Lestari",
                           "--sk-date", "", "--data", str(bare_village))
    assert code == 0, err
    code, out, err = _run(capsys, "profile", "show", "--json", "--data", str(bare_village))
    assert code == 0, err
    shown = json.loads(out)
    assert shown["ketua"] == "Ahmad Fauzi" and shown["bendahara"] == "Dewi Lestari"
    assert shown["sk_date"] is None
    assert shown["name"] == "Karang Taruna Tunas Harapan"
    assert shown["village_code"] == "36.04.22.2001"


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--rt", "1a"], "RT hanya boleh berisi angka."),
        (["--postal-code", "4211"], "Kode pos"),
        (["--email", "kt desa"], "e-mail"),
        (["--term-start", "2029-01-01", "--term-end", "2024-01-01"], "masa bakti"),
        (["--name", " "], "wajib"),
    ],
)
def test_profile_set_refuses_what_pengaturan_refuses_and_changes_nothing(
    bare_village: Path, capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    before = _digest(bare_village)
    code, out, err = _run(capsys, "profile", "set", *argv, "--data", str(bare_village))
    assert code == 1 and out == ""
    assert said.lower() in err.lower() and len(err.strip().splitlines()) == 1
    assert _digest(bare_village) == before


def test_profile_set_refuses_a_date_that_is_not_one(
    bare_village: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = _run(capsys, "profile", "set", "--sk-date", "31-12-2024",
                           "--data", str(bare_village))
    assert code == 2 and "bukan tanggal" in err and "YYYY-MM-DD" in err


def test_demo_refuses_a_file_that_already_holds_data_unless_forced(
    bare_village: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = _run(capsys, "demo", "--members", "20", "--months", "1",
                           "--data", str(bare_village))
    assert code == 0, err
    before = _digest(bare_village)
    code, out, err = _run(capsys, "demo", "--data", str(bare_village))
    assert code == 1 and out == ""
    assert "sudah berisi 20 anggota" in err and "--force" in err
    assert _digest(bare_village) == before
    code, out, err = _run(capsys, "demo", "--members", "5", "--months", "1", "--force",
                          "--data", str(bare_village))
    assert code == 0, err
    code, out, _err = _run(capsys, "check", "--json", "--data", str(bare_village))
    assert json.loads(out)["counts"]["members"] == 25


def test_help_lists_the_self_test_and_the_profile_in_indonesian(
    capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = _run(capsys, "--help")
    assert code == 0
    assert "--self-test" in out and "periksa seluruh bagian program" in out
    assert "profile" in out and "ubah profil Karang Taruna" in out
    code, out, _err = _run(capsys, "profile", "set", "--help")
    assert code == 0 and "--kepala-desa" in out and "Kepala Desa/Lurah" in out
