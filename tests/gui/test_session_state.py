"""The recorded session: one plain object for the counselling, with a `changed` signal in the GUI."""

from __future__ import annotations

import json

import pytest

from counsel import paths
from counsel.gui.main_window import MainWindow
from counsel.services.session import CounsellingSession, PointMark
from tests.conftest import counsel_for


def test_session_round_trips_through_json() -> None:
    session = CounsellingSession(case_data={"region": "uk"}, notes="n")
    session.mark("alcohol", "not_discussed", " in a hurry ")
    session.mark("your_doses", "understood", "ignored reason")
    session.acknowledge("pregnancy")
    session.schedule_checked = True
    data = json.loads(json.dumps(session.to_json()))
    again = CounsellingSession.from_json(data)
    assert again == session
    assert again.mark_of("alcohol") == PointMark("not_discussed", "in a hurry")
    assert again.mark_of("your_doses").reason == ""
    assert again.acknowledged == {"PREGNANCY"}
    assert again.mark_of("unknown").status == "pending"


def test_uncovered_critical_lists_only_critical_points_not_covered() -> None:
    result = counsel_for()
    session = CounsellingSession()
    critical = [p for p in result.points if p.point.critical]
    assert session.uncovered_critical(result) == critical
    session.mark(critical[0].id, "understood")
    session.mark(critical[1].id, "not_discussed", "later")
    assert session.uncovered_critical(result) == critical[1:]


@pytest.mark.gui
def test_every_change_is_announced(window: MainWindow, qtbot) -> None:
    with qtbot.waitSignal(window.model.changed, timeout=1000):
        assert window.open_case_file(paths.EXAMPLES_DIR / "standard-adult-start.json")
    result = window.model.result
    assert result is not None
    point = result.points[0].id
    with qtbot.waitSignal(window.model.changed, timeout=1000):
        window.checklist.cards[point].set_status("understood")
    with qtbot.waitSignal(window.model.changed, timeout=1000):
        window.checklist.notes.setPlainText("asked about alcohol")
    with qtbot.waitSignal(window.model.changed, timeout=1000):
        window.patient.drives.setChecked(True)
    state = window.model.session.to_json()
    assert state["marks"][point] == {"status": "understood", "reason": ""}
    assert state["notes"] == "asked about alcohol"
    assert state["case"]["patient"]["drives"] is True
    assert state["case"]["patient"]["name"] == "Maria Lopez"
