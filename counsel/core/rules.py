"""The rules engine: which checklist points apply to a case, and why, plus its warnings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from counsel.core.case import Case, Region
from counsel.core.checks import Warning, run_checks
from counsel.core.conditions import When
from counsel.core.content import Catalog
from counsel.core.doses import DoseAmount, concentration_text, dose_amount, halving, mg
from counsel.core.errors import CaseError
from counsel.core.facts import Facts, facts_for
from counsel.core.medicines import Recognised
from counsel.core.monograph import Monograph, Point, RegionRules, Section
from counsel.core.schedule import Step, build_schedule

EVERYONE = "applies to everyone taking baclofen"


@dataclass(frozen=True)
class SelectedPoint:
    """A checklist point chosen for this case, with its text filled in and the reasons it applies."""

    point: Point
    reasons: tuple[str, ...]
    prompt: str
    patient_text: tuple[str, ...]
    why: str

    @property
    def id(self) -> str:
        return self.point.id

    @property
    def reason_text(self) -> str:
        return "; ".join(self.reasons)


@dataclass(frozen=True)
class SectionResult:
    section: Section
    points: tuple[SelectedPoint, ...]


@dataclass(frozen=True)
class Counselling:
    """Everything the core works out for one case: the single source for GUI, leaflet and record."""

    case: Case
    monograph: Monograph
    region: RegionRules
    sections: tuple[SectionResult, ...]
    warnings: tuple[Warning, ...]
    recognised: tuple[Recognised, ...]
    unrecognised: tuple[str, ...]
    schedule: tuple[Step, ...]

    @property
    def points(self) -> list[SelectedPoint]:
        return [p for s in self.sections for p in s.points]

    def point_ids(self) -> list[str]:
        return [p.id for p in self.points]

    @property
    def to_acknowledge(self) -> list[Warning]:
        """The warnings the pharmacist acknowledges before the leaflet is printed."""
        return [w for w in self.warnings if w.needs_acknowledgement]

    @property
    def information(self) -> list[Warning]:
        """Findings shown for reference only: they never block and are never acknowledged."""
        return [w for w in self.warnings if not w.needs_acknowledgement]

    def unacknowledged(self, acknowledged: set[str]) -> list[Warning]:
        """Warnings still needing the pharmacist's acknowledgement (information never blocks)."""
        return [w for w in self.to_acknowledge if w.code not in acknowledged]

    def amount(self, dose_mg: float) -> DoseAmount:
        """What the patient measures for one dose of this case's product (only measurable
        amounts; otherwise "ask your pharmacist how to measure this dose")."""
        rx = self.case.prescription
        return dose_amount(dose_mg, rx, halves=halving(self.monograph, self.case.region, rx))


def _classes_in(when: When | None) -> set[str]:
    if when is None:
        return set()
    found = {when.medicine_class} if when.medicine_class else set()
    for child in (*(when.all_of or []), *(when.any_of or [])):
        found |= _classes_in(child)
    if when.not_ is not None:
        found |= _classes_in(when.not_)
    return found


def _fill(text: str, values: dict[str, str]) -> str:
    # str.format_map on content text is safe: placeholders are checked against a fixed list at
    # load time and values are plain strings (no attribute or index access is allowed).
    return text.format_map(values)


def _values(case: Case, mono: Monograph, rules: RegionRules, facts: Facts,
            point: Point) -> dict[str, str]:
    in_point = {n for cls in _classes_in(point.applies) for n in facts.medicine_classes.get(cls, ())}
    # Keep the order the patient gave their medicines in.
    names = [m.strip() for m in case.patient.other_medicines if m.strip() in in_point]
    rx = case.prescription
    strength = rx.parsed_strength
    return {
        "medicines": _join(names) or "another medicine",
        "max_daily_mg": f"{rules.max_daily_mg:g}",
        "usual_maintenance": rules.usual_maintenance,
        "drug": mono.name,
        "strength": concentration_text(strength) if strength.per_ml else mg(strength.amount_mg),
        "emergency": rules.emergency,
        **rules.words,  # region words ({vomiting}, {seizures}); keys never clash (checked on load)
    }


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def is_stopping(case: Case) -> bool:
    """Coming off baclofen on a taper calendar: points print their `stopping_text` (no start or
    dose-rise wording). A plan "stop" with no taper keeps the usual text: the patient keeps the
    current dose until there is a plan to lower it slowly (stop_needs_plan)."""
    return case.prescription.taper is not None


