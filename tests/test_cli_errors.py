"""Every documented exit path of the CLI is one short line on stderr and exit 2 (3 for unacknowledged
warnings), never a traceback; a bug is one line and exit 70. Run in-process: main(argv)."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any

import pytest

from counsel import cli
from counsel.cli import train_commands
from counsel.cli.common import EXIT_INTERNAL, MAX_ERROR_CHARS
from tests.conftest import make_data


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(err: str) -> str:
    assert "Traceback" not in err
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert len(err) <= MAX_ERROR_CHARS + 80, err
    return err.strip()


@pytest.fixture
def case_path(tmp_path: Path):  # type: ignore[no-untyped-def]
    def _write(data: Any, name: str = "case.json") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(data), encoding="utf-8")
        return path

    return _write


CASE_COMMANDS = [["checklist"], ["schedule"], ["render", "-o", "{tmp}/out.pdf"]]


@pytest.mark.parametrize("command", CASE_COMMANDS, ids=lambda c: c[0])
def test_calendar_overflow_is_one_line_naming_start_date(command, case_path, tmp_path, capsys):
    path = case_path(make_data(prescription={
        "plan": "start", "start_date": "9999-12-31",
        "titration": {"step_mg": 5, "every_days": 3, "target_dose_mg": 30}}))
    argv = [command[0], str(path), *(a.format(tmp=tmp_path) for a in command[1:])]
    code, _, err = _run(capsys, *argv)
    assert code == 2
    assert _one_line(err).startswith("error: case.json: prescription.start_date: must be between")
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("command", CASE_COMMANDS, ids=lambda c: c[0])
def test_not_a_case_file_is_one_line(command, tmp_path, capsys):
    loop = tmp_path / "loop.json"
    os.symlink(loop, loop)
    folder = tmp_path / "folder.json"
    folder.mkdir()
    big = tmp_path / "big.json"
    big.write_text(json.dumps(make_data(notes="x" * 5_000_000)), encoding="utf-8")
    expected = {loop: "too many levels of symbolic links", folder: "is a folder",
                big: "too large (5.0 MB"}
    for path, fragment in expected.items():
        argv = [command[0], str(path), *(a.format(tmp=tmp_path) for a in command[1:])]
        code, _, err = _run(capsys, *argv)
        assert code == 2
        assert fragment in _one_line(err)
    assert not (tmp_path / "out.pdf").exists()


def test_strict_boolean_is_refused_by_the_cli(case_path, capsys):
    code, out, err = _run(capsys, "checklist", str(case_path(make_data(patient={"age": True}))))
    assert code == 2 and out == ""
    assert _one_line(err) == "error: case.json: patient.age: input should be a valid integer (got true)"


@pytest.mark.parametrize("argv", [
    ["nosuch"],
    ["checklist"],
    ["checklist", "x.json", "--region", "fr"],
    ["records"],
    ["records", "show", "9" * 5000],
    ["records", "export", "--format", "xml"],
    ["validate-content", "extra"],
    ["train", "frobnicate"],
])
def test_usage_mistakes_are_one_line(argv, capsys):
    code, out, err = _run(capsys, *argv)
    assert code == 2 and out == ""
    line = _one_line(err)
    assert line.startswith("error: main.py") and line.endswith("--help)")
    assert "9" * 50 not in line  # a huge argument is cut, not echoed


def test_usage_mistake_is_one_line_in_a_real_process():
    import subprocess
    import sys

    from counsel import paths

    proc = subprocess.run([sys.executable, str(paths.PROJECT_ROOT / "main.py"), "checklist"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2
    assert _one_line(proc.stderr) == ("error: main.py checklist: the following arguments are "
                                      "required: case (see main.py checklist --help)")


@pytest.mark.parametrize("flag", ["--to", "--from"])
def test_records_dates_out_of_range_are_one_line(flag, tmp_path, capsys):
    code, _, err = _run(capsys, "records", "list", "--db", str(tmp_path / "r.db"), flag, "9999-12-31")
    assert code == 2
    assert "must be between 1900-01-01 and 2199-12-31 (got 9999-12-31)" in _one_line(err)
    code, _, err = _run(capsys, "records", "list", "--db", str(tmp_path / "r.db"),
                        "--to", "2026-11-30")
    assert code == 0, err


@pytest.mark.parametrize(("text", "fragment"), [
    ("[" * 100_000, "nested more than 8 levels deep"),
    ('{"asked": [' + "9" * 5000 + "]}", "a number with thousands of digits"),
    ("{", "not valid JSON (line 1, column 2"),
])
def test_training_answers_file_is_guarded_like_a_case_file(text, fragment, tmp_path):
    path = tmp_path / "answers.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(train_commands.AnswersFileError) as info:
        train_commands._read_json(path)
    assert str(info.value) == f"answers.json: {fragment}" or fragment in str(info.value)
    (tmp_path / "dir.json").mkdir()
    with pytest.raises(train_commands.AnswersFileError,
                       match=r"^dir\.json: is a folder, not an answers file$"):
        train_commands._read_json(tmp_path / "dir.json")


def _patched_handler(monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    real = cli.build_parser

    def build() -> Any:
        parser, handlers = real()

        def boom(args: Any, today: Any) -> int:
            raise exc

        return parser, {**handlers, "checklist": boom}

    monkeypatch.setattr(cli, "build_parser", build)


@pytest.mark.parametrize(("err_no", "fragment"), [
    (errno.ENOSPC, "out.pdf: the disk is full"),
    (errno.EROFS, "out.pdf: that drive is read-only"),
    (errno.EACCES, "out.pdf: permission denied"),
])
def test_operating_system_failures_are_one_line_with_advice(err_no, fragment, monkeypatch, capsys):
    _patched_handler(monkeypatch, OSError(err_no, os.strerror(err_no), "/x/.out.tmp", None,
                                          "/x/out.pdf"))
    code, _, err = _run(capsys, "checklist", "x.json")
    assert code == 2
    assert _one_line(err).startswith(f"error: {fragment}")


def test_a_bug_is_one_line_and_exit_70_unless_debugging(monkeypatch, capsys):
    _patched_handler(monkeypatch, ZeroDivisionError("division by zero"))
    monkeypatch.delenv("COUNSEL_DEBUG", raising=False)
    code, _, err = _run(capsys, "checklist", "x.json")
    assert code == EXIT_INTERNAL == 70
    assert "internal error (ZeroDivisionError) in 'checklist'" in _one_line(err)
    monkeypatch.setenv("COUNSEL_DEBUG", "0")
    assert _run(capsys, "checklist", "x.json")[0] == EXIT_INTERNAL
    monkeypatch.setenv("COUNSEL_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        cli.main(["checklist", "x.json"])


def test_a_multi_line_or_huge_error_message_is_folded_into_one_line(monkeypatch, capsys):
    from counsel.core.errors import CounselError

    _patched_handler(monkeypatch, CounselError("first\nsecond " + "y" * 10_000))
    code, _, err = _run(capsys, "checklist", "x.json")
    assert code == 2
    line = _one_line(err)
    assert line.startswith("error: first second yyy") and line.endswith("…")


def test_health_check_with_broken_content_is_one_line_not_a_hang(tmp_path):
    # Found while probing: with broken content, `--check` waited forever on an error dialog that
    # nobody can see offscreen. The check loads the content as the app does, right after its
    # window has painted (so its window-shown figure stays faithful), and says what is wrong in
    # one line. A fresh process: the window is real (offscreen); no content cache, so the broken
    # loader is what runs.
    import subprocess
    import sys

    from counsel import paths

    code = (
        "import runpy, sys\n"
        "import counsel.core.content as content\n"
        "from counsel.core.errors import ContentError\n"
        "def broken(*args, **kwargs):\n"
        "    raise ContentError('resources/monographs/baclofen.yaml', 'regions.us.max_daily_mg',\n"
        "                       'missing (required)')\n"
        "content.load_catalog = broken\n"
        "sys.argv = ['main.py', '--check']\n"
        "runpy.run_path('main.py', run_name='__main__')\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COUNSEL_CACHE_DIR": "0", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=paths.PROJECT_ROOT, env=env, check=False)
    assert done.returncode == 1
    assert _one_line(done.stderr) == ("counsel --check: content: resources/monographs/baclofen.yaml: "
                                      "regions.us.max_daily_mg: missing (required)")
    report = json.loads(done.stdout)
    assert report["ok"] is False and report["problem"].startswith("content: resources/monographs/")
