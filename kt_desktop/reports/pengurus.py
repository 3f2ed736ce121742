"""The officers on paper: the Susunan Pengurus (a list) and the Struktur Organisasi (a chart
drawn with reportlab graphics, A4 landscape, the sheet a secretariat pins on its wall).

The Susunan Pengurus is the book's printed register (``RegisterSpec.builder``, so
``kt-desktop report pengurus`` prints it); the chart is ``kt-desktop report struktur``. Terms and holders come from ``domain/pengurus.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from kt_desktop.domain import pengurus as rules
from kt_desktop.domain.book import BookRecord, BookSpec
from kt_desktop.domain.formats import date_long
from kt_desktop.i18n import _
from kt_desktop.reports.base import (
    FONT_BOLD,
    FONT_NARROW,
    FONT_NARROW_BOLD,
    INK,
    KOP_HEIGHT,
    MARGIN,
    RULE,
    Report,
    closing_flowables,
    empty_note,
    esc,
    short_date,
    wrap_lines,
)
from kt_desktop.reports.book_register import BookRegisterPdf
from kt_desktop.reports.fast_table import rows_table_with_closing
from kt_desktop.reports.model import Common


def term_line(term: rules.Term) -> str:
    """``Masa Bakti 2024–2029 · SK Nomor … tanggal … (Kepala Desa …)``."""
    text = _("Term (masa bakti) {start} – {end}").format(
        start=date_long(term.start), end=date_long(term.end))
    sk = term.sk
    if sk is not None:
        text += " · " + _("SK number {number}").format(number=sk.sk_number)
        if sk.sk_date:
            text += " " + _("of {date}").format(date=date_long(sk.sk_date))
        if sk.sk_signer:
            text += f" ({sk.sk_signer})"
    return text


def _chosen_term(records: Sequence[BookRecord], today: dt.date) -> rules.Term | None:
    return rules.latest_term(rules.terms(records), today)


# -- the Susunan Pengurus ------------------------------------------------------------------


class SusunanPdf(BookRegisterPdf):
    """The officers of one term in rank order, then the changes within it (PAW)."""

    def __init__(self, spec: BookSpec, records: Sequence[BookRecord], common: Common,
                 **options: object) -> None:
        super().__init__(spec, records, common)
        self.term = _chosen_term(records, common.printed_on)

    def subtitle(self) -> str:
        return term_line(self.term) if self.term else super().subtitle()

    def story(self) -> list[Flowable]:
        if self.term is None:
            return super().story()  # the empty book: its sentence and the signatures
        st, term = self.st, self.term
        on = term.day_in_term(self.common.printed_on)
        holders = term.holders(on)
        story: list[Flowable] = [Paragraph(esc(self.title.upper()), st.title),
                                 Paragraph(esc(self.subtitle()), st.subtitle)]
        headers = [_("No"), _("Position"), _("Name"), _("SK number"), _("SK date"),
                   _("Since"), _("Note")]
        rows = [[str(n), o.title, o.name, o.sk_number, short_date(o.sk_date),
                 short_date(o.since), o.note] for n, o in enumerate(holders, 1)]
        gone = [o for o in term.officers if o not in holders]
        tail: list[Flowable] = []
        if gone:
            tail += self.heading(_("Earlier holders in this term"))
            tail.append(Paragraph(esc("; ".join(
                _("{position}: {name} (until {date})").format(
                    position=o.title, name=o.name,
                    date=short_date(self._ended(o, term)) or "–") for o in gone)), st.body))
        tail += closing_flowables(self, _(self.spec.register.closing))
        width = [9 * mm, 62 * mm, 0, 52 * mm, 24 * mm, 24 * mm, 50 * mm]
        width[2] = self.frame_width - sum(width)
        return story + rows_table_with_closing(headers, rows, width, tail, padding=3.2)

    @staticmethod
    def _ended(officer: rules.Officer, term: rules.Term) -> dt.date | None:
        if officer.until:
            return officer.until
        later = [o.since for o in term.officers if o.position == officer.position
                 and o.seksi.casefold() == officer.seksi.casefold() and o.since > officer.since]
        return min(later, default=None)


def build_susunan(spec: BookSpec, records: Sequence[BookRecord], common: Common,
                  out_path: Path, *, year: int | None = None, month: int | None = None,
                  opening: Mapping[str, int] | None = None) -> Path:
    """The Buku Data Pengurus's printed register (``report pengurus``; ``--year`` prints the
    term that started that year)."""
    return SusunanPdf(spec, records, common).build(out_path)


# -- the Struktur Organisasi ---------------------------------------------------------------

NAME_SIZE = 8.5
TITLE_SIZE = 7.5
PAD = 2.2 * mm
LINE = 1.25  # leading factor
BOX_FILL = colors.HexColor("#f3f6fa")
MAX_ENLARGE = 1.5


@dataclass(slots=True)
class _Box:
    x: float
    y: float  # top
    width: float
    lines: list[tuple[str, str, float]]  # (text, font, size)
    fill: colors.Color = BOX_FILL

    @property
    def height(self) -> float:
        return sum(size * LINE for _t, _f, size in self.lines) + 2 * PAD

    def draw(self, drawing: Drawing) -> None:
        drawing.add(Rect(self.x, self.y - self.height, self.width, self.height,
                         fillColor=self.fill, strokeColor=RULE, strokeWidth=0.7, rx=4, ry=4))
        y = self.y - PAD
        for text, font, size in self.lines:
            y -= size * LINE
            drawing.add(String(self.x + self.width / 2, y + size * 0.25, text, fontName=font,
                               fontSize=size, fillColor=INK, textAnchor="middle"))

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


def _wrapped(text: str, font: str, size: float, width: float) -> list[tuple[str, str, float]]:
    return [(line, font, size) for line in (wrap_lines(text, font, size, width - 2 * PAD)
                                            or [""])]


def _person_box(title: str, names: Sequence[str], width: float) -> _Box:
    lines = _wrapped(title.upper(), FONT_NARROW_BOLD, TITLE_SIZE, width)
    for name in names or ["…"]:
        lines += _wrapped(name, FONT_BOLD, NAME_SIZE, width)
    return _Box(0, 0, width, lines)


def _seksi_box(seksi: str, heads: Sequence[str], members: Sequence[str], width: float) -> _Box:
    lines = _wrapped(f"Seksi {seksi}".upper(), FONT_NARROW_BOLD,
                     TITLE_SIZE, width)
    for name in heads:
        lines += _wrapped(_("Head: {name}").format(name=name), FONT_NARROW_BOLD, NAME_SIZE,
                          width)
    for name in members:
        lines += _wrapped(name, FONT_NARROW, NAME_SIZE, width)
    return _Box(0, 0, width, lines, fill=colors.white)


class ChartFlowable(Flowable):
    """A drawing scaled to the room the frame gives it, centred: down for a large board,
    up (at most :data:`MAX_ENLARGE`) so a small one still reads from across the room."""

    def __init__(self, drawing: Drawing, reserve: float = 0.0) -> None:
        super().__init__()
        self.drawing, self.reserve = drawing, reserve  # room kept for what follows
        self.scale = 1.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.scale = min(MAX_ENLARGE, available_width / self.drawing.width,
                         (available_height - self.reserve) / self.drawing.height)
        self.room = available_width
        return available_width, self.drawing.height * self.scale

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.translate((self.room - self.drawing.width * self.scale) / 2, 0)
        canvas.scale(self.scale, self.scale)
        renderPDF.draw(self.drawing, canvas, 0, 0)
        canvas.restoreState()


def _connect(drawing: Drawing, x1: float, y1: float, x2: float, y2: float,
             dashed: bool = False) -> None:
    drawing.add(Line(x1, y1, x2, y2, strokeColor=RULE, strokeWidth=0.9,
                     strokeDashArray=[3, 2] if dashed else None))


def chart(term: rules.Term, on: dt.date, width: float) -> Drawing:
    """The organisation chart of ``term`` on ``on``, ``width`` points wide (its height is what
    it needs; the flowable scales it to the page)."""
    holders = term.holders(on)

    def names(position: str) -> list[str]:
        return [o.name for o in holders if o.position == position]

    gap = 7 * mm
    core_w = 62 * mm
    placed: list[_Box] = []
    links: list[tuple[float, float, float, float, bool]] = []
    y = 0.0  # top of the current row, going down (negative), flipped at the end
    ketua = _person_box(rules.doc_position("ketua"), names("ketua"), core_w)
    ketua.x, ketua.y = (width - core_w) / 2, y
    advisers = [(p, rules.doc_position(p)) for p in ("pembina", "penasehat") if names(p)]
    side_w = min(70 * mm, (width - core_w) / 2 - gap)
    for index, (position, title) in enumerate(advisers):
        box = _person_box(title, names(position), side_w)
        box.x = 0 if index == 0 else width - side_w
        box.y = y
        placed.append(box)
        mid = y - min(box.height, ketua.height) / 2
        edge = box.x + side_w if index == 0 else box.x
        links.append((edge, mid, ketua.x if index == 0 else ketua.x + core_w, mid, True))
    placed.append(ketua)
    spine_top = y - ketua.height
    y -= max([ketua.height] + [b.height for b in placed]) + gap
    if names("wakil_ketua"):
        wakil = _person_box(rules.doc_position("wakil_ketua"), names("wakil_ketua"), core_w)
        wakil.x, wakil.y = ketua.x, y
        placed.append(wakil)
        links.append((ketua.centre, spine_top, ketua.centre, y, False))
        spine_top = y - wakil.height
        y -= wakil.height + gap
    # Sekretaris (with its Wakil) left of the spine, Bendahara right of it.
    pair_w = min(core_w, width / 2 - gap)
    left = _person_box(rules.doc_position("sekretaris"), names("sekretaris"), pair_w)
    right = _person_box(rules.doc_position("bendahara"), names("bendahara"), pair_w)
    left.x, right.x = width / 2 - gap - pair_w, width / 2 + gap
    bar = y
    y -= 3 * mm
    left.y = right.y = y
    placed += [left, right]
    links += [(ketua.centre, spine_top, ketua.centre, bar, False),
              (left.centre, bar, right.centre, bar, False),
              (left.centre, bar, left.centre, y, False), (right.centre, bar, right.centre, y, False)]
    row_h = max(left.height, right.height)
    if names("wakil_sekretaris"):
        under = _person_box(rules.doc_position("wakil_sekretaris"), names("wakil_sekretaris"),
                            pair_w)
        under.x, under.y = left.x, y - left.height - 3 * mm
        placed.append(under)
        links.append((left.centre, y - left.height, left.centre, under.y, False))
        row_h = max(row_h, left.height + 3 * mm + under.height)
    spine_bottom = y
    y -= row_h + gap
    # The seksi: columns of one row (two or more rows when there are many).
    seksi = [name for name in term.seksi_names()
             if any(o.seksi.casefold() == name.casefold() for o in holders)]
    per_row = max(1, min(len(seksi), 7)) if seksi else 0
    if seksi:
        rows_needed = -(-len(seksi) // per_row)
        per_row = -(-len(seksi) // rows_needed)  # balanced rows
        column_w = (width - (per_row - 1) * 3 * mm) / per_row
        for start in range(0, len(seksi), per_row):
            group = seksi[start:start + per_row]
            bar = y + gap / 2
            links.append((ketua.centre, spine_bottom, ketua.centre, bar, False))
            spine_bottom = bar
            boxes = []
            for index, name in enumerate(group):
                mine = [o for o in holders if o.seksi.casefold() == name.casefold()]
                box = _seksi_box(name, [o.name for o in mine if o.position == "ketua_seksi"],
                                 [o.name for o in mine if o.position != "ketua_seksi"],
                                 column_w)
                box.x = index * (column_w + 3 * mm) + (width - len(group) * column_w
                                                       - (len(group) - 1) * 3 * mm) / 2
                box.y = y
                boxes.append(box)
                links.append((box.centre, bar, box.centre, y, False))
            links.append((boxes[0].centre, bar, boxes[-1].centre, bar, False))
            placed += boxes
            y -= max(b.height for b in boxes) + gap
    height = -y
    drawing = Drawing(width, height)
    for x1, y1, x2, y2, dashed in links:
        _connect(drawing, x1, y1 + height, x2, y2 + height, dashed)
    for box in placed:
        box.y += height
        box.draw(drawing)
    return drawing


class StrukturPdf(Report):
    is_landscape = True

    def __init__(self, term: rules.Term | None, common: Common) -> None:
        super().__init__(common)
        self.term = term
        self.title = _("Organisation Chart (Struktur Organisasi)")

    def story(self) -> list[Flowable]:
        st = self.st
        story: list[Flowable] = [Paragraph(esc(self.title.upper()), st.title)]
        if self.term is None:
            story.append(empty_note(_("No officers are recorded yet.")))
            return story
        story.append(Paragraph(esc(term_line(self.term)), st.subtitle))
        on = self.term.day_in_term(self.common.printed_on)
        # A small board is drawn narrower and enlarged to the width: it fills the sheet.
        room = self.pagesize[1] - 2 * MARGIN - KOP_HEIGHT - 30 * mm
        drawing = chart(self.term, on, self.frame_width)
        enlarge = max(1.0, min(MAX_ENLARGE, room / drawing.height))
        if enlarge > 1.0:
            drawing = chart(self.term, on, self.frame_width / enlarge)
        story.append(ChartFlowable(drawing, reserve=8 * mm))
        legend = _("Dashed line: advice and guidance (pembinaan); solid line: command.")
        story.append(Paragraph(esc(legend), st.small))
        return story


def build_struktur(records: Sequence[BookRecord], common: Common, out_path: Path, *,
                   year: int | None = None) -> Path:
    """The chart of the term in force on the day printed (``year``: the term that started
    that year, else the latest before it)."""
    found = rules.terms(records)
    if year is not None:
        found = [t for t in found if t.start.year <= year]
    return StrukturPdf(rules.latest_term(found, common.printed_on), common).build(out_path)
