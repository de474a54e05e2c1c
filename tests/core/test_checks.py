"""Every safety warning code: triggered by the case that should trigger it, absent otherwise."""

from __future__ import annotations

import pytest

from tests.conftest import counsel_for


def codes(result):
    return [w.code for w in result.warnings]


def test_a_plain_case_has_no_warnings():
    assert codes(counsel_for()) == []


CASES = [
    ("MAX_DAILY_DOSE", {"prescription": {"dose_mg": 30, "times_per_day": 3}}),
    ("MAX_DAILY_DOSE", {"region": "uk", "prescription": {"dose_mg": 40, "times_per_day": 3}}),
    ("DOSE_NOT_MEASURABLE", {"prescription": {"dose_mg": 7}}),
    ("DOSE_NOT_MEASURABLE", {"prescription": {"form": "granules", "strength": "10 mg",
                                              "dose_mg": 5}}),
    ("CHILD_NOT_ESTABLISHED", {"patient": {"age": 10, "weight_kg": 30}}),
    ("CHILD_DOSE_CAP", {"region": "uk", "patient": {"age": 7, "weight_kg": 25},
                        "prescription": {"dose_mg": 15, "times_per_day": 3}}),
    ("CHILD_DOSE_CAP", {"region": "uk", "patient": {"age": 14, "weight_kg": 50},
                        "prescription": {"dose_mg": 25, "times_per_day": 3}}),
    ("CHILD_WEIGHT_MISSING", {"region": "uk", "patient": {"age": 10}}),
    ("CHILD_TABLETS_UNDER_WEIGHT", {"region": "uk", "patient": {"age": 8, "weight_kg": 25},
                                    "prescription": {"dose_mg": 5}}),
    ("PRODUCT_NOT_LISTED", {"region": "uk", "prescription": {"strength": "20 mg"}}),
    ("PRODUCT_NOT_LISTED", {"region": "uk", "prescription": {
        "form": "oral_suspension", "strength": "25 mg/5 mL"}}),
    ("LIQUID_CONCENTRATION", {"prescription": {"form": "oral_solution", "strength": "5 mg/5 mL"}}),
    ("KIDNEY_IMPAIRMENT", {"patient": {"kidney_function": "moderate"}}),
    ("KIDNEY_IMPAIRMENT", {"patient": {"crcl_ml_min": 60}}),
    ("PREGNANCY", {"patient": {"pregnant": True}}),
    ("BREASTFEEDING", {"patient": {"breastfeeding": True}}),
    ("OFF_LABEL_USE", {"prescription": {"indication": "hiccups"}}),
    ("STOP_WITHOUT_TAPER", {"prescription": {"plan": "stop"}}),
    ("TITRATION_FASTER_THAN_LABEL", {"prescription": {"dose_mg": 5, "titration": {
        "step_mg": 5, "every_days": 1, "target_dose_mg": 15}}}),
    ("TAPER_TOO_FAST", {"prescription": {"plan": "stop", "taper": {"step_mg": 5,
                                                                   "every_days": 2}}}),
    ("INTERACTION_OPIOID", {"patient": {"other_medicines": ["tramadol"]}}),
    ("INTERACTION_LITHIUM", {"patient": {"other_medicines": ["Priadel"]}}),
    ("UNRECOGNISED_MEDICINE", {"patient": {"other_medicines": ["mystery pills"]}}),
]


@pytest.mark.parametrize(("code", "changes"), CASES, ids=[c[0] for c in CASES])
def test_warning_code_is_raised(code, changes):
    result = counsel_for(**changes)
    assert code in codes(result)
    warning = next(w for w in result.warnings if w.code == code)
    assert warning.message and "\n" not in warning.message
    assert warning.field


def test_child_cap_not_raised_within_the_cap():
    result = counsel_for(region="uk", patient={"age": 7, "weight_kg": 25},
                         prescription={"form": "oral_solution", "strength": "5 mg/5 mL",
                                       "dose_mg": 10, "times_per_day": 4})
    assert "CHILD_DOSE_CAP" not in codes(result)
    assert "CHILD_NOT_ESTABLISHED" not in codes(result)  # UK licenses it for children


def test_half_tablets_are_fine_quarter_tablets_are_not():
    assert "DOSE_NOT_MEASURABLE" not in codes(counsel_for(prescription={"dose_mg": 5}))
    assert "DOSE_NOT_MEASURABLE" in codes(counsel_for(prescription={"dose_mg": 2.5}))


def test_liquid_warning_gives_mg_and_ml_and_names_the_other_strengths():
    result = counsel_for(prescription={"form": "oral_solution", "strength": "10 mg/5 mL",
                                       "dose_mg": 5})
    message = next(w.message for w in result.warnings if w.code == "LIQUID_CONCENTRATION")
    assert "10 mg in 5 mL" in message and "5 mg is 2.5 mL" in message
    assert "5 mg/5 mL" in message and "25 mg/5 mL" in message


def test_kidney_warning_never_suggests_a_dose():
    message = next(w.message for w in counsel_for(patient={"kidney_function": "mild"}).warnings)
    assert "lower dose may be needed" in message
    assert " mg" not in message


def test_unacknowledged_filters_by_code():
    result = counsel_for(patient={"pregnant": True, "other_medicines": ["tramadol"]})
    assert [w.code for w in result.unacknowledged({"PREGNANCY"})] == ["INTERACTION_OPIOID"]
    assert result.unacknowledged({"PREGNANCY", "INTERACTION_OPIOID"}) == []
