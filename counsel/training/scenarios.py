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
# Screening questions and the action (referral) decision are scored under their own topics.
SCREENING_TOPIC = "screening"
REFERRAL_TOPIC = "referral"
REFERRAL_ID = "referral"
# A critical point of the case that the rubric does not list is still scored, with this weight:
# a content change that makes a point critical reaches every station without editing it.
DEFAULT_CRITICAL_WEIGHT = 3

Action = Literal["none", "contact_prescriber", "urgent"]
ACTIONS: tuple[Action, ...] = ("none", "contact_prescriber", "urgent")
ACTION_LABELS: dict[str, str] = {
    "none": "No referral: supply and counsel",
    "contact_prescriber": "Contact the prescriber (or pump clinic) today",
    "urgent": "Urgent referral: emergency care today",
}


def case_critical(point: SelectedPoint) -> bool:
    """Whether the monograph makes this point critical for this case.

    The one source of "critical" for the counter's cards and for training. A case-level flag on
    the selected point (content whose criticality depends on the patient) wins over the point's
    own flag.
    """
    value = getattr(point, "critical", None)
    return value if isinstance(value, bool) else bool(point.point.critical)


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
    """One expected checklist point and its weight. Whether it is critical comes from the monograph."""

    point: str = Field(pattern=ID_RE)
    weight: int = Field(ge=1, le=5)
    not_critical: str | None = Field(
        default=None, min_length=10,
        description="A written exclusion: why a point the monograph makes critical is not critical here",
    )
    note: str | None = Field(
        default=None, min_length=10,
        description="What this point means for this patient (shown in the feedback)",
    )

    @model_validator(mode="before")
    @classmethod
    def _no_local_critical(cls, data: Any) -> Any:
        # Criticality has one source (the monograph); a station can only exclude, with a reason.
        if isinstance(data, dict) and ("critical" in data or "justification" in data):
            raise ValueError("'critical' comes from the monograph; a station may only give "
                             "'not_critical: <reason>'")
        return data


class ExpectedAction(_Strict):
    """What the pharmacist should do besides counselling: nothing more, call the prescriber, or refer."""

    expected: Action
    reason: str = Field(min_length=10)
    weight: int = Field(default=3, ge=1, le=5)


class UnsafePoint(_Strict):
    """A checklist point that is wrong advice for this patient: discussing it costs marks."""

    point: str = Field(pattern=ID_RE)
    reason: str = Field(min_length=10)
    penalty: int = Field(default=3, ge=1, le=5)


class Rubric(_Strict):
    pass_mark: int = Field(default=70, ge=50, le=100)
    time_minutes: int = Field(ge=3, le=20)
    points: list[RubricPoint] = Field(min_length=1)
    action: ExpectedAction
    unsafe: list[UnsafePoint] = Field(default_factory=list)

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
    title: str = Field(min_length=5, max_length=80, description="The teaching title, shown after the station")
    station_title: str = Field(
        min_length=5, max_length=60,
        description="A neutral title shown before and during the station (gives nothing away)",
    )
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
class RubricItem:
    """One scored checklist point of a station, with its criticality derived from the monograph."""

    point: str
    weight: int
    critical: bool
    exclusion: str | None = None  # why a monograph-critical point is not critical here
    note: str | None = None
    listed: bool = True  # False: a critical point of the case the rubric does not list


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

    def rubric_items(self) -> list[RubricItem]:
        """The scored points: the rubric's, then any other critical point of the case.

        A point is critical here iff the monograph makes it critical for this case, unless the
        rubric gives a written exclusion. Unsafe points are never expected.
        """
        rubric = self.spec.rubric
        items = [
            RubricItem(point=rp.point, weight=rp.weight,
                       critical=case_critical(self.point(rp.point)) and rp.not_critical is None,
                       exclusion=rp.not_critical, note=rp.note)
            for rp in rubric.points
        ]
        named = {rp.point for rp in rubric.points} | {u.point for u in rubric.unsafe}
        items += [
            RubricItem(point=p.id, weight=DEFAULT_CRITICAL_WEIGHT, critical=True, listed=False)
            for p in self.counselling.points if case_critical(p) and p.id not in named
        ]
        return items

    def unsafe_points(self) -> list[UnsafePoint]:
        """The unsafe points the checklist offers for this case (a trainee can only give these)."""
        offered = set(self.counselling.point_ids())
        return [u for u in self.spec.rubric.unsafe if u.point in offered]

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
        if item.point not in selected:
            raise ContentError(shown, f"rubric.points.{i}.point",
                               f"'{item.point}' is not a point the checklist selects for this case")
    rubric_ids = {rp.point for rp in spec.rubric.points}
    seen_unsafe: set[str] = set()
    known = {p.id for p in result.monograph.points}
    for i, bad in enumerate(spec.rubric.unsafe):
        # An unsafe point the content no longer offers for this case cannot be given: it stays
        # listed (dormant) so the station is still right if the content brings it back.
        if bad.point not in known:
            raise ContentError(shown, f"rubric.unsafe.{i}.point", f"'{bad.point}' is not a monograph point")
        if bad.point in rubric_ids:
            raise ContentError(shown, f"rubric.unsafe.{i}.point",
                               f"'{bad.point}' is also an expected rubric point")
        if bad.point in seen_unsafe:
            raise ContentError(shown, f"rubric.unsafe.{i}.point", f"'{bad.point}' is listed twice")
        seen_unsafe.add(bad.point)
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
    has_critical = any(case_critical(selected[rp.point]) and rp.not_critical is None
                       for rp in spec.rubric.points)
    has_critical = has_critical or any(case_critical(p) and p.id not in rubric_ids | seen_unsafe
                                       for p in result.points)
    if not has_critical and spec.rubric.action.expected == "none":
        raise ContentError(shown, "rubric.points",
                           "a station needs at least one critical item or a required action")
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
