"""Scoring: for every station, full coverage passes; a missed critical point or required action fails
whatever the score; the wrong action and unsafe advice cost marks."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counsel.core.content import default_catalog
from counsel.training.scenarios import ACTIONS, REFERRAL_ID, Scenario, load_scenarios
from counsel.training.scoring import (
    Answers,
    AnswersError,
    full_marks,
    parse_answers,
    percent,
    result_json,
    score_attempt,
)

SCENARIOS = load_scenarios(default_catalog())
IDS = [s.id for s in SCENARIOS]


def _scenario(sid: str) -> Scenario:
    return next(s for s in SCENARIOS if s.id == sid)


def _critical_points(scenario: Scenario) -> list[str]:
    return [item.point for item in scenario.rubric_items() if item.critical]


def _active_unsafe(scenario: Scenario) -> list[str]:
    return [u.point for u in scenario.unsafe_points()]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_all_rubric_points_and_the_expected_action_pass_with_100(scenario):
    result = score_attempt(scenario, full_marks(scenario))
    assert result.score == 100
    assert result.passed
    assert result.critical_missed == []
    assert result.action.ok
    assert all(i.covered for i in result.items)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_all_points_but_no_action_fails_only_when_an_action_is_required(scenario):
    full = full_marks(scenario)
    result = score_attempt(scenario, replace(full, referral="none"))
    if scenario.spec.rubric.action.expected == "none":
        assert result.passed
        assert result.score == 100
    else:
        assert not result.passed
        assert result.critical_missed == [REFERRAL_ID]
        assert result.score < 100
        assert result.score >= result.pass_mark  # failed whatever the score


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_every_wrong_action_costs_the_action_marks(scenario):
    full = full_marks(scenario)
    expected = scenario.spec.rubric.action.expected
    for wrong in (a for a in ACTIONS if a != expected):
        result = score_attempt(scenario, replace(full, referral=wrong))
        assert not result.action.ok
        assert result.possible - result.earned == scenario.spec.rubric.action.weight, wrong
        # A station that needs no action is not failed by an unnecessary referral, only marked down.
        assert result.passed == (expected == "none"), wrong


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_missing_any_one_critical_point_fails_whatever_the_score(scenario):
    full = full_marks(scenario)
    critical = _critical_points(scenario)
    assert critical or scenario.spec.rubric.action.expected != "none"
    for point in critical:
        result = score_attempt(scenario, replace(full, discussed=full.discussed - {point}))
        assert not result.passed, point
        assert result.critical_missed == [point]
        assert result.score >= result.pass_mark, point  # the score alone would have passed


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_missing_a_non_critical_point_costs_marks_but_does_not_fail(scenario):
    full = full_marks(scenario)
    for item in scenario.rubric_items():
        if item.critical:
            continue
        result = score_attempt(scenario, replace(full, discussed=full.discussed - {item.point}))
        assert result.critical_missed == []
        assert result.possible - result.earned == item.weight
        assert result.passed == (result.score >= result.pass_mark)


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if _active_unsafe(s)],
                         ids=[s.id for s in SCENARIOS if _active_unsafe(s)])
def test_discussing_an_unsafe_point_costs_marks_and_says_why(scenario):
    full = full_marks(scenario)
    clean = score_attempt(scenario, full)
    assert clean.penalty == 0
    assert not clean.unsafe_given
    for bad in scenario.unsafe_points():
        for marked in ("discussed", "understood"):
            answers = (replace(full, discussed=full.discussed | {bad.point}) if marked == "discussed"
                       else replace(full, understood=frozenset({bad.point})))
            result = score_attempt(scenario, answers)
            assert result.penalty == bad.penalty
            assert result.earned == clean.earned - bad.penalty
            assert result.score < 100
            given_ = result.unsafe_given
            assert [u.id for u in given_] == [bad.point]
            assert given_[0].reason == bad.reason


def test_at_least_the_withdrawal_and_kidney_stations_list_unsafe_advice():
    assert _active_unsafe(_scenario("stopped-abruptly")) == ["missed_dose_uk", "task_timed_dose"]
    assert _active_unsafe(_scenario("opioid-and-sleeping-tablet")) == ["task_timed_dose"]


def test_missed_dose_advice_two_days_into_withdrawal_costs_marks_with_the_reason():
    s = _scenario("stopped-abruptly")
    full = full_marks(s)
    result = score_attempt(s, replace(full, discussed=full.discussed | {"missed_dose_uk"}))
    assert result.score == percent(result.possible - 4, result.possible)
    assert "two days into withdrawal" in result.unsafe_given[0].reason
    out = result_json(result)
    assert out["unsafe"][0] == {"id": "missed_dose_uk", "title": "Missed dose (UK rule)", "discussed": True,
                                "penalty": 4, "why": result.unsafe_given[0].reason}
    assert [u["discussed"] for u in out["unsafe"][1:]] == [False]


@st.composite
def attempts(draw):  # type: ignore[no-untyped-def]
    scenario = draw(st.sampled_from(SCENARIOS))
    critical = _critical_points(scenario)
    expected = scenario.spec.rubric.action.expected
    options = critical + ([REFERRAL_ID] if expected != "none" else [])
    missed = draw(st.sets(st.sampled_from(options), min_size=1))
    points = [p for p in scenario.counselling.point_ids() if p not in missed]
    discussed = draw(st.sets(st.sampled_from(points))) if points else set()
    asked = draw(st.sets(st.sampled_from([q.id for q in scenario.spec.questions])))
    referral = (draw(st.sampled_from([a for a in ACTIONS if a != expected])) if REFERRAL_ID in missed
                else draw(st.sampled_from(ACTIONS)))
    rating = draw(st.none() | st.integers(0, 100))
    return scenario, missed, Answers(frozenset(asked), frozenset(discussed), rating, referral)


@given(attempts())
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_a_missed_critical_item_fails_whatever_the_rest_of_the_score(attempt):
    scenario, missed, answers = attempt
    result = score_attempt(scenario, answers)
    assert not result.passed
    assert set(missed) <= set(result.critical_missed)
    assert 0 <= result.score <= 100


@given(st.sampled_from(SCENARIOS), st.data())
@settings(max_examples=200, deadline=None)
def test_score_never_drops_when_more_is_covered(scenario, data):
    rubric = [item.point for item in scenario.rubric_items()]
    some = data.draw(st.sets(st.sampled_from(rubric)))
    extra = data.draw(st.sampled_from(rubric))
    a = score_attempt(scenario, Answers(frozenset(), frozenset(some)))
    b = score_attempt(scenario, Answers(frozenset(), frozenset(some | {extra})))
    assert b.score >= a.score


CRITICAL_TAPER = {"taper_plan", "never_stop_suddenly", "withdrawal_signs", "your_doses",
                  "side_effects_urgent", "missed_dose_uk", "mood_self_harm"}


def test_weighted_score_by_hand():
    s = _scenario("taper-no-benefit")
    # Rubric weights 5,4,4,2,2,1,1,1,1,1 (=22) + questions plan_to_stop 2, hospital 1 (=3)
    # + action "none" 2 -> 27 in total.
    answers = Answers(asked=frozenset({"plan_to_stop"}), discussed=frozenset(CRITICAL_TAPER))
    result = score_attempt(s, answers)
    assert (result.earned, result.possible) == (5 + 4 + 4 + 2 + 1 + 1 + 1 + 2 + 2, 27)
    assert result.score == 81
    assert result.passed
    assert result.topic_scores()["screening"] == 66
    assert result.topic_scores()["referral"] == 100


def test_all_criticals_but_below_the_pass_mark_fails():
    s = _scenario("taper-no-benefit")
    answers = Answers(asked=frozenset(), discussed=frozenset(CRITICAL_TAPER))
    result = score_attempt(s, answers)
    assert result.critical_missed == []
    assert result.score == (100 * 20) // 27
    assert result.score >= 70
    worse = score_attempt(s, replace(answers, referral="urgent"))
    assert worse.score < 70
    assert not worse.passed
    assert worse.critical_missed == []


def test_feedback_gives_rationale_sources_a_hint_to_ask_and_the_station_note():
    s = _scenario("driver-who-drinks")
    result = score_attempt(s, Answers(asked=frozenset(), discussed=frozenset(), self_rating=90))
    item = next(i for i in result.points if i.id == "alcohol_regular")
    assert not item.covered
    assert "sedation" in item.why
    assert {src.id for src in item.sources} == {"US-TAB", "CA-PM", "UK-SmPC"}
    assert "Do you drink alcohol?" in item.hint
    driving = next(i for i in result.points if i.id == "driving_driver")
    assert "Here: He drives a van" in driving.why
    assert result.score == percent(2, result.possible)  # only the (correct) "no referral" action
    assert result.gap == 90 - result.score


def test_an_exclusion_keeps_the_point_scored_but_not_critical_and_says_why():
    s = _scenario("stopped-abruptly")
    full = full_marks(s)
    result = score_attempt(s, replace(full, discussed=full.discussed - {"your_doses"}))
    assert result.passed
    item = next(i for i in result.points if i.id == "your_doses")
    assert not item.critical
    assert "urgent medical care" in item.exclusion
    assert result_json(result)["points"][[p["id"] for p in result_json(result)["points"]].index(
        "your_doses")]["not_critical_because"] == item.exclusion


def test_stopped_abruptly_needs_the_urgent_referral_and_the_no_driving_advice():
    s = _scenario("stopped-abruptly")
    full = full_marks(s)
    no_referral = score_attempt(s, replace(full, referral="contact_prescriber"))
    assert no_referral.critical_missed == [REFERRAL_ID]
    assert not no_referral.passed
    assert "withdrawal" in no_referral.action.reason
    drove = score_attempt(s, replace(full, discussed=full.discussed - {"driving_driver"}))
    assert drove.critical_missed == ["driving_driver"]
    item = next(i for i in drove.points if i.id == "driving_driver")
    assert "ambulance or a lift" in item.why
    assert "Did you drive here today?" in score_attempt(
        s, replace(full, asked=full.asked - {"drives"}, discussed=full.discussed - {"driving_driver"})
    ).points[1].hint


def test_older_adult_kidney_expects_contact_with_the_prescriber_not_an_urgent_referral():
    s = _scenario("older-adult-kidney")
    full = full_marks(s)
    assert s.spec.rubric.action.expected == "contact_prescriber"
    assert score_attempt(s, full).passed
    handed_over = score_attempt(s, replace(full, referral="none"))
    assert not handed_over.passed
    assert handed_over.action.missing
    to_ae = score_attempt(s, replace(full, referral="urgent"))
    assert not to_ae.passed  # the required action (the prescriber) was not taken


def test_legacy_referred_true_means_urgent():
    s = _scenario("stopped-abruptly")
    data = {"asked": sorted(full_marks(s).asked), "discussed": sorted(full_marks(s).discussed),
            "referred": True}
    answers = parse_answers(data, s)
    assert answers.referral == "urgent"
    assert answers.referred
    assert score_attempt(s, answers).passed
    data["referred"] = False
    assert parse_answers(data, s).referral == "none"
    assert not score_attempt(s, parse_answers(data, s)).passed


def test_result_json_shape():
    s = _scenario("pregnancy")
    out = result_json(score_attempt(s, full_marks(s)))
    assert out["score"] == 100
    assert out["passed"] is True
    assert out["critical_missed"] == []
    assert out["action"] | {} == out["action"]
    assert {k: out["action"][k] for k in ("expected", "given", "ok")} == {
        "expected": "contact_prescriber", "given": "contact_prescriber", "ok": True}
    assert out["unsafe"] == []
    assert {"id", "covered", "weight", "why", "sources", "critical"} <= set(out["points"][0])
    assert {"score", "passed", "critical_missed", "action", "unsafe", "points"} <= set(out)


def test_percent_rounds_down():
    assert percent(2, 3) == 66
    assert percent(0, 0) == 100
    assert percent(139, 200) == 69


@pytest.mark.parametrize(("data", "message"), [
    ([], "(top level): must be a JSON object"),
    ({"asked": "alcohol"}, "asked: must be a list of ids"),
    ({"asked": ["nope"]}, "asked: 'nope' is not a question"),
    ({"discussed": ["pregnancy"]}, "discussed: 'pregnancy' is not a checklist point"),
    ({"understood": ["pregnancy"]}, "understood: 'pregnancy' is not a checklist point"),
    ({"self_rating": 101}, "self_rating: must be a whole number from 0 to 100"),
    ({"self_rating": True}, "self_rating: must be a whole number"),
    ({"referred": "yes"}, "referred: must be true or false"),
    ({"referral": "maybe"}, "referral: must be one of none, contact_prescriber, urgent"),
    ({"referral": "none", "referred": True}, "referred: disagrees with referral 'none'"),
    ({"examiner_rating": 6}, "examiner_rating: must be a whole number from 1 to 5"),
    ({"examiner_comment": 3}, "examiner_comment: must be text"),
    ({"mode": "closed"}, "mode: must be"),
    ({"colour": 1}, "colour: unknown field"),
])
def test_bad_answers_are_one_line(data, message):
    with pytest.raises(AnswersError) as info:
        parse_answers(data, _scenario("driver-who-drinks"), source="a.json")
    assert str(info.value).startswith("a.json: ")
    assert "\n" not in str(info.value)
    assert message in str(info.value)


def test_good_answers_parse():
    a = parse_answers({"asked": ["alcohol"], "discussed": ["alcohol"], "self_rating": 80},
                      _scenario("driver-who-drinks"))
    assert a == Answers(frozenset({"alcohol"}), frozenset({"alcohol"}), 80, "none")
    b = parse_answers({"referral": "contact_prescriber", "understood": ["alcohol"], "mode": "blind",
                       "examiner_rating": 4, "examiner_comment": " Clear. "},
                      _scenario("driver-who-drinks"))
    assert (b.referral, b.covered, b.mode, b.examiner_rating, b.examiner_comment) == (
        "contact_prescriber", frozenset({"alcohol"}), "blind", 4, "Clear.")
