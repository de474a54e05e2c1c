"""Command-line interface (headless). Each command group lives in its own module and registers here."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date

from counsel.cli import core_commands
from counsel.cli.common import (
    EXIT_INTERNAL,
    EXIT_INVALID,
    EXIT_OK,
    OneLineParser,
    one_line,
    os_error_line,
)
from counsel.core.errors import CounselError

# Each module provides register(subparsers) -> {command name: handler(args, today) -> exit code}.
Handler = Callable[[argparse.Namespace, date], int]
COMMAND_MODULES = [core_commands]


def _optional_modules() -> list[object]:
    mods: list[object] = []
    for name in ("render_commands", "train_commands", "records_commands"):
        try:
            mods.append(__import__(f"counsel.cli.{name}", fromlist=["register"]))
        except ModuleNotFoundError as exc:
            if exc.name != f"counsel.cli.{name}":
                raise
    return mods


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Handler]]:
    parser = OneLineParser(
        prog="main.py",
        description="Counsel: pharmacist counselling assistant. With no command, opens the app.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    handlers: dict[str, Handler] = {}
    for module in [*COMMAND_MODULES, *_optional_modules()]:
        handlers.update(module.register(sub))  # type: ignore[attr-defined]
    return parser, handlers


def run(argv: Sequence[str], *, today: date) -> int:
    """Run one command; returns the exit code. Errors a user can fix print one line."""
    parser, handlers = build_parser()
    args = parser.parse_args(argv)
    try:
        return handlers[args.command](args, today)
    except CounselError as exc:
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:
        # Output piped into `head` or a closed pager: stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        # Disk full, read-only folder, permissions: the user can act on it.
        print(f"error: {os_error_line(exc)}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("stopped (Ctrl+C)", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: a bug, shown in one line
        if os.environ.get("COUNSEL_DEBUG"):
            raise
        print(f"error: internal error ({type(exc).__name__}) in '{args.command}'; please report it "
              "(COUNSEL_DEBUG=1 shows the details)",
              file=sys.stderr)
        return EXIT_INTERNAL


def main(argv: Sequence[str] | None = None) -> int:
    # The clock is read here, at the edge, and passed into the core.
    return run(sys.argv[1:] if argv is None else argv, today=date.today())
