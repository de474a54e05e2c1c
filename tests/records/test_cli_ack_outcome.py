"""`render --acknowledge CODE=outcome`: the CLI records how a warning was dealt with, with the same
label the GUI keeps (one service function, counsel.services.release)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from counsel import paths
from counsel.cli import run
from counsel.services.release import ACK_OUTCOMES, AcknowledgementError, parse_acknowledgements
from tests.conftest import TODAY

DRIVER = str(paths.EXAMPLES_DIR / "driver-who-drinks.json")  # one warning: INTERACTION_NSAID


def _how(db: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    assert run(["records", "list", "--json", "--db", str(db)], today=TODAY) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert run(["records", "show", str(row["id"]), "--json", "--db", str(db)], today=TODAY) == 0
    shown = json.loads(capsys.readouterr().out)
    record = shown.get("record", shown)
    return {w["code"]: w["how"] for w in record["warnings"] if w["acknowledged"]}


def test_parse_acknowledgements_reads_codes_and_outcomes() -> None:
    assert parse_acknowledgements("a, b=Contacted ,c=") == {"A": "", "B": "contacted", "C": ""}
    assert parse_acknowledgements(None) == {}
    with pytest.raises(AcknowledgementError, match="'phoned' for A is not an outcome"):
        parse_acknowledgements("A=phoned")


def test_render_keeps_the_outcome_label_the_gui_keeps(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "r.sqlite3"
    code = run(["render", DRIVER, "-o", str(tmp_path / "l.pdf"), "--record",
                "--calendar-checked", "--db", str(db),
                "--acknowledge", "interaction_nsaid=will_contact"], today=TODAY)
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    assert _how(db, capsys) == {"INTERACTION_NSAID": ACK_OUTCOMES["will_contact"]}


def test_render_without_an_outcome_says_it_came_from_the_command_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "r.sqlite3"
    assert run(["render", DRIVER, "-o", str(tmp_path / "l.pdf"), "--record",
                "--calendar-checked", "--db", str(db),
                "--acknowledge", "INTERACTION_NSAID"], today=TODAY) == 0
    capsys.readouterr()
    assert _how(db, capsys) == {"INTERACTION_NSAID": "acknowledged on the command line"}


def test_an_unknown_outcome_is_one_line_and_writes_nothing(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "l.pdf"
    assert run(["render", DRIVER, "-o", str(out), "--acknowledge", "INTERACTION_NSAID=phoned"],
               today=TODAY) == 2
    err = capsys.readouterr().err
    assert "--acknowledge: 'phoned'" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
    # The gate still reads the code with an outcome as acknowledged.
    assert run(["checklist", DRIVER, "--acknowledge", "INTERACTION_NSAID=contacted"],
               today=TODAY) == 0
