"""Warn in proportion to risk (issue 9): kidneys, children, tapers, titration, withdrawal now and
UK product facts. Each rule is shown firing on a real case and staying quiet on its neighbour."""

from __future__ import annotations

import re

import pytest

from counsel.core.facts import facts_for, kidney_category, kidney_status
from counsel.core.findings import WARNING_TITLES
from counsel.core.schedule import taper_shape
from tests.conftest import counsel_for, make_case

DOSE_SUGGESTION = re.compile(r"\b(reduce|lower|cut|change) (the )?dose to\b|\btry \d|\bshould be \d",
                             re.I)


def codes(result):
    return [w.code for w in result.warnings]


def warning(result, code):
    return next(w for w in result.warnings if w.code == code)


def facts(**changes):
    case = make_case(**changes)
    return facts_for(case, {}, {}).values


# ---------------------------------------------------------------- kidneys
def test_egfr_decides_the_category_like_crcl():
    assert kidney_category("unknown", None, 25) == "severe"
    assert kidney_category("unknown", None, 45) == "moderate"
    assert kidney_category("normal", None, 95) == "normal"


def test_when_both_are_given_the_lower_value_wins():
    status = kidney_status("unknown", 55, 28)
    assert (status.category, status.measured_name, status.measured) == ("severe", "eGFR", 28)
    assert kidney_status("unknown", 28, 55).measured_name == "CrCl"


def test_dialysis_stays_dialysis_whatever_the_value():
    assert kidney_category("dialysis", 40, None) == "dialysis"


def test_why_81_year_old_on_dialysis_gets_the_stronger_warning_not_the_soft_note():
    result = counsel_for(region="uk", patient={"age": 81, "kidney_function": "dialysis"},
                         prescription={"dose_mg": 10, "times_per_day": 3})
    severe = warning(result, "KIDNEY_SEVERE")
    assert severe.severity == "critical"
    assert "Contact the prescriber before supply" in severe.message
    assert "KIDNEY_IMPAIRMENT" not in codes(result)
    flag = warning(result, "KIDNEY_DAILY_TOTAL_ABOVE_STATEMENT")
    assert "30 mg" in flag.message and "about 5 mg a day" in flag.message
    assert "not a suggested dose" in flag.message
    assert "OLDER_ADULT_KIDNEY_BEERS" in codes(result)
    assert result.warnings[0].code == "KIDNEY_SEVERE"  # critical first


def test_crcl_79_gets_only_the_caution():
    result = counsel_for(patient={"age": 50, "crcl_ml_min": 79})
    assert "KIDNEY_IMPAIRMENT" in codes(result)
    assert warning(result, "KIDNEY_IMPAIRMENT").severity == "warning"
    assert not {"KIDNEY_SEVERE", "KIDNEY_DAILY_TOTAL_ABOVE_STATEMENT",
                "OLDER_ADULT_KIDNEY_BEERS"} & set(codes(result))


@pytest.mark.parametrize("patient", [{"egfr": 29}, {"crcl_ml_min": 20},
                                     {"kidney_function": "severe"}])
def test_severe_by_any_route_is_severe(patient):
    assert "KIDNEY_SEVERE" in codes(counsel_for(patient=patient))


def test_the_5_mg_flag_stays_quiet_at_or_below_5_mg_a_day():
    result = counsel_for(patient={"kidney_function": "dialysis"},
                         prescription={"dose_mg": 5, "times_per_day": 1})
    assert "KIDNEY_SEVERE" in codes(result)
    assert "KIDNEY_DAILY_TOTAL_ABOVE_STATEMENT" not in codes(result)


def test_beers_flag_for_65_plus_below_60_and_not_otherwise():
    assert "OLDER_ADULT_KIDNEY_BEERS" in codes(counsel_for(patient={"age": 70, "egfr": 55}))
    assert "OLDER_ADULT_KIDNEY_BEERS" not in codes(counsel_for(patient={"age": 70, "egfr": 65}))
    assert "OLDER_ADULT_KIDNEY_BEERS" not in codes(counsel_for(patient={"age": 60, "egfr": 55}))
    message = warning(counsel_for(patient={"age": 70, "egfr": 55}), "OLDER_ADULT_KIDNEY_BEERS")
    assert "eGFR 55" in message.message and "Beers" in message.message


