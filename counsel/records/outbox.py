"""Counters keep working when the records server is away: sessions stay on the counter, finished
records go to the server through a local outbox (SQLite), sent when the server answers.

CounterRepository is the RecordsRepository a counter uses with a server:
- sessions in progress (autosave, resume) live in a local SQLite file on the counter, so typing
  never waits on the network and a server outage cannot lose an unfinished session;
- finishing writes the record body into the local outbox in the same transaction that closes the
  session, then tries to send it. Delivery is idempotent: the session id is a client-made UUID,
  and the server adds a record for a session only once (checked under its write lock), so a
  retry after a lost reply never makes a second copy;
- everything else (history, audit, verify, accounts) is read from and written to the server.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from counsel.records.errors import RecordQueued
from counsel.records.models import RecordBody, parse_utc, utc_text
from counsel.records.pg_repo import PostgresRepository, ServerUnavailableError
from counsel.records.sqlite_repo import SQLiteRepository

log = logging.getLogger(__name__)

_OUTBOX = """CREATE TABLE IF NOT EXISTS outbox (
    session_id TEXT PRIMARY KEY,
    queued_at  TEXT NOT NULL,
    actor      TEXT NOT NULL,
    branch     TEXT NOT NULL,
    body_json  TEXT NOT NULL
)"""

# Session calls that stay on the counter.
_LOCAL = frozenset({"create_session", "save_case", "save_notes", "save_mark", "clear_mark",
                    "save_ack", "clear_ack", "save_schedule_checked", "save_leaflet",
                    "open_sessions", "load_session", "discard_session"})


Queued = RecordQueued  # the record is safe in the counter's outbox, sent when the server is back


def deliver(server: PostgresRepository, body: RecordBody, *, actor: str, branch: str) -> int:
    """Add a finished record (and its closed session) on the server, once; returns its id."""
    with server._tx() as conn:
        row = conn.execute("SELECT id FROM records WHERE session_id = ? AND version = 1",
                           (body.session_id,)).fetchone()
        if row is not None:
            return int(row[0])  # delivered before (the reply was lost): never a second copy
        conn.execute(
            "INSERT INTO sessions (id, status, pharmacist, patient_ref, started_at, updated_at,"
            " branch) VALUES (?, 'finished', ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (body.session_id, body.pharmacist, body.patient_ref, utc_text(body.started_at),
             utc_text(body.finished_at), branch))
        record_id = server._insert(conn, body, version=1, supersedes=None, correction=None,
                                   branch=branch)
        server._log(conn, "finished", actor=actor, at=body.finished_at, record_id=record_id,
                    detail=f"session {body.session_id}")
    return record_id


class CounterRepository:
    """Local sessions + server records + an outbox between them (see the module docstring)."""

    def __init__(self, server: PostgresRepository, local_path: Path) -> None:
        self.server = server
        self.local = SQLiteRepository(local_path)
        self.location = server.location
        with self.local._tx() as conn:
            conn.execute(_OUTBOX)

    def __getattr__(self, name: str) -> Any:
        owner = self.local if name in _LOCAL else self.server
        return getattr(owner, name)

    def finish_session(self, body: RecordBody, *, actor: str, branch: str = "") -> int:
        """Close the session locally and queue its record, then try to send it.

        Returns the server's record id, or raises Queued (one line for the status bar) when the
        server is away: the record waits in the outbox and flush() sends it later.
        """
        with self.local._tx() as conn:
            self.local._touch(conn, body.session_id, body.finished_at)
            conn.execute("UPDATE sessions SET status = 'finished' WHERE id = ?",
                         (body.session_id,))
            conn.execute("INSERT INTO outbox (session_id, queued_at, actor, branch, body_json)"
                         " VALUES (?, ?, ?, ?, ?)",
                         (body.session_id, utc_text(body.finished_at), actor, branch,
                          json.dumps(body.body_dict(), ensure_ascii=False, sort_keys=True)))
        sent = self.flush()
        if body.session_id in sent:
            return sent[body.session_id]
        raise Queued(f"records server unreachable: the record is kept on this counter — "
                     f"records: waiting to send ({self.waiting()})")

    def _deliver(self, body: RecordBody, *, actor: str, branch: str) -> int:
        try:
            return deliver(self.server, body, actor=actor, branch=branch)
        except ServerUnavailableError:
            # A connection from before a server restart fails once, then reconnects; delivery
            # is idempotent, so one retry is safe.
            return deliver(self.server, body, actor=actor, branch=branch)

    def waiting(self) -> int:
        with self.local._read() as conn:
            return int(conn.execute("SELECT count(*) FROM outbox").fetchone()[0])

    def flush(self) -> dict[str, int]:
        """Send every waiting record, oldest first; stops quietly at the first outage."""
        with self.local._read() as conn:
            rows = conn.execute("SELECT session_id, actor, branch, body_json FROM outbox"
                                " ORDER BY queued_at, session_id").fetchall()
        sent: dict[str, int] = {}
        for session_id, actor, branch, body_json in rows:
            data = json.loads(body_json)
            body = RecordBody.from_body_dict(data)
            try:
                sent[session_id] = self._deliver(body, actor=actor, branch=branch)
            except ServerUnavailableError:
                log.info("records server away: %d record(s) waiting", len(rows) - len(sent))
                break
            with self.local._tx() as conn:
                conn.execute("DELETE FROM outbox WHERE session_id = ?", (session_id,))
            log.info("session %s sent as record %d", session_id, sent[session_id])
        return sent

    def oldest_waiting(self) -> datetime | None:
        with self.local._read() as conn:
            row = conn.execute("SELECT min(queued_at) FROM outbox").fetchone()
        return parse_utc(row[0]) if row and row[0] else None

    def close(self) -> None:
        self.local.close()
        self.server.close()
