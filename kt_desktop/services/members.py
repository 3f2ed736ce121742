"""The member register's use cases, shared by the page, the form and the command line.

Saving is two-step on purpose: :func:`save` refuses what must not be stored
(``ValidationError``) and, when the record is valid but unusual, raises
:class:`NeedsConfirmation` with the warnings; the caller shows them and calls again with
``confirm=True``. Confirming a NIK/birth-date/sex mismatch is remembered on the record
(``confirmed_mismatch``).

Removal returns the removed :class:`Member` so the page can offer *Urungkan* (undo) while the
program is open: :func:`undo_remove` brings the same record back (see ``store.members``).
Showing a full NIK is audited (:func:`reveal_nik`); everything else shows the last 4 digits.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlite_utils

from kt_desktop.domain import clock
from kt_desktop.domain.errors import KtError, NotFoundError, ValidationError
from kt_desktop.domain.members import (
    AGE_RULE_PRESETS,
    AgeRule,
    Member,
    MemberCheck,
    MemberQuery,
    MemberRow,
    MemberWarning,
    RuleContext,
    check,
    normalize,
)
from kt_desktop.i18n import _
from kt_desktop.services.session import Session
from kt_desktop.store import audit
from kt_desktop.store import members as store

#: Where a member's history comes from: ``"module:function"``, each called as
#: ``fn(session, member_id) -> list[HistoryEntry]`` (activities and trainings add theirs).
HISTORY_PROVIDERS: list[str] = [
    "kt_desktop.services.activities:history_entries",
    "kt_desktop.services.trainings:history_entries",
]


class NeedsConfirmation(KtError):
    """The record is valid, but the secretary must see these warnings before it is saved."""

    code = "needs_confirmation"

    def __init__(self, warnings: list[MemberWarning]) -> None:
        lines = "\n".join(f"\u2022 {w.message}" for w in warnings)
        super().__init__(_("Check before saving:") + "\n" + lines)
        self.warnings = warnings


@dataclass(frozen=True, slots=True)
class SaveResult:
    id: str
    created: bool
    warnings: tuple[MemberWarning, ...]


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One line of a member's history (an activity attended, a training followed)."""

    date: dt.date
    kind: str  # translated: "Kegiatan", "Pelatihan"
    title: str
    detail: str = ""


def _today(today: dt.date | None) -> dt.date:
    return today or clock.today()


def rule_context(
    db: sqlite_utils.Database,
    village_code: str,
    member: Member,
    today: dt.date,
    *,
    from_spreadsheet: bool = False,
    base: RuleContext | None = None,
) -> RuleContext:
    """What the rules need from the file: the NIK's other holder, namesakes, the age rule.

    ``base`` carries the settings already read (the importer checks 10,000 rows against
    one age rule and seksi list, so it reads them once).
    """
    return RuleContext(
        today=today,
        age_rule=base.age_rule if base else store.age_rule(db),
        village_code=village_code,
        nik_holder=store.find_by_nik(db, village_code, member.nik, exclude_id=member.id)
        if member.nik else None,
        namesakes=tuple(
            store.find_same_name_birth(db, member.name, member.birth_date, exclude_id=member.id)
        ),
        seksi=base.seksi if base else tuple(store.seksi_list(db)),
        from_spreadsheet=from_spreadsheet,
    )


# -- reading -------------------------------------------------------------------------------
def list_page(
    session: Session, query: MemberQuery, offset: int = 0, limit: int = 256,
    today: dt.date | None = None,
) -> list[MemberRow]:
    return store.page(
        session.db(), query, offset=offset, limit=limit, today=_today(today),
        village_code=session.code,
    )


def count(session: Session, query: MemberQuery, today: dt.date | None = None) -> int:
    return store.count(session.db(), query, today=_today(today), village_code=session.code)


def dashboard_counts(session: Session, today: dt.date | None = None) -> dict[str, int]:
    """Beranda's "anggota aktif" card (registered in ``dashboard.COUNT_PROVIDERS``)."""
    if not session.is_village:
        return {}
    return {"active_members": count(session, MemberQuery(status="aktif"), today)}


def total(session: Session) -> int:
    """Live members in the file (the "of N" beside a filtered count)."""
    return store.live_count(session.db())


def get(session: Session, member_id: str) -> Member:
    member = store.get(session.db(), member_id)
    if member is None:
        raise NotFoundError(_("This member no longer exists (they may have been removed)."))
    return member


def dusun_choices(session: Session) -> list[str]:
    return store.dusun_values(session.db())


def check_member(session: Session, member: Member, today: dt.date | None = None) -> MemberCheck:
    """Every refusal and warning of ``member`` without saving (the form's live check)."""
    cleaned = normalize(member)
    db = session.db()
    return check(cleaned, rule_context(db, session.code, cleaned, _today(today)))


