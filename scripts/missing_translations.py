"""Print the ``_()`` strings of kt_desktop that have no Indonesian translation yet, as .po
entries to paste into the right ``resources/locale/id/<area>.po``.

    .venv/bin/python scripts/missing_translations.py [path-filter]
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.extract import extract_from_dir

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kt_desktop import i18n  # noqa: E402

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def main() -> None:
    only = sys.argv[1] if len(sys.argv) > 1 else ""
    catalog = i18n.read_po_catalogs("id")
    seen: set[str] = set()
    for filename, lineno, message, _c, _ctx in extract_from_dir(
        str(ROOT / "kt_desktop"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        if only not in filename:
            continue
        if isinstance(message, tuple):
            msgid, plural = message[0], message[1]
        else:
            msgid, plural = message, None
        if not msgid or msgid in catalog or msgid in seen:
            continue
        seen.add(msgid)
        esc = msgid.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        print(f"#: kt_desktop/{filename}:{lineno}")
        print(f'msgid "{esc}"')
        if plural:
            pesc = plural.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            print(f'msgid_plural "{pesc}"')
            print('msgstr[0] ""\n')
        else:
            print('msgstr ""\n')


if __name__ == "__main__":
    main()
