"""`python main.py --check`: an offscreen health check for pharmacy IT, printed as JSON."""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QMessageLogContext, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from counsel import paths
from counsel.gui import printing
from counsel.gui.main_window import MainWindow
from counsel.gui.session_model import shared_catalog
from counsel.gui.settings import AppSettings

EXAMPLE = "standard-adult-start.json"
TIMEOUT_S = 60
SCRIPTS = {
    "Latin": QFontDatabase.WritingSystem.Latin,
    "Cyrillic": QFontDatabase.WritingSystem.Cyrillic,
    "Greek": QFontDatabase.WritingSystem.Greek,
    "Arabic": QFontDatabase.WritingSystem.Arabic,
    "Devanagari": QFontDatabase.WritingSystem.Devanagari,
    "Chinese (simplified)": QFontDatabase.WritingSystem.SimplifiedChinese,
}


def pump() -> None:
    """Process the events pending now (a page switch, a paint), without waiting for more.

    PySide6 6.12.0's static QCoreApplication.processEvents() dropped a reference to None on every
    call (Python 3.11 aborted with "none_dealloc"), hence the QEventLoop form. The pinned 6.11.3
    has no such leak (refcount of None unchanged over 20,000 calls of either form); the
    QEventLoop form is kept because it is safe on both.
    """
    QEventLoop().processEvents(QEventLoop.ProcessEventsFlag.AllEvents)


def _wait(done: Callable[[], bool], timeout_s: float) -> bool:
    """Run the event loop, as the app does, until done() or the timeout.

    The loop sleeps between events, so the worker thread gets the CPU (and the GIL) just as in
    the real app; the old `while not done(): processEvents()` spin competed with it and made the
    first preview look up to twice as slow as it is. done() is polled every 20 ms; the figures
    themselves are time-stamped by the window when the event happens, not by this poll.
    """
    if done():
        return True
    loop = QEventLoop()
    poll = QTimer()
    poll.timeout.connect(lambda: loop.quit() if done() else None)
    poll.start(20)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    poll.stop()
    return bool(done())


def font_report() -> dict[str, Any]:
    bundled = sorted(
        p.name for p in paths.FONTS_DIR.glob("*") if p.suffix.lower() in (".ttf", ".otf", ".woff2")
    )
    coverage = {name: len(QFontDatabase.families(system)) for name, system in SCRIPTS.items()}
    return {
        "bundled": bundled,
        "system_families_by_script": coverage,
        "missing_scripts": [name for name, count in coverage.items() if count == 0],
    }


def peak_rss_mb(pid: int | str) -> float | None:
    """A process's peak resident memory (Linux /proc; None elsewhere or once it has gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError):
        pass
    return None


def answer_dialogs(seen: list[str]) -> QTimer:
    """Nobody is there to answer a dialog during --check: close any that opens (it would wait
    forever) and keep its text for the report."""

    def sweep() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog):
            text = dialog.text() if isinstance(dialog, QMessageBox) else dialog.windowTitle()
            seen.append(" ".join(text.split()))
            dialog.reject()

    timer = QTimer()
    timer.timeout.connect(sweep)
    timer.start(100)
    return timer


def _quiet_offscreen(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's messages, less the offscreen platform's "This plugin does not support …" chatter."""
    if "This plugin does not support" not in message:
        sys.stderr.write(f"{message}\n")


def run_check(app: QApplication, t0: float) -> int:
    report: dict[str, Any] = {"ok": False, "problem": ""}
    # The report (and its one stderr line) names any problem; no stray log lines besides.
    logging.getLogger("counsel").addHandler(logging.NullHandler())
    qInstallMessageHandler(_quiet_offscreen)
    dialogs: list[str] = []
    sweeper = answer_dialogs(dialogs)
    # Fixed settings: the check never depends on (or changes) this user's stored settings.
    window = MainWindow(settings=AppSettings(pharmacy_name="Check Pharmacy"), skeleton=True)
    # As counsel.gui.app.start(): the window stamps itself shown from the event loop, then the
    # first case (with the core) is worked out and the background loading starts.
    window.show()
    QTimer.singleShot(0, window.mark_shown)
    _wait(lambda: "window_shown" in window.timings, 10)
    report["window_shown_s"] = round(window.timings.get("window_shown", time.perf_counter()) - t0, 3)
    window.finish_start()  # the core first, as counsel.gui.app.start() (see why there)
    window.start_background()
    problem = ""
    # The content, as the app loads it (the worker is loading it now; this waits for it). Broken
    # content is the problem, in one line: the example cannot be opened without it.
    try:
        shared_catalog()
    except Exception as exc:  # ContentError and anything else: one line, no traceback
        problem = f"content: {' '.join(str(exc).split())[:300]}"
    # Without content no example can be counselled: the content's own reason is the problem.
    if not problem and not window.open_case_file(paths.EXAMPLES_DIR / EXAMPLE):
        problem = f"example case {EXAMPLE} could not be opened"
        if dialogs:
            problem += f": {dialogs[-1]}"
    if not problem:
        window.go_to(3)
        window.refresh_preview(now=True)
        ok = _wait(
            lambda: (
                "first_preview" in window.timings
                or bool(window.preview.last_error)
                or bool(window.engine_error)
            ),
            TIMEOUT_S,
        )
        if "first_preview" in window.timings:
            report["first_preview_s"] = round(window.timings["first_preview"] - t0, 3)
            report["preview_pages"] = window.leaflet.document.pageCount()
            report["preview_bytes"] = len(window.preview.pdf)
        elif not ok:
            problem = f"the leaflet preview did not appear within {TIMEOUT_S} s"
        else:
            problem = f"the leaflet could not be rendered: {window.engine_error or window.preview.last_error}"
    # Every page is built and shown, after the first preview: the app's first preview never waits
    # for someone to click through all four steps, so neither does the check's figure.
    pages = []
    for i in range(len(window.pages)):
        window.go_to(i)
        pump()
        pages.append(window.heading.text())
    report["pages"] = pages
    printers = printing.available_printers()
    report["printers"] = {
        "available": printers,
        "default": printing.default_printer(),
        "lp": printing.lp_path() or "",
    }
    report["printing_note"] = "ready" if printers else "no printer installed: the app offers Save PDF instead"
    report["fonts"] = font_report()
    # Where leaflets are made: the helper process (services/render_process.py) unless switched
    # off with COUNSEL_RENDER_PROCESS=0 (or not available on this system).
    from counsel.services import render_process

    helper = render_process.shared()
    report["leaflet_engine"] = "helper process" if helper else "app process"
    report["peak_memory_mb"] = {"app": peak_rss_mb("self"),
                                "leaflet_helper": peak_rss_mb(helper.pid) if helper and helper.pid else None}
    # Healthy only if counselling would really be recorded (services.records.records_health).
    from counsel.services.records import records_health

    records = records_health()
    report["records"] = records.to_dict()
    if not problem and not records.ok:
        problem = f"records: {records.problem}"
    window.worker.wait(10000)
    window.close()
    sweeper.stop()
    report["ok"] = not problem
    report["problem"] = problem
    print(json.dumps(report, indent=2, ensure_ascii=False))  # noqa: T201
    if problem:
        print(f"counsel --check: {problem}", file=sys.stderr)  # noqa: T201
        return 1
    return 0
