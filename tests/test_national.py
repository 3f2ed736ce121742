"""Province → national aggregates: signed like a bundle, only figures, summed right."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

import pytest

from kt_desktop import cli
from kt_desktop.bundles import documents
from kt_desktop.services import bundles, national
from kt_desktop.services.session import Session, open_session
from kt_desktop.services.setup import init_receiver
from tests.test_receiver_kit import banten_demo

#: The demo's "today": fixed, so the test does not depend on the day it runs.
TODAY = dt.date(2026, 11, 28)
YEAR = TODAY.year


@pytest.fixture(scope="module")
def provinces(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two small provinces made by the demo generator: Banten and Jawa Tengah."""
    folder = tmp_path_factory.mktemp("provinces")
    demo = banten_demo()
    made = {}
    for code, seed in (("36", 3), ("33", 5)):
        summary = demo.build(folder / f"p{code}.sqlite", area=code, villages=8, months=14,
                             seed=seed, today=TODAY, members=20, trainings=2)
        made[code] = summary.path
    return made


def _export(path: Path, out: Path) -> national.MadeAggregate:
    out.mkdir(parents=True, exist_ok=True)
    session = open_session(path)
    try:
        return national.export_aggregate(session, out, year=YEAR)
    finally:
        session.close()


def _national(tmp_path: Path) -> Session:
    init_receiver(tmp_path / "nasional.sqlite", "00", "Pengurus Nasional Karang Taruna")
    return open_session(tmp_path / "nasional.sqlite")


def _independent(path: Path) -> dict[str, Counter[str]]:
    """Totals of the year counted straight from the province's records, without the roll-up."""
    session = open_session(path)
    try:
        db = session.db()
        where = ("a.deleted_at IS NULL AND a.status = 'terlaksana' "
                 f"AND a.start_date BETWEEN '{YEAR}-01-01' AND '{YEAR}-12-31'")
        acts = Counter({k: n for k, n in db.execute(
            f"SELECT kind, count(*) FROM activities a WHERE {where} GROUP BY kind")})
        bens = Counter({"all": db.execute(
            "SELECT coalesce(sum(b.count), 0) FROM activities a JOIN activity_beneficiaries b "
            f"ON b.activity_id = a.id WHERE b.deleted_at IS NULL AND {where}").fetchone()[0]})
        funds = Counter({s: n for s, n in db.execute(
            "SELECT f.source, sum(f.amount) FROM activities a JOIN activity_funds f "
            f"ON f.activity_id = a.id WHERE f.deleted_at IS NULL AND {where} GROUP BY 1")})
        trainings = Counter({"trainings": db.execute(
            "SELECT count(*) FROM trainings WHERE deleted_at IS NULL AND end_date BETWEEN ? "
            "AND ?", [f"{YEAR}-01-01", f"{YEAR}-12-31"]).fetchone()[0]})
        niks = [row[0] for row in db.execute(
            "SELECT nik FROM members WHERE nik IS NOT NULL LIMIT 200")]
        names = [row[0] for row in db.execute("SELECT name FROM members LIMIT 200")]
        return {"act": acts, "ben": bens, "fund": funds, "train": trainings,
                "nik": Counter(niks), "name": Counter(names)}
    finally:
        session.close()


def test_the_national_recap_equals_totals_counted_from_the_provinces_records(
    provinces: dict[str, Path], tmp_path: Path
) -> None:
    made = [_export(path, tmp_path / "out") for path in provinces.values()]
    assert all(one.bytes < 5_000_000 and one.rows > 0 for one in made)
    target = _national(tmp_path)
    try:
        report = bundles.import_files(target, [tmp_path / "out"], trust_new=True)
        assert [s.status for s in report.bundles] == [bundles.IMPORTED] * 2, [
            s.message for s in report.bundles]
        recap = national.national_recap(target, YEAR)
    finally:
        target.close()
    want = [_independent(path) for path in provinces.values()]
    acts = sum((w["act"] for w in want), Counter())
    assert {k: recap.total("act", k) for k in acts} == dict(acts)
    assert recap.total("act") == sum(acts.values())
    assert recap.total("ben") == sum(w["ben"]["all"] for w in want)
    funds = sum((w["fund"] for w in want), Counter())
    assert {k: recap.total("fund", k) for k in funds} == dict(funds)
    assert recap.total("train", "trainings") == sum(w["train"]["trainings"] for w in want)
    assert [line.code for line in recap.provinces] == ["33", "36"]
    assert recap.villages == 8563 + 1552  # the provinces' villages, from the region list


