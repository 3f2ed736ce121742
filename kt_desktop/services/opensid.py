"""OpenSID's resident spreadsheets: its column keys and reference codes, read from one file.

Most desa keep their residents in OpenSID, whose import template (``FormatImporExcel``) and
resident export write religion, education, occupation, marital status and sex as the numeric
codes of OpenSID's reference tables (or, in the export's "huruf" variant, as their Dukcapil
labels such as ``SLTA / SEDERAJAT``). The codes and labels live in
``resources/opensid/referensi.json``, which names the OpenSID source files they were taken
from, so that a change in OpenSID is one edit of data, not of code.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from kt_desktop.paths import resource

#: The reference tables the importer reads codes of.
TABLES = ("sex", "agama", "pendidikan_kk", "pekerjaan", "status_kawin", "cacat")


@cache
def _data() -> dict[str, Any]:
    with resource("opensid", "referensi.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def columns() -> tuple[str, ...]:
    """The column keys of OpenSID's resident template and export, in their order."""
    return tuple(_data()["columns"])


def label(table: str, code: int) -> str | None:
    """The Dukcapil label of ``code`` in ``table`` (None for an unknown code)."""
    for row in _data()[table]:
        if row["code"] == code:
            return str(row["label"])
    return None


def norm(text: str) -> str:
    """Letters and digits only, lower case: how labels are compared ("SLTA / SEDERAJAT" and
    "slta/sederajat" are one)."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


@cache
def kt_values(table: str) -> dict[str, str]:
    """{normalised label or code: KT Desktop value} for a table whose rows carry ``kt``."""
    words: dict[str, str] = {}
    for row in _data()[table]:
        if "kt" in row:  # may be "" (cacat 7, TIDAK CACAT): no disability
            words[norm(row["label"])] = row["kt"]
            words[str(row["code"])] = row["kt"]
    return words


def occupation(text: str) -> str:
    """An occupation code ("3") or Dukcapil label ("PELAJAR/MAHASISWA") as the label written
    the way the register shows it ("Pelajar/Mahasiswa"); other text (a secretary's own
    "Buruh harian lepas") unchanged."""
    if text.isdigit():
        found = label("pekerjaan", int(text))
    else:
        found = _occupations().get(norm(text)) if text.isupper() else None
    if found:
        return found.title() if found.isupper() else found
    return text


@cache
def _occupations() -> dict[str, str]:
    return {norm(row["label"]): str(row["label"]) for row in _data()["pekerjaan"]}


def is_resident_layout(headers: list[str]) -> bool:
    """Whether the headers are OpenSID's keys (at least nama, nik, sex, tanggallahir and two
    code columns)."""
    keys = {norm(h) for h in headers}
    wanted = {"nama", "nik", "sex", "tanggallahir", "agamaid", "pendidikankkid"}
    return wanted <= keys
