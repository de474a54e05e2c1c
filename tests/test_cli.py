"""The CLI as a user runs it: real subprocesses, exit codes, one-line errors, JSON shapes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from counsel import paths
from tests.conftest import make_data

ROOT = paths.PROJECT_ROOT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=60, check=False)


def test_validate_content_passes():
    proc = run("validate-content")
    assert proc.returncode == 0, proc.stderr
    assert "ok: baclofen" in proc.stdout


def test_checklist_json_shape_and_ack_gate():
    case = str(ROOT / "examples" / "older-adult-kidney.json")
    proc = run("checklist", case, "--json")
    assert proc.returncode == 3
    assert "KIDNEY_SEVERE" in proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) >= {"sections", "warnings", "unrecognised_medicines"}
    point = data["sections"][0]["points"][0]
    assert set(point) >= {"id", "prompt", "patient_text", "why", "critical", "sources"}
    all_ids = [p["id"] for s in data["sections"] for p in s["points"]]
    assert "kidney" in all_ids and "pregnancy" not in all_ids
    codes = ",".join(w["code"] for w in data["warnings"])
    assert run("checklist", case, "--json", "--acknowledge", codes.lower()).returncode == 0


def test_schedule_json(tmp_path):
    proc = run("schedule", str(ROOT / "examples" / "standard-adult-start.json"), "--json")
    assert proc.returncode == 0, proc.stderr
    steps = json.loads(proc.stdout)["steps"]
    assert steps[0] == {"from": "2026-11-23", "to": "2026-11-25", "dose_mg": 5,
                        "times_per_day": 3, "daily_total_mg": 15}
    assert steps[-1]["to"] is None and steps[-1]["daily_total_mg"] == 60


def test_text_checklist_marks_critical_points_and_reasons():
    proc = run("checklist", str(ROOT / "examples" / "opioid-and-sleeping-tablet.json"))
    assert proc.returncode == 3
    assert "[critical] Opioid painkiller" in proc.stdout
    assert "why here: takes OxyContin 10mg (opioid painkiller)" in proc.stdout
    assert "Not recognised — check manually: Ginkgo leaf tea" in proc.stdout


def test_region_override(tmp_path):
    proc = run("checklist", str(ROOT / "examples" / "standard-adult-start.json"), "--json",
               "--region", "uk")
    ids = [p["id"] for s in json.loads(proc.stdout)["sections"] for p in s["points"]]
    assert "missed_dose_uk" in ids and "missed_dose_us" not in ids


@pytest.mark.parametrize(("data", "expected"), [
    (make_data(patient={"age": -5}), "error: case.json: patient.age: "),
    (make_data(prescription={"drug": "aspirin"}), "error: prescription.drug: unknown drug 'aspirin'"),
    ("{not json", "error: case.json: not valid JSON"),
])
def test_bad_input_exits_2_with_one_line(tmp_path: Path, data, expected):
    path = tmp_path / "case.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    for command in ("checklist", "schedule"):
        proc = run(command, str(path))
        assert proc.returncode == 2
        assert proc.stderr.startswith(expected), proc.stderr
        assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
        assert proc.stdout == ""


def test_no_display_gives_a_clear_message_not_a_qt_abort():
    env = {k: v for k, v in __import__("os").environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run([sys.executable, str(ROOT / "main.py")], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=60, check=False)
    assert proc.returncode == 1
    assert "needs a desktop display" in proc.stderr
    assert "xvfb-run" in proc.stderr


def test_output_into_a_closed_pipe_stops_quietly(tmp_path, monkeypatch, capsys):
    """`main.py checklist ... | head` must stop quietly (exit 0, no traceback) when head closes."""
    from datetime import date

    from counsel.cli import run as cli_run

    sink = (tmp_path / "sink").open("w")

    class ClosedPipe:
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self) -> None:
            pass

        def fileno(self) -> int:
            return sink.fileno()

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    code = cli_run(["checklist", str(ROOT / "examples" / "standard-adult-start.json")],
                   today=date(2026, 11, 23))
    sink.close()
    assert code == 0
    assert "Traceback" not in capsys.readouterr().err
