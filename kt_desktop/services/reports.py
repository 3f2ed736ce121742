"""Printed reports: check the request, gather the figures, hand them to a report module.

Every ``build_*`` function refuses a request that cannot make an honest report (a month in
the future, a profile without the Ketua's name to sign, a folder that cannot be written)
with a :class:`KtError` before anything is written, fills the report's dataclass from the
stores, writes the PDF whole (temporary name, then rename), and records a "print" line in
the audit log (and a "reveal" line, with the reason, when NIKs are printed in full).

The report modules (and reportlab with them) are imported only inside these functions, so
importing this module costs nothing at start-up.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any, TypedDict, Unpack

import sqlite_utils

from kt_desktop import paths
from kt_desktop.domain import activities as activity_rules
from kt_desktop.domain import clock, formats, ppks
from kt_desktop.domain import members as member_rules
from kt_desktop.domain import paper as papers
from kt_desktop.domain.errors import KtError, NotFoundError, ValidationError, reason_text
from kt_desktop.domain.nik import mask
from kt_desktop.domain.profile import Profile
from kt_desktop.i18n import N_, _, official_paper
from kt_desktop.reports import model
from kt_desktop.services import program_kerja
from kt_desktop.services.progress import Progress, no_progress
from kt_desktop.services.session import Session
from kt_desktop.store import audit
from kt_desktop.store import profile as profile_store
from kt_desktop.store import report_queries as queries

#: Photos printed in the monthly report's attachment (six a page); more are only counted.
MAX_PHOTOS = 24
#: Empty numbered rows under the names of a Daftar Hadir, for people not on the list.
DEFAULT_SPARE_ROWS = 10
MAX_SPARE_ROWS = 100
_STEPS = 3  # read, lay out, written


# -- checks every report shares -----------------------------------------------------------


def _today(today: dt.date | None) -> dt.date:
    return today or clock.today()


def _village_profile(session: Session) -> Profile:
    """The profile with the officers of the term in force (``services.pengurus``), refused
    when the file is not a village's or nobody can sign."""
    if not session.is_village:
        raise KtError(
            _("Reports of a village can only be made from a village data file."),
            code="not_village",
        )
    from kt_desktop.services.pengurus import signing_profile

    profile = profile_store.load(session.db())
    if profile is not None:  # the officers of the term in force sign (Buku Data Pengurus)
        profile = signing_profile(session, profile)
    if profile is None or not profile.ketua.strip():
        raise ValidationError(
            _(
                "The profile has no name for the Ketua, who signs the report. Fill it in under "
                "Settings (Pengaturan), or with kt-desktop profile set --ketua NAME, and make the "
                "report again."
            ),
            field="ketua",
            code="no_ketua",
        )
    return profile


def check_output(out_path: Path) -> Path:
    """Refuse an output that cannot be written before any work is done."""
    out_path = Path(out_path).expanduser()
    folder = out_path.parent if str(out_path.parent) else Path(".")
    if out_path.is_dir():
        raise KtError(
            _("{path} is a folder; give a file name for the report, e.g. laporan.pdf.").format(
                path=out_path
            ),
            code="unwritable",
        )
    if not folder.is_dir():
        raise KtError(
            _("The folder {folder} does not exist. Choose another folder.").format(
                folder=folder
            ),
            code="unwritable",
        )
    if not os.access(folder, os.W_OK) or (out_path.exists() and not os.access(out_path, os.W_OK)):
        raise KtError(
            _("The report cannot be written to the folder {folder}. Choose another folder.")
            .format(folder=folder),
            code="unwritable",
        )
    return out_path


def _common(profile: Profile, today: dt.date, paper: str = "a4") -> model.Common:
    """The report's frame; ``paper`` (a4, f4, letter) is checked here, before any work."""
    return model.Common(
        letterhead=model.letterhead_for(profile),
        signatories=model.signatories_for(profile, today),
        printed_on=today,
        paper=papers.paper(paper).key,
    )


def audit_print(
    session: Session,
    what: str,
    *,
    action: str = "print",
    table: str | None = None,
    record_id: str | None = None,
) -> None:
    """The audit line of a paper printed (or a file exported): it changes no record, so the
    line is written in a transaction of its own, after the paper is made."""
    db = session.db()
    with db.atomic():
        audit.record(db, action, table, record_id, actor=session.actor(), detail=what)


def _layout_progress(progress: Progress) -> Callable[[str], None]:
    return lambda text: progress.step(2, _STEPS, text)


def _signed_output(session: Session, out_path: Path) -> tuple[Profile, Path]:
    """The profile that signs and the checked output: both refused before any work is done."""
    return _village_profile(session), check_output(out_path)


