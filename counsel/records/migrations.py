"""Versioned schema: ordered steps, the version kept in PRAGMA user_version.

Never edit a released step; add a new one. Each step is a list of single SQL statements (trigger
bodies contain semicolons, so statements are not split from one script) or Python functions that
run in the same transaction (v5 computes hashes).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TypeAlias

from counsel.records.chain import fill_hashes
from counsel.records.errors import DatabaseUnusableError

# A step is one SQL statement, or a function run inside the migration transaction.
Step: TypeAlias = str | Callable[[sqlite3.Connection], None]

# 'Cnsl': marks the file as a Counsel records database in its header.
APPLICATION_ID = 0x436E736C

_V1 = [
    f"PRAGMA application_id = {APPLICATION_ID}",
    """CREATE TABLE sessions (
        id          TEXT PRIMARY KEY,
        status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'finished', 'discarded')),
        pharmacist  TEXT NOT NULL,
        patient_ref TEXT NOT NULL DEFAULT '',
        local_id    TEXT,
        started_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        case_json   TEXT NOT NULL DEFAULT '{}',
        notes       TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX sessions_by_status ON sessions (status, updated_at)",
    """CREATE TABLE session_marks (
        session_id TEXT NOT NULL REFERENCES sessions (id),
        point_id   TEXT NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('discussed', 'understood', 'not_discussed')),
        reason     TEXT NOT NULL DEFAULT '',
        marked_at  TEXT NOT NULL,
        PRIMARY KEY (session_id, point_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE session_acks (
        session_id      TEXT NOT NULL REFERENCES sessions (id),
        code            TEXT NOT NULL,
        how             TEXT NOT NULL,
        acknowledged_at TEXT NOT NULL,
        PRIMARY KEY (session_id, code)
    ) WITHOUT ROWID""",
    """CREATE TABLE records (
        id          INTEGER PRIMARY KEY,
        session_id  TEXT NOT NULL REFERENCES sessions (id),
        finished_at TEXT NOT NULL,
        pharmacist  TEXT NOT NULL,
        patient_ref TEXT NOT NULL,
        drug        TEXT NOT NULL,
        body_json   TEXT NOT NULL
    )""",
]


def _frozen_while_closed(table: str) -> list[str]:
    """Marks and acknowledgements of a finished (or discarded) session can no longer change."""
    return [
        f"""CREATE TRIGGER {table}_frozen_{event.lower()} BEFORE {event} ON {table}
        WHEN (SELECT status FROM sessions WHERE id = {row}.session_id) <> 'open'
        BEGIN SELECT RAISE(ABORT, 'this session is closed: its marks can no longer change'); END"""
        for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))
    ]


_APPEND_ONLY = "counselling records are append-only: add a correction instead"
_RECORDS_NO_UPDATE = f"""CREATE TRIGGER records_no_update BEFORE UPDATE ON records
        BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"""
