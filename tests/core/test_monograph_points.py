"""Content 1.1.0 (issue 9, facts §11): the missing points reach the patients they apply to and no
others; US and UK leaflets use their own words; urgent lines name who to call; dose ranges stay
with the pharmacist."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from counsel import paths
from counsel.core.content import load_catalog
from counsel.core.errors import ContentError
from counsel.core.rules import Counselling
from counsel.leaflet.options import LeafletOptions
from counsel.leaflet.readability import TARGET_GRADE, leaflet_grade, prose
from counsel.leaflet.viewmodel import LeafletView, build_view
from tests.conftest import TODAY, counsel_for

PUMP = {"form": "intrathecal", "strength": "500 mcg/mL", "dose_mg": None, "times_per_day": None}


def ids(result: Counselling) -> set[str]:
    return set(result.point_ids())


def point(result: Counselling, pid: str):  # type: ignore[no-untyped-def]
    return next(p for p in result.points if p.id == pid)


def text(result: Counselling, pid: str) -> str:
    return " ".join(point(result, pid).patient_text)


def view(result: Counselling) -> LeafletView:
    return build_view(result, LeafletOptions(), today=TODAY)


def printed(result: Counselling) -> str:
    return " ".join(prose(view(result)))


def key_titles(result: Counselling) -> list[str]:
    return [i.title for i in view(result).key_warnings]


# ---------------------------------------------------------------- falls
def test_falls_point_for_everyone_names_night_first_doses_and_dose_rises():
    result = counsel_for()
    assert "falls" in ids(result) and "falls_high_risk" not in ids(result)
    words = text(result, "falls")
    assert "fall" in words
    assert "at night" in words and "first days" in words and "dose goes up" in words
    assert not point(result, "falls").point.critical


@pytest.mark.parametrize("patient", [
    {"age": 65}, {"age": 81},
    {"other_medicines": ["amlodipine"]}, {"other_medicines": ["tamsulosin"]},
    {"other_medicines": ["zopiclone"]}, {"other_medicines": ["morphine"]},
    {"other_medicines": ["pregabalin"]}, {"other_medicines": ["Advil PM"]},
])
def test_falls_are_critical_and_a_key_warning_when_older_or_on_bp_or_sedative(patient):
    result = counsel_for(patient=patient)
    assert "falls_high_risk" in ids(result) and "falls" not in ids(result)
    assert point(result, "falls_high_risk").point.critical
    assert "Falls: take extra care" in key_titles(result)


@pytest.mark.parametrize("patient", [{"age": 64}, {"other_medicines": ["sertraline"]},
                                     {"other_medicines": ["ibuprofen gel"]}])
def test_falls_not_critical_without_a_risk_factor(patient):
    result = counsel_for(patient=patient)
    assert "falls_high_risk" not in ids(result) and "falls" in ids(result)


# ---------------------------------------------------------------- kidneys
@pytest.mark.parametrize("patient", [{"kidney_function": "dialysis"},
                                     {"kidney_function": "severe"},
                                     {"kidney_function": "unknown", "egfr": 22}])
def test_severe_kidney_or_dialysis_gets_toxicity_signs_in_the_key_warnings(patient):
    result = counsel_for(patient={"age": 81, **patient})
    assert "kidney_toxicity_signs" in ids(result) and "kidney_signs" not in ids(result)
    p = point(result, "kidney_toxicity_signs")
    assert p.point.critical and p.point.key_warning
    words = " ".join(p.patient_text)
    for sign in ("new sleepiness", "confusion", "jerky movements", "throwing up"):
        assert sign in words
    assert "sick day" in words.lower() and "diarrhoea" in words
    assert "call your doctor straight away" in words.lower() and "call 911" in words
    assert "Kidneys: signs baclofen is building up" in key_titles(result)


@pytest.mark.parametrize("kidney", ["mild", "moderate"])
def test_mild_or_moderate_kidney_gets_the_sick_day_rule_with_the_same_urgency(kidney):
    result = counsel_for(patient={"kidney_function": kidney})
    assert "kidney_signs" in ids(result) and "kidney_toxicity_signs" not in ids(result)
    mild = point(result, "kidney_signs").patient_text
    severe = point(counsel_for(patient={"kidney_function": "dialysis"}),
                   "kidney_toxicity_signs").patient_text
    assert mild[1:] == severe[2:]  # the sick-day line and the contact line are word for word the same
    assert "Kidneys: signs baclofen is building up" not in key_titles(result)


def test_no_kidney_signs_when_kidneys_are_normal():
    result = counsel_for(patient={"kidney_function": "normal", "egfr": 95})
    assert not {"kidney_signs", "kidney_toxicity_signs", "kidney"} & ids(result)


def test_uk_kidney_signs_use_uk_words():
    words = text(counsel_for(region="uk", patient={"kidney_function": "dialysis"}),
                 "kidney_toxicity_signs")
    assert "being sick" in words and "call 999 or go to A&E" in words
    assert "throwing up" not in words and "911" not in words


# ---------------------------------------------------------------- misuse, self-harm
def test_misuse_and_dependence_as_the_uk_smpc_states_it():
    uk = counsel_for(region="uk")
    assert {"misuse_dependence", "mood_self_harm"} <= ids(uk)
    assert "misused" in text(uk, "misuse_dependence")
    assert "call your doctor straight away or call 999" in text(uk, "mood_self_harm")
    us = counsel_for()
    assert not {"misuse_dependence", "mood_self_harm"} & ids(us)
    assert "misuse_dependence" in ids(counsel_for(patient={"misuse_history": True}))
    assert "misuse_dependence" in ids(counsel_for(prescription={"indication": "alcohol_use_disorder"}))


# ---------------------------------------------------------------- get help now
@pytest.mark.parametrize("region", ["us", "uk"])
def test_get_help_now_lists_allergy_and_cannot_pass_urine(region):
    words = text(counsel_for(region=region), "side_effects_urgent")
    assert "allergic reaction" in words and "lips or tongue swell" in words
    assert "cannot pass urine" in words


def test_get_help_now_names_who_to_call_per_region():
    us = point(counsel_for(), "side_effects_urgent").patient_text[-1]
    assert "call 911 or go to the ER" in us and "Poison Help at 1-800-222-1222" in us
    uk = point(counsel_for(region="uk"), "side_effects_urgent").patient_text[-1]
    assert uk == "If any of these happen, call 999 or go to A&E."


# ---------------------------------------------------------------- breathing in sleep
@pytest.mark.parametrize("medicine", ["morphine", "zolpidem", "pregabalin", "quetiapine", "Xyrem",
                                      "Tylenol PM"])
def test_snoring_point_with_an_opioid_or_sedative(medicine):
    result = counsel_for(patient={"other_medicines": [medicine]})
    assert "sleep_breathing" in ids(result)
    assert "snore loudly" in text(result, "sleep_breathing")
    assert "stop breathing" in text(result, "sleep_breathing")


@pytest.mark.parametrize("medicines", [[], ["amlodipine"], ["sertraline", "ibuprofen"]])
def test_no_snoring_point_without_an_opioid_or_sedative(medicines):
    assert "sleep_breathing" not in ids(counsel_for(patient={"other_medicines": medicines}))


# ---------------------------------------------------------------- pump
def test_pump_card_mri_surgery_out_of_hours_and_dysreflexia():
    result = counsel_for(prescription=PUMP)
    assert {"pump_card_procedures", "pump_dysreflexia"} <= ids(result)
    card = text(result, "pump_card_procedures")
    assert "pump card" in card and "MRI" in card and "operation" in card
    assert "at night and at weekends" in card
    ad = text(result, "pump_dysreflexia")
    assert "autonomic dysreflexia" in ad and "early sign" in ad and "pump clinic" in ad
    printed_text = printed(result)
    assert "pump card" in printed_text and "MRI" in printed_text


def test_oral_patients_get_no_pump_points():
    assert not {"pump_card_procedures", "pump_dysreflexia"} & ids(counsel_for())


# ---------------------------------------------------------------- pharmacist-only points
def test_ovarian_cysts_is_a_pharmacist_prompt_for_women_only():
    woman = counsel_for(patient={"sex": "female"})
    assert "ovarian_cysts" in ids(woman)
    assert point(woman, "ovarian_cysts").point.pharmacist_only
    assert "ovarian" not in printed(woman).lower()
    assert "ovarian_cysts" not in ids(counsel_for(patient={"sex": "male"}))


@pytest.mark.parametrize("region", ["us", "uk"])
def test_population_dose_ranges_are_pharmacist_facing_only(region):
    result = counsel_for(region=region)
    prompt = point(result, "usual_dose_range").prompt
    assert ("between 40 and 80 mg a day" if region == "us" else "60 mg a day or less") in prompt
    leaflet = printed(result)
    for phrase in ("40 and 80", "40 to 80", "60 mg a day or less", "Most people need"):
        assert phrase not in leaflet
    assert "Most people need" not in text(result, "how_much_most")


# ---------------------------------------------------------------- UK product facts
def test_stroke_is_a_licensed_uk_use_and_the_help_less_line_is_us_only():
    uk = counsel_for(region="uk", patient={"conditions": ["stroke"]})
    assert "condition_stroke_uk" in ids(uk) and "condition_stroke" not in ids(uk)
    assert "help less" not in printed(uk)
    us = counsel_for(patient={"conditions": ["stroke"]})
    assert "condition_stroke" in ids(us) and "condition_stroke_uk" not in ids(us)
    assert "may help less" in printed(us)


@pytest.mark.parametrize(("changes", "allowed"), [
    ({}, True),
    ({"prescription": {"plan": "stop", "taper": {"step_mg": 5, "every_days": 7}}}, False),
    ({"patient": {"kidney_function": "moderate"}}, False),
    ({"patient": {"misuse_history": True}}, False),
    ({"prescription": {"indication": "hiccups"}}, False),
])
def test_task_timed_dose_only_on_a_stable_on_label_plan(changes, allowed):
    result = counsel_for(region="uk", **changes)
    assert ("task_timed_dose" in ids(result)) is allowed


# ---------------------------------------------------------------- words
RICH: dict[str, Any] = {
    "patient": {"age": 70, "sex": "female", "kidney_function": "moderate", "pregnant": False,
                "seizure_history": True, "conditions": ["bladder_problems", "stroke"],
                "other_medicines": ["morphine", "levodopa"]},
    "prescription": {"form": "tablet"},
}
US_ONLY = [r"\b911\b", r"\bER\b", r"throwing up", r"°F", r"1-800-222-1222"]
UK_ONLY = [r"\b999\b", r"A&E", r"being sick", r"\bfits?\b", r"midwife"]


@pytest.mark.parametrize("changes", [RICH, {"patient": {"pregnant": True, "age": 30}},
                                     {"prescription": PUMP}])
def test_us_and_uk_leaflets_use_their_own_words(changes):
    us = printed(counsel_for(region="us", **changes))
    uk = printed(counsel_for(region="uk", **changes))
    for pattern in UK_ONLY:
        assert not re.search(pattern, us), pattern
    for pattern in US_ONLY:
        assert not re.search(pattern, uk), pattern
    assert "muddled" not in us + uk
    assert not re.search(r"feeling sick(?! to your stomach)", us)


def test_temperatures_are_fahrenheit_with_celsius_in_the_us():
    assert "below 77 °F (25 °C)" in text(counsel_for(), "storage_tablet")
    assert "below 25 °C" in text(counsel_for(region="uk"), "storage_tablet")
    assert "°F" not in text(counsel_for(region="uk"), "storage_tablet")
    liquid = {"form": "oral_solution", "strength": "5 mg/5 mL"}
    assert "36 °F to 46 °F (2 °C to 8 °C)" in text(counsel_for(prescription=liquid),
                                                   "storage_solution")


def test_patient_text_never_says_prescriber(catalog):
    mono = catalog.monograph("baclofen")
    for p in mono.points:
        if not p.pharmacist_only:
            for line in p.patient_text:
                assert "prescriber" not in line.lower(), p.id
    assert "prescriber" not in mono.disclaimer.lower()
    assert "doctor or nurse who prescribed" in mono.disclaimer


URGENT = re.compile(r"straight away|help at once|immediately|emergency|get help|medical help", re.I)
CONTACT = re.compile(r"911|999|your doctor|pump clinic|Poison Help|pharmacist|kidney team", re.I)


@pytest.mark.parametrize("region", ["us", "uk"])
@pytest.mark.parametrize("changes", [RICH, {"prescription": PUMP},
                                     {"patient": {"kidney_function": "dialysis",
                                                  "other_medicines": ["pregabalin", "Xyrem"]}}])
def test_every_urgent_line_names_who_to_contact(region, changes):
    result = counsel_for(region=region, **changes)
    checked = 0
    for p in result.points:
        for line in p.patient_text:
            if URGENT.search(line):
                checked += 1
                assert CONTACT.search(line), f"{p.id}: {line}"
    assert checked >= 2


# ---------------------------------------------------------------- the content model
def test_region_words_must_exist_in_every_region(tmp_path):
    data = yaml.safe_load((paths.MONOGRAPHS_DIR / "baclofen.yaml").read_text(encoding="utf-8"))
    del data["regions"]["uk"]["words"]["vomiting"]
    folder = tmp_path / "monographs"
    folder.mkdir()
    (folder / "baclofen.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match=r"regions\.uk\.words: missing word 'vomiting'"):
        load_catalog(monographs_dir=folder)


def test_content_version_bumped_with_a_changelog(catalog):
    assert catalog.monograph("baclofen").content_version == "1.1.0"
    raw = (paths.MONOGRAPHS_DIR / "baclofen.yaml").read_text(encoding="utf-8")
    assert "# 1.1.0 (2026-12-01)" in raw


# ---------------------------------------------------------------- reading level
@pytest.mark.parametrize("changes", [
    {"patient": {"age": 81, "kidney_function": "dialysis",
                 "other_medicines": ["pregabalin", "tamsulosin", "Advil PM"]},
     "prescription": {"dose_mg": 5}},
    {"region": "uk", "patient": {"age": 2, "weight_kg": 12},
     "prescription": {"form": "oral_solution", "strength": "5 mg/5 mL", "dose_mg": 1,
                      "times_per_day": 4}},
    {"prescription": PUMP},
    {"region": "uk", **RICH},
])
def test_new_content_keeps_the_reading_grade_at_or_below_6(changes):
    assert leaflet_grade(view(counsel_for(**changes))) <= TARGET_GRADE


# ---------------------------------------------------------------- children
def test_uk_children_follow_the_medicines_for_children_missed_dose_rule():
    child = counsel_for(region="uk", patient={"age": 6, "weight_kg": 25})
    assert "missed_dose_uk_child" in ids(child) and "missed_dose_uk" not in ids(child)
    words = text(child, "missed_dose_uk_child")
    assert "wait at least 4 hours" in words and "2 hours" not in words
    adult = counsel_for(region="uk")
    assert "missed_dose_uk" in ids(adult) and "missed_dose_uk_child" not in ids(adult)
    assert "missed_dose_uk_child" not in ids(counsel_for(patient={"age": 6, "weight_kg": 25}))


def test_falls_points_are_written_to_patients_twelve_and_over():
    assert not {"falls", "falls_high_risk"} & ids(counsel_for(patient={"age": 6, "weight_kg": 25}))
    assert "falls" in ids(counsel_for(patient={"age": 12, "weight_kg": 40}))


NEW_POINTS = {"falls", "falls_high_risk", "kidney_signs", "kidney_toxicity_signs",
              "misuse_dependence", "sleep_breathing", "pump_card_procedures", "pump_dysreflexia",
              "interaction_gabapentinoid_breathing", "interaction_sodium_oxybate",
              "interaction_other_sedative", "interaction_cannabinoid", "condition_stroke_uk",
              "missed_dose_uk_child"}


@pytest.mark.parametrize("changes", [
    {"region": "uk", "patient": {"age": 70, "kidney_function": "moderate", "conditions": ["stroke"],
                                 "other_medicines": ["pregabalin", "Xyrem", "quetiapine", "Sativex"]}},
    {"patient": {"age": 40, "kidney_function": "dialysis", "misuse_history": True}},
    {"region": "uk", "prescription": PUMP},
    {"region": "uk", "patient": {"age": 6, "weight_kg": 25}},
])
def test_each_new_point_reaches_the_leaflet_where_it_applies(changes):
    result = counsel_for(**changes)
    leaflet = printed(result)
    selected = NEW_POINTS & ids(result)
    assert selected
    for pid in selected:
        first = point(result, pid).patient_text[0]
        assert first.replace(" ", "")[:40] in leaflet.replace(" ", "").replace("\u00a0", ""), pid


def test_pump_patients_keep_the_kidney_point_but_not_the_oral_toxicity_signs():
    result = counsel_for(prescription=PUMP, patient={"kidney_function": "dialysis"})
    assert "kidney" in ids(result)
    assert not {"kidney_signs", "kidney_toxicity_signs"} & ids(result)


def test_uk_5_mg_tablets_are_a_listed_product_that_is_never_halved():
    five = counsel_for(region="uk", prescription={"strength": "5 mg", "dose_mg": 5})
    assert "PRODUCT_NOT_LISTED" not in [w.code for w in five.warnings]
    assert five.amount(5).amount_text.startswith("1 tablet")
    assert not five.amount(2.5).measurable  # no score line: no half tablet
    assert "PRODUCT_NOT_LISTED" in [w.code for w in counsel_for(
        region="uk", prescription={"strength": "20 mg"}).warnings]
