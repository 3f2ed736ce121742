"""A receiver's data for analysis: an .xlsx workbook, or a folder of CSV files.

One sheet (or CSV file) per table — members, activities, beneficiaries, trainings, training
participants, training outcomes — for an area and a period, and one sheet with the
aggregates of the Rekap. Headers and values are in Indonesian whatever the UI language (a
data file is read by the province's analysts and their tools, like the member export).

* NIKs are masked (last 4 digits) unless ``reveal_nik`` is asked; that is audited.
* Members are the whole live register of the area (with its status column); activities and
  trainings are those starting in the period, with their beneficiaries, participants and
  outcomes.
* Speed: a province's year is some 15 million cells. openpyxl (even write-only, without lxml)
  writes ~40,000 cells a second, which would take minutes; the workbook is therefore written
  here as SpreadsheetML straight into the ZIP (inline strings, one style for dates, one for
  the header row, cells without references: ``EMPTY_CELL``), streamed from SQL row by row,
  in seconds. A sheet longer than Excel's 1,048,576 rows continues on a second sheet
  ("Penerima Manfaat (2)").
  Rows go through a function written out per sheet layout (``_row_renderer``; text columns
  of few values remember their cells), 2,000 at a time, and their deflate runs on a second
  thread (``_WriteBehind``); ``_render_row`` is the plain cell-by-cell writer they equal.
  A large workbook (a province's year) has three of its sheets written meanwhile by a
  helper process on the second core (``_Helper``), compressed there and put into the ZIP
  as they are: Jawa Tengah's year (7.6 million rows) in 42-49 s instead of 98 s.
* No cell is ever a formula: text cells are typed strings in the .xlsx; in CSV a value
  starting with ``= + - @`` gets a leading apostrophe (OWASP "CSV injection").
* Files are written under a temporary name and renamed when complete: a cancel or a full
  disk never leaves half a workbook behind.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import itertools
import logging
import multiprocessing
import queue
import re
import shutil
import tempfile
import threading
import time
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO, TypedDict, Unpack

from kt_desktop import i18n
from kt_desktop.domain import clock, formats, ppks
from kt_desktop.domain import nik as nik_rules
from kt_desktop.domain.errors import KtError, reason_text
from kt_desktop.domain.members import (
    DOC_EDUCATION,
    DOC_LEAVE_REASON,
    DOC_RELIGION,
    DOC_STATUS,
    position_doc_text,
)
from kt_desktop.i18n import _
from kt_desktop.paths import written_whole
from kt_desktop.services import receiver as service
from kt_desktop.services.member_export import neutralize
from kt_desktop.services.progress import Progress, no_progress
from kt_desktop.services.session import Session
from kt_desktop.store import audit, connection
from kt_desktop.store import receiver as store

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

#: Excel's last row is 1,048,576; the header takes one.
MAX_SHEET_ROWS = 1_048_575
MAX_CELL_TEXT = 32_767
PROGRESS_EVERY = 20_000
#: Rows rendered, encoded and handed to the ZIP member at a time.
ROWS_PER_CHUNK = 2_000

TEXT, NUMBER, DATE = "t", "n", "d"

OUTCOME_WORDS = {
    "bekerja": "Bekerja", "wirausaha": "Wirausaha", "melanjutkan": "Melanjutkan pelatihan",
    "belum_bekerja": "Belum bekerja",
}
STATUS_WORDS = {"rencana": "Rencana", "terlaksana": "Terlaksana", "batal": "Batal"}
RESULT_WORDS = {"lulus": "Lulus", "tidak_lulus": "Tidak lulus"}
KIND_WORDS = {"vokasional": "Vokasional", "kewirausahaan": "Kewirausahaan"}


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: str = TEXT  # TEXT | NUMBER | DATE
    width: int = 14
    #: A text column of few distinct values (codes, village names, categories, masked
    #: NIKs): each value's cell is checked and rendered once and remembered (see
    #: ``_row_renderer``); values that do not repeat after all cost a lookup more each.
    repeats: bool = False


@dataclass(frozen=True, slots=True)
class Sheet:
    """One exported table: its sheet name, CSV file name and columns."""

    key: str
    title: str  # sheet name (at most 31 characters)
    file_name: str  # CSV file name
    columns: tuple[Column, ...]


C = Column


def R(header: str, width: int = 14) -> Column:
    """A text column whose values repeat (see ``Column.repeats``)."""
    return Column(header, TEXT, width, repeats=True)


SHEETS: tuple[Sheet, ...] = (
    Sheet("members", "Anggota", "anggota.csv", (
        R("Kode Wilayah", width=15), R("Desa/Kelurahan", width=20), C("ID", width=12),
        C("Nama", width=26), R("NIK", width=19), R("L/P", width=5), R("Tempat Lahir"),
        C("Tanggal Lahir", DATE, 12), R("Agama", width=10), R("Dusun", width=18),
        R("RT", width=5), R("RW", width=5), R("Pendidikan", width=16), R("Pekerjaan", width=18),
        C("Disabilitas", NUMBER, 8), R("Status", width=8), C("Tanggal Bergabung", DATE, 12),
        C("Tanggal Keluar", DATE, 12), R("Alasan Keluar"), R("Jabatan", width=22),
        C("Diperbarui (UTC)", width=20),
    )),
    Sheet("activities", "Kegiatan", "kegiatan.csv", (
        R("Kode Wilayah", width=15), R("Desa/Kelurahan", width=20), C("ID", width=12),
        C("Mulai", DATE, 11), C("Selesai", DATE, 11), C("Judul", width=36),
        R("Jenis", width=26), R("Status", width=11), R("Tempat", width=22),
        R("Seksi", width=22), R("Mitra", width=22), R("Kampanye", width=16),
        C("Relawan", NUMBER, 8), C("Dana (Rp)", NUMBER, 12), C("Diperbarui (UTC)", width=20),
    )),
    Sheet("beneficiaries", "Penerima Manfaat", "penerima_manfaat.csv", (
        R("Kode Wilayah", width=15), C("ID Kegiatan", width=12), C("Tanggal Kegiatan", DATE, 12),
        R("Status Kegiatan", width=11), C("Kode PPKS", NUMBER, 9),
        R("Kategori PPKS", width=34), R("L/P", width=5), R("Kelompok Umur", width=12),
        C("Jumlah", NUMBER, 8),
    )),
    Sheet("trainings", "Pelatihan", "pelatihan.csv", (
        R("Kode Wilayah", width=15), R("Desa/Kelurahan", width=20), C("ID", width=12),
        C("Judul", width=30), R("Bidang", width=18), R("Jenis", width=14),
        R("Penyelenggara", width=22), R("Mitra", width=24), R("Jenis Mitra", width=10),
        R("Tempat", width=18), C("Mulai", DATE, 11), C("Selesai", DATE, 11),
        C("Kuota", NUMBER, 7), C("Biaya (Rp)", NUMBER, 12), R("Sumber Dana", width=12),
        C("Min. Kehadiran (%)", NUMBER, 10), C("Min. Nilai Akhir", NUMBER, 10),
        C("Diperbarui (UTC)", width=20),
    )),
    Sheet("participants", "Peserta Pelatihan", "peserta_pelatihan.csv", (
        R("Kode Wilayah", width=15), C("ID Pelatihan", width=12), C("ID Peserta", width=12),
        C("ID Anggota", width=12), C("Nama", width=26), R("NIK", width=19), R("L/P", width=5),
        C("Tanggal Lahir", DATE, 12), C("Nilai Awal", NUMBER, 8), C("Nilai Akhir", NUMBER, 8),
        R("Hasil Diubah Sekretaris", width=12),
    )),
    Sheet("outcomes", "Hasil Pelatihan", "hasil_pelatihan.csv", (
        R("Kode Wilayah", width=15), C("ID Pelatihan", width=12), C("ID Peserta", width=12),
        C("Bulan Ke-", NUMBER, 8), C("Dicatat", DATE, 11), R("Status", width=20),
        C("Keterangan", width=30), C("Penghasilan per Bulan (Rp)", NUMBER, 14),
    )),
)
SUMMARY_TITLE = "Rekap"
SUMMARY_FILES = ("rekap_pelaporan.csv", "rekap_wilayah.csv")


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    rows: dict[str, int]  # sheet key -> data rows written
    nik_revealed: bool
    period: service.Period
    area: str


# -- rows of each sheet ---------------------------------------------------------------------
def _rows(
    session: Session, sheet: Sheet, area: str, period: service.Period, reveal_nik: bool
) -> Generator[list[Any], None, None]:
    """The sheet's rows, as cells in its column order (values in Indonesian words)."""
    return _table_rows(session.db(), session.code, sheet, area, period, reveal_nik)


