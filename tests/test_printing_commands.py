"""The print commands as the program calls them, with stand-ins on PATH: what ``lp`` and
``lpr`` are given, and that a print system which does not answer never hangs the program."""

from __future__ import annotations

import shutil
import stat
import time
from pathlib import Path

import pytest

from kt_desktop.domain import paper as papers
from kt_desktop.domain.errors import KtError
from kt_desktop.services import printing

RECORDER = """#!/bin/sh
printf '%s\\n' "$0" "$@" > "{log}"
echo "request id is {queue}-7 (1 file(s))"
"""


def _bin(tmp_path: Path, programs: dict[str, str]) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    for name, script in programs.items():
        path = folder / name
        path.write_text(script, encoding="utf-8")
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return folder


def test_lpr_is_used_where_there_is_no_lp(tmp_path, monkeypatch):
    log = tmp_path / "args.txt"
    folder = _bin(tmp_path, {"lpr": RECORDER.format(log=log, queue="kantor")})
    monkeypatch.setenv("PATH", str(folder))
    pdf = tmp_path / "laporan.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + b"x" * 1000 + b"\n%%EOF\n")
    assert printing.available()
    job = printing.submit(pdf, printer="kantor", paper=papers.F4, laid_out_for=papers.A4,
                          copies=2, pages="1-3", title="Laporan")
    args = log.read_text().splitlines()
    assert Path(args[0]).name == "lpr"
    assert args[1:] == ["-P", "kantor", "-#", "2", "-T", "Laporan", "-o",
                        "media=Custom.215x330mm", "-o", "fit-to-page", "-o",
                        "page-ranges=1-3", str(pdf.resolve())]
    assert job.job_id == "kantor-7" and job.bytes_sent == pdf.stat().st_size and job.fitted


def test_a_print_system_that_does_not_answer_is_given_up_in_indonesian(tmp_path, monkeypatch):
    hang = f"#!/bin/sh\n{shutil.which('sleep')} 30\n"  # a child that keeps the output open
    folder = _bin(tmp_path, {"lp": hang, "lpstat": hang, "lpoptions": hang})
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setattr(printing, "QUERY_TIMEOUT", 0.5)
    monkeypatch.setattr(printing, "SUBMIT_TIMEOUT", 1.0)
    pdf = tmp_path / "laporan.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    started = time.monotonic()
    with pytest.raises(KtError) as refused:
        printing.submit(pdf, printer="kantor", paper=papers.A4)
    assert time.monotonic() - started < 10
    assert str(refused.value).startswith("Sistem cetak tidak menjawab dalam 1 detik (lp).")
    with pytest.raises(KtError):
        printing.printers()


def test_no_print_system_is_said_in_indonesian(tmp_path, monkeypatch, village_file):
    monkeypatch.setenv("PATH", str(_bin(tmp_path, {})))
    assert not printing.available() and printing.printers() == []
    with pytest.raises(KtError) as refused:
        printing.submit(tmp_path / "x.pdf")
    assert "tidak punya sistem cetak" in str(refused.value)
    # the command line refuses --print before anything is written
    from kt_desktop.cli import run

    out = tmp_path / "bulanan.pdf"
    code = run(["report", "monthly", "--month", "2025-10", "--out", str(out), "--print",
                 "--data", str(village_file)])
    assert code == 1 and not out.exists()


def test_bad_copies_and_pages_are_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(_bin(tmp_path, {"lp": RECORDER.format(
        log=tmp_path / "a", queue="q")})))
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    with pytest.raises(KtError, match="salinan"):
        printing.submit(pdf, printer="q", copies=0)
    with pytest.raises(KtError, match="1-3,5"):
        printing.submit(pdf, printer="q", pages="1-3; rm")
    assert not (tmp_path / "a").exists()
