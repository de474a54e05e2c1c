"""The leaflet service used by the GUI and the CLI: HTML, PDF, atomic write, warm-up.

WeasyPrint (about 1 s to import) and Jinja2 load on first use, never at import of this module.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from counsel.core.rules import Counselling
from counsel.leaflet.errors import LeafletError
from counsel.leaflet.options import PAPERS, LeafletOptions, Paper

__all__ = [
    "PAPERS",
    "LeafletError",
    "LeafletOptions",
    "Paper",
    "check_output_paths",
    "render_leaflet_html",
    "render_leaflet_pdf",
    "warm_up",
    "warm_up_html",
    "write_leaflet",
]


def render_leaflet_html(result: Counselling, options: LeafletOptions, *, today: date) -> str:
    """The leaflet as HTML: the markup the PDF is made from, linking its stylesheets."""
    from counsel.leaflet.render import leaflet_html, standalone_html

    view, html = leaflet_html(result, options, today=today)
    return standalone_html(html, view)


def render_leaflet_pdf(result: Counselling, options: LeafletOptions, *, today: date) -> bytes:
    """The leaflet as tagged PDF bytes (PDF/UA-1)."""
    from counsel.leaflet.render import leaflet_pdf

    return leaflet_pdf(result, options, today=today)[2]


def check_output_paths(out: Path, html_out: Path | None = None, *,
                       names: tuple[str, str] = ("output", "html")) -> None:
    """Fail early, with one line naming the option, if the outputs cannot be written."""
    from counsel.leaflet.output import check_target

    check_target(out, suffixes=(".pdf",), option=names[0])
    if html_out is not None:
        check_target(html_out, suffixes=(".html", ".htm"), option=names[1])
        if html_out.resolve() == out.resolve():
            raise LeafletError(f"{names[1]}: must be a different file from the PDF")


def write_leaflet(result: Counselling, options: LeafletOptions, out: Path, *, today: date,
                  html_out: Path | None = None) -> bytes:
    """Render and write the PDF (and optionally the HTML) atomically; returns the PDF bytes.

    Nothing is written unless the whole render succeeds.
    """
    from counsel.leaflet.output import write_atomic
    from counsel.leaflet.render import leaflet_pdf, standalone_html

    check_output_paths(out, html_out)
    view, html, pdf = leaflet_pdf(result, options, today=today)
    write_atomic(out, pdf)
    if html_out is not None:
        write_atomic(html_out, standalone_html(html, view).encode("utf-8"))
    return pdf


def warm_up() -> None:
    """Import WeasyPrint, render a tiny page, then warm_up_html().

    Takes about a second: the GUI without its leaflet helper (services/render_process.py) runs
    it in a worker thread, the benchmarks in their worker processes."""
    from counsel.leaflet.pdf import warm_up as pdf_warm_up

    pdf_warm_up()  # first: it is the slow part; the rest (template, Babel data) ~40 ms
    warm_up_html()


def warm_up_html() -> None:
    """The HTML side of the first leaflet: the compiled template, Babel's locale data and the
    bundled fonts' coverage. The installed fonts' coverage (fc-list, ~0.25 s) is left to the first
    name the bundled fonts cannot print, so it never delays the first preview of an ordinary case."""
    from counsel.leaflet.environment import prime
    from counsel.leaflet.fonts import bundled_coverage

    prime()
    bundled_coverage()
