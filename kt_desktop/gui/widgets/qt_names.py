"""Qt's enum and flag properties set by their names, as a .ui file or a style sheet does.

The first time Python names a value of Qt's namespace (``Qt.TextFormat.PlainText``), PySide
builds all of that namespace's 93 enums as Python enums: ~120 million instructions, a tenth
of the program's start-up (issue 16). The widgets of the first paint set theirs here,
through Qt's meta-object, which takes the value's name; code that runs after the first
paint names ``Qt`` as usual.
"""

from __future__ import annotations

from PySide6.QtCore import QObject


def set_named(target: QObject, prop: str, value: str) -> None:
    """Set ``target``'s Qt property ``prop`` (``"textFormat"``) to the value named ``value``
    (``"PlainText"``; flags joined by ``|``). A name Qt does not know is a bug: raised."""
    if not target.setProperty(prop, value):
        raise ValueError(f"{type(target).__name__}.{prop} cannot be set to {value!r}")
