"""A titration whose calendar has already reached its target prints the target dose (found by the
fuzz test: it used to stop the render with an AssertionError once the build-up had ended)."""

from __future__ import annotations

from datetime import timedelta

from counsel import paths
from counsel.core.case import load_case
from counsel.core.content import default_catalog
from counsel.core.rules import counsel_case
from counsel.leaflet.render import leaflet_html
from counsel.services.leaflet import LeafletOptions
from tests.conftest import TODAY


def test_a_titration_past_its_target_prints_the_target_dose_and_no_build_up():
    case = load_case(paths.EXAMPLES_DIR / "driver-who-drinks.json", today=TODAY)
    result = counsel_case(case, default_catalog())
    first, last = result.schedule[0], result.schedule[-1]
    assert last.end is None and last.dose_mg > first.dose_mg

    _, html = leaflet_html(result, LeafletOptions(), today=last.start + timedelta(days=30))
    assert "these doses every day." in html
    assert "After that, the dose goes up" not in html
    assert f"{last.dose_mg:g} mg" in html

    # During the build-up the leaflet still leads with the step in force and what comes after.
    _, html = leaflet_html(result, LeafletOptions(), today=first.start)
    assert "After that, the dose goes up step by step." in html
