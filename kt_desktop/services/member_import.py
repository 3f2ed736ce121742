"""Importing members from the spreadsheets secretaries already keep (.xlsx, .csv).

The flow, shared by the import dialog and ``kt-desktop members import``:

1. :func:`read_table` reads the file whole into memory as text-ish cells (xlsx through
   openpyxl's read-only mode; csv with the separator sniffed and the encoding tried as UTF-8,
   with or without BOM, then Windows-1252), finding the header row below any title rows.
2. :func:`detect_mapping` recognises Indonesian (and English) headers; the caller may pass
   its own mapping for the columns that were not recognised.
3. :func:`preview` turns every row into a :class:`RowResult` with its problems, without
   writing anything; rows whose NIK is already in the register are *existing* and are updated
   or skipped as the caller chose.
4. :func:`commit` writes the valid rows in ONE transaction, reporting progress; a cancel
   rolls everything back. :func:`save_rejects` writes the refused rows with an "Alasan"
   column, to fix and import again.

Spreadsheet cells arrive in every shape: dates as text in three orders, Indonesian month
names, Excel serial numbers or real date cells; NIKs as text or, fatally, as numbers Excel
rounded. Each parser below names what it could not read and how to fix it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kt_desktop.domain import clock
from kt_desktop.domain import nik as nik_rules
from kt_desktop.domain.errors import KtError, ValidationError, reason_text
from kt_desktop.domain.formats import number as format_number
from kt_desktop.domain.members import (
    CONSENT_AGE,
    SEKSI_POSITIONS,
    AgeRule,
    Member,
    MemberRef,
    RuleContext,
    check,
    fill_from_nik,
    normalize,
    normalize_phone,
)
from kt_desktop.i18n import N_, _
from kt_desktop.services import opensid
from kt_desktop.services.members import require_village, rule_context
from kt_desktop.services.progress import Progress, no_progress
from kt_desktop.services.session import Session
from kt_desktop.store import audit
from kt_desktop.store import members as store

SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt")
REASON_HEADER = "Alasan"
HEADER_SCAN_ROWS = 15
EXISTING_CHOICES = ("skip", "update")


# -- fields and their headers -------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ImportField:
    """A column the importer understands: its key, its label, its canonical Indonesian header
    (what exports write) and the other headers it is known by (normalised: lower case,
    letters and digits only)."""

    key: str
    label: str  # English msgid, shown through _()
    header: str
    synonyms: tuple[str, ...] = ()


FIELDS: tuple[ImportField, ...] = (
    ImportField("name", N_("Full name"), "Nama Lengkap",
                ("nama", "namalengkap", "namaanggota", "name", "fullname")),
    ImportField("nik", N_("NIK"), "NIK",
                ("nik", "noktp", "nomorktp", "nonik", "nomornik", "niknoktp", "nomorindukkependudukan", "ktp")),
    ImportField("nik_missing_reason", N_("Reason there is no NIK"), "Alasan Tanpa NIK",
                ("alasantanpanik", "alasannikkosong", "keterangannik")),
    ImportField("birth_place", N_("Place of birth"), "Tempat Lahir",
                ("tempatlahir", "tmplahir", "tmptlahir", "placeofbirth", "birthplace", "tempatlhr")),
    ImportField("birth_date", N_("Date of birth"), "Tanggal Lahir",
                ("tanggallahir", "tgllahir", "tgllhr", "tanggallhr", "dateofbirth", "birthdate", "lahir",
                 "tgllahirddmmyyyy", "tanggallahirddmmyyyy")),
    ImportField("birth_place_date", N_("Place and date of birth"), "Tempat, Tanggal Lahir",
                ("ttl", "tempattanggallahir", "tempattgllahir", "tempatdantanggallahir", "tempattgllhr")),
    ImportField("sex", N_("Sex (L/P)"), "L/P",
                ("lp", "jeniskelamin", "jk", "kelamin", "jeniskelaminlp", "sex", "gender", "sexid",
                 "jeniskelamin12", "shdkjeniskelamin")),
    ImportField("religion", N_("Religion"), "Agama", ("agama", "religion", "agamaid")),
    ImportField("dusun", N_("Dusun / kampung"), "Dusun",
                ("dusun", "kampung", "dukuh", "lingkungan", "kp", "dusunkampung", "namadusun",
                 "dusunlingkungan", "kampungdusun", "dusunid")),
    ImportField("rt", N_("RT"), "RT", ("rt",)),
    ImportField("rw", N_("RW"), "RW", ("rw",)),
    ImportField("rt_rw", N_("RT/RW"), "RT/RW", ("rtrw",)),
    ImportField("address", N_("Address"), "Alamat",
                ("alamat", "alamatlengkap", "jalan", "address", "alamatrumah", "alamatkampung",
                 "alamatkp", "alamatjalan", "alamatjalankampung", "alamatdusun")),
    ImportField("education", N_("Education"), "Pendidikan Terakhir",
                ("pendidikan", "pendidikanterakhir", "pendidikanterakhirnya", "education",
                 "pendidikankkid", "pendidikankk", "pendidikandalamkk", "pendidikanakhir")),
    ImportField("occupation", N_("Occupation"), "Pekerjaan",
                ("pekerjaan", "profesi", "occupation", "job", "pekerjaanid", "jenispekerjaan")),
    ImportField("phone", N_("Phone number"), "No. HP",
                ("nohp", "hp", "telepon", "telp", "notelp", "notelepon", "nomorhp", "nomortelepon",
                 "nowa", "wa", "whatsapp", "nohpwa", "nomorwa", "phone", "handphone", "kontak")),
    ImportField("skills", N_("Skills"), "Keterampilan",
                ("keterampilan", "ketrampilan", "keahlian", "skill", "skills", "bakat")),
    ImportField("disability", N_("Disability (yes/no)"), "Disabilitas",
                ("disabilitas", "penyandangdisabilitas", "difabel", "disability")),
    ImportField("disability_kind", N_("Kind of disability"), "Jenis Disabilitas",
                ("jenisdisabilitas", "jenisdifabel", "cacatid", "cacat", "jeniscacat")),
    ImportField("status", N_("Membership status"), "Status",
                ("status", "statuskeanggotaan", "statusanggota", "keaktifan")),
    ImportField("left_on", N_("Date left"), "Tanggal Keluar", ("tanggalkeluar", "tglkeluar")),
    ImportField("left_reason", N_("Reason for leaving"), "Alasan Keluar", ("alasankeluar",)),
    ImportField("joined_on", N_("Date joined"), "Tanggal Bergabung",
                ("tanggalbergabung", "tglbergabung", "tglmasuk", "tanggalmasuk", "bergabung",
                 "mulaibergabung", "tahunmasuk")),
    ImportField("position", N_("Position"), "Jabatan",
                ("jabatan", "jabatanpengurus", "jabatandikepengurusan", "position")),
    ImportField("seksi", N_("Seksi"), "Seksi", ("seksi", "bidang")),
    ImportField("position_start", N_("Position from"), "Jabatan Mulai",
                ("jabatanmulai", "mulaijabatan", "awaljabatan")),
    ImportField("position_end", N_("Position until"), "Jabatan Sampai",
                ("jabatansampai", "akhirjabatan", "jabatanberakhir")),
    ImportField("guardian_name", N_("Parent/guardian who consented"), "Nama Orang Tua/Wali",
                ("namaorangtuawali", "namaorangtua", "namawali", "orangtuawali", "wali", "orangtua")),
    ImportField("guardian_relation", N_("Relation of the guardian"), "Hubungan Wali",
                ("hubunganwali", "hubungan", "hubungandengananggota")),
    ImportField("consent_on", N_("Date of consent"), "Tanggal Persetujuan",
                ("tanggalpersetujuan", "tglpersetujuan", "tanggalizin", "tglizin")),
    ImportField("notes", N_("Notes"), "Keterangan", ("keterangan", "catatan", "ket", "notes")),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
#: Headers of row-number columns, which are ignored without being called "unknown".
_ROW_NUMBER_HEADERS = {"no", "nomor", "nourut", "number", "nr"}


def _norm_header(text: object) -> str:
    return re.sub(r"[^0-9a-z]", "", str(text or "").casefold())


_SYNONYMS = {syn: f.key for f in FIELDS for syn in (*f.synonyms, _norm_header(f.header))}


def field_for_header(header: object) -> str:
    """The field a header means ("" when unknown)."""
    key = _norm_header(header)
    if not key:
        return ""
    if key in _SYNONYMS:
        return _SYNONYMS[key]
    if key.startswith("nik") or key.startswith("noktp"):
        return "nik"
    if key.startswith("nama") and not any(w in key for w in ("orangtua", "wali", "ayah", "ibu")):
        return "name"
    if "lahir" in key and "tempat" in key:
        return "birth_place_date" if ("tgl" in key or "tanggal" in key) else "birth_place"
    if key.startswith("tgllahir") or key.startswith("tanggallahir"):
        return "birth_date"
    if key.startswith("jeniskelamin"):
        return "sex"
    if key.startswith("nohp") or key.startswith("telp") or key.startswith("telepon"):
        return "phone"
    return ""


# -- reading files -------------------------------------------------------------------------
@dataclass(slots=True)
class SourceRow:
    line: int  # the row's number as the spreadsheet program shows it (1-based)
    cells: list[Any]


@dataclass(slots=True)
class SourceTable:
    path: Path
    kind: str  # "xlsx" | "csv"
    headers: list[str]
    rows: list[SourceRow]
    header_line: int
    separator: str = ","
    encoding: str = ""
    #: The spreadsheet line of an OpenSID ``###`` end-of-data marker (0: none).
    end_marker_line: int = 0

    @property
    def layout(self) -> str:
        """``"opensid_template"``, ``"opensid_export"`` or ``""``: which known layout it is."""
        return detect_layout(self)


def _unreadable(path: Path, reason: str) -> KtError:
    return KtError(
        _("{file} cannot be read: {reason}").format(file=path.name, reason=reason),
        code="unreadable",
    )


# -- limits ---------------------------------------------------------------------------------
# A member list comes from anyone, so reading one is bounded: generous for a province's file
# (tens of thousands of members, some tens of columns), finite for a crafted one (a 2.9 MB
# .xlsx unpacked to 5.7 GB; a sheet claiming A1:XFD1048576 ran for 14 minutes).
MIB = 1024 * 1024
#: Data rows (blank rows not counted).
MAX_DATA_ROWS = 100_000
#: Columns in a row, counted to its last non-blank cell.
MAX_COLUMNS = 200
#: Rows times columns, once every row is made as wide as the widest.
MAX_CELLS = 5_000_000
#: Characters in one cell: the most Excel itself lets a cell hold.
MAX_CELL_CHARS = 32_767
#: A .csv file.
MAX_CSV_BYTES = 50 * MIB
#: An .xlsx file as stored, and what its parts unpack to.
MAX_XLSX_BYTES = 100 * MIB
MAX_XLSX_SHEET_BYTES = 256 * MIB  # one worksheet's XML (100,000 rows of 40 cells: ~160 MB)
MAX_XLSX_STRINGS_BYTES = 64 * MIB  # the shared strings, which openpyxl reads whole
MAX_XLSX_PART_BYTES = 32 * MIB  # styles, workbook and every other part
MAX_XLSX_TOTAL_BYTES = 512 * MIB
#: A part unpacking this many times its stored size is a zip bomb (DEFLATE cannot pass
#: ~1,030; a real sheet's XML stays well under 100), for parts over :data:`RATIO_FLOOR`.
MAX_XLSX_RATIO = 500
RATIO_FLOOR = 1 * MIB
#: Cells looked at while reading, blank ones included (a sheet can place one empty styled
#: cell in column XFD of every row: openpyxl then makes 16,384 cells of each row).
MAX_SCANNED_CELLS = 20_000_000
#: The first bytes of an OLE compound file (an old .xls, or an encrypted .xlsx).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _refused(path: Path, reason: str) -> KtError:
    """One sentence naming the file and the limit it passed; nothing was imported."""
    return KtError(
        _("{file} is refused as a precaution: {reason}. Nothing was imported.").format(
            file=path.name, reason=reason
        ),
        code="too_large",
    )


def _cell_too_long(path: Path, line: int, column: int | None) -> KtError:
    """A cell over :data:`MAX_CELL_CHARS`, named by row and (as the spreadsheet program
    shows it) column letter, when known."""
    from openpyxl.utils import get_column_letter

    if column is None:
        message = _(
            "{file}, row {line}: a cell holds more than {limit} characters, more than a "
            "spreadsheet cell can hold. Shorten it and import again."
        )
    else:
        message = _(
            "{file}, row {line}, column {column}: the cell holds more than {limit} characters, "
            "more than a spreadsheet cell can hold. Shorten it and import again."
        )
    return KtError(
        message.format(
            file=path.name, line=line, limit=format_number(MAX_CELL_CHARS),
            column=get_column_letter(column) if column else "",
        ),
        code="cell_too_long",
    )


class _Counter:
    """Counts what a reader has taken and refuses as soon as a limit is passed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows = 0
        self.cells = 0
        self.scanned = 0

    def scan(self, width: int) -> None:
        self.scanned += max(1, width)
        if self.scanned > MAX_SCANNED_CELLS:
            raise _refused(
                self.path,
                _("it has more than {limit} cells").format(limit=format_number(MAX_SCANNED_CELLS)),
            )

    def take(self, row: list[Any], line: int) -> list[Any]:
        """``row`` without its trailing blank cells, after checking it against the limits."""
        while row and _blank(row[-1]):
            row.pop()
        self.rows += 1
        if self.rows > MAX_DATA_ROWS:
            raise _refused(
                self.path,
                _("it has more than {limit} rows of data; split it into smaller files").format(
                    limit=format_number(MAX_DATA_ROWS)
                ),
            )
        if len(row) > MAX_COLUMNS:
            raise _refused(
                self.path,
                _("row {line} has more than {limit} columns").format(
                    line=line, limit=format_number(MAX_COLUMNS)
                ),
            )
        self.cells += len(row)
        if self.cells > MAX_CELLS:
            raise _refused(
                self.path, _("it has more than {limit} cells").format(limit=format_number(MAX_CELLS))
            )
        for index, value in enumerate(row):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise _cell_too_long(self.path, line, index + 1)
        return row


