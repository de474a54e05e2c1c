"""Desktop app entry point: `python main.py` opens the window; `python main.py --check` runs diagnostics.

Start-up is kept lean: WeasyPrint and Jinja2 are imported later, in the worker thread, after the window
is on screen, and the core (pydantic) right after the first paint (tests check `import counsel.gui.app`
pulls in none of them, and that the skeleton window is built without pydantic).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

_IMPORTED_AT = time.perf_counter()


def process_start() -> float:
    """The perf_counter() value when this process started (from /proc; else when this module loaded)."""
    try:
        stat = Path("/proc/self/stat").read_text(encoding="ascii")
        start_ticks = int(stat.rsplit(")", 1)[1].split()[19])
        age = time.clock_gettime(time.CLOCK_BOOTTIME) - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return _IMPORTED_AT
    now = time.perf_counter()
    return now - age if 0 <= age < 120 else _IMPORTED_AT


from PySide6.QtCore import QTimer  # noqa: E402  (after the start-time probe on purpose)
from PySide6.QtWidgets import QApplication  # noqa: E402

from counsel.gui.main_window import MainWindow  # noqa: E402


def create_app(argv: Sequence[str] = ()) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication([sys.argv[0] if sys.argv else "counsel", *argv])
    app.setOrganizationName("Counsel")
    app.setApplicationName("Counsel")
    app.setApplicationDisplayName("Counsel")
    return app


def start(window: MainWindow) -> None:
    """Show the window, then (once it is painted) work out the first case (the core and pydantic
    load here, not before the first paint), start the background loading and open the records."""
    window.show()
    QTimer.singleShot(0, window.mark_shown)
    # The core before the worker's jobs: they import it too, and two threads importing pydantic at
    # once can meet a half-initialised module (ImportError from pydantic._internal). Nothing is
    # lost: in one process the two imports share one GIL anyway, and WeasyPrint warms up in the
    # leaflet helper process meanwhile (services/render_process.py, started before the window).
    QTimer.singleShot(0, window.finish_start)
    QTimer.singleShot(0, window.start_background)
    # Records last: opening the database and the resume prompt never hold the first paint up.
    QTimer.singleShot(0, window.start_records)


def main(argv: Sequence[str]) -> int:
    args = list(argv)
    if "--check" in args:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from counsel.gui.check import run_check

        app = create_app()
        return run_check(app, process_start())
    if args:
        print(f"counsel: unknown option {args[0]} (the app takes no options; try --check)", file=sys.stderr)  # noqa: T201
        return 2
    app = create_app()
    window = MainWindow(skeleton=True)
    start(window)
    return int(app.exec())
