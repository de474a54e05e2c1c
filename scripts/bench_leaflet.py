"""Leaflet timings (not a test): cold CLI, warm render, project overhead, 50 leaflets on all cores.

Run: .venv/bin/python scripts/bench_leaflet.py [--n 20] [--batch 50]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from counsel import paths  # noqa: E402
from counsel.core.content import default_catalog  # noqa: E402
from counsel.core.rules import counsel_case  # noqa: E402
from counsel.services.casework import counsel_file  # noqa: E402
from counsel.services.leaflet import LeafletOptions, render_leaflet_pdf, warm_up  # noqa: E402

TODAY = date(2026, 11, 23)
STANDARD = paths.EXAMPLES_DIR / "standard-adult-start.json"
EXAMPLES = sorted(paths.EXAMPLES_DIR.glob("*.json"))
OPTIONS = LeafletOptions()


def _stats(xs: list[float]) -> str:
    return (f"median {statistics.median(xs):.3f} s, min {min(xs):.3f}, max {max(xs):.3f} "
            f"(n={len(xs)})")


def cold_cli(n: int) -> list[float]:
    """Fresh `main.py render` processes (imports, fonts, everything); one unmeasured first run."""
    times: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "leaflet.pdf"
        cmd = [sys.executable, str(ROOT / "main.py"), "render", str(STANDARD), "-o", str(out)]
        for i in range(n + 1):
            t = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
            if i:
                times.append(time.perf_counter() - t)
    return times


def warm(n: int) -> tuple[list[float], list[float], list[float]]:
    """(whole pipeline from the case file, WeasyPrint alone on the same HTML, counsel_case)."""
    from counsel.leaflet import pdf
    from counsel.leaflet.render import leaflet_html

    warm_up()
    result = counsel_file(STANDARD, today=TODAY)
    render_leaflet_pdf(result, OPTIONS, today=TODAY)
    view, html = leaflet_html(result, OPTIONS, today=TODAY)
    full: list[float] = []
    engine: list[float] = []
    rules: list[float] = []
    catalog = default_catalog()
    for _ in range(n):  # interleaved, so machine noise hits both alike
        t = time.perf_counter()
        render_leaflet_pdf(counsel_file(STANDARD, today=TODAY), OPTIONS, today=TODAY)
        full.append(time.perf_counter() - t)
        t = time.perf_counter()
        pdf.html_to_pdf(html, paper=view.paper, large_print=view.large_print,
                        training=view.training)
        engine.append(time.perf_counter() - t)
    for _ in range(50):
        t = time.perf_counter()
        counsel_case(result.case, catalog)
        rules.append(time.perf_counter() - t)
    return full, engine, rules


def _init_worker() -> None:
    warm_up()


def _render_one(path: str) -> int:
    result = counsel_file(Path(path), today=TODAY)
    return len(render_leaflet_pdf(result, OPTIONS, today=TODAY))


def batch(count: int) -> tuple[float, float, int]:
    """(wall time incl. pool start and warm-up, wall time of the renders, workers)."""
    workers = os.cpu_count() or 1
    jobs = [str(EXAMPLES[i % len(EXAMPLES)]) for i in range(count)]
    t0 = time.perf_counter()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(workers, initializer=_init_worker) as pool:
        pool.map(_render_one, [jobs[0]] * workers, chunksize=1)  # wait until every worker is warm
        t1 = time.perf_counter()
        sizes = pool.map(_render_one, jobs, chunksize=1)
        t2 = time.perf_counter()
    assert all(s > 1000 for s in sizes)
    return t2 - t0, t2 - t1, workers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20, help="warm samples")
    parser.add_argument("--cold", type=int, default=5, help="cold CLI samples")
    parser.add_argument("--batch", type=int, default=50, help="leaflets in the parallel batch")
    args = parser.parse_args()

    print(f"cold CLI render (fresh process): {_stats(cold_cli(args.cold))}")
    full, engine, rules = warm(args.n)
    print(f"warm render, case file -> PDF:  {_stats(full)}")
    print(f"WeasyPrint alone, same HTML:    {_stats(engine)}")
    overhead = statistics.median(full) / statistics.median(engine) - 1
    print(f"project overhead (content, rules, view, Jinja2): {overhead:+.1%} of WeasyPrint")
    print(f"counsel_case (checklist) alone: median {statistics.median(rules) * 1000:.2f} ms")
    total, renders, workers = batch(args.batch)
    print(f"{args.batch} leaflets on {workers} processes: {renders:.2f} s of rendering "
          f"({args.batch / renders:.1f} leaflets/s), {total:.2f} s including pool start-up")


if __name__ == "__main__":
    main()
