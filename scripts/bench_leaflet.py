"""Start-up and leaflet timings (not a test), measured in pairs so machine load hits both sides alike.

Run: .venv/bin/python scripts/bench_leaflet.py [--pairs 10] [--checks 5] [--batch 50] [--json OUT]

- cold CLI vs bare WeasyPrint: each pair runs `main.py render` of the standard example in a fresh
  process and, in another fresh process, WeasyPrint alone on the same HTML with the same
  stylesheets and options (no Counsel code). The order alternates within pairs. The headline is
  the MEDIAN OF THE PAIR RATIOS (each ratio compares two runs made seconds apart), not a ratio of
  medians from different moments. The two PDFs are compared byte for byte once.
- window shown and first preview: `main.py --check` in fresh processes (its report's figures).
- edit -> preview: scripts/bench_gui.py (single toggles, in the app's own event loop).
- 50 leaflets: a spawn pool of one warm worker per core, closed (close + join) when done.
- peak memory: the maximum resident set size of each kind of fresh process (from wait4).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from counsel import paths  # noqa: E402

STANDARD = paths.EXAMPLES_DIR / "standard-adult-start.json"
EXAMPLES = sorted(paths.EXAMPLES_DIR.glob("*.json"))
TARGETS = {"cold_cli_over_bare": 1.10, "window_shown_s": 0.35, "first_preview_s": 1.2}

# WeasyPrint alone: what counsel.leaflet.pdf does for an A4, standard-print leaflet, written
# without importing anything from Counsel. argv: html file, pdf file.
BARE = r"""
import sys
import weasyprint
from weasyprint.text.fonts import FontConfiguration
res = {res!r}
html = open(sys.argv[1], encoding="utf-8").read()
fc = FontConfiguration()
css = [weasyprint.CSS(filename=res + "/css/" + n, font_config=fc) for n in ("fonts.css", "leaflet.css")]
css.append(weasyprint.CSS(string="@page {{ size: A4; }}", font_config=fc))
pdf = weasyprint.HTML(string=html, base_url=res + "/").write_pdf(
    stylesheets=css, font_config=fc, pdf_variant="pdf/ua-1", attachments=[])
open(sys.argv[2], "wb").write(pdf)
"""


LAST_CPU: list[float] = [0.0]  # CPU seconds (user + system) of the last run_rss child


def run_rss(cmd: list[str], env: dict[str, str] | None = None,
            cwd: Path = ROOT) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in KB, stdout) of one fresh process, reaped with wait4."""
    with tempfile.TemporaryFile("w+") as out:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t
        LAST_CPU[0] = usage.ru_utime + usage.ru_stime  # includes its reaped helper processes
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
        out.seek(0)
        return elapsed, usage.ru_maxrss, out.read()


def _stats(xs: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(xs), 3), "min": round(min(xs), 3),
            "max": round(max(xs), 3), "n": len(xs)}


