"""Schema of a drug monograph: the checklist points, sections, regions and forms, as data."""

from __future__ import annotations

import re
import string
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from counsel.core.conditions import When

ID_RE = r"^[a-z][a-z0-9_]*$"
# Placeholders a point's text may use; the rules engine fills them from the case, nothing else.
PLACEHOLDERS: frozenset[str] = frozenset(
    {"medicines", "max_daily_mg", "usual_maintenance", "drug", "strength", "emergency"}
)
# {name}, but not a literal {{brace}} (str.format prints "{{" as "{").
_PLACEHOLDER_RE = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Source(_Strict):
    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9/_-]*$")
    title: str = Field(min_length=3)
    url: str = Field(pattern=r"^https?://")
    confidence: Literal["H", "M", "L"]
    # A product label or national service of one region: listed only on that region's leaflets.
    region: Literal["us", "uk"] | None = None


class ChildRule(_Strict):
    """Children's licensing in a region; caps are daily maxima below an age, checked in order."""

    licensed_from_years: int = Field(ge=0, le=18)
    not_established_text: str | None = None
    caps: list[ChildCap] = Field(default_factory=list)
    tablets_min_weight_kg: float | None = None


class ChildCap(_Strict):
    under_years: int = Field(ge=1, le=18)
    max_daily_mg: float = Field(gt=0)


class RegionRules(_Strict):
    label: str
    max_daily_mg: float = Field(gt=0)
    max_daily_note: str
    usual_maintenance: str
    emergency: str = Field(description="How to get emergency help, e.g. 'call 911'")
    child: ChildRule
    liquid_concentrations: list[str] = Field(default_factory=list)
    sources: list[str] = Field(min_length=1)
    # Region words for patient text ({vomiting}: "throwing up" in the US, "being sick" in the UK).
    # Every region defines the same keys (checked in Monograph) so no leaflet has a gap.
    words: dict[str, str] = Field(default_factory=dict)

    @field_validator("words")
    @classmethod
    def _plain_words(cls, value: dict[str, str]) -> dict[str, str]:
        for key, text in value.items():
            if not re.fullmatch(ID_RE.strip("^$"), key):
                raise ValueError(f"word '{key}' must be lower_case letters, digits and _")
            if key in PLACEHOLDERS:
                raise ValueError(f"word '{key}' is already a placeholder")
            if not text.strip() or "{" in text or "}" in text:
                raise ValueError(f"word '{key}' must be plain text without braces")
        return value


class FormInfo(_Strict):
    label: str
    unit_singular: str
    unit_plural: str
    splittable: bool = Field(default=False, description="Whether this form can ever be halved")
    strengths: dict[Literal["us", "uk"], list[str]]
    # Halving is a property of the product and strength, not of the form (UK 5 mg tablets have no
    # score line). A half prints only for a splittable form; a strength in `unscored` is never
    # halved; a strength in neither list prints the half with a pharmacist check (score line).
    scored: dict[Literal["us", "uk"], list[str]] = Field(default_factory=dict)
    unscored: dict[Literal["us", "uk"], list[str]] = Field(default_factory=dict)


class Section(_Strict):
    id: str = Field(pattern=ID_RE)
    title: str
    leaflet_title: str
    topic: Literal[
        "about", "dosing", "missed_doses", "alcohol", "driving", "withdrawal",
        "side_effects", "special_populations", "storage", "follow_up", "intrathecal",
    ]


class PriorityRule(_Strict):
    """A higher place in the leaflet's key warnings box when the patient's facts match."""

    when: When
    priority: int = Field(ge=0, le=100)