def read_table(path: str | Path) -> SourceTable:
    """Read the first sheet of an .xlsx or a .csv file; refusals name the file and the fix."""
    path = Path(path)
    suffix = path.suffix.casefold()
    if suffix == ".xls":
        raise _old_excel(path)
    if suffix not in SUPPORTED_SUFFIXES:
        raise KtError(
            _("{file} is not a spreadsheet KT Desktop can read: use an .xlsx or .csv file.")
            .format(file=path.name),
            code="unknown_format",
        )
    if not path.is_file():
        raise _unreadable(path, _("the file does not exist"))
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    return _read_csv(path)


def _old_excel(path: Path) -> KtError:
    return KtError(
        _(
            "{file} is an old Excel file (.xls). Open it in Excel and save it as "
            "\u201cExcel Workbook (.xlsx)\u201d, then import that file."
        ).format(file=path.name),
        code="unknown_format",
    )


def _header_index(rows: Sequence[Sequence[Any]]) -> int:
    """The header row: the first of the top rows naming at least two known fields."""
    best, best_score = 0, -1
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = sum(1 for cell in row if field_for_header(cell))
        if score >= 2:
            return index
        if score > best_score and any(str(c or "").strip() for c in row):
            best, best_score = index, score
    return best


def _build(path: Path, kind: str, raw_rows: list[list[Any]], lines: list[int], **extra: Any) -> SourceTable:
    if not raw_rows:
        raise _unreadable(path, _("it has no rows"))
    head = _header_index(raw_rows)
    header_cells = raw_rows[head]
    width = max(len(r) for r in raw_rows[head:])
    if width * (len(raw_rows) - head) > MAX_CELLS:
        raise _refused(path, _("it has more than {limit} cells").format(limit=format_number(MAX_CELLS)))
    headers = [
        (str(header_cells[i]).strip() if i < len(header_cells) and header_cells[i] is not None else "")
        for i in range(width)
    ]
    # Drop trailing columns that have neither a header nor any value.
    while headers and not headers[-1]:
        last = len(headers) - 1
        if any(last < len(r) and not _blank(r[last]) for r in raw_rows[head + 1:]):
            break
        headers.pop()
    end = len(raw_rows)
    for i in range(head + 1, len(raw_rows)):
        if any(_is_end_marker(cell) for cell in raw_rows[i][:2]):
            end = i  # OpenSID's template: "###" ends the data; instructions follow it
            extra["end_marker_line"] = lines[i]
            break
    rows = [
        SourceRow(lines[i], list(raw_rows[i][: len(headers)]) + [None] * (len(headers) - len(raw_rows[i])))
        for i in range(head + 1, end)
    ]
    return SourceTable(path, kind, headers, rows, header_line=lines[head], **extra)


