"""Exporting the member register to .xlsx or .csv that Excel opens without damage.

* NIK and phone numbers stay text: in .xlsx the cells are strings with the Text number
  format ("@"), so Excel neither rounds a 16-digit NIK nor drops a phone's leading 0.
* No cell can start a formula: values beginning with ``=``, ``+``, ``-``, ``@``, tab or CR
  get a leading apostrophe (OWASP "CSV injection"); the importer removes it again.
* The NIK is masked (last 4 digits) unless ``reveal_nik`` is asked, and that is audited.
* Headers and values are the Indonesian words the importer recognises, whatever the UI
  language, so an exported file imports again (a round trip the tests check).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kt_desktop.domain import nik as nik_rules
from kt_desktop.domain.errors import KtError, reason_text
from kt_desktop.domain.members import (
    DOC_EDUCATION,
    DOC_LEAVE_REASON,
    DOC_RELIGION,
    DOC_STATUS,
    Member,
    position_doc_text,
)
from kt_desktop.domain.text import printable
from kt_desktop.i18n import _
from kt_desktop.paths import written_whole
from kt_desktop.services.progress import Progress, no_progress
from kt_desktop.services.session import Session
from kt_desktop.store import audit
from kt_desktop.store import members as store

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEPARATORS = (",", ";")

#: (header, how to get the value) in export order; headers are the importer's canonical ones.
COLUMNS: tuple[str, ...] = (
    "Nama Lengkap", "NIK", "Alasan Tanpa NIK", "Tempat Lahir", "Tanggal Lahir", "L/P", "Agama",
    "Dusun", "RT", "RW", "Alamat", "Pendidikan Terakhir", "Pekerjaan", "No. HP", "Keterampilan",
    "Disabilitas", "Jenis Disabilitas", "Status", "Tanggal Bergabung", "Tanggal Keluar",
    "Alasan Keluar", "Jabatan", "Jabatan Mulai", "Jabatan Sampai", "Nama Orang Tua/Wali",
    "Hubungan Wali", "Tanggal Persetujuan", "Keterangan",
)
TEXT_COLUMNS = frozenset({COLUMNS.index("NIK"), COLUMNS.index("No. HP"), COLUMNS.index("RT"),
                          COLUMNS.index("RW")})


@dataclass(frozen=True, slots=True)
class ExportSummary:
    path: Path
    rows: int
    nik_revealed: bool
    #: What the secretary must know about the file written ("" when nothing).
    warning: str = ""


def neutralize(value: Any) -> Any:
    """A text cell that cannot start a formula (OWASP), without control characters (an
    .xlsx cannot hold them: one stored before they were refused stopped the whole export);
    other values unchanged."""
    if isinstance(value, str):
        value = printable(value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def member_cells(member: Member, *, reveal_nik: bool) -> list[Any]:
    """One member as export cells (dates stay dates; the writer formats them)."""
    return [
        member.name,
        member.nik if reveal_nik else nik_rules.mask(member.nik),
        member.nik_missing_reason,
        member.birth_place,
        member.birth_date,
        member.sex,
        DOC_RELIGION.get(member.religion, member.religion),
        member.dusun,
        member.rt,
        member.rw,
        member.address,
        DOC_EDUCATION.get(member.education, member.education),
        member.occupation,
        member.phone,
        ", ".join(member.skills),
        "Ya" if member.disability else "Tidak",
        member.disability_kind,
        DOC_STATUS.get(member.status, member.status),
        member.joined_on,
        member.left_on,
        DOC_LEAVE_REASON.get(member.left_reason, member.left_reason),
        position_doc_text(member.position, member.seksi),
        member.position_start,
        member.position_end,
        member.guardian_name,
        member.guardian_relation,
        member.consent_on,
        member.notes,
    ]


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(neutralize(value))


def write_rows(
    path: Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    separator: str = ";",
    text_columns: Iterable[int] = (),
    progress: Progress | None = None,
    total: int = 0,
) -> int:
    """Write a sheet (.xlsx) or a .csv at ``path`` through a temporary file; returns rows.

    The file appears only when it is complete, so a cancel or a full disk never leaves half
    a spreadsheet where the old one was.
    """
    suffix = path.suffix.casefold()
    if suffix not in (".xlsx", ".csv"):
        raise KtError(
            _("Choose a file name ending in .xlsx or .csv (not {name}).").format(name=path.name),
            code="unknown_format",
        )
    if separator not in SEPARATORS:
        raise KtError(_("The CSV separator must be , or ;."), code="bad_separator")
    progress = progress or no_progress()

    def refusal(exc: OSError) -> KtError:
        return KtError(
            _("{file} cannot be written: {reason}").format(file=path.name, reason=reason_text(exc)),
            code="unwritable",
        )

    with written_whole(path, refusal, partial=path.with_name(path.name + ".part")) as partial:
        if suffix == ".xlsx":
            count = _write_xlsx(partial, headers, rows, set(text_columns), progress, total)
        else:
            count = _write_csv(partial, headers, rows, separator, progress, total)
    return count


def _write_csv(
    path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]], separator: str,
    progress: Progress, total: int,
) -> int:
    count = 0
    # UTF-8 with BOM: Excel on Windows reads it as UTF-8 instead of the ANSI code page.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=separator, lineterminator="\r\n")
        writer.writerow([_csv_cell(h) for h in headers])
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
            count += 1
            if count % 500 == 0:
                progress.step(count, total, _("Writing row {done} of {total}").format(done=count, total=total))
    return count


def _write_xlsx(
    path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]], text_columns: set[int],
    progress: Progress, total: int,
) -> int:
    from openpyxl import Workbook  # only when an .xlsx is written
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Members"))
    sheet.freeze_panes = "B2"
    for index, header in enumerate(headers, start=1):
        width = 24 if index == 1 else max(10, min(28, len(header) + 4))
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=neutralize(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "DD/MM/YYYY"
            else:
                text = "" if value is None else neutralize(value if isinstance(value, str) else str(value))
                cell = WriteOnlyCell(sheet, value=text or None)
                if index in text_columns:
                    cell.number_format = "@"
                if text:
                    cell.data_type = "s"  # never a formula, whatever it starts with
            cells.append(cell)
        sheet.append(cells)
        count += 1
        if count % 500 == 0:
            progress.step(count, total, _("Writing row {done} of {total}").format(done=count, total=total))
    workbook.save(path)
    return count


def export(
    session: Session,
    path: str | Path,
    *,
    separator: str = ";",
    reveal_nik: bool = False,
    progress: Progress | None = None,
) -> ExportSummary:
    """Write every live member to ``path`` (.xlsx or .csv); the export is audited."""
    path = Path(path)
    db = session.db()
    total = store.live_count(db)
    members = store.iter_all(db)
    rows = (member_cells(m, reveal_nik=reveal_nik) for m in members)
    count = write_rows(
        path, COLUMNS, rows, separator=separator, text_columns=TEXT_COLUMNS,
        progress=progress, total=total,
    )
    actor = session.actor()
    with db.atomic():
        detail = f"{path.name}: {count} members, nik {'full' if reveal_nik else 'masked'}"
        audit.record(db, "export", "members", None, actor=actor, detail=detail)
        if reveal_nik:
            audit.record(db, "reveal", "members", None, actor=actor, detail=f"export {path.name}")
    warning = ""
    if reveal_nik and path.suffix.casefold() == ".csv":
        # A .csv holds no cell types: a spreadsheet program opening it by double-click reads
        # 16 digits as a number and keeps 15 of them. The .xlsx marks the NIK column as text.
        warning = _(
            "A spreadsheet program opening this .csv turns each full NIK into a number and "
            "keeps only 15 of its digits. To open the list in Excel or LibreOffice, export to "
            ".xlsx instead (its NIK column is text); the import refuses NIKs such a program "
            "rounded."
        )
    return ExportSummary(path=path, rows=count, nik_revealed=reveal_nik, warning=warning)