def test_older_adult_with_unknown_kidneys_is_prompted_to_find_out():
    result = counsel_for(patient={"age": 72, "kidney_function": "unknown"})
    prompt = warning(result, "OLDER_ADULT_KIDNEY_UNKNOWN")
    assert "Find out the latest eGFR or CrCl" in prompt.message
    assert "OLDER_ADULT_KIDNEY_UNKNOWN" not in codes(counsel_for(patient={"age": 40,
                                                                          "kidney_function": "unknown"}))
    assert "OLDER_ADULT_KIDNEY_UNKNOWN" not in codes(counsel_for(patient={"age": 72, "egfr": 85}))


def test_typed_category_and_measured_value_that_disagree_are_shown():
    result = counsel_for(patient={"kidney_function": "mild", "crcl_ml_min": 25})
    disagree = warning(result, "KIDNEY_VALUES_DISAGREE")
    assert "given as mild" in disagree.message and "CrCl 25 mL/min is severe" in disagree.message
    assert "KIDNEY_SEVERE" in codes(result)  # the measured value decides
    assert "KIDNEY_VALUES_DISAGREE" not in codes(
        counsel_for(patient={"kidney_function": "severe", "crcl_ml_min": 25}))
    both = counsel_for(patient={"kidney_function": "unknown", "crcl_ml_min": 70, "egfr": 40})
    assert "eGFR 40 (moderate) and CrCl 70 (mild) disagree" in \
        warning(both, "KIDNEY_VALUES_DISAGREE").message


def test_kidney_warnings_never_suggest_a_dose():
    result = counsel_for(region="uk", patient={"age": 81, "kidney_function": "dialysis"})
    for w in result.warnings:
        assert not DOSE_SUGGESTION.search(w.message), w.message


def test_kidney_facts_for_the_content():
    assert facts(patient={"age": 81, "kidney_function": "dialysis"})["kidney_severe"] is True
    assert facts(patient={"age": 81, "kidney_function": "dialysis"})[
        "age_65_plus_kidney_below_60"] is True
    assert facts(patient={"age": 70, "kidney_function": "unknown"})[
        "age_65_plus_kidney_unknown"] is True
    assert facts(patient={"age": 40, "kidney_function": "unknown"})[
        "age_65_plus_kidney_unknown"] is False


# ---------------------------------------------------------------- children
TWO_YEAR_OLD = {"age": 2, "weight_kg": 12}
LIQUID_40_A_DAY = {"form": "oral_solution", "strength": "5 mg/5 mL", "dose_mg": 10,
                   "times_per_day": 4}


def test_why_uk_2_year_old_on_3_3_mg_per_kg_warns():
    result = counsel_for(region="uk", patient=TWO_YEAR_OLD, prescription=LIQUID_40_A_DAY)
    band = warning(result, "CHILD_ABOVE_MAINTENANCE_BAND")
    assert band.severity == "warning" and "3.33 mg/kg/day" in band.message
    assert "CHILD_DOSE_CAP" not in codes(result)  # 40 mg is not above the under-8 cap
    assert "3.33 mg/kg/day" in warning(result, "CHILD_MG_PER_KG").message


def test_us_2_year_old_gets_the_same_reference_checks_as_information():
    result = counsel_for(region="us", patient=TWO_YEAR_OLD, prescription=LIQUID_40_A_DAY)
    assert warning(result, "CHILD_ABOVE_MAINTENANCE_BAND").severity == "info"
    assert warning(result, "CHILD_NOT_ESTABLISHED").severity == "warning"  # still blocks
    over_cap = counsel_for(region="us", patient={"age": 6, "weight_kg": 30},
                           prescription={**LIQUID_40_A_DAY, "dose_mg": 12.5})
    assert warning(over_cap, "CHILD_DOSE_CAP").severity == "info"


def test_information_and_warnings_to_acknowledge_split_every_finding_once():
    """What the checklist offers to acknowledge (GUI and CLI) and what the print gate asks for."""
    result = counsel_for(region="us", patient=TWO_YEAR_OLD, prescription=LIQUID_40_A_DAY)
    to_act = [w.code for w in result.to_acknowledge]
    info = [w.code for w in result.information]
    assert "CHILD_NOT_ESTABLISHED" in to_act and "CHILD_ABOVE_MAINTENANCE_BAND" in info
    assert sorted(to_act + info) == sorted(w.code for w in result.warnings)
    assert [w.code for w in result.unacknowledged(set())] == to_act
    assert result.unacknowledged(set(to_act)) == []


