"""Autosaved sessions: every change saved as it happens, resumed exactly, finished into a record."""

from __future__ import annotations

import sqlite3

import pytest

from counsel.core.errors import CaseError
from counsel.records.errors import (
    NotFoundError,
    RecordsError,
    SessionClosedError,
    TrainingRefusedError,
)
from counsel.services.records import RecordsService
from tests.records.conftest import START, FakeClock, counsel_and_finish


def test_every_change_is_saved_and_resumed_exactly(db_path, service, kidney_case):
    sid = service.start_session(kidney_case, pharmacist="SB")
    result = service.counselling_for(kidney_case, today=START.date())
    ids = [p.id for p in result.points]
    service.mark_point(sid, ids[0], "discussed")
    service.mark_point(sid, ids[1], "understood")
    service.mark_point(sid, ids[2], "not_discussed", "patient in a hurry; will phone")
    service.mark_point(sid, ids[3], "discussed")
    service.clear_point(sid, ids[3])
    service.acknowledge(sid, "kidney_severe", "checked with prescriber")
    service.acknowledge(sid, "INTERACTION_ANTIHYPERTENSIVE")
    service.withdraw_acknowledgement(sid, "INTERACTION_ANTIHYPERTENSIVE")
    service.save_notes(sid, "Asked about the kidney test.")
    edited = {**kidney_case, "follow_up_date": "2026-12-07"}
    service.save_case(sid, edited)
    service.close()

    # A fresh process (a new service on the same file) sees exactly what was saved.
    again = RecordsService.open(db_path, clock=FakeClock())
    try:
        [summary] = again.unfinished_sessions()
        assert (summary.id, summary.patient_ref, summary.pharmacist, summary.drug) == \
            (sid, "GW1948", "SB", "baclofen")
        state = again.resume(sid)
        assert {k: (m.status, m.reason) for k, m in state.marks.items()} == {
            ids[0]: ("discussed", ""), ids[1]: ("understood", ""),
            ids[2]: ("not_discussed", "patient in a hurry; will phone")}
        assert {k: a.how for k, a in state.acknowledgements.items()} == \
            {"KIDNEY_SEVERE": "checked with prescriber"}
        assert state.notes == "Asked about the kidney test."
        assert state.case["follow_up_date"] == "2026-12-07"
        assert state.started_at < state.updated_at
    finally:
        again.close()


def test_each_save_is_its_own_committed_transaction(db_path, service, kidney_case):
    sid = service.start_session(kidney_case, pharmacist="SB")
    service.mark_point(sid, "your_doses", "discussed")
    # Another connection sees the change at once: nothing is held back in an open transaction.
    with sqlite3.connect(db_path) as other:
        row = other.execute("SELECT status FROM session_marks WHERE session_id = ?", (sid,)).fetchone()
    other.close()
    assert row == ("discussed",)
    assert not service.repo._conn.in_transaction  # type: ignore[attr-defined]


def test_finish_builds_the_full_record(service, kidney_case):
    sid, record_id = counsel_and_finish(service, kidney_case)
    record = service.get(record_id)
    assert record.session_id == sid and record.version == 1 and record.supersedes is None
    assert record.pharmacist == "SB" and record.patient_ref == "GW1948"
    assert record.started_at < record.finished_at and record.duration_seconds > 0
    assert (record.drug, record.form, record.strength, record.plan) == \
        ("baclofen", "tablet", "10 mg", "continue")
    assert record.directions.times == ("08:00", "14:00", "20:00")
    assert "½ tablet of 10 mg" in record.directions.dose_text
    # Every warning the rules raise for this case is kept (the content may add more over time).
    expected = {w.code for w in service.counselling_for(kidney_case, today=START.date()).warnings}
    assert {w.code for w in record.warnings} == expected
    assert {"KIDNEY_SEVERE", "KIDNEY_DAILY_TOTAL_ABOVE_STATEMENT", "OLDER_ADULT_KIDNEY_BEERS",
            "INTERACTION_ANTIHYPERTENSIVE"} <= expected
    assert all(w.acknowledged and w.how == "checked with prescriber" for w in record.warnings)
    statuses = {p.status for p in record.points}
    assert statuses == {"discussed", "understood", "not_discussed"}
    assert all(p.reason == "covered last month" for p in record.points if p.status == "not_discussed")
    assert record.content_version == service.catalog.monograph("baclofen").content_version
    assert record.notes == "Asked about the kidney blood test."
    assert record.case["prescription"]["start_date"] == "2026-11-23"
    assert service.unfinished_sessions() == []


