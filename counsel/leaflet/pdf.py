"""HTML -> tagged PDF with WeasyPrint (imported lazily: it costs about a second to import).

The fonts, stylesheets and the font configuration are built once per process and reused, so
a warm render only lays out and writes the document.
"""

from __future__ import annotations

import dataclasses
import logging
import shutil
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from counsel import paths
from counsel.leaflet.options import Paper

CSS_DIR = paths.RESOURCES_DIR / "css"
# Letter is 18 mm shorter than A4 (and 6 mm wider): slimmer top and bottom margins keep the
# page count for most cases; the text stays the same size.
PAGE_RULES: dict[str, str] = {
    "a4": "size: A4;",
    "letter": "size: letter; margin-top: 10mm; margin-bottom: 18mm;",
}
PDF_VARIANT = "pdf/ua-1"  # tagged PDF (PDF/UA-1): structure tree, /Lang, title shown
_LOCK = threading.Lock()  # WeasyPrint's caches are not documented as thread-safe
# Parsed images (the icons under resources/icons/, fetched by URL) kept between renders: the
# files are project resources that do not change while the app runs. Used under _LOCK only.
_IMAGE_CACHE: dict[str, Any] = {}


@dataclass(frozen=True)
class _Engine:
    weasyprint: Any
    font_config: Any
    fetcher: Any
    base: tuple[Any, ...]  # fonts.css + leaflet.css

    def css(self, name: str) -> Any:
        return self.weasyprint.CSS(filename=str(CSS_DIR / name), font_config=self.font_config,
                                   url_fetcher=self.fetcher)


@lru_cache(maxsize=1)
def _engine() -> _Engine:
    from counsel.leaflet.weasy import import_weasyprint

    weasyprint = import_weasyprint()  # before anything else imports it: no helper processes
    from weasyprint.text.fonts import FontConfiguration

    from counsel.leaflet.fetcher import ResourceFetcher

    font_config = FontConfiguration()
    fetcher = ResourceFetcher(paths.RESOURCES_DIR)
    engine = _Engine(weasyprint, font_config, fetcher, ())
    return dataclasses.replace(engine, base=(engine.css("fonts.css"), engine.css("leaflet.css")))


@lru_cache(maxsize=2)
def _extra_css(name: str) -> Any:
    """Large print and training sheets: parsed on first use, not by every process (~6 ms)."""
    return _engine().css(name)


@lru_cache(maxsize=4)
def _page_css(paper: Paper) -> Any:
    eng = _engine()
    return eng.weasyprint.CSS(string=f"@page {{ {PAGE_RULES[paper]} }}",
                              font_config=eng.font_config, url_fetcher=eng.fetcher)


def stylesheet_files(*, large_print: bool, training: bool) -> list[Path]:
    """The CSS files of a leaflet, in cascade order (the page size is added by the renderer)."""
    names = ["fonts.css", "leaflet.css"]
    if large_print:
        names.append("leaflet-large.css")
    if training:
        names.append("leaflet-training.css")
    return [CSS_DIR / n for n in names]


def stylesheets(*, paper: Paper, large_print: bool, training: bool) -> list[Any]:
    eng = _engine()
    sheets = [*eng.base, _page_css(paper)]
    if large_print:
        sheets.append(_extra_css("leaflet-large.css"))
    if training:
        sheets.append(_extra_css("leaflet-training.css"))
    return sheets


def html_to_pdf(html: str, *, paper: Paper, large_print: bool, training: bool) -> bytes:
    """Lay out and write the PDF; all resources come through the resources-only fetcher."""
    with _LOCK:
        eng = _engine()
        doc = eng.weasyprint.HTML(string=html, base_url=str(paths.RESOURCES_DIR) + "/",
                                  url_fetcher=eng.fetcher)
        pdf: bytes = doc.write_pdf(
            stylesheets=stylesheets(paper=paper, large_print=large_print, training=training),
            font_config=eng.font_config,
            pdf_variant=PDF_VARIANT,
            attachments=[],
            cache=_IMAGE_CACHE,
        )
    return pdf


def warm_up() -> None:
    """Import WeasyPrint, load the fonts and render a tiny page (call off the GUI thread)."""
    html_to_pdf('<html lang="en"><head><title>warm-up</title></head><body><p>Baclofen '
                '<strong>10 mg</strong></p></body></html>',
                paper="a4", large_print=False, training=False)


def release_fonts() -> None:
    """Delete WeasyPrint's temporary font folder now (a batch worker about to exit).

    FontConfiguration deletes it in __del__, which never runs in a terminated process and is not
    guaranteed at interpreter exit. The engine is rebuilt if this process renders again."""
    with _LOCK:
        if not _engine.cache_info().currsize:
            return
        folder = getattr(_engine().font_config, "_folder", None)  # WeasyPrint's own attribute
        _page_css.cache_clear()
        _extra_css.cache_clear()
        _engine.cache_clear()
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def quiet_weasyprint_logs() -> None:
    """WeasyPrint logs blocked URLs at ERROR level with the URL; keep them out of user output."""
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
