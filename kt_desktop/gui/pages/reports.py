"""Laporan: choose a report and its period, see it inside the program, then print or save it.

Left, the report kinds and each one's few choices (the monthly report also takes the
"Kendala" and "Rencana bulan depan" texts, kept with the month); right, the preview. Making a
report runs on the writer worker with a progress dialog (the monthly report keeps its texts,
every report writes its audit line); the PDF lands in a private temporary folder, removed when
the page goes, and is shown before anything is printed or saved. Saving copies it whole to
the chosen place and remembers the folder for next time. Opening the page warms up in the
background what the first report needs (``services.reports.warm_up``), so the first report
comes as quickly as the later ones.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from babel.dates import get_month_names
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kt_desktop.domain.formats import date_long, month_year
from kt_desktop.gui.errors import show_refusal
from kt_desktop.gui.ops import Ops
from kt_desktop.gui.pages.base import SidebarPage
from kt_desktop.gui.widgets.date_field import DateField
from kt_desktop.gui.widgets.elided_combo import ElidedCombo
from kt_desktop.gui.widgets.flow import flush
from kt_desktop.gui.widgets.labels import muted_label
from kt_desktop.gui.widgets.paper_choice import PaperChoice
from kt_desktop.gui.widgets.pdf_preview import PdfPreview
from kt_desktop.gui.widgets.pdf_saving import BuildReport, SavesPdf
from kt_desktop.i18n import N_, _, locale_name
from kt_desktop.services import reports
from kt_desktop.services.session import Session

#: ui_prefs key: the folder the last report was saved in.
LAST_FOLDER = "reports.last_folder"
#: Up to this day of the month, the monthly report offers the previous month (reports are
#: made once the month is over); after it, the month that is running.
PREVIOUS_MONTH_UNTIL_DAY = 10

Build = BuildReport


@dataclass(frozen=True, slots=True)
class Request:
    """One report to make: its title above the preview, a file name, and the service call."""

    title: str
    file_name: str
    build: Build


def _slug(text: str) -> str:
    """A file-name-safe version of a title: ``Pelatihan-Menjahit-Dasar``."""
    cleaned = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-")
    return cleaned[:60] or "laporan"


def _form_layout(widget: QWidget) -> QFormLayout:
    """The form of one report kind, kept at the top of its panel."""
    outer = flush(QVBoxLayout(widget))
    form = QFormLayout()
    outer.addLayout(form)
    outer.addStretch(1)
    form.setContentsMargins(0, 0, 0, 0)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return form


class ReportForm(QWidget):
    """The choices of one kind of report."""

    key = ""  # stable name other pages ask for (select_report)
    name = ""  # English msgid (N_) of the kind, shown in the list
    hint = ""

    def __init__(self, page: ReportsPage) -> None:
        super().__init__(page)
        self.page = page

    def load(self) -> None:
        """Fetch what the choices need (lists, kept texts); called when shown."""

    def request(self) -> Request | None:
        raise NotImplementedError


class MonthlyForm(ReportForm):
    key = "monthly"
    name = N_("Monthly report")
    hint = N_("What was done in a month, for the Ketua and the Kepala Desa to sign.")

    def __init__(self, page: ReportsPage) -> None:
        super().__init__(page)
        form = _form_layout(self)
        today = page.today
        first = today.replace(day=1)
        default = first - dt.timedelta(days=1) if today.day <= PREVIOUS_MONTH_UNTIL_DAY else today
        self.month = QComboBox()
        names = get_month_names("wide", locale=locale_name())
        for number in range(1, 13):
            self.month.addItem(names[number], number)
        self.month.setCurrentIndex(default.month - 1)
        self.year = QSpinBox()
        self.year.setAccessibleName(_("Year"))
        self.year.setRange(2000, today.year)
        self.year.setValue(default.year)
        row = QHBoxLayout()
        row.addWidget(self.month, 1)
        row.addWidget(self.year)
        form.addRow(_("Month"), row)
        self.nomor = QLineEdit()
        self.nomor.setPlaceholderText("001/KT/XI/2026")
        self.nomor.setToolTip(_("The letter number; the next number of the year is suggested."))
        form.addRow(_("Letter number"), self.nomor)
        self.kendala = QPlainTextEdit()
        self.kendala.setPlaceholderText(_("Problems this month (may stay empty)"))
        self.kendala.setTabChangesFocus(True)
        self.kendala.setMaximumHeight(120)
        form.addRow(_("Problems"), self.kendala)
        self.rencana = QPlainTextEdit()
        self.rencana.setPlaceholderText(_("What is planned for next month (may stay empty)"))
        self.rencana.setTabChangesFocus(True)
        self.rencana.setMaximumHeight(120)
        form.addRow(_("Plans"), self.rencana)
        note = muted_label(_("These texts are kept with the month and printed again next time."))
        note.setWordWrap(True)
        form.addRow(note)
        self.month.currentIndexChanged.connect(self.load)
        self.year.valueChanged.connect(self.load)
        self._loaded_for: tuple[int, int] | None = None

    def chosen(self) -> tuple[int, int]:
        return self.year.value(), int(self.month.currentData())

    def load(self) -> None:
        year, month = self.chosen()
        if dt.date(year, month, 1) > self.page.today:
            return  # the service refuses it when asked; nothing to fetch

        def fill(draft: reports.MonthlyDraft) -> None:
            if not shiboken6.isValid(self) or (draft.year, draft.month) != self.chosen():
                return
            self.nomor.setText(draft.nomor_surat)
            self.kendala.setPlainText(draft.kendala)
            self.rencana.setPlainText(draft.rencana)
            self._loaded_for = (draft.year, draft.month)

        today = self.page.today
        self.page.ops.query(lambda s: reports.monthly_draft(s, year, month, today), fill,
                            parent=self)

    def request(self) -> Request:
        year, month = self.chosen()
        nomor = self.nomor.text().strip() or None
        kendala = self.kendala.toPlainText()
        rencana = self.rencana.toPlainText()
        today = self.page.today
        label = month_year(dt.date(year, month, 1))
        return Request(
            title=_("Monthly report {month}").format(month=label),
            file_name=_("Monthly-report-{year}-{month}.pdf").format(
                year=year, month=f"{month:02d}"),
            build=lambda s, p, out, paper: reports.build_monthly(
                s, year, month, out, nomor_surat=nomor, kendala=kendala, rencana=rencana,
                paper=paper, progress=p, today=today),
        )


class MembersForm(ReportForm):
    key = "members"
    name = N_("Member register")
    hint = N_("The Buku Induk Anggota on landscape pages; NIKs show their last 4 digits.")

    def __init__(self, page: ReportsPage) -> None:
        super().__init__(page)
        form = _form_layout(self)
        self.include_left = QCheckBox(_("Also list members who have left"))
        form.addRow(self.include_left)
        self.reveal = QCheckBox(_("Print the full NIK"))
        form.addRow(self.reveal)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("Why the full NIKs are needed"))
        self.reason.setEnabled(False)
        form.addRow(_("Reason"), self.reason)
        note = muted_label(_("The reason is kept in the audit log. Pages with full NIKs are "
                             "personal data: keep them locked away."))
        note.setWordWrap(True)
        form.addRow(note)
        self.reveal.toggled.connect(self.reason.setEnabled)

    def request(self) -> Request:
        include_left = self.include_left.isChecked()
        reveal = self.reveal.isChecked()
        reason = self.reason.text()
        today = self.page.today
        return Request(
            title=_("Member register"),
            file_name=_("Member-register-{date}.pdf").format(date=today.isoformat()),
            build=lambda s, p, out, paper: reports.build_member_register(
                s, out, reveal_nik=reveal, reason=reason, include_left=include_left,
                paper=paper, progress=p, today=today),
        )


class AttendanceForm(ReportForm):
    key = "attendance"
    name = N_("Attendance list")
    hint = N_("A blank Daftar Hadir to sign, names already written, for an activity, a "
              "meeting or a training session.")

    def __init__(self, page: ReportsPage) -> None:
        super().__init__(page)
        form = _form_layout(self)
        self.source = QComboBox()
        self.source.addItem(_("Activity or meeting"), "activity")
        self.source.addItem(_("Training session"), "training")
        form.addRow(_("For"), self.source)
        self.activity = ElidedCombo()
        self.activity.setMinimumContentsLength(20)
        self.activity_label = QLabel(_("Activity"))
        form.addRow(self.activity_label, self.activity)
        self.training = ElidedCombo()
        self.training.setMinimumContentsLength(20)
        self.training_label = QLabel(_("Training"))
        form.addRow(self.training_label, self.training)
        self.session = QSpinBox()
        self.session.setRange(1, 1)
        self.session_label = QLabel(_("Session"))
        form.addRow(self.session_label, self.session)
        self.spare = QSpinBox()
        self.spare.setRange(0, reports.MAX_SPARE_ROWS)
        self.spare.setValue(reports.DEFAULT_SPARE_ROWS)
        form.addRow(_("Empty rows"), self.spare)
        self.source.currentIndexChanged.connect(self._show_source)
        self.training.currentIndexChanged.connect(self._load_sessions)
        self._show_source()

    def _show_source(self) -> None:
        training = self.source.currentData() == "training"
        for widget in (self.training, self.training_label, self.session, self.session_label):
            widget.setVisible(training)
        for widget in (self.activity, self.activity_label):
            widget.setVisible(not training)

    def load(self) -> None:
        self.page.fill_choices(self.activity, reports.activity_choices,
                               _("No activities are recorded yet."))
        self.page.fill_choices(self.training, reports.training_choices,
                               _("No trainings are recorded yet."))

    def _load_sessions(self) -> None:
        training_id = self.training.currentData()
        if not training_id:
            return

        def apply(count: int) -> None:
            if shiboken6.isValid(self) and self.training.currentData() == training_id:
                self.session.setRange(1, max(count, 1))

        self.page.ops.query(lambda s: reports.training_session_count(s, training_id), apply,
                            parent=self)

    def request(self) -> Request | None:
        spare = self.spare.value()
        today = self.page.today
        if self.source.currentData() == "training":
            training_id = self.training.currentData()
            if not training_id:
                show_refusal(self.page, _("Choose a training first."))
                return None
            number = self.session.value()
            title = self.training.currentText().split(" — ", 1)[-1]
            return Request(
                title=_("Attendance list: {event}").format(event=title),
                file_name=_("Attendance-{event}-session-{number}.pdf").format(
                    event=_slug(title), number=number),
                build=lambda s, p, out, paper: reports.build_training_attendance(
                    s, training_id, number, out, spare_rows=spare, paper=paper, progress=p,
                    today=today),
            )
        activity_id = self.activity.currentData()
        if not activity_id:
            show_refusal(self.page, _("Choose an activity first."))
            return None
        title = self.activity.currentText().split(" — ", 1)[-1]
        return Request(
            title=_("Attendance list: {event}").format(event=title),
            file_name=_("Attendance-{event}.pdf").format(event=_slug(title)),
            build=lambda s, p, out, paper: reports.build_activity_attendance(
                s, activity_id, out, spare_rows=spare, paper=paper, progress=p,
                today=today),
        )


class CertificatesForm(ReportForm):
    key = "certificates"
    name = N_("Training certificates")
    hint = N_("One certificate page for every graduate of a training, with its number.")

    def __init__(self, page: ReportsPage) -> None:
        super().__init__(page)
        form = _form_layout(self)
        self.training = ElidedCombo()
        self.training.setMinimumContentsLength(20)
        form.addRow(_("Training"), self.training)
        note = muted_label(_("Graduates without a certificate number get the next number of "
                             "the year; a number is never given twice."))
        note.setWordWrap(True)
        form.addRow(note)

    def load(self) -> None:
        # Only finished trainings: the running one was offered first and failed with an
        # error box (nobody has graduated before the last session).
        today = self.page.today
        self.page.fill_choices(
            self.training, lambda s: reports.training_choices(s, finished_on=today),
            _("No training has finished yet: certificates are made after its last day."))

    def request(self) -> Request | None:
        training_id = self.training.currentData()
        if not training_id:
            show_refusal(self.page, _("Choose a finished training first."))
            return None
        title = self.training.currentText().split(" — ", 1)[-1]
        today = self.page.today
        return Request(
            title=_("Certificates: {training}").format(training=title),
            file_name=_("Certificates-{training}.pdf").format(training=_slug(title)),
            build=lambda s, p, out, paper: reports.build_certificates(
                s, training_id, out, paper=paper, progress=p, today=today),
        )


class AnnualForm(ReportForm):
    key = "annual"
    name = N_("Yearly report")
    hint = N_("The year in figures: activities by month, beneficiaries, trainings, members.")

    def __init__(self, page: ReportsPage) -> None:
        super().__init__(page)
        form = _form_layout(self)
        self.year = QSpinBox()
        self.year.setRange(2000, page.today.year)
        self.year.setValue(page.today.year)
        form.addRow(_("Year"), self.year)
        self.nomor = QLineEdit()
        self.nomor.setPlaceholderText(_("optional"))
        form.addRow(_("Letter number"), self.nomor)

    def request(self) -> Request:
        year = self.year.value()
        nomor = self.nomor.text()
        today = self.page.today
        return Request(
            title=_("Yearly report {year}").format(year=year),
            file_name=_("Yearly-report-{year}.pdf").format(year=year),
            build=lambda s, p, out, paper: reports.build_annual(
                s, year, out, nomor_surat=nomor, paper=paper, progress=p, today=today),
        )


class RecapForm(ReportForm):
    key = "recap"
    name = N_("Activity recap")
    hint = N_("Every activity between two dates, with totals by kind and source of funds.")

    def __init__(self, page: ReportsPage) -> None:
        super().__init__(page)
        form = _form_layout(self)
        self.start = DateField(optional=False)
        self.start.set_value(page.today.replace(month=1, day=1))
        self.end = DateField(optional=False)
        self.end.set_value(page.today)
        form.addRow(_("From"), self.start)
        form.addRow(_("To"), self.end)

    def request(self) -> Request:
        start, end = self.start.value(), self.end.value()
        assert start is not None and end is not None
        today = self.page.today
        return Request(
            title=_("Activity recap {start} – {end}").format(start=date_long(start),
                                                             end=date_long(end)),
            file_name=_("Activity-recap-{start}-{end}.pdf").format(start=start.isoformat(),
                                                                    end=end.isoformat()),
            build=lambda s, p, out, paper: reports.build_recap(
                s, start, end, out, paper=paper, progress=p, today=today),
        )


class CashBookForm(ReportForm):
    key = "kas"
    name = N_("Cash book")
    hint = N_("The Buku Kas Umum of a month or a year: the opening balance, every entry with "
              "the balance after it, the month totals, signed by the Ketua and the Bendahara.")

    def __init__(self, page: ReportsPage) -> None:
        super().__init__(page)
        form = _form_layout(self)
        today = page.today
        self.month = QComboBox()
        self.month.addItem(_("The whole year"), 0)
        names = get_month_names("wide", locale=locale_name())
        for number in range(1, 13):
            self.month.addItem(names[number], number)
        self.month.setCurrentIndex(today.month)
        self.year = QSpinBox()
        self.year.setAccessibleName(_("Year"))
        self.year.setRange(2000, today.year)
        self.year.setValue(today.year)
        row = QHBoxLayout()
        row.addWidget(self.month, 1)
        row.addWidget(self.year)
        form.addRow(_("Period"), row)

    def request(self) -> Request:
        from kt_desktop.domain.book import book
        from kt_desktop.services import books

        year, month = self.year.value(), int(self.month.currentData()) or None
        label = month_year(dt.date(year, month, 1)) if month else str(year)
        today = self.page.today
        return Request(
            title=_("Cash book {period}").format(period=label),
            file_name=_("Cash-book-{period}.pdf").format(
                period=f"{year}-{month:02d}" if month else str(year)),
            build=lambda s, p, out, _paper: books.build_register(
                s, book("kas"), out, year=year, month=month, progress=p, today=today),
        )


class LpjForm(ReportForm):
    key = "lpj"
    name = N_("LPJ of an activity")
    hint = N_("The accountability report of an activity's funds: receipts by source beside "
              "the plan, every expense with its proof, what remains, in words.")

    def __init__(self, page: ReportsPage) -> None:
        super().__init__(page)
        form = _form_layout(self)
        self.activity = ElidedCombo()
        self.activity.setMinimumContentsLength(20)
        form.addRow(_("Activity"), self.activity)
        note = muted_label(_("The cash entries that name the activity are its realisation."))
        note.setWordWrap(True)
        form.addRow(note)

    def load(self) -> None:
        wanted, self.wanted = self.wanted, None
        self.page.fill_choices(self.activity, reports.activity_choices,
                               _("No activities are recorded yet."), wanted=wanted)

    wanted: str | None = None  # an activity to choose once the list is there (open_target)

    def request(self) -> Request | None:
        from kt_desktop.services import kas

        activity_id = self.activity.currentData()
        if not activity_id:
            show_refusal(self.page, _("Choose an activity first."))
            return None
        title = self.activity.currentText().split(" — ", 1)[-1]
        today = self.page.today
        return Request(
            title=_("LPJ: {activity}").format(activity=title),
            file_name=_("LPJ-{activity}.pdf").format(activity=_slug(title)),
            build=lambda s, p, out, paper: kas.build_lpj(
                s, activity_id, out, paper=paper, progress=p, today=today),
        )


class OfficersForm(ReportForm):
    key = "struktur"
    name = N_("Officers and organisation chart")
    hint = N_("The Struktur Organisasi drawn on one landscape page to pin on the wall, or the "
              "Susunan Pengurus as a signed list, of the term in force.")

    def __init__(self, page: ReportsPage) -> None:
        super().__init__(page)
        form = _form_layout(self)
        self.kind = QComboBox()
        self.kind.addItem(_("Organisation chart (Struktur Organisasi)"), "struktur")
        self.kind.addItem(_("Officers (Susunan Pengurus)"), "susunan")
        form.addRow(_("Print"), self.kind)
        note = muted_label(_("The officers come from the Officers page (Pengurus)."))
        note.setWordWrap(True)
        form.addRow(note)

    def request(self) -> Request:
        from kt_desktop.domain.book import book
        from kt_desktop.services import books, pengurus

        today = self.page.today
        if self.kind.currentData() == "susunan":
            return Request(
                title=_("Officers (Susunan Pengurus)"),
                file_name=_("Officers-{date}.pdf").format(date=today.isoformat()),
                build=lambda s, p, out, paper: books.build_register(
                    s, book("pengurus"), out, progress=p, today=today))
        return Request(
            title=_("Organisation Chart (Struktur Organisasi)"),
            file_name=_("Organisation-chart-{date}.pdf").format(date=today.isoformat()),
            build=lambda s, p, out, paper: pengurus.build_struktur(
                s, out, paper=paper, progress=p, today=today))


FORMS: tuple[type[ReportForm], ...] = (
    MonthlyForm, MembersForm, AttendanceForm, CertificatesForm, AnnualForm, RecapForm,
    CashBookForm, LpjForm, OfficersForm,
)


class ReportsPage(SavesPdf, SidebarPage):
    last_folder_key = LAST_FOLDER

    def __init__(self, ops: Ops, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(ops, parent, today=today)
        self.suggested_name = ""

        left = QVBoxLayout()
        left.setSpacing(8)
        self.kinds = QListWidget()
        self.kinds.setAccessibleName(_("Kind of report"))
        self.forms = QStackedWidget()
        for form_class in FORMS:
            form = form_class(self)
            self.kinds.addItem(_(form_class.name))
            self.kinds.item(self.kinds.count() - 1).setToolTip(_(form_class.hint))
            self.forms.addWidget(form)
        self.kinds.setFixedHeight(self.kinds.sizeHintForRow(0) * len(FORMS) + 8)
        left.addWidget(self.kinds)
        self.hint = muted_label()
        self.hint.setWordWrap(True)
        left.addWidget(self.hint)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        left.addWidget(line)
        left.addWidget(self.forms, 1)
        paper_row = QHBoxLayout()
        paper_row.addWidget(QLabel(_("Paper")))
        self.paper = PaperChoice(ops, self)
        paper_row.addWidget(self.paper, 1)
        left.addLayout(paper_row)
        self.build_controls(left)
        self.preview = PdfPreview(self)
        # 360 px at the default font; wider where a larger font needs it for a check box
        # ("Sertakan anggota yang sudah keluar") or a row of buttons.
        self.report_page(_("Reports"), _("Choose a report, see it here, then print it or save it."),
                         left, 360,
                         keys=((QKeySequence.StandardKey.Print, self.preview.print_document),))
        self.kinds.currentRowChanged.connect(self._choose)
        self.kinds.setCurrentRow(0)
        # The first report of a session would also import reportlab, read the fonts and
        # look up the village's names (about half a second): pay that now, on a worker,
        # while the secretary chooses. A failure there is left for the real build to report.
        self.ops.query(reports.warm_up, on_failed=lambda _exc: None, parent=self)

    # choosing ---------------------------------------------------------------------------
    def form(self) -> ReportForm:
        widget = self.forms.currentWidget()
        assert isinstance(widget, ReportForm)
        return widget

    def _choose(self, row: int) -> None:
        # Another kind of report: the preview of the previous one goes (a Daftar hadir
        # stayed under the certificates' heading).
        self.preview.clear()
        self.suggested_name = ""
        self.status.clear()
        self.forms.setCurrentIndex(row)
        self.hint.setText(_(FORMS[row].hint))
        self.form().load()

    def choose(self, form_class: type[ReportForm]) -> ReportForm:
        """Select the report kind ``form_class`` (the keyboard and tests use it)."""
        self.kinds.setCurrentRow(FORMS.index(form_class))
        return self.form()

    def select_report(self, key: str, *, build: bool = False) -> ReportForm:
        """Choose the report kind named ``key`` ("members", "monthly", …) from another page.

        With ``build`` the report is made at once with its default choices (the member
        page's Cetak), so the preview is there when the page shows.
        """
        keys = [form_class.key for form_class in FORMS]
        if key not in keys:
            raise ValueError(f"no report kind {key!r}")
        form = self.choose(FORMS[keys.index(key)])
        self.kinds.setFocus()
        if build:
            self.build()
        return form

    def open_target(self, target: str) -> None:
        """``monthly:YYYY-MM`` or ``lpj:<activity id>``: choose that report with that month
        or activity (a link of Kelengkapan)."""
        kind, _sep, value = target.partition(":")
        if kind == "monthly":
            form = self.select_report("monthly")
            assert isinstance(form, MonthlyForm)
            year, month = (int(part) for part in value.split("-"))
            form.year.setValue(year)
            form.month.setCurrentIndex(month - 1)
        elif kind == "lpj":
            form = self.select_report("lpj")
            assert isinstance(form, LpjForm)
            form.wanted = value
            form.load()

    def fill_choices(self, combo: QComboBox, fetch: Callable[[Session], list[reports.Choice]],
                     empty: str, *, wanted: str | None = None) -> None:
        """Fill ``combo`` with ``fetch``'s choices on a worker, keeping the current one
        (or choosing ``wanted``)."""
        current = wanted or combo.currentData()

        def apply(choices: list[reports.Choice]) -> None:
            if not shiboken6.isValid(combo):
                return
            combo.clear()
            for choice in choices:
                combo.addItem(choice.label, choice.id)
            if not choices:
                combo.addItem(empty, None)
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))

        self.ops.query(fetch, apply, parent=self)

    def refresh(self) -> None:
        """Shown again: lists of activities and trainings may have changed."""
        self.form().load()

    def shortcuts_hint(self) -> str:
        return _("Ctrl+Enter make report · Ctrl+P print · Ctrl+S save")

    # making -----------------------------------------------------------------------------
    def build(self) -> None:
        if not self.build_button.isEnabled():
            return  # one report at a time (Ctrl+Enter pressed again, Cetak on Anggota)
        request = self.form().request()
        if request is None:
            return
        self.make_report(request.build, request.file_name, request.title,
                         after=lambda: self.form().load())  # e.g. the next letter number
