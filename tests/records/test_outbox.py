"""Issue 14: a counter keeps working when the records server stops mid-session (real server)."""

from __future__ import annotations

import psycopg
import pytest

from counsel.records.outbox import CounterRepository, Queued, deliver
from counsel.records.pg_repo import PostgresRepository
from counsel.services.records import RecordsService
from tests.records.conftest import START, FakeClock, FakeRenderer


def _count(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM records").fetchone()
    return int(row[0]) if row else -1


def test_server_stopped_mid_session_record_waits_then_exactly_one_copy(pg_server, tmp_path,
                                                                       kidney_case):
    url = pg_server.new_database()
    repo = CounterRepository(PostgresRepository(url), tmp_path / "counter-outbox.sqlite3")
    service = RecordsService(repo, clock=FakeClock(), renderer=FakeRenderer())  # type: ignore[arg-type]
    try:
        sid = service.start_session(kidney_case, pharmacist="SB")
        result = service.counselling_for(kidney_case, today=START.date())
        service.mark_point(sid, result.points[0].id, "discussed")
        pg_server.stop()
        try:
            # The counter carries on: autosave is local, finishing queues the record.
            for point in result.points[1:]:
                service.mark_point(sid, point.id, "understood")
            for w in result.warnings:
                service.acknowledge(sid, w.code, "checked with prescriber")
            with pytest.raises(Queued) as queued:
                service.finish_session(sid)
            message = str(queued.value)
            assert "\n" not in message and "records: waiting to send (1)" in message
            assert repo.waiting() == 1 and repo.flush() == {}
        finally:
            pg_server.start()
        sent = repo.flush()
        assert list(sent) == [sid] and repo.waiting() == 0
        assert _count(url) == 1
        # Sending again (a lost reply, a second counter replaying) never makes a second copy.
        assert repo.flush() == {}
        record = service.get(sent[sid])
        assert deliver(repo.server, record, actor="SB", branch="") == sent[sid]
        assert _count(url) == 1
        assert {p.status for p in record.points} == {"discussed", "understood"}
        assert service.verify().ok
    finally:
        service.close()


def test_with_the_server_up_a_record_is_sent_at_once(pg_server, tmp_path, kidney_case):
    """Absence: no outage, nothing waits."""
    url = pg_server.new_database()
    repo = CounterRepository(PostgresRepository(url), tmp_path / "outbox.sqlite3")
    service = RecordsService(repo, clock=FakeClock(), renderer=FakeRenderer())  # type: ignore[arg-type]
    try:
        sid = service.start_session(kidney_case, pharmacist="SB")
        record_id = service.finish_session(sid)
        assert repo.waiting() == 0 and _count(url) == 1
        assert service.get(record_id).session_id == sid
    finally:
        service.close()


def test_the_status_says_how_many_records_wait(pg_server, tmp_path, kidney_case):
    url = pg_server.new_database()
    repo = CounterRepository(PostgresRepository(url), tmp_path / "outbox.sqlite3")
    service = RecordsService(repo, clock=FakeClock(), renderer=FakeRenderer())  # type: ignore[arg-type]
    try:
        assert service.status_text() == "records: on" and service.waiting_to_send() == 0
        sessions = [service.start_session(kidney_case, pharmacist="SB") for _ in range(2)]
        pg_server.stop()
        try:
            for sid in sessions:
                with pytest.raises(Queued):
                    service.finish_session(sid)
            assert service.status_text() == "records: waiting to send (2)"
            assert service.send_waiting() == 0  # still away: nothing lost, nothing sent
        finally:
            pg_server.start()
        assert service.send_waiting() == 2 and service.status_text() == "records: on"
        assert _count(url) == 2
    finally:
        service.close()


def test_without_an_outbox_there_is_nothing_waiting(tmp_path):
    """Absence: SQLite has no outbox and says so."""
    service = RecordsService.open(tmp_path / "r.sqlite3", clock=FakeClock())
    try:
        assert service.waiting_to_send() is None and service.send_waiting() == 0
        assert service.status_text() == "records: on"
    finally:
        service.close()


def test_people_can_still_sign_in_while_the_server_is_away(pg_server, tmp_path):
    """Sign-in uses the accounts this counter has seen; the access events are sent later."""
    from argon2 import PasswordHasher

    from counsel.services.accounts import AccountsService, SignInError

    url = pg_server.new_database()
    repo = CounterRepository(PostgresRepository(url), tmp_path / "outbox.sqlite3")
    clock = FakeClock()
    accounts = AccountsService(repo, clock=clock, sleeper=lambda s: None,  # type: ignore[arg-type]
                               hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
                               counter="counter 1")
    try:
        accounts.add_user("pnorth", name="Priya North", role="pharmacist", secret="482916",
                          registration="2034567", by="first-run")
        accounts.add_user("psouth", name="Sam South", role="pharmacist", secret="730215",
                          registration="2045678", by="first-run")
        accounts.sign_in("pnorth", "482916")  # seen on this counter while the server was up
        pg_server.stop()
        try:
            with pytest.raises(SignInError):
                accounts.sign_in("pnorth", "000000")
            assert accounts.sign_in("pnorth", "482916").username == "pnorth"
            with pytest.raises(SignInError):  # never seen here: cannot be checked offline
                accounts.sign_in("psouth", "730215")
        finally:
            pg_server.start()
        repo.flush()
        events = [(e.event, e.detail.endswith("(sent later)")) for e in repo.access_log("pnorth")]
        assert events[-2:] == [("sign_in_failed", True), ("signed_in", True)]
        assert [e.event for e in repo.access_log("psouth")][-1] == "sign_in_failed"
        with psycopg.connect(url, autocommit=True) as conn:
            # 2 accounts added, 1 sign-in before, 3 events during the outage: each once.
            assert conn.execute("SELECT count(*) FROM access_log").fetchone() == (6,)
        repo.flush()
        assert len(repo.access_log()) == 6
    finally:
        repo.close()
