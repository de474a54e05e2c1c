"""The Jinja2 environment (autoescape on, StrictUndefined) and the one HTML render entry point."""

from __future__ import annotations

import dataclasses
import re
from functools import cache, lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from counsel import paths
from counsel.leaflet.errors import LeafletError
from counsel.leaflet.viewmodel import LeafletView

ICONS_DIR = paths.RESOURCES_DIR / "icons"
LEAFLET_TEMPLATE = "leaflet/base.html.j2"
_UNSAFE_SVG = re.compile(r"<script|href|url\(|<image|<foreignObject|\bon\w+=", re.IGNORECASE)


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
    )
    env.globals["icon"] = icon
    return env


@cache
def icon(name: str) -> Markup:
    """An icon's inline SVG (trusted project file): must carry a <title> and fetch nothing."""
    path = ICONS_DIR / f"{name}.svg"
    if not re.fullmatch(r"[a-z0-9_-]+", name) or not path.is_file():
        raise LeafletError(f"icon '{name}': no such file in resources/icons")
    svg = path.read_text(encoding="utf-8").strip()
    if "<title>" not in svg:
        raise LeafletError(f"resources/icons/{name}.svg: needs a <title> (the icon's alt text)")
    if _UNSAFE_SVG.search(svg):
        raise LeafletError(f"resources/icons/{name}.svg: must not link, fetch or script anything")
    return Markup(svg)  # a vetted project file, never user data


def icon_names() -> list[str]:
    return sorted(p.stem for p in Path(ICONS_DIR).glob("*.svg"))


def render_html(view: LeafletView) -> str:
    """The leaflet's HTML. Every value is autoescaped: patient data prints literally."""
    template = environment().get_template(LEAFLET_TEMPLATE)
    fields = {f.name: getattr(view, f.name) for f in dataclasses.fields(view)}
    return template.render(**fields)
