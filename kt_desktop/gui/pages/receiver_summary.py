"""Rekap: who reported, month by month, and the totals — for the province, a kabupaten, a
kecamatan or one village.

At the top the period (a month or a year) and the area as a breadcrumb; under them a few
cards, the reporting table (regions one level below the area × the last 12 months, each cell
shaded by the share of villages that sent data) and, in tabs, the totals split by region,
desa/kelurahan or village status, members by age, activities by jenis, beneficiaries by PPKS
category, trainings, and the villages that sent nothing. A double-click (or Enter) on a row of
the reporting table goes one level down; the breadcrumb (or Backspace) goes back up.

When the page is shown, the figures of newly arrived bundles are counted first on the writer
thread (``services.receiver.prepare_figures``; instant when nothing is new), then one read
on a worker fetches the table, the totals and the missing list together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

import shiboken6
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kt_desktop import regions
from kt_desktop.domain import ppks
from kt_desktop.domain.formats import date_short, number, percent
from kt_desktop.gui.models.receiver_tables import FigureRow, FiguresModel
from kt_desktop.gui.ops import Ops, show_failure
from kt_desktop.gui.pages.base import SidebarPage
from kt_desktop.gui.widgets import list_parts, style
from kt_desktop.gui.widgets.cards import card_look
from kt_desktop.gui.widgets.columns import keep_main_column
from kt_desktop.gui.widgets.flow import ReflowGrid, flush
from kt_desktop.gui.widgets.labels import ScaledLabel, muted_label
from kt_desktop.gui.widgets.page_header import page_column
from kt_desktop.gui.widgets.period_choice import fill_periods, period_lists, select_period
from kt_desktop.i18n import N_, _
from kt_desktop.services import receiver as service
from kt_desktop.services.progress import Cancelled
from kt_desktop.services.receiver import Figures, MissingVillage, Period, ReportingTable, Totals
from kt_desktop.services.session import Session

#: How far back the period lists go.
SPLITS = (
    ("region", N_("By region")),
    ("kind", N_("Desa and kelurahan")),
    ("status", N_("By village status")),
)


@dataclass(frozen=True, slots=True)
class SummaryData:
    """One read: everything the page shows for an area and a period."""

    table: ReportingTable
    totals: Totals
    missing: list[MissingVillage]


def gather(session: Session, period: Period, area: str) -> SummaryData:
    """The page's one read (runs on a worker)."""
    return SummaryData(
        table=service.reporting_table(session, period, area),
        totals=service.totals(session, period, area),
        missing=service.missing_villages(session, period, area),
    )


def region_word(area: str) -> str:
    """What the rows below ``area`` are called."""
    return _({2: N_("Kabupaten/Kota"), 5: N_("Kecamatan")}.get(len(area), N_("Desa/Kelurahan")))


def figure_headers(first: str) -> list[str]:
    return [first, _("Desa/kel."), _("Enrolled"), _("Reported"), _("Members (M)"),
            _("Members (F)"), _("Activities"), _("Beneficiaries"), _("Trainings"),
            _("Participants"), _("Graduates"), _("Employed"), _("Own business")]


def figure_cells(name: str, f: Figures) -> tuple[str, ...]:
    return (name, *(number(v) for v in (
        f.villages, f.enrolled, f.reported, f.members_male, f.members_female, f.activity_count,
        f.beneficiary_count, f.trainings, f.participants, f.graduates, f.employed, f.business)))


