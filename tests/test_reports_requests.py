"""Requests that cannot make an honest report are refused, and never leave half a file; the
command line gives the same reports with the exit codes of docs/DESIGN.md, "Command line"."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from kt_desktop.cli import run
from kt_desktop.domain import clock
from kt_desktop.domain.errors import KtError, ValidationError
from kt_desktop.reports import base
from kt_desktop.services import reports
from kt_desktop.services.profile import load_profile, save_profile
from kt_desktop.services.session import open_session
from tests.test_reports_helpers import MONTH, PRINTED, YEAR, fill_village, pdf_text


def _leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """An empty folder for the reports (tmp_path also holds the data file)."""
    folder = tmp_path / "laporan"
    folder.mkdir()
    return folder


def test_a_month_in_the_future_is_refused(village_session, out_dir: Path):
    today = dt.date(2026, 11, 30)
    with pytest.raises(ValidationError) as refused:
        reports.build_monthly(village_session, 2026, 12, out_dir / "des.pdf", today=today)
    assert refused.value.code == "future_month"
    assert "2026-12" in refused.value.message
    assert _leftovers(out_dir) == []


def test_a_profile_without_ketua_is_refused(village_session, out_dir: Path):
    profile = load_profile(village_session)
    profile.ketua = ""
    save_profile(village_session, profile)
    for build in (
        lambda out: reports.build_monthly(village_session, YEAR, MONTH, out, today=PRINTED),
        lambda out: reports.build_member_register(village_session, out),
        lambda out: reports.build_annual(village_session, YEAR, out, today=PRINTED),
    ):
        with pytest.raises(ValidationError) as refused:
            build(out_dir / "r.pdf")
        assert refused.value.code == "no_ketua"
        assert "Pengaturan" in refused.value.message
    assert _leftovers(out_dir) == []


def test_an_unwritable_folder_is_refused_before_any_work(village_session, out_dir: Path,
                                                         monkeypatch):
    missing = out_dir / "tidak-ada" / "laporan.pdf"
    with pytest.raises(KtError) as refused:
        reports.build_monthly(village_session, YEAR, MONTH, missing, today=PRINTED)
    assert refused.value.code == "unwritable" and "tidak-ada" in refused.value.message

    with pytest.raises(KtError) as refused:
        reports.build_member_register(village_session, out_dir)  # a folder, not a file
    assert refused.value.code == "unwritable"

    locked = out_dir / "terkunci"
    locked.mkdir()
    locked.chmod(0o555)
    if os.access(locked, os.W_OK):  # root ignores permissions: make the check see it read-only
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if Path(path) == locked
                            else real_access(path, mode, **kw))
    with pytest.raises(KtError) as refused:
        reports.build_monthly(village_session, YEAR, MONTH, locked / "b.pdf", today=PRINTED)
    assert refused.value.code == "unwritable"
    assert "terkunci" in refused.value.message
    assert _leftovers(locked) == []
    locked.chmod(0o755)


def test_a_failed_build_leaves_the_old_file_and_no_temporary(village_session, out_dir: Path,
                                                            monkeypatch):
    fill_village(village_session)
    target = out_dir / "bulanan.pdf"
    target.write_bytes(b"%PDF-1.4 the copy the Ketua already signed")

    def broken(self: base.Report) -> bytes:
        raise RuntimeError("layout failed half-way")

    monkeypatch.setattr(base.Report, "render", broken)
    with pytest.raises(RuntimeError):
        reports.build_monthly(village_session, YEAR, MONTH, target, today=PRINTED)
    assert target.read_bytes() == b"%PDF-1.4 the copy the Ketua already signed"
    assert _leftovers(out_dir) == ["bulanan.pdf"]


def test_a_disk_error_while_writing_removes_the_temporary(out_dir: Path, monkeypatch):
    def fail_fsync(_fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", fail_fsync)
    with pytest.raises(KtError):
        base.write_whole(out_dir / "x.pdf", b"%PDF")
    assert _leftovers(out_dir) == []


def test_a_receiver_file_makes_no_village_report(receiver_file: Path, out_dir: Path):
    session = open_session(receiver_file)
    try:
        with pytest.raises(KtError) as refused:
            reports.build_monthly(session, YEAR, MONTH, out_dir / "r.pdf", today=PRINTED)
        assert refused.value.code == "not_village"
    finally:
        session.close()


# -- the command line ---------------------------------------------------------------------


def test_cli_monthly_writes_the_report(village_file: Path, out_dir: Path, capsys):
    out = out_dir / "bulanan.pdf"
    code = run(["report", "monthly", "--data", str(village_file), "--month", "2025-10",
                "--out", str(out), "--kendala", "Hujan.", "--json"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary == {"report": "monthly", "path": str(out), "paper": "a4"}
    text = pdf_text(out)
    assert "Bulan Oktober 2025" in text and "Hujan." in text


def test_cli_an_english_copy_only_with_paper_language_en(village_file: Path, out_dir: Path,
                                                        capsys):
    """Issue 16: official papers are Indonesian; English only on explicit request."""
    out = out_dir / "en.pdf"
    code = run(["report", "monthly", "--data", str(village_file), "--month", "2025-10",
                "--out", str(out), "--paper-language", "en"])
    assert code == 0
    assert "Month of October 2025" in pdf_text(out)


def test_cli_refusals_exit_1_with_one_line(village_file: Path, out_dir: Path, capsys):
    future = clock.today().replace(day=1) + dt.timedelta(days=40)
    code = run(["report", "monthly", "--data", str(village_file), "--month",
                future.strftime("%Y-%m"), "--out", str(out_dir / "x.pdf")])
    err = capsys.readouterr().err.strip()
    assert code == 1 and len(err.splitlines()) == 1 and "belum dimulai" in err
    code = run(["report", "members", "--data", str(village_file), "--out",
                str(out_dir / "m.pdf"), "--reveal-nik"])
    assert code == 1 and "alasan" in capsys.readouterr().err
    code = run(["report", "attendance", "--data", str(village_file), "--training", "abc",
                "--out", str(out_dir / "h.pdf")])
    assert code == 1 and "--session" in capsys.readouterr().err
    assert _leftovers(out_dir) == []


def test_cli_usage_errors_exit_2(village_file: Path, out_dir: Path, capsys):
    with pytest.raises(SystemExit) as exited:
        run(["report", "monthly", "--data", str(village_file), "--month", "November",
             "--out", str(out_dir / "x.pdf")])
    assert exited.value.code == 2
    assert "TTTT-BB" in capsys.readouterr().err


def test_cli_every_report_kind(village_file: Path, out_dir: Path, capsys):
    session = open_session(village_file)
    try:
        village = fill_village(session)
    finally:
        session.close()
    data = ["--data", str(village_file)]
    activity = village.activities["Kerja bakti saluran air"]
    for args in (
        ["members", "--include-left"],
        ["members", "--reveal-nik", "--reason", "Pendataan ulang oleh Dinas Sosial"],
        ["attendance", "--activity", activity, "--spare", "3"],
        ["attendance", "--training", village.training_id, "--session", "1"],
        ["certificates", "--training", village.training_id],
        ["annual", "--year", "2025"],
        ["recap", "--from", "2025-01-01", "--to", "2025-12-31"],
    ):
        out = out_dir / f"{args[0]}-{len(args)}.pdf"
        assert run(["report", *args, *data, "--out", str(out)]) == 0, args
        assert out.read_bytes().startswith(b"%PDF")
        assert f"Laporan ditulis: {out}" in capsys.readouterr().out