def paper_frame(session: Session, out_path: Path, today: dt.date | None = None,
                paper: str = "a4") -> tuple[model.Common, Path]:
    """What every paper of a book starts from: its frame (kop surat, the signatories of the
    day, the paper) and the checked output path, both refused before any work is done."""
    profile, out_path = _signed_output(session, out_path)
    return _common(profile, _today(today), paper), out_path


def _lay_out(module: str, data: object, out_path: Path, progress: Progress) -> None:
    """Lay the pages out with ``kt_desktop.reports.<module>`` (imported only now: the
    layout modules pull in reportlab, which a session that prints nothing never pays for)."""
    progress.step(1, _STEPS, _("Laying out the pages…"))
    layout = importlib.import_module(f"kt_desktop.reports.{module}")
    layout.build(data, out_path, progress=_layout_progress(progress))


class PaperOptions(TypedDict, total=False):
    """The keywords every village paper of this module takes: the progress to report to,
    the day it is made (default: today in the file's zone) and the sheet (a4, f4, letter)."""

    progress: Progress | None
    today: dt.date | None
    paper: str


@dataclass(frozen=True, slots=True)
class _Job:
    """One paper being made: the day, the progress, the profile that signs and the checked
    output, all settled before any work is done."""

    session: Session
    today: dt.date
    progress: Progress
    profile: Profile
    out_path: Path
    paper: str

    def common(self) -> model.Common:
        return _common(self.profile, self.today, self.paper)

    def lay_out(self, module: str, data: object) -> Path:
        _lay_out(module, data, self.out_path, self.progress)
        return self.out_path


def _start(session: Session, out_path: Path, options: PaperOptions,
           check: Callable[[dt.date], None] | None = None) -> _Job:
    """The job of a paper; the request's own ``check`` (of the day it is made) comes before
    the profile's and the output's, so its sentence is the one a wrong request gets."""
    today = _today(options.get("today"))
    if check is not None:
        check(today)
    profile, out_path = _signed_output(session, out_path)
    return _Job(session, today, options.get("progress") or no_progress(), profile, out_path,
                options.get("paper", papers.DEFAULT.key))


def _training(db: sqlite_utils.Database, training_id: str) -> queries.TrainingBrief:
    training = queries.training_brief(db, training_id)
    if training is None:
        raise NotFoundError(_("The training no longer exists (it may have been removed)."))
    return training


def warm_up(session: Session) -> None:
    """Pay now what the first report of a session pays on top of the later ones.

    That is importing reportlab and the report modules, reading the fonts, finding the names
    of the village and its kecamatan, kabupaten and province, and loading the image readers
    and number formats: about half a second that would otherwise come with the first
    "Make report". The Laporan page runs this on a worker when it opens; every report is
    made the same with or without it. Reads nothing from the file.
    """
    from kt_desktop.reports import (  # noqa: F401 (imported to be ready)
        activity_recap,
        annual,
        attendance_sheet,
        base,
        certificate,
        members,
        monthly,
    )
    from kt_desktop.reports import kas as kas_report  # noqa: F401 (the money section)
    from kt_desktop.services import (  # noqa: F401 (the figures of the books the report reads)
        books,
        kas,
        pengurus,
        rapat,
        surat,
        trainings,
    )

    base.prepare()
    if session.is_village and session.code:
        model.village_of(session.code)  # the kop surat's names (regions remembers them)
    formats.number(0.5)
    formats.rupiah(0)


# -- figures shared by the monthly, annual and recap reports ------------------------------


#: Sources of funds as a narrow table column prints them (the forms use longer labels).
FUND_SHORT = {
    "swadaya": N_("Self-funded"),
    "dana_desa": N_("Village funds"),
    "csr": N_("CSR/PKBL"),
    "donatur": N_("Donors"),
    "pemda": N_("Local government"),
    "lainnya": N_("Other sources"),
}


def fund_short(code: str) -> str:
    return _(FUND_SHORT[code]) if code in FUND_SHORT else code


def _activity_lines(figures: list[queries.ActivityFigures]) -> list[model.ActivityLine]:
    lines = []
    for item in figures:
        sources = tuple(fund_short(code) for code in item.sources)
        lines.append(
            model.ActivityLine(
                start=item.start,
                end=item.end,
                title=item.title,
                jenis=item.kind,
                place=item.place,
                status=item.status,
                participants=item.participants,
                beneficiaries=item.beneficiaries,
                cost=item.cost,
                sources=sources,
            )
        )
    return lines


