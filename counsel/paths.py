"""The one place that locates the project's data folders (resources, templates, examples)."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESOURCES_DIR = PROJECT_ROOT / "resources"
TEMPLATES_DIR = PROJECT_ROOT / "templates"
EXAMPLES_DIR = PROJECT_ROOT / "examples"
MONOGRAPHS_DIR = RESOURCES_DIR / "monographs"
SCENARIOS_DIR = RESOURCES_DIR / "scenarios"
MEDICINES_FILE = RESOURCES_DIR / "medicines.yaml"
FONTS_DIR = RESOURCES_DIR / "fonts"
CASE_SCHEMA_FILE = PROJECT_ROOT / "schemas" / "case.schema.json"
