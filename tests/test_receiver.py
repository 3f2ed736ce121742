"""The receiver's view of its villages (issue 7): reporting, totals, duplicates, village
status, the export and the aggregate PDF — checked against figures counted independently
from the rows the real bundles brought."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from kt_desktop import cli, regions
from kt_desktop.domain import members as member_rules
from kt_desktop.domain.errors import KtError, ValidationError
from kt_desktop.services import receiver as service
from kt_desktop.services import receiver_export
from kt_desktop.services.session import Session, open_session
from kt_desktop.store import audit
from tests.test_receiver_kit import (
    BAROS,
    CIPARE,
    CISALAM,
    INJECTION,
    LEFT_OUT,
    PANDEGLANG,
    VILLAGES,
    WORLD_MONTHS,
    Expected,
    World,
    banten_demo,
    build_world,
    copy_receiver,
    data_year,
    expected,
    home,
    rows,
)

#: The receiver's today (in WIB, whatever zone the test machine's clock is set to).
TODAY = service.today_here()
#: The month the bundles made now count in (their Created-UTC read in WIB, as the store does).
MONTH = service.this_month(service.local_day(dt.datetime.now(dt.UTC)))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    folder = tmp_path_factory.mktemp("receiver")
    with home(folder / "home"):
        return build_world(folder, TODAY)


@pytest.fixture
def receiver(world: World, tmp_path: Path) -> Iterator[Session]:
    """A private copy of the receiver (tests may write to it)."""
    session = open_session(copy_receiver(world, tmp_path / "provinsi.sqlite"))
    yield session
    session.close()


def _year() -> service.Period:
    """The year the world's rows fall in (not always this year: see ``data_year``)."""
    return service.year_period(data_year(TODAY, WORLD_MONTHS))


def _banten() -> set[str]:
    return {place.code for place in service.places("36")}


# -- who reported ---------------------------------------------------------------------------
def test_reporting_table_counts_the_villages_whose_bundles_arrived(receiver: Session) -> None:
    table = service.reporting_table(receiver, MONTH)
    assert [row.name for row in table.rows] == [
        "Kabupaten Pandeglang", "Kabupaten Lebak", "Kabupaten Tangerang", "Kabupaten Serang",
        "Kota Tangerang", "Kota Cilegon", "Kota Serang", "Kota Tangerang Selatan",
    ]
    this = table.months.index(MONTH.key)
    sent = Counter(code[:5] for code in VILLAGES)  # LEFT_OUT never arrived
    assert {row.code: row.by_month[this] for row in table.rows if row.by_month[this]} == sent
    assert {row.code: row.enrolled for row in table.rows if row.enrolled} == sent
    assert table.total.by_month[this] == 4 and table.total.villages == 1552
    # The bundles made this month hold last month's data too: the villages reported for it
    # (issue 16); no month before the one preceding their first bundle is counted.
    assert sum(row.by_month[this - 1] for row in table.rows) == 4
    assert sum(row.by_month[this - 2] for row in table.rows) == 0

    serang = service.reporting_table(receiver, MONTH, "36.04")
    assert {row.name for row in serang.rows if row.enrolled} == {"Baros"}  # the kecamatan
    baros = service.reporting_table(receiver, MONTH, "36.04.22")
    assert {row.code: row.by_month[this] for row in baros.rows if row.enrolled} == {
        BAROS: 1, CISALAM: 1}
    assert LEFT_OUT in {row.code for row in baros.rows}


def test_missing_villages_are_those_left_out_with_their_last_bundle(receiver: Session) -> None:
    missing = service.missing_villages(receiver, MONTH)
    codes = {item.place.code for item in missing}
    assert codes == _banten() - set(VILLAGES)
    assert LEFT_OUT in codes
    left = next(item for item in missing if item.place.code == LEFT_OUT)
    assert not left.enrolled and left.last_bundle is None
    assert left.place.kecamatan == "Baros" and left.place.regency == "Kabupaten Serang"
    # A month in which nobody sent anything: every village is missing, with its last bundle.
    day = MONTH.start - dt.timedelta(days=40)
    earlier = service.month_period(day.year, day.month)
    before = {item.place.code: item for item in service.missing_villages(receiver, earlier)}
    assert len(before) == 1552
    assert before[BAROS].enrolled and before[BAROS].last_bundle is not None
    assert service.local_day(before[BAROS].last_bundle) in (TODAY, TODAY - dt.timedelta(1),
                                                            TODAY + dt.timedelta(1))
    never = service.missing_villages(receiver, earlier, never_only=True)
    assert {item.place.code for item in never} == _banten() - set(VILLAGES)


# -- totals ---------------------------------------------------------------------------------
def _assert_figures(figures: service.Figures, want: Expected) -> None:
    assert (figures.members_male, figures.members_female) == (want.members["L"],
                                                              want.members["P"])
    for key in member_rules.AGE_BANDS:
        assert figures.bands.get(key, [0, 0]) == [want.bands[(key, "L")],
                                                  want.bands[(key, "P")]], key
    assert figures.activities == dict(want.activities)
    assert {(code, sex): n for code, pair in figures.beneficiaries.items()
            for sex, n in zip("LP", pair, strict=True) if n} == dict(want.beneficiaries)
    assert (figures.trainings, figures.participants, figures.graduates) == (
        want.trainings, want.participants, want.graduates)
    assert (figures.employed, figures.business, figures.studying, figures.not_working) == (
        want.outcomes["bekerja"], want.outcomes["wirausaha"], want.outcomes["melanjutkan"],
        want.outcomes["belum_bekerja"])