def _beneficiary_lines(rows: list[tuple[int, int, int]]) -> list[model.BeneficiaryLine]:
    lines = []
    for code, male, female in rows:
        name = ppks.category(code).name if ppks.is_category(code) else str(code)
        lines.append(model.BeneficiaryLine(code=code, name=name, male=male, female=female))
    return lines


def _member_summary(session: Session, start: dt.date, end: dt.date) -> model.MemberSummary | None:
    db = session.db()
    if not queries.member_table_exists(db):
        return None
    bands = []
    for key, (_label, low, high) in member_rules.AGE_BANDS.items():
        after, upto = member_rules.birth_range_for_ages(low, high, end)
        bands.append((key, _band_label(low, high), after, upto))
    counts = queries.member_counts(
        db, start, end, [(key, after, upto) for key, _label, after, upto in bands]
    )
    band_lines = [
        model.BandCount(label, counts[key]["L"], counts[key]["P"])
        for key, label, _after, _upto in bands
        if counts[key]["L"] or counts[key]["P"]
    ]
    unknown_m = counts["register"]["L"] - sum(counts[key]["L"] for key, *_rest in bands)
    unknown_f = counts["register"]["P"] - sum(counts[key]["P"] for key, *_rest in bands)
    if unknown_m or unknown_f:
        band_lines.append(model.BandCount(_("Age unknown"), unknown_m, unknown_f))
    return model.MemberSummary(
        male=counts["register"]["L"],
        female=counts["register"]["P"],
        joined_male=counts["joined"]["L"],
        joined_female=counts["joined"]["P"],
        left_male=counts["left"]["L"],
        left_female=counts["left"]["P"],
        bands=tuple(band_lines),
    )


def _band_label(low: int, high: int) -> str:
    """``Umur 13–17 tahun``; the open ends ``Umur di bawah 13 tahun``, ``Umur 46 tahun ke atas``."""
    if low <= 0:
        return _("Aged under {age} years").format(age=high + 1)
    if high >= member_rules.MAX_AGE:
        return _("Aged {age} years and older").format(age=low)
    return _("Aged {low}–{high} years").format(low=low, high=high)


def _graduates(session: Session, training_id: str) -> tuple[int, set[str]]:
    """How many passed a training, and which participants (ids)."""
    from kt_desktop.services import trainings as training_service

    sheet = training_service.completion(session, training_id)
    passed = {row.participant.id for row in sheet.rows if row.completion.final_pass}
    return len(passed), {pid for pid in passed if pid}


def _training_lines(
    session: Session, start: dt.date, end: dt.date, *, outcomes: bool = False
) -> list[model.TrainingLine]:
    lines = []
    for item in queries.trainings_between(session.db(), start, end):
        graduates: int | None = None
        employed = business = 0
        if item.end <= end:
            graduates, passed = _graduates(session, item.id)
            if outcomes:
                latest = queries.latest_outcomes(session.db(), item.id)
                employed = sum(1 for pid in passed if latest.get(pid) == "bekerja")
                business = sum(1 for pid in passed if latest.get(pid) == "wirausaha")
        lines.append(
            model.TrainingLine(
                title=item.title,
                bidang=item.skill_field,
                partner=item.partner,
                start=item.start,
                end=item.end,
                sessions=item.sessions,
                hours=item.hours,
                participants=item.participants,
                attendance_pct=item.present * 100 / item.marked if item.marked else None,
                graduates=graduates,
                employed=employed,
                business=business,
            )
        )
    return lines


def _cash(session: Session, first: dt.date, last: dt.date) -> model.CashSummary | None:
    """The laporan kas of ``first``..``last`` (inclusive) for the money section."""
    from kt_desktop.services import kas

    return kas.cash_summary(session, first, last + dt.timedelta(days=1))


def _money_lines(rows: list[tuple[str, int, int]], *, funds: bool) -> list[model.MoneyLine]:
    lines = []
    for label, count, amount in rows:
        if funds and label in activity_rules.FUND_SOURCES:
            label = activity_rules.fund_label(label)
        lines.append(model.MoneyLine(label=label or "–", count=count, amount=amount))
    return lines


# -- the monthly report -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthlyDraft:
    """What the report dialog shows for a month before the report is made."""

    year: int
    month: int
    nomor_surat: str
    kendala: str
    rencana: str
    saved: bool  # notes of this month are already kept in the file


_LEADING_NUMBER = re.compile(r"^\s*(\d+)")


def suggest_nomor_surat(session: Session, year: int, month: int,
                        today: dt.date | None = None) -> str:
    """The number the report would get now: the next number of the register of outgoing
    letters (``services/surat.py``, code ``LAP``), dated the day it is printed. The secretary
    may change it; the number is taken when the report is made."""
    from kt_desktop.domain.letters import REPORT_CODE
    from kt_desktop.services import surat

    return surat.next_number(session, REPORT_CODE, _today(today))


