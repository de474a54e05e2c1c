"""Leaflet fixtures: each example is rendered ONCE per session (PDF tests share the results)."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cached_property
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from counsel.core.rules import Counselling
from counsel.leaflet.render import leaflet_pdf
from counsel.leaflet.viewmodel import LeafletView
from counsel.services.casework import counsel_file
from counsel.services.leaflet import LeafletOptions
from tests.conftest import EXAMPLES, TODAY

STANDARD = "standard-adult-start"
needs_poppler = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils missing")


def flat(text: str) -> str:
    """Extracted PDF text with all whitespace (incl. no-break spaces, line breaks) as one space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


class PdfText:
    """The text of a rendered leaflet, read back from its PDF bytes (`self.pdf`)."""

    pdf: bytes

    @cached_property
    def reader(self) -> PdfReader:
        return PdfReader(BytesIO(self.pdf))

    @cached_property
    def pages(self) -> list[str]:
        return [flat(p.extract_text() or "") for p in self.reader.pages]

    @cached_property
    def text(self) -> str:
        return " ".join(self.pages)


@dataclass
class Rendered(PdfText):
    name: str
    result: Counselling
    view: LeafletView
    html: str
    pdf: bytes
    path: Path
    logs: list[str]

    def tool(self, *args: str) -> str:
        return subprocess.run([*args, str(self.path)], capture_output=True, text=True,
                              check=True).stdout


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def render(path: Path, out_dir: Path, options: LeafletOptions, suffix: str = "") -> Rendered:
    """Render one case, keeping WeasyPrint's warnings (e.g. '.notdef glyph rendered')."""
    result = counsel_file(path, today=TODAY)
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        view, html, pdf = leaflet_pdf(result, options, today=TODAY)
    finally:
        logger.removeHandler(handler)
    out = out_dir / f"{path.stem}{suffix}.pdf"
    out.write_bytes(pdf)
    return Rendered(path.stem, result, view, html, pdf, out, handler.messages)


@pytest.fixture(scope="session")
def leaflets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    """Every example, standard options (large print only where the case asks for it)."""
    out = tmp_path_factory.mktemp("leaflets")
    return {p.stem: render(p, out, LeafletOptions()) for p in EXAMPLES}


@pytest.fixture(scope="session")
def variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    """The standard example as large print, training copy and US Letter."""
    out = tmp_path_factory.mktemp("variants")
    path = next(p for p in EXAMPLES if p.stem == STANDARD)
    return {
        "large": render(path, out, LeafletOptions(large_print=True), "-large"),
        "training": render(path, out, LeafletOptions(training=True), "-training"),
        "letter": render(path, out, LeafletOptions(paper="letter"), "-letter"),
    }
