"""The PostgreSQL implementation of RecordsRepository (psycopg 3), for several counters or a chain.

It runs the very same SQL as the SQLite store (SQLiteRepository's methods, through a small
connection adapter that turns `?` into `%s` and two SQLite functions into PostgreSQL's), so the
two engines cannot drift; only connecting, transactions, errors and health checks differ here.

Every write is one transaction that first takes a server-wide advisory lock: the hash chain and
the next record id are computed and appended by one counter at a time, and a reader sees a record
together with its audit entry or not at all (never half-written).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.pq import TransactionStatus

from counsel.records.chain import ChainReport
from counsel.records.chain import verify as verify_chains
from counsel.records.errors import (
    DatabaseUnusableError,
    NotFoundError,
    RecordsError,
    SessionClosedError,
)
from counsel.records.pg_migrations import STEPS
from counsel.records.sqlite_repo import SQLiteRepository
from counsel.records.store import describe

log = logging.getLogger(__name__)

# pg_advisory_xact_lock keys: one for every write (the chains), one for migrations.
WRITE_LOCK = 0x436E736C
MIGRATE_LOCK = 0x436E736D
CONNECT_TIMEOUT_S = 5
Scope = tuple[str, str]  # (all | branch | none, branch)

_JSON_EXTRACT = re.compile(r"json_extract\((\w+), '\$\.([\w.]+)'\)")


class ServerUnavailableError(RecordsError):
    """The records server cannot be reached (down, network, restarting): retry later."""


def translate(sql: str) -> str:
    """SQLite's dialect, as used by the shared repository code, into PostgreSQL's."""
    sql = _JSON_EXTRACT.sub(lambda m: f"({m[1]}::jsonb #>> '{{{m[2].replace('.', ',')}}}')", sql)
    sql = sql.replace("instr(", "strpos(")
    return sql.replace("?", "%s")


class PgConnection:
    """The sqlite3.Connection surface the shared code uses, over a psycopg connection."""

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Any = None, /) -> Any:
        if sql == "BEGIN IMMEDIATE":
            self.raw.execute("BEGIN")
            self.raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            # The chain head and the next id must be computed over every row, whatever the
            # reading scope of this counter (row-level security): for this transaction only.
            return self.raw.execute("SELECT set_config('counsel.scope', 'all', true)")
        return self.raw.execute(translate(sql), params or None)

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self.raw.close()


def _connect(url: str) -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                               application_name="counsel")
    except psycopg.OperationalError as exc:
        raise ServerUnavailableError(_unreachable(url, exc)) from None
    except psycopg.Error as exc:
        raise DatabaseUnusableError(f"{describe(url)}: cannot use the records server "
                                    f"({_first_line(exc)})") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__).rstrip(".")[:200]


def _unreachable(url: str, exc: BaseException) -> str:
    reason = _first_line(exc)
    if "password" in reason.lower():
        return (f"{describe(url)}: the records server refused the sign-in of this counter "
                "(check the user and password in COUNSEL_DB)")
    return (f"records server unreachable ({describe(url)}): {reason}; check the network and "
            "the server, then try again")


def migrate(conn: psycopg.Connection[Any], *, name: str) -> int:
    """Bring the server's schema up to date in one transaction; returns the version found."""
    def current() -> int:
        exists = conn.execute("SELECT to_regclass('counsel_schema') IS NOT NULL").fetchone()
        if not exists or not exists[0]:
            return 0
        row = conn.execute("SELECT coalesce(max(version), 0) FROM counsel_schema").fetchone()
        return int(row[0]) if row else 0

    found = current()
    latest = STEPS[-1][0]
    if found > latest:
        raise DatabaseUnusableError(f"{name}: records server schema is version {found}, newer "
                                    f"than this app supports ({latest}); update Counsel")
    if found == latest:
        return found
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS counsel_schema (version INTEGER PRIMARY KEY,"
                     " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
        found = current()  # another counter may have migrated while this one waited
        for version, statements in STEPS:
            if version > found:
                for statement in statements:
                    conn.execute(statement)  # our own constant SQL
                conn.execute("INSERT INTO counsel_schema (version) VALUES (%s)", (version,))
                log.info("records server migrated to version %d", version)
    return found


class PostgresRepository(SQLiteRepository):
    """Records on a PostgreSQL server. Safe for many counters; each keeps one connection."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.location = describe(url)
        self._lock = threading.RLock()
        self._scope: Scope = ("", "")
        raw = _connect(url)
        try:
            migrate(raw, name=self.location)
        except psycopg.errors.InsufficientPrivilege:
            raw.close()
            raise DatabaseUnusableError(
                f"{self.location}: the records server's tables are not set up (or are older "
                "than this app) and this role may not create them; run any `counsel records` "
                "command once with the database owner's URL") from None
        except psycopg.Error as exc:
            raw.close()
            raise DatabaseUnusableError(f"{self.location}: cannot set up the records server "
                                        f"({_first_line(exc)})") from None
        except BaseException:
            raw.close()  # e.g. a schema newer than this app: refused, connection not leaked
            raise
        self._conn = PgConnection(raw)  # type: ignore[assignment]

    # -- plumbing ------------------------------------------------------------------------------

    def _reconnect_if_needed(self) -> None:
        if self._conn.raw.closed or self._conn.raw.broken:  # type: ignore[attr-defined]
            self._conn = PgConnection(_connect(self.url))  # type: ignore[assignment]
            self._apply_scope()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            self._reconnect_if_needed()
            yield
        except pg_errors.RaiseException as exc:
            msg = _first_line(exc)
            if "closed" in msg:
                raise SessionClosedError(msg) from None
            raise RecordsError(f"records server refused the change: {msg}") from None
        except pg_errors.InsufficientPrivilege as exc:
            raise RecordsError(f"records server refused the change: {_first_line(exc)}") from None
        except pg_errors.IntegrityError as exc:
            raise RecordsError(f"records server refused the change: {_first_line(exc)}") from None
        except pg_errors.NumericValueOutOfRange:
            raise NotFoundError("record: no record has an id that large") from None
        except psycopg.OperationalError as exc:
            raise ServerUnavailableError(_unreachable(self.url, exc)) from None
        except psycopg.Error as exc:
            raise RecordsError(f"records server error: {_first_line(exc)}") from None

    # -- scope (row-level security) -------------------------------------------------------------

    def set_scope(self, scope: str, branch: str = "") -> None:
        """What this connection may read of the records: all, one branch, or none (trainee)."""
        if scope not in ("all", "branch", "none"):
            raise ValueError(f"unknown scope {scope!r}")
        self._scope = (scope, branch)
        with self._lock, self._errors():
            self._apply_scope()

    def _apply_scope(self) -> None:
        scope, branch = self._scope
        if scope:
            self._conn.raw.execute(  # type: ignore[attr-defined]
                "SELECT set_config('counsel.scope', %s, false), set_config('counsel.branch', %s,"
                " false)", (scope, branch))

    # -- health --------------------------------------------------------------------------------

    def check_writable(self) -> None:
        """RecordsError unless this role may add records now (nothing is written)."""
        with self._lock, self._errors():
            row = self._conn.execute(
                "SELECT pg_is_in_recovery(), has_table_privilege('records', 'INSERT'),"
                " has_table_privilege('audit', 'INSERT')").fetchone()
        if row[0]:
            raise RecordsError(f"{self.location}: the records server is a read-only standby; "
                               "point COUNSEL_DB at the primary")
        if not (row[1] and row[2]):
            raise RecordsError(f"{self.location}: this database role may not add records; "
                               "grant it counsel_app (see docs/deploy.md)")

    def ping(self) -> None:
        """ServerUnavailableError unless the server answers now (reconnects after a restart)."""
        with self._lock, self._errors():
            self._conn.execute("SELECT 1")

    def integrity(self) -> str:
        return "ok"  # the server checks its own pages; verify() checks the chains

    def verify(self) -> ChainReport:
        """Both chains from one consistent snapshot, over every row whatever this counter's scope."""
        with self._lock, self._errors():
            raw = self._conn.raw  # type: ignore[attr-defined]
            raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                raw.execute("SELECT set_config('counsel.scope', 'all', true)")
                return verify_chains(self._conn)
            finally:
                raw.execute("ROLLBACK")

    def close(self) -> None:
        with self._lock:
            self._conn.close()
