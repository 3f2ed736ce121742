"""The benchmark's province step makes what it says: one first bundle per village, holding
the rows of a village of the receiver demo under the village's own code (issue 22)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from kt_desktop.services import bundles
from kt_desktop.services.session import open_session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import bench_bundles

RECORD_TABLES = ("members", "activities", "activity_beneficiaries", "trainings",
                 "training_attendance")


def _counts(path: Path, where: str = "1") -> dict[str, int]:
    session = open_session(path)
    try:
        return {
            table: session.db().execute(
                f"SELECT count(*) FROM [{table}] WHERE {where}").fetchone()[0]
            for table in RECORD_TABLES
        }
    finally:
        session.close()


def test_the_demo_mix_gives_each_village_a_demo_village_s_rows(tmp_path: Path) -> None:
    folder = tmp_path / "province"
    codes = bench_bundles._banten_villages(5, "36")
    rows = bench_bundles.prepare_province(folder, "36", "demo", codes, workers=2, pool=3)
    pool = _counts(folder / "demo-pool.sqlite")
    assert all(pool.values())  # members, activities and trainings with their rows

    target = tmp_path / "receiver.sqlite"
    shutil.copy(folder / "template.sqlite", target)
    receiver = open_session(target)
    try:
        report = bundles.import_files(receiver, [folder / "stick"], trust_new=True)
        assert report.count(bundles.IMPORTED) == len(codes)
        villages = [code for (code,) in receiver.db().execute(
            "SELECT DISTINCT village_code FROM members ORDER BY 1")]
    finally:
        receiver.close()
    assert villages == sorted(codes)
    imported = _counts(target)
    # the village at position i of the list holds the rows of the pool's village i (mod 3),
    # whichever of the two processes made its bundle
    templates, _schema = bench_bundles.demo_templates(folder / "demo-pool.sqlite")
    assert len(templates) == 3
    expected = [{t.name: len(t.rows) for t in templates[n % 3].tables} for n in range(5)]
    assert len({counts["members"] for counts in expected[:3]}) > 1  # the pool's villages differ
    for table in RECORD_TABLES:
        assert imported[table] == sum(counts[table] for counts in expected) > 0
    for code, counts in zip(codes, expected, strict=True):
        assert _counts(target, f"village_code = '{code}'")["members"] == counts["members"]
    assert rows == sum(sum(counts.values()) for counts in expected)

    # the floor the import is compared with: the same rows upserted plainly, twice (the
    # second time every row is there already), into the receiver's own schema
    plain = tmp_path / "plain.sqlite"
    shutil.copy(folder / "template.sqlite", plain)
    template = open_session(folder / "template.sqlite")
    try:
        for _run in range(2):
            assert bench_bundles._plain_upsert(
                plain, bench_bundles._batches(folder / "stick", template)) > 0
    finally:
        template.close()
    assert _counts(plain) == imported


def test_the_receiver_s_workbook_goal_is_issue_22_s_above_banten() -> None:
    """A province's receiver is measured against issue 22's workbook goal (60 s for Jawa
    Tengah's 8,563 villages), Banten's against issue 7's (30 s): 45 s meets the one and
    misses the other."""
    import benchmark

    run = {"open_s": [1.0], "views_s": {"rekap": 0.1}, "pdf_month_s": 1.0,
           "pdf_year_s": 1.0, "xlsx_year_s": 45.0}
    for villages, goal, met in ((8_563, "≤ 60 s (issue 22)", True),
                                (1_552, "≤ 30 s (issue 7)", False)):
        demo = {"villages": villages, "enrolled": villages, "megabytes": 1.0}
        [workbook] = [figure for figure in benchmark.receiver_figures([run], demo, None)
                      if figure.name == "workbook, this year"]
        assert (workbook.goal, workbook.met) == (goal, met)
    import bench_common

    assert bench_common.workbook_goal(8_563) == (60.0, "22")  # bench_receiver's own verdict
    assert bench_common.workbook_goal(1_482) == (30.0, "7")
