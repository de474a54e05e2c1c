"""Packaging: the data folders ship inside the wheel, and an installed Counsel works from any folder.

The slow tests build the real wheel with pip, install it into a fresh venv outside the checkout and
run the `counsel` command from a temporary folder. To stay fast (and offline apart from the build
backend from PyPI), the new venv reuses the dependencies already installed in the project's venv
through a .pth line; the project itself comes only from the wheel, which the tests assert.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import counsel
from counsel import __main__ as entry
from counsel import paths
from counsel.core.errors import ContentError

ROOT = paths.PROJECT_ROOT
DATA_FOLDERS = {"resources": "counsel._data.resources", "templates": "counsel._data.templates",
                "examples": "counsel._data.examples"}


def _pyproject() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)


# ---- fast checks (every run) -------------------------------------------------------------------

def test_package_list_names_every_code_and_data_folder() -> None:
    setuptools_cfg = _pyproject()["tool"]["setuptools"]  # type: ignore[index]
    listed = set(setuptools_cfg["packages"])
    code = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "counsel").rglob("__init__.py")}
    data = {DATA_FOLDERS[top] + "".join(f".{part}" for part in d.relative_to(ROOT / top).parts)
            for top in DATA_FOLDERS for d in [ROOT / top, *(ROOT / top).rglob("*")]
            if d.is_dir() and d.name != "__pycache__"}
    missing = (code | data) - listed
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(missing)}"
    assert not listed - code - data, "pyproject.toml lists packages that do not exist"
    assert setuptools_cfg["package-dir"] == {pkg: top for top, pkg in DATA_FOLDERS.items()}


def test_checkout_reads_its_own_top_level_folders() -> None:
    # The editable install (scripts/bootstrap) has no counsel/_data: content comes from the checkout.
    assert not paths.IS_PACKAGED
    assert paths.RESOURCES_DIR == ROOT / "resources" and paths.TEMPLATES_DIR == ROOT / "templates"
    assert (paths.MONOGRAPHS_DIR / "baclofen.yaml").is_file()
    assert not (ROOT / "counsel" / paths.PACKAGED_DATA).exists()
    # Content errors name files as before: relative to the data root, e.g. "resources/...".
    from counsel.core.content import load_model
    from counsel.core.medicines import MedicineList

    with pytest.raises(ContentError, match=r"^resources/medicines-missing\.yaml: file not found"):
        load_model(paths.RESOURCES_DIR / "medicines-missing.yaml", MedicineList)


def test_version_prints_app_and_content_versions(capsys: pytest.CaptureFixture[str]) -> None:
    assert entry.main(["--version"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Counsel {counsel.__version__}"
    assert out[1].startswith("content: baclofen ") and "review due" in out[1]


def test_version_with_broken_content_is_one_line_error(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken() -> None:
        raise ContentError("resources/monographs", "", "no monograph files found")

    monkeypatch.setattr("counsel.core.content.default_catalog", broken)
    assert entry.main(["--version"]) == 2
    captured = capsys.readouterr()
    assert captured.out == f"Counsel {counsel.__version__}\n"
    assert captured.err == "error: resources/monographs: no monograph files found\n"


def test_no_command_without_display_explains_instead_of_aborting(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(sys, "argv", ["/opt/counsel/bin/counsel"])
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    assert entry.main([]) == 1
    err = capsys.readouterr().err
    assert "$DISPLAY is not set" in err
    assert "counsel --check" in err


def test_content_cache_in_a_bundle_without_sources_is_keyed_by_the_executable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The frozen bundle has no counsel/core/*.py on disk; an upgraded bundle must not reuse the
    # catalog pickled by the old one (its classes may have changed).
    from counsel.services import content_cache

    with_sources = content_cache.fingerprint()
    exe = tmp_path / "counsel"
    exe.write_bytes(b"bundle v1")
    monkeypatch.setattr(content_cache, "CORE_DIR", tmp_path / "no-sources")
    monkeypatch.setattr(sys, "executable", str(exe))
    first = content_cache.fingerprint()
    assert first != with_sources
    assert content_cache.fingerprint() == first  # stable while the bundle is unchanged
    exe.write_bytes(b"bundle v2, rebuilt")
    assert content_cache.fingerprint() != first


def test_wheel_version_is_the_package_version() -> None:
    project = _pyproject()["project"]
    assert "version" in project["dynamic"]  # type: ignore[index]
    assert _pyproject()["tool"]["setuptools"]["dynamic"]["version"] == {  # type: ignore[index]
        "attr": "counsel.__version__"}


# ---- the real wheel in a fresh venv (slow) -----------------------------------------------------

@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    work: Path  # an empty folder outside the checkout, used as the working directory
    env: dict[str, str]

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.venv / "bin" / "counsel"), *args], cwd=self.work, env=self.env,
                              capture_output=True, text=True, timeout=timeout, check=False)

    def python(self, code: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.venv / "bin" / "python"), "-c", code], cwd=self.work,
                              env=self.env, capture_output=True, text=True, timeout=60, check=False)


def _copy_source(dest: Path) -> None:
    """The files a build reads, copied so the build never writes build/ or egg-info into the tree."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, dest / name)
    for folder in ("counsel", *DATA_FOLDERS):
        shutil.copytree(ROOT / folder, dest / folder, ignore=ignore)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    src, dist, venv, work, home = (base / n for n in ("src", "dist", "venv", "work", "home"))
    for d in (src, work, home):
        d.mkdir()
    _copy_source(src)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    build = subprocess.run([*pip, "wheel", "--no-deps", "-q", "-w", str(dist), str(src)],
                           capture_output=True, text=True, timeout=300, check=False)
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = dist.glob("counsel-*.whl")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    purelib = Path(subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True).stdout.strip())
    # Dependencies (PySide6, WeasyPrint, ...) from the project's venv; a .pth *path* line does not
    # run that folder's own .pth files, so the editable install of the checkout stays invisible.
    (purelib / "zz-counsel-test-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    inst = subprocess.run([*pip, "--python", str(venv / "bin" / "python"), "install", "-q",
                           "--no-deps", "--no-index", str(wheel)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert inst.returncode == 0, inst.stderr[-2000:]
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
           "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(home),
           "COUNSEL_DB": str(home / "records.sqlite3"),
           "COUNSEL_TRAINING_DB": str(home / "training.sqlite3")}
    if "FONTCONFIG_FILE" in os.environ:
        env["FONTCONFIG_FILE"] = os.environ["FONTCONFIG_FILE"]
    shutil.copy2(ROOT / "examples" / "standard-adult-start.json", work / "case.json")
    return Installed(wheel, venv, work, env)


