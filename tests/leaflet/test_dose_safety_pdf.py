"""Issue 9 read back from the PDF: the leaflet never rounds, splits or suggests a dose.

Four leaflets a pharmacist would check: an 81-year-old on dialysis, a UK 2-year-old on the liquid,
a taper, and a granules case (plus the 0.25 mL suspension dose from the issue).
"""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from counsel.leaflet.render import leaflet_pdf
from counsel.services.leaflet import LeafletOptions
from tests.conftest import TODAY, counsel_for
from tests.leaflet.conftest import flat

pytestmark = pytest.mark.pdf

RANGES = re.compile(r"most people need|40 (and|to) 80 mg|60 mg a day or less|1 hour before a task",
                    re.I)
ROUNDED = re.compile(r"\b0\.2 mL\b|\b1\.5 packets\b|1½ packets|\b0\.25 tablets?\b|"
                     r"\d\.\d+ (tablets?|packets?)\b")

CASES = {
    "dialysis-81": {"region": "uk", "patient": {"name": "Edith Moss", "age": 81, "sex": "female",
                                                "kidney_function": "dialysis"},
                    "prescription": {"dose_mg": 5, "times_per_day": 3}},
    "uk-2-year-old": {"region": "uk", "patient": {"name": "Sam Lee", "age": 2, "weight_kg": 12,
                                                  "sex": "male"},
                      "prescription": {"form": "oral_solution", "strength": "5 mg/5 mL",
                                       "dose_mg": 10, "times_per_day": 4}},
    "taper": {"region": "us", "prescription": {"dose_mg": 20, "times_per_day": 4, "plan": "stop",
                                               "taper": {"step_mg": 15, "every_days": 4}}},
    "granules": {"region": "us", "prescription": {"form": "granules", "strength": "5 mg",
                                                  "dose_mg": 7.5, "times_per_day": 3}},
    "suspension": {"region": "us", "patient": {"age": 14, "weight_kg": 45},
                   "prescription": {"form": "oral_suspension", "strength": "25 mg/5 mL",
                                    "dose_mg": 1.25, "times_per_day": 3}},
}


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    out: dict[str, str] = {}
    for name, changes in CASES.items():
        _, _, pdf = leaflet_pdf(counsel_for(**changes), LeafletOptions(), today=TODAY)
        out[name] = flat(" ".join(p.extract_text() or "" for p in PdfReader(BytesIO(pdf)).pages))
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_no_leaflet_prints_a_rounded_or_split_amount_or_a_population_range(texts, name):
    assert not ROUNDED.search(texts[name]), ROUNDED.search(texts[name])
    assert not RANGES.search(texts[name]), RANGES.search(texts[name])


def test_suspension_dose_prints_its_exact_volume(texts):
    assert "0.25 mL" in texts["suspension"]
    assert "ask your pharmacist how to measure this dose" not in texts["suspension"]


def test_granules_that_cannot_be_measured_print_the_mg_and_ask_the_pharmacist(texts):
    text = texts["granules"]
    assert "7.5 mg" in text and "ask your pharmacist how to measure this dose" in text


def test_taper_calendar_prints_each_step_in_whole_or_half_tablets(texts):
    text = texts["taper"]
    assert "2 tablets" in text and "½ tablet" in text and "stop" in text.lower()


def test_child_liquid_prints_the_whole_volume(texts):
    assert "10 mL" in texts["uk-2-year-old"]
