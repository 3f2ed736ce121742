"""Write ``resources/locale/<lang>/compiled.json``: every ``.po`` catalog merged, stamped.

Run it after editing a ``.po`` file (tests/test_i18n.py fails until you do). The program
reads the compiled catalog at start-up instead of parsing the ``.po`` files, and falls back
to parsing them when the stamp does not match, so a stale file is never wrong, only slower.

    .venv/bin/python scripts/compile_catalogs.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kt_desktop import i18n, paths  # noqa: E402


def render(language: str) -> str:
    """The text of ``compiled.json`` for ``language`` (sorted, so diffs stay readable)."""
    return json.dumps(i18n.compiled_catalog(language), ensure_ascii=False, indent=0,
                      sort_keys=True) + "\n"


def main() -> int:
    for language in sorted(set(i18n.LANGUAGES) - {"en"}):
        target = paths.resource("locale", language) / i18n.COMPILED
        target.write_text(render(language), encoding="utf-8")
        print(f"{target.relative_to(ROOT)}: {len(i18n.read_po_catalogs(language))} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