_AUDIT_NO_UPDATE = """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"""
_V2 = [
    # v2: leaflets, corrections as new versions, searchable columns, an audit log, and triggers that
    # make finished records and the audit log append-only.
    "ALTER TABLE sessions ADD COLUMN leaflet_json TEXT",
    "ALTER TABLE records ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE records ADD COLUMN supersedes INTEGER REFERENCES records (id)",
    "ALTER TABLE records ADD COLUMN form TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE records ADD COLUMN strength TEXT NOT NULL DEFAULT ''",
    # v1 bodies had no leaflet or content version; fill them before the rows become immutable.
    """UPDATE records SET
        form = coalesce(json_extract(body_json, '$.form'), ''),
        strength = coalesce(json_extract(body_json, '$.strength'), ''),
        body_json = json_set(body_json,
                             '$.leaflet', json_extract(body_json, '$.leaflet'),
                             '$.content_version',
                             coalesce(json_extract(body_json, '$.content_version'), 'unknown'))""",
    "CREATE UNIQUE INDEX records_session_version ON records (session_id, version)",
    "CREATE UNIQUE INDEX records_one_correction ON records (supersedes)",
    "CREATE INDEX records_by_finished ON records (finished_at)",
    "CREATE INDEX records_by_patient ON records (patient_ref)",
    "CREATE INDEX records_by_drug ON records (drug)",
    "CREATE INDEX records_by_pharmacist ON records (pharmacist)",
    """CREATE TABLE audit (
        id        INTEGER PRIMARY KEY,
        at        TEXT NOT NULL,
        actor     TEXT NOT NULL,
        action    TEXT NOT NULL CHECK (action IN ('finished', 'corrected', 'printed', 'reprinted',
                                                  'exported', 'viewed', 'discarded')),
        record_id INTEGER REFERENCES records (id),
        detail    TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX audit_by_record ON audit (record_id)",
    _RECORDS_NO_UPDATE,
    f"""CREATE TRIGGER records_no_delete BEFORE DELETE ON records
        BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END""",
    _AUDIT_NO_UPDATE,
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER sessions_closed_no_update BEFORE UPDATE ON sessions WHEN OLD.status <> 'open'
        BEGIN SELECT RAISE(ABORT, 'this session is closed and can no longer change'); END""",
    """CREATE TRIGGER sessions_finished_no_delete BEFORE DELETE ON sessions
        WHEN OLD.status = 'finished'
        BEGIN SELECT RAISE(ABORT, 'a finished session belongs to a record and is kept'); END""",
    *_frozen_while_closed("session_marks"),
    *_frozen_while_closed("session_acks"),
]

_V3 = [
    # v3: the step-3 tick "I have checked this calendar against the prescription". Sessions keep it
    # while open (resume puts it back); a finished record says whether the calendar was checked
    # (NULL: no calendar, or finished before v3; the body JSON holds the same fact). ALTER TABLE
    # fires no trigger, and existing rows take the defaults, so closed sessions and finished
    # records are not rewritten.
    """ALTER TABLE sessions ADD COLUMN schedule_checked INTEGER NOT NULL DEFAULT 0
        CHECK (schedule_checked IN (0, 1))""",
    """ALTER TABLE records ADD COLUMN calendar_checked INTEGER
        CHECK (calendar_checked IN (0, 1))""",
]

_V4 = [
    # v4: INSERT OR REPLACE / REPLACE INTO delete the conflicting row without firing DELETE
    # triggers (unless recursive_triggers is on), and an upsert rewrites it: either would quietly
    # rewrite a finished record, an audit entry or a finished session. BEFORE INSERT fires before
    # the conflict is resolved, so refusing any insert that would meet an existing row (its id, or
    # a record's unique session+version or supersedes) closes that door for every client.
    f"""CREATE TRIGGER records_no_replace BEFORE INSERT ON records
        WHEN EXISTS (SELECT 1 FROM records WHERE id = NEW.id
                     OR (session_id = NEW.session_id AND version = NEW.version)
                     OR supersedes = NEW.supersedes)
        BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END""",
    """CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit
        WHEN EXISTS (SELECT 1 FROM audit WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER sessions_no_replace BEFORE INSERT ON sessions
        WHEN EXISTS (SELECT 1 FROM sessions WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'a session is never replaced: it is kept as it was'); END""",
]


def _hash_required(table: str) -> str:
    return f"""CREATE TRIGGER {table}_hash_required BEFORE INSERT ON {table}
        WHEN NEW.row_hash IS NULL OR length(NEW.row_hash) <> 64
        BEGIN SELECT RAISE(ABORT, '{table} rows carry a tamper-evidence hash: add them through Counsel');
        END"""


_V5: list[Step] = [
    # v5: tamper evidence (counsel/records/chain.py). Each record and audit row gets a SHA-256
    # chained to the row before it. Existing rows are hashed here, in the same transaction, with
    # the update triggers lifted only for that and put back exactly as they were.
    "DROP TRIGGER records_no_update",
    "DROP TRIGGER audit_no_update",
    "ALTER TABLE records ADD COLUMN row_hash TEXT",
    "ALTER TABLE audit ADD COLUMN row_hash TEXT",
    fill_hashes,
    _RECORDS_NO_UPDATE,
    _AUDIT_NO_UPDATE,
    _hash_required("records"),
    _hash_required("audit"),
]