END_MARKER = "###"


def _is_end_marker(value: Any) -> bool:
    return isinstance(value, str) and value.strip() == END_MARKER


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_xlsx_container(path: Path) -> None:
    """Refuse, before openpyxl opens it, what is no workbook or would unpack too far.

    The sizes a zip's directory declares are the ones :mod:`zipfile` holds a part to when
    reading it, so checking them here bounds what opening can unpack.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(len(OLE_MAGIC))
            if head == OLE_MAGIC:
                # An encrypted workbook is an OLE file holding an "EncryptedPackage" stream
                # (its directory names it in UTF-16); any other OLE file is an old .xls.
                data = handle.read(MAX_XLSX_BYTES)
                name = "EncryptedPackage"
                if name.encode("utf-16-le") in data or name.encode("ascii") in data:
                    raise KtError(
                        _(
                            "{file} is protected with a password (dilindungi kata sandi). "
                            "Open it in Excel, remove the password (File \u203a Info \u203a "
                            "Protect Workbook), save it and import it again."
                        ).format(file=path.name),
                        code="password_protected",
                    )
                raise _old_excel(path)
    except OSError as exc:
        raise _unreadable(path, reason_text(exc)) from exc
    if size > MAX_XLSX_BYTES:
        raise _refused(
            path, _("the file is larger than {limit} MB").format(limit=MAX_XLSX_BYTES // MIB)
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _unreadable(
            path, _("it is not a valid .xlsx file ({error})").format(error=reason_text(exc))
        ) from exc
    total = 0
    for info in infos:
        name = info.filename.casefold()
        if name.startswith("xl/worksheets/"):
            limit = MAX_XLSX_SHEET_BYTES
        elif name == "xl/sharedstrings.xml":
            limit = MAX_XLSX_STRINGS_BYTES
        else:
            limit = MAX_XLSX_PART_BYTES
        total += info.file_size
        if info.file_size > limit or total > MAX_XLSX_TOTAL_BYTES:
            raise _refused(
                path,
                _("its part {part} would unpack to more than {limit} MB").format(
                    part=info.filename, limit=min(limit, MAX_XLSX_TOTAL_BYTES) // MIB
                )
                if info.file_size > limit
                else _("its parts would unpack to more than {limit} MB").format(
                    limit=MAX_XLSX_TOTAL_BYTES // MIB
                ),
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_XLSX_RATIO * max(
            1, info.compress_size
        ):
            raise _refused(
                path,
                _(
                    "its part {part} unpacks to more than {ratio} times its stored size, "
                    "as a zip bomb does"
                ).format(part=info.filename, ratio=MAX_XLSX_RATIO),
            )


def _damaged_xlsx(path: Path, exc: BaseException) -> KtError:
    """An .xlsx openpyxl could not read; XML entity declarations (billion laughs, XXE), which
    defusedxml refuses, are named as such."""
    from defusedxml import DefusedXmlException

    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, DefusedXmlException):
        cause = cause.__cause__ or cause.__context__  # openpyxl wraps it in a ValueError
    if cause is not None:
        return _unreadable(
            path,
            _(
                "it holds XML entity or DTD declarations, which a spreadsheet program does "
                "not write and which can make a file act on the computer; it was not opened"
            ),
        )
    return _unreadable(path, _("it is not a valid .xlsx file ({error})").format(error=reason_text(exc)))


def _read_xlsx(path: Path) -> SourceTable:
    _check_xlsx_container(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise _unreadable(path, reason_text(exc)) from exc
    # openpyxl reads from our handle, so a refusal half-way through opening still closes it.
    with handle:
        raw_rows, lines = _xlsx_rows(path, handle)
    return _build(path, "xlsx", raw_rows, lines)


def _xlsx_rows(path: Path, handle: Any) -> tuple[list[list[Any]], list[int]]:
    """The non-blank rows of the first sheet, and their row numbers, within the limits."""
    import openpyxl  # only when an .xlsx is imported; it parses with defusedxml when present
    from defusedxml import DefusedXmlException

    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError) as exc:
        # SyntaxError: xml.etree's ParseError; ValueError: defusedxml's refusals among others.
        raise _damaged_xlsx(path, exc) from exc
    counter = _Counter(path)
    raw_rows: list[list[Any]] = []
    lines: list[int] = []
    line = 0
    try:
        # OpenSID's template keeps the residents in "Data Penduduk" beside sheets of codes.
        named = [ws for ws in workbook.worksheets if ws.title.strip().casefold() == "data penduduk"]
        sheet = named[0] if named else (workbook.active or workbook.worksheets[0])
        # openpyxl pads every row to the dimension the sheet *declares*: A1:XFD1048576 meant
        # a billion cells. Forget it; the rows come as the XML has them.
        sheet.reset_dimensions()
        for line, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            counter.scan(len(row) if row else 0)
            if row is None or all(_blank(v) for v in row):
                continue
            raw_rows.append(counter.take(list(row), line))
            lines.append(line)
    except KtError:
        raise
    except (ValueError, TypeError, OverflowError, KeyError, IndexError, SyntaxError,
            zipfile.BadZipFile) as exc:
        if isinstance(exc, DefusedXmlException | zipfile.BadZipFile | SyntaxError) or (
            isinstance(exc.__context__, DefusedXmlException)
        ):
            raise _damaged_xlsx(path, exc) from exc
        raise _unreadable(
            path,
            _(
                "row {line} has a cell whose stored value does not fit its type (for example "
                "text in a number cell); retype that row in the spreadsheet program"
            ).format(line=line + 1),
        ) from exc
    finally:
        workbook.close()
    return raw_rows, lines


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


#: How each encoding :func:`_decode` may choose is named to the secretary.
_ENCODING_NAMES = {"cp1252": "Windows-1252", "latin-1": "Latin-1 (ISO-8859-1)"}


def encoding_note(table: SourceTable) -> str:
    """A line for the import summary when a .csv was not UTF-8 ("" when it was)."""
    name = _ENCODING_NAMES.get(table.encoding)
    if not name:
        return ""
    return _(
        "{file} is not UTF-8 text; it was read as {encoding}. Check that letters such as "
        "\u00e9 look right, or save it from the spreadsheet program as \u201cCSV UTF-8\u201d."
    ).format(file=table.path.name, encoding=name)


def _sniff_separator(text: str) -> str:
    """``;`` (Indonesian Excel), ``,`` or tab: the one that splits the first lines alike."""
    sample = [line for line in text.splitlines()[:20] if line.strip()]
    best, best_score = ",", (0, 0)
    for candidate in (";", ",", "\t"):
        try:
            widths = [len(row) for row in csv.reader(sample, delimiter=candidate)]
        except csv.Error:  # e.g. a field over the csv module's limit: refused when read
            continue
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        score = (widths.count(common) if common > 1 else 0, common)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _read_csv(path: Path) -> SourceTable:
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise _refused(
                path, _("the file is larger than {limit} MB").format(limit=MAX_CSV_BYTES // MIB)
            )
        with path.open("rb") as handle:
            data = handle.read(MAX_CSV_BYTES + 1)
    except OSError as exc:
        raise _unreadable(path, reason_text(exc)) from exc
    if len(data) > MAX_CSV_BYTES:
        raise _refused(
            path, _("the file is larger than {limit} MB").format(limit=MAX_CSV_BYTES // MIB)
        )
    if data.startswith(b"PK\x03\x04"):
        raise _unreadable(path, _("it is an Excel workbook: give it the .xlsx extension"))
    if data.startswith(OLE_MAGIC):
        raise _unreadable(path, _("it is an Excel workbook, not CSV text"))
    text, encoding = _decode(path, data)
    del data
    separator = _sniff_separator(text)
    counter = _Counter(path)
    raw_rows, lines = [], []
    line = 0
    try:
        for line, row in enumerate(csv.reader(io.StringIO(text), delimiter=separator), start=1):
            counter.scan(len(row))
            if all(_blank(v) for v in row):
                continue
            raw_rows.append(counter.take(row, line))
            lines.append(line)
    except csv.Error as exc:
        if "field limit" in str(exc):  # the csv module's own cap, 131,072 characters
            raise _cell_too_long(path, line + 1, None) from exc
        raise _unreadable(
            path,
            _("row {line} is not valid CSV text; check the quotation marks on it").format(
                line=line + 1
            ),
        ) from exc
    return _build(path, "csv", raw_rows, lines, separator=separator, encoding=encoding)


# -- reading cells ------------------------------------------------------------------------------
_MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "ags": 8, "agt": 8, "agust": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}
_DMY = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_D_MONTH_Y = re.compile(r"^(\d{1,2})[\s\-/.]*([^\W\d_]+)\.?[\s\-/.,]*(\d{2}|\d{4})$")
_SERIAL = re.compile(r"^\d{4,5}(?:[.,]0+)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class CellError(ValueError):
    """A cell that cannot be read; the message says what to write instead."""


def _bad_date(text: str) -> CellError:
    return CellError(
        _(
            "\u201c{text}\u201d is not a date: write it as 17/08/2001, 17-08-2001, 2001-08-17 "
            "or 17 Agustus 2001."
        ).format(text=text)
    )


def _make_date(year: int, month: int, day: int, text: str) -> dt.date:
    if year < 100:
        raise CellError(
            _("\u201c{text}\u201d has a 2-digit year: write the year with 4 digits (2001).")
            .format(text=text)
        )
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise _bad_date(text) from exc


def parse_date(value: Any) -> dt.date | None:
    """A date from a cell: a date/datetime cell, an Excel serial number, or text."""
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466 and float(value).is_integer():
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise _bad_date(str(value))
    text = " ".join(str(value).split())
    if _SERIAL.match(text):
        return _EXCEL_EPOCH + dt.timedelta(days=int(re.split(r"[.,]", text)[0]))
    if match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
        return _make_date(year, month, day, text)
    if match := _YMD.match(text):
        year, month, day = (int(g) for g in match.groups())
        return _make_date(year, month, day, text)
    if match := _D_MONTH_Y.match(text):
        month_word = match.group(2).casefold()
        if month_word not in _MONTHS:
            raise _bad_date(text)
        return _make_date(int(match.group(3)), _MONTHS[month_word], int(match.group(1)), text)
    raise _bad_date(text)


def cell_text(value: Any) -> str:
    """A cell as text: integral numbers without ".0", dates as dd/mm/yyyy, a leading
    apostrophe that neutralised a formula (our own exports) removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        text = text[1:]
    return text


