"""Atomic file writes: a temp file in the target's folder, fsync, then os.replace.

An interrupted or failed write never leaves a half-written file under the target name, and
never leaves the temp file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

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
    """Write `data` to `path` atomically (same-folder temp file, fsync, os.replace)."""
    parent = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise LeafletError(f"cannot write '{path}': {exc.strerror or exc}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:  # includes KeyboardInterrupt: never leave the temp file
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise LeafletError(f"cannot write '{path}': {exc.strerror or exc}") from None
        raise
    _fsync_dir(parent)


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not every platform or filesystem allows it.
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
