"""Beranda (a receiver's Rekap): who this file belongs to, the counts, and what needs doing.

Everything shown comes from one :func:`kt_desktop.services.dashboard.summary` read on a
worker; the page only lays it out. A count this version does not keep yet shows "—". A new
village file with no members yet says how to start (add or import members, F1 for the guide).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain.formats import date_long, number
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.widgets import icons, style
from kt_desktop.gui.widgets.flow import ReflowGrid
from kt_desktop.gui.widgets.labels import ScaledLabel, muted_label
from kt_desktop.gui.widgets.page_header import page_column
from kt_desktop.gui.widgets.qt_names import set_named
from kt_desktop.i18n import _

if TYPE_CHECKING:
    from types import ModuleType

    # The cards, reminder rows and charts load with the first figures, after the first
    # paint: they name Qt's namespace (widgets.qt_names, issue 16).
    from kt_desktop.gui.widgets.cards import CountCard
    from kt_desktop.gui.widgets.mini_chart import MiniChart
    from kt_desktop.services.dashboard import Chart, DashboardSummary
    from kt_desktop.services.session import Session

CARD_COLUMNS = 4


def _dashboard() -> ModuleType:
    """:mod:`kt_desktop.services.dashboard`, imported by the first read (on the worker, once
    the window has painted): Beranda's first paint shows no figure (issue 16)."""
    from kt_desktop.services import dashboard

    return dashboard


def _summary(session: Session) -> DashboardSummary:
    return _dashboard().summary(session)


def _charts(session: Session) -> list[Chart]:
    return _dashboard().charts(session)

#: The sidebar page the start hint's button opens.
MEMBERS_PAGE = "anggota"


