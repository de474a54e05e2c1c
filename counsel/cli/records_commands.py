"""Records commands: list, show and export counselling records; list unfinished sessions."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from counsel.cli.common import EXIT_INVALID, EXIT_OK, add_sign_in_arguments
from counsel.cli.users_commands import sign_in
from counsel.core.case_input import parse_date
from counsel.records.models import calendar_check_text
from counsel.services.records import RecordQuery, RecordsService

# `records verify` found a row changed, added or removed outside Counsel.
EXIT_TAMPERED = 4


def _date(text: str) -> date:
    try:
        # The case file's date rule: YYYY-MM-DD within 1900..2199 (9999-12-31 overflowed the
        # "up to the end of that day" arithmetic).
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(sub: Any) -> dict[str, Any]:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, metavar="PATH_OR_URL",
                        help="records database: SQLite path or postgresql:// URL (default: "
                             "$COUNSEL_DB or the user data folder)")
    add_sign_in_arguments(common)
    p = sub.add_parser("records", help="counselling records: list, show, export",
                       description="Counselling records kept in the local database.")
    rsub = p.add_subparsers(dest="records_command", required=True, metavar="ACTION")
    q = rsub.add_parser("list", parents=[common], help="finished records, newest first")
    q.add_argument("--json", action="store_true", help="machine-readable output")
    q.add_argument("--patient", default="", help="patient reference (or part of it)")
    q.add_argument("--drug", default="", help="drug name (or part of it)")
    q.add_argument("--pharmacist", default="", help="pharmacist initials")
    q.add_argument("--from", dest="date_from", type=_date, metavar="DATE", help="first day (UTC)")
    q.add_argument("--to", dest="date_to", type=_date, metavar="DATE", help="last day (UTC)")
    q = rsub.add_parser("show", parents=[common], help="one record, its versions and audit trail")
    q.add_argument("id", type=int, help="record id")
    q.add_argument("--json", action="store_true", help="machine-readable output")
    q = rsub.add_parser("export", parents=[common], help="export records as CSV or JSON")
    q.add_argument("--format", choices=["csv", "json"], required=True)
    q.add_argument("--from", dest="date_from", type=_date, metavar="DATE", help="first day (UTC)")
    q.add_argument("--to", dest="date_to", type=_date, metavar="DATE", help="last day (UTC)")
    q.add_argument("-o", "--output", type=Path, metavar="FILE", help="file to write (default: stdout)")
    q.add_argument("--by", default="cli", help="initials to note in the audit log")
    q = rsub.add_parser("sessions", parents=[common], help="unfinished sessions that can be resumed")
    q.add_argument("--json", action="store_true", help="machine-readable output")
    q = rsub.add_parser("verify", parents=[common],
                        help="check the tamper-evidence hash chains (exit 4 at a broken link)")
    q.add_argument("--json", action="store_true", help="machine-readable output")
    return {"records": _records}


def _now() -> datetime:
    # The CLI is the edge of the app: the one place its clock is read.
    return datetime.now(UTC)


def _records(args: argparse.Namespace, today: date) -> int:
    del today
    service = RecordsService.open(args.db, clock=_now)
    try:
        sign_in(service, args)
        handler = {"list": _list, "show": _show, "export": _export, "sessions": _sessions,
                   "verify": _verify}
        return handler[args.records_command](service, args)
    finally:
        service.close()


def _list(service: RecordsService, args: argparse.Namespace) -> int:
    rows = service.find(RecordQuery(patient_ref=args.patient, drug=args.drug,
                                    pharmacist=args.pharmacist, date_from=args.date_from,
                                    date_to=args.date_to))
    if args.json:
        print(json.dumps([{"id": r.id, "version": r.version, "finished_at": r.finished_at.isoformat(),
                           "pharmacist": r.pharmacist, "patient_ref": r.patient_ref, "drug": r.drug,
                           "strength": r.strength, "form": r.form} for r in rows],
                         indent=2, ensure_ascii=False))
        return EXIT_OK
    if not rows:
        print(f"No records in {service.location}")
    for r in rows:
        version = f" (v{r.version})" if r.version > 1 else ""
        print(f"{r.id:>6}{version}  {r.finished_at:%Y-%m-%d %H:%M} UTC  {r.pharmacist:<6} "
              f"{r.patient_ref:<14} {r.drug} {r.strength} {r.form.replace('_', ' ')}")
    return EXIT_OK


def _show(service: RecordsService, args: argparse.Namespace) -> int:
    record = service.get(args.id)
    versions = service.versions(args.id)
    audit = service.audit(args.id)
    if args.json:
        print(json.dumps({"record": record.to_dict(),
                          "versions": [{"id": v.id, "version": v.version} for v in versions],
                          "audit": [{"at": a.at.isoformat(), "actor": a.actor, "action": a.action,
                                     "record_id": a.record_id, "detail": a.detail} for a in audit]},
                         indent=2, ensure_ascii=False))
        return EXIT_OK
    d = record.directions
    print(f"Record {record.id}, version {record.version}"
          + (f" (corrects record {record.supersedes})" if record.supersedes else ""))
    if record.correction:
        c = record.correction
        print(f"  corrected by {c.by} at {c.at:%Y-%m-%d %H:%M} UTC: {c.why}")
    latest = versions[-1]
    if latest.id != record.id:
        print(f"  NOTE: superseded; the latest version is record {latest.id}")
    print(f"Pharmacist {record.pharmacist}; {record.started_at:%Y-%m-%d %H:%M}–"
          f"{record.finished_at:%H:%M} UTC ({record.duration_seconds // 60} min "
          f"{record.duration_seconds % 60} s)")
    print(f"Patient {record.patient_ref}; {record.drug} {record.strength} "
          f"{record.form.replace('_', ' ')} ({record.plan}); {d.dose_text}, "
          f"{d.times_per_day}x a day at {', '.join(d.times)}; content {record.content_version}")
    print(f"  calendar: {calendar_check_text(record.calendar_checked, record.case)}")
    for w in record.warnings:
        how = f"acknowledged: {w.how}" if w.acknowledged else "NOT acknowledged"
        print(f"  warning {w.code}: {how}")
    for p in record.points:
        reason = f" — {p.reason}" if p.reason else ""
        print(f"  [{p.status}] {p.title} ({p.id}){reason}")
    if record.leaflet:
        lf = record.leaflet
        print(f"Leaflet: content {lf.content_version}, {lf.language}, {lf.format} {lf.paper}"
              f"{', large print' if lf.large_print else ''}, sha256 {lf.sha256}")
    if record.follow_up_date:
        print(f"Follow-up: {record.follow_up_date.isoformat()}")
    if record.notes:
        print(f"Notes: {record.notes}")
    print("Audit:")
    for a in audit:
        print(f"  {a.at:%Y-%m-%d %H:%M:%S} {a.actor:<6} {a.action} record {a.record_id} {a.detail}")
    return EXIT_OK


def _export(service: RecordsService, args: argparse.Namespace) -> int:
    if args.date_from and args.date_to and args.date_from > args.date_to:
        print("error: --from: must not be after --to", file=sys.stderr)
        return EXIT_INVALID
    if args.output is not None:
        # Before the export is made (and logged): never write over a database.
        service.check_output(args.output, "-o/--output")
    text = service.export(args.format, by=args.by,
                          query=RecordQuery(date_from=args.date_from, date_to=args.date_to))
    if args.output is None:
        sys.stdout.write(text)
    else:
        service.write_file(args.output, text, option="-o/--output")
        print(f"wrote {args.output}", file=sys.stderr)
    return EXIT_OK


def _sessions(service: RecordsService, args: argparse.Namespace) -> int:
    rows = service.unfinished_sessions()
    if args.json:
        print(json.dumps([{"id": s.id, "pharmacist": s.pharmacist, "patient_ref": s.patient_ref,
                           "drug": s.drug, "started_at": s.started_at.isoformat(),
                           "updated_at": s.updated_at.isoformat()} for s in rows], indent=2))
        return EXIT_OK
    if not rows:
        print("No unfinished sessions.")
    for s in rows:
        print(f"{s.id}  {s.updated_at:%Y-%m-%d %H:%M} UTC  {s.pharmacist:<6} {s.patient_ref} {s.drug}")
    return EXIT_OK


def _verify(service: RecordsService, args: argparse.Namespace) -> int:
    report = service.verify()
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    elif report.ok:
        print(f"records verify: {report.message}")
    if not report.ok:
        print(f"records verify: {report.message}", file=sys.stderr)
        return EXIT_TAMPERED
    return EXIT_OK
