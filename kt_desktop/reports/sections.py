"""Tables more than one report prints: identity, activities, beneficiaries, trainings, members,
money by kind or source. One definition each, so the monthly, annual and recap reports show
the same figures the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from kt_desktop.domain import formats
from kt_desktop.i18n import N_, _, ngettext
from kt_desktop.reports.base import (
    RULE,
    Report,
    data_table,
    date_range,
    esc,
    field_table,
    long_date,
    number,
    percent,
    short_date,
)
from kt_desktop.reports.charts import beneficiary_chart
from kt_desktop.reports.model import (
    ActivityLine,
    BeneficiaryLine,
    BySex,
    CashSummary,
    Identity,
    MemberSummary,
    MoneyLine,
    TrainingLine,
)

STATUS_LABELS = {
    "rencana": N_("Planned"),
    "terlaksana": N_("Carried out"),
    "batal": N_("Cancelled"),
}


def status_label(status: str) -> str:
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def identity_rows(identity: Identity) -> list[tuple[str, str]]:
    """The identity block shared by the monthly and annual reports."""
    sk = identity.sk_number
    if identity.sk_date:
        sk = _("{number}, dated {date}").format(
            number=sk or "–", date=formats.date_long(identity.sk_date)
        )
    term = "–"
    if identity.term_start or identity.term_end:
        term = f"{long_date(identity.term_start)} – {long_date(identity.term_end)}"
    return [
        (_("Name"), identity.name),
        (_("Village"), identity.region_name),
        (_("Region code (Kemendagri)"), identity.village_code),
        (_("Decree (SK pengukuhan)"), sk or "–"),
        (_("Term of office (masa bakti)"), term),
        (_("Chair"), identity.ketua or "–"),
        (_("Secretary"), identity.sekretaris or "–"),
        (_("Treasurer"), identity.bendahara or "–"),
    ]


def two_lines(report: Report, first: str, second: str) -> Paragraph:
    """A cell with a main line and a muted second line (jenis and place under a title)."""
    text = esc(first)
    if second.strip():
        text += f"<br/><font color='#555555'>{esc(second)}</font>"
    return Paragraph(text, report.st.cell)


def activity_table(report: Report, lines: list[ActivityLine]) -> Table:
    """Date, title (with jenis and place), status, participants, beneficiaries, cost, sources."""
    width = report.frame_width
    widths = [7 * mm, 18.5 * mm, 0, 17 * mm, 19.5 * mm, 21 * mm, 28 * mm]
    widths[2] = width - sum(widths)
    rows = []
    for i, line in enumerate(lines, start=1):
        when = short_date(line.start)
        if line.end and line.end != line.start:
            when = f"{when}–\n{short_date(line.end)}"
        money = formats.rupiah(line.cost) if line.cost else "–"
        if line.sources:
            money = f"{money}\n{', '.join(line.sources)}"
        rows.append(
            [
                str(i),
                when,
                two_lines(report, line.title, " · ".join(p for p in (line.jenis, line.place) if p)),
                status_label(line.status),
                number(line.participants),
                number(line.beneficiaries),
                money,
            ]
        )
    done = [line for line in lines if line.status == "terlaksana"]
    total = [
        "",
        "",
        _("Total of the activities carried out"),
        "",
        number(sum(line.participants for line in done)),
        number(sum(line.beneficiaries for line in done)),
        formats.rupiah(sum(line.cost for line in done)),
    ]
    return data_table(
        [_("No"), _("Date"), _("Activity, kind and place"), _("Status"), _("Participants"),
         _("Beneficiaries"), _("Cost and source of funds")],
        rows,
        widths,
        align=["RIGHT", "LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"],
        total_row=total,
    )


def beneficiary_table(report: Report, lines: list[BeneficiaryLine]) -> Table:
    width = report.frame_width
    widths = [0, 20 * mm, 20 * mm, 22 * mm]
    widths[0] = width - sum(widths)
    rows = [[f"{line.code}. {line.name}", number(line.male), number(line.female),
             number(line.total)] for line in lines]
    total = [
        _("Total"),
        number(sum(line.male for line in lines)),
        number(sum(line.female for line in lines)),
        number(sum(line.total for line in lines)),
    ]
    return data_table(
        [_("PPKS category"), _("Male"), _("Female"), _("Total")],
        rows,
        widths,
        align=["LEFT", "RIGHT", "RIGHT", "RIGHT"],
        total_row=total,
    )


def beneficiaries(report: Report, lines: list[BeneficiaryLine]) -> list[Flowable]:
    """The beneficiaries by PPKS category and sex: the table and its chart (nothing when no
    one was served: the report says so in its own words)."""
    if not lines:
        return []
    return [beneficiary_table(report, lines), Spacer(1, 3 * mm),
            KeepTogether([beneficiary_chart(lines, report.frame_width)])]


def people_by_sex(lines: Sequence[BySex]) -> str:
    """``75 people (37 male, 38 female)``: the summary row of the beneficiaries."""
    male, female = sum(line.male for line in lines), sum(line.female for line in lines)
    return _("{total} people ({male} male, {female} female)").format(
        total=number(male + female), male=number(male), female=number(female))


def trainings_summary(lines: Sequence[TrainingLine]) -> str:
    """``1 training, 4 participants, 3 graduates`` (graduates of the trainings that ended)."""
    return ngettext(
        "{count} training, {participants} participants, {graduates} graduates",
        "{count} trainings, {participants} participants, {graduates} graduates",
        len(lines),
    ).format(
        count=number(len(lines)),
        participants=number(sum(line.participants for line in lines)),
        graduates=number(sum(line.graduates or 0 for line in lines)))


def member_table(report: Report, members: MemberSummary) -> Table:
    width = report.frame_width
    widths = [0, 20 * mm, 20 * mm, 22 * mm]
    widths[0] = width - sum(widths)

    def row(label: str, male: int, female: int) -> list[str]:
        return [label, number(male), number(female), number(male + female)]

    rows = [
        row(_("Members at the end of the period"), members.male, members.female),
        row(_("Joined during the period"), members.joined_male, members.joined_female),
        row(_("Left during the period"), members.left_male, members.left_female),
    ]
    rows += [row(band.label, band.male, band.female)
             for band in members.bands]
    table = data_table(
        [_("Members"), _("Male"), _("Female"), _("Total")],
        rows,
        widths,
        align=["LEFT", "RIGHT", "RIGHT", "RIGHT"],
    )
    table.setStyle(TableStyle([("LINEBELOW", (0, 3), (-1, 3), 0.8, RULE)]))
    return table


def training_table(report: Report, lines: list[TrainingLine], *, outcomes: bool = False) -> Table:
    """Trainings with attendance and completion; the annual report adds the outcomes."""
    width = report.frame_width
    if outcomes:
        widths = [7 * mm, 0, 30 * mm, 19.5 * mm, 19 * mm, 15 * mm, 16 * mm, 19 * mm]
        header = [_("No"), _("Training and partner"), _("Dates"), _("Participants"),
                  _("Attendance"), _("Graduates"), _("Employed"), _("Own business")]
    else:
        widths = [7 * mm, 0, 30 * mm, 19 * mm, 11 * mm, 19.5 * mm, 19 * mm, 15 * mm]
        header = [_("No"), _("Training and partner"), _("Dates"), _("Sessions this month"),
                  _("Hours"), _("Participants"), _("Attendance"), _("Graduates")]
    widths[1] = width - sum(widths)
    rows: list[list[object]] = []
    for i, line in enumerate(lines, start=1):
        title = two_lines(report, line.title,
                          " · ".join(p for p in (line.bidang, line.partner) if p))
        dates = date_range(line.start, line.end)
        if outcomes:
            rows.append([str(i), title, dates, number(line.participants),
                         percent(line.attendance_pct), graduates_text(line),
                         number(line.employed), number(line.business)])
        else:
            rows.append([str(i), title, dates, number(line.sessions),
                         number(round(line.hours, 1)), number(line.participants),
                         percent(line.attendance_pct), graduates_text(line)])
    return data_table(
        header,
        rows,
        widths,
        align=["RIGHT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"],
    )


def graduates_text(line: TrainingLine) -> str:
    """The number of graduates, or a dash while the training is still running."""
    return "–" if line.graduates is None else number(line.graduates)


def cash_block(report: Report, title: str, cash: CashSummary) -> KeepTogether:
    """The laporan kas under its subheading, kept on one page."""
    return KeepTogether([Paragraph(esc(title), report.st.subheading),
                         field_table(cash_rows(cash), 58 * mm, report.frame_width)])


def cash_rows(cash: CashSummary) -> list[tuple[str, str]]:
    """The laporan kas as ``label : value`` lines: opening (per account when there are
    several), received and spent by category, closing."""
    rp = formats.rupiah
    rows = [(_("Opening balance"), rp(cash.opening_total))]
    if len(cash.opening) > 1:
        rows += [(f"· {account}", rp(amount)) for account, amount in cash.opening.items()]
    rows.append((_("Received"), rp(cash.received_total)))
    rows += [(f"· {name}", rp(amount)) for name, amount in cash.received]
    rows.append((_("Spent"), rp(cash.spent_total)))
    rows += [(f"· {name}", rp(amount)) for name, amount in cash.spent]
    rows.append((_("Closing balance"), rp(cash.closing)))
    return rows


def money_table(
    report: Report, lines: list[MoneyLine], first_header: str, count_header: str
) -> Table:
    """Label, count and amount, with a total row (activities by kind, funds by source)."""
    widths = [0, 32 * mm, 38 * mm]
    widths[0] = report.frame_width - sum(widths)
    rows = [[line.label, number(line.count), formats.rupiah(line.amount)] for line in lines]
    total = [_("Total"), "", formats.rupiah(sum(line.amount for line in lines))]
    return data_table(
        [first_header, count_header, _("Amount")],
        rows,
        widths,
        align=["LEFT", "RIGHT", "RIGHT"],
        total_row=total,
    )
