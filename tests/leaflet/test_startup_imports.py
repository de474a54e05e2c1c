"""Start-up paths, checked in fresh processes: what each path imports and what it starts.

- importing WeasyPrint through counsel.leaflet.weasy starts no process (a plain import does);
- the shim loads the same library files and the leaflet PDF is byte-identical with and without it;
- `main.py render` imports no records or training module (unless --record).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from counsel import paths

STANDARD = paths.EXAMPLES_DIR / "standard-adult-start.json"
CHECKED = ("--calendar-checked",)  # the standard case's doses change over time
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the shim is Linux-only")

# Records every process-starting audit event (subprocess, spawn, exec, fork, system) during the
# import, and which library files the process has mapped afterwards.
PROBE = r"""
import json, sys
events = []
starts = ("subprocess.Popen", "os.posix_spawn", "os.exec", "os.fork", "os.forkpty", "os.system",
          "os.spawn", "pty.spawn")
sys.addaudithook(lambda event, args: events.append(event) if event in starts else None)
if sys.argv[1] == "shim":
    from counsel.leaflet.weasy import import_weasyprint
    import_weasyprint()
else:
    import weasyprint
libs = sorted({line.split()[-1] for line in open("/proc/self/maps")
               if any(n in line for n in ("libgobject", "libpango", "libharfbuzz", "libfontconfig"))})
