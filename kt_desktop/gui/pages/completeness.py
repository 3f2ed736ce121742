"""Kelengkapan buku: which books are kept, what is missing (each with a link to fix it), and
the self-assessment on the six aspects with the Profil Karang Taruna to print.

The page reads ``services.completeness.summary`` and ``services.assessment.assess`` on a
worker. A gap's link asks the main window to open its page at the record or month
(``MainWindow.open_at``); the rubric is changed in a small dialog (a dated setting).
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain import assessment as rules
from kt_desktop.domain import clock
from kt_desktop.domain.assessment import ASPECTS, Assessment, Rubric
from kt_desktop.domain.errors import ValidationError
from kt_desktop.domain.formats import date_long, date_short, number
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.base import SidebarPage
from kt_desktop.gui.widgets import style
from kt_desktop.gui.widgets.date_field import DateField
from kt_desktop.gui.widgets.field_error import error_label
from kt_desktop.gui.widgets.file_dialogs import ask_save_pdf
from kt_desktop.gui.widgets.fit import resize_on_screen
from kt_desktop.gui.widgets.flow import flow_row, scrolling_page
from kt_desktop.gui.widgets.labels import muted_label
from kt_desktop.gui.widgets.page_header import page_column
from kt_desktop.i18n import N_, _
from kt_desktop.services import assessment as assessment_service
from kt_desktop.services import completeness as service
from kt_desktop.services.completeness import Completeness, Gap

#: Gaps listed per kind before "and N more".
SHOWN_PER_KIND = 8
_STATE_COLOURS = {service.KEPT: style.ACCENT, service.SLOW: style.TEXT,
                  service.QUIET: style.ERROR, service.EMPTY: style.MUTED}


def _bold(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _clear(layout: QVBoxLayout | QGridLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.deleteLater()


class RubricDialog(QDialog):
    """Change the rubric from a day on (the targets and the lowest score of each class)."""

    NUMBERS = (
        ("berkembang", N_("Lowest total for berkembang")),
        ("maju", N_("Lowest total for maju")),
        ("percontohan", N_("Lowest total for percontohan")),
        ("members", N_("Active members for full marks")),
        ("trainings", N_("Trainings a year for full marks")),
        ("partners", N_("Partners a year for full marks")),
        ("sources", N_("Outside sources of funds for full marks")),
        ("activities", N_("Activities a year for full marks")),
    )

    def __init__(self, rubric: Rubric, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Rubric of the self-assessment"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        # the note and the numbers scroll on a short screen; Simpan/Batal stay in sight
        body = QWidget()
        content = scrolling_page(body)
        content.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(body, 1)
        content.addWidget(muted_label(_(rules.NO_OFFICIAL_TABLE)))
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # long labels, 150 %
        self.since = DateField(optional=False)
        self.since.set_value(today)
        form.addRow(_("In force from"), self.since)
        self.spins: dict[str, QSpinBox] = {}
        for name, label in self.NUMBERS:
            spin = QSpinBox()
            spin.setRange(1, 100 if name in ("berkembang", "maju", "percontohan") else 10_000)
            spin.setValue(getattr(rubric, name))
            self.spins[name] = spin
            form.addRow(_(label), spin)
        content.addLayout(form)
        self.error = error_label()
        content.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.check_and_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        resize_on_screen(self, 520, 560)

    def rubric(self) -> Rubric:
        since = self.since.value() or clock.today()
        return Rubric(since=since, **{name: spin.value() for name, spin in self.spins.items()})

    def check_and_accept(self) -> None:
        try:
            self.rubric().check()
        except ValidationError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()


class CompletenessPage(SidebarPage):
    def __init__(self, ops: Ops, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(ops, parent, today=today)
        self.found: Completeness | None = None
        self.result: Assessment | None = None
        layout, self.header = page_column(self, _("Completeness of the books"), _(
            "Whether each book is kept (entries written in the last 30 and 90 days), what is "
            "missing with a link to fix it, and the self-assessment on the six aspects of the "
            "classification."), scrolls=True)

        layout.addWidget(_bold(_("Books")))
        self.books_grid = QGridLayout()
        # 12 px between the columns: at 150 % scaling with the largest font 14 px left the
        # grid a pixel wider than the page (with the margins every page has)
        self.books_grid.setHorizontalSpacing(12)
        layout.addLayout(self.books_grid)
        layout.addWidget(muted_label(_(service.STATES_NOTE)))

        layout.addWidget(_bold(_("What is missing")))
        self.gaps_box = QVBoxLayout()
        layout.addLayout(self.gaps_box)

        layout.addWidget(_bold(_("Self-assessment (penilaian mandiri)")))
        layout.addWidget(muted_label(_(rules.NO_OFFICIAL_TABLE)))
        self.class_label = QLabel()
        self.class_label.setWordWrap(True)
        layout.addWidget(self.class_label)
        self.rubric_label = muted_label()
        layout.addWidget(self.rubric_label)
        buttons_row, buttons = flow_row()
        self.rubric_button = QPushButton(_("Change the rubric…"))
        self.rubric_button.setToolTip(_("The targets and the lowest score of each class, "
                                        "from a day on"))
        self.rubric_button.clicked.connect(self.change_rubric)
        self.print_button = QPushButton(_("Print the Profil Karang Taruna…"))
        self.print_button.setToolTip(_("The profile with the self-assessment, for the Lomba "
                                       "Karang Taruna"))
        self.print_button.clicked.connect(self.print_profile)
        buttons.addWidget(self.rubric_button)
        buttons.addWidget(self.print_button)
        layout.addWidget(buttons_row)
        self.status = muted_label()
        layout.addWidget(self.status)
        self.aspects_box = QVBoxLayout()
        layout.addLayout(self.aspects_box)
        layout.addStretch(1)
        self.refresh()

    # -- loading ---------------------------------------------------------------------------
    def refresh(self) -> None:
        today = self.today

        def read(session: Any) -> tuple[Completeness, Assessment]:
            return service.summary(session, today), assessment_service.assess(session, today)

        self.ops.query(read, self._alive(self.show_result), parent=self)

    def show_result(self, found: tuple[Completeness, Assessment]) -> None:
        self.found, self.result = found
        self._show_books(self.found)
        self._show_gaps(self.found)
        self._show_assessment(self.result)

    def _show_books(self, found: Completeness) -> None:
        _clear(self.books_grid)
        heads = [_("Book"), _("Entries"), _("Last 30 days"), _("Last 90 days"),
                 _("Last written"), _("State")]
        for column, text in enumerate(heads):
            label = QLabel(text)
            label.setWordWrap(True)  # two lines rather than a page that scrolls sideways
            label.setStyleSheet(f"color: {style.MUTED};")
            self.books_grid.addWidget(label, 0, column)
        for row, book in enumerate(found.books, 1):
            cells = [book.title, number(book.total), number(book.recent), number(book.lately),
                     date_short(book.last) if book.last else "–",
                     service.state_label(book.state)]
            for column, text in enumerate(cells):
                label = QLabel(text)
                label.setWordWrap(column == 0)
                if column in (1, 2, 3):
                    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if column == 5:
                    label.setStyleSheet(f"color: {_STATE_COLOURS[book.state]};")
                self.books_grid.addWidget(label, row, column)
        self.books_grid.setColumnStretch(0, 2)
        self.books_grid.setColumnStretch(5, 3)

    def _show_gaps(self, found: Completeness) -> None:
        _clear(self.gaps_box)
        self.gap_links: list[Gap] = []
        kinds = found.by_kind()
        if not kinds:
            self.gaps_box.addWidget(muted_label(_("Nothing is missing. Well kept!")))
            return
        for gaps in kinds.values():
            self.gaps_box.addWidget(_bold(f"{gaps[0].heading} ({number(len(gaps))})"))
            for gap in gaps[:SHOWN_PER_KIND]:
                # the link opens the page and record (or month) where the gap is filled
                label = QLabel(f'{html.escape(gap.text)} — <a href="{len(self.gap_links)}" '
                               f'style="color: {style.ACCENT};">{html.escape(gap.action)}</a>')
                label.setWordWrap(True)
                label.setTextFormat(Qt.TextFormat.RichText)
                label.setToolTip(_("Open the place to fix it"))
                label.linkActivated.connect(lambda href: self.open_gap(self.gap_links[int(href)]))
                self.gap_links.append(gap)
                self.gaps_box.addWidget(label)
            if len(gaps) > SHOWN_PER_KIND:
                self.gaps_box.addWidget(muted_label(_("… and {count} more.").format(
                    count=number(len(gaps) - SHOWN_PER_KIND))))

    def _show_assessment(self, result: Assessment) -> None:
        rubric = result.rubric
        self.class_label.setText(_("Total {score} of 100: class {klass} by this rubric.").format(
            score=number(round(result.total, 1)), klass=rules.class_label(result.klass)))
        self.rubric_label.setText(_(
            "Rubric in force since {date}: berkembang from {berkembang}, maju from {maju}, "
            "percontohan from {percontohan}.").format(
            date=date_long(rubric.since), berkembang=rubric.berkembang, maju=rubric.maju,
            percontohan=rubric.percontohan))
        _clear(self.aspects_box)
        for key, _label in ASPECTS:
            self.aspects_box.addWidget(_bold(f"{rules.aspect_label(key)}: "
                                             f"{number(round(result.aspect_score(key), 1))}"))
            for item in (i for i in result.indicators if i.aspect == key):
                line = QLabel(f"• {item.title}: {item.value} → {number(round(item.score, 1))}")
                line.setWordWrap(True)
                self.aspects_box.addWidget(line)
                explanation = muted_label(item.explanation)
                explanation.setContentsMargins(14, 0, 0, 4)
                self.aspects_box.addWidget(explanation)

    # -- acting ----------------------------------------------------------------------------
    def open_gap(self, gap: Gap) -> None:
        """Open the page and record (or month) where the gap is fixed."""
        window = self.window()
        opener = getattr(window, "open_at", None)
        if opener is not None:
            opener(gap.page, gap.target)

    def change_rubric(self) -> None:
        current = self.result.rubric if self.result else rules.DEFAULT_RUBRIC
        dialog = RubricDialog(current, self.today, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        rubric = dialog.rubric()
        self.ops.write(lambda s: assessment_service.save_rubric(s, rubric),
                       self._alive(lambda _r: self.refresh()), parent=self)

    def ask_path(self) -> Path | None:
        """The file dialog (a method of its own so tests can stand in for it)."""
        return ask_save_pdf(self, "Profil_Karang_Taruna.pdf")

    def print_profile(self) -> None:
        path, today = self.ask_path(), self.today
        if path is None:
            return
        self.ops.long_task(
            lambda s, p: assessment_service.build_profile(s, path, today=today, progress=p),
            _("Making the Profil Karang Taruna…"),
            self._alive(lambda result: self.status.setText(
                _("Saved: {result}").format(result=result))), parent=self)

