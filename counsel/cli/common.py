"""Shared CLI pieces: exit codes, case arguments and the acknowledgement gate."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from counsel.core.rules import Counselling
from counsel.services.casework import parse_codes

EXIT_OK = 0
EXIT_INVALID = 2
EXIT_UNACKNOWLEDGED = 3


def add_case_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("case", type=Path, help="case file (JSON)")
    p.add_argument("--region", choices=["us", "uk"], help="override the case's region")
    p.add_argument("--acknowledge", metavar="CODES",
                   help="comma-separated warning codes the pharmacist has acknowledged")


def ack_status(result: Counselling, ack: str | None) -> int:
    """EXIT_OK when every warning is acknowledged; otherwise say which codes and EXIT_UNACKNOWLEDGED."""
    pending = result.unacknowledged(parse_codes(ack))
    if pending:
        codes = ",".join(w.code for w in pending)
        print(f"needs acknowledgement: {codes} (re-run with --acknowledge {codes})",
              file=sys.stderr)
        return EXIT_UNACKNOWLEDGED
    return EXIT_OK
