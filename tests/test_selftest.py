"""``kt-desktop --self-test`` from the source tree (CI runs it on the frozen build too)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def test_self_test_passes_and_names_every_step(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KT_DESKTOP_HOME=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-m", "kt_desktop", "--self-test"],
        capture_output=True, text=True, env=env, timeout=240,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Uji mandiri KT Desktop")
    assert lines[-1] == "UJI MANDIRI LULUS"
    steps = [line for line in lines if line.startswith("ok ")]
    assert len(steps) == 8
    assert any("proses pembantu" in line and "data diperiksa" in line for line in steps)
    assert any("data ICU Qt" in line and "Waktu Indonesia Barat" in line for line in steps)
    assert any("menggambar jendela utama" in line and "1366x768" in line for line in steps)
    assert not any(line.startswith("GAGAL") for line in lines)
    assert not list(tmp_path.glob("**/*.sqlite"))  # it works in a temporary folder of its own


def test_self_test_names_the_step_that_failed(tmp_path: Path) -> None:
    """A missing resource (here: the region data) fails the run and says where."""
    fake_root = tmp_path / "frozen"
    (fake_root / "resources").mkdir(parents=True)
    shutil.copytree(Path(__file__).parents[1] / "resources" / "locale",
                    fake_root / "resources" / "locale")
    code = (
        "import sys; sys._MEIPASS = sys.argv[1]\n"
        "from kt_desktop.selftest import run\n"
        "raise SystemExit(run())\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KT_DESKTOP_HOME=str(tmp_path / "h"))
    done = subprocess.run(
        [sys.executable, "-c", code, str(fake_root)],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert done.returncode == 1
    assert "UJI MANDIRI GAGAL pada: sumber daya" in done.stdout
    assert "regions" in done.stdout
