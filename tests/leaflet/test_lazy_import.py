"""Importing the leaflet service (as the GUI does at start-up) must not import WeasyPrint."""

from __future__ import annotations

import subprocess
import sys

from counsel import paths


def test_service_import_does_not_load_weasyprint_or_jinja() -> None:
    code = ("import sys, counsel.services.leaflet, counsel.cli.render_commands; "
            "print(sorted(m for m in ('weasyprint', 'jinja2', 'textstat') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=paths.PROJECT_ROOT, timeout=60).stdout
    assert out.strip() == "[]"
