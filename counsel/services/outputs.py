"""The one guard every file writer calls first: never overwrite a database or the file being read.

An export, a leaflet or a CSV written over the live records database (or its -wal/-shm), the
training database or the case file being read would destroy it; the probe found `records export
-o <the database>` did exactly that and exited 0. This refuses such a path in one line naming the
option, before anything is rendered, exported or logged. "Is" covers the same path spelt another
way, a symbolic link to it and a hard link to it; any existing SQLite file (or its -wal/-shm/
-journal sibling) is refused too, because no Counsel output is ever meant to replace one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from counsel.core.errors import CounselError

SQLITE_HEADER = b"SQLite format 3\x00"
SIDE_FILES = ("-wal", "-shm", "-journal")


class OutputPathError(CounselError):
    """An output path would overwrite something that must be kept (one line, naming the option)."""


def _real(path: Path) -> str:
    # os.path.realpath never raises on a link loop (Path.resolve does on 3.11).
    return os.path.normcase(os.path.realpath(os.fspath(path)))


def _same_file(a: Path, b: Path) -> bool:
    try:
        if os.path.samefile(a, b):  # hard links and symbolic links to an existing file
            return True
    except (OSError, ValueError):
        pass
    return _real(a) == _real(b)


def _is_sqlite(path: Path) -> bool:
    try:
        if not path.is_file():  # never open a FIFO or device just to look (it could block)
            return False
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except (OSError, ValueError):
        return False


def default_databases() -> list[Path]:
    """The records and training databases this user's app would open (defaults or $COUNSEL_*)."""
    # From counsel.databases, not the storage modules: a plain `render` never loads those.
    from counsel.databases import records_db_path, training_db_path

    out: list[Path] = []
    for find in (records_db_path, training_db_path):
        try:
            out.append(find())
        except CounselError:
            continue  # e.g. an unusable $COUNSEL_DB: that command reports it itself
    return out


def check_output_path(path: Path, option: str, *, databases: Iterable[Path | None] = (),
                      inputs: Iterable[Path | None] = (), include_defaults: bool = True) -> None:
    """Refuse `path` (OutputPathError naming `option`) if it is, or links to, a file we must keep.

    databases: database files in use (each with its -wal/-shm/-journal); inputs: files being read.
    include_defaults adds this user's default records and training databases.
    """
    dbs = [Path(d) for d in databases if d is not None]
    if include_defaults:
        dbs += default_databases()
    for db in dbs:
        for suffix in ("", *SIDE_FILES):
            if _same_file(path, Path(f"{db}{suffix}")):
                what = f"the {suffix[1:]} file of " if suffix else ""
                raise OutputPathError(f"{option}: '{path.name}' is {what}the Counsel database "
                                      f"{db.name}; writing there would destroy it — choose "
                                      "another file")
    for source in inputs:
        if source is not None and _same_file(path, source):
            raise OutputPathError(f"{option}: '{path.name}' is the file being read; "
                                  "choose another file")
    if _is_sqlite(path):
        raise OutputPathError(f"{option}: '{path.name}' is an SQLite database; "
                              "writing there would destroy it — choose another file")
    name = path.name
    for suffix in SIDE_FILES:
        if name.endswith(suffix) and _is_sqlite(path.with_name(name[: -len(suffix)])):
            raise OutputPathError(f"{option}: '{name}' belongs to an SQLite database; "
                                  "choose another file")
