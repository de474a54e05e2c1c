"""Counsel entry point: with no command, opens the desktop app; otherwise runs a CLI command."""

from __future__ import annotations

import sys


def main() -> int:
    args = sys.argv[1:]
    if not args or args[0] in ("--check",):
        from counsel.gui.app import main as gui_main

        return gui_main(args)
    from counsel.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
