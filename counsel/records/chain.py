"""Tamper evidence: every record row and every audit row carries a SHA-256 chained to the row before.

row_hash = SHA-256(previous row's hash + "\\n" + canonical JSON of the row), per table, in id
order; the first row follows 64 zeros. Changing, inserting or deleting a row (with the triggers
dropped, or by editing the file) breaks the link of that row or the next one, and `records verify`
names the first broken link. A deleted last record is caught through its audit entry, which
still refers to it.

What this is not: a signature. Someone who rewrites a row and recomputes every hash after it
leaves a consistent chain; compare the chain heads printed by `records verify` with a noted or
exported copy to catch that. The hashed columns are fixed here: a later migration that adds a
column must not add it to these lists (old rows would stop verifying) but start a new scheme.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field

GENESIS = "0" * 64
CHAINED: dict[str, tuple[str, ...]] = {
    "records": ("id", "session_id", "version", "supersedes", "finished_at", "pharmacist",
                "patient_ref", "drug", "form", "strength", "calendar_checked", "body_json"),
    "audit": ("id", "at", "actor", "action", "record_id", "detail"),
}


def canonical(table: str, values: Sequence[object]) -> str:
    """One row as compact, key-sorted JSON (its column names included, so values cannot swap)."""
    columns = CHAINED[table]
    if len(values) != len(columns):
        raise ValueError(f"{table}: expected {len(columns)} values, got {len(values)}")
    return json.dumps({"table": table, "row": dict(zip(columns, values, strict=True))},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def link_hash(previous: str, table: str, values: Sequence[object]) -> str:
    return hashlib.sha256(f"{previous}\n{canonical(table, values)}".encode()).hexdigest()


def head(conn: sqlite3.Connection, table: str) -> str:
    """The hash of the table's last row (GENESIS when it is empty)."""
    row = conn.execute(f"SELECT row_hash FROM {table} ORDER BY id DESC LIMIT 1").fetchone()
    return str(row[0]) if row and row[0] else GENESIS


def next_id(conn: sqlite3.Connection, table: str) -> int:
    """The id the next row will take; call inside the write transaction that inserts it."""
    return int(conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0])


def hash_for_new_row(conn: sqlite3.Connection, table: str, values: Sequence[object]) -> str:
    """row_hash for a row about to be appended (values in CHAINED order, id first)."""
    return link_hash(head(conn, table), table, values)


def fill_hashes(conn: sqlite3.Connection) -> None:
    """Migration helper: hash every existing row in id order (update triggers must be off)."""
    for table, columns in CHAINED.items():
        previous = GENESIS
        rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id").fetchall()
        for values in rows:
            previous = link_hash(previous, table, values)
            conn.execute(f"UPDATE {table} SET row_hash = ? WHERE id = ?", (previous, values[0]))


@dataclass(frozen=True)
class BrokenLink:
    table: str
    id: int
    problem: str


@dataclass(frozen=True)
class ChainReport:
    """The outcome of verify(): rows checked and chain heads per table, or the first broken link."""

    counts: dict[str, int] = field(default_factory=dict)
    heads: dict[str, str] = field(default_factory=dict)
    broken: BrokenLink | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None

    @property
    def message(self) -> str:
        if self.broken is not None:
            b = self.broken
            return (f"BROKEN: {b.table} id {b.id}: {b.problem}; the records were changed outside "
                    "Counsel — keep this file as evidence and restore a backup to carry on")
        return (f"OK: {self.counts.get('records', 0)} record rows and {self.counts.get('audit', 0)}"
                f" audit entries, hash chains intact (heads: records {self.heads['records'][:16]},"
                f" audit {self.heads['audit'][:16]})")

    def to_dict(self) -> dict[str, object]:
        broken = None if self.broken is None else {
            "table": self.broken.table, "id": self.broken.id, "problem": self.broken.problem}
        return {"ok": self.ok, "counts": self.counts, "heads": self.heads, "broken": broken}


def verify(conn: sqlite3.Connection) -> ChainReport:
    """Recompute both chains; stop at the first row whose stored hash does not match."""
    counts: dict[str, int] = {}
    heads: dict[str, str] = {}
    for table, columns in CHAINED.items():
        previous, count = GENESIS, 0
        for row in conn.execute(f"SELECT {', '.join(columns)}, row_hash FROM {table} ORDER BY id"):
            values, stored = row[:-1], row[-1]
            expected = link_hash(previous, table, values)
            if stored != expected:
                problem = ("has no hash (added outside Counsel)" if not stored else
                           "does not match its hash: it, or the row before it, was changed, "
                           "added or removed")
                return ChainReport(counts, heads, BrokenLink(table, int(values[0]), problem))
            previous, count = expected, count + 1
        counts[table], heads[table] = count, previous
    orphan = conn.execute("SELECT a.id, a.record_id FROM audit a WHERE a.record_id IS NOT NULL AND"
                          " NOT EXISTS (SELECT 1 FROM records r WHERE r.id = a.record_id)"
                          " ORDER BY a.id LIMIT 1").fetchone()
    if orphan is not None:
        return ChainReport(counts, heads, BrokenLink(
            "records", int(orphan[1]), f"is missing, but audit entry {orphan[0]} refers to it"))
    return ChainReport(counts, heads)
