"""The list page of any declared book: the standard header, toolbar, filters and paged table.

``VILLAGE_PAGES`` names a book's page as ``kt_desktop.gui.pages.book:<key>``; the module's
``__getattr__`` turns the key into a factory, so a book needs no page module of its own.
Keys are those of every book page: Ctrl+N adds, Enter opens, Delete removes after a question
naming the record, Ctrl+Z brings the last removal back, Ctrl+F goes to the search box.
Cetak, Ekspor and Impor print the register, write a spreadsheet and read one (after a preview).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QPushButton,
    QWidget,
)

from kt_desktop.domain.book import DATE, MONEY, BookRecord, BookSpec, book
from kt_desktop.domain.formats import number
from kt_desktop.gui.dialogs.book_form import BookForm
from kt_desktop.gui.models.book_table import BookTableModel
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.list_page import RecordListPage
from kt_desktop.gui.widgets import list_parts as parts
from kt_desktop.gui.widgets.columns import keep_main_column
from kt_desktop.gui.widgets.confirm import confirm
from kt_desktop.gui.widgets.file_dialogs import ask_open, ask_save, ask_save_pdf
from kt_desktop.gui.widgets.fit import header_need
from kt_desktop.gui.widgets.flow import flow_row
from kt_desktop.gui.widgets.labels import muted_label
from kt_desktop.i18n import _
from kt_desktop.services import books as service
from kt_desktop.services.session import Session

PAGE_SIZE = 256
SEARCH_DELAY_MS = 250


class BookPage(RecordListPage):
    #: the declared book a special page shows (``MeetingsPage``: "rapat"); a plain book's page
    #: is given its key instead (:func:`page_for`)
    book_key = ""

    def __init__(self, ops: Ops, parent: QWidget | None = None, *, book_key: str = "") -> None:
        super().__init__(ops, parent)
        self.spec: BookSpec = book(book_key or self.book_key)
        self.order, self.descending = self.spec.sort
        self.form: BookForm | None = None
        self.removed: BookRecord | None = None
        self._closing = False
        spec = self.spec

        layout = self.page_layout(_(spec.title), _(spec.description))
        toolbar_row, toolbar = flow_row()  # wraps on a small screen
        self.record_buttons(_("Add a record (Ctrl+N)"), _("Open the selected record (Enter)"),
                            _("Remove the selected record (Delete)"))
        self.undo_button = parts.action_button(
            _("Undo"), _("Bring back the record removed last (Ctrl+Z)"), self.undo_remove)
        self.print_button = parts.action_button(
            _("Print"), _("Save the book as a PDF to print, with kop surat"), self.print_book)
        self.export_button = parts.action_button(
            _("Export"), _("Write the book to an .xlsx or .csv file"), self.export_book)
        self.import_button = parts.action_button(
            _("Import"), _("Add records from an .xlsx or .csv file"), self.import_book)
        for button in (self.add_button, self.edit_button, self.remove_button, self.undo_button):
            toolbar.addWidget(button)
        toolbar.addSpacing(12)
        for button in (self.print_button, self.export_button, self.import_button):
            toolbar.addWidget(button)
        more = self.more_buttons()
        if more:
            toolbar.addSpacing(12)
            for button in more:
                toolbar.addWidget(button)
        toolbar.addStretch(1)
        self.search = parts.search_field(_("Search (Ctrl+F)"), 200)
        self.search.setToolTip(", ".join(_(spec.field(k).label) for k in spec.search))
        toolbar.addWidget(self.search, 1)
        self.header.add_toolbar(toolbar_row)

        self.filters: dict[str, QComboBox] = {}
        self.choice_buttons: dict[str, QPushButton] = {}
        if spec.filters:
            filters_row, row = flow_row()
            for flt in spec.filters:
                combo = parts.filter_combo(_(flt.everything), data=None, min_length=14,
                                     name=_(spec.field(flt.field).label))
                if flt.kind == "choice":
                    for code, label in spec.field(flt.field).choices:
                        combo.addItem(_(label), code)
                combo.activated.connect(lambda _index: self.reload())
                self.filters[flt.field] = combo
                row.addWidget(combo)
            for item in spec.fields:  # a list the user edits: its button beside the filters
                if item.editable_choices:
                    button = QPushButton(_("List of {label}…").format(
                        label=_(item.label).lower()))
                    button.setToolTip(_("Add, rename or remove the entries the form offers"))
                    button.clicked.connect(functools.partial(self.edit_choices, item.key))
                    self.choice_buttons[item.key] = button
                    row.addWidget(button)
            layout.addWidget(filters_row)

        self.model = BookTableModel(spec, self)
        self.table = parts.record_table(self.model)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        keys = [c.field for c in spec.columns]
        header.setSortIndicator(keys.index(self.order) if self.order in keys else -1,
                                Qt.SortOrder.DescendingOrder if self.descending
                                else Qt.SortOrder.AscendingOrder)
        for index, column in enumerate(spec.columns):
            if column.width:
                header.resizeSection(index, self._column_width(index))
            else:  # takes the room left, never less than its title (the table then scrolls)
                keep_main_column(self.table, index)
        layout.addWidget(self.table_or_empty(), 1)
        self.table.viewport().installEventFilter(self)

        self.status = muted_label()
        self.list_footer(layout, self.status)
        self.wire_table(self.add_record)
        self.shortcuts = parts.page_shortcuts(self, ((QKeySequence.StandardKey.New, self.add_record),
                                               (QKeySequence.StandardKey.Find, self.focus_search),
                                               (QKeySequence.StandardKey.Undo, self.undo_remove)))
        self._update_buttons()
        self.refresh()

    # -- what a special page adds -----------------------------------------------------------
    def more_buttons(self) -> list[QPushButton]:
        """Buttons of a special page after Cetak/Ekspor/Impor (a meeting's minutes, writing a
        letter); enabled only with a record selected when listed in ``record_actions``."""
        return []

    record_actions: tuple[str, ...] = ()

    # -- helpers ---------------------------------------------------------------------------
    def _column_width(self, index: int) -> int:
        """The declared width, but never narrower than the heading with its sort arrow (a
        click may sort by any column) or than the widest value the column's kind prints at
        the current font (a date, an amount of Rp99.999.999)."""
        column = self.spec.columns[index]
        sample = {DATE: "00/00/0000", MONEY: "Rp99.999.999"}.get(
            self.spec.field(column.field).kind, "")
        return max(column.width, header_need(self.table.horizontalHeader(), index, arrow=True),
                   self.table.fontMetrics().horizontalAdvance(sample) + 16 if sample else 0)

    def fit_columns(self) -> None:
        """Hide the declaration's optional columns, last first, while the stretching column
        would be left less than about 20 characters (a narrow window, a large font)."""
        header = self.table.horizontalHeader()
        room = self.table.viewport().width()
        least = self.table.fontMetrics().averageCharWidth() * 20
        columns = self.spec.columns
        shown = [True] * len(columns)
        used = sum(self._column_width(i) for i, c in enumerate(columns) if c.width)
        for index in reversed(range(len(columns))):
            if used + least <= room:
                break
            if columns[index].optional and columns[index].width:
                shown[index] = False
                used -= self._column_width(index)
        for index, visible in enumerate(shown):
            if header.isSectionHidden(index) == visible:
                self.table.setColumnHidden(index, not visible)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_columns()  # the table's own room, once it has been laid out
        return super().eventFilter(watched, event)

    def shortcuts_hint(self) -> str:
        return _("Ctrl+N add · Enter open · Delete remove · Ctrl+Z undo · Ctrl+F search")

    def query(self) -> service.BookQuery:
        year = None
        equals: dict[str, str] = {}
        for flt in self.spec.filters:
            value = self.filters[flt.field].currentData()
            if value is None:
                continue
            if flt.kind == "year":
                year = int(value)
            else:
                equals[flt.field] = str(value)
        return service.BookQuery(search=self.search.text().strip(), year=year, equals=equals)

    def _update_buttons(self, *_args: object) -> None:
        has = self.selected() is not None
        for name in self.record_actions:
            getattr(self, name).setEnabled(has)
        self.edit_button.setEnabled(has)
        self.remove_button.setEnabled(has)
        self.undo_button.setEnabled(self.removed is not None)

    # -- loading ---------------------------------------------------------------------------
    def refresh(self) -> None:
        spec = self.spec
        self.ops.query(lambda s: service.filter_values(s, spec),
                       self._alive(self._show_filter_values), parent=self)
        self.reload()

    def _show_filter_values(self, found: service.FilterValues) -> None:
        for flt in self.spec.filters:
            if flt.kind == "choice" and flt.field not in found.choices:
                continue
            combo = self.filters[flt.field]
            current = combo.currentData()
            if flt.kind == "choice":  # an editable list: the file's own entries
                items = found.choices[flt.field]
            else:
                values: list[Any] = (found.years if flt.kind == "year"
                                     else found.values[flt.field])
                items = [(value, str(value)) for value in values]
            if current is not None and current not in {value for value, _t in items}:
                items = [*items, (current, str(current))]
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value, text in items:
                combo.addItem(text, value)
            combo.setCurrentIndex(max(combo.findData(current), 0) if current is not None else 0)
            combo.blockSignals(False)

    def reload(self, select_id: str | None = None) -> None:
        generation = self.model.new_generation()
        spec, query, order, descending = self.spec, self.query(), self.order, self.descending

        def done(result: service.ListPage) -> None:
            self.model.reset_rows(result.rows, result.total, generation)
            if generation != self.model.generation:
                return
            self._show_count(query, result.total)
            row = self.model.row_of(select_id) if select_id else -1
            if row >= 0:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))

        self.ops.query(lambda s: service.list_page(s, spec, query, limit=PAGE_SIZE, order=order,
                                                   descending=descending),
                       self._alive(done), parent=self)

    def _fetch_more(self, offset: int) -> None:
        generation = self.model.generation
        spec, query, order, descending = self.spec, self.query(), self.order, self.descending
        self.ops.query(lambda s: service.page(s, spec, query, offset=offset, limit=PAGE_SIZE,
                                              order=order, descending=descending),
                       self._alive(lambda rows: self.model.append_rows(rows, generation)),
                       parent=self)

    def _sort(self, key: str, descending: bool) -> None:
        self.order, self.descending = key, descending
        self.reload()

    def _show_count(self, query: service.BookQuery, total: int) -> None:
        noun = _(self.spec.noun[0] if total == 1 else self.spec.noun[1])
        self.count_label.setText(f"{number(total)} {noun}")
        if total:
            self.stack.setCurrentWidget(self.table)
            return
        if query.search or query.year is not None or query.equals:
            self.empty.setText(_("Nothing matches the search or filters."))
        else:
            self.empty.setText(_("The {book} is empty — press Ctrl+N to add the first {noun}.")
                               .format(book=_(self.spec.title), noun=_(self.spec.noun[0])))
        self.stack.setCurrentWidget(self.empty)

    # -- records ---------------------------------------------------------------------------
    def add_record(self) -> None:
        self._open_form(None)

    def open_target(self, record_id: str) -> None:
        """Open one record's form (a link of Kelengkapan, e.g. an officer without an SK), or
        a new record's when no record is named (the new term after an SK has run out)."""
        if not record_id:
            self.add_record()
            return

        def opened(record: BookRecord) -> None:
            self._open_form(record)

        spec = self.spec
        self.ops.query(lambda s: service.get(s, spec, record_id), self._alive(opened),
                       parent=self)

    def edit_selected(self) -> None:
        record = self.selected()
        if record is not None:
            self._open_form(record)

    def _open_form(self, record: BookRecord | None) -> None:
        self.open_form(lambda: BookForm(self.ops, self.spec, record, self), self._saved)

    def _saved(self, _form: BookForm, saved: str) -> None:
        self.refresh_after(saved)
        self.show_warnings(saved)

    def show_warnings(self, record_id: str) -> None:
        """What the saved record leaves that is allowed but worth knowing (an account below
        zero), in the status line beside the count."""
        spec = self.spec

        def show(found: list[str]) -> None:
            self.status.setText(" ".join(found))

        self.ops.query(lambda s: service.warnings(s, spec, record_id), self._alive(show),
                       parent=self)

    def refresh_after(self, select_id: str | None) -> None:
        spec = self.spec
        self.ops.query(lambda s: service.filter_values(s, spec),
                       self._alive(self._show_filter_values), parent=self)
        self.reload(select_id=select_id)

    def confirm_remove(self, record: BookRecord) -> bool:
        return confirm(self, _("Remove {noun}").format(noun=_(self.spec.noun[0])),
                       _("Remove “{name}” from the {book}?").format(
                           name=record.get(self.spec.label_field), book=_(self.spec.title)),
                       _("Remove"))

    def remove_record(self, session: Session, row_id: str) -> BookRecord:
        return service.remove(session, self.spec, row_id)

    def after_remove(self, removed: BookRecord, next_id: str | None) -> None:
        self.removed = removed
        self.status.setText(_("Removed. Ctrl+Z brings it back."))
        self.refresh_after(next_id)

    def undo_remove(self) -> None:
        removed, spec = self.removed, self.spec
        if removed is None:
            return
        self.removed = None

        def done(new_id: str) -> None:
            self.status.setText(_("Brought back."))
            self.refresh_after(new_id)

        self.ops.write(lambda s: service.undo_remove(s, spec, removed), self._alive(done),
                       parent=self)

    def edit_choices(self, key: str) -> None:
        """The dialog editing the list of an editable choice field (the categories)."""
        from kt_desktop.gui.dialogs.choice_list import ChoiceListDialog

        dialog = ChoiceListDialog(self.ops, self.spec, key, self)
        self.choice_dialog = dialog
        dialog.finished.connect(lambda _r: self.refresh())
        dialog.open()

    # -- files -----------------------------------------------------------------------------
    def ask_path(self, purpose: str) -> Path | None:
        """The file dialog (a method of its own so tests can stand in for it)."""
        name = _(self.spec.title).replace(" ", "_")
        if purpose == "print":
            return ask_save_pdf(self, f"{name}.pdf")
        if purpose == "export":
            return ask_save(self, _("Export"), Path.home() / f"{name}.xlsx",
                            _("Spreadsheets (*.xlsx *.csv)"))
        return ask_open(self, _("Import"), _("Spreadsheets (*.xlsx *.csv)"))

    def _said(self, text: str) -> Callable[[Any], None]:
        return self._alive(lambda result: self.status.setText(text.format(result=result)))

    def print_book(self) -> None:
        path, spec = self.ask_path("print"), self.spec
        if path is None:
            return
        year = self.query().year
        self.ops.long_task(
            lambda s, p: service.build_register(s, spec, path, year=year, progress=p),
            _("Making the {book}…").format(book=_(spec.title)),
            self._said(_("Saved: {result}")), parent=self)

    def export_book(self) -> None:
        path, spec = self.ask_path("export"), self.spec
        if path is None:
            return
        self.ops.write(lambda s: service.export(s, spec, path), self._alive(
            lambda n: self.status.setText(_("{n} rows written to {file}").format(n=n, file=path))),
            parent=self)

    def confirm_import(self, plan: service.ImportPreview) -> bool:
        lines = [_("{ok} rows will be added; {bad} rows are refused.").format(
            ok=len(plan.accepted), bad=len(plan.refused))]
        lines += [_("Row {line}: {reason}").format(line=row.line, reason="; ".join(row.errors))
                  for row in plan.refused[:8]]
        return confirm(self, _("Import"), "\n".join(lines), _("Import"), destructive=False)

    def import_book(self) -> None:
        path, spec = self.ask_path("import"), self.spec
        if path is None:
            return

        def previewed(plan: service.ImportPreview) -> None:
            if not plan.accepted or not self.confirm_import(plan):
                if not plan.accepted:
                    self.status.setText(_("No row of the file can be added."))
                return
            self.ops.write(lambda s: service.commit(s, spec, plan),
                           self._alive(lambda n: (self.status.setText(
                               _("{n} rows added.").format(n=n)), self.refresh_after(None))),
                           parent=self)

        self.ops.query(lambda _s: service.preview(spec, path), self._alive(previewed),
                       parent=self)


def __getattr__(key: str) -> Callable[..., BookPage]:
    """``kt_desktop.gui.pages.book:<key>`` in ``VILLAGE_PAGES``: the page of that book."""
    if key.startswith("_"):
        raise AttributeError(key)
    book(key)  # refuse an unknown book at once
    return functools.partial(BookPage, book_key=key)
