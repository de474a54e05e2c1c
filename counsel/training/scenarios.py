"""Training scenarios: a scripted patient on the real checklist, as validated data.

A scenario is one YAML file in resources/scenarios/. Its patient is an ordinary case file, so the
rules engine selects the same points the trainee will meet at the counter; the rubric may only
name points that engine really selects for that case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from counsel import paths
from counsel.core.case import Case, parse_case
from counsel.core.content import Catalog, load_model
from counsel.core.errors import CaseError, ContentError
from counsel.core.rules import Counselling, SelectedPoint, counsel_case

ID_RE = r"^[a-z][a-z0-9_]*$"
SCENARIO_ID_RE = r"^[a-z][a-z0-9-]*$"
Topic = Literal[
    "about", "dosing", "missed_doses", "alcohol", "driving", "withdrawal",
    "side_effects", "special_populations", "storage", "follow_up", "intrathecal",
]
# Screening questions and the referral decision are scored under their own topics.
SCREENING_TOPIC = "screening"
REFERRAL_TOPIC = "referral"
REFERRAL_ID = "referral"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Question(_Strict):
    """A screening question; the patient reveals `answer` only when the trainee asks it."""

    id: str = Field(pattern=ID_RE)
    text: str = Field(min_length=5, max_length=120)
    answer: str = Field(min_length=2, max_length=400)
    weight: int = Field(default=0, ge=0, le=5, description="Score weight for asking it; 0 = not scored")
    unlocks: list[str] = Field(
        default_factory=list,
        description="Checklist points the trainee only sees once this question is asked",
    )


class RubricPoint(_Strict):
    """One expected checklist point, with its weight and whether missing it fails the station."""

    point: str = Field(pattern=ID_RE)
    weight: int = Field(ge=1, le=5)
    critical: bool = False
    justification: str | None = Field(
        default=None, min_length=10,
        description="Required when a point the monograph does not mark critical is critical here",
    )


class Referral(_Strict):
    """The station expects the trainee to refer the patient (always a critical item)."""

    reason: str = Field(min_length=10)
    weight: int = Field(default=3, ge=1, le=5)


class Rubric(_Strict):
    pass_mark: int = Field(default=70, ge=50, le=100)
    time_minutes: int = Field(ge=3, le=20)
    points: list[RubricPoint] = Field(min_length=1)
    must_refer: Referral | None = None

    @field_validator("points")
    @classmethod
    def _unique_points(cls, value: list[RubricPoint]) -> list[RubricPoint]:
        seen: set[str] = set()
        for item in value:
            if item.point in seen:
                raise ValueError(f"point '{item.point}' is listed twice")
            seen.add(item.point)
        return value


class ScenarioSpec(_Strict):
    """The file format of one scenario."""

    schema_version: Literal[1]
    id: str = Field(pattern=SCENARIO_ID_RE)
    title: str = Field(min_length=5, max_length=80)
    difficulty: int = Field(ge=1, le=3)
    topics: list[Topic] = Field(min_length=1)
    door_sign: str = Field(min_length=20, max_length=800)
    opening: str = Field(min_length=5, max_length=400, description="What the patient says first")
    case: dict[str, Any]
    questions: list[Question] = Field(min_length=1)
    rubric: Rubric

    @model_validator(mode="after")
    def _unique_questions(self) -> ScenarioSpec:
        seen: set[str] = set()
        for i, q in enumerate(self.questions):
            if q.id in seen:
                raise ValueError(f"questions.{i}.id: duplicate question id '{q.id}'")
            seen.add(q.id)
        return self


@dataclass(frozen=True)
class Scenario:
    """A validated scenario with its parsed case and the checklist the rules engine selects."""

    spec: ScenarioSpec
    case: Case
    counselling: Counselling
    source: str

    @property
    def id(self) -> str:
        return self.spec.id

    def question(self, question_id: str) -> Question:
        return next(q for q in self.spec.questions if q.id == question_id)

    def point(self, point_id: str) -> SelectedPoint:
        return next(p for p in self.counselling.points if p.id == point_id)

    def topic_of(self, point_id: str) -> str:
        section = self.counselling.monograph.section(self.point(point_id).point.section)
        return section.topic

    def hidden_points(self) -> dict[str, str]:
        """Point id -> id of the question that unlocks it."""
        return {pid: q.id for q in self.spec.questions for pid in q.unlocks}

    def visible_points(self, asked: set[str] | frozenset[str]) -> list[SelectedPoint]:
        """The checklist the trainee sees after asking `asked`."""
        hidden = self.hidden_points()
        return [p for p in self.counselling.points if p.id not in hidden or hidden[p.id] in asked]


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(paths.DATA_ROOT))
    except ValueError:
        return str(path)


def load_scenario(path: Path, catalog: Catalog) -> Scenario:
    """Load, validate and cross-check one scenario file; problems are one ContentError line."""
    spec = load_model(path, ScenarioSpec)
    shown = _display(path)
    if spec.id != path.stem:
        raise ContentError(shown, "id", f"'{spec.id}' must match the file name '{path.stem}'")
    rx = spec.case.get("prescription")
    start = rx.get("start_date") if isinstance(rx, dict) else None
    if not isinstance(start, str | date):
        raise ContentError(shown, "case.prescription.start_date",
                           "missing (a scenario fixes its own dates)")
    try:
        # The case's own start date stands in for "today": scenarios never depend on the clock.
        today = start if isinstance(start, date) else date.fromisoformat(start)
        case = parse_case(spec.case, today=today, source=shown)
        result = counsel_case(case, catalog)
    except (CaseError, ValueError) as exc:
        if isinstance(exc, CaseError):
            raise ContentError(shown, f"case.{exc.field}".rstrip("."), exc.problem) from None
        raise ContentError(shown, "case.prescription.start_date", str(exc)) from None
    _cross_check(spec, result, shown)
    return Scenario(spec=spec, case=case, counselling=result, source=shown)


def _cross_check(spec: ScenarioSpec, result: Counselling, shown: str) -> None:
    selected = {p.id: p for p in result.points}
    for i, item in enumerate(spec.rubric.points):
        sp = selected.get(item.point)
        if sp is None:
            raise ContentError(shown, f"rubric.points.{i}.point",
                               f"'{item.point}' is not a point the checklist selects for this case")
        if item.critical and not sp.point.critical and not item.justification:
            raise ContentError(shown, f"rubric.points.{i}.justification",
                               f"'{item.point}' is not critical in the monograph: say why it is here")
    unlocked: set[str] = set()
    for i, q in enumerate(spec.questions):
        for j, pid in enumerate(q.unlocks):
            if pid not in selected:
                raise ContentError(shown, f"questions.{i}.unlocks.{j}",
                                   f"'{pid}' is not a point the checklist selects for this case")
            if pid in unlocked:
                raise ContentError(shown, f"questions.{i}.unlocks.{j}",
                                   f"'{pid}' is already unlocked by another question")
            unlocked.add(pid)
    if not any(item.critical for item in spec.rubric.points) and spec.rubric.must_refer is None:
        raise ContentError(shown, "rubric.points", "a station needs at least one critical item")
    mono_topics = {s.topic for s in result.monograph.sections}
    for i, topic in enumerate(spec.topics):
        if topic not in mono_topics:
            raise ContentError(shown, f"topics.{i}", f"'{topic}' is not a topic of the monograph")


def scenario_files(folder: Path = paths.SCENARIOS_DIR) -> list[Path]:
    return sorted(folder.glob("*.yaml")) if folder.exists() else []


def load_scenarios(catalog: Catalog, folder: Path = paths.SCENARIOS_DIR) -> list[Scenario]:
    """Every scenario in the folder, sorted by difficulty then title."""
    loaded = [load_scenario(p, catalog) for p in scenario_files(folder)]
    return sorted(loaded, key=lambda s: (s.spec.difficulty, s.spec.title))


def validate_scenarios(catalog: Catalog) -> int:
    """Validate every scenario file; returns how many there are."""
    return len(load_scenarios(catalog))
