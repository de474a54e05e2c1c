"""Autosave during continuous typing: the debounce waits for a pause, the max-wait does not."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtTest import QTest

from counsel import paths
from counsel.gui import records_link
from counsel.gui.main_window import MainWindow
from counsel.services.records import RecordsService
from tests.records.conftest import FakeClock

pytestmark = pytest.mark.gui
KIDNEY = paths.EXAMPLES_DIR / "older-adult-kidney.json"


@pytest.fixture(autouse=True)
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch database for every test here (never the user's), and no resume prompt."""
    path = tmp_path / "records.sqlite3"
    monkeypatch.setenv("COUNSEL_DB", str(path))
    from counsel.gui.records import ResumeDialog

    monkeypatch.setattr(ResumeDialog, "ask", classmethod(lambda cls, parent, sessions: None))
    return path


@pytest.fixture
def reader(db: Path) -> Iterator[RecordsService]:
    svc = RecordsService.open(db, clock=FakeClock())
    yield svc
    svc.close()


def type_without_pausing(window: MainWindow, qtbot, seconds: float,  # type: ignore[no-untyped-def]
                         saved: Callable[[], bool]) -> bool:
    """Type into the counselling notes every 100 ms (well inside the pause); True if `saved()`
    became true while the typing was still going on."""
    notes = window.checklist.notes
    notes.setFocus()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        QTest.keyClicks(notes, "x")
        qtbot.wait(100)
        if saved():
            return True
    return False


def start(window: MainWindow) -> str:
    window.records.clock = FakeClock()
    window.start_records()
    # A pause is 1.5 s here (not 250 ms) so that a slow, loaded test machine typing every 100 ms
    # never looks like a pause.
    window.records._timer.setInterval(1500)
    assert window.records.service is not None, window.records.problem
    assert window.open_case_file(KIDNEY)
    window.go_to(1)
    sid = window.records.session_id
    return sid or ""


def test_continuous_typing_is_saved_every_few_seconds(window: MainWindow, qtbot,
                                                      reader: RecordsService) -> None:
    assert records_link.MAX_WAIT_MS <= 5000
    start(window)
    qtbot.waitUntil(lambda: window.records.session_id is not None, timeout=5000)
    sid = window.records.session_id
    assert sid is not None
    # Still typing (no pause yet), what was typed up to the max-wait reaches the database.
    assert type_without_pausing(window, qtbot, records_link.MAX_WAIT_MS / 1000 + 5,
                                lambda: reader.resume(sid).notes.startswith("xxxx"))


def test_each_key_restarts_the_pause_but_not_the_max_wait(window: MainWindow, qtbot) -> None:
    """The absence case, without depending on a busy machine's timing: the debounce alone would
    be pushed back by every key; the max-wait keeps counting down from the first one."""
    start(window)
    qtbot.waitUntil(lambda: window.records.session_id is not None, timeout=10000)
    link = window.records
    link.on_changed()
    first = link._max_wait.remainingTime()
    # (Coarse timers may run up to 5 % long.)
    assert link._max_wait.isActive() and 0 < first <= records_link.MAX_WAIT_MS * 1.1
    qtbot.wait(700)
    link.on_changed()  # another key
    assert link._timer.remainingTime() > 1000  # the pause starts again (1.5 s here)
    assert link._max_wait.remainingTime() <= first - 300  # the max-wait does not
    link.flush()
    assert not link._max_wait.isActive() and not link._timer.isActive()
