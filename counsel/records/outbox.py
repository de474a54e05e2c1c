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

import dataclasses
import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from counsel.records.accounts import AccessEventKind, Account
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

# Accounts seen on the server, kept so the counter can still sign people in while it is away
# (the same argon2 hashes the server holds; see docs/deploy.md), and access events to send.
_ACCOUNTS_CACHE = """CREATE TABLE IF NOT EXISTS accounts_cache (
    username   TEXT PRIMARY KEY,
    account    TEXT NOT NULL,
    secret_hash TEXT NOT NULL
)"""
_ACCESS_OUTBOX = """CREATE TABLE IF NOT EXISTS access_outbox (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    username TEXT NOT NULL,
    event    TEXT NOT NULL,
    counter  TEXT NOT NULL,
    detail   TEXT NOT NULL
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
            for table in (_OUTBOX, _ACCOUNTS_CACHE, _ACCESS_OUTBOX):
                conn.execute(table)

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

    # -- people while the server is away --------------------------------------------------------

    def _remember(self, account: Account, secret_hash: str) -> None:
        data = {**dataclasses.asdict(account), "created_at": utc_text(account.created_at)}
        with self.local._tx() as conn:
            conn.execute("DELETE FROM accounts_cache WHERE username = ?", (account.username,))
            conn.execute("INSERT INTO accounts_cache (username, account, secret_hash)"
                         " VALUES (?, ?, ?)", (account.username, json.dumps(data), secret_hash))

    def _cached(self, username: str | None = None) -> list[tuple[Account, str]]:
        with self.local._read() as conn:
            rows = conn.execute("SELECT account, secret_hash FROM accounts_cache"
                                + (" WHERE username = ?" if username else "")
                                + " ORDER BY username", (username,) if username else ()).fetchall()
        out = []
        for data, secret_hash in rows:
            d = json.loads(data)
            d["created_at"] = parse_utc(d["created_at"])
            out.append((Account(**d), str(secret_hash)))
        return out

    def account(self, username: str) -> tuple[Account, str] | None:
        try:
            found = self.server.account(username)
        except ServerUnavailableError:
            cached = self._cached(username)
            return cached[0] if cached else None
        if found is not None:
            self._remember(*found)
        return found

    def accounts(self) -> list[Account]:
        try:
            return self.server.accounts()
        except ServerUnavailableError:
            return [a for a, _ in self._cached()]

    def log_access(self, username: str, event: AccessEventKind, *, at: datetime,
                   counter: str = "", detail: str = "") -> None:
        try:
            self.server.log_access(username, event, at=at, counter=counter, detail=detail)
        except ServerUnavailableError:
            with self.local._tx() as conn:
                conn.execute("INSERT INTO access_outbox (at, username, event, counter, detail)"
                             " VALUES (?, ?, ?, ?, ?)",
                             (utc_text(at), username, event, counter, detail))

    def failed_sign_ins(self, username: str) -> int:
        """The server's count; while it is away, this counter's own unsent failures in a row."""
        try:
            return self.server.failed_sign_ins(username)
        except ServerUnavailableError:
            with self.local._read() as conn:
                row = conn.execute(
                    "SELECT count(*) FROM access_outbox WHERE username = ? AND event ="
                    " 'sign_in_failed' AND id > coalesce((SELECT max(id) FROM access_outbox"
                    " WHERE username = ? AND event = 'signed_in'), 0)",
                    (username, username)).fetchone()
            return int(row[0])

    def _answering(self) -> None:
        """A connection from before a server restart fails once, then reconnects: one retry."""
        try:
            self.server.ping()
        except ServerUnavailableError:
            self.server.ping()

    def _send_access(self) -> None:
        with self.local._read() as conn:
            rows = conn.execute("SELECT id, at, username, event, counter, detail FROM access_outbox"
                                " ORDER BY id").fetchall()
        for row_id, at, username, event, counter, detail in rows:
            self.server.log_access(username, event, at=parse_utc(at), counter=counter,
                                   detail=f"{detail} (sent later)".strip())
            with self.local._tx() as conn:
                conn.execute("DELETE FROM access_outbox WHERE id = ?", (row_id,))

    def waiting(self) -> int:
        with self.local._read() as conn:
            return int(conn.execute("SELECT count(*) FROM outbox").fetchone()[0])

    def flush(self) -> dict[str, int]:
        """Send every waiting record, oldest first; stops quietly at the first outage."""
        with self.local._read() as conn:
            rows = conn.execute("SELECT session_id, actor, branch, body_json FROM outbox"
                                " ORDER BY queued_at, session_id").fetchall()
        sent: dict[str, int] = {}
        try:
            self._answering()
            self._send_access()
        except ServerUnavailableError:
            return sent
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
