"""Counsel entry point: with no command, opens the desktop app; otherwise runs a CLI command."""

from __future__ import annotations

import os
import sys

NO_DISPLAY = (
    "Counsel needs a desktop display to open its window, and none was found ($DISPLAY is not set).\n"
    "  - on a desktop: run it from the desktop session;\n"
    "  - on a server: xvfb-run -a bash scripts/run-app   (a virtual display);\n"
    "  - health check without a display: .venv/bin/python main.py --check;\n"
    "  - command line: .venv/bin/python main.py --help"
)


def _has_display() -> bool:
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def main() -> int:
    args = sys.argv[1:]
    if not args or args[0] == "--check":
        if not args and not _has_display():
            # Qt would abort with a core dump here; say what to do instead.
            sys.stderr.write(NO_DISPLAY + "\n")
            return 1
        from counsel.gui.app import main as gui_main

        return gui_main(args)
    from counsel.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
