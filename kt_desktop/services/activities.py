"""The Buku Kegiatan's use cases, shared by the page, the form, the demo and (later) reports.

Every function takes the :class:`Session` first so the GUI can run it through ``Ops`` on a
worker thread (``ops.query(lambda s: activities.page(s, flt))``). Saving validates with the
domain rules against *today* before anything is written, then writes the activity and its
children in one transaction.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from kt_desktop.domain import activities as rules
from kt_desktop.domain import clock
from kt_desktop.domain.activities import Activity
from kt_desktop.domain.errors import KtError, NotFoundError, ValidationError
from kt_desktop.domain.members import MemberQuery
from kt_desktop.domain.text import clean_fields
from kt_desktop.i18n import _
from kt_desktop.services import photos as photo_service
from kt_desktop.services.members import HistoryEntry
from kt_desktop.services.session import Session
from kt_desktop.store import activities as store
from kt_desktop.store import attachments
from kt_desktop.store import members as members_store
from kt_desktop.store import receipts as receipt_store
from kt_desktop.store.activities import ActivityFilter, ActivityRow, MemberActivity

__all__ = [
    "ActivityFilter",
    "ActivityRow",
    "ListPage",
    "MemberActivity",
    "MemberChoice",
    "Suggestions",
    "count",
    "dashboard_counts",
    "get",
    "history_entries",
    "list_page",
    "member_history",
    "page",
    "photo_data",
    "remove",
    "save",
    "search_members",
    "suggestions",
]


@dataclass(frozen=True, slots=True)
class ListPage:
    """The first page of a listing and how many rows the filter matches in all."""

    total: int
    rows: list[ActivityRow]


@dataclass(frozen=True, slots=True)
class MemberChoice:
    """A member as the participant picker shows it: name and where they live."""

    id: str
    name: str
    detail: str


@dataclass(frozen=True, slots=True)
class Suggestions:
    """Values for the form's editable lists and the page's filters: seeds, then what is used."""

    kinds: list[str]
    sections: list[str]
    partners: list[str]
    campaigns: list[str]
    places: list[str]
    #: ``(id, label)`` of the work programme's lines an activity may carry out
    program_lines: list[tuple[str, str]] = dataclass_field(default_factory=list)


def _merge(seed: tuple[str, ...], used: list[str]) -> list[str]:
    seen = {value.casefold() for value in seed}
    extra = [value for value in used if value.casefold() not in seen]
    return [*seed, *sorted(extra, key=str.casefold)]


def _require_village(session: Session) -> None:
    if not session.is_village:
        raise KtError(
            _("Activities are recorded in a village file; this is a receiver file."),
            code="not_village",
        )


# -- reading ------------------------------------------------------------------------------------


def count(session: Session, flt: ActivityFilter) -> int:
    return store.count(session.db(), flt)


def page(
    session: Session, flt: ActivityFilter, *, offset: int = 0, limit: int = 256,
    order: str = "date", descending: bool = False,
) -> list[ActivityRow]:
    return store.page(
        session.db(), flt, offset=offset, limit=limit, order=order, descending=descending
    )


def list_page(
    session: Session, flt: ActivityFilter, *, limit: int = 256, order: str = "date",
    descending: bool = False,
) -> ListPage:
    """The count and the first page in one read (one worker round trip for the page).

    A search is a scan: the page is read first (it stops after ``limit`` matches), and only
    a full page needs the separate count, so the scan is never paid twice.
    """
    db = session.db()
    rows = store.page(db, flt, offset=0, limit=limit, order=order, descending=descending)
    total = len(rows) if len(rows) < limit else store.count(db, flt)
    return ListPage(total=total, rows=rows)


def get(session: Session, activity_id: str) -> Activity:
    activity = store.load(session.db(), activity_id)
    if activity is None:
        raise NotFoundError(_("This activity no longer exists (it may have been removed)."))
    return activity


def photo_data(session: Session, attachment_id: str) -> bytes | None:
    """The scaled image of one photo (the form loads only thumbnails)."""
    return attachments.image_data(session.db(), attachment_id)


def suggestions(session: Session) -> Suggestions:
    from kt_desktop.services.books import LOOKUPS

    db = session.db()
    return Suggestions(
        kinds=_merge(
            (*rules.DEFAULT_KINDS, *receipt_store.added_values(db, receipt_store.ADDED_ACTIVITY_KINDS)),
            store.distinct_values(db, "kind"),
        ),
        sections=_merge(rules.DEFAULT_SECTIONS, store.distinct_values(db, "section")),
        partners=sorted(store.distinct_values(db, "partner"), key=str.casefold),
        campaigns=sorted(store.distinct_values(db, "campaign"), key=str.casefold),
        places=store.distinct_values(db, "place"),
        program_lines=LOOKUPS["program"].choices(session),
    )


def search_members(
    session: Session, text: str, *, limit: int = 50, today: dt.date | None = None
) -> list[MemberChoice]:
    """Members for the participant picker, by the register's own search (name or dusun
    words, NIK or phone digits); members who left are not offered."""
    rows = members_store.page(
        session.db(), MemberQuery(search=text.strip()), offset=0, limit=limit * 2,
        today=today or clock.today(),
    )
    choices = []
    for row in rows:
        if row.status == "keluar":
            continue
        where = ", ".join(
            part for part in (
                row.dusun,
                f"RT {row.rt}/RW {row.rw}" if row.rt or row.rw else "",
            ) if part
        )
        choices.append(MemberChoice(id=row.id, name=row.name, detail=where))
    return choices[:limit]


def member_history(session: Session, member_id: str) -> list[MemberActivity]:
    """The activities a member took part in (the member detail shows them)."""
    return store.member_history(session.db(), member_id)


def dashboard_counts(session: Session, today: dt.date) -> dict[str, int]:
    """Beranda's "Kegiatan bulan ini" card: activities started this month, not cancelled."""
    from kt_desktop.services.dashboard import ACTIVITIES_THIS_MONTH

    if "activities" not in session.db().table_names():
        return {}
    db = session.db()
    total = store.count(db, ActivityFilter(month=today))
    cancelled = store.count(db, ActivityFilter(month=today, status=rules.BATAL))
    return {ACTIVITIES_THIS_MONTH: total - cancelled}