def monthly_draft(session: Session, year: int, month: int,
                  today: dt.date | None = None) -> MonthlyDraft:
    """The month's kept notes, or a fresh number and empty texts."""
    _check_month(year, month)
    notes = queries.monthly_notes(session.db(), f"{year:04d}-{month:02d}")
    if notes is not None:
        return MonthlyDraft(year, month, notes.nomor_surat or suggest_nomor_surat(
            session, year, month, today), notes.kendala, notes.rencana, True)
    return MonthlyDraft(year, month, suggest_nomor_surat(session, year, month, today), "", "",
                        False)


def _check_month(year: int, month: int, today: dt.date | None = None) -> None:
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValidationError(
            _("{year}-{month} is not a month; give it as YYYY-MM, e.g. 2026-11.").format(
                year=year, month=month
            ),
            field="month",
            code="bad_month",
        )
    if today is not None and dt.date(year, month, 1) > today:
        raise ValidationError(
            _(
                "{month} has not begun yet: a monthly report can be made for this month or "
                "an earlier one."
            ).format(month=f"{year:04d}-{month:02d}"),
            field="month",
            code="future_month",
        )


@official_paper
def build_monthly(
    session: Session,
    year: int,
    month: int,
    out_path: Path,
    *,
    nomor_surat: str | None = None,
    kendala: str | None = None,
    rencana: str | None = None,
    **options: Unpack[PaperOptions],
) -> Path:
    """Make the Laporan Bulanan of ``year``-``month``; returns the PDF's path.

    Texts given here (nomor surat, kendala, rencana) are kept with the month, so the next
    print of the same month says the same; texts left None are taken from what was kept.
    """
    job = _start(session, out_path, options, lambda today: _check_month(year, month, today))
    today, profile = job.today, job.profile
    job.progress.step(0, _STEPS, _("Reading the month's records…"))

    db = session.db()
    key = f"{year:04d}-{month:02d}"
    kept = queries.monthly_notes(db, key)
    number = (nomor_surat if nomor_surat is not None else (kept.nomor_surat if kept else ""))
    number = number.strip() or suggest_nomor_surat(session, year, month, today)
    kendala_text = kendala if kendala is not None else (kept.kendala if kept else "")
    rencana_text = rencana if rencana is not None else (kept.rencana if kept else "")
    if len(number) > 60:
        raise ValidationError(_("The letter number is too long (at most 60 characters)."),
                              field="nomor_surat")

    first, last = dt.date(year, month, 1), model.month_end(year, month)
    photos, photo_total = queries.activity_photos(db, first, last, limit=MAX_PHOTOS)
    data = model.MonthlyReport(
        common=job.common(),
        identity=model.identity_for(profile),
        year=year,
        month=month,
        nomor_surat=number,
        activities=_activity_lines(queries.activities_between(db, first, last)),
        beneficiaries=_beneficiary_lines(queries.beneficiaries_by_category(db, first, last)),
        trainings=_training_lines(session, first, last),
        members=_member_summary(session, first, last),
        photos=[model.Photo(p.image, p.caption, p.activity, p.date) for p in photos],
        photos_omitted=photo_total - len(photos),
        kendala=kendala_text.strip(),
        rencana=rencana_text.strip(),
        **_meetings_and_letters(db, first, last),
        cash=_cash(session, first, last),
    )
    job.lay_out("monthly", data)
    with db.atomic():
        _register_number(session, number, key, today)
        queries.save_monthly_notes(
            db,
            queries.MonthlyNotes(key, number, kendala_text.strip(), rencana_text.strip()),
            village_code=session.code,
            actor=session.actor(),
        )
        audit.record(db, "print", queries.NOTES, None, actor=session.actor(),
                     detail=_("monthly report {month}, number {number}").format(
                         month=key, number=number))
    job.progress.step(_STEPS, _STEPS, _("Done."))
    return job.out_path


def _meetings_and_letters(db: Any, first: dt.date, last: dt.date) -> dict[str, Any]:
    """The monthly report's meetings (with attendance) and letters in and out."""
    from kt_desktop.domain.books.rapat import KINDS
    from kt_desktop.store import rapat as rapat_store

    kinds = dict(KINDS)
    return {
        "meetings": [model.MeetingLine(day, _(kinds.get(kind, kind)), title, members, guests)
                     for _id, day, kind, title, members, guests
                     in rapat_store.meetings_between(db, first, last)],
        "letters_in": rapat_store.letters_between(db, "letters_in", "received_date", first,
                                                  last),
        "letters_out": rapat_store.letters_between(db, "letters_out", "letter_date", first,
                                                   last),
    }


