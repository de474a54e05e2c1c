"""Core commands: checklist, schedule, validate-content."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from counsel.cli.common import EXIT_OK, ack_status, add_case_arguments
from counsel.core.content import load_catalog
from counsel.core.errors import ContentError
from counsel.core.rules import Counselling, checklist_json, schedule_json
from counsel.services.casework import counsel_file


def register(sub: Any) -> dict[str, Any]:
    p = sub.add_parser("checklist", help="the applicable counselling points, by section")
    add_case_arguments(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p = sub.add_parser("schedule", help="the dated titration or taper calendar")
    add_case_arguments(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p = sub.add_parser("validate-content", help="check every shipped content file")
    p.add_argument("--resources", type=Path, metavar="DIR",
                   help="check a copy of the content instead: a folder holding monographs/, "
                        "medicines.yaml and scenarios/ (e.g. while editing content)")
    return {"checklist": _checklist, "schedule": _schedule, "validate-content": _validate}


def _checklist(args: argparse.Namespace, today: date) -> int:
    result = counsel_file(args.case, today=today, region=args.region)
    if args.json:
        print(json.dumps(checklist_json(result), indent=2, ensure_ascii=False))
    else:
        _print_checklist(result)
    return ack_status(result, args.acknowledge)


def _schedule(args: argparse.Namespace, today: date) -> int:
    result = counsel_file(args.case, today=today, region=args.region)
    if args.json:
        print(json.dumps(schedule_json(result), indent=2, ensure_ascii=False))
    else:
        _print_schedule(result)
    return ack_status(result, args.acknowledge)


def _print_checklist(result: Counselling) -> None:
    rx = result.case.prescription
    print(f"{result.monograph.name} {rx.strength} {rx.form.replace('_', ' ')} — "
          f"{result.region.label}, content {result.monograph.content_version}")
    for section in result.sections:
        print(f"\n{section.section.title}")
        for p in section.points:
            mark = "[critical] " if p.point.critical else ""
            print(f"  - {mark}{p.point.title} ({p.id})")
            print(f"      say: {p.prompt}")
            print(f"      why here: {p.reason_text}")
    _print_warnings(result)


def _print_warnings(result: Counselling) -> None:
    if result.unrecognised:
        print(f"\nNot recognised — check manually: {', '.join(result.unrecognised)}")
    # The same split as the GUI: information never needs acknowledging (core rules), so it is not
    # listed among the warnings that `render --acknowledge` asks for.
    for heading, found in (("Warnings (acknowledge each before printing)", result.to_acknowledge),
                           ("For your information (nothing to acknowledge)", result.information)):
        if found:
            print(f"\n{heading}:")
            for w in found:
                print(f"  {w.code}: {w.message}")


def _print_schedule(result: Counselling) -> None:
    if not result.schedule:
        print("No calendar: pump doses are set by the pump clinic.")
    for s in result.schedule:
        end = s.end.isoformat() if s.end else "onwards"
        print(f"{s.start.isoformat()} to {end}: {s.dose_mg:g} mg x {s.times_per_day} "
              f"= {s.daily_total_mg:g} mg a day")
    _print_warnings(result)


def _validate(args: argparse.Namespace, today: date) -> int:
    del today
    from counsel.training.scenarios import load_scenarios

    root = args.resources
    if root is None:
        catalog = load_catalog()
        n_scenarios = len(load_scenarios(catalog))
    else:
        if not root.is_dir():
            raise ContentError(str(root)[:80], "", "--resources: not a folder")
        catalog = load_catalog(root / "monographs", root / "medicines.yaml")
        n_scenarios = len(load_scenarios(catalog, root / "scenarios"))
    for mono in catalog.monographs.values():
        print(f"ok: {mono.drug} {mono.content_version} ({len(mono.points)} points, "
              f"{len(mono.sections)} sections)")
    print(f"ok: medicines ({len(catalog.medicines.names())} names in "
          f"{len(catalog.medicines.classes)} classes)")
    print(f"ok: {n_scenarios} training scenarios")
    return EXIT_OK
