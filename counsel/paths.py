"""The one place that locates the project's data folders (resources, templates, examples).

The repository keeps `resources/`, `templates/` and `examples/` at its top level. A wheel (and the
PyInstaller bundle) ships them inside the package as `counsel/_data/<folder>` (mapped at build time
in pyproject.toml), so an installed Counsel finds them wherever it is run from. Here we ask
importlib.resources where the `counsel` package lives and use `_data/` beside it when it is there;
in a source checkout or an editable install (`pip install -e .`) there is no `_data/`, and the
folders are read from the checkout itself.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGED_DATA = "_data"


def _data_root() -> Path:
    """The folder that holds resources/, templates/ and examples/."""
    packaged = files("counsel") / PACKAGED_DATA
    # WeasyPrint, Jinja2 and fontTools need real files: a wheel, an editable install and the
    # PyInstaller bundle all put the package on disk, so the Traversable is a filesystem path.
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged.resolve()
    return PROJECT_ROOT


# The source checkout (meaningful only when running from one: tests, scripts, schema writer).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_ROOT = _data_root()
IS_PACKAGED = DATA_ROOT != PROJECT_ROOT

RESOURCES_DIR = DATA_ROOT / "resources"
TEMPLATES_DIR = DATA_ROOT / "templates"
EXAMPLES_DIR = DATA_ROOT / "examples"
MONOGRAPHS_DIR = RESOURCES_DIR / "monographs"
SCENARIOS_DIR = RESOURCES_DIR / "scenarios"
MEDICINES_FILE = RESOURCES_DIR / "medicines.yaml"
FONTS_DIR = RESOURCES_DIR / "fonts"
CASE_SCHEMA_FILE = PROJECT_ROOT / "schemas" / "case.schema.json"

