"""The database file: migrations from empty and from v1, pragmas, and files that must be refused untouched."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from counsel.records.db import default_db_path
from counsel.records.errors import DatabaseUnusableError
from counsel.records.migrations import SCHEMA_VERSION, STEPS
from counsel.records.models import RecordQuery
from counsel.records.sqlite_repo import SQLiteRepository
from counsel.services.records import RecordsService
from tests.records.conftest import FakeClock

FIXTURES = Path(__file__).parent / "fixtures"


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN "
                                           "('table', 'trigger')")}


def _user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def build_v1(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / "schema_v1.sql").read_text(encoding="utf-8"))
    conn.close()


def test_steps_are_numbered_in_order():
    assert [v for v, _ in STEPS] == list(range(1, SCHEMA_VERSION + 1))


def test_empty_database_migrates_to_the_latest_schema(db_path):
    repo = SQLiteRepository(db_path)
    try:
        conn = repo._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    finally:
        repo.close()
    assert _user_version(db_path) == SCHEMA_VERSION
    assert {"sessions", "session_marks", "session_acks", "records", "audit",
            "records_no_update", "records_no_delete", "audit_no_update"} <= _tables(db_path)


@pytest.mark.parametrize("start", range(1, SCHEMA_VERSION))
def test_each_earlier_schema_version_migrates(tmp_path, start):
    path = tmp_path / "old.sqlite3"
    SQLiteRepository(path, migrate_to=start).close()
    assert _user_version(path) == start
    SQLiteRepository(path).close()
    assert _user_version(path) == SCHEMA_VERSION


def test_v1_fixture_migrates_and_keeps_its_data(tmp_path, renderer):
    path = tmp_path / "v1.sqlite3"
    build_v1(path)
    assert _user_version(path) == 1
    service = RecordsService.open(path, clock=FakeClock(), renderer=renderer)
    try:
        assert _user_version(path) == SCHEMA_VERSION
        [summary] = service.find()
        record = service.get(summary.id)
        assert (record.patient_ref, record.version, record.form, record.strength) == \
            ("GW1948", 1, "tablet", "10 mg")
        assert record.content_version == "unknown" and record.leaflet is None
        assert [p.status for p in record.points] == ["understood", "not_discussed"]
        assert record.warnings[0].how == "checked with prescriber"
        assert str(record.follow_up_date) == "2026-10-15"
        # The interrupted v1 session can still be resumed, marks and acknowledgements intact.
        [open_session] = service.unfinished_sessions()
        state = service.resume(open_session.id)
        assert state.notes == "interrupted"
        assert state.marks["your_doses"].status == "discussed"
        assert state.acknowledgements["ALCOHOL"].how == "patient told"
        # Migrated rows carry tamper-evidence hashes that verify.
        assert service.verify().ok and service.verify().counts["records"] == 1
        # Migrated rows are append-only too.
        with pytest.raises(sqlite3.IntegrityError, match="append-only"), \
                sqlite3.connect(path) as raw:
            raw.execute("UPDATE records SET patient_ref = 'XX'")
    finally:
        service.close()


def test_database_newer_than_the_app_is_refused_untouched(db_path):
    SQLiteRepository(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseUnusableError) as err:
        SQLiteRepository(db_path)
    message = str(err.value)
    assert "\n" not in message
    assert f"schema version {SCHEMA_VERSION + 5}" in message and "update Counsel" in message
    assert db_path.read_bytes() == before


@pytest.mark.parametrize("content", [
    b"this is not a database at all\n" * 100,
    b"SQLite format 3\x00" + b"\xff" * 4000,
], ids=["text", "damaged-header"])
def test_corrupted_file_gives_one_line_and_is_left_as_it_was(tmp_path, content):
    path = tmp_path / "records.sqlite3"
    path.write_bytes(content)
    with pytest.raises(DatabaseUnusableError) as err:
        RecordsService.open(path, clock=FakeClock())
    message = str(err.value)
    assert "\n" not in message
    assert str(path) in message and "left as it is" in message
    assert path.read_bytes() == content
    assert not Path(f"{path}-wal").exists()


def _open_and_search(path: Path) -> None:
    svc = RecordsService.open(path, clock=FakeClock())
    try:
        svc.find(RecordQuery(include_superseded=True))
    finally:
        svc.close()


def test_damaged_pages_are_reported_not_repaired(tmp_path, db_path, service, kidney_case):
    from tests.records.conftest import counsel_and_finish

    for _ in range(3):
        counsel_and_finish(service, kidney_case)
    service.close()  # the last close checkpoints the WAL into the main file
    page = 4096
    data = bytearray(db_path.read_bytes())
    assert len(data) > 3 * page
    # Keep page 1 (header and schema) readable; scribble over every table page after it.
    data[page:] = b"\xa5" * (len(data) - page)
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(bytes(data))
    with pytest.raises(DatabaseUnusableError) as err:
        _open_and_search(damaged)
    assert "\n" not in str(err.value) and "left as it is" in str(err.value)
    assert damaged.read_bytes() == bytes(data)


def test_a_folder_is_not_a_database(tmp_path):
    with pytest.raises(DatabaseUnusableError, match="folder"):
        RecordsService.open(tmp_path, clock=FakeClock())


def test_someone_elses_sqlite_file_is_refused_untouched(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE music (title TEXT)")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseUnusableError, match="not a Counsel records database"):
        RecordsService.open(path, clock=FakeClock())
    assert path.read_bytes() == before


def test_default_location_and_override(tmp_path, monkeypatch):
    assert default_db_path({"COUNSEL_DB": str(tmp_path / "x.db")}) == tmp_path / "x.db"
    default = default_db_path({})
    assert default.name == "counsel-records.sqlite3" and "Counsel" in str(default)
    monkeypatch.setenv("COUNSEL_DB", str(tmp_path / "env.db"))
    service = RecordsService.open(clock=FakeClock())
    service.close()
    assert (tmp_path / "env.db").exists()


def test_backup_copy_opens(tmp_path, service, db_path, kidney_case):
    """The documented backup route (sqlite3 .backup / Connection.backup) gives a usable copy."""
    from tests.records.conftest import counsel_and_finish

    counsel_and_finish(service, kidney_case)
    copy = tmp_path / "backup.sqlite3"
    src, dst = sqlite3.connect(db_path), sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()
    restored = RecordsService.open(copy, clock=FakeClock())
    try:
        assert len(restored.find()) == 1
    finally:
        restored.close()
    shutil.rmtree(tmp_path / "nothing", ignore_errors=True)