def test_totals_equal_sums_counted_from_the_imported_rows(receiver: Session) -> None:
    period = _year()
    totals = service.totals(receiver, period)
    want = expected(receiver, period.start, period.end, set(VILLAGES))
    assert want.members["L"] + want.members["P"] > 60 and want.activities  # not vacuous
    assert want.trainings and want.participants and want.graduates
    _assert_figures(totals.all, want)
    assert (totals.all.villages, totals.all.enrolled) == (1552, 4)
    # every village of the world sent its bundle today
    assert service.totals(receiver, service.year_period(MONTH.start.year)).all.reported == 4

    # by region: Serang holds two of the villages
    serang = next(f for code, _name, f in totals.by_region if code == "36.04")
    _assert_figures(serang, expected(receiver, period.start, period.end, {BAROS, CISALAM}))
    assert (serang.villages, serang.enrolled) == (326, 2)
    # and the same for the kabupaten's own view, whose rows are its kecamatan
    kabupaten = service.totals(receiver, period, "36.04")
    _assert_figures(kabupaten.all, expected(receiver, period.start, period.end,
                                            {BAROS, CISALAM}))
    assert {code for code, _n, f in kabupaten.by_region if f.enrolled} == {"36.04.22"}
    one = service.totals(receiver, MONTH, PANDEGLANG)
    assert one.all.villages == 1 and one.all.reported == 1


def test_desa_and_kelurahan_are_counted_apart(receiver: Session) -> None:
    period = _year()
    totals = service.totals(receiver, period)
    _assert_figures(totals.by_kind[service.KELURAHAN],
                    expected(receiver, period.start, period.end, {CIPARE}))
    _assert_figures(totals.by_kind[service.DESA],
                    expected(receiver, period.start, period.end, {BAROS, CISALAM, PANDEGLANG}))
    assert (totals.by_kind[service.DESA].villages,
            totals.by_kind[service.KELURAHAN].villages) == (1238, 314)


def test_figures_follow_a_new_bundle(world: World, receiver: Session, tmp_path: Path) -> None:
    """The roll-up is a cache: a village's next bundle is counted at the next look."""
    from kt_desktop.services import bundles
    from kt_desktop.store import records

    period = service.month_period(TODAY.year, TODAY.month)
    before = service.totals(receiver, period).all.activities.get("Uji Coba", 0)
    village_copy = tmp_path / "baros.sqlite"
    shutil.copy(world.villages[BAROS], village_copy)
    village = open_session(village_copy)
    try:
        records.insert(village.db(), "activities", {
            "title": "Uji", "kind": "Uji Coba", "status": "terlaksana",
            "start_date": TODAY.replace(day=1).isoformat(), "volunteers": 0,
        }, village_code=BAROS, actor="Tes")
        bundle = bundles.export(village, dest_dir=tmp_path).path
    finally:
        village.close()
    summary = bundles.import_files(receiver, [bundle]).bundles[0]
    assert summary.status == bundles.IMPORTED, summary.message
    assert service.totals(receiver, period).all.activities.get("Uji Coba", 0) == before + 1
    this_year = service.year_period(TODAY.year)  # the year the new activity falls in
    assert service.totals(receiver, this_year).all.activities["Uji Coba"] >= before + 1


def _without_zeros(figures: service.Figures) -> service.Figures:
    """The figures with empty entries left out (a sum of villages has no row for a zero)."""
    return service.Figures(**{
        **{name: getattr(figures, name) for name in service.Figures.__dataclass_fields__},
        "bands": {k: v for k, v in figures.bands.items() if any(v)},
        "activities": {k: v for k, v in figures.activities.items() if v},
        "beneficiaries": {k: v for k, v in figures.beneficiaries.items() if any(v)},
    })


def test_a_province_reads_kabupaten_sums_equal_to_its_villages(
    receiver: Session, tmp_path: Path
) -> None:
    """Issue 22: a province-wide view reads the roll-up summed by kabupaten/kota and status
    (8,563 villages in Jawa Tengah); every figure must equal what its villages add up to —
    the kabupaten's own view, which reads the villages' rows — also after statuses change
    a desa's bucket, and on a file whose sums were never made (made by an older program)."""
    from kt_desktop.store import receiver as store

    def same_as_villages(period: service.Period) -> service.Totals:
        province = service.totals(receiver, period)
        assert service.rollup_problems(receiver.db()) == []
        enrolled = [(code, f) for code, _name, f in province.by_region if f.enrolled]
        assert len(enrolled) >= 2 and province.all.activities  # not vacuous
        for code, figures in enrolled:
            own = service.totals(receiver, period, code)
            assert _without_zeros(figures) == _without_zeros(own.all), code
        assert sum(f.members for _c, _n, f in province.by_region) == province.all.members
        return province

    period = _year()
    before = same_as_villages(period)
    assert receiver.db().execute(
        "SELECT count(*) FROM receiver_rollup_region").fetchone()[0] > 0
    csv_file = tmp_path / "status.csv"
    csv_file.write_text(f"tahun,kode_desa,status\n{period.start.year},{BAROS},mandiri\n",
                        encoding="utf-8")
    service.import_village_status(receiver, csv_file)
    after = same_as_villages(period)
    assert _without_zeros(after.by_status["mandiri"]) == _without_zeros(
        service.totals(receiver, period, BAROS).all)
    assert _without_zeros(after.all) == _without_zeros(before.all)
    # a file whose kabupaten sums were never made gets them at the next look
    db = receiver.db()
    with db.atomic():
        db.execute("DELETE FROM receiver_rollup_region")
        db.execute("DELETE FROM settings WHERE key = ?", [store.REGION_SETTING])
    assert _without_zeros(service.totals(receiver, period).all) == _without_zeros(after.all)
    # a kabupaten sum changed behind the program's back is found by the check
    with db.atomic():
        db.execute("UPDATE receiver_rollup_region SET value = value + 1 WHERE metric = 'act' "
                   "AND (period, region, bucket, key) = (SELECT period, region, bucket, key "
                   "FROM receiver_rollup_region WHERE metric = 'act' LIMIT 1)")
    problems = service.rollup_problems(db)
    assert len(problems) == 1 and "hitung ulang" in problems[0], problems


