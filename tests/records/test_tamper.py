"""Finished records, the audit log and finished sessions cannot be replaced or quietly rewritten.

Raw sqlite3 on the real file, as a curious or careless user with the sqlite3 shell would do it.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from counsel.cli import run
from counsel.records.chain import BrokenLink, ChainReport
from counsel.records.sqlite_repo import SQLiteRepository
from counsel.services.records import RecordsService
from tests.conftest import TODAY
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
    " body_json, row_hash) SELECT id, session_id, finished_at, 'XX', 'FORGED', drug, body_json,"
    " row_hash FROM records WHERE id = :rid",
    "REPLACE INTO records SELECT * FROM records WHERE id = :rid",
    # A new id that meets the unique (session, version): REPLACE would drop the original instead.
    "INSERT OR REPLACE INTO records (session_id, finished_at, pharmacist, patient_ref, drug,"
    " body_json, version, row_hash) SELECT session_id, finished_at, 'XX', 'FORGED', drug, '{}',"
    " version, row_hash FROM records WHERE id = :rid",
    "INSERT INTO records (id, session_id, finished_at, pharmacist, patient_ref, drug, body_json,"
    " row_hash) SELECT id, session_id, finished_at, pharmacist, patient_ref, drug, body_json,"
    " row_hash FROM records WHERE id = :rid ON CONFLICT (id) DO UPDATE SET patient_ref = 'FORGED'",
    "INSERT OR REPLACE INTO audit (id, at, actor, action, record_id, detail, row_hash)"
    " SELECT id, at, 'XX', action, record_id, 'forged', row_hash FROM audit WHERE record_id = :rid",
    "REPLACE INTO audit SELECT * FROM audit",
    "INSERT INTO audit (id, at, actor, action, record_id, detail, row_hash) SELECT id, at, actor,"
    " action, record_id, detail, row_hash FROM audit WHERE true"
    " ON CONFLICT (id) DO UPDATE SET detail = 'forged'",
    "INSERT OR REPLACE INTO sessions (id, pharmacist, started_at, updated_at)"
    " VALUES (:sid, 'XX', 'x', 'x')",
    "INSERT OR REPLACE INTO session_marks (session_id, point_id, status, marked_at)"
    " VALUES (:sid, 'your_doses', 'understood', 'x')",
    # An open session renamed onto a finished one: REPLACE would drop the finished session.
    "UPDATE OR REPLACE sessions SET id = :sid WHERE status = 'open'",
]


@pytest.mark.parametrize("sql", REWRITES, ids=[
    "records-insert-or-replace", "records-replace-into", "records-replace-unique-index",
    "records-upsert", "audit-insert-or-replace", "audit-replace-into", "audit-upsert",
    "session-insert-or-replace", "closed-session-marks", "session-update-or-replace"])
def test_replacing_an_existing_row_is_refused_by_the_database(finished, db_path, sql):
    sid, record_id = finished
    conn = _raw(db_path)
    conn.execute("INSERT INTO sessions (id, pharmacist, started_at, updated_at)"
                 " VALUES ('open-one', 'SB', 'x', 'x')")
    conn.close()
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
    assert _verify(db_path).ok


def _verify(path: Path) -> ChainReport:
    repo = SQLiteRepository(path)
    try:
        return repo.verify()
    finally:
        repo.close()


def _edit(path: Path, *sql: str) -> None:
    """What someone with the sqlite3 shell could do: drop the guard, then change the file."""
    conn = _raw(path)
    try:
        for statement in sql:
            conn.execute(statement)
    finally:
        conn.close()


def test_an_intact_database_verifies_and_the_cli_says_ok(finished, db_path, capsys):
    report = _verify(db_path)
    assert report.ok and report.counts == {"records": 3, "audit": 3}
    assert all(len(h) == 64 for h in report.heads.values())
    assert run(["records", "verify", "--db", str(db_path)], today=TODAY) == 0
    out = capsys.readouterr().out
    assert out.startswith("records verify: OK: 3 record rows and 3 audit entries")


def test_a_rewritten_record_is_named_by_verify(finished, db_path, capsys):
    _, record_id = finished
    _edit(db_path, "DROP TRIGGER records_no_update",
          f"UPDATE records SET patient_ref = 'XX1999' WHERE id = {record_id}")
    report = _verify(db_path)
    assert not report.ok and report.broken is not None
    assert (report.broken.table, report.broken.id) == ("records", record_id)
    assert run(["records", "verify", "--db", str(db_path)], today=TODAY) == 4
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(f"records verify: BROKEN: records id {record_id}: ")
    assert run(["records", "verify", "--json", "--db", str(db_path)], today=TODAY) == 4
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and data["broken"]["table"] == "records"
    assert data["broken"]["id"] == record_id


def test_a_rewritten_body_or_audit_detail_is_named(finished, db_path):
    _edit(db_path, "DROP TRIGGER audit_no_update", "UPDATE audit SET actor = 'ZZ' WHERE id = 2")
    broken = _verify(db_path).broken
    assert isinstance(broken, BrokenLink) and (broken.table, broken.id) == ("audit", 2)
    _edit(db_path, "DROP TRIGGER records_no_update",
          "UPDATE records SET body_json = json_set(body_json, '$.notes', 'changed') WHERE id = 2")
    broken = _verify(db_path).broken
    assert broken is not None and (broken.table, broken.id) == ("records", 2)  # records come first


def test_removed_and_added_rows_are_named(finished, db_path):
    # A middle audit entry removed: the entry after it no longer links.
    _edit(db_path, "DROP TRIGGER audit_no_delete", "DELETE FROM audit WHERE id = 2")
    broken = _verify(db_path).broken
    assert broken is not None and (broken.table, broken.id) == ("audit", 3)


def test_a_removed_last_record_is_named_through_its_audit_entry(finished, db_path):
    _edit(db_path, "DROP TRIGGER records_no_delete", "DELETE FROM records WHERE id = 3")
    broken = _verify(db_path).broken
    assert broken is not None and (broken.table, broken.id) == ("records", 3)
    assert "audit entry 3 refers to it" in broken.problem


def test_rows_added_outside_counsel_are_refused_or_named(finished, db_path):
    with pytest.raises(sqlite3.IntegrityError, match="tamper-evidence hash"):
        _edit(db_path, "INSERT INTO audit (at, actor, action, detail) VALUES ('x', 'SB', 'viewed', '')")
    _edit(db_path, "INSERT INTO audit (at, actor, action, detail, row_hash)"
                   f" VALUES ('x', 'SB', 'viewed', '', '{'ab' * 32}')")
    broken = _verify(db_path).broken
    assert broken is not None and (broken.table, broken.id) == ("audit", 4)


def test_migration_hashes_existing_rows(tmp_path, clock, renderer, kidney_case):
    """A v4 database with records and audit entries gains hashes that verify; nothing else moves."""
    path = tmp_path / "v4.sqlite3"
    old = RecordsService.open(path, clock=clock, renderer=renderer)
    try:
        _, first = counsel_and_finish(old, kidney_case)
        old.correct(first, by="JK", why="typo", changes={"notes": "fixed"})
        old.get(first, viewed_by="SB")
    finally:
        old.close()
    # Take the file back to exactly the v4 layout (this app only writes the current schema).
    _edit(path, "DROP TABLE accounts", "DROP TABLE access_log",  # v7
          "DROP INDEX records_by_branch", "ALTER TABLE records DROP COLUMN branch",
          "ALTER TABLE sessions DROP COLUMN branch",
          "DROP TRIGGER sessions_keep_id",  # v6
          "DROP TRIGGER records_hash_required", "DROP TRIGGER audit_hash_required",
          "ALTER TABLE records DROP COLUMN row_hash", "ALTER TABLE audit DROP COLUMN row_hash",
          "PRAGMA user_version = 4")
    conn = _raw(path)
    try:
        before = [*conn.execute("SELECT * FROM records ORDER BY id"),
                  *conn.execute("SELECT * FROM audit ORDER BY id")]
    finally:
        conn.close()
    report = _verify(path)  # opening migrates to the current schema
    assert report.ok and report.counts == {"records": 2, "audit": 3}
    conn = _raw(path)
    try:
        # Every v4 column as it was (v5's row_hash and v7's branch come after them).
        after = [r[:len(v4)] for r, v4 in zip(
            [*conn.execute("SELECT * FROM records ORDER BY id"),
             *conn.execute("SELECT * FROM audit ORDER BY id")], before, strict=True)]
        triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    finally:
        conn.close()
    assert after == before
    assert {"records_no_update", "audit_no_update", "records_hash_required"} <= triggers
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        _edit(path, "UPDATE records SET row_hash = NULL")
