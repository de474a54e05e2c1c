"""Opening the records database: where it lives, WAL + foreign keys + busy timeout, then migrations.

A damaged, foreign or too-new file is reported in one line and left byte-for-byte as it was: it is
only read until it has been recognised as ours.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path

from counsel import databases
from counsel.records.errors import DatabaseUnusableError
from counsel.records.migrations import APPLICATION_ID, SCHEMA_VERSION, migrate, too_new_message

log = logging.getLogger(__name__)

DB_FILENAME = databases.RECORDS_FILENAME
ENV_VAR = databases.RECORDS_ENV
# Two app windows or two counters sharing a file wait for each other instead of failing.
BUSY_TIMEOUT_S = 5.0


def default_db_path(env: Mapping[str, str] | None = None) -> Path:
    """$COUNSEL_DB if set, else the per-user data folder (e.g. ~/.local/share/Counsel/)."""
    return databases.records_db_path(env)  # defined there, so the output guard needs no sqlite3


def unusable(path: Path, reason: str) -> DatabaseUnusableError:
    return DatabaseUnusableError(
        f"{path}: cannot use this records database ({reason}); the file was left as it is — "
        "restore a backup or move it aside to start a new one"
    )


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    return text.rstrip(".")


def _recognise(conn: sqlite3.Connection, path: Path) -> None:
    """Read-only checks before anything is written to the file."""
    tables = int(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables > 0):
        raise unusable(path, "it is an SQLite file but not a Counsel records database")
    if version > SCHEMA_VERSION:
        raise DatabaseUnusableError(too_new_message(str(path), version))


def _set_up(conn: sqlite3.Connection, path: Path, migrate_to: int) -> None:
    _recognise(conn, path)
    mode = str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
    if mode.lower() != "wal":
        log.warning("records database: journal mode is %s, not WAL", mode)
    # FULL: a commit is on disk before it returns, so a power cut loses no saved change.
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    migrate(conn, name=str(path), target=migrate_to)


def _set_up_with_retry(conn: sqlite3.Connection, path: Path, migrate_to: int) -> None:
    """Set up the connection, retrying while another process is switching the file to WAL.

    WORKAROUND: SQLite does not call the busy handler while a connection changes the journal mode
    or reads the schema of a file another connection is converting, so two processes opening a new
    file at the same moment can get an immediate "database is locked". Retrying within the busy
    timeout makes that case wait like every other lock.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    delay = 0.01
    while True:
        try:
            _set_up(conn, path, migrate_to)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


def connect(path: Path, *, migrate_to: int = SCHEMA_VERSION) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database; DatabaseUnusableError if it cannot be used."""
    if path.is_dir():
        raise unusable(path, "it is a folder, not a file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise unusable(path, f"cannot create its folder: {exc.strerror or exc}") from None
    try:
        # Autocommit mode: every write below opens its own short explicit transaction.
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                               check_same_thread=False)
    except sqlite3.Error as exc:
        raise unusable(path, _reason(exc)) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        _set_up_with_retry(conn, path, migrate_to)
    except DatabaseUnusableError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        raise unusable(path, _reason(exc)) from None
    return conn