def _table_rows(
    db: sqlite_utils.Database, own: str, sheet: Sheet, area: str, period: service.Period, reveal_nik: bool
) -> Generator[list[Any], None, None]:
    """:func:`_rows` read through ``db``, a connection to the receiver whose area is ``own``
    (the helper process has a connection of its own, and no session)."""
    names = {place.code: place.name for place in service.places(area)}
    span = (period.start, period.end)
    where = "" if area == own else area
    source = store.stream_export(db, sheet.key, where, span)
    show = (lambda nik: nik or "") if reveal_nik else nik_rules.mask
    if sheet.key == "members":
        for r in source:
            yield [
                r[0], names.get(r[0], ""), r[1], r[2], show(r[3]), r[4], r[5], r[6],
                DOC_RELIGION.get(r[7], r[7]), r[8], r[9], r[10], DOC_EDUCATION.get(r[11], r[11]),
                r[12], r[13], DOC_STATUS.get(r[14], r[14]), r[15], r[16],
                DOC_LEAVE_REASON.get(r[17], r[17]), position_doc_text(r[18] or "", r[19] or ""),
                r[20],
            ]
    elif sheet.key == "activities":
        for r in source:
            yield [r[0], names.get(r[0], ""), r[1], r[2], r[3], r[4], r[5],
                   STATUS_WORDS.get(r[6], r[6]), *r[7:]]
    elif sheet.key == "beneficiaries":
        categories = {item.code: item.name for item in ppks.CATEGORIES}
        bands = {band.code: f"{band.name} {band.span}" for band in ppks.AGE_BANDS}
        for r in source:
            yield [r[0], r[1], r[2], STATUS_WORDS.get(r[3], r[3]), r[4],
                   categories.get(r[4], ""), r[5], bands.get(r[6], r[6]), r[7]]
    elif sheet.key == "trainings":
        for r in source:
            yield [r[0], names.get(r[0], ""), r[1], r[2], r[3], KIND_WORDS.get(r[4], r[4]),
                   *r[5:]]
    elif sheet.key == "participants":
        for r in source:
            yield [*r[:5], show(r[5]), r[6], r[7], r[8], r[9], RESULT_WORDS.get(r[10], r[10])]
    else:
        for r in source:
            yield [*r[:5], OUTCOME_WORDS.get(r[5], r[5]), r[6], r[7]]


def summary_rows(session: Session, area: str, period: service.Period) -> list[list[Any]]:
    """The Rekap sheet: the reporting table and the totals, as rows of plain cells."""
    return _summary_rows(service.reporting_table(session, period, area),
                         service.totals(session, period, area), period)


