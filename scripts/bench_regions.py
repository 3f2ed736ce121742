"""Time ``kt_desktop.regions``: the first load, then ``children()`` and ``search()``.

The speed targets (under 20 ms per lookup after the first load, first load well under
300 ms) are reported here rather than unit-tested, since timings depend on the machine and
on what else runs on it.  Wall-clock and CPU (thread) times are both printed: on a busy
machine the wall clock also counts time spent waiting for a CPU.

Usage (from the repository root)::

    .venv/bin/python scripts/bench_regions.py [--calls 200] [--loads 5] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kt_desktop import regions  # noqa: E402


def first_load() -> dict[str, float]:
    """Import and first lookup in this (fresh) process, in ms."""
    wall, cpu = time.perf_counter(), time.thread_time()
    regions.get("36")
    return {
        "wall": (time.perf_counter() - wall) * 1000,
        "cpu": (time.thread_time() - cpu) * 1000,
    }


def fresh_loads(count: int) -> list[dict[str, float]]:
    """The first load measured in ``count`` new processes, so none finds anything cached."""
    results = []
    for _ in range(count):
        out = subprocess.run(
            [sys.executable, __file__, "--first-load-only"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results.append(json.loads(out))
    return results


def timed(call: Callable[..., object], argument_lists: list[tuple]) -> tuple[list, list]:
    """Wall and CPU milliseconds of ``call(*arguments)`` for each argument tuple."""
    walls, cpus = [], []
    for arguments in argument_lists:
        wall, cpu = time.perf_counter(), time.thread_time()
        call(*arguments)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.thread_time() - cpu) * 1000)
    return walls, cpus


def report(label: str, walls: list[float], cpus: list[float]) -> None:
    print(
        f"{label:<34} wall median {statistics.median(walls):6.2f} ms  max {max(walls):6.2f} ms"
        f"   cpu median {statistics.median(cpus):6.2f} ms  max {max(cpus):6.2f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--loads", type=int, default=5, help="fresh processes for the load")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--first-load-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.first_load_only:
        print(json.dumps(first_load()))
        return 0

    load = first_load()
    print(f"first load (this process): wall {load['wall']:.1f} ms, cpu {load['cpu']:.1f} ms")
    if args.loads:
        loads = fresh_loads(args.loads)
        walls = sorted(x["wall"] for x in loads)
        cpus = sorted(x["cpu"] for x in loads)
        print(
            f"first load in {args.loads} fresh processes: wall {', '.join(f'{w:.0f}' for w in walls)}"
            f" ms; cpu {', '.join(f'{c:.0f}' for c in cpus)} ms"
        )

    rng = random.Random(args.seed)
    provinces = [r.code for r in regions.children(None)]
    kabupaten = [k.code for p in provinces for k in regions.children(p)]
    kecamatan = [k.code for kab in rng.sample(kabupaten, 60) for k in regions.children(kab)]
    parents = [None, *provinces, *kabupaten, *kecamatan]
    villages = [v for kec in rng.sample(kecamatan, 40) for v in regions.children(kec)]
    names = [r.name for r in villages] + [regions.get(c).name for c in kecamatan]  # type: ignore[union-attr]

    def fragment() -> str:
        name = rng.choice(names)
        size = rng.randint(2, min(7, len(name)))
        start = rng.randint(0, len(name) - size)
        return name[start : start + size]

    n = args.calls
    regions._children_cache.clear()  # time the first, uncached call for each parent too
    report(f"children() x{n}", *timed(regions.children, [(rng.choice(parents),) for _ in range(n)]))
    report(
        f"search() nation-wide x{n}",
        *timed(regions.search, [(fragment(),) for _ in range(n)]),
    )
    report(
        f"search() in a kabupaten x{n}",
        *timed(regions.search, [(fragment(), rng.choice(kabupaten)) for _ in range(n)]),
    )
    report(
        f"search() in a province x{n}",
        *timed(regions.search, [(fragment(), rng.choice(provinces)) for _ in range(n)]),
    )
    hard = ["a", "ng", "ua", "un", "an", "sindang", "baros", "kp.", "tek-tek", "zzz", "2"]
    report(
        f"search() short/common/absent x{len(hard) * 4}",
        *timed(regions.search, [(q, None, lv) for q in hard for lv in (None, 1, 3, 4)]),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
