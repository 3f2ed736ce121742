"""The Buku Inventaris beyond the book framework: the code a new item is suggested."""

from __future__ import annotations

import re
from typing import Any

from kt_desktop.domain.book import book
from kt_desktop.services.session import Session
from kt_desktop.store import books as store

SPEC = book("inventaris")
_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def next_code(codes: list[str], prefix: str = "INV-") -> str:
    """The code after the highest numbered one, in its own prefix and width (``INV-010`` →
    ``INV-011``); ``INV-001`` for an empty book."""
    best: tuple[int, str, int] | None = None
    for code in codes:
        found = _NUMBERED.match(code.strip())
        if found and (best is None or int(found.group(2)) > best[0]):
            best = (int(found.group(2)), found.group(1), len(found.group(2)))
    if best is None:
        return f"{prefix}001"
    number, head, width = best
    return f"{head}{number + 1:0{width}d}"


def new_item(session: Session) -> dict[str, Any]:
    """A new item's form starts with the next free code and one of it (``BookSpec.prefill``)."""
    db = session.db()
    codes = [str(r.get("code") or "") for r in store.iter_all(db, SPEC)] if store.exists(
        db, SPEC) else []
    return {"code": next_code(codes), "quantity": 1}
