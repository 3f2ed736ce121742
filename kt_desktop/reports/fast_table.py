"""Long registers drawn row by row, straight into the page, instead of as a platypus Table.

A Buku Induk of 2,000 members is 22,000 cells on some 120 landscape pages. reportlab's Table
pays for every cell several times over: style commands resolved per cell, row heights
recomputed at each page break, and one text object per line, its numbers formatted in pure
Python (reportlab 5 no longer ships the C accelerator). Most of the register's time went
there, and the secretary waited longer than LibreOffice takes to print the same spreadsheet.

:class:`RowsTable` measures the table once (each cell's lines, each row's height, running
sums of the heights), so a page break is a bisection. It writes a page's rows as one block of
PDF operators: the shading and grid as a few paths, and every line of text as a positioned
string in the font's subset encoding, through a translation table kept per document. It looks
like :func:`~kt_desktop.reports.base.data_table` with ``box=False``: the same column widths,
fonts, padding, header shading, zebra rows and grid, the header repeated on every page. A
row is never split across pages; cells wrap on word boundaries and ``"\\n"`` in a cell is a
line break.

Only the TrueType fonts that :func:`~kt_desktop.reports.base.register_fonts` registers can be
drawn this way (their subset encoding is what the translation table follows).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Spacer

from kt_desktop.reports.base import (
    FONT_NARROW,
    FONT_NARROW_BOLD,
    GRID,
    HEADER_BG,
    INK,
    RULE,
    ZEBRA,
    kept_rows,
    text_width,
    wrap_lines,
)

#: Cell padding left and right, as ``data_table`` sets it.
SIDE_PADDING = 3.0
#: The header row: DejaVu Sans Condensed Bold 8/10, centred, as ``Styles.header_cell``.
HEADER_SIZE = 8.0
HEADER_LEADING = 10.0
#: Tolerance of a fit (platypus's own is 1e-6 points).
_FUZZ = 1e-7
#: What ends the last line of a cell cut short because its row is taller than a whole page.
_CUT = " …"


# -- text in a TrueType subset -------------------------------------------------------------


def _escaped_byte(code: int) -> str:
    """One byte of a PDF literal string, escaped as reportlab's ``escapePDF`` does."""
    char = chr(code)
    if char in "\\()":
        return "\\" + char
    if 32 <= code < 127:
        return char
    return f"\\{code:03o}"


_ESCAPED = [_escaped_byte(code) for code in range(256)]


class _OtherSubset(Exception):
    """A character that lands outside the font's first subset (not a LookupError, which
    ``str.translate`` would take as "leave the character as it is")."""


class _Codes(dict[int, str]):
    """Code point -> its escaped byte in the first subset of ``font`` in ``doc``.

    A character seen for the first time is given its code by the font itself
    (``TTFont.splitString``), which also records it for the subset embedded at the end.
    """

    def __init__(self, font: Any, doc: Any) -> None:
        super().__init__()
        self.font, self.doc = font, doc

    def __missing__(self, code: int) -> str:
        ((subset, raw),) = self.font.splitString(chr(code), self.doc)
        if subset != 0:
            raise _OtherSubset
        self[code] = value = _ESCAPED[raw[0]]
        return value


@dataclass
class _Writer:
    """The text of one font and size in one document, as PDF ``Tj`` operators."""

    font_name: str
    size: float
    doc: Any
    font: Any = field(init=False)
    codes: _Codes = field(init=False)
    select: str = field(init=False)  # "/F3+0 8.5 Tf": the first subset at this size

    def __post_init__(self) -> None:
        self.font = pdfmetrics.getFont(self.font_name)
        if not getattr(self.font, "_dynamicFont", False):
            raise TypeError(f"{self.font_name} is not a registered TrueType font")
        self.codes = _Codes(self.font, self.doc)
        self.select = f"{self.font.getSubsetInternalName(0, self.doc)} {self.size:g} Tf"

    def show(self, text: str, x: float, y: float, out: list[str]) -> None:
        """Append the operators that print ``text`` with its baseline starting at (x, y)."""
        try:
            out.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm ({text.translate(self.codes)}) Tj")
            return
        except _OtherSubset:
            pass
        # Past the first 256 distinct characters of the document: one run per subset.
        out.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
        for subset, raw in self.font.splitString(text, self.doc):
            name = self.font.getSubsetInternalName(subset, self.doc)
            out.append(f"{name} {self.size:g} Tf ({''.join(_ESCAPED[b] for b in raw)}) Tj")
        out.append(self.select)


