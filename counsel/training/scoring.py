"""Scoring a training attempt: pure functions from (scenario, answers) to a scored result.

Score = weighted percentage of rubric items covered, rounded down, so 100 means everything.
Items are the rubric's checklist points (covered = marked discussed), the screening questions
with a weight (covered = asked) and, when the station expects it, the referral (covered =
referred). Passed = no critical item missed AND score >= the scenario's pass mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from counsel.core.errors import CounselError
from counsel.training.scenarios import (
    REFERRAL_ID,
    REFERRAL_TOPIC,
    SCREENING_TOPIC,
    Scenario,
)


class AnswersError(CounselError):
    """An answers file (or GUI state) that does not fit the scenario."""

    def __init__(self, source: str, field: str, problem: str) -> None:
        where = f"{source}: " if source else ""
        super().__init__(f"{where}{field}: {problem}")


@dataclass(frozen=True)
class Answers:
    """What the trainee did: questions asked, points marked discussed, referral, self-rating."""

    asked: frozenset[str]
    discussed: frozenset[str]
    self_rating: int | None = None
    referred: bool = False


@dataclass(frozen=True)
class SourceRef:
    id: str
    title: str
    url: str


@dataclass(frozen=True)
class ItemFeedback:
    """One scored item: a checklist point, a weighted screening question or the referral."""

    kind: str  # "point" | "question" | "referral"
    id: str
    title: str
    topic: str
    weight: int
    critical: bool
    covered: bool
    why: str
    sources: tuple[SourceRef, ...] = ()
    hint: str = ""


@dataclass(frozen=True)
class Result:
    scenario_id: str
    score: int
    pass_mark: int
    passed: bool
    earned: int
    possible: int
    items: tuple[ItemFeedback, ...]
    self_rating: int | None
    referred: bool

    @property
    def critical_missed(self) -> list[str]:
        return [i.id for i in self.items if i.critical and not i.covered]

    @property
    def points(self) -> list[ItemFeedback]:
        return [i for i in self.items if i.kind == "point"]

    @property
    def gap(self) -> int | None:
        """Self-rating minus score: positive means the trainee rated themself too high."""
        return None if self.self_rating is None else self.self_rating - self.score

    def topic_scores(self) -> dict[str, int]:
        """Weighted percentage per topic (monograph section topic, screening, referral)."""
        earned: dict[str, int] = {}
        possible: dict[str, int] = {}
        for item in self.items:
            possible[item.topic] = possible.get(item.topic, 0) + item.weight
            earned[item.topic] = earned.get(item.topic, 0) + (item.weight if item.covered else 0)
        return {t: percent(earned[t], possible[t]) for t in possible}


def percent(earned: int, possible: int) -> int:
    """Whole percent, rounded down (integer maths: no float edge cases at the pass mark)."""
    return 100 if possible == 0 else (100 * earned) // possible


def parse_answers(data: Any, scenario: Scenario, *, source: str = "answers") -> Answers:
    """Validate raw answers ({"asked": [...], "discussed": [...], "self_rating": 80, "referred": false})."""
    if not isinstance(data, dict):
        raise AnswersError(source, "(top level)", "must be a JSON object")
    unknown = sorted(set(data) - {"asked", "discussed", "self_rating", "referred"})
    if unknown:
        raise AnswersError(source, unknown[0], "unknown field")
    asked = _id_list(data.get("asked", []), "asked", source)
    discussed = _id_list(data.get("discussed", []), "discussed", source)
    question_ids = {q.id for q in scenario.spec.questions}
    for qid in asked:
        if qid not in question_ids:
            raise AnswersError(source, "asked", f"'{qid}' is not a question in scenario "
                                                f"{scenario.id} (known: {', '.join(sorted(question_ids))})")
    point_ids = set(scenario.counselling.point_ids())
    for pid in discussed:
        if pid not in point_ids:
            raise AnswersError(source, "discussed",
                               f"'{pid}' is not a checklist point for scenario {scenario.id}")
    rating = data.get("self_rating")
    if rating is not None and (not isinstance(rating, int) or isinstance(rating, bool)
                               or not 0 <= rating <= 100):
        raise AnswersError(source, "self_rating", f"must be a whole number from 0 to 100 (got {rating!r})")
    referred = data.get("referred", False)
    if not isinstance(referred, bool):
        raise AnswersError(source, "referred", f"must be true or false (got {referred!r})")
    return Answers(asked=frozenset(asked), discussed=frozenset(discussed),
                   self_rating=rating, referred=referred)


def _id_list(value: Any, field: str, source: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AnswersError(source, field, "must be a list of ids (strings)")
    return value


def score_attempt(scenario: Scenario, answers: Answers) -> Result:
    """Score one attempt against the scenario's rubric (pure)."""
    result = scenario.counselling
    hidden = scenario.hidden_points()
    items: list[ItemFeedback] = []
    for rp in scenario.spec.rubric.points:
        sp = scenario.point(rp.point)
        covered = rp.point in answers.discussed
        hint = ""
        if not covered and rp.point in hidden and hidden[rp.point] not in answers.asked:
            hint = f"Ask: \u201c{scenario.question(hidden[rp.point]).text}\u201d to find this need."
        items.append(ItemFeedback(
            kind="point", id=rp.point, title=sp.point.title, topic=scenario.topic_of(rp.point),
            weight=rp.weight, critical=rp.critical, covered=covered,
            why=sp.why if not rp.justification else f"{sp.why} Here: {rp.justification}",
            sources=tuple(SourceRef(s, result.monograph.source(s).title, result.monograph.source(s).url)
                          for s in sp.point.sources),
            hint=hint,
        ))
    for q in scenario.spec.questions:
        if q.weight:
            items.append(ItemFeedback(
                kind="question", id=q.id, title=q.text, topic=SCREENING_TOPIC, weight=q.weight,
                critical=False, covered=q.id in answers.asked,
                why=q.answer,
            ))
    referral = scenario.spec.rubric.must_refer
    if referral is not None:
        items.append(ItemFeedback(
            kind="referral", id=REFERRAL_ID, title="Refer for urgent help", topic=REFERRAL_TOPIC,
            weight=referral.weight, critical=True, covered=answers.referred, why=referral.reason,
        ))
    earned = sum(i.weight for i in items if i.covered)
    possible = sum(i.weight for i in items)
    score = percent(earned, possible)
    pass_mark = scenario.spec.rubric.pass_mark
    critical_missed = any(i.critical and not i.covered for i in items)
    return Result(
        scenario_id=scenario.id, score=score, pass_mark=pass_mark,
        passed=not critical_missed and score >= pass_mark, earned=earned, possible=possible,
        items=tuple(items), self_rating=answers.self_rating, referred=answers.referred,
    )


