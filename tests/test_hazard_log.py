"""The hazard log is checked: every hazard names tests, and every named test exists and collects."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOG = ROOT / "docs" / "safety" / "hazard-log.md"
COLUMNS = ("ID", "Hazard (cause)", "Effect", "Severity", "Control", "Tests")
SEVERITIES = {"Catastrophic", "Major", "Considerable", "Significant", "Minor"}
_ID = re.compile(r"^[A-Z][A-Z0-9]*-\d{3}$")
_TICKED = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class Hazard:
    id: str
    severity: str
    tests: tuple[str, ...]
    line: int


def hazards(text: str) -> list[Hazard]:
    """Every hazard row of every table in the log (header and rule rows skipped)."""
    out: list[Hazard] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] in ("ID", "---") or set(cells[0]) <= {"-", " "}:
            if cells[0] == "ID":
                assert tuple(cells) == COLUMNS, f"line {number}: columns must be {COLUMNS}"
            continue
        assert len(cells) == len(COLUMNS), f"line {number}: {len(cells)} cells, not 6"
        out.append(Hazard(cells[0], cells[3], tuple(_TICKED.findall(cells[5])), number))
    return out


def _defined(path: Path, names: list[str]) -> bool:
    """Whether `Class::test` or `test` (parameters stripped) is defined in the test file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    scope: list[ast.stmt] = tree.body
    for name in names:
        name = name.split("[", 1)[0]
        found = next((n for n in scope if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef
                                                      | ast.ClassDef) and n.name == name), None)
        if found is None:
            return False
        scope = found.body if isinstance(found, ast.ClassDef) else []
    return True


def problems_in(text: str, root: Path) -> list[str]:
    """Static problems: ids, severities, missing tests, files or functions (no test run)."""
    found: list[str] = []
    seen: set[str] = set()
    for h in hazards(text):
        where = f"{h.id} (line {h.line})"
        if not _ID.match(h.id):
            found.append(f"{where}: id must look like HAZ-001")
        if h.id in seen:
            found.append(f"{where}: duplicate id")
        seen.add(h.id)
        if h.severity not in SEVERITIES:
            found.append(f"{where}: severity '{h.severity}' is not one of {sorted(SEVERITIES)}")
        if not h.tests:
            found.append(f"{where}: names no test")
        for test_id in h.tests:
            file, _, rest = test_id.partition("::")
            path = root / file
            if not rest or not file.startswith("tests/") or not file.endswith(".py"):
                found.append(f"{where}: '{test_id}' is not a pytest node id (tests/...py::test)")
            elif not path.is_file():
                found.append(f"{where}: '{file}' does not exist")
            elif not _defined(path, rest.split("::")):
                found.append(f"{where}: '{test_id}' is not defined in {file}")
    return found


def test_the_log_has_the_issue_9_hazards():
    ids = {h.id for h in hazards(LOG.read_text(encoding="utf-8"))}
    assert len(ids) >= 20
    assert "## Content and medicines" in LOG.read_text(encoding="utf-8")


def test_every_hazard_names_tests_that_exist():
    assert problems_in(LOG.read_text(encoding="utf-8"), ROOT) == []


def test_every_test_id_in_the_log_still_collects():
    test_ids = sorted({t for h in hazards(LOG.read_text(encoding="utf-8")) for t in h.tests})
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         *test_ids],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    collected = [line.strip() for line in proc.stdout.splitlines() if "::" in line]
    missing = [t for t in test_ids
               if not any(c == t or c.startswith(t + "[") or c.startswith(t + "::")
                          for c in collected)]
    assert proc.returncode == 0 and not missing, (missing, proc.stdout[-2000:], proc.stderr[-2000:])


# ---------------------------------------------------------------- the checker itself
GOOD_ROW = ("| HAZ-001 | cause | effect | Major | control | "
            "`tests/test_hazard_log.py::test_every_hazard_names_tests_that_exist` |")
HEADER = ("| ID | Hazard (cause) | Effect | Severity | Control | Tests |\n"
          "| --- | --- | --- | --- | --- | --- |\n")


def test_a_good_row_passes_the_checker():
    assert problems_in(HEADER + GOOD_ROW, ROOT) == []


@pytest.mark.parametrize(("row", "problem"), [
    (GOOD_ROW.replace("test_every_hazard_names_tests_that_exist", "test_gone"),
     "is not defined in tests/test_hazard_log.py"),
    (GOOD_ROW.replace("tests/test_hazard_log.py", "tests/test_nowhere.py"), "does not exist"),
    (GOOD_ROW.replace("`tests/test_hazard_log.py::test_every_hazard_names_tests_that_exist`", ""),
     "names no test"),
    (GOOD_ROW.replace("Major", "Bad"), "severity 'Bad'"),
])
def test_the_checker_catches_a_broken_row(row, problem):
    found = problems_in(HEADER + row, ROOT)
    assert any(problem in p for p in found), found