def test_child_within_the_band_is_only_shown_the_mg_per_kg():
    result = counsel_for(region="uk", patient={"age": 6, "weight_kg": 20},
                         prescription={**LIQUID_40_A_DAY, "dose_mg": 5})  # 20 mg/day = 1 mg/kg
    child_codes = {c for c in codes(result) if c.startswith("CHILD_")}
    assert child_codes == {"CHILD_MG_PER_KG"}
    assert warning(result, "CHILD_MG_PER_KG").severity == "info"


@pytest.mark.parametrize("region", ["us", "uk"])
def test_weight_is_required_for_every_child_in_both_regions(region):
    result = counsel_for(region=region, patient={"age": 10, "weight_kg": None},
                         prescription=LIQUID_40_A_DAY)
    assert warning(result, "CHILD_WEIGHT_MISSING").severity == "critical"
    assert "CHILD_WEIGHT_MISSING" not in codes(counsel_for(region=region,
                                                           patient={"age": 18}))


def test_child_start_above_the_smpc_start_is_flagged():
    start = {**LIQUID_40_A_DAY, "dose_mg": 2.5, "plan": "start"}  # 10 mg/day for 20 kg = 0.5
    result = counsel_for(region="uk", patient={"age": 6, "weight_kg": 20}, prescription=start)
    assert "0.5 mg/kg/day" in warning(result, "CHILD_START_ABOVE_REFERENCE").message
    gentle = {**start, "dose_mg": 1.5}  # 6 mg/day for 20 kg = 0.3
    assert "CHILD_START_ABOVE_REFERENCE" not in codes(
        counsel_for(region="uk", patient={"age": 6, "weight_kg": 20}, prescription=gentle))


def test_child_titration_is_checked_against_about_weekly_steps():
    rx = {**LIQUID_40_A_DAY, "dose_mg": 1.5, "plan": "start",
          "titration": {"step_mg": 0.5, "every_days": 3, "target_dose_mg": 3}}
    result = counsel_for(region="uk", patient={"age": 6, "weight_kg": 20}, prescription=rx)
    assert "CHILD_TITRATION_FASTER_THAN_WEEKLY" in codes(result)
    assert "TITRATION_FASTER_THAN_LABEL" not in codes(result)  # the adult 3-day rule is not used
    weekly = {**rx, "titration": {**rx["titration"], "every_days": 7}}
    assert "CHILD_TITRATION_FASTER_THAN_WEEKLY" not in codes(
        counsel_for(region="uk", patient={"age": 6, "weight_kg": 20}, prescription=weekly))


# ---------------------------------------------------------------- tapers
def test_why_80_mg_a_day_held_a_week_then_stopped_warns():
    result = counsel_for(prescription={"dose_mg": 20, "times_per_day": 4, "plan": "stop",
                                       "taper": {"step_mg": 20, "every_days": 7}})
    assert "TAPER_TOO_FAST" in codes(result)
    shape = taper_shape(list(result.schedule))
    assert shape is not None
    assert (shape.cuts, shape.largest_cut_share, shape.days_first_cut_to_zero) == (1, 1.0, 0)


def test_why_80_to_20_to_0_over_8_days_warns():
    result = counsel_for(prescription={"dose_mg": 20, "times_per_day": 4, "plan": "stop",
                                       "taper": {"step_mg": 15, "every_days": 4}})
    assert [s.daily_total_mg for s in result.schedule] == [80, 20, 0]
    message = warning(result, "TAPER_TOO_FAST").message
    assert "4 day(s)" in message and "75%" in message


def test_a_gradual_taper_over_two_weeks_is_quiet():
    result = counsel_for(prescription={"dose_mg": 20, "times_per_day": 3, "plan": "stop",
                                       "taper": {"step_mg": 5, "every_days": 4}})
    shape = taper_shape(list(result.schedule))
    assert shape is not None and shape.cuts == 4 and shape.days_first_cut_to_zero == 12
    assert "TAPER_TOO_FAST" not in codes(result)


def test_a_long_hold_does_not_hide_a_sudden_stop():
    # 40 days in total, but all at one dose and then nothing: judged on the reduction phase.
    result = counsel_for(prescription={"dose_mg": 10, "times_per_day": 3, "plan": "stop",
                                       "taper": {"step_mg": 10, "every_days": 40}})
    assert "TAPER_TOO_FAST" in codes(result)


