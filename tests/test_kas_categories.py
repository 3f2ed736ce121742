"""The cash book's categories are a list kept in the file: the defaults until edited; a
category written must be in the list; entries keep their category when the list changes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from kt_desktop.domain.book import book
from kt_desktop.domain.errors import KtError, ValidationError
from kt_desktop.services import books
from kt_desktop.services.session import Session
from tests.conftest import run_cli

KAS = book("kas")


def entry(day: dt.date, text: str, category: str, **amounts: str) -> dict[str, object]:
    return {"entry_date": day, "description": text, "category": category, **amounts}


def test_the_list_is_edited_and_entries_keep_their_category(
        village_session: Session, tmp_path: Path) -> None:
    s = village_session
    assert books.choices(s, KAS, "category")[0] == ("iuran", "Iuran anggota")
    old = books.add(s, KAS, entry(dt.date(2025, 3, 1), "ATK", "operasional", expense="20.000"))
    with pytest.raises(ValidationError, match="“Sewa tenda” tidak ada di daftar"):
        books.add(s, KAS, entry(dt.date(2025, 3, 2), "Tenda", "Sewa tenda", expense="50.000"))

    found = books.set_choices(s, KAS, "category", [
        "Iuran anggota", " sewa  TENDA ", "Donatur", "donatur", "", "Sewa tenda"])
    assert found == [("iuran", "Iuran anggota"), ("sewa TENDA", "sewa TENDA"),
                     ("donatur", "Donatur")]
    found = books.set_choices(s, KAS, "category", ["Iuran anggota", "Sewa tenda", "Donatur"])
    assert [code for code, _label in found] == ["iuran", "Sewa tenda", "donatur"]
    new = books.add(s, KAS, entry(dt.date(2025, 3, 2), "Tenda", "Sewa tenda", expense="50.000"))
    assert books.get(s, KAS, new).get("category") == "Sewa tenda"

    # "operasional" left the list: the entry keeps it and can still be corrected
    kept = books.get(s, KAS, old)
    values = {k: v for k, v in kept.values.items() if k != "balance"}
    books.edit(s, KAS, old, {**values, "description": "ATK sekretariat"})
    assert books.get(s, KAS, old).get("category") == "operasional"
    with pytest.raises(ValidationError, match="Kategori: “operasional” tidak ada di daftar"):
        books.edit(s, KAS, new, {**values, "category": "operasional"})
    with pytest.raises(ValidationError, match="Sisakan sedikitnya satu pilihan"):
        books.set_choices(s, KAS, "category", [" ", ""])
    with pytest.raises(KtError, match="tidak dapat diubah"):
        books.set_choices(s, book("tamu"), "visit_date", ["x"])

    # the filter offers the list, then what entries still hold
    offered = books.filter_values(s, KAS).choices["category"]
    assert offered == [("iuran", "Iuran anggota"), ("Sewa tenda", "Sewa tenda"),
                       ("donatur", "Donatur"), ("operasional", "operasional")]

    out = books.build_register(s, KAS, tmp_path / "kas.pdf", year=2025, month=3)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)
    assert "· Sewa tenda : Rp50.000" in text and "· Operasional : Rp20.000" in text


def test_cli_shows_and_sets_the_categories(
        village_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data", str(village_file)]
    code, out, _err = run_cli(capsys, "kas", "kategori", *data)
    assert code == 0 and out.splitlines()[:2] == ["Iuran anggota", "Swadaya"]
    code, out, _err = run_cli(capsys, "kas", "kategori", "Iuran anggota", "Sewa tenda",
                              "--json", *data)
    assert code == 0 and json.loads(out)["categories"] == [
        {"value": "iuran", "label": "Iuran anggota"},
        {"value": "Sewa tenda", "label": "Sewa tenda"}]
    code, _out, err = run_cli(capsys, "book", "add", "kas", "entry_date=2025-01-02",
                              "description=Parkir", "category=Parkir", "expense=5.000", *data)
    assert code == 1 and "“Parkir” tidak ada di daftar" in err
