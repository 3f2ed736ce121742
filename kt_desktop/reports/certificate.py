"""Sertifikat Pelatihan: one landscape page per graduate, to hand over at the closing.

Each page carries the KT's name and logo, the certificate number (given once, never reused:
see the trainings service), the graduate's name, the training with its dates, sessions and
hours, and two signatures: the partner's (or the trainer's) and the Ketua's. A double border
frames the page. No footer: "Halaman 1 dari 14 · KT Desktop" under a certificate handed to
one graduate reads as a printout of a list, not a document of its own.
"""

from __future__ import annotations

import io

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from kt_desktop.domain import formats
from kt_desktop.i18n import _
from kt_desktop.reports.base import (
    FONT,
    FONT_BOLD,
    FONT_ITALIC,
    INK,
    MUTED,
    SIGN_SPACE,
    SIGN_STYLE,
    Report,
    date_range,
    esc,
    hours_text,
    make_style,
    number,
)
from kt_desktop.reports.model import CertificateSet, Graduate

BORDER = 15 * mm
ACCENT = "#1f4e79"


class CertificatePdf(Report):
    is_landscape = True
    page_footer = False

    def __init__(self, data: CertificateSet) -> None:
        super().__init__(data.common)
        self.data = data
        self.title = _("Training certificates: {training}").format(training=data.training)
        self.big = make_style("cert_big", fontName=FONT_BOLD, fontSize=40, leading=48,
                          alignment=TA_CENTER, textColor=ACCENT)
        self.number = make_style("cert_number", fontSize=11, leading=14, alignment=TA_CENTER,
                                 spaceBefore=1 * mm)
        self.line = make_style("cert_line", fontName=FONT_ITALIC, fontSize=12, leading=16,
                           alignment=TA_CENTER, textColor=MUTED)
        self.name = make_style("cert_name", fontName=FONT_BOLD, fontSize=28, leading=34,
                           alignment=TA_CENTER)
        self.training = make_style("cert_training", fontName=FONT_BOLD, fontSize=17, leading=22,
                               alignment=TA_CENTER, textColor=ACCENT)
        self.text = make_style("cert_text", fontSize=11.5, leading=16, alignment=TA_CENTER)

    # the page: a double border and the KT's name at the top --------------------------------
    def _frames(self) -> tuple[Frame, Frame]:
        width, height = self.pagesize
        inner = BORDER + 10 * mm
        frame = Frame(inner, inner, width - 2 * inner, height - 2 * inner - 22 * mm,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="cert")
        return frame, frame

    def _decorate(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        width, height = self.pagesize
        head = self.common.letterhead
        canvas.saveState()
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(3)
        canvas.rect(BORDER, BORDER, width - 2 * BORDER, height - 2 * BORDER)
        canvas.setLineWidth(0.8)
        canvas.rect(BORDER + 2.5 * mm, BORDER + 2.5 * mm, width - 2 * BORDER - 5 * mm,
                    height - 2 * BORDER - 5 * mm)
        top = height - BORDER - 10 * mm
        text_x = width / 2
        if head.logo:
            try:
                image = ImageReader(io.BytesIO(head.logo))
                iw, ih = image.getSize()
                size = 22 * mm
                scale = min(size / iw, size / ih)
                canvas.drawImage(image, BORDER + 12 * mm, top - size + 4 * mm, iw * scale,
                                 ih * scale, mask="auto")
            except Exception:
                pass
        canvas.setFillColor(INK)
        canvas.setFont(FONT_BOLD, 15)
        canvas.drawCentredString(text_x, top, head.org_title)
        canvas.setFont(FONT, 10)
        place = f"{head.village_word} {head.village}, Kecamatan {head.kecamatan}, {head.regency}"
        canvas.drawCentredString(text_x, top - 6 * mm, place)
        canvas.restoreState()

    _on_first = _decorate
    _on_later = _decorate

    # one page per graduate -----------------------------------------------------------------
    def story(self) -> list[Flowable]:
        story: list[Flowable] = []
        for index, graduate in enumerate(self.data.graduates):
            if index:
                story.append(PageBreak())
            story += self._page(graduate)
        return story

    def _page(self, graduate: Graduate) -> list[Flowable]:
        data = self.data
        facts = _("{sessions} sessions, {hours} hours of lessons").format(
            sessions=number(data.sessions), hours=hours_text(data.hours)
        )
        if data.partner:
            held = _(
                "in the field of {bidang}, held by {org} together with {partner} on "
                "{dates} ({facts})."
            ).format(bidang=data.bidang, org=self.common.letterhead.name,
                     partner=data.partner, dates=date_range(data.start, data.end), facts=facts)
        else:
            held = _("in the field of {bidang}, held by {org} on {dates} ({facts}).").format(
                bidang=data.bidang, org=self.common.letterhead.name,
                dates=date_range(data.start, data.end), facts=facts)
        return [
            Paragraph(esc(_("Certificate").upper()), self.big),
            Paragraph(esc(_("Number: {number}").format(number=graduate.certificate_number)),
                      self.number),
            Spacer(1, 9 * mm),
            Paragraph(esc(_("is awarded to")), self.line),
            Spacer(1, 3 * mm),
            Paragraph(esc(graduate.name), self.name),
            Spacer(1, 3 * mm),
            Paragraph(esc(_("who took part in and passed the")), self.line),
            Spacer(1, 1 * mm),
            Paragraph(esc(data.training), self.training),
            Spacer(1, 1 * mm),
            Paragraph(esc(held), self.text),
            Spacer(1, 12 * mm),
            self._signatures(graduate),
        ]

    def _signatures(self, graduate: Graduate) -> Flowable:
        st = self.st
        signatories = self.common.signatories
        half = self.frame_width / 2

        def name_line(name: str) -> Paragraph:
            text = f"<u>{esc(name)}</u>" if name.strip() else "(" + "." * 40 + ")"
            return Paragraph(text, st.sign_name)

        place_date = f"{esc(signatories.place)}, {esc(formats.date_long(graduate.issued_on))}"
        rows = [
            ["", Paragraph(place_date, st.sign)],
            [Paragraph(esc(self.data.partner_signer_title) + ",", st.sign),
             Paragraph(esc(_("Chair of {org},").format(org=self.common.letterhead.name)),
                       st.sign)],
            [Spacer(1, SIGN_SPACE), Spacer(1, SIGN_SPACE)],
            [name_line(self.data.partner_signer), name_line(signatories.ketua)],
        ]
        table = Table(rows, colWidths=[half, half])
        table.setStyle(TableStyle(list(SIGN_STYLE)))
        return KeepTogether([table])


#: Writes the report of the dataclass to a path (whole, or not at all).
build = CertificatePdf.write
