"""Every user-facing string has its Indonesian translation; the catalogs load and apply."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from kt_desktop import i18n

PACKAGE = Path(__file__).resolve().parent.parent / "kt_desktop"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def _extracted() -> dict[str, str]:
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, f"kt_desktop/{filename}:{lineno}")
    return found


def test_every_string_has_an_indonesian_translation() -> None:
    i18n.set_language("id")
    catalog = i18n._read_catalogs("id")
    missing = [f"{where}: {msgid!r}" for msgid, where in _extracted().items() if msgid not in catalog]
    assert not missing, "untranslated strings:\n" + "\n".join(sorted(missing))


def test_placeholders_survive_translation() -> None:
    import re

    catalog = i18n._read_catalogs("id")
    field = re.compile(r"\{[a-z_]*\}")
    wrong = []
    for msgid, msgstr in catalog.items():
        if isinstance(msgstr, str) and sorted(field.findall(msgid)) != sorted(field.findall(msgstr)):
            wrong.append(f"{msgid!r} -> {msgstr!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_language_switch_changes_text() -> None:
    i18n.set_language("id")
    assert i18n._("Members") == "Anggota"
    i18n.set_language("en")
    assert i18n._("Members") == "Members"
    i18n.set_language("id")
