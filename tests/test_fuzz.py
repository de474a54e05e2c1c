"""Seeded fuzz test: mutated example case files through `checklist`, `schedule` and `render`, in-process.

Each mutated case goes through the real CLI entry point (counsel.cli.main with an argv). For every
run: the exit code is 0, 2 or 3; exit 2 is exactly one short line on stderr; no traceback; no
hang (a per-run time limit); and a render that does not succeed leaves no file behind (not even a
temporary one). A render that succeeds leaves a whole PDF.

The mutator knows the case format from its JSON Schema (schemas/case.schema.json, generated from
the model), so most mutations are *plausible* (valid enum values, numbers at and just beyond
their bounds, strings at their length limit, lists at their item limit) and reach deep into the
rules engine, the dose calculations and the leaflet; the rest are hostile (wrong types, control
characters, lone surrogates, missing or unknown fields, another example's subtree, damaged JSON).

The date is part of the seed: each case runs on a "today" drawn from TODAYS (an ordinary day, a
leap day, the last day of a year, a day near the schema's date limit), never on the machine's
date, so a failure reproduces on any day from the seed and the case index alone.

Counts (COUNSEL_FUZZ_CASES overrides the first for a longer run, COUNSEL_FUZZ_SEED the seed):
  - FUZZ_CASES mutated cases, each through `checklist` and `schedule`;
  - the same cases through `render` when they stop before WeasyPrint (exit 2 or 3);
  - PDF_CASES of them rendered for real (warnings acknowledged, calendar checked) to a PDF + HTML.
WeasyPrint takes ~0.5 s a leaflet, hence far fewer real renders.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import json
import os
import random
import re
import signal
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from types import FrameType
from typing import Any

import pytest

from counsel import cli, paths
from counsel.core.case import case_json_schema

FUZZ_CASES = int(os.environ.get("COUNSEL_FUZZ_CASES", "1000"))
PDF_CASES = int(os.environ.get("COUNSEL_FUZZ_PDF_CASES", "12"))
SEED = int(os.environ.get("COUNSEL_FUZZ_SEED", "20261201"))
TODAYS = [date(2026, 12, 1), date(2028, 2, 29), date(2026, 12, 31), date(2199, 12, 30)]
RUN_LIMIT_S = 10.0  # one checklist/schedule run takes ~5 ms; 10 s means a hang
PDF_LIMIT_S = 90.0  # one real leaflet takes ~0.5 s on an idle machine
MAX_ERROR_LINE = 400
EXAMPLES = sorted(paths.EXAMPLES_DIR.glob("*.json"))

HOSTILE: list[Any] = [
    True, False, None, 0, -1, 1, 2.5, -0.0, 1e308, 1e-300, 10**30, -(10**30), 10**400,
    "", " ", "0", "1", "true", "null", "NaN", "x" * 201, "x" * 5000, "\x00", "a\nb", "\t",
    "\u202eevil", "\ud800", "名字", "🙂" * 20, "Zoë", "<script>alert(1)</script>", "{", "}",
    "{drug}", "{{7*7}}", "../../etc/passwd", "08:00", "24:00", "8:00", "9999-12-31",
    "0001-01-01", "2026-02-30", "2026-11-23", "20261123", "5 mg/5 mL", "10 mg", "0 mg", "mg",
    [], [None], [[[[[]]]]], ["08:00"] * 7, ["x"] * 60, {}, {"a": 1}, {"step_mg": 5},
]


# --- the mutator -------------------------------------------------------------------------------


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    return root["$defs"][ref.rsplit("/", 1)[1]] if isinstance(ref, str) else node


def _schema_paths(schema: dict[str, Any]) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """Every property path in the case format with its (non-null) sub-schema."""
    found: list[tuple[tuple[str, ...], dict[str, Any]]] = []

    def walk(node: dict[str, Any], path: tuple[str, ...]) -> None:
        node = _resolve(node, schema)
        for name, sub in node.get("properties", {}).items():
            options = [_resolve(o, schema) for o in sub.get("anyOf", [sub])]
            options = [o for o in options if o.get("type") != "null"] or options
            for option in options:
                found.append(((*path, name), option))
                if "properties" in option:
                    walk(option, (*path, name))

    walk(schema, ())
    return found


STRINGS: dict[str, list[str]] = {
    "strength": ["5 mg", "10 mg", "20 mg", "25 mg", "5 mg/5 mL", "10 mg/5 mL", "25 mg/5 mL",
                 "5 mg/mL", "2000 mcg/mL", "500 mcg/mL", "10 mg/20 mL", "0.05 mg"],
    "drug": ["baclofen", "Baclofen", "BACLOFEN", "lioresal", "tizanidine"],
    "language": ["en", "es", "fr-CA", "zh-Hans", "hi"],
    "name": ["Ann Lee", "Zoë O'Brien-Łukasz", "名字", "अनिल कुमार", "<b>Bold</b> {{7*7}}", "x" * 200],
}


def _value_for(sub: dict[str, Any], rng: random.Random, name: str = "") -> Any:
    """A value that is plausible for the sub-schema: mostly valid, sometimes just out of bounds."""
    wild = rng.random() < 0.2  # a boundary just crossed, an over-long string or list
    if "enum" in sub:
        return rng.choice(sub["enum"])
    kind = sub.get("type")
    if kind in ("integer", "number"):
        lo = sub.get("minimum", sub.get("exclusiveMinimum", 0))
        hi = sub.get("maximum", sub.get("exclusiveMaximum", lo + 100))
        if wild:
            return rng.choice([lo - 1, hi + 1, lo - 0.5, hi * 10])
        picks: list[Any] = [lo, hi, rng.randint(int(lo), int(hi)), rng.randint(int(lo), int(hi))]
        if kind == "number":
            picks += [rng.uniform(lo, hi), round(rng.uniform(lo, min(hi, 40)) * 4) / 4, 0.25, 1.25,
                      2.5, 5, 7.5, 10, 12.5, 20]
            picks = [p for p in picks if lo <= p <= hi] or [hi]
        return rng.choice(picks)
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "string":
        if sub.get("format") == "date":
            return rng.choice(["2026-11-23", "2026-02-28", "2024-02-29", "1900-01-01", "2026-12-31",
                               "2199-12-31",
                               *(["2200-01-01", "26-11-23", "9999-12-31", "0001-01-01"] if wild
                                 else [])])
        limit = sub.get("maxLength", 40)
        if wild:
            return "x" * (limit + 1)
        return rng.choice(STRINGS.get(name, ["Ann", "x" * limit, "O'Brien-Łukasz", "Dr Patel"]))
    if kind == "array":
        item = sub.get("items", {})
        limit = sub.get("maxItems", 4)
        n = limit + 1 if wild else rng.choice([0, 1, 2, 3, limit])
        if item.get("maxLength") == 5:  # clock times
            return sorted({f"{rng.randint(0, 23):02d}:{rng.choice(['00', '30'])}"
                           for _ in range(max(n, 1))})
        if "enum" in item:
            return [rng.choice(item["enum"]) for _ in range(n)]
        return [rng.choice(["ibuprofen", "oxycodone", "sertraline", "Advil PM", "co-codamol",
                            "gabapentin", "diclofenac gel", "Ginkgo", "zopiclone", "tizanidine",
                            "baclofen", "intrathecal baclofen pump", "alcohol"]) for _ in range(n)]
    if "properties" in sub:
        return {k: _value_for(v, rng, k) for k, v in sub["properties"].items() if rng.random() < 0.8}
    return copy.deepcopy(rng.choice(HOSTILE))


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield (*path, k)
            yield from _leaves(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield (*path, i)
            yield from _leaves(v, (*path, i))


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    node = data
    for part in path[:-1]:
        if isinstance(node, dict):
            if not isinstance(node.get(part), dict | list):
                node[part] = {}
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return
    if isinstance(node, dict) or (isinstance(node, list) and isinstance(path[-1], int)
                                  and path[-1] < len(node)):
        node[path[-1]] = value


def _delete(data: Any, path: tuple[Any, ...]) -> None:
    node = data
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]


@dataclass
class Mutant:
    """One fuzzed case: its text and the mutations that made it (to reproduce a failure)."""

    index: int
    text: str
    today: date
    steps: list[str] = field(default_factory=list)

    @property
    def data(self) -> bytes:
        # A raw lone surrogate becomes bytes that are not UTF-8: the file is then damaged text.
        return self.text.encode("utf-8", "surrogatepass")


def make_mutant(index: int, examples: list[dict[str, Any]],
                schema_paths: list[tuple[tuple[str, ...], dict[str, Any]]]) -> Mutant:
    rng = random.Random(SEED * 100_003 + index)
    today = rng.choice(TODAYS)
    source = rng.randrange(len(examples))
    data = copy.deepcopy(examples[source])
    steps = [f"example {EXAMPLES[source].name}"]
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4])):
        op = rng.random()
        if op < 0.60:
            path, sub = rng.choice(schema_paths)
            value = _value_for(sub, rng, path[-1])
            _set(data, path, value)
            steps.append(f"set {'.'.join(path)} = {json.dumps(value)[:60]}")
        elif op < 0.72:
            leaves = list(_leaves(data))
            if leaves:
                path = rng.choice(leaves)
                _delete(data, path)
                steps.append(f"delete {'.'.join(map(str, path))}")
        elif op < 0.85:
            leaves = list(_leaves(data))
            if leaves:
                path = rng.choice(leaves)
                value = copy.deepcopy(rng.choice(HOSTILE))  # never share the pool's lists
                _set(data, path, value)
                steps.append(f"hostile {'.'.join(map(str, path))} = {json.dumps(value)[:60]}")
        elif op < 0.98:
            other = examples[rng.randrange(len(examples))]
            part = rng.choice(["patient", "prescription", "pharmacy", "region"])
            if part in other:
                data[part] = copy.deepcopy(other[part])
                steps.append(f"swap {part} from another example")
        else:
            _set(data, (rng.choice(["patient", "prescription", "extra"]), "fuzz_field"), 1)
            steps.append("unknown field")
    # Sometimes \u-escaped (a lone surrogate then reaches the case model), sometimes raw.
    text = json.dumps(data, ensure_ascii=rng.random() < 0.3)
    roll = rng.random()
    if roll < 0.04:  # damaged files: cut short, or a byte changed
        cut = rng.randrange(len(text))
        text = text[:cut] if rng.random() < 0.5 else text[:cut] + rng.choice("{[\",:}") + text[cut:]
        steps.append(f"damaged text at {cut}")
    elif roll < 0.07:  # what json.dumps cannot write: huge integers and deep nesting
        numbers = [m.start() for m in re.finditer(r"(?<=: )\d+", text)]
        if numbers and rng.random() < 0.5:
            at = rng.choice(numbers)
            text = text[:at] + "9" * rng.choice([400, 4400, 20_000]) + text[at:]
            steps.append(f"huge integer at {at}")
        else:
            depth = rng.choice([50, 1_000, 100_000])
            text = text.replace('"patient": {', f'"patient": {{"x": {"[" * depth}{"]" * depth}, ', 1)
            steps.append(f"nested {depth} deep")
    return Mutant(index, text, today, steps)


# --- running the CLI in-process ----------------------------------------------------------------


class HangError(Exception):
    pass


@dataclass
class Run:
    argv: list[str]
    code: int | str
    out: str
    err: str
    seconds: float


def run_cli(argv: list[str], limit_s: float, today: date = TODAYS[0]) -> Run:
    """counsel.cli.run(argv) on `today`, with captured output and an alarm-based time limit."""
    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise HangError(f"no answer within {limit_s} s")

    out, err = io.StringIO(), io.StringIO()
    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, limit_s)
    start = time.perf_counter()
    code: int | str
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.run(argv, today=today)
    except SystemExit as exc:  # argparse; should not happen for these argvs
        code = f"SystemExit({exc.code})"
    except BaseException as exc:  # any escape is what we are looking for
        code = f"{type(exc).__name__}: {str(exc)[:200]}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return Run(argv, code, out.getvalue(), err.getvalue(), time.perf_counter() - start)


def problems_with(run: Run) -> list[str]:
    """What is wrong with one run (empty when it behaved)."""
    found = []
    if run.code not in (0, 2, 3):
        found.append(f"exit {run.code}")
    if "Traceback" in run.err or "Traceback" in run.out:
        found.append("traceback")
    if run.code == 2 and (run.err.count("\n") != 1 or not run.err.endswith("\n")
                          or len(run.err) > MAX_ERROR_LINE):
        found.append(f"exit 2 without one short line ({run.err.count(chr(10))} lines, "
                     f"{len(run.err)} chars)")
    if run.code == 3 and "needs " not in run.err:
        found.append("exit 3 without saying what is needed")
    return found


def _acknowledge_codes(err: str) -> str:
    """The codes a `needs acknowledgement: A,B (re-run ...)` line asks for."""
    for line in err.splitlines():
        if line.startswith("needs acknowledgement: "):
            return line.removeprefix("needs acknowledgement: ").split(" ", 1)[0]
    return ""


@pytest.fixture(scope="module")
def render_flags() -> list[str]:
    """--calendar-checked where render requires the calendar to be checked first."""
    run = run_cli(["render", "--help"], RUN_LIMIT_S)
    return ["--calendar-checked"] if "--calendar-checked" in run.out else []


def test_fuzz_checklist_schedule_render(tmp_path, render_flags, monkeypatch):
    monkeypatch.setenv("COUNSEL_DB", str(tmp_path / "records.db"))  # never the user's records
    # argparse looks up a translation catalogue for every option of every parser it builds (a
    # quarter of a run here); there is none, so skip the search: the messages are the same.
    monkeypatch.setattr(argparse, "_", lambda text: text)
    examples = [json.loads(p.read_text(encoding="utf-8")) for p in EXAMPLES]
    schema_paths = _schema_paths(case_json_schema())
    cases_dir, out_dir = tmp_path / "cases", tmp_path / "out"
    cases_dir.mkdir()
    out_dir.mkdir()
    failures: list[str] = []
    counts = {"runs": 0, "exit 0": 0, "exit 2": 0, "exit 3": 0, "pdf": 0}
    pdf_budget = PDF_CASES
    pdf_seconds = 0.0
    started = time.perf_counter()

    def check(run: Run, mutant: Mutant, limit: float) -> None:
        counts["runs"] += 1
        if isinstance(run.code, int):
            counts[f"exit {run.code}"] = counts.get(f"exit {run.code}", 0) + 1
        found = problems_with(run)
        if run.seconds > limit:
            found.append(f"took {run.seconds:.1f} s")
        if found:
            kept = cases_dir / f"failing-{mutant.index}.json"
            kept.write_bytes(mutant.data)
            failures.append(f"case {mutant.index} on {mutant.today} ({'; '.join(mutant.steps)}) "
                            f"{run.argv[0]}: "
                            f"{', '.join(found)}; stderr: {run.err[:300]!r}")

    for i in range(FUZZ_CASES):
        mutant = make_mutant(i, examples, schema_paths)
        path = cases_dir / f"case-{i}.json"
        path.write_bytes(mutant.data)
        first = run_cli(["checklist", str(path)], RUN_LIMIT_S, mutant.today)
        check(first, mutant, RUN_LIMIT_S)
        check(run_cli(["schedule", str(path)], RUN_LIMIT_S, mutant.today), mutant, RUN_LIMIT_S)

        pdf, html = out_dir / f"leaflet-{i}.pdf", out_dir / f"leaflet-{i}.html"
        if first.code in (2, 3):
            # Stops before WeasyPrint: cheap, and must leave nothing behind.
            run = run_cli(["render", str(path), "-o", str(pdf)], RUN_LIMIT_S, mutant.today)
            check(run, mutant, RUN_LIMIT_S)
            if run.code != 0 and pdf.exists():
                failures.append(f"case {i}: render exit {run.code} left {pdf.name}")
        if first.code in (0, 3) and pdf_budget > 0 and (i % 7 == 0 or first.code == 0):
            pdf_budget -= 1
            argv = ["render", str(path), "-o", str(pdf), "--html", str(html), *render_flags]
            codes = _acknowledge_codes(first.err)
            if codes:
                argv += ["--acknowledge", codes]
            run = run_cli(argv, PDF_LIMIT_S, mutant.today)
            pdf_seconds += run.seconds
            check(run, mutant, PDF_LIMIT_S)
            if run.code == 0:
                counts["pdf"] += 1
                data = pdf.read_bytes()
                if not (data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]):
                    failures.append(f"case {i}: {pdf.name} is not a whole PDF")
            elif pdf.exists() or html.exists():
                failures.append(f"case {i}: render exit {run.code} left a file")
        leftovers = [p.name for p in out_dir.iterdir() if not p.name.startswith("leaflet-")]
        if leftovers:
            failures.append(f"case {i}: temporary files left behind: {leftovers[:3]}")
            for p in out_dir.iterdir():
                if not p.name.startswith("leaflet-"):
                    p.unlink()

    elapsed = time.perf_counter() - started
    sys.stdout.write(f"\nfuzz: {FUZZ_CASES} cases, {counts['runs']} CLI runs ({counts['pdf']} real "
                     f"PDFs) in {elapsed:.1f} s ({pdf_seconds:.1f} s of them PDFs); exits: "
                     f"0={counts['exit 0']} 2={counts['exit 2']} 3={counts['exit 3']}\n")
    assert not failures, (f"{len(failures)} failing runs (seed {SEED}; cases kept in "
                          f"{cases_dir}):\n" + "\n".join(failures[:15]))
    # The mix must stay useful: valid cases that reach the rules engine, and refused ones.
    assert counts["exit 2"] > FUZZ_CASES // 10
    assert counts["exit 0"] + counts["exit 3"] > FUZZ_CASES // 4
    assert counts["pdf"] >= min(PDF_CASES, 5)


def test_mutator_is_deterministic() -> None:
    examples = [json.loads(p.read_text(encoding="utf-8")) for p in EXAMPLES]
    schema_paths = _schema_paths(case_json_schema())
    first = [make_mutant(i, examples, schema_paths).text for i in range(20)]
    again = [make_mutant(i, examples, schema_paths).text for i in range(20)]
    assert first == again
    assert len(set(first)) > 15
