"""People: accounts (name, registration number, role, branch) and the append-only access log.

The SQL here is written once with `?` placeholders and runs on SQLite and (through the
PostgreSQL connection adapter, which turns `?` into `%s`) on PostgreSQL, so the two engines keep
the same rules. Hashing and sign-in policy live in counsel.services.accounts; this is storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol, cast

from counsel.records.models import parse_utc, utc_text

Role = Literal["pharmacist", "trainee", "supervisor", "admin"]
ROLES: tuple[Role, ...] = ("pharmacist", "trainee", "supervisor", "admin")
AccessEventKind = Literal["account_added", "secret_changed", "deactivated", "signed_in",
                          "sign_in_failed", "signed_out", "locked", "switched"]


class Cursor(Protocol):
    rowcount: int

    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    """What the store needs of a connection: sqlite3's, or the PostgreSQL adapter."""

    def execute(self, sql: str, params: Any = ..., /) -> Any: ...


@dataclass(frozen=True)
class Account:
    """A person who may sign in. `username` is what records and the audit log carry."""

    username: str
    name: str
    registration: str
    role: Role
    branch: str
    active: bool
    created_at: datetime

    @property
    def sees_real_records(self) -> bool:
        return self.role != "trainee"

    def describe(self) -> str:
        reg = f", reg. {self.registration}" if self.registration else ""
        branch = f", {self.branch}" if self.branch else ""
        return f"{self.name} ({self.username}, {self.role}{reg}{branch})"


@dataclass(frozen=True)
class AccessEvent:
    id: int
    at: datetime
    username: str
    event: str
    counter: str
    detail: str


_ACCOUNT_COLS = "username, name, registration, role, branch, active, created_at"


def _account(row: tuple[Any, ...]) -> Account:
    return Account(username=str(row[0]), name=str(row[1]), registration=str(row[2]),
                   role=cast(Role, row[3]), branch=str(row[4]), active=bool(row[5]),
                   created_at=parse_utc(str(row[6])))


def insert_account(conn: Connection, account: Account, secret_hash: str, *, by: str) -> bool:
    """False when the user name is taken (nothing written)."""
    if conn.execute("SELECT 1 FROM accounts WHERE username = ?", (account.username,)).fetchone():
        return False
    conn.execute(
        f"INSERT INTO accounts ({_ACCOUNT_COLS}, secret_hash, created_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (account.username, account.name, account.registration, account.role, account.branch,
         int(account.active), utc_text(account.created_at), secret_hash, by))
    return True


def select_account(conn: Connection, username: str) -> tuple[Account, str] | None:
    row = conn.execute(f"SELECT {_ACCOUNT_COLS}, secret_hash FROM accounts WHERE username = ?",
                       (username,)).fetchone()
    return None if row is None else (_account(tuple(row)), str(row[7]))


def select_accounts(conn: Connection) -> list[Account]:
    rows = conn.execute(f"SELECT {_ACCOUNT_COLS} FROM accounts ORDER BY username").fetchall()
    return [_account(tuple(r)) for r in rows]


def update_account(conn: Connection, username: str, *, secret_hash: str | None = None,
                   active: bool | None = None) -> bool:
    cur = conn.execute("UPDATE accounts SET secret_hash = coalesce(?, secret_hash),"
                       " active = coalesce(?, active) WHERE username = ?",
                       (secret_hash, None if active is None else int(active), username))
    return bool(cur.rowcount)


def insert_access(conn: Connection, *, username: str, event: AccessEventKind, at: datetime,
                  counter: str = "", detail: str = "") -> None:
    next_id = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM access_log").fetchone()[0])
    conn.execute("INSERT INTO access_log (id, at, username, event, counter, detail)"
                 " VALUES (?, ?, ?, ?, ?, ?)",
                 (next_id, utc_text(at), username, event, counter, detail))


def select_access(conn: Connection, username: str | None = None,
                  limit: int = 1000) -> list[AccessEvent]:
    where, params = ("WHERE username = ?", (username, limit)) if username else ("", (limit,))
    rows = conn.execute(f"SELECT id, at, username, event, counter, detail FROM access_log {where}"
                        " ORDER BY id DESC LIMIT ?", params).fetchall()
    return [AccessEvent(int(r[0]), parse_utc(str(r[1])), str(r[2]), str(r[3]), str(r[4]),
                        str(r[5])) for r in reversed(rows)]


def failures_in_a_row(conn: Connection, username: str) -> int:
    """Failed sign-ins for this user name since its last successful one (across all counters)."""
    row = conn.execute(
        "SELECT count(*) FROM access_log WHERE username = ? AND event = 'sign_in_failed' AND id >"
        " coalesce((SELECT max(id) FROM access_log WHERE username = ? AND event = 'signed_in'), 0)",
        (username, username)).fetchone()
    return int(row[0])