def _summary_rows(table: service.ReportingTable, totals: service.Totals,
                  period: service.Period) -> list[list[Any]]:
    """:func:`summary_rows` of a reporting table and totals already counted."""
    rows: list[list[Any]] = [
        [f"Rekap Karang Taruna {totals.area_name}"],
        [f"Periode: {period.label}"],
        [],
        ["Desa/kelurahan yang mengirim data per bulan"],
        ["Wilayah", "Desa/Kel.", "Terdaftar", *[table.month_label(i) for i in
                                                range(len(table.months))], "Pernah melapor"],
    ]
    for line in (*table.rows, table.total):
        rows.append([line.name, line.villages, line.enrolled, *line.by_month, line.in_period])
    rows += [[], [f"Jumlah per wilayah, {period.label}"], list(REGION_HEADERS)]
    for _code, name, figures in totals.by_region:
        rows.append(region_cells(name, figures))
    rows.append(region_cells("Jumlah", totals.all))
    rows += [[], ["Desa dan kelurahan"], list(REGION_HEADERS)]
    for kind, figures in totals.by_kind.items():
        rows.append(region_cells("Desa" if kind == service.DESA else "Kelurahan", figures))
    year = f" (data {totals.status_year})" if totals.status_year else ""
    rows += [[], [f"Menurut status desa{year}"], list(REGION_HEADERS)]
    for bucket, figures in totals.by_status.items():
        rows.append(region_cells(STATUS_WORDS_ID[bucket], figures))
    rows += [[], ["Anggota menurut umur"], ["Kelompok umur", "L", "P", "Jumlah"]]
    for key in totals.band_keys:
        male, female = totals.all.bands.get(key, [0, 0])
        rows.append([BAND_WORDS_ID.get(key, key), male, female, male + female])
    rows += [[], ["Kegiatan terlaksana menurut jenis"], ["Jenis", "Kegiatan"]]
    for kind, count in sorted(totals.all.activities.items(), key=lambda kv: (-kv[1], kv[0])):
        rows.append([kind, count])
    rows += [[], ["Penerima manfaat menurut kategori PPKS"],
             ["Kode", "Kategori", "L", "P", "Jumlah"]]
    for code, (male, female) in sorted(totals.all.beneficiaries.items()):
        name = ppks.category(code).name if ppks.is_category(code) else str(code)
        rows.append([code, name, male, female, male + female])
    return rows


REGION_HEADERS = (
    "Wilayah", "Desa/Kel.", "Terdaftar", "Melapor", "Anggota L", "Anggota P", "Kegiatan",
    "Penerima Manfaat", "Pelatihan", "Peserta", "Lulus", "Bekerja", "Wirausaha",
)
STATUS_WORDS_ID = {
    "mandiri": "Mandiri", "berkembang": "Berkembang", "tertinggal": "Tertinggal",
    service.NO_STATUS: "Desa tanpa status", service.KELURAHAN: "Kelurahan",
}
BAND_WORDS_ID = {
    "under13": "Di bawah 13 tahun", "13-17": "13-17 tahun", "18-30": "18-30 tahun",
    "31-45": "31-45 tahun", "over45": "Di atas 45 tahun",
}


def region_cells(name: str, figures: service.Figures) -> list[Any]:
    return [
        name, figures.villages, figures.enrolled, figures.reported, figures.members_male,
        figures.members_female, figures.activity_count, figures.beneficiary_count,
        figures.trainings, figures.participants, figures.graduates, figures.employed,
        figures.business,
    ]


# -- the .xlsx writer -----------------------------------------------------------------------
_CONTROL = {code: None for code in (*range(0, 9), 11, 12, *range(14, 32))}
_EXCEL_EPOCH = dt.date(1899, 12, 30)


#: A cell with nothing in it. Cells carry no reference (``r="B7"``, optional in
#: SpreadsheetML: a cell without one is the next of its row), so an empty value still
#: takes its column's place. Without the references the sheets' XML is a fifth smaller,
#: and the deflate and the writing take as much less.
EMPTY_CELL = "<c/>"


def _text_cell(value: str) -> str:
    """An inline-string cell (never a formula); XML-escaped, control characters dropped."""
    if len(value) > MAX_CELL_TEXT:
        value = value[:MAX_CELL_TEXT]
    # Most text needs nothing: test cheaply before escaping (a regex costs twice as much).
    if "&" in value or "<" in value or ">" in value or not value.isprintable():
        value = (
            value.translate(_CONTROL)
            .replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        )
    if value[:1].isspace() or value[-1:].isspace():
        return f'<c t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'
    return f'<c t="inlineStr"><is><t>{value}</t></is></c>'


def _render_text(value: Any) -> str:
    return _text_cell(value if isinstance(value, str) else str(value))


