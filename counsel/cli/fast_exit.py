"""Leave a finished `main.py render` without tearing the interpreter down object by object.

After a leaflet is written, Python's normal exit spends ~0.2 s of CPU freeing WeasyPrint's,
pydantic's and the fonts' objects one by one: about as long as laying out a page, for nothing
the user can see. Once everything is done, `finish()` does what matters at exit, in order:

1. flush stdout and stderr;
2. delete WeasyPrint's temporary font folder (its __del__ would otherwise never run);
3. run the registered atexit handlers (logging.shutdown among them);
4. os._exit(code), skipping only the freeing of memory the OS reclaims anyway.

Only for `render` without --record: its outputs are written and fsynced by write_atomic and
closed before this runs, and it holds no database connection. COUNSEL_FAST_EXIT=0 turns it off.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

ENV_SWITCH = "COUNSEL_FAST_EXIT"


def applies(argv: Sequence[str]) -> bool:
    """True for `render` without --record (and not switched off)."""
    return (os.environ.get(ENV_SWITCH) != "0" and bool(argv) and argv[0] == "render"
            and "--record" not in argv)


def finish(code: int) -> NoReturn:
    """Flush, clean up, run atexit handlers, then leave at once with `code`."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
            stream.flush()
    if "counsel.leaflet.pdf" in sys.modules:
        from counsel.leaflet.pdf import release_fonts

        release_fonts()
    atexit._run_exitfuncs()
    os._exit(code)
