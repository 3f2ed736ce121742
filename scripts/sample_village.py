"""The sample village's profile (Karang Taruna Tunas Harapan, Desa 36.04.22.2001, Baros,
Serang), shared by the tests, the screenshots, the help pictures and the benchmarks so that
each does not spell it out again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kt_desktop.domain.profile import Profile

VILLAGE_CODE = "36.04.22.2001"

#: The SK (decree) fields, for the pictures and documents that show the board's term.
SK_FIELDS: dict[str, Any] = {
    "sk_number": "400/12/Kpts/2022",
    "sk_date": dt.date(2022, 1, 10),
    "term_start": dt.date(2022, 1, 10),
    "term_end": dt.date(2027, 1, 9),
}


def sample_profile(**changes: Any) -> Profile:
    """The sample profile; ``changes`` replace or add fields (``**SK_FIELDS`` for the SK)."""
    values: dict[str, Any] = {
        "name": "Karang Taruna Tunas Harapan",
        "short_name": "KT-TH",
        "village_code": VILLAGE_CODE,
        "street": "Jl. Raya Baros No. 12",
        "rt": "002",
        "rw": "003",
        "dusun": "Kampung Cilaku",
        "postal_code": "42173",
        "phone": "0812-3456-7890",
        "email": "kt.tunasharapan@example.id",
        "ketua": "Ahmad Fauzi",
        "sekretaris": "Siti Nurhaliza",
        "bendahara": "Rina Marlina",
        "kepala_desa": "H. Suryadi",
    }
    values.update(changes)
    return Profile(**values)
