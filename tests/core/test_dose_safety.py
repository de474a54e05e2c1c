"""Never invent, round or suggest a dose (issue 9): no default frequency, only measurable amounts,
no population ranges on the leaflet. Real cases, with presence and absence."""

from __future__ import annotations

import re

import pytest

from counsel.core.case import parse_case
from counsel.core.content import default_catalog
from counsel.core.doses import (
    ASK_TO_MEASURE,
    dose_amount,
    measurable_amount,
    ml_text,
    volume_measurable,
)
from counsel.core.errors import CaseError
from counsel.core.rules import schedule_json
from tests.conftest import TODAY, counsel_for, make_case, make_data

SUSPENSION = {"form": "oral_suspension", "strength": "25 mg/5 mL"}
GRANULES_5 = {"form": "granules", "strength": "5 mg"}
# What a leaflet, warning or calendar must never print (issue 9, "Why").
NEVER = re.compile(r"\b0\.2 mL\b|\b1\.5 packets\b|\b0\.25 tablets?\b|\d\.\d+ (tablets?|packets?)")


def codes(result):
    return [w.code for w in result.warnings]


def everything_printed(result) -> str:
    """Warnings, calendar amounts and the dose-row amounts: all the text we generate about doses."""
    parts = [w.message for w in result.warnings]
    parts += [result.amount(s.dose_mg).amount_text for s in result.schedule]
    return " | ".join(parts)


# ---------------------------------------------------------------- no default frequency
def test_oral_case_without_a_frequency_is_refused_naming_times_per_day():
    data = make_data()
    del data["prescription"]["times_per_day"]
    with pytest.raises(CaseError) as info:
        parse_case(data, today=TODAY)
    assert info.value.field == "prescription.times_per_day"
    assert "never assumed" in str(info.value)


def test_the_why_example_5_mg_without_a_frequency_never_prints_three_times_a_day():
    data = {"patient": {"age": 50}, "prescription": {"drug": "baclofen", "strength": "10 mg",
                                                      "dose_mg": 5}}
    with pytest.raises(CaseError, match=r"prescription\.times_per_day"):
        parse_case(data, today=TODAY)


def test_dose_times_alone_give_the_frequency():
    case = make_case(prescription={"times_per_day": None, "dose_times": ["08:00", "20:00"]})
    assert case.prescription.doses_per_day == 2
    assert case.prescription.times == ("08:00", "20:00")


def test_a_pump_needs_no_frequency_and_gets_no_made_up_times():
    case = make_case(prescription={"form": "intrathecal", "strength": "500 mcg/mL",
                                   "dose_mg": None, "times_per_day": None})
    assert case.prescription.doses_per_day == 0
    assert case.prescription.times == ()


# ---------------------------------------------------------------- liquids
def test_why_1_25_mg_of_25_mg_per_5_ml_is_0_25_ml_everywhere():
    result = counsel_for(prescription={**SUSPENSION, "dose_mg": 1.25})
    assert result.amount(1.25).amount_text == "0.25 mL of 25 mg/5 mL liquid"
    message = next(w.message for w in result.warnings if w.code == "LIQUID_CONCENTRATION")
    assert "one dose of 1.25 mg is 0.25 mL." in message
    assert "DOSE_NOT_MEASURABLE" not in codes(result)
    assert not NEVER.search(everything_printed(result))


@pytest.mark.parametrize(("volume", "ok"), [
    (0.25, True), (0.05, True), (0.95, True), (1.0, True),  # 1 mL syringe, 0.05 mL steps
    (0.33, False), (0.02, False), (0.12, False),
    (1.1, True), (2.5, True), (4.9, True), (5.0, True),  # 5 mL syringe, 0.1 mL steps
    (1.25, False), (2.55, False),
    (7.5, True), (10.0, True), (12.5, True), (20.0, True),  # 10 mL syringe, 0.5 mL steps
    (6.2, False), (10.3, False),
])
def test_syringe_graduations(volume, ok):
    assert volume_measurable(volume) is ok


def test_an_unmeasurable_volume_prints_the_mg_and_asks_the_pharmacist():
    # 1.2 mg of 10 mg/5 mL is 0.6 mL: fine. 1.3 mg is 0.65 mL: fine. 2.6 mg is 1.3 mL: fine.
    # 2.75 mg of 10 mg/5 mL is 1.375 mL: not a 0.1 mL step.
    result = counsel_for(prescription={"form": "oral_solution", "strength": "10 mg/5 mL",
                                       "dose_mg": 2.75})
    amount = result.amount(2.75)
    assert not amount.measurable and amount.amount_text == ASK_TO_MEASURE
    assert amount.mg_text == "2.75 mg"
    warning = next(w for w in result.warnings if w.code == "DOSE_NOT_MEASURABLE")
    assert "1.375 mL" in warning.message and "5 mL oral syringe" in warning.message
    assert "ask your pharmacist how to measure this dose" in warning.message
    liquid = next(w.message for w in result.warnings if w.code == "LIQUID_CONCENTRATION")
    assert "1.375 mL" in liquid and "1.4 mL" not in liquid


def test_exact_volumes_are_never_rounded():
    assert ml_text(0.25) == "0.25 mL"
    assert ml_text(2.5) == "2.5 mL"
    assert ml_text(1 / 3) == "about 0.333 mL"  # pharmacist detail only; never "0.3 mL"


