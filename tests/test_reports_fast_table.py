"""The register's own table flowable (``reports/fast_table.py``): it draws the rows itself,
so these tests read the pages back and check what a platypus Table used to guarantee — the
header on every page, no row cut in two, every word of a wrapped cell kept, every member
once, the signatures with the last rows — and the text encoding it writes by hand."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from reportlab.lib.units import mm

from kt_desktop.domain.nik import MASK_CHAR
from kt_desktop.i18n import _
from kt_desktop.reports import base
from kt_desktop.reports.fast_table import RowsLayout, RowsTable, cell_lines
from kt_desktop.reports.members import MemberRegisterPdf
from kt_desktop.reports.model import Common, Letterhead, MemberRegister, MemberRow, Signatories
from tests.test_reports_helpers import embedded_fonts, pdf_pages

PRINTED = dt.date(2025, 11, 5)
FIRST = ["Ahmad", "Siti", "Dewi", "Rizky", "Nandang", "Lestari", "Yusuf", "Aisyah"]
LAST = ["Fauzi", "Nurhaliza", "Permata", "Ramadhan", "Suryana", "Wulandari", "Rachmat"]


def common() -> Common:
    return Common(
        letterhead=Letterhead(
            name="Karang Taruna Tunas Harapan", village_kind="desa", village="Baros",
            kecamatan="Baros", regency="Kabupaten Serang", province="Banten",
            address="Jl. Raya Baros No. 12", contact="Telepon 0812-3456-7890"),
        signatories=Signatories(
            place="Baros", date=PRINTED, ketua="Ahmad Fauzi", sekretaris="Siti Nurhaliza",
            village_head="H. Suryadi", village_kind="desa", village="Baros"),
        printed_on=PRINTED,
    )


def token(number: int) -> str:
    """A word found nowhere else in the register: ``Qbcd`` from the row number's digits."""
    return "Q" + "".join("abcdefghij"[int(d)] for d in f"{number:04d}")


def name_of(number: int) -> str:
    words = [FIRST[number % len(FIRST)], LAST[number % len(LAST)]]
    if number % 5 == 0:  # long names wrap onto two or three lines
        words[1:1] = ["Muhammad", "Abdurrahman", "Kusumawardhana"]
    return " ".join([*words, token(number)])


def address_of(number: int) -> str:
    address = f"Kampung Babakan RT {number % 9 + 1:03d}/RW 002"
    if number % 3 == 0:
        address = f"Jalan Pahlawan Gang Melati Ujung Blok {token(number)}, {address}"
    return address


def member(number: int, **changes: object) -> MemberRow:
    values: dict[str, object] = {
        "number": number, "name": name_of(number), "nik": MASK_CHAR * 12 + f"{number % 10000:04d}",
        "sex": "LP"[number % 2], "birth": "Serang, 12/03/1995", "age": 30,
        "address": address_of(number), "education": "SMA/SMK/Sederajat",
        "occupation": "Wiraswasta", "position": "Ketua Seksi Pelayanan Sosial"
        if number % 7 == 0 else "", "status": "Aktif", "joined": dt.date(2020, 1, 10),
    }
    values.update(changes)
    return MemberRow(**values)  # type: ignore[arg-type]


def register_pdf(rows: list[MemberRow], out: Path) -> list[str]:
    data = MemberRegister(common=common(), rows=rows, nik_revealed=False, include_left=False,
                          male=len(rows), female=0)
    MemberRegisterPdf(data).build(out)
    return pdf_pages(out)


def row_starts(page: str) -> list[tuple[int, str]]:
    """(member number, first word of the name) of each row that starts on ``page``."""
    return [(int(n), word) for n, word in re.findall(r"^ ?(\d+) (\S+)", page, re.M)
            if word in FIRST]


def check_register(pages: list[str], rows: list[MemberRow]) -> None:
    header = _("Place and date of birth")
    seen: dict[int, int] = {}
    for index, page in enumerate(pages):
        starts = row_starts(page)
        for number, word in starts:
            assert number not in seen, f"member {number} printed twice"
            assert word == name_of(number).split()[0]
            seen[number] = index
        if starts:  # the header heads every page that has rows
            first_row = re.search(rf"^ ?{starts[0][0]} {starts[0][1]}", page, re.M)
            assert first_row and header in page[: first_row.start()], f"page {index + 1}"
        assert _("Page {page} of {pages}").format(page=index + 1, pages=len(pages)) in page
    assert sorted(seen) == [row.number for row in rows], "every member exactly once"
    for row in rows:  # the whole row on the page of its number: no row cut in two
        page = pages[seen[row.number]]
        words = f"{row.name} {row.address} {row.position}".replace(",", " ").split()
        for word in words:
            assert word in page, f"{word!r} of member {row.number} not on its page"
        assert token(row.number) in page
        assert row.nik in page and "10/01/2020" in page
    last = pages[-1]
    assert rows[-1].name.split()[-1] in last
    assert _("Secretary,") in last and "Siti Nurhaliza" in last and "H. Suryadi" in last
    for row in rows[-base.kept_rows(len(rows)):]:  # the closing keeps the last rows with it
        assert seen[row.number] == len(pages) - 1


def test_long_register_flows_over_pages_with_header_and_whole_rows(tmp_path: Path) -> None:
    rows = [member(n) for n in range(1, 181)]
    pages = register_pdf(rows, tmp_path / "induk.pdf")
    assert len(pages) >= 8
    check_register(pages, rows)
    # the long names and addresses did wrap (their words are on different lines)
    long_name = name_of(5).split()
    page = pages[0]
    assert not any(" ".join(long_name) in line for line in page.splitlines())
    assert all(word in page for word in long_name)


