"""Letters: the numbering of the register of outgoing letters, the templates, and writing a
letter on the kop surat.

One numbering for everything the Karang Taruna sends with a number (the monthly report
included): ``prepare`` gives a new record of the Agenda Surat Keluar the next sequence of its
year, formatted by the file's pattern. A number is never given twice (removed and cancelled
letters keep theirs); certificates keep their own series (``domain/trainings.py``).
A letter written from a template is checked whole (template, meeting, members) before its
number is taken; the number, the record and the PDF are made in one transaction, so a refusal
records nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kt_desktop.domain import clock, letters
from kt_desktop.domain.book import book
from kt_desktop.domain.books.rapat import KINDS as MEETING_KINDS
from kt_desktop.domain.books.surat_keluar import CANCELLED
from kt_desktop.domain.errors import ValidationError
from kt_desktop.domain.formats import date_long
from kt_desktop.i18n import _, official_paper
from kt_desktop.services import books
from kt_desktop.services.session import Session
from kt_desktop.store import audit
from kt_desktop.store import profile as profile_store
from kt_desktop.store import surat as store

OUT = "surat-keluar"


# -- numbering -----------------------------------------------------------------------------


def number_pattern(session: Session) -> str:
    return store.pattern(session.db()) or letters.DEFAULT_PATTERN


def set_number_pattern(session: Session, pattern: str) -> str:
    """Keep the file's number pattern (checked); an empty one goes back to the default."""
    books.require_village(session, book(OUT))
    db = session.db()
    value = letters.check_pattern(pattern) if pattern.strip() else None
    with db.atomic():
        store.set_pattern(db, value)
        audit.record(db, "settings", None, None, actor=session.actor(),
                     detail=f"letter_number_pattern: {value or letters.DEFAULT_PATTERN}")
    return value or letters.DEFAULT_PATTERN


def _names(session: Session) -> tuple[str, str]:
    """The profile's short name and name (the number's ``{singkatan}``)."""
    profile = profile_store.load(session.db())
    return (profile.short_name, profile.name) if profile else ("", "")


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else clock.today()
    except ValueError:
        return clock.today()  # the record's own check names the bad date


def next_number(session: Session, code: str, day: dt.date | None = None) -> str:
    """The number the next letter of ``day``'s year would get (nothing is taken)."""
    day = day or clock.today()
    sequence = store.next_sequence(session.db(), session.code, day.year)
    short, name = _names(session)
    return letters.format_number(number_pattern(session), sequence, code, short, day, name)


def prepare(session: Session, values: Mapping[str, Any]) -> dict[str, Any]:
    """``BookSpec.prepare`` of the Agenda Surat Keluar: a new letter gets the next sequence
    of its year and its number. A letter imported with a number of its own keeps it (its
    leading digits become its sequence, refused when that sequence is taken)."""
    out = dict(values)
    day = _day(out.get("letter_date"))
    out["letter_date"] = out.get("letter_date") or day
    code = str(out.get("code") or "").strip().upper() or "UMUM"
    out["code"] = code
    db = session.db()
    typed = str(out.get("number") or "").strip()
    sequence = out.get("sequence")
    if typed and not sequence:
        digits = typed.split("/")[0].strip()
        sequence = int(digits) if digits.isdigit() else None
        if sequence is not None and store.sequence_taken(db, session.code, day.year, sequence):
            raise ValidationError(
                _("The number {number} is already taken in {year}: a letter number is never "
                  "given twice.").format(number=typed, year=day.year),
                field="number", code="number_taken")
        out["sequence"] = sequence
        return out
    if sequence and not store.sequence_taken(db, session.code, day.year, int(sequence)):
        return out  # a removed letter brought back keeps its number when it is still free
    sequence = store.next_sequence(db, session.code, day.year)
    out["sequence"] = sequence
    short, name = _names(session)
    out["number"] = letters.format_number(number_pattern(session), sequence, code, short, day,
                                          name)
    return out


