"""The UI thread keeps running while a leaflet renders in the worker."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QTimer

from counsel import paths
from counsel.gui.main_window import MainWindow
from tests.gui.conftest import wait_for_preview

pytestmark = [pytest.mark.gui, pytest.mark.pdf]


def test_timer_keeps_ticking_during_a_render(started: MainWindow, qtbot) -> None:
    win = started
    assert win.open_case_file(paths.EXAMPLES_DIR / "opioid-and-sleeping-tablet.json")
    wait_for_preview(win, qtbot)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    started_at = time.perf_counter()
    with qtbot.waitSignal(win.preview.rendered, timeout=30000):
        win.leaflet.paper.setCurrentIndex(win.leaflet.paper.findData("letter"))  # forces a re-render
        assert win.preview.busy()
    took = time.perf_counter() - started_at
    timer.stop()
    assert took > 0.1  # a real render happened
    during = [t for t in ticks if t <= started_at + took]
    assert len(during) >= max(3, int(took / 0.02 * 0.3))  # the event loop ran throughout
    gaps = [b - a for a, b in zip([started_at, *during], during, strict=False)]
    assert max(gaps) < 0.5
    assert win.leaflet.progress.isHidden() or win.preview.busy()


def test_progress_indicator_shows_while_rendering(started: MainWindow, qtbot) -> None:
    win = started
    win.go_to(3)
    assert win.open_case_file(paths.EXAMPLES_DIR / "standard-adult-start.json")
    win.go_to(3)
    win.refresh_preview(now=True)
    assert win.leaflet.progress.isVisibleTo(win.leaflet)
    assert "Updating" in win.leaflet.status.text()
    wait_for_preview(win, qtbot)
    assert win.leaflet.progress.isHidden()
    assert "Preview up to date" in win.leaflet.status.text()
