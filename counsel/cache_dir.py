"""The per-user cache folder for things Counsel can always rebuild (compiled templates, content).

$COUNSEL_CACHE_DIR overrides it ("" or "0": no cache). Nothing in it is ever patient data; a
folder that cannot be made only means working without a cache.
"""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "COUNSEL_CACHE_DIR"


def cache_dir(name: str) -> Path | None:
    """<user cache>/Counsel/<name>, created (owner-only) if needed; None when off or unusable."""
    folder = os.environ.get(CACHE_ENV)
    if folder is None:
        import platformdirs

        folder = platformdirs.user_cache_dir("Counsel", appauthor=False)
    if folder in ("", "0"):
        return None
    path = Path(folder) / name
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return path
