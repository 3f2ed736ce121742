"""The use cases of every declared book, shared by its page, its form and the command line.

Generic over :class:`~kt_desktop.domain.book.BookSpec` (``domain.book.book(key)`` finds one):
list and page, get, add, edit, remove (and undo the removal), export to .xlsx/.csv, import
with a preview and in one transaction, the printed register, and the receiver's count per
village. Writes are refused outside a village file: a receiver holds what villages sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kt_desktop.domain import clock
from kt_desktop.domain.activities import Photo
from kt_desktop.domain.book import (
    DATE,
    BookRecord,
    BookSpec,
    ChildRows,
    all_books,
    clean,
    problems,
)
from kt_desktop.domain.errors import KtError, NotFoundError, ValidationError
from kt_desktop.i18n import _, official_paper
from kt_desktop.services import photos
from kt_desktop.services.member_export import write_rows
from kt_desktop.services.member_import import _norm_header, cell_text, parse_date, read_table
from kt_desktop.services.progress import Progress, no_progress
from kt_desktop.services.session import Session
from kt_desktop.store import attachments, audit
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
    #: an editable list's "choice" filter: ``(stored value, label)``, the list and then the
    #: values records still hold that are no longer in it
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


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


def _meeting_choices(session: Session) -> list[tuple[str, str]]:
    from kt_desktop.domain.formats import date_short

    spec = _book_spec("rapat")
    if not store.exists(session.db(), spec):
        return []
    return [(r.id, f"{date_short(r.get('meeting_date'))} · {r.get('title')}")
            for r in store.rows(session.db(), spec, BookQuery(), limit=500)]


def _meeting_exists(session: Session, meeting_id: str) -> bool:
    return store.get(session.db(), _book_spec("rapat"), meeting_id) is not None


def _book_spec(key: str) -> BookSpec:
    from kt_desktop.domain.book import book

    return book(key)


def _member_choices(session: Session) -> list[tuple[str, str]]:
    from kt_desktop.store import members

    return members.choices(session.db())


def _member_exists(session: Session, member_id: str) -> bool:
    from kt_desktop.store import members

    return members.is_live(session.db(), member_id)


def _program_choices(session: Session) -> list[tuple[str, str]]:
    from kt_desktop.services import program_kerja

    return program_kerja.line_choices(session)


def _program_exists(session: Session, line_id: str) -> bool:
    from kt_desktop.services import program_kerja

    return program_kerja.line_exists(session, line_id)


#: The names a ``Field.lookup`` may use (``store.books.LOOKUP_LABELS`` names their records).
LOOKUPS: dict[str, Lookup] = {
    "activity": Lookup(_activity_choices, _activity_exists),
    "member": Lookup(_member_choices, _member_exists),
    "program": Lookup(_program_choices, _program_exists),  # a line of the Program Kerja
    "rapat": Lookup(_meeting_choices, _meeting_exists),  # a meeting (a letter's undangan)
}


def prefill(session: Session, spec: BookSpec) -> dict[str, Any]:
    """The values a new record's form starts with, read from the book (``BookSpec.prefill``):
    e.g. the officers' current term and its SK, so forty officers are not typed forty times
    with the same dates. Empty when the book declares none."""
    if not spec.prefill:
        return {}
    return dict(_call(spec.prefill)(session))


def lookup_choices(session: Session, spec: BookSpec | ChildRows, key: str
                   ) -> list[tuple[str, str]]:
    """The records a lookup field can point at, as ``(id, label)`` (the form's list)."""
    return LOOKUPS[spec.field(key).lookup].choices(session)


def child_hint(session: Session, spec: BookSpec, key: str, values: Mapping[str, Any],
               record_id: str = "") -> str:
    """The note a form shows above a grid of child rows (``ChildRows.hint``), or ""."""
    child = spec.child(key)
    return str(_call(child.hint)(session, dict(values), record_id)) if child.hint else ""


def _check_lookups(session: Session, spec: BookSpec | ChildRows, values: Mapping[str, Any]
                   ) -> None:
    for item in spec.fields:
        value = values.get(item.key)
        if item.lookup and value and not LOOKUPS[item.lookup].exists(session, value):
            raise ValidationError(
                _("{label}: the chosen record no longer exists (it may have been removed); "
                  "choose another.").format(label=_(item.label)),
                field=item.key, code="unknown_reference")


def _fill_from_lookups(session: Session, spec: BookSpec, values: dict[str, Any],
                       before: BookRecord | None = None) -> None:
    """Copy what each chosen record is called into its ``Field.fills`` field: when that field
    is empty, or the choice changed (an edit that picks another member renames)."""
    for item in spec.fields:
        chosen = values.get(item.key)
        if not (item.fills and chosen):
            continue
        changed = before is not None and before.get(item.key) != chosen
        if values.get(item.fills) and not changed:
            continue
        name = store.lookup_label(session.db(), item.lookup, chosen)
        if name:
            values[item.fills] = name[: spec.field(item.fills).max_length]


def choices(session: Session, spec: BookSpec, key: str) -> list[tuple[str, str]]:
    """A choice field's list as ``(stored value, label shown)``: for an editable list the
    one kept in the file (the declared choices until it is edited)."""
    item = spec.field(key)
    kept = store.choice_list(session.db(), spec, key) if item.editable_choices else None
    names = {code: _(label) for code, label in item.choices}
    return [(code, names.get(code, label)) for code, label in
            (kept if kept is not None else item.choices)]


def set_choices(session: Session, spec: BookSpec, key: str, names: Iterable[str]
                ) -> list[tuple[str, str]]:
    """Replace an editable list with ``names`` (as shown: a default's label keeps its stored
    code; blank and repeated names are dropped). Records keep the value they hold."""
    require_village(session, spec)
    item = spec.field(key)
    if not item.editable_choices:
        raise KtError(_("The list of {label} cannot be changed.").format(label=_(item.label)),
                      code="fixed_choices")
    defaults = {_(label).casefold(): code for code, label in item.choices}
    defaults |= {code.casefold(): code for code, _label in item.choices}
    items: list[tuple[str, str]] = []
    for name in names:
        text = " ".join(name.split())
        if not text or text.casefold() in {_(label).casefold() for _c, label in items}:
            continue
        if len(text) > item.max_length:
            raise ValidationError(_("{label} is too long: at most {n} characters.").format(
                label=text, n=item.max_length), field=key)
        code = defaults.get(text.casefold(), text)
        label = next((lbl for c, lbl in item.choices if c == code), text)
        items.append((code, label))
    if not items:
        raise ValidationError(_("Keep at least one entry in the list of {label}.").format(
            label=_(item.label)), field=key)
    db = session.db()
    with db.atomic():
        store.put_choice_list(db, spec, key, items)
        audit.record(db, "update", "settings", None, actor=session.actor(),
                     detail=f"choices {spec.key}.{key}: {len(items)}")
    return choices(session, spec, key)


def _check_choices(session: Session, spec: BookSpec, values: Mapping[str, Any]) -> None:
    """A value written to an editable list's field must be in the list now."""
    for item in spec.fields:
        value = values.get(item.key)
        if item.editable_choices and value and value not in {
                code for code, _label in choices(session, spec, item.key)}:
            raise ValidationError(
                _("{label}: “{value}” is not in the list; add it to the list first, or "
                  "choose another.").format(label=_(item.label), value=value),
                field=item.key, code="bad_choice")


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


def resolve_id(session: Session, spec: BookSpec, typed: str) -> str:
    """A record's id from the id or its first characters as ``book list`` prints them (8);
    refused when none or several records start so."""
    typed = typed.strip()
    found = store.ids_starting(session.db(), spec, typed) if len(typed) >= 4 else []
    if typed in found or len(found) == 1:
        return typed if typed in found else found[0]
    if found:
        raise KtError(_("Several records of the {book} start with “{id}”; give more of the "
                        "id.").format(book=_(spec.title), id=typed), code="ambiguous_id")
    raise NotFoundError(_("The {book} has no record “{id}” (it may have been removed); "
                          "`kt-desktop book list {key}` shows the ids.").format(
        book=_(spec.title), id=typed, key=spec.key))


def filter_values(session: Session, spec: BookSpec) -> FilterValues:
    db = session.db()
    values = {f.field: store.values(db, spec, f.field) for f in spec.filters if f.kind == "value"}
    listed: dict[str, list[tuple[str, str]]] = {}
    for flt in spec.filters:
        if flt.kind == "choice" and spec.field(flt.field).editable_choices:
            items = choices(session, spec, flt.field)
            known = {code for code, _label in items}
            held = [v for v in store.values(db, spec, flt.field) if v not in known]
            listed[flt.field] = items + [(value, value) for value in sorted(held)]
    return FilterValues(store.years(db, spec), values, listed)


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
    # the reversal names what the original named, even a record removed since (the
    # expense of an activity cancelled later is still corrected)
    new_id = add(session, spec, values, keep_lookups=True)
    db = session.db()
    with db.atomic():
        audit.record(db, "reverse", spec.table, new_id, actor=session.actor(),
                     detail=f"{spec.key}: corrects {record_id}")
    return new_id


def _call(target: str) -> Callable[..., Any]:
    import importlib

    module, name = target.split(":")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def add(session: Session, spec: BookSpec, values: Mapping[str, Any],
        files: Sequence[Photo] | None = None,
        children: Mapping[str, Sequence[Mapping[str, Any]]] | None = None, *,
        keep_lookups: bool = False) -> str:
    """Check and store a new record (with its attached ``files``, made by
    ``services.photos.intake_files``, and its child rows by ``ChildRows.key``), in one
    transaction; returns its id. Nothing is stored when one value, file or row is wrong.
    ``keep_lookups``: the lookups are copied from a stored record (a reversal), not chosen,
    so a record removed since does not refuse them."""
    require_village(session, spec)
    db = session.db()
    with db.atomic():
        if spec.prepare:  # e.g. a letter's number from the register's sequence
            values = _call(spec.prepare)(session, values)
        cleaned = clean(spec, values)
        if not keep_lookups:
            _check_lookups(session, spec, cleaned)
            _check_choices(session, spec, cleaned)
        _fill_from_lookups(session, spec, cleaned)
        _require_open(session, spec, cleaned.get(spec.date_field))
        rows = _clean_children(session, spec, children or {})
        _check_files(session, spec, None, files)
        new_id = store.insert(db, spec, cleaned, village_code=session.code,
                              actor=session.actor())
        _store_children(session, spec, new_id, rows)
        _store_files(session, spec, new_id, files)
    return new_id


# -- child rows (a meeting's attendance, agenda items, follow-ups) -------------------------


def _clean_children(session: Session, spec: BookSpec,
                    children: Mapping[str, Sequence[Mapping[str, Any]]]
                    ) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Every child row checked like a record (``(id, cleaned)``); the first wrong one is
    refused naming its grid and row."""
    out: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for key, rows in children.items():
        child = spec.child(key)
        cleaned_rows = []
        for number, row in enumerate(rows, 1):
            cleaned, found = problems(child, row)
            if not found:
                try:
                    _check_lookups(session, child, cleaned)
                except ValidationError as exc:
                    found = {exc.field or "": exc.message}
            if found:
                raise ValidationError(_("{grid}, row {n}: {reason}").format(
                    grid=_(child.title), n=number, reason=next(iter(found.values()))),
                    field=key, code="bad_row")
            cleaned_rows.append((str(row.get("id") or ""), cleaned))
        out[key] = cleaned_rows
    return out


def _store_children(session: Session, spec: BookSpec, parent_id: str,
                    rows: Mapping[str, list[tuple[str, dict[str, Any]]]]) -> None:
    for key, cleaned in rows.items():
        store.replace_children(session.db(), spec.child(key), parent_id, cleaned,
                               village_code=session.code, actor=session.actor())


def children(session: Session, spec: BookSpec, key: str, parent_id: str) -> list[BookRecord]:
    """The live child rows ``key`` of one record, in their order."""
    return store.child_rows(session.db(), spec.child(key), [parent_id])[parent_id]


def children_of(session: Session, spec: BookSpec, key: str, parent_ids: Sequence[str]
                ) -> dict[str, list[BookRecord]]:
    """The child rows of many records at once (a report of a month's meetings)."""
    return store.child_rows(session.db(), spec.child(key), parent_ids)


def edit(session: Session, spec: BookSpec, record_id: str, values: Mapping[str, Any],
         files: Sequence[Photo] | None = None,
         children: Mapping[str, Sequence[Mapping[str, Any]]] | None = None) -> None:
    """Change a record; fields ``values`` does not name keep what they hold (a form that
    does not show a field, e.g. the member a dues payment names, never clears it), and
    ``readonly`` fields keep theirs whatever is given. ``files`` (when given) is its whole
    list of attachments: the stored ones it keeps (by id, captions updated), new ones, and
    without the removed ones. The child rows named in ``children`` become the rows given
    (rows with an ``id`` are changed, new ones added, the ones left out removed)."""
    require_village(session, spec)
    before = get(session, spec, record_id)
    kept = before.values
    values = {**{f.key: kept.get(f.key) for f in spec.fields if f.key not in values}, **values,
              **{k: kept.get(k) for k in spec.readonly}}  # typed by no one
    cleaned = clean(spec, values)
    # a lookup unchanged is not checked again: a dues entry of a member removed since
    # can still have its description corrected
    changed = {k: v for k, v in cleaned.items() if kept.get(k) != v}
    _check_lookups(session, spec, changed)
    _check_choices(session, spec, changed)
    if any(item.fills for item in spec.fields):
        _fill_from_lookups(session, spec, cleaned, before)
    if spec.closable:
        _require_open(session, spec, before.get(spec.date_field), cleaned.get(spec.date_field))
    rows = _clean_children(session, spec, children or {})
    db = session.db()
    with db.atomic():
        _check_files(session, spec, record_id, files)
        store.update(db, spec, record_id, cleaned, actor=session.actor())
        _store_children(session, spec, record_id, rows)
        _store_files(session, spec, record_id, files)


# -- attachments ---------------------------------------------------------------------------


def _check_files(session: Session, spec: BookSpec, record_id: str | None,
                 files: Sequence[Photo] | None) -> None:
    if files is None:
        return
    if spec.attachments is None:
        raise ValueError(f"book {spec.key} declares no attachments")
    photos.check_attached(session, spec.table, record_id, files, field="files",
                          gone=_("An attached file was removed meanwhile; open the record "
                                 "again."))


def _store_files(session: Session, spec: BookSpec, record_id: str,
                 files: Sequence[Photo] | None) -> None:
    if files is not None:
        attachments.sync(session.db(), spec.table, record_id, list(files),
                         village_code=session.code, actor=session.actor())


def files(session: Session, spec: BookSpec, record_id: str) -> list[Photo]:
    """A record's attachments in order, thumbnails only (``data`` None)."""
    return attachments.list_for(session.db(), spec.table, record_id)


def file_data(session: Session, attachment_id: str) -> bytes | None:
    """One attachment's stored bytes (a scaled JPEG, or a PDF scan as it was)."""
    return attachments.image_data(session.db(), attachment_id)


def take_in_files(spec: BookSpec, paths: Sequence[str | Path], *, known: Iterable[str] = (),
                  progress: Progress | None = None) -> photos.IntakeReport:
    """Read files chosen for a record: photos scaled, PDF scans kept when the book takes
    documents, duplicates (by content) and bad files reported by name."""
    documents = spec.attachments is not None and spec.attachments.documents
    return photos.intake_files(paths, known=known, progress=progress, documents=documents)


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
        if spec.attachments is not None:
            attachments.remove_all(db, spec.table, record_id, actor=session.actor())
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
            values = _call(spec.prepare)(session, row.values) if spec.prepare else row.values
            store.insert(db, spec, values, village_code=session.code, actor=actor)
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
    from kt_desktop.reports import book_register
    from kt_desktop.services import reports

    progress = progress or no_progress()
    common, out_path = reports.paper_frame(session, out_path, today)
    progress.step(0, 3, _("Reading the book…"))
    db = session.db()
    if month is not None and year is None:
        raise KtError(_("A month is printed with its year (YYYY-MM)."), code="month_without_year")
    if month is not None and spec.year_field:
        raise KtError(_("The {book} is kept per year: print it with --year YYYY.").format(
            book=_(spec.title)), code="kept_per_year")
    query = BookQuery(year=year, month=month)
    records = list(store.iter_all(db, spec, query)) if store.exists(db, spec) else []
    opening = (store.running_before(db, spec, store.period(year, month)[0])
               if spec.running and year is not None else {})
    progress.step(1, 3, _("Laying out the pages…"))
    build = _call(spec.register.builder) if spec.register.builder else book_register.build
    extra: dict[str, Any] = (
        {"extra": _call(spec.register.feed)(session, spec, records, year)}
        if spec.register.feed else {})
    build(spec, records, common, out_path, year=year, month=month, opening=opening, **extra)
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


def receiver_month_counts(session: Session, village: str, year: int, month: int
                          ) -> list[tuple[str, int]]:
    """``(label, live records dated in that month)`` of every counted book with a date, for
    one village (the receiver counts meetings and letters per village and month)."""
    from kt_desktop.services.receiver import _village

    code = _village(session, village)
    db = session.db()
    start, end = store.period(year, month)
    return [(_(spec.receiver_count.label), store.count_village_between(db, spec, code, start,
                                                                       end))
            for spec in all_books() if spec.receiver_count is not None and spec.date_field]


def check_values(spec: BookSpec, values: Mapping[str, Any]) -> dict[str, str]:
    """Every field's problem at once (the form shows each beside its field)."""
    return problems(spec, values)[1]