class Point(_Strict):
    """One checklist point: what to say, what prints, why it matters, when it applies."""

    id: str = Field(pattern=ID_RE)
    section: str
    title: str = Field(min_length=3, max_length=80)
    prompt: str = Field(min_length=10)
    patient_text: list[str] = Field(min_length=1)
    why: str = Field(min_length=20)
    critical: bool = False
    key_warning: bool = Field(
        default=False, description="Also printed in the leaflet's key warnings box"
    )
    pharmacist_only: bool = Field(
        default=False,
        description="Shown at the counter only, never printed for the patient (e.g. usual dose "
                    "ranges: a population range on a leaflet reads as a suggested dose)",
    )
    applies: When | None = Field(default=None, description="Omitted: applies to every case")
    stopping_text: list[str] | None = Field(
        default=None, min_length=1,
        description="Printed instead of patient_text when the patient is coming off baclofen on "
                    "a taper calendar: no start or dose-rise wording reaches them",
    )
    priority: int = Field(
        default=50, ge=0, le=100,
        description="Place in the key warnings box: higher first (ties keep the monograph order)",
    )
    priority_if: list[PriorityRule] = Field(
        default_factory=list,
        description="Raise the priority for this patient: the highest matching rule wins",
    )
    sources: list[str] = Field(min_length=1)

    @field_validator("prompt", "why")
    @classmethod
    def _plain_placeholders(cls, value: str) -> str:
        _check_placeholders(value)
        return value

    @field_validator("patient_text", "stopping_text")
    @classmethod
    def _text_placeholders(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        for i, line in enumerate(value, start=1):
            if not line.strip():
                raise ValueError("a sentence is blank")
            try:
                _check_placeholders(line)
            except ValueError as exc:
                raise ValueError(f"sentence {i}: {exc}") from None
        return value


def _check_template_syntax(text: str) -> None:
    """The text must be what the rules engine can fill (str.format_map): plain {name} fields only.

    A lone '{' used to pass validation and crash every case that selected the point.
    """
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ValueError(f"not a valid text template ({exc}); write {{{{ or }}}} for a literal "
                         "brace") from None
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if spec or conversion or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            shown = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            raise ValueError(f"{{{shown[:40]}}} is not a plain {{name}} placeholder")


def _check_placeholders(text: str) -> None:
    _check_template_syntax(text)
    # A name that could be a region word is checked against the monograph's words later (Monograph).
    for name in _PLACEHOLDER_RE.findall(text):
        if name not in PLACEHOLDERS and not re.fullmatch(ID_RE.strip("^$"), name):
            raise ValueError(f"unknown placeholder {{{name}}} (allowed: {sorted(PLACEHOLDERS)})")


def _unknown_placeholders(text: str, allowed: set[str]) -> list[str]:
    return [n for n in _PLACEHOLDER_RE.findall(text) if n not in allowed]


class Monograph(_Strict):
    """A whole drug's counselling content; a new medicine is a new file of this shape."""

    schema_version: Literal[1]
    drug: str = Field(pattern=ID_RE)
    name: str
    content_version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    reviewed: date
    review_due: date
    disclaimer: str
    sources: list[Source] = Field(min_length=1)
    regions: dict[Literal["us", "uk"], RegionRules]
    forms: dict[
        Literal["tablet", "oral_solution", "oral_suspension", "granules", "intrathecal"], FormInfo
    ]
    sections: list[Section] = Field(min_length=1)
    points: list[Point] = Field(min_length=1)

    @model_validator(mode="after")
    def _references_resolve(self) -> Monograph:
        source_ids = {s.id for s in self.sources}
        if len(source_ids) != len(self.sources):
            raise ValueError("sources: two sources share an id")
        section_ids = [s.id for s in self.sections]
        if len(set(section_ids)) != len(section_ids):
            raise ValueError("sections: two sections share an id")
        seen: set[str] = set()
        for i, point in enumerate(self.points):
            where = f"points.{i} ({point.id})"
            if point.id in seen:
                raise ValueError(f"{where}: duplicate point id")
            seen.add(point.id)
            if point.section not in section_ids:
                raise ValueError(f"{where}.section: unknown section '{point.section}'")
            for sid in point.sources:
                if sid not in source_ids:
                    raise ValueError(f"{where}.sources: unknown source id '{sid}'")
        words = {k for rules in self.regions.values() for k in rules.words}
        for region, rules in self.regions.items():
            missing = sorted(words - set(rules.words))
            if missing:
                raise ValueError(f"regions.{region}.words: missing word '{missing[0]}'")
        allowed = set(PLACEHOLDERS) | words
        for i, point in enumerate(self.points):
            for name, texts in (("prompt", [point.prompt]), ("why", [point.why]),
                                ("patient_text", point.patient_text)):
                for text in texts:
                    for unknown in _unknown_placeholders(text, allowed):
                        raise ValueError(
                            f"points.{i}.{name}: unknown placeholder {{{unknown}}} "
                            f"(allowed: {sorted(allowed)})")
        for region, rules in self.regions.items():
            for sid in rules.sources:
                if sid not in source_ids:
                    raise ValueError(f"regions.{region}.sources: unknown source id '{sid}'")
        if self.review_due <= self.reviewed:
            raise ValueError("review_due: must be after reviewed")
        return self

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def point(self, point_id: str) -> Point:
        return next(p for p in self.points if p.id == point_id)

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)
