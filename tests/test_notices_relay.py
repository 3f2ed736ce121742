"""Notices with attachments and reference updates (applied only after the secretary
confirms), and the kabupaten relay: 100 villages' bundles through a kabupaten give the
province the same data as a direct import (issue 21)."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kt_desktop import regions
from kt_desktop.bundles import collect, crypto, documents, keys, write
from kt_desktop.bundles import format as fmt
from kt_desktop.bundles.errors import BundleError
from kt_desktop.services import (
    activities,
    bundles,
    dashboard,
    members,
    notices,
    receipts,
    relay,
    trainings,
)
from kt_desktop.services.session import Session, open_session
from kt_desktop.services.setup import init_receiver
from kt_desktop.store import migrations
from tests.conftest import run_cli
from tests.test_bundles_kit import (
    add_members,
    entries,
    export,
    import_one,
    record_digest,
    repack,
)


# -- notices ------------------------------------------------------------------------------------
@pytest.fixture
def known_pair(pair: tuple[Session, Session], tmp_path: Path) -> tuple[Session, Session]:
    village, receiver = pair
    add_members(village, 1)
    assert import_one(receiver, export(village, tmp_path / "usb")).ok
    return village, receiver


def _notice(receiver: Session, tmp_path: Path, **kwargs: object) -> Path:
    (out := tmp_path / f"out-{uuid.uuid4().hex[:6]}").mkdir()
    poster = tmp_path / "Poster Lomba.pdf"
    poster.write_bytes(b"%PDF-1.4 poster lomba karang taruna\n")
    kwargs.setdefault("attachments", [poster])
    made = notices.make_notice(receiver, title="Lomba Karang Taruna 2027",
                               text="Pendaftaran dibuka sampai 31 Januari.", out_dir=out,
                               **kwargs)  # type: ignore[arg-type]
    return made.path


def test_notice_with_updates_waits_for_the_secretary(
    known_pair: tuple[Session, Session], tmp_path: Path
) -> None:
    village, receiver = known_pair
    updates = [
        notices.value_update(notices.ACTIVITY_KIND, "Lomba desa bersih"),
        notices.value_update(notices.SKILL, "Perawatan panel surya"),
        notices.age_rule_update(16, 30, "Permensos No. 9 Tahun 2025", dt.date(2026, 1, 1)),
    ]
    path = _notice(receiver, tmp_path, updates=updates)
    assert path.name.startswith("Pengumuman - Lomba Karang Taruna 2027 - ")
    rule_before = members.age_rule(village)
    imported = notices.import_notice(village, path)
    assert imported.notice.state == "new" and imported.notice.files == ("Poster Lomba.pdf",)
    # nothing applied before she confirms
    assert members.age_rule(village) == rule_before
    assert "Lomba desa bersih" not in activities.suggestions(village).kinds
    reminders = [r.text for r in dashboard.summary(village).reminders]
    assert any("Lomba Karang Taruna 2027" in r and "persetujuan" in r for r in reminders)

    applied = notices.apply_notice(village, imported.notice.id)
    assert applied.state == "applied"
    rule = members.age_rule(village)
    assert (rule.min_age, rule.max_age, rule.basis) == (16, 30, "Permensos No. 9 Tahun 2025")
    assert rule.effective_date == dt.date(2026, 1, 1)
    assert "Lomba desa bersih" in activities.suggestions(village).kinds
    assert "Perawatan panel surya" in trainings.skill_field_choices(village)
    saved = notices.save_attachment(village, applied.id, "Poster Lomba.pdf", tmp_path)
    assert saved.read_bytes().startswith(b"%PDF-1.4 poster")
    with pytest.raises(BundleError):
        notices.apply_notice(village, applied.id)  # once


def test_notice_dismissed_changes_nothing(known_pair: tuple[Session, Session], tmp_path: Path) -> None:
    village, receiver = known_pair
    path = _notice(receiver, tmp_path, updates=[notices.value_update(notices.SKILL, "Perawatan panel surya")])
    notice = notices.import_notice(village, path).notice
    assert notices.dismiss_notice(village, notice.id).state == "dismissed"
    assert "Perawatan panel surya" not in trainings.skill_field_choices(village)


def test_notice_by_cli(
    known_pair: tuple[Session, Session], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    village, receiver = known_pair
    (text := tmp_path / "isi.txt").write_text("Pelatihan barista gratis.", encoding="utf-8")
    (out := tmp_path / "out").mkdir()
    code, stdout, err = run_cli(
        capsys, "notice", "make", "--title", "Pelatihan", "--text", str(text), "--out", str(out),
        "--add-skill", "Perawatan panel surya", "--age-rule", "16-30", "--basis", "Permensos No. 9 Tahun 2025",
        "--from", "2026-01-01", "--data", str(receiver.path), "--json",
    )
    assert code == 0, err
    (path,) = out.glob("*.ktr")
    code, stdout, err = run_cli(capsys, "notice", "import", str(path), "--data", str(village.path))
    assert code == 0, err
    assert "Belum ada yang diterapkan" in stdout and "16-30 tahun" in stdout
    code, stdout, err = run_cli(capsys, "notice", "apply", "1", "--data", str(village.path))
    assert code == 0 and "Diterapkan" in stdout, err


def test_notice_refusals_change_nothing(known_pair: tuple[Session, Session], tmp_path: Path) -> None:
    village, receiver = known_pair
    first = _notice(receiver, tmp_path)
    second = _notice(receiver, tmp_path)
    notices.import_notice(village, second)
    with pytest.raises(BundleError) as replay:
        notices.import_notice(village, first)
    assert replay.value.code == "replay"
    data = bytearray(second.read_bytes())
    data[len(data) // 2] ^= 0x01
    (bad := tmp_path / "rusak.ktr").write_bytes(bytes(data))
    with pytest.raises(BundleError) as damaged:
        notices.import_notice(village, bad)
    assert damaged.value.code == "damaged"
    (cut := tmp_path / "potong.ktr").write_bytes(second.read_bytes()[:-10])
    with pytest.raises(BundleError) as truncated:
        notices.import_notice(village, cut)
    assert truncated.value.code == "truncated"
    assert len(notices.notices(village)) == 1
    # a receipt is not a notice, and the other way round
    with pytest.raises(BundleError) as kind:
        receipts.import_receipt(village, second)
    assert kind.value.code == "not_document" and "pengumuman" in kind.value.message


# -- relay ---------------------------------------------------------------------------------------
PROVINCE = "36"
KABUPATEN = "36.04"


def _villages(count: int) -> list[str]:
    """Real desa/kelurahan codes of Kabupaten Serang."""
    found: list[str] = []
    for kecamatan in regions.children(KABUPATEN):
        found += [region.code for region in regions.children(kecamatan.code)]
        if len(found) >= count:
            return found[:count]
    raise AssertionError("not enough villages")


def _bundles_of(template: Session, codes: list[str]) -> dict[str, bytes]:
    """One signed bag per village: the template village's members under each code, with a
    key of its own (no village file needed: fast)."""
    collected = collect.collect(template.db(), since=0, village_code=template.code)
    members_table = next(t for t in collected.tables if t.name == "members")
    id_at = members_table.columns.index("id")
    code_at = members_table.columns.index("village_code")
    bags = {}
    for code in codes:
        rows = []
        for row in members_table.rows:
            row = list(row)
            row[id_at] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{code}/{row[id_at]}"))
            row[code_at] = code
            rows.append(tuple(row))
        key = Ed25519PrivateKey.generate()
        info = fmt.BagInfo(
            village_code=code, bundle_seq=1, since_seq=0, upto_seq=collected.upto_seq,
            schema_version=migrations.schema_version(template.db()), record_counts={},
            created_utc="2026-11-30T03:00:00Z", app_version="tes",
            signing_key=documents.public_bytes(key), village_name=f"KT {code}",
        )
        bags[code] = write.build_bag(
            info, [write.TableRows("members", members_table.columns, rows)], {}, key
        )
    return bags


def test_relay_of_100_villages_gives_the_same_province_data(
    village_session: Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_members(village_session, 3)
    codes = _villages(100)
    bags = _bundles_of(village_session, codes)
    sessions = {}
    for name, area in (("direct", PROVINCE), ("relayed", PROVINCE), ("kabupaten", KABUPATEN)):
        init_receiver(tmp_path / f"{name}.sqlite", area, f"Penerima {name}")
        sessions[name] = open_session(tmp_path / f"{name}.sqlite")
    direct, relayed, kabupaten = sessions["direct"], sessions["relayed"], sessions["kabupaten"]
    try:
        province_key = keys.encryption_public_key(direct.db())
        bundles.export_receiver_key(direct, tmp_path / "provinsi.ktkey", email="prov@example.id")
        # the relayed province is the same province: same key (a copy of its file)
        for setting in (keys.ENCRYPTION_PRIVATE, keys.ENCRYPTION_PUBLIC):
            value = direct.db().execute("SELECT value FROM settings WHERE key = ?", [setting]).fetchone()[0]
            relayed.db().execute("UPDATE settings SET value = ? WHERE key = ?", [value, setting])
        bundles.import_receiver_key(kabupaten, tmp_path / "provinsi.ktkey")
        kabupaten_key = keys.encryption_public_key(kabupaten.db())
        (incoming := tmp_path / "masuk").mkdir()
        (straight := tmp_path / "langsung").mkdir()
        for number, code in enumerate(codes):
            # half the villages encrypt to the kabupaten, half to the province already
            to = kabupaten_key if number % 2 else province_key
            name = fmt.file_name(code, 1, "20261130")
            (incoming / name).write_bytes(crypto.seal(bags[code], to))
            (straight / name).write_bytes(crypto.seal(bags[code], province_key))
        (out := tmp_path / "ke-provinsi").mkdir()
        code, stdout, err = run_cli(capsys, "bundle", "forward", str(incoming), "--out", str(out),
                                    "--data", str(kabupaten.path), "--json")
        assert code == 0, err
        assert len(list(out.glob("*.ktb"))) == 100

        direct_report = bundles.import_files(direct, [straight], trust_new=True)
        relayed_report = bundles.import_files(relayed, [out], trust_new=True)
        assert direct_report.count(bundles.IMPORTED) == 100, direct_report.bundles[0].message
        assert relayed_report.count(bundles.IMPORTED) == 100, relayed_report.bundles[0].message
        assert {s.via for s in relayed_report.bundles} == {"Penerima kabupaten"}
        for village in codes:
            assert record_digest(direct.db(), village) == record_digest(relayed.db(), village)
        count = "SELECT count(*) FROM members WHERE village_code LIKE '36.04.%'"
        assert direct.db().execute(count).fetchone()[0] == 300
        assert relayed.db().execute(count).fetchone()[0] == 300
        pinned = "SELECT code, public_key, last_seq FROM villages ORDER BY code"
        assert direct.db().execute(pinned).fetchall() == relayed.db().execute(pinned).fetchall()
        # the way it came is kept, and receipts go back the same way (a kabupaten subfolder)
        (back := tmp_path / "tanda-terima").mkdir()
        made = receipts.make_receipts(relayed, back, village=codes[0])
        assert made[0].via == "Penerima kabupaten"
        assert made[0].path.parent.name == "Lewat Penerima kabupaten"
        (to_villages := tmp_path / "ke-desa").mkdir()
        passed = relay.forward(kabupaten, [made[0].path], to_villages)
        assert [item.status for item in passed.items] == [relay.COPIED]
        assert (to_villages / made[0].path.name).read_bytes() == made[0].path.read_bytes()
    finally:
        for session in sessions.values():
            session.close()


def test_relay_refuses_a_bundle_outside_the_kabupaten(
    village_session: Session, tmp_path: Path
) -> None:
    add_members(village_session, 1)
    init_receiver(tmp_path / "kab.sqlite", "36.01", "Kabupaten Pandeglang")
    init_receiver(tmp_path / "prov.sqlite", PROVINCE, "Provinsi")
    kabupaten, province = open_session(tmp_path / "kab.sqlite"), open_session(tmp_path / "prov.sqlite")
    try:
        bundles.export_receiver_key(province, tmp_path / "p.ktkey")
        with pytest.raises(BundleError) as no_key:
            relay.forward(kabupaten, [tmp_path], tmp_path)
        assert no_key.value.code == "no_receiver_key"
        bundles.import_receiver_key(kabupaten, tmp_path / "p.ktkey")
        (bag,) = _bundles_of(village_session, ["36.04.22.2001"]).values()
        (source := tmp_path / "in.ktb").write_bytes(
            crypto.seal(bag, keys.encryption_public_key(kabupaten.db())))
        (out := tmp_path / "out").mkdir()
        report = relay.forward(kabupaten, [source], out)
        assert [item.error_code for item in report.items] == ["outside_area"]
        assert list(out.iterdir()) == []
    finally:
        kabupaten.close()
        province.close()


def test_a_relay_with_a_changed_village_bag_is_refused(
    village_session: Session, tmp_path: Path
) -> None:
    """The kabupaten cannot change a village's data on the way: the village signature is
    checked on the bag inside, whatever the kabupaten signed."""
    add_members(village_session, 1)
    init_receiver(tmp_path / "prov.sqlite", PROVINCE, "Provinsi")
    province = open_session(tmp_path / "prov.sqlite")
    try:
        (bag,) = _bundles_of(village_session, ["36.04.22.2001"]).values()
        files = entries(bag)
        files["data/members.jsonl"] = files["data/members.jsonl"].replace(b"Anggota", b"Palsu")
        changed = repack(files)
        key = keys.encryption_public_key(province.db())
        assert key is not None
        forged = documents.relay(
            crypto.seal(changed, key), file_name="x", village_code="36.04.22.2001", seq=1,
            signing_key=Ed25519PrivateKey.generate(), sender="Kabupaten Nakal", area_code="36.04",
            reply_to="", created_utc="2026-12-01T00:00:00Z", schema_version=1, seal_to=key,
        )
        summary = import_one(province, ("relay.ktb", forged))
        assert summary.status == bundles.REFUSED
        assert summary.error_code == "hash_mismatch", summary.message
        assert province.db().execute("SELECT count(*) FROM members").fetchone()[0] == 0
    finally:
        province.close()