def _render_number(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"<c><v>{value}</v></c>"
    return _render_text(value)


def _render_date(value: Any) -> str:
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return _render_text(value)
    return f'<c s="1"><v>{(day - _EXCEL_EPOCH).days}</v></c>'


_RENDER_CELL: dict[str, Callable[[Any], str]] = {
    TEXT: _render_text, NUMBER: _render_number, DATE: _render_date,
}


def _render_row(kinds: Sequence[str], row: Sequence[Any], n: str) -> str:
    """One row, cell by cell: what every written-out renderer below must equal.

    Empty values (None or "") are empty cells (:data:`EMPTY_CELL`); a value past the
    sheet's columns is text. The written-out renderers use it for a row longer or shorter
    than the columns.
    """
    cells = []
    for index, value in enumerate(row):
        if index < len(kinds):
            empty = value is None or value == ""
            cells.append(EMPTY_CELL if empty else _RENDER_CELL[kinds[index]](value))
        else:
            cells.append(EMPTY_CELL if value is None else _render_text(value))
    return f'<row r="{n}">{"".join(cells)}</row>'


_row_renderers: dict[tuple[tuple[str, ...], tuple[int, ...]],
                     Callable[[Sequence[Any], str], str]] = {}
#: How many values of a repeating column are remembered (a bound on memory).
REMEMBERED_VALUES = 2_000


def _row_renderer(
    kinds: tuple[str, ...], repeats: tuple[int, ...] = ()
) -> Callable[[Sequence[Any], str], str]:
    """A function writing one row of cells of these kinds, made once per sheet layout.

    A province's year is some 15 million cells, and rendering them is most of the
    workbook's time. A function written out for the sheet's own columns unpacks the row
    once and builds every cell with an f-string, with the same checks per value as
    ``_render_row`` but none of its per-cell calls and lookups; what does not pass the
    checks (text to escape, a value of another type, a date not seen before) goes to the
    same per-cell functions, so the output is byte for byte ``_render_row``'s.
    The text columns in ``repeats`` (indexes) hold few distinct values: their cell is
    remembered per value, so a repeated value costs one dictionary lookup instead of its
    checks; so is a date's.
    The source is built from the column kinds only, never from data.
    """
    cached = _row_renderers.get((kinds, repeats))
    if cached is not None:
        return cached
    remembered: list[dict[str, str]] = [{} for _kind in kinds]

    def remember(index: int, value: str) -> str:
        """The cell of the text ``value``, remembered for the column ``index``."""
        cell = _render_text(value) if value else EMPTY_CELL
        if len(remembered[index]) < REMEMBERED_VALUES:
            remembered[index][value] = cell
        return cell

    width = len(kinds)
    names = ", ".join(f"r{index}" for index in range(width))
    lines = ["def render(row, n):",
             f"    if {width} == 0 or len(row) != {width}:",
             "        return render_row(kinds, row, n)",
             f"    {names}, = row"]
    for index, kind in enumerate(kinds):
        v, c = f"r{index}", f"c{index}"
        if kind == TEXT and index in repeats:
            lines += [
                f"    if {v}.__class__ is str:",
                f"        {c} = seen{index}({v})",
                f"        if {c} is None:",
                f"            {c} = remember({index}, {v})",
                f"    elif {v} is None:",
                f"        {c} = '{EMPTY_CELL}'",
                "    else:",
                f"        {c} = render_text({v})",
            ]
        elif kind == TEXT:
            lines += [
                f"    if {v}.__class__ is str and not ('&' in {v} or '<' in {v} or '>' in {v}"
                f" or {v}[:1] <= ' ' or {v}[-1:] <= ' ' or len({v}) > {MAX_CELL_TEXT}"
                f" or not {v}.isprintable()):",
                f"        {c} = f'<c t=\"inlineStr\"><is><t>{{{v}}}</t></is></c>'",
                f"    elif {v} is None or {v} == '':",
                f"        {c} = '{EMPTY_CELL}'",
                "    else:",
                f"        {c} = render_text({v})",
            ]
        elif kind == NUMBER:
            lines += [
                f"    if {v}.__class__ is int or {v}.__class__ is float:",
                f"        {c} = f'<c><v>{{{v}!r}}</v></c>'",
                f"    elif {v} is None or {v} == '':",
                f"        {c} = '{EMPTY_CELL}'",
                "    else:",
                f"        {c} = render_number({v})",
            ]
        else:  # a date: ISO text from SQL, its cell (an Excel serial) remembered
            lines += [
                f"    {c} = dates.get({v}) if {v}.__class__ is str else None",
                f"    if {c} is None:",
                f"        if {v} is None or {v} == '':",
                f"            {c} = '{EMPTY_CELL}'",
                "        else:",
                f"            {c} = render_date({v})",
                f"            if {v}.__class__ is str and len(dates) < 100000:",
                f"                dates[{v}] = {c}",
            ]
    cells = "".join(f"{{c{index}}}" for index in range(width))
    lines.append(f"    return f'<row r=\"{{n}}\">{cells}</row>'")
    namespace: dict[str, Any] = {"render_text": _render_text, "render_number": _render_number,
                                 "render_date": _render_date, "dates": {},
                                 "render_row": _render_row, "kinds": kinds,
                                 "remember": remember}
    namespace.update({f"seen{index}": remembered[index].get for index in repeats})
    exec("\n".join(lines), namespace)
    render: Callable[[Sequence[Any], str], str] = namespace["render"]
    _row_renderers[(kinds, repeats)] = render
    return render


class _Writable(Protocol):
    """Where a sheet's XML goes: a ZIP member, or the helper's compressed file."""

    def write(self, data: bytes, /) -> int: ...


class _WriteBehind:
    """Hands the rendered chunks to a thread that writes them into the ZIP member.

    Writing a chunk is its CRC, its deflate and the file write, all of which run without
    the GIL: on their own thread they overlap the rendering of the next chunk (a fifth of
    the workbook's time). At most ``depth`` chunks wait, so memory stays bounded. A failed
    write (a full disk) is raised in the caller at its next write or at the end.
    """

    def __init__(self, out: _Writable, depth: int = 4) -> None:
        self._out = out
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._drain, name="xlsx-write", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._out.write(data)
                except BaseException as exc:  # raised in the caller's thread
                    self._error = exc

    def write(self, data: bytes) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(data)

    def __enter__(self) -> _WriteBehind:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_rest: object) -> None:
        """Wait for the chunks already handed over; raise their error if nothing else is."""
        self._queue.put(None)
        self._thread.join()
        if kind is None and self._error is not None:
            raise self._error


