"""Training attempts in their own SQLite file, never in the counselling records database.

One row per attempt plus one row per scored item, so progress per topic and the most often
missed points are plain SQL. Migrations are numbered and tracked with PRAGMA user_version.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from counsel.atomic_write import write_atomic as shared_write_atomic
from counsel.atomic_write import write_error_advice
from counsel.core.errors import CounselError
from counsel.training.scoring import Result

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        trainee TEXT NOT NULL CHECK (length(trim(trainee)) > 0),
        scenario_id TEXT NOT NULL,
        scenario_title TEXT NOT NULL,
        content_version TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        duration_s INTEGER CHECK (duration_s IS NULL OR duration_s >= 0),
        score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
        pass_mark INTEGER NOT NULL,
        passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
        self_rating INTEGER CHECK (self_rating IS NULL OR self_rating BETWEEN 0 AND 100),
        referred INTEGER NOT NULL CHECK (referred IN (0, 1))
    );
    CREATE TABLE attempt_items (
        attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('point', 'question', 'referral')),
        item_id TEXT NOT NULL,
        title TEXT NOT NULL,
        topic TEXT NOT NULL,
        weight INTEGER NOT NULL,
        critical INTEGER NOT NULL CHECK (critical IN (0, 1)),
        covered INTEGER NOT NULL CHECK (covered IN (0, 1)),
        PRIMARY KEY (attempt_id, kind, item_id)
    );
    CREATE INDEX attempts_by_trainee ON attempts (trainee, finished_at);
    """,
    # 2: exam mode, the expected and given action, unsafe advice given, the time guide, and the
    # examiner's global rating and comment (additive: older attempts read as open mode, unrated).
    """
    ALTER TABLE attempts ADD COLUMN mode TEXT NOT NULL DEFAULT 'open' CHECK (mode IN ('open', 'blind'));
    ALTER TABLE attempts ADD COLUMN action_expected TEXT;
    ALTER TABLE attempts ADD COLUMN action_given TEXT;
    ALTER TABLE attempts ADD COLUMN unsafe_penalty INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE attempts ADD COLUMN time_guide_s INTEGER;
    ALTER TABLE attempts ADD COLUMN examiner_rating INTEGER
        CHECK (examiner_rating IS NULL OR examiner_rating BETWEEN 1 AND 5);
    ALTER TABLE attempts ADD COLUMN examiner_comment TEXT;
    CREATE TABLE attempt_unsafe (
        attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        title TEXT NOT NULL,
        penalty INTEGER NOT NULL,
        discussed INTEGER NOT NULL CHECK (discussed IN (0, 1)),
        PRIMARY KEY (attempt_id, item_id)
    );
    """,
)


class TrainingStoreError(CounselError):
    """The training database cannot be opened or is from a newer version of Counsel."""


# A database URL ("postgresql://…") is not a path: Path() would make it a relative file name.
_URL_RE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]+):/")


def _advice(exc: sqlite3.Error) -> str:
    """A full disk or a read-only file is not damage: say what to do about it."""
    text = str(exc).lower()
    if "disk is full" in text:
        return "the disk is full: free some space, then try again"
    if "readonly" in text or "unable to open" in text:
        return ("it is read-only or its folder cannot be written: fix the permissions, or set "
                "COUNSEL_TRAINING_DB to a writable place")
    return str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__


_SERVER = re.compile(r"^\s*(postgres(?:ql)?):/+", re.IGNORECASE)


def connect(path: Path | str) -> sqlite3.Connection:
    """Open (creating and migrating) the training database: an SQLite file, or a PostgreSQL
    server for a postgresql:// URL (counsel.training.pg_storage; issue 14)."""
    server = _SERVER.match(str(path))
    if server:
        # Path() folds "postgresql://" into "postgresql:/": put the slashes back.
        from counsel.training.pg_storage import PgTrainingConnection

        server_url = _SERVER.sub(lambda m: f"{m[1]}://", str(path), count=1)
        return PgTrainingConnection(server_url)  # type: ignore[return-value]  # same calls
    path = Path(path)
    url = _URL_RE.match(str(path))
    if url:
        what = ("PostgreSQL is not supported yet" if url[1].lower().startswith("postgres")
                else f"'{url[1][:20]}:' URLs are not supported")
        raise TrainingStoreError(f"training database (--db or COUNSEL_TRAINING_DB): a database URL "
                                 f"was given, but {what}; give the path of an SQLite file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        _migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        raise TrainingStoreError(f"{path}: cannot open the training database ({_advice(exc)})"
                                 ) from None
    except OSError as exc:
        raise TrainingStoreError(f"{path}: cannot create the training database "
                                 f"({write_error_advice(exc)})") from None
    return conn


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > len(MIGRATIONS):
        raise TrainingStoreError(f"{path}: made by a newer Counsel (schema {version}); update the app")
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        with _transaction(conn):
            for statement in filter(str.strip, script.split(";")):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        # e.g. a full disk or a read-only file while saving: one line with what to do.
        raise TrainingStoreError(f"training database: not saved ({_advice(exc)})") from None