_SEX_WORDS = {
    "l": "L", "lk": "L", "laki": "L", "lakilaki": "L", "pria": "L", "m": "L", "male": "L",
    "cowok": "L",
    "p": "P", "pr": "P", "perempuan": "P", "wanita": "P", "w": "P", "f": "P", "female": "P",
    "cewek": "P",
}
_RELIGION_WORDS = {
    "islam": "islam", "moslem": "islam", "muslim": "islam",
    "kristen": "kristen", "kristenprotestan": "kristen", "protestan": "kristen",
    "christian": "kristen",
    "katolik": "katolik", "katholik": "katolik", "kristenkatolik": "katolik", "catholic": "katolik",
    "hindu": "hindu",
    "buddha": "buddha", "budha": "buddha", "budhha": "buddha", "buddhist": "buddha",
    "khonghucu": "khonghucu", "konghucu": "khonghucu", "konghuchu": "khonghucu",
    "confucian": "khonghucu",
    "kepercayaan": "kepercayaan", "kepercayaanterhadaptuhanyme": "kepercayaan",
    "kepercayaanterhadaptuhanyangmahaesa": "kepercayaan", "penghayatkepercayaan": "kepercayaan",
}
_EDUCATION_WORDS = {
    "tidaksekolah": "belum_sekolah", "belumsekolah": "belum_sekolah",
    "tidakbelumsekolah": "belum_sekolah", "tidaktamatsd": "belum_sekolah", "belumtamatsd": "belum_sekolah",
    "tidaksekolahbelumsekolah": "belum_sekolah",
    "sd": "sd", "mi": "sd", "sdmi": "sd", "sdsederajat": "sd", "tamatsd": "sd", "paketa": "sd",
    "smp": "smp", "mts": "smp", "sltp": "smp", "smpmts": "smp", "smpsederajat": "smp", "paketb": "smp",
    "sma": "sma", "smk": "sma", "ma": "sma", "slta": "sma", "smasmk": "sma", "smasmkma": "sma",
    "smasederajat": "sma", "smasmksederajat": "sma", "paketc": "sma", "stm": "sma", "smea": "sma",
    "d1": "diploma", "d2": "diploma", "d3": "diploma", "diploma": "diploma", "diplomad1d3": "diploma",
    "d1d3": "diploma",
    "s1": "s1", "d4": "s1", "s1d4": "s1", "sarjana": "s1",
    "s2": "s2", "magister": "s2", "s3": "s3", "doktor": "s3",
    # Short forms OpenSID's own importer also takes (Dukcapil's labels come from opensid.py).
    "tidakblmsekolah": "belum_sekolah", "tidaktamatsdsederajat": "belum_sekolah",
    "akademidiplomaiiisarjanamuda": "diploma", "diplomaiii": "diploma", "diplomaiv": "s1",
}
_STATUS_WORDS = {
    "aktif": "aktif", "active": "aktif", "pasif": "pasif", "passive": "pasif", "tidakaktif": "pasif",
    "keluar": "keluar", "left": "keluar", "berhenti": "keluar",
}
_LEAVE_WORDS = {
    "pindah": "pindah", "pindahdomisili": "pindah", "meninggal": "meninggal",
    "meninggaldunia": "meninggal", "wafat": "meninggal", "mengundurkandiri": "mengundurkan_diri",
    "mundur": "mengundurkan_diri", "diberhentikan": "diberhentikan", "dipecat": "diberhentikan",
}
_POSITION_WORDS = {
    "ketua": "ketua", "ketuaumum": "ketua", "wakilketua": "wakil_ketua", "wakaketua": "wakil_ketua",
    "sekretaris": "sekretaris", "sekretarisumum": "sekretaris", "wakilsekretaris": "wakil_sekretaris",
    "bendahara": "bendahara", "bendaharaumum": "bendahara",
    "anggota": "", "anggotabiasa": "", "": "",
}
_YES = {"ya", "y", "yes", "ada", "1", "true", "benar", "iya"}
_NO = {"tidak", "t", "no", "n", "tidakada", "0", "false", "bukan", "", "-"}


def _lookup(words: dict[str, str], value: str, what: str) -> str:
    key = _norm_header(value)
    if key in words:
        return words[key]
    raise CellError(
        _("\u201c{value}\u201d is not a known {what}.").format(value=value, what=what)
    )


def parse_position(value: str, seksi_names: Sequence[str]) -> tuple[str, str]:
    """("ketua_seksi", "Olahraga dan Seni Budaya") from "Ketua Seksi Olahraga dan Seni Budaya"."""
    text = " ".join(value.split())
    key = _norm_header(text)
    if key in _POSITION_WORDS:
        return _POSITION_WORDS[key], ""
    lowered = text.casefold()
    for prefix, code in (
        ("ketua seksi", "ketua_seksi"), ("koordinator seksi", "ketua_seksi"),
        ("kasi", "ketua_seksi"), ("anggota seksi", "anggota_seksi"), ("seksi", "anggota_seksi"),
        ("sie", "anggota_seksi"), ("sie.", "anggota_seksi"),
    ):
        if lowered.startswith(prefix + " ") or lowered == prefix:
            rest = text[len(prefix):].strip(" .:-")
            if rest.casefold().startswith("seksi "):
                rest = rest[6:].strip()
            known = {s.casefold(): s for s in seksi_names}
            return code, known.get(rest.casefold(), rest)
    raise CellError(
        _("\u201c{value}\u201d is not a known position (e.g. Ketua, Sekretaris, Ketua Seksi …).")
        .format(value=value)
    )


