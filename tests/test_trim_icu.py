"""The trimmed ICU data library of the frozen Linux build (scripts/trim_icu.py).

The trimmed library must still give Qt what it asks ICU for (Indonesian collation, numeric
sort, time-zone names, the Windows-1252 code page) and must be much smaller; a data set
missing what a kept item needs must fail the build, not the program.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import trim_icu  # noqa: E402

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="Windows' Qt uses the system's ICU"
)


def _qt_icu_library() -> Path:
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    assert found, "PySide6 carries no ICU data library"
    return found[0]


@pytest.mark.parametrize(
    ("item", "kept"),
    [
        ("coll/id.res", True),
        ("coll/root.res", True),
        ("coll/ucadata.icu", True),
        ("id_ID.res", True),
        ("in.res", True),
        ("en_US_POSIX.res", True),
        ("zone/en_GB.res", True),
        ("res_index.res", True),
        ("curr/pool.res", True),
        ("zoneinfo64.res", True),
        ("metaZones.res", True),
        ("cnvalias.icu", True),
        ("ibm-5348_P100-1997.cnv", True),  # windows-1252
        ("de.res", False),
        ("coll/de_.res", False),
        ("zh_Hant_TW.res", False),
        ("lang/es_419.res", False),
        ("ibm-943_P15A-2003.cnv", False),
        ("brkitr/root.res", False),
        ("translit/Latin_ASCII.res", False),
    ],
)
def test_which_items_stay(item: str, kept: bool) -> None:
    assert trim_icu.wanted(item) is kept


def test_trimmed_library_is_small_and_qt_still_sorts_in_indonesian(tmp_path: Path) -> None:
    source = _qt_icu_library()
    target = tmp_path / source.name
    before, after = trim_icu.trim(source, target)
    assert before > 25_000_000
    assert after < 6_000_000
    code = (
        "from PySide6.QtCore import QCoreApplication, QStringDecoder\n"
        "app = QCoreApplication([])\n"
        "from kt_desktop.gui.icu_check import check_icu\n"
        "print(check_icu())\n"
        "print(QStringDecoder('windows-1252').isValid(), QStringDecoder('Shift_JIS').isValid())\n"
    )
    # LD_LIBRARY_PATH is searched before ICU's own RUNPATH, so Qt loads the trimmed copy.
    env = dict(os.environ, LD_LIBRARY_PATH=str(tmp_path), LD_DEBUG="libs")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"calling init: {target}" in done.stderr  # the trimmed library was the one loaded
    lines = done.stdout.splitlines()
    assert lines[0] == "apel, Budi, Édi, Zaki; Waktu Indonesia Barat"
    assert lines[1] == "True False"  # Windows-1252 stays; Japanese code pages are gone


def test_a_missing_tool_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # neither readelf nor icupkg can be found
    monkeypatch.setattr(trim_icu.shutil, "which", lambda *_args, **_kw: None)
    with pytest.raises(trim_icu.TrimError, match="install binutils"):
        trim_icu.trim(_qt_icu_library(), tmp_path / "out.so")