@pytest.mark.parametrize("count", range(1, 46, 2))
def test_the_closing_never_stands_alone(tmp_path: Path, count: int) -> None:
    """Every length, from one row to three pages: wherever the page breaks fall, the
    signatures share their page with the last rows, and rows that open a page (the kept
    tail included) carry the header."""
    rows = [member(n) for n in range(1, count + 1)]
    check_register(register_pdf(rows, tmp_path / f"induk-{count}.pdf"), rows)


def test_text_outside_the_first_subset_and_pdf_specials(tmp_path: Path) -> None:
    """More than 256 different characters (a second font subset) and ``( ) \\`` in names."""
    greek = "".join(chr(c) for c in range(0x3B1, 0x3CA) if c != 0x3C2)
    greek += "".join(chr(c) for c in range(0x391, 0x3AA) if c != 0x3A2)
    cyrillic = "".join(chr(c) for c in range(0x410, 0x450))
    latin = "".join(chr(c) for c in range(0xE0, 0x100) if c not in (0xF7,))
    extended = "".join(chr(c) for c in range(0x100, 0x180))
    every = greek + cyrillic + latin + extended
    assert len(set(every)) > 256
    odd = [every[i:i + 8] for i in range(0, len(every), 8)]  # words that fit the column
    rows = [member(1, name="Budi (Ucok) \\ Santoso [x] " + token(1))]
    rows += [member(n + 2, name=f"Ahmad {word} {token(n + 2)}") for n, word in enumerate(odd)]
    pages = register_pdf(rows, tmp_path / "aksara.pdf")
    fonts = dict(embedded_fonts(tmp_path / "aksara.pdf"))
    assert fonts.get("AAAAAB+DejaVuSansCondensed") == "yes"  # the second subset was used
    text = "\n".join(pages)
    assert "Budi (Ucok) \\ Santoso [x]" in text
    for word in odd:
        assert word in text


def test_a_row_taller_than_a_page_is_cut_not_lost_in_an_error(tmp_path: Path) -> None:
    huge = " ".join(f"Kata{n}" for n in range(900))
    rows = [member(1), member(2, address=huge), member(3)]
    pages = register_pdf(rows, tmp_path / "panjang.pdf")
    text = "\n".join(pages)
    assert "Kata0" in text and "…" in text
    assert name_of(1).split()[-1] in text and name_of(3).split()[-1] in text


def test_split_breaks_between_rows_only() -> None:
    base.styles()  # registers the fonts
    rows = [[str(n), "x " * (n % 4 * 12)] for n in range(1, 41)]
    layout = RowsLayout(["No", "Text"], rows, [10 * mm, 40 * mm], align=["RIGHT", "LEFT"])
    heights = layout.heights
    assert len(set(heights)) > 1  # rows of one to several lines
    table = RowsTable(layout)
    width, height = table.wrap(50 * mm, 10_000)
    assert height == pytest.approx(layout.header_height + sum(heights))
    for room in (60.0, 100.0, 233.3, 400.0):
        first, rest = table.split(50 * mm, room)
        assert isinstance(first, RowsTable) and isinstance(rest, RowsTable)
        assert first.start == 0 and rest.start == first.end and rest.end == len(rows)
        assert first.wrap(50 * mm, room)[1] <= room
        next_row = heights[first.end]
        assert first.wrap(50 * mm, room)[1] + next_row > room  # as many rows as fit
        assert not rest.opens
    assert table.split(50 * mm, layout.header_height + heights[0] - 1) == []


def test_cell_lines_keep_words_and_line_breaks() -> None:
    base.styles()
    text = "Jalan Pahlawan Gang Melati Ujung Blok Seribu Kampung Babakan"
    lines = cell_lines(text, base.FONT_NARROW, 8.5, 60)
    assert len(lines) > 2 and " ".join(lines) == text
    assert cell_lines("Aktif\n10/01/2020", base.FONT_NARROW, 8.5, 60) == ["Aktif", "10/01/2020"]
    assert cell_lines("", base.FONT_NARROW, 8.5, 60) == [""]


def test_a_short_register_stays_on_its_first_page_and_fits_twenty_rows_a_page(
    tmp_path: Path,
) -> None:
    """Issue 16: a 3-member register left page 1 with only its heading, and a landscape page
    held about 10 members (20 and more now)."""
    rows = [member(n) for n in range(1, 4)]  # long names: the signatures need page 2
    pages = register_pdf(rows, tmp_path / "tiga.pdf")
    assert row_starts(pages[0]), "page 1 has only the heading"
    check_register(pages, rows)
    # Names and addresses as a register usually has them (not this file's long test ones).
    many = [member(n, name=f"{FIRST[n % len(FIRST)]} {LAST[n % len(LAST)]}",
                   address=f"Kampung Babakan RT {n % 9 + 1:03d}/RW 002",
                   position="Anggota Seksi Pendidikan dan Pelatihan" if n % 4 == 0 else "")
            for n in range(1, 80)]
    pages = register_pdf(many, tmp_path / "banyak.pdf")
    per_page = [len(row_starts(page)) for page in pages[1:-1]]
    assert per_page and min(per_page) >= 20, per_page


def test_a_slash_value_breaks_at_its_slash(tmp_path: Path) -> None:
    """Issue 16: PETANI/PEKEBUN broke mid-word instead of at the slash."""
    rows = [member(1, occupation="PETANI/PEKEBUN/PETERNAK/NELAYAN")]
    text = register_pdf(rows, tmp_path / "garis.pdf")[0]
    assert "PETANI/" in text and "PEKEBUN/" in text and "NELAYAN" in text
    assert not re.search(r"PETAN\s|PEKEBU\s|PETERNA\s", text)
