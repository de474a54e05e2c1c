"""Reading level: every example leaflet's patient-facing text is at or below US grade 8."""

from __future__ import annotations

import pytest

from counsel.leaflet.options import LeafletOptions
from counsel.leaflet.readability import MAX_GRADE, grade, leaflet_grade, prose
from counsel.leaflet.viewmodel import build_view
from counsel.services.casework import counsel_file
from tests.conftest import EXAMPLES, TODAY


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_leaflet_reading_grade(path) -> None:  # type: ignore[no-untyped-def]
    view = build_view(counsel_file(path, today=TODAY), LeafletOptions(), today=TODAY)
    assert leaflet_grade(view) <= MAX_GRADE


def test_prose_is_what_prints_and_skips_ids_and_tables() -> None:
    path = next(p for p in EXAMPLES if p.stem == "standard-adult-start")
    view = build_view(counsel_file(path, today=TODAY), LeafletOptions(), today=TODAY)
    text = prose(view)
    assert "Your doses." in text and "Important: read this first." in text  # fixed headings count
    assert any(s.startswith("Do not stop taking baclofen suddenly") for s in text)
    assert "side_effects." not in text and "Maria Lopez." not in text
    assert "Morning." not in text and "5 mg." not in text  # timetable cells are not sentences


def test_grade_measures_difficulty() -> None:
    easy = "Take one tablet. Do not drink. Call us if you feel ill."
    hard = ("Concomitant administration of centrally acting depressants potentiates "
            "pharmacodynamic sedation, necessitating individualised titration.")
    assert grade(easy) < 4 < MAX_GRADE < grade(hard)