def cold_pairs(pairs: int, tmp: Path, before: Path | None = None) -> dict[str, Any]:
    """Interleaved pairs: cold `main.py render` and bare WeasyPrint on the same HTML.

    With `before` (an older checkout), its `main.py render` runs in every round too, so the
    before/after comparison is made under the same load."""
    html = tmp / "leaflet.html"
    out_cli, out_bare = tmp / "cli.pdf", tmp / "bare.pdf"
    cli = [sys.executable, str(ROOT / "main.py"), "render", str(STANDARD), "-o", str(out_cli),
           "--calendar-checked"]
    # The HTML WeasyPrint gets from Counsel (the bare side adds the same stylesheets itself).
    from datetime import date

    from counsel.leaflet.render import leaflet_html
    from counsel.services.casework import counsel_file
    from counsel.services.leaflet import LeafletOptions

    result = counsel_file(STANDARD, today=date.today())
    html.write_text(leaflet_html(result, LeafletOptions(), today=date.today())[1], encoding="utf-8")
    bare_script = tmp / "bare.py"
    bare_script.write_text(BARE.format(res=str(paths.RESOURCES_DIR)), encoding="utf-8")
    bare = [sys.executable, str(bare_script), str(html), str(out_bare)]
    runs: dict[str, tuple[list[str], Path]] = {"cli": (cli, ROOT), "bare": (bare, ROOT)}
    if before is not None:
        runs["before"] = ([sys.executable, str(before / "main.py"), "render",
                           str(before / "examples" / STANDARD.name), "-o", str(tmp / "before.pdf"),
                           "--calendar-checked"],
                          before)
    for cmd, cwd in runs.values():
        run_rss(cmd, cwd=cwd)  # one unmeasured run of each: page cache, bytecode, caches
    before_t: list[float] = []
    before_ratios: list[float] = []
    cli_t: list[float] = []
    bare_t: list[float] = []
    ratios: list[float] = []
    cpu_ratios: list[float] = []
    cli_rss: list[int] = []
    bare_rss: list[int] = []
    for i in range(pairs):
        names = list(runs)
        order = names[i % len(names):] + names[:i % len(names)]  # each goes first in turn
        got: dict[str, float] = {}
        for name in order:
            t, rss, _ = run_rss(runs[name][0], cwd=runs[name][1])
            got[name] = t
            got[f"{name}_cpu"] = LAST_CPU[0]
            if name != "before":
                (cli_rss if name == "cli" else bare_rss).append(rss)
        if before is not None:
            before_t.append(got["before"])
            before_ratios.append(got["before"] / got["bare"])
        cli_t.append(got["cli"])
        bare_t.append(got["bare"])
        ratios.append(got["cli"] / got["bare"])
        cpu_ratios.append(got["cli_cpu"] / got["bare_cpu"])
    extra: dict[str, Any] = {}
    if before is not None:
        extra = {"before_cold_cli_render_s": _stats(before_t),
                 "before_over_bare_median_of_pair_ratios": round(statistics.median(before_ratios), 3)}
    return {
        **extra,
        "cold_cli_render_s": _stats(cli_t),
        "bare_weasyprint_s": _stats(bare_t),
        "pair_ratios": [round(r, 3) for r in ratios],
        "cold_cli_over_bare_median_of_pair_ratios": round(statistics.median(ratios), 3),
        # CPU (user + system, with helper processes): less sensitive to other users' load.
        "cpu_ratio_median_of_pairs": round(statistics.median(cpu_ratios), 3),
        "pdf_identical_to_bare": out_cli.read_bytes() == out_bare.read_bytes(),
        "peak_rss_mb": {"cli_render": round(max(cli_rss) / 1024, 1),
                        "bare_weasyprint": round(max(bare_rss) / 1024, 1)},
    }


def gui_check(runs: int, env: dict[str, str], before: Path | None = None) -> dict[str, Any]:
    """`main.py --check` in fresh processes: window shown and first preview, as it reports them.

    With `before`, that checkout's --check alternates with this one's (its own, older wait)."""
    trees = {"": ROOT, **({"before_": before} if before is not None else {})}
    shown: dict[str, list[float]] = {k: [] for k in trees}
    first: dict[str, list[float]] = {k: [] for k in trees}
    rss: list[int] = []
    app_mb: list[float] = []
    helper_mb: list[float] = []
    for i in range(runs):
        for key in (list(trees) if i % 2 == 0 else list(reversed(trees))):
            _, peak, out = run_rss([sys.executable, str(trees[key] / "main.py"), "--check"],
                                   env=env, cwd=trees[key])
            report = json.loads(out[out.index("{"):])
            shown[key].append(report["window_shown_s"])
            first[key].append(report["first_preview_s"])
            if not key:
                rss.append(peak)
                mem = report.get("peak_memory_mb") or {}
                app_mb.append(mem.get("app") or peak / 1024)
                helper_mb.append(mem.get("leaflet_helper") or 0.0)
    # wait4's peak is the largest single process; the app and its leaflet helper run side by
    # side, so their peaks (each from /proc, reported by --check) are also given and summed.
    result: dict[str, Any] = {
        "peak_rss_mb_check": round(max(rss) / 1024, 1),
        "peak_mb_check_app": round(max(app_mb), 1),
        "peak_mb_check_leaflet_helper": round(max(helper_mb), 1),
        "peak_mb_check_app_plus_helper": round(max(a + h for a, h in zip(app_mb, helper_mb, strict=True)), 1),
    }
    for key in trees:
        result[f"{key}window_shown_s"] = _stats(shown[key])
        result[f"{key}first_preview_s"] = _stats(first[key])
    return result