def _rgb(colour: colors.Color) -> str:
    return f"{colour.red:.3f} {colour.green:.3f} {colour.blue:.3f}"


# -- the measured table ---------------------------------------------------------------------


def cell_lines(text: str, font: str, size: float, room: float) -> list[str]:
    """``text`` as the lines of a cell ``room`` points wide (``"\\n"`` breaks a line)."""
    if "\n" in text:
        return [line for part in text.split("\n") for line in cell_lines(part, font, size, room)]
    # No glyph of DejaVu Sans (Condensed) is wider than its em: short text fits unmeasured.
    if len(text) * size <= room or text_width(text, font, size) <= room:
        return [text]
    return wrap_lines(text, font, size, room)


class RowsLayout:
    """The whole table measured once; the pages show slices of it (:class:`RowsTable`)."""

    def __init__(
        self,
        header_texts: Sequence[str],
        rows: Sequence[Sequence[object]],
        widths: Sequence[float],
        *,
        align: Sequence[str] | None = None,
        font_size: float = 8.5,
        padding: float = 2.2,
        bold_rows: Collection[int] = (),
    ) -> None:
        self.widths = [float(w) for w in widths]
        self.bold_rows = frozenset(bold_rows)  # total lines (a cash book's month totals)
        self.width = sum(self.widths)
        self.edges = [sum(self.widths[:i]) for i in range(len(self.widths) + 1)]
        self.align = [a.upper() for a in (align or ["LEFT"] * len(self.widths))]
        if len(self.align) != len(self.widths) or len(header_texts) != len(self.widths):
            raise ValueError("header, alignment and widths must name the same columns")
        self.font, self.bold = FONT_NARROW, FONT_NARROW_BOLD
        self.size, self.leading = font_size, font_size * 1.2  # reportlab's table leading
        self.padding = padding
        rooms = [w - 2 * SIDE_PADDING for w in self.widths]
        self.header = [cell_lines(str(text), self.bold, HEADER_SIZE, room)
                       for text, room in zip(header_texts, rooms, strict=True)]
        self.header_height = (max(len(lines) for lines in self.header) * HEADER_LEADING
                              + 2 * padding)
        font, size = self.font, font_size
        self.cells: list[list[list[str]]] = []
        self.heights: list[float] = []
        for number, row in enumerate(rows):
            if len(row) != len(rooms):
                raise ValueError("every row needs one value per column")
            cells: list[list[str]] = []
            most = 1
            face = self.bold if number in self.bold_rows else font
            for value, room in zip(row, rooms, strict=True):
                text = "" if value is None else str(value)
                if len(text) * size <= room and "\n" not in text:  # most cells: short
                    cells.append([text])
                    continue
                lines = cell_lines(text, face, size, room)
                most = max(most, len(lines))
                cells.append(lines)
            self.cells.append(cells)
            self.heights.append(most * self.leading + 2 * padding)
        self.tops = [0.0]  # tops[i]: the rows above row i, in points
        for height in self.heights:
            self.tops.append(self.tops[-1] + height)
        self._writers: dict[str, _Writer] = {}

    def writer(self, font: str, size: float, doc: Any) -> _Writer:
        writer = self._writers.get(font)
        if writer is None or writer.doc is not doc or writer.size != size:
            writer = self._writers[font] = _Writer(font, size, doc)
        return writer


# -- the flowable ---------------------------------------------------------------------------


