"""Issue 14 on a real PostgreSQL server: concurrent counters, the database's own refusals, RLS."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest

from counsel.records.pg_migrations import APP_ROLE
from counsel.records.store import open_repository
from counsel.services.records import RecordsService, leaflet_given
from tests.conftest import load_example
from tests.records.conftest import FakeClock, FakeRenderer, counsel_and_finish


def _counter(url: str, counter: int, count: int) -> list[int]:
    """One counter (its own process and connection) recording `count` leaflets: each session
    counselled, its leaflet (a stand-in PDF: the bytes are not the point here) recorded, finished
    and the print logged."""
    clock = FakeClock(datetime(2026, 11, 23, 9, tzinfo=UTC) + timedelta(hours=counter))
    service = RecordsService.open(url, clock=clock, renderer=FakeRenderer())
    try:
        case = load_example("older-adult-kidney.json")
        result = service.counselling_for(case, today=clock.now.date())
        ids = []
        for n in range(count):
            sid = service.start_session(case, pharmacist=f"C{counter}")
            for point in result.points:
                service.mark_point(sid, point.id, "discussed")
            for w in result.warnings:
                service.acknowledge(sid, w.code, "checked with prescriber")
            pdf = f"%PDF-counter-{counter}-{n}".encode()
            service.save_leaflet(sid, leaflet_given(result, pdf, paper="a4", large_print=None,
                                                    rendered_on=clock.now.date()))
            ids.append(service.finish_session(sid))
            service.log_print(ids[-1], by=f"C{counter}")
        return ids
    finally:
        service.close()


def _login_role(pg_server: Any, url: str, name: str) -> str:
    """A counter's login role: a member of counsel_app, nothing more."""
    pg_server.sql(f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{name}')"
                  f" THEN CREATE ROLE {name} LOGIN IN ROLE {APP_ROLE}; END IF; END $$")
    return url.replace("counsel_owner@", f"{name}@")


def test_four_counters_record_25_leaflets_each_into_one_server(pg_server):
    url = pg_server.new_database()
    open_repository(url).close()  # migrated once by the owner; the counters log in as the app role
    app_url = _login_role(pg_server, url, "counter_app")
    watcher = open_repository(app_url)
    snapshots = []
    try:
        with multiprocessing.get_context("spawn").Pool(4) as pool:
            pending = pool.starmap_async(_counter, [(app_url, n, 25) for n in range(4)])
            # Meanwhile another counter keeps reading: every snapshot it sees is whole (each
            # record with its audit entry, both chains intact), never a half-written record.
            while not pending.ready():
                report = watcher.verify()
                assert report.ok, report.message
                # One statement, one snapshot: every record visible has its 'finished' entry.
                row = watcher._conn.raw.execute(  # type: ignore[attr-defined]
                    "SELECT (SELECT count(*) FROM records),"
                    " (SELECT count(*) FROM audit WHERE action = 'finished')").fetchone()
                assert row[0] == row[1]
                snapshots.append(report.counts)
                pending.wait(0.05)
            ids = pending.get()
    finally:
        watcher.close()
    # Each record is added with its 'finished' entry in one transaction; its print follows.
    assert all(c["records"] <= c["audit"] <= 2 * c["records"] for c in snapshots)
    assert len({c["records"] for c in snapshots}) > 1  # it really watched the writes happen
    flat = sorted(i for batch in ids for i in batch)
    assert flat == list(range(1, 101))  # exactly 100 records, none lost, none doubled
    service = RecordsService.open(url, clock=FakeClock())
    try:
        report = service.verify()
        assert report.ok and report.counts == {"records": 100, "audit": 200}, report.message
        assert {r.pharmacist for r in service.find()} == {"C0", "C1", "C2", "C3"}
        leaflets = {service.get(i).leaflet.sha256 for i in flat}  # type: ignore[union-attr]
        assert len(leaflets) == 100  # every record kept its own leaflet
    finally:
        service.close()