# -- village status -------------------------------------------------------------------------
def test_village_status_csv_is_imported_and_splits_the_totals(
    receiver: Session, tmp_path: Path
) -> None:
    csv_file = tmp_path / "status.csv"
    # semicolons, a BOM, codes dotted and not, header in another order and case
    csv_file.write_text(
        "\ufeffTahun;KODE_DESA;Status;Sumber\n"
        f"2024;{BAROS};Mandiri;BPS Podes\n"
        f"2024;{CISALAM.replace('.', '')};tertinggal;BPS Podes\n"
        f"2020;{BAROS};tertinggal;BPS Podes\n"
        f"2024;{PANDEGLANG};berkembang;\n",
        encoding="utf-8",
    )
    result = service.import_village_status(receiver, csv_file)
    assert (result.rows, result.villages, result.years) == (4, 3, (2020, 2024))
    period = _year()
    totals = service.totals(receiver, period)
    assert totals.status_year == 2024
    _assert_figures(totals.by_status["mandiri"], expected(receiver, period.start, period.end,
                                                          {BAROS}))
    _assert_figures(totals.by_status["tertinggal"], expected(receiver, period.start,
                                                             period.end, {CISALAM}))
    _assert_figures(totals.by_status[service.KELURAHAN],
                    expected(receiver, period.start, period.end, {CIPARE}))
    assert totals.by_status["mandiri"].villages == 1
    assert totals.by_status[service.NO_STATUS].villages == 1238 - 3
    # the 2020 status is the one in force for 2021
    older = service.totals(receiver, service.year_period(2021))
    assert older.by_status["tertinggal"].villages == 1
    assert older.by_status["mandiri"].villages == 0