def take_number(session: Session, *, code: str, subject: str, addressee: str,
                day: dt.date | None = None, template: str = "", rapat_id: str = "",
                attachment_note: str = "", number: str = "") -> tuple[str, str]:
    """Record a letter in the Agenda Surat Keluar and return ``(id, number)``; ``number``
    keeps one typed by hand (refused when taken), else the next one is given."""
    spec = book(OUT)
    new_id = books.add(session, spec, {
        "letter_date": day or clock.today(), "code": code, "subject": subject,
        "addressee": addressee, "template": template, "rapat_id": rapat_id,
        "attachment_note": attachment_note, "number": number})
    return new_id, str(books.get(session, spec, new_id).get("number"))


def recorded(session: Session, number: str) -> bool:
    """Whether a live letter of the register already has ``number``."""
    return store.number_recorded(session.db(), session.code, number)


def cancel(session: Session, letter_id: str, reason: str) -> str:
    """Mark a letter cancelled (batal): it keeps its number, which is never given again.
    Returns the number."""
    spec = book(OUT)
    letter_id = books.resolve_id(session, spec, letter_id)
    if not reason.strip():
        raise ValidationError(_("Write why the letter is cancelled."), field="note",
                              code="reason_needed")
    record = books.get(session, spec, letter_id)
    values = {**record.values, "state": CANCELLED, "note": reason.strip()}
    books.edit(session, spec, letter_id, values)
    db = session.db()
    with db.atomic():
        audit.record(db, "cancel", spec.table, letter_id, actor=session.actor(),
                     detail=f"{record.get('number')}: {reason.strip()}")
    return str(record.get("number"))


# -- templates -----------------------------------------------------------------------------


def template_body(session: Session, key: str) -> str:
    """The template's text as the secretary left it (or the program's own)."""
    item = letters.template(key)
    return store.template_body(session.db(), key) or item.body


def save_template(session: Session, key: str, body: str) -> None:
    """Keep an edited template (refused when it names an unknown placeholder); an empty
    text goes back to the program's own. Audited."""
    item = letters.template(key)
    books.require_village(session, book(OUT))
    text = letters.check_body(item, body) if body.strip() else None
    db = session.db()
    with db.atomic():
        store.set_template_body(db, key, text)
        audit.record(db, "settings", None, None, actor=session.actor(),
                     detail=f"letter template {key}")


@dataclass(slots=True)
class LetterDraft:
    """What the secretary asks for: a template, to whom, about what, and its data."""

    template: str
    subject: str
    addressee: str
    attachment_note: str = ""
    rapat_id: str = ""
    member_niks: list[str] = field(default_factory=list)
    member_ids: list[str] = field(default_factory=list)  # picked in the form
    fields: dict[str, str] = field(default_factory=dict)
    copies: list[str] = field(default_factory=list)  # tembusan
    acknowledge: bool = False  # "Mengetahui, Kepala Desa/Lurah"
    reveal_nik: bool = False
    reveal_reason: str = ""
    body: str = ""  # the text to use instead of the kept template (the dialog's edit)


def _meeting_values(session: Session, rapat_id: str) -> dict[str, str]:
    from kt_desktop.services import rapat

    meeting = rapat.get(session, rapat_id)
    kind = dict(MEETING_KINDS).get(str(meeting.record.get("kind")), "")
    topics = [str(item.get("topic")) for item in meeting.agenda if item.get("topic")]
    agenda = "; ".join(f"{n}. {t}" for n, t in enumerate(topics, 1)) if len(topics) > 1 else (
        topics[0] if topics else str(meeting.record.get("title") or ""))
    from kt_desktop.reports.base import day_date

    day = meeting.record.get("meeting_date")
    return {"jenis_rapat": _(kind) if kind else "",
            "hari_tanggal": day_date(day) if isinstance(day, dt.date) else "",
            "waktu": str(meeting.record.get("start_time") or ""),
            "tempat": str(meeting.record.get("place") or ""), "acara": agenda}