#: zlib's fastest level: the workbook's XML is repetitive and compresses well at any level.
COMPRESS_LEVEL = 1


class _SheetWriter:
    """Worksheets written as rows arrive, each into a sink of its own (:meth:`_open_sheet`):
    a member of the workbook's ZIP (:class:`XlsxWriter`), or a compressed file of the
    helper process (:class:`_DeflatedSheets`)."""

    def __init__(self) -> None:
        self.titles: list[str] = []

    @contextlib.contextmanager
    def _open_sheet(self, key: str, name: str) -> Iterator[_Writable]:
        raise NotImplementedError
        yield

    def _name(self, title: str) -> str:
        name = re.sub(r"[\[\]:*?/\\]", "-", title)[:31]
        base, number = name, 2
        while name in self.titles:
            suffix = f" ({number})"
            name = base[: 31 - len(suffix)] + suffix
            number += 1
        return name

    def write_sheet(
        self,
        title: str,
        columns: Sequence[Column],
        rows: Iterable[Sequence[Any]],
        *,
        tick: Callable[[int], None] | None = None,
        header: bool = True,
        key: str = "",
    ) -> int:
        """Write ``rows`` under ``title`` (continuing on more sheets past Excel's limit);
        ``key`` names the table, whose place in the workbook :meth:`XlsxWriter.close` keeps."""
        remaining: Iterator[Sequence[Any]] | None = iter(rows)
        total = 0
        while remaining is not None:
            written, remaining = self._one_sheet(
                key, title, columns, remaining, tick, total, header)
            total += written
        return total

    def _one_sheet(
        self, key: str, title: str, columns: Sequence[Column], rows: Iterator[Sequence[Any]],
        tick: Callable[[int], None] | None, before: int, header: bool,
    ) -> tuple[int, Iterator[Sequence[Any]] | None]:
        """One sheet; returns its rows and the rows left over for the next (None: done)."""
        name = self._name(title)
        self.titles.append(name)
        kinds = tuple(column.kind for column in columns)
        cols = "".join(
            f'<col min="{i + 1}" max="{i + 1}" width="{c.width}" customWidth="1"/>'
            for i, c in enumerate(columns)
        )
        pane = (
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
            if header else ""
        )
        limit = MAX_SHEET_ROWS if header else MAX_SHEET_ROWS + 1
        count = 0
        with self._open_sheet(key, name) as out:
            out.write(
                (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    f"{pane}{'<cols>' + cols + '</cols>' if cols else ''}<sheetData>"
                ).encode()
            )
            row_number = 0
            if header:
                row_number = 1
                cells = "".join(
                    _text_cell(c.header).replace("<c ", '<c s="2" ', 1)
                    for i, c in enumerate(columns)
                )
                out.write(f'<row r="1">{cells}</row>'.encode())
            render = _row_renderer(
                kinds, tuple(i for i, c in enumerate(columns) if c.repeats and c.kind == TEXT))
            with _WriteBehind(out) as sink:
                while count < limit:
                    batch = list(itertools.islice(rows, min(ROWS_PER_CHUNK, limit - count)))
                    if not batch:
                        break
                    numbers = map(str, range(row_number + 1, row_number + 1 + len(batch)))
                    sink.write("".join(map(render, batch, numbers)).encode())
                    row_number += len(batch)
                    done = count + len(batch)
                    if tick is not None and done // PROGRESS_EVERY != count // PROGRESS_EVERY:
                        tick(before + done)
                    count = done
            out.write(b"</sheetData></worksheet>")
        if count < limit:
            return count, None
        following = next(rows, None)  # a full sheet: is there more?
        return count, (None if following is None else itertools.chain([following], rows))


@dataclass(frozen=True, slots=True)
class DeflatedSheet:
    """A sheet the helper process wrote: its XML compressed as a ZIP member holds it (raw
    deflate) in the file ``path``, with the CRC-32 and the size of the XML."""

    key: str
    title: str
    path: str
    crc: int
    size: int


class _DeflateFile:
    """A binary sink that compresses what it is given into ``path`` as raw deflate (what a
    ZIP member holds), counting the CRC-32 and the size of the uncompressed bytes."""

    def __init__(self, path: Path) -> None:
        self.crc = 0
        self.size = 0
        self._compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        self._file = path.open("wb")

    def write(self, data: bytes) -> int:
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        self._file.write(self._compressor.compress(data))
        return len(data)

    def close(self) -> None:
        try:
            self._file.write(self._compressor.flush())
        finally:
            self._file.close()

    def discard(self) -> None:
        """Close the file unfinished (the sheet failed; its folder is removed)."""
        self._file.close()


