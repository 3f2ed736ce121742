"""The README's command-line walk-through, run as a new user pastes it.

The bash block under "Running it" is run in a fresh folder by bash itself with ``set -e``, so
every line must succeed; then the files it promises are checked, and the ``restore`` line the
README shows beside the block is run on the backup the block made. The only change made to
the text is where ``.venv`` is (the test's own virtual environment).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

README = Path(__file__).parents[1] / "README.md"


def _section(heading: str) -> str:
    """The README's text from ``heading`` to the next heading of the same level."""
    text = README.read_text(encoding="utf-8")
    start = text.index(heading + "\n")
    end = text.find("\n## ", start + len(heading))
    return text[start:end if end > 0 else len(text)]


def _block(heading: str) -> str:
    blocks = re.findall(r"```bash\n(.*?)```", _section(heading), flags=re.S)
    assert len(blocks) == 1, f"{heading} has one bash block"
    return "\n".join(line.strip() for line in blocks[0].splitlines())


def _walk_through() -> str:
    return _block("## Running it")


def _restore_line() -> str:
    (line,) = re.findall(r"`(kt-desktop restore [^`]+)`", _section("## Running it"))
    return line


def _bash(script: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KT_DESKTOP_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        ["bash", "-c", "set -euo pipefail\n" + script], cwd=cwd, env=env,
        capture_output=True, text=True, timeout=600,
    )


def test_the_readme_walk_through_runs_line_by_line(tmp_path: Path) -> None:
    block = _walk_through()
    venv = Path(sys.executable).parent
    assert "source .venv/bin/activate" in block
    if (venv / "activate").exists():
        script = block.replace("source .venv/bin/activate", f"source {venv}/activate")
    else:  # a test run outside a virtual environment: the same PATH, made by hand
        script = block.replace("source .venv/bin/activate", f'export PATH="{venv}:$PATH"')
    # bash prints each command before running it, so a failure names its line
    done = _bash("set -x\n" + script, tmp_path, tmp_path / "home")
    assert done.returncode == 0, done.stderr[-3000:]
    work = tmp_path / "coba"
    for made in ("desa.sqlite", "banten.sqlite", "anggota.xlsx", "bulanan.pdf",
                 "buku-induk.pdf", "rekap.pdf", "banten.xlsx", "banten.ktkey"):
        assert (work / made).stat().st_size > 0, made
    monthly = "".join(page.extract_text() for page in PdfReader(work / "bulanan.pdf").pages)
    assert "Ahmad Fauzi" in monthly and "Siti Rahma" in monthly
    assert list((work / "flashdisk").glob("*.ktb"))
    assert "UJI MANDIRI LULUS" in done.stdout
    assert "Kesalahan tak terduga" not in done.stdout + done.stderr

    backups = re.findall(r"(/\S+\.sqlite)\b", done.stdout)
    backup = next(path for path in backups if "/backups/" in path)
    restore = _restore_line().replace("BACKUP", backup)
    restored = _bash(restore.replace("kt-desktop", f"{venv}/kt-desktop", 1), work,
                     tmp_path / "home")
    assert restored.returncode == 0, restored.stderr
    assert (work / "desa.sqlite").exists()


def test_the_readme_opensid_lines_run_on_an_opensid_template(tmp_path: Path) -> None:
    """The OpenSID lines, on a template made as OpenSID makes it (its file name is the one
    OpenSID gives); between the second and third line the test fills in the consent, as the
    README says the secretary does."""
    import datetime as dt

    import openpyxl

    from tests.test_member_import_opensid import opensid_workbook

    def years_ago(years: int) -> dt.date:
        today = dt.date.today()
        return today.replace(year=today.year - years, day=min(today.day, 28))

    opensid_workbook(tmp_path / "FormatImporExcel.xlsx", "template", [
        ("Ujang Sopandi", 1, years_ago(30), 1, 5, 9, "Kampung Cilaku", "3", "2"),
        ("Abah Karta", 1, years_ago(66), 1, 3, 9, "Kampung Cilaku", "3", "2"),
        ("Nining Remaja", 2, years_ago(16), 3, 4, 3, "Kampung Babakan", "1", "4"),
    ])
    venv = Path(sys.executable).parent
    lines = [line for line in _block("## Anggota dari data penduduk desa (OpenSID, Dukcapil)")
             .splitlines() if line.strip()]
    assert len(lines) == 3
    home = tmp_path / "home"
    made = _bash(f"{venv}/kt-desktop init --village 36.04.22.2001 --name KT --data desa.sqlite",
                 tmp_path, home)
    assert made.returncode == 0, made.stderr
    for line in lines[:2]:
        done = _bash(line.replace("kt-desktop", f"{venv}/kt-desktop", 1), tmp_path, home)
        assert done.returncode == 0, (line, done.stderr)
    book = openpyxl.load_workbook(tmp_path / "persetujuan.xlsx")
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    sheet.cell(2, header.index("Nama Orang Tua/Wali") + 1).value = "Onah"
    sheet.cell(2, header.index("Hubungan Wali") + 1).value = "Ibu"
    sheet.cell(2, header.index("Tanggal Persetujuan") + 1).value = dt.date.today()
    book.save(tmp_path / "persetujuan.xlsx")
    done = _bash(lines[2].replace("kt-desktop", f"{venv}/kt-desktop", 1), tmp_path, home)
    assert done.returncode == 0, done.stderr
    assert "anggota baru: 1" in done.stdout
