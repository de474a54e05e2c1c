"""`main.py --check` waits in the event loop, so the worker thread runs as fast as in the app.

The old wait spun on processEvents(); every call wanted the GIL back, so a pure-Python worker
(WeasyPrint's layout) ran ~1.5x slower and --check overstated the first preview. What made it
slow is the spin itself, so the tests check that the wait does not spin: done() is polled on a
timer, not thousands of times, and the waiting thread sleeps. (A timed comparison of a worker's
speed belongs in a benchmark: on a shared CI machine it failed by chance.)
"""

from __future__ import annotations

import time

from pytestqt.qtbot import QtBot

from counsel.gui.check import _wait


def test_the_wait_sleeps_in_the_event_loop_instead_of_spinning(qtbot: QtBot) -> None:
    polls = 0

    def done() -> bool:
        nonlocal polls
        polls += 1
        return False

    cpu = time.thread_time()
    wall = time.perf_counter()
    assert _wait(done, 0.5) is False
    wall = time.perf_counter() - wall
    cpu = time.thread_time() - cpu
    # A 20 ms poll over 0.5 s is ~25 calls (timers only ever coalesce under load); the old
    # processEvents() spin called done() tens of thousands of times in the same half second.
    assert polls <= wall / 0.02 + 5, polls
    # The spin kept this thread on the CPU for the whole wait; the event loop sleeps.
    assert cpu < 0.5 * wall, (cpu, wall)


def test_the_wait_returns_as_soon_as_done(qtbot: QtBot) -> None:
    start = time.perf_counter()
    assert _wait(lambda: time.perf_counter() - start > 0.1, 30) is True
    assert time.perf_counter() - start < 10


def test_the_wait_gives_up_at_the_timeout(qtbot: QtBot) -> None:
    t = time.perf_counter()
    assert _wait(lambda: False, 0.3) is False
    assert 0.25 <= time.perf_counter() - t < 5
    assert _wait(lambda: True, 0.3) is True
