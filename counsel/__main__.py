"""Counsel's entry point: `counsel`, `python -m counsel` and `main.py` all run `main()`.

With no command it opens the desktop app; `--check` runs the health check; `--version` prints the
app and content versions; anything else is a command-line command (`counsel --help`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from counsel import __version__

NO_DISPLAY = (
    "Counsel needs a desktop display to open its window, and none was found ($DISPLAY is not set).\n"
    "  - on a desktop: run it from the desktop session;\n"
    "  - on a server: xvfb-run -a {prog}   (a virtual display);\n"
    "  - health check without a display: {prog} --check;\n"
    "  - command line: {prog} --help"
)


def _has_display() -> bool:
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def _command() -> str:
    """How to run us again, for the no-display advice."""
    from counsel.cli import program_name

    prog = program_name()
    return f"python {prog}" if prog.endswith(".py") else prog


def version_lines() -> list[str]:
    """The app version, then one line per monograph with its content version and review dates."""
    from counsel.core.content import default_catalog

    lines = [f"Counsel {__version__}"]
    for drug, mono in sorted(default_catalog().monographs.items()):
        lines.append(f"content: {drug} {mono.content_version} "
                     f"(reviewed {mono.reviewed}, review due {mono.review_due})")
    return lines


def _print_version() -> int:
    from counsel.core.errors import CounselError

    try:
        lines = version_lines()
    except CounselError as exc:
        sys.stdout.write(f"Counsel {__version__}\n")
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--render-server"]:  # the app's own leaflet helper (services/render_process.py)
        from counsel.services.render_process import serve

        return serve()
    if args[:1] == ["--version"]:
        return _print_version()
    if not args or args[0] == "--check":
        if not args and not _has_display():
            # Qt would abort with a core dump here; say what to do instead.
            sys.stderr.write(NO_DISPLAY.format(prog=_command()) + "\n")
            return 1
        # --check tests the content itself, right after its window has painted (as the app would
        # load it): checking it here first would put the core's start-up cost before the window.
        # The leaflet helper first: it warms WeasyPrint up on the other core while the window builds.
        from counsel.services.render_process import shared

        shared()
        from counsel.gui.app import main as gui_main

        return gui_main(args)
    from counsel.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
