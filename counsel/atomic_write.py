"""Atomic file writes, shared by every layer: a reader never sees a half-written file.

Write to a temporary file in the target's folder, fsync it, os.replace it over the target, then
fsync the folder so the rename itself survives a power cut. An interrupted or failed write leaves
the old file (if any) untouched and no temporary file behind. Errors are plain OSError: each
layer turns them into its own one-line message.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write `data` (str is written as UTF-8) to `path` atomically."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:  # includes KeyboardInterrupt: never leave the temp file behind
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    # Makes the rename durable; not every platform or filesystem allows opening a folder.
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


# What to do about a failed write, in words a pharmacy user can act on (one line, no errno jargon).
_ADVICE = {
    errno.ENOSPC: "the disk is full: free some space, or save to another drive",
    errno.EDQUOT: "the disk quota is used up: free some space, or save to another drive",
    errno.EROFS: "the drive is read-only: save to another folder",
    errno.EACCES: "permission denied: choose a folder you can write to",
    errno.EPERM: "permission denied: choose a folder you can write to",
    errno.ENOENT: "the folder does not exist",
    errno.ELOOP: "too many levels of symbolic links (a link loop?)",
    errno.EISDIR: "it is a folder, not a file",
    errno.ENAMETOOLONG: "the file name is too long",
}


def write_error_advice(exc: OSError) -> str:
    """A failed write as a short reason plus what to do (e.g. disk full, read-only drive)."""
    return _ADVICE.get(exc.errno or 0) or (exc.strerror or exc.__class__.__name__)
