"""The main window and the counselling records: autosave, resume after a crash, finish on hand-over.

Every test uses a real SQLite file under tmp_path ($COUNSEL_DB) and reads it back through a second
RecordsService, the way another window or the next start-up would.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from counsel import paths
from counsel.gui.main_window import MainWindow
from counsel.gui.records import HistoryWindow, ResumeDialog
from counsel.records.models import SessionSummary
from counsel.services.records import RecordsService
from tests.conftest import TODAY
from tests.gui.conftest import SETTINGS, DialogLog, wait_for_preview
from tests.records.conftest import FakeClock

pytestmark = pytest.mark.gui
KIDNEY = paths.EXAMPLES_DIR / "older-adult-kidney.json"  # George Whitfield, GW1948, two warnings


@pytest.fixture(autouse=True)
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "records.sqlite3"
    monkeypatch.setenv("COUNSEL_DB", str(path))
    return path


@pytest.fixture(autouse=True)
def resume_answers(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The resume prompt is modal: record what it offered and answer "Later" unless a test says so."""
    offered: list[Any] = []

    def ask(cls: type, parent: Any, sessions: list[SessionSummary]) -> tuple[str, str] | None:
        offered.append(sessions)
        return ("resume", sessions[0].id) if getattr(cls, "accept", False) else None

    monkeypatch.setattr(ResumeDialog, "ask", classmethod(ask))
    return offered


@pytest.fixture
def reader(db: Path) -> Iterator[RecordsService]:
    """A second connection to the same file, like another window would have."""
    svc = RecordsService.open(db, clock=FakeClock())
    yield svc
    svc.close()


def with_records(window: MainWindow) -> MainWindow:
    window.records.clock = FakeClock()
    window.start_records()
    assert window.records.service is not None, window.records.problem
    return window