def _text_for(case: Case, point: Point) -> list[str]:
    if point.stopping_text is not None and is_stopping(case):
        return point.stopping_text
    return point.patient_text


def select_points(case: Case, mono: Monograph, facts: Facts) -> tuple[SectionResult, ...]:
    """The applicable points, grouped by section in the monograph's order."""
    rules = mono.regions[case.region]
    by_section: dict[str, list[SelectedPoint]] = {s.id: [] for s in mono.sections}
    for point in mono.points:
        if point.applies is None:
            ok, reasons = True, [EVERYONE]
        else:
            ok, reasons = point.applies.evaluate(facts)
            reasons = reasons or [EVERYONE]
        if not ok:
            continue
        values = _values(case, mono, rules, facts, point)
        by_section[point.section].append(SelectedPoint(
            point=point,
            reasons=tuple(reasons),
            prompt=_fill(point.prompt, values),
            patient_text=tuple(_fill(t, values) for t in _text_for(case, point)),
            why=_fill(point.why, values),
        ))
    return tuple(
        SectionResult(section=s, points=tuple(by_section[s.id]))
        for s in mono.sections if by_section[s.id]
    )


def counsel_case(case: Case, catalog: Catalog, *, region: Region | None = None) -> Counselling:
    """Work out the checklist, warnings and calendar for a case (pure: no clock, no I/O)."""
    if region is not None and region != case.region:
        case = case.model_copy(update={"region": region})
    mono = catalog.monograph(case.prescription.drug)
    if mono is None:
        known = ", ".join(sorted(catalog.monographs))
        raise CaseError("", "prescription.drug",
                        f"unknown drug '{case.prescription.drug}' (known: {known})")
    recognised: list[Recognised] = []
    unrecognised: list[str] = []
    for given in case.patient.other_medicines:
        hit = catalog.medicines.recognise(given)
        if hit is None:
            unrecognised.append(given.strip())
        else:
            recognised.append(hit)
    by_class: dict[str, list[str]] = {}
    for med in recognised:
        for cls in med.classes:
            by_class.setdefault(cls, []).append(med.given)
    labels = {cid: c.label for cid, c in catalog.medicines.classes.items()}
    facts = facts_for(case, {k: tuple(v) for k, v in by_class.items()}, labels)
    steps = build_schedule(case.prescription)
    warnings = run_checks(case, mono, steps, recognised, unrecognised, catalog.medicines)
    return Counselling(
        case=case,
        monograph=mono,
        region=mono.regions[case.region],
        sections=select_points(case, mono, facts),
        warnings=tuple(warnings),
        recognised=tuple(recognised),
        unrecognised=tuple(unrecognised),
        schedule=tuple(steps),
    )


def checklist_json(result: Counselling) -> dict[str, Any]:
    """The `checklist --json` shape (an interchange format: keep the names stable)."""
    return {
        "drug": result.monograph.drug,
        "region": result.case.region,
        "content_version": result.monograph.content_version,
        "sections": [
            {
                "id": s.section.id,
                "title": s.section.title,
                "points": [
                    {
                        "id": p.id,
                        "prompt": p.prompt,
                        "patient_text": list(p.patient_text),
                        "why": p.why,
                        "applies_because": list(p.reasons),
                        "critical": p.point.critical,
                        "sources": list(p.point.sources),
                    }
                    for p in s.points
                ],
            }
            for s in result.sections
        ],
        "warnings": warnings_json(result.warnings),
        "unrecognised_medicines": list(result.unrecognised),
    }


def warnings_json(warnings: tuple[Warning, ...] | list[Warning]) -> list[dict[str, str]]:
    return [{"code": w.code, "title": w.title, "severity": w.severity, "message": w.message,
             "field": w.field} for w in warnings]


def schedule_json(result: Counselling) -> dict[str, Any]:
    """The `schedule --json` shape."""
    return {
        "steps": [
            {
                "from": s.start.isoformat(),
                "to": s.end.isoformat() if s.end else None,
                "dose_mg": s.dose_mg,
                "times_per_day": s.times_per_day,
                "daily_total_mg": s.daily_total_mg,
            }
            for s in result.schedule
        ],
        "warnings": warnings_json(result.warnings),
    }
