"""Autosave during continuous typing: the debounce waits for a pause, the max-wait does not."""

from __future__ import annotations

import time
from collections.abc import Iterator
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


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
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


def type_without_pausing(window: MainWindow, qtbot, seconds: float) -> str:  # type: ignore[no-untyped-def]
    """Type into the counselling notes every 100 ms (well inside the 250 ms debounce)."""
    notes = window.checklist.notes
    notes.setFocus()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        QTest.keyClicks(notes, "x")
        qtbot.wait(100)
    return notes.toPlainText()


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
    typed = type_without_pausing(window, qtbot, records_link.MAX_WAIT_MS / 1000 + 1.5)
    # Still typing (no pause yet): what was typed up to the max-wait is already in the database.
    qtbot.waitUntil(lambda: reader.resume(sid).notes.startswith("xxxx"), timeout=2000)
    assert len(reader.resume(sid).notes) <= len(typed)


def test_without_the_max_wait_nothing_is_saved_until_a_pause(window: MainWindow, qtbot,
                                                             reader: RecordsService) -> None:
    """The absence case: the debounce alone never fires while keys keep coming."""
    start(window)
    qtbot.waitUntil(lambda: window.records.session_id is not None, timeout=5000)
    sid = window.records.session_id
    assert sid is not None
    window.records._max_wait.setInterval(10**7)
    type_without_pausing(window, qtbot, 2.0)
    assert reader.resume(sid).notes == ""
    qtbot.waitUntil(lambda: reader.resume(sid).notes.startswith("xxxx"), timeout=3000)  # the pause
