"""Program Kerja: the year's work programme, one line per planned activity of a section.

The book is this declaration (docs/BOOKS.md). What it has beyond a plain book: it is kept per
year without a date (``BookSpec.year_field``); the months are typed as people write them
(``3-5, 8``, ``Maret–Mei``, ``Agu``) and kept as Indonesian month names, one planned
occurrence per month; activities of the Buku Kegiatan point at a line
(``activities.program_line_id``, the ``program`` lookup), and the printed Program Kerja
(``reports/program_kerja.py``) sets each line's plan beside what was carried out, when and
at what cost (``services/program_kerja.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kt_desktop.domain import book as bk
from kt_desktop.domain.activities import BATAL, FUND_SOURCES, RENCANA, TERLAKSANA, fund_label_msgid
from kt_desktop.domain.errors import ValidationError
from kt_desktop.i18n import N_, _

#: Indonesian month names as written in the book (data, the same in every UI language).
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
_ENGLISH = ("january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december")
_NAMES: dict[str, int] = {}
for _number, (_id, _en) in enumerate(zip(MONTHS, _ENGLISH, strict=True), 1):
    _NAMES[_id.casefold()] = _NAMES[_id[:3].casefold()] = _number
    _NAMES[_en] = _NAMES[_en[:3]] = _number
# Indonesian abbreviations beside the first three letters
_NAMES |= {"agt": 8, "ags": 8, "okt": 10, "nop": 11, "des": 12, "peb": 2}
_RANGE = re.compile(r"\s*(?:-|–|—|s/d|s\.d\.?)\s*|\s+(?:sd|sampai|hingga|to)\s+",
                    re.IGNORECASE)
EVERY_MONTH = ("sepanjang tahun", "setiap bulan", "tiap bulan", "all year", "every month")


def _month(word: str) -> int:
    word = word.strip().strip(".").casefold()
    if word.isdigit() and 1 <= int(word) <= 12:
        return int(word)
    if word in _NAMES:
        return _NAMES[word]
    raise ValidationError(
        _("“{word}” is not a month; write e.g. 3-5, 8 or Maret–Mei, Agustus.").format(word=word),
        code="bad_month")


def month_numbers(text: str) -> list[int]:
    """The months a line names, in order, each once: ``"3-5, 8"`` → ``[3, 4, 5, 8]``."""
    text = (text or "").strip()
    if not text:
        return []
    if text.casefold() in EVERY_MONTH:
        return list(range(1, 13))
    found: list[int] = []
    for part in re.split(r"\s*[,;/]\s*|\s+dan\s+|\s+and\s+", text):
        if not part.strip():
            continue
        ends = [bit for bit in _RANGE.split(part) if bit.strip()]
        if len(ends) == 2:
            first, last = _month(ends[0]), _month(ends[1])
            if last < first:
                raise ValidationError(
                    _("“{part}”: a range of months goes forward within the year (e.g. "
                      "Maret–Mei).").format(part=part.strip()), code="bad_month")
            months = list(range(first, last + 1))
        elif len(ends) == 1:
            months = [_month(ends[0])]
        else:
            raise ValidationError(
                _("“{part}” is not a month or a range of months.").format(part=part.strip()),
                code="bad_month")
        found += [m for m in months if m not in found]
    return sorted(found)


def planned_count(text: str) -> int:
    """How many occurrences a stored line plans (one per month); 0 for text that is not
    months (a row from elsewhere is counted, never refused, when read)."""
    try:
        return len(month_numbers(text))
    except ValidationError:
        return 0


def normalize_months(text: str) -> str:
    """The months as the book keeps them: Indonesian names, a run of three or more as a
    range (``"Maret–Mei, Agustus"``), the whole year as ``"Januari–Desember"``."""
    numbers = month_numbers(text)
    runs: list[list[int]] = []
    for month in numbers:
        if runs and runs[-1][-1] == month - 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{MONTHS[run[0] - 1]}–{MONTHS[run[-1] - 1]}")
        else:
            parts += [MONTHS[m - 1] for m in run]
    return ", ".join(parts)


def plausible_year(value: Any) -> str | None:
    if isinstance(value, int) and not 2000 <= value <= 2100:
        return N_("{label} must be a year such as 2027.")
    return None


@dataclass(frozen=True, slots=True)
class LinkedActivity:
    """An activity of the Buku Kegiatan that names a programme line (its realisation)."""

    line_id: str
    id: str
    title: str
    status: str
    start: dt.date
    cost: int  # the funds recorded with it


@dataclass(slots=True)
class LineRealisation:
    """One programme line with the activities that carried it out."""

    line: bk.BookRecord
    planned: int  # occurrences planned: one per month named
    budget: int
    done: list[LinkedActivity] = field(default_factory=list)  # carried out, oldest first
    waiting: int = 0  # linked and still planned
    cancelled: int = 0

    @property
    def cost(self) -> int:
        return sum(item.cost for item in self.done)

    @property
    def realised(self) -> bool:
        return bool(self.done)


@dataclass(slots=True)
class Programme:
    """A year's programme: its lines in the book's order and the totals."""

    year: int | None
    lines: list[LineRealisation]

    @property
    def planned(self) -> int:
        return sum(line.planned for line in self.lines)

    @property
    def done(self) -> int:
        return sum(len(line.done) for line in self.lines)

    @property
    def budget(self) -> int:
        return sum(line.budget for line in self.lines)

    @property
    def cost(self) -> int:
        return sum(line.cost for line in self.lines)

    @property
    def lines_realised(self) -> int:
        return sum(1 for line in self.lines if line.realised)


def combine(records: Sequence[bk.BookRecord], linked: Sequence[LinkedActivity]) -> list[LineRealisation]:
    """Each record beside the activities that name it (pure: the receiver reuses it)."""
    lines = {record.id: LineRealisation(record, planned_count(str(record.get("months"))),
                                        int(record.get("budget") or 0)) for record in records}
    for item in linked:
        line = lines.get(item.line_id)
        if line is None:
            continue
        if item.status == TERLAKSANA:
            line.done.append(item)
        elif item.status == RENCANA:
            line.waiting += 1
        elif item.status == BATAL:
            line.cancelled += 1
    return list(lines.values())


SOURCES = tuple((code, fund_label_msgid(code)) for code in FUND_SOURCES)

BOOK = bk.BookSpec(
    key="program-kerja",
    table="work_programme",
    title=N_("Work Programme"),
    description=N_("The Program Kerja: what each section plans for the year, for whom, when "
                   "and with what budget; activities recorded later are linked to its lines."),
    noun=(N_("programme line"), N_("programme lines")),
    personal=False,
    fields=(
        bk.Field("year", N_("Year"), bk.INTEGER, required=True, rules=(plausible_year,),
                 placeholder=N_("e.g. 2027"), sheet="Tahun"),
        bk.Field("section", N_("Section"), required=True, max_length=100,
                 placeholder=N_("e.g. Seksi Pelayanan Sosial"),
                 sheet="Seksi", aliases=("bidang",)),
        bk.Field("activity", N_("Planned activity"), required=True, max_length=200,
                 placeholder=N_("e.g. Posyandu dan PMT balita"),
                 sheet="Kegiatan", aliases=("nama kegiatan", "program")),
        bk.Field("aim", N_("Aim"), max_length=300,
                 placeholder=N_("e.g. Better nutrition of toddlers"), sheet="Tujuan"),
        bk.Field("target_group", N_("Target group"), max_length=160,
                 placeholder=N_("e.g. Balita dan ibu hamil RW 01–05"),
                 sheet="Sasaran", aliases=("sasaran kegiatan",)),
        bk.Field("months", N_("Month(s)"), required=True, max_length=160,
                 normalize=normalize_months, placeholder=N_("e.g. 3-5, 8 or Maret–Mei"),
                 sheet="Waktu", aliases=("bulan", "waktu pelaksanaan"), text_cell=True),
        bk.Field("budget", N_("Budget"), bk.MONEY,
                 placeholder=N_("e.g. 1.500.000 or 1,5 jt"),
                 sheet="Anggaran", aliases=("biaya", "rencana anggaran")),
        bk.Field("source", N_("Source of funds"), bk.CHOICE, choices=SOURCES,
                 sheet="Sumber Dana", aliases=("sumber", "sumber anggaran")),
        bk.Field("note", N_("Notes"), max_length=300, sheet="Keterangan", aliases=("catatan",)),
    ),
    columns=bk.columns(year=60, section=170, activity=0, months=150, target_group=150,
                       budget=110, source=130, optional=("section", "target_group", "source")),
    search=("activity", "section", "aim", "target_group"),
    filters=(bk.Filter("section", "value", N_("Every section")),),
    sort=("section", False),
    label_field="activity",
    year_field="year",
    sections=(
        bk.Section(N_("Programme line"), ("year", "section", "activity", "aim", "target_group")),
        bk.Section(N_("Time and budget"), ("months", "budget", "source", "note")),
    ),
    register=bk.RegisterSpec(
        columns=bk.printed(section=34, activity=0, aim=40, target_group=34, months=30,
                           budget=26, source=28),
        closing=N_("This work programme was agreed by the officers of the Karang Taruna."),
        empty=N_("No programme lines are recorded for this year."),
        builder="kt_desktop.reports.program_kerja:build",
        feed="kt_desktop.services.program_kerja:register_feed",
    ),
    receiver_count=bk.ReceiverCount(N_("Programme lines")),
    icon="folder",
)
