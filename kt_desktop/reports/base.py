"""The one base every printed report shares (pretix's ``ReportlabExportMixin`` shape).

It owns what must look the same on every page a Karang Taruna hands out: the kop surat
(logo, name, desa, kecamatan, kabupaten/kota, full address, a double rule), the footer with
"Halaman x dari y" and the print date, the fonts (DejaVu, shipped in ``resources/fonts`` and
embedded, so "Rp", "–" and every Indonesian name print on any printer), the styles, the table
style (header repeated on every page, zebra rows) and the signature block. A report subclass
only writes its story.

The file is written under a temporary name in the target folder and renamed when complete,
so a failed build never leaves half a PDF where the secretary expects a report.

Importing this module imports reportlab (~250 ms): only the report modules import it, and
services import those only when a report is built or warmed up for (``warm_up``, which the
Laporan page runs on a worker when it opens).
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from babel.dates import format_date
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    LongTable,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from kt_desktop import paths
from kt_desktop.domain import formats
from kt_desktop.domain import paper as papers
from kt_desktop.domain.errors import KtError
from kt_desktop.i18n import _, locale_name
from kt_desktop.reports.model import Common, Letterhead, Signatories

# -- fonts --------------------------------------------------------------------------------

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"
FONT_NARROW = "DejaVuSansCondensed"
FONT_NARROW_BOLD = "DejaVuSansCondensed-Bold"

_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
    FONT_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    FONT_NARROW: "DejaVuSansCondensed.ttf",
    FONT_NARROW_BOLD: "DejaVuSansCondensed-Bold.ttf",
}
_fonts_lock = threading.Lock()
_fonts_ready = False


def register_fonts() -> None:
    """Register the shipped DejaVu fonts once per process (reports may build on any thread)."""
    global _fonts_ready
    with _fonts_lock:
        if _fonts_ready:
            return
        for name, filename in _FONT_FILES.items():
            path = paths.resource("fonts", filename)
            if not path.is_file():
                raise KtError(
                    _("The report font {file} is missing; reinstall KT Desktop.").format(
                        file=path
                    ),
                    code="font_missing",
                )
            pdfmetrics.registerFont(TTFont(name, str(path)))
        pdfmetrics.registerFontFamily(
            FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
        )
        pdfmetrics.registerFontFamily(
            FONT_NARROW,
            normal=FONT_NARROW,
            bold=FONT_NARROW_BOLD,
            italic=FONT_NARROW,
            boldItalic=FONT_NARROW_BOLD,
        )
        # Charts start from reportlab's graphics defaults (Helvetica, not embedded): every
        # PDF this process makes is ours, so the default becomes the shipped font.
        from reportlab.graphics import shapes

        shapes.STATE_DEFAULTS["fontName"] = FONT
        # Binary (zlib only) streams: ASCII85 makes the file a quarter larger and costs
        # a fifth of the time of a long register, for 7-bit mail transports nobody uses here.
        rl_config.useA85 = 0
        _fonts_ready = True


# -- pictures -----------------------------------------------------------------------------


class StoredPicture(ImageReader):
    """An ``ImageReader`` over a picture as stored in the file (a JPEG or PNG photo or logo).

    ``Canvas.drawImage`` names every picture after an md5 of its decoded pixels, so that one
    picture is stored once per PDF. A JPEG, though, goes into the PDF as it is (DCTDecode,
    through ``jpeg_fh``) and its pixels are never needed: decoding a 1600×1200 photo and
    hashing its 5.7 MB cost ~40 ms, half a second for the twelve photos of a monthly report.
    So for a JPEG the name comes from its stored bytes instead (the same picture still gets
    the same name); anything else is decoded as reportlab always does. Only for
    ``drawImage`` (and the platypus ``Image``, which calls it): ``drawInlineImage`` would
    take those bytes for pixels.
    """

    def getRGBData(self) -> bytes:
        if self.jpeg_fh() is None:
            return super().getRGBData()
        self._dataA = None  # a JPEG has no alpha channel; drawImage reads this after
        return self.fp.getvalue()


class Picture(Image):
    """The platypus ``Image`` of stored picture bytes, read by a :class:`StoredPicture`.

    Raises what reportlab raises for bytes that are no picture it can read.
    """

    def __init__(self, data: bytes, **options: Any) -> None:
        # Image only makes its own reader when it has none (its __getattr__), and never
        # replaces this one; it reads the size from it here.
        self._img = StoredPicture(io.BytesIO(data))
        super().__init__(self._img.fp, **options)


# -- colours, sizes, styles ---------------------------------------------------------------

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#333333")
HEADER_BG = colors.HexColor("#dfe6ee")
ZEBRA = colors.HexColor("#f3f5f8")
GRID = colors.HexColor("#9aa5b1")
MALE_BAR = colors.HexColor("#3b6ea5")
FEMALE_BAR = colors.HexColor("#d4833a")

MARGIN = 18 * mm
KOP_HEIGHT = 34 * mm  # room the kop surat takes on the first page
RUNNING_HEIGHT = 10 * mm  # the small header on later pages
FOOTER_HEIGHT = 10 * mm


def make_style(name: str, **values: Any) -> ParagraphStyle:
    base: dict[str, Any] = {"fontName": FONT, "fontSize": 10, "leading": 13, "textColor": INK}
    base.update(values)
    return ParagraphStyle(name, **base)


class Styles:
    """The paragraph styles of every report (one place, so the reports look alike)."""

    def __init__(self) -> None:
        self.title = make_style("title", fontName=FONT_BOLD, fontSize=13, leading=17,
                            alignment=TA_CENTER, spaceAfter=1 * mm)
        self.subtitle = make_style("subtitle", fontSize=10.5, leading=14, alignment=TA_CENTER,
                               spaceAfter=4 * mm)
        self.heading = make_style("heading", fontName=FONT_BOLD, fontSize=11, leading=15,
                              spaceBefore=5 * mm, spaceAfter=2 * mm)
        self.subheading = make_style("subheading", fontName=FONT_BOLD, fontSize=10, leading=13,
                                 spaceBefore=3 * mm, spaceAfter=1.5 * mm)
        self.body = make_style("body", alignment=TA_LEFT, spaceAfter=2 * mm)
        self.body_justified = make_style("body_justified", alignment=4, spaceAfter=2 * mm)
        self.note = make_style("note", fontName=FONT_ITALIC, fontSize=9.5, leading=12.5,
                           textColor=MUTED, spaceAfter=2 * mm)
        self.small = make_style("small", fontSize=8, leading=10, textColor=MUTED,
                                spaceBefore=1.5 * mm)
        self.cell = make_style("cell", fontName=FONT_NARROW, fontSize=8.5, leading=10.5)
        self.cell_right = make_style("cell_right", fontName=FONT_NARROW, fontSize=8.5,
                                 leading=10.5, alignment=TA_RIGHT)
        self.cell_center = make_style("cell_center", fontName=FONT_NARROW, fontSize=8.5,
                                  leading=10.5, alignment=TA_CENTER)
        self.header_cell = make_style("header_cell", fontName=FONT_NARROW_BOLD, fontSize=8,
                                  leading=10, alignment=TA_CENTER)
        self.sign = make_style("sign", alignment=TA_CENTER, leading=13)
        self.sign_name = make_style("sign_name", fontName=FONT_BOLD, alignment=TA_CENTER,
                                leading=13)


_styles_lock = threading.Lock()
_styles: Styles | None = None


def styles() -> Styles:
    global _styles
    with _styles_lock:
        if _styles is None:
            register_fonts()
            _styles = Styles()
        return _styles


def prepare() -> None:
    """Do now what the first report of the process would do first: read the fonts, make
    the styles and load Pillow's image readers (the kop's logo, the photos). For a worker
    thread ahead of the first report (``services.reports.warm_up``); reports work without.
    """
    styles()
    from PIL import Image as PilImage

    PilImage.preinit()  # the readers Image.open looks through first: JPEG, PNG, BMP, GIF


# -- small text helpers -------------------------------------------------------------------


def esc(text: object) -> str:
    """Text made safe for a reportlab Paragraph (its mini-markup treats < & > specially)."""
    return (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def multiline(text: str) -> str:
    """Typed text with its line breaks kept, for a Paragraph."""
    return "<br/>".join(esc(line) for line in text.strip().splitlines())


def long_date(value: dt.date | None) -> str:
    return formats.date_long(value) if value else "–"


def short_date(value: dt.date | None) -> str:
    return formats.date_short(value) if value else "–"


def day_date(value: dt.date) -> str:
    """``Sabtu, 14 November 2026``: Daftar Hadir and certificates name the weekday."""
    return format_date(value, format="EEEE, d MMMM y", locale=locale_name())


#: The dash of a date range, held to both neighbours so "2 –" never ends a line.
RANGE_DASH = "\u00a0–\u00a0"


def date_range(start: dt.date | None, end: dt.date | None) -> str:
    """``14 November 2026`` or ``2 – 30 November 2026`` or ``28 Oktober – 2 November 2026``."""
    if start is None:
        return "–"
    if end is None or end == start:
        return formats.date_long(start)
    if start.year == end.year and start.month == end.month:
        return f"{start.day}{RANGE_DASH}{formats.date_long(end)}"
    if start.year == end.year:
        left = format_date(start, format="d MMMM", locale=locale_name())
        return f"{left}{RANGE_DASH}{formats.date_long(end)}"
    return f"{formats.date_long(start)}{RANGE_DASH}{formats.date_long(end)}"


def number(value: int | float) -> str:
    return formats.number(value)


def hours_text(value: float) -> str:
    """``24`` or ``22,5`` (the decimal comma of the locale)."""
    return formats.number(round(value, 1))


def percent(value: float | None) -> str:
    return formats.percent(value, empty="–")


# -- tables -------------------------------------------------------------------------------


class _GlyphWidths(dict[str, float]):
    """A TrueType font's advance widths (1/1000 em) by character, looked up as they are met."""

    def __init__(self, face: Any) -> None:
        super().__init__()
        self._width_of, self._default = face.charWidths.get, face.defaultWidth

    def __missing__(self, char: str) -> float:
        self[char] = width = self._width_of(ord(char), self._default)
        return width