class _DeflatedSheets(_SheetWriter):
    """The helper process's writer: each sheet compressed into a file of ``folder``."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.parts: list[DeflatedSheet] = []

    @contextlib.contextmanager
    def _open_sheet(self, key: str, name: str) -> Iterator[_Writable]:
        path = self.folder / f"sheet{len(self.parts) + 1}.deflate"
        out = _DeflateFile(path)
        try:
            yield out
        except BaseException:
            out.discard()
            raise
        out.close()
        self.parts.append(DeflatedSheet(key, name, str(path), out.crc, out.size))


class XlsxWriter(_SheetWriter):
    """The smallest valid SpreadsheetML workbook, written sheet by sheet as rows arrive.

    Styles: 0 plain, 1 date (dd/mm/yyyy), 2 bold (header). Text is always an inline string
    (never a formula); numbers are numbers; a date column holds Excel date serials.
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED,
                                   compresslevel=COMPRESS_LEVEL)
        #: (table key, sheet name, ZIP member) of every sheet, in the order written.
        self.entries: list[tuple[str, str, str]] = []

    def _next_member(self) -> str:
        return f"xl/worksheets/sheet{len(self.entries) + 1}.xml"

    @contextlib.contextmanager
    def _open_sheet(self, key: str, name: str) -> Iterator[_Writable]:
        member = self._next_member()
        with self.zip.open(member, "w") as out:
            yield out
        self.entries.append((key, name, member))

    def adopt(self, part: DeflatedSheet) -> None:
        """Add a sheet the helper process wrote and compressed, without compressing it again.

        ``zipfile`` has no call to add data compressed elsewhere, so the bytes go in as a
        *stored* member (``zipfile`` writes its headers and its central-directory entry),
        and then both headers are told what the bytes are: deflate data, with the CRC-32
        and the size of the XML they hold. The central directory is written at
        :meth:`close` from the same :class:`zipfile.ZipInfo`; the local header, written when
        the member was opened, is written again in place (same length: the ZIP64 extra
        field is decided by the XML's size both times). Tests read every member back
        through ``zipfile`` (which checks the CRC) and the workbook through openpyxl.
        """
        member = self._next_member()
        info = zipfile.ZipInfo(member, date_time=time.localtime()[:6])
        zip64 = part.size > zipfile.ZIP64_LIMIT
        with self.zip.open(info, "w", force_zip64=zip64) as out, open(part.path, "rb") as raw:
            shutil.copyfileobj(raw, out, 1 << 20)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.CRC = part.crc
        info.file_size = part.size
        end = self.zip.fp.tell()  # type: ignore[union-attr]
        self.zip.fp.seek(info.header_offset)  # type: ignore[union-attr]
        self.zip.fp.write(info.FileHeader(zip64))  # type: ignore[union-attr]
        self.zip.fp.seek(end)  # type: ignore[union-attr]
        self.titles.append(part.title)
        self.entries.append((part.key, part.title, member))

    def close(self, order: Sequence[str] = ()) -> None:
        """Write the workbook's own parts and close the ZIP; the sheets are listed in the
        order of their table keys in ``order`` (then as written)."""
        place = {key: index for index, key in enumerate(order)}
        entries = sorted(self.entries, key=lambda entry: place.get(entry[0], len(place)))
        sheets = "".join(
            f'<sheet name="{name.replace("&", "&amp;")}" sheetId="{i}" r:id="rId{i}"/>'
            for i, (_key, name, _member) in enumerate(entries, start=1)
        )
        relations = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/worksheet" Target="{member.removeprefix("xl/")}"/>'
            for i, (_key, _name, member) in enumerate(entries, start=1)
        )
        count = len(entries)
        overrides = "".join(
            f'<Override PartName="/{member}" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for _key, _name, member in entries
        )
        parts = {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://'
                'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
                'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType='
                '"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                f"{overrides}</Types>"
            ),
            "_rels/.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
                '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
                'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
            ),
            "xl/workbook.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http:'
                '//schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
                'openxmlformats.org/officeDocument/2006/relationships">'
                f"<sheets>{sheets}</sheets></workbook>"
            ),
            "xl/_rels/workbook.xml.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
                f'"http://schemas.openxmlformats.org/package/2006/relationships">{relations}'
                f'<Relationship Id="rId{count + 1}" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>'
            ),
            "xl/styles.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http:'
                '//schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1">'
                '<numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><fonts count="2">'
                '<font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/>'
                '<name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill '
                'patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
                '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/>'
                '</border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" '
                'fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" '
                'fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" '
                'fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" '
                'fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
                "</cellStyles></styleSheet>"
            ),
        }
        for name, text in parts.items():
            self.zip.writestr(name, text)
        self.zip.close()

    def abort(self) -> None:
        try:
            self.zip.close()
        except Exception:
            pass


# -- the exports ----------------------------------------------------------------------------
class ExportOptions(TypedDict, total=False):
    """The keywords of both exports: the area (default: the file's own), the period
    (default: this year), whether NIKs are written whole, and the progress to report to."""

    area: str | None
    period: service.Period | None
    reveal_nik: bool
    progress: Progress | None


@dataclass(frozen=True, slots=True)
class _Export:
    """One export under way: what it covers and where its progress goes."""

    session: Session
    area: str
    period: service.Period
    reveal_nik: bool
    progress: Progress

    @property
    def steps(self) -> int:
        return len(SHEETS) + 1  # the Rekap, then each table

    def tables(self, keys: Iterable[str] | None = None
               ) -> Iterator[tuple[int, Sheet, Generator[list[Any], None, None]]]:
        """Each table's sheet (of ``keys``, default all) with its rows, numbered from 1 as
        in :data:`SHEETS` (the progress step)."""
        wanted = None if keys is None else set(keys)
        for number, sheet in enumerate(SHEETS, start=1):
            if wanted is None or sheet.key in wanted:
                yield number, sheet, _rows(self.session, sheet, self.area, self.period,
                                           self.reveal_nik)

    def result(self, path: Path, counts: dict[str, int]) -> ExportResult:
        """The export written: its audit line (and the reveal line), and what it holds."""
        _audit(self.session, path, counts, self.reveal_nik)
        return ExportResult(path, counts, self.reveal_nik, self.period, self.area)


def _prepare(session: Session, options: ExportOptions) -> _Export:
    code = service.resolve_area(session, options.get("area"))
    return _Export(session, code, options.get("period") or service.year_period(
        clock.today().year), options.get("reveal_nik", False),
        options.get("progress") or no_progress())


