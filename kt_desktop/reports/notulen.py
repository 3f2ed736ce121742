"""The minutes of a meeting (notulen) — for a Musyawarah Warga the berita acara, naming the
officers elected — signed by the chair (pimpinan rapat) and the minute-taker (notulis), with
the list of who attended."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from kt_desktop.i18n import _
from kt_desktop.reports.base import (
    Report,
    data_table,
    day_date,
    empty_note,
    esc,
    field_table,
    multiline,
    short_date,
    signer_columns,
)
from kt_desktop.reports.model import Common


@dataclass(frozen=True, slots=True)
class MinutesData:
    common: Common
    title: str
    kind: str
    musyawarah: bool
    day: dt.date
    time: str
    place: str
    chair: str
    notulis: str
    agenda: list[tuple[str, str]]  # (topic, minutes)
    decisions: str
    elected: str
    people: list[Any] = field(default_factory=list)  # services.rapat.Person
    followups: list[Any] = field(default_factory=list)  # services.rapat.FollowUp
    earlier: list[Any] = field(default_factory=list)  # open follow-ups of earlier meetings


class MinutesPdf(Report):
    def __init__(self, data: MinutesData) -> None:
        super().__init__(data.common)
        self.data = data
        self.title = (_("Official record of the Musyawarah Warga") if data.musyawarah
                      else _("Minutes of the meeting"))

    def _followup_table(self, items: list[Any], earlier: bool) -> Flowable:
        widths = [9 * mm, 0, 38 * mm, 26 * mm, 22 * mm]
        widths[1] = self.frame_width - sum(widths)
        rows = [[str(n), f.task + (f" — {f.meeting}" if earlier and f.meeting else ""),
                 f.who or "–", short_date(f.due) if f.due else "–",
                 _("Done") if f.done else _("Not done yet")]
                for n, f in enumerate(items, 1)]
        return data_table([_("No"), _("What"), _("Who"), _("Due"), _("State")], rows, widths,
                          align=["RIGHT", "LEFT", "LEFT", "LEFT", "LEFT"])

    def story(self) -> list[Flowable]:
        data, st = self.data, self.st
        members = sum(1 for p in data.people if p.member)
        guests = len(data.people) - members
        story: list[Flowable] = [
            Paragraph(esc(self.title.upper()), st.title),
            Paragraph("<b>" + esc(data.title) + "</b>", st.subtitle),
            field_table([
                (_("Kind of meeting"), data.kind),
                (_("Day, date"), day_date(data.day)),
                (_("Time"), data.time or "–"),
                (_("Place"), data.place or "–"),
                (_("Chair (pimpinan rapat)"), data.chair or "–"),
                (_("Minute-taker (notulis)"), data.notulis or "–"),
                (_("Present"), _("{n} people ({members} members, {guests} guests)").format(
                    n=len(data.people), members=members, guests=guests)),
            ], 44 * mm, self.frame_width),
            Spacer(1, 3 * mm),
        ]
        if data.earlier:
            story += self.heading(_("Open follow-ups of earlier meetings"))
            story.append(self._followup_table(data.earlier, True))
        story += self.heading(_("Agenda and minutes"))
        if not data.agenda:
            story.append(empty_note(_("No agenda items are recorded.")))
        for number, (topic, minutes) in enumerate(data.agenda, 1):
            story.append(Paragraph(f"<b>{number}. {esc(topic)}</b>", st.body))
            if minutes.strip():
                story.append(Paragraph(multiline(minutes), st.body_justified))
        story += self.heading(_("Decisions"))
        story.append(Paragraph(multiline(data.decisions), st.body_justified)
                     if data.decisions.strip() else empty_note(_("No decisions are recorded.")))
        if data.musyawarah:
            story += self.heading(_("Officers elected"))
            lines = [line.strip() for line in data.elected.splitlines() if line.strip()]
            pairs = [tuple(part.strip() for part in line.split(":", 1)) for line in lines]
            if pairs and all(len(pair) == 2 for pair in pairs):
                story.append(field_table(pairs, 50 * mm, self.frame_width))  # type: ignore[arg-type]
            else:
                story += [Paragraph(esc(line), st.body) for line in lines] or [
                    empty_note(_("No officers are recorded."))]
        if data.followups:
            story += self.heading(_("Follow-ups"))
            story.append(self._followup_table(data.followups, False))
        closing = Paragraph(esc(_("These minutes were written truthfully, to be used as "
                                  "needed.")), st.body_justified)
        signers = signer_columns(data.common.signatories.place, data.day, [
            (_("Chair of the meeting,"), data.chair), (_("Minute-taker,"), data.notulis)],
            self.frame_width)
        story.append(KeepTogether([Spacer(1, 4 * mm), closing, Spacer(1, 3 * mm), signers]))
        story += self.heading(_("Attendance"))
        if data.people:
            widths = [9 * mm, 0, 70 * mm, 26 * mm]
            widths[1] = self.frame_width - sum(widths)
            rows = [[str(n), p.name, p.note or "–", _("Member") if p.member else _("Guest")]
                    for n, p in enumerate(data.people, 1)]
            story.append(data_table([_("No"), _("Name"), _("Position / institution"),
                                     _("As")], rows, widths,
                                    align=["RIGHT", "LEFT", "LEFT", "LEFT"]))
        else:
            story.append(empty_note(_("No attendance is recorded.")))
        return story


def build(data: MinutesData, out_path: Path) -> Path:
    return MinutesPdf(data).build(out_path)