class RowsTable(Flowable):
    """Rows ``start``..``end`` of a :class:`RowsLayout`, under the header row.

    The part that opens the table (``opens``) always has the header; any other part has it
    only where it opens a frame: a page break repeats it, while rows that merely continue
    the table further down the same page do not. Platypus sets ``_frame`` before it wraps a
    flowable; without one (a ``KeepTogether`` measuring its content) the header is counted,
    so the measure is never short.
    """

    def __init__(
        self, layout: RowsLayout, start: int = 0, end: int | None = None, *,
        opens: bool = True, clip_lines: int | None = None,
    ) -> None:
        super().__init__()
        self.layout = layout
        self.start = start
        self.end = len(layout.heights) if end is None else end
        self.opens = opens
        self.clip_lines = clip_lines  # a single row cut to this many lines (taller than a page)
        self.hAlign = "LEFT"
        self._headed = True

    def __repr__(self) -> str:
        return f"RowsTable(rows {self.start + 1}–{self.end}, opens={self.opens})"

    # layout ---------------------------------------------------------------------------------
    def _header_wanted(self) -> bool:
        frame = getattr(self, "_frame", None)
        return self.opens or frame is None or bool(frame._atTop)

    def _rows_height(self) -> float:
        layout = self.layout
        if self.clip_lines is not None:
            return self.clip_lines * layout.leading + 2 * layout.padding
        return layout.tops[self.end] - layout.tops[self.start]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._headed = self._header_wanted()
        header = self.layout.header_height if self._headed else 0.0
        self.width, self.height = self.layout.width, header + self._rows_height()
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        layout = self.layout
        headed = self._header_wanted()
        room = availHeight - (layout.header_height if headed else 0.0)
        tops, start = layout.tops, self.start
        fit = bisect_right(tops, tops[start] + room + _FUZZ, start, self.end + 1) - 1 - start
        if fit >= self.end - start:
            return [self]
        if fit <= 0:
            frame = getattr(self, "_frame", None)
            if frame is None or not frame._atTop or self.clip_lines is not None:
                return []  # the next frame has more room
            # One row taller than a whole empty page: print what fits, marked as cut.
            lines = int((room - 2 * layout.padding + _FUZZ) // layout.leading)
            if lines < 1:
                return []
            cut = RowsTable(layout, start, start + 1, opens=self.opens, clip_lines=lines)
            rest = [RowsTable(layout, start + 1, self.end, opens=False)]
            return [cut, *rest] if start + 1 < self.end else [cut]
        return [
            RowsTable(layout, start, start + fit, opens=self.opens),
            RowsTable(layout, start + fit, self.end, opens=False),
        ]

    # drawing --------------------------------------------------------------------------------
    def draw(self) -> None:
        canvas: Canvas = self.canv
        layout = self.layout
        doc = canvas._doc
        width, edges = layout.width, layout.edges
        top = self.height
        out: list[str] = ["q"]
        shapes: list[str] = []
        rules: list[str] = []
        # the header row ------------------------------------------------------------------
        header_bottom = top
        if self._headed:
            header_bottom = top - layout.header_height
            out.append(f"{_rgb(HEADER_BG)} rg 0 {header_bottom:.2f} {width:.2f} "
                       f"{layout.header_height:.2f} re f")
        # row boundaries and zebra shading ----------------------------------------------------
        bounds: list[float] = []
        y = header_bottom
        for index in range(self.start, self.end):
            height = layout.heights[index] if self.clip_lines is None else self._rows_height()
            bounds.append(y)
            y -= height
            if index % 2:
                shapes.append(f"0 {y:.2f} {width:.2f} {height:.2f} re")
        bounds.append(y)
        bottom = y
        if shapes:
            out.append(f"{_rgb(ZEBRA)} rg")
            out += shapes
            out.append("f")
        # the grid: 0.4 pt lines, the rule under the header 0.8 pt ----------------------------
        for x in edges:
            rules.append(f"{x:.2f} {bottom:.2f} m {x:.2f} {top:.2f} l")
        for b in bounds[1:]:
            rules.append(f"0 {b:.2f} m {width:.2f} {b:.2f} l")
        if self._headed:
            rules.append(f"0 {top:.2f} m {width:.2f} {top:.2f} l")
        else:
            rules.append(f"0 {header_bottom:.2f} m {width:.2f} {header_bottom:.2f} l")
        out.append(f"{_rgb(GRID)} RG 0.4 w 0 J")
        out += rules
        out.append("S")
        if self._headed:
            out.append(f"{_rgb(RULE)} RG 0.8 w 0 {header_bottom:.2f} m {width:.2f} "
                       f"{header_bottom:.2f} l S")
        # the text ---------------------------------------------------------------------------
        out.append(f"{_rgb(INK)} rg BT")
        if self._headed:
            bold = layout.writer(layout.bold, HEADER_SIZE, doc)
            out.append(bold.select)
            for column, lines in enumerate(layout.header):
                block = len(lines) * HEADER_LEADING  # centred both ways, as the old header
                y = header_bottom + (layout.header_height + block) / 2 - HEADER_SIZE
                left, cell_width = edges[column], layout.widths[column]
                for line in lines:
                    line_width = text_width(line, layout.bold, HEADER_SIZE)
                    bold.show(line, left + (cell_width - line_width) / 2, y, out)
                    y -= HEADER_LEADING
        body = layout.writer(layout.font, layout.size, doc)
        out.append(body.select)
        self._draw_rows(body, bounds, out)
        out.append("ET Q")
        canvas.addLiteral("\n".join(out))

    def _draw_rows(self, body: _Writer, bounds: list[float], out: list[str]) -> None:
        """Every line of every cell, as ``x y Tm (text) Tj``; the numbers of a row's
        baselines and of the left-aligned columns are formatted once (this loop runs
        27,000 times for a register of 2,000 members)."""
        layout = self.layout
        font, size, leading = layout.font, layout.size, layout.leading
        first_baseline = layout.padding + size
        codes, append = body.codes, out.append
        columns = list(zip(layout.edges[:-1], layout.widths, layout.align, strict=True))
        fixed = [f"{left + SIDE_PADDING:.2f}" if how == "LEFT" else ""
                 for left, _width, how in columns]
        plain_codes, plain_font, plain_writer = codes, font, body
        heavy = (layout.writer(layout.bold, size, body.doc)
                 if not layout.bold_rows.isdisjoint(range(self.start, self.end)) else None)
        for offset, index in enumerate(range(self.start, self.end)):
            if heavy is not None and index in layout.bold_rows:
                codes, font, body = heavy.codes, layout.bold, heavy
                append(heavy.select)
            else:
                codes, font, body = plain_codes, plain_font, plain_writer
            cells = layout.cells[index]
            if self.clip_lines is not None:
                cells = [_clipped(lines, self.clip_lines) for lines in cells]
            top = bounds[offset] - first_baseline
            baselines = [f"{top - k * leading:.2f}" for k in range(max(map(len, cells)))]
            for (left, cell_width, how), x_text, lines in zip(columns, fixed, cells,
                                                               strict=True):
                for k, line in enumerate(lines):
                    if not line:
                        continue
                    if not x_text:
                        line_width = text_width(line, font, size)
                        x = (left + cell_width - SIDE_PADDING - line_width if how == "RIGHT"
                             else left + (cell_width - line_width) / 2)
                        x_line = f"{x:.2f}"
                    else:
                        x_line = x_text
                    try:
                        append(f"1 0 0 1 {x_line} {baselines[k]} Tm "
                               f"({line.translate(codes)}) Tj")
                    except _OtherSubset:
                        body.show(line, float(x_line), top - k * leading, out)
            if body is not plain_writer:
                append(plain_writer.select)


def _clipped(lines: list[str], most: int) -> list[str]:
    """The first ``most`` lines of a cell, the last marked as cut short."""
    if len(lines) <= most:
        return lines
    return [*lines[: most - 1], lines[most - 1] + _CUT]


def rows_table_with_closing(
    header_texts: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    closing: Sequence[Flowable],
    *,
    align: Sequence[str] | None = None,
    font_size: float = 8.5,
    padding: float = 2.2,
    bold_rows: Collection[int] = (),
) -> list[Flowable]:
    """:func:`~kt_desktop.reports.base.table_with_closing` as a :class:`RowsTable`
    (``bold_rows``: indexes of rows printed bold, e.g. totals).

    The last :data:`~kt_desktop.reports.base.KEEP_ROWS` rows are kept on one page with
    ``closing`` (the closing words and signatures never open a page alone); when they move
    to a new page they carry the header.
    """
    layout = RowsLayout(header_texts, rows, widths, align=align, font_size=font_size,
                        padding=padding, bold_rows=bold_rows)
    total = len(layout.heights)
    keep = kept_rows(total)
    story: list[Flowable] = []
    if total > keep:
        story.append(RowsTable(layout, 0, total - keep))
    lead = RowsTable(layout, total - keep, total, opens=total == keep)
    story.append(KeepTogether([lead, Spacer(1, 3 * mm), *closing]))
    return story