def test_unmarked_points_and_unacknowledged_warnings_are_recorded_as_such(service, kidney_case):
    sid = service.start_session(kidney_case, pharmacist="SB")
    record = service.get(service.finish_session(sid))
    assert {p.status for p in record.points} == {"not_marked"}
    assert not any(w.acknowledged for w in record.warnings)


def test_a_finished_session_cannot_change(service, kidney_case):
    sid, _ = counsel_and_finish(service, kidney_case)
    with pytest.raises(SessionClosedError):
        service.mark_point(sid, "your_doses", "discussed")
    with pytest.raises(SessionClosedError):
        service.save_notes(sid, "late")
    with pytest.raises(SessionClosedError):
        service.finish_session(sid)


def test_finished_session_rows_are_frozen_by_triggers(db_path, service, kidney_case):
    sid, _ = counsel_and_finish(service, kidney_case)
    with sqlite3.connect(db_path) as raw:
        for sql in ("UPDATE sessions SET notes = 'x' WHERE id = ?",
                    "DELETE FROM sessions WHERE id = ?",
                    "UPDATE session_marks SET status = 'discussed' WHERE session_id = ?",
                    "DELETE FROM session_marks WHERE session_id = ?"):
            with pytest.raises(sqlite3.IntegrityError):
                raw.execute(sql, (sid,))
    raw.close()


def test_training_sessions_are_refused(service, kidney_case):
    with pytest.raises(TrainingRefusedError):
        service.start_session(kidney_case, pharmacist="SB", training=True)
    assert service.unfinished_sessions() == []


@pytest.mark.parametrize(("call", "message"), [
    (lambda s, sid: s.mark_point(sid, "p", "not_discussed"), "reason is needed"),
    (lambda s, sid: s.mark_point(sid, "p", "maybe"), "unknown status"),
    (lambda s, sid: s.mark_point("nope", "p", "discussed"), "not found"),
])
def test_bad_marks_are_one_line_errors(service, kidney_case, call, message):
    sid = service.start_session(kidney_case, pharmacist="SB")
    with pytest.raises(RecordsError, match=message) as err:
        call(service, sid)
    assert "\n" not in str(err.value)


def test_pharmacist_and_patient_reference_are_required(service):
    with pytest.raises(RecordsError, match="pharmacist"):
        service.start_session({"patient": {"age": 40}}, pharmacist="  ")
    sid = service.start_session({"patient": {"age": 40}}, pharmacist="SB")
    with pytest.raises(RecordsError, match="patient reference"):
        service.finish_session(sid)


def test_an_incomplete_case_autosaves_but_cannot_finish(service):
    sid = service.start_session({"patient": {"name": "Ann Lee"}}, pharmacist="SB", local_id="L-17")
    service.save_case(sid, {"patient": {"name": "Ann Lee", "age": 50},
                            "prescription": {"drug": "baclofen"}})
    assert service.resume(sid).patient_ref == "L-17"
    with pytest.raises(CaseError, match=r"prescription\.strength"):
        service.finish_session(sid)
    assert [s.id for s in service.unfinished_sessions()] == [sid]


def test_discard_drops_the_patient_data_and_is_audited(service, kidney_case):
    sid = service.start_session(kidney_case, pharmacist="SB")
    service.mark_point(sid, "your_doses", "discussed")
    service.discard_session(sid, by="SB")
    assert service.unfinished_sessions() == []
    with pytest.raises(SessionClosedError):
        service.resume(sid)
    state = service.repo.load_session(sid)
    assert state.case == {} and state.marks == {}
    assert [a.action for a in service.audit()] == ["discarded"]
    with pytest.raises(NotFoundError):
        service.resume("no-such-session")


