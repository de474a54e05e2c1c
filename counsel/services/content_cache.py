"""The shipped content, validated once and kept between runs (the CLI's start-up path).

Validating the monographs and medicine list costs ~35 ms of CPU on every cold start, and building
their pydantic validators more (the content models use defer_build, so a cached catalog never
builds them). The cache file is named by a SHA-256 over every content file, the source of the
core modules that define and check the content, the pydantic and Python versions: change any of
them and it is simply not found, so a stale catalog is never used. Anything wrong with the cache
(missing, damaged, unwritable folder) means validating the files as before.

`validate-content` never uses it: it always validates the files themselves.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from functools import lru_cache
from pathlib import Path

from counsel import __version__, paths
from counsel.atomic_write import write_atomic
from counsel.cache_dir import cache_dir
from counsel.core.content import Catalog, default_catalog

CORE_DIR = Path(__file__).resolve().parent.parent / "core"


def content_files() -> list[Path]:
    return [*sorted(paths.MONOGRAPHS_DIR.glob("*.yaml")), paths.MEDICINES_FILE]


def fingerprint() -> str:
    """SHA-256 over the content, the core code that validates it, and the library versions."""
    import pydantic

    digest = hashlib.sha256()
    digest.update(f"{sys.version}|{pydantic.VERSION}|{pickle.HIGHEST_PROTOCOL}".encode())
    core = sorted(CORE_DIR.glob("*.py"))
    if not core:
        # The PyInstaller bundle keeps no .py files: a rebuilt or upgraded bundle is a new executable.
        exe = Path(sys.executable).stat()
        digest.update(f"|{__version__}|{exe.st_size}|{exe.st_mtime_ns}".encode())
    for path in [*content_files(), *core]:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _load(path: Path) -> Catalog | None:
    try:
        # Our own file, in the owner-only cache folder (as trusted as Jinja2's bytecode there).
        catalog = pickle.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except Exception:  # damaged or from an incompatible build: validate instead
        return None
    return catalog if isinstance(catalog, Catalog) else None


def _store(folder: Path, path: Path, catalog: Catalog) -> None:
    try:
        write_atomic(path, pickle.dumps(catalog, protocol=pickle.HIGHEST_PROTOCOL))
        for old in folder.glob("catalog-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # read-only or full: the next run validates again
    except (pickle.PicklingError, TypeError, AttributeError):
        pass  # content that cannot be pickled is still fine to use


@lru_cache(maxsize=1)
def cached_catalog() -> Catalog:
    """The shipped catalog: from the cache when nothing changed, else validated (and stored)."""
    folder = cache_dir("content")
    if folder is None:
        return default_catalog()
    path = folder / f"catalog-{fingerprint()[:40]}.pickle"
    catalog = _load(path)
    if catalog is None:
        catalog = default_catalog()
        _store(folder, path, catalog)
    return catalog
