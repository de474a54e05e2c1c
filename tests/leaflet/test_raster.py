"""Rasterise names in other scripts (pdftoppm) and check they are real glyphs, not tofu boxes.

Text extraction cannot see tofu (the PDF still maps it to the right Unicode), so this looks at
pixels: missing glyphs print as a row of same-sized boxes with about the same ink each, while
real glyphs differ from one another (letter-spacing keeps the glyphs apart). The detector is
checked on private-use characters, which are guaranteed to print as boxes.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
from html import escape
from pathlib import Path

import pytest

from counsel.leaflet.pdf import html_to_pdf

pytestmark = [pytest.mark.pdf,
              pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils missing")]


def _segments(text: str, tmp_path: Path) -> list[int]:
    """Ink pixel counts of each run of inked columns (≈ one glyph or glyph cluster)."""
    html = (f'<html lang="en"><head><title>t</title></head><body>'
            f'<p style="font-size:40pt;margin:0;letter-spacing:0.5em">{escape(text)}</p></body></html>')
    pdf = tmp_path / "name.pdf"
    pdf.write_bytes(html_to_pdf(html, paper="a4", large_print=False, training=False))
    subprocess.run(["pdftoppm", "-r", "72", "-gray", "-singlefile", str(pdf), str(tmp_path / "p")],
                   check=True, timeout=60)
    raw = (tmp_path / "p.pgm").read_bytes()
    magic, width, height, _maxval, pixels = raw.split(maxsplit=4)
    assert magic == b"P5"
    w, h = int(width), int(height)
    band = range(h // 5)  # the line of text is at the top of the page
    ink_per_column = [sum(1 for y in band if pixels[y * w + x] < 128) for x in range(w)]
    runs: list[int] = []
    current = 0
    for count in ink_per_column:
        if count:
            current += count
        elif current:
            runs.append(current)
            current = 0
    return runs


def _looks_like_tofu(runs: list[int]) -> bool:
    # Boxes: one segment per character, all with (nearly) the same amount of ink.
    return len(runs) >= 2 and statistics.pstdev(runs) / statistics.mean(runs) < 0.05


def test_detector_recognises_boxes(tmp_path: Path) -> None:
    runs = _segments("\ue000\ue001\ue002\ue003", tmp_path)
    assert _looks_like_tofu(runs), runs


@pytest.mark.parametrize("name", ["王小明", "अनिल कुमार", "فاطمة الزهراء", "Дмитрий"])
def test_names_print_as_real_glyphs(name: str, tmp_path: Path) -> None:
    runs = _segments(name, tmp_path)
    assert sum(runs) > 200, f"{name}: nothing printed"
    assert not _looks_like_tofu(runs), f"{name}: prints as boxes {runs}"
