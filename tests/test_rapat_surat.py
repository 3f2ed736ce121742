"""Meetings and letters (issue 18): a meeting with its attendance, minutes and follow-ups;
the numbering of outgoing letters across a year's end, cancellation and removal; letters
from templates with their refusals; every printed paper read back; the CLI; bundles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from kt_desktop.domain import clock
from kt_desktop.domain.book import book
from kt_desktop.domain.errors import KtError, ValidationError
from kt_desktop.services import books, dashboard, members, rapat, reports, surat
from kt_desktop.services.session import Session
from kt_desktop.store import audit
from tests.conftest import run_cli
from tests.test_reports_helpers import PRINTED, Village, add_members, flat, pdf_pages, pdf_text

RAPAT, MASUK, KELUAR = book("rapat"), book("surat-masuk"), book("surat-keluar")
DAY = dt.date(2025, 10, 4)


@pytest.fixture
def village(village_session: Session) -> Village:
    found = Village()
    add_members(village_session, found)
    return found


def hold_meeting(session: Session, village: Village, *, kind: str = "pengurus",
                 day: dt.date = DAY, title: str = "Persiapan HUT Karang Taruna",
                 followups: list[dict[str, Any]] | None = None, **values: Any) -> str:
    return books.add(session, RAPAT, {
        "kind": kind, "title": title, "meeting_date": day, "start_time": "19.30 WIB",
        "place": "Balai Desa Baros", "chair": "Ahmad Fauzi", "notulis": "Siti Nurhaliza",
        "decisions": "Peringatan diadakan tanggal 28 Oktober.", **values,
    }, children={
        "hadir": [{"member_id": village.members["Ahmad Fauzi"]},
                  {"member_id": village.members["Dedi Kurniawan"]},
                  {"name": "H. Suryadi", "institution": "Pemerintah Desa Baros"}],
        "acara": [{"topic": "Susunan panitia", "minutes": "Ketua panitia Dedi Kurniawan."},
                  {"topic": "Anggaran", "minutes": "Iuran Rp10.000 per anggota."}],
        "tindak_lanjut": followups if followups is not None else [
            {"task": "Menyewa tenda", "member_id": village.members["Dedi Kurniawan"],
             "due_date": day + dt.timedelta(days=10)}],
    })


def letters_out(session: Session) -> list[Any]:
    return list(reversed(books.list_page(session, KELUAR, books.BookQuery()).rows))


# -- meetings --------------------------------------------------------------------------------


def test_a_meeting_keeps_its_attendance_minutes_and_follow_ups(village_session, village):
    meeting_id = hold_meeting(village_session, village)
    meeting = rapat.get(village_session, meeting_id[:8])  # the id as `book list` prints it
    assert [p.name for p in rapat.people(village_session, meeting)] == [
        "Ahmad Fauzi", "Dedi Kurniawan", "H. Suryadi"]
    assert [r.get("topic") for r in meeting.agenda] == ["Susunan panitia", "Anggaran"]

    # the form sends the rows back: one changed, one added, one left out (removed)
    rows = [dict(r.values, id=r.id) for r in meeting.agenda]
    rows[0]["minutes"] = "Ketua panitia Dedi Kurniawan, wakil Rina Marlina."
    books.edit(village_session, RAPAT, meeting_id, meeting.record.values,
               children={"acara": [rows[0], {"topic": "Lain-lain"}]})
    again = rapat.get(village_session, meeting_id)
    assert [(r.id == meeting.agenda[0].id, r.get("topic")) for r in again.agenda] == [
        (True, "Susunan panitia"), (False, "Lain-lain")]
    assert len(again.attendance) == 3  # grids not sent stay as they were

    # a wrong row is refused naming its grid and row, and nothing is stored
    with pytest.raises(ValidationError) as refused:
        books.add(village_session, RAPAT, dict(meeting.record.values, title="Rapat kedua"),
                  children={"hadir": [{"institution": "PKK"}]})
    assert refused.value.message == "Kehadiran, baris 1: Pilih anggota atau tulis nama tamu."
    assert books.list_page(village_session, RAPAT, books.BookQuery()).total == 1

    # removing the meeting removes its rows (they travel as removals)
    books.remove(village_session, RAPAT, meeting_id)
    assert books.children(village_session, RAPAT, "hadir", meeting_id) == []


def test_a_removed_member_cannot_be_marked_present(village_session, village):
    members.remove(village_session, village.members["Dedi Kurniawan"])
    with pytest.raises(ValidationError) as refused:
        hold_meeting(village_session, village)
    assert refused.value.message.startswith("Kehadiran, baris 2: Anggota: ")
    assert books.list_page(village_session, RAPAT, books.BookQuery()).total == 0


def test_open_follow_ups_are_on_beranda_until_done_and_in_the_next_minutes(
    village_session, village, tmp_path: Path
):
    first = hold_meeting(village_session, village)
    found = dashboard.summary(village_session, DAY + dt.timedelta(days=12)).reminders
    [reminder] = [r for r in found if "Menyewa tenda" in r.text]
    assert reminder.text == ("Tindak lanjut rapat “Persiapan HUT Karang Taruna”: Menyewa "
                             "tenda — Dedi Kurniawan (batas 14 Oktober 2025)")
    assert reminder.warning  # past its due date

    later = hold_meeting(village_session, village, day=DAY + dt.timedelta(days=30),
                         title="Evaluasi HUT", followups=[])
    other = hold_meeting(village_session, village, kind="anggota",
                         day=DAY + dt.timedelta(days=31), title="Rapat anggota", followups=[])
    assert "Menyewa tenda" in rapat.earlier_hint(
        village_session, {"kind": "pengurus", "meeting_date": DAY + dt.timedelta(days=30)},
        later)
    text = flat(pdf_text(rapat.build_notulen(village_session, later, tmp_path / "n.pdf",
                                             today=PRINTED)))
    assert "Tindak lanjut rapat sebelumnya yang belum selesai" in text
    assert "Menyewa tenda" in text
    other_text = pdf_text(rapat.build_notulen(village_session, other, tmp_path / "o.pdf",
                                              today=PRINTED))
    assert "Menyewa tenda" not in other_text  # another kind of meeting

    meeting = rapat.get(village_session, first)
    done = [dict(r.values, id=r.id, state="selesai") for r in meeting.followups]
    books.edit(village_session, RAPAT, first, meeting.record.values,
               children={"tindak_lanjut": done})
    assert not [r for r in dashboard.summary(village_session, DAY).reminders
                if "Menyewa tenda" in r.text]


def test_the_minutes_and_attendance_sheet_read_back(village_session, village, tmp_path: Path):
    meeting_id = hold_meeting(village_session, village)
    pages = pdf_pages(rapat.build_notulen(village_session, meeting_id, tmp_path / "n.pdf",
                                          today=PRINTED))
    text = "\n".join(pages)
    assert "NOTULEN RAPAT" in text and "Persiapan HUT Karang Taruna" in text
    assert "Hari, tanggal : Sabtu, 4 Oktober 2025" in text
    assert "Jenis rapat : Rapat pengurus" in text
    assert "Hadir : 3 orang (2 anggota, 1 tamu)" in text
    assert "1. Susunan panitia" in text and "Iuran Rp10.000 per anggota." in text
    assert "Peringatan diadakan tanggal 28 Oktober." in text
    assert "Baros, 4 Oktober 2025" in text
    assert "Pimpinan Rapat," in text and "Notulis," in text
    assert "H. Suryadi" in text and "Pemerintah Desa Baros" in text

    sheet = pdf_text(rapat.build_attendance(village_session, meeting_id, tmp_path / "h.pdf",
                                            today=PRINTED))
    assert "Ahmad Fauzi" in sheet and "H. Suryadi" in sheet
    assert "1. ......" in sheet and "2. ......" in sheet  # alternating signature columns


def test_a_musyawarah_warga_berita_acara_names_the_officers_elected(
    village_session, village, tmp_path: Path
):
    meeting_id = hold_meeting(
        village_session, village, kind="musyawarah", title="Musyawarah Warga 2025",
        elected="Ketua: Ahmad Fauzi\nSekretaris: Siti Nurhaliza\nBendahara: Rina Marlina")
    text = flat(pdf_text(rapat.build_notulen(village_session, meeting_id, tmp_path / "b.pdf",
                                             today=PRINTED)))
    assert "BERITA ACARA MUSYAWARAH WARGA" in text
    assert "Pengurus terpilih" in text
    assert "Bendahara : Rina Marlina" in text


# -- numbering -------------------------------------------------------------------------------


def take(session: Session, subject: str = "Pemberitahuan", code: str = "PBT") -> str:
    return surat.take_number(session, code=code, subject=subject, addressee="Warga")[1]


def test_numbers_restart_each_year_with_the_clock_and_are_never_given_twice(village_session):
    with clock.frozen(dt.datetime(2026, 12, 31, 9, 0)):
        assert take(village_session, code="UND") == "001/UND/KT-TH/XII/2026"
        second = take(village_session)
        assert second == "002/PBT/KT-TH/XII/2026"
    with clock.frozen(dt.datetime(2027, 1, 1, 9, 0)):
        assert surat.next_number(village_session, "UND") == "001/UND/KT-TH/I/2027"
        assert take(village_session, code="UND") == "001/UND/KT-TH/I/2027"
    with clock.frozen(dt.datetime(2026, 12, 31, 15, 0)):  # a letter dated back in 2026
        # removed: its number stays taken; cancelled: it keeps its number, marked batal
        gone = next(r for r in letters_out(village_session) if r.get("number") == second)
        books.remove(village_session, KELUAR, gone.id)
        assert take(village_session) == "003/PBT/KT-TH/XII/2026"
        first = next(r for r in letters_out(village_session)
                     if r.get("number") == "001/UND/KT-TH/XII/2026")
        with pytest.raises(ValidationError) as refused:
            surat.cancel(village_session, first.id, " ")
        assert refused.value.message == "Tulis alasan surat dibatalkan."
        assert surat.cancel(village_session, first.id[:8], "Rapat ditunda") == (
            "001/UND/KT-TH/XII/2026")
        assert take(village_session) == "004/PBT/KT-TH/XII/2026"
    cancelled = books.get(village_session, KELUAR, first.id)
    assert (cancelled.get("state"), cancelled.get("note")) == ("batal", "Rapat ditunda")
    numbers = [r.get("number") for r in letters_out(village_session)]
    assert len(numbers) == len(set(numbers))
    # a number typed by hand (an import) that is taken is refused
    with pytest.raises(ValidationError) as taken:
        books.add(village_session, KELUAR, {"letter_date": dt.date(2026, 12, 1),
                                            "number": "003/X/KT-TH/XII/2026",
                                            "subject": "Lama", "addressee": "Warga"})
    assert "sudah terpakai pada tahun 2026" in taken.value.message


def test_the_number_pattern_is_a_setting_checked_when_kept(village_session):
    with pytest.raises(ValidationError) as refused:
        surat.set_number_pattern(village_session, "{nomor}/{desa}/{tahun}")
    assert "Pola nomor “{nomor}/{desa}/{tahun}” hanya boleh memakai" in refused.value.message
    assert surat.number_pattern(village_session) == surat.letters.DEFAULT_PATTERN
    surat.set_number_pattern(village_session, "{nomor:04}/KT/{kode}/{bulan}/{tahun}")
    assert surat.next_number(village_session, "UND", dt.date(2026, 3, 2)) == (
        "0001/KT/UND/03/2026")


def test_the_monthly_report_takes_its_number_from_the_register(village_session, village,
                                                               tmp_path: Path):
    hold_meeting(village_session, village)
    books.add(village_session, MASUK, {"received_date": DAY, "sender": "Dinas Sosial",
                                       "subject": "Pendataan PPKS"})
    take_day = dt.date(2025, 10, 20)
    with clock.frozen(dt.datetime(2025, 10, 20, 8, 0)):
        assert take(village_session) == "001/PBT/KT-TH/X/2025"
    assert reports.monthly_draft(village_session, 2025, 10, PRINTED).nomor_surat == (
        "002/LAP/KT-TH/XI/2025")
    pages = pdf_pages(reports.build_monthly(village_session, 2025, 10, tmp_path / "m.pdf",
                                            today=PRINTED))
    text = "\n".join(pages)
    assert "Nomor : 002/LAP/KT-TH/XI/2025" in pages[0]
    assert "V. Rapat dan surat-menyurat" in text
    assert "Rapat yang diadakan : 1" in text and "Surat masuk : 1" in text
    assert "Surat keluar : 1" in text  # the letter of 20 October
    assert "Persiapan HUT Karang Taruna" in text
    assert "VI. Kendala" in text and "VII. Rencana bulan depan" in text
    numbers = [r.get("number") for r in letters_out(village_session)]
    assert numbers == ["001/PBT/KT-TH/X/2025", "002/LAP/KT-TH/XI/2025"]
    # printed again: the kept number, not a new one
    reports.build_monthly(village_session, 2025, 10, tmp_path / "m2.pdf", today=PRINTED)
    assert len(letters_out(village_session)) == 2
    assert take_day < PRINTED


# -- letters from templates ------------------------------------------------------------------


def test_an_invitation_from_a_meeting_prints_on_the_kop_surat(village_session, village,
                                                              tmp_path: Path):
    meeting_id = hold_meeting(village_session, village)
    draft = surat.LetterDraft("undangan", "Undangan rapat pengurus", "Seluruh pengurus",
                              rapat_id=meeting_id, attachment_note="-",
                              copies=["Kepala Desa Baros", "Arsip"], acknowledge=True)
    preview = surat.preview(village_session, draft, dt.date(2025, 10, 1))
    assert preview.number == "001/UND/KT-TH/X/2025"
    assert "Hari, tanggal : Sabtu, 4 Oktober 2025" in preview.body
    assert letters_out(village_session) == []  # a preview takes nothing
    letter_id, number, path = surat.write(village_session, draft, tmp_path / "u.pdf",
                                          day=dt.date(2025, 10, 1))
    assert number == "001/UND/KT-TH/X/2025"
    [page] = pdf_pages(path)
    for expected in ("KARANG TARUNA TUNAS HARAPAN", "Nomor : 001/UND/KT-TH/X/2025",
                     "Perihal : Undangan rapat pengurus", "Kepada Yth.", "Seluruh pengurus",
                     "di Tempat", "Waktu : 19.30 WIB", "Tempat : Balai Desa Baros",
                     "Acara : 1. Susunan panitia; 2. Anggaran", "Baros, 1 Oktober 2025",
                     "Ketua,", "Sekretaris,", "Ahmad Fauzi", "Siti Nurhaliza", "Mengetahui,",
                     "Kepala Desa Baros", "H. Suryadi", "Tembusan:", "2. Arsip"):
        assert expected in page, expected
    record = books.get(village_session, KELUAR, letter_id)
    assert (record.get("template"), record.get("rapat_id")) == ("undangan", meeting_id)
    kept = surat.letter_pdf(village_session, letter_id)
    assert kept == path.read_bytes()  # the PDF is kept with the record


def test_a_certificate_masks_the_nik_unless_a_reason_is_given(village_session, village,
                                                              tmp_path: Path):
    nik = village.niks["Rina Marlina"]
    draft = surat.LetterDraft("keterangan_aktif", "Surat keterangan aktif", "Yang berkepentingan",
                              member_niks=[nik])
    _id, _n, path = surat.write(village_session, draft, tmp_path / "k.pdf", day=PRINTED)
    text = pdf_text(path)
    assert "Nama : Rina Marlina" in text and nik not in text
    assert "adalah benar anggota aktif Karang Taruna Tunas Harapan sejak 1 Juni 2020" in flat(
        text)

    full = surat.LetterDraft("keterangan_aktif", "Surat keterangan aktif", "Bank BJB",
                             member_niks=[nik], reveal_nik=True)
    with pytest.raises(ValidationError):
        surat.write(village_session, full, tmp_path / "f.pdf", day=PRINTED)
    assert not (tmp_path / "f.pdf").exists() and len(letters_out(village_session)) == 1
    full.reveal_reason = "Syarat pembukaan rekening kelompok"
    _id, number, path = surat.write(village_session, full, tmp_path / "f.pdf", day=PRINTED)
    assert f"NIK : {nik}" in pdf_text(path)
    lines = [e.detail for e in audit.entries(village_session.db(), action="reveal")]
    assert f"nik in letter {number}: Syarat pembukaan rekening kelompok" in lines


@pytest.mark.parametrize(("draft", "message"), [
    (lambda v: surat.LetterDraft("keterangan_aktif", "Ket", "X", member_niks=[v.niks[
        "Bayu Pratama"]]), "Bayu Pratama sudah keluar dari Karang Taruna"),
    (lambda v: surat.LetterDraft("keterangan_aktif", "Ket", "X", member_niks=[
        "3604220101990099"]), "Tidak ada anggota dengan NIK 3604220101990099"),
    (lambda v: surat.LetterDraft("permohonan", "Pinjam", "X", fields={"tempat": "Balai"}),
     "Templat “Permohonan” tidak memiliki isian tempat"),
    (lambda v: surat.LetterDraft("pemberitahuan", "Info", "X", body="Kepada {penerima}"),
     "Templat “Pemberitahuan” memuat isian yang tidak dikenal: {penerima}"),
    (lambda v: surat.LetterDraft("undangan", "Undangan", "X"), "Pilih rapat yang diundang."),
])
def test_bad_letters_are_refused_and_nothing_is_recorded(village_session, village,
                                                         tmp_path: Path, draft, message):
    with pytest.raises(ValidationError) as refused:
        surat.write(village_session, draft(village), tmp_path / "x.pdf", day=PRINTED)
    assert message in refused.value.message
    assert letters_out(village_session) == [] and not (tmp_path / "x.pdf").exists()


def test_a_letter_for_a_member_removed_from_the_register_is_refused(village_session, village,
                                                                    tmp_path: Path):
    members.remove(village_session, village.members["Dedi Kurniawan"])
    draft = surat.LetterDraft("surat_tugas", "Surat tugas", "Yang bersangkutan",
                              member_ids=[village.members["Dedi Kurniawan"]])
    with pytest.raises(ValidationError) as refused:
        surat.write(village_session, draft, tmp_path / "t.pdf", day=PRINTED)
    assert "sudah tidak ada di buku induk" in refused.value.message
    assert letters_out(village_session) == []


def test_an_edited_template_is_kept_and_one_with_an_unknown_placeholder_refused(
    village_session,
):
    with pytest.raises(ValidationError) as refused:
        surat.save_template(village_session, "pemberitahuan", "Diberitahukan {isi} {tanggal}")
    assert "{tanggal}" in refused.value.message and "{isi}" in refused.value.message
    assert surat.template_body(village_session, "pemberitahuan").startswith("Dengan hormat")
    surat.save_template(village_session, "pemberitahuan", "Assalamualaikum.\n{isi}")
    letter = surat.preview(village_session, surat.LetterDraft(
        "pemberitahuan", "Kerja bakti", "Warga", fields={"isi": "Kerja bakti hari Minggu."}),
        PRINTED)
    assert letter.body == "Assalamualaikum.\nKerja bakti hari Minggu."
    surat.save_template(village_session, "pemberitahuan", "")  # back to the program's own
    assert surat.template_body(village_session, "pemberitahuan").startswith("Dengan hormat")


def test_a_scan_that_is_not_a_pdf_or_an_image_is_refused(village_session, tmp_path: Path):
    bad = tmp_path / "surat.docx"
    bad.write_bytes(b"PK\x03\x04 not a scan")
    report = books.take_in_files(MASUK, [bad])
    assert not report.photos
    assert "surat.docx bukan foto (JPEG atau PNG) dan bukan PDF; berkas ini tidak ditambahkan." in " ".join(report.refused)
    assert books.list_page(village_session, MASUK, books.BookQuery()).total == 0


# -- the agendas, the CLI, bundles -----------------------------------------------------------


def test_the_cli_writes_a_letter_minutes_and_the_agendas(village_session, village, capsys,
                                                        tmp_path: Path):
    path = str(village_session.path)
    meeting_id = hold_meeting(village_session, village)
    books.add(village_session, MASUK, {"received_date": DAY, "sender": "Dinas Sosial",
                                       "their_number": "460/123/Dinsos", "subject":
                                       "Pendataan PPKS", "disposition_to": "Sekretaris"})
    village_session.close()
    code, out, err = run_cli(capsys, "surat", "buat", "--template", "undangan", "--perihal",
                             "Undangan rapat", "--kepada", "Pengurus", "--rapat",
                             meeting_id[:8], "--date", "2025-10-01", "--out",
                             str(tmp_path / "u.pdf"), "--data", path)
    assert code == 0, err
    assert out.strip() == f"Surat nomor 001/UND/KT-TH/X/2025 dibuat: {tmp_path / 'u.pdf'}"
    code, out, err = run_cli(capsys, "surat", "buat", "--template", "permohonan", "--perihal",
                             "Pinjam", "--kepada", "Desa", "--field", "lokasi=Balai",
                             "--out", str(tmp_path / "p.pdf"), "--data", path)
    assert code != 0 and "tidak memiliki isian lokasi" in err
    assert not (tmp_path / "p.pdf").exists()
    code, out, err = run_cli(capsys, "report", "notulen", "--rapat", meeting_id, "--out",
                             str(tmp_path / "n.pdf"), "--data", path)
    assert code == 0, err
    assert "Notulis," in pdf_text(tmp_path / "n.pdf")
    for way, expected in (("masuk", ("BUKU AGENDA SURAT MASUK", "460/123/Dinsos")),
                          ("keluar", ("BUKU AGENDA SURAT KELUAR", "001/UND/KT-TH/X/2025"))):
        code, _out, err = run_cli(capsys, "report", "agenda", "--arah", way, "--year", "2025",
                                  "--out", str(tmp_path / f"{way}.pdf"), "--data", path)
        assert code == 0, err
        text = pdf_text(tmp_path / f"{way}.pdf")
        assert all(word in text for word in expected), text
    code, out, _err = run_cli(capsys, "book", "list", "rapat", "--data", path)
    assert "Persiapan HUT Karang Taruna" in out and "Rapat pengurus" in out


def test_a_bundle_carries_meetings_and_letters_to_the_receiver(pair, tmp_path: Path):
    from tests.test_bundles_kit import VILLAGE, export, import_one, live_rows

    village, receiver = pair
    meeting = books.add(village, RAPAT, {"kind": "anggota", "title": "Rapat anggota",
                                         "meeting_date": DAY},
                        children={"hadir": [{"name": "Tamu", "institution": "PKK"}]})
    books.add(village, MASUK, {"received_date": DAY, "sender": "Desa", "subject": "Undangan"})
    surat.take_number(village, code="UND", subject="Undangan", addressee="Warga", day=DAY)
    summary = import_one(receiver, export(village, tmp_path / "one"))
    assert summary.status == "imported", summary.message
    counts = dict(books.receiver_counts(receiver, VILLAGE))
    assert (counts["Rapat"], counts["Surat masuk"], counts["Surat keluar"]) == (1, 1, 1)
    october = dict(books.receiver_month_counts(receiver, VILLAGE, 2025, 10))
    assert (october["Rapat"], october["Surat masuk"], october["Surat keluar"]) == (1, 1, 1)
    assert dict(books.receiver_month_counts(receiver, VILLAGE, 2025, 11))["Rapat"] == 0
    assert [r["name"] for r in live_rows(receiver.db(), "meeting_attendance").values()] == [
        "Tamu"]
    books.remove(village, RAPAT, meeting)
    import_one(receiver, export(village, tmp_path / "two"))
    assert dict(books.receiver_counts(receiver, VILLAGE))["Rapat"] == 0
    rows = live_rows(receiver.db(), "meeting_attendance")
    assert all(row["deleted_at"] for row in rows.values())


def test_bad_input_is_refused_in_indonesian(village_session):
    with pytest.raises(KtError) as unknown:
        rapat.get(village_session, "zzzzzzzz")
    assert "Rapat tidak memiliki catatan “zzzzzzzz”" in unknown.value.message


def test_the_short_name_of_a_number_comes_from_the_name_when_none_is_set():
    from kt_desktop.domain.letters import short_part

    assert short_part("KT-TH") == "TH" and short_part("th") == "TH"
    assert short_part("", "Karang Taruna Tunas Harapan") == "TH"
    assert short_part("", "") == "KT"


def test_a_scan_of_an_incoming_letter_travels_only_when_ticked(pair, tmp_path: Path):
    from tests.test_book_attachments import scan
    from tests.test_bundles_kit import export, import_one

    village, receiver = pair
    files = books.take_in_files(MASUK, [scan(tmp_path / "surat.pdf")]).photos
    letter = books.add(village, MASUK, {"received_date": DAY, "sender": "Dinas Sosial",
                                        "subject": "Pendataan"}, files=files)

    def scans_at_receiver() -> int:
        return int(receiver.db().execute(
            "SELECT count(*) FROM attachments WHERE owner_table = 'letters_in' "
            "AND deleted_at IS NULL").fetchone()[0])

    summary = import_one(receiver, export(village, tmp_path / "one"))
    assert summary.status == "imported", summary.message
    assert scans_at_receiver() == 0  # not ticked: the letter travels, its scan stays
    record = books.get(village, MASUK, letter)
    books.edit(village, MASUK, letter, dict(record.values, send_scan="ya"))
    summary = import_one(receiver, export(village, tmp_path / "two"))
    assert summary.status == "imported", summary.message
    assert scans_at_receiver() == 1  # ticked since: the scan written earlier goes now


def test_a_musyawarah_warga_starts_the_officers_record_in_the_profile(village_session,
                                                                      village):
    from kt_desktop.services import profile as profile_service

    plain = hold_meeting(village_session, village)
    with pytest.raises(ValidationError) as refused:
        rapat.start_officers_term(village_session, plain)
    assert refused.value.message == "Hanya Musyawarah Warga yang memilih pengurus."
    meeting = hold_meeting(village_session, village, kind="musyawarah", day=dt.date(2025, 1, 11),
                           title="Musyawarah Warga", elected="Ketua: Dedi Kurniawan\n"
                           "Sekretaris: Rina Marlina\nBendahara: Ujang Supriatna\nSeksi: -")
    profile = rapat.start_officers_term(village_session, meeting)
    assert (profile.ketua, profile.sekretaris, profile.bendahara) == (
        "Dedi Kurniawan", "Rina Marlina", "Ujang Supriatna")
    assert (profile.term_start, profile.term_end) == (dt.date(2025, 1, 11),
                                                     dt.date(2030, 1, 10))
    assert profile.sk_number == "" and profile_service.load_profile(village_session).ketua == (
        "Dedi Kurniawan")


def test_an_incoming_letter_due_soon_is_on_beranda_until_done(village_session):
    letter = books.add(village_session, MASUK, {
        "received_date": DAY, "sender": "Dinas Sosial", "subject": "Pendataan PPKS",
        "disposition_to": "Sekretaris", "due_date": DAY + dt.timedelta(days=5)})

    def shown(today: dt.date) -> list[Any]:
        return [r for r in dashboard.summary(village_session, today).reminders
                if "Pendataan PPKS" in r.text]

    assert shown(DAY) == []  # due in five days: not yet
    [soon] = shown(DAY + dt.timedelta(days=3))
    assert soon.text == ("Surat masuk “Pendataan PPKS” dari Dinas Sosial: tindak lanjuti "
                         "paling lambat 9 Oktober 2025 (Sekretaris)") and not soon.warning
    assert shown(DAY + dt.timedelta(days=6))[0].warning  # late
    record = books.get(village_session, MASUK, letter)
    books.edit(village_session, MASUK, letter, dict(record.values, state="selesai"))
    assert shown(DAY + dt.timedelta(days=6)) == []


def test_kelengkapan_names_a_meeting_held_without_minutes(village_session, village):
    from kt_desktop.services import completeness

    written = hold_meeting(village_session, village)
    bare = hold_meeting(village_session, village, title="Rapat evaluasi", decisions="",
                        day=DAY + dt.timedelta(days=7), followups=[])
    rows = [dict(r.values, id=r.id, minutes="")
            for r in rapat.get(village_session, bare).agenda]
    books.edit(village_session, RAPAT, bare, rapat.get(village_session, bare).record.values,
               children={"acara": rows})
    gaps = [g for g in completeness.gaps(village_session, DAY + dt.timedelta(days=30))
            if g.kind == "meeting_minutes"]
    assert [(g.text, g.page, g.target) for g in gaps] == [
        ("Rapat evaluasi (11 Oktober 2025)", "rapat", bare)]
    assert written not in {g.target for g in gaps}
    later = completeness.gaps(village_session, DAY + dt.timedelta(days=400))  # a year on
    assert not [g for g in later if g.kind == "meeting_minutes"]
