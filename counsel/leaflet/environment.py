"""The Jinja2 environment (autoescape on, StrictUndefined) and the one HTML render entry point."""

from __future__ import annotations

import contextlib
import dataclasses
import re
from functools import cache, lru_cache
from pathlib import Path

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)
from jinja2.bccache import Bucket
from markupsafe import Markup

from counsel import paths
from counsel.cache_dir import cache_dir
from counsel.leaflet.errors import LeafletError
from counsel.leaflet.viewmodel import LeafletView

ICONS_DIR = paths.RESOURCES_DIR / "icons"
LEAFLET_TEMPLATE = "leaflet/base.html.j2"
_UNSAFE_SVG = re.compile(r"<script|href|url\(|<image|<foreignObject|\bon\w+=", re.IGNORECASE)


class TemplateCache(FileSystemBytecodeCache):
    """Compiled templates kept between runs (~20 ms of every cold render).

    Jinja2 stores a checksum of each template's source (and the Python version) with its
    bytecode and recompiles when either differs, so an edited template is never served stale.
    The cache is an optimisation only: a folder that cannot be written, or a damaged file, just
    means compiling as before. Templates are project files: no patient data is ever cached.
    """

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a truncated or damaged file: compile instead
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # read-only or full disk: next run compiles again
            super().dump_bytecode(bucket)


def template_cache() -> TemplateCache | None:
    """The user cache folder's template cache ($COUNSEL_CACHE_DIR overrides; "0" turns it off)."""
    folder = cache_dir("templates")
    return TemplateCache(str(folder)) if folder is not None else None


def prime() -> None:
    """Do the first-render work now (the GUI warm-up, off the UI thread), not in the first preview:
    load (from the cache) or compile the leaflet template, and load Babel's locale data for both
    regions (~15 ms each the first time). A fixed date: no clock is read here."""
    from datetime import date

    from counsel.leaflet.formatting import clock_time, leaflet_locale, long_date, short_date

    env = environment()
    for name in env.list_templates(filter_func=lambda n: n.startswith("leaflet/")):
        env.get_template(name)  # the partials too: they are loaded at render time otherwise
    for region in ("us", "uk"):
        loc = leaflet_locale("en", region)
        long_date(date(2000, 1, 3), loc)
        short_date(date(2000, 1, 3), loc)
        clock_time("08:00", loc)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """One cached environment. Note: the default select_autoescape() does NOT cover .html.j2."""
    env = Environment(
        loader=FileSystemLoader(str(paths.TEMPLATES_DIR)),
        autoescape=select_autoescape(enabled_extensions=("html", "htm", "xml", "html.j2"),
                                     default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        bytecode_cache=template_cache(),
    )
    env.globals["icon"] = icon
    return env


@cache
def icon(name: str) -> Markup:
    """An icon as an <img> of its SVG file (trusted project file), with the SVG's <title> as alt.

    An <img> rather than inline SVG: WeasyPrint parses each image URL once and keeps it in the
    image cache between renders (counsel.leaflet.pdf), where inline SVG was parsed and laid out
    again at every use (about 50 ms of a 300 ms render with the pictograms). The <title> still
    becomes the alt text in the tagged PDF. The file must carry a <title> and fetch nothing.
    """
    path = ICONS_DIR / f"{name}.svg"
    if not re.fullmatch(r"[a-z0-9_-]+", name) or not path.is_file():
        raise LeafletError(f"icon '{name}': no such file in resources/icons")
    svg = path.read_text(encoding="utf-8").strip()
    title = re.search(r"<title>([^<]+)</title>", svg)
    if title is None:
        raise LeafletError(f"resources/icons/{name}.svg: needs a <title> (the icon's alt text)")
    if _UNSAFE_SVG.search(svg):
        raise LeafletError(f"resources/icons/{name}.svg: must not link, fetch or script anything")
    # A vetted project file and its own title, never user data.
    return Markup('<img class="icon" src="icons/{}.svg" alt="{}">').format(name, title[1])


def icon_names() -> list[str]:
    return sorted(p.stem for p in Path(ICONS_DIR).glob("*.svg"))


def render_html(view: LeafletView) -> str:
    """The leaflet's HTML. Every value is autoescaped: patient data prints literally."""
    template = environment().get_template(LEAFLET_TEMPLATE)
    fields = {f.name: getattr(view, f.name) for f in dataclasses.fields(view)}
    return template.render(**fields)