print(json.dumps({"events": events, "libs": libs}))
"""


def _probe(mode: str, **env: str) -> dict[str, list[str]]:
    done = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True,
                          check=True, cwd=paths.PROJECT_ROOT, timeout=120,
                          env={**os.environ, **env})
    result: dict[str, list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@linux_only
def test_weasyprint_import_through_the_shim_starts_no_process_and_loads_the_same_libraries() -> None:
    shim = _probe("shim")
    plain = _probe("plain")
    assert shim["events"] == []
    # The absence case: WeasyPrint's own library search does start processes (ldconfig, gcc...).
    assert "subprocess.Popen" in plain["events"]
    assert shim["libs"] == plain["libs"]
    assert any("libpango-1.0" in lib for lib in shim["libs"])


@linux_only
def test_the_shim_can_be_switched_off() -> None:
    assert "subprocess.Popen" in _probe("shim", COUNSEL_WEASYPRINT_SHIM="0")["events"]


def _render(out: Path, **env: str) -> bytes:
    subprocess.run([sys.executable, "main.py", "render", str(STANDARD), "-o", str(out), *CHECKED],
                   capture_output=True, text=True, check=True, cwd=paths.PROJECT_ROOT,
                   timeout=120, env={**os.environ, **env})
    return out.read_bytes()


@pytest.mark.pdf
@linux_only
def test_leaflet_pdf_is_byte_identical_with_and_without_the_shim(tmp_path: Path) -> None:
    with_shim = _render(tmp_path / "shim.pdf")
    without = _render(tmp_path / "plain.pdf", COUNSEL_WEASYPRINT_SHIM="0")
    assert with_shim.startswith(b"%PDF") and len(with_shim) > 10_000
    assert with_shim == without


# Runs the CLI in-process (today is fixed) and lists the counsel modules it loaded.
CLI_MODULES = r"""
import json, sys
from datetime import date
from counsel.cli import run
code = run(sys.argv[1:], today=date(2026, 11, 23))
print(json.dumps({"code": code, "modules": sorted(m for m in sys.modules if m.startswith("counsel."))}))
"""


def _cli_modules(tmp_path: Path, *args: str) -> tuple[int, list[str]]:
    env = {**os.environ, "COUNSEL_DB": str(tmp_path / "records.sqlite3"),
           "COUNSEL_TRAINING_DB": str(tmp_path / "training.sqlite3")}
    done = subprocess.run([sys.executable, "-c", CLI_MODULES, *args], capture_output=True,
                          text=True, check=False, cwd=paths.PROJECT_ROOT, timeout=120, env=env)
    assert done.stdout.strip(), done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["code"], result["modules"]


def _records_or_training(modules: list[str]) -> list[str]:
    return [m for m in modules
            if m.startswith(("counsel.records", "counsel.training", "counsel.services.records",
                             "counsel.services.training", "counsel.cli.records_commands",
                             "counsel.cli.train_commands"))]


@pytest.mark.pdf
def test_cli_render_imports_no_records_or_training_module(tmp_path: Path) -> None:
    code, modules = _cli_modules(tmp_path, "render", str(STANDARD), "-o", str(tmp_path / "a.pdf"),
                                 *CHECKED)
    assert code == 0
    assert "counsel.leaflet.pdf" in modules  # it did render
    assert _records_or_training(modules) == []


@pytest.mark.pdf
def test_cli_render_with_record_does_load_the_records_layer(tmp_path: Path) -> None:
    code, modules = _cli_modules(tmp_path, "render", str(STANDARD), "-o", str(tmp_path / "a.pdf"),
                                 *CHECKED, "--record")
    assert code == 0
    assert "counsel.services.records" in modules
    assert not [m for m in modules if m.startswith("counsel.training")]


def test_checklist_command_loads_neither_weasyprint_path_nor_records(tmp_path: Path) -> None:
    code, modules = _cli_modules(tmp_path, "checklist", str(STANDARD))
    assert code in (0, 3)  # 3: warnings still to acknowledge
    assert _records_or_training(modules) == []
    assert "counsel.leaflet.pdf" not in modules


def test_every_command_module_registers_exactly_the_commands_listed_for_it() -> None:
    from counsel.cli import COMMANDS, build_parser, load_all

    parser, handlers = build_parser()
    assert handlers == {}  # nothing imported until a command is used
    load_all(parser)
    assert sorted(handlers) == sorted(COMMANDS)


def test_database_locations_follow_the_environment(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from counsel.databases import records_db_path, training_db_path

    monkeypatch.setenv("COUNSEL_DB", str(tmp_path / "r.sqlite3"))
    monkeypatch.setenv("COUNSEL_TRAINING_DB", str(tmp_path / "t.sqlite3"))
    assert (records_db_path(), training_db_path()) == (tmp_path / "r.sqlite3", tmp_path / "t.sqlite3")
    monkeypatch.delenv("COUNSEL_DB")
    monkeypatch.delenv("COUNSEL_TRAINING_DB")
    assert records_db_path().name == "counsel-records.sqlite3"
    assert training_db_path().name == "training.sqlite3"
    assert records_db_path().parent == training_db_path().parent != tmp_path


def test_fast_exit_only_for_a_plain_render(monkeypatch: pytest.MonkeyPatch) -> None:
    from counsel.cli import fast_exit

    assert fast_exit.applies(["render", "case.json", "-o", "x.pdf"])
    assert not fast_exit.applies(["render", "case.json", "-o", "x.pdf", "--record"])
    assert not fast_exit.applies(["records", "list"])
    assert not fast_exit.applies([])
    monkeypatch.setenv("COUNSEL_FAST_EXIT", "0")
    assert not fast_exit.applies(["render", "case.json", "-o", "x.pdf"])


@pytest.mark.pdf
def test_fast_exit_writes_the_same_pdf_says_everything_and_leaves_no_font_folder(
        tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    fast = _render(tmp_path / "fast.pdf", TMPDIR=str(scratch))
    assert list(scratch.iterdir()) == []  # WeasyPrint's weasyprint-* font folder was removed
    assert fast == _render(tmp_path / "slow.pdf", COUNSEL_FAST_EXIT="0")
    # An early exit (warnings not acknowledged) still prints its lines and its exit code.
    done = subprocess.run([sys.executable, "main.py", "render",
                           str(paths.EXAMPLES_DIR / "pregnancy.json"), "-o", str(tmp_path / "p.pdf")],
                          capture_output=True, text=True, cwd=paths.PROJECT_ROOT, timeout=120,
                          check=False)
    assert done.returncode == 3
    assert done.stderr.strip().splitlines()[-1] == "no leaflet written"
    assert not (tmp_path / "p.pdf").exists()