@pytest.mark.slow
def test_wheel_carries_the_data_and_the_font_licence(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as whl:
        names = set(whl.namelist())
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = whl.read(meta_name).decode()
    for needed in ("counsel/_data/resources/monographs/baclofen.yaml",
                   "counsel/_data/resources/medicines.yaml",
                   "counsel/_data/resources/fonts/AtkinsonHyperlegible-Regular-latin.ttf",
                   "counsel/_data/resources/css/leaflet.css",
                   "counsel/_data/templates/leaflet/base.html.j2",
                   "counsel/_data/examples/standard-adult-start.json",
                   "counsel/__main__.py"):
        assert needed in names, needed
    assert any(n.endswith(".dist-info/licenses/resources/fonts/OFL.txt") for n in names)
    assert "License-File: resources/fonts/OFL.txt" in metadata
    assert f"Version: {counsel.__version__}" in metadata
    # Only the app goes in: no tests, scripts, the checkout's main.py or byte code.
    assert not [n for n in names if n.startswith(("tests/", "scripts/", "main.py")) or n.endswith(".pyc")]


@pytest.mark.slow
def test_installed_counsel_is_the_wheel_not_the_checkout(installed: Installed) -> None:
    proc = installed.python(
        "import json, counsel, counsel.paths as p\n"
        "from counsel.leaflet.fetcher import ResourceFetcher\n"
        "from counsel.core.content import load_model\n"
        "from counsel.core.errors import ContentError\n"
        "from counsel.core.medicines import MedicineList\n"
        "try:\n"
        "    load_model(p.RESOURCES_DIR / 'missing.yaml', MedicineList)\n"
        "except ContentError as exc:\n"
        "    shown = str(exc)\n"
        "f = ResourceFetcher(p.RESOURCES_DIR)\n"
        "print(json.dumps({'file': counsel.__file__, 'data': str(p.DATA_ROOT),\n"
        "  'packaged': p.IS_PACKAGED, 'root': str(f.root), 'shown': shown,\n"
        "  'font': f.allows((p.FONTS_DIR / 'OFL.txt').as_uri()),\n"
        "  'code': f.allows((p.DATA_ROOT.parent / 'paths.py').as_uri()),\n"
        "  'checkout': f.allows(" + repr((ROOT / "resources" / "medicines.yaml").as_uri()) + "),\n"
        "  'passwd': f.allows('file:///etc/passwd')}))")
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    venv = installed.venv.resolve()
    assert Path(info["file"]).resolve().is_relative_to(venv)
    assert info["packaged"] and Path(info["data"]).is_relative_to(venv)
    assert Path(info["root"]) == Path(info["data"]) / "resources"
    assert info["shown"] == "resources/missing.yaml: file not found"  # not a site-packages path
    # The fetcher serves the packaged resources only: not the package's code, not the checkout.
    assert info["font"] and not info["code"] and not info["checkout"] and not info["passwd"]


@pytest.mark.slow
def test_installed_commands_run_from_any_folder(installed: Installed) -> None:
    version = installed.run("--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith(f"Counsel {counsel.__version__}\ncontent: baclofen ")
    as_module = subprocess.run([str(installed.venv / "bin" / "python"), "-m", "counsel", "--version"],
                               cwd=installed.work, env=installed.env, capture_output=True, text=True,
                               timeout=60, check=False)
    assert as_module.stdout == version.stdout

    valid = installed.run("validate-content")
    assert valid.returncode == 0, valid.stderr
    assert "ok: baclofen" in valid.stdout

    checklist = installed.run("checklist", "case.json", "--json")
    assert checklist.returncode == 0, checklist.stderr
    assert json.loads(checklist.stdout)["sections"]

    render = installed.run("render", "case.json", "-o", "leaflet.pdf")
    if render.returncode == 3 and "--calendar-checked" in render.stderr:
        # As the message asks: the pharmacist checked the dose calendar against the prescription.
        render = installed.run("render", "case.json", "-o", "leaflet.pdf", "--calendar-checked")
    assert render.returncode == 0, render.stderr
    pdf = installed.work / "leaflet.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages
             for f in page["/Resources"].get("/Font", {}).values()}
    # The bundled Atkinson Hyperlegible (@font-face "Leaflet Sans") was found inside the package.
    assert any("Leaflet-Sans" in f for f in fonts), fonts
    assert "Your doses" in reader.pages[0].extract_text()


@pytest.mark.slow
def test_installed_health_check(installed: Installed) -> None:
    check = installed.run("--check", timeout=180)
    assert check.returncode == 0, check.stderr[-2000:]
    report = json.loads(check.stdout[check.stdout.index("{"):])
    assert report["first_preview_s"] > 0


def _stays_open(cmd: list[str], cwd: Path, env: dict[str, str], seconds: float = 6) -> str:
    """Start the desktop app; it must still be running after `seconds` (a crash exits early)."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        # The records database is opened only once the window is shown (counsel.gui.app.start).
        shown = Path(env["COUNSEL_DB"]).exists()
        proc.terminate()
        err = proc.communicate(timeout=30)[1]
        assert shown, f"the window never came up: {err[-2000:]}"
        return err
    err = proc.communicate()[1]
    raise AssertionError(f"the app exited with {proc.returncode}: {err[-2000:]}")


@pytest.mark.slow
def test_installed_counsel_without_a_command_opens_the_app(installed: Installed) -> None:
    err = _stays_open([str(installed.venv / "bin" / "counsel")], installed.work, installed.env)
    assert "Traceback" not in err


@pytest.mark.slow
def test_installed_counsel_without_arguments_and_display_says_what_to_do(installed: Installed) -> None:
    env = {k: v for k, v in installed.env.items() if k != "QT_QPA_PLATFORM"}
    proc = subprocess.run([str(installed.venv / "bin" / "counsel")], cwd=installed.work, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 1
    assert "counsel --check" in proc.stderr and "Traceback" not in proc.stderr
