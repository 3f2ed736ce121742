"""Importing members from a spreadsheet, in four steps a secretary can follow.

1. **File**: pick an .xlsx or .csv (read on a worker).
2. **Columns**: each column of the file with a few of its values and a choice of what it
   holds; recognised headers are chosen already, the rest wait for the secretary.
3. **Check**: every row with what will happen to it (new, update, skip, refused) and why;
   members already registered (same NIK) are updated or skipped as chosen; refused rows can
   be saved to a spreadsheet with an "Alasan" column, fixed and imported again.
4. **Import**: the valid rows in one transaction, with progress and a Cancel that leaves
   nothing imported; then a summary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain import clock
from kt_desktop.domain import nik as nik_rules
from kt_desktop.domain.errors import KtError, ValidationError
from kt_desktop.domain.formats import number
from kt_desktop.gui.models.rows import RowsModel
from kt_desktop.gui.ops import Ops, show_failure
from kt_desktop.gui.widgets import style
from kt_desktop.gui.widgets.field_error import error_label
from kt_desktop.gui.widgets.file_dialogs import ask_save
from kt_desktop.gui.widgets.fit import resize_on_screen
from kt_desktop.gui.widgets.flow import flow_row
from kt_desktop.gui.widgets.labels import ElidedLabel, ScaledLabel, muted_label
from kt_desktop.gui.widgets.list_parts import alive, record_table
from kt_desktop.i18n import N_, _
from kt_desktop.services import member_import
from kt_desktop.services.member_import import ImportPreview, ImportSummary, RowResult, SourceTable

FILE, COLUMNS, CHECK, DONE = range(4)
SAMPLE_VALUES = 3

LINE, NAME, NIK, ACTION, PROBLEMS = range(5)
PREVIEW_HEADERS = (N_("Row"), N_("Name"), N_("NIK"), N_("What happens"), N_("Problems and notes"))
ACTION_LABELS = {
    "new": N_("New member"),
    "update": N_("Update"),
    "skip": N_("Skip"),
    "reject": N_("Refused"),
    "out_of_range": N_("Outside the age range"),
    "consent": N_("Needs a parent's consent"),
}
ACTION_COLOURS = {"reject": style.ERROR, "skip": style.MUTED, "out_of_range": style.MUTED,
                  "consent": "#8a5300"}


class PreviewModel(RowsModel[RowResult]):
    """The checked rows of the file (already in memory: the preview is a whole file)."""

    headers = PREVIEW_HEADERS
    right_aligned = frozenset({LINE})

    def display(self, item: RowResult, row: int, column: int) -> str | None:
        if column == LINE:
            return str(item.line)
        if column == NAME:
            return item.member.name if item.member else item.name
        if column == NIK:
            if item.member and item.member.nik:
                return nik_rules.MASK_CHAR * 4 + item.member.nik[-4:]
            return ""
        if column == ACTION:
            label = _(ACTION_LABELS[item.action])
            if item.existing_name and item.action in ("update", "skip"):
                label += " \u2014 " + item.existing_name
            return label
        if column == PROBLEMS:
            return "; ".join(item.errors + item.warnings)
        return None

    def extra(self, item: RowResult, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole text where the cell cuts it
            return self.display(item, 0, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = ACTION_COLOURS.get(item.action)
            if column in (ACTION, PROBLEMS) and colour:
                return QColor(colour)
            if column == PROBLEMS and item.warnings:
                return QColor("#8a5300")
        return None


class MemberImportDialog(QDialog):
    def __init__(self, ops: Ops, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.today = today or clock.today()
        self.table: SourceTable | None = None
        self.preview: ImportPreview | None = None
        self.summary: ImportSummary | None = None
        self.changed = False
        self.combos: list[QComboBox] = []
        self._closing = False
        self.setWindowTitle(_("Import members"))
        self.setModal(True)
        # Fits a 1024x600 netbook screen with its taskbar (the check step scrolls its table).
        resize_on_screen(self, 1000, 540)

        layout = QVBoxLayout(self)
        self.step_label = ScaledLabel("", factor=1.2, bold=True)
        layout.addWidget(self.step_label)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.stack.addWidget(self._build_file())
        self.stack.addWidget(self._build_columns())
        self.stack.addWidget(self._build_check())
        self.stack.addWidget(self._build_done())
        self.error = error_label()
        layout.addWidget(self.error)

        buttons = QHBoxLayout()
        self.back_button = QPushButton(_("Back"))
        self.next_button = QPushButton(_("Next"))
        self.next_button.setDefault(True)
        self.close_button = QPushButton(_("Close"))
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next_step)
        self.close_button.clicked.connect(self.reject)
        self._go(FILE)

    # -- building -------------------------------------------------------------------------------
    def _build_file(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(muted_label(_(
            "Choose the spreadsheet that holds your members: an Excel workbook (.xlsx) or a CSV "
            "file (comma or semicolon). The first sheet is read; title rows above the headers "
            "are skipped. Headers such as Nama, NIK, Tempat Lahir, Tgl Lahir, L/P, Alamat, RT, "
            "RW, Dusun and No HP are recognised; you choose what the other columns hold."
        )))
        layout.addWidget(muted_label(_(
            "Tip: in Excel, format the NIK column as Text before typing NIKs, or Excel rounds "
            "them (3.60422E+15)."
        )))
        layout.addWidget(muted_label(_(
            "A resident list works too: OpenSID's import template or resident export, or a "
            "list copied from Kartu Keluarga / Dukcapil data. Only the residents within the "
            "member age range are taken; those under 18 wait for a parent's consent."
        )))
        row = QHBoxLayout()
        self.pick_button = QPushButton(_("Choose file\u2026"))
        self.path_label = QLabel()
        self.path_label.setWordWrap(True)
        row.addWidget(self.pick_button)
        row.addWidget(self.path_label, 1)
        layout.addLayout(row)
        sample_row = QHBoxLayout()
        self.sample_button = QPushButton(_("Download sample…"))
        self.sample_button.setToolTip(
            _("Save an example spreadsheet with every recognised column, to fill in and import.")
        )
        self.sample_button.clicked.connect(self.save_sample)
        sample_row.addWidget(self.sample_button)
        sample_row.addStretch(1)
        layout.addLayout(sample_row)
        layout.addStretch(1)
        self.pick_button.clicked.connect(self.pick_file)
        return page

    def save_sample(self) -> None:
        """"Unduh contoh": a copy of the sample workbook wherever the secretary wants it."""
        from kt_desktop.services import samples

        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save the sample member spreadsheet"),
            str(Path.home() / samples.SAMPLE_MEMBERS),
            _("Excel workbooks (*.xlsx)"),
        )
        if not chosen:
            return

        def saved(path: Path) -> None:
            self.path_label.setText(
                _("Sample saved: {path}. Fill it in, then choose it here.").format(path=path)
            )

        self.ops.query(
            lambda _session: samples.save_sample_members(Path(chosen)),
            self._alive(saved),
            parent=self,
        )

    def _build_columns(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.columns_note = muted_label()
        layout.addWidget(self.columns_note)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.StyledPanel)
        self.columns_box = QWidget()
        self.columns_grid = QGridLayout(self.columns_box)
        self.columns_grid.setColumnStretch(1, 1)
        scroll.setWidget(self.columns_box)
        layout.addWidget(scroll, 1)
        return page

    def _build_check(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.check_summary = QLabel()
        self.check_summary.setWordWrap(True)
        layout.addWidget(self.check_summary)
        # Ignored columns, the age range, who aged out: long lists, wrapped, selectable.
        # At most four lines high, scrolling beyond, so the rows keep the room on a small screen.
        self.file_notes = muted_label()
        self.file_notes.setWordWrap(True)
        self.file_notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes_scroll = QScrollArea()
        self.notes_scroll.setWidgetResizable(True)
        self.notes_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.notes_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.notes_scroll.setWidget(self.file_notes)
        four_lines = self.file_notes.fontMetrics().boundingRect(
            0, 0, 1000, 1000, int(Qt.AlignmentFlag.AlignLeft), "A\nB\nC\nD"
        ).height()
        self._notes_height = four_lines + 2 * self.file_notes.margin() + 2
        layout.addWidget(self.notes_scroll)
        # Rows that wrap (flow rows): side by side they made the dialog 1030 px wide with a
        # large font, wider than a 1024x600 screen.
        existing_row, existing = flow_row()
        self.update_radio = QRadioButton(_("update members already registered (same NIK)"))
        self.skip_radio = QRadioButton(_("leave them as they are"))
        self.skip_radio.setChecked(True)
        self.existing_group = QButtonGroup(self)
        self.existing_group.addButton(self.update_radio)
        self.existing_group.addButton(self.skip_radio)
        existing.addWidget(self.update_radio)
        existing.addWidget(self.skip_radio)
        layout.addWidget(existing_row)
        self.age_filter = QCheckBox()
        self.age_filter.setToolTip(_(
            "For a list of residents (OpenSID, Kartu Keluarga): every resident of the village "
            "in the member age range is a member; the others are not imported."
        ))
        layout.addWidget(self.age_filter)
        self.problems_only = QCheckBox(_("Show only rows with problems"))
        tools_row, tools = flow_row()
        tools.addWidget(self.problems_only)
        self.consents_button = QPushButton(_("Save the list needing consent\u2026"))
        self.consents_button.setToolTip(_(
            "Residents under 18 are stored only with a parent's or guardian's consent (UU "
            "27/2022): save them to a spreadsheet, fill in the consent columns and import "
            "that file again"
        ))
        tools.addWidget(self.consents_button)
        self.rejects_button = QPushButton(_("Save refused rows\u2026"))
        self.rejects_button.setToolTip(_(
            "A spreadsheet of the refused rows with an \u201cAlasan\u201d column: fix them "
            "and import that file again"
        ))
        tools.addWidget(self.rejects_button)
        layout.addWidget(tools_row)
        self.preview_model = PreviewModel(self)
        self.preview_view = record_table(self.preview_model, sortable=False, several=True,
                                         word_wrap=False)
        header = self.preview_view.horizontalHeader()
        metrics = self.preview_view.fontMetrics()
        pad = 24  # the cell's margins, so that a large font is not cut to "Di luar…"
        header.resizeSection(LINE, max(56, metrics.horizontalAdvance("100000") + pad))
        header.resizeSection(NAME, max(190, metrics.horizontalAdvance("M" * 12) + pad))
        header.resizeSection(NIK, metrics.horizontalAdvance(nik_rules.MASK_CHAR * 4 + "0000") + pad)
        header.resizeSection(ACTION, max(
            170, *(metrics.horizontalAdvance(_(label)) + pad for label in ACTION_LABELS.values())
        ))
        header.setSectionResizeMode(PROBLEMS, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.preview_view, 1)
        self.update_radio.toggled.connect(lambda _on: self.run_preview())
        self.age_filter.clicked.connect(lambda on: self.run_preview(age_filter=on))
        self.problems_only.toggled.connect(lambda _on: self._show_rows())
        self.rejects_button.clicked.connect(self.pick_rejects_file)
        self.consents_button.clicked.connect(self.pick_consents_file)
        return page

    def _build_done(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.done_label = ScaledLabel("", factor=1.1)
        self.done_label.setWordWrap(True)
        layout.addWidget(self.done_label)
        layout.addStretch(1)
        return page

    # -- steps --------------------------------------------------------------------------------
    def _go(self, step: int) -> None:
        self.stack.setCurrentIndex(step)
        titles = {
            FILE: _("Step 1 of 4: choose the file"),
            COLUMNS: _("Step 2 of 4: what each column holds"),
            CHECK: _("Step 3 of 4: check the rows"),
            DONE: _("Step 4 of 4: done"),
        }
        self.step_label.setText(titles[step])
        self.back_button.setVisible(step in (COLUMNS, CHECK))
        self.next_button.setVisible(step != DONE)
        self.next_button.setEnabled(step != FILE or self.table is not None)
        self.next_button.setText(_("Import") if step == CHECK else _("Next"))
        self.close_button.setText(_("Close") if step == DONE else _("Cancel"))
        self.error.setVisible(False)

    def back(self) -> None:
        self._go(max(FILE, self.stack.currentIndex() - 1))

    def next_step(self) -> None:
        step = self.stack.currentIndex()
        if step == FILE and self.table is not None:
            self._go(COLUMNS)
        elif step == COLUMNS:
            self.run_preview()
        elif step == CHECK:
            self.commit()

    def _alive(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        return alive(self, callback)

    def _fail(self, exc: BaseException) -> None:
        if isinstance(exc, KtError):
            self.error.setText(exc.message)
            self.error.setVisible(True)
        else:
            show_failure(self, exc)

    # -- 1. the file ------------------------------------------------------------------------------
    def pick_file(self) -> None:
        path, _chosen = QFileDialog.getOpenFileName(
            self, _("Choose the members' spreadsheet"), str(Path.home()),
            _("Spreadsheets (*.xlsx *.csv);;All files (*)"),
        )
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        """Read ``path`` on a worker, then show the column step."""
        self.path_label.setText(str(path))
        self.error.setVisible(False)
        self.pick_button.setEnabled(False)

        def loaded(table: SourceTable) -> None:
            self.pick_button.setEnabled(True)
            self.table = table
            self.preview = None
            # the file decides what is proposed for registered NIKs, as on the command line
            update = member_import.default_existing(table) == "update"
            (self.update_radio if update else self.skip_radio).setChecked(True)
            self._show_columns(table)
            self._go(COLUMNS)

        def failed(exc: BaseException) -> None:
            self.pick_button.setEnabled(True)
            self.table = None
            self._fail(exc)

        self.ops.query(lambda _session: member_import.read_table(path), self._alive(loaded),
                       on_failed=self._alive(failed), parent=self)

    # -- 2. the columns ---------------------------------------------------------------------------
    def _show_columns(self, table: SourceTable) -> None:
        while self.columns_grid.count():
            item = self.columns_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.combos = []
        for col, text in enumerate((_("Column in the file"), _("Values in it"), _("Holds"))):
            heading = QLabel(f"<b>{text}</b>")
            self.columns_grid.addWidget(heading, 0, col)
        mapping = member_import.detect_mapping(table.headers)
        choices = member_import.field_choices()
        for index, (header, key) in enumerate(zip(table.headers, mapping, strict=True), start=1):
            column = index - 1
            samples = [member_import.cell_text(r.cells[column]) for r in table.rows]
            samples = [s for s in samples if s][:SAMPLE_VALUES]
            self.columns_grid.addWidget(QLabel(header or _("(no header)")), index, 0)
            # Cut with "…" (whole in the tooltip): three 16-digit no_kk values must not push
            # the choice off a 1024-pixel screen.
            sample_label = ElidedLabel(" \u00b7 ".join(samples))
            sample_label.setStyleSheet(f"color: {style.MUTED};")
            self.columns_grid.addWidget(sample_label, index, 1)
            combo = QComboBox()
            combo.addItem(_("(do not import)"), "")
            for field_key, label in choices:
                combo.addItem(label, field_key)
            combo.setCurrentIndex(max(combo.findData(key), 0))
            combo.setAccessibleName(header)
            combo.setMinimumContentsLength(22)
            self.columns_grid.addWidget(combo, index, 2)
            self.combos.append(combo)
        self.columns_grid.setRowStretch(len(table.headers) + 1, 1)
        known = sum(1 for key in mapping if key)
        self.columns_note.setText(_(
            "{file}: {rows} rows. {known} of {columns} columns were recognised; choose what "
            "the others hold, or leave them out."
        ).format(file=table.path.name, rows=number(len(table.rows)), known=known,
                 columns=len(table.headers))
            + ("\n" + _("Recognised layout: {name}.").format(
                name=_(member_import.LAYOUT_NAMES[table.layout]))
               if table.layout else ""))

    def mapping(self) -> list[str]:
        return [combo.currentData() or "" for combo in self.combos]

    def set_mapping(self, column: int, key: str) -> None:
        """Choose what ``column`` holds (tests and keyboard users alike)."""
        self.combos[column].setCurrentIndex(max(self.combos[column].findData(key), 0))

    # -- 3. the check --------------------------------------------------------------------------
    def run_preview(self, age_filter: bool | None = None) -> None:
        """Check the rows; ``age_filter`` None keeps the secretary's choice of this file, or
        lets the file decide (a resident list is filtered by age) the first time."""
        if self.table is None:
            return
        if age_filter is None and self.preview is not None and self.preview.path == self.table.path:
            age_filter = self.preview.age_filter
        mapping = self.mapping()
        try:
            member_import.check_mapping(mapping)
        except ValidationError as exc:
            self._fail(exc)
            return
        table, today = self.table, self.today
        existing = "update" if self.update_radio.isChecked() else "skip"

        def work(session: Any, progress: Any) -> ImportPreview:
            return member_import.preview(session, table.path, mapping=mapping, existing=existing,
                                         today=today, progress=progress, table=table,
                                         age_filter=age_filter)

        def done(result: ImportPreview) -> None:
            self.preview = result
            self._show_rows()
            self._go(CHECK)

        self.ops.long_task(work, _("Checking the rows\u2026"), self._alive(done), writes=False,
                           on_failed=self._alive(self._fail), parent=self)

    def _show_rows(self) -> None:
        result = self.preview
        if result is None:
            return
        rows = result.rows
        if self.problems_only.isChecked():
            rows = [r for r in rows if r.errors or r.warnings]
        self.preview_model.set_rows(rows)
        counts = {action: result.counted(action) for action in ACTION_LABELS}
        text = _(
            "{new} new, {update} to update, {skip} skipped, {reject} refused (of {rows} rows)."
        ).format(new=number(counts["new"]), update=number(counts["update"]),
                 skip=number(counts["skip"]), reject=number(counts["reject"]),
                 rows=number(len(result.rows)))
        if result.age_filter:
            text += " " + _(
                "{outside} outside the age range (di luar rentang umur), {consent} need a "
                "parent's or guardian's consent (perlu persetujuan orang tua/wali)."
            ).format(outside=number(counts["out_of_range"]), consent=number(counts["consent"]))
        self.check_summary.setText(text)
        self.file_notes.setText("\n".join(self.file_note_lines(result)))
        self._fit_notes()
        rule = self.preview.age_rule if self.preview else None
        if rule is not None:
            self.age_filter.setText(_(
                "This file lists residents: take only those aged {low}\u2013{high} on {day}"
            ).format(low=rule.min_age, high=rule.max_age, day=self.today.strftime("%d/%m/%Y")))
        self.age_filter.setChecked(result.age_filter)
        self.consents_button.setVisible(bool(counts["consent"]))
        self.rejects_button.setEnabled(bool(counts["reject"]))
        self.next_button.setEnabled(bool(counts["new"] or counts["update"]))

    def _fit_notes(self) -> None:
        """The notes as high as their text, up to four lines (the rest scrolls): a fixed
        height, or the layout squeezes them to half a line on a 600-pixel screen."""
        width = max(200, self.notes_scroll.viewport().width())
        needed = self.file_notes.heightForWidth(width) if self.file_notes.text() else 0
        self.notes_scroll.setFixedHeight(min(needed, self._notes_height))
        self.notes_scroll.setVisible(bool(needed))

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.preview is not None:
            self._fit_notes()

    @staticmethod
    def file_note_lines(result: ImportPreview) -> list[str]:
        """What the secretary should know about the whole file, one line each."""
        lines = []
        if result.layout_name:
            lines.append(_("Recognised layout: {name}.").format(name=result.layout_name))
        lines += result.notes
        if result.unmapped:
            lines.append(_("Columns not imported: {names}.").format(names=", ".join(result.unmapped)))
        if result.aged_out:
            lines.append(_("Members now outside the age range (decide whether they leave): {names}.")
                         .format(names=", ".join(result.aged_out)))
        if result.absent:
            lines.append(_("Members not in this file (moved away? decide whether they leave): {names}.")
                         .format(names=", ".join(result.absent)))
        return lines

    def _pick_list(self, title: str, ending: str, save: Callable[[Path], None]) -> None:
        """Ask where to save a list of the rows (beside the imported file, its name +
        ``ending``), then ``save`` it there."""
        if self.preview is None:
            return
        suggested = self.preview.path.with_name(self.preview.path.stem + ending)
        path = ask_save(self, title, suggested, _("Excel workbook (*.xlsx);;CSV (*.csv)"),
                        (".xlsx", ".csv"))
        if path is not None:
            save(path)

    def pick_consents_file(self) -> None:
        self._pick_list(_("Save the list needing consent"), "-persetujuan.xlsx",
                        self.save_consents)

    def save_consents(self, path: Path) -> None:
        self._save_list(path, member_import.save_consents, _(
            "{count} residents needing consent saved to {file}: fill in the consent "
            "columns and import that file again."))

    def _save_list(self, path: Path, save: Callable[[ImportPreview, Path], int],
                   done: str) -> None:
        """Write a list of the preview's rows to ``path``; ``done`` ({count}, {file}) says so
        in the message line."""
        preview = self.preview
        if preview is None:
            return

        def saved(count: int) -> None:
            self.error.setStyleSheet(f"color: {style.TEXT};")
            self.error.setText(done.format(count=number(count), file=path.name))
            self.error.setVisible(True)

        self.ops.query(lambda _session: save(preview, path),
                       self._alive(saved), on_failed=self._alive(self._fail), parent=self)

    def pick_rejects_file(self) -> None:
        self._pick_list(_("Save refused rows"), "-ditolak.xlsx", self.save_rejects)

    def save_rejects(self, path: Path) -> None:
        self._save_list(path, member_import.save_rejects,
                        _("{count} refused rows saved to {file}."))

    # -- 4. the import ------------------------------------------------------------------------
    def commit(self) -> None:
        preview = self.preview
        if preview is None:
            return
        self.next_button.setEnabled(False)

        def work(session: Any, progress: Any) -> ImportSummary:
            return member_import.commit(session, preview, progress=progress)

        def done(summary: ImportSummary) -> None:
            self.summary = summary
            self.changed = bool(summary.created or summary.updated)
            self.done_label.setText(_(
                "Imported from {file}: {new} new members, {updated} updated, {skipped} "
                "skipped, {rejected} refused."
            ).format(file=Path(summary.file).name, new=number(summary.created),
                     updated=number(summary.updated), skipped=number(summary.skipped),
                     rejected=number(summary.rejected))
                + ("\n" + _(
                    "Not stored: {outside} outside the age range, {consent} waiting for a "
                    "parent's or guardian's consent."
                ).format(outside=number(summary.out_of_range), consent=number(summary.needs_consent))
                   if summary.out_of_range or summary.needs_consent else ""))
            self._go(DONE)
            self.close_button.setFocus()

        def failed(exc: BaseException) -> None:
            self.next_button.setEnabled(True)
            self._fail(exc)

        self.ops.long_task(work, _("Importing members\u2026"), self._alive(done),
                           on_failed=self._alive(failed), parent=self)

    def done(self, result: int) -> None:
        self._closing = True
        super().done(result)