def _split_list(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;/\n]+", text) if part.strip()]


# -- previewing ---------------------------------------------------------------------------
@dataclass(slots=True)
class RowResult:
    """One data row of the file and what the import will do with it."""

    line: int
    values: list[str]
    #: The name as written in the file (shown for refused rows, which have no member).
    name: str = ""
    member: Member | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    existing_id: str | None = None
    existing_name: str = ""
    #: "new" | "update" | "skip" | "reject"; in a resident list also "out_of_range" (not a
    #: member by age) and "consent" (under 18, waiting for a parent's or guardian's consent).
    action: str = "new"

    @property
    def reason(self) -> str:
        return "; ".join(self.errors)


@dataclass(slots=True)
class ImportPreview:
    path: Path
    headers: list[str]
    mapping: list[str]
    rows: list[RowResult]
    existing: str
    header_line: int = 1
    #: What the secretary should know about the whole file (the encoding a .csv was read as).
    notes: list[str] = field(default_factory=list)
    #: The known layout the file has ("opensid_template", "opensid_export" or "").
    layout: str = ""
    #: Whether only residents within the age range were taken (a resident list).
    age_filter: bool = False
    age_rule: AgeRule | None = None
    today: dt.date | None = None
    #: Registered members this resident list shows outside the age range (names).
    aged_out: list[str] = field(default_factory=list)
    #: Registered members (with a NIK, not "keluar") this resident list does not hold.
    absent: list[str] = field(default_factory=list)

    @property
    def layout_name(self) -> str:
        return _(LAYOUT_NAMES[self.layout]) if self.layout in LAYOUT_NAMES else ""

    @property
    def age_filter_text(self) -> str:
        """"Only residents aged 13-45 on 07/12/2026 are taken" (empty without the filter)."""
        if not self.age_filter or self.age_rule is None or self.today is None:
            return ""
        return _("Only residents aged {low}\u2013{high} on {day} are taken as members.").format(
            low=self.age_rule.min_age, high=self.age_rule.max_age, day=self.today.strftime("%d/%m/%Y")
        )

    @property
    def unmapped(self) -> list[str]:
        """Headers of columns that will not be imported (not recognised or set to ignore)."""
        return [
            header for header, key in zip(self.headers, self.mapping, strict=True)
            if not key and header and _norm_header(header) not in _ROW_NUMBER_HEADERS
        ]

    def counted(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def rejected(self) -> list[RowResult]:
        return [row for row in self.rows if row.action == "reject"]


@dataclass(slots=True)
class ImportSummary:
    file: str
    rows: int
    created: int
    updated: int
    skipped: int
    rejected: int
    dry_run: bool
    rejects_file: str | None = None
    problems: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    out_of_range: int = 0
    needs_consent: int = 0
    consents_file: str | None = None
    ignored_columns: list[str] = field(default_factory=list)
    layout: str = ""
    aged_out: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)

    def grouped_problems(self) -> list[tuple[str, str]]:
        """(rows, reason) with rows sharing one reason on one line ("2-144"): a re-import of
        a masked export must not print the same sentence 143 times."""
        by_reason: dict[str, list[int]] = {}
        for line, reason in self.problems:
            by_reason.setdefault(reason, []).append(line)
        return [(_ranges(lines), reason) for reason, lines in by_reason.items()]

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "rows": self.rows,
            "new": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "rejected": self.rejected,
            "dry_run": self.dry_run,
            "rejects_file": self.rejects_file,
            "errors": [{"line": line, "reason": reason} for line, reason in self.problems],
            "notes": list(self.notes),
            "out_of_range": self.out_of_range,
            "needs_consent": self.needs_consent,
            "consents_file": self.consents_file,
            "ignored_columns": list(self.ignored_columns),
            "layout": self.layout,
            "aged_out": list(self.aged_out),
            "absent": list(self.absent),
        }


def _ranges(lines: Sequence[int]) -> str:
    """"2-5, 9" from [2, 3, 4, 5, 9]."""
    parts: list[str] = []
    ordered = sorted(lines)
    start = prev = ordered[0]
    for line in [*ordered[1:], None]:
        if line is not None and line == prev + 1:
            prev = line
            continue
        parts.append(str(start) if start == prev else f"{start}\u2013{prev}")
        if line is not None:
            start = prev = line
    return ", ".join(parts)


#: The layouts recognised by name, shown in the preview and the summary.
LAYOUT_NAMES = {"opensid_template": N_("OpenSID (template)"), "opensid_export": N_("OpenSID (export)")}


def detect_layout(table: SourceTable) -> str:
    """OpenSID's template (date cells, a ``###`` end marker) or its export (dates as text)."""
    if not opensid.is_resident_layout(table.headers):
        return ""
    if table.end_marker_line:
        return "opensid_template"
    keys = [_norm_header(h) for h in table.headers]
    column = keys.index("tanggallahir")
    if any(isinstance(row.cells[column], dt.date) for row in table.rows[:50]):
        return "opensid_template"
    return "opensid_export"


def detect_mapping(headers: Sequence[str]) -> list[str]:
    """The field of each column ("" for unknown); a field is given to its first column only."""
    mapping, taken = [], set()
    for header in headers:
        key = field_for_header(header)
        if key in taken:
            key = ""
        if key:
            taken.add(key)
        mapping.append(key)
    return mapping


def check_mapping(mapping: Sequence[str]) -> None:
    """Refuse a mapping without a name column, or giving one field to two columns."""
    if "name" not in mapping:
        raise ValidationError(
            _("No column holds the members' names: choose which column is \u201cFull name\u201d."),
            field="name",
            code="no_name_column",
        )
    seen: set[str] = set()
    for key in mapping:
        if key and key in seen:
            raise ValidationError(
                _("Two columns are set to \u201c{field}\u201d: choose one.").format(
                    field=_(FIELD_BY_KEY[key].label)
                ),
                field=key,
                code="double_mapping",
            )
        seen.add(key)


#: A NIK written the way a spreadsheet writes a number: "3604221708010010.0", "3,6E+15".
_NUMBER_NIK = re.compile(r"^([0-9]+)[.,]0+$")
_SCIENTIFIC_NIK = re.compile(r"^[0-9](?:[.,][0-9]+)?[eE]\+?[0-9]{1,2}$")
#: Floats hold every integer up to 2**53 exactly; a larger NIK read as a float lost digits.
_FLOAT_EXACT = 2**53


def _masked_nik() -> CellError:
    return CellError(
        _(
            "The NIK is hidden: this file was exported with masked NIKs. Export again with "
            "the full NIK (kt-desktop members export FILE --reveal-nik), or type the NIK."
        )
    )


def _nik_from_number() -> CellError:
    return CellError(
        _(
            "The NIK was stored as a number, and Excel or another spreadsheet program keeps "
            "only 15 digits of a number: its last digit became 0 and may not be the real one. "
            "Format the NIK column as Text, type the NIK again from the KTP/KK and import again."
        )
    )


