"""The `render` command: a case file -> the personalised patient leaflet (PDF, optional HTML)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from counsel.cli.common import EXIT_OK, EXIT_UNACKNOWLEDGED, ack_status, add_case_arguments
from counsel.services.casework import counsel_file
from counsel.services.leaflet import (
    PAPERS,
    LeafletError,
    LeafletOptions,
    check_output_paths,
    write_leaflet,
)


def register(sub: Any) -> dict[str, Any]:
    p = sub.add_parser("render", help="write the patient leaflet as a PDF")
    add_case_arguments(p)
    # -o and --paper are checked here, not by argparse, so a mistake prints one line.
    p.add_argument("-o", "--output", type=Path, help="the PDF file to write (required)")
    p.add_argument("--html", type=Path, metavar="OUT.html", help="also write the HTML")
    p.add_argument("--large-print", action="store_true", help="16 pt large print")
    p.add_argument("--paper", default="a4", metavar="a4|letter", help="paper size (default a4)")
    p.add_argument("--training", action="store_true",
                   help='mark every page "TRAINING — not for patient use"')
    return {"render": _render}


def _render(args: argparse.Namespace, today: date) -> int:
    if args.output is None:
        raise LeafletError("-o/--output: missing (the PDF file to write)")
    paper = str(args.paper).lower()
    if paper not in PAPERS:
        raise LeafletError(f"--paper: '{args.paper}' is not one of {', '.join(PAPERS)}")
    if args.output.resolve() == args.case.resolve():
        raise LeafletError("-o/--output: must not be the case file")
    check_output_paths(args.output, args.html, names=("-o/--output", "--html"))
    result = counsel_file(args.case, today=today, region=args.region)
    status = ack_status(result, args.acknowledge)
    if status == EXIT_UNACKNOWLEDGED:
        print("no leaflet written", file=sys.stderr)
        return status
    options = LeafletOptions(large_print=True if args.large_print else None,
                             paper=paper,  # checked against PAPERS above
                             training=args.training)
    pdf = write_leaflet(result, options, args.output, today=today, html_out=args.html)
    print(f"wrote {args.output} ({len(pdf) // 1024} KB)")
    return EXIT_OK