def _member(session: Session, nik: str = "", member_id: str = "") -> Any:
    from kt_desktop.store import members as member_store

    db = session.db()
    found = member_store.find_by_nik(db, session.code, nik.strip()) if nik else None
    member = member_store.get(db, found.id if found else member_id) if (found or member_id) \
        else None
    if member is None:
        raise ValidationError(
            _("No member with NIK {nik} is in the register (they may have been removed): no "
              "letter can be written for them.").format(nik=nik) if nik else
            _("The member chosen is no longer in the register (they may have been removed): "
              "no letter can be written for them."), field="anggota", code="unknown_member")
    if member.status == "keluar":
        raise ValidationError(
            _("{name} has left the Karang Taruna: no letter can be written for them as a "
              "member.").format(name=member.name), field="anggota", code="member_left")
    return member


def _member_values(session: Session, draft: LetterDraft, template: letters.Template
                   ) -> dict[str, str]:
    from kt_desktop.domain.nik import mask

    people = [_member(session, nik=nik) for nik in draft.member_niks]
    people += [_member(session, member_id=i) for i in draft.member_ids]
    if template.member and not people:
        raise ValidationError(_("Choose the member the letter is about."), field="anggota",
                              code="member_needed")
    if template.member == "many":
        lines = [f"{n}. {p.name}" + (f" ({p.position_text()})" if p.position_text() else "")
                 for n, p in enumerate(people, 1)]
        return {"daftar_anggota": "\n".join(lines)}
    if template.member != "one":
        return {}
    if len(people) > 1:
        raise ValidationError(_("A certificate is written for one member."), field="anggota",
                              code="one_member")
    person = people[0]
    if draft.reveal_nik and not draft.reveal_reason.strip():
        raise ValidationError(_("Write why the full NIK is printed; it is kept in the audit "
                                "log."), field="reason", code="reason_needed")
    born = ", ".join(x for x in (person.birth_place, date_long(person.birth_date)
                                 if person.birth_date else "") if x)
    since = person.joined_on or person.position_start
    return {"nama": person.name, "nik": person.nik if draft.reveal_nik else mask(person.nik),
            "tempat_tanggal_lahir": born, "alamat": person.address,
            "jabatan": person.position_text() or _("Member"),
            "sejak": date_long(since) if since else ""}


def compose(session: Session, draft: LetterDraft, number: str, day: dt.date) -> letters.Letter:
    """The letter's text with every placeholder filled; refused (nothing taken) when the
    template names an unknown placeholder, a member was removed or left, or the meeting is
    gone."""
    template = letters.template(draft.template)
    body = letters.check_body(template, draft.body or template_body(session, template.key))
    for name in (draft.subject, draft.addressee):
        if not name.strip():
            raise ValidationError(_("Write the subject (perihal) and to whom the letter goes "
                                    "(kepada)."), field="subject", code="letter_incomplete")
    unknown = sorted(set(draft.fields) - set(template.fields))
    if unknown:
        raise ValidationError(
            _("The template “{template}” has no field {unknown}; it takes: {known}.").format(
                template=_(template.label), unknown=", ".join(unknown),
                known=", ".join(template.fields) or "–"), field="field",
            code="unknown_placeholder")
    profile = profile_store.load(session.db())
    values: dict[str, str] = {
        "nama_kt": profile.name if profile else "", "perihal": draft.subject.strip(),
        "kepada": draft.addressee.strip(), "tanggal_surat": date_long(day),
        "nomor_surat": number,
    }
    if profile is not None:
        from kt_desktop.reports.model import letterhead_for, signatories_for

        head, signers = letterhead_for(profile), signatories_for(profile, day)
        values |= {"desa": signers.village, "ketua": signers.ketua,
                   "sekretaris": signers.sekretaris, "kecamatan": head.kecamatan,
                   "kabupaten": head.regency}
    if template.meeting:
        if not draft.rapat_id:
            raise ValidationError(_("Choose the meeting the invitation is for."),
                                  field="rapat", code="meeting_needed")
        values |= _meeting_values(session, draft.rapat_id)
    values |= _member_values(session, draft, template)
    values |= {key: value.strip() for key, value in draft.fields.items()}
    return letters.Letter(number, draft.subject.strip(), draft.addressee.strip(),
                  draft.attachment_note.strip(), letters.fill(body, values),
                  [c.strip() for c in draft.copies if c.strip()], draft.acknowledge, day)


