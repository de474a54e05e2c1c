"""Finished records, the audit log and finished sessions cannot be replaced or quietly rewritten.

Raw sqlite3 on the real file, as a curious or careless user with the sqlite3 shell would do it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from counsel.services.records import RecordsService
from tests.records.conftest import counsel_and_finish


def _raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def _dump(path: Path) -> list[tuple[object, ...]]:
    conn = _raw(path)
    try:
        return [*conn.execute("SELECT * FROM records ORDER BY id"),
                *conn.execute("SELECT * FROM audit ORDER BY id"),
                *conn.execute("SELECT * FROM sessions ORDER BY id")]
    finally:
        conn.close()


@pytest.fixture
def finished(service, kidney_case, db_path):  # type: ignore[no-untyped-def]
    """Two finished records (the second corrected once); returns (session id, first record id)."""
    sid, record_id = counsel_and_finish(service, kidney_case)
    counsel_and_finish(service, kidney_case, pharmacist="JK")
    service.correct(record_id, by="JK", why="typo", changes={"notes": "fixed"})
    service.close()
    return sid, record_id


REWRITES = [
    # REPLACE deletes the old row without firing the DELETE trigger (recursive_triggers is off).
    "INSERT OR REPLACE INTO records (id, session_id, finished_at, pharmacist, patient_ref, drug,"
    " body_json) SELECT id, session_id, finished_at, 'XX', 'FORGED', drug, body_json FROM records"
    " WHERE id = :rid",
    "REPLACE INTO records SELECT * FROM records WHERE id = :rid",
    # A new id that meets the unique (session, version): REPLACE would drop the original instead.
    "INSERT OR REPLACE INTO records (session_id, finished_at, pharmacist, patient_ref, drug,"
    " body_json, version) SELECT session_id, finished_at, 'XX', 'FORGED', drug, '{}', version"
    " FROM records WHERE id = :rid",
    "INSERT INTO records (id, session_id, finished_at, pharmacist, patient_ref, drug, body_json)"
    " SELECT id, session_id, finished_at, pharmacist, patient_ref, drug, body_json FROM records"
    " WHERE id = :rid ON CONFLICT (id) DO UPDATE SET patient_ref = 'FORGED'",
    "INSERT OR REPLACE INTO audit (id, at, actor, action, record_id, detail)"
    " SELECT id, at, 'XX', action, record_id, 'forged' FROM audit WHERE record_id = :rid",
    "REPLACE INTO audit SELECT * FROM audit",
    "INSERT INTO audit (id, at, actor, action, record_id, detail) SELECT id, at, actor, action,"
    " record_id, detail FROM audit WHERE true ON CONFLICT (id) DO UPDATE SET detail = 'forged'",
    "INSERT OR REPLACE INTO sessions (id, pharmacist, started_at, updated_at)"
    " VALUES (:sid, 'XX', 'x', 'x')",
    "INSERT OR REPLACE INTO session_marks (session_id, point_id, status, marked_at)"
    " VALUES (:sid, 'your_doses', 'understood', 'x')",
]


@pytest.mark.parametrize("sql", REWRITES, ids=[
    "records-insert-or-replace", "records-replace-into", "records-replace-unique-index",
    "records-upsert", "audit-insert-or-replace", "audit-replace-into", "audit-upsert",
    "session-insert-or-replace", "closed-session-marks"])
def test_replacing_an_existing_row_is_refused_by_the_database(finished, db_path, sql):
    sid, record_id = finished
    before = _dump(db_path)
    conn = _raw(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match=r"append-only|never replaced|closed"):
            conn.execute(sql, {"rid": record_id, "sid": sid})
    finally:
        conn.close()
    assert _dump(db_path) == before


def test_new_rows_and_open_sessions_still_work(finished, db_path, clock, renderer, kidney_case):
    """Absence: the guards only stop rewrites; the app's own inserts and upserts go through."""
    service = RecordsService.open(db_path, clock=clock, renderer=renderer)
    try:
        assert [a.action for a in service.audit()] == ["finished", "finished", "corrected"]
        # An open session's marks are upserted as the pharmacist changes them.
        sid = service.start_session(kidney_case, pharmacist="SB")
        service.mark_point(sid, "your_doses", "discussed")
        service.mark_point(sid, "your_doses", "understood")
        assert service.resume(sid).marks["your_doses"].status == "understood"
        new_id = service.finish_session(sid)
        assert service.get(new_id).points and len(service.find()) == 3
    finally:
        service.close()
    conn = _raw(db_path)
    try:  # a brand-new audit row is still an append
        conn.execute("INSERT INTO audit (at, actor, action, detail) VALUES ('x', 'SB', 'viewed', '')")
    finally:
        conn.close()