def test_apply_snapshot_saves_only_what_changed(service, kidney_case):
    sid = service.start_session(kidney_case, pharmacist="SB")
    snapshot = {"case": kidney_case,
                "marks": {"your_doses": {"status": "understood", "reason": ""},
                          "driving": {"status": "not_discussed", "reason": ""},  # reason still typed
                          "onset": {"status": "pending", "reason": ""}},
                "acknowledged": ["KIDNEY_SEVERE"], "notes": "first"}
    service.apply_snapshot(sid, snapshot)
    first = service.resume(sid)
    assert set(first.marks) == {"your_doses"} and set(first.acknowledgements) == {"KIDNEY_SEVERE"}
    snapshot["marks"] = {"your_doses": {"status": "understood", "reason": ""},
                         "driving": {"status": "not_discussed", "reason": "does not drive"}}
    snapshot["acknowledged"] = []
    service.apply_snapshot(sid, snapshot)
    second = service.resume(sid)
    assert second.marks["your_doses"].at == first.marks["your_doses"].at  # unchanged: not rewritten
    assert second.marks["driving"].reason == "does not drive"
    assert second.acknowledgements == {} and second.notes == "first"


def test_naive_clock_is_rejected(db_path, kidney_case):
    from datetime import datetime

    svc = RecordsService.open(db_path, clock=lambda: datetime(2026, 11, 23, 9, 0))
    try:
        with pytest.raises(ValueError, match="timezone-aware"):
            svc.start_session(kidney_case, pharmacist="SB")
    finally:
        svc.close()


def test_snapshot_round_trip_with_the_gui_session_model(service, kidney_case):
    from counsel.services.records import snapshot_of
    from counsel.services.session import CounsellingSession

    sid = service.start_session(kidney_case, pharmacist="SB")
    gui = CounsellingSession(case_data=kidney_case)
    gui.mark("your_doses", "understood")
    gui.mark("driving", "not_discussed", "does not drive")
    gui.acknowledge("KIDNEY_SEVERE")
    gui.notes = "Phone on Friday."
    service.apply_snapshot(sid, gui.to_json())
    restored = CounsellingSession.from_json(snapshot_of(service.resume(sid)))
    assert restored.marks == gui.marks and restored.acknowledged == gui.acknowledged
    assert restored.notes == gui.notes
    assert restored.case_data["patient"].get("name") is None  # names are not stored by default


def test_a_writer_waits_for_another_instead_of_failing(db_path, service, kidney_case):
    import threading
    import time

    sid = service.start_session(kidney_case, pharmacist="SB")
    blocker = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")  # another window holds the write lock...
    release = threading.Timer(0.5, lambda: blocker.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    service.save_notes(sid, "saved after the other window let go")  # ...this one waits
    assert time.monotonic() - started >= 0.3
    release.join()
    blocker.close()
    assert service.resume(sid).notes == "saved after the other window let go"


def test_apply_snapshot_writes_nothing_when_nothing_changed(service, kidney_case):
    from counsel.services.records import leaflet_given

    sid = service.start_session(kidney_case, pharmacist="SB")
    snapshot = {"case": kidney_case, "marks": {}, "acknowledged": [], "notes": "",
                "leaflet_output": "printed"}
    result = service.counselling_for(kidney_case, today=START.date())
    service.save_leaflet(sid, leaflet_given(result, b"%PDF", paper="a4", large_print=None,
                                            rendered_on=START.date()))
    before = service.resume(sid).updated_at
    service.apply_snapshot(sid, snapshot)
    assert service.resume(sid).updated_at == before
    service.apply_snapshot(sid, {**snapshot, "case": {**kidney_case, "notes": "new"},
                                 "leaflet_output": ""})
    state = service.resume(sid)
    assert state.case["notes"] == "new" and state.leaflet is None
