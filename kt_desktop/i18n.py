"""Translations, usable without Qt (Picard's ``i18n.py`` is the model).

Source strings are English; Indonesian is the default language and every user-facing
string must have its Indonesian translation (a test checks). Catalogs are plain ``.po``
files in ``resources/locale/<lang>/``, one per area of the program, read with Babel and
merged, so that each area keeps its own catalog.

Parsing the ``.po`` files costs 50–100 ms, too much for every start, so
``scripts/compile_catalogs.py`` writes the merged catalog as ``compiled.json`` beside them,
stamped with a digest of the ``.po`` files; the program reads it (2 ms) when the stamp
matches and parses the ``.po`` files otherwise (a test keeps the committed one current).

Import explicitly: ``from kt_desktop.i18n import _, N_, ngettext``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar

from kt_desktop import paths

P = ParamSpec("P")
R = TypeVar("R")

DEFAULT_LANGUAGE = "id"
LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}

_catalog: dict[str, str | tuple[str, ...]] = {}
_language = "en"
#: Loaded catalogs per language (start-up asks more than once).
_parsed: dict[str, dict[str, str | tuple[str, ...]]] = {}
#: The merged catalog of a language folder, written by scripts/compile_catalogs.py.
COMPILED = "compiled.json"


def sources_digest(folder: Path) -> str:
    """SHA-256 over the names and text of the ``.po`` files of a language folder (line ends
    made alike: a Windows checkout may turn them into CRLF, which changes no message)."""
    digest = hashlib.sha256()
    for po in sorted(folder.glob("*.po")):
        text = po.read_bytes().replace(b"\r\n", b"\n")
        digest.update(po.name.encode() + b"\0" + text + b"\0")
    return digest.hexdigest()


def compiled_catalog(language: str) -> dict[str, object]:
    """What ``compiled.json`` of ``language`` must hold: the source digest and the messages."""
    folder = paths.resource("locale", language)
    return {"sources": sources_digest(folder), "messages": read_po_catalogs(language)}


def _load_catalogs(language: str) -> dict[str, str | tuple[str, ...]]:
    folder = paths.resource("locale", language)
    if not folder.is_dir():
        return {}
    try:
        data = json.loads((folder / COMPILED).read_text(encoding="utf-8"))
        if data.get("sources") == sources_digest(folder):
            return {
                key: tuple(value) if isinstance(value, list) else value
                for key, value in data["messages"].items()
            }
    except (OSError, ValueError, KeyError, AttributeError):
        pass  # missing, unreadable or stale: the .po files are the truth
    return read_po_catalogs(language)


def read_po_catalogs(language: str) -> dict[str, str | tuple[str, ...]]:
    """Every ``.po`` catalog of ``language`` parsed and merged (translated messages only)."""
    folder = paths.resource("locale", language)
    if not folder.is_dir():
        return {}
    from babel.messages.pofile import read_po  # only when a catalog is loaded

    merged: dict[str, str | tuple[str, ...]] = {}
    for po in sorted(folder.glob("*.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            if isinstance(message.id, tuple):
                if all(message.string):
                    merged[message.id[0]] = tuple(message.string)
            elif message.string:
                merged[message.id] = message.string
    return merged


def set_language(language: str) -> None:
    """Switch the language of every later ``_()`` call."""
    global _catalog, _language
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    _language = language
    if language == "en":
        _catalog = {}
        return
    if language not in _parsed:
        _parsed[language] = _load_catalogs(language)
    _catalog = _parsed[language]


#: Official papers (reports, certificates, attendance sheets) are Indonesian whatever the
#: interface speaks; English only when asked for (``--paper-language en``).
DOCUMENT_LANGUAGE = "id"
#: A language this thread speaks for a while (:func:`speaking`): a report made on a worker
#: while the window stays in English.
_thread = threading.local()


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Within the block, ``_()``, dates and numbers on this thread are in ``language``; the
    rest of the program (the window, other threads) keeps its own."""
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    if language != "en" and language not in _parsed:
        _parsed[language] = _load_catalogs(language)
    previous = getattr(_thread, "spoken", None)
    _thread.spoken = (language, {} if language == "en" else _parsed[language])
    try:
        yield
    finally:
        _thread.spoken = previous


def official_paper(build: Callable[P, R]) -> Callable[P, R]:
    """Make ``build`` (a service writing an official paper) write it in Indonesian, or in
    the ``paper_language`` keyword it is given (or the language a caller chose with
    :func:`speaking`): with the interface in English the monthly report printed "MONTHLY
    REPORT OF THE KARANG TARUNA" and US dates (issue 16)."""

    @functools.wraps(build)
    def in_language(*args: P.args, **kwargs: P.kwargs) -> R:
        spoken = getattr(_thread, "spoken", None)  # a caller's explicit choice (the CLI)
        chosen = kwargs.pop("paper_language", None) or (
            spoken[0] if spoken is not None else DOCUMENT_LANGUAGE)
        with speaking(str(chosen)):
            return build(*args, **kwargs)

    return in_language


def _spoken() -> tuple[str, dict[str, str | tuple[str, ...]]]:
    spoken = getattr(_thread, "spoken", None)
    return spoken if spoken is not None else (_language, _catalog)


def language() -> str:
    return _spoken()[0]


def locale_name() -> str:
    """The Babel locale for dates, numbers and money in the current language."""
    return "id_ID" if _spoken()[0] == "id" else "en_US"


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    translated = _spoken()[1].get(message)
    return translated if isinstance(translated, str) else message


def N_(message: str) -> str:
    """Mark ``message`` for extraction; translate it later with ``_()``."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    translated = _spoken()[1].get(singular)
    if isinstance(translated, tuple):
        return translated[0] if len(translated) == 1 or n == 1 else translated[1]
    return singular if n == 1 else plural


def saved_language() -> str:
    """The language chosen in Pengaturan (per user, not per data file); the default when
    ``settings.json`` is missing, broken or holds something else (:func:`paths.read_settings`)."""
    value = paths.read_settings().get("language")
    return value if isinstance(value, str) and value in LANGUAGES else DEFAULT_LANGUAGE


def save_language(language: str) -> None:
    data = paths.read_settings()
    data["language"] = language
    paths.write_settings(data)


set_language(DEFAULT_LANGUAGE)