def preview(session: Session, draft: LetterDraft, day: dt.date | None = None) -> letters.Letter:
    """The letter as it would be written now, with the number it would get (not taken)."""
    day = day or clock.today()
    code = letters.template(draft.template).code
    return compose(session, draft, next_number(session, code, day), day)


@official_paper
def write(session: Session, draft: LetterDraft, out_path: Path, *, day: dt.date | None = None,
          paper: str = "a4") -> tuple[str, str, Path]:
    """Write the letter to ``out_path``: take its number, record it in the Agenda Surat
    Keluar and print it on the kop surat, in one transaction. Returns ``(id, number, path)``."""
    from kt_desktop.reports import letter as letter_report
    from kt_desktop.services import reports

    day = day or clock.today()
    spec = book(OUT)
    books.require_village(session, spec)
    profile, out_path = reports._signed_output(session, out_path)
    template = letters.template(draft.template)
    if draft.rapat_id:  # the id as `book list rapat` prints it
        draft.rapat_id = books.resolve_id(session, book("rapat"), draft.rapat_id)
    compose(session, draft, "…", day)  # every refusal before a number is taken
    db = session.db()
    with db.atomic():
        letter_id, number = take_number(
            session, code=template.code, subject=draft.subject.strip(),
            addressee=draft.addressee.strip(), day=day, template=template.key,
            rapat_id=draft.rapat_id, attachment_note=draft.attachment_note.strip())
        letter = compose(session, draft, number, day)
        data = letter_report.render(letter, reports._common(profile, day, paper))
        if draft.reveal_nik and template.member == "one":
            audit.record(db, "reveal", "members", None, actor=session.actor(),
                         detail=f"nik in letter {number}: {draft.reveal_reason.strip()}")
        _keep_pdf(session, letter_id, number, data)
        from kt_desktop.reports.base import write_whole

        write_whole(out_path, data)
    return letter_id, number, out_path


def _keep_pdf(session: Session, letter_id: str, number: str, data: bytes) -> None:
    """The letter's PDF is kept with its record (an attachment of the book record)."""
    from kt_desktop.services import photos

    spec = book(OUT)
    name = number.replace("/", "-") + ".pdf"
    record = books.get(session, spec, letter_id)
    books.edit(session, spec, letter_id, record.values,
               files=[photos.intake_document(data, name, _("Letter {number}").format(
                   number=number))])


def letter_pdf(session: Session, letter_id: str) -> bytes | None:
    """The PDF kept with a letter of the agenda, if it was written from a template."""
    from kt_desktop.services.photos import PDF_MIME

    for item in books.files(session, book(OUT), letter_id):
        if item.mime == PDF_MIME and item.id:
            return books.file_data(session, item.id)
    return None


def templates() -> Sequence[letters.Template]:
    return letters.TEMPLATES


#: Days before its due date that an incoming letter's disposition is listed on Beranda.
DISPOSITION_WARNING_DAYS = 3


def dashboard_reminders(session: Session, today: dt.date) -> list[Any]:  # list[Reminder]
    """Beranda: incoming letters whose disposition is due within a few days or late."""
    from kt_desktop.services.dashboard import Reminder

    if not session.is_village:
        return []
    until = today + dt.timedelta(days=DISPOSITION_WARNING_DAYS)
    out = []
    for subject, sender, to, due in store.open_dispositions(session.db(), until.isoformat()):
        day = dt.date.fromisoformat(due)
        text = _("Incoming letter “{subject}” from {sender}: follow it up by {date}").format(
            subject=subject, sender=sender, date=date_long(day))
        out.append(Reminder(text + (f" ({to})" if to else ""), warning=day <= today))
    return out
