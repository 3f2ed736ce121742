"""Members' dues (iuran anggota): a year's grid of members × months and the arrears, as
plain values (``services/dues.py`` reads and writes them; the grid page and the arrears
list show them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

PAID = "L"  # lunas: the grid's code for a paid month
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov",
                "Des")


def short_months(months: Sequence[str]) -> str:
    """``Jan, Feb, Mei 2026`` for the months of one year (``YYYY-MM``)."""
    if not months:
        return ""
    names = [SHORT_MONTHS[int(m[5:7]) - 1] for m in months]
    return f"{', '.join(names)} {months[-1][:4]}"


@dataclass(frozen=True, slots=True)
class DuesMember:
    id: str
    name: str
    exempt: str | None  # the reason, or None
    joined: str  # "YYYY-MM" or ""
    left: str  # "YYYY-MM" or "" (a member who left owes nothing after it)


@dataclass(frozen=True, slots=True)
class DuesGrid:
    """One year of dues: the members (rows), the months (columns) and what was paid."""

    year: int
    rate: int
    members: list[DuesMember]
    paid: dict[tuple[str, str], int]  # (member_id, "YYYY-MM") -> net amount paid
    entries: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    @property
    def months(self) -> list[str]:
        return [f"{self.year:04d}-{m:02d}" for m in range(1, 13)]

    def owes(self, member: DuesMember, month: str) -> bool:
        """Whether ``member`` owes dues for ``month`` (a member, not exempt, in the month)."""
        if member.exempt is not None:
            return False
        if member.joined and month < member.joined:
            return False
        return not (member.left and month > member.left)

    def is_paid(self, member_id: str, month: str) -> bool:
        return self.paid.get((member_id, month), 0) > 0


@dataclass(frozen=True, slots=True)
class Arrear:
    """A member's unpaid months up to a month."""

    member_id: str
    name: str
    months: list[str]
    amount: int
