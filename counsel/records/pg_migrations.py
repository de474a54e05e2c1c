"""The PostgreSQL schema history: versioned steps kept in the table counsel_schema.

Its own history (not SQLite's PRAGMA user_version steps): v1 is the whole of SQLite's v7 at once,
with the same tables, columns and text formats, so rows hash the same on both engines and the
same repository code runs on both. Never edit a released step; add a new one.

Guarantees built into the server, not only the app:
- records, audit and access_log refuse UPDATE, DELETE and TRUNCATE (triggers, for every role,
  the owner included); a finished session cannot change; marks of a closed session are frozen;
- the role counsel_app (the one counters log in through, by membership) has no UPDATE, DELETE
  or TRUNCATE on those tables at all: the database refuses before any trigger runs;
- row-level security on records: a counter's connection sees the scope set for the signed-in
  person (counsel.scope = all | branch | none, counsel.branch), see pg_repo.set_scope.
"""

from __future__ import annotations

APP_ROLE = "counsel_app"
_APPEND_ONLY = "counselling records are append-only: add a correction instead"
_AUDIT_ONLY = "the audit log is append-only"
_ACCESS_ONLY = "the access log is append-only"


def _refuse(table: str, message: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION counsel_refuse('{message}')""",
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION counsel_refuse('{message}')""",
    ]


