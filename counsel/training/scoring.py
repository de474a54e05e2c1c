"""Scoring a training attempt: pure functions from (scenario, answers) to a scored result.

Score = weighted percentage of the station's items, rounded down, so 100 means everything.
Items are the rubric's checklist points (covered = marked discussed or understood), the
screening questions with a weight (covered = asked) and the action (covered = the action the
station expects: none, contact the prescriber, or an urgent referral). Each unsafe point the
trainee discussed takes its penalty off the marks earned.

Passed = no critical point missed AND the required action taken (when the station requires one)
AND score >= the scenario's pass mark. Critical points come from the monograph (see
Scenario.rubric_items), so the station and the counter agree on what "critical" means.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, cast

from counsel.core.errors import CounselError
from counsel.training.scenarios import (
    ACTION_LABELS,
    ACTIONS,
    REFERRAL_ID,
    REFERRAL_TOPIC,
    SCREENING_TOPIC,
    Action,
    Scenario,
)

Mode = Literal["open", "blind"]
EXAMINER_RATINGS: dict[int, str] = {
    1: "Clear fail", 2: "Borderline", 3: "Clear pass", 4: "Good", 5: "Excellent",
}
ANSWER_KEYS = frozenset({
    "asked", "discussed", "understood", "self_rating", "referred", "referral", "mode",
    "examiner_rating", "examiner_comment",
})


class AnswersError(CounselError):
    """An answers file (or GUI state) that does not fit the scenario."""

    def __init__(self, source: str, field: str, problem: str) -> None:
        where = f"{source}: " if source else ""
        super().__init__(f"{where}{field}: {problem}")


@dataclass(frozen=True)
class Answers:
    """What the trainee did (questions asked, points marked, the action) and how it was examined."""

    asked: frozenset[str]
    discussed: frozenset[str]
    self_rating: int | None = None
    referral: Action = "none"
    understood: frozenset[str] = field(default_factory=frozenset)
    mode: Mode = "open"
    examiner_rating: int | None = None
    examiner_comment: str = ""

    @property
    def covered(self) -> frozenset[str]:
        """Points marked discussed or understood (teach-back)."""
        return self.discussed | self.understood

    @property
    def referred(self) -> bool:
        return self.referral == "urgent"


@dataclass(frozen=True)
class SourceRef:
    id: str
    title: str
    url: str


@dataclass(frozen=True)
class ItemFeedback:
    """One scored item: a checklist point, a weighted screening question or the action."""

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
    exclusion: str = ""  # why a point the monograph makes critical is not critical here


@dataclass(frozen=True)
class UnsafeFeedback:
    """A point that is wrong advice for this patient, and whether the trainee gave it."""

    id: str
    title: str
    reason: str
    penalty: int
    discussed: bool


@dataclass(frozen=True)
class ActionFeedback:
    expected: Action
    given: Action
    reason: str
    weight: int

    @property
    def ok(self) -> bool:
        return self.given == self.expected

    @property
    def required(self) -> bool:
        return self.expected != "none"

    @property
    def missing(self) -> bool:
        """A required action not taken (any other action fails the station)."""
        return self.required and not self.ok


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
    action: ActionFeedback
    unsafe: tuple[UnsafeFeedback, ...] = ()
    penalty: int = 0
    mode: Mode = "open"
    examiner_rating: int | None = None
    examiner_comment: str = ""

    @property
    def referred(self) -> bool:
        return self.action.given == "urgent"

    @property
    def critical_missed(self) -> list[str]:
        """Critical points not covered, then "referral" when the required action was missing."""
        missed = [i.id for i in self.items if i.kind == "point" and i.critical and not i.covered]
        return missed + ([REFERRAL_ID] if self.action.missing else [])

    @property
    def unsafe_given(self) -> list[UnsafeFeedback]:
        return [u for u in self.unsafe if u.discussed]

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
    """Validate raw answers, e.g. {"asked": [...], "discussed": [...], "referral": "urgent"}.

    `referred: true` (the older form) means `referral: "urgent"`; false means "none".
    """
    if not isinstance(data, dict):
        raise AnswersError(source, "(top level)", "must be a JSON object")
    unknown = sorted(set(data) - ANSWER_KEYS)
    if unknown:
        raise AnswersError(source, unknown[0], "unknown field")
    asked = _id_list(data.get("asked", []), "asked", source)
    question_ids = {q.id for q in scenario.spec.questions}
    for qid in asked:
        if qid not in question_ids:
            raise AnswersError(source, "asked", f"'{qid}' is not a question in scenario "
                                                f"{scenario.id} (known: {', '.join(sorted(question_ids))})")
    point_ids = set(scenario.counselling.point_ids())
    marked: dict[str, list[str]] = {}
    for key in ("discussed", "understood"):
        marked[key] = _id_list(data.get(key, []), key, source)
        for pid in marked[key]:
            if pid not in point_ids:
                raise AnswersError(source, key,
                                   f"'{pid}' is not a checklist point for scenario {scenario.id}")
    rating = _rating(data.get("self_rating"), "self_rating", 0, 100, source)
    examiner = _rating(data.get("examiner_rating"), "examiner_rating", 1, 5, source)
    comment = data.get("examiner_comment", "")
    if not isinstance(comment, str):
        raise AnswersError(source, "examiner_comment", "must be text")
    mode = data.get("mode", "open")
    if mode not in ("open", "blind"):
        raise AnswersError(source, "mode", f"must be \"open\" or \"blind\" (got {mode!r})")
    return Answers(asked=frozenset(asked), discussed=frozenset(marked["discussed"]),
                   understood=frozenset(marked["understood"]), self_rating=rating,
                   referral=_referral(data, source), mode=cast(Mode, mode),
                   examiner_rating=examiner, examiner_comment=comment.strip())


def _referral(data: dict[str, Any], source: str) -> Action:
    referred = data.get("referred")
    if referred is not None and not isinstance(referred, bool):
        raise AnswersError(source, "referred", f"must be true or false (got {referred!r})")
    referral = data.get("referral")
    if referral is None:
        return "urgent" if referred else "none"
    if referral not in ACTIONS:
        raise AnswersError(source, "referral", f"must be one of {', '.join(ACTIONS)} (got {referral!r})")
    if referred is not None and referred != (referral == "urgent"):
        raise AnswersError(source, "referred", f"disagrees with referral {referral!r}; give only referral")
    return cast(Action, referral)


def _rating(value: Any, field: str, low: int, high: int, source: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise AnswersError(source, field, f"must be a whole number from {low} to {high} (got {value!r})")
    return value


def _id_list(value: Any, field: str, source: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AnswersError(source, field, "must be a list of ids (strings)")
    return value


def action_title(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def score_attempt(scenario: Scenario, answers: Answers) -> Result:
    """Score one attempt against the scenario's rubric (pure)."""
    result = scenario.counselling
    hidden = scenario.hidden_points()
    covered_ids = answers.covered
    items: list[ItemFeedback] = []
    for rp in scenario.rubric_items():
        sp = scenario.point(rp.point)
        covered = rp.point in covered_ids
        hint = ""
        if not covered and rp.point in hidden and hidden[rp.point] not in answers.asked:
            hint = f"Ask: \u201c{scenario.question(hidden[rp.point]).text}\u201d to find this need."
        items.append(ItemFeedback(
            kind="point", id=rp.point, title=sp.point.title, topic=scenario.topic_of(rp.point),
            weight=rp.weight, critical=rp.critical, covered=covered,
            why=sp.why if not rp.note else f"{sp.why} Here: {rp.note}",
            sources=tuple(SourceRef(s, result.monograph.source(s).title, result.monograph.source(s).url)
                          for s in sp.point.sources),
            hint=hint, exclusion=rp.exclusion or "",
        ))
    for q in scenario.spec.questions:
        if q.weight:
            items.append(ItemFeedback(
                kind="question", id=q.id, title=q.text, topic=SCREENING_TOPIC, weight=q.weight,
                critical=False, covered=q.id in answers.asked,
                why=q.answer,
            ))
    expected = scenario.spec.rubric.action
    action = ActionFeedback(expected=expected.expected, given=answers.referral,
                            reason=expected.reason, weight=expected.weight)
    items.append(ItemFeedback(
        kind="referral", id=REFERRAL_ID, title=f"Action: {action_title(expected.expected)}",
        topic=REFERRAL_TOPIC, weight=expected.weight, critical=action.required, covered=action.ok,
        why=expected.reason,
    ))
    unsafe = tuple(
        UnsafeFeedback(id=u.point, title=scenario.point(u.point).point.title, reason=u.reason,
                       penalty=u.penalty, discussed=u.point in covered_ids)
        for u in scenario.unsafe_points()
    )
    penalty = sum(u.penalty for u in unsafe if u.discussed)
    earned = max(0, sum(i.weight for i in items if i.covered) - penalty)
    possible = sum(i.weight for i in items)
    score = percent(earned, possible)
    pass_mark = scenario.spec.rubric.pass_mark
    critical_missed = any(i.kind == "point" and i.critical and not i.covered for i in items)
    return Result(
        scenario_id=scenario.id, score=score, pass_mark=pass_mark,
        passed=not critical_missed and not action.missing and score >= pass_mark,
        earned=earned, possible=possible, items=tuple(items), self_rating=answers.self_rating,
        action=action, unsafe=unsafe, penalty=penalty, mode=answers.mode,
        examiner_rating=answers.examiner_rating, examiner_comment=answers.examiner_comment,
    )