_V6: list[Step] = [
    # v6: the UPDATE sibling of v4. `UPDATE OR REPLACE sessions SET id = <a finished session>`
    # on an open session would delete the finished one (REPLACE fires no DELETE trigger). The app
    # never renames a session, so no update may change an id.
    """CREATE TRIGGER sessions_keep_id BEFORE UPDATE OF id ON sessions WHEN NEW.id IS NOT OLD.id
        BEGIN SELECT RAISE(ABORT, 'a session is never replaced: it keeps its id'); END""",
]

_V7: list[Step] = [
    # v7: people (counsel/records/accounts.py). An account is never deleted or renamed (records
    # and the audit name it); its PIN/password hash and active flag may change. Every sign-in,
    # failure, lock, switch and account change goes into an append-only access log. A record
    # remembers the branch it was made in (for branch scopes): a new column, so not in the hash
    # chain, but the signed-in account is (records.pharmacist).
    """CREATE TABLE accounts (
        username      TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        registration  TEXT NOT NULL DEFAULT '',
        role          TEXT NOT NULL CHECK (role IN ('pharmacist', 'trainee', 'supervisor', 'admin')),
        branch        TEXT NOT NULL DEFAULT '',
        secret_hash   TEXT NOT NULL,
        active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at    TEXT NOT NULL,
        created_by    TEXT NOT NULL
    )""",
    """CREATE TABLE access_log (
        id       INTEGER PRIMARY KEY,
        at       TEXT NOT NULL,
        username TEXT NOT NULL,
        event    TEXT NOT NULL,
        counter  TEXT NOT NULL DEFAULT '',
        detail   TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX access_by_user ON access_log (username, id)",
    """CREATE TRIGGER access_no_update BEFORE UPDATE ON access_log
        BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END""",
    """CREATE TRIGGER access_no_delete BEFORE DELETE ON access_log
        BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END""",
    """CREATE TRIGGER access_no_replace BEFORE INSERT ON access_log
        WHEN EXISTS (SELECT 1 FROM access_log WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END""",
    """CREATE TRIGGER accounts_no_delete BEFORE DELETE ON accounts
        BEGIN SELECT RAISE(ABORT, 'an account is kept: deactivate it instead'); END""",
    """CREATE TRIGGER accounts_no_replace BEFORE INSERT ON accounts
        WHEN EXISTS (SELECT 1 FROM accounts WHERE username = NEW.username)
        BEGIN SELECT RAISE(ABORT, 'an account is never replaced'); END""",
    """CREATE TRIGGER accounts_keep_name BEFORE UPDATE OF username ON accounts
        WHEN NEW.username IS NOT OLD.username
        BEGIN SELECT RAISE(ABORT, 'an account keeps its user name'); END""",
    "ALTER TABLE records ADD COLUMN branch TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE sessions ADD COLUMN branch TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX records_by_branch ON records (branch)",
]

STEPS: tuple[tuple[int, list[Step]], ...] = (
    (1, list(_V1)), (2, list(_V2)), (3, list(_V3)), (4, list(_V4)), (5, _V5), (6, _V6),
    (7, _V7))
SCHEMA_VERSION = STEPS[-1][0]


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def too_new_message(name: str, version: int) -> str:
    return (f"{name}: records database is schema version {version}, newer than this app supports "
            f"({SCHEMA_VERSION}); update Counsel to open it (the file was not changed)")


def migrate(conn: sqlite3.Connection, *, name: str, target: int = SCHEMA_VERSION) -> int:
    """Bring the schema up to `target` in one transaction; returns the version found before."""
    found = user_version(conn)
    if found > SCHEMA_VERSION:
        raise DatabaseUnusableError(too_new_message(name, found))
    if found >= target:
        return found
    # IMMEDIATE takes the write lock first, so two windows opening a new file migrate it once.
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = user_version(conn)
        for version, statements in STEPS:
            if found < version <= target:
                for step in statements:
                    if callable(step):
                        step(conn)
                    else:
                        conn.execute(step)
                conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return found
