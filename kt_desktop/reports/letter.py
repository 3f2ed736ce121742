"""A letter on the kop surat: Nomor, Lampiran, Perihal, "Kepada Yth.", the body, the place
and date with the Ketua's and Sekretaris's signatures (optionally "Mengetahui, Kepala
Desa/Lurah"), and the tembusan.

Body lines written ``Label : value`` (an invitation's day, time and place; a certificate's
name and NIK) print as an aligned block; the other lines as justified paragraphs.
"""

from __future__ import annotations

import dataclasses
import re

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from kt_desktop.domain.letters import Letter
from kt_desktop.i18n import _
from kt_desktop.reports.base import Report, esc, field_table, signature_flowables
from kt_desktop.reports.model import Common

_FIELD = re.compile(r"^(?P<label>[^:]{1,28}?)\s+:\s*(?P<value>.*)$")


class LetterPdf(Report):
    page_footer = False  # a letter is a document of its own, not a report

    def __init__(self, letter: Letter, common: Common) -> None:
        super().__init__(common)
        self.letter = letter
        self.title = _("Letter {number}").format(number=letter.number)

    def _body(self, text: str) -> list[Flowable]:
        out: list[Flowable] = []
        block: list[tuple[str, str]] = []

        def flush() -> None:
            if block:
                out.append(field_table(list(block), 42 * mm, self.frame_width - 10 * mm))
                out.append(Spacer(1, 2.5 * mm))
                block.clear()

        for line in text.splitlines():
            match = _FIELD.match(line.strip())
            if match:
                block.append((match["label"].strip(), match["value"].strip()))
                continue
            flush()
            if line.strip():
                out.append(Paragraph(esc(line.strip()), self.st.body_justified))
        flush()
        return out

    def story(self) -> list[Flowable]:
        letter, st = self.letter, self.st
        head = field_table([
            (_("Number"), letter.number),
            (_("Attachment"), letter.attachment_note or "–"),
            (_("Subject"), letter.subject),
        ], 22 * mm, self.frame_width * 0.7)
        to = [Paragraph(esc(_("To the honourable")), st.body),
              Paragraph("<b>" + esc(letter.addressee) + "</b>", st.body),
              Paragraph(esc(_("at their place")), st.body)]
        story: list[Flowable] = [head, Spacer(1, 5 * mm), *to, Spacer(1, 4 * mm)]
        story += self._body(letter.body)
        signers = dataclasses.replace(self.common.signatories, date=letter.day)
        tail = signature_flowables(signers, self.frame_width,
                                   acknowledge=letter.acknowledge)
        story.append(KeepTogether(tail))
        if letter.copies:
            lines = [Paragraph("<u>" + esc(_("Copies to:")) + "</u>", st.small)]
            lines += [Paragraph(esc(f"{n}. {c}"), st.small)
                      for n, c in enumerate(letter.copies, 1)]
            story += [Spacer(1, 6 * mm), KeepTogether(lines)]
        return story


def render(letter: Letter, common: Common) -> bytes:
    """The letter's PDF bytes (written whole by the caller, kept with the record)."""
    return LetterPdf(letter, common).render()
