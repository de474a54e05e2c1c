"""Counsel from a source checkout: `python main.py` is the same as the installed `counsel` command.

With no command it opens the desktop app; otherwise it runs a CLI command (see counsel/__main__.py).
"""

from __future__ import annotations

import sys

from counsel.__main__ import main

if __name__ == "__main__":
    code = main()
    from counsel.cli import fast_exit

    if fast_exit.applies(sys.argv[1:]):
        fast_exit.finish(code)  # a written leaflet: skip only the interpreter's teardown
    sys.exit(code)