def _register_number(session: Session, number: str, month_key: str, today: dt.date) -> None:
    """The monthly report is a letter of the register of outgoing letters: its number is
    recorded there once (the next number is taken; a number typed by hand is kept as typed,
    refused when another letter already has it)."""
    from kt_desktop.domain.letters import REPORT_CODE
    from kt_desktop.services import surat

    if surat.recorded(session, number):
        return
    year, month = (int(part) for part in month_key.split("-"))
    subject = _("Monthly report {month}").format(month=formats.month_year(
        dt.date(year, month, 1)))
    typed = "" if number == suggest_nomor_surat(session, year, month, today) else number
    surat.take_number(session, code=REPORT_CODE, subject=subject,
                      addressee=_("Kepala Desa/Lurah"), day=today, number=typed)


# -- the member register ------------------------------------------------------------------


@official_paper
def build_member_register(
    session: Session,
    out_path: Path,
    *,
    reveal_nik: bool = False,
    reason: str = "",
    include_left: bool = False,
    **options: Unpack[PaperOptions],
) -> Path:
    """Make the Buku Induk Anggota. NIKs show their last 4 digits only, unless
    ``reveal_nik`` with a ``reason``, which the audit log keeps (UU 27/2022)."""
    if reveal_nik and len(reason.strip()) < 5:
        raise ValidationError(
            _("Write why the full NIKs must be printed (at least a few words); the reason is "
              "kept in the audit log."),
            field="reason",
            code="reason_required",
        )
    job = _start(session, out_path, options)
    today = job.today
    job.progress.step(0, _STEPS, _("Reading the member register…"))
    db = session.db()
    rows: list[model.MemberRow] = []
    male = female = 0
    if queries.member_table_exists(db):
        for number, item in enumerate(queries.register_rows(db, include_left=include_left), 1):
            male += item.sex == "L"
            female += item.sex == "P"
            rows.append(_member_row(number, item, reveal_nik, today))
    data = model.MemberRegister(
        common=job.common(),
        rows=rows,
        nik_revealed=reveal_nik,
        include_left=include_left,
        male=male,
        female=female,
    )
    job.lay_out("members", data)
    with db.atomic():
        actor = session.actor()
        detail = _("member register, {count} members").format(count=len(rows))
        if reveal_nik:
            audit.record(db, "reveal", "members", None, actor=actor,
                         detail=_("{detail}, full NIK printed: {reason}").format(
                             detail=detail, reason=reason.strip()))
        audit.record(db, "print", "members", None, actor=actor,
                     detail=detail + (_(", full NIK") if reveal_nik else _(", NIK masked")))
    job.progress.step(_STEPS, _STEPS, _("Done."))
    return job.out_path


def _member_row(
    number: int, item: queries.RegisterRow, reveal: bool, today: dt.date
) -> model.MemberRow:
    birth = item.birth_place
    if item.birth_date:
        birth = f"{birth}, {item.birth_date.strftime('%d/%m/%Y')}" if birth else (
            item.birth_date.strftime("%d/%m/%Y"))
    age = None
    if item.birth_date:
        age = today.year - item.birth_date.year - (
            (today.month, today.day) < (item.birth_date.month, item.birth_date.day))
    address = item.dusun
    if item.rt or item.rw:
        address = f"{address} RT {item.rt or '-'}/RW {item.rw or '-'}".strip()
    if item.address:
        address = f"{item.address}, {address}" if address else item.address
    status = item.status
    if status in member_rules.STATUS_LABELS:
        status = _(member_rules.STATUS_LABELS[status])
    return model.MemberRow(
        number=number,
        name=item.name,
        nik=(item.nik if reveal else mask(item.nik)) or "–",
        sex=item.sex,
        birth=birth or "–",
        age=age,
        address=address or "–",
        education=member_rules.DOC_EDUCATION.get(item.education, item.education) or "–",
        occupation=item.occupation or "–",
        position=member_rules.position_text(item.position, item.seksi),
        status=status,
        joined=item.joined_on,
    )


# -- attendance sheets --------------------------------------------------------------------


def _spare(spare_rows: int) -> int:
    if not 0 <= spare_rows <= MAX_SPARE_ROWS:
        raise ValidationError(
            _("Spare rows must be between 0 and {most}.").format(most=MAX_SPARE_ROWS),
            field="spare_rows",
        )
    return spare_rows


