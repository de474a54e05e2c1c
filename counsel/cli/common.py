"""Shared CLI pieces: exit codes, case arguments and the acknowledgement gate."""

from __future__ import annotations

import argparse
import errno
import re
import sys
from pathlib import Path
from typing import NoReturn

from counsel.core.rules import Counselling
from counsel.services.casework import parse_codes

EXIT_OK = 0
EXIT_INVALID = 2
EXIT_UNACKNOWLEDGED = 3
EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug, not the user's input (the fuzz test treats it as a failure)
MAX_ERROR_CHARS = 300  # an error line, whatever was typed or read


def one_line(text: str) -> str:
    """Any message as one short line: line breaks folded, long values cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_ERROR_CHARS else f"{flat[:MAX_ERROR_CHARS - 1]}…"


def os_error_line(exc: OSError) -> str:
    """An operating-system failure as one line naming the file and what to do."""
    # For a rename (atomic writes), filename is the temporary file and filename2 the real target.
    target = exc.filename2 or exc.filename
    name = Path(str(target)).name if target else ""
    advice = {
        errno.ENOSPC: "the disk is full: free some space, or save to another drive",
        errno.EDQUOT: "the disk quota is used up: free some space, or save to another drive",
        errno.EROFS: "that drive is read-only: save to another folder",
        errno.EACCES: "permission denied: choose a folder you can write to",
        errno.EPERM: "permission denied: choose a folder you can write to",
        errno.ENOENT: "not found (does the folder exist?)",
        errno.ELOOP: "too many levels of symbolic links (a link loop?)",
        errno.EISDIR: "is a folder, not a file",
        errno.ENAMETOOLONG: "the file name is too long",
    }.get(exc.errno or 0) or (exc.strerror or type(exc).__name__)
    return one_line(f"{name[:60]}: {advice}" if name else advice)


_LONG_TOKEN_RE = re.compile(r"\S{41,}")


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr (exit 2), not the whole usage text."""

    def error(self, message: str) -> NoReturn:
        message = _LONG_TOKEN_RE.sub(lambda m: f"{m[0][:40]}…", message)
        self.exit(EXIT_INVALID, f"error: {one_line(f'{self.prog}: {message}')} "
                                f"(see {self.prog} --help)\n")


def add_case_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("case", type=Path, help="case file (JSON)")
    p.add_argument("--region", choices=["us", "uk"], help="override the case's region")
    p.add_argument("--acknowledge", metavar="CODES",
                   help="comma-separated warning codes the pharmacist has acknowledged, each "
                        "optionally CODE=OUTCOME saying how it was dealt with (prescriber_aware, "
                        "contacted, will_contact, not_needed); the record keeps it")


def add_sign_in_arguments(parser: argparse.ArgumentParser) -> None:
    """--user/--secret-stdin for commands that read or write real records (signed in by
    counsel.cli.users_commands.sign_in; here so `render` can offer them without loading records)."""
    parser.add_argument("--user", metavar="NAME",
                        help="sign in as this account (needed once the database has accounts)")
    parser.add_argument("--secret-stdin", action="store_true",
                        help="read the PIN/password from the first stdin line instead of asking")


def ack_status(result: Counselling, ack: str | None) -> int:
    """EXIT_OK when every warning is acknowledged; otherwise say which codes and EXIT_UNACKNOWLEDGED."""
    pending = result.unacknowledged(parse_codes(ack))
    if pending:
        codes = ",".join(w.code for w in pending)
        print(f"needs acknowledgement: {codes} (re-run with --acknowledge {codes})",
              file=sys.stderr)
        return EXIT_UNACKNOWLEDGED
    return EXIT_OK