class HomePage(QWidget):
    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.summary: DashboardSummary | None = None
        # the header: the organisation's name, then where it is
        layout, self.header = page_column(self, _("Loading…"), scrolls=True)
        self.name = self.header.title
        self.name.setObjectName("homeName")
        self.place = self.header.subtitle
        self.details = muted_label()
        for label in (self.name, self.place, self.details):  # to copy a name or an SK number
            set_named(label, "textInteractionFlags", "TextSelectableByMouse")
        layout.addWidget(self.details)
        layout.addSpacing(8)

        # Four cards side by side where they fit, two by two on a small screen (1366x768 at
        # 150 %): a row of four scrolled the page sideways there.
        self.cards_box = ReflowGrid([], max_columns=CARD_COLUMNS)
        layout.addWidget(self.cards_box)
        self.cards: dict[str, CountCard] = {}
        self.cards_note = muted_label()
        layout.addWidget(self.cards_note)
        self._column = layout
        self._start_hint: QFrame | None = None  # made with the first figures (start_hint)
        self.progress_note = muted_label()  # "Mengisi data contoh… 3 dari 9"
        self.progress_note.setVisible(False)
        layout.addWidget(self.progress_note)
        layout.addSpacing(8)

        self.reminders_title = ScaledLabel(_("Reminders"), factor=1.2, bold=True)
        layout.addWidget(self.reminders_title)
        self.reminders_box = QVBoxLayout()
        self.reminders_box.setSpacing(6)
        layout.addLayout(self.reminders_box)
        layout.addSpacing(8)
        # Two small charts a Kepala Desa looks at (dashboard.CHART_PROVIDERS), side by side
        # where they fit.
        self.charts_box = ReflowGrid([], max_columns=2)
        layout.addWidget(self.charts_box)
        self.charts: list[MiniChart] = []
        layout.addStretch(1)
        self.refresh()

    @property
    def start_hint(self) -> QFrame:
        """What to do first in a new, empty village file (hidden once it has members), under
        the cards. Made when first asked for (the first figures say whether it shows): the
        first paint has no use for a hidden button's classes (issue 16)."""
        if self._start_hint is None:
            self._start_hint = self._make_start_hint()
            self._column.insertWidget(self._column.indexOf(self.cards_note) + 1,
                                      self._start_hint)
        return self._start_hint

    def _make_start_hint(self) -> QFrame:
        from PySide6.QtWidgets import QPushButton

        frame = QFrame()
        frame.setObjectName("startHint")
        frame.setStyleSheet(
            f"QFrame#startHint {{ background: {style.INFO_BG}; border-left: 4px solid "
            f"{style.ACCENT}; border-radius: 4px; }}"
        )
        row = QHBoxLayout(frame)
        row.setContentsMargins(12, 10, 12, 10)
        self.start_text = QLabel(_(
            "Start by adding members: open Members and press Ctrl+N, or Import from Excel. "
            "Press F1 for the guide."
        ))
        self.start_text.setWordWrap(True)
        row.addWidget(self.start_text, 1)
        self.start_button = QPushButton(icons.icon("users"), _("Open Members"))
        self.start_button.setToolTip(_("Go to the member register to add the first members"))
        self.start_button.clicked.connect(self.open_members)
        row.addWidget(self.start_button)
        frame.setVisible(False)
        return frame

    def open_members(self) -> None:
        """Switch the main window to Anggota (a page on its own has nowhere to go)."""
        self.open_page(MEMBERS_PAGE)

    def open_page(self, key: str) -> None:
        """Switch the main window to the page ``key`` (a card's link)."""
        window = self.window()
        specs = getattr(window, "specs", None)
        if not specs or not hasattr(window, "show_page"):
            return
        keys = [spec.key for spec in specs]
        if key in keys:
            window.show_page(keys.index(key))

    def show_progress(self, text: str | None) -> None:
        """While demo data is being added: how far it got, in place of the counts (for those
        seconds Beranda showed 0 and the "add your first member" tip). None: done."""
        self.progress_note.setText(text or "")
        self.progress_note.setVisible(text is not None)
        self.cards_box.setVisible(text is None)
        if text is not None:
            self.start_hint.setVisible(False)

    # -- data ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the summary again (called when the page is shown again)."""
        self.ops.query(_summary, self._deliver, parent=self)
        self.ops.query(_charts, self._deliver_charts, parent=self)

    def _deliver(self, summary: DashboardSummary) -> None:
        if shiboken6.isValid(self):
            self.show_summary(summary)

    def show_summary(self, summary: DashboardSummary) -> None:
        self.summary = summary
        self.name.setText(summary.name or _("(no name)"))
        self.header.set_subtitle(summary.region_name)
        if summary.kind == "receiver":
            self.details.setText(self._receiver_details(summary))
        else:
            self.details.setText(self._village_details(summary))
        self._show_cards(summary)
        filling = self.progress_note.isVisibleTo(self)
        self.cards_box.setVisible(not filling)
        # Only a village file with no members at all yet: the count is the card's own.
        members = summary.counts.get(_dashboard().ACTIVE_MEMBERS)
        self.start_hint.setVisible(not filling and summary.kind == "village" and members == 0)
        self._show_reminders(summary)

    def _deliver_charts(self, charts: list[Chart]) -> None:
        if shiboken6.isValid(self):
            self.show_charts(charts)

    def show_charts(self, charts: list[Chart]) -> None:
        from kt_desktop.gui.widgets.mini_chart import MiniChart

        shown = [chart for chart in charts if not chart.empty]
        if len(shown) == len(self.charts):
            for widget, chart in zip(self.charts, shown, strict=True):
                widget.chart = chart
                widget.setToolTip(widget._summary())
                widget.update()
            return
        for widget in self.charts:
            widget.hide()
            widget.deleteLater()
        self.charts = []
        grid = ReflowGrid([], max_columns=2)
        for chart in shown:
            widget = MiniChart(chart)
            self.charts.append(widget)
            grid.add_widget(widget)
        layout = self.charts_box.parentWidget().layout()
        layout.replaceWidget(self.charts_box, grid)
        self.charts_box.deleteLater()
        self.charts_box = grid

    @staticmethod
    def _village_details(summary: DashboardSummary) -> str:
        lines = [_("Village code: {code}").format(code=summary.code)]
        profile = summary.profile
        if profile is not None:
            if profile.term_start and profile.term_end:
                lines.append(
                    _("Masa bakti: {start} – {end}").format(
                        start=date_long(profile.term_start), end=date_long(profile.term_end)
                    )
                )
            if profile.sk_number:
                sk = _("SK pengukuhan: {number}").format(number=profile.sk_number)
                if profile.sk_date:
                    sk += " " + _("of {date}").format(date=date_long(profile.sk_date))
                lines.append(sk)
            officers = [
                (_("Ketua"), profile.ketua),
                (_("Sekretaris"), profile.sekretaris),
                (_("Bendahara"), profile.bendahara),
            ]
            named = [f"{role}: {person}" for role, person in officers if person]
            if named:
                lines.append(" · ".join(named))
        return "\n".join(lines)

    @staticmethod
    def _receiver_details(summary: DashboardSummary) -> str:
        area = summary.area_counts
        lines = [_("Area code: {code}").format(code=summary.code)]
        parts = []
        if "kabupaten" in area:
            parts.append(_("{n} kabupaten").format(n=number(area["kabupaten"])))
            parts.append(_("{n} kota").format(n=number(area.get("kota", 0))))
        if "kecamatan" in area:
            parts.append(_("{n} kecamatan").format(n=number(area["kecamatan"])))
        parts.append(_("{n} desa").format(n=number(area.get("desa", 0))))
        parts.append(_("{n} kelurahan").format(n=number(area.get("kelurahan", 0))))
        lines.append(", ".join(parts))
        return "\n".join(lines)

    def _show_cards(self, summary: DashboardSummary) -> None:
        from kt_desktop.gui.widgets.cards import NO_VALUE, CountCard

        missing = False
        for card in summary.cards:
            widget = self.cards.get(card.key)
            if widget is None:
                widget = CountCard(card.icon, card.title)
                widget.setProperty("cardKey", card.key)
                if card.page:
                    widget.make_link(_("Open the page that shows them"))
                    widget.clicked.connect(lambda page=card.page: self.open_page(page))
                self.cards[card.key] = widget
                self.cards_box.add_widget(widget)
            if card.value is None:
                missing = True
                widget.set_value(NO_VALUE)
            else:
                widget.set_value(number(card.value))
        self.cards_note.setText(
            _("— : this version of KT Desktop does not keep these data yet.") if missing else ""
        )
        self.cards_note.setVisible(missing)

    def _show_reminders(self, summary: DashboardSummary) -> None:
        from kt_desktop.gui.widgets.cards import ReminderRow

        while self.reminders_box.count():
            item = self.reminders_box.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
        if not summary.reminders:
            label = QLabel(_("Nothing needs your attention now."))
            label.setStyleSheet(f"color: {style.MUTED};")
            self.reminders_box.addWidget(label)
            return
        for reminder in summary.reminders:
            self.reminders_box.addWidget(ReminderRow(reminder.text, warning=reminder.warning))

    def card_text(self, key: str) -> str:
        """The number a card shows ("—" when unknown): what a user reads, for tests."""
        card = self.cards.get(key)
        return card.value.text() if card is not None else ""

    def reminder_texts(self) -> list[str]:
        from kt_desktop.gui.widgets.cards import ReminderRow

        texts = []
        for index in range(self.reminders_box.count()):
            widget = self.reminders_box.itemAt(index).widget()
            if isinstance(widget, ReminderRow):
                texts.append(widget.label.text())
        return texts
