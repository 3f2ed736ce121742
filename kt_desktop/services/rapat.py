"""Meetings beyond the book framework: a meeting with its rows, the open follow-ups
(Beranda and the next meeting of the same kind), and the printed attendance sheet and
minutes (notulen / berita acara)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kt_desktop.domain import clock
from kt_desktop.domain.book import BookRecord, book
from kt_desktop.domain.books.rapat import KINDS, MUSYAWARAH
from kt_desktop.domain.errors import ValidationError
from kt_desktop.domain.formats import date_long
from kt_desktop.domain.members import position_text
from kt_desktop.domain.profile import Profile
from kt_desktop.i18n import _, official_paper
from kt_desktop.services import books
from kt_desktop.services.session import Session
from kt_desktop.store import rapat as store

KEY = "rapat"


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    note: str  # position of a member, institution of a guest
    member: bool


@dataclass(frozen=True, slots=True)
class FollowUp:
    task: str
    who: str
    due: dt.date | None
    done: bool
    meeting: str = ""  # the meeting it was decided in (an earlier one)


@dataclass(frozen=True, slots=True)
class Meeting:
    record: BookRecord
    attendance: list[BookRecord]
    agenda: list[BookRecord]
    followups: list[BookRecord]

    @property
    def kind_label(self) -> str:
        return _(dict(KINDS).get(str(self.record.get("kind")), str(self.record.get("kind"))))


def get(session: Session, meeting_id: str) -> Meeting:
    spec = book(KEY)
    meeting_id = books.resolve_id(session, spec, meeting_id)
    record = books.get(session, spec, meeting_id)
    return Meeting(record, *(books.children(session, spec, key, meeting_id)
                             for key in ("hadir", "acara", "tindak_lanjut")))


def people(session: Session, meeting: Meeting) -> list[Person]:
    """Who attended: members by their name and position, guests by name and institution."""
    names = store.member_names(session.db(), [str(r.get("member_id")) for r in
                                              meeting.attendance])
    found = []
    for row in meeting.attendance:
        member_id = str(row.get("member_id") or "")
        if member_id and member_id in names:
            name, position, seksi = names[member_id]
            found.append(Person(name, position_text(position, seksi), True))
        elif row.get("name"):
            found.append(Person(str(row.get("name")), str(row.get("institution") or ""),
                                False))
    return found


def _who(names: dict[str, tuple[str, str, str]], member_id: str) -> str:
    return names.get(member_id, ("", "", ""))[0]


def followups(session: Session, meeting: Meeting) -> list[FollowUp]:
    names = store.member_names(session.db(), [str(r.get("member_id")) for r in
                                              meeting.followups])
    return [FollowUp(str(r.get("task")), _who(names, str(r.get("member_id") or "")),
                     r.get("due_date"), r.get("state") == "selesai")
            for r in meeting.followups]


def earlier_open(session: Session, meeting: Meeting) -> list[FollowUp]:
    """The follow-ups of earlier meetings of the same kind not done yet (shown in this
    meeting's minutes and form)."""
    return open_before(session, str(meeting.record.get("kind")),
                       meeting.record.get("meeting_date"), exclude=meeting.record.id)


def open_before(session: Session, kind: str, day: dt.date, exclude: str = "") -> list[FollowUp]:
    """What a new meeting of ``kind`` on ``day`` should look at first (the form)."""
    found = store.open_followups(session.db(), kind=kind, before=day, exclude=exclude)
    names = store.member_names(session.db(), [f.member_id for f in found])
    return [FollowUp(f.task, _who(names, f.member_id), f.due, False,
                     f"{f.meeting_title} ({date_long(f.meeting_date)})") for f in found]


def earlier_hint(session: Session, values: dict[str, Any], record_id: str) -> str:
    """The form's note above the follow-ups: what earlier meetings of the same kind left
    open."""
    day = values.get("meeting_date")
    if not isinstance(day, dt.date):
        day = clock.today()
    found = open_before(session, str(values.get("kind") or ""), day, exclude=record_id)
    if not found:
        return ""
    lines = [f"• {f.task}" + (f" — {f.who}" if f.who else "") + f" ({f.meeting})"
             for f in found[:8]]
    more = len(found) - len(lines)
    if more > 0:
        lines.append(_("… and {n} more").format(n=more))
    return "\n".join([_("Open follow-ups of earlier meetings of this kind:"), *lines])


def dashboard_reminders(session: Session, today: dt.date) -> list[Any]:  # list[Reminder]
    """Beranda: every follow-up decided in a meeting and not done yet; late ones warn."""
    from kt_desktop.services.dashboard import Reminder

    if not session.is_village:
        return []
    found = store.open_followups(session.db())
    names = store.member_names(session.db(), [f.member_id for f in found])
    out = []
    for item in found:
        who = _who(names, item.member_id)
        text = _("Follow-up of the meeting “{meeting}”: {task}").format(
            meeting=item.meeting_title, task=item.task)
        if who:
            text += " — " + who
        if item.due is not None:
            text += " " + _("(due {date})").format(date=date_long(item.due))
        out.append(Reminder(text, warning=item.due is not None and item.due <= today))
    return out


#: How far back a meeting without minutes still counts as a gap (Kelengkapan Buku).
MINUTES_DAYS_BACK = 365


def minutes_gaps(session: Session, today: dt.date) -> list[Any]:  # list[completeness.Gap]
    """Kelengkapan Buku: meetings of the last year held with neither decisions nor the
    minutes of an agenda item written; each link opens the meeting to write them."""
    from kt_desktop.services.completeness import Gap

    if not session.is_village:
        return []
    found = store.without_minutes(session.db(), today - dt.timedelta(days=MINUTES_DAYS_BACK),
                                  today)
    return [Gap("meeting_minutes", _("Meetings without minutes"),
                f"{title} ({date_long(day)})", "rapat", meeting_id, _("Write the minutes"))
            for meeting_id, title, day in found]


# -- the officers a Musyawarah Warga elects ------------------------------------------------

#: The profile's officers a berita acara's "Ketua: name" lines may name.
OFFICERS = ("ketua", "sekretaris", "bendahara")
#: The masa bakti of the officers (Permensos 25/2019): five years.
TERM_MONTHS = 60


def officers_elected(text: str) -> dict[str, str]:
    """``{"ketua": "Budi", ...}`` from the lines ``Ketua: Budi`` of a berita acara."""
    found = {}
    for line in text.splitlines():
        role, sep, name = line.partition(":")
        key = role.strip().casefold()
        if sep and key in OFFICERS and name.strip():
            found[key] = name.strip()
    return found


def start_officers_term(session: Session, meeting_id: str) -> Profile:
    """Start the officers' record in the profile from a Musyawarah Warga: the Ketua,
    Sekretaris and Bendahara it elected, the masa bakti from its day for five years, and
    the SK number and date left empty until the Kepala Desa/Lurah confirms them. Audited."""
    from kt_desktop.domain.trainings import add_months
    from kt_desktop.services import profile as profile_service
    from kt_desktop.store import audit

    meeting = get(session, meeting_id)
    if meeting.record.get("kind") != MUSYAWARAH:
        raise ValidationError(_("Only a Musyawarah Warga elects the officers."),
                              field="kind", code="not_musyawarah")
    elected = officers_elected(str(meeting.record.get("elected") or ""))
    if not elected:
        raise ValidationError(
            _("The berita acara names no officers: write them under “Officers elected”, one "
              "a line, e.g. Ketua: Budi Santoso."), field="elected", code="no_officers")
    day = meeting.record.get("meeting_date")
    current = profile_service.load_profile(session)
    changed = dataclasses.replace(
        current, **elected, term_start=day,
        term_end=add_months(day, TERM_MONTHS) - dt.timedelta(days=1), sk_number="",
        sk_date=None)
    saved = profile_service.save_profile(session, changed)
    db = session.db()
    with db.atomic():
        audit.record(db, "settings", "profile", saved.id, actor=session.actor(),
                     detail=f"officers from musyawarah {meeting.record.id}")
    return saved


# -- printed papers ------------------------------------------------------------------------


def _paper(session: Session, meeting_id: str, out_path: Path, today: dt.date | None,
           paper: str) -> tuple[Any, Path, Meeting]:
    """What every printed paper of a meeting starts from: its frame (kop, signatures,
    paper), the checked output path and the meeting; refused before any work is done."""
    from kt_desktop.services import reports

    common, out_path = reports.paper_frame(session, out_path, today, paper)
    return common, out_path, get(session, meeting_id)


@official_paper
def build_notulen(session: Session, meeting_id: str, out_path: Path, *,
                  today: dt.date | None = None, paper: str = "a4") -> Path:
    """The minutes (notulen) of a meeting — a Musyawarah Warga's berita acara names the
    officers elected — signed by the chair and the minute-taker, with the attendance list."""
    from kt_desktop.reports import notulen
    from kt_desktop.services import reports

    common, out_path, meeting = _paper(session, meeting_id, out_path, today, paper)
    data = notulen.MinutesData(
        common=common,
        title=str(meeting.record.get("title")),
        kind=meeting.kind_label,
        musyawarah=meeting.record.get("kind") == MUSYAWARAH,
        day=meeting.record.get("meeting_date"),
        time=str(meeting.record.get("start_time") or ""),
        place=str(meeting.record.get("place") or ""),
        chair=str(meeting.record.get("chair") or ""),
        notulis=str(meeting.record.get("notulis") or ""),
        agenda=[(str(r.get("topic")), str(r.get("minutes") or "")) for r in meeting.agenda],
        decisions=str(meeting.record.get("decisions") or ""),
        elected=str(meeting.record.get("elected") or ""),
        people=people(session, meeting),
        followups=followups(session, meeting),
        earlier=earlier_open(session, meeting),
    )
    notulen.build(data, out_path)
    reports.audit_print(session, _("minutes of meeting {id}").format(id=meeting_id))
    return out_path


@official_paper
def build_attendance(session: Session, meeting_id: str, out_path: Path, *,
                     spare_rows: int = 10, today: dt.date | None = None,
                     paper: str = "a4") -> Path:
    """The attendance sheet to sign (daftar hadir, alternating signature columns), the
    names already written."""
    from kt_desktop.reports import attendance_sheet, model
    from kt_desktop.services import reports

    common, out_path, meeting = _paper(session, meeting_id, out_path, today, paper)
    data = model.AttendanceSheet(
        common=common,
        heading=_("Attendance list of the meeting"),
        event=str(meeting.record.get("title")),
        start=meeting.record.get("meeting_date"),
        end=None,
        place=str(meeting.record.get("place") or ""),
        details=[(_("Kind"), meeting.kind_label),
                 *([(_("Time"), str(meeting.record.get("start_time")))]
                   if meeting.record.get("start_time") else [])],
        names=[(p.name, p.note) for p in people(session, meeting)],
        spare_rows=reports._spare(spare_rows),
    )
    attendance_sheet.build(data, out_path)
    reports.audit_print(session, _("attendance sheet, meeting {id}").format(id=meeting_id))
    return out_path