_glyph_widths: dict[str, _GlyphWidths | None] = {}


@lru_cache(maxsize=65536)
def text_width(text: str, font: str, size: float) -> float:
    """``pdfmetrics.stringWidth``, remembered: registers repeat the same words thousands of
    times (dusun names, "SMA/SMK/Sederajat", occupations), and reportlab measures TrueType
    text in pure Python. Names and birth places rarely repeat, so a TrueType font is also
    measured from its widths by character: the same sum, in the same order, at C speed."""
    widths = _glyph_widths.get(font, False)
    if widths is False:
        face = getattr(pdfmetrics.getFont(font), "face", None)
        widths = _glyph_widths[font] = (
            _GlyphWidths(face) if hasattr(face, "charWidths") else None
        )
    if widths is None:
        return pdfmetrics.stringWidth(text, font, size)
    return 0.001 * size * sum(map(widths.__getitem__, text))


def wrap_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (words kept whole when they fit; a
    word too wide for a line breaks after its last slash or hyphen that fits)."""
    lines: list[str] = []
    space = text_width(" ", font, size)
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for word in paragraph.split():
            word_width = text_width(word, font, size)
            while word_width > width and len(word) > 1:  # a word wider than the column
                cut = len(word) - 1
                while cut > 1 and text_width(word[:cut], font, size) > width:
                    cut -= 1
                # At a slash or hyphen when there is one: PETANI/ PEKEBUN, never PETANI/PEKE BUN.
                mark = max(word.rfind("/", 0, cut), word.rfind("-", 0, cut))
                if mark >= 1:
                    cut = mark + 1
                if line:
                    lines.append(line)
                lines.append(word[:cut])
                line, used = "", 0.0
                word = word[cut:]
                word_width = text_width(word, font, size)
            if line and used + space + word_width > width:
                lines.append(line)
                line, used = word, word_width
            else:
                line = f"{line} {word}" if line else word
                used = used + space + word_width if used else word_width
        lines.append(line)
    return lines


def cell(text: object, style: ParagraphStyle, width: float | None = None) -> str:
    """A table cell as plain text, broken into lines that fit ``width``.

    Plain strings are what reportlab tables draw fastest; a register of 2,000 members has
    22,000 cells, and Paragraphs there would cost seconds for nothing but line breaks.
    """
    text = "" if text is None else str(text)
    if width is None:
        return text
    room = width - 6  # the cell's left and right padding
    font, size = style.fontName, style.fontSize
    # No glyph of DejaVu Sans Condensed is wider than its em: short text fits unmeasured.
    if "\n" not in text and (len(text) * size <= room or text_width(text, font, size) <= room):
        return text
    return "\n".join(wrap_lines(text, font, size, room))


def data_table(
    header_texts: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    align: Sequence[str] | None = None,
    total_row: Sequence[Any] | None = None,
    font_size: float = 8.5,
    padding: float = 2.2,
    row_height: float | None = None,
    zebra_start: int = 0,
    header: bool = True,
    box: bool = True,
    style: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """A table whose header repeats on every page, with zebra rows and an optional total.

    ``align`` gives each column "LEFT", "RIGHT" or "CENTER"; plain-string cells are wrapped
    into lines by :func:`cell`. ``zebra_start`` and ``header=False`` let a table continue
    another one (:func:`table_with_closing`); ``box=False`` leaves out the heavy outline;
    ``style`` adds table style commands (row 0 is the header).
    """
    st = styles()
    align = list(align or ["LEFT"] * len(header_texts))
    by_align = {"LEFT": st.cell, "RIGHT": st.cell_right, "CENTER": st.cell_center}
    body: list[list[Any]] = [[Paragraph(esc(h), st.header_cell) for h in header_texts]]
    for row in rows:
        body.append(
            [
                value if isinstance(value, Flowable) else cell(value, by_align[align[i]], widths[i])
                for i, value in enumerate(row)
            ]
        )
    if total_row is not None:
        body.append(
            [
                value if isinstance(value, Flowable) else cell(value, by_align[align[i]], widths[i])
                for i, value in enumerate(total_row)
            ]
        )
    last = len(body) - 1
    first = 0 if header else 1  # row 0 is the header; without one it is dropped below
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT_NARROW, font_size),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if box:
        commands.append(("BOX", (0, 0), (-1, -1), 0.8, RULE))
    last_body = last if total_row is None else last - 1
    if last_body >= 1:
        shades = [colors.white, ZEBRA] if zebra_start % 2 == 0 else [ZEBRA, colors.white]
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, last_body), shades))
    for i, how in enumerate(align):
        commands.append(("ALIGN", (i, 1), (i, -1), how))
    if total_row is not None:
        commands += [
            ("FONT", (0, -1), (-1, -1), FONT_NARROW_BOLD, font_size),
            ("BACKGROUND", (0, -1), (-1, -1), HEADER_BG),
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, RULE),
        ]
    commands += list(style)
    heights: list[float | None] = [None] + [row_height] * (len(body) - 1)
    # LongTable: row heights are not recomputed from the top at every page break.
    table = LongTable(body, colWidths=list(widths), rowHeights=heights, repeatRows=1,
                      hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    if first:
        table = LongTable(body[1:], colWidths=list(widths), rowHeights=heights[1:],
                          hAlign="LEFT")
        table.setStyle(TableStyle([_shift_row(c) for c in commands if _shift_row(c)]))
    return table


def _shift_row(command: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """A style command of a headed table, for the same table without its header row."""
    name, (c0, r0), (c1, r1), *rest = command
    if r0 == 0 and r1 == 0:
        return None  # header-only
    r0 = max(r0 - 1, 0) if r0 >= 0 else r0
    r1 = r1 - 1 if r1 > 0 else r1
    return (name, (c0, r0), (c1, r1), *rest)


class HeaderWhenAtTop(Flowable):
    """The last rows of a long table, under a repeated header only if they open a page.

    Platypus sets ``_frame`` before it wraps a flowable, so at wrap time this knows whether
    it stands at the top of a frame: there the rows need the header the table would have
    repeated; anywhere else they simply continue the table above them.
    """

    def __init__(self, plain: Table, headed: Table) -> None:
        super().__init__()
        self.plain, self.headed = plain, headed
        self._use: Table = headed

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        frame = getattr(self, "_frame", None)
        self._use = self.headed if frame is None or frame._atTop else self.plain
        return self._use.wrap(available_width, available_height)

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        self._use.drawOn(canvas, x, y, _sW)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return []


def table_with_closing(
    header_texts: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    closing: Sequence[Flowable],
    **options: Any,
) -> list[Flowable]:
    """A long table and its closing words and signatures, which never open a page alone.

    The last :data:`KEEP_ROWS` rows are kept on one page with ``closing``; when they move to
    a new page they carry the header, as the table's own page breaks do. (reportlab's SPAN
    and NOSPLIT would do it in one table, but recompute over all rows at every page break:
    seconds for a 2,000-member register.)
    """
    keep = kept_rows(len(rows))
    body, tail = list(rows[: len(rows) - keep]), list(rows[len(rows) - keep:])
    story: list[Flowable] = []
    options = dict(options)
    if body:
        story.append(data_table(header_texts, body, widths, box=False, **options))
        plain = data_table(header_texts, tail, widths, header=False, box=False,
                           zebra_start=len(body), **options)
        headed = data_table(header_texts, tail, widths, box=False, zebra_start=len(body),
                            **options)
        lead: Flowable = HeaderWhenAtTop(plain, headed)
    else:
        lead = data_table(header_texts, tail, widths, box=False, **options)
    story.append(KeepTogether([lead, Spacer(1, 3 * mm), *closing]))
    return story


def field_table(rows: Sequence[tuple[str, str]], label_width: float, width: float) -> Table:
    """``Label : value`` lines, as letters and identity blocks print them."""
    st = styles()
    body = [
        [Paragraph(esc(label), st.body), ":", Paragraph(esc(value) or "–", st.body)]
        for label, value in rows
    ]
    table = Table(body, colWidths=[label_width, 4 * mm, width - label_width - 4 * mm],
                  hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 10),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), -1),
            ]
        )
    )
    return table


def empty_note(text: str) -> Paragraph:
    """The honest sentence printed where a table would be empty."""
    return Paragraph(esc(text), styles().note)


# -- signature block ----------------------------------------------------------------------

SIGN_SPACE = 18 * mm
#: The signatures' table: no padding, text at the top.
SIGN_STYLE: tuple[tuple[Any, ...], ...] = (
    ("FONT", (0, 0), (-1, -1), FONT, 10),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
)


def _name_line(name: str) -> str:
    """The name under a signature, underlined; a dotted line to write on when unknown."""
    if name.strip():
        return f"<u>{esc(name.strip())}</u>"
    return "(" + "." * 40 + ")"


def signature_flowables(
    signatories: Signatories,
    width: float,
    *,
    lead: Sequence[Flowable] = (),
    acknowledge: bool = True,
    org_name: str = "",
    second: str = "sekretaris",
) -> list[Flowable]:
    """Ketua and ``second`` side by side (``sekretaris``, or ``bendahara`` for money), then
    "Mengetahui, Kepala Desa/Lurah ...", as a list for the caller to keep together; ``lead``
    (the report's last lines, e.g. the closing sentence) comes first, so the block never
    stands alone at the top of a page."""
    st = styles()
    half = width / 2
    place_date = f"{esc(signatories.place)}, {esc(formats.date_long(signatories.date))}"
    org = esc(org_name) if org_name else ""
    ketua_title = _("Chair,") if not org else _("Chair of {org},").format(org=org)
    sekretaris_title = _("Treasurer,") if second == "bendahara" else _("Secretary,")
    second_name = signatories.bendahara if second == "bendahara" else signatories.sekretaris
    rows: list[list[Any]] = [
        ["", Paragraph(place_date, st.sign)],
        [Paragraph(ketua_title, st.sign), Paragraph(sekretaris_title, st.sign)],
        [Spacer(1, SIGN_SPACE), Spacer(1, SIGN_SPACE)],
        [
            Paragraph(_name_line(signatories.ketua), st.sign_name),
            Paragraph(_name_line(second_name), st.sign_name),
        ],
    ]
    commands: list[tuple[Any, ...]] = list(SIGN_STYLE)
    if acknowledge:
        start = len(rows)
        rows += [
            [Spacer(1, 4 * mm), ""],
            [Paragraph(_("Acknowledged by,"), st.sign), ""],
            [Paragraph(esc(signatories.village_head_title), st.sign), ""],
            [Spacer(1, SIGN_SPACE), ""],
            [Paragraph(_name_line(signatories.village_head), st.sign_name), ""],
        ]
        for row in range(start, len(rows)):
            commands.append(("SPAN", (0, row), (1, row)))
    table = Table(rows, colWidths=[half, half], hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return [*lead, Spacer(1, 4 * mm), table]


def signer_columns(place: str, day: dt.date, signers: Sequence[tuple[str, str]], width: float
                   ) -> Table:
    """Signers side by side, each ``(title, name)`` over the room to sign and the name
    underlined, the place and date over the last one (a trainer beside the Ketua and
    Sekretaris; a meeting's chair and minute-taker)."""
    st = styles()
    count = len(signers)
    place_date = f"{esc(place)}, {esc(formats.date_long(day))}"
    rows = [
        ["" for _ in range(count - 1)] + [Paragraph(place_date, st.sign)],
        [Paragraph(esc(title), st.sign) for title, _name in signers],
        [Spacer(1, SIGN_SPACE)] + ["" for _ in range(count - 1)],
        [Paragraph(_name_line(name), st.sign_name) for _title, name in signers],
    ]
    table = Table(rows, colWidths=[width / count] * count, hAlign="LEFT")
    table.setStyle(TableStyle(list(SIGN_STYLE)))
    return table


def closing_flowables(
    report: Report, closing: str, *, before: Sequence[Flowable] = (), acknowledge: bool = True,
    second: str = "sekretaris",
) -> list[Flowable]:
    """The closing sentence and signatures as a list, for :func:`table_with_closing` (which
    keeps them together with the table's last rows)."""
    lead: list[Flowable] = list(before)
    if closing:
        lead.append(Paragraph(esc(closing), report.st.body_justified))
    return signature_flowables(report.common.signatories, report.frame_width, lead=lead,
                               acknowledge=acknowledge, second=second)


# -- the page frame: kop surat, running header, footer with page x of y --------------------


def _fit_font(text: str, font: str, size: float, width: float, minimum: float = 6.5) -> float:
    """The largest size ≤ ``size`` at which ``text`` fits ``width`` (long village names)."""
    while size > minimum and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.25
    return size


def draw_kop(canvas: Canvas, letterhead: Letterhead, page_width: float, top: float) -> float:
    """Draw the kop surat with its top at ``top``; returns the y of the double rule."""
    left, right = MARGIN, page_width - MARGIN
    logo_size = 24 * mm
    text_left, text_right = left, right
    if letterhead.logo:
        try:
            image = StoredPicture(io.BytesIO(letterhead.logo))
            iw, ih = image.getSize()
            scale = min(logo_size / iw, logo_size / ih)
            w, h = iw * scale, ih * scale
            canvas.drawImage(
                image, left + (logo_size - w) / 2, top - logo_size + (logo_size - h) / 2,
                width=w, height=h, mask="auto",
            )
            text_left = left + logo_size + 3 * mm
            text_right = right - logo_size / 3
        except Exception:
            pass
    centre = (text_left + text_right) / 2
    width = text_right - text_left
    lines: list[tuple[str, str, float, Any]] = [
        (letterhead.org_title, FONT_BOLD, 15, INK),
        (letterhead.place_line, FONT_BOLD, 11, INK),
        (
            f"{letterhead.regency} · Provinsi {letterhead.province}".upper()
            if letterhead.province
            else letterhead.regency.upper(),
            FONT_BOLD,
            10,
            INK,
        ),
    ]
    if letterhead.address:
        lines.append((_("Secretariat: {address}").format(address=letterhead.address), FONT,
                      8.5, INK))
    if letterhead.contact:
        lines.append((letterhead.contact, FONT, 8.5, INK))
    lines = [line for line in lines if line[0].strip()]
    y = top - lines[0][2]
    for index, (text, font, size, colour) in enumerate(lines):
        fitted = _fit_font(text, font, size, width)
        canvas.setFont(font, fitted)
        canvas.setFillColor(colour)
        canvas.drawCentredString(centre, y, text)
        if index + 1 < len(lines):
            y -= lines[index + 1][2] * 1.3
    rule_y = y - 3 * mm
    if text_left != left:  # a logo was drawn: the rule goes under it too
        rule_y = min(rule_y, top - logo_size - 1.5 * mm)
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(1.8)
    canvas.line(left, rule_y, right, rule_y)
    canvas.setLineWidth(0.6)
    canvas.line(left, rule_y - 1.3 * mm, right, rule_y - 1.3 * mm)
    return rule_y


#: Table rows kept on the page of the signatures that close the table (see data_table).
KEEP_ROWS = 3


def kept_rows(total: int) -> int:
    """How many of a table's ``total`` last rows go with its closing: :data:`KEEP_ROWS`, but
    in a short table never every row, so a first page that has no room for the whole
    table and its signatures still shows rows (issue 16: a 3-member register left page 1
    with only its heading)."""
    return min(KEEP_ROWS, max(1, total - 1))


class NumberedCanvas(Canvas):
    """Holds every page until the end so each footer can say "Halaman x dari y"."""

    def __init__(self, *args: Any, footer_left: str = "", footer: bool = True,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._footer_left = footer_left
        self._footer = footer

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if self._footer:
                self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        width, _height = self._pagesize
        y = 9 * mm
        self.saveState()
        self.setStrokeColor(GRID)
        self.setLineWidth(0.4)
        self.line(MARGIN, y + 3.5 * mm, width - MARGIN, y + 3.5 * mm)
        self.setFont(FONT, 7.5)
        self.setFillColor(MUTED)
        self.drawString(MARGIN, y, self._footer_left)
        self.drawRightString(
            width - MARGIN,
            y,
            _("Page {page} of {pages}").format(page=self._pageNumber, pages=total),
        )
        self.restoreState()


class Report:
    """Base of every report: subclasses set ``title``/``landscape`` and write :meth:`story`.

    ``kop_on_every_page`` repeats the kop surat (certificates); otherwise pages after the
    first carry a one-line running header with the KT's name and the report's title.
    """

    title: str = ""
    is_landscape: bool = False
    #: "Dicetak … · KT Desktop" and "Halaman x dari y" under every page; a certificate is
    #: a document of its own, handed to one person, and carries neither.
    page_footer: bool = True
    kop_on_every_page: bool = False

    def __init__(self, common: Common) -> None:
        self.common = common
        self.st = styles()
        # The sheet the secretary prints on (A4, F4, Letter): margins stay MARGIN on every
        # side and the frames take what is left, so nothing is scaled at the printer.
        sheet = papers.paper(common.paper).points
        self.pagesize = landscape(sheet) if self.is_landscape else sheet

    # what subclasses write ----------------------------------------------------------------
    def story(self) -> list[Flowable]:
        raise NotImplementedError

    def document_title(self) -> str:
        return self.title

    # geometry -----------------------------------------------------------------------------
    @property
    def frame_width(self) -> float:
        return self.pagesize[0] - 2 * MARGIN

    def _frames(self) -> tuple[Frame, Frame]:
        width, height = self.pagesize
        bottom = MARGIN + FOOTER_HEIGHT - 6 * mm
        first_top = height - MARGIN + 6 * mm - KOP_HEIGHT
        later_top = first_top if self.kop_on_every_page else height - MARGIN - RUNNING_HEIGHT + 4 * mm
        first = Frame(MARGIN, bottom, width - 2 * MARGIN, first_top - bottom, id="first",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        later = Frame(MARGIN, bottom, width - 2 * MARGIN, later_top - bottom, id="later",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        return first, later

    def _on_first(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        draw_kop(canvas, self.common.letterhead, self.pagesize[0], self.pagesize[1] - MARGIN + 6 * mm)
        canvas.restoreState()

    def _on_later(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        if self.kop_on_every_page:
            self._on_first(canvas, doc)
            return
        width, height = self.pagesize
        y = height - MARGIN + 2 * mm
        canvas.saveState()
        canvas.setFont(FONT_BOLD, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, y, self.common.letterhead.org_title)
        canvas.setFont(FONT, 8)
        canvas.drawRightString(width - MARGIN, y, self.document_title())
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, y - 2 * mm, width - MARGIN, y - 2 * mm)
        canvas.restoreState()

    # building -----------------------------------------------------------------------------
    def render(self) -> bytes:
        """Lay the story out into PDF bytes (in memory: the file is written whole later)."""
        story = self.story()
        buffer = io.BytesIO()
        first, later = self._frames()
        doc = BaseDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=self.document_title(),
            author=self.common.letterhead.name,
            creator="KT Desktop",
            subject=self.document_title(),
            lang="id-ID" if locale_name() == "id_ID" else "en-US",
            # Without this every page also names Helvetica, unembedded.
            initialFontName=FONT,
        )
        doc.addPageTemplates(
            [
                PageTemplate(id="first", frames=[first], onPage=self._on_first,
                             autoNextPageTemplate="later", pagesize=self.pagesize),
                PageTemplate(id="later", frames=[later], onPage=self._on_later,
                             pagesize=self.pagesize),
            ]
        )
        printed = _("Printed {date} · KT Desktop").format(
            date=formats.date_long(self.common.printed_on)
        )
        doc.build(story, canvasmaker=partial(NumberedCanvas, footer_left=printed,
                                             footer=self.page_footer))
        return buffer.getvalue()

    @classmethod
    def write(cls, data: Any, out_path: Path, *,
              progress: Callable[[str], None] | None = None) -> Path:
        """Lay out the report of ``data`` (a dataclass with its ``common`` frame) and write
        it to ``out_path`` whole, or not at all: the ``build`` of a report module whose
        report is made from one dataclass (``build = SomePdf.write``)."""
        return cls(data).build(out_path, progress=progress)

    def build(self, out_path: Path, *, progress: Callable[[str], None] | None = None) -> Path:
        """Write the PDF to ``out_path`` whole, or not at all."""
        out_path = Path(out_path)
        if progress is not None:
            progress(_("Laying out the pages…"))
        write_whole(out_path, self.render())
        return out_path

    # helpers subclasses use ---------------------------------------------------------------
    def heading(self, text: str) -> list[Flowable]:
        """A section heading that never ends a page on its own."""
        return [CondPageBreak(30 * mm), Paragraph(esc(text), self.st.heading)]

    def section(self, text: str, body: Sequence[Flowable], empty: str) -> list[Flowable]:
        """A section: its heading, then ``body``, or where there is nothing to show the
        honest sentence ``empty`` (never an empty table)."""
        return [*self.heading(text), *(body or [empty_note(empty)])]

    def signature(
        self, closing: str, *, before: Sequence[Flowable] = (), acknowledge: bool = True,
        second: str = "sekretaris",
    ) -> KeepTogether:
        """The closing sentence and the signatures, kept on one page with ``before``."""
        return KeepTogether(closing_flowables(self, closing, before=before,
                                              acknowledge=acknowledge, second=second))


def write_whole(out_path: Path, data: bytes) -> None:
    """Write ``data`` under a temporary name beside ``out_path``, then rename it into place."""
    folder = out_path.parent
    with paths.written_whole(out_path, lambda exc: unwritable(folder, exc), sync=True) as temp:
        temp.write_bytes(data)


def unwritable(folder: Path, exc: OSError | None = None) -> KtError:
    reason = f" ({exc.strerror})" if exc is not None and exc.strerror else ""
    return KtError(
        _("The report cannot be written to the folder {folder}{reason}. Choose another folder.")
        .format(folder=folder, reason=reason),
        code="unwritable",
    )