# ---------------------------------------------------------------- start and titration
def test_start_above_the_label_start_is_flagged_without_an_alternative():
    result = counsel_for(prescription={"dose_mg": 10, "times_per_day": 3, "plan": "start"})
    message = warning(result, "START_ABOVE_LABEL").message
    assert "10 mg 3 times a day (30 mg a day)" in message
    assert not DOSE_SUGGESTION.search(message)
    assert "START_ABOVE_LABEL" not in codes(counsel_for(
        prescription={"dose_mg": 5, "times_per_day": 3, "plan": "start"}))
    assert "START_ABOVE_LABEL" not in codes(counsel_for(
        prescription={"dose_mg": 10, "times_per_day": 3, "plan": "continue"}))


def test_steps_larger_than_5_mg_per_dose_are_flagged():
    big = counsel_for(prescription={"dose_mg": 5, "plan": "start", "titration": {
        "step_mg": 10, "every_days": 3, "target_dose_mg": 25}})
    assert "TITRATION_STEP_ABOVE_LABEL" in codes(big)
    label = counsel_for(prescription={"dose_mg": 5, "plan": "start", "titration": {
        "step_mg": 5, "every_days": 3, "target_dose_mg": 20}})
    assert not {"TITRATION_STEP_ABOVE_LABEL", "START_ABOVE_LABEL",
                "TITRATION_FASTER_THAN_LABEL"} & set(codes(label))


# ---------------------------------------------------------------- withdrawal now
def test_missed_or_ran_out_recently_is_critical():
    result = counsel_for(patient={"missed_or_stopped_recently": True})
    risk = warning(result, "WITHDRAWAL_RISK_NOW")
    assert risk.severity == "critical" and "48 hours" in risk.message
    assert "WITHDRAWAL_SIGNS_URGENT" not in codes(result)
    assert "WITHDRAWAL_RISK_NOW" not in codes(counsel_for())


@pytest.mark.parametrize(("region", "number"), [("us", "911"), ("uk", "999")])
def test_withdrawal_signs_give_an_urgent_referral_naming_who_to_call(region, number):
    result = counsel_for(region=region, patient={"missed_or_stopped_recently": True,
                                                 "withdrawal_signs": True})
    urgent = warning(result, "WITHDRAWAL_SIGNS_URGENT")
    assert urgent.severity == "critical" and number in urgent.message
    assert "refer urgently" in urgent.message


# ---------------------------------------------------------------- UK product facts and others
def test_peptic_ulcer_is_a_warning_in_the_uk_only():
    uk = counsel_for(region="uk", patient={"conditions": ["peptic_ulcer"]})
    assert "contraindication" in warning(uk, "PEPTIC_ULCER_UK").message
    assert "PEPTIC_ULCER_UK" not in codes(counsel_for(region="us",
                                                      patient={"conditions": ["peptic_ulcer"]}))
    assert "PEPTIC_ULCER_UK" not in codes(counsel_for(region="uk"))


def test_misuse_history_is_flagged():
    assert "MISUSE_HISTORY" in codes(counsel_for(patient={"misuse_history": True}))
    assert "MISUSE_HISTORY" not in codes(counsel_for())


def test_task_timed_dose_only_for_a_stable_adult_with_spasticity():
    assert facts(region="uk")["task_timed_dose_allowed"] is True
    for changes in ({"patient": {"kidney_function": "mild"}},
                    {"patient": {"misuse_history": True}},
                    {"patient": {"age": 15}},
                    {"prescription": {"indication": "hiccups"}},
                    {"prescription": {"plan": "stop", "taper": {"step_mg": 5, "every_days": 7}}},
                    {"prescription": {"plan": "start", "dose_mg": 5, "titration": {
                        "step_mg": 5, "every_days": 3, "target_dose_mg": 10}}}):
        assert facts(region="uk", **changes)["task_timed_dose_allowed"] is False, changes


# ---------------------------------------------------------------- every code has a plain title
def test_every_warning_raised_has_a_plain_title():
    results = [
        counsel_for(region="uk", patient={"age": 81, "kidney_function": "dialysis",
                                          "conditions": ["peptic_ulcer"], "misuse_history": True,
                                          "missed_or_stopped_recently": True,
                                          "withdrawal_signs": True}),
        counsel_for(region="uk", patient=TWO_YEAR_OLD, prescription=LIQUID_40_A_DAY),
        counsel_for(prescription={"dose_mg": 20, "times_per_day": 4, "plan": "stop",
                                  "taper": {"step_mg": 20, "every_days": 7}}),
    ]
    for result in results:
        for w in result.warnings:
            assert w.code in WARNING_TITLES, w.code
            assert w.title == WARNING_TITLES[w.code]
            assert w.severity in ("critical", "warning", "info")
