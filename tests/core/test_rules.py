"""The rules engine picks the points that apply to this patient, with reasons, and no others."""

from __future__ import annotations

import pytest

from tests.conftest import counsel_for

ALWAYS = {"alcohol", "sedating_medicines", "never_stop_suddenly", "withdrawal_signs",
          "side_effects_urgent", "follow_up", "your_doses"}
POPULATION_POINTS = {"pregnancy", "breastfeeding", "older_adults", "children_us", "children_uk",
                     "kidney", "liver", "epilepsy", "mental_health", "mood_self_harm"}


def ids(result):
    return set(result.point_ids())


def test_plain_adult_gets_the_core_points_and_no_population_points():
    result = counsel_for()
    assert ids(result) >= ALWAYS
    assert not (POPULATION_POINTS & ids(result))


def test_older_man_gets_older_adult_point_but_never_pregnancy():
    result = counsel_for(patient={"age": 72, "sex": "male"})
    got = ids(result)
    assert "older_adults" in got
    assert not {"pregnancy", "pregnancy_planning", "breastfeeding"} & got
    point = next(p for p in result.points if p.id == "older_adults")
    assert point.reasons == ("age 72 ≥ 65",)


def test_pregnancy_and_breastfeeding_points_follow_the_answers():
    assert "pregnancy" in ids(counsel_for(patient={"pregnant": True}))
    assert "pregnancy_planning" not in ids(counsel_for(patient={"pregnant": True}))
    assert "pregnancy_planning" in ids(counsel_for(patient={"age": 30}))
    assert "breastfeeding" in ids(counsel_for(patient={"breastfeeding": True}))


@pytest.mark.parametrize(("kidney", "crcl", "expected"), [
    ("severe", None, "kidney function: severe"),
    ("dialysis", None, "kidney function: dialysis"),
    ("normal", 40, "kidney function: moderate"),
])
def test_kidney_point_with_reason(kidney, crcl, expected):
    result = counsel_for(patient={"kidney_function": kidney, "crcl_ml_min": crcl})
    point = next(p for p in result.points if p.id == "kidney")
    assert point.point.critical
    assert expected in point.reasons


def test_no_kidney_point_when_kidneys_are_normal_or_unknown():
    assert "kidney" not in ids(counsel_for(patient={"kidney_function": "unknown"}))
    assert "kidney" not in ids(counsel_for(patient={"crcl_ml_min": 95}))


def test_interacting_medicines_are_named_in_the_point_and_the_reason():
    result = counsel_for(patient={"other_medicines": ["OxyContin 10mg", "zopiclone", "Nytol"]})
    opioid = next(p for p in result.points if p.id == "interaction_opioid")
    assert "You take OxyContin 10mg." in opioid.patient_text[0]
    assert opioid.reasons == ("takes OxyContin 10mg (opioid painkiller)",)
    sleep = next(p for p in result.points if p.id == "interaction_sleep_medicine")
    assert "zopiclone and Nytol" in sleep.patient_text[0]
    assert len(sleep.reasons) == 2


def test_unrecognised_medicines_are_reported_not_dropped():
    result = counsel_for(patient={"other_medicines": ["Ginkgo tea", "ramipril"]})
    assert result.unrecognised == ("Ginkgo tea",)
    assert [r.generic for r in result.recognised] == ["ramipril"]
    assert "UNRECOGNISED_MEDICINE" in [w.code for w in result.warnings]
    assert "interaction_blood_pressure" in ids(result)


@pytest.mark.parametrize("name", ["oxycodone", "OXYCODONE", "Oxycontin", "oxycontin 20 mg",
                                  "co-codamol 30/500", "Tramadol"])
def test_medicines_recognised_case_insensitively_by_generic_or_brand(name, catalog):
    hit = catalog.medicines.recognise(name)
    assert hit is not None
    assert "opioid" in hit.classes


@pytest.mark.parametrize(("medicine", "point"), [
    ("diazepam", "interaction_sleep_medicine"), ("zolpidem", "interaction_sleep_medicine"),
    ("promethazine", "interaction_sleep_medicine"), ("amitriptyline", "interaction_tricyclic"),
    ("sertraline", "interaction_other_antidepressant"), ("levetiracetam", "interaction_antiepileptic"),
    ("gabapentin", "interaction_gabapentinoid"), ("Sativex", "interaction_cannabinoid"),
    ("quetiapine", "interaction_other_sedative"), ("primidone", "interaction_other_sedative"),
    ("Xyrem", "interaction_sodium_oxybate"), ("suvorexant", "interaction_sleep_medicine"),
    ("cinnarizine", "interaction_sleep_medicine"), ("tamsulosin", "interaction_blood_pressure"),
    ("linezolid", "interaction_maoi"), ("oxymorphone", "interaction_opioid"),
    ("lithium", "interaction_lithium"), ("amlodipine", "interaction_blood_pressure"),
    ("Sinemet", "interaction_levodopa"), ("phenelzine", "interaction_maoi"),
    ("tizanidine", "interaction_muscle_relaxant"), ("ibuprofen", "interaction_nsaid"),
    ("morphine", "interaction_opioid"),
])
def test_each_medicine_class_triggers_its_point(medicine, point):
    result = counsel_for(patient={"other_medicines": [medicine]})
    assert point in ids(result)
    selected = next(p for p in result.points if p.id == point)
    assert medicine in " ".join(selected.patient_text)