def history(session: Session, member_id: str) -> list[HistoryEntry]:
    """The member's activities and trainings, newest first, from every registered provider."""
    entries: list[HistoryEntry] = []
    for target in HISTORY_PROVIDERS:
        module_name, function_name = target.split(":")
        provider: Callable[[Session, str], Iterable[HistoryEntry]] = getattr(
            importlib.import_module(module_name), function_name
        )
        entries.extend(provider(session, member_id))
    entries.sort(key=lambda entry: entry.date, reverse=True)
    return entries


# -- writing -------------------------------------------------------------------------------
def save(
    session: Session, member: Member, *, confirm: bool = False, today: dt.date | None = None
) -> SaveResult:
    """Add or update ``member`` after the rules; see the module docstring for ``confirm``."""
    require_village(session)
    today = _today(today)
    cleaned = normalize(member)
    db = session.db()
    actor = session.actor()
    with db.atomic():
        result = check(cleaned, rule_context(db, session.code, cleaned, today))
        result.raise_first()
        if result.warnings and not confirm:
            raise NeedsConfirmation(result.warnings)
        cleaned.confirmed_mismatch = any(
            w.code in ("nik_birth_mismatch", "nik_sex_mismatch") for w in result.warnings
        )
        if cleaned.id:
            stored = store.get(db, cleaned.id)
            if stored is None:
                raise NotFoundError(
                    _("This member no longer exists (they may have been removed).")
                )
            if member.version and stored.version != member.version:
                raise KtError(
                    _(
                        "This member was changed elsewhere after the form was opened. Close "
                        "the form and open it again."
                    ),
                    code="stale",
                )
            store.update(db, cleaned, actor=actor)
            return SaveResult(cleaned.id, False, tuple(result.warnings))
        new_id = store.insert(db, cleaned, village_code=session.code, actor=actor)
        return SaveResult(new_id, True, tuple(result.warnings))


def remove(session: Session, member_id: str) -> Member:
    """Remove a member (tombstone, personal data cleared); returns what was removed, for undo."""
    require_village(session)
    db = session.db()
    with db.atomic():
        member = store.get(db, member_id)
        if member is None:
            raise NotFoundError(_("This member no longer exists (they may have been removed)."))
        store.tombstone(db, member_id, actor=session.actor())
    return member


def undo_remove(session: Session, member: Member) -> str:
    """Bring back the member :func:`remove` returned, with the same id."""
    require_village(session)
    db = session.db()
    if member.nik:
        holder = store.find_by_nik(db, session.code, member.nik, exclude_id=member.id)
        if holder is not None:
            raise ValidationError(
                _(
                    "{removed} cannot be brought back: the NIK now belongs to {name}."
                ).format(removed=member.name, name=holder.name),
                field="nik",
                code="duplicate_nik",
            )
    store.restore(db, member, actor=session.actor())
    assert member.id is not None
    return member.id


def reveal_nik(session: Session, member_id: str) -> str:
    """The member's full NIK; the audit log records that it was shown (never the NIK itself)."""
    db = session.db()
    with db.atomic():
        nik = store.nik_of(db, member_id)
        audit.record(db, "reveal", "members", member_id, actor=session.actor(), detail="nik")
    return nik


# -- settings of the register ----------------------------------------------------------------
def age_rule(session: Session) -> AgeRule:
    return store.age_rule(session.db())


def set_age_rule(session: Session, rule: AgeRule | str) -> AgeRule:
    """Switch the member age rule (a preset key or a custom rule); audited as a change."""
    if isinstance(rule, str):
        if rule not in AGE_RULE_PRESETS:
            raise ValidationError(_("Unknown age rule {key}.").format(key=rule), field="age_rule")
        rule = AGE_RULE_PRESETS[rule]
    rule.check()
    db = session.db()
    with db.atomic():
        store.put_age_rule(db, rule)
        audit.record(db, "update", "settings", None, actor=session.actor(), detail=f"age_rule {rule.key}")
    return rule


def seksi_list(session: Session) -> list[str]:
    return store.seksi_list(session.db())


def set_seksi_list(session: Session, names: Iterable[str]) -> list[str]:
    """Replace the editable list of seksi (blank and repeated names are dropped)."""
    cleaned: list[str] = []
    for name in names:
        text = " ".join(name.split())
        if text.casefold().startswith("seksi "):
            text = text[6:].strip()
        if text and text.casefold() not in {c.casefold() for c in cleaned}:
            cleaned.append(text)
    if not cleaned:
        raise ValidationError(_("Keep at least one seksi in the list."), field="seksi")
    db = session.db()
    with db.atomic():
        store.put_seksi_list(db, cleaned)
        audit.record(db, "update", "settings", None, actor=session.actor(), detail="seksi")
    return cleaned


def require_village(session: Session) -> None:
    if not session.is_village:
        raise KtError(
            _("Members can only be changed in a village file."), code="not_village"
        )