class SheetOptions(PaperOptions, total=False):
    """A Daftar Hadir's keywords: the paper's, and the empty numbered rows under the names
    (default :data:`DEFAULT_SPARE_ROWS`)."""

    spare_rows: int


def _attendance_sheet(session: Session, out_path: Path, options: SheetOptions,
                      sheet: Callable[[sqlite_utils.Database], Any], what: str) -> Path:
    """A Daftar Hadir: ``sheet`` reads what the event puts on it (heading, event, dates,
    place, details, names …) once the request is found sound; ``what`` is its audit line."""
    spare_rows = _spare(options.pop("spare_rows", DEFAULT_SPARE_ROWS))
    job = _start(session, out_path, options)
    data = model.AttendanceSheet(common=job.common(), spare_rows=spare_rows,
                                 **sheet(session.db()))
    job.lay_out("attendance_sheet", data)
    audit_print(session, what)
    return job.out_path


def _named(rows: Iterable[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """``(name, position, seksi)`` rows as the sheet lists them: the name and the position."""
    return [(name, member_rules.position_text(position, seksi)) for name, position, seksi in rows]


@official_paper
def build_activity_attendance(
    session: Session,
    activity_id: str,
    out_path: Path,
    **options: Unpack[SheetOptions],
) -> Path:
    """A blank Daftar Hadir for an activity (a meeting is an activity of kind "Rapat")."""

    def sheet(db: sqlite_utils.Database) -> dict[str, Any]:
        brief = queries.activity_brief(db, activity_id)
        if brief is None:
            raise NotFoundError(_("The activity no longer exists (it may have been removed)."))
        is_meeting = brief.kind.strip().casefold() == "rapat"
        return {
            "heading": _("Attendance list of the meeting") if is_meeting
            else _("Attendance list of the activity"),
            "event": brief.title, "start": brief.start, "end": brief.end, "place": brief.place,
            "details": [] if is_meeting else [(_("Kind"), brief.kind)],
            "names": _named(queries.activity_participant_names(db, activity_id)
                            if queries.member_table_exists(db) else []),
        }

    return _attendance_sheet(session, out_path, options, sheet,
                             _("attendance sheet, activity {id}").format(id=activity_id))


@official_paper
def build_training_attendance(
    session: Session,
    training_id: str,
    session_number: int,
    out_path: Path,
    **options: Unpack[SheetOptions],
) -> Path:
    """A blank Daftar Hadir for session ``session_number`` (1 = the first) of a training."""

    def sheet(db: sqlite_utils.Database) -> dict[str, Any]:
        training = _training(db, training_id)
        count = queries.training_session_count(db, training_id)
        meeting = queries.training_session_on(db, training_id, session_number) if (
            session_number >= 1) else None
        if meeting is None:
            raise ValidationError(
                _("The training has {count} sessions; choose a session from 1 to {count}.")
                .format(count=count) if count
                else _("The training has no sessions yet: add them first."),
                field="session",
                code="no_session",
            )
        details = [
            (_("Session"), _("{number} of {count}: {topic} ({hours} hours)").format(
                number=session_number, count=count, topic=meeting.topic,
                hours=formats.number(round(meeting.hours, 1)))),
        ]
        if training.trainer:
            details.append((_("Trainer"), training.trainer))
        return {
            "heading": _("Attendance list of the training"),
            "event": training.title, "start": meeting.date, "end": None,
            "place": training.place, "details": details,
            "names": _named(queries.training_participant_names(db, training_id)),
            "trainer": training.trainer or "",
        }

    return _attendance_sheet(
        session, out_path, options, sheet,
        _("attendance sheet, training {id}, session {number}").format(
            id=training_id, number=session_number))


# -- certificates -------------------------------------------------------------------------


@official_paper
def build_certificates(
    session: Session,
    training_id: str,
    out_path: Path,
    **options: Unpack[PaperOptions],
) -> Path:
    """One certificate page per graduate. Graduates without a number get one first (numbers
    are given once and never reused: the trainings service keeps that promise)."""
    from kt_desktop.services import trainings as training_service

    job = _start(session, out_path, options)
    db = session.db()
    training = _training(db, training_id)
    job.progress.step(0, _STEPS, _("Reading the graduates…"))
    sheet = training_service.completion(session, training_id)
    if not any(row.completion.final_pass for row in sheet.rows):
        raise KtError(
            _("Nobody has passed this training yet, so there is no certificate to print. "
              "Record the attendance (and the result) first."),
            code="no_graduates",
        )
    if any(row.completion.final_pass and (row.certificate is None or not row.certificate.is_valid)
           for row in sheet.rows):
        training_service.assign_certificates(session, training_id, job.today)
        sheet = training_service.completion(session, training_id)
    graduates = [
        model.Graduate(row.participant.name, row.certificate.number, row.certificate.issued_on)
        for row in sheet.rows
        if row.completion.final_pass and row.certificate is not None
    ]
    sessions = training_service.list_sessions(session, training_id)
    partner = training.partner.strip()
    trainer = training.trainer.strip()
    data = model.CertificateSet(
        common=job.common(),
        training=training.title,
        bidang=training.skill_field,
        partner=partner or training.organizer.strip(),
        partner_signer="" if partner else trainer,
        partner_signer_title=(_("Head of {partner}").format(partner=partner) if partner
                              else _("Trainer")),
        start=training.start,
        end=training.end,
        sessions=len(sessions),
        hours=sum(s.hours for s in sessions),
        graduates=graduates,
    )
    job.lay_out("certificate", data)
    audit_print(session, _("certificates, training {id}, {count} pages").format(
        id=training_id, count=len(graduates)))
    return job.out_path


# -- annual report and activity recap -----------------------------------------------------


@official_paper
def build_annual(
    session: Session,
    year: int,
    out_path: Path,
    *,
    nomor_surat: str = "",
    **options: Unpack[PaperOptions],
) -> Path:
    """The Laporan Tahunan of ``year`` (the current year: up to today)."""

    def check(today: dt.date) -> None:
        if not 2000 <= year <= today.year:
            raise ValidationError(
                _("A yearly report can be made for this year or an earlier one, not {year}.")
                .format(year=year),
                field="year",
                code="future_year",
            )

    job = _start(session, out_path, options, check)
    today, profile = job.today, job.profile
    job.progress.step(0, _STEPS, _("Reading the year's records…"))
    db = session.db()
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    months = queries.activity_months(db, year)
    data = model.AnnualReport(
        common=job.common(),
        identity=model.identity_for(profile),
        year=year,
        months=[
            model.MonthLine(*astuple(months.get(m, queries.NO_MONTH_FIGURES)), month=m)
            for m in range(1, 13)
        ],
        beneficiaries=_beneficiary_lines(queries.beneficiaries_by_category(db, first, last)),
        by_jenis=_money_lines(queries.done_by_kind(db, first, last), funds=False),
        by_source=_money_lines(queries.done_by_fund_source(db, first, last), funds=True),
        trainings=_training_lines(session, first, min(last, today), outcomes=True),
        members=_member_summary(session, first, min(last, today)),
        nomor_surat=nomor_surat.strip(),
        programme=program_kerja.realisation(session, year),
        cash=_cash(session, first, last),
    )
    job.lay_out("annual", data)
    audit_print(session, _("annual report {year}").format(year=year))
    return job.out_path


@official_paper
def build_recap(
    session: Session,
    start: dt.date,
    end: dt.date,
    out_path: Path,
    **options: Unpack[PaperOptions],
) -> Path:
    """Rekap Kegiatan: every activity between two dates, with totals by kind and by source."""

    def check(today: dt.date) -> None:
        if end < start:
            raise ValidationError(
                _("The end date ({end}) is before the start date ({start}).").format(
                    end=end.isoformat(), start=start.isoformat()
                ),
                field="end",
                code="bad_range",
            )
        if start > today:
            raise ValidationError(
                _("The period starts in the future ({start}); choose dates up to today.")
                .format(start=start.isoformat()),
                field="start",
                code="future_range",
            )

    job = _start(session, out_path, options, check)
    job.progress.step(0, _STEPS, _("Reading the activities…"))
    db = session.db()
    data = model.ActivityRecap(
        common=job.common(),
        start=start,
        end=end,
        activities=_activity_lines(queries.activities_between(db, start, end)),
        by_jenis=_money_lines(queries.done_by_kind(db, start, end), funds=False),
        by_source=_money_lines(queries.done_by_fund_source(db, start, end), funds=True),
    )
    job.lay_out("activity_recap", data)
    audit_print(session, _("activity recap {start} to {end}").format(
        start=start.isoformat(), end=end.isoformat()))
    return job.out_path


# -- choices for the report page ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    label: str


def activity_choices(session: Session, *, limit: int = 300) -> list[Choice]:
    """Recent activities, newest first, labelled "14/11/2026 — Bakti sosial …"."""
    return [Choice(row[0], f"{_short_date(row[2])} — {row[1]}")
            for row in queries.recent_activities(session.db(), limit)]


def training_choices(
    session: Session, *, limit: int = 200, finished_on: dt.date | None = None
) -> list[Choice]:
    """Trainings to choose from, newest first; with ``finished_on`` only those finished on
    that day (the certificate report: a running one has no graduates yet)."""
    return [Choice(row[0], f"{_short_date(row[2])} — {row[1]}")
            for row in queries.recent_trainings(session.db(), limit, ended_before=finished_on)]


def training_session_count(session: Session, training_id: str) -> int:
    return queries.training_session_count(session.db(), training_id)


def _short_date(day: dt.date) -> str:
    return formats.date_short(day)


def save_copy(source: Path, target: Path) -> Path:
    """Copy a previewed report to where the secretary chose, whole or not at all."""
    import shutil

    target = check_output(target)

    def refusal(exc: OSError) -> KtError:
        return KtError(
            _("The report cannot be written to {path}: {reason}. Choose another folder.")
            .format(path=target, reason=reason_text(exc)),
            code="unwritable",
        )

    with paths.written_whole(target, refusal, sync=True) as temp:
        shutil.copyfile(source, temp)
    return target


# -- Beranda: what this month asks, and two small charts -----------------------------------
#: Months of activities and beneficiaries on Beranda's chart.
CHART_MONTHS = 6


def _month_before(today: dt.date) -> dt.date:
    return today.replace(day=1) - dt.timedelta(days=1)


def dashboard_reminders(session: Session, today: dt.date) -> list[Any]:
    """What this month asks of the secretary: last month's report made? sent? (registered
    in ``dashboard.REMINDER_PROVIDERS``). Made: its notes are kept when it is printed;
    sent: a paket data was made after that month ended, so the receiver holds it."""
    from kt_desktop.services.dashboard import Reminder, file_status

    if not session.is_village:
        return []
    month = _month_before(today)
    label = formats.month_year(month)
    if queries.monthly_notes(session.db(), month.strftime("%Y-%m")) is None:
        return [Reminder(_(
            "The monthly report for {month} is not made yet: Reports \u2192 Monthly report."
        ).format(month=label), warning=True)]
    sent = file_status(session).last_bundle
    month_began = dt.datetime.combine(today.replace(day=1), dt.time()) - clock.zone().offset
    if sent is None or sent.astimezone(dt.UTC).replace(tzinfo=None) < month_began:
        return [Reminder(_(
            "The monthly report for {month} is made but its data are not sent yet: Send data."
        ).format(month=label), warning=True)]
    return [Reminder(_("The monthly report for {month} is made and its data were sent on "
                       "{date}.").format(month=label,
                                         date=formats.date_long(clock.in_zone(sent).date())))]


def dashboard_charts(session: Session, today: dt.date) -> list[Any]:
    """Beranda's two charts a Kepala Desa looks at (registered in
    ``dashboard.CHART_PROVIDERS``): members by age band and sex today, and activities carried
    out and their beneficiaries in the last six months."""
    from kt_desktop.services.dashboard import Chart

    if not session.is_village:
        return []
    charts = []
    if queries.member_table_exists(session.db()):
        bands = [(key, *member_rules.birth_range_for_ages(low, high, today), low, high)
                 for key, (_label, low, high) in member_rules.AGE_BANDS.items()]
        counts = queries.member_counts(session.db(), today, today,
                                       [(key, after, upto) for key, after, upto, *_r in bands])
        charts.append(Chart(
            _("Members by age and sex"),
            [_age_span(low, high) for *_r, low, high in bands],
            [(_("Male"), [counts[key]["L"] for key, *_r in bands]),
             (_("Female"), [counts[key]["P"] for key, *_r in bands])],
        ))
    months = []
    first = today.replace(day=1)
    for _step in range(CHART_MONTHS):
        months.insert(0, first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    figures = {year: queries.activity_months(session.db(), year)
               for year in {month.year for month in months}}
    rows = [figures[month.year].get(month.month, queries.NO_MONTH_FIGURES) for month in months]
    charts.append(Chart(
        _("Activities and beneficiaries per month"),
        [_short_month(month) for month in months],
        [(_("Activities carried out"), [row.done for row in rows]),
         (_("Beneficiaries"), [row.beneficiaries for row in rows])],
        separate_scales=True,
    ))
    return charts


def _age_span(low: int, high: int) -> str:
    """``13–17``, ``<13``, ``46+``: an age band on a chart's axis."""
    if low <= 0:
        return f"<{high + 1}"
    if high >= member_rules.MAX_AGE:
        return f"{low}+"
    return f"{low}\u2013{high}"


def _short_month(month: dt.date) -> str:
    from babel.dates import format_date

    from kt_desktop.i18n import locale_name

    return format_date(month, format="MMM", locale=locale_name())
