"""The use cases of every declared book, shared by its page, its form and the command line.

Generic over :class:`~kt_desktop.domain.book.BookSpec` (``domain.book.book(key)`` finds one):
list and page, get, add, edit, remove (and undo the removal), export to .xlsx/.csv, import
with a preview and in one transaction, the printed register, and the receiver's count per
village. Writes are refused outside a village file: a receiver holds what villages sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kt_desktop.domain import clock
from kt_desktop.domain.book import DATE, BookRecord, BookSpec, all_books, clean, problems
from kt_desktop.domain.errors import KtError, NotFoundError, ValidationError
from kt_desktop.i18n import _, official_paper
from kt_desktop.services.member_export import write_rows
from kt_desktop.services.member_import import _norm_header, cell_text, parse_date, read_table
from kt_desktop.services.progress import Progress, no_progress
from kt_desktop.services.session import Session
from kt_desktop.store import audit
from kt_desktop.store import books as store
from kt_desktop.store.books import BookQuery

__all__ = ["BookQuery", "ListPage"]


@dataclass(frozen=True, slots=True)
class ListPage:
    rows: list[BookRecord]
    total: int


@dataclass(frozen=True, slots=True)
class FilterValues:
    """What the page's filters offer: the years and each "value" filter's values."""

    years: list[int]
    values: dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class Lookup:
    """What a ``Field.lookup`` may point at: the records to choose from, ``(id, label)``
    (the form's list), and whether one id is still there (checked when saved)."""

    choices: Callable[[Session], list[tuple[str, str]]]
    exists: Callable[[Session, str], bool]


def _activity_choices(session: Session) -> list[tuple[str, str]]:
    from kt_desktop.services import reports

    return [(choice.id, choice.label) for choice in reports.activity_choices(session)]


def _activity_exists(session: Session, activity_id: str) -> bool:
    from kt_desktop.store import activities

    return activities.row(session.db(), activity_id) is not None


#: The names a ``Field.lookup`` may use.
LOOKUPS: dict[str, Lookup] = {
    "activity": Lookup(_activity_choices, _activity_exists),
}


def lookup_choices(session: Session, spec: BookSpec, key: str) -> list[tuple[str, str]]:
    """The records a lookup field can point at, as ``(id, label)`` (the form's list)."""
    return LOOKUPS[spec.field(key).lookup].choices(session)


def _check_lookups(session: Session, spec: BookSpec, values: Mapping[str, Any]) -> None:
    for item in spec.fields:
        value = values.get(item.key)
        if item.lookup and value and not LOOKUPS[item.lookup].exists(session, value):
            raise ValidationError(
                _("{label}: the chosen record no longer exists (it may have been removed); "
                  "choose another.").format(label=_(item.label)),
                field=item.key, code="unknown_reference")


def require_village(session: Session, spec: BookSpec) -> None:
    if not session.is_village:
        raise KtError(
            _("The {book} can only be changed in a village file.").format(book=_(spec.title)),
            code="not_village",
        )


# -- reading -------------------------------------------------------------------------------


def list_page(session: Session, spec: BookSpec, query: BookQuery, *, limit: int = 256,
              order: str = "", descending: bool = False) -> ListPage:
    """The first page of the list and how many records match."""
    db = session.db()
    return ListPage(store.rows(db, spec, query, order=order, descending=descending,
                               limit=limit), store.count(db, spec, query))


def page(session: Session, spec: BookSpec, query: BookQuery, *, offset: int, limit: int = 256,
         order: str = "", descending: bool = False) -> list[BookRecord]:
    return store.rows(session.db(), spec, query, order=order, descending=descending,
                      limit=limit, offset=offset)


def get(session: Session, spec: BookSpec, record_id: str) -> BookRecord:
    found = store.get(session.db(), spec, record_id)
    if found is None:
        raise NotFoundError(_("The record no longer exists (it may have been removed)."))
    return found


def filter_values(session: Session, spec: BookSpec) -> FilterValues:
    db = session.db()
    values = {f.field: store.values(db, spec, f.field) for f in spec.filters if f.kind == "value"}
    return FilterValues(store.years(db, spec), values)


# -- writing -------------------------------------------------------------------------------


def _month_of(value: Any) -> str:
    return f"{value.year:04d}-{value.month:02d}" if isinstance(value, dt.date) else ""


def _require_open(session: Session, spec: BookSpec, *days: Any) -> None:
    """Refuse a write that touches a closed month (tutup buku), naming the month."""
    closed = store.closed_months(session.db(), spec)
    for day in days:
        if _month_of(day) in closed:
            from kt_desktop.domain.formats import month_year

            raise ValidationError(
                _("{month} is closed (tutup buku): its entries can no longer be changed. "
                  "Record the correction as a new, reversing entry in an open month.").format(
                    month=month_year(day)),
                field=spec.date_field, code="month_closed")


def close_month(session: Session, spec: BookSpec, year: int, month: int, *,
                today: dt.date | None = None) -> None:
    """Close a month of a closable book (tutup buku, usually after the monthly report).

    A month that has not ended cannot be closed; closing is audited and cannot be undone
    here (a correction is a reversing entry).
    """
    require_village(session, spec)
    if not spec.closable:
        raise KtError(_("The {book} has no closing of months.").format(book=_(spec.title)),
                      code="not_closable")
    today = today or clock.today()
    first = dt.date(year, month, 1)
    if store.period(year, month)[1] > today:
        from kt_desktop.domain.formats import month_year

        raise ValidationError(
            _("{month} has not ended yet; a month is closed after its last day.").format(
                month=month_year(first)), field="month", code="month_not_over")
    db = session.db()
    with db.atomic():
        store.close_month(db, spec, _month_of(first), actor=session.actor())
        audit.record(db, "close_month", spec.table, None, actor=session.actor(),
                     detail=f"{spec.key}: {_month_of(first)}")


def reverse(session: Session, spec: BookSpec, record_id: str, on: dt.date) -> str:
    """A new record that undoes ``record_id`` (its running-total amounts swapped) dated
    ``on``, whose label names the record it corrects: how a closed month is corrected."""
    run = spec.running
    if run is None or not run.minus:
        raise KtError(_("The {book} has no reversing entries.").format(book=_(spec.title)),
                      code="not_reversible")
    original = get(session, spec, record_id)
    from kt_desktop.domain.formats import date_short

    values = dict(original.values)
    for key in spec.computed:
        values.pop(key, None)
    values[run.plus], values[run.minus] = original.get(run.minus), original.get(run.plus)
    values[spec.date_field] = on
    label = _("Correction of “{entry}” of {date}").format(
        entry=original.get(spec.label_field), date=date_short(original.get(spec.date_field)))
    limit = spec.field(spec.label_field).max_length
    values[spec.label_field] = label if len(label) <= limit else label[: limit - 1] + "…"
    new_id = add(session, spec, values)
    db = session.db()
    with db.atomic():
        audit.record(db, "reverse", spec.table, new_id, actor=session.actor(),
                     detail=f"{spec.key}: corrects {record_id}")
    return new_id


def add(session: Session, spec: BookSpec, values: Mapping[str, Any]) -> str:
    """Check and store a new record; returns its id."""
    require_village(session, spec)
    cleaned = clean(spec, values)
    _check_lookups(session, spec, cleaned)
    _require_open(session, spec, cleaned.get(spec.date_field))
    return store.insert(session.db(), spec, cleaned, village_code=session.code,
                        actor=session.actor())


def edit(session: Session, spec: BookSpec, record_id: str, values: Mapping[str, Any]) -> None:
    require_village(session, spec)
    cleaned = clean(spec, values)
    _check_lookups(session, spec, cleaned)
    if spec.closable:
        _require_open(session, spec, get(session, spec, record_id).get(spec.date_field),
                      cleaned.get(spec.date_field))
    store.update(session.db(), spec, record_id, cleaned, actor=session.actor())


def warnings(session: Session, spec: BookSpec, record_id: str) -> list[str]:
    """What a saved record leaves that the user should know, though it is allowed: for a
    book with a running total, the first entry from this one's date on at which its
    partition (a cash account) goes below zero, named."""
    from kt_desktop.domain.formats import date_short, rupiah

    run = spec.running
    record = store.get(session.db(), spec, record_id) if run else None
    if run is None or record is None or record.get(spec.date_field) is None:
        return []
    part = str(record.get(run.partition) or "") if run.partition else ""
    found = store.first_below_zero(session.db(), spec, session.code, part,
                                   record.get(spec.date_field))
    if found is None:
        return []
    return [_("The balance of {account} goes below zero ({amount}) at “{entry}” of "
              "{date}: check the amounts, or record the receipt that is missing.").format(
        account=part or _(spec.title), amount=rupiah(found.get(run.key)),
        entry=found.get(spec.label_field), date=date_short(found.get(spec.date_field)))]


def remove(session: Session, spec: BookSpec, record_id: str) -> BookRecord:
    """Remove a record (it travels as a tombstone); returns it, so the page can undo."""
    require_village(session, spec)
    db = session.db()
    with db.atomic():
        removed = get(session, spec, record_id)
        _require_open(session, spec, removed.get(spec.date_field))
        store.tombstone(db, spec, record_id, actor=session.actor())
    return removed


def undo_remove(session: Session, spec: BookSpec, removed: BookRecord) -> str:
    """Bring a removed record back as a new record with the same values (Ctrl+Z)."""
    return add(session, spec, removed.values)


# -- spreadsheets --------------------------------------------------------------------------


def _cells(spec: BookSpec, record: BookRecord) -> list[Any]:
    return [record.get(column.field) for column in spec.sheet]


def export(session: Session, spec: BookSpec, path: str | Path, *, separator: str = ";",
           progress: Progress | None = None) -> int:
    """Write every live record to ``path`` (.xlsx or .csv) with the members' safety: text
    cells stay text, nothing can start a formula, the file appears whole. Audited."""
    path = Path(path)
    db = session.db()
    total = store.count(db, spec, BookQuery())
    text_columns = [i for i, column in enumerate(spec.sheet) if column.text]
    count = write_rows(path, [c.header for c in spec.sheet],
                       (_cells(spec, r) for r in store.iter_all(db, spec)), separator=separator,
                       text_columns=text_columns, progress=progress, total=total)
    with db.atomic():
        audit.record(db, "export", spec.table, None, actor=session.actor(),
                     detail=f"{path.name}: {count} rows")
    return count


@dataclass(slots=True)
class ImportRow:
    line: int
    values: dict[str, Any]
    errors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ImportPreview:
    """What an import would do: rows that will be added and rows refused, with why."""

    path: Path
    rows: list[ImportRow]
    unknown_headers: list[str]

    @property
    def accepted(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.errors]

    @property
    def refused(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]


def _mapping(spec: BookSpec, headers: Iterable[str]) -> tuple[list[str], list[str]]:
    words = {}
    for column in spec.sheet:
        for word in (column.header, *column.synonyms, column.field):
            words[_norm_header(word)] = column.field
    mapping, unknown = [], []
    for header in headers:
        key = words.get(_norm_header(header), "")
        mapping.append(key)
        if not key and header.strip():
            unknown.append(header)
    return mapping, unknown


def preview(spec: BookSpec, path: str | Path) -> ImportPreview:
    """Read and check a spreadsheet without writing anything."""
    table = read_table(path)
    mapping, unknown = _mapping(spec, table.headers)
    if not any(mapping):
        names = ", ".join(c.header for c in spec.sheet)
        raise KtError(
            _("{file} has no column this book knows. The first row must name the columns: "
              "{names}.").format(file=Path(path).name, names=names), code="no_columns")
    rows = []
    for source in table.rows:
        if all(cell_text(v) == "" for v in source.cells):
            continue
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for key, cell in zip(mapping, source.cells, strict=False):
            if not key:
                continue
            if spec.field(key).kind == DATE:
                try:
                    values[key] = parse_date(cell)
                except ValueError as exc:
                    errors[key] = f"{_(spec.field(key).label)}: {exc}"
            else:
                values[key] = cell_text(cell)
        cleaned, found = problems(spec, values)
        rows.append(ImportRow(source.line, cleaned, list({**found, **errors}.values())))
    return ImportPreview(Path(path), rows, unknown)


def commit(session: Session, spec: BookSpec, plan: ImportPreview) -> int:
    """Add the accepted rows of a preview, all in one transaction; returns how many."""
    require_village(session, spec)
    db = session.db()
    actor = session.actor()
    closed = store.closed_months(db, spec)
    for row in plan.accepted:  # nothing is written when one row falls in a closed month
        if _month_of(row.values.get(spec.date_field)) in closed:
            try:
                _require_open(session, spec, row.values.get(spec.date_field))
            except ValidationError as exc:
                raise ValidationError(_("Row {line}: {reason}").format(
                    line=row.line, reason=exc.message), code="month_closed") from None
    with db.atomic():
        for row in plan.accepted:
            store.insert(db, spec, row.values, village_code=session.code, actor=actor)
        audit.record(db, "import", spec.table, None, actor=actor,
                     detail=f"{plan.path.name}: {len(plan.accepted)} rows")
    return len(plan.accepted)


# -- the printed register and the receiver -------------------------------------------------


@official_paper
def build_register(session: Session, spec: BookSpec, out_path: Path, *,
                   year: int | None = None, month: int | None = None,
                   progress: Progress | None = None, today: dt.date | None = None) -> Path:
    """Print the book with kop surat and signatures (``year``: that year's records only;
    ``month`` with it: that month's). A book with a running total gets each partition's
    balance before the period as ``opening``; a book with a report of its own
    (``RegisterSpec.builder``) is printed by it."""
    import importlib

    from kt_desktop.reports import book_register
    from kt_desktop.services import reports

    progress = progress or no_progress()
    today = today or clock.today()
    profile = reports._village_profile(session)
    out_path = reports.check_output(out_path)
    progress.step(0, 3, _("Reading the book…"))
    db = session.db()
    if month is not None and year is None:
        raise KtError(_("A month is printed with its year (YYYY-MM)."), code="month_without_year")
    query = BookQuery(year=year, month=month)
    records = list(store.iter_all(db, spec, query)) if store.exists(db, spec) else []
    opening = (store.running_before(db, spec, store.period(year, month)[0])
               if spec.running and year is not None else {})
    progress.step(1, 3, _("Laying out the pages…"))
    build = book_register.build
    if spec.register.builder:
        module, name = spec.register.builder.split(":")
        build = getattr(importlib.import_module(module), name)
    build(spec, records, reports._common(profile, today), out_path, year=year, month=month,
          opening=opening)
    with db.atomic():
        audit.record(db, "print", spec.table, None, actor=session.actor(),
                     detail=f"{spec.key}: {len(records)} rows")
    progress.step(3, 3, _("Done."))
    return out_path


def receiver_counts(session: Session, village: str) -> list[tuple[str, int]]:
    """``(label, live records)`` of every counted book for one village (the receiver)."""
    from kt_desktop.services.receiver import _village

    code = _village(session, village)
    db = session.db()
    return [(_(spec.receiver_count.label), store.count_village(db, spec, code))
            for spec in all_books() if spec.receiver_count is not None]


def check_values(spec: BookSpec, values: Mapping[str, Any]) -> dict[str, str]:
    """Every field's problem at once (the form shows each beside its field)."""
    return problems(spec, values)[1]