def full_marks(scenario: Scenario) -> Answers:
    """Answers that cover every rubric item and nothing unsafe (tests and the model answer)."""
    return Answers(
        asked=frozenset(q.id for q in scenario.spec.questions),
        discussed=frozenset(item.point for item in scenario.rubric_items()),
        referral=scenario.spec.rubric.action.expected,
    )


def result_json(result: Result) -> dict[str, Any]:
    """The `train score --json` shape."""
    return {
        "scenario": result.scenario_id,
        "score": result.score,
        "pass_mark": result.pass_mark,
        "passed": result.passed,
        "critical_missed": result.critical_missed,
        "action": {"expected": result.action.expected, "given": result.action.given,
                   "ok": result.action.ok, "required": result.action.required,
                   "weight": result.action.weight, "why": result.action.reason},
        "unsafe": [{"id": u.id, "title": u.title, "discussed": u.discussed, "penalty": u.penalty,
                    "why": u.reason} for u in result.unsafe],
        "points": [_item_json(i) for i in result.items if i.kind == "point"],
        "questions": [_item_json(i) for i in result.items if i.kind == "question"],
        "topics": result.topic_scores(),
        "self_rating": result.self_rating,
        "self_rating_gap": result.gap,
        "mode": result.mode,
        "examiner_rating": result.examiner_rating,
        "examiner_comment": result.examiner_comment,
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
        if item.exclusion:
            out["not_critical_because"] = item.exclusion
    return out
