"""Warm leaflet render, before and after a change, measured in ONE run (not a test).

Run: .venv/bin/python scripts/bench_warm_render.py OLD_CHECKOUT [--rounds 10] [--per 5]

OLD_CHECKOUT is a copy of an older commit (e.g. `git archive <commit> | tar -x -C /tmp/old`).
Two long-lived worker processes, one per checkout, each warm (WeasyPrint imported, fonts and
stylesheets loaded, 3 renders thrown away), render the standard example `--per` times per round;
the rounds alternate which side goes first, so machine load hits both alike. Prints the medians.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKER = r"""
import json, sys, time
root = sys.argv[1]
sys.path.insert(0, root)
from datetime import date
from counsel import paths
from counsel.services.casework import counsel_file
from counsel.services.leaflet import LeafletOptions, render_leaflet_pdf, warm_up
assert str(paths.PROJECT_ROOT.resolve()) == str(__import__("pathlib").Path(root).resolve())
today = date(2026, 11, 23)
result = counsel_file(paths.EXAMPLES_DIR / "standard-adult-start.json", today=today)
warm_up()
for _ in range(3):
    render_leaflet_pdf(result, LeafletOptions(), today=today)
print("ready", flush=True)
for line in sys.stdin:
    times = []
    for _ in range(int(line)):
        start = time.perf_counter()
        render_leaflet_pdf(result, LeafletOptions(), today=today)
        times.append(time.perf_counter() - start)
    print(json.dumps(times), flush=True)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="an older checkout")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--per", type=int, default=5, help="renders per side per round")
    args = parser.parse_args()
    roots = {"before": args.before.resolve(), "after": ROOT}
    procs = {k: subprocess.Popen([sys.executable, "-c", WORKER, str(r)], cwd=r, text=True,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE)
             for k, r in roots.items()}
    for proc in procs.values():
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    times: dict[str, list[float]] = {k: [] for k in roots}
    for i in range(args.rounds):
        for side in (list(roots) if i % 2 == 0 else list(reversed(roots))):
            proc = procs[side]
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write(f"{args.per}\n")
            proc.stdin.flush()
            times[side] += json.loads(proc.stdout.readline())
    for proc in procs.values():
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait()
    med = {k: statistics.median(v) for k, v in times.items()}
    n = len(times["after"])
    print(f"warm render, standard example, median of {n} each: before {med['before'] * 1000:.0f} ms,"
          f" after {med['after'] * 1000:.0f} ms ({(med['after'] / med['before'] - 1) * 100:+.1f}%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