def test_region_decides_the_missed_dose_rule():
    assert "missed_dose_us" in ids(counsel_for(region="us"))
    assert "missed_dose_uk" not in ids(counsel_for(region="us"))
    uk = counsel_for(region="uk")
    assert "missed_dose_uk" in ids(uk)
    text = " ".join(next(p for p in uk.points if p.id == "missed_dose_uk").patient_text)
    assert "less than 2 hours" in text


def test_children_points_by_region():
    us_child = counsel_for(patient={"age": 9, "weight_kg": 30})
    assert "children_us" in ids(us_child)
    assert {"alcohol", "driving"}.isdisjoint(ids(us_child))
    uk_child = counsel_for(region="uk", patient={"age": 9, "weight_kg": 30})
    assert "children_uk" in ids(uk_child)
    assert "children_us" not in ids(uk_child)
    assert "children_uk" in ids(counsel_for(region="uk", patient={"age": 16}))
    assert "children_us" not in ids(counsel_for(patient={"age": 12}))


def test_liquid_points_name_the_concentration():
    result = counsel_for(prescription={"form": "oral_solution", "strength": "5 mg/5 mL"})
    point = next(p for p in result.points if p.id == "liquid_measuring")
    assert "5 mg in 5 mL" in " ".join(point.patient_text)
    assert "storage_solution" in ids(result)
    assert "storage_tablet" not in ids(result)


def test_pump_patients_get_pump_points_not_oral_ones():
    result = counsel_for(prescription={"form": "intrathecal", "strength": "500 mcg/mL",
                                       "dose_mg": None})
    got = ids(result)
    assert {"pump_refills", "pump_alarms", "pump_early_signs"} <= got
    assert not {"never_stop_suddenly", "missed_dose_us", "your_doses", "liquid_measuring"} & got
    assert result.schedule == ()


def test_driver_gets_the_critical_driving_point():
    result = counsel_for(patient={"drives": True})
    assert "driving_driver" in ids(result)
    assert "driving" not in ids(result)
    assert next(p for p in result.points if p.id == "driving_driver").point.critical


def test_off_label_alcohol_use_gets_mood_and_self_harm_warning():
    result = counsel_for(prescription={"indication": "alcohol_use_disorder"})
    assert {"purpose_off_label", "mood_self_harm"} <= ids(result)
    assert "purpose_spasticity" not in ids(result)


def test_conditions_select_their_points():
    result = counsel_for(patient={"conditions": ["diabetes", "peptic_ulcer"]})
    assert {"condition_diabetes", "condition_peptic_ulcer"} <= ids(result)
    assert "condition_stroke" not in ids(result)
    assert next(p for p in result.points if p.id == "condition_diabetes").reasons == (
        "has diabetes",)


def test_taper_and_stop_points():
    taper = counsel_for(prescription={"plan": "stop", "taper": {"step_mg": 5, "every_days": 3}})
    assert "taper_plan" in ids(taper)
    assert "dont_run_out" not in ids(taper)
    abrupt = counsel_for(prescription={"plan": "stop"})
    assert "stop_needs_plan" in ids(abrupt)


def test_points_are_grouped_in_monograph_section_order(catalog):
    result = counsel_for(patient={"other_medicines": ["morphine"], "age": 80})
    order = [s.id for s in catalog.monograph("baclofen").sections]
    got = [s.section.id for s in result.sections]
    assert got == [s for s in order if s in got]
    assert all(s.points for s in result.sections)


def test_every_point_text_is_filled_in():
    result = counsel_for(patient={"other_medicines": ["morphine", "diazepam", "lithium"]})
    for p in result.points:
        for text in (p.prompt, p.why, *p.patient_text):
            assert "{" not in text and "}" not in text, p.id


def test_adult_only_points_are_not_given_to_children():
    child = ids(counsel_for(region="uk", patient={"age": 6, "weight_kg": 20}))
    assert not {"how_much_most", "task_timed_dose", "alcohol", "driving"} & child
    adult = ids(counsel_for(region="uk"))
    assert {"how_much_most", "task_timed_dose"} <= adult


# ---------------------------------------------------------------- issue 9: the task-timed dose point
def test_task_timed_dose_point_only_for_a_stable_uk_adult_with_spasticity():
    stable = counsel_for(region="uk")
    point = next(p for p in stable.points if p.id == "task_timed_dose")
    assert any("stable plan" in r for r in point.reasons)
    for changes in ({"patient": {"kidney_function": "dialysis"}},
                    {"patient": {"egfr": 45}},
                    {"patient": {"misuse_history": True}},
                    {"prescription": {"indication": "alcohol_use_disorder"}},
                    {"prescription": {"plan": "stop", "taper": {"step_mg": 5, "every_days": 7}}},
                    {"patient": {"age": 70, "kidney_function": "unknown"}}):
        assert "task_timed_dose" not in ids(counsel_for(region="uk", **changes)), changes
    assert "task_timed_dose" not in ids(counsel_for(region="us"))