def counsel_some(window: MainWindow, qtbot) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Open the example, mark three points (one skipped with a reason), acknowledge a warning."""
    assert window.open_case_file(KIDNEY)
    result = window.model.result
    assert result is not None and len(result.warnings) >= 2
    window.go_to(1)
    first, second, third = (p.id for p in result.points[:3])
    code = result.warnings[0].code
    cards = window.checklist.cards
    with qtbot.waitSignal(window.records.saved, timeout=10000):
        cards[first].set_status("discussed")
    with qtbot.waitSignal(window.records.saved, timeout=10000):
        cards[second].set_status("understood")
    with qtbot.waitSignal(window.records.saved, timeout=10000):
        cards[third].set_status("not_discussed", "patient in a hurry")
    with qtbot.waitSignal(window.records.saved, timeout=10000):
        window.checklist.acknowledge(code, "contacted")
    window.checklist.notes.setPlainText("George asked about the kidney blood test")
    return {"marks": {first: "discussed", second: "understood", third: "not_discussed"}, "ack": code}


def test_marks_acknowledgements_and_notes_are_autosaved(window: MainWindow, qtbot,
                                                        reader: RecordsService) -> None:
    with_records(window)
    done = counsel_some(window, qtbot)
    sid = window.records.session_id
    assert sid is not None
    # Notes are typing: saved once it pauses, not on every key.
    qtbot.waitUntil(lambda: "kidney blood test" in reader.resume(sid).notes, timeout=3000)
    state = reader.resume(sid)
    assert {k: m.status for k, m in state.marks.items()} == done["marks"]
    assert next(m for m in state.marks.values() if m.status == "not_discussed").reason == \
        "patient in a hurry"
    assert set(state.acknowledgements) == {done["ack"]}
    assert state.patient_ref == "GW1948"
    assert "George" not in state.notes  # names are off: blanked out of free text too
    assert "name" not in state.case["patient"]
    assert [s.id for s in reader.unfinished_sessions()] == [sid]
    assert reader.find() == []  # nothing is a record until the leaflet is handed over

    # Withdrawing an acknowledgement and un-marking a point are saved too.
    with qtbot.waitSignal(window.records.saved, timeout=10000):
        window.checklist.ack_boxes[done["ack"]].setChecked(False)
    assert not reader.resume(sid).acknowledgements


def test_a_second_window_offers_to_resume_and_restores_everything(
        window: MainWindow, qtbot, reader: RecordsService, resume_answers: list[Any],
        monkeypatch: pytest.MonkeyPatch) -> None:
    with_records(window)
    counsel_some(window, qtbot)
    sid = window.records.session_id
    window.go_to(2)
    with qtbot.waitSignal(window.records.saved, timeout=10000):
        window.schedule.checked.setChecked(True)  # step 3: calendar checked against the prescription
    assert window.model.session.schedule_checked
    qtbot.waitUntil(lambda: "kidney blood test" in reader.resume(sid).notes, timeout=3000)
    assert reader.resume(sid).schedule_checked
    before = window.model.session

    # The first window is never closed (as after kill -9); the next start-up finds its session.
    monkeypatch.setattr(ResumeDialog, "accept", True, raising=False)
    second = MainWindow(today=lambda: TODAY, settings=SETTINGS)
    qtbot.addWidget(second)
    second.show()
    with_records(second)
    assert [[s.id for s in offered] for offered in resume_answers] == [[sid]]
    assert second.records.session_id == sid
    after = second.model.session
    assert after.marks == before.marks
    assert after.acknowledged == before.acknowledged
    assert after.notes == reader.resume(sid).notes == "[name] asked about the kidney blood test"
    # The case exactly as typed, except the name, which is not stored (full names are off).
    assert after.case_data == {**before.case_data, "patient": {
        k: v for k, v in before.case_data["patient"].items() if k != "name"}}
    assert second.patient.reference.text() == "GW1948"
    assert second.model.result is not None
    for point_id, mark in before.marks.items():
        assert second.checklist.cards[point_id].status() == mark.status
    assert second.checklist.ack_boxes[next(iter(before.acknowledged))].isChecked()
    # ... with how it was dealt with, on screen and in the model.
    code = next(iter(before.acknowledged))
    assert after.ack_outcomes == {code: "contacted"}
    assert second.checklist.outcome_boxes[code].currentData() == "contacted"
    # The step-3 tick comes back too, on screen and in the model, and is not written again.
    assert after.schedule_checked and second.schedule.checked.isChecked()
    assert reader.resume(sid).schedule_checked
    # Carrying on in the second window goes on writing the same session.
    with qtbot.waitSignal(second.records.saved, timeout=10000):
        second.checklist.cards[second.model.result.points[3].id].set_status("discussed")
    assert len(reader.resume(sid).marks) == 4
    second.records.close()


def finish_by_saving(window: MainWindow, qtbot, modal_log: DialogLog, target: Path) -> int:  # type: ignore[no-untyped-def]
    result = window.model.result
    assert result is not None
    for card in window.checklist.cards.values():
        card.set_status("discussed")
    for code in window.checklist.ack_boxes:
        window.checklist.acknowledge(code, "not_needed")
    window.go_to(3)
    wait_for_preview(window, qtbot)
    modal_log.save_pdf_path = target
    with qtbot.waitSignal(window.records.finished, timeout=30000) as finished:
        window.leaflet.save_button.click()
    record_id = finished.args[0]
    assert isinstance(record_id, int)
    return record_id


@pytest.mark.pdf
def test_saving_the_leaflet_finishes_a_record_with_its_hash(
        started: MainWindow, qtbot, reader: RecordsService, modal_log: DialogLog,
        tmp_path: Path) -> None:
    window = with_records(started)
    counsel_some(window, qtbot)
    sid = window.records.session_id
    record_id = finish_by_saving(window, qtbot, modal_log, tmp_path / "leaflet.pdf")
    record = reader.get(record_id)
    # The outcome chosen last is the one kept ("contacted" was changed to "no action needed").
    assert {w.how for w in record.warnings} == {"No action needed"}
    assert record.leaflet is not None
    assert record.leaflet.sha256 == hashlib.sha256((tmp_path / "leaflet.pdf").read_bytes()).hexdigest()
    assert record.leaflet.rendered_on == TODAY and record.leaflet.paper == window.leaflet.paper_value()
    assert record.patient_ref == "GW1948" and record.pharmacist == "TP"
    assert f"Record {record_id} saved" in window.statusBar().currentMessage()
    assert reader.unfinished_sessions() == []
    assert window.records.session_id is None

    # The history window (Tools › Counselling history…, Ctrl+H) finds it by the patient reference.
    assert window.actions_by_name["history"].shortcuts()[0].toString() == "Ctrl+H"
    window.actions_by_name["history"].trigger()
    history = window.records.history_window
    assert isinstance(history, HistoryWindow)
    qtbot.addWidget(history)
    history.patient_edit.setText("gw1948")
    with qtbot.waitSignal(history.searched) as found:
        history.search_button.click()
    assert found.args == [1] and history.model.summary(0).id == record_id

    # The record is append-only: the next edit starts a new session; nothing changes the record.
    with qtbot.waitSignal(window.records.saved, timeout=10000):
        window.patient.drives.setChecked(not window.patient.drives.isChecked())
    new_sid = window.records.session_id
    assert new_sid is not None and new_sid != sid
    assert [s.id for s in reader.unfinished_sessions()] == [new_sid]
    assert [r.id for r in reader.find()] == [record_id]


@pytest.mark.pdf
def test_with_full_names_off_the_name_never_reaches_the_database_file(
        started: MainWindow, qtbot, modal_log: DialogLog, tmp_path: Path, db: Path) -> None:
    assert started.settings.store_full_names is False
    window = with_records(started)
    counsel_some(window, qtbot)
    assert window.patient.name.text() == "George Whitfield"
    finish_by_saving(window, qtbot, modal_log, tmp_path / "leaflet.pdf")
    window.records.close()
    stored = b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))
    assert stored and b"Whitfield" not in stored and b"George" not in stored


def test_an_unusable_database_is_one_calm_line_and_the_app_keeps_working(
        window: MainWindow, qtbot, db: Path) -> None:
    db.write_bytes(b"this is not a database, just a file someone put here" * 100)
    window.start_records()
    assert window.records.service is None
    message = window.statusBar().currentMessage()
    assert message.startswith("Counselling records are off:") and "\n" not in message
    assert window.records.label.text() == "Records: not available"
    assert window.open_case_file(KIDNEY)  # counselling goes on without records
    result = window.model.result
    assert result is not None
    window.checklist.cards[result.points[0].id].set_status("discussed")
    assert window.model.session.mark_of(result.points[0].id).status == "discussed"
    window.actions_by_name["history"].trigger()
    assert window.statusBar().currentMessage().startswith("Counselling history is not available")


@pytest.mark.pdf
def test_printing_finishes_a_record_and_logs_each_print(
        started: MainWindow, qtbot, reader: RecordsService, modal_log: DialogLog,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from counsel.gui import printing
    from tests.gui.test_output import fake_lp

    lp, _ = fake_lp(tmp_path)
    monkeypatch.setattr(printing, "available_printers", lambda: ["FakeQueue"])
    monkeypatch.setattr(printing, "default_printer", lambda: "FakeQueue")
    monkeypatch.setattr(printing, "lp_path", lambda: lp)
    window = with_records(started)
    done = counsel_some(window, qtbot)
    for card in window.checklist.cards.values():
        card.set_status("discussed")
    for code in window.checklist.ack_boxes:
        if code != done["ack"]:
            window.checklist.acknowledge(code, "will_contact")
    window.go_to(3)
    wait_for_preview(window, qtbot)
    modal_log.print_ok = True
    with qtbot.waitSignal(window.records.finished, timeout=30000) as finished:
        window.actions_by_name["print"].trigger()
    record_id = finished.args[0]
    record = reader.get(record_id)
    # Each acknowledgement keeps how the warning was dealt with.
    hows = {w.code: w.how for w in record.warnings}
    assert hows[done["ack"]] == "Prescriber contacted"
    assert set(hows.values()) == {"Prescriber contacted", "Will contact the prescriber"}
    assert all(w.acknowledged for w in record.warnings)
    assert record.leaflet is not None
    assert record.leaflet.sha256 == hashlib.sha256((tmp_path / "spooled.pdf").read_bytes()).hexdigest()
    prints = [(a.action, a.actor) for a in reader.audit(record_id) if a.action == "printed"]
    assert prints == [("printed", "TP")]

    # A second copy of the same leaflet is noted on the same record, not made a new one.
    with qtbot.waitSignal(window.leaflet_actions.printed, timeout=30000):
        window.actions_by_name["print"].trigger()
    window.records.close()
    assert [r.id for r in reader.find()] == [record_id]
    assert [a.detail for a in reader.audit(record_id) if a.action == "printed"] == ["", "printed again"]
    assert reader.unfinished_sessions() == []


def test_store_full_names_is_a_stored_setting_that_reaches_the_records(
        window: MainWindow, qtbot, reader: RecordsService) -> None:
    from dataclasses import replace

    from counsel.gui import dialogs
    from counsel.gui.settings import load_settings

    dialog = dialogs.SettingsDialog(window.settings, [])
    qtbot.addWidget(dialog)
    assert not dialog.store_full_names.isChecked()  # off by default
    dialog.store_full_names.setChecked(True)
    assert dialog.values() == replace(window.settings, store_full_names=True)
    with_records(window)
    window.apply_settings(dialog.values())
    assert load_settings().store_full_names is True
    service = window.records.service
    assert service is not None and service.settings.store_full_names is True
    # With names on, the name is kept in the open session.
    assert window.open_case_file(KIDNEY)
    qtbot.waitUntil(lambda: window.records.session_id is not None, timeout=10000)
    sid = window.records.session_id
    assert sid is not None
    assert reader.resume(sid).case["patient"]["name"] == "George Whitfield"