def full_marks(scenario: Scenario) -> Answers:
    """Answers that cover every rubric item (used by tests and the 'model answer' view)."""
    return Answers(
        asked=frozenset(q.id for q in scenario.spec.questions),
        discussed=frozenset(rp.point for rp in scenario.spec.rubric.points),
        referred=scenario.spec.rubric.must_refer is not None,
    )


def result_json(result: Result) -> dict[str, Any]:
    """The `train score --json` shape."""
    return {
        "scenario": result.scenario_id,
        "score": result.score,
        "pass_mark": result.pass_mark,
        "passed": result.passed,
        "critical_missed": result.critical_missed,
        "self_rating": result.self_rating,
        "self_rating_gap": result.gap,
        "referred": result.referred,
        "topics": result.topic_scores(),
        "points": [_item_json(i) for i in result.items if i.kind == "point"],
        "questions": [_item_json(i) for i in result.items if i.kind == "question"],
        "referral": next((_item_json(i) for i in result.items if i.kind == "referral"), None),
    }


def _item_json(item: ItemFeedback) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": item.id, "title": item.title, "topic": item.topic, "covered": item.covered,
        "weight": item.weight, "critical": item.critical, "why": item.why,
    }
    if item.kind == "point":
        out["sources"] = [{"id": s.id, "title": s.title, "url": s.url} for s in item.sources]
        if item.hint:
            out["hint"] = item.hint
    return out