def _audit(session: Session, path: Path, rows: dict[str, int], reveal_nik: bool) -> None:
    db = session.db()
    actor = _("Officer")
    with db.atomic():
        detail = f"{path.name}: " + ", ".join(f"{k} {v}" for k, v in rows.items())
        detail += f"; nik {'full' if reveal_nik else 'masked'}"
        audit.record(db, "export", "receiver", None, actor=actor, detail=detail)
        if reveal_nik:
            audit.record(db, "reveal", "members", None, actor=actor, detail=f"export {path.name}")


def _unwritable(path: Path, exc: OSError) -> KtError:
    return KtError(
        _("{file} cannot be written: {reason}").format(file=path, reason=reason_text(exc)),
        code="unwritable",
    )


def export_xlsx(session: Session, path: str | Path, **options: Unpack[ExportOptions]
                ) -> ExportResult:
    """Write the workbook (the Rekap sheet first, then one sheet per table)."""
    path = Path(path)
    if path.suffix.casefold() != ".xlsx":
        raise KtError(
            _("Choose a file name ending in .xlsx (not {name}).").format(name=path.name),
            code="unknown_format",
        )
    job = _prepare(session, options)
    partial = path.with_name(f".{path.name}.part")
    counts: dict[str, int] = {}
    with written_whole(path, lambda exc: _unwritable(path, exc), partial=partial):
        writer = XlsxWriter(partial)
        try:
            _fill_workbook(job, writer, counts)
        except BaseException:
            writer.abort()
            raise
    return job.result(path, counts)


def _fill_workbook(job: _Export, writer: XlsxWriter, counts: dict[str, int]) -> None:
    """The workbook's sheets, written and closed (``counts``: the rows of each table).

    A large one (:data:`PARALLEL_MIN_RECORDS`) has :data:`HELPER_SHEETS` written by a
    helper process meanwhile; if the helper fails, they are written here after all.
    """
    progress, steps = job.progress, job.steps
    progress.step(0, steps, _("Counting the totals…"))
    totals = service.totals(job.session, job.period, job.area)
    summary = _summary_rows(service.reporting_table(job.session, job.period, job.area),
                            totals, job.period)
    helper = (_Helper.start(job, writer.path)
              if _records(totals.all) >= PARALLEL_MIN_RECORDS else None)
    try:
        widths = (34, *([11] * 16))
        writer.write_sheet(SUMMARY_TITLE, [Column("", NUMBER, w) for w in widths], summary,
                           header=False, key=SUMMARY_KEY)
        own = [sheet.key for sheet in SHEETS
               if helper is None or sheet.key not in HELPER_SHEETS]
        _write_tables(job, writer, counts, own)
        if helper is not None:
            done = helper.wait(progress, steps, after=max(
                number for number, sheet in enumerate(SHEETS, start=1) if sheet.key in own))
            if done is None:
                log.warning("the workbook's helper process failed; its sheets are written here")
                _write_tables(job, writer, counts, HELPER_SHEETS)
            else:
                parts, written = done
                for part in parts:
                    writer.adopt(part)
                counts.update(written)
    finally:
        if helper is not None:
            helper.stop()
    in_order = {sheet.key: counts[sheet.key] for sheet in SHEETS if sheet.key in counts}
    counts.clear()
    counts.update(in_order)
    progress.step(steps, steps, _("Saving the workbook…"))
    writer.close(order=(SUMMARY_KEY, *(sheet.key for sheet in SHEETS)))


def _write_tables(job: _Export, writer: XlsxWriter, counts: dict[str, int],
                  keys: Iterable[str]) -> None:
    """The sheets of the tables ``keys``, written here with their progress."""
    progress, steps = job.progress, job.steps
    for number, sheet, rows in job.tables(keys):
        progress.step(number, steps, _writing(sheet))
        try:
            counts[sheet.key] = writer.write_sheet(
                sheet.title, sheet.columns, rows,
                tick=lambda done, n=number, s=sheet: progress.step(n, steps, _writing(s, done)),
                key=sheet.key,
            )
        finally:
            rows.close()  # a cancel amid the rows: its query's cursor closed now


def _writing(sheet: Sheet, done: int | None = None) -> str:
    """The progress text of a sheet being written (with its rows written so far)."""
    label = _("Writing the sheet {sheet}…").format(sheet=sheet.title)
    return label if done is None else f"{label} {formats.number(done)}"


# -- the helper process of a large workbook -------------------------------------------------
#: A workbook of at least this many records (members on the register and activities carried
#: out, from the Rekap's totals) has some of its sheets written by a helper process, on the
#: second core: rendering the cells is Python's work, one core a process. Below it, starting
#: the process (a second or two) would cost more than it saves.
PARALLEL_MIN_RECORDS = 150_000
#: The tables the helper writes: about half the work of a province's year (Jawa Tengah,
#: 8,563 villages: the 4.35 million beneficiary cells, the follow-ups and the trainings
#: beside the members, activities and participants written here).
HELPER_SHEETS = ("beneficiaries", "trainings", "outcomes")
SUMMARY_KEY = "summary"


def _records(figures: service.Figures) -> int:
    return figures.members_male + figures.members_female + figures.activity_count


@dataclass(frozen=True, slots=True)
class _HelperTask:
    """What the helper process writes, and where (everything it needs, picklable)."""

    data: str
    own: str
    area: str
    period: service.Period
    reveal_nik: bool
    keys: tuple[str, ...]
    folder: str
    language: str


