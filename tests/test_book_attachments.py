"""The book framework's attachments (receipt photos, scanned letters) and member lookups:
stored with the record in one transaction, removed with it, travelling in bundles, bad files
refused by name, a removed member named as such."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PIL import Image
from reportlab.pdfgen import canvas

from kt_desktop.domain.book import (
    DATE,
    BookSpec,
    Column,
    Field,
    RegisterColumn,
    RegisterSpec,
    Section,
    book,
    display,
)
from kt_desktop.domain.errors import ValidationError
from kt_desktop.domain.members import Member
from kt_desktop.services import books, members
from kt_desktop.services import bundles as bundle_service
from kt_desktop.services.session import Session
from kt_desktop.store import books as book_store
from tests.test_bundles_kit import export, import_one, live_rows

KAS = book("kas")
TODAY = dt.date(2025, 6, 30)
ENTRY = {"entry_date": dt.date(2025, 1, 5), "description": "Beli bola", "category": "kegiatan",
         "expense": "250.000"}


def photo(path: Path) -> Path:
    Image.new("RGB", (2400, 1800), (30, 140, 90)).save(path, format="JPEG")
    return path


def scan(path: Path) -> Path:
    page = canvas.Canvas(str(path))
    page.drawString(72, 720, "Kuitansi BKK-007 Rp250.000")
    page.save()
    return path


def taken(paths: list[Path]) -> list:
    report = books.take_in_files(KAS, paths)
    assert not report.refused, report.refused
    return report.photos


def test_a_receipt_photo_and_a_scan_are_kept_with_the_entry(
    village_session: Session, tmp_path: Path
) -> None:
    files = taken([photo(tmp_path / "nota.jpg"), scan(tmp_path / "kuitansi.pdf")])
    entry = books.add(village_session, KAS, ENTRY, files)
    kept = books.files(village_session, KAS, entry)
    assert [f.original_name for f in kept] == ["nota.jpg", "kuitansi.pdf"]
    assert kept[0].width == 1600 and kept[0].data is None  # scaled; thumbnails listed only
    pdf = books.file_data(village_session, kept[1].id or "")
    assert pdf == (tmp_path / "kuitansi.pdf").read_bytes()  # a scan is kept as it was

    kept[1].caption = "Kuitansi toko"
    books.edit(village_session, KAS, entry, ENTRY, [kept[1]])  # the photo left out
    again = books.files(village_session, KAS, entry)
    assert [(f.original_name, f.caption) for f in again] == [("kuitansi.pdf", "Kuitansi toko")]

    books.remove(village_session, KAS, entry)
    assert books.files(village_session, KAS, entry) == []
    assert books.file_data(village_session, again[0].id or "") is None  # cleared with it


def test_bad_files_are_refused_by_name_and_nothing_is_stored(
    village_session: Session, tmp_path: Path
) -> None:
    cut = tmp_path / "kuitansi-terpotong.pdf"
    cut.write_bytes(scan(tmp_path / "full.pdf").read_bytes()[:300])
    text = tmp_path / "catatan.txt"
    text.write_text("bukan foto")
    report = books.take_in_files(KAS, [cut, text])
    assert report.photos == []
    assert report.refused == [
        "kuitansi-terpotong.pdf bukan berkas PDF yang utuh (mungkin rusak atau terpotong); "
        "berkas ini tidak ditambahkan.",
        "catatan.txt bukan foto (JPEG atau PNG) dan bukan PDF; berkas ini tidak ditambahkan.",
    ]
    tamu = book("tamu")  # a book without documents takes no PDF
    assert tamu.attachments is None
    from kt_desktop.services import photos

    only_photos = photos.intake_files([tmp_path / "full.pdf"])
    assert only_photos.photos == [] and "bukan foto" in only_photos.refused[0]


def test_a_new_file_without_its_data_is_refused_and_the_entry_not_stored(
    village_session: Session, tmp_path: Path
) -> None:
    files = taken([photo(tmp_path / "nota.jpg")])
    files[0].data = None
    with pytest.raises(ValidationError) as refused:
        books.add(village_session, KAS, ENTRY, files)
    assert refused.value.field == "files"
    assert books.list_page(village_session, KAS, books.BookQuery()).total == 0


def test_receipts_travel_with_the_entry_to_the_receiver(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    village, receiver = pair
    entry = books.add(village, KAS, ENTRY, taken([scan(tmp_path / "kuitansi.pdf")]))
    summary = import_one(receiver, export(village, tmp_path / "one"))
    assert summary.status == bundle_service.IMPORTED, summary.message
    rows = live_rows(receiver.db(), "attachments")
    [kept] = [row for row in rows.values() if row["owner_id"] == entry]
    assert kept["owner_table"] == KAS.table and kept["mime"] == "application/pdf"
    assert bytes(kept["data"]) == (tmp_path / "kuitansi.pdf").read_bytes()

    books.remove(village, KAS, entry)
    import_one(receiver, export(village, tmp_path / "two"))
    gone = live_rows(receiver.db(), "attachments")[kept["id"]]
    assert gone["deleted_at"] and gone["data"] is None  # the tombstone carries no image


# -- member lookups --------------------------------------------------------------------------

DUTY = BookSpec(
    key="piket", table="test_duty", title="Duty", description="Duty roster",
    noun=("duty", "duties"),
    fields=(Field("day", "Date", DATE, required=True, sheet="Tanggal"),
            Field("member_id", "Member", lookup="member", required=True, max_length=40)),
    columns=(Column("day"), Column("member_id", 0)), search=(), sort=("day", True),
    sections=(Section("Duty", ("day", "member_id")),),
    register=RegisterSpec((RegisterColumn("member_id", 0),), "Duty"),
    label_field="member_id", date_field="day",
)


def _member(session: Session, name: str, dusun: str) -> str:
    member = Member(name=name, nik="", nik_missing_reason="Belum punya KTP", birth_date=dt.date(2001, 5, 17),
                    sex="P", dusun=dusun, status="aktif")
    return members.save(session, member, confirm=True, today=TODAY).id


def test_a_member_field_names_the_member_and_refuses_a_removed_one(
    village_session: Session,
) -> None:
    db = village_session.db()
    book_store.create_book_table(db, DUTY)
    siti = _member(village_session, "Siti Aminah", "Cilaku")
    budi = _member(village_session, "Budi Santoso", "")
    assert books.lookup_choices(village_session, DUTY, "member_id") == [
        (budi, "Budi Santoso"), (siti, "Siti Aminah · Cilaku")]
    duty = books.add(village_session, DUTY, {"day": dt.date(2025, 3, 1), "member_id": siti})
    [record] = books.list_page(village_session, DUTY, books.BookQuery()).rows
    assert display(DUTY, record, "member_id") == "Siti Aminah"  # a name, never the id

    members.remove(village_session, siti)
    record = books.get(village_session, DUTY, duty)
    assert display(DUTY, record, "member_id") == "(dihapus)"
    with pytest.raises(ValidationError) as refused:
        books.add(village_session, DUTY, {"day": dt.date(2025, 3, 2), "member_id": siti})
    assert refused.value.field == "member_id"
    assert "sudah tidak ada" in refused.value.message
    assert [r.get("member_id") for r in
            books.list_page(village_session, DUTY, books.BookQuery()).rows] == [siti]