_V1 = [
    """CREATE FUNCTION counsel_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'P0001'; END $$""",
    """CREATE TABLE sessions (
        id               TEXT PRIMARY KEY,
        status           TEXT NOT NULL DEFAULT 'open'
                         CHECK (status IN ('open', 'finished', 'discarded')),
        pharmacist       TEXT NOT NULL,
        patient_ref      TEXT NOT NULL DEFAULT '',
        local_id         TEXT,
        started_at       TEXT NOT NULL,
        updated_at       TEXT NOT NULL,
        case_json        TEXT NOT NULL DEFAULT '{}',
        notes            TEXT NOT NULL DEFAULT '',
        leaflet_json     TEXT,
        schedule_checked INTEGER NOT NULL DEFAULT 0 CHECK (schedule_checked IN (0, 1)),
        branch           TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX sessions_by_status ON sessions (status, updated_at)",
    """CREATE TABLE session_marks (
        session_id TEXT NOT NULL REFERENCES sessions (id),
        point_id   TEXT NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('discussed', 'understood', 'not_discussed')),
        reason     TEXT NOT NULL DEFAULT '',
        marked_at  TEXT NOT NULL,
        PRIMARY KEY (session_id, point_id)
    )""",
    """CREATE TABLE session_acks (
        session_id      TEXT NOT NULL REFERENCES sessions (id),
        code            TEXT NOT NULL,
        how             TEXT NOT NULL,
        acknowledged_at TEXT NOT NULL,
        PRIMARY KEY (session_id, code)
    )""",
    """CREATE TABLE records (
        id               BIGINT PRIMARY KEY,
        session_id       TEXT NOT NULL REFERENCES sessions (id),
        finished_at      TEXT NOT NULL,
        pharmacist       TEXT NOT NULL,
        patient_ref      TEXT NOT NULL,
        drug             TEXT NOT NULL,
        body_json        TEXT NOT NULL,
        version          INTEGER NOT NULL DEFAULT 1,
        supersedes       BIGINT REFERENCES records (id),
        form             TEXT NOT NULL DEFAULT '',
        strength         TEXT NOT NULL DEFAULT '',
        calendar_checked INTEGER CHECK (calendar_checked IN (0, 1)),
        row_hash         TEXT NOT NULL CHECK (length(row_hash) = 64),
        branch           TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE UNIQUE INDEX records_session_version ON records (session_id, version)",
    "CREATE UNIQUE INDEX records_one_correction ON records (supersedes)",
    "CREATE INDEX records_by_finished ON records (finished_at)",
    "CREATE INDEX records_by_patient ON records (patient_ref)",
    "CREATE INDEX records_by_branch ON records (branch)",
    """CREATE TABLE audit (
        id        BIGINT PRIMARY KEY,
        at        TEXT NOT NULL,
        actor     TEXT NOT NULL,
        action    TEXT NOT NULL CHECK (action IN ('finished', 'corrected', 'printed', 'reprinted',
                                                  'exported', 'viewed', 'discarded')),
        record_id BIGINT REFERENCES records (id),
        detail    TEXT NOT NULL DEFAULT '',
        row_hash  TEXT NOT NULL CHECK (length(row_hash) = 64)
    )""",
    "CREATE INDEX audit_by_record ON audit (record_id)",
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
        id       BIGINT PRIMARY KEY,
        at       TEXT NOT NULL,
        username TEXT NOT NULL,
        event    TEXT NOT NULL,
        counter  TEXT NOT NULL DEFAULT '',
        detail   TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX access_by_user ON access_log (username, id)",
    *_refuse("records", _APPEND_ONLY),
    *_refuse("audit", _AUDIT_ONLY),
    *_refuse("access_log", _ACCESS_ONLY),
    """CREATE FUNCTION counsel_session_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' THEN
            IF OLD.status = 'finished' THEN
              RAISE EXCEPTION 'a finished session belongs to a record and is kept';
            END IF;
            RETURN OLD;
          END IF;
          IF NEW.id IS DISTINCT FROM OLD.id THEN
            RAISE EXCEPTION 'a session is never replaced: it keeps its id';
          END IF;
          IF OLD.status <> 'open' THEN
            RAISE EXCEPTION 'this session is closed and can no longer change';
          END IF;
          RETURN NEW;
        END $$""",
    """CREATE TRIGGER sessions_guard BEFORE UPDATE OR DELETE ON sessions
        FOR EACH ROW EXECUTE FUNCTION counsel_session_guard()""",
    """CREATE FUNCTION counsel_marks_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE sid TEXT;
        BEGIN
          sid := CASE WHEN TG_OP = 'DELETE' THEN OLD.session_id ELSE NEW.session_id END;
          IF (SELECT status FROM sessions WHERE id = sid) <> 'open' THEN
            RAISE EXCEPTION 'this session is closed: its marks can no longer change';
          END IF;
          RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END $$""",
    """CREATE TRIGGER session_marks_frozen BEFORE INSERT OR UPDATE OR DELETE ON session_marks
        FOR EACH ROW EXECUTE FUNCTION counsel_marks_guard()""",
    """CREATE TRIGGER session_acks_frozen BEFORE INSERT OR UPDATE OR DELETE ON session_acks
        FOR EACH ROW EXECUTE FUNCTION counsel_marks_guard()""",
    """CREATE TRIGGER accounts_no_delete BEFORE DELETE OR TRUNCATE ON accounts
        FOR EACH STATEMENT EXECUTE FUNCTION counsel_refuse('an account is kept: deactivate it instead')""",
    """CREATE FUNCTION counsel_account_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.username IS DISTINCT FROM OLD.username THEN
            RAISE EXCEPTION 'an account keeps its user name';
          END IF;
          RETURN NEW;
        END $$""",
    """CREATE TRIGGER accounts_keep_name BEFORE UPDATE ON accounts
        FOR EACH ROW EXECUTE FUNCTION counsel_account_guard()""",
    # The application role: counters log in as a member of it. No UPDATE/DELETE/TRUNCATE on the
    # append-only tables, so the server refuses those before any trigger.
    f"""DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
            CREATE ROLE {APP_ROLE} NOLOGIN;
          END IF;
        END $$""",
    f"REVOKE ALL ON sessions, session_marks, session_acks, records, audit, accounts, access_log"
    f" FROM {APP_ROLE}",
    f"GRANT SELECT, INSERT ON records, audit, access_log TO {APP_ROLE}",
    f"GRANT SELECT, INSERT, UPDATE ON sessions, accounts TO {APP_ROLE}",
    f"GRANT SELECT, INSERT, UPDATE, DELETE ON session_marks, session_acks TO {APP_ROLE}",
    f"GRANT SELECT ON counsel_schema TO {APP_ROLE}",
    # Row-level security on records (the owner, who migrates, is not subject to it).
    "ALTER TABLE records ENABLE ROW LEVEL SECURITY",
    f"CREATE POLICY records_add ON records FOR INSERT TO {APP_ROLE} WITH CHECK (true)",
    f"""CREATE POLICY records_scope ON records FOR SELECT TO {APP_ROLE} USING (
        coalesce(current_setting('counsel.scope', true), '') IN ('', 'all')
        OR (current_setting('counsel.scope', true) = 'branch'
            AND branch = current_setting('counsel.branch', true)))""",
]

STEPS: tuple[tuple[int, list[str]], ...] = ((1, _V1),)
SCHEMA_VERSION = STEPS[-1][0]
