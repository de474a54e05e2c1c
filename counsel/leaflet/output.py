"""Leaflet output files: checked before rendering, written atomically (see counsel.atomic_write).

An interrupted or failed write never leaves a half-written file under the target name, and
never leaves the temp file behind.
"""

from __future__ import annotations

from pathlib import Path

from counsel.atomic_write import write_atomic as shared_write_atomic
from counsel.atomic_write import write_error_advice
from counsel.leaflet.errors import LeafletError


def check_target(path: Path, *, suffixes: tuple[str, ...], option: str) -> None:
    """Fail early, with one line, if `path` cannot be an output file."""
    if path.suffix.lower() not in suffixes:
        raise LeafletError(f"{option}: '{path.name}' must end in {' or '.join(suffixes)}")
    if path.is_dir():
        raise LeafletError(f"{option}: '{path}' is a folder")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise LeafletError(f"{option}: folder '{parent}' does not exist")


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically; a failure is one LeafletError line."""
    try:
        shared_write_atomic(path, data)
    except OSError as exc:
        # The shared advice: a full disk or read-only drive says what to do (issue 15).
        raise LeafletError(f"cannot write '{path}': {write_error_advice(exc)}") from None
