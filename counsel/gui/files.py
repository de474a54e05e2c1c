"""Files the window writes: case files atomically (see counsel.atomic_write), never over a database.

Every path the user picks goes through the shared output guard (services.outputs.check_output_path)
first, as for the CLI: a case or leaflet saved over the records or training database (or its
-wal/-shm), or a leaflet saved over the case file being worked on, would destroy it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from counsel.atomic_write import write_atomic, write_error_advice
from counsel.services.outputs import OutputPathError, check_output_path

__all__ = ["OutputPathError", "output_refusal", "save_case_file", "write_failure", "write_json_atomic"]


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    write_atomic(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def output_refusal(path: Path, action: str, *, databases: Iterable[Path | None] = (),
                   inputs: Iterable[Path | None] = ()) -> str:
    """'' when `path` may be written; else the guard's one line (naming `action`) saying why not.

    databases: the databases this window has open (the user's default records and training
    databases are always included); inputs: files that must not be replaced (the open case).
    """
    try:
        check_output_path(path, action, databases=databases, inputs=inputs)
    except OutputPathError as exc:
        return str(exc)
    return ""


def write_failure(path: Path, exc: OSError) -> str:
    """A failed write in one line the user can act on (e.g. 'the disk is full: free some space…')."""
    return f"Cannot save {path.name}: {write_error_advice(exc)}"


def save_case_file(path: Path, data: dict[str, Any], *, databases: Iterable[Path | None] = ()) -> None:
    """Write a case file atomically, after the guard (raises OutputPathError or OSError).

    Saving over the case file that is open is what Save does, so only databases are refused.
    """
    check_output_path(path, "Save case", databases=databases)
    write_json_atomic(path, data)
