"""Choosing the records store: an SQLite file (the default) or a PostgreSQL server, by URL.

`COUNSEL_DB=postgresql://…` or `--db postgresql://…` selects the server; anything else is an
SQLite path. psycopg is imported only when a server is used, so a single PC never loads it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TypeAlias

from counsel import databases
from counsel.records.db import refuse_url
from counsel.records.repository import RecordsRepository

DbTarget: TypeAlias = Path | str
# With a server: an SQLite file on this counter for sessions in progress and the outbox.
OUTBOX_ENV = "COUNSEL_OUTBOX"

_PG_URL = re.compile(r"^\s*postgres(ql)?://", re.IGNORECASE)


def is_server_url(value: object) -> bool:
    return isinstance(value, str) and _PG_URL.match(value) is not None


def default_target(env: Mapping[str, str] | None = None) -> DbTarget:
    """$COUNSEL_DB (a path or a postgresql:// URL), else the file in the user data folder."""
    value = (os.environ if env is None else env).get(databases.RECORDS_ENV, "").strip()
    if is_server_url(value):
        return value
    refuse_url(value, databases.RECORDS_ENV)  # another scheme (sqlite://, http://): one line
    return databases.records_db_path(env)


_COLLAPSED = re.compile(r"^(postgres(?:ql)?):/(?!/)", re.IGNORECASE)


def resolve(target: DbTarget | None) -> DbTarget:
    if target is None:
        return default_target()
    if isinstance(target, Path) and _COLLAPSED.match(str(target)):
        # argparse's type=Path turned "postgresql://u@h/db" into "postgresql:/u@h/db".
        return _COLLAPSED.sub(r"\1://", str(target))
    if isinstance(target, str) and not is_server_url(target):
        refuse_url(target, "records database (--db or COUNSEL_DB)")
        return Path(target).expanduser()
    return target


def open_repository(target: DbTarget | None = None) -> RecordsRepository:
    """Open (create or migrate) the records store named by `target` (default: default_target())."""
    where = resolve(target)
    if isinstance(where, str):
        from counsel.records.pg_repo import PostgresRepository  # only a server needs psycopg

        server = PostgresRepository(where)
        outbox = os.environ.get(OUTBOX_ENV, "").strip()
        if outbox:
            # A counter: sessions stay local and records queue while the server is away.
            from counsel.records.outbox import CounterRepository

            return CounterRepository(server, Path(outbox).expanduser())
        return server
    from counsel.records.sqlite_repo import SQLiteRepository

    return SQLiteRepository(where)


def describe(target: DbTarget) -> str:
    """Where the records are, for messages: a path, or the URL without its password."""
    if isinstance(target, Path):
        return str(target)
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", target)
