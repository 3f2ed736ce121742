"""A book, declared once: the one way every administration book of the secretary is kept.

A book module (``kt_desktop/domain/books/<key>.py``) builds one :class:`BookSpec` and lists
its module in :data:`BOOK_MODULES`. From the declaration alone come the table
(``store.books``), the use cases and their checks (``services.books``), the list page and the
form (``gui.pages.book``, ``gui.dialogs.book_form``), the command line (``cli.books``), the
spreadsheet export and import, the printed register (``reports.book_register``), the bundle
(``store.sync`` lists every travelling book) and the receiver's counts. See docs/BOOKS.md.

A book module imports this module as its one vocabulary (``from kt_desktop.domain import book
as bk``: ``bk.BookSpec``, ``bk.Field``, ``bk.DATE`` ...) and states only what is its own; the
rest is made here (the year filter, the date field, the rows' ``personal``, the register's
titles, the spreadsheet's columns).

Everything here is pure data and rules: no SQL, no Qt. Labels are English msgids (``N_``),
translated where they are shown; spreadsheet headers are Indonesian words, the same in every
UI language, so an exported file always imports again.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from kt_desktop.domain import clock
from kt_desktop.domain.errors import KtError, ValidationError
from kt_desktop.i18n import N_, _

TEXT, MULTILINE, DATE, PHONE, CHOICE, INTEGER, MONEY = (
    "text", "multiline", "date", "phone", "choice", "integer", "money"
)
KINDS = (TEXT, MULTILINE, DATE, PHONE, CHOICE, INTEGER, MONEY)
#: Kinds stored as SQL integers (``money``: whole rupiah, typed as ``1.500.000`` or ``1,5 jt``).
NUMERIC = (INTEGER, MONEY)
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
#: A book's key is its CLI name and page key, never SQL: words may be joined by "-"
#: (``program-kerja``)
_KEY = re.compile(r"^[a-z][a-z0-9_]*(-[a-z0-9_]+)*$")

#: The modules that declare a book, in sidebar order. Add one line per book.
BOOK_MODULES: list[str] = [
    "kt_desktop.domain.books.tamu",
    "kt_desktop.domain.books.kas",
    "kt_desktop.domain.books.pengurus",
    "kt_desktop.domain.books.inventaris",
    "kt_desktop.domain.books.program_kerja",
    "kt_desktop.domain.books.rapat",
    "kt_desktop.domain.books.surat_masuk",
    "kt_desktop.domain.books.surat_keluar",
]

#: A rule takes the cleaned value and returns an English message (with ``{label}``) or None.
Rule = Callable[[Any], str | None]
#: A rule over the whole record (fields that only make sense together, e.g. "in or out"):
#: returns ``(field, English message)`` to show beside that field, or None.
RecordRule = Callable[[Mapping[str, Any]], tuple[str, str] | None]


@dataclass(frozen=True, slots=True)
class Field:
    """One value of a record: how it is stored, typed, checked and named."""

    key: str  # column name
    label: str  # English msgid
    kind: str = TEXT
    required: bool = False
    max_length: int = 200
    choices: tuple[tuple[str, str], ...] = ()  # (stored code, English label msgid)
    rules: tuple[Rule, ...] = ()
    normalize: Callable[[str], str] | None = None  # may raise ValidationError
    placeholder: str = ""  # English msgid shown in the empty field
    #: cleared when the record is removed (the tombstone keeps none); None: as the book (or
    #: the rows) says, ``BookSpec.personal``
    personal: bool | None = None
    default: str = ""  # what an empty value becomes (e.g. the account "Kas tunai")
    #: the value is the id of a record elsewhere, chosen from ``services.books.LOOKUPS[name]``
    #: (``"activity"``: a cash entry's activity; ``"member"``: a member of the register, e.g.
    #: a meeting's chair); checked to exist when saved
    lookup: str = ""
    #: with ``lookup``: the text field that takes what the chosen record is called when the
    #: record is saved (an officer's name from the member chosen: a copy that prints, travels
    #: and stays as the SK wrote it); a name typed there is kept while the choice is unchanged
    fills: str = ""
    #: a ``choice`` whose list the user edits (a cash book's categories): ``choices`` are
    #: the defaults, ``services.books.choices`` the list kept in the file; a value written is
    #: checked against that list, and a record keeps its text when the list changes later
    editable_choices: bool = False
    #: the header of its column in the .xlsx/.csv export and import: Indonesian, the same in
    #: every UI language, so an exported file always imports again (empty: not in the file)
    sheet: str = ""
    #: other headers an imported file may give the column (``"tgl"``, ``"no. hp"``)
    aliases: tuple[str, ...] = ()
    #: an exported cell stays text (``19.30``, ``3-5``, ``INV-001`` never become numbers or
    #: dates); a ``phone`` field's always does
    text_cell: bool = False


def _personal(fields: tuple[Field, ...], default: bool) -> tuple[Field, ...]:
    """The fields with ``personal`` decided: the book's default where a field says nothing."""
    return tuple(replace(item, personal=default) if item.personal is None else item
                 for item in fields)


