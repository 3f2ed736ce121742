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


def _walk_through() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Running it"):text.index("## Packaging")]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1, "the Running it section has one bash block"
    return "\n".join(line.strip() for line in blocks[0].splitlines())


def _restore_line() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Running it"):text.index("## Packaging")]
    (line,) = re.findall(r"`(kt-desktop restore [^`]+)`", section)
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
