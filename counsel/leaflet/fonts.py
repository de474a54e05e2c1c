"""Glyph coverage: find characters no font can print, BEFORE rendering (tofu is invisible to
text extraction, so it must be caught here).

A character is printable when the bundled leaflet fonts have it (declared in fonts.css and
really in the file: WeasyPrint believes the declared unicode-range) or any font fontconfig
knows has it (Pango falls back per glyph). Private-use and unassigned code points are always
reported: they have no agreed glyph even if some font happens to map them.
"""

from __future__ import annotations

import bisect
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from counsel import paths

FONTS_CSS = paths.RESOURCES_DIR / "css" / "fonts.css"
_FACE_RE = re.compile(r"@font-face\s*{(.*?)}", re.DOTALL)
_SRC_RE = re.compile(r'url\("\.\./fonts/([^"]+)"\)')
_RANGE_RE = re.compile(r"unicode-range:\s*([^;]+);")
_ALWAYS_MISSING = {"Co", "Cn", "Cs"}  # private use, unassigned, surrogate
_NO_GLYPH_NEEDED = {"Cc", "Cf", "Zl", "Zp"}  # controls, format marks (ZWJ, bidi), separators


@dataclass(frozen=True)
class MissingGlyph:
    """A character in `field` that would print as an empty box."""

    field: str
    char: str

    @property
    def code(self) -> str:
        return f"U+{ord(self.char):04X}"

    def describe(self) -> str:
        name = unicodedata.name(self.char, "unassigned or private-use character")
        return f"{self.code} ({name.lower()})"


def _parse_ranges(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for part in text.replace(",", " ").split():
        part = part.strip().upper().removeprefix("U+")
        lo, _, hi = part.partition("-")
        out.append((int(lo, 16), int(hi or lo, 16)))
    return out


@lru_cache(maxsize=1)
def bundled_coverage() -> frozenset[int]:
    """Code points the bundled fonts print: declared unicode-range AND present in the cmap."""
    covered: set[int] = set()
    css = FONTS_CSS.read_text(encoding="utf-8")
    for face in _FACE_RE.findall(css):
        src, ranges = _SRC_RE.search(face), _RANGE_RE.search(face)
        if not src or not ranges:
            continue
        font = TTFont(str(paths.FONTS_DIR / src.group(1)), lazy=True)
        cmap = set(font.getBestCmap() or {})
        font.close()
        for lo, hi in _parse_ranges(ranges.group(1)):
            covered.update(cp for cp in range(lo, hi + 1) if cp in cmap)
    return frozenset(covered)


@lru_cache(maxsize=1)
def system_coverage() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Merged (starts, ends) of every installed font's charset, from `fc-list` (run once)."""
    exe = shutil.which("fc-list")
    if exe is None:
        return (), ()
    try:
        out = subprocess.run([exe, "--format", "%{charset}\n"], capture_output=True, text=True,
                             timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return (), ()
    spans = sorted(r for line in out.splitlines() if line.strip() for r in _parse_ranges(line))
    merged: list[list[int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return tuple(m[0] for m in merged), tuple(m[1] for m in merged)


def _system_has(cp: int) -> bool:
    starts, ends = system_coverage()
    i = bisect.bisect_right(starts, cp) - 1
    return i >= 0 and cp <= ends[i]


@lru_cache(maxsize=4096)
def printable(char: str) -> bool:
    """Whether some font can draw `char` (characters that need no glyph count as printable)."""
    category = unicodedata.category(char)
    if category in _ALWAYS_MISSING:
        return False
    if category in _NO_GLYPH_NEEDED or char.isspace():
        return True
    cp = ord(char)
    return cp in bundled_coverage() or _system_has(cp)


def missing_glyphs(fields: Iterable[tuple[str, str]]) -> list[MissingGlyph]:
    """Every (field, character) that would print as a box; each character reported once."""
    found: list[MissingGlyph] = []
    seen: set[str] = set()
    for field, text in fields:
        for ch in text:
            if ch not in seen and not printable(ch):
                seen.add(ch)
                found.append(MissingGlyph(field, ch))
    return found