def test_a_bad_status_csv_names_every_wrong_row_and_changes_nothing(
    receiver: Session, tmp_path: Path
) -> None:
    good = tmp_path / "good.csv"
    good.write_text(f"kode,status,tahun,sumber\n{BAROS},mandiri,2023,BPS\n", encoding="utf-8")
    service.import_village_status(receiver, good)
    before = receiver.db().execute("SELECT * FROM village_status").fetchall()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "kode,status,tahun,sumber\n"
        f"{CISALAM},berkembang,2024,BPS\n"  # row 2: good, yet not imported
        "36.04.22.9999,mandiri,2024,BPS\n"  # 3: no such village
        f"{CIPARE},mandiri,2024,BPS\n"  # 4: a kelurahan
        f"{PANDEGLANG},maju,2024,BPS\n"  # 5: not a status here
        f"{PANDEGLANG},mandiri,dua ribu,BPS\n"  # 6: not a year
        f"{CISALAM},mandiri,2024,BPS\n"  # 7: twice in the file
        "32.01.01.2001,mandiri,2024,BPS\n",  # 8: Jawa Barat, outside the area
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as refused:
        service.import_village_status(receiver, bad)
    message = refused.value.message
    assert "bad.csv" in message and "tidak ada yang diubah" in message
    for row in (3, 4, 5, 6, 7, 8):
        assert f"baris {row}:" in message
    assert "baris 2:" not in message
    assert "kelurahan" in message and "maju" in message and "dua ribu" in message
    assert receiver.db().execute("SELECT * FROM village_status").fetchall() == before

    missing = tmp_path / "missing.csv"
    missing.write_text("kode,status\n36.04.22.2001,mandiri\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="tahun"):
        service.import_village_status(receiver, missing)


# -- duplicates, areas, data per village ----------------------------------------------------
def test_the_same_nik_live_in_two_villages_is_listed(world: World, receiver: Session) -> None:
    # counted independently: NIKs of live (not left) members in more than one village
    villages_of: dict[str, set[str]] = {}
    for m in rows(receiver, "members"):
        if m["nik"] and m["status"] != "keluar":
            villages_of.setdefault(m["nik"], set()).add(m["village_code"])
    want = {nik for nik, codes in villages_of.items() if len(codes) > 1}
    assert world.duplicate_nik in want

    page = service.duplicates(receiver)
    assert page.total == len(want)
    group = next(g for g in page.rows if g.nik.endswith(world.duplicate_nik[-4:])
                 and {e.village_code for e in g.entries} == {BAROS, CISALAM})
    assert group.nik == "\u2022" * 12 + world.duplicate_nik[-4:]
    assert group.newest.village_code == CISALAM  # registered today
    assert {e.name for e in group.entries} == {world.names[BAROS]}
    assert service.duplicates(receiver, "36.01").total == 0
    assert service.duplicates(receiver, "36.04").total >= 1


def test_a_village_file_and_areas_outside_the_receiver_are_refused(
    world: World, receiver: Session
) -> None:
    village = open_session(world.villages[BAROS])
    try:
        with pytest.raises(KtError, match="berkas penerima"):
            service.totals(village, _year())
    finally:
        village.close()
    with pytest.raises(ValidationError) as outside:
        service.reporting_table(receiver, _year(), "32.01")
    assert outside.value.code == "outside_area"
    with pytest.raises(ValidationError, match="2026-13"):
        service.parse_period("2026-13")
    assert service.parse_period(" 2026-02 ").end == dt.date(2026, 2, 28)
    assert service.parse_period("2024").is_year


def test_a_kabupaten_receiver_sees_only_its_kabupaten(tmp_path: Path) -> None:
    demo_script = banten_demo()
    summary = demo_script.build(tmp_path / "serang.sqlite", area="36.04",
                                name="Karang Taruna Kabupaten Serang", villages=6, months=3,
                                seed=3, today=TODAY)
    session = open_session(summary.path)
    try:
        totals = service.totals(session, service.this_month(TODAY))
        assert totals.area == "36.04" and totals.all.villages == 326
        assert {code[:8] for code, _n, _f in totals.by_region} == {
            r.code for r in regions.children("36.04")}
        missing = service.missing_villages(session, service.this_month(TODAY))
        assert all(item.place.code.startswith("36.04.") for item in missing)
        with pytest.raises(ValidationError):
            service.totals(session, _year(), "36.01")
        with pytest.raises(ValidationError):
            service.village_members(session, "36.01.01.2002")
    finally:
        session.close()


def test_the_data_of_one_village_is_paged_with_niks_masked(receiver: Session) -> None:
    members = [m for m in rows(receiver, "members") if m["village_code"] == BAROS]
    first = service.village_members(receiver, BAROS, limit=10)
    assert first.total == len(members) and len(first.rows) == 10
    rest = service.village_members(receiver, BAROS, offset=10, limit=1000)
    shown = first.rows + rest.rows
    assert len(shown) == len(members)
    assert sorted(m.name.casefold() for m in shown) == [m.name.casefold() for m in shown]
    by_name = {m["name"]: m["nik"] for m in members}
    for member in shown:
        real = by_name[member.name]
        assert member.nik == ("\u2022" * 12 + real[-4:] if real else "")
    activities = service.village_activities(receiver, BAROS)
    assert activities.total == len([a for a in rows(receiver, "activities")
                                    if a["village_code"] == BAROS])
    dates = [a.start_date for a in activities.rows]
    assert dates == sorted(dates, reverse=True)
    trainings = service.village_trainings(receiver, BAROS)
    assert trainings.total == len([t for t in rows(receiver, "trainings")
                                   if t["village_code"] == BAROS]) > 0


def test_the_desa_page_lists_every_village_of_the_area(receiver: Session) -> None:
    overview = service.village_overview(receiver, today=TODAY)
    assert len(overview) == 1552
    enrolled = {v.place.code: v for v in overview if v.enrolled}
    assert set(enrolled) == set(VILLAGES)
    baros = enrolled[BAROS]
    assert baros.bundles == 1 and baros.gaps == () and baros.open_conflicts == 0
    assert baros.reported_this_month and len(baros.fingerprint.split()) == 8
    left = next(v for v in overview if v.place.code == LEFT_OUT)
    assert not left.enrolled and left.last_bundle is None


# -- output ---------------------------------------------------------------------------------
def test_the_workbook_has_a_sheet_per_table_and_masked_niks(
    receiver: Session, tmp_path: Path
) -> None:
    out = tmp_path / "banten.xlsx"
    result = receiver_export.export_xlsx(receiver, out, period=_year())
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["Rekap", "Anggota", "Kegiatan", "Penerima Manfaat", "Pelatihan",
                               "Peserta Pelatihan", "Hasil Pelatihan"]
    sheet = list(book["Anggota"].iter_rows(values_only=True))
    header, body = sheet[0], sheet[1:]
    members = rows(receiver, "members")
    assert len(body) == len(members) == result.rows["members"]
    nik = header.index("NIK")
    real = {m["id"]: m["nik"] for m in members}
    for line in body:
        want = real[line[header.index("ID")]]
        assert line[nik] == ("\u2022" * 12 + want[-4:] if want else None)
    assert isinstance(body[0][header.index("Tanggal Lahir")], dt.datetime)
    injected = next(line for line in body if line[header.index("Nama")] == INJECTION)
    assert injected[header.index("Kode Wilayah")] == CIPARE  # stored as text, not a formula
    period = _year()
    done = [a for a in rows(receiver, "activities")
            if period.start.isoformat() <= a["start_date"] <= period.end.isoformat()]
    assert result.rows["activities"] == len(done) == sum(
        1 for _row in book["Kegiatan"].iter_rows()) - 1
    rekap = [row for row in book["Rekap"].iter_rows(values_only=True)]
    start = next(i for i, row in enumerate(rekap)
                 if row and str(row[0]).startswith("Jumlah per wilayah"))
    total = next(row for row in rekap[start:] if row and row[0] == "Jumlah")
    totals = service.totals(receiver, period)
    assert total[4:6] == (totals.all.members_male, totals.all.members_female)
    assert not any(entry.action == "reveal" for entry in audit.entries(receiver.db()))

    full = receiver_export.export_xlsx(receiver, tmp_path / "full.xlsx", period=period,
                                       reveal_nik=True)
    assert full.nik_revealed
    book = load_workbook(tmp_path / "full.xlsx", read_only=True)
    sheet = list(book["Anggota"].iter_rows(values_only=True))
    assert {line[nik] for line in sheet[1:]} - {None} == {n for n in real.values() if n}
    assert any(entry.action == "reveal" for entry in audit.entries(receiver.db()))


def test_csv_files_are_written_with_injection_neutralized(
    receiver: Session, tmp_path: Path
) -> None:
    result = receiver_export.export_csv(receiver, tmp_path / "csv", period=_year())
    files = sorted(p.name for p in (tmp_path / "csv").iterdir())
    assert files == sorted([*receiver_export.SUMMARY_FILES,
                            *(s.file_name for s in receiver_export.SHEETS)])
    text = (tmp_path / "csv" / "anggota.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("Kode Wilayah;Desa/Kelurahan;ID;Nama;NIK")
    assert len(lines) - 1 == result.rows["members"]
    assert "'" + INJECTION.replace('"', '""') in text
    assert "\u2022" * 12 in text


def test_the_pdf_report_prints_the_figures(receiver: Session, tmp_path: Path) -> None:
    period = _year()
    pdf = service.build_report(receiver, period, tmp_path / "rekap.pdf", today=TODAY)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    totals = service.totals(receiver, period)
    assert "KARANG TARUNA PROVINSI BANTEN" in text
    assert "REKAPITULASI DATA KARANG TARUNA" in text
    assert f"Provinsi Banten · Tahun {period.start.year}" in text
    assert "Dari 1.552 desa dan kelurahan di Provinsi Banten, 4 memiliki" in text
    section = text.split("II. Rekap per kabupaten/kota")[1]
    serang = next(line for line in section.splitlines()
                  if line.strip().startswith("Kabupaten Serang"))
    members = next(f for code, _n, f in totals.by_region if code == "36.04")
    cells = serang.split()
    # villages, enrolled, reported in the period, male members: as the totals count them
    assert cells[2:6] == ["326", "2", str(members.reported), str(members.members_male)]
    assert "Sidamukti" in text  # left out: in the list of villages without data
    assert "Halaman 1 dari" in text
    assert "Mandiri" not in text.split("IV.")[0]  # the status table comes after
    assert "Ketua" in text or "Sekretaris" in text


def test_the_command_line_makes_the_report_and_the_workbook(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = copy_receiver(world, tmp_path / "p.sqlite")
    out = tmp_path / "rekap.pdf"
    code = cli.run(["report", "receiver", "--period", MONTH.key, "--out", str(out),
                    "--data", str(data), "--json"])
    assert code == 0 and out.stat().st_size > 10_000
    assert '"report": "receiver"' in capsys.readouterr().out
    with pytest.raises(SystemExit) as usage:
        cli.run(["report", "receiver", "--period", "2026-13", "--out", str(out),
                 "--data", str(data)])
    assert usage.value.code == 2
    assert cli.run(["export", "xlsx", "--out", str(tmp_path / "x.xlsx"), "--data",
                    str(data)]) == 0
    assert (tmp_path / "x.xlsx").exists()
    written = capsys.readouterr().out
    assert "  Anggota: " in written and "  Penerima Manfaat: " in written  # the sheets' names
    assert "members:" not in written
    assert cli.run(["receiver", "summary", "--json", "--data", str(data)]) == 0
    assert '"reported": 4' in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("kode,status,tahun\n36.04.22.2001,hebat,2024\n", encoding="utf-8")
    assert cli.run(["receiver", "status-import", str(bad), "--data", str(data)]) == 1
    assert "baris 2" in capsys.readouterr().err


# -- the scale demo (small) -----------------------------------------------------------------
def test_the_demo_leaves_out_villages_and_the_receiver_finds_them(tmp_path: Path) -> None:
    demo_script = banten_demo()
    summary = demo_script.build(tmp_path / "banten.sqlite", villages=40, months=6, seed=11,
                                today=TODAY)
    assert summary.never and summary.stopped and summary.moved
    session = open_session(summary.path)
    try:
        month = service.this_month(TODAY)
        missing = {m.place.code for m in service.missing_villages(session, month)}
        reported = set(summary.enrolled) - set(summary.not_this_month)
        assert missing == _banten() - reported
        never = {m.place.code for m in service.missing_villages(session, month,
                                                                never_only=True)}
        assert never == _banten() - set(summary.enrolled)
        assert set(summary.never) <= never
        for code, last in summary.stopped.items():
            day = next(v for v in service.village_overview(session, today=TODAY)
                       if v.place.code == code).last_bundle
            assert day is not None and service.local_day(day).strftime("%Y-%m") == last
        table = service.reporting_table(session, month)
        assert table.total.by_month[-1] == len(reported)
        duplicated = {group.nik[-4:] for group in service.duplicates(session,
                                                                     limit=1000).rows}
        assert {nik[-4:] for nik, _a, _b in summary.moved} <= duplicated
        totals = service.totals(session, service.year_period(TODAY.year))
        assert totals.all.enrolled == len(summary.enrolled)
        assert totals.by_status["mandiri"].villages + totals.by_status[
            "berkembang"].villages + totals.by_status["tertinggal"].villages == len(
            [c for c in summary.villages if c[9] == "2"])
    finally:
        session.close()


def test_the_workbook_writer_escapes_text_and_continues_long_sheets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(receiver_export, "MAX_SHEET_ROWS", 3)
    columns = [receiver_export.Column("Teks"), receiver_export.Column("Angka", "n"),
               receiver_export.Column("Tanggal", "d")]
    rows = [
        ["A & B <c>", 1, "2026-11-28"],
        [" spasi di depan", 2.5, "bukan tanggal"],
        ["kontrol\x01\x1f dibuang", "tiga", None],
        ["=1+1", 4, dt.date(2020, 2, 29)],
        ["terakhir", 5, ""],
    ]
    path = tmp_path / "x.xlsx"
    writer = receiver_export.XlsxWriter(path)
    assert writer.write_sheet("Data: [uji]", columns, rows) == 5
    writer.close()
    book = load_workbook(path)
    assert book.sheetnames == ["Data- -uji-", "Data- -uji- (2)"]
    first = [[cell.value for cell in row] for row in book.worksheets[0].iter_rows()]
    second = [[cell.value for cell in row] for row in book.worksheets[1].iter_rows()]
    assert first[0] == ["Teks", "Angka", "Tanggal"] and second[0] == first[0]
    assert first[1] == ["A & B <c>", 1, dt.datetime(2026, 11, 28)]
    assert first[2] == [" spasi di depan", 2.5, "bukan tanggal"]
    assert first[3] == ["kontrol dibuang", "tiga", None]
    assert second[1] == ["=1+1", 4, dt.datetime(2020, 2, 29)]  # text, never a formula
    assert book.worksheets[1]["A2"].data_type == "s"
    assert second[2] == ["terakhir", 5, None]


def _cell_value(value: object, kind: str) -> object:
    """What a spreadsheet reader finds in a cell written from ``value`` (issue 22)."""
    if value is None or value == "":
        return None
    if kind == receiver_export.DATE:
        try:
            return dt.datetime.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
    if kind == receiver_export.NUMBER and type(value) in (int, float):
        return value
    return str(value)


@pytest.mark.parametrize("helper", [False, True], ids=["one process", "with the helper"])
def test_every_sheet_of_the_workbook_holds_its_rows_with_their_formats(
    receiver: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helper: bool
) -> None:
    """Issue 22 made the workbook's writer faster: every sheet must still hold exactly the
    rows of its table — text as text, numbers as numbers, dates as dates shown dd/mm/yyyy,
    empty cells empty — under a bold header, in the tables' order, as before; also when a
    helper process wrote some of the sheets (a large workbook), whose compressed members
    go into the ZIP as they are (``zipfile`` checks every member's CRC)."""
    monkeypatch.setattr(receiver_export, "PARALLEL_MIN_RECORDS", 0 if helper else 10**12)
    adopted: list[str] = []
    adopt = receiver_export.XlsxWriter.adopt
    monkeypatch.setattr(receiver_export.XlsxWriter, "adopt",
                        lambda self, part: (adopted.append(part.key), adopt(self, part)))
    period = _year()
    out = tmp_path / "ekspor" / "rekap.xlsx"
    out.parent.mkdir()
    from kt_desktop.services.progress import Progress

    bar: list[tuple[int, int]] = []
    result = receiver_export.export_xlsx(
        receiver, out, period=period,
        progress=Progress(lambda done, total, _text: bar.append((done, total))))
    area = receiver_export._prepare(receiver, {"period": period}).area
    assert bar == sorted(bar) and bar[-1][0] == bar[-1][1]  # the bar never goes back
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
    assert [path.name for path in out.parent.iterdir()] == ["rekap.xlsx"]  # no helper files
    assert adopted == (list(receiver_export.HELPER_SHEETS) if helper else [])
    assert list(result.rows) == [sheet.key for sheet in receiver_export.SHEETS]
    book = load_workbook(out)
    assert book.sheetnames == ["Rekap", *(sheet.title for sheet in receiver_export.SHEETS)]
    for sheet in receiver_export.SHEETS:
        table = book[sheet.title]
        header = next(table.iter_rows(max_row=1))
        assert [cell.value for cell in header] == [column.header for column in sheet.columns]
        assert all(cell.font.b for cell in header)
        want = [
            [_cell_value(value, column.kind)
             for value, column in zip(row, sheet.columns, strict=True)]
            for row in receiver_export._rows(receiver, sheet, area, period, False)
        ]
        cells = list(table.iter_rows(min_row=2, max_col=len(sheet.columns)))
        assert [[cell.value for cell in line] for line in cells] == want, sheet.title
        assert len(want) == result.rows[sheet.key] > 0, sheet.title
        for line in cells:
            for cell, column in zip(line, sheet.columns, strict=True):
                if column.kind == receiver_export.DATE and cell.value is not None:
                    assert cell.number_format == "dd/mm/yyyy"
                elif cell.value is not None:
                    assert cell.number_format == "General"
                    assert cell.data_type == ("n" if column.kind == receiver_export.NUMBER
                                              and type(cell.value) in (int, float) else "s")
    rekap = [list(line) for line in book["Rekap"].iter_rows(values_only=True)]
    summary = receiver_export.summary_rows(receiver, area, period)
    width = max(len(line) for line in summary)
    assert [line[:width] for line in rekap] == [
        [None if value == "" else value for value in line] + [None] * (width - len(line))
        for line in summary
    ]


def test_the_fast_row_writer_equals_the_cell_by_cell_one() -> None:
    """The workbook's rows are written by functions made for each sheet's columns (issue 22);
    whatever a village's data holds, their cells must be byte for byte those of the plain
    cell-by-cell writer: escaped text, dropped control characters, kept spaces, text that
    is not a date or not a number, empty cells left out."""
    import random

    odd = [
        "", None, " spasi", "spasi ", "A & B", "<b>", "]]>", "biasa", "kontrol\x01", "\x7f",
        "\u3000lebar", "tab\tdi tengah", "\u2022\u2022\u20221234", "Anak 5\u201317", "=1+1",
        "x" * 40_000, 0, 7, -2.5, 1.0, 10**20, float("nan"), True, b"bytes", "2026-01-03",
        "2024-02-29", "2026-02-30", "2026-01-03T10:00:00Z", dt.date(2020, 2, 29), "%s {n}",
    ]
    plain = ["Baros", "33.01.01.2001", None, "", 3, 2.5, "2026-11-28"]
    draw = random.Random(22)
    for kinds in (("t", "n", "d"), ("d", "t", "t", "n", "d", "n", "t"),
                  tuple(column.kind for column in receiver_export.SHEETS[0].columns)):
        texts = tuple(index for index, kind in enumerate(kinds) if kind == "t")
        # without and with the text cells remembered per value (Column.repeats)
        for fast in (receiver_export._row_renderer(kinds),
                     receiver_export._row_renderer(kinds, texts)):
            for number in range(2, 6000):
                width = len(kinds) if draw.random() < 0.9 else draw.choice([0, 1, len(kinds) + 2])
                pool = odd if draw.random() < 0.4 else plain
                row = [draw.choice(pool) for _column in range(width)]
                want = receiver_export._render_row(kinds, row, str(number))
                assert fast(row, str(number)) == want, row


def test_a_full_disk_while_writing_a_sheet_leaves_no_workbook(
    receiver: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sheets' rows are compressed and written on a second thread (issue 22): a write
    failing there still ends the export with the Indonesian sentence and no file."""
    import threading
    import zipfile

    write = zipfile._ZipWriteFile.write  # type: ignore[attr-defined]
    seen: list[int] = []

    def full(self: object, data: bytes) -> int:
        if self._zinfo.filename == "xl/worksheets/sheet2.xml":  # type: ignore[attr-defined]
            seen.append(len(data))
            if threading.current_thread() is not threading.main_thread():  # the rows
                raise OSError(28, "No space left on device")
        return write(self, data)

    monkeypatch.setattr(zipfile._ZipWriteFile, "write", full)  # type: ignore[attr-defined]
    out = tmp_path / "penuh.xlsx"
    with pytest.raises(KtError) as refused:
        receiver_export.export_xlsx(receiver, out, period=_year())
    assert refused.value.code == "unwritable" and "disk penuh" in refused.value.message
    assert len(seen) == 3 and not out.exists()  # the sheet's start, header and first rows
    assert not (tmp_path / f".{out.name}.part").exists()
    assert not any(entry.action == "export" for entry in audit.entries(receiver.db()))


@pytest.mark.parametrize("helper", [False, True], ids=["one process", "with the helper"])
def test_cancelling_amid_a_sheets_rows_stops_the_writing_thread_and_leaves_no_file(
    receiver: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helper: bool
) -> None:
    """Cancel while rows are being written (and compressed on the second thread, issue 22):
    the export stops with "Dibatalkan", no workbook or part file is left, no thread lives
    on, and no helper process either (a large workbook's)."""
    import multiprocessing
    import threading

    from kt_desktop.services.progress import Cancelled, Progress

    monkeypatch.setattr(receiver_export, "PARALLEL_MIN_RECORDS", 0 if helper else 10**12)
    monkeypatch.setattr(receiver_export, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(receiver_export, "ROWS_PER_CHUNK", 1)
    ticks: list[str] = []

    def told(_done: int, _total: int, text: str) -> None:
        if text.endswith(" 2"):  # the second row of the first table sheet is written
            ticks.append(text)
            progress.cancel()

    progress = Progress(told)
    out = tmp_path / "ekspor" / "batal.xlsx"
    out.parent.mkdir()
    with pytest.raises(Cancelled) as cancelled:
        receiver_export.export_xlsx(receiver, out, period=_year(), progress=progress)
    assert "Dibatalkan" in cancelled.value.message and len(ticks) == 1
    assert list(out.parent.iterdir()) == []  # no workbook, part file or helper folder
    assert not any(thread.name == "xlsx-write" for thread in threading.enumerate())
    assert multiprocessing.active_children() == []


def test_a_workbook_whose_helper_process_fails_is_written_whole_all_the_same(
    receiver: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The helper of a large workbook cannot read the file (here: it is sent to a file that
    does not exist): the exporting process writes the helper's sheets itself, and the
    workbook holds every row, as one written without a helper."""
    monkeypatch.setattr(receiver_export, "PARALLEL_MIN_RECORDS", 10**12)
    alone = receiver_export.export_xlsx(receiver, tmp_path / "sendiri.xlsx", period=_year())
    monkeypatch.setattr(receiver_export, "PARALLEL_MIN_RECORDS", 0)
    receiver.db()  # this thread's connection is open; the helper is sent elsewhere
    monkeypatch.setattr(receiver, "path", tmp_path / "tidak-ada.sqlite")
    out = tmp_path / "ekspor" / "rekap.xlsx"
    out.parent.mkdir()
    result = receiver_export.export_xlsx(receiver, out, period=_year())
    assert "helper process failed" in caplog.text
    assert result.rows == alone.rows and all(result.rows.values())
    assert [path.name for path in out.parent.iterdir()] == ["rekap.xlsx"]
    mine = [[list(r) for r in sheet.iter_rows(values_only=True)]
            for sheet in load_workbook(out).worksheets]
    theirs = [[list(r) for r in sheet.iter_rows(values_only=True)]
              for sheet in load_workbook(alone.path).worksheets]
    assert mine == theirs


def test_a_village_reported_for_november_when_it_sent_it_on_6_december(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    """Issue 16: the receiver counted a village by the month its bundle was made, so the
    November data sent on 6 December was listed as not reporting for November. A village has
    reported for a month when the receiver holds its data covering it: a bundle made after the
    month ended, or its monthly report notes of the month."""
    from kt_desktop.domain import clock
    from kt_desktop.store import report_queries
    from tests.test_bundles_kit import add_members, export, import_paths

    village, receiver = pair
    code = village.code
    november, october = service.month_period(2026, 11), service.month_period(2026, 10)
    with clock.frozen(dt.datetime(2026, 12, 6, 3, 0)):  # 10.00 WIB
        add_members(village, 2)
        import_paths(receiver, export(village, tmp_path / "dec"))
    with clock.frozen(dt.datetime(2026, 12, 7, 2, 0)):
        assert code not in {m.place.code for m in service.missing_villages(receiver, november)}
        table = service.reporting_table(receiver, november, code)
        assert table.total.by_month[table.months.index("2026-11")] == 1
        # October lies before the month preceding the first bundle: not reported.
        assert code in {m.place.code for m in service.missing_villages(receiver, october)}
        # A bundle made during November would not have covered November (it was not over).
    with clock.frozen(dt.datetime(2026, 12, 7, 3, 0)):
        # The village's monthly report notes of September, sent along, report September.
        report_queries.save_monthly_notes(
            village.db(), report_queries.MonthlyNotes(month="2026-09", nomor_surat="1/KT/IX",
                                                      kendala="", rencana=""),
            village_code=code, actor="test")
        import_paths(receiver, export(village, tmp_path / "notes"))
        september = service.month_period(2026, 9)
        assert code not in {m.place.code for m in service.missing_villages(receiver, september)}
        assert code in {m.place.code for m in service.missing_villages(receiver, october)}


def test_trainings_ended_counts_only_trainings_that_have_ended(
    pair: tuple[Session, Session], tmp_path: Path
) -> None:
    """Issue 16: the receiver's "Pelatihan selesai" counted a training still running (it
    ends later this month) as finished."""
    from kt_desktop.domain import clock
    from kt_desktop.domain.trainings import Training
    from kt_desktop.services import trainings
    from tests.test_bundles_kit import export, import_paths

    village, receiver = pair
    december = service.month_period(2026, 12)
    with clock.frozen(dt.datetime(2026, 12, 7, 3, 0)):
        for title, start, end in (("Pelatihan Menjahit", 1, 5), ("Pelatihan Barista", 3, 23)):
            trainings.save_training(village, Training(
                title=title, skill_field="Keterampilan", organizer="Karang Taruna",
                start_date=dt.date(2026, 12, start), end_date=dt.date(2026, 12, end)))
        import_paths(receiver, export(village, tmp_path / "out"))
        assert service.totals(receiver, december).all.trainings == 1
        assert service.totals(receiver, service.year_period(2026)).all.trainings == 1
    with clock.frozen(dt.datetime(2026, 12, 24, 3, 0)):  # the day after the Barista's last
        assert service.totals(receiver, december).all.trainings == 2


# -- the roll-up equals a full recount --------------------------------------------------------
def test_the_rollup_equals_a_recount_after_reimport_tombstone_and_conflict(
    world: World, receiver: Session, tmp_path: Path
) -> None:
    """The views read the roll-up; whatever arrives, it must equal counting from scratch,
    and ``check`` says so (and names a figure that does not)."""
    from kt_desktop.services import bundles
    from kt_desktop.services.check import check
    from kt_desktop.store import connection, records

    def clean() -> None:
        service.prepare_figures(receiver, today=TODAY)
        assert service.rollup_problems(receiver.db()) == []

    clean()
    for folder in "abc":
        (tmp_path / folder).mkdir()
    village = open_session(shutil.copy(world.villages[BAROS], tmp_path / "baros.sqlite"))
    try:
        day = TODAY.replace(day=1).isoformat()
        first = records.insert(village.db(), "activities", {
            "title": "Uji", "kind": "Uji Coba", "status": "terlaksana", "start_date": day,
            "volunteers": 0}, village_code=BAROS, actor="Tes")
        second = records.insert(village.db(), "activities", {
            "title": "Uji 2", "kind": "Uji Coba", "status": "terlaksana", "start_date": day,
            "volunteers": 0}, village_code=BAROS, actor="Tes")
        bundle = bundles.export(village, dest_dir=tmp_path / "a").path
        assert bundles.import_files(receiver, [bundle]).bundles[0].status == bundles.IMPORTED
        clean()
        assert bundles.import_files(receiver, [bundle]).bundles[0].status == bundles.ALREADY
        clean()
        records.tombstone(village.db(), "activities", first, clear=(), actor="Tes")
        restored_path = tmp_path / "restored.sqlite"
        with connection.copying_to(village.db(), restored_path):
            village.db().execute("VACUUM INTO ?", [str(restored_path)])
        records.update(village.db(), "activities", second, {"kind": "Kerja bakti"}, actor="Tes")
        bundle = bundles.export(village, dest_dir=tmp_path / "b").path
        assert bundles.import_files(receiver, [bundle]).bundles[0].status == bundles.IMPORTED
        clean()
        restored = open_session(restored_path)
        try:
            records.update(restored.db(), "activities", second, {"kind": "Donor darah"},
                           actor="Tes")
            # its next number was the village's own already: refused, then sent full
            same = bundles.export(restored, dest_dir=tmp_path / "c").path
            assert bundles.import_files(receiver, [same]).bundles[0].status != bundles.IMPORTED
            bundle = bundles.export(restored, dest_dir=tmp_path / "c", full=True).path
        finally:
            restored.close()
    finally:
        village.close()
    summary = bundles.import_files(receiver, [bundle]).bundles[0]
    assert summary.status == bundles.IMPORTED and summary.conflicts >= 1, summary.message
    clean()
    totals = service.totals(receiver, service.month_period(TODAY.year, TODAY.month)).all
    assert totals.activities.get("Uji Coba", 0) == 0  # one removed, the other re-kinded
    # a figure changed behind the program's back is found by the check, and recounted
    metric, period, code, key = receiver.db().execute(
        "SELECT metric, period, village_code, key FROM receiver_rollup "
        "WHERE metric = 'act' LIMIT 1").fetchone()
    receiver.db().execute(
        "UPDATE receiver_rollup SET value = value + 1 WHERE metric = ? AND period = ? "
        "AND village_code = ? AND key = ?", [metric, period, code, key])
    receiver.db().conn.commit()
    result = check(receiver.path)
    assert not result.ok
    assert any("hitung ulang" in line for line in result.problems), result.problems
    assert cli.run(["check", "--data", str(receiver.path)]) == 1
    assert cli.run(["receiver", "recount", "--data", str(receiver.path)]) == 0
    assert check(receiver.path).ok


def test_the_rollup_finds_a_batch_s_activities_by_village_without_statistics(
    tmp_path: Path,
) -> None:
    """A receiver that only ever imported has no planner statistics (no ANALYZE). The
    roll-up must still find a batch's activities through the village index, not read every
    activity carried out in the province (37 s instead of 1.6 s a batch in Jawa Tengah)."""
    from kt_desktop.services.setup import init_receiver
    from kt_desktop.store import receiver as store

    path = tmp_path / "provinsi.sqlite"
    init_receiver(path, "33", "Karang Taruna Provinsi Jawa Tengah")
    session = open_session(path)
    try:
        db = session.db()
        assert db.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()[0] == 0
        for statement in (store._COUNT_ACTIVITIES, store._COUNT_BENEFICIARIES,
                          store._COUNT_FUNDS):
            select = statement[statement.index("SELECT"):]
            plan = " | ".join(row[3] for row in db.execute(
                f"EXPLAIN QUERY PLAN {select}", {"codes": "[]", "length": 7}))
            assert "idx_receiver_activities_village" in plan, plan
            assert "idx_activities_status" not in plan, plan
    finally:
        session.close()


def _searches(db: Any, sql: str, params: Any) -> list[str]:
    """The SEARCH steps of ``sql``'s plan, in loop order."""
    return [row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            if row[3].startswith("SEARCH")]


def test_a_province_s_joins_look_up_children_within_the_village(tmp_path: Path) -> None:
    """The roll-up and the workbook find an activity's beneficiaries and funds, a training's
    participants and follow-ups, and a participant's member by village *and* parent
    (migration 26). Keyed on the parent's random id alone, the look-ups of one village were
    spread over the whole province's index: the workbook of Jawa Tengah read 57 s instead
    of 26 s. Checked in a file without planner statistics, as an import leaves it."""
    from kt_desktop.services.setup import init_receiver
    from kt_desktop.store import receiver as store

    path = tmp_path / "provinsi.sqlite"
    init_receiver(path, "33", "Karang Taruna Provinsi Jawa Tengah")
    session = open_session(path)
    try:
        db = session.db()
        rollup = {"codes": "[]", "length": 7}
        plans = {
            "ben": _searches(db, store._COUNT_BENEFICIARIES[
                store._COUNT_BENEFICIARIES.index("SELECT"):], rollup),
            "fund": _searches(db, store._COUNT_FUNDS[store._COUNT_FUNDS.index("SELECT"):],
                              rollup),
            "train": _searches(db, store._COUNT_TRAININGS[
                store._COUNT_TRAININGS.index("WITH"):], rollup),
        }
        for sheet, query in store.EXPORTS.items():
            where, params = store.area_clause(query.area_column, "33")
            plans[sheet] = _searches(
                db, f"SELECT {query.select} FROM {query.source} AND {where} "
                f"ORDER BY {query.order}", params)
        # The outer loop reads the parents of the area by village; no step looks a child,
        # a parent or a member up by a random id alone.
        by_id_alone = ("idx_activity_beneficiaries_activity", "idx_activity_funds_activity",
                       "idx_training_participants_training", "idx_training_outcomes_training",
                       " (id=?)")
        for name, steps in plans.items():
            assert "village_code>? AND village_code<?" in steps[0] or (
                "(village_code=?)" in steps[0]), (name, steps)
            assert not [step for step in steps if any(i in step for i in by_id_alone)], (
                name, steps)
        expected = {
            "ben": "idx_receiver_beneficiaries_village", "fund": "idx_receiver_funds_village",
            "train": "idx_receiver_participants_village",
            "activities": "idx_receiver_funds_village",
            "beneficiaries": "idx_receiver_beneficiaries_village",
            "participants": "sqlite_autoindex_members_1",  # the key (migration 27)
            "outcomes": "idx_receiver_outcomes_village",
        }
        for name, index in expected.items():
            assert any(f"{index} (village_code=? AND" in step for step in plans[name]), (
                name, plans[name])
    finally:
        session.close()
