"""Table models of one training's tabs: sessions, participants, completion, follow-ups,
and the member picker's results.

They hold a few dozen rows that a service already computed, so each is a plain
:class:`~kt_desktop.gui.models.rows.RowsModel` that ``set_rows`` resets; display text is
formatted here (dates, scores, percentages the Indonesian way) and nothing is computed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from kt_desktop.domain import nik as nik_rules
from kt_desktop.domain.formats import date_short, number, percent, rupiah
from kt_desktop.domain.trainings import (
    CHECKPOINTS,
    OUTCOME_STATUSES,
    Participant,
    TrainingSession,
)
from kt_desktop.gui.models.rows import Index, RowsModel
from kt_desktop.gui.widgets import style
from kt_desktop.i18n import N_, _
from kt_desktop.services.trainings import CompletionRow, FollowUpRow, MemberChoice


def score_text(value: float | None) -> str:
    if value is None:
        return "—"
    return number(int(value)) if float(value).is_integer() else number(round(value, 1))


def percent_text(value: float | None) -> str:
    return percent(value)


def sex_text(sex: str) -> str:
    return {"L": _("M"), "P": _("F")}.get(sex, "")


class SessionTableModel(RowsModel[TrainingSession]):
    headers = (N_("No."), N_("Date"), N_("Topic"), N_("Hours"))
    right_aligned = frozenset({0, 3})

    def display(self, item: TrainingSession, row: int, column: int) -> str | None:
        if column == 0:
            return number(row + 1)
        if column == 1:
            return date_short(item.date)
        if column == 2:
            return item.topic
        if column == 3:
            return score_text(item.hours)
        return None


class ParticipantTableModel(RowsModel[Participant]):
    headers = (
        N_("No."), N_("Name"), N_("Membership"), N_("Sex"), N_("Birth date"), N_("NIK"),
        N_("Phone"),
    )
    right_aligned = frozenset({0})
    centered = frozenset({3})

    def display(self, item: Participant, row: int, column: int) -> str | None:
        if column == 0:
            return number(row + 1)
        if column == 1:
            return item.name
        if column == 2:
            return _("Member") if item.is_member else _("Not a member")
        if column == 3:
            return sex_text(item.sex)
        if column == 4:
            return date_short(item.birth_date) if item.birth_date else ""
        if column == 5:
            return nik_rules.mask(item.nik) if not item.is_member else ""
        if column == 6:
            return item.phone
        return None

    def extra(self, item: Participant, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and not item.is_member:
            return QColor(style.MUTED)
        return None


class CompletionTableModel(RowsModel[CompletionRow]):
    NAME, PRESENT, PERCENT, PRE, POST, COMPUTED, FINAL, NOTE, CERTIFICATE = range(1, 10)
    headers = (
        N_("No."), N_("Name"), N_("H / I / S / A"), N_("% present"), N_("Pre-test"),
        N_("Post-test"), N_("Computed"), N_("Result"), N_("Note"), N_("Certificate number"),
    )
    right_aligned = frozenset({0, PERCENT, PRE, POST})
    centered = frozenset({PRESENT})

    def display(self, item: CompletionRow, row: int, column: int) -> str | None:
        result = item.completion
        if column == 0:
            return number(row + 1)
        if column == self.NAME:
            return item.participant.name
        if column == self.PRESENT:
            return f"{result.present} / {result.excused} / {result.sick} / {result.absent}"
        if column == self.PERCENT:
            return percent_text(result.attendance_pct)
        if column == self.PRE:
            return score_text(item.participant.pre_score)
        if column == self.POST:
            return score_text(item.participant.post_score)
        if column == self.COMPUTED:
            if result.in_progress:
                return _("Not finished yet")
            return _("Passed") if result.computed_pass else _("Not passed")
        if column == self.FINAL:
            if result.in_progress and not result.override:
                return _("Not finished yet")
            text = _("Passed") if result.final_pass else _("Not passed")
            return text + (" *" if result.override else "")
        if column == self.NOTE:
            if result.override:
                return _("Changed by hand: {reason}").format(
                    reason=item.participant.override_reason
                )
            return ", ".join(result.shortfalls)
        if column == self.CERTIFICATE:
            certificate = item.certificate
            if certificate is None:
                return ""
            if certificate.is_valid:
                return certificate.number
            return _("{number} (retired)").format(number=certificate.number)
        return None

    def extra(self, item: CompletionRow, column: int, role: int) -> Any:
        result = item.completion
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.FINAL:
                if result.in_progress and not result.override:
                    return QColor(style.MUTED)
                return QColor("#1e7b34") if result.final_pass else QColor(style.ERROR)
            if column == self.CERTIFICATE and item.certificate and not item.certificate.is_valid:
                return QColor(style.MUTED)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.NOTE and result.override:
                return item.participant.override_reason
            if column == self.CERTIFICATE and item.certificate and item.certificate.retired_reason:
                return item.certificate.retired_reason
        return None


def _checkpoint_text(row: FollowUpRow, months: int) -> str:
    outcome = row.outcomes.get(months)
    if outcome is not None:
        text = _(OUTCOME_STATUSES.get(outcome.status, outcome.status))
        if outcome.detail:
            text += f": {outcome.detail}"
        if outcome.monthly_income:
            text += f" ({rupiah(outcome.monthly_income)})"
        return text
    due = row.due_on[months]
    if months in row.due:
        return _("Due since {date}").format(date=date_short(due))
    if any(later in row.outcomes for later in CHECKPOINTS if later > months):
        return "—"
    return _("From {date}").format(date=date_short(due))


class FollowUpTableModel(RowsModel[FollowUpRow]):
    headers = (
        N_("No."), N_("Name"), N_("Certificate number"), N_("After 3 months"),
        N_("After 6 months"),
    )
    right_aligned = frozenset({0})

    def display(self, item: FollowUpRow, row: int, column: int) -> str | None:
        if column == 0:
            return number(row + 1)
        if column == 1:
            return item.participant.name
        if column == 2:
            return item.certificate.number if item.certificate and item.certificate.is_valid else ""
        if column in (3, 4):
            return _checkpoint_text(item, CHECKPOINTS[column - 3])
        return None

    def extra(self, item: FollowUpRow, column: int, role: int) -> Any:
        if column in (3, 4):
            months = CHECKPOINTS[column - 3]
            if role == Qt.ItemDataRole.BackgroundRole and months in item.due:
                return QColor(style.WARNING_BG)
            if role == Qt.ItemDataRole.ForegroundRole and months not in item.outcomes:
                return None if months in item.due else QColor(style.MUTED)
        return None

    @staticmethod
    def checkpoint_of_column(column: int) -> int | None:
        return CHECKPOINTS[column - 3] if column in (3, 4) else None


class MemberPickerModel(RowsModel[MemberChoice]):
    headers = (N_("Name"), N_("Sex"), N_("Birth date"), N_("Address"), N_("Note"))
    centered = frozenset({1})

    def display(self, item: MemberChoice, row: int, column: int) -> str | None:
        if column == 0:
            return item.name
        if column == 1:
            return sex_text(item.sex)
        if column == 2:
            return date_short(item.birth_date) if item.birth_date else ""
        if column == 3:
            return item.address
        if column == 4:
            return _("already taking part") if item.already_in else ""
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        item = self.row_at(index.row())
        if item is not None and item.already_in:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def extra(self, item: MemberChoice, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and item.already_in:
            return QColor(style.MUTED)
        return None