@dataclass(frozen=True)
class AttemptRow:
    id: int
    trainee: str
    scenario_id: str
    scenario_title: str
    finished_at: str
    duration_s: int | None
    score: int
    pass_mark: int
    passed: bool
    self_rating: int | None
    critical_missed: tuple[str, ...]
    mode: str = "open"
    action_expected: str | None = None
    action_given: str | None = None
    unsafe_given: tuple[str, ...] = ()
    time_guide_s: int | None = None
    examiner_rating: int | None = None
    examiner_comment: str | None = None

    @property
    def gap(self) -> int | None:
        return None if self.self_rating is None else self.self_rating - self.score


@dataclass(frozen=True)
class MissedItem:
    id: str
    title: str
    missed: int
    seen: int


@dataclass(frozen=True)
class Progress:
    trainee: str | None
    attempts: tuple[AttemptRow, ...]
    topics: dict[str, int]
    most_missed: tuple[MissedItem, ...]


def save_attempt(
    conn: sqlite3.Connection, *, trainee: str, result: Result, scenario_title: str,
    content_version: str, finished_at: datetime, duration_s: int | None,
    time_guide_s: int | None = None,
) -> int:
    """Store one scored attempt; returns its id. The time is passed in (never read here)."""
    name = trainee.strip()
    if not name:
        raise TrainingStoreError("trainee: a name is needed to save an attempt")
    with _transaction(conn):
        cur = conn.execute(
            "INSERT INTO attempts (trainee, scenario_id, scenario_title, content_version, finished_at,"
            " duration_s, score, pass_mark, passed, self_rating, referred, mode, action_expected,"
            " action_given, unsafe_penalty, time_guide_s, examiner_rating, examiner_comment)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (name, result.scenario_id, scenario_title, content_version,
             finished_at.isoformat(timespec="seconds"), duration_s, result.score, result.pass_mark,
             int(result.passed), result.self_rating, int(result.referred), result.mode,
             result.action.expected, result.action.given, result.penalty, time_guide_s,
             result.examiner_rating, result.examiner_comment or None),
        )
        attempt_id = int(cur.lastrowid or 0)
        conn.executemany(
            "INSERT INTO attempt_items (attempt_id, kind, item_id, title, topic, weight, critical,"
            " covered) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(attempt_id, i.kind, i.id, i.title, i.topic, i.weight, int(i.critical), int(i.covered))
             for i in result.items],
        )
        conn.executemany(
            "INSERT INTO attempt_unsafe (attempt_id, item_id, title, penalty, discussed)"
            " VALUES (?, ?, ?, ?, ?)",
            [(attempt_id, u.id, u.title, u.penalty, int(u.discussed)) for u in result.unsafe],
        )
    return attempt_id


