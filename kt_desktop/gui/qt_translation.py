"""Indonesian for Qt's own dialogs: a QTranslator fed from ``resources/locale/<lang>/qt/*.po``.

Qt ships no ``qtbase_id`` catalog, so a non-native file dialog said "Look in", "File name",
"Save", "Cancel" and a message box "Show Details..." in an Indonesian program (issue 23).
The strings the program shows are translated in ``qt/qtbase.po`` with Qt's class as the
``msgctxt``; only those contexts are answered, so Qt's key names (``QShortcut``: "Ctrl",
"Shift"), which Qt also parses, are never translated.
"""

from __future__ import annotations

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


class CatalogTranslator(QTranslator):
    """Answers Qt's ``translate(context, source)`` from a (context, source) → text table."""

    def __init__(self, messages: dict[tuple[str, str], str],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._messages = messages

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        # None (a null QString) for "not mine": Qt takes an empty string as the
        # translation, and an image reader then found no PNG handler.
        return self._messages.get((context, source))

    def isEmpty(self) -> bool:
        return not self._messages
