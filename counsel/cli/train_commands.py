"""Training commands: list scenarios, score an attempt from an answers file, show progress."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from counsel.cli.common import EXIT_OK
from counsel.core.case_input import read_json
from counsel.core.errors import CounselError
from counsel.services.outputs import check_output_path
from counsel.services.training import DB_ENV, TrainingService
from counsel.training.scenarios import ACTIONS
from counsel.training.scoring import Result, action_title, result_json
from counsel.training.storage import Progress


class AnswersFileError(CounselError):
    pass


def register(sub: Any) -> dict[str, Any]:
    p = sub.add_parser("train", help="training mode: scripted scenarios, scoring, progress")
    tsub = p.add_subparsers(dest="train_command", required=True, metavar="ACTION")
    lp = tsub.add_parser("list", help="the training scenarios")
    lp.add_argument("--json", action="store_true", help="machine-readable output")
    sp = tsub.add_parser("score", help="score an attempt from an answers file")
    sp.add_argument("scenario", help="scenario id (see 'train list')")
    sp.add_argument("answers", type=Path,
                    help='JSON: {"asked": [...], "discussed": [...], "understood": [...], '
                         '"referral": "none|contact_prescriber|urgent", "self_rating": 80}')
    sp.add_argument("--referral", choices=ACTIONS,
                    help="the action taken (overrides the answers file's referral)")
    sp.add_argument("--json", action="store_true", help="machine-readable output")
    sp.add_argument("--trainee", help="also save the attempt under this trainee's name")
    _add_db(sp)
    pp = tsub.add_parser("progress", help="attempts, topic scores and most missed points")
    pp.add_argument("--trainee", help="only this trainee")
    pp.add_argument("--csv", type=Path, metavar="OUT", help="write a supervisor sign-off summary CSV")
    pp.add_argument("--json", action="store_true", help="machine-readable output")
    _add_db(pp)
    return {"train": _train}


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=Path, help=f"training database (default: ${DB_ENV} or the user data folder)")


def _service(args: argparse.Namespace) -> TrainingService:
    db = getattr(args, "db", None)
    return TrainingService(db_path=db) if db else TrainingService()


def _train(args: argparse.Namespace, today: date) -> int:
    del today
    service = _service(args)
    try:
        if args.train_command == "list":
            return _list(service, args)
        if args.train_command == "score":
            return _score(service, args)
        return _progress(service, args)
    finally:
        service.close()


def _list(service: TrainingService, args: argparse.Namespace) -> int:
    scenarios = service.scenarios()
    if args.json:
        rows = [{"id": s.id, "title": s.spec.title, "station_title": s.spec.station_title,
                 "expected_action": s.spec.rubric.action.expected, "difficulty": s.spec.difficulty,
                 "topics": list(s.spec.topics), "time_minutes": s.spec.rubric.time_minutes,
                 "pass_mark": s.spec.rubric.pass_mark, "region": s.case.region}
                for s in scenarios]
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    for s in scenarios:
        print(f"{s.id:<28} {'*' * s.spec.difficulty:<3} {s.case.region}  {s.spec.title}"
              f"  [{', '.join(s.spec.topics)}]")
    return EXIT_OK


def _read_json(path: Path) -> object:
    try:
        # The case file's guards: size, folders/FIFOs, link loops, nesting, huge numbers.
        return read_json(path, what="an answers file")
    except ValueError as exc:
        raise AnswersFileError(f"{path.name}: {exc}") from None


def _score(service: TrainingService, args: argparse.Namespace) -> int:
    scenario = service.scenario(args.scenario)
    answers = service.parse_answers(scenario.id, _read_json(args.answers), source=args.answers.name)
    if args.referral is not None:
        answers = replace(answers, referral=args.referral)
    result = service.score(scenario.id, answers)
    attempt_id = None
    if args.trainee is not None:
        # The clock is read here, at the edge.
        attempt_id = service.save(args.trainee, result, finished_at=datetime.now(UTC), duration_s=None)
    if args.json:
        out = result_json(result)
        if attempt_id is not None:
            out["attempt_id"] = attempt_id
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        _print_result(result, scenario.spec.title)
        if attempt_id is not None:
            print(f"\nSaved as training attempt {attempt_id} for {args.trainee.strip()}.")
    return EXIT_OK


def _print_result(result: Result, title: str) -> None:
    verdict = "PASSED" if result.passed else "NOT PASSED"
    print(f"{title}: {result.score}% (pass mark {result.pass_mark}%) — {verdict}")
    if result.critical_missed:
        print(f"Critical items missed (station failed): {', '.join(result.critical_missed)}")
    action = result.action
    print(f"Action: expected {action_title(action.expected)!r}, given {action_title(action.given)!r}"
          f" — {'right' if action.ok else 'WRONG'}")
    if not action.ok:
        print(f"          why: {action.reason}")
    for bad in result.unsafe_given:
        print(f"Unsafe advice given: {bad.title} ({bad.id}, -{bad.penalty}): {bad.reason}")
    if result.gap is not None:
        print(f"Your self-rating {result.self_rating}% vs score {result.score}%: gap {result.gap:+d}")
    for item in result.items:
        mark = "covered" if item.covered else "MISSED "
        crit = " [critical]" if item.critical else ""
        if item.kind == "referral":
            continue  # reported above
        print(f"  {mark} {item.title} ({item.kind} {item.id}, weight {item.weight}){crit}")
        if not item.covered:
            label = "the patient would have said" if item.kind == "question" else "why it matters"
            print(f"          {label}: {item.why}")
            if item.hint:
                print(f"          {item.hint}")
            if item.sources:
                print(f"          sources: {', '.join(s.id for s in item.sources)}")


def _progress(service: TrainingService, args: argparse.Namespace) -> int:
    if args.csv:
        # Never write the sign-off sheet over the training or records database (or a link to one).
        check_output_path(args.csv, "--csv", databases=[service.db_path])
    prog = service.export_csv(args.csv, args.trainee) if args.csv else service.progress(args.trainee)
    if args.json:
        print(json.dumps(_progress_json(prog), indent=2, ensure_ascii=False))
    else:
        _print_progress(prog)
    if args.csv:
        print(f"wrote {args.csv}")
    return EXIT_OK


def _progress_json(prog: Progress) -> dict[str, Any]:
    return {
        "trainee": prog.trainee,
        "attempts": [{"id": a.id, "trainee": a.trainee, "scenario": a.scenario_id,
                      "finished_at": a.finished_at, "score": a.score, "passed": a.passed,
                      "self_rating": a.self_rating, "critical_missed": list(a.critical_missed),
                      "mode": a.mode, "action": {"expected": a.action_expected, "given": a.action_given},
                      "unsafe_given": list(a.unsafe_given), "duration_s": a.duration_s,
                      "time_guide_s": a.time_guide_s, "examiner_rating": a.examiner_rating,
                      "examiner_comment": a.examiner_comment}
                     for a in prog.attempts],
        "topics": prog.topics,
        "most_missed": [{"id": m.id, "title": m.title, "missed": m.missed, "seen": m.seen}
                        for m in prog.most_missed],
    }


def _print_progress(prog: Progress) -> None:
    if not prog.attempts:
        print("No training attempts yet.")
        return
    for a in prog.attempts:
        print(f"{a.finished_at}  {a.trainee:<16} {a.scenario_id:<28} {a.score:>3}%  "
              f"{'pass' if a.passed else 'fail'}")
    print("\nBy topic:")
    for topic, pct in prog.topics.items():
        print(f"  {topic:<22} {pct:>3}%")
    if prog.most_missed:
        print("\nMost often missed:")
        for m in prog.most_missed:
            print(f"  {m.title} ({m.id}): missed {m.missed} of {m.seen}")