def trainees(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT DISTINCT trainee FROM attempts ORDER BY trainee")]


def progress(conn: sqlite3.Connection, trainee: str | None = None, *, top: int = 10) -> Progress:
    """Attempts over time, weighted score per topic, and the points most often missed."""
    where, params = ("WHERE a.trainee = ?", (trainee,)) if trainee else ("", ())
    attempts = []
    for row in conn.execute(
        "SELECT a.id, a.trainee, a.scenario_id, a.scenario_title, a.finished_at, a.duration_s,"
        " a.score, a.pass_mark, a.passed, a.self_rating,"
        " (SELECT group_concat(item_id, ',') FROM attempt_items i"
        "   WHERE i.attempt_id = a.id AND i.critical = 1 AND i.covered = 0),"
        " a.mode, a.action_expected, a.action_given,"
        " (SELECT group_concat(item_id, ',') FROM attempt_unsafe u"
        "   WHERE u.attempt_id = a.id AND u.discussed = 1),"
        " a.time_guide_s, a.examiner_rating, a.examiner_comment"
        f" FROM attempts a {where} ORDER BY a.finished_at, a.id", params,
    ):
        attempts.append(AttemptRow(
            id=row[0], trainee=row[1], scenario_id=row[2], scenario_title=row[3],
            finished_at=row[4], duration_s=row[5], score=row[6], pass_mark=row[7],
            passed=bool(row[8]), self_rating=row[9],
            critical_missed=tuple(row[10].split(",")) if row[10] else (),
            mode=row[11], action_expected=row[12], action_given=row[13],
            unsafe_given=tuple(row[14].split(",")) if row[14] else (),
            time_guide_s=row[15], examiner_rating=row[16], examiner_comment=row[17],
        ))
    topics = {
        topic: (100 * earned) // possible
        for topic, earned, possible in conn.execute(
            "SELECT i.topic, sum(i.weight * i.covered), sum(i.weight) FROM attempt_items i"
            f" JOIN attempts a ON a.id = i.attempt_id {where} GROUP BY i.topic ORDER BY i.topic",
            params,
        )
        if possible
    }
    missed = tuple(
        MissedItem(id=r[0], title=r[1], missed=r[2], seen=r[3])
        for r in conn.execute(
            "SELECT i.item_id, max(i.title), sum(1 - i.covered) AS missed, count(*) FROM attempt_items i"
            f" JOIN attempts a ON a.id = i.attempt_id {where}"
            " GROUP BY i.kind, i.item_id HAVING missed > 0 ORDER BY missed DESC, i.item_id LIMIT ?",
            (*params, top),
        )
    )
    return Progress(trainee=trainee, attempts=tuple(attempts), topics=topics, most_missed=missed)


# A spreadsheet runs a cell starting with one of these as a formula (CSV injection): a trainee
# called "=HYPERLINK(...)" must show as text. The same rule as the records CSV export.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _SafeWriter:
    """csv.writer whose text cells are neutralised against formula injection."""

    def __init__(self, buf: io.StringIO) -> None:
        self._writer = csv.writer(buf, lineterminator="\n")

    def writerow(self, row: list[object]) -> None:
        self._writer.writerow([spreadsheet_safe(cell) for cell in row])


def summary_csv(prog: Progress) -> str:
    """A supervisor's sign-off sheet: attempts, topic scores, most missed, signature lines."""
    buf = io.StringIO()
    w = _SafeWriter(buf)
    w.writerow(["Counsel training summary", prog.trainee or "all trainees"])
    w.writerow([])
    w.writerow(["trainee", "finished_at", "scenario_id", "scenario", "score", "pass_mark", "passed",
                "self_rating", "self_rating_gap", "critical_missed", "duration_s",
                "mode", "action_expected", "action_given", "unsafe_given", "time_guide_s",
                "examiner_rating", "examiner_comment"])
    for a in prog.attempts:
        w.writerow([a.trainee, a.finished_at, a.scenario_id, a.scenario_title, a.score, a.pass_mark,
                    "yes" if a.passed else "no", _blank(a.self_rating), _blank(a.gap),
                    " ".join(a.critical_missed), _blank(a.duration_s),
                    a.mode, a.action_expected or "", a.action_given or "", " ".join(a.unsafe_given),
                    _blank(a.time_guide_s), _blank(a.examiner_rating), a.examiner_comment or ""])
    w.writerow([])
    w.writerow(["topic", "score_percent"])
    for topic, pct in prog.topics.items():
        w.writerow([topic, pct])
    w.writerow([])
    w.writerow(["most_missed", "title", "times_missed", "times_scored"])
    for m in prog.most_missed:
        w.writerow([m.id, m.title, m.missed, m.seen])
    w.writerow([])
    w.writerow(["Supervisor name", ""])
    w.writerow(["Supervisor signature", ""])
    w.writerow(["Date signed", ""])
    return buf.getvalue()


def _blank(value: int | None) -> str | int:
    return "" if value is None else value


def write_atomic(path: Path, text: str) -> None:
    """Write text so a reader never sees a half-written file (see counsel.atomic_write)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shared_write_atomic(path, text)