def _read_nik(value: Any, text: str, notes: list[str]) -> str:
    """The NIK of a cell, refusing one a spreadsheet may have changed: a number cell (or a
    number written out as text: "…0.0", "3,6E+15") whose last digit is 0 may be the rounded
    form of another NIK, so it is never taken; other number cells are taken, with a note."""
    numeric = ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A number cell holds a double: past 2**53 (Papua's 91-96) its last digit is a guess.
        if (isinstance(value, float) and not value.is_integer()) or abs(value) >= _FLOAT_EXACT:
            raise _nik_from_number()
        numeric = str(int(value))
    elif text.startswith("'"):
        text = text[1:].strip()  # Excel's "store as text" apostrophe, kept by some exports
    if not numeric:
        if _SCIENTIFIC_NIK.match(text):
            raise _nik_from_number()
        if match := _NUMBER_NIK.match(text):
            numeric = match.group(1)
    if numeric:
        # "…0" may be rounded; past 2**53 a number written out by a program that held it as
        # a double ("9171014508990004.0") has a last digit that is no longer the NIK's.
        if len(numeric) == nik_rules.NIK_LENGTH and (numeric.endswith("0") or int(numeric) >= _FLOAT_EXACT):
            raise _nik_from_number()
        if len(numeric) == nik_rules.NIK_LENGTH:
            notes.append(
                _(
                    "The NIK was stored as a number; it was taken because its last digit is "
                    "not 0. Format the NIK column as Text so that it stays exact."
                )
            )
        text = numeric
    if nik_rules.MASK_CHAR in text:
        raise _masked_nik()
    cleaned = nik_rules.clean(text)
    return cleaned if cleaned.isdigit() else text


def _code_or_word(words: dict[str, str], table: str, value: str, what: str) -> str:
    """A value written as a word we know, an OpenSID code, or an official Dukcapil label."""
    key = _norm_header(value)
    if key in words:
        return words[key]
    found = opensid.kt_values(table).get(key)
    if found:
        return found
    raise CellError(_("\u201c{value}\u201d is not a known {what}.").format(value=value, what=what))


def _set_from_cell(
    member: Member, key: str, value: Any, text: str, seksi_names: Sequence[str], today: dt.date,
    notes: list[str] | None = None,
) -> None:
    """Put one cell (``value``, and ``text`` = ``cell_text(value)``) into ``member``; raises
    :class:`CellError` with what to fix. ``notes`` receives what was taken with a caveat (a
    NIK from a number cell, a phone number left out)."""
    notes = notes if notes is not None else []
    if key == "nik":
        member.nik = _read_nik(value, text, notes) if text else ""
    elif key in ("birth_date", "joined_on", "left_on", "consent_on", "position_start", "position_end"):
        setattr(member, key, parse_date(value))
    elif key == "birth_place_date":
        if isinstance(value, dt.date | int | float) and not isinstance(value, bool):
            member.birth_date = parse_date(value)  # a date cell: no place was written
            return
        if not text:
            return
        place, _sep, when = text.rpartition(",")
        if not _sep:
            match = re.match(r"^(.*?)[\s/]+(\d.*)$", text)
            place, when = (match.group(1), match.group(2)) if match else ("", text)
        member.birth_place = place.strip()
        member.birth_date = parse_date(when.strip())
    elif key == "sex":
        member.sex = _code_or_word(_SEX_WORDS, "sex", text, _("sex (L or P)")) if text else ""
    elif key == "religion":
        member.religion = _code_or_word(_RELIGION_WORDS, "agama", text, _("religion")) if text else ""
    elif key == "education":
        member.education = (
            _code_or_word(_EDUCATION_WORDS, "pendidikan_kk", text, _("education level")) if text else ""
        )
    elif key == "occupation":
        member.occupation = opensid.occupation(text)
    elif key == "status":
        member.status = _lookup(_STATUS_WORDS, text, _("status (Aktif, Pasif, Keluar)")) if text else "aktif"
    elif key == "left_reason":
        member.left_reason = _lookup(_LEAVE_WORDS, text, _("reason for leaving")) if text else ""
    elif key == "position":
        if text:
            position, seksi = parse_position(text, seksi_names)
            member.position = position
            if seksi:
                member.seksi = seksi
        else:
            member.position = ""
    elif key == "seksi":
        if text:
            known = {s.casefold(): s for s in seksi_names}
            bare = text[6:].strip() if text.casefold().startswith("seksi ") else text
            member.seksi = known.get(bare.casefold(), bare)
    elif key == "rt_rw":
        parts = [p for p in re.split(r"[/\-\s]+", text) if p]
        member.rt = parts[0] if parts else ""
        member.rw = parts[1] if len(parts) > 1 else ""
    elif key in ("rt", "rw"):
        setattr(member, key, text)
    elif key == "phone":
        try:
            member.phone = normalize_phone(text)
        except ValidationError as exc:
            member.phone = ""  # a wrong phone is no reason to leave the member out
            notes.append(
                _("{problem} The member is imported without a phone number.").format(problem=exc.message)
            )
    elif key == "skills":
        member.skills = _split_list(text)
    elif key == "disability":
        lowered = _norm_header(text)
        if lowered in _YES:
            member.disability = True
        elif lowered in _NO:
            member.disability = False
        else:  # "Tunarungu": the kind written where yes/no was expected
            member.disability = True
            member.disability_kind = member.disability_kind or text
    elif key == "disability_kind":
        coded = opensid.kt_values("cacat").get(_norm_header(text))
        if coded is not None:  # OpenSID's cacat_id: a code or its label; 7 = TIDAK CACAT
            member.disability, member.disability_kind = bool(coded), coded
            return
        member.disability_kind = text
        if text and _norm_header(text) not in _NO:
            member.disability = True
    else:
        setattr(member, key, text)


def _problem(key: str, message: str, headers: Sequence[str], mapping: Sequence[str]) -> str:
    """"Column: message" when the field is a column of the file, else the message alone
    (a missing consent is about no column the secretary can see)."""
    covered = set(mapping) | {
        name for combined, names in _FILLS.items() if combined in mapping for name in names
    }
    if key in covered:
        return _labelled(_field_label(key, headers, mapping), message)
    return message


def _field_label(key: str, headers: Sequence[str], mapping: Sequence[str]) -> str:
    """The header of the column mapped to ``key`` (what the secretary sees in the file)."""
    for header, mapped in zip(headers, mapping, strict=True):
        if mapped == key and header:
            return header
    if key in ("birth_date", "birth_place") and "birth_place_date" in mapping:
        return _field_label("birth_place_date", headers, mapping)
    if key in ("rt", "rw") and "rt_rw" in mapping:
        return _field_label("rt_rw", headers, mapping)
    return _(FIELD_BY_KEY[key].label) if key in FIELD_BY_KEY else key


@dataclass(slots=True)
class _Checker:
    """What checking one row needs, gathered once per file (settings, what was seen)."""

    session: Session
    table: SourceTable
    mapping: list[str]
    existing: str
    today: dt.date
    seksi: list[str]
    base: RuleContext
    seen_nik: dict[str, int] = field(default_factory=dict)
    seen_person: dict[tuple[str, dt.date], int] = field(default_factory=dict)
    age_filter: bool = False

    def problem(self, key: str, message: str) -> str:
        return _problem(key, message, self.table.headers, self.mapping)


def default_existing(table: SourceTable) -> str:
    """What happens to a registered NIK when nobody chose: a resident list from OpenSID (the
    village's own register of residents) updates them, so that importing it again a year on
    brings addresses and education up to date; any other list leaves them as they are, so a
    secretary's own corrections are never overwritten by an old spreadsheet. An update only
    writes the columns the file has (:func:`_merge`): phone numbers, skills and positions kept
    in KT Desktop stay."""
    return "update" if table.layout else "skip"


def preview(
    session: Session,
    path: str | Path,
    *,
    mapping: Sequence[str] | None = None,
    existing: str | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
    table: SourceTable | None = None,
    age_filter: bool | None = None,
) -> ImportPreview:
    """Every row of the file with its problems and the action it will get; writes nothing.

    ``age_filter``: take only the residents within the member age range on ``today`` (the
    others are "out_of_range", not errors) and set aside those under 18 without a recorded
    consent ("consent"); None decides by the file (an OpenSID layout, or many rows outside
    the range, is a resident list). ``existing``: "update" or "skip" members whose NIK is
    registered; None decides by the file (see :func:`default_existing`)."""
    require_village(session)
    if existing is not None and existing not in EXISTING_CHOICES:
        raise ValidationError(_("Choose whether existing members are updated or skipped."))
    progress = progress or no_progress()
    today = today or clock.today()
    table = table or read_table(path)
    existing = existing or default_existing(table)
    mapping = list(mapping) if mapping is not None else detect_mapping(table.headers)
    if len(mapping) != len(table.headers):
        raise ValidationError(_("The column choice does not fit the file; choose the columns again."))
    check_mapping(mapping)
    db = session.db()
    seksi = store.seksi_list(db)
    checker = _Checker(
        session=session, table=table, mapping=mapping, existing=existing, today=today,
        seksi=seksi,
        base=RuleContext(today=today, age_rule=store.age_rule(db), village_code=session.code,
                         seksi=tuple(seksi), from_spreadsheet=True),
    )
    results: list[RowResult] = []
    parsed: list[tuple[RowResult, Member]] = []
    total = len(table.rows)
    columns = [(index, key) for index, key in enumerate(mapping) if key]
    labels = {key: _field_label(key, table.headers, mapping) for _index, key in columns}
    name_column = mapping.index("name")
    for number, source in enumerate(table.rows, start=1):
        if number % 200 == 0:
            progress.step(number, total, _("Checking row {done} of {total}").format(done=number, total=total))
        values = [cell_text(v) for v in source.cells]
        row = RowResult(line=source.line, values=values, name=values[name_column])
        results.append(row)
        member = Member()
        for index, key in columns:
            value, text = source.cells[index], values[index]
            if text == "-":  # OpenSID and Dukcapil lists write "-" for an empty cell
                value, text = None, ""
            notes: list[str] = []
            try:
                _set_from_cell(member, key, value, text, seksi, today, notes)
            except (CellError, ValidationError) as exc:
                message = exc.message if isinstance(exc, ValidationError) else str(exc)
                row.errors.append(_labelled(labels[key], message))
            if notes:
                row.warnings.extend(_labelled(labels[key], note) for note in notes)
        parsed.append((row, member))
    _refuse_rounded_column(parsed, labels.get("nik", ""))
    rule = checker.base.age_rule
    if age_filter is None:
        age_filter = bool(table.layout) or (
            not set(mapping) & _MEMBERSHIP_FIELDS
            and _holds_all_ages([m for _r, m in parsed], rule, today)
        )
    checker.age_filter = age_filter
    for row, member in parsed:
        _resolve_row(checker, row, member)
    progress.step(total, total, "")
    result = ImportPreview(
        path=Path(table.path), headers=table.headers, mapping=mapping, rows=results,
        existing=existing, header_line=table.header_line,
        notes=[note for note in (encoding_note(table),) if note],
        layout=table.layout, age_filter=age_filter, age_rule=rule, today=today,
    )
    if age_filter:
        _list_leavers(session, result)
    return result


#: A NIK column where more than this share of at least :data:`ROUNDED_MIN_NIKS` NIKs end in 0
#: was rounded by a spreadsheet program (a real NIK's last digit is 0 about one time in ten).
ROUNDED_SHARE = 0.5
ROUNDED_MIN_NIKS = 5


def _refuse_rounded_column(parsed: Sequence[tuple[RowResult, Member]], label: str) -> None:
    """Refuse the 0-ending NIKs of a column a spreadsheet program rounded and wrote out as
    plain digits (a .csv saved from Excel with the NIK column as Number): nothing in the
    cell tells it was a number, but the share of NIKs ending in 0 does."""
    niks = [m.nik for _r, m in parsed if len(m.nik) == nik_rules.NIK_LENGTH and m.nik.isdigit()]
    zeros = sum(1 for nik in niks if nik.endswith("0"))
    if len(niks) < ROUNDED_MIN_NIKS or zeros <= ROUNDED_SHARE * len(niks):
        return
    message = _(
        "{zeros} of the {count} NIKs in this file end in 0: the NIK column was stored as "
        "numbers by a spreadsheet program, which keeps only 15 digits, so these NIKs may not "
        "be the real ones. Format the NIK column as Text, type the NIKs again from the KTP/KK "
        "and import again."
    ).format(zeros=zeros, count=len(niks))
    for row, member in parsed:
        if len(member.nik) == nik_rules.NIK_LENGTH and member.nik.endswith("0") and not row.errors:
            row.errors.append(_labelled(label, message))


def _labelled(label: str, message: str) -> str:
    """"Column: message", unless the message already names the column ("NIK: NIK …" reads
    as a stutter)."""
    if label and re.search(rf"(?<!\w){re.escape(label)}(?!\w)", message, re.IGNORECASE):
        return message
    return f"{label}: {message}" if label else message


#: Columns only a member list has (its status, joining date, position): a file with one of
#: them is the register's own, whose members outside the age range are warned about, not left out.
_MEMBERSHIP_FIELDS = {"status", "joined_on", "left_on", "left_reason", "position", "seksi",
                      "position_start", "position_end"}
#: A file "holds residents of all ages" when at least this share of its dated rows (and at
#: least :data:`ALL_AGES_MIN_ROWS` rows) fall outside the member age range.
ALL_AGES_SHARE = 0.2
ALL_AGES_MIN_ROWS = 3


def _holds_all_ages(members: Sequence[Member], rule: AgeRule, today: dt.date) -> bool:
    """Whether the file is a resident list rather than a member list: a member list has a
    few people outside the range (warned about); a village's residents have many."""
    ages = [m.age(today) for m in members if m.birth_date and m.birth_date <= today]
    outside = sum(1 for age in ages if age is not None and not rule.contains(age))
    return outside >= ALL_AGES_MIN_ROWS and outside >= ALL_AGES_SHARE * max(1, len(ages))


def _list_leavers(session: Session, result: ImportPreview) -> None:
    """Registered members this resident list no longer makes members: those it shows outside
    the age range, and those it does not hold (moved away, died, or not in this file). They
    are listed for the secretary to decide; nothing is removed."""
    in_file = {row.member.nik for row in result.rows if row.member and row.member.nik}
    in_file |= {_digits(row, result) for row in result.rows if row.action == "reject"}
    aged_out = {row.existing_id for row in result.rows if row.action == "out_of_range" and row.existing_id}
    # A consents sheet (saved by save_consents, consent columns filled) holds only the
    # under-18s: everyone else is missing from it by design, not moved away.
    whole_list = not set(CONSENT_FIELDS) & set(result.mapping)
    for member_id, name, nik in store.live_niks(session.db(), session.code):
        if member_id in aged_out:
            result.aged_out.append(name)
        elif whole_list and nik not in in_file:
            result.absent.append(name)


def _digits(row: RowResult, result: ImportPreview) -> str:
    """The NIK column of a refused row as digits (a refused row is not "absent")."""
    if "nik" not in result.mapping:
        return ""
    return nik_rules.clean(row.values[result.mapping.index("nik")]).lstrip("'")


def _resolve_row(checker: _Checker, row: RowResult, member: Member) -> None:
    """Validate the row's member, find it in the register, and choose the row's action."""
    session, today = checker.session, checker.today
    db = session.db()
    member = normalize(member)
    for filled in fill_from_nik(member, today):
        label = _(FIELD_BY_KEY[filled].label)
        row.warnings.append(_("{field} taken from the NIK.").format(field=label))
    if row.errors:
        row.action = "reject"
        return
    if member.nik and member.nik in checker.seen_nik:
        row.errors.append(
            _("The same NIK is already on row {line} of this file.").format(
                line=checker.seen_nik[member.nik],
            )
        )
        row.action = "reject"
        return
    holder = store.find_by_nik(db, session.code, member.nik) if member.nik else None
    if holder is None and not member.nik:
        holder = store.find_without_nik(db, member.name, member.birth_date)
    if checker.age_filter and _set_aside(checker, row, member, holder):
        return
    if holder is not None:
        row.existing_id, row.existing_name = holder.id, holder.name
        if checker.existing == "skip":
            row.action = "skip"
            row.member = member
            _remember(row, member, checker.seen_nik, checker.seen_person)
            return
        stored = store.get(db, holder.id)
        assert stored is not None
        member = _merge(stored, member, checker.mapping)
        if member == normalize(stored):
            row.action = "skip"  # nothing new: no version bump, nothing to send in a bundle
            row.member = member
            _remember(row, member, checker.seen_nik, checker.seen_person)
            return
        row.action = "update"
    ctx = rule_context(db, session.code, member, today, from_spreadsheet=True, base=checker.base)
    result = check(member, ctx)
    for problem in result.errors:
        row.errors.append(checker.problem(problem.field, problem.message))
    if row.errors:
        row.action = "reject"
        return
    key = (member.name.casefold(), member.birth_date) if member.birth_date else None
    for warning in result.warnings:
        if warning.code == "same_name_birth" and row.action == "update":
            continue
        row.warnings.append(warning.message)
    if key and key in checker.seen_person and not member.nik:
        row.warnings.append(
            _("Same name and date of birth as row {line} of this file.").format(
                line=checker.seen_person[key]
            )
        )
    member.confirmed_mismatch = any(w.needs_confirmation for w in result.warnings) or member.confirmed_mismatch
    row.member = member
    _remember(row, member, checker.seen_nik, checker.seen_person)


def _set_aside(checker: _Checker, row: RowResult, member: Member, holder: MemberRef | None) -> bool:
    """In a resident list, keep out who is outside the age range, and the under-18s whose
    parent's or guardian's consent is not written yet (UU 27/2022: not stored before it)."""
    age = member.age(checker.today) if member.birth_date and member.birth_date <= checker.today else None
    if age is None:
        return False
    if holder is not None:
        row.existing_id, row.existing_name = holder.id, holder.name
    if not checker.base.age_rule.contains(age):
        row.action, row.member = "out_of_range", member
        _remember(row, member, checker.seen_nik, checker.seen_person)
        return True
    if age < CONSENT_AGE and not (member.guardian_name and member.consent_on) and holder is None:
        row.action, row.member = "consent", member
        _remember(row, member, checker.seen_nik, checker.seen_person)
        return True
    return False


def _remember(
    row: RowResult, member: Member, seen_nik: dict[str, int],
    seen_person: dict[tuple[str, dt.date], int],
) -> None:
    if member.nik:
        seen_nik.setdefault(member.nik, row.line)
    if member.birth_date:
        seen_person.setdefault((member.name.casefold(), member.birth_date), row.line)


#: Fields each mapped column fills (a combined column fills two).
_FILLS = {"birth_place_date": ("birth_place", "birth_date"), "rt_rw": ("rt", "rw"),
          "position": ("position", "seksi")}


def _merge(stored: Member, incoming: Member, mapping: Sequence[str]) -> Member:
    """``stored`` with the non-empty values of the mapped columns of ``incoming``."""
    merged = stored.copy()
    for key in mapping:
        for name in _FILLS.get(key, (key,)) if key else ():
            value = getattr(incoming, name)
            if value not in ("", None, []) and not (name == "disability" and value is False):
                setattr(merged, name, value)
    if "status" in mapping and incoming.status:
        merged.status = incoming.status
    if merged.position not in SEKSI_POSITIONS:
        merged.seksi = ""
    return normalize(merged)


# -- committing -------------------------------------------------------------------------------
def commit(
    session: Session, preview_: ImportPreview, *, progress: Progress | None = None,
    chunk: int = 500,
) -> ImportSummary:
    """Write the preview's new and updated rows in ONE transaction (cancel: nothing written)."""
    require_village(session)
    progress = progress or no_progress()
    db = session.db()
    actor = session.actor()
    new = [row.member for row in preview_.rows if row.action == "new" and row.member]
    updates = [row for row in preview_.rows if row.action == "update" and row.member]
    total = len(new) + len(updates)
    done = 0
    with db.atomic():
        for start in range(0, len(new), chunk):
            batch = [m for m in new[start:start + chunk] if m is not None]
            store.bulk_insert(db, batch, village_code=session.code, actor=actor,
                              audit_detail="import", audit_each=True)
            done += len(batch)
            progress.step(done, total, _("Importing {done} of {total}").format(done=done, total=total))
        for row in updates:
            assert row.member is not None and row.existing_id is not None
            row.member.id = row.existing_id
            store.update(db, row.member, actor=actor)
            done += 1
            if done % 100 == 0:
                progress.step(done, total, _("Importing {done} of {total}").format(done=done, total=total))
        audit.record(
            db, "import", "members", None, actor=actor,
            detail=f"{preview_.path.name}: {len(new)} new, {len(updates)} updated",
        )
        progress.step(total, total, "")
    return _summary(preview_, dry_run=False)


def _summary(preview_: ImportPreview, *, dry_run: bool, rejects_file: str | None = None) -> ImportSummary:
    notes = [n for n in (preview_.layout_name and _("Layout: {name}.").format(name=preview_.layout_name),
                         preview_.age_filter_text) if n]
    return ImportSummary(
        out_of_range=preview_.counted("out_of_range"),
        needs_consent=preview_.counted("consent"),
        ignored_columns=preview_.unmapped,
        layout=preview_.layout,
        aged_out=list(preview_.aged_out),
        absent=list(preview_.absent),
        file=str(preview_.path),
        rows=len(preview_.rows),
        created=preview_.counted("new"),
        updated=preview_.counted("update"),
        skipped=preview_.counted("skip"),
        rejected=preview_.counted("reject"),
        dry_run=dry_run,
        rejects_file=rejects_file,
        problems=[(row.line, row.reason) for row in preview_.rejected],
        notes=[*notes, *preview_.notes],
    )


def save_rejects(preview_: ImportPreview, out: str | Path) -> int:
    """Write the refused rows, as they were, with an "Alasan" column; returns how many."""
    rows = [[*row.values, row.reason] for row in preview_.rejected]
    headers = [*preview_.headers, REASON_HEADER]
    text_columns = {i for i, key in enumerate(preview_.mapping) if key in ("nik", "phone")}
    from kt_desktop.services.member_export import write_rows

    write_rows(Path(out), headers, rows, text_columns=text_columns)
    return len(rows)


#: The consent columns a list of under-18s is saved with, to be filled and imported again.
CONSENT_FIELDS = ("guardian_name", "guardian_relation", "consent_on")
#: Columns of an OpenSID file that hold other NIK-like numbers, kept as text when saved.
_NUMBER_TEXT_HEADERS = {"nokk", "ayahnik", "ibunik"}


def save_consents(preview_: ImportPreview, out: str | Path) -> int:
    """Write the residents under 18 waiting for consent ("perlu persetujuan orang tua/wali"),
    as they were, with the consent columns to fill; imported again, they become members."""
    rows = [row for row in preview_.rows if row.action == "consent"]
    headers = list(preview_.headers)
    mapping = list(preview_.mapping)
    for key in CONSENT_FIELDS:
        if key not in mapping:
            headers.append(FIELD_BY_KEY[key].header)
            mapping.append(key)
    values = [[*row.values, *[""] * (len(headers) - len(row.values))] for row in rows]
    text_columns = {
        i for i, (header, key) in enumerate(zip(headers, mapping, strict=True))
        if key in ("nik", "phone") or _norm_header(header) in _NUMBER_TEXT_HEADERS
    }
    from kt_desktop.services.member_export import write_rows

    write_rows(Path(out), headers, values, text_columns=text_columns)
    return len(rows)


def run(
    session: Session,
    path: str | Path,
    *,
    mapping: Sequence[str] | None = None,
    existing: str | None = None,
    dry_run: bool = False,
    rejects_to: str | Path | None = None,
    consents_to: str | Path | None = None,
    age_filter: bool | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Preview and (unless ``dry_run``) commit in one call: the command line's import."""
    result = preview(session, path, mapping=mapping, existing=existing, today=today, progress=progress,
                     age_filter=age_filter)
    rejects_file = consents_file = None
    if rejects_to and result.rejected:
        save_rejects(result, rejects_to)
        rejects_file = str(rejects_to)
    if consents_to and result.counted("consent"):
        save_consents(result, consents_to)
        consents_file = str(consents_to)
    if dry_run:
        summary = _summary(result, dry_run=True, rejects_file=rejects_file)
    else:
        summary = commit(session, result, progress=progress)
        summary.rejects_file = rejects_file
    summary.consents_file = consents_file
    return summary


def field_choices() -> list[tuple[str, str]]:
    """(key, translated label) of every field, for the mapping step's combo boxes."""
    return [(f.key, _(f.label)) for f in FIELDS]
