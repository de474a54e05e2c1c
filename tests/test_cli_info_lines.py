"""`render` says each information-level warning (e.g. START_DATE_PAST) in one line on stderr and
still writes the leaflet: information never blocks."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from counsel import paths
from counsel.cli import run
from tests.conftest import TODAY

pytestmark = pytest.mark.pdf

STANDARD = paths.EXAMPLES_DIR / "standard-adult-start.json"  # starts on TODAY; a dose calendar


def _notes(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("note: ")]


def test_render_prints_the_start_date_note_and_writes_the_leaflet(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "later.pdf"
    code = run(["render", str(STANDARD), "-o", str(out), "--calendar-checked"],
               today=TODAY + timedelta(days=8))
    captured = capsys.readouterr()
    assert code == 0 and out.read_bytes().startswith(b"%PDF")
    past = [n for n in _notes(captured.err) if "START_DATE_PAST" in n]
    assert past == ["note: START_DATE_PAST: The start date (2026-11-23) is 8 days before today "
                    "(2026-12-01). The leaflet shows the step in force today; check the dates "
                    "with the patient and the prescription."]
    assert "START_DATE_PAST" not in captured.out  # stdout keeps its one "wrote" line
    assert "needs acknowledgement" not in captured.err


def test_no_start_date_note_on_the_start_day(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "today.pdf"
    assert run(["render", str(STANDARD), "-o", str(out), "--calendar-checked"], today=TODAY) == 0
    err = capsys.readouterr().err
    assert out.exists()
    assert not [n for n in _notes(err) if "START_DATE_PAST" in n]


def test_checklist_lists_information_apart_from_the_warnings_to_acknowledge(
        capsys: pytest.CaptureFixture[str]) -> None:
    """The warnings `checklist` lists are exactly those `render` asks to acknowledge."""
    child = paths.EXAMPLES_DIR / "child-oral-liquid.json"  # two warnings, one information
    run(["checklist", str(child)], today=TODAY)
    captured = capsys.readouterr()
    out = captured.out
    warnings, information = out.split("\nWarnings (acknowledge each before printing):\n", 1)[1].split(
        "\nFor your information (nothing to acknowledge):\n", 1)
    listed = [line.split(":", 1)[0].strip() for line in warnings.splitlines() if line.strip()]
    asked = captured.err.split("needs acknowledgement: ", 1)[1].split(" ", 1)[0].split(",")
    assert listed == asked == ["CHILD_START_ABOVE_REFERENCE", "LIQUID_CONCENTRATION"]
    assert information.splitlines()[0].startswith("  CHILD_MG_PER_KG: ")
