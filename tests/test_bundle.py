"""Smoke test of the PyInstaller bundle (scripts/build-bundle), run with no Python or venv on PATH.

Building the bundle takes about 1.5-2 minutes on this 2-core machine, so the README test command
does not build it: CI (.ci/run) runs the test command first, then scripts/build-bundle, then this
file with COUNSEL_BUNDLE pointing at the built binary. Without COUNSEL_BUNDLE these tests skip.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from counsel import paths

pytestmark = pytest.mark.slow

BUNDLE_ENV = "COUNSEL_BUNDLE"
# WeasyPrint's native libraries, which its cffi dlopen asks for by name.
NATIVE = ("libpango-1.0.so.0", "libpangoft2-1.0.so.0", "libharfbuzz.so.0", "libfontconfig.so.1",
          "libgobject-2.0.so.0")


@pytest.fixture(scope="module")
def binary() -> Path:
    value = os.environ.get(BUNDLE_ENV)
    if not value:
        pytest.skip(f"no bundle: .ci/run builds it (scripts/build-bundle) and sets {BUNDLE_ENV}")
    path = Path(value).resolve()
    assert path.is_file() and os.access(path, os.X_OK), f"{BUNDLE_ENV}={value} is not an executable"
    return path


def run(binary: Path, cwd: Path, *args: str, extra: dict[str, str] | None = None,
        timeout: float = 180) -> subprocess.CompletedProcess[str]:
    # env -i: no venv, no Python and no PYTHONPATH; only the base system folders on PATH.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "LANG": "C.UTF-8", "XDG_RUNTIME_DIR": str(cwd),
           "COUNSEL_DB": str(cwd / "records.sqlite3"),
           "COUNSEL_TRAINING_DB": str(cwd / "training.sqlite3"), **(extra or {})}
    return subprocess.run([str(binary), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def test_nothing_from_a_venv_is_on_the_path(binary: Path, tmp_path: Path) -> None:
    probe = subprocess.run(["/usr/bin/env"], env={"PATH": "/usr/bin:/bin"}, capture_output=True,
                           text=True, check=True)
    assert ".venv" not in probe.stdout and "VIRTUAL_ENV" not in probe.stdout
    assert not binary.is_relative_to(paths.PROJECT_ROOT / ".venv")


def test_bundle_version(binary: Path, tmp_path: Path) -> None:
    proc = run(binary, tmp_path, "--version")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert re.fullmatch(r"Counsel \d+\.\d+\.\d+", lines[0])
    assert re.match(r"content: baclofen \d+\.\d+\.\d+ \(reviewed ", lines[1])


def test_bundle_renders_with_its_own_pango_and_fonts(binary: Path, tmp_path: Path) -> None:
    shutil.copy2(paths.EXAMPLES_DIR / "standard-adult-start.json", tmp_path / "case.json")
    args = ["render", "case.json", "-o", "leaflet.pdf"]
    proc = run(binary, tmp_path, *args)
    if proc.returncode == 3 and "--calendar-checked" in proc.stderr:
        args.append("--calendar-checked")  # the pharmacist has checked the dose calendar
    proc = run(binary, tmp_path, *args, extra={"LD_DEBUG": "libs"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    from pypdf import PdfReader

    reader = PdfReader(tmp_path / "leaflet.pdf")
    assert "Your doses" in reader.pages[0].extract_text()
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages
             for f in page["/Resources"].get("/Font", {}).values()}
    assert any("Leaflet-Sans" in f for f in fonts), fonts  # the bundled Atkinson Hyperlegible
    # The dynamic loader's own log: each native library WeasyPrint needs came from the bundle.
    bundle_dir = str(binary.parent)
    by_name = {name: path for path, name in
               re.findall(r"calling init: (\S+/(lib[\w.+-]+\.so[\w.]*))", proc.stderr)}
    for lib in NATIVE:
        assert lib in by_name, f"{lib} was never loaded"
        assert by_name[lib].startswith(bundle_dir), f"{lib} came from {by_name[lib]}, not the bundle"


def test_bundle_health_check(binary: Path, tmp_path: Path) -> None:
    proc = run(binary, tmp_path, "--check", extra={"QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout[proc.stdout.index("{"):])
    assert report["first_preview_s"] > 0
    # The preview came from the leaflet helper: the bundle started itself again with
    # --render-server (services/render_process.py), with its own Pango and fonts.
    assert report["leaflet_engine"] == "helper process"
    assert report["peak_memory_mb"]["leaflet_helper"] > 0


def test_bundle_without_a_command_opens_the_app(binary: Path, tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen",
           "XDG_RUNTIME_DIR": str(tmp_path), "COUNSEL_DB": str(tmp_path / "records.sqlite3"),
           "COUNSEL_TRAINING_DB": str(tmp_path / "training.sqlite3")}
    proc = subprocess.Popen([str(binary)], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        proc.wait(timeout=8)
    except subprocess.TimeoutExpired:  # still running after 8 s: no crash
        # The records database is opened only once the window is shown (counsel.gui.app.start).
        shown = (tmp_path / "records.sqlite3").exists()
        proc.terminate()
        err = proc.communicate(timeout=30)[1]
        assert shown and "Traceback" not in err, err[-2000:]
        return
    raise AssertionError(f"the app exited with {proc.returncode}: {proc.communicate()[1][-2000:]}")


def test_bundle_bad_input_is_one_line(binary: Path, tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"patient": {"age": -5}}', encoding="utf-8")
    proc = run(binary, tmp_path, "checklist", "bad.json")
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