@dataclass(frozen=True, slots=True)
class RunningTotal:
    """A computed column: the running sum of ``plus`` minus ``minus`` over the book's live
    records in date order (a cash book's saldo), per value of ``partition`` if one is named.

    It is computed when read (never stored, so an edit or a removal can never leave a stale
    balance), and may be named by ``columns`` and ``RegisterColumn`` like a field.
    """

    key: str  # the value's name in BookRecord.values, e.g. "balance"
    label: str  # English msgid
    plus: str  # a numeric field added
    minus: str = ""  # a numeric field subtracted
    partition: str = ""  # a field: one running total per value (e.g. per account)


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the list page; ``width`` in pixels at the default font (0: stretches).
    ``optional`` columns are hidden, last first, when the window is too narrow to show them
    beside the stretching column (1024 px with a large font)."""

    field: str
    width: int = 120
    optional: bool = False


def columns(*, optional: tuple[str, ...] = (), **widths: int) -> tuple[Column, ...]:
    """The list page's columns as a table of ``field=width`` in order (0: stretches);
    ``optional`` names the ones that give way on a narrow window."""
    unknown = set(optional) - set(widths)
    if unknown:
        raise ValueError(f"optional columns that are not columns: {sorted(unknown)}")
    return tuple(Column(key, width, key in optional) for key, width in widths.items())


@dataclass(frozen=True, slots=True)
class Filter:
    """A filter above the list: ``year`` (of a date field), ``choice`` (the field's choices)
    or ``value`` (the values the book already holds, e.g. whom guests met)."""

    field: str
    kind: str  # "year" | "choice" | "value"
    everything: str  # English msgid of the "all" entry, e.g. "All years"


@dataclass(frozen=True, slots=True)
class Section:
    """A titled group of fields in the form."""

    title: str  # English msgid
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SheetColumn:
    """A column of the .xlsx/.csv export and import, made by :class:`BookSpec` from a field's
    ``sheet``, ``aliases`` and ``text_cell``; ``text`` keeps it a text cell."""

    field: str
    header: str  # Indonesian, as written in the file
    synonyms: tuple[str, ...] = ()
    text: bool = False

    @classmethod
    def of(cls, item: Field) -> SheetColumn:
        return cls(item.key, item.sheet, item.aliases, item.text_cell or item.kind == PHONE)


@dataclass(frozen=True, slots=True)
class RegisterColumn:
    """A column of the printed register: a field (or the running total) and its width.

    Its title is the field's label unless ``header`` says otherwise; a column without a
    ``field`` (``header`` only) is left empty to write by hand (a guest's signature).
    """

    field: str
    width_mm: float  # 0: takes the room left
    header: str = ""  # English msgid; filled in from the field's label by BookSpec


def printed(**widths: float | tuple[float, str]) -> tuple[RegisterColumn, ...]:
    """The printed register's columns as a table of ``field=width_mm`` in order (0: takes the
    room left); ``field=(width_mm, N_("Title"))`` where the paper's word differs from the
    field's label."""
    return tuple(RegisterColumn(key, *width) if isinstance(width, tuple) else
                 RegisterColumn(key, width) for key, width in widths.items())


@dataclass(frozen=True, slots=True)
class RegisterSpec:
    columns: tuple[RegisterColumn, ...]
    title: str = ""  # English msgid; empty: the book's title
    landscape: bool = True
    signatures: bool = True
    closing: str = ""  # English msgid of the sentence above the signatures
    empty: str = ""  # English msgid printed when there is nothing to list
    #: who signs beside the Ketua: the profile's officer (``sekretaris``, ``bendahara``)
    second_signer: str = "sekretaris"
    #: ``"module:function"`` building a report of the book's own, with the signature of
    #: ``reports.book_register.build`` (e.g. a cash book with opening balance and month totals)
    builder: str = ""
    #: ``"module:function"``, ``(session, spec, records, year) -> object``: what the printed
    #: book needs from other tables (a work programme's realisation), passed to ``builder``
    #: as the keyword ``extra``
    feed: str = ""


@dataclass(frozen=True, slots=True)
class Travel:
    """Whether the book's rows (and tombstones) go in bundles; ``blob_columns`` as files."""

    enabled: bool = True
    blob_columns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Attachments:
    """Files kept with each record (receipts, scanned letters, photos): stored in the
    ``attachments`` table like an activity's photos (scaled JPEG with a thumbnail; a PDF scan
    as it is when ``documents``), added and removed in the form, removed with the record,
    and travelling in bundles with the record's other rows."""

    label: str  # English msgid of the form's section, e.g. "Receipt photos or scans"
    documents: bool = False  # PDF scans are accepted besides JPEG/PNG photos
    hint: str = ""  # English msgid shown under the section's buttons
    #: a field of the record that must be ticked (``"ya"``) for its files to go in bundles
    #: (scans of incoming letters can be large); removals always travel
    travel_when: str = ""


@dataclass(frozen=True, slots=True)
class ReceiverCount:
    """The receiver counts the live rows of each village under ``label``."""

    label: str  # English msgid


@dataclass(frozen=True, slots=True)
class ChildRows:
    """Rows that belong to one record of a book (a meeting's attendance, its agenda items,
    its follow-ups): a record table of their own with ``parent_id`` and ``position``, edited
    as a grid in the book's form, checked like fields, travelling after the book's table and
    removed with their record.

    ``columns`` are the fields shown in the grid; ``checks`` rules over one whole row.
    """

    key: str  # "attendance": the name services and the CLI use
    table: str  # SQL table
    title: str  # English msgid: the grid's title in the form
    fields: tuple[Field, ...]
    columns: tuple[str, ...] = ()  # fields in the grid, in order (default: every field)
    checks: tuple[RecordRule, ...] = ()
    #: the number of rows the form starts a new record with (e.g. one agenda item)
    start_rows: int = 0
    #: ``"module:function"`` called as ``fn(session, values, record_id) -> str``: a note the
    #: form shows above the grid (the open follow-ups of earlier meetings of the same kind)
    hint: str = ""
    #: whether a field that does not say is personal (cleared with its record); None: as
    #: the book says (``BookSpec.personal``), which decides it when the rows are its children
    personal: bool | None = None

    def __post_init__(self) -> None:
        if self.personal is not None:
            object.__setattr__(self, "fields", _personal(self.fields, self.personal))
        keys = [f.key for f in self.fields]
        for name in (self.key, self.table, *keys):
            if not _NAME.match(name) or name in ("parent_id", "position"):
                raise ValueError(f"rows {self.key}: {name!r} is not a plain lower-case name")
        unknown = set(self.columns) - set(keys)
        if unknown:
            raise ValueError(f"rows {self.key}: unknown fields {sorted(unknown)}")

    def field(self, key: str) -> Field:
        for item in self.fields:
            if item.key == key:
                return item
        raise KeyError(key)

    @property
    def shown(self) -> tuple[str, ...]:
        return self.columns or tuple(f.key for f in self.fields)


@dataclass(frozen=True, slots=True)
class BookSpec:
    """Everything that makes a book; see the module docstring for what is built from it."""

    key: str  # "tamu": CLI name, page key
    table: str  # SQL table
    title: str  # English msgid: "Guest Book"
    description: str  # English msgid under the page's title
    noun: tuple[str, str]  # English singular and plural: ("guest", "guests")
    fields: tuple[Field, ...]
    columns: tuple[Column, ...]
    search: tuple[str, ...]  # fields searched as you type
    sections: tuple[Section, ...]
    register: RegisterSpec
    label_field: str  # names a record in questions ("Hapus tamu “Budi”?")
    #: the date a year refers to (register --year, year filter); None: the first ``date``
    #: field (a book's own date comes first), "" for none
    date_field: str | None = None
    #: (field, descending); by default the ``date_field``, newest first
    sort: tuple[str, bool] = ("", True)
    #: the filters after the year filter, which is made: over the ``year_field`` or the
    #: ``date_field`` (when there is one), its "all" entry ``year_filter`` ("" for none)
    filters: tuple[Filter, ...] = ()
    year_filter: str = N_("All years")
    travel: Travel = field(default_factory=Travel)
    receiver_count: ReceiverCount | None = None
    icon: str = "file-text"  # resources/icons name
    running: RunningTotal | None = None  # a computed running total (a cash book's balance)
    checks: tuple[RecordRule, ...] = ()  # rules over the whole record
    #: months can be closed (tutup buku): their records can no longer be added, changed or
    #: removed; a correction is a new, reversing record in an open month
    closable: bool = False
    #: further sort keys after ``sort`` (and after a column the user sorts by), ascending;
    #: a choice sorts in its declared order (the officers: by rank, then seksi)
    then: tuple[str, ...] = ()
    #: ``"module:function"`` (a service taking the Session) giving the values a new record's
    #: form starts with, read from the book itself (the officers' current term and its SK,
    #: the next free inventory code); the declared ``default`` values come first
    prefill: str = ""
    #: an ``integer`` field that is the record's year (a book kept per year, like the work
    #: programme, that has no date): the year filter and ``--year`` read it
    year_field: str = ""
    #: rows that belong to each record, edited as grids in the form (:class:`ChildRows`)
    children: tuple[ChildRows, ...] = ()
    #: ``"module:function"`` called as ``fn(session, values) -> values`` before a new record
    #: is checked and stored (a letter's number assigned from the register's sequence)
    prepare: str = ""
    #: fields the form shows but the user does not type (filled by ``prepare``)
    readonly: tuple[str, ...] = ()
    attachments: Attachments | None = None  # files kept with each record
    #: whether a field that does not say is personal: cleared when its record is removed,
    #: so the tombstone that travels carries none (False: a book of the organisation's own
    #: doings, like the cash book, whose few personal fields say ``personal=True``)
    personal: bool = True
    #: the spreadsheet's columns in this order, when not the fields' own order
    sheet_order: tuple[str, ...] = ()
    #: the .xlsx/.csv columns: every field with a ``sheet`` header (made, never declared)
    sheet: tuple[SheetColumn, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", _personal(self.fields, self.personal))
        if self.date_field is None:
            object.__setattr__(self, "date_field", next(
                (item.key for item in self.fields if item.kind == DATE), ""))
        if not self.sort[0]:
            if not self.date_field:
                raise ValueError(f"book {self.key}: a book without a date_field names its sort")
            object.__setattr__(self, "sort", (self.date_field, self.sort[1]))
        keys = [f.key for f in self.fields]
        computed = [self.running.key] if self.running else []
        if not _KEY.match(self.key):
            raise ValueError(f"book {self.key!r}: the key is not a plain lower-case name")
        for name in (self.table, *keys, *computed):
            if not _NAME.match(name):
                raise ValueError(f"book {self.key}: {name!r} is not a plain lower-case name")
        used = set(self.search) | {self.sort[0]} | set(self.then)
        used |= {f.fills for f in self.fields if f.fills}
        used |= {f.field for f in self.filters} | set(self.sheet_order)
        used |= {n for s in self.sections for n in s.fields} | {self.label_field}
        if self.date_field:
            used.add(self.date_field)
        if self.year_field:
            used.add(self.year_field)
            if self.year_field in keys and \
                    self.fields[keys.index(self.year_field)].kind != INTEGER:
                raise ValueError(f"book {self.key}: the year field must be an integer field")
        used |= set(self.readonly)
        if (self.running or self.closable) and not self.date_field:
            raise ValueError(f"book {self.key}: a running total or closing needs a date_field")
        if self.running:
            used |= {n for n in (self.running.plus, self.running.minus,
                                 self.running.partition) if n}
        shown = {c.field for c in self.columns}
        shown |= {c.field for c in self.register.columns if c.field}
        unknown = (used - set(keys)) | (shown - set(keys) - set(computed))
        if unknown:
            raise ValueError(f"book {self.key}: unknown fields {sorted(unknown)}")
        for item in self.fields:
            if item.kind not in KINDS:
                raise ValueError(f"book {self.key}: field {item.key} has kind {item.kind!r}")
        self._derive()

    def _derive(self) -> None:
        """Fill in what the declaration states once elsewhere: the spreadsheet's columns from
        the fields' ``sheet`` headers, the register's column titles from the fields' labels
        and its title from the book's, the year filter from the year or date field, the
        rows' ``personal`` from the book's."""
        in_sheet = [item for item in self.fields if item.sheet]
        if self.sheet_order:
            unsheeted = set(self.sheet_order) - {item.key for item in in_sheet}
            if unsheeted or len(self.sheet_order) != len(in_sheet):
                raise ValueError(f"book {self.key}: sheet_order must name every field with a "
                                 f"sheet header once (not {sorted(unsheeted)})")
            in_sheet = [self.field(key) for key in self.sheet_order]
        titled = []
        for column in self.register.columns:
            if not column.header and not column.field:
                raise ValueError(f"book {self.key}: a register column names a field or a header")
            titled.append(column if column.header else
                          replace(column, header=self.field(column.field).label))
        object.__setattr__(self, "sheet", tuple(SheetColumn.of(item) for item in in_sheet))
        by_year = self.year_field or self.date_field
        if by_year and self.year_filter and all(f.kind != "year" for f in self.filters):
            object.__setattr__(self, "filters",
                               (Filter(by_year, "year", self.year_filter), *self.filters))
        object.__setattr__(self, "children", tuple(
            rows if rows.personal is not None else replace(rows, personal=self.personal)
            for rows in self.children))
        object.__setattr__(self, "register", replace(self.register, columns=tuple(titled),
                                                     title=self.register.title or self.title))

    def child(self, key: str) -> ChildRows:
        for rows in self.children:
            if rows.key == key:
                return rows
        raise KeyError(key)

    def field(self, key: str) -> Field:
        for item in self.fields:
            if item.key == key:
                return item
        if self.running and key == self.running.key:
            # the computed column reads like a read-only number of the plus field's kind
            return Field(key, self.running.label, self.field(self.running.plus).kind,
                         personal=False)
        raise KeyError(key)

    @property
    def computed(self) -> tuple[str, ...]:
        """The keys of values computed when read (in ``BookRecord.values`` after the fields)."""
        return (self.running.key,) if self.running else ()


@dataclass(frozen=True, slots=True)
class BookRecord:
    """One live record: identity plus the declared values (dates as ``datetime.date``)."""

    id: str
    values: dict[str, Any]
    version: int = 1
    #: what a lookup field's id names (a member's name, an activity's title), read with the
    #: record; empty when the record pointed at was removed
    labels: dict[str, str] = field(default_factory=dict)

    def get(self, key: str) -> Any:
        return self.values.get(key)


def display(spec: BookSpec, record: BookRecord, key: str,
            dates: Callable[[dt.date], str] | None = None) -> str:
    """A value as the list and the printed register show it: a date by ``dates`` (the
    screen's or the paper's short form), numbers grouped, money as ``Rp1.500.000``, a
    choice by its label, a lookup by what it names, text on one line."""
    from kt_desktop.domain.formats import date_short, number, rupiah

    item, value = spec.field(key), record.get(key)
    if item.lookup:
        return record.labels.get(key) or (_("(removed)") if value else "")
    if isinstance(value, dt.date):
        return (dates or date_short)(value)
    if item.kind == INTEGER and value is not None:
        return str(value) if key == spec.year_field else number(value)  # a year: 2026
    if item.kind == MONEY:
        return rupiah(value) if isinstance(value, int) else ""
    if item.kind == CHOICE:
        return next((_(label) for code, label in item.choices if code == value), value or "")
    return " ".join(str(value or "").split())


# -- the registry --------------------------------------------------------------------------


@cache
def all_books() -> tuple[BookSpec, ...]:
    """Every declared book, in :data:`BOOK_MODULES` order (imported once)."""
    return tuple(importlib.import_module(name).BOOK for name in BOOK_MODULES)


def book(key: str) -> BookSpec:
    """The book called ``key``; an Indonesian refusal naming the known books otherwise."""
    for spec in all_books():
        if spec.key == key:
            return spec
    known = ", ".join(spec.key for spec in all_books())
    raise KtError(
        _("There is no book called “{key}”. Known books: {known}.").format(key=key, known=known),
        code="unknown_book",
    )


# -- checking values -----------------------------------------------------------------------


def phone_rule(text: str) -> str:
    """A phone number in the national form, by the members' rule (one rule for both)."""
    from kt_desktop.domain.members import normalize_phone

    return normalize_phone(text)


def _clean_one(item: Field, value: Any) -> Any:
    if item.kind == DATE:
        if value in (None, ""):
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError(
                _("{label}: “{value}” is not a date; write it as DD/MM/YYYY.").format(
                    label=_(item.label), value=value), field=item.key, code="bad_date") from None
    if item.kind == MONEY:
        if value in (None, "") or str(value).strip() in ("", "-"):
            return None
        from kt_desktop.domain.money import parse_rupiah

        try:
            return parse_rupiah(value) or None  # 0 or "-": the unused column of a sheet
        except ValidationError as exc:
            raise ValidationError(f"{_(item.label)}: {exc}", field=item.key,
                                  code=exc.code) from None
    if item.kind == INTEGER:
        if value in (None, ""):
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ValidationError(
                _("{label}: “{value}” is not a whole number.").format(
                    label=_(item.label), value=value), field=item.key, code="bad_number") from None
    text = " ".join(str(value or "").split()) if item.kind != MULTILINE else str(value or "").strip()
    if not text and item.default:
        text = item.default
    normalize = item.normalize or (phone_rule if item.kind == PHONE else None)
    if text and normalize is not None:
        try:
            text = normalize(text)
        except ValidationError as exc:
            raise ValidationError(str(exc), field=item.key, code=exc.code) from None
    if item.kind == CHOICE and text and text not in {code for code, _label in item.choices}:
        by_label = {_(label).casefold(): code for code, label in item.choices}
        by_label |= {code.replace("_", " "): code for code, _label in item.choices}  # dana desa
        if text.casefold() not in by_label and item.editable_choices:
            return text  # a category of the file's own list (checked by the service)
        if text.casefold() not in by_label:
            raise ValidationError(
                _("{label}: “{value}” is not one of the choices.").format(
                    label=_(item.label), value=text), field=item.key, code="bad_choice")
        text = by_label[text.casefold()]
    return text


def problems(spec: BookSpec | ChildRows, values: Mapping[str, Any]
             ) -> tuple[dict[str, Any], dict[str, str]]:
    """``(cleaned values, {field: Indonesian message})`` for a record (or a child row) as
    typed.

    Every field is checked, so a form can show each message beside its own field at once.
    """
    cleaned: dict[str, Any] = {}
    found: dict[str, str] = {}
    for item in spec.fields:
        try:
            value = _clean_one(item, values.get(item.key))
        except ValidationError as exc:
            found[item.key] = str(exc)
            continue
        label = _(item.label)
        if item.required and value in (None, ""):
            found[item.key] = _("{label} must be filled in.").format(label=label)
        elif isinstance(value, str) and len(value) > item.max_length:
            found[item.key] = _("{label} is too long: at most {n} characters.").format(
                label=label, n=item.max_length)
        else:
            for rule in item.rules:
                message = rule(value) if value not in (None, "") else None
                if message:
                    found[item.key] = _(message).format(label=label)
                    break
        cleaned[item.key] = value
    for check in spec.checks:
        if set(found) & {item.key for item in spec.fields if item.kind in NUMERIC}:
            break  # a whole-record rule is about numbers already read
        outcome = check(cleaned)
        if outcome and outcome[0] not in found:
            found[outcome[0]] = _(outcome[1]).format(label=_(spec.field(outcome[0]).label))
    return cleaned, found


def clean(spec: BookSpec | ChildRows, values: Mapping[str, Any]) -> dict[str, Any]:
    """The cleaned values, or a :class:`ValidationError` naming the first wrong field."""
    cleaned, found = problems(spec, values)
    for item in spec.fields:
        if item.key in found:
            raise ValidationError(found[item.key], field=item.key)
    return cleaned


def positive(value: Any) -> str | None:
    """A rule for amounts: more than nothing (a cash entry of Rp0 says nothing)."""
    if isinstance(value, int) and value <= 0:
        return N_("{label} must be more than zero.")
    return None


def not_in_future(today: Callable[[], dt.date] = clock.today) -> Rule:
    """A rule for dates that cannot lie ahead (a guest who has not come yet).

    "Today" is the data file's day (:func:`clock.today`: its province's WIB, WITA or WIT),
    not the laptop's: on a laptop set to UTC, a payment written at 06.00 WIB would
    otherwise be refused as lying in the future, for seven hours every day.
    """

    def rule(value: Any) -> str | None:
        if isinstance(value, dt.date) and value > today():
            return N_("{label} cannot be in the future.")
        return None

    return rule


def record_date(key: str, *aliases: str, past: bool = False, **more: Any) -> Field:
    """A record's own date as the books write it: "Date", required, "Tanggal" in the
    spreadsheet (also read from "tgl" and ``aliases``); ``past``: it cannot lie ahead (a
    visit, a payment; a meeting or a letter may be written before its day)."""
    return Field(key, N_("Date"), DATE, required=True, rules=(not_in_future(),) if past else (),
                 sheet="Tanggal", aliases=("tgl", *aliases), **more)
