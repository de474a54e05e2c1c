"""Scoring: full coverage passes with 100; any missed critical item fails whatever the rest."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counsel.core.content import default_catalog
from counsel.training.scenarios import REFERRAL_ID, Scenario, load_scenarios
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


def _without(scenario: Scenario, answers: Answers, item: str) -> Answers:
    """The same answers with one critical item (a point, or the referral) not done."""
    if item == REFERRAL_ID:
        return Answers(asked=answers.asked, discussed=answers.discussed, referred=False)
    return Answers(asked=answers.asked, discussed=answers.discussed - {item},
                   referred=answers.referred)


def _critical_items(scenario: Scenario) -> list[str]:
    items = [rp.point for rp in scenario.spec.rubric.points if rp.critical]
    return items + ([REFERRAL_ID] if scenario.spec.rubric.must_refer else [])


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_covering_everything_scores_100_and_passes(scenario):
    result = score_attempt(scenario, full_marks(scenario))
    assert result.score == 100
    assert result.passed
    assert result.critical_missed == []
    assert all(i.covered for i in result.items)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_missing_any_one_critical_item_fails_the_station(scenario):
    full = full_marks(scenario)
    for item in _critical_items(scenario):
        result = score_attempt(scenario, _without(scenario, full, item))
        assert not result.passed, item
        assert result.critical_missed == [item]
        assert result.score < 100


@st.composite
def attempts(draw):  # type: ignore[no-untyped-def]
    scenario = draw(st.sampled_from(SCENARIOS))
    critical = _critical_items(scenario)
    missed = draw(st.sets(st.sampled_from(critical), min_size=1))
    points = [p for p in scenario.counselling.point_ids() if p not in missed]
    discussed = draw(st.sets(st.sampled_from(points))) if points else set()
    asked = draw(st.sets(st.sampled_from([q.id for q in scenario.spec.questions])))
    referred = REFERRAL_ID not in missed and draw(st.booleans())
    rating = draw(st.none() | st.integers(0, 100))
    return scenario, missed, Answers(frozenset(asked), frozenset(discussed), rating, referred)


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
    rubric = [rp.point for rp in scenario.spec.rubric.points]
    some = data.draw(st.sets(st.sampled_from(rubric)))
    extra = data.draw(st.sampled_from(rubric))
    a = score_attempt(scenario, Answers(frozenset(), frozenset(some)))
    b = score_attempt(scenario, Answers(frozenset(), frozenset(some | {extra})))
    assert b.score >= a.score


def _scenario(sid: str) -> Scenario:
    return next(s for s in SCENARIOS if s.id == sid)


def test_weighted_score_by_hand():
    s = _scenario("taper-no-benefit")
    # Rubric weights 5,4,4,2,1,1 (=17) + questions plan_to_stop 2, hospital 1 (=3) -> 20 in total.
    answers = Answers(asked=frozenset({"plan_to_stop"}),
                      discussed=frozenset({"taper_plan", "never_stop_suddenly", "withdrawal_signs"}))
    result = score_attempt(s, answers)
    assert (result.earned, result.possible) == (15, 20)
    assert result.score == 75
    assert result.passed
    assert result.topic_scores()["withdrawal"] == (100 * 13) // 15
    assert result.topic_scores()["screening"] == 66


def test_all_criticals_but_below_the_pass_mark_fails():
    s = _scenario("taper-no-benefit")
    answers = Answers(asked=frozenset(), discussed=frozenset({"taper_plan", "never_stop_suddenly",
                                                             "withdrawal_signs"}))
    result = score_attempt(s, answers)
    assert result.critical_missed == []
    assert result.score == 65
    assert not result.passed


def test_feedback_gives_rationale_sources_and_a_hint_to_ask():
    s = _scenario("driver-who-drinks")
    result = score_attempt(s, Answers(asked=frozenset(), discussed=frozenset(), self_rating=90))
    item = next(i for i in result.points if i.id == "alcohol_regular")
    assert not item.covered
    assert "sedation" in item.why
    assert {src.id for src in item.sources} == {"US-TAB", "CA-PM", "UK-SmPC"}
    assert "Do you drink alcohol?" in item.hint
    assert result.score == 0
    assert result.gap == 90


def test_must_refer_is_a_critical_item():
    s = _scenario("stopped-abruptly")
    full = full_marks(s)
    no_referral = score_attempt(s, Answers(full.asked, full.discussed, referred=False))
    assert no_referral.critical_missed == [REFERRAL_ID]
    assert not no_referral.passed
    referral = next(i for i in no_referral.items if i.kind == "referral")
    assert "withdrawal" in referral.why


def test_result_json_shape():
    s = _scenario("pregnancy")
    out = result_json(score_attempt(s, full_marks(s)))
    assert out["score"] == 100
    assert out["passed"] is True
    assert out["critical_missed"] == []
    assert {"id", "covered", "weight", "why", "sources", "critical"} <= set(out["points"][0])


def test_percent_rounds_down():
    assert percent(2, 3) == 66
    assert percent(0, 0) == 100
    assert percent(139, 200) == 69


@pytest.mark.parametrize(("data", "message"), [
    ([], "(top level): must be a JSON object"),
    ({"asked": "alcohol"}, "asked: must be a list of ids"),
    ({"asked": ["nope"]}, "asked: 'nope' is not a question"),
    ({"discussed": ["pregnancy"]}, "discussed: 'pregnancy' is not a checklist point"),
    ({"self_rating": 101}, "self_rating: must be a whole number from 0 to 100"),
    ({"self_rating": True}, "self_rating: must be a whole number"),
    ({"referred": "yes"}, "referred: must be true or false"),
    ({"colour": 1}, "colour: unknown field"),
])
def test_bad_answers_are_one_line(data, message):
    with pytest.raises(AnswersError) as info:
        parse_answers(data, _scenario("driver-who-drinks"), source="a.json")
    assert str(info.value).startswith("a.json: ")
    assert message in str(info.value)


def test_good_answers_parse():
    a = parse_answers({"asked": ["alcohol"], "discussed": ["alcohol"], "self_rating": 80},
                      _scenario("driver-who-drinks"))
    assert a == Answers(frozenset({"alcohol"}), frozenset({"alcohol"}), 80, False)
