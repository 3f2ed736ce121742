"""Indonesian for Qt's own dialogs: a QTranslator fed from ``resources/locale/<lang>/qt/*.po``.

Qt ships no ``qtbase_id`` catalog, so a non-native file dialog said "Look in", "File name",
"Save", "Cancel" and a message box "Show Details..." in an Indonesian program (issue 23).
The strings the program shows are translated in ``qt/qtbase.po`` with Qt's class as the
``msgctxt``; only those contexts are answered, so Qt's key names (``QShortcut``: "Ctrl",
"Shift"), which Qt also parses, are never translated.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QObject, QTranslator

from kt_desktop import paths


def read_qt_catalog(language: str) -> dict[tuple[str, str], str]:
    """{(Qt context, English source): translation} from the language's ``qt/*.po`` files."""
    folder = paths.resource("locale", language, "qt")
    if not folder.is_dir():
        return {}
    from babel.messages.pofile import read_po

    found: dict[tuple[str, str], str] = {}
    for po in sorted(folder.glob("*.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in catalog:
            if message.id and message.string and message.context and not message.fuzzy:
                found[(message.context, str(message.id))] = str(message.string)
    return found


def qt_contexts(language: str) -> frozenset[str]:
    """The Qt classes (``msgctxt``) the language's ``qt/*.po`` files translate for, read from
    their text without parsing them."""
    folder = paths.resource("locale", language, "qt")
    if not folder.is_dir():
        return frozenset()
    found: set[str] = set()
    for po in folder.glob("*.po"):
        found.update(re.findall(r'^msgctxt "([^"]*)"', po.read_text("utf-8"), re.MULTILINE))
    return frozenset(found)


def has_qt_catalog(language: str) -> bool:
    folder = paths.resource("locale", language, "qt")
    return folder.is_dir() and any(folder.glob("*.po"))


class CatalogTranslator(QTranslator):
    """Answers Qt's ``translate(context, source)`` from the language's ``qt/*.po`` files,
    read when Qt first asks for a class they translate (a file dialog, a message box):
    reading them with Babel cost 40 ms that start-up does not need to pay. What Qt asks
    while the first window is built (``QShortcut``'s key names, the layout direction) is
    answered from the list of classes alone."""

    def __init__(self, language: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._language = language
        self._contexts: frozenset[str] | None = None
        self._messages: dict[tuple[str, str], str] | None = None

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        if self._messages is None:
            if self._contexts is None:
                self._contexts = qt_contexts(self._language)
            if context not in self._contexts:
                return None
            self._messages = read_qt_catalog(self._language)
        # None (a null QString) for "not mine": Qt takes an empty string as the
        # translation, and an image reader then found no PNG handler.
        return self._messages.get((context, source))

    def isEmpty(self) -> bool:
        return False  # installed only where the language has a catalog