def _helper_main(task: _HelperTask, results: Any, rows_done: Any, sheet_at: Any) -> None:
    """The helper process: write the task's sheets into its folder, send what they are.

    It reads through a connection of its own (SQLite's write-ahead log lets it read beside
    the session). On any failure it sends nothing and the exporting process writes those
    sheets itself, so an error (a full disk) is reported there as without the helper.
    """
    i18n.set_language(task.language)
    db = connection.connect(task.data)
    try:
        writer = _DeflatedSheets(Path(task.folder))
        counts: dict[str, int] = {}
        for index, sheet in enumerate(SHEETS):
            if sheet.key not in task.keys:
                continue
            sheet_at.value, rows_done.value = index, 0
            rows = _table_rows(db, task.own, sheet, task.area, task.period, task.reveal_nik)
            try:
                counts[sheet.key] = writer.write_sheet(
                    sheet.title, sheet.columns, rows, key=sheet.key,
                    tick=lambda done: setattr(rows_done, "value", done))
            finally:
                rows.close()
        results.send((writer.parts, counts))
    finally:
        db.close()
        results.close()


class _Helper:
    """The helper process writing :data:`HELPER_SHEETS` of a large workbook (``spawn``,
    as Windows starts one; its files in a hidden folder beside the workbook)."""

    def __init__(self, job: _Export, folder: Path) -> None:
        context = multiprocessing.get_context("spawn")
        self.folder = folder
        self._rows_done = context.Value("q", 0, lock=False)
        self._sheet_at = context.Value("i", -1, lock=False)
        self._results, sender = context.Pipe(duplex=False)
        task = _HelperTask(str(job.session.path), job.session.code, job.area, job.period,
                           job.reveal_nik, HELPER_SHEETS, str(folder), i18n.language())
        self._process = context.Process(
            target=_helper_main, args=(task, sender, self._rows_done, self._sheet_at),
            name="kt-xlsx-helper", daemon=True)
        self._process.start()
        sender.close()

    @classmethod
    def start(cls, job: _Export, beside: Path) -> _Helper:
        folder = Path(tempfile.mkdtemp(prefix=f".{beside.name}.", dir=beside.parent))
        try:
            return cls(job, folder)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise

    def wait(self, progress: Progress, steps: int, after: int
             ) -> tuple[list[DeflatedSheet], dict[str, int]] | None:
        """The helper's sheets once written (None: it failed), showing its progress (and
        raising :class:`~kt_desktop.services.progress.Cancelled`) meanwhile; the bar stays
        at step ``after`` (this process's last sheet) or beyond."""
        while not self._results.poll(0.2):
            if not self._process.is_alive() and not self._results.poll():
                return None
            at = self._sheet_at.value
            if at >= 0:
                progress.step(max(at + 1, after), steps,
                              _writing(SHEETS[at], self._rows_done.value))
        try:
            result = self._results.recv()
        except (EOFError, OSError):
            return None
        return result if isinstance(result, tuple) else None

    def stop(self) -> None:
        """End the process if it still runs (a cancel, an error here); remove its files."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(10)
        self._results.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def _csv_value(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == DATE and isinstance(value, str) and len(value) >= 10 and value[4] == "-":
        return f"{value[8:10]}/{value[5:7]}/{value[:4]}"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(neutralize(value)) if isinstance(value, str) else str(value)


def _write_csv(handle: TextIO, columns: Sequence[Column], rows: Iterable[Sequence[Any]],
               tick: Callable[[int], None] | None = None) -> int:
    writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
    writer.writerow([column.header for column in columns])
    kinds = [column.kind for column in columns]
    count = 0
    for row in rows:
        writer.writerow([_csv_value(value, kinds[i]) for i, value in enumerate(row)])
        count += 1
        if tick is not None and count % PROGRESS_EVERY == 0:
            tick(count)
    return count


def export_csv(session: Session, folder: str | Path, **options: Unpack[ExportOptions]
               ) -> ExportResult:
    """Write one CSV per table (and two of the Rekap) into ``folder`` (made if missing).

    Semicolon-separated, UTF-8 with BOM, dates ``dd/mm/yyyy``, decimal comma: what Excel
    with Indonesian regional settings opens without an import dialog.
    """
    folder = Path(folder)
    job = _prepare(session, options)
    progress, steps = job.progress, job.steps
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _unwritable(folder, exc) from exc
    counts: dict[str, int] = {}

    def write(name: str, fill: Callable[[TextIO], int]) -> int:
        target = folder / name
        with written_whole(target, lambda exc: _unwritable(target, exc),
                           partial=folder / f".{name}.part") as partial, partial.open(
                "w", encoding="utf-8-sig", newline="") as handle:
            return fill(handle)

    progress.step(0, steps, _("Counting the totals…"))
    table = service.reporting_table(session, job.period, job.area)
    totals = service.totals(session, job.period, job.area)
    months = [table.month_label(i) for i in range(len(table.months))]
    write(SUMMARY_FILES[0], lambda h: _write_csv(
        h, [Column(t) for t in ("Wilayah", "Desa/Kel.", "Terdaftar", *months, "Pernah melapor")],
        [[r.name, r.villages, r.enrolled, *r.by_month, r.in_period]
         for r in (*table.rows, table.total)]))
    write(SUMMARY_FILES[1], lambda h: _write_csv(
        h, [Column(t) for t in REGION_HEADERS],
        [*(region_cells(name, f) for _c, name, f in totals.by_region),
         region_cells("Jumlah", totals.all)]))
    for number, sheet, rows in job.tables():
        progress.step(number, steps, _("Writing {file}…").format(file=sheet.file_name))
        counts[sheet.key] = write(sheet.file_name, lambda h, s=sheet, r=rows: _write_csv(
            h, s.columns, r))
    progress.step(steps, steps, _("Done."))
    return job.result(folder, counts)
