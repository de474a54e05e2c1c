"""Opening the records database: where it lives, WAL + foreign keys + busy timeout, then migrations.

A damaged, foreign or too-new file is reported in one line and left byte-for-byte as it was: it is
only read until it has been recognised as ours.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path

from counsel import databases
from counsel.atomic_write import write_error_advice
from counsel.records.errors import DatabaseUnusableError
from counsel.records.migrations import APPLICATION_ID, SCHEMA_VERSION, migrate, too_new_message

log = logging.getLogger(__name__)

DB_FILENAME = databases.RECORDS_FILENAME
ENV_VAR = databases.RECORDS_ENV
# Two app windows or two counters sharing a file wait for each other instead of failing.
BUSY_TIMEOUT_S = 5.0


# "postgresql://…", "sqlite:///…", "file:…": a scheme of two or more letters then ":/" (a Windows
# drive letter is one letter). Path() would turn such a URL into a relative file name.
_URL_RE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]+):/")

# SQLite primary result codes whose advice is not "restore a backup".
SQLITE_PERM, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN = 3, 8, 10, 13, 14


def refuse_url(value: str, where: str) -> None:
    """DatabaseUnusableError when `value` is a database URL, not a file path (never echoes it:
    a URL can hold a password)."""
    match = _URL_RE.match(value)
    if match is None:
        return
    scheme = match[1].lower()
    if scheme in ("postgres", "postgresql"):
        # A server URL is opened by counsel.records.store, never as a file.
        raise DatabaseUnusableError(f"{where}: a PostgreSQL URL cannot be opened as an SQLite "
                                    "file; pass it as --db or COUNSEL_DB")
    raise DatabaseUnusableError(f"{where}: a database URL was given, but '{scheme[:20]}:' URLs "
                                "are not supported; give the path of an SQLite file, e.g. "
                                "/srv/counsel/counsel-records.sqlite3, or a postgresql:// URL")


def default_db_path(env: Mapping[str, str] | None = None) -> Path:
    """$COUNSEL_DB if set, else the per-user data folder (e.g. ~/.local/share/Counsel/).

    For a file only: counsel.records.store.default_target() also accepts a postgresql:// URL."""
    refuse_url((os.environ if env is None else env).get(ENV_VAR, ""), ENV_VAR)
    return databases.records_db_path(env)  # defined there, so the output guard needs no sqlite3


def storage_problem(path: Path, exc: sqlite3.Error) -> str | None:
    """One line of advice for a full disk, a read-only file or drive, or no permission; None for
    anything else (then the file may really be damaged)."""
    code = int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    text = str(exc).lower()
    if code == SQLITE_FULL or "disk is full" in text:
        return (f"{path}: the disk is full — free some space (or move the database with "
                "COUNSEL_DB), then try again; what was already saved is kept")
    if code in (SQLITE_READONLY, SQLITE_PERM) or "readonly" in text:
        return (f"{path}: the records database is read-only (a read-only drive, or this user may "
                "not write to the file or its folder) — fix the permissions or set COUNSEL_DB to "
                "a writable place; nothing was changed")
    if code == SQLITE_CANTOPEN or "unable to open" in text:
        return (f"{path}: cannot open the records database file — check that its folder exists "
                "and this user may write there (SQLite also needs to create the -wal and -shm "
                "files beside it)")
    return None


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


def _cannot_open(path: Path, exc: sqlite3.Error) -> DatabaseUnusableError:
    problem = storage_problem(path, exc)
    return DatabaseUnusableError(problem) if problem else unusable(path, _reason(exc))


def connect(path: Path, *, migrate_to: int = SCHEMA_VERSION) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database; DatabaseUnusableError if it cannot be used."""
    refuse_url(str(path), "records database (--db or COUNSEL_DB)")
    try:
        if path.is_dir():
            raise unusable(path, "it is a folder, not a file")
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseUnusableError(
            f"{path}: cannot create its folder ({write_error_advice(exc)})") from None
    try:
        # Autocommit mode: every write below opens its own short explicit transaction.
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                               check_same_thread=False)
    except sqlite3.Error as exc:
        raise _cannot_open(path, exc) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        _set_up_with_retry(conn, path, migrate_to)
    except DatabaseUnusableError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        raise _cannot_open(path, exc) from None
    return conn
