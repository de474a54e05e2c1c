"""The case file: valid examples load, and every kind of bad input is one clear line naming the field."""

from __future__ import annotations

import json
from typing import Any

import pytest

from counsel import paths
from counsel.core.case import case_json_schema, load_case, parse_case
from counsel.core.errors import CaseError
from counsel.core.facts import kidney_category
from tests.conftest import EXAMPLES, TODAY, make_data


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_case_loads(path):
    case = load_case(path, today=TODAY)
    assert case.prescription.drug == "baclofen"


def test_there_are_at_least_six_examples():
    assert len(EXAMPLES) >= 6


def test_defaults_are_filled_in():
    case = parse_case(
        {"patient": {"age": 50},
         "prescription": {"drug": "Baclofen", "strength": "10 mg", "dose_mg": 5,
                          "times_per_day": 3}},
        today=TODAY,
    )
    assert case.region == "us"
    assert case.patient.sex == "unknown"
    assert case.patient.other_medicines == []
    assert case.prescription.drug == "baclofen"
    assert case.prescription.start_date == TODAY
    assert case.prescription.times == ("08:00", "14:00", "20:00")


BAD_INPUTS: list[tuple[dict[str, Any], str, str]] = [
    (make_data(patient={"age": -5}), "patient.age", "greater than or equal to 0"),
    (make_data(patient={"age": "old"}), "patient.age", "valid integer"),
    (make_data(prescription={"dose_mg": "abc"}), "prescription.dose_mg", "valid number"),
    (make_data(prescription={"start_date": "2026-02-30"}), "prescription.start_date", "date"),
    (make_data(patient={"sex": "male", "pregnant": True}), "patient.pregnant", "male"),
    (make_data(patient={"sex": "male", "breastfeeding": True}), "patient.breastfeeding", "male"),
    (make_data(patient={"shoe_size": 9}), "patient.shoe_size", "unknown field"),
    (make_data(colour="red"), "colour", "unknown field"),
    (make_data(patient={"drives": "often"}), "patient.drives", "boolean"),
    (make_data(patient={"kidney_function": "bad"}), "patient.kidney_function", "'normal'"),
    (make_data(region="fr"), "region", "'us' or 'uk'"),
    (make_data(prescription={"form": "patch"}), "prescription.form", "'tablet'"),
    (make_data(prescription={"strength": "ten"}), "prescription.strength", "not a strength"),
    (make_data(prescription={"strength": "5 mg/5 mL"}), "prescription.strength", "mg per unit"),
    (make_data(prescription={"form": "oral_solution"}), "prescription.strength", "mg per mL"),
    (make_data(prescription={"dose_mg": 0}), "prescription.dose_mg", "greater than 0"),
    (make_data(prescription={"dose_mg": None}), "prescription.dose_mg", "missing"),
    (make_data(prescription={"dose_times": ["08:00", "25:00", "20:00"]}),
     "prescription.dose_times", "not a time"),
    (make_data(prescription={"dose_times": ["08:00", "20:00"]}), "prescription.dose_times",
     "times_per_day is 3"),
    (make_data(prescription={"plan": "start", "taper": {"step_mg": 5, "every_days": 3}}),
     "prescription.taper", "plan is start"),
    (make_data(prescription={"titration": {"step_mg": 5, "every_days": 3, "target_dose_mg": 5}}),
     "prescription.titration.target_dose_mg", "more than dose_mg"),
    (make_data(prescription={"titration": {"step_mg": 5, "every_days": 3, "target_dose_mg": 20},
                             "taper": {"step_mg": 5, "every_days": 3}}),
     "prescription.taper", "not both"),
    (make_data(patient={"crcl_ml_min": -1}), "patient.crcl_ml_min", "greater than or equal"),
    (make_data(patient={"other_medicines": ["  "]}), "patient.other_medicines", "blank"),
    (make_data(patient={"language": "English!"}), "patient.language", "pattern"),
    ({"patient": {"age": 40}}, "prescription", "missing"),
]


@pytest.mark.parametrize(("data", "field", "fragment"), BAD_INPUTS,
                         ids=[f"{i}-{b[1]}" for i, b in enumerate(BAD_INPUTS)])
def test_bad_input_is_one_line_naming_the_field(data, field, fragment, write_case):
    path = write_case(data)
    with pytest.raises(CaseError) as info:
        load_case(path, today=TODAY)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"case.json: {field}: "), message
    assert fragment in message


def test_not_json_names_line_and_column(write_case):
    path = write_case('{"region": "us",\n "patient": }')
    with pytest.raises(CaseError, match=r"case.json: not valid JSON \(line 2, column 13: Expecting value"):
        load_case(path, today=TODAY)


def test_missing_file(tmp_path):
    with pytest.raises(CaseError, match=r"nope\.json: file not found"):
        load_case(tmp_path / "nope.json", today=TODAY)


def test_top_level_must_be_object(write_case):
    with pytest.raises(CaseError, match="must be a JSON object"):
        load_case(write_case([1, 2]), today=TODAY)


@pytest.mark.parametrize(
    ("given", "crcl", "expected"),
    [("unknown", None, "unknown"), ("normal", 90, "normal"), ("normal", 80, "normal"),
     ("normal", 79.9, "mild"), ("unknown", 50, "mild"), ("normal", 49, "moderate"),
     ("mild", 30, "moderate"), ("normal", 29, "severe"), ("dialysis", 8, "dialysis"),
     ("severe", None, "severe")],
)
def test_crcl_decides_the_kidney_category(given, crcl, expected):
    assert kidney_category(given, crcl) == expected


def test_published_schema_matches_the_model():
    published = json.loads(paths.CASE_SCHEMA_FILE.read_text(encoding="utf-8"))
    assert published == case_json_schema(), "run: python scripts/write_case_schema.py"