def test_an_aggregate_carries_no_name_and_no_nik(provinces: dict[str, Path],
                                                 tmp_path: Path) -> None:
    made = _export(provinces["36"], tmp_path)
    document = documents.open_document(made.path.read_bytes(), source=made.path.name,
                                       kind=documents.AGGREGATE, limits=national.LIMITS)
    text = b"".join(document.tables.values()).decode("utf-8") + str(document.payload)
    people = _independent(provinces["36"])
    assert people["nik"] and people["name"]
    assert not [nik for nik in people["nik"] if nik in text]
    assert not [name for name in people["name"] if name in text]
    assert set(document.tables) == {national.KEYS_TABLE, national.VILLAGES_TABLE}


def test_aggregates_are_refused_when_damaged_replayed_or_signed_by_another_key(
    provinces: dict[str, Path], tmp_path: Path
) -> None:
    first = _export(provinces["36"], tmp_path / "1")
    second = _export(provinces["36"], tmp_path / "2")
    assert second.seq == first.seq + 1
    target = _national(tmp_path)
    try:
        def one(name: str, data: bytes, trust: bool = True) -> bundles.BundleSummary:
            return bundles.import_files(target, [(name, data)], trust_new=trust).bundles[0]

        def figures() -> int:
            return target.db().execute("SELECT count(*) FROM national_totals").fetchone()[0]

        data = second.path.read_bytes()
        refused = one("baru.kta", data, trust=False)  # a new province's key is confirmed
        assert refused.status == bundles.REFUSED and refused.error_code == "untrusted"
        assert "sidik jari" in refused.message
        flipped = bytearray(data)
        flipped[len(flipped) // 2] ^= 0x40
        bad = one("rusak.kta", bytes(flipped))
        assert bad.status == bundles.REFUSED and "rusak" in bad.message, bad.message
        cut = one("terpotong.kta", data[: len(data) // 2])
        assert cut.status == bundles.REFUSED and cut.error_code == "truncated"
        assert figures() == 0
        assert one("baru.kta", data).status == bundles.IMPORTED
        count = figures()
        assert count > 0
        assert one("baru.kta", data).status == bundles.ALREADY
        replay = one("lama.kta", first.path.read_bytes())
        assert replay.status == bundles.REFUSED and replay.error_code == "replay"
        assert "lebih lama" in replay.message or "replay" in replay.message
        # another file claiming Banten, with its own key
        init_receiver(tmp_path / "palsu.sqlite", "36", "Bukan Banten")
        shutil.copy(provinces["36"], tmp_path / "dummy.sqlite")
        forged = _export(tmp_path / "palsu.sqlite", tmp_path / "3")
        wrong = one("palsu.kta", forged.path.read_bytes())
        assert wrong.status == bundles.REFUSED and wrong.error_code == "wrong_key"
        assert figures() == count
    finally:
        target.close()


def test_an_aggregate_is_not_a_bundle_and_a_bundle_not_an_aggregate(
    provinces: dict[str, Path], tmp_path: Path
) -> None:
    made = _export(provinces["33"], tmp_path)
    province = open_session(shutil.copy(provinces["36"], tmp_path / "banten.sqlite"))
    try:
        summary = bundles.import_files(province, [made.path]).bundles[0]
    finally:
        province.close()
    assert summary.status == bundles.REFUSED and "agregat" in summary.message
    kabupaten = tmp_path / "kab.sqlite"
    init_receiver(kabupaten, "36.04", "Kabupaten Serang")
    assert cli.run(["receiver", "aggregate-export", "--out", str(tmp_path),
                    "--data", str(kabupaten)]) == 1


def test_the_command_line_exports_imports_and_prints_the_recap(
    provinces: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "kirim"
    out.mkdir()
    for path in provinces.values():
        copy = shutil.copy(path, tmp_path / path.name)
        assert cli.run(["receiver", "aggregate-export", "--out", str(out), "--year",
                        str(YEAR), "--data", str(copy)]) == 0
    assert "tanpa nama" in capsys.readouterr().out
    assert cli.run(["init", "--national", "--name", "Nasional", "--data",
                    str(tmp_path / "n.sqlite")]) == 0
    assert cli.run(["bundle", "import", str(out), "--trust-new", "--data",
                    str(tmp_path / "n.sqlite")]) == 0
    capsys.readouterr()
    assert cli.run(["receiver", "national", "--year", str(YEAR), "--data",
                    str(tmp_path / "n.sqlite")]) == 0
    printed = capsys.readouterr().out
    assert "Jawa Tengah" in printed and "Banten" in printed and "Indonesia:" in printed
