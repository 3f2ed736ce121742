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
    catalog = i18n.read_po_catalogs("id")
    missing = [f"{where}: {msgid!r}" for msgid, where in _extracted().items() if msgid not in catalog]
    assert not missing, "untranslated strings:\n" + "\n".join(sorted(missing))


def test_placeholders_survive_translation() -> None:
    import re

    catalog = i18n.read_po_catalogs("id")
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


def test_the_compiled_catalog_is_current() -> None:
    """Start-up reads compiled.json; it must say exactly what the .po files say."""
    import sys

    sys.path.insert(0, str(PACKAGE.parent / "scripts"))
    import compile_catalogs

    committed = (PACKAGE.parent / "resources" / "locale" / "id" / i18n.COMPILED).read_text("utf-8")
    assert committed == compile_catalogs.render("id"), (
        "resources/locale/id/compiled.json is stale: run scripts/compile_catalogs.py"
    )


def test_a_stale_compiled_catalog_is_not_used(tmp_path: Path, monkeypatch) -> None:
    """Edit a .po without compiling: the program parses the .po files and shows the edit."""
    import shutil

    from kt_desktop import paths

    locale = tmp_path / "locale" / "id"
    shutil.copytree(PACKAGE.parent / "resources" / "locale" / "id", locale)
    for po in locale.glob("*.po"):
        po.write_text(po.read_text("utf-8").replace('msgid "Members"\nmsgstr "Anggota"',
                                                    'msgid "Members"\nmsgstr "Warga"'), "utf-8")
    monkeypatch.setattr(paths, "resource", lambda *parts: tmp_path.joinpath(*parts))
    monkeypatch.setattr(i18n, "_parsed", {})
    try:
        i18n.set_language("id")
        assert i18n._("Members") == "Warga"
        assert i18n._("Settings") == "Pengaturan"
    finally:
        monkeypatch.undo()
        i18n._parsed.clear()
        i18n.set_language("id")
    assert i18n._("Members") == "Anggota"


def test_every_translation_keeps_the_placeholders_of_its_source() -> None:
    """A word replaced across the catalog ("bundle" -> "paket data", issue 16) must not touch
    a ``{bundle}`` placeholder: ``.format`` would fail with a KeyError at run time."""
    import re

    from kt_desktop import i18n

    placeholder = re.compile(r"\{[^{}]*\}")
    wrong = [
        msgid for msgid, text in i18n.read_po_catalogs("id").items()
        if isinstance(text, str) and text
        and set(placeholder.findall(msgid)) != set(placeholder.findall(text))
    ]
    assert not wrong, wrong[:5]
