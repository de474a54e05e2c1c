"""The step-3 calendar tick ("I have checked this calendar against the prescription"): schema v3,
autosave and resume, the finished record, exports, `records show` and the history view."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from counsel.cli import run
from counsel.gui.records.detail import record_html
from counsel.records.errors import SessionClosedError
from counsel.records.exporting import from_json
from counsel.records.migrations import SCHEMA_VERSION
from counsel.records.models import Record, RecordQuery, calendar_check_text
from counsel.records.sqlite_repo import SQLiteRepository
from counsel.services.records import RecordsService, snapshot_of
from counsel.services.session import CounsellingSession
from tests.conftest import TODAY, load_example
from tests.records.conftest import FakeClock, counsel_and_finish
from tests.records.test_database import build_v1


def _rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _columns(path: Path, table: str) -> dict[str, tuple[Any, ...]]:
    return {r[1]: r for r in _rows(path, f"PRAGMA table_info({table})")}


def test_v2_database_migrates_to_v3_keeping_its_rows(tmp_path, renderer):
    path = tmp_path / "v2.sqlite3"
    build_v1(path)  # the frozen v1 file (one finished record, one open session)...
    SQLiteRepository(path, migrate_to=2).close()  # ...as a v2 database
    assert _rows(path, "PRAGMA user_version") == [(2,)]
    assert "schedule_checked" not in _columns(path, "sessions")
    session_cols = ", ".join(_columns(path, "sessions"))
    record_cols = ", ".join(_columns(path, "records"))
    sessions_before = _rows(path, f"SELECT {session_cols} FROM sessions ORDER BY id")
    records_before = _rows(path, f"SELECT {record_cols} FROM records ORDER BY id")

    service = RecordsService.open(path, clock=FakeClock(), renderer=renderer)
    try:
        assert _rows(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)] and SCHEMA_VERSION >= 3
        column = _columns(path, "sessions")["schedule_checked"]
        assert (column[2], column[3], column[4]) == ("INTEGER", 1, "0")  # type, NOT NULL, default
        assert "calendar_checked" in _columns(path, "records")
        # Every old row is still there, unchanged, with the defaults in the new columns.
        assert _rows(path, f"SELECT {session_cols}, schedule_checked FROM sessions ORDER BY id") == \
            [(*row, 0) for row in sessions_before]
        assert _rows(path, f"SELECT {record_cols}, calendar_checked FROM records ORDER BY id") == \
            [(*row, None) for row in records_before]
        [summary] = service.find()
        record = service.get(summary.id)
        assert record.calendar_checked is None and record.patient_ref == "GW1948"
        # An old record with a calendar does not claim "no calendar": the check was not kept then.
        assert calendar_check_text(record.calendar_checked, record.case).startswith("not recorded")
        [open_session] = service.unfinished_sessions()
        state = service.resume(open_session.id)
        assert state.schedule_checked is False and state.notes == "interrupted"
        # The open v2 session takes the tick; the finished one stays closed (triggers still hold).
        service.set_schedule_checked(open_session.id, True)
        assert service.resume(open_session.id).schedule_checked is True
        with pytest.raises(SessionClosedError):
            service.set_schedule_checked(record.session_id, True)
        with pytest.raises(sqlite3.IntegrityError, match="closed"), sqlite3.connect(path) as raw:
            raw.execute("UPDATE sessions SET schedule_checked = 1 WHERE status = 'finished'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"), sqlite3.connect(path) as raw:
            raw.execute("UPDATE records SET calendar_checked = 1")
    finally:
        service.close()


def test_apply_snapshot_and_resume_round_trip_the_tick(service, kidney_case):
    sid = service.start_session(kidney_case, pharmacist="SB")
    gui = CounsellingSession(case_data=kidney_case)
    gui.mark("your_doses", "understood")
    service.apply_snapshot(sid, gui.to_json())
    assert service.resume(sid).schedule_checked is False

    gui.schedule_checked = True
    service.apply_snapshot(sid, gui.to_json())
    state = service.resume(sid)
    assert state.schedule_checked is True
    restored = CounsellingSession.from_json(snapshot_of(state))
    assert restored.schedule_checked is True and restored.marks == gui.marks

    # Only a change is written: the same snapshot again leaves the session untouched.
    service.apply_snapshot(sid, gui.to_json())
    assert service.resume(sid).updated_at == state.updated_at
    # A snapshot without the key (an older caller) leaves the stored tick alone.
    service.apply_snapshot(sid, {k: v for k, v in gui.to_json().items() if k != "schedule_checked"})
    assert service.resume(sid).schedule_checked is True

    gui.schedule_checked = False  # e.g. the calendar changed and must be checked again
    service.apply_snapshot(sid, gui.to_json())
    assert service.resume(sid).schedule_checked is False


def test_a_discarded_session_forgets_the_tick(service, kidney_case):
    sid = service.start_session(kidney_case, pharmacist="SB")
    service.set_schedule_checked(sid, True)
    service.discard_session(sid, by="SB")
    assert service.repo.load_session(sid).schedule_checked is False


@pytest.mark.parametrize("checked", [True, False])
def test_a_finished_record_says_whether_the_calendar_was_checked(service, kidney_case, checked):
    sid = service.start_session(kidney_case, pharmacist="SB")
    service.apply_snapshot(sid, {"schedule_checked": checked})
    record = service.get(service.finish_session(sid))
    assert record.calendar_checked is checked
    assert record.to_dict()["calendar_checked"] is checked
    with pytest.raises(SessionClosedError):
        service.set_schedule_checked(sid, not checked)
    # A correction keeps it (it is not something a correction can change).
    corrected = service.get(service.correct(record.id, by="JK", why="notes", changes={"notes": "x"}))
    assert corrected.calendar_checked is checked
    assert _stored_calendar_checked(service, record.id) == int(checked)


def _stored_calendar_checked(service: RecordsService, record_id: int) -> Any:
    return service.repo._conn.execute(  # type: ignore[attr-defined]
        "SELECT calendar_checked FROM records WHERE id = ?", (record_id,)).fetchone()[0]


def test_a_pump_patient_has_no_calendar_to_check(service):
    pump = load_example("intrathecal-pump.json")
    sid = service.start_session(pump, pharmacist="SB")
    service.set_schedule_checked(sid, True)  # even a stray tick: there was no calendar on screen
    record = service.get(service.finish_session(sid))
    assert record.calendar_checked is None
    assert _stored_calendar_checked(service, record.id) is None
    assert calendar_check_text(record.calendar_checked, record.case) == "no calendar to check"


def test_exports_carry_the_check_and_json_reads_back_equal(service, kidney_case):
    sid = service.start_session(kidney_case, pharmacist="SB")
    service.set_schedule_checked(sid, True)
    ticked = service.finish_session(sid)
    _, unticked = counsel_and_finish(service, kidney_case)
    pump_sid = service.start_session(load_example("intrathecal-pump.json"), pharmacist="SB")
    pump = service.finish_session(pump_sid)

    back = from_json(service.export("json", by="SB"))
    assert back == service.repo.records(RecordQuery(include_superseded=True))
    assert {r.id: r.calendar_checked for r in back} == {ticked: True, unticked: False, pump: None}
    assert all(isinstance(r, Record) for r in back)

    rows = list(csv.DictReader(io.StringIO(service.export("csv", by="SB"))))
    assert {int(r["record_id"]): r["calendar_checked"] for r in rows} == \
        {ticked: "yes", unticked: "no", pump: ""}


def test_an_export_from_before_v3_still_reads(service, kidney_case):
    _, record_id = counsel_and_finish(service, kidney_case)
    data = json.loads(service.export("json", by="SB"))
    for r in data["records"]:
        del r["calendar_checked"]
    [record] = from_json(json.dumps(data))
    assert record.id == record_id and record.calendar_checked is None


def test_records_show_json_and_the_history_view(service, kidney_case, db_path, capsys, monkeypatch):
    sid = service.start_session(kidney_case, pharmacist="SB")
    service.set_schedule_checked(sid, True)
    record_id = service.finish_session(sid)
    _, unticked = counsel_and_finish(service, kidney_case)

    monkeypatch.setenv("COUNSEL_DB", str(db_path))
    assert run(["records", "show", str(record_id), "--json"], today=TODAY) == 0
    assert json.loads(capsys.readouterr().out)["record"]["calendar_checked"] is True

    html = record_html(service.get(record_id), service.versions(record_id), [])
    assert "<td>Calendar</td><td>checked against the prescription</td>" in html
    html = record_html(service.get(unticked), service.versions(unticked), [])
    assert "<td>Calendar</td><td>NOT checked</td>" in html
