"""Import WeasyPrint without the helper processes its library search starts on Linux.

WeasyPrint (text/ffi.py) opens each native library by trying a list of names, Windows and
macOS names first and the Linux soname ("libpango-1.0.so.0") fourth. For every name that is not
a file, cffi falls back to ``ctypes.util.find_library``, which on Linux runs ``ldconfig -p``
and, where a compiler is installed, ``gcc``/``collect2``/``ld``: dozens of processes and
0.1-0.3 s on every cold start, to end up with the same soname it lists itself.

``import_weasyprint()`` first checks that the required Linux sonames open (a plain dlopen, as
WeasyPrint's own fourth try does). Only then does it import WeasyPrint with
``ctypes.util.find_library`` answering "not found" for the duration of the import, so cffi
moves straight on to those sonames: the same files, loaded the same way, with no processes.
When a soname does not open, or off Linux, or with ``COUNSEL_WEASYPRINT_SHIM=0``, it is a
plain ``import weasyprint``. See docs/weasyprint-startup.md (and the upstream fix).
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

# The Linux names WeasyPrint 6x-70 lists for the libraries it cannot do without.
REQUIRED_SONAMES = (
    "libgobject-2.0.so.0",
    "libpango-1.0.so.0",
    "libharfbuzz.so.0",
    "libfontconfig.so.1",
    "libpangoft2-1.0.so.0",
)
ENV_SWITCH = "COUNSEL_WEASYPRINT_SHIM"
_LOCK = threading.Lock()


def shim_applies() -> bool:
    """True when the import can skip find_library: Linux, not switched off, sonames open."""
    if not sys.platform.startswith("linux") or os.environ.get(ENV_SWITCH) == "0":
        return False
    import ctypes

    try:
        for soname in REQUIRED_SONAMES:
            ctypes.CDLL(soname)  # refcounted: WeasyPrint's own dlopen gets the same library
    except OSError:
        return False
    return True


@contextmanager
def _find_library_says_not_found() -> Iterator[None]:
    """Scoped to one import, under a lock; the original is always put back."""
    import ctypes.util

    original = ctypes.util.find_library

    def not_found(name: str) -> None:
        del name

    ctypes.util.find_library = not_found
    try:
        yield
    finally:
        ctypes.util.find_library = original


def import_weasyprint() -> ModuleType:
    """The weasyprint module, imported (once per process) without helper processes where safe."""
    with _LOCK:
        module = sys.modules.get("weasyprint")
        if module is not None:
            return module
        if shim_applies():
            with _find_library_says_not_found():
                return importlib.import_module("weasyprint")
        return importlib.import_module("weasyprint")
