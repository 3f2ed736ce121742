"""Broken copies of a valid bundle, by the thousand: every one is refused with a typed
reason, quickly, and leaves the receiver as it was.

* every truncation at 64 evenly spaced lengths (encrypted and clear);
* 1,000 random single-byte changes of each (seeded, so a failure can be replayed);
* random changes *inside* the bag, re-sealed with a correct envelope (what an attacker who
  can compute a checksum produces): refused, or, where the byte was one the ZIP format
  ignores, read back to exactly the same rows.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kt_desktop.bundles.errors import CODES
from kt_desktop.services import bundles
from kt_desktop.services.session import Session
from kt_desktop.store import sync
from tests.test_bundles_kit import (
    add_activity,
    add_members,
    bag_of,
    export,
    open_pair,
    seal,
)

SEED = 20261130
SECONDS_PER_BUNDLE = 5.0


@dataclass
class Setting:
    receiver: Session
    encrypted: bytes
    clear: bytes
    bag: bytes


@pytest.fixture(scope="module")
def setting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setting]:
    folder = tmp_path_factory.mktemp("fuzz")
    village, receiver = open_pair(folder)
    add_members(village, 25)
    add_activity(village, photo=bytes(random.Random(SEED).randbytes(2048)))
    encrypted = export(village, folder / "usb").read_bytes()
    village.close()
    bag = bag_of(encrypted, receiver)
    yield Setting(receiver=receiver, encrypted=encrypted, clear=seal(bag), bag=bag)
    receiver.close()


def _refuse_all(setting: Setting, variants: list[tuple[str, bytes]]) -> dict[str, int]:
    db = setting.receiver.db()
    before = sync.canonical_digest(db)
    codes: dict[str, int] = {}
    for number, (label, data) in enumerate(variants):
        started = time.perf_counter()
        (summary,) = bundles.import_files(setting.receiver, [(label, data)], trust_new=True).bundles
        elapsed = time.perf_counter() - started
        assert summary.status == bundles.REFUSED, f"{label} was accepted"
        assert summary.error_code in CODES, (label, summary.error_code)
        assert elapsed < SECONDS_PER_BUNDLE, (label, elapsed)
        codes[summary.error_code] = codes.get(summary.error_code, 0) + 1
        if number % 250 == 0:
            assert sync.canonical_digest(db) == before, label
    assert sync.canonical_digest(db) == before
    return codes


def test_every_truncation_is_refused(setting: Setting) -> None:
    variants = []
    for name, data in (("encrypted", setting.encrypted), ("clear", setting.clear)):
        for step in range(64):
            length = len(data) * step // 64
            variants.append((f"{name}[:{length}]", data[:length]))
    codes = _refuse_all(setting, variants)
    assert set(codes) <= {"empty", "truncated"}, codes


def _mutations(data: bytes, count: int, rng: random.Random) -> list[tuple[int, bytes]]:
    out = []
    for _round in range(count):
        position = rng.randrange(len(data))
        changed = bytearray(data)
        changed[position] = (changed[position] + rng.randrange(1, 256)) % 256
        out.append((position, bytes(changed)))
    return out


def test_a_thousand_random_byte_changes_are_refused(setting: Setting) -> None:
    rng = random.Random(SEED)
    variants = []
    for name, data in (("encrypted", setting.encrypted), ("clear", setting.clear)):
        variants += [
            (f"{name}@{position}", changed) for position, changed in _mutations(data, 1000, rng)
        ]
    codes = _refuse_all(setting, variants)
    assert codes.get("damaged", 0) > 1500, codes  # nearly all: GCM tag or the checksum


def test_changes_inside_the_bag_are_refused_or_harmless(setting: Setting) -> None:
    """Re-sealed correctly, so the ZIP reader, caps and hashes face the damage themselves."""
    rng = random.Random(SEED + 1)
    db = setting.receiver.db()
    before = sync.canonical_digest(db)
    (baseline,) = bundles.import_files(
        setting.receiver, [("ok", setting.clear)], dry_run=True, trust_new=True
    ).bundles
    assert baseline.status == bundles.DRY_RUN
    harmless = 0
    for position, changed in _mutations(setting.bag, 400, rng):
        started = time.perf_counter()
        (summary,) = bundles.import_files(
            setting.receiver, [(f"bag@{position}", seal(changed))], dry_run=True, trust_new=True
        ).bundles
        assert time.perf_counter() - started < SECONDS_PER_BUNDLE
        if summary.status == bundles.REFUSED:
            assert summary.error_code in CODES
        else:  # a byte the format ignores (a timestamp, a spare field): same rows, same result
            assert summary.as_dict()["tables"] == baseline.as_dict()["tables"], position
            harmless += 1
    assert sync.canonical_digest(db) == before
    assert harmless < 100  # most bytes of a bag matter


def test_the_untouched_copies_are_still_accepted(setting: Setting, tmp_path: Path) -> None:
    """The control for the tests above: same receiver, the original bytes import."""
    for data in (setting.encrypted, setting.clear):
        (summary,) = bundles.import_files(
            setting.receiver, [("ok.ktb", data)], dry_run=True, trust_new=True
        ).bundles
        assert summary.status == bundles.DRY_RUN, summary.message