# -- writing ------------------------------------------------------------------------------------


def save(session: Session, activity: Activity, *, today: dt.date | None = None) -> str:
    """Validate and write ``activity`` (new when ``id`` is None); returns its id.

    Participants must be live members of this file; photos new to the record must carry
    their image data (``services.photos`` made them). The caller's object is not changed
    (the ids of new rows are set on a copy), so a save that fails and rolls back can simply
    be tried again with the same record.
    """
    _require_village(session)
    activity = clean_fields(copy.deepcopy(activity), multiline=("description",))
    activity.funds = [clean_fields(fund) for fund in activity.funds]
    activity.photos = [clean_fields(photo, keep=("sha256", "mime")) for photo in activity.photos]
    activity.validate(today or clock.today())
    db = session.db()
    actor = session.actor()
    with db.atomic():
        _check_members(session, activity)
        photo_service.check_attached(
            session, store.OWNER, activity.id, activity.photos, field="photos",
            gone=_("A photo of this activity was removed meanwhile; open the activity again."))
        _check_program_line(session, activity)
        if activity.id is None:
            activity.id = store.insert(db, activity, village_code=session.code, actor=actor)
        else:
            store.update(db, activity, village_code=session.code, actor=actor)
    return activity.id


def remove(session: Session, activity_id: str) -> None:
    """Remove an activity: it and its children become tombstones (they travel in bundles)."""
    _require_village(session)
    db = session.db()
    with db.atomic():
        store.remove(db, activity_id, actor=session.actor())


def _check_members(session: Session, activity: Activity) -> None:
    ids = [participant.member_id for participant in activity.participants]
    if not ids:
        return
    known = store.live_member_ids(session.db(), ids)
    already = set(store.participant_ids(session.db(), activity.id)) if activity.id else set()
    for participant in activity.participants:
        # a member removed since the activity was recorded may stay listed, not be added
        if participant.member_id not in known and participant.member_id not in already:
            raise ValidationError(
                _("{name} is not (or no longer) in the member register.").format(
                    name=participant.name or participant.member_id
                ),
                field="participants",
            )


def _check_program_line(session: Session, activity: Activity) -> None:
    """The programme line named must still be in the Program Kerja (the ``program`` lookup)."""
    from kt_desktop.services.books import LOOKUPS

    if activity.program_line and not LOOKUPS["program"].exists(session, activity.program_line):
        raise ValidationError(
            _("The work programme line chosen no longer exists (it may have been removed); "
              "choose another."), field="program_line")


def history_entries(session: Session, member_id: str) -> list[HistoryEntry]:
    """The member detail's lines for activities (registered in ``HISTORY_PROVIDERS``)."""
    entries = []
    for item in store.member_history(session.db(), member_id):
        detail = item.kind
        if item.status != rules.TERLAKSANA:
            detail = f"{item.kind} · {rules.status_label(item.status)}"
        elif not item.attended:
            detail = f"{item.kind} · {_('absent')}"
        entries.append(
            HistoryEntry(date=item.start, kind=_("Activity"), title=item.title, detail=detail)
        )
    return entries
