"""Profil Karang Taruna: the document a Karang Taruna submits to the Lomba Karang Taruna.

Identity and officers, the year in figures (members, activities, the work programme against
its realisation), then the self-assessment on the six aspects of the classification, every
indicator with its figures, its score and how it was computed, the rubric in force and the
plain statement that no official scoring table is published. Signed by the Ketua and the
Sekretaris, acknowledged by the Kepala Desa/Lurah.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from kt_desktop.domain import formats
from kt_desktop.domain.assessment import (
    ASPECTS,
    NO_OFFICIAL_TABLE,
    Assessment,
    aspect_label,
    class_label,
)
from kt_desktop.domain.profile import Profile
from kt_desktop.i18n import _
from kt_desktop.reports.base import Report, data_table, empty_note, esc, field_table, number
from kt_desktop.reports.model import Common, Identity
from kt_desktop.reports.program_kerja import summary_rows
from kt_desktop.reports.sections import identity_rows


@dataclass(slots=True)
class ProfilData:
    common: Common
    identity: Identity
    profile: Profile
    assessment: Assessment
    programme: Any  # services.program_kerja.Programme of the year


def score_text(score: float) -> str:
    return formats.number(round(score, 1))


class ProfilPdf(Report):
    def __init__(self, data: ProfilData) -> None:
        super().__init__(data.common)
        self.data = data
        self.title = _("Profile of the Karang Taruna")

    def _figures(self) -> list[tuple[str, str]]:
        facts = self.data.assessment.facts
        return [
            (_("Active members"), number(facts.active_members)),
            (_("Members in the register"), number(facts.members_total)),
            (_("Activities carried out (12 months)"), number(facts.done)),
            (_("Trainings held (12 months)"), number(facts.trainings)),
            (_("Partners (12 months)"), number(facts.partners)),
            (_("Monthly reports made"), _("{part} of {whole}").format(
                part=number(facts.reports_made), whole=number(facts.reports_expected))),
        ]

    def _aspects(self) -> Flowable:
        result = self.data.assessment
        widths = [0, 30 * mm]
        widths[0] = self.frame_width - sum(widths)
        rows = [[aspect_label(key), score_text(result.aspect_score(key))]
                for key, _label in ASPECTS]
        return data_table([_("Aspect"), _("Score (0–100)")], rows, widths,
                          align=["LEFT", "RIGHT"],
                          total_row=[_("Total (mean of the six aspects)"),
                                     score_text(result.total)])

    def _indicators(self) -> Flowable:
        result, st = self.data.assessment, self.st
        widths = [0, 26 * mm, 14 * mm, 70 * mm]
        widths[0] = self.frame_width - sum(widths)
        rows = []
        for key, _label in ASPECTS:
            for item in (i for i in result.indicators if i.aspect == key):
                rows.append([
                    Paragraph(esc(f"{aspect_label(key)}: {item.title}"), st.cell),
                    Paragraph(esc(item.value), st.cell), score_text(item.score),
                    Paragraph(esc(item.explanation), st.cell)])
        return data_table([_("Indicator"), _("Figures"), _("Score"), _("How it is computed")],
                          rows, widths, align=["LEFT", "LEFT", "RIGHT", "LEFT"])

    def story(self) -> list[Flowable]:
        data, st = self.data, self.st
        result = data.assessment
        rubric = result.rubric
        story: list[Flowable] = [
            Paragraph(esc(_("Profile of the Karang Taruna").upper()), st.title),
            Paragraph(esc(_("As of {date}").format(date=formats.date_long(result.facts.today))),
                      st.subtitle),
        ]
        story += self.heading(_("I. Identity and officers"))
        story.append(field_table(identity_rows(data.identity), 58 * mm, self.frame_width))
        story += self.heading(_("II. The last twelve months in figures"))
        story.append(field_table(self._figures(), 58 * mm, self.frame_width))
        story += self.heading(_("III. Work programme {year}").format(year=result.facts.today.year))
        if data.programme is not None and data.programme.lines:
            story.append(field_table(summary_rows(data.programme), 58 * mm, self.frame_width))
        else:
            story.append(empty_note(_("No work programme was recorded for this year.")))
        story += self.heading(_("IV. Self-assessment on the six aspects"))
        story.append(Paragraph(esc(_(NO_OFFICIAL_TABLE)), st.note))
        story.append(Spacer(1, 2 * mm))
        story.append(self._aspects())
        story.append(Spacer(1, 2 * mm))
        story.append(field_table([
            (_("Class by this rubric"), class_label(result.klass)),
            (_("Rubric in force"), _(
                "since {date}: berkembang from {berkembang}, maju from {maju}, percontohan "
                "from {percontohan}").format(
                    date=formats.date_long(rubric.since), berkembang=rubric.berkembang,
                    maju=rubric.maju, percontohan=rubric.percontohan)),
        ], 58 * mm, self.frame_width))
        story += self.heading(_("V. The indicators"))
        story.append(self._indicators())
        story.append(self.signature(_(
            "This profile was drawn up from the books of the Karang Taruna and is true to "
            "them.")))
        return story


def build(data: ProfilData, out_path: Path) -> Path:
    """Write the Profil Karang Taruna (whole, or not at all)."""
    return ProfilPdf(data).build(out_path)

