"""Measure the desktop app's start-up and preview latency in fresh processes (not a test).

    .venv/bin/python scripts/bench_gui.py            # n=5, offscreen
    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/bench_gui.py --n 5
    .venv/bin/python scripts/bench_gui.py --counselling   # key presses and words per session

Each run starts a new Python process that builds the app exactly as `python main.py` does, opens an
example case as soon as the window shows, waits for the first preview, then makes single edits (a
toggle) and a burst of typing, timing each until the new preview is on screen. Times are from the
parent's launch of the process (perf_counter is system-wide monotonic on Linux).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "examples" / "standard-adult-start.json"
TARGETS = {"window_shown_s": 0.8, "first_preview_s": 2.5, "edit_preview_s": 0.5}


def child(case: Path, open_after: float) -> int:
    sys.path.insert(0, str(ROOT))
    # The same start-up path as main.py (counsel/__main__.py, counsel.gui.app.main): the leaflet
    # helper process first, then Qt and the skeleton window, then start().
    from counsel.services.render_process import shared

    shared()
    from PySide6.QtCore import QSettings, QTimer

    from counsel.gui.app import create_app, start
    from counsel.gui.main_window import MainWindow

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = create_app()
    window = MainWindow(skeleton=True)
    out: dict[str, object] = {"edits": [], "burst": None}
    edits: list[float] = []
    state = {"step": 0, "edit_at": 0.0}

    def on_preview(at: float) -> None:
        if window.preview.busy():
            return  # an intermediate preview; wait for the newest
        if "first_preview" not in out:
            out["first_preview"] = at
        elif state["edit_at"]:
            latency = at - state["edit_at"]
            if state["step"] <= 3:
                edits.append(latency)
            else:
                out["burst"] = latency
            state["edit_at"] = 0.0
        QTimer.singleShot(300, next_edit)

    def next_edit() -> None:
        state["step"] += 1
        step = state["step"]
        if step <= 3:  # single edits: a screening toggle changes the leaflet
            state["edit_at"] = time.perf_counter()
            window.patient.drives.setChecked(not window.patient.drives.isChecked())
        elif step == 4:  # a burst of typing, 60 ms a key; latency counts from the last key
            word = "Maria Lopez-Smith"
            for i in range(1, len(word) + 1):
                QTimer.singleShot(60 * i, lambda i=i: type_key(word[:i], i == len(word)))
        else:
            out["edits"] = edits
            out["window_shown"] = window.timings.get("window_shown")
            print(json.dumps(out))
            window.worker.wait()
            window.model.pristine = True
            app.quit()

    def type_key(text: str, last: bool) -> None:
        window.patient.name.setText(text)
        if last:
            state["edit_at"] = time.perf_counter()

    window.leaflet.preview_shown.connect(on_preview)
    start(window)
    def open_case() -> None:
        out["opened"] = time.perf_counter()
        window.open_case_file(case)

    QTimer.singleShot(int(open_after * 1000), open_case)
    QTimer.singleShot(60000, app.quit)
    return int(app.exec())


def counselling() -> int:
    """A repeat patient and a new starter, each counselled from the keyboard alone: key presses
    and words of prompts on step 2 (scripts/counter_session.py, the same run as the test)."""
    sys.path.insert(0, str(ROOT))
    scratch = Path(tempfile.mkdtemp(prefix="counsel-bench-"))
    os.environ["COUNSEL_DB"] = str(scratch / "records.sqlite3")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings

    from counsel.gui.app import create_app
    from counsel.gui.dialogs import FileDialogs
    from counsel.gui.main_window import MainWindow
    from counsel.gui.settings import AppSettings
    from scripts.counter_session import counsel_by_keyboard, wait_until

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(scratch))
    create_app()
    win = MainWindow(settings=AppSettings(pharmacy_name="Bench Pharmacy", pharmacist="BP"))
    win.show()
    wait_until(lambda: True, 1)
    opened: list[Path] = []
    FileDialogs.open_case = classmethod(lambda cls, parent, folder: opened[-1])  # type: ignore[method-assign,assignment,return-value]
    FileDialogs.save_pdf = classmethod(  # type: ignore[method-assign,assignment]
        lambda cls, parent, suggested: scratch / f"leaflet-{len(opened)}.pdf")
    report = {}
    for name, case in (("repeat patient", "older-adult-kidney.json"),
                       ("new starter", "standard-adult-start.json")):
        opened.append(ROOT / "examples" / case)
        keys, words = counsel_by_keyboard(win, opened[-1])
        report[name] = {"case": case, "key_presses": keys, "words_on_step_2": words}
    report["goals"] = {"repeat patient": {"key_presses": 40, "words_on_step_2": 400},
                       "new starter": {"key_presses": 80}}
    print(json.dumps(report, indent=2))
    win.worker.wait()
    win.records.close()
    return 0


def summary(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3),
            "max": round(max(values), 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5)
    parser.add_argument("--case", type=Path, default=CASE)
    parser.add_argument("--open-after", type=float, default=0.0,
                        help="seconds after start-up before the case is opened (default 0: at once)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--counselling", action="store_true",
                        help="count key presses and words for a scripted repeat patient and new starter")
    args = parser.parse_args()
    if args.counselling:
        return counselling()
    if args.child:
        return child(args.case, args.open_after)
    env = {**os.environ}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Never write benchmark sessions into the user's real records, training log or settings.
    scratch = Path(tempfile.mkdtemp(prefix="counsel-bench-"))
    env["COUNSEL_DB"] = str(scratch / "records.sqlite3")
    env["COUNSEL_TRAINING_DB"] = str(scratch / "training.sqlite3")
    env["XDG_CONFIG_HOME"] = str(scratch / "config")
    shown: list[float] = []
    first: list[float] = []
    after_open: list[float] = []
    edits: list[float] = []
    bursts: list[float] = []
    for _ in range(args.n):
        launched = time.perf_counter()
        done = subprocess.run([sys.executable, __file__, "--child", "--case", str(args.case),
                               "--open-after", str(args.open_after)],
                              capture_output=True, text=True, env=env, timeout=120, check=False)
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if done.returncode != 0 or not lines:
            print(f"run failed (exit {done.returncode}): {done.stderr.strip().splitlines()[-1:]}")
            return 1
        run = json.loads(lines[-1])
        shown.append(run["window_shown"] - launched)
        first.append(run["first_preview"] - launched)
        after_open.append(run["first_preview"] - run["opened"])
        edits.extend(run["edits"])
        if run["burst"] is not None:
            bursts.append(run["burst"])
    report = {
        "runs": args.n,
        "platform": env["QT_QPA_PLATFORM"],
        "cpus": os.cpu_count(),
        "window_shown_s": summary(shown),
        "open_after_s": args.open_after,
        "first_preview_s": summary(first),
        "first_preview_after_open_s": summary(after_open),
        "edit_preview_s": summary(edits),
        "typing_burst_preview_s": summary(bursts) if bursts else None,
        "targets": TARGETS,
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
