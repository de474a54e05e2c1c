"""Command-line interface (headless). Each command group lives in its own module and registers here.

Only the module of the command being run is imported (when argparse reaches the command name):
`render` never loads the records or training code, which cost ~40 ms of every cold start.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

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
# Command -> (its module in counsel.cli, the one-line help shown by `main.py --help`).
COMMANDS: dict[str, tuple[str, str]] = {
    "checklist": ("core_commands", "the applicable counselling points, by section"),
    "schedule": ("core_commands", "the dated titration or taper calendar"),
    "validate-content": ("core_commands", "check every shipped content file"),
    "render": ("render_commands", "write the patient leaflet as a PDF"),
    "train": ("train_commands", "training mode: scripted scenarios, scoring, progress"),
    "records": ("records_commands", "counselling records: list, show, export"),
    "users": ("users_commands", "accounts: add the first admin, list, access log"),
}


class LazyCommands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Subcommands listed by name; a command's module is imported and registered when used."""

    handlers: dict[str, Handler]

    def load(self, module_name: str) -> None:
        """Import one command module and let it register its commands in place of the stubs."""
        module = importlib.import_module(f"counsel.cli.{module_name}")
        for name, (owner, _) in COMMANDS.items():
            if owner == module_name and name in self._name_parser_map:
                del self._name_parser_map[name]
                self._choices_actions = [a for a in self._choices_actions if a.dest != name]
        self.handlers.update(module.register(self))

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        name = values[0] if values else None
        if name in COMMANDS and name not in self.handlers:
            self.load(COMMANDS[name][0])
        super().__call__(parser, namespace, values, option_string)


def program_name() -> str:
    """The name usage and error lines show: "counsel" (installed), "python -m counsel", or "main.py"."""
    argv0 = sys.argv[0] if sys.argv else ""
    if os.path.basename(argv0).removesuffix(".exe") == "counsel":
        return "counsel"
    if argv0.endswith(os.path.join("counsel", "__main__.py")):
        return "python -m counsel"
    return "main.py"


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Handler]]:
    """The parser, and the handlers dict it fills as a command's module is loaded."""
    parser = OneLineParser(
        prog=program_name(),  # "counsel", "python -m counsel" or "main.py"
        description="Counsel: pharmacist counselling assistant. With no command, opens the app.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                action=LazyCommands)
    handlers: dict[str, Handler] = {}
    sub.handlers = handlers  # type: ignore[attr-defined]
    for name, (_, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text)  # a stub until the command is used
    return parser, handlers


def load_all(parser: argparse.ArgumentParser) -> None:
    """Register every command for real (tests, documentation)."""
    for action in parser._actions:
        if isinstance(action, LazyCommands):
            for module_name in dict.fromkeys(m for m, _ in COMMANDS.values()):
                action.load(module_name)


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
        if os.environ.get("COUNSEL_DEBUG", "") not in ("", "0"):
            raise
        print(f"error: internal error ({type(exc).__name__}) in '{args.command}'; please report it "
              "(COUNSEL_DEBUG=1 shows the details)",
              file=sys.stderr)
        return EXIT_INTERNAL


def main(argv: Sequence[str] | None = None) -> int:
    # The clock is read here, at the edge, and passed into the core.
    return run(sys.argv[1:] if argv is None else argv, today=date.today())
