"""`main.py render`: exit codes (0 written, 2 bad input, 3 unacknowledged), one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from counsel import paths
from counsel.cli import run
from tests.conftest import TODAY, load_example

STANDARD = paths.EXAMPLES_DIR / "standard-adult-start.json"
PREGNANCY = paths.EXAMPLES_DIR / "pregnancy.json"


def cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = run([str(a) for a in args], today=TODAY)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(err: str, *needles: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0]


@pytest.mark.pdf
def test_render_writes_pdf_and_html(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out, html = tmp_path / "leaflet.pdf", tmp_path / "leaflet.html"
    code, stdout, err = cli(capsys, "render", STANDARD, "-o", out, "--html", html, "--paper", "letter",
                            "--calendar-checked")
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF-")
    saved = html.read_text(encoding="utf-8")
    assert "<html lang=\"en-US\"" in saved
    assert 'css/leaflet.css">' in saved and "Maria Lopez" in saved
    assert f"wrote {out}" in stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leaflet.html", "leaflet.pdf"]


@pytest.mark.pdf
def test_acknowledged_warnings_render(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "p.pdf"
    code, _, err = cli(capsys, "render", PREGNANCY, "-o", out, "--acknowledge",
                       "pregnancy, interaction_other_antidepressant", "--large-print", "--training")
    assert code == 0, err
    assert out.stat().st_size > 1000


def test_unacknowledged_warnings_exit_3_and_write_nothing(capsys: pytest.CaptureFixture[str],
                                                          tmp_path: Path) -> None:
    out = tmp_path / "p.pdf"
    code, _, err = cli(capsys, "render", PREGNANCY, "-o", out, "--acknowledge", "PREGNANCY")
    assert code == 3
    assert "INTERACTION_OTHER_ANTIDEPRESSANT" in err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def _case(tmp_path: Path, data: Any, name: str = "case.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_bad_inputs_exit_2_with_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    good = load_example("standard-adult-start.json")
    bad_field = json.loads(json.dumps(good))
    bad_field["prescription"]["dose_mg"] = -5
    unknown_drug = json.loads(json.dumps(good))
    unknown_drug["prescription"]["drug"] = "tizanidine"
    pua_name = json.loads(json.dumps(good))
    pua_name["patient"]["name"] = "Ann\ue000"
    (tmp_path / "folder.pdf").mkdir()
    out = tmp_path / "x.pdf"
    cases: list[tuple[list[str | Path], tuple[str, ...]]] = [
        ([tmp_path / "missing.json", "-o", out], ("missing.json", "file not found")),
        ([_case(tmp_path, "{not json", "bad.json"), "-o", out], ("bad.json", "not valid JSON")),
        ([_case(tmp_path, bad_field, "field.json"), "-o", out], ("prescription.dose_mg",)),
        ([_case(tmp_path, unknown_drug, "drug.json"), "-o", out], ("prescription.drug",)),
        ([_case(tmp_path, pua_name, "pua.json"), "-o", out, "--calendar-checked"],
         ("patient.name", "U+E000")),
        ([STANDARD], ("-o/--output", "missing")),
        ([STANDARD, "-o", out, "--paper", "a5"], ("--paper", "a5")),
        ([STANDARD, "-o", tmp_path / "x.txt"], ("-o/--output", "must end in .pdf")),
        ([STANDARD, "-o", tmp_path / "no" / "x.pdf"], ("-o/--output", "does not exist")),
        ([STANDARD, "-o", tmp_path / "folder.pdf"], ("-o/--output", "is a folder")),
        ([STANDARD, "-o", out, "--html", tmp_path / "x.txt"], ("--html", "must end in .html")),
        ([STANDARD, "-o", out, "--html", tmp_path / "no" / "x.html"], ("--html", "does not exist")),
    ]
    for args, needles in cases:
        code, _, err = cli(capsys, "render", *args)
        assert code == 2, (args, err)
        assert_one_line_error(err, *needles)
        assert not out.exists(), args


def test_bad_region_choice_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        run(["render", str(STANDARD), "-o", str(tmp_path / "x.pdf"), "--region", "fr"], today=TODAY)
    assert exc.value.code == 2
    assert "--region" in capsys.readouterr().err


@pytest.mark.pdf
def test_real_process_renders_and_errors_cleanly(tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    ok = subprocess.run([sys.executable, str(paths.PROJECT_ROOT / "main.py"), "render",
                         str(STANDARD), "-o", str(out), "--calendar-checked"],
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    # Only information notes, one line each (the real clock may be past the start date).
    assert all(line.startswith("note: ") for line in ok.stderr.splitlines()), ok.stderr
    assert out.read_bytes()[:5] == b"%PDF-"
    bad = subprocess.run([sys.executable, str(paths.PROJECT_ROOT / "main.py"), "render",
                          str(tmp_path / "nope.json"), "-o", str(out)],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
