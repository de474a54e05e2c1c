"""The SQLite implementation of RecordsRepository: explicit SQL in, domain objects out."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from counsel.records import accounts as acc
from counsel.records.accounts import AccessEvent, AccessEventKind, Account
from counsel.records.chain import CHAINED, ChainReport, hash_for_new_row, next_id
from counsel.records.chain import verify as verify_chains
from counsel.records.db import connect, storage_problem, unusable
from counsel.records.errors import NotFoundError, RecordsError, SessionClosedError
from counsel.records.migrations import SCHEMA_VERSION
from counsel.records.models import (
    Acknowledgement,
    AuditAction,
    AuditEntry,
    Correction,
    LeafletGiven,
    Mark,
    MarkStatus,
    Record,
    RecordBody,
    RecordQuery,
    RecordSummary,
    SessionState,
    SessionStatus,
    SessionSummary,
    parse_utc,
    utc_text,
)

log = logging.getLogger(__name__)

_SUMMARY_COLS = "id, version, finished_at, pharmacist, patient_ref, drug, strength, form"
_RECORD_COLS = "id, version, supersedes, body_json"


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class SQLiteRepository:
    """Records in one SQLite file (WAL). Safe to share between windows, processes and counters."""

    def __init__(self, path: Path, *, migrate_to: int = SCHEMA_VERSION) -> None:
        self.path = path
        self.location = str(path)
        self._conn = connect(path, migrate_to=migrate_to)
        # One connection per repository; the lock keeps a worker thread from interleaving with the GUI.
        self._lock = threading.RLock()

    # -- plumbing ------------------------------------------------------------------------------

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.IntegrityError as exc:
            msg = str(exc)
            if "closed" in msg:
                raise SessionClosedError(msg) from None
            raise RecordsError(f"records database refused the change: {msg}") from None
        except sqlite3.OperationalError as exc:
            msg = str(exc)
            if "locked" in msg or "busy" in msg:
                raise RecordsError("records database is busy (another window or counter held it "
                                   "for more than 5 s); try again") from None
            # A full disk or a read-only file is not damage: say what to do, and let the next
            # change try again (RecordsError, not DatabaseUnusableError).
            problem = storage_problem(self.path, exc)
            if problem:
                raise RecordsError(problem) from None
            raise unusable(self.path, msg) from None
        except sqlite3.Error as exc:
            problem = storage_problem(self.path, exc)
            if problem:
                raise RecordsError(problem) from None
            raise unusable(self.path, str(exc)) from None
        except OverflowError:
            # e.g. `records show 99999999999999999999`: no SQLite integer is that large.
            raise NotFoundError("record: no record has an id that large") from None

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction; IMMEDIATE so a busy file waits instead of failing late."""
        with self._lock, self._errors():
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._errors():
            yield self._conn

    @staticmethod
    def _touch(conn: sqlite3.Connection, session_id: str, at: datetime) -> None:
        cur = conn.execute("UPDATE sessions SET updated_at = ? WHERE id = ? AND status = 'open'",
                           (utc_text(at), session_id))
        if cur.rowcount:
            return
        row = conn.execute("SELECT status FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"session {session_id}: not found")
        raise SessionClosedError(f"session {session_id}: already {row[0]}; it can no longer change")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- sessions ------------------------------------------------------------------------------

    def create_session(self, session_id: str, *, pharmacist: str, patient_ref: str,
                       local_id: str | None, case: dict[str, Any], at: datetime) -> None:
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO sessions (id, pharmacist, patient_ref, local_id, started_at, updated_at,"
                " case_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (session_id, pharmacist, patient_ref, local_id, utc_text(at), utc_text(at),
                 _json(case)),
            )
        log.info("session %s started", session_id)

    def save_case(self, session_id: str, case: dict[str, Any], patient_ref: str | None,
                  at: datetime, local_id: str | None = None) -> None:
        with self._tx() as conn:
            self._touch(conn, session_id, at)
            # Old column values on the right: a typed local ID always wins over a derived reference.
            conn.execute("UPDATE sessions SET case_json = ?, local_id = coalesce(?, local_id),"
                         " patient_ref = coalesce(?, local_id, ?, patient_ref) WHERE id = ?",
                         (_json(case), local_id, local_id, patient_ref, session_id))
        log.debug("session %s: case saved", session_id)

    def save_notes(self, session_id: str, notes: str, at: datetime) -> None:
        with self._tx() as conn:
            self._touch(conn, session_id, at)
            conn.execute("UPDATE sessions SET notes = ? WHERE id = ?", (notes, session_id))
        log.debug("session %s: notes saved", session_id)

    def save_mark(self, session_id: str, mark: Mark) -> None:
        with self._tx() as conn:
            self._touch(conn, session_id, mark.at)
            conn.execute(
                "INSERT INTO session_marks (session_id, point_id, status, reason, marked_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id, point_id) DO UPDATE SET"
                " status = excluded.status, reason = excluded.reason, marked_at = excluded.marked_at",
                (session_id, mark.point_id, mark.status, mark.reason, utc_text(mark.at)),
            )
        log.debug("session %s: point %s marked %s", session_id, mark.point_id, mark.status)

    def clear_mark(self, session_id: str, point_id: str, at: datetime) -> None:
        with self._tx() as conn:
            self._touch(conn, session_id, at)
            conn.execute("DELETE FROM session_marks WHERE session_id = ? AND point_id = ?",
                         (session_id, point_id))

    def save_ack(self, session_id: str, ack: Acknowledgement) -> None:
        with self._tx() as conn:
            self._touch(conn, session_id, ack.at)
            conn.execute(
                "INSERT INTO session_acks (session_id, code, how, acknowledged_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (session_id, code) DO UPDATE SET how = excluded.how,"
                " acknowledged_at = excluded.acknowledged_at",
                (session_id, ack.code, ack.how, utc_text(ack.at)),
            )
        log.debug("session %s: warning %s acknowledged", session_id, ack.code)

    def clear_ack(self, session_id: str, code: str, at: datetime) -> None:
        with self._tx() as conn:
            self._touch(conn, session_id, at)
            conn.execute("DELETE FROM session_acks WHERE session_id = ? AND code = ?",
                         (session_id, code))

    def save_schedule_checked(self, session_id: str, checked: bool, at: datetime) -> None:
        with self._tx() as conn:
            self._touch(conn, session_id, at)
            conn.execute("UPDATE sessions SET schedule_checked = ? WHERE id = ?",
                         (int(checked), session_id))
        log.debug("session %s: calendar checked %s", session_id, checked)

    def save_leaflet(self, session_id: str, leaflet: LeafletGiven | None, at: datetime) -> None:
        with self._tx() as conn:
            self._touch(conn, session_id, at)
            conn.execute("UPDATE sessions SET leaflet_json = ? WHERE id = ?",
                         (_json(leaflet.to_dict()) if leaflet else None, session_id))

    def open_sessions(self) -> list[SessionSummary]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT id, pharmacist, patient_ref, json_extract(case_json, '$.prescription.drug'),"
                " started_at, updated_at FROM sessions WHERE status = 'open'"
                " ORDER BY updated_at DESC, id").fetchall()
        return [SessionSummary(id=r[0], pharmacist=r[1], patient_ref=r[2],
                               drug=str(r[3] or "").strip().lower(), started_at=parse_utc(r[4]),
                               updated_at=parse_utc(r[5])) for r in rows]

    def load_session(self, session_id: str) -> SessionState:
        with self._read() as conn:
            row = conn.execute(
                "SELECT status, pharmacist, patient_ref, local_id, started_at, updated_at, case_json,"
                " notes, leaflet_json, schedule_checked FROM sessions WHERE id = ?",
                (session_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"session {session_id}: not found")
            marks = conn.execute("SELECT point_id, status, reason, marked_at FROM session_marks"
                                 " WHERE session_id = ? ORDER BY point_id", (session_id,)).fetchall()
            acks = conn.execute("SELECT code, how, acknowledged_at FROM session_acks"
                                " WHERE session_id = ? ORDER BY code", (session_id,)).fetchall()
        return SessionState(
            id=session_id, status=cast(SessionStatus, row[0]), pharmacist=row[1],
            patient_ref=row[2], local_id=row[3], started_at=parse_utc(row[4]),
            updated_at=parse_utc(row[5]), case=json.loads(row[6]), notes=row[7],
            leaflet=LeafletGiven.from_dict(json.loads(row[8])) if row[8] else None,
            marks={m[0]: Mark(m[0], cast(MarkStatus, m[1]), m[2], parse_utc(m[3])) for m in marks},
            acknowledgements={a[0]: Acknowledgement(a[0], a[1], parse_utc(a[2])) for a in acks},
            schedule_checked=bool(row[9]),
        )

    def discard_session(self, session_id: str, *, actor: str, at: datetime) -> None:
        """Close an unwanted session and drop its patient data (kept: who, when, that it was dropped)."""
        with self._tx() as conn:
            self._touch(conn, session_id, at)
            conn.execute("DELETE FROM session_marks WHERE session_id = ?", (session_id,))
            conn.execute("DELETE FROM session_acks WHERE session_id = ?", (session_id,))
            conn.execute("UPDATE sessions SET status = 'discarded', case_json = '{}', notes = '',"
                         " leaflet_json = NULL, schedule_checked = 0 WHERE id = ?", (session_id,))
            self._log(conn, "discarded", actor=actor, at=at, record_id=None,
                      detail=f"session {session_id}")
        log.info("session %s discarded", session_id)

    # -- records -------------------------------------------------------------------------------

    def finish_session(self, body: RecordBody, *, actor: str, branch: str = "") -> int:
        with self._tx() as conn:
            self._touch(conn, body.session_id, body.finished_at)
            record_id = self._insert(conn, body, version=1, supersedes=None, correction=None,
                                     branch=branch)
            conn.execute("UPDATE sessions SET status = 'finished' WHERE id = ?", (body.session_id,))
            self._log(conn, "finished", actor=actor, at=body.finished_at, record_id=record_id,
                      detail=f"session {body.session_id}")
        log.info("session %s finished as record %d", body.session_id, record_id)
        return record_id

    def add_correction(self, record_id: int, body: RecordBody, correction: Correction) -> int:
        with self._tx() as conn:
            row = conn.execute("SELECT version, session_id FROM records WHERE id = ?",
                               (record_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"record {record_id}: not found")
            newer = conn.execute("SELECT id FROM records WHERE supersedes = ?",
                                 (record_id,)).fetchone()
            if newer is not None:
                raise RecordsError(f"record {record_id}: already corrected by record {newer[0]}; "
                                   "correct the latest version")
            if body.session_id != row[1]:
                raise RecordsError(f"record {record_id}: a correction must keep its session")
            branch = conn.execute("SELECT branch FROM records WHERE id = ?",
                                  (record_id,)).fetchone()[0]
            new_id = self._insert(conn, body, version=int(row[0]) + 1, supersedes=record_id,
                                  correction=correction, branch=str(branch))
            self._log(conn, "corrected", actor=correction.by, at=correction.at, record_id=new_id,
                      detail=f"version {int(row[0]) + 1} replaces record {record_id}")
        log.info("record %d corrected as record %d", record_id, new_id)
        return new_id

    @staticmethod
    def _insert(conn: Any, body: RecordBody, *, version: int,
                supersedes: int | None, correction: Correction | None, branch: str = "") -> int:
        data = {**body.body_dict(), "correction": correction.to_dict() if correction else None}
        record_id = next_id(conn, "records")
        # In CHAINED["records"] order: the same values are stored and hashed (tamper evidence).
        values = (record_id, body.session_id, version, supersedes, utc_text(body.finished_at),
                  body.pharmacist, body.patient_ref, body.drug, body.form, body.strength,
                  None if body.calendar_checked is None else int(body.calendar_checked),
                  _json(data))
        conn.execute(
            f"INSERT INTO records ({', '.join(CHAINED['records'])}, row_hash, branch)"
            f" VALUES ({', '.join('?' * (len(values) + 2))})",
            (*values, hash_for_new_row(conn, "records", values), branch),
        )
        return record_id

    @staticmethod
    def _record(row: tuple[Any, ...]) -> Record:
        data = json.loads(row[3])
        return Record.from_dict({**data, "id": row[0], "version": row[1], "supersedes": row[2]})

    def get_record(self, record_id: int) -> Record:
        with self._read() as conn:
            row = conn.execute(f"SELECT {_RECORD_COLS} FROM records WHERE id = ?",
                               (record_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"record {record_id}: not found")
        return self._record(row)

    def versions(self, record_id: int) -> list[Record]:
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {_RECORD_COLS} FROM records WHERE session_id ="
                " (SELECT session_id FROM records WHERE id = ?) ORDER BY version",
                (record_id,)).fetchall()
        if not rows:
            raise NotFoundError(f"record {record_id}: not found")
        return [self._record(r) for r in rows]

    @staticmethod
    def _where(query: RecordQuery) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if not query.include_superseded:
            clauses.append("NOT EXISTS (SELECT 1 FROM records c WHERE c.supersedes = r.id)")
        if query.branch is not None:
            # A branch scope is an exact match (a pharmacist sees their own branch only).
            clauses.append("r.branch = ?")
            params.append(query.branch)
        for column, value in (("patient_ref", query.patient_ref), ("drug", query.drug),
                              ("pharmacist", query.pharmacist)):
            if value.strip():
                clauses.append(f"instr(lower(r.{column}), lower(?)) > 0")
                params.append(value.strip())
        # Dates are whole UTC days, inclusive at both ends.
        if query.date_from is not None:
            clauses.append("r.finished_at >= ?")
            params.append(f"{query.date_from.isoformat()}T00:00:00+00:00")
        if query.date_to is not None and query.date_to < date.max:
            # date.max has no next day (9999-12-31 + 1 overflowed): it means "no upper bound".
            clauses.append("r.finished_at < ?")
            params.append(f"{(query.date_to + timedelta(days=1)).isoformat()}T00:00:00+00:00")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def find(self, query: RecordQuery) -> list[RecordSummary]:
        where, params = self._where(query)
        cols = ", ".join(f"r.{c.strip()}" for c in _SUMMARY_COLS.split(","))
        with self._read() as conn:
            rows = conn.execute(f"SELECT {cols} FROM records r{where}"
                                " ORDER BY r.finished_at DESC, r.id DESC LIMIT ?",
                                (*params, query.limit)).fetchall()
        return [RecordSummary(id=r[0], version=r[1], finished_at=parse_utc(r[2]), pharmacist=r[3],
                              patient_ref=r[4], drug=r[5], strength=r[6], form=r[7]) for r in rows]

    def records(self, query: RecordQuery) -> list[Record]:
        where, params = self._where(query)
        cols = ", ".join(f"r.{c.strip()}" for c in _RECORD_COLS.split(","))
        with self._read() as conn:
            rows = conn.execute(f"SELECT {cols} FROM records r{where}"
                                " ORDER BY r.finished_at, r.id LIMIT ?",
                                (*params, query.limit)).fetchall()
        return [self._record(r) for r in rows]

    # -- audit ---------------------------------------------------------------------------------

    @staticmethod
    def _log(conn: Any, action: AuditAction, *, actor: str, at: datetime,
             record_id: int | None, detail: str) -> int:
        entry_id = next_id(conn, "audit")
        values = (entry_id, utc_text(at), actor, action, record_id, detail)  # CHAINED["audit"] order
        conn.execute(f"INSERT INTO audit ({', '.join(CHAINED['audit'])}, row_hash)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (*values, hash_for_new_row(conn, "audit", values)))
        return entry_id

    def log(self, action: AuditAction, *, actor: str, at: datetime, record_id: int | None,
            detail: str = "") -> int:
        with self._tx() as conn:
            return self._log(conn, action, actor=actor, at=at, record_id=record_id, detail=detail)

    def check_writable(self) -> None:
        """RecordsError (with what to do) unless a change could be written now; writes nothing."""
        with self._lock, self._errors():
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                # A real write, rolled back: catches a read-only file or drive and a full disk
                # before the caller does anything it could not record.
                conn.execute("CREATE TABLE counsel_write_probe (x)")
            finally:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")

    def integrity(self) -> str:
        """SQLite's quick_check: 'ok', or the first problem it found."""
        with self._read() as conn:
            return str(conn.execute("PRAGMA quick_check(1)").fetchone()[0])

    def verify(self) -> ChainReport:
        """Recompute the tamper-evidence hash chains of the records and the audit log."""
        with self._read() as conn:
            return verify_chains(conn)

    def audit(self, record_id: int | None = None) -> list[AuditEntry]:
        with self._read() as conn:
            if record_id is None:
                rows = conn.execute("SELECT id, at, actor, action, record_id, detail FROM audit"
                                    " ORDER BY id").fetchall()
            else:
                # A record's trail covers all its versions.
                rows = conn.execute(
                    "SELECT id, at, actor, action, record_id, detail FROM audit WHERE record_id IN"
                    " (SELECT id FROM records WHERE session_id ="
                    "  (SELECT session_id FROM records WHERE id = ?)) ORDER BY id",
                    (record_id,)).fetchall()
        return [AuditEntry(id=r[0], at=parse_utc(r[1]), actor=r[2], action=cast(AuditAction, r[3]),
                           record_id=r[4], detail=r[5]) for r in rows]

    def set_scope(self, scope: str, branch: str = "") -> None:
        """Reading scope of this connection: a no-op on SQLite (the service filters; a file on
        one PC has no per-person connections). PostgreSQL enforces it with row-level security."""
        del scope, branch

    def record_branch(self, record_id: int) -> str:
        """The branch a record was made in ('' before accounts, or on a single-branch install)."""
        with self._read() as conn:
            row = conn.execute("SELECT branch FROM records WHERE id = ?", (record_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"record {record_id}: not found")
        return str(row[0])

    # -- accounts (counsel/records/accounts.py: the same SQL on both engines) --------------------

    def add_account(self, account: Account, secret_hash: str, *, by: str, at: datetime) -> None:
        with self._tx() as conn:
            if not acc.insert_account(conn, account, secret_hash, by=by):
                raise RecordsError(f"user name '{account.username}' is already taken")
            acc.insert_access(conn, username=account.username, event="account_added", at=at,
                              detail=f"{account.role} by {by}")

    def account(self, username: str) -> tuple[Account, str] | None:
        """The account and its secret hash, or None."""
        with self._read() as conn:
            return acc.select_account(conn, username)

    def accounts(self) -> list[Account]:
        with self._read() as conn:
            return acc.select_accounts(conn)

    def update_account(self, username: str, *, by: str, at: datetime,
                       secret_hash: str | None = None, active: bool | None = None) -> None:
        with self._tx() as conn:
            if not acc.update_account(conn, username, secret_hash=secret_hash, active=active):
                raise NotFoundError(f"user {username}: no such account")
            event: AccessEventKind = "secret_changed" if secret_hash else "deactivated"
            if active:
                event = "account_added"
            acc.insert_access(conn, username=username, event=event, at=at, detail=f"by {by}")

    def log_access(self, username: str, event: AccessEventKind, *, at: datetime,
                   counter: str = "", detail: str = "") -> None:
        with self._tx() as conn:
            acc.insert_access(conn, username=username, event=event, at=at, counter=counter,
                              detail=detail)

    def access_log(self, username: str | None = None) -> list[AccessEvent]:
        with self._read() as conn:
            return acc.select_access(conn, username)

    def failed_sign_ins(self, username: str) -> int:
        with self._read() as conn:
            return acc.failures_in_a_row(conn, username)
