"""Start-up stays lean (no WeasyPrint/Jinja2 on the import path) and `main.py --check` reports health."""

from __future__ import annotations

import json
import os
import shutil
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
@pytest.mark.parametrize("helper", ["1", "0"], ids=["helper-process", "in-process"])
def test_check_fails_with_one_line_when_the_engine_is_broken(tmp_path, helper: str) -> None:
    # WeasyPrint's libraries cannot be loaded (a stand-in package that fails as a missing Pango
    # does): --check must say so in one line and exit non-zero, whether the leaflet helper
    # process (the default) or the worker thread (COUNSEL_RENDER_PROCESS=0) meets the failure.
    fake = tmp_path / "fake" / "weasyprint"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise OSError('no fonts available')\n", encoding="utf-8")
    done = run(["main.py", "--check"], HOME=str(tmp_path), PYTHONPATH=str(fake.parent),
               COUNSEL_RENDER_PROCESS=helper)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == \
        "counsel --check: the leaflet could not be rendered: no fonts available"
    assert json.loads(done.stdout)["ok"] is False


@pytest.mark.pdf
@pytest.mark.parametrize("helper", ["1", "0"], ids=["helper-process", "in-process"])
def test_check_makes_its_preview_in_the_helper_process_unless_switched_off(helper: str) -> None:
    # With the helper on, the app process itself never loads WeasyPrint: the preview's PDF came
    # from the other process (so the window and typing never wait for the engine's Python).
    code = (
        "import runpy, sys\n"
        "sys.argv = ['main.py', '--check']\n"
        "try:\n"
        "    runpy.run_path('main.py', run_name='__main__')\n"
        "except SystemExit as exc:\n"
        "    sys.stderr.write(f'exit {exc.code} weasyprint loaded: {\"weasyprint\" in sys.modules}\\n')\n"
    )
    done = run(["-c", code], COUNSEL_RENDER_PROCESS=helper)
    report = json.loads(done.stdout)
    assert report["ok"] is True and report["preview_pages"] >= 1
    if helper == "1":
        assert report["leaflet_engine"] == "helper process"
        assert done.stderr.strip().splitlines()[-1] == "exit 0 weasyprint loaded: False"
    else:
        assert report["leaflet_engine"] == "app process"
        assert done.stderr.strip().splitlines()[-1] == "exit 0 weasyprint loaded: True"


def test_unknown_option_is_one_line() -> None:
    from counsel.gui.app import main

    assert main(["--bogus"]) == 2


def test_the_window_paints_before_pydantic_and_the_core_load() -> None:
    # The app's start-up: the skeleton window is built and shown without pydantic or the core's
    # models; finish_start() (right after the first paint) loads them and works out the new case.
    code = (
        "import sys\n"
        "import counsel.gui.app, counsel.gui.main_window\n"
        "from counsel.gui.app import create_app\n"
        "from counsel.gui.main_window import MainWindow\n"
        "loaded = lambda: sorted(m for m in sys.modules if m == 'pydantic' or m == 'counsel.core.case')\n"
        "print(loaded())\n"
        "app = create_app()\n"
        "w = MainWindow(skeleton=True)\n"
        "w.show(); app.processEvents()\n"
        "print(loaded(), w.sidebar.item(0).text().split()[-2:])\n"
        "w.finish_start()\n"
        "print(loaded(), w.model.error is not None,\n"
        "      w.patient.pharmacy_name.text() == w.settings.pharmacy_name)\n"
    )
    done = run(["-c", code])
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "[]",
        "[] ['Not', 'started']",
        "['counsel.core.case', 'pydantic'] True True",
    ]


@pytest.mark.pdf
def test_check_fails_with_one_line_when_the_content_is_invalid(tmp_path) -> None:
    # A copy of the monograph with an unknown key: --check used to wait for ever behind a dialog.
    content = tmp_path / "monographs"
    shutil.copytree(paths.MONOGRAPHS_DIR, content)
    monograph = content / "baclofen.yaml"
    monograph.write_text("bogus_key: 1\n" + monograph.read_text(encoding="utf-8"), encoding="utf-8")
    code = (
        "import runpy, sys\n"
        "from pathlib import Path\n"
        "from counsel import paths\n"
        f"paths.MONOGRAPHS_DIR = Path({str(content)!r})\n"
        "sys.argv = ['main.py', '--check']\n"
        "runpy.run_path('main.py', run_name='__main__')\n"
    )
    done = run(["-c", code], HOME=str(tmp_path))
    assert done.returncode == 1
    problem = f"content: {monograph}: bogus_key: unknown key"
    assert done.stderr == f"counsel --check: {problem}\n"  # one line: no log or Qt noise
    report = json.loads(done.stdout)
    assert report["ok"] is False and report["problem"] == problem
    assert "first_preview_s" not in report


def test_a_skeleton_window_ends_up_as_the_full_window(qtbot) -> None:  # type: ignore[no-untyped-def]
    from counsel.gui.main_window import MainWindow
    from tests.conftest import TODAY
    from tests.gui.conftest import SETTINGS

    full = MainWindow(today=lambda: TODAY, settings=SETTINGS)
    skeleton = MainWindow(today=lambda: TODAY, settings=SETTINGS, skeleton=True)
    for win in (full, skeleton):
        qtbot.addWidget(win)
    assert [skeleton.sidebar.item(i).text() for i in range(4)] == [
        f"{i + 1}. {p.title}\n     ○ Not started" for i, p in enumerate(skeleton.pages)]  # type: ignore[attr-defined]
    assert skeleton.patient.pharmacy_name.text() == ""  # nothing filled in before finish_start
    assert skeleton.model.error is None and not skeleton.case_loaded
    skeleton.finish_start()
    assert skeleton.case_loaded
    assert skeleton.patient.data() == full.patient.data()
    assert skeleton.patient.pharmacy_name.text() == "Test Pharmacy"
    assert str(skeleton.model.error) == str(full.model.error) != "None"
    assert skeleton.step_states() == full.step_states()
    assert [skeleton.sidebar.item(i).text() for i in range(4)] == \
        [full.sidebar.item(i).text() for i in range(4)]
    assert skeleton.heading.text() == full.heading.text()
    assert skeleton.windowTitle() == full.windowTitle() == "Counsel — New case"
    skeleton.finish_start()  # a second call (e.g. after a resumed session) changes nothing
    assert skeleton.patient.data() == full.patient.data()