def test_the_application_role_cannot_update_delete_or_truncate_a_record(pg_server, kidney_case):
    url = pg_server.new_database()
    app_url = _login_role(pg_server, url, "counter_rw")
    owner = RecordsService.open(url, clock=FakeClock(), renderer=FakeRenderer())
    owner.close()
    service = RecordsService.open(app_url, clock=FakeClock(), renderer=FakeRenderer())
    try:
        _, record_id = counsel_and_finish(service, kidney_case)  # the app role may add records
    finally:
        service.close()
    with psycopg.connect(app_url, autocommit=True) as conn:
        for statement in ("UPDATE records SET patient_ref = 'ZZ'", "DELETE FROM records",
                          "TRUNCATE records", "UPDATE audit SET actor = 'ZZ'", "DELETE FROM audit",
                          "DELETE FROM access_log"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)  # type: ignore[arg-type]
        assert conn.execute("SELECT count(*) FROM records").fetchone() == (1,)
    # Even the owner (who has every privilege) is stopped by the triggers.
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in ("UPDATE records SET patient_ref = 'ZZ'", "DELETE FROM records",
                          "TRUNCATE records CASCADE", "DELETE FROM audit"):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                conn.execute(statement)  # type: ignore[arg-type]
        row = conn.execute("SELECT patient_ref FROM records WHERE id = %s", (record_id,)).fetchone()
        assert row == ("GW1948",)


def test_a_trainee_connection_sees_no_real_records_by_row_level_security(pg_server, kidney_case):
    url = pg_server.new_database()
    app_url = _login_role(pg_server, url, "counter_rls")
    service = RecordsService.open(url, clock=FakeClock(), renderer=FakeRenderer())
    try:
        counsel_and_finish(service, kidney_case)
    finally:
        service.close()
    repo = open_repository(app_url)
    try:
        raw = repo._conn.raw  # type: ignore[attr-defined]
        # The database itself filters: the trainee scope returns no rows whatever the query.
        repo.set_scope("none")
        assert raw.execute("SELECT count(*) FROM records").fetchone() == (0,)
        repo.set_scope("branch", "south")
        assert raw.execute("SELECT count(*) FROM records").fetchone() == (0,)
        repo.set_scope("branch", "")  # the record was made without accounts: branch ''
        assert raw.execute("SELECT count(*) FROM records").fetchone() == (1,)
        # Verify still reads every row (a trainee's counter can check the chains).
        repo.set_scope("none")
        assert repo.verify().counts["records"] == 1
    finally:
        repo.close()


def test_a_server_newer_than_the_app_is_refused(pg_server):
    url = pg_server.new_database()
    open_repository(url).close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO counsel_schema (version) VALUES (99)")
    from counsel.records.errors import DatabaseUnusableError

    with pytest.raises(DatabaseUnusableError, match="newer than this app"):
        open_repository(url)


def test_records_cli_works_against_the_server(pg_server, kidney_case, capsys):
    from counsel.cli import run
    from tests.conftest import TODAY

    url = pg_server.new_database()
    service = RecordsService.open(url, clock=FakeClock(), renderer=FakeRenderer())
    try:
        counsel_and_finish(service, kidney_case)
    finally:
        service.close()
    assert run(["records", "list", "--db", url], today=TODAY) == 0
    assert "GW1948" in capsys.readouterr().out
    assert run(["records", "verify", "--db", url], today=TODAY) == 0
    assert "OK: 1 record rows" in capsys.readouterr().out


def test_health_check_and_render_record_against_the_server(pg_server, tmp_path, capsys):
    """`main.py --check`'s records part and `render --record` work with a server URL."""
    import json

    from counsel.cli import run
    from counsel.services.casework import counsel_file
    from counsel.services.records import records_health
    from tests.conftest import TODAY

    url = pg_server.new_database()
    health = records_health(url)
    assert health.ok and health.detail.startswith("OK: 0 record rows"), health.problem
    case = tmp_path / "case.json"
    case.write_text(json.dumps(load_example("older-adult-kidney.json")), encoding="utf-8")
    codes = ",".join(w.code for w in counsel_file(case, today=TODAY).warnings)
    out = tmp_path / "leaflet.pdf"
    # --db through argparse's type=Path (which folds "//") still reaches the server.
    assert run(["render", str(case), "-o", str(out), "--record", "--acknowledge", codes,
                "--db", url], today=TODAY) == 0, capsys.readouterr().err
    assert out.exists() and records_health(url).detail.startswith("OK: 1 record rows")
    # Absence: a server that is down is unhealthy in one line.
    down = records_health("postgresql://nobody@127.0.0.1:1/none")
    assert not down.ok and "records server unreachable" in down.problem
