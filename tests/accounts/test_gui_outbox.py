"""Issue 14 at the counter: the server stops mid-session, the window says so in one line, the
record waits in the counter's outbox ("Records: waiting to send (1)") and is sent once it is back."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from counsel import paths
from counsel.gui.main_window import MainWindow
from tests.conftest import TODAY
from tests.gui.conftest import SETTINGS, isolated_settings, modal_log  # noqa: F401 - autouse
from tests.records.conftest import FakeClock

pytestmark = pytest.mark.gui
KIDNEY = paths.EXAMPLES_DIR / "older-adult-kidney.json"


def _count(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM records").fetchone()
    return int(row[0]) if row else -1


def test_server_away_at_hand_over_then_sent_once(qtbot, pg_server, tmp_path: Path, monkeypatch):
    url = pg_server.new_database()
    monkeypatch.setenv("COUNSEL_DB", url)
    monkeypatch.setenv("COUNSEL_OUTBOX", str(tmp_path / "outbox.sqlite3"))
    window = MainWindow(today=lambda: TODAY, settings=SETTINGS)
    qtbot.addWidget(window)
    window.show()
    window.records.clock = FakeClock()
    window.start_records()
    assert window.records.service is not None, window.records.problem
    assert window.open_case_file(KIDNEY)
    with qtbot.waitSignal(window.records.saved, timeout=10000):
        window.records.flush()
    pg_server.stop()
    try:
        window.records.handed_over(b"%PDF-fake", "saved")
        qtbot.waitUntil(lambda: window.records.label.text() == "Records: waiting to send (1)",
                        timeout=15000)
        message = window.statusBar().currentMessage()
        assert "records server unreachable" in message and "waiting to send (1)" in message
        assert "not saved" not in message.lower()  # it is saved: on this counter
        assert window.records.session_id is None  # the closed session is not reopened
    finally:
        pg_server.start()
    window.records.send_waiting()
    qtbot.waitUntil(lambda: window.records.label.text() == "Records: on", timeout=15000)
    assert _count(url) == 1
    window.records.send_waiting()  # again: nothing left, still one copy
    qtbot.wait(300)
    window.records.writer.drain(5000)
    assert _count(url) == 1
    window.records.close()