# ---------------------------------------------------------------- granules
def test_why_7_5_mg_of_granules_is_never_one_and_a_half_packets():
    result = counsel_for(prescription={**GRANULES_5, "dose_mg": 7.5})
    amount = result.amount(7.5)
    assert not amount.measurable and amount.amount_text == ASK_TO_MEASURE
    assert "DOSE_NOT_MEASURABLE" in codes(result)
    assert not NEVER.search(everything_printed(result))


def test_whole_packets_are_fine():
    result = counsel_for(prescription={**GRANULES_5, "dose_mg": 10})
    assert result.amount(10).amount_text == "2 packets of 5 mg"
    assert "DOSE_NOT_MEASURABLE" not in codes(result)


# ---------------------------------------------------------------- tablets
def test_quarter_tablets_are_never_printed():
    result = counsel_for(prescription={"dose_mg": 2.5})
    assert result.amount(2.5).amount_text == ASK_TO_MEASURE
    assert "DOSE_NOT_MEASURABLE" in codes(result)
    assert not NEVER.search(everything_printed(result))


def test_uk_10_mg_tablets_halve_without_a_check():
    result = counsel_for(region="uk", prescription={"dose_mg": 5})
    assert result.amount(5).amount_text == "½ tablet of 10 mg"
    assert not {"DOSE_NOT_MEASURABLE", "HALF_TABLET_SCORE_UNCONFIRMED"} & set(codes(result))


def test_uk_5_mg_tablets_have_no_score_line_so_no_half():
    result = counsel_for(region="uk", prescription={"strength": "5 mg", "dose_mg": 2.5})
    assert result.amount(2.5).amount_text == ASK_TO_MEASURE
    warning = next(w for w in result.warnings if w.code == "DOSE_NOT_MEASURABLE")
    assert "no score line" in warning.message
    # Whole 5 mg tablets are fine.
    assert counsel_for(region="uk", prescription={"strength": "5 mg", "dose_mg": 5}).amount(5) \
        .amount_text == "1 tablet of 5 mg"


def test_us_half_tablet_prints_with_an_information_check_on_the_score_line():
    result = counsel_for(prescription={"dose_mg": 5})
    assert result.amount(5).amount_text == "½ tablet of 10 mg"
    info = next(w for w in result.warnings if w.code == "HALF_TABLET_SCORE_UNCONFIRMED")
    assert info.severity == "info"
    assert result.unacknowledged(set()) == []  # information never blocks printing
    assert "HALF_TABLET_SCORE_UNCONFIRMED" not in codes(counsel_for(prescription={"dose_mg": 10}))


def test_dose_amount_needs_the_product_halving_fact():
    rx = make_case(prescription={"dose_mg": 5}).prescription
    assert dose_amount(5, rx, halves="unscored").amount_text == ASK_TO_MEASURE
    assert dose_amount(5, rx, halves="scored").amount_text == "½ tablet of 10 mg"
    assert dose_amount(15, rx, halves="unscored").amount_text == ASK_TO_MEASURE
    assert dose_amount(15, rx, halves="scored").amount_text == "1½ tablets of 10 mg"
    assert dose_amount(20, rx, halves="unscored").amount_text == "2 tablets of 10 mg"


# ---------------------------------------------------------------- the GUI's live label
def test_measurable_amount_for_the_live_label():
    mono = default_catalog().monograph("baclofen")
    assert mono is not None
    uk = make_case(region="uk", prescription={"dose_mg": 5})
    assert measurable_amount(uk, 5, mono) == "½ tablet of 10 mg"
    assert measurable_amount(uk, 2.5, mono) is None
    liquid = make_case(prescription={**SUSPENSION, "dose_mg": 1.25})
    assert measurable_amount(liquid, 1.25, mono) == "0.25 mL of 25 mg/5 mL liquid"
    assert measurable_amount(make_case(prescription={**GRANULES_5, "dose_mg": 5}), 7.5, mono) \
        is None


# ---------------------------------------------------------------- calendars
def test_titration_calendar_steps_never_print_a_rounded_amount():
    result = counsel_for(prescription={**GRANULES_5, "dose_mg": 5, "plan": "start", "titration": {
        "step_mg": 2.5, "every_days": 3, "target_dose_mg": 10}})
    amounts = [result.amount(s.dose_mg).amount_text for s in result.schedule]
    assert amounts == ["1 packet of 5 mg", ASK_TO_MEASURE, "2 packets of 5 mg"]
    assert "DOSE_NOT_MEASURABLE" in codes(result)
    assert not NEVER.search(everything_printed(result))
    assert schedule_json(result)["steps"][1]["dose_mg"] == 7.5  # the mg is kept exactly


# ---------------------------------------------------------------- no population ranges
def test_no_point_printed_for_patients_uses_a_population_range():
    mono = default_catalog().monograph("baclofen")
    assert mono is not None
    for point in mono.points:
        if point.pharmacist_only:
            continue
        for line in point.patient_text:
            assert "{usual_maintenance}" not in line, point.id
            assert "{max_daily_mg}" not in line, point.id
            assert not re.search(r"most people need|40 (and|to) 80 mg|60 mg a day or less",
                                 line, re.I), point.id


@pytest.mark.parametrize("region", ["us", "uk"])
def test_the_range_reaches_the_pharmacist_but_never_the_patient_text(region):
    result = counsel_for(region=region)
    shown = [p for p in result.points if p.point.pharmacist_only]
    assert any(result.region.usual_maintenance in p.prompt for p in shown)
    printed = " ".join(t for p in result.points if not p.point.pharmacist_only
                       for t in p.patient_text)
    assert result.region.usual_maintenance not in printed
