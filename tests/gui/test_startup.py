"""Start-up stays lean (no WeasyPrint/Jinja2 on the import path) and `main.py --check` reports health."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from counsel import paths

pytestmark = pytest.mark.gui


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=180,
                          cwd=paths.PROJECT_ROOT, env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
                          check=False)


def test_importing_the_app_pulls_in_no_weasyprint_or_jinja2() -> None:
    code = ("import sys, counsel.gui.app, counsel.gui.main_window; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'weasyprint', 'jinja2'}))")
    done = run(["-c", code])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.pdf
def test_check_reports_health_as_json(tmp_path) -> None:
    done = run(["main.py", "--check"], HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is True and report["problem"] == ""
    assert 0 < report["window_shown_s"] < report["first_preview_s"] < 60
    assert report["preview_pages"] >= 1
    assert [p.split(": ", 1)[1] for p in report["pages"]] == [
        "Patient & prescription", "Checklist", "Schedule", "Leaflet"]
    assert set(report["printers"]) == {"available", "default", "lp"}
    assert report["fonts"]["bundled"]


@pytest.mark.pdf
def test_check_fails_with_one_line_when_the_engine_is_broken(tmp_path) -> None:
    # A stand-in leaflet service that cannot render: --check must say so in one line and exit non-zero.
    fake = tmp_path / "fake"
    (fake / "counsel" / "services").mkdir(parents=True)
    code = (
        "import runpy, sys, types\n"
        "mod = types.ModuleType('counsel.services.leaflet')\n"
        "def broken(*a, **k): raise RuntimeError('no fonts available')\n"
        "mod.warm_up = broken\nmod.render_leaflet_pdf = broken\n"
        "class LeafletOptions:\n    def __init__(self, **k): pass\n"
        "mod.LeafletOptions = LeafletOptions\n"
        "sys.modules['counsel.services.leaflet'] = mod\n"
        "sys.argv = ['main.py', '--check']\n"
        "runpy.run_path('main.py', run_name='__main__')\n"
    )
    done = run(["-c", code], HOME=str(tmp_path))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == \
        "counsel --check: the leaflet could not be rendered: no fonts available"
    assert json.loads(done.stdout)["ok"] is False


def test_unknown_option_is_one_line() -> None:
    from counsel.gui.app import main

    assert main(["--bogus"]) == 2