def edit_preview(runs: int, env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_gui.py"), "--n", str(runs)],
                          capture_output=True, text=True, env=env, check=True, cwd=ROOT)
    report = json.loads(done.stdout[done.stdout.index("{"):])
    return {"edit_preview_s": report["edit_preview_s"],
            "gui_bench_first_preview_s": report["first_preview_s"],
            "gui_bench_window_shown_s": report["window_shown_s"]}


def _init_worker() -> None:
    from counsel.services.leaflet import warm_up

    warm_up()


def _render_one(path: str) -> int:
    from datetime import date

    from counsel.services.casework import counsel_file
    from counsel.services.leaflet import LeafletOptions, render_leaflet_pdf

    today = date(2026, 11, 23)
    result = counsel_file(Path(path), today=today)
    return len(render_leaflet_pdf(result, LeafletOptions(), today=today))


def _weasyprint_folders(folder: Path) -> set[str]:
    return {p.name for p in folder.glob("weasyprint-*")}


def batch(count: int) -> dict[str, Any]:
    """50 leaflets on one warm worker per core; the pool is closed and joined, not terminated."""
    import multiprocessing

    try:
        from counsel.leaflet.batch import render_pool
    except ImportError:  # before the clean pool existed: the with-block terminates the pool
        def render_pool(ctx: Any, workers: int, initializer: Any) -> Any:  # type: ignore[misc]
            return ctx.Pool(workers, initializer=initializer)

    workers = os.cpu_count() or 1
    jobs = [str(EXAMPLES[i % len(EXAMPLES)]) for i in range(count)]
    # The workers get a temporary folder of their own, so other processes' files do not count.
    scratch = Path(tempfile.mkdtemp(prefix="counsel-batch-"))
    old_tmp = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(scratch)
    try:
        t0 = time.perf_counter()
        ctx = multiprocessing.get_context("spawn")
        with render_pool(ctx, workers, initializer=_init_worker) as pool:
            pool.map(_render_one, [jobs[0]] * workers, chunksize=1)  # every worker warm
            t1 = time.perf_counter()
            sizes = pool.map(_render_one, jobs, chunksize=1)
            t2 = time.perf_counter()
    finally:
        if old_tmp is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = old_tmp
    assert all(s > 1000 for s in sizes)
    left = sorted(_weasyprint_folders(scratch))
    shutil.rmtree(scratch, ignore_errors=True)
    return {"leaflets": count, "workers": workers, "render_s": round(t2 - t1, 2),
            "leaflets_per_s": round(count / (t2 - t1), 1),
            "total_with_pool_start_s": round(t2 - t0, 2),
            "temporary_font_folders_left": len(left)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10, help="cold CLI / bare WeasyPrint pairs")
    parser.add_argument("--checks", type=int, default=5, help="`main.py --check` runs")
    parser.add_argument("--edits", type=int, default=3, help="bench_gui.py runs (edit -> preview)")
    parser.add_argument("--batch", type=int, default=50, help="leaflets in the parallel batch")
    parser.add_argument("--json", type=Path, help="also write the report here")
    parser.add_argument("--before", type=Path,
                        help="an older checkout to measure in the same rounds (before/after)")
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    report: dict[str, Any] = {"cpus": os.cpu_count(), "load_avg_at_start": os.getloadavg()}
    if args.pairs:
        with tempfile.TemporaryDirectory() as tmp:
            report.update(cold_pairs(args.pairs, Path(tmp), args.before))
    if args.checks:
        report.update(gui_check(args.checks, env, args.before))
    if args.edits:
        report.update(edit_preview(args.edits, env))
    if args.batch:
        report["batch"] = batch(args.batch)
    report["load_avg_at_end"] = os.getloadavg()
    report["targets"] = TARGETS
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
