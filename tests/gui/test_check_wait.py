"""`main.py --check` waits in the event loop, so the worker thread runs as fast as in the app.

The old wait spun on processEvents(); every call wanted the GIL back, so a pure-Python worker
(WeasyPrint's layout) ran ~1.5x slower and --check overstated the first preview.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from pytestqt.qtbot import QtBot

from counsel.gui.check import _wait


def _worker_seconds(wait: Callable[[list[float], threading.Thread], None]) -> float:
    """How long a fixed amount of pure-Python work takes in a thread while `wait` runs."""
    took: list[float] = []

    def work() -> None:
        t = time.perf_counter()
        for _ in range(3000):
            sum(range(1000))
        took.append(time.perf_counter() - t)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    wait(took, thread)
    thread.join()
    return took[0]


def test_the_worker_runs_as_fast_during_the_wait_as_with_nobody_waiting(qtbot: QtBot) -> None:
    alone = min(_worker_seconds(lambda took, th: th.join()) for _ in range(3))
    waited = min(_worker_seconds(lambda took, th: _wait(lambda: bool(took), 30)) for _ in range(3))
    assert waited <= 1.25 * alone, (waited, alone)


def test_the_wait_gives_up_at_the_timeout(qtbot: QtBot) -> None:
    t = time.perf_counter()
    assert _wait(lambda: False, 0.3) is False
    assert 0.25 <= time.perf_counter() - t < 5
    assert _wait(lambda: True, 0.3) is True