class StatCard(QFrame):
    """A compact card: a number in bold, what it counts, and one line of detail.

    Smaller than Beranda's cards, so the reporting table keeps its rows at 1366×768.
    """

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        card_look(self, "statCard", radius=6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(0)
        self.title = QLabel(title)
        self.title.setStyleSheet(f"color: {style.MUTED};")
        self.value = ScaledLabel("—", factor=1.5, bold=True)
        self.hint = QLabel()
        self.hint.setStyleSheet(f"color: {style.MUTED};")
        for label in (self.title, self.value, self.hint):
            layout.addWidget(label)
        # Six cards share a 1024 px row at the largest font: words wrap, none is cut.
        self.title.setWordWrap(True)
        self.hint.setWordWrap(True)

    def set_value(self, text: str, hint: str = "") -> None:
        self.value.setText(text)
        self.hint.setText(hint)
        self.setToolTip(f"{self.title.text()}: {text}\n{hint}".strip())


#: Rows a column's width is measured on (Qt measures 1,000 by default).
RESIZE_ROWS = 60


def _table(model: FiguresModel, *, stretch_first: bool = True) -> QTableView:
    view = list_parts.record_table(model, sortable=False)
    view.setAlternatingRowColors(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # Sized from the first rows only: the villages that did not report run to thousands in
    # a large province (Jawa Tengah), and measuring each cell of each took seconds.
    header.setResizeContentsPrecision(RESIZE_ROWS)
    if stretch_first:
        keep_main_column(view, 0, chars=14)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
    return view


class ReceiverSummaryPage(SidebarPage):
    today_here = staticmethod(service.today_here)

    def __init__(self, ops: Ops, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(ops, parent, today=today)
        self.area = ops.session.code
        self.period = service.this_month(self.today)
        self.data: SummaryData | None = None
        self._missing_listed = False
        self._name_column_kept = False
        self._generation = 0
        self._prepared = False

        layout, self.header = page_column(self, _("Summary"), scrolls=True)
        head = self.header.row
        head.addStretch(1)
        head.addWidget(QLabel(_("Period")))
        self.period_kind, self.period_choice = period_lists()
        head.addWidget(self.period_kind)
        self.period_choice.setMinimumContentsLength(14)
        head.addWidget(self.period_choice)
        self.reload_button = QPushButton(_("Refresh"))
        self.reload_button.setToolTip(_("Read the figures again (F5)"))
        head.addWidget(self.reload_button)

        crumbs = QHBoxLayout()
        self.crumbs = QLabel()
        self.crumbs.setTextFormat(Qt.TextFormat.RichText)
        self.crumbs.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        crumbs.addWidget(self.crumbs, 1)
        self.up_button = QPushButton(_("Up one level"))
        self.up_button.setToolTip(_("Back to the region above (Backspace)"))
        crumbs.addWidget(self.up_button)
        layout.addLayout(crumbs)

        self.card_villages = StatCard(_("Desa and kelurahan"))
        self.card_enrolled = StatCard(_("Sending data here"))
        self.card_reported = StatCard(_("Reported for the period"))
        self.card_members = StatCard(_("Members"))
        self.card_activities = StatCard(_("Activities carried out"))
        self.card_trainings = StatCard(_("Trainings ended"))
        # An empty receiver file: what to do first, instead of a wall of zeros.
        self.first_steps = muted_label(_(
            "No village has sent data here yet. First steps:\n"
            "1. Give every village this file's receiver key (a .ktkey file made with "
            "\u201ckt-desktop keys export --out kunci-penerima.ktkey\u201d), on a flash disk "
            "or by e-mail, and read them its fingerprint by phone.\n"
            "2. When their bundles (.ktb) arrive, open Import and choose the files, the "
            "flash disk or the e-mails.\n"
            "The figures appear here after the first import. Press F1 for the guide."))
        self.first_steps.setObjectName("firstSteps")
        self.first_steps.setStyleSheet(
            f"QLabel#firstSteps {{ background: {style.INFO_BG}; border-left: 4px solid "
            f"{style.ACCENT}; border-radius: 4px; padding: 10px; color: {style.TEXT}; }}")
        self.first_steps.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.first_steps.hide()
        layout.addWidget(self.first_steps)
        # Six in a row while they fit, three by two (or fewer columns) at 150 % scaling.
        self.cards = ReflowGrid(
            [self.card_villages, self.card_enrolled, self.card_reported,
             self.card_members, self.card_activities, self.card_trainings], spacing=8)
        layout.addWidget(self.cards)

        self.splitter = splitter = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = flush(QVBoxLayout(top), spacing=4)
        self.table_title = QLabel()
        self.table_title.setStyleSheet("font-weight: bold;")
        self.table_title.setWordWrap(True)  # a long area name at 150 % scaling
        top_layout.addWidget(self.table_title)
        self.reporting = FiguresModel(self)
        self.reporting_view = _table(self.reporting)
        self.reporting_view.setAccessibleName(_("Villages that sent data, per month"))
        self.reporting_view.setToolTip(_("Double-click a row (or press Enter) to see the "
                                         "region below it."))
        top_layout.addWidget(self.reporting_view, 1)
        splitter.addWidget(top)

        self.tabs = QTabWidget()
        self.split = QComboBox()
        for key, label in SPLITS:
            self.split.addItem(_(label), key)
        self.split.setAccessibleName(_("Split the totals"))
        split_page = QWidget()
        split_layout = QVBoxLayout(split_page)
        split_layout.setContentsMargins(6, 6, 6, 6)
        split_row = QHBoxLayout()
        split_row.addWidget(QLabel(_("Split")))
        split_row.addWidget(self.split)
        split_row.addStretch(1)
        split_layout.addLayout(split_row)
        # Beneath the choice, across the whole tab: beside it, in a third of a 1024 px
        # screen, the note needed five lines and was cut after one.
        self.status_note = muted_label()
        split_layout.addWidget(self.status_note)
        self.figures = FiguresModel(self)
        self.figures_view = _table(self.figures)
        split_layout.addWidget(self.figures_view, 1)
        self.tabs.addTab(split_page, _("Totals"))

        self.bands = FiguresModel(self)
        self.tabs.addTab(_table(self.bands), _("Members by age"))
        self.kinds = FiguresModel(self)
        self.tabs.addTab(_table(self.kinds), _("Activities by kind"))
        self.beneficiaries = FiguresModel(self)
        self.tabs.addTab(_table(self.beneficiaries), _("Beneficiaries (PPKS)"))
        self.trainings = FiguresModel(self)
        self.tabs.addTab(_table(self.trainings), _("Trainings"))

        missing_page = QWidget()
        missing_layout = QVBoxLayout(missing_page)
        missing_layout.setContentsMargins(6, 6, 6, 6)
        self.never_only = QCheckBox(_("Only villages that never sent anything"))
        missing_layout.addWidget(self.never_only)
        self.missing = FiguresModel(self)
        self.missing_view = _table(self.missing, stretch_first=False)
        missing_layout.addWidget(self.missing_view, 1)
        self.missing_tab = self.tabs.addTab(missing_page, _("Not reported"))
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 4)
        layout.addWidget(splitter, 1)

        self.status = muted_label(_("Loading…"))
        layout.addWidget(self.status)

        self._fill_periods()
        self.period_kind.currentIndexChanged.connect(self._kind_changed)
        self.period_choice.currentIndexChanged.connect(self._period_changed)
        self.reload_button.clicked.connect(self.refresh)
        self.up_button.clicked.connect(self.go_up)
        self.crumbs.linkActivated.connect(self.set_area)
        self.reporting_view.activated.connect(self._row_activated)
        self.reporting_view.doubleClicked.connect(self._row_activated)
        self.split.currentIndexChanged.connect(self._show_split)
        self.never_only.toggled.connect(self._show_missing)
        self.tabs.currentChanged.connect(self._tab_shown)
        for keys, slot in ((QKeySequence(Qt.Key.Key_Backspace), self.go_up),
                           (QKeySequence(QKeySequence.StandardKey.Refresh), self.refresh)):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._show_crumbs()
        self.refresh()

    # -- choosing ------------------------------------------------------------------------
    def _fill_periods(self) -> None:
        self.period_choice.blockSignals(True)
        fill_periods(self.period_kind, self.period_choice, self.today)
        self.period_choice.setCurrentIndex(0)
        self.period_choice.blockSignals(False)

    def _kind_changed(self) -> None:
        self._fill_periods()
        self._period_changed()

    def _period_changed(self) -> None:
        period = self.period_choice.currentData()
        if isinstance(period, Period):
            self.period = period
            self.load()

    def set_period(self, period: Period) -> None:
        """Show ``period`` (the keyboard and the tests use it)."""
        select_period(self.period_kind, self.period_choice, period)
        self.period = period
        self.load()

    def set_area(self, code: str) -> None:
        own = self.ops.session.code
        if not (code == own or code.startswith(own + ".")):
            code = own
        self.area = code
        self._show_crumbs()
        self.load()

    def go_up(self) -> None:
        if self.area != self.ops.session.code and "." in self.area:
            self.set_area(self.area.rsplit(".", 1)[0])

    def _row_activated(self, index: QModelIndex) -> None:
        code = self.reporting.row_key(index.row())
        if isinstance(code, str) and code != self.area:
            self.set_area(code)

    def _show_crumbs(self) -> None:
        own = self.ops.session.code
        chain = [region for region in regions.parents(self.area) if len(region.code) >= len(own)]
        parts = []
        for region in chain:
            name = escape(service.area_name(region.code))
            if region.code == self.area:
                parts.append(f"<b>{name}</b>")
            else:
                parts.append(f'<a href="{region.code}">{name}</a>')
        self.crumbs.setText(" \u203a ".join(parts))
        self.up_button.setEnabled(self.area != own)

    # -- loading ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Count what newly arrived bundles brought, then read the view again."""
        self.status.setText(_("Counting the figures…"))

        def counted(_villages: object) -> None:
            if shiboken6.isValid(self):
                self._prepared = True
                self.load()

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            if isinstance(exc, Cancelled):
                self.status.setText(_("Counting was cancelled; press Refresh to count the "
                                      "figures and show them."))
            else:
                self.status.setText("")
                show_failure(self, exc)

        self.ops.long_task(
            lambda session, progress: service.prepare_figures(session, progress,
                                                             today=self.today),
            _("Counting the figures of the villages…"), counted, on_failed=failed, parent=self,
        )

    def load(self) -> None:
        if not self._prepared:
            return
        self._generation += 1
        generation = self._generation
        period, area = self.period, self.area
        self.status.setText(_("Loading…"))

        def deliver(data: SummaryData) -> None:
            if shiboken6.isValid(self) and generation == self._generation:
                self.show_data(data)

        self.ops.query(lambda session: gather(session, period, area), deliver, parent=self)

    def busy(self) -> bool:
        return self.ops.busy()

    # -- showing ---------------------------------------------------------------------------
    def show_data(self, data: SummaryData) -> None:
        self.data = data
        table, totals = data.table, data.totals
        everything = totals.all
        empty = everything.enrolled == 0 and self.area == self.ops.session.code
        self.first_steps.setVisible(empty)
        for part in (self.cards, self.splitter):
            part.setVisible(not empty)
        period = totals.period.label
        self.card_villages.set_value(number(everything.villages), _(
            "{desa} desa, {kelurahan} kelurahan").format(
            desa=number(totals.by_kind[service.DESA].villages),
            kelurahan=number(totals.by_kind[service.KELURAHAN].villages)))
        self.card_enrolled.set_value(number(everything.enrolled), _("{share} of all").format(
            share=_percent(everything.enrolled, everything.villages)))
        self.card_reported.set_value(number(everything.reported), _("{share} · {period}").format(
            share=_percent(everything.reported, everything.villages), period=period))
        self.card_members.set_value(number(everything.members), _("{male} M · {female} F").format(
            male=number(everything.members_male), female=number(everything.members_female)))
        self.card_activities.set_value(number(everything.activity_count), _(
            "{people} beneficiaries").format(people=number(everything.beneficiary_count)))
        self.card_trainings.set_value(number(everything.trainings), _(
            "{graduates} graduates").format(graduates=number(everything.graduates)))

        word = region_word(self.area)
        months = [_short_month(month) for month in table.months]
        self.table_title.setText(_("Villages that sent data, per month — {area}").format(
            area=table.area_name))
        rows = [self._reporting_row(row) for row in table.rows]
        rows.append(self._reporting_row(table.total, bold=True))
        self.reporting.set_rows(
            [word, _("Desa/kel."), _("Enrolled"), *months, _("Reported at least once")], rows)
        self._show_split()
        self._show_details(totals)
        # Thousands of rows in a large province: listed when the tab is opened, not before.
        self._missing_listed = False
        self._tab_shown(self.tabs.currentIndex())
        never = sum(1 for item in data.missing if not item.enrolled)
        self.tabs.setTabText(self.missing_tab, _("Not reported ({count})").format(
            count=number(len(data.missing))))
        self.status.setText(_(
            "{period}: {missing} villages sent no data, {never} of them never. Double-click a "
            "row to go down a level.").format(period=period, missing=number(len(data.missing)),
                                              never=number(never)))

    def _reporting_row(self, row: service.ReportingRow, *, bold: bool = False) -> FigureRow:
        enrolled = max(row.enrolled, 1)  # shade by the villages that do send data
        shares = (None, None, None, *(count / enrolled for count in row.by_month), None)
        return FigureRow(
            cells=(row.name, number(row.villages), number(row.enrolled),
                   *(number(count) for count in row.by_month), number(row.in_period)),
            key=None if bold or row.code == self.area else row.code,
            bold=bold,
            shares=shares,
            tooltip="" if bold else _("{name}: {enrolled} of {villages} villages send data "
                                      "here").format(name=row.name, enrolled=row.enrolled,
                                                     villages=row.villages),
        )

    def _show_split(self) -> None:
        if self.data is None:
            return
        totals = self.data.totals
        key = self.split.currentData()
        if key == "kind":
            headers = figure_headers(_("Kind"))
            rows = [FigureRow(figure_cells(_(service.KIND_LABELS[kind]), f))
                    for kind, f in totals.by_kind.items()]
        elif key == "status":
            headers = figure_headers(_("Village status"))
            rows = [FigureRow(figure_cells(service.status_label(bucket), f))
                    for bucket, f in totals.by_status.items()]
        else:
            headers = figure_headers(region_word(self.area))
            rows = [FigureRow(figure_cells(name, f), key=code)
                    for code, name, f in totals.by_region]
        rows.append(FigureRow(figure_cells(_("Total"), totals.all), bold=True))
        self.figures.set_rows(headers, rows)
        if key == "status":
            self.status_note.setText(
                _("Status of {year} or the year before it; import statuses on the Villages "
                  "page.").format(year=totals.status_year) if totals.status_year else
                _("No village status imported yet: import a CSV on the Villages page."))
        else:
            self.status_note.setText(_(
                "Trainings: those that ended in the period. Employed and own business: their "
                "graduates' follow-ups, 3 and 6 months after the end."))

    def _show_details(self, totals: Totals) -> None:
        everything = totals.all
        band_rows = []
        for key in totals.band_keys:
            male, female = everything.bands.get(key, [0, 0])
            band_rows.append(FigureRow((service.band_label(key), number(male), number(female),
                                        number(male + female))))
        band_rows.append(FigureRow((_("Total"), number(everything.members_male),
                                    number(everything.members_female),
                                    number(everything.members)), bold=True))
        self.bands.set_rows([_("Age"), _("Male"), _("Female"), _("Total")], band_rows)

        kind_rows = [FigureRow((kind, number(count))) for kind, count in
                     sorted(everything.activities.items(), key=lambda kv: (-kv[1], kv[0]))]
        kind_rows.append(FigureRow((_("Total"), number(everything.activity_count)), bold=True))
        self.kinds.set_rows([_("Kind of activity"), _("Carried out")], kind_rows)

        people = []
        for code, (male, female) in sorted(everything.beneficiaries.items()):
            if male or female:
                people.append(FigureRow((ppks.category_label(code) if ppks.is_category(code)
                                         else str(code), number(male), number(female),
                                         number(male + female))))
        people.append(FigureRow((_("Total"), number(sum(m for m, _f in
                                                        everything.beneficiaries.values())),
                                 number(sum(f for _m, f in everything.beneficiaries.values())),
                                 number(everything.beneficiary_count)), bold=True))
        self.beneficiaries.set_rows([_("PPKS category"), _("Male"), _("Female"), _("Total")],
                                    people)

        self.trainings.set_rows([_("Trainings ended in the period"), _("People")], [
            FigureRow((_("Trainings"), number(everything.trainings))),
            FigureRow((_("Participants"), number(everything.participants))),
            FigureRow((_("Graduates"), number(everything.graduates))),
            FigureRow((_("Graduates employed"), number(everything.employed))),
            FigureRow((_("Graduates with their own business"), number(everything.business))),
            FigureRow((_("Graduates continuing training"), number(everything.studying))),
            FigureRow((_("Graduates not working yet"), number(everything.not_working))),
        ])

    def _tab_shown(self, index: int) -> None:
        if index == self.missing_tab and not self._missing_listed:
            self._show_missing()

    def _show_missing(self) -> None:
        if self.data is None:
            return
        self._missing_listed = True
        items = [item for item in self.data.missing
                 if not (self.never_only.isChecked() and item.enrolled)]
        rows = [
            FigureRow((
                item.place.regency, item.place.kecamatan, item.place.code,
                f"{_('Kelurahan') if item.place.kind == service.KELURAHAN else _('Desa')} "
                f"{item.place.name}",
                _last(item),
            ), key=item.place.code)
            for item in items
        ]
        self.missing.set_rows([_("Kabupaten/Kota"), _("Kecamatan"), _("Code"),
                               _("Desa/Kelurahan"), _("Last data sent")], rows, text_columns=5)
        # The village's name takes the room left, kept readable at any font: set once the
        # columns exist (a mode set on the empty model's column was lost, and the list ended
        # in a blank band).
        if not self._name_column_kept:
            self._name_column_kept = True
            keep_main_column(self.missing_view, 3)


def _percent(part: int, whole: int) -> str:
    return percent(100 * part / whole if whole else 0)


def _short_month(month: str) -> str:
    from babel.dates import format_date

    from kt_desktop.i18n import locale_name

    return format_date(dt.date.fromisoformat(month + "-01"), format="MMM yy",
                       locale=locale_name())


def _last(item: MissingVillage) -> str:
    if item.last_bundle is None:
        return _("never")
    day = service.local_day(item.last_bundle)
    return date_short(day) if day else _("never")
