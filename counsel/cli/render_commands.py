"""The `render` command: a case file -> the personalised patient leaflet (PDF, optional HTML)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counsel.cli.common import (
    EXIT_OK,
    EXIT_UNACKNOWLEDGED,
    ack_status,
    add_case_arguments,
    add_sign_in_arguments,
    one_line,
)
from counsel.services.casework import counsel_file, parse_codes
from counsel.services.leaflet import (
    PAPERS,
    LeafletError,
    LeafletOptions,
    check_output_paths,
    write_leaflet,
)
from counsel.services.outputs import check_output_path
from counsel.services.release import parse_acknowledgements, release_check

if TYPE_CHECKING:  # annotations only: render loads the records layer only with --record
    from counsel.records.accounts import Account


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
    p.add_argument("--calendar-checked", action="store_true",
                   help="the dose calendar (see `schedule`) was checked against the prescription; "
                        "needed where the dose changes over time")
    p.add_argument("--record", action="store_true",
                   help="store a finished counselling record for this leaflet")
    p.add_argument("--db", type=Path, metavar="PATH",
                   help="records database for --record (default: $COUNSEL_DB or the user data folder)")
    # With --record once the database has accounts: who is signed in (the PIN is asked for, or
    # read from stdin with --secret-stdin; never an argument), as for the records commands.
    add_sign_in_arguments(p)
    return {"render": _render}


def _render(args: argparse.Namespace, today: date) -> int:
    if args.output is None:
        raise LeafletError("-o/--output: missing (the PDF file to write)")
    paper = str(args.paper).lower()
    if paper not in PAPERS:
        raise LeafletError(f"--paper: '{args.paper}' is not one of {', '.join(PAPERS)}")
    # Never over the case file being read or a database (or a link to either): one line, exit 2.
    for path, option in ((args.output, "-o/--output"), (args.html, "--html")):
        if path is not None:
            check_output_path(path, option, databases=[args.db], inputs=[args.case])
    check_output_paths(args.output, args.html, names=("-o/--output", "--html"))
    if args.record and args.training:
        raise LeafletError("--record: training leaflets are never stored in the counselling records")
    if args.user and not args.record:
        raise LeafletError("--user: only used with --record (the record is kept under that person)")
    outcomes = parse_acknowledgements(args.acknowledge)  # a wrong outcome: one line, exit 2
    result = counsel_file(args.case, today=today, region=args.region)
    actor: Account | None = None
    if args.record:
        # Before any PDF is written: a leaflet must not be handed over that cannot be recorded
        # (wrong PIN; no one signed in though the database has accounts; database unusable,
        # read-only or full; no patient reference). Imported here: the records layer (sqlite3)
        # is only needed when recording.
        from counsel.cli.users_commands import signed_in
        from counsel.services.records import check_can_record

        actor = signed_in(args.db, args)  # a wrong PIN: one line (logged), exit 2
        if actor is None and not result.case.pharmacist.strip():
            raise LeafletError('--record: the case has no "pharmacist" (initials) to record')
        check_can_record(result, now=datetime.now(UTC), db_path=args.db, actor=actor)
    # The print gate the GUI uses too (counsel.services.release): warnings, then the calendar.
    # A training leaflet never reaches a patient, so only its warnings are asked for.
    gate = release_check(result, acknowledged=parse_codes(args.acknowledge),
                         calendar_checked=bool(args.calendar_checked or args.training))
    if not gate.released:
        if gate.warning_codes:
            ack_status(result, args.acknowledge)  # the usual "needs acknowledgement: …" line
        if gate.calendar_unchecked:
            print("needs the dose calendar checked: run `schedule` on the case, check it against "
                  "the prescription, then re-run with --calendar-checked", file=sys.stderr)
        print("no leaflet written", file=sys.stderr)
        return EXIT_UNACKNOWLEDGED
    options = LeafletOptions(large_print=True if args.large_print else None,
                             paper=paper,  # checked against PAPERS above
                             training=args.training)
    pdf = write_leaflet(result, options, args.output, today=today, html_out=args.html)
    print(f"wrote {args.output} ({len(pdf) // 1024} KB)")
    # Information (e.g. START_DATE_PAST) never blocks: one line each, once the leaflet is written,
    # so a failed run still prints only its one error line.
    for note in result.information:
        print(one_line(f"note: {note.code}: {note.message}"), file=sys.stderr)
    if args.record:
        # Imported here: the records layer (sqlite3) is only needed when recording.
        from counsel.services.records import record_headless_render

        record_id = record_headless_render(
            result, pdf, options, now=datetime.now(UTC), db_path=args.db,
            acknowledged=parse_codes(args.acknowledge), today=today, outcomes=outcomes,
            actor=actor,
        )
        print(f"recorded as record {record_id}")
    return EXIT_OK
